//! The sub-columns of a track in the grid, their widths, labels and cell text.

use crate::format::bank::Bank;
use crate::format::params::{ParamInfo, audio_param, midi_param};
use crate::format::{MachineType, StepWord, TrigCondition};
use crate::ui::model::{LOCKS, STEPS, is_midi};
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
}

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
            }
        } else {
            Self {
                track,
                machine: MachineType::Unknown(255),
                fx1: 0,
                fx2: 0,
            }
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

    /// The short name of a lock byte as the device shows it (`L<n>` for unused bytes).
    pub fn lock_name(&self, idx: u8) -> String {
        self.param(idx)
            .map_or_else(|| format!("L{idx}"), |p| p.name.to_string())
    }

    /// A lock value as the device shows it.
    pub fn lock_value(&self, idx: u8, v: u8) -> String {
        self.param(idx).map_or_else(|| v.to_string(), |p| p.show(v))
    }

    /// Parses a lock column name typed by the user (`STRT`, `cc3`, or a byte number 0-31).
    pub fn parse_lock(&self, text: &str) -> Option<u8> {
        let t = text.trim();
        if let Ok(n) = t.parse::<u8>() {
            return (n < LOCKS as u8).then_some(n);
        }
        (0..LOCKS as u8).find(|i| self.lock_name(*i).eq_ignore_ascii_case(t))
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

/// Bytes locked anywhere on a track of a pattern.
pub fn locked_bytes(bank: &Bank, pattern: usize, track: usize) -> BTreeSet<u8> {
    let mut set = BTreeSet::new();
    let Some(p) = bank.pattern(pattern) else {
        return set;
    };
    let recs = if track < 8 {
        &p.audio[track].plocks
    } else {
        &p.midi[track - 8].plocks
    };
    for step in 0..STEPS {
        if let Some(r) = recs.record(step) {
            for (i, _) in r.locks() {
                set.insert(i as u8);
            }
        }
    }
    set
}

/// Short condition text (at most 5 chars): `FILL`, `!PRE`, `50%`, `3:4`.
pub fn cond_text(c: TrigCondition) -> String {
    let s = c.to_string();
    match s.strip_prefix("NOT ") {
        Some(rest) => format!("!{rest}"),
        None if c == TrigCondition::None => String::new(),
        None => s,
    }
}

/// Micro-timing text (`+12`, `-3`, empty for 0).
pub fn micro_text(w: StepWord) -> String {
    match w.micro_timing().0 {
        0 => String::new(),
        m => format!("{m:+}"),
    }
}
