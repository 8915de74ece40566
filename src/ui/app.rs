//! The app: views, key dispatch through the keymap, overlays (help, prompt, quit confirmation),
//! header and status line.

use super::action::{ActionDef, GLOBAL_ACTIONS, Input};
use super::copying::{self, PendingCopy};
use super::keymap::Keymap;
use super::keys::{Chord, ChordKey, NamedKey};
use super::view::{Ctx, Outcome, Side, View};
use super::views::all_views;
use super::widgets::prompt::Popup;
use crate::format::bank_letter;
use crate::project::ProjectError;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Smallest terminal the tracker draws in.
pub const MIN_SIZE: (u16, u16) = (40, 10);

/// A modal layer over the views.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Nothing.
    None,
    /// The key bindings, scrolled (the search text is [`App::help_filter`]).
    Help(u16),
    /// The project's warnings, scrolled.
    Warnings(u16),
    /// "Quit without saving?"
    ConfirmQuit,
    /// The summary of a planned copy (scrolled): y / enter applies it, esc cancels.
    ConfirmCopy(u16),
    /// A line of text for a view.
    Prompt {
        /// Question.
        title: String,
        /// Tag returned to the view.
        tag: &'static str,
        /// Text typed so far.
        text: String,
    },
}

/// The whole tracker state, independent of the terminal.
pub struct App {
    /// Shared state.
    pub ctx: Ctx,
    /// The views.
    pub views: Vec<Box<dyn View>>,
    /// Index of the shown view.
    pub current: usize,
    /// The key bindings.
    pub keymap: Keymap,
    /// The modal layer.
    pub overlay: Overlay,
    /// The status message and whether it is an error.
    pub message: Option<(String, bool)>,
    /// Set when the app should exit.
    pub quit: bool,
    /// The prompt's prefilled text is selected (the next character replaces it).
    pub prompt_selected: bool,
    /// The copy the confirm overlay shows.
    pub pending_copy: Option<PendingCopy>,
    /// What the help overlay's search holds.
    pub help_filter: String,
    /// The warnings list's lines (made when it opens).
    pub warnings: Vec<String>,
    /// Where the body was drawn last (for mouse events).
    body: Rect,
    /// The last frame showed "Terminal too small": keys and clicks do nothing until it grows.
    too_small: bool,
}

impl App {
    /// An app over a context with the given keymap name (falls back to the default keymap with a message).
    pub fn new(ctx: Ctx, keymap: &str, user_dir: Option<std::path::PathBuf>) -> Self {
        let views = all_views();
        let actions = Self::actions_of(&views);
        let (keymap, err) = Keymap::load_or_default(keymap, &actions, user_dir);
        let mut app = Self {
            ctx,
            views,
            current: 0,
            keymap,
            overlay: Overlay::None,
            message: None,
            quit: false,
            prompt_selected: false,
            too_small: false,
            pending_copy: None,
            help_filter: String::new(),
            warnings: Vec::new(),
            body: Rect::default(),
        };
        if let Some(e) = err {
            app.error(format!("{e}; using the default keymap"));
        } else if let Some(c) = app.keymap.conflicts.first() {
            let more = app.keymap.conflicts.len() - 1;
            app.error(if more > 0 {
                format!("{c} (+{more} more conflicts)")
            } else {
                c.clone()
            });
        }
        app
    }

    /// Every action of the app and the given views.
    pub fn actions_of(views: &[Box<dyn View>]) -> Vec<ActionDef> {
        let mut v: Vec<ActionDef> = GLOBAL_ACTIONS.to_vec();
        v.extend_from_slice(super::audition::ACTIONS);
        v.extend_from_slice(super::local_play::ACTIONS);
        for view in views {
            v.push(view.info().switch);
            v.extend_from_slice(view.actions());
        }
        v
    }

    /// Every action the app offers.
    pub fn actions(&self) -> Vec<ActionDef> {
        Self::actions_of(&self.views)
    }

