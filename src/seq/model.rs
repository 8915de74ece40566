//! The sequencer's own view of a pattern: what playback and audition need, nothing more.
//!
//! These types are filled from the bank and project models (see `from_*` adapters);
//! tests and the benchmark build them directly.

use crate::format::{MachineType, Scale, StepWord};

/// Number of steps a track can hold.
pub const MAX_STEPS: usize = 64;
/// Lock byte meaning "no lock".
pub const NO_LOCK: u8 = 255;
/// MIDI note of an audio track sample at its own pitch (C6).
pub const AUDIO_ROOT_NOTE: u8 = 84;

/// Audio (T1-T8) or MIDI (M1-M8) track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackKind {
    /// Audio track.
    Audio,
    /// MIDI track.
    Midi,
}

/// One step as the player sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeqStep {
    /// A note (sample) trig.
    pub trig: bool,
    /// A trigless (lock) trig: sends its locks, plays no note.
    pub trigless: bool,
    /// The step carries the swing flag.
    pub swing: bool,
    /// The 32-byte lock record (bank layout, 255 = no lock).
    pub locks: [u8; 32],
    /// Repeats, micro-timing and condition.
    pub word: StepWord,
    /// A one-shot trig: plays once until re-armed (`seq::track_play`).
    pub oneshot: bool,
    /// Recorder trig bits: 1 INAB, 2 INCD, 4 SRC3, 8 one-shot (`format::bank::RecorderTrig::bits`).
    pub recorder: u8,
}

impl Default for SeqStep {
    fn default() -> Self {
        Self {
            trig: false,
            trigless: false,
            swing: false,
            locks: [NO_LOCK; 32],
            word: StepWord::default(),
            oneshot: false,
            recorder: 0,
        }
    }
}

impl SeqStep {
    /// A plain note trig without locks.
    pub fn trig() -> Self {
        Self {
            trig: true,
            ..Self::default()
        }
    }
}

/// One track of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct SeqTrack {
    /// Audio or MIDI.
    pub kind: TrackKind,
    /// The 64 steps.
    pub steps: Vec<SeqStep>,
    /// Track length in steps (used in per-track scale mode).
    pub length: u16,
    /// Track scale (used in per-track scale mode).
    pub scale: Scale,
    /// Swing amount 0..=30 (50..80 %).
    pub swing_amount: u8,
    /// Start silent, plays free, trig mode, trig quant, one-shot track.
    pub play: super::track_play::TrackPlay,
}

impl SeqTrack {
    /// An empty track of 16 steps at 1x.
    pub fn empty(kind: TrackKind) -> Self {
        Self {
            kind,
            steps: vec![SeqStep::default(); MAX_STEPS],
            length: 16,
            scale: Scale::X1,
            swing_amount: 0,
            play: Default::default(),
        }
    }
}

/// The part values of an audio track that have a CC (bank lock-record order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioPart {
    /// Machine type (decides what SRC param 1 means).
    pub machine: MachineType,
    /// FX1 type code (decides which FX1 parameters exist).
    pub fx1: u8,
    /// FX2 type code.
    pub fx2: u8,
    /// Values in lock-record order: SRC 0-5, LFO 6-11, AMP 12-17, FX1 18-23, FX2 24-29.
    pub values: [u8; 30],
    /// Machine SETUP values (Flex/Static: LOOP, SLIC, LEN, RATE, TSTR, TSNS).
    pub setup: [u8; 6],
    /// Flex slot, 0-based (128..136: recorder buffers).
    pub flex_slot: u8,
    /// Static slot, 0-based.
    pub static_slot: u8,
    /// Track level pair (main, cue; default 108).
    pub levels: [u8; 2],
    /// LFO 1-3 targets, waveforms, multipliers and trig modes.
    pub lfo: crate::format::lfo::LfoSetup,
    /// This track's custom LFO design (waveform T1..T8 of any track reads track n's).
    pub lfo_design: crate::format::lfo::LfoDesign,
}

