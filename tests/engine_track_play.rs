#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Issue #20 in the local engine and MIDI playback: START SILENT, one-shot trigs, PLAYS FREE,
//! TRIG MODE / TRIG QUANT and track triggers come from the one sequencer layer
//! (`seq::track_play`, applied by `seq::timeline`), so the offline render, the live engine
//! and the MIDI scheduler play the same events. Expected times are computed here from the
//! tempo (125 BPM: a step is 0.12 s, a 16-step pass 1.92 s), not from the code.

use octa::engine::sample::{Sample, Samples, SlotSound};
use octa::engine::{Onset, RenderOptions, Rendered, Song, live_pair, render_cued};
use octa::midi::render::MsgRole;
use octa::midi::scheduler::Sequencer;
use octa::seq::model::{DeviceSetup, SeqPattern, SeqStep};
use octa::seq::timeline::{PlayItem, RowOptions, SILENT_STEP};
use octa::seq::track_play::{Cue, CueKind, TrackPlay};
use std::sync::Arc;

const BPM: f64 = 125.0;
const STEP: f64 = 0.12;
const SR: f64 = 44_100.0;

fn setup() -> DeviceSetup {
    DeviceSetup {
        tempo: BPM,
        ..DeviceSetup::default()
    }
}

fn samples() -> Samples {
    let mut s = Samples::default();
    s.flex.insert(
        0,
        SlotSound::whole(Arc::new(Sample {
            frames: vec![[0.5, 0.5]; 200],
            source_rate: 44_100,
        })),
    );
    s
}

/// Every audio track plays flex slot 0 (a 200-frame burst).
fn pattern() -> SeqPattern {
    let mut p = SeqPattern::empty("A01");
    for a in p.part.audio.iter_mut() {
        a.setup[0] = 0;
        a.levels = [127, 127];
        a.flex_slot = 0;
    }
    p
}

fn items(p: SeqPattern, passes: u32) -> Vec<PlayItem> {
    vec![PlayItem {
        pattern: Arc::new(p),
        passes: Some(passes),
        tempo: None,
        row: RowOptions::default(),
    }]
}

fn run(p: SeqPattern, passes: u32, cues: &[Cue]) -> Rendered {
    render_cued(
        items(p, passes),
        setup(),
        &samples(),
        RenderOptions::default(),
        cues,
        &mut |_| {},
    )
}

/// The onset frames of a track.
fn frames(r: &Rendered, track: usize) -> Vec<usize> {
    r.onsets
        .iter()
        .filter(|o: &&Onset| o.track == track)
        .map(|o| o.frame)
        .collect()
}

/// Frames of steps (absolute step numbers from the start).
fn at_steps(steps: &[u32]) -> Vec<usize> {
    steps
        .iter()
        .map(|s| (f64::from(*s) * STEP * SR).round() as usize)
        .collect()
}

fn free(start_silent: bool, trig_mode: u8, trig_quant: u8, oneshot_track: bool) -> TrackPlay {
    TrackPlay {
        start_silent,
        plays_free: true,
        trig_mode,
        trig_quant,
        oneshot_track,
    }
}

#[test]
fn a_start_silent_track_gives_no_onsets_until_triggered() {
    let mut p = pattern();
    for s in [0, 4, 8, 12] {
        p.tracks[0].steps[s] = SeqStep::trig();
    }
    p.tracks[0].play = free(true, 0, 255, false);
    p.tracks[1].steps[0] = SeqStep::trig();
    // 4 passes (7.68 s) without a trigger: T1 is silent, T2 plays each pass
    let r = run(p.clone(), 4, &[]);
    assert!(frames(&r, 0).is_empty(), "{:?}", frames(&r, 0));
    assert_eq!(frames(&r, 1), at_steps(&[0, 16, 32, 48]));
    // a trigger at 2.0 s (step 16.67), DIRECT: T1's step 1 plays at step 17, then every
    // 4 steps to the end (step 64)
    let r = run(p.clone(), 4, &[Cue::new(2.0, 0, CueKind::Trigger)]);
    let want: Vec<u32> = (17..64).step_by(4).collect();
    assert_eq!(frames(&r, 0), at_steps(&want));
    assert_eq!(frames(&r, 1), at_steps(&[0, 16, 32, 48]));
    // TRIG QUANT TR.LEN (0): the same trigger waits for step 32 (the track's 16 steps)
    p.tracks[0].play.trig_quant = 0;
    let r = run(p.clone(), 4, &[Cue::new(2.0, 0, CueKind::Trigger)]);
    let want: Vec<u32> = (32..64).step_by(4).collect();
    assert_eq!(frames(&r, 0), at_steps(&want));
    // START SILENT off: the free track starts with the pattern
    p.tracks[0].play.start_silent = false;
    let r = run(p, 1, &[]);
    assert_eq!(frames(&r, 0), at_steps(&[0, 4, 8, 12]));
}

