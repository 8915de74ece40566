//! Copies inside one open document or from one to the other, in two steps: a view asks with a
//! [`CopyRequest`] and the copy is planned at once ([`prepare`]); the app shows the plan's
//! summary, and only when the user confirms does [`apply`] copy the sample files and change the
//! destination document, as one undo step of its history.

use super::edits;
use super::view::{CopyRequest, Ctx, Outcome, Side};
use crate::project::copy::{self, CopyOptions, CopyPlan, Target};

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
    let written = match copy::copy_files(&pending.plan) {
        Ok(w) => w,
        Err(e) => return Outcome::Error(format!("{label}: {e}; nothing changed")),
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
