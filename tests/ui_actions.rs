#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Every editing action: state before, action, state after; undo / redo round trips.

use octa::format::{MicroTiming, TrigCondition};
use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::app::Overlay;
use octa::ui::model::{Mask, Unit};
use octa::ui::pattern::edit::{At, TrigKind};
use octa::ui::testing::{app, press, type_text};

fn blank() -> App {
    app(Project::new_blank("t"), "tracker")
}

fn at(a: &App) -> At {
    At {
        bank: a.ctx.nav.bank,
        pattern: a.ctx.nav.pattern,
    }
}

fn kind(a: &App, t: usize, s: usize) -> TrigKind {
    at(a).trig_kind(&a.ctx.doc, t, s)
}

fn lock(a: &App, t: usize, s: usize, i: u8) -> Option<u8> {
    at(a).lock(&a.ctx.doc, t, s, i)
}

fn trigs(a: &App, t: usize) -> Vec<usize> {
    (0..64)
        .filter(|s| at(a).mask(&a.ctx.doc, t, Mask::Trig, *s))
        .collect()
}

/// Runs a prompting action and answers it.
fn answer(a: &mut App, key: &str, text: &str) {
    press(a, &[key]);
    assert!(matches!(a.overlay, Overlay::Prompt { .. }), "{key} asks");
    for _ in 0..20 {
        press(a, &["backspace"]);
    }
    type_text(a, text);
    press(a, &["enter"]);
}

fn bank_bytes(a: &App) -> Vec<Vec<u8>> {
    (0..16)
        .map(|b| a.ctx.doc.bank(b).unwrap().to_bytes())
        .collect()
}

#[test]
fn toggle_trig_and_trigless_with_edit_step() {
    let mut a = blank();
    press(&mut a, &["space"]);
    assert_eq!(kind(&a, 0, 0), TrigKind::Trig);
    press(&mut a, &["space"]); // the cursor advanced one step
    assert_eq!(trigs(&a, 0), [0, 1]);
    press(&mut a, &["up", "up", "space"]);
    assert_eq!(trigs(&a, 0), [1]);
    press(&mut a, &["home", "ctrl+t"]);
    assert_eq!(kind(&a, 0, 0), TrigKind::Trigless);
    press(&mut a, &["up", "space"]);
    assert_eq!(
        kind(&a, 0, 0),
        TrigKind::Trig,
        "a trig replaces a trigless trig"
    );
    press(
        &mut a,
        &["F10", "F10", "home", "down", "down", "space", "space"],
    );
    assert_eq!(trigs(&a, 0), [0, 1, 2, 5], "edit step 3");
}

#[test]
fn note_entry_on_audio_and_midi_tracks() {
    let mut a = blank();
    press(&mut a, &["right", "z"]);
    assert_eq!(lock(&a, 0, 0, 0), Some(64), "C-4 is PTCH 0");
    assert_eq!(kind(&a, 0, 0), TrigKind::Trig);
    press(&mut a, &["w"]); // D-5 on the upper row
    assert_eq!(lock(&a, 0, 1, 0), Some(64 + 14));
    press(&mut a, &["<", "z"]);
    assert_eq!(lock(&a, 0, 2, 0), Some(64 - 12));
    press(&mut a, &[">"]);
    for _ in 0..8 {
        press(&mut a, &["tab"]);
    }
    press(&mut a, &["home", "right", "q", "m"]);
    assert_eq!(lock(&a, 8, 0, 0), Some(72), "M1 NOTE lock is the MIDI note");
    assert_eq!(lock(&a, 8, 1, 0), Some(71));
    assert_eq!(kind(&a, 8, 1), TrigKind::Trig);
}

