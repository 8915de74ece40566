#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The parts, arranger, settings, slots and overview views: real corpus values on
//! screen (insta snapshots), and edits that touch only the bytes they should, undoably.

mod facts;

use facts::{BankBytes, fx_name, row_cells};
use octa::format::bank::{BANK_LEN, EDITED_MASK_AT, PART_LEN, PARTS_AT};
use octa::project::{OpenOptions, Project};
use octa::ui::App;
use octa::ui::app::Overlay;
use octa::ui::testing::{answer, app, open_corpus as open, press, screen};
use std::path::Path;

/// Presses `key`, which asks to confirm a copy with its summary, and confirms with y.
fn confirm_copy(a: &mut App, key: &str) -> Vec<String> {
    press(a, &[key]);
    assert_eq!(
        a.overlay,
        Overlay::ConfirmCopy(0),
        "{key} shows the copy summary"
    );
    let lines = a.pending_copy.as_ref().unwrap().lines.clone();
    press(a, &["y"]);
    assert_eq!(a.overlay, Overlay::None);
    lines
}

fn diff(a: &[u8], b: &[u8]) -> Vec<usize> {
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

fn bank_bytes(a: &App, b: usize) -> Vec<u8> {
    a.ctx.doc.bank(b).unwrap().to_bytes()
}

#[test]
fn parts_view_shows_multipart_machines_and_pages() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F3"]);
    let s = screen(&mut a, 120, 44);
    insta::assert_snapshot!("parts_multipart_audio", s.join("\n"));
    // The machines, slots and FX of the part, as decoded from the bank bytes.
    let bank = BankBytes::read(&octa::testutil::corpus("ot/multipart").unwrap(), 0);
    audio_parts_match_bytes(&s, &bank, 0);
    press(&mut a, &["tab"]);
    let s = screen(&mut a, 120, 50);
    insta::assert_snapshot!("parts_multipart_midi", s.join("\n"));
    // MIDI channels: setup byte 0 + 1 (8, 9, 1, 1, 14, 15, 16, 16 in this file).
    let chans: Vec<String> = (0..8)
        .map(|t| bank.midi_channel(0, t).to_string())
        .collect();
    assert_eq!(row_cells(&s, "CHAN"), chans);
    assert_eq!(chans, ["8", "9", "1", "1", "14", "15", "16", "16"]);
    for cc in 0..4 {
        let want: Vec<String> = (0..8)
            .map(|t| bank.cc_numbers(0, t)[cc].to_string())
            .collect();
        assert_eq!(row_cells(&s, &format!("CC{} NUMBER", cc + 1)), want);
    }
    press(&mut a, &["tab"]);
    let s = screen(&mut a, 120, 24);
    insta::assert_snapshot!("parts_multipart_recorder", s.join("\n"));
    // Recorder setup (section 4.10.5): RLEN 64 = MAX, TRIG codes, SRC3 1..8 = T1..T8.
    let rec: Vec<[u8; 12]> = (0..8).map(|t| bank.recorder(0, t)).collect();
    let row = |f: &dyn Fn(&[u8; 12]) -> String| rec.iter().map(f).collect::<Vec<_>>();
    assert_eq!(
        row_cells(&s, "RLEN"),
        row(&|r| match r[2] {
            64 => "MAX".to_string(),
            n => n.to_string(),
        })
    );
    assert_eq!(
        row_cells(&s, "TRIG"),
        row(&|r| ["ONE", "ONE2", "HOLD"][r[3] as usize].to_string())
    );
    assert_eq!(
        row_cells(&s, "SRC3"),
        row(&|r| match r[4] {
            0 => "OFF".to_string(),
            9 => "MAIN".to_string(),
            n => format!("T{n}"),
        })
    );
    assert_eq!(row_cells(&s, "FOUT"), row(&|r| r[7].to_string()));
    assert_eq!(
        row_cells(&s, "LOOP"),
        row(&|r| ["OFF", "ON"][r[5] as usize].to_string())
    );
}

