//! The pattern view: tracks as columns, steps as rows, p-locks as sub-columns.

pub mod actions;
mod render;

/// Block operations (they live in [`crate::edit::block`]).
pub use crate::edit::block;
/// Track sub-columns (they live in [`crate::edit::columns`]).
pub use crate::edit::columns;
/// Editing one pattern: the trig rules (they live in [`crate::edit::trig`]).
pub use crate::edit::trig as edit;

use self::block::Block;
use self::columns::{Col, TrackKind, locked_bytes};
use self::edit::{At, EMPTY, TrigKind};
use crate::edit::command::{self, Command, Scope};
use crate::edit::value;
use crate::format::TrigCondition;
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::model::{Mask, STEPS, TRACKS, Unit, is_midi, track_name};
use crate::ui::view::{Ctx, Outcome, View, ViewInfo};
use rand::SeedableRng;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::collections::BTreeSet;

/// The cursor: step row, track and sub-column index within the track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    /// Step 0..64.
    pub row: usize,
    /// Track 0..16.
    pub track: usize,
    /// Index into the track's columns.
    pub col: usize,
}

/// A track's columns as laid out now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackCols {
    /// Machine facts.
    pub kind: TrackKind,
    /// Sub-columns.
    pub cols: Vec<Col>,
}

/// State of the pattern view.
pub struct PatternView {
    /// The cursor.
    pub cursor: Cursor,
    /// Selection anchor: (row, flat column index).
    pub anchor: Option<(usize, usize)>,
    /// The anchor was set with `pattern.mark`: plain moves extend the selection.
    sticky: bool,
    /// Octave of the lower piano row (C-4 = 4).
    pub octave: u8,
    /// Values typed in hex.
    pub hex: bool,
    /// The cursor follows the playhead while playing.
    pub follow: bool,
    /// Digits typed so far into a value cell.
    pub entry: String,
    /// Lock columns added by the user, per track.
    pub extra: [BTreeSet<u8>; TRACKS],
    /// Lock columns removed by the user, per track.
    pub hidden: [BTreeSet<u8>; TRACKS],
    scroll_row: usize,
    first_track: usize,
    /// The column under the cursor at the last draw (for key contexts and hints).
    shown_col: Col,
    hit: Vec<(u16, u16, usize, usize)>,
    grid_top: u16,
    rng: rand::rngs::StdRng,
    /// Recorder band and track-settings panel (`crate::ui::track_settings`).
    pub recorder: crate::ui::track_settings::RecorderUi,
}

impl Default for PatternView {
    fn default() -> Self {
        Self::new()
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "pattern",
    switch: act("view.pattern", "Show the pattern grid", &["F2"]),
};

impl PatternView {
    /// A view at step 1 of track T1.
    pub fn new() -> Self {
        Self {
            cursor: Cursor::default(),
            anchor: None,
            sticky: false,
            octave: 4,
            hex: false,
            follow: false,
            entry: String::new(),
            extra: Default::default(),
            hidden: Default::default(),
            scroll_row: 0,
            first_track: 0,
            shown_col: Col::Trig,
            hit: Vec::new(),
            grid_top: 0,
            rng: rand::rngs::StdRng::seed_from_u64(0x0c7a),
            recorder: Default::default(),
        }
    }

    /// The pattern shown.
    pub fn at(ctx: &Ctx) -> At {
        At {
            bank: ctx.nav.bank,
            pattern: ctx.nav.pattern,
        }
    }

    /// Every track's columns for the shown pattern.
    pub fn layout(&self, ctx: &Ctx) -> Vec<TrackCols> {
        let at = Self::at(ctx);
        let bank = ctx.doc.bank(at.bank);
        let part = ctx
            .doc
            .info(at.bank, at.pattern)
            .map_or(0, |i| i.part as usize);
        (0..TRACKS)
            .map(|t| {
                let (kind, locked) = match bank {
                    Some(b) => (TrackKind::of(b, part, t), locked_bytes(b, at.pattern, t)),
                    None => (TrackKind::fallback(t), BTreeSet::new()),
                };
                let cols = kind.columns(&locked, &self.extra[t], &self.hidden[t]);
                TrackCols { kind, cols }
            })
            .collect()
    }

    /// Rows shown: the pattern length, or the longest track in PER TRACK mode.
    pub fn rows(ctx: &Ctx) -> usize {
        let at = Self::at(ctx);
        let Some(info) = ctx.doc.info(at.bank, at.pattern) else {
            return 16;
        };
        let n = if info.per_track {
            (0..TRACKS)
                .map(|t| at.get(&ctx.doc, Unit::TrackLength(t as u8)) as usize)
                .max()
                .unwrap_or(16)
        } else {
            info.length as usize
        };
        n.clamp(1, STEPS)
    }

    /// A track's own length in steps.
    pub fn track_len(ctx: &Ctx, track: usize) -> usize {
        command::track_len(&ctx.doc, Self::at(ctx), track)
    }

    fn flat(&self, layout: &[TrackCols], track: usize, col: usize) -> usize {
        layout[..track].iter().map(|t| t.cols.len()).sum::<usize>() + col
    }