#[test]
fn lock_columns_value_entry_and_clearing() {
    let mut a = blank();
    answer(&mut a, "alt+=", "VOL");
    press(&mut a, &["right", "right"]); // Trig, PCH, VOL
    // Typed in the device's unit (VOL shows stored - 64); nothing commits before Enter.
    type_text(&mut a, "36");
    assert_eq!(lock(&a, 0, 0, 15), None, "digits alone do not commit");
    press(&mut a, &["enter"]);
    assert_eq!(lock(&a, 0, 0, 15), Some(100), "VOL +36 is stored 100");
    assert_eq!(
        kind(&a, 0, 0),
        TrigKind::Lock,
        "a lock on an empty step makes a lock trig"
    );
    press(&mut a, &["alt+x"]);
    type_text(&mut a, "7f");
    press(&mut a, &["enter"]);
    assert_eq!(
        lock(&a, 0, 1, 15),
        Some(127),
        "hex entry types stored bytes"
    );
    press(&mut a, &["alt+x"]);
    type_text(&mut a, "12");
    press(&mut a, &["enter"]);
    assert_eq!(
        lock(&a, 0, 2, 15),
        Some(76),
        "VOL 12 is the byte shown as +12"
    );
    type_text(&mut a, "#12");
    press(&mut a, &["enter"]);
    assert_eq!(lock(&a, 0, 3, 15), Some(12), "#N is a stored byte");
    type_text(&mut a, "200");
    press(&mut a, &["enter"]);
    assert_eq!(lock(&a, 0, 4, 15), None, "out of range is refused");
    press(&mut a, &["home", "delete"]);
    assert_eq!(lock(&a, 0, 0, 15), None);
    assert_eq!(
        kind(&a, 0, 0),
        TrigKind::None,
        "clearing the last lock removes the lock trig"
    );
    // Removing a column hides it but keeps its locks.
    press(&mut a, &["alt+-"]);
    assert_eq!(lock(&a, 0, 1, 15), Some(127));
    press(&mut a, &["down", "left", "left", "backspace"]);
    assert_eq!(lock(&a, 0, 1, 15), None, "clear step clears every lock");
    assert_eq!(kind(&a, 0, 1), TrigKind::None);
}

#[test]
fn enter_on_a_lock_cell_takes_the_value_as_the_device_shows_it() {
    let Some(path) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(
        Project::open(&path, &OpenOptions::default()).unwrap(),
        "tracker",
    );
    press(&mut a, &["right", "right"]); // T1: Trig, PCH, VOL
    // Step 1 holds VOL 119, which the device shows as +55: the prompt starts from that.
    assert_eq!(lock(&a, 0, 0, 15), Some(119));
    press(&mut a, &["enter"]);
    let Overlay::Prompt { title, text, .. } = a.overlay.clone() else {
        panic!("enter on a lock cell asks for the value: {:?}", a.overlay);
    };
    assert_eq!(text, "+55");
    assert!(
        title.starts_with("T1 VOL step 1: value as displayed (-64..+63)"),
        "{title}"
    );
    press(&mut a, &["esc"]);
    answer(&mut a, "enter", "-12");
    assert_eq!(lock(&a, 0, 0, 15), Some(52), "-12 is stored as 52");
    answer(&mut a, "enter", "#100");
    assert_eq!(lock(&a, 0, 0, 15), Some(100), "#N is a stored value");
    answer(&mut a, "enter", "loud");
    assert!(
        a.message
            .as_ref()
            .is_some_and(|m| m.1 && m.0.contains("-64..+63")),
        "{:?}",
        a.message
    );
    assert_eq!(
        lock(&a, 0, 0, 15),
        Some(100),
        "a refused value changes nothing"
    );
    answer(&mut a, "enter", "");
    assert_eq!(lock(&a, 0, 0, 15), None, "empty clears the lock");
    for _ in 0..3 {
        press(&mut a, &["ctrl+z"]);
    }
    assert_eq!(
        lock(&a, 0, 0, 15),
        Some(119),
        "three edits, three undo steps"
    );
}

