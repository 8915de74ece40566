//! Loading the samples a render needs from a project (before rendering: the only I/O).
//!
//! A slot without a file, a file that is missing or outside the project's folders plays
//! silence and is listed in `missing`; a file that does not decode plays silence and is a
//! warning naming it. Nothing here stops a render.

use super::sample::{Sample, Samples, SlotSound};
use crate::format::MachineType;
use crate::format::slot_attrs::{LoopMode, SlotRef, TimeStretch};
use crate::project::Project;
use crate::seq::model::NO_LOCK;
use crate::seq::timeline::PlayItem;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// The samples of a render and what could not be loaded.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The slots that play.
    pub samples: Samples,
    /// Slots that play silence because their sample is missing (`F3: kick.wav: missing`).
    pub missing: Vec<String>,
    /// Samples that failed to decode (`F4: AUDIO/x.wav: cannot decode (...)`).
    pub warnings: Vec<String>,
    /// The decoded audio by file with the file's modification time when read, for
    /// [`load_planned_reusing`] (a later load, e.g. after a tempo change, takes it instead
    /// of reading the file again, unless the file changed since).
    pub decoded: HashMap<PathBuf, (Option<std::time::SystemTime>, Arc<Sample>)>,
}

thread_local! {
    static DECODED_HERE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many sample files [`decode`] has read on the calling thread (a test hook: a load
/// that reuses decoded audio reads none).
pub fn files_decoded_on_this_thread() -> usize {
    DECODED_HERE.with(|c| c.get())
}

/// Calls `f(track, is_static, 0-based slot)` for every trig of a Flex or Static track of a
/// pattern, with its sample lock applied; slots of 128 and above (recorder buffers, which hold
/// nothing offline) are left out.
pub fn for_each_trig_slot(p: &crate::seq::model::SeqPattern, mut f: impl FnMut(usize, bool, u8)) {
    for (t, part) in p.part.audio.iter().enumerate() {
        let is_static = match part.machine {
            MachineType::Flex => false,
            MachineType::Static => true,
            _ => continue,
        };
        let Some(track) = p.tracks.get(t) else {
            continue;
        };
        let base = if is_static {
            part.static_slot
        } else {
            part.flex_slot
        };
        for s in track.steps.iter().filter(|s| s.trig) {
            let lock = s.locks[31];
            let slot = if lock != NO_LOCK { lock } else { base };
            if slot < 128 {
                f(t, is_static, slot);
            }
        }
    }
}

/// The (is_static, 0-based slot) pairs the audio tracks of the items play, sample locks
/// included; recorder buffers are left out (they hold nothing offline).
pub fn used_slots(items: &[PlayItem]) -> BTreeSet<(bool, u8)> {
    let mut used = BTreeSet::new();
    for item in items {
        for_each_trig_slot(&item.pattern, |_, is_static, slot| {
            used.insert((is_static, slot));
        });
    }
    used
}

/// Decodes a file into a [`Sample`] at 44.1 kHz.
pub fn decode(path: &std::path::Path) -> Result<Sample, crate::audio::AudioError> {
    DECODED_HERE.with(|c| c.set(c.get() + 1));
    let d = crate::audio::decode::decode_file(path)?;
    Sample::from_interleaved(
        &d.samples,
        usize::from(d.info.channels.max(1)),
        d.info.sample_rate,
    )
}

/// The time-stretched copies the items need from the project's slots (tempo from the
/// project's settings, TSTR AUTO resolved with each slot's TSMODE).
pub fn stretch_plan(project: &Project, items: &[PlayItem]) -> super::stretch::Needs {
    let setup = crate::seq::model::DeviceSetup::from_project(project.project_file());
    super::stretch::needs(items, &setup, &|is_static, slot| {
        let n = u16::from(slot) + 1;
        let r = if is_static {
            SlotRef::Static(n)
        } else {
            SlotRef::Flex(n)
        };
        project
            .project_file()
            .slot(r)
            .and_then(|s| s.time_stretch)
            .unwrap_or(TimeStretch::Off)
    })
}

/// One slot to load: where its file is and how it plays (made by [`plan_loads`] on the
/// caller's thread, decoded by [`load_planned`], e.g. on a worker).
#[derive(Debug, Clone)]
pub struct SlotLoad {
    /// Static pool (else Flex).
    pub is_static: bool,
    /// 0-based slot.
    pub slot: u8,
    /// `F3`, `S1`.
    pub label: String,
    /// The sample file.
    pub path: PathBuf,
    /// The slot's markers record (trim, loop, slices), when readable.
    pub markers: Option<crate::format::regions::SlotMarkers>,
    /// The slot's loop mode.
    pub loop_mode: LoopMode,
    /// The slot's gain factor.
    pub gain: f32,
    /// The slot's time-stretch mode (`TSMODE`).
    pub time_stretch: TimeStretch,
    /// The slot's `BPMx24`, when stored.
    pub bpm_x24: Option<i64>,
    /// The slot's `TRIM_BARSx100`, when stored.
    pub trim_bars_x100: Option<i64>,
    /// The stretched copies to make (tempo, mode, TSNS), see [`super::stretch::needs`].
    pub stretch: BTreeSet<super::stretch::StretchKey>,
}

/// What the items need from a project: the slots to decode, and the slots that play
/// silence (`missing`). Reads no sample (cheap: for the UI thread).
pub fn plan_loads(project: &Project, items: &[PlayItem]) -> (Vec<SlotLoad>, Vec<String>) {
    let mut loads = Vec::new();
    let mut missing = Vec::new();
    let mut stretch = stretch_plan(project, items);
    for (is_static, slot) in used_slots(items) {
        let n = u16::from(slot) + 1;
        let slot_ref = if is_static {
            SlotRef::Static(n)
        } else {
            SlotRef::Flex(n)
        };
        let label = if is_static {
            format!("S{n}")
        } else {
            format!("F{n}")
        };
        let Some(info) = project
            .project_file()
            .slot(slot_ref)
            .filter(|s| !s.path.is_empty())
        else {
            missing.push(format!("{label}: no sample assigned"));
            continue;
        };
        let Some(path) = project.sample_path(&info.path) else {
            let why = if project.sample_outside(&info.path) {
                "leads outside the project and AUDIO folders"
            } else {
                "not readable here (zip or untitled project)"
            };
            missing.push(format!("{label}: {}: {why}", info.path));
            continue;
        };
        if !path.is_file() {
            missing.push(format!("{label}: {}: missing", info.path));
            continue;
        }
        loads.push(SlotLoad {
            is_static,
            slot,
            label,
            path,
            markers: project.markers().slot(slot_ref).ok(),
            loop_mode: info.loop_mode.unwrap_or(LoopMode::Off),
            gain: super::laws::slot_gain(info.gain.unwrap_or(48)),
            time_stretch: info.time_stretch.unwrap_or(TimeStretch::Off),
            bpm_x24: info.bpm_x24,
            trim_bars_x100: info.trim_bars_x100,
            stretch: stretch.remove(&(is_static, slot)).unwrap_or_default(),
        });
    }
    (loads, missing)
}

/// Decodes planned slots (each file once) and makes their time-stretched copies (the slow
/// part: call it on a worker); a file that does not decode plays silence and is a warning
/// naming it.
pub fn load_planned(loads: Vec<SlotLoad>, missing: Vec<String>) -> Loaded {
    load_planned_reusing(loads, missing, &Loaded::default())
}

/// [`load_planned`], taking the audio `prev` decoded instead of reading a file again, and
/// its time-stretched copies still asked for (a tempo change stretches again from the
/// decoded audio, as [`super::stretch::restretch`] does, without reading any file). A
/// slot whose file, markers or tempo changed gets no stale copy: copies are kept only for
/// the same decoded audio, regions and slot tempo.
pub fn load_planned_reusing(loads: Vec<SlotLoad>, missing: Vec<String>, prev: &Loaded) -> Loaded {
    let mut out = Loaded {
        missing,
        ..Loaded::default()
    };
    let mut cache: HashMap<PathBuf, Option<Arc<Sample>>> = prev
        .decoded
        .iter()
        .filter(|(p, (t, _))| modified(p) == *t)
        .map(|(p, (_, s))| (p.clone(), Some(s.clone())))
        .collect();
    for l in loads {
        let sample = cache
            .entry(l.path.clone())
            .or_insert_with(|| match decode(&l.path) {
                Ok(s) => Some(Arc::new(s)),
                Err(e) => {
                    out.warnings
                        .push(format!("{}: warning: {e}; plays silence", l.label));
                    None
                }
            })
            .clone();
        let Some(sample) = sample else {
            continue;
        };
        let mut sound = match &l.markers {
            Some(m) => SlotSound::with_markers(sample, m, l.loop_mode, l.gain),
            None => SlotSound {
                loop_mode: l.loop_mode,
                gain: l.gain,
                ..SlotSound::whole(sample)
            },
        };
        sound.time_stretch = l.time_stretch;
        let trim_secs = (sound.trim.end - sound.trim.start) as f64 / f64::from(super::SAMPLE_RATE);
        sound.tempo = super::stretch::slot_tempo(l.bpm_x24, l.trim_bars_x100, trim_secs);
        let pool = if l.is_static {
            &prev.samples.statics
        } else {
            &prev.samples.flex
        };
        if let Some(old) = pool.get(&l.slot).filter(|o| {
            Arc::ptr_eq(&o.sample, &sound.sample)
                && o.trim == sound.trim
                && o.slices == sound.slices
                && o.tempo == sound.tempo
        }) {
            sound.stretched = old.stretched.clone();
        }
        super::stretch::prepare(&mut sound, &l.stretch);
        out.decoded
            .insert(l.path.clone(), (modified(&l.path), sound.sample.clone()));
        if l.is_static {
            out.samples.statics.insert(l.slot, sound);
        } else {
            out.samples.flex.insert(l.slot, sound);
        }
    }
    out
}

fn modified(path: &std::path::Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Loads the slots the items use from a project (folder projects; a zip's samples are
/// listed as missing since they are not extracted).
pub fn load_samples(project: &Project, items: &[PlayItem]) -> Loaded {
    let (loads, missing) = plan_loads(project, items);
    load_planned(loads, missing)
}
