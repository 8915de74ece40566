//! Parameter metadata for the 32 slots of lock records (p-locks, scenes, part
//! values): names as the device shows them, page, Octatrack CC number, default
//! value and display form (format doc §4.7, §4.10, §9.2, §9.9; MIDI doc §1.3).
//!
//! Names and defaults marked unverified in the format doc are best knowledge;
//! the stored bytes are never changed by anything here.

use crate::format::{MachineType, note_name};

/// The page a parameter slot belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// Machine (playback) parameters, slots 0-5.
    Src,
    /// LFO speeds and depths.
    Lfo,
    /// Amplitude envelope, volume, balance.
    Amp,
    /// First effect.
    Fx1,
    /// Second effect.
    Fx2,
    /// Sample-slot lock (slot 31).
    Slot,
    /// MIDI NOTE page (NOTE VEL LEN NOT2-4).
    Note,
    /// MIDI arpeggiator.
    Arp,
    /// MIDI CTRL1 page (pitch bend, aftertouch, CC1-4).
    Ctrl1,
    /// MIDI CTRL2 page (CC5-10).
    Ctrl2,
}

impl Page {
    /// Short name as on the device's page buttons.
    pub fn name(self) -> &'static str {
        match self {
            Self::Src => "SRC",
            Self::Lfo => "LFO",
            Self::Amp => "AMP",
            Self::Fx1 => "FX1",
            Self::Fx2 => "FX2",
            Self::Slot => "SLOT",
            Self::Note => "NOTE",
            Self::Arp => "ARP",
            Self::Ctrl1 => "CTRL1",
            Self::Ctrl2 => "CTRL2",
        }
    }
}

/// How a stored value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueDisplay {
    /// 0..127 shown as stored.
    Unipolar,
    /// 0..127 shown as stored - 64 (64 = 0), e.g. `+12`, `-64`.
    Bipolar,
    /// 0-based sample slot shown 1-based; 128..135 = recorder buffers R1..R8.
    Slot,
    /// A MIDI note number shown as a name (60 = C-4).
    Note,
    /// 64 + semitones from NOTE; 64 shows `---` (no extra note).
    NoteOffset,
    /// An enumerated setting: index into the names; other values shown raw.
    Choice(&'static [&'static str]),
    /// A MIDI note length in ticks of 1/96 note (24 per quarter: 6 = `1/16`, one step),
    /// shown as the reduced fraction of a whole note; 127 shows `INF`
    /// ([`crate::format::setup::note_length`]).
    NoteLength,
}

impl ValueDisplay {
    /// The value as the device shows it; 255 (no lock) shows `---`.
    pub fn show(self, v: u8) -> String {
        if v == 255 {
            return "---".into();
        }
        match self {
            Self::Unipolar => v.to_string(),
            Self::Bipolar => {
                let d = v as i16 - 64;
                if d > 0 {
                    format!("+{d}")
                } else {
                    d.to_string()
                }
            }
            Self::Slot => match v {
                0..=127 => format!("{}", v as u16 + 1),
                128..=135 => format!("R{}", v - 127),
                _ => format!("?{v}"),
            },
            Self::Note => {
                if v <= 127 {
                    note_name(v)
                } else {
                    format!("?{v}")
                }
            }
            Self::NoteOffset => {
                let d = v as i16 - 64;
                match d {
                    0 => "---".into(),
                    d if d > 0 => format!("+{d}"),
                    d => d.to_string(),
                }
            }
            Self::Choice(names) => names
                .get(v as usize)
                .map(|s| s.to_string())
                .unwrap_or_else(|| v.to_string()),
            Self::NoteLength => crate::format::setup::note_length(v),
        }
    }
}

/// A typed value that is neither the displayed form nor a stored number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} takes {expected}, got {text:?}")]
pub struct ValueError {
    /// What was being entered (e.g. `AMP VOL`).
    pub what: String,
    /// The accepted forms (e.g. `-64..+63 (stored #0..#127)`).
    pub expected: String,
    /// What was typed.
    pub text: String,
}

