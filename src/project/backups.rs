//! Backups you can use: list a project's backups, bring one back, prune old ones.
//!
//! Every save copies the files it replaces to `.octa-backup/<UTC stamp>/` beside them
//! (`YYYYMMDD-HHMMSS`, `-2`, `-3`, ... for saves within one second; see [`super::store`]). After
//! each save the backups of that folder are pruned by a [`PruneRule`]: the newest
//! `keep_last` are kept, and so is everything from the last `keep_days` days.

use super::durable::{self, Item, ProjectLock, Txn};
use super::error::{ProjectError, Result};
use super::store::{BACKUP_DIR, Backup};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Which backups survive pruning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PruneRule {
    /// The newest this many saves are kept.
    pub keep_last: usize,
    /// Every backup younger than this many days is kept.
    pub keep_days: u64,
}

impl Default for PruneRule {
    fn default() -> Self {
        Self {
            keep_last: 20,
            keep_days: 7,
        }
    }
}

static RULE: Mutex<Option<PruneRule>> = Mutex::new(None);

/// Sets the rule applied after each save in this process (from `config.toml`).
pub fn set_rule(rule: PruneRule) {
    match RULE.lock() {
        Ok(mut g) => *g = Some(rule),
        Err(p) => *p.into_inner() = Some(rule),
    }
}

/// The rule applied after each save.
pub fn rule() -> PruneRule {
    match RULE.lock() {
        Ok(g) => g.unwrap_or_default(),
        Err(p) => p.into_inner().unwrap_or_default(),
    }
}

/// One backup folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// Its name: the UTC stamp (`20261207-162400`, or `20261207-162400-2`).
    pub stamp: String,
    /// The folder.
    pub folder: PathBuf,
    /// Seconds since 1970 (UTC) the stamp stands for (`None` for a folder not named by octa).
    pub time: Option<u64>,
    /// The files it holds, sorted.
    pub files: Vec<String>,
}

impl BackupInfo {
    /// The time as `YYYY-MM-DD HH:MM:SS UTC`.
    pub fn when(&self) -> String {
        let s = &self.stamp;
        match (
            s.get(0..4),
            s.get(4..6),
            s.get(6..8),
            s.get(9..11),
            s.get(11..13),
            s.get(13..15),
        ) {
            (Some(y), Some(m), Some(d), Some(h), Some(mi), Some(se)) if self.time.is_some() => {
                format!("{y}-{m}-{d} {h}:{mi}:{se} UTC")
            }
            _ => s.clone(),
        }
    }
}

/// Seconds since 1970 of a stamp `YYYYMMDD-HHMMSS[-N]`.
pub fn parse_stamp(stamp: &str) -> Option<u64> {
    let b = stamp.as_bytes();
    if b.len() < 15 || b[8] != b'-' {
        return None;
    }
    if b.len() > 15 && (b[15] != b'-' || !stamp[16..].bytes().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = stamp.get(r)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, s) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + mi * 60 + s).ok()
}

/// The backups kept in `dir` (the folder holding the saved files), oldest first. With `only`,
/// only backups holding a file of that name (a zip's backups beside it).
pub fn list(dir: &Path, only: Option<&str>) -> Result<Vec<BackupInfo>> {
    let root = dir.join(BACKUP_DIR);
    let rd = match fs::read_dir(&root) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ProjectError::io(&root, e)),
    };
    let mut out = Vec::new();
    for e in rd {
        let e = e.map_err(|e| ProjectError::io(&root, e))?;
        if !e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            continue;
        }
        let stamp = e.file_name().to_string_lossy().into_owned();
        let folder = e.path();
        let mut files: Vec<String> = fs::read_dir(&folder)
            .map_err(|err| ProjectError::io(&folder, err))?
            .flatten()
            .filter(|f| f.file_type().map(|t| t.is_file()).unwrap_or(false))
            .map(|f| f.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.contains(durable::TMP_MARK))
            .collect();
        files.sort();
        if only.is_some_and(|o| !files.iter().any(|f| f == o)) {
            continue;
        }
        out.push(BackupInfo {
            time: parse_stamp(&stamp),
            stamp,
            folder,
            files,
        });
    }
    out.sort_by_key(|b| (b.time, stamp_n(&b.stamp)));
    Ok(out)
}

/// The `-N` of a stamp (1 without).
fn stamp_n(stamp: &str) -> u32 {
    stamp.get(16..).and_then(|n| n.parse().ok()).unwrap_or(1)
}

/// The backups `rule` removes at `now` (oldest first): all but the newest `keep_last`, except
/// those younger than `keep_days`. Folders not named by octa are never removed.
pub fn to_prune(backups: &[BackupInfo], rule: PruneRule, now: SystemTime) -> Vec<BackupInfo> {
    let now = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let horizon = now.saturating_sub(rule.keep_days.saturating_mul(86_400));
    let named: Vec<&BackupInfo> = backups.iter().filter(|b| b.time.is_some()).collect();
    let old = named.len().saturating_sub(rule.keep_last);
    named[..old]
        .iter()
        .filter(|b| b.time.is_some_and(|t| t < horizon))
        .map(|b| (*b).clone())
        .collect()
}

