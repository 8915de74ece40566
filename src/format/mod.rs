//! Pure Octatrack file formats: bytes to typed values and back.
//!
//! Nothing here touches the file system, the terminal, audio or MIDI.

pub mod common;
pub mod types;

pub use common::{FileKind, FormatError, Warning};
pub use types::*;
