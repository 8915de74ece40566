#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa midi record` from a `file:` input (notes at known times) into an empty pattern of a
//! copy of a corpus project; the bank is read back to check trigs, notes and micro-timing.

mod common;

use octa::format::MicroTiming;
use octa::format::bank::{Bank, midi_slot};
use std::path::{Path, PathBuf};
use std::process::Command;

fn octa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_octa"));
    c.env("OCTA_CONFIG_DIR", "/nonexistent-octa-config");
    c
}

fn hello(tmp: &Path) -> Option<PathBuf> {
    let src = octa::testutil::corpus("ot/hello-flex/project")?;
    let dir = tmp.join("HELLO");
    common::copy_dir(&src, &dir);
    Some(dir)
}

/// Bank C (bank03.work), pattern 1: empty in hello-flex.
fn bank_c(dir: &Path) -> Bank {
    Bank::from_bytes(&std::fs::read(dir.join("bank03.work")).unwrap())
        .unwrap()
        .0
}

/// One step at 124 BPM (hello-flex's project tempo), in microseconds.
const STEP_US: f64 = 60e6 / 124.0 / 4.0;

fn at(steps: f64) -> u64 {
    (steps * STEP_US).round() as u64
}

#[test]
fn live_recording_from_a_file_quantizes_and_keeps_micro_timing() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    let before = bank_c(&dir);
    assert!(!(0..64).any(|s| before.patterns[0].audio[2].trigs.get(s)));
    // Notes (status 0x90: channel 1) at step 1, step 5 + 1/4 step, step 9 - 1/8 step and
    // step 13 exactly; each held 30 ms. 84 = C6 is the sample's own pitch (PTCH 64).
    let notes = [(0.0, 84u8), (4.25, 86), (7.875, 72), (12.0, 96)];
    let mut text = String::new();
    for (s, n) in notes {
        text.push_str(&format!("{} 90 {n:02X} 64\n", at(s)));
        text.push_str(&format!("{} 80 {n:02X} 00\n", at(s) + 30_000));
    }
    let input = tmp.path().join("take.cap");
    std::fs::write(&input, text).unwrap();
    let cap = tmp.path().join("thru.cap");
    let out = octa()
        .args(["midi", "record"])
        .arg(&dir)
        .args([
            "--bank",
            "C",
            "--pattern",
            "1",
            "--track",
            "T3",
            "--live",
            "--in",
        ])
        .arg(format!("file:{}", input.display()))
        .arg("--midi-out")
        .arg(format!("file:{}", cap.display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("recorded 4 note(s) into C01 T3: step(s) 1 5 9 13"),
        "{stdout}"
    );
    let after = bank_c(&dir);
    let t3 = &after.patterns[0].audio[2];
    let trigs: Vec<usize> = (0..64).filter(|&s| t3.trigs.get(s)).collect();
    assert_eq!(trigs, [0, 4, 8, 12]);
    // PTCH (lock slot 0) = 64 + semitones from C6; micro-timing in 1/24 step.
    assert_eq!(t3.plock(0, 0), Some(64));
    assert_eq!(t3.plock(4, 0), Some(66));
    assert_eq!(t3.plock(8, 0), Some(52));
    assert_eq!(t3.plock(12, 0), Some(76));
    assert_eq!(t3.micro_timing(0), MicroTiming(0));
    assert_eq!(t3.micro_timing(4), MicroTiming(6));
    assert_eq!(t3.micro_timing(8), MicroTiming(-3));
    assert_eq!(t3.micro_timing(12), MicroTiming(0));
    // Nothing else in the bank changed: the other 15 patterns and this pattern's other tracks.
    for p in 1..16 {
        assert!(after.patterns[p] == before.patterns[p], "pattern {p}");
    }
    for t in [0, 1, 3, 4, 5, 6, 7] {
        assert!(after.patterns[0].audio[t] == before.patterns[0].audio[t]);
    }
    // Thru: the notes went on to the device on T3's trig channel (hello-flex: 3, 0x92).
    let thru = octa::midi::capture::read(&cap).unwrap();
    let ons: Vec<u8> = thru
        .iter()
        .filter(|(_, b)| b[0] == 0x92)
        .map(|(_, b)| b[1])
        .collect();
    assert_eq!(ons, [84, 86, 72, 96], "{thru:?}");
}

#[test]
fn step_entry_writes_chords_on_a_midi_track() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    // A C major chord (held together), then D4 alone, then F4 on channel 2 (filtered out by
    // --channel 1), then F4 on channel 1.
    let input = tmp.path().join("steps.cap");
    std::fs::write(
        &input,
        "0 90 3C 50\n1000 90 40 50\n2000 90 43 50\n9000 80 3C 00\n9000 80 40 00\n9000 80 43 00\n\
         20000 90 3E 60\n21000 80 3E 00\n30000 91 41 70\n31000 81 41 00\n40000 90 41 70\n41000 80 41 00\n",
    )
    .unwrap();
    let out = octa()
        .args(["midi", "record"])
        .arg(&dir)
        .args([
            "--bank",
            "C",
            "--track",
            "M1",
            "--step",
            "--edit-step",
            "2",
            "--start",
            "3",
            "--channel",
            "1",
            "--midi-out",
            "file:/dev/null",
            "--in",
        ])
        .arg(format!("file:{}", input.display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("recorded 5 note(s) into C01 M1: step(s) 3 5 7"),
        "{stdout}"
    );
    let after = bank_c(&dir);
    let m1 = &after.patterns[0].midi[0];
    let trigs: Vec<usize> = (0..64).filter(|&s| m1.trigs.get(s)).collect();
    assert_eq!(trigs, [2, 4, 6]);
    let page = [48, 100, 6, 64, 64, 64];
    assert_eq!(m1.notes(2, page).notes, [60, 64, 67]);
    assert_eq!(m1.notes(4, page).notes, [62]);
    assert_eq!(m1.notes(6, page).notes, [65]);
    assert_eq!(m1.plock(2, midi_slot::VEL), Some(0x50));
    assert_eq!(m1.plock(6, midi_slot::VEL), Some(0x70));
}

#[test]
fn record_refuses_a_bad_input_before_starting() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    let before = std::fs::read(dir.join("bank03.work")).unwrap();
    let out = octa()
        .args(["midi", "record"])
        .arg(&dir)
        .args(["--bank", "C", "--track", "X9", "--in", "file:/nonexistent"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("expected a track T1..T8 or M1..M8"),
        "{out:?}"
    );
    let out = octa()
        .args(["midi", "record"])
        .arg(&dir)
        .args(["--bank", "C", "--in", "file:/nonexistent/take.cap"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("file:/nonexistent/take.cap"), "{stderr}");
    assert_eq!(std::fs::read(dir.join("bank03.work")).unwrap(), before);
}