/// The audio page of part `p`: title, machines, slots (recorder buffers 128..135 as R1..R8)
/// and FX types against the bank bytes.
fn audio_parts_match_bytes(s: &[String], bank: &BankBytes, p: usize) {
    let title = format!(
        "part {} \"{}\"{}",
        p + 1,
        bank.part_name(p),
        if bank.part_edited(p) { " (edited)" } else { "" }
    );
    assert!(s[1].contains(&title), "{title:?} in {}", s[1]);
    let col = |f: &dyn Fn(usize) -> String| (0..8).map(f).collect::<Vec<_>>();
    assert_eq!(
        row_cells(s, "MACHINE"),
        col(&|t| bank.machine(p, t).to_string())
    );
    let slot = |v: u8| match v {
        128..=135 => format!("R{}", v - 127),
        v => (v + 1).to_string(),
    };
    assert_eq!(
        row_cells(s, "STATIC SLOT"),
        col(&|t| slot(bank.slots(p, t).0))
    );
    assert_eq!(
        row_cells(s, "FLEX SLOT"),
        col(&|t| slot(bank.slots(p, t).1))
    );
    assert_eq!(
        row_cells(s, "FX1 TYPE"),
        col(&|t| fx_name(bank.fx_types(p, t).0).to_string())
    );
    assert_eq!(
        row_cells(s, "FX2 TYPE"),
        col(&|t| fx_name(bank.fx_types(p, t).1).to_string())
    );
}

#[test]
fn parts_view_hello_flex_fx_names_follow_fx_type() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F3"]);
    let s = screen(&mut a, 120, 44);
    insta::assert_snapshot!("parts_hello_flex_audio", s.join("\n"));
    let bank = BankBytes::read(&octa::testutil::corpus("ot/hello-flex/project").unwrap(), 0);
    audio_parts_match_bytes(&s, &bank, 0);
    // Changing T1's FX1 type renames the FX1 rows.
    press(&mut a, &["down", "down", "down"]);
    let before = screen(&mut a, 120, 44);
    let fx1_row = |s: &[String]| s.iter().find(|l| l.starts_with("FX1 1")).unwrap().clone();
    press(&mut a, &["+"]);
    let after = screen(&mut a, 120, 44);
    assert_ne!(fx1_row(&before)[..24], fx1_row(&after)[..24]);
    press(&mut a, &["ctrl+z"]);
    let undone = screen(&mut a, 120, 44);
    assert_eq!(undone[..43], before[..43], "all but the status line");
}

#[test]
fn part_parameter_edit_touches_one_byte_the_edited_bit_and_the_checksum() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let part = a.ctx.nav.part;
    let before = bank_bytes(&a, 0);
    let mask = before[EDITED_MASK_AT];
    press(&mut a, &["F3"]);
    // Row 6 = SRC 1 of T2 (its machine's first SRC parameter).
    for _ in 0..5 {
        press(&mut a, &["down"]);
    }
    press(&mut a, &["right", "+"]);
    let after = bank_bytes(&a, 0);
    let p = a.ctx.doc.bank(0).unwrap().part(part).unwrap();
    let m = p.machine_types[1] as usize;
    let at = PARTS_AT + part * PART_LEN + 51 + 30 + m * 6;
    let mut want = vec![at];
    if mask & (1 << part) == 0 {
        want.push(EDITED_MASK_AT);
    }
    want.extend([BANK_LEN - 2, BANK_LEN - 1]);
    let got = diff(&before, &after);
    assert!(got.iter().all(|i| want.contains(i)), "{got:?} vs {want:?}");
    assert!(got.contains(&at));
    assert_eq!(after[at], before[at] + 1);
    assert_eq!(after[EDITED_MASK_AT], mask | (1 << part));
    // The saved copy is untouched; reload part brings it back, undo undoes the reload.
    press(&mut a, &["ctrl+z"]);
    assert_eq!(bank_bytes(&a, 0), before);
    press(&mut a, &["ctrl+y"]);
    assert_eq!(bank_bytes(&a, 0), after);
    press(&mut a, &["ctrl+alt+r"]);
    let reloaded = a.ctx.doc.bank(0).unwrap();
    assert_eq!(reloaded.part(part), reloaded.saved_part(part));
    assert!(!reloaded.is_part_edited(part));
    press(&mut a, &["ctrl+z"]);
    assert_eq!(bank_bytes(&a, 0), after);
}

