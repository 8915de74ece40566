//! Sample slots of a project: what each slot holds, where it is used (part machine slots and
//! sample locks), remapping references, merging duplicate slots, removing unused slots and
//! assigning a file to a slot (project.work block + markers trim end, format doc §3.5 / §8.11).

use super::error::ProjectError;
use super::files::FileId;
use super::model::{BANKS, Project};
use crate::format::bank::{AudioTrack, Bank, PARTS, Part, SlotRecord};
use crate::format::markers::SlotMarkers;
use crate::format::project_file::{ProjectFile, SampleSlot, SlotAttr};
use crate::format::slot_attrs::SlotRef;
use crate::format::{FormatError, MachineType};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use thiserror::Error;

/// Why a slot operation or a copy failed.
#[derive(Debug, Error)]
pub enum SlotError {
    /// Reading or writing a project or sample file failed.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// A project file could not be parsed or edited.
    #[error("{file}: {source}")]
    Format {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        source: FormatError,
    },
    /// The destination pool has too few free slots.
    #[error(
        "not enough free {pool} slots in {project}: {needed} needed, {free} free (free some with `octa slots --remove-unused` or merge duplicates)"
    )]
    NoFreeSlots {
        /// "Flex" or "Static".
        pool: &'static str,
        /// The destination project.
        project: String,
        /// How many new slots the copy needs.
        needed: usize,
        /// How many are free.
        free: usize,
    },
    /// The request does not make sense (wrong kinds, indices out of range, ...).
    #[error("{0}")]
    Invalid(String),
    /// A sample file that cannot go into a slot.
    #[error(transparent)]
    Sample(#[from] super::sample_file::SampleFileError),
}

/// Result of slot operations.
pub type Result<T, E = SlotError> = std::result::Result<T, E>;

/// The project's `project.work` (a copy to edit; see [`set_project_file`]).
pub fn project_file(p: &Project) -> Result<ProjectFile> {
    Ok(p.project_file().clone())
}

/// Writes an edited `project.work` back into the project (marking it changed only when it differs).
pub fn set_project_file(p: &mut Project, pf: &ProjectFile) {
    if p.project_file().to_bytes() != pf.to_bytes() {
        *p.project_file_mut() = pf.clone();
    }
}

/// The slot a part's Static slot byte names (0..127).
pub fn static_ref(v: u8) -> Option<SlotRef> {
    (v < 128).then_some(SlotRef::Static(v as u16 + 1))
}

/// The slot a part's Flex slot byte names (0..127 Flex, 128..135 recorder buffers).
pub fn flex_ref(v: u8) -> Option<SlotRef> {
    match v {
        0..=127 => Some(SlotRef::Flex(v as u16 + 1)),
        128..=135 => Some(SlotRef::Recorder(v as u16 - 127)),
        _ => None,
    }
}

/// The byte a bank stores for a slot (0-based; recorders 128..135 in the Flex pool).
pub fn slot_byte(s: SlotRef) -> Option<u8> {
    s.is_valid().then(|| match s {
        SlotRef::Flex(n) | SlotRef::Static(n) => (n - 1) as u8,
        SlotRef::Recorder(n) => (127 + n) as u8,
    })
}

/// The slot a sample lock names on a track with machine `m` (None for machines without slots).
pub fn lock_ref(m: MachineType, v: u8) -> Option<SlotRef> {
    match m {
        MachineType::Static => static_ref(v),
        MachineType::Flex => flex_ref(v),
        _ => None,
    }
}

/// One reference to a sample slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SlotUse {
    /// A part's machine slot record.
    Part {
        /// Bank 0..16.
        bank: u8,
        /// Part 0..4.
        part: u8,
        /// Audio track 0..8.
        track: u8,
        /// The saved copy of the part (else the working copy).
        saved: bool,
        /// The track's machine plays from this pool (else a kept, inactive setting).
        active: bool,
    },
    /// A sample lock of a pattern step.
    Lock {
        /// Bank 0..16.
        bank: u8,
        /// Pattern 0..16.
        pattern: u8,
        /// Audio track 0..8.
        track: u8,
        /// Step 0..64.
        step: u8,
    },
}

