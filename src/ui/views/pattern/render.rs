//! Drawing the pattern grid straight into the frame buffer (fast enough for every key press).

use super::columns::{Col, cond_text};
use super::edit::TrigKind;
use super::{PatternView, TrackCols};
use crate::format::bank::{NO_LOCK, Pattern};
use crate::format::params::{ParamInfo, ValueDisplay};
use crate::format::{MachineType, StepWord, TrigCondition};
use crate::symbols;
use crate::ui::model::{TRACKS, is_midi, track_name};
use crate::ui::view::Ctx;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::fmt::Write;

const ROWNUM: u16 = 3;

/// Styles resolved once per frame (theme lookups are too slow per cell).
struct Styles {
    base: Style,
    cell_note: Style,
    cell_lock: Style,
    cell_cond: Style,
    cell_micro: Style,
    cell_retrig: Style,
    cell_flag: Style,
    cell_empty: Style,
    trig_trig: Style,
    trig_trigless: Style,
    trig_lock: Style,
    trig_none: Style,
    grid_track: Style,
    grid_track_current: Style,
    grid_column_header: Style,
    grid_row_number: Style,
    grid_page: Style,
    grid_beat: Style,
    grid_cursor_row: Style,
    grid_playhead: Style,
    grid_dimmed: Style,
    grid_selection: Style,
    grid_cursor: Style,
    grid_separator: Style,
}

impl Styles {
    fn of(th: &crate::ui::theme::Theme) -> Self {
        Self {
            base: th.style("base"),
            cell_note: th.raw("cell.note"),
            cell_lock: th.raw("cell.lock"),
            cell_cond: th.raw("cell.cond"),
            cell_micro: th.raw("cell.micro"),
            cell_retrig: th.raw("cell.retrig"),
            cell_flag: th.raw("cell.flag"),
            cell_empty: th.raw("cell.empty"),
            trig_trig: th.raw("trig.trig"),
            trig_trigless: th.raw("trig.trigless"),
            trig_lock: th.raw("trig.lock"),
            trig_none: th.raw("trig.none"),
            grid_track: th.raw("grid.track"),
            grid_track_current: th.raw("grid.track_current"),
            grid_column_header: th.raw("grid.column_header"),
            grid_row_number: th.raw("grid.row_number"),
            grid_page: th.raw("grid.page"),
            grid_beat: th.raw("grid.beat"),
            grid_cursor_row: th.raw("grid.cursor_row"),
            grid_playhead: th.raw("grid.playhead"),
            grid_dimmed: th.raw("grid.dimmed"),
            grid_selection: th.raw("grid.selection"),
            grid_cursor: th.raw("grid.cursor"),
            grid_separator: th.raw("grid.separator"),
        }
    }
}

fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, text: &str, width: u16, style: Style) {
    let area = buf.area;
    if x >= right || x < area.x || y < area.y || y >= area.bottom() {
        return;
    }
    let w = width.min(right - x).min(area.right().saturating_sub(x)) as usize;
    if !text.is_ascii() {
        buf.set_stringn(x, y, text, w, style);
        // Pad the rest of the cell so backgrounds are continuous.
        for i in (text.chars().count() as u16).min(w as u16)..w as u16 {
            if let Some(c) = buf.cell_mut((x + i, y)) {
                c.set_char(' ').set_style(style);
            }
        }
        return;
    }
    // Fast path: one cell per byte, indexed straight into the row; padded with blanks.
    let start = buf.index_of(x, y);
    for (i, c) in buf.content[start..start + w].iter_mut().enumerate() {
        match text.get(i..i + 1) {
            Some(one) if one != " " => {
                c.set_symbol(one);
            }
            // A cell that already shows a blank (a reset cell) is left as it is.
            _ if c.symbol() == " " => {}
            _ => {
                c.set_char(' ');
            }
        }
        c.set_style(style);
    }
}

/// What one step of one track holds, read once per drawn row.
struct StepCells {
    kind: TrigKind,
    word: StepWord,
    locks: [u8; 32],
    oneshot: bool,
    slide: bool,
    swing: bool,
}

