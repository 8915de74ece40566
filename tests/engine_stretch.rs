#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Time-stretch (SETUP TSTR/TSNS, the slot's tempo) rendered to memory and analysed: a
//! 2-beat loop made at 120 BPM in a 140 BPM project lasts 2 beats of 140 BPM and keeps its
//! pitch; with TSTR OFF it plays at its natural length; the clicks of a click loop land on
//! the stretched beats; the loader reads the slot's tempo and mode from its attributes and
//! makes the stretched copy; a tempo change makes a new copy that the engine plays.
//! Expected values come from the tempo arithmetic (docs/engine.md, "Time-stretch").

use octa::engine::load::{SlotLoad, load_planned};
use octa::engine::sample::{Sample, Samples, SlotSound};
use octa::engine::stretch::{self, StretchKey, StretchMode};
use octa::engine::{RenderOptions, Rendered, render};
use octa::format::slot_attrs::{LoopMode, TimeStretch};
use octa::seq::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::seq::timeline::{PlayItem, RowOptions};
use std::collections::BTreeSet;
use std::f64::consts::PI;
use std::sync::Arc;

const SR: f64 = 44_100.0;

fn setup(bpm: f64) -> DeviceSetup {
    DeviceSetup {
        tempo: bpm,
        ..DeviceSetup::default()
    }
}

/// One trig on step 1 of T1, LOOP OFF, unity gains, SETUP TSTR `tstr`.
fn one_trig(tstr: u8) -> Vec<PlayItem> {
    let mut p = SeqPattern::empty("A01");
    for a in p.part.audio.iter_mut() {
        a.setup[0] = 0;
        a.setup[4] = tstr;
        a.levels = [127, 127];
        a.flex_slot = 0;
    }
    // 16 steps = 4 beats: longer than the 2-beat samples at every tempo used here.
    p.tracks[0].steps[0] = SeqStep::trig();
    vec![PlayItem {
        pattern: Arc::new(p),
        passes: Some(1),
        tempo: None,
        row: RowOptions::default(),
    }]
}

/// 2 beats at 120 BPM = 1 s of a 441 Hz sine at 0.5.
fn sine_loop() -> Arc<Sample> {
    let n = SR as usize;
    Arc::new(Sample {
        frames: (0..n)
            .map(|i| {
                let x = 0.5 * (2.0 * PI * 441.0 * i as f64 / SR).sin() as f32;
                [x, x]
            })
            .collect(),
        source_rate: 44_100,
    })
}

/// 2 beats at 120 BPM (1 s) of silence with a 5 ms click (a 2 kHz burst) on each beat.
fn click_loop() -> Arc<Sample> {
    let n = SR as usize;
    let click = (0.005 * SR) as usize;
    Arc::new(Sample {
        frames: (0..n)
            .map(|i| {
                let into = i % (n / 2);
                let x = if into < click {
                    0.8 * (2.0 * PI * 2000.0 * into as f64 / SR).sin() as f32
                } else {
                    0.0
                };
                [x, x]
            })
            .collect(),
        source_rate: 44_100,
    })
}

/// A slot at 120 BPM with the slot's TSMODE `mode` and copies for `tempos` x NORMAL/TSNS 64.
fn slot(sample: Arc<Sample>, mode: TimeStretch, tempos: &[f64]) -> Samples {
    let mut s = SlotSound::whole(sample);
    s.time_stretch = mode;
    s.tempo = 120.0;
    let keys: BTreeSet<StretchKey> = tempos
        .iter()
        .map(|t| StretchKey {
            tempo_x24: stretch::tempo_key(*t),
            mode: StretchMode::Normal,
            tsns: 64,
        })
        .collect();
    stretch::prepare(&mut s, &keys);
    let mut out = Samples::default();
    out.flex.insert(0, s);
    out
}

fn run(items: Vec<PlayItem>, bpm: f64, s: &Samples) -> Rendered {
    render(items, setup(bpm), s, RenderOptions::default())
}

/// The last frame louder than -40 dB, plus one: where the sound ends.
fn sound_end(x: &[[f32; 2]]) -> usize {
    x.iter()
        .rposition(|f| f[0].abs() > 0.01)
        .map_or(0, |i| i + 1)
}

/// Frequency from rising zero crossings over `x[from..to]`.
fn frequency(x: &[[f32; 2]], from: usize, to: usize) -> f64 {
    let ups: Vec<f64> = x[from..to]
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0][0] < 0.0 && w[1][0] >= 0.0)
        .map(|(i, w)| i as f64 + f64::from(-w[0][0] / (w[1][0] - w[0][0])))
        .collect();
    assert!(ups.len() > 10, "too few cycles");
    (ups.len() - 1) as f64 / (ups[ups.len() - 1] - ups[0]) * SR
}