impl Default for AudioPart {
    fn default() -> Self {
        let mut values = [0u8; 30];
        values[..6].copy_from_slice(&[64, 0, 0, 127, 0, 79]);
        values[6..12].copy_from_slice(&[32, 32, 32, 0, 0, 0]);
        values[12..18].copy_from_slice(&[0, 127, 127, 64, 64, 127]);
        values[18..24].copy_from_slice(&[0, 127, 0, 64, 0, 64]);
        values[24..30].copy_from_slice(&[47, 0, 127, 0, 127, 0]);
        Self {
            machine: MachineType::Flex,
            fx1: 4,
            fx2: 8,
            values,
            setup: [1, 0, 0, 0, 1, 64],
            flex_slot: 0,
            static_slot: 0,
            levels: [108, 108],
            lfo: Default::default(),
            lfo_design: Default::default(),
        }
    }
}

/// The part setup of a MIDI track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MidiPart {
    /// Output channel 0..=15.
    pub channel: u8,
    /// Bank select MSB, 128 = off.
    pub bank: u8,
    /// Sub-bank (CC 32), 128 = off.
    pub sbank: u8,
    /// Program, 128 = off.
    pub program: u8,
    /// Page values in MIDI lock-record order (NOTE, VEL, LEN, NOT2-4, LFO, ARP, CTRL1, CTRL2).
    pub values: [u8; 32],
    /// CC numbers for CC1..CC10.
    pub cc_numbers: [u8; 10],
}

impl Default for MidiPart {
    fn default() -> Self {
        let mut values = [0u8; 32];
        values[..6].copy_from_slice(&[48, 100, 6, 64, 64, 64]);
        values[6..12].copy_from_slice(&[32, 32, 32, 0, 0, 0]);
        values[12..18].copy_from_slice(&[64, 0, 0, 5, 0, 6]);
        values[18..24].copy_from_slice(&[64, 0, 127, 0, 0, 64]);
        Self {
            channel: 0,
            bank: 128,
            sbank: 128,
            program: 128,
            values,
            cc_numbers: [7, 1, 2, 10, 71, 72, 73, 74, 75, 76],
        }
    }
}

/// The part a pattern plays with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeqPart {
    /// Part number 0..=3 (a bank/program re-send happens when it changes).
    pub id: u8,
    /// Audio tracks 1-8.
    pub audio: [AudioPart; 8],
    /// MIDI tracks 1-8.
    pub midi: [MidiPart; 8],
    /// Active scenes A and B (0-based).
    pub scene_ab: [u8; 2],
    /// The 16 scenes: per audio track a lock record (255 = not locked in the scene).
    pub scenes: std::sync::Arc<[[[u8; 32]; 8]; 16]>,
}

impl Default for SeqPart {
    fn default() -> Self {
        let mut midi = [MidiPart::default(); 8];
        for (i, m) in midi.iter_mut().enumerate() {
            m.channel = 8 + i as u8;
        }
        let audio = std::array::from_fn(|t| AudioPart {
            flex_slot: t as u8,
            static_slot: t as u8,
            ..AudioPart::default()
        });
        Self {
            id: 0,
            audio,
            midi,
            scene_ab: [0, 8],
            scenes: std::sync::Arc::new([[[NO_LOCK; 32]; 8]; 16]),
        }
    }
}

/// A pattern with its part, ready to play.
#[derive(Debug, Clone, PartialEq)]
pub struct SeqPattern {
    /// Display name, e.g. "A01".
    pub name: String,
    /// Tracks 0..8 audio, 8..16 MIDI.
    pub tracks: Vec<SeqTrack>,
    /// Master length in steps (normal mode); per-track mode master length otherwise (None = INF).
    pub length: Option<u16>,
    /// Master scale.
    pub scale: Scale,
    /// Per-track length and scale mode.
    pub per_track: bool,
    /// Pattern tempo in BPM (used when the project enables pattern tempo).
    pub tempo: f64,
    /// The pattern's part.
    pub part: SeqPart,
}

