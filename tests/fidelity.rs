#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Values shown as the device means them, on real corpus projects: the tempo that plays,
//! THRU/recorder INCD labels, MIDI chord offsets of 0, `dump` covering every step in PER TRACK
//! mode.

use octa::format::bank::midi_slot;
use octa::project::{OpenOptions, Project};
use octa::ui::testing::{app, open_corpus as open, press, screen};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn octa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-fidelity-test-data"),
        )
        .output()
        .expect("run octa")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn dump_json(dir: &Path, bank: &str, pattern: &str) -> serde_json::Value {
    let o = octa(&[
        "dump",
        dir.to_str().unwrap(),
        "-b",
        bank,
        "-p",
        pattern,
        "--format",
        "json",
    ]);
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn dump_text(dir: &Path, bank: &str, pattern: &str) -> String {
    stdout(&octa(&[
        "dump",
        dir.to_str().unwrap(),
        "-b",
        bank,
        "-p",
        pattern,
    ]))
}

/// multipart: `TEMPOx24=3027`, `PATTERN_TEMPO_ENABLED=0`, every pattern stores 2880 (120 BPM).
/// hello-flex: `TEMPOx24=2976` (124 BPM), pattern tempo off.
#[test]
fn the_tempo_that_plays_is_shown_with_its_source_everywhere() {
    let Some(mp) = octa::testutil::corpus("ot/multipart") else {
        return;
    };
    let Some(hf) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    // facts from the files themselves, independent of the code under test
    let pw = fs::read_to_string(mp.join("project.work")).unwrap();
    assert!(pw.contains("TEMPOx24=3027\r\n") && pw.contains("PATTERN_TEMPO_ENABLED=0\r\n"));
    let bank = fs::read(mp.join("bank01.work")).unwrap();
    let stored = u16::from_be_bytes([bank[22 + 36586], bank[22 + 36587]]);
    assert_eq!(stored, 2880, "A01 stores 120 BPM");

    // dump: text and JSON
    let j = dump_json(&mp, "A", "1");
    assert_eq!(j["tempo"], 126.125);
    assert_eq!(j["tempo_source"], "project");
    assert_eq!(j["pattern_tempo"], 120.0);
    let t = dump_text(&mp, "A", "1");
    assert!(
        t.lines()
            .next()
            .unwrap()
            .contains("tempo 126.125 BPM (project)"),
        "{t}"
    );
    let j = dump_json(&hf, "A", "1");
    assert_eq!(
        (j["tempo"].as_f64(), j["tempo_source"].as_str()),
        (Some(124.0), Some("project"))
    );
    assert!(dump_text(&hf, "A", "1").contains("tempo 124.0 BPM (project)"));

    // the tracker's header
    let mut a = app(open("ot/hello-flex/project").unwrap(), "tracker");
    let s = screen(&mut a, 200, 30);
    assert!(s[0].contains("Scale 1x 124.0 BPM (project)"), "{}", s[0]);
    let mut a = app(open("ot/multipart").unwrap(), "tracker");
    let s = screen(&mut a, 240, 30);
    assert!(s[0].contains("126.125 BPM (project)"), "{}", s[0]);
    // the side-by-side pane
    a.ctx.other = Some(octa::ui::model::Document::new(
        open("ot/hello-flex/project").unwrap(),
    ));
    press(&mut a, &["shift+F8"]);
    let s = screen(&mut a, 160, 30).join("\n");
    assert!(
        s.contains("A01: part 1, 64 steps, 126.125 BPM (project)"),
        "{s}"
    );
    assert!(
        s.contains("A01: part 1, 16 steps, 124.0 BPM (project)"),
        "{s}"
    );

    // With pattern tempo on, the pattern's own tempo plays.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("MP");
    copy_dir(&mp, &dir);
    fs::write(
        dir.join("project.work"),
        pw.replace("PATTERN_TEMPO_ENABLED=0", "PATTERN_TEMPO_ENABLED=1"),
    )
    .unwrap();
    let j = dump_json(&dir, "A", "1");
    assert_eq!(
        (j["tempo"].as_f64(), j["tempo_source"].as_str()),
        (Some(120.0), Some("pattern"))
    );
    assert!(dump_text(&dir, "A", "1").contains("tempo 120.0 BPM (pattern)"));
    let p = Project::open(&dir, &OpenOptions::default()).unwrap();
    let mut a = app(p, "tracker");
    assert!(screen(&mut a, 240, 30)[0].contains("120.0 BPM (pattern)"));
}

/// multipart part 1: T1 and T5 are THRU machines; T5 stores INCD = 1 (inputs C+D), T1 INAB = 1.
#[test]
fn thru_and_recorder_incd_show_inputs_c_and_d() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let part = p.bank(0).part(0).unwrap().clone();
    assert_eq!(part.machine_types[4], 2, "T5 is THRU");
    let mut a = app(p, "tracker");
    press(&mut a, &["F3"]);
    let s = screen(&mut a, 120, 44);
    let src1 = s.iter().find(|l| l.starts_with("SRC 1")).unwrap();
    let src4 = s.iter().find(|l| l.starts_with("SRC 4")).unwrap();
    assert!(src1.contains("INAB A+B"), "{src1}");
    assert!(src4.contains("INCD C+D"), "{src4}");
    assert!(!src4.contains("A+B"), "{src4}");
    // The same table names the lock columns and the recorder's INCD.
    let incd = octa::format::params::audio_param(octa::format::MachineType::Thru, 0, 0, 3).unwrap();
    assert_eq!(
        (incd.name, incd.show(1), incd.show(2), incd.show(4)),
        (
            "INCD",
            "C+D".to_string(),
            "C".to_string(),
            "C/D".to_string()
        )
    );
    let rec = octa::ui::parts::Field::Recorder(1);
    assert_eq!(rec.show_value(&part, 0, 1), "C+D");
    assert_eq!(rec.show_value(&part, 0, 3), "D");
    assert_eq!(
        octa::ui::parts::Field::Recorder(0).show_value(&part, 0, 1),
        "A+B"
    );
}

