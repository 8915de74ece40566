//! Waveform peaks (min/max per display column) and zero-crossing search.
//!
//! A file is summarised once, streaming, into min/max per [`BUCKET`] frames
//! ([`PeakSummary`]); any width is then drawn from the summary. [`PeakCache`]
//! computes summaries on a background thread, keyed by path, modification time
//! and size, so the UI only ever sees "pending" or the result.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::AudioError;
use super::decode::StreamDecoder;

/// Frames per summary bucket.
pub const BUCKET: usize = 32;

/// Min and max of one column (or bucket).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeakColumn {
    /// Lowest sample.
    pub min: f32,
    /// Highest sample.
    pub max: f32,
}

impl PeakColumn {
    const EMPTY: PeakColumn = PeakColumn {
        min: f32::INFINITY,
        max: f32::NEG_INFINITY,
    };

    fn add(&mut self, v: f32) {
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    fn merge(&mut self, o: PeakColumn) {
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
    }

    fn finish(self) -> PeakColumn {
        if self.min > self.max {
            PeakColumn { min: 0.0, max: 0.0 }
        } else {
            self
        }
    }
}

/// A whole file summarised as min/max per [`BUCKET`] frames and channel.
#[derive(Debug, Clone, PartialEq)]
pub struct PeakSummary {
    /// Channel count.
    pub channels: usize,
    /// Total frames.
    pub frames: u64,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Buckets, channel-interleaved: `buckets[b * channels + c]`.
    pub buckets: Vec<PeakColumn>,
}

/// Peaks for display: one column list per channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Peaks {
    /// First frame shown.
    pub start: u64,
    /// One past the last frame shown.
    pub end: u64,
    /// `columns[channel][column]`.
    pub columns: Vec<Vec<PeakColumn>>,
}

impl Peaks {
    /// All channels merged into one column list.
    pub fn merged(&self) -> Vec<PeakColumn> {
        let width = self.columns.first().map_or(0, Vec::len);
        (0..width)
            .map(|i| {
                let mut c = PeakColumn::EMPTY;
                for ch in &self.columns {
                    c.merge(ch[i]);
                }
                c.finish()
            })
            .collect()
    }
}

impl PeakSummary {
    /// Summarises interleaved samples.
    pub fn from_samples(samples: &[f32], channels: usize, sample_rate: u32) -> Self {
        let mut b = SummaryBuilder::new(channels.max(1), sample_rate);
        b.push(samples);
        b.finish()
    }

    /// Summarises a file, decoding it in a streaming way.
    pub fn compute(path: &Path) -> Result<Self, AudioError> {
        let mut dec = StreamDecoder::open(path)?;
        let info = dec.info().clone();
        let mut b = SummaryBuilder::new(usize::from(info.channels), info.sample_rate);
        let mut chunk = Vec::new();
        while dec.next_chunk(&mut chunk)? > 0 {
            b.push(&chunk);
        }
        Ok(b.finish())
    }

    /// Peaks of frames `start..end` in `width` columns (each column covers at
    /// least one bucket when zoomed in further than [`BUCKET`] frames per column).
    pub fn peaks(&self, start: u64, end: u64, width: usize) -> Peaks {
        let end = end.min(self.frames);
        let start = start.min(end);
        let ch = self.channels.max(1);
        let nb = self.buckets.len() / ch;
        let mut columns = vec![Vec::with_capacity(width); ch];
        let span = (end - start) as f64;
        for i in 0..width {
            let f0 = start + (span * i as f64 / width as f64) as u64;
            let f1 = start + (span * (i + 1) as f64 / width as f64) as u64;
            let b0 = (f0 as usize / BUCKET).min(nb);
            let b1 = (f1.div_ceil(BUCKET as u64) as usize)
                .clamp(b0 + 1, nb.max(b0 + 1))
                .min(nb);
            for (c, col) in columns.iter_mut().enumerate() {
                let mut p = PeakColumn::EMPTY;
                for b in b0..b1 {
                    p.merge(self.buckets[b * ch + c]);
                }
                col.push(p.finish());
            }
        }
        Peaks {
            start,
            end,
            columns,
        }
    }

    /// Approximate bytes held.
    pub fn bytes(&self) -> usize {
        self.buckets.len() * std::mem::size_of::<PeakColumn>()
    }
}

struct SummaryBuilder {
    channels: usize,
    rate: u32,
    frames: u64,
    fill: usize,
    current: Vec<PeakColumn>,
    buckets: Vec<PeakColumn>,
}

impl SummaryBuilder {
    fn new(channels: usize, rate: u32) -> Self {
        Self {
            channels,
            rate,
            frames: 0,
            fill: 0,
            current: vec![PeakColumn::EMPTY; channels],
            buckets: Vec::new(),
        }
    }

