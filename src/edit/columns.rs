//! The sub-columns of a track in the grid, their widths, labels and cell text.

use crate::edit::document::{LOCKS, STEPS, is_midi};
use crate::format::bank::{Bank, NO_LOCK};
use crate::format::params::{ParamInfo, audio_param, midi_param};
use crate::format::{MachineType, StepWord, TrigCondition};
use std::collections::BTreeSet;

/// One sub-column of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Col {
    /// Trig kind.
    Trig,
    /// Note: PTCH lock (audio) or NOTE lock (MIDI).
    Note,
    /// A p-lock byte of the 32-byte record.
    Lock(u8),
    /// Trig condition.
    Cond,
    /// Micro-timing.
    Micro,
    /// Retrig / repeat count.
    Retrig,
    /// One-shot flag (audio).
    OneShot,
    /// Slide flag (audio).
    Slide,
    /// Swing flag.
    Swing,
}

impl Col {
    /// Width in cells.
    pub fn width(self) -> u16 {
        match self {
            Col::Trig | Col::Retrig | Col::OneShot | Col::Slide | Col::Swing => 1,
            Col::Note | Col::Micro => 3,
            Col::Lock(_) => 4,
            Col::Cond => 5,
        }
    }
}

/// What the grid needs to know about a track's machine to name and show its locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackKind {
    /// Track 0..16.
    pub track: usize,
    /// Machine (audio tracks).
    pub machine: MachineType,
    /// FX1 type code.
    pub fx1: u8,
    /// FX2 type code.
    pub fx2: u8,
    /// CC numbers assigned to CC1..CC10 in the part's MIDI setup (MIDI tracks).
    pub cc: [u8; 10],
}

/// Lock bytes of a MIDI track's CC1..CC10 (CTRL1 page CC1-4, CTRL2 page CC5-10).
const MIDI_CC_LOCKS: std::ops::RangeInclusive<u8> = 20..=29;

impl TrackKind {
    /// The track's kind in a pattern's part.
    pub fn of(bank: &Bank, part: usize, track: usize) -> Self {
        let p = bank.part(part);
        if track < 8 {
            Self {
                track,
                machine: p.map_or(MachineType::Flex, |p| p.machine_type(track)),
                fx1: p.map_or(0, |p| p.fx1_type(track)),
                fx2: p.map_or(0, |p| p.fx2_type(track)),
                cc: [0; 10],
            }
        } else {
            Self {
                track,
                machine: MachineType::Unknown(255),
                fx1: 0,
                fx2: 0,
                cc: p
                    .and_then(|p| p.midi_setups.get(track - 8))
                    .map_or([0; 10], |m| m.cc_numbers()),
            }
        }
    }

    /// A track's kind when its bank cannot be read (Flex, no FX, no CC assignments).
    pub fn fallback(track: usize) -> Self {
        Self {
            track,
            machine: MachineType::Flex,
            fx1: 0,
            fx2: 0,
            cc: [0; 10],
        }
    }

    /// The device's metadata of a lock byte (name, page, display), if the byte is used.
    pub fn param(&self, idx: u8) -> Option<ParamInfo> {
        if is_midi(self.track) {
            midi_param(idx as usize)
        } else {
            audio_param(self.machine, self.fx1, self.fx2, idx as usize)
        }
    }

    /// The short name of a lock byte as the device shows it (`L<n>` for unused bytes). A MIDI
    /// track's CC1..CC10 locks are named by the CC number the part assigns them (`CC74`, `C120`).
    pub fn lock_name(&self, idx: u8) -> String {
        if is_midi(self.track) && MIDI_CC_LOCKS.contains(&idx) {
            let n = self.cc[usize::from(idx - MIDI_CC_LOCKS.start())];
            return if n < 100 {
                format!("CC{n}")
            } else {
                format!("C{n}")
            };
        }
        self.param(idx)
            .map_or_else(|| format!("L{idx}"), |p| p.name.to_string())
    }

    /// A lock value as the device shows it.
    pub fn lock_value(&self, idx: u8, v: u8) -> String {
        self.param(idx).map_or_else(|| v.to_string(), |p| p.show(v))
    }

