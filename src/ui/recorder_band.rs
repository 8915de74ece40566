//! The recorder band of the pattern view: the recorder trigs of the eight audio tracks on
//! their own strip below the grid (as Octatrack Manager shows them below the trigs), one
//! character per step. Toggled with `pattern.recorder_band`; its keys and the
//! track-settings panel live in [`crate::ui::track_settings`].

use crate::edit::trig::At;
use crate::format::bank::RecorderTrig;
use crate::ui::view::Ctx;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// Lines the band takes: a title, a ruler and the eight audio tracks.
pub const BAND_HEIGHT: u16 = 10;
/// Columns before the steps (`T1  `).
const LEFT: u16 = 4;

/// The character of a step: `.` none, `A` INAB, `C` INCD, `S` SRC3, `*` several sources;
/// lower case (`a`, `c`, `s`, `+`) when the recorder trig is one-shot; `o` a lone one-shot flag.
pub fn step_char(r: RecorderTrig) -> char {
    let c = match (r.in_ab, r.in_cd, r.src3) {
        (false, false, false) => return if r.oneshot { 'o' } else { '.' },
        (true, false, false) => 'A',
        (false, true, false) => 'C',
        (false, false, true) => 'S',
        _ => '*',
    };
    match (r.oneshot, c) {
        (false, c) => c,
        (true, '*') => '+',
        (true, c) => c.to_ascii_lowercase(),
    }
}

/// The legend shown in the band's title.
pub const LEGEND: &str = "A INAB  C INCD  S SRC3  * several  lower case: one-shot";

/// Draws the band into `area` (its top [`BAND_HEIGHT`] lines): steps 1..64 left to right,
/// a space every 16 steps; the cursor's track and step and, while playing, each track's
/// played step are highlighted.
pub fn render(buf: &mut Buffer, area: Rect, ctx: &Ctx, at: At, track: usize, step: usize) {
    let th = &ctx.theme;
    let base = th.style("base");
    let head = th.raw("grid.column_header");
    let cursor = th.raw("grid.cursor");
    let right = area.right();
    let put = |buf: &mut Buffer, x: u16, y: u16, s: &str, style: Style| {
        if y < area.bottom() && x < right {
            buf.set_stringn(x, y, s, (right - x) as usize, style);
        }
    };
    for y in area.y..area.bottom().min(area.y + BAND_HEIGHT) {
        put(buf, area.x, y, &" ".repeat(area.width as usize), base);
    }
    put(
        buf,
        area.x,
        area.y,
        &format!("REC  {LEGEND}"),
        th.raw("grid.track").add_modifier(Modifier::BOLD),
    );
    let mut ruler = String::new();
    for s in 0..64 {
        if s > 0 && s % 16 == 0 {
            ruler.push(' ');
        }
        ruler.push(if s % 16 == 0 {
            char::from_digit((s / 16 + 1) as u32, 10).unwrap_or('?')
        } else if s % 4 == 0 {
            ':'
        } else {
            ' '
        });
    }
    put(buf, area.x + LEFT, area.y + 1, &ruler, head);
    let pat = ctx.doc.bank(at.bank).and_then(|b| b.pattern(at.pattern));
    for t in 0..8 {
        let y = area.y + 2 + t as u16;
        let label_style = if t == track {
            th.raw("grid.track_current")
        } else {
            head
        };
        put(buf, area.x, y, &format!("T{} ", t + 1), label_style);
        let Some(p) = pat else { continue };
        let tr = &p.audio[t];
        let playhead = ctx
            .engines
            .midi_control
            .as_ref()
            .and_then(|m| m.position(t))
            .or_else(|| {
                ctx.local
                    .playhead((ctx.nav.bank, ctx.nav.pattern))
                    .map(|h| usize::from(h[t]))
            });
        for s in 0..64u16 {
            let x = area.x + LEFT + s + s / 16;
            let ch = step_char(tr.recorder_trig(s as usize));
            let mut style = if ch == '.' {
                th.raw("cell.empty")
            } else {
                th.raw("cell.flag")
            };
            if playhead == Some(s as usize) {
                style = style.patch(th.raw("grid.playhead"));
            }
            if t == track && s as usize == step {
                style = style.patch(cursor);
            }
            put(buf, x, y, &ch.to_string(), base.patch(style));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_of_each_combination() {
        let r = |b| step_char(RecorderTrig::from_bits(b));
        assert_eq!((0..16).map(r).collect::<String>(), ".AC*S***oac+s+++");
    }
}