    /// Shows a message in the status line.
    pub fn info(&mut self, m: impl Into<String>) {
        self.message = Some((m.into(), false));
    }

    /// Shows an error in the status line.
    pub fn error(&mut self, m: impl Into<String>) {
        self.message = Some((m.into(), true));
    }

    /// True while a view animates or a preview plays (the event loop then wakes up
    /// periodically).
    pub fn animating(&self) -> bool {
        self.ctx.engines.audio_busy()
            || self
                .views
                .get(self.current)
                .is_some_and(|v| v.animating(&self.ctx))
    }

    /// Work done each event-loop pass: shows the audio engine's errors and warnings.
    /// Never blocks.
    pub fn tick(&mut self) {
        for (m, err) in self.ctx.engines.audio_messages() {
            self.message = Some((m, err));
        }
        super::audition::tick(self);
        super::local_play::tick(self);
    }

    /// Handles one key.
    pub fn key(&mut self, chord: Chord) {
        if self.too_small {
            return;
        }
        match self.overlay.clone() {
            Overlay::Help(scroll) => {
                self.help_key(chord, scroll);
                return;
            }
            Overlay::Warnings(scroll) => {
                let max = super::help::warnings_max_scroll(self, self.body);
                let page = self.body.height.saturating_sub(2).max(1);
                self.overlay = match chord.code {
                    ChordKey::Named(NamedKey::Down) => Overlay::Warnings(scroll.saturating_add(1)),
                    ChordKey::Named(NamedKey::Up) => Overlay::Warnings(scroll.saturating_sub(1)),
                    ChordKey::Named(NamedKey::PageDown) => {
                        Overlay::Warnings(scroll.saturating_add(page))
                    }
                    ChordKey::Named(NamedKey::PageUp) => {
                        Overlay::Warnings(scroll.saturating_sub(page))
                    }
                    _ => Overlay::None,
                };
                if let Overlay::Warnings(s) = &mut self.overlay {
                    *s = (*s).min(max);
                }
                return;
            }
            Overlay::ConfirmQuit => {
                match chord.plain_char() {
                    Some('y' | 'Y') => self.quit = true,
                    Some('s' | 'S') => {
                        self.overlay = Overlay::None;
                        if self.save(false) {
                            self.quit = true;
                        }
                        return;
                    }
                    _ => self.info("quit cancelled"),
                }
                self.overlay = Overlay::None;
                return;
            }
            Overlay::ConfirmCopy(scroll) => {
                self.confirm_copy_key(chord, scroll);
                return;
            }
            Overlay::Prompt {
                title,
                tag,
                mut text,
            } => {
                let selected = std::mem::take(&mut self.prompt_selected);
                match chord.code {
                    ChordKey::Named(NamedKey::Enter) => {
                        self.overlay = Overlay::None;
                        self.send(Input::Answer(tag, text));
                    }
                    ChordKey::Named(NamedKey::Esc) => self.overlay = Overlay::None,
                    ChordKey::Named(NamedKey::Backspace) => {
                        if selected {
                            text.clear();
                        } else {
                            text.pop();
                        }
                        self.overlay = Overlay::Prompt { title, tag, text };
                    }
                    ChordKey::Named(NamedKey::Tab) => {
                        if let Some((name, _)) = self.prompt_choices(tag, &text).first() {
                            text = name.clone();
                        }
                        self.overlay = Overlay::Prompt { title, tag, text };
                    }
                    _ => {
                        if let Some(c) = chord.plain_char() {
                            if selected {
                                text.clear();
                            }
                            text.push(c);
                        }
                        self.overlay = Overlay::Prompt { title, tag, text };
                    }
                }
                return;
            }
            Overlay::None => {}
        }
        let contexts: Vec<&'static str> = self
            .views
            .get(self.current)
            .map(|v| v.key_contexts(&self.ctx))
            .unwrap_or_default();
        let before = super::audition::before(self);
        match self.keymap.lookup(&contexts, chord) {
            Some(action) => self.action(action),
            None => {
                if let Some(c) = chord.plain_char() {
                    self.send(Input::Char(c));
                }
            }
        }
        super::audition::after(self, before);
    }

