//! The known `[SETTINGS]` / `[STATES]` keys and their typed, range-checked accessors.

use super::{FormatError, ProjectFile, int_value};
use crate::format::rawfile::{check_range, range_err};

/// A known numeric key: name, device default, allowed range for setters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    /// The key as written in the file.
    pub key: &'static str,
    /// The value in a device-made blank project.
    pub default: i64,
    /// Smallest value a setter accepts.
    pub min: i64,
    /// Largest value a setter accepts.
    pub max: i64,
}

const fn k(key: &'static str, default: i64, min: i64, max: i64) -> KeySpec {
    KeySpec {
        key,
        default,
        min,
        max,
    }
}

/// The `[SETTINGS]` keys in device order (without the 8 `TRIG_MODE_MIDI` lines that end
/// the section), with blank-project defaults and setter ranges.
pub const SETTINGS_KEYS: &[KeySpec] = &[
    k("WRITEPROTECTED", 0, 0, 1),
    k("TEMPOx24", 2880, 720, 7200),
    k("PATTERN_TEMPO_ENABLED", 0, 0, 1),
    k("MIDI_CLOCK_SEND", 0, 0, 2),
    k("MIDI_CLOCK_RECEIVE", 0, 0, 2),
    k("MIDI_TRANSPORT_SEND", 0, 0, 1),
    k("MIDI_TRANSPORT_RECEIVE", 0, 0, 1),
    k("MIDI_PROGRAM_CHANGE_SEND", 0, 0, 1),
    k("MIDI_PROGRAM_CHANGE_SEND_CH", -1, -1, 15),
    k("MIDI_PROGRAM_CHANGE_RECEIVE", 0, 0, 1),
    k("MIDI_PROGRAM_CHANGE_RECEIVE_CH", -1, -1, 15),
    k("MIDI_TRIG_CH1", 0, -1, 15),
    k("MIDI_TRIG_CH2", 1, -1, 15),
    k("MIDI_TRIG_CH3", 2, -1, 15),
    k("MIDI_TRIG_CH4", 3, -1, 15),
    k("MIDI_TRIG_CH5", 4, -1, 15),
    k("MIDI_TRIG_CH6", 5, -1, 15),
    k("MIDI_TRIG_CH7", 6, -1, 15),
    k("MIDI_TRIG_CH8", 7, -1, 15),
    k("MIDI_AUTO_CHANNEL", 10, -1, 15),
    k("MIDI_SOFT_THRU", 0, 0, 1),
    k("MIDI_AUDIO_TRK_CC_IN", 1, 0, 1),
    k("MIDI_AUDIO_TRK_CC_OUT", 3, 0, 3),
    k("MIDI_AUDIO_TRK_NOTE_IN", 1, 0, 3),
    k("MIDI_AUDIO_TRK_NOTE_OUT", 3, 0, 3),
    k("MIDI_MIDI_TRK_CC_IN", 1, 0, 3),
    k("PATTERN_CHANGE_CHAIN_BEHAVIOR", 0, 0, 255),
    k("PATTERN_CHANGE_AUTO_SILENCE_TRACKS", 0, 0, 1),
    k("PATTERN_CHANGE_AUTO_TRIG_LFOS", 0, 0, 1),
    k("LOAD_24BIT_FLEX", 0, 0, 1),
    k("DYNAMIC_RECORDERS", 0, 0, 1),
    k("RECORD_24BIT", 0, 0, 1),
    k("RESERVED_RECORDER_COUNT", 8, 0, 8),
    k("RESERVED_RECORDER_LENGTH", 16, 0, 65535),
    k("INPUT_DELAY_COMPENSATION", 0, 0, 1),
    k("GATE_AB", 127, 0, 127),
    k("GATE_CD", 127, 0, 127),
    k("GAIN_AB", 64, 0, 127),
    k("GAIN_CD", 64, 0, 127),
    k("DIR_AB", 0, 0, 127),
    k("DIR_CD", 0, 0, 127),
    k("PHONES_MIX", 64, 0, 127),
    k("MAIN_TO_CUE", 0, 0, 127),
    k("MASTER_TRACK", 0, 0, 1),
    k("CUE_STUDIO_MODE", 0, 0, 1),
    k("MAIN_LEVEL", 64, 0, 127),
    k("CUE_LEVEL", 64, 0, 127),
    k("METRONOME_TIME_SIGNATURE", 3, 0, 15),
    k("METRONOME_TIME_SIGNATURE_DENOMINATOR", 2, 0, 4),
    k("METRONOME_PREROLL", 0, 0, 16),
    k("METRONOME_CUE_VOLUME", 32, 0, 127),
    k("METRONOME_MAIN_VOLUME", 0, 0, 127),
    k("METRONOME_PITCH", 12, 0, 127),
    k("METRONOME_TONAL", 1, 0, 1),
    k("METRONOME_ENABLED", 0, 0, 1),
];

/// The repeated per-MIDI-track trig mode key (8 lines, tracks 1..8 in order).
pub const TRIG_MODE_MIDI: KeySpec = k("TRIG_MODE_MIDI", 0, 0, 1);

