#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The engine follows the project while it plays: a trig channel changed mid-pattern moves
//! the track's next notes to the new channel (the sounding note ends on the old one), a tempo
//! change of the project changes the step length, a mute silences the track at once; thru
//! messages are tracked like notes (quitting releases them); the output port can be switched.

use octa::midi::engine::{EngineOptions, MidiEngine};
use octa::midi::message::ShortMsg;
use octa::midi::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::midi::scheduler::{PlayItem, RowOptions};
use octa::midi::sim::SimSystem;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// T2 trigs on every step of a 16-step pattern.
fn t2_every_step() -> Arc<SeqPattern> {
    let mut p = SeqPattern::empty("A01");
    for s in 0..16 {
        p.tracks[1].steps[s] = SeqStep::trig();
    }
    Arc::new(p)
}

fn wait_until(sys: &SimSystem, f: impl Fn(&[Vec<u8>]) -> bool) -> Vec<Vec<u8>> {
    let t = Instant::now();
    loop {
        let m = sys.messages();
        if f(&m) || t.elapsed() > Duration::from_secs(10) {
            return m;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn count(m: &[Vec<u8>], status: u8) -> usize {
    m.iter().filter(|b| b[0] == status).count()
}

#[test]
fn channel_tempo_and_mute_changes_apply_while_playing() {
    let sys = SimSystem::with_device("OT");
    let setup = DeviceSetup {
        tempo: 300.0,
        ..DeviceSetup::default()
    };
    let e = MidiEngine::start(
        Box::new(sys.clone()),
        EngineOptions {
            output: Some("OT".into()),
            setup,
            ..EngineOptions::default()
        },
    );
    e.play(vec![PlayItem {
        pattern: t2_every_step(),
        passes: None,
        tempo: None,
        row: RowOptions::default(),
    }]);
    // T2 plays on its trig channel 2 (0x91) until the project moves it to channel 6.
    wait_until(&sys, |m| count(m, 0x91) >= 2);
    let mut moved = setup;
    moved.trig_channels[1] = Some(5);
    e.set_setup(moved);
    let m = wait_until(&sys, |m| count(m, 0x95) >= 3);
    let first_new = m.iter().position(|b| b[0] == 0x95).unwrap();
    assert!(
        !m[first_new..].iter().any(|b| b[0] == 0x91),
        "no note on the old channel after the change: {m:?}"
    );
    // The note sounding at the change ended on the channel it started on.
    assert_eq!(count(&m, 0x91), count(&m, 0x81), "{m:?}");
    // Tempo: the project's tempo changes to 150 BPM; playback follows (an item with its own
    // tempo, as an arrangement row has, would not).
    assert_eq!(e.tempo(), Some(300.0));
    e.set_setup(DeviceSetup {
        tempo: 150.0,
        ..moved
    });
    let t = Instant::now();
    while e.tempo() != Some(150.0) && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(e.tempo(), Some(150.0));
    // Mute T2: once the engine has the mute, no note on for it follows.
    e.set_mute(1, true);
    std::thread::sleep(Duration::from_millis(20));
    let at_mute = count(&sys.messages(), 0x95);
    std::thread::sleep(Duration::from_millis(400));
    let m = sys.messages();
    assert_eq!(count(&m, 0x95), at_mute, "muted T2 sent notes");
    e.stop();
    let m = wait_until(&sys, |m| count(m, 0x95) == count(m, 0x85));
    assert_eq!(count(&m, 0x95), count(&m, 0x85));
    let t = Instant::now();
    while e.tempo().is_some() && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(e.tempo(), None, "stopped");
}

#[test]
fn thru_notes_are_released_and_the_output_can_be_switched() {
    let sys = SimSystem::with_device("OT");
    sys.plug("Other");
    let e = MidiEngine::start(
        Box::new(sys.clone()),
        EngineOptions {
            output: Some("OT".into()),
            ..EngineOptions::default()
        },
    );
    e.send_message(ShortMsg::note_on(3, 60, 90));
    e.send_message(ShortMsg::cc(3, 74, 10));
    wait_until(&sys, |m| m.len() >= 2);
    // Switching the output releases the held thru note on the old port first.
    e.set_output(Some("Other".into()));
    e.send_message(ShortMsg::note_on(3, 62, 90));
    drop(e);
    let log = sys.log();
    let on_ot: Vec<Vec<u8>> = log
        .iter()
        .filter(|r| r.port == "OT")
        .map(|r| r.bytes.clone())
        .collect();
    assert_eq!(
        on_ot,
        vec![vec![0x93, 60, 90], vec![0xB3, 74, 10], vec![0x83, 60, 0]]
    );
    let on_other: Vec<Vec<u8>> = log
        .iter()
        .filter(|r| r.port == "Other")
        .map(|r| r.bytes.clone())
        .collect();
    assert_eq!(on_other, vec![vec![0x93, 62, 90], vec![0x83, 62, 0]]);
}
