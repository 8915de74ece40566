//! Finding a project: a project folder, a set folder (projects + `AUDIO/`), or a zip of either.

use super::anyfile::Kind;
use super::archive::{self, Entry};
use super::error::{ProjectError, Result};
use super::read;
use super::store;
use std::path::{Path, PathBuf};

/// Where the files come from while opening.
#[derive(Debug, Clone)]
pub enum Tree {
    /// A folder on disk.
    Dir(PathBuf),
    /// A zip: its listing read, entries read on demand.
    Zip {
        /// The archive.
        path: PathBuf,
        /// Its entries (content read on demand).
        entries: Vec<Entry>,
        /// The archive's bytes when opened.
        fingerprint: store::Fingerprint,
    },
}

/// A project located inside a [`Tree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The project's folder: a path on disk, or a `/`-terminated prefix inside the zip (`""` at the root).
    pub dir: String,
    /// The project's name (its folder's name; the zip's stem at a zip's root).
    pub name: String,
    /// The set's audio pool (`AUDIO` beside the project), when present.
    pub audio: Option<String>,
    /// For a folder tree: the project folder on disk under the name the OS has for it (`dir`
    /// shows it lossily; two names differing only in bytes that are not UTF-8 stay apart).
    pub folder: Option<PathBuf>,
}

/// True for a zip file name.
pub fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

impl Tree {
    /// Opens a folder, or reads a zip into memory.
    pub fn open(path: &Path) -> Result<Tree> {
        let meta = std::fs::metadata(path).map_err(|e| ProjectError::io(path, e))?;
        if meta.is_dir() {
            return Ok(Tree::Dir(path.to_path_buf()));
        }
        if is_zip(path) {
            // Only the central directory is read: entries are read on demand, each bounded by
            // the kind of file it is (samples are not read to open a project).
            let index = archive::ZipIndex::open(path)?;
            return Ok(Tree::Zip {
                path: path.to_path_buf(),
                entries: index.lazy_entries(),
                fingerprint: read::fingerprint_file(path)?,
            });
        }
        Err(ProjectError::NotAProject {
            path: path.to_path_buf(),
            reason: "expected a folder or a .zip".into(),
        })
    }

    /// The path to show for a file inside the tree.
    pub fn display(&self, rel: &str) -> PathBuf {
        match self {
            Tree::Dir(d) => d.join(rel),
            Tree::Zip { path, .. } => path.join(rel),
        }
    }

    /// Reads a file (path relative to the tree's root, `/`-separated); `None` when absent.
    /// Bounded by the largest size a file of that name can have ([`read::Limit`]).
    pub fn read(&self, rel: &str) -> Result<Option<Vec<u8>>> {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        let limit = Kind::from_name(base).map_or(read::ANY, read::Limit::for_kind);
        match self {
            Tree::Dir(d) => {
                let p = d.join(rel);
                if p.is_dir() {
                    return Err(ProjectError::NotAProject {
                        path: p,
                        reason: "a folder where a file should be".into(),
                    });
                }
                read::read_optional(&p, limit)
            }
            Tree::Zip { entries, path, .. } => {
                let Some(e) = entries.iter().find(|e| e.name.eq_ignore_ascii_case(rel)) else {
                    return Ok(None);
                };
                let bytes = e.read(limit).map_err(|err| match err {
                    ProjectError::Io { source, .. } => ProjectError::io(path.join(rel), source),
                    other => other,
                })?;
                Ok(Some(bytes.into_owned()))
            }
        }
    }

    fn is_dir(&self, rel: &str) -> bool {
        match self {
            Tree::Dir(d) => d.join(rel).is_dir(),
            Tree::Zip { entries, .. } => {
                let prefix = format!("{}/", rel.trim_end_matches('/'));
                entries.iter().any(|e| {
                    e.name.len() >= prefix.len()
                        && e.name[..prefix.len()].eq_ignore_ascii_case(&prefix)
                })
            }
        }
    }

    /// Every project folder in the tree (folders holding `project.work` or `project.strd`),
    /// as `/`-terminated relative prefixes (`""` = the root, names shown lossily), each with
    /// its folder on disk under its real name (folder trees), sorted by real name.
    fn project_dirs(&self) -> Result<Vec<(String, Option<PathBuf>)>> {
        let mut out = Vec::new();
        match self {
            Tree::Dir(d) => {
                if has_project_file(d) {
                    out.push((String::new(), Some(d.clone())));
                } else {
                    let rd = std::fs::read_dir(d).map_err(|e| ProjectError::io(d, e))?;
                    let mut found: Vec<(std::ffi::OsString, PathBuf)> = Vec::new();
                    for item in rd.flatten() {
                        let p = item.path();
                        if p.is_dir() && has_project_file(&p) {
                            found.push((item.file_name(), p));
                        }
                    }
                    found.sort();
                    for (n, p) in found {
                        out.push((format!("{}/", n.to_string_lossy()), Some(p)));
                    }
                }
            }
            Tree::Zip { entries, .. } => {
                let mut dirs: Vec<String> = Vec::new();
                for e in entries {
                    let (dir, file) = match e.name.rsplit_once('/') {
                        Some((d, f)) => (format!("{d}/"), f),
                        None => (String::new(), e.name.as_str()),
                    };
                    let f = file.to_ascii_lowercase();
                    if (f == "project.work" || f == "project.strd") && !dirs.contains(&dir) {
                        dirs.push(dir);
                    }
                }
                dirs.sort();
                out.extend(dirs.into_iter().map(|d| (d, None)));
            }
        }
        Ok(out)
    }

