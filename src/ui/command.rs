//! Typed UI commands: one macro, [`commands!`], declares a view's commands as an enum together
//! with each binding's name, help text and default keys (the one source of the default keymap
//! and of the help overlay).
//!
//! A variant without an argument has one binding; a variant with an argument (`Note(u8)`,
//! `Transpose(i8)`) has one binding per value it is bound with. Handlers `match` the enum with
//! no catch-all, so the compiler checks that every command is handled; the macro makes a
//! variant impossible without a name, a help text and a key list (empty: unbound by default).
//! The keymap still binds names: `from_name` maps a name to its command.
//!
//! ```ignore
//! commands! {
//!     /// The pattern view's commands.
//!     pub enum PatternCmd {
//!         ToggleTrig { "pattern.toggle_trig", "Toggle a trig", ["space"]; }
//!         Transpose(i8) {
//!             (1) "pattern.transpose_up", "Transpose notes +1 semitone", ["alt+up"];
//!             (-1) "pattern.transpose_down", "Transpose notes -1 semitone", ["alt+down"];
//!         }
//!     }
//! }
//! ```

use super::action::ActionDef;

/// Declares a command enum and its table: see the [module documentation](self).
macro_rules! commands {
    (
        $(#[$meta:meta])*
        $vis:vis enum $Enum:ident {
            $(
                $Variant:ident $( ( $Arg:ty ) )? {
                    $( $( ( $val:expr ) )? $name:literal, $help:literal, [ $( $key:literal ),* $(,)? ]; )+
                }
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $Enum {
            $(
                $( #[doc = $help] )+
                $Variant $( ( $Arg ) )?,
            )+
        }

        impl $Enum {
            /// Every binding: name, help text and default keys, in table order.
            pub const ACTIONS: &'static [$crate::ui::action::ActionDef] = &[
                $( $( $crate::ui::action::act($name, $help, &[ $( $key ),* ]), )+ )+
            ];
            /// The command of each entry of [`Self::ACTIONS`], in the same order.
            pub const ALL: &'static [$Enum] = &[
                $( $( $Enum::$Variant $( ( $val ) )?, )+ )+
            ];

            /// The command bound under a keymap name.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ACTIONS
                    .iter()
                    .position(|a| a.name == name)
                    .and_then(|i| Self::ALL.get(i).copied())
            }

            /// The table entry of this command (name, help, default keys).
            pub fn def(self) -> $crate::ui::action::ActionDef {
                Self::ALL
                    .iter()
                    .position(|c| *c == self)
                    .and_then(|i| Self::ACTIONS.get(i).copied())
                    .unwrap_or($crate::ui::action::act("", "", &[]))
            }

            /// The keymap name of this command.
            pub fn name(self) -> &'static str {
                self.def().name
            }
        }
    };
}

pub(crate) use commands;

/// Checks a command table: unique names that start with the context, one help text each, and
/// keys that parse (an empty key list is "unbound by default"). Returns the problems.
pub fn check_table(context: &str, actions: &[ActionDef]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for a in actions {
        if !seen.insert(a.name) {
            problems.push(format!("{}: named twice", a.name));
        }
        if !a.name.starts_with(&format!("{context}.")) {
            problems.push(format!("{}: not in the {context} context", a.name));
        }
        if a.help.trim().is_empty() {
            problems.push(format!("{}: no help text", a.name));
        }
        for k in a.keys {
            if let Err(e) = super::keys::Chord::parse(k) {
                problems.push(format!("{}: key {k:?}: {e}", a.name));
            }
        }
    }
    problems
}

commands! {
    /// Motions every view shares (the `nav` keymap context, searched after the view's own).
    pub enum NavCmd {
        Up { "nav.up", "Cursor up (previous row)", ["up"]; }
        Down { "nav.down", "Cursor down (next row)", ["down"]; }
        Left { "nav.left", "Cursor left (previous column)", ["left"]; }
        Right { "nav.right", "Cursor right (next column)", ["right"]; }
        PageUp { "nav.page_up", "Up one page", ["pageup"]; }
        PageDown { "nav.page_down", "Down one page", ["pagedown"]; }
        Top { "nav.top", "To the first row", ["home"]; }
        Bottom { "nav.bottom", "To the last row", ["end"]; }
    }
}

commands! {
    /// Track triggers and one-shot re-arming while playing, on the local engine and the
    /// device over MIDI (`ui::local_play`; rules in `seq::track_play`).
    pub enum TrackTrigCmd {
        Trigger { "app.track_trigger", "Trigger the cursor's track: starts a START SILENT / PLAYS FREE track as the device's track key does (TRIG MODE, TRIG QUANT; HOLD: press again to let go)", ["ctrl+alt+g"]; }
        ArmOneShots { "app.arm_oneshots", "Re-arm the one-shot trigs of every track (the device's ONE-SHOT re-arm)", ["ctrl+alt+y"]; }
    }
}

impl NavCmd {
    /// The move as (rows, columns) for a list or sheet with `page` rows a page and `rows`
    /// rows in all (top and bottom jump the whole length).
    pub fn delta(self, page: usize, rows: usize) -> (i64, i64) {
        let (page, rows) = (page.max(1) as i64, rows as i64);
        match self {
            Self::Up => (-1, 0),
            Self::Down => (1, 0),
            Self::Left => (0, -1),
            Self::Right => (0, 1),
            Self::PageUp => (-page, 0),
            Self::PageDown => (page, 0),
            Self::Top => (-rows, 0),
            Self::Bottom => (rows, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_table_names_and_lookup() {
        assert!(check_table("nav", NavCmd::ACTIONS).is_empty());
        assert_eq!(NavCmd::from_name("nav.page_down"), Some(NavCmd::PageDown));
        assert_eq!(NavCmd::from_name("nav.nope"), None);
        assert_eq!(NavCmd::Bottom.name(), "nav.bottom");
        assert_eq!(NavCmd::Left.def().keys, &["left"]);
        assert_eq!(NavCmd::PageUp.delta(16, 64), (-16, 0));
        assert_eq!(NavCmd::Bottom.delta(16, 64), (64, 0));
    }

    #[test]
    fn track_trig_table_names_and_keys() {
        assert!(check_table("app", TrackTrigCmd::ACTIONS).is_empty());
        assert_eq!(
            TrackTrigCmd::from_name("app.track_trigger"),
            Some(TrackTrigCmd::Trigger)
        );
        assert_eq!(TrackTrigCmd::Trigger.def().keys, &["ctrl+alt+g"]);
        assert_eq!(TrackTrigCmd::ArmOneShots.def().keys, &["ctrl+alt+y"]);
        // not the start screen's back key, which is read before the keymap
        assert!(
            !TrackTrigCmd::ACTIONS
                .iter()
                .any(|a| a.keys.contains(&"ctrl+alt+o"))
        );
    }
}