    /// Runs a named action (global ones here, the rest in the current view).
    pub fn action(&mut self, name: &'static str) {
        self.message = None;
        match name {
            n if super::local_play::handles(self, n) => super::local_play::action(self, n),
            "app.quit" => {
                let unsaved = |d: &super::model::Document| d.is_dirty() && !d.read_only();
                if unsaved(&self.ctx.doc) || self.ctx.other.as_ref().is_some_and(unsaved) {
                    self.overlay = Overlay::ConfirmQuit;
                } else {
                    self.quit = true;
                }
            }
            "app.save" => {
                self.save(false);
            }
            "app.force_save" => {
                self.save(true);
            }
            "app.state" => {
                self.overlay = Overlay::Prompt {
                    title: super::state_ops::menu_title(&self.ctx),
                    tag: "app.state",
                    text: String::new(),
                }
            }
            "app.undo" | "app.redo" => self.undo_redo(name == "app.undo"),
            "app.open_other" => {
                self.overlay = Overlay::Prompt {
                    title: "Open beside (project folder, set or zip)".into(),
                    tag: "app.open_other",
                    text: String::new(),
                }
            }
            "app.help" => {
                self.help_filter.clear();
                self.overlay = Overlay::Help(0);
            }
            "app.warnings" => {
                self.warnings = super::help::collect_warnings(&self.ctx);
                self.overlay = Overlay::Warnings(0);
            }
            "app.next_view" => {
                self.current = (self.current + 1) % self.views.len().max(1);
            }
            "app.panic" => match self.ctx.engines.midi_control.as_mut() {
                Some(m) if super::engines::midi_ready(m.as_ref()) => {
                    m.panic();
                    self.info("MIDI panic sent");
                }
                _ => self.error(super::engines::NO_PANIC),
            },
            "app.play" => {
                let at = (self.ctx.nav.bank, self.ctx.nav.pattern);
                let bank = self.ctx.doc.bank(at.0);
                match (self.ctx.engines.midi_control.as_mut(), bank) {
                    (Some(m), Some(bank)) if super::engines::midi_ready(m.as_ref()) => {
                        let playing = m.toggle_play(bank, at);
                        self.info(if playing { "playing" } else { "stopped" });
                    }
                    (Some(_), None) => self.error("this bank is not loaded: nothing to play"),
                    _ => self.error(super::engines::NO_PLAY),
                }
            }
            n if super::audition::handles(n) => super::audition::action(self, n),
            "app.bank_next" => self.nav_bank(1),
            "app.bank_prev" => self.nav_bank(-1),
            "app.pattern_next" => self.nav_pattern(1),
            "app.pattern_prev" => self.nav_pattern(-1),
            "app.part_next" => self.ctx.nav.part = (self.ctx.nav.part + 1) % 4,
            "app.part_prev" => self.ctx.nav.part = (self.ctx.nav.part + 3) % 4,
            "app.goto_bank" => {
                self.overlay = Overlay::Prompt {
                    title: "Bank (A-P)".into(),
                    tag: "app.goto_bank",
                    text: String::new(),
                }
            }
            "app.goto_pattern" => {
                self.overlay = Overlay::Prompt {
                    title: "Pattern (1-16)".into(),
                    tag: "app.goto_pattern",
                    text: String::new(),
                }
            }
            _ => {
                if let Some(i) = self.views.iter().position(|v| v.info().switch.name == name) {
                    self.current = i;
                } else {
                    self.send(Input::Action(name));
                }
            }
        }
    }

