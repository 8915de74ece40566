//! Copying a bank, pattern, part, track or scene to another place in the same project or in
//! another project, bringing the sample slots it uses along.
//!
//! A copy is planned first ([`plan`]): the source content is taken out ([`Payload`]), every
//! sample slot it references is matched to an identical slot of the destination or given a free
//! one, the references in the payload are rewritten, and the sample files to copy are listed.
//! The [`CopyPlan`] can be shown to the user; [`apply`] then edits the destination project in
//! memory (saving is the caller's business) and [`copy_files`] copies the sample files.
//! No UI here: the tracker and `octa copy` both use this module.

use super::durable::{Item, Txn};
use super::files::FileId;
use super::model::{AudioPool, Project};
use super::sidecar;
use super::slots::{
    self, RemapCount, Result, SlotError, SlotMap, SlotUse, lock_ref, machines, part_refs,
    remap_bank, remap_part,
};
use crate::format::address::{Address, AddressError, BankId, PartId, PatternId, SceneId, TrackId};
use crate::format::bank::{
    AudioTrack, Bank, Bytes, LockRecords, MachineParams, MidiPageValues, MidiSetup, MidiTrack,
    PARTS, Part, Pattern, RecorderSetup, SlotRecord, TrackPageSetups, TrackPageValues,
};
use crate::format::markers::SlotMarkers;
use crate::format::project_file::SampleSlot;
use crate::format::slot_attrs::SlotRef;
use crate::format::{FormatError, MachineType};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What to copy or where to: one bank, pattern, part, track or scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A whole bank (0..16).
    Bank {
        /// Bank.
        bank: usize,
    },
    /// A pattern.
    Pattern {
        /// Bank.
        bank: usize,
        /// Pattern 0..16.
        pattern: usize,
    },
    /// A part (its working copy).
    Part {
        /// Bank.
        bank: usize,
        /// Part 0..4.
        part: usize,
    },
    /// A track of a pattern (0..8 audio, 8..16 MIDI) and its settings in the pattern's part.
    Track {
        /// Bank.
        bank: usize,
        /// Pattern 0..16.
        pattern: usize,
        /// Track 0..16.
        track: usize,
    },
    /// A scene of a part.
    Scene {
        /// Bank.
        bank: usize,
        /// Part 0..4.
        part: usize,
        /// Scene 0..16.
        scene: usize,
    },
}

fn bank_letter(b: usize) -> char {
    (b'A' + (b as u8 & 15)) as char
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let l = bank_letter;
        match *self {
            Target::Bank { bank } => write!(f, "bank {}", l(bank)),
            Target::Pattern { bank, pattern } => write!(f, "pattern {}{:02}", l(bank), pattern + 1),
            Target::Part { bank, part } => write!(f, "part {} of bank {}", part + 1, l(bank)),
            Target::Track {
                bank,
                pattern,
                track,
            } => write!(
                f,
                "track {}{} of pattern {}{:02}",
                if track < 8 { 'T' } else { 'M' },
                track % 8 + 1,
                l(bank),
                pattern + 1
            ),
            Target::Scene { bank, part, scene } => write!(
                f,
                "scene {} of part {} of bank {}",
                scene + 1,
                part + 1,
                l(bank)
            ),
        }
    }
}

impl std::str::FromStr for Target {
    type Err = AddressError;
    /// `A` (bank), `A05` (pattern), `A05.T3` / `A05.M2` (track), `A.P2` (part),
    /// `A.P2.S5` (scene); case-insensitive (the grammar of [`Address`]).
    fn from_str(s: &str) -> std::result::Result<Self, AddressError> {
        s.parse::<Address>().map(Target::from)
    }
}

impl From<Address> for Target {
    fn from(a: Address) -> Self {
        match a {
            Address::Bank(b) => Target::Bank { bank: b.index() },
            Address::Pattern(b, p) => Target::Pattern {
                bank: b.index(),
                pattern: p.index(),
            },
            Address::Part(b, p) => Target::Part {
                bank: b.index(),
                part: p.index(),
            },
            Address::Track(b, p, t) => Target::Track {
                bank: b.index(),
                pattern: p.index(),
                track: t.index(),
            },
            Address::Scene(b, p, sc) => Target::Scene {
                bank: b.index(),
                part: p.index(),
                scene: sc.index(),
            },
        }
    }
}

