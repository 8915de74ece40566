//! Arrangements as play lists: pattern rows become play items, loop / jump / halt rows
//! are followed, and the row's tempo, mutes, window and MIDI transpose carry over.

use super::model::SeqPattern;
use super::timeline::{PlayItem, RowOptions};
use crate::format::arrangement::{ControlKind, Row, pattern_name};
use std::collections::HashMap;
use std::sync::Arc;

/// Most items an arrangement expands to (an infinite loop row is cut here).
pub const MAX_ITEMS: usize = 4096;

/// An arrangement flattened for playback.
#[derive(Debug, Clone, Default)]
pub struct ArrangedPlay {
    /// What to play, in order.
    pub items: Vec<PlayItem>,
    /// The arrangement row each item came from.
    pub rows: Vec<usize>,
    /// Problems met (missing patterns, an infinite loop cut at [`MAX_ITEMS`]).
    pub warnings: Vec<String>,
}

/// Flattens arrangement rows; `lookup` gives the pattern for an id (bank x 16 + pattern).
/// A row tempo stays in force until another row sets one; loop count 0 loops forever.
pub fn arrangement_items(
    rows: &[Row],
    mut lookup: impl FnMut(u8) -> Option<Arc<SeqPattern>>,
) -> ArrangedPlay {
    let mut out = ArrangedPlay::default();
    let mut loops_left: HashMap<usize, u32> = HashMap::new();
    let mut tempo: Option<f64> = None;
    let mut cache: HashMap<u8, Option<Arc<SeqPattern>>> = HashMap::new();
    let mut i = 0usize;
    let mut steps = 0usize;
    while i < rows.len() {
        steps += 1;
        if out.items.len() >= MAX_ITEMS || steps > MAX_ITEMS * 4 {
            out.warnings.push(format!(
                "arrangement cut after {} items (endless loop)",
                out.items.len()
            ));
            break;
        }
        match &rows[i] {
            Row::Pattern(p) => {
                if p.tempo_x24 != 0 {
                    tempo = Some(p.tempo_x24 as f64 / 24.0);
                }
                let pattern = cache.entry(p.pattern).or_insert_with(|| lookup(p.pattern));
                match pattern {
                    Some(pat) => {
                        let master = pat.master_length();
                        let length =
                            (p.length > 0 && p.length as u16 != master).then_some(p.length as u16);
                        out.items.push(PlayItem {
                            pattern: Arc::clone(pat),
                            passes: Some(p.repetitions as u32 + 1),
                            tempo,
                            row: RowOptions {
                                offset: p.offset as u16,
                                length,
                                muted: p.mute_mask as u16,
                                transpose: p.transpose,
                            },
                        });
                        out.rows.push(i);
                    }
                    None => out.warnings.push(format!(
                        "row {}: pattern {} not found",
                        i + 1,
                        pattern_name(p.pattern)
                    )),
                }
                i += 1;
            }
            Row::Control(c) => match c.kind(i) {
                ControlKind::Halt => break,
                ControlKind::Jump => i = c.target as usize,
                ControlKind::Loop => {
                    let left = loops_left.entry(i).or_insert(c.loop_count as u32);
                    if c.loop_count == 0 {
                        i = c.target as usize;
                    } else if *left > 0 {
                        *left -= 1;
                        i = c.target as usize;
                    } else {
                        loops_left.remove(&i);
                        i += 1;
                    }
                }
            },
            Row::Reminder(_) | Row::Unknown(_) => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::arrangement::{Arrangement, Block, ControlRow, PatternRow};

    fn lookup(id: u8) -> Option<Arc<SeqPattern>> {
        (id < 32).then(|| Arc::new(SeqPattern::empty(&pattern_name(id))))
    }

    #[test]
    fn rows_loops_jumps_and_halt() {
        let mut a = PatternRow::new(0);
        a.repetitions = 1;
        a.tempo_x24 = 24 * 90;
        let mut b = PatternRow::new(17);
        b.mute_mask = 0b101;
        b.offset = 4;
        b.length = 12;
        b.transpose[0] = -12;
        let rows = vec![
            Row::Pattern(a),
            Row::Reminder("verse".into()),
            Row::Pattern(b),
            Row::Control(ControlRow {
                loop_count: 2,
                target: 0,
            }),
            Row::Control(ControlRow {
                loop_count: 0,
                target: 6,
            }),
            Row::Pattern(PatternRow::new(200)),
            Row::Pattern(PatternRow::new(1)),
            Row::Control(ControlRow {
                loop_count: 0,
                target: 7,
            }),
            Row::Pattern(PatternRow::new(2)),
        ];
        let play = arrangement_items(&rows, lookup);
        let names: Vec<&str> = play.items.iter().map(|i| i.pattern.name.as_str()).collect();
        // A01, B02 three times (loop x2), jump over row 6 (P09), A02, halt.
        assert_eq!(names, ["A01", "B02", "A01", "B02", "A01", "B02", "A02"]);
        assert_eq!(play.rows, [0, 2, 0, 2, 0, 2, 6]);
        assert_eq!(play.items[0].passes, Some(2));
        assert_eq!(play.items[0].tempo, Some(90.0));
        // The tempo stays in force on later rows.
        assert_eq!(play.items[6].tempo, Some(90.0));
        let r = play.items[1].row;
        assert_eq!(
            (r.offset, r.length, r.muted, r.transpose[0]),
            (4, Some(12), 5, -12)
        );
        assert!(play.warnings.is_empty());
        // A missing pattern is reported, an endless loop is cut.
        let rows = vec![
            Row::Pattern(PatternRow::new(100)),
            Row::Pattern(PatternRow::new(3)),
            Row::Control(ControlRow {
                loop_count: 0,
                target: 1,
            }),
        ];
        let play = arrangement_items(&rows, lookup);
        assert_eq!(play.items.len(), MAX_ITEMS);
        assert_eq!(play.warnings.len(), 2);
        assert!(play.warnings[0].contains("G05 not found"));
    }

    #[test]
    fn corpus_arrangement_with_reminder_row() {
        let Some(p) = crate::testutil::corpus("ot/arrangements/one_reminder_row.work") else {
            return;
        };
        let arr = Arrangement::parse(&std::fs::read(p).unwrap()).unwrap();
        let rows = arr.rows(Block::Working);
        // The device turned its only pattern row (A01) into the reminder "CHAIN"; the row's
        // old pattern bytes are still there, but a reminder plays nothing.
        assert_eq!(rows, vec![Row::Reminder("CHAIN".into())]);
        let mut asked = Vec::new();
        let play = arrangement_items(&rows, |id| {
            asked.push(id);
            lookup(id)
        });
        assert!(play.items.is_empty(), "{:?}", play.rows);
        assert!(play.warnings.is_empty(), "{:?}", play.warnings);
        assert!(asked.is_empty(), "looked up patterns {asked:?}");
        // The same row as a pattern row would play once: the expansion is not empty by accident.
        let play = arrangement_items(&[Row::Pattern(PatternRow::new(0))], lookup);
        assert_eq!(play.items.len(), 1);
        assert_eq!(play.rows, vec![0]);
    }
}
