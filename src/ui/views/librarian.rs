//! The librarian view: the patch database as a list (device, name, slot, favourite, tags),
//! filtered by name, tag or favourites; rename, tag, favourite and hide patches; audition
//! (send to the edit buffer, optionally on every cursor move); store to a slot; link a patch to
//! an Octatrack MIDI track (writes CHAN, BANK, SBNK and PROG of the current part's NOTE SETUP).
//!
//! MIDI sends run on a short-lived thread so the UI never waits for a device; so do device
//! detection and fetches (edit buffer, programs, banks), with their progress in the title,
//! the CLI's timeouts, and a cancel key; their results are stored in the database here.

use crate::librarian::Registry;
use crate::librarian::db::{Database, PatchFilter, PatchRow};
use crate::librarian::device::{self, Cancel, FetchResult, Found, Progress, SendTarget, Timing};
use crate::librarian::octatrack;
use crate::midi::MidiSystem;
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::command::NavCmd;
use crate::ui::view::{Ctx, Outcome, View, ViewInfo};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

const INFO: ViewInfo = ViewInfo {
    id: "librarian",
    switch: act(
        "view.librarian",
        "Show the sysex librarian",
        &["F12", "shift+F12"],
    ),
};

crate::ui::command::commands! {
    /// A command of the librarian.
    pub enum LibrarianCmd {
        Search { "librarian.search", "Filter by name", ["/"]; }
        TagFilter { "librarian.tag_filter", "Filter by tag", ["#"]; }
        FavouritesOnly { "librarian.favourites_only", "Show only favourites (toggle)", ["*"]; }
        Favourite { "librarian.favourite", "Mark / unmark favourite", ["f"]; }
        Rename { "librarian.rename", "Rename the patch", ["r"]; }
        Tag { "librarian.tag", "Add a tag (-tag removes it)", ["t"]; }
        Hide { "librarian.hide", "Hide the patch", ["H"]; }
        Audition { "librarian.audition", "Send the patch to the synth's edit buffer", ["enter"]; }
        AutoAudition { "librarian.auto_audition", "Audition on every cursor move (toggle)", ["a"]; }
        SendSlot { "librarian.send_slot", "Store the patch to a program slot (asks)", ["S"]; }
        Link { "librarian.link", "Link the patch to a MIDI track of the current part (sets NOTE SETUP)", ["L"]; }
        Reload { "librarian.reload", "Reload the database", ["R"]; }
        Detect { "librarian.detect", "Detect synths on every MIDI port (in the background)", ["d"]; }
        Fetch { "librarian.fetch", "Fetch from a synth: DEVICE [bank N | program N] (asks; edit buffer by default)", ["F"]; }
        Cancel { "librarian.cancel", "Cancel the running detect or fetch", ["x"]; }
    }
}

/// Every action of the view (the table of [`LibrarianCmd`]).
pub const ACTIONS: &[ActionDef] = LibrarianCmd::ACTIONS;

/// Makes the MIDI system a background job talks to (the machine's, or a simulated one).
pub type SystemFactory = Arc<dyn Fn() -> Box<dyn MidiSystem> + Send + Sync>;

/// What a background job reports.
enum JobMsg {
    Progress(String),
    Detected(Result<Vec<Found>, String>),
    Fetched {
        device: String,
        source: String,
        result: Result<FetchResult, String>,
    },
}

/// A running detect or fetch.
struct Job {
    what: String,
    progress: String,
    cancel: Cancel,
    rx: Receiver<JobMsg>,
}

fn progress_text(p: &Progress) -> String {
    match p {
        Progress::Probing {
            device,
            port,
            done,
            total,
        } => format!("{device}: probing {port} ({}/{total})", done + 1),
        Progress::Fetching { done, total } => format!("{done}/{total}"),
        Progress::Sending { done, total } => format!("sent {done}/{total}"),
    }
}

/// The librarian view.
pub struct LibrarianView {
    db: Option<Database>,
    db_error: Option<String>,
    registry: Registry,
    rows: Vec<PatchRow>,
    filter: PatchFilter,
    cursor: usize,
    top: usize,
    auto_audition: bool,
    pending_slot: Option<u32>,
    results: (Sender<String>, Receiver<String>),
    loaded: bool,
    job: Option<Job>,
    /// The last finished job's outcome (shown in the title).
    last_job: Option<String>,
    system: SystemFactory,
    timing: Timing,
}

impl Default for LibrarianView {
    fn default() -> Self {
        Self::new()
    }
}

impl LibrarianView {
    /// A view over the default database (opened when first shown).
    pub fn new() -> Self {
        Self {
            db: None,
            db_error: None,
            registry: Registry::builtin(),
            rows: Vec::new(),
            filter: PatchFilter::default(),
            cursor: 0,
            top: 0,
            auto_audition: false,
            pending_slot: None,
            results: channel(),
            loaded: false,
            job: None,
            last_job: None,
            system: Arc::new(crate::midi::ports::open_system),
            timing: Timing::default(),
        }
    }

    /// Uses another MIDI system and timing for detect and fetch (tests, embedding).
    pub fn with_midi(mut self, system: SystemFactory, timing: Timing) -> Self {
        self.system = system;
        self.timing = timing;
        self
    }

