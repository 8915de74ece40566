#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The preview engine on a software output (no sound card): what reaches the
//! device callback, regions, pitch, loops, volume, cancellation, errors and a
//! vanishing device.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use octa::audio::decode::decode_file;
use octa::audio::engine::EngineOptions;
use octa::audio::output::NullOutput;
use octa::audio::{
    AudioEngine, AudioError, AudioEvent, DeviceState, PreviewRequest, Region, RegionChoice,
};
use octa::testutil::corpus;

fn sink(rate: u32) -> (NullOutput, Arc<Mutex<Vec<f32>>>) {
    let rec = Arc::new(Mutex::new(Vec::new()));
    let out = NullOutput {
        sample_rate: rate,
        channels: 2,
        period_frames: 512,
        realtime: true,
        record: Some(rec.clone()),
        ..NullOutput::default()
    };
    (out, rec)
}

fn engine(out: NullOutput) -> AudioEngine {
    let e = AudioEngine::with_backend(Box::new(out), EngineOptions::default());
    assert!(matches!(
        e.wait_for_device(Duration::from_secs(5)),
        DeviceState::Ready(_)
    ));
    e
}

/// Polls until the preview finished (or errored); returns all events.
fn wait_done(e: &AudioEngine) -> Vec<AudioEvent> {
    let mut events = Vec::new();
    for _ in 0..3000 {
        let batch = e.poll_events();
        let done = batch
            .iter()
            .any(|ev| matches!(ev, AudioEvent::Finished { .. } | AudioEvent::Error(_)));
        events.extend(batch);
        if done {
            return events;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("preview did not finish: {events:?}");
}

fn play(rate: u32, req: PreviewRequest) -> (Vec<f32>, Vec<AudioEvent>) {
    let (out, rec) = sink(rate);
    let e = engine(out);
    e.preview(req).unwrap();
    let events = wait_done(&e);
    assert!(!e.is_playing());
    drop(e);
    let v = rec.lock().unwrap().clone();
    (v, events)
}

fn stereo_of(path: &Path, start: usize, end: usize) -> Vec<f32> {
    let d = decode_file(path).unwrap();
    let ch = usize::from(d.info.channels);
    d.samples[start * ch..end * ch]
        .chunks(ch)
        .flat_map(|f| if ch == 1 { [f[0], f[0]] } else { [f[0], f[1]] })
        .collect()
}

/// Compares sample vectors without dumping them: lengths, then the first difference.
#[track_caller]
fn assert_same(got: &[f32], want: &[f32]) {
    assert_eq!(got.len(), want.len(), "sample count");
    if let Some(i) = got.iter().zip(want).position(|(a, b)| a != b) {
        panic!("sample {i} differs: got {} want {}", got[i], want[i]);
    }
}

fn file(rel: &str) -> Option<PathBuf> {
    corpus(rel)
}

#[test]
fn mono_file_reaches_the_callback_exactly_on_both_channels() {
    let Some(p) = file("audio/sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let (got, events) = play(44_100, PreviewRequest::new(&p));
    assert_same(&got, &stereo_of(&p, 0, 22_050));
    assert!(matches!(&events[0], AudioEvent::DeviceReady(_)));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AudioEvent::Started { info, .. } if info.frames == Some(22_050)))
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AudioEvent::Finished { path } if *path == p))
    );
}

#[test]
fn slice_three_of_the_chain_is_exactly_its_frames_and_plus_12_halves_it() {
    let Some(wav) = file("ot/sample-settings/chain-16/valid-1.wav") else {
        return;
    };
    let ot = octa::project::sidecar::load(&wav).unwrap();
    let region = Region::from_ot(&ot.settings, RegionChoice::Slice(3)).unwrap();
    assert_eq!(region, Region::frames(5358, 8037));
    let (got, _) = play(44_100, PreviewRequest::new(&wav).region(region));
    assert_eq!(got.len(), 2 * 2679);
    assert_same(&got, &stereo_of(&wav, 5358, 8037));

    let (up, _) = play(44_100, PreviewRequest::new(&wav).region(region).pitch(12.0));
    // ceil(2679 / 2) frames.
    assert_eq!(up.len(), 2 * 1340);
    // An octave down doubles it.
    let (down, _) = play(
        44_100,
        PreviewRequest::new(&wav).region(region).pitch(-12.0),
    );
    assert_eq!(down.len(), 2 * 5358);
}

