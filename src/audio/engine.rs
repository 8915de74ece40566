//! The preview engine: the handle the UI owns ([`AudioEngine`]), the output thread
//! that keeps the device stream alive, and the decoder workers.
//!
//! Every method of the handle returns at once. A preview request bumps the
//! preview generation, which mutes the running preview in the very next device
//! callback and makes its decoder worker exit; a new worker decodes, cuts the
//! region, resamples and pushes into a fresh lock-free ring that the callback
//! picks up. Playback starts after a short prefill, long before a long file is
//! decoded; memory is bounded by the ring.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::AudioError;
use super::decode::{AudioFileInfo, StreamDecoder};
use super::output::{
    CpalBackend, FailureNotifier, Job, LiveSource, OutputBackend, OutputCmd, OutputInfo,
    PREFERRED_RATE, RendererFactory, RendererLink, Shared,
};
use super::region::Region;
use super::resample::{StreamResampler, map_channels, playback_ratio};

/// What to preview.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewRequest {
    /// The sample file.
    pub path: PathBuf,
    /// Which frames (source frames).
    pub region: Region,
    /// Transposition in semitones, as a track's PTCH: playback speed 2^(st/12).
    pub pitch: f64,
    /// Loop the region (from its loop point) until stopped.
    pub looping: bool,
    /// With `looping`: stop after this many passes in total.
    pub passes: Option<u32>,
}

impl PreviewRequest {
    /// The whole file, once, at its own pitch.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            region: Region::WHOLE,
            pitch: 0.0,
            looping: false,
            passes: None,
        }
    }

    /// Plays `region` only.
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// Transposes by `semitones`.
    pub fn pitch(mut self, semitones: f64) -> Self {
        self.pitch = semitones;
        self
    }

    /// Loops (forever, or `passes` times in total).
    pub fn looping(mut self, passes: Option<u32>) -> Self {
        self.looping = true;
        self.passes = passes;
        self
    }
}

/// The state of the output device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceState {
    /// Being opened.
    Opening,
    /// Open and running.
    Ready(OutputInfo),
    /// No usable device (none, refused, or it vanished); the reason.
    Unavailable(String),
}

/// A snapshot of the engine for the UI's status line.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioStatus {
    /// The output device.
    pub device: DeviceState,
    /// A preview is playing.
    pub playing: bool,
    /// Loops are on.
    pub looping: bool,
    /// Volume (1.0 = unity).
    pub volume: f32,
    /// Frames of the current preview handed to the device (output frames).
    pub frames_played: u64,
    /// The file of the last preview.
    pub file: Option<PathBuf>,
    /// Bytes the decoder worker holds (ring buffer plus working buffers).
    pub buffer_bytes: usize,
}

impl AudioStatus {
    /// Short text for the status line, e.g. `audio unavailable` or `playing kick.wav`.
    pub fn label(&self) -> String {
        match &self.device {
            DeviceState::Unavailable(_) => "no sound card".to_string(),
            DeviceState::Opening => "audio starting".to_string(),
            DeviceState::Ready(_) if self.playing => {
                let name = self
                    .file
                    .as_ref()
                    .and_then(|f| f.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!(
                    "playing {name}{}",
                    if self.looping { " (loop)" } else { "" }
                )
            }
            DeviceState::Ready(_) => "audio ready".to_string(),
        }
    }

    /// Whether the device is unavailable.
    pub fn unavailable(&self) -> bool {
        matches!(self.device, DeviceState::Unavailable(_))
    }
}

/// Things the UI learns by polling [`AudioEngine::poll_events`].
#[derive(Debug, Clone, PartialEq)]
pub enum AudioEvent {
    /// A preview started decoding; the file's facts.
    Started {
        /// The file.
        path: PathBuf,
        /// Its facts.
        info: AudioFileInfo,
    },
    /// A preview played to its end.
    Finished {
        /// The file.
        path: PathBuf,
    },
    /// A message for the user (e.g. a corrupt file, audio unavailable).
    Error(String),
    /// A warning (e.g. a truncated file played as far as it goes).
    Warning(String),
    /// The output device opened.
    DeviceReady(OutputInfo),
    /// The output device vanished while in use; the reason.
    DeviceLost(String),
    /// No output device could be opened (no sound card, or it refused); the reason.
    NoDevice(String),
}

/// Engine tuning.
#[derive(Debug, Clone, Copy)]
pub struct EngineOptions {
    /// Ring buffer length in output frames (bounds memory while previewing).
    pub ring_frames: usize,
    /// Output frames decoded before the callback is handed a new preview.
    pub prefill_frames: usize,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            ring_frames: 16_384,
            prefill_frames: 2_048,
        }
    }
}