#[test]
fn conditions_micro_timing_retrig_and_flags() {
    let mut a = blank();
    press(&mut a, &["space", "up", "right", "right"]); // COND column
    press(&mut a, &["]"]);
    assert_eq!(
        at(&a).word(&a.ctx.doc, 0, 0).condition(),
        TrigCondition::Fill
    );
    press(&mut a, &["]", "["]);
    assert_eq!(
        at(&a).word(&a.ctx.doc, 0, 0).condition(),
        TrigCondition::Fill
    );
    for (text, want) in [
        ("3:4", TrigCondition::Loop { a: 3, b: 4 }),
        ("50%", TrigCondition::Probability(50)),
        ("not pre", TrigCondition::NotPre),
        ("NEI", TrigCondition::Nei),
        ("!1st", TrigCondition::NotFirst),
        ("-", TrigCondition::None),
    ] {
        answer(&mut a, "alt+c", text);
        assert_eq!(at(&a).word(&a.ctx.doc, 0, 0).condition(), want, "{text}");
    }
    // Cycling visits every device condition and comes back.
    let mut seen = Vec::new();
    for _ in 0..65 {
        press(&mut a, &["]"]);
        seen.push(at(&a).word(&a.ctx.doc, 0, 0).condition());
    }
    assert_eq!(seen.last(), Some(&TrigCondition::None));
    assert_eq!(seen.len() - 1, TrigCondition::all().len() - 1);
    press(&mut a, &["}", "}", "}"]);
    assert_eq!(at(&a).word(&a.ctx.doc, 0, 0).micro_timing(), MicroTiming(3));
    for _ in 0..40 {
        press(&mut a, &["{"]);
    }
    assert_eq!(
        at(&a).word(&a.ctx.doc, 0, 0).micro_timing(),
        MicroTiming(-23)
    );
    answer(&mut a, "alt+m", "12");
    assert_eq!(
        at(&a).word(&a.ctx.doc, 0, 0).micro_timing(),
        MicroTiming(12)
    );
    press(&mut a, &["alt+.", "alt+."]);
    assert_eq!(at(&a).word(&a.ctx.doc, 0, 0).repeats(), 3);
    press(&mut a, &["alt+,"]);
    assert_eq!(at(&a).word(&a.ctx.doc, 0, 0).repeats(), 2);
    assert_eq!(
        at(&a).word(&a.ctx.doc, 0, 0).condition(),
        TrigCondition::None
    );
    press(&mut a, &["alt+o", "alt+s", "alt+w"]);
    let d = &a.ctx.doc;
    assert!(at(&a).mask(d, 0, Mask::OneShot, 0));
    assert!(at(&a).mask(d, 0, Mask::Slide, 0));
    assert!(
        at(&a).mask(d, 0, Mask::Swing, 0),
        "default swing mask has step 1 off: toggled on"
    );
    assert!(
        at(&a).mask(d, 0, Mask::Swing, 1),
        "step 2 is on in the default swing mask"
    );
}

#[test]
fn copy_cut_paste_and_mix_paste() {
    let mut a = blank();
    press(&mut a, &["right", "z", "x", "c", "v"]); // C D E F on steps 1-4
    press(
        &mut a,
        &[
            "home",
            "shift+down",
            "shift+down",
            "shift+down",
            "ctrl+c",
            "home",
        ],
    );
    press(
        &mut a,
        &[
            "down", "down", "down", "down", "down", "down", "down", "down",
        ],
    );
    press(&mut a, &["ctrl+v"]);
    let notes =
        |a: &App, r: std::ops::Range<usize>| r.map(|s| lock(a, 0, s, 0)).collect::<Vec<_>>();
    assert_eq!(notes(&a, 8..12), [Some(64), Some(66), Some(68), Some(69)]);
    assert_eq!(
        kind(&a, 0, 9),
        TrigKind::Trig,
        "pasted notes bring trigs, like entered ones"
    );
    // Mix paste keeps what is there.
    press(&mut a, &["home"]);
    for _ in 0..13 {
        press(&mut a, &["down"]);
    }
    press(&mut a, &["b"]); // G-4 at step 14
    press(&mut a, &["up", "up", "alt+v"]); // mix-paste C D E F at 13-16
    assert_eq!(notes(&a, 12..16), [Some(64), Some(71), Some(68), Some(69)]);
    // Cut clears the source.
    press(&mut a, &["home", "shift+down", "ctrl+x"]);
    assert_eq!(notes(&a, 0..3), [None, None, Some(68)]);
}

