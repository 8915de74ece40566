#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `project.work` against the corpus: byte-exact round trips, facts, typed edits, bad input.

use octa::format::FormatError;
use octa::format::project_file::{ProjectFile, SampleSlot, SlotAttr};
use octa::format::slot_attrs::{LoopMode, SlotRef, TimeStretch, TrigQuant};
use octa::testutil::corpus;
use proptest::prelude::*;

const PROJECTS: [&str; 4] = [
    "ot/blank-1.40B/project.work",
    "ot/template-1.40B/project.work",
    "ot/multipart/project.work",
    "ot/hello-flex/project/project.work",
];

fn read(rel: &str) -> Option<Vec<u8>> {
    let p = corpus(rel)?;
    Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

fn lines(b: &[u8]) -> Vec<&[u8]> {
    b.split(|&c| c == b'\n').collect()
}

/// Indices of the lines that differ between two files with the same line count.
fn changed_lines(a: &[u8], b: &[u8]) -> Vec<usize> {
    let (la, lb) = (lines(a), lines(b));
    assert_eq!(la.len(), lb.len());
    (0..la.len()).filter(|&i| la[i] != lb[i]).collect()
}

#[test]
fn projects_round_trip_byte_exact_and_through_json() {
    for rel in PROJECTS {
        let Some(b) = read(rel) else { return };
        let p = ProjectFile::parse(&b).unwrap();
        assert_eq!(p.to_bytes(), b, "{rel}");
        let json = serde_json::to_string(&p).unwrap();
        let back: ProjectFile = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_bytes(), b, "{rel} via JSON");
    }
}

#[test]
fn odd_line_endings_survive() {
    let Some(b) = read("ot/blank-1.40B/project.work") else {
        return;
    };
    let lf: Vec<u8> = b.iter().copied().filter(|&c| c != b'\r').collect();
    let p = ProjectFile::parse(&lf).unwrap();
    assert_eq!(p.to_bytes(), lf);
    assert_eq!(p.tempo_x24(), Some(2880));
    let j: ProjectFile = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(j.to_bytes(), lf);
    // No terminator after the final banner.
    let m2 = b[..b.len() - 4].to_vec();
    let p = ProjectFile::parse(&m2).unwrap();
    assert_eq!(p.to_bytes(), m2);
    let j: ProjectFile = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(j.to_bytes(), m2);
    let mut m3 = b.clone();
    m3.splice(20..20, b"\n".iter().copied()); // an LF-only empty line in the banner area
    let p = ProjectFile::parse(&m3).unwrap();
    assert_eq!(p.to_bytes(), m3);
    let j: ProjectFile = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(j.to_bytes(), m3);
    // A UTF-8 BOM, blanks around headers and keys: read, kept verbatim, edited in place.
    let text = String::from_utf8(b.clone()).unwrap();
    let odd = format!(
        "\u{feff}{}",
        text.replacen("[META]", "[META] ", 1)
            .replacen("TEMPOx24=2880", "TEMPOx24 = 2880", 1)
    )
    .into_bytes();
    let mut p = ProjectFile::parse(&odd).unwrap();
    assert_eq!(p.to_bytes(), odd);
    assert_eq!(p.tempo_x24(), Some(2880));
    p.set_tempo_x24(2881).unwrap();
    let out = p.to_bytes();
    assert_eq!(changed_lines(&odd, &out), vec![12]);
    assert_eq!(lines(&out)[12], b"TEMPOx24=2881\r");
    // Non-ASCII bytes (Latin-1 path) survive.
    let s = String::from_utf8(b.clone()).unwrap().replacen(
        "PATH=\r\n",
        "PATH=../AUDIO/caf\u{e9}.wav\r\n",
        1,
    );
    let latin: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
    let p = ProjectFile::parse(&latin).unwrap();
    assert_eq!(p.to_bytes(), latin);
    assert_eq!(
        p.slot(SlotRef::Recorder(1)).unwrap().path,
        "../AUDIO/caf\u{e9}.wav"
    );
}

