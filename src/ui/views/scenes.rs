//! The scenes view: one scene of the current part at a time, as a grid of the 8 audio tracks
//! (rows) x XLV and the locked parameters (columns, named by page and parameter as on the
//! device), with the 16 scenes listed beside it (which hold locks, which are on crossfader A / B).
//! Lock, step, clear (cell, track, scene), copy and paste scenes; every edit is one undo step
//! that sets only the part's edited bit.

use crate::format::bank::{LockRecords, Part, SCENES, audio_slot};
use crate::format::params::{self, ParamInfo, ValueDisplay};
use crate::project::copy::{CopyOptions, Target};
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::command::NavCmd;
use crate::ui::edits;
use crate::ui::sheet::{self, Pos, Sheet};
use crate::ui::view::{CopyRequest, Ctx, Outcome, Side, View, ViewInfo};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

crate::ui::command::commands! {
    /// A command of the scenes view.
    pub enum ScenesCmd {
        PrevScene { "scenes.prev_scene", "Previous scene", ["["]; }
        NextScene { "scenes.next_scene", "Next scene", ["]"]; }
        Edit { "scenes.edit", "Type the cell's lock value (as displayed, or #stored; empty clears)", ["enter"]; }
        Inc { "scenes.inc", "Increase the cell's lock value", ["+", "="]; }
        Dec { "scenes.dec", "Decrease the cell's lock value", ["-"]; }
        Clear { "scenes.clear", "Clear the cell's lock", ["delete", "x"]; }
        ClearTrack { "scenes.clear_track", "Clear the track's locks in this scene", ["X"]; }
        ClearScene { "scenes.clear_scene", "Clear every lock of this scene", ["backspace"]; }
        Copy { "scenes.copy", "Copy this scene", ["c"]; }
        Paste { "scenes.paste", "Paste the copied scene here (after its summary)", ["v"]; }
        All { "scenes.all", "Show all parameters / only the locked ones", ["a", "tab"]; }
        LockNamed { "scenes.lock_named", "Lock a parameter of the track by name (NAME VALUE)", ["n"]; }
    }
}

/// Every action of the view (the table of [`ScenesCmd`]).
const ACTIONS: &[ActionDef] = ScenesCmd::ACTIONS;

/// Scene slots in the order the columns show them: XLV, then SRC, AMP, LFO, FX1, FX2 as the
/// device's pages.
const ORDER: [usize; 30] = [
    audio_slot::XLV,
    0,
    1,
    2,
    3,
    4,
    5,
    12,
    13,
    14,
    15,
    16,
    6,
    7,
    8,
    9,
    10,
    11,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    26,
    27,
    28,
    29,
];

/// The page name of a lock slot (0..30).
fn page_name(slot: usize) -> &'static str {
    params::audio_slot_page(slot).name()
}

/// The scene-lock metadata of `slot` on audio track `track` of `part`.
pub fn param(part: &Part, track: usize, slot: usize) -> Option<ParamInfo> {
    params::scene_param(
        part.machine_type(track),
        part.fx1_type(track),
        part.fx2_type(track),
        slot,
    )
}

/// One column of the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Lock slot (17 = XLV).
    pub slot: usize,
    /// Title: `XLV`, `PAGE NAME` (`AMP VOL`), or `PAGE n` when the tracks name it differently.
    pub header: String,
    /// Every track that has the parameter names it alike (cells then show values only).
    pub uniform: bool,
}

/// The columns of scene `scene` (0..16): XLV and every slot locked on some track; with `all`,
/// also every slot some track has a parameter on.
pub fn columns(part: &Part, scene: usize, all: bool) -> Vec<Column> {
    let mut out = Vec::new();
    for slot in ORDER {
        let locked = (0..8).any(|t| part.scene_lock(scene, t, slot).is_some());
        let mut names: Vec<&str> = (0..8)
            .filter_map(|t| param(part, t, slot).map(|p| p.name))
            .collect();
        names.sort_unstable();
        names.dedup();
        let applicable = !names.is_empty();
        if !(slot == audio_slot::XLV || locked || (all && applicable)) {
            continue;
        }
        let uniform = names.len() == 1;
        let header = if slot == audio_slot::XLV {
            "XLV".to_string()
        } else if names.len() == 1 {
            format!("{} {}", page_name(slot), names[0])
        } else {
            format!("{} {}", page_name(slot), slot % 6 + 1)
        };
        out.push(Column {
            slot,
            header,
            uniform,
        });
    }
    out
}

