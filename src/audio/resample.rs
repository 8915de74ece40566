//! Streaming sample-rate conversion (rubato's asynchronous sinc resampler) and
//! channel mapping.
//!
//! A [`StreamResampler`] takes interleaved chunks of any size and returns the
//! converted audio with the resampler's start-up delay trimmed, so that after
//! [`StreamResampler::finish`] exactly `ceil(input_frames * ratio)` frames came out.
//! A ratio of exactly 1 passes samples through untouched (bit-exact).

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, FixedAsync, Indexing, Resampler, SincInterpolationParameters, SincInterpolationType,
    WindowFunction,
};

use super::AudioError;

/// Input chunk size fed to rubato, in frames.
const CHUNK: usize = 1024;

/// A streaming resampler for interleaved `f32` audio.
pub struct StreamResampler {
    inner: Option<Box<Async<f32>>>,
    channels: usize,
    ratio: f64,
    pending: Vec<f32>,
    out_buf: Vec<f32>,
    to_trim: usize,
    input_total: u64,
    output_total: u64,
}

impl std::fmt::Debug for StreamResampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResampler")
            .field("channels", &self.channels)
            .field("ratio", &self.ratio)
            .finish_non_exhaustive()
    }
}

/// The output/input frame ratio for playing a file at `source_rate` on a device at
/// `output_rate`, transposed by `semitones` (+12 plays an octave up, half as long).
pub fn playback_ratio(source_rate: u32, output_rate: u32, semitones: f64) -> f64 {
    f64::from(output_rate) / f64::from(source_rate.max(1)) / 2f64.powf(semitones / 12.0)
}

impl StreamResampler {
    /// A resampler producing `ratio` output frames per input frame for `channels`
    /// interleaved channels.
    pub fn new(ratio: f64, channels: usize) -> Result<Self, AudioError> {
        if !(ratio.is_finite() && ratio > 0.0) || channels == 0 {
            return Err(AudioError::Resample(format!(
                "invalid ratio {ratio} or channel count {channels}"
            )));
        }
        let (inner, to_trim, out_len) = if ratio == 1.0 {
            (None, 0, 0)
        } else {
            let params = SincInterpolationParameters::new(128, WindowFunction::Blackman2)
                .oversampling_factor(256)
                .interpolation(SincInterpolationType::Cubic);
            let r = Async::<f32>::new_sinc(ratio, 1.0, &params, CHUNK, channels, FixedAsync::Input)
                .map_err(|e| AudioError::Resample(e.to_string()))?;
            let delay = r.output_delay();
            let max = r.output_frames_max();
            (Some(Box::new(r)), delay, max)
        };
        Ok(Self {
            inner,
            channels,
            ratio,
            pending: Vec::with_capacity(CHUNK * 2 * channels),
            out_buf: vec![0.0; out_len * channels],
            to_trim,
            input_total: 0,
            output_total: 0,
        })
    }

    /// Like [`StreamResampler::new`] with the sinc filter given (file conversion uses a longer,
    /// exactly phased filter: see `project::convert::sinc_parameters`).
    pub fn with_params(
        ratio: f64,
        channels: usize,
        params: &SincInterpolationParameters,
    ) -> Result<Self, AudioError> {
        let mut s = Self::new(1.0, channels)?;
        if !(ratio.is_finite() && ratio > 0.0) {
            return Err(AudioError::Resample(format!("invalid ratio {ratio}")));
        }
        s.ratio = ratio;
        if ratio != 1.0 {
            let r = Async::<f32>::new_sinc(ratio, 1.0, params, CHUNK, channels, FixedAsync::Input)
                .map_err(|e| AudioError::Resample(e.to_string()))?;
            s.to_trim = r.output_delay();
            s.out_buf = vec![0.0; r.output_frames_max() * channels];
            s.inner = Some(Box::new(r));
        }
        Ok(s)
    }

