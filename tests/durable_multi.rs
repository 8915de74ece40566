#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Multi-file writers other than save and copy, all or nothing through `durable::Txn`: a failure
//! injected at every operation of `octa import` (and a crash at every operation, then recovery)
//! leaves the target folder absent, or every file written byte-exact; a full disk after any
//! number of bytes the same.

mod common;
use common::tree_bytes as tree;
use octa::project::durable::{self, Fault, Op, Recorder};
use octa::project::json::ProjectJson;
use octa::project::{OpenOptions, Project};
use octa::testutil::corpus;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// A scratch folder, in memory when `/dev/shm` exists (fsync there costs nothing).
fn scratch() -> tempfile::TempDir {
    match tempfile::tempdir_in("/dev/shm") {
        Ok(t) => t,
        Err(_) => tempfile::tempdir().unwrap(),
    }
}

fn import(doc: &ProjectJson, dir: &Path, fault: Fault) -> (Result<usize, String>, Vec<Op>) {
    let rec = Recorder::new(fault);
    let r = durable::with_recorder(&rec, || doc.write_to(dir))
        .map(|w| w.len())
        .map_err(|e| e.to_string());
    (r, rec.ops())
}

#[test]
fn a_failure_at_every_operation_of_an_import_leaves_no_project_or_the_whole_one() {
    let Some(src) = corpus("ot/blank-1.40B") else {
        return;
    };
    let p = Project::open(&src, &OpenOptions::default()).unwrap();
    let doc = ProjectJson::from_project(&p).unwrap();
    assert_eq!(doc.files.len(), 26, "blank-1.40B has 26 files");
    // What a complete import holds: the corpus files, byte for byte.
    let want: BTreeMap<String, Vec<u8>> = tree(&src);
    assert_eq!(want.len(), 26);

    let tmp = scratch();
    let dir = tmp.path().join("NEW");
    let (r, ops) = import(&doc, &dir, Fault::None);
    assert_eq!(r.unwrap(), 26);
    assert_eq!(tree(&dir), want, "a clean import is byte-exact");
    let n = ops.len();
    // Staged before committed: every temp is written before the first file gets its name.
    let first_rename = ops
        .iter()
        .position(|o| matches!(o, Op::RenameNoReplace(..)))
        .unwrap();
    let writes = ops
        .iter()
        .filter(|o| matches!(o, Op::Write(..)))
        .collect::<Vec<_>>();
    assert!(writes.len() >= 26, "{writes:?}");
    assert!(
        ops[first_rename..]
            .iter()
            .all(|o| !matches!(o, Op::Write(p, _) if p.to_string_lossy().contains(".work"))),
        "no file data written after the first rename: {ops:#?}"
    );
    // The last operation that must succeed for the import to have happened: the last rename.
    let last_rename = ops
        .iter()
        .rposition(|o| matches!(o, Op::RenameNoReplace(..)))
        .unwrap();

    let mut points = 0;
    for (i, op) in ops.iter().enumerate() {
        fs::remove_dir_all(&dir).ok();
        let (r, _) = import(&doc, &dir, Fault::Once(i));
        let e = r.expect_err(&format!("operation {i} ({op:?}) failed silently"));
        assert!(e.contains("injected"), "{e}");
        if i <= last_rename {
            assert!(
                !dir.exists(),
                "failure at {i} ({op:?}) left {:?}",
                tree(&dir).keys().collect::<Vec<_>>()
            );
        } else {
            // After the commit: every file is there, byte-exact, and nothing else but a
            // journal a later open clears.
            let mut t = tree(&dir);
            t.retain(|k, _| !k.starts_with('.'));
            assert_eq!(t, want, "failure at {i} ({op:?}) after the commit");
        }
        points += 1;

        // A crash: nothing more reaches the disk; recovery then finishes or removes it.
        fs::remove_dir_all(&dir).ok();
        let (r, _) = import(&doc, &dir, Fault::CrashAt(i));
        assert!(r.is_err());
        if dir.exists() {
            durable::recover(&dir).unwrap();
            let mut t = tree(&dir);
            t.retain(|k, _| !k.starts_with('.') || k.ends_with('/'));
            assert!(
                t.is_empty() || t == want,
                "crash at {i} ({op:?}), recovered: {:?}",
                t.keys().collect::<Vec<_>>()
            );
            assert!(
                durable::leftover_temps(&dir).is_empty() && !durable::interrupted(&dir),
                "crash at {i}: leftovers after recovery"
            );
        }
        points += 1;
    }
    // A full disk after every number of bytes (per 100 KB) of the staged files.
    let total: usize = ops
        .iter()
        .filter_map(|o| match o {
            Op::Write(_, n) => Some(*n),
            _ => None,
        })
        .sum();
    for bytes in (0..total as u64).step_by(100_000).chain([total as u64 - 1]) {
        fs::remove_dir_all(&dir).ok();
        let (r, _) = import(&doc, &dir, Fault::AfterBytes(bytes));
        let e = r.expect_err("a full disk must fail the import");
        assert!(e.contains("no space"), "{e}");
        assert!(!dir.exists(), "full after {bytes} bytes left the folder");
        points += 1;
    }
    eprintln!("import: {n} operations, {points} failure points covered");
    assert!(points >= 2 * n);
}

