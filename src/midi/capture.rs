//! The capture port: `file:PATH` as a MIDI output or input, for testing without hardware
//! and for debugging.
//!
//! An output `file:PATH` appends every message sent as one line `MICROSECONDS HEX-BYTES`
//! (`120345 92 54 64`), microseconds since the port opened. An input `file:PATH` plays such a
//! file: each message arrives at its time after the port opened (or after a given anchor).
//! Both implement [`MidiOut`] / [`MidiIn`], so they go wherever a real port goes; the
//! helpers [`open_out`] and [`open_in`] open a user's port choice of either kind.

use super::transport::{MidiError, MidiIn, MidiOut, MidiSystem, TimedMessage, resolve_port};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The prefix that makes a port choice a capture file.
pub const PREFIX: &str = "file:";

/// The largest capture file read as an input (64 MiB).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The file a port choice names, when it is `file:PATH`.
pub fn file_choice(choice: &str) -> Option<&Path> {
    choice
        .strip_prefix(PREFIX)
        .filter(|p| !p.is_empty())
        .map(Path::new)
}

/// One line of a capture file: `MICROSECONDS HEX-BYTES`.
pub fn format_line(micros: u64, bytes: &[u8]) -> String {
    let mut s = micros.to_string();
    for b in bytes {
        s.push_str(&format!(" {b:02X}"));
    }
    s
}

/// Parses a capture file's text into (microseconds, bytes), in file order. Blank lines and
/// lines starting with `#` are skipped; an error names the line and what was expected.
/// Times restart at 0 where a later session was appended to the file.
pub fn parse(text: &str) -> Result<Vec<(u64, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let n = i + 1;
        let t: u64 = words
            .next()
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| format!("line {n}: expected microseconds, found '{line}'"))?;
        let bytes = words
            .map(|w| {
                u8::from_str_radix(w, 16)
                    .map_err(|_| format!("line {n}: expected a hex byte, found '{w}'"))
            })
            .collect::<Result<Vec<u8>, String>>()?;
        if bytes.is_empty() {
            return Err(format!("line {n}: expected message bytes after the time"));
        }
        out.push((t, bytes));
    }
    Ok(out)
}

/// An output port writing every message to a file.
pub struct CaptureOut {
    name: String,
    file: File,
    opened: Instant,
}

impl CaptureOut {
    /// Opens (creates or appends to) the capture file.
    pub fn open(path: &Path) -> Result<Self, MidiError> {
        let name = format!("{PREFIX}{}", path.display());
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| MidiError::Send {
                port: name.clone(),
                reason: format!("cannot open for appending: {e}"),
            })?;
        Ok(Self {
            name,
            file,
            opened: Instant::now(),
        })
    }
}

impl MidiOut for CaptureOut {
    fn name(&self) -> &str {
        &self.name
    }
    fn send(&mut self, bytes: &[u8]) -> Result<(), MidiError> {
        let micros = self.opened.elapsed().as_micros() as u64;
        let mut line = format_line(micros, bytes);
        line.push('\n');
        // One write per message, so a reader (a test, `tail -f`) sees whole lines.
        self.file
            .write_all(line.as_bytes())
            .map_err(|e| MidiError::Disconnected(format!("{}: {e}", self.name)))
    }
}

/// An input port playing a capture file with its timing.
pub struct FileIn {
    name: String,
    events: Vec<(u64, Vec<u8>)>,
    next: usize,
    anchor: Instant,
}

