//! Unit tests of the bank model against the shared corpus.

use super::*;
use crate::format::{MicroTiming, TrigCondition};
use crate::testutil::corpus;

fn read(rel: &str) -> Option<Vec<u8>> {
    let p = corpus(rel)?;
    Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

#[test]
fn blank_matches_corpus() {
    let Some(want) = read("ot/blank-1.40B/bank01.work") else {
        return;
    };
    let got = Bank::blank().to_bytes();
    let diffs: Vec<usize> = (0..want.len())
        .filter(|&i| got[i] != want[i])
        .take(20)
        .collect();
    assert!(diffs.is_empty(), "first differing offsets: {diffs:?}");
}

#[test]
fn factory_template_matches_corpus() {
    let Some(want) = read("ot/template-1.40B/bank01.work") else {
        return;
    };
    assert!(Bank::factory_template().to_bytes() == want);
}

#[test]
fn step_kinds_and_clearing() {
    let mut t = AudioTrack::blank(0);
    t.set_step_kind(3, StepKind::Trigless).unwrap();
    assert_eq!(t.step_kind(3), StepKind::Trigless);
    assert_eq!(t.trigless.to_bytes(), [0, 0, 0, 0, 0, 0, 0, 0x08]);
    t.set_step_kind(3, StepKind::Trig).unwrap();
    assert!(t.trigless.is_empty());
    t.set_plock(3, 0, Some(70)).unwrap();
    t.set_condition(3, TrigCondition::Fill).unwrap();
    t.set_micro_timing(3, MicroTiming(-5)).unwrap();
    assert!(t.set_micro_timing(3, MicroTiming(24)).is_err());
    assert!(t.set_repeats(3, 9).is_err());
    assert!(t.set_condition(3, TrigCondition::Probability(51)).is_err());
    assert_eq!(t.micro_timing(3), MicroTiming(-5));
    assert_eq!(t.condition(3), TrigCondition::Fill);
    t.clear_step(3).unwrap();
    assert_eq!(t, AudioTrack::blank(0));
    assert!(t.clear_step(64).is_err());
    assert_eq!(t.step_kind(64), StepKind::Empty);
}

#[test]
fn midi_chords_and_ccs() {
    let mut m = MidiTrack::blank(2);
    let part_page = [48, 100, 6, 64, 64, 64];
    assert_eq!(m.notes(0, part_page).notes, vec![48]);
    m.set_notes(0, &[60, 64, 67]).unwrap();
    // Stored as NOTE 60 and offsets 64+4, 64+7, 64 (none).
    assert_eq!(
        (0..6).map(|i| m.plock(0, i)).collect::<Vec<_>>(),
        [Some(60), None, None, Some(68), Some(71), Some(64)]
    );
    let n = m.notes(0, part_page);
    assert_eq!(n.notes, vec![60, 64, 67]);
    assert_eq!((n.velocity, n.length), (100, 6));
    assert!(m.set_notes(1, &[]).is_err());
    assert!(m.set_notes(1, &[10, 100]).is_err());
    assert!(m.set_notes(1, &[1, 2, 3, 4, 5]).is_err());
    m.set_cc_lock(5, 10, Some(99)).unwrap();
    assert_eq!(m.plock(5, 29), Some(99));
    assert_eq!(m.cc_lock(5, 10), Some(99));
    assert_eq!(m.cc_lock(5, 11), None);
    assert!(m.set_cc_lock(5, 0, Some(1)).is_err());
    let setup = Part::blank(0).midi_setups[0];
    assert_eq!(setup.cc_numbers(), [7, 1, 2, 10, 71, 72, 73, 74, 75, 76]);
    assert_eq!((setup.bank(), setup.program()), (None, None));
}

#[test]
fn pattern_settings() {
    let mut p = Pattern::blank();
    assert_eq!(p.tempo_bpm(), 120.0);
    p.set_tempo_bpm(51.0).unwrap();
    assert_eq!(p.tempo_x24, 1224);
    assert!(p.set_tempo_bpm(301.0).is_err());
    p.set_per_track_master_length(None).unwrap();
    assert_eq!(p.per_track_master_length, 0xFFFF);
    assert_eq!(p.per_track_master_length(), None);
    p.set_per_track_master_length(Some(1024)).unwrap();
    assert_eq!(p.per_track_master_length(), Some(1024));
    assert!(p.set_per_track_master_length(Some(1)).is_err());
    assert!(p.set_part(4).is_err());
    assert!(p.set_master_length(65).is_err());
    p.set_scale_mode(ScaleMode::PerTrack);
    p.audio[0].settings.set_length(48).unwrap();
    assert_eq!(p.track_length(&p.audio[0].settings), 48);
    p.audio[0].settings.set_swing_percent(62).unwrap();
    assert_eq!(p.audio[0].settings.swing_amount, 12);
    assert!(p.is_empty());
    p.midi[7].trigs.set(0, true).unwrap();
    assert!(!p.is_empty());
}

#[test]
fn set_part_fixes_id_and_flags() {
    let mut b = Bank::blank();
    let mut src = b.part(3).unwrap().clone();
    src.scene_a = 4;
    b.set_part(0, src).unwrap();
    assert_eq!(b.part(0).unwrap().id, 0);
    assert_eq!(b.part(0).unwrap().scene_a, 4);
    assert_eq!(b.parts_edited_mask(), 1);
    assert!(b.set_part(4, Part::blank(0)).is_err());
}

#[test]
fn odd_ids_and_part_bytes_warn_but_open() {
    let mut raw = Bank::blank().to_bytes();
    let trac = PATTERNS_AT + 2 * PATTERN_LEN + AUDIO_TRACKS_AT + 5 * AUDIO_TRACK_LEN + 8;
    raw[trac] = 9;
    let part_byte = PATTERNS_AT + 36583;
    raw[part_byte] = 7;
    raw[SAVED_PARTS_AT + PART_LEN + 8] = 3;
    crate::format::common::fix_checksum(&mut raw);
    let (bank, w) = Bank::from_bytes(&raw).unwrap();
    let offsets: Vec<usize> = w.iter().map(|w| w.offset).collect();
    assert_eq!(offsets, [part_byte, trac, SAVED_PARTS_AT + PART_LEN + 8]);
    assert!(w[1].message.contains("pattern 3 audio track 6"));
    assert!(bank.to_bytes() == raw);
}

#[test]
fn shared_lock_records_are_copy_on_write() {
    let Some(bytes) = read("ot/hello-flex/project/bank01.work") else {
        return;
    };
    let src = Arc::new(bytes.clone());
    let (shared, _) = Bank::from_shared(&src).unwrap();
    let (copied, _) = Bank::from_bytes(&bytes).unwrap();
    assert!(shared == copied);
    assert_eq!(shared.to_bytes(), bytes);
    // T1 step 1 holds VOL (slot 15) = 119 in hello-flex A01.
    assert_eq!(shared.patterns[0].audio[0].plock(0, 15), Some(119));

    let mut edited = shared.clone();
    edited.patterns[0].audio[0]
        .set_plock(0, 15, Some(3))
        .unwrap();
    edited
        .part_mut(0)
        .unwrap()
        .set_scene_lock(4, 1, 15, Some(9))
        .unwrap();
    // The edit copied its blocks out: the shared bytes, the original bank and its clone
    // are untouched; the edited bank writes exactly the two locks and the checksum.
    assert_eq!(*src, bytes);
    assert_eq!(shared.patterns[0].audio[0].plock(0, 15), Some(119));
    assert_eq!(shared.to_bytes(), bytes);
    let out = edited.to_bytes();
    let diff: Vec<usize> = (0..out.len()).filter(|&i| out[i] != bytes[i]).collect();
    let lock = PATTERNS_AT + AUDIO_TRACKS_AT + 98 + 15;
    assert!(diff.contains(&lock) && out[lock] == 3, "{diff:?}");
    assert!(diff.iter().all(|&i| i == lock
        || i >= CHECKSUM_AT
        || i == EDITED_MASK_AT
        || (PARTS_AT..PARTS_AT + PART_LEN).contains(&i)));
    let (back, _) = Bank::from_bytes(&out).unwrap();
    assert_eq!(back.patterns[0].audio[0].plock(0, 15), Some(3));
    assert_eq!(back.part(0).unwrap().scene_lock(4, 1, 15), Some(9));
}

#[test]
fn a_lock_block_past_the_end_of_its_source_is_an_error_not_a_panic() {
    use binrw::BinRead;
    let src = Arc::new(vec![0u8; 100]);
    let mut cur = std::io::Cursor::new(&src[..]);
    cur.set_position(90);
    let e = LockRecords::<8>::read_be_args(&mut cur, (&src,)).unwrap_err();
    assert!(e.to_string().contains("past the end"), "{e}");
}
