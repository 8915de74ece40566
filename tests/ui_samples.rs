#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The sample browser (F11) and slot preview: corpus chain sample facts and slices on screen,
//! previews reaching a software output, slice grids written to `.ot` files, the audio status.

mod facts;

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
fn status_line_says_no_sound_card_without_a_device() {
    let mut a = app(Project::new_blank("untitled"), "tracker");
    a.ctx.engines.audio_engine = Some(null_engine(true));
    // The failed open at start is reported as a missing sound card, not as a lost device.
    a.tick();
    let s = screen(&mut a, 120, 30);
    let last = s.last().unwrap();
    assert!(last.contains("no sound card"), "{s:?}");
    assert!(!s.join("\n").contains("device lost"), "{s:?}");
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
    let s = screen(&mut a, 100, 24);
    insta::assert_snapshot!(s.join("\n"));
    // The facts shown, from the file headers read here: the WAV fmt/data chunks and the
    // slice count at byte 826 of the .ot beside it.
    let (ch, rate, bits, data) = facts::wav_facts(&std::fs::read(&wav).unwrap());
    let secs = f64::from(data) / f64::from(u32::from(ch) * u32::from(bits / 8)) / f64::from(rate);
    let want = format!("WAV {rate} Hz {bits}-bit {ch}ch {secs:.2}s");
    assert_eq!(want, "WAV 44100 Hz 16-bit 2ch 0.97s");
    let row = s
        .iter()
        .find(|l| l.starts_with("chain-16/valid-1.wav "))
        .unwrap();
    assert!(row.contains(&want), "{row}");
    let slices = facts::ot_slice_count(&std::fs::read(dir.join("valid-1.ot")).unwrap());
    assert_eq!(slices, 16);
    assert!(
        s.iter()
            .any(|l| l.contains(&format!("has .ot  {slices} slice(s), slice 1 selected"))),
        "{s:?}"
    );
    // One numbered marker per slice above the waveform, in order.
    let labels = s
        .iter()
        .find(|l| l.starts_with("1▄") || l.starts_with("1█") || l.starts_with("1 "))
        .unwrap();
    let numbers: Vec<u32> = labels
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(numbers, (1..=slices).collect::<Vec<_>>(), "{labels}");
}

/// The hello-flex project in a set (`<tmp>/HELLO` with its pool under `<tmp>/AUDIO`).
fn hello_flex(tmp: &Path) -> Option<(Project, PathBuf)> {
    let proj = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    let dir = tmp.join("HELLO");
    let pool = tmp.join("AUDIO/projects/HELLO FLEX");
    for (from, to) in [(&proj, &dir), (&samples, &pool)] {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    let p = Project::open(&dir, &octa::project::OpenOptions::default()).unwrap();
    Some((p, pool))
}

/// Waits (bounded) for the engine's Started event and returns its file.
fn started(a: &App) -> Option<PathBuf> {
    let engine = a.ctx.engines.audio_engine.as_ref().unwrap();
    for _ in 0..500 {
        for e in engine.poll_events() {
            if let AudioEvent::Started { path, .. } = e {
                return Some(path);
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

#[test]
fn slots_view_space_previews_the_slot_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((p, _pool)) = hello_flex(tmp.path()) else {
        return;
    };
    let slot = octa::format::slot_attrs::SlotRef::Flex(1);
    let file = p.project_file().slot(slot).unwrap().path.clone();
    let mut a = app(p, "tracker");
    a.ctx.engines.audio_engine = Some(null_engine(false));
    press(&mut a, &["F5", "space"]);
    let name = file.rsplit('/').next().unwrap().to_string();
    let msg = a.message.clone().map(|m| m.0).unwrap_or_default();
    assert_eq!(msg, format!("{slot}: preview {name}"));
    let path = started(&a).expect("the preview started");
    assert!(path.ends_with(&name), "{path:?}");
    // Auto-preview: moving to an empty slot says so instead of playing.
    press(&mut a, &["A"]);
    press(&mut a, &["down"]);
    let msg = a.message.clone().map(|m| m.0).unwrap_or_default();
    assert!(msg.starts_with("Flex 2"), "{msg}");
}

#[test]
fn browser_writes_slices_to_the_slot_markers_undoably() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((p, pool)) = hello_flex(tmp.path()) else {
        return;
    };
    let slot = octa::format::slot_attrs::SlotRef::Flex(1);
    let file = p.project_file().slot(slot).unwrap().path.clone();
    let name = file.rsplit('/').next().unwrap().to_string();
    let before = p.markers().slot(slot).unwrap().slices.len();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&pool)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
        .collect();
    names.sort();
    let index = names.iter().position(|p| p.ends_with(&name)).unwrap();
    let mut a = app(p, "tracker");
    press(&mut a, &["F11"]);
    let s = screen(&mut a, 120, 30).join("\n");
    assert!(s.contains(&format!("{} audio file(s)", names.len())), "{s}");
    for _ in 0..index {
        press(&mut a, &["down"]);
    }
    let s = screen(&mut a, 120, 30).join("\n");
    assert!(s.contains(&format!("used by {slot}")), "{s}");
    answer(&mut a, "g", "4");
    press(&mut a, &["W"]);
    assert_eq!(
        a.ctx.doc.project.markers().slot(slot).unwrap().slices.len(),
        4
    );
    press(&mut a, &["ctrl+z"]);
    assert_eq!(
        a.ctx.doc.project.markers().slot(slot).unwrap().slices.len(),
        before
    );
}

#[test]
fn a_corrupt_file_is_flagged_and_its_preview_error_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("broken.wav"), b"RIFF\x10\0\0\0WAVEjunkjunk").unwrap();
    let mut a = browser(tmp.path());
    a.ctx.engines.audio_engine = Some(null_engine(false));
    let s = screen(&mut a, 120, 30).join("\n");
    assert!(s.contains("broken.wav") && s.contains("unreadable"), "{s}");
    press(&mut a, &["space"]);
    let mut msg = a.message.clone();
    for _ in 0..500 {
        if msg.as_ref().is_some_and(|m| m.1) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        a.tick();
        msg = a.message.clone();
    }
    let (text, err) = msg.expect("a message");
    assert!(err, "{text}");
    assert!(text.contains("broken.wav"), "{text}");
}
