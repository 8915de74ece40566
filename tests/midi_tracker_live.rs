#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The tracker's live MIDI, through the capture port (`file:` output and input) and a
//! simulated device: a live take after the count-in from a `file:` input with known note
//! times (trigs, pitch locks, micro-timing, one undo step, the clicks and the record state),
//! an input that vanishes during a take (the take kept, said plainly), pattern-tempo and trig
//! edits followed by running playback, a linked patch sent before its track's note, the
//! playhead drawn per track and only on the pattern that plays, and mute / solo by mouse.

mod common;

use octa::format::bank::ScaleMode;
use octa::midi::sim::SimSystem;
use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::midi_link::MidiLink;
use octa::ui::testing::{app, press, render, screen};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A copy of hello-flex (124 BPM, pattern tempo off, T1-T8 on trig channels 1-8; C01 empty).
fn hello(tmp: &Path) -> Option<PathBuf> {
    let src = octa::testutil::corpus("ot/hello-flex/project")?;
    let dir = tmp.join("HELLO");
    common::copy_dir(&src, &dir);
    let text = std::fs::read_to_string(dir.join("project.work")).unwrap();
    assert!(
        text.contains("TEMPOx24=2976\r\n"),
        "hello-flex plays at 124 BPM"
    );
    assert!(text.contains("PATTERN_TEMPO_ENABLED=0\r\n"));
    assert!(text.contains("MIDI_TRIG_CH1=0\r\n") && text.contains("MIDI_TRIG_CH3=2\r\n"));
    Some(dir)
}

fn tracker(dir: &Path, link: MidiLink) -> App {
    let project = Project::open(dir, &OpenOptions::default()).unwrap();
    let mut a = app(project, "tracker");
    a.ctx.engines.midi_control = Some(Box::new(link));
    a.tick();
    a
}

fn captured(cap: &Path) -> Vec<(u64, Vec<u8>)> {
    octa::midi::capture::read(&cap.to_path_buf()).unwrap_or_default()
}

