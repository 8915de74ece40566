//! Per-track play state: one-shot trigs, tracks that play free (restarted and stopped by a
//! track trigger, with ONESHOT TRK, TRIG MODE and TRIG QUANT), START SILENT, and the MIDI
//! note a recorder trig stands for.
//!
//! What each setting does on the device, where that comes from and what is unverified is in
//! `docs/sequencer.md`. In short, as modelled here:
//!
//! * A one-shot trig plays once, then stays silent until re-armed ([`PlayState::arm`],
//!   [`PlayState::arm_all`]; on the device `[FUNC]+[YES]` arms them). Every one-shot trig is
//!   armed when a pattern starts.
//! * START SILENT is the per-track form of the project's SILENCE TRACKS: when a new pattern
//!   starts, the track's sound from the previous pattern is cut
//!   ([`crate::seq::Timeline::silenced_on_entry`]). On a track that plays free it also keeps
//!   the track silent when the pattern starts, until a track trigger starts it.
//! * A track whose PLAYS FREE is off follows the pattern; ONESHOT TRK, TRIG MODE and TRIG
//!   QUANT only matter for tracks that play free.
//! * A free track without START SILENT starts with the pattern; it runs on its own position,
//!   counted from its last start. A track trigger (re)starts it at the next TRIG QUANT boundary (DIRECT: the next
//!   step; TR.LEN: the track's length; N steps). TRIG MODE: ONE restarts it on each trigger,
//!   ONE2 stops it when it is running, HOLD stops it when the trigger is let go
//!   ([`PlayState::release`]). ONESHOT TRK stops it after one pass of its length, until the
//!   next trigger.

use super::conditions::TRACKS;
use super::model::{SeqPattern, SeqStep};
use crate::format::slot_attrs::TrigQuant;

/// A track's sequencer settings as the player uses them (from the bank's +91..96).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackPlay {
    /// START SILENT (the bank's default byte 255 reads as on).
    pub start_silent: bool,
    /// PLAYS FREE.
    pub plays_free: bool,
    /// TRIG MODE code: 0 ONE, 1 ONE2, 2 HOLD.
    pub trig_mode: u8,
    /// TRIG QUANT byte (255 DIRECT, 0 TR.LEN, 1..=16 steps as in format doc §9.7).
    pub trig_quant: u8,
    /// ONESHOT TRK.
    pub oneshot_track: bool,
}

impl Default for TrackPlay {
    /// A new track's settings (bank defaults: start silent 255, the rest 0).
    fn default() -> Self {
        Self {
            start_silent: true,
            plays_free: false,
            trig_mode: 0,
            trig_quant: 0,
            oneshot_track: false,
        }
    }
}

impl TrackPlay {
    /// Steps of one TRIG QUANT unit for a track of `len` steps; `None` = DIRECT.
    pub fn quant_steps(&self, len: u64) -> Option<u64> {
        match TrigQuant::from_ot(self.trig_quant) {
            TrigQuant::Direct => None,
            TrigQuant::PatternLength => Some(len.max(1)),
            TrigQuant::Steps(n) => Some(n.max(1) as u64),
            TrigQuant::Other(_) => None,
        }
    }
}

/// A free track's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Free {
    /// Playing: the slot counter value at its step 1.
    start: Option<u64>,
    /// (Re)starts at this absolute tick.
    restart_at: Option<u64>,
    /// Stops at this absolute tick.
    stop_at: Option<u64>,
    /// Steps played before `start` (carried over from an earlier walk).
    offset: u64,
}

/// The play state of the 16 tracks during one walk.
#[derive(Debug, Clone, Default)]
pub struct PlayState {
    /// One-shot trig steps (bit per step) that have played since they were armed.
    spent: [u64; TRACKS],
    free: [Free; TRACKS],
    /// The last one-shot trigs spent per track, by slot: `slot * 64 + step + 1` at
    /// `slot % 4` (0: none), so a walk replaced mid-way can arm again what it spent ahead.
    fresh: [[u64; 4]; TRACKS],
}

