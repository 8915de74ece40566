#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Issue #17 figure: `octa chain` of 64 files. Two cases: 64 one-second 44.1 kHz 16-bit stereo
//! files (copied sample for sample), and 64 one-second 48 kHz 24-bit stereo files (each
//! resampled to 44.1 kHz, dithered to 24 bits). Each run also prints one build's wall time.
//!
//! `cargo bench --bench chain` (criterion, the bench profile), or `cargo bench --bench chain
//! --profile dev` where a release build is too costly (the dependencies are still built at
//! opt-level 2 in the dev profile; octa's own loops are not optimised there).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use octa::project::chain::{ChainOptions, build_chain};

fn sources(dir: &Path, rate: u32, bits: u16) -> Vec<PathBuf> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: hound::SampleFormat::Int,
    };
    let scale = f64::from(1u32 << (bits - 1)) * 0.5;
    (0..64u32)
        .map(|i| {
            let p = dir.join(format!("s{i:02}.wav"));
            let mut w = hound::WavWriter::create(&p, spec).unwrap();
            let f = 100.0 + 50.0 * f64::from(i);
            for k in 0..rate {
                let t = f64::from(k) / f64::from(rate);
                let v = ((std::f64::consts::TAU * f * t).sin() * scale) as i32;
                w.write_sample(v).unwrap();
                w.write_sample(-v).unwrap();
            }
            w.finalize().unwrap();
            p
        })
        .collect()
}

fn bench_chain(c: &mut Criterion) {
    let mut g = c.benchmark_group("chain");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for (name, rate, bits) in [
        ("64_files_1s_44k1_16bit_stereo", 44_100u32, 16u16),
        ("64_files_1s_48k_24bit_stereo_resampled", 48_000, 24),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let files = sources(dir.path(), rate, bits);
        let out = dir.path().join("chain.wav");
        let opts = ChainOptions {
            force: true,
            ..ChainOptions::default()
        };
        let t = Instant::now();
        let r = build_chain(&out, &files, &opts).unwrap();
        println!(
            "chain {name}: {} frames in {:.3} s",
            r.frames,
            t.elapsed().as_secs_f64()
        );
        g.bench_function(name, |b| {
            b.iter(|| black_box(build_chain(&out, &files, &opts).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_chain);
criterion_main!(benches);
