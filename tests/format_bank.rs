#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Bank format: round trips on real files, decoded facts checked against raw-byte
//! arithmetic from the format doc, blank generation, edit isolation, bad input.

use octa::format::bank::{Bank, TrigMask};
use octa::format::{FormatError, MachineType, MicroTiming, Scale, TrigCondition};
use octa::testutil::corpus;
use proptest::prelude::*;
use sha2::{Digest, Sha256};

// ---- independent offsets from the format doc (§4.1-4.4, §4.10, §4.12) ----

const LEN: usize = 636_113;
fn pat(p: usize) -> usize {
    22 + p * 36588
}
fn trac(p: usize, t: usize) -> usize {
    pat(p) + 8 + t * 2338
}
fn mtra(p: usize, t: usize) -> usize {
    pat(p) + 18712 + t * 2233
}
fn part_at(q: usize) -> usize {
    585_430 + q * 6331
}
fn saved_part_at(q: usize) -> usize {
    610_754 + q * 6331
}
/// Steps (1-based) set in the 8-byte mask at `o`, decoded by hand: byte 7 bit 0 = step 1.
fn raw_steps(b: &[u8], o: usize) -> Vec<usize> {
    let mut v = Vec::new();
    for byte in 0..8 {
        for bit in 0..8 {
            if b[o + 7 - byte] & (1 << bit) != 0 {
                v.push(byte * 8 + bit + 1);
            }
        }
    }
    v
}
fn steps1(m: TrigMask) -> Vec<usize> {
    m.steps().map(|s| s + 1).collect()
}
fn raw_sum(b: &[u8]) -> u16 {
    b[16..LEN - 2].iter().map(|&x| x as u32).sum::<u32>() as u16
}

fn read(rel: &str) -> Option<Vec<u8>> {
    let p = corpus(rel)?;
    Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

fn all_corpus_banks() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    // multipart holds bank01 only; every other folder holds all sixteen.
    for (dir, banks) in [
        ("blank-1.40B", 16),
        ("template-1.40B", 16),
        ("multipart", 1),
        ("hello-flex/project", 16),
    ] {
        for n in 1..=banks {
            let rel = format!("ot/{dir}/bank{n:02}.work");
            let Some(b) = read(&rel) else {
                return out;
            };
            out.push((rel, b));
        }
    }
    out
}

