//! LFOs 1-3 of an audio track: waveforms (the eleven shapes and the custom designs T1-T8),
//! tempo-synced speed (SPD x MULT), depth, trig modes (FREE, TRIG, HOLD, ONE, HALF) and
//! destinations, run at control rate (every [`CONTROL_FRAMES`] frames) on the playing
//! voice and the FX. Every rule and its source is in `docs/engine.md` (LFOs).
//!
//! A trig hands the track a [`LfoTrig`] (plain data, built where the trig's values are
//! known); the track keeps one [`TrackLfo`] (no allocation, so it lives in the real-time
//! engine's preallocated track state as well as in the offline renderer).

use super::SAMPLE_RATE;
use super::fx::FxBlock;
use super::laws;
use super::render::frames_of;
use super::sample::SampleRegion;
use super::voice::{Voice, VoiceSpec};
use crate::format::lfo::{LfoDesign, LfoTrigMode, LfoWave, lfo_multiplier};

/// Frames between two LFO updates (control rate: 1378 updates a second).
pub const CONTROL_FRAMES: usize = 32;

/// A waveform as the engine draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Tri,
    Saw,
    Sqr,
    Exp,
    Rmp,
    Rnd,
    Design(LfoDesign),
}

impl Shape {
    /// The shape's value at phase `p` (0..=1 within a cycle): bipolar −1..1, except EXP and
    /// RMP, which are unipolar 0..1. RND is drawn by the caller.
    fn at(self, p: f64) -> f32 {
        let p = p.clamp(0.0, 1.0);
        match self {
            // Starts at 0, rises to +1 at a quarter, falls to −1 at three quarters.
            Shape::Tri => {
                (if p < 0.25 {
                    4.0 * p
                } else if p < 0.75 {
                    2.0 - 4.0 * p
                } else {
                    4.0 * p - 4.0
                }) as f32
            }
            // Falls from +1 to −1 over the cycle.
            Shape::Saw => (1.0 - 2.0 * p) as f32,
            Shape::Sqr => {
                if p < 0.5 {
                    1.0
                } else {
                    -1.0
                }
            }
            // Falls from 1 to 0 along e^(−5p), scaled to end at 0.
            Shape::Exp => {
                let end = (-5.0f64).exp();
                (((-5.0 * p).exp() - end) / (1.0 - end)) as f32
            }
            // Rises from 0 to 1.
            Shape::Rmp => p as f32,
            Shape::Rnd => 0.0,
            Shape::Design(d) => {
                let x = (p * 16.0).min(16.0 - 1e-9);
                let i = x.floor() as usize;
                let step = |k: usize| (f32::from(d.steps[k % 16]) / 127.0).clamp(-1.0, 1.0);
                let a = step(i);
                if d.interpolates(i) {
                    a + (step(i + 1) - a) * (x - i as f64) as f32
                } else {
                    a
                }
            }
        }
    }
}

/// How a trig acts on an LFO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Free,
    Trig,
    Hold,
    One,
    Half,
}

/// One LFO as a trig sets it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Spec {
    shape: Option<Shape>,
    invert: bool,
    target: u8,
    mult: f64,
    mode: Mode,
}

/// What a trig gives its track's LFOs: their setup, the trig's values (part values,
/// locks and scenes) and what the voice's gain is made of besides VOL and BAL.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LfoTrig {
    lfos: [Spec; 3],
    values: [u8; 30],
    /// The voice gain besides VOL and BAL (slot gain, track level, XLV).
    gain_rest: f32,
    /// RATE is a pitch control (SETUP RATE mode PTCH) rather than time-stretch.
    rate_is_pitch: bool,
    /// PTCH is a machine parameter here (Flex, Static, Pickup).
    has_pitch: bool,
    /// FX1 and FX2 type codes.
    fx_codes: [u8; 2],
    /// The track's step length (seconds): the LFO runs at SPD x MULT / 2048 cycles a step.
    step_secs: f64,
    /// The sample's trim when STRT is a linear start point (not in slice mode).
    pub(crate) trim: Option<SampleRegion>,
}

