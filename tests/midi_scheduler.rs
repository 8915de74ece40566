#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Scheduler timing and condition semantics on a virtual clock (no wall clock involved).

use octa::format::{MicroTiming, Scale, StepWord, TrigCondition};
use octa::midi::model::{DeviceSetup, SeqPattern, SeqStep, TrackKind};
use octa::midi::render::{MsgRole, TimedMsg};
use octa::midi::scheduler::{PlayItem, RowOptions, Sequencer, swing_delay_steps};
use std::sync::Arc;

const EPS: f64 = 1e-9;

fn setup(bpm: f64) -> DeviceSetup {
    DeviceSetup {
        tempo: bpm,
        ..DeviceSetup::default()
    }
}

fn once(p: SeqPattern, passes: u32) -> Vec<PlayItem> {
    vec![PlayItem {
        pattern: Arc::new(p),
        passes: Some(passes),
        tempo: None,
        row: RowOptions::default(),
    }]
}

fn note_ons(msgs: &[TimedMsg], track: u8) -> Vec<f64> {
    msgs.iter()
        .filter(|m| m.track == track && m.role == MsgRole::NoteOn)
        .map(|m| m.at)
        .collect()
}

fn run(items: Vec<PlayItem>, bpm: f64, seed: u64) -> Vec<TimedMsg> {
    let mut s = Sequencer::new(items, setup(bpm), seed);
    let v = s.collect_until(1e6);
    assert!(s.is_finished());
    v
}

fn close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < EPS, "{a:?} vs {b:?}");
    }
}

#[test]
fn straight_grid_at_tempo() {
    let mut p = SeqPattern::empty("A01");
    for s in 0..16 {
        p.tracks[0].steps[s] = SeqStep::trig();
    }
    let msgs = run(once(p, 2), 120.0, 1);
    let want: Vec<f64> = (0..32).map(|k| k as f64 * 0.125).collect();
    close(&note_ons(&msgs, 0), &want);
    // Every note on has its note off one step later, on the trig channel (ch 1).
    let offs: Vec<f64> = msgs
        .iter()
        .filter(|m| m.role == MsgRole::NoteOff)
        .map(|m| m.at)
        .collect();
    close(
        &offs,
        &(1..33).map(|k| k as f64 * 0.125).collect::<Vec<_>>(),
    );
    assert!(msgs.iter().all(|m| m.msg.as_bytes()[0] & 0x0F == 0));
    // Output is sorted, note off before note on at the same instant.
    for w in msgs.windows(2) {
        assert!(w[0].at <= w[1].at + EPS);
    }
    assert_eq!(msgs[1].role, MsgRole::NoteOff);
    assert_eq!(msgs[2].role, MsgRole::NoteOn);
}

#[test]
fn swing_micro_timing_and_retrigs_against_the_ideal_grid() {
    let bpm = 150.0;
    let step = 60.0 / (bpm * 4.0);
    let mut p = SeqPattern::empty("A01");
    let t = &mut p.tracks[1];
    t.swing_amount = 30; // 80 %
    for s in 0..16 {
        t.steps[s] = SeqStep::trig();
        t.steps[s].swing = s % 2 == 1;
    }
    let mut w = StepWord::default();
    w.set_micro_timing(MicroTiming(12));
    t.steps[4].word = w;
    w.set_micro_timing(MicroTiming(-23));
    t.steps[8].word = w;
    let mut r = StepWord::default();
    r.set_repeats(4);
    t.steps[12].word = r;
    let msgs = run(once(p, 1), bpm, 1);
    let mut want = Vec::new();
    for s in 0..16usize {
        let mut at = s as f64 * step;
        if s % 2 == 1 {
            at += 0.6 * step;
        }
        match s {
            4 => at += 0.5 * step,
            8 => at -= 23.0 / 24.0 * step,
            _ => {}
        }
        if s == 12 {
            want.extend((0..4).map(|k| at + k as f64 * step / 4.0));
        } else {
            want.push(at);
        }
    }
    want.sort_by(f64::total_cmp);
    close(&note_ons(&msgs, 1), &want);
    assert!((swing_delay_steps(0)).abs() < EPS);
    assert!((swing_delay_steps(30) - 0.6).abs() < EPS);
    assert!((swing_delay_steps(99) - 0.6).abs() < EPS);
}

