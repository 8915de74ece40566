//! The sample browser (F11) and slot preview: corpus chain sample facts and slices on screen,
//! previews reaching a software output, slice grids written to `.ot` files, the audio status.

use octa::audio::engine::EngineOptions;
use octa::audio::output::NullOutput;
use octa::audio::peaks::PeakState;
use octa::audio::{AudioEngine, AudioEvent};
use octa::format::ot::SampleSettings;
use octa::project::Project;
use octa::ui::App;
use octa::ui::app::Overlay;
use octa::ui::testing::{app, press, screen, type_text};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn chain_dir() -> Option<PathBuf> {
    octa::testutil::corpus("ot/sample-settings/chain-16")
}

fn answer(a: &mut App, key: &str, text: &str) {
    press(a, &[key]);
    assert!(matches!(a.overlay, Overlay::Prompt { .. }), "{key} asks");
    press(a, &["backspace", "backspace", "backspace"]);
    type_text(a, text);
    press(a, &["enter"]);
}

/// A blank project's app on the sample browser listing `dir`.
fn browser(dir: &Path) -> App {
    let mut a = app(Project::new_blank("untitled"), "tracker");
    press(&mut a, &["F11"]);
    answer(&mut a, "o", &dir.display().to_string());
    a
}

fn null_engine(unavailable: bool) -> AudioEngine {
    let e = AudioEngine::with_backend(
        Box::new(NullOutput {
            unavailable,
            ..NullOutput::default()
        }),
        EngineOptions::default(),
    );
    e.wait_for_device(Duration::from_secs(10));
    e
}

#[test]
fn browser_lists_the_chain_sample_with_facts_and_slices() {
    let Some(dir) = chain_dir() else { return };
    let mut a = browser(&dir);
    let s = screen(&mut a, 120, 30).join("\n");
    assert!(s.contains("1 audio file(s)"), "{s}");
    assert!(s.contains("chain-16/valid-1.wav"), "{s}");
    assert!(s.contains("WAV 44100 Hz 16-bit 2ch 0.97s"), "{s}");
    assert!(
        !s.contains("  ! "),
        "a 16-bit 44.1 kHz WAV plays on the device: {s}"
    );
    assert!(s.contains("has .ot  16 slice(s), slice 1 selected"), "{s}");
}

#[test]
fn space_previews_into_the_output() {
    let Some(dir) = chain_dir() else { return };
    let mut a = browser(&dir);
    a.ctx.engines.audio_engine = Some(null_engine(false));
    let _ = screen(&mut a, 120, 30);
    press(&mut a, &["space"]);
    let msg = a.message.clone().map(|m| m.0).unwrap_or_default();
    assert_eq!(msg, "preview valid-1.wav");
    let engine = a.ctx.engines.audio_engine.as_ref().unwrap();
    let mut started = None;
    for _ in 0..500 {
        for e in engine.poll_events() {
            if let AudioEvent::Started { path, info } = e {
                started = Some((path, info));
            }
        }
        if started.is_some() && engine.frames_played() > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let (path, info) = started.expect("a Started event");
    assert!(path.ends_with("valid-1.wav"));
    assert_eq!(info.frames, Some(42864));
    assert!(engine.frames_played() > 0);
}

#[test]
fn slice_grid_is_written_to_the_ot_file() {
    let Some(dir) = chain_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for f in ["valid-1.wav", "valid-1.ot"] {
        std::fs::copy(dir.join(f), tmp.path().join(f)).unwrap();
    }
    let before = SampleSettings::parse(&std::fs::read(tmp.path().join("valid-1.ot")).unwrap());
    assert_eq!(before.unwrap().slice_count(), 16);
    let mut a = browser(tmp.path());
    let _ = screen(&mut a, 120, 30);
    answer(&mut a, "g", "4");
    let ot = SampleSettings::parse(&std::fs::read(tmp.path().join("valid-1.ot")).unwrap()).unwrap();
    assert_eq!(ot.slice_count(), 4, "{:?}", a.message);
    let s = ot.slices();
    assert_eq!(s[0].start, 0);
    assert_eq!(s[1].start, 42864 / 4);
    assert_eq!(s[3].end, 42863, "the last slice ends on the last frame");
}

#[test]
fn grid_creates_a_missing_ot_file() {
    let Some(dir) = chain_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join("valid-1.wav"), tmp.path().join("lone.wav")).unwrap();
    let mut a = browser(tmp.path());
    let s = screen(&mut a, 120, 30).join("\n");
    assert!(s.contains("no .ot  0 slice(s)"), "{s}");
    answer(&mut a, "g", "8");
    let ot = SampleSettings::parse(&std::fs::read(tmp.path().join("lone.ot")).unwrap()).unwrap();
    assert_eq!(ot.slice_count(), 8);
    assert_eq!(ot.trim_end(), 42864);
}

#[test]
fn status_line_says_audio_unavailable_without_a_device() {
    let mut a = app(Project::new_blank("untitled"), "tracker");
    a.ctx.engines.audio_engine = Some(null_engine(true));
    let s = screen(&mut a, 120, 30);
    assert!(s.last().unwrap().contains("audio unavailable"), "{s:?}");
}

#[test]
fn browser_snapshot() {
    let Some(dir) = chain_dir() else { return };
    let mut a = browser(&dir);
    let _ = screen(&mut a, 100, 24);
    let wav = dir.join("valid-1.wav");
    for _ in 0..1000 {
        if !matches!(a.ctx.engines.peaks.get(&wav), PeakState::Pending) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    a.message = None;
    insta::assert_snapshot!(screen(&mut a, 100, 24).join("\n"));
}
