#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The bank's byte containers (`src/format/bank/bytes.rs`) against hand-computed bytes: trig
//! masks are big-endian u64s with bit k = step k+1 (the last byte holds steps 1-8), lock bytes
//! of 255 mean "no lock", step words are big-endian u16s; and their JSON forms and errors.

use binrw::{BinRead, BinWrite, Endian};
use octa::format::StepWord;
use octa::format::bank::{Bytes, Grid, LockRecord, LockRecords, NO_LOCK, Raw, StepWords, TrigMask};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Cursor;
use std::sync::Arc;

/// Steps 1, 3 and 64: bytes 80 00 00 00 00 00 00 05.
const M: u64 = 0x8000_0000_0000_0005;
const M_TEXT: &str = "x-x------------- ---------------- ---------------- ---------------x";

#[test]
fn trig_mask_bits() {
    let m = TrigMask(M);
    let on: Vec<usize> = (0..70).filter(|&s| m.get(s)).collect();
    assert_eq!(on, [0, 2, 63]);
    assert_eq!(m.steps().collect::<Vec<_>>(), [0, 2, 63]);
    assert_eq!(TrigMask::from_steps([63, 2, 0, 64, 100]), m);
    // a step given twice is set once
    assert_eq!(TrigMask::from_steps([2, 0, 2, 63, 63]), m);
    assert_eq!(m.count(), 3);
    assert!(!m.is_empty());
    assert!(TrigMask::default().is_empty());
    assert_eq!(TrigMask::default().count(), 0);
    assert_eq!(m.to_bytes(), [0x80, 0, 0, 0, 0, 0, 0, 0x05]);
    let mut n = TrigMask::default();
    n.set(0, true).unwrap();
    n.set(2, true).unwrap();
    n.set(63, true).unwrap();
    n.set(5, true).unwrap();
    n.set(5, false).unwrap();
    n.set(7, false).unwrap();
    assert_eq!(n, m);
    assert_eq!(
        n.set(64, true).unwrap_err().to_string(),
        "step: value 64 out of range (0..=63)"
    );
    assert_eq!(n, m, "unchanged by the refused set");
    // read and written as 8 big-endian bytes
    let mut c = Cursor::new(vec![0x80, 0, 0, 0, 0, 0, 0, 0x05]);
    assert_eq!(
        TrigMask::read_options(&mut c, Endian::Little, ()).unwrap(),
        m
    );
}

#[test]
fn trig_mask_text() {
    let m = TrigMask(M);
    assert_eq!(m.to_string(), M_TEXT);
    assert_eq!(format!("{m:?}"), format!("TrigMask({M_TEXT})"));
    assert_eq!(M_TEXT.parse::<TrigMask>(), Ok(m));
    // other spellings: X and 1 set, . and 0 clear, | and spaces ignored
    let alt = format!("X.1{}|{}x", "0".repeat(13), ".".repeat(47));
    assert_eq!(alt.parse::<TrigMask>(), Ok(m));
    assert_eq!(
        "-".repeat(63).parse::<TrigMask>(),
        Err("trig mask has 63 steps, expected 64".to_string())
    );
    assert_eq!(
        "-".repeat(65).parse::<TrigMask>(),
        Err("trig mask has more than 64 steps".to_string())
    );
    assert_eq!(
        format!("{}y", "-".repeat(63)).parse::<TrigMask>(),
        Err("invalid step character 'y' in trig mask".to_string())
    );
    assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{M_TEXT}\""));
    assert_eq!(
        serde_json::from_str::<TrigMask>(&format!("\"{M_TEXT}\"")).unwrap(),
        m
    );
}

#[test]
fn lock_record() {
    let mut r = LockRecord::EMPTY;
    assert_eq!(r, LockRecord::default());
    assert!(r.is_empty());
    assert_eq!(r.get(0), None);
    r.set(0, Some(0)).unwrap();
    r.set(3, Some(7)).unwrap();
    r.set(31, Some(254)).unwrap();
    assert!(!r.is_empty());
    assert_eq!(r.get(0), Some(0));
    assert_eq!(r.get(3), Some(7));
    assert_eq!(r.get(4), None);
    assert_eq!(r.get(32), None);
    assert_eq!(r.0[3], 7);
    assert_eq!(r.0[4], NO_LOCK);
    assert_eq!(r.locks().collect::<Vec<_>>(), [(0, 0), (3, 7), (31, 254)]);
    assert_eq!(format!("{r:?}"), "{0: 0, 3: 7, 31: 254}");
    assert_eq!(
        r.set(32, Some(1)).unwrap_err().to_string(),
        "lock slot: value 32 out of range (0..=31)"
    );
    assert_eq!(
        r.set(2, Some(255)).unwrap_err().to_string(),
        "lock value: value 255 out of range (0..=254 (255 means no lock))"
    );
    r.set(3, None).unwrap();
    assert_eq!(r.0[3], NO_LOCK);
    assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"0":0,"31":254}"#);
}

