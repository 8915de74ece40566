//! MIDI message building and parsing (channel voice, clock, transport).
//!
//! Channels are 0-based (0..=15) everywhere in code; users see 1..=16.

use std::fmt;

/// A short (1..=3 byte) MIDI message stored inline, so scheduling never allocates per message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShortMsg {
    bytes: [u8; 3],
    len: u8,
}

impl ShortMsg {
    /// Note on (velocity 0 is sent as velocity 1, so it is never read as a note off).
    pub fn note_on(channel: u8, note: u8, velocity: u8) -> Self {
        Self::three(
            0x90 | (channel & 0x0F),
            note & 0x7F,
            (velocity & 0x7F).max(1),
        )
    }
    /// Note off (status 0x80, release velocity 0).
    pub fn note_off(channel: u8, note: u8) -> Self {
        Self::three(0x80 | (channel & 0x0F), note & 0x7F, 0)
    }
    /// Control change.
    pub fn cc(channel: u8, controller: u8, value: u8) -> Self {
        Self::three(0xB0 | (channel & 0x0F), controller & 0x7F, value & 0x7F)
    }
    /// Program change.
    pub fn program(channel: u8, program: u8) -> Self {
        Self {
            bytes: [0xC0 | (channel & 0x0F), program & 0x7F, 0],
            len: 2,
        }
    }
    /// Pitch bend from a 0..=127 Elektron value (64 = centre), scaled to 14 bits.
    pub fn pitch_bend(channel: u8, value: u8) -> Self {
        let v14 = (value.min(127) as u16) << 7;
        Self::three(
            0xE0 | (channel & 0x0F),
            (v14 & 0x7F) as u8,
            (v14 >> 7) as u8,
        )
    }
    /// Channel aftertouch.
    pub fn aftertouch(channel: u8, value: u8) -> Self {
        Self {
            bytes: [0xD0 | (channel & 0x0F), value & 0x7F, 0],
            len: 2,
        }
    }
    /// All notes off (CC 123) on one channel.
    pub fn all_notes_off(channel: u8) -> Self {
        Self::cc(channel, 123, 0)
    }
    /// A one-byte real-time message (clock, start, stop, ...).
    pub fn realtime(status: u8) -> Self {
        Self {
            bytes: [status, 0, 0],
            len: 1,
        }
    }
    fn three(a: u8, b: u8, c: u8) -> Self {
        Self {
            bytes: [a, b, c],
            len: 3,
        }
    }
    /// The message bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
    /// The channel of a channel message (status 0x80..0xEF), 0-based.
    pub fn channel(&self) -> Option<u8> {
        (0x80..0xF0)
            .contains(&self.bytes[0])
            .then_some(self.bytes[0] & 0x0F)
    }
    /// The same message on another channel (channel messages only; others unchanged).
    pub fn on_channel(mut self, channel: u8) -> Self {
        if self.channel().is_some() {
            self.bytes[0] = (self.bytes[0] & 0xF0) | (channel & 0x0F);
        }
        self
    }
    /// A channel message from raw bytes (note on/off, CC, program, pressure, bend);
    /// `None` for anything else (sysex, realtime, incomplete).
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let status = *bytes.first()?;
        let len = match status & 0xF0 {
            0x80 | 0x90 | 0xA0 | 0xB0 | 0xE0 => 3,
            0xC0 | 0xD0 => 2,
            _ => return None,
        };
        let data = bytes.get(1..len)?;
        if data.iter().any(|b| b & 0x80 != 0) {
            return None;
        }
        let mut m = Self {
            bytes: [status, 0, 0],
            len: len as u8,
        };
        m.bytes[1..len].copy_from_slice(data);
        Some(m)
    }
    /// `Some((channel, note))` when this is a note on with velocity > 0.
    pub fn note_on_parts(&self) -> Option<(u8, u8)> {
        (self.len == 3 && self.bytes[0] & 0xF0 == 0x90 && self.bytes[2] > 0)
            .then_some((self.bytes[0] & 0x0F, self.bytes[1]))
    }
    /// `Some((channel, note))` when this is a note off (or note on with velocity 0).
    pub fn note_off_parts(&self) -> Option<(u8, u8)> {
        let s = self.bytes[0] & 0xF0;
        (self.len == 3 && (s == 0x80 || (s == 0x90 && self.bytes[2] == 0)))
            .then_some((self.bytes[0] & 0x0F, self.bytes[1]))
    }
}

/// MIDI clock tick (24 per quarter note).
pub const CLOCK: u8 = 0xF8;
/// Start.
pub const START: u8 = 0xFA;
/// Continue.
pub const CONTINUE: u8 = 0xFB;
/// Stop.
pub const STOP: u8 = 0xFC;

/// A parsed incoming MIDI message (what `octa midi monitor` prints and recording reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MidiMessage {
    /// Note on with velocity > 0 (channel 0-based).
    NoteOn {
        /// Channel 0..=15.
        channel: u8,
        /// Note number.
        note: u8,
        /// Velocity 1..=127.
        velocity: u8,
    },
    /// Note off (or note on with velocity 0).
    NoteOff {
        /// Channel 0..=15.
        channel: u8,
        /// Note number.
        note: u8,
    },
    /// Control change.
    ControlChange {
        /// Channel 0..=15.
        channel: u8,
        /// Controller number.
        controller: u8,
        /// Value.
        value: u8,
    },
    /// Program change.
    ProgramChange {
        /// Channel 0..=15.
        channel: u8,
        /// Program.
        program: u8,
    },
    /// Pitch bend, 14-bit value (8192 = centre).
    PitchBend {
        /// Channel 0..=15.
        channel: u8,
        /// 0..=16383.
        value: u16,
    },
    /// Channel or polyphonic aftertouch.
    Aftertouch {
        /// Channel 0..=15.
        channel: u8,
        /// Value.
        value: u8,
    },
    /// Clock tick (F8).
    Clock,
    /// Start (FA).
    Start,
    /// Continue (FB).
    Continue,
    /// Stop (FC).
    Stop,
    /// Song position pointer in sixteenth notes.
    SongPosition(u16),
    /// A system exclusive message (whole F0..F7).
    Sysex(Vec<u8>),
    /// Anything else, kept raw.
    Other(Vec<u8>),
}

