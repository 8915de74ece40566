//! Samples in memory at the engine rate, with their slot's regions.

use super::SAMPLE_RATE;
use crate::audio::AudioError;
use crate::audio::resample::StreamResampler;
use crate::format::regions::SlotMarkers;
use crate::format::slot_attrs::{LoopMode, TimeStretch};
use std::collections::HashMap;
use std::sync::Arc;

/// A decoded sample as stereo frames at [`SAMPLE_RATE`].
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Stereo frames (a mono file plays on both sides).
    pub frames: Vec<[f32; 2]>,
    /// The file's own rate (markers count frames at this rate).
    pub source_rate: u32,
}

impl Sample {
    /// Converts interleaved audio of `channels` channels at `rate` Hz (rubato when the
    /// rate is not 44.1 kHz; the first two channels are used, mono goes to both sides).
    pub fn from_interleaved(
        samples: &[f32],
        channels: usize,
        rate: u32,
    ) -> Result<Self, AudioError> {
        let ch = channels.max(1);
        let converted;
        let data = if rate == SAMPLE_RATE || rate == 0 {
            samples
        } else {
            let mut r = StreamResampler::new(f64::from(SAMPLE_RATE) / f64::from(rate), ch)?;
            let mut out =
                Vec::with_capacity(samples.len() * SAMPLE_RATE as usize / rate as usize + 64);
            r.process(samples, &mut out)?;
            r.finish(&mut out)?;
            converted = out;
            &converted
        };
        let frames = data
            .chunks_exact(ch)
            .map(|f| [f[0], if ch > 1 { f[1] } else { f[0] }])
            .collect();
        Ok(Self {
            frames,
            source_rate: if rate == 0 { SAMPLE_RATE } else { rate },
        })
    }

    /// The engine frame of a source frame (markers are stored in source frames).
    pub fn to_engine(&self, source_frame: u64) -> usize {
        let f = source_frame as f64 * f64::from(SAMPLE_RATE) / f64::from(self.source_rate.max(1));
        (f.round() as usize).min(self.frames.len())
    }
}

/// Frames `start..end` of a sample (engine rate) with an optional loop start inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleRegion {
    /// First frame.
    pub start: usize,
    /// One past the last frame.
    pub end: usize,
    /// Where a loop restarts, when the region has a loop point.
    pub loop_start: Option<usize>,
}

/// A sample slot ready to play: the sample, its trim and slices, loop mode and gain.
#[derive(Debug, Clone)]
pub struct SlotSound {
    /// The audio.
    pub sample: Arc<Sample>,
    /// Trim start..end with the loop point (markers.work).
    pub trim: SampleRegion,
    /// Slices in use (markers.work).
    pub slices: Vec<SampleRegion>,
    /// The slot's own loop mode (used when the track's LOOP is AUTO).
    pub loop_mode: LoopMode,
    /// The slot's gain as a factor.
    pub gain: f32,
    /// The slot's time-stretch mode (used when the track's TSTR is AUTO).
    pub time_stretch: TimeStretch,
    /// The slot's ORIGINAL TEMPO in BPM (time-stretch scales durations by this / the
    /// playing tempo).
    pub tempo: f64,
    /// Stretched copies made by the loader (`engine::stretch`), one per (tempo, mode, TSNS).
    pub stretched: Vec<Arc<super::stretch::Stretched>>,
}

const LOOP_OFF: u32 = u32::MAX;

impl SlotSound {
    /// A slot playing the whole sample, no loop, no slices, unity gain.
    pub fn whole(sample: Arc<Sample>) -> Self {
        let end = sample.frames.len();
        Self {
            sample,
            trim: SampleRegion {
                start: 0,
                end,
                loop_start: None,
            },
            slices: Vec::new(),
            loop_mode: LoopMode::Off,
            gain: 1.0,
            time_stretch: TimeStretch::Off,
            tempo: super::stretch::slot_tempo(None, None, end as f64 / f64::from(SAMPLE_RATE)),
            stretched: Vec::new(),
        }
    }

    /// A slot with markers.work regions (in source frames; a trim end of 0 means the
    /// whole sample, as in a blank markers record).
    pub fn with_markers(
        sample: Arc<Sample>,
        m: &SlotMarkers,
        loop_mode: LoopMode,
        gain: f32,
    ) -> Self {
        let total = sample.frames.len();
        let region = |start: u32, end: u32, lp: u32| {
            let s = sample.to_engine(u64::from(start));
            let e = if end == 0 {
                total
            } else {
                sample.to_engine(u64::from(end))
            };
            let e = e.max(s);
            let loop_start = (lp != LOOP_OFF)
                .then(|| sample.to_engine(u64::from(lp)))
                .filter(|l| *l >= s && *l < e);
            SampleRegion {
                start: s,
                end: e,
                loop_start,
            }
        };
        let trim = region(m.trim_start, m.trim_end, m.loop_point);
        let slices = m
            .slices
            .iter()
            .map(|sl| region(sl.start, sl.end, sl.loop_start))
            .collect();
        let tempo = super::stretch::slot_tempo(
            None,
            None,
            (trim.end - trim.start) as f64 / f64::from(SAMPLE_RATE),
        );
        Self {
            trim,
            slices,
            loop_mode,
            gain,
            sample,
            time_stretch: TimeStretch::Off,
            tempo,
            stretched: Vec::new(),
        }
    }
}

/// The sample slots a render uses, by 0-based slot index.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    /// Flex slots.
    pub flex: HashMap<u8, SlotSound>,
    /// Static slots.
    pub statics: HashMap<u8, SlotSound>,
}
