#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The side-by-side view, driven with keys: open hello-flex beside multipart (each in its own
//! set with an AUDIO pool), copy a pattern with its part across after the summary overlay,
//! undo / redo in the focused pane's project, save both, quit asks for either.

mod facts;

mod common;
use common::copy_dir;
use octa::format::bank::Bank;
use octa::format::slot_attrs::SlotRef;
use octa::project::slots::{self, part_refs};
use octa::project::{OpenOptions, Project};
use octa::ui::app::Overlay;
use octa::ui::testing::{app, press, screen, type_text};
use octa::ui::{App, Side};
use std::path::{Path, PathBuf};

const HELLO_POOL: &str = "AUDIO/projects/HELLO FLEX";

/// Set S1 with hello-flex (samples in its pool) and set S2 with multipart (empty pool).
fn two_sets(root: &Path) -> Option<(PathBuf, PathBuf)> {
    let hello = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    let multi = octa::testutil::corpus("ot/multipart")?;
    copy_dir(&hello, &root.join("S1/HELLO"));
    copy_dir(&samples, &root.join("S1").join(HELLO_POOL));
    copy_dir(&multi, &root.join("S2/MULTI"));
    std::fs::create_dir_all(root.join("S2/AUDIO")).unwrap();
    Some((root.join("S1/HELLO"), root.join("S2/MULTI")))
}

fn open(p: &Path) -> Project {
    Project::open(p, &OpenOptions::default()).unwrap()
}

/// The tracker on multipart with hello-flex opened beside it through the prompt.
fn side_app(hello: &Path, multi: &Path) -> App {
    let mut a = app(open(multi), "tracker");
    press(&mut a, &["ctrl+o"]);
    assert!(matches!(a.overlay, Overlay::Prompt { .. }));
    type_text(&mut a, &hello.to_string_lossy());
    press(&mut a, &["enter"]);
    assert_eq!(a.ctx.other.as_ref().map(|d| d.name()), Some("HELLO"));
    assert!(screen(&mut a, 200, 30)[0].contains("Side by side: MULTI | HELLO"));
    a
}

/// The bytes of the file a slot of a project plays.
fn slot_bytes(p: &Project, s: SlotRef) -> Option<Vec<u8>> {
    let pf = slots::project_file(p).unwrap();
    let b = pf.slot(s)?;
    if b.path.is_empty() {
        return None;
    }
    std::fs::read(p.sample_path(&b.path)?).ok()
}

fn bank_bytes(a: &App, b: usize) -> Vec<u8> {
    a.ctx.doc.bank(b).unwrap().to_bytes()
}

