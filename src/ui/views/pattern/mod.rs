//! The pattern view: tracks as columns, steps as rows, p-locks as sub-columns.

pub mod actions;
mod cursor;
mod dispatch;
mod entry;
mod prompts;
mod render;

/// Block operations (they live in [`crate::edit::block`]).
pub use crate::edit::block;
/// Track sub-columns (they live in [`crate::edit::columns`]).
pub use crate::edit::columns;
/// Editing one pattern: the trig rules (they live in [`crate::edit::trig`]).
pub use crate::edit::trig as edit;

use self::actions::PatternCmd;
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

    fn hints(&self, ctx: &Ctx) -> Vec<&'static str> {
        match self.shown_col {
            _ if ctx.doc.selection.anchor.is_some() => vec![
                PatternCmd::Copy.name(),
                PatternCmd::Cut.name(),
                PatternCmd::Transpose(1).name(),
                PatternCmd::Interpolate.name(),
            ],
            Col::Trig => vec![
                PatternCmd::ToggleTrig.name(),
                PatternCmd::ToggleTrigless.name(),
                PatternCmd::ClearStep.name(),
            ],
            Col::Note => vec![
                PatternCmd::Note(0).name(),
                PatternCmd::Octave(1).name(),
                PatternCmd::Clear.name(),
            ],
            Col::Lock(_) => vec![
                PatternCmd::Clear.name(),
                PatternCmd::AddColumn.name(),
                PatternCmd::RemoveColumn.name(),
            ],
            Col::Cond => vec![PatternCmd::Cond(1).name(), PatternCmd::CondPick.name()],
            Col::Micro => vec![PatternCmd::Micro(1).name(), PatternCmd::MicroPick.name()],
            _ => vec![
                PatternCmd::Retrig(1).name(),
                PatternCmd::Flag(Mask::OneShot).name(),
                PatternCmd::Flag(Mask::Slide).name(),
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
        let selection = match self.selection(ctx, &layout) {
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