impl Target {
    /// The typed address (`A05.T3`); `None` when a number is out of range.
    pub fn address(&self) -> Option<Address> {
        Some(match *self {
            Target::Bank { bank } => Address::Bank(BankId::new(bank)?),
            Target::Pattern { bank, pattern } => {
                Address::Pattern(BankId::new(bank)?, PatternId::new(pattern)?)
            }
            Target::Part { bank, part } => Address::Part(BankId::new(bank)?, PartId::new(part)?),
            Target::Track {
                bank,
                pattern,
                track,
            } => Address::Track(
                BankId::new(bank)?,
                PatternId::new(pattern)?,
                TrackId::new(track)?,
            ),
            Target::Scene { bank, part, scene } => {
                Address::Scene(BankId::new(bank)?, PartId::new(part)?, SceneId::new(scene)?)
            }
        })
    }

    /// The bank it is in.
    pub fn bank(&self) -> usize {
        match *self {
            Target::Bank { bank }
            | Target::Pattern { bank, .. }
            | Target::Part { bank, .. }
            | Target::Track { bank, .. }
            | Target::Scene { bank, .. } => bank,
        }
    }

    fn check(&self) -> Result<()> {
        if self.address().is_some() {
            Ok(())
        } else {
            Err(SlotError::Invalid(format!("{self:?} is out of range")))
        }
    }
}

/// What else to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyOptions {
    /// Pattern: also copy the part it plays (into the destination bank's part of the same
    /// number). Track: also copy the track's settings in the pattern's part.
    pub with_part: bool,
    /// Track: copy the trigs, locks and settings of the pattern track (off: part settings only).
    pub trigs: bool,
    /// Reuse a destination slot holding the same file even when its settings (gain, loop,
    /// time-stretch, quantization, tempo, markers) differ (default: a new slot keeps the
    /// source's settings, and the plan says why).
    pub reuse_same_file: bool,
}

impl Default for CopyOptions {
    fn default() -> Self {
        Self {
            with_part: false,
            trigs: true,
            reuse_same_file: false,
        }
    }
}

/// An audio track's settings in a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioTrackPart {
    /// Machine type code.
    pub machine: u8,
    /// FX1 type.
    pub fx1: u8,
    /// FX2 type.
    pub fx2: u8,
    /// Volume pair.
    pub volume: Bytes<2>,
    /// SRC values of every machine.
    pub machine_values: MachineParams,
    /// LFO/AMP/FX page values.
    pub values: TrackPageValues,
    /// SETUP values of every machine.
    pub machine_setups: MachineParams,
    /// Slot record (the recorder byte stays the destination track's own).
    pub slots: SlotRecord,
    /// Page setups.
    pub setups: TrackPageSetups,
    /// Recorder setup.
    pub recorder: RecorderSetup,
}

impl AudioTrackPart {
    fn take(p: &Part, t: usize) -> Self {
        Self {
            machine: p.machine_types[t],
            fx1: p.fx1_types[t],
            fx2: p.fx2_types[t],
            volume: p.volumes[t],
            machine_values: p.machine_values[t],
            values: p.track_values[t],
            machine_setups: p.machine_setups[t],
            slots: p.slots[t],
            setups: p.track_setups[t],
            recorder: p.recorder_setups[t],
        }
    }
    fn put(&self, p: &mut Part, t: usize) {
        p.machine_types[t] = self.machine;
        p.fx1_types[t] = self.fx1;
        p.fx2_types[t] = self.fx2;
        p.volumes[t] = self.volume;
        p.machine_values[t] = self.machine_values;
        p.track_values[t] = self.values;
        p.machine_setups[t] = self.machine_setups;
        let own_recorder = p.slots[t].recorder;
        p.slots[t] = self.slots;
        p.slots[t].recorder = own_recorder;
        p.track_setups[t] = self.setups;
        p.recorder_setups[t] = self.recorder;
    }
}

/// A MIDI track's settings in a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MidiTrackPart {
    /// Page values.
    pub values: MidiPageValues,
    /// Setup.
    pub setup: MidiSetup,
    /// Arp sequence.
    pub arp: [u8; 16],
}

