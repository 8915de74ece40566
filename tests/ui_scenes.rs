#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The scenes view: a scene of a corpus part as a grid of tracks x locked parameters with the
//! real values on screen (insta snapshots), and lock / clear / copy / paste edits that touch only
//! the bytes they should, undoably, down to the saved file.

use octa::format::bank::{BANK_LEN, EDITED_MASK_AT, PART_LEN, PARTS_AT};
use octa::format::bank::{Bank, Part};
use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::app::Overlay;
use octa::ui::testing::{answer, app, open_corpus as open, press, screen};

fn diff(a: &[u8], b: &[u8]) -> Vec<usize> {
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

fn bank_bytes(a: &App, b: usize) -> Vec<u8> {
    a.ctx.doc.bank(b).unwrap().to_bytes()
}

fn part(a: &App) -> Part {
    a.ctx
        .doc
        .bank(a.ctx.nav.bank)
        .unwrap()
        .part(a.ctx.nav.part)
        .unwrap()
        .clone()
}

/// Offset of a scene lock byte of working part `part` in a bank file.
fn lock_at(part: usize, scene: usize, track: usize, slot: usize) -> usize {
    PARTS_AT + part * PART_LEN + 1643 + scene * 256 + track * 32 + slot
}

/// The screen line of track row `t` (`T4 STATIC ...`).
fn row(s: &[String], t: usize) -> String {
    let want = format!("T{t} ");
    s.iter()
        .find(|l| l[14..].starts_with(&want))
        .unwrap_or_else(|| panic!("no row T{t}: {s:#?}"))
        .clone()
}

#[test]
fn scenes_view_shows_the_multipart_scene_locks_as_a_grid() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F4"]);
    let part = part(&a);
    assert_eq!(a.ctx.nav.part, 0);
    // Scene 1 mutes T4 (Flex): AMP ATK..F and XLV locked to 0 (format doc §4.11).
    assert_eq!(part.xlv(0, 3), Some(0));
    assert_eq!(part.scene_lock(0, 3, 15), Some(0));
    let s = screen(&mut a, 120, 20);
    insta::assert_snapshot!("scenes_multipart_scene1", s.join("\n"));
    // Against the file's bytes (format doc 4.10, 4.11): the machine of each track row and,
    // per scene, the number of lock bytes that are not 255 in its 8 x 32-byte records.
    let raw = std::fs::read(octa::testutil::corpus("ot/multipart/bank01.work").unwrap()).unwrap();
    assert_eq!((PARTS_AT, PART_LEN), (585_430, 6331), "format doc 4.1");
    let machines = ["STATIC", "FLEX", "THRU", "NEIGHBOR", "PICKUP"];
    for t in 0..8 {
        let m = machines[raw[PARTS_AT + 43 + t] as usize];
        assert!(row(&s, t + 1)[14..].starts_with(&format!("T{} {m}", t + 1)));
    }
    for scene in 0..16 {
        let locks = (0..8 * 32)
            .filter(|&i| raw[lock_at(0, scene, 0, 0) + i] != 255)
            .count();
        let shown = s[2 + scene][..12]
            .split_whitespace()
            .last()
            .unwrap()
            .to_string();
        let want = if locks == 0 {
            ".".to_string()
        } else {
            locks.to_string()
        };
        assert_eq!(shown, want, "scene {}: {:?}", scene + 1, s[2 + scene]);
    }
    // Scene 1's T4 locks: AMP bytes 12..17 (ATK, HOLD, REL, VOL, BAL, XLV) all 0.
    assert_eq!(raw[lock_at(0, 0, 3, 12)..lock_at(0, 0, 3, 18)], [0; 6]);
    let head = s.iter().find(|l| l.contains("XLV")).unwrap();
    for h in ["AMP ATK", "AMP HOLD", "AMP REL", "AMP VOL", "AMP BAL"] {
        assert!(head.contains(h), "{head}");
    }
    assert!(!head.contains("SRC"), "only locked columns: {head}");
    // XLV 0, ATK 0, HOLD 0, REL 0, VOL -64 (bipolar 0), BAL -64.
    let t4: Vec<String> = row(&s, 4)[24..]
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!(t4, ["0", "0", "0", "0", "-64", "-64"], "{s:#?}");
    assert_eq!(
        row(&s, 3)[24..].split_whitespace().collect::<Vec<_>>(),
        [".", ".", ".", ".", ".", "."]
    );
    // The scene list: scene 1 on crossfader A with 6 locks, scene 10 on B, scene 4 empty.
    assert_eq!((part.scene_a, part.scene_b), (0, 9));
    assert!(s[2].starts_with("> 1 A     6"), "{:?}", s[2]);
    assert!(s[3].starts_with("  2       6"), "{:?}", s[3]);
    assert!(s[5].starts_with("  4       ."), "{:?}", s[5]);
    assert!(s[11].starts_with(" 10  B    ."), "{:?}", s[11]);

    // Scene 2 locks T5 (Thru) SRC: INAB 124 (no input name), VOL 127 = +63, the unnamed third
    // Thru slot 127, INCD 127.
    press(&mut a, &["]", "right"]);
    assert_eq!(part.scene_lock(1, 4, 0), Some(124));
    assert_eq!(part.scene_lock(1, 4, 1), Some(127));
    assert_eq!(
        raw[lock_at(0, 1, 4, 0)..lock_at(0, 1, 4, 6)],
        [124, 127, 127, 127, 127, 127]
    );
    let s = screen(&mut a, 120, 20);
    insta::assert_snapshot!("scenes_multipart_scene2", s.join("\n"));
    let t5 = row(&s, 5);
    for want in ["INAB 124", "VOL +63", "#127", "INCD 127"] {
        assert!(t5.contains(want), "{t5}");
    }
    // Tracks name SRC 1 differently (Thru INAB, Flex / Static PTCH): the header is the knob.
    assert!(s.iter().any(|l| l.contains("SRC 1") && l.contains("SRC 2")));
    assert!(
        s.iter()
            .any(|l| l[14..].starts_with("SRC 1 = T1 INAB  T2 PTCH  T3 PTCH")),
        "legend: {s:#?}"
    );

    // All parameters: every SRC / AMP / LFO / FX1 / FX2 column, scrolled to the cursor.
    press(&mut a, &["a"]);
    let s = screen(&mut a, 200, 20);
    insta::assert_snapshot!("scenes_multipart_scene2_all", s.join("\n"));
    let head = s.iter().find(|l| l.contains("XLV")).unwrap();
    for h in ["AMP VOL", "LFO SPD1", "SRC 4"] {
        assert!(head.contains(h), "{head}");
    }
    // Columns past the right edge scroll in with the cursor: FX1 BASE is column 19.
    for _ in 0..17 {
        press(&mut a, &["right"]);
    }
    let s = screen(&mut a, 120, 20);
    let head = &s[2];
    assert!(head.contains("FX1 BASE") && !head.contains("XLV"), "{head}");
    assert!(
        s.iter()
            .any(|l| l[14..].starts_with("T1 THRU FX1 BASE (FILTER): not locked; part value 0")),
        "{s:#?}"
    );
}

