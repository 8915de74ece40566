//! The 784-byte trim/loop/slice record shared by `markers.work` slots and `.ot` files
//! (`.ot` offset 46): trim start, trim end, loop point, 64 slices, slice count.
//! Also the pure slice-editing helpers.

use serde::{Deserialize, Serialize};

use super::FormatError;
use super::hexbytes;
use super::rawfile::{RawFile, check_range, range_err};

/// Length of one record.
pub const RECORD_LEN: usize = 784;
/// Number of slice entries in a record.
pub const MAX_SLICES: usize = 64;
/// Offset of the slice table inside a record.
const SLICES_AT: usize = 12;
/// Offset of the slice count inside a record.
const COUNT_AT: usize = 780;

/// One slice: frames from `start` to `end`; `loop_start` = [`Slice::LOOP_OFF`] when off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    /// First frame.
    pub start: u32,
    /// End frame.
    pub end: u32,
    /// Loop point in frames, or `0xFFFFFFFF` (off).
    pub loop_start: u32,
}

impl Slice {
    /// The stored "loop off" value.
    pub const LOOP_OFF: u32 = u32::MAX;

    /// A slice without loop, as the device creates it.
    pub fn new(start: u32, end: u32) -> Self {
        Self {
            start,
            end,
            loop_start: Self::LOOP_OFF,
        }
    }

    fn to_bytes(self) -> [u8; 12] {
        let mut b = [0u8; 12];
        b[0..4].copy_from_slice(&self.start.to_be_bytes());
        b[4..8].copy_from_slice(&self.end.to_be_bytes());
        b[8..12].copy_from_slice(&self.loop_start.to_be_bytes());
        b
    }
}

/// The typed markers of one record: trim, loop point and the slices in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotMarkers {
    /// Trim start (frames).
    pub trim_start: u32,
    /// Trim end (frames; the device writes the sample's frame count).
    pub trim_end: u32,
    /// Loop point (frames).
    pub loop_point: u32,
    /// The slices in use (at most 64).
    pub slices: Vec<Slice>,
}

/// Accessors for a record at byte `base` of a raw file.
pub(crate) struct Record {
    pub base: usize,
}

impl Record {
    pub fn trim_start(&self, f: &RawFile) -> u32 {
        f.u32(self.base)
    }
    pub fn trim_end(&self, f: &RawFile) -> u32 {
        f.u32(self.base + 4)
    }
    pub fn loop_point(&self, f: &RawFile) -> u32 {
        f.u32(self.base + 8)
    }
    pub fn set_trim_start(&self, f: &mut RawFile, v: u32) {
        f.set_u32(self.base, v)
    }
    pub fn set_trim_end(&self, f: &mut RawFile, v: u32) {
        f.set_u32(self.base + 4, v)
    }
    pub fn set_loop_point(&self, f: &mut RawFile, v: u32) {
        f.set_u32(self.base + 8, v)
    }
    /// The stored count, unclamped.
    pub fn raw_count(&self, f: &RawFile) -> u32 {
        f.u32(self.base + COUNT_AT)
    }
    /// Any of the 64 entries, in use or not.
    pub fn entry(&self, f: &RawFile, i: usize) -> Option<Slice> {
        (i < MAX_SLICES).then(|| {
            let at = self.base + SLICES_AT + i * 12;
            Slice {
                start: f.u32(at),
                end: f.u32(at + 4),
                loop_start: f.u32(at + 8),
            }
        })
    }
    /// The slices in use (the count clamped to 64).
    pub fn slices(&self, f: &RawFile) -> Vec<Slice> {
        let n = (self.raw_count(f) as usize).min(MAX_SLICES);
        (0..n).filter_map(|i| self.entry(f, i)).collect()
    }
    /// Overwrites one entry (in use or not).
    pub fn set_entry(&self, f: &mut RawFile, i: usize, s: Slice) -> Result<(), FormatError> {
        check_range("slice index", i as i64, 0, MAX_SLICES as i64 - 1)?;
        f.put(self.base + SLICES_AT + i * 12, &s.to_bytes());
        Ok(())
    }
    /// Writes `slices` as the entries in use and sets the count; entries beyond are kept.
    pub fn set_slices(&self, f: &mut RawFile, slices: &[Slice]) -> Result<(), FormatError> {
        if slices.len() > MAX_SLICES {
            return Err(range_err("slice count", slices.len() as i64, "0..=64"));
        }
        for (i, s) in slices.iter().enumerate() {
            self.set_entry(f, i, *s)?;
        }
        f.set_u32(self.base + COUNT_AT, slices.len() as u32);
        Ok(())
    }
    pub fn markers(&self, f: &RawFile) -> SlotMarkers {
        SlotMarkers {
            trim_start: self.trim_start(f),
            trim_end: self.trim_end(f),
            loop_point: self.loop_point(f),
            slices: self.slices(f),
        }
    }
    /// Writes all typed markers; slice entries beyond `m.slices` are kept.
    pub fn set_markers(&self, f: &mut RawFile, m: &SlotMarkers) -> Result<(), FormatError> {
        self.set_slices(f, &m.slices)?;
        self.set_trim_start(f, m.trim_start);
        self.set_trim_end(f, m.trim_end);
        self.set_loop_point(f, m.loop_point);
        Ok(())
    }
    pub fn to_json(&self, f: &RawFile) -> RecordJson {
        RecordJson::from_bytes(f.get(self.base, RECORD_LEN))
    }
}

