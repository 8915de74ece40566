#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The engine against a simulated Octatrack: audition of real corpus patterns, playback,
//! mute, panic, vanishing ports, no MIDI system, recording.

use octa::format::bank::Bank;
use octa::format::project_file::ProjectFile;
use octa::midi::TrackKind;
use octa::midi::engine::{Audition, EngineEvent, EngineOptions, MidiEngine};
use octa::midi::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::midi::output::PortStatus;
use octa::midi::ports::UnavailableSystem;
use octa::midi::record::{RecordSettings, RecordedNote};
use octa::midi::scheduler::{PlayItem, RowOptions};
use octa::midi::sim::{Received, SimSystem};
use std::sync::Arc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

fn corpus_project(dir: &str) -> Option<(Bank, DeviceSetup)> {
    let root = octa::testutil::corpus(dir)?;
    let (bank, _) = Bank::from_bytes(&std::fs::read(root.join("bank01.work")).unwrap()).unwrap();
    let pf = ProjectFile::parse(&std::fs::read(root.join("project.work")).unwrap()).unwrap();
    Some((bank, DeviceSetup::from_project(&pf)))
}

fn engine(sys: &SimSystem, setup: DeviceSetup) -> MidiEngine {
    MidiEngine::start(
        Box::new(sys.clone()),
        EngineOptions {
            output: Some("Octatrack".into()),
            setup,
            ..EngineOptions::default()
        },
    )
}

/// Waits until the device received `n` messages (or gives up after WAIT).
fn wait_for(sys: &SimSystem, n: usize) -> Vec<Received> {
    let t = Instant::now();
    while sys.log().len() < n && t.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(5));
    }
    sys.log()
}

fn wait_event(e: &MidiEngine, f: impl Fn(&EngineEvent) -> bool) -> Option<EngineEvent> {
    let t = Instant::now();
    while t.elapsed() < WAIT {
        if let Some(ev) = e.wait_event(Duration::from_millis(50))
            && f(&ev)
        {
            return Some(ev);
        }
    }
    None
}

#[test]
fn audition_hello_flex_step_with_project_trig_channels() {
    let Some((bank, setup)) = corpus_project("ot/hello-flex/project") else {
        return;
    };
    let sys = SimSystem::with_device("Octatrack MKII");
    let e = engine(&sys, setup);
    let p = Arc::new(SeqPattern::from_bank(&bank, 0, 0).unwrap());
    let part = bank.part_of_pattern(0).unwrap();
    // T3 step 1 locks AMP VOL to 88; MIDI_TRIG_CH3 = 2 (channel 3).
    assert_eq!(bank.pattern(0).unwrap().audio[2].plock(0, 15), Some(88));
    let part_vol = part.track_values[2].amp[3];
    e.audition(Arc::clone(&p), Audition::Step { track: 2, step: 0 });
    let log = wait_for(&sys, 4);
    let bytes: Vec<Vec<u8>> = log.iter().map(|r| r.bytes.clone()).collect();
    assert_eq!(
        bytes,
        vec![
            vec![0xB2, 25, 88],
            vec![0x92, 84, 100],
            vec![0x82, 84, 0],
            vec![0xB2, 25, part_vol],
        ]
    );
    // The note off follows after one step at the project tempo (124 BPM).
    let step = 60.0 / (setup.tempo * 4.0);
    assert_eq!(setup.tempo, 124.0);
    let held = log[2].at.duration_since(log[1].at).as_secs_f64();
    assert!(held >= step - 0.001, "{held} < {step}");
    assert!(log.iter().all(|r| r.port == "Octatrack MKII"));
}

#[test]
fn audition_row_plays_every_track_on_its_channel() {
    let Some((bank, setup)) = corpus_project("ot/hello-flex/project") else {
        return;
    };
    let sys = SimSystem::with_device("Octatrack");
    let e = engine(&sys, setup);
    let p = Arc::new(SeqPattern::from_bank(&bank, 0, 0).unwrap());
    let with_trig: Vec<usize> = (0..16).filter(|&t| p.tracks[t].steps[0].trig).collect();
    assert_eq!(with_trig, vec![0, 1, 2, 7]);
    e.audition(Arc::clone(&p), Audition::Row { step: 0 });
    drop(e);
    let msgs = sys.messages();
    let mut ons: Vec<u8> = msgs
        .iter()
        .filter(|m| m[0] & 0xF0 == 0x90)
        .map(|m| m[0] & 0x0F)
        .collect();
    ons.sort();
    assert_eq!(ons, vec![0, 1, 2, 7]);
    // Dropping the engine right away still ended every note.
    let offs = msgs.iter().filter(|m| m[0] & 0xF0 == 0x80).count();
    assert_eq!(offs, 4);
}

