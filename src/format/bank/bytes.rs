//! Bulk byte containers for the bank wire structures.
//!
//! binrw reads `[T; N]` one element at a time, which is far too slow for the
//! ~600 KB of a bank. These wrappers read and write their bytes in one call and
//! give serde a compact, readable form (hex strings, number lists, step strings).

use binrw::{BinRead, BinResult, BinWrite, Endian};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use crate::format::FormatError;

/// Value of a lock byte meaning "not locked".
pub const NO_LOCK: u8 = 255;

/// Number of steps in a pattern track.
pub const STEPS: usize = 64;

/// Lowercase hex of a byte slice.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Parses hex (either case) into exactly `out.len()` bytes.
pub(crate) fn from_hex(s: &str, out: &mut [u8]) -> Result<(), String> {
    let s = s.as_bytes();
    if s.len() != out.len() * 2 {
        return Err(format!(
            "expected {} hex digits, found {}",
            out.len() * 2,
            s.len()
        ));
    }
    let digit = |c: u8| -> Result<u8, String> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(format!("invalid hex digit {:?}", c as char)),
        }
    };
    for (o, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        *o = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Ok(())
}

/// An out-of-range index error.
pub(crate) fn range_err(field: &str, value: usize, max_exclusive: usize) -> FormatError {
    FormatError::Range {
        field: field.to_string(),
        value: value as i64,
        range: format!("0..={}", max_exclusive.saturating_sub(1)),
    }
}

macro_rules! bulk_binrw {
    ($ty:ident) => {
        impl<const N: usize> BinRead for $ty<N> {
            type Args<'a> = ();
            fn read_options<R: Read + Seek>(r: &mut R, _: Endian, _: ()) -> BinResult<Self> {
                let mut b = [0u8; N];
                r.read_exact(&mut b)?;
                Ok(Self(b))
            }
        }
        impl<const N: usize> BinWrite for $ty<N> {
            type Args<'a> = ();
            fn write_options<W: Write + Seek>(&self, w: &mut W, _: Endian, _: ()) -> BinResult<()> {
                w.write_all(&self.0)?;
                Ok(())
            }
        }
        impl<const N: usize> std::ops::Deref for $ty<N> {
            type Target = [u8; N];
            fn deref(&self) -> &[u8; N] {
                &self.0
            }
        }
        impl<const N: usize> std::ops::DerefMut for $ty<N> {
            fn deref_mut(&mut self) -> &mut [u8; N] {
                &mut self.0
            }
        }
        impl<const N: usize> Default for $ty<N> {
            fn default() -> Self {
                Self([0; N])
            }
        }
    };
}

/// Raw bytes whose meaning is unknown or opaque; serialised as a hex string.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Raw<const N: usize>(pub [u8; N]);
bulk_binrw!(Raw);

impl<const N: usize> fmt::Debug for Raw<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Raw({})", to_hex(&self.0))
    }
}

impl<const N: usize> Serialize for Raw<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_hex(&self.0))
    }
}

impl<'de, const N: usize> Deserialize<'de> for Raw<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let mut b = [0u8; N];
        from_hex(&s, &mut b).map_err(D::Error::custom)?;
        Ok(Self(b))
    }
}

/// A short group of named parameter bytes; serialised as a list of numbers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Bytes<const N: usize>(pub [u8; N]);
bulk_binrw!(Bytes);

impl<const N: usize> Serialize for Bytes<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl<'de, const N: usize> Deserialize<'de> for Bytes<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<u8>::deserialize(d)?;
        let n = v.len();
        v.try_into()
            .map(Self)
            .map_err(|_| D::Error::custom(format!("expected {N} bytes, found {n}")))
    }
}

/// A set of steps stored as a big-endian u64: bit *k* = step index *k* (step *k+1* on the device).
///
/// Serialised as 64 characters (step 1 first), `x` = set, `-` = clear, in
/// groups of 16 separated by spaces.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, BinRead, BinWrite)]
#[brw(big)]
pub struct TrigMask(pub u64);

