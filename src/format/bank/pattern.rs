//! Pattern blocks (`PTRN`): 8 audio tracks (`TRAC`), 8 MIDI tracks (`MTRA`) and the pattern trailer.
//!
//! Offsets in comments are relative to the block's magic (format doc §4.2-4.9).

use binrw::binrw;
use serde::{Deserialize, Serialize};

use super::bytes::{LockRecords, Raw, STEPS, SharedBytes, StepWords, TrigMask, range_err};
use crate::format::{FormatError, MicroTiming, Scale, StepWord, TrigCondition};

/// Size of a pattern block in a version-23 bank.
pub const PATTERN_LEN: usize = 36588;
/// Size of an audio track block.
pub const AUDIO_TRACK_LEN: usize = 2338;
/// Size of a MIDI track block.
pub const MIDI_TRACK_LEN: usize = 2233;
/// Offset of the first audio track in a pattern.
pub const AUDIO_TRACKS_AT: usize = 8;
/// Offset of the first MIDI track in a pattern.
pub const MIDI_TRACKS_AT: usize = 18712;
/// Default swing mask: every even step.
pub const DEFAULT_SWING: TrigMask = TrigMask(0xAAAA_AAAA_AAAA_AAAA);
/// Default pattern tempo (120 BPM x 24).
pub const DEFAULT_TEMPO_X24: u16 = 2880;

/// Lock-record slot indices of MIDI tracks (format doc §4.7).
pub mod midi_slot {
    /// NOTE (MIDI note number).
    pub const NOTE: usize = 0;
    /// Velocity.
    pub const VEL: usize = 1;
    /// Note length (opaque index).
    pub const LEN: usize = 2;
    /// Second chord note, 64 + semitones from NOTE.
    pub const NOT2: usize = 3;
    /// Third chord note.
    pub const NOT3: usize = 4;
    /// Fourth chord note.
    pub const NOT4: usize = 5;
    /// Pitch bend.
    pub const PITCH_BEND: usize = 18;
    /// Aftertouch.
    pub const AFTERTOUCH: usize = 19;
    /// CC1 value; CC*n* value is at `CC1 + n - 1` (n = 1..=10).
    pub const CC1: usize = 20;
}

/// Lock-record slot indices of audio tracks (format doc §4.7).
pub mod audio_slot {
    /// First SRC (machine) parameter.
    pub const SRC: usize = 0;
    /// First LFO parameter.
    pub const LFO: usize = 6;
    /// First AMP parameter.
    pub const AMP: usize = 12;
    /// AMP VOL.
    pub const VOL: usize = 15;
    /// Hidden AMP slot F; XLV in scenes.
    pub const XLV: usize = 17;
    /// First FX1 parameter.
    pub const FX1: usize = 18;
    /// First FX2 parameter.
    pub const FX2: usize = 24;
    /// Unused second slot byte (always 255 on the device).
    pub const SLOT2: usize = 30;
    /// Sample-slot lock (0-based slot index), Static and Flex.
    pub const SAMPLE: usize = 31;
}

/// Per-track settings (audio +89..96, MIDI +49..56).
#[binrw]
#[brw(big)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrackSettings {
    /// Track length in steps (PER TRACK scale mode).
    pub length: u8,
    /// Track scale code (see [`Scale`]).
    pub scale: u8,
    /// Swing amount 0..30 (shown as 50..80 %).
    pub swing_amount: u8,
    /// Start silent (default 255).
    pub start_silent: u8,
    /// Plays free.
    pub plays_free: u8,
    /// Trig mode (0 ONE, 1 ONE2, 2 HOLD; unverified).
    pub trig_mode: u8,
    /// Trig quantization code (255 = DIRECT; unverified).
    pub trig_quant: u8,
    /// One-shot track flag (unverified).
    pub oneshot: u8,
}

impl Default for TrackSettings {
    fn default() -> Self {
        Self {
            length: 16,
            scale: 2,
            swing_amount: 0,
            start_silent: 255,
            plays_free: 0,
            trig_mode: 0,
            trig_quant: 0,
            oneshot: 0,
        }
    }
}

