//! `octa pool SET`: a set's audio pool: every audio file of the set's `AUDIO` folder and project
//! folders, the projects and slots that use it, its format facts (header reads only, in
//! parallel) and whether the device plays it; files no project uses; slots whose file is
//! missing; identical files under different names (SHA-256 of files of equal size only).
//!
//! A slot "uses" a file when its `PATH` in the project's `project.work` or its saved state
//! `project.strd` resolves to it (both count, so a purge never breaks a reload of the saved
//! state). [`purge`] moves unused files (and their `.ot` files) into the set's trash,
//! `SET/.octa-trash/STAMP/` (the layout of [`super::sets`]), under their paths relative to the
//! set: restorable by moving them back.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::audio::decode::{AudioFormat, device_compatibility, probe};

use super::anyfile::Kind;
use super::contain::slot_path_in;
use super::read::read_kind;
use super::sets::{TRASH, is_project, is_set};
use super::{ProjectError, ProjectFile, durable, par};

/// Errors of a pool scan or purge; each names the folder or file.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// Not a set folder.
    #[error("{}: not a set (no AUDIO folder and no project folder in it)", .0.display())]
    NotASet(PathBuf),
    /// A project could not be read, so what is unused is unknown: purge refused.
    #[error("{}: purge refused: project {project} could not be read ({reason})", .set.display())]
    Unreadable {
        /// The set.
        set: PathBuf,
        /// The project folder's name.
        project: String,
        /// Why.
        reason: String,
    },
    /// A file operation failed.
    #[error(transparent)]
    Write(#[from] ProjectError),
}

/// One slot of one project.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SlotUser {
    /// The project folder's name.
    pub project: String,
    /// The slot (`Flex 3`, `Static 12`, `Recorder 1`).
    pub slot: String,
    /// Found only in the saved state (`project.strd`).
    pub stored_only: bool,
}

/// Format facts from the file's header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Facts {
    /// Container (`WAV`, `AIFF`, `FLAC`, ...).
    pub format: String,
    /// Sample rate in Hz.
    pub rate: u32,
    /// Bits per sample (None for compressed formats).
    pub bits: Option<u32>,
    /// Floating-point samples.
    pub float: bool,
    /// Channels.
    pub channels: u16,
    /// Length in frames, when the header states it.
    pub frames: Option<u64>,
}

/// One audio file of the set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolFile {
    /// Path relative to the set (`AUDIO/Drums/kick.wav`, `PROJ/rec1.wav`).
    pub path: PathBuf,
    /// Size in bytes.
    pub bytes: u64,
    /// Header facts (None when the header could not be read: see `error`).
    pub facts: Option<Facts>,
    /// Why the header could not be read.
    pub error: Option<String>,
    /// What keeps the device from playing it (empty: plays as is).
    pub issues: Vec<String>,
    /// The slots using it.
    pub users: Vec<SlotUser>,
}

impl PoolFile {
    /// Whether the Octatrack plays it as it is.
    pub fn plays(&self) -> bool {
        self.facts.is_some() && self.issues.is_empty()
    }
}

/// A slot whose file is not there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MissingSlot {
    /// The project folder's name.
    pub project: String,
    /// The slot.
    pub slot: String,
    /// Its `PATH` as written.
    pub path: String,
    /// The path leads outside the project and `AUDIO` folders.
    pub outside: bool,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolReport {
    /// The set.
    pub set: PathBuf,
    /// Its projects (folder names).
    pub projects: Vec<String>,
    /// Projects that could not be read: (name, reason).
    pub unreadable: Vec<(String, String)>,
    /// Every audio file, by path.
    pub files: Vec<PoolFile>,
    /// Slots whose file is missing.
    pub missing: Vec<MissingSlot>,
    /// Groups of identical files (paths relative to the set), each sorted.
    pub duplicates: Vec<Vec<PathBuf>>,
}

