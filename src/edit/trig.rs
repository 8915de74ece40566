//! Editing one pattern: cells, steps and the trig rules, all through undoable document units.

use super::columns::Col;
use crate::edit::document::{Document, LOCKS, Loc, Mask, Unit, is_midi};
use crate::format::StepWord;
use crate::format::bank::NO_LOCK;

/// The empty value of a cell (see [`cell_get`]).
pub const EMPTY: u16 = u16::MAX;

/// A pattern in a bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct At {
    /// Bank 0..16.
    pub bank: usize,
    /// Pattern 0..16.
    pub pattern: usize,
}

/// Trig kind of a step as the grid shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrigKind {
    /// No trig.
    None,
    /// A sample / note trig.
    Trig,
    /// A trigless trig.
    Trigless,
    /// A p-lock-only trig.
    Lock,
}

/// The masks a step carries besides swing.
const STEP_MASKS: [Mask; 5] = [
    Mask::Trig,
    Mask::Trigless,
    Mask::LockOnly,
    Mask::OneShot,
    Mask::Slide,
];

/// Everything stored for one step of one track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepData {
    /// Trig, trigless, lock-only, one-shot, slide, swing bits.
    pub masks: [bool; 6],
    /// Lock bytes.
    pub locks: [u8; LOCKS],
    /// Repeat / micro-timing / condition word.
    pub word: u16,
    /// Recorder trig bits (audio tracks; see [`crate::format::bank::RecorderTrig::bits`]).
    pub recorder: u8,
}

impl StepData {
    /// An empty step (swing bit kept by callers that care).
    pub const EMPTY: Self = Self {
        masks: [false; 6],
        locks: [NO_LOCK; LOCKS],
        word: 0,
        recorder: 0,
    };
}

impl At {
    /// A unit's location in this pattern.
    pub fn loc(self, unit: Unit) -> Loc {
        Loc {
            bank: self.bank as u8,
            pattern: self.pattern as u8,
            unit,
        }
    }

    /// Reads a unit.
    pub fn get(self, doc: &Document, unit: Unit) -> u16 {
        doc.get(self.loc(unit))
    }

    /// Writes a unit (recorded for undo).
    pub fn set(self, doc: &mut Document, unit: Unit, v: u16) -> bool {
        doc.set(self.loc(unit), v)
    }

    /// A mask bit.
    pub fn mask(self, doc: &Document, track: usize, mask: Mask, step: usize) -> bool {
        self.get(doc, mask_unit(track, mask, step)) != 0
    }

    /// Sets a mask bit.
    pub fn set_mask(self, doc: &mut Document, track: usize, mask: Mask, step: usize, on: bool) {
        self.set(doc, mask_unit(track, mask, step), on as u16);
    }

    /// A lock byte (`None`: not locked).
    pub fn lock(self, doc: &Document, track: usize, step: usize, idx: u8) -> Option<u8> {
        let v = self.get(doc, lock_unit(track, step, idx)) as u8;
        (v != NO_LOCK).then_some(v)
    }

    /// The step word.
    pub fn word(self, doc: &Document, track: usize, step: usize) -> StepWord {
        StepWord(self.get(doc, word_unit(track, step)))
    }

    /// Changes the step word.
    pub fn edit_word(
        self,
        doc: &mut Document,
        track: usize,
        step: usize,
        f: impl FnOnce(&mut StepWord),
    ) {
        let mut w = self.word(doc, track, step);
        f(&mut w);
        self.set(doc, word_unit(track, step), w.0);
    }

    /// The trig kind of a step.
    pub fn trig_kind(self, doc: &Document, track: usize, step: usize) -> TrigKind {
        if self.mask(doc, track, Mask::Trig, step) {
            TrigKind::Trig
        } else if self.mask(doc, track, Mask::Trigless, step) {
            TrigKind::Trigless
        } else if self.mask(doc, track, Mask::LockOnly, step) {
            TrigKind::Lock
        } else {
            TrigKind::None
        }
    }

    /// True when the step has any lock.
    pub fn has_locks(self, doc: &Document, track: usize, step: usize) -> bool {
        (0..LOCKS as u8).any(|i| self.lock(doc, track, step, i).is_some())
    }

    /// Toggles a trig (`Mask::Trig`) or trigless trig (`Mask::Trigless`). Removing a trig that
    /// carries locks leaves a lock trig, so no lock is lost.
    pub fn toggle_trig(self, doc: &mut Document, track: usize, step: usize, mask: Mask) {
        let on = self.mask(doc, track, mask, step);
        if on {
            self.set_mask(doc, track, mask, step, false);
            let kind = self.trig_kind(doc, track, step);
            if kind == TrigKind::None && self.has_locks(doc, track, step) {
                self.set_mask(doc, track, Mask::LockOnly, step, true);
            }
        } else {
            for m in [Mask::Trig, Mask::Trigless, Mask::LockOnly] {
                self.set_mask(doc, track, m, step, m == mask);
            }
        }
    }