/// A chord whose NOT4 offset is 0 plays three notes: the grid and dump show three.
#[test]
fn a_chord_offset_of_zero_is_no_note() {
    let Some(mp) = octa::testutil::corpus("ot/multipart") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("MP");
    copy_dir(&mp, &dir);
    let mut p = Project::open(&dir, &OpenOptions::default()).unwrap();
    {
        let m1 = &mut p.bank_mut(0).patterns[0].midi[0];
        m1.trigs.set(0, true).unwrap();
        // C-E-G as the device stores it: NOTE 60, NOT2 +4, NOT3 +7, NOT4 offset 0 (64)
        m1.set_plock(0, midi_slot::NOTE, Some(60)).unwrap();
        m1.set_plock(0, midi_slot::VEL, Some(90)).unwrap();
        m1.set_plock(0, midi_slot::NOT2, Some(68)).unwrap();
        m1.set_plock(0, midi_slot::NOT3, Some(71)).unwrap();
        m1.set_plock(0, midi_slot::NOT4, Some(64)).unwrap();
    }
    p.save(false).unwrap();
    let j = dump_json(&dir, "A", "1");
    assert_eq!(j["tracks"][8]["track"], "M1");
    let st = &j["tracks"][8]["steps"][0];
    assert_eq!(st["notes"], serde_json::json!(["C-4", "E-4", "G-4"]));
    let t = dump_text(&dir, "A", "1");
    let row1 = t
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap();
    let m1 = row1.split('|').next_back().unwrap();
    assert_eq!(
        m1.split_whitespace().collect::<Vec<_>>(),
        ["X", "C-4", "E-4", "G-4", "VEL=90"]
    );

    let mut a = app(
        Project::open(&dir, &OpenOptions::default()).unwrap(),
        "tracker",
    );
    for _ in 0..8 {
        press(&mut a, &["tab"]);
    }
    let s = screen(&mut a, 200, 30);
    let head = s[1].split('│').position(|h| h.contains("M1")).unwrap();
    let row = s.iter().find(|l| l.starts_with("01 ")).unwrap();
    let cell = row[3..].split('│').nth(head).unwrap();
    let words: Vec<&str> = cell.split_whitespace().collect();
    assert_eq!(
        &words[..6],
        ["X", "C-4", "90", "..", "E-4", "G-4"],
        "{cell}"
    );
    assert_eq!(words[6], "---", "NOT4 offset 0 is no note: {cell}");
    assert_eq!(words.iter().filter(|w| **w == "C-4").count(), 1, "{cell}");
}

