//! FX1/FX2 blocks: the multimode FILTER (with its envelope), the 2-band EQ and the DJ EQ
//! are rendered with `biquad` (RBJ cookbook biquads), the DELAY with a delay line, the
//! three reverbs with the `freeverb` crate; every other FX type passes audio through and
//! is listed as not rendered.

use super::SAMPLE_RATE;
use super::laws::{env_secs, eq_gain_db, knob_hz, knob_q};
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

/// FX type code of PLATE REVERB.
pub const PLATE_REVERB: u8 = 20;
/// FX type code of SPRING REVERB.
pub const SPRING_REVERB: u8 = 21;
/// FX type code of DARK REVERB.
pub const DARK_REVERB: u8 = 22;

/// Whether the engine renders an FX type (0 = no effect counts as rendered).
pub fn is_rendered(code: u8) -> bool {
    matches!(
        code,
        0 | FILTER | DELAY | EQ | DJ_EQ | PLATE_REVERB | SPRING_REVERB | DARK_REVERB
    )
}

fn is_reverb(code: u8) -> bool {
    matches!(code, PLATE_REVERB | SPRING_REVERB | DARK_REVERB)
}

/// A reverb block: the `freeverb` crate's Freeverb (fully wet, full width), its output
/// through a high-pass at HP and a low-pass at LP, mixed with the dry signal by MIX.
struct Reverb {
    fv: freeverb::Freeverb<f32>,
    filters: [Stage; 2],
    mix: f32,
    settings: (f32, f32),
}

impl Reverb {
    fn new() -> Self {
        let mut fv = freeverb::Freeverb::<f32>::new(SAMPLE_RATE as usize);
        fv.set_dry(0.0);
        fv.set_wet(1.0);
        fv.set_width(1.0);
        Self {
            fv,
            filters: [Stage::off(), Stage::off()],
            mix: 0.0,
            settings: (0.5, 0.5),
        }
    }

    /// TIME (room size), damping, HP, LP, MIX.
    fn set(&mut self, time: u8, damping: f32, hp: u8, lp: u8, mix: u8) {
        let room = f32::from(time.min(127)) / 127.0;
        if self.settings != (room, damping) {
            self.fv.set_room_size(room);
            self.fv.set_dampening(damping);
            self.settings = (room, damping);
        }
        self.filters[0].set(
            (hp > 0)
                .then(|| coefficients(Type::HighPass, knob_hz(hp), 0.707))
                .flatten(),
        );
        self.filters[1].set(
            (lp < 127)
                .then(|| coefficients(Type::LowPass, knob_hz(lp), 0.707))
                .flatten(),
        );
        self.mix = f32::from(mix.min(127)) / 127.0;
    }

    #[inline]
    fn run(&mut self, x: &mut [f32; 2]) {
        let (l, r) = self.fv.tick((x[0], x[1]));
        let mut w = [l, r];
        self.filters[0].run(&mut w);
        self.filters[1].run(&mut w);
        let dry = 1.0 - self.mix;
        x[0] = x[0] * dry + w[0] * self.mix;
        x[1] = x[1] * dry + w[1] * self.mix;
    }
}