    fn nav_bank(&mut self, d: i32) {
        self.ctx.nav.bank = (self.ctx.nav.bank as i32 + d).rem_euclid(16) as usize;
        self.sync_part();
    }

    fn nav_pattern(&mut self, d: i32) {
        self.ctx.nav.pattern = (self.ctx.nav.pattern as i32 + d).rem_euclid(16) as usize;
        self.sync_part();
    }

    /// Sets the current part to the current pattern's part.
    pub fn sync_part(&mut self) {
        if let Some(i) = self.ctx.doc.info(self.ctx.nav.bank, self.ctx.nav.pattern) {
            self.ctx.nav.part = i.part as usize & 3;
        }
    }

    /// Saves the other project when it has changes (same refusal of files changed on disk).
    fn save_other(&mut self, force: bool) -> Option<Result<String, String>> {
        let doc = self.ctx.other.as_mut()?;
        if doc.read_only() || !doc.is_dirty() {
            return None;
        }
        let name = doc.name().to_string();
        Some(match doc.save(force) {
            Ok(r) => Ok(format!("{name}: saved {} file(s)", r.written.len())),
            Err(e) => Err(format!("{name}: {e}")),
        })
    }

    /// Saves the project, and the other one when it has changes; returns true when both saved.
    pub fn save(&mut self, force: bool) -> bool {
        let other = self.save_other(force);
        let ok = self.save_main(force);
        match other {
            None => ok,
            Some(Ok(m)) => {
                match self.message.as_mut() {
                    Some((text, _)) => *text = format!("{text}; {m}"),
                    None => self.info(m),
                }
                ok
            }
            Some(Err(e)) => {
                let main = self.message.take().map(|(t, _)| t).unwrap_or_default();
                self.error(if main.is_empty() {
                    e
                } else {
                    format!("{main}; {e}")
                });
                false
            }
        }
    }

    fn save_main(&mut self, force: bool) -> bool {
        match self.ctx.doc.save(force) {
            Ok(r) => {
                self.info(if r.written.is_empty() {
                    "nothing to save".to_string()
                } else {
                    format!("saved {} file(s)", r.written.len())
                });
                true
            }
            Err(ProjectError::Untitled) => {
                self.overlay = Overlay::Prompt {
                    title: "Save new project as (folder)".into(),
                    tag: "app.save_as",
                    text: String::new(),
                };
                false
            }
            Err(e) => {
                self.error(e.to_string());
                false
            }
        }
    }

    /// Sends an input to the current view (or handles an app prompt answer) and applies the outcome.
    pub fn send(&mut self, input: Input) {
        if let Input::Answer(tag, text) = &input {
            match *tag {
                t if super::audition::handles_answer(t) => {
                    super::audition::answer(self, t, text.trim());
                    return;
                }
                "app.goto_bank" => {
                    match crate::format::parse_bank(text) {
                        Some(b) => {
                            self.ctx.nav.bank = b;
                            self.sync_part();
                        }
                        None => self.error(format!("no bank `{text}` (A-P)")),
                    }
                    return;
                }
                "app.goto_pattern" => {
                    match text.trim().parse::<usize>() {
                        Ok(p @ 1..=16) => {
                            self.ctx.nav.pattern = p - 1;
                            self.sync_part();
                        }
                        _ => self.error(format!("no pattern `{text}` (1-16)")),
                    }
                    return;
                }
                "app.open_other" => {
                    match super::side_view::open_other(&mut self.ctx, text.trim()) {
                        Ok(m) => {
                            self.info(m);
                            self.show_view(super::side_view::ID);
                        }
                        Err(e) => self.error(e),
                    }
                    return;
                }
                "app.state" | "app.state_confirm" => {
                    use super::state_ops;
                    let op = match state_ops::parse(&self.ctx, text) {
                        Ok(op) => op,
                        Err(e) => return self.error(e),
                    };
                    if *tag == "app.state" && op != state_ops::StateOp::Diff {
                        match state_ops::preview(&self.ctx, op) {
                            Ok(what) => {
                                self.overlay = Overlay::Prompt {
                                    title: format!("Enter confirms, Esc cancels: {what}"),
                                    tag: "app.state_confirm",
                                    text: state_ops::spec(op),
                                }
                            }
                            Err(e) => self.error(e),
                        }
                        return;
                    }
                    let out = state_ops::apply(&mut self.ctx, op);
                    self.outcome(out);
                    return;
                }
                "app.save_as" => {
                    let dir = std::path::PathBuf::from(text.trim());
                    match self.ctx.doc.save_as(&dir) {
                        Ok(r) => self.info(format!(
                            "saved {} file(s) to {}",
                            r.written.len(),
                            dir.display()
                        )),
                        Err(e) => self.error(e.to_string()),
                    }
                    return;
                }
                _ => {}
            }
        }
        let Some(view) = self.views.get_mut(self.current) else {
            return;
        };
        let out = view.handle(input, &mut self.ctx);
        self.outcome(out);
    }

