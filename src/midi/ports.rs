//! Real ports through midir (kept thin), and the stand-in used when there is no MIDI system.

use super::transport::{MidiError, MidiIn, MidiOut, MidiSystem, TimedMessage};
use midir::{MidiInput, MidiInputConnection, MidiOutput, MidiOutputConnection};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const CLIENT: &str = "octa";

/// The system's MIDI ports through midir.
pub struct MidirSystem {
    _probe: (),
}

impl MidirSystem {
    /// Connects to the system's MIDI service; `Unavailable` when there is none
    /// (e.g. no /dev/snd/seq).
    pub fn new() -> Result<Self, MidiError> {
        MidiOutput::new(CLIENT).map_err(|e| MidiError::Unavailable(e.to_string()))?;
        Ok(Self { _probe: () })
    }
}

fn out_client() -> Result<MidiOutput, MidiError> {
    MidiOutput::new(CLIENT).map_err(|e| MidiError::Unavailable(e.to_string()))
}

fn in_client() -> Result<MidiInput, MidiError> {
    MidiInput::new(CLIENT).map_err(|e| MidiError::Unavailable(e.to_string()))
}

impl MidiSystem for MidirSystem {
    fn outputs(&self) -> Result<Vec<String>, MidiError> {
        let c = out_client()?;
        Ok(c.ports()
            .iter()
            .filter_map(|p| c.port_name(p).ok())
            .collect())
    }
    fn inputs(&self) -> Result<Vec<String>, MidiError> {
        let c = in_client()?;
        Ok(c.ports()
            .iter()
            .filter_map(|p| c.port_name(p).ok())
            .collect())
    }
    fn open_out(&mut self, name: &str) -> Result<Box<dyn MidiOut>, MidiError> {
        let c = out_client()?;
        let port = c
            .ports()
            .into_iter()
            .find(|p| c.port_name(p).ok().as_deref() == Some(name))
            .ok_or_else(|| MidiError::NoSuchPort(name.to_string()))?;
        let conn = c
            .connect(&port, "octa-out")
            .map_err(|e| MidiError::Disconnected(format!("{name}: {e}")))?;
        Ok(Box::new(MidirOut {
            name: name.to_string(),
            conn,
        }))
    }
    fn open_in(&mut self, name: &str) -> Result<Box<dyn MidiIn>, MidiError> {
        let mut c = in_client()?;
        c.ignore(midir::Ignore::None);
        let port = c
            .ports()
            .into_iter()
            .find(|p| c.port_name(p).ok().as_deref() == Some(name))
            .ok_or_else(|| MidiError::NoSuchPort(name.to_string()))?;
        let (tx, rx) = channel();
        let conn = c
            .connect(
                &port,
                "octa-in",
                move |_, bytes, _| {
                    let _ = tx.send(TimedMessage {
                        at: Instant::now(),
                        bytes: bytes.to_vec(),
                    });
                },
                (),
            )
            .map_err(|e| MidiError::Disconnected(format!("{name}: {e}")))?;
        Ok(Box::new(MidirIn {
            name: name.to_string(),
            _conn: conn,
            rx,
        }))
    }
}

struct MidirOut {
    name: String,
    conn: MidiOutputConnection,
}

impl MidiOut for MidirOut {
    fn name(&self) -> &str {
        &self.name
    }
    fn send(&mut self, bytes: &[u8]) -> Result<(), MidiError> {
        self.conn
            .send(bytes)
            .map_err(|e| MidiError::Disconnected(format!("{}: {e}", self.name)))
    }
}

struct MidirIn {
    name: String,
    _conn: MidiInputConnection<()>,
    rx: Receiver<TimedMessage>,
}

impl MidiIn for MidirIn {
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

/// The stand-in when no MIDI system exists: lists nothing, opens nothing, says why.
pub struct UnavailableSystem {
    /// Why MIDI is unavailable.
    pub reason: String,
}

impl MidiSystem for UnavailableSystem {
    fn outputs(&self) -> Result<Vec<String>, MidiError> {
        Err(MidiError::Unavailable(self.reason.clone()))
    }
    fn inputs(&self) -> Result<Vec<String>, MidiError> {
        Err(MidiError::Unavailable(self.reason.clone()))
    }
    fn open_out(&mut self, _: &str) -> Result<Box<dyn MidiOut>, MidiError> {
        Err(MidiError::Unavailable(self.reason.clone()))
    }
    fn open_in(&mut self, _: &str) -> Result<Box<dyn MidiIn>, MidiError> {
        Err(MidiError::Unavailable(self.reason.clone()))
    }
}

/// The machine's MIDI system, or an [`UnavailableSystem`] saying why there is none.
pub fn open_system() -> Box<dyn MidiSystem> {
    match MidirSystem::new() {
        Ok(s) => Box::new(s),
        Err(e) => Box::new(UnavailableSystem {
            reason: match e {
                MidiError::Unavailable(r) => r,
                other => other.to_string(),
            },
        }),
    }
}
