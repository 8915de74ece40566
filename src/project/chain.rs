//! `octa chain` and `octa slices`: sample chains (files joined into one 44.1 kHz WAV plus its
//! `.ot` slice table), splitting a chain back into files, and slice grids (even, onsets,
//! random; snapped to zero crossings) written to a sample's `.ot` and a project slot's markers.
//!
//! - Sources are decoded whole (symphonia), resampled to 44.1 kHz with the converter's sinc
//!   settings and time alignment ([`super::convert`]), mapped to the chain's channel count
//!   (stereo when any source has two channels or more) and quantized to its depth (16 bits
//!   when every source is PCM of 16 bits or less, else 24), with TPDF dither only where a
//!   source's samples are not already exact at that depth. A 44.1 kHz 16-bit source is copied
//!   sample for sample.
//! - The `.ot` file is what the device makes for a sample of that length
//!   ([`SampleSettings::for_sample`]: its tempo and trim estimate, trim end = frame count),
//!   with one slice per file (or per even slot): slice *i* ends where slice *i+1* starts.
//! - Every write is one [`Txn`] of new files in the target folder (the WAV and the `.ot`, or
//!   every split file): all written or none. Everything is read and checked first.

use std::path::{Path, PathBuf};

use crate::audio::AudioError;
use crate::audio::chain::{
    Grid, MAX_SLICES, OnsetOptions, even_cuts, layout, onset_cuts, onsets, random_cuts,
    slices_from_cuts, snap_cuts,
};
use crate::audio::decode::{DecodedAudio, decode_file};
use crate::audio::resample::{StreamResampler, map_channels};
use crate::format::ot::SampleSettings;
use crate::format::regions::Slice;

use super::ProjectError;
use super::convert::{DEVICE_RATE, Tpdf, alignment, quantize, sinc_parameters, wav_header};
use super::durable::{Content, Item, Txn};
use super::sidecar;

/// Why a chain, split or slice grid failed; every variant names the file concerned.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// A source could not be read or decoded.
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// Reading a `.ot` file or writing failed (nothing was written).
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// Reading a project's slots failed.
    #[error(transparent)]
    Slots(#[from] super::slots::SlotError),
    /// More files or slices than a `.ot` file holds.
    #[error("{count} {what}: a chain holds at most 64 slices (the file beyond: {})", .first_extra.display())]
    TooMany {
        /// How many were given.
        count: usize,
        /// "files" or "slices".
        what: &'static str,
        /// The first one that does not fit.
        first_extra: PathBuf,
    },
    /// A request that cannot be made (no files, `--slices` without an even grid, ...).
    #[error("{}: {reason}", .path.display())]
    Invalid {
        /// The file the request is about.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// An output exists already.
    #[error("{}: already exists (--force replaces it)", .path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A chain's `.ot` slice table does not fit its WAV.
    #[error("{}: slice {index}: {reason}", .path.display())]
    BadSlice {
        /// The `.ot` file.
        path: PathBuf,
        /// The slice (1-based).
        index: usize,
        /// What is wrong.
        reason: String,
    },
}

/// How to build a chain.
#[derive(Debug, Clone, Default)]
pub struct ChainOptions {
    /// One slice per file, or an even grid.
    pub grid: Grid,
    /// With an even grid: the number of equal slots (at least the number of files, at most 64).
    pub slices: Option<usize>,
    /// Replace an existing output WAV and `.ot`.
    pub force: bool,
}

/// What a chain build wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainReport {
    /// The chain WAV.
    pub wav: PathBuf,
    /// Its `.ot` file.
    pub ot: PathBuf,
    /// Frames of the chain (44.1 kHz).
    pub frames: u64,
    /// Channels written.
    pub channels: u16,
    /// Bits per sample written.
    pub bits: u16,
    /// The slice table written.
    pub slices: Vec<Slice>,
    /// Decoder warnings, each naming its file (e.g. a file shorter than its header says,
    /// chained with the frames it holds).
    pub warnings: Vec<String>,
}

/// One source converted to the chain's rate and channels (still float).
#[derive(Debug, Clone)]
pub struct Source {
    /// The file.
    pub path: PathBuf,
    /// Interleaved samples at 44.1 kHz, `channels` per frame.
    pub samples: Vec<f32>,
    /// Whether its samples are already exact at 16 bits (PCM of 16 bits or less, not resampled).
    pub exact16: bool,
    /// Whether they are exact at 24 bits.
    pub exact24: bool,
}