impl TrackSettings {
    /// The track scale.
    pub fn scale(&self) -> Scale {
        Scale::from_code(self.scale)
    }
    /// Sets the track scale.
    pub fn set_scale(&mut self, s: Scale) {
        self.scale = s.to_code();
    }
    /// Swing as the device shows it (50..80 %).
    pub fn swing_percent(&self) -> u16 {
        50 + self.swing_amount as u16
    }
    /// Sets the swing from a percentage (50..=80).
    pub fn set_swing_percent(&mut self, percent: u16) -> Result<(), FormatError> {
        if !(50..=80).contains(&percent) {
            return Err(FormatError::Range {
                field: "swing".into(),
                value: percent as i64,
                range: "50..=80 %".into(),
            });
        }
        self.swing_amount = (percent - 50) as u8;
        Ok(())
    }
    /// Sets the track length in steps (1..=64).
    pub fn set_length(&mut self, steps: u8) -> Result<(), FormatError> {
        check_length(steps)?;
        self.length = steps;
        Ok(())
    }
}

fn check_length(steps: u8) -> Result<(), FormatError> {
    if !(1..=64).contains(&steps) {
        return Err(FormatError::Range {
            field: "length".into(),
            value: steps as i64,
            range: "1..=64 steps".into(),
        });
    }
    Ok(())
}

/// What kind of trig a step holds (from the trig, trigless and lock-only masks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StepKind {
    /// No trig.
    Empty,
    /// A trigger (sample / note) trig.
    Trig,
    /// A trigless trig (locks and LFO restart, no sound).
    Trigless,
    /// A parameter-lock-only trig.
    LockOnly,
}

/// An audio track's pattern data (`TRAC`, 2338 bytes).
#[binrw]
#[brw(big, magic = b"TRAC")]
#[br(import(src: &SharedBytes))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioTrack {
    /// +4: unknown, preserved.
    pub unknown_4: Raw<4>,
    /// +8: track id 0..7.
    pub id: u8,
    /// +9: trigger trigs.
    pub trigs: TrigMask,
    /// +17: trigless trigs.
    pub trigless: TrigMask,
    /// +25: parameter-lock-only trigs.
    pub plock_only: TrigMask,
    /// +33: one-shot trigs.
    pub oneshot: TrigMask,
    /// +41: recorder trig masks (INAB, INCD, SRC3, one-shot; unverified).
    pub recorder: [TrigMask; 4],
    /// +73: swing trigs.
    pub swing: TrigMask,
    /// +81: slide trigs.
    pub slide: TrigMask,
    /// +89: per-track settings.
    pub settings: TrackSettings,
    /// +97: unknown, preserved.
    pub unknown_97: u8,
    /// +98: per-step lock records.
    #[br(args(src))]
    pub plocks: LockRecords<STEPS>,
    /// +2146: unknown per-step bytes, preserved.
    pub unknown_2146: Raw<64>,
    /// +2210: per-step repeat / micro-timing / condition words.
    pub words: StepWords,
}

/// A MIDI track's pattern data (`MTRA`, 2233 bytes).
#[binrw]
#[brw(big, magic = b"MTRA")]
#[br(import(src: &SharedBytes))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MidiTrack {
    /// +4: unknown, preserved.
    pub unknown_4: Raw<4>,
    /// +8: track id 0..7.
    pub id: u8,
    /// +9: note trigs.
    pub trigs: TrigMask,
    /// +17: trigless trigs.
    pub trigless: TrigMask,
    /// +25: parameter-lock-only trigs.
    pub plock_only: TrigMask,
    /// +33: swing trigs.
    pub swing: TrigMask,
    /// +41: unknown mask, preserved.
    pub unknown_41: Raw<8>,
    /// +49: per-track settings.
    pub settings: TrackSettings,
    /// +57: per-step lock records (NOTE VEL LEN NOT2-4, LFO, ARP, CTRL1, CTRL2).
    #[br(args(src))]
    pub plocks: LockRecords<STEPS>,
    /// +2105: per-step repeat / micro-timing / condition words.
    pub words: StepWords,
}

