#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The one write path through its durability seam: the order of file operations (write, fsync
//! file, rename, fsync folder), a failure injected at every operation of a multi-file save and of
//! a copy with samples (and a crash at every operation, finished by the next open), backups at
//! literal paths, restore and pruning, symlinked files written through.

mod common;
use common::{copy_dir, sha, tree};
use octa::project::durable::{self, Fault, Op, Recorder};
use octa::project::{FileId, OpenOptions, Project, backups, copy, store::BACKUP_DIR};
use octa::testutil::corpus;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every folder under `dir`, relative.
fn folders(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) {
        for e in fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A project's files without its backups.
fn project_files(dir: &Path) -> BTreeMap<String, String> {
    tree(dir)
        .into_iter()
        .filter(|(k, _)| !k.starts_with(BACKUP_DIR))
        .collect()
}

fn edit_bank(p: &mut Project, i: usize, at: usize) {
    let bytes = p.file_bytes(FileId::Bank(i), false).unwrap();
    let mut edited = bytes.clone();
    edited[at] ^= 1;
    octa::format::common::fix_checksum(&mut edited);
    let (value, _) = <octa::project::Bank as octa::project::OtFile>::parse(&edited).unwrap();
    *p.bank_mut(i) = value;
}

fn open(p: &Path) -> Project {
    Project::open(p, &OpenOptions::default()).unwrap()
}

/// blank-1.40B in a temp folder.
fn blank() -> Option<(tempfile::TempDir, PathBuf)> {
    let src = corpus("ot/blank-1.40B")?;
    let t = tempfile::tempdir().unwrap();
    let proj = t.path().join("PROJ");
    copy_dir(&src, &proj);
    Some((t, proj))
}

fn index_of(ops: &[Op], f: impl Fn(&Op) -> bool) -> usize {
    ops.iter()
        .position(f)
        .unwrap_or_else(|| panic!("operation not found in {ops:#?}"))
}

#[test]
fn single_write_is_write_fsync_rename_fsync_folder() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("bank02.work");
    fs::write(&p, b"old").unwrap();
    let rec = Recorder::new(Fault::None);
    durable::with_recorder(&rec, || octa::project::store::write_atomic(&p, b"new!")).unwrap();
    let ops = rec.ops();
    let Op::Create(tmp) = &ops[0] else {
        panic!("{ops:?}")
    };
    assert_eq!(tmp.parent(), Some(t.path()), "temp in the target's folder");
    assert!(
        tmp.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".bank02.work.octa-tmp-"),
        "{tmp:?}"
    );
    assert_eq!(
        ops,
        vec![
            Op::Create(tmp.clone()),
            Op::Write(tmp.clone(), 4),
            Op::SyncFile(tmp.clone()),
            Op::Rename(tmp.clone(), p.clone()),
            Op::SyncDir(t.path().to_path_buf()),
        ]
    );
    assert_eq!(fs::read(&p).unwrap(), b"new!");
    // A failure at each step leaves the old file and no temp file.
    for n in 0..ops.len() - 1 {
        fs::write(&p, b"old").unwrap();
        let rec = Recorder::new(Fault::Once(n));
        let r = durable::with_recorder(&rec, || octa::project::store::write_atomic(&p, b"new!"));
        assert!(r.is_err(), "failure at {n}");
        let e = r.unwrap_err().to_string();
        assert!(e.contains("bank02.work") && e.contains("injected"), "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"old", "failure at {n}");
        assert_eq!(fs::read_dir(t.path()).unwrap().count(), 1, "failure at {n}");
    }
}

/// Facts of one multi-file save: the project files before and after.
struct SaveCase {
    _t: tempfile::TempDir,
    proj: PathBuf,
    old: BTreeMap<String, String>,
    new: BTreeMap<String, String>,
    old_bank02: Vec<u8>,
}