    fn unflat(layout: &[TrackCols], mut i: usize) -> (usize, usize) {
        for (t, tc) in layout.iter().enumerate() {
            if i < tc.cols.len() {
                return (t, i);
            }
            i -= tc.cols.len();
        }
        let last = layout.len().saturating_sub(1);
        (
            last,
            layout
                .get(last)
                .map_or(0, |t| t.cols.len().saturating_sub(1)),
        )
    }

    /// The column under the cursor.
    pub fn cursor_col(&self, layout: &[TrackCols]) -> Col {
        layout
            .get(self.cursor.track)
            .and_then(|t| t.cols.get(self.cursor.col))
            .copied()
            .unwrap_or(Col::Trig)
    }

    /// The selection as a block, if any.
    pub fn selection(&self, layout: &[TrackCols]) -> Option<Block> {
        let (arow, aflat) = self.anchor?;
        let cflat = self.flat(layout, self.cursor.track, self.cursor.col);
        let (r0, r1) = (arow.min(self.cursor.row), arow.max(self.cursor.row));
        let (c0, c1) = (aflat.min(cflat), aflat.max(cflat));
        let cols = (c0..=c1)
            .map(|i| {
                let (t, c) = Self::unflat(layout, i);
                (t, layout[t].cols[c])
            })
            .collect();
        Some(Block {
            rows: r0..=r1,
            cols,
        })
    }

    /// The selection, or the cursor cell when there is none.
    fn block_or_cell(&self, layout: &[TrackCols]) -> Block {
        self.selection(layout).unwrap_or_else(|| Block {
            rows: self.cursor.row..=self.cursor.row,
            cols: vec![(self.cursor.track, self.cursor_col(layout))],
        })
    }

    /// The selection, or the cursor's whole track over its length.
    fn block_or_track(&self, ctx: &Ctx, layout: &[TrackCols]) -> Block {
        self.selection(layout).unwrap_or_else(|| {
            let t = self.cursor.track;
            Block {
                rows: 0..=Self::track_len(ctx, t).clamp(1, STEPS) - 1,
                cols: layout[t].cols.iter().map(|c| (t, *c)).collect(),
            }
        })
    }

    fn clamp_cursor(&mut self, ctx: &Ctx, layout: &[TrackCols]) {
        let rows = Self::rows(ctx);
        self.cursor.row = self.cursor.row.min(rows - 1);
        self.cursor.track = self.cursor.track.min(TRACKS - 1);
        let n = layout.get(self.cursor.track).map_or(1, |t| t.cols.len());
        self.cursor.col = self.cursor.col.min(n.saturating_sub(1));
    }

    fn move_rows(&mut self, ctx: &Ctx, d: i64) {
        let rows = Self::rows(ctx) as i64;
        self.cursor.row = (self.cursor.row as i64 + d).clamp(0, rows - 1) as usize;
    }

    fn move_cols(&mut self, layout: &[TrackCols], d: i64) {
        let total: usize = layout.iter().map(|t| t.cols.len()).sum();
        let f = self.flat(layout, self.cursor.track, self.cursor.col) as i64 + d;
        let (t, c) = Self::unflat(layout, f.clamp(0, total as i64 - 1) as usize);
        self.cursor.track = t;
        self.cursor.col = c;
    }

    fn advance(&mut self, ctx: &Ctx) {
        self.move_rows(ctx, ctx.edit_step as i64);
    }

    fn start_select(&mut self, layout: &[TrackCols]) {
        if self.anchor.is_none() {
            self.anchor = Some((
                self.cursor.row,
                self.flat(layout, self.cursor.track, self.cursor.col),
            ));
        }
    }