#[test]
fn lock_records_as_a_view_and_owned() {
    // a 100-byte "file": 4 bytes of header, then 2 records (64 bytes), then 32 more
    let mut file = vec![0xAAu8; 4];
    let mut rec0 = [NO_LOCK; 32];
    rec0[1] = 9;
    file.extend_from_slice(&rec0);
    file.extend_from_slice(&[NO_LOCK; 32]);
    file.extend_from_slice(&[0x55; 32]);
    let src = Arc::new(file.clone());
    let mut c = Cursor::new(file.clone());
    c.set_position(4);
    let recs = LockRecords::<2>::read_options(&mut c, Endian::Big, (&src,)).unwrap();
    assert_eq!(c.position(), 68, "the reader moved past the two records");
    assert_eq!(recs.rows(), &[rec0, [NO_LOCK; 32]]);
    assert_eq!(recs.get(0, 1), Some(9));
    assert_eq!(recs.get(0, 2), None);
    assert_eq!(recs.get(2, 1), None);
    assert_eq!(recs.record(0), Some(LockRecord(rec0)));
    assert_eq!(recs.record(2), None);
    assert!(!recs.is_empty());
    assert_eq!(recs.iter().count(), 2);
    assert_eq!(format!("{recs:?}"), "{0: {1: 9}}");
    assert_eq!(serde_json::to_string(&recs).unwrap(), r#"{"0":{"1":9}}"#);
    let mut out = Cursor::new(Vec::new());
    recs.write_options(&mut out, Endian::Big, ()).unwrap();
    assert_eq!(out.into_inner(), file[4..68]);

    // the third record would run past the end: refused, naming the size
    let mut c = Cursor::new(file.clone());
    c.set_position(40);
    let e = LockRecords::<2>::read_options(&mut c, Endian::Big, (&src,))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("2 lock records (64 bytes) run past the end of the file"),
        "{e}"
    );
    // exactly to the end is fine
    let mut c = Cursor::new(file.clone());
    c.set_position(36);
    let tail = LockRecords::<2>::read_options(&mut c, Endian::Big, (&src,)).unwrap();
    assert_eq!(tail.rows(), &[[NO_LOCK; 32], [0x55; 32]]);

    // editing copies the view out; the file's bytes stay
    let mut edited = recs.clone();
    edited.set(1, 31, Some(4)).unwrap();
    assert_eq!(edited.get(1, 31), Some(4));
    assert_eq!(edited.get(0, 1), Some(9), "the rest copied");
    assert_eq!(recs.get(1, 31), None);
    assert_eq!(src[4 + 32 + 31], NO_LOCK);
    assert_ne!(edited, recs);
    assert_eq!(
        edited.set(2, 0, Some(1)).unwrap_err().to_string(),
        "record: value 2 out of range (0..=1)"
    );
    let mut r = LockRecord::EMPTY;
    r.set(5, Some(6)).unwrap();
    edited.set_record(0, r).unwrap();
    assert_eq!(edited.record(0), Some(r));
    assert!(edited.set_record(2, r).is_err());

    // equal content, equal value and hash, whether a view or owned
    let mut owned = LockRecords::<2>::default();
    assert!(owned.is_empty());
    owned.rows_mut()[0] = rec0;
    assert_eq!(owned, recs);
    let h = |x: &LockRecords<2>| {
        let mut s = DefaultHasher::new();
        x.hash(&mut s);
        s.finish()
    };
    assert_eq!(h(&owned), h(&recs));
    assert_ne!(h(&owned), h(&LockRecords::<2>::default()));
    let back: LockRecords<2> = serde_json::from_str(r#"{"0":{"1":9}}"#).unwrap();
    assert_eq!(back, recs);
    assert_eq!(
        serde_json::from_str::<LockRecords<2>>(r#"{"2":{"1":9}}"#)
            .unwrap_err()
            .to_string(),
        "lock record 2 out of range 0..=1"
    );
}

#[test]
fn raw_bytes_and_grids_in_hex() {
    let r = Raw([
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xAB, 0xCD, 0xEF,
    ]);
    assert_eq!(format!("{r:?}"), "Raw(0123456789abcdefabcdef)");
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        "\"0123456789abcdefabcdef\""
    );
    let back: Raw<11> = serde_json::from_str("\"0123456789abcdefABCDEF\"").unwrap();
    assert_eq!(back, r);
    assert_eq!(
        serde_json::from_str::<Raw<2>>("\"0a1\"")
            .unwrap_err()
            .to_string(),
        "expected 4 hex digits, found 3"
    );
    assert_eq!(
        serde_json::from_str::<Raw<2>>("\"0a1g\"")
            .unwrap_err()
            .to_string(),
        "invalid hex digit 'g'"
    );
    let mut c = Cursor::new(vec![1u8, 2, 3]);
    let raw = Raw::<3>::read_options(&mut c, Endian::Big, ()).unwrap();
    assert_eq!(raw.0, [1, 2, 3]);
    let mut out = Cursor::new(Vec::new());
    raw.write_options(&mut out, Endian::Big, ()).unwrap();
    assert_eq!(out.into_inner(), [1, 2, 3]);

    let b = Bytes([0u8, 127, 255]);
    assert_eq!(serde_json::to_string(&b).unwrap(), "[0,127,255]");
    assert_eq!(serde_json::from_str::<Bytes<3>>("[0,127,255]").unwrap(), b);
    assert_eq!(
        serde_json::from_str::<Bytes<3>>("[0,127]")
            .unwrap_err()
            .to_string(),
        "expected 3 bytes, found 2"
    );

    let g = Grid::<2, 3>::filled(0x5a);
    assert_eq!(g.0, [[0x5a; 2]; 3]);
    assert_eq!(
        serde_json::to_string(&g).unwrap(),
        r#"["5a5a","5a5a","5a5a"]"#
    );
    assert_eq!(
        serde_json::from_str::<Grid<2, 3>>(r#"["5a5a","5a5a","5A5A"]"#).unwrap(),
        g
    );
    assert_eq!(
        serde_json::from_str::<Grid<2, 3>>(r#"["5a5a"]"#)
            .unwrap_err()
            .to_string(),
        "expected 3 rows, found 1"
    );
    let mut c = Cursor::new(vec![1u8, 2, 3, 4, 5, 6]);
    let g = Grid::<2, 3>::read_options(&mut c, Endian::Big, ()).unwrap();
    assert_eq!(g.0, [[1, 2], [3, 4], [5, 6]]);
    let mut out = Cursor::new(Vec::new());
    g.write_options(&mut out, Endian::Big, ()).unwrap();
    assert_eq!(out.into_inner(), [1, 2, 3, 4, 5, 6]);
}

#[test]
fn step_words_big_endian() {
    let mut bytes = vec![0u8; 128];
    bytes[0] = 0x12;
    bytes[1] = 0x34;
    bytes[126] = 0x00;
    bytes[127] = 0x01;
    let mut c = Cursor::new(bytes.clone());
    let w = StepWords::read_options(&mut c, Endian::Little, ()).unwrap();
    assert_eq!(w.0[0], StepWord(0x1234));
    assert_eq!(w.0[63], StepWord(1));
    assert_eq!(w.0[1], StepWord(0));
    let mut out = Cursor::new(Vec::new());
    w.write_options(&mut out, Endian::Little, ()).unwrap();
    assert_eq!(out.into_inner(), bytes);
    assert_eq!(serde_json::to_string(&w).unwrap(), r#"{"0":4660,"63":1}"#);
    assert_eq!(
        serde_json::from_str::<StepWords>(r#"{"0":4660,"63":1}"#).unwrap(),
        w
    );
    assert_eq!(
        serde_json::from_str::<StepWords>(r#"{"64":1}"#)
            .unwrap_err()
            .to_string(),
        "step 64 out of range 0..=63"
    );
    assert_eq!(StepWords::default().0, [StepWord(0); 64]);
}