impl PlayState {
    /// A pattern starts: every one-shot trig is armed; free tracks start with it unless
    /// they start silent (then they wait for a track trigger).
    pub fn enter(&mut self, pattern: &SeqPattern) {
        self.spent = [0; TRACKS];
        self.fresh = [[0; 4]; TRACKS];
        self.free = [Free::default(); TRACKS];
        for (t, tr) in pattern.tracks.iter().enumerate().take(TRACKS) {
            if tr.play.plays_free && !tr.play.start_silent {
                self.free[t].start = Some(0);
            }
        }
    }

    /// The step a free track is on at slot counter value `slot`: `Some(None)` when it is
    /// silent, `None` when the track does not play free (it follows the pattern).
    pub fn free_step(
        &self,
        play: &TrackPlay,
        track: usize,
        slot: u64,
        len: u64,
    ) -> Option<Option<u16>> {
        if !play.plays_free || track >= TRACKS {
            return None;
        }
        let f = self.free[track];
        let step = f
            .start
            .filter(|s| slot >= *s)
            .map(|s| slot - s + f.offset)
            .filter(|n| !(play.oneshot_track && *n >= len.max(1)))
            .map(|n| (n % len.max(1)) as u16);
        Some(step)
    }

    /// Carries track `track`'s state over from the walk `old` that a new walk replaces at
    /// `old`'s slot `at_slot` (absolute tick `at_tick`; the new walk's tick 0): the one-shot
    /// trigs `old` spent before that slot stay spent (those it spent in the slots it walked
    /// ahead, up to slot `walked`, are armed again: the new walk plays those slots), and a track that plays free
    /// in both (`was`, `now`) keeps its position, restart and stop. `step_ticks` and `len`
    /// are the track's step length and length in `old`. No allocation.
    #[allow(clippy::too_many_arguments, reason = "plain numbers of one track")]
    pub fn carry(
        &mut self,
        old: &PlayState,
        track: usize,
        (was, now): (&TrackPlay, &TrackPlay),
        at_slot: u64,
        walked: u64,
        at_tick: u64,
        step_ticks: u64,
    ) {
        if track >= TRACKS {
            return;
        }
        let of = old.free[track];
        let mut spent = old.spent[track];
        for slot in at_slot..walked.min(at_slot + 4) {
            let f = old.fresh[track][(slot % 4) as usize];
            if f > slot * 64 && f <= slot * 64 + 64 {
                spent &= !(1u64 << (f - slot * 64 - 1));
            }
        }
        self.spent[track] = spent;
        if !(was.plays_free && now.plays_free) {
            return;
        }
        let shift = |t: Option<u64>| t.map(|t| t.saturating_sub(at_tick));
        let mut f = Free {
            start: None,
            restart_at: shift(of.restart_at),
            stop_at: shift(of.stop_at),
            offset: 0,
        };
        match of.start {
            Some(st) if st <= at_slot => {
                f.start = Some(0);
                f.offset = at_slot - st + of.offset;
            }
            // (re)started in the slots walked ahead: the new walk restarts it there
            Some(st) => {
                f.restart_at = Some((st - at_slot) * step_ticks.max(1));
            }
            None => {}
        }
        self.free[track] = f;
    }

    /// Re-arms the one-shot trigs of a track.
    pub fn arm(&mut self, track: usize) {
        if let Some(s) = self.spent.get_mut(track) {
            *s = 0;
        }
    }

    /// Re-arms every one-shot trig.
    pub fn arm_all(&mut self) {
        self.spent = [0; TRACKS];
    }

    /// True when the one-shot trig on `step` of `track` would play.
    pub fn armed(&self, track: usize, step: usize) -> bool {
        self.spent.get(track).is_some_and(|s| s & (1 << step) == 0)
    }

    /// A one-shot trig reached on slot `slot`: true (and now spent) when it was armed.
    pub fn take_oneshot(&mut self, track: usize, step: usize, slot: u64) -> bool {
        let armed = self.armed(track, step);
        if let Some(s) = self.spent.get_mut(track) {
            *s |= 1 << step;
        }
        if armed && let Some(f) = self.fresh.get_mut(track) {
            f[(slot % 4) as usize] = slot * 64 + step as u64 + 1;
        }
        armed
    }

