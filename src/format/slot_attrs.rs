//! Sample-slot attributes shared by `project.work` `[SAMPLE]` blocks and `.ot` files:
//! time-stretch, loop mode, trig quantization, gain, and the device's tempo/length estimate.

use serde::{Deserialize, Serialize};

use super::FormatError;

/// Time-stretch mode (`TSMODE`, `.ot` offset 35).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeStretch {
    /// 0: no time-stretch.
    Off,
    /// 2: normal.
    Normal,
    /// 3: beat.
    Beat,
    /// Any other stored code, kept verbatim.
    Other(i64),
}

impl TimeStretch {
    /// From the stored code.
    pub fn from_code(c: i64) -> Self {
        match c {
            0 => Self::Off,
            2 => Self::Normal,
            3 => Self::Beat,
            o => Self::Other(o),
        }
    }
    /// The stored code.
    pub fn code(self) -> i64 {
        match self {
            Self::Off => 0,
            Self::Normal => 2,
            Self::Beat => 3,
            Self::Other(o) => o,
        }
    }
}

/// Loop mode (`LOOPMODE`, `.ot` offset 39).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoopMode {
    /// 0: no loop.
    Off,
    /// 1: normal loop.
    Normal,
    /// 2: ping-pong.
    PingPong,
    /// Any other stored code, kept verbatim.
    Other(i64),
}

impl LoopMode {
    /// From the stored code.
    pub fn from_code(c: i64) -> Self {
        match c {
            0 => Self::Off,
            1 => Self::Normal,
            2 => Self::PingPong,
            o => Self::Other(o),
        }
    }
    /// The stored code.
    pub fn code(self) -> i64 {
        match self {
            Self::Off => 0,
            Self::Normal => 1,
            Self::PingPong => 2,
            Self::Other(o) => o,
        }
    }
}

/// Step counts of trig-quantization codes 1..=16 (§9.7).
pub const QUANT_STEPS: [u16; 16] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];

/// Trig quantization of a slot: `-1` in `project.work`, `255` in `.ot` files mean DIRECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrigQuant {
    /// Play immediately (`-1` / `255`).
    Direct,
    /// Code 0: wait for the pattern length.
    PatternLength,
    /// Codes 1..=16: wait for this many steps (one of [`QUANT_STEPS`]).
    Steps(u16),
    /// Any other stored code, kept verbatim (project.work numbering).
    Other(i64),
}

impl TrigQuant {
    /// From the `project.work` code (`-1` = direct; `255`, which ot-tools writes, is the
    /// same byte as `-1` and read as direct, as in `.ot` files).
    pub fn from_project(c: i64) -> Self {
        match c {
            -1 | 255 => Self::Direct,
            0 => Self::PatternLength,
            1..=16 => Self::Steps(QUANT_STEPS[(c - 1) as usize]),
            o => Self::Other(o),
        }
    }
    /// The `project.work` code, or `None` for a step count that has no code.
    pub fn to_project(self) -> Option<i64> {
        match self {
            Self::Direct => Some(-1),
            Self::PatternLength => Some(0),
            Self::Steps(s) => QUANT_STEPS
                .iter()
                .position(|&q| q == s)
                .map(|i| i as i64 + 1),
            Self::Other(o) => Some(o),
        }
    }
    /// From the `.ot` byte (`255` = direct).
    pub fn from_ot(b: u8) -> Self {
        match b {
            255 => Self::Direct,
            b => Self::from_project(b as i64),
        }
    }
    /// The `.ot` byte, or `None` when it cannot be stored in one byte.
    pub fn to_ot(self) -> Option<u8> {
        match self {
            Self::Direct => Some(255),
            other => other.to_project().and_then(|c| u8::try_from(c).ok()),
        }
    }
}

/// Sample gain in dB for a stored gain value (48 = 0 dB, 0.5 dB per step).
pub fn gain_db(stored: i64) -> f64 {
    (stored as f64 - 48.0) / 2.0
}

