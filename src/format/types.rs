//! Friendly value types shared by the format module and everything above it.
//!
//! Each type converts to and from its stored byte(s) without loss: values the
//! device never writes are kept as `Unknown` / raw so they round-trip.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Probability percentages for condition codes 9..=29, in code order.
pub const PROBABILITIES: [u8; 21] = [
    1, 2, 4, 6, 9, 13, 19, 25, 33, 41, 50, 59, 67, 75, 81, 87, 91, 94, 96, 98, 99,
];

/// A trig condition (low 7 bits of a step's condition word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum TrigCondition {
    /// No condition (code 0).
    #[default]
    None,
    /// FILL.
    Fill,
    /// NOT FILL.
    NotFill,
    /// PRE: the previous condition on this track was true.
    Pre,
    /// NOT PRE.
    NotPre,
    /// NEI: the previous condition on the neighbour track was true.
    Nei,
    /// NOT NEI.
    NotNei,
    /// 1ST: only on the first pass of the pattern.
    First,
    /// NOT 1ST.
    NotFirst,
    /// A probability in percent; only the 21 device values exist (see [`PROBABILITIES`]).
    Probability(u8),
    /// A:B loop condition: true on pass `a` of every `b` passes (1 <= a <= b, 2 <= b <= 8).
    Loop {
        /// The pass (1-based).
        a: u8,
        /// The cycle length.
        b: u8,
    },
    /// A code the device does not define (65..=127), kept verbatim.
    Unknown(u8),
}

impl TrigCondition {
    /// Decodes a 7-bit condition code.
    pub fn from_code(code: u8) -> Self {
        let code = code & 0x7F;
        match code {
            0 => Self::None,
            1 => Self::Fill,
            2 => Self::NotFill,
            3 => Self::Pre,
            4 => Self::NotPre,
            5 => Self::Nei,
            6 => Self::NotNei,
            7 => Self::First,
            8 => Self::NotFirst,
            9..=29 => Self::Probability(PROBABILITIES[(code - 9) as usize]),
            30..=64 => {
                let mut base = 30u8;
                for b in 2u8..=8 {
                    if code < base + b {
                        return Self::Loop {
                            a: code - base + 1,
                            b,
                        };
                    }
                    base += b;
                }
                Self::Unknown(code)
            }
            _ => Self::Unknown(code),
        }
    }

    /// Encodes to the 7-bit code; `None` for a value the device cannot store
    /// (a probability not in the table, an impossible A:B).
    pub fn to_code(self) -> Option<u8> {
        Some(match self {
            Self::None => 0,
            Self::Fill => 1,
            Self::NotFill => 2,
            Self::Pre => 3,
            Self::NotPre => 4,
            Self::Nei => 5,
            Self::NotNei => 6,
            Self::First => 7,
            Self::NotFirst => 8,
            Self::Probability(p) => 9 + PROBABILITIES.iter().position(|&x| x == p)? as u8,
            Self::Loop { a, b } => {
                if !(2..=8).contains(&b) || a == 0 || a > b {
                    return None;
                }
                30 + b * (b - 1) / 2 - 1 + (a - 1)
            }
            Self::Unknown(c) if c > 64 && c < 128 => c,
            Self::Unknown(_) => return None,
        })
    }

    /// Every condition the device offers, in the device's menu order.
    pub fn all() -> Vec<Self> {
        (0u8..=64).map(Self::from_code).collect()
    }

    /// Parses the display form produced by `Display` (case-insensitive), e.g. `FILL`, `NOT PRE`, `50%`, `3:4`.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_ascii_uppercase();
        let t = t.replace('_', " ");
        Some(match t.as_str() {
            "" | "NONE" | "---" => Self::None,
            "FILL" => Self::Fill,
            "NOT FILL" | "!FILL" => Self::NotFill,
            "PRE" => Self::Pre,
            "NOT PRE" | "!PRE" => Self::NotPre,
            "NEI" => Self::Nei,
            "NOT NEI" | "!NEI" => Self::NotNei,
            "1ST" | "FIRST" => Self::First,
            "NOT 1ST" | "!1ST" | "NOT FIRST" => Self::NotFirst,
            _ => {
                if let Some(p) = t.strip_suffix('%') {
                    let p: u8 = p.trim().parse().ok()?;
                    let c = Self::Probability(p);
                    c.to_code()?;
                    c
                } else if let Some((a, b)) = t.split_once(':') {
                    let c = Self::Loop {
                        a: a.trim().parse().ok()?,
                        b: b.trim().parse().ok()?,
                    };
                    c.to_code()?;
                    c
                } else {
                    return None;
                }
            }
        })
    }
}

