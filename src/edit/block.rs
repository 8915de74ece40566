//! Block operations on a selection of rows x (track, sub-column) cells.

use super::columns::Col;
use super::trig::{At, EMPTY, StepData};
use crate::edit::document::{Document, Mask, STEPS, TRACKS, is_midi};
use std::collections::BTreeSet;
use std::ops::RangeInclusive;

/// A rectangular selection: rows and the (track, column) cells in grid order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Steps.
    pub rows: RangeInclusive<usize>,
    /// Columns, left to right.
    pub cols: Vec<(usize, Col)>,
}

impl Block {
    /// The distinct tracks of the block.
    pub fn tracks(&self) -> Vec<usize> {
        let set: BTreeSet<usize> = self.cols.iter().map(|(t, _)| *t).collect();
        set.into_iter().collect()
    }
}

/// Copied cells: the parameter of each column (with its track, counted from the block's
/// first track, and whether that track is a MIDI track) and rows of values ([`EMPTY`] =
/// empty). Chord columns NOT2-NOT4 hold absolute notes, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Clipboard {
    /// The columns, left to right: (track offset, MIDI track, column).
    pub cols: Vec<(usize, bool, Col)>,
    /// Values, one row per step.
    pub rows: Vec<Vec<u16>>,
    /// Recorder trigs of the audio tracks whose trig column was copied: (track offset, one
    /// [`crate::format::bank::RecorderTrig::bits`] per row).
    pub recorder: Vec<(usize, Vec<u8>)>,
}

/// What a paste did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PasteReport {
    /// Cells written.
    pub written: usize,
    /// Cells skipped because the target track has no such parameter (audio <-> MIDI).
    pub skipped: usize,
    /// Rows past the last step (64), not pasted.
    pub rows_cut: usize,
}

impl PasteReport {
    /// The status line.
    pub fn message(&self) -> String {
        let mut m = format!("pasted {} cell(s)", self.written);
        if self.skipped > 0 {
            m.push_str(&format!(
                "; {} skipped (no such parameter on the target track)",
                self.skipped
            ));
        }
        if self.rows_cut > 0 {
            m.push_str(&format!(
                "; {} row(s) past step 64 not pasted",
                self.rows_cut
            ));
        }
        m
    }
}

/// A chord column of a MIDI track (lock bytes NOT2..NOT4) and its index 1..=3.
fn chord_index(track: usize, col: Col) -> Option<u8> {
    match col {
        Col::Lock(i @ 3..=5) if is_midi(track) => Some(i - 2),
        _ => None,
    }
}

/// Copies a block, column by column as parameters.
pub fn copy(doc: &Document, at: At, b: &Block) -> Clipboard {
    let first = b.cols.first().map_or(0, |(t, _)| *t);
    Clipboard {
        cols: b
            .cols
            .iter()
            .map(|(t, c)| (t - first.min(*t), is_midi(*t), *c))
            .collect(),
        rows: b
            .rows
            .clone()
            .map(|s| {
                b.cols
                    .iter()
                    .map(|(t, c)| match chord_index(*t, *c) {
                        Some(i) => at.chord_note(doc, *t, s, i).map_or(EMPTY, u16::from),
                        None => at.cell_get(doc, *t, *c, s),
                    })
                    .collect()
            })
            .collect(),
        recorder: b
            .cols
            .iter()
            .filter(|(t, c)| *c == Col::Trig && !is_midi(*t))
            .map(|(t, _)| {
                let bits = b.rows.clone().map(|s| at.recorder(doc, *t, s).bits());
                (t - first.min(*t), bits.collect())
            })
            .collect(),
    }
}

/// Clears every cell of a block.
pub fn clear(doc: &mut Document, at: At, b: &Block) {
    for s in b.rows.clone() {
        // Locks first, so the trig column's rule (locks keep a lock trig) sees the result.
        for (t, c) in b.cols.iter().rev() {
            at.cell_set(doc, *t, *c, s, EMPTY);
            if *c == Col::Trig {
                at.clear_recorder(doc, *t, s);
            }
        }
    }
}

/// Pastes the recorder trigs of a clipboard (audio tracks only; with `mix`, only onto steps
/// without one); returns the steps written.
fn paste_recorder(
    doc: &mut Document,
    at: At,
    clip: &Clipboard,
    row: usize,
    track: usize,
    mix: bool,
) -> usize {
    let mut n = 0;
    for (dt, bits) in &clip.recorder {
        let t = track + dt;
        if is_midi(t) || t >= TRACKS {
            continue;
        }
        for (i, &b) in bits.iter().enumerate() {
            let s = row + i;
            if s >= STEPS || (mix && (b == 0 || at.recorder(doc, t, s).bits() != 0)) {
                continue;
            }
            for m in 0..4 {
                let unit = crate::edit::recorder::recorder_unit(t, m, s);
                at.set(doc, unit, (b >> m & 1) as u16);
            }
            n += (b != 0) as usize;
        }
    }
    n
}

