//! What assigning a file to a sample slot needs to know about it: frame count and sample rate
//! of a WAV (RIFF, little-endian) or AIFF/AIFC (big-endian) file, read from the header alone.
//! These are the two containers the Octatrack plays; anything else is refused with a message
//! naming the file and what is accepted. Pure functions over bytes: no I/O here.

use thiserror::Error;

/// File extensions a slot accepts (lower case, without the dot).
pub const ACCEPTED: &[&str] = &["wav", "aif", "aiff"];

/// The header facts of a PCM sample file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PcmInfo {
    /// Frames present (when the file is cut short, the whole frames that are there).
    pub frames: u32,
    /// Frames per second.
    pub sample_rate: u32,
    /// Channels.
    pub channels: u16,
    /// Bits per sample.
    pub bits: u16,
    /// The header claims more frames than the file holds.
    pub truncated: bool,
}

/// Why a header could not be read: the byte offset and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("byte {offset}: {message}")]
pub struct HeaderError {
    /// Offset in the file.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

fn bad<T>(offset: usize, message: impl Into<String>) -> Result<T, HeaderError> {
    Err(HeaderError {
        offset,
        message: message.into(),
    })
}

/// Why a file cannot be assigned to a slot.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SampleFileError {
    /// Not a container the device plays.
    #[error(
        "{file}: cannot be assigned to a slot: the Octatrack plays WAV and AIFF files (.wav, .aif, .aiff)"
    )]
    Unsupported {
        /// The file.
        file: String,
    },
    /// A WAV or AIFF file whose header is broken.
    #[error("{file}: not a readable {kind} file: {source}")]
    Bad {
        /// The file.
        file: String,
        /// "WAV" or "AIFF".
        kind: &'static str,
        /// Where and what.
        source: HeaderError,
    },
}

/// Whether a file name has an extension a slot accepts (case-insensitive).
pub fn is_assignable(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ACCEPTED.iter().any(|a| a.eq_ignore_ascii_case(ext)))
}

/// The header facts of a sample file to assign; `file` names it in errors and its extension
/// must be one of [`ACCEPTED`]. The content decides the parser (a `.wav` holding AIFF works).
pub fn sample_info(file: &str, bytes: &[u8]) -> Result<PcmInfo, SampleFileError> {
    if !is_assignable(file) {
        return Err(SampleFileError::Unsupported { file: file.into() });
    }
    let aiff = bytes.starts_with(b"FORM")
        || (!bytes.starts_with(b"RIFF") && !file.to_ascii_lowercase().ends_with(".wav"));
    let (kind, r) = if aiff {
        ("AIFF", aiff_info(bytes))
    } else {
        ("WAV", wav_info(bytes))
    };
    r.map_err(|source| SampleFileError::Bad {
        file: file.into(),
        kind,
        source,
    })
}

/// One chunk: id, offset of its body, declared length, length present in the file.
struct Chunk<'a> {
    id: &'a [u8],
    body: usize,
    len: usize,
    present: usize,
}

/// The chunks after a 12-byte container header; `le` for RIFF lengths. A chunk header cut off
/// at the end of the file ends the list.
fn chunks(bytes: &[u8], le: bool) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let mut at = 12usize;
    while let Some(head) = bytes.get(at..at.saturating_add(8)) {
        let raw = [head[4], head[5], head[6], head[7]];
        let len = if le {
            u32::from_le_bytes(raw)
        } else {
            u32::from_be_bytes(raw)
        } as usize;
        let body = at + 8;
        out.push(Chunk {
            id: &head[..4],
            body,
            len,
            present: len.min(bytes.len() - body),
        });
        at = body.saturating_add(len).saturating_add(len & 1);
    }
    out
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}
fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Frames that fit in `present` data bytes, and whether fewer than `declared` do.
fn frames_present(declared: u64, present: usize, frame_bytes: u64) -> (u32, bool) {
    let have = present as u64 / frame_bytes;
    let frames = declared.min(have).min(u32::MAX as u64) as u32;
    (frames, have < declared)
}

