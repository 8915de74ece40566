//! The pattern view's prompts: what they ask and how their answers become edit commands.

use super::*;

impl PatternView {
    /// The unit of a randomize range: the lock columns' shared display when the block's lock
    /// columns all show values the same way, else stored bytes (typed `#N`).
    pub(super) fn range_unit(layout: &[TrackCols], b: &Block) -> value::Unit {
        let units: BTreeSet<String> = b
            .cols
            .iter()
            .filter_map(|(t, c)| match c {
                Col::Note => Some(format!("{:?}", value::Unit::of(layout[*t].kind.param(0)))),
                Col::Lock(i) => Some(format!("{:?}", value::Unit::of(layout[*t].kind.param(*i)))),
                _ => None,
            })
            .collect();
        let first = b.cols.iter().find_map(|(t, c)| match c {
            Col::Note => Some(value::Unit::of(layout[*t].kind.param(0))),
            Col::Lock(i) => Some(value::Unit::of(layout[*t].kind.param(*i))),
            _ => None,
        });
        match first {
            Some(u) if units.len() == 1 => u,
            _ => value::Unit::Raw,
        }
    }

    /// What a script from the menu acts on: the selection's tracks and steps, or every
    /// track and step of the current pattern.
    pub(super) fn script_target(&self, ctx: &Ctx, layout: &[TrackCols]) -> crate::script::Target {
        let (tracks, steps) = match self.selection(ctx, layout) {
            Some(b) => (b.tracks(), b.rows.collect()),
            None => ((0..TRACKS).collect(), (0..STEPS).collect()),
        };
        crate::script::Target {
            bank: ctx.nav.bank,
            pattern: ctx.nav.pattern,
            tracks,
            steps,
        }
    }

    pub(super) fn prompt(title: &str, tag: &'static str, initial: String) -> Outcome {
        Outcome::Prompt {
            title: title.into(),
            tag,
            initial,
        }
    }