#[test]
fn per_track_length_and_scale() {
    let mut p = SeqPattern::empty("A01");
    p.per_track = true;
    p.length = Some(16);
    p.tracks[0].scale = Scale::X2;
    p.tracks[0].length = 16;
    p.tracks[0].steps[0] = SeqStep::trig();
    p.tracks[1].length = 3;
    p.tracks[1].steps[0] = SeqStep::trig();
    p.tracks[2].scale = Scale::X3_4;
    p.tracks[2].steps[0] = SeqStep::trig();
    p.tracks[2].steps[1] = SeqStep::trig();
    let msgs = run(once(p, 1), 120.0, 1);
    // 2x: a 16-step track loops twice per 16 master steps.
    close(&note_ons(&msgs, 0), &[0.0, 1.0]);
    // Length 3 at 1x: every 3 steps within 16.
    close(
        &note_ons(&msgs, 1),
        &(0..6).map(|k| k as f64 * 0.375).collect::<Vec<_>>(),
    );
    // 3/4x: steps last 4/3 of a 1x step.
    close(&note_ons(&msgs, 2), &[0.0, 0.125 * 4.0 / 3.0]);
}

fn cond_track(p: &mut SeqPattern, track: usize, step: usize, c: TrigCondition) {
    let mut s = SeqStep::trig();
    assert!(s.word.set_condition(c));
    p.tracks[track].steps[step] = s;
}

fn passes_played(msgs: &[TimedMsg], track: u8, pass_secs: f64) -> Vec<u64> {
    note_ons(msgs, track)
        .iter()
        .map(|t| (t / pass_secs + 1e-6).floor() as u64)
        .collect()
}

#[test]
fn conditions_in_playback_over_many_loops() {
    let mut p = SeqPattern::empty("A01");
    cond_track(&mut p, 0, 0, TrigCondition::Loop { a: 1, b: 3 });
    cond_track(&mut p, 0, 4, TrigCondition::Pre);
    cond_track(&mut p, 0, 8, TrigCondition::NotPre);
    cond_track(&mut p, 1, 2, TrigCondition::Nei);
    cond_track(&mut p, 1, 6, TrigCondition::NotNei);
    cond_track(&mut p, 2, 0, TrigCondition::First);
    cond_track(&mut p, 3, 0, TrigCondition::NotFirst);
    cond_track(&mut p, 4, 0, TrigCondition::Loop { a: 2, b: 4 });
    cond_track(&mut p, 5, 0, TrigCondition::Fill);
    cond_track(&mut p, 6, 0, TrigCondition::NotFill);
    let msgs = run(once(p, 12), 120.0, 1);
    let pass = 2.0;
    let all: Vec<u64> = (0..12).collect();
    let every3: Vec<u64> = all.iter().copied().filter(|l| l % 3 == 0).collect();
    let not3: Vec<u64> = all.iter().copied().filter(|l| l % 3 != 0).collect();
    // Track 1 plays step 1 on passes 1, 4, 7, 10 and step 5 (PRE) with it; NOT PRE otherwise.
    let ons = note_ons(&msgs, 0);
    let step_of = |t: f64| (((t % pass) / 0.125) + 1e-6).floor() as usize;
    let s0: Vec<u64> = ons
        .iter()
        .filter(|&&t| step_of(t) == 0)
        .map(|t| (t / pass) as u64)
        .collect();
    let s4: Vec<u64> = ons
        .iter()
        .filter(|&&t| step_of(t) == 4)
        .map(|t| (t / pass) as u64)
        .collect();
    let s8: Vec<u64> = ons
        .iter()
        .filter(|&&t| step_of(t) == 8)
        .map(|t| (t / pass) as u64)
        .collect();
    assert_eq!(s0, every3);
    assert_eq!(s4, every3);
    assert_eq!(s8, not3);
    // Track 2: NEI follows track 1's last stored result (the 1:3 trig), NOT NEI the opposite.
    let ons = note_ons(&msgs, 1);
    let n2: Vec<u64> = ons
        .iter()
        .filter(|&&t| step_of(t) == 2)
        .map(|t| (t / pass) as u64)
        .collect();
    let n6: Vec<u64> = ons
        .iter()
        .filter(|&&t| step_of(t) == 6)
        .map(|t| (t / pass) as u64)
        .collect();
    assert_eq!(n2, every3);
    assert_eq!(n6, not3);
    assert_eq!(passes_played(&msgs, 2, pass), vec![0]);
    assert_eq!(passes_played(&msgs, 3, pass), (1..12).collect::<Vec<_>>());
    assert_eq!(passes_played(&msgs, 4, pass), vec![1, 5, 9]);
    assert_eq!(passes_played(&msgs, 5, pass), Vec::<u64>::new());
    assert_eq!(passes_played(&msgs, 6, pass), all);
}