/// A signed number with an optional leading `+`.
fn signed(t: &str) -> Option<i64> {
    t.strip_prefix('+').unwrap_or(t).parse().ok()
}

/// A note as the device shows it (`C-4`, `C#4`) or written `C4`, `Db4`, `c--1`.
fn parse_note(t: &str) -> Option<u8> {
    let mut chars = t.chars();
    let base: i64 = match chars.next()?.to_ascii_uppercase() {
        'C' => 0,
        'D' => 2,
        'E' => 4,
        'F' => 5,
        'G' => 7,
        'A' => 9,
        'B' => 11,
        _ => return None,
    };
    let rest = chars.as_str();
    let (acc, octave) = if let Some(r) = rest.strip_prefix('#') {
        (1, r)
    } else if let Some(r) = rest.strip_prefix('-') {
        (0, r)
    } else if let Some(r) = rest.strip_prefix('b').filter(|r| !r.is_empty()) {
        (-1, r)
    } else {
        (0, rest)
    };
    let octave: i64 = octave.parse().ok()?;
    u8::try_from((octave + 1) * 12 + base + acc)
        .ok()
        .filter(|&n| n <= 127)
}

impl ValueDisplay {
    /// The largest stored value (135 for sample slots with recorder buffers, else 127).
    pub fn max_stored(self) -> u8 {
        match self {
            Self::Slot => 135,
            _ => 127,
        }
    }

    /// The displayed range, e.g. `-64..+63`.
    pub fn range_text(self) -> String {
        match self {
            Self::Unipolar => "0..127".into(),
            Self::Bipolar => "-64..+63".into(),
            Self::Slot => "1..128 or R1..R8".into(),
            Self::Note => format!("{}..{}", note_name(0), note_name(127)),
            Self::NoteOffset => "-64..+63 (0 or --- for none)".into(),
            Self::Choice(names) => names.join(", "),
            Self::NoteLength => "1/96..127/96 (1/16 = one step) or INF".into(),
        }
    }

    /// The stored value of `text` typed in the displayed form (the inverse of
    /// [`ValueDisplay::show`] on 0..=[`ValueDisplay::max_stored`]; case-insensitive, a
    /// leading `+` optional); `None` when it is not a displayed form.
    pub fn parse_display(self, text: &str) -> Option<u8> {
        let t = text.trim();
        let shifted = |d: i64| (-64..=63).contains(&d).then(|| (d + 64) as u8);
        match self {
            Self::Unipolar => signed(t).filter(|v| (0..=127).contains(v)).map(|v| v as u8),
            Self::Bipolar => signed(t).and_then(shifted),
            Self::Slot => {
                if let Some(r) = t.strip_prefix(['R', 'r']) {
                    let n: u8 = r.parse().ok()?;
                    return (1..=8).contains(&n).then(|| n + 127);
                }
                signed(t)
                    .filter(|n| (1..=128).contains(n))
                    .map(|n| (n - 1) as u8)
            }
            Self::Note => parse_note(t),
            Self::NoteOffset => {
                if t == "---" {
                    return Some(64);
                }
                signed(t).and_then(shifted)
            }
            Self::Choice(names) => names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(t))
                .map(|i| i as u8),
            Self::NoteLength => (0..=127u8).find(|&v| self.show(v).eq_ignore_ascii_case(t)),
        }
    }

    /// The stored value of a typed value: the displayed form first, else a stored number
    /// `0..=max` (write `#N` to force a stored number where both readings exist).
    pub fn parse(self, what: &str, text: &str) -> Result<u8, ValueError> {
        let t = text.trim();
        let stored = |s: &str| {
            s.trim()
                .parse::<u8>()
                .ok()
                .filter(|&v| v <= self.max_stored())
        };
        let v = match t.strip_prefix('#') {
            Some(raw) => stored(raw),
            None => self.parse_display(t).or_else(|| stored(t)),
        };
        v.ok_or_else(|| ValueError {
            what: what.to_string(),
            expected: format!(
                "{} (or a stored value #0..#{})",
                self.range_text(),
                self.max_stored()
            ),
            text: t.to_string(),
        })
    }
}

