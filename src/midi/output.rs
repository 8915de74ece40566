//! The output side of the engine: the chosen port (remembered, reopened when it comes
//! back), held-note bookkeeping so no note hangs, and the panic action.

use super::message::ShortMsg;
use super::transport::{MidiError, MidiOut, MidiSystem, resolve_port};
use std::fmt;
use std::time::{Duration, Instant};

/// How often a vanished or missing port is looked for again.
pub const RETRY: Duration = Duration::from_millis(500);

/// State of the output port, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortStatus {
    /// No MIDI system on this machine.
    Unavailable(String),
    /// The system has no output port (or none was chosen and none exists).
    NoPort,
    /// The chosen port does not exist (yet).
    NotFound(String),
    /// Connected to this port.
    Connected(String),
    /// The port went away; it is reopened when it comes back.
    Vanished(String),
}

impl fmt::Display for PortStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unavailable(r) => write!(f, "MIDI unavailable ({r})"),
            Self::NoPort => write!(f, "MIDI: no output port"),
            Self::NotFound(c) => write!(f, "MIDI: port '{c}' not found"),
            Self::Connected(n) => write!(f, "MIDI: {n}"),
            Self::Vanished(n) => write!(f, "MIDI: {n} disconnected, waiting for it"),
        }
    }
}

/// An output that remembers the user's choice and tracks held notes.
pub struct Output {
    choice: Option<String>,
    port: Option<Box<dyn MidiOut>>,
    status: PortStatus,
    last_try: Option<Instant>,
    held: Box<[u8; 16 * 128]>,
    held_count: usize,
    /// Messages sent since start.
    pub sent: u64,
    /// How long to wait between attempts to reopen a missing port.
    pub retry: Duration,
}

impl Output {
    /// Opens the chosen port (name, substring or index; `None` = first port).
    pub fn open(system: &mut dyn MidiSystem, choice: Option<String>) -> Self {
        let mut o = Self {
            choice,
            port: None,
            status: PortStatus::NoPort,
            last_try: None,
            held: Box::new([0; 16 * 128]),
            held_count: 0,
            sent: 0,
            retry: RETRY,
        };
        o.try_open(system);
        o
    }

    fn try_open(&mut self, system: &mut dyn MidiSystem) {
        self.last_try = Some(Instant::now());
        if let Some(path) = self.choice.as_deref().and_then(super::capture::file_choice) {
            match super::capture::CaptureOut::open(path) {
                Ok(p) => {
                    self.status = PortStatus::Connected(p.name().to_string());
                    self.port = Some(Box::new(p));
                }
                Err(_) => {
                    let c = self.choice.clone().unwrap_or_default();
                    if !matches!(self.status, PortStatus::Vanished(_)) {
                        self.status = PortStatus::NotFound(c);
                    }
                }
            }
            return;
        }
        let names = match system.outputs() {
            Ok(n) => n,
            Err(MidiError::Unavailable(r)) => {
                self.status = PortStatus::Unavailable(r);
                return;
            }
            Err(e) => {
                self.status = PortStatus::Unavailable(e.to_string());
                return;
            }
        };
        let name = match &self.choice {
            Some(c) => match resolve_port(&names, c) {
                Ok(n) => n,
                Err(_) => {
                    if !matches!(self.status, PortStatus::Vanished(_)) {
                        self.status = PortStatus::NotFound(c.clone());
                    }
                    return;
                }
            },
            None => match names.first() {
                Some(n) => n.clone(),
                None => {
                    self.status = PortStatus::NoPort;
                    return;
                }
            },
        };
        match system.open_out(&name) {
            Ok(p) => {
                // Remember the resolved name so an index choice survives re-enumeration.
                if self.choice.is_none() || matches!(self.status, PortStatus::NotFound(_)) {
                    self.choice = Some(name.clone());
                }
                self.port = Some(p);
                self.status = PortStatus::Connected(name);
            }
            Err(MidiError::Unavailable(r)) => self.status = PortStatus::Unavailable(r),
            Err(_) => {}
        }
    }

    /// Reopens a missing port now and then; returns true when it just reconnected.
    pub fn maintain(&mut self, system: &mut dyn MidiSystem) -> bool {
        if self.port.is_some() || matches!(self.status, PortStatus::Unavailable(_)) {
            return false;
        }
        if self.last_try.is_some_and(|t| t.elapsed() < self.retry) {
            return false;
        }
        self.try_open(system);
        if self.port.is_some() {
            // The device may still hold notes from before it vanished.
            self.panic();
            return true;
        }
        false
    }

    /// The port status.
    pub fn status(&self) -> &PortStatus {
        &self.status
    }