/// The notes a MIDI step plays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MidiNotes {
    /// MIDI note numbers: NOTE first, then NOT2-4 that are set and in range.
    pub notes: Vec<u8>,
    /// Velocity.
    pub velocity: u8,
    /// Length (opaque 0..127 index).
    pub length: u8,
}

macro_rules! track_common {
    ($ty:ident) => {
        impl $ty {
            /// The lock of step index `step` (0..64), slot `idx` (0..32); `None` when not locked.
            pub fn plock(&self, step: usize, idx: usize) -> Option<u8> {
                self.plocks.get(step, idx)
            }
            /// Sets (`Some`) or clears (`None`) a p-lock.
            pub fn set_plock(
                &mut self,
                step: usize,
                idx: usize,
                value: Option<u8>,
            ) -> Result<(), FormatError> {
                self.plocks.set(step, idx, value)
            }
            /// The repeat / micro-timing / condition word of step index `step`.
            pub fn step_word(&self, step: usize) -> StepWord {
                self.words.0.get(step).copied().unwrap_or_default()
            }
            /// Replaces the word of step index `step`.
            pub fn set_step_word(&mut self, step: usize, w: StepWord) -> Result<(), FormatError> {
                *self
                    .words
                    .0
                    .get_mut(step)
                    .ok_or_else(|| range_err("step", step, STEPS))? = w;
                Ok(())
            }
            /// Trig condition of a step.
            pub fn condition(&self, step: usize) -> TrigCondition {
                self.step_word(step).condition()
            }
            /// Sets the trig condition of a step; errors when the device cannot store it.
            pub fn set_condition(
                &mut self,
                step: usize,
                c: TrigCondition,
            ) -> Result<(), FormatError> {
                let mut w = self.step_word(step);
                if !w.set_condition(c) {
                    return Err(FormatError::Range {
                        field: format!("trig condition {c}"),
                        value: 0,
                        range: "a device condition (see TrigCondition::all)".into(),
                    });
                }
                self.set_step_word(step, w)
            }
            /// Micro-timing of a step.
            pub fn micro_timing(&self, step: usize) -> MicroTiming {
                self.step_word(step).micro_timing()
            }
            /// Sets the micro-timing of a step (device range -23..=23).
            pub fn set_micro_timing(
                &mut self,
                step: usize,
                mt: MicroTiming,
            ) -> Result<(), FormatError> {
                if !(MicroTiming::MIN..=MicroTiming::MAX).contains(&mt.0) {
                    return Err(FormatError::Range {
                        field: "micro-timing".into(),
                        value: mt.0 as i64,
                        range: "-23..=23".into(),
                    });
                }
                let mut w = self.step_word(step);
                w.set_micro_timing(mt);
                self.set_step_word(step, w)
            }
            /// Number of trigs the step plays (1..=8).
            pub fn repeats(&self, step: usize) -> u8 {
                self.step_word(step).repeats()
            }
            /// Sets the repeat count of a step (1..=8).
            pub fn set_repeats(&mut self, step: usize, count: u8) -> Result<(), FormatError> {
                if !(1..=8).contains(&count) {
                    return Err(FormatError::Range {
                        field: "trig repeats".into(),
                        value: count as i64,
                        range: "1..=8".into(),
                    });
                }
                let mut w = self.step_word(step);
                w.set_repeats(count);
                self.set_step_word(step, w)
            }
            /// The kind of trig on step index `step` (a trig wins over trigless, trigless over lock-only).
            pub fn step_kind(&self, step: usize) -> StepKind {
                if self.trigs.get(step) {
                    StepKind::Trig
                } else if self.trigless.get(step) {
                    StepKind::Trigless
                } else if self.plock_only.get(step) {
                    StepKind::LockOnly
                } else {
                    StepKind::Empty
                }
            }
            /// Makes step `step` hold exactly `kind` (sets one mask bit, clears the other two).
            pub fn set_step_kind(
                &mut self,
                step: usize,
                kind: StepKind,
            ) -> Result<(), FormatError> {
                self.trigs.set(step, kind == StepKind::Trig)?;
                self.trigless.set(step, kind == StepKind::Trigless)?;
                self.plock_only.set(step, kind == StepKind::LockOnly)?;
                Ok(())
            }
            /// Clears a step completely: trig masks, locks and its word (repeat/micro/condition).
            pub fn clear_step(&mut self, step: usize) -> Result<(), FormatError> {
                self.set_step_kind(step, StepKind::Empty)?;
                for idx in 0..32 {
                    self.set_plock(step, idx, None)?;
                }
                self.set_step_word(step, StepWord::default())
            }
            /// Track length in steps (PER TRACK mode).
            pub fn length(&self) -> u8 {
                self.settings.length
            }
            /// Track scale.
            pub fn scale(&self) -> Scale {
                self.settings.scale()
            }
        }
    };
}

