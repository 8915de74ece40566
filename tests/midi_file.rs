#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa midi export` and `octa midi import` through the binary, files read back with midly.
//!
//! Facts used (not taken from octa's code): a step is a 1/16 note (a quarter of a quarter
//! note) at scale 1x; micro-timing is in 1/384-note units (1/24 step, 1/96 quarter note); an
//! audio trig without a PTCH lock is note 84 (C6) on the track's MIDI trig channel, a PTCH lock
//! of 64+n plays note 84+n; `blank-1.40B/project.work` says `TEMPOx24=2880` (120 BPM) and
//! `MIDI_TRIG_CH1..8=0..7`; hello-flex plays at 124 BPM on trig channels 0..7.

mod common;

use midly::num::{u4, u7, u15, u24, u28};
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};
use octa::format::bank::{Bank, StepKind, midi_slot};
use octa::format::{MicroTiming, TrigCondition};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn octa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_octa"));
    c.env("OCTA_CONFIG_DIR", "/nonexistent-octa-config");
    c
}

fn copy(rel: &str, tmp: &Path, name: &str) -> Option<PathBuf> {
    let src = octa::testutil::corpus(rel)?;
    let dir = tmp.join(name);
    common::copy_dir(&src, &dir);
    Some(dir)
}

fn run(args: &[&str]) -> Output {
    octa().args(args).output().unwrap()
}

