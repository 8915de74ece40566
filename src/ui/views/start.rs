//! The start screen: the sets and projects under a folder (or on the mounted drives), each
//! project with its last change, tempo, sample slots and missing samples, and, for the one under
//! the cursor, the banks holding patterns. Enter opens a project in the tracker; from any
//! project `ctrl+alt+o` comes back here (asking first when there are unsaved changes).
//!
//! Shown when the tracker is started on a folder that is not a project (a set, a folder of
//! sets), or without a path when sets are found on the mounted drives or in the music folders.
//! `n` makes a new project in the cursor's set and `m` renames the project under it (names by
//! the device's rules: a refused character is named), `d` deletes it after asking (it goes to
//! its set's trash), `c` copies and `v` moves it into a set chosen from those found (a name,
//! then a question naming the files, bytes and free space; the copy runs in the background
//! with its progress shown, Esc cancels it and nothing half-copied is left), `t` lists the
//! cursor's set's trash (Enter brings a project back), `r` searches again, `q` / Esc quits.

use crate::project::sets::summary::{self, Summary};
use crate::project::sets::{self, Discovery, ProjectEntry, ScanLimits};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// One line of the list.
#[derive(Debug, Clone)]
pub enum Item {
    /// A set's heading.
    Set {
        /// Its name.
        name: String,
        /// Its folder.
        path: PathBuf,
        /// The device it is on, its project count and its pool, as shown.
        about: [String; 3],
    },
    /// A project.
    Project(ProjectEntry),
}

/// A name being typed on the start screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// A new project in this set (`true`), or a new name for this project (`false`).
    pub new_in_set: bool,
    /// The set or project folder.
    pub target: PathBuf,
    /// The text so far.
    pub text: String,
    /// A copy (`Some(false)`) or move (`Some(true)`) of `target` into this set, named `text`.
    pub into: Option<(PathBuf, bool)>,
}

/// Choosing the set a project is copied or moved into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// The project.
    pub project: PathBuf,
    /// A move (else a copy).
    pub moving: bool,
    /// The sets found.
    pub sets: Vec<PathBuf>,
    /// The one under the cursor.
    pub cursor: usize,
}

/// A copy or move planned and waiting for `y`.
#[derive(Debug)]
pub struct PendingCopy {
    /// The project.
    pub project: PathBuf,
    /// A move (else a copy).
    pub moving: bool,
    /// The plan (nothing written yet).
    pub plan: sets::manage::CopyPlan,
}

/// Progress of the copy running in the background.
#[derive(Debug, Default)]
pub struct JobProgress {
    /// Files written.
    pub files: AtomicU64,
    /// Bytes written.
    pub bytes: AtomicU64,
    /// Set by Esc: the copy stops at the next file and removes what it wrote.
    pub cancel: AtomicBool,
}

/// Called with the number of files written after each one, in the copy's thread, before the
/// cancel flag is looked at (tests hold the copy there).
#[derive(Clone)]
pub struct FileHook(pub Arc<dyn Fn(u64) + Send + Sync>);

impl std::fmt::Debug for FileHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileHook")
    }
}

/// A copy or move running in the background.
pub struct Job {
    /// What it is, as shown (`copying ALPHA into SET_B`).
    pub label: String,
    /// Files and bytes to write.
    pub total: (u64, u64),
    /// Its progress.
    pub progress: Arc<JobProgress>,
    done: std::sync::mpsc::Receiver<Result<sets::manage::Report, String>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("label", &self.label).finish()
    }
}

/// The cursor's set's trash, listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashView {
    /// The set.
    pub set: PathBuf,
    /// (stamp, name) of each deleted project, oldest first.
    pub entries: Vec<(String, String)>,
    /// The one under the cursor.
    pub cursor: usize,
}

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartOutcome {
    /// Stay on the start screen.
    Stay,
    /// Open this project folder.
    Open(PathBuf),
    /// Leave octa.
    Quit,
}

