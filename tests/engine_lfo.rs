#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! LFOs 1-3 in the local engine, rendered to memory and analysed: a square LFO on VOL
//! alternates the level at the period SPD x MULT gives at the tempo, one on PTCH moves a
//! sine's frequency, TRIG restarts the phase at each trig and FREE does not, ONE and HALF
//! stop after one and half a cycle, a custom design's 16 values show in the level, and a
//! depth of 0 leaves the render bit-identical. Expected values come from the rules in
//! docs/engine.md (LFOs): one cycle lasts 2048 / (SPD x MULT) steps; the offset is the
//! waveform (−1..1) x DEP knob steps; VOL gain (v/64)^2.

use octa::engine::sample::{Sample, Samples, SlotSound};
use octa::engine::{RenderOptions, Rendered, render};
use octa::format::lfo::{LfoDesign, LfoSetup};
use octa::seq::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::seq::timeline::{PlayItem, RowOptions};
use std::f64::consts::PI;
use std::sync::Arc;

const SR: f64 = 44_100.0;
/// One step at 120 BPM, in frames.
const STEP: f64 = SR * 60.0 / 120.0 / 4.0;
const DC: f32 = 0.25;

fn mono(frames: Vec<f32>) -> Arc<Sample> {
    Arc::new(Sample {
        frames: frames.into_iter().map(|x| [x, x]).collect(),
        source_rate: 44_100,
    })
}

fn samples(frames: Vec<f32>) -> Samples {
    let mut s = Samples::default();
    s.flex.insert(0, SlotSound::whole(mono(frames)));
    s
}

/// A pattern whose track 1 plays slot 1 at unity gain, no loop, with LFO 1 set to
/// `target`, `wave`, multiplier code `mult`, trig mode `trig`, SPD `spd` and DEP `dep`.
fn pattern(target: u8, wave: u8, mult: u8, trig: u8, spd: u8, dep: u8) -> SeqPattern {
    let mut p = SeqPattern::empty("A01");
    let a = &mut p.part.audio[0];
    a.setup[0] = 0;
    a.levels = [127, 127];
    a.flex_slot = 0;
    a.lfo = LfoSetup {
        target: [target, 0, 0],
        wave: [wave, 0, 0],
        mult: [mult, 0, 0],
        trig: [trig, 0, 0],
    };
    a.values[6] = spd;
    a.values[9] = dep;
    p.tracks[0].steps[0] = SeqStep::trig();
    p
}

fn run(p: SeqPattern, s: &Samples) -> Rendered {
    let items = vec![PlayItem {
        pattern: Arc::new(p),
        passes: Some(1),
        tempo: None,
        row: RowOptions::default(),
    }];
    let setup = DeviceSetup {
        tempo: 120.0,
        ..DeviceSetup::default()
    };
    render(items, setup, s, RenderOptions::default())
}

/// The level a DC sample of `DC` plays at with VOL `v` (the documented law).
fn level(v: f64) -> f64 {
    f64::from(DC) * (v / 64.0).powi(2)
}

fn close(got: f32, want: f64, rel: f64) -> bool {
    (f64::from(got) - want).abs() <= want.abs() * rel + 1e-6
}

