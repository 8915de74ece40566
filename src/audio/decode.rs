//! Decoding sample files with symphonia: sniffing, probing, file facts and a
//! streaming decoder that hands out interleaved `f32` chunks.
//!
//! Files are checked before symphonia sees them: the extension must be one of
//! the supported audio extensions and the first bytes must look like that
//! container (RIFF/WAVE, FORM/AIFF, fLaC, OggS, MPEG audio).

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::AudioError;

/// The container kinds octa decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    /// RIFF WAVE.
    Wav,
    /// AIFF / AIFF-C.
    Aiff,
    /// Native FLAC.
    Flac,
    /// Ogg Vorbis.
    OggVorbis,
    /// MPEG-1/2 layer III.
    Mp3,
}

impl AudioFormat {
    /// From a file extension (case-insensitive); `None` for anything else.
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext.to_ascii_lowercase().as_str() {
            "wav" | "wave" => Some(Self::Wav),
            "aif" | "aiff" | "aifc" => Some(Self::Aiff),
            "flac" => Some(Self::Flac),
            "ogg" | "oga" => Some(Self::OggVorbis),
            "mp3" => Some(Self::Mp3),
            _ => None,
        }
    }

    /// From a path's extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::from_extension)
    }

    /// Whether `head` (the first bytes of a file) looks like this container.
    pub fn matches_magic(self, head: &[u8]) -> bool {
        match self {
            Self::Wav => head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WAVE",
            Self::Aiff => {
                head.len() >= 12
                    && &head[0..4] == b"FORM"
                    && (&head[8..12] == b"AIFF" || &head[8..12] == b"AIFC")
            }
            Self::Flac => head.starts_with(b"fLaC"),
            Self::OggVorbis => head.starts_with(b"OggS"),
            Self::Mp3 => {
                head.starts_with(b"ID3")
                    || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0)
            }
        }
    }

    /// Short display name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Wav => "WAV",
            Self::Aiff => "AIFF",
            Self::Flac => "FLAC",
            Self::OggVorbis => "Ogg Vorbis",
            Self::Mp3 => "MP3",
        }
    }

    /// Whether samples are stored as PCM (so the bit depth is meaningful to the device).
    pub fn is_pcm(self) -> bool {
        matches!(self, Self::Wav | Self::Aiff)
    }
}

impl fmt::Display for AudioFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Facts about one audio file, as shown in the sample browser.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioFileInfo {
    /// The file.
    pub path: PathBuf,
    /// Container kind.
    pub format: AudioFormat,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Bits per sample as stored (None for lossy formats).
    pub bits_per_sample: Option<u32>,
    /// Whether samples are floating point.
    pub float: bool,
    /// Channel count.
    pub channels: u16,
    /// Length in frames, when the container states it.
    pub frames: Option<u64>,
}

impl AudioFileInfo {
    /// Length in seconds, when known.
    pub fn duration_secs(&self) -> Option<f64> {
        self.frames
            .map(|f| f as f64 / f64::from(self.sample_rate.max(1)))
    }

    /// One-line summary, e.g. `WAV 44100 Hz 16-bit stereo 0.500 s`.
    pub fn summary(&self) -> String {
        let bits = match (self.bits_per_sample, self.float) {
            (Some(b), true) => format!("{b}-bit float"),
            (Some(b), false) => format!("{b}-bit"),
            (None, _) => "compressed".to_string(),
        };
        let ch = match self.channels {
            1 => "mono".to_string(),
            2 => "stereo".to_string(),
            n => format!("{n} ch"),
        };
        let len = match self.duration_secs() {
            Some(s) => format!("{s:.3} s"),
            None => "length unknown".to_string(),
        };
        format!(
            "{} {} Hz {} {} {}",
            self.format, self.sample_rate, bits, ch, len
        )
    }
}

/// What keeps the Octatrack from playing a file as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incompatibility {
    /// Not WAV or AIFF.
    Format(AudioFormat),
    /// Not 44.1 kHz.
    SampleRate(u32),
    /// Not 16- or 24-bit integer PCM.
    BitDepth {
        /// Stored bits per sample, if known.
        bits: Option<u32>,
        /// Floating-point samples.
        float: bool,
    },
    /// More than two channels.
    Channels(u16),
}

impl fmt::Display for Incompatibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Format(fmt_) => write!(f, "{fmt_} is not WAV or AIFF"),
            Self::SampleRate(r) => write!(f, "{r} Hz is not 44100 Hz"),
            Self::BitDepth { bits, float } => match (bits, float) {
                (Some(b), true) => write!(f, "{b}-bit float is not 16/24-bit integer"),
                (Some(b), false) => write!(f, "{b}-bit is not 16/24-bit"),
                (None, _) => write!(f, "unknown bit depth"),
            },
            Self::Channels(c) => write!(f, "{c} channels (mono or stereo only)"),
        }
    }
}

