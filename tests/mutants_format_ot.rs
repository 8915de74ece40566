#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `.ot` sample settings (`src/format/ot.rs`) against the byte layout of the format doc §7,
//! worked by hand: byte 22 unknown (1), tempo × 24 at 23, trim length × 100 at 27, loop length
//! × 100 at 31, time-stretch at 35, loop mode at 39 (u32 big-endian each), gain at 43 (u16,
//! 48 = 0 dB), trig quantization at 45 (255 = direct), trim start at 46, trim end at 50.

use octa::format::ot::SampleSettings;
use octa::format::slot_attrs::{LoopMode, TimeStretch, TrigQuant};

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

#[test]
fn a_new_two_second_sample_at_44_1_khz() {
    // 88200 frames = 2 s: 240 / 2 = 120 BPM (within 85..170), one bar = 100 (bars x 100)
    let s = SampleSettings::for_sample(88_200, 44_100);
    let b = s.to_bytes();
    assert_eq!(b.len(), 832);
    assert_eq!(b[22], 1);
    assert_eq!(&b[23..27], &[0x00, 0x00, 0x0B, 0x40], "2880 = 120 BPM x 24");
    assert_eq!(be32(&b, 27), 100);
    assert_eq!(be32(&b, 31), 100);
    assert_eq!(be32(&b, 35), 2, "normal time-stretch");
    assert_eq!(be32(&b, 39), 0, "no loop");
    assert_eq!(&b[43..45], &[0x00, 0x30], "gain 48 = 0 dB");
    assert_eq!(b[45], 255, "direct");
    assert_eq!(be32(&b, 46), 0, "trim start");
    assert_eq!(be32(&b, 50), 88_200, "trim end = frames");
    assert_eq!(s.tempo_x24(), 2880);
    assert_eq!(s.tempo_bpm(), 120.0);
    assert_eq!(s.trim_len_x100(), 100);
    assert_eq!(s.loop_len_x100(), 100);
    assert_eq!(s.time_stretch(), TimeStretch::Normal);
    assert_eq!(s.loop_mode(), LoopMode::Off);
    assert_eq!(s.gain(), 48);
    assert_eq!(s.trig_quant(), TrigQuant::Direct);
    assert_eq!(s.trim_start(), 0);
    assert_eq!(s.trim_end(), 88_200);
    assert_eq!(s.unknown_byte22(), 1);
    assert_eq!(s.slice_count(), 0);
    assert!(s.slices().is_empty());
    // read back from its bytes: the same, unedited, no warnings
    let r = SampleSettings::parse(&b).unwrap();
    assert_eq!(r.to_bytes(), b);
    assert!(!r.is_edited());
    assert!(r.warnings().is_empty());
    // 3 s: 80 BPM doubles to 160, two bars
    let s = SampleSettings::for_sample(132_300, 44_100);
    assert_eq!(s.tempo_x24(), 3840);
    assert_eq!(s.trim_len_x100(), 200);
}

#[test]
fn setters_write_their_bytes_and_refuse_out_of_range() {
    let mut s = SampleSettings::for_sample(88_200, 44_100);
    s.set_tempo_x24(720).unwrap();
    s.set_tempo_x24(7200).unwrap();
    assert_eq!(
        s.set_tempo_x24(719).unwrap_err().to_string(),
        "tempo x24: value 719 out of range (720..=7200)"
    );
    assert!(s.set_tempo_x24(7201).is_err());
    s.set_tempo_bpm(126.125).unwrap();
    assert_eq!(s.tempo_x24(), 3027);
    assert_eq!(be32(&s.to_bytes(), 23), 3027);
    assert!(s.is_edited());
    assert!(s.set_tempo_bpm(f64::NAN).is_err());
    assert!(s.set_tempo_bpm(29.97).is_err());
    assert_eq!(
        s.set_tempo_bpm(300.5).unwrap_err().to_string(),
        "tempo (BPM): value 300 out of range (30..=300)"
    );
    assert_eq!(s.tempo_x24(), 3027, "unchanged by refused sets");
    s.set_unknown_byte22(0);
    s.set_trim_len_x100(0x0102_0304);
    s.set_loop_len_x100(0x0506_0708);
    s.set_time_stretch(TimeStretch::Beat).unwrap();
    s.set_loop_mode(LoopMode::PingPong).unwrap();
    s.set_gain(96).unwrap();
    assert!(s.set_gain(97).is_err());
    s.set_trig_quant(TrigQuant::PatternLength).unwrap();
    s.set_trim_start(10);
    s.set_trim_end(20);
    s.set_loop_start(15);
    let b = s.to_bytes();
    assert_eq!(b[22], 0);
    assert_eq!(&b[27..35], &[1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(be32(&b, 35), 3);
    assert_eq!(be32(&b, 39), 2);
    assert_eq!(&b[43..45], &[0, 96]);
    assert_eq!(b[45], 0);
    assert_eq!((be32(&b, 46), be32(&b, 50), be32(&b, 54)), (10, 20, 15));
    assert_eq!((s.trim_start(), s.trim_end(), s.loop_start()), (10, 20, 15));
    // the JSON form brings back the same bytes
    let j = serde_json::to_string(&s).unwrap();
    let back: SampleSettings = serde_json::from_str(&j).unwrap();
    assert_eq!(back.to_bytes(), b);
}
