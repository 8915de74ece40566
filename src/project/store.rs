//! Disk primitives: fingerprints, atomic writes, backups.
//!
//! Writes go to a temporary file in the target's folder, are flushed to disk
//! (`fsync`), renamed over the target, and the folder is flushed too, so a
//! crash leaves either the old or the new file, never a mix.
//!
//! Backups: before a file is replaced, its previous content is copied to
//! `.octa-backup/<UTC timestamp>/<file name>` inside the file's folder (one
//! timestamped folder per save, `-2`, `-3`, ... for saves within one second). Old backups
//! are pruned after each save (see [`super::backups`]). The Octatrack ignores the folder.

use super::durable::{self, Item, Txn};
use super::error::{ProjectError, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Name of the backup folder kept beside saved files.
pub const BACKUP_DIR: &str = ".octa-backup";

/// What was read from a file: its length and a fast 64-bit hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    /// Length in bytes.
    pub len: u64,
    /// Non-cryptographic hash of the content.
    pub hash: u64,
}

impl Fingerprint {
    /// The fingerprint of some bytes.
    pub fn of(bytes: &[u8]) -> Self {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        Self {
            len: bytes.len() as u64,
            hash: h ^ (h >> 29),
        }
    }
}

/// Reads a whole file; `Ok(None)` when it does not exist. Bounded (see [`super::read`]): only
/// regular files, at most [`super::read::ANY`] bytes.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    super::read::read_optional(path, super::read::ANY)
}

/// Reads a whole file (bounded, see [`read_optional`]).
pub fn read(path: &Path) -> Result<Vec<u8>> {
    super::read::read(path, super::read::ANY)
}

/// The current on-disk fingerprint of a file (`None` when absent).
pub fn fingerprint_on_disk(path: &Path) -> Result<Option<Fingerprint>> {
    Ok(read_optional(path)?.map(|b| Fingerprint::of(&b)))
}

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename, fsync folder
/// (through the one write path, [`super::durable`]; a symlink is written through to its target).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    durable::write_file(path, bytes)
}

/// Flushes a folder's entries to disk (best effort: not every platform allows opening a folder).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// One save operation's backup folder, created on first use.
#[derive(Debug)]
pub struct Backup {
    stamp: String,
    created: Vec<PathBuf>,
}

impl Default for Backup {
    fn default() -> Self {
        Self::new()
    }
}

impl Backup {
    /// A backup named after the current UTC time.
    pub fn new() -> Self {
        Self {
            stamp: utc_stamp(SystemTime::now()),
            created: Vec::new(),
        }
    }

    /// Copies the current content of `path` (if it exists) into the backup folder beside it.
    /// Returns the copy's path.
    pub fn keep(&mut self, path: &Path) -> Result<Option<PathBuf>> {
        let mut txn = Txn::new(Some(&parent_dir(path)));
        let kept = self.stage(&mut txn, path)?;
        txn.commit()?;
        Ok(kept)
    }

    /// Adds to `txn` a copy of the current content of `path` (if it exists) in the backup folder
    /// beside it (creating the folder as part of `txn`). Returns the copy's path.
    pub fn stage(&mut self, txn: &mut Txn, path: &Path) -> Result<Option<PathBuf>> {
        let real = durable::write_target(path);
        match fs::metadata(&real) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(ProjectError::io(path, e)),
        }
        let folder = self.folder_for(txn, &parent_dir(path))?;
        let name = path.file_name().unwrap_or(path.as_os_str());
        let target = folder.join(name);
        txn.push(Item::copy_new(&target, &real));
        Ok(Some(target))
    }

    /// The backup folders this save created.
    pub fn folders(&self) -> &[PathBuf] {
        &self.created
    }

    fn folder_for(&mut self, txn: &mut Txn, dir: &Path) -> Result<PathBuf> {
        let root = dir.join(BACKUP_DIR);
        if let Some(f) = self
            .created
            .iter()
            .find(|f| f.parent() == Some(root.as_path()))
        {
            return Ok(f.clone());
        }
        let mut n = 1;
        loop {
            let name = if n == 1 {
                self.stamp.clone()
            } else {
                format!("{}-{n}", self.stamp)
            };
            let f = root.join(name);
            txn.create_dir_all(&root)?;
            match txn.create_dir(&f) {
                Ok(()) => {
                    self.created.push(f.clone());
                    return Ok(f);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(ProjectError::io(&f, e)),
            }
        }
    }
}

/// `YYYYMMDD-HHMMSS` in UTC.
pub fn utc_stamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// True when `dir` does not exist or is an empty folder.
pub fn is_free_target(dir: &Path) -> Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut it) => Ok(it.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Ok(false),
        Err(e) => Err(ProjectError::io(dir, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stamp_is_civil_utc() {
        // 2026-11-22 02:55:38 UTC
        let t = UNIX_EPOCH + Duration::from_secs(1_795_316_138);
        assert_eq!(utc_stamp(t), "20261122-025538");
        assert_eq!(utc_stamp(UNIX_EPOCH), "19700101-000000");
        // 2000-02-29 12:00:00
        let t = UNIX_EPOCH + Duration::from_secs(951_825_600);
        assert_eq!(utc_stamp(t), "20000229-120000");
    }

    #[test]
    fn fingerprint_sees_one_byte() {
        let a = vec![7u8; 1001];
        let mut b = a.clone();
        b[500] = 8;
        assert_ne!(Fingerprint::of(&a), Fingerprint::of(&b));
        assert_eq!(Fingerprint::of(&a), Fingerprint::of(&a.clone()));
        assert_ne!(Fingerprint::of(&a[..1000]), Fingerprint::of(&a));
    }

    #[test]
    fn atomic_write_and_backup() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bank01.work");
        write_atomic(&p, b"old").unwrap();
        let mut backup = Backup::new();
        let kept = backup.keep(&p).unwrap().unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read(&kept).unwrap(), b"old");
        assert!(kept.starts_with(dir.path().join(BACKUP_DIR)));
        // no temp file left behind
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(backup.keep(&dir.path().join("absent")).unwrap().is_none());
    }
}
