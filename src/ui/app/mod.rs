//! The app: the views and the state around them. One job per file: `routing` (keys, mouse and
//! overlays), `commands` (global actions, app prompts, view outcomes), `saving` (the two
//! documents: save, undo, redo), `frame` (header, status line, overlays drawn).

mod commands;
mod frame;
mod routing;
mod saving;

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
    pub(crate) body: Rect,
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
        v.extend_from_slice(super::command::TrackTrigCmd::ACTIONS);
        v.extend_from_slice(super::command::NavCmd::ACTIONS);
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
        for i in 0..self.views.len() {
            if let Some(out) = self.views.get_mut(i).and_then(|v| v.tick(&mut self.ctx)) {
                self.outcome(out);
            }
        }
    }
}
