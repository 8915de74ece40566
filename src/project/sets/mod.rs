//! Sets and projects as the card holds them: finding them ([`discover`]), their names
//! ([`names`]), what they live on ([`space`]), and creating, copying, moving, renaming and
//! deleting them ([`manage`], every write through [`super::durable`]).
//!
//! A set is a folder with an `AUDIO` sub-folder or project folders; a project is a folder with
//! `project.work` or `project.strd`. Discovery reads folder listings and file sizes only (no
//! file content), never follows a symbolic link, stops at [`ScanLimits`], and reports a folder
//! it cannot read instead of failing.

pub mod manage;
pub mod names;
pub mod space;
pub mod summary;

use serde::Serialize;
use space::DeviceKind;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The folder of a set holding deleted projects (restorable).
pub const TRASH: &str = ".octa-trash";
/// What the names of folders being copied contain (`.NAME.octa-copy-PID-N`).
pub const COPY_MARK: &str = ".octa-copy-";

/// How far discovery goes.
#[derive(Debug, Clone, Copy)]
pub struct ScanLimits {
    /// Folder levels below a root searched for sets.
    pub depth: usize,
    /// Folder levels below `AUDIO` counted.
    pub pool_depth: usize,
    /// Folder entries read in all (the scan stops, saying so, beyond).
    pub entries: usize,
}

impl Default for ScanLimits {
    fn default() -> Self {
        Self {
            depth: 4,
            pool_depth: 16,
            entries: 2_000_000,
        }
    }
}

/// The state of a set's `AUDIO` pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Pool {
    /// Present: its files (samples and others) and their bytes.
    Present {
        /// Files.
        files: u64,
        /// Samples (`.wav`, `.aif`, `.aiff`).
        samples: u64,
        /// Bytes.
        bytes: u64,
    },
    /// No `AUDIO` folder.
    Missing,
    /// There but not readable.
    Unreadable,
}

/// A project found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectEntry {
    /// The folder's name.
    pub name: String,
    /// The folder.
    pub path: PathBuf,
    /// Last change of any file in the folder (seconds since the epoch).
    pub modified: Option<u64>,
    /// Bytes of its files (its own samples included, backups not).
    pub bytes: u64,
    /// Files directly in it.
    pub files: u64,
    /// Whether the device's saved state (`project.strd`) is there.
    pub saved_state: bool,
    /// Whether a save was interrupted (a journal is left; the next open finishes it).
    pub interrupted: bool,
}

/// A set found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetEntry {
    /// The folder's name.
    pub name: String,
    /// The folder.
    pub path: PathBuf,
    /// What it lives on.
    pub device: DeviceKind,
    /// Its pool.
    pub pool: Pool,
    /// Its projects, by name.
    pub projects: Vec<ProjectEntry>,
    /// Projects in its trash (`.octa-trash/STAMP/NAME`).
    pub trashed: Vec<String>,
    /// Bytes of the pool and the projects.
    pub bytes: u64,
    /// Folders left by copies that did not finish (`.NAME.octa-copy-...`): safe to remove.
    pub unfinished: Vec<PathBuf>,
}

/// Everything [`discover`] found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Discovery {
    /// The sets, in path order.
    pub sets: Vec<SetEntry>,
    /// Projects outside any set (given directly, in a folder that is not a set).
    pub loose: Vec<ProjectEntry>,
    /// Folders that could not be read, and limits reached: one line each.
    pub problems: Vec<String>,
}

/// Whether `dir` is a project folder (`project.work` or `project.strd`, regular files).
pub fn is_project(dir: &Path) -> bool {
    ["project.work", "project.strd"]
        .iter()
        .any(|f| fs::symlink_metadata(dir.join(f)).is_ok_and(|m| m.is_file()))
}

/// Whether `dir` is a set: an `AUDIO` folder or a project folder in it.
pub fn is_set(dir: &Path) -> bool {
    let Ok(rd) = fs::read_dir(dir) else {
        return false;
    };
    rd.flatten().any(|e| {
        e.file_type().is_ok_and(|t| t.is_dir())
            && (e.file_name() == "AUDIO" || (!hidden(&e.file_name()) && is_project(&e.path())))
    })
}

