#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Copying between the corpus projects (multipart, hello-flex) in temporary sets, slot
//! reuse / allocation / remapping, sample file copies, refusal when full, and slot dedupe.

mod common;
use common::copy_dir;
use octa::format::bank::{
    AUDIO_TRACK_LEN, AUDIO_TRACKS_AT, BANK_LEN, PART_LEN, PARTS_AT, PATTERN_LEN, PATTERNS_AT,
};
use octa::format::project_file::SlotAttr;
use octa::format::slot_attrs::SlotRef;
use octa::project::copy::{self, CopyOptions, Target};
use octa::project::slots::{self, SlotError, SlotUse};
use octa::project::{OpenOptions, Project};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const HELLO_POOL: &str = "AUDIO/projects/HELLO FLEX";

/// A set holding hello-flex as `name` with its samples in its AUDIO pool.
fn hello_set(root: &Path, name: &str) -> Option<PathBuf> {
    let proj = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    copy_dir(&proj, &root.join(name));
    copy_dir(&samples, &root.join(HELLO_POOL));
    Some(root.join(name))
}

/// A set holding multipart (project.work + bank01) with an empty AUDIO pool.
fn multi_set(root: &Path) -> Option<PathBuf> {
    let proj = octa::testutil::corpus("ot/multipart")?;
    copy_dir(&proj, &root.join("MULTI"));
    std::fs::create_dir_all(root.join("AUDIO")).unwrap();
    Some(root.join("MULTI"))
}

fn open(p: &Path) -> Project {
    Project::open(p, &OpenOptions::default()).unwrap()
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            e.path().is_file().then(|| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
        })
        .collect()
}

/// The sample a slot of a project plays: (length, hash) of the file's bytes.
fn slot_file(p: &Project, s: SlotRef) -> Option<(usize, u64)> {
    use std::hash::{Hash, Hasher};
    let pf = slots::project_file(p).unwrap();
    let b = pf.slot(s)?;
    if b.path.is_empty() {
        return None;
    }
    let bytes = std::fs::read(p.sample_path(&b.path)?).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Some((bytes.len(), h.finish()))
}

/// The settings of a slot without its number and path.
fn slot_settings(p: &Project, s: SlotRef) -> Option<String> {
    let mut b = slots::project_file(p).unwrap().slot(s)?;
    b.slot = SlotRef::Flex(1);
    b.path.clear();
    Some(format!("{b:?} {:?}", p.markers().slot(s).ok()))
}

/// Every reference of bank `b` as (position, slot), positions comparable across banks.
fn refs(p: &Project, b: usize) -> Vec<(String, SlotRef)> {
    let mut v = Vec::new();
    slots::bank_uses(p.bank(b), 0, &mut v);
    v.into_iter().map(|(s, u)| (format!("{u}"), s)).collect()
}

/// Asserts that every reference of `dst` bank `db` points at a slot with the same file and
/// settings as the same reference of `src` bank `sb`, where the source slot has a sample.
fn assert_same_samples(src: &Project, sb: usize, dst: &Project, db: usize) -> usize {
    let (a, b) = (refs(src, sb), refs(dst, db));
    assert_eq!(a.len(), b.len());
    let mut checked = 0;
    for ((pa, sa), (pb, sbb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        let Some(file) = slot_file(src, *sa) else {
            continue;
        };
        assert_eq!(
            slot_file(dst, *sbb),
            Some(file),
            "{pa}: {sa} -> {sbb} plays another file"
        );
        assert_eq!(slot_settings(src, *sa), slot_settings(dst, *sbb), "{pa}");
        checked += 1;
    }
    checked
}

fn octa_check(path: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .arg("check")
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "octa check failed: {text}");
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
}

fn run(src: &Project, from: Target, dst: &mut Project, to: Target, opts: CopyOptions) -> Done {
    let plan = copy::plan(src, from, Some(dst), to, &opts).unwrap();
    copy::copy_files(&plan).unwrap();
    let done = Done {
        slots: plan.slots.clone(),
        files: plan.files.clone(),
        remapped: plan.remapped,
        notes: plan.notes.clone(),
    };
    copy::apply(plan, dst).unwrap();
    dst.save(false).unwrap();
    done
}

/// What a copy did (the plan's facts; the plan itself is consumed by `apply`).
struct Done {
    slots: Vec<copy::SlotMove>,
    files: Vec<copy::FileCopy>,
    remapped: slots::RemapCount,
    notes: Vec<String>,
}

