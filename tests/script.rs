#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa script`: octapy's README quick start and its euclid demo ported to Rhai produce the
//! trigs, locks and conditions asked for (read back through the format module, not the script
//! layer), `octa check` is clean, errors name line and column, the sandbox stops runaway
//! scripts, and `--dry-run` writes nothing.

use octa::format::Bank;
use octa::format::bank::{StepKind, midi_slot};
use octa::format::types::{MicroTiming, TrigCondition};
use octa::testutil::corpus;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn octa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-script-test-data"),
        )
        .output()
        .expect("run octa")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn bank(dir: &Path, n: usize) -> Bank {
    let bytes = fs::read(dir.join(format!("bank{n:02}.work"))).unwrap();
    Bank::from_bytes(&bytes).unwrap().0
}

fn write_script(dir: &Path, name: &str, src: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, src).unwrap();
    path
}

fn steps_of(kinds: impl Fn(usize) -> StepKind, want: StepKind) -> Vec<usize> {
    (0..64)
        .filter(|&s| kinds(s) == want)
        .map(|s| s + 1)
        .collect()
}

fn check_clean(dir: &Path) {
    let o = octa(&["check", p(dir)]);
    let t = text(&o);
    assert!(o.status.success(), "octa check: {t}");
    assert!(t.contains("0 errors, 0 warnings"), "octa check: {t}");
}

/// Every file under `dir`, relative path -> bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn go(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let path = e.path();
            if path.is_dir() {
                go(root, &path, out);
            } else {
                out.push((
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    go(dir, dir, &mut out);
    out.sort();
    out
}

fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &dst.join(e.file_name()));
        } else {
            fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
}

/// octapy's README quick start (a bank, a pattern on part 1, four kicks), extended with what
/// its step API offers: a condition, a p-lock, micro-timing, probability, a trigless trig,
/// slide, swing, a sample lock, MIDI notes, a chord and the project tempo.
const QUICK_START: &str = r#"
project.settings.tempo = 124;
let bank = project.bank(1);
let pattern = bank.pattern(1);
pattern.part = 1;
let track = pattern.audio_track(1);
track.active_steps = [1, 5, 9, 13];
let step = track.step(5);
step.condition = "FILL";
step.lock("VOL", 20);
step.lock("FX1 BASE", 30);
step.micro_timing = 6;
track.steps[13].probability = 50;
track.steps[9].condition = "1:2";
track.steps[9].slide = true;
track.steps[1].swing = true;
track.steps[3].trigless = true;
track.step(3).lock("AMP VOL", "-10");
track.steps[7].sample_lock = 3;
let hats = pattern.audio_tracks[2];
hats.active_steps = [3, 7, 11, 15];
hats.steps[15].condition = "NOT PRE";
let m = pattern.midi_track(1);
m.active_steps = [1, 9];
m.steps[1].note = 60;
m.steps[1].velocity = 100;
let chord = m.step(9);
chord.notes = chord(48, "maj");
chord.length = "1/16";
"#;