/// Pastes at a row, the clipboard's first track on `track`, each value into the same
/// parameter of its track (never into another one: a lock or note column goes only to a track
/// of the same kind, audio or MIDI; a column the target does not show yet appears because it
/// is now locked). With `mix`, only fills cells that are empty, from cells that are not.
pub fn paste(
    doc: &mut Document,
    at: At,
    clip: &Clipboard,
    row: usize,
    track: usize,
    mix: bool,
) -> PasteReport {
    let mut r = PasteReport::default();
    for (i, values) in clip.rows.iter().enumerate() {
        let s = row + i;
        if s >= STEPS {
            r.rows_cut += 1;
            continue;
        }
        for (&(dt, midi, col), v) in clip.cols.iter().zip(values) {
            let t = track + dt;
            if t >= TRACKS {
                r.skipped += 1;
                continue;
            }
            let typed = matches!(col, Col::Note | Col::Lock(_));
            if typed && midi != is_midi(t) {
                r.skipped += 1;
                continue;
            }
            if let Some(ci) = chord_index(t, col) {
                if mix && (*v == EMPTY || at.chord_note(doc, t, s, ci).is_some()) {
                    continue;
                }
                let ok = match *v {
                    EMPTY => {
                        at.set_lock(doc, t, s, ci + 2, None);
                        true
                    }
                    n => at.set_chord_note(doc, t, s, ci, n.min(127) as u8).is_ok(),
                };
                if ok {
                    r.written += 1;
                } else {
                    r.skipped += 1;
                }
                continue;
            }
            if mix && (*v == EMPTY || at.cell_get(doc, t, col, s) != EMPTY) {
                continue;
            }
            at.cell_set(doc, t, col, s, *v);
            r.written += 1;
        }
    }
    r.written += paste_recorder(doc, at, clip, row, track, mix);
    r
}

/// Transposes the notes in a block by semitones (a MIDI chord moves with its root: its notes
/// are stored relative to NOTE; a chord column selected without its NOTE moves alone);
/// returns how many notes moved.
pub fn transpose(doc: &mut Document, at: At, b: &Block, semitones: i16) -> usize {
    let mut n = 0;
    for (t, c) in &b.cols {
        if let Some(ci) = chord_index(*t, *c) {
            // A chord note moves by itself only when its root is not moved too.
            if b.cols.contains(&(*t, Col::Note)) {
                continue;
            }
            for s in b.rows.clone() {
                if let Some(v) = at.chord_note(doc, *t, s, ci) {
                    let nv = (v as i16 + semitones).clamp(0, 127) as u8;
                    if nv != v && at.set_chord_note(doc, *t, s, ci, nv).is_ok() {
                        n += 1;
                    }
                }
            }
            continue;
        }
        if *c != Col::Note {
            continue;
        }
        for s in b.rows.clone() {
            if let Some(v) = at.lock(doc, *t, s, 0) {
                let nv = (v as i16 + semitones).clamp(0, 127) as u8;
                at.set_lock(doc, *t, s, 0, Some(nv));
                n += usize::from(nv != v);
            }
        }
    }
    n
}

/// Interpolates each lock / note column linearly between its first and last row (both must be
/// locked); returns the number of columns interpolated and of values written between them.
pub fn interpolate(doc: &mut Document, at: At, b: &Block) -> (usize, usize) {
    let (r0, r1) = (*b.rows.start(), *b.rows.end());
    let mut n = 0;
    let mut values = 0;
    if r1 <= r0 {
        return (0, 0);
    }
    for (t, c) in &b.cols {
        let idx = match c {
            Col::Note => 0,
            Col::Lock(i) => *i,
            _ => continue,
        };
        let (Some(a), Some(z)) = (at.lock(doc, *t, r0, idx), at.lock(doc, *t, r1, idx)) else {
            continue;
        };
        for s in r0..=r1 {
            let f = (s - r0) as f64 / (r1 - r0) as f64;
            let v = (a as f64 + (z as f64 - a as f64) * f).round() as u8;
            at.set_lock(doc, *t, s, idx, Some(v));
        }
        values += r1 - r0 - 1;
        n += 1;
    }
    (n, values)
}

