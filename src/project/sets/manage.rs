//! Creating, copying, moving, renaming, deleting and restoring projects and sets, every write
//! through [`crate::project::durable`].
//!
//! - Names follow the device's rules ([`super::names`]).
//! - A copy is planned first ([`plan_project_copy`], [`plan_set_copy`]): the files, the pool
//!   samples the project uses (into the destination set's `AUDIO`, identical files reused, a
//!   clash renamed, as every copy does: [`crate::project::copy`]), the slot paths rewritten,
//!   the bytes needed. Free space is checked before anything is written.
//! - [`execute`] writes everything into a hidden folder of the destination
//!   (`.NAME.octa-copy-PID-N`) in one [`Txn`] (each file verified by size and SHA-256, the pool
//!   samples committed with it), then renames that folder to its name: a cancel or a failure
//!   leaves no partial project (the transaction removes what it staged).
//! - Delete moves the folder into the set's trash (`.octa-trash/STAMP/NAME`, restorable with
//!   [`restore_project`]); nothing is ever unlinked. A move is a copy, then the source goes to
//!   its set's trash.

use super::names::{self, NameError};
use super::{COPY_MARK, TRASH, space};
use crate::format::project_file::ProjectFile;
use crate::format::project_file::SlotAttr;
use crate::project::copy::{FileCopy, Taken, place_file};
use crate::project::durable::{self, Content, Item, ProjectLock, Txn};
use crate::project::error::ProjectError;
use crate::project::model::{AudioPool, Location};
use crate::project::{OpenOptions, Project, read};
use std::fs;
use std::path::{Path, PathBuf};

/// Room kept free beyond the bytes a copy writes (file system overhead, the journal).
pub const SPACE_MARGIN: u64 = 1 << 20;
/// Overhead counted per file written (a file system block).
const PER_FILE: u64 = 4096;

/// Why a set or project operation failed (nothing was written unless it says so).
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// A name the device refuses.
    #[error(transparent)]
    Name(#[from] NameError),
    /// Reading, opening or writing failed.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// Not a project folder.
    #[error("{}: expected a project folder (with project.work or project.strd)", .0.display())]
    NotAProject(PathBuf),
    /// Not a folder.
    #[error("{}: expected a folder", .0.display())]
    NotAFolder(PathBuf),
    /// The target exists.
    #[error("{}: exists already; choose another name", .0.display())]
    Exists(PathBuf),
    /// Not enough free space.
    #[error("{}: {need} bytes needed ({}), {free} bytes free ({}); nothing was written", .path.display(), super::human_bytes(*.need), super::human_bytes(*.free))]
    NoSpace {
        /// The destination.
        path: PathBuf,
        /// Bytes needed (with the margin).
        need: u64,
        /// Bytes free.
        free: u64,
    },
    /// A copy or move onto itself or into itself.
    #[error("{}: {why}", .path.display())]
    Refused {
        /// The folder.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// Nothing of that name in the trash.
    #[error("{}: no {name:?} in its trash ({TRASH}){}", .set.display(), if .found.is_empty() { String::new() } else { format!("; it holds {}", .found.join(", ")) })]
    NotInTrash {
        /// The set.
        set: PathBuf,
        /// The name asked for.
        name: String,
        /// What the trash holds (`STAMP/NAME`).
        found: Vec<String>,
    },
}

/// Result of set operations.
pub type Result<T, E = SetError> = std::result::Result<T, E>;

/// Told of each file written (its target and size); returning false cancels the copy.
pub type Watch = Box<dyn FnMut(&Path, u64) -> bool>;

/// A copy, planned: nothing is written yet.
#[derive(Debug, Clone, Default)]
pub struct CopyPlan {
    /// The folder the copy becomes.
    pub dest: PathBuf,
    /// The folder it is written in first (hidden, renamed to `dest` at the end).
    pub staging: PathBuf,
    /// Files copied as they are: source, path below `dest`.
    pub files: Vec<(PathBuf, PathBuf)>,
    /// Files written with new content (`project.work`/`.strd` with rewritten slot paths):
    /// path below `dest`, bytes.
    pub rewritten: Vec<(PathBuf, Vec<u8>)>,
    /// Folders below `dest` to create.
    pub dirs: Vec<PathBuf>,
    /// Pool samples (and their `.ot` files) copied into the destination set's `AUDIO`.
    pub pool: Vec<FileCopy>,
    /// Slot paths changed: `project.work F3: ../AUDIO/a.wav -> ../AUDIO/a-2.wav`.
    pub slot_changes: Vec<String>,
    /// Pool samples already in the destination (same bytes): used as they are.
    pub reused: usize,
    /// Things to know (missing samples, renamed files, links not copied).
    pub notes: Vec<String>,
    /// Bytes to write.
    pub bytes: u64,
}

impl CopyPlan {
    /// Files the copy writes.
    pub fn file_count(&self) -> usize {
        self.files.len() + self.rewritten.len() + self.pool.len()
    }

    /// Bytes to have free before writing: the bytes, a block per file and [`SPACE_MARGIN`].
    pub fn needed(&self) -> u64 {
        self.bytes + PER_FILE * self.file_count() as u64 + SPACE_MARGIN
    }
}

/// What a finished operation did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The resulting folder.
    pub dest: PathBuf,
    /// Files written.
    pub written: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Where a moved or deleted folder went (in a trash).
    pub trashed: Option<PathBuf>,
    /// Lines for the user (slot changes, notes).
    pub lines: Vec<String>,
}

