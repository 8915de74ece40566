#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Backups (`src/project/backups.rs`): stamps read back against the calendar (seconds from
//! Python's `datetime`, UTC), the listing's order and filters, pruning at the exact horizon,
//! finding a backup by its name or a unique beginning, and the configured rule.

use octa::project::backups::{self, BackupInfo, PruneRule};
use octa::project::store::BACKUP_DIR;
use std::fs;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

#[test]
fn stamps_read_back_as_the_calendar_says() {
    let cases = [
        ("19700101-000000", 0),
        ("19700301-000000", 5_097_600),
        ("19991231-235959", 946_684_799),
        ("20000301-000000", 951_868_800),
        ("20240229-235960", 1_709_251_200), // a leap second reads as the next second
        ("20261122-235959", 1_795_391_999),
        ("20261231-120000", 1_798_718_400),
        ("20380119-031407", 2_147_483_647),
        ("21000301-000000", 4_107_542_400),
        ("20261122-235959-2", 1_795_391_999),
        ("20261122-235959-10", 1_795_391_999),
    ];
    for (s, secs) in cases {
        assert_eq!(backups::parse_stamp(s), Some(secs), "{s}");
    }
    for bad in [
        "2026112-235959",    // 14 characters
        "20261122_235959",   // no dash
        "20261122-235959x",  // something after the time that is not -N
        "20261122-235959-x", // -N not a number
        "20261122-2359590",  // a 16th digit
        "2026x122-235959",   // not digits
        "+0261122-235959",   // a sign is not a digit
        "20260022-235959",   // month 0
        "20261322-235959",   // month 13
        "20261100-235959",   // day 0
        "20261132-235959",   // day 32
        "20261122-240000",   // hour 24
        "20261122-236000",   // minute 60
        "20261122-235961",   // second 61
        "manual",
    ] {
        assert_eq!(backups::parse_stamp(bad), None, "{bad}");
    }
}

fn info(stamp: &str) -> BackupInfo {
    BackupInfo {
        stamp: stamp.into(),
        folder: stamp.into(),
        time: backups::parse_stamp(stamp),
        files: vec![],
    }
}

#[test]
fn when_is_the_stamp_as_a_date_or_the_folder_name() {
    assert_eq!(info("20261122-025538").when(), "2026-11-22 02:55:38 UTC");
    assert_eq!(info("20261122-025538-2").when(), "2026-11-22 02:55:38 UTC");
    // a folder not named by octa, long enough to be cut like a stamp: shown as it is
    assert_eq!(info("my-own-backup-folder").when(), "my-own-backup-folder");
    assert_eq!(info("manual").when(), "manual");
}

fn folder(root: &Path, name: &str, files: &[&str]) {
    let f = root.join(BACKUP_DIR).join(name);
    fs::create_dir_all(&f).unwrap();
    for n in files {
        fs::write(f.join(n), n.as_bytes()).unwrap();
    }
}

#[test]
fn the_listing_is_oldest_first_and_holds_only_backup_files() {
    let t = tempfile::tempdir().unwrap();
    assert_eq!(backups::list(t.path(), None).unwrap(), vec![]);
    let s = "20261122-025538";
    for name in [
        format!("{s}-11"),
        format!("{s}-2"),
        s.to_string(),
        format!("{s}-10"),
        format!("{s}-3"),
        "20261121-000000".to_string(),
    ] {
        folder(t.path(), &name, &["bank01.work"]);
    }
    folder(t.path(), "manual", &["project.work", "bank02.work"]);
    // not listed: a file among the folders; not files: a folder and a temp file in a backup
    fs::write(t.path().join(BACKUP_DIR).join("stray"), b"x").unwrap();
    fs::create_dir(t.path().join(BACKUP_DIR).join("manual/sub")).unwrap();
    fs::write(
        t.path()
            .join(BACKUP_DIR)
            .join("manual/.bank03.work.octa-tmp-1-1"),
        b"x",
    )
    .unwrap();
    let all = backups::list(t.path(), None).unwrap();
    let names: Vec<&str> = all.iter().map(|b| b.stamp.as_str()).collect();
    assert_eq!(
        names,
        [
            "manual",
            "20261121-000000",
            s,
            &format!("{s}-2"),
            &format!("{s}-3"),
            &format!("{s}-10"),
            &format!("{s}-11"),
        ]
    );
    assert_eq!(all[0].files, ["bank02.work", "project.work"]);
    assert_eq!(all[0].time, None);
    assert_eq!(all[1].time, Some(1_795_219_200));
    assert_eq!(
        all[1].folder,
        t.path().join(BACKUP_DIR).join("20261121-000000")
    );
    // only the backups holding a given file
    let only: Vec<String> = backups::list(t.path(), Some("project.work"))
        .unwrap()
        .into_iter()
        .map(|b| b.stamp)
        .collect();
    assert_eq!(only, ["manual"]);
    // a backup folder that is a file: an error naming it
    let u = tempfile::tempdir().unwrap();
    fs::write(u.path().join(BACKUP_DIR), b"x").unwrap();
    let e = backups::list(u.path(), None).unwrap_err().to_string();
    assert!(
        e.starts_with(&u.path().join(BACKUP_DIR).display().to_string()),
        "{e}"
    );
}

