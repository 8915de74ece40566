#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Saving (`src/project/save.rs`), pinned where a mutation run found the other tests silent:
//! what a save leaves marked changed, a save that changes nothing, `.strd` saves that repeat,
//! the paths and words of the errors, sample files committed with a save, zips by a relative path.

mod common;
use common::copy_dir;
use octa::project::durable::{Content, Item, Txn};
use octa::project::{FileId, OpenOptions, Project, ProjectError, archive, store::BACKUP_DIR};
use octa::testutil::corpus;
use std::fs;
use std::path::{Path, PathBuf};

/// blank-1.40B copied to `<tmp>/PROJ`.
fn blank() -> Option<(tempfile::TempDir, PathBuf)> {
    let src = corpus("ot/blank-1.40B")?;
    let t = tempfile::tempdir().unwrap();
    let proj = t.path().join("PROJ");
    copy_dir(&src, &proj);
    Some((t, proj))
}

fn open(p: &Path) -> Project {
    Project::open(p, &OpenOptions::default()).unwrap()
}

/// Flips bit 0 of byte `at` of bank `i` (checksum fixed), as an edit would.
fn flip(p: &mut Project, i: usize, at: usize) {
    let mut bytes = p.file_bytes(FileId::Bank(i), false).unwrap();
    bytes[at] ^= 1;
    octa::format::common::fix_checksum(&mut bytes);
    let (value, _) = <octa::project::Bank as octa::project::OtFile>::parse(&bytes).unwrap();
    *p.bank_mut(i) = value;
}

fn backups_taken(proj: &Path) -> usize {
    fs::read_dir(proj.join(BACKUP_DIR)).map_or(0, |d| d.count())
}

#[test]
fn a_saved_file_is_clean_and_a_second_save_writes_nothing() {
    let Some((_t, proj)) = blank() else { return };
    let mut p = open(&proj);
    flip(&mut p, 1, 3000);
    assert_eq!(p.dirty_files(), vec![FileId::Bank(1)]);
    let r = p.save(false).unwrap();
    assert_eq!(r.written, vec![proj.join("bank02.work")]);
    assert_eq!(
        p.dirty_files(),
        vec![],
        "the saved bank is no longer changed"
    );
    // The project now knows the bytes on disk: a second save is not "changed on disk".
    let r = p.save(false).unwrap();
    assert!(r.written.is_empty() && r.backups.is_empty(), "{r:?}");
    // and a further edit saves over the file octa wrote, without force.
    flip(&mut p, 1, 3001);
    let r = p.save(false).unwrap();
    assert_eq!(r.written, vec![proj.join("bank02.work")]);
    assert_eq!(backups_taken(&proj), 2);
}

#[test]
fn an_edit_undone_by_hand_is_clean_and_not_written() {
    let Some((_t, proj)) = blank() else { return };
    let before = fs::metadata(proj.join("bank03.work"))
        .unwrap()
        .modified()
        .unwrap();
    let mut p = open(&proj);
    flip(&mut p, 2, 5000);
    flip(&mut p, 2, 5000);
    assert_eq!(p.dirty_files(), vec![FileId::Bank(2)], "edited twice");
    let r = p.save(false).unwrap();
    assert!(r.written.is_empty() && r.backups.is_empty(), "{r:?}");
    assert_eq!(p.dirty_files(), vec![], "bytes as read: clean");
    assert!(!p.any_dirty());
    assert_eq!(backups_taken(&proj), 0);
    let after = fs::metadata(proj.join("bank03.work"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn save_stored_twice_writes_the_strd_files_once() {
    let Some((_t, proj)) = blank() else { return };
    let mut p = open(&proj);
    flip(&mut p, 0, 4000);
    let r = p.save_stored(false).unwrap();
    // bank01.work and the 26 .strd files the blank project lacks
    assert_eq!(r.written.len(), 27, "{:?}", r.written);
    assert!(r.written.contains(&proj.join("bank01.strd")));
    assert!(r.written.contains(&proj.join("project.strd")));
    let r = p.save_stored(false).unwrap();
    assert!(r.written.is_empty(), "nothing differs: {:?}", r.written);
    // one more edit: the .work file and its .strd, nothing else
    flip(&mut p, 0, 4001);
    let r = p.save_stored(false).unwrap();
    let mut w = r.written.clone();
    w.sort();
    assert_eq!(w, vec![proj.join("bank01.strd"), proj.join("bank01.work")]);
    assert_eq!(
        fs::read(proj.join("bank01.strd")).unwrap(),
        fs::read(proj.join("bank01.work")).unwrap()
    );
}

#[test]
fn a_read_only_save_names_the_project_folder_and_the_zip() {
    let Some((t, proj)) = blank() else { return };
    let ro = OpenOptions {
        read_only: true,
        ..Default::default()
    };
    let mut p = Project::open(&proj, &ro).unwrap();
    flip(&mut p, 0, 4000);
    let e = p.save(false).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: the project is open read-only; nothing was written",
            proj.display()
        )
    );
    let zip = t.path().join("p.zip");
    let entries = archive::collect_dir(&proj, "PROJ/").unwrap();
    fs::write(&zip, archive::write_zip(&zip, &entries).unwrap()).unwrap();
    let mut z = Project::open(&zip, &ro).unwrap();
    flip(&mut z, 0, 4000);
    let e = z.save(false).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: the project is open read-only; nothing was written",
            zip.display()
        )
    );
}

