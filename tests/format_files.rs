#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Non-bank Octatrack files against the real corpus: byte-exact round trips (direct and
//! through JSON), facts read from the files, typed edits, and bad input.

use octa::format::FormatError;
use octa::format::markers::{Markers, SlotMarkers};
use octa::format::ot::SampleSettings;
use octa::format::regions::{Slice, equal_grid};
use octa::format::slot_attrs::{LoopMode, SlotRef, TimeStretch, TrigQuant};
use octa::testutil::corpus;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn read(rel: &str) -> Option<Vec<u8>> {
    let p = corpus(rel)?;
    Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

fn files_with(dir: &str, pred: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let Some(root) = corpus(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if pred(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn name_is(p: &Path, suffix: &str) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(suffix))
}

fn be32(b: &[u8], o: usize) -> u32 {
    u32::from_be_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

fn diff_offsets(a: &[u8], b: &[u8]) -> Vec<usize> {
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

/// Cuts `bytes` at many points and checks the parser errs without panicking.
fn truncations_fail<T>(bytes: &[u8], parse: impl Fn(&[u8]) -> Result<T, FormatError>) {
    let n = bytes.len();
    let mut cuts: Vec<usize> = vec![0, 1, 4, 12, 16, 21, 22, 23, n / 2, n - 2, n - 1];
    cuts.extend((0..n).step_by((n / 97).max(1)));
    for c in cuts {
        let r = parse(&bytes[..c]);
        assert!(r.is_err(), "cut at {c} parsed");
    }
    let mut longer = bytes.to_vec();
    longer.push(0);
    assert!(matches!(parse(&longer), Err(FormatError::Size { .. })));
}

fn bad_headers<T: std::fmt::Debug>(bytes: &[u8], parse: impl Fn(&[u8]) -> Result<T, FormatError>) {
    let mut b = bytes.to_vec();
    b[12] = b'X';
    let e = parse(&b).unwrap_err().to_string();
    assert!(e.contains("byte 12"), "{e}");
    let mut b = bytes.to_vec();
    b[21] = b[21].wrapping_add(1);
    let e = parse(&b).unwrap_err();
    assert!(matches!(e, FormatError::Version { offset: 21, .. }), "{e}");
    let mut b = bytes.to_vec();
    b[0] = b'f';
    assert!(parse(&b).unwrap_err().to_string().contains("FORM"));
    assert!(matches!(
        parse(&[]),
        Err(FormatError::Size { found: 0, .. })
    ));
    // Random bytes of the right size.
    let mut x: u32 = 0x1234_5678;
    let rnd: Vec<u8> = (0..bytes.len())
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    assert!(parse(&rnd).is_err());
}

// ---------------------------------------------------------------- .ot files

fn ot_files() -> Vec<PathBuf> {
    files_with("ot/sample-settings", |p| name_is(p, ".ot"))
}

#[test]
fn ot_files_round_trip_byte_exact_and_through_json() {
    let files = ot_files();
    if corpus("ot").is_some() {
        assert_eq!(files.len(), 18);
    }
    for p in files {
        let b = std::fs::read(&p).unwrap();
        let s = SampleSettings::parse(&b).unwrap();
        assert!(s.warnings().is_empty(), "{}", p.display());
        assert!(!s.is_edited());
        assert_eq!(s.to_bytes(), b, "{}", p.display());
        let json = serde_json::to_string(&s).unwrap();
        let back: SampleSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_bytes(), b, "{} via JSON", p.display());
    }
}

#[test]
fn ot_slice_counts_and_boundaries_match_the_bytes() {
    let mut checked = 0;
    for p in ot_files() {
        let b = std::fs::read(&p).unwrap();
        let s = SampleSettings::parse(&b).unwrap();
        let name = p.file_name().unwrap().to_str().unwrap();
        let dir = p.parent().unwrap().file_name().unwrap().to_str().unwrap();
        let expected = if let Some(n) = name.strip_suffix("slices.ot") {
            Some(n.parse::<u32>().unwrap())
        } else if name.starts_with("0slices") {
            Some(0)
        } else {
            // chain-65 holds 65 samples but the format stops at 64 slices.
            dir.strip_prefix("chain-")
                .map(|n| n.parse::<u32>().unwrap().min(64))
        };
        if let Some(n) = expected {
            assert_eq!(s.slice_count(), n, "{name} in {dir}");
            checked += 1;
        }
        // Hand decoding: slice i at 58 + 12 i, count at 826.
        assert_eq!(s.slice_count(), be32(&b, 826));
        let slices = s.slices();
        assert_eq!(slices.len(), s.slice_count() as usize);
        for (i, sl) in slices.iter().enumerate() {
            let o = 58 + 12 * i;
            assert_eq!(
                (sl.start, sl.end, sl.loop_start),
                (be32(&b, o), be32(&b, o + 4), be32(&b, o + 8))
            );
        }
    }
    if corpus("ot").is_some() {
        assert_eq!(checked, 17);
    }
}

#[test]
fn ot_device_values() {
    let Some(b) = read("ot/sample-settings/16slices.ot") else {
        return;
    };
    let s = SampleSettings::parse(&b).unwrap();
    assert_eq!(s.tempo_x24(), 2281);
    assert!((s.tempo_bpm() - 95.041_666).abs() < 1e-3);
    assert_eq!(s.trim_len_x100(), 800);
    assert_eq!(s.loop_len_x100(), 800);
    assert_eq!(s.time_stretch(), TimeStretch::Normal);
    assert_eq!(s.loop_mode(), LoopMode::Off);
    assert_eq!(s.gain(), 48);
    assert_eq!(s.trig_quant(), TrigQuant::Direct);
    assert_eq!(
        (s.trim_start(), s.trim_end(), s.loop_start()),
        (0, 890_839, 0)
    );
    assert_eq!(s.unknown_byte22(), 1);
    let sl = s.slices();
    assert_eq!(sl[0], Slice::new(0, 55_675));
    assert_eq!(sl[1], Slice::new(55_675, 111_355));
    assert_eq!(sl[15], Slice::new(835_127, 890_838));
    for w in sl.windows(2) {
        assert_eq!(w[0].end, w[1].start);
    }

    let q = SampleSettings::parse(&read("ot/sample-settings/0slices-tq1step.ot").unwrap()).unwrap();
    assert_eq!(q.trig_quant(), TrigQuant::Steps(1));
    let z = SampleSettings::parse(&read("ot/sample-settings/64slices.ot").unwrap()).unwrap();
    assert_eq!((z.unknown_byte22(), z.tempo_x24(), z.gain()), (0, 720, 0));
    assert_eq!(z.trig_quant(), TrigQuant::PatternLength);

    // Stale entries beyond the count are kept and visible.
    let b62 = read("ot/sample-settings/62slices.ot").unwrap();
    let s62 = SampleSettings::parse(&b62).unwrap();
    assert_eq!(s62.slice_entry(62).unwrap().start, 0x7FFF_FFFF);
    assert_eq!(s62.slice_entry(62).unwrap().start, be32(&b62, 58 + 62 * 12));
    let mut e = s62.clone();
    e.set_slices(&s62.slices()[..10]).unwrap();
    let out = e.to_bytes();
    assert_eq!(out[58 + 10 * 12..826], b62[58 + 10 * 12..826]);
    assert_eq!(be32(&out, 826), 10);
}

#[test]
fn ot_for_sample_matches_device_estimate() {
    let s = SampleSettings::for_sample(890_839, 44_100);
    assert_eq!(
        (s.tempo_x24(), s.trim_len_x100(), s.loop_len_x100()),
        (2281, 800, 800)
    );
    assert_eq!(s.trim_end(), 890_839);
    let Some(b) = read("ot/sample-settings/0slices.ot") else {
        return;
    };
    // The device's 0-slice file is exactly what for_sample builds.
    assert_eq!(s.to_bytes(), b);
}

#[derive(Debug, Clone)]
enum OtEdit {
    Tempo(u32),
    TrimLen(u32),
    LoopLen(u32),
    Stretch(u8),
    Loop(u8),
    Gain(u16),
    Quant(i64),
    TrimStart(u32),
    TrimEnd(u32),
    LoopStart(u32),
    Byte22(u8),
    Grid(usize),
}

fn ot_edit() -> impl Strategy<Value = OtEdit> {
    prop_oneof![
        (720u32..=7200).prop_map(OtEdit::Tempo),
        any::<u32>().prop_map(OtEdit::TrimLen),
        any::<u32>().prop_map(OtEdit::LoopLen),
        prop::sample::select(vec![0u8, 2, 3]).prop_map(OtEdit::Stretch),
        (0u8..3).prop_map(OtEdit::Loop),
        (0u16..=96).prop_map(OtEdit::Gain),
        (-1i64..=16).prop_map(OtEdit::Quant),
        any::<u32>().prop_map(OtEdit::TrimStart),
        any::<u32>().prop_map(OtEdit::TrimEnd),
        any::<u32>().prop_map(OtEdit::LoopStart),
        any::<u8>().prop_map(OtEdit::Byte22),
        (1usize..=64).prop_map(OtEdit::Grid),
    ]
}

proptest! {
    #[test]
    fn ot_typed_edits_read_back_and_touch_only_their_bytes(edit in ot_edit()) {
        let Some(b) = read("ot/sample-settings/62slices.ot") else { return Ok(()); };
        let mut s = SampleSettings::parse(&b).unwrap();
        let allowed: std::ops::Range<usize> = match edit {
            OtEdit::Tempo(v) => { s.set_tempo_x24(v).unwrap(); 23..27 }
            OtEdit::TrimLen(v) => { s.set_trim_len_x100(v); 27..31 }
            OtEdit::LoopLen(v) => { s.set_loop_len_x100(v); 31..35 }
            OtEdit::Stretch(v) => { s.set_time_stretch(TimeStretch::from_code(v as i64)).unwrap(); 35..39 }
            OtEdit::Loop(v) => { s.set_loop_mode(LoopMode::from_code(v as i64)).unwrap(); 39..43 }
            OtEdit::Gain(v) => { s.set_gain(v).unwrap(); 43..45 }
            OtEdit::Quant(v) => { s.set_trig_quant(TrigQuant::from_project(v)).unwrap(); 45..46 }
            OtEdit::TrimStart(v) => { s.set_trim_start(v); 46..50 }
            OtEdit::TrimEnd(v) => { s.set_trim_end(v); 50..54 }
            OtEdit::LoopStart(v) => { s.set_loop_start(v); 54..58 }
            OtEdit::Byte22(v) => { s.set_unknown_byte22(v); 22..23 }
            OtEdit::Grid(n) => { s.set_slices(&equal_grid(n, 890_839).unwrap()).unwrap(); 58..830 }
        };
        let out = s.to_bytes();
        let back = SampleSettings::parse(&out).unwrap();
        prop_assert!(back.warnings().is_empty());
        for i in diff_offsets(&b, &out) {
            prop_assert!(allowed.contains(&i) || i >= 830, "byte {} changed", i);
        }
        match edit {
            OtEdit::Tempo(v) => prop_assert_eq!(back.tempo_x24(), v),
            OtEdit::TrimLen(v) => prop_assert_eq!(back.trim_len_x100(), v),
            OtEdit::LoopLen(v) => prop_assert_eq!(back.loop_len_x100(), v),
            OtEdit::Stretch(v) => prop_assert_eq!(back.time_stretch().code(), v as i64),
            OtEdit::Loop(v) => prop_assert_eq!(back.loop_mode().code(), v as i64),
            OtEdit::Gain(v) => prop_assert_eq!(back.gain(), v),
            OtEdit::Quant(v) => prop_assert_eq!(back.trig_quant(), TrigQuant::from_project(v)),
            OtEdit::TrimStart(v) => prop_assert_eq!(back.trim_start(), v),
            OtEdit::TrimEnd(v) => prop_assert_eq!(back.trim_end(), v),
            OtEdit::LoopStart(v) => prop_assert_eq!(back.loop_start(), v),
            OtEdit::Byte22(v) => prop_assert_eq!(back.unknown_byte22(), v),
            OtEdit::Grid(n) => {
                prop_assert_eq!(back.slices(), equal_grid(n, 890_839).unwrap());
                // Stale entries beyond the new count survive where the grid did not write.
                for i in n.max(62)..64 {
                    prop_assert_eq!(back.slice_entry(i), s.slice_entry(i));
                }
            }
        }
        // JSON of the edited file reproduces it.
        let j: SampleSettings = serde_json::from_str(&serde_json::to_string(&back).unwrap()).unwrap();
        prop_assert_eq!(j.to_bytes(), out);
    }
}

#[test]
fn ot_range_checks() {
    let mut s = SampleSettings::for_sample(1000, 44_100);
    assert!(matches!(s.set_gain(97), Err(FormatError::Range { .. })));
    assert!(s.set_tempo_x24(719).is_err());
    assert!(s.set_tempo_bpm(301.0).is_err());
    assert!(s.set_tempo_bpm(f64::NAN).is_err());
    assert!(s.set_trig_quant(TrigQuant::Steps(5)).is_err());
    assert!(s.set_slices(&vec![Slice::new(0, 1); 65]).is_err());
    assert!(s.set_slice_entry(64, Slice::new(0, 1)).is_err());
    s.set_tempo_bpm(126.125).unwrap();
    assert_eq!(s.tempo_x24(), 3027);
}

#[test]
fn ot_bad_input() {
    let Some(b) = read("ot/sample-settings/16slices.ot") else {
        return;
    };
    truncations_fail(&b, SampleSettings::parse);
    bad_headers(&b, SampleSettings::parse);
    // Wrong checksum: opens with a warning naming both values, unedited write is identical.
    let mut w = b.clone();
    w[831] ^= 0x55;
    let s = SampleSettings::parse(&w).unwrap();
    let msg = s.warnings()[0].to_string();
    assert!(msg.contains("0x6600") && msg.contains("byte 830"), "{msg}");
    assert_eq!(s.to_bytes(), w);
    let j: SampleSettings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(j.to_bytes(), w);
    // An edit that keeps the byte sum recomputes the checksum anyway.
    let mut e = s.clone();
    e.set_trim_len_x100(799);
    e.set_loop_len_x100(801);
    let out = e.to_bytes();
    assert_eq!(&out[830..], &[0x66, 0x00]);
    // JSON that cannot be stored is refused.
    let json = serde_json::to_string(&SampleSettings::parse(&b).unwrap()).unwrap();
    for (from, to) in [
        ("\"trig_quant\":\"Direct\"", "\"trig_quant\":{\"Steps\":5}"),
        (
            "\"time_stretch\":\"Normal\"",
            "\"time_stretch\":{\"Other\":-1}",
        ),
        ("\"gain\":48", "\"gain\":70000"),
    ] {
        let bad = json.replacen(from, to, 1);
        assert_ne!(bad, json, "{from}");
        assert!(
            serde_json::from_str::<SampleSettings>(&bad).is_err(),
            "{to}"
        );
    }
    let j62 = serde_json::to_string(
        &SampleSettings::parse(&read("ot/sample-settings/62slices.ot").unwrap()).unwrap(),
    )
    .unwrap();
    assert!(j62.contains("\"stale_slices\":\"7fffffff"));
    let bad = j62.replacen("\"stale_slices\":\"7fffffff", "\"stale_slices\":\"", 1);
    assert!(serde_json::from_str::<SampleSettings>(&bad).is_err());
}

// ------------------------------------------------------------- markers.work

fn markers_files() -> Vec<PathBuf> {
    files_with("ot", |p| name_is(p, "markers.work"))
}

#[test]
fn markers_round_trip_byte_exact_and_through_json() {
    let files = markers_files();
    if corpus("ot").is_some() {
        assert_eq!(files.len(), 3);
    }
    for p in files {
        let b = std::fs::read(&p).unwrap();
        let m = Markers::parse(&b).unwrap();
        assert!(m.warnings().is_empty());
        assert_eq!(m.to_bytes(), b, "{}", p.display());
        let json = serde_json::to_string(&m).unwrap();
        let back: Markers = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_bytes(), b, "{} via JSON", p.display());
    }
}

#[test]
fn markers_facts() {
    let Some(b) = read("ot/blank-1.40B/markers.work") else {
        return;
    };
    let m = Markers::parse(&b).unwrap();
    assert!(m.used_slots().is_empty());
    assert_eq!(Markers::blank().to_bytes(), b);
    assert_eq!(&b[206_998..], &[0, 4]);

    let h = read("ot/hello-flex/project/markers.work").unwrap();
    let m = Markers::parse(&h).unwrap();
    let used = m.used_slots();
    assert_eq!(used, (1..=21).map(SlotRef::Flex).collect::<Vec<_>>());
    let s1 = m.slot(SlotRef::Flex(1)).unwrap();
    assert_eq!((s1.trim_start, s1.trim_end, s1.loop_point), (0, 5195, 0));
    assert!(s1.slices.is_empty());
    assert_eq!(m.trim_end(SlotRef::Flex(2)).unwrap(), 13_280);
    assert_eq!(
        m.trim_end(SlotRef::Flex(2)).unwrap(),
        be32(&h, 22 + 784 + 4)
    );
    assert_eq!(m.trim_end(SlotRef::Flex(3)).unwrap(), 13_190);
    assert!(m.is_empty(SlotRef::Recorder(1)).unwrap());
    assert!(m.trim_end(SlotRef::Flex(129)).is_err());
    assert!(m.trim_end(SlotRef::Recorder(9)).is_err());
}

#[test]
fn markers_slot_layout_flex_recorders_static() {
    let mut m = Markers::blank();
    let base = m.to_bytes();
    for (slot, index) in [
        (SlotRef::Flex(1), 0usize),
        (SlotRef::Flex(128), 127),
        (SlotRef::Recorder(1), 128),
        (SlotRef::Recorder(8), 135),
        (SlotRef::Static(1), 136),
        (SlotRef::Static(128), 263),
    ] {
        let mut e = m.clone();
        e.set_trim_end(slot, 0x0102_0304).unwrap();
        let out = e.to_bytes();
        let changed = diff_offsets(&base, &out);
        let at = 22 + index * 784 + 4;
        assert_eq!(
            changed
                .iter()
                .filter(|&&i| i < 206_998)
                .copied()
                .collect::<Vec<_>>(),
            (at..at + 4).collect::<Vec<_>>()
        );
        assert_eq!(be32(&out, at), 0x0102_0304);
    }
    m.assign_sample(SlotRef::Static(5), 44_100).unwrap();
    m.set_slices(SlotRef::Static(5), &equal_grid(4, 44_100).unwrap())
        .unwrap();
    let out = m.to_bytes();
    let back = Markers::parse(&out).unwrap();
    assert!(back.warnings().is_empty());
    assert_eq!(
        back.slot(SlotRef::Static(5)).unwrap(),
        SlotMarkers {
            trim_start: 0,
            trim_end: 44_100,
            loop_point: 0,
            slices: equal_grid(4, 44_100).unwrap()
        }
    );
    assert_eq!(back.slice_count(SlotRef::Static(5)).unwrap(), 4);
    m.clear_slot(SlotRef::Static(5)).unwrap();
    assert_eq!(m.to_bytes(), base);
}

proptest! {
    #[test]
    fn markers_edits_read_back_and_touch_only_their_bytes(
        index in 0usize..264, field in 0usize..4, v in any::<u32>(), n in 0usize..=64
    ) {
        let Some(b) = read("ot/hello-flex/project/markers.work") else { return Ok(()); };
        let slot = SlotRef::from_markers_index(index).unwrap();
        let mut m = Markers::parse(&b).unwrap();
        let base = 22 + index * 784;
        let allowed = match field {
            0 => { m.set_trim_start(slot, v).unwrap(); base..base + 4 }
            1 => { m.set_trim_end(slot, v).unwrap(); base + 4..base + 8 }
            2 => { m.set_loop_point(slot, v).unwrap(); base + 8..base + 12 }
            _ => {
                let g = if n == 0 { Vec::new() } else { equal_grid(n, 1_000_000).unwrap() };
                m.set_slices(slot, &g).unwrap();
                base + 12..base + 784
            }
        };
        let out = m.to_bytes();
        let back = Markers::parse(&out).unwrap();
        prop_assert!(back.warnings().is_empty());
        for i in diff_offsets(&b, &out) {
            prop_assert!(allowed.contains(&i) || i >= 206_998, "byte {} changed", i);
        }
        match field {
            0 => prop_assert_eq!(back.trim_start(slot).unwrap(), v),
            1 => prop_assert_eq!(back.trim_end(slot).unwrap(), v),
            2 => prop_assert_eq!(back.loop_point(slot).unwrap(), v),
            _ => prop_assert_eq!(back.slices(slot).unwrap().len(), n),
        }
        let j: Markers = serde_json::from_str(&serde_json::to_string(&back).unwrap()).unwrap();
        prop_assert_eq!(j.to_bytes(), out);
    }
}

#[test]
fn markers_bad_input() {
    let Some(b) = read("ot/hello-flex/project/markers.work") else {
        return;
    };
    truncations_fail(&b, Markers::parse);
    bad_headers(&b, Markers::parse);
    let mut w = b.clone();
    w[206_999] ^= 1;
    let m = Markers::parse(&w).unwrap();
    assert_eq!(m.warnings().len(), 1);
    assert!(m.warnings()[0].to_string().contains("0x1093"));
    assert_eq!(m.to_bytes(), w);
    let j: Markers = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
    assert_eq!(j.to_bytes(), w);
    // An edit keeping the byte sum (+1 / -1 in two bytes) still fixes the checksum.
    let mut e = m.clone();
    let t = e.trim_end(SlotRef::Flex(1)).unwrap();
    e.set_trim_end(SlotRef::Flex(1), t + 1).unwrap();
    let l = e.trim_end(SlotRef::Flex(2)).unwrap();
    e.set_trim_end(SlotRef::Flex(2), l - 1).unwrap();
    let out = e.to_bytes();
    assert_eq!(&out[206_998..], &[0x10, 0x93]);
    assert!(Markers::parse(&out).unwrap().warnings().is_empty());
    // JSON with the same slot twice is refused.
    let bad = r#"{"slots":[{"slot":{"Flex":1},"trim_start":0,"trim_end":1,"loop_point":0,"slice_count":0,"slices":[]},{"slot":{"Flex":1},"trim_start":0,"trim_end":1,"loop_point":0,"slice_count":0,"slices":[]}]}"#;
    assert!(serde_json::from_str::<Markers>(bad).is_err());
    let bad = r#"{"slots":[{"slot":{"Flex":200},"trim_start":0,"trim_end":1,"loop_point":0,"slice_count":0,"slices":[]}]}"#;
    assert!(serde_json::from_str::<Markers>(bad).is_err());
}

// ------------------------------------------------------------ blank project

#[test]
fn blank_project_equals_device_blank_project() {
    let Some(dir) = corpus("ot/blank-1.40B") else {
        return;
    };
    let files = octa::format::blank::blank_project();
    assert_eq!(files.len(), 26);
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut generated: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    generated.sort();
    assert_eq!(generated, on_disk);
    for (name, bytes) in &files {
        let real = std::fs::read(dir.join(name)).unwrap();
        assert!(
            *bytes == real,
            "{name} differs from the device's blank project"
        );
    }
    // The octapy template is a different blank project: its arrangements differ.
    let t = corpus("ot/template-1.40B/arr01.work").unwrap();
    let arr01 = &files.iter().find(|(n, _)| n == "arr01.work").unwrap().1;
    assert_ne!(&std::fs::read(t).unwrap(), arr01);
}

// ------------------------------------------------- whole projects via JSON

#[test]
fn whole_projects_export_and_import_through_json() {
    use octa::format::file::{AnyFile, Kind};
    for dir in ["ot/multipart", "ot/hello-flex/project", "ot/blank-1.40B"] {
        let Some(root) = corpus(dir) else { return };
        let mut names: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let files: Vec<(String, AnyFile)> = names
            .iter()
            .map(|n| {
                let kind = Kind::from_name(n).unwrap_or_else(|| panic!("{n}"));
                let bytes = std::fs::read(root.join(n)).unwrap();
                let (f, warnings) = AnyFile::parse(kind, &bytes).unwrap();
                assert!(warnings.is_empty(), "{dir}/{n}: {warnings:?}");
                (n.clone(), f)
            })
            .collect();
        let json = serde_json::to_string(&files).unwrap();
        let back: Vec<(String, AnyFile)> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), names.len());
        for (n, f) in back {
            assert!(
                f.to_bytes() == std::fs::read(root.join(&n)).unwrap(),
                "{dir}/{n} via JSON"
            );
        }
    }
}

