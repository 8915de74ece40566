#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `octa pool` (issue #17) on a generated set whose unused, missing and identical files are
//! known: the report lists exactly them; `--purge` shows a plan, moves exactly the unused files
//! (and an unused file's `.ot`) into the set's trash under their paths, leaves every used slot
//! resolving to the same bytes and `octa check` saying the same; a project that cannot be read
//! blocks the purge; a disk failing mid-purge loses no file.

use octa::format::slot_attrs::SlotRef;
use octa::project::durable::{Fault, Recorder, with_recorder};
use octa::project::pool::{self, PoolError};
use octa::project::{Project, slots};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A 44.1 kHz (or `rate`) 16-bit mono WAV of `frames` frames whose samples start at `seed`.
fn wav(path: &Path, rate: u32, frames: u32, seed: i16) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames {
        w.write_sample(seed.wrapping_add(i as i16)).unwrap();
    }
    w.finalize().unwrap();
}

fn project(dir: &Path, slots_: &[(SlotRef, &str)]) {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut p = Project::new_blank(&name);
    for (s, path) in slots_ {
        slots::assign(&mut p, *s, path, 1000, 44100).unwrap();
    }
    p.save_as(dir).unwrap();
}

/// The set: what is used, unused, missing and identical is written down here, independently
/// of the code under test.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    let a = set.join("AUDIO");
    wav(&a.join("drums/kick.wav"), 44_100, 500, 1);
    wav(&a.join("kick_copy.wav"), 44_100, 500, 1); // identical to kick, unused
    wav(&a.join("snare.wav"), 44_100, 700, 2);
    wav(&a.join("samesize.wav"), 44_100, 700, 3); // snare's size, other bytes, unused
    wav(&a.join("unused1.wav"), 44_100, 300, 4); // unused, with an .ot file
    fs::write(a.join("unused1.ot"), b"FORM-not-parsed").unwrap();
    wav(&a.join("sub/unused2.wav"), 48_000, 300, 5); // unused, 48 kHz: does not play
    project(
        &set.join("P1"),
        &[
            (SlotRef::Flex(1), "../AUDIO/drums/kick.wav"),
            (SlotRef::Flex(2), "../AUDIO/snare.wav"),
            (SlotRef::Static(1), "local.wav"),
            (SlotRef::Flex(3), "../AUDIO/gone.wav"), // missing
        ],
    );
    wav(&set.join("P1/local.wav"), 44_100, 200, 6);
    project(
        &set.join("P2"),
        &[(SlotRef::Static(2), "../AUDIO/drums/kick.wav")],
    );
    wav(&set.join("P2/rec.wav"), 44_100, 100, 7); // unused, in a project folder
    (t, set)
}

const UNUSED: [&str; 5] = [
    "AUDIO/kick_copy.wav",
    "AUDIO/samesize.wav",
    "AUDIO/sub/unused2.wav",
    "AUDIO/unused1.wav",
    "P2/rec.wav",
];

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

