//! Zip archives of projects and sets: read into memory, write, export, import.
//!
//! Every entry name is checked before anything is used: an entry that is
//! absolute (`/x`, `C:\x`) or climbs out with `..` is rejected with an error
//! naming it, and an import writes nothing when any entry is rejected.
//!
//! Sizes are capped, whatever the headers say: an entry may unpack to at most [`MAX_ENTRY`]
//! bytes (and to no more than its header declares), a whole archive read into memory to at
//! most [`MAX_UNPACKED`] bytes. The declared sizes are checked before anything is inflated and
//! the bytes actually inflated are counted, since headers lie. [`ZipIndex`] reads entries on
//! demand, each bounded by the kind of file it is (`octa check` and opening a project read the
//! project's files, never the samples beside them).

use super::error::{ProjectError, Result};
use super::read::Limit;
use super::store;
use std::io::{Cursor, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Largest entry this layer unpacks: the largest file the device's FAT32 card can hold.
pub const MAX_ENTRY: u64 = u32::MAX as u64;

/// Largest total this layer unpacks from one archive (declared sizes and bytes inflated).
pub const MAX_UNPACKED: u64 = 1 << 30;

/// One file (or folder, name ending in `/`) of an archive, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Normalised name: `/`-separated, relative, no `.`/`..` components.
    pub name: String,
    /// Uncompressed content (empty for folders).
    pub data: Vec<u8>,
}

impl Entry {
    /// True for a folder entry.
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }
}

/// The safe, normalised form of an entry name, or `None` when it would land
/// outside the target folder (absolute, drive letter, `..`, NUL byte, empty).
pub fn safe_entry_name(raw: &str) -> Option<String> {
    if raw.contains('\0') {
        return None;
    }
    let s = raw.replace('\\', "/");
    if s.starts_with('/') || s.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let is_dir = s.ends_with('/');
    let mut parts = Vec::new();
    for c in s.split('/') {
        match c {
            "" | "." => {}
            ".." => return None,
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return None;
    }
    let mut name = parts.join("/");
    if is_dir {
        name.push('/');
    }
    Some(name)
}

fn zip_error(path: &Path, message: impl Into<String>) -> ProjectError {
    ProjectError::Zip {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// One entry of an archive as its central directory lists it (nothing inflated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    /// Normalised name ([`safe_entry_name`]); folders end in `/`.
    pub name: String,
    /// Size the header declares (unpacked).
    pub size: u64,
    index: usize,
}

impl EntryInfo {
    /// True for a folder entry.
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }
}

/// Lists an archive's entries: names checked ([`safe_entry_name`]; two entries with one name
/// are refused), declared sizes within [`MAX_ENTRY`] each and [`MAX_UNPACKED`] in all.
fn list_entries<R: Read + Seek>(path: &Path, zip: &zip::ZipArchive<R>) -> Result<Vec<EntryInfo>> {
    let mut out: Vec<EntryInfo> = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    let mut seen = std::collections::HashSet::new();
    for index in 0..zip.len() {
        let f = zip
            .by_index_data(index)
            .map_err(|e| zip_error(path, e.to_string()))?;
        let raw = match f.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(f.name_raw()).into_owned(),
        };
        let name = safe_entry_name(&raw).ok_or_else(|| ProjectError::UnsafeEntry {
            archive: path.to_path_buf(),
            entry: raw.clone(),
        })?;
        let size = if f.is_dir() { 0 } else { f.size() };
        if size > MAX_ENTRY {
            return Err(zip_error(
                path,
                format!(
                    "entry {raw:?} declares {size} bytes, more than the {MAX_ENTRY} bytes any file on the card can have; not read"
                ),
            ));
        }
        total = total.saturating_add(size);
        if total > MAX_UNPACKED {
            return Err(zip_error(
                path,
                format!(
                    "entries up to {raw:?} declare {total} bytes unpacked, more than the {MAX_UNPACKED} bytes octa unpacks from one archive; not read"
                ),
            ));
        }
        if !seen.insert(name.trim_end_matches('/').to_string()) {
            return Err(zip_error(
                path,
                format!("entry {raw:?}: a second entry with the name {name:?}; refused"),
            ));
        }
        out.push(EntryInfo { name, size, index });
    }
    Ok(out)
}

