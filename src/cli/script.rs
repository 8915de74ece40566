//! `octa script SCRIPT.rhai PATH [--new] [--dry-run]`: runs a Rhai script (see
//! [`crate::script`]) on a project and saves it through [`Project::save`] / `save_as`.

use crate::project::{OpenOptions, Project};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `octa script`.
#[derive(Debug, Args)]
pub struct ScriptArgs {
    /// The Rhai script.
    pub script: PathBuf,
    /// The project folder, set or zip it runs on (with --new: the folder to create).
    pub path: PathBuf,
    /// Run on a new blank project created at PATH (absent or empty).
    #[arg(long)]
    pub new: bool,
    /// Print what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// In a set or zip holding several projects: the project's folder name.
    #[arg(long)]
    pub project: Option<std::ffi::OsString>,
}

/// Runs `octa script`.
pub fn script(args: &ScriptArgs) -> ExitCode {
    let limit = crate::project::read::Limit {
        max: 1 << 20,
        what: "Rhai script",
        exact: false,
    };
    let source = match crate::project::read::read(&args.script, limit).map(String::from_utf8) {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            crate::errln!(
                "octa script: {}: at byte {}: expected UTF-8 text",
                args.script.display(),
                e.utf8_error().valid_up_to()
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            crate::errln!("octa script: {e}");
            return ExitCode::FAILURE;
        }
    };
    // With --new (and writing), the blank project gets its folder first and is opened from
    // there, so that `add_sample` finds the set's AUDIO pool and the project folder; a failed
    // script then removes what this run created.
    let mut created: Option<(bool, usize)> = None;
    let mut project = if args.new {
        let name = args
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "NEW".into());
        let mut blank = Project::new_blank(&name);
        if args.dry_run {
            blank
        } else {
            let existed = args.path.exists();
            let opened = blank.save_as(&args.path).and_then(|r| {
                created = Some((existed, r.written.len()));
                Project::open(&args.path, &OpenOptions::default())
            });
            match opened {
                Ok(p) => p,
                Err(e) => {
                    crate::errln!("octa script: {e}");
                    if let Some((existed, _)) = created {
                        remove_created(&args.path, existed);
                    }
                    return ExitCode::FAILURE;
                }
            }
        }
    } else {
        match Project::open(
            &args.path,
            &OpenOptions {
                project: args.project.clone(),
                read_only: args.dry_run,
            },
        ) {
            Ok(p) => p,
            Err(e) => {
                crate::errln!("octa script: {e}");
                return ExitCode::FAILURE;
            }
        }
    };
    let outcome = match crate::script::run(&mut project, &args.script, &source) {
        Ok(o) => o,
        Err(e) => {
            crate::errln!("octa script: {e}");
            if let Some((existed, _)) = created {
                remove_created(&args.path, existed);
            }
            return ExitCode::FAILURE;
        }
    };
    for line in &outcome.output {
        crate::outln!("{line}");
    }
    let files: Vec<String> = outcome
        .changed_files
        .iter()
        .map(|&id| crate::script::file_name(id))
        .collect();
    crate::outln!(
        "changed: {} ({} steps)",
        if files.is_empty() {
            "nothing".to_string()
        } else {
            files.join(", ")
        },
        outcome.changed_steps
    );
    if args.dry_run {
        crate::outln!("dry run: nothing written");
        return ExitCode::SUCCESS;
    }
    let saved = if args.new && created.is_none() {
        project.save_as(&args.path)
    } else if outcome.changed_files.is_empty() {
        if let Some((_, n)) = created {
            crate::outln!("saved {} ({n} files written)", args.path.display());
        }
        return ExitCode::SUCCESS;
    } else {
        project.save(false)
    };
    match saved {
        Ok(r) => {
            crate::outln!(
                "saved {} ({} files written)",
                args.path.display(),
                r.written.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::errln!("octa script: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Removes the new project a failed `--new` run created at `dir`: the folder itself when it
/// did not exist before, else its entries (it was empty: `save_as` accepts nothing else).
fn remove_created(dir: &Path, existed: bool) {
    let r = crate::project::durable::remove_tree(dir, !existed);
    if let Err(e) = r {
        crate::errln!(
            "octa script: {}: could not remove the new project: {e}",
            dir.display()
        );
    }
}
