//! The sample slots view: the Flex and Static slots and the recorder buffers with path, whether
//! the file exists, gain, loop and time-stretch settings and where each slot is used. Assign a
//! file from the set's AUDIO folder (project.work block + markers trim end), change settings,
//! merge duplicates and remove unused slots; every change is undoable.

use crate::audio::{PreviewRequest, Region, RegionChoice};
use crate::format::project_file::SlotAttr;
use crate::format::slot_attrs::{LoopMode, SlotRef, TimeStretch, gain_db};
use crate::project::slots::{self, SlotInfo};
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::edits;
use crate::ui::sheet::{self, Pos, Sheet};
use crate::ui::view::{Ctx, Outcome, View, ViewInfo};
use ratatui::Frame;
use ratatui::layout::Rect;

crate::ui::command::commands! {
    /// A command of the sample slots view.
    pub enum SlotsCmd {
        GainUp { "slots.gain_up", "Gain +0.5 dB", ["+", "="]; }
        GainDown { "slots.gain_down", "Gain -0.5 dB", ["-"]; }
        Loop { "slots.loop", "Next loop mode (off, normal, ping-pong)", ["l"]; }
        Stretch { "slots.stretch", "Next time-stretch mode (off, normal, beat)", ["t"]; }
        Assign { "slots.assign", "Assign a file from the AUDIO or project folder to this slot", ["a"]; }
        Dedupe { "slots.dedupe", "Merge duplicate slots, remapping every reference", ["D"]; }
        RemoveUnused { "slots.remove_unused", "Remove slots nothing plays", ["U"]; }
        Preview { "slots.preview", "Preview the slot's sample (its trim, or the selected slice)", ["space"]; }
        Auto { "slots.auto", "Auto-preview on every cursor move (on / off)", ["A"]; }
        Slice { "slots.slice", "Select the next slice to preview (after the last: none)", ["s"]; }
        Stop { "slots.stop", "Stop the preview", ["esc"]; }
        Pick { "slots.pick", "Pick a file for this slot in the sample browser (enter there assigns it)", ["b"]; }
        MergeYes { "slots.merge.yes", "Merge the duplicate slots as planned", ["y", "enter"]; }
        MergeNo { "slots.merge.no", "Cancel the merge (so does any other key)", ["n"]; }
    }
}

/// Every action of the view (the table of [`SlotsCmd`]).
const ACTIONS: &[ActionDef] = SlotsCmd::ACTIONS;

/// Every slot shown: all 128 Flex, 8 recorder buffers, 128 Static, with what the project has.
fn all_slots(ctx: &Ctx) -> Vec<(SlotRef, Option<SlotInfo>)> {
    let known = slots::list(&ctx.doc.project).unwrap_or_default();
    let pools = (1..=128)
        .map(SlotRef::Flex)
        .chain((1..=8).map(SlotRef::Recorder))
        .chain((1..=128).map(SlotRef::Static));
    pools
        .map(|s| (s, known.iter().find(|k| k.slot == s).cloned()))
        .collect()
}

/// The slots view.
#[derive(Debug, Default)]
pub struct SlotsView {
    pos: Pos,
    /// Preview on every cursor move.
    auto: bool,
    /// Slice (1-based) previewed instead of the trim.
    slice: Option<usize>,
    /// A merge of duplicate slots shown and waiting for y / n.
    merge: Option<slots::DedupePlan>,
}