#[test]
fn every_corpus_bank_round_trips_bytes_and_json() {
    let banks = all_corpus_banks();
    if corpus("ot").is_some() {
        assert_eq!(banks.len(), 16 + 16 + 1 + 16);
    }
    for (name, bytes) in &banks {
        let (bank, warnings) = Bank::from_bytes(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        assert!(bank.to_bytes() == *bytes, "{name}: write differs");
        let json = serde_json::to_string(&bank).unwrap();
        let back: Bank = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(back.to_bytes() == *bytes, "{name}: JSON round trip differs");
    }
}

#[test]
fn blank_banks_equal_every_corpus_blank_bank() {
    let blank = Bank::blank().to_bytes();
    let template = Bank::factory_template().to_bytes();
    for n in 1..=16 {
        if let Some(b) = read(&format!("ot/blank-1.40B/bank{n:02}.work")) {
            assert!(blank == b, "blank bank{n:02}");
        }
        if let Some(b) = read(&format!("ot/template-1.40B/bank{n:02}.work")) {
            assert!(template == b, "template bank{n:02}");
        }
    }
}

#[test]
fn blank_bank_sha256_without_corpus() {
    let hex = |b: &[u8]| {
        Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    };
    assert_eq!(
        hex(&Bank::blank().to_bytes()),
        "ba56c8756d4ff30dd5d9d0d28bc9d9689b8f13a364abe33d361ba407856bb829"
    );
    assert_eq!(
        hex(&Bank::factory_template().to_bytes()),
        "127f1bd6a5574505230f8732141d4d5827a245b11cd4bc93ad09ba4f5ebb9b45"
    );
    let (b, w) = Bank::from_bytes(&Bank::blank().to_bytes()).unwrap();
    assert!(w.is_empty());
    assert_eq!(b, Bank::blank());
}

#[test]
fn multipart_facts() {
    let Some(raw) = read("ot/multipart/bank01.work") else {
        return;
    };
    let (bank, _) = Bank::from_bytes(&raw).unwrap();

    // Part assignment (byte 36583) of all 16 patterns, by hand and via the model.
    let by_hand: Vec<u8> = (0..16).map(|p| raw[pat(p) + 36583]).collect();
    assert_eq!(by_hand, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    let model: Vec<u8> = bank.patterns.iter().map(|p| p.part()).collect();
    assert_eq!(model, by_hand);

    // Pattern 1: PER TRACK mode, master length 64, tempo 120.
    let p1 = &bank.patterns[0];
    assert_eq!(raw[pat(0) + 36581], 1);
    assert_eq!(p1.scale_mode(), octa::format::bank::ScaleMode::PerTrack);
    assert_eq!(
        u16::from_be_bytes([raw[pat(0) + 36576], raw[pat(0) + 36577]]),
        64
    );
    assert_eq!(p1.per_track_master_length(), Some(64));
    assert_eq!(p1.master_length, 16);
    assert_eq!(p1.master_scale(), Scale::X1);
    assert_eq!(p1.tempo_bpm(), 120.0);
    assert_eq!(
        bank.patterns[2].scale_mode(),
        octa::format::bank::ScaleMode::Normal
    );

    // Trigs of pattern 1 audio track 2 and 6.
    let t2 = &p1.audio[1];
    assert_eq!(raw_steps(&raw, trac(0, 1) + 9), steps1(t2.trigs));
    assert_eq!(
        steps1(t2.trigs),
        [1, 5, 9, 10, 11, 12, 17, 21, 25, 26, 27, 28]
    );
    assert_eq!(raw[trac(0, 1) + 89], 12);
    assert_eq!(t2.length(), 12);
    assert_eq!(p1.track_length(&t2.settings), 12);
    assert_eq!(t2.settings.plays_free, raw[trac(0, 1) + 93]);
    assert_eq!(t2.settings.trig_mode, 2);
    assert_eq!(t2.settings.trig_quant, 5);
    assert_eq!(steps1(p1.audio[5].trigs), [1, 17, 33]);
    assert_eq!(p1.audio[5].length(), 64);
    assert_eq!(steps1(p1.audio[2].trigs), [49]);
    // Step 1 word 00 80: micro-timing +1/384, no condition, 1 trig.
    let w = [raw[trac(0, 1) + 2210], raw[trac(0, 1) + 2211]];
    assert_eq!(w, [0x00, 0x80]);
    assert_eq!(t2.micro_timing(0), MicroTiming(1));
    assert_eq!(t2.condition(0), TrigCondition::None);
    assert_eq!(t2.repeats(0), 1);
    assert!(p1.midi.iter().all(|m| m.trigs.is_empty()));
    assert_eq!(steps1(p1.audio[0].swing), raw_steps(&raw, trac(0, 0) + 73));

    // Part 1 (working): machines, slots, scenes, MIDI channel.
    let part = bank.part(0).unwrap();
    let machines: Vec<u8> = raw[part_at(0) + 43..part_at(0) + 51].to_vec();
    assert_eq!(machines, [2, 1, 0, 1, 2, 1, 1, 0]);
    assert_eq!(part.machine_type(0), MachineType::Thru);
    assert_eq!(part.machine_type(1), MachineType::Flex);
    assert_eq!(part.machine_type(2), MachineType::Static);
    assert_eq!(part.slots[1].flex_slot, raw[part_at(0) + 723 + 5 + 1]);
    assert_eq!(part.slots[1].flex_recorder(), Some(1));
    assert_eq!(part.track_value(2, 31), Some(raw[part_at(0) + 723 + 10]));
    assert_eq!(part.scene_b, 9);
    assert_eq!(part.midi_setups[0].channel(), 7);
    // Scene 1 mutes track 4: AMP slots 12..17 locked to 0, XLV included.
    for idx in 12..18 {
        assert_eq!(raw[part_at(0) + 1643 + 3 * 32 + idx], 0);
        assert_eq!(part.scene_lock(0, 3, idx), Some(0));
    }
    assert_eq!(part.xlv(0, 3), Some(0));
    assert_eq!(part.scene_lock(0, 2, 17), None);
    assert_eq!(
        part.scene_lock(1, 4, 0),
        Some(raw[part_at(0) + 1643 + 256 + 4 * 32])
    );
    // The saved copy differs from the working copy (all four parts edited).
    assert_eq!(raw[636_082], 0x0F);
    assert_eq!(bank.parts_edited_mask(), 0x0F);
    assert!((0..4).all(|p| bank.is_part_edited(p)));
    assert_eq!(bank.parts_saved_state(), [1, 0, 0, 0]);
    assert_eq!(
        bank.saved_part(0).unwrap().scene_lock(8, 7, 19),
        Some(raw[saved_part_at(0) + 1643 + 8 * 256 + 7 * 32 + 19])
    );
    // Part names with leftovers after the NUL.
    assert_eq!(&raw[636_083..636_090], b"ONE\0O!\0");
    let n = bank.part_name(0).unwrap();
    assert_eq!(n.name(), "ONE");
    assert_eq!(n.0, *b"ONE\0O!\0");
    assert_eq!(bank.part_name(3).unwrap().name(), "FOUR");
    let json = serde_json::to_string(&bank).unwrap();
    assert!(json.contains("\"name\":\"ONE\""));
}

#[test]
fn hello_flex_facts() {
    let Some(raw) = read("ot/hello-flex/project/bank01.work") else {
        return;
    };
    let (bank, _) = Bank::from_bytes(&raw).unwrap();
    let p1 = &bank.patterns[0];
    let t1 = &p1.audio[0];
    assert_eq!(steps1(t1.trigs), [1, 3, 5, 7, 8, 10, 12, 14, 15]);
    assert_eq!(raw_steps(&raw, trac(0, 0) + 9), steps1(t1.trigs));
    for s in 0..64 {
        // AMP VOL lock (slot 15) at 98 + 32s + 15, by hand.
        let b = raw[trac(0, 0) + 98 + 32 * s + 15];
        assert_eq!(t1.plock(s, 15), (b != 255).then_some(b));
        assert_eq!(t1.trigs.get(s), t1.plock(s, 15).is_some(), "step {}", s + 1);
        // Condition word: code 24 = 87 % on every trig.
        let w = u16::from_be_bytes([
            raw[trac(0, 0) + 2210 + 2 * s],
            raw[trac(0, 0) + 2211 + 2 * s],
        ]);
        assert_eq!(t1.step_word(s).0, w);
    }
    assert_eq!(t1.plock(0, 15), Some(119));
    assert_eq!(t1.condition(0), TrigCondition::Probability(87));
    assert_eq!(t1.condition(1), TrigCondition::None);
    let t3 = &p1.audio[2];
    let vols: Vec<u8> = t3.trigs.steps().filter_map(|s| t3.plock(s, 15)).collect();
    assert_eq!(vols, [88, 93, 98, 102, 107, 112, 117, 122, 127]);
    assert!(p1.audio[1].plocks.is_empty());
    assert_eq!(steps1(p1.audio[7].trigs), [1]);
    // Parts: FX1 DJ EQ on tracks 1-3, CHORUS on 8; Flex machines.
    let part = bank.part(0).unwrap();
    assert_eq!(part.fx1_types.0, [13, 13, 13, 4, 4, 4, 4, 18]);
    assert_eq!(&raw[part_at(0) + 9..part_at(0) + 17], &part.fx1_types.0);
    assert_eq!(part.machine_type(0), MachineType::Flex);
    assert_eq!(part.machine_type(3), MachineType::Static);
    assert_eq!(bank.part(1).unwrap().slots[0].flex_slot, 3);
    assert_eq!(bank.parts_edited_mask(), 0x15);
    assert_eq!(bank.part_name(0).unwrap().0, *b"ONE\0R\0\0");
    // Parameter names for the locked slot.
    let info = octa::format::params::audio_param(part.machine_type(0), 13, 8, 15).unwrap();
    assert_eq!((info.name, info.cc), ("VOL", Some(25)));
    assert_eq!(info.show(119), "+55");
}

#[test]
fn bad_checksum_warns_keeps_bytes_and_edits_recompute() {
    let mut raw = Bank::blank().to_bytes();
    let good = raw_sum(&raw);
    raw[LEN - 2..].copy_from_slice(&0x1234u16.to_be_bytes());
    let (bank, warnings) = Bank::from_bytes(&raw).unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].offset, LEN - 2);
    assert!(warnings[0].message.contains("0x1234"));
    assert!(warnings[0].message.contains(&format!("0x{good:04X}")));
    assert!(
        bank.to_bytes() == raw,
        "unedited bank keeps the wrong checksum"
    );
    let json = serde_json::to_string(&bank).unwrap();
    let back: Bank = serde_json::from_str(&json).unwrap();
    assert!(back.to_bytes() == raw, "JSON keeps the wrong checksum");

    // An edit leaving the byte sum unchanged still recomputes: LFO SPD1 +1, SPD2 -1.
    let mut edited = bank.clone();
    edited
        .edit_part(0, |p| {
            p.set_track_value(0, 6, 33).unwrap();
            p.set_track_value(0, 7, 31).unwrap();
        })
        .unwrap();
    let out = edited.to_bytes();
    assert_eq!(
        raw_sum(&out),
        raw_sum(&raw) + 1,
        "only the edited mask bit adds 1"
    );
    assert_eq!(
        u16::from_be_bytes([out[LEN - 2], out[LEN - 1]]),
        raw_sum(&out)
    );
}

