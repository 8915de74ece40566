//! Reusable widgets and their editing logic.
//!
//! - [`waveform`]: a sample's waveform with trim, loop and slice markers.
//! - [`slice_edit`]: adding, moving, deleting, gridding and snapping slices.

pub mod slice_edit;
pub mod waveform;
