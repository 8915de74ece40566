//! Recording notes from a MIDI input into the grid, as edit events the tracker applies
//! through its own undoable actions.

use super::model::TrackKind;
use super::render::note_to_pitch;
use crate::format::bank::{Pattern, StepKind, midi_slot};
use crate::format::{FormatError, MicroTiming};

/// How notes are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordSettings {
    /// The selected track (0..8 audio, 8..16 MIDI).
    pub track: usize,
    /// Audio or MIDI (decides the pitch lock of audio trigs).
    pub kind: TrackKind,
    /// Step entry: the cursor step the next note goes to.
    pub cursor: u16,
    /// Step entry: steps the cursor advances after a note.
    pub edit_step: u16,
    /// The track's length in steps (the cursor wraps there).
    pub length: u16,
    /// Live recording keeps the offset from the step as micro-timing.
    pub capture_micro_timing: bool,
    /// Only notes on this channel (0-based); `None` = any channel.
    pub channel: Option<u8>,
}

/// One note to write into the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedNote {
    /// Track 0..16.
    pub track: usize,
    /// Step 0..64.
    pub step: u16,
    /// The incoming note number.
    pub note: u8,
    /// The incoming velocity.
    pub velocity: u8,
    /// Offset from the step (zero unless captured).
    pub micro_timing: MicroTiming,
    /// For audio tracks: the PTCH lock the note stands for (72..=96 -> -12..+12).
    pub pitch_lock: Option<u8>,
    /// Step entry: where the cursor goes next.
    pub next_cursor: u16,
}

/// Turns incoming notes into [`RecordedNote`]s.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// Current settings (the cursor advances with step entry).
    pub settings: RecordSettings,
    /// Step entry: the step the last note went to (a chord adds to it).
    last: Option<u16>,
}

impl Recorder {
    /// A recorder with these settings.
    pub fn new(settings: RecordSettings) -> Self {
        Self {
            settings,
            last: None,
        }
    }

    /// Step entry of a note played while others are still held: on MIDI tracks it joins
    /// the chord on the step the last note went to (the cursor does not move); on audio
    /// tracks, or with no step entered yet, it is a new step.
    pub fn step_entry_chord(&mut self, note: u8, velocity: u8) -> RecordedNote {
        match (self.settings.kind, self.last) {
            (TrackKind::Midi, Some(step)) => {
                self.note(step, note, velocity, 0, self.settings.cursor)
            }
            _ => self.step_entry(note, velocity),
        }
    }

    /// Whether a note on this channel is recorded.
    pub fn accepts(&self, channel: u8) -> bool {
        self.settings.channel.is_none_or(|c| c == channel)
    }

    fn note(&self, step: u16, note: u8, velocity: u8, mt: i8, next: u16) -> RecordedNote {
        RecordedNote {
            track: self.settings.track,
            step,
            note,
            velocity,
            micro_timing: MicroTiming(mt),
            pitch_lock: match self.settings.kind {
                TrackKind::Audio => note_to_pitch(note),
                TrackKind::Midi => None,
            },
            next_cursor: next,
        }
    }

    /// Step entry while stopped: the note goes to the cursor, which advances by the edit step.
    pub fn step_entry(&mut self, note: u8, velocity: u8) -> RecordedNote {
        let len = self.settings.length.clamp(1, 64);
        let step = self.settings.cursor % len;
        let next = (step + self.settings.edit_step) % len;
        self.settings.cursor = next;
        self.last = Some(step);
        self.note(step, note, velocity, 0, next)
    }

    /// Live recording while playing: `position` is the track's position in steps
    /// (fractional) when the note arrived; it is quantized to the nearest step.
    pub fn live(&mut self, note: u8, velocity: u8, position: f64) -> RecordedNote {
        let len = self.settings.length.clamp(1, 64) as f64;
        let pos = position.rem_euclid(len);
        let nearest = pos.round();
        let offset = pos - nearest;
        let mt = if self.settings.capture_micro_timing {
            ((offset * 24.0).round() as i8).clamp(MicroTiming::MIN, MicroTiming::MAX)
        } else {
            0
        };
        let step = (nearest as u16) % len as u16;
        self.note(step, note, velocity, mt, self.settings.cursor)
    }
}