/// JSON form of a record: typed fields, slices in use, raw bytes of the entries beyond.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordJson {
    /// Trim start (frames).
    pub trim_start: u32,
    /// Trim end (frames).
    pub trim_end: u32,
    /// Loop point (frames).
    pub loop_point: u32,
    /// The stored slice count (may exceed 64 in a damaged file).
    pub slice_count: u32,
    /// The slices in use.
    pub slices: Vec<Slice>,
    /// Entries beyond the count, as hex, when any byte there is non-zero.
    #[serde(
        default,
        with = "hexbytes::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub stale_slices: Option<Vec<u8>>,
}

impl RecordJson {
    /// Reads a 784-byte record.
    pub fn from_bytes(b: &[u8]) -> Self {
        let u = |o: usize| u32::from_be_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let count = u(COUNT_AT);
        let used = (count as usize).min(MAX_SLICES);
        let slices = (0..used)
            .map(|i| {
                let o = SLICES_AT + i * 12;
                Slice {
                    start: u(o),
                    end: u(o + 4),
                    loop_start: u(o + 8),
                }
            })
            .collect();
        let rest = &b[SLICES_AT + used * 12..COUNT_AT];
        Self {
            trim_start: u(0),
            trim_end: u(4),
            loop_point: u(8),
            slice_count: count,
            slices,
            stale_slices: rest.iter().any(|&x| x != 0).then(|| rest.to_vec()),
        }
    }

    /// Whether the record is all zero (an unused markers slot).
    pub fn is_empty(&self) -> bool {
        self.trim_start == 0
            && self.trim_end == 0
            && self.loop_point == 0
            && self.slice_count == 0
            && self.stale_slices.is_none()
    }

    /// Writes the 784-byte record; `what` names it in errors.
    pub fn to_bytes(&self, what: &str) -> Result<Vec<u8>, FormatError> {
        let mut b = vec![0u8; RECORD_LEN];
        b[0..4].copy_from_slice(&self.trim_start.to_be_bytes());
        b[4..8].copy_from_slice(&self.trim_end.to_be_bytes());
        b[8..12].copy_from_slice(&self.loop_point.to_be_bytes());
        if self.slices.len() > MAX_SLICES {
            return Err(range_err(
                &format!("{what}: number of slices"),
                self.slices.len() as i64,
                "0..=64",
            ));
        }
        for (i, s) in self.slices.iter().enumerate() {
            let o = SLICES_AT + i * 12;
            b[o..o + 12].copy_from_slice(&s.to_bytes());
        }
        let rest_at = SLICES_AT + self.slices.len() * 12;
        if let Some(st) = &self.stale_slices {
            if rest_at + st.len() != COUNT_AT {
                return Err(FormatError::Invalid {
                    offset: rest_at,
                    expected: format!(
                        "{what}: {} bytes of stale slice entries",
                        COUNT_AT - rest_at
                    ),
                    found: format!("{} bytes", st.len()),
                });
            }
            b[rest_at..COUNT_AT].copy_from_slice(st);
        }
        b[COUNT_AT..].copy_from_slice(&self.slice_count.to_be_bytes());
        Ok(b)
    }
}

