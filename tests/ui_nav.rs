#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The shared `nav` motions through the TestBackend: the same keys move the cursor in list
//! views as in the grid (tracker and vim layouts), and `double` asks before dropping trigs.

use octa::edit::trig::At;
use octa::project::Project;
use octa::ui::App;
use octa::ui::app::Overlay;
use octa::ui::model::Mask;
use octa::ui::testing::{app, press, screen, type_text};

/// The settings view's detail line (the cursor's item, its project.work key and value).
fn detail(a: &mut App) -> String {
    let s = screen(a, 120, 30);
    s.iter()
        .find(|l| l.contains("(project.work "))
        .unwrap_or_else(|| panic!("{s:#?}"))
        .trim()
        .to_string()
}

#[test]
fn motions_move_the_settings_cursor_in_both_layouts() {
    let mut t = app(Project::new_blank("t"), "tracker");
    press(&mut t, &["F7"]);
    let first = detail(&mut t);
    // The PROJECT menu starts with GENERAL TEMPO (stored as BPM x 24 in TEMPOx24).
    assert!(
        first.contains("TEMPO") && first.contains("= 2880"),
        "{first}"
    );
    press(&mut t, &["down"]);
    let second = detail(&mut t);
    assert_ne!(second, first, "down moves to the next setting");
    press(&mut t, &["pagedown"]);
    let page = detail(&mut t);
    press(&mut t, &["end"]);
    let last = detail(&mut t);
    assert_ne!(page, last);
    press(&mut t, &["home"]);
    assert_eq!(detail(&mut t), first);

    let mut v = app(Project::new_blank("t"), "vim");
    press(&mut v, &["F7"]);
    assert_eq!(detail(&mut v), first);
    press(&mut v, &["j"]);
    assert_eq!(detail(&mut v), second, "j is down");
    press(&mut v, &["ctrl+d"]);
    assert_eq!(detail(&mut v), page, "ctrl+d is page down");
    press(&mut v, &["J"]);
    assert_eq!(detail(&mut v), last, "J is the last row");
    press(&mut v, &["K"]);
    assert_eq!(detail(&mut v), first, "K is the first row");
    press(&mut v, &["j", "k"]);
    assert_eq!(detail(&mut v), first, "k is up");
    // The arrows still work in the vim layout.
    press(&mut v, &["down"]);
    assert_eq!(detail(&mut v), second);
}

#[test]
fn vim_keys_pick_a_pattern_in_the_overview() {
    let mut a = app(Project::new_blank("t"), "vim");
    press(&mut a, &["F8"]);
    // Wherever the cursor starts: to the first bank (K) and pattern (h 16 times, clamped).
    press(&mut a, &["K"]);
    for _ in 0..16 {
        press(&mut a, &["h"]);
    }
    press(&mut a, &["l", "l", "j", "enter"]);
    assert_eq!(
        (a.ctx.nav.bank, a.ctx.nav.pattern),
        (1, 2),
        "two right, one down: bank B pattern 3"
    );
    assert_eq!(a.views[a.current].info().id, "pattern");
}

fn trigs(a: &App) -> Vec<usize> {
    let at = At {
        bank: a.ctx.nav.bank,
        pattern: a.ctx.nav.pattern,
    };
    (0..64)
        .filter(|s| at.mask(&a.ctx.doc, 0, Mask::Trig, *s))
        .collect()
}

