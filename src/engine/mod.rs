//! The local sample engine: the audio tracks T1-T8 played on the computer from the same
//! sequencer events (`crate::seq`) that MIDI playback sends to the device.
//!
//! - [`laws`]: how stored parameter values become seconds, ratios and gains (each rule
//!   and its source is written down in `docs/engine.md`).
//! - [`sample`]: samples held in memory at 44.1 kHz with their slot's trim, loop and
//!   slices; [`load`] reads them from a project (the only I/O, done before rendering).
//! - [`stretch`]: time-stretched copies of samples to the playing tempo (TSTR/TSNS), made
//!   by the loader off the audio thread.
//! - [`voice`]: one playing sample with its AMP envelope.
//! - [`lfo`]: LFOs 1-3 of a track, modulating its voice and FX at control rate.
//! - [`fx`]: the FX1/FX2 blocks that are rendered (FILTER with its envelope, EQ, DJ EQ,
//!   DELAY, the reverbs; others pass through).
//! - [`render`]: the offline renderer: events to per-track buffers and the main mix.
//! - [`live`]: the same, block by block inside the audio callback (real time, no
//!   allocation), driven by lock-free commands.
//!
//! Nothing in the render path does I/O; it allocates only its output buffers.

pub mod fx;
pub mod laws;
pub mod lfo;
pub mod live;
pub mod load;
pub mod render;
pub mod sample;
pub mod stretch;
pub mod voice;

pub use live::{LiveControl, LiveEngine, LiveError, Song, live_pair};
pub use render::{
    Onset, RenderOptions, Rendered, plan, plan_with_cues, render, render_cued, render_with_progress,
};
pub use sample::{Sample, SampleRegion, Samples, SlotSound};

/// The engine's sample rate (the device's).
pub const SAMPLE_RATE: u32 = 44_100;
