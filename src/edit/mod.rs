//! The editor core, below the UI: the document (project, clipboard), one undo
//! history of transactions with a saved-state marker, the device's editing rules (trigs,
//! trigless and lock trigs, locks, notes and chords), block operations, slot and slice edits,
//! typed edit commands and the value language (values typed and shown in the device's units).
//!
//! Nothing here draws or reads keys: no terminal library and no UI module (a test checks).
//! The tracker renders the document and maps keys to these functions.

pub mod block;
pub mod columns;
pub mod command;
pub mod document;
pub mod recorder;
pub mod slice;
pub mod snap;
pub mod trig;
pub mod value;

pub use document::{Document, Loc, Mask, Unit};
pub use snap::{EditError, Snap};