/// Ticks the app (as the event loop does) until `f` holds or 20 s pass; whether it held.
fn tick_until(a: &mut App, mut f: impl FnMut(&mut App) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        a.tick();
        if f(a) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

fn label(a: &App) -> String {
    a.ctx.engines.midi_control.as_ref().unwrap().label()
}

fn message(a: &App) -> String {
    a.message.clone().map(|m| m.0).unwrap_or_default()
}

/// One step at 124 BPM in microseconds.
const STEP_US: f64 = 60e6 / 124.0 / 4.0;

#[test]
fn a_live_take_after_the_count_in_writes_quantized_notes_with_micro_timing() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    // The controller's notes, timed from the pattern's first step: step 1, step 5 + 1/4,
    // step 9 - 1/8 and step 13, each held 30 ms (84 = C6: the sample's own pitch).
    let notes = [(0.0, 84u8), (4.25, 86), (7.875, 72), (12.0, 96)];
    let mut lines: Vec<(u64, String)> = Vec::new();
    for (s, n) in notes {
        let t = (s * STEP_US).round() as u64;
        lines.push((t, format!("{t} 90 {n:02X} 64\n")));
        lines.push((t + 30_000, format!("{} 80 {n:02X} 00\n", t + 30_000)));
    }
    // A CC from the controller (CC 20 = 51 on channel 1) at step 7: thru to T3's channel.
    let t = (6.0 * STEP_US).round() as u64;
    lines.push((t, format!("{t} B0 14 33\n")));
    lines.sort();
    let text: String = lines.into_iter().map(|l| l.1).collect();
    let input = tmp.path().join("take.cap");
    std::fs::write(&input, text).unwrap();
    let cap = tmp.path().join("out.cap");
    let (out, inp) = (
        format!("file:{}", cap.display()),
        format!("file:{}", input.display()),
    );
    let link = MidiLink::start_on(
        Box::new(SimSystem::default()),
        Some(out.clone()),
        Some(inp.clone()),
    );
    let mut a = tracker(&dir, link);
    a.ctx.engines.midi_ports = (Some(out), Some(inp.clone()));
    // Clicks on channel 16 (metronome_channel = 16 in the config).
    a.ctx.engines.metronome_channel = Some(15);
    // C01 is empty in hello-flex (its part has Static machines); the cursor on T3.
    a.ctx.nav.bank = 2;
    a.ctx.nav.pattern = 0;
    let before = a.ctx.doc.bank(2).unwrap().patterns[0].clone();
    assert!(!(0..64).any(|s| before.audio[2].trigs.get(s)));
    press(&mut a, &["tab", "tab", "ctrl+alt+z"]);
    assert_eq!(
        message(&a),
        format!(
            "count-in 1 bar(s) (clicks on channel 16), then recording T3 from {inp} (alt+z stops)"
        )
    );
    // The status line counts in, with the take armed, then says the take runs.
    assert!(
        tick_until(&mut a, |a| label(a).contains("COUNT-IN")),
        "{}",
        label(&a)
    );
    let l = label(&a);
    assert!(l.contains("| REC T3 armed"), "{l}");
    // The grid marks the track being recorded.
    let s = screen(&mut a, 200, 50);
    assert!(
        s.iter().any(|l| l.contains("T3 REC STATIC")),
        "{}",
        s.join("\n")
    );
    let t3 = |a: &App| a.ctx.doc.bank(2).unwrap().patterns[0].audio[2].clone();
    let trigs = |a: &App| (0..64).filter(|&s| t3(a).trigs.get(s)).collect::<Vec<_>>();
    assert!(
        tick_until(&mut a, |a| trigs(a).len() == 4),
        "recorded {:?}",
        trigs(&a)
    );
    let l = label(&a);
    assert!(
        l.contains("| REC T3 live") && !l.contains("COUNT-IN"),
        "{l}"
    );
    press(&mut a, &["ctrl+alt+z"]);
    assert_eq!(message(&a), "take ended: 4 note(s) into T3 (one undo step)");
    // The notes on the nearest steps, their offsets kept as micro-timing (1/24 step), the
    // pitch as PTCH locks (64 + semitones from C6).
    let t = t3(&a);
    assert_eq!(trigs(&a), [0, 4, 8, 12]);
    let ptch: Vec<Option<u8>> = [0, 4, 8, 12].iter().map(|&s| t.plock(s, 0)).collect();
    assert_eq!(ptch, [Some(64), Some(66), Some(52), Some(76)]);
    let micro: Vec<i8> = [0, 4, 8, 12].iter().map(|&s| t.micro_timing(s).0).collect();
    assert_eq!(micro, [0, 6, -3, 0]);
    // The count-in: four clicks on channel 16 (the first of the bar accented), all before
    // the take's first note was heard on T3's channel.
    let m = captured(&cap);
    let clicks: Vec<u8> = m
        .iter()
        .filter(|(_, b)| b[0] == 0x9F)
        .map(|(_, b)| b[2])
        .collect();
    assert_eq!(clicks, [127, 90, 90, 90], "{m:?}");
    // Thru: the controller's CC went on to the device on T3's trig channel (3: 0xB2).
    assert!(m.iter().any(|(_, b)| b == &[0xB2, 20, 51]), "{m:?}");
    let last_click = m.iter().rposition(|(_, b)| b[0] == 0x9F).unwrap();
    let first_t3 = m.iter().position(|(_, b)| b[0] == 0x92).unwrap();
    assert!(last_click < first_t3, "{m:?}");
    // Ending the take stopped the playback it started; every note got its note off.
    assert!(tick_until(&mut a, |a| !a
        .ctx
        .engines
        .midi_control
        .as_ref()
        .unwrap()
        .is_playing()));
    // One undo takes the whole take back.
    press(&mut a, &["ctrl+z"]);
    assert!(a.ctx.doc.bank(2).unwrap().patterns[0] == before);
    drop(a);
    let m = captured(&cap);
    let ons = m.iter().filter(|(_, b)| b[0] & 0xF0 == 0x90).count();
    let offs = m.iter().filter(|(_, b)| b[0] & 0xF0 == 0x80).count();
    assert_eq!(ons, offs, "{m:?}");
}

