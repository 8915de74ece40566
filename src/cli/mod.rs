//! The headless command line (clap). Each command group lives in its own file;
//! this file only declares the top level and dispatches.

mod librarian;
pub mod midi;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// octa: a tracker-style editor for Elektron Octatrack projects.
#[derive(Debug, Parser)]
#[command(name = "octa", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Project folder, set folder or .zip to open in the tracker (none: a new blank project).
    pub path: Option<PathBuf>,
    /// Open the tracker on the generated demo project.
    #[arg(long)]
    pub demo: bool,
    /// Never write anything.
    #[arg(long)]
    pub read_only: bool,
    /// Theme name (see themes/).
    #[arg(long, global = true)]
    pub theme: Option<String>,
    /// Keymap name (see keymaps/).
    #[arg(long, global = true)]
    pub keymap: Option<String>,
    /// Audio output device.
    #[arg(long, global = true)]
    pub audio_device: Option<String>,
    /// MIDI output port (name or index).
    #[arg(long, global = true)]
    pub midi_out: Option<String>,
    /// MIDI input port (name or index).
    #[arg(long, global = true)]
    pub midi_in: Option<String>,
    /// The command to run (none: open the tracker).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The sysex librarian: detect synths, fetch, import, list, export and send patches.
    Librarian(librarian::LibrarianArgs),
    /// MIDI: list ports, play a pattern to the device, monitor input.
    Midi(midi::MidiArgs),
}

/// Entry point of the `octa` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => match command {
            Command::Librarian(a) => librarian::run(&a),
            Command::Midi(a) => midi::run(&a, cli.midi_out.as_deref(), cli.midi_in.as_deref()),
        },
        None => {
            eprintln!("octa: the tracker is not available in this build yet");
            ExitCode::FAILURE
        }
    }
}
