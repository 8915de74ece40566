#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Commands about a part of a project read only that part: `octa dump` one bank, `octa info` no
//! `.strd`. Shown by corrupting the files they must not read: the full open fails on them, the
//! partial one does not. A partly read project can never be written.

mod common;

use octa::project::{OpenOptions, Partial, Project, ProjectError};
use octa::testutil::corpus;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn octa(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-partial-test-data"),
        )
        .output()
        .expect("run octa")
}

fn run(args: &[&str], dir: &Path) -> Output {
    let mut a: Vec<&std::ffi::OsStr> = vec![args[0].as_ref(), dir.as_os_str()];
    a.extend(args[1..].iter().map(|s| std::ffi::OsStr::new(*s)));
    octa(&a)
}

/// hello-flex copied to a temp folder, or `None` without the corpus.
fn hello_flex() -> Option<tempfile::TempDir> {
    let src = corpus("ot/hello-flex/project")?;
    let t = tempfile::tempdir().unwrap();
    common::copy_dir(&src, t.path());
    Some(t)
}

const GARBAGE: &[u8] = b"this is not a bank file at all";

#[test]
fn dump_of_one_pattern_reads_only_its_bank() {
    let Some(t) = hello_flex() else { return };
    let clean = run(&["dump", "-b", "A", "-p", "1"], t.path());
    assert!(clean.status.success(), "{clean:?}");
    let before = String::from_utf8(clean.stdout).unwrap();
    assert!(before.contains("T1"), "a real grid: {before}");

    fs::write(t.path().join("bank07.work"), GARBAGE).unwrap();
    // The whole-project path does see the damage (so the dump below had something to avoid).
    let err = Project::open(t.path(), &OpenOptions::default()).unwrap_err();
    assert!(err.to_string().contains("bank07.work"), "{err}");

    let after = run(&["dump", "-b", "A", "-p", "1"], t.path());
    assert!(after.status.success(), "{after:?}");
    assert_eq!(String::from_utf8(after.stdout).unwrap(), before);

    // The damaged bank itself is still refused, naming the file.
    let bad = run(&["dump", "-b", "G", "-p", "1"], t.path());
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("bank07.work"),
        "{bad:?}"
    );
}

#[test]
fn info_reads_no_saved_state() {
    let Some(t) = hello_flex() else { return };
    let clean = run(&["info"], t.path());
    assert!(clean.status.success(), "{clean:?}");
    let before = String::from_utf8(clean.stdout).unwrap();
    assert!(before.contains("tempo: 124.000 BPM"), "{before}");

    fs::write(t.path().join("bank05.strd"), GARBAGE).unwrap();
    let err = Project::open(t.path(), &OpenOptions::default()).unwrap_err();
    assert!(err.to_string().contains("bank05.strd"), "{err}");

    let after = run(&["info"], t.path());
    assert!(after.status.success(), "{after:?}");
    assert_eq!(String::from_utf8(after.stdout).unwrap(), before);
}

#[test]
fn a_saved_state_is_still_opened_when_its_work_file_is_missing() {
    let Some(t) = hello_flex() else { return };
    fs::rename(t.path().join("bank01.work"), t.path().join("bank01.strd")).unwrap();
    let only = Partial {
        banks: vec![0],
        stored: false,
    };
    let p = Project::open_partial(t.path(), &OpenOptions::default(), &only).unwrap();
    let full = Project::open(t.path(), &OpenOptions::default()).unwrap();
    // Bank A has hello-flex's trigs, read from bank01.strd, not the device's blank bank.
    let trigs = |p: &Project| p.bank(0).pattern(0).map(|pt| pt.is_empty());
    assert_eq!(trigs(&p), Some(false));
    assert_eq!(trigs(&p), trigs(&full));
    let w: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|w| w.contains("bank01.work") && w.contains("opened from bank01.strd")),
        "{w:?}"
    );
}

#[test]
fn a_partly_read_project_is_never_written() {
    let Some(t) = hello_flex() else { return };
    let only = Partial {
        banks: vec![0],
        stored: false,
    };
    let before = common::tree(t.path());
    let mut p = Project::open_partial(t.path(), &OpenOptions::default(), &only).unwrap();
    assert!(p.is_partial());
    assert!(p.is_read_only());
    p.set_read_only(false);
    assert!(p.is_read_only(), "a partial project stays read-only");
    assert!(matches!(p.save(false), Err(ProjectError::ReadOnly { .. })));
    assert!(matches!(p.save(true), Err(ProjectError::ReadOnly { .. })));
    let other = tempfile::tempdir().unwrap();
    let target = other.path().join("copy");
    assert!(matches!(
        p.save_as(&target),
        Err(ProjectError::ReadOnly { .. })
    ));
    assert!(!target.exists(), "nothing written for the refused save-as");
    assert_eq!(common::tree(t.path()), before, "the project is unchanged");
}

#[test]
fn a_file_id_out_of_range_is_an_error_not_a_panic() {
    use octa::project::FileId;
    let mut p = Project::new_blank("x");
    assert_eq!(p.file_bytes(FileId::Bank(16), false), None);
    assert_eq!(p.file_bytes(FileId::Arrangement(8), true), None);
    let e = octa::project::state::reload_file(&mut p, FileId::Bank(99)).unwrap_err();
    assert!(e.to_string().contains("bank"), "{e}");
}
