//! `octa sets`, `octa project new|copy|move|rename|delete|restore` and
//! `octa set new|copy|rename|delete|trash|verify`: the card's sets and projects ([`crate::project::sets`]).

use crate::project::sets::manage::{self, Report, SetError, Watch};
use crate::project::sets::{self, Discovery, Pool, ScanLimits, human_bytes};
use crate::{errln, outln};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

/// `octa sets`.
#[derive(Debug, Args)]
pub struct SetsArgs {
    /// Folders to search (default: mounted drives under /media, /run/media, /mnt and the usual
    /// music folders).
    pub paths: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `octa project ...`.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ProjectCommand,
}

/// The project commands.
#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// Create a blank project folder DIR in a set.
    New {
        /// The new project folder (its name follows the device's rules).
        dir: PathBuf,
    },
    /// Copy a project into a set, with every sample it uses.
    Copy {
        /// The project folder.
        project: PathBuf,
        /// The destination set.
        set: PathBuf,
        /// The copy's name (default: the project's).
        #[arg(long)]
        name: Option<String>,
        /// Only print the plan.
        #[arg(long)]
        dry_run: bool,
    },
    /// Move a project into another set (a copy, then the source goes to its set's trash).
    Move {
        /// The project folder.
        project: PathBuf,
        /// The destination set.
        set: PathBuf,
        /// The name in the destination (default: the project's).
        #[arg(long)]
        name: Option<String>,
    },
    /// Rename a project within its set.
    Rename {
        /// The project folder.
        project: PathBuf,
        /// The new name.
        name: String,
    },
    /// Delete a project: it moves into its set's trash (`.octa-trash/`), restorable.
    Delete {
        /// The project folder.
        project: PathBuf,
    },
    /// Bring a project back from its set's trash (without NAME: list the trash).
    Restore {
        /// The set.
        set: PathBuf,
        /// The project's name.
        name: Option<String>,
        /// Which deletion (a stamp as listed, or its beginning; default: the newest).
        #[arg(long)]
        stamp: Option<String>,
    },
}

/// `octa set ...`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: SetCommand,
}

/// The set commands.
#[derive(Debug, Subcommand)]
pub enum SetCommand {
    /// Create an empty set DIR (with its AUDIO folder).
    New {
        /// The new set folder.
        dir: PathBuf,
    },
    /// Copy a whole set into a folder (a backup of a card, or back), verified file by file.
    Copy {
        /// The set folder.
        set: PathBuf,
        /// The folder to copy it into.
        dest: PathBuf,
        /// The copy's name (default: the set's).
        #[arg(long)]
        name: Option<String>,
    },
    /// Rename a set.
    Rename {
        /// The set folder.
        set: PathBuf,
        /// The new name.
        name: String,
    },
    /// Delete a set: it moves into the trash of the folder holding it.
    Delete {
        /// The set folder.
        set: PathBuf,
    },
    /// List the trash of a set (or of a folder of sets); `--empty` deletes it for good.
    Trash {
        /// The set (or the folder holding deleted sets).
        set: PathBuf,
        /// Delete what the trash holds, for good (asks first; `--yes` without a terminal).
        #[arg(long)]
        empty: bool,
        /// Only the deletions whose stamp starts with this (as listed).
        #[arg(long)]
        stamp: Option<String>,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
    },
    /// Compare a copy of a set (a backup) with the set, file by file (size and SHA-256).
    Verify {
        /// The set.
        set: PathBuf,
        /// Its copy.
        copy: PathBuf,
    },
}

fn when(secs: Option<u64>) -> String {
    sets::utc_minutes(secs)
}

