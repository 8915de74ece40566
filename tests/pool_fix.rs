#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `octa pool --relink / --dedupe / --collect` (issue #17) on generated sets whose expected
//! results are written here: the plan is shown and nothing written without --yes; with --yes
//! every changed slot has the `PATH` written in the test and plays a file with the SHA-256 of
//! the bytes the test generated for it; ambiguous matches are listed and left alone; `octa
//! check` finds no errors afterwards; a disk failing at any step of the write leaves the set
//! byte for byte as it was; a collected project moved alone still finds every sample.

use octa::format::slot_attrs::SlotRef;
use octa::project::durable::{Fault, Recorder, with_recorder};
use octa::project::pool_fix;
use octa::project::{OpenOptions, Project, slots};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A 44.1 kHz 16-bit mono WAV of `frames` frames whose samples start at `seed`; returns the
/// SHA-256 of the bytes written.
fn wav(path: &Path, frames: u32, seed: i16) -> Vec<u8> {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames {
        w.write_sample(seed.wrapping_add(i as i16)).unwrap();
    }
    w.finalize().unwrap();
    sha(path)
}

fn sha(path: &Path) -> Vec<u8> {
    Sha256::digest(fs::read(path).unwrap()).to_vec()
}

fn project(dir: &Path, slots_: &[(SlotRef, &str)]) {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut p = Project::new_blank(&name);
    for (s, path) in slots_ {
        slots::assign(&mut p, *s, path, 500, 44100).unwrap();
    }
    p.save_as(dir).unwrap();
}

fn octa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env("OCTA_CONFIG_DIR", "/nonexistent-octa-config")
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A slot's `PATH` and the SHA-256 of the file it plays (None when missing).
fn slot(dir: &Path, slot: SlotRef) -> (String, Option<Vec<u8>>) {
    let p = Project::open(dir, &OpenOptions::default()).unwrap();
    let path = p.project_file().slot(slot).unwrap().path;
    let hash = p
        .sample_path(&path)
        .filter(|f| f.is_file())
        .map(|f| sha(&f));
    (path, hash)
}

