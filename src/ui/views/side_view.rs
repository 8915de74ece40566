//! The side-by-side view: the open project (left) and another project opened beside it (right),
//! each as banks x patterns with its own cursor. Tab moves the focus; the copy actions copy the
//! pattern, its part or its bank under the focused cursor onto the cursor of the other pane,
//! after the app has shown the plan (slots brought along, files copied). Undo and redo act on
//! the focused pane's project.

use crate::format::bank::PATTERNS;
use crate::format::bank_letter;
use crate::project::copy::{CopyOptions, Target};
use crate::project::{OpenOptions, Project};
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::model::Document;
use crate::ui::overview::bank_sheet;
use crate::ui::sheet::{self, Pos};
use crate::ui::view::{CopyRequest, Ctx, Outcome, Side, View, ViewInfo};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

/// The view id (and keymap context).
pub const ID: &str = "side";

crate::ui::command::commands! {
    /// A command of the side-by-side view.
    pub enum SideCmd {
        Focus { "side.focus", "Focus the other pane", ["tab"]; }
        Copy { "side.copy", "Copy this pattern onto the other pane's cursor", ["c"]; }
        CopyPart { "side.copy_part", "Copy this pattern's part onto the part of the other pane's pattern", ["a"]; }
        CopyTrack { "side.copy_track", "Copy one track of this pattern onto the same track of the other pane's pattern", ["t"]; }
        CopyScene { "side.copy_scene", "Copy a scene of this pattern's part onto a scene of the other pane's part", ["s"]; }
        CopyBank { "side.copy_bank", "Copy this whole bank onto the other pane's bank", ["b"]; }
        CopySlots { "side.copy_slots", "Copy sample slots (F1, S3, F1-F8) onto slots of the other project, with file and markers", ["l"]; }
        WithPart { "side.with_part", "Toggle: pattern copies bring their part along", ["p"]; }
        Open { "side.open", "Open the left pane's pattern in the grid", ["enter"]; }
        Close { "side.close", "Close the other project (refused with unsaved changes)", ["x"]; }
    }
}

/// Every action of the view (the table of [`SideCmd`]).
const ACTIONS: &[ActionDef] = SideCmd::ACTIONS;

const INFO: ViewInfo = ViewInfo {
    id: ID,
    switch: act(
        "view.side",
        "Show the project and the other one side by side",
        &["shift+F8"],
    ),
};

/// Opens a project beside the current one (read-only when the current one is); returns the
/// message to show. Refuses to replace another project with unsaved changes, and the
/// current project itself.
pub fn open_other(ctx: &mut Ctx, path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Err("no path given: nothing opened".into());
    }
    if let Some(o) = &ctx.other
        && o.is_dirty()
        && !o.read_only()
    {
        return Err(format!(
            "{} has unsaved changes: save them before opening another project",
            o.name()
        ));
    }
    let read_only = ctx.doc.read_only();
    let mut project = Project::open(
        std::path::Path::new(path),
        &OpenOptions {
            project: None,
            read_only,
        },
    )
    .map_err(|e| e.to_string())?;
    if read_only {
        project.set_read_only(true);
    }
    let same = match (project.path(), ctx.doc.project.path()) {
        (Some(a), Some(b)) => {
            matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    };
    if same {
        return Err(format!(
            "{path} is the project already open: the overview (F8) copies within it"
        ));
    }
    let warnings = project.warnings().len();
    let doc = Document::new(project);
    let msg = format!(
        "opened {} beside {}{}",
        doc.name(),
        ctx.doc.name(),
        if warnings > 0 {
            format!(" ({warnings} warning(s))")
        } else {
            String::new()
        }
    );
    ctx.other = Some(doc);
    Ok(msg)
}

/// The side-by-side view.
#[derive(Debug)]
pub struct SideView {
    /// Cursor of the left (main) and right (other) pane.
    pos: [Pos; 2],
    focus: Side,
    with_part: bool,
}

impl Default for SideView {
    fn default() -> Self {
        Self::new()
    }
}

fn index(side: Side) -> usize {
    match side {
        Side::Main => 0,
        Side::Other => 1,
    }
}

fn flip(side: Side) -> Side {
    match side {
        Side::Main => Side::Other,
        Side::Other => Side::Main,
    }
}

