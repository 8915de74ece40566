#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Disk primitives (`src/project/store.rs`) against facts computed outside octa: fingerprints
//! by a reference implementation of the documented hash (Python, values below), backup stamps
//! by the calendar (Python's `datetime`, UTC), and the answers of the small file helpers.

use octa::project::store::{self, BACKUP_DIR, Backup, Fingerprint};
use std::fs;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[test]
fn fingerprints_match_the_reference_hash() {
    // h = 0xcbf29ce484222325 ^ len; per 8-byte little-endian word w: h = (rotl(h, 5) ^ w) * K;
    // per remaining byte the same; result h ^ (h >> 29), K = 0x517cc1b727220a95 (wrapping).
    let cases: [(&[u8], u64); 5] = [
        (b"", 0xcbf2_9ce2_dbb6_c401),
        (b"a", 0x1742_e706_62a7_4c6e),
        (b"octatrack", 0x3ac2_f715_777e_62a0),
        (
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
            0x6049_d352_f1a0_6b22,
        ),
        (&[0xff; 13], 0xbc10_b991_9587_ee4f),
    ];
    for (bytes, hash) in cases {
        let f = Fingerprint::of(bytes);
        assert_eq!(f.len, bytes.len() as u64, "{bytes:?}");
        assert_eq!(f.hash, hash, "{bytes:?}: {:#x}", f.hash);
    }
}

#[test]
fn backup_stamps_are_the_utc_calendar() {
    // (seconds since 1970, date and time in UTC), from Python's datetime.
    let cases = [
        (0, "19700101-000000"),
        (946_684_799, "19991231-235959"),
        (951_782_400, "20000229-000000"),
        (951_868_799, "20000229-235959"),
        (1_064_966_400, "20031001-000000"),
        (1_120_176_000, "20050701-000000"),
        (1_696_118_399, "20230930-235959"),
        (1_709_251_199, "20240229-235959"),
        (1_735_689_599, "20241231-235959"),
        (2_147_483_647, "20380119-031407"),
        (4_107_542_400, "21000301-000000"),
        (253_402_300_799, "99991231-235959"),
    ];
    for (secs, want) in cases {
        assert_eq!(
            store::utc_stamp(UNIX_EPOCH + Duration::from_secs(secs)),
            want,
            "{secs}"
        );
    }
    // before 1970: the epoch
    assert_eq!(
        store::utc_stamp(UNIX_EPOCH - Duration::from_secs(10)),
        "19700101-000000"
    );
}

#[test]
fn reads_and_fingerprints_on_disk() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("x.work");
    fs::write(&f, b"octatrack").unwrap();
    assert_eq!(store::read(&f).unwrap(), b"octatrack");
    assert_eq!(store::read_optional(&f).unwrap().unwrap(), b"octatrack");
    assert_eq!(
        store::fingerprint_on_disk(&f).unwrap(),
        Some(Fingerprint::of(b"octatrack"))
    );
    let absent = t.path().join("absent");
    assert_eq!(store::read_optional(&absent).unwrap(), None);
    assert_eq!(store::fingerprint_on_disk(&absent).unwrap(), None);
    let e = store::read(&absent).unwrap_err().to_string();
    assert!(e.contains(&absent.display().to_string()), "{e}");
    store::write_atomic(&f, b"new bytes").unwrap();
    assert_eq!(fs::read(&f).unwrap(), b"new bytes");
}

#[test]
fn free_targets() {
    let t = tempfile::tempdir().unwrap();
    assert!(store::is_free_target(&t.path().join("absent")).unwrap());
    assert!(store::is_free_target(t.path()).unwrap(), "empty folder");
    let file = t.path().join("file");
    fs::write(&file, b"x").unwrap();
    assert!(!store::is_free_target(t.path()).unwrap(), "holds a file");
    assert!(!store::is_free_target(&file).unwrap(), "a file");
    // any other error is an error naming the path (a name longer than 255 bytes)
    let long = t.path().join("x".repeat(300));
    let e = store::is_free_target(&long).unwrap_err().to_string();
    assert!(e.starts_with(&long.display().to_string()), "{e}");
}

#[test]
fn one_backup_folder_per_save_and_what_is_not_backed_up() {
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("bank01.work");
    let b = t.path().join("bank02.work");
    fs::write(&a, b"A").unwrap();
    fs::write(&b, b"B").unwrap();
    let mut backup = Backup::new();
    assert!(backup.folders().is_empty());
    let ka = backup.keep(&a).unwrap().unwrap();
    let kb = backup.keep(&b).unwrap().unwrap();
    assert_eq!(ka.parent(), kb.parent(), "one folder for the save");
    assert_eq!(ka.file_name().unwrap(), "bank01.work");
    assert_eq!(fs::read(&ka).unwrap(), b"A");
    assert_eq!(fs::read(&kb).unwrap(), b"B");
    assert_eq!(backup.folders(), &[ka.parent().unwrap().to_path_buf()]);
    assert_eq!(
        ka.parent().unwrap().parent().unwrap(),
        t.path().join(BACKUP_DIR)
    );
    // a folder and an absent file have nothing to keep
    let sub = t.path().join("sub");
    fs::create_dir(&sub).unwrap();
    assert_eq!(backup.keep(&sub).unwrap(), None);
    assert_eq!(backup.keep(&t.path().join("absent")).unwrap(), None);
    // a path that cannot be looked at is an error naming it
    let under_file = a.join("x");
    let e = backup.keep(&under_file).unwrap_err().to_string();
    assert!(e.starts_with(&under_file.display().to_string()), "{e}");
    assert_eq!(backup.folders().len(), 1);
}

/// The stamp `Backup::new()` takes, retried until the second did not change around it.
fn backup_with_known_stamp() -> (Backup, String) {
    loop {
        let before = store::utc_stamp(SystemTime::now());
        let b = Backup::new();
        if store::utc_stamp(SystemTime::now()) == before {
            return (b, before);
        }
    }
}

#[test]
fn a_thousand_taken_folders_for_one_second_are_the_limit() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("bank01.work");
    fs::write(&f, b"A").unwrap();
    let root = t.path().join(BACKUP_DIR);
    let (mut backup, stamp) = backup_with_known_stamp();
    fs::create_dir_all(root.join(&stamp)).unwrap();
    for n in 2..=999 {
        fs::create_dir(root.join(format!("{stamp}-{n}"))).unwrap();
    }
    // 999 taken: the 1000th is used
    let kept = backup.keep(&f).unwrap().unwrap();
    assert_eq!(kept, root.join(format!("{stamp}-1000")).join("bank01.work"));

    let g = t.path().join("other");
    fs::create_dir_all(&g).unwrap();
    let g_file = g.join("bank02.work");
    fs::write(&g_file, b"B").unwrap();
    let (mut backup, stamp) = backup_with_known_stamp();
    let groot = g.join(BACKUP_DIR);
    fs::create_dir_all(groot.join(&stamp)).unwrap();
    for n in 2..=1000 {
        fs::create_dir(groot.join(format!("{stamp}-{n}"))).unwrap();
    }
    // all 1000 taken: refused, naming the last folder tried; nothing written
    let e = backup.keep(&g_file).unwrap_err().to_string();
    let last = groot.join(format!("{stamp}-1000"));
    assert!(e.starts_with(&last.display().to_string()), "{e}");
    assert!(!groot.join(format!("{stamp}-1001")).exists());
    assert_eq!(fs::read_dir(&groot).unwrap().count(), 1000);
}
