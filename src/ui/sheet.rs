//! A table of labelled rows and fixed-width columns with a cursor, drawn with the theme's grid
//! styles: the shared body of the parts, scenes, slots, arranger, settings and overview views.

use super::view::Ctx;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What to draw.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// Lines above the table (title, facts).
    pub top: Vec<String>,
    /// Column titles.
    pub columns: Vec<String>,
    /// Row labels and cells.
    pub rows: Vec<(String, Vec<String>)>,
    /// Lines below the table (details of the cursor's cell).
    pub bottom: Vec<String>,
    /// Width of the label column.
    pub label_width: usize,
    /// Width of each cell.
    pub cell_width: usize,
}

/// Cursor and scroll position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    /// Row.
    pub row: usize,
    /// Column.
    pub col: usize,
    /// First row shown.
    pub scroll: usize,
    /// First column shown (when the columns are wider than the area).
    pub col_scroll: usize,
}

impl Pos {
    /// Applies a shared motion over `rows` x `cols` cells with `page` rows a page.
    pub fn nav(&mut self, nav: crate::ui::command::NavCmd, rows: usize, cols: usize, page: usize) {
        let (dr, dc) = nav.delta(page, rows);
        self.step(dr, dc, rows, cols);
    }

    /// Moves by (dr, dc) inside `rows` x `cols`.
    pub fn step(&mut self, dr: i64, dc: i64, rows: usize, cols: usize) {
        let clamp = |v: i64, n: usize| v.clamp(0, n.saturating_sub(1) as i64) as usize;
        self.row = clamp(self.row as i64 + dr, rows);
        self.col = clamp(self.col as i64 + dc, cols);
    }
    /// Keeps the cursor inside `rows` x `cols`.
    pub fn clamp(&mut self, rows: usize, cols: usize) {
        self.step(0, 0, rows, cols);
    }
}

fn fit(s: &str, w: usize) -> String {
    let mut out: String = s.chars().take(w).collect();
    let n = out.chars().count();
    out.extend(std::iter::repeat_n(' ', w - n));
    out
}

/// Draws the sheet, scrolling so that the cursor row is visible.
pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, sheet: &Sheet, pos: &mut Pos) {
    let th = &ctx.theme;
    // Columns that fit beside the labels; scroll sideways so that the cursor column shows.
    let fit_cols =
        ((area.width as usize).saturating_sub(sheet.label_width) / (sheet.cell_width + 1)).max(1);
    if pos.col < pos.col_scroll {
        pos.col_scroll = pos.col;
    }
    if pos.col >= pos.col_scroll + fit_cols {
        pos.col_scroll = pos.col + 1 - fit_cols;
    }
    pos.col_scroll = pos
        .col_scroll
        .min(sheet.columns.len().saturating_sub(fit_cols));
    let first = pos.col_scroll;
    let mut lines: Vec<Line> = sheet
        .top
        .iter()
        .map(|t| Line::from(Span::styled(t.clone(), th.style("header.title"))))
        .collect();
    let mut head = vec![Span::styled(
        fit("", sheet.label_width),
        th.style("grid.column_header"),
    )];
    for (c, title) in sheet.columns.iter().enumerate().skip(first) {
        let style = if c == pos.col {
            th.style("grid.track_current")
        } else {
            th.style("grid.track")
        };
        head.push(Span::styled(
            format!(" {}", fit(title, sheet.cell_width)),
            style,
        ));
    }
    lines.push(Line::from(head));
    let fixed = lines.len() + sheet.bottom.len() + 1;
    let visible = (area.height as usize).saturating_sub(fixed).max(1);
    if pos.row < pos.scroll {
        pos.scroll = pos.row;
    }
    if pos.row >= pos.scroll + visible {
        pos.scroll = pos.row + 1 - visible;
    }
    for (r, (label, cells)) in sheet.rows.iter().enumerate().skip(pos.scroll).take(visible) {
        let label_style = if r == pos.row {
            th.style("grid.cursor_row")
        } else {
            th.style("grid.row_number")
        };
        let mut spans = vec![Span::styled(fit(label, sheet.label_width), label_style)];
        for (c, cell) in cells.iter().enumerate().skip(first) {
            let style: Style = if r == pos.row && c == pos.col {
                th.style("grid.cursor")
            } else if cell.trim().is_empty() || cell.trim() == "." {
                th.style("cell.empty")
            } else if r == pos.row {
                th.style("grid.cursor_row")
            } else {
                th.style("cell.lock")
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(fit(cell, sheet.cell_width), style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    lines.extend(
        sheet
            .bottom
            .iter()
            .map(|t| Line::from(Span::styled(t.clone(), th.style("status.message")))),
    );
    frame.render_widget(Paragraph::new(lines), area);
}

/// Parses a typed number, naming what was expected.
pub fn parse_num(text: &str, min: i64, max: i64, what: &str) -> Result<i64, String> {
    let t = text.trim();
    match t.parse::<i64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        Ok(v) => Err(format!("{what}: {v} is outside {min}..={max}")),
        Err(_) => Err(format!("{what}: {t:?} is not a number ({min}..={max})")),
    }
}