#[test]
fn blank_project_facts() {
    let Some(b) = read("ot/blank-1.40B/project.work") else {
        return;
    };
    let p = ProjectFile::parse(&b).unwrap();
    assert_eq!(p.tempo_x24(), Some(2880));
    assert_eq!(p.tempo_bpm(), Some(120.0));
    assert_eq!(p.get("META", "OS_VERSION"), Some("R0177     1.40B"));
    assert_eq!(p.pattern_tempo_enabled(), Some(false));
    assert_eq!(p.midi_trig_channel(1), Some(Some(1)));
    assert_eq!(p.midi_trig_channel(8), Some(Some(8)));
    assert_eq!(p.midi_auto_channel(), Some(Some(11)));
    assert_eq!(p.program_change_send_channel(), Some(None));
    assert_eq!(p.setting("GATE_AB"), Some(127));
    assert_eq!(p.setting("RESERVED_RECORDER_COUNT"), Some(8));
    assert_eq!(p.metronome_time_signature(), Some((4, 4)));
    assert_eq!(p.state("BANK"), Some(0));
    assert_eq!(
        (1..=8).map(|t| p.trig_mode_midi(t)).collect::<Vec<_>>(),
        vec![Some(0); 8]
    );
    assert_eq!(p.trig_mode_midi(9), None);
    let slots = p.slots();
    assert_eq!(slots.len(), 8);
    for (i, s) in slots.iter().enumerate() {
        assert_eq!(*s, SampleSlot::recorder_default(i as u16 + 1));
        assert_eq!(s.trig_quant, Some(TrigQuant::Direct));
    }
    // Editing the tempo changes only that line; TRIGQUANTIZATION=-1 stays -1.
    let mut e = p.clone();
    e.set_tempo_bpm(126.125).unwrap();
    let out = e.to_bytes();
    assert_eq!(changed_lines(&b, &out), vec![12]);
    assert_eq!(lines(&out)[12], b"TEMPOx24=3027\r");
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.matches("TRIGQUANTIZATION=-1\r\n").count(), 8);
}

#[test]
fn multipart_facts() {
    let Some(b) = read("ot/multipart/project.work") else {
        return;
    };
    let p = ProjectFile::parse(&b).unwrap();
    assert_eq!(p.tempo_x24(), Some(3027));
    assert_eq!(p.tempo_bpm(), Some(126.125));
    assert_eq!(p.setting("MIDI_CLOCK_SEND"), Some(2));
    assert_eq!(p.setting("MASTER_TRACK"), Some(1));
    assert_eq!(p.setting("MAIN_LEVEL"), Some(14));
    assert_eq!(p.setting("CUE_LEVEL"), Some(19));
    assert_eq!(p.midi_trig_channel(3), Some(None));
    assert_eq!(p.midi_auto_channel(), Some(None));
    assert_eq!(p.state("TRACK"), Some(1));
    assert_eq!(p.state("TRACK_OTHERMODE"), Some(4));
    let slots = p.slots();
    let ids: Vec<SlotRef> = slots.iter().map(|s| s.slot).collect();
    let mut want: Vec<SlotRef> = (33..=45).map(SlotRef::Flex).collect();
    want.extend((1..=8).map(SlotRef::Recorder));
    want.push(SlotRef::Static(5));
    want.extend((33..=44).map(SlotRef::Static));
    assert_eq!(ids, want);
    let f33 = p.slot(SlotRef::Flex(33)).unwrap();
    assert_eq!(
        f33.path,
        "../AUDIO/Loopmasters/Loops/Drum & Bass/Music Loops/JM_172_D_Atmos.wav"
    );
    assert_eq!(f33.trim_bars_x100, Some(1600));
    assert_eq!(f33.bpm_x24, None);
    assert_eq!(f33.loop_mode, Some(LoopMode::Normal));
    assert_eq!(p.slot(SlotRef::Flex(39)).unwrap().trim_bars_x100, Some(400));
    let r1 = p.slot(SlotRef::Recorder(1)).unwrap();
    assert_eq!(
        (r1.bpm_x24, r1.gain, r1.path.as_str()),
        (Some(3027), Some(72), "")
    );
    assert_eq!(
        p.slot(SlotRef::Recorder(2)).unwrap().time_stretch,
        Some(TimeStretch::Off)
    );
    let s5 = p.slot(SlotRef::Static(5)).unwrap();
    assert_eq!(s5.path, "../AUDIO/Elektron/Acdrum.wav");
    assert_eq!(
        (s5.trim_bars_x100, s5.loop_mode),
        (Some(100), Some(LoopMode::Off))
    );
    let s33 = p.slot(SlotRef::Static(33)).unwrap();
    assert_eq!(
        (s33.bpm_x24, s33.time_stretch),
        (Some(2880), Some(TimeStretch::Off))
    );
    assert_eq!(
        p.slot(SlotRef::Static(44)).unwrap().path,
        "../AUDIO/Loopmasters/Sounds and FX/Bass Hits/CC2_C1_Electro2.wav"
    );
    assert!(p.slot(SlotRef::Flex(1)).is_none());
}