fn hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn secs(t: SystemTime) -> Option<u64> {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

struct Scan {
    limits: ScanLimits,
    entries: usize,
    stopped: bool,
    problems: Vec<String>,
}

impl Scan {
    /// The entries of a folder (not following links); a folder that cannot be read is a problem.
    fn list(&mut self, dir: &Path) -> Vec<(std::ffi::OsString, fs::FileType, PathBuf)> {
        if self.stopped {
            return Vec::new();
        }
        let rd = match fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.problems
                    .push(format!("{}: not read: {e}", dir.display()));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for e in rd {
            self.entries += 1;
            if self.entries > self.limits.entries {
                self.stopped = true;
                self.problems.push(format!(
                    "{}: stopped after {} folder entries (the scan's limit)",
                    dir.display(),
                    self.limits.entries
                ));
                break;
            }
            match e.and_then(|e| Ok((e.file_name(), e.file_type()?, e.path()))) {
                Ok(x) => out.push(x),
                Err(e) => self
                    .problems
                    .push(format!("{}: an entry not read: {e}", dir.display())),
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn project(&mut self, dir: &Path) -> ProjectEntry {
        let mut p = ProjectEntry {
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: dir.to_path_buf(),
            modified: None,
            bytes: 0,
            files: 0,
            saved_state: false,
            interrupted: false,
        };
        let mut stack = vec![(dir.to_path_buf(), 0usize)];
        while let Some((d, depth)) = stack.pop() {
            for (name, ft, path) in self.list(&d) {
                if ft.is_dir() && !hidden(&name) && depth < 4 {
                    stack.push((path, depth + 1));
                    continue;
                }
                if depth == 0 && name == super::durable::JOURNAL {
                    p.interrupted = true;
                }
                if !ft.is_file() {
                    continue;
                }
                if depth == 0 {
                    p.files += 1;
                    if name == "project.strd" {
                        p.saved_state = true;
                    }
                }
                if let Ok(m) = fs::symlink_metadata(&path) {
                    p.bytes += m.len();
                    let t = m.modified().ok().and_then(secs);
                    p.modified = p.modified.max(t);
                }
            }
        }
        p
    }

    fn pool(&mut self, audio: &Path) -> Pool {
        if fs::read_dir(audio).is_err() {
            self.problems
                .push(format!("{}: the pool is not readable", audio.display()));
            return Pool::Unreadable;
        }
        let (mut files, mut samples, mut bytes) = (0, 0, 0);
        let mut stack = vec![(audio.to_path_buf(), 0usize)];
        while let Some((d, depth)) = stack.pop() {
            for (name, ft, path) in self.list(&d) {
                if ft.is_dir() {
                    if depth < self.limits.pool_depth {
                        stack.push((path, depth + 1));
                    }
                    continue;
                }
                if !ft.is_file() {
                    continue;
                }
                files += 1;
                let ext = Path::new(&name)
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase());
                if matches!(ext.as_deref(), Some("wav" | "aif" | "aiff")) {
                    samples += 1;
                }
                if let Ok(m) = fs::symlink_metadata(&path) {
                    bytes += m.len();
                }
            }
        }
        Pool::Present {
            files,
            samples,
            bytes,
        }
    }

    fn set(
        &mut self,
        dir: &Path,
        entries: &[(std::ffi::OsString, fs::FileType, PathBuf)],
    ) -> SetEntry {
        let mut set = SetEntry {
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| dir.display().to_string()),
            path: dir.to_path_buf(),
            device: space::device_kind(dir),
            pool: Pool::Missing,
            projects: Vec::new(),
            trashed: Vec::new(),
            bytes: 0,
            unfinished: Vec::new(),
        };
        for (name, ft, path) in entries {
            if !ft.is_dir() {
                continue;
            }
            let n = name.to_string_lossy();
            if name == "AUDIO" {
                set.pool = self.pool(path);
            } else if name == TRASH {
                for (_, ft, stamp) in self.list(path) {
                    if ft.is_dir() {
                        for (pn, ft, _) in self.list(&stamp) {
                            if ft.is_dir() {
                                set.trashed.push(format!(
                                    "{}/{}",
                                    stamp.file_name().unwrap_or_default().to_string_lossy(),
                                    pn.to_string_lossy()
                                ));
                            }
                        }
                    }
                }
            } else if n.contains(COPY_MARK) {
                set.unfinished.push(path.clone());
            } else if !hidden(name) && is_project(path) {
                let p = self.project(path);
                set.bytes += p.bytes;
                set.projects.push(p);
            }
        }
        if let Pool::Present { bytes, .. } = set.pool {
            set.bytes += bytes;
        }
        set
    }

    /// Looks for sets in `dir` and below (down to `depth` more levels).
    fn search(&mut self, dir: &Path, depth: usize, out: &mut Discovery) {
        let entries = self.list(dir);
        let set_like = entries
            .iter()
            .any(|(n, ft, p)| ft.is_dir() && (n == "AUDIO" || (!hidden(n) && is_project(p))));
        if set_like {
            out.sets.push(self.set(dir, &entries));
            return;
        }
        if depth == 0 {
            return;
        }
        for (name, ft, path) in entries {
            // Symbolic links are never followed (`file_type` does not follow them).
            if ft.is_dir() && !hidden(&name) {
                self.search(&path, depth - 1, out);
            }
        }
    }
}

/// Finds every set and project under `roots` (see the module docs). A root that is a project
/// folder is listed with its set when its parent has an `AUDIO` pool, else as a project
/// outside any set.
pub fn discover(roots: &[PathBuf], limits: ScanLimits) -> Discovery {
    let mut scan = Scan {
        limits,
        entries: 0,
        stopped: false,
        problems: Vec::new(),
    };
    let mut out = Discovery::default();
    let mut seen = std::collections::BTreeSet::new();
    for root in roots {
        let key = root.canonicalize().unwrap_or_else(|_| root.clone());
        if !seen.insert(key) {
            continue;
        }
        match fs::symlink_metadata(root) {
            Err(e) => {
                scan.problems
                    .push(format!("{}: not read: {e}", root.display()));
                continue;
            }
            Ok(m) if !m.is_dir() && !m.file_type().is_symlink() => {
                scan.problems
                    .push(format!("{}: expected a folder", root.display()));
                continue;
            }
            Ok(_) => {}
        }
        if is_project(root) {
            match root.parent().filter(|p| p.join("AUDIO").is_dir()) {
                Some(parent) if seen.insert(parent.to_path_buf()) => {
                    scan.search(parent, 0, &mut out)
                }
                Some(_) => {}
                None => {
                    let p = scan.project(root);
                    out.loose.push(p);
                }
            }
            continue;
        }
        scan.search(root, limits.depth, &mut out);
    }
    out.sets.sort_by(|a, b| a.path.cmp(&b.path));
    out.sets.dedup_by(|a, b| a.path == b.path);
    out.problems = scan.problems;
    out
}

/// Where discovery looks without paths: mounted drives under `/media`, `/run/media` and
/// `/mnt`, and the usual music folders of the home directory.
pub fn default_roots() -> Vec<PathBuf> {
    let mut roots = space::removable_mounts();
    for base in ["/media", "/run/media", "/mnt"] {
        let b = Path::new(base);
        if b.is_dir() && !roots.iter().any(|r| r.starts_with(b)) {
            roots.push(b.to_path_buf());
        }
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        for sub in [
            "Music",
            "music",
            "Octatrack",
            "Documents/Octatrack",
            "Desktop",
        ] {
            let d = home.join(sub);
            if d.is_dir() {
                roots.push(d);
            }
        }
    }
    roots
}

/// A time in seconds since the epoch as `2026-12-07 21:55` (UTC); `-` when unknown.
pub fn utc_minutes(secs: Option<u64>) -> String {
    let Some(s) = secs else {
        return "-".into();
    };
    let stamp = super::store::utc_stamp(std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
    match (
        stamp.get(0..4),
        stamp.get(4..6),
        stamp.get(6..8),
        stamp.get(9..11),
        stamp.get(11..13),
    ) {
        (Some(y), Some(m), Some(d), Some(h), Some(mi)) => format!("{y}-{m}-{d} {h}:{mi}"),
        _ => stamp,
    }
}

/// Bytes as people read them (`1.5 MB`).
pub fn human_bytes(n: u64) -> String {
    const U: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < U.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", U[i])
    }
}
