//! Key chords: parsing from keymap text (`ctrl+s`, `shift+up`, `F1`, `z`) and matching terminal events.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// One key with its modifiers, as written in keymaps and shown in the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chord {
    /// The key.
    pub code: ChordKey,
    /// Ctrl held.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
    /// Shift held (for letters the upper-case char is used instead).
    pub shift: bool,
}

/// The key part of a chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChordKey {
    /// A printable character (letters are stored as typed: `Z` means shift+z).
    Char(char),
    /// A function key F1..F24.
    F(u8),
    /// A named key.
    Named(NamedKey),
}

/// Non-printable keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NamedKey {
    /// Up arrow.
    Up,
    /// Down arrow.
    Down,
    /// Left arrow.
    Left,
    /// Right arrow.
    Right,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// Home.
    Home,
    /// End.
    End,
    /// Enter / return.
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift+Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Space bar.
    Space,
}

const NAMES: [(&str, NamedKey); 16] = [
    ("up", NamedKey::Up),
    ("down", NamedKey::Down),
    ("left", NamedKey::Left),
    ("right", NamedKey::Right),
    ("pageup", NamedKey::PageUp),
    ("pagedown", NamedKey::PageDown),
    ("home", NamedKey::Home),
    ("end", NamedKey::End),
    ("enter", NamedKey::Enter),
    ("esc", NamedKey::Esc),
    ("tab", NamedKey::Tab),
    ("backtab", NamedKey::BackTab),
    ("backspace", NamedKey::Backspace),
    ("delete", NamedKey::Delete),
    ("insert", NamedKey::Insert),
    ("space", NamedKey::Space),
];

impl Chord {
    /// A plain character key.
    pub fn char(c: char) -> Self {
        Self {
            code: ChordKey::Char(c),
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    /// Parses `ctrl+shift+up`, `alt+x`, `F5`, `Z`, `space`, `+` (case-sensitive for single chars).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty key".into());
        }
        let mut chord = Self::char(' ');
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (mods, n) = if lower.starts_with("ctrl+") && rest.len() > 5 {
                (&mut chord.ctrl, 5)
            } else if lower.starts_with("alt+") && rest.len() > 4 {
                (&mut chord.alt, 4)
            } else if lower.starts_with("shift+") && rest.len() > 6 {
                (&mut chord.shift, 6)
            } else {
                break;
            };
            *mods = true;
            rest = &rest[n..];
        }
        let mut chars = rest.chars();
        let first = chars.next().ok_or("missing key after modifiers")?;
        chord.code = if chars.next().is_none() {
            let c = if chord.ctrl && first.is_ascii_alphabetic() {
                // ctrl+letter is matched case-insensitively with an explicit shift.
                chord.shift |= first.is_ascii_uppercase();
                first.to_ascii_lowercase()
            } else if chord.shift && first.is_ascii_alphabetic() {
                chord.shift = false;
                first.to_ascii_uppercase()
            } else {
                first
            };
            ChordKey::Char(c)
        } else {
            let lower = rest.to_ascii_lowercase();
            if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                if !(1..=24).contains(&n) {
                    return Err(format!("no function key {rest}"));
                }
                ChordKey::F(n)
            } else if let Some((_, k)) = NAMES.iter().find(|(n, _)| *n == lower) {
                if *k == NamedKey::Space {
                    ChordKey::Char(' ')
                } else {
                    ChordKey::Named(*k)
                }
            } else {
                return Err(format!(
                    "unknown key `{rest}` (use a single character, F1-F24 or one of: {})",
                    NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                ));
            }
        };
        Ok(chord)
    }

    /// The chord of a terminal key event (`None` for keys octa never binds).
    pub fn from_event(ev: &KeyEvent) -> Option<Self> {
        let m = ev.modifiers;
        let mut chord = Self {
            code: ChordKey::Char(' '),
            ctrl: m.contains(KeyModifiers::CONTROL),
            alt: m.contains(KeyModifiers::ALT),
            shift: m.contains(KeyModifiers::SHIFT),
        };
        chord.code = match ev.code {
            KeyCode::Char(c) => {
                // The char already carries shift for printable keys.
                chord.shift = false;
                let c = if chord.ctrl && c.is_ascii_alphabetic() {
                    if c.is_ascii_uppercase() {
                        chord.shift = true;
                    }
                    c.to_ascii_lowercase()
                } else {
                    c
                };
                ChordKey::Char(c)
            }
            KeyCode::F(n) => ChordKey::F(n),
            KeyCode::Up => ChordKey::Named(NamedKey::Up),
            KeyCode::Down => ChordKey::Named(NamedKey::Down),
            KeyCode::Left => ChordKey::Named(NamedKey::Left),
            KeyCode::Right => ChordKey::Named(NamedKey::Right),
            KeyCode::PageUp => ChordKey::Named(NamedKey::PageUp),
            KeyCode::PageDown => ChordKey::Named(NamedKey::PageDown),
            KeyCode::Home => ChordKey::Named(NamedKey::Home),
            KeyCode::End => ChordKey::Named(NamedKey::End),
            KeyCode::Enter => ChordKey::Named(NamedKey::Enter),
            KeyCode::Esc => ChordKey::Named(NamedKey::Esc),
            KeyCode::Tab => ChordKey::Named(NamedKey::Tab),
            KeyCode::BackTab => {
                chord.shift = false;
                ChordKey::Named(NamedKey::BackTab)
            }
            KeyCode::Backspace => ChordKey::Named(NamedKey::Backspace),
            KeyCode::Delete => ChordKey::Named(NamedKey::Delete),
            KeyCode::Insert => ChordKey::Named(NamedKey::Insert),
            _ => return None,
        };
        Some(chord)
    }

    /// The printable character of an unmodified key, for text and value entry.
    pub fn plain_char(&self) -> Option<char> {
        match self.code {
            ChordKey::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl+")?;
        }
        if self.alt {
            f.write_str("alt+")?;
        }
        if self.shift {
            f.write_str("shift+")?;
        }
        match self.code {
            ChordKey::Char(' ') => f.write_str("space"),
            ChordKey::Char(c) => write!(f, "{c}"),
            ChordKey::F(n) => write!(f, "F{n}"),
            ChordKey::Named(k) => {
                let name = NAMES.iter().find(|(_, x)| *x == k).map_or("?", |(n, _)| n);
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for s in [
            "ctrl+s",
            "shift+up",
            "F5",
            "Z",
            "space",
            "+",
            "alt+1",
            "ctrl+shift+z",
        ] {
            let c = Chord::parse(s).unwrap();
            assert_eq!(c.to_string(), s, "{s}");
        }
        assert_eq!(Chord::parse("shift+z").unwrap(), Chord::char('Z'));
        assert!(Chord::parse("hyper+x").is_err());
        assert!(Chord::parse("F99").is_err());
    }

    #[test]
    fn matches_terminal_events() {
        let ev = KeyEvent::new(KeyCode::Char('Z'), KeyModifiers::SHIFT);
        assert_eq!(Chord::from_event(&ev), Some(Chord::char('Z')));
        let ev = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(Chord::from_event(&ev), Chord::parse("ctrl+s").ok());
        let ev = KeyEvent::new(KeyCode::Up, KeyModifiers::SHIFT);
        assert_eq!(Chord::from_event(&ev), Chord::parse("shift+up").ok());
    }
}