/// The listing `octa sets` prints.
pub fn listing(d: &Discovery) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for set in &d.sets {
        let pool = match set.pool {
            Pool::Present { samples, bytes, .. } => {
                format!("pool {samples} samples, {}", human_bytes(bytes))
            }
            Pool::Missing => "no AUDIO pool".into(),
            Pool::Unreadable => "pool not readable".into(),
        };
        let _ = writeln!(
            s,
            "set {}  [{}]  {} projects, {pool}, {}  {}",
            set.name,
            set.device.label(),
            set.projects.len(),
            human_bytes(set.bytes),
            set.path.display()
        );
        for p in &set.projects {
            let _ = writeln!(
                s,
                "  {:<32} {}  {:>9}{}{}",
                p.name,
                when(p.modified),
                human_bytes(p.bytes),
                if p.saved_state {
                    ""
                } else {
                    "  (never saved on the device)"
                },
                if p.interrupted {
                    "  (interrupted save)"
                } else {
                    ""
                }
            );
        }
        if !set.trashed.is_empty() {
            let _ = writeln!(s, "  trash: {}", set.trashed.join(", "));
        }
        for u in &set.unfinished {
            let _ = writeln!(s, "  unfinished copy (safe to remove): {}", u.display());
        }
    }
    if !d.loose.is_empty() {
        let _ = writeln!(s, "projects outside any set:");
        for p in &d.loose {
            let _ = writeln!(
                s,
                "  {:<32} {}  {:>9}  {}",
                p.name,
                when(p.modified),
                human_bytes(p.bytes),
                p.path.display()
            );
        }
    }
    let projects: usize = d.sets.iter().map(|s| s.projects.len()).sum::<usize>() + d.loose.len();
    let _ = writeln!(s, "{} sets, {projects} projects", d.sets.len());
    s
}

