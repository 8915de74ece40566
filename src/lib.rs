//! octa: a keyboard-driven, tracker-style editor for Elektron Octatrack projects.
//!
//! Module map (each module has one job):
//! - [`format`]: pure bytes <-> types for every Octatrack file (no I/O policy, no UI).
//! - [`edit`]: the editor core below the UI: document, one undo history, typed edit commands,
//!   device rules, the value language.
//! - [`project`]: projects on disk: folders, sets, zips, atomic writes, backups.
//! - [`cli`]: the headless `octa` command line.
//! - [`ui`]: the terminal tracker (ratatui), themes and keymaps.
//! - [`engine`]: the local sample engine (audio tracks rendered on the computer).
//! - [`audio`]: sample decoding, resampling and preview on the sound card.
//! - [`midi`]: MIDI transport, auditioning, playback and recording.
//! - [`seq`]: the sequencer shared by MIDI playback and the local sample engine.
//! - [`script`]: projects from code: the Rhai API shaped like octapy's.
//! - [`librarian`]: the sysex librarian for the synths the Octatrack drives.

pub mod audio;
pub mod cli;
pub mod config;
pub mod edit;
pub mod engine;
pub mod format;
pub mod guard;
pub mod interchange;
pub mod librarian;
pub mod memory;
pub mod midi;
pub mod project;
pub mod sandbox;
pub mod script;
pub mod seq;
pub mod symbols;
#[doc(hidden)]
pub mod testutil;
pub mod ui;
pub mod wake;
