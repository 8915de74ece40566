//! Zip archives of projects and sets: read into memory, write, export, import.
//!
//! Every entry name is checked before anything is used: an entry that is
//! absolute (`/x`, `C:\x`) or climbs out with `..` is rejected with an error
//! naming it, and an import writes nothing when any entry is rejected.

use super::error::{ProjectError, Result};
use super::store;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

/// Largest entry this layer reads (a set's AUDIO pool can be large, but not this large).
const MAX_ENTRY: u64 = 2 << 30;

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

/// Reads every entry of a zip held in memory; `path` is for messages.
pub fn read_zip(path: &Path, bytes: &[u8]) -> Result<Vec<Entry>> {
    let zerr = |e: zip::result::ZipError| ProjectError::Zip {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zerr)?;
    let mut out = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(zerr)?;
        let raw = String::from_utf8_lossy(f.name_raw()).into_owned();
        let name = safe_entry_name(&raw).ok_or_else(|| ProjectError::UnsafeEntry {
            archive: path.to_path_buf(),
            entry: raw.clone(),
        })?;
        let mut data = Vec::new();
        if !f.is_dir() {
            if f.size() > MAX_ENTRY {
                return Err(ProjectError::Zip {
                    path: path.to_path_buf(),
                    message: format!("entry {raw:?} is larger than {MAX_ENTRY} bytes"),
                });
            }
            (&mut f)
                .take(MAX_ENTRY)
                .read_to_end(&mut data)
                .map_err(|e| ProjectError::Zip {
                    path: path.to_path_buf(),
                    message: format!("entry {raw:?}: {e}"),
                })?;
        }
        out.push(Entry { name, data });
    }
    Ok(out)
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