    /// The conversion ratio (output frames per input frame).
    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// Channel count.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Feeds interleaved `input`; appends converted frames to `out`.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<(), AudioError> {
        let frames = input.len() / self.channels;
        self.input_total += frames as u64;
        if self.inner.is_none() {
            out.extend_from_slice(&input[..frames * self.channels]);
            self.output_total += frames as u64;
            return Ok(());
        }
        self.pending
            .extend_from_slice(&input[..frames * self.channels]);
        self.run(out, false)
    }

    /// Flushes the tail: after this, exactly `ceil(input_frames * ratio)` frames
    /// have been produced in total.
    pub fn finish(&mut self, out: &mut Vec<f32>) -> Result<(), AudioError> {
        if self.inner.is_none() {
            return Ok(());
        }
        self.run(out, true)
    }

    fn expected_total(&self) -> u64 {
        // A hair below the exact product so that 22050 * 48000/44100 gives 24000.
        (self.input_total as f64 * self.ratio - 1e-6)
            .ceil()
            .max(0.0) as u64
    }

    fn run(&mut self, out: &mut Vec<f32>, flush: bool) -> Result<(), AudioError> {
        let ch = self.channels;
        let expected = self.expected_total();
        let Some(r) = self.inner.as_mut() else {
            return Ok(());
        };
        loop {
            let need = r.input_frames_next();
            let have = self.pending.len() / ch;
            let partial = if have >= need {
                None
            } else if flush && (have > 0 || self.output_total < expected) {
                Some(have)
            } else {
                break;
            };
            let input = InterleavedSlice::new(&self.pending[..], ch, have)
                .map_err(|e| AudioError::Resample(e.to_string()))?;
            let out_frames = self.out_buf.len() / ch;
            let mut output = InterleavedSlice::new_mut(&mut self.out_buf[..], ch, out_frames)
                .map_err(|e| AudioError::Resample(e.to_string()))?;
            let indexing = Indexing {
                input_offset: 0,
                output_offset: 0,
                partial_len: partial,
                active_channels_mask: None,
            };
            let (used, produced) = r
                .process_into_buffer(&input, &mut output, Some(&indexing))
                .map_err(|e| AudioError::Resample(e.to_string()))?;
            let used = used.min(have);
            self.pending.drain(..used * ch);
            let skip = self.to_trim.min(produced);
            self.to_trim -= skip;
            let mut keep = produced - skip;
            if flush {
                let room = expected.saturating_sub(self.output_total) as usize;
                keep = keep.min(room);
            }
            out.extend_from_slice(&self.out_buf[skip * ch..(skip + keep) * ch]);
            self.output_total += keep as u64;
            if flush && self.pending.is_empty() && self.output_total >= expected {
                break;
            }
        }
        Ok(())
    }
}