    /// True when a free track plays or is about to start.
    pub fn running(&self, track: usize) -> bool {
        self.free
            .get(track)
            .is_some_and(|f| f.stop_at.is_none() && (f.start.is_some() || f.restart_at.is_some()))
    }

    /// A track trigger at absolute tick `tick` (item starts at `item_start`; a step of the
    /// track lasts `step_ticks`, the track is `len` steps long), as TRIG MODE and TRIG
    /// QUANT say. Does nothing on a track that does not play free.
    pub fn trigger(
        &mut self,
        play: &TrackPlay,
        track: usize,
        tick: u64,
        item_start: u64,
        step_ticks: u64,
        len: u64,
    ) {
        if !play.plays_free || track >= TRACKS {
            return;
        }
        if play.trig_mode == 1 && self.running(track) {
            let f = &mut self.free[track];
            f.restart_at = None;
            f.stop_at = Some(tick);
            return;
        }
        let from = tick.saturating_sub(item_start);
        let unit = play.quant_steps(len).unwrap_or(1) * step_ticks.max(1);
        let f = &mut self.free[track];
        f.restart_at = Some(item_start + from.div_ceil(unit) * unit);
        f.stop_at = None;
    }

    /// The trigger of a HOLD track is let go at absolute tick `tick`: the track stops there.
    pub fn release(&mut self, play: &TrackPlay, track: usize, tick: u64) {
        if track < TRACKS && play.plays_free && play.trig_mode == 2 {
            let f = &mut self.free[track];
            if f.restart_at.is_some_and(|r| r >= tick) {
                f.restart_at = None;
            }
            f.stop_at = Some(tick);
        }
    }

    /// Where slot `slot` (the track's slot counter, at absolute tick `tick`) lands for a
    /// track: `(step index, track pass)` or `None` when the track is silent there. Tracks
    /// that do not play free keep the pattern's `(step, pass)`.
    pub fn locate(
        &mut self,
        play: &TrackPlay,
        track: usize,
        slot: u64,
        tick: u64,
        len: u64,
        pattern_pos: (usize, u64),
    ) -> Option<(usize, u64)> {
        if !play.plays_free || track >= TRACKS {
            return Some(pattern_pos);
        }
        let len = len.max(1);
        let f = &mut self.free[track];
        if f.stop_at.is_some_and(|s| tick >= s) {
            f.start = None;
            f.stop_at = None;
        }
        if f.restart_at.is_some_and(|r| tick >= r) {
            f.start = Some(slot);
            f.offset = 0;
            f.restart_at = None;
        }
        let start = f.start?;
        let n = slot.saturating_sub(start) + f.offset;
        if play.oneshot_track && n >= len {
            f.start = None;
            return None;
        }
        Some(((n % len) as usize, n / len))
    }
}

/// What a [`Cue`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A track trigger (the device's track key / track trig note): starts, restarts or
    /// stops a track that plays free, as its TRIG MODE and TRIG QUANT say.
    Trigger,
    /// The track trigger is let go (stops a HOLD track that plays free).
    Release,
    /// Re-arms the track's one-shot trigs.
    Arm,
    /// Re-arms every track's one-shot trigs (the track is ignored).
    ArmAll,
}

/// A performance action at a time: the walk applies it when it reaches the first slot at or
/// after `at` (so every output, MIDI or the local engine, sees it at the same slot whatever
/// its look-ahead). A cue given for a time the walk has passed applies at the next slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cue {
    /// Seconds from playback start.
    pub at: f64,
    /// Track 0..16.
    pub track: usize,
    /// What it does.
    pub kind: CueKind,
}

impl Cue {
    /// A cue of `kind` on `track` at `at` seconds.
    pub fn new(at: f64, track: usize, kind: CueKind) -> Self {
        Self { at, track, kind }
    }
}

