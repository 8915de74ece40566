//! Reusable widgets and their editing logic.
//!
//! - [`waveform`]: a sample's waveform with trim, loop and slice markers.
//! - [`prompt`]: popups sized to their text and the screen, with filtered choices.
//! - [`slice_edit`]: adding, moving, deleting, gridding and snapping slices.

pub mod prompt;
/// Slice editing (it lives in [`crate::edit::slice`]).
pub use crate::edit::slice as slice_edit;
pub mod waveform;