track_common!(AudioTrack);
track_common!(MidiTrack);

impl AudioTrack {
    /// A blank track with id `id`, as in a new project.
    pub fn blank(id: u8) -> Self {
        Self {
            unknown_4: Raw::default(),
            id,
            trigs: TrigMask(0),
            trigless: TrigMask(0),
            plock_only: TrigMask(0),
            oneshot: TrigMask(0),
            recorder: [TrigMask(0); 4],
            swing: DEFAULT_SWING,
            slide: TrigMask(0),
            settings: TrackSettings::default(),
            unknown_97: 0,
            plocks: LockRecords::default(),
            unknown_2146: Raw::default(),
            words: StepWords::default(),
        }
    }
    /// The sample-slot lock (byte 31, 0-based slot) of a step.
    pub fn sample_lock(&self, step: usize) -> Option<u8> {
        self.plock(step, audio_slot::SAMPLE)
    }
    /// Sets or clears the sample-slot lock of a step.
    pub fn set_sample_lock(&mut self, step: usize, slot: Option<u8>) -> Result<(), FormatError> {
        self.set_plock(step, audio_slot::SAMPLE, slot)
    }
}

impl MidiTrack {
    /// A blank MIDI track with id `id`, as in a new project.
    pub fn blank(id: u8) -> Self {
        Self {
            unknown_4: Raw::default(),
            id,
            trigs: TrigMask(0),
            trigless: TrigMask(0),
            plock_only: TrigMask(0),
            swing: DEFAULT_SWING,
            unknown_41: Raw::default(),
            settings: TrackSettings::default(),
            plocks: LockRecords::default(),
            words: StepWords::default(),
        }
    }

    /// The notes a step plays, using the part's NOTE page values
    /// (`[NOTE, VEL, LEN, NOT2, NOT3, NOT4]`) where the step has no lock.
    /// NOT2-4 are 64 + semitones from NOTE; 64 (no offset) adds no note.
    pub fn notes(&self, step: usize, part_note_page: [u8; 6]) -> MidiNotes {
        let v = |i: usize| self.plock(step, i).unwrap_or(part_note_page[i]);
        let root = v(midi_slot::NOTE);
        let mut notes = vec![root];
        for i in midi_slot::NOT2..=midi_slot::NOT4 {
            let off = v(i) as i16 - 64;
            let n = root as i16 + off;
            if off != 0 && (0..=127).contains(&n) {
                notes.push(n as u8);
            }
        }
        MidiNotes {
            notes,
            velocity: v(midi_slot::VEL),
            length: v(midi_slot::LEN),
        }
    }

