//! The View trait and the shared context views work on.
//!
//! To add a view: implement [`View`] in your own file under `src/ui/`, give it a unique
//! [`ViewInfo`] (id = keymap context, a `view.<id>` switch action with its default key) and its
//! action table (names `<id>.<verb>`), then add one line to [`crate::ui::views::all_views`].

use super::action::{ActionDef, Input};
use super::engines::Engines;
use super::model::Document;
use super::theme::Theme;
use crate::project::copy::{CopyOptions, Target};
use ratatui::Frame;
use ratatui::layout::Rect;

/// Static facts about a view.
#[derive(Debug, Clone, Copy)]
pub struct ViewInfo {
    /// Unique id, also the keymap context of its actions (`pattern`, `parts`, ...).
    pub id: &'static str,
    /// The action that switches to this view (`view.<id>`), with its default key.
    pub switch: ActionDef,
}

/// What handling an input did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Consumed; redraw.
    Handled,
    /// Not for this view (the app may try something else).
    Ignored,
    /// Show a message in the status line.
    Message(String),
    /// Show an error in the status line.
    Error(String),
    /// Ask the user for a line of text; the answer comes back as `Input::Answer(tag, text)`.
    Prompt {
        /// Question shown.
        title: String,
        /// Tag returned with the answer.
        tag: &'static str,
        /// Pre-filled text.
        initial: String,
    },
    /// Switch to the view with this id.
    Switch(&'static str),
    /// Plan a copy and show its summary; it is applied once the user confirms.
    Copy(CopyRequest),
}

/// Which of the two open documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The project the tracker opened (`Ctx::doc`).
    Main,
    /// The project opened beside it (`Ctx::other`).
    Other,
}

/// A copy a view asks for: what, from which document, onto what of which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyRequest {
    /// The source.
    pub from: Target,
    /// The document holding the source.
    pub src: Side,
    /// The destination (same kind as `from`).
    pub to: Target,
    /// The document receiving the copy.
    pub dst: Side,
    /// Part / trigs options, as `octa copy` takes them.
    pub opts: CopyOptions,
}

/// The bank / pattern / part the user is on, shared by all views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Nav {
    /// Bank 0..16.
    pub bank: usize,
    /// Pattern 0..16.
    pub pattern: usize,
    /// Part 0..4.
    pub part: usize,
}

/// State shared by all views.
pub struct Ctx {
    /// The project being edited.
    pub doc: Document,
    /// Current bank, pattern and part.
    pub nav: Nav,
    /// Colours and styles.
    pub theme: Theme,
    /// Audio and MIDI handles and their status.
    pub engines: Engines,
    /// Local playback on the sample engine (`local_play`).
    pub local: super::local_play::LocalPlay,
    /// Rows the cursor advances after an entry.
    pub edit_step: usize,
    /// A second project opened beside the first (copy source or destination).
    pub other: Option<Document>,
    /// The slot the sample browser picks a file for (set by the slots view; enter assigns).
    pub pick_slot: Option<crate::format::slot_attrs::SlotRef>,
}

impl Ctx {
    /// A context over a document with the default theme, no engines and no storage.
    pub fn new(doc: Document) -> Self {
        Self {
            doc,
            nav: Nav::default(),
            theme: Theme::builtin_default(),
            engines: Engines::default(),
            local: Default::default(),
            edit_step: 1,
            other: None,
            pick_slot: None,
        }
    }

    /// One of the two documents (`None`: no other project is open).
    pub fn doc_of(&self, side: Side) -> Option<&Document> {
        match side {
            Side::Main => Some(&self.doc),
            Side::Other => self.other.as_ref(),
        }
    }

    /// One of the two documents, for changing it.
    pub fn doc_of_mut(&mut self, side: Side) -> Option<&mut Document> {
        match side {
            Side::Main => Some(&mut self.doc),
            Side::Other => self.other.as_mut(),
        }
    }
}

/// A screen of the tracker.
pub trait View {
    /// Id, switch action and default key.
    fn info(&self) -> ViewInfo;
    /// The title shown in the header.
    fn title(&self, ctx: &Ctx) -> String;
    /// The view's own actions (names start with `<id>.`).
    fn actions(&self) -> &'static [ActionDef];
    /// Draws the view into `area`.
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx);
    /// Handles an action, a typed character, a prompt answer or a mouse event.
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome;
    /// Keymap contexts to search for a key, most specific first (default: the view id).
    fn key_contexts(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![self.info().id]
    }
    /// Action names whose keys the status line shows in the current state.
    fn hints(&self, ctx: &Ctx) -> Vec<&'static str>;
    /// The choices a prompt of this view offers, as (name, description); the app filters them
    /// by the typed text and Tab takes the first one.
    fn prompt_choices(&self, _tag: &str, _ctx: &Ctx) -> Vec<(String, String)> {
        Vec::new()
    }
    /// A line about the cursor, drawn above the status line (none by default).
    fn cursor_line(&self, _ctx: &Ctx) -> Option<String> {
        None
    }
    /// The cursor as (track 0..16, step 0..64), for views with a step grid (MIDI audition
    /// and mute keys act there).
    fn cursor_step(&self, _ctx: &Ctx) -> Option<(usize, usize)> {
        None
    }
    /// The track whose header is at `x`, `y` of the view (a click there mutes or solos it).
    fn header_track(&self, _x: u16, _y: u16) -> Option<usize> {
        None
    }
    /// True while something moves on screen (e.g. playback); the app then redraws periodically.
    fn animating(&self, _ctx: &Ctx) -> bool {
        false
    }
    /// Background work of the view, called on every event-loop pass (and by tests): returns
    /// what to show when something finished. Never blocks.
    fn tick(&mut self, _ctx: &mut Ctx) -> Option<Outcome> {
        None
    }
    /// The document undo and redo act on while this view shows (default: the main one).
    fn focused_side(&self, _ctx: &Ctx) -> Side {
        Side::Main
    }
}
