//! The realtime side: the [`Renderer`] that a device callback calls, the cpal
//! output ([`CpalBackend`]) and a software sink with no device ([`NullOutput`]).
//!
//! The renderer never allocates, locks or does I/O: it takes new preview jobs
//! (each a lock-free rtrb ring of interleaved `f32` at the device rate and
//! channel count) from a job ring, hands finished jobs back through a trash ring
//! for the engine to free, and mutes at once when the preview generation moves on.

use std::any::Any;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, Sample, SizedSample};

use super::AudioError;

/// Frames per device buffer asked for when the device allows a fixed size.
pub const PREFERRED_BUFFER_FRAMES: u32 = 256;
/// The sample rate asked for first (the Octatrack's).
pub const PREFERRED_RATE: u32 = 44_100;

/// One preview on its way to the callback.
pub(crate) struct Job {
    pub(crate) generation: u64,
    pub(crate) audio: rtrb::Consumer<f32>,
}

/// State shared between the engine handle, the decoder worker and the callback
/// (atomics only).
#[derive(Debug)]
pub(crate) struct Shared {
    /// Bumped by every preview and stop; the callback plays only the job of the
    /// current generation.
    pub(crate) generation: AtomicU64,
    /// Generation of the last accepted preview.
    pub(crate) started: AtomicU64,
    /// Generation whose job has played out (or failed).
    pub(crate) finished: AtomicU64,
    /// Volume as `f32` bits.
    pub(crate) volume: AtomicU32,
    /// Frames of the current job handed to the device.
    pub(crate) frames_played: AtomicU64,
    /// Whether loops are on for the running preview.
    pub(crate) looping: AtomicBool,
    /// Bytes the decoder worker holds (ring plus working buffers).
    pub(crate) worker_bytes: AtomicUsize,
}

impl Shared {
    pub(crate) fn new() -> Self {
        Self {
            generation: AtomicU64::new(0),
            started: AtomicU64::new(0),
            finished: AtomicU64::new(0),
            volume: AtomicU32::new(1f32.to_bits()),
            frames_played: AtomicU64::new(0),
            looping: AtomicBool::new(false),
            worker_bytes: AtomicUsize::new(0),
        }
    }
}

/// A second source the callback mixes after the preview: the local sample engine
/// (`engine::live`). Implementations are real-time safe.
pub trait LiveSource: Send {
    /// Adds `out.len() / channels` interleaved frames into `out`.
    fn process_add(&mut self, out: &mut [f32], channels: usize);
}

/// Samples of the callback's mixing buffer (a longer device buffer is done in parts).
const SCRATCH: usize = 4096;

/// The callback side of the engine. A backend calls [`Renderer::render`] from its
/// device callback with the interleaved output buffer.
pub struct Renderer {
    shared: Arc<Shared>,
    jobs: rtrb::Consumer<Job>,
    trash: rtrb::Producer<Job>,
    current: Option<Job>,
    live_in: rtrb::Consumer<Box<dyn LiveSource>>,
    live_out: rtrb::Producer<Box<dyn LiveSource>>,
    live: Option<Box<dyn LiveSource>>,
    scratch: Box<[f32]>,
    channels: usize,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").finish_non_exhaustive()
    }
}

/// The engine's ends of the renderer's rings.
pub(crate) struct RendererLink {
    pub(crate) jobs: rtrb::Producer<Job>,
    pub(crate) trash: rtrb::Consumer<Job>,
    /// A new live source for the callback.
    pub(crate) live: rtrb::Producer<Box<dyn LiveSource>>,
    /// The live source it replaced, to be dropped off the audio thread.
    pub(crate) live_back: rtrb::Consumer<Box<dyn LiveSource>>,
    /// The output's sample rate (the live source needs 44.1 kHz).
    pub(crate) sample_rate: u32,
}

/// Makes renderers for a backend. A backend may make more than one (e.g. when a
/// first attempt to open the device consumed one); the last one made is the one
/// the engine feeds.
pub struct RendererFactory {
    shared: Arc<Shared>,
    pub(crate) link: Option<RendererLink>,
}

impl std::fmt::Debug for RendererFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RendererFactory").finish_non_exhaustive()
    }
}

