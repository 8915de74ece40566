#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Every invalid argument is a usage error: exit code 2 and a message naming the value, before
//! anything is opened, played or written (the README's promise). Table-driven over the
//! arguments whose text has a shape or a range.

use std::process::Command;

#[test]
fn invalid_arguments_exit_2_naming_the_value() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("P");
    let p = p.to_str().unwrap();
    let wav = d.path().join("x.wav");
    let wav = wav.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        // librarian selection syntax
        (&["librarian", "export", "6-4", "x.syx"], "6-4"),
        (&["librarian", "export", "x", "x.syx"], "'x'"),
        (&["librarian", "export", "import:abc", "x.syx"], "import:N"),
        // fetch --bank is 1-based
        (&["librarian", "fetch", "DX7", "--bank", "0"], "0"),
        (
            &["librarian", "pin", "DX7", "--out", "0", "--channel", "0"],
            "0",
        ),
        // preview ranges
        (&["preview", wav, "--slice", "0"], "\"0\""),
        (&["preview", wav, "--slice", "65"], "\"65\""),
        (&["preview", wav, "--volume", "3"], "\"3\""),
        (&["preview", wav, "--volume=-1"], "\"-1\""),
        (&["preview", wav, "--pitch", "100"], "\"100\""),
        (&["preview", wav, "--pitch", "NaN"], "\"NaN\""),
        (&["preview", wav, "--loop", "--loops", "0"], "0"),
        (
            &["preview", wav, "--start", "100", "--end", "50"],
            "--end 50",
        ),
        // midi play
        (&["midi", "play", p, "--tempo", "500"], "\"500\""),
        (&["midi", "play", p, "--loops", "0"], "0"),
        (&["midi", "play", p, "--pattern", "0"], "\"0\""),
        (&["midi", "play", p, "--arrangement", "9"], "\"9\""),
        // bank letters, copy specs, slot assignments
        (&["dump", p, "--bank", "Q", "--pattern", "1"], "\"Q\""),
        (&["dump", p, "--bank", "A", "--pattern", "17"], "17"),
        (&["copy", &format!("{p}:A17"), &format!("{p}:A01")], "A17"),
        (&["slots", p, "--assign", "F0=kick.wav"], "F0=kick.wav"),
    ];
    for (args, names) in cases {
        let o = Command::new(env!("CARGO_BIN_EXE_octa"))
            .args(*args)
            .env("OCTA_DATA_DIR", d.path().join("data"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(names), "{args:?} names {names}: {err}");
    }
    assert!(
        !d.path().join("x.syx").exists() && !d.path().join("data").join("librarian.db").exists()
    );
}

/// A full stderr (`2>/dev/full`) never panics a command (exit 101): the error is lost, the
/// exit code stays the command's own.
#[test]
fn a_full_stderr_does_not_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        assert!(std::env::var_os("CI").is_none(), "/dev/full is missing");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("nope");
    let missing = missing.to_str().unwrap();
    let bad = d.path().join("bank01.work");
    std::fs::write(&bad, b"not a bank").unwrap();
    let bad = bad.to_str().unwrap();
    for (args, code) in [
        (&["info", missing][..], 1),
        (&["check", bad][..], 1),
        (&["dump", missing, "--bank", "A", "--pattern", "1"][..], 1),
        (
            &["resave", missing, d.path().join("out").to_str().unwrap()][..],
            1,
        ),
        (&["dump", missing, "--bank", "Q", "--pattern", "1"][..], 2),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_octa"))
            .args(args)
            .env("OCTA_DATA_DIR", d.path().join("data"))
            .stderr(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(code), "{args:?}");
    }
}
