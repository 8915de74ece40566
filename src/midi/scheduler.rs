//! The MIDI output of the sequencer: turns the neutral step events of
//! [`crate::seq::timeline::Timeline`] into timed messages (notes, locks, clock).
//!
//! Time is seconds since playback start; nothing here reads a clock, so tests compute
//! exact schedules. The timing types live in `seq` and are re-exported here.

use super::message::{CLOCK, ShortMsg};
use super::model::DeviceSetup;
use super::render::{MsgRole, Renderer, TimedMsg};
use crate::seq::conditions::ConditionEngine;
use crate::seq::timeline::{Next, Timeline};
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::Arc;

pub use crate::seq::timeline::{
    PlayItem, PlayPosition, RowOptions, TICKS_PER_STEP, step_ticks, swing_delay_steps, tick_secs,
};

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
    timeline: Timeline,
    renderer: Renderer,
    /// Trig conditions (set `conditions.fill` for FILL).
    pub conditions: ConditionEngine,
    /// Send MIDI clock (F8) at 24 PPQN.
    pub send_clock: bool,
    next_clock: u64,
    queue: MsgQueue,
    scratch: Vec<TimedMsg>,
}

impl Sequencer {
    /// A sequencer over play items; `seed` seeds the probability conditions.
    pub fn new(items: Vec<PlayItem>, setup: DeviceSetup, seed: u64) -> Self {
        Self {
            // Recorder trigs go out as the standard note map's recorder notes (60-63).
            timeline: Timeline::new(items, setup).with_recorder_events(true),
            renderer: Renderer::new(setup),
            conditions: ConditionEngine::new(seed),
            send_clock: false,
            next_clock: 0,
            queue: MsgQueue::default(),
            scratch: Vec::with_capacity(256),
        }
    }

    /// Changes the tempo from `now` seconds on (following a clock or the user): the grid
    /// position at `now` stays put, later slots move. Messages already rendered (at most
    /// two steps ahead) keep their times.
    pub fn set_tempo(&mut self, bpm: f64, now: f64) {
        self.timeline.set_tempo(bpm, now);
    }

    /// The current tempo in BPM.
    pub fn tempo(&self) -> f64 {
        self.timeline.tempo()
    }

    /// A track trigger, its release or a re-arm ([`crate::seq::track_play::Cue`]), applied
    /// by the walk at the first slot at or after its time not yet rendered; false when too
    /// many are waiting.
    pub fn cue(&mut self, cue: crate::seq::track_play::Cue) -> bool {
        self.timeline.cue(cue)
    }

    /// [`Sequencer::new`] with cues given ahead of time (a scripted performance).
    pub fn with_cues(mut self, cues: &[crate::seq::track_play::Cue]) -> Self {
        for c in cues {
            self.timeline.cue(*c);
        }
        self
    }

    /// Replaces the device settings: items entered later take their tempo from them (the
    /// running item's tempo is changed with [`Sequencer::set_tempo`]).
    pub fn set_setup(&mut self, setup: DeviceSetup) {
        self.timeline.set_setup(setup);
    }

    /// Replaces a pattern being played (same name, e.g. `A01`) by its edited version: steps
    /// not yet rendered (more than about two steps ahead) play the new one. True when it
    /// is being played.
    pub fn replace_pattern(&mut self, pattern: &Arc<super::model::SeqPattern>) -> bool {
        self.timeline.replace_pattern(pattern)
    }

    /// True when every item has played and every message was handed out.
    pub fn is_finished(&self) -> bool {
        self.timeline.is_finished() && self.queue.is_empty()
    }

    /// The play items.
    pub fn items(&self) -> &[PlayItem] {
        self.timeline.items()
    }

    /// Renders every trig slot whose grid time is before `until` seconds plus one step
    /// (so negative micro-timing and swing land in order).
    pub fn fill_until(&mut self, until: f64) {
        loop {
            match self.timeline.next(until, &mut self.conditions) {
                Next::Later => break,
                Next::Finished => {
                    let end = self.timeline.end_tick();
                    self.emit_clock_until(end);
                    break;
                }
                Next::Slot { tick } | Next::ItemEnd { tick } => self.emit_clock_until(tick),
                Next::Trig(ev) => {
                    self.emit_clock_until(ev.tick);
                    let Some(item) = self.timeline.items().get(ev.item) else {
                        continue;
                    };
                    let pattern = Arc::clone(&item.pattern);
                    self.renderer.transpose = item.row.transpose;
                    let mut scratch = std::mem::take(&mut self.scratch);
                    scratch.clear();
                    let _ = self.renderer.render(
                        &pattern,
                        ev.track,
                        &ev.data,
                        ev.at,
                        ev.step_secs,
                        &mut scratch,
                    );
                    for m in scratch.drain(..) {
                        self.push(m);
                    }
                    self.scratch = scratch;
                    self.recorder_note(&ev);
                }
            }
        }
    }

    /// A recorder trig of an audio track: its note on the standard note map (60 combo, 61 INAB,
    /// 62 INCD, 63 SRC3) on the track's trig channel, for half a step.
    fn recorder_note(&mut self, ev: &crate::seq::timeline::StepEvent) {
        let Some(note) = crate::seq::track_play::recorder_note(&ev.data) else {
            return;
        };
        let Some(ch) = (ev.track < 8)
            .then(|| self.renderer.setup.audio_channel(ev.track))
            .flatten()
        else {
            return;
        };
        let track = ev.track as u8;
        self.push(TimedMsg {
            at: ev.at,
            role: MsgRole::NoteOn,
            track,
            msg: ShortMsg::note_on(ch, note, 100),
        });
        self.push(TimedMsg {
            at: ev.at + ev.step_secs / 2.0,
            role: MsgRole::NoteOff,
            track,
            msg: ShortMsg::note_off(ch, note),
        });
    }

    fn emit_clock_until(&mut self, tick: u64) {
        if !self.send_clock {
            self.next_clock = tick;
            return;
        }
        while self.next_clock < tick {
            let at = self.timeline.secs_of(self.next_clock);
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
        self.timeline.stop();
        self.queue.drain_releases()
    }

    /// The fractional step position of a track at `now` seconds (for live recording).
    pub fn track_position(&mut self, now: f64, track: usize) -> Option<f64> {
        self.timeline.track_position(now, track)
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
        self.timeline.position_at(now)
    }

    /// Seconds from start at which playback ends (after the last item), once known.
    pub fn end_secs(&self) -> Option<f64> {
        self.timeline.end_secs()
    }
}
