//! The device-neutral sequencer: a pure, virtual-time walk over play items.
//!
//! It visits the trig slots of every track in grid order (so conditions see PRE/NEI results
//! as the device would), applies per-track length and scale, arrangement windows and mutes,
//! evaluates conditions and hands out [`StepEvent`]s carrying the step's time with swing and
//! micro-timing. Outputs (MIDI messages in `midi::scheduler`, the local sample engine in
//! `engine`) consume the same events. Nothing here reads a clock.
//!
//! Grid positions are integers in ticks of 1/6 of a 1x step (= MIDI clock ticks at
//! 24 PPQN), which every scale divides exactly; swing and micro-timing are added in seconds.

use super::conditions::{ConditionEngine, TRACKS};
use super::model::{DeviceSetup, SeqPattern, SeqStep};
use super::track_play::{Cue, CueKind, PlayState};
use crate::format::Scale;
use std::collections::VecDeque;
use std::sync::Arc;

/// Ticks per 1x step (also MIDI clocks per step).
pub const TICKS_PER_STEP: u64 = 6;

/// One entry of what to play: a pattern, how often, and at which tempo.
#[derive(Debug, Clone)]
pub struct PlayItem {
    /// The pattern.
    pub pattern: Arc<SeqPattern>,
    /// Passes before moving on; `None` = until stopped.
    pub passes: Option<u32>,
    /// Tempo override (arrangement rows); `None` = project or pattern tempo.
    pub tempo: Option<f64>,
    /// Arrangement-row settings (offset, length, mutes, MIDI transpose).
    pub row: RowOptions,
}

/// What an arrangement row adds to a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowOptions {
    /// First step played (master steps); each pass restarts there.
    pub offset: u16,
    /// Steps played up to (exclusive, including the offset); `None` = the pattern length.
    pub length: Option<u16>,
    /// Tracks (bit per track 0..16) silenced for this item.
    pub muted: u16,
    /// Semitones added to MIDI tracks 1-8.
    pub transpose: [i8; 8],
}

impl RowOptions {
    fn windowed(&self) -> bool {
        self.offset > 0 || self.length.is_some()
    }
}

impl PlayItem {
    /// A chain: each pattern `passes` times, in order, at the project or pattern tempo.
    pub fn chain(patterns: &[Arc<SeqPattern>], passes: u32) -> Vec<Self> {
        patterns
            .iter()
            .map(|p| Self {
                pattern: Arc::clone(p),
                passes: Some(passes.max(1)),
                tempo: None,
                row: RowOptions::default(),
            })
            .collect()
    }
}

/// Ticks of one pass of a play item (the row's window, else the pattern length).
pub fn pass_ticks(item: &PlayItem) -> u64 {
    let p = &item.pattern;
    let master = step_ticks(p.scale);
    let steps = match item.row.length {
        Some(l) => l.saturating_sub(item.row.offset).max(1),
        None => p.master_length().saturating_sub(item.row.offset).max(1),
    };
    steps as u64 * master
}

/// Ticks of one step at a scale.
pub fn step_ticks(scale: Scale) -> u64 {
    match scale {
        Scale::X2 => 3,
        Scale::X3_2 => 4,
        Scale::X1 => 6,
        Scale::X3_4 => 8,
        Scale::X1_2 => 12,
        Scale::X1_4 => 24,
        Scale::X1_8 => 48,
        Scale::Unknown(_) => 6,
    }
}

/// Seconds of one tick at a tempo.
pub fn tick_secs(bpm: f64) -> f64 {
    60.0 / (bpm * 24.0)
}

/// Delay of a swung step, in steps: amount 0..=30 is 50..80 % of a step pair.
pub fn swing_delay_steps(amount: u8) -> f64 {
    let pct = 50.0 + amount.min(30) as f64;
    2.0 * pct / 100.0 - 1.0
}

/// The step [`PlayPosition::steps`] gives a silent track (a free track not started yet or
/// stopped): no row shows it.
pub const SILENT_STEP: u16 = u16::MAX;

/// Where playback is, for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlayPosition {
    /// Index of the play item (pattern in the chain / arrangement row).
    pub item: usize,
    /// Pass of that item (0-based).
    pub pass: u64,
    /// Current step of each track (0-based; [`SILENT_STEP`] for a silent free track).
    pub steps: [u16; TRACKS],
}

