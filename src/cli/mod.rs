//! The headless command line (clap). Each command group lives in its own file;
//! this file only declares the top level and dispatches.

mod args;
mod audio;
mod backups;
mod chain;
mod check;
mod copy;
mod demo;
mod diff;
mod dump;
mod keys;
mod librarian;
pub mod midi;
pub mod midi_file;
pub mod midi_record;
pub mod out;
mod pool;
mod project_cmds;
pub mod render;
mod script;
mod sets;
mod state;

pub use check::{ResaveArgs, resave};

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
    /// Another project (folder, set or .zip) to open beside the first, for copying between them.
    #[arg(long, value_name = "PATH")]
    pub other: Option<PathBuf>,
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

fn tracker_options(
    theme: &Option<String>,
    keymap: &Option<String>,
    path: Option<PathBuf>,
    demo: bool,
    read_only: bool,
) -> crate::ui::RunOptions {
    crate::ui::RunOptions {
        path,
        demo,
        read_only,
        theme: theme.clone(),
        keymap: keymap.clone(),
        demo_dir: None,
        midi_out: None,
        midi_in: None,
        audio_device: None,
        other: None,
    }
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse every Octatrack file under the paths; exit 1 when one is invalid.
    Check(check::CheckArgs),
    /// Read every Octatrack file in SRC and write it to DST through the format module.
    Resave(check::ResaveArgs),
    /// Copy a bank, pattern, part, track or scene (with its sample slots) within or between projects.
    Copy(copy::CopyArgs),
    /// List a project's sample slots and where they are used; merge duplicates; remove unused.
    Slots(copy::SlotsArgs),
    /// The device's saved state: diff `.work` against `.strd`, save, reload project / bank / part.
    State(state::StateArgs),
    /// Create a blank project (the device's blank files).
    New(project_cmds::NewArgs),
    /// Show a project's name, OS version, tempo, patterns, parts and samples.
    Info(project_cmds::InfoArgs),
    /// Write a whole project as one JSON document.
    Export(project_cmds::ExportArgs),
    /// Recreate a project folder from a JSON document written by `export`.
    Import(project_cmds::ImportArgs),
    /// Print one pattern as a tracker-style grid or as JSON.
    Dump(dump::DumpArgs),
    /// Compare two projects, two banks, or a project's .work with its .strd (exit 1 when different).
    Diff(diff::DiffArgs),
    /// Generate the demo project (a set with generated samples).
    Demo(demo::DemoArgs),
    /// Play a sample (or a slice / region of it) on the sound card.
    Preview(audio::PreviewArgs),
    /// Audio output devices and sample file facts.
    #[command(subcommand)]
    Audio(audio::AudioCommand),
    /// The sysex librarian: detect synths, fetch, import, list, export and send patches.
    Librarian(librarian::LibrarianArgs),
    /// MIDI: list ports, play a pattern to the device, monitor input.
    Midi(midi::MidiArgs),
    /// Render a pattern, chain or arrangement with the local sample engine to a WAV file.
    Render(render::RenderArgs),
    /// List a project's backups (`.octa-backup/`) or bring one back with --restore.
    Backups(backups::BackupsArgs),
    /// List every set and project under folders (default: mounted drives, music folders).
    Sets(sets::SetsArgs),
    /// Create, copy, move, rename, delete or restore a project of a set.
    Project(sets::ProjectArgs),
    /// Create, copy (backup), rename or delete a set.
    Set(sets::SetArgs),
    /// Run a Rhai script (octapy-like API) on a project and save it.
    Script(script::ScriptArgs),
    /// A set's audio pool: every file, who uses it, what the device plays; unused, missing and
    /// identical files; --purge moves unused files to the set's trash.
    Pool(pool::PoolArgs),
    /// Join files into a sample chain (WAV + .ot with one slice per file), or --split one.
    Chain(chain::ChainArgs),
    /// Slice grids on a sample (even, onsets, random; snapped to zero crossings) into its .ot.
    Slices(chain::SlicesArgs),
    /// Print a keymap's whole table (every command, its keys and help) as a keymap file.
    Keys(keys::KeysArgs),
}

/// Entry point of the `octa` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Ok(c) = crate::config::Config::load() {
        crate::project::backups::set_rule(c.backup_rule());
    }
    match cli.command {
        Some(command) => out::finish(match command {
            Command::Check(a) => check::check(&a),
            Command::Resave(a) => check::resave(&a),
            Command::Copy(a) => copy::copy(&a),
            Command::Backups(a) => backups::backups(&a),
            Command::Sets(a) => sets::sets(&a),
            Command::Project(a) => sets::project(&a),
            Command::Set(a) => sets::set(&a),
            Command::Keys(a) => keys::keys(&a),
            Command::Script(a) => script::script(&a),
            Command::Pool(a) => pool::pool(&a),
            Command::Chain(a) => chain::chain(&a),
            Command::Slices(a) => chain::slices(&a),
            Command::Slots(a) => copy::slots(&a),
            Command::State(a) => state::state(&a),
            Command::New(a) => project_cmds::new(&a),
            Command::Info(a) => project_cmds::info(&a),
            Command::Export(a) => project_cmds::export(&a),
            Command::Import(a) => project_cmds::import(&a),
            Command::Dump(a) => dump::dump(&a),
            Command::Diff(a) => diff::diff(&a),
            Command::Preview(args) => audio::run_preview(args, cli.audio_device),
            Command::Audio(cmd) => audio::run_audio(cmd),
            Command::Librarian(a) => librarian::run(&a),
            Command::Render(a) => render::render(&a),
            Command::Midi(a) => midi::run(&a, cli.midi_out.as_deref(), cli.midi_in.as_deref()),
            // Without a terminal there is no tracker to open: write the demo and say where.
            Command::Demo(a) if a.generate_only || !demo::interactive() => demo::demo(&a),
            Command::Demo(a) => crate::ui::run(crate::ui::RunOptions {
                demo_dir: a.dir,
                midi_out: cli.midi_out.clone(),
                midi_in: cli.midi_in.clone(),
                audio_device: cli.audio_device.clone(),
                ..tracker_options(&cli.theme, &cli.keymap, None, true, cli.read_only)
            }),
        }),
        None => crate::ui::run(crate::ui::RunOptions {
            midi_out: cli.midi_out.clone(),
            midi_in: cli.midi_in.clone(),
            audio_device: cli.audio_device.clone(),
            other: cli.other.clone(),
            ..tracker_options(&cli.theme, &cli.keymap, cli.path, cli.demo, cli.read_only)
        }),
    }
}