/// The start screen's state (no terminal: [`StartScreen::render`] draws into any frame).
#[derive(Debug)]
pub struct StartScreen {
    /// Where it looks.
    pub roots: Vec<PathBuf>,
    /// The lines.
    pub items: Vec<Item>,
    /// The line under the cursor.
    pub cursor: usize,
    /// Summaries made so far, by project folder.
    pub summaries: HashMap<PathBuf, Summary>,
    /// The status line.
    pub message: String,
    /// A delete waiting for `y`.
    pub confirm_delete: Option<PathBuf>,
    /// A name being typed: for a new project in a set, or a project's new name.
    pub prompt: Option<Prompt>,
    /// What discovery reported (unreadable folders).
    pub problems: Vec<String>,
    /// Choosing a destination set for a copy or move.
    pub pick: Option<Pick>,
    /// A copy or move planned, waiting for `y`.
    pub pending: Option<PendingCopy>,
    /// The copy or move running.
    pub job: Option<Job>,
    /// The trash being shown.
    pub trash: Option<TrashView>,
    /// See [`FileHook`].
    pub on_file: Option<FileHook>,
}

fn when(secs: Option<u64>) -> String {
    sets::utc_minutes(secs)
}

fn items_of(d: &Discovery) -> Vec<Item> {
    let mut out = Vec::new();
    for s in &d.sets {
        let pool = match s.pool {
            sets::Pool::Present { samples, bytes, .. } => {
                format!("{samples} samples, {}", sets::human_bytes(bytes))
            }
            sets::Pool::Missing => "no AUDIO pool".into(),
            sets::Pool::Unreadable => "pool not readable".into(),
        };
        out.push(Item::Set {
            name: s.name.clone(),
            path: s.path.clone(),
            about: [
                s.device.label().to_string(),
                format!("{} projects", s.projects.len()),
                format!("pool: {pool}"),
            ],
        });
        out.extend(s.projects.iter().cloned().map(Item::Project));
    }
    if !d.loose.is_empty() {
        out.push(Item::Set {
            name: "(outside any set)".into(),
            path: PathBuf::new(),
            about: Default::default(),
        });
        out.extend(d.loose.iter().cloned().map(Item::Project));
    }
    out
}

impl StartScreen {
    /// Searches `roots` and lists what it finds, the cursor on the first project.
    pub fn new(roots: Vec<PathBuf>) -> Self {
        let mut s = Self {
            roots,
            items: Vec::new(),
            cursor: 0,
            summaries: HashMap::new(),
            message: String::new(),
            confirm_delete: None,
            prompt: None,
            problems: Vec::new(),
            pick: None,
            pending: None,
            job: None,
            trash: None,
            on_file: None,
        };
        s.refresh();
        s
    }

    /// Scans again and puts the cursor on the project at `dest` (when it is listed).
    fn refresh_at(&mut self, dest: &Path) {
        self.refresh();
        if let Some(i) = self
            .items
            .iter()
            .position(|i| matches!(i, Item::Project(e) if e.path == dest))
        {
            self.cursor = i;
        }
    }

    /// Searches again (keeping the cursor on the same project when it is still there).
    pub fn refresh(&mut self) {
        let keep = self.selected().map(Path::to_path_buf);
        let d = sets::discover(&self.roots, ScanLimits::default());
        self.problems = d.problems.clone();
        self.items = items_of(&d);
        self.summaries.clear();
        self.cursor = keep
            .and_then(|k| {
                self.items
                    .iter()
                    .position(|i| matches!(i, Item::Project(p) if p.path == k))
            })
            .or_else(|| {
                self.items
                    .iter()
                    .position(|i| matches!(i, Item::Project(_)))
            })
            .unwrap_or(0);
        let n = self.projects();
        self.message = format!(
            "{n} project(s) in {} set(s){}",
            self.items
                .iter()
                .filter(|i| matches!(i, Item::Set { path, .. } if !path.as_os_str().is_empty()))
                .count(),
            if self.problems.is_empty() {
                String::new()
            } else {
                format!(
                    " · {} folder(s) not read: {}",
                    self.problems.len(),
                    self.problems[0]
                )
            }
        );
    }

