//! Undoable edits of the part, scene, slot, arranger, settings and copy views: each change keeps
//! a before/after snapshot of the smallest unit it touched (a part, a pattern, a bank,
//! project.work, markers, an arrangement) and is recorded in the document's undo history.

use super::model::{CustomChange, Document};
use super::view::{Ctx, Outcome};
use crate::format::FormatError;
use crate::format::arrangement::Arrangement;
use crate::format::bank::{Bank, EDITED_MASK_AT, Part, Pattern};
use crate::format::markers::Markers;
use crate::format::project_file::ProjectFile;
use crate::project::slots;

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
    /// A whole bank, as file bytes.
    Bank {
        /// Bank.
        bank: usize,
        /// Before.
        before: Vec<u8>,
        /// After.
        after: Vec<u8>,
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

/// Sets a bank's edited mask (the bank API only clears bits through save / reload part).
fn set_mask(bank: &mut Bank, mask: u8) {
    if bank.parts_edited_mask() != mask
        && let Ok(b) = slots::patch_bank(bank, |bytes| bytes[EDITED_MASK_AT] = mask)
    {
        *bank = b;
    }
}

impl Snap {
    fn put(&self, doc: &mut Document, after: bool) {
        match self {
            Snap::Part {
                bank,
                part,
                before,
                after: a,
                mask_before,
                mask_after,
            } => {
                let (p, m) = if after {
                    (a, *mask_after)
                } else {
                    (before, *mask_before)
                };
                if let Some(b) = doc.bank_mut(*bank) {
                    let _ = b.edit_part(*part, |x| *x = (**p).clone());
                    set_mask(b, m);
                }
            }
            Snap::Pattern {
                bank,
                pattern,
                before,
                after: a,
            } => {
                let p = if after { a } else { before };
                if let Some(b) = doc.bank_mut(*bank)
                    && let Some(x) = b.pattern_mut(*pattern)
                {
                    *x = (**p).clone();
                }
            }
            Snap::Bank {
                bank,
                before,
                after: a,
            } => {
                let bytes = if after { a } else { before };
                if let (Ok((nb, _)), Some(b)) = (Bank::from_bytes(bytes), doc.bank_mut(*bank)) {
                    *b = nb;
                }
            }
            Snap::ProjectFile { before, after: a } => {
                let p = if after { a } else { before };
                *doc.project.project_file_mut() = (**p).clone();
            }
            Snap::Markers { before, after: a } => {
                let m = if after { a } else { before };
                *doc.project.markers_mut() = (**m).clone();
            }
            Snap::Arrangement {
                index,
                before,
                after: a,
            } => {
                let x = if after { a } else { before };
                *doc.project.arrangement_mut(*index) = (**x).clone();
            }
        }
    }
}

impl CustomChange for Snap {
    fn undo(&self, doc: &mut Document) {
        self.put(doc, false);
    }
    fn redo(&self, doc: &mut Document) {
        self.put(doc, true);
    }
    fn bank(&self) -> Option<usize> {
        match self {
            Snap::Part { bank, .. } | Snap::Pattern { bank, .. } | Snap::Bank { bank, .. } => {
                Some(*bank)
            }
            _ => None,
        }
    }
}

fn fail(e: impl std::fmt::Display) -> Outcome {
    Outcome::Error(e.to_string())
}

/// Edits the working copy of a part as the device does (only that part's edited bit is set, and
/// only when something changed), as one undo step.
pub fn edit_part(
    ctx: &mut Ctx,
    bank: usize,
    part: usize,
    label: &str,
    f: impl FnOnce(&mut Part) -> Result<(), FormatError>,
) -> Outcome {
    let Some(b) = ctx.doc.bank(bank) else {
        return Outcome::Error(format!("no bank {bank}"));
    };
    let Some(before) = b.part(part).cloned() else {
        return Outcome::Error(format!("no part {}", part + 1));
    };
    let mask_before = b.parts_edited_mask();
    let mut after = before.clone();
    if let Err(e) = f(&mut after) {
        return fail(e);
    }
    if after == before {
        return Outcome::Handled;
    }
    let Some(b) = ctx.doc.bank_mut(bank) else {
        return Outcome::Handled;
    };
    let _ = b.edit_part(part, |x| *x = after.clone());
    let mask_after = b.parts_edited_mask();
    ctx.doc.record(Box::new(Snap::Part {
        bank,
        part,
        before: Box::new(before),
        after: Box::new(after),
        mask_before,
        mask_after,
    }));
    ctx.doc.commit(label);
    Outcome::Handled
}

/// Runs a bank-wide operation (save / reload part, a copy) as one undo step.
pub fn edit_bank(
    ctx: &mut Ctx,
    bank: usize,
    label: &str,
    f: impl FnOnce(&mut Bank) -> Result<(), String>,
) -> Outcome {
    let Some(b) = ctx.doc.bank(bank) else {
        return Outcome::Error(format!("no bank {bank}"));
    };
    let before = b.to_bytes();
    let Some(b) = ctx.doc.bank_mut(bank) else {
        return Outcome::Handled;
    };
    if let Err(e) = f(b) {
        // Restore whatever a failed operation may have touched.
        if let Ok((nb, _)) = Bank::from_bytes(&before) {
            *b = nb;
        }
        return Outcome::Error(e);
    }
    let after = b.to_bytes();
    if after != before {
        ctx.doc.record(Box::new(Snap::Bank {
            bank,
            before,
            after,
        }));
        ctx.doc.commit(label);
    }
    Outcome::Handled
}

/// Edits project.work as one undo step.
pub fn edit_project_file(
    ctx: &mut Ctx,
    label: &str,
    f: impl FnOnce(&mut ProjectFile) -> Result<(), FormatError>,
) -> Outcome {
    let before = ctx.doc.project.project_file().clone();
    let mut after = before.clone();
    if let Err(e) = f(&mut after) {
        return fail(e);
    }
    if after.to_bytes() == before.to_bytes() {
        return Outcome::Handled;
    }
    *ctx.doc.project.project_file_mut() = after.clone();
    ctx.doc.record(Box::new(Snap::ProjectFile {
        before: Box::new(before),
        after: Box::new(after),
    }));
    ctx.doc.commit(label);
    Outcome::Handled
}

/// A copy of arrangement `index`.
pub fn arrangement(ctx: &Ctx, index: usize) -> Result<Arrangement, FormatError> {
    Ok(ctx.doc.project.arrangement(index).clone())
}

/// Edits an arrangement as one undo step.
pub fn edit_arrangement(
    ctx: &mut Ctx,
    index: usize,
    label: &str,
    f: impl FnOnce(&mut Arrangement) -> Result<(), FormatError>,
) -> Outcome {
    let before = ctx.doc.project.arrangement(index).clone();
    let mut a = before.clone();
    if let Err(e) = f(&mut a) {
        return fail(e);
    }
    if a.to_bytes() == before.to_bytes() {
        return Outcome::Handled;
    }
    *ctx.doc.project.arrangement_mut(index) = a.clone();
    ctx.doc.record(Box::new(Snap::Arrangement {
        index,
        before: Box::new(before),
        after: Box::new(a),
    }));
    ctx.doc.commit(label);
    Outcome::Handled
}

/// Runs a project-wide operation (slot dedupe, assign, remove unused) as one undo step over
/// project.work, markers and every bank it changed.
pub fn edit_project(
    ctx: &mut Ctx,
    label: &str,
    f: impl FnOnce(&mut crate::project::Project) -> Result<String, String>,
) -> Outcome {
    let all: Vec<usize> = (0..16).collect();
    edit_doc(&mut ctx.doc, label, &all, f)
}

/// Runs an operation on a document's project as one undo step over project.work, markers and
/// the listed banks (the only banks the operation may change); returns its message.
pub fn edit_doc(
    doc: &mut Document,
    label: &str,
    banks: &[usize],
    f: impl FnOnce(&mut crate::project::Project) -> Result<String, String>,
) -> Outcome {
    let pf = doc.project.project_file().clone();
    let mk = doc.project.markers().clone();
    let banks: Vec<(usize, Vec<u8>)> = banks
        .iter()
        .filter_map(|&b| doc.bank(b).map(|bank| (b, bank.to_bytes())))
        .collect();
    let msg = match f(&mut doc.project) {
        Ok(m) => m,
        Err(e) => {
            // Put back whatever a failed operation may have touched.
            if doc.project.project_file().to_bytes() != pf.to_bytes() {
                *doc.project.project_file_mut() = pf;
            }
            if doc.project.markers().to_bytes() != mk.to_bytes() {
                *doc.project.markers_mut() = mk;
            }
            for (b, before) in banks {
                if doc.project.bank(b).to_bytes() != before
                    && let (Ok((nb, _)), Some(bank)) = (Bank::from_bytes(&before), doc.bank_mut(b))
                {
                    *bank = nb;
                }
            }
            return Outcome::Error(e);
        }
    };
    if doc.project.project_file().to_bytes() != pf.to_bytes() {
        let after = doc.project.project_file().clone();
        doc.record(Box::new(Snap::ProjectFile {
            before: Box::new(pf),
            after: Box::new(after),
        }));
    }
    if doc.project.markers().to_bytes() != mk.to_bytes() {
        let after = doc.project.markers().clone();
        doc.record(Box::new(Snap::Markers {
            before: Box::new(mk),
            after: Box::new(after),
        }));
    }
    for (b, before) in banks {
        let after = doc.project.bank(b).to_bytes();
        if after != before {
            doc.record(Box::new(Snap::Bank {
                bank: b,
                before,
                after,
            }));
        }
    }
    doc.commit(label);
    Outcome::Message(msg)
}
