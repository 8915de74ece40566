//! `octa copy` (banks, patterns, parts, tracks and scenes between projects, with their sample
//! slots) and `octa slots` (list slots and their uses, merge duplicates, remove unused ones).

use super::args::CopySpec;
use crate::format::address::Selector;
use crate::format::slot_attrs::SlotRef;
use crate::project::copy::{self, CopyOptions, Target};
use crate::project::slots::{self, SlotInfo};
use crate::project::{OpenOptions, Project};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `octa copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// Source: PROJECT:WHAT, where WHAT is a bank (A), pattern (A05), track (A05.T3, A05.M2),
    /// part (A.P2), scene (A.P2.S5), or sample slots (F1, S3, F1-F8; Flex 10-16 as F010 or
    /// FLEX10, since F10 is pattern F10).
    #[arg(value_parser = super::args::copy_spec)]
    pub src: CopySpec,
    /// Destination: PROJECT:WHAT of the same kind (PROJECT may be the source project).
    #[arg(value_parser = super::args::copy_spec)]
    pub dst: CopySpec,
    /// Pattern: also copy the part it plays. Track: also copy its settings in the part.
    #[arg(long)]
    pub with_part: bool,
    /// Track: copy only its part settings (implies --with-part), not its trigs.
    #[arg(long)]
    pub no_trigs: bool,
    /// Reuse a destination slot that holds the same sample file even when its settings
    /// (gain, loop, time-stretch, quantization, tempo, markers) differ from the source's.
    #[arg(long)]
    pub reuse_same_file: bool,
    /// Print the plan and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite destination files changed on disk since they were read.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `octa slots`.
#[derive(Debug, Args)]
pub struct SlotsArgs {
    /// The project (folder, set or zip).
    pub path: PathBuf,
    /// Merge slots with the same file and settings, remapping every reference.
    #[arg(long)]
    pub dedupe: bool,
    /// Remove the blocks of slots nothing plays.
    #[arg(long)]
    pub remove_unused: bool,
    /// Assign a WAV or AIFF file of the set's AUDIO folder to a slot, e.g.
    /// `--assign F12=Drums/kick.wav` (F = Flex, S = Static, R = recorder buffer); repeatable.
    #[arg(long, value_name = "SLOT=FILE", value_parser = super::args::slot_assign)]
    pub assign: Vec<String>,
    /// With --assign: convert a file the device cannot play (FLAC, Ogg, MP3, another rate,
    /// float) into the set's AUDIO folder first (44.1 kHz WAV) and assign the converted file
    /// (asked on a terminal when not given).
    #[arg(long, requires = "assign")]
    pub convert: bool,
    /// With --dedupe / --remove-unused / --assign: print what would change, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The project and address of a `PROJECT:WHAT` that names no slots.
fn split_spec(spec: &CopySpec) -> Result<(PathBuf, Target), String> {
    match spec.what {
        Selector::Address(a) => Ok((spec.path.clone(), a.into())),
        Selector::Slots(_) => Err(format!(
            "{}:{}: the source names a bank, pattern, part, track or scene, so the destination must too",
            spec.path.display(),
            spec.what
        )),
    }
}

fn open(path: &Path, read_only: bool) -> Result<Project, String> {
    let p = Project::open(
        path,
        &OpenOptions {
            project: None,
            read_only,
        },
    )
    .map_err(|e| e.to_string())?;
    for w in p.warnings() {
        crate::errln!("warning: {w}");
    }
    Ok(p)
}

fn same_place(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// `octa copy SRC:F1 DST:F1`: slot-to-slot copy (see [`crate::project::slot_copy`]).
fn run_slot_copy(a: &CopyArgs) -> Result<(), String> {
    use crate::project::slot_copy;
    let split = |spec: &CopySpec| -> Result<(PathBuf, Vec<SlotRef>), String> {
        match spec.what {
            Selector::Slots(r) => Ok((spec.path.clone(), r.slots())),
            Selector::Address(_) => Err(format!(
                "{}:{}: the source names slots, so the destination must too (F1, S3, F1-F8)",
                spec.path.display(),
                spec.what
            )),
        }
    };
    let (src_path, from) = split(&a.src)?;
    let (dst_path, to) = split(&a.dst)?;
    let within = same_place(&src_path, &dst_path);
    let mut src = open(&src_path, a.dry_run || !within)?;
    let mut other = if within {
        None
    } else {
        Some(open(&dst_path, a.dry_run)?)
    };
    let plan = slot_copy::plan(&src, &from, other.as_ref(), &to).map_err(|e| e.to_string())?;
    for line in plan.summary() {
        crate::outln!("{line}");
    }
    if a.dry_run {
        crate::outln!("dry run: nothing changed");
        return Ok(());
    }
    let dst = other.as_mut().unwrap_or(&mut src);
    // Sample files and project files are committed together: all of them or none.
    let report = slot_copy::commit(&plan, dst, a.force).map_err(|e| e.to_string())?;
    for f in &report.copied {
        crate::outln!("copied {}", f.display());
    }
    for w in &report.written {
        crate::outln!("wrote {}", w.display());
    }
    Ok(())
}

fn run_copy(a: &CopyArgs) -> Result<(), String> {
    if matches!(a.src.what, Selector::Slots(_)) {
        return run_slot_copy(a);
    }
    let (src_path, from) = split_spec(&a.src)?;
    let (dst_path, to) = split_spec(&a.dst)?;
    let opts = CopyOptions {
        with_part: a.with_part || a.no_trigs,
        trigs: !a.no_trigs,
        reuse_same_file: a.reuse_same_file,
    };
    let within = same_place(&src_path, &dst_path);
    let src = open(&src_path, true)?;
    let mut other = if within {
        None
    } else {
        Some(open(&dst_path, a.dry_run)?)
    };
    let mut src = src;
    let plan = copy::plan(&src, from, other.as_ref(), to, &opts).map_err(|e| e.to_string())?;
    for line in plan.summary() {
        crate::outln!("{line}");
    }
    if a.dry_run {
        crate::outln!("dry run: nothing changed");
        return Ok(());
    }
    let dst = match other.as_mut() {
        Some(d) => d,
        None => {
            src.set_read_only(false);
            &mut src
        }
    };
    // Sample files and project files are committed together: all of them or none.
    let report = copy::commit(plan, dst, a.force).map_err(|e| e.to_string())?;
    for f in &report.copied {
        crate::outln!("copied {}", f.display());
    }
    for w in &report.written {
        crate::outln!("wrote {}", w.display());
    }
    Ok(())
}

/// Runs `octa copy`.
pub fn copy(a: &CopyArgs) -> ExitCode {
    match run_copy(a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::errln!("octa copy: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One line of the slot listing.
pub fn slot_line(s: &SlotInfo) -> String {
    let b = s.block.as_ref();
    let state = match s.exists {
        _ if s.outside => "OUTSIDE",
        None => "empty  ",
        Some(true) => "ok     ",
        Some(false) => "MISSING",
    };
    let attrs = b.map_or(String::new(), |b| {
        let mut v = Vec::new();
        if let Some(g) = b.gain {
            v.push(format!(
                "gain {:+.1}dB",
                crate::format::slot_attrs::gain_db(g)
            ));
        }
        if let Some(l) = b.loop_mode {
            v.push(format!("loop {}", l.code()));
        }
        if let Some(t) = b.time_stretch {
            v.push(format!("ts {}", t.code()));
        }
        v.join(", ")
    });
    let uses: Vec<String> = s.uses.iter().map(|u| u.to_string()).collect();
    let used = if uses.is_empty() {
        "unused".to_string()
    } else {
        let n = uses.len();
        let shown: Vec<&str> = uses.iter().take(4).map(String::as_str).collect();
        format!(
            "{}{}",
            shown.join("; "),
            if n > 4 {
                format!("; +{} more", n - 4)
            } else {
                String::new()
            }
        )
    };
    format!(
        "{:<12} {state} {:<50} {:<32} {used}",
        s.slot.to_string(),
        s.path(),
        attrs
    )
}

/// Asks on a terminal whether to convert; false when not on one.
fn ask_convert(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).is_ok() && matches!(line.trim(), "y" | "Y" | "yes")
}

/// For `--assign SLOT=FILE` of a file the device cannot play: converts it into the set's AUDIO
/// folder (with --convert, or when the user agrees on a terminal) and returns the name of the
/// converted file; [`Assign::AsIs`] when the file plays as it is (or converting was declined: a
/// file that cannot go into a slot is then refused, one that can is assigned with a warning).
fn convert_first(p: &Project, a: &SlotsArgs, slot: SlotRef, file: &str) -> Result<Assign, String> {
    use crate::project::slot_convert::{convert_for_slot, needs_conversion};
    let Some(need) = needs_conversion(p, file) else {
        return Ok(Assign::AsIs);
    };
    let why = need.issues.join("; ");
    let question = format!(
        "{slot}={file}: the device cannot play it ({why}); convert it into {} first?",
        need.to.display()
    );
    if !(a.convert || ask_convert(&question)) {
        if crate::project::sample_file::is_assignable(file) {
            crate::errln!(
                "warning: {slot}={file}: the device cannot play it ({why}); --convert converts it"
            );
            return Ok(Assign::AsIs);
        }
        return Err(format!(
            "{slot}={file}: the device cannot play it ({why}); run with --convert to convert it into {} first",
            need.to.display()
        ));
    }
    if a.dry_run {
        crate::outln!(
            "would convert {} into {} and assign it to {slot}",
            need.source.display(),
            need.to.display()
        );
        return Ok(Assign::Skip);
    }
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let rel = convert_for_slot(p, &need, &cancel, &mut |_, _| {}).map_err(|e| e.to_string())?;
    crate::outln!(
        "converted {} -> AUDIO/{rel} (44.1 kHz WAV)",
        need.source.display()
    );
    Ok(Assign::Converted(rel))
}

/// What `--assign` does with a file.
enum Assign {
    /// Assigns it as named.
    AsIs,
    /// Assigns the converted file of this name.
    Converted(String),
    /// Nothing (a dry run that would convert).
    Skip,
}

fn run_slots(a: &SlotsArgs) -> Result<(), String> {
    let edits = a.dedupe || a.remove_unused || !a.assign.is_empty();
    let writes = edits && !a.dry_run;
    let mut p = open(&a.path, !writes)?;
    for spec in &a.assign {
        let (slot, file) = spec.split_once('=').ok_or_else(|| {
            format!("--assign {spec:?}: expected SLOT=FILE, e.g. F12=Drums/kick.wav")
        })?;
        let slot: SlotRef = slot.parse()?;
        let converted = match convert_first(&p, a, slot, file)? {
            Assign::AsIs => None,
            Assign::Converted(c) => Some(c),
            Assign::Skip => continue,
        };
        let file = converted.as_deref().unwrap_or(file);
        let info = slots::assign_file(&mut p, slot, file).map_err(|e| e.to_string())?;
        crate::outln!(
            "assign {slot}: {} ({} frames at {} Hz{})",
            file.trim(),
            info.frames,
            info.sample_rate,
            if info.truncated {
                "; the file is cut short"
            } else {
                ""
            }
        );
    }
    for s in slots::list(&p).map_err(|e| e.to_string())? {
        if s.block.is_some() || s.is_used() {
            crate::outln!("{}", slot_line(&s));
        }
    }
    if a.dedupe {
        let r = slots::dedupe(&mut p).map_err(|e| e.to_string())?;
        for (dup, keep) in &r.merged {
            crate::outln!("merge {dup} into {keep}");
        }
        crate::outln!(
            "{} duplicates merged; {} part slot and {} sample lock references remapped",
            r.merged.len(),
            r.remapped.part_slots,
            r.remapped.locks
        );
    }
    if a.remove_unused {
        let removed = slots::remove_unused(&mut p).map_err(|e| e.to_string())?;
        for s in &removed {
            crate::outln!("remove unused {s}");
        }
        crate::outln!("{} unused slots removed", removed.len());
    }
    if writes {
        let report = p.save(false).map_err(|e| e.to_string())?;
        for w in &report.written {
            crate::outln!("wrote {}", w.display());
        }
    } else if edits {
        crate::outln!("dry run: nothing written");
    }
    Ok(())
}

/// Runs `octa slots`.
pub fn slots(a: &SlotsArgs) -> ExitCode {
    match run_slots(a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::errln!("octa slots: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_and_destination_name_the_same_kind() {
        let spec = |s: &str| super::super::args::copy_spec(s).unwrap();
        assert_eq!(
            split_spec(&spec("./P:b05.m2")).unwrap(),
            (
                PathBuf::from("./P"),
                Target::Track {
                    bank: 1,
                    pattern: 4,
                    track: 9
                }
            )
        );
        // `F1` is Flex slot 1, never pattern F01, so it is no destination for a pattern.
        let e = split_spec(&spec("./P:F1")).unwrap_err();
        assert_eq!(
            e,
            "./P:F1: the source names a bank, pattern, part, track or scene, so the destination must too"
        );
        assert_eq!(
            split_spec(&spec("./P:F01")).unwrap().1,
            Target::Pattern {
                bank: 5,
                pattern: 0
            }
        );
    }
}
