#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Librarian conversions against messages built by hand in this file, with checksums and
//! 8-in-7 packing computed by each manufacturer's published rule (Roland and Yamaha: the
//! 7-bit two's complement of the sum; Waldorf: the 7-bit sum; Elektron: the 14-bit sum of
//! the packed bytes; Korg and DSI: LSB-first 8-in-7, no checksum), never by octa's helpers.
//! Also the stray bytes counted around sysex inside `.syx` and `.mid` files.

use octa::librarian::adaptation::Adaptation;
use octa::librarian::builtin::{Blofeld, Elektron, KorgM1, RolandJv1080, YamahaDx7};
use octa::librarian::file::{messages_from_bytes, read_messages};
use octa::librarian::sysex::SysexError;

// ------------------------------------------------------------ the formulas

/// Roland (and Yamaha DX7): 128 minus the 7-bit sum, 0 instead of 128.
fn twos_complement_7bit(bytes: &[u8]) -> u8 {
    let sum: u32 = bytes.iter().map(|&b| u32::from(b)).sum();
    match 128 - sum % 128 {
        128 => 0,
        c => c as u8,
    }
}

/// Waldorf Blofeld: the 7-bit sum of the sound data.
fn sum_7bit(bytes: &[u8]) -> u8 {
    (bytes.iter().map(|&b| u32::from(b)).sum::<u32>() % 128) as u8
}