struct Inner {
    shared: Arc<Shared>,
    link: Mutex<Option<RendererLink>>,
    device: Mutex<DeviceState>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The preview engine handle, owned by the UI. All methods return immediately.
pub struct AudioEngine {
    inner: Arc<Inner>,
    options: EngineOptions,
    events_tx: Sender<AudioEvent>,
    events_rx: Mutex<Receiver<AudioEvent>>,
    out_cmd: Sender<OutputCmd>,
    output_thread: Option<JoinHandle<()>>,
    current: Mutex<Option<PathBuf>>,
    reported_finished: AtomicU64,
}

/// The name the tracker uses for the engine handle.
pub type PreviewHandle = AudioEngine;

impl std::fmt::Debug for AudioEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioEngine").finish_non_exhaustive()
    }
}

impl AudioEngine {
    /// An engine on the sound card (`device`: name, or `None` for the default).
    /// Never fails: without a device the status says "audio unavailable".
    pub fn new(device: Option<String>) -> Self {
        Self::with_backend(Box::new(CpalBackend { device }), EngineOptions::default())
    }

    /// An engine on any output backend.
    pub fn with_backend(backend: Box<dyn OutputBackend>, options: EngineOptions) -> Self {
        let shared = Arc::new(Shared::new());
        let inner = Arc::new(Inner {
            shared,
            link: Mutex::new(None),
            device: Mutex::new(DeviceState::Opening),
        });
        let (events_tx, events_rx) = mpsc::channel();
        let (cmd_tx, cmd_rx) = mpsc::channel();
        let thread_inner = inner.clone();
        let thread_events = events_tx.clone();
        let thread_cmd = cmd_tx.clone();
        let output_thread = std::thread::Builder::new()
            .name("octa-audio-output".into())
            .spawn(move || output_thread(backend, thread_inner, thread_events, cmd_rx, thread_cmd));
        let output_thread = match output_thread {
            Ok(h) => Some(h),
            Err(e) => {
                *lock(&inner.device) =
                    DeviceState::Unavailable(format!("cannot start the audio thread: {e}"));
                None
            }
        };
        Self {
            inner,
            options,
            events_tx,
            events_rx: Mutex::new(events_rx),
            out_cmd: cmd_tx,
            output_thread,
            current: Mutex::new(None),
            reported_finished: AtomicU64::new(0),
        }
    }

    fn shared(&self) -> &Shared {
        &self.inner.shared
    }

    fn empty_trash(&self) {
        if let Some(link) = lock(&self.inner.link).as_mut() {
            while link.trash.pop().is_ok() {}
            while link.live_back.pop().is_ok() {}
        }
    }

