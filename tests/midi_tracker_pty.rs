#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! End to end: the tracker in a pseudo-terminal with `--midi-out file:PATH` (the capture
//! port). A project whose T3 trig channel is not the default: a trig toggled on T3 is heard
//! on that channel with its lock CC; a muted track sends nothing; a project whose trig
//! channels are all OFF sends nothing for audio tracks and says why.

mod common;

#[path = "common/pty.rs"]
mod pty;

use pty::Session;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The capture file's messages (bytes only), in order.
fn captured(cap: &Path) -> Vec<Vec<u8>> {
    octa::midi::capture::read(&cap.to_path_buf())
        .unwrap_or_default()
        .into_iter()
        .map(|(_, b)| b)
        .collect()
}

/// Waits (bounded) until the capture holds a message matching `f`; the messages then.
fn wait_capture(cap: &Path, f: impl Fn(&[u8]) -> bool) -> Vec<Vec<u8>> {
    let start = Instant::now();
    loop {
        let m = captured(cap);
        if m.iter().any(|b| f(b)) || start.elapsed() > Duration::from_secs(30) {
            return m;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// hello-flex with `MIDI_TRIG_CH3=11` (channel 12), written here.
fn hello_t3_on_12(tmp: &Path) -> Option<PathBuf> {
    let src = octa::testutil::corpus("ot/hello-flex/project")?;
    let dir = tmp.join("HELLO");
    common::copy_dir(&src, &dir);
    let pf = dir.join("project.work");
    let text = std::fs::read_to_string(&pf).unwrap();
    assert!(text.contains("MIDI_TRIG_CH3=2\r\n"));
    std::fs::write(
        &pf,
        text.replace("MIDI_TRIG_CH3=2\r\n", "MIDI_TRIG_CH3=11\r\n"),
    )
    .unwrap();
    Some(dir)
}

const HOME: &[u8] = b"\x1b[H";
const DOWN: &[u8] = b"\x1b[B";

#[test]
fn a_toggled_trig_is_heard_on_the_projects_channel_and_a_muted_track_is_silent() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello_t3_on_12(tmp.path()) else {
        return;
    };
    let cap = tmp.path().join("out.cap");
    let out = format!("file:{}", cap.display());
    let mut s = Session::start(&["--midi-out", &out, dir.to_str().unwrap()], tmp.path());
    assert!(s.wait_for("PCH", 0), "did not start: {}", s.tail());
    assert!(s.wait_for(&format!("out {out}"), 0), "{}", s.tail());
    // T3 step 2 (empty): toggle a trig. Heard on channel 12 (0x9B) at the sample's pitch.
    s.send(b"\t\t");
    s.send(DOWN);
    s.send(b" ");
    let m = wait_capture(&cap, |b| b == [0x8B, 84, 0]);
    assert!(m.contains(&vec![0x9B, 84, 100]), "{m:?}\n{}", s.tail());
    assert!(
        !m.iter().any(|b| b[0] & 0x0F == 2),
        "nothing on channel 3: {m:?}"
    );
    // Step 1 of T3 holds VOL=88: alt+k plays it, the lock as CC 25 on channel 12 first.
    s.send(HOME);
    s.send(b"\x1bk");
    let _ = wait_capture(&cap, |b| b == [0xBB, 25, 88]);
    // The note ends and VOL goes back to the part's 64 before T3 is muted below.
    let m = wait_capture(&cap, |b| b == [0xBB, 25, 64]);
    let lock = m.iter().position(|b| b == &vec![0xBB, 25, 88]);
    let last_on = m.iter().rposition(|b| b == &vec![0x9B, 84, 100]);
    assert!(lock.is_some() && lock < last_on, "{m:?}");
    // Mute T3 (ctrl+k), toggle a trig at step 4, then play row 1 (T1 T2 T3 T8 hold trigs).
    let mark = s.text().len();
    s.send(b"\x0b");
    // (The status line shows `mute T3` too; the screen is redrawn by differences.)
    assert!(s.wait_for("T3 muted", mark), "{}", s.tail());
    let before = captured(&cap).len();
    s.send(HOME);
    for _ in 0..3 {
        s.send(DOWN);
    }
    s.send(b" ");
    s.send(HOME);
    s.send(b"\x1bj");
    let m = wait_capture(&cap, |b| b[0] == 0x91);
    let after = &m[before..];
    assert!(after.iter().any(|b| b[0] == 0x90), "T1 sounds: {after:?}");
    assert!(
        !after.iter().any(|b| b[0] & 0x0F == 11),
        "muted T3 sends nothing: {after:?}"
    );
    assert!(s.quit(), "{}", s.tail());
    let m = captured(&cap);
    let ons = m.iter().filter(|b| b[0] & 0xF0 == 0x90).count();
    let offs = m.iter().filter(|b| b[0] & 0xF0 == 0x80).count();
    assert_eq!(ons, offs, "every note got its note off: {m:?}");
}

#[test]
fn trig_channels_off_send_nothing_for_audio_tracks_and_say_why() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(src) = octa::testutil::corpus("ot/multipart") else {
        return;
    };
    // multipart's project.work: MIDI_TRIG_CH1..8=-1 and MIDI_AUTO_CHANNEL=-1 (all OFF).
    let text = std::fs::read_to_string(src.join("project.work")).unwrap();
    assert!(text.contains("MIDI_TRIG_CH3=-1") && text.contains("MIDI_AUTO_CHANNEL=-1"));
    let dir = tmp.path().join("MULTI");
    common::copy_dir(&src, &dir);
    let cap = tmp.path().join("out.cap");
    let out = format!("file:{}", cap.display());
    let mut s = Session::start(&["--midi-out", &out, dir.to_str().unwrap()], tmp.path());
    assert!(s.wait_for(&format!("out {out}"), 0), "{}", s.tail());
    let mark = s.text().len();
    s.send(b"\t\t");
    s.send(DOWN);
    s.send(b" ");
    assert!(
        s.wait_for("no MIDI trig channel", mark),
        "the status says why nothing is heard: {}",
        s.tail()
    );
    assert!(s.quit(), "{}", s.tail());
    let m = captured(&cap);
    assert!(
        !m.iter().any(|b| b[0] & 0xF0 == 0x90 || b[0] & 0xF0 == 0xB0),
        "no note and no CC: {m:?}"
    );
}

#[test]
fn ports_are_chosen_in_the_tracker_and_remembered() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello_t3_on_12(tmp.path()) else {
        return;
    };
    let cap = tmp.path().join("chosen.cap");
    let mut s = Session::start(&[dir.to_str().unwrap()], tmp.path());
    assert!(s.wait_for("PCH", 0), "did not start: {}", s.tail());
    // alt+y asks for the output, then the input (empty: none).
    let mark = s.text().len();
    s.send(b"\x1by");
    assert!(s.wait_for("MIDI output", mark), "{}", s.tail());
    s.send(format!("file:{}\r", cap.display()).as_bytes());
    let mark = s.text().len();
    assert!(s.wait_for("MIDI input", mark), "{}", s.tail());
    s.send(b"\r");
    assert!(
        s.wait_for("remembered in config.toml", mark),
        "{}",
        s.tail()
    );
    // The engine now plays into the capture file: T1 step 1 (channel 1).
    s.send(b"\x1bk");
    let m = wait_capture(&cap, |b| b[0] == 0x80);
    assert!(m.iter().any(|b| b[0] == 0x90), "{m:?}");
    assert!(s.quit(), "{}", s.tail());
    let config = std::fs::read_to_string(tmp.path().join("config/config.toml")).unwrap();
    assert_eq!(config, format!("midi_out = \"file:{}\"\n", cap.display()));
}