impl PoolReport {
    /// Files no slot uses.
    pub fn unused(&self) -> Vec<&PoolFile> {
        self.files.iter().filter(|f| f.users.is_empty()).collect()
    }
}

fn hidden_or_octa(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy();
    n.starts_with('.') || n.contains(durable::TMP_MARK)
}

/// Audio files below `dir` (not following symbolic links, skipping hidden and octa folders).
fn audio_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        if hidden_or_octa(&e.file_name()) {
            continue;
        }
        let Ok(t) = e.file_type() else { continue };
        let p = e.path();
        if t.is_dir() {
            audio_files(&p, out);
        } else if t.is_file() && AudioFormat::from_path(&p).is_some() {
            out.push(p);
        }
    }
}

fn key(p: &Path) -> PathBuf {
    fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Scans the set in `set`.
pub fn scan(set: &Path) -> Result<PoolReport, PoolError> {
    if !is_set(set) {
        return Err(PoolError::NotASet(set.to_path_buf()));
    }
    let audio = set.join("AUDIO");
    let audio_dir = audio.is_dir().then_some(audio.as_path());
    let mut projects: Vec<(String, PathBuf)> = fs::read_dir(set)
        .map_err(|e| ProjectError::Io {
            path: set.to_path_buf(),
            source: e,
        })?
        .flatten()
        .filter(|e| !hidden_or_octa(&e.file_name()) && e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| is_project(&e.path()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    projects.sort();

    // Files: the pool and every project folder.
    let mut paths = Vec::new();
    if let Some(a) = audio_dir {
        audio_files(a, &mut paths);
    }
    for (_, dir) in &projects {
        audio_files(dir, &mut paths);
    }
    paths.sort();

    // Slots of every project (project.work and project.strd), in parallel.
    type Slots = Result<Vec<(String, String, bool)>, String>;
    // Read directly (not through `Project::open`, which also reads markers and arrangements):
    // a scan of 40 projects stays a fraction of a second.
    let slot_lists: Vec<Slots> = par::map(&projects, |(_, dir)| {
        let read = |name: &str| -> Result<Option<ProjectFile>, String> {
            let path = dir.join(name);
            if !path.is_file() {
                return Ok(None);
            }
            let bytes = read_kind(&path, Kind::Project).map_err(|e| e.to_string())?;
            ProjectFile::parse(&bytes)
                .map(Some)
                .map_err(|e| format!("{}: {e}", path.display()))
        };
        let work = read("project.work")?;
        let strd = read("project.strd")?;
        let mut out: BTreeMap<(String, String), bool> = BTreeMap::new();
        for s in work.iter().flat_map(ProjectFile::slots) {
            if !s.path.is_empty() {
                out.insert((s.slot.to_string(), s.path), false);
            }
        }
        for s in strd.iter().flat_map(ProjectFile::slots) {
            if !s.path.is_empty() {
                out.entry((s.slot.to_string(), s.path)).or_insert(true);
            }
        }
        Ok(out.into_iter().map(|((a, b), c)| (a, b, c)).collect())
    });

    let mut by_key: BTreeMap<PathBuf, Vec<SlotUser>> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut unreadable = Vec::new();
    for ((name, dir), slots) in projects.iter().zip(slot_lists) {
        let slots = match slots {
            Ok(s) => s,
            Err(e) => {
                unreadable.push((name.clone(), e));
                continue;
            }
        };
        for (slot, path, stored_only) in slots {
            let user = SlotUser {
                project: name.clone(),
                slot: slot.clone(),
                stored_only,
            };
            match slot_path_in(dir, audio_dir, &slot, &path) {
                Ok(f) if f.is_file() => by_key.entry(key(&f)).or_default().push(user),
                r => missing.push(MissingSlot {
                    project: name.clone(),
                    slot,
                    path,
                    outside: r.is_err(),
                }),
            }
        }
    }
    missing.sort();

    // Header facts and sizes, in parallel.
    let facts = par::map(&paths, |p| {
        let bytes = fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        (bytes, probe(p))
    });
    let mut files = Vec::with_capacity(paths.len());
    for (p, (bytes, info)) in paths.iter().zip(facts) {
        let (facts, error, issues) = match info {
            Ok(i) => (
                Some(Facts {
                    format: i.format.name().to_string(),
                    rate: i.sample_rate,
                    bits: i.bits_per_sample,
                    float: i.float,
                    channels: i.channels,
                    frames: i.frames,
                }),
                None,
                device_compatibility(&i)
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            ),
            Err(e) => (None, Some(e.to_string()), vec!["unreadable".to_string()]),
        };
        let mut users = by_key.remove(&key(p)).unwrap_or_default();
        users.sort();
        files.push(PoolFile {
            path: p.strip_prefix(set).unwrap_or(p).to_path_buf(),
            bytes,
            facts,
            error,
            issues,
            users,
        });
    }

    // Duplicates: hash only files whose size another file shares.
    let mut by_size: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        by_size.entry(f.bytes).or_default().push(i);
    }
    let candidates: Vec<usize> = by_size
        .values()
        .filter(|v| v.len() > 1)
        .flatten()
        .copied()
        .collect();
    let hashes = par::map(&candidates, |&i| durable::hash_file(&paths[i]).ok());
    let mut by_hash: BTreeMap<(u64, Vec<u8>), Vec<PathBuf>> = BTreeMap::new();
    for (i, h) in candidates.iter().zip(hashes) {
        if let Some(h) = h {
            by_hash.entry(h).or_default().push(files[*i].path.clone());
        }
    }
    let mut duplicates: Vec<Vec<PathBuf>> = by_hash
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort();
            g
        })
        .collect();
    duplicates.sort();

    Ok(PoolReport {
        set: set.to_path_buf(),
        projects: projects.into_iter().map(|(n, _)| n).collect(),
        unreadable,
        files,
        missing,
        duplicates,
    })
}

