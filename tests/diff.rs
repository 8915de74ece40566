#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa diff` on corpus projects copied to a temp dir, with single bytes changed by the test at
//! offsets taken from the format doc (`octatrack-formats.md` §4.5-4.10, §3).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Bank offsets (format doc §4.4-4.7): pattern `p` at 22 + p·36588, audio track `t` at +8 +
/// t·2338, step `s`'s 32-byte lock record at +98 + s·32.
fn lock_offset(pattern: usize, track: usize, step: usize, slot: usize) -> usize {
    22 + pattern * 36588 + 8 + track * 2338 + 98 + step * 32 + slot
}

/// AMP VOL is byte 15 of an audio lock record (§4.7: AMP = 12..17, ATK HOLD REL VOL BAL F).
const VOL: usize = 15;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// Two copies of hello-flex's project folder: (tempdir, a, b).
fn two_copies() -> Option<(tempfile::TempDir, PathBuf, PathBuf)> {
    let src = octa::testutil::corpus("ot/hello-flex/project")?;
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    copy_dir(&src, &a);
    copy_dir(&src, &b);
    Some((tmp, a, b))
}

fn diff(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .arg("diff")
        .args(args)
        .output()
        .unwrap()
}

fn lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.starts_with("--- ") && !l.starts_with("+++ "))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_project_against_itself_is_empty_and_exits_0() {
    let Some((_t, a, b)) = two_copies() else {
        return;
    };
    let o = diff(&[a.as_os_str(), b.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn one_changed_lock_byte_is_named_exactly() {
    let Some((_t, a, b)) = two_copies() else {
        return;
    };
    let bank = b.join("bank01.work");
    let mut bytes = std::fs::read(&bank).unwrap();
    // hello-flex A01 T1 step 1 carries a VOL lock shown +55: stored 119 (VOL shows value - 64)
    let o = lock_offset(0, 0, 0, VOL);
    assert_eq!(bytes[o], 119);
    bytes[o] = 64 - 10;
    std::fs::write(&bank, &bytes).unwrap();
    let out = diff(&[a.as_os_str(), b.as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let l = lines(&out);
    assert_eq!(
        l,
        vec![
            "A01 T1 step 1 lock VOL: +55 -> -10".to_string(),
            "file bank01 bytes differing: 0 -> 1".to_string(),
        ],
        "{l:#?}"
    );
    // --bank and --pattern narrow to the same line; another pattern shows nothing
    let out = diff(&[
        a.as_os_str(),
        b.as_os_str(),
        "--bank".as_ref(),
        "A".as_ref(),
        "--pattern".as_ref(),
        "1".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out), vec!["A01 T1 step 1 lock VOL: +55 -> -10"]);
    let out = diff(&[
        a.as_os_str(),
        b.as_os_str(),
        "--bank".as_ref(),
        "A".as_ref(),
        "--pattern".as_ref(),
        "2".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // two bank files compare the same way (the old one under a git temp file's name)
    let tmp_old = b.join("x1Y2z3_bank01.work");
    std::fs::copy(a.join("bank01.work"), &tmp_old).unwrap();
    let out = diff(&[tmp_old.as_os_str(), bank.as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        lines(&out),
        vec![
            "A01 T1 step 1 lock VOL: +55 -> -10",
            "file bytes differing: 0 -> 1"
        ]
    );
}

#[test]
fn a_changed_part_parameter_and_tempo_are_named() {
    let Some((_t, a, b)) = two_copies() else {
        return;
    };
    let bank = b.join("bank01.work");
    let mut bytes = std::fs::read(&bank).unwrap();
    // the first "PART" block is part 1's working copy (§4.10); T1's AMP page values at +291 + 6,
    // VOL the 4th of ATK HOLD REL VOL BAL F
    let part = bytes.windows(4).position(|w| w == b"PART").unwrap();
    let o = part + 291 + 6 + 3;
    let old = bytes[o];
    bytes[o] = if old == 100 { 101 } else { 100 };
    std::fs::write(&bank, &bytes).unwrap();
    // project.work: TEMPOx24=2976 (124 BPM) -> 3000 (125 BPM)
    let pw = b.join("project.work");
    let text = std::fs::read_to_string(&pw).unwrap();
    assert!(text.contains("TEMPOx24=2976\r\n"));
    std::fs::write(&pw, text.replace("TEMPOx24=2976\r\n", "TEMPOx24=3000\r\n")).unwrap();
    let out = diff(&[a.as_os_str(), b.as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let l = lines(&out);
    // VOL shows value - 64, signed, 0 without a sign
    let shown = |v: u8| match v as i32 - 64 {
        0 => "0".to_string(),
        d => format!("{d:+}"),
    };
    let want_part = format!("A part 1 T1 AMP VOL: {} -> {}", shown(old), shown(bytes[o]));
    assert!(l.contains(&want_part), "{want_part} not in {l:#?}");
    assert!(
        l.contains(&"project tempo: 124.0 BPM -> 125.0 BPM".to_string()),
        "{l:#?}"
    );
    assert!(
        l.contains(&"project SETTINGS TEMPOx24: 2976 -> 3000".to_string()),
        "{l:#?}"
    );
    assert!(l.contains(&"file bank01 bytes differing: 0 -> 1".to_string()));
    assert!(
        l.contains(&"file project bytes differing: 0 -> 4".to_string()),
        "{l:#?}"
    );
    assert_eq!(l.len(), 5, "{l:#?}");
    // the two project.work files alone (as git's external diff passes them: a temp file named
    // `XXXXXX_project.work`) name the same tempo
    let tmp_old = b.join("Ab12Cd_project.work");
    std::fs::copy(a.join("project.work"), &tmp_old).unwrap();
    let out = diff(&[tmp_old.as_os_str(), pw.as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        lines(&out),
        vec![
            "project tempo: 124.0 BPM -> 125.0 BPM",
            "project SETTINGS TEMPOx24: 2976 -> 3000",
            "file bytes differing: 0 -> 4"
        ]
    );
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    let Some((t, a, _b)) = two_copies() else {
        return;
    };
    let missing = t.path().join("no-such-project");
    let out = diff(&[a.as_os_str(), missing.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&*missing.to_string_lossy()), "{err}");
    assert!(out.stdout.is_empty());
    // a bank letter out of range is a usage error naming it
    let out = diff(&[
        a.as_os_str(),
        a.as_os_str(),
        "--bank".as_ref(),
        "Q".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains('Q'),
        "{out:?}"
    );
    // a bank file against a project folder
    let out = diff(&[a.join("bank01.work").as_os_str(), a.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // a truncated bank file names the file
    let short = t.path().join("bank02.work");
    std::fs::write(&short, b"FORM\0\0\0\0DPS1BANK").unwrap();
    let out = diff(&[a.join("bank02.work").as_os_str(), short.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&*short.to_string_lossy()),
        "{out:?}"
    );
    // --stored on a project that never saved its state
    let out = diff(&[a.as_os_str(), "--stored".as_ref()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains(".strd"));
}

#[test]
fn stored_state_against_work() {
    let Some((_t, a, _b)) = two_copies() else {
        return;
    };
    // SAVE PROJECT by hand: every .work copied to .strd, then one lock changed in the .work
    for e in std::fs::read_dir(&a).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "work") {
            std::fs::copy(&p, p.with_extension("strd")).unwrap();
        }
    }
    let out = diff(&[a.as_os_str(), "--stored".as_ref()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let bank = a.join("bank01.work");
    let mut bytes = std::fs::read(&bank).unwrap();
    bytes[lock_offset(0, 0, 0, VOL)] = 64;
    std::fs::write(&bank, &bytes).unwrap();
    let out = diff(&[a.as_os_str(), "--stored".as_ref()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        lines(&out),
        vec![
            "A01 T1 step 1 lock VOL: +55 -> 0",
            "file bank01 bytes differing: 0 -> 1"
        ]
    );
}

#[test]
fn a_changed_step_word_names_condition_micro_timing_and_retrigs() {
    let Some((_t, a, b)) = two_copies() else {
        return;
    };
    let bank = b.join("bank01.work");
    let mut bytes = std::fs::read(&bank).unwrap();
    // A01 T2 step 1 (a plain trig): its word at track + 2210 (§4.8); `34 81` = 2 trigs, FILL,
    // -23/384 (the doc's example from otio)
    let o = 22 + 8 + 2338 + 2210;
    assert_eq!(&bytes[o..o + 2], &[0, 0]);
    bytes[o] = 0x34;
    bytes[o + 1] = 0x81;
    std::fs::write(&bank, &bytes).unwrap();
    let out = diff(&[
        a.as_os_str(),
        b.as_os_str(),
        "--bank".as_ref(),
        "a".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        lines(&out),
        vec![
            "A01 T2 step 1 condition: (none) -> FILL",
            "A01 T2 step 1 micro-timing: (none) -> -23/384",
            "A01 T2 step 1 retrigs: (none) -> 2",
            "file bank01 bytes differing: 0 -> 2",
        ]
    );
}
