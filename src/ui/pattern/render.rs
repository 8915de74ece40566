//! Drawing the pattern grid straight into the frame buffer (fast enough for every key press).

use super::columns::{Col, cond_text, micro_text};
use super::edit::TrigKind;
use super::{PatternView, TrackCols};
use crate::format::note_name;
use crate::ui::model::{Mask, TRACKS, is_midi, track_name};
use crate::ui::view::Ctx;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::fmt::Write;

const ROWNUM: u16 = 3;

fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, text: &str, width: u16, style: Style) {
    if x >= right {
        return;
    }
    let w = width.min(right - x);
    buf.set_stringn(x, y, text, w as usize, style);
    // Pad the rest of the cell so backgrounds are continuous.
    let len = text.chars().count() as u16;
    for i in len.min(w)..w {
        buf[(x + i, y)].set_char(' ').set_style(style);
    }
}

/// Text of one cell, right-aligned into its width.
fn cell_text(
    out: &mut String,
    view: &PatternView,
    ctx: &Ctx,
    tc: &TrackCols,
    col: Col,
    step: usize,
) -> bool {
    out.clear();
    let at = PatternView::at(ctx);
    let doc = &ctx.doc;
    let t = tc.kind.track;
    let mut filled = true;
    match col {
        Col::Trig => out.push(match at.trig_kind(doc, t, step) {
            TrigKind::Trig => 'X',
            TrigKind::Trigless => 't',
            TrigKind::Lock => 'l',
            TrigKind::None => {
                filled = false;
                '.'
            }
        }),
        Col::Note => match at.lock(doc, t, step, 0) {
            Some(v) if is_midi(t) => out.push_str(&note_name(v)),
            Some(v) => match tc.kind.machine {
                crate::format::MachineType::Flex
                | crate::format::MachineType::Static
                | crate::format::MachineType::Pickup => {
                    out.push_str(&note_name((60 + v as i16 - 64).clamp(0, 127) as u8))
                }
                _ => {
                    let _ = write!(out, "{v:>3}");
                }
            },
            None => {
                filled = false;
                out.push_str("---");
            }
        },
        Col::Lock(i) => match at.lock(doc, t, step, i) {
            Some(v) => {
                let s = if is_midi(t) && (3..=5).contains(&i) {
                    match at.lock(doc, t, step, 0) {
                        Some(n) => note_name((n as i16 + v as i16 - 64).clamp(0, 127) as u8),
                        None => tc.kind.lock_value(i, v),
                    }
                } else {
                    tc.kind.lock_value(i, v)
                };
                let _ = write!(out, "{s:>4}");
            }
            None => {
                filled = false;
                out.push_str("  ..");
            }
        },
        Col::Cond => {
            let c = cond_text(at.word(doc, t, step).condition());
            if c.is_empty() {
                filled = false;
                out.push_str("  ...");
            } else {
                let _ = write!(out, "{c:>5}");
            }
        }
        Col::Micro => {
            let m = micro_text(at.word(doc, t, step));
            if m.is_empty() {
                filled = false;
                out.push_str(" ..");
            } else {
                let _ = write!(out, "{m:>3}");
            }
        }
        Col::Retrig => {
            let r = at.word(doc, t, step).repeats();
            if r > 1 {
                let _ = write!(out, "{r}");
            } else {
                filled = false;
                out.push('.');
            }
        }
        Col::OneShot | Col::Slide | Col::Swing => {
            let (m, c) = match col {
                Col::OneShot => (Mask::OneShot, 'O'),
                Col::Slide => (Mask::Slide, 'S'),
                _ => (Mask::Swing, 'W'),
            };
            filled = at.mask(doc, t, m, step);
            out.push(if filled { c } else { '.' });
        }
    }
    let _ = view;
    filled
}

fn col_style(ctx: &Ctx, col: Col, kind: TrigKind) -> Style {
    let th = &ctx.theme;
    match col {
        Col::Trig => th.style(match kind {
            TrigKind::Trig => "trig.trig",
            TrigKind::Trigless => "trig.trigless",
            TrigKind::Lock => "trig.lock",
            TrigKind::None => "trig.none",
        }),
        Col::Note => th.style("cell.note"),
        Col::Lock(_) => th.style("cell.lock"),
        Col::Cond => th.style("cell.cond"),
        Col::Micro => th.style("cell.micro"),
        Col::Retrig => th.style("cell.retrig"),
        _ => th.style("cell.flag"),
    }
}

