//! The non-blocking MIDI engine: a handle owning a thread, fed by a channel.
//!
//! The tracker calls [`MidiEngine`] methods (audition, play, stop, mute, record); they
//! return at once. The thread owns the port, sends due messages on time, reopens a
//! vanished port, publishes the play position in atomics, and reports status changes
//! and recorded notes as [`EngineEvent`]s. Dropping the engine releases every held note.

use super::message::{MidiMessage, START, STOP, ShortMsg};
use super::model::{DeviceSetup, SeqPattern, SeqStep, TrackKind};
use super::output::{Output, PortStatus};
use super::record::{RecordSettings, RecordedNote, Recorder};
use super::render::{MsgRole, Renderer, Silent, TimedMsg, note_to_pitch};
use super::scheduler::{MsgQueue, PlayItem, PlayPosition, Sequencer};
use super::transport::{MidiIn, MidiSystem, TimedMessage};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the engine is set up.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Output port choice (name, substring or index); `None` = first port.
    pub output: Option<String>,
    /// Input port choice; `None` = no input.
    pub input: Option<String>,
    /// Trig channels, auto channel, tempo.
    pub setup: DeviceSetup,
    /// Send MIDI clock (24 PPQN) while playing.
    pub send_clock: bool,
    /// Send start/stop.
    pub send_transport: bool,
    /// Follow incoming clock tempo and start/stop.
    pub follow_clock: bool,
    /// Seed for probability conditions.
    pub seed: u64,
    /// Ask the OS for real-time scheduling of the engine thread (granted when the user
    /// may, e.g. a Linux `rtprio` limit); timing is best effort without it.
    pub realtime: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            output: None,
            input: None,
            setup: DeviceSetup::default(),
            send_clock: false,
            send_transport: false,
            follow_clock: false,
            seed: 0,
            // OCTA_MIDI_REALTIME=0 keeps normal priority (for comparing timing).
            realtime: std::env::var_os("OCTA_MIDI_REALTIME").is_none_or(|v| v != "0"),
        }
    }
}

/// Asks for real-time (SCHED_FIFO) scheduling of the calling thread; false when refused.
#[allow(
    unsafe_code,
    reason = "real-time scheduling is asked for through pthread_setschedparam"
)]
fn raise_priority() -> bool {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 20 };
        // SAFETY: pthread_self() is the calling thread and `param` outlives the call.
        unsafe { libc::pthread_setschedparam(libc::pthread_self(), libc::SCHED_FIFO, &param) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// What to audition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audition {
    /// One step of one track (a trig entered, changed, or under the cursor).
    Step {
        /// Track 0..16.
        track: usize,
        /// Step 0..64.
        step: usize,
    },
    /// The row under the cursor: that step on every track.
    Row {
        /// Step 0..64.
        step: usize,
    },
    /// A note on a track (audio: 72..=96 transpose the sample; MIDI: any note).
    Note {
        /// Track 0..16.
        track: usize,
        /// Note number.
        note: u8,
        /// Velocity.
        velocity: u8,
    },
}

/// A count-in before playback (and a live take) starts: `beats` quarter notes at the
/// first item's tempo, each a click on `channel` (a note, the first of every bar accented)
/// when one is given; the status shows the beats left either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountIn {
    /// Quarter notes before the first step (4 per bar).
    pub beats: u32,
    /// Channel (0..16) of the metronome clicks; `None`: silent, only shown.
    pub channel: Option<u8>,
    /// Note of the clicks.
    pub note: u8,
    /// A `file:` input is reopened so that its time 0 is the first step (as
    /// `octa midi record --live` reads it).
    pub restart_file_input: bool,
}

/// What the engine reports to the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineEvent {
    /// The output or input port changed state.
    Status(EngineStatus),
    /// A note recorded from the input, to apply as an undoable edit.
    Recorded(RecordedNote),
    /// Playback started; `at` is the instant of time zero of the schedule.
    Started {
        /// Instant of schedule time 0.
        at: Instant,
    },
    /// Playback ended (stopped or the last item finished).
    Stopped,
    /// A short message for the status line (e.g. why nothing was heard).
    Notice(String),
    /// The input port vanished while recording (its name); notes recorded before were
    /// already reported.
    InputLost(String),
}

/// Port and transport state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineStatus {
    /// The output port.
    pub output: PortStatus,
    /// The input port, when one was chosen.
    pub input: Option<PortStatus>,
    /// Whether playback runs.
    pub playing: bool,
    /// Whether the engine thread got real-time scheduling.
    pub realtime: bool,
}

enum Command {
    Setup(DeviceSetup),
    Output(Option<String>),
    Input(Option<String>),
    Send(ShortMsg),
    Tempo(f64),
    Audition(Arc<SeqPattern>, Audition),
    Play(Vec<PlayItem>),
    PlayCountIn(Vec<PlayItem>, CountIn),
    Pattern(Arc<SeqPattern>),
    Sysex(Option<String>, Vec<Vec<u8>>),
    Arm(Vec<PlayItem>),
    Stop,
    Panic,
    Record(Option<RecordSettings>, Option<Arc<SeqPattern>>),
    Incoming(TimedMessage),
    InputGone(String),
    Cue(crate::seq::track_play::CueKind, usize),
    Quit,
}

