#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The tracker's script menu (shift+F2 in the pattern view): a script from the config dir's
//! `scripts/` folder run on a selection changes only the selected tracks and steps (the
//! bytes outside are the opened ones, in this bank and every other, and project.work), is one
//! undo step, and undo restores every byte. Scripts that fail change nothing.

use octa::format::bank::StepKind;
use octa::format::types::TrigCondition;
use octa::project::Project;
use octa::ui::App;
use octa::ui::testing::{app, press, screen, type_text};
use std::fs;
use std::path::PathBuf;

/// A config dir with `scripts/everything.rhai`, which writes every step of every track of
/// the current pattern, a step of another bank and the tempo; and `broken.rhai`.
fn config_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("octa-ui-script-menu-{}", std::process::id()));
    fs::create_dir_all(dir.join("scripts")).unwrap();
    fs::write(
        dir.join("scripts/everything.rhai"),
        r#"
for t in 1..=8 {
    for s in 1..=64 {
        pattern.audio_track(t).step(s).active = true;
        pattern.audio_track(t).step(s).condition = "FILL";
        pattern.audio_track(t).step(s).lock("VOL", 10);
        pattern.midi_track(t).step(s).note = 60;
    }
}
project.bank(2).pattern(1).audio_track(1).step(1).active = true;
project.bank(1).pattern(3).audio_track(1).step(1).active = true;
project.bank(1).part(1).track(1).amp.VOL = 5;
project.add_sample("kick.wav");
project.settings.tempo = 100;
print(`${selection.tracks} ${selection.steps}`);
"#,
    )
    .unwrap();
    fs::write(
        dir.join("scripts/broken.rhai"),
        "pattern.audio_track(1).step(1).active = true;\nlet x = 1 +;\n",
    )
    .unwrap();
    dir
}

fn start() -> App {
    octa::ui::script_menu::set_user_dir(Some(config_dir().join("scripts")));
    app(Project::new_blank("t"), "tracker")
}

fn bytes(a: &App) -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = (0..16)
        .map(|b| a.ctx.doc.bank(b).unwrap().to_bytes())
        .collect();
    v.push(a.ctx.doc.project.project_file().to_bytes());
    v
}

/// Selects rows 2-5 of T1 and T2 (mark, down x3, next track).
fn select(a: &mut App) {
    press(a, &["down", "alt+b", "down", "down", "down", "tab"]);
}

#[test]
fn a_script_on_a_selection_changes_only_the_selection_and_is_one_undo_step() {
    let mut a = start();
    let original = bytes(&a);
    select(&mut a);
    press(&mut a, &["shift+F2"]);
    let shown = screen(&mut a, 200, 50).join("\n");
    assert!(
        shown.contains("Script on 2 track(s) x 4 step(s)") && shown.contains("everything"),
        "{shown}"
    );
    type_text(&mut a, "everything");
    press(&mut a, &["enter"]);
    let shown = screen(&mut a, 200, 50).join("\n");
    assert!(
        shown.contains("script everything: 8 step(s) changed"),
        "{shown}"
    );
    // What the script changed outside the selection is named, not silently dropped: all 64
    // steps of the 16 tracks but the 8 selected ones, the tempo, the sample, part 1, pattern
    // 3 and bank B.
    assert!(
        shown.contains(
            "dropped: 1016 step(s) outside the selection, tempo, 1 sample(s) added, part 1, pattern 3, bank B"
        ),
        "{shown}"
    );
    assert_eq!(a.ctx.doc.history.undo_len(), 1, "one undo step");
    assert_eq!(a.ctx.doc.history.labels(), ["script everything"]);

    let after = bytes(&a);
    // Nothing outside bank 1 (A), nor project.work (the tempo), changed.
    for b in 1..16 {
        assert!(after[b] == original[b], "bank {} changed", b + 1);
    }
    assert!(after[16] == original[16], "project.work changed");
    let bank = a.ctx.doc.bank(0).unwrap();
    let pat = bank.pattern(0).unwrap();
    for t in 0..8 {
        for s in 0..64 {
            let inside = t < 2 && (1..=4).contains(&s);
            let tr = &pat.audio[t];
            assert_eq!(
                tr.step_kind(s) == StepKind::Trig,
                inside,
                "T{} step {}",
                t + 1,
                s + 1
            );
            assert_eq!(
                tr.condition(s) == TrigCondition::Fill,
                inside,
                "T{} step {} condition",
                t + 1,
                s + 1
            );
            // AMP VOL is lock byte 15 (format doc §4.7); +10 is 74.
            assert_eq!(
                tr.plock(s, 15),
                inside.then_some(74),
                "T{} step {}",
                t + 1,
                s + 1
            );
            // No MIDI track was selected.
            assert_eq!(pat.midi[t].plock(s, 0), None);
        }
    }
    // The rest of bank A's bytes: only the two tracks' pattern blocks differ. Compare every
    // other pattern byte for byte.
    let before = octa::format::Bank::from_bytes(&original[0]).unwrap().0;
    for p in 1..16 {
        assert!(
            bank.pattern(p) == before.pattern(p),
            "pattern {} changed",
            p + 1
        );
    }
    for t in 2..8 {
        assert!(pat.audio[t] == before.pattern(0).unwrap().audio[t]);
    }
    assert!(bank.parts() == before.parts());

    press(&mut a, &["ctrl+z"]);
    assert!(bytes(&a) == original, "undo restores every byte");
    press(&mut a, &["ctrl+y"]);
    assert!(bytes(&a) == after, "redo repeats the script's edit");
}

