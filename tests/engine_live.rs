#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The real-time engine (`engine::live`) driven like a device callback, without a sound
//! card: it renders the same frames as the offline render for the same pattern; edits
//! swap in at the next pass; play from a step, mute and solo; and the callback path
//! never allocates (a counting global allocator in this test binary).

use octa::audio::LiveSource;
use octa::audio::live_rate::Resampled;
use octa::audio::resample::StreamResampler;
use octa::engine::sample::{Sample, Samples, SlotSound};
use octa::engine::stretch::{self, StretchKey, StretchMode};
use octa::engine::{RenderOptions, Song, live_pair, render};
use octa::format::lfo::{LfoDesign, LfoSetup};
use octa::format::slot_attrs::TimeStretch;
use octa::format::{MachineType, MicroTiming};
use octa::seq::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::seq::timeline::{PlayItem, RowOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::f64::consts::PI;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts allocations made on a thread while its `COUNTING` flag is set.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn note_alloc() {
    if COUNTING.with(|c| c.get()) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: forwards to the system allocator; only counts.
#[allow(
    unsafe_code,
    reason = "a counting global allocator needs the unsafe trait"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_alloc();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_alloc();
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_alloc();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` counting the allocations and frees it makes on this thread.
fn counted(f: impl FnOnce()) -> usize {
    let before = ALLOCS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCS.load(Ordering::Relaxed) - before
}

const SR: f64 = 44_100.0;
const BPM: f64 = 125.0;

fn setup() -> DeviceSetup {
    DeviceSetup {
        tempo: BPM,
        ..DeviceSetup::default()
    }
}

fn sine(freq: f64, n: usize) -> Arc<Sample> {
    Arc::new(Sample {
        frames: (0..n)
            .map(|i| {
                let x = (2.0 * PI * freq * i as f64 / SR).sin() as f32 * 0.3;
                [x, x * 0.5]
            })
            .collect(),
        source_rate: 44_100,
    })
}

fn samples() -> Samples {
    let mut s = Samples::default();
    for slot in 0..8u8 {
        s.flex.insert(
            slot,
            SlotSound::whole(sine(
                110.0 * f64::from(slot + 1),
                6000 + 500 * slot as usize,
            )),
        );
    }
    s
}

fn trig(locks: &[(usize, u8)]) -> SeqStep {
    let mut s = SeqStep::trig();
    for &(i, v) in locks {
        s.locks[i] = v;
    }
    s
}

/// Eight busy tracks: trigs on every other step, pitch, filter and retrig locks,
/// micro-timing, a delay with send on T3, T6 as Neighbor of T5, a trigless trig.
fn busy() -> SeqPattern {
    let mut p = SeqPattern::empty("A01");
    for (t, a) in p.part.audio.iter_mut().enumerate() {
        a.setup[0] = 0;
        a.levels = [110, 110];
        a.flex_slot = t as u8;
        a.values[14] = 40; // REL: a fade
        a.values[13] = 30; // HOLD
    }
    p.part.audio[2].values[24..30].copy_from_slice(&[15, 64, 100, 0, 127, 90]);
    // LFOs: T1 VOL (SQR, TRIG), PTCH (TRI, FREE), FX1 BASE (design T2, HOLD); T2 RND on
    // FX1 WDTH and its own design; T3 FX2 TIME (delay) with ONE.
    p.part.audio[0].lfo = LfoSetup {
        target: [15, 0, 18],
        wave: [4, 0, 12],
        mult: [4, 2, 3],
        trig: [1, 0, 2],
    };
    p.part.audio[0].values[6..12].copy_from_slice(&[64, 40, 20, 30, 5, 40]);
    p.part.audio[1].lfo = LfoSetup {
        target: [19, 7, 0],
        wave: [10, 0, 0],
        mult: [5, 0, 0],
        trig: [0, 0, 0],
    };
    p.part.audio[1].values[6..12].copy_from_slice(&[50, 32, 32, 60, 0, 0]);
    p.part.audio[1].lfo_design = LfoDesign {
        steps: [
            0, 40, 80, 127, 80, 40, 0, -40, -80, -127, -80, -40, 0, 20, 0, -20,
        ],
        interp: 0x5555,
    };
    p.part.audio[2].lfo = LfoSetup {
        target: [24, 0, 0],
        wave: [8, 0, 0],
        mult: [3, 0, 0],
        trig: [3, 0, 0],
    };
    p.part.audio[2].values[9] = 10;
    p.part.audio[5].machine = MachineType::Neighbor;
    p.part.audio[5].values[15] = 50;
    for t in 0..8 {
        if t == 5 {
            continue;
        }
        for s in (t % 2..16).step_by(2) {
            let mut st = trig(&[(0, 58 + (s as u8 % 12)), (19, 90 - 3 * s as u8)]);
            if s % 4 == 1 {
                st.locks[4] = 3; // RTRG: 4 plays
                st.locks[5] = 8; // every half step
            }
            if s == 6 {
                st.word.set_micro_timing(MicroTiming(-5));
            }
            p.tracks[t].steps[s] = st;
        }
    }
    let mut tl = SeqStep {
        trigless: true,
        ..SeqStep::default()
    };
    tl.locks[0] = 76;
    p.tracks[0].steps[3] = tl;
    p
}

fn items(p: SeqPattern, passes: Option<u32>) -> Vec<PlayItem> {
    vec![PlayItem {
        pattern: Arc::new(p),
        passes,
        tempo: None,
        row: RowOptions::default(),
    }]
}

#[test]
fn live_callback_renders_the_same_frames_as_the_offline_render() {
    // Once as it is, once with T8 as the master track (it processes T1-T7's mix).
    for master in [false, true] {
        let setup = DeviceSetup {
            master_track: master,
            ..setup()
        };
        let s = samples();
        let off = render(
            items(busy(), Some(2)),
            setup,
            &s,
            RenderOptions {
                seed: 7,
                ..RenderOptions::default()
            },
        );
        assert!(off.main.iter().any(|f| f[0].abs() > 0.01));
        let (mut engine, mut control) = live_pair();
        control.set_samples(samples()).unwrap();
        control
            .play(Song::new(items(busy(), Some(2)), setup, 7, false, 0.0))
            .unwrap();
        let mut live = vec![[0.0f32; 2]; off.main.len()];
        // 256-frame callbacks, the last one short.
        for chunk in live.chunks_mut(256) {
            engine.process_stereo(chunk);
        }
        let worst = off
            .main
            .iter()
            .zip(&live)
            .map(|(a, b)| (a[0] - b[0]).abs().max((a[1] - b[1]).abs()))
            .fold(0.0f32, f32::max);
        assert_eq!(
            worst, 0.0,
            "master {master}: largest difference live/offline"
        );
        // Interleaved output with the device's channel count adds into the buffer.
        let (mut engine, mut control) = live_pair();
        control.set_samples(samples()).unwrap();
        control
            .play(Song::new(items(busy(), Some(2)), setup, 7, false, 0.0))
            .unwrap();
        let mut inter = vec![0.25f32; 2 * 1000];
        engine.process_add(&mut inter, 2);
        for (f, o) in inter.chunks_exact(2).zip(&off.main) {
            assert_eq!(f, [0.25 + o[0], 0.25 + o[1]]);
        }
    }
}

/// Frames where the left channel goes from silence to sound.
fn onsets(x: &[[f32; 2]]) -> Vec<usize> {
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

fn one_trig(step: usize) -> SeqPattern {
    let mut p = SeqPattern::empty("A01");
    for a in p.part.audio.iter_mut() {
        a.setup[0] = 0;
        a.levels = [127, 127];
        a.flex_slot = 0;
    }
    p.tracks[0].steps[step] = SeqStep::trig();
    p
}

fn burst() -> Samples {
    let mut s = Samples::default();
    s.flex.insert(
        0,
        SlotSound::whole(Arc::new(Sample {
            frames: vec![[0.5, 0.5]; 300],
            source_rate: 44_100,
        })),
    );
    s
}

#[test]
fn an_edit_is_heard_from_the_next_pass_without_stopping() {
    let step = (60.0 / BPM / 4.0 * SR).round() as usize; // 5292 frames
    let pass = 16 * step;
    let (mut engine, mut control) = live_pair();
    control.set_samples(burst()).unwrap();
    control
        .play(Song::new(items(one_trig(0), None), setup(), 1, false, 0.0))
        .unwrap();
    let mut out = vec![[0.0f32; 2]; 3 * pass];
    // Half way through the first pass the trig moves to step 5.
    engine.process_stereo(&mut out[..pass / 2]);
    control
        .swap(Song::new(items(one_trig(4), None), setup(), 1, false, 0.0))
        .unwrap();
    for chunk in out[pass / 2..].chunks_mut(256) {
        engine.process_stereo(chunk);
    }
    assert_eq!(
        onsets(&out),
        vec![0, pass + 4 * step, 2 * pass + 4 * step],
        "pass 1 as it was, then the edit"
    );
    assert!(control.status().playing());
    control.stop().unwrap();
    let mut tail = vec![[1.0f32; 2]; 512];
    engine.process_stereo(&mut tail);
    assert!(tail.iter().all(|f| *f == [0.0, 0.0]), "stop is silent");
    assert!(!control.status().playing());
}

#[test]
fn play_from_a_step_mute_and_solo() {
    let step = (60.0 / BPM / 4.0 * SR).round() as usize;
    let mut p = one_trig(4);
    p.tracks[1].steps[8] = SeqStep::trig();
    // From step 4 (its time in seconds): step 5's trig sounds at once, step 9's 4 steps on.
    let from = 4.0 * 60.0 / BPM / 4.0;
    let (mut engine, mut control) = live_pair();
    control.set_samples(burst()).unwrap();
    control
        .play(Song::new(items(p.clone(), None), setup(), 1, false, from))
        .unwrap();
    let mut out = vec![[0.0f32; 2]; 6 * step];
    engine.process_stereo(&mut out);
    assert_eq!(onsets(&out), vec![0, 4 * step]);
    // T1 muted: only T2's trig.
    control.set_mute(0b01).unwrap();
    control
        .play(Song::new(items(p.clone(), None), setup(), 1, false, 0.0))
        .unwrap();
    let mut out = vec![[0.0f32; 2]; 10 * step];
    engine.process_stereo(&mut out);
    assert_eq!(onsets(&out), vec![8 * step]);
    // T1 soloed (the mute no longer matters under a solo): only T1's trig.
    control.set_solo(0b01).unwrap();
    control
        .play(Song::new(items(p, None), setup(), 1, false, 0.0))
        .unwrap();
    let mut out = vec![[0.0f32; 2]; 10 * step];
    engine.process_stereo(&mut out);
    assert_eq!(onsets(&out), vec![4 * step]);
}

#[test]
fn the_callback_path_never_allocates_or_frees() {
    let (mut engine, mut control) = live_pair();
    control.set_samples(samples()).unwrap();
    let mut buf = vec![0.0f32; 2 * 256];
    let mut callback = |engine: &mut octa::engine::LiveEngine, n: usize| {
        counted(|| {
            for _ in 0..n {
                engine.process_add(&mut buf, 2);
            }
        })
    };
    // Idle, then playing the busy pattern for 20 s of callbacks.
    assert_eq!(callback(&mut engine, 10), 0, "idle");
    control
        .play(Song::new(items(busy(), None), setup(), 3, false, 0.0))
        .unwrap();
    assert_eq!(callback(&mut engine, 3445), 0, "playing");
    // An edit swapped in at the next pass, mutes, solo, crossfader, an audition.
    control
        .swap(Song::new(items(busy(), None), setup(), 4, true, 0.0))
        .unwrap();
    control.set_mute(0b100).unwrap();
    control.set_solo(0b11).unwrap();
    control.set_crossfader(Some(64)).unwrap();
    control
        .audition(Song::new(
            items(one_trig(0), Some(1)),
            setup(),
            1,
            false,
            0.0,
        ))
        .unwrap();
    assert_eq!(callback(&mut engine, 3445), 0, "swap, mute, solo, audition");
    // New samples, play from a step (the old song is retired, not freed here), stop.
    control.set_samples(samples()).unwrap();
    control
        .play(Song::new(items(busy(), None), setup(), 3, false, 1.0))
        .unwrap();
    assert_eq!(
        callback(&mut engine, 500),
        0,
        "new samples, play from a step"
    );
    control.stop().unwrap();
    assert_eq!(callback(&mut engine, 10), 0, "stop");
    // A chain of two patterns played to its end.
    let chain = PlayItem::chain(&[Arc::new(busy()), Arc::new(one_trig(3))], 1);
    control
        .play(Song::new(chain, setup(), 3, false, 0.0))
        .unwrap();
    assert_eq!(callback(&mut engine, 1000), 0, "a chain to its end");
    assert!(!control.status().playing(), "the chain ended");
    assert_eq!(control.status().dropped(), 0);
    // The retired songs and samples came back to be freed here.
    let freed = counted(|| control.collect());
    assert!(freed > 0, "retired songs are freed on the control side");
    // An output at 48 kHz: the engine through the real-time resampler, 20 s of callbacks,
    // playing time-stretched copies; then a new stretched set while voices still hold the
    // old copies (which the control side keeps alive: never freed in the callback).
    let (engine, mut control) = live_pair();
    control.set_samples(stretched_samples()).unwrap();
    let mut at48 = Resampled::new(Box::new(engine), 44_100, 48_000).unwrap();
    control
        .play(Song::new(items(busy(), None), setup(), 3, false, 0.0))
        .unwrap();
    let mut run48 = |n: usize| {
        counted(|| {
            for _ in 0..n {
                at48.process_add(&mut buf, 2);
            }
        })
    };
    assert_eq!(run48(3750), 0, "playing through the 48 kHz resampler");
    control.set_samples(stretched_samples()).unwrap();
    assert_eq!(run48(1), 0, "the new set swapped in");
    let freed = counted(|| control.collect());
    assert!(freed > 0, "the old set is freed on the control side");
    assert_eq!(run48(500), 0, "voices of the old set end");
}

/// [`samples`] with TSMODE NORMAL and their stretched copies for the song's tempo (the
/// slots' tempo is 120 BPM, the song's 125).
fn stretched_samples() -> Samples {
    let mut s = samples();
    let key = StretchKey {
        tempo_x24: stretch::tempo_key(BPM),
        mode: StretchMode::Normal,
        tsns: 64,
    };
    for sound in s.flex.values_mut() {
        sound.time_stretch = TimeStretch::Normal;
        sound.tempo = 120.0;
        stretch::prepare(sound, &[key].into_iter().collect());
        assert_eq!(sound.stretched.len(), 1);
    }
    s
}

#[test]
fn the_48k_output_is_the_44k_render_resampled() {
    let song = || Song::new(items(busy(), Some(1)), setup(), 3, false, 0.0);
    // The reference: the engine at 44.1 kHz, converted offline (audio::resample).
    let (mut engine, mut control) = live_pair();
    control.set_samples(samples()).unwrap();
    control.play(song()).unwrap();
    let mut at44 = vec![[0.0f32; 2]; 44_100];
    engine.process_stereo(&mut at44);
    let flat: Vec<f32> = at44.iter().flatten().copied().collect();
    let mut r = StreamResampler::new(48_000.0 / 44_100.0, 2).unwrap();
    let mut reference = Vec::new();
    r.process(&flat, &mut reference).unwrap();
    r.finish(&mut reference).unwrap();
    assert_eq!(reference.len(), 2 * 48_000);
    // The live path: the same song through the real-time resampler in 480-frame buffers.
    let (engine, mut control) = live_pair();
    control.set_samples(samples()).unwrap();
    control.play(song()).unwrap();
    let mut at48 = Resampled::new(Box::new(engine), 44_100, 48_000).unwrap();
    let mut live = vec![0.0f32; 2 * 48_000];
    for c in live.chunks_mut(2 * 480) {
        at48.process_add(c, 2);
    }
    // The same frames (the end is left out: the offline flush pads with silence).
    let peak = reference.iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!(peak > 0.1, "{peak}");
    let worst = reference[..2 * 47_000]
        .iter()
        .zip(&live[..2 * 47_000])
        .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(worst < 1e-4 * peak.max(1.0), "largest difference {worst}");
    // A sine keeps its frequency: T1's first note (110 Hz at PTCH 58 = -6 st) is in both.
    let zc = |x: &[f32], rate: f64| {
        let ups: Vec<f64> = x
            .chunks_exact(2)
            .map(|f| f[0])
            .collect::<Vec<_>>()
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
            .map(|(i, w)| i as f64 + f64::from(-w[0] / (w[1] - w[0])))
            .collect();
        (ups.len() - 1) as f64 / (ups[ups.len() - 1] - ups[0]) * rate
    };
    // Step 0 of T1 alone sounds for the first 1/16 (T2 starts on step 1, 0.12 s).
    let f44 = zc(&flat[2 * 500..2 * 4_500], 44_100.0);
    let f48 = zc(&live[2 * 545..2 * 4_897], 48_000.0);
    assert!(
        (f44 - f48).abs() < 0.01 * f44,
        "{f44} Hz at 44.1 kHz, {f48} Hz at 48 kHz"
    );
}