#[test]
fn sum_preserving_edit_of_bad_checksum_bank_recomputes() {
    let mut raw = Bank::blank().to_bytes();
    raw[LEN - 2..].copy_from_slice(&[0xAB, 0xCD]);
    let (mut bank, _) = Bank::from_bytes(&raw).unwrap();
    // Swap two different bytes: the sum stays the same, the content does not.
    let t = &mut bank.patterns[3].audio[2];
    t.unknown_2146.0[5] = 7; // 0 -> 7
    t.plocks.rows_mut()[9][3] = 248; // 255 -> 248
    let out = bank.to_bytes();
    assert_eq!(raw_sum(&out), raw_sum(&raw));
    assert_eq!(
        u16::from_be_bytes([out[LEN - 2], out[LEN - 1]]),
        raw_sum(&raw)
    );
    assert_ne!(&out[LEN - 2..], &[0xAB, 0xCD]);
}

#[test]
fn part_edit_save_reload_follow_the_device() {
    let base = Bank::blank();
    let before = base.to_bytes();
    let mut bank = base.clone();
    bank.part_mut(1)
        .unwrap()
        .set_machine_type(0, MachineType::Flex)
        .unwrap();
    assert_eq!(bank.parts_edited_mask(), 0b0010);
    assert_eq!(bank.saved_part(1), base.saved_part(1));
    let out = bank.to_bytes();
    let changed: Vec<usize> = (0..LEN).filter(|&i| out[i] != before[i]).collect();
    let machine_byte = part_at(1) + 43;
    assert!(changed.contains(&machine_byte) && changed.contains(&636_082));
    assert!(
        changed
            .iter()
            .all(|&i| i == machine_byte || i == 636_082 || i >= LEN - 2)
    );
    assert_eq!(out[636_082], 0b0010);

    bank.save_part(1).unwrap();
    assert_eq!(bank.parts_edited_mask(), 0);
    assert_eq!(bank.parts_saved_state(), [0, 1, 0, 0]);
    assert_eq!(bank.saved_part(1), bank.part(1));
    let out = bank.to_bytes();
    assert_eq!(out[saved_part_at(1) + 43], 1);
    assert_eq!(out[636_079], 1);

    bank.part_mut(1).unwrap().scene_a = 5;
    assert!(bank.is_part_edited(1));
    bank.reload_part(1).unwrap();
    assert_eq!(bank.part(1).unwrap().scene_a, 0);
    assert_eq!(bank.part(1).unwrap().machine_type(0), MachineType::Flex);
    assert!(!bank.is_part_edited(1));

    // No change: no edited bit.
    bank.edit_part(2, |p| p.scene_b).unwrap();
    assert!(!bank.is_part_edited(2));
    assert!(bank.part_mut(4).is_err());
    assert!(bank.save_part(9).is_err());
}