#[test]
fn bank_copy_hello_flex_to_multipart_copies_files_and_leaves_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some(hello), Some(multi)) = (
        hello_set(&tmp.path().join("S1"), "HELLO"),
        multi_set(&tmp.path().join("S2")),
    ) else {
        return;
    };
    let before = files(&multi);
    let src = open(&hello);
    let mut dst = open(&multi);
    let slots_before = slots::project_file(&dst).unwrap().slots();
    let plan = run(
        &src,
        Target::Bank { bank: 0 },
        &mut dst,
        Target::Bank { bank: 1 },
        CopyOptions::default(),
    );
    // hello-flex bank A plays Flex 1..12; multipart has no Flex slot below 33, so the numbers stay.
    assert_eq!(plan.slots.len(), 12);
    assert!(plan.slots.iter().all(|m| !m.reused && m.from == m.to));
    assert_eq!(plan.files.len(), 12);
    assert_eq!(plan.remapped, slots::RemapCount::default());
    assert!(
        tmp.path()
            .join("S2")
            .join(HELLO_POOL)
            .join("Electrokik.wav")
            .is_file()
    );

    let dst = open(&multi);
    assert!(assert_same_samples(&src, 0, &dst, 1) > 0);
    // The bank is the source bank byte for byte (no remap was needed).
    assert_eq!(
        std::fs::read(multi.join("bank02.work")).unwrap(),
        std::fs::read(hello.join("bank01.work")).unwrap()
    );
    // Nothing else changed: bank01 and every old slot block are as they were.
    let after = files(&multi);
    assert_eq!(before["bank01.work"], after["bank01.work"]);
    let slots_after = slots::project_file(&dst).unwrap().slots();
    for s in &slots_before {
        assert!(slots_after.contains(s), "{} changed", s.slot);
    }
    assert_eq!(slots_after.len(), slots_before.len() + 12);
    let mut written: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    written.sort();
    assert_eq!(written, ["bank02.work", "markers.work"]);
    // Markers of the new slots are the source's (trim end = frame count of the file).
    for m in &plan.slots {
        assert_eq!(
            dst.markers().slot(m.to).unwrap(),
            src.markers().slot(m.from).unwrap()
        );
    }
    octa_check(&tmp.path().join("S2"));
}

/// Offsets of every slot reference byte of a bank file (part slot records and sample locks).
fn reference_offsets() -> Vec<usize> {
    let mut v = Vec::new();
    for q in 0..8 {
        for t in 0..8 {
            let at = PARTS_AT + q * PART_LEN + 723 + t * 5;
            v.extend([at, at + 1]);
        }
    }
    for p in 0..16 {
        for t in 0..8 {
            for s in 0..64 {
                v.push(
                    PATTERNS_AT
                        + p * PATTERN_LEN
                        + AUDIO_TRACKS_AT
                        + t * AUDIO_TRACK_LEN
                        + 98
                        + s * 32
                        + 31,
                );
            }
        }
    }
    v.extend([BANK_LEN - 2, BANK_LEN - 1]);
    v
}

#[test]
fn copy_into_a_project_whose_slot_differs_takes_a_free_slot_and_remaps() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(hello) = hello_set(tmp.path(), "HELLO") else {
        return;
    };
    copy_dir(&hello, &tmp.path().join("OTHER"));
    let other = tmp.path().join("OTHER");
    // In OTHER, Flex 1 has another gain: it is no longer the same slot.
    let mut o = open(&other);
    slots::set_attr(&mut o, SlotRef::Flex(1), SlotAttr::Gain(60)).unwrap();
    o.save(false).unwrap();
    let audio_before = files(&tmp.path().join(HELLO_POOL));

    let src = open(&hello);
    let mut dst = open(&other);
    let plan = run(
        &src,
        Target::Bank { bank: 0 },
        &mut dst,
        Target::Bank { bank: 2 },
        CopyOptions::default(),
    );
    let f1 = plan
        .slots
        .iter()
        .find(|m| m.from == SlotRef::Flex(1))
        .unwrap();
    assert_eq!(
        f1.to,
        SlotRef::Flex(22),
        "first free Flex slot of hello-flex is 22"
    );
    assert!(!f1.reused);
    assert!(
        plan.slots
            .iter()
            .filter(|m| m.from != SlotRef::Flex(1))
            .all(|m| m.reused && m.from == m.to)
    );
    // Same set: the file is already there, nothing copied.
    assert!(plan.files.is_empty());
    assert_eq!(files(&tmp.path().join(HELLO_POOL)), audio_before);
    assert!(plan.remapped.part_slots > 0);

    let dst = open(&other);
    assert!(assert_same_samples(&src, 0, &dst, 2) > 0);
    // Flex 1 kept its own block; Flex 22 is the source's Flex 1.
    assert_eq!(
        slots::project_file(&dst)
            .unwrap()
            .slot(SlotRef::Flex(1))
            .unwrap()
            .gain,
        Some(60)
    );
    // The copied bank differs from the source only in reference bytes and the checksum.
    let a = std::fs::read(hello.join("bank01.work")).unwrap();
    let b = std::fs::read(other.join("bank03.work")).unwrap();
    let allowed = reference_offsets();
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    assert!(!diffs.is_empty());
    for d in &diffs {
        assert!(
            allowed.binary_search(d).is_ok() || allowed.contains(d),
            "unexpected change at {d}"
        );
    }
    // Every changed reference byte was Flex 1 (0) and is now Flex 22 (21).
    for d in diffs.iter().filter(|&&d| d < BANK_LEN - 2) {
        assert_eq!((a[*d], b[*d]), (0, 21), "at {d}");
    }
    octa_check(tmp.path());
}