/// Inflates one entry, at most `max` bytes and never more than its header declares; adds the
/// bytes inflated to `unpacked` and fails past [`MAX_UNPACKED`].
fn inflate<R: Read + Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
    info: &EntryInfo,
    limit: Limit,
    unpacked: &AtomicU64,
) -> Result<Vec<u8>> {
    if info.is_dir() {
        return Ok(Vec::new());
    }
    let shown = &info.name;
    if info.size > limit.max {
        return Err(zip_error(
            path,
            format!(
                "entry {shown:?}: expected a {} of at most {} bytes, its header declares {} bytes; not read",
                limit.what, limit.max, info.size
            ),
        ));
    }
    let f = zip
        .by_index(info.index)
        .map_err(|e| zip_error(path, format!("entry {shown:?}: {e}")))?;
    let mut data = Vec::with_capacity(info.size as usize);
    f.take(info.size + 1)
        .read_to_end(&mut data)
        .map_err(|e| zip_error(path, format!("entry {shown:?}: {e}")))?;
    if data.len() as u64 > info.size {
        return Err(zip_error(
            path,
            format!(
                "entry {shown:?} inflates to more than the {} bytes its header declares; refused",
                info.size
            ),
        ));
    }
    let before = unpacked.fetch_add(data.len() as u64, Ordering::Relaxed);
    if before + data.len() as u64 > MAX_UNPACKED {
        return Err(zip_error(
            path,
            format!(
                "entry {shown:?}: more than {MAX_UNPACKED} bytes unpacked from this archive; refused"
            ),
        ));
    }
    Ok(data)
}

/// Reads every entry of a zip held in memory; `path` is for messages. Bounded: see the module doc.
pub fn read_zip(path: &Path, bytes: &[u8]) -> Result<Vec<Entry>> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(path, e.to_string()))?;
    let infos = list_entries(path, &zip)?;
    let unpacked = AtomicU64::new(0);
    let limit = Limit {
        max: MAX_ENTRY,
        what: "zip entry",
    };
    infos
        .into_iter()
        .map(|info| {
            let data = inflate(path, &mut zip, &info, limit, &unpacked)?;
            Ok(Entry {
                name: info.name,
                data,
            })
        })
        .collect()
}

/// An archive on disk whose entries are read on demand (only its central directory is read
/// when it is opened).
#[derive(Clone)]
pub struct ZipIndex {
    path: PathBuf,
    zip: Arc<Mutex<zip::ZipArchive<std::fs::File>>>,
    entries: Vec<EntryInfo>,
    unpacked: Arc<AtomicU64>,
    fingerprint: store::Fingerprint,
}