// ---- bad input ----

#[test]
fn bad_input_errors_name_the_place() {
    let good = Bank::blank().to_bytes();
    // Empty and truncated at many points.
    for n in [
        0,
        1,
        4,
        16,
        21,
        22,
        23,
        100,
        36610,
        585_430,
        636_000,
        LEN - 1,
    ] {
        let e = Bank::from_bytes(&good[..n]).err();
        assert!(
            matches!(e, Some(FormatError::Size { expected: LEN, found, .. }) if found == n),
            "truncated at {n}: {e:?}"
        );
    }
    let mut long = good.clone();
    long.push(0);
    assert!(matches!(
        Bank::from_bytes(&long),
        Err(FormatError::Size { .. })
    ));

    // Wrong header and version.
    let mut b = good.clone();
    b[8] = b'X';
    let e = Bank::from_bytes(&b).unwrap_err().to_string();
    assert!(e.contains("byte 8") && e.contains("DPS1"), "{e}");
    let mut b = good.clone();
    b[12..16].copy_from_slice(b"ARRA");
    let e = Bank::from_bytes(&b).unwrap_err().to_string();
    assert!(e.contains("byte 12") && e.contains("BANK"), "{e}");

    // A version-22 bank (OS < 1.40) is refused with advice, never misread.
    let mut v22 = good[..636_049].to_vec();
    v22[21] = 22;
    let e = Bank::from_bytes(&v22).unwrap_err().to_string();
    assert!(e.contains("byte 21") && e.contains("re-save"), "{e}");

    // Block magics at their strides.
    let cases = [
        (pat(3), "pattern 4"),
        (trac(2, 5), "pattern 3 audio track 6"),
        (mtra(15, 7), "pattern 16 MIDI track 8"),
        (part_at(2), "working part 3"),
        (saved_part_at(1), "saved part 2"),
    ];
    for (off, what) in cases {
        let mut b = good.clone();
        b[off] ^= 0x20;
        match Bank::from_bytes(&b) {
            Err(FormatError::Invalid {
                offset, expected, ..
            }) => {
                assert_eq!(offset, off);
                assert!(expected.contains(what), "{expected}");
            }
            other => panic!("corrupt magic at {off}: {other:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2000), keep_header in any::<bool>(), at in 0usize..LEN) {
        let mut b = if keep_header { Bank::blank().to_bytes() } else { vec![0u8; LEN] };
        let end = (at + body.len()).min(LEN);
        b[at..end].copy_from_slice(&body[..end - at]);
        // Either an error or a bank that writes back to exactly these bytes.
        if let Ok((bank, _)) = Bank::from_bytes(&b) {
            prop_assert!(bank.to_bytes() == b);
        }
        let _ = Bank::from_bytes(&body);
    }
}

// ---- edits through the typed API change only their own bytes ----

#[derive(Debug, Clone)]
enum Edit {
    Trig {
        p: usize,
        t: usize,
        s: usize,
        on: bool,
    },
    Plock {
        p: usize,
        t: usize,
        s: usize,
        idx: usize,
        v: Option<u8>,
    },
    Condition {
        p: usize,
        t: usize,
        s: usize,
        code: u8,
    },
    Micro {
        p: usize,
        t: usize,
        s: usize,
        mt: i8,
    },
    Repeats {
        p: usize,
        t: usize,
        s: usize,
        n: u8,
    },
    PartValue {
        q: usize,
        t: usize,
        idx: usize,
        v: u8,
    },
    SceneLock {
        q: usize,
        sc: usize,
        t: usize,
        idx: usize,
        v: Option<u8>,
    },
    Name {
        q: usize,
        name: String,
    },
    Tempo {
        p: usize,
        x24: u16,
    },
    PartOf {
        p: usize,
        part: u8,
    },
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let lock = prop_oneof![Just(None), (0u8..255).prop_map(Some)];
    prop_oneof![
        (0..16usize, 0..16usize, 0..64usize, any::<bool>()).prop_map(|(p, t, s, on)| Edit::Trig {
            p,
            t,
            s,
            on
        }),
        (0..16usize, 0..16usize, 0..64usize, 0..32usize, lock.clone())
            .prop_map(|(p, t, s, idx, v)| Edit::Plock { p, t, s, idx, v }),
        (0..16usize, 0..16usize, 0..64usize, 0u8..=64)
            .prop_map(|(p, t, s, code)| Edit::Condition { p, t, s, code }),
        (0..16usize, 0..16usize, 0..64usize, -23i8..=23).prop_map(|(p, t, s, mt)| Edit::Micro {
            p,
            t,
            s,
            mt
        }),
        (0..16usize, 0..16usize, 0..64usize, 1u8..=8).prop_map(|(p, t, s, n)| Edit::Repeats {
            p,
            t,
            s,
            n
        }),
        (0..4usize, 0..8usize, 6..30usize, 0u8..=127).prop_map(|(q, t, idx, v)| Edit::PartValue {
            q,
            t,
            idx,
            v
        }),
        (0..4usize, 0..16usize, 0..8usize, 0..32usize, lock)
            .prop_map(|(q, sc, t, idx, v)| Edit::SceneLock { q, sc, t, idx, v }),
        (0..4usize, "[A-Z0-9 ]{0,7}").prop_map(|(q, name)| Edit::Name { q, name }),
        (0..16usize, 720u16..=7200).prop_map(|(p, x24)| Edit::Tempo { p, x24 }),
        (0..16usize, 0u8..4).prop_map(|(p, part)| Edit::PartOf { p, part }),
    ]
}

/// Applies an edit; returns the byte offsets it may change (by the doc's arithmetic).
fn apply(bank: &mut Bank, e: &Edit) -> Vec<usize> {
    let track_base = |p: usize, t: usize| if t < 8 { trac(p, t) } else { mtra(p, t - 8) };
    let lock_at = |t: usize| if t < 8 { (98, 2210) } else { (57, 2105) };
    match *e {
        Edit::Trig { p, t, s, on } => {
            let m = if t < 8 {
                &mut bank.patterns[p].audio[t].trigs
            } else {
                &mut bank.patterns[p].midi[t - 8].trigs
            };
            m.set(s, on).unwrap();
            vec![track_base(p, t) + 9 + 7 - s / 8]
        }
        Edit::Plock { p, t, s, idx, v } => {
            if t < 8 {
                bank.patterns[p].audio[t].set_plock(s, idx, v).unwrap();
            } else {
                bank.patterns[p].midi[t - 8].set_plock(s, idx, v).unwrap();
            }
            vec![track_base(p, t) + lock_at(t).0 + 32 * s + idx]
        }
        Edit::Condition { p, t, s, code } => {
            let c = TrigCondition::from_code(code);
            if t < 8 {
                bank.patterns[p].audio[t].set_condition(s, c).unwrap();
            } else {
                bank.patterns[p].midi[t - 8].set_condition(s, c).unwrap();
            }
            vec![track_base(p, t) + lock_at(t).1 + 2 * s + 1]
        }
        Edit::Micro { p, t, s, mt } => {
            if t < 8 {
                bank.patterns[p].audio[t]
                    .set_micro_timing(s, MicroTiming(mt))
                    .unwrap();
            } else {
                bank.patterns[p].midi[t - 8]
                    .set_micro_timing(s, MicroTiming(mt))
                    .unwrap();
            }
            let w = track_base(p, t) + lock_at(t).1 + 2 * s;
            vec![w, w + 1]
        }
        Edit::Repeats { p, t, s, n } => {
            if t < 8 {
                bank.patterns[p].audio[t].set_repeats(s, n).unwrap();
            } else {
                bank.patterns[p].midi[t - 8].set_repeats(s, n).unwrap();
            }
            vec![track_base(p, t) + lock_at(t).1 + 2 * s]
        }
        Edit::PartValue { q, t, idx, v } => {
            bank.edit_part(q, |p| p.set_track_value(t, idx, v))
                .unwrap()
                .unwrap();
            vec![part_at(q) + 291 + 24 * t + idx - 6, 636_082]
        }
        Edit::SceneLock { q, sc, t, idx, v } => {
            bank.part_mut(q)
                .unwrap()
                .set_scene_lock(sc, t, idx, v)
                .unwrap();
            vec![part_at(q) + 1643 + 256 * sc + 32 * t + idx, 636_082]
        }
        Edit::Name { q, ref name } => {
            bank.set_part_name(q, name).unwrap();
            (0..7).map(|i| 636_083 + 7 * q + i).collect()
        }
        Edit::Tempo { p, x24 } => {
            bank.patterns[p].set_tempo_bpm(x24 as f64 / 24.0).unwrap();
            vec![pat(p) + 36586, pat(p) + 36587]
        }
        Edit::PartOf { p, part } => {
            bank.patterns[p].set_part(part).unwrap();
            vec![pat(p) + 36583]
        }
    }
}

/// Checks that a re-read bank shows the edit.
fn check(bank: &Bank, e: &Edit) {
    match *e {
        Edit::Trig { p, t, s, on } => {
            let m = if t < 8 {
                bank.patterns[p].audio[t].trigs
            } else {
                bank.patterns[p].midi[t - 8].trigs
            };
            assert_eq!(m.get(s), on);
        }
        Edit::Plock { p, t, s, idx, v } => {
            let got = if t < 8 {
                bank.patterns[p].audio[t].plock(s, idx)
            } else {
                bank.patterns[p].midi[t - 8].plock(s, idx)
            };
            assert_eq!(got, v);
        }
        Edit::Condition { p, t, s, code } => {
            let got = if t < 8 {
                bank.patterns[p].audio[t].condition(s)
            } else {
                bank.patterns[p].midi[t - 8].condition(s)
            };
            assert_eq!(got, TrigCondition::from_code(code));
        }
        Edit::Micro { p, t, s, mt } => {
            let got = if t < 8 {
                bank.patterns[p].audio[t].micro_timing(s)
            } else {
                bank.patterns[p].midi[t - 8].micro_timing(s)
            };
            assert_eq!(got, MicroTiming(mt));
        }
        Edit::Repeats { p, t, s, n } => {
            let got = if t < 8 {
                bank.patterns[p].audio[t].repeats(s)
            } else {
                bank.patterns[p].midi[t - 8].repeats(s)
            };
            assert_eq!(got, n);
        }
        Edit::PartValue { q, t, idx, v } => {
            assert_eq!(bank.part(q).unwrap().track_value(t, idx), Some(v))
        }
        Edit::SceneLock { q, sc, t, idx, v } => {
            assert_eq!(bank.part(q).unwrap().scene_lock(sc, t, idx), v)
        }
        Edit::Name { q, ref name } => assert_eq!(&bank.part_name(q).unwrap().name(), name),
        Edit::Tempo { p, x24 } => assert_eq!(bank.patterns[p].tempo_x24, x24),
        Edit::PartOf { p, part } => assert_eq!(bank.patterns[p].part(), part),
    }
}

fn base_banks() -> Vec<(Bank, Vec<u8>)> {
    let mut v = vec![(Bank::blank(), Bank::blank().to_bytes())];
    for rel in [
        "ot/multipart/bank01.work",
        "ot/hello-flex/project/bank01.work",
    ] {
        if let Some(raw) = read(rel) {
            v.push((Bank::from_bytes(&raw).unwrap().0, raw));
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn typed_edits_touch_only_their_bytes(edits in proptest::collection::vec(edit_strategy(), 1..4), which in 0usize..3) {
        let banks = base_banks();
        let (base, before) = &banks[which % banks.len()];
        let mut bank = base.clone();
        let mut allowed = vec![LEN - 2, LEN - 1];
        for e in &edits {
            allowed.extend(apply(&mut bank, e));
        }
        let out = bank.to_bytes();
        for i in 0..LEN {
            if out[i] != before[i] {
                prop_assert!(allowed.contains(&i), "byte {i} changed by {edits:?}");
            }
        }
        prop_assert_eq!(u16::from_be_bytes([out[LEN - 2], out[LEN - 1]]), raw_sum(&out));
        let (back, w) = Bank::from_bytes(&out).unwrap();
        prop_assert!(w.is_empty());
        // Later edits win when two touch the same field: check only the last edit of each.
        if let Some(last) = edits.last() {
            check(&back, last);
        }
        prop_assert!(back == bank);
    }
}