#[test]
fn fill_flag_and_seeded_probability_in_playback() {
    let mut p = SeqPattern::empty("A01");
    cond_track(&mut p, 0, 0, TrigCondition::Fill);
    for s in 0..16 {
        cond_track(&mut p, 1, s, TrigCondition::Probability(25));
    }
    let items = once(p, 100);
    let mut s = Sequencer::new(items.clone(), setup(120.0), 9);
    s.conditions.fill = true;
    let msgs = s.collect_until(1e6);
    assert_eq!(note_ons(&msgs, 0).len(), 100);
    let hits = note_ons(&msgs, 1).len() as f64;
    // 1600 draws at 25 %: mean 400, sd ~17.3; 5 sd bounds.
    assert!((hits - 400.0).abs() < 5.0 * 17.33, "{hits}");
    // Same seed, same result.
    let again = run(items.clone(), 120.0, 9);
    assert_eq!(note_ons(&again, 1).len() as f64, hits);
}

#[test]
fn chain_with_pattern_tempo_and_clock() {
    let mut a = SeqPattern::empty("A01");
    a.tempo = 120.0;
    a.tracks[0].steps[0] = SeqStep::trig();
    let mut b = SeqPattern::empty("A02");
    b.tempo = 60.0;
    b.length = Some(8);
    b.tracks[0].steps[0] = SeqStep::trig();
    b.tracks[0].steps[4] = SeqStep::trig();
    let items = vec![
        PlayItem {
            pattern: Arc::new(a),
            passes: Some(2),
            tempo: None,
            row: RowOptions::default(),
        },
        PlayItem {
            pattern: Arc::new(b),
            passes: Some(1),
            tempo: None,
            row: RowOptions::default(),
        },
    ];
    let st = DeviceSetup {
        pattern_tempo: true,
        ..setup(200.0)
    };
    let mut s = Sequencer::new(items, st, 1);
    s.send_clock = true;
    let msgs = s.collect_until(1e6);
    // A01 at 120: 2 s per pass; A02 at 60: 0.25 s per step.
    close(&note_ons(&msgs, 0), &[0.0, 2.0, 4.0, 5.0]);
    let clocks: Vec<f64> = msgs
        .iter()
        .filter(|m| m.msg.as_bytes() == [0xF8])
        .map(|m| m.at)
        .collect();
    // 24 PPQN: 6 per step; 32 steps of A01 + 8 of A02.
    assert_eq!(clocks.len(), 32 * 6 + 8 * 6);
    assert!((clocks[1] - 60.0 / (120.0 * 24.0)).abs() < EPS);
    assert!((clocks[193] - clocks[192] - 60.0 / (60.0 * 24.0)).abs() < EPS);
    assert_eq!(s.end_secs(), Some(6.0));
    assert_eq!(s.position_at(4.3).item, 1);
    assert_eq!(s.position_at(4.3).steps[0], 1);
}