/// Inserts a slice in start order; at most 64 slices, `start <= end`.
pub fn add_slice(slices: &[Slice], s: Slice) -> Result<Vec<Slice>, FormatError> {
    if slices.len() >= MAX_SLICES {
        return Err(range_err("slice count", slices.len() as i64 + 1, "0..=64"));
    }
    if s.start > s.end {
        return Err(range_err("slice start", s.start as i64, "<= slice end"));
    }
    let mut out = slices.to_vec();
    let at = out.partition_point(|x| x.start <= s.start);
    out.insert(at, s);
    Ok(out)
}

/// Moves slice `index` to `start..end`, keeping its loop point and the others' order.
pub fn move_slice(
    slices: &[Slice],
    index: usize,
    start: u32,
    end: u32,
) -> Result<Vec<Slice>, FormatError> {
    if index >= slices.len() {
        return Err(range_err(
            "slice index",
            index as i64,
            &format!("0..{}", slices.len()),
        ));
    }
    if start > end {
        return Err(range_err("slice start", start as i64, "<= slice end"));
    }
    let mut out = slices.to_vec();
    out[index].start = start;
    out[index].end = end;
    Ok(out)
}

/// Removes slice `index`.
pub fn delete_slice(slices: &[Slice], index: usize) -> Result<Vec<Slice>, FormatError> {
    if index >= slices.len() {
        return Err(range_err(
            "slice index",
            index as i64,
            &format!("0..{}", slices.len()),
        ));
    }
    let mut out = slices.to_vec();
    out.remove(index);
    Ok(out)
}

/// `n` equal slices over `frames` frames (1..=64): slice *i* starts at ⌊i·frames/n⌋ and
/// ends where the next starts; the last ends at `frames − 1`, as the device writes.
pub fn equal_grid(n: usize, frames: u32) -> Result<Vec<Slice>, FormatError> {
    check_range("slice count", n as i64, 1, MAX_SLICES as i64)?;
    if frames < n as u32 {
        return Err(range_err(
            "frame count",
            frames as i64,
            &format!(">= {n} for {n} slices"),
        ));
    }
    let at = |i: usize| (i as u64 * frames as u64 / n as u64) as u32;
    Ok((0..n)
        .map(|i| {
            let end = if i + 1 == n { frames - 1 } else { at(i + 1) };
            Slice::new(at(i), end)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_contiguous_and_ends_like_the_device() {
        let g = equal_grid(16, 890_839).unwrap();
        assert_eq!(g.len(), 16);
        assert_eq!(g[0].start, 0);
        assert_eq!(g[15].end, 890_838);
        for w in g.windows(2) {
            assert_eq!(w[0].end, w[1].start);
            assert!(w[0].start < w[0].end);
        }
        assert!(g.iter().all(|s| s.loop_start == Slice::LOOP_OFF));
        assert!(equal_grid(0, 100).is_err());
        assert!(equal_grid(65, 100_000).is_err());
        assert!(equal_grid(8, 4).is_err());
    }

    #[test]
    fn add_move_delete() {
        let g = equal_grid(2, 1000).unwrap();
        let a = add_slice(&g, Slice::new(200, 300)).unwrap();
        assert_eq!(a.iter().map(|s| s.start).collect::<Vec<_>>(), [0, 200, 500]);
        let m = move_slice(&a, 1, 250, 260).unwrap();
        assert_eq!((m[1].start, m[1].end), (250, 260));
        let d = delete_slice(&m, 0).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].start, 250);
        assert!(delete_slice(&d, 5).is_err());
        assert!(move_slice(&d, 0, 10, 5).is_err());
        assert!(add_slice(&equal_grid(64, 6400).unwrap(), Slice::new(0, 1)).is_err());
    }
}
