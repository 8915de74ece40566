#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The tracker's event loop in a pseudo-terminal: a 4 KB burst of keys is applied completely
//! without any further key, a lone Esc followed later by a key is read as two keys, and no
//! ALSA text reaches the terminal; `octa demo` without a terminal writes the demo and exits.

use octa::format::bank::Bank;
#[path = "common/pty.rs"]
mod pty;

use pty::Session;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn copy_project(tmp: &Path) -> Option<PathBuf> {
    let src = octa::testutil::corpus("ot/hello-flex/project")?;
    let proj = tmp.join("HELLO");
    std::fs::create_dir(&proj).unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), proj.join(e.file_name())).unwrap();
    }
    Some(proj)
}

#[test]
fn a_4k_burst_of_keys_is_applied_without_another_key() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(proj) = copy_project(tmp.path()) else {
        return;
    };
    let before = std::fs::read(proj.join("bank01.work")).unwrap();
    let mut s = Session::start(&[proj.to_str().unwrap()], tmp.path());
    assert!(s.wait_for("PCH", 0), "did not start: {}", s.tail());
    // Down to step 2, then up/down pairs (net nothing) until the burst passes 4 KB, then a
    // trig on T1 step 2, save and quit: all in one write.
    let mut burst: Vec<u8> = b"\x1b[B".to_vec();
    while burst.len() < 4096 {
        burst.extend_from_slice(b"\x1b[A\x1b[B");
    }
    burst.extend_from_slice(b" \x13\x11");
    assert!(burst.len() > 4096);
    s.send(&burst);
    // No further key: the tracker must save and quit on its own.
    assert_eq!(s.exited(), Some(true), "the burst stalled: {}", s.tail());
    let (mut want, _) = Bank::from_bytes(&before).unwrap();
    want.patterns[0].audio[0].trigs.set(1, true).unwrap();
    let now = std::fs::read(proj.join("bank01.work")).unwrap();
    assert_eq!(
        now,
        want.to_bytes(),
        "bank01 holds exactly the trig at T1 step 2"
    );
    assert!(!s.text().contains("ALSA lib"), "ALSA text on the screen");
}

#[test]
fn a_lone_esc_then_a_key_are_two_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = Session::start(&[], tmp.path());
    assert!(s.wait_for("PCH", 0), "did not start: {}", s.tail());
    let mark = s.text().len();
    // Esc alone, then (after the tracker has read it) `?`: Esc, then help opens. Read
    // together they would be alt+?, which does nothing.
    s.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(300));
    s.send(b"?");
    assert!(
        s.wait_for("Cursor to the next track", mark),
        "help did not open: {}",
        s.tail()
    );
    s.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(300));
    s.send(b"\x11");
    assert_eq!(s.exited(), Some(true), "{}", s.tail());
}

#[test]
fn demo_without_a_terminal_prints_the_project_path_and_exits() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .arg("demo")
        .arg(&dir)
        .env("OCTA_CONFIG_DIR", tmp.path().join("config"))
        .env("OCTA_DATA_DIR", tmp.path().join("data"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let project = dir.join("OCTA-DEMO");
    assert!(project.join("project.work").is_file());
    assert!(
        stdout.contains(&project.display().to_string()),
        "the path is printed: {stdout}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn no_alsa_text_from_audio_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("tone.wav");
    // A short 16-bit mono wav written here (44 byte header, 100 frames of silence).
    let frames = 100u32;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + frames * 2).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&44_100u32.to_le_bytes());
    b.extend_from_slice(&88_200u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(frames * 2).to_le_bytes());
    b.resize(b.len() + frames as usize * 2, 0);
    std::fs::write(&wav, &b).unwrap();
    for args in [
        vec!["audio", "devices"],
        vec!["preview", wav.to_str().unwrap()],
        vec!["midi", "ports"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
            .args(&args)
            .env("OCTA_CONFIG_DIR", tmp.path().join("config"))
            .env("OCTA_DATA_DIR", tmp.path().join("data"))
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("ALSA lib"), "{args:?}: {all}");
    }
}