#[test]
fn pruning_keeps_a_backup_exactly_as_old_as_the_horizon() {
    let now = UNIX_EPOCH + Duration::from_secs(backups::parse_stamp("20261210-000000").unwrap());
    let all: Vec<BackupInfo> = ["20261203-000000", "20261202-235959", "20261209-000000"]
        .iter()
        .map(|s| info(s))
        .collect();
    let mut all = all;
    all.sort_by_key(|b| b.time);
    let rule = PruneRule {
        keep_last: 0,
        keep_days: 7,
    };
    let gone: Vec<String> = backups::to_prune(&all, rule, now)
        .into_iter()
        .map(|b| b.stamp)
        .collect();
    assert_eq!(gone, ["20261202-235959"], "exactly 7 days old stays");
}

#[test]
fn prune_removes_folders_and_the_configured_rule_applies_after_saves() {
    let t = tempfile::tempdir().unwrap();
    for s in ["20200101-000000", "20200102-000000", "20200103-000000"] {
        folder(t.path(), s, &["bank01.work"]);
    }
    folder(t.path(), "manual", &["bank01.work"]);
    let now = UNIX_EPOCH + Duration::from_secs(backups::parse_stamp("20261210-000000").unwrap());
    let rule = PruneRule {
        keep_last: 2,
        keep_days: 7,
    };
    let removed = backups::prune(t.path(), rule, now).unwrap();
    assert_eq!(
        removed,
        vec![t.path().join(BACKUP_DIR).join("20200101-000000")]
    );
    assert!(!removed[0].exists());
    assert_eq!(backups::list(t.path(), None).unwrap().len(), 3);

    // the rule set from config.toml is the one prune_after_save applies (the only test here
    // that sets it)
    assert_eq!(backups::rule(), PruneRule::default());
    let one = PruneRule {
        keep_last: 1,
        keep_days: 0,
    };
    backups::set_rule(one);
    assert_eq!(backups::rule(), one);
    let removed = backups::prune_after_save(t.path());
    assert_eq!(
        removed,
        vec![t.path().join(BACKUP_DIR).join("20200102-000000")]
    );
    let left: Vec<String> = backups::list(t.path(), None)
        .unwrap()
        .into_iter()
        .map(|b| b.stamp)
        .collect();
    assert_eq!(left, ["manual", "20200103-000000"]);
    backups::set_rule(PruneRule::default());
}

#[test]
fn find_by_name_or_unique_beginning() {
    let all: Vec<BackupInfo> = ["20261122-025538", "20261122-025538-2", "20261123-000000"]
        .iter()
        .map(|s| info(s))
        .collect();
    let dir = Path::new("/p");
    // an exact name wins over the names it begins
    assert_eq!(
        backups::find(&all, "20261122-025538", dir).unwrap().stamp,
        "20261122-025538"
    );
    assert_eq!(
        backups::find(&all, "20261123", dir).unwrap().stamp,
        "20261123-000000"
    );
    assert_eq!(
        backups::find(&all, "20261122-025538-", dir).unwrap().stamp,
        "20261122-025538-2"
    );
    let e = backups::find(&all, "202611", dir).unwrap_err().to_string();
    assert_eq!(
        e,
        "/p/.octa-backup/202611: not an Octatrack project, set or zip (no single backup named \
         \"202611\" (3 backups; list them with `octa backups`))"
    );
    assert!(backups::find(&all, "1999", dir).is_err());
}
