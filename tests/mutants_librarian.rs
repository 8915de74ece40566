#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Sysex helpers (`src/librarian/sysex.rs`) against hand-built streams and the vendors'
//! formulas worked by hand: Roland's GS reset (`F0 41 10 42 12 40 00 7F 00 41 F7`), 8-in-7
//! packing in both bit orders, nibbles, 14-bit values, name fields, SHA-256 of "abc".

use octa::librarian::sysex::{self, BitOrder, MAX_MESSAGE, Span, SysexError};

#[test]
fn split_finds_messages_strays_and_broken_ones() {
    // 0: stray; 1..5 a message; 5, 6 stray; 7 cut by a new F0 at 9; 9..12 a message; 12 unterminated
    let data = [
        0x00, 0xF0, 0x01, 0x02, 0xF7, 0x55, 0x66, 0xF0, 0x03, 0xF0, 0x04, 0xF7, 0xF0, 0x05,
    ];
    let s = sysex::split(&data);
    assert_eq!(
        s.spans,
        [Span { start: 1, end: 5 }, Span { start: 9, end: 12 }]
    );
    assert_eq!(s.stray, 3);
    assert_eq!(
        s.errors,
        [
            SysexError::Unterminated { offset: 7 },
            SysexError::Unterminated { offset: 12 }
        ]
    );
    assert_eq!(
        sysex::messages(&data),
        [vec![0xF0, 0x01, 0x02, 0xF7], vec![0xF0, 0x04, 0xF7]]
    );
    assert_eq!(
        sysex::messages_strict(&data).unwrap_err().to_string(),
        "unterminated sysex message starting at byte 7 (no F7 before the end)"
    );
    let clean = [0xF0, 0x7F, 0xF7, 0xF0, 0xF7];
    assert_eq!(
        sysex::messages_strict(&clean).unwrap(),
        [&clean[0..3], &clean[3..5]]
    );
    // a status byte inside a message
    let s = sysex::split(&[0xF0, 0x01, 0x90, 0x02, 0xF7, 0xF0, 0x00, 0xF7]);
    assert_eq!(s.spans, [Span { start: 5, end: 8 }]);
    assert_eq!(s.stray, 0);
    assert_eq!(
        s.errors[0].to_string(),
        "sysex message starting at byte 0: byte 2 is 0x90, expected data bytes (below 0x80) until F7"
    );
}

#[test]
fn the_largest_message_is_accepted_and_one_byte_more_is_not() {
    let mut m = vec![0u8; MAX_MESSAGE];
    m[0] = 0xF0;
    m[MAX_MESSAGE - 1] = 0xF7;
    let s = sysex::split(&m);
    assert_eq!(
        s.spans,
        [Span {
            start: 0,
            end: MAX_MESSAGE
        }]
    );
    m.insert(1, 0);
    let s = sysex::split(&m);
    assert!(s.spans.is_empty());
    assert_eq!(
        s.errors,
        [SysexError::Oversized {
            offset: 0,
            len: MAX_MESSAGE + 1,
            limit: 4 * 1024 * 1024
        }]
    );
}