    fn push(&mut self, samples: &[f32]) {
        let ch = self.channels;
        let mut rest = &samples[..samples.len() / ch * ch];
        while !rest.is_empty() {
            let take = (BUCKET - self.fill).min(rest.len() / ch);
            let (head, tail) = rest.split_at(take * ch);
            if self.fill == 0 && take == BUCKET && 8 % ch == 0 {
                // A whole bucket with 1, 2, 4 or 8 channels: eight lanes that the
                // compiler vectorises; lane l holds channel l % ch.
                let mut mn = [f32::INFINITY; 8];
                let mut mx = [f32::NEG_INFINITY; 8];
                for block in head.chunks_exact(8) {
                    for l in 0..8 {
                        let v = block[l];
                        mn[l] = if v < mn[l] { v } else { mn[l] };
                        mx[l] = if v > mx[l] { v } else { mx[l] };
                    }
                }
                for l in 0..8 {
                    self.current[l % ch].merge(PeakColumn {
                        min: mn[l],
                        max: mx[l],
                    });
                }
            } else {
                for (c, col) in self.current.iter_mut().enumerate() {
                    for v in head[c..].iter().step_by(ch) {
                        col.add(*v);
                    }
                }
            }
            self.fill += take;
            self.frames += take as u64;
            if self.fill == BUCKET {
                self.flush();
            }
            rest = tail;
        }
    }

    fn flush(&mut self) {
        for c in &mut self.current {
            self.buckets.push(c.finish());
            *c = PeakColumn::EMPTY;
        }
        self.fill = 0;
    }

    fn finish(mut self) -> PeakSummary {
        if self.fill > 0 {
            self.flush();
        }
        PeakSummary {
            channels: self.channels,
            frames: self.frames,
            sample_rate: self.rate,
            buckets: self.buckets,
        }
    }
}

/// Identifies one version of a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PeakKey {
    /// The file.
    pub path: PathBuf,
    /// Modification time.
    pub modified: Option<SystemTime>,
    /// Size in bytes.
    pub size: u64,
}

impl PeakKey {
    /// The key of `path` as it is now on disk.
    pub fn of(path: &Path) -> Result<Self, AudioError> {
        let meta = std::fs::metadata(path).map_err(|e| AudioError::io(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            modified: meta.modified().ok(),
            size: meta.len(),
        })
    }
}

/// Where a summary is.
#[derive(Debug, Clone)]
pub enum PeakState {
    /// Being computed in the background; ask again later.
    Pending,
    /// Ready.
    Ready(Arc<PeakSummary>),
    /// The file could not be decoded; the message names it.
    Failed(String),
}

type PeakMap = Arc<Mutex<HashMap<PeakKey, PeakState>>>;

/// Summaries computed on a background thread, cached per file version.
#[derive(Debug)]
pub struct PeakCache {
    map: PeakMap,
    jobs: Mutex<Option<Sender<PeakKey>>>,
}

impl Default for PeakCache {
    fn default() -> Self {
        Self::new()
    }
}

impl PeakCache {
    /// An empty cache (the worker thread starts with the first request).
    pub fn new() -> Self {
        Self {
            map: Arc::new(Mutex::new(HashMap::new())),
            jobs: Mutex::new(None),
        }
    }

    fn lock_map(&self) -> std::sync::MutexGuard<'_, HashMap<PeakKey, PeakState>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The summary of `path`, or `Pending` after queueing it. Never waits for decoding.
    pub fn get(&self, path: &Path) -> PeakState {
        let key = match PeakKey::of(path) {
            Ok(k) => k,
            Err(e) => return PeakState::Failed(e.to_string()),
        };
        if let Some(state) = self.lock_map().get(&key) {
            return state.clone();
        }
        self.lock_map().insert(key.clone(), PeakState::Pending);
        self.queue(key);
        PeakState::Pending
    }

    /// Peaks of `start..end` (None: to the end) in `width` columns, if ready.
    pub fn peaks(&self, path: &Path, start: u64, end: Option<u64>, width: usize) -> Option<Peaks> {
        match self.get(path) {
            PeakState::Ready(s) => Some(s.peaks(start, end.unwrap_or(s.frames), width)),
            _ => None,
        }
    }

    fn queue(&self, key: PeakKey) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = jobs.as_ref()
            && tx.send(key.clone()).is_ok()
        {
            return;
        }
        let (tx, rx) = mpsc::channel::<PeakKey>();
        let map = self.map.clone();
        let spawned = std::thread::Builder::new()
            .name("octa-peaks".into())
            .spawn(move || {
                for key in rx {
                    let computed = crate::guard::catch(|| PeakSummary::compute(&key.path));
                    let state = match computed {
                        Some(Ok(s)) => PeakState::Ready(Arc::new(s)),
                        Some(Err(e)) => PeakState::Failed(e.to_string()),
                        None => PeakState::Failed(format!(
                            "{}: the decoder failed unexpectedly",
                            key.path.display()
                        )),
                    };
                    map.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(key, state);
                    crate::wake::wake();
                }
            });
        match spawned {
            Ok(_) => {
                let _ = tx.send(key);
                *jobs = Some(tx);
            }
            Err(e) => {
                self.lock_map()
                    .insert(key, PeakState::Failed(format!("peaks thread: {e}")));
            }
        }
    }
}

/// The mono mix (sum of channels) of frame `i`.
fn mix(samples: &[f32], channels: usize, i: usize) -> f32 {
    samples[i * channels..(i + 1) * channels].iter().sum()
}

