//! Planning a copy ([`plan`]: slots matched or given, files listed), applying it to the
//! destination in memory ([`apply`]) and committing it with the project's files ([`commit`]).

use super::files::{FileCopy, Taken, contained_place, same_path, stage_files, tidy};
use super::payload::{
    CopyOptions, Payload, apply_payload, invalid, payload, payload_refs, remap_payload,
};
use super::target::Target;
use crate::format::markers::SlotMarkers;
use crate::format::project_file::SampleSlot;
use crate::format::slot_attrs::SlotRef;
use crate::project::files::FileId;
use crate::project::model::Project;
use crate::project::slots::{self, RemapCount, Result, SlotError, SlotMap, SlotUse};
use std::collections::{BTreeMap, BTreeSet};

/// One source slot and where it lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotMove {
    /// The source slot.
    pub from: SlotRef,
    /// The destination slot.
    pub to: SlotRef,
    /// An identical slot already existed in the destination (else a new block is written).
    pub reused: bool,
    /// The destination `PATH`.
    pub path: String,
    /// Why the slot is reused or added (`same file, same settings`, `no slot holds this
    /// file`, `F3 holds this file with other GAIN`).
    pub why: String,
}

/// Everything a copy will do, computed before anything changes.
#[derive(Debug)]
pub struct CopyPlan {
    /// What is copied.
    pub from: Target,
    /// Where to.
    pub to: Target,
    /// The content, with references already rewritten for the destination.
    pub payload: Payload,
    /// Slots brought along (reused or new).
    pub slots: Vec<SlotMove>,
    /// New destination blocks with their markers.
    pub new_blocks: Vec<(SampleSlot, Option<SlotMarkers>)>,
    /// Sample files to copy, each followed by its `.ot` settings file when it has one.
    pub files: Vec<FileCopy>,
    /// References rewritten.
    pub remapped: RemapCount,
    /// Things the user should know (missing samples, files renamed, ...).
    pub notes: Vec<String>,
    /// The destination project's name (empty within one project).
    pub dst_project: String,
    /// The source project's name (empty within one project).
    pub src_project: String,
}

impl CopyPlan {
    /// A human-readable summary, one line per item.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        let side = |name: &str| {
            if name.is_empty() {
                String::new()
            } else {
                format!(" of {name}")
            }
        };
        out.push(format!(
            "copy {}{} -> {}{}",
            self.from,
            side(&self.src_project),
            self.to,
            side(&self.dst_project)
        ));
        let reused = self.slots.iter().filter(|m| m.reused).count();
        out.push(format!(
            "slots: {} brought along ({} reused, {} new); {} part slot and {} sample lock references remapped",
            self.slots.len(),
            reused,
            self.slots.len() - reused,
            self.remapped.part_slots,
            self.remapped.locks
        ));
        for m in &self.slots {
            out.push(format!(
                "  {} -> {} {} {}{}",
                m.from,
                m.to,
                if m.reused { "(reuse)" } else { "(new)  " },
                m.path,
                if m.why.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", m.why)
                }
            ));
        }
        for f in &self.files {
            let what = if f.is_sidecar() {
                " (sample settings)"
            } else {
                ""
            };
            out.push(format!(
                "  file {} -> {}{what}",
                tidy(&f.from).display(),
                tidy(&f.to).display()
            ));
        }
        for n in &self.notes {
            out.push(format!("  note: {n}"));
        }
        out
    }
}

