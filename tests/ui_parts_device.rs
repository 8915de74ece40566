#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The parts and settings views in the device's terms: names on screen checked against the
//! bytes of the corpus files read here independently (offsets and code tables from the format
//! doc, written in this file), edits of setup values, LFO designer steps and arp notes that
//! touch only their byte, the part's edited bit and the checksum, and undo.

use octa::format::bank::{BANK_LEN, EDITED_MASK_AT, PART_LEN, PARTS_AT};
use octa::ui::App;
use octa::ui::testing::{answer, app, open_corpus as open, press, screen};

// Facts from the format doc, independent of the code under test.
/// §9.10 LOOP codes (octapy order).
const LOOP: [&str; 4] = ["OFF", "ON", "PIPO", "AUTO"];
/// §9.10 TSTR codes.
const TSTR: [&str; 4] = ["OFF", "AUTO", "NORM", "BEAT"];
/// §4.10.5 / §9.7 QREC codes: 255 OFF, 0 PLEN, 1.. step counts.
fn quant(v: u8) -> String {
    const STEPS: [u16; 16] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
    match v {
        255 => "OFF".into(),
        0 => "PLEN".into(),
        n => STEPS[n as usize - 1].to_string(),
    }
}
/// Part block offsets (§4.10).
const MACHINE_TYPES: usize = 43;
const MACHINE_SETUPS: usize = 483;
const TRACK_SETUPS: usize = 763;
const MIDI_VALUES: usize = 1003;
const RECORDERS: usize = 1547;
const AUDIO_LFO_DESIGNS: usize = 5899;
const MIDI_LFO_DESIGNS: usize = 6043;
const ARP_SEQUENCES: usize = 6203;

fn corpus_file(rel: &str) -> Option<Vec<u8>> {
    let path = octa::testutil::corpus(rel)?;
    Some(std::fs::read(path).unwrap())
}

fn bank_bytes(a: &App) -> Vec<u8> {
    a.ctx.doc.bank(0).unwrap().to_bytes()
}

