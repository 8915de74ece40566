#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Project folder names as the OS has them: two projects of a set whose names differ only in
//! bytes that are not UTF-8 stay two projects, and `--project` picks the one with that name.

use octa::project::{OpenOptions, Project};
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

/// A set with `P\xfe` (120 BPM, the corpus file) and `P\xff` (125 BPM).
fn set(root: &Path) -> Option<std::path::PathBuf> {
    let blank = octa::testutil::corpus("ot/blank-1.40B")?;
    let set = root.join("SET");
    for (name, tempo) in [
        (&b"P\xfe"[..], &b"TEMPOx24=2880"[..]),
        (b"P\xff", b"TEMPOx24=3000"),
    ] {
        let d = set.join(OsStr::from_bytes(name));
        fs::create_dir_all(&d).unwrap();
        for f in ["project.work", "bank01.work", "markers.work"] {
            fs::copy(blank.join(f), d.join(f)).unwrap();
        }
        let pw = d.join("project.work");
        let text = fs::read(&pw).unwrap();
        let at = text
            .windows(13)
            .position(|w| w == b"TEMPOx24=2880")
            .expect("the blank project is at 120 BPM");
        let mut t = text[..at].to_vec();
        t.extend_from_slice(tempo);
        t.extend_from_slice(&text[at + 13..]);
        fs::write(&pw, t).unwrap();
    }
    Some(set)
}

fn open(set: &Path, name: Option<&[u8]>) -> Project {
    Project::open(
        set,
        &OpenOptions {
            project: name.map(|n| OsStr::from_bytes(n).to_os_string()),
            read_only: true,
        },
    )
    .unwrap()
}

#[test]
fn names_differing_only_in_invalid_utf8_stay_two_projects() {
    let d = tempfile::tempdir().unwrap();
    let Some(set) = set(d.path()) else { return };
    let fe = open(&set, Some(b"P\xfe"));
    let ff = open(&set, Some(b"P\xff"));
    assert_eq!(fe.project_file().tempo_bpm(), Some(120.0));
    assert_eq!(ff.project_file().tempo_bpm(), Some(125.0));
    assert_eq!(fe.path().unwrap(), set.join(OsStr::from_bytes(b"P\xfe")));
    assert_eq!(ff.path().unwrap(), set.join(OsStr::from_bytes(b"P\xff")));
    // None: the first by real name.
    assert_eq!(open(&set, None).project_file().tempo_bpm(), Some(120.0));
    // Through the command line: `--project` takes the real name.
    let out = Command::new(env!("CARGO_BIN_EXE_octa"))
        .arg("info")
        .arg(&set)
        .arg("--project")
        .arg(OsStr::from_bytes(b"P\xff"))
        .env("OCTA_DATA_DIR", d.path().join("data"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("tempo: 125.000 BPM"), "{text}");
    // A name matching neither is refused, both listed.
    let e = Project::open(
        &set,
        &OpenOptions {
            project: Some("Q".into()),
            read_only: true,
        },
    )
    .unwrap_err()
    .to_string();
    assert_eq!(e.matches("P\u{FFFD}").count(), 2, "{e}");
}
