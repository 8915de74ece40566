//! Typed edit commands of the pattern grid: each has arguments, a stable name and one help
//! text, all from one table ([`Kind`]); [`execute`] applies one to the document as one undo
//! step and says what it did.

use super::block::{self, Block, Clipboard};
use super::columns::Col;
use super::document::{Document, Mask, STEPS, Unit};
use super::trig::{At, EMPTY};
use crate::format::{MicroTiming, StepWord, TrigCondition};
use rand::SeedableRng;
use std::ops::RangeInclusive;

macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident => $name:literal, $help:literal;)*) => {
        /// What a command does, without its arguments: the name and help come from here.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($(#[$doc])* $kind,)*
        }

        impl Kind {
            /// Every kind, in help order.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind,)*];

            /// The stable name (what keymaps bind, after the view's prefix).
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$kind => $name,)*
                }
            }

            /// One line of help.
            pub fn help(self) -> &'static str {
                match self {
                    $(Kind::$kind => $help,)*
                }
            }
        }
    };
}

kinds! {
    /// Enter a note.
    Note => "note", "Enter a note at the cursor (NOTE on MIDI tracks, PTCH on audio tracks)";
    /// Enter a chord note.
    ChordNote => "chord_note", "Enter an absolute note in a chord column NOT2-NOT4 (stored as an offset from NOTE)";
    /// Toggle a trig.
    ToggleTrig => "toggle_trig", "Toggle a trig";
    /// Toggle a trigless trig.
    ToggleTrigless => "toggle_trigless", "Toggle a trigless (lock) trig";
    /// Set or clear one lock.
    SetLock => "set_lock", "Set a lock value (device units; #N for a stored byte) or clear it";
    /// Clear cells.
    Clear => "clear", "Clear the selected cells (or the cell at the cursor)";
    /// Clear whole steps.
    ClearStep => "clear_step", "Clear whole steps: trigs, locks, condition, micro-timing, recorder trigs";
    /// Set the condition.
    SetCondition => "set_condition", "Set the trig condition of the selected steps";
    /// Step through conditions.
    CycleCondition => "cycle_condition", "Step the trig condition to the next or previous one";
    /// Set micro-timing.
    SetMicro => "set_micro", "Set the micro-timing (-23..+23 in 1/384 notes)";
    /// Nudge micro-timing.
    NudgeMicro => "nudge_micro", "Nudge the micro-timing of the selected steps";
    /// Set the retrig count.
    SetRetrig => "set_retrig", "Set the retrig count (1..8) at the cursor";
    /// Nudge the retrig count.
    NudgeRetrig => "nudge_retrig", "Change the retrig count (1..8) of the selected steps";
    /// Toggle a flag.
    ToggleFlag => "toggle_flag", "Toggle a one-shot, slide or swing trig";
    /// Transpose notes.
    Transpose => "transpose", "Transpose the notes of the selection by semitones";
    /// Interpolate locks.
    Interpolate => "interpolate", "Interpolate each lock column between its first and last row";
    /// Randomize locks.
    Randomize => "randomize", "Set the locks of trigged steps to random values in a range";
    /// Fill every N steps.
    FillEvery => "fill_every", "Place a trig every N steps";
    /// Euclidean rhythm.
    Euclid => "euclid", "Write a euclidean rhythm over the track's length";
    /// Rotate steps.
    Rotate => "rotate", "Rotate whole steps down (or up), wrapping";
    /// Reverse steps.
    Reverse => "reverse", "Reverse whole steps";
    /// Double.
    Double => "double", "Spread steps to twice the distance (extends the track up to 64 steps)";
    /// Halve.
    Halve => "halve", "Squeeze steps to half the distance";
    /// Paste.
    Paste => "paste", "Paste copied cells by parameter at the cursor";
    /// Cut.
    Cut => "cut", "Copy the selection and clear it";
    /// Set the length.
    SetLength => "set_length", "Set the pattern's (or in PER TRACK mode the track's) length";
    /// Set the tempo.
    SetTempo => "set_tempo", "Set the pattern tempo";
    /// Assign a part.
    AssignPart => "assign_part", "Make the pattern use a part";
    /// Toggle a recorder trig source.
    ToggleRecorder => "toggle_recorder", "Toggle a recorder trig source (INAB, INCD, SRC3) at the cursor";
    /// Toggle a recorder trig's one-shot flag.
    ToggleRecorderOneShot => "toggle_recorder_oneshot", "Toggle the one-shot flag of the recorder trig at the cursor";
    /// Clear recorder trigs.
    ClearRecorder => "clear_recorder", "Clear the recorder trigs of the selected steps";
    /// Set a track setting.
    SetTrackSetting => "set_track_setting", "Set a track's sequencer setting (swing, trig mode, trig quant, start silent, plays free, one-shot track)";
}