fn folder_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn need_dir(p: &Path) -> Result<()> {
    match fs::metadata(p) {
        Ok(m) if m.is_dir() => Ok(()),
        _ => Err(SetError::NotAFolder(p.to_path_buf())),
    }
}

fn need_project(p: &Path) -> Result<()> {
    if super::is_project(p) {
        Ok(())
    } else {
        Err(SetError::NotAProject(p.to_path_buf()))
    }
}

fn need_free(target: &Path) -> Result<()> {
    if fs::symlink_metadata(target).is_ok() {
        return Err(SetError::Exists(target.to_path_buf()));
    }
    Ok(())
}

fn canon(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

fn parent_of(p: &Path) -> PathBuf {
    let c = canon(p);
    c.parent().map(Path::to_path_buf).unwrap_or(c)
}

static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn staging_for(dest: &Path) -> PathBuf {
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let parent = dest.parent().unwrap_or(Path::new("."));
    parent.join(format!(
        ".{}{COPY_MARK}{}-{n}",
        folder_name(dest),
        std::process::id()
    ))
}

/// Whether octa's own bookkeeping (backups, journals, temp files, trash) is at `name`: not
/// copied.
fn octa_own(name: &str) -> bool {
    name.starts_with(".octa")
        || name.contains(durable::TMP_MARK)
        || name.contains(durable::OLD_MARK)
        || name.contains(COPY_MARK)
}

/// Every regular file below `root` (relative paths), its folders, its bytes; symbolic links
/// and other non-regular entries are noted and not copied; octa's bookkeeping is skipped.
fn tree(root: &Path, plan: &mut CopyPlan) -> Result<()> {
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        let rd = fs::read_dir(&dir).map_err(|e| ProjectError::io(&dir, e))?;
        let mut entries: Vec<_> = rd
            .map(|e| e.map_err(|err| ProjectError::io(&dir, err)))
            .collect::<std::result::Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if octa_own(&name.to_string_lossy()) {
                continue;
            }
            let r = rel.join(&name);
            let ft = e
                .file_type()
                .map_err(|err| ProjectError::io(e.path(), err))?;
            if ft.is_dir() {
                plan.dirs.push(r.clone());
                stack.push(r);
            } else if ft.is_file() {
                let len = e
                    .metadata()
                    .map_err(|err| ProjectError::io(e.path(), err))?
                    .len();
                plan.bytes += len;
                plan.files.push((e.path(), r));
            } else {
                plan.notes.push(format!(
                    "{}: not a regular file (a link or device); not copied",
                    e.path().display()
                ));
            }
        }
    }
    plan.dirs.sort();
    Ok(())
}

