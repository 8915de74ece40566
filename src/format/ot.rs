//! `.ot` sample-settings files (832 bytes, version 2): tempo, lengths, time-stretch,
//! loop mode, gain, trig quantization, trim/loop points and 64 slices.
//!
//! The file is held as its raw bytes; typed accessors read and patch fields in place, so
//! unknown byte 22 and stale slices beyond the count survive, and an unedited file is
//! written back byte-identical (checksum included, even a wrong one).

use serde::{Deserialize, Serialize};

use super::common::{FileKind, FormatError, HEADER_LEN, Warning, header};
use super::rawfile::{BadChecksum, RawFile, check_range, range_err};
use super::regions::{MAX_SLICES, RECORD_LEN, Record, RecordJson, Slice, SlotMarkers};
use super::slot_attrs::{LoopMode, TimeStretch, TrigQuant, estimate_tempo_and_bars};

const UNKNOWN_22: usize = 22;
const TEMPO: usize = 23;
const TRIM_LEN: usize = 27;
const LOOP_LEN: usize = 31;
const STRETCH: usize = 35;
const LOOP_MODE: usize = 39;
const GAIN: usize = 43;
const QUANT: usize = 45;
const REGIONS: Record = Record { base: 46 };

/// A `.ot` sample-settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SampleSettingsJson", try_from = "SampleSettingsJson")]
pub struct SampleSettings {
    raw: RawFile,
}

impl SampleSettings {
    /// Reads a `.ot` file; a wrong checksum is reported by [`Self::warnings`].
    pub fn parse(bytes: &[u8]) -> Result<Self, FormatError> {
        Ok(Self {
            raw: RawFile::parse(bytes, FileKind::SampleSettings)?,
        })
    }

    /// Settings for a sample of `frames` frames at `sample_rate` Hz, as the device makes
    /// them: estimated tempo and trim/loop length, normal time-stretch, no loop, 0 dB,
    /// direct quantization, trim end = frame count, no slices, byte 22 = 1.
    pub fn for_sample(frames: u32, sample_rate: u32) -> Self {
        let mut b = vec![0u8; FileKind::SampleSettings.size()];
        b[..HEADER_LEN].copy_from_slice(&header(FileKind::SampleSettings));
        let (tempo, bars) = estimate_tempo_and_bars(frames as u64, sample_rate);
        let put = |b: &mut Vec<u8>, o: usize, v: u32| b[o..o + 4].copy_from_slice(&v.to_be_bytes());
        b[UNKNOWN_22] = 1;
        put(&mut b, TEMPO, tempo);
        put(&mut b, TRIM_LEN, bars);
        put(&mut b, LOOP_LEN, bars);
        put(&mut b, STRETCH, 2);
        b[GAIN..GAIN + 2].copy_from_slice(&48u16.to_be_bytes());
        b[QUANT] = 255;
        put(&mut b, REGIONS.base + 4, frames);
        Self {
            raw: RawFile::fresh(b),
        }
    }

