#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Undo / redo round trips: random action sequences, then undo everything -> the original bytes;
//! redo everything -> the edited bytes.

use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::testing::{app, press, type_text};
use proptest::prelude::*;

/// Key sequences (and prompt answers) covering every editing action.
const OPS: &[(&str, Option<&str>)] = &[
    ("down", None),
    ("up", None),
    ("right", None),
    ("left", None),
    ("tab", None),
    ("backtab", None),
    ("home", None),
    ("pagedown", None),
    ("shift+down", None),
    ("shift+right", None),
    ("alt+b", None),
    ("esc", None),
    ("space", None),
    ("ctrl+t", None),
    ("delete", None),
    ("backspace", None),
    ("z", None),
    ("q", None),
    ("7", None),
    ("1", None),
    ("]", None),
    ("[", None),
    ("}", None),
    ("{", None),
    ("alt+.", None),
    ("alt+o", None),
    ("alt+s", None),
    ("alt+w", None),
    ("ctrl+c", None),
    ("ctrl+x", None),
    ("ctrl+v", None),
    ("alt+v", None),
    ("alt+up", None),
    ("alt+pagedown", None),
    ("alt+i", None),
    ("ctrl+down", None),
    ("ctrl+up", None),
    ("alt+r", None),
    ("alt+d", None),
    ("alt+h", None),
    ("ctrl+alt+right", None),
    ("alt+p", None),
    ("ctrl+right", None),
    ("ctrl+z", None),
    ("ctrl+y", None),
    ("alt+f", Some("3")),
    ("alt+e", Some("5 16 2")),
    ("alt+n", Some("0 127")),
    ("alt+c", Some("3:4")),
    ("alt+m", Some("-7")),
    ("alt+l", Some("24")),
    ("alt+g", Some("133")),
    ("alt+=", Some("STRT")),
];

fn start() -> App {
    let project = octa::testutil::corpus("ot/hello-flex/project")
        .and_then(|p| Project::open(&p, &OpenOptions::default()).ok())
        .unwrap_or_else(|| Project::new_blank("t"));
    app(project, "tracker")
}

fn bytes(a: &App) -> Vec<Vec<u8>> {
    (0..16)
        .map(|b| a.ctx.doc.bank(b).unwrap().to_bytes())
        .collect()
}

fn run(a: &mut App, ops: &[usize]) {
    for &i in ops {
        let (key, answer) = OPS[i];
        press(a, &[key]);
        if let Some(text) = answer {
            for _ in 0..12 {
                press(a, &["backspace"]);
            }
            type_text(a, text);
            press(a, &["enter"]);
        }
    }
    press(a, &["esc"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_restores_the_original_bytes(ops in prop::collection::vec(0..OPS.len(), 1..60)) {
        let mut a = start();
        let original = bytes(&a);
        run(&mut a, &ops);
        a.ctx.doc.commit("rest");
        let edited = bytes(&a);
        let n = a.ctx.doc.history.undo_len();
        for _ in 0..n {
            press(&mut a, &["ctrl+z"]);
        }
        prop_assert_eq!(a.ctx.doc.history.undo_len(), 0);
        prop_assert!(bytes(&a) == original, "undo all differs from the original");
        for _ in 0..n {
            press(&mut a, &["ctrl+y"]);
        }
        prop_assert!(bytes(&a) == edited, "redo all differs from the edited state");
    }
}
