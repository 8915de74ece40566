//! The LFO code tables of a part's track setups (LFO-A: 3 targets + 3 waveforms at
//! +763, LFO-B: 3 multipliers + 3 trig modes) and the custom LFO designs (+5899, masks at
//! +6027). Pure decoding; sources and unverified marks are in `docs/engine.md` (LFOs).
//!
//! - A target is the LFO's destination as a lock-record slot (0..=29: SRC 0-5, LFO SPD/DEP
//!   6-11, AMP 12-16, the hidden AMP F / XLV 17, FX1 18-23, FX2 24-29).
//! - Waveform codes 0..=18: TRI ITRI SAW ISAW SQR ISQR EXP IEXP RMP IRMP RND, then T1..T8
//!   (the custom design of track 1..8).
//! - Multiplier codes 0..=6: 1X 2X 4X 8X 16X 32X 64X.
//! - Trig modes 0..=7: FREE TRIG HOLD ONE HALF, then three the device lists after them.

use super::MachineType;
use super::params::audio_param;

/// An LFO waveform (setup LFO-A bytes 3..6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LfoWave {
    /// Triangle (code 0).
    Tri,
    /// Inverted triangle (1).
    ITri,
    /// Sawtooth (2).
    Saw,
    /// Inverted sawtooth (3).
    ISaw,
    /// Square (4).
    Sqr,
    /// Inverted square (5).
    ISqr,
    /// Exponential (6).
    Exp,
    /// Inverted exponential (7).
    IExp,
    /// Ramp (8).
    Rmp,
    /// Inverted ramp (9).
    IRmp,
    /// Random (10).
    Rnd,
    /// The custom design of track 0..8 (codes 11..=18, shown T1..T8).
    Design(u8),
    /// A code outside the table.
    Unknown(u8),
}

impl LfoWave {
    /// The waveform of a stored code.
    pub fn from_code(c: u8) -> Self {
        match c {
            0 => Self::Tri,
            1 => Self::ITri,
            2 => Self::Saw,
            3 => Self::ISaw,
            4 => Self::Sqr,
            5 => Self::ISqr,
            6 => Self::Exp,
            7 => Self::IExp,
            8 => Self::Rmp,
            9 => Self::IRmp,
            10 => Self::Rnd,
            11..=18 => Self::Design(c - 11),
            _ => Self::Unknown(c),
        }
    }

    /// The name the device shows (`T3` for the design of track 3).
    pub fn name(self) -> String {
        let s = match self {
            Self::Tri => "TRI",
            Self::ITri => "ITRI",
            Self::Saw => "SAW",
            Self::ISaw => "ISAW",
            Self::Sqr => "SQR",
            Self::ISqr => "ISQR",
            Self::Exp => "EXP",
            Self::IExp => "IEXP",
            Self::Rmp => "RMP",
            Self::IRmp => "IRMP",
            Self::Rnd => "RND",
            Self::Design(t) => return format!("T{}", t + 1),
            Self::Unknown(c) => return format!("?{c}"),
        };
        s.to_string()
    }
}

/// An LFO trig mode (setup LFO-B bytes 3..6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LfoTrigMode {
    /// Runs on, never restarted (code 0).
    Free,
    /// Restarts at each trig (1).
    Trig,
    /// Runs on; its output is held from each trig to the next (2).
    Hold,
    /// Restarts at each trig, runs one cycle and stops (3).
    One,
    /// Restarts at each trig, runs half a cycle and stops (4).
    Half,
    /// Codes 5..=7, listed by the device after HALF (5: like TRIG, 6: ONE, 7: HALF, [U]).
    Sync(u8),
    /// A code outside the table.
    Unknown(u8),
}

impl LfoTrigMode {
    /// The mode of a stored code.
    pub fn from_code(c: u8) -> Self {
        match c {
            0 => Self::Free,
            1 => Self::Trig,
            2 => Self::Hold,
            3 => Self::One,
            4 => Self::Half,
            5..=7 => Self::Sync(c),
            _ => Self::Unknown(c),
        }
    }

    /// The name as listed (codes 5-7 as one source names them, unverified).
    pub fn name(self) -> String {
        match self {
            Self::Free => "FREE".into(),
            Self::Trig => "TRIG".into(),
            Self::Hold => "HOLD".into(),
            Self::One => "ONE".into(),
            Self::Half => "HALF".into(),
            Self::Sync(5) => "SYNC TRIG".into(),
            Self::Sync(6) => "SYNC ONE".into(),
            Self::Sync(_) => "SYNC HALF".into(),
            Self::Unknown(c) => format!("?{c}"),
        }
    }
}

/// The speed factor of a multiplier code: 2^code for 0..=6 (1X..64X); `None` outside.
pub fn lfo_multiplier(code: u8) -> Option<u32> {
    (code <= 6).then(|| 1u32 << code)
}

/// A multiplier code as shown (`16X`; `?9` outside the table).
pub fn lfo_multiplier_name(code: u8) -> String {
    lfo_multiplier(code).map_or_else(|| format!("?{code}"), |m| format!("{m}X"))
}