impl fmt::Display for TrigCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => write!(f, "---"),
            Self::Fill => write!(f, "FILL"),
            Self::NotFill => write!(f, "NOT FILL"),
            Self::Pre => write!(f, "PRE"),
            Self::NotPre => write!(f, "NOT PRE"),
            Self::Nei => write!(f, "NEI"),
            Self::NotNei => write!(f, "NOT NEI"),
            Self::First => write!(f, "1ST"),
            Self::NotFirst => write!(f, "NOT 1ST"),
            Self::Probability(p) => write!(f, "{p}%"),
            Self::Loop { a, b } => write!(f, "{a}:{b}"),
            Self::Unknown(c) => write!(f, "?{c}"),
        }
    }
}

/// Micro-timing offset in 1/384 of a step (device range -23..=+23; the 6-bit
/// field can hold -32..=31, which is kept as read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct MicroTiming(pub i8);

impl MicroTiming {
    /// Smallest offset the device offers.
    pub const MIN: i8 = -23;
    /// Largest offset the device offers.
    pub const MAX: i8 = 23;
}

impl fmt::Display for MicroTiming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            write!(f, "0")
        } else {
            write!(f, "{:+}/384", self.0)
        }
    }
}

/// The 2-byte repeat / micro-timing / condition word of one step (u16 BE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct StepWord(pub u16);

impl StepWord {
    /// Builds the word from its two stored bytes.
    pub fn from_bytes(b: [u8; 2]) -> Self {
        Self(u16::from_be_bytes(b))
    }
    /// The two stored bytes.
    pub fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }
    /// Number of trigs played by the retrig/repeat (1..=8).
    pub fn repeats(self) -> u8 {
        ((self.0 >> 13) as u8) + 1
    }
    /// Sets the repeat count (clamped to 1..=8).
    pub fn set_repeats(&mut self, count: u8) {
        let c = count.clamp(1, 8) as u16 - 1;
        self.0 = (self.0 & 0x1FFF) | (c << 13);
    }
    /// Micro-timing offset.
    pub fn micro_timing(self) -> MicroTiming {
        let raw = ((self.0 >> 7) & 0x3F) as i8;
        MicroTiming(if raw >= 32 { raw - 64 } else { raw })
    }
    /// Sets the micro-timing (clamped to -32..=31).
    pub fn set_micro_timing(&mut self, mt: MicroTiming) {
        let v = (mt.0.clamp(-32, 31) as i16 as u16) & 0x3F;
        self.0 = (self.0 & !(0x3F << 7)) | (v << 7);
    }
    /// Trig condition.
    pub fn condition(self) -> TrigCondition {
        TrigCondition::from_code((self.0 & 0x7F) as u8)
    }
    /// Raw 7-bit condition code.
    pub fn condition_code(self) -> u8 {
        (self.0 & 0x7F) as u8
    }
    /// Sets the condition; returns false (and changes nothing) if it cannot be stored.
    pub fn set_condition(&mut self, c: TrigCondition) -> bool {
        match c.to_code() {
            Some(code) => {
                self.0 = (self.0 & !0x7F) | code as u16;
                true
            }
            None => false,
        }
    }
}

/// Track / pattern speed (scale) code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scale {
    /// 2x.
    X2,
    /// 3/2x.
    X3_2,
    /// 1x.
    X1,
    /// 3/4x.
    X3_4,
    /// 1/2x.
    X1_2,
    /// 1/4x.
    X1_4,
    /// 1/8x.
    X1_8,
    /// An unknown code, kept verbatim.
    Unknown(u8),
}

impl Scale {
    /// Decodes a stored scale byte.
    pub fn from_code(c: u8) -> Self {
        match c {
            0 => Self::X2,
            1 => Self::X3_2,
            2 => Self::X1,
            3 => Self::X3_4,
            4 => Self::X1_2,
            5 => Self::X1_4,
            6 => Self::X1_8,
            _ => Self::Unknown(c),
        }
    }
    /// The stored byte.
    pub fn to_code(self) -> u8 {
        match self {
            Self::X2 => 0,
            Self::X3_2 => 1,
            Self::X1 => 2,
            Self::X3_4 => 3,
            Self::X1_2 => 4,
            Self::X1_4 => 5,
            Self::X1_8 => 6,
            Self::Unknown(c) => c,
        }
    }
    /// Speed multiplier relative to 1x (16th notes at the tempo); 1.0 for unknown codes.
    pub fn multiplier(self) -> f64 {
        match self {
            Self::X2 => 2.0,
            Self::X3_2 => 1.5,
            Self::X1 => 1.0,
            Self::X3_4 => 0.75,
            Self::X1_2 => 0.5,
            Self::X1_4 => 0.25,
            Self::X1_8 => 0.125,
            Self::Unknown(_) => 1.0,
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Self::X2 => "2x",
            Self::X3_2 => "3/2x",
            Self::X1 => "1x",
            Self::X3_4 => "3/4x",
            Self::X1_2 => "1/2x",
            Self::X1_4 => "1/4x",
            Self::X1_8 => "1/8x",
            Self::Unknown(c) => return write!(f, "?{c}"),
        };
        f.write_str(s)
    }
}