#[test]
fn double_asks_before_dropping_trigs_and_says_how_many() {
    let mut a = app(Project::new_blank("t"), "tracker");
    // A 64-step pattern cannot grow: a trig on step 40 would land past step 64.
    press(&mut a, &["alt+l"]);
    type_text(&mut a, "64");
    press(&mut a, &["enter"]);
    press(&mut a, &["space"]);
    for _ in 0..38 {
        press(&mut a, &["down"]);
    }
    press(&mut a, &["space"]);
    assert_eq!(trigs(&a), [0, 39]);
    let before = a.ctx.doc.bank(0).unwrap().to_bytes();
    press(&mut a, &["alt+d"]);
    match &a.overlay {
        Overlay::Prompt { title, text, .. } => {
            assert!(title.contains("drops 1 trig(s) past step 64"), "{title}");
            assert_eq!(text, "n", "the safe answer is prefilled");
        }
        o => panic!("double did not ask: {o:?}"),
    }
    press(&mut a, &["enter"]);
    assert_eq!(trigs(&a), [0, 39], "n: nothing changes");
    assert_eq!(a.ctx.doc.bank(0).unwrap().to_bytes(), before);
    assert!(a.message.as_ref().unwrap().0.contains("cancelled"));
    press(&mut a, &["alt+d"]);
    type_text(&mut a, "y");
    press(&mut a, &["enter"]);
    assert_eq!(trigs(&a), [0], "y: doubled, the trig past the end dropped");
    assert_eq!(
        a.message.as_ref().unwrap().0,
        "double: 1 trig(s) past step 64 dropped"
    );
    press(&mut a, &["ctrl+z"]);
    assert_eq!(trigs(&a), [0, 39], "one undo step");
    // A 16-step track grows instead: no question.
    let mut a = app(Project::new_blank("t"), "tracker");
    press(&mut a, &["space"]);
    for _ in 0..7 {
        press(&mut a, &["down"]);
    }
    press(&mut a, &["space", "alt+d"]);
    assert_eq!(a.overlay, Overlay::None, "nothing to drop: no question");
    assert_eq!(trigs(&a), [0, 16]);
}

#[test]
fn octa_keys_prints_a_whole_layout_and_refuses_an_unknown_one() {
    let cfg = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
            .args(args)
            .env("OCTA_CONFIG_DIR", cfg.path())
            .output()
            .unwrap()
    };
    let out = run(&["keys", "vim"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# Every command of octa"), "{text}");
    assert!(text.contains("name = \"vim\""));
    assert!(
        text.contains(
            "\"nav.down\" = { keys = [\"j\", \"down\"], help = \"Cursor down (next row)\" }"
        ),
        "{text}"
    );
    assert!(text.contains("\"app.save\" = { keys = [\"ctrl+s\"], help = \"Save changed files\" }"));
    // The default is the tracker layout: the pattern's note keys of the lower piano row.
    let t = String::from_utf8(run(&["keys"]).stdout).unwrap();
    assert!(t.contains("\"pattern.note.n0\" = { keys = [\"z\"]"), "{t}");
    let bad = run(&["keys", "nope"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("nope"));
}

#[test]
fn the_selection_lives_in_the_document_and_motions_keep_or_drop_it() {
    let mut a = app(Project::new_blank("t"), "tracker");
    assert_eq!(a.ctx.doc.selection.anchor, None);
    // shift+down starts at the cursor (step 1, T1, TRIG column) and extends.
    press(&mut a, &["shift+down", "shift+down"]);
    assert_eq!(a.ctx.doc.selection.anchor, Some((0, 0, 0)));
    assert!(
        screen(&mut a, 120, 30)
            .iter()
            .any(|l| l.contains("sel 3x1"))
    );
    // A plain move drops it; a selection started by mark (alt+b) follows the moves.
    press(&mut a, &["down"]);
    assert_eq!(a.ctx.doc.selection.anchor, None);
    press(&mut a, &["alt+b", "down", "down"]);
    assert_eq!(a.ctx.doc.selection.anchor, Some((3, 0, 0)));
    assert!(a.ctx.doc.selection.sticky);
    assert!(
        screen(&mut a, 120, 30)
            .iter()
            .any(|l| l.contains("sel 3x1"))
    );
    press(&mut a, &["esc"]);
    assert_eq!(a.ctx.doc.selection.anchor, None);
    assert!(!a.ctx.doc.selection.sticky);
}