/// Decodes `path` and resamples it to 44.1 kHz, mapped to `channels`.
pub fn load_source(path: &Path, channels: usize) -> Result<Source, ChainError> {
    let d = decode_file(path)?;
    let align = match d.info.sample_rate {
        DEVICE_RATE | 0 => (0, 0),
        r => alignment(r, DEVICE_RATE)?,
    };
    source_from(path, &d, channels, align)
}

fn source_bits(d: &DecodedAudio) -> Option<u32> {
    match (d.info.bits_per_sample, d.info.float, d.info.format.is_pcm()) {
        (Some(b), false, true) => Some(b),
        _ => None,
    }
}

/// `d` at 44.1 kHz in `channels`; `align` is [`alignment`] for its rate (measured once per rate).
fn source_from(
    path: &Path,
    d: &DecodedAudio,
    channels: usize,
    (pad, drop): (usize, usize),
) -> Result<Source, ChainError> {
    let in_ch = usize::from(d.info.channels.max(1));
    let rate = d.info.sample_rate;
    if rate == 0 {
        return Err(ChainError::Invalid {
            path: path.to_path_buf(),
            reason: "sample rate 0".into(),
        });
    }
    let mut mapped = Vec::with_capacity(d.frames() * channels);
    map_channels(&d.samples, in_ch, channels, &mut mapped);
    let bits = source_bits(d);
    if rate == DEVICE_RATE {
        return Ok(Source {
            path: path.to_path_buf(),
            samples: mapped,
            exact16: bits.is_some_and(|b| b <= 16),
            exact24: bits.is_some_and(|b| b <= 24),
        });
    }
    let ratio = f64::from(DEVICE_RATE) / f64::from(rate);
    let mut rs =
        StreamResampler::with_params(ratio, channels, &sinc_parameters(rate, DEVICE_RATE))?;
    let mut out = Vec::new();
    rs.process(&vec![0.0; pad * channels], &mut out)?;
    rs.process(&mapped, &mut out)?;
    rs.finish(&mut out)?;
    let want = (d.frames() as f64 * ratio - 1e-6).ceil().max(0.0) as usize;
    let from = (drop * channels).min(out.len());
    let mut samples = out.split_off(from);
    samples.resize(want * channels, 0.0);
    Ok(Source {
        path: path.to_path_buf(),
        samples,
        exact16: false,
        exact24: false,
    })
}

/// The `.ot` file written beside a chain or sample.
pub fn ot_path(wav: &Path) -> PathBuf {
    wav.with_extension(sidecar::EXT)
}