/// A command with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A MIDI note number (C-4 = 60) at the cursor.
    Note(u8),
    /// An absolute note for chord column `index` (1..=3 = NOT2..NOT4) at the cursor.
    ChordNote {
        /// 1..=3.
        index: u8,
        /// MIDI note number.
        note: u8,
    },
    /// Toggle a trig at the cursor.
    ToggleTrig,
    /// Toggle a trigless trig at the cursor.
    ToggleTrigless,
    /// A lock byte at the cursor (`None` clears it).
    SetLock {
        /// Byte of the lock record.
        idx: u8,
        /// Stored value.
        value: Option<u8>,
    },
    /// Clear the block's cells.
    Clear,
    /// Clear the block's whole steps.
    ClearStep,
    /// Set the block's condition.
    SetCondition(TrigCondition),
    /// Step the block's condition by +-1.
    CycleCondition(i8),
    /// Set micro-timing at the cursor.
    SetMicro(i8),
    /// Nudge the block's micro-timing.
    NudgeMicro(i8),
    /// Set the retrig count at the cursor.
    SetRetrig(u8),
    /// Nudge the block's retrig count.
    NudgeRetrig(i8),
    /// Toggle a one-shot / slide / swing flag at the cursor.
    ToggleFlag(Mask),
    /// Transpose the block's notes.
    Transpose(i8),
    /// Interpolate the block's lock columns.
    Interpolate,
    /// Randomize the block's locks within stored bounds, from a seed.
    Randomize {
        /// Lowest stored value.
        lo: u8,
        /// Highest stored value.
        hi: u8,
        /// Seed of the random sequence (the same seed gives the same values).
        seed: u64,
    },
    /// A trig every N steps over the block's tracks.
    FillEvery(u8),
    /// Euclidean rhythm: hits over steps, rotated; repeated over the track's length.
    Euclid {
        /// Hits.
        hits: u8,
        /// Steps of one cycle.
        steps: u8,
        /// Rotation.
        rotation: u8,
    },
    /// Rotate the block's steps.
    Rotate(i8),
    /// Reverse the block's steps.
    Reverse,
    /// Double the block's steps.
    Double,
    /// Halve the block's steps.
    Halve,
    /// Paste a clipboard at the cursor, by parameter.
    Paste {
        /// What to paste.
        clip: Clipboard,
        /// Only fill empty cells.
        mix: bool,
    },
    /// Clear the block (the caller copied it).
    Cut,
    /// Pattern (or track) length in steps.
    SetLength(u8),
    /// Pattern tempo in BPM x 24.
    SetTempo(u16),
    /// Part 0..4.
    AssignPart(u8),
    /// Toggle one source of the recorder trig at the cursor (audio tracks).
    ToggleRecorder(crate::format::bank::RecorderSource),
    /// Toggle the one-shot flag of the recorder trig at the cursor (audio tracks).
    ToggleRecorderOneShot,
    /// Clear the recorder trigs of the block's audio steps.
    ClearRecorder,
    /// A track setting's stored byte, for the cursor's track.
    SetTrackSetting(super::recorder::Setting, u8),
}

impl Command {
    /// The kind (name and help) of this command.
    pub fn kind(&self) -> Kind {
        match self {
            Command::Note(_) => Kind::Note,
            Command::ChordNote { .. } => Kind::ChordNote,
            Command::ToggleTrig => Kind::ToggleTrig,
            Command::ToggleTrigless => Kind::ToggleTrigless,
            Command::SetLock { .. } => Kind::SetLock,
            Command::Clear => Kind::Clear,
            Command::ClearStep => Kind::ClearStep,
            Command::SetCondition(_) => Kind::SetCondition,
            Command::CycleCondition(_) => Kind::CycleCondition,
            Command::SetMicro(_) => Kind::SetMicro,
            Command::NudgeMicro(_) => Kind::NudgeMicro,
            Command::SetRetrig(_) => Kind::SetRetrig,
            Command::NudgeRetrig(_) => Kind::NudgeRetrig,
            Command::ToggleFlag(_) => Kind::ToggleFlag,
            Command::Transpose(_) => Kind::Transpose,
            Command::Interpolate => Kind::Interpolate,
            Command::Randomize { .. } => Kind::Randomize,
            Command::FillEvery(_) => Kind::FillEvery,
            Command::Euclid { .. } => Kind::Euclid,
            Command::Rotate(_) => Kind::Rotate,
            Command::Reverse => Kind::Reverse,
            Command::Double => Kind::Double,
            Command::Halve => Kind::Halve,
            Command::Paste { .. } => Kind::Paste,
            Command::Cut => Kind::Cut,
            Command::SetLength(_) => Kind::SetLength,
            Command::SetTempo(_) => Kind::SetTempo,
            Command::AssignPart(_) => Kind::AssignPart,
            Command::ToggleRecorder(_) => Kind::ToggleRecorder,
            Command::ToggleRecorderOneShot => Kind::ToggleRecorderOneShot,
            Command::ClearRecorder => Kind::ClearRecorder,
            Command::SetTrackSetting(..) => Kind::SetTrackSetting,
        }
    }
}

