#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa script` part setup: `project.add_sample`, `bank(n).part(n).track(n)` machines, page
//! values by the device's names, FX types, scene locks, recorder sources, and one-line
//! assignments through method chains (`track.step(5).condition = ..`). The bytes are read
//! back by offset from the format document (bank §4.1, part §4.10, scenes §4.11, project
//! `[SAMPLE]` blocks §3.5, markers §5), not through octa's decoder; `octa check` is clean.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn octa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-script-part-test-data"),
        )
        .output()
        .expect("run octa")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A 16-bit stereo 44.1 kHz PCM WAV of `frames` frames.
fn wav(frames: u32) -> Vec<u8> {
    let data = frames * 4;
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes()); // PCM
    v.extend_from_slice(&2u16.to_le_bytes()); // channels
    v.extend_from_slice(&44100u32.to_le_bytes());
    v.extend_from_slice(&(44100u32 * 4).to_le_bytes());
    v.extend_from_slice(&4u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data.to_le_bytes());
    v.resize(v.len() + data as usize, 0);
    v
}

/// A set with `AUDIO/kick.wav` (1000 frames), `AUDIO/loops/hat.wav` (2000 frames) and a new
/// blank project `PROJ`.
fn set(tag: &str) -> (PathBuf, PathBuf) {
    let root = std::env::temp_dir().join(format!("octa-script-part-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("AUDIO/loops")).unwrap();
    fs::write(root.join("AUDIO/kick.wav"), wav(1000)).unwrap();
    fs::write(root.join("AUDIO/loops/hat.wav"), wav(2000)).unwrap();
    let proj = root.join("PROJ");
    let empty = root.join("empty.rhai");
    fs::write(&empty, "").unwrap();
    let o = octa(&["script", p(&empty), p(&proj), "--new"]);
    assert!(o.status.success(), "{}", text(&o));
    (root, proj)
}

fn check_clean(dir: &Path) {
    let o = octa(&["check", p(dir)]);
    let t = text(&o);
    assert!(o.status.success(), "octa check: {t}");
    assert!(t.contains("0 errors, 0 warnings"), "octa check: {t}");
}

fn run(root: &Path, proj: &Path, src: &str) -> Output {
    let script = root.join("s.rhai");
    fs::write(&script, src).unwrap();
    octa(&["script", p(&script), p(proj)])
}

const PARTS_AT: usize = 585430;
const PART_LEN: usize = 6331;
const EDITED_MASK_AT: usize = 636082;

/// Byte `off` of working part `part` (0-based) of bank file `bank` (1-based).
fn part_byte(bytes: &[u8], part: usize, off: usize) -> u8 {
    assert_eq!(&bytes[PARTS_AT + part * PART_LEN..][..4], b"PART");
    bytes[PARTS_AT + part * PART_LEN + off]
}

fn u32_be(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

#[test]
fn part_setup_and_samples_write_the_device_bytes() {
    let (root, proj) = set("setup");
    let o = run(
        &root,
        &proj,
        r##"
let kick = project.add_sample("kick.wav");
let hat = project.add_sample("loops/hat.wav", "static");
let again = project.add_sample("kick.wav");
print(`slots ${kick} ${hat} ${again}`);
let part = project.bank(1).part(2);
part.track(1).configure_flex(kick);
part.track(2).configure_static(hat);
part.track(3).configure_thru();
part.track(4).configure_neighbor();
part.track(5).configure_pickup();
part.track(6).configure_recorder_playback(3);
part.track(1).amp.VOL = "+10";
part.track(1).amp["ATK"] = 20;
part.track(1).src.PTCH = -12;
part.track(1).lfo(2).SPD = 50;
part.track(1).lfo(3).DEP = 7;
part.track(1).fx1_type = "LO-FI";
part.track(1).fx2_type = "dark reverb";
part.track(1).fx1["DIST"] = "#100";
part.scene(3).lock(2, "VOL", "-20");
part.scene(16).lock(8, "XLV", 0);
project.configure_recorder_buffer(4, "C");
project.bank(2).part(1).track(7).configure_recorder("T2");
if part.track(1).machine != "FLEX" { throw "machine " + part.track(1).machine; }
if part.track(1).amp.VOL != "+10" { throw "VOL " + part.track(1).amp.VOL; }
"##,
    );
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("slots 1 1 1"), "{t}");
    assert!(
        t.contains("changed: project.work, bank01.work,") && t.contains("markers.work"),
        "{t}"
    );

    let b = fs::read(proj.join("bank01.work")).unwrap();
    let part = 1;
    // Machine types at part+43: FLEX 1, STATIC 0, THRU 2, NEIGHBOR 3, PICKUP 4, FLEX 1.
    let machines: Vec<u8> = (0..6).map(|t| part_byte(&b, part, 43 + t)).collect();
    assert_eq!(machines, [1, 0, 2, 3, 4, 1]);
    // Slot records at part+723, 5 bytes per track: static byte 0, flex byte 1 (0-based,
    // 128..135 = recorder buffers).
    assert_eq!(part_byte(&b, part, 723 + 1), 0, "T1 flex slot 1");
    assert_eq!(part_byte(&b, part, 723 + 5), 0, "T2 static slot 1");
    assert_eq!(part_byte(&b, part, 723 + 5 * 5 + 1), 130, "T6 recorder 3");
    // Track page values at part+291, 24 per track: LFO SPD1-3 DEP1-3, AMP ATK HOLD REL VOL
    // BAL F, FX1, FX2.
    let tv = |i: usize| part_byte(&b, part, 291 + i);
    assert_eq!(tv(1), 50, "LFO SPD2");
    assert_eq!(tv(5), 7, "LFO DEP3");
    assert_eq!(tv(6), 20, "AMP ATK");
    assert_eq!(tv(9), 74, "AMP VOL +10 (64 + 10)");
    // SRC PTCH of the Flex machine: part+51 + track*30 + 6 (Flex sub-record).
    assert_eq!(part_byte(&b, part, 51 + 6), 52, "PTCH -12 (64 - 12)");
    // FX types at part+9 / +17.
    let fx1 = part_byte(&b, part, 9);
    let fx2 = part_byte(&b, part, 17);
    assert_eq!(fx1, 28, "LO-FI (format doc §9.9)");
    assert_eq!(fx2, 22, "DARK REVERB (format doc §9.9)");
    assert_eq!(tv(12), 100, "FX1 DIST raw #100");
    // Choosing an effect loads its defaults, as the device does (§9.9: DARK REVERB
    // 24,0,127,0,127,0).
    assert_eq!(
        (18..24).map(tv).collect::<Vec<_>>(),
        [24, 0, 127, 0, 127, 0]
    );
    // Other tracks untouched: track 2's AMP VOL keeps the default 64.
    assert_eq!(part_byte(&b, part, 291 + 24 + 9), 64);
    // Scenes at part+1643 + scene*256 + track*32: scene 3 track 2 VOL (slot 15) = 44,
    // scene 16 track 8 XLV (slot 17) = 0; a neighbour byte stays 255.
    assert_eq!(part_byte(&b, part, 1643 + 2 * 256 + 32 + 15), 44);
    assert_eq!(part_byte(&b, part, 1643 + 15 * 256 + 7 * 32 + 17), 0);
    assert_eq!(part_byte(&b, part, 1643 + 2 * 256 + 32 + 14), 255);
    // Recorder setup at part+1547 + track*12: INAB, INCD, .., SRC3 (byte 4), in every part.
    for pt in 0..4 {
        let r = 1547 + 3 * 12;
        assert_eq!(
            [
                part_byte(&b, pt, r),
                part_byte(&b, pt, r + 1),
                part_byte(&b, pt, r + 4)
            ],
            [0, 2, 0],
            "part {pt} T4 records C"
        );
    }
    // The working parts changed: edited bits set (bank 1: all four parts, by the recorder).
    assert_eq!(b[EDITED_MASK_AT] & 0x0F, 0x0F);
    // The saved copy of part 2 (at 610754 + 6331) is untouched: T1 still STATIC.
    assert_eq!(b[610754 + PART_LEN + 43], 0);
    let b2 = fs::read(proj.join("bank02.work")).unwrap();
    let r = 1547 + 6 * 12;
    assert_eq!(
        [
            part_byte(&b2, 0, r),
            part_byte(&b2, 0, r + 1),
            part_byte(&b2, 0, r + 4)
        ],
        [0, 0, 2],
        "bank 2 part 1 T7 records T2"
    );

    // project.work: the two [SAMPLE] blocks (§3.5).
    let pw = fs::read_to_string(proj.join("project.work")).unwrap();
    let flex = pw
        .split("[SAMPLE]")
        .find(|b| b.contains("TYPE=FLEX") && b.contains("SLOT=001"))
        .expect("FLEX 001 block");
    assert!(flex.contains("PATH=../AUDIO/kick.wav"), "{flex}");
    let st = pw
        .split("[SAMPLE]")
        .find(|b| b.contains("TYPE=STATIC") && b.contains("SLOT=001"))
        .expect("STATIC 001 block");
    assert!(st.contains("PATH=../AUDIO/loops/hat.wav"), "{st}");
    // markers.work (§5.1): Flex 1 at 22, Static 1 at 106646; trim end = the file's frames.
    let m = fs::read(proj.join("markers.work")).unwrap();
    assert_eq!(u32_be(&m, 22 + 4), 1000);
    assert_eq!(u32_be(&m, 106646 + 4), 2000);
    check_clean(&proj);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn chained_assignments_write_through() {
    let (root, proj) = set("chain");
    let o = run(
        &root,
        &proj,
        r#"
project.bank(1).pattern(1).audio_track(1).step(5).condition = "FILL";
project.bank(1).pattern(1).midi_track(2).step(9).note = 60;
project.bank(1).part(1).track(3).amp.VOL = "-4";
let t = project.bank(1).pattern(1).audio_track(1);
t.step(5).micro_timing = 6;
t.step(7).active = true;
"#,
    );
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    let b = fs::read(proj.join("bank01.work")).unwrap();
    // Pattern 1 at 22; audio track 1 at pattern+... read through the step word: the format
    // doc §4.3 puts the 64 step words at track+...; decode with octa's format module for the
    // pattern (its offsets are tested against the corpus elsewhere) and the part by offset.
    let bank = octa::format::Bank::from_bytes(&b).unwrap().0;
    let pat = bank.pattern(0).unwrap();
    assert_eq!(
        pat.audio[0].condition(4),
        octa::format::types::TrigCondition::Fill
    );
    assert_eq!(pat.audio[0].micro_timing(4).0, 6);
    assert_eq!(
        pat.audio[0].step_kind(6),
        octa::format::bank::StepKind::Trig
    );
    assert_eq!(
        pat.midi[1].plock(8, octa::format::bank::midi_slot::NOTE),
        Some(60)
    );
    assert_eq!(part_byte(&b, 0, 291 + 2 * 24 + 9), 60, "T3 AMP VOL -4");
    check_clean(&proj);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn bad_samples_and_names_fail_at_their_line_and_change_nothing() {
    let (root, proj) = set("bad");
    let before: Vec<Vec<u8>> = ["project.work", "bank01.work", "markers.work"]
        .iter()
        .map(|f| fs::read(proj.join(f)).unwrap())
        .collect();
    let cases: &[(&str, &str)] = &[
        (
            "project.bank(1).part(1).track(1).amp.VOL = 3;\nlet s = project.add_sample(\"missing.wav\");\n",
            ":2:",
        ),
        ("\n\nproject.add_sample(\"../../etc/passwd.wav\");", ":3:"),
        ("project.add_sample(\"kick.mp3\");", "WAV or AIFF"),
        (
            "project.bank(1).part(1).track(1).amp.NOPE = 3;",
            "no parameter \"NOPE\" on the AMP page",
        ),
        (
            "project.bank(1).part(1).track(1).fx1_type = \"DARK REVERB\";",
            "FX1 type \"DARK REVERB\"",
        ),
        (
            "project.configure_recorder_buffer(1, \"X\");",
            "recorder source \"X\"",
        ),
        (
            "project.bank(1).part(5).track(1).configure_thru();",
            "part 5: expected 1..=4",
        ),
        (
            "project.bank(1).part(1).track(1).configure_flex(129);",
            "slot 129: expected 1..=128",
        ),
    ];
    for (src, want) in cases {
        let o = run(&root, &proj, src);
        let t = text(&o);
        assert!(!o.status.success(), "{src}: {t}");
        assert!(t.contains(want), "{src}: {t}");
    }
    let after: Vec<Vec<u8>> = ["project.work", "bank01.work", "markers.work"]
        .iter()
        .map(|f| fs::read(proj.join(f)).unwrap())
        .collect();
    assert!(before == after, "a failed script changed files");
    let _ = fs::remove_dir_all(&root);
}