/// Builds a chain: `files` joined into `out` (a WAV) plus `out`'s `.ot` file.
pub fn build_chain(
    out: &Path,
    files: &[PathBuf],
    opts: &ChainOptions,
) -> Result<ChainReport, ChainError> {
    if files.is_empty() {
        return Err(ChainError::Invalid {
            path: out.to_path_buf(),
            reason: "no files to chain".into(),
        });
    }
    if files.len() > MAX_SLICES {
        return Err(ChainError::TooMany {
            count: files.len(),
            what: "files",
            first_extra: files[MAX_SLICES].clone(),
        });
    }
    if let Some(n) = opts.slices {
        if opts.grid != Grid::Even {
            return Err(ChainError::Invalid {
                path: out.to_path_buf(),
                reason:
                    "--slices N needs --grid even (with --grid fit there is one slice per file)"
                        .into(),
            });
        }
        if n < files.len() || n > MAX_SLICES {
            return Err(ChainError::Invalid {
                path: out.to_path_buf(),
                reason: format!(
                    "--slices {n}: expected {}..=64 (at least one slot per file)",
                    files.len()
                ),
            });
        }
    }
    if !out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("wav"))
    {
        return Err(ChainError::Invalid {
            path: out.to_path_buf(),
            reason: "the chain is written as a WAV file: expected a name ending in .wav".into(),
        });
    }
    let ot = ot_path(out);
    if !opts.force {
        for p in [out, ot.as_path()] {
            if std::fs::symlink_metadata(p).is_ok() {
                return Err(ChainError::Exists {
                    path: p.to_path_buf(),
                });
            }
        }
    }
    // Decode everything first, on all cores (any failure: nothing written; the first bad file
    // in the order given is the one reported).
    let decoded: Vec<DecodedAudio> = super::par::map(files, |f| decode_file(f))
        .into_iter()
        .collect::<Result<_, _>>()?;
    for (f, d) in files.iter().zip(&decoded) {
        if d.frames() == 0 {
            return Err(ChainError::Invalid {
                path: f.clone(),
                reason: "no audio frames".into(),
            });
        }
    }
    let warnings: Vec<String> = files
        .iter()
        .zip(&decoded)
        .flat_map(|(f, d)| {
            d.warnings
                .iter()
                .map(move |w| format!("{}: {w}", f.display()))
        })
        .collect();
    let channels = if decoded.iter().any(|d| d.info.channels >= 2) {
        2
    } else {
        1
    };
    let bits: u16 = if decoded
        .iter()
        .all(|d| source_bits(d).is_some_and(|b| b <= 16))
    {
        16
    } else {
        24
    };
    // The resampler's time alignment, measured once per source rate.
    let mut aligns: Vec<(u32, (usize, usize))> = Vec::new();
    for d in &decoded {
        let r = d.info.sample_rate;
        if r != DEVICE_RATE && r != 0 && !aligns.iter().any(|(x, _)| *x == r) {
            aligns.push((r, alignment(r, DEVICE_RATE)?));
        }
    }
    let align_of = |r: u32| {
        aligns
            .iter()
            .find(|(x, _)| *x == r)
            .map_or((0, 0), |(_, a)| *a)
    };
    // Each source resampled, mapped and quantized to PCM bytes, on all cores.
    let jobs: Vec<(usize, &PathBuf, &DecodedAudio)> = files
        .iter()
        .zip(&decoded)
        .enumerate()
        .map(|(i, (f, d))| (i, f, d))
        .collect();
    let pcm: Vec<Vec<u8>> = super::par::map(&jobs, |&(i, f, d)| {
        let s = source_from(f, d, channels, align_of(d.info.sample_rate))?;
        Ok::<_, ChainError>(to_pcm(&s, bits, i))
    })
    .into_iter()
    .collect::<Result<_, _>>()?;
    drop(decoded);
    let block = channels * usize::from(bits / 8);
    let lengths: Vec<u64> = pcm.iter().map(|b| (b.len() / block) as u64).collect();
    let lay = layout(&lengths, opts.grid, opts.slices);
    let frames = lay.frames;
    if frames > u64::from(u32::MAX) {
        return Err(ChainError::Invalid {
            path: out.to_path_buf(),
            reason: format!("{frames} frames do not fit a .ot file"),
        });
    }
    let header =
        wav_header(channels as u16, bits, frames).map_err(|reason| ChainError::Invalid {
            path: out.to_path_buf(),
            reason,
        })?;
    let mut wav = Vec::with_capacity(44 + frames as usize * block);
    wav.extend_from_slice(&header);
    for (bytes, &start) in pcm.iter().zip(&lay.starts) {
        // Silence up to this file's start (even grid padding).
        wav.resize(44 + start as usize * block, 0);
        wav.extend_from_slice(bytes);
    }
    wav.resize(44 + frames as usize * block, 0);
    let slices: Vec<Slice> = lay
        .slices
        .iter()
        .map(|&(s, e)| Slice::new(s as u32, e as u32))
        .collect();
    let mut settings = SampleSettings::for_sample(frames as u32, DEVICE_RATE);
    settings
        .set_slices(&slices)
        .map_err(|source| ProjectError::Format {
            path: ot.clone(),
            source,
        })?;
    let mut txn = Txn::new(None);
    let item = |p: &Path, b: Vec<u8>| {
        if opts.force {
            Item::replace(p, b)
        } else {
            Item::new_file(p, Content::Bytes(b))
        }
    };
    txn.push(item(out, wav));
    txn.push(item(&ot, settings.to_bytes()));
    txn.commit()?;
    Ok(ChainReport {
        wav: out.to_path_buf(),
        ot,
        frames,
        channels: channels as u16,
        bits,
        slices,
        warnings,
    })
}

