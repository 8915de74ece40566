#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Local playback in the tracker (`ui::local_play`), without a sound card: the output key
//! cycles device / local / both and the status line says which; with no device the local
//! engine is render-only and says so (play does not fail); with a software output (the
//! null backend, which calls the device callback like a sound card) play sends the
//! pattern through the real-time engine and sound comes out, and stop stops it.

use octa::audio::AudioEngine;
use octa::audio::engine::EngineOptions;
use octa::audio::output::NullOutput;
use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::testing::{app, press, screen};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn demo_app(tmp: &std::path::Path) -> App {
    let dir = octa::project::demo::generate(&tmp.join("demo")).unwrap();
    let project = Project::open(&dir, &OpenOptions::default()).unwrap();
    app(project, "tracker")
}

fn null_engine(out: NullOutput) -> AudioEngine {
    let e = AudioEngine::with_backend(Box::new(out), EngineOptions::default());
    e.wait_for_device(Duration::from_secs(20));
    e
}

fn shown(a: &mut App) -> String {
    screen(a, 200, 40).join("\n")
}

#[test]
fn without_a_sound_card_the_local_output_is_render_only_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = demo_app(tmp.path());
    a.ctx.engines.audio_engine = Some(null_engine(NullOutput {
        unavailable: true,
        ..NullOutput::default()
    }));
    press(&mut a, &["ctrl+alt+d"]);
    let s = shown(&mut a);
    assert!(
        s.contains("output: local engine (render-only: no sound card"),
        "{s}"
    );
    // Play does not fail or start anything: it says render-only.
    press(&mut a, &["ctrl+space"]);
    let s = shown(&mut a);
    assert!(
        s.contains("local engine: render-only (no sound card"),
        "{s}"
    );
    assert!(!a.ctx.local.is_playing());
    press(&mut a, &["ctrl+alt+d"]);
    assert!(
        shown(&mut a).contains("output: device (MIDI) + local engine (render-only"),
        "both"
    );
    press(&mut a, &["ctrl+alt+d"]);
    let s = shown(&mut a);
    assert!(s.contains("output: device (MIDI)"), "{s}");
    assert!(!s.contains("render-only"), "{s}");
}

#[test]
fn the_local_output_plays_the_pattern_through_the_device_callback() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = demo_app(tmp.path());
    let record = Arc::new(Mutex::new(Vec::new()));
    a.ctx.engines.audio_engine = Some(null_engine(NullOutput {
        record: Some(record.clone()),
        realtime: true,
        ..NullOutput::default()
    }));
    press(&mut a, &["ctrl+alt+d"]);
    let s = shown(&mut a);
    assert!(s.contains("output: local engine"), "{s}");
    assert!(!s.contains("render-only"), "{s}");
    press(&mut a, &["ctrl+space"]);
    assert!(shown(&mut a).contains("local engine: playing"));
    // The samples are decoded on a worker; each tick hands what is ready to the engine.
    let until = Instant::now() + Duration::from_secs(60);
    let sounded = loop {
        a.tick();
        let peak = record
            .lock()
            .unwrap()
            .iter()
            .fold(0.0f32, |m, x| m.max(x.abs()));
        if peak > 0.01 || Instant::now() > until {
            break peak;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(sounded > 0.01, "the demo pattern sounded (peak {sounded})");
    assert!(a.ctx.local.is_playing());
    // An edit while playing is sent as a new snapshot (no error, still playing).
    press(&mut a, &["space"]);
    a.tick();
    assert!(a.ctx.local.is_playing());
    press(&mut a, &["ctrl+space"]);
    assert!(shown(&mut a).contains("local engine: stopped"));
    let until = Instant::now() + Duration::from_secs(10);
    while a.ctx.local.is_playing() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!a.ctx.local.is_playing());
}
