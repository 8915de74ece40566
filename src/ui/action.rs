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

/// The parent of a context (`pattern.note` -> `pattern` -> `nav` -> `global`); `None` for
/// `global`. Every view's context has the shared motions (`nav`) as its parent.
pub fn parent_context(ctx: &str) -> Option<&str> {
    match ctx {
        "global" => None,
        "nav" => Some("global"),
        _ => Some(ctx.rsplit_once('.').map_or("nav", |(p, _)| p)),
    }
}

/// Shorthand for declaring action tables.
pub const fn act(
    name: &'static str,
    help: &'static str,
    keys: &'static [&'static str],
) -> ActionDef {
    ActionDef { name, help, keys }
}

crate::ui::command::commands! {
    /// Commands the app itself handles in every view (the `global` keymap context).
    pub enum GlobalCmd {
        Quit { "app.quit", "Quit (asks when there are unsaved changes)", ["ctrl+q"]; }
        Save { "app.save", "Save changed files", ["ctrl+s"]; }
        ForceSave { "app.force_save", "Save, overwriting files changed on disk", ["ctrl+alt+s"]; }
        State { "app.state", "Saved state (.strd): save, reload, diff (asks, then confirms)", ["ctrl+e"]; }
        Undo { "app.undo", "Undo", ["ctrl+z"]; }
        Redo { "app.redo", "Redo", ["ctrl+y"]; }
        Help { "app.help", "Show or hide the key bindings", ["F1", "?"]; }
        NextView { "app.next_view", "Next view", ["ctrl+n"]; }
        Panic { "app.panic", "MIDI panic: all notes off", ["ctrl+p"]; }
        Play { "app.play", "Start / stop playback on the device", ["ctrl+space"]; }
        Bank(i8) {
            (1) "app.bank_next", "Next bank", ["ctrl+pagedown"];
            (-1) "app.bank_prev", "Previous bank", ["ctrl+pageup"];
        }
        Pattern(i8) {
            (1) "app.pattern_next", "Next pattern", ["ctrl+right", "alt+right"];
            (-1) "app.pattern_prev", "Previous pattern", ["ctrl+left", "alt+left"];
        }
        Part(i8) {
            (1) "app.part_next", "Next part", ["ctrl+alt+right", "alt+shift+right"];
            (-1) "app.part_prev", "Previous part", ["ctrl+alt+left", "alt+shift+left"];
        }
        GotoBank { "app.goto_bank", "Go to bank (A-P)", ["ctrl+b"]; }
        GotoPattern { "app.goto_pattern", "Go to pattern (1-16)", ["ctrl+g"]; }
        OpenOther { "app.open_other", "Open another project beside this one (side-by-side view)", ["ctrl+o"]; }
        Warnings { "app.warnings", "List the project's warnings (missing files, checksums, samples)", ["ctrl+w"]; }
        StartScreen { "app.start_screen", "Back to the start screen of sets and projects (asks about unsaved changes)", ["ctrl+alt+o"]; }
    }
}

/// Actions the app itself handles in every view (the table of [`GlobalCmd`]).
pub const GLOBAL_ACTIONS: &[ActionDef] = GlobalCmd::ACTIONS;

/// What a view receives.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A bound action (its name).
    Action(&'static str),
    /// A shared motion (the `nav` context): every view moves its cursor by it.
    Nav(crate::ui::command::NavCmd),
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
