#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Parse / write speed of the non-bank files: project.work, markers, arrangement, `.ot`.

use criterion::{Criterion, criterion_group, criterion_main};
use octa::format::arrangement::Arrangement;
use octa::format::blank::blank_project;
use octa::format::markers::Markers;
use octa::format::ot::SampleSettings;
use octa::format::project_file::ProjectFile;
use std::hint::black_box;

fn corpus_or(rel: &str, fallback: &str) -> Vec<u8> {
    octa::testutil::corpus(rel)
        .and_then(|p| std::fs::read(p).ok())
        .unwrap_or_else(|| {
            blank_project()
                .into_iter()
                .find(|(n, _)| n == fallback)
                .map(|(_, b)| b)
                .unwrap_or_default()
        })
}

fn bench(c: &mut Criterion) {
    // As the octa binary does at start-up.
    octa::memory::keep_freed_memory();
    let project = corpus_or("ot/multipart/project.work", "project.work");
    let markers = corpus_or("ot/hello-flex/project/markers.work", "markers.work");
    let arr = corpus_or("ot/arrangements/full_options.work", "arr01.work");
    let ot = octa::testutil::corpus("ot/sample-settings/64slices.ot")
        .and_then(|p| std::fs::read(p).ok())
        .unwrap_or_else(|| SampleSettings::for_sample(44_100, 44_100).to_bytes());

    c.bench_function("project.work parse", |b| {
        b.iter(|| ProjectFile::parse(black_box(&project)).map(|p| p.tempo_x24()))
    });
    let p = ProjectFile::parse(&project).expect("project parses");
    c.bench_function("project.work slots()", |b| {
        b.iter(|| black_box(&p).slots().len())
    });
    c.bench_function("project.work write", |b| {
        b.iter(|| black_box(&p).to_bytes())
    });
    c.bench_function("markers parse", |b| {
        b.iter(|| Markers::parse(black_box(&markers)).map(|m| m.is_edited()))
    });
    let m = Markers::parse(&markers).expect("markers parse");
    c.bench_function("markers write (edited)", |b| {
        let mut e = m.clone();
        let _ = e.set_trim_end(octa::format::slot_attrs::SlotRef::Flex(1), 1);
        b.iter(|| black_box(&e).to_bytes())
    });
    c.bench_function("markers JSON export+import", |b| {
        b.iter(|| {
            let j = serde_json::to_string(black_box(&m)).unwrap_or_default();
            serde_json::from_str::<Markers>(&j).is_ok()
        })
    });
    c.bench_function("arrangement parse", |b| {
        b.iter(|| Arrangement::parse(black_box(&arr)).map(|a| a.is_edited()))
    });
    c.bench_function(".ot parse", |b| {
        b.iter(|| SampleSettings::parse(black_box(&ot)).map(|s| s.slice_count()))
    });
    c.bench_function("blank project (26 files)", |b| b.iter(blank_project));
}

criterion_group!(benches, bench);
criterion_main!(benches);