    /// Projects listed.
    pub fn projects(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i, Item::Project(_)))
            .count()
    }

    /// The project folder under the cursor.
    pub fn selected(&self) -> Option<&Path> {
        match self.items.get(self.cursor) {
            Some(Item::Project(p)) => Some(&p.path),
            _ => None,
        }
    }

    fn summary(&mut self, dir: &Path, banks: bool) -> Summary {
        let have = self.summaries.get(dir);
        if let Some(s) = have
            && (!banks || s.banks.is_some())
        {
            return s.clone();
        }
        let s = summary::summarize(dir, banks);
        self.summaries.insert(dir.to_path_buf(), s.clone());
        s
    }

    fn step(&mut self, down: bool) {
        let n = self.items.len();
        let mut c = self.cursor;
        for _ in 0..n {
            c = if down {
                (c + 1).min(n.saturating_sub(1))
            } else {
                c.saturating_sub(1)
            };
            if matches!(self.items.get(c), Some(Item::Project(_))) {
                self.cursor = c;
                return;
            }
        }
    }

    /// The sets listed (their folders).
    pub fn set_paths(&self) -> Vec<PathBuf> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Set { path, .. } if !path.as_os_str().is_empty() => Some(path.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether a copy or move is running.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Takes the result of a finished copy or move (the list is searched again and the status
    /// line says what happened); true when one finished.
    pub fn poll(&mut self) -> bool {
        let Some(job) = &self.job else {
            return false;
        };
        let r = match job.done.try_recv() {
            Ok(r) => r,
            Err(std::sync::mpsc::TryRecvError::Empty) => return false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err("the copy stopped without a result".into())
            }
        };
        let label = job.label.clone();
        self.job = None;
        let msg = match r {
            Ok(r) => {
                let mut m = format!(
                    "done: {} ({} files, {})",
                    r.dest.display(),
                    r.written,
                    sets::human_bytes(r.bytes)
                );
                if let Some(t) = &r.trashed {
                    m.push_str(&format!(" · the source is in the trash: {}", t.display()));
                }
                self.refresh_at(&r.dest);
                m
            }
            Err(e) => {
                self.refresh();
                format!("{label}: {e}")
            }
        };
        self.message = msg;
        true
    }

    /// Waits for the running copy or move to finish and takes its result (tests, and the end).
    pub fn wait(&mut self) {
        while self.job.is_some() {
            if !self.poll() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }

    /// Plans the copy or move the prompt describes and asks (or says why not).
    fn plan_copy(&mut self, p: Prompt, into: PathBuf, moving: bool) {
        let src = p.target.clone();
        let same_set = src.parent() == Some(into.as_path());
        if moving && same_set {
            // A move within its set is a rename.
            match sets::manage::rename_project(&src, &p.text) {
                Ok(r) => {
                    self.refresh();
                    self.message = format!("renamed: {}", r.dest.display());
                }
                Err(e) => {
                    self.message = format!("refused: {e}");
                    self.prompt = Some(p);
                }
            }
            return;
        }
        let plan = sets::manage::plan_project_copy(&src, &into, &p.text)
            .and_then(|plan| sets::manage::check_space(&plan).map(|()| plan));
        match plan {
            Ok(plan) => {
                let free = sets::space::free_bytes(&into)
                    .map(sets::human_bytes)
                    .unwrap_or_else(|_| "?".into());
                self.message = format!(
                    "{} {} into {} as {}: {} files, {} ({} into the pool, {} missing noted; {free} free)? y: {}, other: cancel",
                    if moving { "Move" } else { "Copy" },
                    src.file_name().unwrap_or_default().to_string_lossy(),
                    into.display(),
                    p.text,
                    plan.file_count(),
                    sets::human_bytes(plan.bytes),
                    plan.pool.len(),
                    plan.notes.iter().filter(|n| n.contains("missing")).count(),
                    if moving {
                        "copy, then the source goes to its set's trash"
                    } else {
                        "copy"
                    }
                );
                self.pending = Some(PendingCopy {
                    project: src,
                    moving,
                    plan,
                });
            }
            Err(e @ sets::manage::SetError::Name(_))
            | Err(e @ sets::manage::SetError::Exists(_)) => {
                // The name stays to be corrected.
                self.message = format!("refused: {e}");
                self.prompt = Some(p);
            }
            Err(e) => self.message = format!("refused: {e}"),
        }
    }

    /// Starts the planned copy or move in the background.
    fn start_job(&mut self, pc: PendingCopy) {
        let progress = Arc::new(JobProgress::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let label = format!(
            "{} {} into {}",
            if pc.moving { "moving" } else { "copying" },
            pc.project.file_name().unwrap_or_default().to_string_lossy(),
            pc.plan
                .dest
                .parent()
                .and_then(Path::file_name)
                .unwrap_or_default()
                .to_string_lossy()
        );
        let total = (pc.plan.file_count() as u64, pc.plan.bytes);
        let prog = progress.clone();
        let hook = self.on_file.clone();
        let spawned = std::thread::Builder::new()
            .name("octa-set-copy".into())
            .spawn(move || {
                let watch: sets::manage::Watch = Box::new(move |_, bytes| {
                    let n = prog.files.fetch_add(1, Ordering::SeqCst) + 1;
                    prog.bytes.fetch_add(bytes, Ordering::SeqCst);
                    if let Some(h) = &hook {
                        (h.0)(n);
                    }
                    !prog.cancel.load(Ordering::SeqCst)
                });
                let r = crate::project::durable::ProjectLock::acquire(&pc.project)
                    .map_err(sets::manage::SetError::from)
                    .and_then(|_lock| {
                        if pc.moving {
                            sets::manage::finish_move(&pc.project, &pc.plan, Some(watch))
                        } else {
                            sets::manage::execute(&pc.plan, Some(watch))
                        }
                    });
                let _ = tx.send(r.map_err(|e| e.to_string()));
            });
        match spawned {
            Ok(_) => {
                self.message = format!("{label}…");
                self.job = Some(Job {
                    label,
                    total,
                    progress,
                    done: rx,
                });
            }
            Err(e) => self.message = format!("{label}: not started: {e}"),
        }
    }

    fn key_trash(&mut self, mut t: TrashView, k: KeyEvent) {
        match k.code {
            KeyCode::Down | KeyCode::Char('j') => {
                t.cursor = (t.cursor + 1).min(t.entries.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => t.cursor = t.cursor.saturating_sub(1),
            KeyCode::Enter => {
                if let Some((stamp, name)) = t.entries.get(t.cursor).cloned() {
                    match sets::manage::restore_project(&t.set, &name, Some(&stamp)) {
                        Ok(r) => {
                            self.refresh_at(&r.dest);
                            self.message = format!("restored: {}", r.dest.display());
                            return;
                        }
                        Err(e) => self.message = format!("not restored: {e}"),
                    }
                }
            }
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('t') => {
                self.message.clear();
                return;
            }
            _ => {}
        }
        self.trash = Some(t);
    }

    /// Handles a key.
    pub fn key(&mut self, k: KeyEvent) -> StartOutcome {
        if k.kind == KeyEventKind::Release {
            return StartOutcome::Stay;
        }
        self.poll();
        if let Some(job) = &self.job {
            // While copying only Esc does something: it cancels.
            if k.code == KeyCode::Esc {
                job.progress.cancel.store(true, Ordering::SeqCst);
                self.message = format!("{}: cancelling…", job.label);
            }
            return StartOutcome::Stay;
        }
        if let Some(pc) = self.pending.take() {
            if matches!(k.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                self.start_job(pc);
            } else {
                self.message = "copy cancelled; nothing was written".into();
            }
            return StartOutcome::Stay;
        }
        if let Some(t) = self.trash.take() {
            self.key_trash(t, k);
            return StartOutcome::Stay;
        }
        if let Some(mut pk) = self.pick.take() {
            match k.code {
                KeyCode::Down | KeyCode::Char('j') => {
                    pk.cursor = (pk.cursor + 1).min(pk.sets.len().saturating_sub(1));
                }
                KeyCode::Up | KeyCode::Char('k') => pk.cursor = pk.cursor.saturating_sub(1),
                KeyCode::Enter => {
                    if let Some(set) = pk.sets.get(pk.cursor).cloned() {
                        let name = pk
                            .project
                            .file_name()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned();
                        self.message.clear();
                        self.prompt = Some(Prompt {
                            new_in_set: false,
                            target: pk.project,
                            text: name,
                            into: Some((set, pk.moving)),
                        });
                    }
                    return StartOutcome::Stay;
                }
                KeyCode::Esc | KeyCode::Char('q') => {
                    self.message = "cancelled".into();
                    return StartOutcome::Stay;
                }
                _ => {}
            }
            self.pick = Some(pk);
            return StartOutcome::Stay;
        }
        if let Some(mut p) = self.prompt.take() {
            match k.code {
                KeyCode::Esc => self.message = "cancelled".into(),
                KeyCode::Backspace => {
                    p.text.pop();
                    self.prompt = Some(p);
                }
                KeyCode::Char(c) => {
                    p.text.push(c);
                    self.prompt = Some(p);
                }
                KeyCode::Enter if p.into.is_some() => {
                    if let Some((into, moving)) = p.into.clone() {
                        self.plan_copy(p, into, moving);
                    }
                }
                KeyCode::Enter => {
                    let done = if p.new_in_set {
                        sets::manage::new_project(&p.target.join(&p.text))
                    } else {
                        sets::manage::rename_project(&p.target, &p.text)
                    };
                    match done {
                        Ok(r) => {
                            self.refresh_at(&r.dest);
                            self.message = format!("done: {}", r.dest.display());
                        }
                        Err(e) => {
                            // The name stays to be corrected; the message names what is refused.
                            self.message = format!("refused: {e}");
                            self.prompt = Some(p);
                        }
                    }
                }
                _ => self.prompt = Some(p),
            }
            return StartOutcome::Stay;
        }
        if let Some(dir) = self.confirm_delete.take() {
            if matches!(k.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                self.message = match sets::manage::delete_project(&dir) {
                    Ok(r) => format!(
                        "moved to the trash: {} (octa project restore brings it back)",
                        r.dest.display()
                    ),
                    Err(e) => format!("not deleted: {e}"),
                };
                let msg = self.message.clone();
                self.refresh();
                self.message = msg;
            } else {
                self.message = "delete cancelled".into();
            }
            return StartOutcome::Stay;
        }
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Down | KeyCode::Char('j') => self.step(true),
            KeyCode::Up | KeyCode::Char('k') => self.step(false),
            KeyCode::Home => {
                self.cursor = 0;
                self.step(true);
                self.step(false);
            }
            KeyCode::End => {
                self.cursor = self.items.len().saturating_sub(1);
                self.step(false);
                self.step(true);
            }
            KeyCode::Enter => {
                if let Some(p) = self.selected() {
                    return StartOutcome::Open(p.to_path_buf());
                }
            }
            KeyCode::Char('r') => self.refresh(),
            KeyCode::Char('d') | KeyCode::Delete => {
                if let Some(p) = self.selected().map(Path::to_path_buf) {
                    self.message = format!(
                        "Delete project {}? It goes to its set's trash with all {} (y: delete, other: keep)",
                        p.file_name().unwrap_or_default().to_string_lossy(),
                        "its files and project-local samples"
                    );
                    self.confirm_delete = Some(p);
                }
            }
            KeyCode::Char('n') => {
                let set = self
                    .selected()
                    .and_then(Path::parent)
                    .map(Path::to_path_buf)
                    .or_else(|| {
                        self.items.iter().find_map(|i| match i {
                            Item::Set { path, .. } if !path.as_os_str().is_empty() => {
                                Some(path.clone())
                            }
                            _ => None,
                        })
                    });
                if let Some(set) = set {
                    self.message.clear();
                    self.prompt = Some(Prompt {
                        new_in_set: true,
                        target: set,
                        text: String::new(),
                        into: None,
                    });
                }
            }
            KeyCode::Char('m') => {
                if let Some(p) = self.selected().map(Path::to_path_buf) {
                    self.message.clear();
                    self.prompt = Some(Prompt {
                        new_in_set: false,
                        text: p
                            .file_name()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned(),
                        target: p,
                        into: None,
                    });
                }
            }
            KeyCode::Char(c @ ('c' | 'v')) if !ctrl => {
                if let Some(p) = self.selected().map(Path::to_path_buf) {
                    let sets = self.set_paths();
                    let cursor = sets
                        .iter()
                        .position(|s| Some(s.as_path()) != p.parent())
                        .unwrap_or(0);
                    self.message.clear();
                    self.pick = Some(Pick {
                        project: p,
                        moving: c == 'v',
                        sets,
                        cursor,
                    });
                }
            }
            KeyCode::Char('t') => {
                let set = self
                    .selected()
                    .and_then(Path::parent)
                    .map(Path::to_path_buf)
                    .or_else(|| self.set_paths().into_iter().next());
                if let Some(set) = set {
                    let entries: Vec<(String, String)> = sets::manage::trash_list(&set)
                        .into_iter()
                        .map(|(s, n, _)| (s, n))
                        .collect();
                    self.message = if entries.is_empty() {
                        format!("the trash of {} is empty", set.display())
                    } else {
                        String::new()
                    };
                    if !entries.is_empty() {
                        let cursor = entries.len() - 1;
                        self.trash = Some(TrashView {
                            set,
                            entries,
                            cursor,
                        });
                    }
                }
            }
            KeyCode::Char('q') | KeyCode::Esc => return StartOutcome::Quit,
            KeyCode::Char('c') if ctrl => return StartOutcome::Quit,
            _ => {}
        }
        StartOutcome::Stay
    }

    /// Draws the list, the details of the project under the cursor and the status line.
    pub fn render(&mut self, f: &mut Frame, area: Rect) {
        let [head, body, detail, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(3),
            Constraint::Length(1),
        ])
        .areas(area);
        f.render_widget(
            Paragraph::new(format!(
                "octa · sets and projects in {}",
                self.roots
                    .iter()
                    .map(|r| r.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .style(Style::default().add_modifier(Modifier::BOLD)),
            head,
        );
        // Summaries for the rows that can be seen (tempo and samples come from project.work).
        let visible = body.height.saturating_sub(3) as usize;
        let first = self.cursor.saturating_sub(visible.saturating_sub(1));
        let paths: Vec<PathBuf> = self
            .items
            .iter()
            .skip(first)
            .take(visible.max(1))
            .filter_map(|i| match i {
                Item::Project(p) => Some(p.path.clone()),
                _ => None,
            })
            .collect();
        for p in &paths {
            self.summary(p, false);
        }
        let rows: Vec<Row> = self
            .items
            .iter()
            .map(|i| match i {
                Item::Set { name, about, .. } => Row::new(vec![
                    format!("▸ {name}"),
                    about[0].clone(),
                    String::new(),
                    about[1].clone(),
                    about[2].clone(),
                ])
                .style(Style::default().add_modifier(Modifier::BOLD)),
                Item::Project(p) => {
                    let s = self.summaries.get(&p.path);
                    let tempo = s
                        .and_then(|s| s.tempo)
                        .map_or("-".into(), |t| format!("{t:.1}"));
                    let missing = s.map_or(String::new(), |s| {
                        if s.problem.is_some() {
                            "unreadable".into()
                        } else if s.missing > 0 {
                            format!("{} of {} missing", s.missing, s.slots)
                        } else {
                            format!("{} ok", s.slots)
                        }
                    });
                    Row::new(vec![
                        format!("  {}", p.name),
                        when(p.modified),
                        tempo,
                        missing,
                        sets::human_bytes(p.bytes),
                    ])
                }
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(36),
                Constraint::Length(18),
                Constraint::Length(7),
                Constraint::Length(18),
                Constraint::Min(10),
            ],
        )
        .header(
            Row::new(vec!["project", "last change", "tempo", "samples", "size"])
                .style(Style::default().add_modifier(Modifier::UNDERLINED)),
        )
        .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED))
        .block(Block::default().borders(Borders::ALL).title(" sets "));
        let mut state = TableState::default().with_selected(Some(self.cursor));
        f.render_stateful_widget(table, body, &mut state);
        let detail_text = match self.selected().map(Path::to_path_buf) {
            Some(p) => {
                let s = self.summary(&p, true);
                let banks = s
                    .banks
                    .as_ref()
                    .map(|b| {
                        if b.is_empty() {
                            "none".to_string()
                        } else {
                            b.iter()
                                .map(|i| ((b'A' + *i as u8) as char).to_string())
                                .collect::<Vec<_>>()
                                .join(" ")
                        }
                    })
                    .unwrap_or_default();
                vec![
                    Line::from(format!("{}", p.display())),
                    Line::from(format!(
                        "banks in use: {banks} · tempo {} · {} sample slot(s), {} missing{}",
                        s.tempo.map_or("-".into(), |t| format!("{t:.1} BPM")),
                        s.slots,
                        s.missing,
                        s.problem.map(|e| format!(" · {e}")).unwrap_or_default()
                    )),
                    Line::from(
                        "Enter: open · n: new · m: rename · c: copy · v: move (to a set) · d: delete (to the trash) · t: trash · r: search again · q: quit · ctrl+alt+o in a project: back here",
                    ),
                ]
            }
            None => vec![Line::from(
                "No project found here. octa project new SET/NAME creates one; q quits.",
            )],
        };
        f.render_widget(Paragraph::new(detail_text), detail);
        self.render_popup(f, body);
        if let Some(job) = &self.job {
            let files = job.progress.files.load(Ordering::SeqCst);
            let bytes = job.progress.bytes.load(Ordering::SeqCst);
            let pct = (bytes * 100)
                .checked_div(job.total.1)
                .unwrap_or(100)
                .min(100);
            let text = format!(
                "{}: {files}/{} files, {} of {} ({pct}%) · Esc: cancel (nothing half-copied is left){}",
                job.label,
                job.total.0,
                sets::human_bytes(bytes),
                sets::human_bytes(job.total.1),
                if job.progress.cancel.load(Ordering::SeqCst) {
                    " · cancelling…"
                } else {
                    ""
                }
            );
            f.render_widget(Paragraph::new(text), status);
            return;
        }
        let status_text = match &self.prompt {
            Some(p) => format!(
                "{}: {}▏ (Enter: apply, Esc: cancel){}",
                match &p.into {
                    Some((set, moving)) => format!(
                        "{} into {} as",
                        if *moving { "move" } else { "copy" },
                        set.file_name().unwrap_or_default().to_string_lossy()
                    ),
                    None if p.new_in_set => "new project name".into(),
                    None => "rename to".into(),
                },
                p.text,
                if self.message.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", self.message)
                }
            ),
            None => self.message.clone(),
        };
        f.render_widget(Paragraph::new(status_text), status);
    }
}

impl StartScreen {
    /// The destination sets (copy, move) or the trash, over the list.
    fn render_popup(&self, f: &mut Frame, body: Rect) {
        let (title, lines, cursor): (String, Vec<String>, usize) = match (&self.pick, &self.trash) {
            (Some(pk), _) => (
                format!(
                    " {} {} into which set? (Enter: choose, Esc: cancel) ",
                    if pk.moving { "move" } else { "copy" },
                    pk.project.file_name().unwrap_or_default().to_string_lossy()
                ),
                pk.sets
                    .iter()
                    .map(|s| {
                        let free = sets::space::free_bytes(s)
                            .map(sets::human_bytes)
                            .unwrap_or_else(|_| "?".into());
                        format!(
                            "{}{}  ({free} free)  {}",
                            s.file_name().unwrap_or_default().to_string_lossy(),
                            if Some(s.as_path()) == pk.project.parent() {
                                " (its own set)"
                            } else {
                                ""
                            },
                            s.display()
                        )
                    })
                    .collect(),
                pk.cursor,
            ),
            (None, Some(t)) => (
                format!(
                    " trash of {} (Enter: restore, Esc: back; octa set trash --empty deletes) ",
                    t.set.file_name().unwrap_or_default().to_string_lossy()
                ),
                t.entries
                    .iter()
                    .map(|(s, n)| format!("{n}  deleted {s}"))
                    .collect(),
                t.cursor,
            ),
            (None, None) => return,
        };
        let h = (lines.len() as u16 + 2).min(body.height);
        let area = Rect {
            x: body.x + 2,
            y: body.y + 1,
            width: body.width.saturating_sub(4),
            height: h,
        }
        .intersection(body);
        let rows: Vec<Row> = lines.into_iter().map(|l| Row::new(vec![l])).collect();
        let table = Table::new(rows, [Constraint::Min(10)])
            .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED))
            .block(Block::default().borders(Borders::ALL).title(title));
        let mut state = TableState::default().with_selected(Some(cursor));
        f.render_widget(ratatui::widgets::Clear, area);
        f.render_stateful_widget(table, area, &mut state);
    }
}

