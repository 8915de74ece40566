#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Issue #17 in the tracker: converting from the sample browser (a 48 kHz file becomes a
//! 44.1 kHz WAV in the set's AUDIO folder, selected in the list; Esc cancels and leaves no
//! file; keys keep working while the worker runs; picking an unplayable file for a slot
//! converts it first), and the pool view on a generated set whose unused, missing and
//! identical files are written down here (purge moves exactly the unused ones to the trash).

use octa::format::slot_attrs::SlotRef;
use octa::project::{OpenOptions, Project, slots};
use octa::ui::App;
use octa::ui::app::Overlay;
use octa::ui::testing::{app, press, screen, type_text};
use octa::ui::views::convert_job;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// A 16-bit mono sine WAV (`freq` Hz, amplitude 0.5) of `frames` frames at `rate`.
fn sine(path: &Path, rate: u32, frames: u32, freq: f64) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames {
        let x = (2.0 * std::f64::consts::PI * freq * f64::from(i) / f64::from(rate)).sin();
        w.write_sample((x * 16384.0) as i16).unwrap();
    }
    w.finalize().unwrap();
}

/// A 44.1 kHz (or `rate`) 16-bit mono WAV of `frames` frames whose samples start at `seed`.
fn wav(path: &Path, rate: u32, frames: u32, seed: i16) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames {
        w.write_sample(seed.wrapping_add(i as i16)).unwrap();
    }
    w.finalize().unwrap();
}

fn save_project(dir: &Path, slots_: &[(SlotRef, &str)]) {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut p = Project::new_blank(&name);
    for (s, path) in slots_ {
        slots::assign(&mut p, *s, path, 1000, 44100).unwrap();
    }
    p.save_as(dir).unwrap();
}

fn open(dir: &Path) -> App {
    let p = Project::open(dir, &OpenOptions::default()).unwrap();
    app(p, "tracker")
}

fn message(a: &App) -> String {
    a.message.clone().map(|m| m.0).unwrap_or_default()
}

