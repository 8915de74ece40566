#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The local sample engine rendered to memory and analysed: timing, pitch, start points,
//! reverse, retrigs, envelope, gains, filter, conditions, chains, arrangements, seeds,
//! and the same event times as the MIDI output. Samples are generated here; expected
//! values come from the tempo arithmetic and the laws written in docs/engine.md.

use octa::engine::sample::{Sample, SampleRegion, Samples, SlotSound};
use octa::engine::{RenderOptions, Rendered, render};
use octa::format::arrangement::{PatternRow, Row};
use octa::format::{MicroTiming, StepWord, TrigCondition};
use octa::midi::render::MsgRole;
use octa::midi::scheduler::Sequencer;
use octa::seq::arrange::arrangement_items;
use octa::seq::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::seq::timeline::{PlayItem, RowOptions};
use std::f64::consts::PI;
use std::sync::Arc;

const SR: f64 = 44_100.0;

fn setup(bpm: f64) -> DeviceSetup {
    DeviceSetup {
        tempo: bpm,
        ..DeviceSetup::default()
    }
}

fn mono(frames: Vec<f32>) -> Arc<Sample> {
    Arc::new(Sample {
        frames: frames.into_iter().map(|x| [x, x]).collect(),
        source_rate: 44_100,
    })
}

fn samples(slot0: SlotSound) -> Samples {
    let mut s = Samples::default();
    s.flex.insert(0, slot0);
    s
}

/// An empty pattern whose audio tracks play at unity gain without looping.
fn pattern(name: &str) -> SeqPattern {
    let mut p = SeqPattern::empty(name);
    for a in p.part.audio.iter_mut() {
        a.setup[0] = 0; // LOOP OFF
        a.levels = [127, 127];
        a.flex_slot = 0;
    }
    p
}

fn trig(locks: &[(usize, u8)]) -> SeqStep {
    let mut s = SeqStep::trig();
    for &(i, v) in locks {
        s.locks[i] = v;
    }
    s
}

fn items(p: SeqPattern, passes: u32) -> Vec<PlayItem> {
    vec![PlayItem {
        pattern: Arc::new(p),
        passes: Some(passes),
        tempo: None,
        row: RowOptions::default(),
    }]
}

fn run(items: Vec<PlayItem>, bpm: f64, s: &Samples, seed: u64, fill: bool) -> Rendered {
    render(
        items,
        setup(bpm),
        s,
        RenderOptions {
            seed,
            fill,
            ..RenderOptions::default()
        },
    )
}

/// Frames where the left channel goes from silence to sound.
fn audible_onsets(x: &[[f32; 2]]) -> Vec<usize> {
    let mut v = Vec::new();
    let mut prev = 0.0f32;
    for (i, f) in x.iter().enumerate() {
        if f[0].abs() > 1e-6 && prev.abs() <= 1e-6 {
            v.push(i);
        }
        prev = f[0];
    }
    v
}

fn step_secs(bpm: f64) -> f64 {
    60.0 / bpm / 4.0
}

/// A burst of `n` frames at 0.5 (so every onset is a step from silence).
fn burst(n: usize) -> SlotSound {
    SlotSound::whole(mono(vec![0.5; n]))
}

#[test]
fn onsets_land_on_step_times_with_swing_and_micro_timing() {
    let bpm = 120.0;
    let mut p = pattern("A01");
    p.tracks[0].swing_amount = 10; // 60 %: a swung step is 0.2 step late
    p.tracks[0].steps[0] = trig(&[]);
    let mut swung = trig(&[]);
    swung.swing = true;
    p.tracks[0].steps[5] = swung;
    let mut late = trig(&[]);
    late.word.set_micro_timing(MicroTiming(6)); // 6/384 of a bar = 1/4 step
    p.tracks[0].steps[8] = late;
    let mut early = trig(&[]);
    early.word.set_micro_timing(MicroTiming(-12)); // half a step early
    p.tracks[0].steps[12] = early;
    let r = run(items(p, 1), bpm, &samples(burst(200)), 1, false);
    let st = step_secs(bpm);
    let want: Vec<f64> = [0.0, 5.2, 8.25, 11.5].iter().map(|s| s * st * SR).collect();
    let got = audible_onsets(&r.main);
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(&want) {
        assert!((*g as f64 - w).abs() <= 1.0, "onset at {g}, expected {w}");
    }
    assert_eq!(r.main.len(), (16.0 * st * SR).round() as usize);
}

