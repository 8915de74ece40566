#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! End to end: the real binary in a pseudo-terminal, on a copy of a project. Keys add a trig, a
//! p-lock, a condition and micro-timing, save and quit; the saved bank must equal the original
//! with exactly those edits (made through the format module), and every other file is unchanged.

use octa::format::bank::Bank;
use octa::format::{MicroTiming, TrigCondition};
use std::time::Duration;

mod common;
#[path = "common/pty.rs"]
mod pty;

use pty::Session;

#[test]
fn edit_save_quit_in_a_pty() {
    let Some(src) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("HELLO");
    common::copy_dir(&src, &proj);
    let before: Vec<(String, Vec<u8>)> = std::fs::read_dir(&proj)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();

    let mut s = Session::start(&[proj.to_str().unwrap()], dir.path());
    assert!(
        s.wait_for("Bank A Pattern 01", 0),
        "the tracker did not start: {}",
        s.tail()
    );
    let keys: &[&[u8]] = &[
        b"\x1b[B", // down to step 2
        b" ",      // trig on T1 step 2 (cursor moves to step 3)
        b"\x1b[A", // back to step 2
        b"\x1b[C", // PCH column
        b"\x1b[C", // VOL column
        b"36\r",   // VOL +36 as the device shows it = stored 100; Enter commits, cursor moves on
        b"\x1b[A", // back to step 2
        b"\x1b[C", // COND column
        b"\x1bc",  // alt+c: condition prompt
        b"FILL\r", // FILL
        b"\x1b[C", // MIC column
        b"}}",     // micro-timing +2/384
        b"\x13",   // ctrl+s
        b"\x11",   // ctrl+q
    ];
    for k in keys {
        s.send(k);
        // Let each key arrive as its own read, so escape sequences are not merged.
        std::thread::sleep(Duration::from_millis(60));
    }
    assert_eq!(
        s.exited(),
        Some(true),
        "octa did not quit cleanly: {}",
        s.tail()
    );

    for (name, bytes) in &before {
        let now = std::fs::read(proj.join(name)).unwrap();
        if name == "bank01.work" {
            let (mut want, _) = Bank::from_bytes(bytes).unwrap();
            let t = &mut want.patterns[0].audio[0];
            t.trigs.set(1, true).unwrap();
            t.set_plock(1, 15, Some(100)).unwrap();
            t.set_condition(1, TrigCondition::Fill).unwrap();
            t.set_micro_timing(1, MicroTiming(2)).unwrap();
            assert_eq!(now, want.to_bytes(), "bank01 holds exactly the edits");
        } else {
            assert_eq!(&now, bytes, "{name} unchanged");
        }
    }
    // The folder holds the project's files and the backup folder, nothing else (no
    // temporary file left behind), and the backup keeps bank01 as it was before the save.
    let mut left: Vec<String> = std::fs::read_dir(&proj)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let mut want: Vec<String> = before.iter().map(|(n, _)| n.clone()).collect();
    want.push(".octa-backup".into());
    want.sort();
    assert_eq!(left, want);
    let old_bank01 = &before.iter().find(|(n, _)| n == "bank01.work").unwrap().1;
    let backups: Vec<Vec<u8>> = std::fs::read_dir(proj.join(".octa-backup"))
        .unwrap()
        .map(|e| e.unwrap().path().join("bank01.work"))
        .filter(|p| p.is_file())
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(backups, vec![old_bank01.clone()], "one backup of bank01");
}