#[test]
fn midi_track_chord_locks_and_program_once() {
    let mut p = SeqPattern::empty("A01");
    let m = &mut p.part.midi[0];
    m.channel = 4;
    m.program = 9;
    m.bank = 2;
    let mut st = SeqStep::trig();
    st.locks[0] = 60; // NOTE
    st.locks[1] = 90; // VEL
    st.locks[2] = 12; // LEN: 2 steps
    st.locks[3] = 64 + 4; // +4
    st.locks[4] = 64 + 7; // +7
    st.locks[20] = 33; // CC1 value (CC 7 by default)
    p.tracks[8].steps[0] = st;
    p.tracks[8].steps[8] = SeqStep::trig();
    assert_eq!(p.tracks[8].kind, TrackKind::Midi);
    let msgs = run(once(p, 1), 120.0, 1);
    let bytes: Vec<(f64, Vec<u8>)> = msgs
        .iter()
        .map(|m| (m.at, m.msg.as_bytes().to_vec()))
        .collect();
    let at0: Vec<Vec<u8>> = bytes
        .iter()
        .filter(|(t, _)| *t == 0.0)
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(
        at0,
        vec![
            vec![0xB4, 0, 2],
            vec![0xC4, 9],
            vec![0xB4, 7, 33],
            vec![0x94, 60, 90],
            vec![0x94, 64, 90],
            vec![0x94, 67, 90],
        ]
    );
    // Note offs and the CC restore after 2 steps (0.25 s).
    let at_len: Vec<Vec<u8>> = bytes
        .iter()
        .filter(|(t, _)| (*t - 0.25).abs() < EPS)
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(
        at_len,
        vec![
            vec![0x84, 60, 0],
            vec![0x84, 64, 0],
            vec![0x84, 67, 0],
            vec![0xB4, 7, 127]
        ]
    );
    // Step 9 plays the part's note 48 at velocity 100 with no second program change.
    let at9: Vec<Vec<u8>> = bytes
        .iter()
        .filter(|(t, _)| (*t - 1.0).abs() < EPS)
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(at9, vec![vec![0x94, 48, 100]]);
}

#[test]
fn track_position_for_live_recording() {
    let mut p = SeqPattern::empty("A01");
    p.per_track = true;
    p.tracks[1].scale = Scale::X2;
    let mut s = Sequencer::new(once(p, 4), setup(120.0), 1);
    // 0.3 s at 120 BPM = 2.4 steps; 2x track: 4.8 steps.
    let a = s.track_position(0.3, 0).unwrap();
    let b = s.track_position(0.3, 1).unwrap();
    assert!((a - 2.4).abs() < 1e-9 && (b - 4.8).abs() < 1e-9, "{a} {b}");
    // Wraps at the track length (16 steps = 2 s).
    let c = s.track_position(2.05, 0).unwrap();
    assert!((c - 0.4).abs() < 1e-9, "{c}");
    let pos = s.position_at(2.05);
    assert_eq!((pos.pass, pos.steps[0], pos.steps[1]), (1, 0, 0));
}

#[test]
fn tempo_change_mid_playback_keeps_the_grid_position() {
    let mut p = SeqPattern::empty("A01");
    for st in 0..16 {
        p.tracks[0].steps[st] = SeqStep::trig();
    }
    let mut s = Sequencer::new(PlayItem::chain(&[Arc::new(p)], 1), setup(120.0), 1);
    let first = s.collect_until(0.5);
    assert_eq!(note_ons(&first, 0).len(), 5); // steps 1-5 at 0, .125, ... .5
    // From 0.5 s (step 4 exactly) on, 60 BPM: a step lasts 0.25 s. Steps up to two
    // steps ahead were rendered already at the old tempo.
    s.set_tempo(60.0, 0.5);
    assert!((s.tempo() - 60.0).abs() < 1e-9);
    let rest = note_ons(&s.collect_until(1e6), 0);
    assert_eq!(rest.len(), 11);
    let last = rest[rest.len() - 1];
    // Step 16 (index 15): 0.5 + 11 * 0.25 at the new tempo.
    assert!((last - (0.5 + 11.0 * 0.25)).abs() < 1e-9, "{rest:?}");
}