impl RendererFactory {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared, link: None }
    }

    /// A new renderer for an output of `channels` channels at `sample_rate`; replaces
    /// any made before.
    pub fn make(&mut self, channels: u16, sample_rate: u32) -> Renderer {
        let (mut r, mut link) = Renderer::new(self.shared.clone());
        r.channels = usize::from(channels.max(1));
        link.sample_rate = sample_rate;
        self.link = Some(link);
        r
    }
}

impl Renderer {
    pub(crate) fn new(shared: Arc<Shared>) -> (Self, RendererLink) {
        let (jobs_tx, jobs_rx) = rtrb::RingBuffer::new(8);
        let (trash_tx, trash_rx) = rtrb::RingBuffer::new(16);
        let (live_tx, live_rx) = rtrb::RingBuffer::new(4);
        let (back_tx, back_rx) = rtrb::RingBuffer::new(8);
        (
            Self {
                shared,
                jobs: jobs_rx,
                trash: trash_tx,
                current: None,
                live_in: live_rx,
                live_out: back_tx,
                live: None,
                scratch: vec![0.0; SCRATCH].into_boxed_slice(),
                channels: 2,
            },
            RendererLink {
                jobs: jobs_tx,
                trash: trash_rx,
                live: live_tx,
                live_back: back_rx,
                sample_rate: PREFERRED_RATE,
            },
        )
    }

    /// Fills `out` (interleaved, the device's channel count) with the running
    /// preview plus the live source, silence where there is none. Returns how many
    /// samples came from the preview. Realtime-safe: no allocation, locking or I/O.
    pub fn render<T>(&mut self, out: &mut [T]) -> usize
    where
        T: Sample + FromSample<f32>,
    {
        self.take_jobs();
        if let Ok(new) = self.live_in.pop()
            && let Some(old) = self.live.replace(new)
            && let Err(rtrb::PushError::Full(old)) = self.live_out.push(old)
        {
            // Never free in the callback.
            std::mem::forget(old);
        }
        let ch = self.channels.max(1);
        let step = ((SCRATCH / ch) * ch).max(ch);
        let mut written = 0;
        let mut scratch = std::mem::take(&mut self.scratch);
        for chunk in out.chunks_mut(step) {
            let s = &mut scratch[..chunk.len()];
            s.fill(0.0);
            written += self.read_preview(s);
            if let Some(live) = self.live.as_mut() {
                live.process_add(s, ch);
            }
            for (d, x) in chunk.iter_mut().zip(s.iter()) {
                *d = T::from_sample(*x);
            }
        }
        self.scratch = scratch;
        written
    }

    /// Takes the newest preview job; retires the old one through the trash ring (the
    /// engine frees it). If the trash is full, keeps the old one for now. A cancelled
    /// worker may publish after a newer one: the newest generation wins.
    fn take_jobs(&mut self) {
        while self.jobs.slots() > 0 && self.trash.slots() > 0 {
            let Ok(job) = self.jobs.pop() else { break };
            let retired = match self.current.take() {
                Some(cur) if cur.generation > job.generation => {
                    self.current = Some(cur);
                    job
                }
                Some(cur) => {
                    self.current = Some(job);
                    cur
                }
                None => {
                    self.current = Some(job);
                    continue;
                }
            };
            if let Err(rtrb::PushError::Full(j)) = self.trash.push(retired) {
                // Cannot happen: a slot was checked and this is the only producer.
                // Were it to, leak the job rather than free memory in the callback.
                std::mem::forget(j);
            }
        }
    }

    /// Writes the running preview (at its volume) into the start of `dst`; returns the
    /// samples written.
    fn read_preview(&mut self, dst: &mut [f32]) -> usize {
        let generation = self.shared.generation.load(Ordering::Acquire);
        let mut written = 0;
        if let Some(job) = self.current.as_mut()
            && job.generation == generation
        {
            let volume = f32::from_bits(self.shared.volume.load(Ordering::Relaxed));
            let n = job.audio.slots().min(dst.len());
            if let Ok(chunk) = job.audio.read_chunk(n) {
                let (a, b) = chunk.as_slices();
                for (d, src) in dst.iter_mut().zip(a.iter().chain(b.iter())) {
                    *d = *src * volume;
                }
                chunk.commit_all();
                written = n;
            }
            if n > 0 {
                self.shared
                    .frames_played
                    .fetch_add(n as u64, Ordering::Relaxed);
            }
            if written < dst.len() && job.audio.is_empty() && job.audio.is_abandoned() {
                self.shared.finished.store(generation, Ordering::Release);
            }
        }
        written
    }
}

