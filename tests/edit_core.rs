#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The editor core without a terminal: layering, typed bank setters touching only the device's
//! bytes, the one undo history and the saved-state star, device units, honest operations,
//! chord columns and paste by parameter, and a property test of undo / redo over commands.

use octa::edit::Document;
use octa::edit::block::{self, Block};
use octa::edit::columns::Col;
use octa::edit::command::{self, Command, Scope};
use octa::edit::document::{Mask, Unit};
use octa::edit::trig::{At, TrigKind};
use octa::format::bank::Bank;
use octa::format::{MicroTiming, TrigCondition};
use octa::project::{FileId, OpenOptions, Project};
use proptest::prelude::*;
use std::path::Path;

mod common;

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src/edit") {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_edit_layer_knows_no_terminal_and_no_ui() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/edit"),
        &mut files,
    );
    assert!(files.len() >= 6, "src/edit has its modules: {files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for bad in ["ratatui", "crossterm", "crate::ui", "octa::ui"] {
            assert!(
                !text.contains(bad),
                "{} mentions `{bad}`: the edit layer must not depend on the UI",
                f.display()
            );
        }
    }
}

fn corpus_project(name: &str) -> Project {
    let dir = octa::testutil::corpus(name).expect("corpus project (set OCTA_CORPUS)");
    Project::open(&dir, &OpenOptions::default()).expect("open corpus project")
}

/// Offsets from the format document (§4.1-4.8), written here independently of the code.
const PATTERN0: usize = 22;
const PATTERN_LEN: usize = 36588;
const TRAC_LEN: usize = 2338;
const MTRA0: usize = 18712;
const MTRA_LEN: usize = 2233;
const EDITED_MASK: usize = 636082;
const CHECKSUM: usize = 636111;

fn audio_track(p: usize, t: usize) -> usize {
    PATTERN0 + p * PATTERN_LEN + 8 + t * TRAC_LEN
}

fn midi_track(p: usize, t: usize) -> usize {
    PATTERN0 + p * PATTERN_LEN + MTRA0 + t * MTRA_LEN
}