impl FileIn {
    /// Reads a capture file; its times count from `anchor` (`None`: from now).
    pub fn open(path: &Path, anchor: Option<Instant>) -> Result<Self, MidiError> {
        let name = format!("{PREFIX}{}", path.display());
        let fail = |reason: String| MidiError::Send {
            port: name.clone(),
            reason,
        };
        let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
        if !meta.is_file() {
            return Err(fail("expected a regular file".into()));
        }
        if meta.len() > MAX_INPUT_BYTES {
            return Err(fail(format!(
                "expected at most {MAX_INPUT_BYTES} bytes, found {}",
                meta.len()
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        // Appended sessions play one after the other.
        let mut events = parse(&text).map_err(fail)?;
        let (mut offset, mut last) = (0u64, 0u64);
        for (t, _) in &mut events {
            if *t + offset < last {
                offset = last;
            }
            *t += offset;
            last = *t;
        }
        Ok(Self {
            name: name.clone(),
            events,
            next: 0,
            anchor: anchor.unwrap_or_else(Instant::now),
        })
    }

    /// The messages left to deliver.
    pub fn remaining(&self) -> usize {
        self.events.len() - self.next
    }
}

impl MidiIn for FileIn {
    fn name(&self) -> &str {
        &self.name
    }
    fn recv_timeout(&mut self, timeout: Duration) -> Result<Option<TimedMessage>, MidiError> {
        let Some((t, bytes)) = self.events.get(self.next) else {
            std::thread::sleep(timeout.min(Duration::from_millis(50)));
            return Err(MidiError::Ended(self.name.clone()));
        };
        let at = self.anchor + Duration::from_micros(*t);
        let now = Instant::now();
        if at > now {
            let wait = at - now;
            if wait > timeout {
                std::thread::sleep(timeout);
                return Ok(None);
            }
            std::thread::sleep(wait);
        }
        let m = TimedMessage {
            at,
            bytes: bytes.clone(),
        };
        self.next += 1;
        Ok(Some(m))
    }
}

/// Opens an output port choice: `file:PATH` (a capture file), else a name, unique part of
/// a name or index of the system's outputs (`None`: the first output). Returns the port's
/// name and the port.
pub fn open_out(
    system: &mut dyn MidiSystem,
    choice: Option<&str>,
) -> Result<(String, Box<dyn MidiOut>), MidiError> {
    if let Some(path) = choice.and_then(file_choice) {
        let port = CaptureOut::open(path)?;
        return Ok((port.name().to_string(), Box::new(port)));
    }
    let names = system.outputs()?;
    let name = match choice {
        Some(c) => resolve_port(&names, c)?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| MidiError::NoSuchPort("(first output)".into()))?,
    };
    let port = system.open_out(&name)?;
    Ok((name, port))
}

/// Opens an input port choice: `file:PATH` (a capture file played with its timing from
/// now), else a name, unique part of a name or index of the system's inputs.
pub fn open_in(
    system: &mut dyn MidiSystem,
    choice: &str,
) -> Result<(String, Box<dyn MidiIn>), MidiError> {
    open_in_at(system, choice, None)
}

/// [`open_in`] with the instant a `file:` input's time 0 stands for (`None`: now).
pub fn open_in_at(
    system: &mut dyn MidiSystem,
    choice: &str,
    anchor: Option<Instant>,
) -> Result<(String, Box<dyn MidiIn>), MidiError> {
    if let Some(path) = file_choice(choice) {
        let port = FileIn::open(path, anchor)?;
        return Ok((port.name().to_string(), Box::new(port)));
    }
    let names = system.inputs()?;
    let name = resolve_port(&names, choice)?;
    let port = system.open_in(&name)?;
    Ok((name, port))
}

/// The messages of a capture file as written by [`CaptureOut`] (for tests and tools).
pub fn read(path: &PathBuf) -> Result<Vec<(u64, Vec<u8>)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::midi::sim::SimSystem;

    #[test]
    fn lines_round_trip_and_errors_name_the_line() {
        assert_eq!(format_line(120345, &[0x92, 0x54, 0x64]), "120345 92 54 64");
        let got = parse("# a comment\n0 F8\n\n120345 92 54 64\n").unwrap();
        assert_eq!(got, vec![(0, vec![0xF8]), (120345, vec![0x92, 0x54, 0x64])]);
        assert_eq!(
            parse("10 90 3C 64\nx 90").unwrap_err(),
            "line 2: expected microseconds, found 'x 90'"
        );
        assert_eq!(
            parse("10 90 3C 6G").unwrap_err(),
            "line 1: expected a hex byte, found '6G'"
        );
        assert_eq!(
            parse("10 90\n5 80").unwrap(),
            vec![(10, vec![0x90]), (5, vec![0x80])]
        );
        assert_eq!(
            parse("10").unwrap_err(),
            "line 1: expected message bytes after the time"
        );
    }

    #[test]
    fn capture_out_appends_timed_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cap.txt");
        let choice = format!("file:{}", path.display());
        let mut sys = SimSystem::default();
        let (name, mut port) = open_out(&mut sys, Some(&choice)).unwrap();
        assert_eq!(name, choice);
        port.send(&[0x92, 0x54, 0x64]).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        port.send(&[0x82, 0x54, 0x00]).unwrap();
        drop(port);
        // A second opening appends.
        let (_, mut port) = open_out(&mut sys, Some(&choice)).unwrap();
        port.send(&[0xFC]).unwrap();
        let got = read(&path).unwrap();
        let bytes: Vec<&Vec<u8>> = got.iter().map(|(_, b)| b).collect();
        assert_eq!(
            bytes,
            vec![&vec![0x92, 0x54, 0x64], &vec![0x82, 0x54, 0], &vec![0xFC]]
        );
        assert!(got[1].0 >= got[0].0 + 20_000, "{got:?}");
        // A folder cannot be a capture file.
        let bad = format!("file:{}", dir.path().display());
        assert!(matches!(
            open_out(&mut sys, Some(&bad)),
            Err(MidiError::Send { .. })
        ));
    }

    #[test]
    fn file_input_plays_with_its_timing_then_ends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        std::fs::write(&path, "0 90 3C 64\n30000 80 3C 00\n").unwrap();
        let anchor = Instant::now();
        let mut port = FileIn::open(&path, Some(anchor)).unwrap();
        assert_eq!(port.remaining(), 2);
        let a = port.recv_timeout(Duration::from_secs(1)).unwrap().unwrap();
        assert_eq!((a.at, a.bytes), (anchor, vec![0x90, 0x3C, 0x64]));
        // Not due yet within a short timeout.
        let none = port.recv_timeout(Duration::from_millis(1)).unwrap();
        assert!(none.is_none() || anchor.elapsed() >= Duration::from_millis(30));
        let mut b = none;
        while b.is_none() {
            b = port.recv_timeout(Duration::from_secs(1)).unwrap();
        }
        let b = b.unwrap();
        assert_eq!(b.at, anchor + Duration::from_millis(30));
        assert!(Instant::now() >= b.at);
        assert_eq!(
            port.recv_timeout(Duration::from_millis(1)),
            Err(MidiError::Ended(format!("file:{}", path.display())))
        );
        // A second session appended plays after the first.
        std::fs::write(&path, "0 90 3C 64\n100 80 3C 00\n50 FC\n").unwrap();
        let anchor = Instant::now();
        let mut port = FileIn::open(&path, Some(anchor)).unwrap();
        let mut times = Vec::new();
        while let Ok(Some(m)) = port.recv_timeout(Duration::from_secs(1)) {
            times.push(m.at - anchor);
        }
        assert_eq!(times, [0, 100, 150].map(Duration::from_micros));
        std::fs::write(&path, "1 90\nzz\n").unwrap();
        let err = match FileIn::open(&path, None) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("parsed a bad file"),
        };
        assert!(err.contains("line 2: expected microseconds"), "{err}");
        let mut sys = SimSystem::default();
        assert!(open_in(&mut sys, &format!("file:{}", path.display())).is_err());
        assert!(open_in(&mut sys, "file:/nonexistent/x").is_err());
    }
}
