#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The start screen's back key where there is no start screen (its own binary: the start
//! screen's list of places is process-wide): on the demo or a new untitled project,
//! `ctrl+alt+o` says so and changes nothing, instead of quitting to make a new one.

use octa::project::Project;
use octa::ui::keys::Chord;
use octa::ui::testing::app;
use octa::ui::views::start::back_requested;

#[test]
fn the_back_key_without_a_start_screen_is_refused_with_a_message() {
    let mut a = app(Project::new_blank("untitled"), "tracker");
    // The key is a named global command, listed by `octa keys` and checked for clashes.
    let key = Chord::parse("ctrl+alt+o").unwrap();
    assert_eq!(a.keymap.lookup(&["pattern"], key), Some("app.start_screen"));
    a.key(key);
    assert!(!a.quit, "the tracker goes on");
    assert!(!back_requested());
    let (m, err) = a.message.clone().expect("a message");
    assert!(!err);
    assert!(m.contains("no start screen here"), "{m}");
}