/// The content being copied (taken from the source; slot references already rewritten for
/// the destination once planned).
#[derive(Debug)]
pub enum Payload {
    /// A whole bank.
    Bank(Box<Bank>),
    /// A pattern and, optionally, the part it plays.
    Pattern {
        /// The pattern (its part number included).
        pattern: Box<Pattern>,
        /// The machines of the source part (they decide the pool of sample locks).
        machines: [MachineType; 8],
        /// The part, when copied along.
        part: Option<Box<Part>>,
    },
    /// A part.
    Part(Box<Part>),
    /// An audio track and/or its part settings.
    AudioTrack {
        /// The pattern track.
        track: Option<Box<AudioTrack>>,
        /// Its settings in the pattern's part.
        settings: Option<Box<AudioTrackPart>>,
        /// The source track's machine (decides the pool of its sample locks).
        machine: MachineType,
    },
    /// A MIDI track and/or its part settings.
    MidiTrack {
        /// The pattern track.
        track: Option<Box<MidiTrack>>,
        /// Its settings in the pattern's part.
        settings: Option<Box<MidiTrackPart>>,
    },
    /// The locks of one scene.
    Scene(Box<LockRecords<8>>),
}

fn invalid(m: impl Into<String>) -> SlotError {
    SlotError::Invalid(m.into())
}

/// Takes the content of `from` out of a bank.
pub fn payload(bank: &Bank, from: Target, opts: &CopyOptions) -> Result<Payload> {
    from.check()?;
    let part_of = |pattern: usize| -> Result<&Part> {
        bank.part_of_pattern(pattern)
            .ok_or_else(|| invalid(format!("pattern {} plays no valid part", pattern + 1)))
    };
    Ok(match from {
        Target::Bank { .. } => Payload::Bank(Box::new(
            slots::clone_bank(bank).map_err(|e| invalid(e.to_string()))?,
        )),
        Target::Pattern { pattern, .. } => {
            let pat = bank.patterns[pattern].clone();
            let src_part = part_of(pattern)?;
            Payload::Pattern {
                pattern: Box::new(pat),
                machines: machines(src_part),
                part: opts.with_part.then(|| Box::new(src_part.clone())),
            }
        }
        Target::Part { part, .. } => Payload::Part(Box::new(bank.parts()[part].clone())),
        Target::Track { pattern, track, .. } => {
            let pat = &bank.patterns[pattern];
            let part = part_of(pattern)?;
            if track < 8 {
                Payload::AudioTrack {
                    track: opts.trigs.then(|| Box::new(pat.audio[track].clone())),
                    settings: opts
                        .with_part
                        .then(|| Box::new(AudioTrackPart::take(part, track))),
                    machine: part.machine_type(track),
                }
            } else {
                let m = track - 8;
                Payload::MidiTrack {
                    track: opts.trigs.then(|| Box::new(pat.midi[m].clone())),
                    settings: opts.with_part.then(|| {
                        Box::new(MidiTrackPart {
                            values: part.midi_values[m],
                            setup: part.midi_setups[m],
                            arp: part.arp_sequences.0[m],
                        })
                    }),
                }
            }
        }
        Target::Scene { part, scene, .. } => {
            Payload::Scene(Box::new(bank.parts()[part].scenes[scene].clone()))
        }
    })
}

/// Every slot the payload references, with whether the reference plays it.
pub fn payload_refs(p: &Payload) -> Vec<(SlotRef, bool)> {
    let mut out = Vec::new();
    let pattern_locks = |pat: &Pattern, ms: &[MachineType; 8], out: &mut Vec<(SlotRef, bool)>| {
        for (t, tr) in pat.audio.iter().enumerate() {
            track_locks(tr, ms[t], out);
        }
    };
    match p {
        Payload::Bank(b) => {
            let mut uses = Vec::new();
            slots::bank_uses(b, 0, &mut uses);
            out.extend(uses.into_iter().map(|(s, u)| (s, u.is_active())));
        }
        Payload::Pattern {
            pattern,
            machines,
            part,
        } => {
            pattern_locks(pattern, machines, &mut out);
            if let Some(part) = part {
                out.extend(part_refs(part).into_iter().map(|(s, _, a)| (s, a)));
            }
        }
        Payload::Part(part) => out.extend(part_refs(part).into_iter().map(|(s, _, a)| (s, a))),
        Payload::AudioTrack {
            track,
            settings,
            machine,
        } => {
            if let Some(tr) = track {
                track_locks(tr, *machine, &mut out);
            }
            if let Some(s) = settings {
                let m = MachineType::from_code(s.machine);
                if let Some(r) = slots::static_ref(s.slots.static_slot) {
                    out.push((r, m == MachineType::Static));
                }
                if let Some(r) = slots::flex_ref(s.slots.flex_slot) {
                    out.push((r, m == MachineType::Flex));
                }
            }
        }
        Payload::MidiTrack { .. } | Payload::Scene(_) => {}
    }
    out
}