fn diff(a: &[u8], b: &[u8]) -> Vec<usize> {
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

/// The cells of the screen row whose label starts with `label` (12-wide label, 11-wide cells).
fn row_cells(s: &[String], label: &str) -> Vec<String> {
    let line = s
        .iter()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no row {label}: {s:#?}"));
    let chars: Vec<char> = line.chars().collect();
    (0..8)
        .map(|t| {
            let from = 12 + t * 12 + 1;
            chars[from..(from + 11).min(chars.len())]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

/// Asserts that the last `edits` edits changed exactly `at`, the part's edited bit (when it was
/// clear) and the checksum, then that undoing them restores every byte.
fn assert_byte_edits(a: &mut App, before: &[u8], part: usize, at: usize, want: u8, edits: usize) {
    let after = bank_bytes(a);
    assert_eq!(after[at], want, "byte {at}");
    let mut allowed = vec![at, BANK_LEN - 2, BANK_LEN - 1];
    if before[EDITED_MASK_AT] & (1 << part) == 0 {
        allowed.push(EDITED_MASK_AT);
    }
    let got = diff(before, &after);
    assert!(got.contains(&at));
    assert!(
        got.iter().all(|i| allowed.contains(i)),
        "{got:?} vs {allowed:?}"
    );
    assert_eq!(after[EDITED_MASK_AT], before[EDITED_MASK_AT] | (1 << part));
    let sum = after[16..BANK_LEN - 2]
        .iter()
        .fold(0u16, |s, &b| s.wrapping_add(b as u16));
    assert_eq!(
        u16::from_be_bytes([after[BANK_LEN - 2], after[BANK_LEN - 1]]),
        sum,
        "checksum"
    );
    for _ in 0..edits {
        press(a, &["ctrl+z"]);
    }
    assert_eq!(
        diff(before, &bank_bytes(a)),
        [0usize; 0],
        "undo restores the file bytes"
    );
    for _ in 0..edits {
        press(a, &["ctrl+y"]);
    }
    assert_eq!(diff(&after, &bank_bytes(a)), [0usize; 0], "redo");
    for _ in 0..edits {
        press(a, &["ctrl+z"]);
    }
}

/// [`assert_byte_edits`] for one edit.
fn assert_one_byte_edit(a: &mut App, before: &[u8], part: usize, at: usize, want: u8) {
    assert_byte_edits(a, before, part, at, want, 1)
}

#[test]
fn setup_names_on_screen_match_the_multipart_bytes() {
    let (Some(p), Some(bytes)) = (
        open("ot/multipart"),
        corpus_file("ot/multipart/bank01.work"),
    ) else {
        return;
    };
    let mut a = app(p, "tracker");
    let part = a.ctx.nav.part;
    let base = PARTS_AT + part * PART_LEN;
    press(&mut a, &["F3"]);
    let s = screen(&mut a, 120, 44);
    let (loop_row, tstr_row) = (row_cells(&s, "SETUP LOOP"), row_cells(&s, "SETUP TSTR"));
    let mut named = 0;
    for t in 0..8 {
        let m = bytes[base + MACHINE_TYPES + t] as usize;
        let setup = base + MACHINE_SETUPS + t * 30 + m * 6;
        match m {
            0 | 1 => {
                assert_eq!(loop_row[t], LOOP[bytes[setup] as usize], "T{} LOOP", t + 1);
                assert_eq!(
                    tstr_row[t],
                    TSTR[bytes[setup + 4] as usize],
                    "T{} TSTR",
                    t + 1
                );
                named += 1;
            }
            4 => assert_eq!(tstr_row[t], TSTR[bytes[setup + 4] as usize]),
            _ => assert_eq!(loop_row[t], "", "T{}: no LOOP on machine {m}", t + 1),
        }
    }
    assert!(named >= 4, "the corpus part has Flex/Static tracks");
    // MIDI page: NOTE LEN and ARP NLEN as note lengths (6 ticks = 1/16).
    press(&mut a, &["tab"]);
    let s = screen(&mut a, 120, 70);
    let len = row_cells(&s, "NOTE LEN");
    for (t, cell) in len.iter().enumerate() {
        let v = bytes[base + MIDI_VALUES + t * 32 + 2];
        assert_eq!(v, 6, "the corpus uses the default length");
        assert_eq!(cell, "1/16");
    }
    // Recorder page: QREC / QPL by name.
    press(&mut a, &["tab"]);
    let s = screen(&mut a, 120, 30);
    let (qrec, qpl) = (row_cells(&s, "QREC"), row_cells(&s, "QPL"));
    for t in 0..8 {
        let r = base + RECORDERS + t * 12;
        assert_eq!(qrec[t], quant(bytes[r + 9]));
        assert_eq!(qpl[t], quant(bytes[r + 10]));
    }
    // The setup page: LFO, AMP and FX setups, and the page's snapshot.
    press(&mut a, &["tab"]);
    let s = screen(&mut a, 120, 44);
    insta::assert_snapshot!("parts_multipart_setup", s.join("\n"));
    let amp = row_cells(&s, "AMP AMP");
    for (t, cell) in amp.iter().enumerate() {
        assert_eq!(cell, &bytes[base + TRACK_SETUPS + t * 30 + 6].to_string());
    }
}

#[test]
fn lfo_designer_step_edit_touches_one_byte_and_undoes() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let part = a.ctx.nav.part;
    let base = PARTS_AT + part * PART_LEN;
    press(&mut a, &["F3", "tab", "tab", "tab", "tab"]);
    let before = bank_bytes(&a);
    // T1, step 3: two steps right, value up twice (0 -> 2).
    press(&mut a, &["right", "right", "up", "up"]);
    let s = screen(&mut a, 120, 44);
    insta::assert_snapshot!("parts_multipart_designer", s.join("\n"));
    assert!(s.iter().any(|l| l.starts_with("T1 custom LFO")), "{s:#?}");
    let at = base + AUDIO_LFO_DESIGNS + 2;
    assert_byte_edits(&mut a, &before, part, at, 2, 2);
    // Below zero stores a signed byte: step 3 of T1 at -1 = 0xFF.
    press(&mut a, &["down"]);
    assert_one_byte_edit(&mut a, &before, part, at, 0xFF);
    // M2's design: ten tracks down (T1..T8, M1, M2), step 16 typed as a value.
    for _ in 0..9 {
        press(&mut a, &["]"]);
    }
    for _ in 0..13 {
        press(&mut a, &["right"]);
    }
    answer(&mut a, "enter", "-100");
    let at = base + MIDI_LFO_DESIGNS + 16 + 15;
    assert_one_byte_edit(&mut a, &before, part, at, (-100i8) as u8);
    assert_eq!(
        a.message.clone().unwrap().0,
        format!("undo: part {} M2 STEP 16", part + 1),
        "the undo step names the track and step"
    );
}

#[test]
fn lfo_setup_and_arp_notes_are_typed_as_the_device_shows_them() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let part = a.ctx.nav.part;
    let base = PARTS_AT + part * PART_LEN;
    press(&mut a, &["F3", "tab", "tab", "tab"]);
    let before = bank_bytes(&a);
    // T2 LFO2 WAVE (row 5): ITRI is code 1 of the waveform table.
    press(&mut a, &["right", "down", "down", "down", "down"]);
    answer(&mut a, "enter", "itri");
    assert_eq!(
        a.message.clone().unwrap().0,
        "T2 LFO2 WAVE = ITRI (stored 1)"
    );
    assert_one_byte_edit(&mut a, &before, part, base + TRACK_SETUPS + 30 + 4, 1);
    // T2 LFO1 TRIG (row 10) stepped: FREE -> TRIG.
    for _ in 0..5 {
        press(&mut a, &["down"]);
    }
    press(&mut a, &["+"]);
    assert_one_byte_edit(&mut a, &before, part, base + TRACK_SETUPS + 30 + 24 + 3, 1);
    let msg = {
        answer(&mut a, "enter", "SOMETIMES");
        a.message.clone().unwrap()
    };
    assert!(msg.1, "{msg:?}");
    assert_eq!(
        msg.0,
        "LFO1 TRIG takes FREE, TRIG, HOLD, ONE, HALF, SYNC TRIG, SYNC ONE, SYNC HALF (or a stored value #0..#7), got \"SOMETIMES\""
    );
    assert_eq!(bank_bytes(&a), before);
    // Arp page: M3 note 1 = -2 semitones, stored as a signed byte.
    press(&mut a, &["tab", "tab", "right", "right", "down"]);
    answer(&mut a, "enter", "-2");
    assert_eq!(
        a.message.clone().unwrap().0,
        "M3 ARP NOTE 1 = -2 (stored 254)"
    );
    assert_one_byte_edit(&mut a, &before, part, base + ARP_SEQUENCES + 32, 0xFE);
    let s = screen(&mut a, 120, 30);
    insta::assert_snapshot!("parts_multipart_arp", s.join("\n"));
}

#[test]
fn settings_show_the_project_menus_with_the_files_values() {
    let (Some(p), Some(text)) = (
        open("ot/multipart"),
        corpus_file("ot/multipart/project.work"),
    ) else {
        return;
    };
    let text = String::from_utf8(text).unwrap();
    let value = |key: &str| -> i64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F7"]);
    let s = screen(&mut a, 120, 90);
    insta::assert_snapshot!("settings_multipart", s.join("\n"));
    let line = |name: &str| {
        s.iter()
            .find(|l| l.get(26..).is_some_and(|r| r.starts_with(name)))
            .unwrap_or_else(|| panic!("no {name}: {s:#?}"))
            .clone()
    };
    let bpm = value("TEMPOx24") as f64 / 24.0;
    assert!(line("TEMPO ").contains(&format!("{bpm:.1}")), "{bpm}");
    for t in 1..=8 {
        let ch = value(&format!("MIDI_TRIG_CH{t}"));
        let shown = if ch < 0 {
            "OFF".to_string()
        } else {
            (ch + 1).to_string()
        };
        let l = line(&format!("TRIG CH {t}"));
        assert_eq!(
            l[46..].split_whitespace().next(),
            Some(shown.as_str()),
            "{l}"
        );
    }
    let on_off = |k: &str| if value(k) == 1 { "ON" } else { "OFF" };
    let l = line("ACTIVE");
    assert_eq!(
        l[46..].split_whitespace().next(),
        Some(on_off("METRONOME_ENABLED"))
    );
    // The menus appear in the device's order, each once.
    let menus: Vec<&str> = s
        .iter()
        .filter_map(|l| l.get(..26).map(str::trim))
        .filter(|m| m.contains(" > ") || *m == "GENERAL")
        .collect();
    assert_eq!(
        menus,
        [
            "GENERAL",
            "CONTROL > AUDIO",
            "CONTROL > INPUT",
            "CONTROL > SEQUENCER",
            "CONTROL > MIDI SEQUENCER",
            "CONTROL > METRONOME",
            "CONTROL > MEMORY",
            "MIDI > CONTROL",
            "MIDI > SYNC",
            "MIDI > CHANNELS"
        ]
    );
    // Typed in device terms: TRIG CH 1 = 16 stores 15; undo restores project.work.
    let before = a.ctx.doc.project.project_file().to_bytes();
    let row = s
        .iter()
        .skip_while(|l| !l.contains("VALUE"))
        .position(|l| l.get(26..).is_some_and(|r| r.starts_with("TRIG CH 1")))
        .unwrap()
        - 1;
    for _ in 0..row {
        press(&mut a, &["down"]);
    }
    answer(&mut a, "enter", "16");
    assert_eq!(a.message.clone().unwrap().0, "TRIG CH 1 = 16 (stored 15)");
    assert_eq!(
        a.ctx.doc.project.project_file().setting("MIDI_TRIG_CH1"),
        Some(15)
    );
    press(&mut a, &["ctrl+z"]);
    assert_eq!(a.ctx.doc.project.project_file().to_bytes(), before);
}

#[test]
fn every_parts_value_shows_and_reads_back_on_a_corpus_part() {
    use octa::ui::parts::{Field, PartsPage};
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let a = app(p, "tracker");
    let part = a
        .ctx
        .doc
        .bank(0)
        .unwrap()
        .part(a.ctx.nav.part)
        .unwrap()
        .clone();
    let mut checked = 0;
    let mut page = PartsPage::Audio;
    loop {
        for f in Field::rows(page) {
            for t in 0..page.tracks() {
                if f.get(&part, t).is_none() {
                    continue;
                }
                for v in (0..=255u8).filter(|&v| f.accepts(&part, t, v)) {
                    let shown = f.show_value(&part, t, v);
                    assert_eq!(
                        f.parse(&part, t, &shown),
                        Ok(v),
                        "{} {}: {v} shown {shown:?}",
                        page.track_name(t),
                        f.label()
                    );
                    checked += 1;
                }
            }
        }
        page = page.next();
        if page == PartsPage::Audio {
            break;
        }
    }
    assert!(checked > 50_000, "{checked}");
}