/// Centres of the bursts: frames where the 1 ms peak envelope first exceeds half the
/// loudest peak, at least 10 ms apart.
fn click_onsets(x: &[[f32; 2]]) -> Vec<usize> {
    let peak = x.iter().fold(0f32, |m, f| m.max(f[0].abs()));
    let mut out: Vec<usize> = Vec::new();
    for (i, f) in x.iter().enumerate() {
        if f[0].abs() > 0.5 * peak && out.last().is_none_or(|l| i > l + (0.01 * SR) as usize) {
            out.push(i);
        }
    }
    out
}

#[test]
fn a_120_bpm_loop_in_a_140_bpm_project_lasts_two_beats_of_140_and_keeps_its_pitch() {
    // 2 beats at 140 BPM = 60 / 140 x 2 s = 37800 frames (exactly 44100 x 120 / 140).
    let want = 37_800.0;
    // TSTR AUTO (1) with the slot's TSMODE NORMAL, and TSTR NORMAL (2) with a slot OFF.
    for (tstr, mode) in [(1, TimeStretch::Normal), (2, TimeStretch::Off)] {
        let s = slot(sine_loop(), mode, &[140.0]);
        let r = run(one_trig(tstr), 140.0, &s);
        let end = sound_end(&r.main) as f64;
        assert!(
            (end - want).abs() < 0.005 * want,
            "TSTR {tstr}: sound ends at {end}, expected {want}"
        );
        let hz = frequency(&r.main, 4_410, 33_000);
        assert!((hz - 441.0).abs() < 0.5, "TSTR {tstr}: {hz} Hz");
    }
}

#[test]
fn with_timestretch_off_the_loop_plays_at_its_natural_length() {
    // TSTR OFF on the track; and TSTR AUTO with the slot's TSMODE OFF.
    for (tstr, mode) in [(0, TimeStretch::Normal), (1, TimeStretch::Off)] {
        let s = slot(sine_loop(), mode, &[140.0]);
        let r = run(one_trig(tstr), 140.0, &s);
        assert_eq!(sound_end(&r.main), 44_100, "TSTR {tstr}");
        let hz = frequency(&r.main, 4_410, 40_000);
        assert!((hz - 441.0).abs() < 0.05, "{hz} Hz");
    }
    // At the slot's own tempo there is nothing to stretch: the original frames play.
    let s = slot(sine_loop(), TimeStretch::Normal, &[120.0]);
    assert!(s.flex[&0].stretched.is_empty());
    let r = run(one_trig(1), 120.0, &s);
    assert_eq!(sound_end(&r.main), 44_100);
    assert_eq!(r.main[..44_100], s.flex[&0].sample.frames[..]);
}

#[test]
fn the_clicks_of_a_click_loop_land_on_the_stretched_beats() {
    // Beats at 140 BPM: 0 and 60 / 140 s = 18900 frames; at 100 BPM: 0 and 26460.
    for (bpm, beat) in [(140.0, 18_900usize), (100.0, 26_460)] {
        let s = slot(click_loop(), TimeStretch::Normal, &[bpm]);
        let r = run(one_trig(1), bpm, &s);
        let got = click_onsets(&r.main);
        assert_eq!(got.len(), 2, "{bpm} BPM: {got:?}");
        // Within 3 ms (the stretcher smears a transient over part of its window).
        let tol = (0.003 * SR) as usize;
        assert!(got[0] <= tol, "{bpm} BPM: first click at {}", got[0]);
        assert!(
            got[1].abs_diff(beat) <= tol,
            "{bpm} BPM: second click at {}, expected {beat}",
            got[1]
        );
    }
}

#[test]
fn a_tempo_without_a_stretched_copy_plays_the_original_until_restretched() {
    let items = one_trig(1);
    let s = slot(sine_loop(), TimeStretch::Normal, &[140.0]);
    // The project moved to 160 BPM: no copy for it yet, the original plays.
    let r = run(items.clone(), 160.0, &s);
    assert_eq!(sound_end(&r.main), 44_100);
    // The worker's restretch for the items at 160 BPM: 2 beats of 160 BPM = 33075 frames.
    let needs = stretch::needs(&items, &setup(160.0), &|_, _| TimeStretch::Normal);
    let s2 = stretch::restretch(&s, &needs);
    assert_eq!(
        s2.flex[&0].stretched.len(),
        1,
        "the 140 BPM copy is dropped"
    );
    let r = run(items, 160.0, &s2);
    let end = sound_end(&r.main) as f64;
    assert!((end - 33_075.0).abs() < 0.005 * 33_075.0, "{end}");
}

fn write_wav(path: &std::path::Path, sample: &Sample, rate: u32) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for f in &sample.frames {
        w.write_sample(f[0]).unwrap();
    }
    w.finalize().unwrap();
}