#[test]
fn copies_a_pattern_with_its_part_across_projects_undoably() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, multi)) = two_sets(tmp.path()) else {
        return;
    };
    let mut a = side_app(&hello, &multi);
    let s = screen(&mut a, 140, 26);
    insta::assert_snapshot!("side_by_side", s.join("\n"));
    // Bank A of each pane against its bank file: the part of each pattern with trigs.
    for (pane, dir) in [(0, &multi), (1, &hello)] {
        let bank = facts::BankBytes::read(dir, 0);
        let line = s.iter().find(|l| l.contains("BANK A")).unwrap();
        let half = line.split("││").nth(pane).unwrap();
        let cells: Vec<&str> = half
            .split("BANK A")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect();
        let want: Vec<String> = (0..16)
            .map(|n| match bank.pattern_in_use(n) {
                true => (bank.pattern_part(n) + 1).to_string(),
                false => ".".into(),
            })
            .collect();
        assert_eq!(cells[..16], want[..], "pane {pane}");
    }
    let bank_before = bank_bytes(&a, 0);
    let pf_before = a.ctx.doc.project.project_file().to_bytes();
    let markers_before = a.ctx.doc.project.markers().to_bytes();

    // Left cursor on A05 of MULTI; focus the right pane (HELLO A01) and copy it across.
    press(&mut a, &["right", "right", "right", "right", "tab"]);
    assert_eq!(a.focused_side(), Side::Other);
    press(&mut a, &["c"]);
    assert_eq!(a.overlay, Overlay::ConfirmCopy(0));
    let lines = a.pending_copy.as_ref().unwrap().lines.clone();
    assert_eq!(
        lines[0],
        "copy pattern A01 of HELLO -> pattern A05 of MULTI"
    );
    let new_slots: Vec<&String> = lines.iter().filter(|l| l.contains("(new)")).collect();
    assert!(!new_slots.is_empty(), "{lines:?}");
    assert!(
        new_slots
            .iter()
            .all(|l| l.contains("../AUDIO/projects/HELLO FLEX/")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.contains("undo does not delete")));
    // The overlay shows the lines (the first one at the top).
    let s = screen(&mut a, 120, 26);
    assert!(s.iter().any(|l| l.contains(&lines[0])), "{s:#?}");
    // On a small screen the summary scrolls to its last line (long lines are cut into rows).
    let small = screen(&mut a, 100, 12);
    assert!(small.iter().any(|l| l.contains(&lines[0])), "{small:#?}");
    press(&mut a, &["pagedown", "pagedown", "pagedown", "pagedown"]);
    let small = screen(&mut a, 100, 12);
    assert!(!small.iter().any(|l| l.contains(&lines[0])), "{small:#?}");
    assert!(
        small
            .iter()
            .any(|l| l.contains("(undo does not delete them)")),
        "{small:#?}"
    );
    press(&mut a, &["up"]);
    assert!(matches!(a.overlay, Overlay::ConfirmCopy(n) if n > 0));
    press(&mut a, &["y"]);
    assert_eq!(a.overlay, Overlay::None);
    let (m, err) = a.message.clone().unwrap();
    assert!(!err && m.contains("sample file(s) copied"), "{m}");

    // The pattern's trigs are the source's; every slot its part plays holds the same file.
    let src = open(&hello);
    let dst = &a.ctx.doc.project;
    let (sp, dp) = (
        src.bank(0).pattern(0).unwrap(),
        dst.bank(0).pattern(4).unwrap(),
    );
    for t in 0..8 {
        assert_eq!(sp.audio[t].trigs, dp.audio[t].trigs, "T{}", t + 1);
    }
    assert_eq!(sp.part, dp.part);
    let part = sp.part as usize;
    let (spart, dpart) = (
        src.bank(0).part(part).unwrap(),
        dst.bank(0).part(part).unwrap(),
    );
    assert!(dst.bank(0).is_part_edited(part));
    let mut checked = 0;
    for ((s, ts, active), (d, td, _)) in part_refs(spart).into_iter().zip(part_refs(dpart)) {
        assert_eq!(ts, td);
        if let (true, Some(file)) = (active, slot_bytes(&src, s)) {
            assert_eq!(slot_bytes(dst, d), Some(file), "T{}: {s} -> {d}", ts + 1);
            checked += 1;
        }
    }
    assert!(checked > 0);
    let bank_after = bank_bytes(&a, 0);
    let pf_after = a.ctx.doc.project.project_file().to_bytes();
    assert_ne!(pf_after, pf_before, "new slot blocks");

    // Undo acts on the focused pane: the right one has nothing to undo.
    press(&mut a, &["ctrl+z"]);
    assert_eq!(bank_bytes(&a, 0), bank_after);
    assert!(
        a.message
            .clone()
            .unwrap()
            .0
            .contains("nothing to undo (HELLO)")
    );
    press(&mut a, &["tab", "ctrl+z"]);
    assert_eq!(bank_bytes(&a, 0), bank_before);
    assert_eq!(a.ctx.doc.project.project_file().to_bytes(), pf_before);
    assert_eq!(a.ctx.doc.project.markers().to_bytes(), markers_before);
    // The copied files stay (the message said so).
    assert!(tmp.path().join("S2").join(HELLO_POOL).is_dir());
    press(&mut a, &["ctrl+y"]);
    assert_eq!(bank_bytes(&a, 0), bank_after);
    assert_eq!(a.ctx.doc.project.project_file().to_bytes(), pf_after);

    // Save, then the files on disk are what the tracker shows and `octa check` is clean.
    press(&mut a, &["ctrl+s"]);
    let (m, err) = a.message.clone().unwrap();
    assert!(!err && m.starts_with("saved"), "{m}");
    let saved = open(&multi);
    assert_eq!(saved.bank(0).to_bytes(), bank_after);
    assert_eq!(saved.project_file().to_bytes(), pf_after);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .arg("check")
        .arg(tmp.path().join("S2"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "octa check failed: {text}");
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
}