/// The device's estimate when a sample is assigned: `(tempo × 24, length in bars × 100)`.
///
/// Duration d = frames / rate; for d ≥ 1 s the tempo is 240/d doubled or halved into
/// [85, 170), else 120 BPM; bars × 100 = round(d × tempo / 240 × 100). Gives
/// `(2281, 800)` for 890839 frames at 44.1 kHz, as the device writes. A zero rate
/// gives `(2880, 0)`.
pub fn estimate_tempo_and_bars(frames: u64, sample_rate: u32) -> (u32, u32) {
    if sample_rate == 0 {
        return (2880, 0);
    }
    let d = frames as f64 / sample_rate as f64;
    let mut tempo = 120.0;
    if d >= 1.0 {
        tempo = 240.0 / d;
        while tempo < 85.0 {
            tempo *= 2.0;
        }
        while tempo >= 170.0 {
            tempo /= 2.0;
        }
    }
    let bars = (d * tempo / 240.0 * 100.0).round();
    let bpm_x24 = (tempo * 24.0).round();
    (
        bpm_x24.min(u32::MAX as f64) as u32,
        bars.min(u32::MAX as f64) as u32,
    )
}

/// A sample slot of a project: Flex 1..=128, recorder buffer 1..=8, Static 1..=128.
///
/// `project.work` calls recorder buffer *r* `FLEX` slot 128 + *r*; `markers.work` stores
/// Flex, then recorders, then Static.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SlotRef {
    /// Flex slot 1..=128.
    Flex(u16),
    /// Recorder buffer 1..=8 (project `FLEX` 129..=136).
    Recorder(u16),
    /// Static slot 1..=128.
    Static(u16),
}

impl SlotRef {
    /// Whether the number is in range for its pool.
    pub fn is_valid(self) -> bool {
        match self {
            Self::Flex(n) | Self::Static(n) => (1..=128).contains(&n),
            Self::Recorder(n) => (1..=8).contains(&n),
        }
    }
    /// Checks the range, naming the slot in the error.
    pub fn validate(self) -> Result<Self, FormatError> {
        if self.is_valid() {
            return Ok(self);
        }
        let (field, value, range) = match self {
            Self::Flex(n) => ("flex slot", n, "1..=128"),
            Self::Static(n) => ("static slot", n, "1..=128"),
            Self::Recorder(n) => ("recorder buffer", n, "1..=8"),
        };
        Err(FormatError::Range {
            field: field.into(),
            value: value as i64,
            range: range.into(),
        })
    }
    /// From a `project.work` `TYPE` (`FLEX`/`STATIC`) and 1-based `SLOT` number.
    pub fn from_project(kind: &str, number: u16) -> Option<Self> {
        let s = match kind {
            "FLEX" if number > 128 => Self::Recorder(number - 128),
            "FLEX" => Self::Flex(number),
            "STATIC" => Self::Static(number),
            _ => return None,
        };
        s.is_valid().then_some(s)
    }
    /// The `project.work` `TYPE` and `SLOT` number.
    pub fn to_project(self) -> (&'static str, u16) {
        match self {
            Self::Flex(n) => ("FLEX", n),
            Self::Recorder(n) => ("FLEX", 128 + n),
            Self::Static(n) => ("STATIC", n),
        }
    }
    /// The 0-based record index in `markers.work` (0..264), for a valid slot.
    pub fn markers_index(self) -> Option<usize> {
        self.is_valid().then(|| match self {
            Self::Flex(n) => n as usize - 1,
            Self::Recorder(n) => 127 + n as usize,
            Self::Static(n) => 135 + n as usize,
        })
    }
    /// The slot of a 0-based `markers.work` record index.
    pub fn from_markers_index(i: usize) -> Option<Self> {
        match i {
            0..=127 => Some(Self::Flex(i as u16 + 1)),
            128..=135 => Some(Self::Recorder(i as u16 - 127)),
            136..=263 => Some(Self::Static(i as u16 - 135)),
            _ => None,
        }
    }
    /// Whether this is a Flex slot or recorder buffer (the Flex pool).
    pub fn is_flex_pool(self) -> bool {
        !matches!(self, Self::Static(_))
    }
}