#[test]
fn an_input_that_vanishes_during_a_take_ends_it_and_keeps_what_was_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    sim.plug("KEYS");
    let link = MidiLink::start_on(
        Box::new(sim.clone()),
        Some("OT".into()),
        Some("KEYS".into()),
    );
    let mut a = tracker(&dir, link);
    a.ctx.engines.midi_ports = (Some("OT".into()), Some("KEYS".into()));
    a.ctx.nav.bank = 2;
    a.ctx.nav.pattern = 0;
    let before = a.ctx.doc.bank(2).unwrap().patterns[0].clone();
    press(&mut a, &["tab", "tab", "alt+z"]);
    assert_eq!(message(&a), "recording T3 from KEYS (alt+z stops)");
    let t3 = |a: &App| a.ctx.doc.bank(2).unwrap().patterns[0].audio[2].clone();
    // Step entry from step 1: one note (fed until the input, opened on the engine's
    // thread, delivers it).
    assert!(tick_until(&mut a, |a| {
        if !t3(a).trigs.get(0) {
            sim.feed("KEYS", &[0x90, 86, 100]);
            sim.feed("KEYS", &[0x80, 86, 0]);
        }
        t3(a).trigs.get(0)
    }));
    std::thread::sleep(Duration::from_millis(100));
    a.tick();
    let kept: Vec<usize> = (0..64).filter(|&s| t3(&a).trigs.get(s)).collect();
    // The keyboard is unplugged: the take ends by itself, kept, and the status line says so.
    sim.unplug("KEYS");
    assert!(
        tick_until(&mut a, |a| message(a).contains("vanished")),
        "{}",
        message(&a)
    );
    assert_eq!(
        message(&a),
        format!(
            "MIDI input KEYS vanished while recording: take ended: {} note(s) into T3 (one undo step), kept",
            kept.len()
        )
    );
    assert_eq!(a.message.as_ref().map(|m| m.1), Some(true), "an error");
    assert!(!label(&a).contains("REC"), "{}", label(&a));
    let now: Vec<usize> = (0..64).filter(|&s| t3(&a).trigs.get(s)).collect();
    assert_eq!(now, kept);
    assert_eq!(t3(&a).plock(0, 0), Some(66), "86 = D6: PTCH +2");
    // The take is one undo step.
    press(&mut a, &["ctrl+z"]);
    assert!(a.ctx.doc.bank(2).unwrap().patterns[0] == before);
}

/// Note-on times (µs) of a status byte in a capture.
fn on_times(m: &[(u64, Vec<u8>)], status: u8) -> Vec<u64> {
    m.iter()
        .filter(|(_, b)| b[0] == status)
        .map(|(t, _)| *t)
        .collect()
}

fn median_gap(t: &[u64]) -> f64 {
    let mut gaps: Vec<u64> = t.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_unstable();
    gaps[gaps.len() / 2] as f64
}

#[test]
fn pattern_tempo_and_trig_edits_made_while_playing_are_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    let pf = dir.join("project.work");
    let text = std::fs::read_to_string(&pf).unwrap();
    std::fs::write(
        &pf,
        text.replace("PATTERN_TEMPO_ENABLED=0\r\n", "PATTERN_TEMPO_ENABLED=1\r\n"),
    )
    .unwrap();
    let cap = tmp.path().join("out.cap");
    let link = MidiLink::start_on(
        Box::new(SimSystem::default()),
        Some(format!("file:{}", cap.display())),
        None,
    );
    let mut a = tracker(&dir, link);
    // C01: T1 on every step, pattern tempo 120 BPM.
    a.ctx.nav.bank = 2;
    a.ctx.nav.pattern = 0;
    {
        let p = &mut a.ctx.doc.bank_mut(2).unwrap().patterns[0];
        for s in 0..16 {
            p.audio[0].trigs.set(s, true).unwrap();
        }
        p.set_tempo_bpm(120.0).unwrap();
    }
    press(&mut a, &["ctrl+space"]);
    let tempo = |a: &App| a.ctx.engines.midi_control.as_ref().unwrap().play_tempo();
    assert!(tick_until(&mut a, |_| on_times(&captured(&cap), 0x90)
        .len()
        >= 8));
    assert_eq!(tempo(&a), Some(120.0));
    // The pattern tempo goes to 240 BPM and a trig appears on T4 step 1: the next pass of
    // the event loop gives the edited pattern to the engine.
    a.ctx.doc.bank_mut(2).unwrap().patterns[0]
        .set_tempo_bpm(240.0)
        .unwrap();
    press(&mut a, &["tab", "tab", "tab", "home", "space"]);
    let at_edit = on_times(&captured(&cap), 0x90).len();
    a.tick();
    assert!(tick_until(&mut a, |a| tempo(a) == Some(240.0)));
    assert!(tick_until(&mut a, |_| {
        let m = captured(&cap);
        on_times(&m, 0x90).len() >= at_edit + 12 && !on_times(&m, 0x93).is_empty()
    }));
    press(&mut a, &["ctrl+space"]);
    let m = captured(&cap);
    let t1 = on_times(&m, 0x90);
    // Steps before the edit: 60 / 120 / 4 s = 125 ms apart; after it (leaving the two steps
    // rendered ahead and the one at the change): 62.5 ms.
    let before = median_gap(&t1[..at_edit]);
    let after = median_gap(&t1[at_edit + 3..]);
    assert!(
        (115_000.0..135_000.0).contains(&before),
        "{before} us at 120 BPM: {t1:?}"
    );
    assert!(
        (57_000.0..68_000.0).contains(&after),
        "{after} us at 240 BPM: {t1:?}"
    );
    // The toggled trig on T4 (channel 4) was heard during playback, not only auditioned:
    // more than one note on.
    assert!(tick_until(&mut a, |a| !a
        .ctx
        .engines
        .midi_control
        .as_ref()
        .unwrap()
        .is_playing()));
    let m = captured(&cap);
    assert!(on_times(&m, 0x93).len() >= 2, "{m:?}");
}