impl SlotsView {
    /// A view on Flex slot 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// The table.
    pub fn sheet(&self, ctx: &Ctx) -> Sheet {
        let mut s = Sheet {
            label_width: 12,
            cell_width: 9,
            ..Default::default()
        };
        s.top.push(format!("{}: sample slots", ctx.doc.name()));
        s.columns = ["FILE", "GAIN", "LOOP", "STRETCH", "USES", "PATH"]
            .map(String::from)
            .to_vec();
        let slots = all_slots(ctx);
        for (slot, info) in &slots {
            let cells = match info.as_ref() {
                None => vec![".".into(); 6],
                Some(i) => {
                    let b = i.block.as_ref();
                    vec![
                        match i.exists {
                            _ if i.outside => "outside".into(),
                            None => "empty".into(),
                            Some(true) => "ok".into(),
                            Some(false) => "MISSING".into(),
                        },
                        b.and_then(|b| b.gain)
                            .map_or(String::new(), |g| format!("{:+.1}dB", gain_db(g))),
                        b.and_then(|b| b.loop_mode)
                            .map_or(String::new(), crate::format::setup::slot_loop_name),
                        b.and_then(|b| b.time_stretch)
                            .map_or(String::new(), crate::format::setup::slot_tstr_name),
                        format!("{}", i.uses.iter().filter(|u| u.is_active()).count()),
                        i.path().rsplit('/').next().unwrap_or("").to_string(),
                    ]
                }
            };
            s.rows.push((slot.to_string(), cells));
        }
        if let Some((slot, Some(i))) = slots.get(self.pos.row) {
            // The whole path, in pieces that fit the screen (long paths wrap).
            for (k, piece) in wrap_path(i.path(), 100).into_iter().enumerate() {
                s.bottom.push(if k == 0 {
                    format!("{slot}: {piece}")
                } else {
                    format!("      {piece}")
                });
            }
            let uses: Vec<String> = i.uses.iter().take(6).map(|u| u.to_string()).collect();
            s.bottom.push(format!(
                "used by: {}{}",
                if uses.is_empty() {
                    "nothing".into()
                } else {
                    uses.join("; ")
                },
                if i.uses.len() > 6 {
                    format!("; +{} more", i.uses.len() - 6)
                } else {
                    String::new()
                }
            ));
        }
        s
    }

    /// Previews the slot under the cursor: its trim from markers.work, or the selected slice.
    fn preview(&self, ctx: &Ctx) -> Outcome {
        let slot = self.slot();
        let Some(block) = ctx.doc.project.project_file().slot(slot) else {
            return Outcome::Message(format!("{slot} has no sample"));
        };
        if ctx.doc.project.sample_outside(&block.path) {
            return Outcome::Error(format!(
                "{slot}: PATH {} leads outside the project and AUDIO folders; not read",
                block.path
            ));
        }
        let Some(path) = ctx.doc.project.sample_path(&block.path) else {
            return Outcome::Message(format!("{slot}: the sample is not on disk"));
        };
        let choice = self.slice.map_or(RegionChoice::Trim, RegionChoice::Slice);
        let region = ctx
            .doc
            .project
            .markers()
            .slot(slot)
            .map_err(|e| e.to_string())
            .and_then(|m| Region::from_markers(&m, choice));
        let region = match region {
            Ok(r) => r,
            Err(e) => return Outcome::Error(format!("{slot}: {e}")),
        };
        match ctx
            .engines
            .preview(PreviewRequest::new(path).region(region))
        {
            Ok(m) => Outcome::Message(format!("{slot}: {m}")),
            Err(e) => Outcome::Error(e),
        }
    }

    /// After a cursor move: a new slot has no selected slice; preview when auto-preview is on.
    fn moved(&mut self, before: usize, ctx: &Ctx) -> Outcome {
        if self.pos.row == before {
            return Outcome::Handled;
        }
        self.slice = None;
        if self.auto {
            return self.preview(ctx);
        }
        Outcome::Handled
    }

    fn slot(&self) -> SlotRef {
        match self.pos.row {
            r @ 0..=127 => SlotRef::Flex(r as u16 + 1),
            r @ 128..=135 => SlotRef::Recorder(r as u16 - 127),
            r => SlotRef::Static((r.min(263) - 135) as u16),
        }
    }

    fn attr(
        &self,
        ctx: &mut Ctx,
        f: impl FnOnce(&crate::format::project_file::SampleSlot) -> Option<SlotAttr>,
    ) -> Outcome {
        let slot = self.slot();
        let Some(block) = ctx.doc.project.project_file().slot(slot) else {
            return Outcome::Message(format!("{slot} has no sample; assign one first (a)"));
        };
        let Some(attr) = f(&block) else {
            return Outcome::Handled;
        };
        edits::edit_project_file(ctx, &format!("{slot} settings"), |pf| {
            pf.set_slot_attr(slot, attr)
        })
    }