impl std::str::FromStr for SlotRef {
    type Err = String;
    /// `F12`, `Flex 12`, `S3`, `static3`, `R1`, `recorder 1` (case-insensitive).
    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        let split = t.find(|c: char| c.is_ascii_digit()).unwrap_or(t.len());
        let (pool, num) = t.split_at(split);
        let bad = || {
            format!(
                "{text:?}: expected a slot such as F12 (Flex 1-128), S3 (Static 1-128) or R1 (recorder 1-8)"
            )
        };
        let n: u16 = num.parse().map_err(|_| bad())?;
        let slot = match pool.trim() {
            "f" | "flex" => Self::Flex(n),
            "s" | "static" => Self::Static(n),
            "r" | "rec" | "recorder" => Self::Recorder(n),
            _ => return Err(bad()),
        };
        slot.validate().map_err(|e| format!("{text:?}: {e}"))
    }
}

impl std::fmt::Display for SlotRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Flex(n) => write!(f, "Flex {n}"),
            Self::Recorder(n) => write!(f, "Recorder {n}"),
            Self::Static(n) => write!(f, "Static {n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_names_parse() {
        assert_eq!("F12".parse(), Ok(SlotRef::Flex(12)));
        assert_eq!("Flex 128".parse(), Ok(SlotRef::Flex(128)));
        assert_eq!("s3".parse(), Ok(SlotRef::Static(3)));
        assert_eq!("recorder 8".parse(), Ok(SlotRef::Recorder(8)));
        for bad in ["F0", "F129", "R9", "X1", "F", "12", ""] {
            let e = bad.parse::<SlotRef>().unwrap_err();
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
    }

    #[test]
    fn estimate_matches_device_ot() {
        // R4 .ot files: 890839 frames at 44.1 kHz -> tempo 2281, trim length 800.
        assert_eq!(estimate_tempo_and_bars(890_839, 44_100), (2281, 800));
        // Short sample: 120 BPM; 22050 frames = 0.5 s = 1/4 bar at 120.
        assert_eq!(estimate_tempo_and_bars(22_050, 44_100), (2880, 25));
        assert_eq!(estimate_tempo_and_bars(10, 0), (2880, 0));
    }

    #[test]
    fn trig_quant_codes() {
        assert_eq!(TrigQuant::from_project(-1), TrigQuant::Direct);
        assert_eq!(TrigQuant::from_project(255), TrigQuant::Direct);
        assert_eq!(TrigQuant::from_project(254), TrigQuant::Other(254));
        assert_eq!(TrigQuant::from_ot(255), TrigQuant::Direct);
        assert_eq!(TrigQuant::from_ot(1), TrigQuant::Steps(1));
        assert_eq!(TrigQuant::from_project(5), TrigQuant::Steps(6));
        assert_eq!(TrigQuant::Steps(256).to_project(), Some(16));
        assert_eq!(TrigQuant::Steps(5).to_project(), None);
        assert_eq!(TrigQuant::Direct.to_ot(), Some(255));
        assert_eq!(TrigQuant::Direct.to_project(), Some(-1));
        for c in -1..=16 {
            assert_eq!(TrigQuant::from_project(c).to_project(), Some(c));
        }
        for b in 0..=255u8 {
            assert_eq!(TrigQuant::from_ot(b).to_ot(), Some(b));
        }
        assert_eq!(gain_db(72), 12.0);
    }

    #[test]
    fn slot_refs() {
        assert_eq!(
            SlotRef::from_project("FLEX", 129),
            Some(SlotRef::Recorder(1))
        );
        assert_eq!(SlotRef::from_project("FLEX", 137), None);
        assert_eq!(SlotRef::from_project("STATIC", 129), None);
        assert_eq!(SlotRef::Recorder(8).to_project(), ("FLEX", 136));
        for i in 0..264 {
            let s = SlotRef::from_markers_index(i).unwrap();
            assert_eq!(s.markers_index(), Some(i));
        }
        assert_eq!(SlotRef::Static(1).markers_index(), Some(136));
        assert!(SlotRef::Flex(0).validate().is_err());
    }
}