fn track_locks(tr: &AudioTrack, m: MachineType, out: &mut Vec<(SlotRef, bool)>) {
    for step in 0..64 {
        if let Some(s) = tr.sample_lock(step).and_then(|v| lock_ref(m, v)) {
            out.push((s, true));
        }
    }
}

/// Rewrites the slot references of a payload.
pub fn remap_payload(p: &mut Payload, map: &SlotMap) -> Result<RemapCount, FormatError> {
    let mut n = RemapCount::default();
    if map.is_empty() {
        return Ok(n);
    }
    match p {
        Payload::Bank(b) => n += remap_bank(b, map)?,
        Payload::Pattern {
            pattern,
            machines,
            part,
        } => {
            n.locks += slots::remap_locks(pattern, machines, map);
            if let Some(part) = part {
                n.part_slots += remap_part(part, map);
            }
        }
        Payload::Part(part) => n.part_slots += remap_part(part, map),
        Payload::AudioTrack {
            track,
            settings,
            machine,
        } => {
            if let Some(tr) = track {
                n.locks += slots::remap_track_locks(tr, *machine, map);
            }
            if let Some(s) = settings {
                n.part_slots += slots::remap_slot_record(&mut s.slots, map);
            }
        }
        Payload::MidiTrack { .. } | Payload::Scene(_) => {}
    }
    Ok(n)
}

/// Writes a payload to `to` in a bank (kinds must match; audio and MIDI tracks do not mix).
/// Parts are edited as the device does: only the working copy, setting its edited bit.
pub fn apply_payload(bank: &mut Bank, to: Target, payload: &Payload) -> Result<()> {
    to.check()?;
    let fmt = |e: FormatError| invalid(e.to_string());
    match (payload, to) {
        (Payload::Bank(b), Target::Bank { .. }) => *bank = slots::clone_bank(b).map_err(fmt)?,
        (Payload::Pattern { pattern, part, .. }, Target::Pattern { pattern: dst, .. }) => {
            bank.patterns[dst] = (**pattern).clone();
            if let Some(part) = part {
                let pi = (pattern.part as usize).min(PARTS - 1);
                bank.edit_part(pi, |p| {
                    *p = (**part).clone();
                    p.id = pi as u8;
                })
                .map_err(fmt)?;
            }
        }
        (Payload::Part(part), Target::Part { part: dst, .. }) => {
            bank.edit_part(dst, |p| {
                *p = (**part).clone();
                p.id = dst as u8;
            })
            .map_err(fmt)?;
        }
        (
            Payload::AudioTrack {
                track, settings, ..
            },
            Target::Track {
                pattern,
                track: dst,
                ..
            },
        ) if dst < 8 => {
            if let Some(tr) = track {
                let mut tr = (**tr).clone();
                tr.id = dst as u8;
                bank.patterns[pattern].audio[dst] = tr;
            }
            if let Some(s) = settings {
                let pi = (bank.patterns[pattern].part as usize).min(PARTS - 1);
                bank.edit_part(pi, |p| s.put(p, dst)).map_err(fmt)?;
            }
        }
        (
            Payload::MidiTrack { track, settings },
            Target::Track {
                pattern,
                track: dst,
                ..
            },
        ) if dst >= 8 => {
            let m = dst - 8;
            if let Some(tr) = track {
                let mut tr = (**tr).clone();
                tr.id = m as u8;
                bank.patterns[pattern].midi[m] = tr;
            }
            if let Some(s) = settings {
                let pi = (bank.patterns[pattern].part as usize).min(PARTS - 1);
                bank.edit_part(pi, |p| {
                    p.midi_values[m] = s.values;
                    p.midi_setups[m] = s.setup;
                    p.arp_sequences.0[m] = s.arp;
                })
                .map_err(fmt)?;
            }
        }
        (Payload::Scene(rec), Target::Scene { part, scene, .. }) => {
            bank.edit_part(part, |p| p.scenes[scene] = (**rec).clone())
                .map_err(fmt)?;
        }
        _ => {
            return Err(invalid(format!(
                "cannot copy that onto {to} (source and destination must be the same kind; audio and MIDI tracks do not mix)"
            )));
        }
    }
    Ok(())
}