    /// Locks a step's NOTE and NOT2-4 to play `notes` (first = root, up to 3 more
    /// within -64..=+63 semitones of it). Unused NOT slots are locked to 64 (no note).
    pub fn set_notes(&mut self, step: usize, notes: &[u8]) -> Result<(), FormatError> {
        let (&root, rest) = notes.split_first().ok_or_else(|| FormatError::Range {
            field: "chord size".into(),
            value: 0,
            range: "1..=4".into(),
        })?;
        if rest.len() > 3 {
            return Err(FormatError::Range {
                field: "chord size".into(),
                value: notes.len() as i64,
                range: "1..=4".into(),
            });
        }
        if root > 127 {
            return Err(FormatError::Range {
                field: "MIDI note".into(),
                value: root as i64,
                range: "0..=127".into(),
            });
        }
        let mut offs = [64u8; 3];
        for (o, &n) in offs.iter_mut().zip(rest) {
            let d = n as i16 - root as i16;
            if !(-64..=63).contains(&d) || n > 127 {
                return Err(FormatError::Range {
                    field: "chord note offset".into(),
                    value: d as i64,
                    range: "-64..=63".into(),
                });
            }
            *o = (64 + d) as u8;
        }
        if step >= STEPS {
            return Err(range_err("step", step, STEPS));
        }
        self.set_plock(step, midi_slot::NOTE, Some(root))?;
        for (i, o) in offs.into_iter().enumerate() {
            self.set_plock(step, midi_slot::NOT2 + i, Some(o))?;
        }
        Ok(())
    }

    /// CC*n* value lock (n = 1..=10) of a step.
    pub fn cc_lock(&self, step: usize, n: usize) -> Option<u8> {
        (1..=10)
            .contains(&n)
            .then(|| self.plock(step, midi_slot::CC1 + n - 1))
            .flatten()
    }
    /// Sets or clears the CC*n* value lock (n = 1..=10) of a step.
    pub fn set_cc_lock(
        &mut self,
        step: usize,
        n: usize,
        value: Option<u8>,
    ) -> Result<(), FormatError> {
        if !(1..=10).contains(&n) {
            return Err(FormatError::Range {
                field: "CC slot".into(),
                value: n as i64,
                range: "1..=10".into(),
            });
        }
        self.set_plock(step, midi_slot::CC1 + n - 1, value)
    }
}

/// Pattern scale mode (+36581).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScaleMode {
    /// One length and scale for all tracks.
    Normal,
    /// Each track has its own length and scale.
    PerTrack,
    /// A code the device does not write, kept verbatim.
    Unknown(u8),
}

impl ScaleMode {
    /// Decodes the stored byte.
    pub fn from_code(c: u8) -> Self {
        match c {
            0 => Self::Normal,
            1 => Self::PerTrack,
            _ => Self::Unknown(c),
        }
    }
    /// The stored byte.
    pub fn to_code(self) -> u8 {
        match self {
            Self::Normal => 0,
            Self::PerTrack => 1,
            Self::Unknown(c) => c,
        }
    }
}

/// A pattern (`PTRN`, 36588 bytes).
#[binrw]
#[brw(big, magic = b"PTRN")]
#[br(import(src: &SharedBytes))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern {
    /// +4: zero bytes, preserved.
    pub unknown_4: Raw<4>,
    /// +8: audio tracks 1..8.
    #[br(args(src))]
    pub audio: [AudioTrack; 8],
    /// +18712: MIDI tracks 1..8.
    #[br(args(src))]
    pub midi: [MidiTrack; 8],
    /// +36576: master length in PER TRACK mode (u16 BE, 0xFFFF = INF).
    pub per_track_master_length: u16,
    /// +36578: master scale in PER TRACK mode.
    pub per_track_master_scale: u8,
    /// +36579: pattern length in NORMAL mode.
    pub master_length: u8,
    /// +36580: pattern scale in NORMAL mode.
    pub master_scale: u8,
    /// +36581: scale mode (0 NORMAL, 1 PER TRACK).
    pub scale_mode: u8,
    /// +36582: chain-after setting (255 = project setting; unverified).
    pub chain_after: u8,
    /// +36583: part assignment 0..3.
    pub part: u8,
    /// +36584: padding, preserved.
    pub unknown_36584: Raw<2>,
    /// +36586: tempo, BPM x 24 (u16 BE).
    pub tempo_x24: u16,
}

