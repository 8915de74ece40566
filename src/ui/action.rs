//! Named actions: every command a key can be bound to has a name, a description and default keys.
//!
//! Names are `<context>.<verb>`: `app.*` and `view.*` work everywhere; `<view id>.*` belong to
//! the view with that id (its keymap context).

/// A bindable command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionDef {
    /// Unique name, e.g. `pattern.toggle_trig`.
    pub name: &'static str,
    /// One line for the help overlay.
    pub help: &'static str,
    /// Keys used when the keymap does not bind this action.
    pub keys: &'static [&'static str],
}

impl ActionDef {
    /// The keymap context of the action: the part before the first dot (`app` and `view` are global).
    pub fn context(&self) -> &'static str {
        context_of(self.name)
    }
}

/// The context part of an action name: everything before the last dot (`pattern.note` for
/// `pattern.note.n0`); `global` for `app.*` and `view.*`.
pub fn context_of(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some(("app" | "view", _)) | None => "global",
        Some((ctx, _)) => ctx,
    }
}

/// The parent of a context (`pattern.note` -> `pattern` -> `global`); `None` for `global`.
pub fn parent_context(ctx: &str) -> Option<&str> {
    if ctx == "global" {
        return None;
    }
    Some(ctx.rsplit_once('.').map_or("global", |(p, _)| p))
}

/// Shorthand for declaring action tables.
pub const fn act(
    name: &'static str,
    help: &'static str,
    keys: &'static [&'static str],
) -> ActionDef {
    ActionDef { name, help, keys }
}

/// Actions the app itself handles in every view.
pub const GLOBAL_ACTIONS: &[ActionDef] = &[
    act(
        "app.quit",
        "Quit (asks when there are unsaved changes)",
        &["ctrl+q"],
    ),
    act("app.save", "Save changed files", &["ctrl+s"]),
    act(
        "app.force_save",
        "Save, overwriting files changed on disk",
        &["ctrl+alt+s"],
    ),
    act(
        "app.state",
        "Saved state (.strd): save, reload, diff (asks, then confirms)",
        &["ctrl+e"],
    ),
    act("app.undo", "Undo", &["ctrl+z"]),
    act("app.redo", "Redo", &["ctrl+y"]),
    act("app.help", "Show or hide the key bindings", &["F1", "?"]),
    act("app.next_view", "Next view", &["ctrl+n"]),
    act("app.panic", "MIDI panic: all notes off", &["ctrl+p"]),
    act(
        "app.play",
        "Start / stop playback on the device",
        &["ctrl+space"],
    ),
    act("app.bank_next", "Next bank", &["ctrl+pagedown"]),
    act("app.bank_prev", "Previous bank", &["ctrl+pageup"]),
    act(
        "app.pattern_next",
        "Next pattern",
        &["ctrl+right", "alt+right"],
    ),
    act(
        "app.pattern_prev",
        "Previous pattern",
        &["ctrl+left", "alt+left"],
    ),
    act(
        "app.part_next",
        "Next part",
        &["ctrl+alt+right", "alt+shift+right"],
    ),
    act(
        "app.part_prev",
        "Previous part",
        &["ctrl+alt+left", "alt+shift+left"],
    ),
    act("app.goto_bank", "Go to bank (A-P)", &["ctrl+b"]),
    act("app.goto_pattern", "Go to pattern (1-16)", &["ctrl+g"]),
    act(
        "app.open_other",
        "Open another project beside this one (side-by-side view)",
        &["ctrl+o"],
    ),
    act(
        "app.warnings",
        "List the project's warnings (missing files, checksums, samples)",
        &["ctrl+w"],
    ),
];

/// What a view receives.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A bound action (its name).
    Action(&'static str),
    /// An unbound printable key (note and value entry).
    Char(char),
    /// The answer to a prompt the view asked for (its tag and the text).
    Answer(&'static str, String),
    /// A mouse click at a cell relative to the view's area.
    Click {
        /// Column.
        x: u16,
        /// Row.
        y: u16,
    },
    /// Mouse wheel: negative up, positive down.
    Scroll(i8),
}