/// A source's samples as little-endian PCM of `bits`, TPDF-dithered unless they are exact at
/// that depth (seeded by the source's position `i`, so chains are reproducible).
fn to_pcm(s: &Source, bits: u16, i: usize) -> Vec<u8> {
    let exact = if bits == 16 { s.exact16 } else { s.exact24 };
    let mut tpdf = (!exact).then(|| Tpdf::new(0xC4A1_0000 + i as u64));
    let mut out = Vec::with_capacity(s.samples.len() * usize::from(bits / 8));
    for &x in &s.samples {
        let d = tpdf.as_mut().map_or(0.0, Tpdf::sample);
        let v = quantize(x, bits, d);
        if bits == 16 {
            out.extend_from_slice(&(v as i16).to_le_bytes());
        } else {
            out.extend_from_slice(&v.to_le_bytes()[..3]);
        }
    }
    out
}

/// The slices of a chain checked against its frame count (start < end <= frames).
fn checked_slices(ot: &Path, slices: &[Slice], frames: u64) -> Result<(), ChainError> {
    if slices.is_empty() {
        return Err(ChainError::Invalid {
            path: ot.to_path_buf(),
            reason: "no slices (slice count 0): nothing to split".into(),
        });
    }
    for (i, s) in slices.iter().enumerate() {
        if s.start >= s.end || u64::from(s.end) > frames {
            return Err(ChainError::BadSlice {
                path: ot.to_path_buf(),
                index: i + 1,
                reason: format!(
                    "frames {}..{} do not fit the sample's {frames} frames (expected start < end <= {frames})",
                    s.start, s.end
                ),
            });
        }
    }
    Ok(())
}

/// Splits a chain: each slice of `chain`'s `.ot` file written as `STEM-NN.wav` in `to`
/// (default: the chain's folder), at the chain's rate, channels and depth (16 or 24 bits;
/// float sources as 24), frame-exact.
pub fn split_chain(
    chain: &Path,
    to: Option<&Path>,
    force: bool,
) -> Result<Vec<PathBuf>, ChainError> {
    let side = sidecar::load(chain)?;
    let slices = side.settings.slices();
    let d = decode_file(chain)?;
    let frames = d.frames() as u64;
    checked_slices(&side.path, &slices, frames)?;
    let ch = usize::from(d.info.channels.max(1));
    let bits: u16 = match source_bits(&d) {
        Some(b) if b <= 16 => 16,
        _ => 24,
    };
    if d.info.sample_rate != DEVICE_RATE {
        return Err(ChainError::Invalid {
            path: chain.to_path_buf(),
            reason: format!(
                "{} Hz: expected a 44.1 kHz chain (convert it first)",
                d.info.sample_rate
            ),
        });
    }
    let dir = match to {
        Some(d) => d.to_path_buf(),
        None => chain.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let stem = chain
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "chain".into());
    let mut txn = Txn::new(None);
    let mut written = Vec::new();
    let block = ch * usize::from(bits / 8);
    for (i, s) in slices.iter().enumerate() {
        let target = dir.join(format!("{stem}-{:02}.wav", i + 1));
        if !force && std::fs::symlink_metadata(&target).is_ok() {
            return Err(ChainError::Exists { path: target });
        }
        let n = u64::from(s.end - s.start);
        let header = wav_header(ch as u16, bits, n).map_err(|reason| ChainError::Invalid {
            path: target.clone(),
            reason,
        })?;
        let mut bytes = Vec::with_capacity(44 + n as usize * block);
        bytes.extend_from_slice(&header);
        for &x in &d.samples[s.start as usize * ch..s.end as usize * ch] {
            let v = quantize(x, bits, 0.0);
            if bits == 16 {
                bytes.extend_from_slice(&(v as i16).to_le_bytes());
            } else {
                bytes.extend_from_slice(&v.to_le_bytes()[..3]);
            }
        }
        txn.push(if force {
            Item::replace(&target, bytes)
        } else {
            Item::new_file(&target, Content::Bytes(bytes))
        });
        written.push(target);
    }
    txn.commit()?;
    Ok(written)
}

/// How to cut a sample into slices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SliceMethod {
    /// `n` equal slices.
    Even(usize),
    /// At the transients.
    Onsets,
    /// `n` slices of random lengths, from this seed.
    Random(usize, u64),
}