/// Plans copying the project in `src` into the set `dst_set` as `name` (see the module docs).
pub fn plan_project_copy(src: &Path, dst_set: &Path, name: &str) -> Result<CopyPlan> {
    names::check(name)?;
    need_project(src)?;
    need_dir(dst_set)?;
    let dest = dst_set.join(name);
    need_free(&dest)?;
    if canon(dst_set).starts_with(canon(src)) {
        return Err(SetError::Refused {
            path: dst_set.to_path_buf(),
            why: "is inside the project being copied".into(),
        });
    }
    let mut plan = CopyPlan {
        staging: staging_for(&dest),
        dest: dest.clone(),
        ..CopyPlan::default()
    };
    tree(src, &mut plan)?;
    let same_set = canon(dst_set) == parent_of(src);
    let source = Project::open(
        src,
        &OpenOptions {
            read_only: true,
            ..OpenOptions::default()
        },
    )?;
    // The destination as `place_file` sees it: a project folder in the destination set.
    let mut target = Project::new_blank(name);
    target.location = Location::Folder(dest.clone());
    target.audio = Some(AudioPool::Folder(dst_set.join("AUDIO")));
    let src_dir = canon(src);
    let mut taken = Taken::new();
    for file in ["project.work", "project.strd"] {
        let path = src.join(file);
        let Some(bytes) = read::read_optional(
            &path,
            read::Limit::for_kind(crate::format::file::Kind::Project),
        )?
        else {
            continue;
        };
        let mut pf = ProjectFile::parse(&bytes).map_err(|e| ProjectError::format(&path, e))?;
        let mut changed = false;
        for slot in pf.slots() {
            if slot.path.is_empty() {
                continue;
            }
            let what = format!("{} {file} {}", source.name(), slot.slot);
            // Only paths inside the project or its set's AUDIO folder (else refused, named).
            let resolved = crate::project::contain::slot_file(&source, &what, &slot.path)?;
            let local = resolved
                .as_ref()
                .is_some_and(|r| canon(r).starts_with(&src_dir))
                || !slot.path.replace('\\', "/").starts_with("../");
            if local {
                if !resolved.is_some_and(|r| r.is_file()) {
                    plan.notes.push(format!(
                        "{file} {}: {}: missing (project-local); path kept",
                        slot.slot, slot.path
                    ));
                }
                continue;
            }
            if same_set {
                if !source.sample_exists(&slot.path) {
                    plan.notes.push(format!(
                        "{file} {}: {}: missing; path kept",
                        slot.slot, slot.path
                    ));
                }
                continue;
            }
            let before = plan.notes.len();
            let (new_path, files) =
                place_file(&source, &target, &slot.path, &taken, &mut plan.notes);
            for n in &mut plan.notes[before..] {
                *n = format!("{file} {}: {n}", slot.slot);
            }
            if files.is_empty() && source.sample_exists(&slot.path) {
                plan.reused += 1;
            }
            for f in files {
                if taken.insert(f.to.clone(), f.from.clone()).is_none() {
                    plan.bytes += fs::metadata(&f.from).map_or(0, |m| m.len());
                    plan.pool.push(f);
                }
            }
            if new_path != slot.path {
                pf.set_slot_attr(slot.slot, SlotAttr::Path(new_path.clone()))
                    .map_err(|e| ProjectError::format(&path, e))?;
                plan.slot_changes
                    .push(format!("{file} {}: {} -> {new_path}", slot.slot, slot.path));
                changed = true;
            }
        }
        if changed {
            let out = pf.to_bytes();
            plan.files.retain(|(_, r)| r != Path::new(file));
            plan.bytes = plan.bytes - bytes.len() as u64 + out.len() as u64;
            plan.rewritten.push((PathBuf::from(file), out));
        }
    }
    Ok(plan)
}

/// Plans copying the set `src` into the folder `dst_parent` as `name`: every file (octa's
/// trash and bookkeeping aside), paths unchanged (slot paths are relative).
pub fn plan_set_copy(src: &Path, dst_parent: &Path, name: &str) -> Result<CopyPlan> {
    names::check(name)?;
    need_dir(src)?;
    need_dir(dst_parent)?;
    let dest = dst_parent.join(name);
    need_free(&dest)?;
    if canon(dst_parent).starts_with(canon(src)) {
        return Err(SetError::Refused {
            path: dst_parent.to_path_buf(),
            why: "is inside the set being copied".into(),
        });
    }
    let mut plan = CopyPlan {
        staging: staging_for(&dest),
        dest,
        ..CopyPlan::default()
    };
    tree(src, &mut plan)?;
    Ok(plan)
}

