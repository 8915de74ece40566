//! The document the tracker edits: banks addressed by small units, the one undo history and the
//! saved-state marker behind the unsaved star.
//!
//! Every edit goes through [`Document::set`], which records a compact before/after delta of the
//! smallest changed unit (one trig bit, one lock byte, one step word, one setting); actions group
//! their deltas into one undo step with [`Document::commit`]. Bigger edits (a part, a bank, a
//! project-wide slot operation) record a [`Snap`] in the same history.

use super::snap::Snap;
use crate::format::bank::{Bank, NO_LOCK, Pattern, TrackSettings, TrigMask};
use crate::format::{Scale, StepWord};
use crate::project::{BANKS, FileId, Project, ProjectError, SaveReport};

/// Number of tracks in a pattern (8 audio, then 8 MIDI).
pub const TRACKS: usize = 16;
/// Steps per pattern.
pub const STEPS: usize = 64;
/// Lock bytes per step.
pub const LOCKS: usize = 32;

/// Whether a track index (0..16) is a MIDI track.
pub fn is_midi(track: usize) -> bool {
    track >= 8
}

/// Short track name: T1..T8, M1..M8.
pub fn track_name(track: usize) -> String {
    if is_midi(track) {
        format!("M{}", track - 7)
    } else {
        format!("T{}", track + 1)
    }
}

/// The per-step bit masks of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mask {
    /// Sample / note trig.
    Trig,
    /// Trigless trig.
    Trigless,
    /// Parameter-lock-only trig.
    LockOnly,
    /// One-shot trig (audio tracks).
    OneShot,
    /// Swing trig.
    Swing,
    /// Slide trig (audio tracks).
    Slide,
}

/// The smallest editable unit of a pattern (the value is a u16; bits are 0/1, locks 0..=255).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// One bit of a trig mask.
    Mask {
        /// Track 0..16.
        track: u8,
        /// Which mask.
        mask: Mask,
        /// Step 0..64.
        step: u8,
    },
    /// One lock byte (255 = not locked).
    Lock {
        /// Track 0..16.
        track: u8,
        /// Step 0..64.
        step: u8,
        /// Byte of the 32-byte lock record.
        idx: u8,
    },
    /// The repeat / micro-timing / condition word of a step.
    Word {
        /// Track 0..16.
        track: u8,
        /// Step 0..64.
        step: u8,
    },
    /// A track's own length (per-track mode).
    TrackLength(u8),
    /// A track's own scale code.
    TrackScale(u8),
    /// The pattern's master length.
    Length,
    /// The pattern's scale code.
    Scale,
    /// The part (0..4) the pattern uses.
    Part,
    /// Pattern tempo x24.
    Tempo,
    /// One bit of a recorder mask of an audio track (0 INAB, 1 INCD, 2 SRC3, 3 one-shot).
    Recorder {
        /// Track 0..8.
        track: u8,
        /// Which of the four masks.
        mask: u8,
        /// Step 0..64.
        step: u8,
    },
    /// A per-track sequencer setting's stored byte.
    Setting {
        /// Track 0..16.
        track: u8,
        /// Which setting.
        setting: super::recorder::Setting,
    },
}

/// A unit in a pattern of a bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Loc {
    /// Bank 0..16.
    pub bank: u8,
    /// Pattern 0..16.
    pub pattern: u8,
    /// The unit.
    pub unit: Unit,
}

/// Read-only facts about a pattern that the grid shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PatternInfo {
    /// Master length in steps.
    pub length: u16,
    /// Master scale.
    pub scale: Scale,
    /// True in PER TRACK scale mode.
    pub per_track: bool,
    /// Part 0..4.
    pub part: u8,
    /// The pattern's stored tempo in BPM (plays only with pattern tempo on).
    pub bpm: f64,
    /// The tempo that plays (project or pattern, see [`crate::format::tempo`]).
    pub tempo: crate::format::tempo::Tempo,
}

