//! The track-settings panel and the recorder-trig keys of the pattern view.
//!
//! The panel shows the cursor track's sequencer settings in the device's terms (SWING,
//! TRIG MODE ONE/ONE2/HOLD, TRIG QUANT, START SILENT, PLAYS FREE, ONESHOT TRK) and edits
//! them: while it is open, up/down choose a setting and left/right change it (one undo step
//! each). The recorder keys toggle a source or the one-shot flag of the recorder trig at the
//! cursor. Everything goes through the editor core's commands
//! ([`crate::edit::command::Command`]), so it is undoable like any other edit.
//!
//! The pattern view keeps a [`RecorderUi`] and calls [`action`] before its own actions and
//! [`split`] / [`render`] around its grid.

use crate::edit::block::Block;
use crate::edit::columns::Col;
use crate::edit::command::{self, Command, Scope};
use crate::edit::recorder::Setting;
use crate::edit::trig::At;
use crate::format::bank::RecorderSource;
use crate::ui::view::{Ctx, Outcome};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// Width of the panel.
pub const PANEL_WIDTH: u16 = 30;
/// Height of the panel: title, six settings, a hint line and the border.
pub const PANEL_HEIGHT: u16 = 10;

/// The recorder band and track-settings panel state of a pattern view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecorderUi {
    /// The recorder band is shown below the grid.
    pub band: bool,
    /// The panel is open, with this setting (index into [`Setting::ALL`]) selected.
    pub panel: Option<usize>,
}

fn exec(ctx: &mut Ctx, at: At, track: usize, step: usize, cmd: Command) -> Outcome {
    let scope = Scope {
        at,
        track,
        step,
        block: Block {
            rows: step..=step,
            cols: vec![(track, Col::Trig)],
        },
    };
    match command::execute(&mut ctx.doc, &scope, &cmd) {
        Ok(m) if m.is_empty() => Outcome::Handled,
        Ok(m) => Outcome::Message(m),
        Err(e) => Outcome::Error(e.to_string()),
    }
}

/// Handles `name` when it is one of the recorder / panel actions (`pattern.recorder_band`,
/// `pattern.rec_*`, `pattern.track_settings`), or a cursor key while the panel is open;
/// `None` leaves it to the pattern view.
pub fn action(
    ui: &mut RecorderUi,
    name: &str,
    ctx: &mut Ctx,
    at: At,
    track: usize,
    step: usize,
) -> Option<Outcome> {
    let rec = |src| Command::ToggleRecorder(src);
    let out = match name {
        "pattern.recorder_band" => {
            ui.band = !ui.band;
            Outcome::Handled
        }
        "pattern.rec_inab" => exec(ctx, at, track, step, rec(RecorderSource::InAb)),
        "pattern.rec_incd" => exec(ctx, at, track, step, rec(RecorderSource::InCd)),
        "pattern.rec_src3" => exec(ctx, at, track, step, rec(RecorderSource::Src3)),
        "pattern.rec_oneshot" => exec(ctx, at, track, step, Command::ToggleRecorderOneShot),
        "pattern.track_settings" => {
            ui.panel = match ui.panel {
                Some(_) => None,
                None => Some(0),
            };
            Outcome::Handled
        }
        _ => {
            let sel = ui.panel?;
            let n = Setting::ALL.len();
            match name {
                "nav.up" => ui.panel = Some((sel + n - 1) % n),
                "nav.down" => ui.panel = Some((sel + 1) % n),
                "pattern.select_clear" => ui.panel = None,
                "nav.left" | "nav.right" => {
                    let setting = Setting::ALL[sel];
                    let dir = if name == "nav.right" { 1 } else { -1 };
                    let v = setting.step(at.setting(&ctx.doc, track, setting), dir);
                    return Some(exec(
                        ctx,
                        at,
                        track,
                        step,
                        Command::SetTrackSetting(setting, v),
                    ));
                }
                _ => return None,
            }
            Outcome::Handled
        }
    };
    Some(out)
}

