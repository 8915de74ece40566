//! Standard MIDI File reading, just enough to pull out the sysex events (F0 and F7
//! escapes, including dumps split over several packets).

use thiserror::Error;

/// A MIDI file that cannot be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SmfError {
    /// Not a MIDI file at all.
    #[error("not a Standard MIDI File (no MThd header)")]
    NotSmf,
    /// The data ends inside a chunk or event.
    #[error("MIDI file truncated at byte {offset}: {what}")]
    Truncated {
        /// Where the data ran out.
        offset: usize,
        /// What was being read.
        what: &'static str,
    },
    /// An event that makes no sense.
    #[error("MIDI file: bad event at byte {offset}: {what}")]
    Bad {
        /// Where.
        offset: usize,
        /// What.
        what: String,
    },
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self, what: &'static str) -> Result<u8, SmfError> {
        let b = *self.data.get(self.pos).ok_or(SmfError::Truncated {
            offset: self.pos,
            what,
        })?;
        self.pos += 1;
        Ok(b)
    }
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], SmfError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or(SmfError::Truncated {
            offset: self.pos,
            what,
        })?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn varlen(&mut self, what: &'static str) -> Result<usize, SmfError> {
        let mut v = 0usize;
        for _ in 0..4 {
            let b = self.byte(what)?;
            v = (v << 7) | usize::from(b & 0x7F);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(SmfError::Bad {
            offset: self.pos,
            what: format!("{what}: variable-length number longer than 4 bytes"),
        })
    }
    fn u32(&mut self, what: &'static str) -> Result<usize, SmfError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
}

/// True when the data starts like a Standard MIDI File.
pub fn is_smf(data: &[u8]) -> bool {
    data.starts_with(b"MThd")
}

/// All sysex messages in a MIDI file, in track order, each a complete F0..F7 message.
pub fn sysex_from_smf(data: &[u8]) -> Result<Vec<Vec<u8>>, SmfError> {
    if !is_smf(data) {
        return Err(SmfError::NotSmf);
    }
    let mut r = Reader { data, pos: 4 };
    let header_len = r.u32("header length")?;
    r.take(header_len, "header")?;
    let mut out = Vec::new();
    while r.pos < data.len() {
        let id = r.take(4, "chunk id")?;
        let len = r.u32("chunk length")?;
        let start = r.pos;
        r.take(len, "track chunk")?;
        if id == b"MTrk" {
            track_sysex(&data[..start + len], start, &mut out)?;
        }
    }
    Ok(out)
}

/// Reads the track in `data[start..]` (`data` ends where the chunk ends).
fn track_sysex(data: &[u8], start: usize, out: &mut Vec<Vec<u8>>) -> Result<(), SmfError> {
    let mut r = Reader { data, pos: start };
    let mut running: Option<u8> = None;
    let mut pending: Option<Vec<u8>> = None;
    let bad = |offset: usize, what: String| SmfError::Bad { offset, what };
    while r.pos < data.len() {
        r.varlen("delta time")?;
        let at = r.pos;
        let first = r.byte("event")?;
        match first {
            0xF0 => {
                let len = r.varlen("sysex length")?;
                let payload = r.take(len, "sysex data")?;
                let mut m = vec![0xF0];
                m.extend_from_slice(payload);
                if m.last() == Some(&0xF7) {
                    out.push(m);
                    pending = None;
                } else {
                    pending = Some(m);
                }
                running = None;
            }
            0xF7 => {
                let len = r.varlen("sysex continuation length")?;
                let payload = r.take(len, "sysex continuation")?;
                if let Some(mut m) = pending.take() {
                    m.extend_from_slice(payload);
                    if m.last() == Some(&0xF7) {
                        out.push(m);
                    } else {
                        pending = Some(m);
                    }
                } else if payload.first() == Some(&0xF0) && payload.last() == Some(&0xF7) {
                    // An escaped complete sysex message.
                    out.push(payload.to_vec());
                }
                running = None;
            }
            0xFF => {
                r.byte("meta type")?;
                let len = r.varlen("meta length")?;
                r.take(len, "meta data")?;
            }
            s if s & 0x80 != 0 => {
                if s > 0xF0 {
                    return Err(bad(at, format!("unexpected status byte {s:#04X}")));
                }
                running = Some(s);
                r.take(data_len(s), "channel message")?;
            }
            _ => {
                let s =
                    running.ok_or_else(|| bad(at, "data byte without running status".into()))?;
                r.take(data_len(s) - 1, "channel message")?;
            }
        }
    }
    Ok(())
}

fn data_len(status: u8) -> usize {
    match status & 0xF0 {
        0xC0 | 0xD0 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smf(track: &[u8]) -> Vec<u8> {
        let mut d = b"MThd".to_vec();
        d.extend_from_slice(&[0, 0, 0, 6, 0, 0, 0, 1, 0, 96]);
        d.extend_from_slice(b"MTrk");
        d.extend_from_slice(&(track.len() as u32).to_be_bytes());
        d.extend_from_slice(track);
        d
    }

    #[test]
    fn reads_whole_and_split_sysex_with_running_status() {
        let track = [
            0x00, 0x90, 60, 100, // note on
            0x00, 61, 100, // running status
            0x00, 0xF0, 0x03, 0x43, 0x10, 0xF7, // whole sysex
            0x00, 0xF0, 0x02, 0x41, 0x10, // first packet
            0x10, 0xF7, 0x02, 0x20, 0xF7, // continuation
            0x00, 0xFF, 0x2F, 0x00, // end of track
        ];
        let got = sysex_from_smf(&smf(&track));
        assert_eq!(
            got,
            Ok(vec![
                vec![0xF0, 0x43, 0x10, 0xF7],
                vec![0xF0, 0x41, 0x10, 0x20, 0xF7]
            ])
        );
    }

    #[test]
    fn truncated_file_names_the_offset() {
        let d = smf(&[0x00, 0xF0, 0x05, 0x43]);
        let e = sysex_from_smf(&d).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("MIDI file truncated at byte 25: sysex data")
        );
        assert_eq!(sysex_from_smf(b"RIFF"), Err(SmfError::NotSmf));
    }
}