impl std::fmt::Debug for ZipIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZipIndex")
            .field("path", &self.path)
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl ZipIndex {
    /// Opens an archive (a regular file, see [`super::read`]) and checks its entry names and
    /// declared sizes.
    pub fn open(path: &Path) -> Result<ZipIndex> {
        let (file, len) = super::read::open_regular(path).map_err(|e| ProjectError::io(path, e))?;
        let zip = zip::ZipArchive::new(file).map_err(|e| zip_error(path, e.to_string()))?;
        let entries = list_entries(path, &zip)?;
        // What the archive was when opened: its length and the hash of its central directory
        // listing (names and sizes), enough to notice another tool rewriting it.
        let mut listing = len.to_le_bytes().to_vec();
        for e in &entries {
            listing.extend_from_slice(e.name.as_bytes());
            listing.extend_from_slice(&e.size.to_le_bytes());
        }
        Ok(ZipIndex {
            path: path.to_path_buf(),
            zip: Arc::new(Mutex::new(zip)),
            entries,
            unpacked: Arc::new(AtomicU64::new(0)),
            fingerprint: store::Fingerprint::of(&listing),
        })
    }

    /// The archive's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The entries, in archive order.
    pub fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    /// A fingerprint of the archive's length and listing when opened.
    pub fn fingerprint(&self) -> store::Fingerprint {
        self.fingerprint
    }

    /// The entry named `name` (case-insensitive, as the device's FAT card), if any.
    pub fn find(&self, name: &str) -> Option<&EntryInfo> {
        self.entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// Reads one entry, bounded by `limit` (and by what its header declares).
    pub fn read(&self, info: &EntryInfo, limit: Limit) -> Result<Vec<u8>> {
        let mut zip = self
            .zip
            .lock()
            .map_err(|_| zip_error(&self.path, "archive reader poisoned by a panic"))?;
        inflate(&self.path, &mut zip, info, limit, &self.unpacked)
    }

    /// Reads the entry named `name`; `None` when there is none.
    pub fn read_named(&self, name: &str, limit: Limit) -> Result<Option<Vec<u8>>> {
        match self.find(name) {
            Some(info) => self.read(&info.clone(), limit).map(Some),
            None => Ok(None),
        }
    }
}

/// Builds a zip (deflate) of the given entries, in order.
pub fn write_zip(path: &Path, entries: &[Entry]) -> Result<Vec<u8>> {
    let zerr = |e: zip::result::ZipError| ProjectError::Zip {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(
            entries
                .iter()
                .any(|e| e.data.len() as u64 >= u32::MAX as u64),
        );
    for e in entries {
        if e.is_dir() {
            w.add_directory(e.name.trim_end_matches('/'), opts)
                .map_err(zerr)?;
        } else {
            w.start_file(e.name.as_str(), opts).map_err(zerr)?;
            w.write_all(&e.data)
                .map_err(|err| ProjectError::io(path, err))?;
        }
    }
    Ok(w.finish().map_err(zerr)?.into_inner())
}

/// Collects a folder tree as entries named `<prefix><relative path>`, skipping
/// octa's backup folders and temporary files. Sorted by name.
pub fn collect_dir(dir: &Path, prefix: &str) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    collect_into(dir, prefix, &mut out)?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn collect_into(dir: &Path, prefix: &str, out: &mut Vec<Entry>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| ProjectError::io(dir, e))?;
    for item in rd {
        let item = item.map_err(|e| ProjectError::io(dir, e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        if name == store::BACKUP_DIR || name.contains(".octa-tmp-") {
            continue;
        }
        let p = item.path();
        let ft = item.file_type().map_err(|e| ProjectError::io(&p, e))?;
        if ft.is_dir() {
            out.push(Entry {
                name: format!("{prefix}{name}/"),
                data: Vec::new(),
            });
            collect_into(&p, &format!("{prefix}{name}/"), out)?;
        } else if ft.is_file() {
            out.push(Entry {
                name: format!("{prefix}{name}"),
                data: store::read(&p)?,
            });
        }
    }
    Ok(())
}

/// Exports a project or set folder to a zip whose entries sit under the folder's name.
pub fn export_zip(dir: &Path, zip_path: &Path) -> Result<()> {
    let top = dir
        .canonicalize()
        .map_err(|e| ProjectError::io(dir, e))?
        .file_name()
        .map(|n| format!("{}/", n.to_string_lossy()))
        .unwrap_or_default();
    let mut entries = vec![Entry {
        name: top.clone(),
        data: Vec::new(),
    }];
    entries.extend(collect_dir(dir, &top)?);
    entries.retain(|e| !e.name.is_empty());
    let bytes = write_zip(zip_path, &entries)?;
    store::write_atomic(zip_path, &bytes)
}

/// Extracts a zip into `dir` (created when absent; must be empty or absent).
/// Every entry is checked first: nothing is written when one is unsafe.
/// Returns the files written.
pub fn import_zip(zip_path: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let bytes = store::read(zip_path)?;
    let entries = read_zip(zip_path, &bytes)?;
    if !store::is_free_target(dir)? {
        return Err(ProjectError::TargetExists {
            path: dir.to_path_buf(),
        });
    }
    extract(&entries, dir)
}

/// Writes entries below `dir` (names already checked by [`safe_entry_name`]).
pub fn extract(entries: &[Entry], dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    std::fs::create_dir_all(dir).map_err(|e| ProjectError::io(dir, e))?;
    for e in entries {
        let target = dir.join(e.name.trim_end_matches('/'));
        if e.is_dir() {
            std::fs::create_dir_all(&target).map_err(|err| ProjectError::io(&target, err))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|err| ProjectError::io(parent, err))?;
        }
        store::write_atomic(&target, &e.data)?;
        written.push(target);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outside_are_rejected() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "\\x",
            "C:\\x",
            "c:/x",
            "a\\..\\..\\x",
            "",
            "./",
            "a\0b",
            "a/..",
        ] {
            assert_eq!(safe_entry_name(bad), None, "{bad:?}");
        }
        assert_eq!(
            safe_entry_name("SET/P/./bank01.work").as_deref(),
            Some("SET/P/bank01.work")
        );
        assert_eq!(
            safe_entry_name("SET\\AUDIO\\").as_deref(),
            Some("SET/AUDIO/")
        );
    }

    #[test]
    fn zip_round_trip_and_slip() {
        let dir = tempfile::tempdir().unwrap();
        let z = dir.path().join("a.zip");
        let entries = vec![
            Entry {
                name: "P/".into(),
                data: vec![],
            },
            Entry {
                name: "P/project.work".into(),
                data: b"x\r\n".to_vec(),
            },
        ];
        let bytes = write_zip(&z, &entries).unwrap();
        assert_eq!(read_zip(&z, &bytes).unwrap(), entries);

        // a hand-built evil archive: names are written verbatim by the zip writer
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("ok.txt", o).unwrap();
        w.write_all(b"fine").unwrap();
        w.start_file("../evil.txt", o).unwrap();
        w.write_all(b"bad").unwrap();
        std::fs::write(&z, w.finish().unwrap().into_inner()).unwrap();
        let out = dir.path().join("out");
        let e = import_zip(&z, &out).unwrap_err().to_string();
        assert!(e.contains("../evil.txt") && e.contains("a.zip"), "{e}");
        assert!(!out.exists());
        assert!(!dir.path().join("evil.txt").exists());
    }
}