/// A blank project where a save changes bank02 and bank05 (and backs both up).
fn save_case() -> Option<SaveCase> {
    let (t, proj) = blank()?;
    let old = project_files(&proj);
    let old_bank02 = fs::read(proj.join("bank02.work")).unwrap();
    // The new state, made once with the real disk in a scratch copy.
    let scratch = t.path().join("SCRATCH");
    copy_dir(&proj, &scratch);
    let mut p = open(&scratch);
    edit_bank(&mut p, 1, 1000);
    edit_bank(&mut p, 4, 2000);
    p.save(false).unwrap();
    let new = project_files(&scratch);
    assert_ne!(old["bank02.work"], new["bank02.work"]);
    assert_ne!(old["bank05.work"], new["bank05.work"]);
    assert_eq!(old["bank01.work"], new["bank01.work"]);
    Some(SaveCase {
        _t: t,
        proj,
        old,
        new,
        old_bank02,
    })
}

impl SaveCase {
    /// Puts the project back to its old state (files and no backups).
    fn reset(&self) {
        let _ = fs::remove_dir_all(self.proj.join(BACKUP_DIR));
        let src = corpus("ot/blank-1.40B").unwrap();
        for n in ["bank02.work", "bank05.work"] {
            fs::copy(src.join(n), self.proj.join(n)).unwrap();
        }
        assert_eq!(tree(&self.proj), self.old);
    }

    fn save(&self, fault: Fault) -> (Result<(), String>, Vec<Op>) {
        let mut p = open(&self.proj);
        edit_bank(&mut p, 1, 1000);
        edit_bank(&mut p, 4, 2000);
        let rec = Recorder::new(fault);
        let r = durable::with_recorder(&rec, || p.save(false))
            .map(|_| ())
            .map_err(|e| e.to_string());
        (r, rec.ops())
    }

    /// The project's files are all the old ones or all the new ones; no temp, link or journal.
    fn all_old_or_all_new(&self, what: &str) -> bool {
        self.consistent(what, true)
    }

    /// Like `all_old_or_all_new`; `dirs`: also no folder left when old (a crash while making
    /// the backup folder, before the journal exists, may leave it empty).
    fn consistent(&self, what: &str, dirs: bool) -> bool {
        let now = tree(&self.proj);
        let files: BTreeMap<String, String> = now
            .iter()
            .filter(|(k, _)| !k.starts_with(BACKUP_DIR))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert!(
            files == self.old || files == self.new,
            "{what}: a mix of old and new files: {:?}",
            files
                .iter()
                .filter(|(k, v)| self.old.get(*k) != Some(v) || self.new.get(*k) != Some(v))
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        );
        let backups: Vec<&String> = now.keys().filter(|k| k.starts_with(BACKUP_DIR)).collect();
        if files == self.new {
            // The backups are complete: the old bank02 and bank05.
            assert_eq!(backups.len(), 2, "{what}: {backups:?}");
            for b in &backups {
                let name = Path::new(b)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                assert_eq!(now[*b], self.old[&name], "{what}: backup {b}");
            }
        } else {
            assert!(
                backups.is_empty(),
                "{what}: backups of a save that did not happen: {backups:?}"
            );
            assert!(
                !dirs || folders(&self.proj).is_empty(),
                "{what}: folders left: {:?}",
                folders(&self.proj)
            );
        }
        files == self.new
    }
}

