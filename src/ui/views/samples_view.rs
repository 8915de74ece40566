//! The sample browser: audio files in the project folder, the set's AUDIO folder and any folder
//! the user opens, with their format facts and what the device cannot play; preview (Space, or
//! on every cursor move with auto-preview), a waveform with the trim, loop and slice markers of
//! the sample's `.ot` file, and slice editing written to that `.ot` file (and, for a file a slot
//! uses, to the slot's markers, undoably).

use crate::audio::peaks::{PeakState, snap_to_zero_crossing};
use crate::audio::{AudioFileInfo, AudioFormat, PreviewRequest, Region, device_compatibility};
use crate::format::ot::SampleSettings;
use crate::format::slot_attrs::SlotRef;
use crate::project::sidecar::path_for as ot_path_for;
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::command::NavCmd;
use crate::ui::edits;
use crate::ui::view::{Ctx, Outcome, View, ViewInfo};
use crate::ui::widgets::slice_edit::SliceEditor;
use crate::ui::widgets::waveform::{Marker, MarkerKind, Waveform, slot_markers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::path::{Path, PathBuf};

use super::convert_job::ConvertJob;

crate::ui::command::commands! {
    /// A command of the sample browser.
    pub enum SamplesCmd {
        Preview { "samples.preview", "Preview the file (the selected slice when there is one)", ["space"]; }
        Stop { "samples.stop", "Stop the preview", ["esc"]; }
        Auto { "samples.auto", "Auto-preview on every cursor move (on / off)", ["A"]; }
        Open { "samples.open", "Also list the audio files of a folder", ["o"]; }
        Rescan { "samples.rescan", "Scan the folders again", ["R"]; }
        NextSlice { "samples.next_slice", "Select the next slice", ["tab"]; }
        PrevSlice { "samples.prev_slice", "Select the previous slice", ["backtab"]; }
        SliceAdd { "samples.slice_add", "Add a slice at the edit cursor", ["i"]; }
        SliceMove { "samples.slice_move", "Move the selected slice's start to the edit cursor", ["m"]; }
        SliceDelete { "samples.slice_delete", "Delete the selected slice", ["x"]; }
        Grid { "samples.grid", "Replace the slices by N equal ones", ["g"]; }
        Snap { "samples.snap", "Snap every slice start to the nearest zero crossing", ["z"]; }
        ToSlot { "samples.to_slot", "Write the slices to the markers of the slot using this file", ["W"]; }
        Pick { "samples.pick", "Assign this file to the slot being picked for (from the slots view)", ["enter"]; }
        Convert { "samples.convert", "Convert the file to a 44.1 kHz WAV in the set's AUDIO folder (in the background; Esc cancels)", ["C"]; }
    }
}

/// Every action of the view (the table of [`SamplesCmd`]).
const ACTIONS: &[ActionDef] = SamplesCmd::ACTIONS;

/// How far (frames) a slice start may move when snapped to a zero crossing.
const SNAP_DISTANCE: u64 = 2048;

/// One file in the list.
#[derive(Debug, Clone)]
struct Entry {
    path: PathBuf,
    /// Shown name: relative to its root.
    name: String,
    /// Its facts, probed when first shown (a big pool is listed without reading every file).
    info: Option<Result<AudioFileInfo, String>>,
}

/// The slices of the selected file being edited.
#[derive(Debug)]
struct Edit {
    path: PathBuf,
    ot: Option<SampleSettings>,
    editor: SliceEditor,
    frames: u32,
    rate: u32,
    /// Edit cursor (frame).
    cursor: u64,
    /// The `.ot` file as read (to refuse overwriting a change made on disk since).
    read: Option<crate::project::Fingerprint>,
}

/// The sample browser view.
#[derive(Debug, Default)]
pub struct SamplesView {
    extra: Vec<PathBuf>,
    entries: Option<Vec<Entry>>,
    row: usize,
    top: usize,
    auto: bool,
    edit: Option<Edit>,
    /// The slot of the file shown: (file, project.work bytes when found, slot).
    slot_cache: Option<(PathBuf, Vec<u8>, Option<SlotRef>)>,
    /// The conversion running, and the slot to assign its result to.
    job: Option<(ConvertJob, Option<SlotRef>)>,
    /// What the last conversion did (shown in the header).
    note: Option<String>,
}

/// The set's AUDIO folder of the project (`None`: the project is not saved in a folder).
fn audio_dir(ctx: &Ctx) -> Option<PathBuf> {
    Some(ctx.doc.project.path()?.parent()?.join("AUDIO"))
}

/// Audio files under `dir`, recursively, sorted by path.
fn scan(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut items: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    items.sort();
    for p in items {
        if p.is_dir() {
            scan(&p, out);
        } else if AudioFormat::from_path(&p).is_some() {
            out.push(p);
        }
    }
}

/// The folders listed: the project folder, the set's AUDIO folder and the opened ones.
/// The name a slot gives a file: `Drums/kick.wav` in the set's AUDIO folder, `./kick.wav` in the
/// project folder (`None`: the device cannot reach it).
fn slot_name(ctx: &Ctx, file: &Path) -> Option<String> {
    let project = ctx.doc.project.path()?;
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let file = canon(file);
    if let Ok(rel) = file.strip_prefix(canon(project))
        && rel.components().count() == 1
    {
        return Some(format!("./{}", rel.to_string_lossy()));
    }
    let audio = canon(&project.parent()?.join("AUDIO"));
    let rel = file.strip_prefix(audio).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

fn roots(ctx: &Ctx, extra: &[PathBuf]) -> Vec<PathBuf> {
    let mut r: Vec<PathBuf> = Vec::new();
    if let Some(p) = ctx.doc.project.path() {
        r.push(p.to_path_buf());
        if let Some(set) = p.parent() {
            r.push(set.join("AUDIO"));
        }
    }
    if let Some(crate::project::AudioPool::Folder(d)) = ctx.doc.project.audio_pool() {
        r.push(d.clone());
    }
    r.extend(extra.iter().cloned());
    let mut seen = Vec::new();
    r.retain(|d| {
        let key = d.canonicalize().unwrap_or_else(|_| d.clone());
        let fresh = d.is_dir() && !seen.contains(&key);
        seen.push(key);
        fresh
    });
    r
}

/// The facts column of a file: format, rate, bits, channels, length and what the device lacks.
fn facts(info: &Option<Result<AudioFileInfo, String>>) -> String {
    let Some(info) = info else {
        return String::new();
    };
    match info {
        Err(e) => format!("unreadable: {e}"),
        Ok(i) => {
            let bits = match (i.bits_per_sample, i.float) {
                (Some(b), true) => format!("{b}-bit float"),
                (Some(b), false) => format!("{b}-bit"),
                (None, _) => "?-bit".into(),
            };
            let len = i
                .duration_secs()
                .map_or("?".to_string(), |s| format!("{s:.2}s"));
            let bad = device_compatibility(i);
            let flag = if bad.is_empty() {
                String::new()
            } else {
                let why: Vec<String> = bad.iter().map(|b| b.to_string()).collect();
                format!("  ! {}", why.join(", "))
            };
            format!(
                "{} {} Hz {bits} {}ch {len}{flag}",
                i.format.name(),
                i.sample_rate,
                i.channels
            )
        }
    }
}

impl SamplesView {
    /// An empty browser (the folders are scanned when first shown).
    pub fn new() -> Self {
        Self::default()
    }

    fn ensure(&mut self, ctx: &Ctx) {
        if self.entries.is_some() {
            return;
        }
        let mut list = Vec::new();
        for root in roots(ctx, &self.extra) {
            let mut files = Vec::new();
            scan(&root, &mut files);
            let base = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for path in files {
                let rel = path.strip_prefix(&root).unwrap_or(&path);
                let name = format!("{base}/{}", rel.to_string_lossy());
                list.push(Entry {
                    path,
                    name,
                    info: None,
                });
            }
        }
        self.row = self.row.min(list.len().saturating_sub(1));
        self.entries = Some(list);
        self.edit = None;
    }

    fn entries(&self) -> &[Entry] {
        self.entries.as_deref().unwrap_or(&[])
    }

    /// Assigns the selected file to the slot the slots view is picking for, then goes back.
    fn pick(&mut self, ctx: &mut Ctx) -> Outcome {
        let Some(slot) = ctx.pick_slot else {
            return Outcome::Message(
                "not picking for a slot: press b in the slots view to pick a file for one".into(),
            );
        };
        let Some(path) = self.current().map(|e| e.path.clone()) else {
            return Outcome::Message("no file selected".into());
        };
        self.probe_rows(self.row, self.row + 1);
        if let Some(Some(Ok(info))) = self.current().map(|e| &e.info)
            && !crate::project::convert::plays_as_is(info)
        {
            let why: Vec<String> = device_compatibility(info)
                .iter()
                .map(|b| b.to_string())
                .collect();
            return Outcome::Prompt {
                title: format!(
                    "{}: the device cannot play it ({}); convert it into AUDIO and assign the copy to {slot}? (y/n)",
                    path.display(),
                    why.join(", ")
                ),
                tag: "samples.pick_convert",
                initial: String::new(),
            };
        }
        self.assign_to(ctx, slot, &path)
    }

    /// Assigns `path` to `slot` (undoably), then the status says F5 goes back to the slots.
    fn assign_to(&mut self, ctx: &mut Ctx, slot: SlotRef, path: &Path) -> Outcome {
        let Some(rel) = slot_name(ctx, path) else {
            return Outcome::Error(format!(
                "{}: outside the project folder and the set's AUDIO folder, the device cannot play it",
                path.display()
            ));
        };
        ctx.pick_slot = None;
        let outcome = crate::ui::edits::edit_project(ctx, &format!("assign {slot}"), |p| {
            let info =
                crate::project::slots::assign_file(p, slot, &rel).map_err(|e| e.to_string())?;
            Ok(format!("{slot}: {} ({} frames)", rel, info.frames))
        });
        match outcome {
            Outcome::Message(m) => Outcome::Message(format!("{m}; F5: back to the slots")),
            other => other,
        }
    }

    /// Starts converting the file under the cursor into the set's AUDIO folder; `force` converts
    /// a file the device plays already (asked first); `assign` assigns the result to a slot.
    fn convert(&mut self, ctx: &Ctx, force: bool, assign: Option<SlotRef>) -> Outcome {
        if self.job.is_some() {
            return Outcome::Message("a conversion is running; Esc cancels it".into());
        }
        let Some(path) = self.current().map(|e| e.path.clone()) else {
            return Outcome::Message("no audio file here".into());
        };
        if ctx.doc.project.is_read_only() {
            return Outcome::Error(
                "READ-ONLY: converting writes into the set's AUDIO folder; nothing was written"
                    .into(),
            );
        }
        let Some(dir) = audio_dir(ctx) else {
            return Outcome::Error(
                "the project is not saved in a set: there is no AUDIO folder to convert into"
                    .into(),
            );
        };
        match ConvertJob::start(&path, &dir, force) {
            Ok(job) => {
                let m = format!(
                    "converting {} to {} (Esc cancels)",
                    path.display(),
                    job.out.display()
                );
                self.job = Some((job, assign));
                self.note = None;
                Outcome::Message(m)
            }
            Err(e) => Outcome::Error(e),
        }
    }

    /// The convert key: unplayable files convert at once, others after a y/n question.
    fn convert_key(&mut self, ctx: &Ctx) -> Outcome {
        self.probe_rows(self.row, self.row + 1);
        match self.current().map(|e| &e.info) {
            None => Outcome::Message("no audio file here".into()),
            Some(Some(Ok(info))) if crate::project::convert::plays_as_is(info) => Outcome::Prompt {
                title:
                    "the device plays this file as it is; convert a copy into AUDIO anyway? (y/n)"
                        .into(),
                tag: "samples.convert",
                initial: String::new(),
            },
            Some(Some(Err(e))) => Outcome::Error(e.clone()),
            Some(_) => self.convert(ctx, false, None),
        }
    }

    /// Takes the result of a finished conversion: the list is scanned again with the new file
    /// selected (and assigned to the slot being picked for, when asked). Never blocks.
    fn finish(&mut self, ctx: &mut Ctx) -> Option<Outcome> {
        let r = self.job.as_ref()?.0.poll()?;
        let (job, assign) = self.job.take()?;
        match r {
            Ok(out) => {
                self.entries = None;
                self.ensure(ctx);
                let key = out.canonicalize().unwrap_or_else(|_| out.clone());
                if let Some(i) = self
                    .entries()
                    .iter()
                    .position(|e| e.path.canonicalize().unwrap_or_else(|_| e.path.clone()) == key)
                {
                    self.row = i;
                }
                let m = format!("converted {} to {}", job.src.display(), out.display());
                self.note = Some(m.clone());
                if let Some(slot) = assign {
                    return Some(match self.assign_to(ctx, slot, &out) {
                        Outcome::Message(a) => Outcome::Message(format!("{m}; {a}")),
                        other => other,
                    });
                }
                Some(Outcome::Message(m))
            }
            Err(e) => {
                self.note = Some(e.clone());
                Some(Outcome::Error(e))
            }
        }
    }

    fn current(&self) -> Option<&Entry> {
        self.entries().get(self.row)
    }

    /// Probes the files of rows `from..to` not probed yet.
    fn probe_rows(&mut self, from: usize, to: usize) {
        let Some(list) = self.entries.as_mut() else {
            return;
        };
        for e in list.iter_mut().take(to).skip(from) {
            if e.info.is_none() {
                e.info = Some(crate::audio::probe(&e.path).map_err(|err| err.to_string()));
            }
        }
    }

    /// Loads the slices of the file under the cursor (once per file).
    fn load_edit(&mut self) -> Result<(), String> {
        self.probe_rows(self.row, self.row + 1);
        let Some(e) = self.current() else {
            return Err("no audio file here".into());
        };
        if self.edit.as_ref().is_some_and(|ed| ed.path == e.path) {
            return Ok(());
        }
        let info = e.info.clone().unwrap_or_else(|| Err("not probed".into()))?;
        let path = e.path.clone();
        let frames = info
            .frames
            .and_then(|f| u32::try_from(f).ok())
            .ok_or_else(|| format!("{}: unknown length", path.display()))?;
        let (ot, read) = match crate::project::sidecar::read(&path).map_err(|e| e.to_string())? {
            Some(s) => (Some(s.settings), Some(s.fingerprint)),
            None => (None, None),
        };
        let slices = ot.as_ref().map(|o| o.slices()).unwrap_or_default();
        self.edit = Some(Edit {
            path,
            ot,
            editor: SliceEditor::new(slices, frames),
            frames,
            rate: info.sample_rate,
            cursor: 0,
            read,
        });
        Ok(())
    }

    fn preview(&mut self, ctx: &Ctx) -> Outcome {
        let Some(e) = self.current() else {
            return Outcome::Message("no audio file here".into());
        };
        let mut request = PreviewRequest::new(e.path.clone());
        if let Some(ed) = self.edit.as_ref().filter(|ed| ed.path == e.path)
            && let Some(s) = ed.editor.selected()
            && let Some(slice) = ed.editor.slices().get(s)
        {
            request = request.region(Region::from_format_slice(slice));
        }
        match ctx.engines.preview(request) {
            Ok(m) => Outcome::Message(m),
            Err(m) => Outcome::Error(m),
        }
    }

    fn moved(&mut self, ctx: &Ctx) -> Outcome {
        if self.auto {
            return self.preview(ctx);
        }
        Outcome::Handled
    }

    /// Applies a slice edit and writes the `.ot` file (created when absent), atomically.
    fn slice_edit(
        &mut self,
        project: &crate::project::Project,
        label: &str,
        f: impl FnOnce(&mut Edit) -> Result<(), String>,
    ) -> Outcome {
        if project.is_read_only() {
            return Outcome::Error(format!(
                "{label}: READ-ONLY: slice edits write the sample's .ot file; nothing was written"
            ));
        }
        if let Err(e) = self.load_edit() {
            return Outcome::Error(e);
        }
        let Some(ed) = self.edit.as_mut() else {
            return Outcome::Handled;
        };
        let keep = ed.editor.slices().to_vec();
        if let Err(e) = f(ed) {
            ed.editor = SliceEditor::new(keep, ed.frames);
            return Outcome::Error(e);
        }
        let mut ot = ed
            .ot
            .clone()
            .unwrap_or_else(|| SampleSettings::for_sample(ed.frames, ed.rate));
        if let Err(e) = ed.editor.write_ot(&mut ot) {
            return Outcome::Error(e.to_string());
        }
        let ot_path = ot_path_for(&ed.path);
        let bytes = ot.to_bytes();
        if let Err(e) = crate::project::sidecar::save(project, &ot_path, &bytes, ed.read) {
            ed.editor = SliceEditor::new(keep, ed.frames);
            return Outcome::Error(e.to_string());
        }
        ed.read = Some(crate::project::Fingerprint::of(&bytes));
        ed.ot = Some(ot);
        Outcome::Message(format!(
            "{label}: {} slice(s) written to {}",
            ed.editor.slices().len(),
            ot_path.display()
        ))
    }

    /// The slot whose sample is the file under the cursor.
    fn slot_of(&self, ctx: &Ctx) -> Option<SlotRef> {
        let e = self.current()?;
        let target = e.path.canonicalize().ok()?;
        let list = crate::project::slots::list(&ctx.doc.project).ok()?;
        list.into_iter()
            .find(|s| {
                ctx.doc
                    .project
                    .sample_path(s.path())
                    .and_then(|p| p.canonicalize().ok())
                    .is_some_and(|p| p == target)
            })
            .map(|s| s.slot)
    }

    /// [`Self::slot_of`], remembered until the file or the project's slots change.
    fn cached_slot(&mut self, ctx: &Ctx) -> Option<SlotRef> {
        let path = self.current()?.path.clone();
        let pf = ctx.doc.project.project_file().to_bytes();
        if let Some((p, bytes, slot)) = &self.slot_cache
            && *p == path
            && *bytes == pf
        {
            return *slot;
        }
        let slot = self.slot_of(ctx);
        self.slot_cache = Some((path, pf, slot));
        slot
    }

    fn write_slot(&mut self, ctx: &mut Ctx) -> Outcome {
        let Some(slot) = self.slot_of(ctx) else {
            return Outcome::Message("no slot of this project uses this file".into());
        };
        if let Err(e) = self.load_edit() {
            return Outcome::Error(e);
        }
        let Some(ed) = self.edit.as_ref() else {
            return Outcome::Handled;
        };
        let n = ed.editor.slices().len();
        edits::edit_project(ctx, &format!("{slot} slices"), |p| {
            ed.editor
                .write_markers(p.markers_mut(), slot)
                .map_err(|e| e.to_string())?;
            Ok(format!("{n} slice(s) written to the markers of {slot}"))
        })
    }

    fn render_wave(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let Some(e) = self.current() else {
            return;
        };
        let path = e.path.clone();
        match ctx.engines.peaks.get(&path) {
            PeakState::Pending => {
                frame.render_widget(Paragraph::new("computing..."), area);
            }
            PeakState::Failed(m) => {
                frame.render_widget(Paragraph::new(m), area);
            }
            PeakState::Ready(summary) => {
                let _ = self.load_edit();
                let mut markers: Vec<Marker> = Vec::new();
                let mut selected = None;
                if let Some(ed) = self.edit.as_ref() {
                    markers = match &ed.ot {
                        Some(ot) => slot_markers(
                            ot.trim_start(),
                            ot.trim_end(),
                            ot.loop_start(),
                            ed.editor.slices(),
                        ),
                        None => slot_markers(0, ed.frames, 0, ed.editor.slices()),
                    };
                    markers.push(Marker {
                        frame: ed.cursor,
                        kind: MarkerKind::Cursor,
                    });
                    selected = ed.editor.selected().map(|s| s + 1);
                }
                let w = Waveform::new(&summary)
                    .markers(&markers)
                    .selected_slice(selected);
                frame.render_widget(w, area);
            }
        }
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "samples",
    switch: act(
        "view.samples",
        "Show the sample browser",
        &["F11", "shift+F11"],
    ),
};

impl SamplesView {
    /// A shared motion: up/down/page/top/bottom move through the files, left/right move the
    /// edit cursor in the waveform.
    fn nav(&mut self, nav: NavCmd, ctx: &mut Ctx) -> Outcome {
        if let NavCmd::Left | NavCmd::Right = nav {
            if let Err(e) = self.load_edit() {
                return Outcome::Error(e);
            }
            if let Some(ed) = self.edit.as_mut() {
                let d = (u64::from(ed.frames) / 64).max(1);
                ed.cursor = if nav == NavCmd::Left {
                    ed.cursor.saturating_sub(d)
                } else {
                    (ed.cursor + d).min(u64::from(ed.frames.saturating_sub(1)))
                };
            }
            return Outcome::Handled;
        }
        let n = self.entries().len();
        let (d, _) = nav.delta(16, n);
        let before = self.row;
        self.row = (self.row as i64 + d).clamp(0, n.saturating_sub(1) as i64) as usize;
        if self.row == before {
            return Outcome::Handled;
        }
        let _ = self.load_edit();
        self.moved(ctx)
    }
}

impl View for SamplesView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, _ctx: &Ctx) -> String {
        "Samples".into()
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        self.ensure(ctx);
        let _ = self.load_edit();
        let [head, list, info, wave] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(2),
            Constraint::Length(8),
        ])
        .areas(area);
        let theme = &ctx.theme;
        let n = self.entries().len();
        if let Some((job, _)) = &self.job {
            let pct = (job.ratio() * 100.0).round() as u16;
            let label = format!(
                "converting {} to {}: {pct}% (Esc: cancel){}",
                job.src.file_name().unwrap_or_default().to_string_lossy(),
                job.out.display(),
                if job.cancelling() {
                    " cancelling..."
                } else {
                    ""
                }
            );
            frame.render_widget(
                ratatui::widgets::Gauge::default()
                    .ratio(job.ratio())
                    .label(label)
                    .gauge_style(theme.style("header.title")),
                head,
            );
        } else {
            frame.render_widget(
                Paragraph::new(
                    format!(
                        "{}: {n} audio file(s){}{}",
                        ctx.doc.name(),
                        if self.auto { "  [auto-preview]" } else { "" },
                        ctx.pick_slot.map_or(String::new(), |slot| format!(
                            "  [picking a file for {slot}: enter assigns]"
                        ))
                    ) + self
                        .note
                        .as_ref()
                        .map_or(String::new(), |m| format!("  [{m}]"))
                        .as_str(),
                )
                .style(theme.style("header.title")),
                head,
            );
        }
        let rows = usize::from(list.height);
        if self.row < self.top {
            self.top = self.row;
        } else if rows > 0 && self.row >= self.top + rows {
            self.top = self.row + 1 - rows;
        }
        self.probe_rows(self.top, self.top + rows);
        let lines: Vec<Line> = self
            .entries()
            .iter()
            .enumerate()
            .skip(self.top)
            .take(rows)
            .map(|(i, e)| {
                let text = format!("{:<40} {}", e.name, facts(&e.info));
                if i == self.row {
                    Line::styled(text, theme.style("grid.cursor_row"))
                } else {
                    Line::raw(text)
                }
            })
            .collect();
        if lines.is_empty() {
            frame.render_widget(
                Paragraph::new("no audio files here; o opens a folder"),
                list,
            );
        } else {
            frame.render_widget(Paragraph::new(lines), list);
        }
        let mut about = Vec::new();
        let slot = self
            .cached_slot(ctx)
            .map_or(String::new(), |s| format!("  used by {s}"));
        if let Some(e) = self.current() {
            about.push(e.name.clone());
            let ot = ot_path_for(&e.path);
            let slices = match self.edit.as_ref().filter(|ed| ed.path == e.path) {
                Some(ed) => format!(
                    "{} slice(s){}",
                    ed.editor.slices().len(),
                    ed.editor
                        .selected()
                        .map_or(String::new(), |s| format!(", slice {} selected", s + 1))
                ),
                None => String::new(),
            };
            about.push(format!(
                "{}  {slices}{slot}",
                if ot.is_file() { "has .ot" } else { "no .ot" }
            ));
        }
        frame.render_widget(
            Paragraph::new(about.join("\n")).style(theme.style("status.message")),
            info,
        );
        self.render_wave(frame, wave, ctx);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        self.ensure(ctx);
        let n = self.entries().len();
        let step = |row: usize, d: i64| -> usize {
            (row as i64 + d).clamp(0, n.saturating_sub(1) as i64) as usize
        };
        let Input::Action(a) = input else {
            return match input {
                Input::Answer("samples.open", text) => {
                    let dir = PathBuf::from(text.trim());
                    if !dir.is_dir() {
                        return Outcome::Error(format!("{}: not a folder", dir.display()));
                    }
                    self.extra.push(dir);
                    self.entries = None;
                    self.ensure(ctx);
                    Outcome::Message(format!("{} audio file(s)", self.entries().len()))
                }
                Input::Answer("samples.grid", text) => match text.trim().parse::<usize>() {
                    Ok(k) if (1..=64).contains(&k) => {
                        self.slice_edit(&ctx.doc.project, "grid", |ed| {
                            ed.editor.grid(k).map_err(|e| e.to_string())
                        })
                    }
                    _ => Outcome::Error(format!("{text:?}: expected a slice count 1-64")),
                },
                Input::Answer("samples.convert", text) => {
                    if text.trim().eq_ignore_ascii_case("y") {
                        self.convert(ctx, true, None)
                    } else {
                        Outcome::Message("not converted".into())
                    }
                }
                Input::Answer("samples.pick_convert", text) => {
                    let Some(slot) = ctx.pick_slot else {
                        return Outcome::Message("not picking for a slot any more".into());
                    };
                    if text.trim().eq_ignore_ascii_case("y") {
                        ctx.pick_slot = None;
                        self.convert(ctx, false, Some(slot))
                    } else {
                        Outcome::Message("not converted; nothing was assigned".into())
                    }
                }
                Input::Scroll(d) => {
                    self.row = step(self.row, d as i64);
                    self.moved(ctx)
                }
                Input::Nav(nav) => self.nav(nav, ctx),
                _ => Outcome::Ignored,
            };
        };
        let Some(cmd) = SamplesCmd::from_name(a) else {
            return Outcome::Ignored;
        };
        match cmd {
            SamplesCmd::Preview => {
                let _ = self.load_edit();
                self.preview(ctx)
            }
            SamplesCmd::Stop => {
                if let Some((job, _)) = &self.job {
                    job.cancel();
                    return Outcome::Message("cancelling the conversion...".into());
                }
                ctx.engines.stop_preview();
                Outcome::Handled
            }
            SamplesCmd::Auto => {
                self.auto = !self.auto;
                Outcome::Message(format!(
                    "auto-preview {}",
                    if self.auto { "on" } else { "off" }
                ))
            }
            SamplesCmd::Open => Outcome::Prompt {
                title: "Folder to list".into(),
                tag: "samples.open",
                initial: String::new(),
            },
            SamplesCmd::Rescan => {
                self.entries = None;
                self.ensure(ctx);
                Outcome::Message(format!("{n} audio file(s)"))
            }
            a @ (SamplesCmd::NextSlice | SamplesCmd::PrevSlice) => {
                if let Err(e) = self.load_edit() {
                    return Outcome::Error(e);
                }
                if let Some(ed) = self.edit.as_mut() {
                    let cur = ed.editor.selected().unwrap_or(0);
                    let next = if a == SamplesCmd::NextSlice {
                        cur + 1
                    } else {
                        cur.saturating_sub(1)
                    };
                    ed.editor.select(next);
                }
                self.moved(ctx)
            }
            SamplesCmd::SliceAdd => self.slice_edit(&ctx.doc.project, "add", |ed| {
                let at = u32::try_from(ed.cursor).unwrap_or(u32::MAX);
                ed.editor.add_at(at).map_err(|e| e.to_string())
            }),
            SamplesCmd::SliceMove => self.slice_edit(&ctx.doc.project, "move", |ed| {
                let at = u32::try_from(ed.cursor).unwrap_or(u32::MAX);
                ed.editor.move_start(at).map_err(|e| e.to_string())
            }),
            SamplesCmd::SliceDelete => self.slice_edit(&ctx.doc.project, "delete", |ed| {
                ed.editor.delete().map_err(|e| e.to_string())
            }),
            SamplesCmd::Grid => Outcome::Prompt {
                title: "Equal slices (1-64)".into(),
                tag: "samples.grid",
                initial: "16".into(),
            },
            SamplesCmd::Snap => self.slice_edit(&ctx.doc.project, "snap", |ed| {
                let path = ed.path.clone();
                let mut failure = None;
                let r = ed.editor.snap_all(|f| {
                    match snap_to_zero_crossing(&path, u64::from(f), SNAP_DISTANCE) {
                        Ok(v) => u32::try_from(v).unwrap_or(f),
                        Err(e) => {
                            failure = Some(e.to_string());
                            f
                        }
                    }
                });
                r.map_err(|e| e.to_string())?;
                failure.map_or(Ok(()), Err)
            }),
            SamplesCmd::ToSlot => self.write_slot(ctx),
            SamplesCmd::Pick => self.pick(ctx),
            SamplesCmd::Convert => self.convert_key(ctx),
        }
    }
    fn tick(&mut self, ctx: &mut Ctx) -> Option<Outcome> {
        self.finish(ctx)
    }
    fn animating(&self, _ctx: &Ctx) -> bool {
        self.job.is_some()
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            SamplesCmd::Preview.name(),
            SamplesCmd::Auto.name(),
            SamplesCmd::Grid.name(),
        ]
    }
}
