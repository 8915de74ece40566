//! The sysex librarian: KnobKraft-style adaptations (built-in and Rhai scripts), sysex
//! helpers, file import/export, the patch database and the device flows (detect, fetch,
//! send) over the MIDI transport trait.

pub mod adaptation;
pub mod builtin;
pub mod db;
pub mod device;
pub mod file;
pub mod kk_test;
pub mod octatrack;
pub mod python;
pub mod registry;
pub mod script;
pub mod selection;
pub mod smf;
pub mod sysex;

pub use adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability, Patch, PatchKind,
    ProgramDumpCapability,
};
pub use registry::Registry;

use std::path::Path;
use thiserror::Error;

/// Any librarian failure, for callers that do several steps.
#[derive(Debug, Error)]
pub enum LibrarianError {
    /// Reading or writing a dump file.
    #[error(transparent)]
    File(#[from] file::FileError),
    /// The patch database.
    #[error(transparent)]
    Db(#[from] db::DbError),
    /// A selection that cannot be parsed.
    #[error(transparent)]
    Selection(#[from] selection::SelectionError),
    /// Talking to a device.
    #[error(transparent)]
    Device(#[from] device::DeviceError),
}

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The device that read it.
    pub device: String,
    /// Database summary.
    pub summary: db::ImportSummary,
    /// Stray bytes skipped.
    pub stray: usize,
    /// Broken or unrecognised messages, explained.
    pub problems: Vec<String>,
    /// Messages of the device that hold no patch (global data, system setup, ...): what
    /// each is. They are kept with the import.
    pub other: Vec<String>,
}

/// Imports one `.syx` / `.mid` file into the database (device named or recognised).
pub fn import_file(
    database: &mut db::Database,
    registry: &Registry,
    path: &Path,
    device: Option<&str>,
) -> Result<ImportReport, LibrarianError> {
    let m = file::read_messages(path)?;
    let r = file::recognise(registry, &m.messages, device)?;
    let mut problems: Vec<String> = m.broken.iter().map(|e| e.to_string()).collect();
    problems.extend(
        r.loaded
            .problems
            .iter()
            .map(|(i, e)| format!("message {} : {e}", i + 1)),
    );
    let unexplained = r
        .loaded
        .unclaimed
        .iter()
        .filter(|i| !r.loaded.problems.iter().any(|(j, _)| j == *i))
        .count();
    if unexplained > 0 {
        problems.push(format!(
            "{unexplained} message(s) not understood by {} (skipped)",
            r.device.name()
        ));
    }
    if let Some(f) = r.device.failure() {
        problems.push(format!("the adaptation was disabled: {f}"));
    }
    if r.loaded.patches.is_empty() && !r.loaded.problems.is_empty() {
        return Err(file::FileError::AllBroken {
            path: path.to_path_buf(),
            device: r.device.name(),
            problems,
        }
        .into());
    }
    let source = path.display().to_string();
    let summary = database.store_import(r.device.as_ref(), &source, &m.messages, &r.loaded)?;
    Ok(ImportReport {
        device: r.device.name(),
        summary,
        stray: m.stray,
        problems,
        other: r
            .loaded
            .other
            .iter()
            .map(|(i, what)| format!("message {}: {what}", i + 1))
            .collect(),
    })
}