impl TrigMask {
    /// Whether step index `step` (0..64) is set; false when out of range.
    pub fn get(self, step: usize) -> bool {
        step < STEPS && (self.0 >> step) & 1 == 1
    }
    /// Sets or clears step index `step` (0..64).
    pub fn set(&mut self, step: usize, on: bool) -> Result<(), FormatError> {
        if step >= STEPS {
            return Err(range_err("step", step, STEPS));
        }
        if on {
            self.0 |= 1 << step;
        } else {
            self.0 &= !(1 << step);
        }
        Ok(())
    }
    /// The set step indices (0-based), ascending.
    pub fn steps(self) -> impl Iterator<Item = usize> {
        (0..STEPS).filter(move |&s| (self.0 >> s) & 1 == 1)
    }
    /// Builds a mask from step indices; indices >= 64 are ignored.
    pub fn from_steps(steps: impl IntoIterator<Item = usize>) -> Self {
        Self(
            steps
                .into_iter()
                .filter(|&s| s < STEPS)
                .fold(0, |m, s| m | 1 << s),
        )
    }
    /// Number of set steps.
    pub fn count(self) -> u32 {
        self.0.count_ones()
    }
    /// True when no step is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The 8 stored bytes.
    pub fn to_bytes(self) -> [u8; 8] {
        self.0.to_be_bytes()
    }
}

impl TrigMask {
    /// The text form (`x---` per step, a space every 16 steps), built in one buffer so it is
    /// written (and JSON-escaped) as one string, not 67 pieces.
    fn text(self) -> [u8; STEPS + STEPS / 16 - 1] {
        let mut b = [b' '; STEPS + STEPS / 16 - 1];
        for s in 0..STEPS {
            b[s + s / 16] = if self.get(s) { b'x' } else { b'-' };
        }
        b
    }
}

impl fmt::Display for TrigMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.text();
        f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for TrigMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrigMask({self})")
    }
}

impl std::str::FromStr for TrigMask {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut m = 0u64;
        let mut n = 0usize;
        for c in s.chars() {
            let on = match c {
                'x' | 'X' | '1' => true,
                '-' | '.' | '0' => false,
                ' ' | '|' => continue,
                _ => return Err(format!("invalid step character {c:?} in trig mask")),
            };
            if n >= STEPS {
                return Err("trig mask has more than 64 steps".into());
            }
            if on {
                m |= 1 << n;
            }
            n += 1;
        }
        if n != STEPS {
            return Err(format!("trig mask has {n} steps, expected 64"));
        }
        Ok(Self(m))
    }
}

impl Serialize for TrigMask {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b = self.text();
        s.serialize_str(std::str::from_utf8(&b).map_err(<S::Error as serde::ser::Error>::custom)?)
    }
}

impl<'de> Deserialize<'de> for TrigMask {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

/// One 32-byte lock record (a step's p-locks or a scene's track locks); 255 = not locked.
///
/// Serialised as a map of locked slots to values, e.g. `{"15": 119}`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LockRecord(pub [u8; 32]);

impl Default for LockRecord {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl LockRecord {
    /// A record with nothing locked.
    pub const EMPTY: Self = Self([NO_LOCK; 32]);
    /// The lock in slot `idx` (0..32), `None` when not locked or out of range.
    pub fn get(&self, idx: usize) -> Option<u8> {
        self.0.get(idx).copied().filter(|&v| v != NO_LOCK)
    }
    /// Sets (`Some`) or clears (`None`) the lock in slot `idx`; 255 cannot be stored as a value.
    pub fn set(&mut self, idx: usize, value: Option<u8>) -> Result<(), FormatError> {
        if idx >= 32 {
            return Err(range_err("lock slot", idx, 32));
        }
        if value == Some(NO_LOCK) {
            return Err(FormatError::Range {
                field: "lock value".into(),
                value: 255,
                range: "0..=254 (255 means no lock)".into(),
            });
        }
        self.0[idx] = value.unwrap_or(NO_LOCK);
        Ok(())
    }
    /// True when no slot is locked.
    pub fn is_empty(&self) -> bool {
        self.0 == [NO_LOCK; 32]
    }
    /// The locked slots as (slot, value) pairs.
    pub fn locks(&self) -> impl Iterator<Item = (usize, u8)> + '_ {
        self.0
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != NO_LOCK)
            .map(|(i, v)| (i, *v))
    }
}