impl LfoTrig {
    /// The LFOs of a trig on a track: `setup` its targets, waveforms, multipliers and
    /// trig modes, `designs` the custom designs of tracks 1-8, `values` the trig's values.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        setup: &crate::format::lfo::LfoSetup,
        designs: &[LfoDesign; 8],
        values: [u8; 30],
        gain_rest: f32,
        rate_is_pitch: bool,
        has_pitch: bool,
        fx_codes: [u8; 2],
        step_secs: f64,
    ) -> Self {
        let lfos = std::array::from_fn(|k| {
            let (shape, invert) = match LfoWave::from_code(setup.wave[k]) {
                LfoWave::Tri => (Some(Shape::Tri), false),
                LfoWave::ITri => (Some(Shape::Tri), true),
                LfoWave::Saw => (Some(Shape::Saw), false),
                LfoWave::ISaw => (Some(Shape::Saw), true),
                LfoWave::Sqr => (Some(Shape::Sqr), false),
                LfoWave::ISqr => (Some(Shape::Sqr), true),
                LfoWave::Exp => (Some(Shape::Exp), false),
                LfoWave::IExp => (Some(Shape::Exp), true),
                LfoWave::Rmp => (Some(Shape::Rmp), false),
                LfoWave::IRmp => (Some(Shape::Rmp), true),
                LfoWave::Rnd => (Some(Shape::Rnd), false),
                LfoWave::Design(t) => (
                    designs.get(usize::from(t)).map(|d| Shape::Design(*d)),
                    false,
                ),
                LfoWave::Unknown(_) => (None, false),
            };
            let mode = match LfoTrigMode::from_code(setup.trig[k]) {
                LfoTrigMode::Free | LfoTrigMode::Unknown(_) => Mode::Free,
                LfoTrigMode::Trig | LfoTrigMode::Sync(5) => Mode::Trig,
                LfoTrigMode::Hold => Mode::Hold,
                LfoTrigMode::One | LfoTrigMode::Sync(6) => Mode::One,
                LfoTrigMode::Half | LfoTrigMode::Sync(_) => Mode::Half,
            };
            Spec {
                shape,
                invert,
                target: setup.target[k],
                mult: f64::from(lfo_multiplier(setup.mult[k]).unwrap_or(1)),
                mode,
            }
        });
        Self {
            lfos,
            values,
            gain_rest,
            rate_is_pitch,
            has_pitch,
            fx_codes,
            step_secs,
            trim: None,
        }
    }

    /// Whether the LFOs change nothing: every LFO without a shape or at depth 0 (an LFO
    /// aimed at another's depth cannot raise it from 0 either).
    fn idle(&self) -> bool {
        (0..3).all(|k| self.lfos[k].shape.is_none() || self.values[9 + k] == 0)
    }

    /// Cycles per frame of LFO `k` at speed `spd`.
    fn rate(&self, k: usize, spd: f32) -> f64 {
        let steps_per_frame = 1.0 / (self.step_secs.max(1e-6) * f64::from(SAMPLE_RATE));
        f64::from(spd.max(0.0)) * self.lfos[k].mult / 2048.0 * steps_per_frame
    }
}

/// The LFO state of one track.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrackLfo {
    trig: Option<LfoTrig>,
    /// Cycles run since the last restart (not wrapped).
    cycles: [f64; 3],
    /// ONE / HALF: still running (before their first trig they are stopped).
    running: [bool; 3],
    /// HOLD: the value latched at the last trig.
    held: [Option<f32>; 3],
    /// RND: the 1/16-cycle slot drawn and its value.
    rnd: [(i64, f32); 3],
    /// Restarts so far per LFO (RND draws differ after a restart).
    restarts: [u64; 3],
    /// The frame the phases are at.
    last: i64,
    /// The frame of the song start (control ticks count from it).
    origin: i64,
    /// The last outputs (offsets in knob steps), which LFOs aimed at SPD/DEP read.
    out: [f32; 3],
    /// Modulate at the next frame whatever its position (a trig just came).
    pending: bool,
}

