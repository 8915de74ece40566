//! The start screen: the sets and projects under a folder (or on the mounted drives), each
//! project with its last change, tempo, sample slots and missing samples, and, for the one under
//! the cursor, the banks holding patterns. Enter opens a project in the tracker; from any
//! project `ctrl+alt+o` comes back here (asking first when there are unsaved changes).
//!
//! Shown when the tracker is started on a folder that is not a project (a set, a folder of
//! sets), or without a path when sets are found on the mounted drives or in the music folders.
//! `n` makes a new project in the cursor's set and `m` renames the project under it (names by
//! the device's rules: a refused character is named), `d` deletes it after asking (it goes to
//! its set's trash), `r` searches again, `q` / Esc quits.

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
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

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
        };
        s.refresh();
        s
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

    /// Handles a key.
    pub fn key(&mut self, k: KeyEvent) -> StartOutcome {
        if k.kind == KeyEventKind::Release {
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
                KeyCode::Enter => {
                    let done = if p.new_in_set {
                        sets::manage::new_project(&p.target.join(&p.text))
                    } else {
                        sets::manage::rename_project(&p.target, &p.text)
                    };
                    match done {
                        Ok(r) => {
                            self.refresh();
                            if let Some(i) = self
                                .items
                                .iter()
                                .position(|i| matches!(i, Item::Project(e) if e.path == r.dest))
                            {
                                self.cursor = i;
                            }
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
                    });
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
                        "Enter: open · n: new project · m: rename · d: delete (to the set's trash) · r: search again · q: quit · ctrl+alt+o in a project: back here",
                    ),
                ]
            }
            None => vec![Line::from(
                "No project found here. octa project new SET/NAME creates one; q quits.",
            )],
        };
        f.render_widget(Paragraph::new(detail_text), detail);
        let status_text = match &self.prompt {
            Some(p) => format!(
                "{}: {}▏ (Enter: apply, Esc: cancel){}",
                if p.new_in_set {
                    "new project name"
                } else {
                    "rename to"
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

/// Whether `k` is the key back to the start screen (`ctrl+alt+o`).
pub fn is_back_key(k: &KeyEvent) -> bool {
    k.kind != KeyEventKind::Release
        && matches!(k.code, KeyCode::Char('o') | KeyCode::Char('O'))
        && k.modifiers
            .contains(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The tracker's hook: the back key quits the tracker (asking about unsaved changes as
/// `ctrl+q` does) and marks the way back; any later key outside that question unmarks it.
/// True when the key was taken.
pub fn intercept(app: &mut crate::ui::App, k: &KeyEvent) -> bool {
    if is_back_key(k) {
        // The demo and a new untitled project have no list to go back to: going "back" would
        // make a new demo or a new blank project in their place.
        if home().is_empty() {
            app.info("no start screen here: octa was opened on the demo or a new project");
            return true;
        }
        BACK.store(true, Ordering::SeqCst);
        app.action("app.quit");
        return true;
    }
    if app.overlay != crate::ui::app::Overlay::ConfirmQuit {
        BACK.store(false, Ordering::SeqCst);
    }
    false
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
            let w = rx
                .recv()
                .map_err(|_| std::io::Error::other("terminal input ended"))?;
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