    /// Whether a port is open.
    pub fn is_connected(&self) -> bool {
        self.port.is_some()
    }

    /// Notes currently held on the device.
    pub fn held_notes(&self) -> usize {
        self.held_count
    }

    /// Sends raw bytes (sysex, realtime); a vanished port is noted, never panics.
    pub fn send_raw(&mut self, bytes: &[u8]) -> bool {
        let Some(port) = self.port.as_mut() else {
            return false;
        };
        match port.send(bytes) {
            Ok(()) => {
                self.sent += 1;
                true
            }
            Err(_) => {
                let name = port.name().to_string();
                self.port = None;
                self.status = PortStatus::Vanished(name);
                self.last_try = Some(Instant::now());
                // Whatever was held is gone with the port.
                self.held.fill(0);
                self.held_count = 0;
                false
            }
        }
    }

    /// Sends a message, keeping note bookkeeping; a note off for a note that is not held
    /// is dropped.
    pub fn send(&mut self, msg: &ShortMsg) -> bool {
        if let Some((ch, n)) = msg.note_off_parts() {
            let i = ch as usize * 128 + n as usize;
            if self.held[i] == 0 {
                return false;
            }
            if self.send_raw(msg.as_bytes()) {
                self.held[i] -= 1;
                self.held_count -= 1;
                return true;
            }
            return false;
        }
        if let Some((ch, n)) = msg.note_on_parts() {
            let i = ch as usize * 128 + n as usize;
            if self.held[i] == u8::MAX {
                return false;
            }
            if self.send_raw(msg.as_bytes()) {
                self.held[i] += 1;
                self.held_count += 1;
                return true;
            }
            return false;
        }
        self.send_raw(msg.as_bytes())
    }

    /// Sends a note off for every held note.
    pub fn release_all(&mut self) {
        if self.held_count == 0 {
            return;
        }
        for i in 0..self.held.len() {
            while self.held[i] > 0 && self.port.is_some() {
                let off = ShortMsg::note_off((i / 128) as u8, (i % 128) as u8);
                if !self.send(&off) {
                    break;
                }
            }
        }
    }

    /// Panic: note offs for held notes, then all-notes-off (CC 123) on all 16 channels.
    pub fn panic(&mut self) {
        self.release_all();
        for ch in 0..16 {
            self.send(&ShortMsg::all_notes_off(ch));
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        self.release_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::midi::sim::SimSystem;

    #[test]
    fn reconnects_and_never_hangs_notes() {
        let mut sys = SimSystem::with_device("OT");
        let mut o = Output::open(&mut sys, Some("0".into()));
        assert_eq!(o.status(), &PortStatus::Connected("OT".into()));
        assert!(o.send(&ShortMsg::note_on(0, 84, 100)));
        assert_eq!(o.held_notes(), 1);
        // A stray note off is not sent.
        assert!(!o.send(&ShortMsg::note_off(0, 60)));
        sys.unplug("OT");
        assert!(!o.send(&ShortMsg::cc(0, 16, 1)));
        assert_eq!(o.status(), &PortStatus::Vanished("OT".into()));
        assert_eq!(o.held_notes(), 0);
        o.retry = Duration::ZERO;
        assert!(!o.maintain(&mut sys));
        sys.plug("OT");
        assert!(o.maintain(&mut sys));
        assert!(o.is_connected());
        // Reconnection sends all-notes-off on every channel.
        let msgs = sys.messages();
        let tail: Vec<&Vec<u8>> = msgs.iter().rev().take(16).collect();
        assert!(tail.iter().all(|m| m[0] & 0xF0 == 0xB0 && m[1] == 123));
        o.send(&ShortMsg::note_on(3, 72, 100));
        drop(o);
        assert_eq!(sys.messages().last(), Some(&vec![0x83, 72, 0]));
    }

    #[test]
    fn unavailable_and_missing_ports() {
        let mut none = crate::midi::ports::UnavailableSystem {
            reason: "no /dev/snd/seq".into(),
        };
        let mut o = Output::open(&mut none, None);
        assert!(matches!(o.status(), PortStatus::Unavailable(_)));
        assert!(!o.send(&ShortMsg::note_on(0, 1, 1)));
        o.panic();
        assert!(o.status().to_string().contains("MIDI unavailable"));
        let mut empty = SimSystem::default();
        let o = Output::open(&mut empty, None);
        assert_eq!(o.status(), &PortStatus::NoPort);
        let o = Output::open(&mut empty, Some("Octatrack".into()));
        assert_eq!(o.status(), &PortStatus::NotFound("Octatrack".into()));
    }
}