/// Every file below `dir` with its bytes (octa's lock files aside).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(root, &e.path(), out);
            } else if !e.file_name().to_string_lossy().contains("lock") {
                out.insert(
                    e.path().strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(e.path()).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn check_errors(dir: &Path) -> String {
    let out = octa(&["check", s(dir)]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains(" 0 errors"), "{}: {text}", dir.display());
    text
}

struct Relink {
    _t: tempfile::TempDir,
    set: PathBuf,
    from: PathBuf,
    kick: Vec<u8>,
    snare: Vec<u8>,
    tom: Vec<u8>,
    pad: Vec<u8>,
    local: Vec<u8>,
}

/// P1 and P2 have missing files that the set or the --from folder holds; P3 has one whose
/// name matches two different files.
fn relink_fixture() -> Relink {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    let a = set.join("AUDIO");
    let kick = wav(&a.join("drums/kick.wav"), 500, 1);
    let tom = wav(&a.join("t1/tom.wav"), 400, 3);
    wav(&a.join("toms/deep/tom.wav"), 400, 3); // identical: not ambiguous
    wav(&a.join("a/hat.wav"), 300, 4);
    wav(&a.join("b/hat.wav"), 300, 5); // different: ambiguous
    let local = wav(&a.join("x/local.wav"), 200, 6);
    let from = t.path().join("backup");
    let pad = wav(&from.join("pads/pad.wav"), 600, 7);
    project(
        &set.join("P1"),
        &[
            (SlotRef::Flex(1), "../AUDIO/kick.wav"),
            (SlotRef::Flex(2), "../AUDIO/snare.wav"),
            (SlotRef::Flex(4), "../AUDIO/tom.wav"),
            (SlotRef::Static(1), "../AUDIO/pad.wav"),
        ],
    );
    project(&set.join("P2"), &[(SlotRef::Static(2), "local.wav")]);
    let snare = wav(&set.join("P2/snare.wav"), 700, 2); // another project's folder
    project(&set.join("P3"), &[(SlotRef::Flex(3), "../AUDIO/hat.wav")]);
    Relink {
        _t: t,
        set,
        from,
        kick,
        snare,
        tom,
        pad,
        local,
    }
}

#[test]
fn relink_shows_the_plan_then_points_each_missing_slot_at_its_file() {
    let f = relink_fixture();
    let (set, p1, p2, p3) = (&f.set, f.set.join("P1"), f.set.join("P2"), f.set.join("P3"));
    let before = snapshot(set);
    // Without --from: the pad is not found, the rest is planned; nothing written.
    let out = octa(&["pool", s(set), "--relink"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("would point P1 Flex 1: ../AUDIO/kick.wav -> ../AUDIO/drums/kick.wav"),
        "{text}"
    );
    assert!(
        text.contains("would point P1 Flex 4: ../AUDIO/tom.wav -> ../AUDIO/t1/tom.wav"),
        "{text}"
    );
    assert!(
        text.contains("would point P2 Static 2: local.wav -> ../AUDIO/x/local.wav"),
        "{text}"
    );
    assert!(
        text.contains("../AUDIO/pad.wav: no file of that name found"),
        "{text}"
    );
    assert!(
        text.contains("ambiguous P3 Flex 3: ../AUDIO/hat.wav (not changed)"),
        "{text}"
    );
    assert!(text.contains("4 slots, 1 copies, 1 ambiguous"), "{text}");
    assert!(text.contains("nothing written"), "{text}");
    assert_eq!(snapshot(set), before);

    // With --from and --yes.
    let out = octa(&["pool", s(set), "--relink", "--from", s(&f.from), "--yes"]);
    assert!(out.status.success(), "{out:?}");
    let want = [
        (&p1, SlotRef::Flex(1), "../AUDIO/drums/kick.wav", &f.kick),
        // From another project's folder (not reachable): copied back into the pool.
        (&p1, SlotRef::Flex(2), "../AUDIO/snare.wav", &f.snare),
        (&p1, SlotRef::Flex(4), "../AUDIO/t1/tom.wav", &f.tom),
        // From --from: copied into the pool where it was missing.
        (&p1, SlotRef::Static(1), "../AUDIO/pad.wav", &f.pad),
        (&p2, SlotRef::Static(2), "../AUDIO/x/local.wav", &f.local),
    ];
    for (dir, sl, path, hash) in want {
        assert_eq!(
            slot(dir, sl),
            (path.to_string(), Some(hash.clone())),
            "{sl}"
        );
    }
    assert_eq!(sha(&set.join("AUDIO/snare.wav")), f.snare);
    assert_eq!(sha(&set.join("AUDIO/pad.wav")), f.pad);
    // The ambiguous slot is left alone.
    assert_eq!(
        slot(&p3, SlotRef::Flex(3)),
        ("../AUDIO/hat.wav".into(), None)
    );
    // Backups of the replaced project files exist; the checks find nothing wrong.
    for d in [&p1, &p2] {
        assert!(
            d.join(".octa-backup").is_dir(),
            "no backup in {}",
            d.display()
        );
    }
    assert!(!p3.join(".octa-backup").exists());
    check_errors(&p1);
    check_errors(&p2);
    // A second run has nothing left to do but the ambiguity.
    let plan = pool_fix::relink_plan(set, Some(&f.from)).unwrap();
    assert!(plan.changes.is_empty(), "{plan:?}");
    assert_eq!(plan.ambiguous.len(), 1);
    assert_eq!(
        plan.ambiguous[0].candidates,
        [
            set.join("AUDIO/a/hat.wav").canonicalize().unwrap(),
            set.join("AUDIO/b/hat.wav").canonicalize().unwrap()
        ]
        .iter()
        .map(|c| {
            // Candidates are listed as found (below the set as given).
            let rel = c
                .strip_prefix(set.canonicalize().unwrap())
                .unwrap()
                .to_path_buf();
            set.join(rel)
        })
        .collect::<Vec<_>>()
    );
}

#[test]
fn a_disk_failing_at_any_step_of_a_relink_leaves_the_set_as_it_was() {
    // The ops of a successful apply of P1's plan (one copy and project.work), counted once.
    let f = relink_fixture();
    let plan = pool_fix::relink_plan(&f.set, Some(&f.from)).unwrap();
    let ok = Recorder::new(Fault::None);
    with_recorder(&ok, || pool_fix::apply(&plan)).unwrap();
    let n = ok.ops().len();
    assert!(n > 10, "{:?}", ok.ops());
    // The set after a successful apply (backups aside: their names hold the time).
    let no_backups = |m: BTreeMap<PathBuf, Vec<u8>>| -> BTreeMap<PathBuf, Vec<u8>> {
        m.into_iter()
            .filter(|(k, _)| !k.to_string_lossy().contains(".octa-backup"))
            .collect()
    };
    let applied = no_backups(snapshot(&f.set));
    let mut failed = 0;
    for i in 0..n {
        let f = relink_fixture();
        let plan = pool_fix::relink_plan(&f.set, Some(&f.from)).unwrap();
        let before = snapshot(&f.set);
        let rec = Recorder::new(Fault::Once(i));
        let r = with_recorder(&rec, || pool_fix::apply(&plan));
        // A failure after the commit point leaves a journal: opening the project again
        // finishes or undoes it (as `octa` does on open).
        for p in ["P1", "P2"] {
            let dir = f.set.join(p);
            if octa::project::durable::interrupted(&dir) {
                octa::project::durable::recover(&dir).unwrap();
            }
        }
        let now = snapshot(&f.set);
        // Each project, with the copies it carries, is as it was or as applied: never half.
        let part = |m: &BTreeMap<PathBuf, Vec<u8>>, p1: bool| -> BTreeMap<PathBuf, Vec<u8>> {
            let mine = |k: &Path| {
                if p1 {
                    k.starts_with("P1") || k.starts_with("AUDIO")
                } else {
                    k.starts_with("P2")
                }
            };
            no_backups(m.clone())
                .into_iter()
                .filter(|(k, _)| mine(k))
                .collect()
        };
        for p1 in [true, false] {
            let (b, a, n) = (part(&before, p1), part(&applied, p1), part(&now, p1));
            assert!(
                n == b || n == a,
                "fault at op {i} ({:?}): {} half written: {:?}",
                rec.ops().last(),
                if p1 { "P1" } else { "P2" },
                n.keys().collect::<Vec<_>>()
            );
        }
        match r {
            Err(b) => {
                let e = &b.1;
                failed += 1;
                assert!(e.to_string().contains("injected"), "{e}");
            }
            Ok(_) => assert_eq!(no_backups(now), applied, "op {i}"),
        }
    }
    assert!(failed > n / 2, "{failed} of {n} faults failed the apply");
}

#[test]
fn dedupe_points_slots_at_one_copy_and_keeps_every_content() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    let a = set.join("AUDIO");
    let kick = wav(&a.join("kick.wav"), 500, 1);
    wav(&a.join("deep/dir/kick.wav"), 500, 1);
    let other = wav(&a.join("other.wav"), 500, 9);
    project(
        &set.join("P1"),
        &[
            (SlotRef::Flex(1), "kick_local.wav"),
            (SlotRef::Flex(2), "../AUDIO/deep/dir/kick.wav"),
            (SlotRef::Flex(3), "../AUDIO/kick.wav"),
            (SlotRef::Static(1), "../AUDIO/other.wav"),
        ],
    );
    wav(&set.join("P1/kick_local.wav"), 500, 1);
    project(
        &set.join("P2"),
        &[
            (SlotRef::Flex(1), "only_copy.wav"),
            (SlotRef::Flex(2), "only.wav"),
        ],
    );
    let only = wav(&set.join("P2/only.wav"), 300, 5);
    wav(&set.join("P2/only_copy.wav"), 300, 5);
    let files_before: Vec<PathBuf> = snapshot(&set).into_keys().collect();

    let out = octa(&["pool", s(&set), "--dedupe"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3 slots, 0 copies"), "{text}");
    let out = octa(&["pool", s(&set), "--dedupe", "--yes"]);
    assert!(out.status.success(), "{out:?}");
    let p1 = set.join("P1");
    let p2 = set.join("P2");
    for (dir, sl, path, hash) in [
        (&p1, SlotRef::Flex(1), "../AUDIO/kick.wav", &kick),
        (&p1, SlotRef::Flex(2), "../AUDIO/kick.wav", &kick),
        (&p1, SlotRef::Flex(3), "../AUDIO/kick.wav", &kick),
        (&p1, SlotRef::Static(1), "../AUDIO/other.wav", &other),
        // No copy in the pool: the shorter name in the project's folder.
        (&p2, SlotRef::Flex(1), "only.wav", &only),
        (&p2, SlotRef::Flex(2), "only.wav", &only),
    ] {
        assert_eq!(
            slot(dir, sl),
            (path.to_string(), Some(hash.clone())),
            "{sl}"
        );
    }
    // Every copy is still there (a purge moves them); the checks are clean.
    let files_after: Vec<PathBuf> = snapshot(&set)
        .into_keys()
        .filter(|k| files_before.contains(k))
        .collect();
    assert_eq!(files_after, files_before);
    check_errors(&p1);
    check_errors(&p2);
    // Now the extra copies are unused.
    let r = octa::project::pool::scan(&set).unwrap();
    let unused: Vec<String> = r
        .unused()
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(
        unused,
        [
            "AUDIO/deep/dir/kick.wav",
            "P1/kick_local.wav",
            "P2/only_copy.wav"
        ]
    );
}

#[test]
fn a_collected_project_moved_alone_still_plays_the_same_files() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    let a = set.join("AUDIO");
    let kick = wav(&a.join("drums/kick.wav"), 500, 1);
    let ot = octa::format::ot::SampleSettings::for_sample(500, 44_100).to_bytes();
    fs::write(a.join("drums/kick.ot"), &ot).unwrap();
    let snare = wav(&a.join("snare.wav"), 700, 2);
    let hat = wav(&a.join("hat.wav"), 300, 4);
    project(
        &set.join("P1"),
        &[
            (SlotRef::Flex(1), "../AUDIO/drums/kick.wav"),
            (SlotRef::Flex(2), "../AUDIO/snare.wav"),
            (SlotRef::Flex(3), "../AUDIO/hat.wav"),
            (SlotRef::Static(1), "local.wav"),
        ],
    );
    let p1 = set.join("P1");
    let local = wav(&p1.join("local.wav"), 200, 6);
    wav(&p1.join("snare.wav"), 100, 8); // a different file under the name: snare-2.wav
    fs::create_dir_all(p1.join("drums")).unwrap();
    fs::copy(a.join("drums/kick.wav"), p1.join("hat.wav")).unwrap(); // different from hat
    wav(&p1.join("hat-2.wav"), 300, 4); // identical to hat: reused
    let before = snapshot(&set);

    let out = octa(&["pool", s(&set), "--collect", "P1"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(snapshot(&set), before);
    let out = octa(&["pool", s(&set), "--collect", "P1", "--yes"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3 slots, 3 copies"), "{text}");
    let want = [
        (SlotRef::Flex(1), "drums/kick.wav", &kick),
        (SlotRef::Flex(2), "snare-2.wav", &snare),
        (SlotRef::Flex(3), "hat-2.wav", &hat),
        (SlotRef::Static(1), "local.wav", &local),
    ];
    for (sl, path, hash) in want {
        assert_eq!(
            slot(&p1, sl),
            (path.to_string(), Some(hash.clone())),
            "{sl}"
        );
    }
    assert_eq!(fs::read(p1.join("drums/kick.ot")).unwrap(), ot);
    // The pool is untouched.
    for (k, v) in &before {
        if k.starts_with("AUDIO") {
            assert_eq!(&fs::read(set.join(k)).unwrap(), v, "{k:?}");
        }
    }
    check_errors(&p1);

    // Moved alone, away from the set: every slot still plays the same bytes.
    let away = tempfile::tempdir().unwrap();
    let moved = away.path().join("P1");
    fs::rename(&p1, &moved).unwrap();
    for (sl, path, hash) in want {
        assert_eq!(
            slot(&moved, sl),
            (path.to_string(), Some(hash.clone())),
            "{sl}"
        );
    }
    check_errors(&moved);
}

#[test]
fn collect_to_pool_copies_project_files_into_audio() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    let kick = wav(&set.join("AUDIO/kick.wav"), 500, 1);
    project(
        &set.join("P1"),
        &[
            (SlotRef::Flex(1), "../AUDIO/kick.wav"),
            (SlotRef::Flex(2), "loops/loop.wav"),
        ],
    );
    let lp = wav(&set.join("P1/loops/loop.wav"), 900, 3);
    let out = octa(&["pool", s(&set), "--collect", "P1", "--to-pool", "--yes"]);
    assert!(out.status.success(), "{out:?}");
    let p1 = set.join("P1");
    assert_eq!(
        slot(&p1, SlotRef::Flex(1)),
        ("../AUDIO/kick.wav".into(), Some(kick))
    );
    assert_eq!(
        slot(&p1, SlotRef::Flex(2)),
        ("../AUDIO/loops/loop.wav".into(), Some(lp.clone()))
    );
    assert_eq!(sha(&set.join("AUDIO/loops/loop.wav")), lp);
    check_errors(&p1);
}

#[test]
fn yes_alone_and_a_missing_project_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    wav(&set.join("AUDIO/kick.wav"), 500, 1);
    project(&set.join("P1"), &[]);
    let out = octa(&["pool", s(&set), "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let out = octa(&["pool", s(&set), "--collect", "NOPE"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("NOPE"),
        "{out:?}"
    );
}