    /// Whether a detect or fetch runs.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn start_job(
        &mut self,
        what: String,
        work: impl FnOnce(&Sender<JobMsg>, &Cancel) + Send + 'static,
    ) -> Outcome {
        if let Some(j) = &self.job {
            return Outcome::Error(format!("{} is still running (x cancels it)", j.what));
        }
        let (tx, rx) = channel();
        let cancel = Cancel::new();
        let c = cancel.clone();
        let spawned = std::thread::Builder::new()
            .name("octa-librarian".into())
            .spawn(move || {
                work(&tx, &c);
                crate::wake::wake();
            });
        if let Err(e) = spawned {
            return Outcome::Error(format!("cannot start {what}: {e}"));
        }
        let shown = format!("{what}... (x cancels)");
        self.job = Some(Job {
            what,
            progress: String::new(),
            cancel,
            rx,
        });
        Outcome::Message(shown)
    }

    fn detect(&mut self) -> Outcome {
        let adaptations = self.registry.everything();
        let (system, timing) = (Arc::clone(&self.system), self.timing);
        self.start_job("detect".into(), move |tx, cancel| {
            let mut sys = system();
            let r = device::detect(sys.as_mut(), &adaptations, &timing, cancel, &mut |p| {
                let _ = tx.send(JobMsg::Progress(progress_text(&p)));
                crate::wake::wake();
            });
            let _ = tx.send(JobMsg::Detected(r.map_err(|e| e.to_string())));
        })
    }

    fn fetch(&mut self, text: &str) -> Outcome {
        let mut words: Vec<&str> = text.split_whitespace().collect();
        // DEVICE may have spaces: the last two words may be `bank N` / `program N`.
        let mut what: Option<(bool, u32)> = None;
        if words.len() >= 2 {
            let (k, n) = (words[words.len() - 2], words[words.len() - 1]);
            if let Ok(n) = n.parse::<u32>() {
                match k {
                    "bank" => what = Some((true, n)),
                    "program" => what = Some((false, n)),
                    _ => {}
                }
            }
            if what.is_some() {
                words.truncate(words.len() - 2);
            }
        }
        let name = if words.is_empty() {
            match self.current() {
                Some(p) => p.device.clone(),
                None => return Outcome::Error("type a device name (no patch selected)".into()),
            }
        } else {
            words.join(" ")
        };
        let Some(a) = self.registry.find(&name) else {
            return Outcome::Error(format!("no adaptation named '{name}'"));
        };
        let loc = match self.db.as_ref().map(|db| db.device_location(&a.name())) {
            Some(Ok(Some(l))) => l,
            Some(Err(e)) => return Outcome::Error(e.to_string()),
            _ => {
                return Outcome::Error(format!(
                    "{} has no known port: detect it first (d)",
                    a.name()
                ));
            }
        };
        let bank = match what {
            Some((true, 0)) => return Outcome::Error("banks are numbered from 1".into()),
            Some((true, b)) => Some(b - 1),
            _ => None,
        };
        let program = what.filter(|w| !w.0).map(|w| w.1);
        let (system, timing) = (Arc::clone(&self.system), self.timing);
        let device = a.name();
        let label = match (bank, program) {
            (Some(b), _) => format!("fetch {device} bank {}", b + 1),
            (None, Some(n)) => format!("fetch {device} program {n}"),
            _ => format!("fetch {device} edit buffer"),
        };
        self.start_job(label, move |tx, cancel| {
            let mut sys = system();
            let progress = &mut |p: Progress| {
                let _ = tx.send(JobMsg::Progress(progress_text(&p)));
                crate::wake::wake();
            };
            let outs = sys
                .outputs()
                .and_then(|o| crate::midi::transport::resolve_port(&o, &loc.out_port));
            let ins = sys
                .inputs()
                .and_then(|i| crate::midi::transport::resolve_port(&i, &loc.in_port));
            let link = match (outs, ins) {
                (Ok(o), Ok(i)) => {
                    device::Link::open(sys.as_mut(), &o, &i, loc.channel).map_err(|e| e.to_string())
                }
                (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
            };
            let result = link.and_then(|mut link| {
                let source = format!("synth:{}", link.out.name());
                let r =
                    match (bank, program) {
                        (Some(b), _) => {
                            device::fetch_bank(&mut link, a.as_ref(), b, &timing, cancel, progress)
                        }
                        (None, Some(n)) => device::fetch_programs(
                            &mut link,
                            a.as_ref(),
                            &[n],
                            &timing,
                            cancel,
                            progress,
                        ),
                        _ => device::fetch_edit_buffer(&mut link, a.as_ref(), &timing, cancel).map(
                            |p| FetchResult {
                                messages: crate::librarian::sysex::messages(&p.data),
                                patches: vec![p],
                                ..FetchResult::default()
                            },
                        ),
                    };
                r.map(|r| (source, r)).map_err(|e| e.to_string())
            });
            let (source, result) = match result {
                Ok((s, r)) => (s, Ok(r)),
                Err(e) => (String::new(), Err(e)),
            };
            let _ = tx.send(JobMsg::Fetched {
                device,
                source,
                result,
            });
        })
    }

    /// Applies what the running job reported; the finished job's outcome, once.
    fn poll_job(&mut self) -> Option<String> {
        let job = self.job.as_mut()?;
        let mut done = None;
        while let Ok(m) = job.rx.try_recv() {
            match m {
                JobMsg::Progress(p) => job.progress = p,
                JobMsg::Detected(r) => done = Some(Ok(r)),
                JobMsg::Fetched {
                    device,
                    source,
                    result,
                } => done = Some(Err((device, source, result))),
            }
        }
        let finished = done?;
        let cancelled = job.cancel.is_cancelled();
        self.job = None;
        let text = match finished {
            Ok(Ok(found)) => self.store_found(&found),
            Ok(Err(e)) => format!("detect failed: {e}"),
            Err((device, source, Ok(r))) => self.store_fetch(&device, &source, &r),
            Err((_, _, Err(e))) => format!("fetch failed: {e}"),
        };
        let text = if cancelled {
            format!("cancelled; {text}")
        } else {
            text
        };
        self.reload();
        self.last_job = Some(text.clone());
        Some(text)
    }

    fn store_found(&mut self, found: &[Found]) -> String {
        if found.is_empty() {
            return "detect: no synth answered".into();
        }
        let Some(db) = self.db.as_ref() else {
            return "detect: no database to remember the ports in".into();
        };
        let mut names = Vec::new();
        for f in found {
            let pinned = db
                .device_location(&f.device)
                .ok()
                .flatten()
                .is_some_and(|l| l.pinned);
            if !pinned {
                let loc = crate::librarian::db::DeviceLocation {
                    out_port: f.out_port.clone(),
                    in_port: f.in_port.clone(),
                    channel: f.channel,
                    pinned: false,
                };
                if let Err(e) = db.set_device_location(&f.device, &loc) {
                    return format!("detect: {e}");
                }
            }
            names.push(format!(
                "{} on {} channel {}",
                f.device,
                f.out_port,
                f.channel + 1
            ));
        }
        format!("found {}", names.join("; "))
    }

    fn store_fetch(&mut self, device: &str, source: &str, r: &FetchResult) -> String {
        let Some(a) = self.registry.find(device) else {
            return format!("the adaptation '{device}' is not loaded");
        };
        let Some(db) = self.db.as_mut() else {
            return "no database to store the patches in".into();
        };
        let loaded = crate::librarian::adaptation::Loaded {
            patches: r.patches.clone(),
            ..Default::default()
        };
        let mut text = match db.store_import(a.as_ref(), source, &r.messages, &loaded) {
            Ok(s) => format!(
                "{device}: {} patch(es) arrived, {} new",
                r.patches.len(),
                s.added
            ),
            Err(e) => return format!("{device}: not stored: {e}"),
        };
        if !r.missing.is_empty() {
            text.push_str(&format!("; {} missing", r.missing.len()));
        }
        if let Some(e) = &r.error {
            text.push_str(&format!("; {e}"));
        }
        text
    }

    /// A view over a given database and adaptations (tests, embedding).
    pub fn with_database(db: Database, registry: Registry) -> Self {
        let mut v = Self::new();
        v.db = Some(db);
        v.registry = registry;
        v.loaded = true;
        v.reload();
        v
    }

    fn ensure_loaded(&mut self) {
        if self.loaded {
            return;
        }
        self.loaded = true;
        self.registry = Registry::load();
        match Database::open_default() {
            Ok(db) => self.db = Some(db),
            Err(e) => self.db_error = Some(e.to_string()),
        }
        self.reload();
    }

    fn reload(&mut self) {
        let Some(db) = &self.db else { return };
        match db.list(&self.filter) {
            Ok(rows) => self.rows = rows,
            Err(e) => self.db_error = Some(e.to_string()),
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    fn current(&self) -> Option<&PatchRow> {
        self.rows.get(self.cursor)
    }

    fn move_to(&mut self, row: usize) -> Outcome {
        let before = self.cursor;
        self.cursor = row.min(self.rows.len().saturating_sub(1));
        if self.auto_audition && self.cursor != before {
            return self.audition();
        }
        Outcome::Handled
    }

    /// Sends the current patch on a background thread; the result comes back as a message.
    fn send(&mut self, target: SendTarget) -> Outcome {
        let Some(p) = self.current().cloned() else {
            return Outcome::Error("no patch selected".into());
        };
        let Some(a) = self.registry.find(&p.device) else {
            return Outcome::Error(format!("the adaptation '{}' is not loaded", p.device));
        };
        let loc = match self.db.as_ref().map(|db| db.device_location(&p.device)) {
            Some(Ok(Some(l))) => l,
            Some(Err(e)) => return Outcome::Error(e.to_string()),
            _ => {
                return Outcome::Error(format!(
                    "{} has no known port: run `octa librarian detect` or `pin`",
                    p.device
                ));
            }
        };
        let tx = self.results.0.clone();
        let shown = format!("sending '{}'...", p.name.trim());
        std::thread::spawn(move || {
            let mut system = crate::midi::ports::open_system();
            let result = system
                .open_out(&loc.out_port)
                .map_err(device::DeviceError::from)
                .and_then(|mut out| {
                    device::send_patch(
                        out.as_mut(),
                        a.as_ref(),
                        &p.sysex,
                        loc.channel,
                        target,
                        &Cancel::new(),
                        &mut |_| {},
                    )
                });
            let msg = match result {
                Ok(_) => format!("sent '{}' to {}", p.name.trim(), p.device),
                Err(e) => format!("send failed: {e}"),
            };
            let _ = tx.send(msg);
            crate::wake::wake();
        });
        Outcome::Message(shown)
    }

    fn audition(&mut self) -> Outcome {
        self.send(SendTarget::EditBuffer)
    }

    fn with_patch(
        &mut self,
        f: impl FnOnce(&mut Database, &PatchRow, &Registry) -> Result<String, String>,
    ) -> Outcome {
        let Some(p) = self.current().cloned() else {
            return Outcome::Error("no patch selected".into());
        };
        let Some(db) = self.db.as_mut() else {
            return Outcome::Error(
                self.db_error
                    .clone()
                    .unwrap_or_else(|| "no database".into()),
            );
        };
        let r = f(db, &p, &self.registry);
        self.reload();
        match r {
            Ok(m) => Outcome::Message(m),
            Err(e) => Outcome::Error(e),
        }
    }

    /// A shared motion over the patch list.
    fn nav(&mut self, nav: NavCmd) -> Outcome {
        let page = 16;
        match nav {
            NavCmd::Up => self.move_to(self.cursor.saturating_sub(1)),
            NavCmd::Down => self.move_to(self.cursor + 1),
            NavCmd::PageUp => self.move_to(self.cursor.saturating_sub(page)),
            NavCmd::PageDown => self.move_to(self.cursor + page),
            NavCmd::Top => self.move_to(0),
            NavCmd::Bottom => self.move_to(self.rows.len()),
            NavCmd::Left | NavCmd::Right => Outcome::Ignored,
        }
    }

    fn action(&mut self, name: &str) -> Outcome {
        let Some(cmd) = LibrarianCmd::from_name(name) else {
            return Outcome::Ignored;
        };
        match cmd {
            LibrarianCmd::Search => Outcome::Prompt {
                title: "Filter by name (empty: all)".into(),
                tag: "librarian.search",
                initial: self.filter.search.clone().unwrap_or_default(),
            },
            LibrarianCmd::TagFilter => Outcome::Prompt {
                title: "Filter by tag (empty: all)".into(),
                tag: "librarian.tag_filter",
                initial: self.filter.tag.clone().unwrap_or_default(),
            },
            LibrarianCmd::FavouritesOnly => {
                self.filter.favourites = !self.filter.favourites;
                self.reload();
                Outcome::Handled
            }
            LibrarianCmd::Favourite => self.with_patch(|db, p, _| {
                db.set_favourite(p.id, !p.favourite)
                    .map(|_| {
                        format!(
                            "'{}' {}",
                            p.name.trim(),
                            if p.favourite {
                                "unmarked"
                            } else {
                                "marked favourite"
                            }
                        )
                    })
                    .map_err(|e| e.to_string())
            }),
            LibrarianCmd::Hide => self.with_patch(|db, p, _| {
                db.set_hidden(p.id, true)
                    .map(|_| format!("'{}' hidden (list --hidden shows it)", p.name.trim()))
                    .map_err(|e| e.to_string())
            }),
            LibrarianCmd::Rename => match self.current() {
                Some(p) => Outcome::Prompt {
                    title: "New name".into(),
                    tag: "librarian.rename",
                    initial: p.name.trim().to_string(),
                },
                None => Outcome::Error("no patch selected".into()),
            },
            LibrarianCmd::Tag => Outcome::Prompt {
                title: "Tag to add (-tag removes)".into(),
                tag: "librarian.tag",
                initial: String::new(),
            },
            LibrarianCmd::Audition => self.audition(),
            LibrarianCmd::AutoAudition => {
                self.auto_audition = !self.auto_audition;
                Outcome::Message(format!(
                    "audition on cursor move {}",
                    if self.auto_audition { "on" } else { "off" }
                ))
            }
            LibrarianCmd::SendSlot => Outcome::Prompt {
                title: "Store to program number (0-based)".into(),
                tag: "librarian.slot",
                initial: self
                    .current()
                    .and_then(|p| p.program)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            },
            LibrarianCmd::Link => Outcome::Prompt {
                title: "Link to MIDI track (1-8) of the current part, optional channel (1-16): 3 5"
                    .into(),
                tag: "librarian.link",
                initial: String::new(),
            },
            LibrarianCmd::Reload => {
                self.reload();
                Outcome::Handled
            }
            LibrarianCmd::Detect => self.detect(),
            LibrarianCmd::Fetch => Outcome::Prompt {
                title: "Fetch from DEVICE [bank N | program N] (empty: the current patch's device, edit buffer)".into(),
                tag: "librarian.fetch",
                initial: String::new(),
            },
            LibrarianCmd::Cancel => match &self.job {
                Some(j) => {
                    j.cancel.cancel();
                    Outcome::Message(format!("cancelling {}...", j.what))
                }
                None => Outcome::Message("nothing to cancel".into()),
            },
        }
    }

    fn answer(&mut self, tag: &str, text: &str, ctx: &mut Ctx) -> Outcome {
        let text = text.trim();
        let none_if_empty = |t: &str| (!t.is_empty()).then(|| t.to_string());
        match tag {
            "librarian.search" => {
                self.filter.search = none_if_empty(text);
                self.reload();
                Outcome::Handled
            }
            "librarian.tag_filter" => {
                self.filter.tag = none_if_empty(text);
                self.reload();
                Outcome::Handled
            }
            "librarian.rename" if !text.is_empty() => {
                let name = text.to_string();
                self.with_patch(move |db, p, reg| {
                    let a = reg.find(&p.device);
                    db.rename(p.id, &name, a.as_deref())
                        .map(|_| format!("renamed to '{name}'"))
                        .map_err(|e| e.to_string())
                })
            }
            "librarian.tag" if !text.is_empty() => {
                let t = text.to_string();
                self.with_patch(move |db, p, _| {
                    let r = match t.strip_prefix('-') {
                        Some(rm) => db.remove_tag(p.id, rm),
                        None => db.add_tag(p.id, &t),
                    };
                    r.map(|_| format!("tags of '{}' updated", p.name.trim()))
                        .map_err(|e| e.to_string())
                })
            }
            "librarian.slot" => match text.parse::<u32>() {
                Ok(n) => {
                    self.pending_slot = Some(n);
                    let what = self
                        .current()
                        .and_then(|p| self.registry.find(&p.device).map(|a| (a, p.name.clone())))
                        .map(|(a, name)| {
                            format!(
                                "Overwrite {} on {} with '{}'? Type yes",
                                a.friendly_program_name(n),
                                a.name(),
                                name.trim()
                            )
                        })
                        .unwrap_or_else(|| "Overwrite the slot? Type yes".into());
                    Outcome::Prompt {
                        title: what,
                        tag: "librarian.confirm",
                        initial: String::new(),
                    }
                }
                Err(_) => Outcome::Error(format!("'{text}' is not a program number")),
            },
            "librarian.confirm" => match (self.pending_slot.take(), text) {
                (Some(n), "yes") => self.send(SendTarget::Program(n)),
                _ => Outcome::Message("not stored".into()),
            },
            "librarian.link" => self.link(text, ctx),
            "librarian.fetch" => self.fetch(text),
            _ => Outcome::Handled,
        }
    }

    /// Writes the patch's NOTE SETUP (channel, bank, sub-bank, program) into MIDI track `M<n>`
    /// of the current part's working copy, as one undo step that sets that part's edited bit.
    fn link(&self, text: &str, ctx: &mut Ctx) -> Outcome {
        let mut nums = text.split_whitespace().map(str::parse::<u8>);
        let (Some(Ok(track)), channel) = (nums.next(), nums.next()) else {
            return Outcome::Error(
                "type a track number 1-8 (and optionally a channel 1-16)".into(),
            );
        };
        let Some(p) = self.current() else {
            return Outcome::Error("no patch selected".into());
        };
        let Some(a) = self.registry.find(&p.device) else {
            return Outcome::Error(format!("the adaptation '{}' is not loaded", p.device));
        };
        let channel = match channel {
            Some(Ok(c)) if (1..=16).contains(&c) => c - 1,
            Some(_) => return Outcome::Error("channel must be 1-16".into()),
            None => self
                .db
                .as_ref()
                .and_then(|db| db.device_location(&p.device).ok().flatten())
                .map_or(0, |l| l.channel),
        };
        let Some(number) = p.program else {
            return Outcome::Error(format!("'{}' has no known program slot", p.name.trim()));
        };
        // the device's numbering (PROG 1..128, OFF), as the parts view shows it
        let off = crate::format::params::midi_select_text;
        let s = match octatrack::track_setup(a.as_ref(), number, track, channel) {
            Ok(s) => s,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let (bank, part) = (ctx.nav.bank, ctx.nav.part);
        let label = format!("link '{}' to part {} M{}", p.name.trim(), part + 1, s.track);
        let t = usize::from(s.track - 1);
        let out = crate::ui::edits::edit_part(ctx, bank, part, &label, |x| {
            let note = &mut x.midi_setups[t].note.0;
            note[0] = s.channel;
            note[1] = s.bank;
            note[2] = s.program;
            note[4] = s.sub_bank;
            Ok(())
        });
        if out == Outcome::Handled {
            // The patch itself goes to its synth when M<n> is auditioned (app.send_linked).
            let port = self
                .db
                .as_ref()
                .and_then(|db| db.device_location(&p.device).ok().flatten());
            let msgs =
                octatrack::audition_sysex(a.as_ref(), &p.sysex, s.channel).unwrap_or_default();
            let link = crate::ui::engines::PatchLink {
                name: p.name.trim().to_string(),
                device: p.device.clone(),
                port: port.map(|l| l.out_port),
                messages: msgs,
            };
            crate::ui::audition::link_patch(&mut ctx.engines, (bank, part, t), link);
        }
        match out {
            Outcome::Handled => Outcome::Message(format!(
                "part {} M{}: CHAN {} BANK {} SBNK {} PROG {}",
                part + 1,
                s.track,
                s.channel + 1,
                off(s.bank),
                off(s.sub_bank),
                off(s.program)
            )),
            other => other,
        }
    }

    /// Messages from finished sends.
    fn drain_results(&self) -> Option<String> {
        self.results.1.try_iter().last()
    }
}

impl View for LibrarianView {
    fn info(&self) -> ViewInfo {
        INFO
    }

    fn title(&self, _ctx: &Ctx) -> String {
        let mut t = format!("Librarian: {} patch(es)", self.rows.len());
        if let Some(s) = &self.filter.search {
            t.push_str(&format!(" name~'{s}'"));
        }
        if let Some(s) = &self.filter.tag {
            t.push_str(&format!(" #{s}"));
        }
        if self.filter.favourites {
            t.push_str(" favourites");
        }
        if self.auto_audition {
            t.push_str(" [audition]");
        }
        match (&self.job, &self.last_job) {
            (Some(j), _) => t.push_str(&format!(" [{} {} - x cancels]", j.what, j.progress)),
            (None, Some(m)) => t.push_str(&format!(" [{m}]")),
            _ => {}
        }
        t
    }

    fn animating(&self, _ctx: &Ctx) -> bool {
        self.job.is_some()
    }

    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        self.ensure_loaded();
        self.poll_job();
        let theme = &ctx.theme;
        let mut lines: Vec<Line> = Vec::new();
        lines.push(Line::styled(
            format!(
                "{:>5}  {:<24} {:<20} {:<10} {}",
                "id", "device", "name", "slot", "tags"
            ),
            theme.style("grid.column_header"),
        ));
        if let Some(e) = &self.db_error {
            lines.push(Line::styled(e.clone(), theme.style("status.error")));
        } else if self.rows.is_empty() {
            lines.push(Line::styled(
                "no patches (octa librarian import FILE.syx, or fetch from a synth)",
                theme.style("grid.dimmed"),
            ));
        }
        let height = usize::from(area.height.saturating_sub(1)).max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + height {
            self.top = self.cursor + 1 - height;
        }
        for (i, p) in self.rows.iter().enumerate().skip(self.top).take(height) {
            let slot = match (p.program, self.registry.find(&p.device)) {
                (Some(n), Some(a)) => a.friendly_program_name(n),
                (Some(n), None) => n.to_string(),
                _ => "-".into(),
            };
            let style = if i == self.cursor {
                theme.style("grid.cursor_row")
            } else {
                theme.style("base")
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!(
                        "{:>5}  {:<24} {:<20} {:<10} ",
                        p.id,
                        p.device,
                        p.name.trim(),
                        slot
                    ),
                    style,
                ),
                Span::styled(
                    format!(
                        "{}{}",
                        if p.favourite { "* " } else { "" },
                        p.tags.join(",")
                    ),
                    theme.style("cell.flag"),
                ),
            ]));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        self.ensure_loaded();
        let out = match input {
            Input::Action(name) => self.action(name),
            Input::Nav(nav) => self.nav(nav),
            Input::Answer(tag, text) => self.answer(tag, &text, ctx),
            Input::Scroll(d) => {
                let row = (self.cursor as i64 + i64::from(d) * 3).max(0) as usize;
                self.move_to(row)
            }
            Input::Click { y, .. } => self.move_to(self.top + usize::from(y.saturating_sub(1))),
            Input::Char(_) => Outcome::Ignored,
        };
        let job = self.poll_job();
        match (out, self.drain_results().or(job)) {
            (Outcome::Handled, Some(m)) => Outcome::Message(m),
            (o, _) => o,
        }
    }

    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            "librarian.audition",
            "librarian.search",
            "librarian.favourite",
            "librarian.link",
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::librarian::file::{read_messages, recognise};
    use crate::project::Project;
    use crate::ui::model::Document;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(v: &mut LibrarianView, ctx: &Ctx) -> Vec<String> {
        let Ok(mut term) = Terminal::new(TestBackend::new(90, 12));
        let _ = term.draw(|f| v.render(f, f.area(), ctx));
        let buf = term.backend().buffer().clone();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn lists_filters_renames_tags_and_links() {
        let Some(path) =
            crate::testutil::corpus("sysex/dsi-prophet08/Prophet_08_Programs_v1.0.syx")
        else {
            return;
        };
        let registry = Registry::builtin();
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
        let r = recognise(&registry, &m.messages, None).unwrap_or_else(|e| panic!("{e}"));
        db.store_import(r.device.as_ref(), "test", &m.messages, &r.loaded)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut v = LibrarianView::with_database(db, registry);
        let mut ctx = Ctx::new(Document::new(Project::new_blank("T")));
        let s = screen(&mut v, &ctx);
        assert!(
            s[1].contains("Wagnerian") && s[1].contains("1-001"),
            "{s:?}"
        );
        assert!(
            v.title(&ctx).starts_with("Librarian: 25"),
            "{}",
            v.title(&ctx)
        );

        v.handle(Input::Nav(NavCmd::Down), &mut ctx);
        let s = screen(&mut v, &ctx);
        assert!(s[2].contains("Tom Sawyer"), "{s:?}");

        v.handle(
            Input::Answer("librarian.search", "strings".into()),
            &mut ctx,
        );
        let names: Vec<String> = v.rows.iter().map(|p| p.name.trim().to_string()).collect();
        assert!(
            names.iter().all(|n| n.to_lowercase().contains("strings")),
            "{names:?}"
        );
        assert!(names.contains(&"T8 Strings".to_string()));

        v.handle(Input::Nav(NavCmd::Top), &mut ctx);
        let id = v.current().map(|p| p.id).unwrap_or_default();
        v.handle(
            Input::Answer("librarian.rename", "Lush Strings".into()),
            &mut ctx,
        );
        v.handle(Input::Answer("librarian.tag", "pad".into()), &mut ctx);
        v.handle(Input::Action("librarian.favourite"), &mut ctx);
        let p = v.db.as_ref().and_then(|db| db.patch(id).ok());
        assert_eq!(p.as_ref().map(|p| p.name.as_str()), Some("Lush Strings"));
        assert_eq!(
            p.as_ref().map(|p| p.tags.clone()),
            Some(vec!["pad".to_string()])
        );
        assert_eq!(p.map(|p| p.favourite), Some(true));

        v.handle(Input::Answer("librarian.search", String::new()), &mut ctx);
        v.handle(Input::Action("librarian.favourites_only"), &mut ctx);
        assert_eq!(v.rows.len(), 1);
        let s = screen(&mut v, &ctx);
        assert!(
            s[1].contains("Lush Strings") && s[1].contains("* pad"),
            "{s:?}"
        );

        let out = v.handle(Input::Answer("librarian.link", "3 5".into()), &mut ctx);
        let program = v.current().and_then(|p| p.program).unwrap_or_default();
        assert_eq!(
            out,
            Outcome::Message(format!(
                "part 1 M3: CHAN 5 BANK OFF SBNK {} PROG {}",
                program / 128 + 1,
                program % 128 + 1
            ))
        );
        // Without MIDI (or a known port) auditioning explains itself instead of hanging.
        let out = v.handle(Input::Action("librarian.audition"), &mut ctx);
        assert!(
            matches!(out, Outcome::Error(ref e) if e.contains("has no known port")),
            "{out:?}"
        );
    }

    #[test]
    fn link_writes_the_note_setup_of_the_current_part_as_one_undo_step() {
        let Some(path) =
            crate::testutil::corpus("sysex/dsi-prophet08/Prophet_08_Programs_v1.0.syx")
        else {
            return;
        };
        let registry = Registry::builtin();
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
        let r = recognise(&registry, &m.messages, None).unwrap_or_else(|e| panic!("{e}"));
        db.store_import(r.device.as_ref(), "test", &m.messages, &r.loaded)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut v = LibrarianView::with_database(db, registry);
        let mut ctx = Ctx::new(Document::new(Project::new_blank("T")));
        ctx.nav.bank = 1;
        ctx.nav.part = 2;
        // The second patch, "Tom Sawyer" (program 1 of bank 1 on the Prophet '08).
        v.handle(Input::Nav(NavCmd::Down), &mut ctx);
        let patch = v.current().cloned().unwrap_or_else(|| panic!("no patch"));
        assert_eq!(patch.name.trim(), "Tom Sawyer");
        let program = patch.program.unwrap_or_else(|| panic!("no program"));
        let bank_before = ctx.doc.bank(1).cloned().unwrap_or_else(|| panic!());
        let undo_before = ctx.doc.history.undo_len();
        let before = bank_before.part(2).unwrap().midi_setups[2].note.0;

        let out = v.handle(Input::Answer("librarian.link", "3 5".into()), &mut ctx);
        // Tom Sawyer is the second program of the first bank: the device numbers it SBNK 1
        // PROG 2, and the message uses the parts view's numbering for the same bytes.
        assert_eq!(
            out,
            Outcome::Message("part 3 M3: CHAN 5 BANK OFF SBNK 1 PROG 2".into())
        );
        // Linked for the session: auditioning M3 of part 3 sends the patch as a Prophet '08
        // edit buffer dump (DSI id 01, device 23, command 03), not as the stored program
        // dump (command 02).
        let link = ctx.engines.patch_links.links.get(&(1, 2, 2));
        let link = link.unwrap_or_else(|| panic!("no link"));
        assert_eq!(link.name, "Tom Sawyer");
        assert_eq!(patch.sysex[..4], [0xF0, 0x01, 0x23, 0x02]);
        assert_eq!(link.messages.len(), 1);
        assert_eq!(link.messages[0][..4], [0xF0, 0x01, 0x23, 0x03]);
        assert_eq!(link.messages[0].last(), Some(&0xF7));
        let after_bank = ctx.doc.bank(1).unwrap_or_else(|| panic!()).clone();
        let after = after_bank.part(2).unwrap().midi_setups[2].note.0;
        let part = after_bank.part(2).unwrap();
        use crate::ui::parts::Field;
        assert_eq!(
            [Field::MidiBank, Field::MidiSbank, Field::MidiProgram].map(|f| f.show(part, 2)),
            ["OFF", "1", "2"]
        );
        // CHAN 5, BANK off (the Prophet '08 selects banks with CC 32), SBNK, PROG.
        let expected = [
            4,
            octatrack::OFF,
            (program % 128) as u8,
            before[3],
            (program / 128) as u8,
            before[5],
        ];
        assert_eq!(after, expected, "before {before:?}");
        assert_ne!(after, before);
        assert_eq!(after[2], 1);
        // Only part 3's edited bit, and nothing else in the bank file.
        assert_eq!(
            after_bank.parts_edited_mask(),
            bank_before.parts_edited_mask() | 0b100
        );
        let mut want = bank_before.clone();
        want.edit_part(2, |p| p.midi_setups[2].note.0 = expected)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after_bank.to_bytes(), want.to_bytes());
        assert_eq!(after_bank.saved_parts(), bank_before.saved_parts());
        let differing = bank_before
            .to_bytes()
            .iter()
            .zip(after_bank.to_bytes())
            .filter(|(a, b)| **a != *b)
            .count();
        assert!(differing <= 4 + 1 + 2, "{differing} bytes changed");
        // One undo step restores every byte.
        assert_eq!(ctx.doc.history.undo_len(), undo_before + 1);
        assert!(ctx.doc.undo().is_some());
        let restored = ctx.doc.bank(1).unwrap_or_else(|| panic!()).to_bytes();
        assert_eq!(restored, bank_before.to_bytes());

        // A track outside M1-M8 changes nothing.
        let out = v.handle(Input::Answer("librarian.link", "9".into()), &mut ctx);
        assert!(matches!(out, Outcome::Error(_)), "{out:?}");
        assert_eq!(ctx.doc.bank(1).unwrap().to_bytes(), bank_before.to_bytes());
    }

    /// Calls `handle` with a harmless action until the background job ends; its message.
    fn wait_job(v: &mut LibrarianView, ctx: &mut Ctx) -> String {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(30) {
            let busy = v.busy();
            let out = v.handle(Input::Nav(NavCmd::Top), ctx);
            if busy && let Outcome::Message(m) = out {
                return m;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the job did not end: {}", v.title(ctx));
    }

    fn fast() -> Timing {
        Timing {
            reply_timeout: std::time::Duration::from_millis(100),
            retries: 0,
            item_limit: std::time::Duration::from_secs(2),
            detect_limit: std::time::Duration::from_millis(100),
        }
    }

    #[test]
    fn detect_runs_in_the_background_and_remembers_the_port() {
        use crate::midi::sim::SimSystem;
        let sim = SimSystem::with_device("Synth");
        let device = sim.clone();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        // A Blofeld: answers the universal identity request with its identity.
        let responder = std::thread::spawn(move || {
            let mut seen = 0;
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                let m = device.messages();
                for r in &m[seen.min(m.len())..] {
                    if r == &[0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7] {
                        device.feed(
                            "Synth",
                            &[
                                0xF0, 0x7E, 0x00, 0x06, 0x02, 0x3E, 0x13, 0x00, 0x00, 0x00, 0x01,
                                0x02, 0x03, 0x04, 0xF7,
                            ],
                        );
                    }
                }
                seen = m.len();
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        let db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let factory: SystemFactory = {
            let sim = sim.clone();
            Arc::new(move || Box::new(sim.clone()) as Box<dyn MidiSystem>)
        };
        let mut v =
            LibrarianView::with_database(db, Registry::builtin()).with_midi(factory, fast());
        let mut ctx = Ctx::new(Document::new(Project::new_blank("T")));
        let out = v.handle(Input::Action("librarian.detect"), &mut ctx);
        assert_eq!(out, Outcome::Message("detect... (x cancels)".into()));
        // A second job waits for the first.
        let again = v.handle(Input::Action("librarian.detect"), &mut ctx);
        assert_eq!(
            again,
            Outcome::Error("detect is still running (x cancels it)".into())
        );
        let m = wait_job(&mut v, &mut ctx);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = responder.join();
        assert!(m.contains("Waldorf Blofeld on Synth channel 1"), "{m}");
        let loc =
            v.db.as_ref()
                .and_then(|db| db.device_location("Waldorf Blofeld").ok().flatten());
        assert_eq!(loc.map(|l| l.out_port), Some("Synth".to_string()));
        assert!(
            v.title(&ctx).contains("[found Waldorf Blofeld"),
            "{}",
            v.title(&ctx)
        );
    }

    #[test]
    fn a_fetch_from_a_silent_synth_is_cancelled_and_says_so() {
        use crate::midi::sim::SimSystem;
        let sim = SimSystem::with_device("Synth");
        let db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        db.set_device_location(
            "Waldorf Blofeld",
            &crate::librarian::db::DeviceLocation {
                out_port: "Synth".into(),
                in_port: "Synth".into(),
                channel: 0,
                pinned: false,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let factory: SystemFactory = {
            let sim = sim.clone();
            Arc::new(move || Box::new(sim.clone()) as Box<dyn MidiSystem>)
        };
        let mut v =
            LibrarianView::with_database(db, Registry::builtin()).with_midi(factory, fast());
        let mut ctx = Ctx::new(Document::new(Project::new_blank("T")));
        let out = v.handle(
            Input::Answer("librarian.fetch", "Waldorf Blofeld bank 1".into()),
            &mut ctx,
        );
        assert_eq!(
            out,
            Outcome::Message("fetch Waldorf Blofeld bank 1... (x cancels)".into())
        );
        // Requests go out while the UI goes on.
        let start = std::time::Instant::now();
        while sim.messages().is_empty() && start.elapsed() < std::time::Duration::from_secs(10) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(!sim.messages().is_empty());
        let c = v.handle(Input::Action("librarian.cancel"), &mut ctx);
        assert_eq!(
            c,
            Outcome::Message("cancelling fetch Waldorf Blofeld bank 1...".into())
        );
        let m = wait_job(&mut v, &mut ctx);
        assert!(m.starts_with("cancelled; "), "{m}");
        // Unknown devices and devices without a port are refused before anything starts.
        let e = v.handle(Input::Answer("librarian.fetch", "Nope".into()), &mut ctx);
        assert_eq!(e, Outcome::Error("no adaptation named 'Nope'".into()));
    }
}