impl StepCells {
    fn read(p: Option<&Pattern>, t: usize, s: usize) -> Self {
        let mut c = StepCells {
            kind: TrigKind::None,
            word: StepWord(0),
            locks: [NO_LOCK; 32],
            oneshot: false,
            slide: false,
            swing: false,
        };
        let Some(p) = p else { return c };
        let (trig, trigless, lock) = if t < 8 {
            let a = &p.audio[t];
            c.oneshot = a.oneshot.get(s);
            c.slide = a.slide.get(s);
            c.swing = a.swing.get(s);
            c.word = a.step_word(s);
            if let Some(r) = a.plocks.record(s) {
                c.locks = r.0;
            }
            (a.trigs.get(s), a.trigless.get(s), a.plock_only.get(s))
        } else {
            let m = &p.midi[t - 8];
            c.swing = m.swing.get(s);
            c.word = m.step_word(s);
            if let Some(r) = m.plocks.record(s) {
                c.locks = r.0;
            }
            (m.trigs.get(s), m.trigless.get(s), m.plock_only.get(s))
        };
        c.kind = if trig {
            TrigKind::Trig
        } else if trigless {
            TrigKind::Trigless
        } else if lock {
            TrigKind::Lock
        } else {
            TrigKind::None
        };
        c
    }

    fn lock(&self, i: u8) -> Option<u8> {
        let v = self.locks[i as usize & 31];
        (v != NO_LOCK).then_some(v)
    }
}

/// Writes a note name (60 = C-4) without allocating.
fn note_text(out: &mut String, note: u8) {
    const NAMES: [&str; 12] = [
        "C-", "C#", "D-", "D#", "E-", "F-", "F#", "G-", "G#", "A-", "A#", "B-",
    ];
    out.push_str(NAMES[(note % 12) as usize]);
    num(out, (note / 12) as i32 - 1, 0, false);
}