/// A sample file, or a sample's `.ot` settings file, to copy into the destination set's AUDIO
/// folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCopy {
    /// The source file.
    pub from: PathBuf,
    /// Where it goes (never an existing different file).
    pub to: PathBuf,
}

impl FileCopy {
    /// Whether this is a sample's `.ot` settings file (else the sample).
    pub fn is_sidecar(&self) -> bool {
        self.to
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(sidecar::EXT))
    }
}

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

/// A path for people to read: `a/b/../c` shown as `a/c` (lexically; nothing is looked up).
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Where the destination's set pool is on disk (None for a zip or untitled project).
fn audio_dir(p: &Project) -> Option<PathBuf> {
    match p.audio_pool() {
        Some(AudioPool::Folder(d)) => Some(d.clone()),
        Some(AudioPool::Zip(_)) => None,
        None => p.path()?.parent().map(|d| d.join("AUDIO")),
    }
}

/// The path below the set's AUDIO folder a source slot path stands for.
fn pool_relative(src: &Project, path: &str) -> String {
    let norm = path.replace('\\', "/");
    let mut parts = norm.splitn(3, '/');
    if let (Some(".."), Some(a), Some(rest)) = (parts.next(), parts.next(), parts.next())
        && a.eq_ignore_ascii_case("AUDIO")
    {
        return rest.to_string();
    }
    format!("{}/{}", src.name(), norm.trim_start_matches("./"))
}

