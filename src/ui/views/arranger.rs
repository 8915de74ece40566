//! The arranger view: the 8 arrangements (working copies), their names and rows: pattern rows
//! (pattern, repeats, offset, length, scenes, tempo, mutes), loop / jump / halt rows and
//! reminders. Edit a field, insert, delete and move rows, rename; every edit is undoable.

use crate::format::arrangement::{
    Arrangement, Block, ControlRow, PatternRow, Row, parse_pattern, pattern_name,
};
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::edits;
use crate::ui::sheet::{self, Pos, Sheet};
use crate::ui::view::{Ctx, Outcome, View, ViewInfo};
use ratatui::Frame;
use ratatui::layout::Rect;

const W: Block = Block::Working;

crate::ui::command::commands! {
    /// A command of the arranger.
    pub enum ArrangerCmd {
        Next { "arranger.next", "Next arrangement", ["]"]; }
        Prev { "arranger.prev", "Previous arrangement", ["["]; }
        Inc { "arranger.inc", "Increase the field", ["+", "="]; }
        Dec { "arranger.dec", "Decrease the field", ["-"]; }
        Enter { "arranger.enter", "Type the field's value", ["enter"]; }
        Insert { "arranger.insert", "Insert a row playing the current pattern", ["insert", "i"]; }
        Delete { "arranger.delete", "Delete the row", ["delete"]; }
        MoveUp { "arranger.move_up", "Move the row up", ["alt+up"]; }
        MoveDown { "arranger.move_down", "Move the row down", ["alt+down"]; }
        Kind { "arranger.kind", "Change the row type (pattern, loop/jump/halt, reminder)", ["t"]; }
        Rename { "arranger.rename", "Rename the arrangement", ["r"]; }
    }
}

/// Every action of the view (the table of [`ArrangerCmd`]).
const ACTIONS: &[ActionDef] = ArrangerCmd::ACTIONS;

const COLUMNS: [&str; 9] = [
    "TYPE", "PATTERN", "REPEAT", "OFFSET", "LENGTH", "SCENE A", "SCENE B", "TEMPO", "MUTES",
];

fn scene(v: u8) -> String {
    if v == 255 {
        "---".into()
    } else {
        (v as u16 + 1).to_string()
    }
}

/// The cells of one row.
pub fn cells(row: &Row, index: usize) -> Vec<String> {
    match row {
        Row::Pattern(p) => vec![
            "PATTERN".into(),
            pattern_name(p.pattern),
            format!("x{}", p.repetitions as u16 + 1),
            p.offset.to_string(),
            p.length.to_string(),
            scene(p.scene_a),
            scene(p.scene_b),
            if p.tempo_x24 == 0 {
                "---".into()
            } else {
                format!("{:.1}", p.tempo_x24 as f64 / 24.0)
            },
            (0..8)
                .map(|t| {
                    if p.mute_mask & (1 << t) != 0 {
                        'M'
                    } else {
                        '.'
                    }
                })
                .collect(),
        ],
        Row::Control(c) => {
            let kind = format!("{:?}", c.kind(index)).to_uppercase();
            vec![
                kind,
                format!("row {}", c.target as u16 + 1),
                format!("x{}", c.loop_count),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]
        }
        Row::Reminder(t) => {
            let mut v = vec!["REMINDER".to_string(), t.clone()];
            v.extend(std::iter::repeat_n(String::new(), 7));
            v
        }
        Row::Unknown(t) => {
            let mut v = vec![format!("TYPE {t}")];
            v.extend(std::iter::repeat_n(String::new(), 8));
            v
        }
    }
}

/// The arranger view.
#[derive(Debug, Default)]
pub struct ArrangerView {
    /// Arrangement shown (0..8).
    pub index: usize,
    pos: Pos,
}

impl ArrangerView {
    /// A view on arrangement 1.
    pub fn new() -> Self {
        Self::default()
    }

    fn arr(&self, ctx: &Ctx) -> Option<Arrangement> {
        edits::arrangement(ctx, self.index).ok()
    }