#[test]
fn a_square_lfo_on_vol_alternates_the_level_at_its_period() {
    let s = samples(vec![DC; 3 * 44_100]);
    // SPD 64 x MULT 16X (code 4): 2048 / 1024 = 2 steps a cycle = 11025 frames at 120 BPM.
    let r = run(pattern(15, 4, 4, 0, 64, 32), &s);
    let half = STEP;
    let (hi, lo) = (level(96.0), level(32.0));
    for k in 0..12 {
        let mid = (k as f64 * half + half / 2.0) as usize;
        let want = if k % 2 == 0 { hi } else { lo };
        assert!(
            close(r.main[mid][0], want, 1e-4) && close(r.main[mid][1], want, 1e-4),
            "half-cycle {k}: {:?}, expected {want}",
            r.main[mid]
        );
    }
    // Each change lands within one control period (32 frames) of its time.
    for k in 1..12 {
        let at = k as f64 * half;
        let from = (at - 200.0) as usize;
        let before = r.main[from][0];
        let switch = (from..from + 400)
            .find(|&i| (r.main[i][0] - before).abs() > 1e-4)
            .expect("a change");
        assert!(
            (switch as f64 - at).abs() <= 32.0,
            "change {k} at {switch}, expected {at}"
        );
    }
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
fn a_square_lfo_on_ptch_moves_the_frequency_of_a_sine() {
    let s = samples(sine(441.0, 5.0));
    // DEP 12: PTCH 64 + 12 = +12 semitones in the first half, −12 in the second.
    let r = run(pattern(0, 4, 4, 0, 64, 12), &s);
    for k in 0..8 {
        let from = (k as f64 * STEP) as usize + 400;
        let to = ((k + 1) as f64 * STEP) as usize - 400;
        let want = if k % 2 == 0 { 882.0 } else { 220.5 };
        let f = frequency(&r.main, from, to);
        assert!(
            (f - want).abs() < want * 0.01,
            "half-cycle {k}: {f} Hz, expected {want}"
        );
    }
}

#[test]
fn trig_restarts_the_phase_at_each_trig_and_free_does_not() {
    let s = samples(vec![DC; 5 * 44_100]);
    // TRI, SPD 32 x MULT 4X (code 2): one cycle every 16 steps; trigs on steps 1 and 6.
    let two_trigs = |mode: u8| {
        let mut p = pattern(15, 0, 2, mode, 32, 32);
        p.tracks[0].steps[5] = SeqStep::trig();
        run(p, &s)
    };
    let t1 = (5.0 * STEP).round() as usize;
    let cycle = 16.0 * STEP;
    let tri = |p: f64| {
        let p = p.fract();
        if p < 0.25 {
            4.0 * p
        } else if p < 0.75 {
            2.0 - 4.0 * p
        } else {
            4.0 * p - 4.0
        }
    };
    let trig = two_trigs(1);
    let free = two_trigs(0);
    for d in [5_000usize, 11_000, 20_000, 26_000] {
        // TRIG: after the second trig the level retraces the first trig's curve.
        let want = level(64.0 + 32.0 * tri(d as f64 / cycle));
        assert!(
            close(trig.main[d][0], want, 0.01) && close(trig.main[t1 + d][0], want, 0.01),
            "TRIG at +{d}: {} / {}, expected {want}",
            trig.main[d][0],
            trig.main[t1 + d][0]
        );
        // FREE: the phase runs on from the start of the song.
        let want_free = level(64.0 + 32.0 * tri((t1 + d) as f64 / cycle));
        assert!(
            close(free.main[t1 + d][0], want_free, 0.01),
            "FREE at {}: {}, expected {want_free}",
            t1 + d,
            free.main[t1 + d][0]
        );
        assert!((f64::from(free.main[t1 + d][0]) - want).abs() > want * 0.1);
    }
}

#[test]
fn one_and_half_stop_after_one_and_half_a_cycle() {
    let s = samples(vec![DC; 3 * 44_100]);
    // RMP (code 8, 0 -> 1), two steps a cycle: ONE ends at the top, HALF half-way.
    for (mode, end) in [(3u8, 96.0), (4, 80.0)] {
        let r = run(pattern(15, 8, 4, mode, 64, 32), &s);
        let quarter = (STEP / 2.0) as usize;
        assert!(
            close(r.main[quarter][0], level(64.0 + 32.0 * 0.25), 0.01),
            "mode {mode} during the cycle: {}",
            r.main[quarter][0]
        );
        for at in [3.0 * STEP, 7.0 * STEP, 12.0 * STEP] {
            let got = r.main[at as usize][0];
            assert!(
                close(got, level(end), 1e-4),
                "mode {mode} at {at}: {got}, expected {}",
                level(end)
            );
        }
    }
}

#[test]
fn a_custom_design_shows_its_16_values_in_the_level() {
    let s = samples(vec![DC; 5 * 44_100]);
    let steps: [i8; 16] = [
        0, 32, 64, 96, 127, 96, 64, 32, 0, -32, -64, -96, -127, -96, -64, -32,
    ];
    // Design of track 3 (wave T3 = code 13) on track 1; step 3 glides to step 4.
    let mut p = pattern(15, 13, 2, 0, 32, 32);
    p.part.audio[2].lfo_design = LfoDesign {
        steps,
        interp: 1 << 2,
    };
    let r = run(p, &s);
    // One cycle = 16 steps, so each design value lasts one sequencer step.
    for (i, &s) in steps.iter().enumerate() {
        let mid = (i as f64 * STEP + STEP / 2.0) as usize;
        let v = if i == 2 {
            (64.0 + 96.0) / 2.0 // half-way along the glide
        } else {
            f64::from(s)
        };
        let want = level(64.0 + 32.0 * v / 127.0);
        assert!(
            close(r.main[mid][0], want, 0.002),
            "design step {}: {}, expected {want}",
            i + 1,
            r.main[mid][0]
        );
    }
}

#[test]
fn an_lfo_on_strt_moves_each_trigs_start_point() {
    // A ramp: frame i holds i / n, so a voice's first frame tells its start point.
    let n = 200_000usize;
    let s = samples((0..n).map(|i| i as f32 / n as f32).collect());
    // SQR, two steps a cycle, DEP 32 around STRT 64: +1 on step 1 (STRT 96, start 3/4 of
    // the sample), -1 on step 2 (STRT 32, start 1/4).
    let mut p = pattern(1, 4, 4, 0, 64, 32);
    p.part.audio[0].values[1] = 64;
    p.tracks[0].steps[1] = SeqStep::trig();
    let r = run(p, &s);
    let t1 = STEP.round() as usize;
    for (frame, fraction) in [(0usize, 0.75), (t1, 0.25)] {
        let want = (fraction * n as f64).floor() / n as f64;
        assert!(
            close(r.main[frame][0], want, 1e-4),
            "trig at {frame}: {}, expected {want}",
            r.main[frame][0]
        );
    }
}

#[test]
fn zero_depth_renders_bit_identically_to_no_lfo() {
    let s = samples(sine(441.0, 3.0));
    let plain = {
        let mut p = pattern(0, 0, 0, 0, 32, 0);
        p.part.audio[0].lfo = LfoSetup::default();
        p.part.audio[0].values[18..24].copy_from_slice(&[10, 90, 40, 64, 0, 64]);
        p.tracks[0].steps[4] = SeqStep::trig();
        run(p, &s)
    };
    let mut p = pattern(18, 4, 6, 1, 127, 0);
    p.part.audio[0].lfo = LfoSetup {
        target: [18, 15, 0],
        wave: [4, 10, 11],
        mult: [6, 5, 3],
        trig: [1, 2, 0],
    };
    p.part.audio[0].values[6..12].copy_from_slice(&[127, 90, 50, 0, 0, 0]);
    p.part.audio[0].values[18..24].copy_from_slice(&[10, 90, 40, 64, 0, 64]);
    p.tracks[0].steps[4] = SeqStep::trig();
    let with = run(p, &s);
    assert_eq!(plain.main.len(), with.main.len());
    assert!(plain.main == with.main, "DEP 0 changed the render");
    // And a depth does change it (the comparison can fail).
    let mut p = pattern(18, 4, 6, 1, 127, 20);
    p.part.audio[0].values[18..24].copy_from_slice(&[10, 90, 40, 64, 0, 64]);
    p.tracks[0].steps[4] = SeqStep::trig();
    assert!(run(p, &s).main != plain.main);
}
