//! Names and units of the part's setup values as the device shows them: machine SETUP (LOOP,
//! SLIC, LEN, RATE, TSTR, TSNS), LFO setup (PMTR, WAVE, MULT, TRIG), AMP and FX setup, MIDI
//! NOTE / ARP setup, recorder setup, custom LFO steps and arp sequence notes (format doc
//! §4.10, §4.13, §9.7, §9.10). Every view and command that shows such a value takes it from
//! here (the lock-record parameters themselves are in [`crate::format::params`]).
//!
//! Sources, and what is not verified: names and code orders of machine SETUP and the recorder
//! come from octapy (`api/enums.py`, format doc §9.10 / §4.10.5) and are unverified on a device,
//! except that the Octatrack manual names AUTO as a LOOP and a TSTR setting of the SRC SETUP
//! menu. That the blank part's LOOP 1 means ON (not AUTO) is octapy's reading only. The LFO
//! setup byte layout (3 destinations + 3 waveforms, 3 multipliers + 3 trig modes) is in the
//! format doc; the code tables for waveforms, multipliers, trig modes and destinations are
//! in [`crate::format::lfo`] with their sources (docs/engine.md, LFOs).
//! AMP and FX setup bytes have names (otio) but no known value names: they are shown as stored.
//! Support for the machine SETUP orders: sample slots store their own loop mode as 0 OFF, 1 ON,
//! 2 PIPO and their time-stretch as 0 OFF, 2 NORM, 3 BEAT (device files, `slot_attrs`), which is
//! the SETUP order with AUTO added where a sample slot has no AUTO (LOOP 3, TSTR 1).
//! Nothing here changes stored bytes.

use super::MachineType;
use super::params::{self, ValueError};
use super::slot_attrs::{LoopMode, TimeStretch};

/// OFF / ON for 0 / 1.
pub const OFF_ON: &[&str] = &["OFF", "ON"];
/// Machine SETUP LOOP (octapy order; the manual names OFF, ON, PIPO and AUTO) [unverified order].
pub const LOOP_MODES: &[&str] = &["OFF", "ON", "PIPO", "AUTO"];
/// Machine SETUP LEN: OFF (SLICE when SLIC is on), TIME (octapy) [unverified].
pub const LEN_MODES: &[&str] = &["OFF", "TIME"];
/// Machine SETUP RATE: what the RATE knob does (octapy) [unverified].
pub const RATE_MODES: &[&str] = &["PTCH", "TSTR"];
/// Machine SETUP TSTR (octapy order: AUTO second; the manual names AUTO, OFF, NORMAL and
/// BEAT) [unverified order].
pub const TSTR_MODES: &[&str] = &["OFF", "AUTO", "NORM", "BEAT"];
/// MIDI ARP MODE names [unverified: the manual's list, code order assumed; 0 = OFF is the
/// blank part's value].
pub const ARP_MODES: &[&str] = &["OFF", "UP", "DOWN", "CYCLE", "SHUF", "RND"];
/// LFO trig modes by code (see [`crate::format::lfo`]): FREE TRIG HOLD ONE HALF, then three
/// more one device-measured source lists [5-7 unverified].
pub const LFO_TRIG_MODES: &[&str] = &[
    "FREE",
    "TRIG",
    "HOLD",
    "ONE",
    "HALF",
    "SYNC TRIG",
    "SYNC ONE",
    "SYNC HALF",
];
/// LFO waveforms by code (see [`crate::format::lfo`]): eleven shapes, then the custom designs
/// of tracks 1-8 (`T1`..`T8`, as the manual labels them).
pub const LFO_WAVES: &[&str] = &[
    "TRI", "ITRI", "SAW", "ISAW", "SQR", "ISQR", "EXP", "IEXP", "RMP", "IRMP", "RND", "T1", "T2",
    "T3", "T4", "T5", "T6", "T7", "T8",
];
/// LFO speed multipliers by code (see [`crate::format::lfo`]): 1X..64X.
pub const LFO_MULTS: &[&str] = &["1X", "2X", "4X", "8X", "16X", "32X", "64X"];
/// Recorder INAB / INCD sources (octapy) [unverified].
pub const REC_INPUTS: &[&str] = &["OFF", "A+B", "A", "B"];
/// Recorder INCD sources: the same codes on inputs C and D.
pub const REC_INPUTS_CD: &[&str] = &["OFF", "C+D", "C", "D"];
/// Recorder TRIG (octapy) [unverified].
pub const REC_TRIG: &[&str] = &["ONE", "ONE2", "HOLD"];
/// Quantization step counts of codes 1..=16 (format doc §9.7; 1 verified, others from otio).
pub use super::slot_attrs::QUANT_STEPS;

