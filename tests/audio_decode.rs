#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Decoding every file of the shared audio corpus: frame counts, rates, channels
//! and known sample values; the bad files give clear errors (or a warning).

use octa::audio::AudioError;
use octa::audio::decode::{AudioFormat, Incompatibility, decode_file, device_compatibility, probe};
use octa::audio::peaks::{
    PeakSummary, rising_zero_crossings, snap_to_zero_crossing, zero_crossings,
};
use octa::testutil::corpus;

fn audio(name: &str) -> Option<std::path::PathBuf> {
    corpus(&format!("audio/{name}"))
}

/// A WAV whose `fmt ` chunk claims 65535 channels of 16 bits: symphonia 0.6 multiplies them
/// in a u16 and panics on the overflow (in builds with overflow checks). octa turns that into an
/// error naming the file, from the probe and from a full decode.
#[test]
fn a_decoder_panic_on_a_damaged_header_is_an_error_naming_the_file() {
    let Some(src) = audio("sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let mut bytes = std::fs::read(&src).unwrap();
    assert_eq!(&bytes[12..16], b"fmt ");
    bytes[22..24].copy_from_slice(&u16::MAX.to_le_bytes());
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("many-channels.wav");
    std::fs::write(&p, &bytes).unwrap();
    let e = probe(&p).unwrap_err().to_string();
    assert!(e.contains("many-channels.wav"), "{e}");
    if cfg!(debug_assertions) {
        // With overflow checks symphonia panics here; the guard reports it.
        assert!(e.contains("the decoder failed on this file"), "{e}");
    }
    let e = decode_file(&p).unwrap_err().to_string();
    assert!(e.contains("many-channels.wav"), "{e}");
    assert!(!octa::guard::is_catching());
}

#[test]
fn sine_16bit_mono_values_peaks_and_zero_crossings() {
    let Some(p) = audio("sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let d = decode_file(&p).unwrap();
    assert_eq!(d.info.format, AudioFormat::Wav);
    assert_eq!(d.info.sample_rate, 44_100);
    assert_eq!(d.info.channels, 1);
    assert_eq!(d.info.bits_per_sample, Some(16));
    assert_eq!(d.frames(), 22_050);
    assert!(d.warnings.is_empty());
    // First samples as stored (i16 / 32768).
    let want = [33, 1014, 2061, 3054, 4076, 5042, 6027, 6954];
    for (i, w) in want.iter().enumerate() {
        assert_eq!(d.samples[i], *w as f32 / 32768.0, "sample {i}");
    }
    // Peak amplitude 16385/32768 (about -6 dBFS), both signs.
    let max = d.samples.iter().copied().fold(f32::MIN, f32::max);
    let min = d.samples.iter().copied().fold(f32::MAX, f32::min);
    assert_eq!(max, 16385.0 / 32768.0);
    assert_eq!(min, -16385.0 / 32768.0);
    // Rising zero crossings every 44100/440 = 100.23 frames: 220 of them in 0.5 s
    // (the first period starts at frame 0, which is not counted as a crossing).
    let rising = rising_zero_crossings(&d.samples, 1);
    assert!((219..=220).contains(&rising.len()), "{}", rising.len());
    for (k, f) in rising.iter().enumerate() {
        let ideal = (k + 1) as f64 * 44_100.0 / 440.0;
        assert!(
            (*f as f64 - ideal).abs() <= 1.5,
            "crossing {k} at {f}, ideal {ideal:.1}"
        );
    }
    let all = zero_crossings(&d.samples, 1);
    assert!((438..=440).contains(&all.len()), "{}", all.len());
    // Peaks over the whole file in 10 columns: every column spans a full period.
    let s = PeakSummary::from_samples(&d.samples, 1, 44_100);
    let cols = s.peaks(0, 22_050, 10).merged();
    assert_eq!(cols.len(), 10);
    for c in &cols {
        assert!(c.max > 0.49 && c.max <= 0.5001 && c.min < -0.49, "{c:?}");
    }
    // Snapping to a zero crossing from the file: near frame 1000 the crossings are
    // at about 952.3 (rising? no: 9.5 half periods) and 1002.3.
    let snapped = snap_to_zero_crossing(&p, 1000, 40).unwrap();
    assert!(all.contains(&(snapped as usize)), "{snapped}");
    assert!(snapped.abs_diff(1002) <= 1, "{snapped}");
}

#[test]
fn sweep_24bit_stereo_48k_rises_in_frequency() {
    let Some(p) = audio("sweep-48k-24bit-stereo.wav") else {
        return;
    };
    let d = decode_file(&p).unwrap();
    assert_eq!(d.info.sample_rate, 48_000);
    assert_eq!(d.info.channels, 2);
    assert_eq!(d.info.bits_per_sample, Some(24));
    assert_eq!(d.frames(), 48_000);
    // Known 24-bit values (both channels identical), scaled by 2^23.
    let want = [0, 54_907, 109_814, 164_713];
    for (i, w) in want.iter().enumerate() {
        assert_eq!(d.samples[2 * i], *w as f32 / 8_388_608.0);
        assert_eq!(d.samples[2 * i + 1], *w as f32 / 8_388_608.0);
    }
    // Zero crossings per 0.1 s window increase from window to window.
    let left = d.channel(0);
    let counts: Vec<usize> = left
        .chunks(4_800)
        .map(|w| zero_crossings(w, 1).len())
        .collect();
    assert_eq!(counts.len(), 10);
    for pair in counts.windows(2) {
        assert!(pair[1] > pair[0], "{counts:?}");
    }
    // 100 Hz at the start: about 20 crossings in the first 0.1 s; near 8 kHz at the
    // end: well over 1000 in the last.
    assert!(counts[0] < 60, "{counts:?}");
    assert!(counts[9] > 1000, "{counts:?}");
    let issues = device_compatibility(&d.info);
    assert_eq!(issues, vec![Incompatibility::SampleRate(48_000)]);
}

#[test]
fn float_stereo_noise_values() {
    let Some(p) = audio("noise-44k1-f32-stereo.wav") else {
        return;
    };
    let d = decode_file(&p).unwrap();
    assert_eq!(d.info.channels, 2);
    assert_eq!(d.info.sample_rate, 44_100);
    assert!(d.info.float);
    assert_eq!(d.info.bits_per_sample, Some(32));
    assert_eq!(d.frames(), 11_025);
    assert_eq!(d.samples[0], 0.015_281_856);
    assert_eq!(d.samples[2], -0.007_836_282);
    assert_eq!(d.samples[d.samples.len() - 1], 0.105_977_83);
    assert_eq!(
        device_compatibility(&d.info),
        vec![Incompatibility::BitDepth {
            bits: Some(32),
            float: true
        }]
    );
}

#[test]
fn aiff_chord_stereo() {
    let Some(p) = audio("chord-44k1-16bit.aiff") else {
        return;
    };
    let d = decode_file(&p).unwrap();
    assert_eq!(d.info.format, AudioFormat::Aiff);
    assert_eq!(d.info.channels, 2);
    assert_eq!(d.frames(), 22_050);
    // Big-endian samples: first frame (16, 21), second (482, 608).
    assert_eq!(
        d.samples[..4],
        [
            16.0 / 32768.0,
            21.0 / 32768.0,
            482.0 / 32768.0,
            608.0 / 32768.0
        ]
    );
    assert!(device_compatibility(&d.info).is_empty());
    assert_eq!(probe(&p).unwrap().frames, Some(22_050));
}

#[test]
fn flac_square_levels() {
    let Some(p) = audio("square-44k1.flac") else {
        return;
    };
    let d = decode_file(&p).unwrap();
    assert_eq!(d.info.format, AudioFormat::Flac);
    assert_eq!(d.info.channels, 1);
    assert_eq!(d.info.sample_rate, 44_100);
    assert_eq!(d.info.bits_per_sample, Some(16));
    assert_eq!(d.frames(), 22_050);
    // A band-limited square at +-0.3 (ringing at the edges): the first sample
    // and most samples sit near one of the two levels, half on each side.
    assert_eq!(d.samples[0], 8907.0 / 32768.0);
    let near = |v: f32| (v.abs() - 0.3).abs() < 0.02;
    let at_level = d.samples.iter().filter(|v| near(**v)).count();
    assert!(
        at_level * 100 >= d.samples.len() * 85,
        "{at_level} of {}",
        d.samples.len()
    );
    let positive = d.samples.iter().filter(|v| **v > 0.0).count();
    assert!(positive.abs_diff(d.samples.len() / 2) < 300, "{positive}");
    // Levels symmetric: the mean of the plateau samples on each side.
    let hi: Vec<f32> = d
        .samples
        .iter()
        .copied()
        .filter(|v| near(*v) && *v > 0.0)
        .collect();
    let lo: Vec<f32> = d
        .samples
        .iter()
        .copied()
        .filter(|v| near(*v) && *v < 0.0)
        .collect();
    let mean = |x: &[f32]| x.iter().sum::<f32>() / x.len() as f32;
    assert!((mean(&hi) - 0.3).abs() < 0.002, "{}", mean(&hi));
    assert!((mean(&lo) + 0.3).abs() < 0.002, "{}", mean(&lo));
    assert_eq!(
        device_compatibility(&d.info),
        vec![Incompatibility::Format(AudioFormat::Flac)]
    );
}

#[test]
fn ogg_vorbis_and_mp3() {
    let Some(p) = audio("saw-44k1.ogg") else {
        return;
    };
    let d = decode_file(&p).unwrap();
    assert_eq!(d.info.format, AudioFormat::OggVorbis);
    assert_eq!(d.info.channels, 2);
    assert_eq!(d.info.sample_rate, 44_100);
    assert_eq!(d.frames(), 22_050);
    assert_eq!(d.info.bits_per_sample, None);
    let peak = d.samples.iter().fold(0f32, |m, v| m.max(v.abs()));
    assert!(peak > 0.1 && peak < 1.5, "{peak}");

    let p = audio("tri-44k1.mp3").unwrap();
    let d = decode_file(&p).unwrap();
    assert_eq!(d.info.format, AudioFormat::Mp3);
    assert_eq!(d.info.channels, 2);
    assert_eq!(d.info.sample_rate, 44_100);
    // About 0.5 s; decoders differ by a little padding.
    assert!(
        (22_050..=22_050 + 1_152 * 2).contains(&d.frames()),
        "{}",
        d.frames()
    );
    let peak = d.samples.iter().fold(0f32, |m, v| m.max(v.abs()));
    assert!(peak > 0.1, "{peak}");
}

#[test]
fn eight_bit_click() {
    let Some(p) = audio("click-22k-8bit.wav") else {
        return;
    };
    let d = decode_file(&p).unwrap();
    assert_eq!(d.info.sample_rate, 22_050);
    assert_eq!(d.info.bits_per_sample, Some(8));
    assert_eq!(d.frames(), 2_205);
    // Unsigned 8-bit: 130 -> 2/128, 146 -> 18/128.
    assert_eq!(d.samples[0], 2.0 / 128.0);
    assert_eq!(d.samples[1], 18.0 / 128.0);
    let issues = device_compatibility(&d.info);
    assert!(issues.contains(&Incompatibility::SampleRate(22_050)));
    assert!(issues.contains(&Incompatibility::BitDepth {
        bits: Some(8),
        float: false
    }));
}

#[test]
fn bad_files_give_clear_errors() {
    for name in ["bad-header.wav", "bad-random.flac", "bad-empty.wav"] {
        let Some(p) = audio(name) else { return };
        let err = decode_file(&p).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(name), "{msg}");
        assert!(
            matches!(
                err,
                AudioError::Corrupt { .. } | AudioError::Unsupported { .. }
            ),
            "{msg}"
        );
    }
    // Not an audio extension: refused before decoding.
    let ot = corpus("ot/sample-settings/chain-16/valid-1.ot").unwrap();
    assert!(matches!(decode_file(&ot), Err(AudioError::NotAudio { .. })));
}

#[test]
fn truncated_wav_plays_what_is_there_with_a_warning() {
    let Some(p) = audio("bad-truncated.wav") else {
        return;
    };
    let d = decode_file(&p).unwrap();
    // (3000 - 44) / 2 = 1478 frames present; the header claims 22050.
    assert_eq!(d.frames(), 1_478);
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert!(d.warnings[0].contains("bad-truncated.wav") && d.warnings[0].contains("22050"));
}

#[test]
fn peak_cache_computes_in_the_background_and_follows_file_changes() {
    use octa::audio::peaks::{PeakCache, PeakState};
    let Some(src) = audio("sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.wav");
    std::fs::copy(&src, &path).unwrap();
    let cache = PeakCache::new();
    let wait = |cache: &PeakCache| {
        for _ in 0..2000 {
            match cache.get(&path) {
                PeakState::Pending => std::thread::sleep(std::time::Duration::from_millis(2)),
                other => return other,
            }
        }
        panic!("peaks never arrived");
    };
    let PeakState::Ready(s) = wait(&cache) else {
        panic!("not ready")
    };
    assert_eq!(s.frames, 22_050);
    let p = cache.peaks(&path, 0, None, 50).unwrap();
    assert_eq!(p.columns[0].len(), 50);
    assert!(p.merged().iter().all(|c| c.max > 0.49 && c.min < -0.49));
    // Truncate the copy to its first 1000 frames: a new version, recomputed.
    let bytes = std::fs::read(&src).unwrap();
    let mut short = bytes[..44 + 2000].to_vec();
    short[40..44].copy_from_slice(&2000u32.to_le_bytes());
    short[4..8].copy_from_slice(&(36u32 + 2000).to_le_bytes());
    std::fs::write(&path, short).unwrap();
    let PeakState::Ready(s2) = wait(&cache) else {
        panic!("not ready")
    };
    assert_eq!(s2.frames, 1_000);
    // A corrupt file: the failure names it.
    let bad = audio("bad-header.wav").unwrap();
    let state = (0..2000)
        .find_map(|_| match cache.get(&bad) {
            PeakState::Pending => {
                std::thread::sleep(std::time::Duration::from_millis(2));
                None
            }
            other => Some(other),
        })
        .unwrap();
    assert!(matches!(state, PeakState::Failed(m) if m.contains("bad-header.wav")));
}

#[test]
fn regions_from_markers_slots() {
    use octa::audio::{Region, RegionChoice};
    use octa::format::markers::SlotMarkers;
    use octa::format::regions::Slice;
    let m = SlotMarkers {
        trim_start: 10,
        trim_end: 1000,
        loop_point: 500,
        slices: vec![
            Slice::new(0, 100),
            Slice {
                start: 100,
                end: 300,
                loop_start: 200,
            },
        ],
    };
    assert_eq!(
        Region::from_markers(&m, RegionChoice::Trim).unwrap(),
        Region {
            start: 10,
            end: Some(1000),
            loop_start: Some(500)
        }
    );
    assert_eq!(
        Region::from_markers(&m, RegionChoice::Loop).unwrap(),
        Region::frames(500, 1000)
    );
    assert_eq!(
        Region::from_markers(&m, RegionChoice::Slice(2)).unwrap(),
        Region {
            start: 100,
            end: Some(300),
            loop_start: Some(200)
        }
    );
    assert_eq!(
        Region::from_markers(&m, RegionChoice::Slice(1))
            .unwrap()
            .loop_start,
        None
    );
    assert!(Region::from_markers(&m, RegionChoice::Slice(3)).is_err());
    assert!(Region::from_markers(&m, RegionChoice::Slice(0)).is_err());
}

#[test]
fn seeking_lands_on_the_exact_frame() {
    use octa::audio::decode::StreamDecoder;
    for (name, frame) in [
        ("sweep-48k-24bit-stereo.wav", 30_001u64),
        ("square-44k1.flac", 15_003),
        ("chord-44k1-16bit.aiff", 12_345),
        ("saw-44k1.ogg", 10_000),
    ] {
        let Some(p) = audio(name) else { return };
        let whole = decode_file(&p).unwrap();
        let ch = usize::from(whole.info.channels);
        let mut d = StreamDecoder::open(&p).unwrap();
        let mut got = Vec::new();
        d.seek_to(frame, &mut got).unwrap();
        let mut chunk = Vec::new();
        while d.next_chunk(&mut chunk).unwrap() > 0 {
            got.extend_from_slice(&chunk);
        }
        let want = &whole.samples[frame as usize * ch..];
        assert_eq!(got.len(), want.len(), "{name}");
        assert!(
            got.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-6),
            "{name}"
        );
    }
}

mod garbage {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Damaged headers and random bodies never panic or hang: an error or audio.
        #[test]
        fn damaged_files_never_panic(
            kind in 0usize..4,
            cut in 0usize..400,
            flips in proptest::collection::vec((0usize..400, any::<u8>()), 0..8),
        ) {
            let names = ["sine440-44k1-16bit-mono.wav", "chord-44k1-16bit.aiff", "square-44k1.flac", "saw-44k1.ogg"];
            let Some(src) = audio(names[kind]) else { return Ok(()) };
            let mut bytes = std::fs::read(&src).unwrap();
            bytes.truncate(cut.max(12) * 8);
            for (at, v) in flips {
                if at < bytes.len() {
                    bytes[at] = v;
                }
            }
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join(names[kind]);
            std::fs::write(&p, &bytes).unwrap();
            match decode_file(&p) {
                Ok(d) => prop_assert!(d.samples.len() % usize::from(d.info.channels) == 0),
                Err(e) => prop_assert!(e.to_string().contains(names[kind])),
            }
        }
    }
}