impl TrackLfo {
    /// Stopped, with the song starting at frame `origin`.
    pub(crate) fn reset(&mut self, origin: i64) {
        *self = Self {
            last: origin,
            origin,
            rnd: [(-1, 0.0); 3],
            ..Self::default()
        };
    }

    /// The effective speed and depth of LFO `k` (its own, moved by LFOs aimed at them).
    fn spd_dep(&self, t: &LfoTrig, k: usize) -> (f32, f32) {
        let mut spd = f32::from(t.values[6 + k]);
        let mut dep = f32::from(t.values[9 + k]);
        for j in 0..3 {
            if j == k {
                continue;
            }
            let tg = usize::from(t.lfos[j].target);
            if tg == 6 + k {
                spd += self.out[j];
            } else if tg == 9 + k {
                dep += self.out[j];
            }
        }
        (spd.clamp(0.0, 127.0), dep.clamp(0.0, 127.0))
    }

    /// Moves the phases on to `frame` at the speeds in effect (the new trig's speeds when
    /// none was in effect: a FREE LFO runs from the song start).
    fn advance(&mut self, frame: i64, with: &LfoTrig) {
        let n = (frame - self.last).max(0) as f64;
        self.last = frame;
        if n == 0.0 {
            return;
        }
        let t = self.trig.unwrap_or(*with);
        for k in 0..3 {
            let (spd, _) = self.spd_dep(&t, k);
            let end = match t.lfos[k].mode {
                Mode::One => 1.0,
                Mode::Half => 0.5,
                _ => f64::INFINITY,
            };
            if matches!(t.lfos[k].mode, Mode::One | Mode::Half) && !self.running[k] {
                continue;
            }
            self.cycles[k] += n * t.rate(k, spd);
            if self.cycles[k] >= end {
                self.cycles[k] = end;
                self.running[k] = false;
            }
        }
    }

    /// The raw waveform value of LFO `k` now (−1..1, unipolar shapes 0..1, inverted when
    /// the waveform is).
    fn wave(&mut self, t: &LfoTrig, k: usize) -> f32 {
        let spec = t.lfos[k];
        let Some(shape) = spec.shape else {
            return 0.0;
        };
        let c = self.cycles[k];
        let one_shot = matches!(spec.mode, Mode::One | Mode::Half);
        let p = if one_shot { c } else { c.fract() };
        let v = if shape == Shape::Rnd {
            // A new random value every 1/16 cycle.
            let slot = (c * 16.0).floor() as i64;
            if self.rnd[k].0 != slot {
                self.rnd[k] = (slot, random(k as u64, self.restarts[k], slot));
            }
            self.rnd[k].1
        } else {
            shape.at(p)
        };
        if spec.invert { -v } else { v }
    }

    /// A trig (or a trigless trig) at `frame`: takes its values; a trig restarts TRIG, ONE
    /// and HALF LFOs and latches HOLD ones.
    pub(crate) fn trigger(&mut self, frame: usize, t: &LfoTrig, trigless: bool) {
        let frame = frame as i64;
        self.advance(frame, t);
        if !trigless {
            for k in 0..3 {
                match t.lfos[k].mode {
                    Mode::Free => {}
                    Mode::Trig | Mode::One | Mode::Half => {
                        self.cycles[k] = 0.0;
                        self.running[k] = true;
                        self.restarts[k] += 1;
                    }
                    Mode::Hold => {
                        let v = self.wave(t, k);
                        self.held[k] = Some(v);
                    }
                }
            }
        }
        self.trig = Some(*t);
        self.pending = true;
    }