#[test]
fn quick_start_writes_the_trigs_locks_and_conditions_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let script = write_script(tmp.path(), "quick.rhai", QUICK_START);
    let dir = tmp.path().join("QUICK");
    let o = octa(&["script", p(&script), p(&dir), "--new"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("project.work, bank01.work"), "{t}");

    let b = bank(&dir, 1);
    let pat = b.pattern(0).unwrap();
    assert_eq!(pat.part(), 0);
    let a = &pat.audio[0];
    assert_eq!(steps_of(|s| a.step_kind(s), StepKind::Trig), [1, 5, 9, 13]);
    assert_eq!(steps_of(|s| a.step_kind(s), StepKind::Trigless), [3]);
    // Step 7 got a lock without a trig: the device makes it a lock-only trig.
    assert_eq!(steps_of(|s| a.step_kind(s), StepKind::LockOnly), [7]);
    assert_eq!(a.condition(4), TrigCondition::Fill);
    assert_eq!(a.condition(8), TrigCondition::Loop { a: 1, b: 2 });
    assert_eq!(a.condition(12), TrigCondition::Probability(50));
    assert_eq!(a.condition(0), TrigCondition::None);
    assert_eq!(a.micro_timing(4), MicroTiming(6));
    // The lock record: AMP VOL is slot 15 (SRC 0-5, LFO 6-11, AMP ATK HOLD REL VOL ...),
    // bipolar: +20 is stored 84, -10 is 54. FX1 of a new part is a FILTER: BASE is slot 18.
    assert_eq!(a.plock(4, 15), Some(84));
    assert_eq!(a.plock(2, 15), Some(54));
    assert_eq!(a.plock(4, 18), Some(30));
    // Slots are shown 1-based and stored 0-based; slot 31 is the sample lock.
    assert_eq!(a.plock(6, 31), Some(2));
    assert_eq!((0..32).filter(|&i| a.plock(0, i).is_some()).count(), 0);
    assert!(a.slide.get(8) && !a.slide.get(4));
    assert!(a.swing.get(0) && !a.swing.get(4));
    let h = &pat.audio[1];
    assert_eq!(steps_of(|s| h.step_kind(s), StepKind::Trig), [3, 7, 11, 15]);
    assert_eq!(h.condition(14), TrigCondition::NotPre);
    let m = &pat.midi[0];
    assert_eq!(steps_of(|s| m.step_kind(s), StepKind::Trig), [1, 9]);
    assert_eq!(m.plock(0, midi_slot::NOTE), Some(60));
    assert_eq!(m.plock(0, midi_slot::VEL), Some(100));
    // chord(48, "maj") (C major triad): root 48, then +4 and +7 stored around 64; the unused NOT4 is 64 (no note).
    assert_eq!(m.plock(8, midi_slot::NOTE), Some(48));
    assert_eq!(m.plock(8, midi_slot::NOT2), Some(68));
    assert_eq!(m.plock(8, midi_slot::NOT3), Some(71));
    assert_eq!(m.plock(8, midi_slot::NOT4), Some(64));
    assert!(m.plock(8, midi_slot::LEN).is_some());
    // Nothing else in the bank: the other patterns are the blank bank's.
    let blank = Bank::blank();
    for i in 1..16 {
        assert_eq!(b.pattern(i), blank.pattern(i));
    }
    let project = fs::read_to_string(dir.join("project.work")).unwrap();
    assert!(project.contains("TEMPOx24=2976"), "{project}");
    check_clean(&dir);
    // Through `octa dump` too.
    let o = octa(&["dump", p(&dir), "--bank", "A", "--pattern", "1"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("FILL") && t.contains("1:2") && t.contains("50%"),
        "{t}"
    );
    assert!(t.contains("124.0 BPM"), "{t}");
}

/// octapy's euclid demo, ported: euclidean rhythms on four tracks of every pattern of two
/// banks, each pattern adding one hit, the last hit of each track on a 1:2 condition.
const EUCLID: &str = r#"
let ks = [4, 5, 7, 3];
for b in 1..=2 {
    for p in 1..=4 {
        let pattern = project.bank(b).pattern(p);
        for t in 1..=4 {
            let track = pattern.audio_track(t);
            let steps = euclid(ks[t - 1] + p - 1, 16, if t == 4 { 2 } else { 0 });
            track.active_steps = steps;
            track.steps[steps[steps.len() - 1]].condition = "1:2";
        }
    }
}
"#;

#[test]
fn euclid_demo_writes_euclidean_rhythms_across_banks() {
    let tmp = tempfile::tempdir().unwrap();
    let script = write_script(tmp.path(), "euclid.rhai", EUCLID);
    let dir = tmp.path().join("EUCLID");
    let o = octa(&["script", p(&script), p(&dir), "--new"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    // Toussaint's table: E(4,16) four on the floor, E(5,16) bossa nova, E(7,16) samba,
    // E(3,16) x....x....x....., the last rotated 2 steps later.
    let expected_p1: [&[usize]; 4] = [
        &[1, 5, 9, 13],
        &[1, 4, 7, 10, 13],
        &[1, 4, 6, 8, 11, 13, 15],
        &[3, 8, 13],
    ];
    let mut total = 0;
    for bn in 1..=2 {
        let b = bank(&dir, bn);
        for pi in 0..4 {
            let pat = b.pattern(pi).unwrap();
            for (ti, track) in pat.audio.iter().enumerate().take(4) {
                let trigs = steps_of(|s| track.step_kind(s), StepKind::Trig);
                if pi == 0 {
                    assert_eq!(
                        trigs,
                        expected_p1[ti],
                        "bank {bn} pattern 1 track {}",
                        ti + 1
                    );
                }
                assert_eq!(trigs.len(), [4, 5, 7, 3][ti] + pi);
                let last = *trigs.last().unwrap() - 1;
                assert_eq!(track.condition(last), TrigCondition::Loop { a: 1, b: 2 });
                total += trigs.len();
            }
            assert!(pat.audio[4..].iter().all(|t| t.trigs.0 == 0));
        }
        assert!(b.pattern(4).unwrap().audio.iter().all(|t| t.trigs.0 == 0));
    }
    assert!(t.contains(&format!("({total} steps)")), "{t}");
    check_clean(&dir);
}

#[test]
fn errors_name_the_script_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("P");
    let o = octa(&["new", p(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
    let before = files(&dir);

    let bad = write_script(
        tmp.path(),
        "bad.rhai",
        "let b = project.bank(1);\nlet t = b.pattern(1).audio_track(1);\n  t.steps[3].condition = \"SOMETIMES\";\n",
    );
    let o = octa(&["script", p(&bad), p(&dir)]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("bad.rhai:3:"), "{t}");
    assert!(t.contains("SOMETIMES"), "{t}");
    let range = write_script(tmp.path(), "range.rhai", "\n\nlet b = project.bank(17);\n");
    let t = text(&octa(&["script", p(&range), p(&dir)]));
    // `project.bank(17)` runs as `project.bank[17]` (one-line assignments through chains):
    // the error points at the bracket around the number.
    assert!(
        t.contains("range.rhai:3:21: bank 17: expected 1..=16"),
        "{t}"
    );
    let syntax = write_script(tmp.path(), "syntax.rhai", "let a = 1;\nlet = 2;\n");
    let t = text(&octa(&["script", p(&syntax), p(&dir)]));
    assert!(t.contains("syntax.rhai:2:5:"), "{t}");
    let lock = write_script(
        tmp.path(),
        "lock.rhai",
        "project.bank(1).pattern(1).audio_track(1).step(1).lock(\"VOL\", 99);",
    );
    let t = text(&octa(&["script", p(&lock), p(&dir)]));
    assert!(t.contains("lock.rhai:1:") && t.contains("VOL"), "{t}");
    // A failed script changes nothing, even edits made before the error.
    let late = write_script(
        tmp.path(),
        "late.rhai",
        "let t = project.bank(1).pattern(1).audio_track(1);\nt.active_steps = [1];\nthrow \"give up\";\n",
    );
    let t = text(&octa(&["script", p(&late), p(&dir)]));
    assert!(t.contains("late.rhai:3:1: give up"), "{t}");
    assert_eq!(files(&dir), before);
}

#[test]
fn the_sandbox_stops_endless_loops_and_recursion() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("P");
    assert!(octa(&["new", p(&dir)]).status.success());
    let before = files(&dir);
    let spin = write_script(
        tmp.path(),
        "spin.rhai",
        "let t = project.bank(1).pattern(1).audio_track(1);\nlet i = 0;\nloop { i += 1; }\n",
    );
    let o = octa(&["script", p(&spin), p(&dir)]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("spin.rhai:3:") && t.contains("stopped"), "{t}");
    let deep = write_script(tmp.path(), "deep.rhai", "fn f(n) { f(n + 1) }\nf(0);\n");
    let o = octa(&["script", p(&deep), p(&dir)]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("deep.rhai:") && t.contains("stopped"), "{t}");
    assert_eq!(files(&dir), before);
}

#[test]
fn dry_run_writes_nothing_and_a_real_run_changes_only_the_bank() {
    let Some(src) = corpus("ot/blank-1.40B") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("PROJ");
    copy_dir(&src, &dir);
    let before = files(&dir);
    let script = write_script(
        tmp.path(),
        "s.rhai",
        "print(\"hello\");\nlet t = project.bank(3).pattern(2).audio_tracks[8];\nt.active_steps = euclid(3, 8);\n",
    );
    let o = octa(&["script", p(&script), p(&dir), "--dry-run"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("hello"), "{t}");
    assert!(t.contains("changed: bank03.work (3 steps)"), "{t}");
    assert!(t.contains("dry run: nothing written"), "{t}");
    assert_eq!(files(&dir), before);
    let new_dir = tmp.path().join("NEW");
    let o = octa(&["script", p(&script), p(&new_dir), "--new", "--dry-run"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!new_dir.exists());

    let o = octa(&["script", p(&script), p(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
    let after = files(&dir);
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(name, bytes)| {
            !name.starts_with(".octa-backup")
                && before.iter().find(|(n, _)| n == name).map(|(_, b)| b) != Some(bytes)
        })
        .map(|(n, _)| n)
        .collect();
    assert_eq!(changed, [&PathBuf::from("bank03.work")]);
    let b = bank(&dir, 3);
    let t8 = &b.pattern(1).unwrap().audio[7];
    assert_eq!(steps_of(|s| t8.step_kind(s), StepKind::Trig), [1, 4, 7]);
    check_clean(&dir);
}

#[test]
fn the_shipped_example_scripts_run() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scripts");
    let dir = tmp.path().join("EX");
    let euclid = root.join("euclid.rhai");
    let o = octa(&["script", p(&euclid), p(&dir), "--new"]);
    assert!(o.status.success(), "{}", text(&o));
    let b = bank(&dir, 1);
    let t3 = &b.pattern(0).unwrap().audio[2];
    assert_eq!(
        steps_of(|s| t3.step_kind(s), StepKind::Trig),
        [1, 4, 6, 8, 11, 13, 15]
    );
    // Humanize has no trigs to move on a blank M1: nothing changes, nothing is written.
    let before = files(&dir);
    let o = octa(&["script", p(&root.join("humanize.rhai")), p(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("changed: nothing (0 steps)"),
        "{}",
        text(&o)
    );
    assert_eq!(files(&dir), before);
}

#[test]
fn the_probability_ramps_script_ramps_each_tracks_trigs_to_100_percent() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scripts");
    let dir = tmp.path().join("RAMP");
    let o = octa(&["script", p(&root.join("euclid.rhai")), p(&dir), "--new"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = octa(&["script", p(&root.join("prob_ramps.rhai")), p(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
    let b = bank(&dir, 1);
    let pat = b.pattern(0).unwrap();
    // The device's percentages (format doc §9.4) and 100 for "no condition".
    let device = [
        1, 2, 4, 6, 9, 13, 19, 25, 33, 41, 50, 59, 67, 75, 81, 87, 91, 94, 96, 98, 99,
    ];
    for t in 0..4 {
        let tr = &pat.audio[t];
        let trigs = steps_of(|s| tr.step_kind(s), StepKind::Trig);
        assert!(trigs.len() >= 3, "T{} has the euclid trigs", t + 1);
        let pcts: Vec<u8> = trigs
            .iter()
            .map(|&s| match tr.condition(s - 1) {
                TrigCondition::Probability(p) => {
                    assert!(device.contains(&p), "T{} step {s}: {p}%", t + 1);
                    p
                }
                TrigCondition::None => 100,
                c => panic!("T{} step {s}: {c:?}", t + 1),
            })
            .collect();
        let rising = pcts.windows(2).all(|w| w[0] <= w[1]);
        let falling = pcts.windows(2).all(|w| w[0] >= w[1]);
        assert!(rising || falling, "T{}: {pcts:?} is a ramp", t + 1);
        let end = if rising {
            pcts[pcts.len() - 1]
        } else {
            pcts[0]
        };
        assert_eq!(end, 100, "T{}: {pcts:?} ends at 100%", t + 1);
        let start = if rising {
            pcts[0]
        } else {
            pcts[pcts.len() - 1]
        };
        assert!(
            (13..=50).contains(&start),
            "T{}: {pcts:?} starts low",
            t + 1
        );
        // Steps without a trig keep no condition.
        assert!(
            (0..64).all(
                |s| tr.step_kind(s) == StepKind::Trig || tr.condition(s) == TrigCondition::None
            )
        );
    }
    check_clean(&dir);
}

#[test]
fn the_acid_script_writes_a_minor_scale_line_on_m1() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scripts");
    let dir = tmp.path().join("ACID");
    let o = octa(&["script", p(&root.join("acid.rhai")), p(&dir), "--new"]);
    assert!(o.status.success(), "{}", text(&o));
    let b = bank(&dir, 1);
    let m1 = &b.pattern(0).unwrap().midi[0];
    // C minor from MIDI 36 (C, D, Eb, F, G, Ab, Bb) and the octave above.
    let minor: Vec<u8> = [0u8, 2, 3, 5, 7, 8, 10]
        .iter()
        .flat_map(|i| [36 + i, 48 + i])
        .collect();
    let trigs = steps_of(|s| m1.step_kind(s), StepKind::Trig);
    assert!(
        (6..=15).contains(&trigs.len()),
        "{trigs:?}: most of 16 steps play, some rest"
    );
    assert!(
        trigs.iter().all(|&s| s <= 16),
        "{trigs:?} within steps 1-16"
    );
    let mut accents = 0;
    for &s in &trigs {
        let note = m1.plock(s - 1, midi_slot::NOTE).unwrap();
        assert!(minor.contains(&note), "step {s}: note {note}");
        let vel = m1.plock(s - 1, midi_slot::VEL).unwrap();
        assert!(vel == 90 || vel == 127, "step {s}: velocity {vel}");
        accents += (vel == 127) as usize;
        assert!(m1.plock(s - 1, midi_slot::LEN).is_some(), "step {s}: LEN");
    }
    assert!(accents > 0 && accents < trigs.len(), "some accents");
    // The other MIDI tracks and steps 17-64 are untouched.
    assert!((16..64).all(|s| m1.step_kind(s) == StepKind::Empty));
    check_clean(&dir);
}
