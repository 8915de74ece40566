//! The content taken out of a bank ([`Payload`]), the sample slots it references, their
//! remapping and putting it into a bank.

use super::target::Target;
use crate::format::bank::{
    AudioTrack, Bank, Bytes, LockRecords, MachineParams, MidiPageValues, MidiSetup, MidiTrack,
    PARTS, Part, Pattern, RecorderSetup, SlotRecord, TrackPageSetups, TrackPageValues,
};
use crate::format::slot_attrs::SlotRef;
use crate::format::{FormatError, MachineType};
use crate::project::slots::{
    self, RemapCount, Result, SlotError, SlotMap, lock_ref, machines, part_refs, remap_bank,
    remap_part,
};

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

pub(super) fn invalid(m: impl Into<String>) -> SlotError {
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