/// What an opened output looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputInfo {
    /// Device name.
    pub device: String,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Channel count.
    pub channels: u16,
    /// Sample format, e.g. `f32`.
    pub sample_format: String,
    /// Fixed buffer size in frames, when the device accepted one.
    pub buffer_frames: Option<u32>,
}

impl std::fmt::Display for OutputInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} Hz, {} ch, {}, buffer {}",
            self.device,
            self.sample_rate,
            self.channels,
            self.sample_format,
            self.buffer_frames
                .map_or_else(|| "default".to_string(), |b| format!("{b} frames"))
        )
    }
}

/// Reports that a running output failed (device vanished); given to backends.
#[derive(Debug, Clone)]
pub struct FailureNotifier {
    tx: Sender<OutputCmd>,
    epoch: u64,
}

impl FailureNotifier {
    pub(crate) fn new(tx: Sender<OutputCmd>, epoch: u64) -> Self {
        Self { tx, epoch }
    }

    /// Tells the engine the output stopped working.
    pub fn fail(&self, reason: String) {
        let _ = self.tx.send(OutputCmd::Failed(reason, self.epoch));
    }
}

/// Commands to the engine's output thread.
#[derive(Debug)]
pub(crate) enum OutputCmd {
    Failed(String, u64),
    Retry,
    Shutdown,
}

/// A way to play the renderer's output: the sound card or a software sink.
pub trait OutputBackend: Send {
    /// Opens the output and starts calling `renderer` from its callback. The
    /// returned guard keeps the stream running until it is dropped (it stays on
    /// the engine's output thread).
    fn start(
        &mut self,
        renderers: &mut RendererFactory,
        failure: FailureNotifier,
    ) -> Result<(OutputInfo, Box<dyn Any>), AudioError>;
}

/// One output device as listed by `octa audio devices`.
#[derive(Debug, Clone)]
pub struct DeviceListing {
    /// Name to pass to `--audio-device`.
    pub name: String,
    /// The host's id for it (`alsa:null`); also accepted by `--audio-device`.
    pub id: String,
    /// Whether it is the default output.
    pub is_default: bool,
    /// Supported configurations, one line each.
    pub configs: Vec<String>,
}

/// Lists the output devices of the default host.
pub fn list_output_devices() -> Result<Vec<DeviceListing>, AudioError> {
    let host = cpal::default_host();
    let default_id = host.default_output_device().and_then(|d| d.id().ok());
    let devices = host
        .output_devices()
        .map_err(|e| AudioError::Unavailable(e.to_string()))?;
    let mut out = Vec::new();
    for d in devices {
        let Ok(desc) = d.description() else { continue };
        let name = desc.name().to_string();
        let configs = d
            .supported_output_configs()
            .map(|cs| summarize_configs(cs.collect()))
            .unwrap_or_default();
        out.push(DeviceListing {
            id: d.id().map(|i| i.to_string()).unwrap_or_default(),
            is_default: default_id.is_some() && d.id().ok() == default_id,
            name,
            configs,
        });
    }
    Ok(out)
}

/// Configurations sharing one sample-rate range.
struct ConfigGroup {
    rates: (u32, u32),
    channels: (u16, u16),
    formats: Vec<String>,
}

