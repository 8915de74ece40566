//! Small interfaces to the audio and MIDI engines, so the tracker runs (and tests run) without them.

use crate::audio::peaks::PeakCache;
use crate::audio::{AudioEngine, AudioEvent, PreviewRequest};
use crate::format::bank::Bank;
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
            Self::NotAvailable => f.write_str("unavailable"),
            Self::Ready(name) => f.write_str(name),
            Self::Error(e) => write!(f, "error: {e}"),
        }
    }
}

/// What the tracker asks of the MIDI engine.
pub trait MidiControl {
    /// Plays a note now on a track of a pattern (audition of an edit).
    fn audition(&mut self, bank: &Bank, at: (usize, usize), track: usize, note: u8, velocity: u8);
    /// All notes off on every channel.
    fn panic(&mut self);
    /// Starts playing a pattern, or stops; returns true when now playing.
    fn toggle_play(&mut self, bank: &Bank, at: (usize, usize)) -> bool;
    /// The playing step of a track, if playing.
    fn position(&self, track: usize) -> Option<usize>;
    /// The engine's state for the status line.
    fn status(&self) -> EngineStatus;
}

/// What play says when no MIDI output can be played to.
pub const NO_PLAY: &str = "MIDI unavailable: cannot play to the device";
/// What panic says when no MIDI output is connected.
pub const NO_PANIC: &str = "MIDI unavailable: no panic sent (nothing was sent to the device)";

/// Whether the MIDI engine has an output connected (so play and panic reach the device).
pub fn midi_ready(m: &dyn MidiControl) -> bool {
    matches!(m.status(), EngineStatus::Ready(_))
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
    /// The sample-preview engine, when started (tests run without one or with a `NullOutput`).
    pub audio_engine: Option<AudioEngine>,
    /// Waveform peaks, computed in the background and cached.
    pub peaks: PeakCache,
}

impl Engines {
    /// The audio engine's status-line text (`audio unavailable`, `playing kick.wav`, ...).
    pub fn audio_label(&self) -> String {
        match &self.audio_engine {
            Some(e) => e.status().label(),
            None => format!("audio: {}", self.audio),
        }
    }

    /// Starts a preview (cancelling the playing one); a message for the status line.
    pub fn preview(&self, request: PreviewRequest) -> Result<String, String> {
        let Some(engine) = &self.audio_engine else {
            return Err("audio: n/a (no audio engine)".into());
        };
        let name = request
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        engine.preview(request).map_err(|e| e.to_string())?;
        Ok(format!("preview {name}"))
    }

    /// Stops the preview.
    pub fn stop_preview(&self) {
        if let Some(e) = &self.audio_engine {
            e.stop();
        }
    }

    /// True while a preview plays (the app then polls for events periodically).
    pub fn audio_busy(&self) -> bool {
        self.audio_engine.as_ref().is_some_and(|e| e.is_playing())
    }

    /// The audio engine's errors and warnings since the last call, as (message, is_error).
    /// Never blocks.
    pub fn audio_messages(&self) -> Vec<(String, bool)> {
        let Some(engine) = &self.audio_engine else {
            return Vec::new();
        };
        engine
            .poll_events()
            .into_iter()
            .filter_map(|e| match e {
                AudioEvent::Error(m) => Some((m, true)),
                AudioEvent::Warning(m) => Some((m, false)),
                AudioEvent::NoDevice(m) => Some((format!("no sound card: {m}"), true)),
                AudioEvent::DeviceLost(m) => Some((format!("audio device lost: {m}"), true)),
                _ => None,
            })
            .collect()
    }
}

impl fmt::Debug for Engines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engines")
            .field("audio", &self.audio)
            .field("midi", &self.midi)
            .finish_non_exhaustive()
    }
}
