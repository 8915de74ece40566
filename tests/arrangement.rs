#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Arrangement files against the corpus: round trips, the rows of the real files, the
//! wrong-checksum file, row editing and bad input.

use octa::format::FormatError;
use octa::format::arrangement::{
    Arrangement, Block, ControlKind, ControlRow, FRESH_ROW, PatternRow, Row, parse_pattern,
};
use octa::testutil::corpus;
use proptest::prelude::*;

fn read(rel: &str) -> Option<Vec<u8>> {
    let p = corpus(rel)?;
    Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

fn all_arrangement_files() -> Vec<String> {
    let mut v: Vec<String> = ["blank", "one_reminder_row", "full_options"]
        .iter()
        .map(|n| format!("ot/arrangements/{n}.work"))
        .collect();
    for dir in ["blank-1.40B", "template-1.40B", "hello-flex/project"] {
        for i in 1..=8 {
            v.push(format!("ot/{dir}/arr{i:02}.work"));
        }
    }
    v
}

fn row_off(block: Block, i: usize) -> usize {
    let base = match block {
        Block::Working => 24,
        Block::Saved => 5676,
    };
    base + 18 + i * 22
}

#[test]
fn arrangements_round_trip_byte_exact_and_through_json() {
    for rel in all_arrangement_files() {
        let Some(b) = read(&rel) else { return };
        let a = Arrangement::parse(&b).unwrap();
        assert_eq!(a.to_bytes(), b, "{rel}");
        assert_eq!(
            a.warnings().is_empty(),
            !rel.contains("full_options"),
            "{rel}"
        );
        let json = serde_json::to_string(&a).unwrap();
        let back: Arrangement = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_bytes(), b, "{rel} via JSON");
        assert!(!back.is_edited());
    }
}

#[test]
fn one_reminder_row_facts() {
    let Some(b) = read("ot/arrangements/one_reminder_row.work") else {
        return;
    };
    let a = Arrangement::parse(&b).unwrap();
    for blk in [Block::Working, Block::Saved] {
        assert_eq!(a.name(blk), "PPPPPPPPPPPPPPP");
        assert_eq!(a.row_count(blk), 1);
        assert_eq!(a.rows(blk), vec![Row::Reminder("CHAIN".into())]);
        // The former pattern row's bytes are still there after the text.
        assert_eq!(
            a.row_bytes(blk, 0).unwrap()[6..14],
            [0, 0, 0xFF, 0xFF, 0, 0, 0, 0x10]
        );
    }
    assert_eq!(a.saved_states(), [1, 1, 0, 0, 0, 1, 1, 1]);
    assert_eq!(a.saved_flag(), 0);
}