/// Where a command applies: the pattern, the cursor and the block (the selection, or what
/// the view chose when there is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The pattern.
    pub at: At,
    /// Cursor track 0..16.
    pub track: usize,
    /// Cursor step 0..64.
    pub step: usize,
    /// The cells the command works on.
    pub block: Block,
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// An argument is out of range.
    #[error("{0}")]
    Range(String),
    /// The command does not apply here.
    #[error("{0}")]
    NotHere(String),
}

/// The length of a track: its own in PER TRACK mode, else the pattern's.
pub fn track_len(doc: &Document, at: At, track: usize) -> usize {
    match doc.info(at.bank, at.pattern) {
        Some(i) if i.per_track => at.get(doc, Unit::TrackLength(track as u8)) as usize,
        Some(i) => i.length as usize,
        None => 16,
    }
}

/// Sets the length of a track (its own in PER TRACK mode, else the pattern's).
fn set_track_len(doc: &mut Document, at: At, track: usize, len: usize) {
    let per_track = doc.info(at.bank, at.pattern).is_some_and(|i| i.per_track);
    let unit = if per_track {
        Unit::TrackLength(track as u8)
    } else {
        Unit::Length
    };
    at.set(doc, unit, len.clamp(1, STEPS) as u16);
}

/// Applies a command as one undo step (labelled with its name); returns what it did, for the
/// status line (empty when there is nothing to say).
pub fn execute(doc: &mut Document, scope: &Scope, cmd: &Command) -> Result<String, CommandError> {
    let msg = run(doc, scope, cmd)?;
    doc.commit(cmd.kind().name());
    Ok(msg)
}

fn each_step(b: &Block, mut f: impl FnMut(usize, usize)) {
    for t in b.tracks() {
        for s in b.rows.clone() {
            f(t, s);
        }
    }
}

