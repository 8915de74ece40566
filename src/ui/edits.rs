//! Undoable edits of the part, scene, slot, arranger, settings and copy views: thin wrappers
//! that turn the editor core's snapshot edits ([`crate::edit::snap`]) into view outcomes.

use super::model::Document;
use super::view::{Ctx, Outcome};
use crate::edit::EditError;
use crate::format::FormatError;
use crate::format::arrangement::Arrangement;
use crate::format::bank::{Bank, Part};
use crate::format::project_file::ProjectFile;

pub use crate::edit::snap::Snap;

fn fail(e: impl std::fmt::Display) -> Outcome {
    Outcome::Error(e.to_string())
}

fn outcome<T>(r: Result<T, EditError>) -> Outcome {
    match r {
        Ok(_) => Outcome::Handled,
        Err(e) => fail(e),
    }
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
    outcome(ctx.doc.edit_part(bank, part, label, f))
}

/// Runs a bank-wide operation (save / reload part, a copy) as one undo step.
pub fn edit_bank(
    ctx: &mut Ctx,
    bank: usize,
    label: &str,
    f: impl FnOnce(&mut Bank) -> Result<(), String>,
) -> Outcome {
    outcome(ctx.doc.edit_bank(bank, label, f))
}

/// Edits project.work as one undo step.
pub fn edit_project_file(
    ctx: &mut Ctx,
    label: &str,
    f: impl FnOnce(&mut ProjectFile) -> Result<(), FormatError>,
) -> Outcome {
    outcome(ctx.doc.edit_project_file(label, f))
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
    outcome(ctx.doc.edit_arrangement(index, label, f))
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
    match doc.edit_project(label, banks, f) {
        Ok(m) => Outcome::Message(m),
        Err(e) => fail(e),
    }
}