fn diff(a: &[u8], b: &[u8]) -> Vec<usize> {
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

/// The device's byte sum checksum: bytes 16..636111 summed as u16 (format doc §4.1 / §2).
fn checksum_ok(b: &[u8]) -> bool {
    let sum = b[16..CHECKSUM]
        .iter()
        .fold(0u16, |s, &x| s.wrapping_add(u16::from(x)));
    b[CHECKSUM..] == sum.to_be_bytes()
}

#[test]
fn typed_bank_setters_touch_only_the_bytes_the_device_changes() {
    let dir = octa::testutil::corpus("ot/multipart").expect("corpus");
    let original = std::fs::read(dir.join("bank01.work")).expect("bank01");
    let (bank, _) = Bank::from_bytes(&original).expect("parse");
    assert!(checksum_ok(&original), "the corpus bank's own checksum");

    // A trig on step 3 of T2, pattern 5: one bit of the trig mask (step k = bit k of a BE u64,
    // so step 3 lives in the last byte of the mask at TRAC +9).
    let mut b = bank.clone();
    let p = b.pattern_mut(4).expect("pattern 5");
    let on = p.audio[1].trigs.get(2);
    p.audio[1].trigs.set(2, !on).expect("set");
    let got = b.to_bytes();
    let d = diff(&original, &got);
    assert!(d.contains(&(audio_track(4, 1) + 9 + 7)));
    assert!(
        d.iter()
            .all(|&i| i == audio_track(4, 1) + 9 + 7 || i >= CHECKSUM),
        "{d:?}"
    );
    assert!(checksum_ok(&got));

    // A lock: AMP VOL (byte 15) of step 10 of T1 pattern 1 at TRAC +98 + 9*32 + 15.
    let mut b = bank.clone();
    let v = b.pattern(0).and_then(|p| p.audio[0].plock(9, 15));
    let new = if v == Some(84) { 85 } else { 84 };
    b.pattern_mut(0).expect("p1").audio[0]
        .set_plock(9, 15, Some(new))
        .expect("lock");
    let got = b.to_bytes();
    let d = diff(&original, &got);
    assert!(d.contains(&(audio_track(0, 0) + 98 + 9 * 32 + 15)), "{d:?}");
    assert!(
        d.iter()
            .all(|&i| i == audio_track(0, 0) + 98 + 9 * 32 + 15 || i >= CHECKSUM),
        "{d:?}"
    );
    assert!(checksum_ok(&got));

    // Condition and micro-timing: the word of step 2 of M3 at MTRA +2105 + 2*1.
    let mut b = bank.clone();
    let m = &mut b.pattern_mut(0).expect("p1").midi[2];
    m.set_condition(1, TrigCondition::Fill).expect("cond");
    m.set_micro_timing(1, MicroTiming(-5)).expect("micro");
    let got = b.to_bytes();
    let d = diff(&original, &got);
    let word = midi_track(0, 2) + 2105 + 2;
    assert!(
        d.iter()
            .all(|&i| i == word || i == word + 1 || i >= CHECKSUM),
        "{d:?}"
    );
    assert!(!d.is_empty());
    assert!(checksum_ok(&got));

    // A chord: NOTE and NOT2-4 of step 1 of M1 (lock bytes 0..6 of the record at MTRA +57).
    let mut b = bank.clone();
    b.pattern_mut(0).expect("p1").midi[0]
        .set_notes(0, &[60, 64, 67])
        .expect("chord");
    let got = b.to_bytes();
    let rec = midi_track(0, 0) + 57;
    assert_eq!(&got[rec..rec + 6][..1], &[60]);
    assert_eq!(
        &got[rec + 3..rec + 6],
        &[68, 71, 64],
        "offsets +4 +7, unused NOT4 = 64"
    );
    assert!(
        diff(&original, &got)
            .iter()
            .all(|&i| (rec..rec + 6).contains(&i) || i >= CHECKSUM)
    );

    // The part's edited bit: one byte.
    let mut b = bank.clone();
    let was = b.is_part_edited(2);
    b.set_part_edited(2, !was).expect("bit");
    let got = b.to_bytes();
    let d = diff(&original, &got);
    assert!(d.contains(&EDITED_MASK));
    assert!(
        d.iter().all(|&i| i == EDITED_MASK || i >= CHECKSUM),
        "{d:?}"
    );
    assert_eq!(got[EDITED_MASK] ^ original[EDITED_MASK], 1 << 2);
    assert!(checksum_ok(&got));

    // The heap clone is the same bank, byte for byte.
    assert_eq!(bank.clone().to_bytes(), original);
}

/// The bytes of every file of a project.
fn all_files(p: &Project) -> Vec<(FileId, Vec<u8>)> {
    FileId::all()
        .into_iter()
        .map(|id| (id, p.file_bytes(id, false).unwrap_or_default()))
        .collect()
}

#[test]
fn undo_back_to_the_saved_state_clears_the_star() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = octa::testutil::corpus("ot/hello-flex/project").expect("corpus");
    common::copy_dir(&src, tmp.path());
    let project = Project::open(tmp.path(), &OpenOptions::default()).expect("open");
    let mut doc = Document::new(project);
    assert!(!doc.is_dirty());
    let at = At {
        bank: 0,
        pattern: 0,
    };
    at.toggle_trig(&mut doc, 0, 5, Mask::Trig);
    doc.commit("trig");
    assert!(doc.is_dirty() && doc.bank_dirty(0));
    assert!(!doc.bank_dirty(1));
    doc.undo();
    assert!(
        !doc.is_dirty(),
        "undo back to the opened state clears the star"
    );
    assert!(!doc.bank_dirty(0));
    doc.redo();
    assert!(doc.is_dirty());
    // Save, then undo: the document differs from the disk again.
    doc.save(false).expect("save");
    assert!(!doc.is_dirty());
    doc.undo();
    assert!(doc.is_dirty() && doc.bank_dirty(0));
    doc.redo();
    assert!(!doc.is_dirty(), "redo back to the saved state");
    // A snapshot edit (a part) follows the same history.
    doc.edit_part(1, 0, "part", |p| {
        use octa::format::MachineType::{Flex, Static};
        let m = if p.machine_type(0) == Static {
            Flex
        } else {
            Static
        };
        p.set_machine_type(0, m)
    })
    .expect("part edit");
    assert!(doc.bank_dirty(1));
    doc.undo();
    assert!(!doc.is_dirty());
    // Undo past the save, then edit: the saved state is gone for good.
    doc.undo();
    at.toggle_trig(&mut doc, 0, 7, Mask::Trig);
    doc.commit("other");
    assert!(doc.is_dirty());
    doc.undo();
    assert!(
        doc.is_dirty(),
        "the saved state (with the first trig) is not this one"
    );
}