impl SlotUse {
    /// Whether the reference makes the slot play (locks and active machine slots).
    pub fn is_active(&self) -> bool {
        match self {
            SlotUse::Part { active, .. } => *active,
            SlotUse::Lock { .. } => true,
        }
    }
}

impl std::fmt::Display for SlotUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bank = |b: u8| (b'A' + b) as char;
        match *self {
            SlotUse::Part {
                bank: b,
                part,
                track,
                saved,
                active,
            } => write!(
                f,
                "{}part {} T{}{}{}",
                bank(b),
                part + 1,
                track + 1,
                if saved { " (saved)" } else { "" },
                if active { "" } else { " (inactive)" }
            ),
            SlotUse::Lock {
                bank: b,
                pattern,
                track,
                step,
            } => write!(
                f,
                "{}{:02} T{} step {} lock",
                bank(b),
                pattern + 1,
                track + 1,
                step + 1
            ),
        }
    }
}

/// The slot references of one part: (slot, track, active) for both pools of every track.
pub fn part_refs(part: &Part) -> Vec<(SlotRef, u8, bool)> {
    let mut out = Vec::with_capacity(16);
    for t in 0..8 {
        let m = part.machine_type(t);
        let r = &part.slots[t];
        if let Some(s) = static_ref(r.static_slot) {
            out.push((s, t as u8, m == MachineType::Static));
        }
        if let Some(s) = flex_ref(r.flex_slot) {
            out.push((s, t as u8, m == MachineType::Flex));
        }
    }
    out
}

/// Appends every reference of a bank to `out`.
pub fn bank_uses(bank: &Bank, b: usize, out: &mut Vec<(SlotRef, SlotUse)>) {
    for (saved, parts) in [(false, bank.parts()), (true, bank.saved_parts())] {
        for (p, part) in parts.iter().enumerate() {
            for (s, track, active) in part_refs(part) {
                out.push((
                    s,
                    SlotUse::Part {
                        bank: b as u8,
                        part: p as u8,
                        track,
                        saved,
                        active,
                    },
                ));
            }
        }
    }
    for (pi, pat) in bank.patterns.iter().enumerate() {
        let Some(part) = bank.part(pat.part as usize) else {
            continue;
        };
        for (t, tr) in pat.audio.iter().enumerate() {
            let m = part.machine_type(t);
            if !matches!(m, MachineType::Static | MachineType::Flex) {
                continue;
            }
            for step in 0..64 {
                if let Some(s) = tr.sample_lock(step).and_then(|v| lock_ref(m, v)) {
                    out.push((
                        s,
                        SlotUse::Lock {
                            bank: b as u8,
                            pattern: pi as u8,
                            track: t as u8,
                            step: step as u8,
                        },
                    ));
                }
            }
        }
    }
}

/// Every slot reference in the project's banks, by slot.
pub fn uses(p: &Project) -> BTreeMap<SlotRef, Vec<SlotUse>> {
    let mut all = Vec::new();
    for b in 0..BANKS {
        bank_uses(p.bank(b), b, &mut all);
    }
    let mut map: BTreeMap<SlotRef, Vec<SlotUse>> = BTreeMap::new();
    for (s, u) in all {
        map.entry(s).or_default().push(u);
    }
    map
}

/// How many references a remap rewrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemapCount {
    /// Part machine slot bytes (working and saved copies).
    pub part_slots: usize,
    /// Sample locks in patterns.
    pub locks: usize,
}

impl std::ops::AddAssign for RemapCount {
    fn add_assign(&mut self, o: Self) {
        self.part_slots += o.part_slots;
        self.locks += o.locks;
    }
}

/// A slot mapping: source slot to destination slot (slots not in it keep their number).
pub type SlotMap = BTreeMap<SlotRef, SlotRef>;

