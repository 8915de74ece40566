//! Slot-to-slot copy, as Octatrack Manager has it: `F1` of one project onto `F1` of another
//! (or of the same project), a range `F1-F8` at once. The destination slot gets the source's
//! `[SAMPLE]` block (path, gain, loop mode, time-stretch mode, trig quantization, tempo /
//! trim bars) and its markers (trim, loop, slices); the sample file (and its `.ot`) comes
//! along with the same rules as every copy ([`super::copy`]: into the destination set's AUDIO
//! folder, renamed rather than over a different file). An empty source slot empties the
//! destination slot. Nothing in the banks changes.

use super::Project;
use super::copy::{self, CopyPlan, FileCopy, Payload, Taken, Target};
use super::files::FileId;
use super::slots::{self, RemapCount, Result, SlotError};
use crate::format::address::SlotRange;
use crate::format::markers::SlotMarkers;
use crate::format::project_file::SampleSlot;
use crate::format::slot_attrs::SlotRef;
use std::path::PathBuf;

/// One slot copied.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotCopyMove {
    /// The source slot.
    pub from: SlotRef,
    /// The destination slot.
    pub to: SlotRef,
    /// The block the destination gets (its `PATH` already rewritten for the destination);
    /// `None` when the source slot is empty (the destination is emptied).
    pub block: Option<SampleSlot>,
    /// The source's markers.
    pub markers: Option<SlotMarkers>,
    /// The destination's `PATH` before, when it held a sample.
    pub replaces: Option<String>,
}

/// Everything a slot copy will do.
#[derive(Debug)]
pub struct SlotCopyPlan {
    /// The slots, in order.
    pub moves: Vec<SlotCopyMove>,
    /// Sample files (and `.ot` files) to copy.
    pub files: Vec<FileCopy>,
    /// Things the user should know (missing samples, renamed files).
    pub notes: Vec<String>,
    /// Source project name (empty within one project).
    pub src_project: String,
    /// Destination project name (empty within one project).
    pub dst_project: String,
}

/// Whether `what` names slots rather than a bank / pattern / part: `F1`, `S3`, `F1-F8`,
/// `S3-5`, `FLEX12`, `STATIC3`, `F010`. A lone `F` with two digits 01-16 (`F05`, `F10`) is
/// bank F's pattern, as everywhere else; write Flex slots 10-16 as `F010` or `FLEX10`
/// (the grammar is [`SlotRange`]'s).
pub fn is_slot_spec(what: &str) -> bool {
    SlotRange::is_slot_text(what)
}

/// Parses `F1`, `S3`, `F1-F8`, `F1-8` into the slots named, in order (Flex and Static only).
pub fn parse_slots(what: &str) -> std::result::Result<Vec<SlotRef>, String> {
    Ok(what.parse::<SlotRange>()?.slots())
}

/// The destination slots for `count` source slots onto `to` (a start slot or a range as long).
pub fn destination_slots(
    to: &[SlotRef],
    count: usize,
) -> std::result::Result<Vec<SlotRef>, String> {
    match to {
        [one] if count > 1 => {
            let (pool, start) = match *one {
                SlotRef::Flex(n) => (true, n),
                SlotRef::Static(n) => (false, n),
                SlotRef::Recorder(_) => return Err("recorder buffers cannot be copied onto".into()),
            };
            let end = start as usize + count - 1;
            if end > 128 {
                return Err(format!("{count} slots from {one} run past slot 128"));
            }
            Ok((start..=end as u16)
                .map(|n| {
                    if pool {
                        SlotRef::Flex(n)
                    } else {
                        SlotRef::Static(n)
                    }
                })
                .collect())
        }
        _ if to.len() == count => Ok(to.to_vec()),
        _ => Err(format!(
            "{count} source slot(s) onto {} destination slot(s): give one start slot or a range as long",
            to.len()
        )),
    }
}

/// Plans copying slots `from` of `src` onto slots `to` of `dst` (`None`: the same project).
pub fn plan(
    src: &Project,
    from: &[SlotRef],
    dst: Option<&Project>,
    to: &[SlotRef],
) -> Result<SlotCopyPlan> {
    let to = destination_slots(to, from.len()).map_err(SlotError::Invalid)?;
    if from.is_empty() {
        return Err(SlotError::Invalid("no slot to copy".into()));
    }
    for s in from.iter().chain(&to) {
        if matches!(s, SlotRef::Recorder(_)) || !s.is_valid() {
            return Err(SlotError::Invalid(format!(
                "{s}: only Flex and Static slots 1-128 can be copied"
            )));
        }
    }
    let src_pf = slots::project_file(src)?;
    let target = dst.unwrap_or(src);
    let dst_pf = slots::project_file(target)?;
    let mut out = SlotCopyPlan {
        moves: Vec::new(),
        files: Vec::new(),
        notes: Vec::new(),
        src_project: String::new(),
        dst_project: String::new(),
    };
    if let Some(d) = dst {
        out.src_project = src.name().to_string();
        out.dst_project = d.name().to_string();
    }
    let mut taken = Taken::new();
    for (&s, &d) in from.iter().zip(&to) {
        let replaces = dst_pf.slot(d).map(|b| b.path).filter(|p| !p.is_empty());
        let block = src_pf.slot(s).filter(|b| !b.path.is_empty()).map(|mut b| {
            // written as the device writes it: ot-tools' `.ot`-style 255 is DIRECT (-1)
            if b.trig_quant == Some(crate::format::slot_attrs::TrigQuant::Other(255)) {
                b.trig_quant = Some(crate::format::slot_attrs::TrigQuant::Direct);
            }
            b
        });
        let markers = src.markers().slot(s).ok();
        let block = match (block, dst) {
            (None, _) => None,
            (Some(mut b), Some(dst)) => {
                let (path, files) = copy::place_file(src, dst, &b.path, &taken, &mut out.notes);
                for f in files {
                    taken.insert(f.to.clone(), f.from.clone());
                    out.files.push(f);
                }
                b.path = path;
                b.slot = d;
                Some(b)
            }
            (Some(mut b), None) => {
                b.slot = d;
                Some(b)
            }
        };
        out.moves.push(SlotCopyMove {
            from: s,
            to: d,
            block,
            markers,
            replaces,
        });
    }
    Ok(out)
}

