//! `octa state`: the device's saved state (`.strd` files and the parts' saved copies).

use crate::format::types::parse_bank;
use crate::project::state::{self, StateEntry};
use crate::project::{OpenOptions, Project};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// What `octa state` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateOp {
    /// List what differs between the `.work` and `.strd` files (and each part's saved copy).
    Diff,
    /// SAVE: the project state (every `.strd` from its `.work`), or with --bank and --part the
    /// part's saved copy inside the bank.
    Save,
    /// RELOAD: the project (every `.work` with a `.strd`), a bank (--bank) or a part (--bank
    /// and --part) from the saved state.
    Reload,
}

/// Arguments of `octa state`.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// The project (folder or a project of a set).
    pub path: PathBuf,
    /// The operation.
    #[arg(value_enum)]
    pub op: StateOp,
    /// Bank letter A..P (reload a bank; with --part, a part of it).
    #[arg(long, short)]
    pub bank: Option<String>,
    /// Part 1..4 of --bank.
    #[arg(long, short, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub part: Option<u8>,
    /// Print what would change, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite files changed on disk since they were read.
    #[arg(long)]
    pub force: bool,
}

fn run(a: &StateArgs) -> Result<(), String> {
    let bank = match &a.bank {
        Some(b) => Some(
            parse_bank(b)
                .ok_or_else(|| format!("--bank: expected a bank letter A..P, found {b:?}"))?,
        ),
        None => None,
    };
    if a.part.is_some() && bank.is_none() {
        return Err("--part needs --bank".into());
    }
    let writes = a.op != StateOp::Diff && !a.dry_run;
    let mut p = Project::open(
        &a.path,
        &OpenOptions {
            project: None,
            read_only: !writes,
        },
    )
    .map_err(|e| e.to_string())?;
    for w in p.warnings() {
        crate::errln!("warning: {w}");
    }
    let before: Vec<StateEntry> = state::diff(&p);
    let part = a.part.map(|n| n as usize - 1);
    let what = match (a.op, bank, part) {
        (StateOp::Diff, _, _) => {
            for l in state::diff_lines(&before) {
                crate::outln!("{l}");
            }
            return Ok(());
        }
        (StateOp::Save, Some(b), Some(pt)) => {
            let changed = state::save_part(&mut p, b, pt).map_err(|e| e.to_string())?;
            format!(
                "save part {} of bank {}: {}",
                pt + 1,
                crate::format::bank_letter(b),
                if changed {
                    "its saved copy takes the working copy"
                } else {
                    "already saved"
                }
            )
        }
        (StateOp::Save, None, None) => {
            let lines: Vec<String> = before
                .iter()
                .filter(|e| {
                    !matches!(
                        e.state,
                        state::FileState::Same | state::FileState::OnlyStored
                    )
                })
                .map(|e| format!("  {} <- {}", e.id.file_name(true), e.id.file_name(false)))
                .collect();
            if a.dry_run {
                crate::outln!("save project state: {} file(s)", lines.len());
                for l in &lines {
                    crate::outln!("{l}");
                }
                crate::outln!("dry run: nothing written");
                return Ok(());
            }
            let report = state::save_state(&mut p, a.force).map_err(|e| e.to_string())?;
            for w in &report.written {
                crate::outln!("wrote {}", w.display());
            }
            return Ok(());
        }
        (StateOp::Save, Some(_), None) => {
            return Err(
                "save: the device saves a whole project or one part (--bank and --part)".into(),
            );
        }
        (StateOp::Reload, Some(b), Some(pt)) => {
            let changed = state::reload_part(&mut p, b, pt).map_err(|e| e.to_string())?;
            format!(
                "reload part {} of bank {}: {}",
                pt + 1,
                crate::format::bank_letter(b),
                if changed {
                    "the working copy takes the saved copy"
                } else {
                    "no change"
                }
            )
        }
        (StateOp::Reload, Some(b), None) => {
            let changed = state::reload_bank(&mut p, b).map_err(|e| e.to_string())?;
            format!(
                "reload bank {}: {}",
                crate::format::bank_letter(b),
                if changed {
                    "bankNN.work takes bankNN.strd"
                } else {
                    "no change"
                }
            )
        }
        (StateOp::Reload, None, _) => {
            let changed = state::reload_project(&mut p).map_err(|e| e.to_string())?;
            let names: Vec<String> = changed.iter().map(|id| id.file_name(false)).collect();
            format!(
                "reload project: {}",
                if names.is_empty() {
                    "no change".to_string()
                } else {
                    names.join(", ")
                }
            )
        }
        (_, None, Some(_)) => unreachable!("checked above"),
    };
    crate::outln!("{what}");
    if a.dry_run {
        crate::outln!("dry run: nothing written");
        return Ok(());
    }
    let report = p.save(a.force).map_err(|e| e.to_string())?;
    for w in &report.written {
        crate::outln!("wrote {}", w.display());
    }
    Ok(())
}

/// Runs `octa state`.
pub fn state(a: &StateArgs) -> ExitCode {
    match run(a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::errln!("octa state: {e}");
            ExitCode::FAILURE
        }
    }
}