    /// Sets or clears a lock, keeping the trig rules: a lock on an empty step makes a lock trig;
    /// clearing the last lock of a lock trig removes it.
    pub fn set_lock(self, doc: &mut Document, track: usize, step: usize, idx: u8, v: Option<u8>) {
        self.set(
            doc,
            lock_unit(track, step, idx),
            v.unwrap_or(NO_LOCK) as u16,
        );
        let kind = self.trig_kind(doc, track, step);
        match v {
            Some(_) if kind == TrigKind::None => {
                self.set_mask(doc, track, Mask::LockOnly, step, true)
            }
            None if kind == TrigKind::Lock && !self.has_locks(doc, track, step) => {
                self.set_mask(doc, track, Mask::LockOnly, step, false)
            }
            _ => {}
        }
    }

    /// Enters a note (MIDI note number): the NOTE lock on MIDI tracks, the PTCH lock relative to
    /// C-4 on audio tracks; places a trig when the step has none.
    pub fn set_note(self, doc: &mut Document, track: usize, step: usize, note: u8) {
        let v = if is_midi(track) {
            note.min(127)
        } else {
            (64 + note as i16 - 60).clamp(0, 127) as u8
        };
        self.set(doc, lock_unit(track, step, 0), v as u16);
        if self.trig_kind(doc, track, step) != TrigKind::Trig {
            for m in [Mask::Trig, Mask::Trigless, Mask::LockOnly] {
                self.set_mask(doc, track, m, step, m == Mask::Trig);
            }
        }
    }

    /// The absolute note of chord column `index` (1..=3 = NOT2..NOT4) of a MIDI step: NOTE plus
    /// the stored offset, when both are locked and the offset adds a note.
    pub fn chord_note(self, doc: &Document, track: usize, step: usize, index: u8) -> Option<u8> {
        if !is_midi(track) || !(1..=3).contains(&index) {
            return None;
        }
        let root = self.lock(doc, track, step, 0)?;
        let off = self.lock(doc, track, step, 2 + index)? as i16 - 64;
        let n = root as i16 + off;
        (off != 0 && (0..=127).contains(&n)).then_some(n as u8)
    }

    /// Enters an absolute note in chord column `index` (1..=3) of a MIDI step; it is stored as
    /// an offset from the step's NOTE (a step without a NOTE lock gets `note` as its NOTE
    /// instead, and a trig). Refused when the note is more than -64..+63 from NOTE.
    pub fn set_chord_note(
        self,
        doc: &mut Document,
        track: usize,
        step: usize,
        index: u8,
        note: u8,
    ) -> Result<(), String> {
        if !is_midi(track) || !(1..=3).contains(&index) {
            return Err("chord notes NOT2-NOT4 are on MIDI tracks".into());
        }
        let Some(root) = self.lock(doc, track, step, 0) else {
            self.set_note(doc, track, step, note);
            return Ok(());
        };
        let d = note as i16 - root as i16;
        if !(-64..=63).contains(&d) {
            return Err(format!(
                "{} is {d:+} semitones from the step's NOTE {}; a chord note is within -64..+63",
                crate::format::note_name(note),
                crate::format::note_name(root)
            ));
        }
        self.set_lock(doc, track, step, 2 + index, Some((64 + d) as u8));
        if self.trig_kind(doc, track, step) != TrigKind::Trig {
            for m in [Mask::Trig, Mask::Trigless, Mask::LockOnly] {
                self.set_mask(doc, track, m, step, m == Mask::Trig);
            }
        }
        Ok(())
    }

    /// The note of a step as a MIDI note number, when locked.
    pub fn note(self, doc: &Document, track: usize, step: usize) -> Option<u8> {
        let v = self.lock(doc, track, step, 0)?;
        Some(if is_midi(track) {
            v
        } else {
            (60 + v as i16 - 64).clamp(0, 127) as u8
        })
    }

    /// Reads a whole step.
    pub fn step(self, doc: &Document, track: usize, step: usize) -> StepData {
        let mut d = StepData::EMPTY;
        for (i, m) in STEP_MASKS.iter().chain([Mask::Swing].iter()).enumerate() {
            d.masks[i] = self.mask(doc, track, *m, step);
        }
        for i in 0..LOCKS {
            d.locks[i] = self.get(doc, lock_unit(track, step, i as u8)) as u8;
        }
        d.word = self.get(doc, word_unit(track, step));
        d.recorder = self.recorder(doc, track, step).bits();
        d
    }

    /// Writes a whole step (the swing bit only when `with_swing`).
    pub fn put_step(
        self,
        doc: &mut Document,
        track: usize,
        step: usize,
        d: &StepData,
        with_swing: bool,
    ) {
        for (i, m) in STEP_MASKS.iter().enumerate() {
            self.set_mask(doc, track, *m, step, d.masks[i]);
        }
        if with_swing {
            self.set_mask(doc, track, Mask::Swing, step, d.masks[5]);
        }
        for i in 0..LOCKS {
            self.set(doc, lock_unit(track, step, i as u8), d.locks[i] as u16);
        }
        self.set(doc, word_unit(track, step), d.word);
        for m in 0..4 {
            let unit = crate::edit::recorder::recorder_unit(track, m, step);
            self.set(doc, unit, (d.recorder >> m & 1) as u16);
        }
    }

