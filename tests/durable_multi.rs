//! Multi-file writers other than save and copy, all or nothing through `durable::Txn`: a failure
//! injected at every operation of `octa import` (and a crash at every operation, then recovery)
//! leaves the target folder absent, or every file written byte-exact; a full disk after any
//! number of bytes the same.

use octa::project::durable::{self, Fault, Op, Recorder};
use octa::project::json::ProjectJson;
use octa::project::{OpenOptions, Project};
use octa::testutil::corpus;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every entry under `dir` (recursively): relative path -> bytes (folders as empty).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = fs::read_dir(d) else { return };
        for e in rd {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                out.insert(rel + "/", Vec::new());
                walk(root, &p, out);
            } else {
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

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