/// Frames where the signal (all channels summed) changes sign: each result is
/// the frame of the pair around the crossing whose value is closer to zero.
pub fn zero_crossings(samples: &[f32], channels: usize) -> Vec<usize> {
    let channels = channels.max(1);
    let n = samples.len() / channels;
    let mut out = Vec::new();
    for i in 1..n {
        let (a, b) = (mix(samples, channels, i - 1), mix(samples, channels, i));
        if (a < 0.0 && b >= 0.0) || (a > 0.0 && b <= 0.0) {
            out.push(if b.abs() <= a.abs() { i } else { i - 1 });
        }
    }
    out
}

/// Rising crossings only (negative to non-negative), as frame indices where the
/// signal first becomes non-negative.
pub fn rising_zero_crossings(samples: &[f32], channels: usize) -> Vec<usize> {
    let channels = channels.max(1);
    let n = samples.len() / channels;
    (1..n)
        .filter(|&i| mix(samples, channels, i - 1) < 0.0 && mix(samples, channels, i) >= 0.0)
        .collect()
}

/// The zero crossing nearest to `frame` within `max_distance` frames.
pub fn nearest_zero_crossing(
    samples: &[f32],
    channels: usize,
    frame: usize,
    max_distance: usize,
) -> Option<usize> {
    let channels = channels.max(1);
    let n = samples.len() / channels;
    let lo = frame.saturating_sub(max_distance + 1);
    let hi = (frame + max_distance + 2).min(n);
    if lo >= hi {
        return None;
    }
    zero_crossings(&samples[lo * channels..hi * channels], channels)
        .into_iter()
        .map(|i| i + lo)
        .filter(|i| i.abs_diff(frame) <= max_distance)
        .min_by_key(|i| i.abs_diff(frame))
}

/// Snaps `frame` of a file to the nearest zero crossing within `max_distance`
/// frames (decoding only that neighbourhood); `frame` itself when there is none.
pub fn snap_to_zero_crossing(
    path: &Path,
    frame: u64,
    max_distance: u64,
) -> Result<u64, AudioError> {
    let mut dec = StreamDecoder::open(path)?;
    let ch = usize::from(dec.info().channels);
    let from = frame.saturating_sub(max_distance + 1);
    let want = (frame - from + max_distance + 2) as usize;
    let mut window = Vec::new();
    dec.skip(from, &mut window)?;
    let mut chunk = Vec::new();
    while window.len() / ch < want {
        if dec.next_chunk(&mut chunk)? == 0 {
            break;
        }
        window.extend_from_slice(&chunk);
    }
    window.truncate(want.min(window.len() / ch) * ch);
    Ok(
        nearest_zero_crossing(&window, ch, (frame - from) as usize, max_distance as usize)
            .map_or(frame, |i| from + i as u64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_and_columns() {
        let samples: Vec<f32> = (0..1000).map(|i| (i as f32 / 1000.0) - 0.5).collect();
        let s = PeakSummary::from_samples(&samples, 1, 44_100);
        assert_eq!(s.frames, 1000);
        assert_eq!(s.buckets.len(), 1000usize.div_ceil(BUCKET));
        let p = s.peaks(0, 1000, 4);
        let cols = &p.columns[0];
        assert_eq!(cols.len(), 4);
        assert_eq!(cols[0].min, -0.5);
        assert_eq!(cols[3].max, 0.499);
        assert!(cols[1].min >= -0.5 + 224.0 / 1000.0 - 1e-6);
    }

    #[test]
    fn fast_and_general_paths_agree() {
        // Stereo and three channels (no fast path), fed in odd-sized pieces.
        for ch in [2usize, 3] {
            let samples: Vec<f32> = (0..ch * 5000)
                .map(|i| ((i * 7919 % 1000) as f32 / 500.0) - 1.0)
                .collect();
            let whole = PeakSummary::from_samples(&samples, ch, 48_000);
            let mut b = SummaryBuilder::new(ch, 48_000);
            for piece in samples.chunks(ch * 37) {
                b.push(piece);
            }
            let pieces = b.finish();
            assert_eq!(whole, pieces);
            // Against a naive computation.
            for (k, bucket) in samples.chunks(BUCKET * ch).enumerate() {
                for c in 0..ch {
                    let vals: Vec<f32> = bucket[c..].iter().step_by(ch).copied().collect();
                    let mn = vals.iter().copied().fold(f32::MAX, f32::min);
                    let mx = vals.iter().copied().fold(f32::MIN, f32::max);
                    assert_eq!(whole.buckets[k * ch + c], PeakColumn { min: mn, max: mx });
                }
            }
        }
    }

    #[test]
    fn nearest_crossing() {
        let x = [0.5, 0.2, -0.1, -0.4, -0.2, 0.3, 0.6];
        assert_eq!(zero_crossings(&x, 1), vec![2, 4]);
        assert_eq!(rising_zero_crossings(&x, 1), vec![5]);
        assert_eq!(nearest_zero_crossing(&x, 1, 5, 3), Some(4));
        assert_eq!(nearest_zero_crossing(&x, 1, 0, 1), None);
    }
}
