//! `octa pool SET --relink / --dedupe / --collect PROJECT`: plans that rewrite slot `PATH`s
//! (and copy sample files where needed), shown first and applied project by project through
//! the project's save path ([`Project::save_with`]: the copies and the project's files are
//! committed together, atomically, with backups of the files replaced).
//!
//! - [`relink_plan`]: slots whose file is missing are matched by file name (case-insensitive)
//!   against every audio file of the set, else of a `--from` folder; the candidates are grouped
//!   by content (SHA-256): one group is a match, several groups an ambiguity (listed, never
//!   applied). A match the project can reach (the set's `AUDIO` folder or its own folder) is
//!   pointed at; any other (another project's folder, the `--from` folder) is first copied into
//!   the set's `AUDIO` folder (at the missing path when it was inside `AUDIO`, else under its
//!   name; `NAME-2.wav` beside a different file).
//! - [`dedupe_plan`]: slots pointing at one of a group of identical files are pointed at one
//!   copy: the one in `AUDIO`, else the one in the project's folder, the shortest path first.
//!   The other copies stay (a later `--purge` moves them to the trash).
//! - [`collect_plan`]: every sample a project uses is copied into the project's folder (or the
//!   set's `AUDIO` folder) and its slots pointed at the copy, so the project can be moved alone.
//!   An identical file already there is reused; a different one gets a `-2` name, as
//!   [`super::copy`] does; a sample's `.ot` file travels with it.
//!
//! Only `project.work` is rewritten: the saved state (`project.strd`) keeps its paths until the
//! project is saved on the device (or with `octa save --stored`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::format::project_file::SlotAttr;
use crate::format::slot_attrs::SlotRef;

use super::durable::{self, Item, Txn};
use super::pool::{PoolError, scan};
use super::slots::{self, SlotError};
use super::{OpenOptions, Project, ProjectError, sidecar};

/// Errors of a relink, dedupe or collect.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    /// The set could not be scanned.
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// A project could not be read or written.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// A slot could not be changed.
    #[error(transparent)]
    Slot(#[from] SlotError),
    /// The request does not make sense (not a project, ...).
    #[error("{0}")]
    Invalid(String),
}

/// One slot pointed at another file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The project's folder.
    pub project: PathBuf,
    /// The slot.
    #[serde(serialize_with = "as_text")]
    pub slot: SlotRef,
    /// Its `PATH` now.
    pub from: String,
    /// Its new `PATH`.
    pub to: String,
    /// A file to copy first: (source, new file), absolute. Shared targets are copied once.
    pub copy: Option<(PathBuf, PathBuf)>,
}

fn as_text<S: serde::Serializer>(s: &SlotRef, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(&s.to_string())
}

/// A slot with several different candidate files: listed, not changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ambiguous {
    /// The project's folder.
    pub project: PathBuf,
    /// The slot.
    #[serde(serialize_with = "as_text")]
    pub slot: SlotRef,
    /// Its `PATH`.
    pub path: String,
    /// The candidates (different contents), absolute.
    pub candidates: Vec<PathBuf>,
}

/// What a relink, dedupe or collect would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FixPlan {
    /// The slots to change, project by project.
    pub changes: Vec<Change>,
    /// Missing slots with several different candidates (relink only).
    pub ambiguous: Vec<Ambiguous>,
    /// `.ot` settings files copied with their samples: (project, source, new file).
    pub sidecars: Vec<(PathBuf, PathBuf, PathBuf)>,
    /// Things left as they are, for people to read (missing files with no candidate, ...).
    pub notes: Vec<String>,
}

impl FixPlan {
    /// The copies the plan makes: (source, new file).
    pub fn copies(&self) -> Vec<(PathBuf, PathBuf)> {
        let samples = self.changes.iter().filter_map(|c| c.copy.clone());
        let sides = self.sidecars.iter().map(|(_, f, t)| (f.clone(), t.clone()));
        samples.chain(sides).collect()
    }
}

fn open(dir: &Path) -> Result<Project, FixError> {
    Ok(Project::open(
        dir,
        &OpenOptions {
            project: None,
            read_only: false,
        },
    )?)
}

/// `p` resolved; for a path that does not exist yet, its resolved parent joined with its name.
fn canon(p: &Path) -> PathBuf {
    match fs::canonicalize(p) {
        Ok(c) => c,
        Err(_) => match (p.parent(), p.file_name()) {
            (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
                canon(parent).join(name)
            }
            _ => p.to_path_buf(),
        },
    }
}