impl MidiMessage {
    /// Parses one complete message; never panics on short or odd input.
    pub fn parse(bytes: &[u8]) -> Self {
        let get = |i: usize| bytes.get(i).copied().unwrap_or(0) & 0x7F;
        let Some(&status) = bytes.first() else {
            return Self::Other(Vec::new());
        };
        let channel = status & 0x0F;
        match status & 0xF0 {
            0x90 if bytes.len() >= 3 && get(2) > 0 => Self::NoteOn {
                channel,
                note: get(1),
                velocity: get(2),
            },
            0x80 | 0x90 if bytes.len() >= 3 => Self::NoteOff {
                channel,
                note: get(1),
            },
            0xB0 if bytes.len() >= 3 => Self::ControlChange {
                channel,
                controller: get(1),
                value: get(2),
            },
            0xC0 if bytes.len() >= 2 => Self::ProgramChange {
                channel,
                program: get(1),
            },
            0xE0 if bytes.len() >= 3 => Self::PitchBend {
                channel,
                value: (get(1) as u16) | ((get(2) as u16) << 7),
            },
            0xD0 if bytes.len() >= 2 => Self::Aftertouch {
                channel,
                value: get(1),
            },
            0xA0 if bytes.len() >= 3 => Self::Aftertouch {
                channel,
                value: get(2),
            },
            _ => match status {
                CLOCK => Self::Clock,
                START => Self::Start,
                CONTINUE => Self::Continue,
                STOP => Self::Stop,
                0xF2 if bytes.len() >= 3 => {
                    Self::SongPosition((get(1) as u16) | ((get(2) as u16) << 7))
                }
                0xF0 => Self::Sysex(bytes.to_vec()),
                _ => Self::Other(bytes.to_vec()),
            },
        }
    }
}

impl fmt::Display for MidiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::format::note_name;
        match self {
            Self::NoteOn {
                channel,
                note,
                velocity,
            } => write!(
                f,
                "ch{:<2} note on  {} ({note}) vel {velocity}",
                channel + 1,
                note_name(*note)
            ),
            Self::NoteOff { channel, note } => write!(
                f,
                "ch{:<2} note off {} ({note})",
                channel + 1,
                note_name(*note)
            ),
            Self::ControlChange {
                channel,
                controller,
                value,
            } => write!(f, "ch{:<2} CC {controller} = {value}", channel + 1),
            Self::ProgramChange { channel, program } => {
                write!(f, "ch{:<2} program {}", channel + 1, program + 1)
            }
            Self::PitchBend { channel, value } => {
                write!(
                    f,
                    "ch{:<2} pitch bend {}",
                    channel + 1,
                    *value as i32 - 8192
                )
            }
            Self::Aftertouch { channel, value } => {
                write!(f, "ch{:<2} aftertouch {value}", channel + 1)
            }
            Self::Clock => write!(f, "clock"),
            Self::Start => write!(f, "start"),
            Self::Continue => write!(f, "continue"),
            Self::Stop => write!(f, "stop"),
            Self::SongPosition(p) => write!(f, "song position {p}"),
            Self::Sysex(b) => write!(f, "sysex, {} bytes", b.len()),
            Self::Other(b) => {
                write!(f, "raw")?;
                for x in b {
                    write!(f, " {x:02X}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_parses() {
        assert_eq!(ShortMsg::note_on(2, 84, 100).as_bytes(), &[0x92, 84, 100]);
        assert_eq!(ShortMsg::note_on(0, 60, 0).as_bytes(), &[0x90, 60, 1]);
        assert_eq!(ShortMsg::note_off(15, 72).as_bytes(), &[0x8F, 72, 0]);
        assert_eq!(ShortMsg::cc(1, 16, 70).as_bytes(), &[0xB1, 16, 70]);
        assert_eq!(ShortMsg::program(3, 9).as_bytes(), &[0xC3, 9]);
        assert_eq!(ShortMsg::pitch_bend(0, 64).as_bytes(), &[0xE0, 0, 64]);
        assert_eq!(ShortMsg::realtime(CLOCK).as_bytes(), &[0xF8]);
        assert_eq!(
            MidiMessage::parse(&[0x93, 61, 0]),
            MidiMessage::NoteOff {
                channel: 3,
                note: 61
            }
        );
        assert_eq!(
            MidiMessage::parse(&[0xB0, 123, 0]),
            MidiMessage::ControlChange {
                channel: 0,
                controller: 123,
                value: 0
            }
        );
        assert_eq!(
            MidiMessage::parse(&[0xF2, 4, 1]),
            MidiMessage::SongPosition(132)
        );
        assert_eq!(MidiMessage::parse(&[0x90]), MidiMessage::Other(vec![0x90]));
        assert_eq!(MidiMessage::parse(&[]), MidiMessage::Other(vec![]));
        assert_eq!(
            MidiMessage::parse(&[0x90, 84, 100]).to_string(),
            "ch1  note on  C-6 (84) vel 100"
        );
        assert_eq!(ShortMsg::note_on(1, 5, 5).note_on_parts(), Some((1, 5)));
        assert_eq!(ShortMsg::note_off(1, 5).note_off_parts(), Some((1, 5)));
    }
}
