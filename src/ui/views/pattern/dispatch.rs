//! Dispatch: actions, clicks and typed keys to cursor moves and edit commands (one undo step
//! each).

use super::*;

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

    pub(super) fn action(&mut self, name: &str, ctx: &mut Ctx) -> Outcome {
        let layout = self.layout(ctx);
        self.clamp_cursor(ctx, &layout);
        if let Some(n) = name.strip_prefix("pattern.note.n") {
            let Ok(semis) = n.parse::<u8>() else {
                return Outcome::Ignored;
            };
            return self.note_entry(ctx, semis);
        }
        if name != "pattern.enter" && !self.entry.is_empty() {
            self.entry.clear();
        }
        let at = Self::at(ctx);
        let (t, s) = (self.cursor.track, self.cursor.row);
        let col = self.cursor_col(&layout);
        let selecting = name.starts_with("pattern.select_") && name != "pattern.select_clear";
        if name.starts_with("pattern.select_")
            && !matches!(
                name,
                "pattern.select_track" | "pattern.select_all" | "pattern.select_clear"
            )
        {
            self.start_select(&layout);
        }
        let out = match name {
            "pattern.up" | "pattern.select_up" => {
                self.move_rows(ctx, -1);
                Outcome::Handled
            }
            "pattern.down" | "pattern.select_down" => {
                self.move_rows(ctx, 1);
                Outcome::Handled
            }
            "pattern.left" | "pattern.select_left" => {
                self.move_cols(&layout, -1);
                Outcome::Handled
            }
            "pattern.right" | "pattern.select_right" => {
                self.move_cols(&layout, 1);
                Outcome::Handled
            }
            "pattern.page_up" => {
                self.move_rows(ctx, -16);
                Outcome::Handled
            }
            "pattern.page_down" => {
                self.move_rows(ctx, 16);
                Outcome::Handled
            }
            "pattern.top" => {
                self.cursor.row = 0;
                Outcome::Handled
            }
            "pattern.bottom" => {
                self.cursor.row = Self::rows(ctx) - 1;
                Outcome::Handled
            }
            "pattern.next_track" => {
                self.cursor.track = (t + 1) % TRACKS;
                self.cursor.col = 0;
                Outcome::Handled
            }
            "pattern.prev_track" => {
                self.cursor.track = (t + TRACKS - 1) % TRACKS;
                self.cursor.col = 0;
                Outcome::Handled
            }
            "pattern.mark" => {
                if self.anchor.is_some() {
                    self.anchor = None;
                } else {
                    self.start_select(&layout);
                    self.sticky = true;
                }
                Outcome::Handled
            }
            "pattern.select_track" => {
                self.anchor = Some((0, self.flat(&layout, t, 0)));
                self.cursor.row = Self::rows(ctx) - 1;
                self.cursor.col = layout[t].cols.len() - 1;
                Outcome::Handled
            }
            "pattern.select_all" => {
                self.anchor = Some((0, 0));
                self.cursor.row = Self::rows(ctx) - 1;
                self.cursor.track = TRACKS - 1;
                self.cursor.col = layout[TRACKS - 1].cols.len() - 1;
                Outcome::Handled
            }
            "pattern.select_clear" => {
                self.anchor = None;
                self.entry.clear();
                Outcome::Handled
            }
            "pattern.toggle_trig" | "pattern.toggle_trigless" => {
                let m = if name.ends_with("trigless") {
                    Mask::Trigless
                } else {
                    Mask::Trig
                };
                let cmd = if m == Mask::Trig {
                    Command::ToggleTrig
                } else {
                    Command::ToggleTrigless
                };
                let out = self.exec(ctx, self.cell_block(&layout), cmd);
                self.advance(ctx);
                out
            }
            "pattern.clear" => match self.selection(&layout) {
                Some(b) => self.exec(ctx, b, Command::Clear),
                None if col == Col::Trig => {
                    self.exec(ctx, self.cell_block(&layout), Command::ClearStep)
                }
                None => self.exec(ctx, self.cell_block(&layout), Command::Clear),
            },
            "pattern.clear_step" => {
                let b = self.block_or_cell(&layout);
                self.exec(ctx, b, Command::ClearStep)
            }
            "pattern.enter" if self.entry.is_empty() => match col {
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
            "pattern.enter" => self.commit_entry(ctx, &layout),
            "pattern.octave_up" => {
                self.octave = (self.octave + 1).min(8);
                Outcome::Message(format!("octave {}", self.octave))
            }
            "pattern.octave_down" => {
                self.octave = self.octave.saturating_sub(1);
                Outcome::Message(format!("octave {}", self.octave))
            }
            "pattern.edit_step_up" => {
                ctx.edit_step = (ctx.edit_step + 1).min(16);
                Outcome::Message(format!("edit step {}", ctx.edit_step))
            }
            "pattern.edit_step_down" => {
                ctx.edit_step = ctx.edit_step.saturating_sub(1);
                Outcome::Message(format!("edit step {}", ctx.edit_step))
            }
            "pattern.follow" => {
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
            "pattern.toggle_hex" => {
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
            "pattern.cond_next" | "pattern.cond_prev" => {
                let b = self.block_or_cell(&layout);
                let d = if name.ends_with("next") { 1 } else { -1 };
                self.exec(ctx, b, Command::CycleCondition(d))
            }
            "pattern.cond_pick" => {
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
            "pattern.micro_inc" | "pattern.micro_dec" => {
                let d: i8 = if name.ends_with("inc") { 1 } else { -1 };
                let b = self.block_or_cell(&layout);
                self.exec(ctx, b, Command::NudgeMicro(d))
            }
            "pattern.micro_pick" => Self::prompt(
                "Micro-timing in 1/384 steps (-23..23)",
                "pattern.micro",
                at.word(&ctx.doc, t, s).micro_timing().0.to_string(),
            ),
            "pattern.retrig_inc" | "pattern.retrig_dec" => {
                let d: i8 = if name.ends_with("inc") { 1 } else { -1 };
                let b = self.block_or_cell(&layout);
                self.exec(ctx, b, Command::NudgeRetrig(d))
            }
            "pattern.toggle_oneshot" | "pattern.toggle_slide" | "pattern.toggle_swing" => {
                let m = match name {
                    "pattern.toggle_oneshot" => Mask::OneShot,
                    "pattern.toggle_slide" => Mask::Slide,
                    _ => Mask::Swing,
                };
                self.exec(ctx, self.cell_block(&layout), Command::ToggleFlag(m))
            }
            "pattern.add_column" => Self::prompt(
                "Add lock column: type a parameter name (or lock byte 0-31), tab completes",
                "pattern.add_column",
                String::new(),
            ),
            "pattern.remove_column" => match col {
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
            "pattern.copy" | "pattern.cut" => {
                let b = self.block_or_cell(&layout);
                ctx.doc.clipboard = block::copy(&ctx.doc, at, &b);
                if name == "pattern.cut" {
                    self.anchor = None;
                    return self.exec(ctx, b, Command::Cut);
                }
                self.anchor = None;
                Outcome::Message(format!(
                    "copied {} x {}",
                    ctx.doc.clipboard.rows.len(),
                    ctx.doc.clipboard.cols.len()
                ))
            }
            "pattern.paste" | "pattern.mix_paste" => {
                let cmd = Command::Paste {
                    clip: ctx.doc.clipboard.clone(),
                    mix: name == "pattern.mix_paste",
                };
                self.exec(ctx, self.cell_block(&layout), cmd)
            }
            "pattern.transpose_up"
            | "pattern.transpose_down"
            | "pattern.transpose_oct_up"
            | "pattern.transpose_oct_down" => {
                let semis = match name {
                    "pattern.transpose_up" => 1,
                    "pattern.transpose_down" => -1,
                    "pattern.transpose_oct_up" => 12,
                    _ => -12,
                };
                let mut b = self.block_or_cell(&layout);
                if self.anchor.is_none() && chord_index(t, col).is_none() {
                    b.cols = vec![(t, Col::Note)];
                }
                self.exec(ctx, b, Command::Transpose(semis))
            }
            "pattern.interpolate" => match self.selection(&layout) {
                Some(b) => self.exec(ctx, b, Command::Interpolate),
                None => Outcome::Error("select rows of a lock column first".into()),
            },
            "pattern.fill_every" => {
                Self::prompt("Trig every N steps", "pattern.fill_every", "4".into())
            }
            "pattern.euclid" => Self::prompt(
                "Euclidean: hits steps [rotation], repeated over the track's length",
                "pattern.euclid",
                format!("5 {} 0", Self::track_len(ctx, t).clamp(1, STEPS)),
            ),
            "pattern.randomize" => {
                let b = self.block_or_cell(&layout);
                let unit = Self::range_unit(&layout, &b);
                let (lo, hi) = (unit.show(0), unit.show(unit.max_stored().min(127)));
                Self::prompt(
                    &format!("Randomize locks: min max ({})", unit.range_text()),
                    "pattern.randomize",
                    format!("{lo} {hi}"),
                )
            }
            "pattern.rotate_down"
            | "pattern.rotate_up"
            | "pattern.reverse"
            | "pattern.double"
            | "pattern.halve" => {
                let b = self.block_or_track(ctx, &layout);
                let cmd = match name {
                    "pattern.rotate_down" => Command::Rotate(1),
                    "pattern.rotate_up" => Command::Rotate(-1),
                    "pattern.reverse" => Command::Reverse,
                    "pattern.double" => Command::Double,
                    _ => Command::Halve,
                };
                self.exec(ctx, b, cmd)
            }
            "pattern.assign_part" => {
                let p = ctx.nav.part as u8;
                self.exec(ctx, self.cell_block(&layout), Command::AssignPart(p))
            }
            "pattern.set_length" => Self::prompt(
                "Length in steps (1-64)",
                "pattern.length",
                Self::track_len(ctx, t).to_string(),
            ),
            "pattern.set_tempo" => Self::prompt(
                "Pattern tempo (BPM)",
                "pattern.tempo",
                ctx.doc
                    .info(at.bank, at.pattern)
                    .map_or(String::new(), |i| format!("{:.1}", i.bpm)),
            ),
            _ => Outcome::Ignored,
        };
        if !selecting && !self.sticky && is_motion(name) {
            self.anchor = None;
        }
        if self.anchor.is_none() {
            self.sticky = false;
        }
        out
    }

    pub(super) fn click(&mut self, x: u16, y: u16, ctx: &Ctx) -> Outcome {
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
            self.anchor = None;
        } else {
            self.cursor.row = row;
        }
        Outcome::Handled
    }

    pub(super) fn handle_input(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        match input {
            Input::Action(name) => self.action(name, ctx),
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

/// Cursor moves that drop the selection when made without shift.
fn is_motion(name: &str) -> bool {
    matches!(
        name,
        "pattern.up"
            | "pattern.down"
            | "pattern.left"
            | "pattern.right"
            | "pattern.page_up"
            | "pattern.page_down"
            | "pattern.top"
            | "pattern.bottom"
            | "pattern.next_track"
            | "pattern.prev_track"
    )
}