/// Machine type of an audio track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MachineType {
    /// Static machine (streams from the card).
    Static,
    /// Flex machine (plays from RAM).
    Flex,
    /// Thru machine (live inputs).
    Thru,
    /// Neighbor machine (previous track's output).
    Neighbor,
    /// Pickup machine (looper).
    Pickup,
    /// Unknown code, kept verbatim.
    Unknown(u8),
}

impl MachineType {
    /// Decodes a machine type byte.
    pub fn from_code(c: u8) -> Self {
        match c {
            0 => Self::Static,
            1 => Self::Flex,
            2 => Self::Thru,
            3 => Self::Neighbor,
            4 => Self::Pickup,
            _ => Self::Unknown(c),
        }
    }
    /// The stored byte.
    pub fn to_code(self) -> u8 {
        match self {
            Self::Static => 0,
            Self::Flex => 1,
            Self::Thru => 2,
            Self::Neighbor => 3,
            Self::Pickup => 4,
            Self::Unknown(c) => c,
        }
    }
    /// Short upper-case name as the device shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown(_) => "?",
            m => crate::format::params::MACHINE_NAMES
                .get(m.to_code() as usize)
                .copied()
                .unwrap_or("?"),
        }
    }
}

/// Converts a MIDI note number to a name with Elektron's octave convention (60 = C4).
pub fn note_name(note: u8) -> String {
    const NAMES: [&str; 12] = [
        "C-", "C#", "D-", "D#", "E-", "F-", "F#", "G-", "G#", "A-", "A#", "B-",
    ];
    let octave = (note / 12) as i32 - 1;
    format!("{}{}", NAMES[(note % 12) as usize], octave)
}

/// Bank letter (A..P) for a 0-based bank index.
pub fn bank_letter(bank: usize) -> char {
    (b'A' + (bank.min(15) as u8)) as char
}

/// Parses a bank letter (A..P, case-insensitive) to a 0-based index.
pub fn parse_bank(s: &str) -> Option<usize> {
    s.parse::<super::address::BankId>().ok().map(|b| b.index())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_codes_round_trip() {
        for code in 0u8..128 {
            let c = TrigCondition::from_code(code);
            assert_eq!(c.to_code(), Some(code), "{code} -> {c:?}");
        }
    }

    #[test]
    fn condition_examples() {
        assert_eq!(TrigCondition::from_code(19), TrigCondition::Probability(50));
        assert_eq!(
            TrigCondition::from_code(30),
            TrigCondition::Loop { a: 1, b: 2 }
        );
        assert_eq!(
            TrigCondition::from_code(38),
            TrigCondition::Loop { a: 4, b: 4 }
        );
        assert_eq!(
            TrigCondition::from_code(64),
            TrigCondition::Loop { a: 8, b: 8 }
        );
        assert_eq!(TrigCondition::Probability(51).to_code(), None);
        assert_eq!(TrigCondition::parse("not pre"), Some(TrigCondition::NotPre));
        assert_eq!(
            TrigCondition::parse("3:4"),
            Some(TrigCondition::Loop { a: 3, b: 4 })
        );
        for c in TrigCondition::all() {
            assert_eq!(TrigCondition::parse(&c.to_string()), Some(c));
        }
    }

    #[test]
    fn step_word_doc_examples() {
        // Examples from the format doc section 9.5.
        assert_eq!(
            StepWord::from_bytes([0x14, 0x80]).micro_timing(),
            MicroTiming(-23)
        );
        assert_eq!(
            StepWord::from_bytes([0x1A, 0x00]).micro_timing(),
            MicroTiming(-12)
        );
        assert_eq!(
            StepWord::from_bytes([0x01, 0x80]).micro_timing(),
            MicroTiming(3)
        );
        assert_eq!(
            StepWord::from_bytes([0x0B, 0x80]).micro_timing(),
            MicroTiming(23)
        );
        let w = StepWord::from_bytes([0x34, 0x81]);
        assert_eq!(w.repeats(), 2);
        assert_eq!(w.condition(), TrigCondition::Fill);
        assert_eq!(w.micro_timing(), MicroTiming(-23));
        let mut built = StepWord::default();
        built.set_repeats(2);
        assert!(built.set_condition(TrigCondition::Fill));
        built.set_micro_timing(MicroTiming(-23));
        assert_eq!(built.to_bytes(), [0x34, 0x81]);
    }

    #[test]
    fn notes_and_banks() {
        assert_eq!(note_name(60), "C-4");
        assert_eq!(note_name(84), "C-6");
        assert_eq!(parse_bank("p"), Some(15));
        assert_eq!(parse_bank("Q"), None);
        assert_eq!(bank_letter(0), 'A');
    }
}
