//! The project overview: banks x patterns, showing which patterns are in use with their part and
//! length. Enter jumps to the pattern in the grid. Copy a pattern (with its part) or a whole bank
//! to the cursor, after a summary of what the copy does; one undo step.

use crate::format::bank::{Bank, PATTERNS};
use crate::format::bank_letter;
use crate::project::copy::{CopyOptions, Target};
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::model::Document;
use crate::ui::sheet::{self, Pos, Sheet};
use crate::ui::view::{CopyRequest, Ctx, Outcome, Side, View, ViewInfo};
use ratatui::Frame;
use ratatui::layout::Rect;

crate::ui::command::commands! {
    /// A command of the overview.
    pub enum OverviewCmd {
        Open { "overview.open", "Open the pattern in the grid", ["enter"]; }
        Copy { "overview.copy", "Copy this pattern (with its part)", ["c"]; }
        CopyBank { "overview.copy_bank", "Copy this whole bank", ["b"]; }
        Paste { "overview.paste", "Paste the copied pattern or bank here", ["v"]; }
    }
}

/// Every action of the view (the table of [`OverviewCmd`]).
const ACTIONS: &[ActionDef] = OverviewCmd::ACTIONS;

/// Whether a pattern holds anything (a trig on any track).
pub fn in_use(bank: &Bank, p: usize) -> bool {
    bank.pattern(p).is_some_and(|pat| {
        pat.audio
            .iter()
            .any(|t| !t.trigs.is_empty() || !t.trigless.is_empty())
            || pat
                .midi
                .iter()
                .any(|t| !t.trigs.is_empty() || !t.trigless.is_empty())
    })
}

/// The banks x patterns table of a document: each pattern in use shows its part and length
/// (`compact`: its part only, in narrow columns for the side-by-side view).
pub fn bank_sheet(doc: &Document, compact: bool) -> Sheet {
    let mut s = Sheet {
        label_width: 7,
        cell_width: if compact { 2 } else { 5 },
        ..Default::default()
    };
    s.top.push(if compact {
        format!("{}: patterns in use (part)", doc.name())
    } else {
        format!("{}: patterns in use (part / length)", doc.name())
    });
    s.columns = (1..=PATTERNS).map(|p| format!("{p:02}")).collect();
    for b in 0..16 {
        let cells = match doc.bank(b) {
            Some(bank) => (0..PATTERNS)
                .map(|p| match doc.info(b, p) {
                    Some(i) if in_use(bank, p) && compact => format!("{}", i.part + 1),
                    Some(i) if in_use(bank, p) => format!("{}/{}", i.part + 1, i.length),
                    _ => ".".into(),
                })
                .collect(),
            None => vec![String::new(); PATTERNS],
        };
        s.rows.push((format!("BANK {}", bank_letter(b)), cells));
    }
    s
}

/// The overview view.
#[derive(Debug, Default)]
pub struct OverviewView {
    pos: Pos,
    source: Option<Target>,
}

impl OverviewView {
    /// A view on bank A, pattern 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// The table.
    pub fn sheet(&self, ctx: &Ctx) -> Sheet {
        let mut s = bank_sheet(&ctx.doc, false);
        if let Some(src) = self.source {
            s.bottom
                .push(format!("copied: {src} (v pastes at the cursor)"));
        }
        s
    }

    fn target_at(&self, like: Target) -> Target {
        let (bank, pattern) = (self.pos.row, self.pos.col);
        match like {
            Target::Bank { .. } => Target::Bank { bank },
            _ => Target::Pattern { bank, pattern },
        }
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "overview",
    switch: act(
        "view.overview",
        "Show the project overview (banks x patterns)",
        &["F8"],
    ),
};

impl View for OverviewView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, _ctx: &Ctx) -> String {
        "Overview".into()
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = self.sheet(ctx);
        self.pos.clamp(16, PATTERNS);
        sheet::render(frame, area, ctx, &s, &mut self.pos);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        match input {
            Input::Action(name) => match OverviewCmd::from_name(name) {
                None => return Outcome::Ignored,
                Some(OverviewCmd::Open) => {
                    ctx.nav.bank = self.pos.row;
                    ctx.nav.pattern = self.pos.col;
                    if let Some(i) = ctx.doc.info(ctx.nav.bank, ctx.nav.pattern) {
                        ctx.nav.part = i.part as usize;
                    }
                    return Outcome::Switch("pattern");
                }
                Some(a @ (OverviewCmd::Copy | OverviewCmd::CopyBank)) => {
                    let t = if a == OverviewCmd::Copy {
                        Target::Pattern {
                            bank: self.pos.row,
                            pattern: self.pos.col,
                        }
                    } else {
                        Target::Bank { bank: self.pos.row }
                    };
                    self.source = Some(t);
                    return Outcome::Message(format!("copied {t}"));
                }
                Some(OverviewCmd::Paste) => {
                    let Some(src) = self.source else {
                        return Outcome::Message("copy a pattern (c) or a bank (b) first".into());
                    };
                    // The app shows the plan's summary and applies it once confirmed.
                    return Outcome::Copy(CopyRequest {
                        from: src,
                        src: Side::Main,
                        to: self.target_at(src),
                        dst: Side::Main,
                        opts: CopyOptions {
                            with_part: true,
                            trigs: true,
                            ..Default::default()
                        },
                    });
                }
            },
            Input::Nav(nav) => self.pos.nav(nav, 16, PATTERNS, 4),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            OverviewCmd::Open.name(),
            OverviewCmd::Copy.name(),
            OverviewCmd::Paste.name(),
        ]
    }
}
