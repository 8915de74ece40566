//! octapy's README quick start in Rust, through octa's library: a new project, pattern A01 on
//! part 1 with four trigs on T1, one on a FILL condition, saved atomically.
//!
//!     cargo run --example quick_start -- /tmp/QUICK
//!
//! The same in a script: `octa script` (`docs/scripting.md`).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an example program: its output is the terminal"
)]

use octa::format::bank::StepKind;
use octa::format::types::TrigCondition;
use octa::project::Project;
use std::path::PathBuf;
use std::process::ExitCode;

/// Tempo 124, A01 on part 1, T1 trigs on steps 1, 5, 9, 13 (indexes 0-based here), 13 on FILL.
fn edit(project: &mut Project) -> Result<(), octa::format::FormatError> {
    project.project_file_mut().set_tempo_bpm(124.0)?;
    let Some(pattern) = project.bank_mut(0).pattern_mut(0) else {
        return Ok(());
    };
    pattern.set_part(0)?;
    let kick = &mut pattern.audio[0];
    for step in [0, 4, 8, 12] {
        kick.set_step_kind(step, StepKind::Trig)?;
    }
    kick.set_condition(12, TrigCondition::Fill)
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: quick_start DIR (absent or empty)");
        return ExitCode::from(2);
    };
    let mut project = Project::new_blank("QUICK");
    if let Err(e) = edit(&mut project) {
        eprintln!("quick_start: {e}");
        return ExitCode::FAILURE;
    }
    match project.save_as(&dir) {
        Ok(r) => {
            println!("wrote {} files to {}", r.written.len(), dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("quick_start: {e}");
            ExitCode::FAILURE
        }
    }
}
