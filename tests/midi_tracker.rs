#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The tracker and the MIDI engine together, on a simulated device: the engine plays on the
//! project's channels (not the defaults), every edit that changes a step auditions it, the
//! MIDI keys (play step / row, mute, solo, edit audition off) do what they say.

mod common;

use octa::midi::sim::SimSystem;
use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::midi_link::MidiLink;
use octa::ui::testing::{app, press, screen};
use std::path::Path;
use std::time::{Duration, Instant};

/// A copy of hello-flex whose T3 trig channel is 12 (`MIDI_TRIG_CH3=11`), written here.
fn project_with_t3_on_channel_12(tmp: &Path) -> Option<std::path::PathBuf> {
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

fn tracker(dir: &Path, sim: &SimSystem) -> App {
    let project = Project::open(dir, &OpenOptions::default()).unwrap();
    let mut a = app(project, "tracker");
    let link = MidiLink::start_on(Box::new(sim.clone()), Some("OT".into()), None);
    a.ctx.engines.midi_control = Some(Box::new(link));
    // The first pass of the event loop gives the engine the project.
    a.tick();
    a
}

/// Waits (bounded) until the device received a message matching `f`; all messages so far.
fn wait_for(sim: &SimSystem, f: impl Fn(&[u8]) -> bool) -> Vec<Vec<u8>> {
    let start = Instant::now();
    loop {
        let m = sim.messages();
        if m.iter().any(|b| f(b)) || start.elapsed() > Duration::from_secs(10) {
            return m;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The tempo the tracker's engine plays at.
fn tempo_of(a: &App) -> Option<f64> {
    a.ctx.engines.midi_control.as_ref()?.play_tempo()
}

const CH12_ON: u8 = 0x9B;
const CH12_OFF: u8 = 0x8B;

#[test]
fn edits_audition_on_the_projects_channel_and_mutes_silence_a_track() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = project_with_t3_on_channel_12(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    let mut a = tracker(&dir, &sim);
    // Cursor to T3 step 2 (empty in A01), toggle a trig: the hook auditions it on channel 12
    // as the sample at its own pitch (84), with its note off.
    press(&mut a, &["tab", "tab", "down", "space"]);
    let m = wait_for(&sim, |b| b == [CH12_OFF, 84, 0]);
    assert!(m.contains(&vec![CH12_ON, 84, 100]), "{m:?}");
    assert!(m.contains(&vec![CH12_OFF, 84, 0]), "{m:?}");
    assert!(
        !m.iter().any(|b| b[0] == 0x92),
        "nothing on the default channel 3: {m:?}"
    );
    // Step 1 of T3 holds VOL=88 (AMP VOL is CC 25): play-step sends the lock, then the note.
    sim.clear();
    press(&mut a, &["home", "alt+k"]);
    let m = wait_for(&sim, |b| b == [CH12_OFF, 84, 0]);
    let lock = m.iter().position(|b| b == &vec![0xBB, 25, 88]);
    let on = m.iter().position(|b| b == &vec![CH12_ON, 84, 100]);
    assert!(lock.is_some() && on.is_some() && lock < on, "{m:?}");
    // A move is no edit: nothing is auditioned.
    sim.clear();
    press(&mut a, &["down", "down", "up"]);
    // Mute T3: toggling a trig there (step 4) sends nothing; then play row 1 (T1 T2 T3 T8
    // hold trigs there): everything but T3 sounds.
    press(&mut a, &["ctrl+k"]);
    assert_eq!(a.message, Some(("T3 muted".to_string(), false)));
    press(
        &mut a,
        &["home", "down", "down", "down", "space", "home", "alt+j"],
    );
    let m = wait_for(&sim, |b| b[0] == 0x80);
    assert!(
        m.iter().any(|b| b[0] == 0x90),
        "T1 played in the row: {m:?}"
    );
    assert!(
        !m.iter().any(|b| b[0] & 0x0F == 11),
        "muted T3 sent nothing: {m:?}"
    );
    let mut label = String::new();
    if let Some(mc) = a.ctx.engines.midi_control.as_ref() {
        label = mc.label();
    }
    assert_eq!(label, "out OT | mute T3");
    // Solo T3 (the cursor's track): a row plays only T3, muted or not? Solo wins as on the
    // device: soloed tracks play.
    press(&mut a, &["ctrl+k", "ctrl+l"]);
    assert_eq!(a.message, Some(("T3 soloed".to_string(), false)));
    sim.clear();
    press(&mut a, &["alt+j"]);
    let m = wait_for(&sim, |b| b == [CH12_OFF, 84, 0]);
    assert!(
        m.iter()
            .filter(|b| b[0] & 0xE0 == 0x80)
            .all(|b| b[0] & 0x0F == 11),
        "only T3 plays while soloed: {m:?}"
    );
    // Edit audition off: a toggle sends nothing.
    press(&mut a, &["alt+q", "alt+a"]);
    assert_eq!(a.message, Some(("edit audition off".to_string(), false)));
    sim.clear();
    press(&mut a, &["home", "down", "down", "down", "down", "space"]);
    press(&mut a, &["alt+a", "home", "alt+k"]);
    let m = wait_for(&sim, |b| b[0] == CH12_OFF);
    let ons: Vec<&Vec<u8>> = m.iter().filter(|b| b[0] == CH12_ON).collect();
    assert_eq!(
        ons,
        [&vec![CH12_ON, 84, 100]],
        "only the play-step key sounded: {m:?}"
    );
    assert!(m.contains(&vec![0xBB, 25, 88]), "step 1's lock: {m:?}");
}

#[test]
fn the_engine_follows_a_tempo_change_of_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = project_with_t3_on_channel_12(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    let mut a = tracker(&dir, &sim);
    press(&mut a, &["ctrl+space"]);
    assert_eq!(a.message, Some(("playing".to_string(), false)));
    // hello-flex plays at its project tempo, 124 BPM (TEMPOx24=2976), not 120.
    let start = Instant::now();
    while tempo_of(&a).is_none() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(tempo_of(&a), Some(124.0));
    let _ = wait_for(&sim, |b| b[0] == 0x91);
    // Change the tempo to 300 BPM in project.work while playing: the next pass of the
    // event loop gives it to the engine, which plays on at the new tempo.
    a.ctx
        .doc
        .project
        .project_file_mut()
        .set_tempo_bpm(300.0)
        .unwrap();
    a.tick();
    let start = Instant::now();
    while tempo_of(&a) != Some(300.0) && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(tempo_of(&a), Some(300.0));
    press(&mut a, &["ctrl+space"]);
    let start = Instant::now();
    while a.ctx.engines.midi_control.as_ref().unwrap().is_playing()
        && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let log = sim.log();
    let ons = log.iter().filter(|r| r.bytes[0] & 0xF0 == 0x90).count();
    let offs = log.iter().filter(|r| r.bytes[0] & 0xF0 == 0x80).count();
    assert_eq!(ons, offs, "no hanging notes after stop");
}

#[test]
fn chains_and_arrangements_play_from_the_tracker() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = project_with_t3_on_channel_12(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    let mut a = tracker(&dir, &sim);
    // hello-flex's arrangement 1 is empty: said plainly, nothing plays.
    press(&mut a, &["alt+u"]);
    octa::ui::testing::type_text(&mut a, "arr 1");
    press(&mut a, &["enter"]);
    assert_eq!(
        a.message,
        Some(("arrangement 1 has no pattern rows".to_string(), true))
    );
    press(&mut a, &["alt+u"]);
    octa::ui::testing::type_text(&mut a, "1 x");
    press(&mut a, &["enter"]);
    assert_eq!(
        a.message,
        Some((
            "`x`: expected a pattern number 1..16 or `arr N`".to_string(),
            true
        ))
    );
    // A chain of A01 and A02 plays each once, then stops by itself.
    press(&mut a, &["alt+u"]);
    octa::ui::testing::type_text(&mut a, "1 2");
    press(&mut a, &["enter"]);
    assert_eq!(
        a.message,
        Some(("playing chain A01 A02".to_string(), false))
    );
    let link = a.ctx.engines.midi_control.as_ref().unwrap();
    let start = Instant::now();
    let mut items_seen = std::collections::BTreeSet::new();
    while start.elapsed() < Duration::from_secs(20) {
        match link.play_position() {
            Some(p) => {
                items_seen.insert(p.item);
            }
            None if !items_seen.is_empty() => break,
            None => {}
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(items_seen.into_iter().collect::<Vec<_>>(), [0, 1]);
    assert!(!link.is_playing(), "the chain ended by itself");
}

#[test]
fn note_entry_auditions_once() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = project_with_t3_on_channel_12(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    let mut a = tracker(&dir, &sim);
    // T3 step 2, the note (PCH) column: `z` enters C of the current octave. The view
    // auditions the note itself; the edit hook must not play the step a second time.
    press(&mut a, &["tab", "tab", "down", "right", "z"]);
    let cursor = a.views[a.current].cursor_line(&a.ctx).unwrap_or_default();
    assert!(cursor.starts_with("T3 step 03/16 PTCH"), "{cursor}");
    let m = wait_for(&sim, |b| b[0] == CH12_OFF);
    std::thread::sleep(Duration::from_millis(300));
    let m2 = sim.messages();
    // The step now holds a trig (the hook saw a change and still stayed quiet).
    assert!(a.ctx.doc.bank(0).unwrap().patterns[0].audio[2].trigs.get(1));
    let ons = m2.iter().filter(|b| b[0] == CH12_ON).count();
    assert_eq!(ons, 1, "{cursor}: {m:?} then {m2:?} ({:?})", a.message);
}

#[test]
fn step_recording_from_the_input_is_one_undo_step() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = project_with_t3_on_channel_12(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    let project = Project::open(&dir, &OpenOptions::default()).unwrap();
    let mut a = app(project, "tracker");
    let link = MidiLink::start_on(Box::new(sim.clone()), Some("OT".into()), Some("OT".into()));
    a.ctx.engines.midi_control = Some(Box::new(link));
    a.ctx.engines.midi_ports = (Some("OT".into()), Some("OT".into()));
    a.tick();
    // C01: empty in hello-flex.
    a.ctx.nav.bank = 2;
    a.ctx.nav.pattern = 0;
    let before = a.ctx.doc.bank(2).unwrap().patterns[0].clone();
    // T3 step 2, record: two notes from the controller land on steps 2 and 3.
    press(&mut a, &["tab", "tab", "down", "alt+z"]);
    assert_eq!(
        a.message,
        Some(("recording T3 from OT (alt+z stops)".to_string(), false))
    );
    let label = a.ctx.engines.midi_control.as_ref().unwrap().label();
    assert!(label.ends_with("| REC T3 step"), "{label}");
    // The input opens on the engine thread: feed until the first note is recorded.
    let start = Instant::now();
    let t3 = |a: &App| a.ctx.doc.bank(2).unwrap().patterns[0].audio[2].clone();
    while !t3(&a).trigs.get(1) && start.elapsed() < Duration::from_secs(10) {
        sim.feed("OT", &[0x90, 86, 100]);
        sim.feed("OT", &[0x80, 86, 0]);
        std::thread::sleep(Duration::from_millis(20));
        a.tick();
    }
    // Whatever came in flight before the first note was seen went to the next steps; one
    // more note after the others.
    std::thread::sleep(Duration::from_millis(100));
    a.tick();
    let next = (0..16).find(|&s| s > 1 && !t3(&a).trigs.get(s)).unwrap();
    sim.feed("OT", &[0x90, 72, 100]);
    sim.feed("OT", &[0x80, 72, 0]);
    let start = Instant::now();
    while !t3(&a).trigs.get(next) && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
        a.tick();
    }
    assert_eq!(t3(&a).plock(1, 0), Some(66), "86 = D6: PTCH +2");
    assert_eq!(t3(&a).plock(next, 0), Some(52), "72 = C5: PTCH -12");
    press(&mut a, &["alt+z"]);
    let msg = a.message.clone().unwrap().0;
    assert!(
        msg.starts_with("take ended: ") && msg.ends_with("into T3 (one undo step)"),
        "{msg}"
    );
    // Thru/audition: the notes were heard on T3's channel.
    assert!(sim.messages().iter().any(|b| b == &vec![CH12_ON, 86, 100]));
    // One undo takes the whole take back.
    press(&mut a, &["ctrl+z"]);
    assert!(a.ctx.doc.bank(2).unwrap().patterns[0] == before);
}

/// The step T1 is playing, if the engine plays.
fn playing_step(a: &App) -> Option<usize> {
    a.ctx.engines.midi_control.as_ref()?.position(0)
}

#[test]
fn follow_moves_the_cursor_with_the_playhead_and_off_leaves_it() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = project_with_t3_on_channel_12(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    let mut a = tracker(&dir, &sim);
    press(&mut a, &["ctrl+alt+f"]);
    assert_eq!(
        a.message,
        Some((
            "follow: the cursor moves with the playhead".to_string(),
            false
        ))
    );
    press(&mut a, &["ctrl+space"]);
    // Each draw while playing puts the cursor on the step T1 plays: checked on draws during
    // which the playhead did not move, at three different steps.
    let mut seen = std::collections::BTreeSet::new();
    let start = Instant::now();
    while seen.len() < 3 && start.elapsed() < Duration::from_secs(20) {
        let before = playing_step(&a);
        let shown = screen(&mut a, 200, 50).join("\n");
        if let Some(step) = before
            && playing_step(&a) == before
        {
            let want = format!("T1 step {:02}/16", step + 1);
            assert!(shown.contains(&want), "{want} not in:\n{shown}");
            assert!(shown.contains("playing, follow"), "{shown}");
            seen.insert(step);
        }
        std::thread::sleep(Duration::from_millis(7));
    }
    assert_eq!(seen.len(), 3, "the playhead was seen at {seen:?}");
    // Follow off: the cursor stays where it is while the playhead moves on.
    press(&mut a, &["ctrl+alt+f"]);
    let stays = screen(&mut a, 200, 50)
        .join("\n")
        .split("T1 step ")
        .nth(1)
        .map(|s| s[..2].to_string())
        .unwrap();
    let moved_from = playing_step(&a);
    let start = Instant::now();
    while playing_step(&a) == moved_from && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_ne!(playing_step(&a), moved_from, "the playhead did not move");
    let shown = screen(&mut a, 200, 50).join("\n");
    assert!(
        shown.contains(&format!("T1 step {stays}/16")),
        "the cursor moved without follow:\n{shown}"
    );
    press(&mut a, &["ctrl+space"]);
}
