#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `project.work` checked as the device reads it: truncated, key-deleted, key-duplicated
//! and out-of-range versions of the corpus files (built here from the corpus bytes),
//! a key table written from the device's files and the format doc (not from the code's
//! `SETTINGS_KEYS`), and projects in ot-tools' style (`SLOT=1`, `TRIM_BARSx100=0`,
//! `TRIGQUANTIZATION=255`) read leniently, kept byte-exact and copied.

mod common;
use common::copy_dir;
use octa::format::project_file::{Problem, ProjectFile, SampleSlot, Severity, SlotAttr};
use octa::format::slot_attrs::{SlotRef, TrigQuant};
use octa::testutil::corpus;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The corpus project.work files the device wrote.
const DEVICE_FILES: [&str; 3] = [
    "ot/blank-1.40B/project.work",
    "ot/template-1.40B/project.work",
    "ot/multipart/project.work",
];

fn read(rel: &str) -> Option<Vec<u8>> {
    let p = corpus(rel)?;
    Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

/// The file's lines (without CRLF).
fn lines(bytes: &[u8]) -> Vec<String> {
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let mut v: Vec<String> = text.split("\r\n").map(str::to_string).collect();
    if v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

fn join(lines: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend(l.chars().map(|c| c as u32 as u8));
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// 0-based index of the first line equal to `text` at or after `from`.
fn find(lines: &[String], from: usize, text: &str) -> usize {
    (from..lines.len())
        .find(|&i| lines[i] == text)
        .unwrap_or_else(|| panic!("no line {text:?} after {from}"))
}

/// The 0-based (open, close) line indices of `[NAME]` ... `[/NAME]`, first occurrence.
fn section(lines: &[String], name: &str) -> (usize, usize) {
    let open = find(lines, 0, &format!("[{name}]"));
    (open, find(lines, open, &format!("[/{name}]")))
}

fn problems(bytes: &[u8]) -> Vec<Problem> {
    ProjectFile::parse(bytes)
        .unwrap_or_else(|e| panic!("parse: {e}"))
        .device_problems()
}

fn errors(ps: &[Problem]) -> Vec<&Problem> {
    ps.iter()
        .filter(|p| p.severity == Severity::Error)
        .collect()
}

#[test]
fn device_files_have_no_problems() {
    for rel in DEVICE_FILES {
        let Some(bytes) = read(rel) else { return };
        assert_eq!(problems(&bytes), vec![], "{rel}");
    }
}

#[test]
fn truncated_sample_lists_are_errors_naming_the_line() {
    for rel in DEVICE_FILES {
        let Some(bytes) = read(rel) else { return };
        let l = lines(&bytes);
        let samples = find(&l, 0, "# Samples");
        // Cut right after the '# Samples' banner: still parses (it ends with a banner),
        // but the whole sample list is gone.
        let cut = &l[..samples + 2];
        let ps = problems(&join(cut));
        let e = errors(&ps);
        assert_eq!(e.len(), 1, "{rel}: {ps:?}");
        assert_eq!(e[0].line, samples + 2, "{rel}: the last line");
        assert!(
            e[0].message.contains(&format!(
                "ends after the '# Samples' banner at line {}",
                samples + 1
            )),
            "{rel}: {}",
            e[0]
        );
        // Cut before the sample list: no '# Samples' banner at all (the closing banner kept).
        let mut no_list = l[..samples - 1].to_vec();
        no_list.push("############################".into());
        let ps = problems(&join(&no_list));
        assert!(
            errors(&ps)
                .iter()
                .any(|p| p.message.contains("ends before its sample list")),
            "{rel}: {ps:?}"
        );
        // The last recorder block removed, closing banner kept: the list was cut short.
        let last_rec = l
            .iter()
            .rposition(|x| x == "SLOT=136")
            .unwrap_or_else(|| panic!("{rel}: no recorder 8"));
        let open = (0..last_rec).rev().find(|&i| l[i] == "[SAMPLE]").unwrap();
        let close = find(&l, last_rec, "[/SAMPLE]");
        let mut short = l[..open].to_vec();
        short.extend_from_slice(&l[close + 2..]);
        let ps = problems(&join(&short));
        let e = errors(&ps);
        assert_eq!(e.len(), 1, "{rel}: {ps:?}");
        assert!(e[0].message.contains("FLEX 136"), "{rel}: {}", e[0]);
        // A block without its end marker, or a file ending inside a block: parse errors
        // with the line.
        let mut open_block = l.clone();
        open_block.remove(close);
        let err = ProjectFile::parse(&join(&open_block))
            .unwrap_err()
            .to_string();
        assert!(err.contains("[/SAMPLE]"), "{rel}: {err}");
        assert!(err.contains("line "), "{rel}: {err}");
        let err = ProjectFile::parse(&join(&l[..last_rec + 1]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("line {}", open + 1)) && err.contains("never closed"),
            "{rel}: {err}"
        );
    }
}

#[test]
fn every_deleted_required_key_is_an_error() {
    for rel in DEVICE_FILES {
        let Some(bytes) = read(rel) else { return };
        let l = lines(&bytes);
        let mut tried = 0;
        for name in ["META", "SETTINGS", "STATES", "SAMPLE"] {
            let (open, close) = section(&l, name);
            for i in open + 1..close {
                let key = l[i].split('=').next().unwrap().to_string();
                let mut cut = l.clone();
                cut.remove(i);
                let Ok(pf) = ProjectFile::parse(&join(&cut)) else {
                    // META TYPE/VERSION and SAMPLE TYPE/SLOT are required by the parser.
                    assert!(
                        ["TYPE", "VERSION", "SLOT"].contains(&key.as_str()),
                        "{rel}: deleting {key} is refused by the parser"
                    );
                    continue;
                };
                let ps = pf.device_problems();
                tried += 1;
                if key == "BPMx24" || key == "TRIM_BARSx100" {
                    // optional: a block has BPMx24 or TRIM_BARSx100 (or neither)
                    assert_eq!(ps, vec![], "{rel}: [SAMPLE] without {key}");
                    continue;
                }
                let want = if key == "TRIG_MODE_MIDI" {
                    "expected 8 TRIG_MODE_MIDI lines".to_string()
                } else {
                    format!("has no {key} key")
                };
                // a missing key is reported at the section's header; a missing
                // TRIG_MODE_MIDI line where the 8th should be, at the section's end
                let at = if key == "TRIG_MODE_MIDI" {
                    close - 1
                } else {
                    open
                };
                assert!(
                    errors(&ps)
                        .iter()
                        .any(|p| p.message.contains(&want) && p.line == at + 1),
                    "{rel}: [{name}] without {key}: {ps:?}"
                );
            }
        }
        // 1 META key (OS_VERSION) + 55 settings + 8 TRIG_MODE_MIDI + 15 states + 6 sample keys
        assert_eq!(tried, 1 + 55 + 8 + 15 + 6, "{rel}");
    }
}

#[test]
fn every_duplicated_key_and_slot_line_is_an_error() {
    for rel in DEVICE_FILES {
        let Some(bytes) = read(rel) else { return };
        let l = lines(&bytes);
        for name in ["META", "SETTINGS", "STATES", "SAMPLE"] {
            let (open, close) = section(&l, name);
            for i in open + 1..close {
                let key = l[i].split('=').next().unwrap().to_string();
                let mut dup = l.clone();
                dup.insert(i + 1, l[i].clone());
                let Ok(pf) = ProjectFile::parse(&join(&dup)) else {
                    panic!("{rel}: a duplicate {key} still parses");
                };
                let ps = pf.device_problems();
                let e = errors(&ps);
                assert_eq!(e.len(), 1, "{rel}: duplicate {key}: {ps:?}");
                if key == "TRIG_MODE_MIDI" {
                    assert!(e[0].message.contains("found 9"), "{}", e[0]);
                } else {
                    assert_eq!(e[0].line, i + 2, "{rel}: duplicate {key} at its line");
                    assert!(
                        e[0].message.contains(&format!(
                            "{key} appears again in [{name}] (first at line {})",
                            i + 1
                        )),
                        "{rel}: {}",
                        e[0]
                    );
                }
            }
        }
        // A second [SETTINGS] section.
        let (open, close) = section(&l, "SETTINGS");
        let mut twice = l.clone();
        for (n, line) in l[open..=close].iter().enumerate() {
            twice.insert(close + 1 + n, line.clone());
        }
        let ps = problems(&join(&twice));
        assert!(
            errors(&ps)
                .iter()
                .any(|p| p.line == close + 2 && p.message.contains("a second [SETTINGS] section")),
            "{rel}: {ps:?}"
        );
    }
}

/// A key's device range and default, written from the device's files (defaults: the
/// corpus blank projects) and `docs/octatrack-formats.md` §3.3-3.5 / the manual (ranges).
struct Row {
    key: &'static str,
    default: i64,
    min: i64,
    max: i64,
}

const fn r(key: &'static str, default: i64, min: i64, max: i64) -> Row {
    Row {
        key,
        default,
        min,
        max,
    }
}

/// `[SETTINGS]` in device order. bool = 0..1; channels -1 (AUTO/OFF) or 0..15 (1..16);
/// tempo 30..300 BPM x 24; 7-bit levels 0..127; metronome numerator 1..16 stored -1,
/// denominator 1..16 stored as the power of 2; preroll 0..16 bars; 8 recorders.
/// Where the doc gives no range (chain behaviour, recorder length) the row says so.
const SETTINGS: &[Row] = &[
    r("WRITEPROTECTED", 0, 0, 1),
    r("TEMPOx24", 2880, 720, 7200),
    r("PATTERN_TEMPO_ENABLED", 0, 0, 1),
    r("MIDI_CLOCK_SEND", 0, 0, 2), // doc: 2 seen in real files
    r("MIDI_CLOCK_RECEIVE", 0, 0, 2),
    r("MIDI_TRANSPORT_SEND", 0, 0, 1),
    r("MIDI_TRANSPORT_RECEIVE", 0, 0, 1),
    r("MIDI_PROGRAM_CHANGE_SEND", 0, 0, 1),
    r("MIDI_PROGRAM_CHANGE_SEND_CH", -1, -1, 15),
    r("MIDI_PROGRAM_CHANGE_RECEIVE", 0, 0, 1),
    r("MIDI_PROGRAM_CHANGE_RECEIVE_CH", -1, -1, 15),
    r("MIDI_TRIG_CH1", 0, -1, 15),
    r("MIDI_TRIG_CH2", 1, -1, 15),
    r("MIDI_TRIG_CH3", 2, -1, 15),
    r("MIDI_TRIG_CH4", 3, -1, 15),
    r("MIDI_TRIG_CH5", 4, -1, 15),
    r("MIDI_TRIG_CH6", 5, -1, 15),
    r("MIDI_TRIG_CH7", 6, -1, 15),
    r("MIDI_TRIG_CH8", 7, -1, 15),
    r("MIDI_AUTO_CHANNEL", 10, -1, 15),
    r("MIDI_SOFT_THRU", 0, 0, 1),
    r("MIDI_AUDIO_TRK_CC_IN", 1, 0, 1),
    r("MIDI_AUDIO_TRK_CC_OUT", 3, 0, 3), // INT / EXT / INT+EXT, default 3
    r("MIDI_AUDIO_TRK_NOTE_IN", 1, 0, 3), // OFF / STANDARD / FOLLOW TM / MAP-TRACK
    r("MIDI_AUDIO_TRK_NOTE_OUT", 3, 0, 3),
    r("MIDI_MIDI_TRK_CC_IN", 1, 0, 3),
    r("PATTERN_CHANGE_CHAIN_BEHAVIOR", 0, 0, 255), // no documented range: one byte
    r("PATTERN_CHANGE_AUTO_SILENCE_TRACKS", 0, 0, 1),
    r("PATTERN_CHANGE_AUTO_TRIG_LFOS", 0, 0, 1),
    r("LOAD_24BIT_FLEX", 0, 0, 1),
    r("DYNAMIC_RECORDERS", 0, 0, 1),
    r("RECORD_24BIT", 0, 0, 1),
    r("RESERVED_RECORDER_COUNT", 8, 0, 8),
    r("RESERVED_RECORDER_LENGTH", 16, 0, 65535), // no documented range: 16 bits
    r("INPUT_DELAY_COMPENSATION", 0, 0, 1),
    r("GATE_AB", 127, 0, 127),
    r("GATE_CD", 127, 0, 127),
    r("GAIN_AB", 64, 0, 127),
    r("GAIN_CD", 64, 0, 127),
    r("DIR_AB", 0, 0, 127),
    r("DIR_CD", 0, 0, 127),
    r("PHONES_MIX", 64, 0, 127),
    r("MAIN_TO_CUE", 0, 0, 127),
    r("MASTER_TRACK", 0, 0, 1),
    r("CUE_STUDIO_MODE", 0, 0, 1),
    r("MAIN_LEVEL", 64, 0, 127),
    r("CUE_LEVEL", 64, 0, 127),
    r("METRONOME_TIME_SIGNATURE", 3, 0, 15),
    r("METRONOME_TIME_SIGNATURE_DENOMINATOR", 2, 0, 4),
    r("METRONOME_PREROLL", 0, 0, 16),
    r("METRONOME_CUE_VOLUME", 32, 0, 127),
    r("METRONOME_MAIN_VOLUME", 0, 0, 127),
    r("METRONOME_PITCH", 12, 0, 127),
    r("METRONOME_TONAL", 1, 0, 1),
    r("METRONOME_ENABLED", 0, 0, 1),
];

/// `[STATES]` in device order: bank A..P, pattern 1..16, 8 arrangements, 4 parts,
/// 8 tracks (MIDI mode is its own key), 8-track bit masks.
const STATES: &[Row] = &[
    r("BANK", 0, 0, 15),
    r("PATTERN", 0, 0, 15),
    r("ARRANGEMENT", 0, 0, 7),
    r("ARRANGEMENT_MODE", 0, 0, 255),
    r("PART", 0, 0, 3),
    r("TRACK", 0, 0, 7),
    r("TRACK_OTHERMODE", 0, 0, 255),
    r("SCENE_A_MUTE", 0, 0, 1),
    r("SCENE_B_MUTE", 0, 0, 1),
    r("TRACK_CUE_MASK", 0, 0, 255),
    r("TRACK_MUTE_MASK", 0, 0, 255),
    r("TRACK_SOLO_MASK", 0, 0, 255),
    r("MIDI_TRACK_MUTE_MASK", 0, 0, 255),
    r("MIDI_TRACK_SOLO_MASK", 0, 0, 255),
    r("MIDI_MODE", 0, 0, 255),
];

/// `[SAMPLE]` keys of a recorder block (defaults: the blank project's FLEX 129):
/// BPMx24 30..300 BPM, TSMODE 0..3, LOOPMODE 0..2, GAIN 0..96 (-24..+24 dB),
/// TRIGQUANTIZATION -1 (direct) .. 16.
const SAMPLE: &[Row] = &[
    r("BPMx24", 2880, 720, 7200),
    r("TSMODE", 2, 0, 3),
    r("LOOPMODE", 0, 0, 2),
    r("GAIN", 72, 0, 96),
    r("TRIGQUANTIZATION", -1, -1, 16),
];

fn set_line(l: &[String], i: usize, key: &str, v: i64) -> Vec<u8> {
    let mut x = l.to_vec();
    x[i] = format!("{key}={v}");
    join(&x)
}

#[test]
fn key_table_defaults_and_ranges() {
    for rel in [
        "ot/blank-1.40B/project.work",
        "ot/template-1.40B/project.work",
    ] {
        let Some(bytes) = read(rel) else { return };
        let l = lines(&bytes);
        let pf = ProjectFile::parse(&bytes).unwrap();
        for (name, table) in [
            ("SETTINGS", SETTINGS),
            ("STATES", STATES),
            ("SAMPLE", SAMPLE),
        ] {
            let (open, close) = section(&l, name);
            let keys: Vec<&str> = l[open + 1..close]
                .iter()
                .map(|x| x.split('=').next().unwrap())
                .filter(|k| !["TRIG_MODE_MIDI", "TYPE", "SLOT", "PATH"].contains(k))
                .collect();
            let want: Vec<&str> = table.iter().map(|r| r.key).collect();
            assert_eq!(keys, want, "{rel}: [{name}] keys in device order");
            for row in table {
                let i = (open + 1..close)
                    .find(|&i| l[i].starts_with(&format!("{}=", row.key)))
                    .unwrap();
                assert_eq!(
                    l[i],
                    format!("{}={}", row.key, row.default),
                    "{rel}: default of {}",
                    row.key
                );
                let line_problems = |v: i64| -> Vec<Problem> {
                    problems(&set_line(&l, i, row.key, v))
                        .into_iter()
                        .filter(|p| p.line == i + 1)
                        .collect()
                };
                for ok in [row.min, row.max] {
                    assert_eq!(line_problems(ok), vec![], "{rel}: {}={ok}", row.key);
                }
                for bad in [row.min - 1, row.max + 1] {
                    let ps = line_problems(bad);
                    assert_eq!(ps.len(), 1, "{rel}: {}={bad}: {ps:?}", row.key);
                    assert_eq!(ps[0].severity, Severity::Warning);
                    assert!(
                        ps[0].message.starts_with(&format!(
                            "{}={bad} is outside the device's range {}..{}",
                            row.key, row.min, row.max
                        )),
                        "{}",
                        ps[0]
                    );
                }
                // The setters accept the device range and refuse what lies outside.
                let mut e = pf.clone();
                let set = |e: &mut ProjectFile, v: i64| match name {
                    "SETTINGS" => e.set_setting(row.key, v),
                    "STATES" => e.set_state(row.key, v),
                    _ => Ok(()),
                };
                if name != "SAMPLE" {
                    for ok in [row.min, row.max] {
                        set(&mut e, ok).unwrap_or_else(|x| panic!("{}={ok}: {x}", row.key));
                    }
                    for bad in [row.min - 1, row.max + 1] {
                        assert!(set(&mut e, bad).is_err(), "{}={bad} accepted", row.key);
                    }
                }
            }
        }
        // TRIG_MODE_MIDI (8 lines): track / chromatic, 0..1.
        let (open, _) = section(&l, "SETTINGS");
        let i = find(&l, open, "TRIG_MODE_MIDI=0");
        assert!(problems(&set_line(&l, i, "TRIG_MODE_MIDI", 1)).is_empty());
        let ps = problems(&set_line(&l, i, "TRIG_MODE_MIDI", 2));
        assert!(ps.len() == 1 && ps[0].line == i + 1, "{ps:?}");
        // SLOT: FLEX 1..136 (129..136 recorders), STATIC 1..128 are refused by the parser.
        let s = find(&l, 0, "SLOT=129");
        let mut x = l.clone();
        x[s] = "SLOT=137".into();
        let err = ProjectFile::parse(&join(&x)).unwrap_err().to_string();
        assert!(err.contains(&format!("line {}", s + 1)), "{err}");
    }
}

/// hello-flex's project.work rewritten as ot-tools writes it: unpadded `SLOT=1`,
/// `TRIM_BARSx100=0` where the device writes `BPMx24=2880`, `TRIGQUANTIZATION=255`.
fn ot_tools_style(device: &[u8]) -> Vec<u8> {
    let l: Vec<String> = lines(device)
        .into_iter()
        .map(|x| {
            if let Some(n) = x.strip_prefix("SLOT=") {
                format!("SLOT={}", n.trim_start_matches('0'))
            } else if x == "TRIGQUANTIZATION=-1" {
                "TRIGQUANTIZATION=255".into()
            } else if x.starts_with("BPMx24=") {
                "TRIM_BARSx100=0".into()
            } else {
                x
            }
        })
        .collect();
    join(&l)
}

#[test]
fn ot_tools_values_read_as_the_device_does_and_stay_exact() {
    let Some(device) = read("ot/hello-flex/project/project.work") else {
        return;
    };
    let bytes = ot_tools_style(&device);
    assert!(bytes.windows(6).any(|w| w == b"SLOT=1"));
    let pf = ProjectFile::parse(&bytes).unwrap();
    assert_eq!(pf.to_bytes(), bytes, "read and written back unchanged");
    let slots = pf.slots();
    assert!(slots.len() >= 20);
    for s in &slots {
        assert_eq!(s.trig_quant, Some(TrigQuant::Direct), "{}", s.slot);
    }
    let f1 = pf.slot(SlotRef::Flex(1)).unwrap();
    assert_eq!(f1.path, "../AUDIO/projects/HELLO FLEX/Electrokik.wav");
    // Warnings, one per TRIGQUANTIZATION=255 line, naming the line; no errors.
    let l = lines(&bytes);
    let q_lines: Vec<usize> = (0..l.len())
        .filter(|&i| l[i] == "TRIGQUANTIZATION=255")
        .map(|i| i + 1)
        .collect();
    let ps = pf.device_problems();
    assert_eq!(errors(&ps), Vec::<&Problem>::new());
    assert_eq!(ps.iter().map(|p| p.line).collect::<Vec<_>>(), q_lines);
    assert!(
        ps[0].to_string().contains(
            "TRIGQUANTIZATION=255 is outside the device's range -1..16 (read as -1, direct"
        )
    );

    // Edit something else: only those lines change.
    let mut e = pf.clone();
    e.set_tempo_x24(3027).unwrap();
    e.set_slot_attr(SlotRef::Flex(2), SlotAttr::Gain(50))
        .unwrap();
    // Setting what a line already means keeps it as written.
    e.set_slot_attr(SlotRef::Flex(3), SlotAttr::TrigQuant(TrigQuant::Direct))
        .unwrap();
    e.set_slot_attr(SlotRef::Flex(3), SlotAttr::TrimBarsX100(0))
        .unwrap();
    let out = lines(&e.to_bytes());
    assert_eq!(out.len(), l.len());
    let changed: Vec<(usize, &str)> = (0..l.len())
        .filter(|&i| out[i] != l[i])
        .map(|i| (i, out[i].as_str()))
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert_eq!(changed[0].1, "TEMPOx24=3027");
    assert_eq!(changed[1].1, "GAIN=50");
    // A block copied from it into another file keeps its values (and reads the same).
    let mut blank = ProjectFile::parse(&read("ot/blank-1.40B/project.work").unwrap()).unwrap();
    let mut block: SampleSlot = pf.slot(SlotRef::Flex(1)).unwrap();
    block.gain = Some(120); // what otio's own range (24..120) allows
    blank.add_slot(&block).unwrap();
    let got = blank.slot(SlotRef::Flex(1)).unwrap();
    assert_eq!(got.gain, Some(120));
    assert_eq!(got.trim_bars_x100, Some(0));
    // ... but a new out-of-range value set by an edit is refused.
    assert!(
        blank
            .set_slot_attr(SlotRef::Flex(1), SlotAttr::Gain(121))
            .is_err()
    );
}

fn octa(args: &[&str]) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn p(x: &Path) -> String {
    x.to_string_lossy().into_owned()
}

#[test]
fn octa_check_and_copy_on_an_ot_tools_project() {
    let (Some(hello), Some(samples), Some(multi)) = (
        corpus("ot/hello-flex/project"),
        corpus("ot/hello-flex/samples"),
        corpus("ot/multipart"),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let src: PathBuf = tmp.path().join("a/HELLO");
    copy_dir(&hello, &src);
    copy_dir(&samples, &tmp.path().join("a/AUDIO/projects/HELLO FLEX"));
    let styled = ot_tools_style(&std::fs::read(hello.join("project.work")).unwrap());
    std::fs::write(src.join("project.work"), &styled).unwrap();
    let dst = tmp.path().join("b/MULTI");
    copy_dir(&multi, &dst);
    std::fs::create_dir_all(tmp.path().join("b/AUDIO")).unwrap();

    let (ok, out) = octa(&["check", &p(&src.join("project.work"))]);
    assert!(ok, "{out}");
    let first = lines(&styled)
        .iter()
        .position(|x| x == "TRIGQUANTIZATION=255")
        .unwrap();
    assert!(
        out.contains(&format!(
            "project.work: warning: line {}: TRIGQUANTIZATION=255 is outside",
            first + 1
        )),
        "{out}"
    );
    assert!(out.contains(" 0 errors"), "{out}");

    let (ok, out) = octa(&[
        "copy",
        "--dry-run",
        &format!("{}:A", p(&src)),
        &format!("{}:B", p(&dst)),
    ]);
    assert!(ok, "{out}");
    let (ok, out) = octa(&["copy", &format!("{}:A", p(&src)), &format!("{}:B", p(&dst))]);
    assert!(ok, "{out}");
    assert_eq!(
        std::fs::read(src.join("project.work")).unwrap(),
        styled,
        "the source is untouched"
    );
    let (ok, out) = octa(&["check", &p(&dst)]);
    assert!(ok && out.contains("0 errors, 0 warnings"), "{out}");
    let pf = ProjectFile::parse(&std::fs::read(dst.join("project.work")).unwrap()).unwrap();
    let f1 = pf
        .slots()
        .into_iter()
        .find(|s| s.path.ends_with("Electrokik.wav"))
        .unwrap();
    assert_eq!(f1.trig_quant, Some(TrigQuant::Direct));

    // Opened as a project, edited elsewhere and saved: only the edited line changes.
    let mut proj =
        octa::project::Project::open(&src, &octa::project::OpenOptions::default()).unwrap();
    let mut pf = octa::project::slots::project_file(&proj).unwrap();
    pf.set_tempo_x24(3027).unwrap();
    octa::project::slots::set_project_file(&mut proj, &pf);
    proj.save(false).unwrap();
    let saved = lines(&std::fs::read(src.join("project.work")).unwrap());
    let before = lines(&styled);
    assert_eq!(saved.len(), before.len());
    let changed: Vec<&String> = (0..saved.len())
        .filter(|&i| saved[i] != before[i])
        .map(|i| &saved[i])
        .collect();
    assert_eq!(changed, vec!["TEMPOx24=3027"]);

    // octa check on damaged files: errors naming the file and line, exit 1.
    let l = lines(&std::fs::read(hello.join("project.work")).unwrap());
    let bad = tmp.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let tempo = l.iter().position(|x| x.starts_with("TEMPOx24=")).unwrap();
    let mut no_tempo = l.clone();
    no_tempo.remove(tempo);
    std::fs::write(bad.join("project.work"), join(&no_tempo)).unwrap();
    let (ok, out) = octa(&["check", &p(&bad)]);
    let (open, _) = section(&l, "SETTINGS");
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("project.work: line {}: [SETTINGS]", open + 1))
            && out.contains("has no TEMPOx24 key"),
        "{out}"
    );
}