#[test]
fn eight_in_seven_packing_by_hand() {
    // 80 01 FF: high bits of bytes 1 and 3
    let raw = [0x80, 0x01, 0xFF];
    assert_eq!(
        sysex::pack_7bit(&raw, BitOrder::MsbFirst),
        [0x50, 0x00, 0x01, 0x7F]
    );
    assert_eq!(
        sysex::pack_7bit(&raw, BitOrder::LsbFirst),
        [0x05, 0x00, 0x01, 0x7F]
    );
    assert_eq!(
        sysex::unpack_7bit(&[0x50, 0x00, 0x01, 0x7F], BitOrder::MsbFirst),
        raw
    );
    assert_eq!(
        sysex::unpack_7bit(&[0x05, 0x00, 0x01, 0x7F], BitOrder::LsbFirst),
        raw
    );
    // eight bytes: a full group of seven (header 0x7F, all high) and a group of one
    let raw = [0xFF; 8];
    assert_eq!(
        sysex::pack_7bit(&raw, BitOrder::MsbFirst),
        [0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x40, 0x7F]
    );
    assert_eq!(
        sysex::pack_7bit(&raw, BitOrder::LsbFirst)[8..],
        [0x01, 0x7F]
    );
    for (packed, raw) in [
        (0, 0),
        (1, 0),
        (2, 1),
        (3, 2),
        (8, 7),
        (9, 7),
        (10, 8),
        (16, 14),
    ] {
        assert_eq!(sysex::unpacked_len(packed), raw, "unpacked_len({packed})");
    }
    for (raw, packed) in [(0, 0), (1, 2), (6, 7), (7, 8), (8, 10), (14, 16), (15, 18)] {
        assert_eq!(sysex::packed_len(raw), packed, "packed_len({raw})");
    }
}

#[test]
fn nibbles_by_hand() {
    assert_eq!(
        sysex::nibbles_lo_hi(&[0xAB, 0x01]),
        [0x0B, 0x0A, 0x01, 0x00]
    );
    assert_eq!(
        sysex::nibbles_hi_lo(&[0xAB, 0x01]),
        [0x0A, 0x0B, 0x00, 0x01]
    );
    // high bits of the low nibble are dropped; an odd last nibble is ignored
    assert_eq!(sysex::denibble_lo_hi(&[0x1B, 0x0A, 0x05]), [0xAB]);
    assert_eq!(sysex::denibble_hi_lo(&[0x0A, 0x1B, 0x05]), [0xAB]);
}

#[test]
fn vendor_checksums_by_hand() {
    // Roland GS reset: F0 41 10 42 12 | 40 00 7F 00 | 41 F7
    assert_eq!(sysex::roland_checksum(&[0x40, 0x00, 0x7F, 0x00]), 0x41);
    // 40 11 00 41 63: sum 245, 245 mod 128 = 117, 128 - 117 = 11
    assert_eq!(
        sysex::roland_checksum(&[0x40, 0x11, 0x00, 0x41, 0x63]),
        0x0B
    );
    // a sum that is a multiple of 128 gives 0
    assert_eq!(sysex::roland_checksum(&[0x40, 0x40]), 0x00);
    assert_eq!(sysex::yamaha_checksum(&[0x40, 0x00, 0x7F, 0x00]), 0x41);
    // Waldorf: the sum's low 7 bits
    assert_eq!(sysex::waldorf_checksum(&[0x7F, 0x02]), 0x01);
    assert_eq!(sysex::waldorf_checksum(&[0x10, 0x20]), 0x30);
    // Elektron: 200 x 7F = 25400 = 0x6338, low 14 bits 0x2338
    assert_eq!(sysex::elektron_checksum(&[0x7F; 200]), 0x2338);
    assert_eq!(sysex::u14_msb(0x2338), [0x46, 0x38]);
    assert_eq!(sysex::from_u14_msb(0x46, 0x38), 0x2338);
    assert_eq!(sysex::from_u14_msb(0xC6, 0xB8), 0x2338, "bit 7 ignored");
    assert_eq!(sysex::u14_msb(0xFFFF), [0x7F, 0x7F]);
}

#[test]
fn name_fields() {
    assert_eq!(sysex::name_from_bytes(b"AB\x01 C\x7F\0XYZ"), "AB? C?");
    assert_eq!(sysex::name_from_bytes(b"PAD  "), "PAD  ");
    assert_eq!(sysex::name_to_bytes("H\u{e9}llo\n", 8, b' '), b"H?llo?  ");
    assert_eq!(sysex::name_to_bytes("ABCDEFGHIJ", 4, 0), b"ABCD");
    // a field already reading as the name is left byte for byte
    let mut field = *b"KICK\0zzz";
    sysex::set_name(&mut field, "KICK", b' ');
    assert_eq!(&field, b"KICK\0zzz");
    sysex::set_name(&mut field, "SNARE", b' ');
    assert_eq!(&field, b"SNARE   ");
}

