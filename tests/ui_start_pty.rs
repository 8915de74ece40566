#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The start screen in a real terminal (a PTY): `octa SET` lists the set's projects, Enter
//! opens one in the tracker, `ctrl+alt+o` comes back to the list, and the first key typed there
//! (`q`) is not lost to the tracker's ended input.

#[path = "common/pty.rs"]
mod pty;

use octa::project::Project;
use pty::Session;

#[test]
fn a_set_opens_on_the_start_screen_and_ctrl_alt_o_comes_back() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    for name in ["ALPHA", "BETA"] {
        Project::new_blank(name).save_as(&set.join(name)).unwrap();
    }
    let mut s = Session::start(&[set.to_str().unwrap()], tmp.path());
    assert!(
        s.wait_for("sets and projects in", 0),
        "no start screen: {}",
        s.tail()
    );
    assert!(
        s.wait_for("ALPHA", 0) && s.wait_for("BETA", 0),
        "{}",
        s.tail()
    );
    let from = s.text().len();
    s.send(b"\x1b[B");
    std::thread::sleep(std::time::Duration::from_millis(200));
    s.send(b"\r");
    assert!(s.wait_for(" BETA ", from), "BETA not opened: {}", s.tail());
    assert!(s.wait_for("F2", from), "no tracker: {}", s.tail());
    let from = s.text().len();
    s.send(b"\x1b\x0f");
    assert!(
        s.wait_for("sets and projects in", from),
        "not back on the start screen: {}",
        s.tail()
    );
    s.send(b"q");
    assert_eq!(
        s.exited(),
        Some(true),
        "q on the start screen: {}",
        s.tail()
    );
}

/// A copy from the start screen in a real terminal: the loop redraws while the copy runs in the
/// background and shows its result without a key being pressed.
#[test]
fn a_copy_from_the_start_screen_finishes_in_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let card = tmp.path().join("card");
    for set in ["SET_A", "SET_B"] {
        std::fs::create_dir_all(card.join(set).join("AUDIO")).unwrap();
    }
    Project::new_blank("SONG")
        .save_as(&card.join("SET_A/SONG"))
        .unwrap();
    let mut s = Session::start(&[card.to_str().unwrap()], tmp.path());
    assert!(s.wait_for("SONG", 0), "no start screen: {}", s.tail());
    let from = s.text().len();
    s.send(b"c");
    assert!(s.wait_for("into which set?", from), "{}", s.tail());
    s.send(b"\r");
    // The terminal is redrawn in pieces: single words are looked for.
    assert!(s.wait_for("SONG▏", from), "{}", s.tail());
    s.send(b"\r");
    assert!(s.wait_for("free)?", from), "{}", s.tail());
    let from = s.text().len();
    s.send(b"y");
    // The progress line, redrawn while the copy runs, then the result (the new project).
    assert!(s.wait_for("half-copied", from), "no progress: {}", s.tail());
    assert!(
        s.wait_for("SET_B/SONG", from),
        "no result shown: {}",
        s.tail()
    );
    assert!(octa::project::sets::is_project(&card.join("SET_B/SONG")));
    assert!(card.join("SET_A/SONG/project.work").is_file());
    s.send(b"q");
    assert_eq!(s.exited(), Some(true), "{}", s.tail());
}
