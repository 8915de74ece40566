//! The help overlay: the current view's keys first, then the shared motions (`nav`) and the
//! global ones, the legend of the
//! grid's symbols, then the other views; searched as you type, paged, ending at its last line.
//! Also the warnings list (the project's open warnings, any time).

use super::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// One line of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A section title (`pattern`, `global`, `grid symbols`).
    Section(String),
    /// Keys and what they do (with the action name).
    Key {
        /// The keys, as the keymap writes them.
        keys: String,
        /// The description and action name.
        text: String,
    },
    /// A legend entry: a symbol and its meaning.
    Symbol {
        /// The symbol(s).
        symbol: String,
        /// The meaning.
        meaning: String,
    },
}

impl HelpLine {
    fn matches(&self, want: &str) -> bool {
        let has = |s: &str| s.to_ascii_lowercase().contains(want);
        match self {
            Self::Section(_) => false,
            Self::Key { keys, text } => has(keys) || has(text),
            Self::Symbol { symbol, meaning } => has(symbol) || has(meaning),
        }
    }
}

/// The help's lines for the app's current view, filtered by `filter` (case-insensitive, on
/// keys, descriptions, action names and symbols; a section stays when one of its lines does).
pub fn help_lines(app: &App, filter: &str) -> Vec<HelpLine> {
    let keys = |a: &super::action::ActionDef| HelpLine::Key {
        keys: app.keymap.keys_text(a.name),
        text: format!("{}  ({})", app.keymap.help(a.name), a.name),
    };
    let mut sections: Vec<(String, Vec<HelpLine>)> = Vec::new();
    let push = |sections: &mut Vec<(String, Vec<HelpLine>)>, title: &str, line| match sections
        .last_mut()
    {
        Some((t, v)) if t == title => v.push(line),
        _ => sections.push((title.to_string(), vec![line])),
    };
    let view_section = |i: usize, sections: &mut Vec<(String, Vec<HelpLine>)>| {
        if let Some(v) = app.views.get(i) {
            for a in v.actions() {
                push(sections, a.context(), keys(a));
            }
        }
    };
    view_section(app.current, &mut sections);
    for a in super::command::NavCmd::ACTIONS {
        push(&mut sections, "nav", keys(a));
    }
    for a in super::action::GLOBAL_ACTIONS
        .iter()
        .chain(super::audition::ACTIONS)
    {
        push(&mut sections, "global", keys(a));
    }
    for v in &app.views {
        push(&mut sections, "views", keys(&v.info().switch));
    }
    for (symbol, meaning) in crate::symbols::LEGEND {
        push(
            &mut sections,
            "grid symbols (also in octa dump)",
            HelpLine::Symbol {
                symbol: symbol.to_string(),
                meaning: meaning.to_string(),
            },
        );
    }
    for i in (0..app.views.len()).filter(|i| *i != app.current) {
        view_section(i, &mut sections);
    }
    let want = filter.trim().to_ascii_lowercase();
    let mut out = Vec::new();
    for (title, lines) in sections {
        let kept: Vec<HelpLine> = lines
            .into_iter()
            .filter(|l| want.is_empty() || l.matches(&want))
            .collect();
        if !kept.is_empty() {
            out.push(HelpLine::Section(title));
            out.extend(kept);
        }
    }
    out
}

/// Lines the help shows at once in a body area (borders and the search line taken off).
pub fn page(area: Rect) -> u16 {
    area.height.saturating_sub(3).max(1)
}

/// The last scroll position: the last line at the bottom, never past it.
pub fn max_scroll(app: &App, area: Rect) -> u16 {
    let n = help_lines(app, &app.help_filter).len() as u16;
    n.saturating_sub(page(area))
}

