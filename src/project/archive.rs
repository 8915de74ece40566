//! Zip archives of projects and sets: read into memory, write, export, import.
//!
//! Every entry name is checked before anything is used: an entry that is
//! absolute (`/x`, `C:\x`) or climbs out with `..` is rejected with an error
//! naming it, and an import writes nothing when any entry is rejected.
//!
//! Sizes are capped, whatever the headers say: an entry may unpack to at most [`MAX_ENTRY`]
//! bytes (and to no more than its header declares), an archive to [`MAX_TOTAL`] bytes in all,
//! and an archive read whole into memory ([`read_zip`]) to [`MAX_UNPACKED`] bytes. The declared
//! sizes are checked before anything is inflated and the bytes actually inflated are counted,
//! since headers lie. [`ZipIndex`] reads entries on
//! demand, each bounded by the kind of file it is (`octa check` and opening a project read the
//! project's files, never the samples beside them).

use super::durable;
use super::error::{ProjectError, Result};
use super::read::Limit;
use super::store;
use std::io::{Cursor, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Largest entry this layer unpacks: the largest file the device's FAT32 card can hold.
pub const MAX_ENTRY: u64 = u32::MAX as u64;

/// Largest total the entries of one archive may declare (64 GiB).
pub const MAX_TOTAL: u64 = 64 << 30;

/// Largest total unpacked into memory from one archive read whole ([`read_zip`]): declared
/// sizes and bytes inflated.
pub const MAX_UNPACKED: u64 = 1 << 30;

/// One file (or folder, name ending in `/`) of an archive: in memory, or still in an archive
/// on disk and read on demand ([`Entry::read`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Normalised name: `/`-separated, relative, no `.`/`..` components.
    pub name: String,
    /// Uncompressed content (empty for folders, and for an entry whose content is `stored`).
    pub data: Vec<u8>,
    /// Where the content is while it has not been read: an entry of an archive on disk. Used
    /// only while `data` is empty (content set in `data` replaces it).
    pub stored: Option<Stored>,
}

/// An entry's content left in its archive on disk.
#[derive(Clone)]
pub struct Stored {
    index: ZipIndex,
    info: EntryInfo,
}

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.index.path.display(), self.info.name)
    }
}

impl PartialEq for Stored {
    fn eq(&self, o: &Self) -> bool {
        self.index.path == o.index.path && self.info == o.info
    }
}

impl Eq for Stored {}

impl Entry {
    /// An entry holding `data`.
    pub fn new(name: impl Into<String>, data: Vec<u8>) -> Entry {
        Entry {
            name: name.into(),
            data,
            stored: None,
        }
    }

    /// True for a folder entry.
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    /// The content: `data`, or the stored entry read now (bounded by `limit` and by the
    /// archive's caps).
    pub fn read(&self, limit: Limit) -> Result<std::borrow::Cow<'_, [u8]>> {
        match &self.stored {
            Some(s) if self.data.is_empty() && !self.is_dir() => {
                s.index.read(&s.info, limit).map(std::borrow::Cow::Owned)
            }
            _ => {
                if self.data.len() as u64 > limit.max {
                    return Err(ProjectError::io(
                        PathBuf::from(&self.name),
                        std::io::Error::new(
                            std::io::ErrorKind::FileTooLarge,
                            format!(
                                "expected {}, found {} bytes",
                                limit.expected(),
                                self.data.len()
                            ),
                        ),
                    ));
                }
                Ok(std::borrow::Cow::Borrowed(&self.data))
            }
        }
    }

    /// True when the entry exists with content still in its archive (not read).
    fn is_stored(&self) -> bool {
        self.stored.is_some() && self.data.is_empty() && !self.is_dir()
    }
}