#[test]
fn scene_lock_typed_as_displayed_touches_only_its_byte() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let pi = a.ctx.nav.part;
    let before = bank_bytes(&a, 0);
    // Scene 3, T2 (Flex), all parameters, AMP VOL: typed as the device shows it.
    press(&mut a, &["F4", "]", "]", "down", "a"]);
    for _ in 0..10 {
        press(&mut a, &["right"]);
    }
    let s = screen(&mut a, 120, 20);
    assert!(
        s.iter()
            .any(|l| l[14..].starts_with("T2 FLEX AMP VOL: not locked; part value 0")),
        "{s:#?}"
    );
    answer(&mut a, "enter", "-12");
    assert_eq!(
        a.message.clone().unwrap().0,
        "scene 3 T2 AMP VOL = -12 (stored 52)"
    );
    let after = bank_bytes(&a, 0);
    let at = lock_at(pi, 2, 1, 15);
    assert_eq!((before[at], after[at]), (255, 52));
    let got = diff(&before, &after);
    assert!(got.contains(&at));
    for i in &got {
        assert!(
            [at, BANK_LEN - 2, BANK_LEN - 1].contains(i),
            "unexpected change at {i} (mask already set in this bank)"
        );
    }
    assert!(row(&screen(&mut a, 120, 20), 2).contains("-12"));
    // + steps the lock; a refused value names the range and changes nothing.
    press(&mut a, &["+"]);
    assert_eq!(part(&a).scene_lock(2, 1, 15), Some(53));
    answer(&mut a, "enter", "loud");
    let msg = a.message.clone().unwrap();
    assert!(msg.1, "{msg:?}");
    assert_eq!(
        msg.0,
        "AMP VOL takes -64..+63 (or a stored value #0..#127), got \"loud\""
    );
    // An empty answer clears; by name on another track; undo walks back to the file's bytes.
    // The prompt opens with the lock selected; Backspace empties it, and empty clears.
    press(&mut a, &["enter"]);
    let Overlay::Prompt { text, .. } = a.overlay.clone() else {
        panic!("enter asks: {:?}", a.overlay);
    };
    assert_eq!(text, "-11", "the prompt starts from the lock as displayed");
    press(&mut a, &["backspace", "enter"]);
    assert_eq!(part(&a).scene_lock(2, 1, 15), None);
    press(&mut a, &["down"]);
    answer(&mut a, "n", "FX1 BASE 40");
    assert_eq!(part(&a).scene_lock(2, 2, 18), Some(40));
    answer(&mut a, "n", "XLV 90");
    assert_eq!(part(&a).xlv(2, 2), Some(90));
    for _ in 0..5 {
        press(&mut a, &["ctrl+z"]);
    }
    assert_eq!(bank_bytes(&a, 0), before);
}

fn copy_project(rel: &str) -> Option<tempfile::TempDir> {
    let src = octa::testutil::corpus(rel)?;
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    Some(dir)
}

