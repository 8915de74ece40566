#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The on-disk layer: opening folders, sets and zips; saving only what changed, atomically,
//! with backups; refusing to overwrite external changes; zip export/import and zip-slip.

mod common;
use common::copy_dir;
use octa::project::{
    FileId, Location, OpenOptions, Project, ProjectError, archive, store::BACKUP_DIR,
};
use octa::testutil::corpus;
use std::fs;
use std::path::{Path, PathBuf};

/// Asserts two byte strings are equal, reporting the first difference (not the bytes).
#[track_caller]
fn same(a: &[u8], b: &[u8], what: &str) {
    if a != b {
        let at = a.iter().zip(b).position(|(x, y)| x != y);
        panic!(
            "{what}: differ (lengths {} and {}, first difference at {at:?})",
            a.len(),
            b.len()
        );
    }
}

fn listing(dir: &Path) -> Vec<(PathBuf, octa::project::Fingerprint)> {
    let mut v: Vec<_> = archive::collect_dir(dir, "")
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                PathBuf::from(e.name),
                octa::project::Fingerprint::of(&e.data),
            )
        })
        .collect();
    v.sort();
    v
}

/// A temp copy of blank-1.40B inside a set (SET/AUDIO, SET/PROJ).
fn blank_set() -> Option<(tempfile::TempDir, PathBuf)> {
    let src = corpus("ot/blank-1.40B")?;
    let t = tempfile::tempdir().unwrap();
    let proj = t.path().join("SET").join("PROJ");
    copy_dir(&src, &proj);
    fs::create_dir_all(t.path().join("SET/AUDIO")).unwrap();
    fs::write(t.path().join("SET/AUDIO/kick.wav"), b"RIFF").unwrap();
    Some((t, proj))
}

#[test]
fn opens_folder_and_set_and_saves_nothing_when_unchanged() {
    let Some((t, proj)) = blank_set() else { return };
    let p = Project::open(&proj, &OpenOptions::default()).unwrap();
    assert_eq!(p.name(), "PROJ");
    assert!(p.warnings().is_empty(), "{:?}", p.warnings());
    assert!(!p.any_dirty());
    assert_eq!(
        p.audio_pool(),
        Some(&octa::project::AudioPool::Folder(proj.join("../AUDIO")))
    );
    assert!(p.sample_exists("../AUDIO/kick.wav"));
    assert!(!p.sample_exists("../AUDIO/snare.wav"));
    // every file's bytes come back identical
    for id in FileId::all() {
        let on_disk = fs::read(proj.join(id.file_name(false))).unwrap();
        same(
            &p.file_bytes(id, false).unwrap(),
            &on_disk,
            &format!("{id:?}"),
        );
        assert!(p.file_bytes(id, true).is_none());
    }
    // the set folder opens the same project
    let s = Project::open(&t.path().join("SET"), &OpenOptions::default()).unwrap();
    assert_eq!(s.path(), Some(proj.as_path()));
    let before = listing(t.path());
    let mut s = s;
    let r = s.save(false).unwrap();
    assert!(r.written.is_empty());
    // taking mutable access without changing anything writes nothing either
    let _ = s.bank_mut(3);
    assert!(s.is_dirty(FileId::Bank(3)));
    let r = s.save(false).unwrap();
    assert!(r.written.is_empty());
    assert!(!s.is_dirty(FileId::Bank(3)));
    assert_eq!(listing(t.path()), before);
}

/// Changes one byte of a file through the project (stand-in for an edit).
fn edit_bank(p: &mut Project, i: usize) {
    let bytes = p.file_bytes(FileId::Bank(i), false).unwrap();
    let mut edited = bytes.clone();
    edited[1000] ^= 1;
    octa::format::common::fix_checksum(&mut edited);
    let (value, _) = <octa::project::Bank as octa::project::OtFile>::parse(&edited).unwrap();
    *p.bank_mut(i) = value;
}

