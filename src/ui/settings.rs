//! The project settings view: every `[SETTINGS]` key of project.work (tempo, MIDI channels and
//! options, clock and transport, mixer, metronome, memory, control) with its device name, value
//! and range. A typed value outside the range is refused with a message. Edits are undoable.

use super::action::{ActionDef, Input, act};
use super::edits;
use super::sheet::{self, Pos, Sheet};
use super::view::{Ctx, Outcome, View, ViewInfo};
use crate::format::project_file::{KeySpec, SETTINGS_KEYS, TRIG_MODE_MIDI};
use ratatui::Frame;
use ratatui::layout::Rect;

const ACTIONS: &[ActionDef] = &[
    act("settings.up", "Previous setting", &["up"]),
    act("settings.down", "Next setting", &["down"]),
    act("settings.page_up", "Up 16 settings", &["pageup"]),
    act("settings.page_down", "Down 16 settings", &["pagedown"]),
    act("settings.inc", "Increase the value", &["+", "="]),
    act("settings.dec", "Decrease the value", &["-"]),
    act("settings.enter", "Type a value", &["enter"]),
];

/// The group a settings key belongs to (as the device's menus group them).
pub fn group(key: &str) -> &'static str {
    match key {
        k if k.starts_with("METRONOME") => "METRONOME",
        k if k.starts_with("MIDI_CLOCK") || k.starts_with("MIDI_TRANSPORT") => "CLOCK/TRANSPORT",
        k if k.starts_with("MIDI") || k.starts_with("TRIG_MODE") => "MIDI",
        "TEMPOx24" | "PATTERN_TEMPO_ENABLED" => "TEMPO",
        k if k.starts_with("GATE")
            || k.starts_with("GAIN")
            || k.starts_with("DIR")
            || k.contains("LEVEL")
            || k.contains("MIX")
            || k.contains("CUE") =>
        {
            "MIXER"
        }
        k if k.contains("RECORDER") || k.contains("24BIT") || k.contains("FLEX") => "MEMORY",
        _ => "CONTROL",
    }
}

/// One row: a key (with the MIDI track for the repeated `TRIG_MODE_MIDI`).
#[derive(Debug, Clone, Copy)]
struct Row {
    spec: KeySpec,
    midi_track: Option<usize>,
}

fn rows() -> Vec<Row> {
    let mut v: Vec<Row> = SETTINGS_KEYS
        .iter()
        .map(|&spec| Row {
            spec,
            midi_track: None,
        })
        .collect();
    v.extend((0..8).map(|t| Row {
        spec: TRIG_MODE_MIDI,
        midi_track: Some(t),
    }));
    v
}

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

    fn value(ctx: &Ctx, r: &Row) -> Option<i64> {
        let pf = ctx.doc.project.project_file();
        match r.midi_track {
            Some(t) => pf.trig_mode_midi(t + 1),
            None => pf.setting(r.spec.key),
        }
    }

    fn show(r: &Row, v: i64) -> String {
        match r.spec.key {
            "TEMPOx24" => format!("{v} ({:.2} BPM)", v as f64 / 24.0),
            k if k.ends_with("_CH")
                || k.starts_with("MIDI_TRIG_CH")
                || k == "MIDI_AUTO_CHANNEL" =>
            {
                if v < 0 {
                    "OFF".into()
                } else {
                    format!("{v} (channel {})", v + 1)
                }
            }
            _ => v.to_string(),
        }
    }

    /// The table.
    pub fn sheet(&self, ctx: &Ctx) -> Sheet {
        let mut s = Sheet {
            label_width: 38,
            cell_width: 22,
            ..Default::default()
        };
        s.top.push(format!("{}: project settings", ctx.doc.name()));
        s.columns = vec!["VALUE".into(), "RANGE".into(), "GROUP".into()];
        for r in rows() {
            let label = match r.midi_track {
                Some(t) => format!("{} (M{})", r.spec.key, t + 1),
                None => r.spec.key.to_string(),
            };
            let v = Self::value(ctx, &r).map_or("(absent)".into(), |v| Self::show(&r, v));
            s.rows.push((
                label,
                vec![
                    v,
                    format!("{}..={}", r.spec.min, r.spec.max),
                    group(r.spec.key).into(),
                ],
            ));
        }
        s
    }

    fn set(&self, ctx: &mut Ctx, v: i64) -> Outcome {
        let all = rows();
        let Some(r) = all.get(self.pos.row).copied() else {
            return Outcome::Handled;
        };
        if !(r.spec.min..=r.spec.max).contains(&v) {
            return Outcome::Error(format!(
                "{}: {v} is outside {}..={}",
                r.spec.key, r.spec.min, r.spec.max
            ));
        }
        let label = format!("set {}", r.spec.key);
        edits::edit_project_file(ctx, &label, |pf| match r.midi_track {
            Some(t) => pf.set_trig_mode_midi(t + 1, v),
            None => pf.set_setting(r.spec.key, v),
        })
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
        let n = rows().len();
        match input {
            Input::Action(a) => match a {
                "settings.up" => self.pos.step(-1, 0, n, 1),
                "settings.down" => self.pos.step(1, 0, n, 1),
                "settings.page_up" => self.pos.step(-16, 0, n, 1),
                "settings.page_down" => self.pos.step(16, 0, n, 1),
                "settings.inc" | "settings.dec" => {
                    let r = rows()[self.pos.row.min(n - 1)];
                    let Some(v) = Self::value(ctx, &r) else {
                        return Outcome::Error(format!("{} is not in project.work", r.spec.key));
                    };
                    let d = if a == "settings.inc" { 1 } else { -1 };
                    return self.set(ctx, (v + d).clamp(r.spec.min, r.spec.max));
                }
                "settings.enter" => {
                    let r = rows()[self.pos.row.min(n - 1)];
                    return Outcome::Prompt {
                        title: format!("{} ({}..={})", r.spec.key, r.spec.min, r.spec.max),
                        tag: "settings.value",
                        initial: Self::value(ctx, &r).map_or(String::new(), |v| v.to_string()),
                    };
                }
                _ => return Outcome::Ignored,
            },
            Input::Answer("settings.value", text) => {
                let r = rows()[self.pos.row.min(n - 1)];
                return match sheet::parse_num(&text, i64::MIN, i64::MAX, r.spec.key) {
                    Ok(v) => self.set(ctx, v),
                    Err(e) => Outcome::Error(e),
                };
            }
            Input::Scroll(d) => self.pos.step(d as i64, 0, n, 1),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec!["settings.enter", "settings.inc", "settings.dec"]
    }
}