#[test]
fn multi_file_save_stages_then_commits_in_order() {
    let Some(c) = save_case() else { return };
    let before = std::time::SystemTime::now();
    let (r, ops) = c.save(Fault::None);
    r.unwrap();
    assert!(c.all_old_or_all_new("clean save"));
    let targets = [c.proj.join("bank02.work"), c.proj.join("bank05.work")];
    // Backups at literal paths: .octa-backup/<UTC stamp>/bank02.work.
    let root = c.proj.join(BACKUP_DIR);
    let stamps: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(stamps.len(), 1, "{stamps:?}");
    let stamp = &stamps[0];
    let t = backups::parse_stamp(stamp).expect("a UTC stamp YYYYMMDD-HHMMSS");
    let secs = before
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(t + 1 >= secs && t <= secs + 60, "{stamp} vs {secs}");
    let kept = root.join(stamp).join("bank02.work");
    assert_eq!(fs::read(&kept).unwrap(), c.old_bank02);
    // Staging: every temp written and fsynced before the journal says commit; then the renames
    // (backups first, never replacing; then the project files), then the folders are fsynced.
    let journal_writes: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| matches!(o, Op::Rename(_, to) if to.ends_with(durable::JOURNAL)))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(journal_writes.len(), 2, "staging and commit journals");
    let commit = journal_writes[1];
    let mut renames = Vec::new();
    for target in targets
        .iter()
        .chain([&kept, &root.join(stamp).join("bank05.work")])
    {
        let (i, tmp) = ops
            .iter()
            .enumerate()
            .find_map(|(i, o)| match o {
                Op::Rename(tmp, to) | Op::RenameNoReplace(tmp, to) if to == target => {
                    Some((i, tmp.clone()))
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("no rename to {target:?}: {ops:#?}"));
        let w = index_of(&ops, |o| matches!(o, Op::Write(p, _) if *p == tmp));
        let s = index_of(&ops, |o| matches!(o, Op::SyncFile(p) if *p == tmp));
        let d = ops
            .iter()
            .enumerate()
            .skip(i)
            .position(|(_, o)| matches!(o, Op::SyncDir(d) if Some(d.as_path()) == target.parent()))
            .map(|k| k + i)
            .unwrap_or_else(|| panic!("folder of {target:?} not fsynced after the rename"));
        assert!(
            w < s && s < commit && commit < i && i < d,
            "{target:?}: {w} {s} {commit} {i} {d}"
        );
        assert_eq!(tmp.parent(), target.parent(), "temp in the target's folder");
        renames.push((i, matches!(ops[i], Op::RenameNoReplace(..))));
    }
    // Backups never replace; project files do; backups are committed first.
    assert_eq!(
        renames.iter().map(|r| r.1).collect::<Vec<_>>(),
        [false, false, true, true]
    );
    assert!(renames[2].0 < renames[0].0 && renames[3].0 < renames[0].0);
    assert!(!c.proj.join(durable::JOURNAL).exists());
}

#[test]
fn a_failure_at_every_operation_of_a_save_leaves_old_or_new() {
    let Some(c) = save_case() else { return };
    let (r, ops) = c.save(Fault::None);
    r.unwrap();
    let n = ops.len();
    let commit = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| matches!(o, Op::Rename(_, to) if to.ends_with(durable::JOURNAL)))
        .map(|(i, _)| i)
        .nth(1)
        .unwrap();
    let mut points = 0;
    for (i, op) in ops.iter().enumerate() {
        // One failing operation: the save reports it; before the commit nothing changed.
        c.reset();
        let (r, _) = c.save(Fault::Once(i));
        let e = r.expect_err(&format!("operation {i} ({op:?}) failed silently"));
        assert!(e.contains("injected"), "{e}");
        if i <= commit {
            assert!(!c.all_old_or_all_new(&format!("failure at {i}")));
        }
        // The next open finishes or rolls back whatever is left.
        drop(open(&c.proj));
        c.all_old_or_all_new(&format!("failure at {i}, reopened"));
        points += 1;
        // A crash: nothing more reaches the disk, not even the clean-up.
        c.reset();
        let (r, _) = c.save(Fault::CrashAt(i));
        assert!(r.is_err());
        drop(open(&c.proj));
        let new = c.consistent(&format!("crash at {i}, reopened"), false);
        assert_eq!(new, i > commit, "crash at {i}: commit point {commit}");
        points += 1;
    }
    // A full disk after every number of bytes (per 64 KB) of the staged files.
    let total: usize = ops
        .iter()
        .filter_map(|o| match o {
            Op::Write(_, n) => Some(*n),
            _ => None,
        })
        .sum();
    for bytes in (0..total as u64).step_by(65_536).chain([total as u64 - 1]) {
        c.reset();
        let (r, _) = c.save(Fault::AfterBytes(bytes));
        let e = r.expect_err("a full disk must fail the save");
        assert!(e.contains("no space"), "{e}");
        assert!(!c.all_old_or_all_new(&format!("full after {bytes} bytes")));
        points += 1;
    }
    eprintln!("multi-file save: {n} operations, {points} failure points covered");
    assert!(points >= 2 * n);
}