#[test]
fn pattern_copy_with_part_sets_only_that_parts_edited_bit() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some(hello), Some(multi)) = (
        hello_set(&tmp.path().join("S1"), "HELLO"),
        multi_set(&tmp.path().join("S2")),
    ) else {
        return;
    };
    let src = open(&hello);
    let mut dst = open(&multi);
    let edited = dst.bank(0).parts_edited_mask();
    let saved_before = dst.bank(0).saved_parts().to_vec();
    let from = Target::Pattern {
        bank: 0,
        pattern: 1,
    };
    let to = Target::Pattern {
        bank: 0,
        pattern: 4,
    };
    let opts = CopyOptions {
        with_part: true,
        trigs: true,
        ..Default::default()
    };
    run(&src, from, &mut dst, to, opts);
    let dst = open(&multi);
    let sp = src.bank(0).pattern(1).unwrap();
    assert_eq!(dst.bank(0).pattern(4).unwrap(), sp);
    let pi = sp.part as usize;
    let mut want = src.bank(0).part(pi).unwrap().clone();
    want.id = pi as u8;
    assert_eq!(dst.bank(0).part(pi).unwrap(), &want);
    assert_eq!(dst.bank(0).parts_edited_mask(), edited | (1 << pi));
    // The saved copy is untouched (reload part restores the destination's part).
    assert_eq!(dst.bank(0).saved_parts().to_vec(), saved_before);
    // The copied part's machine slots play the same files as in the source.
    let (sp, dp) = (src.bank(0).part(pi).unwrap(), dst.bank(0).part(pi).unwrap());
    let mut n = 0;
    for ((sa, ta, _), (sb, tb, _)) in slots::part_refs(sp).into_iter().zip(slots::part_refs(dp)) {
        assert_eq!(ta, tb);
        if let Some(f) = slot_file(&src, sa) {
            assert_eq!(slot_file(&dst, sb), Some(f), "T{} {sa} -> {sb}", ta + 1);
            n += 1;
        }
    }
    assert!(n > 0);
    octa_check(&tmp.path().join("S2"));
}

#[test]
fn track_and_scene_copy_within_a_project() {
    let Some(multi) = octa::testutil::corpus("ot/multipart") else {
        return;
    };
    let p = open(&multi);
    let bank = p.bank(0);
    let from = Target::Track {
        bank: 0,
        pattern: 0,
        track: 0,
    };
    let to = Target::Track {
        bank: 0,
        pattern: 3,
        track: 5,
    };
    let plan = copy::plan(
        &p,
        from,
        None,
        to,
        &CopyOptions {
            with_part: true,
            trigs: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(plan.slots.is_empty());
    let mut b = slots::clone_bank(bank).unwrap();
    copy::apply_payload(&mut b, to, &plan.payload).unwrap();
    let mut want = bank.pattern(0).unwrap().audio[0].clone();
    want.id = 5;
    assert_eq!(b.pattern(3).unwrap().audio[5], want);
    let (sp, dp) = (
        bank.pattern(0).unwrap().part as usize,
        bank.pattern(3).unwrap().part as usize,
    );
    assert_eq!(
        b.part(dp).unwrap().machine_type(5),
        bank.part(sp).unwrap().machine_type(0)
    );
    assert_eq!(
        b.part(dp).unwrap().slots[5].flex_slot,
        bank.part(sp).unwrap().slots[0].flex_slot
    );
    assert_eq!(
        b.part(dp).unwrap().slots[5].recorder,
        bank.part(dp).unwrap().slots[5].recorder
    );
    // MIDI onto audio is refused.
    let bad = Target::Track {
        bank: 0,
        pattern: 3,
        track: 9,
    };
    assert!(copy::plan(&p, from, None, bad, &CopyOptions::default()).is_err());
    // A scene.
    let from = Target::Scene {
        bank: 0,
        part: 0,
        scene: 1,
    };
    let to = Target::Scene {
        bank: 0,
        part: 2,
        scene: 7,
    };
    let plan = copy::plan(&p, from, None, to, &CopyOptions::default()).unwrap();
    let mut b = slots::clone_bank(bank).unwrap();
    copy::apply_payload(&mut b, to, &plan.payload).unwrap();
    assert_eq!(
        b.part(2).unwrap().scenes[7],
        bank.part(0).unwrap().scenes[1]
    );
}

#[test]
fn name_clash_in_the_destination_pool_gets_a_new_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some(hello), Some(multi)) = (
        hello_set(&tmp.path().join("S1"), "HELLO"),
        multi_set(&tmp.path().join("S2")),
    ) else {
        return;
    };
    let clash = tmp
        .path()
        .join("S2")
        .join(HELLO_POOL)
        .join("Electrokik.wav");
    std::fs::create_dir_all(clash.parent().unwrap()).unwrap();
    std::fs::write(&clash, b"not the same sample").unwrap();
    let src = open(&hello);
    let mut dst = open(&multi);
    let plan = run(
        &src,
        Target::Bank { bank: 0 },
        &mut dst,
        Target::Bank { bank: 1 },
        CopyOptions::default(),
    );
    assert_eq!(std::fs::read(&clash).unwrap(), b"not the same sample");
    let m = plan
        .slots
        .iter()
        .find(|m| m.from == SlotRef::Flex(1))
        .unwrap();
    assert_eq!(m.path, "../AUDIO/projects/HELLO FLEX/Electrokik-2.wav");
    let dst = open(&multi);
    assert!(assert_same_samples(&src, 0, &dst, 1) > 0);
}