/// Rewrites one track's slot record through `map`; returns how many bytes changed.
pub fn remap_slot_record(r: &mut SlotRecord, map: &SlotMap) -> usize {
    let mut n = 0;
    if let Some(to) = static_ref(r.static_slot)
        .and_then(|s| map.get(&s))
        .and_then(|&d| slot_byte(d))
        && to != r.static_slot
    {
        r.static_slot = to;
        n += 1;
    }
    if let Some(to) = flex_ref(r.flex_slot)
        .and_then(|s| map.get(&s))
        .and_then(|&d| slot_byte(d))
        && to != r.flex_slot
    {
        r.flex_slot = to;
        n += 1;
    }
    n
}

/// Rewrites the machine slot bytes of a part through `map`; returns how many changed.
pub fn remap_part(part: &mut Part, map: &SlotMap) -> usize {
    part.slots
        .iter_mut()
        .map(|r| remap_slot_record(r, map))
        .sum()
}

/// Rewrites the sample locks of one audio track whose machine is `m`; returns how many changed.
pub fn remap_track_locks(tr: &mut AudioTrack, m: MachineType, map: &SlotMap) -> usize {
    let mut n = 0;
    for step in 0..64 {
        let Some(v) = tr.sample_lock(step) else {
            continue;
        };
        if let Some(to) = lock_ref(m, v)
            .and_then(|s| map.get(&s))
            .and_then(|&d| slot_byte(d))
            && to != v
            && tr.set_sample_lock(step, Some(to)).is_ok()
        {
            n += 1;
        }
    }
    n
}

/// Rewrites the sample locks of a pattern's audio tracks; `machines` gives each track's machine
/// (from the part the pattern plays). Returns how many changed.
pub fn remap_locks(
    pattern: &mut crate::format::bank::Pattern,
    machines: &[MachineType; 8],
    map: &SlotMap,
) -> usize {
    pattern
        .audio
        .iter_mut()
        .zip(machines)
        .map(|(tr, &m)| remap_track_locks(tr, m, map))
        .sum()
}

/// The machine of every audio track of a part.
pub fn machines(part: &Part) -> [MachineType; 8] {
    std::array::from_fn(|t| part.machine_type(t))
}

/// Rewrites every reference of a bank (working and saved parts, all sample locks) through
/// `map`. This renames slots, it does not edit parts: the edited bits stay as they were.
pub fn remap_bank(bank: &mut Bank, map: &SlotMap) -> Result<RemapCount, FormatError> {
    let mut count = RemapCount::default();
    if map.is_empty() {
        return Ok(count);
    }
    let machines: Vec<[MachineType; 8]> = bank.parts().iter().map(machines).collect();
    for pat in bank.patterns.iter_mut() {
        if let Some(m) = machines.get(pat.part as usize) {
            count.locks += remap_locks(pat, m, map);
        }
    }
    let edited = bank.parts_edited_mask();
    for p in 0..PARTS {
        count.part_slots += bank.edit_saved_part(p, |part| remap_part(part, map))?;
        count.part_slots += bank.edit_part(p, |part| remap_part(part, map))?;
    }
    // Renaming slots is not a part edit: the edited bits stay as they were.
    bank.set_parts_edited_mask(edited);
    Ok(count)
}

/// A copy of a bank (`Bank::clone` clones on the heap; kept for callers of this name).
pub fn clone_bank(b: &Bank) -> Result<Bank, FormatError> {
    Ok(b.clone())
}

/// Rewrites every reference in every bank of a project; marks changed banks dirty.
pub fn remap_project(p: &mut Project, map: &SlotMap) -> Result<RemapCount> {
    let mut total = RemapCount::default();
    for b in 0..BANKS {
        let mut uses = Vec::new();
        bank_uses(p.bank(b), b, &mut uses);
        if !uses.iter().any(|(s, _)| map.get(s).is_some_and(|d| d != s)) {
            continue;
        }
        let file = p.file_path(FileId::Bank(b), false);
        total +=
            remap_bank(p.bank_mut(b), map).map_err(|source| SlotError::Format { file, source })?;
    }
    Ok(total)
}

