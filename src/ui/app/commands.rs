//! Running actions: the global ones here, the rest handed to the current view; app prompt
//! answers and what a view's handling asks for (messages, prompts, switches, copies).

use super::*;
use crate::ui::action::GlobalCmd;
use crate::ui::command::NavCmd;

impl App {
    /// Runs a named action: a global command here, an audition command in `audition`, a view
    /// switch, a shared motion (`nav.*`) or the current view's own command.
    pub fn action(&mut self, name: &'static str) {
        self.message = None;
        if crate::ui::local_play::handles(self, name) {
            // Local playback chosen: play, stop, mute, solo... go to the local engine.
            crate::ui::local_play::action(self, name);
        } else if let Some(cmd) = crate::ui::command::TrackTrigCmd::from_name(name) {
            crate::ui::local_play::track_trig(self, cmd);
        } else if let Some(cmd) = GlobalCmd::from_name(name) {
            self.global(cmd);
        } else if crate::ui::audition::handles(name) {
            crate::ui::audition::action(self, name);
        } else if let Some(i) = self.views.iter().position(|v| v.info().switch.name == name) {
            self.current = i;
        } else if let Some(nav) = NavCmd::from_name(name) {
            self.send(Input::Nav(nav));
        } else {
            self.send(Input::Action(name));
        }
    }

    /// Runs a global command.
    pub fn global(&mut self, cmd: GlobalCmd) {
        let prompt = |title: &str, tag: &'static str| Overlay::Prompt {
            title: title.into(),
            tag,
            text: String::new(),
        };
        match cmd {
            GlobalCmd::Quit => {
                let unsaved = |d: &crate::ui::model::Document| d.is_dirty() && !d.read_only();
                if unsaved(&self.ctx.doc) || self.ctx.other.as_ref().is_some_and(unsaved) {
                    self.overlay = Overlay::ConfirmQuit;
                } else {
                    self.quit = true;
                }
            }
            GlobalCmd::StartScreen => {
                if crate::ui::views::start::request_back() {
                    self.global(GlobalCmd::Quit);
                } else {
                    self.info("no start screen here: octa was opened on the demo or a new project");
                }
            }
            GlobalCmd::Save => {
                self.save(false);
            }
            GlobalCmd::ForceSave => {
                self.save(true);
            }
            GlobalCmd::State => {
                self.overlay = prompt(&crate::ui::state_ops::menu_title(&self.ctx), "app.state")
            }
            GlobalCmd::Undo => self.undo_redo(true),
            GlobalCmd::Redo => self.undo_redo(false),
            GlobalCmd::OpenOther => {
                self.overlay = prompt("Open beside (project folder, set or zip)", "app.open_other")
            }
            GlobalCmd::Help => {
                self.help_filter.clear();
                self.overlay = Overlay::Help(0);
            }
            GlobalCmd::Warnings => {
                self.warnings = crate::ui::help::collect_warnings(&self.ctx);
                self.overlay = Overlay::Warnings(0);
            }
            GlobalCmd::NextView => {
                self.current = (self.current + 1) % self.views.len().max(1);
            }
            GlobalCmd::Panic => match self.ctx.engines.midi_control.as_mut() {
                Some(m) if crate::ui::engines::midi_ready(m.as_ref()) => {
                    m.panic();
                    self.info("MIDI panic sent");
                }
                _ => self.error(crate::ui::engines::NO_PANIC),
            },
            GlobalCmd::Play => {
                let at = (self.ctx.nav.bank, self.ctx.nav.pattern);
                let bank = self.ctx.doc.bank(at.0);
                match (self.ctx.engines.midi_control.as_mut(), bank) {
                    (Some(m), Some(bank)) if crate::ui::engines::midi_ready(m.as_ref()) => {
                        let playing = m.toggle_play(bank, at);
                        self.info(if playing { "playing" } else { "stopped" });
                    }
                    (Some(_), None) => self.error("this bank is not loaded: nothing to play"),
                    _ => self.error(crate::ui::engines::NO_PLAY),
                }
            }
            GlobalCmd::Bank(d) => self.nav_bank(i32::from(d)),
            GlobalCmd::Pattern(d) => self.nav_pattern(i32::from(d)),
            GlobalCmd::Part(d) => {
                self.ctx.nav.part = (self.ctx.nav.part as i32 + i32::from(d)).rem_euclid(4) as usize
            }
            GlobalCmd::GotoBank => self.overlay = prompt("Bank (A-P)", "app.goto_bank"),
            GlobalCmd::GotoPattern => self.overlay = prompt("Pattern (1-16)", "app.goto_pattern"),
        }
    }

    pub(super) fn nav_bank(&mut self, d: i32) {
        self.ctx.nav.bank = (self.ctx.nav.bank as i32 + d).rem_euclid(16) as usize;
        self.sync_part();
    }

    pub(super) fn nav_pattern(&mut self, d: i32) {
        self.ctx.nav.pattern = (self.ctx.nav.pattern as i32 + d).rem_euclid(16) as usize;
        self.sync_part();
    }

    /// Sets the current part to the current pattern's part.
    pub fn sync_part(&mut self) {
        if let Some(i) = self.ctx.doc.info(self.ctx.nav.bank, self.ctx.nav.pattern) {
            self.ctx.nav.part = i.part as usize & 3;
        }
    }

    /// Sends an input to the current view (or handles an app prompt answer) and applies the outcome.
    pub fn send(&mut self, input: Input) {
        if let Input::Answer(tag, text) = &input {
            match *tag {
                t if crate::ui::audition::handles_answer(t) => {
                    crate::ui::audition::answer(self, t, text.trim());
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
                    match crate::ui::side_view::open_other(&mut self.ctx, text.trim()) {
                        Ok(m) => {
                            self.info(m);
                            self.show_view(crate::ui::side_view::ID);
                        }
                        Err(e) => self.error(e),
                    }
                    return;
                }
                "app.state" | "app.state_confirm" => {
                    use crate::ui::state_ops;
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
    pub(super) fn outcome(&mut self, out: Outcome) {
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
    pub(super) fn show_view(&mut self, id: &str) {
        if let Some(i) = self.views.iter().position(|v| v.info().id == id) {
            self.current = i;
        }
    }
}
