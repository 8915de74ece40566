#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Track triggers and the local playhead in the tracker (issues #20 and #16), with a
//! software output (the null backend calls the device callback like a sound card): T1 is
//! made START SILENT + PLAYS FREE from the track-settings panel; played on the local
//! engine it is silent and shows no playhead while T2-T16 show theirs in the grid; the
//! trigger key starts it, the re-arm key re-arms one-shot trigs, both keys are listed.

use octa::audio::AudioEngine;
use octa::audio::engine::EngineOptions;
use octa::audio::output::NullOutput;
use octa::project::{OpenOptions, Project};
use octa::seq::model::SeqPattern;
use octa::seq::timeline::SILENT_STEP;
use octa::ui::App;
use octa::ui::testing::{app, press, render, screen};
use std::time::{Duration, Instant};

fn demo_app(tmp: &std::path::Path) -> App {
    let dir = octa::project::demo::generate(&tmp.join("demo")).unwrap();
    let project = Project::open(&dir, &OpenOptions::default()).unwrap();
    app(project, "tracker")
}

fn shown(a: &mut App) -> String {
    screen(a, 200, 40).join("\n")
}

fn t1(a: &App) -> octa::seq::track_play::TrackPlay {
    let (b, p) = (a.ctx.nav.bank, a.ctx.nav.pattern);
    SeqPattern::from_bank(a.ctx.doc.bank(b).unwrap(), b, p)
        .unwrap()
        .tracks[0]
        .play
}

/// Waits (ticking the app) until `f` holds; false after 30 s.
fn wait(a: &mut App, mut f: impl FnMut(&mut App) -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until {
        a.tick();
        if f(a) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

#[test]
fn the_trigger_key_starts_a_start_silent_track_and_the_grid_shows_the_local_playhead() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = demo_app(tmp.path());
    // The keys are in the key list (`octa keys` prints the same table).
    let actions = a.actions();
    for (name, key) in [
        ("app.track_trigger", "ctrl+alt+g"),
        ("app.arm_oneshots", "ctrl+alt+y"),
    ] {
        let def = actions.iter().find(|d| d.name == name).expect(name);
        assert_eq!(def.keys, &[key], "{name}");
    }
    assert!(a.keymap.conflicts.is_empty(), "{:?}", a.keymap.conflicts);
    // Nothing plays yet: the key says so.
    press(&mut a, &["ctrl+alt+g"]);
    assert!(shown(&mut a).contains("nothing plays"));
    // T1: START SILENT and PLAYS FREE from the track-settings panel (swing, trig mode,
    // trig quant, start silent, plays free, oneshot trk).
    press(&mut a, &["ctrl+alt+t", "down", "down", "down"]);
    if !t1(&a).start_silent {
        press(&mut a, &["right"]);
    }
    press(&mut a, &["down", "right", "ctrl+alt+t"]);
    let play = t1(&a);
    assert!(play.start_silent && play.plays_free, "{play:?}");
    a.ctx.engines.audio_engine = Some({
        let e = AudioEngine::with_backend(
            Box::new(NullOutput {
                realtime: true,
                ..NullOutput::default()
            }),
            EngineOptions::default(),
        );
        e.wait_for_device(Duration::from_secs(20));
        e
    });
    press(&mut a, &["ctrl+alt+d", "ctrl+space"]);
    assert!(shown(&mut a).contains("local engine: playing"));
    let at = (a.ctx.nav.bank, a.ctx.nav.pattern);
    // The playhead comes from the callback; T1 is silent (no step), T2 runs. Wait for a
    // step other than the cursor's row 1 (the cursor row has its own colour).
    assert!(wait(&mut a, |a| a
        .ctx
        .local
        .playhead(at)
        .is_some_and(|h| h[1] > 1 && h[1] < 15)));
    let heads = a.ctx.local.playhead(at).unwrap();
    assert_eq!(heads[0], SILENT_STEP);
    // The grid paints the playhead row: find the rows with the playhead colour and the
    // row number printed on them (a step may pass between reading and drawing: retry).
    let bg = a.ctx.theme.raw("grid.playhead").bg;
    assert!(bg.is_some());
    let mut ok = false;
    for _ in 0..50 {
        let before = a.ctx.local.playhead(at).unwrap()[1];
        let buf = render(&mut a, 200, 40);
        let after = a.ctx.local.playhead(at).unwrap()[1];
        if before != after || after <= 1 || after > 30 {
            std::thread::sleep(Duration::from_millis(3));
            continue;
        }
        let area = buf.area;
        let rows: Vec<u16> = (area.y..area.bottom())
            .filter(|&y| (area.x..area.right()).any(|x| buf[(x, y)].bg == bg.unwrap()))
            .collect();
        assert_eq!(rows.len(), 1, "one playhead row: {rows:?}");
        let line: String = (area.x..area.right())
            .map(|x| buf[(x, rows[0])].symbol().to_string())
            .collect();
        assert!(
            line.contains(&format!("{:02} ", after + 1)),
            "the playhead row is step {}: {line}",
            after + 1
        );
        ok = true;
        break;
    }
    assert!(ok, "saw a stable playhead to check");
    // The trigger key (cursor on T1) starts it: its playhead appears.
    press(&mut a, &["ctrl+alt+g"]);
    let s = shown(&mut a);
    assert!(s.contains("T1: triggered (ONE): local engine"), "{s}");
    assert!(wait(&mut a, |a| a
        .ctx
        .local
        .playhead(at)
        .is_some_and(|h| h[0] != SILENT_STEP)));
    press(&mut a, &["ctrl+alt+y"]);
    assert!(shown(&mut a).contains("one-shot trigs re-armed: local engine"));
    // With PLAYS FREE off a trigger changes nothing, and says why.
    press(
        &mut a,
        &["ctrl+alt+t", "down", "down", "down", "down", "left"],
    );
    press(&mut a, &["ctrl+alt+t", "ctrl+alt+g"]);
    assert!(shown(&mut a).contains("T1: does not play free"));
    press(&mut a, &["ctrl+space"]);
    assert!(wait(&mut a, |a| a.ctx.local.playhead(at).is_none()));
}