    /// Parses a lock column name typed by the user (`STRT`, a byte number 0-31, or on MIDI
    /// tracks `CC74` for the slot assigned CC 74, else the slot name `CC3`).
    pub fn parse_lock(&self, text: &str) -> Option<u8> {
        let t = text.trim();
        if let Ok(n) = t.parse::<u8>() {
            return (n < LOCKS as u8).then_some(n);
        }
        (0..LOCKS as u8)
            .find(|i| self.lock_name(*i).eq_ignore_ascii_case(t))
            .or_else(|| {
                (0..LOCKS as u8).find(|&i| {
                    self.param(i)
                        .is_some_and(|p| p.name.eq_ignore_ascii_case(t))
                })
            })
    }

    /// The column that shows notes, which is not repeated as a lock column.
    fn note_lock(&self) -> u8 {
        0
    }

    /// The columns of this track: fixed ones plus a lock column for every byte locked anywhere
    /// in `locked`, plus `extra`, minus `hidden`.
    pub fn columns(
        &self,
        locked: &BTreeSet<u8>,
        extra: &BTreeSet<u8>,
        hidden: &BTreeSet<u8>,
    ) -> Vec<Col> {
        let mut v = vec![Col::Trig, Col::Note];
        let mut locks: BTreeSet<u8> = locked.union(extra).copied().collect();
        if is_midi(self.track) {
            // VEL and LEN always show on MIDI tracks.
            locks.insert(1);
            locks.insert(2);
        }
        locks.remove(&self.note_lock());
        for i in locks {
            if !hidden.contains(&i) {
                v.push(Col::Lock(i));
            }
        }
        v.extend([Col::Cond, Col::Micro, Col::Retrig]);
        if !is_midi(self.track) {
            v.extend([Col::OneShot, Col::Slide]);
        }
        v.push(Col::Swing);
        v
    }

    /// A column's header label.
    pub fn label(&self, col: Col) -> String {
        match col {
            Col::Trig => "T".into(),
            Col::Note => {
                if is_midi(self.track) {
                    "NOT".into()
                } else {
                    "PCH".into()
                }
            }
            Col::Lock(i) => self.lock_name(i),
            Col::Cond => "COND".into(),
            Col::Micro => "MIC".into(),
            Col::Retrig => "R".into(),
            Col::OneShot => "O".into(),
            Col::Slide => "S".into(),
            Col::Swing => "W".into(),
        }
    }
}

/// Names people type for a parameter the device names otherwise: (typed, FX, device name,
/// what it is).
const ALIASES: &[(&str, &str, &str, &str)] = &[
    ("FREQ CUTOFF", "FILTER", "BASE", "base frequency"),
    ("RES", "FILTER", "Q", "resonance"),
    ("FREQ", "DELAY", "BASE", "filter base frequency"),
];

impl TrackKind {
    /// The FX name of an FX page's lock byte (`FILTER` for byte 18 with FX1 = FILTER).
    fn fx_of(&self, idx: u8) -> Option<&'static str> {
        if is_midi(self.track) {
            return None;
        }
        match idx {
            18..=23 => Some(crate::format::params::fx_name(self.fx1)),
            24..=29 => Some(crate::format::params::fx_name(self.fx2)),
            _ => None,
        }
    }

    /// The lock columns this track can show, as (name to type, description): every lock byte
    /// its machine, FX and MIDI setup name (`BASE`, `FX1 FILTER BASE: base frequency (FREQ)`).
    pub fn lock_choices(&self) -> Vec<(String, String)> {
        (0..LOCKS as u8)
            .filter(|&i| i != self.note_lock())
            .filter_map(|i| {
                let p = self.param(i)?;
                let name = self.lock_name(i);
                let mut d = match self.fx_of(i) {
                    Some(fx) => format!("{} {fx} {}", p.page.name(), p.name),
                    None if p.page.name() == p.name => p.name.to_string(),
                    None => p.label(),
                };
                if let Some(fx) = self.fx_of(i) {
                    for (typed, afx, dev, what) in ALIASES {
                        if *afx == fx && *dev == p.name {
                            d.push_str(&format!(
                                ": {what} ({})",
                                typed.split(' ').collect::<Vec<_>>().join(", ")
                            ));
                        }
                    }
                }
                if name != p.name {
                    d.push_str(&format!(" ({})", p.name));
                }
                Some((name, d))
            })
            .collect()
    }

    /// Why a typed lock name is not one of this track's: the device's name when it is a common
    /// other name (`FREQ` on a FILTER: `BASE`), else the names to choose from.
    pub fn unknown_lock(&self, text: &str) -> String {
        let t = text.trim();
        for i in 18..=29u8 {
            let (Some(fx), Some(p)) = (self.fx_of(i), self.param(i)) else {
                continue;
            };
            if let Some((_, _, _, what)) = ALIASES.iter().find(|(ty, afx, dev, _)| {
                ty.split(' ').any(|w| w.eq_ignore_ascii_case(t)) && *afx == fx && *dev == p.name
            }) {
                return format!(
                    "no parameter `{t}`: the {fx}'s {what} is called {} on the device ({} {fx} {})",
                    p.name,
                    p.page.name(),
                    p.name
                );
            }
        }
        let names: Vec<String> = self.lock_choices().into_iter().map(|(n, _)| n).collect();
        format!("no parameter `{t}` (this track has {})", names.join(" "))
    }
}