/// A set with hello-flex as SRC and its samples, and multipart as DST with an empty AUDIO pool.
fn copy_case() -> Option<(tempfile::TempDir, Project, PathBuf)> {
    let proj = corpus("ot/hello-flex/project")?;
    let samples = corpus("ot/hello-flex/samples")?;
    let multi = corpus("ot/multipart")?;
    let t = tempfile::tempdir().unwrap();
    copy_dir(&proj, &t.path().join("S1/HELLO"));
    copy_dir(&samples, &t.path().join("S1/AUDIO/projects/HELLO FLEX"));
    copy_dir(&multi, &t.path().join("S2/MULTI"));
    fs::create_dir_all(t.path().join("S2/AUDIO")).unwrap();
    let src = Project::open(
        &t.path().join("S1/HELLO"),
        &OpenOptions {
            project: None,
            read_only: true,
        },
    )
    .unwrap();
    let dst = t.path().join("S2/MULTI");
    Some((t, src, dst))
}

fn bank_copy(src: &Project, dst: &Path, fault: Fault) -> (Result<usize, String>, Vec<Op>) {
    let mut d = open(dst);
    let plan = copy::plan(
        src,
        copy::Target::Bank { bank: 0 },
        Some(&d),
        copy::Target::Bank { bank: 1 },
        &copy::CopyOptions::default(),
    )
    .unwrap();
    let files = plan.files.len();
    let rec = Recorder::new(fault);
    let r = durable::with_recorder(&rec, || copy::commit(plan, &mut d, false))
        .map(|_| files)
        .map_err(|e| e.to_string());
    (r, rec.ops())
}

#[test]
fn a_failure_at_every_operation_of_a_copy_with_samples_leaves_old_or_new() {
    let Some((t, src, dst)) = copy_case() else {
        return;
    };
    let set = t.path().join("S2");
    let old = tree(&set);
    let (r, ops) = bank_copy(&src, &dst, Fault::None);
    let files = r.unwrap();
    assert!(
        files >= 10,
        "hello-flex bank A brings its samples ({files})"
    );
    let new = tree(&set);
    let new_files: BTreeMap<String, String> = new
        .iter()
        .filter(|(k, _)| !k.contains(BACKUP_DIR))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // Each copied sample has the source's bytes.
    for (k, v) in &new_files {
        if let Some(rel) = k.strip_prefix("AUDIO/") {
            let from = t.path().join("S1/AUDIO").join(rel);
            assert_eq!(&sha(&fs::read(&from).unwrap()), v, "{k}");
        }
    }
    // Samples are renamed (never replacing) before any project file.
    let first_project = index_of(
        &ops,
        |o| matches!(o, Op::Rename(_, to) if to.starts_with(&dst) && !to.ends_with(durable::JOURNAL)),
    );
    let last_sample = ops
        .iter()
        .rposition(
            |o| matches!(o, Op::RenameNoReplace(_, to) if to.to_string_lossy().contains("/AUDIO/")),
        )
        .unwrap();
    assert!(last_sample < first_project);
    let reset = || {
        let _ = fs::remove_dir_all(set.join("AUDIO"));
        fs::create_dir_all(set.join("AUDIO")).unwrap();
        let _ = fs::remove_dir_all(&dst);
        copy_dir(&corpus("ot/multipart").unwrap(), &dst);
    };
    let check = |what: &str, dirs: bool| -> bool {
        let now: BTreeMap<String, String> = tree(&set)
            .into_iter()
            .filter(|(k, _)| !k.contains(BACKUP_DIR))
            .collect();
        let is_old = now == old;
        assert!(is_old || now == new_files, "{what}: neither old nor new");
        if is_old && dirs {
            assert!(!dst.join(BACKUP_DIR).exists(), "{what}: backups left");
            {
                assert_eq!(folders(&set.join("AUDIO")), Vec::<String>::new(), "{what}");
            }
        }
        !is_old
    };
    let mut points = 0;
    for (i, op) in ops.iter().enumerate() {
        reset();
        let (r, _) = bank_copy(&src, &dst, Fault::Once(i));
        assert!(r.is_err(), "operation {i} ({op:?}) failed silently");
        drop(open(&dst));
        check(&format!("failure at {i}"), true);
        reset();
        let (r, _) = bank_copy(&src, &dst, Fault::CrashAt(i));
        assert!(r.is_err());
        drop(open(&dst));
        check(&format!("crash at {i}"), false);
        points += 2;
    }
    eprintln!(
        "copy with {files} sample files: {} operations, {points} failure points covered",
        ops.len()
    );
}

