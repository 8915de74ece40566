//! The device's saved state. An Octatrack keeps two copies of a project: the `.work` files
//! (what is loaded and played) and the `.strd` files (what SAVE PROJECT wrote, which RELOAD
//! brings back); each bank also holds a saved copy of its four parts (SAVE PART / RELOAD PART).
//!
//! These operations work on the project in memory, as the device does; the caller saves like
//! any edit ([`Project::save`]), so only the files the device would write change: a reload
//! changes `.work` files, saving the project state writes only `.strd` files
//! ([`Project::save_stored`]), saving a part changes only the part's saved copy (and its
//! saved/edited flags) inside the bank's `.work`.

use super::files::FileId;
use super::model::{ARRANGEMENTS, BANKS, Project};
use super::{ProjectError, Result, SaveReport};
use crate::format::bank::PARTS;

/// How a `.work` file compares with its `.strd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// Both exist with the same content.
    Same,
    /// Both exist and differ in this many bytes (or in length).
    Differs(usize),
    /// Only the `.work` file exists (never saved as project state).
    OnlyWork,
    /// Only the `.strd` file exists (the project opened it as the working copy).
    OnlyStored,
}

/// One line of the state listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateEntry {
    /// The file.
    pub id: FileId,
    /// `.work` against `.strd`.
    pub state: FileState,
    /// Banks: parts whose working copy differs from the `.strd` bank's working copy.
    pub parts_vs_stored: Vec<usize>,
    /// Banks: parts whose working copy differs from the part's saved copy inside the bank
    /// (what RELOAD PART would undo), with the part's edited bit.
    pub parts_unsaved: Vec<(usize, bool)>,
}

fn differing(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count() + a.len().abs_diff(b.len())
}

/// What differs between the `.work` and `.strd` files (and, per bank, between each part's
/// working and saved copy), every file of the project in listing order.
pub fn diff(p: &Project) -> Vec<StateEntry> {
    let mut out = Vec::new();
    for id in FileId::all() {
        let on_disk = p.read_fingerprint(id, false).is_some();
        let work = p.file_bytes(id, false);
        let strd = p.file_bytes(id, true);
        let state = match (&work, &strd) {
            (Some(_), Some(_)) if !on_disk => FileState::OnlyStored,
            (Some(w), Some(s)) if w == s => FileState::Same,
            (Some(w), Some(s)) => FileState::Differs(differing(w, s)),
            (Some(_), None) if on_disk || p.is_dirty(id) => FileState::OnlyWork,
            _ => continue,
        };
        let mut parts_vs_stored = Vec::new();
        let mut parts_unsaved = Vec::new();
        if let FileId::Bank(b) = id {
            let bank = p.bank(b);
            if let Some(s) = p.stored_bank(b) {
                parts_vs_stored = (0..PARTS).filter(|&i| bank.part(i) != s.part(i)).collect();
            }
            parts_unsaved = (0..PARTS)
                .filter(|&i| bank.part(i) != bank.saved_part(i))
                .map(|i| (i, bank.is_part_edited(i)))
                .collect();
        }
        out.push(StateEntry {
            id,
            state,
            parts_vs_stored,
            parts_unsaved,
        });
    }
    out
}