/// One step that plays (its condition passed, its track not muted by the row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepEvent {
    /// Seconds from playback start, with swing and micro-timing.
    pub at: f64,
    /// Absolute grid tick of the step's slot (no swing or micro-timing).
    pub tick: u64,
    /// Index of the play item.
    pub item: usize,
    /// Track 0..16 (0..8 audio, 8..16 MIDI).
    pub track: usize,
    /// Step index 0..64 within the track.
    pub step: usize,
    /// Seconds of one step of this track at the current tempo and scale.
    pub step_secs: f64,
    /// The track's pass (0-based).
    pub track_loop: u64,
    /// The pattern's pass (0-based).
    pub pattern_loop: u64,
    /// The step: trig or trigless, locks, repeat / micro-timing / condition word.
    pub data: SeqStep,
}

impl StepEvent {
    /// Number of trigs the step's repeat count plays (1..=8).
    pub fn repeats(&self) -> usize {
        self.data.word.repeats().max(1) as usize
    }

    /// Seconds between repeats: the step divided evenly.
    pub fn spacing(&self) -> f64 {
        self.step_secs / self.repeats() as f64
    }

    /// Time of the `k`-th repeat (0 = the step itself).
    pub fn onset(&self, k: usize) -> f64 {
        self.at + k as f64 * self.spacing()
    }
}

/// What [`Timeline::next`] found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next {
    /// A step that plays.
    Trig(StepEvent),
    /// A grid slot reached that plays nothing (clock outputs advance to it).
    Slot {
        /// Absolute grid tick.
        tick: u64,
    },
    /// The current item ends at this tick (still timed with the item's tempo); the next
    /// call enters the next item.
    ItemEnd {
        /// Absolute grid tick of the end.
        tick: u64,
    },
    /// Nothing more before the horizon.
    Later,
    /// Everything played.
    Finished,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    item: usize,
    start_secs: f64,
    tick_secs: f64,
}

/// The sequencer walk over play items.
#[derive(Debug, Clone)]
pub struct Timeline {
    items: Vec<PlayItem>,
    setup: DeviceSetup,
    item: usize,
    item_start_tick: u64,
    item_start_secs: f64,
    tick: f64,
    pass_ticks: u64,
    slot: [u64; TRACKS],
    finished: bool,
    pending_end: Option<u64>,
    max_step_ticks: u64,
    spans: VecDeque<Span>,
    /// One-shot trigs and tracks that play free (`track_play`).
    play: PlayState,
    /// Hand out recorder-only steps as events too (off by default).
    recorder_events: bool,
    /// Track triggers and re-arms waiting for the walk to reach their time, in time order
    /// (room for [`CUES`] is made up front: adding one never allocates).
    cues: VecDeque<Cue>,
}

/// Cues a walk holds at once (more are refused by [`Timeline::cue`]).
pub const CUES: usize = 64;

impl Timeline {
    /// A walk over play items with the project's tempo settings.
    pub fn new(items: Vec<PlayItem>, setup: DeviceSetup) -> Self {
        let mut s = Self {
            items,
            setup,
            item: 0,
            item_start_tick: 0,
            item_start_secs: 0.0,
            tick: tick_secs(120.0),
            pass_ticks: 96,
            slot: [0; TRACKS],
            finished: false,
            pending_end: None,
            max_step_ticks: 6,
            spans: VecDeque::new(),
            play: PlayState::default(),
            recorder_events: false,
            cues: VecDeque::with_capacity(CUES),
        };
        s.finished = s.items.is_empty();
        if !s.finished {
            s.enter_item(0, 0, 0.0);
        }
        s
    }

    fn enter_item(&mut self, item: usize, start_tick: u64, start_secs: f64) {
        self.item = item;
        self.item_start_tick = start_tick;
        self.item_start_secs = start_secs;
        self.slot = [0; TRACKS];
        let it = &self.items[item];
        let bpm = it
            .tempo
            .unwrap_or_else(|| self.setup.tempo_for(&it.pattern))
            .clamp(20.0, 400.0);
        self.tick = tick_secs(bpm);
        self.pass_ticks = pass_ticks(it);
        self.max_step_ticks = (0..it.pattern.tracks.len())
            .map(|t| step_ticks(it.pattern.track_timing(t).1))
            .max()
            .unwrap_or(6);
        self.spans.push_back(Span {
            item,
            start_secs,
            tick_secs: self.tick,
        });
        let pattern = Arc::clone(&self.items[item].pattern);
        self.play.enter(&pattern);
    }

    /// Also hands out steps that hold only a recorder trig (no trig, no trigless), so an
    /// output can send their note ([`super::track_play::recorder_note`]); off by default.
    pub fn with_recorder_events(mut self, on: bool) -> Self {
        self.recorder_events = on;
        self
    }