    /// Applies what a view's handling asked for.
    fn outcome(&mut self, out: Outcome) {
        match out {
            Outcome::Handled | Outcome::Ignored => {}
            Outcome::Message(m) => self.info(m),
            Outcome::Error(m) => self.error(m),
            Outcome::Prompt {
                title,
                tag,
                initial,
            } => {
                // The prefilled value is selected: typing replaces it, Enter keeps it.
                self.prompt_selected = !initial.is_empty();
                self.overlay = Overlay::Prompt {
                    title,
                    tag,
                    text: initial,
                }
            }
            Outcome::Switch(id) => self.show_view(id),
            Outcome::Copy(req) => match copying::prepare(&self.ctx, req) {
                Ok(p) => {
                    self.pending_copy = Some(p);
                    self.overlay = Overlay::ConfirmCopy(0);
                }
                Err(e) => self.error(e),
            },
        }
    }

    /// Shows the view with this id.
    fn show_view(&mut self, id: &str) {
        if let Some(i) = self.views.iter().position(|v| v.info().id == id) {
            self.current = i;
        }
    }

    /// The document undo, redo and the status line's focus mark refer to.
    pub fn focused_side(&self) -> Side {
        match self.views.get(self.current) {
            Some(v) if self.ctx.other.is_some() => v.focused_side(&self.ctx),
            _ => Side::Main,
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let side = self.focused_side();
        let tag = match side {
            Side::Main => String::new(),
            Side::Other => format!(" ({})", self.ctx.other.as_ref().map_or("", |d| d.name())),
        };
        let Some(doc) = self.ctx.doc_of_mut(side) else {
            return;
        };
        let (done, verb) = if undo {
            (doc.undo(), "undo")
        } else {
            (doc.redo(), "redo")
        };
        match done {
            Some(l) => self.info(format!("{verb}{tag}: {l}")),
            None => self.info(format!("nothing to {verb}{tag}")),
        }
    }

    fn confirm_copy_key(&mut self, chord: Chord, scroll: u16) {
        let max = self
            .pending_copy
            .as_ref()
            .map_or(0, |p| copying::max_scroll(self.body, &p.lines));
        let to = |s: i32| Overlay::ConfirmCopy(s.clamp(0, max as i32) as u16);
        let at = scroll.min(max) as i32;
        let apply = match (chord.code, chord.plain_char()) {
            (ChordKey::Named(NamedKey::Down), _) => {
                self.overlay = to(at + 1);
                return;
            }
            (ChordKey::Named(NamedKey::Up), _) => {
                self.overlay = to(at - 1);
                return;
            }
            (ChordKey::Named(NamedKey::PageDown), _) => {
                self.overlay = to(at + 10);
                return;
            }
            (ChordKey::Named(NamedKey::PageUp), _) => {
                self.overlay = to(at - 10);
                return;
            }
            (ChordKey::Named(NamedKey::Enter), _) | (_, Some('y' | 'Y')) => true,
            (ChordKey::Named(NamedKey::Esc), _) | (_, Some('n' | 'N')) => false,
            _ => return,
        };
        self.overlay = Overlay::None;
        let Some(p) = self.pending_copy.take() else {
            return;
        };
        if apply {
            let out = copying::apply(&mut self.ctx, p);
            self.outcome(out);
        } else {
            self.info("copy cancelled");
        }
    }

    /// A mouse click or wheel at a terminal cell.
    pub fn mouse(&mut self, x: u16, y: u16, scroll: i8) {
        if self.too_small {
            return;
        }
        let b = self.body;
        if self.overlay != Overlay::None || x < b.x || y < b.y || x >= b.right() || y >= b.bottom()
        {
            return;
        }
        if scroll != 0 {
            self.send(Input::Scroll(scroll));
        } else {
            self.send(Input::Click {
                x: x - b.x,
                y: y - b.y,
            });
        }
    }

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
            super::chrome::render_cursor_line(&self.ctx, frame, cursor, &line);
        }
        self.render_status(frame, status);
        match &self.overlay {
            Overlay::None => {}
            Overlay::Help(scroll) => super::help::render_help(self, frame, body, *scroll),
            Overlay::Warnings(scroll) => super::help::render_warnings(self, frame, body, *scroll),
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

    fn render_header(&self, frame: &mut Frame, area: Rect) {
        super::chrome::render_header(self, frame, area);
    }

    /// The name, read-only mark and changed banks of a document (`*` alone: only
    /// project-level files changed).
    fn doc_status(&self, doc: &super::model::Document, focused: bool, spans: &mut Vec<Span>) {
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

    fn render_status(&self, frame: &mut Frame, area: Rect) {
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
                .chain(["app.save", "app.help"])
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

    /// A key in the help overlay: arrows and pages scroll (never past the last line), typed
    /// characters search, backspace edits the search, esc or the help key closes.
    fn help_key(&mut self, chord: Chord, scroll: u16) {
        let max = super::help::max_scroll(self, self.body);
        let page = super::help::page(self.body);
        let to = |s: u16| Overlay::Help(s.min(max));
        self.overlay = match chord.code {
            ChordKey::Named(NamedKey::Down) => to(scroll.saturating_add(1)),
            ChordKey::Named(NamedKey::Up) => to(scroll.saturating_sub(1)),
            ChordKey::Named(NamedKey::PageDown) => to(scroll.saturating_add(page)),
            ChordKey::Named(NamedKey::PageUp) => to(scroll.saturating_sub(page)),
            ChordKey::Named(NamedKey::Home) => to(0),
            ChordKey::Named(NamedKey::End) => to(max),
            ChordKey::Named(NamedKey::Esc) => Overlay::None,
            ChordKey::Named(NamedKey::Backspace) => {
                self.help_filter.pop();
                Overlay::Help(0)
            }
            _ if self.keymap.lookup(&[], chord) == Some("app.help") => Overlay::None,
            _ => match chord.plain_char() {
                Some(c) => {
                    self.help_filter.push(c);
                    Overlay::Help(0)
                }
                None => Overlay::Help(scroll),
            },
        };
    }

    /// The current view's choices for a prompt, filtered by the typed text (the name or the
    /// description contains it, ignoring case).
    pub fn prompt_choices(&self, tag: &str, typed: &str) -> Vec<(String, String)> {
        let want = typed.trim().to_ascii_lowercase();
        super::audition::prompt_choices(self, tag)
            .or_else(|| {
                self.views
                    .get(self.current)
                    .map(|v| v.prompt_choices(tag, &self.ctx))
            })
            .unwrap_or_default()
            .into_iter()
            .filter(|(n, d)| {
                n.to_ascii_lowercase().contains(&want) || d.to_ascii_lowercase().contains(&want)
            })
            .collect()
    }
}
