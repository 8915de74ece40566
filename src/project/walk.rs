//! Listing the files under a path (a file, a folder tree, or a zip) for whole-tree commands.

use super::anyfile::Kind;
use super::archive::{self, EntryInfo, ZipIndex};
use super::error::{ProjectError, Result};
use super::read;
use super::source::is_zip;
use super::store::BACKUP_DIR;
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
    /// Path relative to the input (`/`-separated; the file name for a single file), shown
    /// lossily: use [`Item::path`] to reach the file.
    pub rel: String,
    /// The same relative path as the OS has it (names that are not UTF-8 stay as they are).
    pub path: PathBuf,
    /// Path to show in messages (inside a zip: `archive.zip/entry`).
    pub display: PathBuf,
    /// What it is.
    pub content: Content,
}

/// The content of an [`Item`].
#[derive(Debug)]
pub enum Content {
    /// An Octatrack file (by name, or by header for a single file given explicitly); shared so
    /// that a parsed bank keeps views into it rather than a second copy.
    Ot(Kind, std::sync::Arc<Vec<u8>>),
    /// Any other file: where to read it from.
    Other(OtherSource),
    /// A folder.
    Dir,
    /// A folder named like an Octatrack file.
    DirNamedLikeFile(Kind),
    /// A `.work` / `.strd` file whose name and header match no Octatrack file.
    Unrecognized(Vec<u8>),
    /// A file that could not be read (the error names it: unreadable, dangling link, FIFO,
    /// device, larger than its kind can be).
    Unreadable(ProjectError),
}

/// True for the `.work` / `.strd` extensions.
fn is_state_file(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".work") || l.ends_with(".strd")
}

/// Classifies a file's bytes by name, then (for `.work`/`.strd` or `sniff_any`) by header.
fn classify(name: &str, bytes: Vec<u8>, sniff_any: bool, other: OtherSource) -> Content {
    match Kind::from_name(name).or_else(|| Kind::sniff(&bytes)) {
        Some(k) => Content::Ot(k, std::sync::Arc::new(bytes)),
        None if is_state_file(name) || sniff_any => Content::Unrecognized(bytes),
        None => Content::Other(other),
    }
}

/// Where a non-Octatrack file's bytes are.
#[derive(Debug, Clone)]
pub enum OtherSource {
    /// On disk.
    Path(PathBuf),
    /// An entry of a zip, read on demand.
    Zip(ZipIndex, EntryInfo),
}

impl OtherSource {
    /// Reads the file (bounded: [`read::ANY`]; a zip entry by the archive's caps).
    pub fn read(&self) -> Result<Vec<u8>> {
        match self {
            OtherSource::Path(p) => read::read(p, read::ANY),
            OtherSource::Zip(z, e) => z.read(
                e,
                read::Limit {
                    max: archive::MAX_ENTRY,
                    what: "zip entry",
                    exact: false,
                },
            ),
        }
    }
}

/// A state file's limit: its kind's, else the largest any Octatrack file can be.
fn state_limit(kind: Option<Kind>) -> read::Limit {
    kind.map_or(
        read::Limit {
            max: read::PROJECT_FILE_MAX.max(read::Limit::for_kind(Kind::Bank).max),
            what: "Octatrack file",
            exact: false,
        },
        read::Limit::for_kind,
    )
}

/// Everything under `path`, sorted by relative path. Octatrack files are read into memory
/// (bounded by their kind's size); other files, on disk or in a zip, are only listed. A file that
/// cannot be read is listed as [`Content::Unreadable`] and the walk goes on. Skips octa's backup
/// folders.
pub fn walk(path: &Path) -> Result<(Root, Vec<Item>)> {
    let meta = std::fs::metadata(path).map_err(|e| ProjectError::io(path, e))?;
    if meta.is_dir() {
        let mut items = Vec::new();
        walk_dir(path, Path::new(""), &mut items)?;
        items.sort_by(|a, b| a.path.cmp(&b.path));
        return Ok((Root::Dir, items));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if is_zip(path) {
        let index = ZipIndex::open(path)?;
        let items = index
            .entries()
            .iter()
            .map(|e| {
                let display = path.join(&e.name);
                let base = e
                    .name
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                let kind = Kind::from_name(base);
                let content = match (e.is_dir(), kind) {
                    (true, Some(k)) => Content::DirNamedLikeFile(k),
                    (true, None) => Content::Dir,
                    (false, Some(k)) => match index.read(e, read::Limit::for_kind(k)) {
                        Ok(bytes) => Content::Ot(k, std::sync::Arc::new(bytes)),
                        Err(err) => Content::Unreadable(err),
                    },
                    (false, None) if is_state_file(base) => {
                        match index.read(e, state_limit(None)) {
                            Ok(bytes) => classify(
                                base,
                                bytes,
                                false,
                                OtherSource::Zip(index.clone(), e.clone()),
                            ),
                            Err(err) => Content::Unreadable(err),
                        }
                    }
                    (false, None) => Content::Other(OtherSource::Zip(index.clone(), e.clone())),
                };
                Item {
                    rel: e.name.clone(),
                    path: PathBuf::from(&e.name),
                    display,
                    content,
                }
            })
            .collect();
        return Ok((Root::Zip, items));
    }
    let content = match read::read(path, state_limit(Kind::from_name(&name))) {
        Ok(bytes) => classify(&name, bytes, true, OtherSource::Path(path.to_path_buf())),
        Err(e) => return Err(e),
    };
    Ok((
        Root::File,
        vec![Item {
            rel: name,
            path: path.file_name().map(PathBuf::from).unwrap_or_default(),
            display: path.to_path_buf(),
            content,
        }],
    ))
}

fn walk_dir(dir: &Path, prefix: &Path, out: &mut Vec<Item>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| ProjectError::io(dir, e))?;
    for item in rd {
        let item = item.map_err(|e| ProjectError::io(dir, e))?;
        let os_name = item.file_name();
        let name = os_name.to_string_lossy().into_owned();
        if name == BACKUP_DIR || name.contains(".octa-tmp-") {
            continue;
        }
        let p = item.path();
        let rel_path = prefix.join(&os_name);
        let rel = rel_path.to_string_lossy().replace('\\', "/");
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
                path: rel_path.clone(),
                display: p.clone(),
                content,
            });
            if kind.is_none() {
                // a folder that cannot be listed is reported and the walk goes on
                if let Err(e) = walk_dir(&p, &rel_path, out) {
                    out.push(Item {
                        rel: format!("{rel}/"),
                        path: rel_path,
                        display: p,
                        content: Content::Unreadable(e),
                    });
                }
            }
        } else {
            let read_as = |limit| match read::read(&p, limit) {
                Ok(bytes) => Ok(bytes),
                Err(e) => Err(Content::Unreadable(e)),
            };
            let content = match kind {
                Some(k) => read_as(read::Limit::for_kind(k))
                    .map(|b| Content::Ot(k, std::sync::Arc::new(b)))
                    .unwrap_or_else(|c| c),
                None if is_state_file(&name) => read_as(state_limit(None))
                    .map(|b| classify(&name, b, false, OtherSource::Path(p.clone())))
                    .unwrap_or_else(|c| c),
                None => match read::open_regular(&p) {
                    Ok(_) => Content::Other(OtherSource::Path(p.clone())),
                    Err(e) => Content::Unreadable(ProjectError::io(&p, e)),
                },
            };
            out.push(Item {
                rel,
                path: rel_path,
                display: p,
                content,
            });
        }
    }
    Ok(())
}