/// Refuses a plan the destination has no room for (before anything is written).
pub fn check_space(plan: &CopyPlan) -> Result<()> {
    let at = plan.dest.parent().unwrap_or(Path::new("."));
    let free = space::free_bytes(at).map_err(|e| ProjectError::io(at, e))?;
    let need = plan.needed();
    if free < need {
        return Err(SetError::NoSpace {
            path: at.to_path_buf(),
            need,
            free,
        });
    }
    Ok(())
}

/// Writes a planned copy (see the module docs): space checked, everything staged in the hidden
/// folder and the pool in one transaction, then the folder renamed to its name.
pub fn execute(plan: &CopyPlan, watch: Option<Watch>) -> Result<Report> {
    check_space(plan)?;
    need_free(&plan.dest)?;
    let staging = &plan.staging;
    let mut txn = Txn::new(Some(staging));
    txn.create_dir(staging)
        .map_err(|e| ProjectError::io(staging, e))?;
    for d in &plan.dirs {
        txn.create_dir_all(&staging.join(d))?;
    }
    for f in &plan.pool {
        if let Some(dir) = f.to.parent() {
            txn.create_dir_all(dir)?;
        }
        txn.push(Item::copy_new(&f.to, &f.from));
    }
    for (from, rel) in &plan.files {
        txn.push(Item::copy_new(&staging.join(rel), from));
    }
    for (rel, bytes) in &plan.rewritten {
        txn.push(Item::new_file(
            &staging.join(rel),
            Content::Bytes(bytes.clone()),
        ));
    }
    if let Some(w) = watch {
        txn.on_progress(durable::Progress(w));
    }
    let written = match txn.commit() {
        Ok(w) => w,
        Err(e) => {
            // Failing after its renames (a folder flush), the transaction keeps what it wrote:
            // the hidden copy goes again, so no partial project is left.
            remove_staging(plan);
            return Err(e.into());
        }
    };
    let mut lines = plan.slot_changes.clone();
    if let Err(e) = durable::rename_noreplace_synced(staging, &plan.dest) {
        if fs::symlink_metadata(staging).is_err() && plan.dest.is_dir() {
            // Renamed; only flushing the folder failed: the copy is whole and in place.
            lines.push(format!(
                "warning: the folder flush after the rename failed: {e}"
            ));
        } else {
            // The copy is whole but its name was taken meanwhile: take the staged copy away.
            remove_staging(plan);
            return Err(e.into());
        }
    }
    lines.extend(
        plan.pool
            .iter()
            .map(|f| format!("copied into the pool: {}", f.to.display())),
    );
    lines.extend(plan.notes.iter().cloned());
    Ok(Report {
        dest: plan.dest.clone(),
        written: written.len(),
        bytes: plan.bytes,
        trashed: None,
        lines,
    })
}

/// Removes what a failed copy left in its hidden staging folder (only the files and folders
/// the plan names, and octa's own temp files and journal there), then the folder.
fn remove_staging(plan: &CopyPlan) {
    let staging = &plan.staging;
    if fs::symlink_metadata(staging).is_err() {
        return;
    }
    let mut dirs: Vec<PathBuf> = vec![staging.clone()];
    dirs.extend(plan.dirs.iter().map(|d| staging.join(d)));
    for d in dirs.iter().rev() {
        let Ok(rd) = fs::read_dir(d) else { continue };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = e
                .path()
                .strip_prefix(staging)
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let ours = plan.files.iter().any(|(_, r)| *r == rel)
                || plan.rewritten.iter().any(|(r, _)| *r == rel)
                || name == durable::JOURNAL
                || name.contains(durable::TMP_MARK);
            if ours && e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = durable::remove_file(&e.path());
            }
        }
        let _ = durable::remove_dir(d);
    }
}