struct Shared {
    status: Mutex<EngineStatus>,
    playing: AtomicBool,
    item: AtomicU32,
    pass: AtomicU64,
    steps: [AtomicU16; 16],
    mute: AtomicU32,
    solo: AtomicU32,
    fill: AtomicBool,
    /// The tempo playback runs at (f64 bits).
    tempo: AtomicU64,
    /// Passes of the worker loop (wake-ups), for tests that check idle means idle.
    wakes: AtomicU64,
    /// Count-in beats left (0: none) and the count-in's length, while counting in.
    count_in: AtomicU32,
    count_in_beats: AtomicU32,
}

/// The handle the tracker holds.
pub struct MidiEngine {
    tx: Sender<Command>,
    events: Receiver<EngineEvent>,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl MidiEngine {
    /// Starts the engine on a MIDI system (real, simulated, or unavailable).
    pub fn start(mut system: Box<dyn MidiSystem>, opts: EngineOptions) -> Self {
        let (tx, rx) = channel();
        let (etx, events) = channel();
        let out = Output::open(&mut *system, opts.output.clone());
        let shared = Arc::new(Shared {
            status: Mutex::new(EngineStatus {
                output: out.status().clone(),
                input: None,
                playing: false,
                realtime: false,
            }),
            playing: AtomicBool::new(false),
            item: AtomicU32::new(0),
            pass: AtomicU64::new(0),
            steps: Default::default(),
            mute: AtomicU32::new(0),
            solo: AtomicU32::new(0),
            fill: AtomicBool::new(false),
            tempo: AtomicU64::new(0),
            wakes: AtomicU64::new(0),
            count_in: AtomicU32::new(0),
            count_in_beats: AtomicU32::new(0),
        });
        let mut worker = Worker {
            system,
            out,
            input: InputSide {
                choice: opts.input.clone(),
                status: None,
                stop: Arc::new(AtomicBool::new(false)),
                thread: None,
                last_try: None,
            },
            tx: tx.clone(),
            rx,
            events: etx,
            shared: Arc::clone(&shared),
            epoch: Instant::now(),
            audition: MsgQueue::default(),
            renderer: Renderer::new(opts.setup),
            seq: None,
            play_start: 0.0,
            recorder: None,
            record_pattern: None,
            last_items: Vec::new(),
            clocks: VecDeque::new(),
            realtime: false,
            played_setup: opts.setup,
            routed: HashMap::new(),
            count_in: None,
            extra_outs: HashMap::new(),
            due: Vec::with_capacity(256),
            opts,
        };
        worker.input.try_open(&mut *worker.system, &worker.tx);
        worker.publish_status();
        let thread = std::thread::Builder::new()
            .name("octa-midi".into())
            .spawn(move || worker.run())
            .ok();
        Self {
            tx,
            events,
            shared,
            thread,
        }
    }

    /// Starts on the machine's MIDI system (an unavailable stand-in when there is none).
    pub fn start_default(opts: EngineOptions) -> Self {
        Self::start(super::ports::open_system(), opts)
    }

    fn send(&self, c: Command) {
        let _ = self.tx.send(c);
    }

    /// Port and transport state.
    pub fn status(&self) -> EngineStatus {
        self.shared
            .status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Whether a MIDI system exists on this machine.
    pub fn is_available(&self) -> bool {
        !matches!(self.status().output, PortStatus::Unavailable(_))
    }

    /// Replaces the device setup (trig channels, auto channel, tempo). While playing, audio
    /// tracks move to their new channels at once (held notes end on the channel they started
    /// on) and an item without its own tempo follows the new project or pattern tempo.
    pub fn set_setup(&self, setup: DeviceSetup) {
        self.send(Command::Setup(setup));
    }

    /// Switches the output port (a name, part of a name, index or `file:PATH`; `None`: the
    /// first port). Held notes are released on the old port first.
    pub fn set_output(&self, choice: Option<String>) {
        self.send(Command::Output(choice));
    }

    /// Switches the input port (`None`: no input).
    pub fn set_input(&self, choice: Option<String>) {
        self.send(Command::Input(choice));
    }

    /// Sends one message now (MIDI thru while recording); notes are tracked like every
    /// other note, so panic and quitting release them.
    pub fn send_message(&self, msg: ShortMsg) {
        self.send(Command::Send(msg));
    }

    /// Muted tracks (bit per track 0..16).
    pub fn mutes(&self) -> u32 {
        self.shared.mute.load(Ordering::Relaxed)
    }

    /// Soloed tracks (bit per track 0..16).
    pub fn solos(&self) -> u32 {
        self.shared.solo.load(Ordering::Relaxed)
    }

    /// Changes the tempo of the running playback (from now on).
    pub fn set_tempo(&self, bpm: f64) {
        self.send(Command::Tempo(bpm));
    }

    /// Plays a step, a row or a note of `pattern` on the device now.
    pub fn audition(&self, pattern: Arc<SeqPattern>, what: Audition) {
        self.send(Command::Audition(pattern, what));
    }

    /// Starts playback of play items (a pattern, a chain, an arrangement).
    pub fn play(&self, items: Vec<PlayItem>) {
        self.send(Command::Play(items));
    }

    /// Starts playback after a count-in (see [`CountIn`]).
    pub fn play_after_count_in(&self, items: Vec<PlayItem>, count_in: CountIn) {
        self.send(Command::PlayCountIn(items, count_in));
    }

    /// Gives the running playback the edited version of a pattern it plays (same name,
    /// e.g. `A01`): its steps, lengths, part (MIDI channels) and tempo are followed from
    /// the next step not yet rendered on; a pattern tempo change applies at once.
    pub fn update_pattern(&self, pattern: Arc<SeqPattern>) {
        self.send(Command::Pattern(pattern));
    }

    /// Sends sysex messages (a linked patch) now: to the output (`None`) or to another
    /// port choice (opened on first use and kept).
    pub fn send_sysex(&self, port: Option<String>, messages: Vec<Vec<u8>>) {
        self.send(Command::Sysex(port, messages));
    }

    /// While counting in: (beats left, beats of the count-in).
    pub fn count_in(&self) -> Option<(u32, u32)> {
        let left = self.shared.count_in.load(Ordering::Relaxed);
        (left > 0 && self.shared.playing.load(Ordering::Acquire))
            .then(|| (left, self.shared.count_in_beats.load(Ordering::Relaxed)))
    }

    /// Sets what an incoming MIDI Start plays when following an external clock
    /// (`EngineOptions::follow_clock`); also replaced by every [`MidiEngine::play`].
    pub fn arm(&self, items: Vec<PlayItem>) {
        self.send(Command::Arm(items));
    }

    /// Stops playback; held notes get their note offs and locked parameters are restored.
    pub fn stop(&self) {
        self.send(Command::Stop);
    }

    /// Panic: note offs for held notes and all-notes-off on every channel.
    pub fn panic(&self) {
        self.send(Command::Panic);
    }

    /// A track trigger, its release or a re-arm now, on the running playback (track
    /// 0..16): the sequencer walk applies it at its next slot, as the local engine does
    /// (`seq::track_play`). Nothing happens when stopped.
    pub fn cue(&self, kind: crate::seq::track_play::CueKind, track: usize) {
        self.send(Command::Cue(kind, track));
    }

    /// Sets the FILL flag.
    pub fn set_fill(&self, on: bool) {
        self.shared.fill.store(on, Ordering::Relaxed);
    }

    /// Mutes or unmutes a track (0..16).
    pub fn set_mute(&self, track: usize, on: bool) {
        set_bit(&self.shared.mute, track, on);
    }

    /// Solos or unsolos a track (0..16); while any track is soloed only soloed tracks play.
    pub fn set_solo(&self, track: usize, on: bool) {
        set_bit(&self.shared.solo, track, on);
    }

    /// Starts (`Some`) or ends (`None`) recording from the input; `pattern` is used to
    /// audition recorded notes.
    pub fn set_recording(
        &self,
        settings: Option<RecordSettings>,
        pattern: Option<Arc<SeqPattern>>,
    ) {
        self.send(Command::Record(settings, pattern));
    }

    /// The play position, or `None` when stopped.
    pub fn position(&self) -> Option<PlayPosition> {
        if !self.shared.playing.load(Ordering::Acquire) {
            return None;
        }
        let mut p = PlayPosition {
            item: self.shared.item.load(Ordering::Relaxed) as usize,
            pass: self.shared.pass.load(Ordering::Relaxed),
            ..PlayPosition::default()
        };
        for (s, a) in p.steps.iter_mut().zip(self.shared.steps.iter()) {
            *s = a.load(Ordering::Relaxed);
        }
        Some(p)
    }

    /// The tempo playback runs at (BPM), or `None` when stopped.
    pub fn tempo(&self) -> Option<f64> {
        self.shared
            .playing
            .load(Ordering::Acquire)
            .then(|| f64::from_bits(self.shared.tempo.load(Ordering::Relaxed)))
    }

    /// How many times the engine thread has woken up so far (each pass of its loop). While
    /// nothing plays and no port is being waited for, it sleeps until a command arrives.
    pub fn wakes(&self) -> u64 {
        self.shared.wakes.load(Ordering::Relaxed)
    }

    /// The next pending event, if any (never blocks).
    pub fn poll_event(&self) -> Option<EngineEvent> {
        self.events.try_recv().ok()
    }

    /// Waits up to `timeout` for the next event (for the CLI and tests).
    pub fn wait_event(&self, timeout: Duration) -> Option<EngineEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for MidiEngine {
    fn drop(&mut self) {
        self.send(Command::Quit);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn set_bit(a: &AtomicU32, bit: usize, on: bool) {
    if bit < 32 {
        if on {
            a.fetch_or(1 << bit, Ordering::Relaxed);
        } else {
            a.fetch_and(!(1 << bit), Ordering::Relaxed);
        }
    }
}

struct InputSide {
    choice: Option<String>,
    status: Option<PortStatus>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    last_try: Option<Instant>,
}

impl InputSide {
    fn try_open(&mut self, system: &mut dyn MidiSystem, tx: &Sender<Command>) {
        self.try_open_at(system, tx, None);
    }

    /// Opens the input; a `file:` input's time 0 is `anchor` (`None`: now).
    fn try_open_at(
        &mut self,
        system: &mut dyn MidiSystem,
        tx: &Sender<Command>,
        anchor: Option<Instant>,
    ) {
        let Some(choice) = self.choice.clone() else {
            return;
        };
        self.last_try = Some(Instant::now());
        let opened = super::capture::open_in_at(system, &choice, anchor);
        match opened {
            Ok((name, port)) => {
                self.stop = Arc::new(AtomicBool::new(false));
                let stop = Arc::clone(&self.stop);
                let tx = tx.clone();
                self.thread = std::thread::Builder::new()
                    .name("octa-midi-in".into())
                    .spawn(move || forward_input(port, tx, stop))
                    .ok();
                self.status = Some(PortStatus::Connected(name));
            }
            Err(super::transport::MidiError::Unavailable(r)) => {
                self.status = Some(PortStatus::Unavailable(r))
            }
            Err(_) => {
                if !matches!(self.status, Some(PortStatus::Vanished(_))) {
                    self.status = Some(PortStatus::NotFound(choice));
                }
            }
        }
    }

    fn close(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn forward_input(mut port: Box<dyn MidiIn>, tx: Sender<Command>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::Relaxed) {
        match port.recv_timeout(Duration::from_millis(50)) {
            Ok(Some(m)) => {
                if tx.send(Command::Incoming(m)).is_err() {
                    return;
                }
            }
            Ok(None) => {}
            // A `file:` input played to its end: nothing more will come, nothing to reopen.
            Err(super::transport::MidiError::Ended(_)) => return,
            Err(_) => {
                let _ = tx.send(Command::InputGone(port.name().to_string()));
                return;
            }
        }
    }
}

/// Tempo from incoming clock ticks (24 per quarter note): the mean interval over the
/// ticks given (at least 7), clamped to the device's 30..300 BPM.
pub fn tempo_from_clocks(ticks: &VecDeque<Instant>) -> Option<f64> {
    let (first, last) = (ticks.front()?, ticks.back()?);
    let n = ticks.len().checked_sub(1).filter(|&n| n >= 6)?;
    let secs = last.checked_duration_since(*first)?.as_secs_f64() / n as f64;
    (secs > 0.0).then(|| (60.0 / (secs * 24.0)).clamp(30.0, 300.0))
}

/// How far ahead of the clock the sequencer renders.
const LOOKAHEAD: f64 = 0.002;
/// How often the play position, port state and status are refreshed.
const HOUSEKEEPING: Duration = Duration::from_millis(5);

struct Worker {
    system: Box<dyn MidiSystem>,
    out: Output,
    input: InputSide,
    tx: Sender<Command>,
    rx: Receiver<Command>,
    events: Sender<EngineEvent>,
    shared: Arc<Shared>,
    epoch: Instant,
    audition: MsgQueue,
    renderer: Renderer,
    seq: Option<Sequencer>,
    play_start: f64,
    recorder: Option<Recorder>,
    record_pattern: Option<Arc<SeqPattern>>,
    last_items: Vec<PlayItem>,
    clocks: VecDeque<Instant>,
    realtime: bool,
    /// The setup the running sequencer renders with (its channels are remapped to the
    /// current setup's on the way out).
    played_setup: DeviceSetup,
    /// Notes sent on a remapped channel: (rendered channel, note) -> channel sent on.
    routed: HashMap<(u8, u8), u8>,
    /// The running count-in: (absolute seconds of the first step, seconds per beat).
    count_in: Option<(f64, f64)>,
    /// Ports other than the output that linked patches were sent to, by choice.
    extra_outs: HashMap<String, Output>,
    due: Vec<TimedMsg>,
    opts: EngineOptions,
}

impl Worker {
    fn now(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64()
    }

    fn publish_status(&mut self) {
        let st = EngineStatus {
            output: self.out.status().clone(),
            input: self.input.status.clone(),
            playing: self.seq.is_some(),
            realtime: self.realtime,
        };
        let changed = match self.shared.status.lock() {
            Ok(mut s) => {
                let changed = *s != st;
                *s = st.clone();
                changed
            }
            Err(_) => false,
        };
        if changed {
            let _ = self.events.send(EngineEvent::Status(st));
            crate::wake::wake();
        }
    }

    fn run(mut self) {
        if self.opts.realtime {
            self.realtime = raise_priority();
        }
        let mut last_housekeeping: Option<Instant> = None;
        let mut busy = 0u32;
        loop {
            self.shared.wakes.fetch_add(1, Ordering::Relaxed);
            let now = self.now();
            self.flush_due(now);
            if last_housekeeping.is_none_or(|t| t.elapsed() >= HOUSEKEEPING) {
                last_housekeeping = Some(Instant::now());
                self.housekeeping(now);
            }
            let now = self.now();
            let next = self.next_due(now);
            let cap = if self.seq.is_some() {
                Some(HOUSEKEEPING.as_secs_f64())
            } else if self.waiting_for_port() {
                Some(self.out.retry.as_secs_f64())
            } else {
                // Idle: nothing plays and no port to reopen; sleep until a command comes.
                None
            };
            let wait = match (next, cap) {
                (Some(t), Some(c)) => Some((t - now).min(c)),
                (Some(t), None) => Some(t - now),
                (None, c) => c,
            };
            let Some(wait) = wait else {
                // Going idle: the status says so first (playback may just have ended).
                self.publish_status();
                match self.rx.recv() {
                    Ok(c) => {
                        if !self.handle(c) {
                            break;
                        }
                        self.publish_status();
                        continue;
                    }
                    Err(_) => break,
                }
            };
            // Sleeping (not spinning) until the next message: a sleeper keeps its
            // scheduling priority, which measured better than spinning under load.
            if wait <= 0.0 {
                // Never hog the core (the thread may run with real-time priority).
                busy += 1;
                if busy > 1000 {
                    busy = 0;
                    std::thread::sleep(Duration::from_millis(1));
                }
            } else {
                busy = 0;
                match self.rx.recv_timeout(Duration::from_secs_f64(wait)) {
                    Ok(c) => {
                        if !self.handle(c) {
                            break;
                        }
                        self.publish_status();
                        continue;
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        }
        self.stop_playback();
        for m in self.audition.drain_releases() {
            self.out.send(&m.msg);
        }
        self.out.release_all();
        self.input.close();
    }

    /// Whether a missing output or input port is retried now and then.
    fn waiting_for_port(&self) -> bool {
        let out =
            !self.out.is_connected() && !matches!(self.out.status(), PortStatus::Unavailable(_));
        let input = self.input.thread.is_none()
            && self.input.choice.is_some()
            && !matches!(self.input.status, Some(PortStatus::Unavailable(_)));
        out || input
    }

    /// Position for the UI, port reopening, status.
    fn housekeeping(&mut self, now: f64) {
        self.update_position(now);
        let left = match self.count_in {
            Some((first, beat)) if now < first && self.seq.is_some() => {
                ((first - now) / beat - 1e-6).ceil().max(1.0) as u32
            }
            _ => {
                self.count_in = None;
                0
            }
        };
        if self.shared.count_in.swap(left, Ordering::Relaxed) != left {
            crate::wake::wake();
        }
        if self.out.maintain(&mut *self.system) {
            self.renderer.forget_programs();
        }
        if self.input.thread.is_none()
            && self.input.choice.is_some()
            && !matches!(self.input.status, Some(PortStatus::Unavailable(_)))
            && self
                .input
                .last_try
                .is_none_or(|t| t.elapsed() >= self.out.retry)
        {
            self.input.try_open(&mut *self.system, &self.tx);
        }
        self.publish_status();
    }

    fn next_due(&mut self, now: f64) -> Option<f64> {
        let a = self.audition.peek_time();
        let b = self
            .seq
            .as_mut()
            .and_then(|s| s.peek_time(now - self.play_start + LOOKAHEAD))
            .map(|t| t + self.play_start);
        match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (x, None) | (None, x) => x,
        }
    }

    fn audible(&self, track: u8) -> bool {
        let t = track as u32;
        if t >= 16 {
            return true;
        }
        let solo = self.shared.solo.load(Ordering::Relaxed);
        if solo != 0 {
            return solo & (1 << t) != 0;
        }
        self.shared.mute.load(Ordering::Relaxed) & (1 << t) == 0
    }

    fn flush_due(&mut self, now: f64) {
        while let Some(m) = self.audition.pop_due(now) {
            self.out.send(&m.msg);
        }
        let Some(seq) = self.seq.as_mut() else {
            return;
        };
        seq.conditions.fill = self.shared.fill.load(Ordering::Relaxed);
        let rel = now - self.play_start;
        let mut due = std::mem::take(&mut self.due);
        due.clear();
        while let Some(m) = seq.pop_due(rel) {
            due.push(m);
        }
        let finished = seq.is_finished();
        for m in &due {
            // Muted tracks send nothing: only note offs of notes already playing.
            if !matches!(m.role, MsgRole::NoteOff | MsgRole::Realtime) && !self.audible(m.track) {
                continue;
            }
            if let Some(msg) = self.route(m) {
                self.out.send(&msg);
            }
        }
        self.due = due;
        if finished {
            self.stop_playback();
        }
    }

    /// The message as it goes out: an audio track's message rendered for the channel of
    /// the setup playback started with moves to the track's channel in the current setup
    /// (`None`: the track has no channel any more); a note off follows its note on.
    fn route(&mut self, m: &TimedMsg) -> Option<ShortMsg> {
        let track = m.track as usize;
        let Some(ch) = m.msg.channel() else {
            return Some(m.msg);
        };
        if let Some((c, n)) = m.msg.note_off_parts() {
            return Some(match self.routed.remove(&(c, n)) {
                Some(to) => m.msg.on_channel(to),
                None => m.msg,
            });
        }
        if track >= 8 || self.played_setup == self.renderer.setup {
            return Some(m.msg);
        }
        let was = self.played_setup.audio_channel(track);
        let now = self.renderer.setup.audio_channel(track);
        if was != Some(ch) || was == now {
            return Some(m.msg);
        }
        let to = now?;
        if let Some((c, n)) = m.msg.note_on_parts() {
            self.routed.insert((c, n), to);
        }
        Some(m.msg.on_channel(to))
    }

    fn update_position(&mut self, now: f64) {
        let Some(seq) = self.seq.as_mut() else {
            return;
        };
        let p = seq.position_at(now - self.play_start);
        self.shared
            .tempo
            .store(seq.tempo().to_bits(), Ordering::Relaxed);
        self.shared.item.store(p.item as u32, Ordering::Relaxed);
        self.shared.pass.store(p.pass, Ordering::Relaxed);
        for (a, s) in self.shared.steps.iter().zip(p.steps) {
            a.store(s, Ordering::Relaxed);
        }
    }

    fn start_playback(&mut self, items: Vec<PlayItem>) {
        self.start_playback_at(items, 0.0);
    }

    /// Starts playback `lead` seconds later than at once (a count-in).
    fn start_playback_at(&mut self, items: Vec<PlayItem>, lead: f64) {
        self.stop_playback();
        if items.is_empty() {
            return;
        }
        self.last_items = items.clone();
        let mut seq = Sequencer::new(items, self.renderer.setup, self.opts.seed);
        self.played_setup = self.renderer.setup;
        self.routed.clear();
        seq.send_clock = self.opts.send_clock;
        // Start a little ahead so the first step is not late, and late enough that a
        // negative micro-timing on the first step can be honoured.
        let early = seq.peek_time(0.0).map_or(0.0, |t| (-t).max(0.0));
        self.play_start = self.now() + 0.005 + early + lead;
        self.shared
            .tempo
            .store(seq.tempo().to_bits(), Ordering::Relaxed);
        self.seq = Some(seq);
        self.shared.playing.store(true, Ordering::Release);
        if self.opts.send_transport {
            self.out.send_raw(&[0xF2, 0, 0]);
            self.out.send_raw(&[START]);
        }
        let at = self.epoch + Duration::from_secs_f64(self.play_start);
        let _ = self.events.send(EngineEvent::Started { at });
        crate::wake::wake();
    }

    fn stop_playback(&mut self) {
        let Some(mut seq) = self.seq.take() else {
            return;
        };
        for m in seq.drain_releases() {
            self.out.send(&m.msg);
        }
        if self.opts.send_transport {
            self.out.send_raw(&[STOP]);
        }
        self.shared.playing.store(false, Ordering::Release);
        self.count_in = None;
        self.shared.count_in.store(0, Ordering::Relaxed);
        self.renderer.forget_programs();
        let _ = self.events.send(EngineEvent::Stopped);
        crate::wake::wake();
    }

    fn audition(&mut self, pattern: &SeqPattern, what: Audition) {
        let now = self.now();
        let tempo = self.renderer.setup.tempo_for(pattern);
        let mut out = Vec::new();
        let mut render = |r: &mut Renderer, track: usize, step: &SeqStep| {
            let scale = pattern.track_timing(track).1;
            let step_secs = 60.0 / (tempo * 4.0 * scale.multiplier());
            r.render(pattern, track, step, now, step_secs, &mut out)
        };
        let outcome = match what {
            Audition::Step { track, step } => {
                match pattern.tracks.get(track).and_then(|t| t.steps.get(step)) {
                    Some(s) => render(&mut self.renderer, track, s),
                    None => Err(Silent::NoTrack),
                }
            }
            Audition::Row { step } => {
                let mut n = 0;
                for (t, tr) in pattern.tracks.iter().enumerate() {
                    if let Some(s) = tr.steps.get(step) {
                        n += render(&mut self.renderer, t, s).unwrap_or(0);
                    }
                }
                Ok(n)
            }
            Audition::Note {
                track,
                note,
                velocity,
            } => {
                let mut s = SeqStep::trig();
                match pattern.tracks.get(track).map(|t| t.kind) {
                    Some(TrackKind::Audio) => s.locks[0] = note_to_pitch(note).unwrap_or(64),
                    Some(TrackKind::Midi) => {
                        s.locks[0] = note.min(127);
                        s.locks[1] = velocity.clamp(1, 127);
                    }
                    None => {}
                }
                render(&mut self.renderer, track, &s)
            }
        };
        // Muted tracks stay silent when auditioned too (as on the device).
        out.retain(|m| m.role == MsgRole::NoteOff || self.audible(m.track));
        if let Err(Silent::NoChannel) = outcome {
            let _ = self.events.send(EngineEvent::Notice(
                "audio track has no MIDI trig channel (set PROJECT > MIDI > CHANNELS)".into(),
            ));
        }
        if !self.out.is_connected() && !out.is_empty() {
            let _ = self
                .events
                .send(EngineEvent::Notice(self.out.status().to_string()));
        }
        for m in out {
            self.audition.push(m);
        }
    }

    fn incoming(&mut self, m: TimedMessage) {
        let msg = MidiMessage::parse(&m.bytes);
        match msg {
            MidiMessage::Clock if self.opts.follow_clock => {
                self.clocks.push_back(m.at);
                while self.clocks.len() > 25 {
                    self.clocks.pop_front();
                }
                // Follow tempo changes once per quarter note.
                if self.clocks.len() == 25 {
                    let current = self.seq.as_ref().map(|s| s.tempo());
                    if let (Some(bpm), Some(cur)) = (self.clock_tempo(), current)
                        && (bpm - cur).abs() > 0.5
                    {
                        self.change_tempo(bpm);
                    }
                    self.clocks.drain(..24);
                }
            }
            MidiMessage::Start | MidiMessage::Continue if self.opts.follow_clock => {
                let mut items = self.last_items.clone();
                if let Some(bpm) = self.clock_tempo() {
                    for it in &mut items {
                        it.tempo = Some(bpm);
                    }
                }
                self.start_playback(items);
            }
            MidiMessage::Stop if self.opts.follow_clock => self.stop_playback(),
            MidiMessage::NoteOn {
                channel,
                note,
                velocity,
            } => {
                let Some(rec) = self.recorder.as_mut() else {
                    return;
                };
                if !rec.accepts(channel) {
                    return;
                }
                let track = rec.settings.track;
                let at = m.at.saturating_duration_since(self.epoch).as_secs_f64();
                let rel = at - self.play_start;
                // During a count-in a note more than half a step before the first step is
                // not part of the take (it would wrap to the pattern's end).
                if let Some(seq) = self.seq.as_ref()
                    && rel < -0.5 * 15.0 / seq.tempo()
                {
                    return;
                }
                let pos = self.seq.as_mut().and_then(|s| s.track_position(rel, track));
                let Some(rec) = self.recorder.as_mut() else {
                    return;
                };
                let n = match pos {
                    Some(p) => rec.live(note, velocity, p),
                    None => rec.step_entry(note, velocity),
                };
                let _ = self.events.send(EngineEvent::Recorded(n));
                crate::wake::wake();
                if let Some(p) = self.record_pattern.clone() {
                    self.audition(
                        &p,
                        Audition::Note {
                            track,
                            note,
                            velocity,
                        },
                    );
                }
            }
            // Thru while recording: the controller's CCs go on to the device on the channel
            // of the track being recorded (an audio track's trig channel, a MIDI track's own).
            MidiMessage::ControlChange {
                channel,
                controller,
                value,
            } => {
                let Some(rec) = self.recorder.as_ref() else {
                    return;
                };
                if !rec.accepts(channel) {
                    return;
                }
                let track = rec.settings.track;
                let to = if track < 8 {
                    self.renderer.setup.audio_channel(track)
                } else {
                    self.record_pattern
                        .as_ref()
                        .and_then(|p| p.part.midi.get(track - 8))
                        .map(|m| m.channel)
                };
                if let Some(ch) = to {
                    self.out.send(&ShortMsg::cc(ch, controller, value));
                }
            }
            _ => {}
        }
    }

    fn set_setup(&mut self, s: DeviceSetup) {
        let old = std::mem::replace(&mut self.renderer.setup, s);
        // An item without its own tempo follows the project (or pattern) tempo.
        let rel = self.now() - self.play_start;
        let Some(seq) = self.seq.as_mut() else {
            return;
        };
        seq.set_setup(s);
        let item = seq.position_at(rel).item;
        let Some(it) = seq.items().get(item) else {
            return;
        };
        if it.tempo.is_none() {
            let (was, now) = (old.tempo_for(&it.pattern), s.tempo_for(&it.pattern));
            if (was - now).abs() > 1e-9 {
                self.change_tempo(now);
            }
        }
    }

    fn update_pattern(&mut self, p: Arc<SeqPattern>) {
        if self
            .record_pattern
            .as_ref()
            .is_some_and(|r| r.name == p.name)
        {
            self.record_pattern = Some(Arc::clone(&p));
        }
        let rel = self.now() - self.play_start;
        let setup = self.renderer.setup;
        let Some(seq) = self.seq.as_mut() else {
            return;
        };
        let item = seq.position_at(rel).item;
        // The tempo the playing item had, when it plays this pattern at the setup's tempo.
        let was = seq
            .items()
            .get(item)
            .filter(|it| it.pattern.name == p.name && it.tempo.is_none())
            .map(|it| setup.tempo_for(&it.pattern));
        seq.replace_pattern(&p);
        if let Some(was) = was {
            let now = setup.tempo_for(&p);
            if (was - now).abs() > 1e-9 {
                self.change_tempo(now);
            }
        }
    }

    fn send_sysex(&mut self, port: Option<String>, msgs: Vec<Vec<u8>>) {
        let out = match port {
            Some(choice)
                if !matches!(self.out.status(), PortStatus::Connected(n) if *n == choice)
                    && Some(&choice) != self.opts.output.as_ref() =>
            {
                let system = &mut *self.system;
                let o = self
                    .extra_outs
                    .entry(choice.clone())
                    .or_insert_with(|| Output::open(system, Some(choice)));
                if !o.is_connected() {
                    o.maintain(system);
                }
                o
            }
            _ => &mut self.out,
        };
        let mut sent = 0;
        for m in &msgs {
            if out.send_raw(m) {
                sent += 1;
            }
        }
        if sent < msgs.len() {
            let _ = self.events.send(EngineEvent::Notice(format!(
                "linked patch not sent: {}",
                out.status()
            )));
        }
    }

    fn start_with_count_in(&mut self, items: Vec<PlayItem>, c: CountIn) {
        let Some(first) = items.first() else {
            return;
        };
        let tempo = first
            .tempo
            .unwrap_or_else(|| self.renderer.setup.tempo_for(&first.pattern))
            .clamp(20.0, 400.0);
        let beat = 60.0 / tempo;
        let lead = f64::from(c.beats) * beat;
        let start = self.now() + 0.005;
        self.start_playback_at(items, lead);
        if self.seq.is_none() {
            return;
        }
        if let Some(ch) = c.channel {
            for k in 0..c.beats {
                let at = start + f64::from(k) * beat;
                let velocity = if k % 4 == 0 { 127 } else { 90 };
                self.audition.push(TimedMsg {
                    at,
                    role: MsgRole::NoteOn,
                    track: 255,
                    msg: ShortMsg::note_on(ch, c.note, velocity),
                });
                self.audition.push(TimedMsg {
                    at: at + (beat / 4.0).min(0.05),
                    role: MsgRole::NoteOff,
                    track: 255,
                    msg: ShortMsg::note_off(ch, c.note),
                });
            }
        }
        if c.beats > 0 {
            self.count_in = Some((self.play_start, beat));
            self.shared.count_in.store(c.beats, Ordering::Relaxed);
            self.shared.count_in_beats.store(c.beats, Ordering::Relaxed);
        }
        if c.restart_file_input
            && self
                .input
                .choice
                .as_deref()
                .and_then(super::capture::file_choice)
                .is_some()
        {
            self.input.close();
            self.input.status = None;
            let anchor = self.epoch + Duration::from_secs_f64(self.play_start.max(0.0));
            self.input
                .try_open_at(&mut *self.system, &self.tx, Some(anchor));
        }
    }

    fn change_tempo(&mut self, bpm: f64) {
        let rel = self.now() - self.play_start;
        if let Some(seq) = self.seq.as_mut() {
            seq.set_tempo(bpm, rel);
            self.shared
                .tempo
                .store(seq.tempo().to_bits(), Ordering::Relaxed);
        }
    }

    fn clock_tempo(&self) -> Option<f64> {
        tempo_from_clocks(&self.clocks)
    }

    /// Handles a command; false to quit.
    fn handle(&mut self, c: Command) -> bool {
        match c {
            Command::Setup(s) => self.set_setup(s),
            Command::Output(choice) => {
                for m in self.audition.drain_releases() {
                    self.out.send(&m.msg);
                }
                if let Some(seq) = self.seq.as_mut() {
                    for m in seq.drain_releases() {
                        self.out.send(&m.msg);
                    }
                }
                self.out.release_all();
                self.out = Output::open(&mut *self.system, choice);
                self.renderer.forget_programs();
            }
            Command::Input(choice) => {
                self.input.close();
                self.input.status = None;
                self.input.choice = choice;
                self.input.try_open(&mut *self.system, &self.tx);
            }
            Command::Send(m) => {
                self.out.send(&m);
            }
            Command::Tempo(bpm) => self.change_tempo(bpm),
            Command::Audition(p, what) => self.audition(&p, what),
            Command::Play(items) => self.start_playback(items),
            Command::PlayCountIn(items, c) => self.start_with_count_in(items, c),
            Command::Pattern(p) => self.update_pattern(p),
            Command::Sysex(port, msgs) => self.send_sysex(port, msgs),
            Command::Arm(items) => self.last_items = items,
            Command::Stop => self.stop_playback(),
            Command::Panic => {
                for m in self.audition.drain_releases() {
                    self.out.send(&m.msg);
                }
                self.out.panic();
            }
            Command::Record(s, p) => {
                self.recorder = s.map(Recorder::new);
                self.record_pattern = p;
            }
            Command::Incoming(m) => self.incoming(m),
            Command::InputGone(name) => {
                if self.recorder.is_some() {
                    let _ = self.events.send(EngineEvent::InputLost(name.clone()));
                    crate::wake::wake();
                }
                self.input.thread = None;
                self.input.status = Some(PortStatus::Vanished(name));
                self.input.last_try = Some(Instant::now());
            }
            Command::Cue(kind, track) => {
                let now = self.now() - self.play_start;
                if let Some(seq) = self.seq.as_mut() {
                    seq.cue(crate::seq::track_play::Cue::new(now.max(0.0), track, kind));
                }
            }
            Command::Quit => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tempo_from_clock_ticks() {
        let t0 = Instant::now();
        // 24 ticks per quarter at 125 BPM: 20 ms apart.
        let ticks: VecDeque<Instant> = (0..25)
            .map(|i| t0 + Duration::from_millis(20 * i))
            .collect();
        let bpm = tempo_from_clocks(&ticks).unwrap();
        assert!((bpm - 125.0).abs() < 1e-6, "{bpm}");
        let few: VecDeque<Instant> = ticks.iter().copied().take(5).collect();
        assert_eq!(tempo_from_clocks(&few), None);
        let fast: VecDeque<Instant> = (0..10)
            .map(|i| t0 + Duration::from_micros(10 * i))
            .collect();
        assert_eq!(tempo_from_clocks(&fast), Some(300.0));
    }
}
