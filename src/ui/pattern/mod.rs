//! The pattern view: tracks as columns, steps as rows, p-locks as sub-columns.

pub mod actions;
pub mod block;
pub mod columns;
pub mod edit;
mod render;

use self::block::{Block, Clipboard};
use self::columns::{Col, TrackKind, locked_bytes};
use self::edit::{At, EMPTY, TrigKind};
use crate::format::{MicroTiming, TrigCondition};
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
    /// Digits typed so far into a value cell.
    pub entry: String,
    /// Copied cells.
    pub clipboard: Clipboard,
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
            entry: String::new(),
            clipboard: Clipboard::default(),
            extra: Default::default(),
            hidden: Default::default(),
            scroll_row: 0,
            first_track: 0,
            shown_col: Col::Trig,
            hit: Vec::new(),
            grid_top: 0,
            rng: rand::rngs::StdRng::seed_from_u64(0x0c7a),
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
        let at = Self::at(ctx);
        match ctx.doc.info(at.bank, at.pattern) {
            Some(i) if i.per_track => at.get(&ctx.doc, Unit::TrackLength(track as u8)) as usize,
            Some(i) => i.length as usize,
            None => 16,
        }
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

    /// Commits the document's pending changes as one undo step.
    fn done(ctx: &mut Ctx, label: &str) -> Outcome {
        ctx.doc.commit(label);
        Outcome::Handled
    }

    fn note_entry(&mut self, ctx: &mut Ctx, semis: u8) -> Outcome {
        let note = (self.octave as u16 + 1) * 12 + semis as u16;
        if note > 127 {
            return Outcome::Error("note out of range".into());
        }
        let at = Self::at(ctx);
        let (t, s) = (self.cursor.track, self.cursor.row);
        at.set_note(&mut ctx.doc, t, s, note as u8);
        let note = at.note(&ctx.doc, t, s);
        if let (Some(m), Some(bank), Some(n)) = (
            ctx.engines.midi_control.as_mut(),
            ctx.doc.bank(at.bank),
            note,
        ) {
            m.audition(bank, (at.bank, at.pattern), t, n, 100);
        }
        self.advance(ctx);
        Self::done(ctx, "note")
    }

    fn commit_entry(&mut self, ctx: &mut Ctx, layout: &[TrackCols]) -> Outcome {
        let text = std::mem::take(&mut self.entry);
        if text.is_empty() {
            return Outcome::Handled;
        }
        let radix = if self.hex { 16 } else { 10 };
        let Ok(v) = u16::from_str_radix(&text, radix) else {
            return Outcome::Error(format!("not a number: {text}"));
        };
        let at = Self::at(ctx);
        let (t, s) = (self.cursor.track, self.cursor.row);
        match self.cursor_col(layout) {
            c @ (Col::Lock(_) | Col::Note) => {
                if v > 127 && !matches!(c, Col::Lock(31)) {
                    return Outcome::Error(format!("{v} is out of range 0-127"));
                }
                at.cell_set(&mut ctx.doc, t, c, s, v.min(254));
            }
            Col::Retrig => at.cell_set(&mut ctx.doc, t, Col::Retrig, s, v.clamp(1, 8)),
            _ => return Outcome::Handled,
        }
        self.advance(ctx);
        Self::done(ctx, "value")
    }

    fn typed(&mut self, ctx: &mut Ctx, c: char, layout: &[TrackCols]) -> Outcome {
        let col = self.cursor_col(layout);
        let ok = match col {
            Col::Lock(_) | Col::Note | Col::Retrig => {
                if self.hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            }
            _ => false,
        };
        if !ok {
            return Outcome::Ignored;
        }
        self.entry.push(c.to_ascii_uppercase());
        let full = match col {
            Col::Retrig => 1,
            _ if self.hex => 2,
            _ => 3,
        };
        if self.entry.len() >= full {
            return self.commit_entry(ctx, layout);
        }
        Outcome::Handled
    }

    fn cycle_cond(ctx: &mut Ctx, at: At, b: &Block, d: i64) {
        let all = TrigCondition::all();
        for t in b.tracks() {
            for s in b.rows.clone() {
                at.edit_word(&mut ctx.doc, t, s, |w| {
                    let i = all.iter().position(|c| *c == w.condition()).unwrap_or(0) as i64;
                    let n = all[((i + d).rem_euclid(all.len() as i64)) as usize];
                    w.set_condition(n);
                });
            }
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
                at.toggle_trig(&mut ctx.doc, t, s, m);
                self.advance(ctx);
                Self::done(ctx, "trig")
            }
            "pattern.clear" => {
                match self.selection(&layout) {
                    Some(b) => block::clear(&mut ctx.doc, at, &b),
                    None if col == Col::Trig => at.clear_step(&mut ctx.doc, t, s),
                    None => at.cell_set(&mut ctx.doc, t, col, s, EMPTY),
                }
                Self::done(ctx, "clear")
            }
            "pattern.clear_step" => {
                let b = self.block_or_cell(&layout);
                for tr in b.tracks() {
                    for st in b.rows.clone() {
                        at.clear_step(&mut ctx.doc, tr, st);
                    }
                }
                Self::done(ctx, "clear step")
            }
            "pattern.enter" if self.entry.is_empty() => match col {
                Col::Lock(i) => {
                    let kind = &layout[t].kind;
                    let range = kind
                        .param(i)
                        .map_or_else(|| "0..127".to_string(), |p| p.display.range_text());
                    let current = Some(at.cell_get(&ctx.doc, t, col, s)).filter(|&v| v != EMPTY);
                    Self::prompt(
                        &format!(
                            "{} {} step {}: value as displayed ({range}), #N for a stored N, empty clears",
                            track_name(t),
                            kind.lock_name(i),
                            s + 1
                        ),
                        "pattern.lock_value",
                        current.map_or_else(String::new, |v| kind.lock_value(i, v as u8)),
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
                Self::cycle_cond(ctx, at, &b, if name.ends_with("next") { 1 } else { -1 });
                Self::done(ctx, "condition")
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
                for tr in b.tracks() {
                    for st in b.rows.clone() {
                        at.edit_word(&mut ctx.doc, tr, st, |w| {
                            let m =
                                (w.micro_timing().0 + d).clamp(MicroTiming::MIN, MicroTiming::MAX);
                            w.set_micro_timing(MicroTiming(m));
                        });
                    }
                }
                Self::done(ctx, "micro-timing")
            }
            "pattern.micro_pick" => Self::prompt(
                "Micro-timing in 1/384 steps (-23..23)",
                "pattern.micro",
                at.word(&ctx.doc, t, s).micro_timing().0.to_string(),
            ),
            "pattern.retrig_inc" | "pattern.retrig_dec" => {
                let d: i8 = if name.ends_with("inc") { 1 } else { -1 };
                let b = self.block_or_cell(&layout);
                for tr in b.tracks() {
                    for st in b.rows.clone() {
                        at.edit_word(&mut ctx.doc, tr, st, |w| {
                            w.set_repeats((w.repeats() as i8 + d).clamp(1, 8) as u8)
                        });
                    }
                }
                Self::done(ctx, "retrig")
            }
            "pattern.toggle_oneshot" | "pattern.toggle_slide" | "pattern.toggle_swing" => {
                let m = match name {
                    "pattern.toggle_oneshot" => Mask::OneShot,
                    "pattern.toggle_slide" => Mask::Slide,
                    _ => Mask::Swing,
                };
                if is_midi(t) && m != Mask::Swing {
                    return Outcome::Error("MIDI tracks have no one-shot or slide trigs".into());
                }
                let on = at.mask(&ctx.doc, t, m, s);
                at.set_mask(&mut ctx.doc, t, m, s, !on);
                Self::done(ctx, "flag")
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
                self.clipboard = block::copy(&ctx.doc, at, &b);
                if name == "pattern.cut" {
                    block::clear(&mut ctx.doc, at, &b);
                    self.anchor = None;
                    return Self::done(ctx, "cut");
                }
                self.anchor = None;
                Outcome::Message(format!(
                    "copied {} x {}",
                    self.clipboard.rows.len(),
                    self.clipboard.cols.len()
                ))
            }
            "pattern.paste" | "pattern.mix_paste" => {
                let start = self.flat(&layout, t, self.cursor.col);
                let total: usize = layout.iter().map(|x| x.cols.len()).sum();
                let targets: Vec<(usize, Col)> = (start..total)
                    .map(|i| {
                        let (tt, c) = Self::unflat(&layout, i);
                        (tt, layout[tt].cols[c])
                    })
                    .collect();
                block::paste(
                    &mut ctx.doc,
                    at,
                    &self.clipboard,
                    s,
                    &targets,
                    name == "pattern.mix_paste",
                );
                Self::done(ctx, "paste")
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
                if self.anchor.is_none() {
                    b.cols = vec![(t, Col::Note)];
                }
                block::transpose(&mut ctx.doc, at, &b, semis);
                Self::done(ctx, "transpose")
            }
            "pattern.interpolate" => match self.selection(&layout) {
                Some(b) => {
                    let n = block::interpolate(&mut ctx.doc, at, &b);
                    ctx.doc.commit("interpolate");
                    Outcome::Message(format!("interpolated {n} column(s)"))
                }
                None => Outcome::Error("select rows of a lock column first".into()),
            },
            "pattern.fill_every" => {
                Self::prompt("Trig every N steps", "pattern.fill_every", "4".into())
            }
            "pattern.euclid" => Self::prompt(
                "Euclidean: hits steps [rotation]",
                "pattern.euclid",
                "5 16 0".into(),
            ),
            "pattern.randomize" => Self::prompt(
                "Randomize locks: min max",
                "pattern.randomize",
                "0 127".into(),
            ),
            "pattern.rotate_down"
            | "pattern.rotate_up"
            | "pattern.reverse"
            | "pattern.double"
            | "pattern.halve" => {
                let b = self.block_or_track(ctx, &layout);
                let tracks = b.tracks();
                match name {
                    "pattern.rotate_down" => block::rotate(&mut ctx.doc, at, &tracks, b.rows, 1),
                    "pattern.rotate_up" => block::rotate(&mut ctx.doc, at, &tracks, b.rows, -1),
                    "pattern.reverse" => block::reverse(&mut ctx.doc, at, &tracks, b.rows),
                    "pattern.double" => block::double(&mut ctx.doc, at, &tracks, b.rows),
                    _ => block::halve(&mut ctx.doc, at, &tracks, b.rows),
                }
                Self::done(ctx, name.trim_start_matches("pattern."))
            }
            "pattern.assign_part" => {
                at.set(&mut ctx.doc, Unit::Part, ctx.nav.part as u16);
                Self::done(ctx, "part")
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
        let at = Self::at(ctx);
        let (t, s) = (self.cursor.track, self.cursor.row);
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
                for tr in b.tracks() {
                    for st in b.rows.clone() {
                        at.edit_word(&mut ctx.doc, tr, st, |w| {
                            w.set_condition(c);
                        });
                    }
                }
                Self::done(ctx, "condition")
            }
            "pattern.micro" => match nums.first() {
                Some(m) if (-23..=23).contains(m) => {
                    at.edit_word(&mut ctx.doc, t, s, |w| {
                        w.set_micro_timing(MicroTiming(*m as i8))
                    });
                    Self::done(ctx, "micro-timing")
                }
                _ => Outcome::Error(format!("micro-timing must be -23..23, got `{text}`")),
            },
            "pattern.lock_value" => {
                let Col::Lock(i) = self.cursor_col(&layout) else {
                    return Outcome::Error("the cursor left the lock column".into());
                };
                let kind = &layout[t].kind;
                if text.trim().is_empty() {
                    at.cell_set(&mut ctx.doc, t, Col::Lock(i), s, EMPTY);
                    return Self::done(ctx, "lock cleared");
                }
                let v = match kind.param(i) {
                    Some(p) => match p.parse(text) {
                        Ok(v) => v,
                        Err(e) => return Outcome::Error(e.to_string()),
                    },
                    None => match text.trim().trim_start_matches('#').parse::<u8>() {
                        Ok(v) if v <= 127 => v,
                        _ => {
                            return Outcome::Error(format!(
                                "{} takes 0..127, got {text:?}",
                                kind.lock_name(i)
                            ));
                        }
                    },
                };
                at.cell_set(&mut ctx.doc, t, Col::Lock(i), s, u16::from(v));
                Self::done(ctx, "value")
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
                    block::fill_every(&mut ctx.doc, at, &b.tracks(), b.rows, *n as usize);
                    Self::done(ctx, "fill")
                }
                _ => Outcome::Error(format!("N must be 1-64, got `{text}`")),
            },
            "pattern.euclid" => match nums.as_slice() {
                [k, n, rest @ ..] if *n >= 1 && *n <= 64 && *k >= 0 && *k <= *n => {
                    let rot = rest.first().copied().unwrap_or(0).rem_euclid(*n) as usize;
                    let b = self.block_or_track(ctx, &layout);
                    block::euclid(
                        &mut ctx.doc,
                        at,
                        &b.tracks(),
                        *b.rows.start(),
                        *k as usize,
                        *n as usize,
                        rot,
                    );
                    Self::done(ctx, "euclid")
                }
                _ => Outcome::Error(format!(
                    "expected `hits steps [rotation]` with hits <= steps <= 64, got `{text}`"
                )),
            },
            "pattern.randomize" => match nums.as_slice() {
                [lo, hi] if (0..=127).contains(lo) && (0..=127).contains(hi) => {
                    let b = self.block_or_cell(&layout);
                    block::randomize(&mut ctx.doc, at, &b, *lo as u8, *hi as u8, &mut self.rng);
                    Self::done(ctx, "randomize")
                }
                _ => Outcome::Error(format!("expected `min max` within 0-127, got `{text}`")),
            },
            "pattern.length" => match nums.first() {
                Some(n @ 1..=64) => {
                    let per_track = ctx
                        .doc
                        .info(at.bank, at.pattern)
                        .is_some_and(|i| i.per_track);
                    let unit = if per_track {
                        Unit::TrackLength(t as u8)
                    } else {
                        Unit::Length
                    };
                    at.set(&mut ctx.doc, unit, *n as u16);
                    Self::done(ctx, "length")
                }
                _ => Outcome::Error(format!("length must be 1-64, got `{text}`")),
            },
            "pattern.tempo" => match text.trim().parse::<f64>() {
                Ok(bpm) if (30.0..=300.0).contains(&bpm) => {
                    at.set(&mut ctx.doc, Unit::Tempo, (bpm * 24.0).round() as u16);
                    Self::done(ctx, "tempo")
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
        render::render(self, frame, area, ctx);
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let out = self.handle_input(input, ctx);
        let layout = self.layout(ctx);
        self.clamp_cursor(ctx, &layout);
        self.shown_col = self.cursor_col(&layout);
        out
    }

    fn key_contexts(&self, _ctx: &Ctx) -> Vec<&'static str> {
        if self.shown_col == Col::Note {
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
            if playing { "playing" } else { "stopped" },
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

/// Whether a step of a track shows a trig of any kind.
pub fn has_trig(ctx: &Ctx, track: usize, step: usize) -> bool {
    PatternView::at(ctx).trig_kind(&ctx.doc, track, step) != TrigKind::None
}