/// `p` below `root` (both resolved), as a `/` path.
fn below(root: &Path, p: &Path) -> Option<String> {
    let rel = canon(p).strip_prefix(canon(root)).ok()?.to_path_buf();
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The `PATH` the project in `dir` stores for `file`: `../AUDIO/...` in the set's pool,
/// `name.wav` in its own folder; `None` when the device cannot reach it from there.
fn slot_path_for(dir: &Path, audio: &Path, file: &Path) -> Option<String> {
    if let Some(r) = below(audio, file) {
        return Some(format!("../AUDIO/{r}"));
    }
    below(dir, file)
}

/// A name beside `path` (`kick-2.wav`, `kick-3.wav`, ...).
fn renamed(path: &Path, n: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(e) => format!("{stem}-{n}.{}", e.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

/// Content hashes, each file read once.
#[derive(Default)]
struct Hashes(BTreeMap<PathBuf, Option<(u64, Vec<u8>)>>);

impl Hashes {
    fn of(&mut self, p: &Path) -> Option<(u64, Vec<u8>)> {
        self.0
            .entry(canon(p))
            .or_insert_with(|| durable::hash_file(p).ok())
            .clone()
    }
    fn same(&mut self, a: &Path, b: &Path) -> bool {
        match (self.of(a), self.of(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        }
    }
}

/// Where `from` goes when wanted at `want`: `want` or `NAME-2...` beside it, never over a
/// different file; `(target, true)` when it must be copied, `false` when an identical file is
/// (or is planned to be) there.
fn place(
    from: &Path,
    want: &Path,
    planned: &mut BTreeMap<PathBuf, PathBuf>,
    hashes: &mut Hashes,
) -> (PathBuf, bool) {
    for n in 1.. {
        let cand = if n == 1 {
            want.to_path_buf()
        } else {
            renamed(want, n)
        };
        if let Some(src) = planned.get(&cand).cloned() {
            if hashes.same(&src, from) {
                return (cand, false);
            }
            continue;
        }
        if fs::symlink_metadata(&cand).is_ok() {
            if cand.is_file() && hashes.same(&cand, from) {
                return (cand, false);
            }
            continue;
        }
        planned.insert(cand.clone(), from.to_path_buf());
        return (cand, true);
    }
    unreachable!("1.. never ends")
}

/// The slots of a project's `project.work` with a non-empty `PATH`.
fn slot_paths(p: &Project) -> Vec<(SlotRef, String)> {
    p.project_file()
        .slots()
        .into_iter()
        .filter(|s| !s.path.is_empty())
        .map(|s| (s.slot, s.path))
        .collect()
}

/// The projects of a set (folder names sorted) and their folders.
fn projects(set: &Path) -> Result<(Vec<PathBuf>, PathBuf), FixError> {
    let report = scan(set)?;
    if let Some((name, why)) = report.unreadable.first() {
        return Err(FixError::Invalid(format!(
            "{}: project {name} could not be read ({why})",
            set.display()
        )));
    }
    Ok((
        report.projects.iter().map(|n| set.join(n)).collect(),
        set.join("AUDIO"),
    ))
}

/// Audio files below `dir` (hidden and octa folders skipped).
fn audio_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.contains(durable::TMP_MARK) {
            continue;
        }
        let Ok(t) = e.file_type() else { continue };
        if t.is_dir() {
            audio_below(&e.path(), out);
        } else if t.is_file() && crate::audio::decode::AudioFormat::from_path(&e.path()).is_some() {
            out.push(e.path());
        }
    }
}

fn lower_name(p: &Path) -> Option<String> {
    Some(p.file_name()?.to_string_lossy().to_lowercase())
}

/// Plans a relink of the set's missing samples (see the module docs); `from` is an extra
/// folder to look in when the set holds no file of that name.
pub fn relink_plan(set: &Path, from: Option<&Path>) -> Result<FixPlan, FixError> {
    let (dirs, audio) = projects(set)?;
    let mut in_set = Vec::new();
    audio_below(&audio, &mut in_set);
    for d in &dirs {
        audio_below(d, &mut in_set);
    }
    let mut in_from = Vec::new();
    if let Some(f) = from {
        if !f.is_dir() {
            return Err(FixError::Invalid(format!(
                "{}: --from is not a folder",
                f.display()
            )));
        }
        audio_below(f, &mut in_from);
    }
    let index = |files: &[PathBuf]| {
        let mut m: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        for f in files {
            if let Some(n) = lower_name(f) {
                m.entry(n).or_default().push(f.clone());
            }
        }
        m
    };
    let (set_index, from_index) = (index(&in_set), index(&in_from));
    let mut plan = FixPlan::default();
    let mut planned = BTreeMap::new();
    let mut hashes = Hashes::default();
    for dir in &dirs {
        let p = open(dir)?;
        for (slot, path) in slot_paths(&p) {
            if p.sample_exists(&path) {
                continue;
            }
            let name = path.replace('\\', "/");
            let name = name.rsplit('/').next().unwrap_or("").to_lowercase();
            let cands = match set_index.get(&name) {
                Some(c) => c.clone(),
                None => from_index.get(&name).cloned().unwrap_or_default(),
            };
            // Group by content.
            let mut groups: BTreeMap<(u64, Vec<u8>), Vec<PathBuf>> = BTreeMap::new();
            for c in &cands {
                if let Some(h) = hashes.of(c) {
                    groups.entry(h).or_default().push(c.clone());
                }
            }
            let shown = format!("{} {slot}: {path}", dir.display());
            if groups.is_empty() {
                plan.notes
                    .push(format!("{shown}: no file of that name found"));
                continue;
            }
            if groups.len() > 1 {
                let mut candidates: Vec<PathBuf> = groups.into_values().flatten().collect();
                candidates.sort();
                plan.ambiguous.push(Ambiguous {
                    project: dir.clone(),
                    slot,
                    path,
                    candidates,
                });
                continue;
            }
            let mut group: Vec<PathBuf> = groups.into_values().flatten().collect();
            group.sort_by_key(|g| (g.as_os_str().len(), g.clone()));
            let reachable = group
                .iter()
                .filter_map(|g| slot_path_for(dir, &audio, g).map(|s| (g, s)))
                .min_by_key(|(g, s)| (!s.starts_with("../AUDIO/"), s.len(), (*g).clone()));
            let (to, copy) = match reachable {
                Some((_, s)) => (s, None),
                None => {
                    let src = &group[0];
                    // Back where it was missing when that was in the pool, else under its name.
                    let want = super::contain::slot_path_in(dir, Some(&audio), "", &path)
                        .ok()
                        .filter(|w| below(&audio, w).is_some())
                        .unwrap_or_else(|| audio.join(src.file_name().unwrap_or_default()));
                    let (target, write) = place(src, &want, &mut planned, &mut hashes);
                    let rel = below(&audio, &target).unwrap_or_default();
                    (
                        format!("../AUDIO/{rel}"),
                        write.then(|| (src.clone(), target.clone())),
                    )
                }
            };
            plan.changes.push(Change {
                project: dir.clone(),
                slot,
                from: path,
                to,
                copy,
            });
        }
    }
    Ok(plan)
}

/// Plans pointing every slot that uses one of a group of identical files at one copy (see
/// the module docs).
pub fn dedupe_plan(set: &Path) -> Result<FixPlan, FixError> {
    let report = scan(set)?;
    if let Some((name, why)) = report.unreadable.first() {
        return Err(FixError::Invalid(format!(
            "{}: project {name} could not be read ({why})",
            set.display()
        )));
    }
    let audio = set.join("AUDIO");
    let mut group_of: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let groups: Vec<Vec<PathBuf>> = report
        .duplicates
        .iter()
        .map(|g| g.iter().map(|r| set.join(r)).collect())
        .collect();
    for (i, g) in groups.iter().enumerate() {
        for f in g {
            group_of.insert(canon(f), i);
        }
    }
    let mut plan = FixPlan::default();
    for name in &report.projects {
        let dir = set.join(name);
        let p = open(&dir)?;
        for (slot, path) in slot_paths(&p) {
            let Some(file) = p.sample_path(&path).filter(|f| f.is_file()) else {
                continue;
            };
            let Some(&gi) = group_of.get(&canon(&file)) else {
                continue;
            };
            let best = groups[gi]
                .iter()
                .filter_map(|g| slot_path_for(&dir, &audio, g).map(|s| (g, s)))
                .min_by_key(|(g, s)| (!s.starts_with("../AUDIO/"), s.len(), (*g).clone()));
            let Some((best, to)) = best else { continue };
            if canon(best) == canon(&file) {
                continue;
            }
            plan.changes.push(Change {
                project: dir.clone(),
                slot,
                from: path,
                to,
                copy: None,
            });
        }
    }
    Ok(plan)
}

/// Plans copying every sample the project in `dir` uses into its own folder (or, with
/// `to_pool`, into the set's `AUDIO` folder beside it) and pointing its slots at the copies.
pub fn collect_plan(dir: &Path, to_pool: bool) -> Result<FixPlan, FixError> {
    if !super::sets::is_project(dir) {
        return Err(FixError::Invalid(format!(
            "{}: not a project folder (no project.work)",
            dir.display()
        )));
    }
    let p = open(dir)?;
    let audio = match p.audio_pool() {
        Some(super::AudioPool::Folder(a)) => a.clone(),
        _ => dir
            .parent()
            .map(|s| s.join("AUDIO"))
            .unwrap_or_else(|| dir.join("../AUDIO")),
    };
    let mut plan = FixPlan::default();
    let mut planned = BTreeMap::new();
    let mut hashes = Hashes::default();
    for (slot, path) in slot_paths(&p) {
        let Some(file) = p.sample_path(&path).filter(|f| f.is_file()) else {
            plan.notes.push(format!(
                "{slot}: {path}: file missing or outside the set; kept as it is"
            ));
            continue;
        };
        let (home, rel) = if to_pool {
            if below(&audio, &file).is_some() {
                continue;
            }
            let rel = below(dir, &file).unwrap_or_else(|| lossy_name(&file));
            (audio.clone(), rel)
        } else {
            if below(dir, &file).is_some() {
                continue;
            }
            let rel = below(&audio, &file).unwrap_or_else(|| lossy_name(&file));
            (dir.to_path_buf(), rel)
        };
        let (target, write) = place(&file, &home.join(&rel), &mut planned, &mut hashes);
        let Some(to) = slot_path_for(dir, &audio, &target) else {
            continue;
        };
        if write && let Some(side) = sidecar::find(&file) {
            let side_to = sidecar::destination(&target, &side);
            if fs::symlink_metadata(&side_to).is_err() {
                plan.sidecars.push((dir.to_path_buf(), side, side_to));
            }
        }
        plan.changes.push(Change {
            project: dir.to_path_buf(),
            slot,
            from: path,
            to,
            copy: write.then(|| (file.clone(), target.clone())),
        });
    }
    Ok(plan)
}

fn lossy_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sample.wav".into())
}

/// What [`apply`] wrote, project by project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Files written (copies, project files), in order.
    pub written: Vec<PathBuf>,
    /// Backups made of replaced project files.
    pub backups: Vec<PathBuf>,
    /// Slots changed.
    pub slots: usize,
}