#[test]
fn full_destination_is_refused_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some(hello), Some(multi)) = (
        hello_set(&tmp.path().join("S1"), "HELLO"),
        multi_set(&tmp.path().join("S2")),
    ) else {
        return;
    };
    let mut dst = open(&multi);
    let pf = slots::project_file(&dst).unwrap();
    for n in 1..=128u16 {
        if pf.slot(SlotRef::Flex(n)).is_none() {
            slots::assign(
                &mut dst,
                SlotRef::Flex(n),
                &format!("../AUDIO/x{n}.wav"),
                44100,
                44100,
            )
            .unwrap();
        }
    }
    let src = open(&hello);
    let err = copy::plan(
        &src,
        Target::Bank { bank: 0 },
        Some(&dst),
        Target::Bank { bank: 1 },
        &CopyOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            SlotError::NoFreeSlots {
                pool: "Flex",
                needed: 12,
                free: 0,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("not enough free Flex slots"));
}

#[test]
fn multipart_to_hello_flex_keeps_paths_of_missing_samples() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some(hello), Some(multi)) = (
        hello_set(&tmp.path().join("S1"), "HELLO"),
        multi_set(&tmp.path().join("S2")),
    ) else {
        return;
    };
    let src = open(&multi);
    let mut dst = open(&hello);
    let plan = run(
        &src,
        Target::Bank { bank: 0 },
        &mut dst,
        Target::Bank { bank: 5 },
        CopyOptions::default(),
    );
    assert!(!plan.slots.is_empty());
    assert!(plan.files.is_empty());
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("sample file not found"))
    );
    let dst = open(&hello);
    let spf = slots::project_file(&src).unwrap();
    let dpf = slots::project_file(&dst).unwrap();
    let (a, b) = (refs(&src, 0), refs(&dst, 5));
    assert_eq!(a.len(), b.len());
    let mut n = 0;
    for ((_, sa), (_, sb)) in a.iter().zip(&b) {
        if let Some(sblock) = spf.slot(*sa).filter(|b| !b.path.is_empty()) {
            if matches!(sa, SlotRef::Recorder(_)) {
                continue;
            }
            let dblock = dpf.slot(*sb).unwrap();
            assert_eq!(dblock.path, sblock.path);
            n += 1;
        }
    }
    assert!(n > 0);
    octa_check(&tmp.path().join("S1"));
}