fn same_content(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.len() == mb.len() => {
            // bounded reads of regular files only (a FIFO of length 0 is not read)
            let read = |p: &Path| super::read::read_limited(p, super::read::ANY);
            matches!((read(a), read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// A name beside `rel` (`kick-2.wav`, `kick-3.wav`, ...).
fn renamed(rel: &str, n: usize) -> String {
    let (dir, file) = rel.rsplit_once('/').map_or(("", rel), |(d, f)| (d, f));
    let (stem, ext) = file.rsplit_once('.').map_or((file, ""), |(s, e)| (s, e));
    let name = if ext.is_empty() {
        format!("{stem}-{n}")
    } else {
        format!("{stem}-{n}.{ext}")
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// Files already planned: destination -> source.
pub(super) type Taken = BTreeMap<PathBuf, PathBuf>;

/// Whether the destination may take `from` at `to`: `Some(true)` when `to` must be written,
/// `Some(false)` when it already holds the same bytes (or is planned from the same source),
/// `None` when it holds or is planned to hold something else.
fn free_for(from: &Path, to: &Path, taken: &Taken) -> Option<bool> {
    if let Some(prev) = taken.get(to) {
        return (prev == from || same_file(prev, from)).then_some(false);
    }
    if same_file(from, to) {
        return Some(false);
    }
    if to.exists() {
        return same_content(from, to).then_some(false);
    }
    Some(true)
}

/// The sidecar already beside a destination sample (any case: the device's card ignores it).
fn existing_sidecar(sample_dst: &Path, want: &Path) -> PathBuf {
    sidecar::find(sample_dst).unwrap_or_else(|| want.to_path_buf())
}

/// Works out the destination path of a source slot's file and the copies it needs: the sample
/// and its `.ot` settings file when it has one (see [`sidecar`]). A sample is renamed
/// (`kick-2.wav`, with `kick-2.ot`) rather than overwrite a different file or `.ot`.
pub(super) fn place_file(
    src: &Project,
    dst: &Project,
    path: &str,
    taken: &Taken,
    notes: &mut Vec<String>,
) -> (String, Vec<FileCopy>) {
    let rel = pool_relative(src, path);
    let Some(pool) = audio_dir(dst) else {
        notes.push(format!(
            "{path}: the destination has no AUDIO folder on disk; path kept, file not copied"
        ));
        return (path.to_string(), Vec::new());
    };
    let src_file = src.sample_path(path).filter(|f| f.is_file());
    let Some(src_file) = src_file else {
        notes.push(format!(
            "{path}: sample file not found; path kept, nothing copied"
        ));
        return (format!("../AUDIO/{rel}"), Vec::new());
    };
    let side = sidecar::find(&src_file);
    let mut why = None;
    for n in 1.. {
        let cand = if n == 1 {
            rel.clone()
        } else {
            renamed(&rel, n)
        };
        let target = pool.join(&cand);
        let slot_path = format!("../AUDIO/{cand}");
        let Some(write_sample) = free_for(&src_file, &target, taken) else {
            why.get_or_insert("exists with different content");
            continue;
        };
        let mut files = Vec::new();
        if let Some(side) = &side {
            let side_to = sidecar::destination(&target, side);
            let on_disk = existing_sidecar(&target, &side_to);
            match free_for(side, &on_disk, taken) {
                Some(true) => files.push(FileCopy {
                    from: side.clone(),
                    to: side_to,
                }),
                Some(false) => {}
                None if !write_sample => {
                    // The same sample is there with other settings: use it, keep its `.ot`.
                    notes.push(format!(
                        "{}: exists with other settings; kept, {} not copied",
                        on_disk.display(),
                        side.display()
                    ));
                }
                None => {
                    why.get_or_insert("has a different .ot beside it");
                    continue;
                }
            }
        }
        if write_sample {
            if n > 1 {
                notes.push(format!(
                    "AUDIO/{rel} {}: copied as AUDIO/{cand}",
                    why.unwrap_or("is taken")
                ));
            }
            files.insert(
                0,
                FileCopy {
                    from: src_file,
                    to: target,
                },
            );
        }
        return (slot_path, files);
    }
    unreachable!("the loop only ends by returning")
}

/// [`place_file`] for a source slot whose `PATH` (and the destination path and files it gets)
/// must stay inside the project or `AUDIO` folder they belong to ([`super::contain`]).
fn contained_place(
    src: &Project,
    dst: &Project,
    slot: SlotRef,
    path: &str,
    taken: &Taken,
    out: &mut CopyPlan,
) -> Result<(String, Vec<FileCopy>)> {
    let what = |p: &Project| format!("{} {slot}", p.name());
    super::contain::slot_file(src, &what(src), path)?;
    let (new_path, files) = place_file(src, dst, path, taken, &mut out.notes);
    super::contain::slot_file(dst, &what(dst), &new_path)?;
    if let Some(pool) = audio_dir(dst) {
        let roots = [pool.clone()];
        for f in &files {
            if super::contain::inside(&roots, &pool, &f.to).is_none() {
                return Err(super::contain::outside(
                    format!("{} {slot} file", src.name()),
                    f.to.display().to_string(),
                    &roots,
                )
                .into());
            }
        }
    }
    Ok((new_path, files))
}

/// Whether two slot paths of the destination name the same file.
fn same_path(dst: &Project, a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (dst.sample_path(a), dst.sample_path(b)) {
        (Some(x), Some(y)) => same_file(&x, &y),
        _ => false,
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

    if let (false, super::model::Location::Zip { archive, .. }) =
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

/// Copies the plan's sample files and their `.ot` settings files (creating folders; never
/// overwriting a file), all or nothing: each is written to a temp name, fsynced, checked against
/// its source (size and hash) and renamed without replacing. Returns the files written.
pub fn copy_files(plan: &CopyPlan) -> Result<Vec<PathBuf>> {
    copy_files_into(plan, None)
}

/// [`copy_files`] with the journal in `project_dir` (the destination project's folder), so a
/// crash while copying is rolled back the next time the project is opened.
pub fn copy_files_into(plan: &CopyPlan, project_dir: Option<&Path>) -> Result<Vec<PathBuf>> {
    let txn = stage_files(plan, project_dir)?;
    Ok(txn.commit()?)
}

/// Adds the plan's sample files to a new transaction (journal in `journal_dir`), creating their
/// folders as part of it. A file already there with the same bytes is skipped; one with other
/// bytes is refused.
pub(super) fn stage_files(plan: &CopyPlan, journal_dir: Option<&Path>) -> Result<Txn> {
    let mut txn = Txn::new(journal_dir);
    for f in &plan.files {
        if f.to.exists() {
            if same_content(&f.from, &f.to) {
                continue;
            }
            return Err(invalid(format!(
                "{}: appeared since the copy was planned; not overwriting it",
                f.to.display()
            )));
        }
        if let Some(dir) = f.to.parent() {
            txn.create_dir_all(dir)?;
        }
        txn.push(Item::copy_new(&f.to, &f.from));
    }
    Ok(txn)
}

/// Applies a plan and saves the destination, committing the sample files and the project's
/// files together (all or nothing, see [`super::durable`]). Returns the sample files copied and
/// the save's report.
pub fn commit(plan: CopyPlan, dst: &mut Project, force: bool) -> Result<super::SaveReport> {
    dst.check_writable()?;
    let txn = stage_files(&plan, dst.path())?;
    apply(plan, dst)?;
    Ok(dst.save_with(force, txn)?)
}