#[test]
fn the_loader_takes_the_slot_tempo_and_mode_and_makes_the_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("loop.wav");
    write_wav(&path, &sine_loop(), 44_100);
    let items = one_trig(1);
    let slot_mode = TimeStretch::Beat;
    let needs = stretch::needs(&items, &setup(140.0), &|_, _| slot_mode);
    let keys = needs.get(&(false, 0)).cloned().unwrap();
    assert_eq!(
        keys.iter().copied().collect::<Vec<_>>(),
        [StretchKey {
            tempo_x24: 3360,
            mode: StretchMode::Beat,
            tsns: 64
        }]
    );
    // The slot says BPMx24 = 2880 (120 BPM): 1 s lasts 37800 frames at 140 BPM.
    // With only TRIM_BARSx100 = 50 (half a bar in 1 s = 120 BPM) the same.
    for (bpm_x24, bars) in [(Some(2880), None), (None, Some(50))] {
        let load = SlotLoad {
            is_static: false,
            slot: 0,
            label: "F1".into(),
            path: path.clone(),
            markers: None,
            loop_mode: LoopMode::Off,
            gain: 1.0,
            time_stretch: slot_mode,
            bpm_x24,
            trim_bars_x100: bars,
            stretch: keys.clone(),
        };
        let loaded = load_planned(vec![load], Vec::new());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let sound = &loaded.samples.flex[&0];
        assert_eq!(sound.tempo, 120.0);
        assert_eq!(sound.stretched.len(), 1);
        let r = run(items.clone(), 140.0, &loaded.samples);
        let end = sound_end(&r.main) as f64;
        assert!((end - 37_800.0).abs() < 0.005 * 37_800.0, "{end}");
        let hz = frequency(&r.main, 4_410, 33_000);
        assert!((hz - 441.0).abs() < 0.5, "{hz} Hz");
    }
}

#[test]
fn a_tempo_change_stretches_the_decoded_audio_again_without_reading_the_file() {
    use octa::engine::load::{files_decoded_on_this_thread, load_planned_reusing};
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("loop.wav");
    write_wav(&path, &sine_loop(), 44_100);
    let items = one_trig(1);
    let load_at = |bpm: f64| {
        let needs = stretch::needs(&items, &setup(bpm), &|_, _| TimeStretch::Normal);
        SlotLoad {
            is_static: false,
            slot: 0,
            label: "F1".into(),
            path: path.clone(),
            markers: None,
            loop_mode: LoopMode::Off,
            gain: 1.0,
            time_stretch: TimeStretch::Normal,
            bpm_x24: Some(2880),
            trim_bars_x100: None,
            stretch: needs.get(&(false, 0)).cloned().unwrap(),
        }
    };
    let before = files_decoded_on_this_thread();
    let first = load_planned(vec![load_at(140.0)], Vec::new());
    assert_eq!(files_decoded_on_this_thread(), before + 1);
    // The tracker's tempo moves to 160 BPM: the copy is made from the decoded audio.
    let second = load_planned_reusing(vec![load_at(160.0)], Vec::new(), &first);
    assert_eq!(
        files_decoded_on_this_thread(),
        before + 1,
        "no file is read again"
    );
    assert!(second.warnings.is_empty(), "{:?}", second.warnings);
    let sound = &second.samples.flex[&0];
    assert!(Arc::ptr_eq(&sound.sample, &first.samples.flex[&0].sample));
    assert_eq!(sound.stretched.len(), 1, "only the 160 BPM copy is kept");
    assert_eq!(sound.stretched[0].key.tempo_x24, 160 * 24);
    // 2 beats of 160 BPM = 33075 frames, at the sine's pitch.
    let r = run(items.clone(), 160.0, &second.samples);
    let end = sound_end(&r.main) as f64;
    assert!((end - 33_075.0).abs() < 0.005 * 33_075.0, "{end}");
    let hz = frequency(&r.main, 4_410, 30_000);
    assert!((hz - 441.0).abs() < 0.5, "{hz} Hz");
    // Back to 160 again (same tempo): the copy itself is reused, nothing is stretched.
    let third = load_planned_reusing(vec![load_at(160.0)], Vec::new(), &second);
    assert!(Arc::ptr_eq(
        &third.samples.flex[&0].stretched[0],
        &sound.stretched[0]
    ));
    assert_eq!(files_decoded_on_this_thread(), before + 1);
    // A file changed on disk (a new modification time) is read again.
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000))
        .unwrap();
    drop(f);
    let fourth = load_planned_reusing(vec![load_at(160.0)], Vec::new(), &third);
    assert_eq!(files_decoded_on_this_thread(), before + 2);
    assert!(!Arc::ptr_eq(&fourth.samples.flex[&0].sample, &sound.sample));
}