/// Places a trig every `n` steps from the first row of the block on each of its tracks.
pub fn fill_every(
    doc: &mut Document,
    at: At,
    tracks: &[usize],
    rows: RangeInclusive<usize>,
    n: usize,
) {
    let n = n.max(1);
    let start = *rows.start();
    for &t in tracks {
        for s in rows.clone() {
            if (s - start).is_multiple_of(n) && !at.mask(doc, t, Mask::Trig, s) {
                at.toggle_trig(doc, t, s, Mask::Trig);
            }
        }
    }
}

/// True when step `i` of an `n`-step euclidean rhythm with `k` hits, rotated by `rot`, is a hit.
pub fn euclid_hit(k: usize, n: usize, rot: usize, i: usize) -> bool {
    if n == 0 || k == 0 {
        return false;
    }
    let j = (i + n - rot % n) % n;
    (j * k) % n < k
}

/// Writes a euclidean rhythm (k hits over n steps, rotated, repeated) into `len` steps of the
/// trigs of the given tracks from `start`; steps of the rhythm without a hit lose their trig.
#[allow(clippy::too_many_arguments)]
pub fn euclid(
    doc: &mut Document,
    at: At,
    tracks: &[usize],
    start: usize,
    k: usize,
    n: usize,
    rot: usize,
    len: usize,
) {
    let n = n.max(1);
    for &t in tracks {
        for i in 0..len.min(STEPS - start.min(STEPS)) {
            let s = start + i;
            let hit = euclid_hit(k.min(n), n, rot, i % n);
            if hit != at.mask(doc, t, Mask::Trig, s) {
                at.toggle_trig(doc, t, s, Mask::Trig);
            }
        }
    }
}

/// Rewrites whole steps of the given tracks: `f` maps the list of steps in `rows` to a new list
/// of the same length.
fn remap_steps(
    doc: &mut Document,
    at: At,
    tracks: &[usize],
    rows: RangeInclusive<usize>,
    f: impl Fn(&[StepData]) -> Vec<StepData>,
) {
    for &t in tracks {
        let old: Vec<StepData> = rows.clone().map(|s| at.step(doc, t, s)).collect();
        let new = f(&old);
        for (s, d) in rows.clone().zip(new.iter()) {
            at.put_step(doc, t, s, d, false);
        }
    }
}

/// Rotates whole steps by `by` rows (positive: down) within the rows, wrapping.
pub fn rotate(doc: &mut Document, at: At, tracks: &[usize], rows: RangeInclusive<usize>, by: i32) {
    remap_steps(doc, at, tracks, rows, |v| {
        let n = v.len() as i32;
        (0..n)
            .map(|i| v[((i - by).rem_euclid(n.max(1))) as usize])
            .collect()
    });
}

/// Reverses whole steps within the rows.
pub fn reverse(doc: &mut Document, at: At, tracks: &[usize], rows: RangeInclusive<usize>) {
    remap_steps(doc, at, tracks, rows, |v| v.iter().rev().copied().collect());
}

/// Doubles: step i moves to 2i (within the rows), gaps become empty; what falls off is dropped.
pub fn double(doc: &mut Document, at: At, tracks: &[usize], rows: RangeInclusive<usize>) {
    remap_steps(doc, at, tracks, rows, |v| {
        (0..v.len())
            .map(|i| {
                if i % 2 == 0 {
                    v[i / 2]
                } else {
                    StepData::EMPTY
                }
            })
            .collect()
    });
}

/// Halves: step 2i moves to i, odd steps are dropped, the second half becomes empty.
pub fn halve(doc: &mut Document, at: At, tracks: &[usize], rows: RangeInclusive<usize>) {
    remap_steps(doc, at, tracks, rows, |v| {
        (0..v.len())
            .map(|i| v.get(2 * i).copied().unwrap_or(StepData::EMPTY))
            .collect()
    });
}

/// Sets each lock / note cell of the block that has a trig of any kind to a random value in
/// `lo..=hi` (stored values; the caller reads the range in device units); returns how many.
pub fn randomize(
    doc: &mut Document,
    at: At,
    b: &Block,
    lo: u8,
    hi: u8,
    rng: &mut impl rand::Rng,
) -> usize {
    let (lo, hi) = (lo.min(hi), hi.max(lo).min(254));
    let mut n = 0;
    for (t, c) in &b.cols {
        let idx = match c {
            Col::Note => 0,
            Col::Lock(i) => *i,
            _ => continue,
        };
        for s in b.rows.clone() {
            if at.trig_kind(doc, *t, s) == super::trig::TrigKind::None {
                continue;
            }
            let v = rng.random_range(lo..=hi);
            at.set_lock(doc, *t, s, idx, Some(v));
            n += 1;
        }
    }
    n
}