    /// Runs an edit command of the editor core on `block` (cursor from the view) as one undo
    /// step; its report goes to the status line.
    fn exec(&self, ctx: &mut Ctx, block: Block, cmd: Command) -> Outcome {
        let scope = Scope {
            at: Self::at(ctx),
            track: self.cursor.track,
            step: self.cursor.row,
            block,
        };
        match command::execute(&mut ctx.doc, &scope, &cmd) {
            Ok(m) if m.is_empty() => Outcome::Handled,
            Ok(m) => Outcome::Message(m),
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    /// The block of the cursor cell.
    fn cell_block(&self, layout: &[TrackCols]) -> Block {
        Block {
            rows: self.cursor.row..=self.cursor.row,
            cols: vec![(self.cursor.track, self.cursor_col(layout))],
        }
    }

    fn note_entry(&mut self, ctx: &mut Ctx, semis: u8) -> Outcome {
        let note = (self.octave as u16 + 1) * 12 + semis as u16;
        if note > 127 {
            return Outcome::Error("note out of range".into());
        }
        let at = Self::at(ctx);
        let (t, s) = (self.cursor.track, self.cursor.row);
        let layout = self.layout(ctx);
        let cmd = match chord_index(t, self.cursor_col(&layout)) {
            Some(index) => Command::ChordNote {
                index,
                note: note as u8,
            },
            None => Command::Note(note as u8),
        };
        let out = self.exec(ctx, self.cell_block(&layout), cmd);
        if matches!(out, Outcome::Error(_)) {
            return out;
        }
        let note = at.note(&ctx.doc, t, s);
        if let (Some(m), Some(bank), Some(n)) = (
            ctx.engines.midi_control.as_mut(),
            ctx.doc.bank(at.bank),
            note,
        ) {
            m.audition(bank, (at.bank, at.pattern), t, n, 100);
        }
        self.advance(ctx);
        out
    }

    /// Commits the digits typed into a value cell, read in the unit the cell shows (VOL `20`
    /// is the byte shown as +20; `#N` a stored byte; hex mode types stored bytes).
    fn commit_entry(&mut self, ctx: &mut Ctx, layout: &[TrackCols]) -> Outcome {
        let text = std::mem::take(&mut self.entry);
        if text.is_empty() {
            return Outcome::Handled;
        }
        let t = self.cursor.track;
        let col = self.cursor_col(layout);
        let kind = &layout[t].kind;
        let stored = |unit: value::Unit, what: &str| -> Result<u8, String> {
            if self.hex {
                return u8::from_str_radix(text.trim_start_matches('#'), 16)
                    .ok()
                    .filter(|&v| v <= unit.max_stored())
                    .ok_or_else(|| format!("{what}: not a stored hex byte: {text}"));
            }
            unit.parse(what, &text).map_err(|e| e.to_string())
        };
        let cmd = match col {
            // A chord column takes a note name (`E-4`); `#N` is its stored offset byte.
            Col::Lock(i)
                if chord_index(t, col).is_some() && !text.starts_with('#') && !self.hex =>
            {
                let note = value::Unit::Display(crate::format::params::ValueDisplay::Note)
                    .parse(&kind.lock_name(i), &text);
                match (note, chord_index(t, col)) {
                    (Ok(note), Some(index)) => Command::ChordNote { index, note },
                    (Err(e), _) => return Outcome::Error(e.to_string()),
                    (Ok(_), None) => return Outcome::Handled,
                }
            }
            Col::Lock(i) => {
                let name = kind.lock_name(i);
                match stored(value::Unit::of(kind.param(i)), &name) {
                    Ok(v) => Command::SetLock {
                        idx: i,
                        value: Some(v),
                    },
                    Err(e) => return Outcome::Error(e),
                }
            }
            Col::Note => {
                // A typed note is a note, as from the piano keys: it brings a trig. (PTCH is
                // stored as 64 + semitones from C-4.)
                let unit = value::Unit::of(kind.param(0));
                match stored(unit, &columns::column_name(kind, col)) {
                    Ok(v) if is_midi(t) => Command::Note(v),
                    Ok(v) => match u8::try_from(i16::from(v) - 4) {
                        Ok(note) if note <= 127 => Command::Note(note),
                        _ => Command::SetLock {
                            idx: 0,
                            value: Some(v),
                        },
                    },
                    Err(e) => return Outcome::Error(e),
                }
            }
            Col::Retrig => match text.parse::<u8>() {
                Ok(n) => Command::SetRetrig(n),
                Err(_) => return Outcome::Error(format!("RETRIG takes 1..8, got {text:?}")),
            },
            _ => return Outcome::Handled,
        };
        let out = self.exec(ctx, self.cell_block(layout), cmd);
        if !matches!(out, Outcome::Error(_)) {
            self.advance(ctx);
        }
        out
    }

    fn typed(&mut self, ctx: &mut Ctx, c: char, layout: &[TrackCols]) -> Outcome {
        let col = self.cursor_col(layout);
        let ok = match col {
            Col::Lock(_) | Col::Note => {
                if self.hex {
                    c.is_ascii_hexdigit()
                } else {
                    // Device units: digits, a sign, `#` for a stored byte, note names and
                    // fractions (`E-4`, `1/16`, `R2`).
                    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#' | '/' | '.')
                }
            }
            Col::Retrig => c.is_ascii_digit(),
            _ => false,
        };
        if !ok
            || (self.entry.is_empty()
                && col == Col::Note
                && !self.hex
                && !c.is_ascii_digit()
                && c != '#')
        {
            return Outcome::Ignored;
        }
        // Nothing commits by itself: Enter commits, Esc cancels.
        self.entry
            .push(if self.hex { c.to_ascii_uppercase() } else { c });
        if col == Col::Retrig {
            return self.commit_entry(ctx, layout);
        }
        Outcome::Message(format!(
            "entry: {}_ (Enter commits, Esc cancels)",
            self.entry
        ))
    }

    /// The unit of a randomize range: the lock columns' shared display when the block's lock
    /// columns all show values the same way, else stored bytes (typed `#N`).
    fn range_unit(layout: &[TrackCols], b: &Block) -> value::Unit {
        let units: BTreeSet<String> = b
            .cols
            .iter()
            .filter_map(|(t, c)| match c {
                Col::Note => Some(format!("{:?}", value::Unit::of(layout[*t].kind.param(0)))),
                Col::Lock(i) => Some(format!("{:?}", value::Unit::of(layout[*t].kind.param(*i)))),
                _ => None,
            })
            .collect();
        let first = b.cols.iter().find_map(|(t, c)| match c {
            Col::Note => Some(value::Unit::of(layout[*t].kind.param(0))),
            Col::Lock(i) => Some(value::Unit::of(layout[*t].kind.param(*i))),
            _ => None,
        });
        match first {
            Some(u) if units.len() == 1 => u,
            _ => value::Unit::Raw,
        }
    }

    fn prompt(title: &str, tag: &'static str, initial: String) -> Outcome {
        Outcome::Prompt {
            title: title.into(),
            tag,
            initial,
        }
    }

    fn action(&mut self, name: &str, ctx: &mut Ctx) -> Outcome {
        let layout = self.layout(ctx);
        self.clamp_cursor(ctx, &layout);
        if let Some(n) = name.strip_prefix("pattern.note.n") {
            let Ok(semis) = n.parse::<u8>() else {
                return Outcome::Ignored;
            };
            return self.note_entry(ctx, semis);
        }
        if let Some(out) = crate::ui::track_settings::action(
            &mut self.recorder,
            name,
            ctx,
            Self::at(ctx),
            self.cursor.track,
            self.cursor.row,
        ) {
            return out;
        }
        if name != "pattern.enter" && !self.entry.is_empty() {
            self.entry.clear();
        }
        let at = Self::at(ctx);
        let (t, s) = (self.cursor.track, self.cursor.row);
        let col = self.cursor_col(&layout);
        let selecting = name.starts_with("pattern.select_") && name != "pattern.select_clear";
        if name.starts_with("pattern.select_")
            && !matches!(
                name,
                "pattern.select_track" | "pattern.select_all" | "pattern.select_clear"
            )
        {
            self.start_select(&layout);
        }
        let out = match name {
            "pattern.up" | "pattern.select_up" => {
                self.move_rows(ctx, -1);
                Outcome::Handled
            }
            "pattern.down" | "pattern.select_down" => {
                self.move_rows(ctx, 1);
                Outcome::Handled
            }
            "pattern.left" | "pattern.select_left" => {
                self.move_cols(&layout, -1);
                Outcome::Handled
            }
            "pattern.right" | "pattern.select_right" => {
                self.move_cols(&layout, 1);
                Outcome::Handled
            }
            "pattern.page_up" => {
                self.move_rows(ctx, -16);
                Outcome::Handled
            }
            "pattern.page_down" => {
                self.move_rows(ctx, 16);
                Outcome::Handled
            }
            "pattern.top" => {
                self.cursor.row = 0;
                Outcome::Handled
            }
            "pattern.bottom" => {
                self.cursor.row = Self::rows(ctx) - 1;
                Outcome::Handled
            }
            "pattern.next_track" => {
                self.cursor.track = (t + 1) % TRACKS;
                self.cursor.col = 0;
                Outcome::Handled
            }
            "pattern.prev_track" => {
                self.cursor.track = (t + TRACKS - 1) % TRACKS;
                self.cursor.col = 0;
                Outcome::Handled
            }
            "pattern.mark" => {
                if self.anchor.is_some() {
                    self.anchor = None;
                } else {
                    self.start_select(&layout);
                    self.sticky = true;
                }
                Outcome::Handled
            }
            "pattern.select_track" => {
                self.anchor = Some((0, self.flat(&layout, t, 0)));
                self.cursor.row = Self::rows(ctx) - 1;
                self.cursor.col = layout[t].cols.len() - 1;
                Outcome::Handled
            }
            "pattern.select_all" => {
                self.anchor = Some((0, 0));
                self.cursor.row = Self::rows(ctx) - 1;
                self.cursor.track = TRACKS - 1;
                self.cursor.col = layout[TRACKS - 1].cols.len() - 1;
                Outcome::Handled
            }
            "pattern.select_clear" => {
                self.anchor = None;
                self.entry.clear();
                Outcome::Handled
            }
            "pattern.toggle_trig" | "pattern.toggle_trigless" => {
                let m = if name.ends_with("trigless") {
                    Mask::Trigless
                } else {
                    Mask::Trig
                };
                let cmd = if m == Mask::Trig {
                    Command::ToggleTrig
                } else {
                    Command::ToggleTrigless
                };
                let out = self.exec(ctx, self.cell_block(&layout), cmd);
                self.advance(ctx);
                out
            }
            "pattern.clear" => match self.selection(&layout) {
                Some(b) => self.exec(ctx, b, Command::Clear),
                None if col == Col::Trig => {
                    self.exec(ctx, self.cell_block(&layout), Command::ClearStep)
                }
                None => self.exec(ctx, self.cell_block(&layout), Command::Clear),
            },
            "pattern.clear_step" => {
                let b = self.block_or_cell(&layout);
                self.exec(ctx, b, Command::ClearStep)
            }
            "pattern.enter" if self.entry.is_empty() => match col {
                Col::Lock(i) => {
                    let kind = &layout[t].kind;
                    let range = value::Unit::of(kind.param(i)).display_range();
                    let current = match chord_index(t, col) {
                        Some(ci) => at
                            .chord_note(&ctx.doc, t, s, ci)
                            .map(crate::format::note_name),
                        None => Some(at.cell_get(&ctx.doc, t, col, s))
                            .filter(|&v| v != EMPTY)
                            .map(|v| kind.lock_value(i, v as u8)),
                    };
                    let range = if chord_index(t, col).is_some() {
                        "a note name like E-4".to_string()
                    } else {
                        range
                    };
                    Self::prompt(
                        &format!(
                            "{} {} step {}: value as displayed ({range}), #N for a stored N, empty clears",
                            track_name(t),
                            kind.lock_name(i),
                            s + 1
                        ),
                        "pattern.lock_value",
                        current.unwrap_or_default(),
                    )
                }
                _ => Outcome::Handled,
            },
            "pattern.enter" => self.commit_entry(ctx, &layout),
            "pattern.octave_up" => {
                self.octave = (self.octave + 1).min(8);
                Outcome::Message(format!("octave {}", self.octave))
            }
            "pattern.octave_down" => {
                self.octave = self.octave.saturating_sub(1);
                Outcome::Message(format!("octave {}", self.octave))
            }
            "pattern.edit_step_up" => {
                ctx.edit_step = (ctx.edit_step + 1).min(16);
                Outcome::Message(format!("edit step {}", ctx.edit_step))
            }
            "pattern.edit_step_down" => {
                ctx.edit_step = ctx.edit_step.saturating_sub(1);
                Outcome::Message(format!("edit step {}", ctx.edit_step))
            }
            "pattern.follow" => {
                self.follow = !self.follow;
                Outcome::Message(
                    if self.follow {
                        "follow: the cursor moves with the playhead"
                    } else {
                        "follow off"
                    }
                    .into(),
                )
            }
            "pattern.toggle_hex" => {
                self.hex = !self.hex;
                Outcome::Message(
                    if self.hex {
                        "hex entry"
                    } else {
                        "decimal entry"
                    }
                    .into(),
                )
            }
            "pattern.cond_next" | "pattern.cond_prev" => {
                let b = self.block_or_cell(&layout);
                let d = if name.ends_with("next") { 1 } else { -1 };
                self.exec(ctx, b, Command::CycleCondition(d))
            }
            "pattern.cond_pick" => {
                let cur = at.word(&ctx.doc, t, s).condition();
                Self::prompt(
                    "Condition: FILL NOT FILL PRE NOT PRE NEI NOT NEI 1ST NOT 1ST 1%..99% A:B, - = none",
                    "pattern.cond",
                    if cur == TrigCondition::None {
                        String::new()
                    } else {
                        cur.to_string()
                    },
                )
            }
            "pattern.micro_inc" | "pattern.micro_dec" => {
                let d: i8 = if name.ends_with("inc") { 1 } else { -1 };
                let b = self.block_or_cell(&layout);
                self.exec(ctx, b, Command::NudgeMicro(d))
            }
            "pattern.micro_pick" => Self::prompt(
                "Micro-timing in 1/384 steps (-23..23)",
                "pattern.micro",
                at.word(&ctx.doc, t, s).micro_timing().0.to_string(),
            ),
            "pattern.retrig_inc" | "pattern.retrig_dec" => {
                let d: i8 = if name.ends_with("inc") { 1 } else { -1 };
                let b = self.block_or_cell(&layout);
                self.exec(ctx, b, Command::NudgeRetrig(d))
            }
            "pattern.toggle_oneshot" | "pattern.toggle_slide" | "pattern.toggle_swing" => {
                let m = match name {
                    "pattern.toggle_oneshot" => Mask::OneShot,
                    "pattern.toggle_slide" => Mask::Slide,
                    _ => Mask::Swing,
                };
                self.exec(ctx, self.cell_block(&layout), Command::ToggleFlag(m))
            }
            "pattern.add_column" => Self::prompt(
                "Add lock column: type a parameter name (or lock byte 0-31), tab completes",
                "pattern.add_column",
                String::new(),
            ),
            "pattern.remove_column" => match col {
                Col::Lock(i) => {
                    self.extra[t].remove(&i);
                    self.hidden[t].insert(i);
                    Outcome::Message(format!(
                        "column {} hidden (its locks are kept)",
                        layout[t].kind.lock_name(i)
                    ))
                }
                _ => Outcome::Error("only lock columns can be removed".into()),
            },
            "pattern.copy" | "pattern.cut" => {
                let b = self.block_or_cell(&layout);
                ctx.doc.clipboard = block::copy(&ctx.doc, at, &b);
                if name == "pattern.cut" {
                    self.anchor = None;
                    return self.exec(ctx, b, Command::Cut);
                }
                self.anchor = None;
                Outcome::Message(format!(
                    "copied {} x {}",
                    ctx.doc.clipboard.rows.len(),
                    ctx.doc.clipboard.cols.len()
                ))
            }
            "pattern.paste" | "pattern.mix_paste" => {
                let cmd = Command::Paste {
                    clip: ctx.doc.clipboard.clone(),
                    mix: name == "pattern.mix_paste",
                };
                self.exec(ctx, self.cell_block(&layout), cmd)
            }
            "pattern.transpose_up"
            | "pattern.transpose_down"
            | "pattern.transpose_oct_up"
            | "pattern.transpose_oct_down" => {
                let semis = match name {
                    "pattern.transpose_up" => 1,
                    "pattern.transpose_down" => -1,
                    "pattern.transpose_oct_up" => 12,
                    _ => -12,
                };
                let mut b = self.block_or_cell(&layout);
                if self.anchor.is_none() && chord_index(t, col).is_none() {
                    b.cols = vec![(t, Col::Note)];
                }
                self.exec(ctx, b, Command::Transpose(semis))
            }
            "pattern.interpolate" => match self.selection(&layout) {
                Some(b) => self.exec(ctx, b, Command::Interpolate),
                None => Outcome::Error("select rows of a lock column first".into()),
            },
            "pattern.fill_every" => {
                Self::prompt("Trig every N steps", "pattern.fill_every", "4".into())
            }
            "pattern.euclid" => Self::prompt(
                "Euclidean: hits steps [rotation], repeated over the track's length",
                "pattern.euclid",
                format!("5 {} 0", Self::track_len(ctx, t).clamp(1, STEPS)),
            ),
            "pattern.randomize" => {
                let b = self.block_or_cell(&layout);
                let unit = Self::range_unit(&layout, &b);
                let (lo, hi) = (unit.show(0), unit.show(unit.max_stored().min(127)));
                Self::prompt(
                    &format!("Randomize locks: min max ({})", unit.range_text()),
                    "pattern.randomize",
                    format!("{lo} {hi}"),
                )
            }
            "pattern.rotate_down"
            | "pattern.rotate_up"
            | "pattern.reverse"
            | "pattern.double"
            | "pattern.halve" => {
                let b = self.block_or_track(ctx, &layout);
                let cmd = match name {
                    "pattern.rotate_down" => Command::Rotate(1),
                    "pattern.rotate_up" => Command::Rotate(-1),
                    "pattern.reverse" => Command::Reverse,
                    "pattern.double" => Command::Double,
                    _ => Command::Halve,
                };
                self.exec(ctx, b, cmd)
            }
            "pattern.assign_part" => {
                let p = ctx.nav.part as u8;
                self.exec(ctx, self.cell_block(&layout), Command::AssignPart(p))
            }
            "pattern.set_length" => Self::prompt(
                "Length in steps (1-64)",
                "pattern.length",
                Self::track_len(ctx, t).to_string(),
            ),
            "pattern.set_tempo" => Self::prompt(
                "Pattern tempo (BPM)",
                "pattern.tempo",
                ctx.doc
                    .info(at.bank, at.pattern)
                    .map_or(String::new(), |i| format!("{:.1}", i.bpm)),
            ),
            _ => Outcome::Ignored,
        };
        if !selecting && !self.sticky && is_motion(name) {
            self.anchor = None;
        }
        if self.anchor.is_none() {
            self.sticky = false;
        }
        out
    }

    fn answer(&mut self, tag: &str, text: &str, ctx: &mut Ctx) -> Outcome {
        let layout = self.layout(ctx);
        let t = self.cursor.track;
        let nums: Vec<i64> = text
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        match tag {
            "pattern.cond" => {
                let Some(c) = TrigCondition::parse(if text.trim() == "-" { "" } else { text })
                else {
                    return Outcome::Error(format!("not a condition: {text}"));
                };
                let b = self.block_or_cell(&layout);
                self.exec(ctx, b, Command::SetCondition(c))
            }
            "pattern.micro" => match nums.first() {
                Some(m) if (-23..=23).contains(m) => {
                    self.exec(ctx, self.cell_block(&layout), Command::SetMicro(*m as i8))
                }
                _ => Outcome::Error(format!("micro-timing must be -23..23, got `{text}`")),
            },
            "pattern.lock_value" => {
                let col = self.cursor_col(&layout);
                let Col::Lock(i) = col else {
                    return Outcome::Error("the cursor left the lock column".into());
                };
                let kind = &layout[t].kind;
                let cell = self.cell_block(&layout);
                if text.trim().is_empty() {
                    return self.exec(
                        ctx,
                        cell,
                        Command::SetLock {
                            idx: i,
                            value: None,
                        },
                    );
                }
                if let Some(index) = chord_index(t, col) {
                    let note = value::Unit::Display(crate::format::params::ValueDisplay::Note)
                        .parse(&kind.lock_name(i), text);
                    return match note {
                        Ok(note) => self.exec(ctx, cell, Command::ChordNote { index, note }),
                        Err(e) => Outcome::Error(e.to_string()),
                    };
                }
                match value::Unit::of(kind.param(i)).parse(&kind.lock_name(i), text) {
                    Ok(v) => self.exec(
                        ctx,
                        cell,
                        Command::SetLock {
                            idx: i,
                            value: Some(v),
                        },
                    ),
                    Err(e) => Outcome::Error(e.to_string()),
                }
            }
            "pattern.add_column" => match layout[t].kind.parse_lock(text) {
                Some(i) => {
                    self.hidden[t].remove(&i);
                    self.extra[t].insert(i);
                    Outcome::Handled
                }
                None => Outcome::Error(format!(
                    "{}: {}",
                    track_name(t),
                    layout[t].kind.unknown_lock(text)
                )),
            },
            "pattern.fill_every" => match nums.first() {
                Some(n @ 1..=64) => {
                    let b = self.block_or_track(ctx, &layout);
                    self.exec(ctx, b, Command::FillEvery(*n as u8))
                }
                _ => Outcome::Error(format!("N must be 1-64, got `{text}`")),
            },
            "pattern.euclid" => match nums.as_slice() {
                [k, n, rest @ ..] if *n >= 1 && *n <= 64 && *k >= 0 && *k <= *n => {
                    let rotation = rest.first().copied().unwrap_or(0).rem_euclid(*n) as u8;
                    let b = self.block_or_track(ctx, &layout);
                    let cmd = Command::Euclid {
                        hits: *k as u8,
                        steps: *n as u8,
                        rotation,
                    };
                    self.exec(ctx, b, cmd)
                }
                _ => Outcome::Error(format!(
                    "expected `hits steps [rotation]` with hits <= steps <= 64, got `{text}`"
                )),
            },
            "pattern.randomize" => {
                let b = self.block_or_cell(&layout);
                let unit = Self::range_unit(&layout, &b);
                match value::parse_range(unit, "range", text) {
                    Ok((lo, hi)) => {
                        let seed = rand::Rng::random(&mut self.rng);
                        self.exec(ctx, b, Command::Randomize { lo, hi, seed })
                    }
                    Err(e) => Outcome::Error(e.to_string()),
                }
            }
            "pattern.length" => match nums.first() {
                Some(n @ 1..=64) => {
                    self.exec(ctx, self.cell_block(&layout), Command::SetLength(*n as u8))
                }
                _ => Outcome::Error(format!("length must be 1-64, got `{text}`")),
            },
            "pattern.tempo" => match text.trim().parse::<f64>() {
                Ok(bpm) if (30.0..=300.0).contains(&bpm) => {
                    let x24 = (bpm * 24.0).round() as u16;
                    self.exec(ctx, self.cell_block(&layout), Command::SetTempo(x24))
                }
                _ => Outcome::Error(format!("tempo must be 30-300 BPM, got `{text}`")),
            },
            _ => Outcome::Ignored,
        }
    }

    fn click(&mut self, x: u16, y: u16, ctx: &Ctx) -> Outcome {
        if y < self.grid_top {
            return Outcome::Ignored;
        }
        let row = self.scroll_row + (y - self.grid_top) as usize;
        if row >= Self::rows(ctx) {
            return Outcome::Ignored;
        }
        if let Some((_, _, t, c)) = self.hit.iter().find(|(cx, w, _, _)| x >= *cx && x < cx + w) {
            self.cursor = Cursor {
                row,
                track: *t,
                col: *c,
            };
            self.anchor = None;
        } else {
            self.cursor.row = row;
        }
        Outcome::Handled
    }
}

impl PatternView {
    fn handle_input(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        match input {
            Input::Action(name) => self.action(name, ctx),
            Input::Char(c) => {
                let layout = self.layout(ctx);
                self.clamp_cursor(ctx, &layout);
                self.typed(ctx, c, &layout)
            }
            Input::Answer(tag, text) => self.answer(tag, &text, ctx),
            Input::Click { x, y } => self.click(x, y, ctx),
            Input::Scroll(d) => {
                self.move_rows(ctx, d as i64 * 3);
                Outcome::Handled
            }
        }
    }
}

/// Cursor moves that drop the selection when made without shift.
fn is_motion(name: &str) -> bool {
    matches!(
        name,
        "pattern.up"
            | "pattern.down"
            | "pattern.left"
            | "pattern.right"
            | "pattern.page_up"
            | "pattern.page_down"
            | "pattern.top"
            | "pattern.bottom"
            | "pattern.next_track"
            | "pattern.prev_track"
    )
}

impl View for PatternView {
    fn info(&self) -> ViewInfo {
        INFO
    }

    fn title(&self, ctx: &Ctx) -> String {
        let at = Self::at(ctx);
        match ctx.doc.info(at.bank, at.pattern) {
            Some(i) => format!(
                "Bank {} Pattern {:02} Part {} Len {}{} Scale {} {}",
                crate::format::bank_letter(at.bank),
                at.pattern + 1,
                i.part + 1,
                i.length,
                if i.per_track { " (per track)" } else { "" },
                i.scale,
                i.tempo
            ),
            None => format!(
                "Bank {} Pattern {:02} (not loaded)",
                crate::format::bank_letter(at.bank),
                at.pattern + 1
            ),
        }
    }

    fn actions(&self) -> &'static [ActionDef] {
        actions::ACTIONS
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let (grid, band, panel) = crate::ui::track_settings::split(area, &self.recorder);
        render::render(self, frame, grid, ctx);
        crate::ui::track_settings::render(
            frame.buffer_mut(),
            &self.recorder,
            (band, panel),
            ctx,
            Self::at(ctx),
            self.cursor.track,
            self.cursor.row,
        );
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let out = self.handle_input(input, ctx);
        let layout = self.layout(ctx);
        self.clamp_cursor(ctx, &layout);
        self.shown_col = self.cursor_col(&layout);
        out
    }

    fn key_contexts(&self, _ctx: &Ctx) -> Vec<&'static str> {
        // Chord columns NOT2-NOT4 are note columns too: note keys enter absolute notes.
        if self.shown_col == Col::Note || chord_index(self.cursor.track, self.shown_col).is_some() {
            vec!["pattern.note"]
        } else {
            vec!["pattern"]
        }
    }

    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        match self.shown_col {
            _ if self.anchor.is_some() => vec![
                "pattern.copy",
                "pattern.cut",
                "pattern.transpose_up",
                "pattern.interpolate",
            ],
            Col::Trig => vec![
                "pattern.toggle_trig",
                "pattern.toggle_trigless",
                "pattern.clear_step",
            ],
            Col::Note => vec!["pattern.note.n0", "pattern.octave_up", "pattern.clear"],
            Col::Lock(_) => vec![
                "pattern.clear",
                "pattern.add_column",
                "pattern.remove_column",
            ],
            Col::Cond => vec!["pattern.cond_next", "pattern.cond_pick"],
            Col::Micro => vec!["pattern.micro_inc", "pattern.micro_pick"],
            _ => vec![
                "pattern.retrig_inc",
                "pattern.toggle_oneshot",
                "pattern.toggle_slide",
            ],
        }
    }

