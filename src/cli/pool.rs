//! `octa pool SET [--json] [--purge | --relink [--from DIR] | --dedupe | --collect PROJECT
//! [--to-pool]] [--yes]`: a set's audio pool (see [`crate::project::pool`] and
//! [`crate::project::pool_fix`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::project::pool::{PoolReport, purge, purge_plan, scan};
use crate::project::pool_fix::{self, FixPlan};
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
    #[arg(long, conflicts_with_all = ["relink", "dedupe", "collect"])]
    pub purge: bool,
    /// Find the files of slots whose file is missing, by name (and content) elsewhere in the
    /// set or in --from DIR (copied into AUDIO), and point the slots at them; shows the plan,
    /// needs --yes to do it. Ambiguous matches are listed, never applied.
    #[arg(long, conflicts_with_all = ["dedupe", "collect"])]
    pub relink: bool,
    /// With --relink: a folder to look in when the set has no file of that name.
    #[arg(long, value_name = "DIR", requires = "relink")]
    pub from: Option<PathBuf>,
    /// Point slots using identical files (same content) at one copy (the one in AUDIO, else the
    /// shortest path); the other copies stay (a later --purge moves them).
    #[arg(long, conflicts_with = "collect")]
    pub dedupe: bool,
    /// Copy the samples PROJECT (a project of the set, or its folder) uses into its folder and
    /// point its slots at them, so it can be moved alone.
    #[arg(long, value_name = "PROJECT")]
    pub collect: Option<PathBuf>,
    /// With --collect: copy into the set's AUDIO folder instead.
    #[arg(long, requires = "collect")]
    pub to_pool: bool,
    /// With --purge, --relink, --dedupe or --collect: do it.
    #[arg(long)]
    pub yes: bool,
}

fn print_plan(verb: &str, plan: &FixPlan) {
    for c in plan.copies() {
        crate::outln!("copy {} -> {}", c.0.display(), c.1.display());
    }
    for c in &plan.changes {
        let name = c.project.file_name().unwrap_or_default().to_string_lossy();
        crate::outln!("{verb} {name} {}: {} -> {}", c.slot, c.from, c.to);
    }
    for a in &plan.ambiguous {
        let name = a.project.file_name().unwrap_or_default().to_string_lossy();
        let c: Vec<String> = a
            .candidates
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        crate::outln!(
            "ambiguous {name} {}: {} (not changed): {}",
            a.slot,
            a.path,
            c.join(" | ")
        );
    }
    for n in &plan.notes {
        crate::outln!("note: {n}");
    }
}

fn fix(args: &PoolArgs) -> ExitCode {
    let plan = if args.relink {
        pool_fix::relink_plan(&args.set, args.from.as_deref())
    } else if args.dedupe {
        pool_fix::dedupe_plan(&args.set)
    } else if let Some(p) = &args.collect {
        let dir = if args.set.join(p).is_dir() && p.is_relative() {
            args.set.join(p)
        } else {
            p.clone()
        };
        pool_fix::collect_plan(&dir, args.to_pool)
    } else {
        return ExitCode::FAILURE;
    };
    let plan = match plan {
        Ok(p) => p,
        Err(e) => {
            crate::errln!("octa pool: {e}");
            return ExitCode::FAILURE;
        }
    };
    let verb = if args.yes { "point" } else { "would point" };
    print_plan(verb, &plan);
    crate::outln!(
        "{} slots, {} copies, {} ambiguous",
        plan.changes.len(),
        plan.copies().len(),
        plan.ambiguous.len()
    );
    if plan.changes.is_empty() && plan.sidecars.is_empty() {
        return ExitCode::SUCCESS;
    }
    if !args.yes {
        crate::outln!("nothing written (run again with --yes)");
        return ExitCode::SUCCESS;
    }
    match pool_fix::apply(&plan) {
        Ok(done) => {
            for w in &done.written {
                crate::outln!("wrote {}", w.display());
            }
            ExitCode::SUCCESS
        }
        Err(b) => {
            let (done, e) = *b;
            for w in &done.written {
                crate::outln!("wrote {}", w.display());
            }
            crate::errln!("octa pool: {e}");
            ExitCode::FAILURE
        }
    }
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
    if args.relink || args.dedupe || args.collect.is_some() {
        return fix(args);
    }
    if args.yes && !args.purge {
        crate::errln!("octa pool: --yes goes with --purge, --relink, --dedupe or --collect");
        return ExitCode::from(2);
    }
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
