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
        self.execute(plan, force)
    }

    /// Saves, then writes the device's "saved" state: each `.strd` becomes the current `.work`
    /// content (only where it differs; files absent from the project stay absent).
    pub fn save_stored(&mut self, force: bool) -> Result<SaveReport> {
        let mut report = self.save(force)?;
        let mut plan = Vec::new();
        for id in FileId::all() {
            let Some(work_fp) = self.read_fingerprint(id, false) else {
                continue;
            };
            let strd_fp = self.read_fingerprint(id, true);
            if strd_fp == Some(work_fp) {
                continue;
            }
            if let Some(bytes) = self.file_bytes(id, false) {
                plan.push(Planned {
                    id,
                    stored: true,
                    bytes,
                    expected: strd_fp,
                });
            }
        }
        let more = self.execute(plan, force)?;
        report.written.extend(more.written);
        report.backups.extend(more.backups);
        Ok(report)
    }

    /// Saves every file (all 26 `.work` files and the `.strd` files present) into `dir`, which must
    /// be absent or empty, and makes `dir` the project's location. Samples are not copied.
    pub fn save_as(&mut self, dir: &Path) -> Result<SaveReport> {
        if !store::is_free_target(dir)? {
            return Err(ProjectError::TargetExists {
                path: dir.to_path_buf(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| ProjectError::io(dir, e))?;
        let mut report = SaveReport::default();
        for id in FileId::all() {
            for stored in [false, true] {
                let Some(bytes) = self.file_bytes(id, stored) else {
                    continue;
                };
                let path = dir.join(id.file_name(stored));
                store::write_atomic(&path, &bytes)?;
                self.pair_mut(id).saved(stored, &bytes);
                report.written.push(path);
            }
        }
        self.location = Location::Folder(dir.to_path_buf());
        if let Some(n) = dir.file_name() {
            self.name = n.to_string_lossy().into_owned();
        }
        self.read_only = false;
        Ok(report)
    }

    fn check_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(ProjectError::ReadOnly {
                path: self.location_path(),
            });
        }
        if matches!(self.location, Location::Untitled) {
            return Err(ProjectError::Untitled);
        }
        Ok(())
    }

    fn execute(&mut self, plan: Vec<Planned>, force: bool) -> Result<SaveReport> {
        if plan.is_empty() {
            return Ok(SaveReport::default());
        }
        self.check_writable()?;
        match &self.location {
            Location::Folder(dir) => {
                let dir = dir.clone();
                self.execute_folder(&dir, plan, force)
            }
            Location::Zip { .. } => self.execute_zip(plan, force),
            Location::Untitled => Err(ProjectError::Untitled),
        }
    }

    fn execute_folder(
        &mut self,
        dir: &Path,
        plan: Vec<Planned>,
        force: bool,
    ) -> Result<SaveReport> {
        if !force {
            for p in &plan {
                let path = dir.join(p.id.file_name(p.stored));
                if store::fingerprint_on_disk(&path)? != p.expected {
                    return Err(ProjectError::ChangedOnDisk { path });
                }
            }
        }
        let mut report = SaveReport::default();
        let mut backup = Backup::new();
        for p in plan {
            let path = dir.join(p.id.file_name(p.stored));
            if let Some(b) = backup.keep(&path)? {
                report.backups.push(b);
            }
            store::write_atomic(&path, &p.bytes)?;
            self.pair_mut(p.id).saved(p.stored, &p.bytes);
            report.written.push(path);
        }
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
        let mut backup = Backup::new();
        if let Some(b) = backup.keep(&archive)? {
            report.backups.push(b);
        }
        store::write_atomic(&archive, &bytes)?;
        report.written.push(archive.clone());
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