fn sine(freq: f64, secs: f64) -> Vec<f32> {
    (0..(secs * SR) as usize)
        .map(|i| (2.0 * PI * freq * i as f64 / SR).sin() as f32)
        .collect()
}

/// Frequency from rising zero crossings over `x[from..to]`.
fn frequency(x: &[[f32; 2]], from: usize, to: usize) -> f64 {
    let mut first = None;
    let mut last = 0;
    let mut n = 0;
    for i in from + 1..to {
        if x[i - 1][0] < 0.0 && x[i][0] >= 0.0 {
            first.get_or_insert(i);
            last = i;
            n += 1;
        }
    }
    (n - 1) as f64 * SR / (last - first.unwrap_or(0)) as f64
}

#[test]
fn ptch_plus_12_doubles_and_minus_12_halves_the_frequency() {
    let s = samples(SlotSound::whole(mono(sine(441.0, 2.0))));
    for (ptch, want) in [
        (64u8, 441.0),
        (76, 882.0),
        (52, 220.5),
        (70, 441.0 * 2f64.powf(0.5)),
    ] {
        let mut p = pattern("A01");
        p.tracks[0].steps[0] = trig(&[(0, ptch)]);
        let r = run(items(p, 1), 120.0, &s, 1, false);
        let f = frequency(&r.main, 100, 40_000);
        assert!(
            (f - want).abs() < want * 0.002,
            "PTCH {ptch}: {f} Hz, expected {want}"
        );
    }
}

fn ramp(n: usize) -> Arc<Sample> {
    mono((0..n).map(|i| i as f32 / n as f32).collect())
}

#[test]
fn strt_starts_at_its_fraction_and_slices_at_their_first_frame() {
    let n = 8000;
    let s = samples(SlotSound::whole(ramp(n)));
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[(1, 64)]); // half way: frame 4000
    let r = run(items(p, 1), 120.0, &s, 1, false);
    assert_eq!(r.main[0][0], 4000.0 / n as f32);
    assert_eq!(r.main[10][0], 4010.0 / n as f32);

    let mut sound = SlotSound::whole(ramp(n));
    sound.slices = [(0, 1000), (1000, 3000), (3000, 5000), (5000, 7000)]
        .iter()
        .map(|&(start, end)| SampleRegion {
            start,
            end,
            loop_start: None,
        })
        .collect();
    let s = samples(sound);
    for (strt, first, last) in [
        (0u8, 0usize, 999usize),
        (4, 3000, 4999),
        (5, 3000, 4999),
        (127, 5000, 6999),
    ] {
        let mut p = pattern("A01");
        p.part.audio[0].setup[1] = 1; // SLIC ON
        p.tracks[0].steps[0] = trig(&[(1, strt)]);
        let r = run(items(p, 1), 120.0, &s, 1, false);
        assert_eq!(r.main[0][0], first as f32 / n as f32, "STRT {strt}");
        let len = last - first + 1;
        assert_eq!(
            r.main[len - 1][0],
            last as f32 / n as f32,
            "STRT {strt}: last frame"
        );
        assert_eq!(r.main[len][0], 0.0, "STRT {strt}: the slice ends");
    }
}

#[test]
fn reverse_rate_plays_the_frames_backwards() {
    let n = 3000;
    let s = samples(SlotSound::whole(ramp(n)));
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[(3, 0)]); // RATE -64: full speed backwards
    let r = run(items(p, 1), 120.0, &s, 1, false);
    for k in 0..n {
        assert_eq!(r.main[k][0], (n - 1 - k) as f32 / n as f32, "frame {k}");
    }
    assert_eq!(r.main[n][0], 0.0);
    // RATE 0 (stored 64) plays nothing.
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[(3, 64)]);
    let r = run(items(p, 1), 120.0, &s, 1, false);
    assert!(r.main.iter().all(|f| f[0] == 0.0));
}

