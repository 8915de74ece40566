//! Key and mouse routing: overlays (help, warnings, quit and copy confirmation, prompts) take
//! keys first, then the keymap maps a key to an action of the current view's contexts.

use super::*;
use crate::ui::action::GlobalCmd;

impl App {
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
                let max = crate::ui::help::warnings_max_scroll(self, self.body);
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
        let before = crate::ui::audition::before(self);
        match self.keymap.lookup(&contexts, chord) {
            Some(action) => self.action(action),
            None => {
                if let Some(c) = chord.plain_char() {
                    self.send(Input::Char(c));
                }
            }
        }
        crate::ui::audition::after(self, before);
    }

    pub(super) fn confirm_copy_key(&mut self, chord: Chord, scroll: u16) {
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
        if scroll == 0 && crate::ui::audition::header_click(self, x, y, false) {
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

    /// A key in the help overlay: arrows and pages scroll (never past the last line), typed
    /// characters search, backspace edits the search, esc or the help key closes.
    pub(super) fn help_key(&mut self, chord: Chord, scroll: u16) {
        let max = crate::ui::help::max_scroll(self, self.body);
        let page = crate::ui::help::page(self.body);
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
            _ if self.keymap.lookup(&[], chord) == Some(GlobalCmd::Help.name()) => Overlay::None,
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
        crate::ui::audition::prompt_choices(self, tag)
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