impl SlotCopyPlan {
    /// One line per item, for people.
    pub fn summary(&self) -> Vec<String> {
        let side = |n: &str| {
            if n.is_empty() {
                String::new()
            } else {
                format!(" of {n}")
            }
        };
        let mut out = vec![format!(
            "copy {} slot(s){} onto slot(s){}",
            self.moves.len(),
            side(&self.src_project),
            side(&self.dst_project)
        )];
        for m in &self.moves {
            let what = match &m.block {
                Some(b) => b.path.clone(),
                None => "(empty: the destination slot is emptied)".into(),
            };
            let was = m
                .replaces
                .as_ref()
                .map_or(String::new(), |p| format!(" (replaces {p})"));
            out.push(format!("  {} -> {} {what}{was}", m.from, m.to));
        }
        for f in &self.files {
            out.push(format!(
                "  file {} -> {}{}",
                f.from.display(),
                f.to.display(),
                if f.is_sidecar() {
                    " (sample settings)"
                } else {
                    ""
                }
            ));
        }
        for n in &self.notes {
            out.push(format!("  note: {n}"));
        }
        out
    }

    /// The plan's files as a [`CopyPlan`], so they are copied by [`copy::copy_files`] with the
    /// rules of every copy.
    fn files_plan(&self) -> CopyPlan {
        CopyPlan {
            from: Target::Bank { bank: 0 },
            to: Target::Bank { bank: 0 },
            payload: Payload::Scene(Box::default()),
            slots: Vec::new(),
            new_blocks: Vec::new(),
            files: self.files.clone(),
            remapped: RemapCount::default(),
            notes: Vec::new(),
            dst_project: self.dst_project.clone(),
            src_project: self.src_project.clone(),
        }
    }
}

/// Copies the plan's sample files (see [`copy::copy_files`]).
pub fn copy_files(plan: &SlotCopyPlan) -> Result<Vec<PathBuf>> {
    copy::copy_files(&plan.files_plan())
}

/// Applies a plan and saves the destination, committing the sample files and the project's
/// files together (all or nothing, see [`super::durable`]), as [`copy::commit`] does.
pub fn commit(plan: &SlotCopyPlan, dst: &mut Project, force: bool) -> Result<super::SaveReport> {
    dst.check_writable()?;
    let txn = copy::stage_files(&plan.files_plan(), dst.path())?;
    apply(plan, dst)?;
    Ok(dst.save_with(force, txn)?)
}

/// Applies a plan to the destination in memory: each destination `[SAMPLE]` block replaced by
/// the source's (or removed for an empty source) and its markers set. Banks do not change.
pub fn apply(plan: &SlotCopyPlan, dst: &mut Project) -> Result<()> {
    let mut pf = slots::project_file(dst)?;
    let file = dst.file_path(FileId::Project, false);
    let ferr = |source| SlotError::Format {
        file: file.clone(),
        source,
    };
    for m in &plan.moves {
        pf.remove_slot(m.to).map_err(ferr)?;
        if let Some(b) = &m.block {
            pf.add_slot(b).map_err(ferr)?;
        }
    }
    slots::set_project_file(dst, &pf);
    let mfile = dst.file_path(FileId::Markers, false);
    let mut markers = dst.markers().clone();
    for m in &plan.moves {
        let r = markers
            .clear_slot(m.to)
            .and_then(|_| match (&m.block, &m.markers) {
                (Some(_), Some(mk)) => markers.set_slot(m.to, mk),
                _ => Ok(()),
            });
        r.map_err(|source| SlotError::Format {
            file: mfile.clone(),
            source,
        })?;
    }
    if markers.to_bytes() != dst.markers().to_bytes() {
        *dst.markers_mut() = markers;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_specs_and_pattern_specs_stay_apart() {
        for s in [
            "F1", "f9", "S3", "S10", "F1-F8", "F1-8", "S3-S5", "FLEX10", "F010", "static3", "F17",
            "F128",
        ] {
            assert!(is_slot_spec(s), "{s}");
        }
        for s in ["F05", "F10", "F16", "A05", "A", "A.P2", "F05.T3", "R1", "F"] {
            assert!(!is_slot_spec(s), "{s}");
        }
        assert_eq!(
            parse_slots("F1-F3"),
            Ok(vec![SlotRef::Flex(1), SlotRef::Flex(2), SlotRef::Flex(3)])
        );
        assert_eq!(parse_slots("S3"), Ok(vec![SlotRef::Static(3)]));
        assert!(parse_slots("F3-F1").is_err());
        assert!(parse_slots("F1-S3").is_err());
        assert!(parse_slots("R1").is_err());
        assert_eq!(
            destination_slots(&[SlotRef::Flex(9)], 2),
            Ok(vec![SlotRef::Flex(9), SlotRef::Flex(10)])
        );
        assert!(destination_slots(&[SlotRef::Flex(128)], 2).is_err());
        assert!(destination_slots(&[SlotRef::Flex(1), SlotRef::Flex(2)], 3).is_err());
    }
}
