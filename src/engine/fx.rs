//! FX1/FX2 blocks: the multimode FILTER, the 2-band EQ and the DJ EQ are rendered with
//! `biquad` (RBJ cookbook biquads), the DELAY with a delay line; every other FX type
//! passes audio through and is listed as not rendered.

use super::SAMPLE_RATE;
use super::laws::{eq_gain_db, knob_hz, knob_q};
use biquad::{Biquad, Coefficients, DirectForm2Transposed, Type};

/// FX type code of FILTER.
pub const FILTER: u8 = 4;
/// FX type code of DELAY.
pub const DELAY: u8 = 8;
/// FX type code of EQ.
pub const EQ: u8 = 12;
/// FX type code of DJ EQ.
pub const DJ_EQ: u8 = 13;

/// Longest delay line (seconds): TIME 127 at 30 BPM.
const MAX_DELAY_SECS: f64 = 8.0;

/// Whether the engine renders an FX type (0 = no effect counts as rendered).
pub fn is_rendered(code: u8) -> bool {
    matches!(code, 0 | FILTER | DELAY | EQ | DJ_EQ)
}

/// DELAY TIME: (TIME + 1) / 8 steps (128th notes) [unknown law, chosen].
pub fn delay_steps(v: u8) -> f64 {
    (f64::from(v.min(127)) + 1.0) / 8.0
}

/// The delay line of a DELAY block (allocated when the block becomes a delay).
#[derive(Debug, Clone)]
struct DelayLine {
    buf: Vec<[f32; 2]>,
    pos: usize,
    len: usize,
    feedback: f32,
    send: f32,
    volume: f32,
    /// Frames written since the line was (re)started; older frames read as silence, so a
    /// reused line is cleared without touching its memory.
    filled: usize,
}

impl DelayLine {
    #[inline]
    fn run(&mut self, x: &mut [f32; 2]) {
        if self.len == 0 {
            return;
        }
        let read = (self.pos + self.buf.len() - self.len) % self.buf.len();
        let y = if self.filled >= self.len {
            self.buf[read]
        } else {
            [0.0; 2]
        };
        self.filled = (self.filled + 1).min(self.buf.len());
        self.buf[self.pos] = [
            x[0] * self.send + y[0] * self.feedback,
            x[1] * self.send + y[1] * self.feedback,
        ];
        self.pos = (self.pos + 1) % self.buf.len();
        x[0] += y[0] * self.volume;
        x[1] += y[1] * self.volume;
    }
}

fn coefficients(kind: Type<f32>, hz: f32, q: f32) -> Option<Coefficients<f32>> {
    // The crate's `from_params` halves the frequency twice; the normalized form takes
    // f0 / (fs / 2), which is what this passes.
    let nyquist = SAMPLE_RATE as f32 / 2.0;
    let norm = (hz / nyquist).clamp(1e-5, 0.999);
    Coefficients::<f32>::from_normalized_params(kind, norm, q.max(0.01)).ok()
}

/// A stereo biquad stage.
#[derive(Clone, Copy)]
struct Stage {
    f: [DirectForm2Transposed<f32>; 2],
    on: bool,
}

impl Stage {
    fn off() -> Self {
        let pass = Coefficients {
            a1: 0.0,
            a2: 0.0,
            b0: 1.0,
            b1: 0.0,
            b2: 0.0,
        };
        Self {
            f: [DirectForm2Transposed::<f32>::new(pass); 2],
            on: false,
        }
    }

    fn set(&mut self, c: Option<Coefficients<f32>>) {
        match c {
            Some(c) => {
                if !self.on {
                    self.f = [DirectForm2Transposed::<f32>::new(c); 2];
                } else {
                    for f in &mut self.f {
                        f.update_coefficients(c);
                    }
                }
                self.on = true;
            }
            None => self.on = false,
        }
    }

    #[inline]
    fn run(&mut self, x: &mut [f32; 2]) {
        if self.on {
            x[0] = self.f[0].run(x[0]);
            x[1] = self.f[1].run(x[1]);
        }
    }
}

/// One FX slot of a track: up to two biquad stages, a flat gain, or a delay line.
#[derive(Clone)]
pub struct FxBlock {
    code: u8,
    stages: [Stage; 2],
    gain: f32,
    values: [u8; 6],
    step_secs: f64,
    delay: Option<DelayLine>,
    /// The delay line is kept when the type changes (the live engine allocates it once).
    keep_delay: bool,
}

impl std::fmt::Debug for FxBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FxBlock")
            .field("code", &self.code)
            .field("values", &self.values)
            .finish_non_exhaustive()
    }
}

impl Default for FxBlock {
    fn default() -> Self {
        Self {
            code: 0,
            stages: [Stage::off(), Stage::off()],
            gain: 1.0,
            values: [255; 6],
            step_secs: 0.0,
            delay: None,
            keep_delay: false,
        }
    }
}

fn new_line() -> DelayLine {
    DelayLine {
        buf: vec![[0.0; 2]; (MAX_DELAY_SECS * f64::from(SAMPLE_RATE)) as usize],
        pos: 0,
        len: 0,
        feedback: 0.0,
        send: 0.0,
        volume: 0.0,
        filled: 0,
    }
}

impl FxBlock {
    /// A block whose delay line is allocated now and kept for good, so that [`FxBlock::set`]
    /// and [`FxBlock::reset`] never allocate or free (for the real-time engine).
    pub fn preallocated() -> Self {
        Self {
            delay: Some(new_line()),
            keep_delay: true,
            ..Self::default()
        }
    }

    /// Back to no effect with empty filter and delay state (no allocation when
    /// [`FxBlock::preallocated`]).
    pub fn reset(&mut self) {
        let keep = self.keep_delay;
        let line = self.delay.take().filter(|_| keep);
        *self = Self::default();
        self.keep_delay = keep;
        self.delay = line;
        if let Some(l) = self.delay.as_mut() {
            l.filled = 0;
            l.len = 0;
        }
    }