/// The `[STATES]` keys in device order, with defaults and setter ranges.
pub const STATES_KEYS: &[KeySpec] = &[
    k("BANK", 0, 0, 15),
    k("PATTERN", 0, 0, 15),
    k("ARRANGEMENT", 0, 0, 7),
    k("ARRANGEMENT_MODE", 0, 0, 255),
    k("PART", 0, 0, 3),
    k("TRACK", 0, 0, 7),
    k("TRACK_OTHERMODE", 0, 0, 255),
    k("SCENE_A_MUTE", 0, 0, 1),
    k("SCENE_B_MUTE", 0, 0, 1),
    k("TRACK_CUE_MASK", 0, 0, 255),
    k("TRACK_MUTE_MASK", 0, 0, 255),
    k("TRACK_SOLO_MASK", 0, 0, 255),
    k("MIDI_TRACK_MUTE_MASK", 0, 0, 255),
    k("MIDI_TRACK_SOLO_MASK", 0, 0, 255),
    k("MIDI_MODE", 0, 0, 255),
];

impl ProjectFile {
    /// A `[SETTINGS]` value as an integer (`None` when the key is absent).
    pub fn setting(&self, key: &str) -> Option<i64> {
        self.int("SETTINGS", key)
    }

    /// Sets a known `[SETTINGS]` key (see [`SETTINGS_KEYS`]) after a range check.
    pub fn set_setting(&mut self, key: &str, value: i64) -> Result<(), FormatError> {
        let spec = Self::spec(SETTINGS_KEYS, key)?;
        if self.setting(key) == Some(value) {
            // keep the exact text (e.g. "007"), and never refuse the value the file holds
            return Ok(());
        }
        check_range(key, value, spec.min, spec.max)?;
        self.set_raw("SETTINGS", key, &value.to_string())
    }

    /// A `[STATES]` value as an integer.
    pub fn state(&self, key: &str) -> Option<i64> {
        self.int("STATES", key)
    }

    /// Sets a known `[STATES]` key (see [`STATES_KEYS`]) after a range check.
    pub fn set_state(&mut self, key: &str, value: i64) -> Result<(), FormatError> {
        let spec = Self::spec(STATES_KEYS, key)?;
        if self.state(key) == Some(value) {
            // keep the exact text (e.g. "007"), and never refuse the value the file holds
            return Ok(());
        }
        check_range(key, value, spec.min, spec.max)?;
        self.set_raw("STATES", key, &value.to_string())
    }

    /// A 0/1 setting as a bool (`None` when absent).
    pub fn setting_flag(&self, key: &str) -> Option<bool> {
        self.setting(key).map(|v| v != 0)
    }

    /// Sets a 0/1 setting.
    pub fn set_setting_flag(&mut self, key: &str, on: bool) -> Result<(), FormatError> {
        self.set_setting(key, on as i64)
    }

    /// `TEMPOx24` (BPM × 24, kept as the exact integer).
    pub fn tempo_x24(&self) -> Option<i64> {
        self.setting("TEMPOx24")
    }

    /// Sets `TEMPOx24` (720..=7200).
    pub fn set_tempo_x24(&mut self, v: i64) -> Result<(), FormatError> {
        self.set_setting("TEMPOx24", v)
    }

    /// The project tempo in BPM (`TEMPOx24` / 24; 3027 → 126.125).
    pub fn tempo_bpm(&self) -> Option<f64> {
        self.tempo_x24().map(|v| v as f64 / 24.0)
    }

    /// Sets the tempo in BPM (30..=300), rounded to 1/24 BPM.
    pub fn set_tempo_bpm(&mut self, bpm: f64) -> Result<(), FormatError> {
        let v = (bpm * 24.0).round();
        if !v.is_finite() || !(720.0..=7200.0).contains(&v) {
            return Err(range_err("tempo (BPM)", bpm as i64, "30..=300"));
        }
        self.set_tempo_x24(v as i64)
    }

    /// `PATTERN_TEMPO_ENABLED`.
    pub fn pattern_tempo_enabled(&self) -> Option<bool> {
        self.setting_flag("PATTERN_TEMPO_ENABLED")
    }

    /// Sets `PATTERN_TEMPO_ENABLED`.
    pub fn set_pattern_tempo_enabled(&mut self, on: bool) -> Result<(), FormatError> {
        self.set_setting_flag("PATTERN_TEMPO_ENABLED", on)
    }

    fn channel(&self, key: &str) -> Option<Option<u8>> {
        self.setting(key)
            .map(|v| (0..=15).contains(&v).then(|| v as u8 + 1))
    }

    fn set_channel(&mut self, key: &str, ch: Option<u8>) -> Result<(), FormatError> {
        let v = match ch {
            None => -1,
            Some(c) => {
                check_range(&format!("{key} channel"), c as i64, 1, 16)?;
                c as i64 - 1
            }
        };
        self.set_setting(key, v)
    }

    fn track_key(prefix: &str, track: usize) -> Result<String, FormatError> {
        check_range("track", track as i64, 1, 8)?;
        Ok(format!("{prefix}{track}"))
    }