/// Draws the view.
pub fn render(view: &mut PatternView, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let layout = view.layout(ctx);
    view.clamp_cursor(ctx, &layout);
    let th = &ctx.theme;
    let buf = frame.buffer_mut();
    let base = th.style("base");
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
    let selection = view.selection(&layout);
    let cursor_flat = view.flat(&layout, view.cursor.track, view.cursor.col);
    let sel_flat = view.anchor.map(|(r, f)| {
        (
            r.min(view.cursor.row)..=r.max(view.cursor.row),
            f.min(cursor_flat)..=f.max(cursor_flat),
        )
    });
    let _ = selection;
    let playhead = ctx.engines.midi_control.as_ref().and_then(|m| m.position());

    // Row numbers column.
    put(
        buf,
        area.x,
        area.y,
        right,
        "",
        ROWNUM,
        th.style("grid.track"),
    );
    put(
        buf,
        area.x,
        area.y + 1,
        right,
        "",
        ROWNUM,
        th.style("grid.column_header"),
    );
    let mut text = String::with_capacity(16);
    for (i, row) in (view.scroll_row..rows.min(view.scroll_row + visible)).enumerate() {
        let y = area.y + 2 + i as u16;
        let mut style = row_style(ctx, row, view.cursor.row, playhead);
        if row % 16 == 0 {
            style = style
                .patch(th.style("grid.row_number"))
                .patch(th.style("grid.page"));
        } else {
            style = style.patch(th.style("grid.row_number"));
        }
        text.clear();
        let _ = write!(text, "{:02} ", row + 1);
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
        // Track header: name, machine, length and scale.
        let head_style = if t == view.cursor.track {
            th.style("grid.track_current")
        } else {
            th.style("grid.track")
        };
        text.clear();
        let _ = write!(text, "{}", track_name(t));
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
            put(
                buf,
                cx,
                area.y + 1,
                right,
                &text,
                cw,
                th.style("grid.column_header"),
            );
            if cx + cw < right && ci + 1 < tc.cols.len() {
                put(
                    buf,
                    cx + cw,
                    area.y + 1,
                    right,
                    " ",
                    1,
                    th.style("grid.column_header"),
                );
            }
            view.hit.push((cx - area.x, cw + 1, t, ci));
            cx += cw + 1;
        }
        // Cells.
        for (i, row) in (view.scroll_row..rows.min(view.scroll_row + visible)).enumerate() {
            let y = area.y + 2 + i as u16;
            let rstyle = row_style(ctx, row, view.cursor.row, playhead);
            let dim = row >= tlen;
            let kind = at.trig_kind(&ctx.doc, t, row);
            let mut cx = x;
            for (ci, col) in tc.cols.iter().enumerate() {
                let cw = col.width();
                let filled = cell_text(&mut text, view, ctx, tc, *col, row);
                let mut style = rstyle.patch(if filled {
                    col_style(ctx, *col, kind)
                } else {
                    th.style("cell.empty")
                });
                if dim {
                    style = style.patch(th.style("grid.dimmed"));
                }
                let flat = flat_base + ci;
                if let Some((rr, fr)) = &sel_flat
                    && rr.contains(&row)
                    && fr.contains(&flat)
                {
                    style = style.patch(th.style("grid.selection"));
                }
                if row == view.cursor.row && t == view.cursor.track && ci == view.cursor.col {
                    style = style.patch(th.style("grid.cursor"));
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
                th.style("grid.separator").patch(th.style("grid.track")),
            );
            put(
                buf,
                x,
                area.y + 1,
                right,
                "│",
                1,
                th.style("grid.separator")
                    .patch(th.style("grid.column_header")),
            );
            for (i, row) in (view.scroll_row..rows.min(view.scroll_row + visible)).enumerate() {
                let st = row_style(ctx, row, view.cursor.row, playhead)
                    .patch(th.style("grid.separator"));
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

fn row_style(ctx: &Ctx, row: usize, cursor_row: usize, playhead: Option<usize>) -> Style {
    let th = &ctx.theme;
    let mut s = th.style("base");
    if row.is_multiple_of(16) {
        s = s.patch(th.style("grid.page"));
    } else if row.is_multiple_of(4) {
        s = s.patch(th.style("grid.beat"));
    }
    if row == cursor_row {
        s = s.patch(th.style("grid.cursor_row"));
    }
    if playhead == Some(row) {
        s = s.patch(th.style("grid.playhead"));
    }
    s
}
