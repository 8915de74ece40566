//! Saving: only changed files, atomically, with backups, refusing to overwrite external changes.
//!
//! - [`Project::save`] writes the changed `.work` files. A file whose bytes come out
//!   identical to what was read is not rewritten. `.strd` files are never touched.
//! - [`Project::save_stored`] does what the device's SAVE PROJECT does: saves, then
//!   writes the `.strd` copies (`.strd` = current `.work` content) where they differ.
//! - A project opened from a zip is saved by rewriting the zip atomically (backup of the old zip
//!   in `.octa-backup/` beside it); use [`Project::save_as`] to save it to a folder instead.
//! - Before anything is written, every target is compared with what was read (length and hash);
//!   if one changed on disk, nothing is written and [`ProjectError::ChangedOnDisk`] names it,
//!   unless `force` is set.

use super::archive::{self, Entry};
use super::durable::{Item, ProjectLock, Txn};
use super::error::{ProjectError, Result};
use super::files::{FileId, FileSlot, OtFile};
use super::model::{Location, Pair, Project};
use super::store::{self, Backup, Fingerprint};
use std::path::{Path, PathBuf};

/// What a save wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveReport {
    /// Files written (for a zip: the zip).
    pub written: Vec<PathBuf>,
    /// Backup copies of the replaced files.
    pub backups: Vec<PathBuf>,
    /// New files committed with the save (sample copies).
    pub copied: Vec<PathBuf>,
    /// Old backup folders removed by the pruning rule after the save.
    pub pruned: Vec<PathBuf>,
}

struct Planned {
    id: FileId,
    stored: bool,
    bytes: Vec<u8>,
    expected: Option<Fingerprint>,
}

trait PairOps {
    /// Records that `bytes` are now on disk for the `.work` (or `.strd`) file.
    fn saved(&mut self, stored: bool, bytes: &[u8]);
    fn clean(&mut self);
}

impl<T: OtFile> PairOps for Pair<T> {
    fn saved(&mut self, stored: bool, bytes: &[u8]) {
        if stored {
            // Parsed again rather than cloned: the written bytes are what the `.strd` now holds
            // (and large files such as banks are costly to clone).
            self.strd = FileSlot::<T>::read(bytes).ok().map(|(s, _)| s);
        } else {
            self.work.mark_saved(Fingerprint::of(bytes));
        }
    }
    fn clean(&mut self) {
        if let super::files::Origin::Read(fp) = self.work.origin() {
            self.work.mark_saved(fp);
        }
    }
}

impl Project {
    fn pair_mut(&mut self, id: FileId) -> &mut dyn PairOps {
        match id {
            FileId::Project => &mut self.project,
            FileId::Bank(i) => &mut self.banks[i],
            FileId::Markers => &mut self.markers,
            FileId::Arrangement(i) => &mut self.arrangements[i],
        }
    }

    fn location_path(&self) -> PathBuf {
        match &self.location {
            Location::Folder(p) => p.clone(),
            Location::Zip { archive, .. } => archive.clone(),
            Location::Untitled => PathBuf::new(),
        }
    }

    /// Writes the changed `.work` files (see the module docs). `force` overwrites files changed on disk.
    pub fn save(&mut self, force: bool) -> Result<SaveReport> {
        self.check_writable()?;
        let plan = self.work_plan();
        self.execute(plan, force, Txn::new(None))
    }

    /// Saves like [`Project::save`], committing the files already staged in `txn` (sample
    /// copies) together with the project's files: all are written or none.
    pub fn save_with(&mut self, force: bool, txn: Txn) -> Result<SaveReport> {
        self.check_writable()?;
        let plan = self.work_plan();
        self.execute(plan, force, txn)
    }

    /// The changed `.work` files (marking clean those whose bytes came out as read).
    fn work_plan(&mut self) -> Vec<Planned> {
        let mut plan = Vec::new();
        for id in FileId::all() {
            let (dirty, expected, bytes) = self.with_slot(id, false, |s| match s {
                Some(s) if s.is_dirty => (true, s.fingerprint, Some(s.bytes())),
                _ => (false, None, None),
            });
            let (true, Some(bytes)) = (dirty, bytes) else {
                continue;
            };
            if expected == Some(Fingerprint::of(&bytes)) {
                self.pair_mut(id).clean();
                continue;
            }
            plan.push(Planned {
                id,
                stored: false,
                bytes,
                expected,
            });
        }
        plan
    }

    /// Saves, then writes the device's "saved" state: each `.strd` becomes the current `.work`
    /// content (only where it differs; files absent from the project stay absent). The `.work`
    /// and `.strd` files are written together, all or nothing.
    pub fn save_stored(&mut self, force: bool) -> Result<SaveReport> {
        self.check_writable()?;
        let mut plan = self.work_plan();
        let mut strd = Vec::new();
        for id in FileId::all() {
            let planned = plan.iter().find(|p| p.id == id).map(|p| p.bytes.clone());
            let work_fp = match &planned {
                Some(b) => Some(Fingerprint::of(b)),
                None => self.read_fingerprint(id, false),
            };
            let Some(work_fp) = work_fp else {
                continue;
            };
            let strd_fp = self.read_fingerprint(id, true);
            if strd_fp == Some(work_fp) {
                continue;
            }
            if let Some(bytes) = planned.or_else(|| self.file_bytes(id, false)) {
                strd.push(Planned {
                    id,
                    stored: true,
                    bytes,
                    expected: strd_fp,
                });
            }
        }
        plan.extend(strd);
        self.execute(plan, force, Txn::new(None))
    }