/// Applies a plan project by project: for each, the copies it carries and its new slot paths
/// are committed together ([`Project::save_with`]); a failure leaves that project and its
/// copies as they were (projects done before it stay done and are in the error's `Applied`).
pub fn apply(plan: &FixPlan) -> Result<Applied, Box<(Applied, FixError)>> {
    let mut done = Applied::default();
    let mut order: Vec<&Path> = Vec::new();
    let dirs = plan.changes.iter().map(|c| &c.project);
    for d in dirs.chain(plan.sidecars.iter().map(|s| &s.0)) {
        if !order.contains(&d.as_path()) {
            order.push(d);
        }
    }
    for dir in order {
        if let Err(e) = apply_project(plan, dir, &mut done) {
            return Err(Box::new((done, e)));
        }
    }
    Ok(done)
}

fn apply_project(plan: &FixPlan, dir: &Path, done: &mut Applied) -> Result<(), FixError> {
    let mut p = open(dir)?;
    let mut txn = Txn::new(Some(dir));
    let mut slots_changed = 0;
    for c in plan.changes.iter().filter(|c| c.project == dir) {
        if let Some((from, to)) = &c.copy {
            if let Some(parent) = to.parent() {
                txn.create_dir_all(parent)?;
            }
            txn.push(Item::copy_new(to, from));
        }
        let now = p.project_file().slot(c.slot).map(|s| s.path);
        if now.as_deref() != Some(c.from.as_str()) {
            return Err(FixError::Invalid(format!(
                "{} {}: PATH is now {:?}, the plan expected {:?}; nothing written (plan again)",
                dir.display(),
                c.slot,
                now.unwrap_or_default(),
                c.from
            )));
        }
        slots::set_attr(&mut p, c.slot, SlotAttr::Path(c.to.clone()))?;
        slots_changed += 1;
    }
    for (_, from, to) in plan.sidecars.iter().filter(|s| s.0 == dir) {
        txn.push(Item::copy_new(to, from));
    }
    let report = p.save_with(false, txn)?;
    done.written.extend(report.copied);
    done.written.extend(report.written);
    done.backups.extend(report.backups);
    done.slots += slots_changed;
    Ok(())
}