#[test]
fn a_linked_patch_goes_to_its_synth_before_its_tracks_note_when_sending_is_on() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    let cap = tmp.path().join("out.cap");
    let link = MidiLink::start_on(
        Box::new(SimSystem::default()),
        Some(format!("file:{}", cap.display())),
        None,
    );
    let mut a = tracker(&dir, link);
    let (bank, pattern) = (a.ctx.nav.bank, a.ctx.nav.pattern);
    let part = a.ctx.doc.bank(bank).unwrap().patterns[pattern].part() as usize;
    let patch = vec![0xF0, 0x7D, 0x01, 0x02, 0x03, 0xF7];
    octa::ui::audition::link_patch(
        &mut a.ctx.engines,
        (bank, part, 0),
        octa::ui::engines::PatchLink {
            name: "Pad".into(),
            device: "Test synth".into(),
            port: None,
            messages: vec![patch.clone()],
        },
    );
    let notes = |m: &[(u64, Vec<u8>)]| m.iter().filter(|(_, b)| b[0] & 0xF0 == 0x90).count();
    let sysex = |m: &[(u64, Vec<u8>)]| m.iter().filter(|(_, b)| *b == patch).count();
    // M1 (8 tracks to the right), step 2: a trig toggled on is auditioned (the cursor moves
    // on by the edit step); sending is off.
    press(&mut a, &["tab"; 8]);
    press(&mut a, &["home", "down", "space"]);
    let cursor = a.views[a.current].cursor_line(&a.ctx).unwrap_or_default();
    assert!(cursor.starts_with("M1 step 03"), "{cursor}");
    assert!(tick_until(&mut a, |_| notes(&captured(&cap)) >= 1));
    assert_eq!(sysex(&captured(&cap)), 0, "sending is off");
    press(&mut a, &["ctrl+alt+l"]);
    assert_eq!(
        message(&a),
        "linked patches are sent when their track is auditioned (1 linked)"
    );
    // Play the step: the patch first, then M1's note.
    press(&mut a, &["up", "alt+k"]);
    assert!(tick_until(&mut a, |_| notes(&captured(&cap)) >= 2));
    let m = captured(&cap);
    let sx = m.iter().position(|(_, b)| *b == patch).expect("patch sent");
    let last_on = m.iter().rposition(|(_, b)| b[0] & 0xF0 == 0x90).unwrap();
    assert!(sx < last_on, "{m:?}");
    // The synth holds it now: playing the step again sends the note only.
    press(&mut a, &["alt+k"]);
    assert!(tick_until(&mut a, |_| notes(&captured(&cap)) >= 3));
    assert_eq!(sysex(&captured(&cap)), 1);
    // A synth found on its own port gets its patch there, not on the Octatrack's output:
    // M2's link, auditioned by toggling a trig on M2 step 2.
    let synth = tmp.path().join("synth.cap");
    let patch2 = vec![0xF0, 0x7D, 0x05, 0x06, 0xF7];
    octa::ui::audition::link_patch(
        &mut a.ctx.engines,
        (bank, part, 1),
        octa::ui::engines::PatchLink {
            name: "Bass".into(),
            device: "Other synth".into(),
            port: Some(format!("file:{}", synth.display())),
            messages: vec![patch2.clone()],
        },
    );
    press(&mut a, &["tab", "space"]);
    assert!(tick_until(&mut a, |_| captured(&synth).len() == 1));
    assert_eq!(captured(&synth)[0].1, patch2);
    assert!(tick_until(&mut a, |_| notes(&captured(&cap)) >= 4));
    assert!(!captured(&cap).iter().any(|(_, b)| *b == patch2));
    press(&mut a, &["ctrl+alt+l"]);
    assert_eq!(message(&a), "linked patches are not sent");
}