fn ok(o: &Output) -> String {
    let s = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{s}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    s
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A note on read back: chunk, absolute tick, channel, key, velocity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct On {
    chunk: usize,
    tick: u64,
    channel: u8,
    key: u8,
    vel: u8,
}

struct ReadBack {
    ppq: u64,
    format: Format,
    names: Vec<String>,
    /// (tick, microseconds per quarter) of the tempo track.
    tempos: Vec<(u64, u32)>,
    ons: Vec<On>,
    /// Every channel message: (chunk, tick, bytes).
    all: Vec<(usize, u64, Vec<u8>)>,
}

fn read_back(path: &Path) -> ReadBack {
    let bytes = std::fs::read(path).unwrap();
    let smf = Smf::parse(&bytes).unwrap();
    let Timing::Metrical(ppq) = smf.header.timing else {
        panic!("timing {:?}", smf.header.timing)
    };
    let mut rb = ReadBack {
        ppq: ppq.as_int() as u64,
        format: smf.header.format,
        names: Vec::new(),
        tempos: Vec::new(),
        ons: Vec::new(),
        all: Vec::new(),
    };
    for (chunk, tr) in smf.tracks.iter().enumerate() {
        let mut tick = 0u64;
        let mut name = String::new();
        for ev in tr {
            tick += ev.delta.as_int() as u64;
            match ev.kind {
                TrackEventKind::Meta(MetaMessage::TrackName(n)) => {
                    name = String::from_utf8_lossy(n).into_owned()
                }
                TrackEventKind::Meta(MetaMessage::Tempo(t)) => rb.tempos.push((tick, t.as_int())),
                TrackEventKind::Midi { channel, message } => {
                    let mut b = Vec::new();
                    midly::live::LiveEvent::Midi { channel, message }
                        .write_std(&mut b)
                        .unwrap();
                    rb.all.push((chunk, tick, b));
                    if let MidiMessage::NoteOn { key, vel } = message
                        && vel > 0
                    {
                        rb.ons.push(On {
                            chunk,
                            tick,
                            channel: channel.as_int(),
                            key: key.as_int(),
                            vel: vel.as_int(),
                        });
                    }
                }
                _ => {}
            }
        }
        rb.names.push(name);
    }
    rb.ons.sort();
    rb
}

impl ReadBack {
    fn ons_of(&self, chunk: usize) -> Vec<(u64, u8)> {
        self.ons
            .iter()
            .filter(|o| o.chunk == chunk)
            .map(|o| (o.tick, o.key))
            .collect()
    }

    /// Seconds of a tick under the file's tempo map (120 BPM before the first tempo event).
    fn secs(&self, tick: u64) -> f64 {
        let (mut at, mut us, mut secs) = (0u64, 500_000u32, 0.0f64);
        for &(t, u) in &self.tempos {
            if t > tick {
                break;
            }
            secs += (t - at) as f64 * us as f64 / 1e6 / self.ppq as f64;
            (at, us) = (t, u);
        }
        secs + (tick - at) as f64 * us as f64 / 1e6 / self.ppq as f64
    }
}

/// Builds bank A pattern 1 of a blank project: T1 trigs on steps 1, 5 (+6/24), 9 (PTCH +2)
/// and 13 (FILL: does not play without fill); M1 a C major chord on step 3 (-3/24, VEL 90).
fn build_pattern(dir: &Path) {
    let mut p = octa::project::Project::open(dir, &Default::default()).unwrap();
    let pat = &mut p.bank_mut(0).patterns[0];
    let t1 = &mut pat.audio[0];
    for s in [0, 4, 8, 12] {
        t1.set_step_kind(s, StepKind::Trig).unwrap();
    }
    t1.set_micro_timing(4, MicroTiming(6)).unwrap();
    t1.set_plock(8, 0, Some(66)).unwrap();
    // AMP VOL (lock slot 15) locked to 100: AMP params 1-6 are CCs 22-27, VOL is the 4th.
    t1.set_plock(8, 15, Some(100)).unwrap();
    t1.set_condition(12, TrigCondition::Fill).unwrap();
    let m1 = &mut pat.midi[0];
    m1.set_step_kind(2, StepKind::Trig).unwrap();
    m1.set_notes(2, &[60, 64, 67]).unwrap();
    m1.set_micro_timing(2, MicroTiming(-3)).unwrap();
    m1.set_plock(2, midi_slot::VEL, Some(90)).unwrap();
    p.save(false).unwrap();
}

#[test]
fn export_of_a_built_pattern_puts_notes_on_step_times() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = copy("ot/blank-1.40B", tmp.path(), "BLANK") else {
        return;
    };
    build_pattern(&dir);
    let out = tmp.path().join("a01.mid");
    let text = ok(&run(&[
        "midi",
        "export",
        s(&dir),
        "--bank",
        "A",
        "--pattern",
        "1",
        "-o",
        s(&out),
    ]));
    assert!(text.contains("T1: 3 note(s)"), "{text}");
    // An output folder that does not exist: exit 1 naming the file, nothing written.
    let bad = tmp.path().join("no/such/a01.mid");
    let o = run(&["midi", "export", s(&dir), "-o", s(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(s(&bad)));
    assert!(!tmp.path().join("no").exists());
    let rb = read_back(&out);
    assert_eq!(rb.format, Format::Parallel);
    assert_eq!(
        rb.names,
        [
            "octa: A01 x1",
            "T1",
            "T2",
            "T3",
            "T4",
            "T5",
            "T6",
            "T7",
            "T8",
            "M1",
            "M2",
            "M3",
            "M4",
            "M5",
            "M6",
            "M7",
            "M8"
        ]
    );
    // 120 BPM = 500000 us per quarter.
    assert_eq!(rb.tempos, [(0, 500_000)]);
    let step = rb.ppq / 4;
    let unit = rb.ppq / 96;
    assert_eq!(step * 4, rb.ppq);
    assert_eq!(unit * 96, rb.ppq);
    // T1 on trig channel 1 (0): steps 1, 5 + 6 units, 9 with PTCH +2; the FILL step is silent.
    assert_eq!(
        rb.ons_of(1),
        [(0, 84), (4 * step + 6 * unit, 84), (8 * step, 86)]
    );
    assert!(
        rb.ons
            .iter()
            .filter(|o| o.chunk == 1)
            .all(|o| o.channel == 0)
    );
    // M1: the chord on step 3, 3 units early, velocity 90.
    let m1: Vec<&On> = rb.ons.iter().filter(|o| o.chunk == 9).collect();
    assert_eq!(
        m1.iter()
            .map(|o| (o.tick, o.key, o.vel))
            .collect::<Vec<_>>(),
        [
            (2 * step - 3 * unit, 60, 90),
            (2 * step - 3 * unit, 64, 90),
            (2 * step - 3 * unit, 67, 90)
        ]
    );
    // Nothing on the other tracks.
    assert!(
        rb.ons.iter().all(|o| o.chunk == 1 || o.chunk == 9),
        "{:?}",
        rb.ons
    );
    // The VOL lock goes out as CC 25 = 100 on T1's channel on step 9, before its note; the
    // PTCH lock within +-12 is the note itself, no CC.
    let t1: Vec<&(usize, u64, Vec<u8>)> = rb.all.iter().filter(|e| e.0 == 1).collect();
    let vol = t1
        .iter()
        .position(|(_, t, b)| *t == 8 * step && b[..] == [0xB0, 25, 100])
        .expect("VOL lock CC");
    assert_eq!(t1[vol + 1].2, [0x90, 86, 100]);
    assert!(!t1.iter().any(|(_, _, b)| b[..2] == [0xB0, 16]), "{t1:?}");
}

/// Exported events equal what MIDI playback sends: the same messages per track, at the same
/// times (within one tick), on hello-flex A01 for two passes with a seed.
#[test]
fn export_equals_playback_and_step_times_on_a_corpus_project() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = copy("ot/hello-flex/project", tmp.path(), "HELLO") else {
        return;
    };
    let out = tmp.path().join("hello.mid");
    ok(&run(&[
        "midi",
        "export",
        s(&dir),
        "--pattern",
        "1",
        "--loops",
        "2",
        "--seed",
        "7",
        "-o",
        s(&out),
    ]));
    let rb = read_back(&out);
    // 124 BPM.
    assert_eq!(rb.tempos, [(0, (60e6f64 / 124.0).round() as u32)]);
    assert_equals_playback(&dir, vec![1], 2, 7, &rb);
    // Step times from the bank's own bytes: every unconditional trig of an audio track plays
    // note-on at step * 1/16 note + micro-timing (1x scale, no swing in this pattern's
    // steps), on its trig channel, in both passes.
    let bank = Bank::from_bytes(&std::fs::read(dir.join("bank01.work")).unwrap())
        .unwrap()
        .0;
    let p = &bank.patterns[0];
    assert_eq!(p.master_scale, 2, "1x");
    let len = p.master_length as u64;
    let step = rb.ppq / 4;
    let unit = rb.ppq / 96;
    let mut checked = 0;
    for (t, tr) in p.audio.iter().enumerate() {
        for s in 0..len as usize {
            if !tr.trigs.get(s) || tr.condition(s) != TrigCondition::None {
                continue;
            }
            let swing = tr.swing.get(s) && tr.settings.swing_amount > 0;
            assert!(!swing, "T{} step {} swings", t + 1, s + 1);
            for pass in 0..2 {
                let mt = tr.micro_timing(s).0 as i64;
                let at = (pass * len + s as u64) as i64 * step as i64 + mt * unit as i64;
                let at = at.max(0) as u64;
                assert!(
                    rb.ons
                        .iter()
                        .any(|o| o.chunk == t + 1 && o.tick == at && o.channel == t as u8),
                    "T{} step {} pass {pass}: no note at {at}: {:?}",
                    t + 1,
                    s + 1,
                    rb.ons_of(t + 1)
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "{checked}");
}

/// The file holds what MIDI playback sends for these patterns of bank A: the same messages
/// per track, at the same times (within one tick) under the file's tempo map.
fn assert_equals_playback(dir: &Path, patterns: Vec<usize>, loops: u32, seed: u64, rb: &ReadBack) {
    let play = octa::cli::midi::PlayArgs {
        path: dir.to_path_buf(),
        bank: "A".into(),
        pattern: patterns,
        arrangement: None,
        loops,
        tempo: None,
        clock: false,
    };
    let (items, setup, _) = octa::cli::midi::load_play(&play).unwrap();
    let mut seq = octa::midi::Sequencer::new(items, setup, seed);
    let played = seq.collect_until(f64::INFINITY);
    assert!(played.len() > 4, "{}", played.len());
    // The longest tick: at the slowest tempo of the file.
    let slowest = rb.tempos.iter().map(|t| t.1).max().unwrap();
    let tick_secs = slowest as f64 / 1e6 / rb.ppq as f64;
    for t in 0..16 {
        let want: Vec<(f64, Vec<u8>)> = played
            .iter()
            .filter(|m| m.track as usize == t)
            .map(|m| (m.at.max(0.0), m.msg.as_bytes().to_vec()))
            .collect();
        let got: Vec<(f64, Vec<u8>)> = rb
            .all
            .iter()
            .filter(|(c, _, _)| *c == t + 1)
            .map(|(_, tick, b)| (rb.secs(*tick), b.clone()))
            .collect();
        assert_eq!(got.len(), want.len(), "track {t}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.1, w.1, "track {t}");
            assert!((g.0 - w.0).abs() <= tick_secs, "track {t}: {g:?} {w:?}");
        }
    }
}

/// With pattern tempo on, a chain of A01 (120 BPM) and A02 (150 BPM) has a tempo change where
/// A02 starts (16 steps in), and A02's notes are on its own step times after it.
#[test]
fn export_of_a_chain_has_a_tempo_map() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = copy("ot/blank-1.40B", tmp.path(), "BLANK") else {
        return;
    };
    build_pattern(&dir);
    let pw = dir.join("project.work");
    let text = std::fs::read_to_string(&pw).unwrap();
    assert!(text.contains("PATTERN_TEMPO_ENABLED=0\r\n"));
    std::fs::write(
        &pw,
        text.replace("PATTERN_TEMPO_ENABLED=0", "PATTERN_TEMPO_ENABLED=1"),
    )
    .unwrap();
    {
        let mut p = octa::project::Project::open(&dir, &Default::default()).unwrap();
        let bank = p.bank_mut(0);
        bank.patterns[0].set_tempo_bpm(120.0).unwrap();
        let a02 = &mut bank.patterns[1];
        a02.set_tempo_bpm(150.0).unwrap();
        a02.audio[0].set_step_kind(0, StepKind::Trig).unwrap();
        a02.audio[0].set_step_kind(6, StepKind::Trig).unwrap();
        a02.audio[0].set_micro_timing(6, MicroTiming(-12)).unwrap();
        p.save(false).unwrap();
    }
    let out = tmp.path().join("chain.mid");
    let text = ok(&run(&[
        "midi",
        "export",
        s(&dir),
        "--chain",
        "1,2",
        "-o",
        s(&out),
    ]));
    // 16 steps at 120 BPM (2 s) + 16 steps at 150 BPM (1.6 s).
    assert!(text.contains("3.60 s at 120.00/150.00 BPM"), "{text}");
    let rb = read_back(&out);
    let step = rb.ppq / 4;
    let unit = rb.ppq / 96;
    assert_eq!(rb.tempos, [(0, 500_000), (16 * step, 400_000)]);
    assert_eq!(
        rb.ons_of(1),
        [
            (0, 84),
            (4 * step + 6 * unit, 84),
            (8 * step, 86),
            (16 * step, 84),
            (22 * step - 12 * unit, 84)
        ]
    );
    assert!((rb.secs(16 * step) - 2.0).abs() < 1e-9);
    assert_equals_playback(&dir, vec![1, 2], 1, 0, &rb);
}

fn ev(delta: u32, kind: TrackEventKind<'static>) -> TrackEvent<'static> {
    TrackEvent {
        delta: u28::new(delta),
        kind,
    }
}

fn note(on: bool, ch: u8, key: u8, vel: u8) -> TrackEventKind<'static> {
    let (key, vel) = (u7::new(key), u7::new(vel));
    TrackEventKind::Midi {
        channel: u4::new(ch),
        message: if on {
            MidiMessage::NoteOn { key, vel }
        } else {
            MidiMessage::NoteOff { key, vel }
        },
    }
}

/// A track chunk from (tick, channel, key, velocity) notes, each held 12 ticks.
fn chunk(name: &'static str, notes: &[(u64, u8, u8, u8)]) -> Vec<TrackEvent<'static>> {
    let mut evs: Vec<(u64, TrackEventKind<'static>)> = Vec::new();
    for &(t, ch, k, v) in notes {
        evs.push((t, note(true, ch, k, v)));
        evs.push((t + 12, note(false, ch, k, 0)));
    }
    evs.sort_by_key(|e| e.0);
    let mut out = vec![ev(
        0,
        TrackEventKind::Meta(MetaMessage::TrackName(name.as_bytes())),
    )];
    let mut last = 0;
    for (t, k) in evs {
        out.push(ev((t - last) as u32, k));
        last = t;
    }
    out.push(ev(0, TrackEventKind::Meta(MetaMessage::EndOfTrack)));
    out
}

fn write_smf(path: &Path, ppq: u16, tracks: Vec<Vec<TrackEvent<'static>>>) {
    let mut tempo = vec![ev(
        0,
        TrackEventKind::Meta(MetaMessage::Tempo(u24::new(600_000))),
    )];
    tempo.push(ev(0, TrackEventKind::Meta(MetaMessage::EndOfTrack)));
    let mut all = vec![tempo];
    all.extend(tracks);
    let smf = Smf {
        header: Header::new(Format::Parallel, Timing::Metrical(u15::new(ppq))),
        tracks: all,
    };
    let mut b = Vec::new();
    smf.write_std(&mut b).unwrap();
    std::fs::write(path, b).unwrap();
}

/// At 96 ticks per quarter a step (1/16 note) is 24 ticks and a micro-timing unit 1 tick;
/// every note is held half a step (12 ticks).
fn hand_built(path: &Path) {
    write_smf(
        path,
        96,
        vec![
            // Channel 2 -> M1: a five-note chord on step 3 (the fifth is dropped), 50 three
            // units before step 7, 62 after the 16 steps (dropped).
            chunk(
                "keys",
                &[
                    (48, 1, 60, 100),
                    (48, 1, 64, 90),
                    (48, 1, 67, 80),
                    (48, 1, 71, 70),
                    (48, 1, 74, 60),
                    (6 * 24 - 3, 1, 50, 77),
                    (16 * 24 + 2, 1, 62, 100),
                ],
            ),
            // Channel 10 -> T2: 84 on step 1, 86 a quarter step after step 5, 72 and 96 together
            // on step 9 (96 dropped: one trig per step), 60 on step 13 (no chromatic note).
            chunk(
                "drums",
                &[
                    (0, 9, 84, 100),
                    (4 * 24 + 6, 9, 86, 100),
                    (8 * 24, 9, 72, 100),
                    (8 * 24, 9, 96, 100),
                    (12 * 24, 9, 60, 100),
                ],
            ),
            // Channel 5: not mapped.
            chunk("other", &[(0, 4, 70, 100)]),
        ],
    );
}

#[test]
fn import_of_a_hand_built_file_puts_notes_on_steps_and_export_keeps_them() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = copy("ot/blank-1.40B", tmp.path(), "BLANK") else {
        return;
    };
    let mid = tmp.path().join("in.mid");
    hand_built(&mid);
    let before = common::tree_bytes(&dir);
    let args = [
        "midi",
        "import",
        s(&mid),
        s(&dir),
        "--bank",
        "B",
        "--pattern",
        "2",
        "--map",
        "2:M1,10:T2",
    ];
    // A dry run prints the plan and writes nothing.
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let plan = ok(&run(&dry));
    assert_eq!(common::tree_bytes(&dir), before, "the dry run wrote");
    for want in [
        "T2: 4 note(s) on 4 step(s) of 16: 1 5 9 13; 1 at the sample's pitch",
        "dropped 1: a second note on an audio step",
        "M1: 5 note(s) on 2 step(s) of 16: 3 7",
        "dropped 1: more than 4 notes on a step",
        "dropped 1: after the track's last step (16)",
        "dropped 1: channel 5 is not in --map",
        "dry run: nothing written",
    ] {
        assert!(plan.contains(want), "{want:?} not in\n{plan}");
    }
    let text = ok(&run(&args));
    assert!(text.contains("wrote 9 note(s) into B02"), "{text}");
    // Decode the bank bytes.
    let bank = Bank::from_bytes(&std::fs::read(dir.join("bank02.work")).unwrap())
        .unwrap()
        .0;
    let p = &bank.patterns[1];
    let t2 = &p.audio[1];
    let trigs: Vec<usize> = (0..64).filter(|&s| t2.trigs.get(s)).collect();
    assert_eq!(trigs, [0, 4, 8, 12]);
    // PTCH = 64 + semitones from C6 (84).
    assert_eq!(
        [0, 4, 8, 12].map(|s| t2.plock(s, 0)),
        [Some(64), Some(66), Some(52), None]
    );
    assert_eq!(
        [0, 4, 8, 12].map(|s| t2.micro_timing(s)),
        [0, 6, 0, 0].map(MicroTiming)
    );
    let m1 = &p.midi[0];
    let trigs: Vec<usize> = (0..64).filter(|&s| m1.trigs.get(s)).collect();
    assert_eq!(trigs, [2, 6]);
    let page = [48, 100, 6, 64, 64, 64];
    assert_eq!(m1.notes(2, page).notes, [60, 64, 67, 71]);
    assert_eq!(m1.plock(2, midi_slot::VEL), Some(100));
    assert_eq!(m1.notes(6, page).notes, [50]);
    assert_eq!(m1.plock(6, midi_slot::VEL), Some(77));
    assert_eq!(m1.micro_timing(6), MicroTiming(-3));
    // Half a step long: LEN 3 (playback's 6 per step; the part's LEN is 6).
    assert_eq!(m1.plock(2, midi_slot::LEN), Some(3));
    assert_eq!(m1.plock(6, midi_slot::LEN), Some(3));
    // Nothing else of the project changed but bank02 (and the save's backups).
    let after = common::tree_bytes(&dir);
    for (k, v) in &before {
        if k != "bank02.work" {
            assert_eq!(after.get(k), Some(v), "{k}");
        }
    }
    let other: Vec<usize> = (0..16).filter(|&i| i != 1).collect();
    let blank = Bank::from_bytes(&before["bank02.work"]).unwrap().0;
    for i in other {
        assert!(bank.patterns[i] == blank.patterns[i], "pattern {}", i + 1);
    }

    // Export B02: the notes come back at the same places (the file's 96 ppq scaled).
    let out = tmp.path().join("b02.mid");
    ok(&run(&[
        "midi",
        "export",
        s(&dir),
        "--bank",
        "B",
        "--pattern",
        "2",
        "-o",
        s(&out),
    ]));
    let rb = read_back(&out);
    let k = rb.ppq / 96;
    // T2 (chunk 2, trig channel 2): the 60 had no chromatic meaning, so it plays C6 (84).
    assert_eq!(
        rb.ons_of(2),
        [(0, 84), (102 * k, 86), (192 * k, 72), (288 * k, 84)]
    );
    assert!(
        rb.ons
            .iter()
            .filter(|o| o.chunk == 2)
            .all(|o| o.channel == 1)
    );
    assert_eq!(
        rb.ons_of(9),
        [
            (48 * k, 60),
            (48 * k, 64),
            (48 * k, 67),
            (48 * k, 71),
            (141 * k, 50)
        ]
    );
}

/// Export of a corpus pattern, imported into an empty pattern of a blank project (tracks by
/// name), exported again: the same notes at the same ticks.
#[test]
fn export_import_export_keeps_the_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(hello) = copy("ot/hello-flex/project", tmp.path(), "HELLO") else {
        return;
    };
    let Some(blank) = copy("ot/blank-1.40B", tmp.path(), "BLANK") else {
        return;
    };
    let first = tmp.path().join("first.mid");
    ok(&run(&[
        "midi",
        "export",
        s(&hello),
        "--seed",
        "3",
        "-o",
        s(&first),
    ]));
    let plan = ok(&run(&["midi", "import", s(&first), s(&blank)]));
    assert!(!plan.contains("dropped"), "{plan}");
    let second = tmp.path().join("second.mid");
    ok(&run(&["midi", "export", s(&blank), "-o", s(&second)]));
    let (a, b) = (read_back(&first), read_back(&second));
    assert_eq!(a.ppq, b.ppq);
    let notes = |r: &ReadBack| -> Vec<(usize, u64, u8)> {
        r.ons.iter().map(|o| (o.chunk, o.tick, o.key)).collect()
    };
    // hello-flex plays at 124 BPM, the blank project at 120: ticks (beats) are equal.
    assert!(a.ons.len() >= 20, "{}", a.ons.len());
    assert_eq!(notes(&a), notes(&b));
}

fn assert_refused(dir: &Path, file: &Path, expect: &[&str]) {
    let before = common::tree_bytes(dir);
    let o = run(&["midi", "import", s(file), s(dir), "--pattern", "1"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(s(file)), "{err}");
    for e in expect {
        assert!(err.contains(e), "{e:?} not in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(common::tree_bytes(dir), before, "{}", file.display());
}

#[test]
fn hostile_files_are_refused_with_exit_2_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = copy("ot/blank-1.40B", tmp.path(), "BLANK") else {
        return;
    };
    let good = tmp.path().join("good.mid");
    hand_built(&good);
    let bytes = std::fs::read(&good).unwrap();
    // Truncated in the middle of a track chunk.
    let cut = tmp.path().join("cut.mid");
    std::fs::write(&cut, &bytes[..bytes.len() - 20]).unwrap();
    assert_refused(&dir, &cut, &["truncated", "declares"]);
    // Type 2.
    let t2 = tmp.path().join("type2.mid");
    let mut b = bytes.clone();
    b[9] = 2;
    std::fs::write(&t2, &b).unwrap();
    assert_refused(&dir, &t2, &["type 2", "expected type 0 or 1"]);
    // SMPTE division: -25 fps, 40 ticks per frame.
    let smpte = tmp.path().join("smpte.mid");
    let mut b = bytes.clone();
    b[12] = 0xE7;
    b[13] = 40;
    std::fs::write(&smpte, &b).unwrap();
    assert_refused(&dir, &smpte, &["SMPTE", "25 frames/s", "ticks per quarter"]);
    // No notes: only a tempo track.
    let empty = tmp.path().join("empty.mid");
    write_smf(&empty, 96, vec![]);
    assert_refused(&dir, &empty, &["no notes"]);
    // Not a MIDI file at all, and an empty file.
    let junk = tmp.path().join("junk.mid");
    std::fs::write(&junk, b"RIFF\0\0\0\0WAVEfmt ").unwrap();
    assert_refused(&dir, &junk, &["MThd"]);
    let zero = tmp.path().join("zero.mid");
    std::fs::write(&zero, b"").unwrap();
    assert_refused(&dir, &zero, &["MThd"]);
    // The header promises more tracks than the file holds.
    let short = tmp.path().join("short.mid");
    let mut b = bytes.clone();
    b[11] = 9;
    std::fs::write(&short, &b).unwrap();
    assert_refused(&dir, &short, &["announces 9 track(s)"]);
    // A file that does not exist.
    let missing = tmp.path().join("missing.mid");
    assert_refused(&dir, &missing, &[]);
    // Notes only on channels no track of the pattern listens to.
    let off = tmp.path().join("off.mid");
    write_smf(&off, 96, vec![chunk("x", &[(0, 15, 60, 100)])]);
    let o = run(&["midi", "import", s(&off), s(&dir), "--map", "1:T1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing written"));
}

/// Bad arguments are usage errors (exit 2) naming the value; export writes no file.
#[test]
fn bad_arguments_exit_2_naming_the_value() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("P");
    let p = s(&p);
    let mid = tmp.path().join("x.mid");
    let m = s(&mid);
    let cases: &[(&[&str], &str)] = &[
        (&["midi", "import", m, p, "--map", "0:T1"], "0:T1"),
        (&["midi", "import", m, p, "--map", "3:X9"], "3:X9"),
        (&["midi", "import", m, p, "--map", "3"], "CHANNEL:TRACK"),
        (&["midi", "import", m, p, "--pattern", "17"], "17"),
        (&["midi", "export", p, "--chain", "0", "-o", m], "\"0\""),
        (&["midi", "export", p, "--loops", "0", "-o", m], "0"),
        (
            &[
                "midi",
                "export",
                p,
                "--chain",
                "1",
                "--arrangement",
                "1",
                "-o",
                m,
            ],
            "--arrangement",
        ),
        // No project there: the project.work it needs is named.
        (&["midi", "export", p, "-o", m], "project.work"),
    ];
    for (args, want) in cases {
        let o = run(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {want:?} not in {err}");
        assert!(!mid.exists(), "{args:?} wrote {m}");
    }
}