/// Everything about one slot.
#[derive(Debug, Clone)]
pub struct SlotInfo {
    /// The slot.
    pub slot: SlotRef,
    /// Its `[SAMPLE]` block (None: never assigned).
    pub block: Option<SampleSlot>,
    /// Whether the file exists (None: no path; `Some(false)` when it leads outside).
    pub exists: Option<bool>,
    /// The path leads outside the project and `AUDIO` folders (never read or looked at).
    pub outside: bool,
    /// Its markers.
    pub markers: Option<SlotMarkers>,
    /// Where it is referenced.
    pub uses: Vec<SlotUse>,
}

impl SlotInfo {
    /// The slot's path, empty when none.
    pub fn path(&self) -> &str {
        self.block.as_ref().map_or("", |b| b.path.as_str())
    }
    /// Whether some reference makes this slot play.
    pub fn is_used(&self) -> bool {
        self.uses.iter().any(SlotUse::is_active)
    }
}

/// Every slot that has a block or a reference, in order Flex, recorders, Static.
pub fn list(p: &Project) -> Result<Vec<SlotInfo>> {
    let pf = project_file(p)?;
    let mut uses = uses(p);
    let blocks: BTreeMap<SlotRef, SampleSlot> =
        pf.slots().into_iter().map(|s| (s.slot, s)).collect();
    let mut keys: BTreeSet<SlotRef> = blocks.keys().copied().collect();
    keys.extend(uses.keys().copied());
    Ok(keys
        .into_iter()
        .map(|slot| {
            let block = blocks.get(&slot).cloned();
            let exists = block
                .as_ref()
                .filter(|b| !b.path.is_empty())
                .map(|b| p.sample_exists(&b.path));
            SlotInfo {
                slot,
                exists,
                outside: block.as_ref().is_some_and(|b| p.sample_outside(&b.path)),
                markers: p.markers().slot(slot).ok(),
                uses: uses.remove(&slot).unwrap_or_default(),
                block,
            }
        })
        .collect())
}

/// The part of a slot that makes two slots "the same": path and every setting and marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotKey {
    /// Flex pool (else Static).
    pub flex: bool,
    /// The block without its slot number.
    pub block: SampleSlot,
    /// The markers.
    pub markers: Option<SlotMarkers>,
}

/// The identity of a slot's content (None for slots without a sample).
pub fn slot_key(
    pf: &ProjectFile,
    markers: &crate::format::markers::Markers,
    s: SlotRef,
) -> Option<SlotKey> {
    let mut block = pf.slot(s).filter(|b| !b.path.is_empty())?;
    block.slot = SlotRef::Flex(1);
    Some(SlotKey {
        flex: s.is_flex_pool(),
        block,
        markers: markers.slot(s).ok(),
    })
}

/// What merging duplicates did.
#[derive(Debug, Clone, Default)]
pub struct DedupeReport {
    /// Each removed duplicate and the slot it was merged into.
    pub merged: Vec<(SlotRef, SlotRef)>,
    /// References rewritten.
    pub remapped: RemapCount,
}

/// Which duplicate merges into which slot (recorder buffers never merge).
fn dedupe_map(p: &Project, pf: &ProjectFile) -> SlotMap {
    let mut seen: Vec<(SlotKey, SlotRef)> = Vec::new();
    let mut map = SlotMap::new();
    for s in pf.slots() {
        if matches!(s.slot, SlotRef::Recorder(_)) {
            continue;
        }
        let Some(key) = slot_key(pf, p.markers(), s.slot) else {
            continue;
        };
        match seen.iter().find(|(k, _)| *k == key) {
            Some((_, keep)) => {
                map.insert(s.slot, *keep);
            }
            None => seen.push((key, s.slot)),
        }
    }
    map
}