#[test]
fn dedupe_merges_duplicates_and_remaps_every_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(hello) = hello_set(tmp.path(), "HELLO") else {
        return;
    };
    let mut p = open(&hello);
    // Flex 30 and Static 9 are duplicates of Flex 5 / each other's pool: only Flex 30 merges.
    let mut pf = slots::project_file(&p).unwrap();
    let mut dup = pf.slot(SlotRef::Flex(5)).unwrap();
    dup.slot = SlotRef::Flex(30);
    pf.add_slot(&dup).unwrap();
    let mut st = dup.clone();
    st.slot = SlotRef::Static(9);
    pf.add_slot(&st).unwrap();
    slots::set_project_file(&mut p, &pf);
    let m = p.markers().slot(SlotRef::Flex(5)).unwrap();
    p.markers_mut().set_slot(SlotRef::Flex(30), &m).unwrap();
    p.markers_mut().set_slot(SlotRef::Static(9), &m).unwrap();
    // References to Flex 30: bank B part 1 track 4 (a Flex track?) and a lock on pattern B01 T1.
    let bank = p.bank_mut(1);
    bank.edit_part(0, |part| {
        part.set_machine_type(3, octa::format::MachineType::Flex)
            .unwrap();
        part.slots[3].flex_slot = 29;
    })
    .unwrap();
    let pat = bank.patterns[0].part as usize;
    bank.edit_part(pat, |part| {
        part.set_machine_type(0, octa::format::MachineType::Flex)
            .unwrap()
    })
    .unwrap();
    bank.patterns[0].audio[0]
        .set_sample_lock(2, Some(29))
        .unwrap();
    p.save(false).unwrap();

    let mut p = open(&hello);
    let paths = |p: &Project| -> std::collections::BTreeSet<(bool, String)> {
        slots::project_file(p)
            .unwrap()
            .slots()
            .into_iter()
            .filter(|s| !s.path.is_empty())
            .map(|s| (s.slot.is_flex_pool(), s.path))
            .collect()
    };
    let before = paths(&p);
    let uses_before = slots::uses(&p);
    let n30 = uses_before[&SlotRef::Flex(30)].len();
    assert!(n30 >= 2);
    let r = slots::dedupe(&mut p).unwrap();
    assert_eq!(r.merged, vec![(SlotRef::Flex(30), SlotRef::Flex(5))]);
    assert_eq!(r.remapped.part_slots + r.remapped.locks, n30);
    p.save(false).unwrap();
    let p = open(&hello);
    assert_eq!(paths(&p), before, "no sample lost");
    assert!(
        slots::project_file(&p)
            .unwrap()
            .slot(SlotRef::Flex(30))
            .is_none()
    );
    assert!(
        slots::project_file(&p)
            .unwrap()
            .slot(SlotRef::Static(9))
            .is_some()
    );
    let uses = slots::uses(&p);
    assert!(!uses.contains_key(&SlotRef::Flex(30)));
    assert_eq!(p.bank(1).part(0).unwrap().slots[3].flex_slot, 4);
    assert_eq!(p.bank(1).patterns[0].audio[0].sample_lock(2), Some(4));
    assert!(uses[&SlotRef::Flex(5)].iter().any(|u| matches!(
        u,
        SlotUse::Lock {
            bank: 1,
            pattern: 0,
            track: 0,
            step: 2
        }
    )));
    assert!(p.markers().is_empty(SlotRef::Flex(30)).unwrap());
    octa_check(tmp.path());
}

#[test]
fn remove_unused_keeps_played_slots() {
    let Some(multi) = octa::testutil::corpus("ot/multipart") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&multi, &tmp.path().join("M"));
    let mut p = open(&tmp.path().join("M"));
    let uses = slots::uses(&p);
    let removed = slots::remove_unused(&mut p).unwrap();
    for s in &removed {
        assert!(
            !uses
                .get(s)
                .is_some_and(|u| u.iter().any(SlotUse::is_active)),
            "{s} is played"
        );
        assert!(!matches!(s, SlotRef::Recorder(_)));
    }
    let pf = slots::project_file(&p).unwrap();
    for (s, u) in &uses {
        if u.iter().any(SlotUse::is_active) && !matches!(s, SlotRef::Recorder(_)) {
            assert!(!removed.contains(s));
        }
    }
    assert_eq!(
        pf.slots()
            .iter()
            .filter(|b| matches!(b.slot, SlotRef::Recorder(_)))
            .count(),
        8
    );
}

#[test]
fn targets_parse() {
    assert_eq!("A".parse::<Target>(), Ok(Target::Bank { bank: 0 }));
    assert_eq!(
        "b05".parse::<Target>(),
        Ok(Target::Pattern {
            bank: 1,
            pattern: 4
        })
    );
    assert_eq!(
        "P16.M8".parse::<Target>(),
        Ok(Target::Track {
            bank: 15,
            pattern: 15,
            track: 15
        })
    );
    assert_eq!(
        "C.P2".parse::<Target>(),
        Ok(Target::Part { bank: 2, part: 1 })
    );
    assert_eq!(
        "C.P4.S16".parse::<Target>(),
        Ok(Target::Scene {
            bank: 2,
            part: 3,
            scene: 15
        })
    );
    for bad in ["", "Q", "A17", "A.P5", "A05.T9", "A.P1.S0", "AA"] {
        assert!(bad.parse::<Target>().is_err(), "{bad}");
    }
}

