#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Sets and projects on the card (issue #19): discovery, copy and move with samples, rename by
//! the device's rules, delete to the trash and restore, a cancelled or failing copy, a
//! destination without room. The fixture is built from the device's blank project
//! (`src/format/blank.rs`) with sample files whose bytes the tests know.

mod common;

use octa::format::slot_attrs::SlotRef;
use octa::project::durable::{Fault, Recorder, with_recorder};
use octa::project::sets::manage::{self, SetError};
use octa::project::sets::{self, Pool, ScanLimits, TRASH};
use octa::project::{OpenOptions, Project, slots};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const KICK: &[u8] = b"RIFF-kick-bytes-0123456789";
const SNARE_A: &[u8] = b"RIFF-snare-of-set-a";
const SNARE_B: &[u8] = b"RIFF-another-snare-in-set-b";
const PAD: &[u8] = b"RIFF-pad-bytes";
const LOCAL: &[u8] = b"RIFF-project-local-sample";

fn write(p: &Path, bytes: &[u8]) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

fn project(dir: &Path, slots_: &[(SlotRef, &str)]) {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut p = Project::new_blank(&name);
    for (s, path) in slots_ {
        slots::assign(&mut p, *s, path, 1000, 44100).unwrap();
    }
    p.save_as(dir).unwrap();
}

/// SET_A: AUDIO (drums/kick, snare, pad), SONG1 (pool kick and snare, a local sample, a
/// missing pool sample), SONG2 (pad). SET_B: AUDIO with the same kick and another snare (a
/// name clash), project OTHER. LOOSE: a project in a folder that is not a set.
struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("card");
        let a = root.join("SET_A");
        write(&a.join("AUDIO/drums/kick.wav"), KICK);
        write(&a.join("AUDIO/snare.wav"), SNARE_A);
        write(&a.join("AUDIO/pad.wav"), PAD);
        project(
            &a.join("SONG1"),
            &[
                (SlotRef::Flex(1), "../AUDIO/drums/kick.wav"),
                (SlotRef::Flex(2), "../AUDIO/snare.wav"),
                (SlotRef::Static(1), "local.wav"),
                (SlotRef::Flex(3), "../AUDIO/gone.wav"),
            ],
        );
        write(&a.join("SONG1/local.wav"), LOCAL);
        project(&a.join("SONG2"), &[(SlotRef::Flex(1), "../AUDIO/pad.wav")]);
        let b = root.join("SET_B");
        write(&b.join("AUDIO/drums/kick.wav"), KICK);
        write(&b.join("AUDIO/snare.wav"), SNARE_B);
        project(&b.join("OTHER"), &[]);
        project(&tmp.path().join("loose/LOOSE"), &[]);
        Fixture { _tmp: tmp, root }
    }
    fn set(&self, n: &str) -> PathBuf {
        self.root.join(n)
    }
}

/// Each slot with a path -> the SHA-256 of the file it resolves to ("missing" when absent).
fn slot_contents(dir: &Path) -> BTreeMap<String, String> {
    let p = Project::open(dir, &OpenOptions::default()).unwrap();
    slots::list(&p)
        .unwrap()
        .into_iter()
        .filter(|s| !s.path().is_empty())
        .map(|s| {
            let content = p
                .sample_path(s.path())
                .and_then(|f| fs::read(f).ok())
                .map_or("missing".to_string(), |b| common::sha(&b));
            (s.slot.to_string(), content)
        })
        .collect()
}

fn slot_paths(dir: &Path) -> BTreeMap<String, String> {
    let p = Project::open(dir, &OpenOptions::default()).unwrap();
    slots::list(&p)
        .unwrap()
        .into_iter()
        .filter(|s| !s.path().is_empty())
        .map(|s| (s.slot.to_string(), s.path().to_string()))
        .collect()
}

fn octa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env("OCTA_CONFIG_DIR", "/nonexistent-octa-config")
        .output()
        .unwrap()
}