    /// The bytes to write (unedited: identical to what was read).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.raw.to_bytes()
    }

    /// Warnings found when reading (a wrong checksum).
    pub fn warnings(&self) -> &[Warning] {
        self.raw.warnings()
    }

    /// Whether anything was changed since reading.
    pub fn is_edited(&self) -> bool {
        self.raw.is_edited()
    }

    /// Byte 22 (unknown; 1 in device files, 0 in some tool files).
    pub fn unknown_byte22(&self) -> u8 {
        self.raw.u8(UNKNOWN_22)
    }

    /// Sets byte 22.
    pub fn set_unknown_byte22(&mut self, v: u8) {
        self.raw.set_u8(UNKNOWN_22, v)
    }

    /// Tempo × 24 (2880 = 120 BPM).
    pub fn tempo_x24(&self) -> u32 {
        self.raw.u32(TEMPO)
    }

    /// Sets tempo × 24 (720..=7200, i.e. 30..300 BPM).
    pub fn set_tempo_x24(&mut self, v: u32) -> Result<(), FormatError> {
        check_range("tempo x24", v as i64, 720, 7200)?;
        self.raw.set_u32(TEMPO, v);
        Ok(())
    }

    /// Tempo in BPM.
    pub fn tempo_bpm(&self) -> f64 {
        self.tempo_x24() as f64 / 24.0
    }

    /// Sets the tempo in BPM (30..=300), rounded to 1/24 BPM.
    pub fn set_tempo_bpm(&mut self, bpm: f64) -> Result<(), FormatError> {
        let v = (bpm * 24.0).round();
        if !v.is_finite() || !(720.0..=7200.0).contains(&v) {
            return Err(range_err("tempo (BPM)", bpm as i64, "30..=300"));
        }
        self.set_tempo_x24(v as u32)
    }

    /// Trim length in bars × 100.
    pub fn trim_len_x100(&self) -> u32 {
        self.raw.u32(TRIM_LEN)
    }

    /// Sets the trim length in bars × 100.
    pub fn set_trim_len_x100(&mut self, v: u32) {
        self.raw.set_u32(TRIM_LEN, v)
    }

    /// Loop length in bars × 100.
    pub fn loop_len_x100(&self) -> u32 {
        self.raw.u32(LOOP_LEN)
    }

    /// Sets the loop length in bars × 100.
    pub fn set_loop_len_x100(&mut self, v: u32) {
        self.raw.set_u32(LOOP_LEN, v)
    }

    /// Time-stretch mode.
    pub fn time_stretch(&self) -> TimeStretch {
        TimeStretch::from_code(self.raw.u32(STRETCH) as i64)
    }

    /// Sets the time-stretch mode (any code that fits a u32).
    pub fn set_time_stretch(&mut self, m: TimeStretch) -> Result<(), FormatError> {
        let c = u32::try_from(m.code())
            .map_err(|_| range_err("time-stretch code", m.code(), "0..=4294967295"))?;
        self.raw.set_u32(STRETCH, c);
        Ok(())
    }

    /// Loop mode.
    pub fn loop_mode(&self) -> LoopMode {
        LoopMode::from_code(self.raw.u32(LOOP_MODE) as i64)
    }

    /// Sets the loop mode (any code that fits a u32).
    pub fn set_loop_mode(&mut self, m: LoopMode) -> Result<(), FormatError> {
        let c = u32::try_from(m.code())
            .map_err(|_| range_err("loop mode code", m.code(), "0..=4294967295"))?;
        self.raw.set_u32(LOOP_MODE, c);
        Ok(())
    }

    /// Gain (u16; 48 = 0 dB, 0.5 dB per step).
    pub fn gain(&self) -> u16 {
        self.raw.u16(GAIN)
    }

    /// Sets the gain (0..=96).
    pub fn set_gain(&mut self, v: u16) -> Result<(), FormatError> {
        check_range("gain", v as i64, 0, 96)?;
        self.raw.set_u16(GAIN, v);
        Ok(())
    }

    /// Trig quantization (255 = direct).
    pub fn trig_quant(&self) -> TrigQuant {
        TrigQuant::from_ot(self.raw.u8(QUANT))
    }

    /// Sets the trig quantization.
    pub fn set_trig_quant(&mut self, q: TrigQuant) -> Result<(), FormatError> {
        let b = q.to_ot().ok_or_else(|| {
            range_err(
                "trig quantization",
                q.to_project().unwrap_or(-2),
                "direct, pattern length or a step count of §9.7",
            )
        })?;
        self.raw.set_u8(QUANT, b);
        Ok(())
    }

    /// Trim start (frames).
    pub fn trim_start(&self) -> u32 {
        REGIONS.trim_start(&self.raw)
    }

    /// Sets the trim start.
    pub fn set_trim_start(&mut self, v: u32) {
        REGIONS.set_trim_start(&mut self.raw, v)
    }

    /// Trim end (frames; the device writes the frame count).
    pub fn trim_end(&self) -> u32 {
        REGIONS.trim_end(&self.raw)
    }

    /// Sets the trim end.
    pub fn set_trim_end(&mut self, v: u32) {
        REGIONS.set_trim_end(&mut self.raw, v)
    }

    /// Loop start (frames).
    pub fn loop_start(&self) -> u32 {
        REGIONS.loop_point(&self.raw)
    }

    /// Sets the loop start.
    pub fn set_loop_start(&mut self, v: u32) {
        REGIONS.set_loop_point(&mut self.raw, v)
    }

    /// The stored slice count (unclamped; 0..=64 in valid files).
    pub fn slice_count(&self) -> u32 {
        REGIONS.raw_count(&self.raw)
    }

    /// The slices in use.
    pub fn slices(&self) -> Vec<Slice> {
        REGIONS.slices(&self.raw)
    }

    /// Entry `i` of the 64 (in use or stale).
    pub fn slice_entry(&self, i: usize) -> Option<Slice> {
        REGIONS.entry(&self.raw, i)
    }

    /// Replaces the slices in use (at most 64) and the count; stale entries beyond are kept.
    pub fn set_slices(&mut self, slices: &[Slice]) -> Result<(), FormatError> {
        REGIONS.set_slices(&mut self.raw, slices)
    }

    /// Trim, loop point and slices, in the form `markers.work` stores per slot (what
    /// the device copies into the project when it loads the sample into a slot).
    pub fn markers(&self) -> SlotMarkers {
        REGIONS.markers(&self.raw)
    }

    /// Sets trim, loop point and slices from a slot's markers (e.g. to export a slot's
    /// slices to a `.ot` file); stale entries beyond the new count are kept.
    pub fn set_markers(&mut self, m: &SlotMarkers) -> Result<(), FormatError> {
        REGIONS.set_markers(&mut self.raw, m)
    }

    /// Overwrites entry `i` (0..64) without changing the count.
    pub fn set_slice_entry(&mut self, i: usize, s: Slice) -> Result<(), FormatError> {
        REGIONS.set_entry(&mut self.raw, i, s)
    }
}

