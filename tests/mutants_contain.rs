#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Containment of slot paths (`src/project/contain.rs`): Linux's limit of 40 symbolic links in
//! one resolution, a folder whose name only begins like the pool's (`AUDIOX`), FAT's case-blind
//! names in zips, and the check as the project calls it for a folder and for a zip.

mod common;
use common::copy_dir;
use octa::project::contain::{slot_entry_in, slot_file, slot_path_in};
use octa::project::{OpenOptions, Project, archive};
use octa::testutil::corpus;
use std::fs;
use std::path::Path;

/// `AUDIO/l1 -> l2 -> ... -> ln -> Drums`: n links followed to reach the folder.
fn chain(audio: &Path, n: usize) {
    for i in 1..n {
        std::os::unix::fs::symlink(format!("c{n}l{}", i + 1), audio.join(format!("c{n}l{i}")))
            .unwrap();
    }
    std::os::unix::fs::symlink("Drums", audio.join(format!("c{n}l{n}"))).unwrap();
}

#[test]
fn forty_links_are_followed_and_forty_one_are_not() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    fs::create_dir_all(set.join("P")).unwrap();
    fs::create_dir_all(set.join("AUDIO/Drums")).unwrap();
    chain(&set.join("AUDIO"), 40);
    chain(&set.join("AUDIO"), 41);
    let p = set.join("P");
    assert_eq!(
        slot_path_in(&p, None, "Flex 1", "../AUDIO/c40l1/k.wav").unwrap(),
        set.canonicalize().unwrap().join("AUDIO/Drums/k.wav")
    );
    let e = slot_path_in(&p, None, "Flex 2", "../AUDIO/c41l1/k.wav")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("Flex 2 PATH \"../AUDIO/c41l1/k.wav\": leads outside "),
        "{e}"
    );
}

#[test]
fn a_folder_named_like_the_pool_is_not_the_pool() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    fs::create_dir_all(set.join("P")).unwrap();
    fs::create_dir_all(set.join("AUDIO")).unwrap();
    fs::create_dir_all(set.join("AUDIOX")).unwrap();
    let p = set.join("P");
    assert!(slot_path_in(&p, None, "Flex 1", "../AUDIOX/a.wav").is_err());
    assert!(slot_path_in(&p, None, "Flex 1", "../PX/a.wav").is_err());
    let z = Path::new("/x/set.zip");
    let audio = Some("SET/AUDIO");
    assert!(slot_entry_in(z, "SET/P/", audio, "Flex 1", "../AUDIOX/a.wav").is_err());
    assert!(slot_entry_in(z, "SET/P/", audio, "Flex 1", "../AUDIO").is_err());
    // FAT names are case-blind: the pool's own folder in other letters is the pool
    assert_eq!(
        slot_entry_in(z, "SET/P/", audio, "Flex 1", "../audio/a.wav").unwrap(),
        "SET/audio/a.wav"
    );
    let e = slot_entry_in(z, "SET/P/", audio, "Flex 9", "../../x.wav")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "Flex 9 PATH \"../../x.wav\": leads outside /x/set.zip/SET/P or /x/set.zip/SET/AUDIO; refused"
    );
}

#[test]
fn the_check_as_a_folder_and_a_zip_project_call_it() {
    let Some(src) = corpus("ot/blank-1.40B") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    copy_dir(&src, &set.join("P"));
    fs::create_dir_all(set.join("AUDIO")).unwrap();
    let p = Project::open(&set.join("P"), &OpenOptions::default()).unwrap();
    assert_eq!(
        slot_file(&p, "Flex 1", "../AUDIO/k.wav").unwrap(),
        Some(set.canonicalize().unwrap().join("AUDIO/k.wav"))
    );
    assert!(slot_file(&p, "Flex 1", "../../k.wav").is_err());

    let zip = t.path().join("set.zip");
    archive::export_zip(&set, &zip).unwrap();
    let z = Project::open(&zip, &OpenOptions::default()).unwrap();
    assert_eq!(slot_file(&z, "Flex 1", "../AUDIO/k.wav").unwrap(), None);
    let e = slot_file(&z, "Flex 2", "../OTHER/k.wav")
        .unwrap_err()
        .to_string();
    assert!(e.contains(&format!("{}/SET/AUDIO", zip.display())), "{e}");

    let u = Project::new_blank("U");
    assert_eq!(slot_file(&u, "Flex 1", "../../anything").unwrap(), None);
}

#[test]
fn a_project_folder_not_made_yet_resolves_by_name() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path().join("SET");
    fs::create_dir_all(set.join("AUDIO")).unwrap();
    let p = set.join("NEW");
    assert_eq!(
        slot_path_in(&p, None, "Flex 1", "../AUDIO/a.wav").unwrap(),
        set.canonicalize().unwrap().join("AUDIO/a.wav")
    );
    assert!(slot_path_in(&p, None, "Flex 1", "../../a.wav").is_err());
}
