#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Librarian benchmarks: importing the 1024-sound Blofeld bank (split, recognise, name,
//! fingerprint, store) and split + recognise throughput.

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

criterion_group!(librarian, benches);
criterion_main!(librarian);