/// A sample slot's loop mode (`LOOPMODE`, `.ot`) by name: the codes are those of
/// [`LOOP_MODES`] without AUTO (0 OFF, 1 ON, 2 PIPO); other codes show as `#N`.
pub fn slot_loop_name(m: LoopMode) -> String {
    match u8::try_from(m.code()) {
        Ok(v) => SetupDisplay::Choice(&LOOP_MODES[..3]).show(v),
        Err(_) => format!("#{}", m.code()),
    }
}

/// A sample slot's time-stretch mode (`TSMODE`, `.ot`) by name: the codes are those of
/// [`TSTR_MODES`] (0 OFF, 2 NORM, 3 BEAT; AUTO, code 1, is a machine setting only).
pub fn slot_tstr_name(t: TimeStretch) -> String {
    match t.code() {
        1 => "#1".into(),
        c => match u8::try_from(c) {
            Ok(v) => SetupDisplay::Choice(TSTR_MODES).show(v),
            Err(_) => format!("#{c}"),
        },
    }
}

/// A MIDI note length (ticks of 1/96 note, 6 = one 1/16 step; octapy [unverified]) as the
/// reduced fraction of a whole note (`1/16`, `3/32`, `1/1`); 0 shows `0`, 127 shows `INF`.
pub fn note_length(v: u8) -> String {
    fn gcd(a: u16, b: u16) -> u16 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    match v {
        0 => "0".into(),
        127 => "INF".into(),
        v => {
            let g = gcd(v as u16, 96);
            format!("{}/{}", v as u16 / g, 96 / g)
        }
    }
}

/// How a setup byte is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupDisplay {
    /// Names by code; other codes show as `#N`.
    Choice(&'static [&'static str]),
    /// The stored number.
    Number,
    /// Stored + 1 (MIDI channel 0 = `1`).
    Plus1,
    /// 128 and above `OFF`, else stored + 1 (MIDI BANK / PROG / SBANK).
    Off128,
    /// 255 `OFF`, 0 `PLEN`, 1..=16 step counts (format doc §9.7).
    Quantize,
    /// Recorder length: 64 and above `MAX`, else the stored number of steps.
    RecLength,
    /// Recorder SRC3: 0 `OFF`, 1..=8 `T1`..`T8`, 9 `MAIN`.
    Src3,
    /// ARP KEY: 0 `OFF`, else the stored number.
    ArpKey,
    /// A signed byte (two's complement) shown with its sign: custom LFO steps, arp notes.
    Signed,
    /// An LFO destination on an audio track: a parameter of the track's lock record by name
    /// (`AMP VOL`), [unverified: code = lock-record slot].
    AudioLfoDest {
        /// The track's machine.
        machine: MachineType,
        /// FX1 type code.
        fx1: u8,
        /// FX2 type code.
        fx2: u8,
    },
    /// An LFO destination on a MIDI track (code = MIDI lock-record slot) [unverified].
    MidiLfoDest,
}

/// One setup value: its name as the device labels it, how it is shown and its stored range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetupParam {
    /// Name as the device shows it (`LOOP`, `LFO1 WAVE`).
    pub name: &'static str,
    /// How values are shown.
    pub display: SetupDisplay,
    /// The largest stored value a user may set (255 is also accepted for [`SetupDisplay::Quantize`]).
    pub max: u8,
}

const fn sp(name: &'static str, display: SetupDisplay, max: u8) -> SetupParam {
    SetupParam { name, display, max }
}

fn choice_max(names: &[&str]) -> u8 {
    names.len().saturating_sub(1) as u8
}