/// Header facts of a WAV file (RIFF `fmt ` and `data` chunks, in any order).
pub fn wav_info(bytes: &[u8]) -> Result<PcmInfo, HeaderError> {
    if bytes.len() < 12 {
        return bad(
            0,
            format!(
                "a WAV file starts with a 12-byte RIFF/WAVE header; the file has {} bytes",
                bytes.len()
            ),
        );
    }
    if &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return bad(0, "expected `RIFF` and `WAVE` (a WAV file)");
    }
    let list = chunks(bytes, true);
    let fmt = list.iter().find(|c| c.id == b"fmt ").ok_or(HeaderError {
        offset: bytes.len(),
        message: "no `fmt ` chunk before the end of the file".into(),
    })?;
    if fmt.present < 16 {
        return bad(
            fmt.body,
            format!("the `fmt ` chunk has {} bytes, 16 expected", fmt.present),
        );
    }
    let f = fmt.body;
    let channels = le16(bytes, f + 2);
    let sample_rate = le32(bytes, f + 4);
    let block = le16(bytes, f + 12);
    let bits = le16(bytes, f + 14);
    if channels == 0 {
        return bad(f + 2, "0 channels");
    }
    if sample_rate == 0 {
        return bad(f + 4, "sample rate 0");
    }
    if block == 0 {
        return bad(f + 12, "block align 0 (bytes per frame)");
    }
    let data = list.iter().find(|c| c.id == b"data").ok_or(HeaderError {
        offset: bytes.len(),
        message: "no `data` chunk before the end of the file".into(),
    })?;
    let (frames, truncated) =
        frames_present(data.len as u64 / block as u64, data.present, block as u64);
    Ok(PcmInfo {
        frames,
        sample_rate,
        channels,
        bits,
        truncated,
    })
}

/// An 80-bit IEEE 754 extended float (AIFF sample rates) as a whole number of hertz.
pub fn extended_to_hz(b: &[u8; 10]) -> Option<u32> {
    let exp = i32::from(u16::from_be_bytes([b[0], b[1]]));
    let mantissa = u64::from_be_bytes([b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9]]);
    if exp & 0x8000 != 0 || exp == 0x7FFF || mantissa == 0 {
        return None;
    }
    let v = mantissa as f64 * 2f64.powi(exp - 16383 - 63);
    let hz = v.round();
    (1.0..=u32::MAX as f64).contains(&hz).then_some(hz as u32)
}