#[test]
fn resampled_to_a_48k_device_keeps_length_ratio() {
    let Some(p) = file("audio/sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let (got, _) = play(48_000, PreviewRequest::new(&p));
    // ceil(22050 * 48000 / 44100) = 24000 frames.
    assert_eq!(got.len(), 2 * 24_000);
    // 440 Hz at 48 kHz: rising crossings every 109.09 frames.
    let left: Vec<f32> = got.iter().step_by(2).copied().collect();
    let rising = octa::audio::peaks::rising_zero_crossings(&left[1000..23_000], 1);
    let span = (rising[rising.len() - 1] - rising[0]) as f64 / (rising.len() - 1) as f64;
    assert!((span - 48_000.0 / 440.0).abs() < 0.05, "{span}");
}

#[test]
fn loop_passes_repeat_from_the_loop_point_and_volume_scales() {
    let Some(p) = file("audio/sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let region = Region {
        start: 100,
        end: Some(1100),
        loop_start: Some(600),
    };
    let (out, rec) = sink(44_100);
    let e = engine(out);
    e.set_volume(0.5);
    e.preview(PreviewRequest::new(&p).region(region).looping(Some(3)))
        .unwrap();
    assert!(e.status().looping);
    wait_done(&e);
    drop(e);
    let got = rec.lock().unwrap().clone();
    let mut want = stereo_of(&p, 100, 1100);
    want.extend(stereo_of(&p, 600, 1100));
    want.extend(stereo_of(&p, 600, 1100));
    let want: Vec<f32> = want.iter().map(|v| v * 0.5).collect();
    assert_same(&got, &want);
}

#[test]
fn a_new_request_cancels_the_running_one_at_once() {
    let Some(long) = file("audio/sweep-48k-24bit-stereo.wav") else {
        return;
    };
    let short = file("audio/click-22k-8bit.wav").unwrap();
    let (out, rec) = sink(44_100);
    let e = engine(out);
    // Three quick requests, as when the cursor moves: only the last one plays out.
    e.preview(PreviewRequest::new(&long)).unwrap();
    e.preview(PreviewRequest::new(&long).pitch(5.0)).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    let before = rec.lock().unwrap().len();
    e.preview(PreviewRequest::new(&short)).unwrap();
    let events = wait_done(&e);
    let started: Vec<&PathBuf> = events
        .iter()
        .filter_map(|ev| match ev {
            AudioEvent::Started { path, .. } => Some(path),
            _ => None,
        })
        .collect();
    assert_eq!(started.last(), Some(&&short));
    drop(e);
    let got = rec.lock().unwrap().clone();
    // The sweep played for a moment at most (well under its 1 s), then the click
    // in full: 2205 frames at 22.05 kHz -> 4410 frames at 44.1 kHz.
    assert!(before < 2 * 44_100, "{before}");
    let tail = &got[got.len() - 2 * 4410..];
    let click = decode_file(&short).unwrap();
    let peak_in = click.samples.iter().fold(0f32, |m, v| m.max(v.abs()));
    let peak_out = tail.iter().fold(0f32, |m, v| m.max(v.abs()));
    assert!((peak_out - peak_in).abs() < 0.05, "{peak_out} vs {peak_in}");
    assert!(
        got.len() - before <= 2 * 4410 + 2 * 44_100 / 10,
        "queued audio after the cut"
    );
}

#[test]
fn stop_silences_and_status_reports() {
    let Some(p) = file("audio/sweep-48k-24bit-stereo.wav") else {
        return;
    };
    let (out, rec) = sink(44_100);
    let e = engine(out);
    e.preview(PreviewRequest::new(&p)).unwrap();
    for _ in 0..400 {
        if e.status().frames_played > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let s = e.status();
    assert!(
        s.playing && s.label().starts_with("playing sweep-48k"),
        "{s:?}"
    );
    assert!(
        s.buffer_bytes > 0 && s.buffer_bytes < 1 << 20,
        "{}",
        s.buffer_bytes
    );
    e.stop();
    assert!(!e.is_playing());
    std::thread::sleep(Duration::from_millis(50));
    let n = rec.lock().unwrap().len();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(rec.lock().unwrap().len(), n, "audio after stop");
    assert_eq!(e.status().label(), "audio ready");
}

#[test]
fn corrupt_and_non_audio_files_answer_with_a_message_naming_them() {
    let Some(bad) = file("audio/bad-header.wav") else {
        return;
    };
    let (out, _) = sink(44_100);
    let e = engine(out);
    e.preview(PreviewRequest::new(&bad)).unwrap();
    let events = wait_done(&e);
    let msg = events
        .iter()
        .find_map(|ev| match ev {
            AudioEvent::Error(m) => Some(m.clone()),
            _ => None,
        })
        .unwrap();
    assert!(msg.contains("bad-header.wav"), "{msg}");
    assert!(!e.is_playing());
    // A slice outside the file.
    let wav = file("audio/click-22k-8bit.wav").unwrap();
    e.preview(PreviewRequest::new(&wav).region(Region::frames(5000, 6000)))
        .unwrap();
    let events = wait_done(&e);
    assert!(events.iter().any(
        |ev| matches!(ev, AudioEvent::Error(m) if m.contains("click-22k-8bit.wav") && m.contains("2205"))
    ));
}

#[test]
fn truncated_file_plays_with_a_warning() {
    let Some(p) = file("audio/bad-truncated.wav") else {
        return;
    };
    let (got, events) = play(44_100, PreviewRequest::new(&p));
    assert_eq!(got.len(), 2 * 1478);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AudioEvent::Warning(w) if w.contains("truncated")))
    );
}