impl SetupDisplay {
    /// Stored value `v` as the device shows it.
    pub fn show(self, v: u8) -> String {
        let raw = || format!("#{v}");
        match self {
            Self::Choice(names) => names.get(v as usize).map_or_else(raw, |s| s.to_string()),
            Self::Number => v.to_string(),
            Self::Plus1 => (v as u16 + 1).to_string(),
            Self::Off128 => {
                if v >= 128 {
                    "OFF".into()
                } else {
                    (v as u16 + 1).to_string()
                }
            }
            Self::Quantize => match v {
                255 => "OFF".into(),
                0 => "PLEN".into(),
                1..=16 => QUANT_STEPS[v as usize - 1].to_string(),
                _ => raw(),
            },
            Self::RecLength => {
                if v >= 64 {
                    "MAX".into()
                } else {
                    v.to_string()
                }
            }
            Self::Src3 => match v {
                0 => "OFF".into(),
                1..=8 => format!("T{v}"),
                9 => "MAIN".into(),
                _ => raw(),
            },
            Self::ArpKey => {
                if v == 0 {
                    "OFF".into()
                } else {
                    v.to_string()
                }
            }
            Self::Signed => {
                let s = v as i8;
                if s > 0 {
                    format!("+{s}")
                } else {
                    s.to_string()
                }
            }
            Self::AudioLfoDest { machine, fx1, fx2 } => {
                let label = |s: usize| {
                    params::audio_param(machine, fx1, fx2, s)
                        .filter(|p| p.slot < 30)
                        .map(|p| p.label())
                };
                match label(v as usize) {
                    // A name used twice on a track (the Thru machine's two VOLs): the second
                    // shows its slot so that every code reads back.
                    Some(l) if (0..v as usize).any(|s| label(s).as_ref() == Some(&l)) => {
                        format!("{l}/{v}")
                    }
                    Some(l) => l,
                    None => raw(),
                }
            }
            Self::MidiLfoDest => params::midi_param(v as usize).map_or_else(raw, |p| p.label()),
        }
    }

    /// The stored values that have a display of their own, in order.
    fn values(self, max: u8) -> impl Iterator<Item = u8> {
        let extra = (self == Self::Quantize).then_some(255);
        (0..=max).chain(extra)
    }
}

impl SetupParam {
    /// Stored value `v` as the device shows it.
    pub fn show(&self, v: u8) -> String {
        self.display.show(v)
    }

    /// Whether `v` may be stored through an edit.
    pub fn accepts(&self, v: u8) -> bool {
        v <= self.max || (self.display == SetupDisplay::Quantize && v == 255)
    }

    /// The accepted forms, e.g. `OFF, ON, PIPO, AUTO (or a stored value #0..#3)`.
    pub fn expected(&self) -> String {
        let vals: Vec<u8> = self.display.values(self.max).collect();
        let list = vals.len() <= 8
            || matches!(
                self.display,
                SetupDisplay::Choice(_) | SetupDisplay::Quantize
            );
        let shown = if self.display == SetupDisplay::Signed {
            "-128..+127".to_string()
        } else if list {
            vals.iter()
                .map(|&v| self.show(v))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            format!("{}..{}", self.show(0), self.show(self.max))
        };
        format!("{shown} (or a stored value #0..#{})", self.max)
    }

    /// A typed value as the stored value: the displayed form (case-insensitive; a leading `+`
    /// optional for signed values); a stored number is typed `#N` (a bare number is read only
    /// as a displayed value, never as a stored byte).
    pub fn parse(&self, text: &str) -> Result<u8, ValueError> {
        let t = text.trim();
        let stored = |s: &str| s.trim().parse::<u8>().ok().filter(|&v| self.accepts(v));
        let v = match t.strip_prefix('#') {
            Some(raw) => stored(raw),
            None => self.display.values(self.max).find(|&v| {
                let shown = self.show(v);
                !shown.starts_with('#')
                    && (shown.eq_ignore_ascii_case(t)
                        || shown.strip_prefix('+').is_some_and(|s| s == t))
            }),
        };
        v.ok_or_else(|| ValueError {
            what: self.name.to_string(),
            expected: self.expected(),
            text: t.to_string(),
        })
    }
}

/// SETUP value `i` (0..6) of machine `m`: `None` where the machine has no such setting
/// (Thru and Neighbor have none; Pickup only TSTR and TSNS).
pub fn machine_setup(m: MachineType, i: usize) -> Option<SetupParam> {
    const FLEX: [SetupParam; 6] = [
        sp("LOOP", SetupDisplay::Choice(LOOP_MODES), 3),
        sp("SLIC", SetupDisplay::Choice(OFF_ON), 1),
        sp("LEN", SetupDisplay::Choice(LEN_MODES), 1),
        sp("RATE", SetupDisplay::Choice(RATE_MODES), 1),
        sp("TSTR", SetupDisplay::Choice(TSTR_MODES), 3),
        sp("TSNS", SetupDisplay::Number, 127),
    ];
    match m {
        MachineType::Static | MachineType::Flex => FLEX.get(i).copied(),
        MachineType::Pickup if i >= 4 => FLEX.get(i).copied(),
        _ => None,
    }
}