#[test]
fn arrangement_row_window_mutes_and_transpose() {
    let mut p = SeqPattern::empty("A01");
    for st in 0..16 {
        p.tracks[0].steps[st] = SeqStep::trig();
        p.tracks[1].steps[st] = SeqStep::trig();
    }
    p.tracks[8].steps[4] = SeqStep::trig();
    let item = PlayItem {
        pattern: Arc::new(p),
        passes: Some(2),
        tempo: Some(120.0),
        row: RowOptions {
            offset: 4,
            length: Some(8),
            muted: 0b10,
            transpose: [5, 0, 0, 0, 0, 0, 0, 0],
        },
    };
    let mut s = Sequencer::new(vec![item], setup(90.0), 1);
    let msgs = s.collect_until(1e6);
    // Steps 5-8 twice at 120 BPM (the row tempo), track 2 muted.
    close(
        &note_ons(&msgs, 0),
        &(0..8).map(|k| k as f64 * 0.125).collect::<Vec<_>>(),
    );
    assert!(note_ons(&msgs, 1).is_empty());
    assert_eq!(s.end_secs(), Some(1.0));
    // M1 step 5 is the first step of each pass, its note 48 transposed by +5.
    let m1: Vec<(f64, Vec<u8>)> = msgs
        .iter()
        .filter(|m| m.track == 8 && m.role == MsgRole::NoteOn)
        .map(|m| (m.at, m.msg.as_bytes().to_vec()))
        .collect();
    assert_eq!(
        m1,
        vec![(0.0, vec![0x98, 53, 100]), (0.5, vec![0x98, 53, 100])]
    );
    assert_eq!(s.position_at(0.13).steps[0], 5);
}

#[test]
fn an_edited_pattern_replaces_the_playing_one_from_the_next_slot_not_yet_rendered() {
    // T1 on every step at 120 BPM (125 ms steps), looped. After 0.5 s the edit moves T1 to
    // the odd steps only and puts a trig on T2's step 9; a pattern of another name is not
    // taken.
    let mut p = SeqPattern::empty("A01");
    for s in 0..16 {
        p.tracks[0].steps[s] = SeqStep::trig();
    }
    let p = Arc::new(p);
    let mut s = Sequencer::new(
        vec![PlayItem {
            pattern: Arc::clone(&p),
            passes: None,
            tempo: None,
            row: RowOptions::default(),
        }],
        setup(120.0),
        1,
    );
    let early = s.collect_until(0.5);
    close(&note_ons(&early, 0), &[0.0, 0.125, 0.25, 0.375, 0.5]);
    let mut other = SeqPattern::empty("A02");
    other.tracks[1].steps[0] = SeqStep::trig();
    assert!(!s.replace_pattern(&Arc::new(other)));
    let mut edited = (*p).clone();
    for st in (0..16).step_by(2) {
        edited.tracks[0].steps[st] = SeqStep::default();
    }
    edited.tracks[1].steps[8] = SeqStep::trig();
    assert!(s.replace_pattern(&Arc::new(edited)));
    let late = s.collect_until(2.0 - 1e-6);
    // Slots less than two steps past 0.5 s were rendered with the old pattern (0.625);
    // from 0.75 s on only odd steps (0-based) play, and T2 plays step 9 at 1.0 s.
    close(
        &note_ons(&late, 0),
        &[0.625, 0.875, 1.125, 1.375, 1.625, 1.875],
    );
    close(&note_ons(&late, 1), &[1.0]);
    assert_eq!(s.tempo(), 120.0);
}