/// The listing as text, one line per file that differs (or `no differences`).
pub fn diff_lines(entries: &[StateEntry]) -> Vec<String> {
    let mut out = Vec::new();
    for e in entries {
        let (w, s) = (e.id.file_name(false), e.id.file_name(true));
        let mut line = match e.state {
            FileState::Same if e.parts_unsaved.is_empty() => continue,
            FileState::Same => format!("{w}: same as {s}"),
            FileState::Differs(n) => format!("{w}: differs from {s} in {n} bytes"),
            FileState::OnlyWork => format!("{w}: no {s} (project state never saved)"),
            FileState::OnlyStored => format!("{s}: no {w} (opened from the saved state)"),
        };
        if !e.parts_vs_stored.is_empty() {
            let list: Vec<String> = e
                .parts_vs_stored
                .iter()
                .map(|p| (p + 1).to_string())
                .collect();
            line.push_str(&format!("; parts {} differ from {s}", list.join(", ")));
        }
        if !e.parts_unsaved.is_empty() {
            let list: Vec<String> = e
                .parts_unsaved
                .iter()
                .map(|(p, ed)| format!("{}{}", p + 1, if *ed { " (edited)" } else { "" }))
                .collect();
            line.push_str(&format!(
                "; parts {} differ from their saved copy",
                list.join(", ")
            ));
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push("no differences between .work and .strd".into());
    }
    out
}

fn no_stored(p: &Project, id: FileId) -> ProjectError {
    ProjectError::NotAProject {
        path: p.file_path(id, true),
        reason: format!(
            "{} is missing: nothing to reload {} from",
            id.file_name(true),
            id.file_name(false)
        ),
    }
}

/// RELOAD of one file: its `.work` content becomes the `.strd` content (in memory). Returns
/// whether anything changed. Errors when there is no `.strd`.
pub fn reload_file(p: &mut Project, id: FileId) -> Result<bool> {
    let same = p.file_bytes(id, false) == p.file_bytes(id, true);
    macro_rules! take {
        ($pair:expr) => {{
            let stored = $pair.strd.as_ref().map(|s| s.get().clone());
            match stored {
                None => return Err(no_stored(p, id)),
                Some(_) if same => return Ok(false),
                Some(v) => *$pair.work.get_mut() = v,
            }
        }};
    }
    match id {
        FileId::Project => take!(p.project),
        FileId::Bank(i) if i < BANKS => take!(p.banks[i]),
        FileId::Markers => take!(p.markers),
        FileId::Arrangement(i) if i < ARRANGEMENTS => take!(p.arrangements[i]),
        _ => return Err(no_stored(p, id)),
    }
    Ok(true)
}

/// RELOAD PROJECT: every `.work` file that has a `.strd` takes its content (in memory).
/// Returns the files that changed; files without a `.strd` stay as they are.
pub fn reload_project(p: &mut Project) -> Result<Vec<FileId>> {
    let mut changed = Vec::new();
    for id in FileId::all() {
        if p.file_bytes(id, true).is_some() && reload_file(p, id)? {
            changed.push(id);
        }
    }
    Ok(changed)
}

/// RELOAD BANK: bank `bank` (0..16) from its `.strd`. Returns whether it changed.
pub fn reload_bank(p: &mut Project, bank: usize) -> Result<bool> {
    reload_file(p, FileId::Bank(bank))
}

fn check_part(p: &Project, bank: usize, part: usize) -> Result<()> {
    if bank >= BANKS || part >= PARTS {
        return Err(ProjectError::NotAProject {
            path: p.file_path(FileId::Bank(bank.min(BANKS - 1)), false),
            reason: format!("no part {} in bank {}", part + 1, bank + 1),
        });
    }
    Ok(())
}

/// RELOAD PART: part `part` of bank `bank` takes its saved copy (inside the bank) and its
/// edited bit is cleared. Returns whether the bank changed.
pub fn reload_part(p: &mut Project, bank: usize, part: usize) -> Result<bool> {
    check_part(p, bank, part)?;
    let mut b = p.bank(bank).clone();
    b.reload_part(part)
        .map_err(|e| ProjectError::format(p.file_path(FileId::Bank(bank), false), e))?;
    if b.to_bytes() == p.bank(bank).to_bytes() {
        return Ok(false);
    }
    *p.bank_mut(bank) = b;
    Ok(true)
}

/// SAVE PART: the working copy of part `part` of bank `bank` becomes its saved copy (inside
/// the bank), marked saved, edited bit cleared. Returns whether the bank changed.
pub fn save_part(p: &mut Project, bank: usize, part: usize) -> Result<bool> {
    check_part(p, bank, part)?;
    let mut b = p.bank(bank).clone();
    b.save_part(part)
        .map_err(|e| ProjectError::format(p.file_path(FileId::Bank(bank), false), e))?;
    if b.to_bytes() == p.bank(bank).to_bytes() {
        return Ok(false);
    }
    *p.bank_mut(bank) = b;
    Ok(true)
}

/// SAVE PROJECT: saves the changed `.work` files, then writes each `.strd` that differs
/// from its `.work` (see [`Project::save_stored`]).
pub fn save_state(p: &mut Project, force: bool) -> Result<SaveReport> {
    p.save_stored(force)
}
