//! The tracker's chrome: the header line (views and the position) and the cursor line a view
//! can show above the status line.
//!
//! The position (bank, pattern, part, length, scale, tempo) is always on the header; the
//! list of views gives way first: full names, then abbreviations, then only the current view.

use super::app::App;
use super::model::PatternInfo;
use super::view::Ctx;
use crate::format::bank_letter;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The tempo as the header shows it.
///
/// The one place the header takes its tempo text from.
pub fn tempo_text(i: &PatternInfo) -> String {
    i.tempo.to_string()
}

/// The position shown on the header: `Bank A Pattern 01 Part 1 Len 16 Scale 1x 120.0 BPM`.
pub fn position_text(ctx: &Ctx) -> String {
    let (bank, pattern) = (ctx.nav.bank, ctx.nav.pattern);
    match ctx.doc.info(bank, pattern) {
        Some(i) => format!(
            "Bank {} Pattern {:02} Part {} Len {}{} Scale {} {}",
            bank_letter(bank),
            pattern + 1,
            i.part + 1,
            i.length,
            if i.per_track { " (per track)" } else { "" },
            i.scale,
            tempo_text(&i)
        ),
        None => format!(
            "Bank {} Pattern {:02} (not loaded)",
            bank_letter(bank),
            pattern + 1
        ),
    }
}

/// One view in the header's list: its first key, its id and whether it is shown.
#[derive(Debug, Clone)]
pub struct ViewTab {
    /// The first key of the view's switch action (`F2`, `shift+F8`).
    pub key: String,
    /// The view's id (`pattern`).
    pub id: String,
    /// True for the current view.
    pub current: bool,
}

/// How much of the view list the header shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabStyle {
    /// `F2:pattern` for every view.
    Full,
    /// `F2:pat`, `S-F8:sli`: short keys and three letters.
    Short,
    /// Only the current view, in full.
    CurrentOnly,
}

/// Terminal cells of a text (the header holds ASCII and box drawing only).
fn cols(s: &str) -> usize {
    s.chars().count()
}

fn short_key(k: &str) -> String {
    k.replace("shift+", "S-")
        .replace("ctrl+", "C-")
        .replace("alt+", "A-")
}

/// The tab texts of a style (each with its current flag).
pub fn tab_texts(tabs: &[ViewTab], style: TabStyle) -> Vec<(String, bool)> {
    tabs.iter()
        .filter(|t| style != TabStyle::CurrentOnly || t.current)
        .map(|t| {
            let text = match style {
                TabStyle::Short => {
                    let id: String = t.id.chars().take(3).collect();
                    format!(" {}:{id} ", short_key(&t.key))
                }
                _ => format!(" {}:{} ", t.key, t.id),
            };
            (text, t.current)
        })
        .collect()
}

/// The header's pieces for a width: the tab texts, the view title (when it fits) and the
/// position. The title `octa` comes first when there is room.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderLayout {
    /// Whether ` octa ` is shown.
    pub name: bool,
    /// The view tabs shown (text, current).
    pub tabs: Vec<(String, bool)>,
    /// The view's own title, when it fits.
    pub title: Option<String>,
    /// The position, always shown (cut only when the screen is narrower than it).
    pub position: String,
}

/// Lays out the header: the position always, then the view's title, then the view list in
/// the widest style that fits.
pub fn header_layout(
    width: u16,
    tabs: &[ViewTab],
    title: Option<String>,
    position: String,
) -> HeaderLayout {
    let w = width as usize;
    let pos_w = cols(&position) + 2;
    let name_w = " octa ".len();
    let tabs_w = |v: &[(String, bool)]| v.iter().map(|(t, _)| cols(t)).sum::<usize>();
    // The view's title too when it fits with some form of the list; else the list alone.
    let title_w = title.as_deref().map_or(0, |s| cols(s) + 1);
    for with_title in [true, false] {
        if with_title && title.is_none() {
            continue;
        }
        let extra = if with_title { title_w } else { 0 };
        for style in [TabStyle::Full, TabStyle::Short, TabStyle::CurrentOnly] {
            let t = tab_texts(tabs, style);
            if name_w + tabs_w(&t) + pos_w + extra <= w {
                return HeaderLayout {
                    name: true,
                    tabs: t,
                    title: if with_title { title } else { None },
                    position,
                };
            }
        }
    }
    let t = tab_texts(tabs, TabStyle::CurrentOnly);
    let fits = tabs_w(&t) + pos_w <= w;
    HeaderLayout {
        name: false,
        tabs: if fits { t } else { Vec::new() },
        title: None,
        position,
    }
}

/// Draws the header line of the app.
pub fn render_header(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.ctx.theme;
    let tabs: Vec<ViewTab> = app
        .views
        .iter()
        .enumerate()
        .map(|(i, v)| ViewTab {
            key: app
                .keymap
                .keys(v.info().switch.name)
                .first()
                .map_or_else(|| "-".to_string(), |k| k.to_string()),
            id: v.info().id.to_string(),
            current: i == app.current,
        })
        .collect();
    // The pattern view's title is the position itself.
    let title = app
        .views
        .get(app.current)
        .filter(|v| v.info().id != "pattern")
        .map(|v| v.title(&app.ctx));
    let h = header_layout(area.width, &tabs, title, position_text(&app.ctx));
    let mut spans = Vec::new();
    if h.name {
        spans.push(Span::styled(" octa ", theme.style("header.title")));
    }
    let mut used = if h.name { 6 } else { 0 };
    for (text, current) in &h.tabs {
        used += cols(text);
        let style = if *current {
            theme.style("header.title")
        } else {
            theme.style("header")
        };
        spans.push(Span::styled(text.clone(), style));
    }
    if let Some(t) = &h.title {
        used += cols(t) + 1;
        spans.push(Span::styled(format!(" {t}"), theme.style("header")));
    }
    let pos = format!(" {} ", h.position);
    let pad = (area.width as usize).saturating_sub(used + cols(&pos));
    spans.push(Span::styled(" ".repeat(pad), theme.style("header")));
    spans.push(Span::styled(pos, theme.style("header.title")));
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.style("header")),
        area,
    );
}

/// Draws a view's cursor line (above the status line).
pub fn render_cursor_line(ctx: &Ctx, frame: &mut Frame, area: Rect, line: &str) {
    frame.render_widget(
        Paragraph::new(format!(" {line}")).style(ctx.theme.style("header")),
        area,
    );
}
