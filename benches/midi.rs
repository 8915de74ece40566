#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Scheduler output timing on a loopback transport: 300 BPM, 16 busy tracks.
//!
//! Run: `cargo bench --bench midi`. Prints jitter (send time minus ideal time) percentiles,
//! the CPU time of the engine thread while playing, and the pure render throughput.

use octa::format::{MicroTiming, StepWord};
use octa::midi::engine::{EngineEvent, EngineOptions, MidiEngine};
use octa::midi::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::midi::scheduler::{PlayItem, RowOptions, Sequencer};
use octa::midi::transport::{
    ChannelIn, ChannelOut, MidiError, MidiIn, MidiOut, MidiSystem, channel_pair,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A system with one loopback port; messages are stamped when sent.
struct Loopback {
    out: Option<ChannelOut>,
}

impl MidiSystem for Loopback {
    fn outputs(&self) -> Result<Vec<String>, MidiError> {
        Ok(vec!["loopback".into()])
    }
    fn inputs(&self) -> Result<Vec<String>, MidiError> {
        Ok(vec![])
    }
    fn open_out(&mut self, name: &str) -> Result<Box<dyn MidiOut>, MidiError> {
        self.out
            .take()
            .map(|o| Box::new(o) as Box<dyn MidiOut>)
            .ok_or_else(|| MidiError::NoSuchPort(name.into()))
    }
    fn open_in(&mut self, name: &str) -> Result<Box<dyn MidiIn>, MidiError> {
        Err(MidiError::NoSuchPort(name.into()))
    }
}

/// 16 tracks with a trig on every step, two p-locks each, swing and micro-timing on some.
fn busy_pattern() -> SeqPattern {
    let mut p = SeqPattern::empty("A01");
    for (t, track) in p.tracks.iter_mut().enumerate() {
        track.swing_amount = 12;
        for (s, step) in track.steps.iter_mut().enumerate().take(16) {
            let mut st = SeqStep::trig();
            st.swing = s % 2 == 1;
            if t < 8 {
                st.locks[3] = (s * 8) as u8; // RATE -> CC 19
                st.locks[18] = 100; // FX1 -> CC 34
            } else {
                st.locks[0] = 48 + s as u8;
                st.locks[20] = 64; // CC1
            }
            let mut w = StepWord::default();
            w.set_micro_timing(MicroTiming(((s as i8 * 5 + t as i8) % 24) - 12));
            if s % 4 == 3 {
                w.set_repeats(2);
            }
            st.word = w;
            *step = st;
        }
    }
    p
}

fn thread_runtime_ns(name: &str) -> Option<u64> {
    for e in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        if comm.trim() == name {
            let s = std::fs::read_to_string(e.path().join("schedstat")).ok()?;
            return s.split_whitespace().next()?.parse().ok();
        }
    }
    None
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let bpm = 300.0;
    let passes = 10;
    let setup = DeviceSetup {
        tempo: bpm,
        ..DeviceSetup::default()
    };
    let items = vec![PlayItem {
        pattern: Arc::new(busy_pattern()),
        passes: Some(passes),
        tempo: None,
        row: RowOptions::default(),
    }];

    // Ideal schedule from the same sequencer on a virtual clock.
    let mut ideal = Sequencer::new(items.clone(), setup, 7);
    let ideal: Vec<(f64, Vec<u8>)> = ideal
        .collect_until(1e9)
        .into_iter()
        .map(|m| (m.at, m.msg.as_bytes().to_vec()))
        .collect();

    // Pure render throughput.
    let t = Instant::now();
    let mut n = 0usize;
    for _ in 0..20 {
        let mut s = Sequencer::new(items.clone(), setup, 7);
        n += s.collect_until(1e9).len();
    }
    let render = t.elapsed().as_secs_f64();
    println!(
        "render: {n} messages in {:.1} ms ({:.2} M messages/s)",
        render * 1e3,
        n as f64 / render / 1e6
    );

    for realtime in [false, true] {
        playback(&items, &ideal, setup, realtime);
    }
}

fn playback(items: &[PlayItem], ideal: &[(f64, Vec<u8>)], setup: DeviceSetup, realtime: bool) {
    let (out, mut inp): (ChannelOut, ChannelIn) = channel_pair("loopback");
    let engine = MidiEngine::start(
        Box::new(Loopback { out: Some(out) }),
        EngineOptions {
            setup,
            seed: 7,
            realtime,
            ..EngineOptions::default()
        },
    );
    std::thread::sleep(Duration::from_millis(50));
    let cpu0 = thread_runtime_ns("octa-midi").unwrap_or(0);
    let wall0 = Instant::now();
    engine.play(items.to_vec());
    let mut start = None;
    loop {
        match engine.wait_event(Duration::from_secs(30)) {
            Some(EngineEvent::Started { at }) => start = Some(at),
            Some(EngineEvent::Stopped) | None => break,
            _ => {}
        }
    }
    let wall = wall0.elapsed().as_secs_f64();
    let got_rt = engine.status().realtime;
    let cpu = thread_runtime_ns("octa-midi")
        .unwrap_or(0)
        .saturating_sub(cpu0) as f64
        * 1e-9;
    drop(engine);
    let Some(start) = start else {
        eprintln!("playback did not start");
        return;
    };
    let mut got = Vec::new();
    while let Ok(Some(m)) = inp.recv_timeout(Duration::from_millis(10)) {
        got.push(m);
    }
    let matched = got.len().min(ideal.len());
    let mut late: Vec<f64> = Vec::with_capacity(matched);
    let mut mismatched = 0;
    for (m, (at, bytes)) in got.iter().zip(ideal) {
        if &m.bytes != bytes {
            mismatched += 1;
            continue;
        }
        let sent = m.at.saturating_duration_since(start).as_secs_f64()
            - start.saturating_duration_since(m.at).as_secs_f64();
        late.push((sent - at) * 1e3);
    }
    let mut abs: Vec<f64> = late.iter().map(|x| x.abs()).collect();
    abs.sort_by(f64::total_cmp);
    late.sort_by(f64::total_cmp);
    println!(
        "playback (real-time priority requested {realtime}, granted {got_rt}): 300 BPM, 16 busy tracks: {} messages sent, {} expected, {mismatched} out of order",
        got.len(),
        ideal.len()
    );
    println!(
        "jitter |sent - ideal| ms: p50 {:.3}  p99 {:.3}  max {:.3}  (signed min {:.3} max {:.3})",
        percentile(&abs, 0.5),
        percentile(&abs, 0.99),
        abs.last().copied().unwrap_or(0.0),
        late.first().copied().unwrap_or(0.0),
        late.last().copied().unwrap_or(0.0),
    );
    println!(
        "cpu: engine thread {:.3} s over {:.2} s playing = {:.1} % of one core",
        cpu,
        wall,
        cpu / wall * 100.0
    );
}