fn run(doc: &mut Document, sc: &Scope, cmd: &Command) -> Result<String, CommandError> {
    let (at, t, s, b) = (sc.at, sc.track, sc.step, &sc.block);
    let midi = super::document::is_midi(t);
    Ok(match cmd {
        Command::Note(n) => {
            if *n > 127 {
                return Err(CommandError::Range(format!("note {n} is out of 0..127")));
            }
            at.set_note(doc, t, s, *n);
            String::new()
        }
        Command::ChordNote { index, note } => {
            if !midi {
                return Err(CommandError::NotHere(
                    "chord notes NOT2-NOT4 are on MIDI tracks".into(),
                ));
            }
            at.set_chord_note(doc, t, s, *index, *note)
                .map_err(CommandError::Range)?;
            String::new()
        }
        Command::ToggleTrig => {
            at.toggle_trig(doc, t, s, Mask::Trig);
            String::new()
        }
        Command::ToggleTrigless => {
            at.toggle_trig(doc, t, s, Mask::Trigless);
            String::new()
        }
        Command::SetLock { idx, value } => {
            if usize::from(*idx) >= super::document::LOCKS {
                return Err(CommandError::Range(format!("no lock byte {idx}")));
            }
            at.set_lock(doc, t, s, *idx, value.map(|v| v.min(254)));
            String::new()
        }
        Command::Clear | Command::Cut => {
            block::clear(doc, at, b);
            String::new()
        }
        Command::ClearStep => {
            each_step(b, |tr, st| at.clear_step(doc, tr, st));
            String::new()
        }
        Command::SetCondition(c) => {
            each_step(b, |tr, st| {
                at.edit_word(doc, tr, st, |w| {
                    w.set_condition(*c);
                })
            });
            String::new()
        }
        Command::CycleCondition(d) => {
            let all = TrigCondition::all();
            each_step(b, |tr, st| {
                at.edit_word(doc, tr, st, |w| {
                    let i = all.iter().position(|c| *c == w.condition()).unwrap_or(0) as i64;
                    let n = all[((i + *d as i64).rem_euclid(all.len() as i64)) as usize];
                    w.set_condition(n);
                })
            });
            String::new()
        }
        Command::SetMicro(m) => {
            if !(MicroTiming::MIN..=MicroTiming::MAX).contains(m) {
                return Err(CommandError::Range(format!(
                    "micro-timing must be -23..23, got {m}"
                )));
            }
            at.edit_word(doc, t, s, |w| w.set_micro_timing(MicroTiming(*m)));
            String::new()
        }
        Command::NudgeMicro(d) => {
            each_step(b, |tr, st| {
                at.edit_word(doc, tr, st, |w: &mut StepWord| {
                    let m = (w.micro_timing().0 + d).clamp(MicroTiming::MIN, MicroTiming::MAX);
                    w.set_micro_timing(MicroTiming(m));
                })
            });
            String::new()
        }
        Command::SetRetrig(n) => {
            if !(1..=8).contains(n) {
                return Err(CommandError::Range(format!("RETRIG takes 1..8, got {n}")));
            }
            at.edit_word(doc, t, s, |w| w.set_repeats(*n));
            String::new()
        }
        Command::NudgeRetrig(d) => {
            each_step(b, |tr, st| {
                at.edit_word(doc, tr, st, |w| {
                    w.set_repeats((w.repeats() as i8 + d).clamp(1, 8) as u8)
                })
            });
            String::new()
        }
        Command::ToggleRecorder(src) => {
            let on = at
                .toggle_recorder_source(doc, t, s, *src)
                .map_err(CommandError::NotHere)?;
            format!("recorder {} {}", src.name(), if on { "on" } else { "off" })
        }
        Command::ToggleRecorderOneShot => {
            let on = at
                .toggle_recorder_oneshot(doc, t, s)
                .map_err(CommandError::NotHere)?;
            format!("recorder one-shot {}", if on { "on" } else { "off" })
        }
        Command::ClearRecorder => {
            each_step(b, |tr, st| at.clear_recorder(doc, tr, st));
            String::new()
        }
        Command::SetTrackSetting(setting, v) => {
            at.set_setting(doc, t, *setting, *v);
            let now = at.setting(doc, t, *setting);
            format!("{} {}", setting.label(), setting.show(now))
        }
        Command::ToggleFlag(m) => {
            if midi && *m != Mask::Swing {
                return Err(CommandError::NotHere(
                    "MIDI tracks have no one-shot or slide trigs".into(),
                ));
            }
            let on = at.mask(doc, t, *m, s);
            at.set_mask(doc, t, *m, s, !on);
            String::new()
        }
        Command::Transpose(d) => {
            let n = block::transpose(doc, at, b, *d as i16);
            format!("transposed {n} note(s) by {d:+}")
        }
        Command::Interpolate => {
            let (cols, values) = block::interpolate(doc, at, b);
            format!("interpolated {values} values in {cols} column(s)")
        }
        Command::Randomize { lo, hi, seed } => {
            let mut rng = rand::rngs::StdRng::seed_from_u64(*seed);
            let n = block::randomize(doc, at, b, *lo, *hi, &mut rng);
            format!("randomized {n} lock(s)")
        }
        Command::FillEvery(n) => {
            if *n == 0 || *n as usize > STEPS {
                return Err(CommandError::Range(format!("N must be 1-64, got {n}")));
            }
            block::fill_every(doc, at, &b.tracks(), b.rows.clone(), *n as usize);
            String::new()
        }
        Command::Euclid {
            hits,
            steps,
            rotation,
        } => {
            if *steps == 0 || *steps as usize > STEPS || hits > steps {
                return Err(CommandError::Range(format!(
                    "expected hits <= steps <= 64, got {hits} {steps}"
                )));
            }
            let mut filled = 0;
            for tr in b.tracks() {
                let len = track_len(doc, at, tr).clamp(1, STEPS);
                let start = (*b.rows.start()).min(len - 1);
                block::euclid(
                    doc,
                    at,
                    &[tr],
                    start,
                    *hits as usize,
                    *steps as usize,
                    *rotation as usize,
                    len - start,
                );
                filled = filled.max(len - start);
            }
            format!("euclid {hits}/{steps} over {filled} steps")
        }
        Command::Rotate(d) => {
            block::rotate(doc, at, &b.tracks(), b.rows.clone(), *d as i32);
            String::new()
        }
        Command::Reverse => {
            block::reverse(doc, at, &b.tracks(), b.rows.clone());
            String::new()
        }
        Command::Double => double(doc, at, b),
        Command::Halve => {
            block::halve(doc, at, &b.tracks(), b.rows.clone());
            String::new()
        }
        Command::Paste { clip, mix } => {
            let r = block::paste(doc, at, clip, s, t, *mix);
            r.message()
        }
        Command::SetLength(n) => {
            if *n == 0 || *n as usize > STEPS {
                return Err(CommandError::Range(format!("length must be 1-64, got {n}")));
            }
            set_track_len(doc, at, t, *n as usize);
            String::new()
        }
        Command::SetTempo(x24) => {
            if !(30 * 24..=300 * 24).contains(x24) {
                return Err(CommandError::Range(format!(
                    "tempo must be 30-300 BPM, got {:.1}",
                    *x24 as f64 / 24.0
                )));
            }
            at.set(doc, Unit::Tempo, *x24);
            String::new()
        }
        Command::AssignPart(p) => {
            if *p > 3 {
                return Err(CommandError::Range(format!("no part {}", p + 1)));
            }
            at.set(doc, Unit::Part, *p as u16);
            String::new()
        }
    })
}

