//! The real-time engine: the same sequencer events and voices as the offline renderer,
//! run block by block inside the audio callback with state allocated beforehand.
//!
//! [`live_pair`] gives the two ends: the [`LiveEngine`] (moved into the device callback,
//! which calls [`LiveEngine::process_add`]) and the [`LiveControl`] (kept by the UI).
//! Commands (play, play from a step, stop, mute, solo, crossfader, a new snapshot of the
//! edited pattern, new samples, audition) travel through a lock-free rtrb queue; whatever
//! the engine lets go of (a song, a sample set) comes back through a second queue and is
//! freed on the control side. The control side also keeps every sample it ever sent, so
//! the callback never drops the last reference to one. In the callback nothing
//! allocates, locks or does I/O: queues, voices and delay lines are allocated when the
//! pair is made, songs ([`Song::new`]) on the control side.
//!
//! An edited snapshot ([`LiveControl::swap`]) is heard from the next pass of the playing
//! pattern: at that boundary the old song's pending steps are dropped and the new song
//! starts. Rendering is sample-exact: the same events give the same frames as
//! [`super::render`] (checked by `tests/engine_live.rs`).

use super::fx::FxBlock;
use super::lfo::TrackLfo;
use super::render::{AUDIO_TRACKS, MASTER, Trigger, event_triggers, frames_of};
use super::sample::Samples;
use super::voice::Voice;
use super::{SAMPLE_RATE, laws};
use crate::format::MachineType;
use crate::seq::conditions::ConditionEngine;
use crate::seq::model::DeviceSetup;
use crate::seq::timeline::{Next, PlayItem, Timeline, pass_ticks, tick_secs};
use crate::seq::track_play::{Cue, CueKind};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU32, AtomicU64, Ordering};

/// Frames rendered per internal block (a callback of more frames runs several blocks).
pub const MAX_BLOCK: usize = 256;
/// Pending sample starts per track (retrigs included); more are dropped and counted.
const QUEUE: usize = 4096;
/// Step events pulled ahead of time per song.
const HELD: usize = 1024;
/// Commands waiting for the callback.
const COMMANDS: usize = 64;

/// A snapshot of what to play, made on the control side ([`Song::new`]): the play items
/// with their sequencer walk, conditions and the settings the tracks start with.
pub struct Song {
    timeline: Timeline,
    conditions: ConditionEngine,
    held: Vec<stepbuf::Held>,
    /// Engine frame of the song's time 0 (negative when playing from a step at once).
    origin: i64,
    /// Events before this time (seconds) are skipped (play from a step).
    skip: f64,
    /// End of playback in seconds (infinite for items that repeat until stopped).
    end: f64,
    /// One pass of the first item, in seconds (edits swap in on its multiples).
    pass_secs: f64,
    /// FX types and values each track starts with (the first item's part).
    first_fx: [[(u8, [u8; 6]); 2]; AUDIO_TRACKS],
    /// Machines of the first item's part (Neighbor routing).
    machines: [MachineType; AUDIO_TRACKS],
    step_secs: f64,
    finished: bool,
    /// T8 is the master track (the project's `MASTER_TRACK`).
    master: bool,
}

mod stepbuf {
    /// A step event waiting for its block.
    pub(super) type Held = crate::seq::timeline::StepEvent;
}

impl std::fmt::Debug for Song {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Song")
            .field("end", &self.end)
            .field("pass_secs", &self.pass_secs)
            .finish_non_exhaustive()
    }
}

