//! The pool view: the audio pool of the project's set as `octa pool SET` reports it (every
//! audio file with its size, format, whether the device plays it and the slots that use it;
//! files no project uses; slots whose file is missing; identical files), scanned on a worker
//! thread, with filters, and a purge of the unused files into the set's trash (asked first,
//! through [`crate::project::pool::purge`]).

use crate::project::pool::{self, PoolReport};
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::command::NavCmd;
use crate::ui::view::{Ctx, Outcome, View, ViewInfo};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

crate::ui::command::commands! {
    /// A command of the pool view.
    pub enum PoolCmd {
        All { "pool.all", "Show every audio file of the set", ["a"]; }
        Unused { "pool.unused", "Show the files no project uses", ["U"]; }
        Missing { "pool.missing", "Show the slots whose file is missing", ["m"]; }
        Duplicates { "pool.duplicates", "Show identical files (same content)", ["d"]; }
        Rescan { "pool.rescan", "Scan the set again", ["R"]; }
        Purge { "pool.purge", "Move the unused files to the set's trash (asks first)", ["P"]; }
    }
}

/// Every action of the view (the table of [`PoolCmd`]).
const ACTIONS: &[ActionDef] = PoolCmd::ACTIONS;

/// Which rows are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every file.
    #[default]
    All,
    /// Files no slot uses.
    Unused,
    /// Slots whose file is missing.
    Missing,
    /// Groups of identical files.
    Duplicates,
}

impl Filter {
    fn name(self) -> &'static str {
        match self {
            Self::All => "all files",
            Self::Unused => "unused",
            Self::Missing => "missing",
            Self::Duplicates => "duplicates",
        }
    }
}

/// The pool view.
#[derive(Debug, Default)]
pub struct PoolView {
    report: Option<Result<PoolReport, String>>,
    scanning: Option<(PathBuf, Receiver<Result<PoolReport, String>>)>,
    filter: Filter,
    row: usize,
    top: usize,
    /// What happened last (shown in the header).
    note: Option<String>,
}

/// The set of the project (`None`: not saved in a folder).
fn set_of(ctx: &Ctx) -> Option<PathBuf> {
    Some(ctx.doc.project.path()?.parent()?.to_path_buf())
}

fn human(bytes: u64) -> String {
    crate::project::sets::human_bytes(bytes)
}

