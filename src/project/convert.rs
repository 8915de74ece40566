//! `octa audio convert`: any file symphonia decodes (WAV at any rate and depth, AIFF, FLAC, Ogg
//! Vorbis, MP3) to a 44.1 kHz 16- or 24-bit integer PCM WAV the Octatrack plays.
//!
//! - Resampling: rubato's asynchronous sinc resampler with a 256-tap sinc under a squared
//!   Blackman-Harris window (`BlackmanHarris2`, better stop-band rejection than a plain
//!   Blackman-Harris), cutoff from rubato's table for that length and window (scaled down by the
//!   ratio when downsampling). For the usual rates the ratio is rational with a small numerator
//!   (48 kHz -> 44.1 kHz is 147/160): the sinc table is oversampled exactly that many times and
//!   read at the nearest point, which is then the exact phase (no interpolation error at all);
//!   otherwise the table is oversampled 256 times with cubic interpolation between points. See
//!   [`sinc_parameters`].
//! - Depth: TPDF dither (two uniform variables, ±1 LSB peak, triangular) whenever the samples are
//!   not already exact at the output depth (resampled, mixed to mono, or from a deeper source);
//!   a 16-bit source kept at 44.1 kHz is copied sample for sample.
//! - Writing: streamed through [`durable::write_file_streaming`] (temp file beside the target,
//!   fsync, rename): a cancelled or failed conversion leaves no file behind.
//! - A file the device already plays is left as it is unless forced; the source is never
//!   replaced (a `.wav` converted beside itself is written as `NAME-44k.wav`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rubato::{SincInterpolationParameters, SincInterpolationType, WindowFunction};

use crate::audio::decode::{AudioFileInfo, StreamDecoder, device_compatibility};
use crate::audio::resample::{StreamResampler, map_channels};
use crate::audio::{AudioError, probe};

use super::ProjectError;
use super::durable;

/// The Octatrack's sample rate.
pub const DEVICE_RATE: u32 = 44_100;

/// Sinc filter length (taps) used for conversion.
pub const SINC_LEN: usize = 256;

/// What to convert to.
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    /// Output folder (default: the source's folder).
    pub to: Option<PathBuf>,
    /// Output depth, 16 or 24 (default: 16 for sources of 16 bits or less, else 24).
    pub bits: Option<u16>,
    /// Mix to mono (mean of the first two channels).
    pub mono: bool,
    /// Convert files the device already plays too, and replace an existing output file.
    pub force: bool,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Written.
    Converted {
        /// The source.
        from: PathBuf,
        /// The new file.
        to: PathBuf,
        /// The source's facts.
        source: AudioFileInfo,
        /// Frames written (at 44.1 kHz).
        frames: u64,
        /// Bits per sample written.
        bits: u16,
        /// Channels written.
        channels: u16,
        /// Whether TPDF dither was added.
        dithered: bool,
    },
    /// The device plays the file as it is: nothing written.
    AlreadyPlays {
        /// The file.
        path: PathBuf,
        /// Its facts.
        info: AudioFileInfo,
    },
}

/// Why a conversion failed; every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// Reading or decoding the source failed.
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// Writing failed (nothing was left behind).
    #[error(transparent)]
    Write(#[from] ProjectError),
    /// The output exists and `--force` was not given.
    #[error("{}: already exists (--force replaces it)", .path.display())]
    Exists {
        /// The output file.
        path: PathBuf,
    },
    /// Cancelled (Ctrl-C): no file was written.
    #[error("{}: cancelled; nothing was written", .path.display())]
    Cancelled {
        /// The output file that was being written.
        path: PathBuf,
    },
    /// A bit depth the device does not play.
    #[error("{}: --bits {bits} is not 16 or 24", .path.display())]
    Bits {
        /// The source.
        path: PathBuf,
        /// The depth asked for.
        bits: u16,
    },
}