impl Song {
    /// A song over play items (allocates; call on the control side). `from_secs` skips
    /// what comes before (play from a step); `seed` and `fill` as in the offline render.
    pub fn new(
        items: Vec<PlayItem>,
        setup: DeviceSetup,
        seed: u64,
        fill: bool,
        from_secs: f64,
    ) -> Self {
        let endless = items.iter().any(|i| i.passes.is_none());
        // The end of finite items, from a walk of a copy (as the offline planner finds it).
        let end = if endless || items.is_empty() {
            f64::INFINITY
        } else {
            let mut walk = Timeline::new(items.clone(), setup);
            let mut c = ConditionEngine::new(seed);
            c.fill = fill;
            walk.collect(f64::INFINITY, &mut c);
            walk.end_secs().unwrap_or(f64::INFINITY)
        };
        let first = items.first();
        let pass_secs = first.map_or(f64::INFINITY, |i| {
            let bpm = i.tempo.unwrap_or_else(|| setup.tempo_for(&i.pattern));
            pass_ticks(i) as f64 * tick_secs(bpm.clamp(20.0, 400.0))
        });
        let step_secs = first.map_or(0.125, |i| 60.0 / setup.tempo_for(&i.pattern) / 4.0);
        let mut first_fx = [[(0u8, [0u8; 6]); 2]; AUDIO_TRACKS];
        let mut machines = [MachineType::Flex; AUDIO_TRACKS];
        if let Some(i) = first {
            for t in 0..AUDIO_TRACKS {
                let p = &i.pattern.part.audio[t];
                let six = |o: usize| {
                    let mut a = [0u8; 6];
                    a.copy_from_slice(&p.values[o..o + 6]);
                    a
                };
                first_fx[t] = [(p.fx1, six(18)), (p.fx2, six(24))];
                machines[t] = p.machine;
            }
        }
        let mut conditions = ConditionEngine::new(seed);
        conditions.fill = fill;
        let mut timeline = Timeline::new(items, setup);
        // Warm the walk's bookkeeping so that the callback's first steps find room.
        timeline.position_at(0.0);
        Self {
            timeline,
            conditions,
            held: Vec::with_capacity(HELD),
            origin: 0,
            skip: from_secs.max(0.0),
            end,
            pass_secs: if pass_secs > 0.0 {
                pass_secs
            } else {
                f64::INFINITY
            },
            first_fx,
            machines,
            step_secs,
            finished: false,
            master: setup.master_track,
        }
    }

    /// Seconds of one pass of the first item.
    pub fn pass_secs(&self) -> f64 {
        self.pass_secs
    }

    /// The play items.
    pub fn items(&self) -> &[PlayItem] {
        self.timeline.items()
    }
}

/// A command to the engine.
enum Command {
    Play(Box<Song>),
    Stop,
    Swap(Box<Song>),
    Samples(Box<Samples>),
    Audition(Box<Song>),
    Mute(u8),
    Solo(u8),
    Crossfader(Option<u8>),
    Cue(CueKind, u8),
}

/// Something the engine let go of, to be freed on the control side.
enum Retired {
    Song(#[allow(dead_code, reason = "held only to be dropped off the audio thread")] Box<Song>),
    Samples(
        #[allow(dead_code, reason = "held only to be dropped off the audio thread")] Box<Samples>,
    ),
}

/// What the engine reports (atomics only).
#[derive(Debug, Default)]
pub struct LiveStatus {
    playing: AtomicBool,
    /// Song time in seconds (f64 bits) at the end of the last block.
    song_secs: AtomicU64,
    /// Frames rendered since the pair was made.
    frames: AtomicU64,
    /// Engine frame of the first non-silent output after the last play.
    first_sound: AtomicU64,
    /// Sample starts dropped because a track's queue was full.
    dropped: AtomicU64,
    /// The playhead: the step of each of the 16 tracks at the end of the last block
    /// ([`crate::seq::timeline::SILENT_STEP`] for a silent free track).
    steps: [AtomicU16; 16],
    /// The play item of the playhead.
    item: AtomicU32,
    /// Cues refused because the walk's cue queue was full or nothing played.
    cues_dropped: AtomicU64,
}

impl LiveStatus {
    /// Whether a song plays.
    pub fn playing(&self) -> bool {
        self.playing.load(Ordering::Acquire)
    }

    /// The song's time in seconds (for the playhead).
    pub fn song_secs(&self) -> f64 {
        f64::from_bits(self.song_secs.load(Ordering::Relaxed))
    }

    /// Frames the engine has rendered.
    pub fn frames(&self) -> u64 {
        self.frames.load(Ordering::Relaxed)
    }

    /// Sample starts dropped because a queue was full (0 in normal use).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// The playhead while playing: the play item and the step of every track (0-based;
    /// [`crate::seq::timeline::SILENT_STEP`] for a free track that is silent). Lock-free:
    /// the callback publishes it after each block.
    pub fn playhead(&self) -> Option<(usize, [u16; 16])> {
        if !self.playing() {
            return None;
        }
        let steps = std::array::from_fn(|t| self.steps[t].load(Ordering::Relaxed));
        Some((self.item.load(Ordering::Relaxed) as usize, steps))
    }