#[test]
fn hello_flex_facts() {
    let Some(b) = read("ot/hello-flex/project/project.work") else {
        return;
    };
    let p = ProjectFile::parse(&b).unwrap();
    assert_eq!(p.tempo_x24(), Some(2976));
    assert_eq!(p.tempo_bpm(), Some(124.0));
    let slots = p.slots();
    assert_eq!(slots.len(), 29);
    let f1 = p.slot(SlotRef::Flex(1)).unwrap();
    assert_eq!(f1.path, "../AUDIO/projects/HELLO FLEX/Electrokik.wav");
    assert_eq!(
        (f1.bpm_x24, f1.trim_bars_x100, f1.gain),
        (Some(2880), None, Some(48))
    );
    assert_eq!(
        p.slot(SlotRef::Flex(21)).unwrap().path,
        "../AUDIO/projects/HELLO FLEX/53GR700ShredderBassBass.wav"
    );
    assert!(p.slot(SlotRef::Recorder(8)).is_some());
    assert!(b.ends_with(b"############################\r\n"));
}

#[test]
fn slot_blocks_add_remove_assign_in_canonical_order() {
    let Some(b) = read("ot/multipart/project.work") else {
        return;
    };
    let mut p = ProjectFile::parse(&b).unwrap();
    // A new Flex slot between 33..45 and the recorders; a Static before 5; one at the end.
    p.assign_sample(SlotRef::Flex(100), "../AUDIO/new.wav", 890_839, 44_100)
        .unwrap();
    p.assign_sample(SlotRef::Static(1), "..\\AUDIO\\win.wav", 22_050, 44_100)
        .unwrap();
    p.assign_sample(SlotRef::Static(128), "../AUDIO/last.wav", 88_200, 44_100)
        .unwrap();
    let ids: Vec<SlotRef> = p.slots().iter().map(|s| s.slot).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    let f = p.slot(SlotRef::Flex(100)).unwrap();
    assert_eq!(
        f,
        SampleSlot::assigned(SlotRef::Flex(100), "../AUDIO/new.wav", 890_839, 44_100)
    );
    assert_eq!(
        (f.trim_bars_x100, f.loop_mode),
        (Some(800), Some(LoopMode::Normal))
    );
    let s1 = p.slot(SlotRef::Static(1)).unwrap();
    assert_eq!(s1.path, "../AUDIO/win.wav");
    assert_eq!(
        (s1.trim_bars_x100, s1.loop_mode),
        (Some(25), Some(LoopMode::Off))
    );
    let out = p.to_bytes();
    assert!(!out.contains(&b'\\'));
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.contains(
        "\r\n\r\n[SAMPLE]\r\nTYPE=FLEX\r\nSLOT=100\r\nPATH=../AUDIO/new.wav\r\nTRIM_BARSx100=800\r\nTSMODE=2\r\nLOOPMODE=1\r\nGAIN=48\r\nTRIGQUANTIZATION=-1\r\n[/SAMPLE]\r\n\r\n[SAMPLE]\r\nTYPE=FLEX\r\nSLOT=129\r\n"
    ));
    assert!(
        text.ends_with(
            "TRIGQUANTIZATION=-1\r\n[/SAMPLE]\r\n\r\n############################\r\n\r\n"
        )
    );
    let back = ProjectFile::parse(&out).unwrap();
    assert_eq!(back.slots(), p.slots());
    // Removing what was added restores the original bytes.
    for s in [SlotRef::Flex(100), SlotRef::Static(1), SlotRef::Static(128)] {
        assert!(p.remove_slot(s).unwrap());
    }
    assert_eq!(p.to_bytes(), b);
    assert!(p.remove_slot(SlotRef::Recorder(1)).is_err());
    assert!(!p.remove_slot(SlotRef::Flex(1)).unwrap());
    // Clearing keeps the attributes.
    p.clear_slot(SlotRef::Flex(33)).unwrap();
    let c = p.slot(SlotRef::Flex(33)).unwrap();
    assert_eq!((c.path.as_str(), c.trim_bars_x100), ("", Some(1600)));
    assert_eq!(changed_lines(&b, &p.to_bytes()).len(), 1);
    // Adding a block twice is refused; an attribute the block lacks goes in device order.
    assert!(p.add_slot(&SampleSlot::recorder_default(1)).is_err());
    p.set_slot_attr(SlotRef::Flex(34), SlotAttr::BpmX24(2880))
        .unwrap();
    let t = String::from_utf8(p.to_bytes()).unwrap();
    assert!(t.contains("SLOT=034\r\nPATH=../AUDIO/Loopmasters/Loops/Drum & Bass/Music Loops/JM_172_G_Atmos.wav\r\nBPMx24=2880\r\nTRIM_BARSx100=1600\r\n"));
    assert!(p.remove_slot_key(SlotRef::Flex(34), "BPMx24").unwrap());
    assert!(p.remove_slot_key(SlotRef::Flex(34), "PATH").is_err());
}