/// Maps interleaved `input` with `in_ch` channels to `out_ch` channels, appending to
/// `out`: mono goes to every output channel, stereo stays as is, extra input
/// channels are dropped, extra output channels are silent; a mono output gets the
/// mean of the first two input channels.
pub fn map_channels(input: &[f32], in_ch: usize, out_ch: usize, out: &mut Vec<f32>) {
    if in_ch == 0 || out_ch == 0 {
        return;
    }
    if in_ch == out_ch {
        out.extend_from_slice(input);
        return;
    }
    for frame in input.chunks_exact(in_ch) {
        if out_ch == 1 {
            let v = if in_ch == 1 {
                frame[0]
            } else {
                0.5 * (frame[0] + frame[1])
            };
            out.push(v);
            continue;
        }
        for c in 0..out_ch {
            let v = if in_ch == 1 {
                if c < 2 { frame[0] } else { 0.0 }
            } else if c < in_ch.min(2) {
                frame[c]
            } else {
                0.0
            };
            out.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f64, rate: f64, frames: usize, amp: f32) -> Vec<f32> {
        (0..frames)
            .map(|i| amp * (2.0 * std::f64::consts::PI * freq * i as f64 / rate).sin() as f32)
            .collect()
    }

    /// Frequency by counting rising zero crossings with linear interpolation.
    fn measure_freq(x: &[f32], rate: f64) -> f64 {
        let mut first = None;
        let mut last = 0.0;
        let mut count = 0;
        for i in 1..x.len() {
            if x[i - 1] < 0.0 && x[i] >= 0.0 {
                let t = (i - 1) as f64 + f64::from(x[i - 1] / (x[i - 1] - x[i]));
                if first.is_none() {
                    first = Some(t);
                } else {
                    count += 1;
                }
                last = t;
            }
        }
        f64::from(count) * rate / (last - first.unwrap_or(0.0))
    }

    #[test]
    fn sine_48k_to_44k1_keeps_frequency_and_amplitude() {
        let input = sine(1000.0, 48_000.0, 48_000, 0.8);
        let mut r = StreamResampler::new(44_100.0 / 48_000.0, 1).unwrap();
        let mut out = Vec::new();
        // Odd chunk sizes exercise the internal buffering.
        for chunk in input.chunks(777) {
            r.process(chunk, &mut out).unwrap();
        }
        r.finish(&mut out).unwrap();
        assert_eq!(
            out.len(),
            44_100,
            "exactly ceil(48000 * 44100/48000) frames"
        );
        // Skip the edges (filter ramp-in/out) and measure the steady part.
        let mid = &out[2000..42_000];
        let f = measure_freq(mid, 44_100.0);
        assert!(
            (f - 1000.0).abs() < 0.05,
            "frequency {f} Hz, want 1000 +- 0.05"
        );
        let peak = mid.iter().fold(0f32, |m, v| m.max(v.abs()));
        assert!(
            (peak - 0.8).abs() < 0.002,
            "amplitude {peak}, want 0.8 +- 0.002"
        );
        // RMS of a sine of amplitude 0.8 is 0.8/sqrt(2), within 0.1 %.
        let rms = (mid.iter().map(|v| v * v).sum::<f32>() / mid.len() as f32).sqrt();
        let want = 0.8 / 2f32.sqrt();
        assert!((rms - want).abs() < want * 0.001, "rms {rms}, want {want}");
    }

    #[test]
    fn ratio_one_is_bit_exact_and_half_ratio_halves_length() {
        let input = sine(440.0, 44_100.0, 10_001, 0.5);
        let mut r = StreamResampler::new(1.0, 1).unwrap();
        let mut out = Vec::new();
        r.process(&input, &mut out).unwrap();
        r.finish(&mut out).unwrap();
        assert_eq!(out, input);

        let mut r = StreamResampler::new(playback_ratio(44_100, 44_100, 12.0), 2).unwrap();
        let stereo: Vec<f32> = input.iter().flat_map(|v| [*v, -*v]).collect();
        let mut out = Vec::new();
        r.process(&stereo, &mut out).unwrap();
        r.finish(&mut out).unwrap();
        assert_eq!(out.len() / 2, 5001);
        // An octave up doubles the frequency.
        let left: Vec<f32> = out.iter().step_by(2).copied().collect();
        let f = measure_freq(&left[300..4700], 44_100.0);
        assert!((f - 880.0).abs() < 0.1, "{f}");
    }

    #[test]
    fn channel_mapping() {
        let mut out = Vec::new();
        map_channels(&[0.1, 0.2], 1, 2, &mut out);
        assert_eq!(out, vec![0.1, 0.1, 0.2, 0.2]);
        out.clear();
        map_channels(&[0.1, 0.3, 0.5, 0.7], 2, 1, &mut out);
        assert_eq!(out, vec![0.2, 0.6]);
        out.clear();
        map_channels(&[0.1, 0.3, 0.9], 3, 2, &mut out);
        assert_eq!(out, vec![0.1, 0.3]);
    }
}