#[test]
fn transpose_interpolate_and_randomize() {
    let mut a = blank();
    press(&mut a, &["right", "z", "up", "alt+up"]);
    assert_eq!(lock(&a, 0, 0, 0), Some(65));
    press(&mut a, &["alt+pageup"]);
    assert_eq!(lock(&a, 0, 0, 0), Some(77));
    press(&mut a, &["alt+pagedown", "alt+down", "alt+down"]);
    assert_eq!(lock(&a, 0, 0, 0), Some(63));
    // Interpolate VOL from 0 at step 1 to 80 at step 9.
    answer(&mut a, "alt+=", "VOL");
    press(&mut a, &["right"]);
    type_text(&mut a, "#0");
    press(&mut a, &["enter"]);
    for _ in 0..7 {
        press(&mut a, &["down"]);
    }
    type_text(&mut a, "+16");
    press(&mut a, &["enter"]);
    press(&mut a, &["home", "alt+b"]);
    for _ in 0..8 {
        press(&mut a, &["down"]);
    }
    press(&mut a, &["alt+i"]);
    let vols: Vec<Option<u8>> = (0..9).map(|s| lock(&a, 0, s, 15)).collect();
    assert_eq!(vols, [0, 10, 20, 30, 40, 50, 60, 70, 80].map(Some));
    // Randomize only touches steps with a trig; values within the range.
    // The range is typed as VOL shows values: -54..-44 are stored 10..20.
    answer(&mut a, "alt+n", "-54 -44");
    for s in 0..9 {
        let v = lock(&a, 0, s, 15).unwrap();
        assert!((10..=20).contains(&v), "step {s}: {v}");
    }
    assert_eq!(lock(&a, 0, 9, 15), None);
}

#[test]
fn fill_euclid_rotate_reverse_double_halve() {
    let mut a = blank();
    answer(&mut a, "alt+f", "4");
    assert_eq!(trigs(&a, 0), [0, 4, 8, 12]);
    press(&mut a, &["ctrl+z"]);
    // Euclid fills the track's length (16 steps): the 8-step rhythm twice.
    answer(&mut a, "alt+e", "3 8 0");
    assert_eq!(trigs(&a, 0), [0, 3, 6, 8, 11, 14]);
    press(&mut a, &["ctrl+z"]);
    answer(&mut a, "alt+e", "3 8 2");
    assert_eq!(trigs(&a, 0), [0, 2, 5, 8, 10, 13]);
    press(&mut a, &["ctrl+z", "right"]);
    press(&mut a, &["z"]); // trig + note on step 1
    press(&mut a, &["ctrl+down"]);
    assert_eq!(trigs(&a, 0), [1]);
    assert_eq!(lock(&a, 0, 1, 0), Some(64), "locks move with their step");
    press(&mut a, &["ctrl+up", "ctrl+up"]);
    assert_eq!(trigs(&a, 0), [15], "rotation wraps within the track length");
    press(&mut a, &["alt+r"]);
    assert_eq!(trigs(&a, 0), [0]);
    press(&mut a, &["ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z"]);
    assert_eq!(trigs(&a, 0), [0]);
    press(
        &mut a,
        &["ctrl+z", "home", "left", "space", "space", "down", "space"],
    );
    assert_eq!(trigs(&a, 0), [0, 1, 3]);
    press(&mut a, &["alt+d"]);
    assert_eq!(trigs(&a, 0), [0, 2, 6]);
    press(&mut a, &["alt+h"]);
    assert_eq!(trigs(&a, 0), [0, 1, 3]);
}

#[test]
fn navigation_parts_length_tempo() {
    let mut a = blank();
    press(&mut a, &["ctrl+right"]);
    assert_eq!((a.ctx.nav.bank, a.ctx.nav.pattern), (0, 1));
    press(&mut a, &["ctrl+pagedown"]);
    assert_eq!(a.ctx.nav.bank, 1);
    answer(&mut a, "ctrl+b", "p");
    assert_eq!(a.ctx.nav.bank, 15);
    answer(&mut a, "ctrl+g", "16");
    assert_eq!(a.ctx.nav.pattern, 15);
    press(&mut a, &["ctrl+left", "ctrl+pageup"]);
    assert_eq!((a.ctx.nav.bank, a.ctx.nav.pattern), (14, 14));
    press(&mut a, &["ctrl+alt+right", "ctrl+alt+right"]);
    assert_eq!(a.ctx.nav.part, 2);
    press(&mut a, &["alt+p"]);
    assert_eq!(at(&a).get(&a.ctx.doc, Unit::Part), 2);
    press(&mut a, &["ctrl+right", "ctrl+left"]);
    assert_eq!(a.ctx.nav.part, 2, "the pattern's part is current again");
    answer(&mut a, "alt+l", "32");
    assert_eq!(at(&a).get(&a.ctx.doc, Unit::Length), 32);
    answer(&mut a, "alt+g", "90");
    assert_eq!(at(&a).get(&a.ctx.doc, Unit::Tempo), 90 * 24);
    answer(&mut a, "alt+g", "999");
    assert_eq!(
        at(&a).get(&a.ctx.doc, Unit::Tempo),
        90 * 24,
        "bad tempo refused"
    );
    assert!(
        a.message
            .as_ref()
            .is_some_and(|(m, err)| *err && m.contains("30-300"))
    );
}