#[test]
fn a_click_on_a_track_header_mutes_it_and_a_right_click_solos_it() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello_t3_on_12(tmp.path()) else {
        return;
    };
    // Where T3's header is on a 200x40 screen: the same layout drawn in-process.
    let project =
        octa::project::Project::open(&dir, &octa::project::OpenOptions::default()).unwrap();
    let mut a = octa::ui::testing::app(project, "tracker");
    let screen = octa::ui::testing::screen(&mut a, 200, 40);
    let y = screen.iter().position(|l| l.contains("T3 ")).unwrap();
    let line = &screen[y];
    let x = line[..line.find("T3 ").unwrap()].chars().count() + 1;
    let cap = tmp.path().join("out.cap");
    let out = format!("file:{}", cap.display());
    let mut s = Session::start(&["--midi-out", &out, dir.to_str().unwrap()], tmp.path());
    assert!(s.wait_for("PCH", 0), "did not start: {}", s.tail());
    // SGR mouse reports (1-based cells): left button press and release on T3's header.
    let click = |button: u8| {
        format!(
            "\x1b[<{button};{};{}M\x1b[<{button};{};{}m",
            x + 1,
            y + 1,
            x + 1,
            y + 1
        )
    };
    let mark = s.text().len();
    s.send(click(0).as_bytes());
    // The header and the status line say so (the screen is redrawn by differences: only
    // the new words are written; the message line may show the audio engine's start-up
    // error instead of `T3 muted`).
    assert!(s.wait_for("MUTE", mark), "{}", s.tail());
    assert!(s.wait_for("| mute", mark), "{}", s.tail());
    // Row 1 plays everything but T3 (channel 12).
    s.send(HOME);
    s.send(b"\x1bj");
    let m = wait_capture(&cap, |b| b[0] == 0x80);
    assert!(m.iter().any(|b| b[0] == 0x90), "{m:?}");
    assert!(!m.iter().any(|b| b[0] & 0x0F == 11), "muted T3: {m:?}");
    let mark = s.text().len();
    s.send(click(0).as_bytes());
    // (The status line is redrawn by differences: "T3 muted" becomes "T3 unmuted" by
    // writing the changed part only.)
    assert!(s.wait_for("unmuted", mark), "{}", s.tail());
    let mark = s.text().len();
    s.send(click(2).as_bytes());
    assert!(s.wait_for("soloed", mark), "{}", s.tail());
    assert!(s.wait_for("SOLO", mark), "{}", s.tail());
    assert!(s.quit(), "{}", s.tail());
}
