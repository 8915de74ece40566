//! Reusable widgets and their editing logic.
//!
//! - [`waveform`]: a sample's waveform with trim, loop and slice markers.
//! - [`prompt`]: popups sized to their text and the screen, with filtered choices.
//! - [`slice_edit`]: adding, moving, deleting, gridding and snapping slices.

pub mod prompt;
pub mod slice_edit;
pub mod waveform;
