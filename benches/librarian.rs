#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Librarian benchmarks: importing the 1024-sound Blofeld bank (split, recognise, name,
//! fingerprint, store), the import of every other corpus bank, and split + recognise
//! throughput.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use octa::librarian::Registry;
use octa::librarian::db::Database;
use octa::librarian::file::{messages_from_bytes, recognise};
use octa::testutil::corpus;
use std::hint::black_box;

fn load(rel: &str) -> Option<Vec<u8>> {
    std::fs::read(corpus(rel)?).ok()
}

fn benches(c: &mut Criterion) {
    let registry = Registry::builtin();
    let Some(blofeld) = load("sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx") else {
        return;
    };
    c.bench_function(
        "import blofeld 1024 sounds (split+recognise+name+fingerprint+store)",
        |b| {
            b.iter_batched(
                || Database::open_in_memory().ok(),
                |db| {
                    let Some(mut db) = db else { return };
                    let Ok(m) = messages_from_bytes(&blofeld) else {
                        return;
                    };
                    let Ok(r) = recognise(&registry, &m.messages, None) else {
                        return;
                    };
                    let s = db.store_import(r.device.as_ref(), "bench", &m.messages, &r.loaded);
                    black_box(s.ok());
                },
                BatchSize::PerIteration,
            )
        },
    );
    // Import of every corpus bank: split, recognise, name, fingerprint, store.
    let mut g = c.benchmark_group("import");
    for rel in CORPUS {
        let Some(data) = load(rel) else { continue };
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function(rel.rsplit('/').next().unwrap_or(rel), |b| {
            b.iter_batched(
                || Database::open_in_memory().ok(),
                |db| {
                    let Some(mut db) = db else { return };
                    let Ok(m) = messages_from_bytes(&data) else {
                        return;
                    };
                    let Ok(r) = recognise(&registry, &m.messages, None) else {
                        return;
                    };
                    let s = db.store_import(r.device.as_ref(), "bench", &m.messages, &r.loaded);
                    black_box(s.ok());
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
    let mut g = c.benchmark_group("split+recognise");
    for rel in [
        "sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx",
        "sysex/sequential-ob6/OB6_Programs_v1.01.syx",
    ] {
        let Some(data) = load(rel) else { continue };
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function(rel.rsplit('/').next().unwrap_or(rel), |b| {
            b.iter(|| {
                let m = messages_from_bytes(black_box(&data)).ok();
                let a = m.as_ref().and_then(|m| registry.recognise(&m.messages));
                black_box(a.map(|a| a.name()))
            })
        });
    }
    g.finish();
}

/// Every sysex bank of the corpus.
const CORPUS: &[&str] = &[
    "sysex/elektron-digitone/URRRS x Digitone.syx",
    "sysex/elektron-analog-rytm/909kicks.syx",
    "sysex/dsi-prophet08/Prophet_08_Programs_v1.0.syx",
    "sysex/sequential-ob6/OB6_Programs_v1.01.syx",
    "sysex/korg-m1/bank21.syx",
    "sysex/korg-m1/ORIGPROG.SYX",
    "sysex/roland-jv1080/JV1080_AGSOUND1.SYX",
    "sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX",
    "sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx",
    "sysex/sequential-prophet6/P6_Programs_v1.01.syx",
    "sysex/sequential-prophet5/P5_Factory_Programs_v1.02.syx",
    "sysex/sequential-pro3/P3_Factory_Sounds_v1.01.syx",
    "sysex/sequential-prophetx/PX_Programs_v2.0.syx",
    "sysex/dsi-mopho-x4/Mopho_x4_AllBanks_V1.01.syx",
    "sysex/oberheim-obx8/OBx8-prest.syx",
    "sysex/oberheim-teo5/TEO5_Factory_Programs_v1.00.syx",
    "sysex/yamaha-dx7ii/yamahaDX7II-STUDIOREINE BANK.syx",
];

criterion_group!(librarian, benches);
criterion_main!(librarian);