#[derive(Debug, Clone)]
enum Edit {
    Setting(usize, i64),
    State(usize, i64),
    TrigMode(usize, i64),
    Channel(usize, Option<u8>),
    Gain(u16, i64),
    Path(u16, String),
    Quant(u16, i64),
    Trim(u16, i64),
    Bpm(u16, i64),
    Stretch(u16, i64),
    Loop(u16, i64),
}

fn edit() -> impl Strategy<Value = Edit> {
    use octa::format::project_file::{SETTINGS_KEYS, STATES_KEYS};
    prop_oneof![
        (0..SETTINGS_KEYS.len()).prop_flat_map(|i| {
            let k = SETTINGS_KEYS[i];
            (Just(i), k.min..=k.max).prop_map(|(i, v)| Edit::Setting(i, v))
        }),
        (0..STATES_KEYS.len()).prop_flat_map(|i| {
            let k = STATES_KEYS[i];
            (Just(i), k.min..=k.max).prop_map(|(i, v)| Edit::State(i, v))
        }),
        (1usize..=8, 0i64..=1).prop_map(|(t, v)| Edit::TrigMode(t, v)),
        (1usize..=8, prop::option::of(1u8..=16)).prop_map(|(t, c)| Edit::Channel(t, c)),
        (1u16..=8, 0i64..=96).prop_map(|(r, g)| Edit::Gain(r, g)),
        (1u16..=8, "[a-zA-Z0-9 _./-]{0,40}").prop_map(|(r, p)| Edit::Path(r, p)),
        (1u16..=8, -1i64..=16).prop_map(|(r, q)| Edit::Quant(r, q)),
        (1u16..=8, 0i64..=100_000).prop_map(|(r, t)| Edit::Trim(r, t)),
        (1u16..=8, 720i64..=7200).prop_map(|(r, t)| Edit::Bpm(r, t)),
        (1u16..=8, prop::sample::select(vec![0i64, 2, 3])).prop_map(|(r, t)| Edit::Stretch(r, t)),
        (1u16..=8, 0i64..=2).prop_map(|(r, t)| Edit::Loop(r, t)),
    ]
}