impl fmt::Debug for LockRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.locks()).finish()
    }
}

impl Serialize for LockRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.locks())
    }
}

impl<'de> Deserialize<'de> for LockRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = BTreeMap::<usize, u8>::deserialize(d)?;
        let mut r = Self::EMPTY;
        for (idx, v) in m {
            *r.0.get_mut(idx).ok_or_else(|| {
                D::Error::custom(format!("lock slot {idx} out of range 0..=31"))
            })? = v;
        }
        Ok(r)
    }
}

/// A file's bytes as read, shared by the values parsed from it (see [`LockRecords`]).
pub type SharedBytes = Arc<Vec<u8>>;

/// `H` consecutive 32-byte lock records.
///
/// Parsed from a bank they are a view into the bank's bytes as read (shared, nothing copied:
/// a bank holds 384 of these blocks, about 0.5 MB); the first edit copies the block out
/// (copy-on-write). Either way a track or part moves without copying kilobytes.
#[derive(Clone)]
pub struct LockRecords<const H: usize>(Store<H>);

#[derive(Clone)]
enum Store<const H: usize> {
    /// `H * 32` bytes of `src` from `at`.
    Shared { src: SharedBytes, at: usize },
    /// Owned records (built in code, deserialised, or edited).
    Owned(Box<[[u8; 32]; H]>),
}

impl<const H: usize> Default for LockRecords<H> {
    fn default() -> Self {
        Self(Store::Owned(Box::new([[NO_LOCK; 32]; H])))
    }
}

impl<const H: usize> PartialEq for LockRecords<H> {
    fn eq(&self, other: &Self) -> bool {
        self.rows() == other.rows()
    }
}

impl<const H: usize> Eq for LockRecords<H> {}

impl<const H: usize> std::hash::Hash for LockRecords<H> {
    fn hash<S: std::hash::Hasher>(&self, state: &mut S) {
        self.rows().hash(state);
    }
}

impl<const H: usize> fmt::Debug for LockRecords<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().enumerate().filter(|(_, r)| !r.is_empty()))
            .finish()
    }
}

impl<const H: usize> LockRecords<H> {
    /// The `H` records, in order.
    pub fn rows(&self) -> &[[u8; 32]] {
        match &self.0 {
            Store::Owned(b) => &b[..],
            // `at..at + H * 32` was checked against `src` when the view was made.
            Store::Shared { src, at } => src
                .get(*at..*at + H * 32)
                .map_or(&[][..], |b| b.as_chunks::<32>().0),
        }
    }
    /// The records for editing (copies a shared block out first).
    pub fn rows_mut(&mut self) -> &mut [[u8; 32]; H] {
        if let Store::Shared { .. } = self.0 {
            let mut own = Box::new([[NO_LOCK; 32]; H]);
            for (o, r) in own.iter_mut().zip(self.rows()) {
                *o = *r;
            }
            self.0 = Store::Owned(own);
        }
        match &mut self.0 {
            Store::Owned(b) => b,
            Store::Shared { .. } => unreachable!("made owned just above"),
        }
    }
    /// The lock of record `row`, slot `idx`; `None` when not locked or out of range.
    pub fn get(&self, row: usize, idx: usize) -> Option<u8> {
        self.rows()
            .get(row)
            .and_then(|r| r.get(idx))
            .copied()
            .filter(|&v| v != NO_LOCK)
    }
    /// Sets or clears the lock of record `row`, slot `idx`.
    pub fn set(&mut self, row: usize, idx: usize, value: Option<u8>) -> Result<(), FormatError> {
        if row >= H {
            return Err(range_err("record", row, H));
        }
        let mut rec = self.record(row).unwrap_or(LockRecord::EMPTY);
        rec.set(idx, value)?;
        self.rows_mut()[row] = rec.0;
        Ok(())
    }
    /// The record at `row`.
    pub fn record(&self, row: usize) -> Option<LockRecord> {
        self.rows().get(row).map(|r| LockRecord(*r))
    }
    /// Replaces the record at `row`.
    pub fn set_record(&mut self, row: usize, rec: LockRecord) -> Result<(), FormatError> {
        if row >= H {
            return Err(range_err("record", row, H));
        }
        self.rows_mut()[row] = rec.0;
        Ok(())
    }
    /// All records in order.
    pub fn iter(&self) -> impl Iterator<Item = LockRecord> + '_ {
        self.rows().iter().map(|r| LockRecord(*r))
    }
    /// True when no record has a lock.
    pub fn is_empty(&self) -> bool {
        self.rows().as_flattened().iter().all(|&b| b == NO_LOCK)
    }
}