#[test]
fn saves_in_one_second_keep_every_backup_and_restore_brings_one_back() {
    let Some((_t, proj)) = blank() else { return };
    let mut contents = vec![fs::read(proj.join("bank02.work")).unwrap()];
    for k in 0..3 {
        let mut p = open(&proj);
        edit_bank(&mut p, 1, 1000 + k);
        let r = p.save(false).unwrap();
        assert_eq!(r.backups.len(), 1);
        contents.push(fs::read(proj.join("bank02.work")).unwrap());
    }
    let list = backups::list(&proj, None).unwrap();
    assert_eq!(list.len(), 3, "{list:?}");
    for (i, b) in list.iter().enumerate() {
        assert_eq!(b.files, ["bank02.work"]);
        let path = proj.join(BACKUP_DIR).join(&b.stamp).join("bank02.work");
        assert_eq!(fs::read(&path).unwrap(), contents[i], "{}", b.stamp);
    }
    // Within one second the stamps are `S`, `S-2`, `S-3`.
    for w in list.windows(2) {
        if w[0].time == w[1].time {
            let base = &w[0].stamp[..15];
            assert!(w[1].stamp.starts_with(&format!("{base}-")), "{list:?}");
        }
    }
    // Restore the first through the command line: itself a save with its own backup.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(["backups"])
        .arg(&proj)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.lines().all(|l| l.ends_with("bank02.work")), "{text}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(["backups", "--restore", &list[0].stamp])
        .arg(&proj)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read(proj.join("bank02.work")).unwrap(), contents[0]);
    let after = backups::list(&proj, None).unwrap();
    assert_eq!(after.len(), 4);
    let newest = after.last().unwrap();
    assert_eq!(
        fs::read(newest.folder.join("bank02.work")).unwrap(),
        contents[3]
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(["backups", "--restore", "19990101-000000"])
        .arg(&proj)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("19990101-000000"));
}

#[test]
fn old_backups_are_pruned_after_a_save() {
    let Some((_t, proj)) = blank() else { return };
    // 25 backups from 2020 (older than 7 days) and a folder not made by octa.
    for d in 1..=25 {
        let f = proj.join(BACKUP_DIR).join(format!("202001{d:02}-120000"));
        fs::create_dir_all(&f).unwrap();
        fs::write(f.join("bank02.work"), b"x").unwrap();
    }
    fs::create_dir_all(proj.join(BACKUP_DIR).join("mine")).unwrap();
    let mut p = open(&proj);
    edit_bank(&mut p, 1, 1000);
    let r = p.save(false).unwrap();
    // Default rule: the newest 20 saves (this one and 19 from 2020) and all of the last 7 days.
    assert_eq!(r.pruned.len(), 6, "{:?}", r.pruned);
    for d in 1..=6 {
        assert!(
            !proj
                .join(BACKUP_DIR)
                .join(format!("202001{d:02}-120000"))
                .exists()
        );
    }
    for d in 7..=25 {
        assert!(
            proj.join(BACKUP_DIR)
                .join(format!("202001{d:02}-120000"))
                .exists()
        );
    }
    assert!(proj.join(BACKUP_DIR).join("mine").exists());
}