/// Writes a take into a pattern: each note sets a trig on its step (replacing what the step
/// held on that track) with its micro-timing; audio tracks get the PTCH lock the note stands
/// for (notes outside 72..=96 play the sample at its pitch); MIDI tracks get NOTE (and
/// NOT2-4 for chords: the notes that fell on the same step, in arrival order, up to 4) and
/// VEL locks. A later note on a step of an audio track replaces an earlier one. Returns
/// the steps written (0-based, ascending).
pub fn write_take(pattern: &mut Pattern, take: &[RecordedNote]) -> Result<Vec<u16>, FormatError> {
    let mut steps: Vec<(usize, u16)> = take.iter().map(|n| (n.track, n.step)).collect();
    steps.sort_unstable();
    steps.dedup();
    for &(track, step) in &steps {
        let s = step as usize;
        let here: Vec<&RecordedNote> = take
            .iter()
            .filter(|n| n.track == track && n.step == step)
            .collect();
        let Some(first) = here.first() else {
            continue;
        };
        let mt = first.micro_timing;
        if track < 8 {
            let t = pattern.audio.get_mut(track).ok_or_else(|| range(track))?;
            t.clear_step(s)?;
            t.set_step_kind(s, StepKind::Trig)?;
            t.set_micro_timing(s, mt)?;
            if let Some(p) = here.last().and_then(|n| n.pitch_lock) {
                t.set_plock(s, 0, Some(p))?;
            }
        } else {
            let t = pattern
                .midi
                .get_mut(track - 8)
                .ok_or_else(|| range(track))?;
            t.clear_step(s)?;
            t.set_step_kind(s, StepKind::Trig)?;
            t.set_micro_timing(s, mt)?;
            let mut notes: Vec<u8> = Vec::new();
            for n in &here {
                if notes.len() < 4 && !notes.contains(&n.note) {
                    notes.push(n.note);
                }
            }
            // Chord notes further than the device's offsets reach from the root are dropped.
            notes.retain(|n| (-64..=63).contains(&(*n as i16 - notes_root(&here) as i16)));
            t.set_notes(s, &notes)?;
            t.set_plock(s, midi_slot::VEL, Some(first.velocity.clamp(1, 127)))?;
        }
    }
    Ok(steps.into_iter().map(|(_, s)| s).collect())
}

fn notes_root(here: &[&RecordedNote]) -> u8 {
    here.first().map_or(0, |n| n.note)
}

fn range(track: usize) -> FormatError {
    FormatError::Range {
        field: "track".into(),
        value: track as i64,
        range: "0..16".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> RecordSettings {
        RecordSettings {
            track: 2,
            kind: TrackKind::Audio,
            cursor: 14,
            edit_step: 1,
            length: 16,
            capture_micro_timing: true,
            channel: None,
        }
    }

    #[test]
    fn step_entry_advances_and_wraps() {
        let mut r = Recorder::new(RecordSettings {
            edit_step: 2,
            ..settings()
        });
        let a = r.step_entry(84, 100);
        assert_eq!((a.step, a.next_cursor, a.pitch_lock), (14, 0, Some(64)));
        let b = r.step_entry(72, 90);
        assert_eq!((b.step, b.next_cursor, b.pitch_lock), (0, 2, Some(52)));
        assert_eq!(r.step_entry(60, 1).pitch_lock, None);
    }

    #[test]
    fn live_quantizes_with_micro_timing() {
        let mut r = Recorder::new(settings());
        let n = r.live(84, 100, 3.25);
        assert_eq!((n.step, n.micro_timing), (3, MicroTiming(6)));
        let n = r.live(84, 100, 3.75);
        assert_eq!((n.step, n.micro_timing), (4, MicroTiming(-6)));
        // Just before the loop point lands on step 1 (index 0) early.
        let n = r.live(84, 100, 15.9);
        assert_eq!((n.step, n.micro_timing), (0, MicroTiming(-2)));
        r.settings.capture_micro_timing = false;
        assert_eq!(r.live(84, 100, 3.25).micro_timing, MicroTiming(0));
        r.settings.kind = TrackKind::Midi;
        r.settings.channel = Some(4);
        assert_eq!(r.live(60, 100, 0.0).pitch_lock, None);
        assert!(r.accepts(4) && !r.accepts(5));
    }

    #[test]
    fn step_entry_chords_on_midi_tracks_only() {
        let mut r = Recorder::new(RecordSettings {
            kind: TrackKind::Midi,
            track: 9,
            cursor: 0,
            edit_step: 4,
            ..settings()
        });
        let a = r.step_entry_chord(60, 100);
        let b = r.step_entry_chord(64, 90);
        let c = r.step_entry(67, 80);
        assert_eq!((a.step, b.step, c.step), (0, 0, 4));
        let mut audio = Recorder::new(RecordSettings {
            cursor: 0,
            ..settings()
        });
        audio.step_entry(84, 1);
        assert_eq!(audio.step_entry_chord(86, 1).step, 1);
    }

    #[test]
    fn a_take_writes_trigs_locks_micro_timing_and_chords() {
        let mut p = Pattern::blank();
        let n = |track: usize, step: u16, note: u8, mt: i8| RecordedNote {
            track,
            step,
            note,
            velocity: 90,
            micro_timing: MicroTiming(mt),
            pitch_lock: if track < 8 { note_to_pitch(note) } else { None },
            next_cursor: 0,
        };
        let take = [
            n(2, 4, 86, 5),
            n(2, 0, 60, 0),
            n(9, 3, 60, -3),
            n(9, 3, 64, -3),
            n(9, 3, 67, -3),
        ];
        assert_eq!(write_take(&mut p, &take).unwrap(), vec![0, 4, 3]);
        let t3 = &p.audio[2];
        assert!(t3.trigs.get(4) && t3.trigs.get(0) && !t3.trigs.get(1));
        assert_eq!(t3.plock(4, 0), Some(66));
        assert_eq!(t3.plock(0, 0), None, "note 60 is no chromatic note");
        assert_eq!(t3.micro_timing(4), MicroTiming(5));
        let m2 = &p.midi[1];
        assert!(m2.trigs.get(3));
        assert_eq!(
            m2.notes(3, [48, 100, 6, 64, 64, 64]).notes,
            vec![60, 64, 67]
        );
        assert_eq!(m2.plock(3, midi_slot::VEL), Some(90));
        assert_eq!(m2.micro_timing(3), MicroTiming(-3));
    }
}