fn scope(at: At, track: usize, step: usize, rows: std::ops::RangeInclusive<usize>) -> Scope {
    Scope {
        at,
        track,
        step,
        block: Block {
            rows,
            cols: vec![(track, Col::Trig)],
        },
    }
}

#[test]
fn double_extends_the_track_and_reports_what_it_drops() {
    let mut doc = Document::new(Project::new_blank("t"));
    let at = At::default();
    for s in [0, 4, 8, 12, 14] {
        at.toggle_trig(&mut doc, 0, s, Mask::Trig);
    }
    doc.commit("trigs");
    assert_eq!(command::track_len(&doc, at, 0), 16);
    let msg =
        command::execute(&mut doc, &scope(at, 0, 0, 0..=15), &Command::Double).expect("double");
    assert_eq!(command::track_len(&doc, at, 0), 32, "{msg}");
    let trigs: Vec<usize> = (0..64)
        .filter(|&s| at.trig_kind(&doc, 0, s) == TrigKind::Trig)
        .collect();
    assert_eq!(trigs, [0, 8, 16, 24, 28]);
    assert!(msg.contains("32"), "{msg}");
    // At 64 steps nothing can grow: what falls off is said.
    at.set(&mut doc, Unit::Length, 64);
    at.toggle_trig(&mut doc, 0, 40, Mask::Trig);
    at.toggle_trig(&mut doc, 0, 50, Mask::Trig);
    doc.commit("len");
    let msg =
        command::execute(&mut doc, &scope(at, 0, 0, 0..=63), &Command::Double).expect("double");
    assert_eq!(msg, "double: 2 trig(s) past step 64 dropped");
}

#[test]
fn euclid_fills_the_track_length_and_interpolate_counts_values() {
    let mut doc = Document::new(Project::new_blank("t"));
    let at = At::default();
    let cmd = Command::Euclid {
        hits: 3,
        steps: 8,
        rotation: 0,
    };
    let msg = command::execute(&mut doc, &scope(at, 0, 0, 0..=15), &cmd).expect("euclid");
    let trigs: Vec<usize> = (0..16)
        .filter(|&s| at.trig_kind(&doc, 0, s) == TrigKind::Trig)
        .collect();
    // 3 hits in 8 (the Bjorklund x..x..x. family), twice over the 16-step track.
    assert_eq!(trigs.len(), 6, "{trigs:?}");
    assert_eq!(
        trigs[3..],
        trigs[..3].iter().map(|s| s + 8).collect::<Vec<_>>()[..]
    );
    assert!(msg.contains("16 steps"), "{msg}");

    at.set_lock(&mut doc, 0, 0, 15, Some(0));
    at.set_lock(&mut doc, 0, 15, 15, Some(120));
    doc.commit("ends");
    let sc = Scope {
        at,
        track: 0,
        step: 0,
        block: Block {
            rows: 0..=15,
            cols: vec![(0, Col::Lock(15))],
        },
    };
    let msg = command::execute(&mut doc, &sc, &Command::Interpolate).expect("interpolate");
    assert_eq!(msg, "interpolated 14 values in 1 column(s)");
    assert_eq!(at.lock(&doc, 0, 8, 15), Some(64));
}