#[test]
fn zip_backup_goes_beside_the_zip() {
    let Some((t, proj)) = blank() else { return };
    let zip = t.path().join("proj.zip");
    let entries = octa::project::archive::collect_dir(&proj, "PROJ/").unwrap();
    fs::write(
        &zip,
        octa::project::archive::write_zip(&zip, &entries).unwrap(),
    )
    .unwrap();
    let old = fs::read(&zip).unwrap();
    let mut p = open(&zip);
    edit_bank(&mut p, 1, 1000);
    let r = p.save(false).unwrap();
    assert_eq!(r.backups.len(), 1);
    let b = &r.backups[0];
    assert_eq!(
        b.parent().unwrap().parent().unwrap(),
        t.path().join(BACKUP_DIR)
    );
    assert_eq!(b.file_name().unwrap(), "proj.zip");
    assert_eq!(fs::read(b).unwrap(), old);
    assert_ne!(fs::read(&zip).unwrap(), old);
}

#[test]
fn a_symlinked_bank_is_written_through_to_its_target() {
    let Some((t, proj)) = blank() else { return };
    let elsewhere = t.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let real = elsewhere.join("real-bank02.work");
    fs::rename(proj.join("bank02.work"), &real).unwrap();
    std::os::unix::fs::symlink("../elsewhere/real-bank02.work", proj.join("bank02.work")).unwrap();
    let old = fs::read(&real).unwrap();
    let mut p = open(&proj);
    edit_bank(&mut p, 1, 1000);
    let rec = Recorder::new(Fault::None);
    let r = durable::with_recorder(&rec, || p.save(false)).unwrap();
    assert!(
        fs::symlink_metadata(proj.join("bank02.work"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    let new = fs::read(&real).unwrap();
    assert_ne!(new, old);
    assert_eq!(fs::read(proj.join("bank02.work")).unwrap(), new);
    // The temp was made in the target's folder and renamed over the target.
    let ops = rec.ops();
    assert!(
        ops.iter().any(|o| matches!(o, Op::Rename(tmp, to)
                if to.canonicalize().ok() == real.canonicalize().ok()
                    && tmp.parent().unwrap().canonicalize().ok() == elsewhere.canonicalize().ok())),
        "{ops:#?}"
    );
    assert_eq!(fs::read(&r.backups[0]).unwrap(), old);
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1, "no temp left");
}

#[test]
fn a_sample_name_taken_during_the_copy_is_refused_and_nothing_changes() {
    let Some((t, src, dst)) = copy_case() else {
        return;
    };
    let set = t.path().join("S2");
    let mut d = open(&dst);
    let plan = copy::plan(
        &src,
        copy::Target::Bank { bank: 0 },
        Some(&d),
        copy::Target::Bank { bank: 1 },
        &copy::CopyOptions::default(),
    )
    .unwrap();
    // Another process writes a different file under one of the planned names.
    let taken = plan.files[plan.files.len() / 2].to.clone();
    fs::create_dir_all(taken.parent().unwrap()).unwrap();
    fs::write(&taken, b"someone else's").unwrap();
    let before = tree(&set);
    let e = copy::commit(plan, &mut d, false).unwrap_err().to_string();
    assert!(
        e.contains(&taken.file_name().unwrap().to_string_lossy().into_owned()),
        "{e}"
    );
    assert_eq!(tree(&set), before);
    assert_eq!(fs::read(&taken).unwrap(), b"someone else's");
}

fn answer(a: &mut octa::ui::App, key: &str, text: &str) {
    use octa::ui::testing::{press, type_text};
    press(a, &[key]);
    press(a, &["backspace", "backspace", "backspace"]);
    type_text(a, text);
    press(a, &["enter"]);
}

/// The sample browser on a copy of the corpus chain sample and its `.ot` file.
fn slice_browser(read_only: bool) -> Option<(tempfile::TempDir, octa::ui::App)> {
    let dir = corpus("ot/sample-settings/chain-16")?;
    let tmp = tempfile::tempdir().unwrap();
    for f in ["valid-1.wav", "valid-1.ot"] {
        fs::copy(dir.join(f), tmp.path().join(f)).unwrap();
    }
    let mut p = Project::new_blank("untitled");
    p.set_read_only(read_only);
    let mut a = octa::ui::testing::app(p, "tracker");
    octa::ui::testing::press(&mut a, &["F11"]);
    answer(&mut a, "o", &tmp.path().display().to_string());
    let _ = octa::ui::testing::screen(&mut a, 120, 30);
    Some((tmp, a))
}

#[test]
fn read_only_slice_edits_write_nothing() {
    let Some((tmp, mut a)) = slice_browser(true) else {
        return;
    };
    let before = tree(tmp.path());
    for (key, text) in [("g", "4"), ("g", "8")] {
        answer(&mut a, key, text);
        let m = format!("{:?}", a.message);
        assert!(
            m.contains("READ-ONLY") && m.contains("nothing was written"),
            "{m}"
        );
    }
    assert_eq!(tree(tmp.path()), before);
    assert_eq!(folders(tmp.path()), Vec::<String>::new());
}

#[test]
fn slice_edits_back_up_the_ot_file_and_refuse_a_change_on_disk() {
    let Some((tmp, mut a)) = slice_browser(false) else {
        return;
    };
    let ot = tmp.path().join("valid-1.ot");
    let original = fs::read(&ot).unwrap();
    answer(&mut a, "g", "4");
    let after = fs::read(&ot).unwrap();
    assert_ne!(after, original, "{:?}", a.message);
    let list = backups::list(tmp.path(), None).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].files, ["valid-1.ot"]);
    assert_eq!(
        fs::read(
            tmp.path()
                .join(BACKUP_DIR)
                .join(&list[0].stamp)
                .join("valid-1.ot")
        )
        .unwrap(),
        original
    );
    // Another program rewrites the .ot: the next edit refuses to overwrite it.
    fs::write(&ot, &original).unwrap();
    answer(&mut a, "g", "8");
    let m = format!("{:?}", a.message);
    assert!(
        m.contains("changed on disk") && m.contains("valid-1.ot"),
        "{m}"
    );
    assert_eq!(fs::read(&ot).unwrap(), original);
}