/// The text of a cell: the locked value as the device shows it (with the parameter name when
/// the column's tracks name it differently), `.` when not locked, empty when the track has no
/// parameter there; a lock on a slot without a known parameter shows `#stored`.
pub fn cell(part: &Part, scene: usize, track: usize, col: &Column) -> String {
    let info = param(part, track, col.slot);
    match (part.scene_lock(scene, track, col.slot), info) {
        (Some(v), Some(i)) if col.uniform => i.show(v),
        (Some(v), Some(i)) => format!("{} {}", i.name, i.show(v)),
        (Some(v), None) => format!("#{v}"),
        (None, Some(_)) => ".".into(),
        (None, None) => String::new(),
    }
}

/// Number of locks (XLV included) in a scene.
pub fn lock_count(part: &Part, scene: usize) -> usize {
    (0..8)
        .map(|t| {
            (0..32)
                .filter(|&i| part.scene_lock(scene, t, i).is_some())
                .count()
        })
        .sum()
}

/// The scenes view.
#[derive(Debug, Default)]
pub struct ScenesView {
    /// Scene shown (0..16).
    scene: usize,
    /// Cursor track (0..8).
    track: usize,
    /// Cursor column's lock slot (XLV when it is gone from the columns).
    slot: usize,
    /// Show every parameter, not only the locked ones.
    all: bool,
    pos: Pos,
    clipboard: Option<Target>,
}

impl ScenesView {
    /// A view on scene 1, track 1, XLV column, showing the locked parameters.
    pub fn new() -> Self {
        Self {
            slot: audio_slot::XLV,
            ..Default::default()
        }
    }

