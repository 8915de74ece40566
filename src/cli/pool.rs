//! `octa pool SET [--json] [--purge [--yes]]`: a set's audio pool (see [`crate::project::pool`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::project::pool::{PoolReport, purge, purge_plan, scan};
use crate::project::sets::human_bytes;

/// `octa pool SET ...`
#[derive(Debug, Args)]
pub struct PoolArgs {
    /// The set folder.
    pub set: PathBuf,
    /// The report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Move the files no project uses (and their .ot files) to the set's trash
    /// (`.octa-trash/STAMP/`, restorable); shows the plan, and needs --yes to do it.
    #[arg(long)]
    pub purge: bool,
    /// With --purge: do it.
    #[arg(long, requires = "purge")]
    pub yes: bool,
}

fn print(r: &PoolReport) {
    crate::outln!(
        "{}: {} projects, {} audio files",
        r.set.display(),
        r.projects.len(),
        r.files.len()
    );
    for f in &r.files {
        let facts = match &f.facts {
            Some(x) => {
                let bits = match (x.bits, x.float) {
                    (Some(b), true) => format!("{b}-bit float"),
                    (Some(b), false) => format!("{b}-bit"),
                    (None, _) => "compressed".into(),
                };
                format!("{} {} Hz {bits} {} ch", x.format, x.rate, x.channels)
            }
            None => f.error.clone().unwrap_or_default(),
        };
        let plays = if f.plays() {
            "plays".to_string()
        } else {
            format!("does not play: {}", f.issues.join("; "))
        };
        let users = if f.users.is_empty() {
            "UNUSED".to_string()
        } else {
            f.users
                .iter()
                .map(|u| {
                    let s = if u.stored_only { " (saved state)" } else { "" };
                    format!("{} {}{s}", u.project, u.slot)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        crate::outln!(
            "  {}  {}  {facts}  {plays}  {users}",
            f.path.display(),
            human_bytes(f.bytes)
        );
    }
    let unused = r.unused();
    crate::outln!(
        "unused: {} files, {}",
        unused.len(),
        human_bytes(unused.iter().map(|f| f.bytes).sum())
    );
    for m in &r.missing {
        let why = if m.outside {
            "leads outside the set"
        } else {
            "missing"
        };
        crate::outln!("{} {}: {} ({why})", m.project, m.slot, m.path);
    }
    for g in &r.duplicates {
        let names: Vec<String> = g.iter().map(|p| p.display().to_string()).collect();
        crate::outln!("identical: {}", names.join(" = "));
    }
    for (p, e) in &r.unreadable {
        crate::outln!("project {p} could not be read: {e}");
    }
}

/// Runs `octa pool`.
pub fn pool(args: &PoolArgs) -> ExitCode {
    let report = match scan(&args.set) {
        Ok(r) => r,
        Err(e) => {
            crate::errln!("octa pool: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !args.purge {
        if args.json {
            match serde_json::to_string_pretty(&report) {
                Ok(s) => crate::outln!("{s}"),
                Err(e) => {
                    crate::errln!("octa pool: {e}");
                    return ExitCode::FAILURE;
                }
            }
        } else {
            print(&report);
        }
        return ExitCode::SUCCESS;
    }
    let plan = match purge_plan(&report) {
        Ok(p) => p,
        Err(e) => {
            crate::errln!("octa pool: {e}");
            return ExitCode::FAILURE;
        }
    };
    if plan.is_empty() {
        crate::outln!("{}: no unused audio files", args.set.display());
        return ExitCode::SUCCESS;
    }
    if !args.yes {
        crate::outln!(
            "would move {} files to {}/.octa-trash/STAMP/ (run again with --yes):",
            plan.len(),
            args.set.display()
        );
        for p in &plan {
            crate::outln!("  {}", p.display());
        }
        return ExitCode::SUCCESS;
    }
    match purge(&args.set, &plan) {
        Ok(moves) => {
            for (from, to) in &moves {
                crate::outln!("moved {} -> {}", from.display(), to.display());
            }
            ExitCode::SUCCESS
        }
        Err((moves, e)) => {
            for (from, to) in &moves {
                crate::outln!("moved {} -> {}", from.display(), to.display());
            }
            crate::errln!("octa pool: {e}");
            ExitCode::FAILURE
        }
    }
}