// ---- `.ot` sample settings files travel with their samples ----

/// A path with `..` resolved (plans name the pool as `<project>/../AUDIO`).
fn canon(p: &Path) -> PathBuf {
    p.canonicalize().unwrap()
}

/// Replaces a file of a temporary set (the corpus copies are read-only).
fn put(path: &Path, bytes: &[u8]) {
    let _ = std::fs::remove_file(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A hello-flex set whose Flex 1 sample (Electrokik.wav) is the corpus sine WAV with the
/// corpus 16-slice `.ot` beside it as `Electrokik.<ot_ext>`; returns (project, sine bytes,
/// .ot bytes).
fn sidecar_source(root: &Path, ot_ext: &str) -> Option<(PathBuf, Vec<u8>, Vec<u8>)> {
    let wav = std::fs::read(octa::testutil::corpus("audio/sine440-44k1-16bit-mono.wav")?).unwrap();
    let ot = std::fs::read(octa::testutil::corpus("ot/sample-settings/16slices.ot")?).unwrap();
    let hello = hello_set(root, "HELLO")?;
    let pool = root.join(HELLO_POOL);
    put(&pool.join("Electrokik.wav"), &wav);
    put(&pool.join(format!("Electrokik.{ot_ext}")), &ot);
    Some((hello, wav, ot))
}

/// A pattern of bank A that plays Flex 1 (through its part or a sample lock).
fn pattern_playing_flex1(p: &Project) -> usize {
    let opts = CopyOptions {
        with_part: true,
        trigs: true,
        ..Default::default()
    };
    (0..16)
        .find(|&pattern| {
            let pl = copy::payload(p.bank(0), Target::Pattern { bank: 0, pattern }, &opts).unwrap();
            copy::payload_refs(&pl)
                .iter()
                .any(|&(s, active)| active && s == SlotRef::Flex(1))
        })
        .expect("hello-flex bank A has a pattern playing Flex 1")
}

fn copy_pattern(src: &Project, dst: &mut Project) -> Done {
    let pattern = pattern_playing_flex1(src);
    run(
        src,
        Target::Pattern { bank: 0, pattern },
        dst,
        Target::Pattern {
            bank: 2,
            pattern: 4,
        },
        CopyOptions {
            with_part: true,
            trigs: true,
            ..Default::default()
        },
    )
}

/// The destination path Flex 1 of the source was copied to.
fn flex1_path(done: &Done) -> &str {
    &done
        .slots
        .iter()
        .find(|m| m.from == SlotRef::Flex(1))
        .expect("Flex 1 brought along")
        .path
}

#[test]
fn ot_file_lands_beside_the_copied_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some((hello, wav, ot)), Some(multi)) = (
        sidecar_source(&tmp.path().join("S1"), "ot"),
        multi_set(&tmp.path().join("S2")),
    ) else {
        return;
    };
    let src = open(&hello);
    let mut dst = open(&multi);
    let pattern = pattern_playing_flex1(&src);
    let plan = copy::plan(
        &src,
        Target::Pattern { bank: 0, pattern },
        Some(&dst),
        Target::Pattern {
            bank: 2,
            pattern: 4,
        },
        &CopyOptions {
            with_part: true,
            trigs: true,
            ..Default::default()
        },
    )
    .unwrap();
    // The plan lists the `.ot` right after its sample, and the summary shows it.
    let pool = tmp.path().join("S2").join(HELLO_POOL);
    let at = plan
        .files
        .iter()
        .position(|f| f.to.ends_with("HELLO FLEX/Electrokik.wav"))
        .unwrap();
    assert!(plan.files[at + 1].to.ends_with("HELLO FLEX/Electrokik.ot"));
    assert!(plan.files[at + 1].is_sidecar() && !plan.files[at].is_sidecar());
    assert!(
        plan.summary().iter().any(|l| l.contains("Electrokik.ot")
            && l.contains("(sample settings)")
            && l.contains("S1")),
        "{:#?}",
        plan.summary()
    );
    // File lines are tidy: `S1/HELLO/../AUDIO/...` reads `S1/AUDIO/...`.
    assert!(plan.files[at].from.to_string_lossy().contains("/../"));
    let src_wav = tmp
        .path()
        .join("S1")
        .join(HELLO_POOL)
        .join("Electrokik.wav");
    let dst_wav = pool.join("Electrokik.wav");
    let want = format!("  file {} -> {}", src_wav.display(), dst_wav.display());
    assert!(
        plan.summary().contains(&want),
        "{want}\n{:#?}",
        plan.summary()
    );
    assert!(!plan.summary().iter().any(|l| l.contains("/../")));
    // Only samples that have one get a `.ot`.
    assert_eq!(plan.files.iter().filter(|f| f.is_sidecar()).count(), 1);
    drop(plan);

    let done = copy_pattern(&src, &mut dst);
    assert_eq!(
        flex1_path(&done),
        "../AUDIO/projects/HELLO FLEX/Electrokik.wav"
    );
    assert_eq!(std::fs::read(pool.join("Electrokik.wav")).unwrap(), wav);
    let landed = std::fs::read(pool.join("Electrokik.ot")).unwrap();
    assert_eq!(landed, ot, "the .ot is byte-identical");
    let parsed = octa::format::ot::SampleSettings::parse(&landed).unwrap();
    assert_eq!(parsed.slice_count(), 16);
    // Copying again brings nothing new (the sample and its `.ot` are there already).
    let mut dst = open(&multi);
    let again = copy_pattern(&src, &mut dst);
    assert!(again.files.is_empty(), "{:?}", again.files);
    octa_check(&tmp.path().join("S2"));
}