/// One line per rate range: channel range and sample formats.
fn summarize_configs(ranges: Vec<cpal::SupportedStreamConfigRange>) -> Vec<String> {
    let mut groups: Vec<ConfigGroup> = Vec::new();
    for r in ranges {
        let rates = (r.min_sample_rate(), r.max_sample_rate());
        let fmt = r.sample_format().to_string();
        let idx = match groups.iter().position(|g| g.rates == rates) {
            Some(i) => i,
            None => {
                groups.push(ConfigGroup {
                    rates,
                    channels: (r.channels(), r.channels()),
                    formats: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[idx];
        g.channels = (
            g.channels.0.min(r.channels()),
            g.channels.1.max(r.channels()),
        );
        if !g.formats.contains(&fmt) {
            g.formats.push(fmt);
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let ch = match g.channels {
                (a, b) if a == b => format!("{a} ch"),
                (a, b) => format!("{a}-{b} ch"),
            };
            let rate = match g.rates {
                (a, b) if a == b => format!("{a} Hz"),
                (a, b) => format!("{a}-{b} Hz"),
            };
            format!("{ch}, {rate}: {}", g.formats.join(" "))
        })
        .collect()
}

/// The sound card through cpal's default host.
#[derive(Debug, Clone, Default)]
pub struct CpalBackend {
    /// Device name (exact, else a case-insensitive substring); `None` = default.
    pub device: Option<String>,
}

fn find_device(host: &cpal::Host, wanted: Option<&str>) -> Result<cpal::Device, AudioError> {
    let Some(wanted) = wanted else {
        return host
            .default_output_device()
            .ok_or_else(|| AudioError::Unavailable("no default output device".into()));
    };
    let devices: Vec<cpal::Device> = host
        .output_devices()
        .map_err(|e| AudioError::Unavailable(e.to_string()))?
        .collect();
    let name_of = |d: &cpal::Device| d.description().map(|d| d.name().to_string()).ok();
    // Exact name, or the device id with or without its host (`alsa:null`, `null`).
    let id_matches = |d: &cpal::Device| {
        d.id().is_ok_and(|id| {
            let full = id.to_string();
            full == wanted || full.split_once(':').is_some_and(|(_, pcm)| pcm == wanted)
        })
    };
    if let Some(d) = devices
        .iter()
        .find(|d| name_of(d).as_deref() == Some(wanted) || id_matches(d))
    {
        return Ok(d.clone());
    }
    let lower = wanted.to_lowercase();
    devices
        .into_iter()
        .find(|d| name_of(d).is_some_and(|n| n.to_lowercase().contains(&lower)))
        .ok_or_else(|| {
            AudioError::Unavailable(format!(
                "no output device named {wanted:?} (see `octa audio devices`)"
            ))
        })
}

/// Ranks a sample format: f32 and i16 first, as the renderer converts from f32.
fn format_rank(f: cpal::SampleFormat) -> Option<u8> {
    use cpal::SampleFormat as F;
    Some(match f {
        F::F32 => 0,
        F::I16 => 1,
        F::I32 => 2,
        F::F64 => 3,
        F::U16 => 4,
        F::I8 => 5,
        F::U8 => 6,
        _ => return None,
    })
}

fn choose_config(device: &cpal::Device) -> Result<cpal::SupportedStreamConfig, AudioError> {
    let ranges: Vec<cpal::SupportedStreamConfigRange> = device
        .supported_output_configs()
        .map_err(|e| AudioError::Unavailable(e.to_string()))?
        .collect();
    let best = ranges
        .iter()
        .filter(|r| format_rank(r.sample_format()).is_some())
        .filter(|r| r.min_sample_rate() <= PREFERRED_RATE && PREFERRED_RATE <= r.max_sample_rate())
        .min_by_key(|r| {
            (
                r.channels() != 2,
                r.channels(),
                format_rank(r.sample_format()),
            )
        });
    if let Some(r) = best {
        return Ok((*r).with_sample_rate(PREFERRED_RATE));
    }
    device
        .default_output_config()
        .map_err(|e| AudioError::Unavailable(e.to_string()))
}

fn build<T>(
    device: &cpal::Device,
    config: cpal::StreamConfig,
    mut renderer: Renderer,
    failure: FailureNotifier,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + FromSample<f32> + Send + 'static,
{
    device.build_output_stream::<T, _, _>(
        config,
        move |data: &mut [T], _| {
            renderer.render(data);
        },
        move |err: cpal::Error| {
            use cpal::ErrorKind as K;
            match err.kind() {
                K::Xrun | K::DeviceChanged | K::RealtimeDenied => {}
                _ => failure.fail(err.to_string()),
            }
        },
        None,
    )
}

fn build_any(
    device: &cpal::Device,
    format: cpal::SampleFormat,
    config: cpal::StreamConfig,
    renderer: Renderer,
    failure: FailureNotifier,
) -> Result<cpal::Stream, cpal::Error> {
    use cpal::SampleFormat as F;
    match format {
        F::I16 => build::<i16>(device, config, renderer, failure),
        F::I32 => build::<i32>(device, config, renderer, failure),
        F::F64 => build::<f64>(device, config, renderer, failure),
        F::U16 => build::<u16>(device, config, renderer, failure),
        F::I8 => build::<i8>(device, config, renderer, failure),
        F::U8 => build::<u8>(device, config, renderer, failure),
        _ => build::<f32>(device, config, renderer, failure),
    }
}

impl OutputBackend for CpalBackend {
    fn start(
        &mut self,
        renderers: &mut RendererFactory,
        failure: FailureNotifier,
    ) -> Result<(OutputInfo, Box<dyn Any>), AudioError> {
        let host = cpal::default_host();
        let device = find_device(&host, self.device.as_deref())?;
        let name = device
            .description()
            .map(|d| d.name().to_string())
            .unwrap_or_else(|_| "output".to_string());
        let supported = choose_config(&device)?;
        let format = supported.sample_format();
        if format_rank(format).is_none() {
            return Err(AudioError::Unavailable(format!(
                "{name}: sample format {format} is not supported"
            )));
        }
        let fixed = match supported.buffer_size() {
            cpal::SupportedBufferSize::Range { min, max } => {
                Some(PREFERRED_BUFFER_FRAMES.clamp(*min, (*max).max(*min)))
            }
            cpal::SupportedBufferSize::Unknown => None,
        };
        let mut config: cpal::StreamConfig = supported.config();
        // A fixed small buffer for low latency; the device default when refused.
        let mut attempts = vec![None];
        if fixed.is_some() {
            attempts.insert(0, fixed);
        }
        let mut last_err = String::from("cannot open the output");
        for size in attempts {
            config.buffer_size = match size {
                Some(f) => cpal::BufferSize::Fixed(f),
                None => cpal::BufferSize::Default,
            };
            let renderer = renderers.make(config.channels, config.sample_rate);
            match build_any(&device, format, config, renderer, failure.clone()) {
                Ok(stream) => {
                    stream
                        .play()
                        .map_err(|e| AudioError::Unavailable(format!("{name}: {e}")))?;
                    return Ok((
                        OutputInfo {
                            device: name,
                            sample_rate: config.sample_rate,
                            channels: config.channels,
                            sample_format: format.to_string(),
                            buffer_frames: size,
                        },
                        Box::new(stream),
                    ));
                }
                Err(e) => last_err = e.to_string(),
            }
        }
        Err(AudioError::Unavailable(format!("{name}: {last_err}")))
    }
}

/// A software output with no device: a thread calls the renderer like a device
/// callback (every period in real time, or back to back), optionally records what
/// it got and optionally fails after a number of callbacks (a device vanishing).
/// For tests, benchmarks and headless use.
#[derive(Debug, Clone)]
pub struct NullOutput {
    /// Sample rate reported.
    pub sample_rate: u32,
    /// Channel count.
    pub channels: u16,
    /// Frames per callback.
    pub period_frames: usize,
    /// Sleep one period between callbacks (real-time pace); otherwise yield only.
    pub realtime: bool,
    /// Fail (as a vanished device) after this many callbacks.
    pub fail_after: Option<u64>,
    /// Collected preview samples and buffers where the live source sounded (interleaved;
    /// silent buffers are not kept), when set.
    pub record: Option<Arc<Mutex<Vec<f32>>>>,
    /// Set to the callback count at which the first preview sample was rendered.
    pub first_sample: Option<Arc<AtomicU64>>,
    /// Fail to open at all (no device).
    pub unavailable: bool,
}

impl Default for NullOutput {
    fn default() -> Self {
        Self {
            sample_rate: PREFERRED_RATE,
            channels: 2,
            period_frames: 256,
            realtime: false,
            fail_after: None,
            record: None,
            first_sample: None,
            unavailable: false,
        }
    }
}

struct StopOnDrop(Arc<AtomicBool>, Option<std::thread::JoinHandle<()>>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
        if let Some(h) = self.1.take() {
            let _ = h.join();
        }
    }
}

impl OutputBackend for NullOutput {
    fn start(
        &mut self,
        renderers: &mut RendererFactory,
        failure: FailureNotifier,
    ) -> Result<(OutputInfo, Box<dyn Any>), AudioError> {
        if self.unavailable {
            return Err(AudioError::Unavailable(
                "no output device (null output)".into(),
            ));
        }
        let mut renderer = renderers.make(self.channels, self.sample_rate);
        let cfg = self.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let stop_t = stop.clone();
        let handle = std::thread::Builder::new()
            .name("octa-null-output".into())
            .spawn(move || {
                let mut buf = vec![0f32; cfg.period_frames * usize::from(cfg.channels)];
                let period = Duration::from_secs_f64(
                    cfg.period_frames as f64 / f64::from(cfg.sample_rate.max(1)),
                );
                let mut calls = 0u64;
                let mut first_seen = false;
                while !stop_t.load(Ordering::Acquire) {
                    if cfg.fail_after.is_some_and(|n| calls >= n) {
                        failure.fail("the output device vanished (simulated)".into());
                        return;
                    }
                    let mut n = renderer.render(&mut buf);
                    calls += 1;
                    if n == 0 && buf.iter().any(|x| *x != 0.0) {
                        // The live source sounded (no preview): keep the whole buffer.
                        n = buf.len();
                    }
                    if n > 0 && !first_seen {
                        first_seen = true;
                        if let Some(f) = &cfg.first_sample {
                            f.store(calls, Ordering::Release);
                        }
                    }
                    if n > 0
                        && let Some(rec) = &cfg.record
                        && let Ok(mut v) = rec.lock()
                    {
                        v.extend_from_slice(&buf[..n]);
                    }
                    if cfg.realtime {
                        std::thread::sleep(period);
                    } else {
                        std::thread::yield_now();
                    }
                }
            })
            .map_err(|e| AudioError::Unavailable(format!("null output thread: {e}")))?;
        Ok((
            OutputInfo {
                device: "null".into(),
                sample_rate: self.sample_rate,
                channels: self.channels,
                sample_format: "f32".into(),
                buffer_frames: Some(self.period_frames as u32),
            },
            Box::new(StopOnDrop(stop, Some(handle))),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(generation: u64, samples: &[f32]) -> Job {
        let (mut p, c) = rtrb::RingBuffer::new(64);
        for s in samples {
            p.push(*s).unwrap();
        }
        Job {
            generation,
            audio: c,
        }
    }

    #[test]
    fn newest_generation_wins_and_stale_jobs_are_retired() {
        let shared = Arc::new(Shared::new());
        let (mut r, mut link) = Renderer::new(shared.clone());
        shared.generation.store(2, Ordering::Release);
        // The newer job arrives before a late, cancelled one.
        link.jobs
            .push(job(2, &[0.5, 0.5]))
            .unwrap_or_else(|_| panic!());
        link.jobs
            .push(job(1, &[0.9, 0.9]))
            .unwrap_or_else(|_| panic!());
        let mut out = [1.0f32; 4];
        assert_eq!(r.render(&mut out), 2);
        assert_eq!(out, [0.5, 0.5, 0.0, 0.0]);
        assert_eq!(link.trash.pop().map(|j| j.generation).ok(), Some(1));
        // Its producer was dropped and it is empty: finished.
        assert_eq!(r.render(&mut out), 0);
        assert_eq!(shared.finished.load(Ordering::Acquire), 2);
        // A stop (generation bump) mutes at once, even with audio queued.
        link.jobs
            .push(job(3, &[0.25; 8]))
            .unwrap_or_else(|_| panic!());
        shared.generation.store(3, Ordering::Release);
        shared.volume.store(2f32.to_bits(), Ordering::Relaxed);
        let mut out16 = [0i16; 4];
        assert_eq!(r.render(&mut out16), 4);
        assert_eq!(out16, [16384; 4]);
        shared.generation.store(4, Ordering::Release);
        assert_eq!(r.render(&mut out16), 0);
        assert_eq!(out16, [0; 4]);
    }
}