#[test]
fn multipart_audio_tracks_without_channels_and_midi_tracks_on_part_channels() {
    let Some((bank, setup)) = corpus_project("ot/multipart") else {
        return;
    };
    assert_eq!(setup.trig_channels, [None; 8]);
    let sys = SimSystem::with_device("Octatrack");
    let e = engine(&sys, setup);
    let mut p = SeqPattern::from_bank(&bank, 0, 0).unwrap();
    assert!(p.tracks[1].steps[0].trig);
    e.audition(Arc::new(p.clone()), Audition::Step { track: 1, step: 0 });
    assert!(matches!(
        wait_event(&e, |ev| matches!(ev, EngineEvent::Notice(_))),
        Some(EngineEvent::Notice(n)) if n.contains("trig channel")
    ));
    // A trig entered on M1 plays on the part's channel with the part's note page.
    let part = bank.part_of_pattern(0).unwrap();
    let ch = part.midi_setups[0].channel();
    assert_eq!(ch, 7);
    let note = part.midi_values[0].note[0];
    let vel = part.midi_values[0].note[1];
    p.tracks[8].steps[3] = SeqStep::trig();
    e.audition(Arc::new(p), Audition::Step { track: 8, step: 3 });
    let log = wait_for(&sys, 2);
    let bytes: Vec<Vec<u8>> = log.iter().map(|r| r.bytes.clone()).collect();
    assert_eq!(
        bytes,
        vec![vec![0x90 | ch, note, vel], vec![0x80 | ch, note, 0]]
    );
}

#[test]
fn audition_note_transposes_audio_and_plays_midi_notes() {
    let sys = SimSystem::with_device("Octatrack");
    let e = engine(&sys, DeviceSetup::default());
    let p = Arc::new(SeqPattern::empty("A01"));
    e.audition(
        Arc::clone(&p),
        Audition::Note {
            track: 3,
            note: 79,
            velocity: 64,
        },
    );
    e.audition(
        Arc::clone(&p),
        Audition::Note {
            track: 9,
            note: 30,
            velocity: 64,
        },
    );
    let msgs: Vec<Vec<u8>> = wait_for(&sys, 4).into_iter().map(|r| r.bytes).collect();
    assert!(msgs.contains(&vec![0x93, 79, 100]));
    assert!(msgs.contains(&vec![0x83, 79, 0]));
    // M2's default part channel is 10 (index 9).
    assert!(msgs.contains(&vec![0x99, 30, 64]));
    assert!(msgs.contains(&vec![0x89, 30, 0]));
}

#[test]
fn panic_sends_all_notes_off_everywhere() {
    let sys = SimSystem::with_device("Octatrack");
    let e = engine(&sys, DeviceSetup::default());
    let mut p = SeqPattern::empty("A01");
    let mut st = SeqStep::trig();
    st.locks[2] = 126; // a long MIDI note
    p.tracks[8].steps[0] = st;
    e.audition(Arc::new(p), Audition::Step { track: 8, step: 0 });
    wait_for(&sys, 1);
    e.panic();
    let msgs: Vec<Vec<u8>> = wait_for(&sys, 18).into_iter().map(|r| r.bytes).collect();
    assert_eq!(msgs[0], vec![0x98, 48, 100]);
    assert_eq!(msgs[1], vec![0x88, 48, 0]);
    for ch in 0..16u8 {
        assert_eq!(msgs[2 + ch as usize], vec![0xB0 | ch, 123, 0]);
    }
    drop(e);
    // The note off was sent once only.
    assert_eq!(sys.messages().iter().filter(|m| m[0] == 0x88).count(), 1);
}

fn busy_pattern() -> SeqPattern {
    let mut p = SeqPattern::empty("A01");
    for t in 0..4 {
        for s in 0..16 {
            p.tracks[t].steps[s] = SeqStep::trig();
        }
    }
    p
}

