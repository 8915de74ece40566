#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Issue #17 figures: `octa audio convert` of a 60 s 48 kHz 24-bit stereo WAV to 44.1 kHz
//! (target: at least 50x real time, i.e. under 1.2 s), and `octa pool` on a generated set of
//! 40 projects and 5,000 samples (target: under a second).
//!
//! `cargo bench --bench convert_pool` (criterion, the bench profile); each run also prints the
//! real-time factor of one conversion.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use octa::format::slot_attrs::SlotRef;
use octa::project::convert::{ConvertOptions, convert_file};
use octa::project::{Project, pool, slots};

fn write_48k(path: &Path, secs: u32) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 48_000,
        bits_per_sample: 24,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..secs * 48_000 {
        let t = f64::from(i) / 48_000.0;
        for f in [440.0, 1000.0] {
            let v = (0.5 * (std::f64::consts::TAU * f * t).sin() * 8_388_607.0) as i32;
            w.write_sample(v).unwrap();
        }
    }
    w.finalize().unwrap();
}

fn bench_convert(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("sixty.wav");
    write_48k(&src, 60);
    let out = tempfile::tempdir().unwrap();
    let opts = ConvertOptions {
        to: Some(out.path().to_path_buf()),
        force: true,
        ..ConvertOptions::default()
    };
    let cancel = AtomicBool::new(false);
    let t = Instant::now();
    convert_file(&src, &opts, &cancel, &mut |_, _| {}).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "convert 60 s 48 kHz 24-bit stereo -> 44.1 kHz: {secs:.3} s ({:.0}x real time)",
        60.0 / secs
    );
    let mut g = c.benchmark_group("convert");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("60s_48k_24bit_stereo_to_44k1", |b| {
        b.iter(|| black_box(convert_file(&src, &opts, &cancel, &mut |_, _| {}).unwrap()))
    });
    g.finish();
}

/// 40 projects, 5,000 samples in AUDIO/NN/ (each project assigns 128 of them).
fn build_set(set: &Path) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    for i in 0..5_000u32 {
        let p = set.join(format!("AUDIO/{:02}/s{i:04}.wav", i / 100));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let mut w = hound::WavWriter::create(&p, spec).unwrap();
        for k in 0..2_000u32 {
            w.write_sample((i.wrapping_mul(31).wrapping_add(k) % 65_536) as u16 as i16)
                .unwrap();
        }
        w.finalize().unwrap();
    }
    for p in 0..40u32 {
        let mut pr = Project::new_blank(&format!("P{p:02}"));
        for s in 0..128u32 {
            let i = (p * 128 + s) % 5_000;
            let path = format!("../AUDIO/{:02}/s{i:04}.wav", i / 100);
            slots::assign(&mut pr, SlotRef::Flex(s as u16 + 1), &path, 2_000, 44_100).unwrap();
        }
        pr.save_as(&set.join(format!("P{p:02}"))).unwrap();
    }
}

fn bench_pool(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("SET");
    build_set(&set);
    let t = Instant::now();
    let r = pool::scan(&set).unwrap();
    println!(
        "pool scan, {} projects, {} files: {:.3} s",
        r.projects.len(),
        r.files.len(),
        t.elapsed().as_secs_f64()
    );
    let mut g = c.benchmark_group("pool");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("scan_40_projects_5000_samples", |b| {
        b.iter(|| black_box(pool::scan(&set).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench_convert, bench_pool);
criterion_main!(benches);