impl Pattern {
    /// A blank pattern as in a new project.
    pub fn blank() -> Self {
        Self {
            unknown_4: Raw::default(),
            audio: std::array::from_fn(|t| AudioTrack::blank(t as u8)),
            midi: std::array::from_fn(|t| MidiTrack::blank(t as u8)),
            per_track_master_length: 16,
            per_track_master_scale: 2,
            master_length: 16,
            master_scale: 2,
            scale_mode: 0,
            chain_after: 0,
            part: 0,
            unknown_36584: Raw::default(),
            tempo_x24: DEFAULT_TEMPO_X24,
        }
    }
    /// Tempo in BPM.
    pub fn tempo_bpm(&self) -> f64 {
        self.tempo_x24 as f64 / 24.0
    }
    /// Sets the tempo (30..=300 BPM), rounded to 1/24 BPM.
    pub fn set_tempo_bpm(&mut self, bpm: f64) -> Result<(), FormatError> {
        if !(30.0..=300.0).contains(&bpm) {
            return Err(FormatError::Range {
                field: "tempo".into(),
                value: bpm as i64,
                range: "30..=300 BPM".into(),
            });
        }
        self.tempo_x24 = (bpm * 24.0).round() as u16;
        Ok(())
    }
    /// The assigned part (0..3).
    pub fn part(&self) -> u8 {
        self.part
    }
    /// Assigns part 0..3.
    pub fn set_part(&mut self, part: u8) -> Result<(), FormatError> {
        if part > 3 {
            return Err(range_err("part", part as usize, 4));
        }
        self.part = part;
        Ok(())
    }
    /// Scale mode.
    pub fn scale_mode(&self) -> ScaleMode {
        ScaleMode::from_code(self.scale_mode)
    }
    /// Sets the scale mode.
    pub fn set_scale_mode(&mut self, m: ScaleMode) {
        self.scale_mode = m.to_code();
    }
    /// Sets the pattern length in NORMAL mode (1..=64).
    pub fn set_master_length(&mut self, steps: u8) -> Result<(), FormatError> {
        check_length(steps)?;
        self.master_length = steps;
        Ok(())
    }
    /// Sets the pattern scale (NORMAL mode).
    pub fn set_master_scale(&mut self, s: Scale) {
        self.master_scale = s.to_code();
    }
    /// Sets the PER TRACK master length (2..=1024 steps), `None` = INF.
    pub fn set_per_track_master_length(&mut self, steps: Option<u16>) -> Result<(), FormatError> {
        match steps {
            None => self.per_track_master_length = 0xFFFF,
            Some(n) if (2..=1024).contains(&n) => self.per_track_master_length = n,
            Some(n) => {
                return Err(FormatError::Range {
                    field: "master length".into(),
                    value: n as i64,
                    range: "2..=1024 steps or INF".into(),
                });
            }
        }
        Ok(())
    }
    /// Pattern scale (NORMAL mode).
    pub fn master_scale(&self) -> Scale {
        Scale::from_code(self.master_scale)
    }
    /// PER TRACK master length in steps; `None` = INF.
    pub fn per_track_master_length(&self) -> Option<u16> {
        (self.per_track_master_length != 0xFFFF).then_some(self.per_track_master_length)
    }
    /// The length a track plays: the pattern length in NORMAL mode, the track's own in PER TRACK mode.
    pub fn track_length(&self, settings: &TrackSettings) -> u8 {
        match self.scale_mode() {
            ScaleMode::PerTrack => settings.length,
            _ => self.master_length,
        }
    }
    /// True when no track has any trig, lock or step word (a pattern nobody touched).
    pub fn is_empty(&self) -> bool {
        self.audio.iter().all(|t| {
            t.trigs.is_empty()
                && t.trigless.is_empty()
                && t.plock_only.is_empty()
                && t.plocks.is_empty()
        }) && self.midi.iter().all(|t| {
            t.trigs.is_empty()
                && t.trigless.is_empty()
                && t.plock_only.is_empty()
                && t.plocks.is_empty()
        })
    }
}
