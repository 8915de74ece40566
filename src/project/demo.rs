//! The demo: a set with four generated samples and a project that uses them, built by octa's code.
//!
//! `generate(dir)` writes `dir/AUDIO/octa-demo/{kick,snare,hat,bass}.wav` and the project
//! `dir/OCTA-DEMO/`: project.work with Flex slots 1-4 pointing at the samples (markers trim end =
//! frame count), part 1 of bank A with Flex machines on T1-T4 playing slots 1-4, and patterns
//! A01-A03 using trigs, trigless trigs, p-locks on several parameters, trig conditions,
//! micro-timing, slides, retrigs, and MIDI tracks with chords.

use super::durable;
use super::error::{ProjectError, Result};
use super::model::Project;
use super::store;
use super::wav;
use crate::format::bank::Bank;
use crate::format::params;
use crate::format::slot_attrs::SlotRef;
use crate::format::{FormatError, MachineType, MicroTiming, TrigCondition};
use std::path::{Path, PathBuf};

/// Name of the demo project's folder inside the set.
pub const PROJECT_NAME: &str = "OCTA-DEMO";
/// Folder of the demo samples inside the set's AUDIO pool.
pub const AUDIO_SUBDIR: &str = "octa-demo";

/// The lock slot of the parameter named `name` on a Flex track with the part's FX
/// (names from [`crate::format::params`]).
fn audio_slot(fx: (u8, u8), name: &str) -> std::result::Result<usize, FormatError> {
    (0..32)
        .find(|&s| {
            params::audio_param(MachineType::Flex, fx.0, fx.1, s).is_some_and(|p| p.name == name)
        })
        .ok_or_else(|| FormatError::Range {
            field: format!("parameter {name}"),
            value: 0,
            range: "a Flex track parameter".into(),
        })
}

/// The lock slot of the MIDI track parameter named `name`.
fn midi_slot(name: &str) -> std::result::Result<usize, FormatError> {
    (0..32)
        .find(|&s| params::midi_param(s).is_some_and(|p| p.name == name))
        .ok_or_else(|| FormatError::Range {
            field: format!("MIDI parameter {name}"),
            value: 0,
            range: "a MIDI track parameter".into(),
        })
}

/// The lock slots the demo uses.
struct Locks {
    ptch: usize,
    strt: usize,
    vol: usize,
    rel: usize,
    dep1: usize,
    fx1_2: usize,
    midi_vel: usize,
    midi_cc1: usize,
}

/// A fresh folder for the demo: under the data dir (`OCTA_DATA_DIR`), else the temp dir.
pub fn default_dir() -> PathBuf {
    let base = crate::config::data_dir().unwrap_or_else(std::env::temp_dir);
    let stamp = store::utc_stamp(std::time::SystemTime::now());
    let mut n = 0;
    loop {
        let name = if n == 0 {
            format!("demo-{stamp}")
        } else {
            format!("demo-{stamp}-{n}")
        };
        let d = base.join(name);
        if !d.exists() {
            return d;
        }
        n += 1;
    }
}

fn fmt_err(path: &Path) -> impl Fn(FormatError) -> ProjectError + '_ {
    move |e| ProjectError::format(path, e)
}

/// Writes the demo set into `dir` (absent or empty); returns the project folder.
pub fn generate(dir: &Path) -> Result<PathBuf> {
    if !store::is_free_target(dir)? {
        return Err(ProjectError::TargetExists {
            path: dir.to_path_buf(),
        });
    }
    // All or nothing: the samples and the project files are staged, then committed in one
    // transaction (journal in the project folder); a failure leaves `dir` as it was.
    let audio = dir.join("AUDIO").join(AUDIO_SUBDIR);
    let proj_dir = dir.join(PROJECT_NAME);
    let mut txn = durable::Txn::new(Some(&proj_dir));
    txn.create_dir_all(&audio)?;
    txn.create_dir_all(&proj_dir)?;
    let mut project = Project::new_blank(PROJECT_NAME);
    let err = fmt_err(&proj_dir);
    for (i, sound) in wav::demo_sounds().iter().enumerate() {
        txn.push(durable::Item::new_file(
            &audio.join(sound.name),
            durable::Content::Bytes(sound.to_wav()),
        ));
        let slot = SlotRef::Flex(i as u16 + 1);
        let path = format!("../AUDIO/{AUDIO_SUBDIR}/{}", sound.name);
        project
            .project_file_mut()
            .assign_sample(slot, &path, sound.frames() as u64, wav::RATE)
            .map_err(&err)?;
        project
            .markers_mut()
            .assign_sample(slot, sound.frames())
            .map_err(&err)?;
    }
    project
        .project_file_mut()
        .set_tempo_bpm(122.0)
        .map_err(&err)?;
    build_bank(project.bank_mut(0)).map_err(&err)?;
    for id in super::FileId::all() {
        for stored in [false, true] {
            if let Some(bytes) = project.file_bytes(id, stored) {
                txn.push(durable::Item::new_file(
                    &proj_dir.join(id.file_name(stored)),
                    durable::Content::Bytes(bytes),
                ));
            }
        }
    }
    txn.commit()?;
    drop(err);
    Ok(proj_dir)
}