/// Reads one unit of a pattern of a bank (0 for an out-of-range address).
pub fn unit_get(bank: &Bank, pattern: usize, unit: Unit) -> u16 {
    let Some(p) = bank.pattern(pattern) else {
        return 0;
    };
    let mask_of = |track: u8, mask: Mask| -> Option<TrigMask> {
        let t = track as usize;
        if t < 8 {
            let a = &p.audio[t];
            Some(match mask {
                Mask::Trig => a.trigs,
                Mask::Trigless => a.trigless,
                Mask::LockOnly => a.plock_only,
                Mask::OneShot => a.oneshot,
                Mask::Swing => a.swing,
                Mask::Slide => a.slide,
            })
        } else {
            let m = p.midi.get(t - 8)?;
            match mask {
                Mask::Trig => Some(m.trigs),
                Mask::Trigless => Some(m.trigless),
                Mask::LockOnly => Some(m.plock_only),
                Mask::Swing => Some(m.swing),
                Mask::OneShot | Mask::Slide => None,
            }
        }
    };
    match unit {
        Unit::Mask { track, mask, step } => {
            mask_of(track, mask).is_some_and(|m| m.get(step as usize)) as u16
        }
        Unit::Lock { track, step, idx } => {
            let (s, i) = (step as usize, idx as usize);
            let v = if track < 8 {
                p.audio[track as usize].plock(s, i)
            } else {
                p.midi.get(track as usize - 8).and_then(|m| m.plock(s, i))
            };
            v.unwrap_or(NO_LOCK) as u16
        }
        Unit::Word { track, step } => {
            let s = step as usize;
            if track < 8 {
                p.audio[track as usize].step_word(s).0
            } else {
                p.midi
                    .get(track as usize - 8)
                    .map_or(0, |m| m.step_word(s).0)
            }
        }
        Unit::TrackLength(t) => track_settings(p, t).map_or(0, |s| s.length as u16),
        Unit::TrackScale(t) => track_settings(p, t).map_or(0, |s| s.scale as u16),
        Unit::Length => p.master_length as u16,
        Unit::Scale => p.master_scale as u16,
        Unit::Part => p.part as u16,
        Unit::Tempo => p.tempo_x24,
        Unit::Recorder { track, mask, step } => {
            p.audio
                .get(track as usize)
                .and_then(|a| a.recorder.get(mask as usize))
                .is_some_and(|m| m.get(step as usize)) as u16
        }
        Unit::Setting { track, setting } => {
            super::recorder::settings_of(p, track as usize).map_or(0, |s| setting.get(s) as u16)
        }
    }
}

fn track_settings(p: &Pattern, t: u8) -> Option<&TrackSettings> {
    let t = t as usize;
    if t < 8 {
        Some(&p.audio[t].settings)
    } else {
        p.midi.get(t - 8).map(|m| &m.settings)
    }
}

/// Writes one unit (values out of range are clamped; bad addresses are ignored).
pub fn unit_set(bank: &mut Bank, pattern: usize, unit: Unit, value: u16) {
    let Some(p) = bank.pattern_mut(pattern) else {
        return;
    };
    let byte = value.min(255) as u8;
    match unit {
        Unit::Mask { track, mask, step } => {
            let t = track as usize;
            let m = if t < 8 {
                let a = &mut p.audio[t];
                Some(match mask {
                    Mask::Trig => &mut a.trigs,
                    Mask::Trigless => &mut a.trigless,
                    Mask::LockOnly => &mut a.plock_only,
                    Mask::OneShot => &mut a.oneshot,
                    Mask::Swing => &mut a.swing,
                    Mask::Slide => &mut a.slide,
                })
            } else {
                p.midi.get_mut(t - 8).and_then(|m| match mask {
                    Mask::Trig => Some(&mut m.trigs),
                    Mask::Trigless => Some(&mut m.trigless),
                    Mask::LockOnly => Some(&mut m.plock_only),
                    Mask::Swing => Some(&mut m.swing),
                    Mask::OneShot | Mask::Slide => None,
                })
            };
            if let Some(m) = m {
                let _ = m.set(step as usize, value != 0);
            }
        }
        Unit::Lock { track, step, idx } => {
            let v = (byte != NO_LOCK).then_some(byte);
            let (s, i) = (step as usize, idx as usize);
            if track < 8 {
                let _ = p.audio[track as usize].set_plock(s, i, v);
            } else if let Some(m) = p.midi.get_mut(track as usize - 8) {
                let _ = m.set_plock(s, i, v);
            }
        }
        Unit::Word { track, step } => {
            let w = StepWord(value);
            let s = step as usize;
            if track < 8 {
                let _ = p.audio[track as usize].set_step_word(s, w);
            } else if let Some(m) = p.midi.get_mut(track as usize - 8) {
                let _ = m.set_step_word(s, w);
            }
        }
        Unit::TrackLength(t) | Unit::TrackScale(t) => {
            let t = t as usize;
            let s = if t < 8 {
                Some(&mut p.audio[t].settings)
            } else {
                p.midi.get_mut(t - 8).map(|m| &mut m.settings)
            };
            if let Some(s) = s {
                if matches!(unit, Unit::TrackLength(_)) {
                    s.length = byte.clamp(1, 64);
                } else {
                    s.scale = byte.min(6);
                }
            }
        }
        Unit::Length => p.master_length = byte.clamp(1, 64),
        Unit::Scale => p.master_scale = byte.min(6),
        Unit::Part => p.part = byte.min(3),
        Unit::Tempo => p.tempo_x24 = value.clamp(30 * 24, 300 * 24),
        Unit::Recorder { track, mask, step } => {
            if let Some(m) = p
                .audio
                .get_mut(track as usize)
                .and_then(|a| a.recorder.get_mut(mask as usize))
            {
                let _ = m.set(step as usize, value != 0);
            }
        }
        Unit::Setting { track, setting } => {
            if let Some(s) = super::recorder::settings_of_mut(p, track as usize) {
                setting.set(s, byte);
            }
        }
    }
}