/// Runs event-loop passes until the message contains `what` (the worker reports through
/// `tick`); panics when it never does.
fn wait_for(a: &mut App, what: &str) {
    for _ in 0..20_000 {
        a.tick();
        if message(a).contains(what) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("never saw {what:?}; last message {:?}", message(a));
}

/// A set with one project P1 holding `src48.wav` (48 kHz, 1 s, 1 kHz sine) in its folder.
fn set_with_48k() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    save_project(&set.join("P1"), &[]);
    let src = set.join("P1/src48.wav");
    sine(&src, 48_000, 48_000, 1000.0);
    (t, set, src)
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(files_below(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn a_48k_file_converts_into_audio_at_44k_and_is_selected() {
    let (_t, set, _src) = set_with_48k();
    let mut a = open(&set.join("P1"));
    press(&mut a, &["F11"]);
    let s = screen(&mut a, 140, 30).join("\n");
    assert!(s.contains("P1/src48.wav"), "{s}");
    assert!(s.contains("48000 Hz is not 44100 Hz"), "{s}");
    press(&mut a, &["C"]);
    assert!(message(&a).starts_with("converting "), "{}", message(&a));
    wait_for(&mut a, "converted");
    let out = set.join("AUDIO/src48.wav");
    let r = hound::WavReader::open(&out).unwrap();
    assert_eq!(r.spec().sample_rate, 44_100);
    assert_eq!(r.spec().bits_per_sample, 16);
    assert_eq!(r.spec().channels, 1);
    // 1 s at 48 kHz is 44,100 frames at 44.1 kHz (within one frame).
    let n = r.len();
    assert!((44_099..=44_101).contains(&n), "{n} frames");
    // The sine is still 1 kHz at the same level: upward zero crossings over half a second.
    let samples: Vec<i16> = r.into_samples().map(|s| s.unwrap()).collect();
    let mid = &samples[11_025..33_075];
    let ups = mid.windows(2).filter(|w| w[0] < 0 && w[1] >= 0).count();
    assert!((499..=501).contains(&ups), "{ups} cycles in 0.5 s");
    let peak = mid.iter().map(|s| s.unsigned_abs()).max().unwrap();
    assert!((16_000..=16_800).contains(&peak), "peak {peak}");
    // The list was scanned again and the new file is the selected one (its name is shown
    // under the list, and it plays on the device).
    let s = screen(&mut a, 140, 30);
    assert!(s.iter().any(|l| l.trim() == "AUDIO/src48.wav"), "{s:#?}");
    let row = s
        .iter()
        .find(|l| l.starts_with("AUDIO/src48.wav "))
        .unwrap();
    assert!(row.contains("WAV 44100 Hz 16-bit 1ch 1.00s"), "{row}");
    assert!(!row.contains(" ! "), "{row}");
}

#[test]
fn esc_cancels_leaving_no_file_and_keys_work_meanwhile() {
    let (_t, set, src) = set_with_48k();
    let (reached_tx, reached_rx) = mpsc::channel::<u64>();
    let (gate_tx, gate_rx) = mpsc::channel::<()>();
    let reached = Mutex::new(reached_tx);
    let gate = Mutex::new(gate_rx);
    convert_job::set_hook(
        &src,
        Arc::new(move |done| {
            let _ = reached.lock().unwrap().send(done);
            let _ = gate.lock().unwrap().recv();
        }),
    );
    let mut a = open(&set.join("P1"));
    press(&mut a, &["F11"]);
    let _ = screen(&mut a, 140, 30);
    press(&mut a, &["C"]);
    // The worker is held after its first chunk: the UI still answers.
    let done = reached_rx.recv().unwrap();
    assert!(done > 0 && done < 48_000, "{done}");
    press(&mut a, &["A"]);
    assert_eq!(message(&a), "auto-preview on");
    let s = screen(&mut a, 140, 30).join("\n");
    assert!(s.contains("converting src48.wav to "), "{s}");
    assert!(s.contains("(Esc: cancel)"), "{s}");
    press(&mut a, &["C"]);
    assert_eq!(message(&a), "a conversion is running; Esc cancels it");
    press(&mut a, &["esc"]);
    assert_eq!(message(&a), "cancelling the conversion...");
    drop(gate_tx);
    wait_for(&mut a, "cancelled");
    assert!(
        message(&a).contains("nothing was written"),
        "{}",
        message(&a)
    );
    convert_job::clear_hook(&src);
    let left = files_below(&set.join("AUDIO"));
    assert!(left.is_empty(), "a cancelled conversion left {left:?}");
    // The source is untouched and the list did not change.
    assert_eq!(hound::WavReader::open(&src).unwrap().len(), 48_000);
    let s = screen(&mut a, 140, 30).join("\n");
    assert!(s.contains("1 audio file(s)"), "{s}");
}

#[test]
fn a_file_the_device_plays_is_converted_only_after_yes() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    save_project(&set.join("P1"), &[]);
    sine(&set.join("P1/ok.wav"), 44_100, 4410, 440.0);
    let mut a = open(&set.join("P1"));
    press(&mut a, &["F11"]);
    let _ = screen(&mut a, 140, 30);
    press(&mut a, &["C"]);
    assert!(matches!(a.overlay, Overlay::Prompt { .. }), "C asks first");
    type_text(&mut a, "n");
    press(&mut a, &["enter"]);
    assert_eq!(message(&a), "not converted");
    assert!(!set.join("AUDIO/ok.wav").exists());
    press(&mut a, &["C"]);
    type_text(&mut a, "y");
    press(&mut a, &["enter"]);
    wait_for(&mut a, "converted");
    let r = hound::WavReader::open(set.join("AUDIO/ok.wav")).unwrap();
    assert_eq!((r.spec().sample_rate, r.len()), (44_100, 4410));
}

#[test]
fn picking_an_unplayable_file_for_a_slot_converts_then_assigns_the_copy() {
    let (_t, set, _src) = set_with_48k();
    let mut a = open(&set.join("P1"));
    press(&mut a, &["F5"]);
    let _ = screen(&mut a, 140, 30);
    press(&mut a, &["b"]);
    let slot = a.ctx.pick_slot.expect("b picks for a slot");
    let _ = screen(&mut a, 140, 30);
    press(&mut a, &["enter"]);
    let Overlay::Prompt { title, .. } = &a.overlay else {
        panic!("enter on an unplayable file asks: {:?}", message(&a));
    };
    assert!(title.contains("cannot play it"), "{title}");
    type_text(&mut a, "y");
    press(&mut a, &["enter"]);
    wait_for(&mut a, "converted");
    assert!(
        message(&a).contains(&format!("{slot}: src48.wav")),
        "{}",
        message(&a)
    );
    let list = slots::list(&a.ctx.doc.project).unwrap();
    let s = list.iter().find(|s| s.slot == slot).unwrap();
    assert_eq!(s.path(), "../AUDIO/src48.wav");
    let r = hound::WavReader::open(set.join("AUDIO/src48.wav")).unwrap();
    assert_eq!(r.spec().sample_rate, 44_100);
}

/// The set of `tests/pool.rs`: what is used, unused, missing and identical is written down
/// here, independently of the code under test.
fn pool_set() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    let a = set.join("AUDIO");
    wav(&a.join("drums/kick.wav"), 44_100, 500, 1);
    wav(&a.join("kick_copy.wav"), 44_100, 500, 1); // identical to kick, unused
    wav(&a.join("snare.wav"), 44_100, 700, 2);
    wav(&a.join("samesize.wav"), 44_100, 700, 3); // snare's size, other bytes, unused
    wav(&a.join("unused1.wav"), 44_100, 300, 4); // unused
    wav(&a.join("sub/unused2.wav"), 48_000, 300, 5); // unused, 48 kHz: does not play
    save_project(
        &set.join("P1"),
        &[
            (SlotRef::Flex(1), "../AUDIO/drums/kick.wav"),
            (SlotRef::Flex(2), "../AUDIO/snare.wav"),
            (SlotRef::Static(1), "local.wav"),
            (SlotRef::Flex(3), "../AUDIO/gone.wav"), // missing
        ],
    );
    wav(&set.join("P1/local.wav"), 44_100, 200, 6);
    save_project(
        &set.join("P2"),
        &[(SlotRef::Static(2), "../AUDIO/drums/kick.wav")],
    );
    wav(&set.join("P2/rec.wav"), 44_100, 100, 7); // unused, in a project folder
    (t, set)
}

const UNUSED: [&str; 5] = [
    "AUDIO/kick_copy.wav",
    "AUDIO/samesize.wav",
    "AUDIO/sub/unused2.wav",
    "AUDIO/unused1.wav",
    "P2/rec.wav",
];
const USED: [&str; 3] = ["AUDIO/drums/kick.wav", "AUDIO/snare.wav", "P1/local.wav"];

/// The list rows of the pool view (the lines naming a file of the set).
fn pool_rows(a: &mut App) -> Vec<String> {
    screen(a, 160, 40)
        .into_iter()
        .filter(|l| l.starts_with("AUDIO/") || l.starts_with("P1/") || l.starts_with("P2/"))
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[test]
fn the_pool_view_lists_exactly_the_unused_missing_and_identical_files() {
    let (_t, set) = pool_set();
    let mut a = open(&set.join("P1"));
    press(&mut a, &["shift+F5"]);
    let _ = screen(&mut a, 160, 40);
    wait_for(&mut a, "pool scanned: 8 file(s)");
    let s = screen(&mut a, 160, 40).join("\n");
    assert!(
        s.contains("8 file(s), 5 unused, 1 missing slot(s), 1 group(s) of identical files"),
        "{s}"
    );
    let all = pool_rows(&mut a);
    assert_eq!(all.len(), 8, "{all:#?}");
    let kick = all
        .iter()
        .find(|l| l.starts_with("AUDIO/drums/kick.wav"))
        .unwrap();
    // 44-byte header + 500 16-bit frames.
    assert!(kick.contains("1.0 KB"), "{kick}");
    assert!(
        kick.contains("WAV 44100 Hz 16-bit 1ch  plays  P1 Flex 1, P2 Static 2"),
        "{kick}"
    );
    let u2 = all
        .iter()
        .find(|l| l.starts_with("AUDIO/sub/unused2.wav"))
        .unwrap();
    assert!(u2.contains("! 48000 Hz is not 44100 Hz  unused"), "{u2}");

    press(&mut a, &["U"]);
    let unused: Vec<String> = pool_rows(&mut a)
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(unused, UNUSED);

    press(&mut a, &["m"]);
    let s = screen(&mut a, 160, 40);
    let missing: Vec<&String> = s.iter().filter(|l| l.contains("(missing)")).collect();
    assert_eq!(missing.len(), 1, "{s:#?}");
    assert_eq!(
        missing[0].trim_end(),
        "P1 Flex 3: ../AUDIO/gone.wav (missing)"
    );

    press(&mut a, &["d"]);
    let s = screen(&mut a, 160, 40);
    let dups: Vec<&String> = s.iter().filter(|l| l.contains(" = ")).collect();
    assert_eq!(dups.len(), 1, "{s:#?}");
    assert_eq!(
        dups[0].trim_end(),
        "AUDIO/drums/kick.wav = AUDIO/kick_copy.wav"
    );
}

#[test]
fn purge_from_the_pool_view_asks_then_moves_exactly_the_unused_files_to_the_trash() {
    let (_t, set) = pool_set();
    let mut a = open(&set.join("P1"));
    press(&mut a, &["shift+F5"]);
    let _ = screen(&mut a, 160, 40);
    wait_for(&mut a, "pool scanned");
    press(&mut a, &["P"]);
    let Overlay::Prompt { title, .. } = &a.overlay else {
        panic!("P asks first: {}", message(&a));
    };
    assert!(title.contains("move 5 unused file(s)"), "{title}");
    type_text(&mut a, "n");
    press(&mut a, &["enter"]);
    assert_eq!(message(&a), "purge cancelled; nothing was moved");
    for f in UNUSED {
        assert!(set.join(f).is_file(), "{f} still there after n");
    }
    press(&mut a, &["P"]);
    type_text(&mut a, "y");
    press(&mut a, &["enter"]);
    assert!(
        message(&a).starts_with("purged: 5 file(s) moved to "),
        "{}",
        message(&a)
    );
    let trash = set.join(".octa-trash");
    let stamps: Vec<PathBuf> = fs::read_dir(&trash)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(stamps.len(), 1);
    for f in UNUSED {
        assert!(!set.join(f).exists(), "{f} moved");
        assert!(stamps[0].join(f).is_file(), "{f} in the trash");
    }
    for f in USED {
        assert!(set.join(f).is_file(), "{f} kept");
    }
    // The view scans again: nothing unused is left.
    wait_for(&mut a, "pool scanned: 3 file(s)");
    press(&mut a, &["U"]);
    assert!(pool_rows(&mut a).is_empty());
}
