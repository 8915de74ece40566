#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The device's saved state (`octa state`): SAVE PROJECT writes only `.strd` files, SAVE PART
//! changes only the part's saved copy (and its flags) inside the bank, RELOAD brings back the
//! saved state, and a bank present only as `.strd` opens from it. Offsets from the format
//! reference (§4.12): parts at 585430, saved copies at 610754 (6331 bytes each),
//! `parts_saved_state` at 636078, edited bits at 636082, checksum (sum of bytes 16..636111,
//! u16 BE) at 636111.

use octa::project::{OpenOptions, Project};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const PARTS_AT: usize = 585_430;
const SAVED_AT: usize = 610_754;
const PART_LEN: usize = 6331;
const SAVED_STATE_AT: usize = 636_078;
const EDITED_AT: usize = 636_082;
const SUM_AT: usize = 636_111;

fn octa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-state-test-data"),
        )
        .output()
        .expect("run octa")
}

fn ok(args: &[&str]) -> String {
    let o = octa(args);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{args:?}: {out}");
    out
}

/// Every file of a folder (no backups), name -> bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn checksum_ok(b: &[u8]) -> bool {
    let sum = b[16..b.len() - 2]
        .iter()
        .fold(0u16, |s, &x| s.wrapping_add(x as u16));
    b[b.len() - 2..] == sum.to_be_bytes()
}

fn changed(a: &[u8], b: &[u8]) -> Vec<usize> {
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

/// A temporary copy of multipart (project.work and bank01.work).
fn project() -> Option<(tempfile::TempDir, std::path::PathBuf)> {
    let src = octa::testutil::corpus("ot/multipart")?;
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("MP");
    fs::create_dir_all(&dir).unwrap();
    for (n, b) in files(&src) {
        fs::write(dir.join(n), b).unwrap();
    }
    Some((t, dir))
}

/// Edits part 1's working copy (T1's machine: THRU -> FLEX) as the device does, saving only `.work`.
fn edit_part_1(dir: &Path) {
    let mut p = Project::open(dir, &OpenOptions::default()).unwrap();
    p.bank_mut(0).part_mut(0).unwrap().machine_types.0[0] = 1;
    p.save(false).unwrap();
}

#[test]
fn save_state_writes_only_strd_files_equal_to_work() {
    let Some((_t, dir)) = project() else { return };
    let before = files(&dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        ["bank01.work", "project.work"]
    );
    let out = ok(&["state", dir.to_str().unwrap(), "save", "--dry-run"]);
    assert!(
        out.contains("bank01.strd <- bank01.work") && out.contains("dry run"),
        "{out}"
    );
    assert_eq!(files(&dir), before);
    ok(&["state", dir.to_str().unwrap(), "save"]);
    let after = files(&dir);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        ["bank01.strd", "bank01.work", "project.strd", "project.work"],
        "only .strd files are added; absent banks stay absent"
    );
    assert_eq!(after["bank01.work"], before["bank01.work"]);
    assert_eq!(after["project.work"], before["project.work"]);
    assert_eq!(after["bank01.strd"], before["bank01.work"]);
    assert_eq!(after["project.strd"], before["project.work"]);
    let out = ok(&["state", dir.to_str().unwrap(), "diff"]);
    assert!(
        !out.contains("differs from") && !out.contains("no project.strd"),
        "{out}"
    );
    assert!(
        out.contains("bank01.work: same as bank01.strd; parts 1 (edited)"),
        "{out}"
    );
}

