//! The scenes view: the 16 scenes of the current part as a grid of scenes x audio tracks; each
//! cell shows the locked parameters (XLV first); the cursor's cell is listed in full below.
//! Lock (NAME VALUE), clear a cell or a scene, copy and paste scenes; all undoable.

use super::action::{ActionDef, Input, act};
use super::edits;
use super::sheet::{self, Pos, Sheet};
use super::view::{Ctx, Outcome, View, ViewInfo};
use crate::format::bank::{LockRecords, Part, SCENES, audio_slot};
use crate::format::params;
use ratatui::Frame;
use ratatui::layout::Rect;

const ACTIONS: &[ActionDef] = &[
    act("scenes.up", "Previous scene", &["up"]),
    act("scenes.down", "Next scene", &["down"]),
    act("scenes.left", "Previous track", &["left"]),
    act("scenes.right", "Next track", &["right"]),
    act(
        "scenes.lock",
        "Lock a parameter in this scene (NAME VALUE)",
        &["enter"],
    ),
    act("scenes.xlv", "Set the crossfader level (XLV) lock", &["x"]),
    act(
        "scenes.clear",
        "Clear the track's locks in this scene",
        &["delete"],
    ),
    act(
        "scenes.clear_scene",
        "Clear every lock of this scene",
        &["backspace"],
    ),
    act("scenes.copy", "Copy this scene", &["c"]),
    act("scenes.paste", "Paste the copied scene here", &["v"]),
];

/// The scenes view.
#[derive(Debug, Default)]
pub struct ScenesView {
    pos: Pos,
    clipboard: Option<LockRecords<8>>,
}

/// The locks of one scene cell as `NAME value` strings (device names for the track's machine and FX).
pub fn cell_locks(part: &Part, scene: usize, track: usize) -> Vec<String> {
    let m = part.machine_type(track);
    let (f1, f2) = (part.fx1_type(track), part.fx2_type(track));
    let mut out = Vec::new();
    if let Some(x) = part.xlv(scene, track) {
        out.push(format!("XLV {x}"));
    }
    for i in 0..32 {
        if i == audio_slot::XLV {
            continue;
        }
        if let Some(v) = part.scene_lock(scene, track, i) {
            out.push(match params::audio_param(m, f1, f2, i) {
                Some(p) => format!("{} {}", p.name, p.show(v)),
                None => format!("#{i} {v}"),
            });
        }
    }
    out
}

impl ScenesView {
    /// A view on scene 1, track 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// The table for the current part.
    pub fn sheet(&self, ctx: &Ctx) -> Sheet {
        let mut s = Sheet {
            label_width: 9,
            cell_width: 12,
            ..Default::default()
        };
        let Some(part) = ctx
            .doc
            .bank(ctx.nav.bank)
            .and_then(|b| b.part(ctx.nav.part))
        else {
            return s;
        };
        s.top.push(format!(
            "Bank {} part {} scenes - active A {} / B {}",
            crate::format::bank_letter(ctx.nav.bank),
            ctx.nav.part + 1,
            part.scene_a + 1,
            part.scene_b + 1
        ));
        s.columns = (1..=8).map(|t| format!("T{t}")).collect();
        for sc in 0..SCENES {
            let mark = match (sc == part.scene_a as usize, sc == part.scene_b as usize) {
                (true, true) => " AB",
                (true, false) => " A",
                (false, true) => " B",
                _ => "",
            };
            let cells = (0..8)
                .map(|t| {
                    let l = cell_locks(part, sc, t);
                    if l.is_empty() {
                        ".".into()
                    } else {
                        l.join(",")
                    }
                })
                .collect();
            s.rows.push((format!("SCENE {:2}{mark}", sc + 1), cells));
        }
        let (sc, t) = (self.pos.row, self.pos.col);
        let l = cell_locks(part, sc, t);
        s.bottom.push(format!(
            "scene {} T{} ({}): {}",
            sc + 1,
            t + 1,
            part.machine_type(t).name(),
            if l.is_empty() {
                "no locks".into()
            } else {
                l.join("  ")
            }
        ));
        s
    }

    fn edit(
        &self,
        ctx: &mut Ctx,
        label: &str,
        f: impl FnOnce(&mut Part) -> Result<(), crate::format::FormatError>,
    ) -> Outcome {
        let (b, p) = (ctx.nav.bank, ctx.nav.part);
        edits::edit_part(ctx, b, p, label, f)
    }

