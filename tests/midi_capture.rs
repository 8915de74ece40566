#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa midi play` into the capture port (`--midi-out file:PATH`): what a corpus project
//! sends, on which channels and at which tempo, read back from the capture file.

use octa::midi::capture;
use std::process::Command;

fn octa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_octa"));
    c.env("OCTA_CONFIG_DIR", "/nonexistent-octa-config");
    c
}

/// `KEY=VALUE` of a project.work, read as text here (not through octa's parser).
fn project_value(text: &str, key: &str) -> i64 {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}=")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("project.work has no {key}"))
}

#[test]
fn play_into_a_capture_file_keeps_the_projects_tempo_and_channels() {
    let Some(project) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    let text = std::fs::read_to_string(project.join("project.work")).unwrap();
    // hello-flex: TEMPOx24=2976 (124 BPM), pattern tempo off, T2 trig channel 1 (0-based).
    let bpm = project_value(&text, "TEMPOx24") as f64 / 24.0;
    assert_eq!(bpm, 124.0);
    assert_eq!(project_value(&text, "PATTERN_TEMPO_ENABLED"), 0);
    let t2_channel = project_value(&text, "MIDI_TRIG_CH2") as u8;
    let t8_channel = project_value(&text, "MIDI_TRIG_CH8") as u8;
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("play.cap");
    let out = octa()
        .args(["midi", "play"])
        .arg(&project)
        .args(["--bank", "A", "--pattern", "1", "--midi-out"])
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
        stdout.starts_with(&format!(
            "playing A01 x1 at 124.00 BPM on file:{}",
            cap.display()
        )),
        "{stdout}"
    );
    let msgs = capture::read(&cap).unwrap();
    // T2 plays steps 1 3 6 8 11 13 15 without a condition (the dump of A01 shows them).
    let t2: Vec<u64> = msgs
        .iter()
        .filter(|(_, b)| b[0] == 0x90 | t2_channel && b[2] > 0)
        .map(|(t, _)| *t)
        .collect();
    let steps = [0u64, 2, 5, 7, 10, 12, 14];
    assert_eq!(t2.len(), steps.len(), "{msgs:?}");
    // Least-squares step length from the note-on times: 60 / 124 / 4 s = 120.97 ms.
    let n = steps.len() as f64;
    let (sx, sy) = (
        steps.iter().sum::<u64>() as f64,
        t2.iter().sum::<u64>() as f64,
    );
    let sxx: f64 = steps.iter().map(|s| (s * s) as f64).sum();
    let sxy: f64 = steps.iter().zip(&t2).map(|(s, t)| (*s * *t) as f64).sum();
    let step_us = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    let measured_bpm = 60e6 / (step_us * 4.0);
    assert!(
        (measured_bpm - 124.0).abs() < 1.5,
        "note-ons of T2 at {t2:?} us play {measured_bpm:.2} BPM, not 124"
    );
    // T8 plays step 1 on its own channel; every note on has its note off.
    assert!(
        msgs.iter()
            .any(|(_, b)| b[0] == 0x90 | t8_channel && b[2] > 0)
    );
    let ons = msgs.iter().filter(|(_, b)| b[0] & 0xF0 == 0x90).count();
    let offs = msgs.iter().filter(|(_, b)| b[0] & 0xF0 == 0x80).count();
    assert_eq!(ons, offs, "{msgs:?}");
    // Nothing goes to a channel that is neither a trig channel of a playing track nor unused:
    // hello-flex's A01 plays T1 T2 T3 T8 only.
    let used: Vec<u8> = [
        "MIDI_TRIG_CH1",
        "MIDI_TRIG_CH2",
        "MIDI_TRIG_CH3",
        "MIDI_TRIG_CH8",
    ]
    .iter()
    .map(|k| project_value(&text, k) as u8)
    .collect();
    assert!(
        msgs.iter()
            .filter(|(_, b)| b[0] < 0xF0)
            .all(|(_, b)| used.contains(&(b[0] & 0x0F))),
        "{msgs:?}"
    );
}

#[test]
fn a_capture_file_plays_back_as_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.cap");
    std::fs::write(&input, "0 92 54 64\n20000 82 54 00\n").unwrap();
    let out = octa()
        .args(["midi", "monitor", "--count", "2", "--midi-in"])
        .arg(format!("file:{}", input.display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.starts_with(&format!("listening on file:{}\n", input.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains("ch3  note on  C-6 (84) vel 100"),
        "{stdout}"
    );
    assert!(stdout.contains("ch3  note off"), "{stdout}");
    // A bad line is reported with the file and the line.
    std::fs::write(&input, "0 92 54 64\nnot a line\n").unwrap();
    let out = octa()
        .args(["midi", "monitor", "--midi-in"])
        .arg(format!("file:{}", input.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("line 2: expected microseconds, found 'not a line'"),
        "{stderr}"
    );
}
