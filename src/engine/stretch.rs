//! Time-stretch of Flex/Static samples to the playing tempo (SETUP TSTR/TSNS), made off the
//! audio thread.
//!
//! The device plays a time-stretched sample so that its ORIGINAL TEMPO (the slot's tempo)
//! follows the sequencer's: a sample's duration is scaled by `slot tempo / playing tempo`
//! and its pitch is kept (docs/engine.md, "Time-stretch"). Here the stretched audio is
//! computed once per (tempo, mode, TSNS) with the Signalsmith Stretch library (the
//! `signalsmith-stretch` crate) by the loader, on a worker thread, and kept beside the
//! original in [`SlotSound::stretched`]; the voice reads it like any sample. A tempo that
//! has no stretched copy yet plays the original until the worker's copy arrives.

use super::SAMPLE_RATE;
use super::sample::{Sample, SampleRegion, SlotSound};
use crate::format::slot_attrs::{TimeStretch, estimate_tempo_and_bars};
use crate::seq::model::DeviceSetup;
use crate::seq::timeline::PlayItem;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The two stretch algorithms of the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StretchMode {
    /// NORMAL: for most material.
    Normal,
    /// BEAT: for rhythmic material (shorter analysis window: sharper transients).
    Beat,
}

/// What a stretched copy was made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StretchKey {
    /// The playing tempo x 24 (the device's tempo unit).
    pub tempo_x24: u32,
    /// The algorithm.
    pub mode: StretchMode,
    /// SETUP TSNS 0..=127 (transient sensitivity).
    pub tsns: u8,
}

/// A stretched copy of a slot's sample with its regions in stretched frames.
#[derive(Debug, Clone)]
pub struct Stretched {
    /// What it was made for.
    pub key: StretchKey,
    /// The stretched audio (44.1 kHz).
    pub sample: Arc<Sample>,
    /// Trim with its loop point.
    pub trim: SampleRegion,
    /// Slices.
    pub slices: Vec<SampleRegion>,
}

/// Stretched copies wanted, by (is_static, 0-based slot).
pub type Needs = BTreeMap<(bool, u8), BTreeSet<StretchKey>>;

/// Whether `have` holds every copy `want` asks for.
pub fn covers(have: &Needs, want: &Needs) -> bool {
    want.iter()
        .all(|(slot, keys)| have.get(slot).is_some_and(|h| keys.is_subset(h)))
}

/// The tempo key of a BPM (BPM x 24, rounded, as the device stores tempos).
pub fn tempo_key(bpm: f64) -> u32 {
    (bpm.max(0.0) * 24.0).round() as u32
}

/// The stretch a track plays: SETUP TSTR 0 OFF, 1 AUTO (the slot's TSMODE), 2 NORMAL,
/// 3 BEAT; a slot's TSMODE 0 OFF, 2 NORMAL, 3 BEAT. `None`: no stretch.
pub fn effective_mode(setup_tstr: u8, slot: TimeStretch) -> Option<StretchMode> {
    let from_slot = match slot {
        TimeStretch::Normal => Some(StretchMode::Normal),
        TimeStretch::Beat => Some(StretchMode::Beat),
        _ => None,
    };
    match setup_tstr {
        1 => from_slot,
        2 => Some(StretchMode::Normal),
        3 => Some(StretchMode::Beat),
        _ => None,
    }
}

/// A slot's ORIGINAL TEMPO in BPM: `BPMx24 / 24` when the slot stores it, else from
/// `TRIM_BARSx100` and the trim's duration (bars x 4 beats in `trim_secs`), else the
/// device's estimate from the duration ([`estimate_tempo_and_bars`]).
pub fn slot_tempo(bpm_x24: Option<i64>, trim_bars_x100: Option<i64>, trim_secs: f64) -> f64 {
    if let Some(b) = bpm_x24.filter(|b| *b > 0) {
        return b as f64 / 24.0;
    }
    if let Some(bars) = trim_bars_x100.filter(|b| *b > 0)
        && trim_secs > 0.0
    {
        return bars as f64 / 100.0 * 240.0 / trim_secs;
    }
    let frames = (trim_secs.max(0.0) * f64::from(SAMPLE_RATE)).round() as u64;
    f64::from(estimate_tempo_and_bars(frames, SAMPLE_RATE).0) / 24.0
}