#[test]
fn a_failing_script_changes_nothing_and_names_its_line() {
    let mut a = start();
    let original = bytes(&a);
    select(&mut a);
    press(&mut a, &["shift+F2"]);
    type_text(&mut a, "broken");
    press(&mut a, &["enter"]);
    let shown = screen(&mut a, 200, 50).join("\n");
    assert!(shown.contains("broken.rhai:2:"), "{shown}");
    assert!(bytes(&a) == original);
    assert_eq!(a.ctx.doc.history.undo_len(), 0);
    press(&mut a, &["shift+F2"]);
    type_text(&mut a, "nope");
    press(&mut a, &["enter"]);
    let shown = screen(&mut a, 200, 50).join("\n");
    assert!(shown.contains("no script `nope`"), "{shown}");
}

#[test]
fn shipped_scripts_are_in_the_menu_and_run_on_the_whole_pattern() {
    let mut a = start();
    // No selection: the whole pattern. acid writes M1 (the first MIDI track).
    press(&mut a, &["shift+F2"]);
    type_text(&mut a, "acid");
    press(&mut a, &["enter"]);
    let shown = screen(&mut a, 200, 50).join("\n");
    assert!(shown.contains("script acid:"), "{shown}");
    let pat = a.ctx.doc.bank(0).unwrap().pattern(0).unwrap();
    let trigs = (0..64)
        .filter(|&s| pat.midi[0].step_kind(s) == StepKind::Trig)
        .count();
    assert!(trigs > 20 && trigs < 64, "{trigs} acid trigs over 64 steps");
    for t in 1..8 {
        assert!((0..64).all(|s| pat.midi[t].step_kind(s) == StepKind::Empty));
    }
    assert_eq!(a.ctx.doc.history.undo_len(), 1);
    // humanize moves the acid trigs (and sets their velocity) and nothing else.
    let trig_steps: Vec<usize> = (0..64)
        .filter(|&s| pat.midi[0].step_kind(s) == StepKind::Trig)
        .collect();
    press(&mut a, &["shift+F2"]);
    type_text(&mut a, "humanize");
    press(&mut a, &["enter"]);
    let shown = screen(&mut a, 200, 50).join("\n");
    assert!(shown.contains("script humanize:"), "{shown}");
    assert_eq!(a.ctx.doc.history.undo_len(), 2);
    let pat = a.ctx.doc.bank(0).unwrap().pattern(0).unwrap();
    let moved = trig_steps
        .iter()
        .filter(|&&s| pat.midi[0].micro_timing(s).0 != 0)
        .count();
    assert!(moved > 0, "some trigs moved");
    for &s in &trig_steps {
        let m = pat.midi[0].micro_timing(s).0;
        assert!((-4..=4).contains(&m), "step {}: {m}", s + 1);
        let v = pat.midi[0]
            .plock(s, octa::format::bank::midi_slot::VEL)
            .unwrap();
        assert!((90..=120).contains(&v), "step {}: velocity {v}", s + 1);
    }
    assert!(
        (0..64)
            .filter(|s| !trig_steps.contains(s))
            .all(|s| pat.midi[0].micro_timing(s).0 == 0)
    );
}
