//! The sequencer, shared by every output: the device over MIDI (`midi`) and the local
//! sample engine (`engine`) play the same [`timeline::StepEvent`]s from the same code.
//!
//! [`model`] is the sequencer's view of a pattern; [`from_bank`] and [`arrange`] adapt the
//! format models (banks, project.work, arrangements); [`conditions`] evaluates trig
//! conditions; [`timeline`] walks play items in virtual time (step timing, swing,
//! micro-timing, per-track length and scale, chains, arrangement rows, play positions).

pub mod arrange;
pub mod conditions;
pub mod from_bank;
pub mod model;
pub mod timeline;
pub mod track_play;

pub use model::{DeviceSetup, SeqPart, SeqPattern, SeqStep, SeqTrack, TrackKind};
pub use timeline::{Next, PlayItem, PlayPosition, RowOptions, StepEvent, Timeline};