/// Signalsmith's analysis block and hop in frames for a mode and TSNS: NORMAL uses the
/// library's default preset (120 ms blocks, 30 ms hop), BEAT half of it; TSNS scales the
/// block by 2^((64 - TSNS) / 64) (64: as is; 127: about half, sharper transients; 0: double,
/// smoother tones). The hop is a quarter block.
pub fn block_frames(mode: StretchMode, tsns: u8) -> (usize, usize) {
    let base = match mode {
        StretchMode::Normal => 0.12,
        StretchMode::Beat => 0.06,
    };
    let secs = base * 2f64.powf((64.0 - f64::from(tsns.min(127))) / 64.0);
    let block = (secs * f64::from(SAMPLE_RATE)).round().max(256.0) as usize;
    (block, (block / 4).max(64))
}

/// The sample stretched by `factor` (output frames / input frames), pitch kept. A sample
/// shorter than about one analysis block is cut or padded with silence instead.
pub fn stretch_sample(sample: &Sample, factor: f64, mode: StretchMode, tsns: u8) -> Sample {
    let n_in = sample.frames.len();
    let n_out = (n_in as f64 * factor).round() as usize;
    if n_in == 0 || n_out == 0 {
        return Sample {
            frames: Vec::new(),
            source_rate: sample.source_rate,
        };
    }
    let (block, hop) = block_frames(mode, tsns);
    let mut st = signalsmith_stretch::Stretch::new(2, block, hop);
    let input: Vec<f32> = sample.frames.iter().flatten().copied().collect();
    let mut out = vec![0.0f32; n_out * 2];
    if !st.exact(&input, &mut out) {
        // Too short for the library (under two output latencies, about one block): the
        // original frames cut or padded with silence to the stretched length.
        out.fill(0.0);
        let n = out.len().min(input.len());
        out[..n].copy_from_slice(&input[..n]);
    }
    Sample {
        frames: out.chunks_exact(2).map(|f| [f[0], f[1]]).collect(),
        source_rate: sample.source_rate,
    }
}

fn scale_region(r: SampleRegion, factor: f64, len: usize) -> SampleRegion {
    let f = |x: usize| ((x as f64 * factor).round() as usize).min(len);
    SampleRegion {
        start: f(r.start),
        end: f(r.end).max(f(r.start)),
        loop_start: r.loop_start.map(f),
    }
}

/// The stretched copy of a slot for `key`, its regions scaled by the same factor
/// (`None`: the ratio is 1, the original plays).
pub fn make(sound: &SlotSound, key: StretchKey) -> Option<Stretched> {
    let tempo = f64::from(key.tempo_x24) / 24.0;
    if tempo <= 0.0 || sound.tempo <= 0.0 || key.tempo_x24 == tempo_key(sound.tempo) {
        return None;
    }
    let factor = sound.tempo / tempo;
    let sample = stretch_sample(&sound.sample, factor, key.mode, key.tsns);
    let len = sample.frames.len();
    Some(Stretched {
        key,
        trim: scale_region(sound.trim, factor, len),
        slices: sound
            .slices
            .iter()
            .map(|r| scale_region(*r, factor, len))
            .collect(),
        sample: Arc::new(sample),
    })
}

/// Makes the stretched copies `keys` asks for that the slot lacks (the slow part: call it
/// on a worker), and drops the ones no longer asked for.
pub fn prepare(sound: &mut SlotSound, keys: &BTreeSet<StretchKey>) {
    sound.stretched.retain(|s| keys.contains(&s.key));
    for &k in keys {
        if sound.stretched.iter().any(|s| s.key == k) {
            continue;
        }
        if let Some(s) = make(sound, k) {
            sound.stretched.push(Arc::new(s));
        }
    }
}