    /// Sets the type and its six parameter values (at a trig; `step_secs` is the track's
    /// step length, for tempo-synced times); filter state and the delay line carry over
    /// while the type stays the same.
    pub fn set(&mut self, code: u8, values: [u8; 6], step_secs: f64) {
        if code == self.code && values == self.values && step_secs == self.step_secs {
            return;
        }
        if code != self.code {
            self.reset();
            self.code = code;
        }
        self.values = values;
        self.step_secs = step_secs;
        self.gain = 1.0;
        match code {
            DELAY => {
                // TIME, FB, VOL, BASE, WDTH, SEND: the input goes into the line at SEND,
                // the line feeds back at FB and is heard at VOL (BASE/WDTH not rendered).
                let [time, fb, vol, _, _, send] = values;
                let line = self.delay.get_or_insert_with(new_line);
                let frames = (delay_steps(time) * step_secs * f64::from(SAMPLE_RATE)).round();
                line.len = (frames as usize).clamp(1, line.buf.len() - 1);
                line.feedback = f32::from(fb.min(127)) / 128.0;
                line.send = f32::from(send.min(127)) / 127.0;
                line.volume = f32::from(vol.min(127)) / 127.0;
                self.stages[0].set(None);
                self.stages[1].set(None);
            }
            DJ_EQ => {
                // LS F, -, HS F, LOWG, MIDG, HI G: low and high shelves relative to the
                // mid gain, which applies to the whole band.
                let [ls, _, hs, low, mid, high] = values;
                let mid_db = eq_gain_db(mid);
                self.gain = 10f32.powf(mid_db / 20.0);
                let shelf = |kind: fn(f32) -> Type<f32>, f: u8, g: u8| {
                    let db = eq_gain_db(g) - mid_db;
                    (db != 0.0).then(|| coefficients(kind(db), knob_hz(f), 0.707))
                };
                self.stages[0].set(shelf(Type::LowShelf, ls, low).flatten());
                self.stages[1].set(shelf(Type::HighShelf, hs, high).flatten());
            }
            FILTER => {
                // BASE: high-pass frequency; BASE + WDTH: low-pass frequency; Q both.
                let [base, width, q, ..] = values;
                let q = knob_q(q);
                let hp = (base > 0).then(|| coefficients(Type::HighPass, knob_hz(base), q));
                let top = base.saturating_add(width).min(127);
                let lp = (top < 127).then(|| coefficients(Type::LowPass, knob_hz(top), q));
                self.stages[0].set(hp.flatten());
                self.stages[1].set(lp.flatten());
            }
            EQ => {
                // Two peaking bands: FRQ1, GAN1, Q1, FRQ2, GAN2, Q2.
                let band = |f: u8, g: u8, q: u8| {
                    (g != 64).then(|| {
                        coefficients(Type::PeakingEQ(eq_gain_db(g)), knob_hz(f), knob_q(q))
                    })
                };
                self.stages[0].set(band(values[0], values[1], values[2]).flatten());
                self.stages[1].set(band(values[3], values[4], values[5]).flatten());
            }
            _ => {
                self.stages[0].set(None);
                self.stages[1].set(None);
            }
        }
    }

    /// Processes one stereo frame in place.
    #[inline]
    pub fn run(&mut self, x: &mut [f32; 2]) {
        if self.gain != 1.0 {
            x[0] *= self.gain;
            x[1] *= self.gain;
        }
        self.stages[0].run(x);
        self.stages[1].run(x);
        if self.code == DELAY
            && let Some(d) = self.delay.as_mut()
        {
            d.run(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_echoes_after_its_time_at_send_times_volume_and_feeds_back() {
        let mut fx = FxBlock::default();
        // TIME 7: one step; at 0.01 s per step that is 441 frames.
        fx.set(DELAY, [7, 64, 127, 0, 127, 127], 0.01);
        let mut out = Vec::new();
        for i in 0..1000 {
            let mut x = [if i == 0 { 1.0 } else { 0.0 }; 2];
            fx.run(&mut x);
            out.push(x[0]);
        }
        assert_eq!(out[0], 1.0);
        assert_eq!(out[441], 1.0);
        assert_eq!(out[882], 0.5);
        assert_eq!(out.iter().filter(|x| **x != 0.0).count(), 3);
        // SEND 0 (the blank part's FX2): the dry signal only.
        let mut fx = FxBlock::default();
        fx.set(DELAY, [47, 0, 127, 0, 127, 0], 0.125);
        let mut x = [0.3; 2];
        fx.run(&mut x);
        assert_eq!(x, [0.3; 2]);
    }

    #[test]
    fn dj_eq_mid_gain_is_flat_and_shelves_move_the_ends() {
        let mut fx = FxBlock::default();
        // MIDG -12 dB (stored 32), shelves at the same gain: a flat -12 dB.
        fx.set(DJ_EQ, [64, 0, 64, 32, 32, 32], 0.1);
        let mut x = [1.0; 2];
        fx.run(&mut x);
        assert!((x[0] - 10f32.powf(-12.0 / 20.0)).abs() < 1e-6);
        // LOWG +12 dB with mid at 0: DC (the lowest frequency) gains 12 dB.
        let mut fx = FxBlock::default();
        fx.set(DJ_EQ, [64, 0, 64, 96, 64, 64], 0.1);
        let mut y = [0.0; 2];
        for _ in 0..20_000 {
            y = [1.0; 2];
            fx.run(&mut y);
        }
        assert!((y[0] - 10f32.powf(12.0 / 20.0)).abs() < 1e-2, "{}", y[0]);
    }
}