#[test]
fn renamed_sample_takes_its_ot_file_under_the_new_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some((hello, wav, ot)), Some(multi)) = (
        sidecar_source(&tmp.path().join("S1"), "OT"),
        multi_set(&tmp.path().join("S2")),
    ) else {
        return;
    };
    let pool = tmp.path().join("S2").join(HELLO_POOL);
    // A different sample of the same name, with its own settings, is in the destination.
    let other_ot =
        std::fs::read(octa::testutil::corpus("ot/sample-settings/4slices.ot").unwrap()).unwrap();
    put(&pool.join("Electrokik.wav"), b"another sample");
    put(&pool.join("Electrokik.ot"), &other_ot);
    let src = open(&hello);
    let mut dst = open(&multi);
    let done = copy_pattern(&src, &mut dst);
    assert_eq!(
        flex1_path(&done),
        "../AUDIO/projects/HELLO FLEX/Electrokik-2.wav"
    );
    assert_eq!(std::fs::read(pool.join("Electrokik-2.wav")).unwrap(), wav);
    // The `.ot` keeps the extension's case as found on disk, under the sample's new name.
    assert_eq!(std::fs::read(pool.join("Electrokik-2.OT")).unwrap(), ot);
    // Nothing was overwritten.
    assert_eq!(
        std::fs::read(pool.join("Electrokik.wav")).unwrap(),
        b"another sample"
    );
    assert_eq!(std::fs::read(pool.join("Electrokik.ot")).unwrap(), other_ot);
    assert!(done.notes.iter().any(|n| n.contains("Electrokik-2.wav")));
}

#[test]
fn ot_conflicts_never_overwrite_a_different_ot_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some((hello, wav, ot)), Some(multi)) = (
        sidecar_source(&tmp.path().join("S1"), "ot"),
        multi_set(&tmp.path().join("S2")),
    ) else {
        return;
    };
    let pool = tmp.path().join("S2").join(HELLO_POOL);
    let other_ot =
        std::fs::read(octa::testutil::corpus("ot/sample-settings/4slices.ot").unwrap()).unwrap();
    // 1. A stray `.ot` (any case) with other settings where the sample would go: the sample
    //    is renamed so that its own `.ot` can go beside it.
    put(&pool.join("ELECTROKIK.OT"), &other_ot);
    let src = open(&hello);
    let mut dst = open(&multi);
    let done = copy_pattern(&src, &mut dst);
    assert_eq!(
        flex1_path(&done),
        "../AUDIO/projects/HELLO FLEX/Electrokik-2.wav"
    );
    assert!(!pool.join("Electrokik.wav").exists());
    assert_eq!(std::fs::read(pool.join("Electrokik-2.ot")).unwrap(), ot);
    assert_eq!(std::fs::read(pool.join("ELECTROKIK.OT")).unwrap(), other_ot);
    assert!(
        done.notes
            .iter()
            .any(|n| n.contains("different .ot") && n.contains("Electrokik-2.wav")),
        "{:?}",
        done.notes
    );

    // 2. The same sample already there with other settings: it is used, its `.ot` kept.
    let tmp2 = tempfile::tempdir().unwrap();
    let multi = multi_set(&tmp2.path().join("S2")).unwrap();
    let pool = tmp2.path().join("S2").join(HELLO_POOL);
    put(&pool.join("Electrokik.wav"), &wav);
    put(&pool.join("Electrokik.ot"), &other_ot);
    let mut dst = open(&multi);
    let done = copy_pattern(&src, &mut dst);
    assert_eq!(
        flex1_path(&done),
        "../AUDIO/projects/HELLO FLEX/Electrokik.wav"
    );
    assert!(
        !done
            .files
            .iter()
            .any(|f| f.to.to_string_lossy().contains("Electrokik"))
    );
    assert_eq!(std::fs::read(pool.join("Electrokik.ot")).unwrap(), other_ot);
    assert!(
        done.notes
            .iter()
            .any(|n| n.contains("Electrokik.ot") && n.contains("other settings")),
        "{:?}",
        done.notes
    );

    // 3. The same sample there without a `.ot`: only the `.ot` is copied.
    let tmp3 = tempfile::tempdir().unwrap();
    let multi = multi_set(&tmp3.path().join("S2")).unwrap();
    let pool = tmp3.path().join("S2").join(HELLO_POOL);
    put(&pool.join("Electrokik.wav"), &wav);
    let mut dst = open(&multi);
    let done = copy_pattern(&src, &mut dst);
    let kik: Vec<&copy::FileCopy> = done
        .files
        .iter()
        .filter(|f| f.to.to_string_lossy().contains("Electrokik"))
        .collect();
    assert_eq!(kik.len(), 1, "{kik:?}");
    assert!(kik[0].to.ends_with("HELLO FLEX/Electrokik.ot"));
    assert_eq!(canon(&kik[0].to), canon(&pool.join("Electrokik.ot")));
    assert_eq!(std::fs::read(pool.join("Electrokik.ot")).unwrap(), ot);
}