    /// Tracks (bit per track) whose sound from the previous item is cut when item `item`
    /// starts: START SILENT of the item's pattern (nothing for the first item).
    pub fn silenced_on_entry(&self, item: usize) -> u16 {
        if item == 0 {
            return 0;
        }
        self.items.get(item).map_or(0, |it| {
            it.pattern
                .tracks
                .iter()
                .take(16)
                .enumerate()
                .filter(|(_, t)| t.play.start_silent)
                .fold(0, |m, (i, _)| m | 1 << i)
        })
    }

    /// The one-shot and free-track state (to re-arm one-shot trigs).
    pub fn play_state(&mut self) -> &mut PlayState {
        &mut self.play
    }

    /// A track trigger (the device's track key, MIDI notes 24-31) at `now` seconds: starts,
    /// restarts or stops a track that plays free, as its TRIG MODE and TRIG QUANT say.
    pub fn trigger_track(&mut self, track: usize, now: f64) {
        if self.finished {
            return;
        }
        let pattern = Arc::clone(&self.items[self.item].pattern);
        let Some(t) = pattern.tracks.get(track) else {
            return;
        };
        let (len, scale) = pattern.track_timing(track);
        let tick = self.item_start_tick
            + ((now - self.item_start_secs) / self.tick).max(0.0).ceil() as u64;
        self.play.trigger(
            &t.play,
            track,
            tick,
            self.item_start_tick,
            step_ticks(scale),
            len as u64,
        );
    }

    /// The trigger of a track is let go at `now` seconds (stops a HOLD track that plays free).
    pub fn release_track(&mut self, track: usize, now: f64) {
        if self.finished {
            return;
        }
        let tick = self.item_start_tick
            + ((now - self.item_start_secs) / self.tick).max(0.0).ceil() as u64;
        if let Some(t) = self.items[self.item].pattern.tracks.get(track) {
            let play = t.play;
            self.play.release(&play, track, tick);
        }
    }

    /// Takes over from `old`, which this walk replaces at `at_secs` of `old`'s time (an
    /// edit swapped in at a pass boundary, this walk's time 0): spent one-shot trigs stay
    /// spent and free tracks keep running (`PlayState::carry`). Only for one looping item
    /// of the same pattern (the tracker's local playback); otherwise nothing is carried.
    /// No allocation.
    pub fn carry_from(&mut self, old: &Timeline, at_secs: f64) {
        let (Some(new), Some(was)) = (self.items.first(), old.items.first()) else {
            return;
        };
        if self.items.len() != 1
            || old.items.len() != 1
            || old.item != 0
            || new.pattern.name != was.pattern.name
            || was.row.windowed()
        {
            return;
        }
        let rel = ((at_secs - old.item_start_secs) / old.tick)
            .max(0.0)
            .round() as u64;
        let at_tick = old.item_start_tick + rel;
        let n = TRACKS
            .min(was.pattern.tracks.len())
            .min(new.pattern.tracks.len());
        for t in 0..n {
            let (_, scale) = was.pattern.track_timing(t);
            let st = step_ticks(scale);
            self.play.carry(
                &old.play,
                t,
                (&was.pattern.tracks[t].play, &new.pattern.tracks[t].play),
                rel.div_ceil(st),
                old.slot[t],
                at_tick,
                st,
            );
        }
    }

    /// Adds a cue (a track trigger, its release or a re-arm), applied when the walk reaches
    /// its time; false (and dropped) when [`CUES`] are already waiting. Never allocates.
    pub fn cue(&mut self, cue: Cue) -> bool {
        if self.cues.len() >= self.cues.capacity().min(CUES) {
            return false;
        }
        let pos = self
            .cues
            .iter()
            .rposition(|c| c.at <= cue.at)
            .map_or(0, |p| p + 1);
        self.cues.insert(pos, cue);
        true
    }

    /// The walk with cues given ahead of time (an offline render of a performance).
    pub fn with_cues(mut self, cues: &[Cue]) -> Self {
        for c in cues {
            self.cue(*c);
        }
        self
    }

    /// Applies a cue now (at its own time).
    fn apply_cue(&mut self, c: Cue) {
        match c.kind {
            CueKind::Trigger => self.trigger_track(c.track, c.at),
            CueKind::Release => self.release_track(c.track, c.at),
            CueKind::Arm => self.play.arm(c.track),
            CueKind::ArmAll => self.play.arm_all(),
        }
    }

    /// Changes the tempo from `now` seconds on: the grid position at `now` stays put,
    /// later slots move.
    pub fn set_tempo(&mut self, bpm: f64, now: f64) {
        let pos = (now - self.item_start_secs) / self.tick;
        self.tick = tick_secs(bpm.clamp(20.0, 400.0));
        self.item_start_secs = now - pos * self.tick;
        if let Some(span) = self.spans.back_mut() {
            span.start_secs = self.item_start_secs;
            span.tick_secs = self.tick;
        }
    }