/// multipart A01 is in PER TRACK mode: NORMAL length byte 16, T6 is 64 steps long with trigs at
/// 1, 17 and 33, T3 trigs at 49.
#[test]
fn dump_covers_every_step_any_track_plays_in_per_track_mode() {
    let Some(mp) = octa::testutil::corpus("ot/multipart") else {
        return;
    };
    let bank = fs::read(mp.join("bank01.work")).unwrap();
    let pat = 22;
    assert_eq!(bank[pat + 36581], 1, "PER TRACK mode");
    assert_eq!(bank[pat + 36579], 16, "NORMAL length byte");
    let j = dump_json(&mp, "A", "1");
    assert_eq!(j["scale_mode"], "per track");
    assert_eq!(j["length"], 64);
    assert_eq!(j["tracks"][5]["length"], 64);
    let t = dump_text(&mp, "A", "1");
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[0].contains("length 64 (per track)"), "{}", lines[0]);
    // one header row, then exactly 64 step rows (the track settings list follows them)
    let lines: Vec<&str> = lines
        .iter()
        .copied()
        .take_while(|l| *l != "track settings:")
        .collect();
    let rows: Vec<usize> = lines[2..]
        .iter()
        .map(|l| l.split('|').next().unwrap().trim().parse().unwrap())
        .collect();
    assert_eq!(rows, (1..=64).collect::<Vec<_>>());
    // every step the JSON lists is a filled cell in the text, and vice versa
    let heads: Vec<String> = lines[1]
        .split('|')
        .skip(1)
        .map(|h| h.trim().to_string())
        .collect();
    for (c, head) in heads.iter().enumerate() {
        let name = head.split_whitespace().next().unwrap();
        // a `T2 REC` column holds the track's recorder trigs
        let key = if head.ends_with(" REC") {
            "recorder"
        } else {
            "steps"
        };
        let jt = j["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["track"] == name)
            .unwrap();
        let json_steps: Vec<u64> = jt[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["step"].as_u64().unwrap())
            .collect();
        let text_steps: Vec<u64> = lines[2..]
            .iter()
            .enumerate()
            .filter(|(_, l)| l.split('|').nth(c + 1).unwrap().trim() != ".")
            .map(|(i, _)| i as u64 + 1)
            .collect();
        assert_eq!(text_steps, json_steps, "{name}");
    }
}

/// `project.work` as ot-tools writes it (facts from the issue and ot-tools' writer): `SLOT=1`
/// instead of `SLOT=001`, `TRIM_BARSx100=0` where the device writes `BPMx24=...`, and
/// `TRIGQUANTIZATION=255` instead of `-1`.
fn ot_tools_style(pw: &str) -> String {
    let mut in_sample = false;
    let mut out = String::new();
    for line in pw.split_inclusive("\r\n") {
        let l = line.trim_end();
        if l == "[SAMPLE]" {
            in_sample = true;
        } else if l == "[/SAMPLE]" {
            in_sample = false;
        }
        let new = if !in_sample {
            l.to_string()
        } else if let Some(n) = l.strip_prefix("SLOT=") {
            format!("SLOT={}", n.parse::<u32>().unwrap())
        } else if l.starts_with("BPMx24=") {
            "TRIM_BARSx100=0".to_string()
        } else if l == "TRIGQUANTIZATION=-1" {
            "TRIGQUANTIZATION=255".to_string()
        } else {
            l.to_string()
        };
        out.push_str(&new);
        if line.ends_with("\r\n") {
            out.push_str("\r\n");
        }
    }
    out
}

/// A set with hello-flex twice: `HELLO` as written (device style: `SLOT=001`, `BPMx24=2880`,
/// `-1`) and `OTT` with its project.work in ot-tools' style; one AUDIO pool with the samples.
fn interop_set(root: &Path) -> Option<(PathBuf, PathBuf)> {
    let hello = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    copy_dir(&hello, &root.join("S/HELLO"));
    copy_dir(&hello, &root.join("S/OTT"));
    copy_dir(&samples, &root.join("S/AUDIO/projects/HELLO FLEX"));
    let pw = fs::read_to_string(hello.join("project.work")).unwrap();
    assert!(
        pw.contains("SLOT=001\r\nPATH=../AUDIO/projects/HELLO FLEX/Electrokik.wav\r\nBPMx24=2880")
    );
    let ott = ot_tools_style(&pw);
    assert!(ott.contains(
        "SLOT=1\r\nPATH=../AUDIO/projects/HELLO FLEX/Electrokik.wav\r\nTRIM_BARSx100=0\r\n"
    ));
    assert!(ott.contains("TRIGQUANTIZATION=255\r\n") && !ott.contains("TRIGQUANTIZATION=-1"));
    fs::write(root.join("S/OTT/project.work"), ott).unwrap();
    Some((root.join("S/HELLO"), root.join("S/OTT")))
}