/// 8-in-7 packing: per 7 raw bytes a byte of their top bits, then the 7 low bits of each.
/// `msb_first` (Elektron) puts the first byte's top bit in bit 6; else in bit 0 (Korg, DSI).
fn pack(raw: &[u8], msb_first: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in raw.chunks(7) {
        let mut top = 0u8;
        for (i, &b) in chunk.iter().enumerate() {
            if b & 0x80 != 0 {
                top |= if msb_first { 0x40 >> i } else { 1 << i };
            }
        }
        out.push(top);
        out.extend(chunk.iter().map(|b| b & 0x7F));
    }
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
fn the_formulas_match_published_examples() {
    // Roland GS reset, as printed in Roland manuals: F0 41 10 42 12 40 00 7F 00 41 F7.
    assert_eq!(twos_complement_7bit(&[0x40, 0x00, 0x7F, 0x00]), 0x41);
    assert_eq!(
        octa::librarian::sysex::roland_checksum(&[0x40, 0x00, 0x7F, 0x00]),
        0x41
    );
    assert_eq!(twos_complement_7bit(&[]), 0);
    assert_eq!(twos_complement_7bit(&[0x80]), 0);
    // Elektron MSB-first: the first byte's top bit is bit 6 of the header byte.
    assert_eq!(pack(&[0x80, 1, 2], true), [0x40, 0, 1, 2]);
    assert_eq!(pack(&[0x80, 1, 2], false), [0x01, 0, 1, 2]);
}

// ------------------------------------------------------------ Roland JV-1080

const JV_BLOCKS: [u8; 5] = [0x00, 0x10, 0x12, 0x14, 0x16];

fn dt1(device: u8, addr: [u8; 4], data: &[u8]) -> Vec<u8> {
    let sum = twos_complement_7bit(&cat(&[&addr, data]));
    cat(&[&[0xF0, 0x41, device, 0x6A, 0x12], &addr, data, &[sum, 0xF7]])
}

/// The data of the five blocks of a patch: common (72 bytes, name first) and four tones (129).
fn jv_data(name: &[u8; 12]) -> Vec<Vec<u8>> {
    JV_BLOCKS
        .iter()
        .map(|&b| {
            let len = if b == 0 { 0x48 } else { 0x81 };
            let mut d: Vec<u8> = (0..len)
                .map(|i| ((i * 7 + b as usize) % 128) as u8)
                .collect();
            if b == 0 {
                d[..12].copy_from_slice(name);
            }
            d
        })
        .collect()
}

fn jv_patch(device: u8, area: u8, slot: u8, data: &[Vec<u8>]) -> Vec<u8> {
    JV_BLOCKS
        .iter()
        .zip(data)
        .flat_map(|(&b, d)| dt1(device, [area, slot, b, 0], d))
        .collect()
}

#[test]
fn roland_jv1080_conversions_match_hand_built_dt1_messages() {
    let jv = RolandJv1080;
    let data = jv_data(b"Hand Built 1");
    let user5 = jv_patch(0x10, 0x11, 5, &data);
    let pd = jv.program_dump().unwrap();
    let eb = jv.edit_buffer().unwrap();
    assert!(pd.is_single_program_dump(&user5));
    assert!(!eb.is_edit_buffer_dump(&user5));
    assert_eq!(pd.number_from_dump(&user5), Some(5));
    assert_eq!(jv.name_from_dump(&user5).as_deref(), Some("Hand Built 1"));

    // Edit buffer on channel 3: device id 0x12, temporary patch 03 00.
    let temp = jv_patch(0x12, 0x03, 0, &data);
    assert_eq!(eb.convert_to_edit_buffer(2, &user5), Some(temp.clone()));
    assert!(eb.is_edit_buffer_dump(&temp));
    assert_eq!(pd.number_from_dump(&temp), None);
    // And back to user patch 78 on channel 1.
    assert_eq!(
        pd.convert_to_program_dump(0, &temp, 77),
        Some(jv_patch(0x10, 0x11, 77, &data))
    );
    // A rename rewrites the name (space padded) and that block's checksum only.
    let renamed = jv_data(b"Pad         ");
    assert_eq!(
        jv.rename_patch(&user5, "Pad"),
        Some(jv_patch(0x10, 0x11, 5, &renamed))
    );

    // Requests: RQ1 for a whole patch (size 00 00 17 01), checksum by the same rule.
    let rq = |addr: [u8; 4]| {
        let size = [0x00, 0x00, 0x17, 0x01];
        let sum = twos_complement_7bit(&cat(&[&addr, &size]));
        cat(&[&[0xF0, 0x41, 0x10, 0x6A, 0x11], &addr, &size, &[sum, 0xF7]])
    };
    assert_eq!(pd.create_program_dump_request(0, 5), rq([0x11, 5, 0, 0]));
    assert_eq!(
        pd.create_program_dump_request(0, 0),
        [
            0xF0, 0x41, 0x10, 0x6A, 0x11, 0x11, 0, 0, 0, 0, 0, 0x17, 0x01, 0x57, 0xF7
        ]
    );
    assert_eq!(eb.create_edit_buffer_request(0), rq([0x03, 0, 0, 0]));

    // One wrong checksum: not a patch any more, and the message names both values.
    let mut bad = user5.clone();
    let common_end = 11 + 0x48;
    bad[common_end - 2] ^= 0x01;
    assert!(!pd.is_single_program_dump(&bad));
    let common = &bad[..common_end];
    let want = twos_complement_7bit(&common[5..common_end - 2]);
    match jv.check_message(common) {
        Err(SysexError::Checksum {
            stored, computed, ..
        }) => {
            assert_eq!(computed, u32::from(want));
            assert_eq!(stored, u32::from(want ^ 0x01));
        }
        other => panic!("{other:?}"),
    }
    assert!(jv.check_message(&user5[..common_end]).is_ok());
}

// ------------------------------------------------------------ Yamaha DX7

fn dx7_voice(name: &[u8; 10]) -> Vec<u8> {
    let mut v: Vec<u8> = (0..155).map(|i| (i * 13 % 100) as u8).collect();
    v[145..].copy_from_slice(name);
    v
}

fn dx7_single(channel: u8, voice: &[u8]) -> Vec<u8> {
    let sum = twos_complement_7bit(voice);
    cat(&[
        &[0xF0, 0x43, channel, 0x00, 0x01, 0x1B],
        voice,
        &[sum, 0xF7],
    ])
}

#[test]
fn yamaha_dx7_conversions_match_hand_built_voice_dumps() {
    let dx = YamahaDx7::dx7();
    let eb = dx.edit_buffer().unwrap();
    let voice = dx7_voice(b"HAND VOICE");
    let single = dx7_single(0, &voice);
    assert_eq!(single.len(), 163);
    assert!(eb.is_edit_buffer_dump(&single));
    assert_eq!(dx.name_from_dump(&single).as_deref(), Some("HAND VOICE"));
    assert_eq!(
        eb.convert_to_edit_buffer(5, &single),
        Some(dx7_single(5, &voice))
    );
    assert_eq!(
        dx.rename_patch(&single, "BRASS"),
        Some(dx7_single(0, &dx7_voice(b"BRASS     ")))
    );
    let mut bad = single.clone();
    bad[161] = (bad[161] + 1) % 128;
    assert!(!eb.is_edit_buffer_dump(&bad));
    assert!(matches!(
        dx.check_message(&bad),
        Err(SysexError::Checksum { .. })
    ));
    assert!(dx.check_message(&single).is_ok());

    // A 32-voice bulk dump: 32 x 128 packed bytes, one checksum over all 4096.
    let packed: Vec<Vec<u8>> = (0..32u8)
        .map(|v| {
            let mut p: Vec<u8> = (0..128).map(|i| ((i + v as usize) % 32) as u8).collect();
            p[110] = v; // algorithm (bits 0-4) in the packed layout
            p[118..128].copy_from_slice(format!("VOICE {v:02}  ").as_bytes());
            p
        })
        .collect();
    let body = packed.concat();
    let bank = cat(&[
        &[0xF0, 0x43, 0x00, 0x09, 0x20, 0x00],
        &body,
        &[twos_complement_7bit(&body), 0xF7],
    ]);
    let bd = dx.bank_dump().unwrap();
    assert!(bd.is_part_of_bank_dump(&bank));
    let voices = bd.extract_patches_from_bank(std::slice::from_ref(&bank));
    assert_eq!(voices.len(), 32);
    for (v, m) in voices.iter().enumerate() {
        assert_eq!(m.len(), 163, "voice {v}");
        assert_eq!(m[..6], [0xF0, 0x43, 0x00, 0x00, 0x01, 0x1B]);
        assert_eq!(m[161], twos_complement_7bit(&m[6..161]), "voice {v}");
        // Unpacked layout: algorithm at 134, name at 145..155.
        assert_eq!(m[6 + 134], v as u8);
        assert_eq!(&m[6 + 145..6 + 155], format!("VOICE {v:02}  ").as_bytes());
    }
    let mut bad = bank.clone();
    bad[4102] ^= 0x01;
    assert!(!bd.is_part_of_bank_dump(&bad));
}

// ------------------------------------------------------------ Waldorf Blofeld

fn blofeld_data(name: &[u8; 16]) -> Vec<u8> {
    let mut d: Vec<u8> = (0..383).map(|i| (i * 5 % 128) as u8).collect();
    d[363..379].copy_from_slice(name);
    d
}

fn blofeld_sound(bank: u8, prog: u8, data: &[u8]) -> Vec<u8> {
    cat(&[
        &[0xF0, 0x3E, 0x13, 0x00, 0x10, bank, prog],
        data,
        &[sum_7bit(data), 0xF7],
    ])
}

#[test]
fn blofeld_conversions_match_hand_built_sound_dumps() {
    let b = Blofeld;
    let data = blofeld_data(b"Hand Sound     X");
    let a003 = blofeld_sound(0, 2, &data);
    assert_eq!(a003.len(), 392);
    let (eb, pd) = (b.edit_buffer().unwrap(), b.program_dump().unwrap());
    assert!(pd.is_single_program_dump(&a003));
    assert_eq!(pd.number_from_dump(&a003), Some(2));
    assert_eq!(
        eb.convert_to_edit_buffer(0, &a003),
        Some(blofeld_sound(0x7F, 0, &data))
    );
    // Program 130 is bank B (1), program 3 (2).
    assert_eq!(
        pd.convert_to_program_dump(0, &a003, 130),
        Some(blofeld_sound(1, 2, &data))
    );
    assert_eq!(b.friendly_program_name(130), "B003");
    assert_eq!(
        b.rename_patch(&a003, "Renamed"),
        Some(blofeld_sound(0, 2, &blofeld_data(b"Renamed         ")))
    );
    let mut bad = a003.clone();
    bad[390] = (bad[390] + 1) % 0x7F;
    match b.check_message(&bad) {
        Err(SysexError::Checksum {
            stored, computed, ..
        }) => {
            assert_eq!(computed, u32::from(sum_7bit(&data)));
            assert_eq!(stored, u32::from(bad[390]));
        }
        other => panic!("{other:?}"),
    }
    assert!(b.check_message(&a003).is_ok());
}

// ------------------------------------------------------------ Elektron

fn elektron(product: u8, device: u8, cmd: u8, object: u8, raw: &[u8]) -> Vec<u8> {
    let packed = pack(raw, true);
    let sum = packed.iter().map(|&b| u32::from(b)).sum::<u32>() & 0x3FFF;
    let len = packed.len() + 5;
    cat(&[
        &[
            0xF0, 0x00, 0x20, 0x3C, product, device, cmd, 0x01, 0x01, object,
        ],
        &packed,
        &[(sum >> 7) as u8, (sum & 0x7F) as u8],
        &[(len >> 7) as u8, (len & 0x7F) as u8, 0xF7],
    ])
}

fn elektron_sound(name: &[u8]) -> Vec<u8> {
    // Big enough that the packed sum passes 16383 and the 14-bit mask matters.
    let mut raw: Vec<u8> = (0..300).map(|i| (i * 37 % 256) as u8 | 0x80).collect();
    raw[..4].copy_from_slice(&[0xBE, 0xEF, 0xBA, 0xCE]);
    raw[12..28].fill(0);
    raw[12..12 + name.len()].copy_from_slice(name);
    raw
}

#[test]
fn elektron_conversions_match_hand_packed_dumps() {
    let dn = Elektron::digitone();
    let raw = elektron_sound(b"HAND PAD");
    let s12 = elektron(0x0D, 0, 0x53, 12, &raw);
    let packed_sum: u32 = s12[10..s12.len() - 5].iter().map(|&b| u32::from(b)).sum();
    assert!(packed_sum > 0x3FFF, "{packed_sum}");
    let (eb, pd) = (dn.edit_buffer().unwrap(), dn.program_dump().unwrap());
    assert!(pd.is_single_program_dump(&s12));
    assert_eq!(pd.number_from_dump(&s12), Some(12));
    assert_eq!(dn.name_from_dump(&s12).as_deref(), Some("HAND PAD"));
    assert_eq!(dn.decode(&s12).unwrap(), raw);
    // The work buffer (cmd 59, object 0) on device 3; program 77 on device 0.
    assert_eq!(
        eb.convert_to_edit_buffer(3, &s12),
        Some(elektron(0x0D, 3, 0x59, 0, &raw))
    );
    assert_eq!(
        pd.convert_to_program_dump(0, &s12, 77),
        Some(elektron(0x0D, 0, 0x53, 77, &raw))
    );
    assert_eq!(
        dn.rename_patch(&s12, "NEW"),
        Some(elektron(0x0D, 0, 0x53, 12, &elektron_sound(b"NEW")))
    );
    // Requests have an empty payload: checksum 0, length 5 (midi-and-sysex.md 3.2).
    assert_eq!(
        pd.create_program_dump_request(0, 5),
        [
            0xF0, 0x00, 0x20, 0x3C, 0x0D, 0x00, 0x63, 0x01, 0x01, 0x05, 0, 0, 0, 5, 0xF7
        ]
    );
    // A wrong checksum or length field is refused with both values.
    let l = s12.len();
    let mut bad = s12.clone();
    bad[l - 4] ^= 0x01;
    assert!(!pd.is_single_program_dump(&bad));
    assert!(matches!(
        dn.check_message(&bad),
        Err(SysexError::Checksum { .. })
    ));
    let mut bad = s12.clone();
    bad[l - 2] ^= 0x01;
    assert!(matches!(
        dn.check_message(&bad),
        Err(SysexError::Length { .. })
    ));
    // Another product's dump is not this one's.
    let rytm = elektron(0x07, 0, 0x53, 12, &raw);
    assert!(!pd.is_single_program_dump(&rytm));
    assert!(
        Elektron::analog_rytm()
            .program_dump()
            .unwrap()
            .is_single_program_dump(&rytm)
    );
}

// ------------------------------------------------------------ Korg M1

fn m1_program(name: &[u8; 10], seed: u8) -> Vec<u8> {
    let mut raw: Vec<u8> = (0..143)
        .map(|i| (i as u8).wrapping_mul(29) ^ seed)
        .collect();
    raw[..10].copy_from_slice(name);
    raw
}

#[test]
fn korg_m1_conversions_match_hand_packed_dumps() {
    // The M1 has no checksum: the packing (LSB-first) is what must be right.
    let m1 = KorgM1;
    let raw = m1_program(b"HandPiano ", 0x80);
    let one = cat(&[&[0xF0, 0x42, 0x30, 0x19, 0x40], &pack(&raw, false), &[0xF7]]);
    let eb = m1.edit_buffer().unwrap();
    assert!(eb.is_edit_buffer_dump(&one));
    assert_eq!(m1.name_from_dump(&one).as_deref(), Some("HandPiano "));
    assert_eq!(
        eb.convert_to_edit_buffer(4, &one),
        Some(cat(&[
            &[0xF0, 0x42, 0x34, 0x19, 0x40],
            &pack(&raw, false),
            &[0xF7]
        ]))
    );
    let progs: Vec<Vec<u8>> = (0..3).map(|i| m1_program(b"Program  X", i * 50)).collect();
    let all = cat(&[
        &[0xF0, 0x42, 0x30, 0x19, 0x4C, 0x00],
        &pack(&progs.concat(), false),
        &[0xF7],
    ]);
    let bd = m1.bank_dump().unwrap();
    let got = bd.extract_patches_from_bank(&[all]);
    let want: Vec<Vec<u8>> = progs
        .iter()
        .map(|p| cat(&[&[0xF0, 0x42, 0x30, 0x19, 0x40], &pack(p, false), &[0xF7]]))
        .collect();
    assert_eq!(got, want);
}

// ------------------------------------------------------------ stray bytes

#[test]
fn stray_bytes_between_messages_are_counted_in_syx_streams() {
    let data = [
        0x00, 0xFE, // two stray bytes before
        0xF0, 0x43, 0x10, 0xF7, // a message
        0x01, // one between
        0xF0, 0x41, 0xF7, // a message
        0xF8, 0x55, 0x66, // three after
    ];
    let m = messages_from_bytes(&data).unwrap();
    assert_eq!(
        m.messages,
        vec![vec![0xF0, 0x43, 0x10, 0xF7], vec![0xF0, 0x41, 0xF7]]
    );
    assert_eq!(m.stray, 6);
    assert!(m.broken.is_empty());
}

fn smf(track: &[u8]) -> Vec<u8> {
    let mut d = b"MThd".to_vec();
    d.extend_from_slice(&[0, 0, 0, 6, 0, 0, 0, 1, 0, 96]);
    d.extend_from_slice(b"MTrk");
    d.extend_from_slice(&(track.len() as u32).to_be_bytes());
    d.extend_from_slice(track);
    d
}

#[test]
fn stray_bytes_inside_sysex_events_of_a_midi_file_are_counted() {
    let track = [
        0x00, 0x90, 60, 100, // note on: MIDI, not stray
        0x00, 0xF0, 0x09, 0x43, 0x10, 0xF7, 0x55, 0x66, 0xF0, 0x41, 0x10,
        0xF7, // one sysex event holding two messages and 2 stray bytes
        0x00, 0xF7, 0x06, 0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7, // an escaped whole message
        0x00, 0xF0, 0x03, 0x01, 0x02, 0x03, // a split message, first packet
        0x00, 0xF7, 0x02, 0x04, 0xF7, // its continuation
        0x00, 0xFF, 0x2F, 0x00, // end of track
    ];
    let file = smf(&track);
    let want = vec![
        vec![0xF0, 0x43, 0x10, 0xF7],
        vec![0xF0, 0x41, 0x10, 0xF7],
        vec![0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7],
        vec![0xF0, 0x01, 0x02, 0x03, 0x04, 0xF7],
    ];
    let m = messages_from_bytes(&file).unwrap();
    assert_eq!(m.messages, want);
    assert_eq!(m.stray, 2);
    assert!(m.broken.is_empty());
    // The same through a file on disk.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dump.mid");
    std::fs::write(&p, &file).unwrap();
    let m = read_messages(&p).unwrap();
    assert_eq!((m.messages.len(), m.stray), (4, 2));
    // A MIDI file without sysex is an error naming it.
    let empty = dir.path().join("notes.mid");
    std::fs::write(&empty, smf(&[0x00, 0x90, 60, 100, 0x00, 0xFF, 0x2F, 0x00])).unwrap();
    let e = read_messages(&empty).err().unwrap().to_string();
    assert_eq!(
        e,
        format!("{}: no complete sysex message found", empty.display())
    );
}

// ------------------------------------------------------------ files and the raw device

#[test]
fn a_file_without_a_whole_message_names_its_first_problem() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cut.syx");
    std::fs::write(&p, [0x00, 0xF0, 0x43, 0x10, 0x01]).unwrap();
    let e = read_messages(&p).err().unwrap().to_string();
    assert_eq!(
        e,
        format!(
            "{}: no complete sysex message found (unterminated sysex message starting at \
             byte 1 (no F7 before the end))",
            p.display()
        )
    );
}