/// The MIDI note of a recorder trig on the device's standard note map for audio tracks:
/// 61 INAB rec, 62 INCD rec, 63 SRC3 rec, 60 combo rec for several sources
/// (`docs/midi-and-sysex.md` §1.2); `None` when the step holds no recorder trig.
pub fn recorder_note(step: &SeqStep) -> Option<u8> {
    match step.recorder & 7 {
        0 => None,
        1 => Some(61),
        2 => Some(62),
        4 => Some(63),
        _ => Some(60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seq::conditions::ConditionEngine;
    use crate::seq::model::{DeviceSetup, SeqPattern, SeqStep};
    use crate::seq::timeline::{PlayItem, StepEvent, Timeline};
    use std::sync::Arc;

    // 120 BPM: a step is 0.125 s, a 16-step pass 2 s.
    const STEP: f64 = 0.125;

    fn walk(p: SeqPattern, passes: u32) -> Timeline {
        let items = PlayItem::chain(&[Arc::new(p)], passes);
        Timeline::new(items, DeviceSetup::default())
    }

    fn times(ev: &[StepEvent], track: usize) -> Vec<f64> {
        ev.iter()
            .filter(|e| e.track == track)
            .map(|e| e.at)
            .collect()
    }

    fn steps_at(v: &[f64]) -> Vec<u32> {
        v.iter().map(|t| (t / STEP).round() as u32).collect()
    }

    #[test]
    fn a_one_shot_trig_plays_once_until_re_armed() {
        let mut p = SeqPattern::empty("A01");
        p.tracks[0].steps[0] = SeqStep {
            oneshot: true,
            ..SeqStep::trig()
        };
        p.tracks[0].steps[4] = SeqStep::trig();
        let mut tl = walk(p, 6);
        let mut c = ConditionEngine::new(1);
        // passes 0-2 (6 s): the one-shot on step 1 once, the plain trig every pass
        let mut ev = tl.collect(5.5, &mut c);
        ev.retain(|e| e.at < 5.5);
        assert_eq!(steps_at(&times(&ev, 0)), vec![0, 4, 20, 36]);
        // re-armed during pass 2: plays again at the start of pass 3, then not in passes 4-5
        tl.play_state().arm(0);
        let rest: Vec<StepEvent> = tl
            .collect(f64::INFINITY, &mut c)
            .into_iter()
            .filter(|e| e.at >= 5.5)
            .collect();
        assert_eq!(steps_at(&times(&rest, 0)), vec![48, 52, 68, 84]);
    }

    #[test]
    fn settings_of_a_track_that_does_not_play_free_change_nothing() {
        let mut p = SeqPattern::empty("A01");
        p.tracks[0].steps[2] = SeqStep::trig();
        for (mode, quant, oneshot) in [(0, 0, false), (1, 255, true), (2, 5, true)] {
            let mut q = p.clone();
            q.tracks[0].play = TrackPlay {
                start_silent: true,
                plays_free: false,
                trig_mode: mode,
                trig_quant: quant,
                oneshot_track: oneshot,
            };
            let ev = walk(q, 3).collect(f64::INFINITY, &mut ConditionEngine::new(1));
            assert_eq!(steps_at(&times(&ev, 0)), vec![2, 18, 34], "mode {mode}");
        }
    }

    fn free(mode: u8, quant: u8, silent: bool, oneshot: bool) -> SeqPattern {
        let mut p = SeqPattern::empty("A01");
        p.tracks[1].steps[0] = SeqStep::trig();
        p.tracks[1].steps[8] = SeqStep::trig();
        p.tracks[0].steps[0] = SeqStep::trig();
        p.tracks[1].play = TrackPlay {
            start_silent: silent,
            plays_free: true,
            trig_mode: mode,
            trig_quant: quant,
            oneshot_track: oneshot,
        };
        p
    }

    #[test]
    fn a_free_track_starts_with_the_pattern_and_counts_from_its_last_trigger() {
        let mut tl = walk(free(0, 255, false, false), 4);
        let mut c = ConditionEngine::new(1);
        let early = tl.collect(1.0, &mut c);
        // triggered at 2.5 s (pass 1, step 5), DIRECT: the track's step 1 plays there
        tl.trigger_track(1, 2.5);
        let ev = tl.collect(f64::INFINITY, &mut c);
        let all = [early, ev].concat();
        assert_eq!(
            steps_at(&times(&all, 1)),
            vec![0, 8, 16, 20, 28, 36, 44, 52, 60]
        );
        // the pattern's other track is unaffected
        assert_eq!(steps_at(&times(&all, 0)), vec![0, 16, 32, 48]);
    }

    #[test]
    fn a_start_silent_free_track_is_silent_until_triggered() {
        let mut c = ConditionEngine::new(1);
        // START SILENT on a free track: nothing for two passes, then a trigger at 4.3 s
        // (DIRECT) starts it on the next step (step 35)
        let mut tl = walk(free(0, 255, true, false), 4);
        let a = tl.collect(4.0, &mut c);
        assert!(times(&a, 1).is_empty());
        assert!(tl.cue(Cue::new(4.3, 1, CueKind::Trigger)));
        let b = tl.collect(f64::INFINITY, &mut c);
        assert_eq!(steps_at(&times(&b, 1)), vec![35, 43, 51, 59]);
        // the pattern's other track plays from the start
        assert_eq!(steps_at(&times(&[a, b].concat(), 0)), vec![0, 16, 32, 48]);
        // START SILENT on a track that does not play free changes no step
        let mut p = free(0, 255, true, false);
        p.tracks[1].play.plays_free = false;
        let ev = walk(p, 2).collect(f64::INFINITY, &mut c);
        assert_eq!(steps_at(&times(&ev, 1)), vec![0, 8, 16, 24]);
    }

    #[test]
    fn cues_given_while_walking_play_as_cues_given_ahead() {
        // the same cues given up front (offline render), or each one while walking in
        // small chunks before the walk's look-ahead (two steps) reaches it (a live
        // output), give the same events: the walk applies a cue at its slot
        let cues = [
            Cue::new(1.3, 1, CueKind::Trigger),
            Cue::new(3.1, 0, CueKind::Arm),
            Cue::new(5.0, 1, CueKind::Trigger),
        ];
        let mut p = free(1, 3, true, false);
        p.tracks[0].steps[0].oneshot = true;
        let mut c = ConditionEngine::new(1);
        let all = walk(p.clone(), 4)
            .with_cues(&cues)
            .collect(f64::INFINITY, &mut c);
        {
            let chunk = 0.05;
            let mut tl = walk(p.clone(), 4);
            let mut got = Vec::new();
            let mut now = 0.0;
            let mut next = 0;
            while !tl.is_finished() {
                while next < cues.len() && cues[next].at <= now + 0.3 {
                    tl.cue(cues[next]);
                    next += 1;
                }
                got.extend(tl.collect(now, &mut c));
                now += chunk;
            }
            got.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.track.cmp(&b.track)));
            assert_eq!(got, all);
        }
        // T1: the one-shot on step 1 plays in pass 0, is spent in pass 1, re-armed at 3.1 s
        // and plays again at step 32 (pass 2), then not in pass 3
        assert_eq!(steps_at(&times(&all, 0)), vec![0, 32]);
        // T2: started at 1.3 s -> next 3-step boundary (step 12), stopped at 5.0 s (ONE2)
        assert_eq!(steps_at(&times(&all, 1)), vec![12, 20, 28, 36]);
    }

    #[test]
    fn start_silent_cuts_the_previous_sound_when_a_new_pattern_starts() {
        let mut a = SeqPattern::empty("A01");
        let mut b = SeqPattern::empty("A02");
        a.tracks[0].steps[0] = SeqStep::trig();
        b.tracks[0].steps[0] = SeqStep::trig();
        for t in 0..16 {
            a.tracks[t].play.start_silent = false;
            b.tracks[t].play.start_silent = t == 1 || t == 9;
        }
        let tl = Timeline::new(
            PlayItem::chain(&[Arc::new(a.clone()), Arc::new(b)], 2),
            DeviceSetup::default(),
        );
        assert_eq!(tl.silenced_on_entry(0), 0);
        assert_eq!(tl.silenced_on_entry(1), 1 << 1 | 1 << 9);
        // it changes no step: the same trigs play with and without it
        let mut c = ConditionEngine::new(1);
        let mut quiet = a.clone();
        quiet.tracks[0].play.start_silent = true;
        let x = walk(a, 3).collect(f64::INFINITY, &mut c);
        let y = walk(quiet, 3).collect(f64::INFINITY, &mut c);
        assert_eq!(x, y);
    }

    #[test]
    fn trig_quant_delays_the_restart_to_the_next_boundary() {
        let mut c = ConditionEngine::new(1);
        // code 3 = 3 steps: 2.6 s is step 20.8, the next multiple of 3 is step 21
        let mut tl = walk(free(0, 3, false, false), 3);
        let a = tl.collect(1.0, &mut c);
        tl.trigger_track(1, 2.6);
        let b = tl.collect(f64::INFINITY, &mut c);
        assert_eq!(
            steps_at(&times(&[a, b].concat(), 1)),
            vec![0, 8, 16, 21, 29, 37, 45]
        );
        // TR.LEN (0): the next multiple of the track's 16 steps, step 32
        let mut tl = walk(free(0, 0, false, false), 3);
        let a = tl.collect(1.0, &mut c);
        tl.trigger_track(1, 2.6);
        let b = tl.collect(f64::INFINITY, &mut c);
        let all = [a, b].concat();
        let t2: Vec<&StepEvent> = all.iter().filter(|e| e.track == 1).collect();
        assert_eq!(
            t2.iter().map(|e| (e.tick / 6, e.step)).collect::<Vec<_>>(),
            vec![(0, 0), (8, 8), (16, 0), (24, 8), (32, 0), (40, 8)]
        );
    }

    #[test]
    fn trig_modes_and_the_one_shot_track() {
        let mut c = ConditionEngine::new(1);
        // ONE2: a trigger stops the running track, the next one starts it
        let mut tl = walk(free(1, 255, false, false), 4);
        let a = tl.collect(0.5, &mut c);
        tl.trigger_track(1, 1.0);
        let b = tl.collect(2.5, &mut c);
        tl.trigger_track(1, 4.0);
        let rest = tl.collect(f64::INFINITY, &mut c);
        assert_eq!(
            steps_at(&times(&[a, b, rest].concat(), 1)),
            vec![0, 32, 40, 48, 56]
        );
        // HOLD: stops when the trigger is let go, plays again while held
        let mut tl = walk(free(2, 255, false, false), 4);
        let a = tl.collect(0.5, &mut c);
        tl.release_track(1, 1.0);
        let b = tl.collect(2.5, &mut c);
        tl.trigger_track(1, 3.0);
        let d = tl.collect(4.2, &mut c);
        tl.release_track(1, 4.6);
        let rest = tl.collect(f64::INFINITY, &mut c);
        assert_eq!(
            steps_at(&times(&[a, b, d, rest].concat(), 1)),
            vec![0, 24, 32]
        );
        // ONE: a trigger while running restarts from step 1
        let mut tl = walk(free(0, 255, false, false), 4);
        let a = tl.collect(1.6, &mut c);
        tl.trigger_track(1, 2.5);
        let b = tl.collect(f64::INFINITY, &mut c);
        assert_eq!(
            steps_at(&times(&[a, b].concat(), 1)),
            vec![0, 8, 16, 20, 28, 36, 44, 52, 60]
        );
        // ONESHOT TRK: one pass of the track's 16 steps, then silent until triggered again
        let mut tl = walk(free(0, 255, false, true), 4);
        let a = tl.collect(0.5, &mut c);
        let b = tl.collect(2.5, &mut c);
        tl.trigger_track(1, 3.0);
        let rest = tl.collect(f64::INFINITY, &mut c);
        assert_eq!(
            steps_at(&times(&[a, b, rest].concat(), 1)),
            vec![0, 8, 24, 32]
        );
    }

    #[test]
    fn recorder_trigs_are_events_only_when_asked_and_map_to_the_recorder_notes() {
        let mut p = SeqPattern::empty("A01");
        p.tracks[2].steps[4].recorder = 2; // INCD
        p.tracks[2].steps[12].recorder = 1 | 2 | 4 | 8; // all, one-shot
        let mut c = ConditionEngine::new(1);
        let ev = walk(p.clone(), 2).collect(f64::INFINITY, &mut c);
        assert!(ev.is_empty());
        let ev = walk(p, 2)
            .with_recorder_events(true)
            .collect(f64::INFINITY, &mut c);
        let notes: Vec<(u32, Option<u8>)> = ev
            .iter()
            .map(|e| ((e.at / STEP).round() as u32, recorder_note(&e.data)))
            .collect();
        assert_eq!(
            notes,
            vec![
                (4, Some(62)),
                (12, Some(60)),
                (20, Some(62)),
                (28, Some(60))
            ]
        );
        assert_eq!(
            recorder_note(&SeqStep {
                recorder: 8,
                ..SeqStep::default()
            }),
            None
        );
        assert_eq!(
            recorder_note(&SeqStep {
                recorder: 1,
                ..SeqStep::default()
            }),
            Some(61)
        );
        assert_eq!(
            recorder_note(&SeqStep {
                recorder: 4,
                ..SeqStep::default()
            }),
            Some(63)
        );
    }

    #[test]
    fn multipart_free_tracks_settings_and_recorder_trigs_come_from_the_bytes() {
        let Some(bp) = crate::testutil::corpus("ot/multipart/bank01.work") else {
            return;
        };
        let bytes = std::fs::read(bp).unwrap();
        let (bank, _) = crate::format::bank::Bank::from_bytes(&bytes).unwrap();
        let p = SeqPattern::from_bank(&bank, 0, 0).unwrap();
        // A01 T2: plays free (+93 = 1), start silent (+92 = 255), HOLD, quant code 5
        let o = 22 + 8 + 2338;
        assert_eq!(
            (bytes[o + 92], bytes[o + 93], bytes[o + 94], bytes[o + 95]),
            (255, 1, 2, 5)
        );
        assert_eq!(
            p.tracks[1].play,
            TrackPlay {
                start_silent: true,
                plays_free: true,
                trig_mode: 2,
                trig_quant: 5,
                oneshot_track: false
            }
        );
        assert_eq!(p.tracks[1].steps[0].recorder, 7);
        assert_eq!(p.tracks[1].steps[16].recorder, 7);
        let mut c = ConditionEngine::new(1);
        let ev = walk(p.clone(), 2).collect(f64::INFINITY, &mut c);
        // the free tracks T2-T4 start silent: without a trigger they play nothing, while
        // with PLAYS FREE off they would play their trigs
        assert!(times(&ev, 1).is_empty() && times(&ev, 3).is_empty());
        let mut fixed = p.clone();
        for t in 0..8 {
            fixed.tracks[t].play.plays_free = false;
        }
        let ev2 = walk(fixed, 2).collect(f64::INFINITY, &mut c);
        assert!(!times(&ev2, 1).is_empty() && !times(&ev2, 3).is_empty());
        // triggered (HOLD, quant 6 steps): T2 restarts at the next 6-step boundary
        let mut tl = walk(p, 2);
        tl.collect(0.2, &mut c);
        tl.trigger_track(1, 0.5);
        let ev = tl.collect(f64::INFINITY, &mut c);
        // 0.5 s = tick 24; 6 steps = 36 ticks: T2's step 1 plays at tick 36
        assert!(
            ev.iter()
                .any(|e| e.track == 1 && e.tick == 36 && e.step == 0),
            "{:?}",
            ev.iter()
                .filter(|e| e.track == 1)
                .map(|e| (e.tick, e.step))
                .collect::<Vec<_>>()
        );
    }
}