/// Every file below `dir`, relative.
fn tree(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeSet<String>) {
        for e in fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(root, &e.path(), out);
            } else {
                out.insert(
                    e.path()
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_report_names_exactly_the_unused_missing_and_identical_files() {
    let (_t, set) = fixture();
    let out = octa(&["pool", s(&set), "--json"]);
    assert!(out.status.success(), "{out:?}");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["projects"], serde_json::json!(["P1", "P2"]));
    let files = j["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "AUDIO/drums/kick.wav",
            "AUDIO/kick_copy.wav",
            "AUDIO/samesize.wav",
            "AUDIO/snare.wav",
            "AUDIO/sub/unused2.wav",
            "AUDIO/unused1.wav",
            "P1/local.wav",
            "P2/rec.wav",
        ]
    );
    let unused: Vec<&str> = files
        .iter()
        .filter(|f| f["users"].as_array().unwrap().is_empty())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(unused, UNUSED);
    let kick = &files[0];
    let users: Vec<(String, String)> = kick["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["project"].as_str().unwrap().to_string(),
                u["slot"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        users,
        [
            ("P1".to_string(), "Flex 1".to_string()),
            ("P2".to_string(), "Static 2".to_string())
        ]
    );
    assert_eq!(kick["facts"]["rate"], 44_100);
    assert_eq!(kick["facts"]["bits"], 16);
    assert_eq!(kick["facts"]["channels"], 1);
    assert_eq!(kick["facts"]["frames"], 500);
    assert_eq!(kick["bytes"], 44 + 1000);
    assert!(kick["issues"].as_array().unwrap().is_empty());
    let u2 = &files[4];
    assert_eq!(u2["facts"]["rate"], 48_000);
    assert_eq!(
        u2["issues"],
        serde_json::json!(["48000 Hz is not 44100 Hz"])
    );
    assert_eq!(
        j["missing"],
        serde_json::json!([{"project": "P1", "slot": "Flex 3", "path": "../AUDIO/gone.wav", "outside": false}])
    );
    assert_eq!(
        j["duplicates"],
        serde_json::json!([["AUDIO/drums/kick.wav", "AUDIO/kick_copy.wav"]])
    );
    // The text report says the same.
    let out = octa(&["pool", s(&set)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("unused: 5 files"), "{text}");
    assert!(
        text.contains("P1 Flex 3: ../AUDIO/gone.wav (missing)"),
        "{text}"
    );
    assert!(
        text.contains("identical: AUDIO/drums/kick.wav = AUDIO/kick_copy.wav"),
        "{text}"
    );
    assert!(
        text.contains("does not play: 48000 Hz is not 44100 Hz"),
        "{text}"
    );
}

#[test]
fn purge_shows_a_plan_then_moves_exactly_the_unused_files_to_the_trash() {
    let (_t, set) = fixture();
    let before = tree(&set);
    let checks: Vec<_> = ["P1", "P2"]
        .iter()
        .map(|p| octa(&["check", s(&set.join(p))]))
        .collect();
    assert!(
        String::from_utf8_lossy(&checks[1].stdout).contains(" 0 errors"),
        "{checks:?}"
    );
    let used_bytes = |set: &Path| {
        ["AUDIO/drums/kick.wav", "AUDIO/snare.wav", "P1/local.wav"]
            .map(|f| fs::read(set.join(f)).unwrap())
    };
    let used = used_bytes(&set);

    // Without --yes: the plan, nothing moved.
    let out = octa(&["pool", s(&set), "--purge"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("would move 6 files"), "{text}");
    for f in UNUSED.iter().chain(&["AUDIO/unused1.ot"]) {
        assert!(text.contains(f), "{f} not in the plan: {text}");
    }
    assert_eq!(tree(&set), before);

    let out = octa(&["pool", s(&set), "--purge", "--yes"]);
    assert!(out.status.success(), "{out:?}");
    let after = tree(&set);
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
    let mut expected: BTreeSet<String> = UNUSED.iter().map(|s| s.to_string()).collect();
    expected.insert("AUDIO/unused1.ot".into());
    assert_eq!(gone, expected);
    // Each in the trash under its path, same bytes.
    let trash = set.join(".octa-trash");
    let stamps: Vec<_> = fs::read_dir(&trash)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(stamps.len(), 1);
    let in_trash = tree(&stamps[0]);
    assert_eq!(in_trash, expected);
    let added: BTreeSet<String> = after.difference(&before).cloned().collect();
    assert_eq!(added.len(), expected.len(), "{added:?}");
    // Used files untouched; checks say the same; the pool has nothing unused left.
    assert_eq!(used_bytes(&set), used);
    for (p, c) in ["P1", "P2"].iter().zip(&checks) {
        let now = octa(&["check", s(&set.join(p))]);
        assert_eq!(now.status.code(), c.status.code(), "{p}");
        assert_eq!(now.stdout, c.stdout, "{p}");
    }
    let r = pool::scan(&set).unwrap();
    assert!(r.unused().is_empty());
    assert_eq!(r.missing.len(), 1);
    assert!(r.duplicates.is_empty());
}

#[test]
fn an_unreadable_project_blocks_the_purge() {
    let (_t, set) = fixture();
    fs::create_dir(set.join("P3")).unwrap();
    fs::write(set.join("P3/project.work"), b"not a project file").unwrap();
    let before = tree(&set);
    let r = pool::scan(&set).unwrap();
    assert_eq!(r.unreadable.len(), 1);
    let e = pool::purge_plan(&r).unwrap_err();
    assert!(matches!(e, PoolError::Unreadable { .. }));
    assert!(e.to_string().contains("P3"), "{e}");
    let out = octa(&["pool", s(&set), "--purge", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("P3"));
    assert_eq!(tree(&set), before);
}

#[test]
fn a_disk_failing_mid_purge_loses_no_file() {
    let (_t, set) = fixture();
    let before = tree(&set);
    let r = pool::scan(&set).unwrap();
    let plan = pool::purge_plan(&r).unwrap();
    // Fail the second rename: the first file is in the trash, the rest where they were.
    let ok = Recorder::new(Fault::None);
    let probe = tempfile::tempdir().unwrap();
    let probe_set = probe.path().join("SET");
    fs::create_dir_all(probe_set.join("AUDIO")).unwrap();
    fs::write(probe_set.join("AUDIO/a.wav"), b"a").unwrap();
    fs::write(probe_set.join("AUDIO/b.wav"), b"b").unwrap();
    with_recorder(&ok, || {
        pool::purge(
            &probe_set,
            &[PathBuf::from("AUDIO/a.wav"), PathBuf::from("AUDIO/b.wav")],
        )
    })
    .unwrap();
    let renames: Vec<usize> = ok
        .ops()
        .iter()
        .enumerate()
        .filter(|(_, o)| matches!(o, octa::project::durable::Op::RenameNoReplace(..)))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(renames.len(), 2);
    let rec = Recorder::new(Fault::Once(renames[1]));
    let (done, e) = with_recorder(&rec, || pool::purge(&set, &plan)).unwrap_err();
    assert_eq!(done.len(), 1);
    assert!(
        e.to_string()
            .contains(plan[1].file_name().unwrap().to_str().unwrap()),
        "{e}"
    );
    // Every file is either where it was or in the trash.
    let after = tree(&set);
    for f in &before {
        let trashed = after
            .iter()
            .any(|a| a.starts_with(".octa-trash/") && a.ends_with(f.as_str()));
        assert!(after.contains(f) || trashed, "{f} lost");
    }
}
