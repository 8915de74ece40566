#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `project.work` MIDI channel keys (`src/format/project_file/keys.rs`): stored 0..15 for
//! channels 1..16 and -1 for AUTO (the blank 1.40B project stores `-1`), read from and written
//! to the text.

use octa::format::project_file::ProjectFile;
use octa::testutil::corpus;

#[test]
fn program_change_receive_channel_as_stored() {
    let Some(dir) = corpus("ot/blank-1.40B") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("project.work")).unwrap();
    assert!(
        text.contains("MIDI_PROGRAM_CHANGE_RECEIVE_CH=-1\r\n")
            || text.contains("MIDI_PROGRAM_CHANGE_RECEIVE_CH=-1\n")
    );
    let p = ProjectFile::parse(text.as_bytes()).unwrap();
    assert_eq!(p.program_change_receive_channel(), Some(None), "AUTO");
    let five = text.replace(
        "MIDI_PROGRAM_CHANGE_RECEIVE_CH=-1",
        "MIDI_PROGRAM_CHANGE_RECEIVE_CH=4",
    );
    let mut p = ProjectFile::parse(five.as_bytes()).unwrap();
    assert_eq!(p.program_change_receive_channel(), Some(Some(5)));
    p.set_program_change_receive_channel(Some(16)).unwrap();
    let out = String::from_utf8(p.to_bytes()).unwrap();
    assert!(out.contains("MIDI_PROGRAM_CHANGE_RECEIVE_CH=15"), "{out}");
    assert!(p.set_program_change_receive_channel(Some(17)).is_err());
}