    pub(super) fn answer(&mut self, tag: &str, text: &str, ctx: &mut Ctx) -> Outcome {
        let layout = self.layout(ctx);
        let t = self.cursor.track;
        let nums: Vec<i64> = text
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        match tag {
            "pattern.double" => {
                if matches!(text.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
                    let b = self.block_or_track(ctx, &layout);
                    self.exec(ctx, b, Command::Double)
                } else {
                    Outcome::Message("double cancelled: nothing changed".into())
                }
            }
            "pattern.cond" => {
                let Some(c) = TrigCondition::parse(if text.trim() == "-" { "" } else { text })
                else {
                    return Outcome::Error(format!("not a condition: {text}"));
                };
                let b = self.block_or_cell(ctx, &layout);
                self.exec(ctx, b, Command::SetCondition(c))
            }
            "pattern.micro" => match nums.first() {
                Some(m) if (-23..=23).contains(m) => {
                    self.exec(ctx, self.cell_block(&layout), Command::SetMicro(*m as i8))
                }
                _ => Outcome::Error(format!("micro-timing must be -23..23, got `{text}`")),
            },
            "pattern.lock_value" => {
                let col = self.cursor_col(&layout);
                let Col::Lock(i) = col else {
                    return Outcome::Error("the cursor left the lock column".into());
                };
                let kind = &layout[t].kind;
                let cell = self.cell_block(&layout);
                if text.trim().is_empty() {
                    return self.exec(
                        ctx,
                        cell,
                        Command::SetLock {
                            idx: i,
                            value: None,
                        },
                    );
                }
                if let Some(index) = chord_index(t, col) {
                    let note = value::Unit::Display(crate::format::params::ValueDisplay::Note)
                        .parse(&kind.lock_name(i), text);
                    return match note {
                        Ok(note) => self.exec(ctx, cell, Command::ChordNote { index, note }),
                        Err(e) => Outcome::Error(e.to_string()),
                    };
                }
                match value::Unit::of(kind.param(i)).parse(&kind.lock_name(i), text) {
                    Ok(v) => self.exec(
                        ctx,
                        cell,
                        Command::SetLock {
                            idx: i,
                            value: Some(v),
                        },
                    ),
                    Err(e) => Outcome::Error(e.to_string()),
                }
            }
            "pattern.add_column" => match layout[t].kind.parse_lock(text) {
                Some(i) => {
                    self.hidden[t].remove(&i);
                    self.extra[t].insert(i);
                    Outcome::Handled
                }
                None => Outcome::Error(format!(
                    "{}: {}",
                    track_name(t),
                    layout[t].kind.unknown_lock(text)
                )),
            },
            "pattern.fill_every" => match nums.first() {
                Some(n @ 1..=64) => {
                    let b = self.block_or_track(ctx, &layout);
                    self.exec(ctx, b, Command::FillEvery(*n as u8))
                }
                _ => Outcome::Error(format!("N must be 1-64, got `{text}`")),
            },
            "pattern.script" => {
                use crate::ui::script_menu;
                let target = self.script_target(ctx, &layout);
                let entries = script_menu::entries(script_menu::user_dir().as_deref());
                let Some(entry) = script_menu::pick(&entries, text) else {
                    return Outcome::Error(format!("no script `{}` in the menu", text.trim()));
                };
                match script_menu::run(&mut ctx.doc, entry, &target) {
                    Ok(m) => Outcome::Message(m),
                    Err(e) => Outcome::Error(e),
                }
            }
            "pattern.euclid" => match nums.as_slice() {
                [k, n, rest @ ..] if *n >= 1 && *n <= 64 && *k >= 0 && *k <= *n => {
                    let rotation = rest.first().copied().unwrap_or(0).rem_euclid(*n) as u8;
                    let b = self.block_or_track(ctx, &layout);
                    let cmd = Command::Euclid {
                        hits: *k as u8,
                        steps: *n as u8,
                        rotation,
                    };
                    self.exec(ctx, b, cmd)
                }
                _ => Outcome::Error(format!(
                    "expected `hits steps [rotation]` with hits <= steps <= 64, got `{text}`"
                )),
            },
            "pattern.randomize" => {
                let b = self.block_or_cell(ctx, &layout);
                let unit = Self::range_unit(&layout, &b);
                match value::parse_range(unit, "range", text) {
                    Ok((lo, hi)) => {
                        let seed = rand::Rng::random(&mut self.rng);
                        self.exec(ctx, b, Command::Randomize { lo, hi, seed })
                    }
                    Err(e) => Outcome::Error(e.to_string()),
                }
            }
            "pattern.length" => match nums.first() {
                Some(n @ 1..=64) => {
                    self.exec(ctx, self.cell_block(&layout), Command::SetLength(*n as u8))
                }
                _ => Outcome::Error(format!("length must be 1-64, got `{text}`")),
            },
            "pattern.tempo" => match text.trim().parse::<f64>() {
                Ok(bpm) if (30.0..=300.0).contains(&bpm) => {
                    let x24 = (bpm * 24.0).round() as u16;
                    self.exec(ctx, self.cell_block(&layout), Command::SetTempo(x24))
                }
                _ => Outcome::Error(format!("tempo must be 30-300 BPM, got `{text}`")),
            },
            _ => Outcome::Ignored,
        }
    }

    /// Doubles the selection (or the cursor's track). The track grows when it can (up to 64
    /// steps); when trigs would still be dropped, asks first, saying how many.
    pub(super) fn double(&mut self, ctx: &mut Ctx, layout: &[TrackCols]) -> Outcome {
        let b = self.block_or_track(ctx, layout);
        let (dropped, end) = command::double_drops(&ctx.doc, Self::at(ctx), &b);
        if dropped == 0 {
            return self.exec(ctx, b, Command::Double);
        }
        Self::prompt(
            &format!(
                "double drops {dropped} trig(s) past step {}: y doubles anyway, n cancels",
                end + 1
            ),
            "pattern.double",
            "n".into(),
        )
    }
}