/// What [`dedupe`] would do, computed without changing anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupePlan {
    /// Each duplicate and the slot it merges into.
    pub merged: Vec<(SlotRef, SlotRef)>,
    /// Each reference that moves: from the duplicate to the kept slot.
    pub moves: Vec<(SlotRef, SlotRef, SlotUse)>,
    /// The banks whose references change (0..16), ascending.
    pub banks: Vec<usize>,
}

impl DedupePlan {
    /// The plan in words: one line per merge, then the references that move.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} duplicate slot(s) merge; {} reference(s) move; bank(s) changed: {}",
            self.merged.len(),
            self.moves.len(),
            if self.banks.is_empty() {
                "none".to_string()
            } else {
                self.banks
                    .iter()
                    .map(|b| ((b'A' + *b as u8) as char).to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        )];
        for (dup, keep) in &self.merged {
            let n = self.moves.iter().filter(|(d, _, _)| d == dup).count();
            out.push(format!("  {dup} -> {keep} ({n} reference(s))"));
            for (_, _, u) in self.moves.iter().filter(|(d, _, _)| d == dup) {
                out.push(format!("      {u}"));
            }
        }
        out
    }
}

/// Plans [`dedupe`]: the merges, the references that move and the banks they are in.
pub fn dedupe_plan(p: &Project) -> Result<DedupePlan> {
    let pf = project_file(p)?;
    let map = dedupe_map(p, &pf);
    let all = uses(p);
    let mut plan = DedupePlan::default();
    for (dup, keep) in &map {
        plan.merged.push((*dup, *keep));
        for u in all.get(dup).into_iter().flatten() {
            plan.moves.push((*dup, *keep, *u));
            let (SlotUse::Part { bank, .. } | SlotUse::Lock { bank, .. }) = *u;
            plan.banks.push(bank as usize);
        }
    }
    plan.banks.sort_unstable();
    plan.banks.dedup();
    Ok(plan)
}

/// Merges slots with the same file and settings into the lowest-numbered one, rewriting every
/// reference (part machine slots, sample locks) and removing the duplicates' blocks and markers.
/// Recorder buffers are never merged.
pub fn dedupe(p: &mut Project) -> Result<DedupeReport> {
    let mut pf = project_file(p)?;
    let map = dedupe_map(p, &pf);
    let remapped = remap_project(p, &map)?;
    let file = p.file_path(FileId::Project, false);
    for dup in map.keys() {
        pf.remove_slot(*dup).map_err(|source| SlotError::Format {
            file: file.clone(),
            source,
        })?;
    }
    if !map.is_empty() {
        set_project_file(p, &pf);
        let mk = p.markers_mut();
        for dup in map.keys() {
            mk.clear_slot(*dup).map_err(|source| SlotError::Format {
                file: PathBuf::from("markers.work"),
                source,
            })?;
        }
    }
    Ok(DedupeReport {
        merged: map.into_iter().collect(),
        remapped,
    })
}

/// Removes the blocks and markers of Flex and Static slots that nothing plays (no sample lock,
/// no part whose machine uses it). Returns the removed slots.
pub fn remove_unused(p: &mut Project) -> Result<Vec<SlotRef>> {
    let mut pf = project_file(p)?;
    let uses = uses(p);
    let unused: Vec<SlotRef> = pf
        .slots()
        .into_iter()
        .map(|s| s.slot)
        .filter(|s| !matches!(s, SlotRef::Recorder(_)))
        .filter(|s| {
            !uses
                .get(s)
                .is_some_and(|u| u.iter().any(SlotUse::is_active))
        })
        .collect();
    let file = p.file_path(FileId::Project, false);
    for s in &unused {
        pf.remove_slot(*s).map_err(|source| SlotError::Format {
            file: file.clone(),
            source,
        })?;
    }
    if !unused.is_empty() {
        set_project_file(p, &pf);
        for s in &unused {
            let _ = p.markers_mut().clear_slot(*s);
        }
    }
    Ok(unused)
}