/// JSON form of a `.ot` file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SampleSettingsJson {
    unknown_byte22: u8,
    tempo_x24: u32,
    trim_len_x100: u32,
    loop_len_x100: u32,
    time_stretch: TimeStretch,
    loop_mode: LoopMode,
    gain: u16,
    trig_quant: TrigQuant,
    #[serde(flatten)]
    regions: RecordJson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bad_checksum: Option<BadChecksum>,
}

impl From<SampleSettings> for SampleSettingsJson {
    fn from(s: SampleSettings) -> Self {
        Self {
            unknown_byte22: s.unknown_byte22(),
            tempo_x24: s.tempo_x24(),
            trim_len_x100: s.trim_len_x100(),
            loop_len_x100: s.loop_len_x100(),
            time_stretch: s.time_stretch(),
            loop_mode: s.loop_mode(),
            gain: s.gain(),
            trig_quant: s.trig_quant(),
            regions: REGIONS.to_json(&s.raw),
            bad_checksum: s.raw.bad_checksum(),
        }
    }
}

impl TryFrom<SampleSettingsJson> for SampleSettings {
    type Error = FormatError;
    fn try_from(j: SampleSettingsJson) -> Result<Self, FormatError> {
        let mut b = vec![0u8; FileKind::SampleSettings.size()];
        b[..HEADER_LEN].copy_from_slice(&header(FileKind::SampleSettings));
        b[UNKNOWN_22] = j.unknown_byte22;
        let code =
            |m: i64, what: &str| u32::try_from(m).map_err(|_| range_err(what, m, "0..=4294967295"));
        for (o, v) in [
            (TEMPO, j.tempo_x24),
            (TRIM_LEN, j.trim_len_x100),
            (LOOP_LEN, j.loop_len_x100),
            (STRETCH, code(j.time_stretch.code(), "time-stretch code")?),
            (LOOP_MODE, code(j.loop_mode.code(), "loop mode code")?),
        ] {
            b[o..o + 4].copy_from_slice(&v.to_be_bytes());
        }
        b[GAIN..GAIN + 2].copy_from_slice(&j.gain.to_be_bytes());
        b[QUANT] = j
            .trig_quant
            .to_ot()
            .ok_or_else(|| range_err("trig quantization", -2, "a code storable in one byte"))?;
        let rec = j.regions.to_bytes(".ot")?;
        b[REGIONS.base..REGIONS.base + RECORD_LEN].copy_from_slice(&rec);
        Ok(Self {
            raw: RawFile::rebuild(b, FileKind::SampleSettings, j.bad_checksum)?,
        })
    }
}

/// Most slices a `.ot` file holds.
pub const OT_MAX_SLICES: usize = MAX_SLICES;
