#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Offline render speed of the local sample engine: a 16-step pattern at 120 BPM with all
//! 8 audio tracks busy (Flex samples, a trig on every step, retrigs, PTCH locks, FX1
//! FILTER and FX2 EQ on every track), rendered 8 passes (16 s of audio).
//!
//! Run: `cargo bench --bench engine`. Prints the speed as a multiple of real time.
//!
//! Then the real-time path (`engine::live`) without a device: the pattern looped (FX2 a
//! PLATE REVERB on T1-T4, a DELAY on T5-T8) for 60 s of simulated time, calling the
//! callback function with 256-frame buffers back to back; prints the CPU share of one core (thread CPU time over audio time), the worst
//! buffer, the buffers that took longer than their own duration (underruns), and the time
//! from play to first sound.
//!
//! First, the time-stretch precompute of an 8 s loop and the 48 kHz output resampler's
//! CPU share.

use criterion::{Criterion, criterion_group, criterion_main};
use octa::engine::sample::{Sample, Samples, SlotSound};
use octa::engine::{RenderOptions, Song, live_pair, render};
use octa::seq::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::seq::timeline::{PlayItem, RowOptions};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

const PASSES: u32 = 8;

fn samples() -> Samples {
    let mut s = Samples::default();
    for slot in 0..8u8 {
        // One second of a decaying two-partial tone per slot, stereo.
        let f = 110.0 * f64::from(slot + 1);
        let frames = (0..44_100)
            .map(|i| {
                let t = f64::from(i) / 44_100.0;
                let x = ((2.0 * std::f64::consts::PI * f * t).sin() * 0.6
                    + (2.0 * std::f64::consts::PI * f * 2.7 * t).sin() * 0.3)
                    * (-3.0 * t).exp();
                [x as f32, (x * 0.9) as f32]
            })
            .collect();
        let sample = Arc::new(Sample {
            frames,
            source_rate: 44_100,
        });
        s.flex.insert(slot, SlotSound::whole(sample));
    }
    s
}

fn busy() -> Vec<PlayItem> {
    let mut p = SeqPattern::empty("A01");
    for t in 0..8 {
        let a = &mut p.part.audio[t];
        a.flex_slot = t as u8;
        a.fx1 = 4; // FILTER: high-pass at BASE, low-pass at BASE + WDTH
        a.values[18..24].copy_from_slice(&[20, 80, 40, 64, 0, 64]);
        a.fx2 = 12; // EQ: two peaking bands
        a.values[24..30].copy_from_slice(&[40, 80, 30, 90, 50, 40]);
        for step in 0..16 {
            let mut s = SeqStep::trig();
            s.locks[0] = 58 + ((step * 3 + t) % 12) as u8; // PTCH
            s.locks[19] = 40 + (step * 5 % 60) as u8; // filter WDTH lock
            if step % 4 == 3 {
                s.word.set_repeats(4);
            }
            if step % 8 == 5 {
                s.locks[4] = 3; // RTRG: 4 plays
                s.locks[5] = 4; // RTIM: a quarter step
            }
            p.tracks[t].steps[step] = s;
        }
    }
    vec![PlayItem {
        pattern: Arc::new(p),
        passes: Some(PASSES),
        tempo: None,
        row: RowOptions::default(),
    }]
}

/// CPU seconds used by the calling thread.
fn thread_cpu_secs() -> f64 {
    #[cfg(target_os = "linux")]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes into the timespec we own.
        #[allow(unsafe_code, reason = "per-thread CPU time has no safe std API")]
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
        if ok {
            return ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9;
        }
    }
    0.0
}

/// The busy pattern looped, with FX2 a PLATE REVERB (MIX 64) on T1-T4 and a DELAY (SEND
/// on) on T5-T8 instead of the EQ.
fn busy_live() -> Vec<PlayItem> {
    let mut items = busy();
    let mut p = (*items[0].pattern).clone();
    for (t, a) in p.part.audio.iter_mut().enumerate() {
        if t < 4 {
            a.fx2 = 20;
            a.values[24..30].copy_from_slice(&[90, 40, 127, 10, 110, 64]);
        } else {
            a.fx2 = 8;
            a.values[24..30].copy_from_slice(&[23, 60, 90, 0, 127, 80]);
        }
    }
    items[0].pattern = Arc::new(p);
    items[0].passes = None;
    items
}

const BUFFER: usize = 256;

