//! The project settings view: every `[SETTINGS]` key of project.work, grouped and named as the
//! device's PROJECT menus (GENERAL, CONTROL > AUDIO / INPUT / SEQUENCER / MIDI SEQUENCER /
//! METRONOME / MEMORY, MIDI > CONTROL / SYNC / CHANNELS) with values in the device's terms
//! (ON/OFF, channels, BPM, levels), from [`crate::format::project_menu`]. Values are typed as
//! shown; a value outside the range is refused with a message. Edits are undoable.

use crate::format::project_menu::{MenuItem, project_menu};
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::edits;
use crate::ui::sheet::{self, Pos, Sheet};
use crate::ui::view::{Ctx, Outcome, View, ViewInfo};
use ratatui::Frame;
use ratatui::layout::Rect;

crate::ui::command::commands! {
    /// A command of the settings view.
    pub enum SettingsCmd {
        Inc { "settings.inc", "Increase the value", ["+", "="]; }
        Dec { "settings.dec", "Decrease the value", ["-"]; }
        Enter { "settings.enter", "Type a value", ["enter"]; }
    }
}

/// Every action of the view (the table of [`SettingsCmd`]).
const ACTIONS: &[ActionDef] = SettingsCmd::ACTIONS;

/// The settings view.
#[derive(Debug, Default)]
pub struct SettingsView {
    pos: Pos,
}

impl SettingsView {
    /// A view on the first setting.
    pub fn new() -> Self {
        Self::default()
    }

    fn value(ctx: &Ctx, r: &MenuItem) -> Option<i64> {
        let pf = ctx.doc.project.project_file();
        match r.midi_track {
            Some(t) => pf.trig_mode_midi(t + 1),
            None => pf.setting(r.spec.key),
        }
    }

    /// The table.
    pub fn sheet(&self, ctx: &Ctx) -> Sheet {
        let mut s = Sheet {
            label_width: 46,
            cell_width: 24,
            ..Default::default()
        };
        s.top.push(format!("{}: PROJECT settings", ctx.doc.name()));
        s.columns = vec!["VALUE".into(), "RANGE".into()];
        let items = project_menu();
        let mut last = "";
        for r in &items {
            let menu = if r.menu == last { "" } else { r.menu };
            last = r.menu;
            let v = Self::value(ctx, r).map_or("(absent)".into(), |v| r.show(v));
            s.rows
                .push((format!("{menu:<26}{}", r.name), vec![v, r.range_text()]));
        }
        if let Some(r) = items.get(self.pos.row.min(items.len().saturating_sub(1))) {
            let key = match r.midi_track {
                Some(t) => format!("{} (line {} of 8)", r.spec.key, t + 1),
                None => r.spec.key.to_string(),
            };
            let stored = Self::value(ctx, r).map_or("absent".into(), |v| v.to_string());
            s.bottom.push(format!(
                "{} {}: {} (project.work {key} = {stored})",
                r.menu,
                r.name,
                r.range_text()
            ));
        }
        s
    }

    fn set(&self, ctx: &mut Ctx, v: i64) -> Outcome {
        let all = project_menu();
        let Some(r) = all.get(self.pos.row).copied() else {
            return Outcome::Handled;
        };
        if !(r.spec.min..=r.spec.max).contains(&v) {
            return Outcome::Error(format!(
                "{}: {} is outside {}",
                r.name,
                r.show(v),
                r.range_text()
            ));
        }
        let label = format!("set {}", r.name);
        edits::edit_project_file(ctx, &label, |pf| match r.midi_track {
            Some(t) => pf.set_trig_mode_midi(t + 1, v),
            None => pf.set_setting(r.spec.key, v),
        })
    }

    fn item(&self) -> MenuItem {
        let all = project_menu();
        all[self.pos.row.min(all.len() - 1)]
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "settings",
    switch: act("view.settings", "Show the project settings", &["F7"]),
};

impl View for SettingsView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, _ctx: &Ctx) -> String {
        "Settings".into()
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = self.sheet(ctx);
        self.pos.clamp(s.rows.len(), 1);
        sheet::render(frame, area, ctx, &s, &mut self.pos);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let n = project_menu().len();
        match input {
            Input::Action(name) => match SettingsCmd::from_name(name) {
                None => return Outcome::Ignored,
                Some(a @ (SettingsCmd::Inc | SettingsCmd::Dec)) => {
                    let r = self.item();
                    let Some(v) = Self::value(ctx, &r) else {
                        return Outcome::Error(format!("{} is not in project.work", r.spec.key));
                    };
                    let d = if a == SettingsCmd::Inc { 1 } else { -1 };
                    return self.set(ctx, (v + d).clamp(r.spec.min, r.spec.max));
                }
                Some(SettingsCmd::Enter) => {
                    let r = self.item();
                    return Outcome::Prompt {
                        title: format!("{} {}: {}", r.menu, r.name, r.range_text()),
                        tag: "settings.value",
                        initial: String::new(),
                    };
                }
            },
            Input::Nav(nav) => self.pos.nav(nav, n, 1, 16),
            Input::Answer("settings.value", text) => {
                let r = self.item();
                return match r.parse(&text) {
                    Ok(v) => match self.set(ctx, v) {
                        Outcome::Handled => {
                            Outcome::Message(format!("{} = {} (stored {v})", r.name, r.show(v)))
                        }
                        o => o,
                    },
                    Err(e) => Outcome::Error(e),
                };
            }
            Input::Scroll(d) => self.pos.step(d as i64, 0, n, 1),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            SettingsCmd::Enter.name(),
            SettingsCmd::Inc.name(),
            SettingsCmd::Dec.name(),
        ]
    }
}