/// Splits the pattern view's area: the grid, the band below it (when shown and there is
/// room) and the panel at the grid's right (when open).
pub fn split(area: Rect, ui: &RecorderUi) -> (Rect, Option<Rect>, Option<Rect>) {
    let mut grid = area;
    let mut band = None;
    if ui.band && area.height >= crate::ui::recorder_band::BAND_HEIGHT + 6 {
        grid.height -= crate::ui::recorder_band::BAND_HEIGHT;
        band = Some(Rect {
            y: grid.bottom(),
            height: crate::ui::recorder_band::BAND_HEIGHT,
            ..area
        });
    }
    let mut panel = None;
    if ui.panel.is_some() && grid.width >= PANEL_WIDTH + 20 && grid.height >= PANEL_HEIGHT {
        grid.width -= PANEL_WIDTH;
        panel = Some(Rect {
            x: grid.right(),
            width: PANEL_WIDTH,
            height: PANEL_HEIGHT,
            ..grid
        });
    }
    (grid, band, panel)
}

/// The panel's lines: the title, then `LABEL  VALUE` per setting.
pub fn panel_lines(ctx: &Ctx, at: At, track: usize) -> Vec<(String, String)> {
    Setting::ALL
        .iter()
        .map(|s| {
            (
                s.label().to_string(),
                s.show(at.setting(&ctx.doc, track, *s)),
            )
        })
        .collect()
}

/// Draws the band and the panel into the areas [`split`] gave.
pub fn render(
    buf: &mut Buffer,
    ui: &RecorderUi,
    areas: (Option<Rect>, Option<Rect>),
    ctx: &Ctx,
    at: At,
    track: usize,
    step: usize,
) {
    if let Some(b) = areas.0 {
        crate::ui::recorder_band::render(buf, b, ctx, at, track, step);
    }
    let (Some(p), Some(sel)) = (areas.1, ui.panel) else {
        return;
    };
    let th = &ctx.theme;
    let base = th.style("base");
    let put = |buf: &mut Buffer, y: u16, s: &str, style: Style| {
        if y < p.bottom() {
            buf.set_stringn(
                p.x,
                y,
                format!("{s:<w$}", w = p.width as usize),
                p.width as usize,
                style,
            );
        }
    };
    let name = crate::edit::document::track_name(track);
    put(
        buf,
        p.y,
        &format!("│ {name} TRACK SETTINGS"),
        base.patch(th.raw("grid.track_current"))
            .add_modifier(Modifier::BOLD),
    );
    for (i, (label, value)) in panel_lines(ctx, at, track).into_iter().enumerate() {
        let mut style = base;
        if i == sel {
            style = style.patch(th.raw("grid.cursor"));
        }
        put(
            buf,
            p.y + 1 + i as u16,
            &format!("│ {label:<13}{value:>8}"),
            style,
        );
    }
    put(
        buf,
        p.y + 7,
        "│ ←/→ change  esc close",
        base.patch(th.raw("grid.column_header")),
    );
    put(buf, p.y + 8, "│", base);
    put(buf, p.y + 9, "└", base);
}

#[cfg(test)]
mod tests {
    use crate::format::bank::Bank;
    use crate::ui::testing::{app, open_corpus, press, screen};

    /// Audio track `t` of pattern 0 in bank01: 22 + 8 + t*2338 (format doc §4.1-4.3).
    fn trac(t: usize) -> usize {
        22 + 8 + t * 2338
    }

    /// The band character the bytes give for step `s` (0-based) of audio track `t`, from the
    /// four masks at +41 (§4.6), each with step k in byte 7 - k/8, bit k%8 (§4.5).
    fn hand_char(b: &[u8], t: usize, s: usize) -> char {
        let bit = |m: usize| b[trac(t) + 41 + 8 * m + 7 - s / 8] & (1 << (s % 8)) != 0;
        let n = (0..3).filter(|&m| bit(m)).count();
        let c = match n {
            0 => return if bit(3) { 'o' } else { '.' },
            1 if bit(0) => 'A',
            1 if bit(1) => 'C',
            1 => 'S',
            _ => '*',
        };
        match (bit(3), c) {
            (false, c) => c,
            (true, '*') => '+',
            (true, c) => c.to_ascii_lowercase(),
        }
    }