/// The three LFOs' setup of an audio (or MIDI) track: the raw LFO-A and LFO-B bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LfoSetup {
    /// Target (lock-record slot) of LFO 1..3.
    pub target: [u8; 3],
    /// Waveform code of LFO 1..3.
    pub wave: [u8; 3],
    /// Multiplier code of LFO 1..3.
    pub mult: [u8; 3],
    /// Trig mode code of LFO 1..3.
    pub trig: [u8; 3],
}

impl LfoSetup {
    /// From the 6 LFO-A bytes (targets, waveforms) and the 6 LFO-B bytes (multipliers,
    /// trig modes).
    pub fn from_bytes(a: [u8; 6], b: [u8; 6]) -> Self {
        let three = |x: &[u8]| [x[0], x[1], x[2]];
        Self {
            target: three(&a[..3]),
            wave: three(&a[3..]),
            mult: three(&b[..3]),
            trig: three(&b[3..]),
        }
    }

    /// One line per LFO for dumps and the parts view, e.g.
    /// `LFO1 SRC PTCH TRI 1X FREE`, naming the target after the track's machine and FX.
    pub fn describe(&self, machine: MachineType, fx1: u8, fx2: u8) -> [String; 3] {
        std::array::from_fn(|i| {
            format!(
                "LFO{} {} {} {} {}",
                i + 1,
                lfo_target_name(self.target[i], machine, fx1, fx2),
                LfoWave::from_code(self.wave[i]).name(),
                lfo_multiplier_name(self.mult[i]),
                LfoTrigMode::from_code(self.trig[i]).name()
            )
        })
    }
}

/// The label of an LFO target on an audio track (`SRC PTCH`, `FX1 BASE`, `AMP F`), or
/// `?n` for a slot the track does not have.
pub fn lfo_target_name(target: u8, machine: MachineType, fx1: u8, fx2: u8) -> String {
    match audio_param(machine, fx1, fx2, usize::from(target)) {
        Some(p) if target < 30 => p.label(),
        _ => format!("?{target}"),
    }
}

/// A custom LFO design: 16 signed steps and which steps interpolate to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LfoDesign {
    /// Step values, −128..=127 (stored as i8).
    pub steps: [i8; 16],
    /// Bit `i` set: step `i` glides linearly to step `i + 1` (step 16 to step 1).
    pub interp: u16,
}

impl LfoDesign {
    /// From the 16 design bytes and the 2 mask bytes. Bit order [U]: byte 0 bit k is
    /// step k + 1, byte 1 bit k is step k + 9.
    pub fn from_bytes(steps: [u8; 16], mask: [u8; 2]) -> Self {
        Self {
            steps: steps.map(|b| b as i8),
            interp: u16::from_le_bytes(mask),
        }
    }

    /// Whether step `i` (0..16) interpolates to the next.
    pub fn interpolates(&self, i: usize) -> bool {
        i < 16 && self.interp & (1 << i) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_decode_to_the_device_names() {
        let names: Vec<String> = (0..=18).map(|c| LfoWave::from_code(c).name()).collect();
        assert_eq!(
            names,
            [
                "TRI", "ITRI", "SAW", "ISAW", "SQR", "ISQR", "EXP", "IEXP", "RMP", "IRMP", "RND",
                "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"
            ]
        );
        assert_eq!(LfoWave::from_code(19), LfoWave::Unknown(19));
        assert_eq!(lfo_multiplier(0), Some(1));
        assert_eq!(lfo_multiplier(6), Some(64));
        assert_eq!(lfo_multiplier(7), None);
        assert_eq!(lfo_multiplier_name(4), "16X");
        let trig: Vec<String> = (0..5).map(|c| LfoTrigMode::from_code(c).name()).collect();
        assert_eq!(trig, ["FREE", "TRIG", "HOLD", "ONE", "HALF"]);
    }

    #[test]
    fn a_device_setup_reads_as_its_target_wave_and_mode() {
        // Track 4 of the multipart corpus bank's part 1: LFO-A 05 00 00 0A 00 00,
        // LFO-B 00 00 00 01 00 00 (a Flex track).
        let s = LfoSetup::from_bytes([5, 0, 0, 10, 0, 0], [0, 0, 0, 1, 0, 0]);
        let d = s.describe(MachineType::Flex, 4, 8);
        assert_eq!(d[0], "LFO1 SRC RTIM RND 1X TRIG");
        assert_eq!(d[1], "LFO2 SRC PTCH TRI 1X FREE");
        assert_eq!(
            lfo_target_name(18, MachineType::Flex, 4, 8),
            "FX1 BASE".to_string()
        );
        assert_eq!(lfo_target_name(30, MachineType::Flex, 4, 8), "?30");
    }

    #[test]
    fn a_design_keeps_signed_steps_and_its_mask_bits() {
        let mut b = [0u8; 16];
        b[0] = 127;
        b[1] = 0x80;
        b[15] = 0xFF;
        let d = LfoDesign::from_bytes(b, [0b0000_0011, 0b1000_0000]);
        assert_eq!(d.steps[0], 127);
        assert_eq!(d.steps[1], -128);
        assert_eq!(d.steps[15], -1);
        assert!(d.interpolates(0) && d.interpolates(1) && !d.interpolates(2));
        assert!(d.interpolates(15) && !d.interpolates(8));
    }
}
