//! A simulated MIDI system and device for tests: ports can appear and vanish, every
//! message sent is recorded with its arrival time, and inputs can be fed from the test.

use super::transport::{MidiError, MidiIn, MidiOut, MidiSystem, TimedMessage};
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One message a simulated device received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// When it arrived.
    pub at: Instant,
    /// The output port it was sent on.
    pub port: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

#[derive(Default)]
struct SimState {
    outputs: Vec<String>,
    inputs: Vec<String>,
    log: Vec<Received>,
    feeds: HashMap<String, Vec<Sender<TimedMessage>>>,
}

/// A simulated MIDI system; clones share the same devices and log.
#[derive(Clone, Default)]
pub struct SimSystem {
    state: Arc<Mutex<SimState>>,
}

impl SimSystem {
    /// A system with one device offering an output and an input port of this name.
    pub fn with_device(name: &str) -> Self {
        let s = Self::default();
        s.plug(name);
        s
    }

    fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Plugs a device in (its output and input port appear).
    pub fn plug(&self, name: &str) {
        let mut s = self.lock();
        if !s.outputs.iter().any(|n| n == name) {
            s.outputs.push(name.to_string());
            s.inputs.push(name.to_string());
        }
    }

    /// Unplugs a device: its ports vanish, open connections fail from now on.
    pub fn unplug(&self, name: &str) {
        let mut s = self.lock();
        s.outputs.retain(|n| n != name);
        s.inputs.retain(|n| n != name);
        s.feeds.remove(name);
    }

    /// Everything received so far.
    pub fn log(&self) -> Vec<Received> {
        self.lock().log.clone()
    }

    /// Just the bytes received so far.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        self.lock().log.iter().map(|r| r.bytes.clone()).collect()
    }

    /// Clears the log.
    pub fn clear(&self) {
        self.lock().log.clear();
    }

    /// Makes the device send a message to octa (arrives on every open input of that port).
    pub fn feed(&self, port: &str, bytes: &[u8]) {
        let s = self.lock();
        if let Some(list) = s.feeds.get(port) {
            for tx in list {
                let _ = tx.send(TimedMessage {
                    at: Instant::now(),
                    bytes: bytes.to_vec(),
                });
            }
        }
    }
}

struct SimOut {
    name: String,
    system: SimSystem,
}

impl MidiOut for SimOut {
    fn name(&self) -> &str {
        &self.name
    }
    fn send(&mut self, bytes: &[u8]) -> Result<(), MidiError> {
        let mut s = self.system.lock();
        if !s.outputs.iter().any(|n| n == &self.name) {
            return Err(MidiError::Disconnected(self.name.clone()));
        }
        s.log.push(Received {
            at: Instant::now(),
            port: self.name.clone(),
            bytes: bytes.to_vec(),
        });
        Ok(())
    }
}

struct SimIn {
    name: String,
    rx: Receiver<TimedMessage>,
}

impl MidiIn for SimIn {
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

impl MidiSystem for SimSystem {
    fn outputs(&self) -> Result<Vec<String>, MidiError> {
        Ok(self.lock().outputs.clone())
    }
    fn inputs(&self) -> Result<Vec<String>, MidiError> {
        Ok(self.lock().inputs.clone())
    }
    fn open_out(&mut self, name: &str) -> Result<Box<dyn MidiOut>, MidiError> {
        if !self.lock().outputs.iter().any(|n| n == name) {
            return Err(MidiError::NoSuchPort(name.to_string()));
        }
        Ok(Box::new(SimOut {
            name: name.to_string(),
            system: self.clone(),
        }))
    }
    fn open_in(&mut self, name: &str) -> Result<Box<dyn MidiIn>, MidiError> {
        let mut s = self.lock();
        if !s.inputs.iter().any(|n| n == name) {
            return Err(MidiError::NoSuchPort(name.to_string()));
        }
        let (tx, rx) = channel();
        s.feeds.entry(name.to_string()).or_default().push(tx);
        Ok(Box::new(SimIn {
            name: name.to_string(),
            rx,
        }))
    }
}
