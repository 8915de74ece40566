#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The slots view's bulk operations: merging duplicate slots shows its plan and asks first, and
//! changes only the banks whose references move; a file is assigned by picking it in the sample
//! browser; the slot's whole path is shown.

use octa::format::slot_attrs::SlotRef;
use octa::project::{OpenOptions, Project, slots};
use octa::ui::App;
use octa::ui::testing::{app, press, screen};
use std::path::{Path, PathBuf};

/// The hello-flex project in a set (`<tmp>/HELLO` with its pool under `<tmp>/AUDIO`).
fn hello_flex(tmp: &Path) -> Option<PathBuf> {
    let proj = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    let dir = tmp.join("HELLO");
    let pool = tmp.join("AUDIO/projects/HELLO FLEX");
    for (from, to) in [(&proj, &dir), (&samples, &pool)] {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    Some(dir)
}

fn open(dir: &Path) -> Project {
    Project::open(dir, &OpenOptions::default()).unwrap()
}

/// Makes Flex 30 a duplicate of Flex 5 used by bank B (a part's machine slot and a lock), saved.
fn with_duplicate(dir: &Path) {
    let mut p = open(dir);
    let mut pf = slots::project_file(&p).unwrap();
    let mut dup = pf.slot(SlotRef::Flex(5)).unwrap();
    dup.slot = SlotRef::Flex(30);
    pf.add_slot(&dup).unwrap();
    slots::set_project_file(&mut p, &pf);
    let m = p.markers().slot(SlotRef::Flex(5)).unwrap();
    p.markers_mut().set_slot(SlotRef::Flex(30), &m).unwrap();
    let bank = p.bank_mut(1);
    bank.edit_part(0, |part| {
        part.set_machine_type(3, octa::format::MachineType::Flex)
            .unwrap();
        part.slots[3].flex_slot = 29;
    })
    .unwrap();
    bank.patterns[0].audio[0]
        .set_sample_lock(2, Some(29))
        .unwrap();
    p.save(false).unwrap();
}

fn slots_app(dir: &Path) -> App {
    let mut a = app(open(dir), "tracker");
    press(&mut a, &["F5"]);
    assert_eq!(a.views[a.current].info().id, "slots");
    a
}

#[test]
fn merging_duplicates_shows_the_plan_and_asks() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello_flex(tmp.path()) else {
        return;
    };
    with_duplicate(&dir);
    let mut a = slots_app(&dir);
    press(&mut a, &["D"]);
    let s = screen(&mut a, 160, 50).join("\n");
    assert!(s.contains("Merge duplicate slots?"), "{s}");
    assert!(s.contains("Flex 30 -> Flex 5"), "{s}");
    assert!(s.contains("bank(s) changed: B"), "{s}");
    // The references that move are named: bank B part 1 track 4, and the lock on B01 T1 step 3.
    assert!(s.contains("Bpart 1 T4"), "{s}");
    assert!(s.contains("B01 T1 step 3 lock"), "{s}");
    // Nothing changed yet; n cancels.
    let pf = |a: &App| slots::project_file(&a.ctx.doc.project).unwrap();
    assert!(pf(&a).slot(SlotRef::Flex(30)).is_some());
    press(&mut a, &["n"]);
    assert!(pf(&a).slot(SlotRef::Flex(30)).is_some(), "cancelled");
    assert!(!a.ctx.doc.is_dirty());
    let s = screen(&mut a, 160, 50).join("\n");
    assert!(!s.contains("Merge duplicate slots?"), "{s}");
    // Asked again and confirmed: merged, and only bank B is marked changed.
    press(&mut a, &["D", "y"]);
    assert!(pf(&a).slot(SlotRef::Flex(30)).is_none(), "merged");
    assert_eq!(
        a.ctx.doc.project.bank(1).patterns[0].audio[0].sample_lock(2),
        Some(4),
        "the lock now plays Flex 5"
    );
    let dirty: Vec<usize> = (0..16).filter(|b| a.ctx.doc.bank_dirty(*b)).collect();
    assert_eq!(dirty, vec![1]);
    // One undo step puts it all back.
    press(&mut a, &["ctrl+z"]);
    assert!(pf(&a).slot(SlotRef::Flex(30)).is_some());
}

#[test]
fn nothing_to_merge_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello_flex(tmp.path()) else {
        return;
    };
    let mut a = slots_app(&dir);
    let plan = slots::dedupe_plan(&a.ctx.doc.project).unwrap();
    assert!(plan.merged.is_empty(), "{plan:?}");
    press(&mut a, &["D"]);
    assert_eq!(
        a.message,
        Some(("no duplicate slots: nothing to merge".to_string(), false))
    );
}

#[test]
fn a_file_picked_in_the_browser_is_assigned() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello_flex(tmp.path()) else {
        return;
    };
    let mut a = slots_app(&dir);
    // Flex 40 (row 39) has no sample.
    press(&mut a, &["pagedown", "pagedown"]);
    for _ in 0..7 {
        press(&mut a, &["down"]);
    }
    let pf = |a: &App| slots::project_file(&a.ctx.doc.project).unwrap();
    assert!(pf(&a).slot(SlotRef::Flex(40)).is_none());
    press(&mut a, &["b"]);
    assert_eq!(a.views[a.current].info().id, "samples");
    let s = screen(&mut a, 160, 50).join("\n");
    assert!(s.contains("picking a file for Flex 40"), "{s}");
    press(&mut a, &["enter"]);
    let block = pf(&a).slot(SlotRef::Flex(40)).expect("assigned");
    // The first file the browser lists: the pool's first wav, sorted by name.
    assert_eq!(block.path, "../AUDIO/projects/HELLO FLEX/02BD.wav");
    let (m, err) = a.message.clone().unwrap();
    assert!(!err && m.starts_with("Flex 40: "), "{m}");
    // Picking is over: enter again assigns nothing more.
    press(&mut a, &["enter"]);
    assert!(a.message.as_ref().unwrap().0.contains("not picking"));
    // Back in the slots view the whole path is shown.
    press(&mut a, &["F5"]);
    let s = screen(&mut a, 160, 50).join("\n");
    assert!(
        s.contains("Flex 40: ../AUDIO/projects/HELLO FLEX/02BD.wav"),
        "{s}"
    );
}

#[test]
fn long_paths_wrap_after_a_slash() {
    let p = "../AUDIO/a-rather-long-folder-name/another-long-folder/kick-drum-sample.wav";
    let w = octa::ui::slots_view::wrap_path(p, 40);
    // Greedy: as much as fits in 40 characters, cut after the last slash that fits.
    assert_eq!(
        w,
        vec![
            "../AUDIO/a-rather-long-folder-name/",
            "another-long-folder/kick-drum-sample.wav"
        ]
    );
    assert_eq!(w.concat(), p);
}