    /// Clears a step: trigs, flags, locks, its word and its recorder trig (swing stays).
    pub fn clear_step(self, doc: &mut Document, track: usize, step: usize) {
        self.put_step(doc, track, step, &StepData::EMPTY, false);
    }

    /// A cell's value for block operations ([`EMPTY`] when empty): trig kind 1-3, lock byte,
    /// condition code, micro-timing + 32, repeat count, flag 1.
    pub fn cell_get(self, doc: &Document, track: usize, col: Col, step: usize) -> u16 {
        let w = || self.word(doc, track, step);
        let opt = |v: u16, empty: u16| if v == empty { EMPTY } else { v };
        match col {
            Col::Trig => match self.trig_kind(doc, track, step) {
                TrigKind::None => EMPTY,
                TrigKind::Trig => 1,
                TrigKind::Trigless => 2,
                TrigKind::Lock => 3,
            },
            Col::Note => opt(self.get(doc, lock_unit(track, step, 0)), NO_LOCK as u16),
            Col::Lock(i) => opt(self.get(doc, lock_unit(track, step, i)), NO_LOCK as u16),
            Col::Cond => opt(w().condition_code() as u16, 0),
            Col::Micro => opt((w().micro_timing().0 as i16 + 32) as u16, 32),
            Col::Retrig => opt(w().repeats() as u16, 1),
            Col::OneShot => opt(self.mask(doc, track, Mask::OneShot, step) as u16, 0),
            Col::Slide => opt(self.mask(doc, track, Mask::Slide, step) as u16, 0),
            Col::Swing => opt(self.mask(doc, track, Mask::Swing, step) as u16, 0),
        }
    }

    /// Writes a cell value as read by [`At::cell_get`] ([`EMPTY`] clears it).
    pub fn cell_set(self, doc: &mut Document, track: usize, col: Col, step: usize, v: u16) {
        match col {
            Col::Trig => match v {
                EMPTY => {
                    for m in [Mask::Trig, Mask::Trigless, Mask::LockOnly] {
                        self.set_mask(doc, track, m, step, false);
                    }
                    if self.has_locks(doc, track, step) {
                        self.set_mask(doc, track, Mask::LockOnly, step, true);
                    }
                }
                k => {
                    let want = match k {
                        1 => Mask::Trig,
                        2 => Mask::Trigless,
                        _ => Mask::LockOnly,
                    };
                    for m in [Mask::Trig, Mask::Trigless, Mask::LockOnly] {
                        self.set_mask(doc, track, m, step, m == want);
                    }
                }
            },
            Col::Note if v == EMPTY => self.set_lock(doc, track, step, 0, None),
            Col::Note => {
                // A note brings a trig, as when typed.
                self.set(doc, lock_unit(track, step, 0), v.min(254));
                if self.trig_kind(doc, track, step) != TrigKind::Trig {
                    for m in [Mask::Trig, Mask::Trigless, Mask::LockOnly] {
                        self.set_mask(doc, track, m, step, m == Mask::Trig);
                    }
                }
            }
            Col::Lock(i) => self.set_lock(
                doc,
                track,
                step,
                i,
                (v != EMPTY).then_some(v.min(254) as u8),
            ),
            Col::Cond => self.edit_word(doc, track, step, |w| {
                let c = if v == EMPTY { 0 } else { v as u8 };
                w.0 = (w.0 & !0x7F) | (c as u16 & 0x7F);
            }),
            Col::Micro => self.edit_word(doc, track, step, |w| {
                let m = if v == EMPTY { 0 } else { v as i16 - 32 };
                w.set_micro_timing(crate::format::MicroTiming(m.clamp(-23, 23) as i8));
            }),
            Col::Retrig => self.edit_word(doc, track, step, |w| {
                w.set_repeats(if v == EMPTY { 1 } else { v.clamp(1, 8) as u8 })
            }),
            Col::OneShot => self.set_mask(doc, track, Mask::OneShot, step, v != EMPTY && v != 0),
            Col::Slide => self.set_mask(doc, track, Mask::Slide, step, v != EMPTY && v != 0),
            Col::Swing => self.set_mask(doc, track, Mask::Swing, step, v != EMPTY && v != 0),
        }
    }
}

/// The unit of a mask bit.
pub fn mask_unit(track: usize, mask: Mask, step: usize) -> Unit {
    Unit::Mask {
        track: track as u8,
        mask,
        step: step as u8,
    }
}

/// The unit of a lock byte.
pub fn lock_unit(track: usize, step: usize, idx: u8) -> Unit {
    Unit::Lock {
        track: track as u8,
        step: step as u8,
        idx,
    }
}

/// The unit of a step word.
pub fn word_unit(track: usize, step: usize) -> Unit {
    Unit::Word {
        track: track as u8,
        step: step as u8,
    }
}