    /// Hands a live source (the local sample engine) to the device callback, which mixes
    /// it after the preview from its next buffer on (replacing the one before). An output
    /// that does not run at 44.1 kHz (the engine's rate) gets the source through a real-time
    /// resampler ([`super::live_rate::Resampled`]). Fails without a device.
    pub fn attach_live(&self, source: Box<dyn LiveSource>) -> Result<(), AudioError> {
        self.empty_trash();
        if let DeviceState::Unavailable(reason) = lock(&self.inner.device).clone() {
            let _ = self.out_cmd.send(OutputCmd::Retry);
            return Err(AudioError::Unavailable(reason));
        }
        let mut link = lock(&self.inner.link);
        let Some(link) = link.as_mut() else {
            return Err(AudioError::Unavailable("the output is not open yet".into()));
        };
        // The engine renders at 44.1 kHz; another output rate is converted in real time.
        let source = if link.sample_rate != PREFERRED_RATE {
            Box::new(super::live_rate::Resampled::new(
                source,
                PREFERRED_RATE,
                link.sample_rate,
            )?)
        } else {
            source
        };
        link.live
            .push(source)
            .map_err(|_| AudioError::Unavailable("the output is not taking a new source".into()))
    }

    /// Starts a preview, cancelling the running one at once. Answers
    /// `Err(Unavailable)` without a device (and asks the device to reopen).
    /// Decoding errors arrive later as [`AudioEvent::Error`].
    pub fn preview(&self, request: PreviewRequest) -> Result<(), AudioError> {
        self.empty_trash();
        let shared = self.shared();
        let generation = shared.generation.fetch_add(1, Ordering::AcqRel) + 1;
        if let DeviceState::Unavailable(reason) = lock(&self.inner.device).clone() {
            let _ = self.out_cmd.send(OutputCmd::Retry);
            shared.finished.store(generation, Ordering::Release);
            self.reported_finished.store(generation, Ordering::Release);
            return Err(AudioError::Unavailable(reason));
        }
        shared.started.store(generation, Ordering::Release);
        shared.frames_played.store(0, Ordering::Relaxed);
        shared.looping.store(request.looping, Ordering::Release);
        *lock(&self.current) = Some(request.path.clone());
        let inner = self.inner.clone();
        let events = self.events_tx.clone();
        let options = self.options;
        let spawned = std::thread::Builder::new()
            .name("octa-preview".into())
            .spawn(move || run_worker(request, generation, inner, events, options));
        if let Err(e) = spawned {
            shared.finished.store(generation, Ordering::Release);
            return Err(AudioError::Unavailable(format!(
                "cannot start the decoder thread: {e}"
            )));
        }
        Ok(())
    }

    /// Stops the running preview at once.
    pub fn stop(&self) {
        self.shared().generation.fetch_add(1, Ordering::AcqRel);
        self.empty_trash();
    }

    /// Turns looping of the running (and following) preview on or off.
    pub fn set_loop(&self, on: bool) {
        self.shared().looping.store(on, Ordering::Release);
    }

    /// Sets the volume (clamped to 0..=2; 1 = unity).
    pub fn set_volume(&self, volume: f32) {
        let v = if volume.is_finite() {
            volume.clamp(0.0, 2.0)
        } else {
            1.0
        };
        self.shared().volume.store(v.to_bits(), Ordering::Relaxed);
    }

    /// Whether a preview is playing.
    pub fn is_playing(&self) -> bool {
        let s = self.shared();
        let g = s.generation.load(Ordering::Acquire);
        s.started.load(Ordering::Acquire) == g && s.finished.load(Ordering::Acquire) != g
    }

    /// Frames of the current preview handed to the device so far (cheap: one atomic load).
    pub fn frames_played(&self) -> u64 {
        self.shared().frames_played.load(Ordering::Relaxed)
    }

    /// A snapshot for the status line.
    pub fn status(&self) -> AudioStatus {
        let s = self.shared();
        AudioStatus {
            device: lock(&self.inner.device).clone(),
            playing: self.is_playing(),
            looping: s.looping.load(Ordering::Acquire),
            volume: f32::from_bits(s.volume.load(Ordering::Relaxed)),
            frames_played: s.frames_played.load(Ordering::Relaxed),
            file: lock(&self.current).clone(),
            buffer_bytes: s.worker_bytes.load(Ordering::Relaxed),
        }
    }