    fn prompt_choices(&self, tag: &str, ctx: &Ctx) -> Vec<(String, String)> {
        if tag != "pattern.add_column" {
            return Vec::new();
        }
        self.layout(ctx)
            .get(self.cursor.track)
            .map(|tc| tc.kind.lock_choices())
            .unwrap_or_default()
    }

    fn cursor_line(&self, ctx: &Ctx) -> Option<String> {
        Some(self.cursor_text(ctx))
    }

    fn cursor_step(&self, _ctx: &Ctx) -> Option<(usize, usize)> {
        Some((self.cursor.track, self.cursor.row))
    }

    fn header_track(&self, x: u16, y: u16) -> Option<usize> {
        let hit = self.hit.iter().find(|(cx, w, _, _)| x >= *cx && x < cx + w);
        hit.filter(|_| y + 2 == self.grid_top).map(|h| h.2)
    }

    fn animating(&self, ctx: &Ctx) -> bool {
        ctx.engines
            .midi_control
            .as_ref()
            .is_some_and(|m| m.position(0).is_some())
    }
}

impl PatternView {
    /// The cursor line: track, step and column, octave, edit step, value mode, selection
    /// (steps x columns), play state and read-only state, within 80 columns
    /// (`T1 step 05/16 PTCH | oct 4 | edit +1 | dec | sel 4x2 | stopped | editable`).
    pub fn cursor_text(&self, ctx: &Ctx) -> String {
        let layout = self.layout(ctx);
        let col = self.cursor_col(&layout);
        let column = layout
            .get(self.cursor.track)
            .map_or_else(String::new, |tc| columns::column_name(&tc.kind, col));
        let len = Self::track_len(ctx, self.cursor.track);
        let selection = match self.selection(&layout) {
            Some(b) => format!("sel {}x{}", b.rows.end() - b.rows.start() + 1, b.cols.len()),
            None => "no sel".into(),
        };
        let playing = ctx
            .engines
            .midi_control
            .as_ref()
            .is_some_and(|m| m.position(self.cursor.track).is_some());
        format!(
            "{} step {:02}/{len} {column} | oct {} | edit +{} | {} | {selection} | {} | {}",
            track_name(self.cursor.track),
            self.cursor.row + 1,
            self.octave,
            ctx.edit_step,
            if self.hex { "hex" } else { "dec" },
            match (playing, self.follow) {
                (true, true) => "playing, follow",
                (true, false) => "playing",
                (false, true) => "stopped, follow",
                (false, false) => "stopped",
            },
            if ctx.doc.read_only() {
                "read-only"
            } else {
                "editable"
            }
        )
    }
}