#[test]
fn a_bank_from_an_ot_tools_project_reuses_the_same_slots() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, ott)) = interop_set(tmp.path()) else {
        return;
    };
    let pw_before = fs::read(hello.join("project.work")).unwrap();
    let src_bank = fs::read(ott.join("bank01.work")).unwrap();
    assert_ne!(fs::read(hello.join("bank02.work")).unwrap(), src_bank);
    let o = octa(&[
        "copy",
        &format!("{}:A", ott.display()),
        &format!("{}:B", hello.display()),
    ]);
    let out = stdout(&o);
    assert!(out.contains(" 0 new)"), "{out}");
    assert!(
        out.contains("(reuse)") && out.contains("(same file, same settings)"),
        "{out}"
    );
    assert!(!out.contains("(new)"), "{out}");
    assert_eq!(
        fs::read(hello.join("bank02.work")).unwrap(),
        src_bank,
        "the bank comes out byte-identical"
    );
    assert_eq!(
        fs::read(hello.join("project.work")).unwrap(),
        pw_before,
        "project.work does not change"
    );
}

#[test]
fn the_same_file_with_other_settings_gets_a_new_slot_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, ott)) = interop_set(tmp.path()) else {
        return;
    };
    // F1 (Electrokik.wav) gets GAIN 60 in the source.
    let pw = fs::read_to_string(ott.join("project.work")).unwrap();
    let at = pw
        .find("SLOT=1\r\nPATH=../AUDIO/projects/HELLO FLEX/Electrokik.wav")
        .unwrap();
    let gain = at + pw[at..].find("GAIN=48").unwrap();
    let pw = format!("{}GAIN=60{}", &pw[..gain], &pw[gain + 7..]);
    fs::write(ott.join("project.work"), pw).unwrap();
    let args = |extra: &[&str]| {
        let mut v = vec![
            "copy".to_string(),
            format!("{}:A", ott.display()),
            format!("{}:B", hello.display()),
            "--dry-run".to_string(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        stdout(&octa(&a.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    let out = run(&[]);
    let f1 = out
        .lines()
        .find(|l| l.trim_start().starts_with("Flex 1 -> "))
        .unwrap();
    assert!(
        f1.contains("(new)") && f1.contains("(Flex 1 holds this file with other GAIN)"),
        "{out}"
    );
    assert!(
        out.contains("note: Flex 1: Flex 1 holds the same file with other GAIN"),
        "{out}"
    );
    assert!(out.contains(" 1 new)"), "{out}");
    let out = run(&["--reuse-same-file"]);
    let f1 = out
        .lines()
        .find(|l| l.trim_start().starts_with("Flex 1 -> "))
        .unwrap();
    assert!(
        f1.contains("Flex 1 -> Flex 1 (reuse)") && f1.contains("other GAIN (kept)"),
        "{out}"
    );
    assert!(out.contains(" 0 new)"), "{out}");
}

/// Set S1 with hello-flex (samples in its pool) and set S2 with multipart (empty pool).
fn two_sets(root: &Path) -> Option<(PathBuf, PathBuf)> {
    let hello = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    let multi = octa::testutil::corpus("ot/multipart")?;
    copy_dir(&hello, &root.join("S1/HELLO"));
    copy_dir(&samples, &root.join("S1/AUDIO/projects/HELLO FLEX"));
    copy_dir(&multi, &root.join("S2/MULTI"));
    fs::create_dir_all(root.join("S2/AUDIO")).unwrap();
    Some((root.join("S1/HELLO"), root.join("S2/MULTI")))
}

#[test]
fn slot_to_slot_copy_brings_every_attribute_marker_and_the_file() {
    use octa::format::project_file::SlotAttr;
    use octa::format::regions::Slice;
    use octa::format::slot_attrs::{LoopMode, SlotRef, TimeStretch, TrigQuant};
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, multi)) = two_sets(tmp.path()) else {
        return;
    };
    // Give hello-flex's Flex 2 (22SD.wav) settings and markers that are all non-default.
    let f2 = SlotRef::Flex(2);
    let mut h = Project::open(&hello, &OpenOptions::default()).unwrap();
    let mut pf = h.project_file().clone();
    for a in [
        SlotAttr::Gain(60),
        SlotAttr::LoopMode(LoopMode::PingPong),
        SlotAttr::TimeStretch(TimeStretch::Beat),
        SlotAttr::TrigQuant(TrigQuant::Steps(4)),
        SlotAttr::BpmX24(3000),
    ] {
        pf.set_slot_attr(f2, a).unwrap();
    }
    *h.project_file_mut() = pf;
    let mut mk = h.markers().slot(f2).unwrap();
    mk.trim_start = 100;
    mk.trim_end = 5000;
    mk.loop_point = 1200;
    mk.slices = vec![
        Slice {
            start: 0,
            end: 1000,
            loop_start: 0xFFFF_FFFF,
        },
        Slice {
            start: 1000,
            end: 2500,
            loop_start: 1500,
        },
        Slice {
            start: 2500,
            end: 5000,
            loop_start: 0xFFFF_FFFF,
        },
    ];
    h.markers_mut().set_slot(f2, &mk).unwrap();
    h.save(false).unwrap();
    let src_text = fs::read_to_string(hello.join("project.work")).unwrap();
    assert!(src_text.contains(
        "SLOT=002\r\nPATH=../AUDIO/projects/HELLO FLEX/22SD.wav\r\nBPMx24=3000\r\nTSMODE=3\r\nLOOPMODE=2\r\nGAIN=60\r\nTRIGQUANTIZATION=4\r\n"
    ), "{src_text}");

    let multi_before = Project::open(&multi, &OpenOptions::default()).unwrap();
    let f1 = SlotRef::Flex(1);
    let before_f1 = multi_before.project_file().slot(f1);
    let banks_before: Vec<Option<Vec<u8>>> = (0..16)
        .map(|b| fs::read(multi.join(format!("bank{:02}.work", b + 1))).ok())
        .collect();
    assert!(banks_before[0].is_some());
    let o = octa(&[
        "copy",
        &format!("{}:F2", hello.display()),
        &format!("{}:F1", multi.display()),
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("Flex 2 -> Flex 1 ../AUDIO/projects/HELLO FLEX/22SD.wav"),
        "{out}"
    );
    if let Some(b) = &before_f1 {
        assert!(out.contains(&format!("(replaces {})", b.path)), "{out}");
    }
    // the sample came along, byte for byte
    let copied = tmp.path().join("S2/AUDIO/projects/HELLO FLEX/22SD.wav");
    assert_eq!(
        fs::read(&copied).unwrap(),
        fs::read(tmp.path().join("S1/AUDIO/projects/HELLO FLEX/22SD.wav")).unwrap()
    );
    // every attribute and marker of the destination slot, read back from disk
    let m = Project::open(&multi, &OpenOptions::default()).unwrap();
    let b = m.project_file().slot(f1).unwrap();
    assert_eq!(b.path, "../AUDIO/projects/HELLO FLEX/22SD.wav");
    assert_eq!(b.gain, Some(60));
    assert_eq!(b.loop_mode, Some(LoopMode::PingPong));
    assert_eq!(b.time_stretch, Some(TimeStretch::Beat));
    assert_eq!(b.trig_quant, Some(TrigQuant::Steps(4)));
    assert_eq!(b.bpm_x24, Some(3000));
    assert_eq!(b.trim_bars_x100, None);
    let got = m.markers().slot(f1).unwrap();
    assert_eq!(
        (got.trim_start, got.trim_end, got.loop_point),
        (100, 5000, 1200)
    );
    assert_eq!(got.slices.len(), 3);
    assert_eq!(
        got.slices
            .iter()
            .map(|s| (s.start, s.end, s.loop_start))
            .collect::<Vec<_>>(),
        [
            (0, 1000, 0xFFFF_FFFF),
            (1000, 2500, 1500),
            (2500, 5000, 0xFFFF_FFFF)
        ]
    );
    // nothing else changed: banks identical, other slots as before
    for (b, bytes) in banks_before.iter().enumerate() {
        assert_eq!(
            &fs::read(multi.join(format!("bank{:02}.work", b + 1))).ok(),
            bytes
        );
    }
    for s in multi_before.project_file().slots() {
        if s.slot != f1 {
            assert_eq!(m.project_file().slot(s.slot), Some(s.clone()), "{}", s.slot);
        }
    }

    // A range onto a start slot written as F010 (F10 is pattern F10), and a Static slot.
    let o = octa(&[
        "copy",
        &format!("{}:F1-F3", hello.display()),
        &format!("{}:F010", multi.display()),
        "--dry-run",
    ]);
    let out = stdout(&o);
    for (a, b) in [(1, 10), (2, 11), (3, 12)] {
        assert!(out.contains(&format!("Flex {a} -> Flex {b} ")), "{out}");
    }
    assert!(out.contains("dry run: nothing changed"));
    let o = octa(&[
        "copy",
        &format!("{}:F1-F3", hello.display()),
        &format!("{}:A01", multi.display()),
    ]);
    assert!(!o.status.success());
}

#[test]
fn the_side_view_copies_slots_with_one_key_undoably() {
    use octa::format::slot_attrs::SlotRef;
    use octa::ui::testing::type_text;
    let tmp = tempfile::tempdir().unwrap();
    let Some((hello, multi)) = two_sets(tmp.path()) else {
        return;
    };
    let open_p = |p: &Path| Project::open(p, &OpenOptions::default()).unwrap();
    let mut a = app(open_p(&multi), "tracker");
    a.ctx.other = Some(octa::ui::model::Document::new(open_p(&hello)));
    let src = open_p(&hello);
    let src_block = src.project_file().slot(SlotRef::Flex(3)).unwrap();
    let src_markers = src.markers().slot(SlotRef::Flex(3)).unwrap();
    let pf_before = a.ctx.doc.project.project_file().to_bytes();
    let mk_before = a.ctx.doc.project.markers().to_bytes();
    press(&mut a, &["shift+F8", "tab", "l"]);
    type_text(&mut a, "F3 F7");
    press(&mut a, &["enter"]);
    // a confirmation with the plan first; Enter applies it
    match &a.overlay {
        octa::ui::app::Overlay::Prompt { title, .. } => {
            assert!(
                title.starts_with("Enter copies, Esc cancels: Flex 3 -> Flex 7 "),
                "{title}"
            )
        }
        o => panic!("no confirmation: {o:?}"),
    }
    assert!(
        a.ctx.doc.project.project_file().to_bytes() == pf_before,
        "nothing before Enter"
    );
    press(&mut a, &["enter"]);
    let msg = a.message.clone().unwrap();
    assert!(!msg.1 && msg.0.contains("Flex 3 -> Flex 7"), "{msg:?}");
    let got = a
        .ctx
        .doc
        .project
        .project_file()
        .slot(SlotRef::Flex(7))
        .unwrap();
    let mut want = src_block.clone();
    want.slot = SlotRef::Flex(7);
    assert_eq!(got, want, "path and every attribute");
    assert_eq!(
        a.ctx.doc.project.markers().slot(SlotRef::Flex(7)).unwrap(),
        src_markers
    );
    let name = src_block.path.rsplit('/').next().unwrap();
    assert!(
        tmp.path()
            .join("S2/AUDIO/projects/HELLO FLEX")
            .join(name)
            .is_file()
    );
    // one undo step restores project.work and markers
    press(&mut a, &["tab", "ctrl+z"]);
    assert_eq!(a.ctx.doc.project.project_file().to_bytes(), pf_before);
    assert_eq!(a.ctx.doc.project.markers().to_bytes(), mk_before);
}

#[test]
fn new_slots_from_an_ot_tools_project_are_written_as_the_device_writes_them() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((_hello, ott)) = interop_set(tmp.path()) else {
        return;
    };
    let multi = octa::testutil::corpus("ot/multipart").unwrap();
    let dst = tmp.path().join("S/MULTI");
    copy_dir(&multi, &dst);
    let out = stdout(&octa(&[
        "copy",
        &format!("{}:A", ott.display()),
        &format!("{}:B", dst.display()),
    ]));
    assert!(
        out.contains("(new)") && out.contains("(no slot holds this file)"),
        "{out}"
    );
    let pw = fs::read_to_string(dst.join("project.work")).unwrap();
    let added = pw
        .find("PATH=../AUDIO/projects/HELLO FLEX/Electrokik.wav")
        .unwrap();
    let block = &pw[added..added + pw[added..].find("[/SAMPLE]").unwrap()];
    assert!(block.contains("TRIGQUANTIZATION=-1\r\n"), "{block}");
    assert!(!pw.contains("TRIGQUANTIZATION=255"));
    // the source keeps its own style, byte for byte
    assert!(
        fs::read_to_string(ott.join("project.work"))
            .unwrap()
            .contains("TRIGQUANTIZATION=255")
    );
}