/// Everything the Octatrack cannot play about `info` (empty: plays as is).
/// The device plays 16/24-bit integer WAV/AIFF, mono or stereo, at 44.1 kHz.
pub fn device_compatibility(info: &AudioFileInfo) -> Vec<Incompatibility> {
    let mut issues = Vec::new();
    if !info.format.is_pcm() {
        issues.push(Incompatibility::Format(info.format));
    } else if info.float || !matches!(info.bits_per_sample, Some(16) | Some(24)) {
        issues.push(Incompatibility::BitDepth {
            bits: info.bits_per_sample,
            float: info.float,
        });
    }
    if info.sample_rate != 44_100 {
        issues.push(Incompatibility::SampleRate(info.sample_rate));
    }
    if info.channels > 2 {
        issues.push(Incompatibility::Channels(info.channels));
    }
    issues
}

/// Checks extension and magic bytes; returns the container kind.
pub fn sniff(path: &Path) -> Result<AudioFormat, AudioError> {
    let format = AudioFormat::from_path(path).ok_or_else(|| AudioError::NotAudio {
        path: path.to_path_buf(),
        reason: "the extension is not .wav, .aif/.aiff, .flac, .ogg or .mp3".into(),
    })?;
    let mut head = [0u8; 12];
    let mut file = File::open(path).map_err(|e| AudioError::io(path, e))?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(AudioError::io(path, e)),
        }
    }
    if n == 0 {
        return Err(AudioError::Corrupt {
            path: path.to_path_buf(),
            reason: "the file is empty".into(),
        });
    }
    if !format.matches_magic(&head[..n]) {
        return Err(AudioError::Corrupt {
            path: path.to_path_buf(),
            reason: format!(
                "the first bytes are not a {} header (found {:02X?})",
                format.name(),
                &head[..n.min(4)]
            ),
        });
    }
    Ok(format)
}

/// A streaming decoder: yields interleaved `f32` frames chunk by chunk.
pub struct StreamDecoder {
    info: AudioFileInfo,
    reader: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    /// Frames handed out so far.
    position: u64,
    warnings: Vec<String>,
    finished: bool,
}

impl fmt::Debug for StreamDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamDecoder")
            .field("info", &self.info)
            .field("position", &self.position)
            .finish_non_exhaustive()
    }
}

/// Probes a file and returns its facts without decoding audio.
pub fn probe(path: &Path) -> Result<AudioFileInfo, AudioError> {
    StreamDecoder::open(path).map(|d| d.info)
}

/// What a panic inside symphonia is reported as.
const DECODER_FAILED: &str = "the decoder failed on this file, which is probably damaged";

fn sym_err(path: &Path, e: SymError) -> AudioError {
    match e {
        SymError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            AudioError::Corrupt {
                path: path.to_path_buf(),
                reason: "the file ends before its header is complete".into(),
            }
        }
        SymError::IoError(io) => AudioError::io(path, io),
        SymError::Unsupported(what) => AudioError::Unsupported {
            path: path.to_path_buf(),
            reason: what.to_string(),
        },
        other => AudioError::Corrupt {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    }
}

