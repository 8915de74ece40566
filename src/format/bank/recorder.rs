//! Recorder trigs (audio track +41, four 8-byte masks) and the per-track sequencer
//! settings (audio +91..96, MIDI +51..56) as typed values (format doc §4.3, §4.6, §4.9).
//!
//! The four recorder masks, in file order: record from inputs A/B (INAB), from C/D (INCD),
//! from SRC3, and "this recorder trig is one-shot". A step holds a recorder trig when any
//! of the first three has its bit. The meaning of the masks comes from Octatrack Manager's
//! reader and the settings' from ot-tools-io; both are unverified on a device (§4.6, §4.9).

use super::bytes::{STEPS, TrigMask, range_err};
use super::pattern::{AudioTrack, TrackSettings};
use crate::format::FormatError;
use crate::format::slot_attrs::TrigQuant;
use serde::{Deserialize, Serialize};

/// A source a recorder trig samples from (one mask each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecorderSource {
    /// Inputs A/B (the track's recorder INAB setting), mask 0 at +41.
    InAb,
    /// Inputs C/D (INCD), mask 1 at +49.
    InCd,
    /// The SRC3 source, mask 2 at +57.
    Src3,
}

impl RecorderSource {
    /// The three sources in mask order.
    pub const ALL: [RecorderSource; 3] = [Self::InAb, Self::InCd, Self::Src3];

    /// Index of the source's mask in [`AudioTrack::recorder`].
    pub fn mask_index(self) -> usize {
        match self {
            Self::InAb => 0,
            Self::InCd => 1,
            Self::Src3 => 2,
        }
    }

    /// The device's name (`INAB`, `INCD`, `SRC3`).
    pub fn name(self) -> &'static str {
        match self {
            Self::InAb => "INAB",
            Self::InCd => "INCD",
            Self::Src3 => "SRC3",
        }
    }
}

/// Index of the one-shot mask in [`AudioTrack::recorder`].
pub const RECORDER_ONESHOT_MASK: usize = 3;
/// Offset of the first recorder mask in an audio track block.
pub const RECORDER_MASKS_AT: usize = 41;

/// The recorder trig of one step: its sources and its one-shot flag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecorderTrig {
    /// Records from inputs A/B.
    pub in_ab: bool,
    /// Records from inputs C/D.
    pub in_cd: bool,
    /// Records from SRC3.
    pub src3: bool,
    /// The trig is one-shot (records once until re-armed).
    pub oneshot: bool,
}

impl RecorderTrig {
    /// True when the step holds a recorder trig (any source set).
    pub fn is_trig(&self) -> bool {
        self.in_ab || self.in_cd || self.src3
    }
    /// Whether `src` is set.
    pub fn has(&self, src: RecorderSource) -> bool {
        match src {
            RecorderSource::InAb => self.in_ab,
            RecorderSource::InCd => self.in_cd,
            RecorderSource::Src3 => self.src3,
        }
    }
    /// The sources set, in mask order.
    pub fn sources(&self) -> Vec<RecorderSource> {
        RecorderSource::ALL
            .into_iter()
            .filter(|s| self.has(*s))
            .collect()
    }
    /// Bits: 1 INAB, 2 INCD, 4 SRC3, 8 one-shot (the order of the masks).
    pub fn bits(&self) -> u8 {
        self.in_ab as u8
            | (self.in_cd as u8) << 1
            | (self.src3 as u8) << 2
            | (self.oneshot as u8) << 3
    }
    /// From [`RecorderTrig::bits`].
    pub fn from_bits(b: u8) -> Self {
        Self {
            in_ab: b & 1 != 0,
            in_cd: b & 2 != 0,
            src3: b & 4 != 0,
            oneshot: b & 8 != 0,
        }
    }
}