/// Metadata of one lock-record slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamInfo {
    /// The slot (0..32) in the lock record.
    pub slot: usize,
    /// The page.
    pub page: Page,
    /// Short name as the device shows it (e.g. `PTCH`).
    pub name: &'static str,
    /// The Octatrack CC number controlling it on an audio track's channel, if any.
    pub cc: Option<u8>,
    /// Value in a new part (`None` where it depends on settings not known here).
    pub default: Option<u8>,
    /// How to show values.
    pub display: ValueDisplay,
}

impl ParamInfo {
    /// A stored value as the device shows it.
    pub fn show(&self, v: u8) -> String {
        self.display.show(v)
    }
    /// `PAGE NAME` as the device labels it, e.g. `AMP VOL`.
    pub fn label(&self) -> String {
        format!("{} {}", self.page.name(), self.name)
    }
    /// A typed value (displayed form or stored number) as the stored value; the error names
    /// the parameter and the accepted forms.
    pub fn parse(&self, text: &str) -> Result<u8, ValueError> {
        self.display.parse(&self.label(), text)
    }
}

/// An FX type (part +9 / +17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FxType {
    /// Stored code.
    pub code: u8,
    /// Name as the device shows it.
    pub name: &'static str,
    /// Short parameter names 1..6 (`""` = unused).
    pub params: [&'static str; 6],
    /// Default parameter values (octapy's table; FILTER and DELAY verified).
    pub defaults: [u8; 6],
    /// Which parameters are bipolar.
    pub bipolar: [bool; 6],
    /// Available in the FX1 slot.
    pub fx1: bool,
    /// Available in the FX2 slot.
    pub fx2: bool,
}

const NB: [bool; 6] = [false; 6];

/// Every FX type (format doc §9.9). LO-FI's code 28 is inferred from device files.
pub const FX_TYPES: &[FxType] = &[
    FxType {
        code: 0,
        name: "OFF",
        params: [""; 6],
        defaults: [0; 6],
        bipolar: NB,
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 4,
        name: "FILTER",
        params: ["BASE", "WDTH", "Q", "DEPT", "ATK", "DEC"],
        defaults: [0, 127, 0, 64, 0, 64],
        bipolar: [false, false, false, true, false, false],
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 5,
        name: "SPATIALIZER",
        params: ["INP", "DPTH", "WDTH", "HP", "LP", "SEND"],
        defaults: [127, 42, 96, 0, 127, 0],
        bipolar: NB,
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 8,
        name: "DELAY",
        params: ["TIME", "FB", "VOL", "BASE", "WDTH", "SEND"],
        defaults: [47, 0, 127, 0, 127, 0],
        bipolar: NB,
        fx1: false,
        fx2: true,
    },
    FxType {
        code: 12,
        name: "EQ",
        params: ["FRQ1", "GAN1", "Q1", "FRQ2", "GAN2", "Q2"],
        defaults: [64, 64, 0, 64, 64, 0],
        bipolar: [false, true, false, false, true, false],
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 13,
        name: "DJ EQ",
        params: ["LS F", "", "HS F", "LOWG", "MIDG", "HI G"],
        defaults: [64, 0, 64, 64, 64, 64],
        bipolar: [false, false, false, true, true, true],
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 16,
        name: "PHASER",
        params: ["CNTR", "DEP", "SPRD", "FB", "WDTH", "MIX"],
        defaults: [64, 64, 32, 64, 90, 0],
        bipolar: NB,
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 17,
        name: "FLANGER",
        params: ["DEL", "DEP", "SPRD", "FB", "WDTH", "MIX"],
        defaults: [64, 64, 32, 45, 0, 0],
        bipolar: NB,
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 18,
        name: "CHORUS",
        params: ["DEL", "DEP", "SPRD", "FB", "WDTH", "MIX"],
        defaults: [64, 64, 13, 0, 127, 0],
        bipolar: NB,
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 19,
        name: "COMB FILTER",
        params: ["PTCH", "TUNE", "LP", "FB", "", "MIX"],
        defaults: [0, 64, 127, 96, 0, 0],
        bipolar: [false, true, false, false, false, false],
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 20,
        name: "PLATE REVERB",
        params: ["TIME", "DAMP", "GATE", "HP", "LP", "MIX"],
        defaults: [24, 0, 127, 0, 127, 0],
        bipolar: NB,
        fx1: false,
        fx2: true,
    },
    FxType {
        code: 21,
        name: "SPRING REVERB",
        params: ["TIME", "", "", "HP", "LP", "MIX"],
        defaults: [23, 0, 0, 20, 127, 0],
        bipolar: NB,
        fx1: false,
        fx2: true,
    },
    FxType {
        code: 22,
        name: "DARK REVERB",
        params: ["TIME", "SHUG", "SHUF", "HP", "LP", "MIX"],
        defaults: [24, 0, 127, 0, 127, 0],
        bipolar: NB,
        fx1: false,
        fx2: true,
    },
    FxType {
        code: 24,
        name: "COMPRESSOR",
        params: ["ATK", "REL", "THRS", "RAT", "GAIN", "MIX"],
        defaults: [64, 64, 127, 0, 0, 127],
        bipolar: NB,
        fx1: true,
        fx2: true,
    },
    FxType {
        code: 28,
        name: "LO-FI",
        params: ["DIST", "", "AMF", "SRR", "BRR", "AMD"],
        defaults: [0; 6],
        bipolar: NB,
        fx1: true,
        fx2: true,
    },
];

