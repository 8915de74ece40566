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
    /// Plays one step of one track now (audition of an edit, or the step under the cursor).
    fn audition_step(&mut self, _bank: &Bank, _at: (usize, usize), _track: usize, _step: usize) {}
    /// Plays one row (that step on every track) now.
    fn audition_row(&mut self, _bank: &Bank, _at: (usize, usize), _step: usize) {}
    /// How many auditions were asked for so far (the edit-audition hook skips an edit that
    /// already auditioned itself, such as note entry).
    fn auditions(&self) -> u64 {
        0
    }
    /// Starts playing items (a pattern, from a step, a chain, an arrangement); true when started.
    fn play_items(&mut self, _items: Vec<crate::midi::PlayItem>) -> bool {
        false
    }
    /// Stops playback.
    fn stop(&mut self) {}
    /// Whether playback runs.
    fn is_playing(&self) -> bool {
        false
    }
    /// The tempo playback runs at, while playing.
    fn play_tempo(&self) -> Option<f64> {
        None
    }
    /// The playhead: item, pass and the step of every track, while playing.
    fn play_position(&self) -> Option<crate::midi::PlayPosition> {
        None
    }
    /// Gives the engine the project's MIDI settings and tempo (trig channels, auto channel,
    /// tempo, pattern tempo); sent on only when they changed.
    fn sync_project(&mut self, _project: &crate::format::project_file::ProjectFile) {}
    /// Mutes or unmutes a track (0..16): a muted track sends nothing.
    fn set_mute(&mut self, _track: usize, _on: bool) {}
    /// Solos or unsolos a track (0..16): while any track is soloed only soloed tracks play.
    fn set_solo(&mut self, _track: usize, _on: bool) {}
    /// Muted and soloed tracks (bit per track 0..16).
    fn mutes(&self) -> (u32, u32) {
        (0, 0)
    }
    /// Switches the output and input ports (`None` input: no input).
    fn set_ports(&mut self, _output: Option<String>, _input: Option<String>) {}
    /// The MIDI system's output and input port names (for choosing one).
    fn port_names(&self) -> (Vec<String>, Vec<String>) {
        (Vec::new(), Vec::new())
    }
    /// What the status line says about MIDI: output, input, mutes and solos.
    fn label(&self) -> String {
        self.status().to_string()
    }
    /// Starts (`Some`) or ends (`None`) recording notes from the input; `pattern` is the
    /// one being recorded into (recorded notes are auditioned from it).
    fn set_recording(
        &mut self,
        _settings: Option<crate::midi::RecordSettings>,
        _pattern: Option<std::sync::Arc<crate::midi::SeqPattern>>,
    ) {
    }
    /// Notes recorded from the input since the last call (never blocks).
    fn recorded(&mut self) -> Vec<crate::midi::RecordedNote> {
        Vec::new()
    }
    /// Messages from the engine since the last call (a track without a channel, a port
    /// that vanished or came back). Never blocks.
    fn notices(&mut self) -> Vec<String> {
        Vec::new()
    }
    /// Starts playing items after a count-in; true when started.
    fn play_count_in(
        &mut self,
        _items: Vec<crate::midi::PlayItem>,
        _count_in: crate::midi::CountIn,
    ) -> bool {
        false
    }
    /// While counting in: (beats left, beats of the count-in).
    fn count_in(&self) -> Option<(u32, u32)> {
        None
    }
    /// Gives running playback the pattern at `at` of `bank` when it plays it and it changed
    /// since it was last given (edits made while playing are heard from the next step).
    fn follow_edits(&mut self, _bank: &Bank, _at: (usize, usize)) {}
    /// The step of every track while the pattern at `at` (bank, pattern) is the one
    /// playing; `None` when stopped or another pattern plays.
    fn playhead(&self, _at: (usize, usize)) -> Option<[u16; 16]> {
        None
    }
    /// A track trigger, its release or a one-shot re-arm on running playback (the walk
    /// applies it at its next slot); nothing when stopped.
    fn cue(&mut self, _kind: crate::seq::track_play::CueKind, _track: usize) {}
    /// Sends sysex messages now, to the output (`None`) or another port choice.
    fn send_sysex(&mut self, _port: Option<String>, _messages: Vec<Vec<u8>>) {}
    /// Gives the engine side the patch links (and whether they are sent on audition).
    fn set_patch_links(&mut self, _links: &PatchLinks) {}
    /// The input port that vanished while recording, once (its name).
    fn input_lost(&mut self) -> Option<String> {
        None
    }
}

/// A librarian patch linked to an Octatrack MIDI track (`librarian.link`), sent to its
/// synth when that track is auditioned and sending is on (`app.send_linked`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchLink {
    /// The patch's name.
    pub name: String,
    /// The synth (adaptation name).
    pub device: String,
    /// The port the synth was found on (`None`: the tracker's output).
    pub port: Option<String>,
    /// The sysex messages that put the patch into the synth's edit buffer.
    pub messages: Vec<Vec<u8>>,
}

/// Patch links by (bank 0..16, part 0..4, MIDI track 0..8), kept for the session.
#[derive(Debug, Clone, Default)]
pub struct PatchLinks {
    /// The links.
    pub links: std::collections::BTreeMap<(usize, usize, usize), PatchLink>,
    /// Send a linked patch when its track is auditioned (config `send_linked_patch`).
    pub send: bool,
    /// The patch last sent to each synth (device name -> patch name), so an audition sends
    /// a patch only when the synth holds another one.
    pub sent: std::collections::BTreeMap<String, String>,
}

/// Track names as the grid shows them (`T1`..`T8`, `M1`..`M8`) for a bit set.
pub fn track_set(bits: u32) -> String {
    (0..16)
        .filter(|t| bits & (1 << t) != 0)
        .map(|t| {
            if t < 8 {
                format!("T{}", t + 1)
            } else {
                format!("M{}", t - 7)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
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
    /// Edit audition is off (`app.audition_toggle`; config `audition = false`).
    pub edit_audition_off: bool,
    /// The MIDI output and input the user chose (`None`: the first output / no input).
    pub midi_ports: (Option<String>, Option<String>),
    /// The take being recorded from the MIDI input (`app.record`).
    pub take: Option<super::audition::Take>,
    /// Bars of count-in before a live take (`app.record_live`; config `count_in_bars`,
    /// `None`: 1 bar).
    pub count_in_bars: Option<u8>,
    /// Channel (0..16) of the count-in clicks (config `metronome_channel` 1-16); `None`:
    /// the count-in is only shown.
    pub metronome_channel: Option<u8>,
    /// Patches linked to MIDI tracks, and whether they are sent on audition.
    pub patch_links: PatchLinks,
    /// The chain or arrangement last asked for with `app.play_chain` (session state: the
    /// device keeps no queued chain in its project files).
    pub queued_chain: Option<String>,
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
