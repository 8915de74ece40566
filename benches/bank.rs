#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Bank parse / write speed: one bank, and the 16 banks of a project.

use criterion::{Criterion, criterion_group, criterion_main};
use octa::format::Bank;
use std::hint::black_box;

fn project_banks() -> Vec<Vec<u8>> {
    let from_corpus: Vec<Vec<u8>> = (1..=16)
        .filter_map(|n| {
            let p = octa::testutil::corpus(&format!("ot/hello-flex/project/bank{n:02}.work"))?;
            std::fs::read(p).ok()
        })
        .collect();
    if from_corpus.len() == 16 {
        from_corpus
    } else {
        vec![Bank::blank().to_bytes(); 16]
    }
}

fn bench(c: &mut Criterion) {
    // As the octa binary does at start-up.
    octa::memory::keep_freed_memory();
    let banks = project_banks();
    let one = &banks[0];
    c.bench_function("bank parse (1 bank)", |b| {
        b.iter(|| Bank::from_bytes(black_box(one)).map(|r| r.0.patterns[0].tempo_x24))
    });
    c.bench_function("bank parse (16 banks)", |b| {
        b.iter(|| {
            banks
                .iter()
                .filter_map(|x| Bank::from_bytes(black_box(x)).ok())
                .map(|(b, _)| b.patterns[0].part as usize)
                .sum::<usize>()
        })
    });
    let (bank, _) = Bank::from_bytes(one).expect("corpus bank parses");
    c.bench_function("bank write (1 bank)", |b| {
        b.iter(|| black_box(&bank).to_bytes())
    });
    c.bench_function("bank blank (1 bank)", |b| b.iter(Bank::blank));
}

criterion_group!(benches, bench);
criterion_main!(benches);