impl StreamDecoder {
    /// Sniffs, probes and opens `path` for decoding.
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        crate::guard::catch(|| Self::open_unguarded(path)).unwrap_or_else(|| {
            Err(AudioError::Corrupt {
                path: path.to_path_buf(),
                reason: DECODER_FAILED.into(),
            })
        })
    }

    fn open_unguarded(path: &Path) -> Result<Self, AudioError> {
        let format = sniff(path)?;
        let file = File::open(path).map_err(|e| AudioError::io(path, e))?;
        let mss = MediaSourceStream::new(Box::new(file), Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let reader = symphonia::default::get_probe()
            .probe(
                &hint,
                mss,
                FormatOptions::default(),
                MetadataOptions::default(),
            )
            .map_err(|e| sym_err(path, e))?;
        let track = reader
            .default_track(TrackType::Audio)
            .ok_or_else(|| AudioError::Corrupt {
                path: path.to_path_buf(),
                reason: "no audio track".into(),
            })?;
        let track_id = track.id;
        let num_frames = track.num_frames;
        let params = track
            .codec_params
            .as_ref()
            .and_then(|p| p.audio())
            .ok_or_else(|| AudioError::Corrupt {
                path: path.to_path_buf(),
                reason: "no audio codec parameters".into(),
            })?
            .clone();
        let decoder = symphonia::default::get_codecs()
            .make_audio_decoder(&params, &AudioDecoderOptions::default())
            .map_err(|e| sym_err(path, e))?;
        let sample_rate =
            params
                .sample_rate
                .filter(|r| *r > 0)
                .ok_or_else(|| AudioError::Corrupt {
                    path: path.to_path_buf(),
                    reason: "no sample rate".into(),
                })?;
        let channels = params
            .channels
            .as_ref()
            .map(|c| c.count())
            .filter(|c| *c > 0)
            .ok_or_else(|| AudioError::Corrupt {
                path: path.to_path_buf(),
                reason: "no channel count".into(),
            })?;
        let channels = u16::try_from(channels).map_err(|_| AudioError::Unsupported {
            path: path.to_path_buf(),
            reason: format!("{channels} channels"),
        })?;
        use symphonia::core::audio::sample::SampleFormat as Sf;
        let float = matches!(params.sample_format, Some(Sf::F32) | Some(Sf::F64)) || {
            use symphonia::core::codecs::audio::well_known::*;
            [
                CODEC_ID_PCM_F32LE,
                CODEC_ID_PCM_F32LE_PLANAR,
                CODEC_ID_PCM_F32BE,
                CODEC_ID_PCM_F32BE_PLANAR,
                CODEC_ID_PCM_F64LE,
                CODEC_ID_PCM_F64LE_PLANAR,
                CODEC_ID_PCM_F64BE,
                CODEC_ID_PCM_F64BE_PLANAR,
            ]
            .contains(&params.codec)
        };
        let bits_per_sample = if format.is_pcm() || format == AudioFormat::Flac {
            params.bits_per_sample.or_else(|| {
                use symphonia::core::codecs::audio::well_known::*;
                let f64_ids = [
                    CODEC_ID_PCM_F64LE,
                    CODEC_ID_PCM_F64LE_PLANAR,
                    CODEC_ID_PCM_F64BE,
                    CODEC_ID_PCM_F64BE_PLANAR,
                ];
                float.then_some(if f64_ids.contains(&params.codec) {
                    64
                } else {
                    32
                })
            })
        } else {
            None
        };
        Ok(Self {
            info: AudioFileInfo {
                path: path.to_path_buf(),
                format,
                sample_rate,
                bits_per_sample,
                float,
                channels,
                frames: num_frames,
            },
            reader,
            decoder,
            track_id,
            position: 0,
            warnings: Vec::new(),
            finished: false,
        })
    }

    /// The file's facts.
    pub fn info(&self) -> &AudioFileInfo {
        &self.info
    }

    /// Frames handed out so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Warnings collected so far (e.g. the file ended early); drains them.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Decodes the next packet into `out` (cleared first; interleaved `f32`, the
    /// file's channel count). Returns the number of frames, `Ok(0)` at the end.
    /// A file that ends early or has a damaged packet stops with a warning
    /// rather than an error once some audio was produced.
    pub fn next_chunk(&mut self, out: &mut Vec<f32>) -> Result<usize, AudioError> {
        match crate::guard::catch(|| self.next_chunk_unguarded(out)) {
            Some(r) => r,
            None => {
                // The decoder's state is unknown after a panic: stop here.
                self.finished = true;
                out.clear();
                Err(AudioError::Corrupt {
                    path: self.info.path.clone(),
                    reason: format!("{DECODER_FAILED} (after frame {})", self.position),
                })
            }
        }
    }

    fn next_chunk_unguarded(&mut self, out: &mut Vec<f32>) -> Result<usize, AudioError> {
        out.clear();
        if self.finished {
            return Ok(0);
        }
        let path = &self.info.path;
        loop {
            let packet = match self.reader.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => {
                    self.finish_checks();
                    return Ok(0);
                }
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    self.finish_checks();
                    return Ok(0);
                }
                Err(SymError::ResetRequired) => {
                    self.warnings.push(format!(
                        "{}: stream parameters change mid-file; stopped at frame {}",
                        path.display(),
                        self.position
                    ));
                    self.finished = true;
                    return Ok(0);
                }
                Err(e) => {
                    if self.position > 0 {
                        self.warnings.push(format!(
                            "{}: {} after frame {}; the rest is skipped",
                            path.display(),
                            e,
                            self.position
                        ));
                        self.finished = true;
                        return Ok(0);
                    }
                    self.finished = true;
                    return Err(sym_err(path, e));
                }
            };
            if packet.track_id != self.track_id {
                continue;
            }
            match self.decoder.decode(&packet) {
                Ok(buf) => {
                    if buf.frames() == 0 {
                        continue;
                    }
                    buf.copy_to_vec_interleaved::<f32>(out);
                    let ch = usize::from(self.info.channels);
                    let frames = out.len() / ch;
                    out.truncate(frames * ch);
                    self.position += frames as u64;
                    return Ok(frames);
                }
                Err(SymError::DecodeError(msg)) => {
                    self.warnings.push(format!(
                        "{}: damaged packet near frame {} skipped ({msg})",
                        path.display(),
                        self.position
                    ));
                    continue;
                }
                Err(SymError::IoError(_)) => continue,
                Err(e) => {
                    self.finished = true;
                    return Err(sym_err(path, e));
                }
            }
        }
    }

    fn finish_checks(&mut self) {
        self.finished = true;
        if let Some(expected) = self.info.frames
            && self.position < expected
            && self.info.format.is_pcm()
        {
            self.warnings.push(format!(
                "{}: the header states {} frames but only {} are present (truncated file)",
                self.info.path.display(),
                expected,
                self.position
            ));
        }
    }

    /// Moves to `frame` (ahead of the current position): seeks in the container
    /// where that is sample-accurate (WAV, AIFF, FLAC) and the distance is worth
    /// it, then decodes and discards up to the exact frame. `rest` receives the
    /// decoded audio from `frame` on (possibly empty).
    pub fn seek_to(&mut self, frame: u64, rest: &mut Vec<f32>) -> Result<(), AudioError> {
        use symphonia::core::formats::{SeekMode, SeekTo};
        use symphonia::core::units::Timestamp;
        rest.clear();
        let seekable = matches!(
            self.info.format,
            AudioFormat::Wav | AudioFormat::Aiff | AudioFormat::Flac
        );
        if seekable
            && frame > self.position + 8_192
            && let Ok(ts) = i64::try_from(frame)
            && let Some(Ok(to)) = crate::guard::catch(|| {
                self.reader.seek(
                    SeekMode::Accurate,
                    SeekTo::Timestamp {
                        ts: Timestamp::new(ts),
                        track_id: self.track_id,
                    },
                )
            })
        {
            self.decoder.reset();
            let actual = u64::try_from(to.actual_ts.get()).unwrap_or(0);
            if actual > frame {
                self.warnings.push(format!(
                    "{}: seeking to frame {frame} landed at {actual}",
                    self.info.path.display()
                ));
            }
            self.position = actual;
        }
        if frame > self.position {
            self.skip(frame - self.position, rest)
        } else {
            Ok(())
        }
    }

    /// Skips `frames` frames from the current position (decoding and discarding).
    /// Returns a chunk holding whatever was decoded past the skip point.
    pub fn skip(&mut self, frames: u64, rest: &mut Vec<f32>) -> Result<(), AudioError> {
        rest.clear();
        let ch = usize::from(self.info.channels);
        let target = self.position + frames;
        let mut buf = Vec::new();
        while self.position < target {
            let start = self.position;
            let n = self.next_chunk(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            if self.position > target {
                let keep_from = (target - start) as usize;
                rest.extend_from_slice(&buf[keep_from * ch..]);
            }
        }
        Ok(())
    }
}