/// Pattern header facts; the tempo that plays is decided with `project`'s settings.
pub fn pattern_info(
    project: &crate::format::project_file::ProjectFile,
    bank: &Bank,
    pattern: usize,
) -> Option<PatternInfo> {
    let p = bank.pattern(pattern)?;
    let per_track = p.scale_mode == 1;
    Some(PatternInfo {
        length: if per_track {
            p.per_track_master_length().unwrap_or(64)
        } else {
            p.master_length as u16
        },
        scale: if per_track {
            Scale::from_code(p.per_track_master_scale)
        } else {
            p.master_scale()
        },
        per_track,
        part: p.part(),
        bpm: p.tempo_bpm(),
        tempo: crate::format::tempo::playing_tempo(project, p),
    })
}

/// One recorded change.
#[derive(Debug)]
pub enum Change {
    /// A pattern unit changed from `before` to `after`.
    Unit {
        /// Where.
        loc: Loc,
        /// Old value.
        before: u16,
        /// New value.
        after: u16,
    },
    /// A before/after snapshot of a bigger unit (a part, a pattern, a bank, project.work,
    /// markers, an arrangement).
    Snap(Snap),
}

impl Change {
    /// The file the change touches.
    pub fn file(&self) -> FileId {
        match self {
            Change::Unit { loc, .. } => FileId::Bank(loc.bank as usize),
            Change::Snap(s) => s.file(),
        }
    }
}

/// One undo step: a labelled group of changes.
#[derive(Debug)]
pub struct Transaction {
    /// Identifies the document state this step leads to (never reused).
    pub id: u64,
    /// What the user did, shown on undo / redo.
    pub label: String,
    /// The changes in the order they were made.
    pub changes: Vec<Change>,
}

impl Transaction {
    fn touches(&self, id: FileId) -> bool {
        self.changes.iter().any(|c| c.file() == id)
    }
}

/// The one undo / redo history of a document (unlimited), with a marker of the state last
/// saved (or opened), so the unsaved star follows the document.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Transaction>,
    redo: Vec<Transaction>,
    next_id: u64,
    /// The state on disk: `Some(0)` = before the first step; `None` once that state can no
    /// longer be reached (edited after undoing past it).
    saved: Option<u64>,
}