proptest! {
    #[test]
    fn typed_edits_read_back_and_change_one_line(e in edit()) {
        use octa::format::project_file::{SETTINGS_KEYS, STATES_KEYS};
        let Some(b) = read("ot/blank-1.40B/project.work") else { return Ok(()); };
        let mut p = ProjectFile::parse(&b).unwrap();
        match &e {
            Edit::Setting(i, v) => p.set_setting(SETTINGS_KEYS[*i].key, *v).unwrap(),
            Edit::State(i, v) => p.set_state(STATES_KEYS[*i].key, *v).unwrap(),
            Edit::TrigMode(t, v) => p.set_trig_mode_midi(*t, *v).unwrap(),
            Edit::Channel(t, c) => p.set_midi_trig_channel(*t, *c).unwrap(),
            Edit::Gain(r, g) => p.set_slot_attr(SlotRef::Recorder(*r), SlotAttr::Gain(*g)).unwrap(),
            Edit::Path(r, s) => p.set_slot_attr(SlotRef::Recorder(*r), SlotAttr::Path(s.clone())).unwrap(),
            Edit::Quant(r, q) => p.set_slot_attr(SlotRef::Recorder(*r), SlotAttr::TrigQuant(TrigQuant::from_project(*q))).unwrap(),
            Edit::Trim(r, t) => p.set_slot_attr(SlotRef::Recorder(*r), SlotAttr::TrimBarsX100(*t)).unwrap(),
            Edit::Bpm(r, t) => p.set_slot_attr(SlotRef::Recorder(*r), SlotAttr::BpmX24(*t)).unwrap(),
            Edit::Stretch(r, t) => p.set_slot_attr(SlotRef::Recorder(*r), SlotAttr::TimeStretch(TimeStretch::from_code(*t))).unwrap(),
            Edit::Loop(r, t) => p.set_slot_attr(SlotRef::Recorder(*r), SlotAttr::LoopMode(LoopMode::from_code(*t))).unwrap(),
        }
        let out = p.to_bytes();
        let back = ProjectFile::parse(&out).unwrap();
        let j: ProjectFile = serde_json::from_str(&serde_json::to_string(&back).unwrap()).unwrap();
        prop_assert_eq!(j.to_bytes(), out.clone());
        if let Edit::Trim(..) = e {
            // A key the block lacked: one line inserted, nothing else changed.
            prop_assert_eq!(lines(&out).len(), lines(&b).len() + 1);
        } else {
            prop_assert!(changed_lines(&b, &out).len() <= 1);
        }
        match e {
            Edit::Setting(i, v) => prop_assert_eq!(back.setting(SETTINGS_KEYS[i].key), Some(v)),
            Edit::State(i, v) => prop_assert_eq!(back.state(STATES_KEYS[i].key), Some(v)),
            Edit::TrigMode(t, v) => {
                prop_assert_eq!(back.trig_mode_midi(t), Some(v));
                for o in (1..=8).filter(|&o| o != t) {
                    prop_assert_eq!(back.trig_mode_midi(o), Some(0));
                }
            }
            Edit::Channel(t, c) => prop_assert_eq!(back.midi_trig_channel(t), Some(c)),
            Edit::Gain(r, g) => prop_assert_eq!(back.slot(SlotRef::Recorder(r)).unwrap().gain, Some(g)),
            Edit::Path(r, s) => prop_assert_eq!(back.slot(SlotRef::Recorder(r)).unwrap().path, s),
            Edit::Quant(r, q) => prop_assert_eq!(back.slot(SlotRef::Recorder(r)).unwrap().trig_quant, Some(TrigQuant::from_project(q))),
            Edit::Trim(r, t) => prop_assert_eq!(back.slot(SlotRef::Recorder(r)).unwrap().trim_bars_x100, Some(t)),
            Edit::Bpm(r, t) => prop_assert_eq!(back.slot(SlotRef::Recorder(r)).unwrap().bpm_x24, Some(t)),
            Edit::Stretch(r, t) => prop_assert_eq!(back.slot(SlotRef::Recorder(r)).unwrap().time_stretch, Some(TimeStretch::from_code(t))),
            Edit::Loop(r, t) => prop_assert_eq!(back.slot(SlotRef::Recorder(r)).unwrap().loop_mode, Some(LoopMode::from_code(t))),
        }
    }
}

#[test]
fn range_checks() {
    let Some(b) = read("ot/blank-1.40B/project.work") else {
        return;
    };
    let mut p = ProjectFile::parse(&b).unwrap();
    for (k, v) in [
        ("TEMPOx24", 719),
        ("GATE_AB", 128),
        ("MIDI_TRIG_CH1", -2),
        ("RESERVED_RECORDER_COUNT", 9),
    ] {
        assert!(
            matches!(p.set_setting(k, v), Err(FormatError::Range { .. })),
            "{k}={v}"
        );
    }
    assert!(p.set_setting("NOT_A_KEY", 0).is_err());
    assert!(p.set_state("PART", 4).is_err());
    assert!(p.set_midi_trig_channel(9, Some(1)).is_err());
    assert!(p.set_midi_trig_channel(1, Some(17)).is_err());
    assert!(p.set_tempo_bpm(29.0).is_err());
    assert!(p.set_trig_mode_midi(0, 0).is_err());
    assert!(p.set_metronome_time_signature(4, 3).is_err());
    let r = SlotRef::Recorder(1);
    assert!(p.set_slot_attr(r, SlotAttr::Gain(97)).is_err());
    assert!(
        p.set_slot_attr(r, SlotAttr::TrigQuant(TrigQuant::Steps(5)))
            .is_err()
    );
    assert!(p.set_slot_attr(r, SlotAttr::Path("a\r\nb".into())).is_err());
    assert!(
        p.set_slot_attr(SlotRef::Flex(1), SlotAttr::Gain(1))
            .is_err()
    );
    assert!(p.set_raw("SETTINGS", "X", "a\nb").is_err());
    // add_slot writes a block's values as they are (a block copied from another file
    // keeps what that file holds; `octa check` reports it): only what cannot be written
    // is refused.
    let mut s = SampleSlot::assigned(SlotRef::Flex(9), "a.wav", 100, 44_100);
    s.trig_quant = Some(TrigQuant::Steps(5));
    assert!(p.add_slot(&s).is_err());
    s.trig_quant = Some(TrigQuant::Direct);
    s.path = "a\nb.wav".into();
    assert!(p.add_slot(&s).is_err());
    assert!(p.add_slot(&SampleSlot::recorder_default(9)).is_err());
    // Nothing was changed by the refused edits.
    assert_eq!(p.to_bytes(), b);
    let mut copied = p.clone();
    let mut s = SampleSlot::assigned(SlotRef::Flex(9), "a.wav", 100, 44_100);
    s.gain = Some(200);
    copied.add_slot(&s).unwrap();
    assert!(copied.lines().any(|l| l == "GAIN=200"));
    assert!(
        copied
            .set_slot_attr(SlotRef::Flex(9), SlotAttr::Gain(201))
            .is_err()
    );
    // A setter with the current value keeps the exact text.
    p.set_setting("TEMPOx24", 2880).unwrap();
    p.set_metronome_time_signature(4, 4).unwrap();
    assert_eq!(p.to_bytes(), b);
    p.set_metronome_time_signature(7, 8).unwrap();
    assert_eq!(p.metronome_time_signature(), Some((7, 8)));
}