/// Header facts of an AIFF or AIFC file (big-endian `COMM` and `SSND` chunks, in any order).
/// AIFC is read when uncompressed (`NONE`, or `sowt`: little-endian PCM).
pub fn aiff_info(bytes: &[u8]) -> Result<PcmInfo, HeaderError> {
    if bytes.len() < 12 {
        return bad(
            0,
            format!(
                "an AIFF file starts with a 12-byte FORM/AIFF header; the file has {} bytes",
                bytes.len()
            ),
        );
    }
    let aifc = match &bytes[8..12] {
        b"AIFF" => false,
        b"AIFC" => true,
        _ => return bad(0, "expected `FORM` and `AIFF` or `AIFC` (an AIFF file)"),
    };
    if &bytes[..4] != b"FORM" {
        return bad(0, "expected `FORM` and `AIFF` or `AIFC` (an AIFF file)");
    }
    let list = chunks(bytes, false);
    let comm = list.iter().find(|c| c.id == b"COMM").ok_or(HeaderError {
        offset: bytes.len(),
        message: "no `COMM` chunk before the end of the file".into(),
    })?;
    let need = if aifc { 22 } else { 18 };
    if comm.present < need {
        return bad(
            comm.body,
            format!(
                "the `COMM` chunk has {} bytes, {need} expected",
                comm.present
            ),
        );
    }
    let c = comm.body;
    let channels = be16(bytes, c);
    let declared = be32(bytes, c + 2);
    let bits = be16(bytes, c + 6);
    let mut ext = [0u8; 10];
    ext.copy_from_slice(&bytes[c + 8..c + 18]);
    if aifc {
        let kind = &bytes[c + 18..c + 22];
        if kind != b"NONE" && kind != b"sowt" {
            return bad(
                c + 18,
                format!(
                    "compression `{}`: only uncompressed AIFC (NONE, sowt) can be played",
                    String::from_utf8_lossy(kind)
                ),
            );
        }
    }
    if channels == 0 || channels > 0x7FFF {
        return bad(c, format!("{} channels", channels as i16));
    }
    if bits == 0 || bits > 32 {
        return bad(
            c + 6,
            format!("{} bits per sample (1-32 expected)", bits as i16),
        );
    }
    let sample_rate = extended_to_hz(&ext).ok_or(HeaderError {
        offset: c + 8,
        message: "the sample rate is not a positive number of hertz".into(),
    })?;
    let frame_bytes = channels as u64 * bits.div_ceil(8) as u64;
    let (frames, truncated) = match list.iter().find(|c| c.id == b"SSND") {
        Some(s) => {
            if s.present < 8 {
                return bad(
                    s.body,
                    "the `SSND` chunk is cut short before its 8-byte header",
                );
            }
            let offset = be32(bytes, s.body) as usize;
            let data = s.present.saturating_sub(8).saturating_sub(offset);
            frames_present(declared as u64, data, frame_bytes)
        }
        None if declared == 0 => (0, false),
        None => {
            return bad(
                bytes.len(),
                format!("no `SSND` chunk (the header claims {declared} frames)"),
            );
        }
    };
    Ok(PcmInfo {
        frames,
        sample_rate,
        channels,
        bits,
        truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// 44100 Hz and 48000 Hz as 80-bit extended floats.
    const HZ_44100: [u8; 10] = [0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0];
    const HZ_48000: [u8; 10] = [0x40, 0x0E, 0xBB, 0x80, 0, 0, 0, 0, 0, 0];

    fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.extend_from_slice(&(body.len() as u32).to_be_bytes());
        v.extend_from_slice(body);
        if body.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn form(kind: &[u8; 4], chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut v = b"FORM".to_vec();
        v.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        v.extend_from_slice(kind);
        v.extend_from_slice(&body);
        v
    }

    fn comm(channels: u16, frames: u32, bits: u16, rate: [u8; 10]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&channels.to_be_bytes());
        b.extend_from_slice(&frames.to_be_bytes());
        b.extend_from_slice(&bits.to_be_bytes());
        b.extend_from_slice(&rate);
        b
    }

    fn ssnd(data_len: usize) -> Vec<u8> {
        let mut b = vec![0u8; 8];
        b.extend((0..data_len).map(|i| i as u8));
        chunk(b"SSND", &b)
    }

    #[test]
    fn extended_rates() {
        assert_eq!(extended_to_hz(&HZ_44100), Some(44_100));
        assert_eq!(extended_to_hz(&HZ_48000), Some(48_000));
        // 22050 = 0xAC44 << 48 with exponent 16383 + 14.
        assert_eq!(
            extended_to_hz(&[0x40, 0x0D, 0xAC, 0x44, 0, 0, 0, 0, 0, 0]),
            Some(22_050)
        );
        assert_eq!(extended_to_hz(&[0; 10]), None);
        // Negative, infinite and below 1 Hz.
        assert_eq!(
            extended_to_hz(&[0xC0, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0]),
            None
        );
        assert_eq!(
            extended_to_hz(&[0x7F, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0]),
            None
        );
        assert_eq!(
            extended_to_hz(&[0x3F, 0xFD, 0x80, 0, 0, 0, 0, 0, 0, 0]),
            None
        );
    }

    #[test]
    fn hand_written_aiff_and_aifc() {
        // SSND before COMM, a comment chunk of odd length (padded) first: 1000 frames of
        // 24-bit mono at 48 kHz.
        let a = form(
            b"AIFF",
            &[
                chunk(b"NAME", b"abc"),
                ssnd(3000),
                chunk(b"COMM", &comm(1, 1000, 24, HZ_48000)),
            ],
        );
        let i = aiff_info(&a).unwrap();
        assert_eq!(
            i,
            PcmInfo {
                frames: 1000,
                sample_rate: 48_000,
                channels: 1,
                bits: 24,
                truncated: false
            }
        );
        // Cut short: 500 whole frames are there.
        let a = form(
            b"AIFF",
            &[chunk(b"COMM", &comm(1, 1000, 24, HZ_48000)), ssnd(3000)],
        );
        let cut = &a[..a.len() - 1500];
        let i = aiff_info(cut).unwrap();
        assert_eq!((i.frames, i.truncated), (500, true));
        // AIFC, little-endian PCM (sowt), stereo 16-bit.
        let mut c = comm(2, 10, 16, HZ_44100);
        c.extend_from_slice(b"sowt");
        c.extend_from_slice(&[0, 0]);
        let a = form(b"AIFC", &[chunk(b"COMM", &c), ssnd(40)]);
        let i = aiff_info(&a).unwrap();
        assert_eq!((i.frames, i.sample_rate, i.channels), (10, 44_100, 2));
        // Compressed AIFC is refused, naming the compression and its offset.
        let mut c = comm(1, 10, 16, HZ_44100);
        c.extend_from_slice(b"ima4");
        let a = form(b"AIFC", &[chunk(b"COMM", &c), ssnd(40)]);
        let e = aiff_info(&a).unwrap_err();
        assert_eq!(e.offset, 12 + 8 + 18);
        assert!(e.message.contains("ima4"), "{e}");
        // No SSND while frames are claimed; none needed for an empty sound.
        let a = form(b"AIFF", &[chunk(b"COMM", &comm(1, 5, 16, HZ_44100))]);
        assert!(aiff_info(&a).unwrap_err().message.contains("SSND"));
        let a = form(b"AIFF", &[chunk(b"COMM", &comm(1, 0, 16, HZ_44100))]);
        assert_eq!(aiff_info(&a).unwrap().frames, 0);
        // Bad fields name their offset.
        let a = form(
            b"AIFF",
            &[chunk(b"COMM", &comm(0, 5, 16, HZ_44100)), ssnd(10)],
        );
        assert_eq!(aiff_info(&a).unwrap_err().offset, 20);
        let a = form(
            b"AIFF",
            &[chunk(b"COMM", &comm(1, 5, 16, [0; 10])), ssnd(10)],
        );
        assert_eq!(aiff_info(&a).unwrap_err().offset, 28);
    }

    #[test]
    fn corpus_aiff() {
        let Some(p) = crate::testutil::corpus("audio/chord-44k1-16bit.aiff") else {
            return;
        };
        let bytes = std::fs::read(p).unwrap();
        let i = sample_info("chord-44k1-16bit.aiff", &bytes).unwrap();
        assert_eq!(
            i,
            PcmInfo {
                frames: 22_050,
                sample_rate: 44_100,
                channels: 2,
                bits: 16,
                truncated: false
            }
        );
        // Every cut of the file gives an answer, never a panic; cuts inside the header are
        // errors, cuts inside the sound data give the frames present.
        // COMT at 12, COMM at 46, SSND at 72 (its 8-byte header first): sound data at 88.
        let data_at = 88;
        for n in 0..bytes.len() {
            match aiff_info(&bytes[..n]) {
                Ok(i) => {
                    assert!(n >= data_at, "cut at {n} accepted");
                    assert_eq!(i.frames as usize, (n - data_at) / 4, "cut at {n}");
                    assert!(i.truncated);
                }
                Err(e) => assert!(n < data_at, "cut at {n}: {e}"),
            }
        }
    }

    #[test]
    fn corpus_wavs() {
        let cases = [
            ("sine440-44k1-16bit-mono.wav", 22_050, 44_100, 1, 16),
            ("sweep-48k-24bit-stereo.wav", 48_000, 48_000, 2, 24),
            ("noise-44k1-f32-stereo.wav", 11_025, 44_100, 2, 32),
            ("click-22k-8bit.wav", 2_205, 22_050, 1, 8),
        ];
        for (name, frames, rate, ch, bits) in cases {
            let Some(p) = crate::testutil::corpus(&format!("audio/{name}")) else {
                return;
            };
            let bytes = std::fs::read(p).unwrap();
            let i = sample_info(name, &bytes).unwrap();
            assert_eq!(
                (i.frames, i.sample_rate, i.channels, i.bits, i.truncated),
                (frames, rate, ch, bits, false),
                "{name}"
            );
            for n in 0..bytes.len().min(400) {
                let _ = wav_info(&bytes[..n]);
            }
        }
        let Some(dir) = crate::testutil::corpus("audio") else {
            return;
        };
        let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
        // Header says 22050 frames; 1478 are there.
        let i = wav_info(&read("bad-truncated.wav")).unwrap();
        assert_eq!((i.frames, i.truncated), (1478, true));
        for name in ["bad-header.wav", "bad-empty.wav"] {
            let e = sample_info(name, &read(name)).unwrap_err();
            let text = e.to_string();
            assert!(
                text.starts_with(name) && text.contains("not a readable WAV"),
                "{text}"
            );
        }
        let e = sample_info("bad-header.wav", &read("bad-header.wav")).unwrap_err();
        assert!(e.to_string().contains("no `fmt ` chunk"), "{e}");
    }

    #[test]
    fn other_formats_are_refused_by_name() {
        assert!(is_assignable("a/Kick.WAV") && is_assignable("x.aif") && is_assignable("y.AIFF"));
        assert!(!is_assignable("z.flac") && !is_assignable("wav") && !is_assignable("k.ot"));
        let e = sample_info("../AUDIO/loop.flac", b"fLaC").unwrap_err();
        assert_eq!(
            e,
            SampleFileError::Unsupported {
                file: "../AUDIO/loop.flac".into()
            }
        );
        let text = e.to_string();
        assert!(
            text.contains("loop.flac") && text.contains(".wav, .aif, .aiff"),
            "{text}"
        );
        // An AIFF file named .aif with a WAV inside, and the reverse, read by content.
        let Some(p) = crate::testutil::corpus("audio/chord-44k1-16bit.aiff") else {
            return;
        };
        let aiff = std::fs::read(p).unwrap();
        assert_eq!(sample_info("x.wav", &aiff).unwrap().frames, 22_050);
        let e = sample_info("x.aif", b"junk junk junk").unwrap_err();
        assert!(e.to_string().contains("not a readable AIFF"), "{e}");
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..96),
                                    which in 0u8..3) {
            let mut bytes = match which {
                0 => b"RIFF\0\0\0\0WAVE".to_vec(),
                1 => b"FORM\0\0\0\0AIFF".to_vec(),
                _ => b"FORM\0\0\0\0AIFC".to_vec(),
            };
            bytes.extend_from_slice(&tail);
            let _ = wav_info(&bytes);
            let _ = aiff_info(&bytes);
            let _ = sample_info("x.aif", &bytes);
            let _ = sample_info("x.wav", &tail);
        }

        #[test]
        fn random_chunks_never_panic(id in 0u8..4, len in any::<u32>(),
                                     body in proptest::collection::vec(any::<u8>(), 0..40)) {
            let ids: [&[u8; 4]; 4] = [b"fmt ", b"data", b"COMM", b"SSND"];
            for head in [&b"RIFF\0\0\0\0WAVE"[..], &b"FORM\0\0\0\0AIFF"[..]] {
                let mut bytes = head.to_vec();
                bytes.extend_from_slice(ids[id as usize]);
                bytes.extend_from_slice(&len.to_le_bytes());
                bytes.extend_from_slice(&body);
                let _ = wav_info(&bytes);
                let _ = aiff_info(&bytes);
            }
        }
    }
}