#[test]
fn save_writes_only_changed_file_with_backup_and_refuses_external_change() {
    let Some((_t, proj)) = blank_set() else {
        return;
    };
    let mut p = Project::open(&proj, &OpenOptions::default()).unwrap();
    let original = fs::read(proj.join("bank02.work")).unwrap();
    let others: Vec<_> = ["bank01.work", "project.work", "markers.work"]
        .iter()
        .map(|n| fs::metadata(proj.join(n)).unwrap().modified().unwrap())
        .collect();
    edit_bank(&mut p, 1);
    assert_eq!(p.dirty_files(), vec![FileId::Bank(1)]);
    let r = p.save(false).unwrap();
    assert_eq!(r.written, vec![proj.join("bank02.work")]);
    assert_eq!(r.backups.len(), 1);
    assert!(r.backups[0].starts_with(proj.join(BACKUP_DIR)));
    same(&fs::read(&r.backups[0]).unwrap(), &original, "backup");
    let saved = fs::read(proj.join("bank02.work")).unwrap();
    assert_ne!(saved, original);
    assert_eq!(saved.len(), original.len());
    assert!(!p.any_dirty());
    let after: Vec<_> = ["bank01.work", "project.work", "markers.work"]
        .iter()
        .map(|n| fs::metadata(proj.join(n)).unwrap().modified().unwrap())
        .collect();
    assert_eq!(others, after);
    // no stray temp files
    assert!(
        fs::read_dir(&proj).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("tmp"))
    );

    // someone else rewrites bank02 behind our back: refuse, name the file, write nothing
    let mut external = saved.clone();
    external[2000] ^= 1;
    fs::write(proj.join("bank02.work"), &external).unwrap();
    edit_bank(&mut p, 1);
    let e = p.save(false).unwrap_err();
    assert!(matches!(e, ProjectError::ChangedOnDisk { .. }));
    assert!(e.to_string().contains("bank02.work"), "{e}");
    same(
        &fs::read(proj.join("bank02.work")).unwrap(),
        &external,
        "untouched",
    );
    // forced: overwritten, with the external version backed up
    let r = p.save(true).unwrap();
    assert_eq!(r.written, vec![proj.join("bank02.work")]);
    same(&fs::read(&r.backups[0]).unwrap(), &external, "backup");

    // read-only never writes
    let mut ro = Project::open(
        &proj,
        &OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    let snapshot = listing(&proj);
    edit_bank(&mut ro, 0);
    assert!(matches!(ro.save(true), Err(ProjectError::ReadOnly { .. })));
    assert!(matches!(
        ro.save_stored(true),
        Err(ProjectError::ReadOnly { .. })
    ));
    assert_eq!(listing(&proj), snapshot);
}

#[test]
fn save_stored_writes_strd_copies() {
    let Some((_t, proj)) = blank_set() else {
        return;
    };
    let mut p = Project::open(&proj, &OpenOptions::default()).unwrap();
    edit_bank(&mut p, 0);
    let r = p.save_stored(false).unwrap();
    // bank01.work, then 26 .strd files (none existed)
    assert_eq!(r.written.len(), 27, "{:?}", r.written);
    same(
        &fs::read(proj.join("bank01.strd")).unwrap(),
        &fs::read(proj.join("bank01.work")).unwrap(),
        "strd = work",
    );
    let q = Project::open(&proj, &OpenOptions::default()).unwrap();
    assert!(q.stored_bank(0).is_some());
    same(
        &q.file_bytes(FileId::Bank(0), true).unwrap(),
        &q.file_bytes(FileId::Bank(0), false).unwrap(),
        "reopened strd",
    );
    // a plain save never touches .strd
    let strd = fs::read(proj.join("bank01.strd")).unwrap();
    edit_bank(&mut p, 0);
    let r = p.save(false).unwrap();
    assert_eq!(r.written, vec![proj.join("bank01.work")]);
    same(&fs::read(proj.join("bank01.strd")).unwrap(), &strd, "strd");
}

#[test]
fn missing_files_open_blank_with_warnings_and_are_written_only_when_edited() {
    let Some((_t, proj)) = blank_set() else {
        return;
    };
    for n in ["bank05.work", "markers.work", "arr03.work"] {
        fs::remove_file(proj.join(n)).unwrap();
    }
    let mut p = Project::open(&proj, &OpenOptions::default()).unwrap();
    let w: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 3, "{w:?}");
    for n in ["bank05.work", "markers.work", "arr03.work"] {
        assert!(
            w.iter().any(|w| w.contains(n) && w.contains("missing")),
            "{n}: {w:?}"
        );
    }
    // the blank stand-ins are the device's blank files
    let blank = corpus("ot/blank-1.40B").unwrap();
    same(
        &p.file_bytes(FileId::Markers, false).unwrap(),
        &fs::read(blank.join("markers.work")).unwrap(),
        "blank markers",
    );
    assert!(p.read_fingerprint(FileId::Bank(4), false).is_none());
    assert!(p.save(false).unwrap().written.is_empty());
    assert!(!proj.join("bank05.work").exists());
    edit_bank(&mut p, 4);
    let r = p.save(false).unwrap();
    assert_eq!(r.written, vec![proj.join("bank05.work")]);
    assert!(r.backups.is_empty());
    assert!(!proj.join("markers.work").exists());
    // a file created behind our back where one was missing is an external change too
    fs::write(proj.join("arr03.work"), b"x").unwrap();
    let _ = p.arrangement_mut(2);
    // arrangement unchanged in content but absent when read: it must be written, and that is refused
    let e = p.save(false).unwrap_err();
    assert!(e.to_string().contains("arr03.work"), "{e}");
}