#[test]
fn a_one_shot_trig_plays_once_over_loops_and_again_after_re_arm() {
    let mut p = pattern();
    p.tracks[0].steps[0] = SeqStep {
        oneshot: true,
        ..SeqStep::trig()
    };
    p.tracks[0].steps[8] = SeqStep::trig();
    // 6 passes: the one-shot on step 1 once, the plain trig on step 9 every pass
    let r = run(p.clone(), 6, &[]);
    assert_eq!(frames(&r, 0), at_steps(&[0, 8, 24, 40, 56, 72, 88]));
    // re-armed at 5.0 s (pass 2, step 41.7): plays again at the start of pass 3 (step 48)
    for kind in [CueKind::Arm, CueKind::ArmAll] {
        let r = run(p.clone(), 6, &[Cue::new(5.0, 0, kind)]);
        assert_eq!(
            frames(&r, 0),
            at_steps(&[0, 8, 24, 40, 48, 56, 72, 88]),
            "{kind:?}"
        );
    }
    // re-arming another track leaves T1's spent
    let r = run(p, 6, &[Cue::new(5.0, 3, CueKind::Arm)]);
    assert_eq!(frames(&r, 0), at_steps(&[0, 8, 24, 40, 56, 72, 88]));
}

/// A pattern using every rule: a one-shot trig, a START SILENT free track (ONE2, 3-step
/// quant), a free HOLD track with ONESHOT TRK, a plain track.
fn everything() -> (SeqPattern, Vec<Cue>) {
    let mut p = pattern();
    p.tracks[0].steps[0] = SeqStep {
        oneshot: true,
        ..SeqStep::trig()
    };
    p.tracks[0].steps[6] = SeqStep::trig();
    p.tracks[1].steps[0] = SeqStep::trig();
    p.tracks[1].steps[5] = SeqStep::trig();
    p.tracks[1].play = free(true, 1, 3, false);
    p.tracks[2].steps[0] = SeqStep::trig();
    p.tracks[2].steps[10] = SeqStep::trig();
    p.tracks[2].play = free(false, 2, 255, true);
    p.tracks[3].steps[3] = SeqStep::trig();
    let cues = vec![
        Cue::new(1.0, 1, CueKind::Trigger),
        Cue::new(2.5, 2, CueKind::Trigger),
        Cue::new(3.3, 2, CueKind::Release),
        Cue::new(4.1, 0, CueKind::Arm),
        Cue::new(5.0, 1, CueKind::Trigger),
        Cue::new(6.2, 1, CueKind::Trigger),
    ];
    (p, cues)
}

#[test]
fn midi_and_local_outputs_play_the_same_events_with_these_rules() {
    let (p, cues) = everything();
    let r = run(p.clone(), 5, &cues);
    let mut local: Vec<(u8, i64)> = r
        .onsets
        .iter()
        .map(|o| (o.track as u8, (o.at * 1e6).round() as i64))
        .collect();
    let mut seq = Sequencer::new(items(p, 5), setup(), 0).with_cues(&cues);
    let mut midi: Vec<(u8, i64)> = seq
        .collect_until(1e6)
        .iter()
        .filter(|m| m.role == MsgRole::NoteOn && m.track < 8)
        .map(|m| (m.track, (m.at * 1e6).round() as i64))
        .collect();
    local.sort();
    midi.sort();
    assert_eq!(local, midi);
    // and what they play is what the rules say (steps from the start, 80 in all):
    let steps = |t: u8| -> Vec<i64> {
        local
            .iter()
            .filter(|x| x.0 == t)
            .map(|x| (x.1 as f64 / 1e6 / STEP).round() as i64)
            .collect()
    };
    // T1: one-shot once, re-armed at 4.1 s (step 34.2): again at step 48; step 7 each pass
    assert_eq!(steps(0), vec![0, 6, 22, 38, 48, 54, 70]);
    // T2: triggered at 1.0 s (step 8.3) -> next 3-step boundary, step 9; ONE2: the trigger
    // at 5.0 s (step 41.7) stops it, the one at 6.2 s (step 51.7) starts it at step 54
    // (step 41 is before the stop, so it plays)
    assert_eq!(steps(1), vec![9, 14, 25, 30, 41, 54, 59, 70, 75]);
    // T3: starts with the pattern, ONESHOT TRK: one pass (steps 0 and 10); triggered at
    // 2.5 s (step 20.8, DIRECT) -> step 21 and 31; let go at 3.3 s (step 27.5): no step 31
    assert_eq!(steps(2), vec![0, 10, 21]);
    // T4: every pass
    assert_eq!(steps(3), vec![3, 19, 35, 51, 67]);
}