    /// Before rendering `frame`: at control frames (and right after a trig) computes the
    /// LFO outputs and applies them to the voice and the FX. Does nothing while the LFOs
    /// are idle (no depth), so a track without LFOs renders exactly as before.
    #[inline]
    pub(crate) fn control(
        &mut self,
        frame: usize,
        voice: Option<&mut Voice>,
        fx: &mut [FxBlock; 2],
    ) {
        if self.trig.is_none() {
            return;
        }
        let f = frame as i64;
        if !self.pending && (f - self.origin).rem_euclid(CONTROL_FRAMES as i64) != 0 {
            return;
        }
        self.pending = false;
        let Some(t) = self.trig else {
            return;
        };
        if t.idle() {
            return;
        }
        self.advance(f, &t);
        let (offsets, aimed) = self.offsets(&t);
        apply(&t, &offsets, &aimed, voice, fx);
    }

    /// The voice a trig starts, moved by the LFOs aimed at what is read when a sample
    /// starts: STRT (linear start point), LEN (LEN mode TIME), ATK, HOLD and REL. Call after
    /// [`TrackLfo::trigger`] at the same frame.
    pub(crate) fn start(&mut self, spec: &mut VoiceSpec) {
        let Some(t) = self.trig else {
            return;
        };
        if t.idle() {
            return;
        }
        let (offsets, aimed) = self.offsets(&t);
        let knob = |i: usize| moved(&t, &offsets, i).round() as u8;
        if aimed[1]
            && let Some(trim) = t.trim
        {
            let len = trim.end.saturating_sub(trim.start);
            let start = trim.start + (laws::start_fraction(knob(1)) * len as f64) as usize;
            spec.region = SampleRegion {
                start,
                end: trim.end,
                loop_start: trim.loop_start.filter(|l| *l >= start),
            };
        }
        if aimed[2] && spec.gate.is_some() {
            spec.gate = Some(frames_of(laws::len_time_steps(knob(2)) * t.step_secs));
        }
        if aimed[12] {
            spec.env.attack = frames_of(laws::env_secs(knob(12)));
        }
        if aimed[13] {
            let v = knob(13);
            spec.env.hold = (!laws::hold_is_infinite(v)).then(|| frames_of(laws::env_secs(v)));
        }
        if aimed[14] {
            let v = knob(14);
            spec.env.release =
                (!laws::release_is_infinite(v)).then(|| frames_of(laws::env_secs(v)));
        }
    }

    /// The LFO outputs now as offsets per target (knob steps) and which targets an LFO with
    /// depth is aimed at; remembers the outputs for LFOs aimed at SPD/DEP.
    fn offsets(&mut self, t: &LfoTrig) -> ([f32; 30], [bool; 30]) {
        let t = *t;
        let mut offsets = [0.0f32; 30];
        let mut aimed = [false; 30];
        let mut outs = [0.0f32; 3];
        for (k, out) in outs.iter_mut().enumerate() {
            let (_, dep) = self.spd_dep(&t, k);
            let w = match (t.lfos[k].mode, self.held[k]) {
                (Mode::Hold, Some(h)) => h,
                (Mode::One | Mode::Half, _) if self.cycles[k] == 0.0 && !self.running[k] => 0.0,
                _ => self.wave(&t, k),
            };
            *out = w * dep;
            let tg = usize::from(t.lfos[k].target);
            if let Some(o) = offsets.get_mut(tg) {
                *o += *out;
                aimed[tg] |= t.lfos[k].shape.is_some() && t.values[9 + k] > 0;
            }
        }
        self.out = outs;
        (offsets, aimed)
    }
}

/// The trig's values moved by `offsets` (knob steps, fractional), kept in 0..=127.
fn moved(t: &LfoTrig, offsets: &[f32; 30], i: usize) -> f32 {
    (f32::from(t.values[i]) + offsets[i]).clamp(0.0, 127.0)
}