impl SideView {
    /// Both cursors on A01, focus on the left pane, pattern copies with their part.
    pub fn new() -> Self {
        Self {
            pos: [Pos::default(); 2],
            focus: Side::Main,
            with_part: true,
        }
    }

    /// The pane with the focus (the left one while no other project is open).
    fn focused(&self, ctx: &Ctx) -> Side {
        if ctx.other.is_some() {
            self.focus
        } else {
            Side::Main
        }
    }

    /// Plans the slot copy named in `text` and asks for a confirmation showing the plan.
    fn preview_slots(&self, ctx: &Ctx, text: &str) -> Outcome {
        match self.plan_slots(ctx, text) {
            Ok(plan) => Outcome::Prompt {
                title: format!(
                    "Enter copies, Esc cancels: {}",
                    plan.summary()[1..]
                        .iter()
                        .map(|l| l.trim())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                tag: "side.slots_confirm",
                initial: text.trim().to_string(),
            },
            Err(e) => Outcome::Error(e),
        }
    }

    /// The plan of the slot copy `text` (`FROM [ONTO]`) from the focused pane onto the other.
    fn plan_slots(
        &self,
        ctx: &Ctx,
        text: &str,
    ) -> Result<crate::project::slot_copy::SlotCopyPlan, String> {
        use crate::project::slot_copy;
        let src = self.focused(ctx);
        let dst = flip(src);
        let words: Vec<&str> = text.split_whitespace().collect();
        let (from, to) = match words[..] {
            [a] => (a, a),
            [a, b] => (a, b),
            _ => {
                return Err(format!(
                    "expected FROM [ONTO], e.g. F1-F8 F9, got `{}`",
                    text.trim()
                ));
            }
        };
        let from = slot_copy::parse_slots(from)?;
        let to = slot_copy::parse_slots(to)?;
        let (Some(s), Some(d)) = (ctx.doc_of(src), ctx.doc_of(dst)) else {
            return Err("open another project first (app.open_other, ctrl+o)".into());
        };
        if d.read_only() {
            return Err(format!("{} is read-only: no slot copied", d.name()));
        }
        slot_copy::plan(&s.project, &from, Some(&d.project), &to).map_err(|e| e.to_string())
    }

    /// Copies the slots named in `text` (`FROM [ONTO]`) from the focused pane's project onto
    /// the other's: sample files first, then the slot blocks and markers as one undo step.
    fn copy_slots(&self, ctx: &mut Ctx, text: &str) -> Outcome {
        use crate::project::slot_copy;
        let dst = flip(self.focused(ctx));
        let plan = match self.plan_slots(ctx, text) {
            Ok(p) => p,
            Err(e) => return Outcome::Error(e),
        };
        let (s, d) = match (ctx.doc_of(flip(dst)), ctx.doc_of(dst)) {
            (Some(s), Some(d)) => (s.name().to_string(), d.name().to_string()),
            _ => return Outcome::Error("the other project was closed; nothing changed".into()),
        };
        let label = format!("copy {} slot(s) of {s} onto {d}", plan.moves.len());
        let files = match slot_copy::copy_files(&plan) {
            Ok(f) => f.len(),
            Err(e) => return Outcome::Error(format!("{label}: {e}; nothing changed")),
        };
        let Some(doc) = ctx.doc_of_mut(dst) else {
            return Outcome::Error("the other project was closed; nothing changed".into());
        };
        let first = plan.summary().get(1).cloned().unwrap_or_default();
        let out = crate::ui::edits::edit_doc(doc, &label, &[], |p| {
            slot_copy::apply(&plan, p).map_err(|e| e.to_string())?;
            Ok(String::new())
        });
        match out {
            Outcome::Message(_) => Outcome::Message(format!(
                "{label}: {}{}, {files} file(s) copied (undo with ctrl+z)",
                first.trim(),
                if plan.moves.len() > 1 { ", ..." } else { "" }
            )),
            o => o,
        }
    }

    /// What the copy action `a` copies from the focused cursor and onto the other cursor
    /// (`track`: the track `side.copy_track` was answered with, e.g. `T3` or `M2`).
    fn request(&self, ctx: &Ctx, a: SideCmd, track: &str) -> Result<CopyRequest, String> {
        if ctx.other.is_none() {
            return Err("open another project first (app.open_other, ctrl+o)".into());
        }
        let src = self.focus;
        let dst = flip(src);
        let (s, d) = (self.pos[index(src)], self.pos[index(dst)]);
        let part_at = |side: Side, p: Pos| -> Result<usize, String> {
            ctx.doc_of(side)
                .and_then(|doc| doc.info(p.row, p.col))
                .map(|i| i.part as usize & 3)
                .ok_or_else(|| format!("bank {} is not loaded", bank_letter(p.row)))
        };
        let (from, to) = match a {
            SideCmd::Copy => (
                Target::Pattern {
                    bank: s.row,
                    pattern: s.col,
                },
                Target::Pattern {
                    bank: d.row,
                    pattern: d.col,
                },
            ),
            SideCmd::CopyPart => (
                Target::Part {
                    bank: s.row,
                    part: part_at(src, s)?,
                },
                Target::Part {
                    bank: d.row,
                    part: part_at(dst, d)?,
                },
            ),
            SideCmd::CopyScene => {
                let bad = || {
                    format!(
                        "expected two scene numbers 1-16 (from, onto), e.g. `2 5`, got `{}`",
                        track.trim()
                    )
                };
                let n: Vec<usize> = track
                    .split_whitespace()
                    .map(|x| x.parse::<usize>().ok().filter(|n| (1..=16).contains(n)))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(bad)?;
                let [a, b] = n[..] else {
                    return Err(bad());
                };
                (
                    Target::Scene {
                        bank: s.row,
                        part: part_at(src, s)?,
                        scene: a - 1,
                    },
                    Target::Scene {
                        bank: d.row,
                        part: part_at(dst, d)?,
                        scene: b - 1,
                    },
                )
            }
            SideCmd::CopyTrack => {
                let at = |p: Pos| -> Result<Target, String> {
                    let spec = format!("{}{:02}.{}", bank_letter(p.row), p.col + 1, track.trim());
                    match spec.parse::<Target>() {
                        Ok(t @ Target::Track { .. }) => Ok(t),
                        _ => Err(format!("no track `{}` (T1-T8, M1-M8)", track.trim())),
                    }
                };
                (at(s)?, at(d)?)
            }
            _ => (Target::Bank { bank: s.row }, Target::Bank { bank: d.row }),
        };
        Ok(CopyRequest {
            from,
            src,
            to,
            dst,
            opts: CopyOptions {
                with_part: self.with_part,
                trigs: true,
                ..Default::default()
            },
        })
    }

    fn render_pane(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx, side: Side) {
        let th = &ctx.theme;
        let focused = self.focused(ctx) == side;
        let Some(doc) = ctx.doc_of(side) else {
            let text = vec![
                Line::from("No other project is open."),
                Line::from(""),
                Line::from("app.open_other (ctrl+o) opens one beside this one:"),
                Line::from("a project folder, a project of a set, or a zip."),
            ];
            frame.render_widget(
                Paragraph::new(text)
                    .style(th.style("grid.dimmed"))
                    .block(Block::default().borders(Borders::ALL).title(" other ")),
                area,
            );
            return;
        };
        let mut s = bank_sheet(doc, true);
        let pos = self.pos[index(side)];
        let at = format!("{}{:02}", bank_letter(pos.row), pos.col + 1);
        s.bottom.push(match doc.info(pos.row, pos.col) {
            Some(i) => format!("{at}: part {}, {} steps, {}", i.part + 1, i.length, i.tempo),
            None => format!("{at}: bank not loaded"),
        });
        if focused && ctx.other.is_some() {
            s.bottom.push(format!(
                "copies go onto the other pane's cursor; part {}",
                if self.with_part { "along" } else { "stays" }
            ));
        }
        let title = format!(
            " {}{}{} ",
            if focused { "> " } else { "" },
            doc.name(),
            if doc.is_dirty() { " *" } else { "" }
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title)
            .title_style(th.style(if focused { "header.title" } else { "header" }));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let p = &mut self.pos[index(side)];
        p.clamp(16, PATTERNS);
        sheet::render(frame, inner, ctx, &s, p);
    }
}

impl View for SideView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, ctx: &Ctx) -> String {
        match &ctx.other {
            Some(o) => format!("Side by side: {} | {}", ctx.doc.name(), o.name()),
            None => "Side by side (no other project)".into(),
        }
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        self.render_pane(frame, left, ctx, Side::Main);
        self.render_pane(frame, right, ctx, Side::Other);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let a = match input {
            Input::Action(name) => match SideCmd::from_name(name) {
                Some(a) => a,
                None => return Outcome::Ignored,
            },
            Input::Answer("side.track", text) => {
                return match self.request(ctx, SideCmd::CopyTrack, &text) {
                    Ok(r) => Outcome::Copy(r),
                    Err(e) => Outcome::Error(e),
                };
            }
            Input::Answer("side.slots", text) => return self.preview_slots(ctx, &text),
            Input::Nav(nav) => {
                let i = index(self.focused(ctx));
                self.pos[i].nav(nav, 16, PATTERNS, 4);
                return Outcome::Handled;
            }
            Input::Answer("side.slots_confirm", text) => return self.copy_slots(ctx, &text),
            Input::Answer("side.scene", text) => {
                return match self.request(ctx, SideCmd::CopyScene, &text) {
                    Ok(r) => Outcome::Copy(r),
                    Err(e) => Outcome::Error(e),
                };
            }
            _ => return Outcome::Ignored,
        };
        match a {
            SideCmd::Focus => {
                if ctx.other.is_none() {
                    return Outcome::Message("no other project: app.open_other opens one".into());
                }
                self.focus = flip(self.focus);
            }
            SideCmd::WithPart => {
                self.with_part = !self.with_part;
                return Outcome::Message(format!(
                    "pattern copies {} their part",
                    if self.with_part { "bring" } else { "leave" }
                ));
            }
            SideCmd::CopyTrack if ctx.other.is_some() => {
                return Outcome::Prompt {
                    title: format!(
                        "Track to copy onto the same track of the other pane's pattern (T1-T8, M1-M8; part settings {})",
                        if self.with_part { "too" } else { "stay" }
                    ),
                    tag: "side.track",
                    initial: String::new(),
                };
            }
            SideCmd::CopySlots if ctx.other.is_some() => {
                return Outcome::Prompt {
                    title: "Slots: FROM (this project) [ONTO (the other), default the same], e.g. F1, F1-F8, S3 S5, F1-F4 F010".into(),
                    tag: "side.slots",
                    initial: String::new(),
                };
            }
            SideCmd::CopyScene if ctx.other.is_some() => {
                return Outcome::Prompt {
                    title: "Scenes: FROM (this pattern's part) ONTO (the other pane's pattern's part), e.g. 2 5".into(),
                    tag: "side.scene",
                    initial: String::new(),
                };
            }
            SideCmd::Copy
            | SideCmd::CopyPart
            | SideCmd::CopyBank
            | SideCmd::CopyTrack
            | SideCmd::CopyScene
            | SideCmd::CopySlots => {
                return match self.request(ctx, a, "") {
                    Ok(r) => Outcome::Copy(r),
                    Err(e) => Outcome::Error(e),
                };
            }
            SideCmd::Open => {
                if self.focused(ctx) == Side::Other {
                    return Outcome::Message(
                        "the grid edits the left project; copy the pattern over first".into(),
                    );
                }
                let p = self.pos[0];
                ctx.nav.bank = p.row;
                ctx.nav.pattern = p.col;
                if let Some(info) = ctx.doc.info(p.row, p.col) {
                    ctx.nav.part = info.part as usize & 3;
                }
                return Outcome::Switch("pattern");
            }
            SideCmd::Close => {
                let Some(o) = &ctx.other else {
                    return Outcome::Message("no other project is open".into());
                };
                if o.is_dirty() && !o.read_only() {
                    return Outcome::Error(format!(
                        "{} has unsaved changes: save (ctrl+s) before closing it",
                        o.name()
                    ));
                }
                let name = o.name().to_string();
                ctx.other = None;
                self.focus = Side::Main;
                return Outcome::Message(format!("closed {name}"));
            }
        }
        Outcome::Handled
    }
    fn hints(&self, ctx: &Ctx) -> Vec<&'static str> {
        if ctx.other.is_some() {
            vec![
                SideCmd::Focus.name(),
                SideCmd::Copy.name(),
                SideCmd::CopyBank.name(),
                SideCmd::WithPart.name(),
            ]
        } else {
            vec![crate::ui::action::GlobalCmd::OpenOther.name()]
        }
    }
    fn focused_side(&self, ctx: &Ctx) -> Side {
        self.focused(ctx)
    }
}