#[test]
fn the_live_engine_applies_a_trigger_and_publishes_the_playhead() {
    let mut p = pattern();
    p.tracks[0].steps[0] = SeqStep::trig();
    p.tracks[0].play = free(true, 0, 255, false);
    p.tracks[1].steps[0] = SeqStep::trig();
    let step = (STEP * SR).round() as usize; // 5292 frames
    let (mut engine, mut control) = live_pair();
    control.set_samples(samples()).unwrap();
    let looped = vec![PlayItem {
        pattern: Arc::new(p),
        passes: None,
        tempo: None,
        row: RowOptions::default(),
    }];
    control
        .play(Song::new(looped, setup(), 1, false, 0.0))
        .unwrap();
    // one pass and 5.5 steps: T2 sounds (step 1), T1 (start silent) does not
    let mut out = vec![[0.0f32; 2]; 21 * step + step / 2];
    engine.process_stereo(&mut out);
    let base = out.len();
    let (item, heads) = control.status().playhead().unwrap();
    assert_eq!(item, 0);
    // the playhead: T2 on step 6 (song step 21.5 = pass 1, step 5 0-based), T1 silent
    assert_eq!(heads[1], 5);
    assert_eq!(heads[0], SILENT_STEP);
    // trigger T1 now (step 21.5): the walk has looked ahead at most two steps, so T1's step
    // 1 sounds within three steps, then every pass after it
    control.cue(CueKind::Trigger, 0).unwrap();
    let mut more = vec![[0.0f32; 2]; 40 * step];
    engine.process_stereo(&mut more);
    assert_eq!(control.status().cues_dropped(), 0);
    let (_, heads) = control.status().playhead().unwrap();
    assert_ne!(heads[0], SILENT_STEP, "T1 runs after the trigger");
    // the burst sounds at T1's start: find onsets (silence to sound), beyond T2's at
    // steps 32 and 48 of the song
    let onsets: Vec<usize> = more
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0][0] == 0.0 && w[1][0] != 0.0)
        .map(|(i, _)| i + 1 + base)
        .collect();
    let t1: Vec<usize> = onsets
        .iter()
        .copied()
        .filter(|f| *f != 32 * step && *f != 48 * step)
        .collect();
    assert!(!t1.is_empty(), "T1 sounded after the trigger: {onsets:?}");
    let first = t1[0];
    assert!(
        first > base && first <= 24 * step && first.is_multiple_of(step),
        "T1 starts on a step within three steps of the trigger: frame {first} (step {})",
        first as f64 / step as f64
    );
    // then again one pass (16 steps) later
    assert!(t1.contains(&(first + 16 * step)), "{t1:?}");
}

#[test]
fn an_edit_while_playing_keeps_a_triggered_track_running_and_one_shots_spent() {
    let mut p = pattern();
    p.tracks[0].steps[0] = SeqStep::trig();
    p.tracks[0].play = free(true, 0, 255, false);
    p.tracks[1].steps[0] = SeqStep {
        oneshot: true,
        ..SeqStep::trig()
    };
    p.tracks[1].steps[8] = SeqStep::trig();
    let step = (STEP * SR).round() as usize;
    let looped = |p: SeqPattern| {
        vec![PlayItem {
            pattern: Arc::new(p),
            passes: None,
            tempo: None,
            row: RowOptions::default(),
        }]
    };
    let (mut engine, mut control) = live_pair();
    control.set_samples(samples()).unwrap();
    control
        .play(Song::new(looped(p.clone()), setup(), 1, false, 0.0))
        .unwrap();
    let mut out = vec![[0.0f32; 2]; 64 * step];
    // half a pass, then trigger T1; at 1.5 passes an edit (a trig on T3 step 5) is sent:
    // it takes over at pass 2
    engine.process_stereo(&mut out[..8 * step]);
    control.cue(CueKind::Trigger, 0).unwrap();
    engine.process_stereo(&mut out[8 * step..24 * step]);
    let mut edited = p;
    edited.tracks[2].steps[4] = SeqStep::trig();
    control
        .swap(Song::new(looped(edited), setup(), 1, false, 0.0))
        .unwrap();
    for chunk in out[24 * step..].chunks_mut(256) {
        engine.process_stereo(chunk);
    }
    let onsets: Vec<usize> = out
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0][0] == 0.0 && w[1][0] != 0.0)
        .map(|(i, _)| i + 1)
        .chain((out[0][0] != 0.0).then_some(0))
        .collect();
    assert!(onsets.iter().all(|f| f.is_multiple_of(step)), "{onsets:?}");
    let mut steps: Vec<usize> = onsets.iter().map(|f| f / step).collect();
    steps.sort();
    // T1's start: the first step after 8 that is not T2's
    let s = *steps.iter().find(|x| **x > 8).unwrap();
    assert!(
        (9..=11).contains(&s),
        "T1 starts within the look-ahead: {steps:?}"
    );
    let mut want = vec![0, 8, 24, 40, 56, 36, 52, s, s + 16, s + 32, s + 48];
    want.sort();
    // T2's one-shot stays spent after the edit (no step 32 or 48), T1 keeps running
    // (s + 32, s + 48), the edit's T3 trig plays from pass 2 (36, 52)
    assert_eq!(steps, want);
}