#[test]
fn ot_markers_move_between_ot_and_markers_files() {
    let Some(b) = read("ot/sample-settings/48slices.ot") else {
        return;
    };
    let ot = SampleSettings::parse(&b).unwrap();
    let m = ot.markers();
    assert_eq!(m.slices.len(), 48);
    assert_eq!((m.trim_start, m.trim_end), (0, 890_839));
    let mut markers = Markers::blank();
    markers.set_slot(SlotRef::Static(7), &m).unwrap();
    let out = markers.to_bytes();
    // The .ot bytes 46..830 are exactly the markers record of the slot.
    let at = 22 + (136 + 6) * 784;
    assert_eq!(&out[at..at + 784], &b[46..830]);
    let mut fresh = SampleSettings::for_sample(890_839, 44_100);
    fresh
        .set_markers(
            &Markers::parse(&out)
                .unwrap()
                .slot(SlotRef::Static(7))
                .unwrap(),
        )
        .unwrap();
    assert_eq!(fresh.to_bytes()[46..830], b[46..830]);
}

// ------------------------------------------------------- file kinds users read

#[test]
fn file_kind_names_and_recognition_are_pinned() {
    use octa::project::anyfile::Kind;
    let table = [
        (Kind::Project, "project file", "project.strd"),
        (Kind::Bank, "bank file", "BANK03.work"),
        (Kind::Markers, "markers file", "markers.work"),
        (Kind::Arrangement, "arrangement file", "arr08.strd"),
        (
            Kind::SampleSettings,
            ".ot sample settings file",
            "Kick 1.OT",
        ),
    ];
    for (kind, name, file) in table {
        assert_eq!(kind.describe(), name);
        assert_eq!(Kind::from_name(file), Some(kind), "{file}");
    }
    for file in [
        ".ot",
        "bank17.work",
        "bank00.work",
        "arr09.work",
        "notes.txt",
    ] {
        assert_eq!(Kind::from_name(file), None, "{file}");
    }
    // The type tag at byte 12 after "FORM" (format doc 2.1), or the project banner.
    let mut h = b"FORM\0\0\0\0DPS1BANK".to_vec();
    assert_eq!(Kind::sniff(&h), Some(Kind::Bank));
    for (tag, kind) in [
        (b"SAMP", Kind::Markers),
        (b"ARRA", Kind::Arrangement),
        (b"SMPA", Kind::SampleSettings),
    ] {
        h[12..16].copy_from_slice(tag);
        assert_eq!(Kind::sniff(&h), Some(kind));
    }
    h[12..16].copy_from_slice(b"PTRN");
    assert_eq!(Kind::sniff(&h), None);
    assert_eq!(Kind::sniff(&h[..15]), None);
    assert_eq!(
        Kind::sniff(b"############################\r\n# Project Settings\r\n"),
        Some(Kind::Project)
    );
}