#[test]
fn retrig_counts_give_that_many_onsets_at_the_retrig_times() {
    let bpm = 120.0;
    let st = step_secs(bpm);
    let s = samples(burst(100));
    // Sequencer repeats: 4 trigs spread over the step.
    let mut p = pattern("A01");
    let mut rep = trig(&[]);
    rep.word.set_repeats(4);
    p.tracks[0].steps[0] = rep;
    let r = run(items(p, 1), bpm, &s, 1, false);
    let got = audible_onsets(&r.main);
    let want: Vec<f64> = (0..4).map(|k| k as f64 * st / 4.0 * SR).collect();
    assert_eq!(got.len(), 4, "{got:?}");
    for (g, w) in got.iter().zip(&want) {
        assert!((*g as f64 - w).abs() <= 1.0, "{g} vs {w}");
    }
    // RTRG 2 (three plays) every RTIM 8 (half a step).
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[(4, 2), (5, 8)]);
    let r = run(items(p, 1), bpm, &s, 1, false);
    let got = audible_onsets(&r.main);
    assert_eq!(got.len(), 3, "{got:?}");
    for (k, g) in got.iter().enumerate() {
        let w = k as f64 * 0.5 * st * SR;
        assert!((*g as f64 - w).abs() <= 1.0, "{g} vs {w}");
    }
    assert_eq!(r.onsets.len(), 3);
}

/// docs/engine.md: an AMP time value v lasts 10 s x (v / 127)^2.
fn env_frames(v: u8) -> f64 {
    (10.0 * (v as f64 / 127.0).powi(2) * SR).round()
}

#[test]
fn amp_attack_hold_release_follow_the_documented_curves() {
    let s = samples(SlotSound::whole(mono(vec![1.0; 44_100])));
    let (atk, hold, rel) = (8u8, 6u8, 10u8);
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[(12, atk), (13, hold), (14, rel)]);
    let r = run(items(p, 1), 60.0, &s, 1, false);
    let (a, h, rl) = (env_frames(atk), env_frames(hold), env_frames(rel));
    let at = |f: f64| r.main[f as usize][0];
    // Linear attack from 0 to 1.
    assert_eq!(at(0.0), 0.0);
    assert!((at(a / 4.0) - 0.25).abs() < 1e-3, "{}", at(a / 4.0));
    assert!((at(a / 2.0) - 0.5).abs() < 1e-3);
    // Flat hold at 1.
    assert!((at(a + h / 2.0) - 1.0).abs() < 1e-6);
    // Linear release to 0, then silence.
    assert!(
        (at(a + h + rl / 2.0) - 0.5).abs() < 1e-3,
        "{}",
        at(a + h + rl / 2.0)
    );
    assert!((at(a + h + rl * 0.75) - 0.25).abs() < 1e-3);
    assert_eq!(at(a + h + rl + 2.0), 0.0);
    // HOLD 127 and REL 127 (the defaults) let the sample play out at full level.
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[]);
    let r = run(items(p, 1), 60.0, &s, 1, false);
    assert_eq!(r.main[40_000][0], 1.0);
}

#[test]
fn volume_and_balance_give_the_documented_gains_per_channel() {
    let s = samples(SlotSound::whole(mono(vec![0.5; 1000])));
    // docs/engine.md: VOL gain (v/64)^2; BAL left (127-v)/63, right v/64 (each at most 1).
    for (vol, bal, l, r) in [
        (64u8, 64u8, 1.0f32, 1.0f32),
        (32, 64, 0.25, 0.25),
        (64, 96, 31.0 / 63.0, 1.0),
        (64, 16, 1.0, 0.25),
        (0, 64, 0.0, 0.0),
    ] {
        let mut p = pattern("A01");
        p.tracks[0].steps[0] = trig(&[(15, vol), (16, bal)]);
        let out = run(items(p, 1), 120.0, &s, 1, false);
        let f = out.main[500];
        assert!(
            (f[0] - 0.5 * l).abs() < 1e-6 && (f[1] - 0.5 * r).abs() < 1e-6,
            "VOL {vol} BAL {bal}: {f:?}"
        );
    }
    // The track level (part volume, v/127) scales both sides.
    let mut p = pattern("A01");
    p.part.audio[0].levels = [108, 108];
    p.tracks[0].steps[0] = trig(&[]);
    let out = run(items(p, 1), 120.0, &s, 1, false);
    assert!((out.main[500][0] - 0.5 * 108.0 / 127.0).abs() < 1e-6);
}

