#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `octa slots --assign F3=foo.flac --convert` (issue #17): a sample the device cannot play is
//! converted into the set's AUDIO folder and the slot points at the 44.1 kHz WAV; without
//! --convert (and not on a terminal) a FLAC is refused with a hint and nothing is written.
//! Sources: the corpus's `square-44k1.flac` (22050 mono frames at 44.1 kHz) and
//! `sweep-48k-24bit-stereo.wav` (48000 frames at 48 kHz, so 44100 frames at 44.1 kHz).

use octa::format::slot_attrs::SlotRef;
use octa::project::{OpenOptions, Project};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn corpus(rel: &str) -> PathBuf {
    octa::testutil::corpus(rel).expect("corpus (set OCTA_CORPUS)")
}

fn octa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env("OCTA_CONFIG_DIR", "/nonexistent-octa-config")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn set() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    fs::create_dir_all(set.join("AUDIO/synth")).unwrap();
    fs::copy(
        corpus("audio/square-44k1.flac"),
        set.join("AUDIO/synth/foo.flac"),
    )
    .unwrap();
    fs::copy(
        corpus("audio/sweep-48k-24bit-stereo.wav"),
        set.join("AUDIO/sweep.wav"),
    )
    .unwrap();
    Project::new_blank("P1").save_as(&set.join("P1")).unwrap();
    (t, set)
}

#[test]
fn a_flac_is_refused_without_convert_and_nothing_is_written() {
    let (_t, set) = set();
    let p1 = set.join("P1");
    let before = fs::read(p1.join("project.work")).unwrap();
    let out = octa(&["slots", s(&p1), "--assign", "F3=synth/foo.flac"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("synth/foo.flac"), "{err}");
    assert!(err.contains("--convert"), "{err}");
    assert_eq!(fs::read(p1.join("project.work")).unwrap(), before);
    assert!(!set.join("AUDIO/synth/foo.wav").exists());
    // A dry run with --convert says what it would do and writes nothing.
    let out = octa(&[
        "slots",
        s(&p1),
        "--assign",
        "F3=synth/foo.flac",
        "--convert",
        "--dry-run",
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("would convert"),
        "{out:?}"
    );
    assert_eq!(fs::read(p1.join("project.work")).unwrap(), before);
    assert!(!set.join("AUDIO/synth/foo.wav").exists());
}

#[test]
fn convert_then_assign_points_the_slot_at_a_44k1_wav() {
    let (_t, set) = set();
    let p1 = set.join("P1");
    let out = octa(&[
        "slots",
        s(&p1),
        "--assign",
        "F3=synth/foo.flac",
        "--assign",
        "S1=sweep.wav",
        "--convert",
    ]);
    assert!(out.status.success(), "{out:?}");
    let p = Project::open(&p1, &OpenOptions::default()).unwrap();
    let f3 = p.project_file().slot(SlotRef::Flex(3)).unwrap();
    assert_eq!(f3.path, "../AUDIO/synth/foo.wav");
    let s1 = p.project_file().slot(SlotRef::Static(1)).unwrap();
    // Beside its source, which keeps its name.
    assert_eq!(s1.path, "../AUDIO/sweep-44k.wav");
    for (file, channels, frames) in [("synth/foo.wav", 1, 22_050), ("sweep-44k.wav", 2, 44_100)] {
        let r = hound::WavReader::open(set.join("AUDIO").join(file)).unwrap();
        let spec = r.spec();
        assert_eq!(spec.sample_rate, 44_100, "{file}");
        assert_eq!(spec.sample_format, hound::SampleFormat::Int, "{file}");
        assert_eq!(spec.channels, channels, "{file}");
        let n = r.duration() as i64;
        assert!(
            (n - frames).abs() <= 1,
            "{file}: {n} frames, expected {frames}"
        );
    }
    // The sources stay; the markers trim the converted length.
    assert!(set.join("AUDIO/synth/foo.flac").is_file());
    assert!(set.join("AUDIO/sweep.wav").is_file());
    let out = octa(&["check", s(&p1)]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(" 0 errors"),
        "{out:?}"
    );
    // Assigning it again does not replace the converted file: refused, naming it.
    let out = octa(&[
        "slots",
        s(&p1),
        "--assign",
        "F4=synth/foo.flac",
        "--convert",
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("foo.wav"),
        "{out:?}"
    );
}