    #[test]
    fn band_and_panel_show_the_bytes_of_multipart_and_edit_them() {
        let Some(project) = open_corpus("ot/multipart") else {
            return;
        };
        let mut a = app(project, "tracker");
        a.ctx.nav.bank = 0;
        a.ctx.nav.pattern = 0;
        let bytes = a.ctx.doc.bank(0).map(Bank::to_bytes).unwrap();
        let s = screen(&mut a, 140, 50);
        assert!(
            !s.iter().any(|l| l.contains("REC  A INAB")),
            "band hidden at first"
        );
        press(&mut a, &["ctrl+alt+b"]);
        let s = screen(&mut a, 140, 50);
        let title = s
            .iter()
            .position(|l| l.starts_with("REC  A INAB"))
            .unwrap_or_else(|| panic!("band title\n{}", s.join("\n")));
        for t in 0..8 {
            let line = &s[title + 2 + t];
            assert!(line.starts_with(&format!("T{} ", t + 1)), "{line}");
            let steps: String = line
                .chars()
                .skip(4)
                .filter(|c| *c != ' ')
                .take(64)
                .collect();
            let want: String = (0..64).map(|st| hand_char(&bytes, t, st)).collect();
            assert_eq!(steps, want, "T{}", t + 1);
        }
        // T2 records from all three sources on steps 1 and 17
        assert!(
            s[title + 3].starts_with("T2  *..............."),
            "{}",
            s[title + 3]
        );
        // A recorder trig toggled at the cursor (T1 step 1) shows in the band at once.
        press(&mut a, &["ctrl+alt+c"]);
        let s = screen(&mut a, 140, 50);
        assert!(s[title + 2].starts_with("T1  C"), "{}", s[title + 2]);
        press(&mut a, &["ctrl+z"]);
        // The panel for T2: values as the bytes +91..+96 say.
        press(&mut a, &["tab", "ctrl+alt+t"]);
        let s = screen(&mut a, 140, 50);
        let top = s
            .iter()
            .position(|l| l.contains("T2 TRACK SETTINGS"))
            .unwrap_or_else(|| panic!("panel\n{}", s.join("\n")));
        let byte = s[top].find("│ T2").unwrap();
        let col = s[top][..byte].chars().count();
        let row =
            |i: usize| -> String { s[top + i].chars().skip(col).take(30).collect::<String>() };
        let o = trac(1);
        assert_eq!(bytes[o + 91], 0);
        assert!(
            row(1).contains("SWING") && row(1).contains("50%"),
            "{}",
            row(1)
        );
        assert_eq!(bytes[o + 94], 2);
        assert!(
            row(2).contains("TRIG MODE") && row(2).contains("HOLD"),
            "{}",
            row(2)
        );
        assert_eq!(bytes[o + 95], 5);
        assert!(
            row(3).contains("TRIG QUANT") && row(3).trim_end().ends_with('6'),
            "{}",
            row(3)
        );
        assert_eq!(bytes[o + 92], 255);
        assert!(
            row(4).contains("START SILENT") && row(4).contains("ON"),
            "{}",
            row(4)
        );
        assert_eq!(bytes[o + 93], 1);
        assert!(
            row(5).contains("PLAYS FREE") && row(5).contains("ON"),
            "{}",
            row(5)
        );
        assert_eq!(bytes[o + 96], 0);
        assert!(
            row(6).contains("ONESHOT TRK") && row(6).contains("OFF"),
            "{}",
            row(6)
        );
        // down to TRIG MODE, right: HOLD wraps to ONE; only byte +94 and the checksum change
        press(&mut a, &["down", "right"]);
        let after = a.ctx.doc.bank(0).map(Bank::to_bytes).unwrap();
        let d: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] != after[i]).collect();
        assert!(d.iter().all(|&i| i == o + 94 || i >= 636111), "{d:?}");
        assert_eq!(after[o + 94], 0);
        let s = screen(&mut a, 140, 50);
        assert!(s[top + 2].contains("ONE "), "{}", s[top + 2]);
        // esc closes the panel; the grid's cursor did not move while it was open
        press(&mut a, &["esc"]);
        let s = screen(&mut a, 140, 50);
        assert!(!s.iter().any(|l| l.contains("TRACK SETTINGS")));
        press(&mut a, &["ctrl+z"]);
        assert_eq!(a.ctx.doc.bank(0).map(Bank::to_bytes).unwrap(), bytes);
    }
}
