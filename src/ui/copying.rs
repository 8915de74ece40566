//! Copies inside one open document or from one to the other, in two steps: a view asks with a
//! [`CopyRequest`] and the copy is planned at once ([`prepare`]); the app shows the plan's
//! summary, and only when the user confirms does [`apply`] copy the sample files and change the
//! destination document, as one undo step of its history.

use super::edits;
use super::theme::Theme;
use super::view::{CopyRequest, Ctx, Outcome, Side};
use crate::project::copy::{self, CopyOptions, CopyPlan, Target};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// A planned copy waiting for the user's confirmation.
#[derive(Debug)]
pub struct PendingCopy {
    /// What was asked.
    pub request: CopyRequest,
    /// The plan (slots, files, remapped references), applied as is on confirmation.
    pub plan: CopyPlan,
    /// The lines shown to the user.
    pub lines: Vec<String>,
}

/// What a copy onto `to` replaces, in words.
fn replaces(to: Target, opts: &CopyOptions) -> String {
    match to {
        Target::Bank { .. } => {
            "replaces the whole bank: 16 patterns, 4 parts (working and saved copies)".into()
        }
        Target::Pattern { .. } if opts.with_part => {
            "replaces the pattern and the working copy of the part it plays (sets its edited bit)"
                .into()
        }
        Target::Pattern { .. } => "replaces the pattern (its part stays)".into(),
        Target::Part { .. } => "replaces the part's working copy (sets its edited bit)".into(),
        Target::Track { .. } => match (opts.trigs, opts.with_part) {
            (true, true) => "replaces the track's trigs and its settings in the part".into(),
            (true, false) => "replaces the track's trigs (its part settings stay)".into(),
            _ => "replaces the track's settings in the part".into(),
        },
        Target::Scene { .. } => "replaces the scene's locks".into(),
    }
}

/// The name a side shows in messages.
fn side_name(ctx: &Ctx, side: Side) -> String {
    ctx.doc_of(side)
        .map_or_else(String::new, |d| d.name().to_string())
}

/// Plans a copy without changing anything; refuses when a document is missing or the
/// destination is read-only.
pub fn prepare(ctx: &Ctx, request: CopyRequest) -> Result<PendingCopy, String> {
    let CopyRequest {
        from,
        src,
        to,
        dst,
        opts,
    } = request;
    let no_other = || "no other project is open (ctrl+o opens one)".to_string();
    let src_doc = ctx.doc_of(src).ok_or_else(no_other)?;
    let dst_doc = ctx.doc_of(dst).ok_or_else(no_other)?;
    if dst_doc.read_only() {
        return Err(format!(
            "{} is read-only: nothing copied onto {to}",
            dst_doc.name()
        ));
    }
    let within = src == dst;
    let plan = copy::plan(
        &src_doc.project,
        from,
        (!within).then_some(&dst_doc.project),
        to,
        &opts,
    )
    .map_err(|e| e.to_string())?;
    let mut lines = plan.summary();
    if within {
        // Within one project nothing is remapped: the slot line would only say "0".
        lines.truncate(1);
        lines.push(format!("  {}", replaces(to, &opts)));
        lines.push("  same project: sample slots stay as they are".into());
    } else {
        lines.insert(1, format!("  {}", replaces(to, &opts)));
        if !plan.files.is_empty() {
            lines.push(format!(
                "  {} sample file(s) go into the AUDIO folder of {} (undo does not delete them)",
                plan.files.len(),
                dst_doc.name()
            ));
        }
    }
    Ok(PendingCopy {
        request,
        plan,
        lines,
    })
}

/// Applies a confirmed copy: copies the sample files, then changes the destination document
/// (slot blocks, markers, the destination bank) as one undo step.
pub fn apply(ctx: &mut Ctx, pending: PendingCopy) -> Outcome {
    let CopyRequest {
        from, src, to, dst, ..
    } = pending.request;
    let label = if src == dst {
        format!("copy {from} to {to}")
    } else {
        format!(
            "copy {from} of {} to {to} of {}",
            side_name(ctx, src),
            side_name(ctx, dst)
        )
    };
    let dir = ctx
        .doc_of(dst)
        .and_then(|d| d.project.path().map(std::path::Path::to_path_buf));
    let written = match copy::copy_files_into(&pending.plan, dir.as_deref()) {
        Ok(w) => w,
        Err(e) => return Outcome::Error(format!("{label}: {e}; the project is unchanged")),
    };
    let Some(doc) = ctx.doc_of_mut(dst) else {
        return Outcome::Error("the other project was closed; nothing changed".into());
    };
    let plan = pending.plan;
    let out = edits::edit_doc(doc, &label, &[to.bank()], |project| {
        copy::apply(plan, project).map_err(|e| e.to_string())?;
        Ok(String::new())
    });
    match out {
        Outcome::Message(_) if written.is_empty() => {
            Outcome::Message(format!("{label}: done (undo with ctrl+z)"))
        }
        Outcome::Message(_) => Outcome::Message(format!(
            "{label}: done, {} sample file(s) copied (undo keeps the files)",
            written.len()
        )),
        o => o,
    }
}

/// Where the summary box goes inside `area`, and the summary cut into lines that fit its width.
pub fn confirm_layout(area: Rect, lines: &[String]) -> (Rect, Vec<String>) {
    let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let w = (widest as u16).saturating_add(2).max(40).min(area.width);
    let inner = (w.saturating_sub(2) as usize).max(1);
    let mut rows = Vec::new();
    for l in lines {
        let chars: Vec<char> = l.chars().collect();
        if chars.is_empty() {
            rows.push(String::new());
        }
        for chunk in chars.chunks(inner) {
            rows.push(chunk.iter().collect());
        }
    }
    let h = (rows.len() as u16).saturating_add(2).min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    (r, rows)
}

/// The largest useful scroll of the summary box drawn in `area`.
pub fn max_scroll(area: Rect, lines: &[String]) -> u16 {
    let (r, rows) = confirm_layout(area, lines);
    rows.len()
        .saturating_sub(r.height.saturating_sub(2) as usize) as u16
}

/// Draws the summary of a planned copy over `area`, scrolled by `scroll` rows.
pub fn render_confirm(frame: &mut Frame, area: Rect, theme: &Theme, lines: &[String], scroll: u16) {
    let (r, rows) = confirm_layout(area, lines);
    let top = scroll.min(max_scroll(area, lines)) as usize;
    let text: Vec<Line> = rows.into_iter().skip(top).map(Line::from).collect();
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(text).style(theme.style("popup")).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Copy? y / enter: apply, esc: cancel, up / down: scroll ")
                .title_style(theme.style("popup.title")),
        ),
        r,
    );
}