/// Compares every file of a finished copy with its source (size and SHA-256): the mismatches,
/// one line each (empty when all match).
pub fn verify(plan: &CopyPlan) -> Vec<String> {
    let mut bad = Vec::new();
    let mut check =
        |from: &Path, to: &Path| match (durable::hash_file(from), durable::hash_file(to)) {
            (Ok(a), Ok(b)) if a == b => {}
            (Ok(a), Ok(b)) => bad.push(format!(
                "{}: differs from {} ({} and {} bytes)",
                to.display(),
                from.display(),
                b.0,
                a.0
            )),
            (Err(e), _) | (_, Err(e)) => bad.push(e.to_string()),
        };
    for (from, rel) in &plan.files {
        check(from, &plan.dest.join(rel));
    }
    for f in &plan.pool {
        check(&f.from, &f.to);
    }
    bad
}

/// Copies the project in `src` into the set `dst_set` as `name` (default: its own name).
pub fn copy_project(
    src: &Path,
    dst_set: &Path,
    name: Option<&str>,
    watch: Option<Watch>,
) -> Result<Report> {
    let name = name.map_or_else(|| folder_name(src), str::to_string);
    let _lock = ProjectLock::acquire(src)?;
    let plan = plan_project_copy(src, dst_set, &name)?;
    execute(&plan, watch)
}

/// Moves the project in `src` into the set `dst_set` (as `name`): within its set, a rename;
/// else a copy (samples brought along) after which the source goes to its set's trash.
pub fn move_project(
    src: &Path,
    dst_set: &Path,
    name: Option<&str>,
    watch: Option<Watch>,
) -> Result<Report> {
    let name = name.map_or_else(|| folder_name(src), str::to_string);
    if canon(dst_set) == parent_of(src) {
        return rename_project(src, &name);
    }
    let _lock = ProjectLock::acquire(src)?;
    let plan = plan_project_copy(src, dst_set, &name)?;
    finish_move(src, &plan, watch)
}

/// Carries out a move planned with [`plan_project_copy`] into another set: the copy, then the
/// source goes to its set's trash (a cancelled or failed copy leaves the source as it was).
/// The caller holds the source's [`ProjectLock`].
pub fn finish_move(src: &Path, plan: &CopyPlan, watch: Option<Watch>) -> Result<Report> {
    let mut report = execute(plan, watch)?;
    report.trashed = Some(trash(src)?);
    Ok(report)
}

/// Renames the project (or set) folder `src` to `name` within its parent.
pub fn rename_project(src: &Path, name: &str) -> Result<Report> {
    names::check(name)?;
    need_dir(src)?;
    let to = src.parent().unwrap_or(Path::new(".")).join(name);
    need_free(&to)?;
    let _lock = ProjectLock::acquire(src)?;
    durable::rename_noreplace_synced(src, &to)?;
    Ok(Report {
        dest: to,
        ..Report::default()
    })
}

/// Renames a set folder (slot paths are relative: nothing inside changes).
pub fn rename_set(src: &Path, name: &str) -> Result<Report> {
    rename_project(src, name)
}

/// Moves `folder` into the trash beside it (`PARENT/.octa-trash/STAMP/NAME`); returns where.
fn trash(folder: &Path) -> Result<PathBuf> {
    let parent = folder.parent().unwrap_or(Path::new("."));
    let bin = parent.join(TRASH);
    match fs::symlink_metadata(&bin) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            // A link or a file: the project would go wherever it leads.
            return Err(SetError::Refused {
                path: bin,
                why: "is not a folder (a link?); nothing was moved".into(),
            });
        }
        Err(_) => durable::create_dir(&bin)?,
    }
    let stamp = crate::project::store::utc_stamp(std::time::SystemTime::now());
    let mut slot = bin.join(&stamp);
    let mut n = 2;
    while fs::symlink_metadata(&slot).is_ok() {
        slot = bin.join(format!("{stamp}-{n}"));
        n += 1;
    }
    durable::create_dir(&slot)?;
    let to = slot.join(folder.file_name().unwrap_or_default());
    if let Err(e) = durable::rename_noreplace_synced(folder, &to) {
        let _ = durable::remove_dir(&slot);
        return Err(e.into());
    }
    Ok(to)
}

