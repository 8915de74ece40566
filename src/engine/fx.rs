//! FX1/FX2 blocks: the multimode FILTER and the 2-band EQ are rendered with `biquad`
//! (RBJ cookbook biquads); every other FX type passes audio through and is listed as not
//! rendered.

use super::SAMPLE_RATE;
use super::laws::{eq_gain_db, knob_hz, knob_q};
use biquad::{Biquad, Coefficients, DirectForm2Transposed, Type};

/// FX type code of FILTER.
pub const FILTER: u8 = 4;
/// FX type code of EQ.
pub const EQ: u8 = 12;

/// Whether the engine renders an FX type (0 = no effect counts as rendered).
pub fn is_rendered(code: u8) -> bool {
    matches!(code, 0 | FILTER | EQ)
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

/// One FX slot of a track: up to two biquad stages.
#[derive(Clone, Copy)]
pub struct FxBlock {
    code: u8,
    stages: [Stage; 2],
    values: [u8; 6],
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
            values: [255; 6],
        }
    }
}

impl FxBlock {
    /// Sets the type and its six parameter values (at a trig); filter state carries over
    /// while the type stays the same.
    pub fn set(&mut self, code: u8, values: [u8; 6]) {
        if code == self.code && values == self.values {
            return;
        }
        if code != self.code {
            *self = Self::default();
            self.code = code;
        }
        self.values = values;
        match code {
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
        self.stages[0].run(x);
        self.stages[1].run(x);
    }
}