    fn lock(&self, ctx: &mut Ctx, text: &str) -> Outcome {
        let (sc, t) = (self.pos.row, self.pos.col);
        let Some(part) = ctx
            .doc
            .bank(ctx.nav.bank)
            .and_then(|b| b.part(ctx.nav.part))
        else {
            return Outcome::Handled;
        };
        let mut words = text.split_whitespace();
        let (Some(name), value) = (words.next(), words.next()) else {
            return Outcome::Error("type a parameter name and a value, e.g. VOL 100".into());
        };
        let m = part.machine_type(t);
        let idx = if name.eq_ignore_ascii_case("XLV") {
            Some(audio_slot::XLV)
        } else {
            (0..32).find(|&i| {
                params::audio_param(m, part.fx1_type(t), part.fx2_type(t), i)
                    .is_some_and(|p| p.name.eq_ignore_ascii_case(name) && i != audio_slot::XLV)
            })
        };
        let Some(idx) = idx else {
            return Outcome::Error(format!(
                "{name}: no such parameter on T{} ({})",
                t + 1,
                m.name()
            ));
        };
        let v = match value {
            None => None,
            Some(v) => match sheet::parse_num(v, 0, 127, name) {
                Ok(v) => Some(v as u8),
                Err(e) => return Outcome::Error(e),
            },
        };
        let label = format!("scene {} T{} {name}", sc + 1, t + 1);
        self.edit(ctx, &label, |p| p.set_scene_lock(sc, t, idx, v))
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "scenes",
    switch: act("view.scenes", "Show the scenes of the part", &["F4"]),
};

impl View for ScenesView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, ctx: &Ctx) -> String {
        format!(
            "Scenes {}{}",
            crate::format::bank_letter(ctx.nav.bank),
            ctx.nav.part + 1
        )
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = self.sheet(ctx);
        self.pos.clamp(SCENES, 8);
        sheet::render(frame, area, ctx, &s, &mut self.pos);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let (sc, t) = (self.pos.row, self.pos.col);
        match input {
            Input::Action(a) => match a {
                "scenes.up" => self.pos.step(-1, 0, SCENES, 8),
                "scenes.down" => self.pos.step(1, 0, SCENES, 8),
                "scenes.left" => self.pos.step(0, -1, SCENES, 8),
                "scenes.right" => self.pos.step(0, 1, SCENES, 8),
                "scenes.lock" => {
                    return Outcome::Prompt {
                        title: format!(
                            "Scene {} T{}: parameter and value (no value clears)",
                            sc + 1,
                            t + 1
                        ),
                        tag: "scenes.lock",
                        initial: String::new(),
                    };
                }
                "scenes.xlv" => {
                    return Outcome::Prompt {
                        title: format!("Scene {} T{} XLV 0..127 (empty clears)", sc + 1, t + 1),
                        tag: "scenes.xlv",
                        initial: String::new(),
                    };
                }
                "scenes.clear" => {
                    let label = format!("clear scene {} T{}", sc + 1, t + 1);
                    return self.edit(ctx, &label, |p| {
                        (0..32).try_for_each(|i| p.set_scene_lock(sc, t, i, None))
                    });
                }
                "scenes.clear_scene" => {
                    let label = format!("clear scene {}", sc + 1);
                    return self.edit(ctx, &label, |p| {
                        p.scenes[sc] = LockRecords::default();
                        Ok(())
                    });
                }
                "scenes.copy" => {
                    self.clipboard = ctx
                        .doc
                        .bank(ctx.nav.bank)
                        .and_then(|b| b.part(ctx.nav.part))
                        .map(|p| p.scenes[sc].clone());
                    return Outcome::Message(format!("scene {} copied", sc + 1));
                }
                "scenes.paste" => {
                    let Some(rec) = self.clipboard.clone() else {
                        return Outcome::Message("nothing copied yet".into());
                    };
                    let label = format!("paste scene {}", sc + 1);
                    return self.edit(ctx, &label, |p| {
                        p.scenes[sc] = rec;
                        Ok(())
                    });
                }
                _ => return Outcome::Ignored,
            },
            Input::Answer("scenes.lock", text) => return self.lock(ctx, &text),
            Input::Answer("scenes.xlv", text) => {
                let v = if text.trim().is_empty() {
                    None
                } else {
                    match sheet::parse_num(&text, 0, 127, "XLV") {
                        Ok(v) => Some(v as u8),
                        Err(e) => return Outcome::Error(e),
                    }
                };
                let label = format!("scene {} T{} XLV", sc + 1, t + 1);
                return self.edit(ctx, &label, |p| p.set_xlv(sc, t, v));
            }
            Input::Scroll(d) => self.pos.step(d as i64, 0, SCENES, 8),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec!["scenes.lock", "scenes.xlv", "scenes.copy", "scenes.paste"]
    }
}
