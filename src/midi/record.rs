//! Recording notes from a MIDI input into the grid, as edit events the tracker applies
//! through its own undoable actions.

use super::model::TrackKind;
use super::render::note_to_pitch;
use crate::format::MicroTiming;

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
}

impl Recorder {
    /// A recorder with these settings.
    pub fn new(settings: RecordSettings) -> Self {
        Self { settings }
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
}
