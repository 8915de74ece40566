#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Parse and write a whole project (the 26 files of blank-1.40B, from memory), and
//! `octa check` on it as a whole process.

use criterion::{Criterion, criterion_group, criterion_main};
use octa::project::FileId;
use octa::project::anyfile::{AnyFile, Kind};
use std::hint::black_box;

/// Each project file's kind and bytes.
type Files = Vec<(Kind, Vec<u8>)>;

fn load() -> Option<(std::path::PathBuf, Files)> {
    let dir = octa::testutil::corpus("ot/blank-1.40B")?;
    let files = FileId::all()
        .into_iter()
        .map(|id| {
            let name = id.file_name(false);
            let kind = Kind::from_name(&name).expect("project file name");
            (kind, std::fs::read(dir.join(&name)).expect("corpus file"))
        })
        .collect();
    Some((dir, files))
}

fn bench(c: &mut Criterion) {
    // As the octa binary does at start-up.
    octa::memory::keep_freed_memory();
    let Some((dir, files)) = load() else { return };
    c.bench_function("parse full project (26 files)", |b| {
        b.iter(|| {
            for (kind, bytes) in &files {
                black_box(AnyFile::parse(*kind, black_box(bytes)).expect("valid"));
            }
        })
    });
    // The bytes shared with the parsed values, as `Project::open` does (a bank's lock records
    // stay views into them): no copy of the input.
    let shared: Vec<(Kind, octa::format::bank::SharedBytes)> = files
        .iter()
        .map(|(k, b)| (*k, std::sync::Arc::new(b.clone())))
        .collect();
    c.bench_function("parse full project (26 files, shared bytes)", |b| {
        b.iter(|| {
            for (kind, bytes) in &shared {
                black_box(AnyFile::parse_shared(*kind, black_box(bytes)).expect("valid"));
            }
        })
    });
    // The same parse spread over the machine's cores, as `Project::open` parses banks.
    c.bench_function(
        "parse full project (26 files, shared bytes, all cores)",
        |b| {
            b.iter(|| {
                octa::project::par::map(&shared, |(kind, bytes)| {
                    AnyFile::parse_shared(*kind, black_box(bytes))
                        .map(|(f, _)| drop(black_box(f)))
                        .is_ok()
                })
            })
        },
    );
    // Opening from disk (page cache): reads and parses project.work, 16 banks, markers and
    // arrangements as the tracker does.
    c.bench_function("Project::open blank-1.40B", |b| {
        b.iter(|| {
            octa::project::Project::open(&dir, &octa::project::OpenOptions::default())
                .expect("opens")
        })
    });
    let mut per_kind = c.benchmark_group("parse one file");
    for (label, index) in [
        ("project.work", 0usize),
        ("bank01.work", 1),
        ("markers.work", 17),
        ("arr01.work", 18),
    ] {
        let (kind, bytes) = &files[index];
        per_kind.bench_function(label, |b| {
            b.iter(|| black_box(AnyFile::parse(*kind, black_box(bytes)).expect("valid")))
        });
    }
    let (kind, bytes) = &files[1];
    per_kind.bench_function("bank01.work x16", |b| {
        b.iter(|| {
            for _ in 0..16 {
                black_box(AnyFile::parse(*kind, black_box(bytes)).expect("valid"));
            }
        })
    });
    per_kind.finish();
    let parsed: Vec<AnyFile> = files
        .iter()
        .map(|(k, b)| AnyFile::parse(*k, b).expect("valid").0)
        .collect();
    c.bench_function("write full project (26 files)", |b| {
        b.iter(|| {
            for f in &parsed {
                black_box(f.to_bytes());
            }
        })
    });
    let exe = env!("CARGO_BIN_EXE_octa");
    let mut g = c.benchmark_group("process");
    g.sample_size(20);
    g.bench_function("octa check blank-1.40B", |b| {
        b.iter(|| {
            let o = std::process::Command::new(exe)
                .arg("check")
                .arg(&dir)
                .output()
                .expect("run octa");
            assert!(o.status.success());
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