#[test]
fn unknown_sysex_becomes_one_raw_patch_per_message_and_writes_back() {
    use octa::librarian::Registry;
    use octa::librarian::builtin::RAW_NAME;
    use octa::librarian::file::{recognise, write_syx};
    let registry = Registry::builtin();
    // Manufacturer 0x7D (non-commercial): no built-in adaptation claims it.
    let messages = vec![
        vec![0xF0, 0x7D, 0x01, 0x02, 0xF7],
        vec![0xF0, 0x7D, 0x03, 0xF7],
    ];
    let r = recognise(&registry, &messages, None).unwrap();
    assert_eq!(r.device.name(), RAW_NAME);
    let data: Vec<Vec<u8>> = r.loaded.patches.iter().map(|p| p.data.clone()).collect();
    assert_eq!(data, messages);
    let firsts: Vec<usize> = r.loaded.patches.iter().map(|p| p.first_message).collect();
    assert_eq!(firsts, [0, 1]);
    // Naming the raw device gives the same; an unknown name is an error that says so.
    let named = recognise(&registry, &messages, Some(RAW_NAME)).unwrap();
    assert_eq!(named.loaded.patches.len(), 2);
    let e = recognise(&registry, &messages, Some("Moog One"))
        .err()
        .unwrap();
    assert_eq!(
        e.to_string(),
        "no adaptation named 'Moog One' (see `octa librarian devices`)"
    );
    // Written back to back: the byte count returned and the file agree.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.syx");
    let n = write_syx(&out, data.iter().map(|d| d.as_slice())).unwrap();
    assert_eq!(n, 9);
    assert_eq!(std::fs::read(&out).unwrap(), messages.concat());
}