#[test]
fn chord_columns_take_absolute_notes_and_paste_goes_by_parameter() {
    let mut doc = Document::new(Project::new_blank("t"));
    let at = At::default();
    let m1 = 8;
    let note = |doc: &mut Document, index, n| {
        let c = Command::ChordNote { index, note: n };
        command::execute(doc, &scope(at, m1, 0, 0..=0), &c)
    };
    command::execute(&mut doc, &scope(at, m1, 0, 0..=0), &Command::Note(60)).expect("root");
    note(&mut doc, 1, 64).expect("E-4");
    note(&mut doc, 2, 67).expect("G-4");
    // Stored as offsets from NOTE (64 + semitones), shown as absolute notes.
    assert_eq!(at.lock(&doc, m1, 0, 3), Some(68));
    assert_eq!(at.lock(&doc, m1, 0, 4), Some(71));
    assert_eq!(at.chord_note(&doc, m1, 0, 1), Some(64));
    assert!(note(&mut doc, 3, 127).is_err(), "more than +63 from NOTE");
    assert!(
        command::execute(
            &mut doc,
            &scope(at, 0, 0, 0..=0),
            &Command::ChordNote { index: 1, note: 64 }
        )
        .is_err(),
        "audio tracks have no chord columns"
    );

    // Copy NOTE, NOT2, NOT3 of M1 step 1 and paste on M2 step 5: the same chord, in the same
    // parameters; pasted onto an audio track, nothing lands in another parameter.
    let src = Block {
        rows: 0..=0,
        cols: vec![(m1, Col::Note), (m1, Col::Lock(3)), (m1, Col::Lock(4))],
    };
    let clip = block::copy(&doc, at, &src);
    let paste = Command::Paste { clip, mix: false };
    let msg = command::execute(&mut doc, &scope(at, 9, 4, 4..=4), &paste).expect("paste");
    assert_eq!(msg, "pasted 3 cell(s)");
    assert_eq!(at.lock(&doc, 9, 4, 0), Some(60));
    assert_eq!(at.chord_note(&doc, 9, 4, 1), Some(64));
    assert_eq!(at.chord_note(&doc, 9, 4, 2), Some(67));
    let msg = command::execute(&mut doc, &scope(at, 0, 4, 4..=4), &paste).expect("paste");
    assert!(msg.starts_with("pasted 0 cell(s); 3 skipped"), "{msg}");
    assert_eq!(at.trig_kind(&doc, 0, 4), TrigKind::None);
    // Transposing the root moves the chord with it.
    let sc = Scope {
        at,
        track: 9,
        step: 4,
        block: Block {
            rows: 4..=4,
            cols: vec![(9, Col::Note)],
        },
    };
    command::execute(&mut doc, &sc, &Command::Transpose(2)).expect("transpose");
    assert_eq!(at.chord_note(&doc, 9, 4, 1), Some(66));
    // NOT3 alone moves by itself; NOTE and NOT2 stay.
    let sc = Scope {
        block: Block {
            rows: 4..=4,
            cols: vec![(9, Col::Lock(4))],
        },
        ..sc
    };
    let msg = command::execute(&mut doc, &sc, &Command::Transpose(-1)).expect("transpose");
    assert_eq!(msg, "transposed 1 note(s) by -1");
    assert_eq!(at.chord_note(&doc, 9, 4, 2), Some(68));
    assert_eq!(at.chord_note(&doc, 9, 4, 1), Some(66));
    assert_eq!(at.lock(&doc, 9, 4, 0), Some(62));
}