impl SeqPattern {
    /// An empty 16-step pattern: 8 audio and 8 MIDI tracks, default part, 120 BPM.
    pub fn empty(name: &str) -> Self {
        let mut tracks: Vec<SeqTrack> = (0..8).map(|_| SeqTrack::empty(TrackKind::Audio)).collect();
        tracks.extend((0..8).map(|_| SeqTrack::empty(TrackKind::Midi)));
        Self {
            name: name.to_string(),
            tracks,
            length: Some(16),
            scale: Scale::X1,
            per_track: false,
            tempo: 120.0,
            part: SeqPart::default(),
        }
    }

    /// The length (steps) and scale a track plays with, honouring the scale mode.
    pub fn track_timing(&self, track: usize) -> (u16, Scale) {
        match (self.per_track, self.tracks.get(track)) {
            (true, Some(t)) => (t.length.clamp(1, MAX_STEPS as u16), t.scale),
            _ => (
                self.length.unwrap_or(16).clamp(1, MAX_STEPS as u16),
                self.scale,
            ),
        }
    }

    /// Master length in steps of the master scale; per-track INF uses the longest track.
    pub fn master_length(&self) -> u16 {
        match self.length {
            Some(l) if l > 0 => l,
            _ => (0..self.tracks.len())
                .map(|t| self.track_timing(t).0)
                .max()
                .unwrap_or(16),
        }
    }
}

/// Device settings from project.work that decide where audio-track messages go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeviceSetup {
    /// `MIDI_TRIG_CH1..8`, 0-based; `None` = OFF.
    pub trig_channels: [Option<u8>; 8],
    /// `MIDI_AUTO_CHANNEL`, 0-based; `None` = OFF.
    pub auto_channel: Option<u8>,
    /// Project tempo in BPM.
    pub tempo: f64,
    /// Whether patterns play at their own tempo (`PATTERN_TEMPO_ENABLED`).
    pub pattern_tempo: bool,
    /// T8 is the master track (`MASTER_TRACK`): it processes the other tracks' mix.
    pub master_track: bool,
}

impl Default for DeviceSetup {
    fn default() -> Self {
        Self {
            trig_channels: [0, 1, 2, 3, 4, 5, 6, 7].map(Some),
            auto_channel: Some(10),
            tempo: 120.0,
            pattern_tempo: false,
            master_track: false,
        }
    }
}

impl DeviceSetup {
    /// The channel an audio track (0..8) is reached on: its trig channel, else the auto
    /// channel (which only reaches the track the device has active).
    pub fn audio_channel(&self, track: usize) -> Option<u8> {
        self.trig_channels
            .get(track)
            .copied()
            .flatten()
            .or(self.auto_channel)
    }

    /// The tempo a pattern plays at.
    pub fn tempo_for(&self, pattern: &SeqPattern) -> f64 {
        let t = match crate::format::tempo::source(self.pattern_tempo) {
            crate::format::tempo::TempoSource::Pattern => pattern.tempo,
            crate::format::tempo::TempoSource::Project => self.tempo,
        };
        t.clamp(20.0, 400.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::project_file::ProjectFile;

    #[test]
    fn reads_project_midi_settings_from_corpus() {
        let Some(p) = crate::testutil::corpus("ot/hello-flex/project/project.work") else {
            return;
        };
        let pf = ProjectFile::parse(&std::fs::read(p).unwrap()).unwrap();
        let s = DeviceSetup::from_project(&pf);
        assert_eq!(s.trig_channels, [0, 1, 2, 3, 4, 5, 6, 7].map(Some));
        assert_eq!(s.auto_channel, Some(10));
        assert_eq!(s.tempo, 124.0);
        assert!(!s.pattern_tempo);
        let Some(p) = crate::testutil::corpus("ot/multipart/project.work") else {
            return;
        };
        let s = DeviceSetup::from_project(&ProjectFile::parse(&std::fs::read(p).unwrap()).unwrap());
        assert_eq!(s.trig_channels, [None; 8]);
        assert_eq!(s.auto_channel, None);
        assert_eq!(s.audio_channel(3), None);
        assert!((s.tempo - 3027.0 / 24.0).abs() < 1e-9);
    }
}
