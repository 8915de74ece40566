//! The small transport trait every MIDI feature talks through.
//!
//! Real ports (midir) and simulated devices both implement it, so all message
//! logic (building, scheduling, parsing, sysex flows) is tested without hardware.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};
use thiserror::Error;

/// Errors from a MIDI transport.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MidiError {
    /// No MIDI system on this machine (e.g. no /dev/snd/seq).
    #[error("MIDI is unavailable: {0}")]
    Unavailable(String),
    /// No port matches the requested name or index.
    #[error("no MIDI port named or numbered '{0}'")]
    NoSuchPort(String),
    /// The port went away (unplugged, closed).
    #[error("MIDI port '{0}' vanished")]
    Disconnected(String),
    /// An input has no more messages (a `file:` input played to its end).
    #[error("MIDI input '{0}' ended")]
    Ended(String),
    /// Sending failed for another reason.
    #[error("MIDI send on '{port}' failed: {reason}")]
    Send {
        /// Port name.
        port: String,
        /// What went wrong.
        reason: String,
    },
}

/// An incoming message with the time it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedMessage {
    /// Arrival time.
    pub at: Instant,
    /// The raw bytes of one complete MIDI message (a whole F0..F7 for sysex).
    pub bytes: Vec<u8>,
}

/// An output port.
pub trait MidiOut: Send {
    /// The port's name.
    fn name(&self) -> &str;
    /// Sends one complete message.
    fn send(&mut self, bytes: &[u8]) -> Result<(), MidiError>;
}

/// An input port: messages are delivered in arrival order.
pub trait MidiIn: Send {
    /// The port's name.
    fn name(&self) -> &str;
    /// Waits up to `timeout` for the next message; `Ok(None)` on timeout.
    fn recv_timeout(&mut self, timeout: Duration) -> Result<Option<TimedMessage>, MidiError>;
}

/// A MIDI system: enumerates and opens ports.
pub trait MidiSystem: Send {
    /// Output port names, in index order.
    fn outputs(&self) -> Result<Vec<String>, MidiError>;
    /// Input port names, in index order.
    fn inputs(&self) -> Result<Vec<String>, MidiError>;
    /// Opens an output by exact name.
    fn open_out(&mut self, name: &str) -> Result<Box<dyn MidiOut>, MidiError>;
    /// Opens an input by exact name.
    fn open_in(&mut self, name: &str) -> Result<Box<dyn MidiIn>, MidiError>;
}

/// Resolves a user's port choice (exact name, unique substring, or 0-based index).
pub fn resolve_port(names: &[String], choice: &str) -> Result<String, MidiError> {
    if let Some(n) = names.iter().find(|n| n.as_str() == choice) {
        return Ok(n.clone());
    }
    if let Ok(i) = choice.trim().parse::<usize>()
        && let Some(n) = names.get(i)
    {
        return Ok(n.clone());
    }
    let lower = choice.to_lowercase();
    let hits: Vec<&String> = names
        .iter()
        .filter(|n| n.to_lowercase().contains(&lower))
        .collect();
    match hits.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(MidiError::NoSuchPort(choice.to_string())),
    }
}

/// An in-memory output that forwards every message to a channel (for simulated devices).
pub struct ChannelOut {
    name: String,
    tx: Sender<TimedMessage>,
}

/// An in-memory input fed by a channel (for simulated devices).
pub struct ChannelIn {
    name: String,
    rx: Receiver<TimedMessage>,
}

/// Makes a connected in-memory (output, input) pair: what is sent on one arrives on the other.
pub fn channel_pair(name: &str) -> (ChannelOut, ChannelIn) {
    let (tx, rx) = channel();
    (
        ChannelOut {
            name: name.to_string(),
            tx,
        },
        ChannelIn {
            name: name.to_string(),
            rx,
        },
    )
}

impl MidiOut for ChannelOut {
    fn name(&self) -> &str {
        &self.name
    }
    fn send(&mut self, bytes: &[u8]) -> Result<(), MidiError> {
        self.tx
            .send(TimedMessage {
                at: Instant::now(),
                bytes: bytes.to_vec(),
            })
            .map_err(|_| MidiError::Disconnected(self.name.clone()))
    }
}

impl MidiIn for ChannelIn {
    fn name(&self) -> &str {
        &self.name
    }
    fn recv_timeout(&mut self, timeout: Duration) -> Result<Option<TimedMessage>, MidiError> {
        match self.rx.recv_timeout(timeout) {
            Ok(m) => Ok(Some(m)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(MidiError::Disconnected(self.name.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_ports() {
        let names = vec!["Octatrack MIDI 1".to_string(), "Digitone".to_string()];
        assert_eq!(resolve_port(&names, "1").unwrap_or_default(), "Digitone");
        assert_eq!(
            resolve_port(&names, "octa").unwrap_or_default(),
            "Octatrack MIDI 1"
        );
        assert!(resolve_port(&names, "Nope").is_err());
    }

    #[test]
    fn channel_pair_delivers_and_reports_disconnect() {
        let (mut out, mut inp) = channel_pair("sim");
        assert!(out.send(&[0x90, 60, 100]).is_ok());
        let m = inp.recv_timeout(Duration::from_millis(100));
        assert_eq!(m.ok().flatten().map(|m| m.bytes), Some(vec![0x90, 60, 100]));
        drop(out);
        assert!(inp.recv_timeout(Duration::from_millis(10)).is_err());
    }
}