#[test]
fn slots_cli_assigns_aiff_and_wav_and_refuses_other_files() {
    let (Some(aiff), Some(flac)) = (
        octa::testutil::corpus("audio/chord-44k1-16bit.aiff"),
        octa::testutil::corpus("audio/square-44k1.flac"),
    ) else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let Some(dst) = multi_set(d.path()) else {
        return;
    };
    let pool = d.path().join("AUDIO/in");
    std::fs::create_dir_all(&pool).unwrap();
    std::fs::copy(&aiff, pool.join("chord.aiff")).unwrap();
    std::fs::copy(&flac, pool.join("square.flac")).unwrap();
    let before = files(&dst);
    let slots = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
            .arg("slots")
            .arg(&dst)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Refusals name the file or the slot and write nothing.
    let (ok, _, err) = slots(&["--assign", "F100=in/square.flac"]);
    assert!(
        !ok && err.contains("square.flac") && err.contains("WAV and AIFF"),
        "{err}"
    );
    let (ok, _, err) = slots(&["--assign", "F129=in/chord.aiff"]);
    assert!(!ok && err.contains("\"F129\""), "{err}");
    let (ok, _, err) = slots(&["--assign", "F100"]);
    assert!(!ok && err.contains("SLOT=FILE"), "{err}");
    let (ok, out, _) = slots(&["--assign", "F100=in/chord.aiff", "--dry-run"]);
    assert!(ok && out.contains("dry run: nothing written"), "{out}");
    assert_eq!(files(&dst), before);

    let (ok, out, err) = slots(&["--assign", "F100=in/chord.aiff"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("assign Flex 100: in/chord.aiff (22050 frames at 44100 Hz)"),
        "{out}"
    );
    let p = open(&dst);
    let block = p
        .project_file()
        .slot(SlotRef::Flex(100))
        .expect("slot 100 written");
    assert_eq!(block.path, "../AUDIO/in/chord.aiff");
    assert_eq!(p.markers().trim_end(SlotRef::Flex(100)).unwrap(), 22050);
    // A project-local file (in the project folder) is stored without `../AUDIO/`.
    std::fs::copy(&aiff, dst.join("local.aif")).unwrap();
    let (ok, out, err) = slots(&["--assign", "S2=./local.aif"]);
    assert!(
        ok && out.contains("assign Static 2: ./local.aif"),
        "{out}{err}"
    );
    let p = open(&dst);
    assert_eq!(
        p.project_file().slot(SlotRef::Static(2)).unwrap().path,
        "local.aif"
    );
    assert_eq!(p.markers().trim_end(SlotRef::Static(2)).unwrap(), 22050);
    std::fs::remove_file(dst.join("local.aif")).unwrap();
    // Only project.work changed and markers.work (absent before: multipart has none) appeared.
    assert!(!before.contains_key("markers.work"));
    let after = files(&dst);
    let changed: Vec<&String> = after
        .keys()
        .filter(|k| before.get(*k) != Some(&after[*k]))
        .collect();
    assert_eq!(changed, ["markers.work", "project.work"]);
    octa_check(&dst);
}