    /// Track triggers and re-arms refused (no song playing, or too many at once).
    pub fn cues_dropped(&self) -> u64 {
        self.cues_dropped.load(Ordering::Relaxed)
    }
}

/// The callback's end: call [`LiveEngine::process_add`] with each device buffer.
pub struct LiveEngine {
    commands: rtrb::Consumer<Command>,
    trash: rtrb::Producer<Retired>,
    status: Arc<LiveStatus>,
    samples: Box<Samples>,
    song: Option<Box<Song>>,
    pending: Option<(usize, Box<Song>)>,
    audition: Option<Box<Song>>,
    tracks: Vec<TrackState>,
    bufs: Vec<[[f32; 2]; MAX_BLOCK]>,
    mix: Box<[[f32; 2]; MAX_BLOCK]>,
    frame: usize,
    mute: u8,
    solo: u8,
    crossfader: Option<u8>,
    machines: [MachineType; AUDIO_TRACKS],
    master: bool,
    wait_sound: bool,
}

impl std::fmt::Debug for LiveEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveEngine")
            .field("frame", &self.frame)
            .finish_non_exhaustive()
    }
}

struct TrackState {
    queue: VecDeque<Trigger>,
    voice: Option<Voice>,
    fx: [FxBlock; 2],
    lfo: TrackLfo,
}

/// The control side: sends commands, frees what comes back, reads the status.
pub struct LiveControl {
    commands: rtrb::Producer<Command>,
    trash: rtrb::Consumer<Retired>,
    status: Arc<LiveStatus>,
    keep: Vec<Arc<super::sample::Sample>>,
}

impl std::fmt::Debug for LiveControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveControl").finish_non_exhaustive()
    }
}

/// Why a command did not reach the engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// The command queue is full (the callback is not running).
    #[error("the audio engine is not taking commands (queue full: is the output running?)")]
    Full,
    /// The engine is gone (its output stopped).
    #[error("the audio engine has stopped (the output closed)")]
    Gone,
}

/// A new engine and its control, for output at the engine rate (44.1 kHz).
pub fn live_pair() -> (LiveEngine, LiveControl) {
    let (ctx, crx) = rtrb::RingBuffer::new(COMMANDS);
    let (ttx, trx) = rtrb::RingBuffer::new(COMMANDS * 2);
    let status = Arc::new(LiveStatus::default());
    let tracks = (0..AUDIO_TRACKS)
        .map(|_| TrackState {
            queue: VecDeque::with_capacity(QUEUE),
            voice: None,
            fx: [FxBlock::preallocated(), FxBlock::preallocated()],
            lfo: TrackLfo::default(),
        })
        .collect();
    let engine = LiveEngine {
        commands: crx,
        trash: ttx,
        status: status.clone(),
        samples: Box::default(),
        song: None,
        pending: None,
        audition: None,
        tracks,
        bufs: vec![[[0.0; 2]; MAX_BLOCK]; AUDIO_TRACKS],
        mix: Box::new([[0.0; 2]; MAX_BLOCK]),
        frame: 0,
        mute: 0,
        solo: 0,
        crossfader: None,
        machines: [MachineType::Flex; AUDIO_TRACKS],
        master: false,
        wait_sound: false,
    };
    let control = LiveControl {
        commands: ctx,
        trash: trx,
        status,
        keep: Vec::new(),
    };
    (engine, control)
}

impl LiveControl {
    fn send(&mut self, c: Command) -> Result<(), LiveError> {
        self.collect();
        if self.commands.is_abandoned() {
            return Err(LiveError::Gone);
        }
        self.commands.push(c).map_err(|_| LiveError::Full)
    }

    /// Frees what the engine let go of (call now and then; every command does).
    pub fn collect(&mut self) {
        while self.trash.pop().is_ok() {}
    }

    /// Whether the engine's end has been dropped (its output closed).
    pub fn is_gone(&self) -> bool {
        self.commands.is_abandoned()
    }

    /// The engine's status.
    pub fn status(&self) -> &LiveStatus {
        &self.status
    }

    /// Plays a song from its start (or its `from_secs`), stopping what played.
    pub fn play(&mut self, song: Song) -> Result<(), LiveError> {
        self.send(Command::Play(Box::new(song)))
    }

    /// Stops playback (voices cut).
    pub fn stop(&mut self) -> Result<(), LiveError> {
        self.send(Command::Stop)
    }