    fn part<'a>(&self, ctx: &'a Ctx) -> Option<&'a Part> {
        ctx.doc
            .bank(ctx.nav.bank)
            .and_then(|b| b.part(ctx.nav.part))
    }

    /// The columns now shown and the cursor's index among them (the cursor moves to the
    /// nearest column before its slot when that slot's column is gone).
    fn cursor(&self, part: &Part) -> (Vec<Column>, usize) {
        let cols = columns(part, self.scene, self.all);
        let rank = |s: usize| ORDER.iter().position(|&o| o == s).unwrap_or(0);
        let i = cols
            .iter()
            .rposition(|c| rank(c.slot) <= rank(self.slot))
            .unwrap_or(0);
        (cols, i)
    }

    /// The table for the current part and scene.
    pub fn sheet(&self, ctx: &Ctx) -> Sheet {
        let mut s = Sheet {
            label_width: 10,
            cell_width: 9,
            ..Default::default()
        };
        let Some(part) = self.part(ctx) else {
            return s;
        };
        let (cols, ci) = self.cursor(part);
        let sc = self.scene;
        s.top.push(format!(
            "Bank {} part {} SCENE {} - crossfader A: scene {}  B: scene {} - {}",
            crate::format::bank_letter(ctx.nav.bank),
            ctx.nav.part + 1,
            sc + 1,
            part.scene_a as usize + 1,
            part.scene_b as usize + 1,
            if self.all {
                "all parameters"
            } else {
                "locked parameters"
            }
        ));
        s.columns = cols.iter().map(|c| c.header.clone()).collect();
        for t in 0..8 {
            let label = format!("T{} {}", t + 1, part.machine_type(t).name());
            s.rows
                .push((label, cols.iter().map(|c| cell(part, sc, t, c)).collect()));
        }
        let Some(col) = cols.get(ci) else {
            return s;
        };
        let t = self.track;
        s.bottom.push(detail(part, sc, t, col.slot));
        if !col.uniform && col.slot != audio_slot::XLV {
            let names: Vec<String> = (0..8)
                .map(|t| {
                    let n = param(part, t, col.slot).map_or("-", |p| p.name);
                    format!("T{} {n}", t + 1)
                })
                .collect();
            s.bottom
                .push(format!("{} = {}", col.header, names.join("  ")));
        }
        if !self.all && cols.len() == 1 && lock_count(part, sc) == 0 {
            s.bottom.push(
                "no locks in this scene: show all parameters to lock one, or lock by name".into(),
            );
        }
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

    /// The cursor's slot, metadata (raw unipolar for a lock on a slot without a parameter)
    /// and current lock; `Err` when the track cannot be locked there.
    fn target(&self, ctx: &Ctx) -> Result<(usize, ParamInfo, Option<u8>), Outcome> {
        let Some(part) = self.part(ctx) else {
            return Err(Outcome::Handled);
        };
        let (cols, ci) = self.cursor(part);
        let Some(col) = cols.get(ci) else {
            return Err(Outcome::Handled);
        };
        let (t, slot) = (self.track, col.slot);
        let lock = part.scene_lock(self.scene, t, slot);
        match (param(part, t, slot), lock) {
            (Some(i), _) => Ok((slot, i, lock)),
            (None, Some(_)) => Ok((
                slot,
                ParamInfo {
                    slot,
                    page: params::Page::Amp,
                    name: "?",
                    cc: None,
                    default: None,
                    display: ValueDisplay::Unipolar,
                },
                lock,
            )),
            (None, None) => Err(Outcome::Message(format!(
                "T{} ({}) has no parameter at {}",
                t + 1,
                part.machine_type(t).name(),
                col.header
            ))),
        }
    }

    /// Sets (or clears) the cursor cell's lock as one undo step.
    fn set(&self, ctx: &mut Ctx, slot: usize, info: &ParamInfo, v: Option<u8>) -> Outcome {
        let (sc, t) = (self.scene, self.track);
        let name = name_of(info);
        let label = format!("scene {} T{} {name}", sc + 1, t + 1);
        match self.edit(ctx, &label, |p| p.set_scene_lock(sc, t, slot, v)) {
            Outcome::Handled => Outcome::Message(match v {
                Some(v) => format!("{label} = {} (stored {v})", info.show(v)),
                None => format!("{label} cleared"),
            }),
            o => o,
        }
    }

    fn answer_edit(&self, ctx: &mut Ctx, text: &str) -> Outcome {
        let (slot, info, _) = match self.target(ctx) {
            Ok(x) => x,
            Err(o) => return o,
        };
        if text.trim().is_empty() {
            return self.set(ctx, slot, &info, None);
        }
        match crate::edit::value::Unit::Display(info.display).parse(&name_of(&info), text) {
            Ok(v) if v <= 127 => self.set(ctx, slot, &info, Some(v)),
            Ok(v) => Outcome::Error(format!("{}: {v} cannot be scene-locked", name_of(&info))),
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    fn step(&self, ctx: &mut Ctx, delta: i64) -> Outcome {
        let (slot, info, lock) = match self.target(ctx) {
            Ok(x) => x,
            Err(o) => return o,
        };
        // An unlocked cell starts from the part's value (XLV from full level).
        let base = lock.or_else(|| {
            if slot == audio_slot::XLV {
                Some(127)
            } else {
                self.part(ctx).and_then(|p| p.track_value(self.track, slot))
            }
        });
        let v = (base.unwrap_or(0) as i64 + delta).clamp(0, 127) as u8;
        self.set(ctx, slot, &info, Some(v))
    }

    fn lock_named(&self, ctx: &mut Ctx, text: &str) -> Outcome {
        let Some(part) = self.part(ctx) else {
            return Outcome::Handled;
        };
        let t = self.track;
        let words: Vec<&str> = text.split_whitespace().collect();
        // NAME VALUE or PAGE NAME VALUE; no value clears.
        let found = [2usize, 1].into_iter().find_map(|n| {
            let name = words.get(..n)?.join(" ");
            let slot = ORDER.into_iter().find(|&s| {
                param(part, t, s).is_some_and(|p| {
                    p.name.eq_ignore_ascii_case(&name) || p.label().eq_ignore_ascii_case(&name)
                })
            })?;
            Some((slot, n))
        });
        let Some((slot, n)) = found else {
            return Outcome::Error(format!(
                "{}: no such parameter on T{} ({}); type e.g. VOL -12 or FX1 BASE 40",
                words.first().unwrap_or(&""),
                t + 1,
                part.machine_type(t).name()
            ));
        };
        let Some(info) = param(part, t, slot) else {
            return Outcome::Handled;
        };
        let value = words[n..].join(" ");
        let v = if value.is_empty() {
            None
        } else {
            match crate::edit::value::Unit::Display(info.display).parse(&info.label(), &value) {
                Ok(v) => Some(v),
                Err(e) => return Outcome::Error(e.to_string()),
            }
        };
        self.set(ctx, slot, &info, v)
    }

    fn move_col(&mut self, ctx: &Ctx, d: i64) {
        if let Some(part) = self.part(ctx) {
            let (cols, ci) = self.cursor(part);
            let i = (ci as i64 + d).clamp(0, cols.len().saturating_sub(1) as i64) as usize;
            if let Some(c) = cols.get(i) {
                self.slot = c.slot;
            }
        }
    }

    fn paste(&self, ctx: &mut Ctx) -> Outcome {
        let Some(from) = self.clipboard else {
            return Outcome::Message("copy a scene first (c)".into());
        };
        // Through the app's copy: the summary (with any sample slots brought along from
        // another bank's part) is shown first, and the paste is one undo step.
        Outcome::Copy(CopyRequest {
            from,
            src: Side::Main,
            to: Target::Scene {
                bank: ctx.nav.bank,
                part: ctx.nav.part,
                scene: self.scene,
            },
            dst: Side::Main,
            opts: CopyOptions::default(),
        })
    }

    /// The list of the 16 scenes beside the grid.
    fn strip(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        let th = &ctx.theme;
        let mut lines = vec![Line::from(Span::styled(
            "SCENE  LOCKS",
            th.style("grid.column_header"),
        ))];
        let Some(part) = self.part(ctx) else {
            return lines;
        };
        for sc in 0..SCENES {
            let n = lock_count(part, sc);
            let a = if sc == part.scene_a as usize {
                'A'
            } else {
                ' '
            };
            let b = if sc == part.scene_b as usize {
                'B'
            } else {
                ' '
            };
            let count = if n == 0 { ".".into() } else { n.to_string() };
            let text = format!(
                "{}{:2} {a}{b} {count:>4}",
                if sc == self.scene { '>' } else { ' ' },
                sc + 1
            );
            let style = if sc == self.scene {
                th.style("grid.cursor_row")
            } else if n == 0 {
                th.style("cell.empty")
            } else {
                th.style("cell.lock")
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        lines
    }
}

/// `XLV` or `PAGE NAME` of a parameter.
fn name_of(info: &ParamInfo) -> String {
    if info.slot == audio_slot::XLV {
        "XLV".into()
    } else {
        info.label()
    }
}

/// One line about a cell: the track, the parameter, its scene lock and the part's value.
fn detail(part: &Part, scene: usize, t: usize, slot: usize) -> String {
    let m = part.machine_type(t);
    let lock = part.scene_lock(scene, t, slot);
    let Some(info) = param(part, t, slot) else {
        return format!(
            "T{} {}: no parameter here{}",
            t + 1,
            m.name(),
            lock.map_or(String::new(), |v| format!(" (stored lock {v})"))
        );
    };
    let locked = match lock {
        Some(v) => format!("locked {} (stored {v})", info.show(v)),
        None => "not locked".into(),
    };
    let fx = match info.page {
        params::Page::Fx1 => format!(" ({})", params::fx_name(part.fx1_type(t))),
        params::Page::Fx2 => format!(" ({})", params::fx_name(part.fx2_type(t))),
        _ => String::new(),
    };
    let base = if slot == audio_slot::XLV {
        String::new()
    } else {
        part.track_value(t, slot)
            .map_or(String::new(), |v| format!("; part value {}", info.show(v)))
    };
    format!(
        "T{} {} {}{fx}: {locked}{base}",
        t + 1,
        m.name(),
        name_of(&info)
    )
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
            "Scenes {}{} S{}",
            crate::format::bank_letter(ctx.nav.bank),
            ctx.nav.part + 1,
            self.scene + 1
        )
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [left, right] =
            Layout::horizontal([Constraint::Length(14), Constraint::Min(0)]).areas(area);
        frame.render_widget(Paragraph::new(self.strip(ctx)), left);
        let s = self.sheet(ctx);
        let ci = self.part(ctx).map_or(0, |p| self.cursor(p).1);
        self.pos.row = self.track;
        self.pos.col = ci;
        sheet::render(frame, right, ctx, &s, &mut self.pos);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let (sc, t) = (self.scene, self.track);
        match input {
            Input::Action(name) => match ScenesCmd::from_name(name) {
                None => return Outcome::Ignored,
                Some(ScenesCmd::PrevScene) => self.scene = sc.saturating_sub(1),
                Some(ScenesCmd::NextScene) => self.scene = (sc + 1).min(SCENES - 1),
                Some(ScenesCmd::All) => self.all = !self.all,
                Some(ScenesCmd::Edit) => {
                    let (_, info, lock) = match self.target(ctx) {
                        Ok(x) => x,
                        Err(o) => return o,
                    };
                    return Outcome::Prompt {
                        title: format!(
                            "Scene {} T{} {} ({}): {}; empty clears",
                            sc + 1,
                            t + 1,
                            name_of(&info),
                            lock.map_or("not locked".into(), |v| format!(
                                "locked {}",
                                info.show(v)
                            )),
                            crate::edit::value::Unit::Display(info.display).range_text()
                        ),
                        tag: "scenes.edit",
                        initial: lock.map_or_else(String::new, |v| info.show(v)),
                    };
                }
                Some(ScenesCmd::Inc) => return self.step(ctx, 1),
                Some(ScenesCmd::Dec) => return self.step(ctx, -1),
                Some(ScenesCmd::Clear) => {
                    return match self.target(ctx) {
                        Ok((slot, info, Some(_))) => self.set(ctx, slot, &info, None),
                        Ok(_) => Outcome::Handled,
                        Err(o) => o,
                    };
                }
                Some(ScenesCmd::ClearTrack) => {
                    let label = format!("clear scene {} T{}", sc + 1, t + 1);
                    return self.edit(ctx, &label, |p| {
                        (0..32).try_for_each(|i| p.set_scene_lock(sc, t, i, None))
                    });
                }
                Some(ScenesCmd::ClearScene) => {
                    let label = format!("clear scene {}", sc + 1);
                    return self.edit(ctx, &label, |p| {
                        p.scenes[sc] = LockRecords::default();
                        Ok(())
                    });
                }
                Some(ScenesCmd::Copy) => {
                    if self.part(ctx).is_none() {
                        return Outcome::Handled;
                    }
                    self.clipboard = Some(Target::Scene {
                        bank: ctx.nav.bank,
                        part: ctx.nav.part,
                        scene: sc,
                    });
                    return Outcome::Message(format!("scene {} copied", sc + 1));
                }
                Some(ScenesCmd::Paste) => return self.paste(ctx),
                Some(ScenesCmd::LockNamed) => {
                    return Outcome::Prompt {
                        title: format!(
                            "Scene {} T{}: parameter and value, e.g. VOL -12 (no value clears)",
                            sc + 1,
                            t + 1
                        ),
                        tag: "scenes.lock_named",
                        initial: String::new(),
                    };
                }
            },
            Input::Nav(nav) => match nav {
                NavCmd::Left => self.move_col(ctx, -1),
                NavCmd::Right => self.move_col(ctx, 1),
                NavCmd::PageUp => self.scene = sc.saturating_sub(1),
                NavCmd::PageDown => self.scene = (sc + 1).min(SCENES - 1),
                NavCmd::Up | NavCmd::Down | NavCmd::Top | NavCmd::Bottom => {
                    let (d, _) = nav.delta(8, 8);
                    self.track = (t as i64 + d).clamp(0, 7) as usize;
                }
            },
            Input::Answer("scenes.edit", text) => return self.answer_edit(ctx, &text),
            Input::Answer("scenes.lock_named", text) => return self.lock_named(ctx, &text),
            Input::Scroll(d) => self.track = (t as i64 + d as i64).clamp(0, 7) as usize,
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            ScenesCmd::NextScene.name(),
            ScenesCmd::Edit.name(),
            ScenesCmd::All.name(),
            ScenesCmd::Copy.name(),
            ScenesCmd::Paste.name(),
        ]
    }
}