fn rms(x: &[[f32; 2]]) -> f64 {
    (x.iter().map(|f| (f[0] as f64).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
}

#[test]
fn a_filter_lock_moves_the_cutoff() {
    // A 2 kHz sine through FX1 FILTER (BASE 0): WDTH 127 is open; WDTH 60 puts the
    // low-pass at 20 Hz x 1000^(60/127) = 526 Hz (two octaves below: about -24 dB);
    // WDTH 110 puts it at 7.9 kHz (passes); BASE 100 puts a high-pass at 4.4 kHz.
    let s = samples(SlotSound::whole(mono(sine(2000.0, 1.0))));
    let level = |locks: &[(usize, u8)]| {
        let mut p = pattern("A01");
        p.part.audio[0].fx1 = 4;
        p.part.audio[0].values[18..24].copy_from_slice(&[0, 127, 0, 64, 0, 64]);
        p.tracks[0].steps[0] = trig(locks);
        let r = run(items(p, 1), 60.0, &s, 1, false);
        rms(&r.main[20_000..40_000]) / (0.5f64).sqrt()
    };
    let open = level(&[]);
    let low = level(&[(19, 60)]);
    let high = level(&[(19, 110)]);
    let hp = level(&[(18, 100), (19, 27)]);
    assert!((open - 1.0).abs() < 0.01, "open {open}");
    assert!(low < 0.1, "low-passed at 526 Hz: {low}");
    assert!(high > 0.9, "low-passed at 7.9 kHz: {high}");
    assert!(hp < 0.4, "high-passed at 4.4 kHz: {hp}");
}

fn count_onsets(r: &Rendered, track: usize) -> usize {
    r.onsets.iter().filter(|o| o.track == track).count()
}

#[test]
fn conditions_over_many_loops_give_the_right_onset_counts() {
    let s = samples(burst(50));
    let cond = |c: TrigCondition| {
        let mut st = trig(&[]);
        assert!(st.word.set_condition(c));
        st
    };
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = cond(TrigCondition::Fill);
    p.tracks[1].steps[0] = cond(TrigCondition::NotFill);
    p.tracks[2].steps[0] = cond(TrigCondition::Loop { a: 1, b: 2 });
    p.tracks[2].steps[4] = cond(TrigCondition::Pre);
    p.tracks[2].steps[8] = cond(TrigCondition::NotPre);
    p.tracks[3].steps[0] = cond(TrigCondition::Loop { a: 3, b: 4 });
    p.tracks[4].steps[0] = cond(TrigCondition::Probability(50));
    p.tracks[5].steps[0] = cond(TrigCondition::First);
    let loops = 200;
    let r = run(items(p.clone(), loops), 300.0, &s, 7, false);
    assert_eq!(count_onsets(&r, 0), 0, "FILL without fill");
    assert_eq!(count_onsets(&r, 1), 200, "NOT FILL");
    // 1:2 plays on passes 1, 3, ...; PRE follows it; NOT PRE plays on the others.
    assert_eq!(count_onsets(&r, 2), 100 + 100 + 100);
    let t2: Vec<f64> = r
        .onsets
        .iter()
        .filter(|o| o.track == 2)
        .map(|o| o.at)
        .collect();
    let pass = 16.0 * step_secs(300.0);
    assert!((t2[0] - 0.0).abs() < 1e-9 && (t2[1] - 4.0 * step_secs(300.0)).abs() < 1e-9);
    assert!(
        (t2[2] - (pass + 8.0 * step_secs(300.0))).abs() < 1e-9,
        "NOT PRE on pass 2: {t2:?}"
    );
    assert_eq!(count_onsets(&r, 3), 50, "3:4");
    let prob = count_onsets(&r, 4) as f64;
    // Binomial(200, 0.5): mean 100, sd 7.07; five sd either way.
    assert!((prob - 100.0).abs() <= 35.4, "50% gave {prob}");
    assert_eq!(count_onsets(&r, 5), 1, "1ST");
    let r = run(items(p, loops), 300.0, &s, 7, true);
    assert_eq!(count_onsets(&r, 0), 200, "FILL with fill");
    assert_eq!(count_onsets(&r, 1), 0, "NOT FILL with fill");
}

fn marker_pattern(name: &str, step: usize) -> Arc<SeqPattern> {
    let mut p = pattern(name);
    p.tracks[0].steps[step] = trig(&[]);
    Arc::new(p)
}

#[test]
fn chains_and_arrangements_render_their_patterns_in_order() {
    let bpm = 120.0;
    let st = step_secs(bpm);
    let s = samples(burst(50));
    let (a1, a2, a3) = (
        marker_pattern("A01", 0),
        marker_pattern("A02", 1),
        marker_pattern("A03", 2),
    );
    // Chain A01, A03, A02, one pass each: steps 0, 16 + 2, 32 + 1.
    let chain = PlayItem::chain(&[a1.clone(), a3.clone(), a2.clone()], 1);
    let r = run(chain, bpm, &s, 1, false);
    let got: Vec<f64> = r.onsets.iter().map(|o| o.at / st).collect();
    let want = [0.0, 18.0, 33.0];
    assert_eq!(got.len(), 3);
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "{got:?}");
    }
    assert_eq!(r.main.len(), (48.0 * st * SR).round() as usize);
    // Arrangement: A03 twice (REPETITIONS 1), then A02 once: steps 2, 18, 33.
    let mut row1 = PatternRow::new(2);
    row1.repetitions = 1;
    let mut row2 = PatternRow::new(1);
    row2.repetitions = 0;
    let rows = vec![Row::Pattern(row1), Row::Pattern(row2)];
    let play = arrangement_items(&rows, |id| match id {
        1 => Some(a2.clone()),
        2 => Some(a3.clone()),
        _ => None,
    });
    let r = run(play.items, bpm, &s, 1, false);
    let got: Vec<f64> = r.onsets.iter().map(|o| o.at / st).collect();
    let want = [2.0, 18.0, 33.0];
    assert_eq!(got.len(), 3, "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "{got:?}");
    }
}