    /// The current tempo in BPM.
    pub fn tempo(&self) -> f64 {
        60.0 / (self.tick * 24.0)
    }

    /// True when every item has played.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Stops the walk: nothing more is handed out.
    pub fn stop(&mut self) {
        self.finished = true;
    }

    /// The play items.
    pub fn items(&self) -> &[PlayItem] {
        &self.items
    }

    /// The device settings the tempo comes from.
    pub fn setup(&self) -> &DeviceSetup {
        &self.setup
    }

    /// Replaces the device settings (items entered later take their tempo from them).
    pub fn set_setup(&mut self, setup: DeviceSetup) {
        self.setup = setup;
    }

    /// Replaces the pattern of every item playing one named like `pattern` (`A01`), for an
    /// edit made while playing: the walk goes on where it is and reads the new steps from
    /// the next slot on. True when an item plays it.
    pub fn replace_pattern(&mut self, pattern: &Arc<SeqPattern>) -> bool {
        let mut found = false;
        for (i, it) in self.items.iter_mut().enumerate() {
            if it.pattern.name != pattern.name {
                continue;
            }
            it.pattern = Arc::clone(pattern);
            found = true;
            if i == self.item {
                self.pass_ticks = pass_ticks(it);
                self.max_step_ticks = (0..pattern.tracks.len())
                    .map(|t| step_ticks(pattern.track_timing(t).1))
                    .max()
                    .unwrap_or(6);
            }
        }
        found
    }

    /// Seconds of an absolute tick position in the current item.
    pub fn secs_of(&self, tick: u64) -> f64 {
        self.item_start_secs + (tick as f64 - self.item_start_tick as f64) * self.tick
    }

    /// The tick the walk has reached at its end (meaningful once finished).
    pub fn end_tick(&self) -> u64 {
        self.item_start_tick
    }

    fn item_end_tick(&self) -> Option<u64> {
        self.items[self.item]
            .passes
            .map(|p| self.item_start_tick + p.max(1) as u64 * self.pass_ticks)
    }

    fn close_item(&mut self, end: u64, conditions: &mut ConditionEngine) {
        let next = self.item + 1;
        let start_secs = self.secs_of(end);
        if next < self.items.len() {
            conditions.reset();
            self.enter_item(next, end, start_secs);
        } else {
            self.item_start_secs = start_secs;
            self.item_start_tick = end;
            self.finished = true;
        }
    }