/// A column's full name for the cursor line: `TRIG`, `PTCH`/`NOTE`, the lock's parameter
/// name, `COND`, `MICRO`, `RETRIG`, `ONESHOT`, `SLIDE`, `SWING`.
pub fn column_name(kind: &TrackKind, col: Col) -> String {
    match col {
        Col::Trig => "TRIG".into(),
        Col::Note if is_midi(kind.track) => "NOTE".into(),
        Col::Note => "PTCH".into(),
        Col::Lock(i) => kind.lock_name(i),
        Col::Cond => "COND".into(),
        Col::Micro => "MICRO".into(),
        Col::Retrig => "RETRIG".into(),
        Col::OneShot => "ONESHOT".into(),
        Col::Slide => "SLIDE".into(),
        Col::Swing => "SWING".into(),
    }
}

/// Bytes locked anywhere on a track of a pattern.
pub fn locked_bytes(bank: &Bank, pattern: usize, track: usize) -> BTreeSet<u8> {
    let Some(p) = bank.pattern(pattern) else {
        return BTreeSet::new();
    };
    let recs = if track < 8 {
        &p.audio[track].plocks
    } else {
        &p.midi[track - 8].plocks
    };
    let mut bits = 0u32;
    for step in 0..STEPS {
        if let Some(r) = recs.record(step) {
            for (i, v) in r.0.iter().enumerate() {
                if *v != NO_LOCK {
                    bits |= 1 << i;
                }
            }
        }
    }
    (0..LOCKS as u8).filter(|i| bits & (1 << i) != 0).collect()
}

/// Short condition text (at most 5 chars): `FILL`, `!PRE`, `50%`, `3:4`.
pub fn cond_text(c: TrigCondition) -> String {
    crate::symbols::condition_text(c)
}

/// Micro-timing text (`+12`, `-3`, empty for 0).
pub fn micro_text(w: StepWord) -> String {
    match w.micro_timing().0 {
        0 => String::new(),
        m => format!("{m:+}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midi_cc_lock_columns_are_named_by_their_assigned_cc_numbers() {
        let mut bank = Bank::blank();
        let m1 = TrackKind::of(&bank, 0, 8);
        // The device's default assignments: CC1-4 = 7, 1, 2, 10; CC5-10 = 71..76.
        let names: Vec<String> = (20..=29).map(|i| m1.lock_name(i)).collect();
        assert_eq!(
            names,
            [
                "CC7", "CC1", "CC2", "CC10", "CC71", "CC72", "CC73", "CC74", "CC75", "CC76"
            ]
        );
        assert_eq!(m1.lock_name(1), "VEL");
        assert_eq!(m1.parse_lock("cc74"), Some(27));
        // A slot name that no assigned number shadows still works.
        assert_eq!(m1.parse_lock("CC9"), Some(28));

        let part = bank.part_mut(0).expect("part 1");
        part.midi_setups[0]
            .set_cc_number(1, 120)
            .expect("CC1 := 120");
        let m1 = TrackKind::of(&bank, 0, 8);
        assert_eq!(m1.lock_name(20), "C120");
        assert_eq!(m1.label(Col::Lock(20)), "C120");
        // Other MIDI tracks keep their own assignments; audio tracks are unaffected.
        assert_eq!(TrackKind::of(&bank, 0, 9).lock_name(20), "CC7");
        let t1 = TrackKind::of(&bank, 0, 0);
        assert_eq!(
            t1.lock_name(20),
            t1.param(20).map_or("L20".into(), |p| p.name.to_string())
        );
    }
}