#[test]
fn the_same_seed_renders_identical_bytes() {
    let s = samples(SlotSound::whole(mono(sine(300.0, 0.2))));
    let mut p = pattern("A01");
    for i in 0..16 {
        let mut st = trig(&[(0, 52 + i as u8)]);
        assert!(st.word.set_condition(TrigCondition::Probability(50)));
        p.tracks[i % 4].steps[i] = st;
    }
    let bytes = |seed| {
        let r = run(items(p.clone(), 8), 140.0, &s, seed, false);
        octa::cli::render::encode_wav(&r.main, octa::cli::render::Bits::I24).unwrap()
    };
    let a = bytes(11);
    assert_eq!(a, bytes(11));
    assert_ne!(a, bytes(12));
}

#[test]
fn local_and_midi_outputs_play_the_same_event_times() {
    let bpm = 133.0;
    let mut p = pattern("A01");
    p.tracks[1].swing_amount = 17;
    p.tracks[3].length = 12;
    p.per_track = true;
    for i in (0..16).step_by(3) {
        let mut st = trig(&[]);
        st.swing = i % 2 == 1;
        st.word = StepWord::default();
        st.word.set_micro_timing(MicroTiming((i as i8) - 7));
        if i % 5 == 0 {
            st.word.set_repeats(3);
        }
        for t in 0..4 {
            p.tracks[t].steps[i] = st;
        }
    }
    let it = items(p, 3);
    let s = samples(burst(10));
    let r = run(it.clone(), bpm, &s, 3, false);
    let mut local: Vec<(u8, i64)> = r
        .onsets
        .iter()
        .map(|o| (o.track as u8, (o.at * 1e9).round() as i64))
        .collect();
    let mut seq = Sequencer::new(it, setup(bpm), 3);
    let mut midi: Vec<(u8, i64)> = seq
        .collect_until(1e6)
        .iter()
        .filter(|m| m.role == MsgRole::NoteOn && m.track < 8)
        .map(|m| (m.track, (m.at * 1e9).round() as i64))
        .collect();
    local.sort();
    midi.sort();
    assert!(!local.is_empty());
    assert_eq!(local, midi);
}

#[test]
fn a_neighbor_track_takes_the_previous_track_through_its_own_gains() {
    let s = samples(SlotSound::whole(mono(vec![0.5; 2000])));
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[]);
    let direct = run(items(p.clone(), 1), 120.0, &s, 1, false);
    assert!((direct.main[1000][0] - 0.5).abs() < 1e-6);
    // T2 as Neighbor at VOL 32 (gain 0.25), BAL 127 (left muted): T1 reaches the main
    // mix only through T2.
    p.part.audio[1].machine = octa::format::MachineType::Neighbor;
    p.part.audio[1].values[15] = 32;
    p.part.audio[1].values[16] = 127;
    let r = run(items(p, 1), 120.0, &s, 1, false);
    assert!(r.main[1000][0].abs() < 1e-6, "{:?}", r.main[1000]);
    assert!((r.main[1000][1] - 0.125).abs() < 1e-6, "{:?}", r.main[1000]);
    assert!((r.stems[0][1000][0] - 0.5).abs() < 1e-6);
}