#[test]
fn typed_values_outside_the_range_are_refused() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let before = bank_bytes(&a, 0);
    press(&mut a, &["F3"]);
    answer(&mut a, "enter", "7");
    let msg = a.message.clone().unwrap();
    assert!(
        msg.1
            && msg.0
                == "MACHINE takes STATIC, FLEX, THRU, NEIGHBOR, PICKUP (or a stored value #0..#4), got \"7\"",
        "{msg:?}"
    );
    assert_eq!(bank_bytes(&a, 0), before);
}

#[test]
fn part_values_are_typed_as_the_device_shows_them() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let part = a.ctx.nav.part;
    let get = |a: &App, t: usize, i: usize| {
        a.ctx
            .doc
            .bank(0)
            .unwrap()
            .part(part)
            .unwrap()
            .track_value(t, i)
    };
    press(&mut a, &["F3"]);
    // The machine by name: T3 (Static in the corpus) becomes Flex.
    press(&mut a, &["right", "right"]);
    answer(&mut a, "enter", "flex");
    assert_eq!(
        a.ctx
            .doc
            .bank(0)
            .unwrap()
            .part(part)
            .unwrap()
            .machine_type(2),
        octa::format::MachineType::Flex
    );
    assert_eq!(a.message.clone().unwrap().0, "T3 MACHINE = FLEX (stored 1)");
    // AMP VOL (row 5 + 6 SRC + 6 SETUP + 3 = 20) of T2 as the device shows it: -12 = stored 52.
    press(&mut a, &["left"]);
    for _ in 0..20 {
        press(&mut a, &["down"]);
    }
    answer(&mut a, "enter", "-12");
    assert_eq!(get(&a, 1, 15), Some(52));
    assert_eq!(a.message.clone().unwrap().0, "T2 AMP VOL = -12 (stored 52)");
    // A stored number with #, and a refused value naming the display range.
    answer(&mut a, "enter", "#12");
    assert_eq!(get(&a, 1, 15), Some(12));
    answer(&mut a, "enter", "loud");
    let msg = a.message.clone().unwrap();
    assert!(msg.1, "{msg:?}");
    assert_eq!(
        msg.0,
        "AMP VOL takes -64..+63 (or a stored value #0..#127), got \"loud\""
    );
    assert_eq!(get(&a, 1, 15), Some(12));
}

/// The arranger screen against the working block of an `arrNN.work` file, decoded here
/// (format doc 6.2, 6.3): name, row count and, for each visible row, its type and fields.
fn arranger_matches_bytes(s: &[String], raw: &[u8]) {
    let block = 24;
    let name = String::from_utf8_lossy(&raw[block..block + 15]).into_owned();
    let count = raw[block + 17];
    assert!(
        s[1].contains(&format!("\"{name}\": {count} rows")),
        "{name:?} {count} in {}",
        s[1]
    );
    let mut seen = 0;
    for line in s {
        let Some(r) = line.get(..3).and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        let row = &raw[block + 18 + (r - 1) * 22..][..22];
        let f: Vec<&str> = line[3..].split_whitespace().collect();
        match row[0] {
            0 => {
                let id = row[1];
                let pattern = format!("{}{:02}", (b'A' + id / 16) as char, id % 16 + 1);
                assert_eq!(f[..3], ["PATTERN", &pattern, &format!("x{}", row[2] + 1)]);
                assert_eq!(f[4], row[13].to_string(), "row {r} length");
                for (i, scene) in [(5, row[8]), (6, row[9])] {
                    if scene == 255 {
                        assert_eq!(f[i], "---", "row {r}");
                    }
                }
            }
            1 => {
                let kind = match (row[2] as usize).cmp(&(r - 1)) {
                    std::cmp::Ordering::Less => "LOOP",
                    std::cmp::Ordering::Equal => "HALT",
                    std::cmp::Ordering::Greater => "JUMP",
                };
                let target = format!("{}", row[2] + 1);
                assert_eq!(f[..3], [kind, "row", &target], "row {r}");
                assert_eq!(f[3], format!("x{}", row[1]), "row {r}");
            }
            2 => {
                assert_eq!(f[0], "REMINDER");
                assert!(row[1..].starts_with(f[1].as_bytes()), "row {r}: {line}");
            }
            t => panic!("row {r}: type {t}"),
        }
        seen += 1;
    }
    assert!(seen >= 30, "{seen} rows checked");
}