    /// Events since the last call (never blocks).
    pub fn poll_events(&self) -> Vec<AudioEvent> {
        self.empty_trash();
        let mut out: Vec<AudioEvent> = lock(&self.events_rx).try_iter().collect();
        let s = self.shared();
        let g = s.generation.load(Ordering::Acquire);
        if s.started.load(Ordering::Acquire) == g
            && s.finished.load(Ordering::Acquire) == g
            && self.reported_finished.swap(g, Ordering::AcqRel) != g
            && let Some(path) = lock(&self.current).clone()
        {
            out.push(AudioEvent::Finished { path });
        }
        out
    }

    /// Waits (blocking; for the CLI, not the UI) until the device is open or
    /// known to be unavailable, at most `timeout`.
    pub fn wait_for_device(&self, timeout: Duration) -> DeviceState {
        let until = Instant::now() + timeout;
        loop {
            let state = lock(&self.inner.device).clone();
            if state != DeviceState::Opening || Instant::now() >= until {
                return state;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for AudioEngine {
    fn drop(&mut self) {
        self.shared().generation.fetch_add(1, Ordering::AcqRel);
        let _ = self.out_cmd.send(OutputCmd::Shutdown);
        if let Some(h) = self.output_thread.take() {
            let _ = h.join();
        }
    }
}

fn output_thread(
    mut backend: Box<dyn OutputBackend>,
    inner: Arc<Inner>,
    events: Sender<AudioEvent>,
    cmds: Receiver<OutputCmd>,
    cmd_tx: Sender<OutputCmd>,
) {
    let mut guard: Option<Box<dyn std::any::Any>> = None;
    let mut epoch = 0u64;
    let mut open = true;
    loop {
        if open {
            open = false;
            epoch += 1;
            let mut factory = RendererFactory::new(inner.shared.clone());
            let notifier = FailureNotifier::new(cmd_tx.clone(), epoch);
            match backend.start(&mut factory, notifier) {
                Ok((info, g)) => {
                    *lock(&inner.link) = factory.link.take();
                    *lock(&inner.device) = DeviceState::Ready(info.clone());
                    guard = Some(g);
                    let _ = events.send(AudioEvent::DeviceReady(info));
                    crate::wake::wake();
                }
                Err(e) => {
                    let reason = match e {
                        AudioError::Unavailable(r) => r,
                        other => other.to_string(),
                    };
                    *lock(&inner.device) = DeviceState::Unavailable(reason.clone());
                    let _ = events.send(AudioEvent::NoDevice(reason));
                    crate::wake::wake();
                }
            }
        }
        match cmds.recv() {
            Ok(OutputCmd::Failed(reason, from)) => {
                if from != epoch || guard.is_none() {
                    continue;
                }
                drop(guard.take());
                *lock(&inner.link) = None;
                let g = inner.shared.generation.load(Ordering::Acquire);
                inner.shared.finished.store(g, Ordering::Release);
                *lock(&inner.device) = DeviceState::Unavailable(reason.clone());
                let _ = events.send(AudioEvent::DeviceLost(reason));
                crate::wake::wake();
            }
            Ok(OutputCmd::Retry) => open = guard.is_none(),
            Ok(OutputCmd::Shutdown) | Err(_) => break,
        }
    }
    drop(guard);
    *lock(&inner.link) = None;
}

/// Why a worker stopped early without an error to report.
enum Stop {
    Cancelled,
    Failed(AudioError),
}

impl From<AudioError> for Stop {
    fn from(e: AudioError) -> Self {
        Stop::Failed(e)
    }
}

fn run_worker(
    request: PreviewRequest,
    generation: u64,
    inner: Arc<Inner>,
    events: Sender<AudioEvent>,
    options: EngineOptions,
) {
    // A decoder bug must not leave the preview "playing" forever: a panic is
    // reported like any other failure.
    let result = crate::guard::catch(|| {
        Worker::new(&request, generation, &inner, &events, options).and_then(|w| w.run())
    })
    .unwrap_or_else(|| {
        Err(Stop::Failed(AudioError::Corrupt {
            path: request.path.clone(),
            reason: "the decoder failed unexpectedly".into(),
        }))
    });
    inner.shared.worker_bytes.store(0, Ordering::Relaxed);
    crate::wake::wake();
    if let Err(stop) = result {
        if inner.shared.generation.load(Ordering::Acquire) == generation {
            inner.shared.finished.store(generation, Ordering::Release);
        }
        if let Stop::Failed(e) = stop {
            let _ = events.send(AudioEvent::Error(e.to_string()));
            crate::wake::wake();
        }
    }
}

/// One preview's decoder worker.
struct Worker<'a> {
    request: &'a PreviewRequest,
    generation: u64,
    inner: &'a Inner,
    events: &'a Sender<AudioEvent>,
    options: EngineOptions,
    decoder: StreamDecoder,
    region: Region,
    out: OutputInfo,
    resampler: StreamResampler,
    producer: rtrb::Producer<f32>,
    job: Option<Job>,
    ring_bytes: usize,
    // Working buffers, reused.
    chunk: Vec<f32>,
    reduced: Vec<f32>,
    resampled: Vec<f32>,
    mapped: Vec<f32>,
}

impl<'a> Worker<'a> {
    fn new(
        request: &'a PreviewRequest,
        generation: u64,
        inner: &'a Inner,
        events: &'a Sender<AudioEvent>,
        options: EngineOptions,
    ) -> Result<Self, Stop> {
        let decoder = StreamDecoder::open(&request.path)?;
        let info = decoder.info().clone();
        let region = request
            .region
            .clamp_to(info.frames)
            .map_err(|reason| AudioError::Region {
                path: request.path.clone(),
                reason,
            })?;
        let out = wait_for_output(inner, generation)?;
        let _ = events.send(AudioEvent::Started {
            path: request.path.clone(),
            info: info.clone(),
        });
        crate::wake::wake();
        let src_ch = usize::from(info.channels.min(2));
        let ratio = playback_ratio(info.sample_rate, out.sample_rate, request.pitch);
        let resampler = StreamResampler::new(ratio, src_ch)?;
        let ring_len = options.ring_frames.max(64) * usize::from(out.channels.max(1));
        let (producer, consumer) = rtrb::RingBuffer::new(ring_len);
        Ok(Self {
            request,
            generation,
            inner,
            events,
            options,
            decoder,
            region,
            out,
            resampler,
            producer,
            job: Some(Job {
                generation,
                audio: consumer,
            }),
            ring_bytes: ring_len * std::mem::size_of::<f32>(),
            chunk: Vec::new(),
            reduced: Vec::new(),
            resampled: Vec::new(),
            mapped: Vec::new(),
        })
    }

    fn cancelled(&self) -> bool {
        self.inner.shared.generation.load(Ordering::Acquire) != self.generation
    }

    fn run(mut self) -> Result<(), Stop> {
        let path = self.request.path.clone();
        let mut pass = 0u32;
        let mut from = self.region.start;
        loop {
            if pass > 0 {
                self.decoder = StreamDecoder::open(&path)?;
            }
            let mut chunk = std::mem::take(&mut self.chunk);
            self.decoder.seek_to(from, &mut chunk)?;
            let mut pos = from;
            let ch = usize::from(self.decoder.info().channels);
            loop {
                if chunk.is_empty() {
                    let n = self.decoder.next_chunk(&mut chunk)?;
                    if n == 0 {
                        break;
                    }
                    pos = self.decoder.position() - n as u64;
                }
                let frames = (chunk.len() / ch) as u64;
                let take = match self.region.end {
                    Some(end) => end.saturating_sub(pos).min(frames),
                    None => frames,
                };
                self.feed(&chunk[..take as usize * ch], ch)?;
                pos += frames;
                chunk.clear();
                if self.region.end.is_some_and(|e| pos >= e) {
                    break;
                }
            }
            self.chunk = chunk;
            for w in self.decoder.take_warnings() {
                let _ = self.events.send(AudioEvent::Warning(w));
                crate::wake::wake();
            }
            if self.region.end.is_none() {
                self.region.end = Some(pos);
            }
            pass += 1;
            let again = self.inner.shared.looping.load(Ordering::Acquire)
                && self.request.passes.is_none_or(|n| pass < n);
            if !again || self.cancelled() {
                break;
            }
            from = self.region.loop_start.unwrap_or(self.region.start);
        }
        self.resampled.clear();
        self.resampler.finish(&mut self.resampled)?;
        self.map_and_push()?;
        self.publish()?;
        Ok(())
    }

    /// Reduces to at most two channels, resamples, maps and pushes.
    fn feed(&mut self, samples: &[f32], ch: usize) -> Result<(), Stop> {
        let src_ch = self.resampler.channels();
        self.reduced.clear();
        map_channels(samples, ch, src_ch, &mut self.reduced);
        self.resampled.clear();
        self.resampler.process(&self.reduced, &mut self.resampled)?;
        self.map_and_push()
    }

    fn map_and_push(&mut self) -> Result<(), Stop> {
        let out_ch = usize::from(self.out.channels.max(1));
        self.mapped.clear();
        map_channels(
            &self.resampled,
            self.resampler.channels(),
            out_ch,
            &mut self.mapped,
        );
        let bytes = self.ring_bytes
            + 4 * (self.chunk.capacity()
                + self.reduced.capacity()
                + self.resampled.capacity()
                + self.mapped.capacity());
        self.inner
            .shared
            .worker_bytes
            .store(bytes, Ordering::Relaxed);
        let prefill = self.options.prefill_frames * out_ch;
        let mut offset = 0;
        while offset < self.mapped.len() {
            if self.cancelled() {
                return Err(Stop::Cancelled);
            }
            let room = self.producer.slots().min(self.mapped.len() - offset);
            if room > 0 {
                if let Ok(chunk) = self.producer.write_chunk_uninit(room) {
                    chunk.fill_from_iter(self.mapped[offset..offset + room].iter().copied());
                }
                offset += room;
            }
            let queued = self.producer.buffer().capacity() - self.producer.slots();
            if self.job.is_some() && (queued >= prefill || self.producer.is_full()) {
                self.publish()?;
            }
            if offset < self.mapped.len() {
                if self.job.is_none() && self.producer.is_abandoned() {
                    // The device went away with our ring.
                    return Err(Stop::Cancelled);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        Ok(())
    }

    /// Hands the job (the ring's consumer) to the callback, once.
    fn publish(&mut self) -> Result<(), Stop> {
        let Some(mut job) = self.job.take() else {
            return Ok(());
        };
        loop {
            if self.cancelled() {
                return Err(Stop::Cancelled);
            }
            let mut link = lock(&self.inner.link);
            let Some(l) = link.as_mut() else {
                return Err(Stop::Failed(AudioError::Unavailable(
                    "the output device is gone".into(),
                )));
            };
            match l.jobs.push(job) {
                Ok(()) => return Ok(()),
                Err(rtrb::PushError::Full(j)) => job = j,
            }
            drop(link);
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// Waits for the output to be open (it opens in the background at start-up).
fn wait_for_output(inner: &Inner, generation: u64) -> Result<OutputInfo, Stop> {
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        match lock(&inner.device).clone() {
            DeviceState::Ready(info) => return Ok(info),
            DeviceState::Unavailable(r) => return Err(Stop::Failed(AudioError::Unavailable(r))),
            DeviceState::Opening => {}
        }
        if inner.shared.generation.load(Ordering::Acquire) != generation {
            return Err(Stop::Cancelled);
        }
        if Instant::now() >= until {
            return Err(Stop::Failed(AudioError::Unavailable(
                "the output device did not open".into(),
            )));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}
