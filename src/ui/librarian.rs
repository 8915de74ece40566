//! The librarian view: the patch database as a list (device, name, slot, favourite, tags),
//! filtered by name, tag or favourites; rename, tag, favourite and hide patches; audition
//! (send to the edit buffer, optionally on every cursor move); store to a slot; link a patch to
//! an Octatrack MIDI track (writes CHAN, BANK, SBNK and PROG of the current part's NOTE SETUP).
//!
//! MIDI sends run on a short-lived thread so the UI never waits for a device.

use super::action::{ActionDef, Input, act};
use super::view::{Ctx, Outcome, View, ViewInfo};
use crate::librarian::Registry;
use crate::librarian::db::{Database, PatchFilter, PatchRow};
use crate::librarian::device::{self, Cancel, SendTarget};
use crate::librarian::octatrack;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::sync::mpsc::{Receiver, Sender, channel};

const INFO: ViewInfo = ViewInfo {
    id: "librarian",
    switch: act(
        "view.librarian",
        "Show the sysex librarian",
        &["F12", "shift+F12"],
    ),
};

/// Every action of the librarian view.
pub const ACTIONS: &[ActionDef] = &[
    act("librarian.up", "Previous patch", &["up"]),
    act("librarian.down", "Next patch", &["down"]),
    act("librarian.page_up", "Up one page", &["pageup"]),
    act("librarian.page_down", "Down one page", &["pagedown"]),
    act("librarian.top", "First patch", &["home"]),
    act("librarian.bottom", "Last patch", &["end"]),
    act("librarian.search", "Filter by name", &["/"]),
    act("librarian.tag_filter", "Filter by tag", &["#"]),
    act(
        "librarian.favourites_only",
        "Show only favourites (toggle)",
        &["*"],
    ),
    act("librarian.favourite", "Mark / unmark favourite", &["f"]),
    act("librarian.rename", "Rename the patch", &["r"]),
    act("librarian.tag", "Add a tag (-tag removes it)", &["t"]),
    act("librarian.hide", "Hide the patch", &["H"]),
    act(
        "librarian.audition",
        "Send the patch to the synth's edit buffer",
        &["enter"],
    ),
    act(
        "librarian.auto_audition",
        "Audition on every cursor move (toggle)",
        &["a"],
    ),
    act(
        "librarian.send_slot",
        "Store the patch to a program slot (asks)",
        &["S"],
    ),
    act(
        "librarian.link",
        "Link the patch to a MIDI track of the current part (sets NOTE SETUP)",
        &["L"],
    ),
    act("librarian.reload", "Reload the database", &["R"]),
];

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
        }
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

    fn action(&mut self, name: &str) -> Outcome {
        let page = 16;
        match name {
            "librarian.up" => self.move_to(self.cursor.saturating_sub(1)),
            "librarian.down" => self.move_to(self.cursor + 1),
            "librarian.page_up" => self.move_to(self.cursor.saturating_sub(page)),
            "librarian.page_down" => self.move_to(self.cursor + page),
            "librarian.top" => self.move_to(0),
            "librarian.bottom" => self.move_to(self.rows.len()),
            "librarian.search" => Outcome::Prompt {
                title: "Filter by name (empty: all)".into(),
                tag: "librarian.search",
                initial: self.filter.search.clone().unwrap_or_default(),
            },
            "librarian.tag_filter" => Outcome::Prompt {
                title: "Filter by tag (empty: all)".into(),
                tag: "librarian.tag_filter",
                initial: self.filter.tag.clone().unwrap_or_default(),
            },
            "librarian.favourites_only" => {
                self.filter.favourites = !self.filter.favourites;
                self.reload();
                Outcome::Handled
            }
            "librarian.favourite" => self.with_patch(|db, p, _| {
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
            "librarian.hide" => self.with_patch(|db, p, _| {
                db.set_hidden(p.id, true)
                    .map(|_| format!("'{}' hidden (list --hidden shows it)", p.name.trim()))
                    .map_err(|e| e.to_string())
            }),
            "librarian.rename" => match self.current() {
                Some(p) => Outcome::Prompt {
                    title: "New name".into(),
                    tag: "librarian.rename",
                    initial: p.name.trim().to_string(),
                },
                None => Outcome::Error("no patch selected".into()),
            },
            "librarian.tag" => Outcome::Prompt {
                title: "Tag to add (-tag removes)".into(),
                tag: "librarian.tag",
                initial: String::new(),
            },
            "librarian.audition" => self.audition(),
            "librarian.auto_audition" => {
                self.auto_audition = !self.auto_audition;
                Outcome::Message(format!(
                    "audition on cursor move {}",
                    if self.auto_audition { "on" } else { "off" }
                ))
            }
            "librarian.send_slot" => Outcome::Prompt {
                title: "Store to program number (0-based)".into(),
                tag: "librarian.slot",
                initial: self
                    .current()
                    .and_then(|p| p.program)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            },
            "librarian.link" => Outcome::Prompt {
                title: "Link to MIDI track (1-8) of the current part, optional channel (1-16): 3 5"
                    .into(),
                tag: "librarian.link",
                initial: String::new(),
            },
            "librarian.reload" => {
                self.reload();
                Outcome::Handled
            }
            _ => Outcome::Ignored,
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
        let out = super::edits::edit_part(ctx, bank, part, &label, |x| {
            let note = &mut x.midi_setups[t].note.0;
            note[0] = s.channel;
            note[1] = s.bank;
            note[2] = s.program;
            note[4] = s.sub_bank;
            Ok(())
        });
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
        t
    }

    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        self.ensure_loaded();
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
            Input::Answer(tag, text) => self.answer(tag, &text, ctx),
            Input::Scroll(d) => {
                let row = (self.cursor as i64 + i64::from(d) * 3).max(0) as usize;
                self.move_to(row)
            }
            Input::Click { y, .. } => self.move_to(self.top + usize::from(y.saturating_sub(1))),
            Input::Char(_) => Outcome::Ignored,
        };
        match (out, self.drain_results()) {
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

        v.handle(Input::Action("librarian.down"), &mut ctx);
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

        v.handle(Input::Action("librarian.top"), &mut ctx);
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
        v.handle(Input::Action("librarian.down"), &mut ctx);
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
}
