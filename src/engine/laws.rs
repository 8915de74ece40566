//! Value laws: stored parameter bytes to engine quantities. Where the device's exact law
//! is unknown the choice is marked so here and in `docs/engine.md`.

/// PTCH: stored 64 = own pitch, one semitone per step, limited to one octave each way
/// (manual, Flex/Static main page: "max pitches up an octave, min down an octave;
/// integer changes are semitones").
pub fn pitch_semitones(v: u8) -> f64 {
    (f64::from(v) - 64.0).clamp(-12.0, 12.0)
}

/// RATE (RATE mode PTCH): stored 127 = normal speed forward, 64 = stopped ("when set to
/// 0 the sample won't be played"), below 64 backwards, 0 = normal speed backwards.
/// Linear in between [unknown law, chosen].
pub fn rate_factor(v: u8) -> f64 {
    let d = f64::from(v) - 64.0;
    if d >= 0.0 { d / 63.0 } else { d / 64.0 }
}

/// RTRG: how many times a trig plays (stored + 1; octapy [unverified]).
pub fn retrig_plays(v: u8) -> usize {
    usize::from(v.min(127)) + 1
}

/// RTIM: steps between retrigs: stored / 16 (16 = one step) [unknown law, chosen],
/// at least 1/16 step.
pub fn retrig_steps(v: u8) -> f64 {
    (f64::from(v) / 16.0).max(1.0 / 16.0)
}

/// Seconds of an AMP ATK/HOLD/REL value: 10 s x (v/127)^2 [unknown law, chosen].
pub fn env_secs(v: u8) -> f64 {
    let x = f64::from(v.min(127)) / 127.0;
    10.0 * x * x
}

/// HOLD at 127 holds until the sample ends (no release starts) [unknown, chosen].
pub fn hold_is_infinite(v: u8) -> bool {
    v >= 127
}

/// REL at 127 never fades: the sample plays out [unknown, chosen].
pub fn release_is_infinite(v: u8) -> bool {
    v >= 127
}

/// AMP VOL: stored 64 = unity; gain (v/64)^2, so 0 is silence and 127 about +12 dB
/// [unknown law, chosen].
pub fn volume_gain(v: u8) -> f32 {
    let x = f32::from(v.min(127)) / 64.0;
    x * x
}

/// AMP BAL: (left, right) gains; 64 = both 1; towards 127 the left side falls linearly to
/// 0, towards 0 the right side [unknown law, chosen].
pub fn balance_gains(v: u8) -> (f32, f32) {
    let v = f32::from(v.min(127));
    let left = ((127.0 - v) / 63.0).clamp(0.0, 1.0);
    let right = (v / 64.0).clamp(0.0, 1.0);
    (left, right)
}

/// Track main level (part volume pair, default 108): linear amplitude v / 127
/// [unknown law, chosen].
pub fn level_gain(v: u8) -> f32 {
    f32::from(v.min(127)) / 127.0
}

/// Slot GAIN in dB: (stored - 48) / 2 (format doc §9.2), as a linear factor.
pub fn slot_gain(stored: i64) -> f32 {
    let db = crate::format::slot_attrs::gain_db(stored);
    10f64.powf(db / 20.0) as f32
}

/// A frequency knob 0..127 as Hz: 20 Hz x 1000^(v/127), 20 Hz .. 20 kHz exponential
/// [unknown law, chosen].
pub fn knob_hz(v: u8) -> f32 {
    20.0 * 1000f32.powf(f32::from(v.min(127)) / 127.0)
}

/// Filter resonance Q for a knob 0..127: 0.5 .. 10.5 linear [unknown law, chosen].
pub fn knob_q(v: u8) -> f32 {
    0.5 + 10.0 * f32::from(v.min(127)) / 127.0
}

/// EQ gain in dB for a bipolar knob (64 = 0 dB): +-24 dB over the range [unknown, chosen].
pub fn eq_gain_db(v: u8) -> f32 {
    (f32::from(v.min(127)) - 64.0) * 24.0 / 64.0
}

/// STRT without slices: the start as a fraction of the trimmed region (v / 128; manual:
/// "controls the start point of the sample in a linear fashion").
pub fn start_fraction(v: u8) -> f64 {
    f64::from(v.min(127)) / 128.0
}

/// STRT with SLIC on: the slice index, stored / 2 (format doc §9.2 [D]); beyond the last
/// slice the last one plays (manual).
pub fn slice_index(v: u8, count: usize) -> usize {
    usize::from(v / 2).min(count.saturating_sub(1))
}

/// LEN with the LEN mode TIME: steps the trig plays, (v + 1) / 8 [unknown law, chosen].
pub fn len_time_steps(v: u8) -> f64 {
    (f64::from(v) + 1.0) / 8.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laws_hit_their_anchor_points() {
        assert_eq!(pitch_semitones(64), 0.0);
        assert_eq!(pitch_semitones(76), 12.0);
        assert_eq!(pitch_semitones(127), 12.0);
        assert_eq!(rate_factor(127), 1.0);
        assert_eq!(rate_factor(64), 0.0);
        assert_eq!(rate_factor(0), -1.0);
        assert_eq!(volume_gain(64), 1.0);
        assert_eq!(volume_gain(0), 0.0);
        assert_eq!(balance_gains(64), (1.0, 1.0));
        assert_eq!(balance_gains(127), (0.0, 1.0));
        assert_eq!(balance_gains(0), (1.0, 0.0));
        assert!((knob_hz(0) - 20.0).abs() < 1e-3 && (knob_hz(127) - 20_000.0).abs() < 1.0);
        assert_eq!(slice_index(4, 8), 2);
        assert_eq!(slice_index(127, 8), 7);
        assert!((slot_gain(48) - 1.0).abs() < 1e-6);
        assert_eq!(retrig_plays(0), 1);
    }
}