    /// MIDI channel 1..=16 of audio track `track` (1..=8); `Some(None)` = off (-1).
    pub fn midi_trig_channel(&self, track: usize) -> Option<Option<u8>> {
        self.channel(&Self::track_key("MIDI_TRIG_CH", track).ok()?)
    }

    /// Sets the MIDI channel (1..=16, `None` = off) of audio track `track` (1..=8).
    pub fn set_midi_trig_channel(
        &mut self,
        track: usize,
        ch: Option<u8>,
    ) -> Result<(), FormatError> {
        let key = Self::track_key("MIDI_TRIG_CH", track)?;
        self.set_channel(&key, ch)
    }

    /// `MIDI_AUTO_CHANNEL` as 1..=16; `Some(None)` = off.
    pub fn midi_auto_channel(&self) -> Option<Option<u8>> {
        self.channel("MIDI_AUTO_CHANNEL")
    }

    /// Sets `MIDI_AUTO_CHANNEL` (1..=16 or off).
    pub fn set_midi_auto_channel(&mut self, ch: Option<u8>) -> Result<(), FormatError> {
        self.set_channel("MIDI_AUTO_CHANNEL", ch)
    }

    /// Program-change send channel 1..=16; `Some(None)` = AUTO.
    pub fn program_change_send_channel(&self) -> Option<Option<u8>> {
        self.channel("MIDI_PROGRAM_CHANGE_SEND_CH")
    }

    /// Sets the program-change send channel (1..=16 or AUTO).
    pub fn set_program_change_send_channel(&mut self, ch: Option<u8>) -> Result<(), FormatError> {
        self.set_channel("MIDI_PROGRAM_CHANGE_SEND_CH", ch)
    }

    /// Program-change receive channel 1..=16; `Some(None)` = AUTO.
    pub fn program_change_receive_channel(&self) -> Option<Option<u8>> {
        self.channel("MIDI_PROGRAM_CHANGE_RECEIVE_CH")
    }

    /// Sets the program-change receive channel (1..=16 or AUTO).
    pub fn set_program_change_receive_channel(
        &mut self,
        ch: Option<u8>,
    ) -> Result<(), FormatError> {
        self.set_channel("MIDI_PROGRAM_CHANGE_RECEIVE_CH", ch)
    }

    /// The `TRIG_MODE_MIDI` value of MIDI track `track` (1..=8): the track-th occurrence.
    pub fn trig_mode_midi(&self, track: usize) -> Option<i64> {
        let s = self.section("SETTINGS")?;
        let all = self.find_keys(&s, TRIG_MODE_MIDI.key);
        int_value(all.get(track.checked_sub(1)?)?.1)
    }

    /// Sets the `TRIG_MODE_MIDI` of MIDI track `track` (1..=8; value 0..=1). Fails when
    /// the file has fewer occurrences.
    pub fn set_trig_mode_midi(&mut self, track: usize, v: i64) -> Result<(), FormatError> {
        check_range("track", track as i64, 1, 8)?;
        check_range(
            TRIG_MODE_MIDI.key,
            v,
            TRIG_MODE_MIDI.min,
            TRIG_MODE_MIDI.max,
        )?;
        let s = self.section("SETTINGS").ok_or_else(|| FormatError::Text {
            line: self.lines.len(),
            message: "no [SETTINGS] section".into(),
        })?;
        let all = self.find_keys(&s, TRIG_MODE_MIDI.key);
        let (i, cur) = all
            .get(track - 1)
            .copied()
            .ok_or_else(|| FormatError::Text {
                line: s.close + 1,
                message: format!(
                    "expected 8 TRIG_MODE_MIDI lines in [SETTINGS], found {}",
                    all.len()
                ),
            })?;
        if int_value(cur) != Some(v) {
            self.set_line_value(i, TRIG_MODE_MIDI.key, &v.to_string());
        }
        Ok(())
    }

    /// Metronome time signature as (numerator 1..=16, denominator 1..=16).
    pub fn metronome_time_signature(&self) -> Option<(i64, i64)> {
        let n = self.setting("METRONOME_TIME_SIGNATURE")?;
        let d = self.setting("METRONOME_TIME_SIGNATURE_DENOMINATOR")?;
        Some((n + 1, 1i64.checked_shl(d.clamp(0, 62) as u32)?))
    }

    /// Sets the metronome time signature (numerator 1..=16; denominator 1, 2, 4, 8 or 16).
    pub fn set_metronome_time_signature(&mut self, num: i64, den: i64) -> Result<(), FormatError> {
        check_range("metronome numerator", num, 1, 16)?;
        let d = [1, 2, 4, 8, 16]
            .iter()
            .position(|&x| x == den)
            .ok_or_else(|| range_err("metronome denominator", den, "1, 2, 4, 8 or 16"))?;
        self.set_setting("METRONOME_TIME_SIGNATURE", num - 1)?;
        self.set_setting("METRONOME_TIME_SIGNATURE_DENOMINATOR", d as i64)
    }
}
