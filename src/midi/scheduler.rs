//! The playback scheduler: a pure, virtual-time sequencer.
//!
//! It walks the trig slots of every track in time order (so conditions see PRE/NEI results
//! as the device would), renders them with swing, micro-timing and retrigs, and hands out
//! messages sorted by time. Time is seconds since playback start; nothing here reads a
//! clock, so tests compute exact schedules.
//!
//! Grid positions are integers in ticks of 1/6 of a 1x step (= MIDI clock ticks at
//! 24 PPQN), which every scale divides exactly; swing and micro-timing are added in seconds.

use super::conditions::{ConditionEngine, TRACKS};
use super::message::{CLOCK, ShortMsg};
use super::model::{DeviceSetup, SeqPattern};
use super::render::{MsgRole, Renderer, TimedMsg};
use crate::format::Scale;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};
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
            })
            .collect()
    }
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

/// Where playback is, for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlayPosition {
    /// Index of the play item (pattern in the chain / arrangement row).
    pub item: usize,
    /// Pass of that item (0-based).
    pub pass: u64,
    /// Current step of each track (0-based).
    pub steps: [u16; TRACKS],
}

#[derive(Debug, Clone, Copy)]
struct Span {
    item: usize,
    start_secs: f64,
    tick_secs: f64,
}

#[derive(Debug, Clone, Copy)]
struct Queued(TimedMsg, u64);

impl PartialEq for Queued {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Queued {
    fn cmp(&self, o: &Self) -> Ordering {
        // Microsecond resolution so positions computed two ways compare equal.
        let a = (self.0.at * 1e6).round() as i64;
        let b = (o.0.at * 1e6).round() as i64;
        a.cmp(&b)
            .then(self.0.role.cmp(&o.0.role))
            .then(self.1.cmp(&o.1))
    }
}

/// A time-ordered queue of messages (same-instant ties: note offs, restores, setup,
/// locks, note ons, then realtime; then insertion order).
#[derive(Debug, Default)]
pub struct MsgQueue {
    heap: BinaryHeap<Reverse<Queued>>,
    seq: u64,
}

impl MsgQueue {
    /// Adds a message.
    pub fn push(&mut self, m: TimedMsg) {
        self.seq += 1;
        self.heap.push(Reverse(Queued(m, self.seq)));
    }
    /// Time of the earliest message.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(|Reverse(q)| q.0.at)
    }
    /// Removes and returns the earliest message if it is due at `now`.
    pub fn pop_due(&mut self, now: f64) -> Option<TimedMsg> {
        match self.heap.peek() {
            Some(Reverse(q)) if q.0.at <= now => self.heap.pop().map(|Reverse(q)| q.0),
            _ => None,
        }
    }
    /// Whether the queue is empty.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
    /// Removes everything, returning the note offs and restores in time order.
    pub fn drain_releases(&mut self) -> Vec<TimedMsg> {
        let mut v = Vec::new();
        while let Some(Reverse(q)) = self.heap.pop() {
            if matches!(q.0.role, MsgRole::NoteOff | MsgRole::Restore) {
                v.push(q.0);
            }
        }
        v
    }
}

/// The sequencer.
pub struct Sequencer {
    items: Vec<PlayItem>,
    renderer: Renderer,
    /// Trig conditions (set `conditions.fill` for FILL).
    pub conditions: ConditionEngine,
    /// Send MIDI clock (F8) at 24 PPQN.
    pub send_clock: bool,
    item: usize,
    item_start_tick: u64,
    item_start_secs: f64,
    tick: f64,
    pass_ticks: u64,
    slot: [u64; TRACKS],
    next_clock: u64,
    finished: bool,
    max_step_ticks: u64,
    queue: MsgQueue,
    spans: VecDeque<Span>,
    scratch: Vec<TimedMsg>,
}