/// Runs `octa sets`.
pub fn sets(args: &SetsArgs) -> ExitCode {
    let roots = if args.paths.is_empty() {
        sets::default_roots()
    } else {
        args.paths.clone()
    };
    let d = sets::discover(&roots, ScanLimits::default());
    for p in &d.problems {
        errln!("octa sets: {p}");
    }
    if args.json {
        match serde_json::to_string_pretty(&d) {
            Ok(t) => outln!("{t}"),
            Err(e) => {
                errln!("octa sets: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        crate::out!("{}", listing(&d));
    }
    // Every root given explicitly must be readable.
    if !args.paths.is_empty()
        && d.problems.iter().any(|p| {
            args.paths
                .iter()
                .any(|r| p.starts_with(&format!("{}:", r.display())))
        })
    {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Clears the progress bar when the copy ends (done, cancelled or failed).
struct Bar(indicatif::ProgressBar);

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// Progress on stderr (a bar on a terminal; `total` 0: bytes so far) and Ctrl-C to cancel.
fn watch(total: u64, files: usize) -> Watch {
    super::midi::catch_interrupt();
    let bar = if total > 0 {
        indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr(),
        )
    } else {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    };
    let template = if total > 0 {
        "{bar:30} {bytes}/{total_bytes} {msg}"
    } else {
        "{spinner} {bytes} {msg}"
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let bar = Bar(bar);
    let mut done = 0usize;
    Box::new(move |path: &Path, bytes: u64| {
        done += 1;
        bar.0.inc(bytes);
        let of = if files > 0 {
            format!("/{files}")
        } else {
            String::new()
        };
        bar.0.set_message(format!(
            "{done}{of} {} (Ctrl-C cancels)",
            path.file_name().unwrap_or_default().to_string_lossy()
        ));
        !super::midi::INTERRUPTED.load(Ordering::SeqCst)
    })
}

fn report(what: &str, r: Result<Report, SetError>) -> ExitCode {
    match r {
        Ok(r) => {
            outln!("{what}: {}", r.dest.display());
            match (r.written, r.bytes) {
                (0, _) => {}
                (n, 0) => outln!("{n} files"),
                (n, b) => outln!("{n} files, {}", human_bytes(b)),
            }
            for l in &r.lines {
                outln!("  {l}");
            }
            if let Some(t) = &r.trashed {
                outln!("in the trash (restorable): {}", t.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("octa: {e}");
            ExitCode::FAILURE
        }
    }
}

fn plan_watch(plan: &manage::CopyPlan) -> Watch {
    watch(plan.bytes, plan.file_count())
}

/// Runs `octa project ...`.
pub fn project(args: &ProjectArgs) -> ExitCode {
    match &args.command {
        ProjectCommand::New { dir } => report("created", manage::new_project(dir)),
        ProjectCommand::Copy {
            project,
            set,
            name,
            dry_run,
        } => {
            let name = name.clone().unwrap_or_else(|| {
                project
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
            let r = (|| {
                let _lock = crate::project::durable::ProjectLock::acquire(project)?;
                let plan = manage::plan_project_copy(project, set, &name)?;
                if *dry_run {
                    outln!(
                        "would copy {} files ({}) into {}",
                        plan.file_count(),
                        human_bytes(plan.bytes),
                        plan.dest.display()
                    );
                    for l in &plan.slot_changes {
                        outln!("  {l}");
                    }
                    for f in &plan.pool {
                        outln!(
                            "  into the pool: {} <- {}",
                            f.to.display(),
                            f.from.display()
                        );
                    }
                    for n in &plan.notes {
                        outln!("  {n}");
                    }
                    return Ok(None);
                }
                let w = plan_watch(&plan);
                manage::execute(&plan, Some(w)).map(Some)
            })();
            match r {
                Ok(None) => ExitCode::SUCCESS,
                Ok(Some(r)) => report("copied", Ok(r)),
                Err(e) => report("copied", Err(e)),
            }
        }
        ProjectCommand::Move { project, set, name } => {
            let w = watch(0, 0);
            report(
                "moved",
                manage::move_project(project, set, name.as_deref(), Some(w)),
            )
        }
        ProjectCommand::Rename { project, name } => {
            report("renamed", manage::rename_project(project, name))
        }
        ProjectCommand::Delete { project } => report("deleted", manage::delete_project(project)),
        ProjectCommand::Restore { set, name, stamp } => match name {
            None => {
                let all = manage::trash_list(set);
                for (s, n, _) in &all {
                    outln!("{s}  {n}");
                }
                outln!("{} in the trash", all.len());
                ExitCode::SUCCESS
            }
            Some(n) => report(
                "restored",
                manage::restore_project(set, n, stamp.as_deref()),
            ),
        },
    }
}

/// Runs `octa set ...`.
pub fn set(args: &SetArgs) -> ExitCode {
    match &args.command {
        SetCommand::New { dir } => report("created", manage::new_set(dir)),
        SetCommand::Copy { set, dest, name } => {
            let w = watch(0, 0);
            report(
                "copied",
                manage::copy_set(set, dest, name.as_deref(), Some(w)),
            )
        }
        SetCommand::Rename { set, name } => report("renamed", manage::rename_set(set, name)),
        SetCommand::Delete { set } => report("deleted", manage::delete_set(set)),
        SetCommand::Trash {
            set,
            empty,
            stamp,
            yes,
        } => trash(set, *empty, stamp.as_deref(), *yes),
        SetCommand::Verify { set, copy } => match manage::verify_copy(set, copy) {
            Ok((bad, n)) if bad.is_empty() => {
                outln!("{n} files match (size and SHA-256)");
                ExitCode::SUCCESS
            }
            Ok((bad, n)) => {
                for b in &bad {
                    outln!("{b}");
                }
                errln!("octa: {} of {n} files differ", bad.len());
                ExitCode::FAILURE
            }
            Err(e) => {
                errln!("octa: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// `octa set trash`: lists, or empties after asking.
fn trash(set: &Path, empty: bool, stamp: Option<&str>, yes: bool) -> ExitCode {
    use std::io::IsTerminal;
    let all: Vec<_> = manage::trash_list(set)
        .into_iter()
        .filter(|(s, _, _)| stamp.is_none_or(|p| s.starts_with(p)))
        .collect();
    let mut total = 0;
    for (s, n, p) in &all {
        let b = manage::tree_bytes(p);
        total += b;
        outln!("{s}  {n}  {}", human_bytes(b));
    }
    outln!("{} in the trash, {}", all.len(), human_bytes(total));
    if !empty || all.is_empty() {
        return ExitCode::SUCCESS;
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            errln!("octa: emptying the trash deletes these for good; add --yes to do it");
            return ExitCode::FAILURE;
        }
        crate::out!(
            "Delete these {} for good ({})? [y/N] ",
            all.len(),
            human_bytes(total)
        );
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line).is_err()
            || !matches!(line.trim(), "y" | "Y" | "yes")
        {
            outln!("kept");
            return ExitCode::FAILURE;
        }
    }
    match manage::empty_trash(set, stamp) {
        Ok(r) => {
            outln!(
                "deleted for good: {} ({})",
                r.lines.join(", "),
                human_bytes(r.bytes)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("octa: {e}");
            ExitCode::FAILURE
        }
    }
}