#[test]
fn diff_save_part_and_reload_part_touch_only_the_device_bytes() {
    let Some((_t, dir)) = project() else { return };
    let d = dir.to_str().unwrap();
    ok(&["state", d, "save"]);
    let strd = fs::read(dir.join("bank01.strd")).unwrap();
    edit_part_1(&dir);
    let edited = fs::read(dir.join("bank01.work")).unwrap();
    assert_eq!(
        edited[PARTS_AT + 43],
        1,
        "T1 machine byte of part 1's working copy"
    );
    assert_eq!(edited[EDITED_AT] & 1, 1, "part 1 edited bit");
    let out = ok(&["state", d, "diff"]);
    assert!(
        out.contains("bank01.work: differs from bank01.strd in"),
        "{out}"
    );
    assert!(out.contains("parts 1 differ from bank01.strd"), "{out}");
    // multipart's four parts all carry edits not saved as parts (edited bits 0x0F on the card)
    assert_eq!(strd[EDITED_AT] & 0x0F, 0x0F);
    assert!(
        out.contains(
            "parts 1 (edited), 2 (edited), 3 (edited), 4 (edited) differ from their saved copy"
        ),
        "{out}"
    );
    assert!(!out.contains("project.work"), "{out}");

    // SAVE PART 1: the saved copy takes the working copy; flags and checksum, nothing else.
    ok(&["state", d, "save", "--bank", "A", "--part", "1"]);
    let saved = fs::read(dir.join("bank01.work")).unwrap();
    assert_eq!(
        &saved[SAVED_AT..SAVED_AT + PART_LEN],
        &saved[PARTS_AT..PARTS_AT + PART_LEN]
    );
    assert_eq!(saved[SAVED_STATE_AT], 1);
    assert_eq!(saved[EDITED_AT] & 1, 0);
    assert!(checksum_ok(&saved));
    for i in changed(&edited, &saved) {
        assert!(
            (SAVED_AT..SAVED_AT + PART_LEN).contains(&i)
                || i == SAVED_STATE_AT
                || i == EDITED_AT
                || i >= SUM_AT,
            "byte {i} changed"
        );
    }
    assert_eq!(
        fs::read(dir.join("bank01.strd")).unwrap(),
        strd,
        ".strd untouched"
    );

    // Edit again, then RELOAD PART 1: the working copy takes the saved copy back.
    let mut p = Project::open(&dir, &OpenOptions::default()).unwrap();
    p.bank_mut(0).part_mut(0).unwrap().machine_types.0[0] = 4;
    p.save(false).unwrap();
    let edited = fs::read(dir.join("bank01.work")).unwrap();
    ok(&["state", d, "reload", "--bank", "A", "--part", "1"]);
    let reloaded = fs::read(dir.join("bank01.work")).unwrap();
    assert_eq!(reloaded[PARTS_AT + 43], 1, "back to the saved FLEX");
    assert_eq!(
        &reloaded[PARTS_AT..PARTS_AT + PART_LEN],
        &reloaded[SAVED_AT..SAVED_AT + PART_LEN]
    );
    assert_eq!(reloaded[EDITED_AT] & 1, 0);
    assert!(checksum_ok(&reloaded));
    for i in changed(&edited, &reloaded) {
        assert!(
            (PARTS_AT..PARTS_AT + PART_LEN).contains(&i) || i == EDITED_AT || i >= SUM_AT,
            "byte {i} changed"
        );
    }
    assert_eq!(
        fs::read(dir.join("bank01.strd")).unwrap(),
        strd,
        ".strd untouched"
    );
}

