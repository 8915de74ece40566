//! Popups sized to their text and the screen: the question wraps inside the box instead of
//! being cut by its border, the typed text has its own line, and a list of choices (filtered
//! by the typed text) can follow.

use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Narrowest popup (cells, borders included) when the screen allows it.
pub const MIN_WIDTH: u16 = 34;

/// Greedy word wrap of `text` into lines of at most `width` characters (words longer than a
/// line are cut into pieces).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            out.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let n = word.chars().count();
        if line.is_empty() {
            line = word;
        } else if line.chars().count() + 1 + n <= width {
            line.push(' ');
            line.push_str(&word);
        } else {
            out.push(std::mem::replace(&mut line, word));
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// What a popup shows.
#[derive(Debug, Clone, Default)]
pub struct Popup<'a> {
    /// Short heading on the top border (empty: none).
    pub heading: &'a str,
    /// The question or message, wrapped to the box.
    pub text: &'a str,
    /// The text typed so far (a prompt), shown with a cursor mark.
    pub input: Option<&'a str>,
    /// Choices offered (name, description), already filtered.
    pub choices: &'a [(String, String)],
    /// The input is a prefilled value shown selected (`[+55]`): typing replaces it.
    pub selected: bool,
}

impl Popup<'_> {
    /// The box for a screen: as wide as the longest line needs (at least [`MIN_WIDTH`]), at
    /// most the screen; as tall as the wrapped text, the input and the choices, at most the
    /// screen.
    pub fn area(&self, screen: Rect) -> Rect {
        // One blank column each side when the screen has room for it.
        let max_w = if screen.width > 40 {
            screen.width - 2
        } else {
            screen.width.max(4)
        };
        let want = [
            self.text.chars().count(),
            self.heading.chars().count() + 2,
            self.input.map_or(0, |i| i.chars().count() + 3),
            self.choices
                .iter()
                .map(|(n, d)| n.chars().count() + d.chars().count() + 2)
                .max()
                .unwrap_or(0),
        ]
        .into_iter()
        .max()
        .unwrap_or(0) as u16
            + 2;
        let w = want.max(MIN_WIDTH).min(max_w);
        // The header and status lines stay visible when the screen is tall enough.
        let max_h = if screen.height > 10 {
            screen.height - 2
        } else {
            screen.height.max(3)
        };
        let h = (self.lines(w).len() as u16 + 2).min(max_h);
        Rect {
            x: screen.x + (screen.width - w) / 2,
            y: screen.y + (screen.height - h) / 2,
            width: w,
            height: h,
        }
    }

    /// The text lines inside a box of width `w` (borders included): wrapped text, input,
    /// choices.
    pub fn lines(&self, w: u16) -> Vec<(String, &'static str)> {
        let inner = w.saturating_sub(2) as usize;
        let mut out: Vec<(String, &'static str)> = wrap(self.text, inner)
            .into_iter()
            .map(|l| (l, "popup"))
            .collect();
        if let Some(i) = self.input {
            let line = if self.selected {
                format!("> [{i}]")
            } else {
                format!("> {i}_")
            };
            out.push((line, "popup.title"));
        }
        if !self.choices.is_empty() {
            let nw = self
                .choices
                .iter()
                .map(|(n, _)| n.chars().count())
                .max()
                .unwrap_or(0);
            for (n, d) in self.choices {
                let l: String = format!("{n:<nw$}  {d}").chars().take(inner).collect();
                out.push((l, "popup"));
            }
        }
        out
    }

    /// Draws the popup centred on `screen`.
    pub fn render(&self, frame: &mut Frame, theme: &Theme, screen: Rect) {
        let r = self.area(screen);
        let mut text = self.lines(r.width);
        let room = r.height.saturating_sub(2) as usize;
        if text.len() > room && room > 0 {
            let more = text.len() - room + 1;
            text.truncate(room - 1);
            text.push((format!("... {more} more: type to filter"), "popup"));
        }
        let lines: Vec<Line> = text
            .into_iter()
            .map(|(l, st)| Line::from(Span::styled(l, theme.style(st))))
            .collect();
        let mut block = Block::default()
            .borders(Borders::ALL)
            .style(theme.style("popup"));
        if !self.heading.is_empty() {
            block = block
                .title(format!(" {} ", self.heading))
                .title_style(theme.style("popup.title"));
        }
        frame.render_widget(Clear, r);
        frame.render_widget(
            Paragraph::new(lines)
                .style(theme.style("popup"))
                .block(block),
            r,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_word_within_the_width() {
        assert_eq!(
            wrap("Condition: FILL NOT FILL PRE", 12),
            ["Condition:", "FILL NOT", "FILL PRE"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), [""]);
    }
}