/// Draws the help over the body area.
pub fn render_help(app: &App, frame: &mut Frame, area: Rect, scroll: u16) {
    let theme = &app.ctx.theme;
    let all = help_lines(app, &app.help_filter);
    let scroll = scroll.min((all.len() as u16).saturating_sub(page(area)));
    let mut lines = vec![Line::from(vec![
        Span::styled("  search: ", theme.style("help.key")),
        Span::styled(format!("{}_", app.help_filter), theme.style("help")),
    ])];
    if all.is_empty() {
        lines.push(Line::from(Span::styled(
            "  nothing matches",
            theme.style("help"),
        )));
    }
    // The key column fits the longest key text of each section (at least 22 columns), so two
    // bindings never run into the text.
    let width = |l: &HelpLine| match l {
        HelpLine::Key { keys, .. } => keys.chars().count() + 1,
        HelpLine::Symbol { symbol, .. } => symbol.chars().count() + 1,
        HelpLine::Section(_) => 0,
    };
    let mut cols = Vec::with_capacity(all.len());
    let mut start = 0;
    for i in 0..=all.len() {
        if i == all.len() || (i > start && matches!(all[i], HelpLine::Section(_))) {
            let col = all[start..i]
                .iter()
                .map(width)
                .max()
                .unwrap_or(0)
                .clamp(22, 40);
            cols.extend(std::iter::repeat_n(col, i - start));
            start = i;
        }
    }
    for (l, col) in all
        .into_iter()
        .zip(cols)
        .skip(scroll as usize)
        .take(page(area) as usize)
    {
        lines.push(match l {
            HelpLine::Section(t) => {
                Line::from(Span::styled(format!("[{t}]"), theme.style("help.title")))
            }
            HelpLine::Key { keys, text } => Line::from(vec![
                Span::styled(format!("  {keys:<col$}"), theme.style("help.key")),
                Span::styled(text, theme.style("help")),
            ]),
            HelpLine::Symbol { symbol, meaning } => Line::from(vec![
                Span::styled(format!("  {symbol:<col$}"), theme.style("help.key")),
                Span::styled(meaning, theme.style("help")),
            ]),
        });
    }
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).style(theme.style("help")).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(
                    " Keys ({}) - type to search, up/down/PgUp/PgDn, esc closes ",
                    app.keymap.name
                ))
                .title_style(theme.style("help.title")),
        ),
        area,
    );
}

/// The project's warnings now: what opening it found (files missing, checksums, values) and
/// the sample slots whose files are missing (checked on disk when the list opens).
pub fn collect_warnings(ctx: &super::view::Ctx) -> Vec<String> {
    let p = &ctx.doc.project;
    let mut out: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    let missing: Vec<String> = p
        .project_file()
        .slots()
        .into_iter()
        .filter(|sl| !sl.path.is_empty() && !p.sample_exists(&sl.path))
        .map(|sl| format!("{}: sample missing: {}", sl.slot, sl.path))
        .collect();
    out.extend(missing);
    out
}

/// The warnings list's lines: a count, then one line per warning.
pub fn warning_lines(app: &App) -> Vec<String> {
    let w = &app.warnings;
    if w.is_empty() {
        return vec!["No warnings: every file and sample the project names was found.".into()];
    }
    let mut out = vec![format!("{} warning(s):", w.len())];
    out.extend(w.iter().map(|w| format!("- {w}")));
    out
}

/// The last scroll position of the warnings list.
pub fn warnings_max_scroll(app: &App, area: Rect) -> u16 {
    let inner = area.width.saturating_sub(2) as usize;
    let n: usize = warning_lines(app)
        .iter()
        .map(|l| super::widgets::prompt::wrap(l, inner).len())
        .sum();
    (n as u16).saturating_sub(area.height.saturating_sub(2).max(1))
}

/// Draws the warnings list over the body area.
pub fn render_warnings(app: &App, frame: &mut Frame, area: Rect, scroll: u16) {
    let theme = &app.ctx.theme;
    let inner = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = warning_lines(app)
        .iter()
        .flat_map(|l| super::widgets::prompt::wrap(l, inner))
        .skip(scroll as usize)
        .map(|l| Line::from(Span::styled(l, theme.style("help"))))
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).style(theme.style("help")).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Warnings - up/down/PgUp/PgDn scroll, any other key closes ")
                .title_style(theme.style("help.title")),
        ),
        area,
    );
}