impl History {
    /// Number of undo steps available.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
    /// Number of redo steps available.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }
    /// The state the document is in (0 = as opened, else the id of the last step applied).
    pub fn state(&self) -> u64 {
        self.undo.last().map_or(0, |t| t.id)
    }
    /// Labels of the undo steps, oldest first.
    pub fn labels(&self) -> Vec<&str> {
        self.undo.iter().map(|t| t.label.as_str()).collect()
    }
    /// Marks the current state as the one on disk.
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.state());
    }
    /// The steps between the saved state and now (`None` when the saved state is unreachable).
    fn since_saved(&self) -> Option<Vec<&Transaction>> {
        let saved = self.saved?;
        if saved == self.state() {
            return Some(Vec::new());
        }
        if saved == 0 {
            return Some(self.undo.iter().collect());
        }
        if let Some(i) = self.undo.iter().position(|t| t.id == saved) {
            return Some(self.undo[i + 1..].iter().collect());
        }
        // Undone past the save: the saved state is reached by redoing up to its step.
        let i = self.redo.iter().position(|t| t.id == saved)?;
        Some(self.redo[i..].iter().collect())
    }
    fn push(&mut self, label: &str, changes: Vec<Change>) {
        self.next_id += 1;
        if let Some(s) = self.saved
            && self.redo.iter().any(|t| t.id == s)
        {
            // The saved state was undone and is now replaced by a new branch.
            self.saved = None;
        }
        self.undo.push(Transaction {
            id: self.next_id,
            label: label.to_string(),
            changes,
        });
        self.redo.clear();
    }
}

/// The grid selection of a document: where it started and how moves treat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Selection {
    /// Where the selection started: (step row, track, sub-column index within the track);
    /// `None`: nothing selected (commands act on the cursor cell or track).
    pub anchor: Option<(usize, usize, usize)>,
    /// Started by `pattern.mark`: plain cursor moves extend it instead of dropping it.
    pub sticky: bool,
}

/// The project as the tracker sees it: every edit is a [`Loc`] set through
/// [`Document::set`], grouped into undo steps by [`Document::commit`].
///
/// ```
/// use octa::edit::document::{Document, Loc, Mask, Unit};
/// use octa::project::Project;
///
/// let mut doc = Document::new(Project::new_blank("DOC"));
/// // A trig on T1 step 5 of A01 (all indices 0-based).
/// let unit = Unit::Mask { track: 0, mask: Mask::Trig, step: 4 };
/// let trig = Loc { bank: 0, pattern: 0, unit };
/// assert!(doc.set(trig, 1));
/// doc.commit("trig");
/// assert_eq!(doc.get(trig), 1);
/// assert_eq!(doc.undo().as_deref(), Some("trig"));
/// assert_eq!(doc.get(trig), 0);
/// assert_eq!(doc.redo().as_deref(), Some("trig"));
/// assert_eq!(doc.get(trig), 1);
/// ```
pub struct Document {
    /// The project on disk (files, dirty flags, saving).
    pub project: Project,
    /// Undo / redo history.
    pub history: History,
    /// Cells copied from the grid, by parameter (pasted with [`super::command::Command::Paste`]).
    pub clipboard: super::block::Clipboard,
    /// The grid selection (its far corner is the view's cursor).
    pub selection: Selection,
    pending: Vec<Change>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("name", &self.project.name())
            .finish_non_exhaustive()
    }
}

impl Document {
    /// A document over an opened project (the opened state counts as saved).
    pub fn new(project: Project) -> Self {
        let mut history = History::default();
        history.mark_saved();
        Self {
            project,
            history,
            clipboard: super::block::Clipboard::default(),
            selection: Selection::default(),
            pending: Vec::new(),
        }
    }

    /// The project name.
    pub fn name(&self) -> &str {
        self.project.name()
    }

    /// True when opened read-only.
    pub fn read_only(&self) -> bool {
        self.project.is_read_only()
    }

    /// A bank (`None` out of range).
    pub fn bank(&self, bank: usize) -> Option<&Bank> {
        (bank < BANKS).then(|| self.project.bank(bank))
    }

    /// A bank for changing it directly, marking it changed (record the change with
    /// [`Document::record`] so it can be undone).
    pub fn bank_mut(&mut self, bank: usize) -> Option<&mut Bank> {
        (bank < BANKS).then(|| self.project.bank_mut(bank))
    }

    /// True when a file differs from the state last saved or opened: the project layer says
    /// it was changed and the history does not know it to be back where it was saved.
    pub fn file_dirty(&self, id: FileId) -> bool {
        if !self.project.is_dirty(id) {
            return false;
        }
        if self.pending.iter().any(|c| c.file() == id) {
            return true;
        }
        match self.history.since_saved() {
            Some(steps) => steps.iter().any(|t| t.touches(id)),
            None => true,
        }
    }