#[test]
fn errors_name_the_file() {
    let Some((t, proj)) = blank_set() else { return };
    let mut b = fs::read(proj.join("bank07.work")).unwrap();
    b.truncate(5000);
    fs::write(proj.join("bank07.work"), &b).unwrap();
    let e = Project::open(&proj, &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("bank07.work") && e.contains("5000"), "{e}");
    fs::remove_file(proj.join("bank07.work")).unwrap();
    fs::create_dir(proj.join("bank07.work")).unwrap();
    let e = Project::open(&proj, &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("bank07.work") && e.contains("folder"), "{e}");
    let e = Project::open(&t.path().join("nothing"), &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("nothing"), "{e}");
    let e = Project::open(&t.path().join("SET/AUDIO"), &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("AUDIO") && e.contains("no project.work"), "{e}");
}

#[test]
fn zip_open_save_export_import() {
    let Some((t, proj)) = blank_set() else { return };
    let zip = t.path().join("set.zip");
    archive::export_zip(&t.path().join("SET"), &zip).unwrap();
    let mut p = Project::open(&zip, &OpenOptions::default()).unwrap();
    assert_eq!(p.name(), "PROJ");
    assert!(matches!(p.location(), Location::Zip { dir, .. } if dir == "SET/PROJ/"));
    assert_eq!(
        p.audio_pool(),
        Some(&octa::project::AudioPool::Zip("SET/AUDIO".into()))
    );
    assert_eq!(p.read_sample("../AUDIO/kick.wav").unwrap(), b"RIFF");
    assert!(p.read_sample("../AUDIO/none.wav").is_err());
    edit_bank(&mut p, 2);
    let edited = p.file_bytes(FileId::Bank(2), false).unwrap();
    let old_zip = fs::read(&zip).unwrap();
    let r = p.save(false).unwrap();
    assert_eq!(r.written, vec![zip.clone()]);
    same(&fs::read(&r.backups[0]).unwrap(), &old_zip, "zip backup");
    // reopened: the edit is there, other files unchanged
    let q = Project::open(&zip, &OpenOptions::default()).unwrap();
    same(
        &q.file_bytes(FileId::Bank(2), false).unwrap(),
        &edited,
        "edited bank",
    );
    same(
        &q.file_bytes(FileId::Bank(3), false).unwrap(),
        &fs::read(proj.join("bank04.work")).unwrap(),
        "other bank",
    );
    // an external change to the zip is refused
    fs::write(&zip, &old_zip).unwrap();
    edit_bank(&mut p, 2);
    let e = p.save(false).unwrap_err().to_string();
    assert!(
        e.contains("set.zip") && e.contains("changed on disk"),
        "{e}"
    );
    // import gives back the folder tree
    let out = t.path().join("imported");
    archive::import_zip(&zip, &out).unwrap();
    same(
        &fs::read(out.join("SET/PROJ/bank01.work")).unwrap(),
        &fs::read(proj.join("bank01.work")).unwrap(),
        "imported",
    );
    // importing into a non-empty folder is refused
    assert!(matches!(
        archive::import_zip(&zip, &out),
        Err(ProjectError::TargetExists { .. })
    ));
}

#[test]
fn untitled_saves_only_with_save_as() {
    let Some(blank) = corpus("ot/blank-1.40B") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let mut p = Project::new_blank("NEW");
    assert!(matches!(p.save(false), Err(ProjectError::Untitled)));
    let dir = t.path().join("NEW");
    let r = p.save_as(&dir).unwrap();
    assert_eq!(r.written.len(), 26);
    assert!(!p.any_dirty());
    assert_eq!(p.path(), Some(dir.as_path()));
    for id in FileId::all() {
        let n = id.file_name(false);
        same(
            &fs::read(dir.join(&n)).unwrap(),
            &fs::read(blank.join(&n)).unwrap(),
            &n,
        );
    }
    assert!(matches!(
        p.save_as(&dir),
        Err(ProjectError::TargetExists { .. })
    ));
}
