//! Snapshot edits: a part, a pattern, a bank, project.work, markers or an arrangement kept as
//! before/after values in the document's one history, and the operations that make them (part
//! edits as the device does them, bank-wide operations, project-wide slot operations).
//!
//! Nothing here serialises a file to find what changed: values are compared as values, and a
//! project-wide operation snapshots only the banks it is allowed to change.

use super::document::Document;
use crate::format::FormatError;
use crate::format::arrangement::Arrangement;
use crate::format::bank::{Bank, Part, Pattern};
use crate::format::markers::Markers;
use crate::format::project_file::ProjectFile;
use crate::project::{FileId, Project};

/// A before/after snapshot of one unit.
#[derive(Debug)]
pub enum Snap {
    /// The working copy of a part and the bank's edited mask.
    Part {
        /// Bank.
        bank: usize,
        /// Part 0..4.
        part: usize,
        /// Before.
        before: Box<Part>,
        /// After.
        after: Box<Part>,
        /// Edited mask before.
        mask_before: u8,
        /// Edited mask after.
        mask_after: u8,
    },
    /// A pattern.
    Pattern {
        /// Bank.
        bank: usize,
        /// Pattern 0..16.
        pattern: usize,
        /// Before.
        before: Box<Pattern>,
        /// After.
        after: Box<Pattern>,
    },
    /// A whole bank.
    Bank {
        /// Bank.
        bank: usize,
        /// Before.
        before: Box<Bank>,
        /// After.
        after: Box<Bank>,
    },
    /// project.work.
    ProjectFile {
        /// Before.
        before: Box<ProjectFile>,
        /// After.
        after: Box<ProjectFile>,
    },
    /// markers.work.
    Markers {
        /// Before.
        before: Box<Markers>,
        /// After.
        after: Box<Markers>,
    },
    /// An arrangement file.
    Arrangement {
        /// Arrangement 0..8.
        index: usize,
        /// Before.
        before: Box<Arrangement>,
        /// After.
        after: Box<Arrangement>,
    },
}

impl Snap {
    /// The file the snapshot belongs to.
    pub fn file(&self) -> FileId {
        match self {
            Snap::Part { bank, .. } | Snap::Pattern { bank, .. } | Snap::Bank { bank, .. } => {
                FileId::Bank(*bank)
            }
            Snap::ProjectFile { .. } => FileId::Project,
            Snap::Markers { .. } => FileId::Markers,
            Snap::Arrangement { index, .. } => FileId::Arrangement(*index),
        }
    }

    /// Puts the `after` (redo) or `before` (undo) value back into the project.
    pub fn put(&self, project: &mut Project, after: bool) {
        fn pick<T>(after: bool, b: T, a: T) -> T {
            if after { a } else { b }
        }
        match self {
            Snap::Part {
                bank,
                part,
                before,
                after: a,
                mask_before,
                mask_after,
            } => {
                if *bank < crate::project::BANKS {
                    let b = project.bank_mut(*bank);
                    let p: &Part = pick(after, &**before, &**a);
                    let _ = b.edit_part(*part, |x| *x = p.clone());
                    b.set_parts_edited_mask(pick(after, *mask_before, *mask_after));
                }
            }
            Snap::Pattern {
                bank,
                pattern,
                before,
                after: a,
            } => {
                if *bank < crate::project::BANKS
                    && let Some(x) = project.bank_mut(*bank).pattern_mut(*pattern)
                {
                    let p: &Pattern = pick(after, &**before, &**a);
                    *x = p.clone();
                }
            }
            Snap::Bank {
                bank,
                before,
                after: a,
            } => {
                if *bank < crate::project::BANKS {
                    let b: &Bank = pick(after, &**before, &**a);
                    *project.bank_mut(*bank) = b.clone();
                }
            }
            Snap::ProjectFile { before, after: a } => {
                let p: &ProjectFile = pick(after, &**before, &**a);
                *project.project_file_mut() = p.clone();
            }
            Snap::Markers { before, after: a } => {
                let m: &Markers = pick(after, &**before, &**a);
                *project.markers_mut() = m.clone();
            }
            Snap::Arrangement {
                index,
                before,
                after: a,
            } => {
                if *index < 8 {
                    let x: &Arrangement = pick(after, &**before, &**a);
                    *project.arrangement_mut(*index) = x.clone();
                }
            }
        }
    }
}

/// Why a snapshot edit did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The bank, part or arrangement does not exist.
    #[error("no {0}")]
    Missing(String),
    /// The format refused a value.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// The operation failed (its own message); nothing was changed.
    #[error("{0}")]
    Failed(String),
}