    /// Finds the project to open: the one named `name` (its folder's real name, else the name
    /// case-insensitively), else the only or first one.
    pub fn locate(&self, name: Option<&std::ffi::OsStr>) -> Result<Located> {
        let root = self.display("");
        let dirs = self.project_dirs()?;
        let names: Vec<String> = dirs.iter().map(|(d, _)| self.dir_name(d)).collect();
        let real = |i: usize| -> Option<std::ffi::OsString> {
            dirs[i]
                .1
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_os_string())
        };
        let index = match name {
            Some(n) => (0..dirs.len())
                .find(|&i| real(i).as_deref() == Some(n) || names[i].as_str() == n)
                .or_else(|| {
                    let n = n.to_string_lossy();
                    names.iter().position(|x| x.eq_ignore_ascii_case(&n))
                })
                .ok_or_else(|| ProjectError::NoSuchProject {
                    path: root.clone(),
                    name: n.to_string_lossy().into_owned(),
                    available: names.clone(),
                })?,
            None if dirs.is_empty() => {
                return Err(ProjectError::NotAProject {
                    path: root,
                    reason: "no project.work found in it or in its sub-folders".into(),
                });
            }
            None => 0,
        };
        let (dir, folder) = dirs[index].clone();
        let audio = self.audio_beside(&dir);
        Ok(Located {
            name: names[index].clone(),
            dir,
            audio,
            folder,
        })
    }

    fn dir_name(&self, dir: &str) -> String {
        if let Some(last) = dir
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
        {
            return last.to_string();
        }
        let root = match self {
            Tree::Dir(d) => d.canonicalize().unwrap_or_else(|_| d.clone()),
            Tree::Zip { path, .. } => path.with_extension(""),
        };
        root.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "untitled".into())
    }

    /// The `AUDIO` folder of the set holding the project at `dir`, relative to the tree
    /// (for a folder tree whose root is the project, `../AUDIO`).
    fn audio_beside(&self, dir: &str) -> Option<String> {
        let parent = match dir.trim_end_matches('/').rsplit_once('/') {
            Some((p, _)) => format!("{p}/"),
            None if dir.is_empty() => "../".to_string(),
            None => String::new(),
        };
        let cand = format!("{parent}AUDIO");
        match self {
            Tree::Dir(d) => d.join(&cand).is_dir().then_some(cand),
            Tree::Zip { .. } => (!cand.starts_with("..") && self.is_dir(&cand)).then_some(cand),
        }
    }
}

fn has_project_file(dir: &Path) -> bool {
    dir.join("project.work").is_file() || dir.join("project.strd").is_file()
}

/// Joins a `/`-separated relative path onto a `/`-terminated prefix, resolving `.` and `..`;
/// `None` when it climbs above the root.
pub fn join_rel(prefix: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = prefix.split('/').filter(|s| !s.is_empty()).collect();
    for c in rel.split(['/', '\\']) {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rel_paths() {
        assert_eq!(
            join_rel("SET/P/", "../AUDIO/kick.wav").as_deref(),
            Some("SET/AUDIO/kick.wav")
        );
        assert_eq!(join_rel("", "kick.wav").as_deref(), Some("kick.wav"));
        assert_eq!(join_rel("", "../x.wav"), None);
    }

    #[test]
    fn set_folder_is_located() {
        let d = tempfile::tempdir().unwrap();
        let set = d.path().join("MYSET");
        std::fs::create_dir_all(set.join("AUDIO")).unwrap();
        for p in ["B", "A"] {
            std::fs::create_dir_all(set.join(p)).unwrap();
            std::fs::write(set.join(p).join("project.work"), b"").unwrap();
        }
        let t = Tree::open(&set).unwrap();
        let l = t.locate(None).unwrap();
        assert_eq!((l.dir.as_str(), l.name.as_str()), ("A/", "A"));
        assert_eq!(l.audio.as_deref(), Some("AUDIO"));
        let l = t.locate(Some("b".as_ref())).unwrap();
        assert_eq!(l.name, "B");
        let e = t.locate(Some("C".as_ref())).unwrap_err().to_string();
        assert!(
            e.contains("MYSET") && e.contains("\"C\"") && e.contains("A, B"),
            "{e}"
        );
        // the project folder itself, inside a set
        let t = Tree::open(&set.join("B")).unwrap();
        let l = t.locate(None).unwrap();
        assert_eq!((l.dir.as_str(), l.name.as_str()), ("", "B"));
        assert_eq!(l.audio.as_deref(), Some("../AUDIO"));
    }
}