fn check_clean(dir: &Path) {
    let out = octa(&["check", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "octa check {}: {text}", dir.display());
    assert!(text.contains(" 0 errors"), "{text}");
}

/// Every name below `dir` (relative), to see that nothing was left behind.
fn names(dir: &Path) -> Vec<String> {
    common::tree(dir).into_keys().collect()
}

#[test]
fn discovery_lists_sets_projects_pools_and_loose_projects() {
    let f = Fixture::new();
    let loose = f._tmp.path().join("loose/LOOSE");
    // A link to a set elsewhere is not followed.
    let elsewhere = tempfile::tempdir().unwrap();
    write(&elsewhere.path().join("FAR/AUDIO/x.wav"), b"x");
    std::os::unix::fs::symlink(elsewhere.path().join("FAR"), f.root.join("link-to-far")).unwrap();
    // A copy that never finished (a crash) is reported, not listed as a project.
    let unfinished = f.set("SET_B/.SONG9.octa-copy-1-0");
    fs::create_dir_all(&unfinished).unwrap();
    let absent = f.root.join("no-such-folder");
    let d = sets::discover(
        &[f.root.clone(), loose.clone(), absent.clone()],
        ScanLimits::default(),
    );
    let names: Vec<&str> = d.sets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["SET_A", "SET_B"]);
    let a = &d.sets[0];
    let projects: Vec<&str> = a.projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(projects, ["SONG1", "SONG2"]);
    assert_eq!(
        a.pool,
        Pool::Present {
            files: 3,
            samples: 3,
            bytes: (KICK.len() + SNARE_A.len() + PAD.len()) as u64
        }
    );
    // SONG1: project.work (blank project: no .strd), 16 banks, markers, 8 arrangements and local.wav.
    let song1 = &a.projects[0];
    assert_eq!(song1.files, 1 + 16 + 1 + 8 + 1);
    assert!(!song1.saved_state);
    assert!(song1.bytes > 16 * 636_113);
    assert_eq!(d.sets[1].projects.len(), 1);
    assert_eq!(d.sets[1].unfinished, [unfinished]);
    assert_eq!(d.loose.len(), 1);
    assert_eq!(d.loose[0].path, loose);
    assert!(
        d.problems
            .iter()
            .any(|p| p.starts_with(&format!("{}:", absent.display()))),
        "{:?}",
        d.problems
    );
    // The CLI: JSON with the same facts; an unreadable root is reported and exit 1.
    let out = octa(&["sets", "--json", f.root.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sets"][0]["name"], "SET_A");
    assert_eq!(v["sets"][0]["pool"]["status"], "present");
    assert_eq!(v["sets"][0]["pool"]["samples"], 3);
    assert_eq!(v["sets"][0]["projects"][1]["name"], "SONG2");
    let out = octa(&["sets", absent.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-folder"));
}

#[test]
fn copy_brings_every_sample_and_keeps_each_slot_resolving_to_the_same_bytes() {
    let f = Fixture::new();
    let src = f.set("SET_A/SONG1");
    let before = slot_contents(&src);
    assert_eq!(before["Flex 3"], "missing");
    let src_tree = common::tree(&f.set("SET_A"));
    let r = manage::copy_project(&src, &f.set("SET_B"), None, None).unwrap();
    let dst = f.set("SET_B/SONG1");
    assert_eq!(r.dest, dst);
    assert_eq!(slot_contents(&dst), before);
    let paths = slot_paths(&dst);
    // Identical kick reused; the other snare kept, ours renamed; the local sample came along.
    assert_eq!(paths["Flex 1"], "../AUDIO/drums/kick.wav");
    assert_eq!(paths["Flex 2"], "../AUDIO/snare-2.wav");
    assert_eq!(paths["Static 1"], "local.wav");
    assert_eq!(paths["Flex 3"], "../AUDIO/gone.wav");
    assert_eq!(fs::read(f.set("SET_B/AUDIO/snare.wav")).unwrap(), SNARE_B);
    assert_eq!(fs::read(f.set("SET_B/AUDIO/snare-2.wav")).unwrap(), SNARE_A);
    assert!(!f.set("SET_B/AUDIO/drums/kick-2.wav").exists());
    assert!(
        r.lines.iter().any(|l| l.contains("gone.wav")),
        "{:?}",
        r.lines
    );
    // The source set is untouched; nothing hidden is left in the destination.
    assert_eq!(common::tree(&f.set("SET_A")), src_tree);
    assert!(
        names(&f.set("SET_B")).iter().all(|n| !n.contains(".octa")),
        "{:?}",
        names(&f.set("SET_B"))
    );
    check_clean(&dst);
    // Within its own set under another name: paths unchanged, nothing added to the pool.
    let pool_before = common::tree(&f.set("SET_A/AUDIO"));
    manage::copy_project(&src, &f.set("SET_A"), Some("SONG1 COPY"), None).unwrap();
    assert_eq!(slot_paths(&f.set("SET_A/SONG1 COPY")), slot_paths(&src));
    assert_eq!(slot_contents(&f.set("SET_A/SONG1 COPY")), before);
    assert_eq!(common::tree(&f.set("SET_A/AUDIO")), pool_before);
    // The name is taken now.
    assert!(matches!(
        manage::copy_project(&src, &f.set("SET_B"), None, None),
        Err(SetError::Exists(_))
    ));
}

#[test]
fn move_copies_then_sends_the_source_to_its_trash() {
    let f = Fixture::new();
    let src = f.set("SET_A/SONG2");
    let before = slot_contents(&src);
    let r = manage::move_project(&src, &f.set("SET_B"), None, None).unwrap();
    assert_eq!(slot_contents(&f.set("SET_B/SONG2")), before);
    assert_eq!(fs::read(f.set("SET_B/AUDIO/pad.wav")).unwrap(), PAD);
    assert!(!src.exists());
    let trashed = r.trashed.unwrap();
    assert!(
        trashed.starts_with(f.set("SET_A").join(TRASH)),
        "{}",
        trashed.display()
    );
    check_clean(&f.set("SET_B/SONG2"));
    // The pool sample stays in the source set for its other projects.
    assert_eq!(fs::read(f.set("SET_A/AUDIO/pad.wav")).unwrap(), PAD);
}

#[test]
fn rename_follows_the_device_rules() {
    let f = Fixture::new();
    let src = f.set("SET_A/SONG2");
    for (bad, says) in [
        ("PAD/2", "character '/' at position 4"),
        ("PAD€", "character '€' (U+20AC) at position 4"),
        (
            "ABCDEFGHIJKLM",
            "13 characters; the device takes at most 12",
        ),
        ("audio", "reserved"),
    ] {
        let e = manage::rename_project(&src, bad).unwrap_err();
        assert!(e.to_string().contains(says), "{bad}: {e}");
        assert!(src.is_dir());
    }
    let out = octa(&["project", "rename", src.to_str().unwrap(), "SONG\t2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("'\\t'"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = common::tree(&src);
    manage::rename_project(&src, "ÉTÉ 26 live").unwrap();
    assert!(!src.exists());
    assert_eq!(common::tree(&f.set("SET_A/ÉTÉ 26 live")), before);
    assert!(matches!(
        manage::rename_project(&f.set("SET_A/SONG1"), "ÉTÉ 26 live"),
        Err(SetError::Exists(_))
    ));
}

#[test]
fn delete_goes_to_the_trash_and_restores() {
    let f = Fixture::new();
    let src = f.set("SET_A/SONG1");
    let before = common::tree(&src);
    let r = manage::delete_project(&src).unwrap();
    assert!(!src.exists());
    assert_eq!(common::tree(r.trashed.as_ref().unwrap()), before);
    let listed = manage::trash_list(&f.set("SET_A"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1, "SONG1");
    // Discovery no longer lists it as a project, but shows it in the trash.
    let d = sets::discover(&[f.set("SET_A")], ScanLimits::default());
    assert_eq!(d.sets[0].projects.len(), 1);
    assert_eq!(d.sets[0].trashed.len(), 1);
    let out = octa(&[
        "project",
        "restore",
        f.set("SET_A").to_str().unwrap(),
        "SONG1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(common::tree(&src), before);
    assert!(manage::trash_list(&f.set("SET_A")).is_empty());
    assert!(matches!(
        manage::restore_project(&f.set("SET_A"), "SONG1", None),
        Err(SetError::NotInTrash { .. })
    ));
    // A set goes to the trash of the folder holding it.
    let r = manage::delete_set(&f.set("SET_B")).unwrap();
    assert!(r.trashed.unwrap().starts_with(f.root.join(TRASH)));
    assert!(!f.set("SET_B").exists());
}

fn assert_nothing_written(f: &Fixture, b_before: &BTreeMap<String, String>) {
    assert!(!f.set("SET_B/SONG1").exists());
    assert_eq!(&common::tree(&f.set("SET_B")), b_before);
    let left: Vec<String> = fs::read_dir(f.set("SET_B"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.iter().all(|n| !n.starts_with('.')), "{left:?}");
}

#[test]
fn a_cancelled_copy_leaves_no_partial_project() {
    let f = Fixture::new();
    let b_before = common::tree(&f.set("SET_B"));
    let plan = manage::plan_project_copy(&f.set("SET_A/SONG1"), &f.set("SET_B"), "SONG1").unwrap();
    // 27 project files and the snare going into the pool.
    assert_eq!(plan.file_count(), 28);
    for stop_at in [1, 5, 27] {
        let mut n = 0;
        let e = manage::execute(
            &plan,
            Some(Box::new(move |_, _| {
                n += 1;
                n < stop_at
            })),
        )
        .unwrap_err();
        assert!(e.to_string().contains("cancelled"), "{e}");
        assert_nothing_written(&f, &b_before);
    }
    // A write failing at every 9th operation of the write path (fault injected by its recorder):
    // never a partial project or a hidden folder; the pool gets nothing, or (a failure after
    // the commit's renames) only the whole, verified snare.
    let want = slot_contents(&f.set("SET_A/SONG1"));
    let clean = Recorder::new(Fault::None);
    let probe = tempfile::tempdir().unwrap();
    common::copy_dir(&f.set("SET_B"), &probe.path().join("SET_B"));
    let probe_plan =
        manage::plan_project_copy(&f.set("SET_A/SONG1"), &probe.path().join("SET_B"), "SONG1")
            .unwrap();
    with_recorder(&clean, || manage::execute(&probe_plan, None)).unwrap();
    let total = clean.ops().len();
    assert!(total > 28 * 3, "{total} operations");
    for op in (0..total).step_by(9) {
        let rec = Recorder::new(Fault::Once(op));
        let r = with_recorder(&rec, || manage::execute(&plan, None));
        let dst = f.set("SET_B/SONG1");
        match r {
            // Only the flush after the final rename: the copy is there and whole.
            Ok(report) => {
                assert!(report.lines.iter().any(|l| l.contains("flush")), "op {op}");
                assert_eq!(slot_contents(&dst), want, "op {op}");
                fs::remove_dir_all(&dst).unwrap();
            }
            Err(_) => assert!(!dst.exists(), "op {op}"),
        }
        let left: Vec<String> = fs::read_dir(f.set("SET_B"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            left.iter().all(|n| !n.starts_with('.')),
            "op {op}: {left:?}"
        );
        let mut now = common::tree(&f.set("SET_B"));
        if let Some(extra) = now.remove("AUDIO/snare-2.wav") {
            assert_eq!(extra, common::sha(SNARE_A), "op {op}");
            fs::remove_file(f.set("SET_B/AUDIO/snare-2.wav")).unwrap();
        }
        assert_eq!(now, b_before, "op {op}");
    }
    // And then the copy goes through.
    manage::execute(&plan, None).unwrap();
    check_clean(&f.set("SET_B/SONG1"));
}

#[test]
fn set_copy_is_verified_and_new_set_has_a_pool() {
    let f = Fixture::new();
    let backup = tempfile::tempdir().unwrap();
    let r = manage::copy_set(&f.set("SET_A"), backup.path(), Some("SET_A BACKUP"), None).unwrap();
    assert!(
        r.lines.iter().any(|l| l.starts_with("verified 56 files")),
        "{:?}",
        r.lines
    );
    assert_eq!(
        common::tree(&backup.path().join("SET_A BACKUP")),
        common::tree(&f.set("SET_A"))
    );
    manage::new_set(&f.root.join("SET_C")).unwrap();
    assert!(f.root.join("SET_C/AUDIO").is_dir());
    manage::new_project(&f.root.join("SET_C/FIRST")).unwrap();
    assert!(sets::is_project(&f.root.join("SET_C/FIRST")));
    assert!(manage::new_set(&f.root.join("SET:D")).is_err());
    assert!(matches!(
        manage::new_set(&f.root.join("absent/SET_E")),
        Err(SetError::NotAFolder(p)) if p == f.root.join("absent")
    ));
    assert!(!f.root.join("SET:D").exists());
}

/// A destination without room is refused before anything is written: a 1 MiB tmpfs (as root).
#[test]
fn a_destination_without_room_is_refused_before_writing() {
    let f = Fixture::new();
    let mnt = tempfile::tempdir().unwrap();
    let ok = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            "size=1m",
            "tmpfs",
            mnt.path().to_str().unwrap(),
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        // Mounting needs root; CI runs as root where it works (and then this never skips).
        eprintln!("skipped: cannot mount a tmpfs here (not root?)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _u = Unmount(mnt.path().to_path_buf());
    let set = mnt.path().join("SMALL");
    manage::new_set(&set).unwrap();
    let e = manage::copy_project(&f.set("SET_A/SONG1"), &set, None, None).unwrap_err();
    assert!(matches!(e, SetError::NoSpace { .. }), "{e}");
    assert!(e.to_string().contains("nothing was written"), "{e}");
    assert_eq!(names(mnt.path()), Vec::<String>::new());
    assert_eq!(fs::read_dir(&set).unwrap().count(), 1, "only AUDIO");
    let out = octa(&[
        "project",
        "copy",
        f.set("SET_A/SONG1").to_str().unwrap(),
        set.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bytes free"));
}

#[test]
fn the_trash_is_listed_and_emptied_only_when_asked() {
    let f = Fixture::new();
    let a = f.set("SET_A");
    let song2 = common::tree(&f.set("SET_A/SONG2"));
    manage::delete_project(&f.set("SET_A/SONG2")).unwrap();
    // A link in the trash leading out of it: emptying removes the link, never its target.
    let outside = f.root.join("keep.wav");
    write(&outside, PAD);
    let slot = manage::trash_list(&a)[0].2.clone();
    std::os::unix::fs::symlink(&outside, slot.join("link.wav")).unwrap();
    let out = octa(&["set", "trash", a.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("  SONG2  "), "{text}");
    assert!(text.contains("1 in the trash"), "{text}");
    // Without --yes and without a terminal it refuses and deletes nothing.
    let out = octa(&["set", "trash", a.to_str().unwrap(), "--empty"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(
        common::tree(&slot)
            .into_iter()
            .filter(|(k, _)| k != "link.wav")
            .collect::<BTreeMap<_, _>>(),
        song2
    );
    let keep_a = common::tree(&f.set("SET_A/SONG1"));
    let pool = common::tree(&f.set("SET_A/AUDIO"));
    let out = octa(&["set", "trash", a.to_str().unwrap(), "--empty", "--yes"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("deleted for good: "), "{text}");
    assert!(text.contains("/SONG2"), "{text}");
    assert!(!a.join(TRASH).exists());
    assert_eq!(fs::read(&outside).unwrap(), PAD);
    assert_eq!(common::tree(&f.set("SET_A/SONG1")), keep_a);
    assert_eq!(common::tree(&f.set("SET_A/AUDIO")), pool);
    // An empty trash: nothing to do.
    let r = manage::empty_trash(&a, None).unwrap();
    assert!(r.lines.is_empty());
    // Only one deletion, by its stamp: the other stays.
    manage::delete_project(&f.set("SET_A/SONG1")).unwrap();
    let stamp = manage::trash_list(&a)[0].0.clone();
    let r = manage::empty_trash(&a, Some("19")).unwrap();
    assert!(r.lines.is_empty(), "a stamp of another year: {:?}", r.lines);
    assert_eq!(manage::trash_list(&a).len(), 1);
    let r = manage::empty_trash(&a, Some(&stamp)).unwrap();
    assert_eq!(r.lines, vec![format!("{stamp}/SONG1")]);
    assert!(manage::trash_list(&a).is_empty());
    // A trash folder that is a link to elsewhere is refused, and what it leads to is kept.
    let elsewhere = f.root.join("elsewhere");
    write(&elsewhere.join("20260101T000000Z/P/file"), PAD);
    std::os::unix::fs::symlink(&elsewhere, a.join(TRASH)).unwrap();
    let e = manage::empty_trash(&a, None).unwrap_err();
    assert!(e.to_string().contains("not emptied"), "{e}");
    assert_eq!(
        fs::read(elsewhere.join("20260101T000000Z/P/file")).unwrap(),
        PAD
    );
    // Nor does a delete go through that link.
    let song2 = f.set("SET_A/SONG2");
    manage::new_project(&song2).unwrap();
    let e = manage::delete_project(&song2).unwrap_err();
    assert!(e.to_string().contains("nothing was moved"), "{e}");
    assert!(sets::is_project(&song2));
    assert_eq!(
        names(&elsewhere),
        vec!["20260101T000000Z/P/file".to_string()]
    );
}

/// A backup of a set is verified file by file: a source file altered while the copy runs
/// (after its own copy was written) is reported by name; `octa set verify` reports a backup
/// file altered afterwards, one missing, and one only in the backup.
#[test]
fn a_set_backup_is_verified_and_a_changed_file_is_named() {
    let f = Fixture::new();
    let backup = tempfile::tempdir().unwrap();
    let src = f.set("SET_A");
    let plan_files = manage::plan_set_copy(&src, backup.path(), "SET_A")
        .unwrap()
        .files
        .len();
    let staged_seen = std::sync::Arc::new(std::sync::Mutex::new(None::<PathBuf>));
    let seen = staged_seen.clone();
    let src2 = src.clone();
    let e = manage::copy_set(
        &src,
        backup.path(),
        None,
        Some(Box::new(move |staged: &Path, _| {
            let mut s = seen.lock().unwrap();
            if s.is_none() {
                // The first file copied: change its source now (as a card being written to).
                let hidden = staged
                    .ancestors()
                    .find(|p| {
                        p.file_name()
                            .is_some_and(|n| n.to_string_lossy().contains(sets::COPY_MARK))
                    })
                    .unwrap()
                    .to_path_buf();
                let rel = staged.strip_prefix(&hidden).unwrap().to_path_buf();
                let mut bytes = fs::read(src2.join(&rel)).unwrap();
                bytes.extend_from_slice(b"-changed");
                fs::write(src2.join(&rel), bytes).unwrap();
                *s = Some(rel);
            }
            true
        })),
    )
    .unwrap_err();
    let rel = staged_seen.lock().unwrap().clone().unwrap();
    let msg = e.to_string();
    assert!(msg.contains("1 file(s) differ"), "{msg}");
    assert!(
        msg.contains(&backup.path().join("SET_A").join(&rel).display().to_string()),
        "{msg}"
    );
    // The backup is there and whole otherwise: octa set verify says which file differs.
    let out = octa(&[
        "set",
        "verify",
        src.to_str().unwrap(),
        backup.path().join("SET_A").to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains(&rel.display().to_string()), "{text}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("1 of {plan_files} files differ"))
    );
    // A clean backup verifies; then one altered, one removed and one added are each named.
    let clean = tempfile::tempdir().unwrap();
    let r = manage::copy_set(&src, clean.path(), None, None).unwrap();
    assert!(
        r.lines
            .iter()
            .any(|l| l == &format!("verified {plan_files} files (size and SHA-256)")),
        "{:?}",
        r.lines
    );
    let copy = clean.path().join("SET_A");
    let (bad, n) = manage::verify_copy(&src, &copy).unwrap();
    assert_eq!((bad.len(), n), (0, plan_files));
    fs::write(copy.join("AUDIO/pad.wav"), b"RIFF-pad-bytez").unwrap(); // same size
    fs::remove_file(copy.join("SONG1/local.wav")).unwrap();
    fs::write(copy.join("AUDIO/extra.wav"), b"x").unwrap();
    let (bad, _) = manage::verify_copy(&src, &copy).unwrap();
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert!(
        bad.iter().any(|l| l.contains("AUDIO/pad.wav: differs")),
        "{bad:?}"
    );
    assert!(bad.iter().any(|l| l.contains("SONG1/local.wav")), "{bad:?}");
    assert!(
        bad.iter()
            .any(|l| l.contains("AUDIO/extra.wav: only in the copy")),
        "{bad:?}"
    );
}