impl<const H: usize> BinRead for LockRecords<H> {
    /// The bytes the reader reads (the whole file), so the records can be a view into them.
    type Args<'a> = (&'a SharedBytes,);
    fn read_options<R: Read + Seek>(
        r: &mut R,
        _: Endian,
        (src,): Self::Args<'_>,
    ) -> BinResult<Self> {
        let pos = r.stream_position()?;
        let len = H * 32;
        let at = usize::try_from(pos)
            .ok()
            .filter(|at| at.checked_add(len).is_some_and(|end| end <= src.len()))
            .ok_or_else(|| binrw::Error::AssertFail {
                pos,
                message: format!("{H} lock records ({len} bytes) run past the end of the file"),
            })?;
        r.seek(SeekFrom::Current(len as i64))?;
        Ok(Self(Store::Shared {
            src: Arc::clone(src),
            at,
        }))
    }
}

impl<const H: usize> BinWrite for LockRecords<H> {
    type Args<'a> = ();
    fn write_options<W: Write + Seek>(&self, w: &mut W, _: Endian, _: ()) -> BinResult<()> {
        w.write_all(self.rows().as_flattened())?;
        Ok(())
    }
}

impl<const H: usize> Serialize for LockRecords<H> {
    /// A map of row index to record, for rows with at least one lock.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().enumerate().filter(|(_, r)| !r.is_empty()))
    }
}

impl<'de, const H: usize> Deserialize<'de> for LockRecords<H> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = BTreeMap::<usize, LockRecord>::deserialize(d)?;
        let mut out = Self::default();
        for (row, rec) in m {
            *out.rows_mut().get_mut(row).ok_or_else(|| {
                D::Error::custom(format!("lock record {row} out of range 0..={}", H - 1))
            })? = rec.0;
        }
        Ok(out)
    }
}

/// `H` rows of `W` raw bytes, read and written in one call; serialised as `H` hex strings.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Grid<const W: usize, const H: usize>(pub [[u8; W]; H]);

impl<const W: usize, const H: usize> Grid<W, H> {
    /// A grid with every byte set to `v`.
    pub fn filled(v: u8) -> Self {
        Self([[v; W]; H])
    }
}

impl<const W: usize, const H: usize> BinRead for Grid<W, H> {
    type Args<'a> = ();
    fn read_options<R: Read + Seek>(r: &mut R, _: Endian, _: ()) -> BinResult<Self> {
        let mut b = [[0u8; W]; H];
        r.read_exact(b.as_flattened_mut())?;
        Ok(Self(b))
    }
}

impl<const W: usize, const H: usize> BinWrite for Grid<W, H> {
    type Args<'a> = ();
    fn write_options<Wr: Write + Seek>(&self, w: &mut Wr, _: Endian, _: ()) -> BinResult<()> {
        w.write_all(self.0.as_flattened())?;
        Ok(())
    }
}

impl<const W: usize, const H: usize> Serialize for Grid<W, H> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|row| to_hex(row)))
    }
}