/// What [`purge`] moved: (from, to), absolute paths.
pub type Moves = Vec<(PathBuf, PathBuf)>;

/// The files a purge moves (unused audio files and the `.ot` files beside them), relative to
/// the set. Refused when a project could not be read (its uses are unknown).
pub fn purge_plan(report: &PoolReport) -> Result<Vec<PathBuf>, PoolError> {
    if let Some((project, reason)) = report.unreadable.first() {
        return Err(PoolError::Unreadable {
            set: report.set.clone(),
            project: project.clone(),
            reason: reason.clone(),
        });
    }
    let mut out = Vec::new();
    for f in report.unused() {
        out.push(f.path.clone());
        let ot = f.path.with_extension("ot");
        if report.set.join(&ot).is_file() {
            out.push(ot);
        }
    }
    Ok(out)
}

/// Moves `plan` (paths relative to the set) into `SET/.octa-trash/STAMP/`, keeping their
/// relative paths; never replaces anything. Returns the moves done (all of them, or the ones
/// done before the failure reported in the error).
pub fn purge(set: &Path, plan: &[PathBuf]) -> Result<Moves, (Moves, PoolError)> {
    let mut done = Vec::new();
    if plan.is_empty() {
        return Ok(done);
    }
    let bin = set.join(TRASH);
    let stamp = super::store::utc_stamp(std::time::SystemTime::now());
    let mut slot = bin.join(&stamp);
    let mut n = 2;
    while fs::symlink_metadata(&slot).is_ok() {
        slot = bin.join(format!("{stamp}-{n}"));
        n += 1;
    }
    for rel in plan {
        let from = set.join(rel);
        let to = slot.join(rel);
        let step = (|| {
            if let Some(parent) = to.parent() {
                durable::create_dir_all(parent)?;
            }
            durable::rename_noreplace_synced(&from, &to)
        })();
        match step {
            Ok(()) => done.push((from, to)),
            Err(e) => return Err((done, e.into())),
        }
    }
    Ok(done)
}