/// Grid commands the property test draws from (with their scopes' tracks and rows).
fn arb_command() -> impl Strategy<Value = (Command, usize, usize, usize)> {
    let cmd = prop_oneof![
        (0u8..128).prop_map(Command::Note),
        ((1u8..4), (40u8..90)).prop_map(|(index, note)| Command::ChordNote { index, note }),
        Just(Command::ToggleTrig),
        Just(Command::ToggleTrigless),
        ((0u8..32), prop::option::of(0u8..128))
            .prop_map(|(idx, value)| Command::SetLock { idx, value }),
        Just(Command::Clear),
        Just(Command::ClearStep),
        Just(Command::SetCondition(TrigCondition::Fill)),
        (-1i8..=1).prop_map(Command::CycleCondition),
        (-23i8..=23).prop_map(Command::SetMicro),
        (-2i8..=2).prop_map(Command::NudgeMicro),
        (-2i8..=2).prop_map(Command::NudgeRetrig),
        (0u8..10).prop_map(Command::SetRetrig),
        Just(Command::ToggleFlag(Mask::Slide)),
        Just(Command::ToggleFlag(Mask::Swing)),
        (-12i8..=12).prop_map(Command::Transpose),
        Just(Command::Interpolate),
        ((0u8..128), (0u8..128), any::<u64>()).prop_map(|(lo, hi, seed)| Command::Randomize {
            lo,
            hi,
            seed
        }),
        (1u8..9).prop_map(Command::FillEvery),
        ((0u8..9), (8u8..17), (0u8..8)).prop_map(|(hits, steps, rotation)| Command::Euclid {
            hits: hits.min(steps),
            steps,
            rotation
        }),
        (-2i8..=2).prop_map(Command::Rotate),
        Just(Command::Reverse),
        Just(Command::Double),
        Just(Command::Halve),
        (1u8..=64).prop_map(Command::SetLength),
        (720u16..=7200).prop_map(Command::SetTempo),
        (0u8..4).prop_map(Command::AssignPart),
    ];
    (cmd, 0usize..16, 0usize..64, 1usize..20)
}

/// One step of the property test: a grid command somewhere, or a snapshot edit (a part, a
/// bank-wide part save / reload, project.work, a slot operation over the project).
#[derive(Debug, Clone)]
enum Op {
    Cmd {
        cmd: Command,
        bank: usize,
        pattern: usize,
        track: usize,
        step: usize,
        rows: usize,
    },
    PartMachine {
        bank: usize,
        part: usize,
        track: usize,
    },
    SavePart {
        bank: usize,
        part: usize,
        reload: bool,
    },
    ProjectTempo(u16),
    RemoveUnusedSlots,
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (arb_command(), 0usize..2, 0usize..3).prop_map(|((cmd, track, step, rows), bank, pattern)| Op::Cmd {
            cmd,
            bank,
            pattern,
            track,
            step,
            rows,
        }),
        1 => (0usize..2, 0usize..4, 0usize..8).prop_map(|(bank, part, track)| Op::PartMachine { bank, part, track }),
        1 => (0usize..2, 0usize..4, any::<bool>()).prop_map(|(bank, part, reload)| Op::SavePart { bank, part, reload }),
        1 => (30u16..300).prop_map(Op::ProjectTempo),
        1 => Just(Op::RemoveUnusedSlots),
    ]
}