/// The text rows of `report` under `filter`.
pub fn rows(report: &PoolReport, filter: Filter) -> Vec<String> {
    match filter {
        Filter::All | Filter::Unused => report
            .files
            .iter()
            .filter(|f| filter == Filter::All || f.users.is_empty())
            .map(|f| {
                let format = match (&f.facts, &f.error) {
                    (Some(x), _) => format!(
                        "{} {} Hz {}{} {}ch",
                        x.format,
                        x.rate,
                        x.bits.map_or("?".into(), |b| b.to_string()),
                        if x.float { "-bit float" } else { "-bit" },
                        x.channels
                    ),
                    (None, Some(e)) => format!("unreadable: {e}"),
                    (None, None) => "?".into(),
                };
                let plays = if f.plays() {
                    "plays".to_string()
                } else {
                    format!("! {}", f.issues.join(", "))
                };
                let users = if f.users.is_empty() {
                    "unused".to_string()
                } else {
                    f.users
                        .iter()
                        .map(|u| {
                            format!(
                                "{} {}{}",
                                u.project,
                                u.slot,
                                if u.stored_only { " (saved state)" } else { "" }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!(
                    "{:<32} {:>9}  {format}  {plays}  {users}",
                    f.path.to_string_lossy(),
                    human(f.bytes)
                )
            })
            .collect(),
        Filter::Missing => report
            .missing
            .iter()
            .map(|m| {
                format!(
                    "{} {}: {} ({})",
                    m.project,
                    m.slot,
                    m.path,
                    if m.outside {
                        "outside the set's folders"
                    } else {
                        "missing"
                    }
                )
            })
            .collect(),
        Filter::Duplicates => report
            .duplicates
            .iter()
            .map(|g| {
                g.iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join(" = ")
            })
            .collect(),
    }
}

impl PoolView {
    /// A view that scans the set when first shown.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a scan on a worker thread (unless one runs or a report is there).
    fn ensure(&mut self, ctx: &Ctx) {
        if self.report.is_some() || self.scanning.is_some() {
            return;
        }
        let Some(set) = set_of(ctx) else {
            self.report = Some(Err(
                "the project is not saved in a set: there is no pool to show".into(),
            ));
            return;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let s = set.clone();
        let spawned = std::thread::Builder::new()
            .name("octa-pool-scan".into())
            .spawn(move || {
                let _ = tx.send(pool::scan(&s).map_err(|e| e.to_string()));
            });
        match spawned {
            Ok(_) => self.scanning = Some((set, rx)),
            Err(e) => self.report = Some(Err(format!("cannot start the scan: {e}"))),
        }
    }

    /// Takes a finished scan's report; true when one arrived. Never blocks.
    fn poll(&mut self) -> bool {
        let Some((_, rx)) = &self.scanning else {
            return false;
        };
        let r = match rx.try_recv() {
            Ok(r) => r,
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => Err("the scan stopped without a result".into()),
        };
        self.scanning = None;
        self.report = Some(r);
        self.row = 0;
        self.top = 0;
        true
    }

    /// Whether a scan is running.
    pub fn scanning(&self) -> bool {
        self.scanning.is_some()
    }

    fn rescan(&mut self, ctx: &Ctx) {
        self.report = None;
        self.scanning = None;
        self.ensure(ctx);
    }

    fn list(&self) -> Vec<String> {
        match &self.report {
            Some(Ok(r)) => rows(r, self.filter),
            _ => Vec::new(),
        }
    }

    fn ask_purge(&mut self, ctx: &Ctx) -> Outcome {
        let Some(Ok(report)) = &self.report else {
            return Outcome::Message("the pool is not scanned yet".into());
        };
        if ctx.doc.project.is_read_only() {
            return Outcome::Error(
                "READ-ONLY: a purge moves files of the set; nothing was moved".into(),
            );
        }
        let plan = match pool::purge_plan(report) {
            Ok(p) => p,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        if plan.is_empty() {
            return Outcome::Message("no unused files: nothing to purge".into());
        }
        Outcome::Prompt {
            title: format!(
                "move {} unused file(s) ({} with .ot files) into {}/{}? (y/n)",
                report.unused().len(),
                plan.len(),
                report.set.display(),
                crate::project::sets::TRASH
            ),
            tag: "pool.purge",
            initial: String::new(),
        }
    }

    fn purge(&mut self, ctx: &Ctx) -> Outcome {
        let Some(Ok(report)) = &self.report else {
            return Outcome::Message("the pool is not scanned yet".into());
        };
        // Scan again right before moving: the plan is made from what is on disk now.
        let set = report.set.clone();
        let fresh = match pool::scan(&set) {
            Ok(r) => r,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let plan = match pool::purge_plan(&fresh) {
            Ok(p) => p,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let out = match pool::purge(&set, &plan) {
            Ok(moves) => {
                let to = moves
                    .first()
                    .and_then(|(_, to)| {
                        let rel = to
                            .strip_prefix(set.join(crate::project::sets::TRASH))
                            .ok()?;
                        let stamp = rel.components().next()?;
                        Some(
                            set.join(crate::project::sets::TRASH)
                                .join(stamp.as_os_str())
                                .display()
                                .to_string(),
                        )
                    })
                    .unwrap_or_default();
                let m = format!("purged: {} file(s) moved to {to}", moves.len());
                self.note = Some(m.clone());
                Outcome::Message(m)
            }
            Err((moves, e)) => {
                let m = format!("purge stopped after {} file(s): {e}", moves.len());
                self.note = Some(m.clone());
                Outcome::Error(m)
            }
        };
        self.rescan(ctx);
        out
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "pool",
    switch: act(
        "view.pool",
        "Show the set's audio pool (unused, missing, identical files)",
        &["shift+F5"],
    ),
};

impl View for PoolView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, _ctx: &Ctx) -> String {
        "Pool".into()
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        self.ensure(ctx);
        self.poll();
        let [head, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        let theme = &ctx.theme;
        let summary = match (&self.report, &self.scanning) {
            (_, Some((set, _))) => format!("scanning {}...", set.display()),
            (Some(Ok(r)), None) => format!(
                "{}: {} file(s), {} unused, {} missing slot(s), {} group(s) of identical files; showing {}",
                r.set.display(),
                r.files.len(),
                r.unused().len(),
                r.missing.len(),
                r.duplicates.len(),
                self.filter.name()
            ),
            (Some(Err(e)), None) => e.clone(),
            (None, None) => String::new(),
        };
        let mut head_lines = vec![Line::styled(summary, theme.style("header.title"))];
        if let Some(Ok(r)) = &self.report
            && !r.unreadable.is_empty()
        {
            let names: Vec<String> = r
                .unreadable
                .iter()
                .map(|(p, why)| format!("{p} ({why})"))
                .collect();
            head_lines.push(Line::raw(format!("unreadable: {}", names.join("; "))));
        } else if let Some(n) = &self.note {
            head_lines.push(Line::styled(n.clone(), theme.style("status.message")));
        }
        frame.render_widget(Paragraph::new(head_lines), head);
        let items = self.list();
        let rows = usize::from(list.height);
        self.row = self.row.min(items.len().saturating_sub(1));
        if self.row < self.top {
            self.top = self.row;
        } else if rows > 0 && self.row >= self.top + rows {
            self.top = self.row + 1 - rows;
        }
        let lines: Vec<Line> = items
            .into_iter()
            .enumerate()
            .skip(self.top)
            .take(rows)
            .map(|(i, t)| {
                if i == self.row {
                    Line::styled(t, theme.style("grid.cursor_row"))
                } else {
                    Line::raw(t)
                }
            })
            .collect();
        if lines.is_empty() && self.scanning.is_none() {
            frame.render_widget(Paragraph::new(format!("no {}", self.filter.name())), list);
        } else {
            frame.render_widget(Paragraph::new(lines), list);
        }
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        self.ensure(ctx);
        self.poll();
        let n = self.list().len();
        let Input::Action(a) = input else {
            return match input {
                Input::Answer("pool.purge", text) => {
                    if text.trim().eq_ignore_ascii_case("y") {
                        self.purge(ctx)
                    } else {
                        Outcome::Message("purge cancelled; nothing was moved".into())
                    }
                }
                Input::Nav(nav) => {
                    let (d, _) = nav.delta(16, n);
                    if d != 0 || nav == NavCmd::Top {
                        self.row =
                            (self.row as i64 + d).clamp(0, n.saturating_sub(1) as i64) as usize;
                    }
                    Outcome::Handled
                }
                Input::Scroll(d) => {
                    self.row = (self.row as i64 + i64::from(d)).clamp(0, n.saturating_sub(1) as i64)
                        as usize;
                    Outcome::Handled
                }
                _ => Outcome::Ignored,
            };
        };
        let Some(cmd) = PoolCmd::from_name(a) else {
            return Outcome::Ignored;
        };
        let mut show = |f: Filter| {
            self.filter = f;
            self.row = 0;
            self.top = 0;
            Outcome::Handled
        };
        match cmd {
            PoolCmd::All => show(Filter::All),
            PoolCmd::Unused => show(Filter::Unused),
            PoolCmd::Missing => show(Filter::Missing),
            PoolCmd::Duplicates => show(Filter::Duplicates),
            PoolCmd::Rescan => {
                self.rescan(ctx);
                Outcome::Message("scanning the set again".into())
            }
            PoolCmd::Purge => self.ask_purge(ctx),
        }
    }
    fn tick(&mut self, ctx: &mut Ctx) -> Option<Outcome> {
        let _ = ctx;
        if self.poll() {
            return match &self.report {
                Some(Ok(r)) => Some(Outcome::Message(format!(
                    "pool scanned: {} file(s)",
                    r.files.len()
                ))),
                Some(Err(e)) => Some(Outcome::Error(e.clone())),
                None => None,
            };
        }
        None
    }
    fn animating(&self, _ctx: &Ctx) -> bool {
        self.scanning.is_some()
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            PoolCmd::Unused.name(),
            PoolCmd::Missing.name(),
            PoolCmd::Duplicates.name(),
            PoolCmd::Purge.name(),
        ]
    }
}