#[test]
fn undo_redo_every_edit() {
    let Some(path) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(
        Project::open(&path, &OpenOptions::default()).unwrap(),
        "tracker",
    );
    let before = bank_bytes(&a);
    press(
        &mut a,
        &[
            "space",
            "right",
            "z",
            "x",
            "alt+b",
            "down",
            "down",
            "ctrl+c",
            "ctrl+down",
        ],
    );
    answer(&mut a, "alt+e", "5 8 1");
    press(&mut a, &["ctrl+v", "alt+d", "alt+r"]);
    let after = bank_bytes(&a);
    assert_ne!(before, after);
    let n = a.ctx.doc.history.undo_len();
    assert!(n >= 7, "{n}");
    for _ in 0..n {
        press(&mut a, &["ctrl+z"]);
    }
    assert_eq!(bank_bytes(&a), before);
    for _ in 0..n {
        press(&mut a, &["ctrl+y"]);
    }
    assert_eq!(bank_bytes(&a), after);
}

#[test]
fn vim_layout_edits() {
    let mut a = app(Project::new_blank("t"), "vim");
    press(&mut a, &["t", "t", "k", "k", "l", "c", "e", "G"]);
    assert_eq!(trigs(&a, 0), [0, 1, 2]);
    assert_eq!(lock(&a, 0, 0, 0), Some(64));
    assert_eq!(lock(&a, 0, 1, 0), Some(68));
    assert_eq!(lock(&a, 0, 2, 0), Some(72));
    press(&mut a, &["u"]);
    assert_eq!(lock(&a, 0, 2, 0), None);
    press(&mut a, &["ctrl+r"]);
    assert_eq!(lock(&a, 0, 2, 0), Some(72));
}

#[test]
fn chord_columns_take_note_keys_and_typed_names() {
    let mut a = blank();
    for _ in 0..8 {
        press(&mut a, &["tab"]);
    }
    press(&mut a, &["right", "z", "up"]); // M1 NOTE C-4 on step 1
    assert_eq!(lock(&a, 8, 0, 0), Some(60));
    answer(&mut a, "alt+=", "NOT2");
    press(&mut a, &["right", "right", "right"]); // VEL, LEN, NOT2
    press(&mut a, &["c"]); // E-4 from the piano row: an absolute note
    assert_eq!(lock(&a, 8, 0, 3), Some(64 + 4), "stored as +4 from NOTE");
    press(&mut a, &["up"]);
    answer(&mut a, "enter", "G-4");
    assert_eq!(lock(&a, 8, 0, 3), Some(64 + 7));
    let text = octa::ui::testing::screen(&mut a, 160, 20).join("\n");
    assert!(
        text.contains("G-4"),
        "NOT2 shows the absolute note:\n{text}"
    );
}

#[test]
fn the_unsaved_star_follows_undo_and_redo() {
    let Some(path) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(
        Project::open(&path, &OpenOptions::default()).unwrap(),
        "tracker",
    );
    let status = |a: &mut App| {
        let s = octa::ui::testing::screen(a, 120, 30);
        s.last().cloned().unwrap_or_default()
    };
    assert!(!status(&mut a).contains('*'), "{}", status(&mut a));
    press(&mut a, &["down", "space"]);
    assert!(status(&mut a).contains("*A "), "{}", status(&mut a));
    press(&mut a, &["ctrl+z"]);
    assert!(
        !status(&mut a).contains('*'),
        "undo back to the opened state: {}",
        status(&mut a)
    );
    assert!(!a.ctx.doc.is_dirty());
    press(&mut a, &["ctrl+y"]);
    assert!(status(&mut a).contains("*A "), "{}", status(&mut a));
}