impl Clone for Reverb {
    /// A copy with the same settings and an empty tail.
    fn clone(&self) -> Self {
        let mut r = Self::new();
        r.fv.set_room_size(self.settings.0);
        r.fv.set_dampening(self.settings.1);
        r.settings = self.settings;
        r.filters = self.filters;
        r.mix = self.mix;
        r
    }
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

/// The FILTER's envelope (DEPT, ATK, DEC): from a trig, a level rising linearly from 0
/// to 1 over ATK and falling back to 0 over DEC moves both cutoffs by DEPT - 64 knob
/// steps x 2 at full level (coefficients updated every [`ENV_RATE`] frames).
#[derive(Clone, Copy, Debug, Default)]
struct FilterEnv {
    /// Knob steps added at full level (0: no envelope).
    depth: f32,
    attack: u32,
    decay: u32,
    age: u32,
    active: bool,
    base: f32,
    top: f32,
    q: f32,
}

/// Frames between filter-envelope coefficient updates.
pub const ENV_RATE: u32 = 32;

impl FilterEnv {
    fn level(&self) -> Option<f32> {
        if self.age < self.attack {
            return Some(self.age as f32 / self.attack as f32);
        }
        let into = self.age - self.attack;
        (into < self.decay).then(|| 1.0 - into as f32 / self.decay as f32)
    }
}

/// The two stages of a FILTER whose cutoffs at knob positions `base` and `top` move by
/// `off` (fractional) knob steps; a cutoff that is off (high-pass at BASE 0, low-pass at
/// 127) stays off, one moved past an end turns off.
fn filter_stages(base: f32, top: f32, off: f32, q: f32) -> [Option<Coefficients<f32>>; 2] {
    let hz = |k: f32| 20.0 * 1000f32.powf(k.clamp(0.0, 127.0) / 127.0);
    let (b, t) = (base + off, top + off);
    let hp = (base > 0.0 && b > 0.0)
        .then(|| coefficients(Type::HighPass, hz(b), q))
        .flatten();
    let lp = (top < 127.0 && t < 127.0)
        .then(|| coefficients(Type::LowPass, hz(t), q))
        .flatten();
    [hp, lp]
}

/// One FX slot of a track: up to two biquad stages, a flat gain, or a delay line.
#[derive(Clone)]
pub struct FxBlock {
    env: FilterEnv,
    code: u8,
    stages: [Stage; 2],
    gain: f32,
    values: [u8; 6],
    step_secs: f64,
    delay: Option<DelayLine>,
    reverb: Option<Box<Reverb>>,
    /// The delay line and reverb are kept when the type changes (the live engine
    /// allocates them once).
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
            env: FilterEnv::default(),
            code: 0,
            stages: [Stage::off(), Stage::off()],
            gain: 1.0,
            values: [255; 6],
            step_secs: 0.0,
            delay: None,
            reverb: None,
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
            reverb: Some(Box::new(Reverb::new())),
            keep_delay: true,
            ..Self::default()
        }
    }

    /// Back to no effect with empty filter and delay state (no allocation when
    /// [`FxBlock::preallocated`]).
    pub fn reset(&mut self) {
        let keep = self.keep_delay;
        let line = self.delay.take().filter(|_| keep);
        let reverb = self.reverb.take().filter(|_| keep);
        *self = Self::default();
        self.keep_delay = keep;
        self.delay = line;
        // The reverb's tail is not cleared (the crate has no reset): it rings out.
        self.reverb = reverb;
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
                // BASE: high-pass frequency; BASE + WDTH: low-pass frequency; Q both;
                // DEPT, ATK, DEC: the envelope moving both from each trig.
                let [base, width, q, dept, atk, dec] = values;
                let q = knob_q(q);
                let hp = (base > 0).then(|| coefficients(Type::HighPass, knob_hz(base), q));
                let top = base.saturating_add(width).min(127);
                let lp = (top < 127).then(|| coefficients(Type::LowPass, knob_hz(top), q));
                self.stages[0].set(hp.flatten());
                self.stages[1].set(lp.flatten());
                let frames = |v: u8| (env_secs(v) * f64::from(SAMPLE_RATE)).round() as u32;
                self.env = FilterEnv {
                    depth: (f32::from(dept.min(127)) - 64.0) * 2.0,
                    attack: frames(atk),
                    decay: frames(dec),
                    base: f32::from(base),
                    top: f32::from(top),
                    q,
                    ..self.env
                };
                if self.env.depth == 0.0 {
                    self.env.active = false;
                }
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
            PLATE_REVERB | SPRING_REVERB | DARK_REVERB => {
                // TIME, DAMP (plate) / - / SHUG, GATE / - / SHUF, HP, LP, MIX.
                let [time, p2, _, hp, lp, mix] = values;
                let damping = match code {
                    PLATE_REVERB => f32::from(p2.min(127)) / 127.0,
                    SPRING_REVERB => 0.5,
                    _ => 0.7,
                };
                let r = self.reverb.get_or_insert_with(|| Box::new(Reverb::new()));
                r.set(time, damping, hp, lp, mix);
                self.stages[0].set(None);
                self.stages[1].set(None);
            }
            _ => {
                self.stages[0].set(None);
                self.stages[1].set(None);
            }
        }
    }

    /// A trig (not a trigless trig) restarts the FILTER envelope.
    pub fn trigger(&mut self) {
        if self.code == FILTER && self.env.depth != 0.0 {
            self.env.age = 0;
            self.env.active = true;
        }
    }

    /// Processes one stereo frame in place.
    #[inline]
    pub fn run(&mut self, x: &mut [f32; 2]) {
        if self.env.active {
            if self.env.age.is_multiple_of(ENV_RATE) {
                let e = self.env;
                let off = e.level().map_or(0.0, |l| l * e.depth);
                let [hp, lp] = filter_stages(e.base, e.top, off, e.q);
                self.stages[0].set(hp);
                self.stages[1].set(lp);
                if e.level().is_none() {
                    self.env.active = false;
                }
            }
            self.env.age = self.env.age.saturating_add(1);
        }
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
        if is_reverb(self.code)
            && let Some(r) = self.reverb.as_mut()
        {
            r.run(x);
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

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt()
    }

    /// A 5 kHz sine through FILTER with the low-pass at 176 Hz (BASE 0, WDTH 40): the
    /// envelope (DEPT 127: +126 steps, ATK 0, DEC 40 = 0.99 s) opens it at the trig and
    /// closes it again; without depth (DEPT 64) it stays closed.
    fn filtered(dept: u8, trig: bool) -> Vec<f32> {
        let mut fx = FxBlock::default();
        fx.set(FILTER, [0, 40, 0, dept, 0, 40], 0.1);
        if trig {
            fx.trigger();
        }
        (0..88_200)
            .map(|i| {
                let v = (2.0 * std::f32::consts::PI * 5000.0 * i as f32 / 44_100.0).sin();
                let mut x = [v, v];
                fx.run(&mut x);
                x[0]
            })
            .collect()
    }

    #[test]
    fn the_filter_envelope_opens_the_filter_at_a_trig_and_closes_it_over_dec() {
        let env = filtered(127, true);
        let open = rms(&env[1000..3000]);
        let late = rms(&env[60_000..62_000]);
        assert!(open > 0.6, "open at the trig: rms {open}");
        assert!(late < 0.01, "closed after DEC: rms {late}");
        // Half way through DEC (level 0.5: +63 steps, cutoff about 5.3 kHz) in between.
        let mid = rms(&env[21_000..23_000]);
        assert!(mid > late && mid < open, "{late} < {mid} < {open}");
        let flat = filtered(64, true);
        assert!(rms(&flat[1000..3000]) < 0.01, "no depth: closed");
        let untrigged = filtered(127, false);
        assert!(rms(&untrigged[1000..3000]) < 0.01, "no trig: no envelope");
    }

    /// An impulse through a reverb: MIX 0 is the dry signal; MIX 127 leaves a tail that
    /// lasts longer with TIME 127 than with TIME 20; LP 30 (about 130 Hz) darkens it.
    fn reverb_tail(code: u8, values: [u8; 6]) -> Vec<f32> {
        let mut fx = FxBlock::default();
        fx.set(code, values, 0.1);
        (0..88_200)
            .map(|i| {
                let mut x = [if i == 0 { 1.0 } else { 0.0 }; 2];
                fx.run(&mut x);
                x[0]
            })
            .collect()
    }

    #[test]
    fn reverbs_mix_a_decaying_tail_whose_length_follows_time() {
        let dry = reverb_tail(PLATE_REVERB, [127, 0, 127, 0, 127, 0]);
        assert_eq!(dry[0], 1.0);
        assert!(dry[1..].iter().all(|x| *x == 0.0), "MIX 0: dry only");
        for code in [PLATE_REVERB, SPRING_REVERB, DARK_REVERB] {
            let long = reverb_tail(code, [127, 0, 127, 0, 127, 127]);
            let short = reverb_tail(code, [20, 0, 127, 0, 127, 127]);
            assert_eq!(long[0], 0.0, "MIX 127: no dry signal");
            let late_long = rms(&long[44_100..66_150]);
            let late_short = rms(&short[44_100..66_150]);
            assert!(rms(&long[2_000..10_000]) > 1e-3, "code {code}: a tail");
            assert!(
                late_long > 10.0 * late_short,
                "code {code}: TIME 127 rings longer ({late_long} vs {late_short})"
            );
        }
        // The LP on the wet signal: fewer zero crossings (a darker tail).
        let crossings = |x: &[f32]| {
            x.windows(2)
                .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
                .count()
        };
        let open = reverb_tail(PLATE_REVERB, [100, 0, 127, 0, 127, 127]);
        let dark = reverb_tail(PLATE_REVERB, [100, 0, 127, 0, 30, 127]);
        assert!(crossings(&dark[2_000..20_000]) * 3 < crossings(&open[2_000..20_000]));
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