/// The cells of a rendered screen whose background is the playhead's, as (x, y).
fn playhead_cells(a: &mut App) -> Vec<(u16, u16)> {
    let bg = a.ctx.theme.raw("grid.playhead").bg;
    assert!(bg.is_some(), "the theme gives the playhead a background");
    let buf = render(a, 200, 50);
    let mut v = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            if buf[(x, y)].bg == bg.unwrap() {
                v.push((x, y));
            }
        }
    }
    v
}

#[test]
fn the_playhead_is_drawn_per_track_on_the_playing_pattern_only_and_headers_mute_by_mouse() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    let link = MidiLink::start_on(Box::new(sim.clone()), Some("OT".into()), None);
    let mut a = tracker(&dir, link);
    assert_eq!((a.ctx.nav.bank, a.ctx.nav.pattern), (0, 0), "A01");
    // A01 in PER TRACK mode, T2 3 steps long: T2's playhead runs apart from T1's.
    {
        let p = &mut a.ctx.doc.bank_mut(0).unwrap().patterns[0];
        p.set_scale_mode(ScaleMode::PerTrack);
        p.set_per_track_master_length(Some(16)).unwrap();
        for t in 0..8 {
            p.audio[t].settings.set_length(16).unwrap();
        }
        p.audio[1].settings.set_length(3).unwrap();
    }
    let s = screen(&mut a, 200, 50);
    let header = s.iter().position(|l| l.contains("T1 ")).unwrap();
    // Columns count characters (the grid's separators are several bytes long).
    let x_of = |s: &[String], name: &str| {
        let l = &s[header];
        l[..l.find(name).unwrap()].chars().count() as u16
    };
    let (x1, x2) = (x_of(&s, "T1 "), x_of(&s, "T2 "));
    // The cursor on T5, away from the columns looked at.
    press(&mut a, &["tab", "tab", "tab", "tab", "ctrl+space"]);
    let steps = |a: &App| {
        a.ctx
            .engines
            .midi_control
            .as_ref()
            .unwrap()
            .playhead((0, 0))
    };
    // Draws during which the playhead did not move: T1's column is lit on T1's row and
    // T2's on T2's row; once T1 is past step 3 those rows differ.
    let mut apart = 0;
    let start = Instant::now();
    while apart < 2 && start.elapsed() < Duration::from_secs(20) {
        let Some(h) = steps(&a) else {
            std::thread::sleep(Duration::from_millis(3));
            continue;
        };
        let cells = playhead_cells(&mut a);
        if steps(&a) != Some(h) {
            continue;
        }
        let row_of = |x: u16| {
            cells
                .iter()
                .filter(|c| c.0 == x)
                .map(|c| c.1)
                .collect::<Vec<_>>()
        };
        let (r1, r2) = (row_of(x1), row_of(x2));
        assert_eq!(r1.len(), 1, "one playhead cell in T1's column: {r1:?}");
        assert_eq!(r2.len(), 1, "one playhead cell in T2's column: {r2:?}");
        assert!(h[1] < 3, "T2 wraps after 3 steps: {h:?}");
        assert_eq!(r1[0] as i32 - r2[0] as i32, h[0] as i32 - h[1] as i32);
        if h[0] != h[1] {
            apart += 1;
        }
        std::thread::sleep(Duration::from_millis(7));
    }
    assert_eq!(apart, 2, "seen with T1 and T2 on different steps");
    // Another pattern shown (A02) while A01 plays: no playhead drawn on it.
    a.ctx.nav.pattern = 1;
    let shown = |a: &App| {
        a.ctx
            .engines
            .midi_control
            .as_ref()
            .unwrap()
            .playhead((0, 1))
    };
    assert!(steps(&a).is_some() && shown(&a).is_none());
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(300) {
        assert!(playhead_cells(&mut a).is_empty(), "a playhead on A02");
    }
    a.ctx.nav.pattern = 0;
    press(&mut a, &["ctrl+space"]);
    // Mouse: a click on T3's header mutes it, again unmutes; a right click solos.
    let s = screen(&mut a, 200, 50);
    let (x3, y) = (x_of(&s, "T3 ") + 1, header as u16);
    a.mouse(x3, y, 0);
    assert_eq!(message(&a), "T3 muted");
    let s = screen(&mut a, 200, 50);
    assert!(s[header].contains("T3 MUTE"), "{}", s[header]);
    assert_eq!(label(&a), "out OT | mute T3");
    a.mouse(x3, y, 0);
    assert_eq!(message(&a), "T3 unmuted");
    assert!(octa::ui::audition::header_click(&mut a, x3, y, true));
    assert_eq!(message(&a), "T3 soloed");
    let s = screen(&mut a, 200, 50);
    assert!(s[header].contains("T3 SOLO"), "{}", s[header]);
    // Soloed: a row plays T3 only (T1 T2 T3 T8 hold trigs on step 1).
    sim.clear();
    press(&mut a, &["home", "alt+j"]);
    let start = Instant::now();
    while !sim.messages().iter().any(|b| b[0] == 0x82) && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let m = sim.messages();
    assert!(m.contains(&vec![0x92, 84, 100]), "{m:?}");
    assert!(
        m.iter().filter(|b| b[0] < 0xF0).all(|b| b[0] & 0x0F == 2),
        "only T3 while soloed: {m:?}"
    );
    // A click in the grid (not a header) still moves the cursor and mutes nothing.
    a.mouse(x1 + 1, y + 4, 0);
    assert_eq!(label(&a), "out OT | solo T3");
}