/// What doubling a block would do to one track: the rows it spreads over, the track length
/// it needs (when it grows) and how many trigs still fall past the end.
fn double_plan(
    doc: &Document,
    at: At,
    b: &Block,
    tr: usize,
) -> (RangeInclusive<usize>, Option<usize>, usize) {
    let len = track_len(doc, at, tr).clamp(1, STEPS);
    let (r0, r1) = (*b.rows.start(), *b.rows.end());
    let mut rows = b.rows.clone();
    let mut grow = None;
    if r1 + 1 >= len {
        // The block ends at the track's end: the doubled steps need twice the room.
        let new_end = (r0 + 2 * (r1 - r0 + 1) - 1).min(STEPS - 1);
        if new_end + 1 > len {
            grow = Some(new_end + 1);
        }
        rows = r0..=new_end.max(r1);
    }
    let n = rows.end() - rows.start() + 1;
    let dropped = b
        .rows
        .clone()
        .enumerate()
        .filter(|&(i, st)| 2 * i >= n && at.cell_get(doc, tr, Col::Trig, st) != EMPTY)
        .count();
    (rows, grow, dropped)
}

/// The trigs doubling `b` would drop (after growing the tracks it can, up to 64 steps) and the
/// last step they would be spread to: `(0, _)` when nothing is lost.
pub fn double_drops(doc: &Document, at: At, b: &Block) -> (usize, usize) {
    let mut dropped = 0;
    let mut end = *b.rows.end();
    for tr in b.tracks() {
        let (rows, _, d) = double_plan(doc, at, b, tr);
        dropped += d;
        end = end.max(*rows.end());
    }
    (dropped, end)
}

/// Doubles the block's steps. When the block runs to the end of a track, the track grows (up
/// to 64 steps) so nothing falls off; what still falls off is counted and reported (the UI
/// asks before, see [`double_drops`]).
fn double(doc: &mut Document, at: At, b: &Block) -> String {
    let mut dropped = 0;
    let mut end = *b.rows.end();
    let mut grown = Vec::new();
    for tr in b.tracks() {
        let (rows, grow, d) = double_plan(doc, at, b, tr);
        if let Some(len) = grow {
            set_track_len(doc, at, tr, len);
            grown.push(len);
        }
        dropped += d;
        end = end.max(*rows.end());
        block::double(doc, at, &[tr], rows);
    }
    let mut msg = String::from("doubled");
    if let Some(len) = grown.iter().max() {
        msg.push_str(&format!("; track length now {len}"));
    }
    if dropped > 0 {
        msg = format!("double: {dropped} trig(s) past step {} dropped", end + 1);
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_command_kind_has_a_unique_name_and_a_help_line() {
        let mut names = HashSet::new();
        for k in Kind::ALL {
            assert!(!k.name().is_empty(), "{k:?} has no name");
            assert!(
                k.name().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{k:?}: names are snake_case"
            );
            assert!(k.help().len() > 10, "{k:?} has no help line");
            assert!(!k.help().contains('\n'), "{k:?}: help is one line");
            assert!(names.insert(k.name()), "{} named twice", k.name());
        }
    }
}