/// Assigns a sample file to a slot as the device does: the `[SAMPLE]` block gets the device
/// defaults and the trim estimate, and the markers get trim 0..`frames` (format doc §8.11).
/// `path` is relative to the project folder (`../AUDIO/...` for the set's pool).
pub fn assign(
    p: &mut Project,
    slot: SlotRef,
    path: &str,
    frames: u32,
    sample_rate: u32,
) -> Result<()> {
    let mut pf = project_file(p)?;
    pf.assign_sample(slot, path, frames as u64, sample_rate)
        .map_err(|source| SlotError::Format {
            file: p.file_path(FileId::Project, false),
            source,
        })?;
    set_project_file(p, &pf);
    p.markers_mut()
        .assign_sample(slot, frames)
        .map_err(|source| SlotError::Format {
            file: p.file_path(FileId::Markers, false),
            source,
        })?;
    Ok(())
}

/// The `PATH` a slot stores for a file named as [`assign_file`] takes it.
pub fn slot_path(spec: &str) -> String {
    let t = spec.trim();
    if let Some(local) = t.strip_prefix("./") {
        local.trim_start_matches('/').to_string()
    } else if t.starts_with("../AUDIO/") {
        t.to_string()
    } else {
        format!("../AUDIO/{}", t.trim_start_matches('/'))
    }
}

/// Assigns a sample file to `slot`: `Drums/kick.wav` (or `../AUDIO/Drums/kick.wav`) is a file of
/// the set's AUDIO pool, `./kick.wav` a project-local file in the project folder. Checks that it
/// is a WAV or AIFF file the device plays, reads its frame count and rate from its header and
/// calls [`assign`]. Returns the header facts (a cut-short file is assigned with the frames it
/// holds; [`PcmInfo::truncated`](super::sample_file::PcmInfo) says so).
pub fn assign_file(
    p: &mut Project,
    slot: SlotRef,
    rel: &str,
) -> Result<super::sample_file::PcmInfo> {
    let path = slot_path(rel);
    if !super::sample_file::is_assignable(&path) {
        return Err(super::sample_file::SampleFileError::Unsupported { file: path }.into());
    }
    // Only files the device can reach: the project folder and the set's AUDIO folder.
    super::contain::slot_file(p, &slot.to_string(), &path)?;
    let bytes = p.read_sample(&path)?;
    let info = super::sample_file::sample_info(&path, &bytes)?;
    assign(p, slot, &path, info.frames, info.sample_rate)?;
    Ok(info)
}

/// Sets one attribute of a slot's block.
pub fn set_attr(p: &mut Project, slot: SlotRef, attr: SlotAttr) -> Result<()> {
    let mut pf = project_file(p)?;
    pf.set_slot_attr(slot, attr)
        .map_err(|source| SlotError::Format {
            file: p.file_path(FileId::Project, false),
            source,
        })?;
    set_project_file(p, &pf);
    Ok(())
}

/// Frame count and sample rate of a PCM WAV file (RIFF `fmt ` and `data` chunks); `None` when
/// the bytes are not a readable WAV. For a file to assign (WAV or AIFF, with an error naming
/// the file) use [`super::sample_file::sample_info`].
pub fn wav_frames(bytes: &[u8]) -> Option<(u32, u32)> {
    super::sample_file::wav_info(bytes)
        .ok()
        .map(|i| (i.frames, i.sample_rate))
}