/// Frames a cut point may move to reach a zero crossing (about 5 ms).
pub const SNAP_FRAMES: usize = 220;

/// The slice grid of decoded audio, snapped to zero crossings.
pub fn grid_for(samples: &[f32], channels: usize, rate: u32, method: SliceMethod) -> Vec<Slice> {
    let frames = (samples.len() / channels.max(1)) as u64;
    let cuts = match method {
        SliceMethod::Even(n) => even_cuts(frames, n),
        SliceMethod::Random(n, seed) => random_cuts(frames, n, seed),
        SliceMethod::Onsets => onset_cuts(
            frames,
            &onsets(samples, channels, rate, &OnsetOptions::default()),
        ),
    };
    slices_from_cuts(&snap_cuts(samples, channels, &cuts, SNAP_FRAMES))
}

/// What a slice grid wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct SliceReport {
    /// The `.ot` file written.
    pub ot: PathBuf,
    /// The slices.
    pub slices: Vec<Slice>,
    /// The project slots whose markers were set (with `--project`).
    pub slots: Vec<String>,
}

/// Cuts `sample` into slices and writes them to its `.ot` file (kept settings when it has one,
/// else the device's defaults for the sample), and, with `project`, to the markers of every
/// slot of that project playing `sample`, saved in the same transaction.
pub fn slice_sample(
    sample: &Path,
    method: SliceMethod,
    project: Option<&Path>,
) -> Result<SliceReport, ChainError> {
    let n = match method {
        SliceMethod::Even(n) | SliceMethod::Random(n, _) => Some(n),
        SliceMethod::Onsets => None,
    };
    if let Some(n) = n
        && !(1..=MAX_SLICES).contains(&n)
    {
        return Err(ChainError::Invalid {
            path: sample.to_path_buf(),
            reason: format!("{n} slices: expected 1..=64"),
        });
    }
    // The existing .ot first: a bad one is refused before anything else.
    let existing = sidecar::read(sample)?;
    let d = decode_file(sample)?;
    let ch = usize::from(d.info.channels.max(1));
    let frames = d.frames() as u64;
    if frames == 0 || frames > u64::from(u32::MAX) {
        return Err(ChainError::Invalid {
            path: sample.to_path_buf(),
            reason: format!("{frames} frames: nothing to slice"),
        });
    }
    let slices = grid_for(&d.samples, ch, d.info.sample_rate, method);
    let ot = existing
        .as_ref()
        .map_or_else(|| ot_path(sample), |s| s.path.clone());
    let mut settings = match &existing {
        Some(s) => s.settings.clone(),
        None => SampleSettings::for_sample(frames as u32, d.info.sample_rate),
    };
    let fmt = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ProjectError::Format { path, source }
    };
    settings.set_slices(&slices).map_err(fmt(&ot))?;
    let mut txn = Txn::new(None);
    if existing.is_some() {
        super::store::Backup::new().stage(&mut txn, &ot)?;
    }
    txn.push(Item::replace(&ot, settings.to_bytes()));
    let mut slots = Vec::new();
    match project {
        None => {
            txn.commit()?;
        }
        Some(pp) => {
            let mut p = super::Project::open(pp, &super::OpenOptions::default())?;
            let want = std::fs::canonicalize(sample).map_err(|e| ProjectError::io(sample, e))?;
            let hits: Vec<_> = super::slots::list(&p)?
                .into_iter()
                .filter(|s| {
                    p.sample_path(s.path())
                        .and_then(|f| std::fs::canonicalize(f).ok())
                        .is_some_and(|f| f == want)
                })
                .map(|s| s.slot)
                .collect();
            if hits.is_empty() {
                return Err(ChainError::Invalid {
                    path: pp.to_path_buf(),
                    reason: format!("no sample slot of this project plays {}", sample.display()),
                });
            }
            let markers = pp.join("markers.work");
            for slot in &hits {
                p.markers_mut()
                    .set_slices(*slot, &slices)
                    .map_err(fmt(&markers))?;
                slots.push(slot.to_string());
            }
            p.save_with(false, txn)?;
        }
    }
    Ok(SliceReport { ot, slices, slots })
}
