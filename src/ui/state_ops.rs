//! The device's saved-state operations in the tracker (`app.state`): a prompt asks which one
//! (`save`, `reload`, `reload bank`, `reload part`, `save part`, `diff`), a second prompt shows
//! what would change and applies on Enter. Reloads and part saves are edits of the open
//! document (one undo step, saved with ctrl+s); saving the project state writes the `.strd`
//! files at once. See [`crate::project::state`].

use super::edits;
use super::view::{Ctx, Outcome};
use crate::format::bank_letter;
use crate::project::FileId;
use crate::project::state::{self, FileState};

/// One operation, with the bank and part it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateOp {
    /// List what differs between `.work` and `.strd`.
    Diff,
    /// SAVE PROJECT: every `.strd` from its `.work`.
    SaveProject,
    /// SAVE PART: the part's saved copy takes its working copy.
    SavePart(usize, usize),
    /// RELOAD PROJECT.
    ReloadProject,
    /// RELOAD BANK.
    ReloadBank(usize),
    /// RELOAD PART.
    ReloadPart(usize, usize),
}

/// The first prompt's title.
pub fn menu_title(ctx: &Ctx) -> String {
    format!(
        "Saved state: save | reload | reload bank | reload part | save part | diff (bank {}, part {})",
        bank_letter(ctx.nav.bank),
        ctx.nav.part + 1
    )
}

/// Parses an answer: the words above, optionally followed by a bank letter and a part number
/// (default: the current ones).
pub fn parse(ctx: &Ctx, text: &str) -> Result<StateOp, String> {
    let w: Vec<String> = text
        .split_whitespace()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    let bank = |s: Option<&&str>| -> Result<usize, String> {
        match s {
            None => Ok(ctx.nav.bank),
            Some(b) => crate::format::parse_bank(b).ok_or_else(|| format!("no bank `{b}` (A-P)")),
        }
    };
    let part = |s: Option<&&str>| -> Result<usize, String> {
        match s {
            None => Ok(ctx.nav.part),
            Some(p) => match p.parse::<usize>() {
                Ok(n) if (1..=4).contains(&n) => Ok(n - 1),
                _ => Err(format!("no part `{p}` (1-4)")),
            },
        }
    };
    Ok(match w.as_slice() {
        ["diff"] => StateOp::Diff,
        ["save"] | ["save", "project"] => StateOp::SaveProject,
        ["reload"] | ["reload", "project"] => StateOp::ReloadProject,
        ["reload", "bank", rest @ ..] if rest.len() <= 1 => {
            StateOp::ReloadBank(bank(rest.first())?)
        }
        ["reload", "part", rest @ ..] if rest.len() <= 2 => {
            StateOp::ReloadPart(bank(rest.first())?, part(rest.get(1))?)
        }
        ["save", "part", rest @ ..] if rest.len() <= 2 => {
            StateOp::SavePart(bank(rest.first())?, part(rest.get(1))?)
        }
        _ => {
            return Err(format!(
                "`{}`: expected save, reload, reload bank [A], reload part [A] [1], save part [A] [1] or diff",
                text.trim()
            ));
        }
    })
}

/// The op as the confirmation prompt pre-fills it (parsed back by [`parse`]).
pub fn spec(op: StateOp) -> String {
    match op {
        StateOp::Diff => "diff".into(),
        StateOp::SaveProject => "save".into(),
        StateOp::ReloadProject => "reload".into(),
        StateOp::ReloadBank(b) => format!("reload bank {}", bank_letter(b)),
        StateOp::ReloadPart(b, p) => format!("reload part {} {}", bank_letter(b), p + 1),
        StateOp::SavePart(b, p) => format!("save part {} {}", bank_letter(b), p + 1),
    }
}