#[test]
fn bad_input_names_the_line() {
    let Some(b) = read("ot/multipart/project.work") else {
        return;
    };
    let err = |bytes: &[u8]| ProjectFile::parse(bytes).unwrap_err();
    assert!(matches!(err(b""), FormatError::Text { line: 1, .. }));
    // Every truncation either fails, or is the whole file minus its final line endings.
    let n = b.len();
    for cut in (0..n)
        .step_by(37)
        .chain([n - 1, n - 2, n - 3, n - 4, n - 5])
    {
        match ProjectFile::parse(&b[..cut]) {
            Ok(p) => {
                assert!(cut >= n - 4, "cut at {cut} parsed");
                assert_eq!(p.to_bytes(), &b[..cut]);
            }
            Err(FormatError::Text { line, .. }) => assert!(line >= 1),
            Err(e) => panic!("unexpected error kind {e}"),
        }
    }
    let text = String::from_utf8(b.clone()).unwrap();
    let with = |from: &str, to: &str| text.replacen(from, to, 1).into_bytes();
    let e = err(&with("TEMPOx24=3027", "TEMPOx24=fast"));
    assert_eq!(
        e,
        FormatError::Text {
            line: 13,
            message: "expected an integer for TEMPOx24, found \"fast\"".into()
        }
    );
    let e = err(&with("VERSION=19", "VERSION=18"));
    assert!(
        matches!(&e, FormatError::Text { line: 7, message } if message.contains("VERSION=19")),
        "{e}"
    );
    let e = err(&with("TYPE=OCTATRACK DPS-1 PROJECT", "TYPE=SOMETHING"));
    assert!(matches!(e, FormatError::Text { line: 6, .. }));
    let e = err(&with("SLOT=033", "SLOT=200"));
    assert!(e.to_string().contains("SLOT=200"), "{e}");
    let e = err(&with("SLOT=034", "SLOT=033"));
    assert!(
        e.to_string().contains("second [SAMPLE] block for Flex 33"),
        "{e}"
    );
    let e = err(&with("[/STATES]", "[/STATE]"));
    assert!(e.to_string().contains("expected [/STATES]"), "{e}");
    let e = err(&with("MIDI_MODE=0", "MIDI_MODE"));
    assert!(e.to_string().contains("KEY=VALUE"), "{e}");
    let e = err(&with("# Samples", "Samples"));
    assert!(e.to_string().contains("comment"), "{e}");
    // Random bytes.
    let mut x: u32 = 99;
    let rnd: Vec<u8> = (0..5000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    assert!(ProjectFile::parse(&rnd).is_err());
    // JSON with a broken structure is refused with the line.
    let bad = r#"{"line_ending":"crlf","lines":["[META]","TYPE=OCTATRACK DPS-1 PROJECT"]}"#;
    let e = serde_json::from_str::<ProjectFile>(bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 1"), "{e}");
}