/// Names of the LFO setup bytes in storage order: LFO-A (PMTR1-3, WAVE1-3) then
/// LFO-B (MULT1-3, TRIG1-3).
pub const LFO_SETUP_NAMES: [&str; 12] = [
    "LFO1 PMTR",
    "LFO2 PMTR",
    "LFO3 PMTR",
    "LFO1 WAVE",
    "LFO2 WAVE",
    "LFO3 WAVE",
    "LFO1 MULT",
    "LFO2 MULT",
    "LFO3 MULT",
    "LFO1 TRIG",
    "LFO2 TRIG",
    "LFO3 TRIG",
];

fn lfo_setup(i: usize, dest: SetupDisplay, dest_max: u8) -> Option<SetupParam> {
    let name = *LFO_SETUP_NAMES.get(i)?;
    Some(match i {
        0..=2 => sp(name, dest, dest_max),
        3..=5 => sp(name, SetupDisplay::Choice(LFO_WAVES), choice_max(LFO_WAVES)),
        6..=8 => sp(name, SetupDisplay::Choice(LFO_MULTS), choice_max(LFO_MULTS)),
        _ => sp(
            name,
            SetupDisplay::Choice(LFO_TRIG_MODES),
            choice_max(LFO_TRIG_MODES),
        ),
    })
}

/// LFO setup byte `i` (0..12, see [`LFO_SETUP_NAMES`]) of an audio track.
pub fn audio_lfo_setup(machine: MachineType, fx1: u8, fx2: u8, i: usize) -> Option<SetupParam> {
    lfo_setup(i, SetupDisplay::AudioLfoDest { machine, fx1, fx2 }, 29)
}

/// LFO setup byte `i` (0..12) of a MIDI track.
pub fn midi_lfo_setup(i: usize) -> Option<SetupParam> {
    lfo_setup(i, SetupDisplay::MidiLfoDest, 29)
}

/// AMP setup bytes (otio names; byte 5 unused). Value names are not known: shown as stored.
pub const AMP_SETUP: [SetupParam; 5] = [
    sp("AMP", SetupDisplay::Number, 127),
    sp("SYNC", SetupDisplay::Number, 127),
    sp("ATCK", SetupDisplay::Number, 127),
    sp("FX1", SetupDisplay::Number, 127),
    sp("FX2", SetupDisplay::Number, 127),
];

/// FX setup byte `i` (0..6) of an FX slot: names per FX type are not known, so `SET1`..`SET6`
/// shown as stored.
pub fn fx_setup(i: usize) -> Option<SetupParam> {
    const N: [&str; 6] = ["SET1", "SET2", "SET3", "SET4", "SET5", "SET6"];
    N.get(i).map(|n| sp(n, SetupDisplay::Number, 127))
}

/// MIDI NOTE setup: CHAN, BANK, PROG, SBANK (bytes 0, 1, 2, 4 of the NOTE setup).
pub const MIDI_NOTE_SETUP: [SetupParam; 4] = [
    sp("CHAN", SetupDisplay::Plus1, 15),
    sp("BANK", SetupDisplay::Off128, 128),
    sp("PROG", SetupDisplay::Off128, 128),
    sp("SBANK", SetupDisplay::Off128, 128),
];

/// MIDI ARP setup LEN (arp sequence length; shown as stored: whether the device shows it
/// + 1 is not known).
pub const ARP_LEN: SetupParam = sp("ARP LEN", SetupDisplay::Number, 15);
/// MIDI ARP setup KEY (0 = OFF).
pub const ARP_KEY: SetupParam = sp("ARP KEY", SetupDisplay::ArpKey, 24);
/// A MIDI CC number assignment.
pub const CC_NUMBER: SetupParam = sp("CC NUMBER", SetupDisplay::Number, 127);
/// One step of an arp note sequence: a signed note offset −63..+63 (format doc §4.13).
pub const ARP_NOTE: SetupParam = sp("ARP NOTE", SetupDisplay::Signed, 255);
/// One step of a custom LFO design: a signed value −128..+127 (format doc §4.13).
pub const LFO_STEP: SetupParam = sp("LFO STEP", SetupDisplay::Signed, 255);