impl Sequencer {
    /// A sequencer over play items; `seed` seeds the probability conditions.
    pub fn new(items: Vec<PlayItem>, setup: DeviceSetup, seed: u64) -> Self {
        let mut s = Self {
            items,
            renderer: Renderer::new(setup),
            conditions: ConditionEngine::new(seed),
            send_clock: false,
            item: 0,
            item_start_tick: 0,
            item_start_secs: 0.0,
            tick: tick_secs(120.0),
            pass_ticks: 96,
            slot: [0; TRACKS],
            next_clock: 0,
            finished: false,
            max_step_ticks: 6,
            queue: MsgQueue::default(),
            spans: VecDeque::new(),
            scratch: Vec::with_capacity(256),
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
        self.conditions.reset();
        let it = &self.items[item];
        let bpm = it
            .tempo
            .unwrap_or_else(|| self.renderer.setup.tempo_for(&it.pattern))
            .clamp(20.0, 400.0);
        self.tick = tick_secs(bpm);
        self.pass_ticks = (it.pattern.master_length() as u64 * step_ticks(it.pattern.scale)).max(1);
        self.max_step_ticks = (0..it.pattern.tracks.len())
            .map(|t| step_ticks(it.pattern.track_timing(t).1))
            .max()
            .unwrap_or(6);
        self.spans.push_back(Span {
            item,
            start_secs,
            tick_secs: self.tick,
        });
    }

    /// Changes the tempo from `now` seconds on (following a clock or the user): the grid
    /// position at `now` stays put, later slots move. Messages already rendered (at most
    /// two steps ahead) keep their times.
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

    /// True when every item has played and every message was handed out.
    pub fn is_finished(&self) -> bool {
        self.finished && self.queue.is_empty()
    }

    /// The play items.
    pub fn items(&self) -> &[PlayItem] {
        &self.items
    }

    /// Seconds of an absolute tick position, using the span it falls in.
    fn secs_of(&self, tick: u64) -> f64 {
        self.item_start_secs + (tick as f64 - self.item_start_tick as f64) * self.tick
    }

    fn item_end_tick(&self) -> Option<u64> {
        self.items[self.item]
            .passes
            .map(|p| self.item_start_tick + p.max(1) as u64 * self.pass_ticks)
    }

    /// Renders every trig slot whose grid time is before `until` seconds plus one step
    /// (so negative micro-timing and swing land in order).
    pub fn fill_until(&mut self, until: f64) {
        while !self.finished {
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
                break;
            };
            if let Some(end) = self.item_end_tick()
                && tick >= end
            {
                self.finish_item(end);
                continue;
            }
            let (len, scale) = pattern.track_timing(track);
            let st = step_ticks(scale);
            if self.secs_of(tick) - 2.0 * self.max_step_ticks as f64 * self.tick >= until {
                break;
            }
            self.emit_clock_until(tick);
            let slot = self.slot[track];
            self.slot[track] += 1;
            let step_idx = (slot % len as u64) as usize;
            let track_loop = slot / len as u64;
            let pattern_loop = (tick - self.item_start_tick) / self.pass_ticks;
            let t = &pattern.tracks[track];
            let Some(step) = t.steps.get(step_idx) else {
                continue;
            };
            if !step.trig && !step.trigless {
                continue;
            }
            if !self
                .conditions
                .evaluate(track, step.word.condition(), track_loop, pattern_loop)
            {
                continue;
            }
            let step_secs = st as f64 * self.tick;
            let mut at = self.secs_of(tick);
            if step.swing {
                at += swing_delay_steps(t.swing_amount) * step_secs;
            }
            at += step.word.micro_timing().0 as f64 / 24.0 * step_secs;
            let mut scratch = std::mem::take(&mut self.scratch);
            scratch.clear();
            let _ = self
                .renderer
                .render(&pattern, track, step, at, step_secs, &mut scratch);
            for m in scratch.drain(..) {
                self.push(m);
            }
            self.scratch = scratch;
        }
        if self.finished {
            let end = self.item_start_tick;
            self.emit_clock_until(end);
        }
    }

    fn finish_item(&mut self, end: u64) {
        let next = self.item + 1;
        let start_secs = self.secs_of(end);
        if next < self.items.len() {
            self.emit_clock_until(end);
            self.enter_item(next, end, start_secs);
        } else {
            self.emit_clock_until(end);
            self.item_start_secs = start_secs;
            self.item_start_tick = end;
            self.finished = true;
        }
    }

    fn emit_clock_until(&mut self, tick: u64) {
        if !self.send_clock {
            self.next_clock = tick;
            return;
        }
        while self.next_clock < tick {
            let at = self.secs_of(self.next_clock);
            self.push(TimedMsg {
                at,
                role: MsgRole::Realtime,
                track: 255,
                msg: ShortMsg::realtime(CLOCK),
            });
            self.next_clock += 1;
        }
    }

    fn push(&mut self, m: TimedMsg) {
        self.queue.push(m);
    }

    /// Time of the next message, rendering ahead as needed.
    pub fn peek_time(&mut self, horizon: f64) -> Option<f64> {
        self.fill_until(horizon);
        self.queue.peek_time()
    }

    /// Hands out, in order, the next message due at or before `now` seconds.
    pub fn pop_due(&mut self, now: f64) -> Option<TimedMsg> {
        self.fill_until(now);
        self.queue.pop_due(now)
    }

    /// Stops: drops what is pending and returns the note offs and restores still owed.
    pub fn drain_releases(&mut self) -> Vec<TimedMsg> {
        self.finished = true;
        self.queue.drain_releases()
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

    /// Renders everything up to `until` seconds and returns it in order (for tests and tools).
    pub fn collect_until(&mut self, until: f64) -> Vec<TimedMsg> {
        let mut v = Vec::new();
        while let Some(m) = self.pop_due(until) {
            v.push(m);
        }
        v
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
        let pass_ticks = (pattern.master_length() as u64 * step_ticks(pattern.scale)).max(1);
        let mut steps = [0u16; TRACKS];
        for (t, s) in steps.iter_mut().enumerate().take(pattern.tracks.len()) {
            let (len, scale) = pattern.track_timing(t);
            *s = ((ticks / step_ticks(scale)) % len as u64) as u16;
        }
        PlayPosition {
            item: span.item,
            pass: ticks / pass_ticks,
            steps,
        }
    }

    /// Seconds from start at which playback ends (after the last item), once known.
    pub fn end_secs(&self) -> Option<f64> {
        self.finished.then_some(self.item_start_secs)
    }
}
