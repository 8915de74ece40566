//! The two documents: saving both (the main project and the one opened beside it), undo and
//! redo on the focused one.

use super::*;

impl App {
    /// Saves the other project when it has changes (same refusal of files changed on disk).
    pub(super) fn save_other(&mut self, force: bool) -> Option<Result<String, String>> {
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

    pub(super) fn save_main(&mut self, force: bool) -> bool {
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

    /// The document undo, redo and the status line's focus mark refer to.
    pub fn focused_side(&self) -> Side {
        match self.views.get(self.current) {
            Some(v) if self.ctx.other.is_some() => v.focused_side(&self.ctx),
            _ => Side::Main,
        }
    }

    pub(super) fn undo_redo(&mut self, undo: bool) {
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
}
