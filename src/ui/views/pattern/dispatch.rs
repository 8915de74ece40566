//! Dispatch: actions, clicks and typed keys to cursor moves and edit commands (one undo step
//! each).

use super::actions::PatternCmd;
use super::*;
use crate::ui::command::NavCmd;

impl PatternView {
    /// Runs an edit command of the editor core on `block` (cursor from the view) as one undo
    /// step; its report goes to the status line.
    pub(super) fn exec(&self, ctx: &mut Ctx, block: Block, cmd: Command) -> Outcome {
        let scope = Scope {
            at: Self::at(ctx),
            track: self.cursor.track,
            step: self.cursor.row,
            block,
        };
        match command::execute(&mut ctx.doc, &scope, &cmd) {
            Ok(m) if m.is_empty() => Outcome::Handled,
            Ok(m) => Outcome::Message(m),
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    /// A shared motion: moves the cursor (a selection started by `pattern.mark` follows it,
    /// any other selection is dropped).
    pub(super) fn nav(&mut self, nav: NavCmd, ctx: &mut Ctx) -> Outcome {
        let layout = self.layout(ctx);
        self.clamp_cursor(ctx, &layout);
        self.entry.clear();
        self.motion(nav, ctx, &layout);
        if !ctx.doc.selection.sticky {
            ctx.doc.selection.anchor = None;
        }
        Outcome::Handled
    }

    fn motion(&mut self, nav: NavCmd, ctx: &Ctx, layout: &[TrackCols]) {
        match nav {
            NavCmd::Up => self.move_rows(ctx, -1),
            NavCmd::Down => self.move_rows(ctx, 1),
            NavCmd::Left => self.move_cols(layout, -1),
            NavCmd::Right => self.move_cols(layout, 1),
            NavCmd::PageUp => self.move_rows(ctx, -16),
            NavCmd::PageDown => self.move_rows(ctx, 16),
            NavCmd::Top => self.cursor.row = 0,
            NavCmd::Bottom => self.cursor.row = Self::rows(ctx) - 1,
        }
    }

    /// Runs one of the view's commands.
    pub(super) fn command(&mut self, cmd: PatternCmd, ctx: &mut Ctx) -> Outcome {
        let layout = self.layout(ctx);
        self.clamp_cursor(ctx, &layout);
        if let PatternCmd::Note(semis) = cmd {
            return self.note_entry(ctx, semis);
        }
        if let Some(out) = self.recorder_command(cmd.name(), ctx) {
            return out;
        }
        if cmd != PatternCmd::Enter && !self.entry.is_empty() {
            self.entry.clear();
        }
        let at = Self::at(ctx);
        let (t, s) = (self.cursor.track, self.cursor.row);
        let col = self.cursor_col(&layout);
        let out = match cmd {
            PatternCmd::Note(_) => Outcome::Handled,
            // Handled above by the recorder band and track-settings panel.
            PatternCmd::RecorderBand
            | PatternCmd::RecSource(_)
            | PatternCmd::RecOneshot
            | PatternCmd::TrackSettings => Outcome::Handled,
            PatternCmd::Select(nav) => {
                self.start_select(ctx);
                self.motion(nav, ctx, &layout);
                Outcome::Handled
            }
            PatternCmd::Track(d) => {
                self.cursor.track = (t as i64 + i64::from(d)).rem_euclid(TRACKS as i64) as usize;
                self.cursor.col = 0;
                if !ctx.doc.selection.sticky {
                    ctx.doc.selection.anchor = None;
                }
                Outcome::Handled
            }
            PatternCmd::Mark => {
                if ctx.doc.selection.anchor.is_some() {
                    ctx.doc.selection.anchor = None;
                } else {
                    self.start_select(ctx);
                    ctx.doc.selection.sticky = true;
                }
                Outcome::Handled
            }
            PatternCmd::SelectTrack => {
                ctx.doc.selection.anchor = Some((0, t, 0));
                self.cursor.row = Self::rows(ctx) - 1;
                self.cursor.col = layout[t].cols.len() - 1;
                Outcome::Handled
            }
            PatternCmd::SelectAll => {
                ctx.doc.selection.anchor = Some((0, 0, 0));
                self.cursor.row = Self::rows(ctx) - 1;
                self.cursor.track = TRACKS - 1;
                self.cursor.col = layout[TRACKS - 1].cols.len() - 1;
                Outcome::Handled
            }
            PatternCmd::SelectClear => {
                ctx.doc.selection.anchor = None;
                self.entry.clear();
                Outcome::Handled
            }
            PatternCmd::ToggleTrig | PatternCmd::ToggleTrigless => {
                let cmd = if cmd == PatternCmd::ToggleTrig {
                    Command::ToggleTrig
                } else {
                    Command::ToggleTrigless
                };
                let out = self.exec(ctx, self.cell_block(&layout), cmd);
                self.advance(ctx);
                out
            }
            PatternCmd::Clear => match self.selection(ctx, &layout) {
                Some(b) => self.exec(ctx, b, Command::Clear),
                None if col == Col::Trig => {
                    self.exec(ctx, self.cell_block(&layout), Command::ClearStep)
                }
                None => self.exec(ctx, self.cell_block(&layout), Command::Clear),
            },
            PatternCmd::ClearStep => {
                let b = self.block_or_cell(ctx, &layout);
                self.exec(ctx, b, Command::ClearStep)
            }
            PatternCmd::Enter if self.entry.is_empty() => match col {
                Col::Lock(i) => {
                    let kind = &layout[t].kind;
                    let range = value::Unit::of(kind.param(i)).display_range();
                    let current = match chord_index(t, col) {
                        Some(ci) => at
                            .chord_note(&ctx.doc, t, s, ci)
                            .map(crate::format::note_name),
                        None => Some(at.cell_get(&ctx.doc, t, col, s))
                            .filter(|&v| v != EMPTY)
                            .map(|v| kind.lock_value(i, v as u8)),
                    };
                    let range = if chord_index(t, col).is_some() {
                        "a note name like E-4".to_string()
                    } else {
                        range
                    };
                    Self::prompt(
                        &format!(
                            "{} {} step {}: value as displayed ({range}), #N for a stored N, empty clears",
                            track_name(t),
                            kind.lock_name(i),
                            s + 1
                        ),
                        "pattern.lock_value",
                        current.unwrap_or_default(),
                    )
                }
                _ => Outcome::Handled,
            },
            PatternCmd::Enter => self.commit_entry(ctx, &layout),
            PatternCmd::Octave(d) => {
                self.octave = (i16::from(self.octave) + i16::from(d)).clamp(0, 8) as u8;
                Outcome::Message(format!("octave {}", self.octave))
            }
            PatternCmd::EditStep(d) => {
                ctx.edit_step = (ctx.edit_step as i64 + i64::from(d)).clamp(0, 16) as usize;
                Outcome::Message(format!("edit step {}", ctx.edit_step))
            }
            PatternCmd::Follow => {
                self.follow = !self.follow;
                Outcome::Message(
                    if self.follow {
                        "follow: the cursor moves with the playhead"
                    } else {
                        "follow off"
                    }
                    .into(),
                )
            }
            PatternCmd::ToggleHex => {
                self.hex = !self.hex;
                Outcome::Message(
                    if self.hex {
                        "hex entry"
                    } else {
                        "decimal entry"
                    }
                    .into(),
                )
            }
            PatternCmd::Cond(d) => {
                let b = self.block_or_cell(ctx, &layout);
                self.exec(ctx, b, Command::CycleCondition(d))
            }
            PatternCmd::CondPick => {
                let cur = at.word(&ctx.doc, t, s).condition();
                Self::prompt(
                    "Condition: FILL NOT FILL PRE NOT PRE NEI NOT NEI 1ST NOT 1ST 1%..99% A:B, - = none",
                    "pattern.cond",
                    if cur == TrigCondition::None {
                        String::new()
                    } else {
                        cur.to_string()
                    },
                )
            }
            PatternCmd::Micro(d) => {
                let b = self.block_or_cell(ctx, &layout);
                self.exec(ctx, b, Command::NudgeMicro(d))
            }
            PatternCmd::MicroPick => Self::prompt(
                "Micro-timing in 1/384 steps (-23..23)",
                "pattern.micro",
                at.word(&ctx.doc, t, s).micro_timing().0.to_string(),
            ),
            PatternCmd::Retrig(d) => {
                let b = self.block_or_cell(ctx, &layout);
                self.exec(ctx, b, Command::NudgeRetrig(d))
            }
            PatternCmd::Flag(m) => self.exec(ctx, self.cell_block(&layout), Command::ToggleFlag(m)),
            PatternCmd::AddColumn => Self::prompt(
                "Add lock column: type a parameter name (or lock byte 0-31), tab completes",
                "pattern.add_column",
                String::new(),
            ),
            PatternCmd::RemoveColumn => match col {
                Col::Lock(i) => {
                    self.extra[t].remove(&i);
                    self.hidden[t].insert(i);
                    Outcome::Message(format!(
                        "column {} hidden (its locks are kept)",
                        layout[t].kind.lock_name(i)
                    ))
                }
                _ => Outcome::Error("only lock columns can be removed".into()),
            },
            PatternCmd::Copy | PatternCmd::Cut => {
                let b = self.block_or_cell(ctx, &layout);
                ctx.doc.clipboard = block::copy(&ctx.doc, at, &b);
                ctx.doc.selection.anchor = None;
                if cmd == PatternCmd::Cut {
                    self.exec(ctx, b, Command::Cut)
                } else {
                    Outcome::Message(format!(
                        "copied {} x {}",
                        ctx.doc.clipboard.rows.len(),
                        ctx.doc.clipboard.cols.len()
                    ))
                }
            }
            PatternCmd::Paste(mix) => {
                let cmd = Command::Paste {
                    clip: ctx.doc.clipboard.clone(),
                    mix,
                };
                self.exec(ctx, self.cell_block(&layout), cmd)
            }
            PatternCmd::Transpose(semis) => {
                let mut b = self.block_or_cell(ctx, &layout);
                if ctx.doc.selection.anchor.is_none() && chord_index(t, col).is_none() {
                    b.cols = vec![(t, Col::Note)];
                }
                self.exec(ctx, b, Command::Transpose(semis))
            }
            PatternCmd::Interpolate => match self.selection(ctx, &layout) {
                Some(b) => self.exec(ctx, b, Command::Interpolate),
                None => Outcome::Error("select rows of a lock column first".into()),
            },
            PatternCmd::FillEvery => {
                Self::prompt("Trig every N steps", "pattern.fill_every", "4".into())
            }
            PatternCmd::Euclid => Self::prompt(
                "Euclidean: hits steps [rotation], repeated over the track's length",
                "pattern.euclid",
                format!("5 {} 0", Self::track_len(ctx, t).clamp(1, STEPS)),
            ),
            PatternCmd::Randomize => {
                let b = self.block_or_cell(ctx, &layout);
                let unit = Self::range_unit(&layout, &b);
                let (lo, hi) = (unit.show(0), unit.show(unit.max_stored().min(127)));
                Self::prompt(
                    &format!("Randomize locks: min max ({})", unit.range_text()),
                    "pattern.randomize",
                    format!("{lo} {hi}"),
                )
            }
            PatternCmd::Double => self.double(ctx, &layout),
            PatternCmd::Script => {
                let target = self.script_target(ctx, &layout);
                let entries =
                    crate::ui::script_menu::entries(crate::ui::script_menu::user_dir().as_deref());
                Self::prompt(
                    &crate::ui::script_menu::title(&entries, &target),
                    "pattern.script",
                    String::new(),
                )
            }
            PatternCmd::Rotate(_) | PatternCmd::Reverse | PatternCmd::Halve => {
                let b = self.block_or_track(ctx, &layout);
                let cmd = match cmd {
                    PatternCmd::Rotate(d) => Command::Rotate(d),
                    PatternCmd::Reverse => Command::Reverse,
                    _ => Command::Halve,
                };
                self.exec(ctx, b, cmd)
            }
            PatternCmd::AssignPart => {
                let p = ctx.nav.part as u8;
                self.exec(ctx, self.cell_block(&layout), Command::AssignPart(p))
            }
            PatternCmd::SetLength => Self::prompt(
                "Length in steps (1-64)",
                "pattern.length",
                Self::track_len(ctx, t).to_string(),
            ),
            PatternCmd::SetTempo => Self::prompt(
                "Pattern tempo (BPM)",
                "pattern.tempo",
                ctx.doc
                    .info(at.bank, at.pattern)
                    .map_or(String::new(), |i| format!("{:.1}", i.bpm)),
            ),
        };
        if ctx.doc.selection.anchor.is_none() {
            ctx.doc.selection.sticky = false;
        }
        out
    }

    pub(super) fn click(&mut self, x: u16, y: u16, ctx: &mut Ctx) -> Outcome {
        if y < self.grid_top {
            return Outcome::Ignored;
        }
        let row = self.scroll_row + (y - self.grid_top) as usize;
        if row >= Self::rows(ctx) {
            return Outcome::Ignored;
        }
        if let Some((_, _, t, c)) = self.hit.iter().find(|(cx, w, _, _)| x >= *cx && x < cx + w) {
            self.cursor = Cursor {
                row,
                track: *t,
                col: *c,
            };
            ctx.doc.selection.anchor = None;
        } else {
            self.cursor.row = row;
        }
        Outcome::Handled
    }

    /// A command of the recorder band or track-settings panel (`None`: not theirs).
    fn recorder_command(&mut self, name: &str, ctx: &mut Ctx) -> Option<Outcome> {
        crate::ui::track_settings::action(
            &mut self.recorder,
            name,
            ctx,
            Self::at(ctx),
            self.cursor.track,
            self.cursor.row,
        )
    }

    pub(super) fn handle_input(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        match input {
            Input::Action(name) => match PatternCmd::from_name(name) {
                Some(cmd) => self.command(cmd, ctx),
                None => Outcome::Ignored,
            },
            Input::Nav(nav) => match self.recorder_command(nav.name(), ctx) {
                // The track-settings panel, when open, takes the motions.
                Some(out) => out,
                None => self.nav(nav, ctx),
            },
            Input::Char(c) => {
                let layout = self.layout(ctx);
                self.clamp_cursor(ctx, &layout);
                self.typed(ctx, c, &layout)
            }
            Input::Answer(tag, text) => self.answer(tag, &text, ctx),
            Input::Click { x, y } => self.click(x, y, ctx),
            Input::Scroll(d) => {
                self.move_rows(ctx, d as i64 * 3);
                Outcome::Handled
            }
        }
    }
}