/// Any entry: the largest file the card can hold.
const ANY_ENTRY: Limit = Limit {
    max: MAX_ENTRY,
    what: "zip entry",
    exact: false,
};

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
/// are refused), declared sizes within [`MAX_ENTRY`] each and `max_total` in all.
fn list_entries<R: Read + Seek>(
    path: &Path,
    zip: &zip::ZipArchive<R>,
    max_total: u64,
) -> Result<Vec<EntryInfo>> {
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
        if total > max_total {
            let into = if max_total == MAX_UNPACKED {
                " into memory"
            } else {
                ""
            };
            return Err(zip_error(
                path,
                format!(
                    "entries up to {raw:?} declare {total} bytes unpacked, more than the {max_total} bytes octa unpacks from one archive{into}; not read"
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
/// bytes inflated to `unpacked` and fails past `max_total`.
fn inflate<R: Read + Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
    info: &EntryInfo,
    limit: Limit,
    unpacked: &AtomicU64,
    max_total: u64,
) -> Result<Vec<u8>> {
    if info.is_dir() {
        return Ok(Vec::new());
    }
    let shown = &info.name;
    if info.size > limit.max {
        return Err(zip_error(
            path,
            format!(
                "entry {shown:?}: expected {}, its header declares {} bytes; not read",
                limit.expected(),
                info.size
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
    if before + data.len() as u64 > max_total {
        return Err(zip_error(
            path,
            format!(
                "entry {shown:?}: more than {max_total} bytes unpacked from this archive; refused"
            ),
        ));
    }
    Ok(data)
}

/// Reads every entry of a zip held in memory; `path` is for messages. Bounded: see the module doc.
pub fn read_zip(path: &Path, bytes: &[u8]) -> Result<Vec<Entry>> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(path, e.to_string()))?;
    let infos = list_entries(path, &zip, MAX_UNPACKED)?;
    let unpacked = AtomicU64::new(0);
    let limit = ANY_ENTRY;
    infos
        .into_iter()
        .map(|info| {
            let data = inflate(path, &mut zip, &info, limit, &unpacked, MAX_UNPACKED)?;
            Ok(Entry::new(info.name, data))
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
        let entries = list_entries(path, &zip, MAX_TOTAL)?;
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
        inflate(&self.path, &mut zip, info, limit, &self.unpacked, MAX_TOTAL)
    }

    /// Every entry, its content left in the archive (read on demand by [`Entry::read`]).
    pub fn lazy_entries(&self) -> Vec<Entry> {
        self.entries
            .iter()
            .map(|info| self.lazy_entry(info))
            .collect()
    }

    /// One entry, its content left in the archive (a zip written from it copies it as stored).
    pub fn lazy_entry(&self, info: &EntryInfo) -> Entry {
        Entry {
            name: info.name.clone(),
            data: Vec::new(),
            stored: Some(Stored {
                index: self.clone(),
                info: info.clone(),
            }),
        }
    }

    /// Reads the entry named `name`; `None` when there is none.
    pub fn read_named(&self, name: &str, limit: Limit) -> Result<Option<Vec<u8>>> {
        match self.find(name) {
            Some(info) => self.read(&info.clone(), limit).map(Some),
            None => Ok(None),
        }
    }
}

/// Builds a zip (deflate) of the given entries, in order. Entries still in an archive on disk
/// are copied as they are stored there (compressed), never inflated.
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
        } else if let (true, Some(s)) = (e.is_stored(), &e.stored) {
            let mut zip = s
                .index
                .zip
                .lock()
                .map_err(|_| zip_error(&s.index.path, "archive reader poisoned by a panic"))?;
            let f = zip
                .by_index_raw(s.info.index)
                .map_err(|err| zip_error(&s.index.path, format!("entry {:?}: {err}", e.name)))?;
            w.raw_copy_file_rename(f, e.name.as_str()).map_err(zerr)?;
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
        let p = item.path();
        // Zip names are text: a name that is not UTF-8 would merge with others once decoded.
        let name = item
            .file_name()
            .to_str()
            .ok_or_else(|| ProjectError::NotAProject {
                path: p.clone(),
                reason: "the name is not UTF-8 and cannot be stored in a zip as it is".into(),
            })?
            .to_string();
        if name == store::BACKUP_DIR || name.contains(".octa-tmp-") {
            continue;
        }
        let ft = item.file_type().map_err(|e| ProjectError::io(&p, e))?;
        if ft.is_dir() {
            out.push(Entry::new(format!("{prefix}{name}/"), Vec::new()));
            collect_into(&p, &format!("{prefix}{name}/"), out)?;
        } else if ft.is_file() {
            out.push(Entry::new(format!("{prefix}{name}"), store::read(&p)?));
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
    let mut entries = vec![Entry::new(top.clone(), Vec::new())];
    entries.extend(collect_dir(dir, &top)?);
    entries.retain(|e| !e.name.is_empty());
    let bytes = write_zip(zip_path, &entries)?;
    store::write_atomic(zip_path, &bytes)
}

/// Extracts a zip into `dir` (created when absent; must be empty or absent).
/// Every entry is checked first: nothing is written when one is unsafe.
/// Returns the files written. Entries are read one at a time (bounded by the archive's caps).
pub fn import_zip(zip_path: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = ZipIndex::open(zip_path)?.lazy_entries();
    if !store::is_free_target(dir)? {
        return Err(ProjectError::TargetExists {
            path: dir.to_path_buf(),
        });
    }
    extract(&entries, dir)
}

/// Writes entries below `dir` (names already checked by [`safe_entry_name`]), all or nothing:
/// every file is staged (entries read one at a time), then committed (see
/// [`super::durable::Txn`]); on a failure `dir` and the folders made for it are removed again.
pub fn extract(entries: &[Entry], dir: &Path) -> Result<Vec<PathBuf>> {
    let mut txn = durable::Txn::new(Some(dir));
    txn.create_dir_all(dir)?;
    for e in entries {
        let target = dir.join(e.name.trim_end_matches('/'));
        if e.is_dir() {
            txn.create_dir_all(&target)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            txn.create_dir_all(parent)?;
        }
        let entry = e.clone();
        let produce = durable::Producer(std::rc::Rc::new(move || {
            entry.read(ANY_ENTRY).map(|b| b.into_owned())
        }));
        txn.push(durable::Item::new_file(
            &target,
            durable::Content::Later(produce),
        ));
    }
    txn.commit()
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
            Entry::new("P/", vec![]),
            Entry::new("P/project.work", b"x\r\n".to_vec()),
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

    /// A zip of `n` one-byte entries `e0..`, each declaring `declared` bytes in its local and
    /// central headers.
    fn declaring(n: usize, declared: u32) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..n {
            w.start_file(format!("e{i:02}"), o).unwrap();
            w.write_all(b"z").unwrap();
        }
        let mut b = w.finish().unwrap().into_inner();
        for (sig, at) in [([0x50u8, 0x4b, 3, 4], 22), ([0x50, 0x4b, 1, 2], 24)] {
            for i in 0..b.len() - 4 {
                if b[i..i + 4] == sig {
                    b[i + at..i + at + 4].copy_from_slice(&declared.to_le_bytes());
                }
            }
        }
        b
    }

    #[test]
    fn declared_totals_are_capped_before_inflating() {
        let d = tempfile::tempdir().unwrap();
        let z = d.path().join("big.zip");
        // 17 entries of 4 GiB - 16 declared: 68 GiB, past the 64 GiB cap at the 17th
        std::fs::write(&z, declaring(17, u32::MAX - 15)).unwrap();
        let e = ZipIndex::open(&z).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}: zip archive: entries up to \"e16\" declare {} bytes unpacked, more than the 68719476736 bytes octa unpacks from one archive; not read",
                z.display(),
                17 * (u32::MAX as u64 - 15)
            )
        );
        // read whole into memory: 1 GiB in all
        let bytes = declaring(2, 600 << 20);
        let e = read_zip(&z, &bytes).unwrap_err().to_string();
        assert!(
            e.ends_with("entries up to \"e01\" declare 1258291200 bytes unpacked, more than the 1073741824 bytes octa unpacks from one archive into memory; not read"),
            "{e}"
        );
        // a header that declares less than the entry holds: stopped at the declared size
        let bytes = declaring(1, 0);
        let e = read_zip(&z, &bytes).unwrap_err().to_string();
        assert!(e.contains("entry \"e00\""), "{e}");
    }

    #[test]
    fn lazy_entries_are_read_on_demand_and_copied_raw() {
        let d = tempfile::tempdir().unwrap();
        let z = d.path().join("a.zip");
        let entries = vec![
            Entry::new("P/", vec![]),
            Entry::new("P/bank01.work", vec![7u8; 5000]),
            Entry::new("AUDIO/kick.wav", vec![1u8; 9000]),
        ];
        std::fs::write(&z, write_zip(&z, &entries).unwrap()).unwrap();
        let index = ZipIndex::open(&z).unwrap();
        let lazy = index.lazy_entries();
        assert!(lazy.iter().all(|e| e.data.is_empty()));
        let bank = Limit {
            max: 636_113,
            what: "bank file",
            exact: true,
        };
        assert_eq!(lazy[1].read(bank).unwrap().as_ref(), &[7u8; 5000][..]);
        let tiny = Limit {
            max: 832,
            what: ".ot sample settings file",
            exact: true,
        };
        let e = lazy[2].read(tiny).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}: zip archive: entry \"AUDIO/kick.wav\": expected a .ot sample settings file of 832 bytes, its header declares 9000 bytes; not read",
                z.display()
            )
        );
        // rewritten with one entry replaced: the others are copied as stored
        let mut out = lazy.clone();
        out[1].data = vec![8u8; 636_113];
        let z2 = d.path().join("b.zip");
        std::fs::write(&z2, write_zip(&z2, &out).unwrap()).unwrap();
        let back = read_zip(&z2, &std::fs::read(&z2).unwrap()).unwrap();
        assert_eq!(back[1].data, vec![8u8; 636_113]);
        assert_eq!(back[2].data, vec![1u8; 9000]);
        assert_eq!(back[0].name, "P/");
    }
}