/// The FX type with stored code `code`.
pub fn fx_type(code: u8) -> Option<&'static FxType> {
    FX_TYPES.iter().find(|f| f.code == code)
}

/// The FX name for a code (`?` for unknown codes).
pub fn fx_name(code: u8) -> &'static str {
    fx_type(code).map_or("?", |f| f.name)
}

/// Short machine names as the device shows them, by machine code 0..4.
pub const MACHINE_NAMES: [&str; 5] = ["STATIC", "FLEX", "THRU", "NEIGHBOR", "PICKUP"];

/// Thru machine INAB choices (inputs A and B).
pub const THRU_INPUTS: &[&str] = &["OFF", "A+B", "A", "B", "A/B"];
/// Thru machine INCD choices (inputs C and D).
pub const THRU_INPUTS_CD: &[&str] = &["OFF", "C+D", "C", "D", "C/D"];
/// A MIDI track's BANK, SBNK or PROG value as the device shows it: stored 0..=127 shown
/// 1..=128, stored 128 (or more) = `OFF`. Every view and message uses this numbering.
pub fn midi_select_text(v: u8) -> String {
    super::setup::SetupDisplay::Off128.show(v)
}

struct Slot6 {
    names: [&'static str; 6],
    defaults: [u8; 6],
    display: [ValueDisplay; 6],
}

const U: ValueDisplay = ValueDisplay::Unipolar;
const B: ValueDisplay = ValueDisplay::Bipolar;

fn src_page(m: MachineType) -> Option<Slot6> {
    match m {
        MachineType::Static | MachineType::Flex => Some(Slot6 {
            names: ["PTCH", "STRT", "LEN", "RATE", "RTRG", "RTIM"],
            defaults: [64, 0, 0, 127, 0, 79],
            display: [B, U, U, U, U, U],
        }),
        MachineType::Thru => Some(Slot6 {
            names: ["INAB", "VOL", "", "INCD", "VOL", ""],
            defaults: [0, 64, 0, 0, 64, 0],
            display: [
                ValueDisplay::Choice(THRU_INPUTS),
                B,
                U,
                ValueDisplay::Choice(THRU_INPUTS_CD),
                B,
                U,
            ],
        }),
        MachineType::Pickup => Some(Slot6 {
            names: ["PTCH", "DIR", "LEN", "", "GAIN", "OP"],
            defaults: [64, 2, 1, 127, 64, 1],
            display: [B, U, U, U, B, U],
        }),
        MachineType::Neighbor | MachineType::Unknown(_) => None,
    }
}

const LFO: Slot6 = Slot6 {
    names: ["SPD1", "SPD2", "SPD3", "DEP1", "DEP2", "DEP3"],
    defaults: [32, 32, 32, 0, 0, 0],
    display: [U; 6],
};

const AMP: Slot6 = Slot6 {
    names: ["ATK", "HOLD", "REL", "VOL", "BAL", "F"],
    defaults: [0, 127, 127, 64, 64, 127],
    display: [U, U, U, B, B, U],
};

fn info(slot: usize, page: Page, g: &Slot6, cc_base: Option<u8>, i: usize) -> Option<ParamInfo> {
    let name = g.names[i];
    (!name.is_empty()).then(|| ParamInfo {
        slot,
        page,
        name,
        cc: cc_base.map(|b| b + i as u8),
        default: Some(g.defaults[i]),
        display: g.display[i],
    })
}

fn fx_slot(code: u8, page: Page, slot: usize, i: usize, cc_base: u8) -> Option<ParamInfo> {
    let f = fx_type(code)?;
    let g = Slot6 {
        names: f.params,
        defaults: f.defaults,
        display: f.bipolar.map(|b| if b { B } else { U }),
    };
    info(slot, page, &g, Some(cc_base), i)
}

/// Metadata of lock slot `slot` (0..32) on an audio track with machine `machine`
/// and FX codes `fx1` / `fx2`; `None` for unused slots (and every SRC slot of
/// a Neighbor track).
pub fn audio_param(machine: MachineType, fx1: u8, fx2: u8, slot: usize) -> Option<ParamInfo> {
    match slot {
        0..=5 => info(slot, Page::Src, &src_page(machine)?, Some(16), slot),
        6..=11 => info(slot, Page::Lfo, &LFO, Some(28), slot - 6),
        12..=16 => info(slot, Page::Amp, &AMP, Some(22), slot - 12),
        17 => info(slot, Page::Amp, &AMP, None, 5),
        18..=23 => fx_slot(fx1, Page::Fx1, slot, slot - 18, 34),
        24..=29 => fx_slot(fx2, Page::Fx2, slot, slot - 24, 40),
        31 => matches!(machine, MachineType::Static | MachineType::Flex).then_some(ParamInfo {
            slot,
            page: Page::Slot,
            name: "SLOT",
            cc: None,
            default: None,
            display: ValueDisplay::Slot,
        }),
        _ => None,
    }
}

/// Metadata of slot `slot` in a scene record: as [`audio_param`], except that
/// slot 17 is the crossfader track level XLV, and the sample slot cannot be scene-locked.
pub fn scene_param(machine: MachineType, fx1: u8, fx2: u8, slot: usize) -> Option<ParamInfo> {
    match slot {
        17 => Some(ParamInfo {
            slot,
            page: Page::Amp,
            name: "XLV",
            cc: None,
            default: None,
            display: ValueDisplay::Unipolar,
        }),
        30 | 31 => None,
        _ => audio_param(machine, fx1, fx2, slot),
    }
}

/// Metadata of all 32 slots of an audio track (see [`audio_param`]).
pub fn audio_params(machine: MachineType, fx1: u8, fx2: u8) -> [Option<ParamInfo>; 32] {
    std::array::from_fn(|s| audio_param(machine, fx1, fx2, s))
}

const NOTE_PAGE: Slot6 = Slot6 {
    names: ["NOTE", "VEL", "LEN", "NOT2", "NOT3", "NOT4"],
    defaults: [48, 100, 6, 64, 64, 64],
    display: [
        ValueDisplay::Note,
        U,
        ValueDisplay::NoteLength,
        ValueDisplay::NoteOffset,
        ValueDisplay::NoteOffset,
        ValueDisplay::NoteOffset,
    ],
};

/// ARP page: LEG as OFF/ON and MODE names from [`crate::format::setup::ARP_MODES`] are not
/// verified on a device; NLEN as a note length like NOTE LEN (octapy's tick reading).
const ARP_PAGE: Slot6 = Slot6 {
    names: ["TRAN", "LEG", "MODE", "SPD", "RNGE", "NLEN"],
    defaults: [64, 0, 0, 5, 0, 6],
    display: [
        B,
        ValueDisplay::Choice(crate::format::setup::OFF_ON),
        ValueDisplay::Choice(crate::format::setup::ARP_MODES),
        U,
        U,
        ValueDisplay::NoteLength,
    ],
};

const CTRL1_PAGE: Slot6 = Slot6 {
    names: ["PB", "AT", "CC1", "CC2", "CC3", "CC4"],
    defaults: [64, 0, 127, 0, 0, 64],
    display: [B, U, U, U, U, U],
};

const CTRL2_PAGE: Slot6 = Slot6 {
    names: ["CC5", "CC6", "CC7", "CC8", "CC9", "CC10"],
    defaults: [0; 6],
    display: [U; 6],
};

/// Metadata of lock slot `slot` (0..32) on a MIDI track; `None` for slots 30-31.
pub fn midi_param(slot: usize) -> Option<ParamInfo> {
    match slot {
        0..=5 => info(slot, Page::Note, &NOTE_PAGE, None, slot),
        6..=11 => info(slot, Page::Lfo, &LFO, None, slot - 6),
        12..=17 => info(slot, Page::Arp, &ARP_PAGE, None, slot - 12),
        18..=23 => info(slot, Page::Ctrl1, &CTRL1_PAGE, None, slot - 18),
        24..=29 => info(slot, Page::Ctrl2, &CTRL2_PAGE, None, slot - 24),
        _ => None,
    }
}

/// Metadata of all 32 slots of a MIDI track.
pub fn midi_params() -> [Option<ParamInfo>; 32] {
    std::array::from_fn(midi_param)
}

/// The page of audio-track lock slot `slot` (0..32) whatever the machine: SRC 0-5, LFO 6-11,
/// AMP 12-17, FX1 18-23, FX2 24-29, SLOT 30-31.
pub fn audio_slot_page(slot: usize) -> Page {
    match slot {
        0..=5 => Page::Src,
        6..=11 => Page::Lfo,
        12..=17 => Page::Amp,
        18..=23 => Page::Fx1,
        24..=29 => Page::Fx2,
        _ => Page::Slot,
    }
}

/// The audio-track lock slot a received Octatrack CC number controls
/// (CC 16-45), given nothing else; `None` for other CCs.
pub fn slot_for_cc(cc: u8) -> Option<usize> {
    match cc {
        16..=21 => Some((cc - 16) as usize),
        22..=26 => Some((cc - 22) as usize + 12),
        28..=33 => Some((cc - 28) as usize + 6),
        34..=39 => Some((cc - 34) as usize + 18),
        40..=45 => Some((cc - 40) as usize + 24),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::bank::Part;

    #[test]
    fn flex_filter_delay_names_and_ccs() {
        let p = audio_params(MachineType::Flex, 4, 8);
        let names: Vec<&str> = p.iter().map(|i| i.map_or("", |i| i.name)).collect();
        assert_eq!(
            &names[0..6],
            ["PTCH", "STRT", "LEN", "RATE", "RTRG", "RTIM"]
        );
        assert_eq!(
            &names[6..12],
            ["SPD1", "SPD2", "SPD3", "DEP1", "DEP2", "DEP3"]
        );
        assert_eq!(&names[12..18], ["ATK", "HOLD", "REL", "VOL", "BAL", "F"]);
        assert_eq!(&names[18..24], ["BASE", "WDTH", "Q", "DEPT", "ATK", "DEC"]);
        assert_eq!(
            &names[24..30],
            ["TIME", "FB", "VOL", "BASE", "WDTH", "SEND"]
        );
        assert_eq!(names[30], "");
        assert_eq!(names[31], "SLOT");
        let cc: Vec<Option<u8>> = p.iter().map(|i| i.and_then(|i| i.cc)).collect();
        assert_eq!(cc[0], Some(16));
        assert_eq!(cc[5], Some(21));
        assert_eq!(cc[6], Some(28));
        assert_eq!(cc[12], Some(22));
        assert_eq!(cc[16], Some(26));
        assert_eq!(cc[17], None);
        assert_eq!(cc[18], Some(34));
        assert_eq!(cc[29], Some(45));
        for (s, i) in p.iter().enumerate() {
            if let Some(i) = i.filter(|i| i.cc.is_some()) {
                assert_eq!(slot_for_cc(i.cc.unwrap_or(0)), Some(s));
            }
        }
    }

    #[test]
    fn defaults_match_blank_part() {
        // The blank part (checked byte-exact against device files) holds these defaults.
        let part = Part::blank(0);
        for m in [
            MachineType::Static,
            MachineType::Flex,
            MachineType::Thru,
            MachineType::Pickup,
        ] {
            let mut part = part.clone();
            part.set_machine_type(0, m).unwrap();
            for (s, i) in audio_params(m, 4, 8).iter().enumerate() {
                if let Some(i) = i.filter(|i| i.default.is_some()) {
                    assert_eq!(
                        i.default,
                        part.track_value(0, s),
                        "{m:?} slot {s} {}",
                        i.name
                    );
                }
            }
        }
        let mv = part.midi_values[0].to_record();
        for (s, i) in midi_params().iter().enumerate() {
            if let Some(i) = i {
                assert_eq!(i.default, Some(mv[s]), "MIDI slot {s} {}", i.name);
            }
        }
        for f in FX_TYPES {
            assert_eq!(fx_name(f.code), f.name);
        }
        assert_eq!(fx_name(99), "?");
        assert!(audio_params(MachineType::Neighbor, 0, 0)[0].is_none());
    }

    /// Every display kind of every parameter the crate knows, for round trips.
    fn all_displays() -> Vec<(String, ValueDisplay)> {
        let mut out = Vec::new();
        let machines = [
            MachineType::Static,
            MachineType::Flex,
            MachineType::Thru,
            MachineType::Pickup,
        ];
        for m in machines {
            for f in FX_TYPES {
                for s in 0..32 {
                    for p in [
                        audio_param(m, f.code, f.code, s),
                        scene_param(m, f.code, f.code, s),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        out.push((format!("{m:?} {} {}", f.name, p.label()), p.display));
                    }
                }
            }
        }
        for p in midi_params().into_iter().flatten() {
            out.push((format!("MIDI {}", p.label()), p.display));
        }
        out
    }

    #[test]
    fn every_displayed_value_parses_back_to_its_stored_value() {
        let all = all_displays();
        for kind in [
            ValueDisplay::Unipolar,
            ValueDisplay::Bipolar,
            ValueDisplay::Slot,
            ValueDisplay::Note,
            ValueDisplay::NoteOffset,
            ValueDisplay::NoteLength,
        ] {
            assert!(all.iter().any(|(_, d)| *d == kind), "{kind:?} is covered");
        }
        assert!(
            all.iter()
                .any(|(_, d)| matches!(d, ValueDisplay::Choice(_)))
        );
        for (name, d) in all {
            for v in 0..=d.max_stored() {
                let shown = d.show(v);
                assert_eq!(d.parse(&name, &shown), Ok(v), "{name}: {v} shown {shown:?}");
                assert_eq!(
                    d.parse(&name, &shown.to_lowercase()),
                    Ok(v),
                    "{name}: {shown:?} in lower case"
                );
                assert_eq!(d.parse(&name, &format!("#{v}")), Ok(v), "{name}: #{v}");
            }
        }
    }

    #[test]
    fn typed_values_in_display_form_or_stored_form() {
        let vol = audio_param(MachineType::Flex, 4, 8, 15).unwrap();
        assert_eq!(vol.label(), "AMP VOL");
        assert_eq!(vol.parse("-12"), Ok(52));
        assert_eq!(vol.parse("+12"), Ok(76));
        assert_eq!(vol.parse("12"), Ok(76), "the displayed form wins");
        assert_eq!(vol.parse("#12"), Ok(12), "# forces the stored value");
        assert_eq!(vol.parse("100"), Ok(100), "outside the display: stored");
        let e = vol.parse("200").unwrap_err();
        assert_eq!(
            e.to_string(),
            "AMP VOL takes -64..+63 (or a stored value #0..#127), got \"200\""
        );
        let e = vol.parse("loud").unwrap_err();
        assert!(e.to_string().starts_with("AMP VOL takes -64..+63"), "{e}");
        let note = midi_param(0).unwrap();
        assert_eq!(note.parse("C-4"), Ok(60));
        assert_eq!(note.parse("c4"), Ok(60));
        assert_eq!(note.parse("C#4"), Ok(61));
        assert_eq!(note.parse("Db4"), Ok(61));
        assert_eq!(note.parse("C--1"), Ok(0));
        assert_eq!(note.parse("G-9"), Ok(127));
        assert!(note.parse("G#9").is_err());
        assert!(note.parse("H4").is_err());
        let not2 = midi_param(3).unwrap();
        assert_eq!(not2.parse("---"), Ok(64));
        assert_eq!(not2.parse("-3"), Ok(61));
        let slot = audio_param(MachineType::Flex, 4, 8, 31).unwrap();
        assert_eq!(slot.parse("1"), Ok(0));
        assert_eq!(slot.parse("r3"), Ok(130));
        assert_eq!(slot.parse("#135"), Ok(135));
        assert!(slot.parse("R9").is_err());
        let inab = audio_param(MachineType::Thru, 4, 8, 0).unwrap();
        assert_eq!(inab.parse("a/b"), Ok(4));
        assert_eq!(inab.parse("2"), Ok(2), "a stored number");
        let e = inab.parse("C").unwrap_err();
        assert!(e.to_string().contains("OFF, A+B, A, B, A/B"), "{e}");
        let xlv = scene_param(MachineType::Flex, 4, 8, 17).unwrap();
        assert_eq!(xlv.parse("127"), Ok(127));
        assert_eq!(
            xlv.parse("128").unwrap_err().to_string(),
            "AMP XLV takes 0..127 (or a stored value #0..#127), got \"128\""
        );
    }

    #[test]
    fn display_forms() {
        let ptch = audio_param(MachineType::Flex, 4, 8, 0).unwrap();
        assert_eq!(ptch.show(64), "0");
        assert_eq!(ptch.show(0), "-64");
        assert_eq!(ptch.show(127), "+63");
        assert_eq!(ptch.show(255), "---");
        let slot = audio_param(MachineType::Static, 4, 8, 31).unwrap();
        assert_eq!(slot.show(0), "1");
        assert_eq!(slot.show(126), "127");
        assert_eq!(slot.show(130), "R3");
        let note = midi_param(0).unwrap();
        assert_eq!(note.show(60), "C-4");
        let not2 = midi_param(3).unwrap();
        assert_eq!(not2.show(64), "---");
        assert_eq!(not2.show(68), "+4");
        assert_eq!(not2.show(61), "-3");
        let inab = audio_param(MachineType::Thru, 4, 8, 0).unwrap();
        assert_eq!(inab.show(1), "A+B");
        assert_eq!(inab.show(9), "9");
        assert_eq!(midi_param(18).unwrap().name, "PB");
        assert_eq!(midi_param(29).unwrap().name, "CC10");
        assert!(midi_param(30).is_none());
        let xlv = scene_param(MachineType::Flex, 4, 8, 17).unwrap();
        assert_eq!((xlv.name, xlv.show(0)), ("XLV", "0".to_string()));
        assert!(scene_param(MachineType::Flex, 4, 8, 31).is_none());
        assert_eq!(
            scene_param(MachineType::Flex, 4, 8, 18).unwrap().name,
            "BASE"
        );
    }
}
