//! Pure Octatrack file formats: bytes to typed values and back.
//!
//! Nothing here touches the file system, the terminal, audio or MIDI.

pub mod address;
pub mod arrangement;
pub mod bank;
pub mod blank;
pub mod common;
pub mod file;
pub mod hexbytes;
pub mod lfo;
pub mod markers;
pub mod ot;
pub mod params;
pub mod project_file;
pub mod project_menu;
pub(crate) mod rawfile;
pub mod regions;
pub mod setup;
pub mod slot_attrs;
pub mod tempo;
pub mod types;

pub use bank::Bank;
pub use common::{FileKind, FormatError, Warning};
pub use types::*;
