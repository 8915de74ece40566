//! The MIDI engine behind the tracker's small [`MidiControl`] interface.

use super::engines::{EngineStatus, MidiControl};
use crate::format::bank::Bank;
use crate::midi::{
    Audition, EngineOptions, MidiEngine, PlayItem, PortStatus, RowOptions, SeqPattern,
};
use std::sync::Arc;

/// The running MIDI engine.
pub struct MidiLink {
    engine: MidiEngine,
}

impl MidiLink {
    /// Starts the engine on the system's MIDI ports (the named output, or the first one).
    pub fn start(output: Option<String>) -> Self {
        let opts = EngineOptions {
            output,
            ..EngineOptions::default()
        };
        Self {
            engine: MidiEngine::start_default(opts),
        }
    }

    fn pattern(bank: &Bank, at: (usize, usize)) -> Option<Arc<SeqPattern>> {
        SeqPattern::from_bank(bank, at.0, at.1).map(Arc::new)
    }
}

impl MidiControl for MidiLink {
    fn audition(&mut self, bank: &Bank, at: (usize, usize), track: usize, note: u8, velocity: u8) {
        if let Some(p) = Self::pattern(bank, at) {
            self.engine.audition(
                p,
                Audition::Note {
                    track,
                    note,
                    velocity,
                },
            );
        }
    }

    fn panic(&mut self) {
        self.engine.panic();
    }

    fn toggle_play(&mut self, bank: &Bank, at: (usize, usize)) -> bool {
        if self.engine.status().playing {
            self.engine.stop();
            return false;
        }
        let Some(pattern) = Self::pattern(bank, at) else {
            return false;
        };
        self.engine.play(vec![PlayItem {
            pattern,
            passes: None,
            tempo: None,
            row: RowOptions::default(),
        }]);
        true
    }

    fn position(&self, track: usize) -> Option<usize> {
        let p = self.engine.position()?;
        p.steps.get(track).map(|s| *s as usize)
    }

    fn status(&self) -> EngineStatus {
        match self.engine.status().output {
            PortStatus::Connected(name) => EngineStatus::Ready(name),
            PortStatus::Unavailable(_) | PortStatus::NoPort => EngineStatus::NotAvailable,
            other => EngineStatus::Error(other.to_string()),
        }
    }
}