/// Recorder setup bytes in storage order (format doc §4.10.5).
pub const RECORDER_SETUP: [SetupParam; 12] = [
    sp("INAB", SetupDisplay::Choice(REC_INPUTS), 3),
    sp("INCD", SetupDisplay::Choice(REC_INPUTS_CD), 3),
    sp("RLEN", SetupDisplay::RecLength, 64),
    sp("TRIG", SetupDisplay::Choice(REC_TRIG), 2),
    sp("SRC3", SetupDisplay::Src3, 9),
    sp("LOOP", SetupDisplay::Choice(OFF_ON), 1),
    sp("FIN", SetupDisplay::Number, 127),
    sp("FOUT", SetupDisplay::Number, 127),
    sp("AB GAIN", SetupDisplay::Number, 127),
    sp("QREC", SetupDisplay::Quantize, 16),
    sp("QPL", SetupDisplay::Quantize, 16),
    sp("CD GAIN", SetupDisplay::Number, 127),
];

/// Every setup value with a context-free display, and the LFO setups of every machine and
/// MIDI track (for round-trip checks).
pub fn all_setup_params() -> Vec<SetupParam> {
    let mut v = Vec::new();
    for m in [
        MachineType::Static,
        MachineType::Flex,
        MachineType::Thru,
        MachineType::Neighbor,
        MachineType::Pickup,
    ] {
        v.extend((0..6).filter_map(|i| machine_setup(m, i)));
        for f in params::FX_TYPES {
            v.extend((0..12).filter_map(|i| audio_lfo_setup(m, f.code, f.code, i)));
        }
    }
    v.extend((0..12).filter_map(midi_lfo_setup));
    v.extend(AMP_SETUP);
    v.extend((0..6).filter_map(fx_setup));
    v.extend(MIDI_NOTE_SETUP);
    v.extend([ARP_LEN, ARP_KEY, CC_NUMBER, ARP_NOTE, LFO_STEP]);
    v.extend(RECORDER_SETUP);
    v
}

impl SetupParam {
    /// The value `delta` display steps away from `v` in display order (OFF before PLEN for
    /// quantization), clamped to the ends; a value off the list starts from the nearest end.
    pub fn stepped(&self, v: u8, delta: i64) -> u8 {
        let order: Vec<u8> = match self.display {
            SetupDisplay::Quantize => std::iter::once(255).chain(0..=self.max).collect(),
            SetupDisplay::Signed => (-128i16..=127).map(|s| s as i8 as u8).collect(),
            _ => (0..=self.max).collect(),
        };
        let last = order.len() as i64 - 1;
        let i = order
            .iter()
            .position(|&o| o == v)
            .map_or(if delta < 0 { last + 1 } else { -1 }, |i| i as i64);
        order[(i + delta).clamp(0, last) as usize]
    }
}

