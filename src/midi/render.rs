//! Turns one step of a track into timed MIDI messages (shared by audition and playback).
//!
//! Audio tracks: the step's locks as Octatrack CCs, the note on the track's trig channel
//! (84 = own pitch, PTCH lock within +-12 semitones becomes the note), note off after the
//! step length, then the locked parameters back to the part's values.
//! MIDI tracks: bank/program when the part's changed, locked CTRL values, the note or chord
//! with its velocity and length, then the CTRL values back to the part's.

use super::message::ShortMsg;
use super::model::{AUDIO_ROOT_NOTE, DeviceSetup, NO_LOCK, SeqPattern, SeqStep, TrackKind};
use crate::format::MachineType;

/// Order of messages that fall on the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MsgRole {
    /// A note off.
    NoteOff = 0,
    /// A parameter put back to the part's value.
    Restore = 1,
    /// Bank select / program change.
    Setup = 2,
    /// A locked parameter.
    Lock = 3,
    /// A note on.
    NoteOn = 4,
    /// Clock and transport.
    Realtime = 5,
}

/// One message at a time in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimedMsg {
    /// Seconds from the start of playback (or of the audition).
    pub at: f64,
    /// Tie-break order at the same instant.
    pub role: MsgRole,
    /// Track 0..16 (255 for clock/transport).
    pub track: u8,
    /// The message.
    pub msg: ShortMsg,
}

/// The CC an audio lock-record byte maps to (None: no CC on the device).
pub fn audio_lock_cc(index: usize) -> Option<u8> {
    match index {
        0..=5 => Some(16 + index as u8),
        6..=11 => Some(28 + (index - 6) as u8),
        12..=16 => Some(22 + (index - 12) as u8),
        18..=23 => Some(34 + (index - 18) as u8),
        24..=29 => Some(40 + (index - 24) as u8),
        _ => None,
    }
}

/// Whether SRC parameter 1 of a machine is PTCH.
fn has_pitch(machine: MachineType) -> bool {
    matches!(
        machine,
        MachineType::Static | MachineType::Flex | MachineType::Pickup
    )
}

/// The note an audio trig plays for a PTCH value (64 = own pitch); `None` when outside +-12.
pub fn pitch_to_note(ptch: u8) -> Option<u8> {
    let semis = ptch as i32 - 64;
    (-12..=12)
        .contains(&semis)
        .then(|| (AUDIO_ROOT_NOTE as i32 + semis) as u8)
}

/// The PTCH value an incoming chromatic note (72..=96) stands for.
pub fn note_to_pitch(note: u8) -> Option<u8> {
    (72..=96)
        .contains(&note)
        .then(|| 64 + note - AUDIO_ROOT_NOTE)
}

/// Why a step produced no note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Silent {
    /// The step has no trig.
    NoTrig,
    /// The audio track has neither a trig channel nor an auto channel.
    NoChannel,
    /// No such track.
    NoTrack,
}

/// Builds step messages; remembers what bank/program each MIDI track last sent.
#[derive(Debug, Clone)]
pub struct Renderer {
    /// Where audio tracks are reached.
    pub setup: DeviceSetup,
    programs: [Option<(u8, u8, u8, u8)>; 8],
}

impl Renderer {
    /// A renderer for a device setup.
    pub fn new(setup: DeviceSetup) -> Self {
        Self {
            setup,
            programs: [None; 8],
        }
    }

    /// Forgets which programs were sent (the next MIDI trig re-sends them).
    pub fn forget_programs(&mut self) {
        self.programs = [None; 8];
    }