    /// The table.
    pub fn sheet(&self, ctx: &Ctx) -> Sheet {
        let mut s = Sheet {
            label_width: 6,
            cell_width: 9,
            ..Default::default()
        };
        let Some(a) = self.arr(ctx) else {
            s.top
                .push(format!("arrangement {}: unreadable", self.index + 1));
            return s;
        };
        let rows = a.rows(W);
        s.top.push(format!(
            "Arrangement {} {:?}: {} rows",
            self.index + 1,
            a.name(W),
            rows.len()
        ));
        s.columns = COLUMNS.map(String::from).to_vec();
        for (i, r) in rows.iter().enumerate() {
            s.rows.push((format!("{:03}", i + 1), cells(r, i)));
        }
        if rows.is_empty() {
            s.bottom.push("no rows: insert one (i)".into());
        }
        s
    }

    fn edit(
        &mut self,
        ctx: &mut Ctx,
        label: &str,
        f: impl FnOnce(&mut Arrangement) -> Result<(), crate::format::FormatError>,
    ) -> Outcome {
        let label = format!("arrangement {}: {label}", self.index + 1);
        edits::edit_arrangement(ctx, self.index, &label, f)
    }

    /// Changes the cursor's field: `delta` steps, or a typed value.
    fn set_field(&mut self, ctx: &mut Ctx, delta: i64, typed: Option<&str>) -> Outcome {
        let (i, col) = (self.pos.row, self.pos.col);
        let Some(row) = self.arr(ctx).and_then(|a| a.row(W, i).ok()) else {
            return Outcome::Handled;
        };
        let num = |cur: i64, lo: i64, hi: i64, what: &str| -> Result<i64, String> {
            match typed {
                Some(t) => sheet::parse_num(t, lo, hi, what),
                None => Ok((cur + delta).clamp(lo, hi)),
            }
        };
        let new = match row {
            Row::Pattern(mut p) => {
                let r = match col {
                    1 => match typed {
                        Some(t) => parse_pattern(t)
                            .map(|v| p.pattern = v)
                            .ok_or_else(|| format!("{t:?}: expected a pattern A01..P16")),
                        None => {
                            num(p.pattern as i64, 0, 255, "pattern").map(|v| p.pattern = v as u8)
                        }
                    },
                    2 => num(p.repetitions as i64 + 1, 1, 64, "repeats")
                        .map(|v| p.repetitions = v as u8 - 1),
                    3 => num(p.offset as i64, 0, 63, "offset").map(|v| p.offset = v as u8),
                    4 => num(p.length as i64, 1, 64, "length").map(|v| p.length = v as u8),
                    5 | 6 => {
                        let cur = if col == 5 { p.scene_a } else { p.scene_b };
                        let cur = if cur == 255 { 0 } else { cur as i64 + 1 };
                        num(cur, 0, 16, "scene (0 = none)").map(|v| {
                            let v = if v == 0 { 255 } else { v as u8 - 1 };
                            if col == 5 {
                                p.scene_a = v
                            } else {
                                p.scene_b = v
                            }
                        })
                    }
                    7 => match typed {
                        Some(t) if t.trim() == "0" || t.trim().is_empty() => {
                            p.tempo_x24 = 0;
                            Ok(())
                        }
                        Some(t) => match t.trim().parse::<f64>() {
                            Ok(b) if (30.0..=300.0).contains(&b) => {
                                p.tempo_x24 = (b * 24.0).round() as u16;
                                Ok(())
                            }
                            _ => Err(format!("tempo: {t:?} is not 30..=300 BPM (0 = no change)")),
                        },
                        None => {
                            let cur = if p.tempo_x24 == 0 {
                                2880
                            } else {
                                p.tempo_x24 as i64
                            };
                            p.tempo_x24 = (cur + delta * 24).clamp(720, 7200) as u16;
                            Ok(())
                        }
                    },
                    8 => {
                        num(p.mute_mask as i64, 0, 255, "mute mask").map(|v| p.mute_mask = v as u8)
                    }
                    _ => Ok(()),
                };
                r.map(|_| Row::Pattern(p))
            }
            Row::Control(mut c) => match col {
                1 => num(c.target as i64 + 1, 1, 256, "target row").map(|v| {
                    c.target = (v - 1) as u8;
                    Row::Control(c)
                }),
                2 => num(c.loop_count as i64, 0, 100, "loop count").map(|v| {
                    c.loop_count = v as u8;
                    Row::Control(c)
                }),
                _ => Ok(Row::Control(c)),
            },
            Row::Reminder(t) => match (col, typed) {
                (1, Some(text)) => Ok(Row::Reminder(text.to_string())),
                _ => Ok(Row::Reminder(t)),
            },
            r => Ok(r),
        };
        match new {
            Ok(row) => self.edit(
                ctx,
                &format!("row {} {}", i + 1, COLUMNS[col.min(8)]),
                |a| a.set_row(W, i, &row),
            ),
            Err(e) => Outcome::Error(e),
        }
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "arranger",
    switch: act("view.arranger", "Show the arranger", &["F6"]),
};

impl View for ArrangerView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, _ctx: &Ctx) -> String {
        format!("Arranger {}", self.index + 1)
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = self.sheet(ctx);
        self.pos.clamp(s.rows.len(), COLUMNS.len());
        sheet::render(frame, area, ctx, &s, &mut self.pos);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let n = self.arr(ctx).map_or(0, |a| a.rows(W).len());
        let c = COLUMNS.len();
        let i = self.pos.row;
        match input {
            Input::Action(name) => match ArrangerCmd::from_name(name) {
                None => return Outcome::Ignored,
                Some(a @ (ArrangerCmd::Next | ArrangerCmd::Prev)) => {
                    let d = if a == ArrangerCmd::Next { 1 } else { 7 };
                    self.index = (self.index + d) % 8;
                    self.pos = Pos::default();
                }
                Some(ArrangerCmd::Inc) => return self.set_field(ctx, 1, None),
                Some(ArrangerCmd::Dec) => return self.set_field(ctx, -1, None),
                Some(ArrangerCmd::Enter) => {
                    return Outcome::Prompt {
                        title: format!("row {} {}", i + 1, COLUMNS[self.pos.col.min(8)]),
                        tag: "arranger.value",
                        initial: String::new(),
                    };
                }
                Some(ArrangerCmd::Insert) => {
                    let id = (ctx.nav.bank * 16 + ctx.nav.pattern) as u8;
                    let at = if n == 0 { 0 } else { (i + 1).min(n) };
                    self.pos.row = at;
                    return self.edit(ctx, "insert row", |a| {
                        a.insert_row(W, at, &Row::Pattern(PatternRow::new(id)))
                    });
                }
                Some(ArrangerCmd::Delete) if n > 0 => {
                    return self.edit(ctx, "delete row", |a| a.delete_row(W, i));
                }
                Some(a @ (ArrangerCmd::MoveUp | ArrangerCmd::MoveDown)) if n > 0 => {
                    let to = if a == ArrangerCmd::MoveUp {
                        i.saturating_sub(1)
                    } else {
                        (i + 1).min(n - 1)
                    };
                    self.pos.row = to;
                    return self.edit(ctx, "move row", |a| a.move_row(W, i, to));
                }
                Some(ArrangerCmd::Kind) if n > 0 => {
                    let Some(row) = self.arr(ctx).and_then(|a| a.row(W, i).ok()) else {
                        return Outcome::Handled;
                    };
                    let next = match row {
                        Row::Pattern(_) => Row::Control(ControlRow {
                            loop_count: 0,
                            target: i as u8,
                        }),
                        Row::Control(_) => Row::Reminder(String::new()),
                        _ => Row::Pattern(PatternRow::new(0)),
                    };
                    return self.edit(ctx, "row type", |a| a.set_row(W, i, &next));
                }
                Some(ArrangerCmd::Rename) => {
                    return Outcome::Prompt {
                        title: "Arrangement name (up to 15 characters)".into(),
                        tag: "arranger.name",
                        initial: self.arr(ctx).map_or(String::new(), |a| a.name(W)),
                    };
                }
                // Row edits on an empty arrangement: nothing to do.
                Some(
                    ArrangerCmd::Delete
                    | ArrangerCmd::MoveUp
                    | ArrangerCmd::MoveDown
                    | ArrangerCmd::Kind,
                ) => return Outcome::Ignored,
            },
            Input::Nav(nav) => self.pos.nav(nav, n, c, 16),
            Input::Answer("arranger.value", text) => return self.set_field(ctx, 0, Some(&text)),
            Input::Answer("arranger.name", text) => {
                return self.edit(ctx, "rename", |a| a.set_name(W, &text));
            }
            Input::Scroll(d) => self.pos.step(d as i64, 0, n, c),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            ArrangerCmd::Insert.name(),
            ArrangerCmd::Enter.name(),
            ArrangerCmd::Next.name(),
        ]
    }
}
