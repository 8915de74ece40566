#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Copying a full bank that uses 64 sample slots between two projects, where every one of those
//! slot numbers is taken by another sample in the destination, so all 64 are moved to free
//! slots and every reference is remapped. Sample file copies are not included (planned only).

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use octa::format::MachineType;
use octa::format::slot_attrs::SlotRef;
use octa::project::copy::{self, CopyOptions, Target};
use octa::project::{OpenOptions, Project, slots};
use std::path::Path;

/// A project in `set/name` whose Flex slots 1..=64 hold `set/AUDIO/<prefix>NN.wav`.
fn make_project(set: &Path, name: &str, prefix: &str) -> std::path::PathBuf {
    let audio = set.join("AUDIO");
    std::fs::create_dir_all(&audio).unwrap();
    let dir = set.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let blank = octa::testutil::corpus("ot/blank-1.40B").expect("the corpus is needed");
    for e in std::fs::read_dir(blank).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let mut p = Project::open(&dir, &OpenOptions::default()).unwrap();
    for n in 1..=64u16 {
        let file = format!("{prefix}{n:02}.wav");
        std::fs::write(audio.join(&file), format!("RIFF {prefix} sample {n}")).unwrap();
        slots::assign(
            &mut p,
            SlotRef::Flex(n),
            &format!("../AUDIO/{file}"),
            44100 + n as u32,
            44100,
        )
        .unwrap();
    }
    // Bank A: every part plays Flex on all 8 tracks over slots 1..64; every pattern locks all
    // 64 slots across its tracks.
    let bank = p.bank_mut(0);
    for part in 0..4 {
        bank.edit_part(part, |pt| {
            for t in 0..8 {
                pt.set_machine_type(t, MachineType::Flex).unwrap();
                pt.slots[t].flex_slot = (part * 8 + t) as u8 * 2 % 64;
            }
        })
        .unwrap();
        bank.save_part(part).unwrap();
    }
    for (pi, pat) in bank.patterns.iter_mut().enumerate() {
        pat.part = (pi % 4) as u8;
        for t in 0..8 {
            for s in 0..64 {
                if s % 8 == t {
                    pat.audio[t]
                        .set_sample_lock(s, Some(((s + pi) % 64) as u8))
                        .unwrap();
                }
            }
        }
    }
    p.save(false).unwrap();
    dir
}

fn bench(c: &mut Criterion) {
    // As the octa binary does at start-up.
    octa::memory::keep_freed_memory();
    let tmp = tempfile::tempdir().unwrap();
    let src_dir = make_project(&tmp.path().join("S1"), "SRC", "src");
    let dst_dir = make_project(&tmp.path().join("S2"), "DST", "dst");
    let src = Project::open(&src_dir, &OpenOptions::default()).unwrap();
    let opts = CopyOptions::default();
    let check = Project::open(&dst_dir, &OpenOptions::default()).unwrap();
    let plan = copy::plan(
        &src,
        Target::Bank { bank: 0 },
        Some(&check),
        Target::Bank { bank: 1 },
        &opts,
    )
    .unwrap();
    assert_eq!(plan.slots.len(), 64);
    assert!(plan.slots.iter().all(|m| !m.reused && m.to != m.from));
    assert_eq!(plan.files.len(), 64);
    assert!(plan.remapped.part_slots >= 64 && plan.remapped.locks == 16 * 64);
    c.bench_function("copy bank with 64 used slots (plan + remap + apply)", |b| {
        b.iter_batched(
            || Project::open(&dst_dir, &OpenOptions::default()).unwrap(),
            |mut dst| {
                let plan = copy::plan(
                    &src,
                    Target::Bank { bank: 0 },
                    Some(&dst),
                    Target::Bank { bank: 1 },
                    &opts,
                )
                .unwrap();
                copy::apply(plan, &mut dst).unwrap();
                dst
            },
            BatchSize::PerIteration,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