#[test]
fn full_options_rows_and_wrong_checksum() {
    let Some(b) = read("ot/arrangements/full_options.work") else {
        return;
    };
    let a = Arrangement::parse(&b).unwrap();
    let w = a.warnings();
    assert_eq!(w.len(), 1);
    let msg = w[0].to_string();
    assert!(msg.contains("0x52E3") && msg.contains("0x8129"), "{msg}");
    assert_eq!(a.to_bytes(), b);

    let blk = Block::Working;
    assert_eq!(a.name(blk), "ZZZZZZZZZZZZZZZ");
    assert_eq!(a.row_count(blk), 255);
    let row = |i| a.row(blk, i).unwrap();
    let pat = |i| match row(i) {
        Row::Pattern(p) => p,
        other => panic!("row {i}: {other:?}"),
    };
    for i in 0..2 {
        let p = pat(i);
        assert_eq!(
            (p.pattern, p.repetitions, p.scene_a, p.scene_b, p.length),
            (1, 0, 255, 255, 16)
        );
    }
    assert_eq!(pat(2).pattern, parse_pattern("A01").unwrap());
    for i in 10..20 {
        let p = pat(i);
        assert_eq!(p.pattern, parse_pattern("P16").unwrap());
        assert_eq!(p.repetitions, 63);
        assert_eq!(p.mute_mask, 0xFF);
        assert_eq!(p.tempo_x24, 7200);
        assert_eq!((p.scene_a, p.scene_b), (15, 15));
        assert_eq!(p.transpose, [48; 8]);
    }
    for i in 20..30 {
        assert_eq!(row(i), Row::Reminder("AAAAAAAAAAAAAAA".into()));
    }
    for i in 30..40 {
        let Row::Control(c) = row(i) else {
            panic!("row {i}")
        };
        assert_eq!(c.target as usize, i);
        assert_eq!(c.kind(i), ControlKind::Halt);
    }
    assert_eq!(a.row_bytes(blk, 30).unwrap()[..3], [1, 0, 0x1E]);
    for i in 40..50 {
        let Row::Control(c) = row(i) else {
            panic!("row {i}")
        };
        assert_eq!((c.target, c.kind(i)), (59, ControlKind::Jump));
    }
    for i in 50..60 {
        let Row::Control(c) = row(i) else {
            panic!("row {i}")
        };
        assert_eq!(
            (c.target, c.loop_count, c.kind(i)),
            (0, 0, ControlKind::Loop)
        );
    }
    for i in 60..255 {
        assert_eq!(pat(i), PatternRow::new(255));
    }
    assert_eq!(a.row_bytes(blk, 255).unwrap(), [0; 22]);
    assert_eq!(a.rows(Block::Saved), a.rows(Block::Working));

    // An edit recomputes the checksum; JSON of the edited file keeps it right.
    let mut e = a.clone();
    e.set_name(blk, "EDITED").unwrap();
    let out = e.to_bytes();
    let back = Arrangement::parse(&out).unwrap();
    assert!(back.warnings().is_empty());
    assert_eq!(back.name(blk), "EDITED");
    // Only the text and one NUL changed; the Zs after it stay (garbage after NUL).
    assert_eq!(&out[24..39], b"EDITED\0ZZZZZZZZ");
    // An edit that keeps the byte sum still recomputes.
    let mut s = a.clone();
    let mut r10 = a.row_bytes(blk, 10).unwrap();
    r10[2] -= 1; // repetitions 63 -> 62
    r10[3] += 1; // byte 3 0 -> 1
    s.set_row_bytes(blk, 10, r10).unwrap();
    let out = s.to_bytes();
    assert_eq!(u16::from_be_bytes([out[11334], out[11335]]), 0x8129);
    assert!(Arrangement::parse(&out).unwrap().warnings().is_empty());
}

#[test]
fn changing_a_row_type_rewrites_byte_zero_only() {
    let Some(b) = read("ot/arrangements/full_options.work") else {
        return;
    };
    let mut a = Arrangement::parse(&b).unwrap();
    a.set_row_type(Block::Working, 10, 2).unwrap();
    let out = a.to_bytes();
    let changed: Vec<usize> = (0..out.len() - 2).filter(|&i| out[i] != b[i]).collect();
    assert_eq!(changed, vec![row_off(Block::Working, 10)]);
    // Its leftover pattern bytes read as reminder text now: FF 3F 00 FF ...
    assert!(
        matches!(a.row(Block::Working, 10).unwrap(), Row::Reminder(t) if t.starts_with('\u{ff}'))
    );
    // A control row owns bytes 0-2.
    let mut c = Arrangement::parse(&b).unwrap();
    c.set_row(
        Block::Working,
        12,
        &Row::Control(ControlRow {
            loop_count: 3,
            target: 1,
        }),
    )
    .unwrap();
    let out = c.to_bytes();
    let o = row_off(Block::Working, 12);
    let changed: Vec<usize> = (0..out.len() - 2).filter(|&i| out[i] != b[i]).collect();
    assert_eq!(changed, vec![o, o + 1, o + 2]);
    assert_eq!(&out[o + 3..o + 22], &b[o + 3..o + 22]);
    // A reminder owns its text and one NUL.
    let mut r = Arrangement::parse(&b).unwrap();
    r.set_row(Block::Working, 12, &Row::Reminder("HI".into()))
        .unwrap();
    let out = r.to_bytes();
    assert_eq!(&out[o..o + 4], &[2, b'H', b'I', 0]);
    assert_eq!(&out[o + 4..o + 22], &b[o + 4..o + 22]);
    assert!(
        r.set_row(
            Block::Working,
            12,
            &Row::Reminder("SIXTEEN CHARS!!!".into())
        )
        .is_err()
    );
    assert!(r.set_row(Block::Working, 12, &Row::Unknown(1)).is_err());
}

