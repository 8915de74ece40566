#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Preview benchmarks on a generated 60 s, 44.1 kHz, stereo, 16-bit WAV:
//! request-to-first-sample latency (software output driven like a callback),
//! decoding speed, waveform peaks, and the memory a preview holds.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use octa::audio::decode::StreamDecoder;
use octa::audio::engine::EngineOptions;
use octa::audio::output::NullOutput;
use octa::audio::peaks::PeakSummary;
use octa::audio::{AudioEngine, DeviceState, PreviewRequest};

const SECONDS: u32 = 60;
const RATE: u32 = 44_100;

/// Writes a 16-bit stereo WAV: a 440 Hz sine left, 660 Hz right.
fn write_wav(path: &Path) {
    let frames = SECONDS * RATE;
    let data_len = frames * 4;
    let mut b = Vec::with_capacity(44 + data_len as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&RATE.to_le_bytes());
    b.extend_from_slice(&(RATE * 4).to_le_bytes());
    b.extend_from_slice(&4u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        let t = f64::from(i) / f64::from(RATE);
        for f in [440.0, 660.0] {
            let v = (0.5 * (2.0 * std::f64::consts::PI * f * t).sin() * 32767.0) as i16;
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    std::fs::write(path, b).expect("write bench wav");
}

fn bench_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sixty.wav");
    write_wav(&path);
    (dir, path)
}

fn benches(c: &mut Criterion) {
    let (_dir, path) = bench_file();
    let file_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    // Latency: preview request -> first sample handed to the callback. The
    // software output calls the renderer back to back (256-frame periods), as a
    // device callback would, without waiting for a clock.
    let out = NullOutput {
        period_frames: 256,
        realtime: false,
        first_sample: Some(Arc::new(AtomicU64::new(0))),
        ..NullOutput::default()
    };
    let engine = AudioEngine::with_backend(Box::new(out), EngineOptions::default());
    assert!(matches!(
        engine.wait_for_device(Duration::from_secs(5)),
        DeviceState::Ready(_)
    ));
    c.bench_function("preview request to first callback sample (60 s WAV)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                engine.preview(PreviewRequest::new(&path)).expect("preview");
                while engine.frames_played() == 0 {
                    std::hint::spin_loop();
                }
                total += t.elapsed();
                engine.stop();
                std::thread::sleep(Duration::from_millis(2));
            }
            total
        })
    });

    // Memory while previewing: what the decoder worker holds, against the file.
    engine.preview(PreviewRequest::new(&path)).expect("preview");
    let mut peak = 0;
    let until = Instant::now() + Duration::from_millis(300);
    while Instant::now() < until {
        peak = peak.max(engine.status().buffer_bytes);
        std::thread::sleep(Duration::from_millis(1));
    }
    engine.stop();
    drop(engine);
    eprintln!(
        "memory while previewing: worker holds at most {peak} bytes (ring {} bytes) for a {file_bytes}-byte file",
        EngineOptions::default().ring_frames * 2 * 4
    );

    let mut g = c.benchmark_group("60 s stereo 16-bit WAV");
    g.sample_size(10);
    g.bench_function("decode whole file", |b| {
        b.iter(|| {
            let mut d = StreamDecoder::open(&path).expect("open");
            let mut chunk = Vec::new();
            let mut frames = 0usize;
            while let Ok(n) = d.next_chunk(&mut chunk) {
                if n == 0 {
                    break;
                }
                frames += n;
            }
            black_box(frames)
        })
    });
    g.bench_function("waveform peaks (summary + 1000 columns)", |b| {
        b.iter(|| {
            let s = PeakSummary::compute(&path).expect("peaks");
            black_box(s.peaks(0, s.frames, 1000))
        })
    });
    let decoded = octa::audio::decode::decode_file(&path).expect("decode");
    g.bench_function("peak summary of decoded samples (no decoding)", |b| {
        b.iter(|| black_box(PeakSummary::from_samples(&decoded.samples, 2, RATE)))
    });
    g.finish();
}

criterion_group!(audio, benches);
criterion_main!(audio);