#[test]
fn second_copy_reuses_slots_and_esc_cancels() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, multi)) = two_sets(tmp.path()) else {
        return;
    };
    let mut a = side_app(&hello, &multi);
    press(&mut a, &["tab", "c", "y"]);
    let once = bank_bytes(&a, 0);
    // The same pattern onto A02: the slots of the first copy are reused, no file is copied.
    press(&mut a, &["tab", "right", "tab", "c"]);
    let lines = a.pending_copy.as_ref().unwrap().lines.clone();
    assert_eq!(
        lines[0],
        "copy pattern A01 of HELLO -> pattern A02 of MULTI"
    );
    assert!(lines.iter().any(|l| l.contains("(reuse)")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("(new)")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("file ")), "{lines:?}");
    // Scrolling keeps the overlay; esc cancels and changes nothing.
    press(&mut a, &["down", "up", "esc"]);
    assert_eq!(a.overlay, Overlay::None);
    assert!(a.pending_copy.is_none());
    assert_eq!(bank_bytes(&a, 0), once);
    // Toggle: without the part, the destination part stays.
    press(&mut a, &["p", "c"]);
    assert!(
        a.pending_copy.as_ref().unwrap().lines[1].contains("its part stays"),
        "{:?}",
        a.pending_copy.as_ref().unwrap().lines
    );
    press(&mut a, &["enter"]);
    let bank = a.ctx.doc.bank(0).unwrap();
    assert_eq!(
        bank.pattern(1).unwrap().audio[0].trigs,
        open(&hello).bank(0).pattern(0).unwrap().audio[0].trigs
    );
    assert_eq!(
        Bank::from_bytes(&once).unwrap().0.parts()[..],
        bank.parts()[..]
    );
}

#[test]
fn copy_into_the_other_project_then_save_and_quit_ask() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, multi)) = two_sets(tmp.path()) else {
        return;
    };
    let mut a = side_app(&hello, &multi);
    // MULTI bank A onto HELLO bank C: the other project becomes dirty.
    press(&mut a, &["tab", "down", "down", "tab", "b"]);
    assert_eq!(
        a.pending_copy.as_ref().unwrap().lines[0],
        "copy bank A of MULTI -> bank C of HELLO"
    );
    press(&mut a, &["y"]);
    let other = a.ctx.other.as_ref().unwrap();
    assert!(other.bank_dirty(2));
    assert!(!a.ctx.doc.is_dirty());
    let status = screen(&mut a, 120, 26)[25].clone();
    assert!(
        status.contains(">MULTI") && status.contains("HELLO *C"),
        "{status}"
    );
    // Quitting asks although the main project is clean.
    press(&mut a, &["ctrl+q"]);
    assert_eq!(a.overlay, Overlay::ConfirmQuit);
    press(&mut a, &["n"]);
    assert!(!a.quit);
    // Someone rewrites HELLO's bank03 meanwhile: saving refuses it, naming the project.
    let path = hello.join("bank03.work");
    let theirs = open(&hello).bank(0).to_bytes();
    std::fs::write(&path, &theirs).unwrap();
    press(&mut a, &["ctrl+s"]);
    let (m, err) = a.message.clone().unwrap();
    assert!(
        err && m.contains("HELLO") && m.contains("changed on disk"),
        "{m}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), theirs);
    // Forced: written as the tracker shows it.
    press(&mut a, &["ctrl+alt+s"]);
    let other = a.ctx.other.as_ref().unwrap();
    assert!(!other.is_dirty());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        other.bank(2).unwrap().to_bytes()
    );
    // Undo in the right pane still works after saving; closing then refuses (dirty again).
    press(&mut a, &["tab", "ctrl+z"]);
    assert!(a.ctx.other.as_ref().unwrap().is_dirty());
    press(&mut a, &["x"]);
    assert!(a.ctx.other.is_some());
    press(&mut a, &["ctrl+s", "x"]);
    assert!(a.ctx.other.is_none());
    assert_eq!(a.focused_side(), Side::Main);
}

#[test]
fn open_other_refuses_the_open_project_and_bad_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((_, multi)) = two_sets(tmp.path()) else {
        return;
    };
    let mut a = app(open(&multi), "tracker");
    press(&mut a, &["ctrl+o"]);
    type_text(&mut a, &multi.to_string_lossy());
    press(&mut a, &["enter"]);
    let (m, err) = a.message.clone().unwrap();
    assert!(err && m.contains("already open"), "{m}");
    assert!(a.ctx.other.is_none());
    press(&mut a, &["ctrl+o"]);
    type_text(&mut a, &tmp.path().join("nope").to_string_lossy());
    press(&mut a, &["enter"]);
    assert!(a.message.clone().unwrap().1);
    // Copy actions without another project say so.
    press(&mut a, &["shift+F8", "c"]);
    let (m, err) = a.message.clone().unwrap();
    assert!(err && m.contains("open another project first"), "{m}");
}