#[test]
fn an_import_into_an_existing_empty_folder_that_fails_leaves_it_empty() {
    let Some(src) = corpus("ot/blank-1.40B") else {
        return;
    };
    let p = Project::open(&src, &OpenOptions::default()).unwrap();
    let doc = ProjectJson::from_project(&p).unwrap();
    let tmp = scratch();
    let dir = tmp.path().join("EMPTY");
    fs::create_dir(&dir).unwrap();
    // The tenth file's data fails to write.
    let (r, ops) = import(&doc, &dir, Fault::None);
    r.unwrap();
    let tenth = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| matches!(o, Op::Write(p, _) if p.to_string_lossy().contains("octa-tmp")))
        .nth(9)
        .map(|(i, _)| i)
        .unwrap();
    fs::remove_dir_all(&dir).unwrap();
    fs::create_dir(&dir).unwrap();
    let (r, _) = import(&doc, &dir, Fault::Once(tenth));
    assert!(r.is_err());
    assert!(dir.is_dir(), "the folder that was there stays");
    assert_eq!(tree(&dir).len(), 0, "and stays empty");
}

/// A small set: a project (three corpus files), a 3 MB sample in `AUDIO/big.wav` and a
/// sample in a sub folder.
fn small_set(root: &Path) -> Option<std::path::PathBuf> {
    let blank = corpus("ot/blank-1.40B")?;
    let set = root.join("SRC");
    fs::create_dir_all(set.join("PROJ")).unwrap();
    fs::create_dir_all(set.join("AUDIO/drums")).unwrap();
    for f in ["project.work", "bank01.work", "markers.work"] {
        fs::copy(blank.join(f), set.join("PROJ").join(f)).unwrap();
    }
    let big: Vec<u8> = (0..3 * 1024 * 1024 + 17)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    fs::write(set.join("AUDIO/big.wav"), &big).unwrap();
    fs::write(set.join("AUDIO/drums/kick.wav"), b"RIFF not really").unwrap();
    Some(set)
}

/// Runs `f` with no fault, then with a failure at each of its operations: each failure must
/// be reported (`ok` false) and leave `target` absent; returns (operations, points).
fn every_failure(
    target: &Path,
    mut f: impl FnMut() -> bool,
    want: &BTreeMap<String, Vec<u8>>,
) -> (usize, usize) {
    let rec = Recorder::new(Fault::None);
    assert!(durable::with_recorder(&rec, &mut f), "runs clean");
    assert_eq!(&tree(target), want);
    let ops = rec.ops();
    let last_rename = ops
        .iter()
        .rposition(|o| matches!(o, Op::RenameNoReplace(..)))
        .unwrap();
    let mut points = 0;
    for (i, op) in ops.iter().enumerate() {
        fs::remove_dir_all(target).ok();
        let rec = Recorder::new(Fault::Once(i));
        let ok = durable::with_recorder(&rec, &mut f);
        assert!(!ok, "operation {i} ({op:?}) failed silently");
        if i <= last_rename {
            assert!(
                !target.exists(),
                "failure at {i} ({op:?}) left {:?}",
                tree(target).keys().collect::<Vec<_>>()
            );
        } else {
            let mut t = tree(target);
            t.retain(|k, _| !k.split('/').any(|c| c.starts_with('.')));
            assert_eq!(&t, want, "failure at {i} ({op:?}) after the commit");
        }
        points += 1;
    }
    fs::remove_dir_all(target).ok();
    (ops.len(), points)
}

#[test]
fn resave_into_a_folder_is_all_or_nothing_and_streams_large_files() {
    let tmp = scratch();
    let Some(src) = small_set(tmp.path()) else {
        return;
    };
    let want = tree(&src);
    let dst = tmp.path().join("DST");
    let args = octa::cli::ResaveArgs {
        src: src.clone(),
        dst: dst.clone(),
        force: false,
    };
    // Large files are copied in chunks, never written whole from memory.
    let rec = Recorder::new(Fault::None);
    durable::with_recorder(&rec, || octa::cli::resave(&args));
    let big_writes: Vec<usize> = rec
        .ops()
        .iter()
        .filter_map(|o| match o {
            Op::Write(p, n) if p.to_string_lossy().contains("big.wav") => Some(*n),
            _ => None,
        })
        .collect();
    assert!(big_writes.len() >= 4, "{big_writes:?}");
    assert!(big_writes.iter().all(|n| *n <= 1 << 20), "{big_writes:?}");
    assert_eq!(big_writes.iter().sum::<usize>(), 3 * 1024 * 1024 + 17);
    fs::remove_dir_all(&dst).unwrap();
    let (n, points) = every_failure(
        &dst,
        || octa::cli::resave(&args) == std::process::ExitCode::SUCCESS,
        &want,
    );
    eprintln!("resave into a folder: {n} operations, {points} failure points covered");
    assert!(points >= 20);
}

