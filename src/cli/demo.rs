//! `octa demo`: generate the demo project (and say how to open it).

use crate::project::demo;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `octa demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the demo set (absent or empty; default: a fresh folder under the data dir).
    pub dir: Option<PathBuf>,
    /// Only write the files; do not open the tracker.
    #[arg(long)]
    pub generate_only: bool,
}

/// Whether stdin and stdout are a terminal (the tracker can open).
pub fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Runs `octa demo`.
pub fn demo(args: &DemoArgs) -> ExitCode {
    let dir = args.dir.clone().unwrap_or_else(demo::default_dir);
    match demo::generate(&dir) {
        Ok(project) => {
            crate::outln!("demo project written to {}", project.display());
            if !args.generate_only {
                crate::outln!("open it with: octa {}", project.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::errln!("octa demo: {e}");
            ExitCode::FAILURE
        }
    }
}