    /// Plans the merge of duplicate slots and shows it (applied on y / enter).
    fn plan_merge(&mut self, ctx: &Ctx) -> Outcome {
        if ctx.doc.read_only() {
            return Outcome::Error(format!("{} is read-only: nothing merged", ctx.doc.name()));
        }
        match slots::dedupe_plan(&ctx.doc.project) {
            Ok(plan) if plan.merged.is_empty() => {
                Outcome::Message("no duplicate slots: nothing to merge".into())
            }
            Ok(plan) => {
                self.merge = Some(plan);
                Outcome::Handled
            }
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    /// Applies the shown merge as one undo step over project.work, markers and only the banks
    /// whose references move.
    fn apply_merge(&mut self, ctx: &mut Ctx) -> Outcome {
        let Some(plan) = self.merge.take() else {
            return Outcome::Handled;
        };
        edits::edit_doc(&mut ctx.doc, "merge duplicate slots", &plan.banks, |p| {
            let r = slots::dedupe(p).map_err(|e| e.to_string())?;
            Ok(format!(
                "{} duplicates merged, {} references remapped",
                r.merged.len(),
                r.remapped.part_slots + r.remapped.locks
            ))
        })
    }

    /// Draws the planned merge over the table.
    fn render_merge(&self, frame: &mut Frame, area: Rect, ctx: &Ctx, plan: &slots::DedupePlan) {
        use ratatui::widgets::{Block, Borders, Clear, Paragraph};
        let mut lines = plan.lines();
        let room = area.height.saturating_sub(2) as usize;
        if lines.len() > room && room > 0 {
            let more = lines.len() - (room - 1);
            lines.truncate(room - 1);
            lines.push(format!("  ... {more} more line(s)"));
        }
        let width = lines
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .max(50) as u16
            + 2;
        let popup = Rect {
            x: area.x + 1,
            y: area.y + 1,
            width: width.min(area.width.saturating_sub(2)),
            height: (lines.len() as u16 + 2).min(area.height.saturating_sub(1)),
        };
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines.join("\n"))
                .style(ctx.theme.style("help"))
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(" Merge duplicate slots? y/enter: merge, any other key: cancel "),
                ),
            popup,
        );
    }

    fn assign(&self, ctx: &mut Ctx, rel: &str) -> Outcome {
        let slot = self.slot();
        edits::edit_project(ctx, &format!("assign {slot}"), |p| {
            let info = slots::assign_file(p, slot, rel).map_err(|e| e.to_string())?;
            Ok(format!(
                "{slot}: {} ({} frames{})",
                slots::slot_path(rel),
                info.frames,
                if info.truncated {
                    "; the file is cut short, only these are there"
                } else {
                    ""
                }
            ))
        })
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "slots",
    switch: act("view.slots", "Show the sample slots", &["F5"]),
};

