//! Listing the files under a path (a file, a folder tree, or a zip) for whole-tree commands.

use super::anyfile::Kind;
use super::archive;
use super::error::{ProjectError, Result};
use super::source::is_zip;
use super::store::{self, BACKUP_DIR};
use std::path::{Path, PathBuf};

/// Where an input came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// A single file.
    File,
    /// A folder tree.
    Dir,
    /// A zip archive.
    Zip,
}

/// One item found under the input path.
#[derive(Debug)]
pub struct Item {
    /// Path relative to the input (`/`-separated; the file name for a single file).
    pub rel: String,
    /// Path to show in messages (inside a zip: `archive.zip/entry`).
    pub display: PathBuf,
    /// What it is.
    pub content: Content,
}

/// The content of an [`Item`].
#[derive(Debug)]
pub enum Content {
    /// An Octatrack file (by name, or by header for a single file given explicitly).
    Ot(Kind, Vec<u8>),
    /// Any other file: its bytes (from a zip) or where to copy it from.
    Other(OtherSource),
    /// A folder.
    Dir,
    /// A folder named like an Octatrack file.
    DirNamedLikeFile(Kind),
    /// A `.work` / `.strd` file whose name and header match no Octatrack file.
    Unrecognized(Vec<u8>),
}

/// True for the `.work` / `.strd` extensions.
fn is_state_file(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".work") || l.ends_with(".strd")
}

/// Classifies a file's bytes by name, then (for `.work`/`.strd` or `sniff_any`) by header.
fn classify(name: &str, bytes: Vec<u8>, sniff_any: bool, path: &Path) -> Content {
    match Kind::from_name(name).or_else(|| Kind::sniff(&bytes)) {
        Some(k) => Content::Ot(k, bytes),
        None if is_state_file(name) || sniff_any => Content::Unrecognized(bytes),
        None if path.as_os_str().is_empty() => Content::Other(OtherSource::Bytes(bytes)),
        None => Content::Other(OtherSource::Path(path.to_path_buf())),
    }
}

/// Where a non-Octatrack file's bytes are.
#[derive(Debug)]
pub enum OtherSource {
    /// On disk.
    Path(PathBuf),
    /// In memory (from a zip).
    Bytes(Vec<u8>),
}

/// Everything under `path`, sorted by relative path. Octatrack files are read into memory;
/// other files on disk are only listed. Skips octa's backup folders.
pub fn walk(path: &Path) -> Result<(Root, Vec<Item>)> {
    let meta = std::fs::metadata(path).map_err(|e| ProjectError::io(path, e))?;
    if meta.is_dir() {
        let mut items = Vec::new();
        walk_dir(path, "", &mut items)?;
        items.sort_by(|a, b| a.rel.cmp(&b.rel));
        return Ok((Root::Dir, items));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if is_zip(path) {
        let bytes = store::read(path)?;
        let entries = archive::read_zip(path, &bytes)?;
        let items = entries
            .into_iter()
            .map(|e| {
                let display = path.join(&e.name);
                let base = e
                    .name
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                let content = match (e.is_dir(), Kind::from_name(base)) {
                    (true, Some(k)) => Content::DirNamedLikeFile(k),
                    (true, None) => Content::Dir,
                    (false, Some(k)) => Content::Ot(k, e.data),
                    (false, None) if is_state_file(base) => {
                        classify(base, e.data, false, Path::new(""))
                    }
                    (false, None) => Content::Other(OtherSource::Bytes(e.data)),
                };
                Item {
                    rel: e.name,
                    display,
                    content,
                }
            })
            .collect();
        return Ok((Root::Zip, items));
    }
    let bytes = store::read(path)?;
    let content = classify(&name, bytes, true, path);
    Ok((
        Root::File,
        vec![Item {
            rel: name,
            display: path.to_path_buf(),
            content,
        }],
    ))
}

fn walk_dir(dir: &Path, prefix: &str, out: &mut Vec<Item>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| ProjectError::io(dir, e))?;
    for item in rd {
        let item = item.map_err(|e| ProjectError::io(dir, e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        if name == BACKUP_DIR || name.contains(".octa-tmp-") {
            continue;
        }
        let p = item.path();
        let rel = format!("{prefix}{name}");
        let kind = Kind::from_name(&name);
        let ft = item.file_type().map_err(|e| ProjectError::io(&p, e))?;
        // symbolic links to folders are not followed (no cycles); links to files are read
        if ft.is_symlink() && p.is_dir() {
            continue;
        }
        if p.is_dir() {
            let content = match kind {
                Some(k) => Content::DirNamedLikeFile(k),
                None => Content::Dir,
            };
            out.push(Item {
                rel: format!("{rel}/"),
                display: p.clone(),
                content,
            });
            if kind.is_none() {
                walk_dir(&p, &format!("{rel}/"), out)?;
            }
        } else {
            let content = match kind {
                Some(k) => Content::Ot(k, store::read(&p)?),
                None if is_state_file(&name) => classify(&name, store::read(&p)?, false, &p),
                None => Content::Other(OtherSource::Path(p.clone())),
            };
            out.push(Item {
                rel,
                display: p,
                content,
            });
        }
    }
    Ok(())
}