/// Set when the tracker was left with the back key: show the start screen again.
static BACK: AtomicBool = AtomicBool::new(false);
/// Where the start screen looks when coming back.
static HOME: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn home() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    match HOME.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// Marks the way back to the start screen before the tracker quits (`app.start_screen`,
/// `ctrl+alt+o` by default). False, and nothing marked, when there is no start screen to go
/// back to: the demo and a new untitled project have no list, and going "back" would make a new
/// demo or a new blank project in their place.
pub fn request_back() -> bool {
    if home().is_empty() {
        return false;
    }
    BACK.store(true, Ordering::SeqCst);
    true
}

/// The tracker's hook, called before each key is handled: a key other than the answer to the
/// quit question (asked after `app.start_screen`) unmarks the way back.
pub fn intercept(app: &crate::ui::App, k: &KeyEvent) {
    if k.kind != KeyEventKind::Release && app.overlay != crate::ui::app::Overlay::ConfirmQuit {
        BACK.store(false, Ordering::SeqCst);
    }
}

/// Whether the tracker ended with the back key (and clears it).
pub fn back_requested() -> bool {
    BACK.swap(false, Ordering::SeqCst)
}

/// Where the start screen looks for `opts`: `None` when the tracker opens directly (a project
/// folder, a zip, the demo, or no path with nothing found).
pub fn roots_for(opts: &crate::ui::RunOptions) -> Option<Vec<PathBuf>> {
    if opts.demo {
        return None;
    }
    match &opts.path {
        Some(p) if p.is_dir() && !sets::is_project(p) => Some(vec![p.clone()]),
        Some(_) => None,
        None => {
            let roots = sets::default_roots();
            let d = sets::discover(&roots, ScanLimits::default());
            (d.sets.iter().any(|s| !s.projects.is_empty()) || !d.loose.is_empty()).then_some(roots)
        }
    }
}