fn realtime() {
    let period = BUFFER as f64 / 44_100.0;
    let (mut engine, mut control) = live_pair();
    control.set_samples(samples()).unwrap();
    let setup = DeviceSetup::default();
    control
        .play(Song::new(busy_live(), setup, 1, false, 0.0))
        .unwrap();
    let mut buf = vec![0.0f32; 2 * BUFFER];
    let calls = (60.0 / period).ceil() as usize;
    let (mut underruns, mut worst) = (0usize, 0.0f64);
    // The same on the thread's CPU clock: a buffer over its duration in CPU time is the
    // engine's own fault; one over it only in wall time was preempted (shared machine).
    let (mut cpu_over, mut worst_cpu) = (0usize, 0.0f64);
    let cpu0 = thread_cpu_secs();
    let wall0 = Instant::now();
    for _ in 0..calls {
        let t = Instant::now();
        let c = thread_cpu_secs();
        buf.fill(0.0);
        engine.process_add(&mut buf, 2);
        let dc = thread_cpu_secs() - c;
        let d = t.elapsed().as_secs_f64();
        worst_cpu = worst_cpu.max(dc);
        if dc > period {
            cpu_over += 1;
        }
        worst = worst.max(d);
        if d > period {
            underruns += 1;
        }
    }
    let cpu = thread_cpu_secs() - cpu0;
    let wall = wall0.elapsed().as_secs_f64();
    let audio = calls as f64 * period;
    println!(
        "engine live: {audio:.1} s simulated in {calls} buffers of {BUFFER} frames: {:.2} % of one core (thread CPU {cpu:.3} s; wall {wall:.3} s = {:.2} %), worst buffer {:.3} ms wall / {:.3} ms CPU of {:.3} ms, buffers over their duration: {underruns} in wall time, {cpu_over} in CPU time; dropped starts {}",
        100.0 * cpu / audio,
        100.0 * wall / audio,
        worst * 1e3,
        worst_cpu * 1e3,
        period * 1e3,
        control.status().dropped()
    );
    // Time to first sound: preparing the song on the control side, the command reaching
    // the next callback (at worst one period later), the rendering up to the first
    // non-silent frame, and that buffer playing out (one period).
    let mut worst_first = 0.0f64;
    for _ in 0..5 {
        let (mut engine, mut control) = live_pair();
        control.set_samples(samples()).unwrap();
        engine.process_add(&mut buf, 2);
        let t = Instant::now();
        control
            .play(Song::new(busy_live(), setup, 1, false, 0.0))
            .unwrap();
        let start_frame = engine.frame();
        // The play command is taken by the next callback.
        buf.fill(0.0);
        engine.process_add(&mut buf, 2);
        let mut k = 0;
        while engine.first_sound_frame().is_none() && k < 100 {
            buf.fill(0.0);
            engine.process_add(&mut buf, 2);
            k += 1;
        }
        let work = t.elapsed().as_secs_f64();
        let at = engine.first_sound_frame().unwrap() as f64 - start_frame as f64;
        let first = work + period + at / 44_100.0 + period;
        worst_first = worst_first.max(first);
    }
    println!(
        "engine live: time from play to first sound at most {:.2} ms (prepare + render {BUFFER}-frame buffers to the first sound, plus one period waiting for the callback and one playing the buffer)",
        worst_first * 1e3
    );
}

/// The time-stretch precompute (done by the loader on a worker): an 8 s stereo loop at
/// 120 BPM stretched to 140 BPM with NORMAL and BEAT (TSNS 64); and the real-time resampler
/// for a 48 kHz output: the live engine's busy pattern through it, CPU share of one core.
fn stretch_and_resample() {
    use octa::engine::stretch::{StretchMode, stretch_sample};
    let n = 8 * 44_100;
    let sample = Sample {
        frames: (0..n)
            .map(|i| {
                let t = i as f64 / 44_100.0;
                let beat = (t * 2.0).fract();
                let x = (2.0 * std::f64::consts::PI * 220.0 * t).sin() * (-beat * 8.0).exp();
                [x as f32, (x * 0.7) as f32]
            })
            .collect(),
        source_rate: 44_100,
    };
    for mode in [StretchMode::Normal, StretchMode::Beat] {
        let cpu0 = thread_cpu_secs();
        let out = black_box(stretch_sample(&sample, 120.0 / 140.0, mode, 64));
        let cpu = thread_cpu_secs() - cpu0;
        println!(
            "stretch {mode:?}: 8 s stereo, 120 -> 140 BPM ({} frames) in {cpu:.3} s CPU = {:.0}x real time",
            out.frames.len(),
            8.0 / cpu.max(1e-9)
        );
    }
    let (engine, mut control) = live_pair();
    control.set_samples(samples()).unwrap();
    control
        .play(Song::new(
            busy_live(),
            DeviceSetup::default(),
            1,
            false,
            0.0,
        ))
        .unwrap();
    let mut at48 =
        octa::audio::live_rate::Resampled::new(Box::new(engine), 44_100, 48_000).unwrap();
    let mut buf = vec![0.0f32; 2 * 256];
    let calls = 60 * 48_000 / 256;
    let cpu0 = thread_cpu_secs();
    for _ in 0..calls {
        buf.fill(0.0);
        octa::audio::LiveSource::process_add(&mut at48, &mut buf, 2);
    }
    let cpu = thread_cpu_secs() - cpu0;
    println!(
        "engine live at 48 kHz (resampled): {:.2} % of one core at 256 frames (thread CPU {cpu:.2} s for 60 s)",
        cpu / 60.0 * 100.0
    );
}

fn benches(c: &mut Criterion) {
    octa::memory::keep_freed_memory();
    stretch_and_resample();
    realtime();
    let s = samples();
    let items = busy();
    let setup = DeviceSetup::default();
    // Timed runs for the headline figures: wall clock, and this thread's CPU time (the
    // speed on one core, whatever else the machine runs).
    for _ in 0..3 {
        let cpu0 = thread_cpu_secs();
        let start = Instant::now();
        let r = render(items.clone(), setup, &s, RenderOptions::default());
        let secs = start.elapsed().as_secs_f64();
        let cpu = thread_cpu_secs() - cpu0;
        let audio = r.main.len() as f64 / 44_100.0;
        println!(
            "engine: {audio:.1} s of audio (8 busy tracks, {} onsets) rendered in {secs:.3} s wall = {:.0}x real time; {cpu:.3} s CPU = {:.0}x real time on one core",
            r.onsets.len(),
            audio / secs,
            audio / cpu.max(1e-9)
        );
    }
    c.bench_function("render 16 s, 8 busy tracks", |b| {
        b.iter(|| black_box(render(items.clone(), setup, &s, RenderOptions::default())))
    });
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(engine);
