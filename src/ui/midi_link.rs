//! The MIDI engine behind the tracker's small [`MidiControl`] interface.

use super::engines::{EngineStatus, MidiControl, PatchLinks, track_set};
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
    recording: Option<RecordSettings>,
    pending_notices: Vec<String>,
    /// The pattern name of each play item of the running playback (`A01`).
    played: Vec<String>,
    /// The version of each played pattern last given to the engine, by name.
    given: std::collections::HashMap<String, Arc<SeqPattern>>,
    input_lost: Option<String>,
    links: PatchLinks,
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
            recording: None,
            pending_notices: Vec::new(),
            played: Vec::new(),
            given: std::collections::HashMap::new(),
            input_lost: None,
            links: PatchLinks::default(),
        }
    }

    /// The engine (for the CLI-like uses of tests).
    pub fn engine(&self) -> &MidiEngine {
        &self.engine
    }

    fn pattern(bank: &Bank, at: (usize, usize)) -> Option<Arc<SeqPattern>> {
        SeqPattern::from_bank(bank, at.0, at.1).map(Arc::new)
    }

    /// Remembers what a playback plays (for the playhead and following edits).
    fn remember_items(&mut self, items: &[PlayItem]) {
        self.played = items.iter().map(|i| i.pattern.name.clone()).collect();
        self.given = items
            .iter()
            .map(|i| (i.pattern.name.clone(), Arc::clone(&i.pattern)))
            .collect();
    }

    fn audition_what(&mut self, bank: &Bank, at: (usize, usize), what: Audition) {
        self.auditions += 1;
        if let Some(p) = Self::pattern(bank, at) {
            self.send_links(&p, at.0, what);
            self.engine.audition(p, what);
        }
    }

    /// Before an audition: the patches linked to the MIDI tracks it plays go to their
    /// synths (when sending is on and the synth does not hold that patch already).
    fn send_links(&mut self, p: &SeqPattern, bank: usize, what: Audition) {
        if !self.links.send || self.links.links.is_empty() {
            return;
        }
        let plays = |t: usize, s: usize| {
            p.tracks
                .get(t)
                .and_then(|tr| tr.steps.get(s))
                .is_some_and(|st| st.trig)
        };
        let tracks: Vec<usize> = match what {
            Audition::Note { track, .. } => vec![track],
            Audition::Step { track, step } => vec![track]
                .into_iter()
                .filter(|&t| plays(t, step))
                .collect(),
            Audition::Row { step } => (8..16).filter(|&t| plays(t, step)).collect(),
        };
        let part = usize::from(p.part.id);
        for t in tracks.into_iter().filter(|t| (8..16).contains(t)) {
            let Some(link) = self.links.links.get(&(bank, part, t - 8)) else {
                continue;
            };
            if self.links.sent.get(&link.device) == Some(&link.name) {
                continue;
            }
            self.links
                .sent
                .insert(link.device.clone(), link.name.clone());
            self.engine
                .send_sysex(link.port.clone(), link.messages.clone());
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
        self.remember_items(&items);
        self.engine.play(items);
        true
    }

    fn play_count_in(&mut self, items: Vec<PlayItem>, count_in: crate::midi::CountIn) -> bool {
        if items.is_empty() {
            return false;
        }
        self.remember_items(&items);
        self.engine.play_after_count_in(items, count_in);
        true
    }

    fn count_in(&self) -> Option<(u32, u32)> {
        self.engine.count_in()
    }

    fn follow_edits(&mut self, bank: &Bank, at: (usize, usize)) {
        let name = pattern_name(at);
        if !self.played.contains(&name) || self.engine.position().is_none() {
            return;
        }
        let Some(p) = SeqPattern::from_bank(bank, at.0, at.1) else {
            return;
        };
        if self.given.get(&name).is_some_and(|g| **g == p) {
            return;
        }
        let p = Arc::new(p);
        self.given.insert(name, Arc::clone(&p));
        self.engine.update_pattern(p);
    }

    fn playhead(&self, at: (usize, usize)) -> Option<[u16; 16]> {
        let p = self.engine.position()?;
        (self.played.get(p.item) == Some(&pattern_name(at))).then_some(p.steps)
    }

    fn send_sysex(&mut self, port: Option<String>, messages: Vec<Vec<u8>>) {
        self.engine.send_sysex(port, messages);
    }

    fn cue(&mut self, kind: crate::seq::track_play::CueKind, track: usize) {
        self.engine.cue(kind, track);
    }

    fn set_patch_links(&mut self, links: &PatchLinks) {
        let sent = std::mem::take(&mut self.links.sent);
        self.links = links.clone();
        // A synth keeps the patch last sent to it whatever the links say now.
        self.links.sent = sent;
    }

    fn input_lost(&mut self) -> Option<String> {
        let n = self.notices_buffered();
        self.pending_notices.extend(n);
        self.input_lost.take()
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
        if let Some((left, _)) = self.engine.count_in() {
            s.push_str(&format!(" | COUNT-IN {left}"));
        }
        if let Some(r) = &self.recording {
            let state = if self.engine.count_in().is_some() {
                "armed"
            } else if self.engine.position().is_some() {
                "live"
            } else {
                "step"
            };
            s.push_str(&format!(" | REC {} {state}", track_set(1 << r.track)));
        }
        if let Some(p) = self.engine.position()
            && self.played.len() > 1
        {
            let item = p.item;
            s.push_str(&format!(
                " | {} {}/{}",
                self.played.get(item).map_or("", |n| n.as_str()),
                item + 1,
                self.played.len()
            ));
        }
        s
    }

    fn set_recording(
        &mut self,
        settings: Option<RecordSettings>,
        pattern: Option<Arc<SeqPattern>>,
    ) {
        self.recording = settings;
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
                EngineEvent::InputLost(name) => self.input_lost = Some(name),
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

/// The device's name of a pattern (`A01`), as [`SeqPattern::from_bank`] gives it.
fn pattern_name(at: (usize, usize)) -> String {
    format!("{}{:02}", crate::format::bank_letter(at.0), at.1 + 1)
}
