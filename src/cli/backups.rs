//! `octa backups`: list a project's backups and bring one back.

use crate::project::backups;
use crate::project::{Location, OpenOptions, Project};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `octa backups`.
#[derive(Debug, Args)]
pub struct BackupsArgs {
    /// The project (folder, set or zip).
    pub path: PathBuf,
    /// Bring back the backup with this stamp (as listed, e.g. 20261207-162400); the files it
    /// replaces are backed up first.
    #[arg(long, value_name = "TIME")]
    pub restore: Option<String>,
}

/// The folder holding the saved files and, for a zip, the zip's name.
fn place(path: &Path) -> Result<(PathBuf, Option<String>), String> {
    let p = Project::open(
        path,
        &OpenOptions {
            project: None,
            read_only: true,
        },
    )
    .map_err(|e| e.to_string())?;
    match p.location() {
        Location::Folder(d) => Ok((d.clone(), None)),
        Location::Zip { archive, .. } => {
            let dir = archive
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf();
            let name = archive
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            Ok((dir, name))
        }
        Location::Untitled => Err("the project has no folder".into()),
    }
}

fn run(a: &BackupsArgs) -> Result<(), String> {
    let (dir, only) = place(&a.path)?;
    let all = backups::list(&dir, only.as_deref()).map_err(|e| e.to_string())?;
    let Some(stamp) = &a.restore else {
        if all.is_empty() {
            crate::outln!("{}: no backups", dir.display());
        }
        for b in &all {
            crate::outln!("{:<20} {:<24} {}", b.stamp, b.when(), b.files.join(" "));
        }
        return Ok(());
    };
    let b = backups::find(&all, stamp, &dir).map_err(|e| e.to_string())?;
    let r = backups::restore(&dir, b).map_err(|e| e.to_string())?;
    for w in &r.written {
        crate::outln!("restored {}", w.display());
    }
    for k in &r.backups {
        crate::outln!("backup {}", k.display());
    }
    Ok(())
}

/// Runs `octa backups`.
pub fn backups(a: &BackupsArgs) -> ExitCode {
    match run(a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::errln!("octa backups: {e}");
            ExitCode::FAILURE
        }
    }
}