#[test]
fn the_crossfader_moves_between_scene_a_and_scene_b() {
    let s = samples(SlotSound::whole(mono(vec![0.5; 2000])));
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[]);
    p.part.scene_ab = [2, 5];
    let mut scenes = *p.part.scenes;
    scenes[2][0][15] = 0; // scene A: VOL -64 (silent)
    scenes[5][0][15] = 127; // scene B: VOL +63
    scenes[5][0][17] = 64; // scene B: XLV about half
    p.part.scenes = Arc::new(scenes);
    let level = |fader: Option<u8>| {
        let r = render(
            items(p.clone(), 1),
            setup(120.0),
            &s,
            RenderOptions {
                crossfader: fader,
                ..RenderOptions::default()
            },
        );
        r.main[1000][0]
    };
    // Without the crossfader the part's VOL 64 plays: 0.5.
    assert!((level(None) - 0.5).abs() < 1e-6);
    // Fully on scene A: VOL 0, silence.
    assert_eq!(level(Some(0)), 0.0);
    // Fully on scene B: VOL 127 -> (127/64)^2, XLV 64 -> 64/127.
    let b = 0.5 * (127.0f32 / 64.0).powi(2) * 64.0 / 127.0;
    assert!((level(Some(127)) - b).abs() < 1e-5, "{}", level(Some(127)));
    // Half way (64/127): VOL round(127 x 64/127) = 64 -> unity; XLV round(127 + (64 - 127) x 64/127) = 95.
    let half = 0.5 * 95.0 / 127.0;
    assert!((level(Some(64)) - half).abs() < 1e-5, "{}", level(Some(64)));
}

#[test]
fn a_trigless_trig_changes_the_playing_voice_without_restarting_it() {
    let n = 40_000;
    let s = samples(SlotSound::whole(ramp(n)));
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[]);
    let mut lock = SeqStep {
        trigless: true,
        ..SeqStep::default()
    };
    lock.locks[15] = 32; // VOL: gain 0.25
    p.tracks[0].steps[4] = lock;
    let r = run(items(p, 1), 120.0, &s, 1, false);
    let at = (4.0 * step_secs(120.0) * SR).round() as usize;
    assert_eq!(r.main[at - 1][0], (at - 1) as f32 / n as f32);
    assert_eq!(r.main[at][0], at as f32 / n as f32 * 0.25);
    assert_eq!(r.main[at + 100][0], (at + 100) as f32 / n as f32 * 0.25);
    assert_eq!(r.onsets.len(), 1);
}

#[test]
fn t8_as_master_track_processes_the_mix_and_plays_no_sample() {
    // T1 and T8 trig the same burst; with MASTER_TRACK on, T8 (VOL 32: gain 0.25, BAL
    // 127: left muted) takes T1-T7's sum and is the only track in the main mix.
    let mut p = pattern("A01");
    p.tracks[0].steps[0] = trig(&[]);
    p.tracks[7].steps[2] = trig(&[]);
    p.part.audio[7].values[15] = 32;
    p.part.audio[7].values[16] = 127;
    let s = samples(burst(300));
    let plain = run(items(p.clone(), 1), 120.0, &s, 1, false);
    assert_eq!(plain.onsets.len(), 2, "T1 and T8 both play");
    assert!(
        plain.main[2 * 5512 + 10][1] > 0.1,
        "T8's sample on the right"
    );
    let r = render(
        items(p, 1),
        DeviceSetup {
            master_track: true,
            ..setup(120.0)
        },
        &s,
        RenderOptions::default(),
    );
    assert_eq!(r.onsets.len(), 1, "T8's trig plays no sample as master");
    for (i, (m, t1)) in r.main.iter().zip(&r.stems[0]).take(2000).enumerate() {
        assert_eq!(m[0], 0.0, "frame {i}: BAL 127 mutes the left");
        assert!((m[1] - t1[1] * 0.25).abs() < 1e-7, "frame {i}");
    }
    assert!(r.main[100][1] > 0.1);
}