    /// Saves every file (all 26 `.work` files and the `.strd` files present) into `dir`, which must
    /// be absent or empty, and makes `dir` the project's location. Samples are not copied.
    pub fn save_as(&mut self, dir: &Path) -> Result<SaveReport> {
        if self.partial {
            // Banks that were not read would be written as blanks.
            return Err(ProjectError::ReadOnly {
                path: self.location_path(),
            });
        }
        if !store::is_free_target(dir)? {
            return Err(ProjectError::TargetExists {
                path: dir.to_path_buf(),
            });
        }
        let mut txn = Txn::new(Some(dir));
        txn.create_dir_all(dir)?;
        let mut report = SaveReport::default();
        let mut saved = Vec::new();
        for id in FileId::all() {
            for stored in [false, true] {
                let Some(bytes) = self.file_bytes(id, stored) else {
                    continue;
                };
                let path = dir.join(id.file_name(stored));
                txn.push(Item::replace(&path, bytes.clone()));
                saved.push((id, stored, bytes));
                report.written.push(path);
            }
        }
        txn.commit()?;
        for (id, stored, bytes) in saved {
            self.pair_mut(id).saved(stored, &bytes);
        }
        self.location = Location::Folder(dir.to_path_buf());
        if let Some(n) = dir.file_name() {
            self.name = n.to_string_lossy().into_owned();
        }
        self.read_only = false;
        Ok(report)
    }

    pub(super) fn check_writable(&self) -> Result<()> {
        if self.read_only || self.partial {
            return Err(ProjectError::ReadOnly {
                path: self.location_path(),
            });
        }
        if matches!(self.location, Location::Untitled) {
            return Err(ProjectError::Untitled);
        }
        Ok(())
    }

    fn execute(&mut self, plan: Vec<Planned>, force: bool, txn: Txn) -> Result<SaveReport> {
        if plan.is_empty() && txn.is_empty() {
            return Ok(SaveReport::default());
        }
        self.check_writable()?;
        match &self.location {
            Location::Folder(dir) => {
                let dir = dir.clone();
                self.execute_folder(&dir, plan, force, txn)
            }
            Location::Zip { .. } if txn.is_empty() => self.execute_zip(plan, force),
            Location::Zip { archive, .. } => Err(ProjectError::io(
                archive,
                std::io::Error::other("copying sample files into a zip is not supported"),
            )),
            Location::Untitled => Err(ProjectError::Untitled),
        }
    }

    fn execute_folder(
        &mut self,
        dir: &Path,
        plan: Vec<Planned>,
        force: bool,
        mut txn: Txn,
    ) -> Result<SaveReport> {
        // Held from the check for changes on disk to the last rename: another octa process
        // saving this project waits, then finds the files changed and refuses.
        let _lock = ProjectLock::acquire(dir)?;
        if !force {
            for p in &plan {
                let path = dir.join(p.id.file_name(p.stored));
                if store::fingerprint_on_disk(&path)? != p.expected {
                    return Err(ProjectError::ChangedOnDisk { path });
                }
            }
        }
        txn.set_journal_dir(dir);
        let mut report = SaveReport::default();
        let mut backup = Backup::new();
        for p in &plan {
            let path = dir.join(p.id.file_name(p.stored));
            if let Some(b) = backup.stage(&mut txn, &path)? {
                report.backups.push(b);
            }
        }
        for p in &plan {
            let path = dir.join(p.id.file_name(p.stored));
            txn.push(Item::replace(&path, p.bytes.clone()));
        }
        report.copied = txn.new_files();
        txn.commit()?;
        for p in plan {
            let path = dir.join(p.id.file_name(p.stored));
            self.pair_mut(p.id).saved(p.stored, &p.bytes);
            report.written.push(path);
        }
        report.pruned = super::backups::prune_after_save(dir);
        Ok(report)
    }

    fn execute_zip(&mut self, plan: Vec<Planned>, force: bool) -> Result<SaveReport> {
        let Location::Zip {
            archive,
            dir,
            entries,
            fingerprint,
        } = &self.location
        else {
            return Err(ProjectError::Untitled);
        };
        let archive = archive.clone();
        let folder = match archive.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let _lock = ProjectLock::acquire(&folder)?;
        if !force && store::fingerprint_on_disk(&archive)? != Some(*fingerprint) {
            return Err(ProjectError::ChangedOnDisk { path: archive });
        }
        let mut entries: Vec<Entry> = entries.clone();
        for p in &plan {
            let name = format!("{dir}{}", p.id.file_name(p.stored));
            match entries
                .iter_mut()
                .find(|e| e.name.eq_ignore_ascii_case(&name))
            {
                Some(e) => e.data = p.bytes.clone(),
                None => entries.push(Entry::new(name, p.bytes.clone())),
            }
        }
        let bytes = archive::write_zip(&archive, &entries)?;
        let mut report = SaveReport::default();
        let mut txn = Txn::new(Some(&folder));
        let mut backup = Backup::new();
        if let Some(b) = backup.stage(&mut txn, &archive)? {
            report.backups.push(b);
        }
        txn.push(Item::replace(&archive, bytes.clone()));
        txn.commit()?;
        report.written.push(archive.clone());
        report.pruned = super::backups::prune_after_save(&folder);
        for p in &plan {
            self.pair_mut(p.id).saved(p.stored, &p.bytes);
        }
        if let Location::Zip {
            entries: e,
            fingerprint: f,
            ..
        } = &mut self.location
        {
            *e = entries;
            *f = Fingerprint::of(&bytes);
        }
        Ok(report)
    }
}