    /// Replaces the playing song from its next pass (edits heard without stopping).
    pub fn swap(&mut self, song: Song) -> Result<(), LiveError> {
        self.send(Command::Swap(Box::new(song)))
    }

    /// Plays a song once beside the playing one (audition of a step or row).
    pub fn audition(&mut self, song: Song) -> Result<(), LiveError> {
        self.send(Command::Audition(Box::new(song)))
    }

    /// The samples to play from now on; their audio is kept alive here.
    pub fn set_samples(&mut self, samples: Samples) -> Result<(), LiveError> {
        for s in samples.flex.values().chain(samples.statics.values()) {
            // The time-stretched copies too: a voice may hold one after its set is retired.
            for a in std::iter::once(&s.sample).chain(s.stretched.iter().map(|x| &x.sample)) {
                if !self.keep.iter().any(|k| Arc::ptr_eq(k, a)) {
                    self.keep.push(a.clone());
                }
            }
        }
        self.send(Command::Samples(Box::new(samples)))
    }

    /// Muted audio tracks (bit per track).
    pub fn set_mute(&mut self, mask: u8) -> Result<(), LiveError> {
        self.send(Command::Mute(mask))
    }

    /// Soloed audio tracks (bit per track; none = no solo).
    pub fn set_solo(&mut self, mask: u8) -> Result<(), LiveError> {
        self.send(Command::Solo(mask))
    }

    /// The crossfader (0 = scene A .. 127 = scene B; `None`: scenes not applied).
    pub fn set_crossfader(&mut self, x: Option<u8>) -> Result<(), LiveError> {
        self.send(Command::Crossfader(x))
    }

    /// A track trigger, its release or a re-arm now, on the playing song (track 0..16;
    /// the sequencer walk applies it at its next slot, `seq::track_play`).
    pub fn cue(&mut self, kind: CueKind, track: usize) -> Result<(), LiveError> {
        self.send(Command::Cue(kind, track.min(15) as u8))
    }
}

impl LiveEngine {
    fn retire(&mut self, r: Retired) {
        if let Err(rtrb::PushError::Full(r)) = self.trash.push(r) {
            // Never free in the callback: leak it (cannot happen in normal use: the trash
            // queue is twice the command queue).
            std::mem::forget(r);
        }
    }

    fn start_song(&mut self, mut song: Box<Song>, origin: i64) {
        song.origin = origin;
        for (t, tr) in self.tracks.iter_mut().enumerate() {
            let [a, b] = song.first_fx[t];
            tr.fx[0].set(a.0, a.1, song.step_secs);
            tr.fx[1].set(b.0, b.1, song.step_secs);
            tr.lfo.reset(origin);
        }
        self.machines = song.machines;
        self.master = song.master;
        if let Some(old) = self.song.replace(song) {
            self.retire(Retired::Song(old));
        }
    }

    fn stop_all(&mut self) {
        if let Some(old) = self.song.take() {
            self.retire(Retired::Song(old));
        }
        if let Some((_, old)) = self.pending.take() {
            self.retire(Retired::Song(old));
        }
        if let Some(old) = self.audition.take() {
            self.retire(Retired::Song(old));
        }
        for tr in &mut self.tracks {
            tr.queue.clear();
            tr.voice = None;
            tr.fx[0].reset();
            tr.fx[1].reset();
            tr.lfo.reset(0);
        }
    }

