//! Pure Octatrack file formats: bytes to typed values and back.
//!
//! Nothing here touches the file system, the terminal, audio or MIDI.

pub mod bank;
pub mod common;
pub mod types;

pub use bank::Bank;
pub use common::{FileKind, FormatError, Warning};
pub use types::*;