impl AudioTrack {
    /// The recorder trig of step index `step` (0..64); all false out of range.
    pub fn recorder_trig(&self, step: usize) -> RecorderTrig {
        let m = &self.recorder;
        RecorderTrig {
            in_ab: m[0].get(step),
            in_cd: m[1].get(step),
            src3: m[2].get(step),
            oneshot: m[RECORDER_ONESHOT_MASK].get(step),
        }
    }
    /// Replaces the recorder trig of a step (all four mask bits).
    pub fn set_recorder_trig(&mut self, step: usize, rec: RecorderTrig) -> Result<(), FormatError> {
        if step >= STEPS {
            return Err(range_err("step", step, STEPS));
        }
        self.recorder[0].set(step, rec.in_ab)?;
        self.recorder[1].set(step, rec.in_cd)?;
        self.recorder[2].set(step, rec.src3)?;
        self.recorder[RECORDER_ONESHOT_MASK].set(step, rec.oneshot)
    }
    /// Sets or clears one source of a step's recorder trig.
    pub fn set_recorder_source(
        &mut self,
        step: usize,
        src: RecorderSource,
        on: bool,
    ) -> Result<(), FormatError> {
        self.recorder[src.mask_index()].set(step, on)
    }
    /// Sets or clears the one-shot flag of a step's recorder trig.
    pub fn set_recorder_oneshot(&mut self, step: usize, on: bool) -> Result<(), FormatError> {
        self.recorder[RECORDER_ONESHOT_MASK].set(step, on)
    }
    /// Steps (0-based) holding a recorder trig, in order.
    pub fn recorder_steps(&self) -> impl Iterator<Item = usize> + '_ {
        let any = TrigMask(self.recorder[0].0 | self.recorder[1].0 | self.recorder[2].0);
        any.steps()
    }
    /// True when the track has any recorder mask bit (trig or one-shot flag).
    pub fn has_recorder_trigs(&self) -> bool {
        self.recorder.iter().any(|m| !m.is_empty())
    }
}

/// A track's trig mode (+94 audio, +54 MIDI): how a track trigger starts the track when it
/// plays free (ONE, ONE2, HOLD; codes from ot-tools-io, unverified).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrigMode {
    /// `ONE` (code 0, the default).
    One,
    /// `ONE2` (code 1).
    One2,
    /// `HOLD` (code 2).
    Hold,
    /// Any other byte, kept verbatim.
    Other(u8),
}

impl TrigMode {
    /// The three device modes in order.
    pub const ALL: [TrigMode; 3] = [Self::One, Self::One2, Self::Hold];

    /// Decodes the stored byte.
    pub fn from_code(c: u8) -> Self {
        match c {
            0 => Self::One,
            1 => Self::One2,
            2 => Self::Hold,
            o => Self::Other(o),
        }
    }
    /// The stored byte.
    pub fn to_code(self) -> u8 {
        match self {
            Self::One => 0,
            Self::One2 => 1,
            Self::Hold => 2,
            Self::Other(o) => o,
        }
    }
    /// The device's name (`ONE`, `ONE2`, `HOLD`; `#N` for an unknown byte).
    pub fn name(self) -> String {
        match self {
            Self::One => "ONE".into(),
            Self::One2 => "ONE2".into(),
            Self::Hold => "HOLD".into(),
            Self::Other(o) => format!("#{o}"),
        }
    }
}

/// The device's text for a track trig quantization: `DIRECT`, `TR.LEN` or the steps.
pub fn trig_quant_name(q: TrigQuant) -> String {
    match q {
        TrigQuant::Direct => "DIRECT".into(),
        TrigQuant::PatternLength => "TR.LEN".into(),
        TrigQuant::Steps(n) => format!("{n}"),
        TrigQuant::Other(o) => format!("#{o}"),
    }
}

/// The byte written for an ON flag whose default byte is 255 (START SILENT).
const START_SILENT_ON: u8 = 255;