#[test]
fn insert_delete_move_rows() {
    let Some(b) = read("ot/arrangements/one_reminder_row.work") else {
        return;
    };
    let mut a = Arrangement::parse(&b).unwrap();
    let blk = Block::Working;
    let mut p = PatternRow::new(parse_pattern("B03").unwrap());
    p.repetitions = 3;
    p.tempo_x24 = 3027;
    a.insert_row(blk, 0, &Row::Pattern(p)).unwrap();
    a.insert_row(
        blk,
        2,
        &Row::Control(ControlRow {
            loop_count: 2,
            target: 0,
        }),
    )
    .unwrap();
    assert_eq!(a.row_count(blk), 3);
    assert_eq!(
        a.rows(blk),
        vec![
            Row::Pattern(p),
            Row::Reminder("CHAIN".into()),
            Row::Control(ControlRow {
                loop_count: 2,
                target: 0
            })
        ]
    );
    // An inserted control row starts from a fresh row's bytes.
    assert_eq!(a.row_bytes(blk, 2).unwrap()[3..], FRESH_ROW[3..]);
    a.move_row(blk, 0, 2).unwrap();
    assert_eq!(a.row(blk, 2).unwrap(), Row::Pattern(p));
    assert_eq!(a.row(blk, 0).unwrap(), Row::Reminder("CHAIN".into()));
    a.move_row(blk, 2, 0).unwrap();
    a.delete_row(blk, 2).unwrap();
    a.delete_row(blk, 0).unwrap();
    assert_eq!(a.to_bytes(), b, "insert + delete restores the file");
    assert!(a.delete_row(blk, 1).is_err());
    assert!(a.insert_row(blk, 3, &Row::Pattern(p)).is_err());
    assert!(a.move_row(blk, 0, 1).is_err());
    assert!(a.row(blk, 256).is_err());
    let mut bad = p;
    bad.transpose[0] = 49;
    assert!(a.insert_row(blk, 0, &Row::Pattern(bad)).is_err());
    bad = p;
    bad.repetitions = 64;
    assert!(a.set_row(blk, 0, &Row::Pattern(bad)).is_err());
    let full = Arrangement::parse(&read("ot/arrangements/full_options.work").unwrap()).unwrap();
    let mut f = full.clone();
    assert!(f.insert_row(blk, 0, &Row::Pattern(p)).is_err());
    // save_working copies the block.
    let mut s = Arrangement::parse(&b).unwrap();
    s.set_name(Block::Working, "NEW").unwrap();
    s.save_working();
    assert_eq!(s.name(Block::Saved), "NEW");
}

fn pattern_row() -> impl Strategy<Value = PatternRow> {
    (
        any::<u8>(),
        0u8..=63,
        any::<u8>(),
        prop_oneof![Just(0u16), 720u16..=7200],
        prop_oneof![Just(255u8), 0u8..=15],
        prop_oneof![Just(255u8), 0u8..=15],
        any::<u8>(),
        any::<u8>(),
        prop::array::uniform8(-48i8..=48),
    )
        .prop_map(
            |(
                pattern,
                repetitions,
                mute_mask,
                tempo_x24,
                scene_a,
                scene_b,
                offset,
                length,
                transpose,
            )| {
                PatternRow {
                    pattern,
                    repetitions,
                    mute_mask,
                    tempo_x24,
                    scene_a,
                    scene_b,
                    offset,
                    length,
                    transpose,
                    ..PatternRow::new(0)
                }
            },
        )
}