#[test]
fn the_queued_chain_is_kept_for_the_session_and_shown_while_it_plays() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("OT");
    let link = MidiLink::start_on(Box::new(sim.clone()), Some("OT".into()), None);
    let mut a = tracker(&dir, link);
    // hello-flex's project.work holds no queued chain (the device keeps none there): the
    // first question starts empty.
    press(&mut a, &["alt+u"]);
    match &a.overlay {
        octa::ui::app::Overlay::Prompt { text, .. } => assert_eq!(text, ""),
        o => panic!("{o:?}"),
    }
    octa::ui::testing::type_text(&mut a, "1 2");
    press(&mut a, &["enter"]);
    assert_eq!(message(&a), "playing chain A01 A02");
    // While it plays the status line names the pattern and the item.
    assert!(
        tick_until(&mut a, |a| label(a).contains("| A02 2/2")),
        "{}",
        label(&a)
    );
    assert!(tick_until(&mut a, |a| !a
        .ctx
        .engines
        .midi_control
        .as_ref()
        .unwrap()
        .is_playing()));
    assert_eq!(label(&a), "out OT");
    // Asked again: the last chain is offered.
    press(&mut a, &["alt+u"]);
    match &a.overlay {
        octa::ui::app::Overlay::Prompt { text, .. } => assert_eq!(text, "1 2"),
        o => panic!("{o:?}"),
    }
    press(&mut a, &["esc"]);
}

#[test]
fn without_an_output_the_count_in_is_only_shown_and_the_take_still_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = hello(tmp.path()) else {
        return;
    };
    let sim = SimSystem::with_device("KEYS");
    let link = MidiLink::start_on(
        Box::new(sim.clone()),
        Some("NOPE".into()),
        Some("KEYS".into()),
    );
    let mut a = tracker(&dir, link);
    a.ctx.engines.midi_ports = (Some("NOPE".into()), Some("KEYS".into()));
    a.ctx.engines.metronome_channel = Some(15);
    a.ctx.engines.count_in_bars = Some(2);
    a.ctx.nav.bank = 2;
    a.ctx.nav.pattern = 0;
    press(&mut a, &["tab", "tab", "ctrl+alt+z"]);
    assert_eq!(
        message(&a),
        "count-in 2 bar(s) (no MIDI output: shown only), then recording T3 from KEYS (alt+z stops)"
    );
    // Two bars: 8 beats counted down on the status line, then the take runs.
    assert!(
        tick_until(&mut a, |a| label(a).contains("COUNT-IN 8 | REC T3 armed")),
        "{}",
        label(&a)
    );
    assert!(
        tick_until(&mut a, |a| label(a).contains("| REC T3 live")),
        "{}",
        label(&a)
    );
    press(&mut a, &["alt+z"]);
    assert_eq!(message(&a), "take ended: 0 note(s) into T3 (one undo step)");
    assert!(sim.messages().is_empty(), "{:?}", sim.messages());
}