#[test]
fn no_device_and_vanishing_device() {
    let Some(p) = file("audio/sweep-48k-24bit-stereo.wav") else {
        return;
    };
    // No device at all.
    let none = NullOutput {
        unavailable: true,
        ..NullOutput::default()
    };
    let e = AudioEngine::with_backend(Box::new(none), EngineOptions::default());
    assert!(matches!(
        e.wait_for_device(Duration::from_secs(5)),
        DeviceState::Unavailable(_)
    ));
    assert_eq!(e.status().label(), "no sound card");
    let err = e.preview(PreviewRequest::new(&p)).unwrap_err();
    assert!(matches!(err, AudioError::Unavailable(_)));
    assert!(err.to_string().starts_with("audio unavailable"));
    assert!(!e.is_playing());
    drop(e);

    // A device that vanishes while playing (after 20 callbacks of 512 frames).
    let (mut out, _) = sink(44_100);
    out.fail_after = Some(20);
    let e = engine(out);
    e.preview(PreviewRequest::new(&p)).unwrap();
    let mut lost = None;
    for _ in 0..1000 {
        for ev in e.poll_events() {
            if let AudioEvent::DeviceLost(m) = ev {
                lost = Some(m);
            }
        }
        if lost.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(lost.unwrap().contains("vanished"));
    let s = e.status();
    assert!(s.unavailable() && !s.playing, "{s:?}");
    assert_eq!(s.label(), "no sound card");
    assert!(matches!(
        e.preview(PreviewRequest::new(&p)),
        Err(AudioError::Unavailable(_))
    ));
}