#[test]
fn a_midi_channel_changed_in_the_part_while_playing_moves_later_notes() {
    // M1 on every step at 120 BPM on its part's channel; the part moves it to another
    // channel at 0.5 s.
    let mut p = SeqPattern::empty("B03");
    for s in 0..16 {
        p.tracks[8].steps[s] = SeqStep::trig();
    }
    assert_eq!(p.tracks[8].kind, TrackKind::Midi);
    let was = p.part.midi[0].channel;
    let now = (was + 5) % 16;
    let p = Arc::new(p);
    let mut s = Sequencer::new(
        vec![PlayItem {
            pattern: Arc::clone(&p),
            passes: None,
            tempo: None,
            row: RowOptions::default(),
        }],
        setup(120.0),
        1,
    );
    let early = s.collect_until(0.5);
    let mut edited = (*p).clone();
    edited.part.midi[0].channel = now;
    assert!(s.replace_pattern(&Arc::new(edited)));
    let late = s.collect_until(1.5 - 1e-6);
    let channels = |v: &[TimedMsg]| {
        v.iter()
            .filter_map(|m| m.msg.note_on_parts().map(|(c, _)| (m.at, c)))
            .collect::<Vec<_>>()
    };
    let early = channels(&early);
    assert_eq!(early.len(), 5, "{early:?}");
    assert!(early.iter().all(|(_, c)| *c == was), "{early:?}");
    // 0.625 was rendered before the change; 0.75 .. 1.375 play on the new channel.
    let late = channels(&late);
    assert_eq!(late[0], (0.625, was));
    assert_eq!(late.len(), 7, "{late:?}");
    assert!(late[1..].iter().all(|(_, c)| *c == now), "{late:?}");
}

#[test]
fn recorder_trigs_go_out_as_the_standard_note_maps_recorder_notes() {
    // Facts from the Octatrack's standard note map for audio tracks (manual appendix C):
    // 60 combo rec, 61 INAB rec, 62 INCD rec, 63 SRC3 rec, on the track's trig channel.
    let mut p = SeqPattern::empty("A01");
    // T2: a recorder trig alone (INAB) on step 5.
    p.tracks[1].steps[4].recorder = 1;
    // T3: a trig with a recorder trig from INCD and SRC3 (two sources: combo) on step 1.
    p.tracks[2].steps[0] = SeqStep::trig();
    p.tracks[2].steps[0].recorder = 2 | 4;
    // T4: one-shot flag only (bit 8): no source, no note.
    p.tracks[3].steps[2].recorder = 8;
    let msgs = run(once(p, 1), 120.0, 1);
    let notes: Vec<(f64, Vec<u8>)> = msgs
        .iter()
        .filter(|m| m.track < 8)
        .map(|m| (m.at, m.msg.as_bytes().to_vec()))
        .collect();
    let has = |at: f64, bytes: &[u8]| {
        notes
            .iter()
            .any(|(t, b)| (t - at).abs() < EPS && b.as_slice() == bytes)
    };
    // Default trig channels: T2 on channel 2 (0x_1), T3 on channel 3 (0x_2).
    assert!(has(0.5, &[0x91, 61, 100]), "{notes:?}");
    assert!(
        has(0.5 + 0.0625, &[0x81, 61, 0]) || has(0.5 + 0.0625, &[0x91, 61, 0]),
        "{notes:?}"
    );
    assert!(has(0.0, &[0x92, 60, 100]), "{notes:?}");
    // T3's trig still plays its own note; T2 plays nothing but the recorder note.
    assert!(
        notes
            .iter()
            .any(|(t, b)| *t == 0.0 && b[0] == 0x92 && b[1] != 60),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .filter(|(_, b)| b[0] == 0x91 && b[2] > 0)
            .all(|(_, b)| b[1] == 61),
        "{notes:?}"
    );
    assert!(
        !notes.iter().any(|(_, b)| b[0] & 0x0F == 3),
        "T4: {notes:?}"
    );
}