    /// Appends the messages of `step` on `track`, starting at `at` seconds; `step_secs`
    /// is the track's step length at the current tempo and scale. Returns the note-on
    /// count, or why nothing plays.
    pub fn render(
        &mut self,
        pattern: &SeqPattern,
        track: usize,
        step: &SeqStep,
        at: f64,
        step_secs: f64,
        out: &mut Vec<TimedMsg>,
    ) -> Result<usize, Silent> {
        if !step.trig && !step.trigless {
            return Err(Silent::NoTrig);
        }
        let kind = pattern.tracks.get(track).ok_or(Silent::NoTrack)?.kind;
        let repeats = step.word.repeats().max(1) as usize;
        let spacing = step_secs / repeats as f64;
        let tr = track as u8;
        let start = out.len();
        let push = |out: &mut Vec<TimedMsg>, at: f64, role: MsgRole, msg: ShortMsg| {
            out.push(TimedMsg {
                at,
                role,
                track: tr,
                msg,
            })
        };
        match kind {
            TrackKind::Audio => {
                let part = pattern.part.audio.get(track).ok_or(Silent::NoTrack)?;
                let ch = self.setup.audio_channel(track).ok_or(Silent::NoChannel)?;
                let mut note = AUDIO_ROOT_NOTE;
                let mut restore_end = at + step_secs;
                let note_len = if repeats > 1 { spacing } else { step_secs };
                for (i, &v) in step.locks.iter().enumerate() {
                    if v == NO_LOCK {
                        continue;
                    }
                    if i == 0
                        && has_pitch(part.machine)
                        && step.trig
                        && let Some(n) = pitch_to_note(v)
                    {
                        note = n;
                        continue;
                    }
                    if let Some(cc) = audio_lock_cc(i) {
                        push(out, at, MsgRole::Lock, ShortMsg::cc(ch, cc, v));
                        push(
                            out,
                            0.0,
                            MsgRole::Restore,
                            ShortMsg::cc(ch, cc, part.values[i]),
                        );
                    }
                }
                let mut notes = 0;
                if step.trig {
                    for k in 0..repeats {
                        let on = at + k as f64 * spacing;
                        push(out, on, MsgRole::NoteOn, ShortMsg::note_on(ch, note, 100));
                        push(
                            out,
                            on + note_len,
                            MsgRole::NoteOff,
                            ShortMsg::note_off(ch, note),
                        );
                        notes += 1;
                    }
                    restore_end = at + (repeats - 1) as f64 * spacing + note_len;
                }
                fix_restore_times(&mut out[start..], restore_end);
                Ok(notes)
            }
            TrackKind::Midi => {
                let m = track.checked_sub(8).ok_or(Silent::NoTrack)?;
                let part = pattern.part.midi.get(m).ok_or(Silent::NoTrack)?;
                let ch = part.channel & 0x0F;
                let value = |i: usize| match step.locks[i] {
                    NO_LOCK => part.values[i],
                    v => v,
                };
                let want = (part.bank, part.sbank, part.program, ch);
                if self.programs[m] != Some(want) {
                    self.programs[m] = Some(want);
                    if part.bank < 128 {
                        push(out, at, MsgRole::Setup, ShortMsg::cc(ch, 0, part.bank));
                    }
                    if part.sbank < 128 {
                        push(out, at, MsgRole::Setup, ShortMsg::cc(ch, 32, part.sbank));
                    }
                    if part.program < 128 {
                        push(out, at, MsgRole::Setup, ShortMsg::program(ch, part.program));
                    }
                }
                for i in 18..30 {
                    let v = step.locks[i];
                    if v == NO_LOCK || v > 127 {
                        continue;
                    }
                    let (lock, back) = match i {
                        18 => (
                            ShortMsg::pitch_bend(ch, v),
                            ShortMsg::pitch_bend(ch, part.values[i]),
                        ),
                        19 => (
                            ShortMsg::aftertouch(ch, v),
                            ShortMsg::aftertouch(ch, part.values[i]),
                        ),
                        _ => {
                            let cc = part.cc_numbers[i - 20];
                            (
                                ShortMsg::cc(ch, cc, v),
                                ShortMsg::cc(ch, cc, part.values[i]),
                            )
                        }
                    };
                    push(out, at, MsgRole::Lock, lock);
                    push(out, 0.0, MsgRole::Restore, back);
                }
                let mut notes = 0;
                let mut restore_end = at + step_secs;
                if step.trig {
                    let root = value(0).min(127);
                    let vel = value(1).min(127);
                    let len = midi_length_secs(value(2), step_secs, pattern);
                    let len = if repeats > 1 { len.min(spacing) } else { len };
                    let mut chord = vec![root];
                    for i in 3..6 {
                        let off = value(i);
                        if off != 64 && off <= 127 {
                            let n = root as i32 + off as i32 - 64;
                            if (0..=127).contains(&n) && !chord.contains(&(n as u8)) {
                                chord.push(n as u8);
                            }
                        }
                    }
                    for k in 0..repeats {
                        let on = at + k as f64 * spacing;
                        for &n in &chord {
                            push(out, on, MsgRole::NoteOn, ShortMsg::note_on(ch, n, vel));
                            push(out, on + len, MsgRole::NoteOff, ShortMsg::note_off(ch, n));
                            notes += 1;
                        }
                    }
                    restore_end = at + (repeats - 1) as f64 * spacing + len;
                }
                fix_restore_times(&mut out[start..], restore_end);
                Ok(notes)
            }
        }
    }
}

/// Gives the restore messages of one step their time (after the last note off).
fn fix_restore_times(out: &mut [TimedMsg], end: f64) {
    for m in out.iter_mut().filter(|m| m.role == MsgRole::Restore) {
        m.at = end;
    }
}

/// Seconds of a MIDI LEN value: 6 per step (1/16); 127 (infinite) holds for the pattern.
pub fn midi_length_secs(len: u8, step_secs: f64, pattern: &SeqPattern) -> f64 {
    if len >= 127 {
        step_secs * pattern.master_length() as f64
    } else {
        step_secs * len.max(1) as f64 / 6.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_cc_map() {
        assert_eq!(audio_lock_cc(0), Some(16));
        assert_eq!(audio_lock_cc(5), Some(21));
        assert_eq!(audio_lock_cc(6), Some(28));
        assert_eq!(audio_lock_cc(12), Some(22));
        assert_eq!(audio_lock_cc(15), Some(25));
        assert_eq!(audio_lock_cc(17), None);
        assert_eq!(audio_lock_cc(18), Some(34));
        assert_eq!(audio_lock_cc(29), Some(45));
        assert_eq!(audio_lock_cc(31), None);
        assert_eq!(pitch_to_note(64), Some(84));
        assert_eq!(pitch_to_note(52), Some(72));
        assert_eq!(pitch_to_note(76), Some(96));
        assert_eq!(pitch_to_note(77), None);
        assert_eq!(note_to_pitch(72), Some(52));
        assert_eq!(note_to_pitch(60), None);
    }
}
