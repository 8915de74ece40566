#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Saving from the tracker: only changed files, refusing files changed on disk unless forced,
//! read-only never writes, quitting with changes asks.

use octa::format::bank::Bank;
use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::app::Overlay;
use octa::ui::model::Mask;
use octa::ui::pattern::edit::At;
use octa::ui::testing::{app, press};
use std::collections::BTreeMap;
use std::path::Path;

fn copy_project(rel: &str) -> Option<tempfile::TempDir> {
    let src = octa::testutil::corpus(rel)?;
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    Some(dir)
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn open(dir: &Path, read_only: bool) -> App {
    let p = Project::open(
        dir,
        &OpenOptions {
            project: None,
            read_only,
        },
    )
    .unwrap();
    app(p, "tracker")
}

#[test]
fn saves_only_the_changed_bank() {
    let Some(dir) = copy_project("ot/hello-flex/project") else {
        return;
    };
    let before = snapshot(dir.path());
    let mut a = open(dir.path(), false);
    press(&mut a, &["down", "space", "ctrl+s"]);
    assert!(
        a.message
            .as_ref()
            .is_some_and(|(m, e)| !e && m.contains("saved 1")),
        "{:?}",
        a.message
    );
    let after = snapshot(dir.path());
    for (name, bytes) in &before {
        if name != "bank01.work" {
            assert_eq!(after.get(name), Some(bytes), "{name} unchanged");
        }
    }
    let (bank, warnings) = Bank::from_bytes(&after["bank01.work"]).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        bank.patterns[0].audio[0].trigs.get(1),
        "the new trig on T1 step 2"
    );
    let (old, _) = Bank::from_bytes(&before["bank01.work"]).unwrap();
    assert!(!old.patterns[0].audio[0].trigs.get(1));
    assert!(!a.ctx.doc.bank_dirty(0));
}

#[test]
fn refuses_files_changed_on_disk_unless_forced() {
    let Some(dir) = copy_project("ot/hello-flex/project") else {
        return;
    };
    let mut a = open(dir.path(), false);
    press(&mut a, &["space"]);
    // Someone else rewrites bank01 meanwhile.
    let path = dir.path().join("bank01.work");
    let mut other = Bank::from_bytes(&std::fs::read(&path).unwrap()).unwrap().0;
    other.patterns[5].tempo_x24 = 100 * 24;
    let theirs = other.to_bytes();
    std::fs::write(&path, &theirs).unwrap();
    press(&mut a, &["ctrl+s"]);
    let (m, err) = a.message.clone().unwrap();
    assert!(err && m.contains("changed on disk"), "{m}");
    assert_eq!(std::fs::read(&path).unwrap(), theirs, "not overwritten");
    assert!(a.ctx.doc.bank_dirty(0));
    press(&mut a, &["ctrl+alt+s"]);
    let ours = Bank::from_bytes(&std::fs::read(&path).unwrap()).unwrap().0;
    let at = At {
        bank: 0,
        pattern: 0,
    };
    assert_eq!(
        ours.patterns[0].audio[0].trigs.get(0),
        at.mask(&a.ctx.doc, 0, Mask::Trig, 0)
    );
    assert_ne!(
        std::fs::read(&path).unwrap(),
        theirs,
        "forced save overwrote"
    );
}

#[test]
fn read_only_never_writes_and_quit_asks() {
    let Some(dir) = copy_project("ot/hello-flex/project") else {
        return;
    };
    let before = snapshot(dir.path());
    let mut a = open(dir.path(), true);
    press(&mut a, &["space", "ctrl+s"]);
    assert!(
        a.message
            .as_ref()
            .is_some_and(|(m, e)| *e && m.contains("read-only")),
        "{:?}",
        a.message
    );
    press(&mut a, &["ctrl+alt+s", "ctrl+q"]);
    assert!(a.quit, "read-only quits without asking");
    assert_eq!(snapshot(dir.path()), before);
    // A writable project with changes asks before quitting.
    let mut a = open(dir.path(), false);
    press(&mut a, &["space", "ctrl+q"]);
    assert_eq!(a.overlay, Overlay::ConfirmQuit);
    press(&mut a, &["n"]);
    assert!(!a.quit && a.overlay == Overlay::None);
    press(&mut a, &["ctrl+q", "y"]);
    assert!(a.quit);
    assert_eq!(
        snapshot(dir.path()),
        before,
        "quit without saving wrote nothing"
    );
}

#[test]
fn untitled_project_asks_where_to_save() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("NEW");
    let mut a = app(Project::new_blank("untitled"), "tracker");
    press(&mut a, &["ctrl+q"]);
    assert!(a.quit, "an untouched new project quits without asking");
    let mut a = app(Project::new_blank("untitled"), "tracker");
    press(&mut a, &["space", "ctrl+s"]);
    assert!(matches!(a.overlay, Overlay::Prompt { .. }));
    octa::ui::testing::type_text(&mut a, &target.display().to_string());
    press(&mut a, &["enter"]);
    let bank = Bank::from_bytes(&std::fs::read(target.join("bank01.work")).unwrap())
        .unwrap()
        .0;
    assert!(bank.patterns[0].audio[0].trigs.get(0));
    assert!(target.join("project.work").is_file());
}

#[test]
fn demo_opens_on_its_first_pattern_with_trigs() {
    let dir = tempfile::tempdir().unwrap();
    let opts = octa::ui::RunOptions {
        demo: true,
        demo_dir: Some(dir.path().join("demo")),
        ..Default::default()
    };
    let project = octa::ui::open_project(&opts).unwrap();
    let a = app(project, "tracker");
    assert_eq!(a.ctx.doc.name(), "OCTA-DEMO");
    let at = At {
        bank: a.ctx.nav.bank,
        pattern: a.ctx.nav.pattern,
    };
    assert!((0..16).any(|t| (0..64).any(|s| at.mask(&a.ctx.doc, t, Mask::Trig, s))));
}
