//! Pure Octatrack file formats: bytes to typed values and back.
//!
//! Nothing here touches the file system, the terminal, audio or MIDI.

pub mod types;

pub use types::*;