impl<'de, const W: usize, const H: usize> Deserialize<'de> for Grid<W, H> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<String>::deserialize(d)?;
        if v.len() != H {
            return Err(D::Error::custom(format!(
                "expected {H} rows, found {}",
                v.len()
            )));
        }
        let mut g = [[0u8; W]; H];
        for (row, s) in g.iter_mut().zip(&v) {
            from_hex(s, row).map_err(D::Error::custom)?;
        }
        Ok(Self(g))
    }
}

/// The 64 repeat / micro-timing / condition words of a track, read in one call.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct StepWords(pub [crate::format::StepWord; STEPS]);

impl Default for StepWords {
    fn default() -> Self {
        Self([crate::format::StepWord(0); STEPS])
    }
}

impl BinRead for StepWords {
    type Args<'a> = ();
    fn read_options<R: Read + Seek>(r: &mut R, _: Endian, _: ()) -> BinResult<Self> {
        let mut b = [[0u8; 2]; STEPS];
        r.read_exact(b.as_flattened_mut())?;
        Ok(Self(b.map(crate::format::StepWord::from_bytes)))
    }
}

impl BinWrite for StepWords {
    type Args<'a> = ();
    fn write_options<W: Write + Seek>(&self, w: &mut W, _: Endian, _: ()) -> BinResult<()> {
        let b: [[u8; 2]; STEPS] = self.0.map(|s| s.to_bytes());
        w.write_all(b.as_flattened())?;
        Ok(())
    }
}

impl Serialize for StepWords {
    /// A map of step index to word, for non-zero words.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .enumerate()
                .filter(|(_, w)| w.0 != 0)
                .map(|(i, w)| (i, w.0)),
        )
    }
}

impl<'de> Deserialize<'de> for StepWords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = BTreeMap::<usize, u16>::deserialize(d)?;
        let mut out = Self::default();
        for (step, w) in m {
            out.0
                .get_mut(step)
                .ok_or_else(|| D::Error::custom(format!("step {step} out of range 0..=63")))?
                .0 = w;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trig_mask_bit_order_and_text() {
        // Doc §4.5: the last byte holds steps 1-8, bit 0 = step 1.
        let m = TrigMask(u64::from_be_bytes([0x80, 0, 0, 0, 0, 0, 0, 0x01]));
        assert_eq!(m.steps().collect::<Vec<_>>(), vec![0, 63]);
        let text = m.to_string();
        assert!(text.starts_with("x---"));
        assert!(text.ends_with("---x"));
        assert_eq!(text.parse::<TrigMask>(), Ok(m));
        let mut m2 = TrigMask::default();
        m2.set(4, true).unwrap();
        assert_eq!(m2.to_bytes(), [0, 0, 0, 0, 0, 0, 0, 0x10]);
        assert!(m2.set(64, true).is_err());
        assert!(!m2.get(64));
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let mut b = [0u8; 3];
        from_hex("0aFf10", &mut b).unwrap();
        assert_eq!(b, [0x0A, 0xFF, 0x10]);
        assert_eq!(to_hex(&b), "0aff10");
        assert!(from_hex("0aF", &mut b).is_err());
        assert!(from_hex("0aFg10", &mut b).is_err());
    }

    #[test]
    fn lock_record_rules() {
        let mut r = LockRecord::EMPTY;
        assert!(r.set(31, Some(255)).is_err());
        assert!(r.set(32, Some(1)).is_err());
        r.set(31, Some(5)).unwrap();
        assert_eq!(r.get(31), Some(5));
        assert_eq!(r.locks().collect::<Vec<_>>(), vec![(31, 5)]);
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(j, r#"{"31":5}"#);
        assert_eq!(serde_json::from_str::<LockRecord>(&j).unwrap(), r);
        assert_eq!(serde_json::to_string(&LockRecord::EMPTY).unwrap(), "{}");
        assert!(serde_json::from_str::<LockRecord>(r#"{"32":5}"#).is_err());
    }
}