/// Writes `v` in decimal right-aligned to `width` (a leading `+` when `plus` and positive),
/// as `format!("{v:>width$}")` / `format!("{v:>+width$}")` would, without the formatter.
fn num(out: &mut String, v: i32, width: usize, plus: bool) {
    let mut digits = [0u8; 12];
    let mut i = digits.len();
    let mut m = v.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        digits[i] = b'-';
    } else if plus && v > 0 {
        i -= 1;
        digits[i] = b'+';
    }
    let len = digits.len() - i;
    for _ in len..width {
        out.push(' ');
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// Writes `text` right-aligned to `width` characters.
fn pad_left(out: &mut String, text: &str, width: usize) {
    for _ in text.chars().count()..width {
        out.push(' ');
    }
    out.push_str(text);
}

/// Condition texts made once per frame, by condition code.
struct CondTexts(Vec<Option<String>>);

impl CondTexts {
    fn new() -> Self {
        Self(vec![None; 128])
    }

    fn get(&mut self, code: u8) -> &str {
        let slot = &mut self.0[code as usize & 127];
        slot.get_or_insert_with(|| cond_text(TrigCondition::from_code(code)))
    }
}

/// Writes a lock value as the device shows it, right-aligned in 4 cells.
fn lock_text(out: &mut String, info: Option<&ParamInfo>, v: u8) {
    match info.map(|p| p.display) {
        None | Some(ValueDisplay::Unipolar) => num(out, v as i32, 4, false),
        Some(ValueDisplay::Bipolar) => num(out, v as i32 - 64, 4, true),
        Some(_) => {
            let shown = info.map_or_else(|| v.to_string(), |p| p.show(v));
            pad_left(out, &shown, 4);
        }
    }
}

/// Text of one cell, right-aligned into its width; returns false for an empty cell.
fn cell_text(
    out: &mut String,
    tc: &TrackCols,
    params: &[Option<ParamInfo>; 32],
    c: &StepCells,
    col: Col,
    conds: &mut CondTexts,
) -> bool {
    out.clear();
    let t = tc.kind.track;
    let mut filled = true;
    match col {
        Col::Trig => out.push_str(match c.kind {
            TrigKind::Trig => symbols::TRIG,
            TrigKind::Trigless => symbols::TRIGLESS,
            TrigKind::Lock => symbols::LOCK,
            TrigKind::None => {
                filled = false;
                symbols::EMPTY
            }
        }),
        Col::Note => match c.lock(0) {
            Some(v) if is_midi(t) => note_text(out, v),
            Some(v) => match tc.kind.machine {
                MachineType::Flex | MachineType::Static | MachineType::Pickup => {
                    note_text(out, (60 + v as i16 - 64).clamp(0, 127) as u8)
                }
                _ => num(out, v as i32, 3, false),
            },
            None => {
                filled = false;
                out.push_str("---");
            }
        },
        Col::Lock(i) => match c.lock(i) {
            Some(v) if is_midi(t) && (3..=5).contains(&i) && c.lock(0).is_some() => {
                let n = c.lock(0).unwrap_or(60);
                let note = n as i16 + v as i16 - 64;
                if v == 64 || !(0..=127).contains(&note) {
                    // offset 0 (or a note outside 0..=127): the device plays no note here
                    out.push_str(" ---");
                } else {
                    // Right-aligned to 4: names are 3 characters from octave 0 up ("C--1" is 4).
                    if note >= 12 {
                        out.push(' ');
                    }
                    note_text(out, note as u8);
                }
            }
            Some(v) => lock_text(out, params[i as usize & 31].as_ref(), v),
            None => {
                filled = false;
                out.push_str("  ..");
            }
        },
        Col::Cond => {
            let cond = c.word.condition();
            if cond == TrigCondition::None {
                filled = false;
                out.push_str("  ...");
            } else {
                pad_left(out, conds.get(c.word.condition_code()), 5);
            }
        }
        Col::Micro => {
            let m = c.word.micro_timing().0;
            if m == 0 {
                filled = false;
                out.push_str(" ..");
            } else {
                num(out, m as i32, 3, true);
            }
        }
        Col::Retrig => {
            let r = c.word.repeats();
            if r > 1 {
                num(out, r as i32, 0, false);
            } else {
                filled = false;
                out.push('.');
            }
        }
        Col::OneShot | Col::Slide | Col::Swing => {
            let (on, ch) = match col {
                Col::OneShot => (c.oneshot, symbols::ONESHOT),
                Col::Slide => (c.slide, symbols::SLIDE),
                _ => (c.swing, symbols::SWING),
            };
            filled = on;
            out.push_str(if on { ch } else { symbols::EMPTY });
        }
    }
    filled
}

fn col_style(st: &Styles, col: Col, kind: TrigKind) -> Style {
    match col {
        Col::Trig => match kind {
            TrigKind::Trig => st.trig_trig,
            TrigKind::Trigless => st.trig_trigless,
            TrigKind::Lock => st.trig_lock,
            TrigKind::None => st.trig_none,
        },
        Col::Note => st.cell_note,
        Col::Lock(_) => st.cell_lock,
        Col::Cond => st.cell_cond,
        Col::Micro => st.cell_micro,
        Col::Retrig => st.cell_retrig,
        _ => st.cell_flag,
    }
}

/// Draws the view.
pub fn render(view: &mut PatternView, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    if view.follow
        && let Some(row) = ctx
            .engines
            .midi_control
            .as_ref()
            .and_then(|m| m.playhead((ctx.nav.bank, ctx.nav.pattern)))
            .or_else(|| ctx.local.playhead((ctx.nav.bank, ctx.nav.pattern)))
            .map(|h| h[view.cursor.track.min(15)] as usize)
            .filter(|r| *r != usize::from(crate::seq::timeline::SILENT_STEP))
    {
        view.cursor.row = row;
    }
    let layout = view.layout(ctx);
    view.clamp_cursor(ctx, &layout);
    view.shown_col = view.cursor_col(&layout);
    let st = Styles::of(&ctx.theme);
    let buf = frame.buffer_mut();
    let base = st.base;
    let right = area.right();
    if area.height < 3 || area.width < ROWNUM + 4 {
        return;
    }
    // Horizontal scroll: keep the cursor's track visible.
    let avail = area.width - ROWNUM;
    if view.cursor.track < view.first_track {
        view.first_track = view.cursor.track;
    }
    loop {
        let used: u16 = layout[view.first_track..=view.cursor.track]
            .iter()
            .map(|t| t.width() + 1)
            .sum();
        if used <= avail || view.first_track == view.cursor.track {
            break;
        }
        view.first_track += 1;
    }
    // Vertical scroll.
    let rows = PatternView::rows(ctx);
    let visible = (area.height - 2) as usize;
    if view.cursor.row < view.scroll_row {
        view.scroll_row = view.cursor.row;
    } else if view.cursor.row >= view.scroll_row + visible {
        view.scroll_row = view.cursor.row + 1 - visible;
    }
    view.scroll_row = view.scroll_row.min(rows.saturating_sub(visible));
    view.grid_top = 2;
    view.hit.clear();

    let at = PatternView::at(ctx);
    let info = ctx.doc.info(at.bank, at.pattern);
    let pat = ctx.doc.bank(at.bank).and_then(|b| b.pattern(at.pattern));
    let selection = view.selection(ctx, &layout);
    let cursor_flat = view.flat(&layout, view.cursor.track, view.cursor.col);
    let sel_flat = view.anchor_flat(ctx, &layout).map(|(r, f)| {
        (
            r.min(view.cursor.row)..=r.max(view.cursor.row),
            f.min(cursor_flat)..=f.max(cursor_flat),
        )
    });
    let _ = selection;
    // The step each track plays, while this pattern is the one playing.
    let heads = ctx
        .engines
        .midi_control
        .as_ref()
        .and_then(|m| m.playhead((at.bank, at.pattern)))
        // The local engine's playhead when the device does not play (`local_play`).
        .or_else(|| ctx.local.playhead((at.bank, at.pattern)));
    let playhead = heads.map(|h| h[view.cursor.track.min(15)] as usize);
    let (muted, soloed) = ctx
        .engines
        .midi_control
        .as_ref()
        .map_or((0, 0), |m| m.mutes());

    // Row numbers column.
    put(buf, area.x, area.y, right, "", ROWNUM, st.grid_track);
    put(
        buf,
        area.x,
        area.y + 1,
        right,
        "",
        ROWNUM,
        st.grid_column_header,
    );
    let mut text = String::with_capacity(16);
    let mut conds = CondTexts::new();
    for (i, row) in (view.scroll_row..rows.min(view.scroll_row + visible)).enumerate() {
        let y = area.y + 2 + i as u16;
        let mut style = row_style(&st, row, view.cursor.row, playhead);
        if row % 16 == 0 {
            style = style.patch(st.grid_row_number).patch(st.grid_page);
        } else {
            style = style.patch(st.grid_row_number);
        }
        text.clear();
        if row + 1 < 10 {
            text.push('0');
        }
        num(&mut text, row as i32 + 1, 0, false);
        text.push(' ');
        put(buf, area.x, y, right, &text, ROWNUM, style);
    }
    // Empty rows below the pattern.
    for y in area.y + 2 + (rows.saturating_sub(view.scroll_row)).min(visible) as u16..area.bottom()
    {
        put(buf, area.x, y, right, "", area.width, base);
    }

    let mut x = area.x + ROWNUM;
    let mut flat_base: usize = layout[..view.first_track]
        .iter()
        .map(|t| t.cols.len())
        .sum();
    for (t, tc) in layout.iter().enumerate().skip(view.first_track) {
        if x >= right {
            break;
        }
        let w = tc.width();
        let tlen = PatternView::track_len(ctx, t);
        let params: [Option<ParamInfo>; 32] = std::array::from_fn(|i| tc.kind.param(i as u8));
        // Track header: name, machine, length and scale.
        let head_style = if t == view.cursor.track {
            st.grid_track_current
        } else {
            st.grid_track
        };
        text.clear();
        let _ = write!(text, "{}", track_name(t));
        if crate::ui::audition::recording_track(&ctx.engines) == Some(t) {
            text.push_str(" REC");
        }
        if soloed & (1 << t) != 0 {
            text.push_str(" SOLO");
        } else if muted & (1 << t) != 0 {
            text.push_str(" MUTE");
        }
        if !is_midi(t) {
            let _ = write!(text, " {}", tc.kind.machine.name());
        }
        if let Some(i) = info
            && i.per_track
        {
            let sc = crate::format::Scale::from_code(
                at.get(&ctx.doc, crate::ui::model::Unit::TrackScale(t as u8)) as u8,
            );
            let _ = write!(text, " L{tlen} {sc}");
        }
        put(buf, x, area.y, right, &text, w, head_style);
        // Column labels.
        let mut cx = x;
        for (ci, col) in tc.cols.iter().enumerate() {
            let label = tc.kind.label(*col);
            let cw = col.width();
            let shown: String = label.chars().take(cw as usize).collect();
            text.clear();
            let _ = write!(text, "{shown:>width$}", width = cw as usize);
            put(buf, cx, area.y + 1, right, &text, cw, st.grid_column_header);
            if cx + cw < right && ci + 1 < tc.cols.len() {
                put(
                    buf,
                    cx + cw,
                    area.y + 1,
                    right,
                    " ",
                    1,
                    st.grid_column_header,
                );
            }
            view.hit.push((cx - area.x, cw + 1, t, ci));
            cx += cw + 1;
        }
        // Cells.
        for (i, row) in (view.scroll_row..rows.min(view.scroll_row + visible)).enumerate() {
            let y = area.y + 2 + i as u16;
            let head = heads.map(|h| h[t.min(15)] as usize);
            let rstyle = row_style(&st, row, view.cursor.row, head);
            let dim = row >= tlen;
            let cells = StepCells::read(pat, t, row);
            let kind = cells.kind;
            let mut cx = x;
            for (ci, col) in tc.cols.iter().enumerate() {
                let cw = col.width();
                let filled = cell_text(&mut text, tc, &params, &cells, *col, &mut conds);
                let mut style = rstyle.patch(if filled {
                    col_style(&st, *col, kind)
                } else {
                    st.cell_empty
                });
                if dim {
                    style = style.patch(st.grid_dimmed);
                }
                let flat = flat_base + ci;
                if let Some((rr, fr)) = &sel_flat
                    && rr.contains(&row)
                    && fr.contains(&flat)
                {
                    style = style.patch(st.grid_selection);
                }
                if row == view.cursor.row && t == view.cursor.track && ci == view.cursor.col {
                    style = style.patch(st.grid_cursor);
                    if !view.entry.is_empty() {
                        text.clear();
                        let _ = write!(text, "{:>width$}", view.entry, width = cw as usize);
                    }
                }
                put(buf, cx, y, right, &text, cw, style);
                if ci + 1 < tc.cols.len() {
                    put(buf, cx + cw, y, right, " ", 1, rstyle);
                }
                cx += cw + 1;
            }
        }
        x += w;
        // Track separator.
        if x < right {
            put(
                buf,
                x,
                area.y,
                right,
                "│",
                1,
                st.grid_separator.patch(st.grid_track),
            );
            put(
                buf,
                x,
                area.y + 1,
                right,
                "│",
                1,
                st.grid_separator.patch(st.grid_column_header),
            );
            for (i, row) in (view.scroll_row..rows.min(view.scroll_row + visible)).enumerate() {
                let st = row_style(&st, row, view.cursor.row, playhead).patch(st.grid_separator);
                put(buf, x, area.y + 2 + i as u16, right, "│", 1, st);
            }
        }
        x += 1;
        flat_base += tc.cols.len();
    }
    // Clear to the right edge.
    if x < right {
        for y in area.y..area.bottom() {
            put(buf, x, y, right, "", right - x, base);
        }
    }
    let _ = TRACKS;
}

fn row_style(st: &Styles, row: usize, cursor_row: usize, playhead: Option<usize>) -> Style {
    let mut s = st.base;
    if row.is_multiple_of(16) {
        s = s.patch(st.grid_page);
    } else if row.is_multiple_of(4) {
        s = s.patch(st.grid_beat);
    }
    if row == cursor_row {
        s = s.patch(st.grid_cursor_row);
    }
    if playhead == Some(row) {
        s = s.patch(st.grid_playhead);
    }
    s
}