#[test]
fn saved_scene_lock_changes_the_lock_byte_the_edited_mask_and_the_checksum() {
    let Some(dir) = copy_project("ot/blank-1.40B") else {
        return;
    };
    let file = dir.path().join("bank01.work");
    let before = std::fs::read(&file).unwrap();
    assert_eq!(before[EDITED_MASK_AT], 0);
    let p = Project::open(dir.path(), &OpenOptions::default()).unwrap();
    let mut a = app(p, "tracker");
    let pi = a.ctx.nav.part;
    assert_eq!((a.ctx.nav.bank, pi), (0, 0));
    // Scene 5, T3, XLV (the first column).
    press(&mut a, &["F4", "]", "]", "]", "]", "down", "down"]);
    answer(&mut a, "enter", "100");
    press(&mut a, &["ctrl+s"]);
    let after = std::fs::read(&file).unwrap();
    let at = lock_at(pi, 4, 2, 17);
    let got = diff(&before, &after);
    assert!(got.starts_with(&[at, EDITED_MASK_AT]), "{got:?}");
    for i in &got[2..] {
        assert!([BANK_LEN - 2, BANK_LEN - 1].contains(i), "{got:?}");
    }
    assert_eq!(after[at], 100);
    assert_eq!(after[EDITED_MASK_AT], 1);
    let (bank, warnings) = Bank::from_bytes(&after).unwrap();
    assert!(warnings.is_empty(), "checksum right: {warnings:?}");
    assert_eq!(bank.part(0).unwrap().xlv(4, 2), Some(100));
    assert_eq!(bank.saved_part(0).unwrap().xlv(4, 2), None);
    // Only bank01 was written.
    for n in ["bank02.work", "project.work"] {
        let p = octa::testutil::corpus("ot/blank-1.40B").unwrap().join(n);
        assert_eq!(
            std::fs::read(dir.path().join(n)).unwrap(),
            std::fs::read(p).unwrap()
        );
    }
}

#[test]
fn scenes_copy_paste_and_clear() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let before = bank_bytes(&a, 0);
    let original = part(&a);
    // Copy scene 2 (T5 SRC locks) onto scene 7.
    press(&mut a, &["F4", "]", "c"]);
    for _ in 0..5 {
        press(&mut a, &["]"]);
    }
    // The paste shows the copy's summary first, then applies it as one undo step.
    press(&mut a, &["v"]);
    assert_eq!(a.overlay, Overlay::ConfirmCopy(0));
    let lines = a.pending_copy.as_ref().unwrap().lines.clone();
    assert_eq!(
        lines[..2],
        [
            "copy scene 2 of part 1 of bank A -> scene 7 of part 1 of bank A",
            "  replaces the scene's locks"
        ]
    );
    assert_eq!(part(&a).scenes[6], original.scenes[6], "nothing before y");
    press(&mut a, &["y"]);
    assert_eq!(a.overlay, Overlay::None);
    let msg = a.message.clone().unwrap();
    assert!(!msg.1 && msg.0.contains("done"), "{msg:?}");
    let p = part(&a);
    assert_eq!(p.scenes[6], original.scenes[1]);
    assert_eq!(p.scene_lock(6, 4, 0), Some(124));
    for sc in (0..16).filter(|&s| s != 6) {
        assert_eq!(p.scenes[sc], original.scenes[sc], "scene {}", sc + 1);
    }
    let s = screen(&mut a, 120, 20);
    assert!(s[8].starts_with("> 7       6"), "{:?}", s[8]);
    // Clear T5's SRC 1 lock (cursor on T5, column SRC 1 after XLV).
    press(&mut a, &["down", "down", "down", "down", "right", "delete"]);
    let p = part(&a);
    assert_eq!(p.scene_lock(6, 4, 0), None);
    assert_eq!(p.scene_lock(6, 4, 1), Some(127));
    // Clear the track's locks, then the whole of scene 1.
    press(&mut a, &["X"]);
    assert!((0..32).all(|i| part(&a).scene_lock(6, 4, i).is_none()));
    press(&mut a, &["[", "[", "[", "[", "[", "[", "backspace"]);
    assert_eq!(octa::ui::scenes::lock_count(&part(&a), 0), 0);
    assert_eq!(part(&a).scenes[1], original.scenes[1]);
    // Pasting into another part (part 2, scene 1) works the same way and touches only that
    // scene of that part.
    let part2 = Bank::from_bytes(&before)
        .unwrap()
        .0
        .part(1)
        .unwrap()
        .clone();
    press(&mut a, &["ctrl+alt+right", "v", "y"]);
    let p2 = a.ctx.doc.bank(0).unwrap().part(1).unwrap().clone();
    assert_eq!(p2.scenes[0], original.scenes[1]);
    for sc in 1..16 {
        assert_eq!(p2.scenes[sc], part2.scenes[sc], "part 2 scene {}", sc + 1);
    }
    // Five edits, five undo steps back to the file's bytes.
    for _ in 0..5 {
        press(&mut a, &["ctrl+z"]);
    }
    assert_eq!(bank_bytes(&a, 0), before);
}