/// A copy of `samples` (sharing their audio) with the stretched copies `needs` asks for,
/// e.g. after a tempo change (the slow part: call it on a worker, then hand the result to
/// the live engine, which swaps it in lock-free).
pub fn restretch(samples: &super::sample::Samples, needs: &Needs) -> super::sample::Samples {
    let mut out = samples.clone();
    let none = BTreeSet::new();
    for (is_static, pool) in [(false, &mut out.flex), (true, &mut out.statics)] {
        for (slot, sound) in pool.iter_mut() {
            prepare(sound, needs.get(&(is_static, *slot)).unwrap_or(&none));
        }
    }
    out
}

/// The tempo of a play item (its row's, else the project's or the pattern's).
pub fn item_tempo(item: &PlayItem, setup: &DeviceSetup) -> f64 {
    item.tempo.unwrap_or_else(|| setup.tempo_for(&item.pattern))
}

/// The stretched copies the items need, by (is_static, 0-based slot): for every trig of a
/// Flex/Static track (sample locks included) whose TSTR is not OFF, the item's tempo with
/// the track's mode and TSNS. `slot_mode` gives a slot's own TSMODE (for TSTR AUTO).
pub fn needs(
    items: &[PlayItem],
    setup: &DeviceSetup,
    slot_mode: &dyn Fn(bool, u8) -> TimeStretch,
) -> Needs {
    let mut out = Needs::new();
    for item in items {
        let tempo_x24 = tempo_key(item_tempo(item, setup));
        let p = &item.pattern;
        super::load::for_each_trig_slot(p, |t, is_static, slot| {
            let part = &p.part.audio[t];
            if let Some(mode) = effective_mode(part.setup[4], slot_mode(is_static, slot)) {
                out.entry((is_static, slot))
                    .or_default()
                    .insert(StretchKey {
                        tempo_x24,
                        mode,
                        tsns: part.setup[5],
                    });
            }
        });
    }
    out
}

/// The sample and regions a trig plays: the stretched copy for (tempo, TSTR, TSNS) when
/// the track stretches and the copy exists, else the original.
pub fn pick(
    sound: &SlotSound,
    setup_tstr: u8,
    tsns: u8,
    tempo: f64,
) -> (&Arc<Sample>, SampleRegion, &[SampleRegion]) {
    if let Some(mode) = effective_mode(setup_tstr, sound.time_stretch) {
        let key = StretchKey {
            tempo_x24: tempo_key(tempo),
            mode,
            tsns,
        };
        if let Some(s) = sound.stretched.iter().find(|s| s.key == key) {
            return (&s.sample, s.trim, &s.slices);
        }
    }
    (&sound.sample, sound.trim, &sound.slices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tstr_auto_takes_the_slot_mode_and_off_wins() {
        assert_eq!(effective_mode(0, TimeStretch::Normal), None);
        assert_eq!(
            effective_mode(1, TimeStretch::Beat),
            Some(StretchMode::Beat)
        );
        assert_eq!(effective_mode(1, TimeStretch::Off), None);
        assert_eq!(
            effective_mode(2, TimeStretch::Off),
            Some(StretchMode::Normal)
        );
        assert_eq!(effective_mode(3, TimeStretch::Off), Some(StretchMode::Beat));
    }

    #[test]
    fn slot_tempo_prefers_bpm_then_bars_then_the_estimate() {
        assert_eq!(slot_tempo(Some(2880), Some(800), 1.0), 120.0);
        // 2 bars in 4 s = 8 beats in 4 s = 120 BPM.
        assert_eq!(slot_tempo(None, Some(200), 4.0), 120.0);
        // R4: 890839 frames at 44.1 kHz -> 2281 / 24 BPM.
        let d = 890_839.0 / 44_100.0;
        assert!((slot_tempo(None, None, d) - 2281.0 / 24.0).abs() < 1e-9);
    }

    #[test]
    fn tsns_shortens_the_block_as_it_rises() {
        assert_eq!(block_frames(StretchMode::Normal, 64), (5292, 1323));
        let (hi, _) = block_frames(StretchMode::Beat, 127);
        let (lo, _) = block_frames(StretchMode::Beat, 0);
        assert!(hi < 2646 && lo > 2646, "{hi} {lo}");
    }
}