/// Plans copying `from` of `src` onto `to` of `dst` (`None`: the same project, where slots
/// need no remapping).
pub fn plan(
    src: &Project,
    from: Target,
    dst: Option<&Project>,
    to: Target,
    opts: &CopyOptions,
) -> Result<CopyPlan> {
    from.check()?;
    to.check()?;
    if std::mem::discriminant(&from) != std::mem::discriminant(&to) {
        return Err(invalid(format!(
            "cannot copy {from} onto {to}: not the same kind"
        )));
    }
    if let (Target::Track { track: a, .. }, Target::Track { track: b, .. }) = (from, to)
        && (a < 8) != (b < 8)
    {
        return Err(invalid(
            "audio and MIDI tracks cannot be copied onto each other",
        ));
    }
    let src_bank = src.bank(from.bank());
    let mut payload = payload(src_bank, from, opts)?;
    let Some(dst) = dst else {
        return Ok(CopyPlan {
            from,
            to,
            payload,
            slots: Vec::new(),
            new_blocks: Vec::new(),
            files: Vec::new(),
            remapped: RemapCount::default(),
            notes: Vec::new(),
            dst_project: String::new(),
            src_project: String::new(),
        });
    };
    let mut out = CopyPlan {
        from,
        to,
        payload: Payload::Scene(Box::default()),
        slots: Vec::new(),
        new_blocks: Vec::new(),
        files: Vec::new(),
        remapped: RemapCount::default(),
        notes: Vec::new(),
        dst_project: String::new(),
        src_project: String::new(),
    };
    out.src_project = src.name().to_string();
    out.dst_project = dst.name().to_string();

    let src_blocks: BTreeMap<SlotRef, SampleSlot> = slots::project_file(src)?
        .slots()
        .into_iter()
        .map(|s| (s.slot, s))
        .collect();
    let dst_pf = slots::project_file(dst)?;
    // Source slots with a sample, in slot order.
    let needed: BTreeSet<SlotRef> = payload_refs(&payload)
        .into_iter()
        .map(|(s, _)| s)
        .filter(|s| !matches!(s, SlotRef::Recorder(_)))
        .filter(|s| src_blocks.get(s).is_some_and(|b| !b.path.is_empty()))
        .collect();

    if let (false, crate::project::model::Location::Zip { archive, .. }) =
        (needed.is_empty(), dst.location())
    {
        return Err(invalid(format!(
            "{}: copying sample slots into a zip is not supported ({} slots with samples, from {}); extract the zip, copy into the folder, and zip it again",
            archive.display(),
            needed.len(),
            needed
                .iter()
                .next()
                .map(|s| s.to_string())
                .unwrap_or_default()
        )));
    }
    // Destination slots nothing plays (outside the bank a bank copy replaces) and without sample.
    let mut busy: BTreeSet<SlotRef> = BTreeSet::new();
    for b in 0..16 {
        if matches!(to, Target::Bank { bank } if bank == b) {
            continue;
        }
        let mut uses = Vec::new();
        slots::bank_uses(dst.bank(b), b, &mut uses);
        busy.extend(
            uses.into_iter()
                .filter(|(_, u): &(SlotRef, SlotUse)| u.is_active())
                .map(|(s, _)| s),
        );
    }
    let dst_blocks: BTreeMap<SlotRef, SampleSlot> =
        dst_pf.slots().into_iter().map(|s| (s.slot, s)).collect();
    let is_free = |s: SlotRef, busy: &BTreeSet<SlotRef>| {
        !busy.contains(&s) && dst_blocks.get(&s).is_none_or(|b| b.path.is_empty())
    };

    let mut map = SlotMap::new();
    let mut taken_files = Taken::new();
    let mut pending: Vec<(SlotRef, SampleSlot, Option<SlotMarkers>)> = Vec::new();
    // Source slots identical to an earlier pending one: (source, index in `pending`).
    let mut folded: Vec<(SlotRef, usize)> = Vec::new();
    // Why a source slot gets a new destination slot.
    let mut whys: BTreeMap<SlotRef, String> = BTreeMap::new();
    for &s in &needed {
        let Some(block) = src_blocks.get(&s) else {
            continue;
        };
        let markers = src.markers().slot(s).ok();
        let (path, files) = contained_place(src, dst, s, &block.path, &taken_files, &mut out)?;
        for f in files {
            taken_files.insert(f.to.clone(), f.from.clone());
            out.files.push(f);
        }
        let mut want = block.clone();
        want.path = path.clone();
        // A new block is written as the device writes it: ot-tools' `.ot`-style 255 is DIRECT (-1).
        if want.trig_quant == Some(crate::format::slot_attrs::TrigQuant::Other(255)) {
            want.trig_quant = Some(crate::format::slot_attrs::TrigQuant::Direct);
        }
        // A destination slot of the same pool holding the same file (the source's own slot
        // number first), compared by meaning: settings and markers equal, or, with
        // `reuse_same_file`, only the file.
        let same_file_slots: Vec<&SampleSlot> = dst_blocks
            .values()
            .filter(|d| d.slot.is_flex_pool() == s.is_flex_pool())
            .filter(|d| !matches!(d.slot, SlotRef::Recorder(_)))
            .filter(|d| !d.path.is_empty() && same_path(dst, &d.path, &want.path))
            .collect();
        let ordered = same_file_slots
            .iter()
            .filter(|d| d.slot == s)
            .chain(same_file_slots.iter().filter(|d| d.slot != s));
        let mut equal = None;
        let mut differing: Vec<(SlotRef, Vec<&'static str>)> = Vec::new();
        for d in ordered {
            let mut diff = slots::settings_differences(d, &want);
            if dst.markers().slot(d.slot).ok() != markers {
                diff.push("MARKERS");
            }
            if diff.is_empty() {
                equal = Some(d.slot);
                break;
            }
            differing.push((d.slot, diff));
        }
        let reuse = equal
            .map(|d| (d, "same file, same settings".to_string()))
            .or_else(|| {
                let (d, diff) = differing.first()?;
                opts.reuse_same_file
                    .then(|| (*d, format!("same file, other {} (kept)", diff.join(", "))))
            });
        if let Some((d, why)) = reuse {
            map.insert(s, d);
            out.slots.push(SlotMove {
                from: s,
                to: d,
                reused: true,
                path,
                why,
            });
            continue;
        }
        let mut why = "no slot holds this file".to_string();
        if let Some((d, diff)) = differing.first() {
            why = format!("{d} holds this file with other {}", diff.join(", "));
            out.notes.push(format!(
                "{s}: {d} holds the same file with other {}; a new slot keeps the source's (reuse it instead with --reuse-same-file)",
                diff.join(", ")
            ));
        }
        whys.insert(s, why);
        if let Some(i) = pending.iter().position(|(p, b, m)| {
            let mut a = b.clone();
            a.slot = want.slot;
            p.is_flex_pool() == s.is_flex_pool() && a == want && *m == markers
        }) {
            folded.push((s, i));
            continue;
        }
        pending.push((s, want, markers));
    }
    // Free slots for the rest, lowest first, per pool.
    for flex in [true, false] {
        let want: Vec<usize> = (0..pending.len())
            .filter(|&i| pending[i].0.is_flex_pool() == flex)
            .collect();
        if want.is_empty() {
            continue;
        }
        let free: Vec<SlotRef> = (1..=128u16)
            .map(|n| {
                if flex {
                    SlotRef::Flex(n)
                } else {
                    SlotRef::Static(n)
                }
            })
            .filter(|s| is_free(*s, &busy))
            .collect();
        if free.len() < want.len() {
            return Err(SlotError::NoFreeSlots {
                pool: if flex { "Flex" } else { "Static" },
                project: dst.name().to_string(),
                needed: want.len(),
                free: free.len(),
            });
        }
        for (i, d) in want.into_iter().zip(free) {
            let (s, block, markers) = &mut pending[i];
            // Identical source slots were already folded onto the first one.
            map.insert(*s, d);
            block.slot = d;
            busy.insert(d);
            out.slots.push(SlotMove {
                from: *s,
                to: d,
                reused: false,
                path: block.path.clone(),
                why: whys.remove(s).unwrap_or_default(),
            });
            out.new_blocks.push((block.clone(), markers.clone()));
        }
    }
    // Sources folded onto a pending slot share that slot.
    for (s, i) in folded {
        let b = &pending[i].1;
        map.insert(s, b.slot);
        out.slots.push(SlotMove {
            from: s,
            to: b.slot,
            reused: true,
            path: b.path.clone(),
            why: format!("same file and settings as {}", pending[i].0),
        });
    }
    out.slots.sort_by_key(|m| m.from);
    // Source slots mapped onto themselves need no rewrite (rewrites are simultaneous, so a
    // slot that keeps its number is never captured by another's rewrite).
    map.retain(|a, b| a != b);
    out.remapped = remap_payload(&mut payload, &map).map_err(|source| SlotError::Format {
        file: src.file_path(FileId::Bank(from.bank()), false),
        source,
    })?;
    out.payload = payload;
    Ok(out)
}

/// Applies a plan to the destination project in memory: new slot blocks and markers, then the
/// payload. Nothing is written to disk (see [`copy_files`] and the project's save).
pub fn apply(plan: CopyPlan, dst: &mut Project) -> Result<()> {
    if !plan.new_blocks.is_empty() {
        let mut pf = slots::project_file(dst)?;
        let file = dst.file_path(FileId::Project, false);
        let ferr = |source| SlotError::Format {
            file: file.clone(),
            source,
        };
        for (block, _) in &plan.new_blocks {
            if pf.slot(block.slot).is_some() {
                pf.remove_slot(block.slot).map_err(ferr)?;
            }
            pf.add_slot(block).map_err(ferr)?;
        }
        slots::set_project_file(dst, &pf);
        let mfile = dst.file_path(FileId::Markers, false);
        let markers = dst.markers_mut();
        for (block, m) in &plan.new_blocks {
            let r = match m {
                Some(m) => markers
                    .clear_slot(block.slot)
                    .and_then(|_| markers.set_slot(block.slot, m)),
                None => markers.clear_slot(block.slot),
            };
            r.map_err(|source| SlotError::Format {
                file: mfile.clone(),
                source,
            })?;
        }
    }
    let bank = dst.bank_mut(plan.to.bank());
    match (plan.payload, plan.to) {
        (Payload::Bank(b), Target::Bank { .. }) => *bank = *b,
        (payload, to) => apply_payload(bank, to, &payload)?,
    }
    Ok(())
}

/// Applies a plan and saves the destination, committing the sample files and the project's
/// files together (all or nothing, see [`crate::project::durable`]). Returns the sample files copied and
/// the save's report.
pub fn commit(
    plan: CopyPlan,
    dst: &mut Project,
    force: bool,
) -> Result<crate::project::SaveReport> {
    dst.check_writable()?;
    let txn = stage_files(&plan, dst.path())?;
    apply(plan, dst)?;
    Ok(dst.save_with(force, txn)?)
}