/// Nothing outside the write path writes files: the non-test code of `src/` calls no
/// `fs::write`, `fs::copy`, `File::create`, `OpenOptions` opening for writing, `fs::rename`,
/// `hard_link` or removals except in
/// `project/durable.rs`, octa's own crash report and log in its data folder
/// (`ui/terminal.rs`) and the MIDI capture port, a log of sent messages appended to the
/// file the user names with `--midi-out file:PATH` (`midi/capture.rs`).
#[test]
fn only_the_write_path_writes_files() {
    fn rs_files(d: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                rs_files(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&root, &mut files);
    assert!(files.len() > 50);
    let calls = [
        "fs::write(",
        "fs::copy(",
        "File::create(",
        "File::create_new(",
        "fs::rename(",
        "hard_link(",
        "fs::remove_file(",
        "fs::remove_dir_all(",
        "fs::set_permissions(",
        "std::os::unix::fs::symlink(",
    ];
    // `OpenOptions` opening for writing (opening to read, as the bounded reads do, is fine).
    let write_modes = [
        ".write(true)",
        ".append(true)",
        ".create(true)",
        ".create_new(true)",
        ".truncate(true)",
    ];
    let allowed = ["project/durable.rs", "ui/terminal.rs", "midi/capture.rs"];
    let mut found = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if allowed.contains(&rel.as_str()) {
            continue;
        }
        for c in calls {
            if code.contains(c) {
                found.push(format!("{rel}: {c}"));
            }
        }
        if code.contains("OpenOptions") {
            for m in write_modes {
                if code.contains(m) {
                    found.push(format!("{rel}: OpenOptions with {m}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "writes outside the write path: {found:#?}"
    );
}

#[test]
fn check_reports_an_interrupted_save_and_the_next_open_finishes_it() {
    let Some(c) = save_case() else { return };
    let (r, ops) = c.save(Fault::None);
    r.unwrap();
    // Crash right after the first project file is renamed into place.
    let first = ops
        .iter()
        .position(|o| matches!(o, Op::Rename(_, to) if to.ends_with("bank02.work") || to.ends_with("bank05.work")))
        .unwrap();
    c.reset();
    let (r, _) = c.save(Fault::CrashAt(first + 1));
    assert!(r.is_err());
    assert!(durable::interrupted(&c.proj));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .arg("check")
        .arg(&c.proj)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains(".octa-journal: interrupted save"), "{text}");
    // Any command opening the project finishes the save.
    let p = open(&c.proj);
    let w: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter().any(|w| w.contains("finished an interrupted save")),
        "{w:?}"
    );
    assert!(c.all_old_or_all_new("after the open"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .arg("check")
        .arg(&c.proj)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn temp_files_of_dead_processes_are_removed_on_open() {
    let Some((_t, proj)) = blank() else { return };
    let before = tree(&proj);
    // PID 4194304 is above Linux's largest (pid_max is at most 2^22).
    let dead = proj.join(".bank01.work.octa-tmp-4194304-3");
    let old = proj.join(".bank02.work.octa-old-4194304-4");
    fs::write(&dead, b"half").unwrap();
    fs::write(&old, b"x").unwrap();
    // Someone else's file that merely looks alike is kept.
    let other = proj.join("notes.octa-tmp-4194304-1");
    fs::write(&other, b"mine").unwrap();
    let p = open(&proj);
    assert!(!dead.exists() && !old.exists());
    assert!(other.exists());
    let w: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|w| w.contains(".bank01.work.octa-tmp-4194304-3")),
        "{w:?}"
    );
    fs::remove_file(&other).unwrap();
    assert_eq!(tree(&proj), before);
}

#[test]
fn a_damaged_journal_is_left_in_place_and_reported() {
    let Some((_t, proj)) = blank() else { return };
    fs::write(proj.join(durable::JOURNAL), b"not a journal").unwrap();
    let p = open(&proj);
    let w: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|w| w.contains(".octa-journal") && w.contains("damaged")),
        "{w:?}"
    );
    assert!(proj.join(durable::JOURNAL).exists());
}

#[test]
fn a_backup_folder_already_taken_for_this_second_gets_the_next_number() {
    let Some((_t, proj)) = blank() else { return };
    let root = proj.join(BACKUP_DIR);
    // Another save already used the stamps of the coming seconds (each holding its own file).
    let now = std::time::SystemTime::now();
    let mut taken = Vec::new();
    for s in 0..30 {
        let stamp = octa::project::store::utc_stamp(now + std::time::Duration::from_secs(s));
        fs::create_dir_all(root.join(&stamp)).unwrap();
        fs::write(root.join(&stamp).join("bank02.work"), b"earlier backup").unwrap();
        taken.push(stamp);
    }
    let mut p = open(&proj);
    edit_bank(&mut p, 1, 1000);
    let r = p.save(false).unwrap();
    let b = &r.backups[0];
    let folder = b
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        taken.iter().any(|t| folder == format!("{t}-2")),
        "{folder} is not a taken stamp with -2"
    );
    assert_eq!(b, &root.join(&folder).join("bank02.work"));
    for t in &taken {
        assert_eq!(
            fs::read(root.join(t).join("bank02.work")).unwrap(),
            b"earlier backup"
        );
    }
}