/// A blank project whose arr01 / arr02 are the corpus arrangement files.
fn arrangement_project(dir: &Path) -> Option<Project> {
    let blank = octa::testutil::corpus("ot/blank-1.40B")?;
    let arrs = octa::testutil::corpus("ot/arrangements")?;
    std::fs::create_dir_all(dir).unwrap();
    for e in std::fs::read_dir(blank).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    std::fs::copy(arrs.join("full_options.work"), dir.join("arr01.work")).unwrap();
    std::fs::copy(arrs.join("one_reminder_row.work"), dir.join("arr02.work")).unwrap();
    Some(Project::open(dir, &OpenOptions::default()).unwrap())
}

#[test]
fn arranger_view_shows_corpus_rows_and_row_edits_touch_only_their_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(p) = arrangement_project(&tmp.path().join("ARR")) else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F6"]);
    let s = screen(&mut a, 120, 40);
    insta::assert_snapshot!("arranger_full_options", s.join("\n"));
    let raw = std::fs::read(tmp.path().join("ARR/arr01.work")).unwrap();
    arranger_matches_bytes(&s, &raw);
    press(&mut a, &["]"]);
    insta::assert_snapshot!(
        "arranger_one_reminder_row",
        screen(&mut a, 120, 12).join("\n")
    );
    // Arrangement 3 is blank: insert a row, then change its repeats.
    press(&mut a, &["]"]);
    let arr = |a: &App| a.ctx.doc.project.arrangement(2).to_bytes();
    let before = arr(&a);
    press(&mut a, &["i"]);
    let inserted = arr(&a);
    let row0 = 24 + 18;
    for i in diff(&before, &inserted) {
        assert!(
            (row0..row0 + 22).contains(&i) || i == 24 + 17 || i >= 11334,
            "insert changed byte {i}"
        );
    }
    assert_eq!(inserted[24 + 17], 1);
    press(&mut a, &["right", "right", "+", "+"]);
    let edited = arr(&a);
    let got = diff(&inserted, &edited);
    assert!(got.contains(&(row0 + 2)));
    for i in got {
        assert!(i == row0 + 2 || i >= 11334, "repeat edit changed byte {i}");
    }
    assert_eq!(edited[row0 + 2], inserted[row0 + 2] + 2);
    press(&mut a, &["ctrl+z", "ctrl+z", "ctrl+z"]);
    assert_eq!(arr(&a), before);
}

#[test]
fn settings_refuse_values_outside_their_range() {
    let Some(p) = open("ot/blank-1.40B") else {
        return;
    };
    let mut a = app(p, "tracker");
    // The first item is GENERAL TEMPO, in BPM (blank project: TEMPOx24=2880).
    press(&mut a, &["F7"]);
    let s = screen(&mut a, 120, 20);
    assert!(
        s.iter()
            .any(|l| l.contains("GENERAL") && l.contains("TEMPO") && l.contains("120.0 BPM")),
        "{s:#?}"
    );
    let before = a.ctx.doc.project.project_file().to_bytes();
    answer(&mut a, "enter", "9999");
    let msg = a.message.clone().unwrap();
    assert!(
        msg.1 && msg.0.contains("TEMPO takes 30.0 BPM..300.0 BPM"),
        "{msg:?}"
    );
    assert_eq!(a.ctx.doc.project.project_file().to_bytes(), before);
    press(&mut a, &["+"]);
    assert_eq!(a.ctx.doc.project.project_file().tempo_x24(), Some(2881));
    press(&mut a, &["ctrl+z"]);
    assert_eq!(a.ctx.doc.project.project_file().to_bytes(), before);
}