/// Removes the backups of `dir` that `rule` does not keep. Returns the folders removed.
pub fn prune(dir: &Path, rule: PruneRule, now: SystemTime) -> Result<Vec<PathBuf>> {
    let all = list(dir, None)?;
    let mut removed = Vec::new();
    for b in to_prune(&all, rule, now) {
        for f in &b.files {
            durable::remove_file(&b.folder.join(f))?;
        }
        durable::remove_dir(&b.folder)?;
        removed.push(b.folder);
    }
    Ok(removed)
}

/// Prunes after a save with the configured rule; a failure only leaves old backups in place.
pub fn prune_after_save(dir: &Path) -> Vec<PathBuf> {
    prune(dir, rule(), SystemTime::now()).unwrap_or_default()
}

/// Finds the backup named `stamp` (or the only one whose name starts with it).
pub fn find<'a>(backups: &'a [BackupInfo], stamp: &str, dir: &Path) -> Result<&'a BackupInfo> {
    if let Some(b) = backups.iter().find(|b| b.stamp == stamp) {
        return Ok(b);
    }
    let hits: Vec<&BackupInfo> = backups
        .iter()
        .filter(|b| b.stamp.starts_with(stamp))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        _ => Err(ProjectError::NotAProject {
            path: dir.join(BACKUP_DIR).join(stamp),
            reason: format!(
                "no single backup named {stamp:?} ({} backups; list them with `octa backups`)",
                backups.len()
            ),
        }),
    }
}

/// What a restore wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restored {
    /// Files brought back.
    pub written: Vec<PathBuf>,
    /// Backups of the files they replaced (the restore is itself a save).
    pub backups: Vec<PathBuf>,
}

/// Brings back every file of `backup` into `dir`, all or nothing, backing up the files it
/// replaces first (a restore is itself a save, and can be undone by restoring that backup).
pub fn restore(dir: &Path, backup: &BackupInfo) -> Result<Restored> {
    let _lock = ProjectLock::acquire(dir)?;
    let mut txn = Txn::new(Some(dir));
    let mut keep = Backup::new();
    let mut out = Restored::default();
    for f in &backup.files {
        if let Some(b) = keep.stage(&mut txn, &dir.join(f))? {
            out.backups.push(b);
        }
    }
    for f in &backup.files {
        let bytes = super::store::read(&backup.folder.join(f))?;
        let target = dir.join(f);
        txn.push(Item::replace(&target, bytes));
        out.written.push(target);
    }
    txn.commit()?;
    prune_after_save(dir);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stamps_parse_to_their_time() {
        // 2026-11-22 02:55:38 UTC, written independently of utc_stamp.
        assert_eq!(parse_stamp("20261122-025538"), Some(1_795_316_138));
        assert_eq!(parse_stamp("20261122-025538-3"), Some(1_795_316_138));
        assert_eq!(parse_stamp("20000229-120000"), Some(951_825_600));
        assert_eq!(parse_stamp("19700101-000000"), Some(0));
        assert_eq!(parse_stamp("manual"), None);
        assert_eq!(parse_stamp("20261322-025538"), None);
        assert_eq!(parse_stamp("20261122-025538x"), None);
    }

    fn info(stamp: &str) -> BackupInfo {
        BackupInfo {
            stamp: stamp.into(),
            folder: PathBuf::from(stamp),
            time: parse_stamp(stamp),
            files: vec![],
        }
    }

    #[test]
    fn prune_keeps_last_n_and_recent_days() {
        // now = 2026-12-10 00:00:00 UTC
        let now = UNIX_EPOCH + Duration::from_secs(parse_stamp("20261210-000000").unwrap());
        let all: Vec<BackupInfo> = [
            "20261101-000000",
            "20261101-000000-2",
            "20261102-000000",
            "20261202-235959", // 7 days + 1 s old: goes
            "20261203-000001", // younger than 7 days: stays
            "20261209-000000",
            "manual",
        ]
        .iter()
        .map(|s| info(s))
        .collect();
        let rule = PruneRule {
            keep_last: 2,
            keep_days: 7,
        };
        let gone: Vec<String> = to_prune(&all, rule, now)
            .into_iter()
            .map(|b| b.stamp)
            .collect();
        assert_eq!(
            gone,
            [
                "20261101-000000",
                "20261101-000000-2",
                "20261102-000000",
                "20261202-235959"
            ]
        );
        // keep_last protects old ones too.
        let rule = PruneRule {
            keep_last: 5,
            keep_days: 0,
        };
        let gone: Vec<String> = to_prune(&all, rule, now)
            .into_iter()
            .map(|b| b.stamp)
            .collect();
        assert_eq!(gone, ["20261101-000000"]);
        assert_eq!(
            PruneRule::default(),
            PruneRule {
                keep_last: 20,
                keep_days: 7
            }
        );
    }
}
