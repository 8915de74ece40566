//! A live source rendered at 44.1 kHz played on an output at another rate: the engine
//! keeps its rate (every law in `docs/engine.md` counts 44.1 kHz frames) and this adapter
//! converts its output in real time with rubato's asynchronous sinc resampler, with every
//! buffer allocated when it is made (the callback path allocates nothing).

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, FixedAsync, Indexing, Resampler, SincInterpolationParameters, SincInterpolationType,
    WindowFunction,
};

use super::AudioError;
use super::output::LiveSource;

/// Frames the inner source renders per resampler call (44.1 kHz side).
const CHUNK: usize = 64;
/// Longest device buffer handled in one pass, in frames (a longer one is done in parts).
const MAX_FRAMES: usize = 4096;

/// Wraps a 44.1 kHz (or any `from` rate) stereo live source for an output at `to` Hz.
pub struct Resampled {
    inner: Box<dyn LiveSource>,
    r: Box<Async<f32>>,
    input: Box<[f32]>,
    out_buf: Box<[f32]>,
    /// Converted stereo frames not yet played (ring, interleaved).
    fifo: Box<[f32]>,
    head: usize,
    len: usize,
    /// Output frames still to drop: the resampler's start-up delay.
    to_trim: usize,
    ratio: f64,
}

impl std::fmt::Debug for Resampled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resampled")
            .field("ratio", &self.ratio)
            .finish_non_exhaustive()
    }
}

impl Resampled {
    /// An adapter playing `inner` (rendered at `from` Hz) at `to` Hz. Allocates every buffer
    /// here.
    pub fn new(inner: Box<dyn LiveSource>, from: u32, to: u32) -> Result<Self, AudioError> {
        let ratio = f64::from(to) / f64::from(from.max(1));
        if !(ratio.is_finite() && ratio > 0.0) {
            return Err(AudioError::Resample(format!(
                "cannot convert {from} Hz to {to} Hz"
            )));
        }
        // The same filter as the sample loader's conversion (audio::resample).
        let params = SincInterpolationParameters::new(128, WindowFunction::Blackman2)
            .oversampling_factor(256)
            .interpolation(SincInterpolationType::Cubic);
        let r = Async::<f32>::new_sinc(ratio, 1.0, &params, CHUNK, 2, FixedAsync::Input)
            .map_err(|e| AudioError::Resample(e.to_string()))?;
        let out_max = r.output_frames_max();
        let to_trim = r.output_delay();
        Ok(Self {
            inner,
            input: vec![0.0; CHUNK * 2].into_boxed_slice(),
            out_buf: vec![0.0; out_max * 2].into_boxed_slice(),
            fifo: vec![0.0; (MAX_FRAMES + out_max + 1) * 2].into_boxed_slice(),
            head: 0,
            len: 0,
            to_trim,
            ratio,
            r: Box::new(r),
        })
    }

    /// Output frames per input frame.
    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// Renders one chunk of the inner source and appends its conversion to the ring.
    fn refill(&mut self) {
        self.input.fill(0.0);
        self.inner.process_add(&mut self.input, 2);
        let out_frames = self.out_buf.len() / 2;
        let (Ok(input), Ok(mut output)) = (
            InterleavedSlice::new(&self.input[..], 2, CHUNK),
            InterleavedSlice::new_mut(&mut self.out_buf[..], 2, out_frames),
        ) else {
            return;
        };
        let indexing = Indexing {
            input_offset: 0,
            output_offset: 0,
            partial_len: None,
            active_channels_mask: None,
        };
        let Ok((_, produced)) = self
            .r
            .process_into_buffer(&input, &mut output, Some(&indexing))
        else {
            return;
        };
        let skip = self.to_trim.min(produced);
        self.to_trim -= skip;
        let cap = self.fifo.len() / 2;
        for i in skip..produced {
            if self.len == cap {
                break;
            }
            let at = (self.head + self.len) % cap;
            self.fifo[at * 2] = self.out_buf[i * 2];
            self.fifo[at * 2 + 1] = self.out_buf[i * 2 + 1];
            self.len += 1;
        }
    }

    fn part(&mut self, out: &mut [f32], channels: usize) {
        let frames = out.len() / channels;
        let mut guard = 0;
        while self.len < frames && guard < MAX_FRAMES {
            self.refill();
            guard += 1;
        }
        let cap = self.fifo.len() / 2;
        for frame in out.chunks_exact_mut(channels).take(self.len.min(frames)) {
            let (l, r) = (self.fifo[self.head * 2], self.fifo[self.head * 2 + 1]);
            self.head = (self.head + 1) % cap;
            self.len -= 1;
            if channels == 1 {
                frame[0] += 0.5 * (l + r);
            } else {
                frame[0] += l;
                frame[1] += r;
            }
        }
    }
}

impl LiveSource for Resampled {
    fn process_add(&mut self, out: &mut [f32], channels: usize) {
        let ch = channels.max(1);
        for part in out.chunks_mut(MAX_FRAMES * ch) {
            self.part(part, ch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 441 Hz sine at 44.1 kHz.
    struct Sine(usize);

    impl LiveSource for Sine {
        fn process_add(&mut self, out: &mut [f32], channels: usize) {
            for f in out.chunks_exact_mut(channels) {
                let x = (2.0 * std::f64::consts::PI * 441.0 * self.0 as f64 / 44_100.0).sin();
                for s in f.iter_mut() {
                    *s += x as f32;
                }
                self.0 += 1;
            }
        }
    }

    #[test]
    fn a_sine_keeps_its_frequency_at_48k_and_fills_every_frame() {
        let mut r = Resampled::new(Box::new(Sine(0)), 44_100, 48_000).unwrap();
        let mut out = vec![0.0f32; 48_000 * 2];
        for c in out.chunks_mut(2 * 480) {
            r.process_add(c, 2);
        }
        // Rising zero crossings over the last 0.5 s: 441 Hz at 48 kHz.
        let left: Vec<f32> = out.chunks_exact(2).map(|f| f[0]).collect();
        let tail = &left[24_000..];
        let ups: Vec<f64> = tail
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
            .map(|(i, w)| i as f64 + f64::from(-w[0] / (w[1] - w[0])))
            .collect();
        let hz = (ups.len() - 1) as f64 / (ups[ups.len() - 1] - ups[0]) * 48_000.0;
        assert!((hz - 441.0).abs() < 0.05, "{hz}");
        // Full level, no gaps: the peak of every 10 ms stays near 1 after the start.
        for w in left[4_800..].chunks(480) {
            let peak = w.iter().fold(0.0f32, |m, x| m.max(x.abs()));
            assert!(peak > 0.98 && peak < 1.02, "{peak}");
        }
    }
}