#[test]
fn overview_shows_used_patterns_and_enter_opens_one() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F8"]);
    let s = screen(&mut a, 120, 24);
    insta::assert_snapshot!("overview_hello_flex", s.join("\n"));
    // Each cell against the bank files: "part/length" for a pattern with trigs, else ".".
    let dir = octa::testutil::corpus("ot/hello-flex/project").unwrap();
    for b in 0..16 {
        let bank = BankBytes::read(&dir, b);
        let label = format!("BANK {}", (b'A' + b as u8) as char);
        let line = s.iter().find(|l| l.starts_with(&label)).unwrap();
        let cells: Vec<&str> = line[label.len()..].split_whitespace().collect();
        let want: Vec<String> = (0..16)
            .map(|n| {
                let len = if bank.per_track(n) {
                    bank.per_track_master_len(n)
                } else {
                    u16::from(bank.master_len(n))
                };
                if bank.pattern_in_use(n) {
                    format!("{}/{len}", bank.pattern_part(n) + 1)
                } else {
                    ".".into()
                }
            })
            .collect();
        assert_eq!(cells, want, "{label}");
    }
    press(&mut a, &["down", "right", "enter"]);
    assert_eq!((a.ctx.nav.bank, a.ctx.nav.pattern), (1, 1));
    assert!(screen(&mut a, 160, 24)[0].contains("Bank B Pattern 02"));
}

#[test]
fn overview_copies_a_pattern_with_its_part_as_one_undo_step() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    let before = bank_bytes(&a, 2);
    press(
        &mut a,
        &["F8", "c", "down", "down", "right", "right", "right"],
    );
    let lines = confirm_copy(&mut a, "v");
    assert_eq!(lines[0], "copy pattern A01 -> pattern C04");
    assert!(
        lines.iter().any(|l| l.contains("same project")),
        "{lines:?}"
    );
    let src = a.ctx.doc.bank(0).unwrap().pattern(0).unwrap().clone();
    assert_eq!(a.ctx.doc.bank(2).unwrap().pattern(3).unwrap(), &src);
    press(&mut a, &["ctrl+z"]);
    assert_eq!(bank_bytes(&a, 2), before);
}