/// What `op` would change, in words (for the confirmation).
pub fn preview(ctx: &Ctx, op: StateOp) -> Result<String, String> {
    let p = &ctx.doc.project;
    let entries = state::diff(p);
    let part_diff = |b: usize, i: usize| -> Result<usize, String> {
        let bank = ctx
            .doc
            .bank(b)
            .ok_or_else(|| format!("bank {} is not loaded", bank_letter(b)))?;
        Ok(match (bank.part(i), bank.saved_part(i)) {
            (Some(w), Some(s)) if w != s => 1,
            _ => 0,
        })
    };
    Ok(match op {
        StateOp::Diff => state::diff_lines(&entries).join("; "),
        StateOp::SaveProject => {
            let files: Vec<String> = entries
                .iter()
                .filter(|e| matches!(e.state, FileState::Differs(_) | FileState::OnlyWork))
                .map(|e| e.id.file_name(true))
                .collect();
            if files.is_empty() && !ctx.doc.is_dirty() {
                "every .strd already equals its .work: nothing to write".into()
            } else {
                format!(
                    "saves changed .work files, then writes {}",
                    if files.is_empty() {
                        "the .strd of each changed file".to_string()
                    } else {
                        files.join(", ")
                    }
                )
            }
        }
        StateOp::ReloadProject => {
            let files: Vec<String> = entries
                .iter()
                .filter(|e| matches!(e.state, FileState::Differs(_)))
                .map(|e| e.id.file_name(false))
                .collect();
            if files.is_empty() {
                "no .work file differs from its .strd: nothing changes".into()
            } else {
                format!("{} take(s) the saved state", files.join(", "))
            }
        }
        StateOp::ReloadBank(b) => {
            let e = entries.iter().find(|e| e.id == FileId::Bank(b));
            match e.map(|e| e.state) {
                Some(FileState::Differs(n)) => {
                    let parts: Vec<String> = e
                        .map(|e| {
                            e.parts_vs_stored
                                .iter()
                                .map(|p| (p + 1).to_string())
                                .collect()
                        })
                        .unwrap_or_default();
                    format!(
                        "{} takes {} ({n} bytes differ{})",
                        FileId::Bank(b).file_name(false),
                        FileId::Bank(b).file_name(true),
                        if parts.is_empty() {
                            String::new()
                        } else {
                            format!("; parts {}", parts.join(", "))
                        }
                    )
                }
                Some(FileState::Same) => "the bank equals its saved state: nothing changes".into(),
                _ => {
                    return Err(format!(
                        "{} is missing: nothing to reload",
                        FileId::Bank(b).file_name(true)
                    ));
                }
            }
        }
        StateOp::ReloadPart(b, i) => {
            if part_diff(b, i)? == 0 {
                format!(
                    "part {} of bank {} equals its saved copy: nothing changes",
                    i + 1,
                    bank_letter(b)
                )
            } else {
                format!(
                    "part {} of bank {}: the working copy takes the saved copy (its edits are lost)",
                    i + 1,
                    bank_letter(b)
                )
            }
        }
        StateOp::SavePart(b, i) => {
            if part_diff(b, i)? == 0 {
                format!("part {} of bank {} is already saved", i + 1, bank_letter(b))
            } else {
                format!(
                    "part {} of bank {}: the saved copy takes the working copy",
                    i + 1,
                    bank_letter(b)
                )
            }
        }
    })
}

/// Applies `op` to the open document.
pub fn apply(ctx: &mut Ctx, op: StateOp) -> Outcome {
    if ctx.doc.read_only() && op != StateOp::Diff {
        return Outcome::Error(format!("{} is read-only: nothing changed", ctx.doc.name()));
    }
    let label = spec(op);
    match op {
        StateOp::Diff => match preview(ctx, op) {
            Ok(m) => Outcome::Message(m),
            Err(e) => Outcome::Error(e),
        },
        StateOp::SaveProject => match state::save_state(&mut ctx.doc.project, false) {
            Ok(r) => {
                // The .work files are on disk now: the unsaved star goes.
                ctx.doc.history.mark_saved();
                Outcome::Message(format!(
                    "saved the project state: {} file(s) written",
                    r.written.len()
                ))
            }
            Err(e) => Outcome::Error(e.to_string()),
        },
        StateOp::ReloadProject => {
            let banks: Vec<usize> = (0..16).collect();
            edits::edit_doc(&mut ctx.doc, &label, &banks, |p| {
                let changed = state::reload_project(p).map_err(|e| e.to_string())?;
                Ok(format!(
                    "reloaded {} file(s) from the saved state (undo with ctrl+z)",
                    changed.len()
                ))
            })
        }
        StateOp::ReloadBank(b) => edits::edit_doc(&mut ctx.doc, &label, &[b], |p| {
            state::reload_bank(p, b).map_err(|e| e.to_string())?;
            Ok(format!(
                "reloaded bank {} from the saved state (undo with ctrl+z)",
                bank_letter(b)
            ))
        }),
        StateOp::ReloadPart(b, i) => edits::edit_doc(&mut ctx.doc, &label, &[b], |p| {
            state::reload_part(p, b, i).map_err(|e| e.to_string())?;
            Ok(format!(
                "reloaded part {} of bank {} (undo with ctrl+z)",
                i + 1,
                bank_letter(b)
            ))
        }),
        StateOp::SavePart(b, i) => edits::edit_doc(&mut ctx.doc, &label, &[b], |p| {
            state::save_part(p, b, i).map_err(|e| e.to_string())?;
            Ok(format!(
                "saved part {} of bank {} (write with ctrl+s)",
                i + 1,
                bank_letter(b)
            ))
        }),
    }
}