/// The first pattern (bank, pattern) that has any trig, for opening a project.
pub fn first_pattern_with_trigs(doc: &crate::ui::model::Document) -> Option<(usize, usize)> {
    for b in 0..16 {
        let Some(bank) = doc.bank(b) else { continue };
        for (p, pat) in bank.patterns.iter().enumerate() {
            let audio = pat
                .audio
                .iter()
                .any(|t| !t.trigs.is_empty() || !t.trigless.is_empty());
            let midi = pat
                .midi
                .iter()
                .any(|t| !t.trigs.is_empty() || !t.trigless.is_empty());
            if audio || midi {
                return Some((b, p));
            }
        }
    }
    None
}

impl TrackCols {
    /// Total width of the track block (columns plus single spaces between them).
    pub fn width(&self) -> u16 {
        self.cols
            .iter()
            .map(|c| c.width() + 1)
            .sum::<u16>()
            .saturating_sub(1)
    }
}

/// The chord column index (1..=3 for NOT2..NOT4) of a MIDI track's column.
pub fn chord_index(track: usize, col: Col) -> Option<u8> {
    match col {
        Col::Lock(i @ 3..=5) if is_midi(track) => Some(i - 2),
        _ => None,
    }
}

/// Whether a step of a track shows a trig of any kind.
pub fn has_trig(ctx: &Ctx, track: usize, step: usize) -> bool {
    PatternView::at(ctx).trig_kind(&ctx.doc, track, step) != TrigKind::None
}
