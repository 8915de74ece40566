//! The MIDI engine behind the tracker's small [`MidiControl`] interface.

use super::engines::{EngineStatus, MidiControl, track_set};
use crate::format::bank::Bank;
use crate::format::project_file::ProjectFile;
use crate::midi::{
    Audition, DeviceSetup, EngineEvent, EngineOptions, MidiEngine, MidiSystem, PlayItem,
    PlayPosition, PortStatus, RecordSettings, RecordedNote, RowOptions, SeqPattern,
};
use std::sync::Arc;

/// The running MIDI engine.
pub struct MidiLink {
    engine: MidiEngine,
    /// The setup last given to the engine (`None`: none given yet).
    setup: Option<DeviceSetup>,
    auditions: u64,
    recorded: Vec<RecordedNote>,
    recording: bool,
    pending_notices: Vec<String>,
}

impl MidiLink {
    /// Starts the engine on the system's MIDI ports (the named output, or the first one;
    /// the named input, if any). `file:PATH` names a capture file.
    pub fn start(output: Option<String>) -> Self {
        Self::start_with(output, None)
    }

    /// Starts the engine with an output and an input choice on the machine's MIDI system.
    pub fn start_with(output: Option<String>, input: Option<String>) -> Self {
        Self::start_on(crate::midi::ports::open_system(), output, input)
    }

    /// Starts the engine on a given MIDI system (simulated ones in tests).
    pub fn start_on(
        system: Box<dyn MidiSystem>,
        output: Option<String>,
        input: Option<String>,
    ) -> Self {
        let opts = EngineOptions {
            output,
            input,
            ..EngineOptions::default()
        };
        Self {
            engine: MidiEngine::start(system, opts),
            setup: None,
            auditions: 0,
            recorded: Vec::new(),
            recording: false,
            pending_notices: Vec::new(),
        }
    }

    /// The engine (for the CLI-like uses of tests).
    pub fn engine(&self) -> &MidiEngine {
        &self.engine
    }

    fn pattern(bank: &Bank, at: (usize, usize)) -> Option<Arc<SeqPattern>> {
        SeqPattern::from_bank(bank, at.0, at.1).map(Arc::new)
    }

    fn audition_what(&mut self, bank: &Bank, at: (usize, usize), what: Audition) {
        self.auditions += 1;
        if let Some(p) = Self::pattern(bank, at) {
            self.engine.audition(p, what);
        }
    }
}

fn port_text(s: &PortStatus) -> String {
    match s {
        PortStatus::Connected(n) => n.clone(),
        PortStatus::Unavailable(_) => "unavailable".into(),
        PortStatus::NoPort => "no port".into(),
        PortStatus::NotFound(c) => format!("'{c}' not found"),
        PortStatus::Vanished(n) => format!("{n} gone, waiting"),
    }
}

impl MidiControl for MidiLink {
    fn audition(&mut self, bank: &Bank, at: (usize, usize), track: usize, note: u8, velocity: u8) {
        self.audition_what(
            bank,
            at,
            Audition::Note {
                track,
                note,
                velocity,
            },
        );
    }

    fn audition_step(&mut self, bank: &Bank, at: (usize, usize), track: usize, step: usize) {
        self.audition_what(bank, at, Audition::Step { track, step });
    }

    fn audition_row(&mut self, bank: &Bank, at: (usize, usize), step: usize) {
        self.audition_what(bank, at, Audition::Row { step });
    }

    fn auditions(&self) -> u64 {
        self.auditions
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
        self.play_items(vec![PlayItem {
            pattern,
            passes: None,
            tempo: None,
            row: RowOptions::default(),
        }])
    }

    fn play_items(&mut self, items: Vec<PlayItem>) -> bool {
        if items.is_empty() {
            return false;
        }
        self.engine.play(items);
        true
    }

    fn stop(&mut self) {
        self.engine.stop();
    }

    fn is_playing(&self) -> bool {
        self.engine.position().is_some()
    }

    fn play_tempo(&self) -> Option<f64> {
        self.engine.tempo()
    }

    fn play_position(&self) -> Option<PlayPosition> {
        self.engine.position()
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

    fn sync_project(&mut self, project: &ProjectFile) {
        let setup = DeviceSetup::from_project(project);
        if self.setup != Some(setup) {
            self.setup = Some(setup);
            self.engine.set_setup(setup);
        }
    }

    fn set_mute(&mut self, track: usize, on: bool) {
        self.engine.set_mute(track, on);
    }

    fn set_solo(&mut self, track: usize, on: bool) {
        self.engine.set_solo(track, on);
    }

    fn mutes(&self) -> (u32, u32) {
        (self.engine.mutes(), self.engine.solos())
    }

    fn set_ports(&mut self, output: Option<String>, input: Option<String>) {
        self.engine.set_output(output);
        self.engine.set_input(input);
    }

    fn port_names(&self) -> (Vec<String>, Vec<String>) {
        let sys = crate::midi::ports::open_system();
        (
            sys.outputs().unwrap_or_default(),
            sys.inputs().unwrap_or_default(),
        )
    }

    fn label(&self) -> String {
        let st = self.engine.status();
        let mut s = match &st.output {
            PortStatus::Unavailable(_) => "unavailable".to_string(),
            other => format!("out {}", port_text(other)),
        };
        if let Some(i) = &st.input {
            s.push_str(&format!(", in {}", port_text(i)));
        }
        let (mute, solo) = self.mutes();
        if mute != 0 {
            s.push_str(&format!(" | mute {}", track_set(mute)));
        }
        if solo != 0 {
            s.push_str(&format!(" | solo {}", track_set(solo)));
        }
        if self.recording {
            s.push_str(" | REC");
        }
        s
    }

    fn set_recording(
        &mut self,
        settings: Option<RecordSettings>,
        pattern: Option<Arc<SeqPattern>>,
    ) {
        self.recording = settings.is_some();
        self.engine.set_recording(settings, pattern);
    }

    fn recorded(&mut self) -> Vec<RecordedNote> {
        // Engine events are drained by `notices` (called first each loop pass); recorded
        // notes wait here.
        let n = self.notices_buffered();
        self.pending_notices.extend(n);
        std::mem::take(&mut self.recorded)
    }

    fn notices(&mut self) -> Vec<String> {
        let mut v = std::mem::take(&mut self.pending_notices);
        v.extend(self.notices_buffered());
        v
    }
}

impl MidiLink {
    /// Drains the engine's events: notices returned, recorded notes kept for `recorded`.
    fn notices_buffered(&mut self) -> Vec<String> {
        let mut v = Vec::new();
        while let Some(e) = self.engine.poll_event() {
            match e {
                EngineEvent::Notice(m) => v.push(m),
                EngineEvent::Recorded(n) => self.recorded.push(n),
                EngineEvent::Status(s) => {
                    if let PortStatus::Vanished(_) = s.output {
                        v.push(s.output.to_string());
                    }
                }
                _ => {}
            }
        }
        v
    }
}