/// Deletes the project in `src`: moves it into its set's trash (restorable).
pub fn delete_project(src: &Path) -> Result<Report> {
    need_project(src)?;
    let _lock = ProjectLock::acquire(src)?;
    let to = trash(src)?;
    Ok(Report {
        dest: to.clone(),
        trashed: Some(to),
        ..Report::default()
    })
}

/// Deletes the set `src`: moves it into the trash of the folder holding it.
pub fn delete_set(src: &Path) -> Result<Report> {
    need_dir(src)?;
    let to = trash(src)?;
    Ok(Report {
        dest: to.clone(),
        trashed: Some(to),
        ..Report::default()
    })
}

/// What the trash of `set` holds: (stamp, name, folder), oldest first.
pub fn trash_list(set: &Path) -> Vec<(String, String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(set.join(TRASH)) else {
        return out;
    };
    for stamp in rd.flatten() {
        if !stamp.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let Ok(inner) = fs::read_dir(stamp.path()) else {
            continue;
        };
        for e in inner.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                out.push((
                    stamp.file_name().to_string_lossy().into_owned(),
                    e.file_name().to_string_lossy().into_owned(),
                    e.path(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Brings `name` back from the trash of `set` (the newest, or the one of `stamp`) as
/// `set/name`; refused when that name is taken.
pub fn restore_project(set: &Path, name: &str, stamp: Option<&str>) -> Result<Report> {
    let all = trash_list(set);
    let hit = all
        .iter()
        .rfind(|(s, n, _)| n == name && stamp.is_none_or(|st| s.starts_with(st)))
        .ok_or_else(|| SetError::NotInTrash {
            set: set.to_path_buf(),
            name: name.into(),
            found: all.iter().map(|(s, n, _)| format!("{s}/{n}")).collect(),
        })?;
    let to = set.join(name);
    need_free(&to)?;
    durable::rename_noreplace_synced(&hit.2, &to)?;
    if let Some(slot) = hit.2.parent() {
        // The stamp's folder, when now empty.
        let _ = durable::remove_dir(slot);
    }
    Ok(Report {
        dest: to,
        ..Report::default()
    })
}

/// Creates an empty set `dir` (with its `AUDIO` folder), all or nothing.
pub fn new_set(dir: &Path) -> Result<Report> {
    names::check(&folder_name(dir))?;
    need_dir(
        dir.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )?;
    need_free(dir)?;
    let staging = staging_for(dir);
    durable::create_dir(&staging)?;
    let made = durable::create_dir(&staging.join("AUDIO"))
        .and_then(|()| durable::rename_noreplace_synced(&staging, dir));
    if let Err(e) = made {
        let _ = durable::remove_dir(&staging.join("AUDIO"));
        let _ = durable::remove_dir(&staging);
        return Err(e.into());
    }
    Ok(Report {
        dest: dir.to_path_buf(),
        ..Report::default()
    })
}

/// Creates a blank project `dir` in a set (the device's blank files), all or nothing.
pub fn new_project(dir: &Path) -> Result<Report> {
    let name = folder_name(dir);
    names::check(&name)?;
    need_free(dir)?;
    let saved = Project::new_blank(&name).save_as(dir)?;
    Ok(Report {
        dest: dir.to_path_buf(),
        written: saved.written.len(),
        ..Report::default()
    })
}

/// Copies the set `src` into `dst_parent` as `name` (default: its own name), then verifies
/// every file by size and SHA-256 (a backup of a card, or back).
pub fn copy_set(
    src: &Path,
    dst_parent: &Path,
    name: Option<&str>,
    watch: Option<Watch>,
) -> Result<Report> {
    let name = name.map_or_else(|| folder_name(src), str::to_string);
    let plan = plan_set_copy(src, dst_parent, &name)?;
    let mut report = execute(&plan, watch)?;
    let bad = verify(&plan);
    if !bad.is_empty() {
        return Err(SetError::Refused {
            path: plan.dest.clone(),
            why: format!(
                "copied, but {} file(s) differ from the source: {}",
                bad.len(),
                bad.join("; ")
            ),
        });
    }
    report.lines.push(format!(
        "verified {} files (size and SHA-256)",
        plan.files.len()
    ));
    Ok(report)
}

/// Bytes of the regular files below `dir` (links not followed).
pub fn tree_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => total += e.metadata().map_or(0, |m| m.len()),
                _ => {}
            }
        }
    }
    total
}

/// Empties the trash of `set` (`set/.octa-trash`): the only operation that really deletes.
/// With `stamp`, only the deletions whose stamp starts with it. Removes files, links (never
/// followed) and folders below the trash only; returns what went (`STAMP/NAME`) and its bytes.
pub fn empty_trash(set: &Path, stamp: Option<&str>) -> Result<Report> {
    let bin = set.join(TRASH);
    need_dir(set)?;
    if fs::symlink_metadata(&bin).is_ok_and(|m| !m.is_dir()) {
        // A link (or a file) where the trash should be: emptying it would reach elsewhere.
        return Err(SetError::Refused {
            path: bin,
            why: "is not a folder (a link?); not emptied".into(),
        });
    }
    let mut gone = Vec::new();
    let mut bytes = 0;
    let Ok(rd) = fs::read_dir(&bin) else {
        return Ok(Report {
            dest: bin,
            ..Report::default()
        });
    };
    let mut stamps: Vec<_> = rd.flatten().collect();
    stamps.sort_by_key(|e| e.file_name());
    for st in stamps {
        let sname = st.file_name().to_string_lossy().into_owned();
        if stamp.is_some_and(|p| !sname.starts_with(p)) {
            continue;
        }
        let path = st.path();
        if !st.file_type().is_ok_and(|t| t.is_dir()) {
            // Not a deletion of octa's: left alone.
            continue;
        }
        for (s, n, p) in trash_list(set).into_iter().filter(|(s, _, _)| *s == sname) {
            bytes += tree_bytes(&p);
            gone.push(format!("{s}/{n}"));
        }
        remove_tree(&bin, &path)?;
    }
    if fs::read_dir(&bin).is_ok_and(|mut r| r.next().is_none()) {
        durable::remove_dir(&bin)?;
    }
    Ok(Report {
        dest: bin,
        written: 0,
        bytes,
        trashed: None,
        lines: gone,
    })
}

/// Removes `dir` and everything below it, which must be inside `within` (checked on the path
/// as written and after resolving it, so a link never leads the removal elsewhere).
fn remove_tree(within: &Path, dir: &Path) -> Result<()> {
    let inside = canon(dir).starts_with(canon(within)) && dir.starts_with(within);
    if !inside || fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(SetError::Refused {
            path: dir.to_path_buf(),
            why: format!("not inside {}; not removed", within.display()),
        });
    }
    let rd = fs::read_dir(dir).map_err(|e| ProjectError::io(dir, e))?;
    for e in rd {
        let e = e.map_err(|err| ProjectError::io(dir, err))?;
        let p = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(within, &p)?;
        } else {
            // Files and links (the link itself, never its target).
            durable::remove_file(&p)?;
        }
    }
    durable::remove_dir(dir)?;
    Ok(())
}

/// Compares the copy `copy` of the folder `src` file by file (size and SHA-256; octa's trash
/// and bookkeeping aside): one line per file that differs, is missing from the copy or is only
/// in the copy (empty when they match), and the number of files compared.
pub fn verify_copy(src: &Path, copy: &Path) -> Result<(Vec<String>, usize)> {
    need_dir(src)?;
    need_dir(copy)?;
    let mut a = CopyPlan {
        dest: copy.to_path_buf(),
        ..CopyPlan::default()
    };
    tree(src, &mut a)?;
    let mut b = CopyPlan::default();
    tree(copy, &mut b)?;
    let mut bad = verify(&a);
    let theirs: std::collections::BTreeSet<&PathBuf> = a.files.iter().map(|(_, r)| r).collect();
    for (p, r) in &b.files {
        if !theirs.contains(r) {
            bad.push(format!("{}: only in the copy", p.display()));
        }
    }
    Ok((bad, a.files.len()))
}