fn apply(doc: &mut Document, ops: &[Op]) {
    for op in ops {
        // Refused operations change nothing; the property holds for them too.
        match op {
            Op::Cmd {
                cmd,
                bank,
                pattern,
                track,
                step,
                rows,
            } => {
                let end = (step + rows).min(63);
                let sc = Scope {
                    at: At {
                        bank: *bank,
                        pattern: *pattern,
                    },
                    track: *track,
                    step: *step,
                    block: Block {
                        rows: *step..=end,
                        cols: vec![
                            (*track, Col::Trig),
                            (*track, Col::Note),
                            (*track, Col::Lock(15)),
                            (*track, Col::Lock(3)),
                            (*track, Col::Cond),
                        ],
                    },
                };
                let _ = command::execute(doc, &sc, cmd);
            }
            Op::PartMachine { bank, part, track } => {
                let _ = doc.edit_part(*bank, *part, "machine", |p| {
                    use octa::format::MachineType::{Flex, Static};
                    let m = if p.machine_type(*track) == Static {
                        Flex
                    } else {
                        Static
                    };
                    p.set_machine_type(*track, m)
                });
            }
            Op::SavePart { bank, part, reload } => {
                let _ = doc.edit_bank(*bank, "part state", |b| {
                    let r = if *reload {
                        b.reload_part(*part)
                    } else {
                        b.save_part(*part)
                    };
                    r.map_err(|e| e.to_string())
                });
            }
            Op::ProjectTempo(bpm) => {
                let _ = doc.edit_project_file("tempo", |pf| pf.set_tempo_bpm(f64::from(*bpm)));
            }
            Op::RemoveUnusedSlots => {
                let banks: Vec<usize> = (0..16).collect();
                let _ = doc.edit_project("remove unused slots", &banks, |p| {
                    octa::project::slots::remove_unused(p)
                        .map(|r| format!("{} removed", r.len()))
                        .map_err(|e| e.to_string())
                });
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn commands_undone_give_back_every_file_and_redone_the_same_bytes(
        ops in prop::collection::vec(arb_op(), 1..25)
    ) {
        let mut doc = Document::new(corpus_project("ot/hello-flex/project"));
        let original = all_files(&doc.project);
        apply(&mut doc, &ops);
        let edited = all_files(&doc.project);
        let n = doc.history.undo_len();
        for _ in 0..n {
            doc.undo();
        }
        prop_assert!(all_files(&doc.project) == original, "undo all differs from the original");
        prop_assert!(!doc.is_dirty(), "back at the opened state: no star");
        for _ in 0..n {
            doc.redo();
        }
        prop_assert!(all_files(&doc.project) == edited, "redo all differs from applying");
    }
}

#[test]
fn trig_rules_of_the_device() {
    let mut doc = Document::new(Project::new_blank("t"));
    let at = At::default();
    // A lock on an empty step makes a lock trig; clearing its last lock removes it.
    at.set_lock(&mut doc, 0, 3, 15, Some(100));
    assert_eq!(at.trig_kind(&doc, 0, 3), TrigKind::Lock);
    at.set_lock(&mut doc, 0, 3, 15, None);
    assert_eq!(at.trig_kind(&doc, 0, 3), TrigKind::None);
    // Removing a trig that carries locks leaves a lock trig: no lock is lost.
    at.toggle_trig(&mut doc, 0, 4, Mask::Trig);
    at.set_lock(&mut doc, 0, 4, 15, Some(90));
    assert_eq!(at.trig_kind(&doc, 0, 4), TrigKind::Trig);
    at.toggle_trig(&mut doc, 0, 4, Mask::Trig);
    assert_eq!(at.trig_kind(&doc, 0, 4), TrigKind::Lock);
    assert_eq!(at.lock(&doc, 0, 4, 15), Some(90));
    // A trigless trig replaces a trig (one kind per step).
    at.toggle_trig(&mut doc, 0, 4, Mask::Trigless);
    assert_eq!(at.trig_kind(&doc, 0, 4), TrigKind::Trigless);
    assert!(!at.mask(&doc, 0, Mask::LockOnly, 4));
    // Notes: PTCH on audio tracks is 64 + semitones from C-4; NOTE on MIDI tracks is the
    // note number; both bring a trig.
    at.set_note(&mut doc, 0, 0, 62);
    assert_eq!(at.lock(&doc, 0, 0, 0), Some(66));
    assert_eq!(at.trig_kind(&doc, 0, 0), TrigKind::Trig);
    at.set_note(&mut doc, 8, 0, 72);
    assert_eq!(at.lock(&doc, 8, 0, 0), Some(72));
    assert_eq!(at.note(&doc, 0, 0), Some(62));
    // Clearing a step clears trigs, locks and its word, and keeps swing.
    at.edit_word(&mut doc, 0, 0, |w| w.set_repeats(3));
    let swing = at.mask(&doc, 0, Mask::Swing, 0);
    at.clear_step(&mut doc, 0, 0);
    assert_eq!(at.trig_kind(&doc, 0, 0), TrigKind::None);
    assert_eq!(at.lock(&doc, 0, 0, 0), None);
    assert_eq!(at.word(&doc, 0, 0).repeats(), 1);
    assert_eq!(at.mask(&doc, 0, Mask::Swing, 0), swing);
    // All of it is one undo step, and undoing it gives back the blank bank.
    doc.commit("all");
    doc.undo();
    assert_eq!(
        doc.bank(0).map(Bank::to_bytes),
        Some(Bank::blank().to_bytes())
    );
}

#[test]
fn refused_commands_change_nothing_and_say_why() {
    let mut doc = Document::new(Project::new_blank("t"));
    let at = At::default();
    let sc = scope(at, 8, 0, 0..=0);
    let e = command::execute(&mut doc, &sc, &Command::ToggleFlag(Mask::Slide)).unwrap_err();
    assert_eq!(e.to_string(), "MIDI tracks have no one-shot or slide trigs");
    let e = command::execute(&mut doc, &sc, &Command::SetLength(65)).unwrap_err();
    assert_eq!(e.to_string(), "length must be 1-64, got 65");
    assert!(command::execute(&mut doc, &sc, &Command::SetMicro(24)).is_err());
    assert_eq!(doc.history.undo_len(), 0);
    assert!(!doc.is_dirty());
}

#[test]
fn commands_on_a_corpus_bank_change_only_the_device_bytes() {
    let mut doc = Document::new(corpus_project("ot/hello-flex/project"));
    let before = doc.bank(0).map(Bank::to_bytes).expect("bank01");
    let at = At {
        bank: 0,
        pattern: 0,
    };
    // Find an empty step of T2 (no trig, no lock): a lock there makes a lock trig, so the lock
    // byte and one bit of the p-lock-only mask change (plus the checksum), nothing else.
    let step = (0..16)
        .find(|&s| at.trig_kind(&doc, 1, s) == TrigKind::None && !at.has_locks(&doc, 1, s))
        .expect("an empty step of T2 in the first page");
    let sc = scope(at, 1, step, step..=step);
    command::execute(
        &mut doc,
        &sc,
        &Command::SetLock {
            idx: 15,
            value: Some(84),
        },
    )
    .expect("lock");
    let after = doc.bank(0).map(Bank::to_bytes).expect("bank01");
    let trac = audio_track(0, 1);
    let lock = trac + 98 + step * 32 + 15;
    let mask_byte = trac + 25 + 7 - step / 8;
    assert_eq!(after[lock], 84);
    assert_eq!(after[mask_byte] ^ before[mask_byte], 1 << (step % 8));
    let d = diff(&before, &after);
    assert!(
        d.iter()
            .all(|&i| i == lock || i == mask_byte || i >= CHECKSUM),
        "{d:?}"
    );
    assert!(checksum_ok(&after));
    // Undone: every byte back.
    doc.undo();
    assert_eq!(doc.bank(0).map(Bank::to_bytes), Some(before));
}

#[test]
fn a_bank_clones_on_a_small_stack() {
    // The derived Clone built the 16 patterns on the stack and overflowed small thread stacks
    // in debug builds; the heap clone runs on a 256 KiB stack.
    let bank = Bank::blank();
    let bytes = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || bank.clone().to_bytes())
        .expect("spawn")
        .join()
        .expect("no stack overflow");
    assert_eq!(bytes, Bank::blank().to_bytes());
}
