//! The chrome around the views: header, cursor line, status line and the overlays drawn on top.

use super::*;
use crate::ui::action::GlobalCmd;

impl App {
    /// Draws everything.
    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let theme = &self.ctx.theme;
        frame.render_widget(Block::default().style(theme.style("base")), area);
        self.too_small = area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1;
        if self.too_small {
            let msg = format!(
                "Terminal too small: {}x{}, octa needs {}x{}",
                area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
            );
            frame.render_widget(
                Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
                area,
            );
            return;
        }
        let cursor_line = self
            .views
            .get(self.current)
            .and_then(|v| v.cursor_line(&self.ctx));
        let [header, body, cursor, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(u16::from(cursor_line.is_some())),
            Constraint::Length(1),
        ])
        .areas(area);
        self.body = body;
        self.render_header(frame, header);
        if let Some(view) = self.views.get_mut(self.current) {
            view.render(frame, body, &self.ctx);
        }
        // Asked again after the draw: the view settles its cursor while drawing.
        if cursor_line.is_some()
            && let Some(line) = self
                .views
                .get(self.current)
                .and_then(|v| v.cursor_line(&self.ctx))
        {
            crate::ui::chrome::render_cursor_line(&self.ctx, frame, cursor, &line);
        }
        self.render_status(frame, status);
        match &self.overlay {
            Overlay::None => {}
            Overlay::Help(scroll) => crate::ui::help::render_help(self, frame, body, *scroll),
            Overlay::Warnings(scroll) => {
                crate::ui::help::render_warnings(self, frame, body, *scroll)
            }
            Overlay::ConfirmQuit => Popup {
                heading: "Unsaved changes",
                text: "Quit without saving? y: quit, s: save and quit, other: stay",
                ..Popup::default()
            }
            .render(frame, &self.ctx.theme, frame.area()),
            Overlay::Prompt { title, tag, text } => {
                let choices = self.prompt_choices(tag, text);
                Popup {
                    heading: "",
                    text: title,
                    input: Some(text),
                    choices: &choices,
                    selected: self.prompt_selected,
                }
                .render(frame, &self.ctx.theme, frame.area())
            }
            Overlay::ConfirmCopy(scroll) => {
                let lines = self.pending_copy.as_ref().map_or(&[][..], |p| &p.lines);
                copying::render_confirm(frame, body, &self.ctx.theme, lines, *scroll)
            }
        }
    }

    pub(super) fn render_header(&self, frame: &mut Frame, area: Rect) {
        crate::ui::chrome::render_header(self, frame, area);
    }

    /// The name, read-only mark and changed banks of a document (`*` alone: only
    /// project-level files changed).
    pub(super) fn doc_status(
        &self,
        doc: &crate::ui::model::Document,
        focused: bool,
        spans: &mut Vec<Span>,
    ) {
        let theme = &self.ctx.theme;
        let name = if focused && self.ctx.other.is_some() {
            format!(" >{} ", doc.name())
        } else {
            format!(" {} ", doc.name())
        };
        spans.push(Span::styled(name, theme.style("status")));
        if doc.read_only() {
            spans.push(Span::styled("READ-ONLY ", theme.style("status.dirty")));
        }
        let dirty: String = (0..16)
            .filter(|b| doc.bank_dirty(*b))
            .map(bank_letter)
            .collect();
        if !dirty.is_empty() || (self.ctx.other.is_some() && doc.is_dirty()) {
            spans.push(Span::styled(
                format!("*{dirty} "),
                theme.style("status.dirty"),
            ));
        }
    }

    pub(super) fn render_status(&self, frame: &mut Frame, area: Rect) {
        let theme = &self.ctx.theme;
        let mut spans = Vec::new();
        let side = self.focused_side();
        self.doc_status(&self.ctx.doc, side == Side::Main, &mut spans);
        if let Some(other) = &self.ctx.other {
            spans.push(Span::styled("|", theme.style("status")));
            self.doc_status(other, side == Side::Other, &mut spans);
        }
        let midi = match &self.ctx.engines.midi_control {
            Some(m) => m.label(),
            None => self.ctx.engines.midi.to_string(),
        };
        spans.push(Span::styled(
            format!("{}  MIDI: {midi}  ", self.ctx.engines.audio_label()),
            theme.style("status"),
        ));
        if let Some((m, err)) = &self.message {
            let style = if *err {
                theme.style("status.error")
            } else {
                theme.style("status.message")
            };
            spans.push(Span::styled(m.clone(), style));
        } else if let Some(v) = self.views.get(self.current) {
            for a in v
                .hints(&self.ctx)
                .into_iter()
                .chain([GlobalCmd::Save.name(), GlobalCmd::Help.name()])
            {
                let k = self.keymap.keys(a);
                if let Some(k) = k.first() {
                    spans.push(Span::styled(k.to_string(), theme.style("status.key")));
                    let h = self.keymap.help(a);
                    let short = h.split(['(', ':', ',']).next().unwrap_or(h).trim();
                    spans.push(Span::styled(format!(" {short}  "), theme.style("status")));
                }
            }
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)).style(theme.style("status")),
            area,
        );
    }
}