/// The resampler settings for `from` Hz to `to` Hz (see the module documentation).
pub fn sinc_parameters(from: u32, to: u32) -> SincInterpolationParameters {
    let g = gcd(from.max(1), to.max(1));
    // Output positions fall on multiples of 1/(to/g) of an input frame.
    let phases = (to / g) as usize;
    let params = SincInterpolationParameters::new(SINC_LEN, WindowFunction::BlackmanHarris2);
    if phases <= 1024 {
        params
            .oversampling_factor(phases.max(1))
            .interpolation(SincInterpolationType::Nearest)
    } else {
        params
            .oversampling_factor(256)
            .interpolation(SincInterpolationType::Cubic)
    }
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// How to line the resampler's output up with the input in time: `(pad, drop)`, zero input
/// frames to feed first and output frames to drop after rubato's own (whole-frame) delay trim.
/// Rubato's delay is not a whole number of output frames; the remainder is measured on a ramp
/// through the same filter, and `pad` chosen so that the rest is whole (exact for the rates with
/// exact phases; within a hundredth of a frame otherwise).
pub fn alignment(from: u32, to: u32) -> Result<(usize, usize), AudioError> {
    let ratio = f64::from(to) / f64::from(from.max(1));
    if ratio == 1.0 {
        return Ok((0, 0));
    }
    let mut rs = StreamResampler::with_params(ratio, 1, &sinc_parameters(from, to))?;
    // A ramp crossing zero at input frame `c`, read near there (small values: f32 keeps the
    // time to a few millionths of a frame).
    let (n, c) = (40_000usize, 20_000.0f64);
    let x: Vec<f32> = (0..n).map(|i| ((i as f64 - c) * 1e-5) as f32).collect();
    let mut y = Vec::new();
    rs.process(&x, &mut y)?;
    let mid = (c * ratio) as usize;
    let (m1, m2) = (mid.saturating_sub(100), mid + 100);
    if m1 == 0 || m2 >= y.len() {
        return Ok((0, 0));
    }
    // y[m] = g * (m / ratio + e - c) * 1e-5, for a gain g within a hair of 1.
    let (y1, y2) = (f64::from(y[m1]) / 1e-5, f64::from(y[m2]) / 1e-5);
    let g = (y2 - y1) / ((m2 - m1) as f64 / ratio);
    let e = y1 / g + c - m1 as f64 / ratio;
    let first = e.ceil().max(0.0) as usize;
    let period = (from / gcd(from.max(1), to.max(1))).clamp(1, 2048) as usize;
    let best = (first..first + period)
        .map(|p| {
            let k = (p as f64 - e) * ratio;
            (p, k.round().max(0.0) as usize, (k - k.round()).abs())
        })
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .map_or((0, 0), |(p, k, _)| (p, k));
    Ok(best)
}

/// Triangular (TPDF) dither: the sum of two independent uniform variables in ±0.5 LSB
/// (xorshift64*, seeded so conversions are reproducible).
#[derive(Debug, Clone)]
pub struct Tpdf(u64);

impl Tpdf {
    /// A generator with this seed (0 is replaced by a fixed non-zero seed).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let v = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (v >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }

    /// The next dither value in LSB, in (-1, 1), triangular.
    pub fn sample(&mut self) -> f64 {
        self.uniform() + self.uniform()
    }
}

/// `x` (full scale ±1.0) as a `bits`-bit integer, with `dither` (in LSB) added before rounding;
/// clipped to the integer range.
pub fn quantize(x: f32, bits: u16, dither: f64) -> i32 {
    let scale = f64::from(1u32 << (bits - 1));
    let v = (f64::from(x) * scale + dither).round();
    v.clamp(-scale, scale - 1.0) as i32
}

/// The 44-byte header of a PCM WAV at 44.1 kHz.
pub fn wav_header(channels: u16, bits: u16, frames: u64) -> Result<[u8; 44], String> {
    let block = u32::from(channels) * u32::from(bits / 8);
    let data = frames
        .checked_mul(u64::from(block))
        .filter(|d| *d <= u64::from(u32::MAX) - 36)
        .ok_or_else(|| format!("{frames} frames do not fit a WAV file (4 GiB)"))?
        as u32;
    let mut h = [0u8; 44];
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&(36 + data).to_le_bytes());
    h[8..16].copy_from_slice(b"WAVEfmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes());
    h[22..24].copy_from_slice(&channels.to_le_bytes());
    h[24..28].copy_from_slice(&DEVICE_RATE.to_le_bytes());
    h[28..32].copy_from_slice(&(DEVICE_RATE * block).to_le_bytes());
    h[32..34].copy_from_slice(&(block as u16).to_le_bytes());
    h[34..36].copy_from_slice(&bits.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data.to_le_bytes());
    Ok(h)
}

/// Where converting `src` writes: `--to DIR` or the source's folder, `NAME.wav`, or
/// `NAME-44k.wav` when that would be the source itself.
pub fn output_path(src: &Path, opts: &ConvertOptions) -> PathBuf {
    let dir = match &opts.to {
        Some(d) => d.clone(),
        None => src.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let stem = src
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sample".into());
    let out = dir.join(format!("{stem}.wav"));
    if same_file(&out, src) {
        dir.join(format!("{stem}-44k.wav"))
    } else {
        out
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Whether the device plays `info` as it is.
pub fn plays_as_is(info: &AudioFileInfo) -> bool {
    device_compatibility(info).is_empty()
}

/// Converts one file. `progress(done, total)` is called with source frames decoded; setting
/// `cancel` stops the conversion and removes the partial file.
pub fn convert_file(
    src: &Path,
    opts: &ConvertOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Outcome, ConvertError> {
    if let Some(b) = opts.bits
        && b != 16
        && b != 24
    {
        return Err(ConvertError::Bits {
            path: src.to_path_buf(),
            bits: b,
        });
    }
    let info = probe(src)?;
    if plays_as_is(&info) && !opts.force {
        return Ok(Outcome::AlreadyPlays {
            path: src.to_path_buf(),
            info,
        });
    }
    let out = output_path(src, opts);
    if std::fs::symlink_metadata(&out).is_ok() && !opts.force {
        return Err(ConvertError::Exists { path: out });
    }
    // Frames in: stated by the container, else counted by decoding once.
    let in_frames = match info.frames {
        Some(f) => f,
        None => count_frames(src, cancel, &out)?,
    };
    let src_bits = match (info.bits_per_sample, info.float) {
        (Some(b), false) => b,
        _ => 32,
    };
    let bits = opts
        .bits
        .unwrap_or(if src_bits <= 16 && info.format.is_pcm() {
            16
        } else {
            24
        });
    let in_ch = usize::from(info.channels.max(1));
    let out_ch: usize = if opts.mono { 1 } else { in_ch.min(2) };
    let ratio = f64::from(DEVICE_RATE) / f64::from(info.sample_rate.max(1));
    let mixed = opts.mono && in_ch > 1;
    let dither = ratio != 1.0 || mixed || src_bits > u32::from(bits) || !info.format.is_pcm();
    let out_frames = (in_frames as f64 * ratio - 1e-6).ceil().max(0.0) as u64;
    let header = wav_header(out_ch as u16, bits, out_frames).map_err(|reason| {
        ConvertError::Audio(AudioError::Region {
            path: src.to_path_buf(),
            reason,
        })
    })?;

    let mut failure: Option<ConvertError> = None;
    let written = durable::write_file_streaming(&out, |w| {
        let r = stream(StreamJob {
            src,
            w,
            header: &header,
            ratio,
            sample_rate: info.sample_rate,
            in_ch,
            out_ch,
            bits,
            dither,
            in_frames,
            out_frames,
            cancel,
            progress,
            out: &out,
        });
        r.map_err(|e| {
            let msg = e.to_string();
            failure = Some(e);
            ProjectError::Io {
                path: out.clone(),
                source: std::io::Error::other(msg),
            }
        })
    });
    if let Some(e) = failure {
        return Err(e);
    }
    written?;
    Ok(Outcome::Converted {
        from: src.to_path_buf(),
        to: out,
        source: info,
        frames: out_frames,
        bits,
        channels: out_ch as u16,
        dithered: dither,
    })
}

fn count_frames(src: &Path, cancel: &AtomicBool, out: &Path) -> Result<u64, ConvertError> {
    let mut d = StreamDecoder::open(src)?;
    let mut buf = Vec::new();
    let mut n = 0u64;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(ConvertError::Cancelled {
                path: out.to_path_buf(),
            });
        }
        let k = d.next_chunk(&mut buf)?;
        if k == 0 {
            return Ok(n);
        }
        n += k as u64;
    }
}

struct StreamJob<'a> {
    src: &'a Path,
    w: &'a mut dyn Write,
    header: &'a [u8; 44],
    ratio: f64,
    sample_rate: u32,
    in_ch: usize,
    out_ch: usize,
    bits: u16,
    dither: bool,
    in_frames: u64,
    out_frames: u64,
    cancel: &'a AtomicBool,
    progress: &'a mut dyn FnMut(u64, u64),
    out: &'a Path,
}

/// Appends `samples` (interleaved, already at the output channel count) as PCM, stopping at
/// `room` frames; returns the frames written.
fn put(
    samples: &[f32],
    ch: usize,
    bits: u16,
    tpdf: &mut Option<Tpdf>,
    room: u64,
    bytes: &mut Vec<u8>,
) -> u64 {
    let frames = ((samples.len() / ch) as u64).min(room);
    for &x in &samples[..frames as usize * ch] {
        let d = tpdf.as_mut().map_or(0.0, Tpdf::sample);
        let v = quantize(x, bits, d);
        if bits == 16 {
            bytes.extend_from_slice(&(v as i16).to_le_bytes());
        } else {
            bytes.extend_from_slice(&v.to_le_bytes()[..3]);
        }
    }
    frames
}

fn stream(job: StreamJob<'_>) -> Result<(), ConvertError> {
    let StreamJob {
        src,
        w,
        header,
        ratio,
        sample_rate,
        in_ch,
        out_ch,
        bits,
        dither,
        in_frames,
        out_frames,
        cancel,
        progress,
        out,
    } = job;
    let io = |e: std::io::Error| {
        ConvertError::Write(ProjectError::Io {
            path: out.to_path_buf(),
            source: e,
        })
    };
    w.write_all(header).map_err(io)?;
    let mut dec = StreamDecoder::open(src)?;
    let mut rs =
        StreamResampler::with_params(ratio, out_ch, &sinc_parameters(sample_rate, DEVICE_RATE))?;
    let (pad, mut drop) = alignment(sample_rate, DEVICE_RATE)?;
    let mut res = Vec::new();
    rs.process(&vec![0.0; pad * out_ch], &mut res)?;
    let mut tpdf = dither.then(|| Tpdf::new(0x0C7A_5EED ^ in_frames));
    let (mut raw, mut mapped, mut bytes) = (Vec::new(), Vec::new(), Vec::new());
    let (mut done_in, mut done_out) = (0u64, 0u64);
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(ConvertError::Cancelled {
                path: out.to_path_buf(),
            });
        }
        let k = dec.next_chunk(&mut raw)?;
        mapped.clear();
        bytes.clear();
        if k == 0 {
            rs.finish(&mut res)?;
        } else {
            // Never feed more than the stated length (the header is written first).
            let take = (k as u64).min(in_frames.saturating_sub(done_in)) as usize;
            done_in += k as u64;
            map_channels(&raw[..take * in_ch], in_ch, out_ch, &mut mapped);
            rs.process(&mapped, &mut res)?;
        }
        let skip = drop.min(res.len() / out_ch);
        drop -= skip;
        done_out += put(
            &res[skip * out_ch..],
            out_ch,
            bits,
            &mut tpdf,
            out_frames - done_out,
            &mut bytes,
        );
        w.write_all(&bytes).map_err(io)?;
        res.clear();
        progress(done_in.min(in_frames), in_frames);
        if k == 0 {
            break;
        }
    }
    // A source shorter than its header said: silence up to the length written in the header.
    let block = out_ch * usize::from(bits / 8);
    let zeros = vec![0u8; 4096 * block];
    while done_out < out_frames {
        let n = (out_frames - done_out).min(4096);
        w.write_all(&zeros[..n as usize * block]).map_err(io)?;
        done_out += n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tpdf_is_triangular_within_one_lsb() {
        let mut t = Tpdf::new(7);
        let n = 200_000;
        let v: Vec<f64> = (0..n).map(|_| t.sample()).collect();
        assert!(v.iter().all(|x| x.abs() < 1.0));
        let mean = v.iter().sum::<f64>() / n as f64;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        // Triangular on (-1, 1): variance 1/6.
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0 / 6.0).abs() < 0.005, "variance {var}");
        // Density peaks at 0: the middle half holds 3/4 of the values.
        let mid = v.iter().filter(|x| x.abs() < 0.5).count() as f64 / n as f64;
        assert!((mid - 0.75).abs() < 0.01, "middle share {mid}");
    }

    #[test]
    fn quantize_scales_and_clips() {
        assert_eq!(quantize(0.5, 16, 0.0), 16_384);
        assert_eq!(quantize(1.0, 16, 0.0), 32_767);
        assert_eq!(quantize(-1.0, 16, 0.0), -32_768);
        assert_eq!(quantize(-2.0, 24, 0.0), -8_388_608);
        assert_eq!(quantize(0.0, 24, 0.6), 1);
    }

    #[test]
    fn phases_for_common_rates() {
        let p = sinc_parameters(48_000, 44_100);
        assert_eq!(p.oversampling_factor, 147);
        assert_eq!(p.interpolation, SincInterpolationType::Nearest);
        // Upsampling 2x: output frames fall on whole and half input frames.
        assert_eq!(sinc_parameters(22_050, 44_100).oversampling_factor, 2);
        assert_eq!(sinc_parameters(96_000, 44_100).oversampling_factor, 147);
        let odd = sinc_parameters(44_101, 44_100);
        assert_eq!(odd.interpolation, SincInterpolationType::Cubic);
        assert_eq!(p.sinc_len, 256);
    }

    #[test]
    fn header_fields() {
        let h = wav_header(2, 24, 10).unwrap();
        assert_eq!(&h[36..40], b"data");
        assert_eq!(u32::from_le_bytes([h[40], h[41], h[42], h[43]]), 60);
        assert_eq!(u32::from_le_bytes([h[28], h[29], h[30], h[31]]), 44_100 * 6);
        assert!(wav_header(2, 24, u64::from(u32::MAX)).is_err());
    }
}
