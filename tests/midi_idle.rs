#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Idle means idle: with nothing playing and no port to wait for, the MIDI engine's thread
//! sleeps until a command arrives instead of waking up periodically.

use octa::midi::ports::UnavailableSystem;
use octa::midi::sim::SimSystem;
use octa::midi::{EngineOptions, MidiEngine};
use std::time::Duration;

/// Wake-ups of the engine thread while the test sleeps `idle` (after it settles).
fn idle_wakes(e: &MidiEngine, idle: Duration) -> u64 {
    // Let start-up (port opening, first status) finish.
    std::thread::sleep(Duration::from_millis(200));
    let before = e.wakes();
    std::thread::sleep(idle);
    e.wakes() - before
}

#[test]
fn connected_engine_sleeps_while_nothing_plays() {
    let sys = SimSystem::with_device("Octatrack MKII");
    let e = MidiEngine::start(Box::new(sys), EngineOptions::default());
    // The old loop woke 10 times a second (20 in these 2 s); now it does not wake at all.
    assert_eq!(idle_wakes(&e, Duration::from_secs(2)), 0);
    // A command still wakes it (the counter counts).
    let before = e.wakes();
    e.panic();
    let mut woke = false;
    for _ in 0..500 {
        if e.wakes() > before {
            woke = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(woke, "a command wakes the engine thread");
}

#[test]
fn engine_without_a_midi_system_sleeps() {
    let sys = UnavailableSystem {
        reason: "no /dev/snd/seq".into(),
    };
    let e = MidiEngine::start(Box::new(sys), EngineOptions::default());
    assert_eq!(idle_wakes(&e, Duration::from_secs(2)), 0);
    assert!(!e.is_available());
}