proptest! {
    #[test]
    fn typed_row_edits_read_back_and_touch_only_their_row(
        i in 0usize..256,
        saved in any::<bool>(),
        row in prop_oneof![
            pattern_row().prop_map(Row::Pattern),
            (0u8..=100, any::<u8>()).prop_map(|(loop_count, target)| Row::Control(ControlRow { loop_count, target })),
            "[A-Z0-9 ]{0,15}".prop_map(Row::Reminder),
        ]
    ) {
        let Some(b) = read("ot/arrangements/full_options.work") else { return Ok(()); };
        let blk = if saved { Block::Saved } else { Block::Working };
        let mut a = Arrangement::parse(&b).unwrap();
        a.set_row(blk, i, &row).unwrap();
        let out = a.to_bytes();
        let back = Arrangement::parse(&out).unwrap();
        prop_assert!(back.warnings().is_empty());
        prop_assert_eq!(back.row(blk, i).unwrap(), row);
        let o = row_off(blk, i);
        for k in (0..out.len() - 2).filter(|&k| out[k] != b[k]) {
            prop_assert!((o..o + 22).contains(&k), "byte {} changed", k);
        }
        let j: Arrangement = serde_json::from_str(&serde_json::to_string(&back).unwrap()).unwrap();
        prop_assert_eq!(j.to_bytes(), out);
    }

    #[test]
    fn name_edits_keep_the_tail(name in "[A-Z0-9 -]{0,15}") {
        let Some(b) = read("ot/blank-1.40B/arr01.work") else { return Ok(()); };
        let mut a = Arrangement::parse(&b).unwrap();
        a.set_name(Block::Saved, &name).unwrap();
        let out = a.to_bytes();
        prop_assert_eq!(Arrangement::parse(&out).unwrap().name(Block::Saved), name.clone());
        let n = name.len();
        prop_assert_eq!(&out[5676..5676 + n], name.as_bytes());
        if n < 15 {
            prop_assert_eq!(out[5676 + n], 0);
            prop_assert_eq!(&out[5676 + n + 1..5691], &b[5676 + n + 1..5691]);
        }
        prop_assert_eq!(&out[..5676], &b[..5676]);
        prop_assert_eq!(&out[5691..11334], &b[5691..11334]);
    }
}

#[test]
fn bad_input() {
    let Some(b) = read("ot/arrangements/one_reminder_row.work") else {
        return;
    };
    let n = b.len();
    for cut in (0..n).step_by(113).chain([1, 21, 22, n - 1]) {
        assert!(
            matches!(Arrangement::parse(&b[..cut]), Err(FormatError::Size { .. })),
            "cut {cut}"
        );
    }
    let mut x = b.clone();
    x[12..16].copy_from_slice(b"BANK");
    assert!(
        Arrangement::parse(&x)
            .unwrap_err()
            .to_string()
            .contains("byte 12")
    );
    let mut x = b.clone();
    x[21] = 5;
    assert!(matches!(
        Arrangement::parse(&x),
        Err(FormatError::Version { found: 5, .. })
    ));
    assert!(Arrangement::parse(&[]).is_err());
    let rnd: Vec<u8> = (0..n).map(|i| (i * 7919 % 251) as u8).collect();
    assert!(Arrangement::parse(&rnd).is_err());
    // JSON with a bad pattern name or a wrong leftover length is refused.
    let a = Arrangement::parse(&b).unwrap();
    let json = serde_json::to_string(&a).unwrap();
    let bad = json.replacen(
        "\"text_tail\":\"0000ffff000000100000\"",
        "\"text_tail\":\"00\"",
        1,
    );
    assert_ne!(bad, json);
    assert!(serde_json::from_str::<Arrangement>(&bad).is_err());
    let full = Arrangement::parse(&read("ot/arrangements/full_options.work").unwrap()).unwrap();
    let json = serde_json::to_string(&full).unwrap();
    let bad = json.replacen("\"pattern\":\"P16\"", "\"pattern\":\"Q16\"", 1);
    assert!(serde_json::from_str::<Arrangement>(&bad).is_err());
}