#[test]
fn playback_honours_mute_and_solo_and_reports_position() {
    let sys = SimSystem::with_device("Octatrack");
    let e = engine(
        &sys,
        DeviceSetup {
            tempo: 300.0,
            ..DeviceSetup::default()
        },
    );
    e.set_mute(1, true);
    e.set_solo(3, false);
    e.play(vec![PlayItem {
        pattern: Arc::new(busy_pattern()),
        passes: Some(1),
        tempo: None,
        row: RowOptions::default(),
    }]);
    assert!(wait_event(&e, |ev| matches!(ev, EngineEvent::Started { .. })).is_some());
    let mut saw_position = false;
    let t = Instant::now();
    while t.elapsed() < WAIT {
        if let Some(p) = e.position() {
            saw_position |= p.steps[0] > 0;
        }
        if !e.status().playing && saw_position {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(saw_position);
    assert!(wait_event(&e, |ev| matches!(ev, EngineEvent::Stopped)).is_some());
    let msgs = sys.messages();
    let ons = |ch: u8| msgs.iter().filter(|m| m[0] == 0x90 | ch).count();
    assert_eq!((ons(0), ons(1), ons(2), ons(3)), (16, 0, 16, 16));
    let offs = msgs.iter().filter(|m| m[0] & 0xF0 == 0x80).count();
    assert_eq!(offs, 48);
    // Solo: only track 3 plays.
    sys.clear();
    e.set_solo(2, true);
    e.play(vec![PlayItem {
        pattern: Arc::new(busy_pattern()),
        passes: Some(1),
        tempo: None,
        row: RowOptions::default(),
    }]);
    assert!(wait_event(&e, |ev| matches!(ev, EngineEvent::Stopped)).is_some());
    let msgs = sys.messages();
    assert_eq!(msgs.iter().filter(|m| m[0] & 0xF0 == 0x90).count(), 16);
    assert!(
        msgs.iter()
            .filter(|m| m[0] & 0xF0 == 0x90)
            .all(|m| m[0] == 0x92)
    );
}

#[test]
fn stop_releases_notes_and_restores_locks() {
    let sys = SimSystem::with_device("Octatrack");
    let e = engine(
        &sys,
        DeviceSetup {
            tempo: 30.0,
            ..DeviceSetup::default()
        },
    );
    let mut p = SeqPattern::empty("A01");
    let mut st = SeqStep::trig();
    st.locks[18] = 5; // FX1 param 1 -> CC 34
    p.tracks[0].steps[0] = st;
    e.play(vec![PlayItem {
        pattern: Arc::new(p),
        passes: None,
        tempo: None,
        row: RowOptions::default(),
    }]);
    wait_for(&sys, 2);
    e.stop();
    assert!(wait_event(&e, |ev| matches!(ev, EngineEvent::Stopped)).is_some());
    let msgs = sys.messages();
    assert_eq!(
        msgs,
        vec![
            vec![0xB0, 34, 5],
            vec![0x90, 84, 100],
            vec![0x80, 84, 0],
            vec![0xB0, 34, 0],
        ]
    );
}

#[test]
fn vanishing_port_mid_playback_and_coming_back() {
    let sys = SimSystem::with_device("Octatrack");
    let e = engine(
        &sys,
        DeviceSetup {
            tempo: 300.0,
            ..DeviceSetup::default()
        },
    );
    assert_eq!(e.status().output, PortStatus::Connected("Octatrack".into()));
    e.play(vec![PlayItem {
        pattern: Arc::new(busy_pattern()),
        passes: None,
        tempo: None,
        row: RowOptions::default(),
    }]);
    wait_for(&sys, 10);
    sys.unplug("Octatrack");
    let ev = wait_event(
        &e,
        |ev| matches!(ev, EngineEvent::Status(s) if matches!(s.output, PortStatus::Vanished(_))),
    );
    assert!(ev.is_some());
    assert!(e.status().output.to_string().contains("disconnected"));
    assert!(e.status().playing);
    sys.clear();
    sys.plug("Octatrack");
    let ev = wait_event(
        &e,
        |ev| matches!(ev, EngineEvent::Status(s) if matches!(s.output, PortStatus::Connected(_))),
    );
    assert!(ev.is_some());
    // Reconnection starts with all-notes-off, then playback continues.
    wait_for(&sys, 30);
    let msgs = sys.messages();
    assert_eq!(msgs[0][1], 123);
    assert!(msgs.iter().any(|m| m[0] & 0xF0 == 0x90));
    e.stop();
    drop(e);
}

#[test]
fn no_midi_system_is_reported_not_fatal() {
    let e = MidiEngine::start(
        Box::new(UnavailableSystem {
            reason: "no /dev/snd/seq".into(),
        }),
        EngineOptions::default(),
    );
    assert!(!e.is_available());
    assert!(e.status().output.to_string().contains("MIDI unavailable"));
    let mut p = SeqPattern::empty("A01");
    p.tracks[0].steps[0] = SeqStep::trig();
    let p = Arc::new(p);
    e.audition(Arc::clone(&p), Audition::Step { track: 0, step: 0 });
    assert!(matches!(
        wait_event(&e, |ev| matches!(ev, EngineEvent::Notice(_))),
        Some(EngineEvent::Notice(n)) if n.contains("unavailable")
    ));
    e.play(vec![PlayItem {
        pattern: p,
        passes: Some(1),
        tempo: Some(300.0),
        row: RowOptions::default(),
    }]);
    e.panic();
    assert!(wait_event(&e, |ev| matches!(ev, EngineEvent::Stopped)).is_some());
    // No ports at all.
    let e = engine(&SimSystem::default(), DeviceSetup::default());
    assert_eq!(e.status().output, PortStatus::NotFound("Octatrack".into()));
}

#[test]
fn step_entry_records_and_auditions_incoming_notes() {
    let sys = SimSystem::with_device("Keys");
    let e = MidiEngine::start(
        Box::new(sys.clone()),
        EngineOptions {
            output: Some("Keys".into()),
            input: Some("Keys".into()),
            ..EngineOptions::default()
        },
    );
    assert!(matches!(e.status().input, Some(PortStatus::Connected(_))));
    e.set_recording(
        Some(RecordSettings {
            track: 0,
            kind: TrackKind::Audio,
            cursor: 4,
            edit_step: 4,
            length: 16,
            capture_micro_timing: false,
            channel: None,
        }),
        Some(Arc::new(SeqPattern::empty("A01"))),
    );
    // The command is queued before the forwarded input, so no wait is needed.
    sys.feed("Keys", &[0x90, 76, 99]);
    sys.feed("Keys", &[0x80, 76, 0]);
    sys.feed("Keys", &[0x90, 86, 99]);
    let rec: Vec<RecordedNote> = (0..2)
        .filter_map(
            |_| match wait_event(&e, |ev| matches!(ev, EngineEvent::Recorded(_))) {
                Some(EngineEvent::Recorded(n)) => Some(n),
                _ => None,
            },
        )
        .collect();
    assert_eq!(rec.len(), 2);
    assert_eq!(
        (rec[0].step, rec[0].note, rec[0].pitch_lock),
        (4, 76, Some(56))
    );
    assert_eq!((rec[1].step, rec[1].next_cursor), (8, 12));
    // Each recorded note is auditioned on track 1's channel.
    let msgs = wait_for(&sys, 4);
    assert!(msgs.iter().any(|r| r.bytes == vec![0x90, 76, 100]));
}

#[test]
fn follows_external_start_stop_and_clock_tempo() {
    let sys = SimSystem::with_device("Clock");
    let e = MidiEngine::start(
        Box::new(sys.clone()),
        EngineOptions {
            output: Some("Clock".into()),
            input: Some("Clock".into()),
            follow_clock: true,
            ..EngineOptions::default()
        },
    );
    let mut p = SeqPattern::empty("A01");
    p.tracks[0].steps[0] = SeqStep::trig();
    e.arm(vec![PlayItem {
        pattern: Arc::new(p),
        passes: None,
        tempo: None,
        row: RowOptions::default(),
    }]);
    sys.feed("Clock", &[0xFA]);
    assert!(wait_event(&e, |ev| matches!(ev, EngineEvent::Started { .. })).is_some());
    assert!(e.status().playing || e.position().is_some());
    sys.feed("Clock", &[0xFC]);
    assert!(wait_event(&e, |ev| matches!(ev, EngineEvent::Stopped)).is_some());
    assert!(e.position().is_none());
}

#[test]
fn a_track_trigger_starts_a_start_silent_free_track_over_midi() {
    // T1 plays free and starts silent (trigs on every step), T2 plays a trig on every step.
    let sys = SimSystem::with_device("Octatrack");
    let e = engine(
        &sys,
        DeviceSetup {
            tempo: 300.0,
            ..DeviceSetup::default()
        },
    );
    let mut p = SeqPattern::empty("A01");
    for s in 0..16 {
        p.tracks[0].steps[s] = SeqStep::trig();
        p.tracks[1].steps[s] = SeqStep::trig();
    }
    p.tracks[0].play = octa::seq::track_play::TrackPlay {
        start_silent: true,
        plays_free: true,
        trig_mode: 0,
        trig_quant: 255,
        oneshot_track: false,
    };
    e.play(vec![PlayItem {
        pattern: Arc::new(p),
        passes: None,
        tempo: None,
        row: RowOptions::default(),
    }]);
    assert!(wait_event(&e, |ev| matches!(ev, EngineEvent::Started { .. })).is_some());
    let ons = |ch: u8| sys.messages().iter().filter(|m| m[0] == 0x90 | ch).count();
    let t = Instant::now();
    while ons(1) < 6 && t.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(ons(1) >= 6);
    assert_eq!(ons(0), 0, "T1 is silent until triggered");
    // its playhead shows no step meanwhile
    assert_eq!(
        e.position().unwrap().steps[0],
        octa::seq::timeline::SILENT_STEP
    );
    e.cue(octa::seq::track_play::CueKind::Trigger, 0);
    let t = Instant::now();
    while ons(0) < 4 && t.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(ons(0) >= 4, "T1 plays after the trigger");
    e.stop();
}