impl Document {
    /// Edits the working copy of a part as the device does (only that part's edited bit is
    /// set, and only when something changed), as one undo step. Returns whether it changed.
    pub fn edit_part(
        &mut self,
        bank: usize,
        part: usize,
        label: &str,
        f: impl FnOnce(&mut Part) -> Result<(), FormatError>,
    ) -> Result<bool, EditError> {
        let b = self
            .bank(bank)
            .ok_or_else(|| EditError::Missing(format!("bank {bank}")))?;
        let before = b
            .part(part)
            .cloned()
            .ok_or_else(|| EditError::Missing(format!("part {}", part + 1)))?;
        let mask_before = b.parts_edited_mask();
        let mut after = before.clone();
        f(&mut after)?;
        if after == before {
            return Ok(false);
        }
        let Some(b) = self.bank_mut(bank) else {
            return Ok(false);
        };
        b.edit_part(part, |x| *x = after.clone())?;
        let mask_after = b.parts_edited_mask();
        self.record(Snap::Part {
            bank,
            part,
            before: Box::new(before),
            after: Box::new(after),
            mask_before,
            mask_after,
        });
        self.commit(label);
        Ok(true)
    }

    /// Runs a bank-wide operation (save / reload part, a copy) as one undo step; a failed
    /// operation leaves the bank as it was.
    pub fn edit_bank(
        &mut self,
        bank: usize,
        label: &str,
        f: impl FnOnce(&mut Bank) -> Result<(), String>,
    ) -> Result<bool, EditError> {
        let before = self
            .bank(bank)
            .cloned()
            .ok_or_else(|| EditError::Missing(format!("bank {bank}")))?;
        let mut after = before.clone();
        f(&mut after).map_err(EditError::Failed)?;
        if after == before {
            return Ok(false);
        }
        if let Some(b) = self.bank_mut(bank) {
            *b = after.clone();
        }
        self.record(Snap::Bank {
            bank,
            before: Box::new(before),
            after: Box::new(after),
        });
        self.commit(label);
        Ok(true)
    }

    /// Edits project.work as one undo step.
    pub fn edit_project_file(
        &mut self,
        label: &str,
        f: impl FnOnce(&mut ProjectFile) -> Result<(), FormatError>,
    ) -> Result<bool, EditError> {
        let before = self.project.project_file().clone();
        let mut after = before.clone();
        f(&mut after)?;
        if after.to_bytes() == before.to_bytes() {
            return Ok(false);
        }
        *self.project.project_file_mut() = after.clone();
        self.record(Snap::ProjectFile {
            before: Box::new(before),
            after: Box::new(after),
        });
        self.commit(label);
        Ok(true)
    }

    /// Edits an arrangement as one undo step.
    pub fn edit_arrangement(
        &mut self,
        index: usize,
        label: &str,
        f: impl FnOnce(&mut Arrangement) -> Result<(), FormatError>,
    ) -> Result<bool, EditError> {
        if index >= 8 {
            return Err(EditError::Missing(format!("arrangement {}", index + 1)));
        }
        let before = self.project.arrangement(index).clone();
        let mut a = before.clone();
        f(&mut a)?;
        if a.to_bytes() == before.to_bytes() {
            return Ok(false);
        }
        *self.project.arrangement_mut(index) = a.clone();
        self.record(Snap::Arrangement {
            index,
            before: Box::new(before),
            after: Box::new(a),
        });
        self.commit(label);
        Ok(true)
    }

    /// Runs an operation on the project as one undo step over project.work, markers and the
    /// listed banks (the only banks the operation may change); returns its message. Banks
    /// are compared as values (no file is serialised to find what changed); a failed
    /// operation puts back everything it touched.
    pub fn edit_project(
        &mut self,
        label: &str,
        banks: &[usize],
        f: impl FnOnce(&mut Project) -> Result<String, String>,
    ) -> Result<String, EditError> {
        let pf = self.project.project_file().clone();
        let mk = self.project.markers().clone();
        let banks: Vec<(usize, Bank)> = banks
            .iter()
            .filter_map(|&b| self.bank(b).map(|bank| (b, bank.clone())))
            .collect();
        let result = f(&mut self.project);
        let pf_changed = self.project.project_file() != &pf;
        let mk_changed = self.project.markers() != &mk;
        let changed: Vec<(usize, Bank)> = banks
            .into_iter()
            .filter(|(b, before)| self.project.bank(*b) != before)
            .collect();
        let msg = match result {
            Ok(m) => m,
            Err(e) => {
                if pf_changed {
                    *self.project.project_file_mut() = pf;
                }
                if mk_changed {
                    *self.project.markers_mut() = mk;
                }
                for (b, before) in changed {
                    *self.project.bank_mut(b) = before;
                }
                return Err(EditError::Failed(e));
            }
        };
        if pf_changed {
            let after = self.project.project_file().clone();
            self.record(Snap::ProjectFile {
                before: Box::new(pf),
                after: Box::new(after),
            });
        }
        if mk_changed {
            let after = self.project.markers().clone();
            self.record(Snap::Markers {
                before: Box::new(mk),
                after: Box::new(after),
            });
        }
        for (b, before) in changed {
            let after = self.project.bank(b).clone();
            self.record(Snap::Bank {
                bank: b,
                before: Box::new(before),
                after: Box::new(after),
            });
        }
        self.commit(label);
        Ok(msg)
    }
}