    fn commands(&mut self) {
        while let Ok(c) = self.commands.pop() {
            match c {
                Command::Play(song) => {
                    self.stop_all();
                    // Song time `skip` lands on the current frame.
                    let origin = self.frame as i64 - frames_of(song.skip) as i64;
                    self.start_song(song, origin);
                    self.wait_sound = true;
                    self.status.playing.store(true, Ordering::Release);
                }
                Command::Stop => {
                    self.stop_all();
                    self.status.playing.store(false, Ordering::Release);
                }
                Command::Swap(new) => match &self.song {
                    // Endless songs take the snapshot at their next pass; a finite one
                    // (a chain played once) keeps what it started with.
                    Some(cur) if cur.end.is_infinite() && cur.pass_secs.is_finite() => {
                        let into =
                            (self.frame as i64 - cur.origin).max(0) as f64 / f64::from(SAMPLE_RATE);
                        let k = (into / cur.pass_secs).floor() + 1.0;
                        let at = (cur.origin + frames_of(k * cur.pass_secs) as i64).max(0) as usize;
                        if let Some((_, old)) = self.pending.replace((at, new)) {
                            self.retire(Retired::Song(old));
                        }
                    }
                    _ => self.retire(Retired::Song(new)),
                },
                Command::Samples(s) => {
                    let old = std::mem::replace(&mut self.samples, s);
                    self.retire(Retired::Samples(old));
                }
                Command::Audition(mut song) => {
                    song.origin = self.frame as i64;
                    if let Some(old) = self.audition.replace(song) {
                        self.retire(Retired::Song(old));
                    }
                }
                Command::Mute(m) => self.mute = m,
                Command::Solo(m) => self.solo = m,
                Command::Crossfader(x) => self.crossfader = x,
                Command::Cue(kind, track) => {
                    let frame = self.frame as i64;
                    let taken = self.song.as_mut().is_some_and(|s| {
                        let now = (frame - s.origin) as f64 / f64::from(SAMPLE_RATE);
                        s.timeline.cue(Cue::new(now, usize::from(track), kind))
                    });
                    if !taken {
                        self.status.cues_dropped.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
    }

    /// Renders `out.len() / channels` frames and adds them into `out` (interleaved,
    /// `channels` per frame: 1 takes the average of left and right, more than 2 get
    /// left and right on the first two). Real-time safe.
    pub fn process_add(&mut self, out: &mut [f32], channels: usize) {
        let ch = channels.max(1);
        let frames = out.len() / ch;
        let mut done = 0;
        while done < frames {
            let n = (frames - done).min(MAX_BLOCK);
            self.block(n);
            let dst = &mut out[done * ch..(done + n) * ch];
            for (f, m) in dst.chunks_exact_mut(ch).zip(self.mix.iter()) {
                if ch == 1 {
                    f[0] += 0.5 * (m[0] + m[1]);
                } else {
                    f[0] += m[0];
                    f[1] += m[1];
                }
            }
            done += n;
        }
    }

    /// Renders stereo frames into `out` (overwriting), for tests and benchmarks.
    pub fn process_stereo(&mut self, out: &mut [[f32; 2]]) {
        let mut done = 0;
        while done < out.len() {
            let n = (out.len() - done).min(MAX_BLOCK);
            self.block(n);
            out[done..done + n].copy_from_slice(&self.mix[..n]);
            done += n;
        }
    }

    /// One block of at most [`MAX_BLOCK`] frames into `self.mix`.
    fn block(&mut self, n: usize) {
        self.commands();
        let mut start = 0;
        // A pending swap lands exactly on its frame: render up to it, swap, go on.
        while start < n {
            let f0 = self.frame + start;
            let mut stop = n;
            if let Some((at, _)) = &self.pending
                && *at < self.frame + n
            {
                stop = at.saturating_sub(self.frame).max(start);
            }
            if stop == start {
                if let Some((at, new)) = self.pending.take() {
                    self.drop_after(at);
                    self.start_song_keep_fx(new, at as i64);
                }
                continue;
            }
            self.schedule(f0, self.frame + stop);
            self.render(start, stop);
            start = stop;
        }
        self.mixdown(n);
        self.frame += n;
        self.status.frames.fetch_add(n as u64, Ordering::Relaxed);
        if let Some(s) = self.song.as_mut() {
            let secs = (self.frame as i64 - s.origin) as f64 / f64::from(SAMPLE_RATE);
            self.status
                .song_secs
                .store(secs.to_bits(), Ordering::Relaxed);
            // The playhead (the walk's bookkeeping only: no allocation).
            let pos = s.timeline.position_at(secs.max(0.0));
            for (a, v) in self.status.steps.iter().zip(pos.steps) {
                a.store(v, Ordering::Relaxed);
            }
            self.status.item.store(pos.item as u32, Ordering::Relaxed);
            if s.finished && secs >= s.end {
                if let Some(old) = self.song.take() {
                    self.retire(Retired::Song(old));
                }
                self.status.playing.store(false, Ordering::Release);
            }
        }
    }

    /// A swapped-in song keeps the FX state (edits do not reset filters or delays), and the
    /// one-shot and free-track state of the walk it replaces.
    fn start_song_keep_fx(&mut self, mut song: Box<Song>, origin: i64) {
        if let Some(old) = &self.song {
            let at = (origin - old.origin) as f64 / f64::from(SAMPLE_RATE);
            song.timeline.carry_from(&old.timeline, at);
        }
        song.origin = origin;
        self.machines = song.machines;
        self.master = song.master;
        if let Some(old) = self.song.replace(song) {
            self.retire(Retired::Song(old));
        }
    }

    /// Drops the playing song's queued starts from `frame` on (a swap takes over there).
    fn drop_after(&mut self, frame: usize) {
        for tr in &mut self.tracks {
            while tr.queue.back().is_some_and(|t| t.frame >= frame) {
                tr.queue.pop_back();
            }
        }
    }

    /// Pulls the songs' step events up to frame `until` into the track queues.
    fn schedule(&mut self, _from: usize, until: usize) {
        let samples = &*self.samples;
        let status = &*self.status;
        let xf = self.crossfader;
        for song in [self.song.as_deref_mut(), self.audition.as_deref_mut()]
            .into_iter()
            .flatten()
        {
            pull(song, until, samples, xf, &mut self.tracks, status);
        }
        if self.audition.as_ref().is_some_and(|a| a.finished)
            && let Some(old) = self.audition.take()
        {
            self.retire(Retired::Song(old));
        }
    }

    /// Whether track `t` feeds a Neighbor on the next track (it reaches the mix through it).
    fn feeds(&self, t: usize) -> bool {
        t + 1 < AUDIO_TRACKS && self.machines[t + 1] == MachineType::Neighbor
    }

    /// Whether track `t` is heard (mute and solo).
    fn audible(&self, t: usize) -> bool {
        if self.solo != 0 {
            self.solo & (1 << t) != 0
        } else {
            self.mute & (1 << t) == 0
        }
    }

    /// Renders frames `a..b` of the block into the track buffers.
    fn render(&mut self, a: usize, b: usize) {
        let base = self.frame;
        // With T8 as master, the heard tracks T1-T7 are its input.
        let into_master: [bool; AUDIO_TRACKS] =
            std::array::from_fn(|k| k < MASTER && !self.feeds(k) && self.audible(k));
        for t in 0..AUDIO_TRACKS {
            let is_master = self.master && t == MASTER;
            let neighbor = t > 0 && self.machines[t] == MachineType::Neighbor;
            let (before, rest) = self.bufs.split_at_mut(t);
            let buf = &mut rest[0];
            let tr = &mut self.tracks[t];
            let input = if neighbor {
                let g = self.song.as_ref().and_then(|s| s.items().first()).map(|i| {
                    let p = &i.pattern.part.audio[t];
                    let (bl, br) = laws::balance_gains(p.values[16]);
                    let g = laws::volume_gain(p.values[15]) * laws::level_gain(p.levels[0]);
                    [g * bl, g * br]
                });
                g.map(|g| (&before[t - 1], g))
            } else {
                None
            };
            let master_gain = is_master.then(|| {
                self.song
                    .as_ref()
                    .and_then(|s| s.items().first())
                    .map_or([1.0; 2], |i| {
                        let p = &i.pattern.part.audio[t];
                        let (bl, br) = laws::balance_gains(p.values[16]);
                        let g = laws::volume_gain(p.values[15]) * laws::level_gain(p.levels[0]);
                        [g * bl, g * br]
                    })
            });
            for (i, out) in buf.iter_mut().enumerate().take(b).skip(a) {
                let frame = base + i;
                while tr.queue.front().is_some_and(|x| x.frame <= frame) {
                    let Some(x) = tr.queue.pop_front() else {
                        break;
                    };
                    tr.lfo.trigger(frame, &x.lfo, x.trigless);
                    if !x.trigless {
                        let lfo = &mut tr.lfo;
                        tr.voice = x.spec.map(|mut s| {
                            lfo.start(&mut s);
                            Voice::new(s)
                        });
                    } else if let (Some(v), Some(spec)) = (tr.voice.as_mut(), x.spec.as_ref()) {
                        v.retune(spec.speed, spec.gain);
                    }
                    tr.fx[0].set(x.fx[0].0, x.fx[0].1, x.step_secs);
                    tr.fx[1].set(x.fx[1].0, x.fx[1].1, x.step_secs);
                    if !x.trigless {
                        tr.fx[0].trigger();
                        tr.fx[1].trigger();
                    }
                }
                tr.lfo.control(frame, tr.voice.as_mut(), &mut tr.fx);
                let mut s = match (master_gain, input) {
                    (Some(g), _) => {
                        let mut m = [0.0f32; 2];
                        for (k, other) in before.iter().enumerate() {
                            if into_master[k] {
                                m[0] += other[i][0];
                                m[1] += other[i][1];
                            }
                        }
                        [m[0] * g[0], m[1] * g[1]]
                    }
                    (None, Some((inp, g))) => [inp[i][0] * g[0], inp[i][1] * g[1]],
                    (None, None) => [0.0f32; 2],
                };
                if let Some(v) = tr.voice.as_mut()
                    && !v.mix_next(&mut s)
                {
                    tr.voice = None;
                }
                tr.fx[0].run(&mut s);
                tr.fx[1].run(&mut s);
                *out = s;
            }
        }
    }

    /// Sums the audible tracks of the block into `self.mix`.
    fn mixdown(&mut self, n: usize) {
        self.mix[..n].fill([0.0; 2]);
        for t in 0..AUDIO_TRACKS {
            // With T8 as master only T8 is heard (the others are its input).
            let skip = if self.master {
                t != MASTER
            } else {
                self.feeds(t) || !self.audible(t)
            };
            if skip {
                continue;
            }
            let mix = &mut self.mix[..n];
            for (m, s) in mix.iter_mut().zip(&self.bufs[t][..n]) {
                m[0] += s[0];
                m[1] += s[1];
            }
        }
        if self.wait_sound
            && let Some(k) = self.mix[..n]
                .iter()
                .position(|m| m[0] != 0.0 || m[1] != 0.0)
        {
            self.wait_sound = false;
            self.status
                .first_sound
                .store((self.frame + k) as u64, Ordering::Relaxed);
        }
    }

    /// Engine frame of the first sound after the last play (for time-to-first-sound).
    pub fn first_sound_frame(&self) -> Option<u64> {
        (!self.wait_sound).then(|| self.status.first_sound.load(Ordering::Relaxed))
    }

    /// Frames rendered so far.
    pub fn frame(&self) -> usize {
        self.frame
    }
}

/// Pulls a song's events up to engine frame `until` into the track queues.
fn pull(
    song: &mut Song,
    until: usize,
    samples: &Samples,
    xf: Option<u8>,
    tracks: &mut [TrackState],
    status: &LiveStatus,
) {
    let rate = f64::from(SAMPLE_RATE);
    let until_secs = (until as i64 - song.origin) as f64 / rate;
    if !song.finished {
        // Keep the walk's bookkeeping short (it drops passed items here, no allocation).
        song.timeline.position_at(until_secs);
        loop {
            if song.held.len() == song.held.capacity() {
                break;
            }
            match song.timeline.next(until_secs, &mut song.conditions) {
                Next::Trig(e) => song.held.push(e),
                Next::Slot { .. } | Next::ItemEnd { .. } => {}
                Next::Later => break,
                Next::Finished => {
                    song.finished = true;
                    break;
                }
            }
        }
    }
    let mut i = 0;
    while i < song.held.len() {
        let ev = song.held[i];
        if ev.at >= until_secs {
            i += 1;
            continue;
        }
        song.held.remove(i);
        if ev.at < song.skip || ev.at >= song.end || ev.track >= AUDIO_TRACKS {
            continue;
        }
        let origin = song.origin;
        let silent = song.master && ev.track == MASTER;
        let q = &mut tracks[ev.track].queue;
        event_triggers(
            &ev,
            song.timeline.items(),
            samples,
            xf,
            song.end,
            None,
            &mut |at, mut trig| {
                trig.frame = (origin + frames_of(at) as i64).max(0) as usize;
                if silent {
                    trig.spec = None;
                }
                if q.len() == q.capacity() {
                    status.dropped.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                // Keep the queue in frame order (retrigs may pass a later step's start).
                let pos = q
                    .iter()
                    .rposition(|x| x.frame <= trig.frame)
                    .map_or(0, |p| p + 1);
                q.insert(pos, trig);
            },
        );
    }
}

impl crate::audio::LiveSource for LiveEngine {
    fn process_add(&mut self, out: &mut [f32], channels: usize) {
        LiveEngine::process_add(self, out, channels);
    }
}
