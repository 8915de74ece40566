//! `octa new`, `octa info`, `octa export`, `octa import`: whole projects.

use crate::format::types::bank_letter;
use crate::project::json::{ProjectJson, ProjectJsonStream};
use crate::project::{BANKS, OpenOptions, Project, ProjectError};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Which project to open in a set or zip.
#[derive(Debug, Args)]
pub struct Which {
    /// In a set or zip holding several projects: the project's folder name (default: the first).
    #[arg(long)]
    pub project: Option<std::ffi::OsString>,
}

impl Which {
    fn open(&self, path: &std::path::Path) -> Result<Project, ProjectError> {
        Project::open(
            path,
            &OpenOptions {
                project: self.project.clone(),
                read_only: true,
            },
        )
    }
}

/// Arguments of `octa new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The project folder to create (must not exist, or be empty).
    pub dir: PathBuf,
}

/// Arguments of `octa info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// A project folder, set folder or zip.
    pub path: PathBuf,
    #[command(flatten)]
    pub which: Which,
}

/// Arguments of `octa export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A project folder, set folder or zip.
    pub path: PathBuf,
    /// The JSON file to write (`-` for standard output).
    pub out: PathBuf,
    /// No indentation or line breaks (a smaller document; `import` reads either).
    #[arg(long)]
    pub compact: bool,
    #[command(flatten)]
    pub which: Which,
}

/// Arguments of `octa import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON file written by `octa export`.
    pub json: PathBuf,
    /// The project folder to create (must not exist, or be empty).
    pub dir: PathBuf,
}

fn finish(name: &str, r: Result<(), ProjectError>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::errln!("octa {name}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `octa new`.
pub fn new(args: &NewArgs) -> ExitCode {
    let name = args
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "NEW".into());
    finish(
        "new",
        Project::new_blank(&name).save_as(&args.dir).map(|r| {
            crate::outln!("created {} ({} files)", args.dir.display(), r.written.len());
        }),
    )
}

/// Runs `octa export`.
pub fn export(args: &ExportArgs) -> ExitCode {
    finish(
        "export",
        (|| {
            let p = args.which.open(&args.path)?;
            for w in p.warnings() {
                crate::errln!("warning: {w}");
            }
            // Streamed: one file parsed and written at a time, never the whole document.
            let doc = ProjectJsonStream::new(&p);
            if args.out.as_os_str() == "-" {
                use std::io::Write;
                let mut out = std::io::BufWriter::with_capacity(1 << 16, super::out::Stdout);
                doc.write(&mut out, args.compact, &args.out)?;
                out.write_all(b"\n")
                    .and_then(|_| out.flush())
                    .map_err(|e| ProjectError::io("<stdout>", e))
            } else {
                crate::project::durable::write_file_streaming(&args.out, |w| {
                    doc.write(w, args.compact, &args.out)
                })
            }
        })(),
    )
}

/// Runs `octa import`.
pub fn import(args: &ImportArgs) -> ExitCode {
    finish(
        "import",
        (|| {
            let text = crate::project::read::read(&args.json, crate::project::read::PROJECT_JSON)?;
            let doc = ProjectJson::from_json(&args.json, &text)?;
            let written = doc.write_to(&args.dir)?;
            crate::outln!("wrote {} files to {}", written.len(), args.dir.display());
            Ok(())
        })(),
    )
}

/// Runs `octa info`.
pub fn info(args: &InfoArgs) -> ExitCode {
    // Every bank, but no `.strd`: info shows the files as they are being worked on.
    let only = crate::project::Partial {
        banks: (0..BANKS).collect(),
        stored: false,
    };
    let opts = OpenOptions {
        project: args.which.project.clone(),
        read_only: true,
    };
    finish(
        "info",
        Project::open_partial(&args.path, &opts, &only).map(|p| crate::out!("{}", describe(&p))),
    )
}

/// The `octa info` text for a project.
pub fn describe(p: &Project) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let pf = p.project_file();
    let _ = writeln!(s, "name: {}", p.name());
    match p.location() {
        crate::project::Location::Folder(d) => {
            let _ = writeln!(s, "path: {}", d.display());
        }
        crate::project::Location::Zip { archive, dir, .. } => {
            let _ = writeln!(s, "path: {} (in zip: {dir})", archive.display());
        }
        crate::project::Location::Untitled => {}
    }
    let os = pf.get("META", "OS_VERSION").unwrap_or("?");
    let _ = writeln!(
        s,
        "os version: {}",
        os.split_whitespace().last().unwrap_or(os)
    );
    match pf.tempo_bpm() {
        Some(bpm) => {
            let _ = writeln!(s, "tempo: {bpm:.3} BPM");
        }
        None => {
            let _ = writeln!(s, "tempo: ?");
        }
    }
    let mut used_any = false;
    for b in 0..BANKS {
        let bank = p.bank(b);
        let used: Vec<String> = (0..16)
            .filter(|&i| bank.pattern(i).is_some_and(|pt| !pt.is_empty()))
            .map(|i| (i + 1).to_string())
            .collect();
        if used.is_empty() {
            continue;
        }
        used_any = true;
        let _ = writeln!(s, "bank {}: patterns {}", bank_letter(b), used.join(", "));
        for part in 0..4 {
            let Some(pt) = bank.part(part) else { continue };
            let name = bank.part_name(part).map(|n| n.name()).unwrap_or_default();
            let machines: Vec<String> = (0..8)
                .map(|t| format!("T{} {}", t + 1, pt.machine_type(t).name()))
                .collect();
            let _ = writeln!(
                s,
                "  part {} {:<7} {}",
                part + 1,
                name.trim_end(),
                machines.join("  ")
            );
        }
    }
    if !used_any {
        let _ = writeln!(s, "patterns: none in use");
    }
    let slots: Vec<_> = pf
        .slots()
        .into_iter()
        .filter(|sl| !sl.path.is_empty())
        .collect();
    let _ = writeln!(s, "sample slots: {}", slots.len());
    let (mut missing, mut outside) = (0, 0);
    for sl in &slots {
        // A path leading outside the project and AUDIO folders is never looked at.
        let note = if p.sample_outside(&sl.path) {
            outside += 1;
            "  (outside)"
        } else if p.sample_exists(&sl.path) {
            ""
        } else {
            missing += 1;
            "  (missing)"
        };
        let _ = writeln!(s, "  {:<12} {}{note}", sl.slot.to_string(), sl.path);
    }
    let _ = writeln!(s, "missing samples: {missing}");
    if outside > 0 {
        let _ = writeln!(
            s,
            "samples outside the project and AUDIO folders: {outside}"
        );
    }
    for w in p.warnings() {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}
