//! MIDI: the transport trait, ports, auditioning, playback and recording.

pub mod transport;

pub use transport::{MidiError, MidiIn, MidiOut, MidiSystem, TimedMessage};