/// A whole decoded file (for tests, peaks and offline tools; preview streams instead).
#[derive(Debug, Clone)]
pub struct DecodedAudio {
    /// The file's facts; `frames` is the decoded count.
    pub info: AudioFileInfo,
    /// Interleaved samples.
    pub samples: Vec<f32>,
    /// Warnings (e.g. truncated file).
    pub warnings: Vec<String>,
}

impl DecodedAudio {
    /// Frame count.
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.info.channels.max(1))
    }

    /// Channel `c` as a vector.
    pub fn channel(&self, c: usize) -> Vec<f32> {
        let ch = usize::from(self.info.channels.max(1));
        self.samples.iter().skip(c).step_by(ch).copied().collect()
    }
}

/// Decodes a whole file into memory.
pub fn decode_file(path: &Path) -> Result<DecodedAudio, AudioError> {
    let mut dec = StreamDecoder::open(path)?;
    let mut samples = Vec::new();
    let mut chunk = Vec::new();
    while dec.next_chunk(&mut chunk)? > 0 {
        samples.extend_from_slice(&chunk);
    }
    let mut info = dec.info.clone();
    info.frames = Some((samples.len() / usize::from(info.channels)) as u64);
    Ok(DecodedAudio {
        info,
        samples,
        warnings: dec.take_warnings(),
    })
}