/// The settings of two slot blocks that differ in meaning, by device name (`GAIN`, `LOOP`,
/// `TSTR`, `QUANT`, `TEMPO`); empty when they play the same.
///
/// Compared by meaning, not by text: `SLOT=1` and `SLOT=001` are one slot (parsed alike),
/// `TRIGQUANTIZATION=255` (as ot-tools writes it, the `.ot` code) and `-1` both mean DIRECT,
/// and a key a block leaves out has the value the device writes when assigning a sample
/// ([`SampleSlot::assigned`]: GAIN 48, TSMODE normal, direct, LOOPMODE by pool). The sample's
/// tempo is stored either as `BPMx24` or as `TRIM_BARSx100` (0 = not worked out yet); it is
/// compared only where both blocks give it in the same key (the trim length it derives from
/// is compared with the markers). Paths are not compared here.
pub fn settings_differences(a: &SampleSlot, b: &SampleSlot) -> Vec<&'static str> {
    use crate::format::slot_attrs::{LoopMode, TimeStretch, TrigQuant};
    let quant = |q: Option<TrigQuant>| match q {
        None | Some(TrigQuant::Other(255)) => TrigQuant::Direct,
        Some(q) => q,
    };
    let pool_loop = |s: &SampleSlot| {
        if s.slot.is_flex_pool() {
            LoopMode::Normal
        } else {
            LoopMode::Off
        }
    };
    let mut out = Vec::new();
    if a.gain.unwrap_or(48) != b.gain.unwrap_or(48) {
        out.push("GAIN");
    }
    if a.loop_mode.unwrap_or_else(|| pool_loop(a)) != b.loop_mode.unwrap_or_else(|| pool_loop(b)) {
        out.push("LOOP");
    }
    if a.time_stretch.unwrap_or(TimeStretch::Normal)
        != b.time_stretch.unwrap_or(TimeStretch::Normal)
    {
        out.push("TSTR");
    }
    if quant(a.trig_quant) != quant(b.trig_quant) {
        out.push("QUANT");
    }
    let stated = |v: Option<i64>| v.filter(|&v| v != 0);
    let differs = |x: Option<i64>, y: Option<i64>| matches!((stated(x), stated(y)), (Some(x), Some(y)) if x != y);
    if differs(a.bpm_x24, b.bpm_x24) || differs(a.trim_bars_x100, b.trim_bars_x100) {
        out.push("TEMPO");
    }
    out
}

#[cfg(test)]
mod meaning_tests {
    use super::*;
    use crate::format::slot_attrs::{LoopMode, TimeStretch, TrigQuant};

    fn device(slot: SlotRef) -> SampleSlot {
        SampleSlot {
            slot,
            path: "../AUDIO/a.wav".into(),
            trim_bars_x100: None,
            bpm_x24: Some(2880),
            time_stretch: Some(TimeStretch::Off),
            loop_mode: Some(LoopMode::Off),
            gain: Some(48),
            trig_quant: Some(TrigQuant::Direct),
        }
    }

    #[test]
    fn ot_tools_keys_mean_the_same() {
        let d = device(SlotRef::Flex(1));
        // ot-tools: TRIM_BARSx100=0, no BPMx24, TRIGQUANTIZATION=255
        let o = SampleSlot {
            trim_bars_x100: Some(0),
            bpm_x24: None,
            trig_quant: Some(TrigQuant::Other(255)),
            ..d.clone()
        };
        assert!(settings_differences(&d, &o).is_empty());
        let g = SampleSlot {
            gain: Some(60),
            loop_mode: Some(LoopMode::PingPong),
            ..o.clone()
        };
        assert_eq!(settings_differences(&d, &g), ["GAIN", "LOOP"]);
        let t = SampleSlot {
            bpm_x24: Some(3000),
            time_stretch: Some(TimeStretch::Beat),
            trig_quant: Some(TrigQuant::Steps(4)),
            ..d.clone()
        };
        assert_eq!(settings_differences(&d, &t), ["TSTR", "QUANT", "TEMPO"]);
        // an absent key is the value the device writes on assignment
        let bare = SampleSlot {
            gain: None,
            time_stretch: None,
            loop_mode: None,
            trig_quant: None,
            ..device(SlotRef::Flex(1))
        };
        let assigned = SampleSlot::assigned(SlotRef::Flex(1), "../AUDIO/a.wav", 44100, 44100);
        assert!(settings_differences(&bare, &assigned).is_empty());
    }
}