/// Applies the LFO offsets to the targets an LFO with depth is `aimed` at: PTCH, RATE, VOL
/// and BAL to the playing voice's speed and gains; FX1/FX2 parameters (rounded to knob
/// steps) to the FX blocks.
fn apply(
    t: &LfoTrig,
    offsets: &[f32; 30],
    aimed: &[bool; 30],
    voice: Option<&mut Voice>,
    fx: &mut [FxBlock; 2],
) {
    let hits = |a: usize, b: usize| aimed[a..b].iter().any(|&x| x);
    let voice_moved = (t.has_pitch && aimed[0]) || aimed[3] || hits(15, 17);
    if voice_moved && let Some(v) = voice {
        let st = (moved(t, offsets, 0) - 64.0).clamp(-12.0, 12.0);
        let pitch = 2f64.powf(f64::from(st) / 12.0);
        let speed = if t.rate_is_pitch {
            let d = f64::from(moved(t, offsets, 3)) - 64.0;
            pitch * if d >= 0.0 { d / 63.0 } else { d / 64.0 }
        } else {
            pitch
        };
        let vol = moved(t, offsets, 15) / 64.0;
        let bal = moved(t, offsets, 16);
        let left = ((127.0 - bal) / 63.0).clamp(0.0, 1.0);
        let right = (bal / 64.0).clamp(0.0, 1.0);
        let g = t.gain_rest * vol * vol;
        v.modulate(speed, [g * left, g * right]);
    }
    for (n, block) in fx.iter_mut().enumerate() {
        let o = 18 + 6 * n;
        if !hits(o, o + 6) {
            continue;
        }
        let vals: [u8; 6] = std::array::from_fn(|i| moved(t, offsets, o + i).round() as u8);
        block.set(t.fx_codes[n], vals, t.step_secs);
    }
}

/// A reproducible random value in −1..1 for LFO `k`, restart `r`, 1/16-cycle slot `slot`
/// (splitmix64).
fn random(k: u64, r: u64, slot: i64) -> f32 {
    let mut z = (k << 56 ^ r << 32 ^ slot as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    ((z >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_pass_through_their_documented_points() {
        assert_eq!(Shape::Tri.at(0.0), 0.0);
        assert_eq!(Shape::Tri.at(0.25), 1.0);
        assert_eq!(Shape::Tri.at(0.75), -1.0);
        assert_eq!(Shape::Saw.at(0.0), 1.0);
        assert_eq!(Shape::Saw.at(0.5), 0.0);
        assert_eq!(Shape::Sqr.at(0.49), 1.0);
        assert_eq!(Shape::Sqr.at(0.5), -1.0);
        assert_eq!(Shape::Exp.at(0.0), 1.0);
        assert!(Shape::Exp.at(1.0).abs() < 1e-6);
        assert_eq!(Shape::Rmp.at(0.5), 0.5);
        let mut d = LfoDesign::default();
        d.steps[0] = 127;
        d.steps[1] = -127;
        d.steps[2] = 64;
        d.interp = 0b10; // step 2 glides to step 3
        let s = Shape::Design(d);
        assert_eq!(s.at(0.01), 1.0);
        assert!((s.at(1.5 / 16.0) - (-1.0 + (64.0 / 127.0 + 1.0) * 0.5)).abs() < 1e-6);
        assert_eq!(s.at(2.5 / 16.0), 64.0 / 127.0);
    }

    #[test]
    fn random_values_are_reproducible_and_spread() {
        let a: Vec<f32> = (0..64).map(|s| random(0, 0, s)).collect();
        let b: Vec<f32> = (0..64).map(|s| random(0, 0, s)).collect();
        assert_eq!(a, b);
        assert!(a.iter().all(|v| (-1.0..1.0).contains(v)));
        assert!(a.iter().any(|&v| v > 0.5) && a.iter().any(|&v| v < -0.5));
        assert_ne!(random(1, 0, 3), random(0, 0, 3));
    }
}
