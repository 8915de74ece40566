//! Block operations on a selection of rows x (track, sub-column) cells.

use super::columns::Col;
use super::edit::{At, EMPTY, StepData};
use crate::ui::model::{Document, Mask, STEPS};
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

/// Copied cells: column kinds and rows of values ([`EMPTY`] = empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Clipboard {
    /// The column kinds, left to right.
    pub cols: Vec<Col>,
    /// Values, one row per step.
    pub rows: Vec<Vec<u16>>,
}

/// Whether a value of column kind `from` can go into a column `to`.
fn compatible(from: Col, to: Col) -> bool {
    match (from, to) {
        (Col::Lock(_) | Col::Note, Col::Lock(_) | Col::Note) => true,
        (a, b) => a == b,
    }
}

/// Copies a block.
pub fn copy(doc: &Document, at: At, b: &Block) -> Clipboard {
    Clipboard {
        cols: b.cols.iter().map(|(_, c)| *c).collect(),
        rows: b
            .rows
            .clone()
            .map(|s| {
                b.cols
                    .iter()
                    .map(|(t, c)| at.cell_get(doc, *t, *c, s))
                    .collect()
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
        }
    }
}

/// Pastes at a row and a list of target columns (from the cursor rightwards). With `mix`, only
/// fills cells that are empty, from cells that are not.
pub fn paste(
    doc: &mut Document,
    at: At,
    clip: &Clipboard,
    row: usize,
    targets: &[(usize, Col)],
    mix: bool,
) {
    for (r, values) in clip.rows.iter().enumerate() {
        let s = row + r;
        if s >= STEPS {
            break;
        }
        for ((from, v), (t, to)) in clip.cols.iter().zip(values).zip(targets) {
            if !compatible(*from, *to) {
                continue;
            }
            if mix && (*v == EMPTY || at.cell_get(doc, *t, *to, s) != EMPTY) {
                continue;
            }
            at.cell_set(doc, *t, *to, s, *v);
        }
    }
}

/// Transposes the notes in a block by semitones.
pub fn transpose(doc: &mut Document, at: At, b: &Block, semitones: i16) {
    for (t, c) in &b.cols {
        if *c != Col::Note {
            continue;
        }
        for s in b.rows.clone() {
            if let Some(v) = at.lock(doc, *t, s, 0) {
                let nv = (v as i16 + semitones).clamp(0, 127) as u8;
                at.set_lock(doc, *t, s, 0, Some(nv));
            }
        }
    }
}

/// Interpolates each lock / note column linearly between its first and last row (both must be
/// locked); returns the number of columns interpolated.
pub fn interpolate(doc: &mut Document, at: At, b: &Block) -> usize {
    let (r0, r1) = (*b.rows.start(), *b.rows.end());
    let mut n = 0;
    if r1 <= r0 {
        return 0;
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
        n += 1;
    }
    n
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

/// Writes a euclidean rhythm (k hits over n steps, rotated) into the trigs of the given tracks,
/// from `start`; steps of the rhythm without a hit lose their trig.
pub fn euclid(
    doc: &mut Document,
    at: At,
    tracks: &[usize],
    start: usize,
    k: usize,
    n: usize,
    rot: usize,
) {
    for &t in tracks {
        for i in 0..n.min(STEPS - start.min(STEPS)) {
            let s = start + i;
            let hit = euclid_hit(k.min(n), n, rot, i);
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
/// `lo..=hi` (device values).
pub fn randomize(doc: &mut Document, at: At, b: &Block, lo: u8, hi: u8, rng: &mut impl rand::Rng) {
    let (lo, hi) = (lo.min(hi), hi.max(lo).min(254));
    for (t, c) in &b.cols {
        let idx = match c {
            Col::Note => 0,
            Col::Lock(i) => *i,
            _ => continue,
        };
        for s in b.rows.clone() {
            if at.trig_kind(doc, *t, s) == super::edit::TrigKind::None {
                continue;
            }
            let v = rng.random_range(lo..=hi);
            at.set_lock(doc, *t, s, idx, Some(v));
        }
    }
}