#[test]
fn digests_and_hex_text() {
    assert_eq!(
        sysex::digest_hex(&[b"ab", b"c"]),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(sysex::to_hex(&[0xF0, 0x0A, 0xF7]), "F0 0A F7");
    assert_eq!(sysex::to_hex(&[]), "");
}

#[test]
fn program_numbers_across_banks() {
    use octa::librarian::adaptation::{BankDescriptor, bank_start, locate};
    let bank = |bank: u32, size: u32| BankDescriptor {
        bank,
        name: format!("B{bank}"),
        size,
        kind: "Patch".into(),
        is_rom: false,
    };
    // banks 3 (100 programs) then 7 (28): programs 0..99 in bank 3, 100..127 in bank 7
    let banks = [bank(3, 100), bank(7, 28)];
    assert_eq!(locate(&banks, 0), Some((3, 0)));
    assert_eq!(locate(&banks, 99), Some((3, 99)));
    assert_eq!(locate(&banks, 100), Some((7, 0)));
    assert_eq!(locate(&banks, 127), Some((7, 27)));
    assert_eq!(locate(&banks, 128), None);
    assert_eq!(bank_start(&banks, 3), Some(0));
    assert_eq!(bank_start(&banks, 7), Some(100));
    assert_eq!(bank_start(&banks, 0), None);
}

/// An adaptation with only what it must have, and two banks (3 "A" of 100, 7 "B" of 28).
struct Minimal;

impl octa::librarian::adaptation::Adaptation for Minimal {
    fn name(&self) -> String {
        "Minimal".into()
    }
    fn create_device_detect_message(&self, _channel: u8) -> Vec<u8> {
        vec![0xF0, 0xF7]
    }
    fn channel_if_valid_device_response(&self, _message: &[u8]) -> Option<u8> {
        None
    }
    fn bank_descriptors(&self) -> Vec<octa::librarian::adaptation::BankDescriptor> {
        let bank = |bank: u32, name: &str, size: u32| octa::librarian::adaptation::BankDescriptor {
            bank,
            name: name.into(),
            size,
            kind: "Patch".into(),
            is_rom: false,
        };
        vec![bank(3, "A", 100), bank(7, "B", 28)]
    }
}

#[test]
fn an_adaptation_s_defaults() {
    use octa::librarian::adaptation::Adaptation;
    let a = Minimal;
    assert_eq!(a.rename_patch(&[0xF0, 0xF7], "NEW"), None, "cannot rename");
    assert_eq!(a.friendly_bank_name(3), "A");
    assert_eq!(a.friendly_bank_name(7), "B");
    assert_eq!(a.friendly_bank_name(0), "Bank 1");
    assert_eq!(a.friendly_program_name(100), "B-001");
    assert_eq!(a.friendly_program_name(99), "A-100");
    assert_eq!(a.friendly_program_name(500), "500");
    assert!(a.is_default_name("  "));
    assert!(!a.is_default_name("Lead"));
    assert_eq!(
        a.fingerprint(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn an_import_is_stamped_with_the_time_it_was_made() {
    use octa::librarian::{Registry, db::Database, import_file};
    use std::time::{SystemTime, UNIX_EPOCH};
    let Some(path) =
        octa::testutil::corpus("sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut db = Database::open(&dir.path().join("librarian.sqlite")).unwrap();
    let secs = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
    };
    let before = secs();
    import_file(&mut db, &Registry::builtin(), &path, None).unwrap();
    let after = secs();
    let imports = db.imports().unwrap();
    assert_eq!(imports.len(), 1);
    let at = imports[0].imported_at;
    assert!(before <= at && at <= after, "{before} <= {at} <= {after}");
}
