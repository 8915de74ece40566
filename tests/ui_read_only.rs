#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Read-only mode over every view's edit keys: a set (project folder + AUDIO with samples and
//! `.ot` files) opened read-only, every key bound to every view's actions pressed in that view
//! (taken from the keymap, so new bindings are covered), prompts answered, copies confirmed,
//! then saved and force-saved: not one byte of any file in the set changes, and the status line
//! says read-only from the first frame.

mod common;
use common::copy_dir;
use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::app::Overlay;
use octa::ui::testing::{app, press, screen, type_text};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` (recursively) with the SHA-256 of its bytes, plus every folder name.
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            if e.file_type().unwrap().is_dir() {
                out.insert(rel + "/", String::new());
                stack.push(e.path());
            } else {
                let bytes = std::fs::read(e.path()).unwrap();
                out.insert(rel, format!("{:x}", Sha256::digest(&bytes)));
            }
        }
    }
    out
}

/// A set: `SET/HELLO FLEX` (the corpus project), `SET/AUDIO/projects/HELLO FLEX/*.wav` (where its
/// slots point), and sliced samples with their `.ot` files in `SET/AUDIO`.
fn make_set(root: &Path) -> Option<std::path::PathBuf> {
    let hf = octa::testutil::corpus("ot/hello-flex")?;
    let ss = octa::testutil::corpus("ot/sample-settings")?;
    let set = root.join("SET");
    let proj = set.join("HELLO FLEX");
    copy_dir(&hf.join("project"), &proj);
    copy_dir(&hf.join("samples"), &set.join("AUDIO/projects/HELLO FLEX"));
    copy_dir(&ss.join("chain-16"), &set.join("AUDIO/chain16"));
    for f in ["pair.wav", "pair.ot"] {
        std::fs::copy(ss.join(f), set.join("AUDIO").join(f)).unwrap();
    }
    Some(proj)
}

fn open_ro(dir: &Path) -> App {
    let p = Project::open(
        dir,
        &OpenOptions {
            project: None,
            read_only: true,
        },
    )
    .unwrap();
    assert!(p.is_read_only());
    app(p, "tracker")
}

/// Answers whatever the key opened: prompts get a plausible value (then are cancelled if
/// refused), copies are confirmed, quitting is declined, help is closed.
fn settle(a: &mut App) {
    for _ in 0..4 {
        match a.overlay.clone() {
            Overlay::None => return,
            Overlay::Prompt { .. } => {
                type_text(a, "4");
                press(a, &["enter"]);
                if matches!(a.overlay, Overlay::Prompt { .. }) {
                    press(a, &["esc"]);
                }
            }
            Overlay::ConfirmCopy(_) => press(a, &["y"]),
            Overlay::ConfirmQuit => press(a, &["n"]),
            Overlay::Help(_) | Overlay::Warnings(_) => press(a, &["esc"]),
        }
    }
    a.overlay = Overlay::None;
}

/// Presses every key bound to every action of view `i`, returning to the view after each.
fn press_all(a: &mut App, i: usize) -> usize {
    let actions: Vec<&'static str> = a.views[i].actions().iter().map(|d| d.name).collect();
    let mut pressed = 0;
    for name in actions {
        let chords = a.keymap.keys(name).to_vec();
        for c in chords {
            a.current = i;
            a.key(c);
            settle(a);
            // Render too: drawing a view must not write either (previews, scans).
            let _ = screen(a, 160, 50);
            pressed += 1;
        }
    }
    pressed
}

#[test]
fn read_only_every_view_every_edit_key_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(proj) = make_set(tmp.path()) else {
        return;
    };
    // The other project for the side view: a second copy in the same set.
    let other = tmp.path().join("SET/OTHER");
    copy_dir(&proj, &other);
    let before = hashes(tmp.path());
    assert!(before.len() > 40, "the set holds the project and samples");

    let mut a = open_ro(&proj);
    let first = screen(&mut a, 160, 50);
    let status = first.last().unwrap();
    assert!(
        status.contains("READ-ONLY"),
        "status line says READ-ONLY from the start: {status:?}"
    );

    // Open the other project beside it (read-only too, as the main one is).
    press(&mut a, &["ctrl+o"]);
    type_text(&mut a, &other.display().to_string());
    press(&mut a, &["enter"]);
    assert!(a.ctx.other.is_some(), "{:?}", a.message);
    assert!(a.ctx.other.as_ref().unwrap().read_only());

    let ids: Vec<&str> = a.views.iter().map(|v| v.info().id).collect();
    for want in [
        "pattern", "parts", "scenes", "slots", "arranger", "settings", "overview", "side",
        "samples",
    ] {
        assert!(ids.contains(&want), "view {want} exists: {ids:?}");
    }
    let mut pressed = 0;
    for round in 0..2 {
        for (i, id) in ids.iter().enumerate() {
            // The librarian edits its own database, not the project.
            if *id == "librarian" {
                continue;
            }
            if *id == "samples" {
                // Every file of the browser, so the sliced samples' keys act on a `.ot`.
                for pos in 0..24 {
                    a.current = i;
                    press(&mut a, &["pageup", "pageup"]);
                    for _ in 0..pos {
                        press(&mut a, &["down"]);
                    }
                    pressed += press_all(&mut a, i);
                }
            } else {
                pressed += press_all(&mut a, i);
            }
            // Move somewhere else for the second round (other track, step, slot, row).
            if round == 0 {
                a.current = i;
                press(&mut a, &["down", "down", "right"]);
                settle(&mut a);
            }
        }
        for k in ["ctrl+z", "ctrl+y", "ctrl+s", "ctrl+alt+s"] {
            press(&mut a, &[k]);
            settle(&mut a);
        }
    }
    assert!(pressed > 300, "pressed {pressed} keys");
    press(&mut a, &["ctrl+s"]);
    assert!(
        a.message
            .as_ref()
            .is_some_and(|(m, e)| *e && m.contains("read-only")),
        "{:?}",
        a.message
    );
    press(&mut a, &["ctrl+q"]);
    assert!(a.quit, "read-only quits without asking");
    drop(a);
    let after = hashes(tmp.path());
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "read-only changed files: {changed:?}");
}