#[test]
fn copies_one_track_with_its_settings_and_opens_other_from_run_options() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, multi)) = two_sets(tmp.path()) else {
        return;
    };
    // `octa MULTI --other HELLO` opens on the side-by-side view.
    let opts = octa::ui::RunOptions {
        other: Some(hello.clone()),
        ..Default::default()
    };
    let mut a = octa::ui::build_app(open(&multi), &opts);
    assert_eq!(a.ctx.other.as_ref().map(|d| d.name()), Some("HELLO"));
    assert!(screen(&mut a, 200, 30)[0].contains("Side by side: MULTI | HELLO"));
    // HELLO A01 T2 (trigs and part settings) onto MULTI A03 T2 (A03 plays part 3).
    press(&mut a, &["right", "right", "tab", "t"]);
    type_text(&mut a, "T9");
    press(&mut a, &["enter"]);
    let (m, err) = a.message.clone().unwrap();
    assert!(err && m.contains("no track `T9`"), "{m}");
    press(&mut a, &["t"]);
    type_text(&mut a, "t2");
    press(&mut a, &["enter"]);
    let lines = a.pending_copy.as_ref().unwrap().lines.clone();
    assert_eq!(
        lines[0],
        "copy track T2 of pattern A01 of HELLO -> track T2 of pattern A03 of MULTI"
    );
    press(&mut a, &["y"]);
    let src = open(&hello);
    let dst = &a.ctx.doc.project;
    let dpat = dst.bank(0).pattern(2).unwrap();
    assert_eq!(
        dpat.audio[1].trigs,
        src.bank(0).pattern(0).unwrap().audio[1].trigs
    );
    let spart = src.bank(0).part_of_pattern(0).unwrap();
    let dpart = dst.bank(0).part_of_pattern(2).unwrap();
    assert_eq!(dpart.machine_types[1], spart.machine_types[1]);
    let t2 = |p| {
        part_refs(p)
            .into_iter()
            .filter(|(_, t, active)| *t == 1 && *active)
    };
    let (s, d) = (t2(spart).next().unwrap().0, t2(dpart).next().unwrap().0);
    assert!(slot_bytes(&src, s).is_some());
    assert_eq!(slot_bytes(dst, d), slot_bytes(&src, s), "{s} -> {d}");
    // The part the pattern plays onto the part of the other cursor's pattern.
    press(&mut a, &["a"]);
    assert_eq!(
        a.pending_copy.as_ref().unwrap().lines[0],
        "copy part 1 of bank A of HELLO -> part 3 of bank A of MULTI"
    );
    press(&mut a, &["y"]);
    let dst = &a.ctx.doc.project;
    let got = dst.bank(0).part(2).unwrap();
    assert_eq!(got.machine_types, spart.machine_types);
    assert_eq!(got.track_values, spart.track_values);
    assert!(dst.bank(0).is_part_edited(2));
}

#[test]
fn copies_a_scene_into_the_other_projects_part() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, multi)) = two_sets(tmp.path()) else {
        return;
    };
    let mut a = side_app(&hello, &multi);
    // Multipart A01 plays part 1, whose scene 2 locks T5's SRC page; hello-flex A01 plays part 1.
    let src = a.ctx.doc.bank(0).unwrap().part(0).unwrap().clone();
    assert!(src.scene_lock(1, 4, 0).is_some(), "scene 2 has locks");
    let other_before = a.ctx.other.as_ref().unwrap().bank(0).unwrap().to_bytes();
    let hello_part = Bank::from_bytes(&other_before)
        .unwrap()
        .0
        .part(0)
        .unwrap()
        .clone();

    // Bad answers are refused with what is expected.
    press(&mut a, &["s"]);
    type_text(&mut a, "2 17");
    press(&mut a, &["enter"]);
    let msg = a.message.clone().unwrap();
    assert!(msg.1 && msg.0.contains("1-16"), "{msg:?}");
    assert_eq!(a.overlay, Overlay::None);

    press(&mut a, &["s"]);
    type_text(&mut a, "2 5");
    press(&mut a, &["enter"]);
    assert_eq!(a.overlay, Overlay::ConfirmCopy(0));
    let lines = a.pending_copy.as_ref().unwrap().lines.clone();
    assert_eq!(
        lines[0],
        "copy scene 2 of part 1 of bank A of MULTI -> scene 5 of part 1 of bank A of HELLO",
        "{lines:#?}"
    );
    press(&mut a, &["y"]);
    let after = a
        .ctx
        .other
        .as_ref()
        .unwrap()
        .bank(0)
        .unwrap()
        .part(0)
        .unwrap()
        .clone();
    assert_eq!(after.scenes[4], src.scenes[1]);
    for sc in (0..16).filter(|&s| s != 4) {
        assert_eq!(after.scenes[sc], hello_part.scenes[sc], "scene {}", sc + 1);
    }
    // The main project is untouched; undo in the other pane restores its bank exactly.
    assert!(!a.ctx.doc.is_dirty());
    press(&mut a, &["tab", "ctrl+z"]);
    assert_eq!(
        a.ctx.other.as_ref().unwrap().bank(0).unwrap().to_bytes(),
        other_before
    );
}