#[test]
fn save_as_refuses_a_folder_holding_anything_and_names_it() {
    let Some((t, _proj)) = blank() else { return };
    let mut p = Project::new_blank("NEW");
    let full = t.path().join("full");
    fs::create_dir_all(&full).unwrap();
    fs::write(full.join("x"), b"x").unwrap();
    let e = p.save_as(&full).unwrap_err();
    assert!(matches!(e, ProjectError::TargetExists { .. }));
    assert_eq!(
        e.to_string(),
        format!(
            "{}: already exists and is not an empty folder",
            full.display()
        )
    );
    assert_eq!(fs::read_dir(&full).unwrap().count(), 1, "left as it was");
    // an empty folder is fine
    let empty = t.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    assert_eq!(p.save_as(&empty).unwrap().written.len(), 26);
    assert_eq!(p.name(), "empty");
}

#[test]
fn files_staged_with_a_save_are_committed_even_when_no_project_file_changed() {
    let Some((_t, proj)) = blank() else { return };
    let mut p = open(&proj);
    let sample = proj.join("new.wav");
    let mut txn = Txn::new(None);
    txn.push(Item::new_file(
        &sample,
        Content::Bytes(b"RIFF1234".to_vec()),
    ));
    let r = p.save_with(false, txn).unwrap();
    assert_eq!(fs::read(&sample).unwrap(), b"RIFF1234");
    assert_eq!(r.copied, vec![sample.clone()]);
    assert!(r.written.is_empty(), "{:?}", r.written);
}

#[test]
fn sample_files_cannot_be_committed_into_a_zip() {
    let Some((t, proj)) = blank() else { return };
    let zip = t.path().join("p.zip");
    let entries = archive::collect_dir(&proj, "PROJ/").unwrap();
    fs::write(&zip, archive::write_zip(&zip, &entries).unwrap()).unwrap();
    let old = fs::read(&zip).unwrap();
    let mut p = open(&zip);
    flip(&mut p, 0, 4000);
    let mut txn = Txn::new(None);
    let sample = t.path().join("s.wav");
    txn.push(Item::new_file(&sample, Content::Bytes(b"RIFF".to_vec())));
    let e = p.save_with(false, txn).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}: copying sample files into a zip is not supported",
            zip.display()
        )
    );
    assert_eq!(fs::read(&zip).unwrap(), old);
    assert!(!sample.exists());
}

/// The only test here that changes the working directory (the others use absolute paths).
#[test]
fn a_zip_opened_by_a_relative_path_is_saved_with_its_backup_beside_it() {
    let Some((t, proj)) = blank() else { return };
    let zip = t.path().join("rel.zip");
    let entries = archive::collect_dir(&proj, "PROJ/").unwrap();
    fs::write(&zip, archive::write_zip(&zip, &entries).unwrap()).unwrap();
    let old = fs::read(&zip).unwrap();
    let was = std::env::current_dir().unwrap();
    std::env::set_current_dir(t.path()).unwrap();
    let mut p = open(Path::new("rel.zip"));
    flip(&mut p, 0, 4000);
    let r = p.save(false).unwrap();
    assert_eq!(r.written, vec![PathBuf::from("rel.zip")]);
    assert_eq!(r.backups.len(), 1);
    let b = t.path().join(&r.backups[0]);
    assert_eq!(
        b.parent().unwrap().parent().unwrap(),
        t.path().join(BACKUP_DIR)
    );
    assert_eq!(fs::read(&b).unwrap(), old);
    assert_ne!(fs::read(&zip).unwrap(), old);
    std::env::set_current_dir(was).unwrap();
}

#[test]
fn saving_a_zip_prunes_the_backups_beside_it() {
    let Some((t, proj)) = blank() else { return };
    let zip = t.path().join("p.zip");
    let entries = archive::collect_dir(&proj, "PROJ/").unwrap();
    fs::write(&zip, archive::write_zip(&zip, &entries).unwrap()).unwrap();
    // 21 old saves beside the zip; with this save 22: the default rule keeps the newest 20
    let root = t.path().join(BACKUP_DIR);
    for day in 1..=21 {
        let f = root.join(format!("202001{day:02}-000000"));
        fs::create_dir_all(&f).unwrap();
        fs::write(f.join("p.zip"), b"old").unwrap();
    }
    let mut p = open(&zip);
    flip(&mut p, 0, 4000);
    let r = p.save(false).unwrap();
    assert_eq!(
        r.pruned,
        vec![root.join("20200101-000000"), root.join("20200102-000000")]
    );
    assert!(!root.join("20200102-000000").exists());
    assert!(root.join("20200103-000000").exists());
}

#[test]
fn the_state_listing_counts_the_bytes_that_differ() {
    use octa::project::state::{self, FileState};
    let Some((_t, proj)) = blank() else { return };
    // bank01.strd = bank01.work with three bytes of pattern 1 changed (checksum left as it was)
    let mut strd = fs::read(proj.join("bank01.work")).unwrap();
    for at in [1000, 2000, 3000] {
        strd[at] ^= 1;
    }
    fs::write(proj.join("bank01.strd"), &strd).unwrap();
    let p = open(&proj);
    let e = state::diff(&p);
    let bank1 = e.iter().find(|e| e.id == FileId::Bank(0)).unwrap();
    assert_eq!(bank1.state, FileState::Differs(3));
    let lines = state::diff_lines(&e);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("bank01.work: differs from bank01.strd in 3 bytes")),
        "{lines:?}"
    );
}

#[test]
fn the_state_listing_skips_files_missing_on_both_sides() {
    use octa::project::state;
    let Some((_t, proj)) = blank() else { return };
    fs::remove_file(proj.join("markers.work")).unwrap();
    let p = open(&proj);
    let e = state::diff(&p);
    // every .work file on disk is listed (no .strd in a blank project), the missing one is not
    assert!(e.iter().all(|e| e.id != FileId::Markers), "{e:?}");
    assert_eq!(e.len(), 25);
    assert!(
        !state::diff_lines(&e)
            .iter()
            .any(|l| l.starts_with("markers.work"))
    );
}
