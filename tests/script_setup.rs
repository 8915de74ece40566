#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa script` LFO setup (`track.lfo(n).dest/wave/mult/trig`, `track.lfo_design`,
//! `track.lfo_interpolation`), MIDI track part setup (`part.midi_track(n)`: channel,
//! bank/program, CC numbers, arp setup, page values) and `add_sample` on a `--new` project.
//! The bytes are read back at offsets from the format document (part §4.10: track page setups
//! at +763, 30 bytes a track = LFO-A(6) AMP(6) FX1(6) FX2(6) LFO-B(6); MIDI page values at
//! +1003, 32 a track; MIDI setups at +1259, 36 a track = NOTE(6) LFO-A(6) ARP(6) CC1(6) CC2(6)
//! LFO-B(6); §4.13 designs at +5899 / +6043, masks at +6027 / +6171, arp sequences at +6203),
//! not through octa's decoder; codes from the device's lists (waveforms TRI=0 .. RND=10,
//! T1..T8 = 11..18; multipliers 1X=0 .. 64X=6; trig modes FREE TRIG HOLD ONE HALF = 0..4;
//! a destination = the lock-record slot: AMP BAL 16, FX1 first parameter 18).

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

#[test]
fn lfo_setup_and_designs_write_the_device_bytes() {
    let (root, proj) = set("lfo");
    let o = run(
        &root,
        &proj,
        r##"
let t = project.bank(1).part(1).track(3);
t.lfo(1).dest = "BAL";          // AMP BAL, slot 16
t.lfo(2).dest = "FX1 BASE";     // slot 18
t.lfo(3).DEST = "SRC PTCH";     // slot 0
t.lfo(1).wave = "SQR";          // 4
t.lfo(3).WAVE = "T3";           // 13
t.lfo(2).mult = "16X";          // 4
t.lfo(3).mult = 64;             // 6
t.lfo(1).trig = "ONE";          // 3
t.lfo(2)["TRIG"] = "half";      // 4
t.lfo(1).SPD = 40;
let d = [];
for i in 0..16 { d.push(i * 8 - 64); }
d[0] = 127; d[1] = -128; d[15] = -1;
t.lfo_design = d;
t.lfo_interpolation = [1, 9, 16];
print(`dest ${t.lfo(1).dest} ${t.lfo(2).dest} wave ${t.lfo(3).wave} mult ${t.lfo(3).mult} trig ${t.lfo(2).trig}`);
print(`design ${t.lfo_design[1]} ${t.lfo_design[15]} interp ${t.lfo_interpolation}`);
let m = project.bank(1).part(1).midi_track(2);
m.lfo(1).dest = "VEL";          // MIDI slot 1
m.lfo(1).mult = "4X";           // 2
m.lfo(2).wave = "RND";          // 10
m.lfo_design = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -16];
m.lfo_interpolation = [2];
"##,
    );
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("dest AMP BAL FX1 BASE wave T3 mult 64X trig HALF"),
        "{t}"
    );
    assert!(t.contains("design -128 -1 interp [1, 9, 16]"), "{t}");
    let b = fs::read(proj.join("bank01.work")).unwrap();
    let setup = 763 + 2 * 30; // track 3
    let a: Vec<u8> = (0..6).map(|i| part_byte(&b, 0, setup + i)).collect();
    assert_eq!(a, [16, 18, 0, 4, 0, 13], "LFO-A targets, waveforms");
    let lb: Vec<u8> = (0..6).map(|i| part_byte(&b, 0, setup + 24 + i)).collect();
    assert_eq!(lb, [0, 4, 6, 3, 4, 0], "LFO-B multipliers, trig modes");
    // The AMP setup between them keeps the blank part's `01 01 00 00 00 00`.
    assert_eq!(part_byte(&b, 0, setup + 6), 1);
    assert_eq!(part_byte(&b, 0, 291 + 2 * 24), 40, "LFO SPD1 value");
    let design: Vec<u8> = (0..16)
        .map(|i| part_byte(&b, 0, 5899 + 2 * 16 + i))
        .collect();
    let mut want: Vec<u8> = (0..16).map(|i| (i * 8 - 64) as i8 as u8).collect();
    want[0] = 0x7F;
    want[1] = 0x80;
    want[15] = 0xFF;
    assert_eq!(design, want);
    // Step 1 = byte 0 bit 0; steps 9 and 16 = byte 1 bits 0 and 7.
    assert_eq!(
        [part_byte(&b, 0, 6027 + 4), part_byte(&b, 0, 6027 + 5)],
        [0x01, 0x81]
    );
    // Other tracks untouched.
    assert_eq!(part_byte(&b, 0, 5899 + 16), 0);
    assert_eq!(part_byte(&b, 0, 763 + 30), 0);
    // MIDI track 2: LFO-A at +6 of its setup, LFO-B at +30.
    let ms = 1259 + 36;
    let ma: Vec<u8> = (0..6).map(|i| part_byte(&b, 0, ms + 6 + i)).collect();
    assert_eq!(ma, [1, 0, 0, 0, 10, 0]);
    assert_eq!(part_byte(&b, 0, ms + 30), 2);
    assert_eq!(part_byte(&b, 0, 6043 + 16 + 15), 0xF0);
    assert_eq!(part_byte(&b, 0, 6043 + 16), 1);
    assert_eq!(
        [part_byte(&b, 0, 6171 + 2), part_byte(&b, 0, 6171 + 3)],
        [0x02, 0]
    );
    // Part 1's edited bit.
    assert_eq!(b[EDITED_MASK_AT] & 1, 1);
    check_clean(&proj);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn midi_track_part_setup_writes_the_device_bytes() {
    let (root, proj) = set("midi");
    let o = run(
        &root,
        &proj,
        r##"
let m = project.bank(2).part(3).midi_track(4);
m.channel = 10;
m.bank = 2;
m.program = 5;
m.sbank = "OFF";
m.cc_number(1, 74);
m.cc_number(10, 20);
m.arp_len = 8;
m.arp_key = 3;
m.note.VEL = 90;
m.note["NOTE"] = "#60";
m.arp.MODE = "UP";
m.ctrl1.CC1 = 33;
m.ctrl2.CC5 = 99;
m.lfo(3).DEP = 12;
m.arp_sequence = [0, 12, -12, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -63];
let n = project.bank(2).part(3).midi_track(5);
n.cc_numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
n.program = ();
print(`chan ${m.channel} bank ${m.bank} prog ${m.program} sbank ${m.sbank} cc ${m.cc_number(1)} ${n.cc_numbers} mode ${m.arp.MODE}`);
"##,
    );
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("chan 10 bank 2 prog 5 sbank OFF cc 74 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] mode UP"),
        "{t}"
    );
    let b = fs::read(proj.join("bank02.work")).unwrap();
    let s = 1259 + 3 * 36; // MIDI track 4's setup
    let note: Vec<u8> = (0..6).map(|i| part_byte(&b, 2, s + i)).collect();
    // CHAN 10 = 9, BANK 2 = 1, PROG 5 = 4, SBANK OFF = 128.
    assert_eq!(note, [9, 1, 4, 0, 128, 0]);
    let arp: Vec<u8> = (0..6).map(|i| part_byte(&b, 2, s + 12 + i)).collect();
    assert_eq!(arp, [0, 0, 8, 0, 0, 3]);
    let cc1: Vec<u8> = (0..6).map(|i| part_byte(&b, 2, s + 18 + i)).collect();
    // CC1 74, CC2-4 the blank part's 1, 2, 10.
    assert_eq!(cc1, [0, 0, 74, 1, 2, 10]);
    let cc2: Vec<u8> = (0..6).map(|i| part_byte(&b, 2, s + 24 + i)).collect();
    assert_eq!(cc2, [71, 72, 73, 74, 75, 20]);
    let n = 1259 + 4 * 36;
    let all: Vec<u8> = [18 + 2, 18 + 3, 18 + 4, 18 + 5, 24, 25, 26, 27, 28, 29]
        .iter()
        .map(|&o| part_byte(&b, 2, n + o))
        .collect();
    assert_eq!(all, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(part_byte(&b, 2, n + 2), 128, "PROG () = OFF");
    let v = 1003 + 3 * 32; // MIDI track 4's page values
    assert_eq!(part_byte(&b, 2, v), 60, "NOTE");
    assert_eq!(part_byte(&b, 2, v + 1), 90, "VEL");
    assert_eq!(part_byte(&b, 2, v + 11), 12, "DEP3");
    assert_eq!(part_byte(&b, 2, v + 14), 1, "ARP MODE UP");
    assert_eq!(part_byte(&b, 2, v + 20), 33, "CC1 value");
    assert_eq!(part_byte(&b, 2, v + 24), 99, "CC5 value");
    let seq: Vec<u8> = (0..4)
        .map(|i| part_byte(&b, 2, 6203 + 3 * 16 + i))
        .collect();
    assert_eq!(seq, [0, 12, 0xF4, 7]);
    assert_eq!(part_byte(&b, 2, 6203 + 3 * 16 + 15), 0xC1);
    // Part 3's edited bit; bank 1 untouched.
    assert_eq!(b[EDITED_MASK_AT], 0b100);
    check_clean(&proj);

    let before = fs::read(proj.join("bank02.work")).unwrap();
    let cases: &[(&str, &str)] = &[
        (
            "\nproject.bank(1).part(1).midi_track(1).configure_flex(1);",
            ":2:",
        ),
        (
            "project.bank(1).part(1).midi_track(1).configure_flex(1);",
            "M1 is a MIDI track",
        ),
        (
            "project.bank(1).part(1).track(2).channel = 3;",
            "T2 is an audio track",
        ),
        (
            "project.bank(1).part(1).midi_track(1).channel = 17;",
            "CHAN",
        ),
        (
            "project.bank(1).part(1).midi_track(1).cc_number(11, 3);",
            "CC 11: expected 1..=10",
        ),
        (
            "project.bank(1).part(1).track(1).lfo(1).wave = \"BOGUS\";",
            "TRI, ITRI",
        ),
        (
            "project.bank(1).part(1).track(1).lfo(1).dest = \"NOPE\";",
            "LFO1 PMTR",
        ),
        (
            "project.bank(1).part(1).track(1).lfo(2).dest = \"VOL\";",
            "several pages of this track (AMP VOL, FX2 VOL)",
        ),
        (
            "project.bank(1).part(1).track(1).lfo_design = [1, 2];",
            "expected 16 numbers",
        ),
        (
            "project.bank(1).part(1).midi_track(9).channel = 1;",
            "MIDI track 9: expected 1..=8",
        ),
    ];
    for (src, want) in cases {
        let o = run(&root, &proj, src);
        let t = text(&o);
        assert!(!o.status.success(), "{src}: {t}");
        assert!(t.contains(want), "{src}: {t}");
    }
    assert!(fs::read(proj.join("bank02.work")).unwrap() == before);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn add_sample_on_a_new_project_in_the_same_run() {
    let (root, _) = set("new");
    let proj = root.join("FRESH");
    let script = root.join("n.rhai");
    fs::write(
        &script,
        "let k = project.add_sample(\"kick.wav\");\nproject.bank(1).part(1).track(1).configure_flex(k);\nprint(`slot ${k}`);\n",
    )
    .unwrap();
    let o = octa(&["script", p(&script), p(&proj), "--new"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("slot 1"), "{t}");
    let pw = fs::read_to_string(proj.join("project.work")).unwrap();
    assert!(pw.contains("PATH=../AUDIO/kick.wav"), "{pw}");
    let b = fs::read(proj.join("bank01.work")).unwrap();
    assert_eq!(part_byte(&b, 0, 43), 1, "T1 machine FLEX");
    assert_eq!(part_byte(&b, 0, 723 + 1), 0, "T1 Flex slot 1");
    check_clean(&proj);

    // A failing script on --new leaves no project behind.
    let bad = root.join("GONE");
    fs::write(&script, "project.add_sample(\"missing.wav\");\n").unwrap();
    let o = octa(&["script", p(&script), p(&bad), "--new"]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains(":1:"), "{t}");
    assert!(!bad.exists(), "a failed --new run left {}", bad.display());
    let _ = fs::remove_dir_all(&root);
}