#[test]
fn slots_view_lists_hello_flex_slots_and_edits_gain() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some(proj), Some(samples)) = (
        octa::testutil::corpus("ot/hello-flex/project"),
        octa::testutil::corpus("ot/hello-flex/samples"),
    ) else {
        return;
    };
    let dir = tmp.path().join("HELLO");
    let pool = tmp.path().join("AUDIO/projects/HELLO FLEX");
    for (from, to) in [(&proj, &dir), (&samples, &pool)] {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    let p = Project::open(&dir, &OpenOptions::default()).unwrap();
    let mut a = app(p, "tracker");
    press(&mut a, &["F5"]);
    let screen_lines = screen(&mut a, 120, 30);
    insta::assert_snapshot!("slots_hello_flex", screen_lines.join("\n"));
    // Against the [SAMPLE] blocks of project.work read here (format doc 3): path, gain
    // ((v - 48) / 2 dB), loop mode and time-stretch mode of every Flex slot on screen.
    let text = std::fs::read_to_string(dir.join("project.work")).unwrap();
    let mut checked = 0;
    for block in text.split("[SAMPLE]").skip(1) {
        let block = block.split("[/SAMPLE]").next().unwrap();
        let field = |k: &str| {
            block
                .lines()
                .find_map(|l| l.trim_end().strip_prefix(k)?.strip_prefix('='))
                .unwrap_or_else(|| panic!("{k} in {block}"))
                .to_string()
        };
        if field("TYPE") != "FLEX" {
            continue;
        }
        let slot: u32 = field("SLOT").parse().unwrap();
        let label = format!("Flex {slot} ");
        let Some(line) = screen_lines.iter().find(|l| l.starts_with(&label)) else {
            continue;
        };
        let cols: Vec<&str> = line[label.len()..].split_whitespace().collect();
        let gain: i32 = field("GAIN").parse().unwrap();
        let mode = |v: String, names: &[&str]| names[v.parse::<usize>().unwrap()].to_string();
        assert_eq!(
            cols[1],
            format!("{:+.1}dB", f64::from(gain - 48) / 2.0),
            "{line}"
        );
        assert_eq!(cols[2], mode(field("LOOPMODE"), &["OFF", "ON", "PIPO"]));
        assert_eq!(
            cols[3],
            mode(field("TSMODE"), &["OFF", "?", "NORM", "BEAT"])
        );
        let path = field("PATH");
        let file = path.rsplit('/').next().unwrap();
        assert!(file.starts_with(cols[5]), "{file} / {line}");
        checked += 1;
    }
    assert!(checked >= 13, "{checked} slots checked");
    let before = a.ctx.doc.project.project_file().to_bytes();
    press(&mut a, &["+"]);
    let pf = a.ctx.doc.project.project_file();
    let s = pf.slot(octa::format::slot_attrs::SlotRef::Flex(1)).unwrap();
    assert_eq!(s.gain, Some(49));
    press(&mut a, &["ctrl+z"]);
    assert_eq!(a.ctx.doc.project.project_file().to_bytes(), before);
    // Assign a file from the pool to Flex 30 (block + markers trim end = frame count).
    for _ in 0..29 {
        press(&mut a, &["down"]);
    }
    answer(&mut a, "a", "projects/HELLO FLEX/hh1.wav");
    let slot = octa::format::slot_attrs::SlotRef::Flex(30);
    let block = a.ctx.doc.project.project_file().slot(slot).unwrap();
    assert_eq!(block.path, "../AUDIO/projects/HELLO FLEX/hh1.wav");
    let bytes = std::fs::read(pool.join("hh1.wav")).unwrap();
    let (frames, _) = octa::project::slots::wav_frames(&bytes).unwrap();
    assert!(frames > 0);
    assert_eq!(a.ctx.doc.project.markers().trim_end(slot).unwrap(), frames);
    press(&mut a, &["ctrl+z"]);
    assert!(a.ctx.doc.project.project_file().slot(slot).is_none());
    assert!(a.ctx.doc.project.markers().is_empty(slot).unwrap());
}

#[test]
fn slots_view_assigns_aiff_and_refuses_other_formats_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some(proj), Some(audio)) = (
        octa::testutil::corpus("ot/blank-1.40B"),
        octa::testutil::corpus("audio"),
    ) else {
        return;
    };
    let dir = tmp.path().join("BLANK");
    let pool = tmp.path().join("AUDIO");
    for (from, to) in [(&proj, &dir), (&audio, &pool)] {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    let p = Project::open(&dir, &OpenOptions::default()).unwrap();
    let mut a = app(p, "tracker");
    press(&mut a, &["F5", "down"]);
    let slot = octa::format::slot_attrs::SlotRef::Flex(2);
    answer(&mut a, "a", "chord-44k1-16bit.aiff");
    let block = a.ctx.doc.project.project_file().slot(slot).unwrap();
    assert_eq!(block.path, "../AUDIO/chord-44k1-16bit.aiff");
    assert_eq!(a.ctx.doc.project.markers().trim_end(slot).unwrap(), 22_050);
    let msg = a.message.clone().unwrap().0;
    assert!(msg.contains("22050 frames"), "{msg}");
    // A format the device does not play, and broken files: an error naming the file, and
    // nothing changes.
    let before = a.ctx.doc.project.project_file().to_bytes();
    press(&mut a, &["down"]);
    for (file, want) in [
        ("square-44k1.flac", ".wav, .aif, .aiff"),
        ("bad-header.wav", "not a readable WAV file"),
        ("bad-empty.wav", "not a readable WAV file"),
    ] {
        answer(&mut a, "a", file);
        let (msg, is_error) = a.message.clone().unwrap();
        assert!(is_error, "{msg}");
        assert!(msg.contains(file) && msg.contains(want), "{msg}");
        assert_eq!(a.ctx.doc.project.project_file().to_bytes(), before);
    }
    // A file cut short is assigned with the frames it holds, and says so.
    answer(&mut a, "a", "bad-truncated.wav");
    let slot3 = octa::format::slot_attrs::SlotRef::Flex(3);
    assert_eq!(a.ctx.doc.project.markers().trim_end(slot3).unwrap(), 1478);
    let msg = a.message.clone().unwrap().0;
    assert!(msg.contains("cut short"), "{msg}");
}