/// Part 1 (Flex machines on slots 1-4) and patterns A01-A03.
fn build_bank(bank: &mut Bank) -> std::result::Result<(), FormatError> {
    bank.edit_part(0, |part| -> std::result::Result<(), FormatError> {
        for t in 0..4 {
            part.set_machine_type(t, MachineType::Flex)?;
            part.slots[t].flex_slot = t as u8;
        }
        Ok(())
    })??;
    bank.save_part(0)?;
    bank.set_part_name(0, "DEMO")?;
    // FX of T3 (the hat), whose FX1 page gets a lock
    let fx = bank
        .part(0)
        .map(|p| (p.fx1_type(2), p.fx2_type(2)))
        .unwrap_or((0, 0));
    let lock = Locks {
        ptch: audio_slot(fx, "PTCH")?,
        strt: audio_slot(fx, "STRT")?,
        vol: audio_slot(fx, "VOL")?,
        rel: audio_slot(fx, "REL")?,
        dep1: audio_slot(fx, "DEP1")?,
        // the FX1 page's second parameter (its name depends on the FX type)
        fx1_2: 19,
        midi_vel: midi_slot("VEL")?,
        midi_cc1: midi_slot("CC1")?,
    };
    for p in 0..3 {
        let pt = bank.pattern_mut(p).ok_or_else(|| FormatError::Range {
            field: "pattern".into(),
            value: p as i64,
            range: "0..16".into(),
        })?;
        pt.set_part(0)?;
        let [kick, snare, hat, bass, ..] = &mut pt.audio;
        // T1 kick: four on the floor; a 50% ghost on 16; pattern 3 adds a 1:2 kick on 11.
        for s in [0, 4, 8, 12] {
            kick.trigs.set(s, true)?;
        }
        kick.trigs.set(15, true)?;
        kick.set_condition(15, TrigCondition::Probability(50))?;
        kick.set_plock(15, lock.vol, Some(80))?;
        if p == 2 {
            kick.trigs.set(10, true)?;
            kick.set_condition(10, TrigCondition::Loop { a: 1, b: 2 })?;
        }
        // T2 snare: backbeat, a late ghost on 8 (1:2), a FILL roll with retrigs on 16.
        for s in [4, 12] {
            snare.trigs.set(s, true)?;
        }
        snare.trigs.set(7, true)?;
        snare.set_condition(7, TrigCondition::Loop { a: 2, b: 2 })?;
        snare.set_micro_timing(7, MicroTiming(-6))?;
        snare.set_plock(7, lock.vol, Some(70))?;
        snare.trigs.set(15, true)?;
        snare.set_condition(15, TrigCondition::Fill)?;
        snare.set_repeats(15, if p == 1 { 8 } else { 4 })?;
        // T3 hat: eighths with a volume ramp, swung off-beats, a pitch lock, trigless trigs
        // that move the sample start.
        for (k, s) in (0..16).step_by(2).enumerate() {
            hat.trigs.set(s, true)?;
            hat.set_plock(s, lock.vol, Some(60 + 8 * k as u8))?;
            if s % 4 == 2 {
                hat.set_micro_timing(s, MicroTiming(3 + p as i8))?;
            }
        }
        hat.set_plock(6, lock.ptch, Some(76))?;
        hat.set_plock(6, lock.rel, Some(20))?;
        for s in [3, 11] {
            hat.trigless.set(s, true)?;
            hat.set_plock(s, lock.strt, Some(32))?;
            hat.set_plock(s, lock.fx1_2, Some(90))?;
        }
        if p == 1 {
            hat.trigs.set(13, true)?;
            hat.set_repeats(13, 3)?;
            hat.set_condition(13, TrigCondition::Probability(75))?;
        }
        // T4 bass: a line with pitch locks and slides.
        let line: [(usize, u8); 5] = [(0, 64), (3, 64), (6, 67), (10, 62), (13, 69)];
        for (s, pitch) in line {
            bass.trigs.set(s, true)?;
            bass.set_plock(s, lock.ptch, Some(pitch + p as u8 * 2))?;
        }
        bass.slide.set(6, true)?;
        bass.slide.set(13, true)?;
        bass.set_plock(10, lock.dep1, Some(100))?;
        bass.set_micro_timing(10, MicroTiming(-3))?;
        // M1 chords, M2 a MIDI bass line with a condition, micro-timing and CC locks.
        let [chords, midi_bass, ..] = &mut pt.midi;
        let progression: [&[u8]; 2] = [&[60, 64, 67], &[57, 60, 64, 67]];
        for (s, chord) in [0usize, 8].into_iter().zip(progression) {
            chords.trigs.set(s, true)?;
            chords.set_notes(s, chord)?;
            chords.set_plock(s, lock.midi_vel, Some(90))?;
        }
        for (s, note) in [(0usize, 36u8), (6, 36), (10, 43), (14, 41)] {
            midi_bass.trigs.set(s, true)?;
            midi_bass.set_notes(s, &[note + p as u8])?;
            midi_bass.set_plock(s, lock.midi_cc1, Some(40 + 10 * (s as u8 % 4)))?;
        }
        midi_bass.set_condition(14, TrigCondition::NotFill)?;
        midi_bass.set_micro_timing(6, MicroTiming(4))?;
        midi_bass.trigless.set(12, true)?;
        midi_bass.set_plock(12, lock.midi_cc1, Some(127))?;
    }
    Ok(())
}
