#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `markers.work` (`src/format/markers.rs`) against the file map of the format doc §5: a 22-byte
//! header (version 4 at byte 21), 264 records of 784 bytes from byte 22 (Flex 1..128, then
//! recorder buffers 1..8, then Static 1..128), each u32 big-endian: trim start +0, trim end +4,
//! loop point +8, 64 slices of {start, end, loop} from +12, slice count +780; the checksum is
//! the sum of bytes 16..206998 mod 2^16, big-endian at 206998 (0x0004 for a blank file).

use octa::format::markers::Markers;
use octa::format::regions::{Slice, SlotMarkers};
use octa::format::slot_attrs::SlotRef;

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

fn checksum_ok(b: &[u8]) -> bool {
    let sum: u32 = b[16..206_998].iter().map(|&x| u32::from(x)).sum();
    (sum & 0xFFFF) as u16 == u16::from_be_bytes([b[206_998], b[206_999]])
}

const FLEX3: usize = 22 + 2 * 784;
const REC8: usize = 22 + (128 + 7) * 784;
const STATIC1: usize = 22 + 136 * 784;

#[test]
fn blank_file() {
    let m = Markers::blank();
    let b = m.to_bytes();
    assert_eq!(b.len(), 207_000);
    assert_eq!(b[21], 4);
    assert_eq!(&b[206_998..], &[0x00, 0x04]);
    assert!(b[22..206_998].iter().all(|&x| x == 0));
    assert!(m.used_slots().is_empty());
    assert!(m.is_empty(SlotRef::Flex(1)).unwrap());
    assert!(!m.is_edited());
}

#[test]
fn records_sit_where_the_doc_says() {
    let mut m = Markers::blank();
    m.assign_sample(SlotRef::Flex(3), 88_200).unwrap();
    m.set_trim_start(SlotRef::Recorder(8), 5).unwrap();
    m.set_trim_end(SlotRef::Recorder(8), 611_561).unwrap();
    m.set_loop_point(SlotRef::Recorder(8), 7).unwrap();
    let slices = [
        Slice {
            start: 0,
            end: 100,
            loop_start: 0xFFFF_FFFF,
        },
        Slice {
            start: 100,
            end: 200,
            loop_start: 150,
        },
    ];
    m.set_slices(SlotRef::Static(1), &slices).unwrap();
    assert!(m.is_edited());
    let b = m.to_bytes();
    assert!(checksum_ok(&b));
    assert_eq!(be32(&b, FLEX3), 0);
    assert_eq!(be32(&b, FLEX3 + 4), 88_200);
    assert_eq!(
        (be32(&b, REC8), be32(&b, REC8 + 4), be32(&b, REC8 + 8)),
        (5, 611_561, 7)
    );
    let s = STATIC1 + 12;
    assert_eq!(
        (0..6).map(|k| be32(&b, s + 4 * k)).collect::<Vec<_>>(),
        [0, 100, 0xFFFF_FFFF, 100, 200, 150]
    );
    assert_eq!(be32(&b, STATIC1 + 780), 2);
    // nothing else written
    let mut rest = b.clone();
    for at in [FLEX3, REC8, STATIC1] {
        rest[at..at + 784].fill(0);
    }
    assert!(rest[22..206_998].iter().all(|&x| x == 0));

    // read back through the accessors
    assert_eq!(m.trim_end(SlotRef::Flex(3)).unwrap(), 88_200);
    assert_eq!(m.trim_start(SlotRef::Recorder(8)).unwrap(), 5);
    assert_eq!(m.trim_end(SlotRef::Recorder(8)).unwrap(), 611_561);
    assert_eq!(m.loop_point(SlotRef::Recorder(8)).unwrap(), 7);
    assert_eq!(m.slice_count(SlotRef::Static(1)).unwrap(), 2);
    assert_eq!(m.slices(SlotRef::Static(1)).unwrap(), slices);
    assert_eq!(
        m.slice_entry(SlotRef::Static(1), 1).unwrap(),
        Some(slices[1])
    );
    assert_eq!(
        m.slot(SlotRef::Static(1)).unwrap(),
        SlotMarkers {
            trim_start: 0,
            trim_end: 0,
            loop_point: 0,
            slices: slices.to_vec(),
        }
    );
    assert_eq!(
        m.used_slots(),
        [SlotRef::Flex(3), SlotRef::Recorder(8), SlotRef::Static(1)]
    );
    assert!(!m.is_empty(SlotRef::Flex(3)).unwrap());
    assert!(m.is_empty(SlotRef::Flex(4)).unwrap());

    // an entry beyond the count is written but not in use
    let stale = Slice {
        start: 1,
        end: 2,
        loop_start: 3,
    };
    m.set_slice_entry(SlotRef::Static(1), 5, stale).unwrap();
    assert_eq!(be32(&m.to_bytes(), STATIC1 + 12 + 5 * 12 + 8), 3);
    assert_eq!(m.slice_count(SlotRef::Static(1)).unwrap(), 2);
    assert_eq!(m.slice_entry(SlotRef::Static(1), 5).unwrap(), Some(stale));

    // a whole slot's markers
    let sm = SlotMarkers {
        trim_start: 9,
        trim_end: 99,
        loop_point: 19,
        slices: vec![stale],
    };
    m.set_slot(SlotRef::Flex(128), &sm).unwrap();
    let at = 22 + 127 * 784;
    let b = m.to_bytes();
    assert_eq!(
        (be32(&b, at), be32(&b, at + 4), be32(&b, at + 8)),
        (9, 99, 19)
    );
    assert_eq!(be32(&b, at + 780), 1);
    assert_eq!(m.slot(SlotRef::Flex(128)).unwrap(), sm);

    // cleared: all zero again
    m.clear_slot(SlotRef::Flex(3)).unwrap();
    assert!(m.is_empty(SlotRef::Flex(3)).unwrap());
    assert!(m.to_bytes()[FLEX3..FLEX3 + 784].iter().all(|&x| x == 0));
    assert!(checksum_ok(&m.to_bytes()));

    // slots out of range are refused, nothing written
    for bad in [SlotRef::Flex(0), SlotRef::Flex(129), SlotRef::Recorder(9)] {
        assert!(m.set_trim_end(bad, 1).is_err(), "{bad:?}");
        assert!(m.trim_end(bad).is_err());
    }

    // the JSON form brings back the same bytes; a slot twice is refused
    let j = serde_json::to_value(&m).unwrap();
    let back: Markers = serde_json::from_value(j.clone()).unwrap();
    assert_eq!(back.to_bytes(), m.to_bytes());
    let mut twice = j.clone();
    let first = twice["slots"][0].clone();
    twice["slots"].as_array_mut().unwrap().push(first);
    let e = serde_json::from_value::<Markers>(twice)
        .unwrap_err()
        .to_string();
    assert!(e.contains("one markers record for"), "{e}");
    // parsed back from bytes
    let p = Markers::parse(&m.to_bytes()).unwrap();
    assert!(p.warnings().is_empty());
    assert_eq!(p.to_bytes(), m.to_bytes());
}
