//! Small interfaces to the audio and MIDI engines, so the tracker runs (and tests run) without them.

use std::fmt;

/// State of an engine as the status line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EngineStatus {
    /// Not built in, or no device.
    #[default]
    NotAvailable,
    /// Running, with the device name.
    Ready(String),
    /// Failed, with a short reason.
    Error(String),
}

impl fmt::Display for EngineStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAvailable => f.write_str("n/a"),
            Self::Ready(name) => f.write_str(name),
            Self::Error(e) => write!(f, "error: {e}"),
        }
    }
}

/// What the tracker asks of the MIDI engine.
pub trait MidiControl {
    /// Plays a note now on the track's channel (audition of an edit).
    fn audition(&mut self, track: usize, note: u8, velocity: u8);
    /// All notes off on every channel.
    fn panic(&mut self);
    /// Starts or stops playback; returns true when now playing.
    fn toggle_play(&mut self) -> bool;
    /// The playing step, if playing.
    fn position(&self) -> Option<usize>;
}

/// The engines the app has.
#[derive(Default)]
pub struct Engines {
    /// Audio engine status.
    pub audio: EngineStatus,
    /// MIDI engine status.
    pub midi: EngineStatus,
    /// The MIDI engine, when there is one.
    pub midi_control: Option<Box<dyn MidiControl>>,
}

impl fmt::Debug for Engines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engines")
            .field("audio", &self.audio)
            .field("midi", &self.midi)
            .finish_non_exhaustive()
    }
}