#[test]
fn reload_bank_and_project_bring_back_the_strd_bytes() {
    let Some((_t, dir)) = project() else { return };
    let d = dir.to_str().unwrap();
    ok(&["state", d, "save"]);
    let strd = files(&dir);
    edit_part_1(&dir);
    let pw = fs::read_to_string(dir.join("project.work")).unwrap();
    fs::write(
        dir.join("project.work"),
        pw.replace("TEMPOx24=3027", "TEMPOx24=2900"),
    )
    .unwrap();
    ok(&["state", d, "reload", "--bank", "A"]);
    let now = files(&dir);
    assert_eq!(now["bank01.work"], strd["bank01.strd"]);
    assert_ne!(
        now["project.work"], strd["project.strd"],
        "a bank reload leaves project.work"
    );
    ok(&["state", d, "reload"]);
    let now = files(&dir);
    assert_eq!(now["project.work"], strd["project.strd"]);
    assert_eq!(now["bank01.work"], strd["bank01.strd"]);
    assert_eq!(now["bank01.strd"], strd["bank01.strd"]);
    assert_eq!(now["project.strd"], strd["project.strd"]);
    // reload without a .strd names the missing file
    let o = octa(&["state", d, "reload", "--bank", "B"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("bank02.strd is missing"));
}

#[test]
fn a_bank_only_saved_as_strd_opens_from_it_with_a_warning() {
    let Some((_t, dir)) = project() else { return };
    ok(&["state", dir.to_str().unwrap(), "save"]);
    let strd = fs::read(dir.join("bank01.strd")).unwrap();
    fs::remove_file(dir.join("bank01.work")).unwrap();
    let p = Project::open(&dir, &OpenOptions::default()).unwrap();
    assert_eq!(
        p.bank(0).to_bytes(),
        strd,
        "the saved state, not a blank bank"
    );
    assert_ne!(strd, octa::format::bank::Bank::blank().to_bytes());
    let w: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|w| w.contains("bank01.work") && w.contains("opened from bank01.strd")),
        "{w:?}"
    );
    let out = ok(&["state", dir.to_str().unwrap(), "diff"]);
    assert!(out.contains("bank01.strd: no bank01.work"), "{out}");
}

#[test]
fn the_tracker_saves_and_reloads_state_after_a_confirmation() {
    use octa::ui::app::Overlay;
    use octa::ui::testing::{app, press, type_text};
    let Some((_t, dir)) = project() else { return };
    let before = files(&dir);
    let mut a = app(
        Project::open(&dir, &OpenOptions::default()).unwrap(),
        "tracker",
    );
    let ask = |a: &mut octa::ui::App, what: &str| -> String {
        press(a, &["ctrl+e"]);
        type_text(a, what);
        press(a, &["enter"]);
        match &a.overlay {
            Overlay::Prompt { title, tag, .. } if *tag == "app.state_confirm" => title.clone(),
            o => panic!("{what}: no confirmation, {o:?} {:?}", a.message),
        }
    };
    // SAVE PROJECT: the confirmation lists the .strd files; only they are written.
    let t = ask(&mut a, "save");
    assert!(
        t.contains("project.strd") && t.contains("bank01.strd"),
        "{t}"
    );
    press(&mut a, &["enter"]);
    assert_eq!(a.overlay, Overlay::None);
    let after = files(&dir);
    assert_eq!(after["bank01.strd"], before["bank01.work"]);
    assert_eq!(after["project.strd"], before["project.work"]);
    assert_eq!(after["bank01.work"], before["bank01.work"]);

    // An edit, then RELOAD BANK after a confirmation naming the files; Esc would cancel.
    a.ctx
        .doc
        .project
        .bank_mut(0)
        .part_mut(0)
        .unwrap()
        .machine_types
        .0[0] = 1;
    let t = ask(&mut a, "reload bank");
    press(&mut a, &["esc"]);
    assert_ne!(
        a.ctx.doc.project.bank(0).to_bytes(),
        before["bank01.work"],
        "esc cancels"
    );
    assert!(
        t.contains("bank01.work takes bank01.strd") && t.contains("parts 1"),
        "{t}"
    );
    let _ = ask(&mut a, "reload bank");
    press(&mut a, &["enter"]);
    assert_eq!(a.ctx.doc.project.bank(0).to_bytes(), before["bank01.work"]);
    assert!(
        a.message.as_ref().unwrap().0.contains("reloaded bank A"),
        "{:?}",
        a.message
    );
    // a bad answer is refused with what is expected
    press(&mut a, &["ctrl+e"]);
    type_text(&mut a, "reload everything");
    press(&mut a, &["enter"]);
    let m = a.message.clone().unwrap();
    assert!(m.1 && m.0.contains("expected save, reload"), "{m:?}");
}