    /// The next slot whose grid time is before `until` seconds plus two of the longest
    /// steps (so negative micro-timing and swing land in order); conditions are evaluated
    /// with `conditions` (reset when an item starts).
    pub fn next(&mut self, until: f64, conditions: &mut ConditionEngine) -> Next {
        if let Some(end) = self.pending_end.take() {
            self.close_item(end, conditions);
        }
        if self.finished {
            return Next::Finished;
        }
        let pattern = Arc::clone(&self.items[self.item].pattern);
        // The track whose next slot comes first (ties: lower track first).
        let mut best: Option<(u64, usize)> = None;
        for t in 0..pattern.tracks.len().min(TRACKS) {
            let (_, scale) = pattern.track_timing(t);
            let at = self.item_start_tick + self.slot[t] * step_ticks(scale);
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, t));
            }
        }
        let Some((tick, track)) = best else {
            self.finished = true;
            return Next::Finished;
        };
        if let Some(end) = self.item_end_tick()
            && tick >= end
        {
            self.pending_end = Some(end);
            return Next::ItemEnd { tick: end };
        }
        let (len, scale) = pattern.track_timing(track);
        let st = step_ticks(scale);
        if self.secs_of(tick) - 2.0 * self.max_step_ticks as f64 * self.tick >= until {
            return Next::Later;
        }
        // Cues due by this slot's time apply before it is walked.
        let slot_secs = self.secs_of(tick);
        while let Some(c) = self.cues.front().copied()
            && c.at <= slot_secs + 1e-9
        {
            self.cues.pop_front();
            self.apply_cue(c);
        }
        let slot = self.slot[track];
        self.slot[track] += 1;
        let in_item = tick - self.item_start_tick;
        let pattern_loop = in_item / self.pass_ticks;
        let row = self.items[self.item].row;
        let (step_idx, track_loop) = if row.windowed() {
            // Each pass replays the row's window, starting at its offset.
            let grid = row.offset as u64 * step_ticks(pattern.scale) + in_item % self.pass_ticks;
            (((grid / st) % len as u64) as usize, pattern_loop)
        } else {
            ((slot % len as u64) as usize, slot / len as u64)
        };
        let t = &pattern.tracks[track];
        // Tracks that play free run on their own position (or are silent).
        let Some((step_idx, track_loop)) = self.play.locate(
            &t.play,
            track,
            slot,
            tick,
            len as u64,
            (step_idx, track_loop),
        ) else {
            return Next::Slot { tick };
        };
        let Some(step) = t.steps.get(step_idx) else {
            return Next::Slot { tick };
        };
        if !step.trig && !step.trigless {
            if self.recorder_events && step.recorder & 7 != 0 && row.muted & (1 << track) == 0 {
                let step_secs = st as f64 * self.tick;
                return Next::Trig(StepEvent {
                    at: self.secs_of(tick),
                    tick,
                    item: self.item,
                    track,
                    step: step_idx,
                    step_secs,
                    track_loop,
                    pattern_loop,
                    data: *step,
                });
            }
            return Next::Slot { tick };
        }
        if !conditions.evaluate(track, step.word.condition(), track_loop, pattern_loop)
            || row.muted & (1 << track) != 0
        {
            return Next::Slot { tick };
        }
        // A one-shot trig plays once until re-armed.
        if step.oneshot && !self.play.take_oneshot(track, step_idx, slot) {
            return Next::Slot { tick };
        }
        let step_secs = st as f64 * self.tick;
        let mut at = self.secs_of(tick);
        if step.swing {
            at += swing_delay_steps(t.swing_amount) * step_secs;
        }
        at += step.word.micro_timing().0 as f64 / 24.0 * step_secs;
        Next::Trig(StepEvent {
            at,
            tick,
            item: self.item,
            track,
            step: step_idx,
            step_secs,
            track_loop,
            pattern_loop,
            data: *step,
        })
    }

    /// Every step event up to `until` seconds (all of them for finite items and
    /// `f64::INFINITY`), sorted by time (ties: track order, then grid order).
    pub fn collect(&mut self, until: f64, conditions: &mut ConditionEngine) -> Vec<StepEvent> {
        let mut v = Vec::new();
        loop {
            match self.next(until, conditions) {
                Next::Trig(e) => v.push(e),
                Next::Slot { .. } | Next::ItemEnd { .. } => {}
                Next::Later | Next::Finished => break,
            }
        }
        v.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.track.cmp(&b.track)));
        v
    }

    /// The fractional step position of a track at `now` seconds (for live recording).
    pub fn track_position(&mut self, now: f64, track: usize) -> Option<f64> {
        self.position_at(now);
        let span = self.spans.front().copied()?;
        let pattern = &self.items.get(span.item)?.pattern;
        let (len, scale) = pattern.track_timing(track);
        let steps = (now - span.start_secs) / span.tick_secs / step_ticks(scale) as f64;
        Some(steps.rem_euclid(len as f64))
    }

    /// The play position at `now` seconds.
    pub fn position_at(&mut self, now: f64) -> PlayPosition {
        while self.spans.len() > 1 && self.spans[1].start_secs <= now {
            self.spans.pop_front();
        }
        let Some(span) = self.spans.front().copied() else {
            return PlayPosition::default();
        };
        let pattern = &self.items[span.item].pattern;
        let ticks = ((now - span.start_secs).max(0.0) / span.tick_secs) as u64;
        let item = &self.items[span.item];
        let pass_ticks = pass_ticks(item);
        let grid = if item.row.windowed() {
            item.row.offset as u64 * step_ticks(pattern.scale) + ticks % pass_ticks
        } else {
            ticks
        };
        let mut steps = [0u16; TRACKS];
        for (t, s) in steps.iter_mut().enumerate().take(pattern.tracks.len()) {
            let (len, scale) = pattern.track_timing(t);
            *s = ((grid / step_ticks(scale)) % len as u64) as u16;
            // A track that plays free shows its own step ([`SILENT_STEP`] while silent).
            if span.item == self.item
                && !item.row.windowed()
                && let Some(free) = self.play.free_step(
                    &pattern.tracks[t].play,
                    t,
                    ticks / step_ticks(scale),
                    len as u64,
                )
            {
                *s = free.unwrap_or(SILENT_STEP);
            }
        }
        PlayPosition {
            item: span.item,
            pass: ticks / pass_ticks,
            steps,
        }
    }

    /// Seconds from start at which playback ends (after the last item), once known.
    pub fn end_secs(&self) -> Option<f64> {
        (self.finished && self.pending_end.is_none()).then_some(self.item_start_secs)
    }
}