#[test]
fn zip_extraction_is_all_or_nothing() {
    let tmp = scratch();
    let Some(src) = small_set(tmp.path()) else {
        return;
    };
    // The zip holds the folder under its name.
    let want: BTreeMap<String, Vec<u8>> = tree(&src)
        .into_iter()
        .map(|(k, v)| (format!("SRC/{k}"), v))
        .chain([("SRC/".to_string(), Vec::new())])
        .collect();
    let zip = tmp.path().join("set.zip");
    octa::project::archive::export_zip(&src, &zip).unwrap();
    let dst = tmp.path().join("OUT");
    let (n, points) = every_failure(
        &dst,
        || {
            octa::project::archive::import_zip(&zip, &dst)
                .is_ok_and(|_| !durable::interrupted(&dst))
        },
        &want,
    );
    eprintln!("zip extraction: {n} operations, {points} failure points covered");
    assert!(points >= 20);
}

#[test]
fn demo_generation_is_all_or_nothing() {
    let tmp = scratch();
    let dir = tmp.path().join("DEMO");
    let rec = Recorder::new(Fault::None);
    durable::with_recorder(&rec, || octa::project::demo::generate(&dir)).unwrap();
    let want = tree(&dir);
    assert!(want.keys().any(|k| k.ends_with(".wav")), "{want:?}");
    assert!(want.keys().any(|k| k.ends_with("bank01.work")));
    fs::remove_dir_all(&dir).unwrap();
    let (n, points) = every_failure(
        &dir,
        || octa::project::demo::generate(&dir).is_ok_and(|p| !durable::interrupted(&p)),
        &want,
    );
    eprintln!("demo: {n} operations, {points} failure points covered");
    assert!(points >= 20);
}

#[test]
fn a_syx_export_is_atomic_and_never_leaves_a_partial_file() {
    let tmp = scratch();
    let out = tmp.path().join("bank.syx");
    fs::write(&out, b"\xf0old export\xf7").unwrap();
    // Two messages, 64 KB each.
    let a: Vec<u8> = [0xF0]
        .into_iter()
        .chain(vec![0x11; 65_534])
        .chain([0xF7])
        .collect();
    let b: Vec<u8> = [0xF0]
        .into_iter()
        .chain(vec![0x22; 65_534])
        .chain([0xF7])
        .collect();
    let export = |fault| {
        let rec = Recorder::new(fault);
        let r = durable::with_recorder(&rec, || {
            octa::librarian::file::write_syx(&out, [a.as_slice(), b.as_slice()])
        });
        (r.map_err(|e| e.to_string()), rec.ops())
    };
    let (r, ops) = export(Fault::None);
    assert_eq!(r.unwrap(), 131_072);
    let new: Vec<u8> = [a.clone(), b.clone()].concat();
    assert_eq!(fs::read(&out).unwrap(), new);
    assert!(
        ops.iter()
            .any(|o| matches!(o, Op::Rename(_, to) if to == &out)),
        "written to a temp and renamed: {ops:?}"
    );
    let mut points = 0;
    for (i, op) in ops.iter().enumerate() {
        fs::write(&out, b"\xf0old export\xf7").unwrap();
        let (r, _) = export(Fault::Once(i));
        let e = r.expect_err(&format!("operation {i} ({op:?}) failed silently"));
        assert!(
            e.contains(tmp.path().to_str().unwrap()) && e.contains("injected"),
            "{e}"
        );
        let now = fs::read(&out).unwrap();
        assert!(
            now == b"\xf0old export\xf7" || now == new,
            "failure at {i} ({op:?}): {} bytes",
            now.len()
        );
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temp left: {names:?}");
        points += 1;
    }
    for bytes in [0, 1, 65_536, 131_071] {
        fs::write(&out, b"\xf0old export\xf7").unwrap();
        let (r, _) = export(Fault::AfterBytes(bytes));
        assert!(r.unwrap_err().contains("no space"));
        assert_eq!(
            fs::read(&out).unwrap(),
            b"\xf0old export\xf7",
            "full after {bytes}"
        );
        points += 1;
    }
    eprintln!("syx export: {points} failure points covered");
}