    /// True when the bank file has unsaved changes.
    pub fn bank_dirty(&self, bank: usize) -> bool {
        bank < BANKS && self.file_dirty(FileId::Bank(bank))
    }

    /// Reads a unit (0 when the bank is absent).
    pub fn get(&self, loc: Loc) -> u16 {
        self.bank(loc.bank as usize)
            .map_or(0, |b| unit_get(b, loc.pattern as usize, loc.unit))
    }

    /// Writes a unit and records the delta; returns false when nothing changed or the bank is absent.
    pub fn set(&mut self, loc: Loc, value: u16) -> bool {
        let Some(bank) = self.bank(loc.bank as usize) else {
            return false;
        };
        let before = unit_get(bank, loc.pattern as usize, loc.unit);
        if before == value {
            return false;
        }
        let Some(bank) = self.bank_mut(loc.bank as usize) else {
            return false;
        };
        unit_set(bank, loc.pattern as usize, loc.unit, value);
        let after = unit_get(bank, loc.pattern as usize, loc.unit);
        if before == after {
            return false;
        }
        self.pending.push(Change::Unit { loc, before, after });
        true
    }

    /// Records a snapshot change already applied to the project.
    pub fn record(&mut self, snap: Snap) {
        self.project.mark_dirty(snap.file());
        self.pending.push(Change::Snap(snap));
    }

    /// Closes the current group of changes as one undo step; returns false if it was empty.
    pub fn commit(&mut self, label: &str) -> bool {
        if self.pending.is_empty() {
            return false;
        }
        let changes = std::mem::take(&mut self.pending);
        self.history.push(label, changes);
        true
    }

    fn raw_set(&mut self, loc: Loc, value: u16) {
        if let Some(bank) = self.bank_mut(loc.bank as usize) {
            unit_set(bank, loc.pattern as usize, loc.unit, value);
        }
    }

    fn apply(&mut self, c: &Change, after: bool) {
        match c {
            Change::Unit {
                loc,
                before,
                after: a,
            } => self.raw_set(*loc, if after { *a } else { *before }),
            Change::Snap(s) => s.put(&mut self.project, after),
        }
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        self.commit("edit");
        let t = self.history.undo.pop()?;
        for c in t.changes.iter().rev() {
            self.apply(c, false);
        }
        let label = t.label.clone();
        self.history.redo.push(t);
        Some(label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let t = self.history.redo.pop()?;
        for c in &t.changes {
            self.apply(c, true);
        }
        let label = t.label.clone();
        self.history.undo.push(t);
        Some(label)
    }

    /// Pattern facts, if the bank is loaded.
    pub fn info(&self, bank: usize, pattern: usize) -> Option<PatternInfo> {
        self.bank(bank)
            .and_then(|b| pattern_info(self.project.project_file(), b, pattern))
    }

    /// The step word of a step.
    pub fn word(&self, bank: usize, pattern: usize, track: usize, step: usize) -> StepWord {
        StepWord(self.get(Loc {
            bank: bank as u8,
            pattern: pattern as u8,
            unit: Unit::Word {
                track: track as u8,
                step: step as u8,
            },
        }))
    }

    /// Any unsaved change in any file (undoing back to the saved state clears it).
    pub fn is_dirty(&self) -> bool {
        FileId::all().into_iter().any(|id| self.file_dirty(id))
    }
}

impl Document {
    /// Saves the changed files through the project layer (atomic, with backups, refusing files
    /// changed on disk unless `force`).
    pub fn save(&mut self, force: bool) -> Result<SaveReport, ProjectError> {
        self.commit("edit");
        let r = self.project.save(force)?;
        self.history.mark_saved();
        Ok(r)
    }

    /// Saves the whole project to a new folder (see [`Project::save_as`]); the document then
    /// counts as saved.
    pub fn save_as(&mut self, dir: &std::path::Path) -> Result<SaveReport, ProjectError> {
        self.commit("edit");
        let r = self.project.save_as(dir)?;
        self.history.mark_saved();
        Ok(r)
    }
}