/// Shows the start screen when `opts` call for it (see [`roots_for`]) and returns the options
/// with the chosen project; `None` when the user quits there.
pub fn choose(mut opts: crate::ui::RunOptions) -> Option<crate::ui::RunOptions> {
    let roots = {
        let h = home();
        if h.is_empty() { None } else { Some(h.clone()) }
    };
    let roots = match roots.or_else(|| roots_for(&opts)) {
        Some(r) => r,
        None => {
            // Opened directly: coming back shows the project's set.
            if let Some(p) = &opts.path
                && let Some(parent) = p
                    .canonicalize()
                    .ok()
                    .and_then(|c| c.parent().map(Path::to_path_buf))
            {
                *home() = vec![parent];
            }
            return Some(opts);
        }
    };
    *home() = roots.clone();
    let mut screen = StartScreen::new(roots);
    match run(&mut screen) {
        Ok(Some(p)) => {
            opts.path = Some(p);
            opts.demo = false;
            Some(opts)
        }
        Ok(None) => None,
        Err(e) => {
            crate::errln!("octa: terminal error: {e}");
            None
        }
    }
}

/// Runs the start screen in the terminal until a project is chosen (`Some`) or the user quits.
pub fn run(screen: &mut StartScreen) -> std::io::Result<Option<PathBuf>> {
    use crossterm::event::Event;
    use crossterm::execute;
    use crossterm::terminal::{
        EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
    };
    enable_raw_mode()?;
    let mut out = std::io::stdout();
    let restore = || {
        let _ = disable_raw_mode();
        let _ = execute!(std::io::stdout(), LeaveAlternateScreen);
    };
    if let Err(e) = execute!(out, EnterAlternateScreen) {
        restore();
        return Err(e);
    }
    let result = (|| {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))?;
        let (tx, rx) = std::sync::mpsc::channel();
        crate::ui::input_route::listen(tx)?;
        loop {
            terminal
                .draw(|f| screen.render(f, f.area()))
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            let w = if screen.busy() {
                // Redraw the progress while the copy runs.
                match rx.recv_timeout(std::time::Duration::from_millis(100)) {
                    Ok(w) => w,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        screen.poll();
                        continue;
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(std::io::Error::other("terminal input ended"));
                    }
                }
            } else {
                rx.recv()
                    .map_err(|_| std::io::Error::other("terminal input ended"))?
            };
            match w {
                crate::ui::terminal::Wake::Input(Event::Key(k)) => match screen.key(k) {
                    StartOutcome::Stay => {}
                    StartOutcome::Open(p) => return Ok(Some(p)),
                    StartOutcome::Quit => return Ok(None),
                },
                crate::ui::terminal::Wake::Input(Event::Resize(..)) => {
                    terminal
                        .autoresize()
                        .map_err(|e| std::io::Error::other(e.to_string()))?;
                }
                crate::ui::terminal::Wake::Failed(e) => return Err(e),
                _ => {}
            }
        }
    })();
    restore();
    use std::io::Write;
    let _ = out.flush();
    result
}