impl View for SlotsView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, _ctx: &Ctx) -> String {
        "Slots".into()
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = self.sheet(ctx);
        self.pos.clamp(s.rows.len(), 6);
        sheet::render(frame, area, ctx, &s, &mut self.pos);
        if let Some(plan) = &self.merge {
            self.render_merge(frame, area, ctx, plan);
        }
    }
    fn key_contexts(&self, _ctx: &Ctx) -> Vec<&'static str> {
        if self.merge.is_some() {
            vec!["slots.merge"]
        } else {
            vec!["slots"]
        }
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let n = 264;
        let before = self.pos.row;
        if self.merge.is_some() {
            return match input {
                Input::Action(name) if SlotsCmd::from_name(name) == Some(SlotsCmd::MergeYes) => {
                    self.apply_merge(ctx)
                }
                _ => {
                    self.merge = None;
                    Outcome::Message("merge cancelled: nothing changed".into())
                }
            };
        }
        match input {
            Input::Nav(nav) => {
                self.pos.nav(nav, n, 6, 16);
                return self.moved(before, ctx);
            }
            Input::Action(name) => match SlotsCmd::from_name(name) {
                // The merge answers act only while a merge plan shows (above).
                None | Some(SlotsCmd::MergeYes | SlotsCmd::MergeNo) => return Outcome::Ignored,
                Some(SlotsCmd::Preview) => return self.preview(ctx),
                Some(SlotsCmd::Stop) => ctx.engines.stop_preview(),
                Some(SlotsCmd::Auto) => {
                    self.auto = !self.auto;
                    return Outcome::Message(format!(
                        "auto-preview {}",
                        if self.auto { "on" } else { "off" }
                    ));
                }
                Some(SlotsCmd::Slice) => {
                    let count = ctx
                        .doc
                        .project
                        .markers()
                        .slot(self.slot())
                        .map_or(0, |m| m.slices.len());
                    self.slice = match self.slice {
                        None if count > 0 => Some(1),
                        Some(k) if k < count => Some(k + 1),
                        _ => None,
                    };
                    return Outcome::Message(match self.slice {
                        Some(k) => format!("{}: slice {k} of {count}", self.slot()),
                        None => format!("{}: trim (no slice selected)", self.slot()),
                    });
                }
                Some(a @ (SlotsCmd::GainUp | SlotsCmd::GainDown)) => {
                    let d = if a == SlotsCmd::GainUp { 1 } else { -1 };
                    return self.attr(ctx, |b| {
                        Some(SlotAttr::Gain((b.gain.unwrap_or(48) + d).clamp(0, 96)))
                    });
                }
                Some(SlotsCmd::Loop) => {
                    return self.attr(ctx, |b| {
                        let next = (b.loop_mode.map_or(0, |l| l.code()) + 1) % 3;
                        Some(SlotAttr::LoopMode(LoopMode::from_code(next)))
                    });
                }
                Some(SlotsCmd::Stretch) => {
                    return self.attr(ctx, |b| {
                        let next = match b.time_stretch.map_or(0, |t| t.code()) {
                            0 => 2,
                            2 => 3,
                            _ => 0,
                        };
                        Some(SlotAttr::TimeStretch(TimeStretch::from_code(next)))
                    });
                }
                Some(SlotsCmd::Assign) => {
                    return Outcome::Prompt {
                        title: format!(
                            "{}: WAV or AIFF file in the set's AUDIO folder (./name for one in the project folder)",
                            self.slot()
                        ),
                        tag: "slots.assign",
                        initial: String::new(),
                    };
                }
                Some(SlotsCmd::Dedupe) => return self.plan_merge(ctx),
                Some(SlotsCmd::Pick) => {
                    ctx.pick_slot = Some(self.slot());
                    return Outcome::Switch("samples");
                }
                Some(SlotsCmd::RemoveUnused) => {
                    return edits::edit_project(ctx, "remove unused slots", |p| {
                        let r = slots::remove_unused(p).map_err(|e| e.to_string())?;
                        Ok(format!("{} unused slots removed", r.len()))
                    });
                }
            },
            Input::Answer("slots.assign", text) => return self.assign(ctx, &text),
            Input::Answer("slots.picked", text) => return self.assign(ctx, &text),
            Input::Scroll(d) => {
                self.pos.step(d as i64, 0, n, 6);
                return self.moved(before, ctx);
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            SlotsCmd::Preview.name(),
            SlotsCmd::Assign.name(),
            SlotsCmd::GainUp.name(),
            SlotsCmd::Dedupe.name(),
        ]
    }
}

/// Splits a path into pieces of at most `width` characters, preferring to break after a `/`.
pub fn wrap_path(path: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    let mut rest: Vec<char> = path.chars().collect();
    while rest.len() > width {
        let cut = rest[..width]
            .iter()
            .rposition(|c| *c == '/')
            .map_or(width, |i| i + 1);
        out.push(rest[..cut].iter().collect());
        rest.drain(..cut);
    }
    out.push(rest.into_iter().collect());
    out
}