/// A custom LFO design step as its signed value.
pub fn lfo_step_value(stored: u8) -> i8 {
    stored as i8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setup_value_shows_and_parses_back() {
        let all = all_setup_params();
        assert!(all.len() > 100);
        for p in all {
            for v in p.display.values(p.max) {
                let shown = p.show(v);
                assert_eq!(p.parse(&shown), Ok(v), "{}: {v} shown {shown:?}", p.name);
                assert_eq!(
                    p.parse(&shown.to_lowercase()),
                    Ok(v),
                    "{}: {shown:?} lower case",
                    p.name
                );
                assert_eq!(p.parse(&format!("#{v}")), Ok(v), "{}: #{v}", p.name);
            }
        }
    }

    #[test]
    fn a_bare_number_is_a_displayed_value_never_a_stored_byte() {
        // Flex LOOP shows OFF / ON / PIPO (stored 0..2): `1` is not one of them.
        let lp = machine_setup(MachineType::Flex, 0).unwrap();
        assert_eq!(lp.parse("on"), Ok(1));
        assert_eq!(lp.parse("#1"), Ok(1));
        let e = lp.parse("1").unwrap_err().to_string();
        assert!(e.contains("#0..") && e.contains("got \"1\""), "{e}");
        // Recorder RLEN shows 16 for the stored 8: `16` is the displayed value, `8` is not one.
        assert_eq!(RECORDER_SETUP[10].parse("16"), Ok(8));
        assert_eq!(RECORDER_SETUP[10].parse("#8"), Ok(8));
    }

    #[test]
    fn names_of_the_blank_parts_setup_values() {
        // Blank part (device file R1): Flex SETUP 1,0,0,0,1,64; recorder 1,1,64,0,0,1,..,255,255.
        let shown: Vec<String> = [1, 0, 0, 0, 1, 64]
            .iter()
            .enumerate()
            .map(|(i, &v)| machine_setup(MachineType::Flex, i).unwrap().show(v))
            .collect();
        assert_eq!(shown, ["ON", "OFF", "OFF", "PTCH", "AUTO", "64"]);
        assert_eq!(RECORDER_SETUP[2].show(64), "MAX");
        assert_eq!(RECORDER_SETUP[9].show(255), "OFF");
        assert_eq!(RECORDER_SETUP[9].show(0), "PLEN");
        assert_eq!(RECORDER_SETUP[10].show(8), "16");
        assert_eq!(RECORDER_SETUP[4].show(9), "MAIN");
        assert_eq!(RECORDER_SETUP[1].show(1), "C+D");
        assert!(machine_setup(MachineType::Thru, 0).is_none());
        assert!(machine_setup(MachineType::Pickup, 0).is_none());
        assert_eq!(machine_setup(MachineType::Pickup, 4).unwrap().name, "TSTR");
    }

    #[test]
    fn note_lengths_and_signed_steps() {
        assert_eq!(note_length(6), "1/16");
        assert_eq!(note_length(3), "1/32");
        assert_eq!(note_length(12), "1/8");
        assert_eq!(note_length(18), "3/16");
        assert_eq!(note_length(96), "1/1");
        assert_eq!(note_length(127), "INF");
        let nlen = params::midi_param(17).unwrap();
        assert_eq!(nlen.show(6), "1/16");
        assert_eq!(nlen.parse("1/8"), Ok(12));
        assert_eq!(params::midi_param(14).unwrap().show(1), "UP");
        assert_eq!(LFO_STEP.show(0xFF), "-1");
        assert_eq!(LFO_STEP.show(0x80), "-128");
        assert_eq!(LFO_STEP.parse("+5"), Ok(5));
        assert_eq!(LFO_STEP.parse("-2"), Ok(0xFE));
    }

    #[test]
    fn sample_slot_modes_by_name() {
        assert_eq!(slot_loop_name(LoopMode::Off), "OFF");
        assert_eq!(slot_loop_name(LoopMode::Normal), "ON");
        assert_eq!(slot_loop_name(LoopMode::PingPong), "PIPO");
        assert_eq!(slot_loop_name(LoopMode::Other(3)), "#3");
        assert_eq!(slot_tstr_name(TimeStretch::Off), "OFF");
        assert_eq!(slot_tstr_name(TimeStretch::Normal), "NORM");
        assert_eq!(slot_tstr_name(TimeStretch::Beat), "BEAT");
        assert_eq!(slot_tstr_name(TimeStretch::Other(1)), "#1");
        assert_eq!(slot_tstr_name(TimeStretch::Other(-5)), "#-5");
    }

    #[test]
    fn steps_follow_the_display_order() {
        let q = RECORDER_SETUP[9];
        assert_eq!(q.stepped(255, 1), 0);
        assert_eq!(q.stepped(0, -1), 255);
        assert_eq!(q.stepped(16, 1), 16);
        assert_eq!(LFO_STEP.stepped(127, 1), 127);
        assert_eq!(LFO_STEP.stepped(0, -1), 0xFF);
        assert_eq!(LFO_STEP.stepped(0x80, -1), 0x80);
        let lp = machine_setup(MachineType::Flex, 0).unwrap();
        assert_eq!(lp.stepped(3, 1), 3);
        assert_eq!(lp.stepped(9, -1), 3, "off the list: from the top");
    }

    #[test]
    fn lfo_destinations_by_parameter_name() {
        let p = audio_lfo_setup(MachineType::Flex, 4, 8, 0).unwrap();
        assert_eq!(p.show(15), "AMP VOL");
        assert_eq!(p.parse("amp vol"), Ok(15));
        assert_eq!(p.show(18), "FX1 BASE");
        assert_eq!(midi_lfo_setup(1).unwrap().show(0), "NOTE NOTE");
        assert_eq!(
            audio_lfo_setup(MachineType::Flex, 4, 8, 3).unwrap().show(1),
            "ITRI"
        );
        assert_eq!(
            audio_lfo_setup(MachineType::Flex, 4, 8, 3)
                .unwrap()
                .show(13),
            "T3"
        );
        let e = RECORDER_SETUP[3].parse("TWICE").unwrap_err();
        assert_eq!(
            e.to_string(),
            "TRIG takes ONE, ONE2, HOLD (or a stored value #0..#2), got \"TWICE\""
        );
    }
}