impl TrackSettings {
    /// START SILENT: any non-zero byte is on (the blank default 255 is on; unverified).
    pub fn start_silent(&self) -> bool {
        self.start_silent != 0
    }
    /// Sets START SILENT: on writes 255 (the device default), off writes 0.
    pub fn set_start_silent(&mut self, on: bool) {
        self.start_silent = if on { START_SILENT_ON } else { 0 };
    }
    /// PLAYS FREE.
    pub fn plays_free(&self) -> bool {
        self.plays_free != 0
    }
    /// Sets PLAYS FREE (1 / 0).
    pub fn set_plays_free(&mut self, on: bool) {
        self.plays_free = on as u8;
    }
    /// ONESHOT TRK.
    pub fn oneshot_track(&self) -> bool {
        self.oneshot != 0
    }
    /// Sets ONESHOT TRK (1 / 0).
    pub fn set_oneshot_track(&mut self, on: bool) {
        self.oneshot = on as u8;
    }
    /// TRIG MODE.
    pub fn trig_mode(&self) -> TrigMode {
        TrigMode::from_code(self.trig_mode)
    }
    /// Sets TRIG MODE.
    pub fn set_trig_mode(&mut self, m: TrigMode) {
        self.trig_mode = m.to_code();
    }
    /// TRIG QUANT (255 = DIRECT, 0 = TR.LEN, 1..=16 = steps as in §9.7).
    pub fn trig_quant(&self) -> TrigQuant {
        TrigQuant::from_ot(self.trig_quant)
    }
    /// Sets TRIG QUANT; errors for a step count the device cannot store.
    pub fn set_trig_quant(&mut self, q: TrigQuant) -> Result<(), FormatError> {
        self.trig_quant = q.to_ot().ok_or_else(|| FormatError::Range {
            field: "trig quantization".into(),
            value: match q {
                TrigQuant::Steps(n) => n as i64,
                TrigQuant::Other(o) => o,
                _ => 0,
            },
            range: "DIRECT, TR.LEN or 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256 steps"
                .into(),
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::bank::{AUDIO_TRACK_LEN, AUDIO_TRACKS_AT, Bank, PATTERN_LEN, PATTERNS_AT};

    /// Offset of audio track `t` of pattern `p` (0-based), from the format doc §4.1-4.3.
    fn track_at(p: usize, t: usize) -> usize {
        22 + p * 36588 + 8 + t * 2338
    }

    /// Steps (0-based) of the 8-byte mask at `o`, decoded by hand per §4.5: byte 7 holds
    /// steps 1-8 (bit 0 = step 1), byte 0 steps 57-64.
    fn mask_steps(bytes: &[u8], o: usize) -> Vec<usize> {
        let mut v = Vec::new();
        for (i, b) in bytes[o..o + 8].iter().enumerate() {
            for bit in 0..8 {
                if b & (1 << bit) != 0 {
                    v.push((7 - i) * 8 + bit);
                }
            }
        }
        v.sort();
        v
    }

    #[test]
    fn offsets_agree_with_the_doc() {
        assert_eq!(
            track_at(3, 5),
            PATTERNS_AT + 3 * PATTERN_LEN + AUDIO_TRACKS_AT + 5 * AUDIO_TRACK_LEN
        );
    }

    #[test]
    fn multipart_recorder_masks_as_decoded_by_hand() {
        let Some(p) = crate::testutil::corpus("ot/multipart/bank01.work") else {
            return;
        };
        let bytes = std::fs::read(&p).unwrap();
        let (bank, _) = Bank::from_bytes(&bytes).unwrap();
        let mut with_trigs = 0;
        for pi in 0..16 {
            for t in 0..8 {
                let o = track_at(pi, t);
                let tr = &bank.patterns[pi].audio[t];
                let hand: Vec<Vec<usize>> =
                    (0..4).map(|m| mask_steps(&bytes, o + 41 + 8 * m)).collect();
                for (m, steps) in hand.iter().enumerate() {
                    with_trigs += !steps.is_empty() as usize;
                    for s in 0..64 {
                        let rec = tr.recorder_trig(s);
                        let got = match m {
                            0 => rec.in_ab,
                            1 => rec.in_cd,
                            2 => rec.src3,
                            _ => rec.oneshot,
                        };
                        assert_eq!(
                            got,
                            steps.contains(&s),
                            "pattern {pi} track {t} mask {m} step {s}"
                        );
                    }
                }
                let any: Vec<usize> = tr.recorder_steps().collect();
                let mut union: Vec<usize> = hand[..3].concat();
                union.sort();
                union.dedup();
                assert_eq!(any, union);
                // settings bytes +91..+96
                let s = &tr.settings;
                assert_eq!(s.swing_amount, bytes[o + 91]);
                assert_eq!(s.start_silent(), bytes[o + 92] != 0);
                assert_eq!(s.plays_free(), bytes[o + 93] != 0);
                assert_eq!(s.trig_mode().to_code(), bytes[o + 94]);
                assert_eq!(s.trig_quant().to_ot(), Some(bytes[o + 95]));
                assert_eq!(s.oneshot_track(), bytes[o + 96] != 0);
            }
        }
        // The corpus README / issue: 9 masks with trigs in multipart.
        assert_eq!(with_trigs, 9);
        // A01 T2: steps 1 and 17 from all three sources, not one-shot (hand-read bytes).
        let t2 = &bank.patterns[0].audio[1];
        assert_eq!(t2.recorder_steps().collect::<Vec<_>>(), vec![0, 16]);
        assert_eq!(
            t2.recorder_trig(16),
            RecorderTrig {
                in_ab: true,
                in_cd: true,
                src3: true,
                oneshot: false
            }
        );
        assert_eq!(t2.settings.trig_mode(), TrigMode::Hold);
        assert_eq!(t2.settings.trig_quant(), TrigQuant::Steps(6));
        assert!(t2.settings.plays_free());
        assert!(bank.patterns[0].audio[6].settings.oneshot_track());
    }

    #[test]
    fn setters_write_only_their_bits() {
        let mut t = AudioTrack::blank(0);
        t.set_recorder_source(0, RecorderSource::InCd, true)
            .unwrap();
        t.set_recorder_oneshot(63, true).unwrap();
        assert_eq!(t.recorder[1].to_bytes(), [0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(t.recorder[3].to_bytes(), [0x80, 0, 0, 0, 0, 0, 0, 0]);
        assert!(t.recorder[0].is_empty() && t.recorder[2].is_empty());
        assert!(t.recorder_trig(0).is_trig() && !t.recorder_trig(63).is_trig());
        assert_eq!(t.recorder_steps().collect::<Vec<_>>(), vec![0]);
        assert!(
            t.set_recorder_source(64, RecorderSource::InAb, true)
                .is_err()
        );
        assert!(t.set_recorder_trig(64, RecorderTrig::default()).is_err());
        t.set_recorder_trig(0, RecorderTrig::default()).unwrap();
        t.set_recorder_oneshot(63, false).unwrap();
        assert_eq!(t, AudioTrack::blank(0));
        for b in 0..16 {
            assert_eq!(RecorderTrig::from_bits(b).bits(), b);
        }
    }

    #[test]
    fn settings_setters_and_defaults() {
        let mut s = TrackSettings::default();
        // blank bank bytes (§4.3): start silent 255, the others 0
        assert!(s.start_silent() && !s.plays_free() && !s.oneshot_track());
        assert_eq!(s.trig_mode(), TrigMode::One);
        assert_eq!(s.trig_quant(), TrigQuant::PatternLength);
        s.set_start_silent(false);
        s.set_plays_free(true);
        s.set_oneshot_track(true);
        s.set_trig_mode(TrigMode::One2);
        s.set_trig_quant(TrigQuant::Direct).unwrap();
        assert_eq!(
            (
                s.start_silent,
                s.plays_free,
                s.trig_mode,
                s.trig_quant,
                s.oneshot
            ),
            (0, 1, 1, 255, 1)
        );
        s.set_trig_quant(TrigQuant::Steps(256)).unwrap();
        assert_eq!(s.trig_quant, 16);
        assert!(s.set_trig_quant(TrigQuant::Steps(5)).is_err());
        assert_eq!(s.trig_quant, 16);
        s.set_start_silent(true);
        assert_eq!(s.start_silent, 255);
        assert_eq!(TrigMode::from_code(7).name(), "#7");
        assert_eq!(trig_quant_name(TrigQuant::from_ot(0)), "TR.LEN");
        assert_eq!(trig_quant_name(TrigQuant::from_ot(5)), "6");
    }
}