#[test]
fn parts_view_copies_a_part_and_a_tracks_settings_undoably() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let before = bank_bytes(&a, 0);
    let src = a.ctx.nav.part;
    let dst = (src + 1) % 4;
    press(&mut a, &["F3", "c", "ctrl+alt+right"]);
    assert_eq!(a.ctx.nav.part, dst);
    confirm_copy(&mut a, "v");
    let bank = a.ctx.doc.bank(0).unwrap();
    let mut want = bank.part(src).unwrap().clone();
    want.id = dst as u8;
    assert_eq!(bank.part(dst).unwrap(), &want);
    assert!(bank.is_part_edited(dst));
    let original = octa::format::Bank::from_bytes(&before).unwrap().0;
    assert_eq!(bank.saved_part(dst), original.saved_part(dst));
    press(&mut a, &["ctrl+z"]);
    assert_eq!(bank_bytes(&a, 0), before);
    // T2's settings onto T5 of the same part.
    press(
        &mut a,
        &["ctrl+alt+left", "right", "C", "right", "right", "right"],
    );
    confirm_copy(&mut a, "v");
    let p = a.ctx.doc.bank(0).unwrap().part(src).unwrap();
    assert_eq!(p.machine_types[4], p.machine_types[1]);
    assert_eq!(p.track_values[4], p.track_values[1]);
    assert_eq!(p.slots[4].flex_slot, p.slots[1].flex_slot);
    assert_eq!(
        p.slots[4].recorder, 132,
        "the track keeps its own recorder buffer"
    );
}

#[test]
fn an_fx_the_local_engine_does_not_render_is_said_where_its_values_are_edited() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F3"]);
    let said = "(not rendered by the local engine: passes through)";
    // T1's FX1 TYPE (row 4) stepped until it reads CHORUS (an FX the engine passes through).
    press(&mut a, &["down", "down", "down"]);
    let first = row_cells(&screen(&mut a, 160, 44), "FX1 TYPE")[0].clone();
    assert_eq!(first, "DJ EQ", "hello-flex's T1 FX1 (rendered)");
    let mut chorus = false;
    for _ in 0..40 {
        let s = screen(&mut a, 160, 44);
        if row_cells(&s, "FX1 TYPE")[0] == "CHORUS" {
            chorus = true;
            break;
        }
        press(&mut a, &["+"]);
    }
    assert!(chorus, "FX1 TYPE never read CHORUS");
    // Down the rows until the cursor is on an FX1 value: the line below names the page.
    let mut seen = None;
    for _ in 0..60 {
        press(&mut a, &["down"]);
        let s = screen(&mut a, 160, 44);
        if let Some(l) = s.iter().find(|l| l.contains("FX1 CHORUS")) {
            seen = Some(l.clone());
            break;
        }
    }
    let line = seen.expect("no FX1 value row reached");
    assert!(line.contains(said), "{line}");
    // Undone back to DJ EQ (rendered): the same row says nothing of the kind.
    for _ in 0..40 {
        let s = screen(&mut a, 160, 44);
        if row_cells(&s, "FX1 TYPE")[0] == first {
            break;
        }
        press(&mut a, &["ctrl+z"]);
    }
    let s = screen(&mut a, 160, 44);
    let line = s
        .iter()
        .find(|l| l.contains("FX1 DJ EQ"))
        .expect("FX1 DJ EQ row");
    assert!(!line.contains(said), "{line}");
}
