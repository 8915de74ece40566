//! Bank files (`bankNN.work` / `.strd`, 636113 bytes, version 23): 16 patterns,
//! 4 working parts, 4 saved parts, part state and names (format doc §4).
//!
//! Reading keeps every byte (unknown ranges as raw bytes), so an unedited bank
//! writes back byte-identical. All indices in this API are 0-based
//! (pattern 0..16, part 0..4, track 0..8, step 0..64, scene 0..16, lock slot 0..32).
//!
//! ```
//! use octa::format::bank::{Bank, StepKind};
//! use octa::format::{MachineType, TrigCondition};
//!
//! let mut bank = Bank::blank();
//! let track = &mut bank.patterns[0].audio[0];
//! track.set_step_kind(4, StepKind::Trig)?; // step 5
//! track.set_plock(4, 15, Some(100))?; // AMP VOL lock
//! track.set_condition(4, TrigCondition::Fill)?;
//! bank.part_mut(0)?.set_machine_type(0, MachineType::Flex)?; // sets part 1's edited bit
//! let bytes = bank.to_bytes(); // checksum recomputed
//! let (back, warnings) = Bank::from_bytes(&bytes)?;
//! assert!(warnings.is_empty() && back == bank);
//! # Ok::<(), octa::format::FormatError>(())
//! ```

mod bytes;
mod part;
mod pattern;
mod recorder;

pub use bytes::{
    Bytes, Grid, LockRecord, LockRecords, NO_LOCK, Raw, STEPS, SharedBytes, StepWords, TrigMask,
};
pub use part::{
    MachineParams, MidiPageValues, MidiSetup, PART_LEN, Part, RecorderSetup, SCENES, SlotRecord,
    TrackPageSetups, TrackPageValues,
};
pub use pattern::{
    AUDIO_TRACK_LEN, AUDIO_TRACKS_AT, AudioTrack, DEFAULT_SWING, DEFAULT_TEMPO_X24, MIDI_TRACK_LEN,
    MIDI_TRACKS_AT, MidiNotes, MidiTrack, PATTERN_LEN, Pattern, ScaleMode, StepKind, TrackSettings,
    audio_slot, midi_slot,
};
pub use recorder::{
    RECORDER_MASKS_AT, RECORDER_ONESHOT_MASK, RecorderSource, RecorderTrig, TrigMode,
    trig_quant_name,
};

use binrw::{BinRead, BinWrite};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::Cursor;
use std::sync::Arc;

use crate::format::common::{
    FileKind, HEADER_LEN, check_container, checksum, header, show_bytes, stored_checksum,
    verify_checksum,
};
use crate::format::{FormatError, Warning};
use bytes::range_err;

/// Number of patterns in a bank.
pub const PATTERNS: usize = 16;
/// Number of parts in a bank.
pub const PARTS: usize = 4;
/// Size of a version-23 bank file.
pub const BANK_LEN: usize = 636_113;
/// Offset of the first pattern.
pub const PATTERNS_AT: usize = HEADER_LEN;
/// Offset of the first working (unsaved) part.
pub const PARTS_AT: usize = PATTERNS_AT + PATTERNS * PATTERN_LEN;
/// Offset of the first saved part.
pub const SAVED_PARTS_AT: usize = PARTS_AT + PARTS * PART_LEN;
/// Offset of `parts_saved_state[4]`.
pub const SAVED_STATE_AT: usize = SAVED_PARTS_AT + PARTS * PART_LEN;
/// Offset of the edited-parts bit mask.
pub const EDITED_MASK_AT: usize = SAVED_STATE_AT + 4;
/// Offset of the four 7-byte part names.
pub const PART_NAMES_AT: usize = EDITED_MASK_AT + 1;
/// Offset of the checksum (u16 BE).
pub const CHECKSUM_AT: usize = PART_NAMES_AT + 4 * 7;

/// A 7-byte part name: ASCII, NUL-terminated when shorter than 7. Bytes after
/// the NUL are leftovers of earlier names; the device keeps them, so do we.
///
/// Serialised as the plain name when nothing follows the NUL, else as
/// `{"name": .., "raw": hex}`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartName(pub [u8; 7]);

impl PartName {
    /// A name with zeros after it; `None` if it is not 0..=7 printable ASCII characters.
    pub fn new(name: &str) -> Option<Self> {
        let mut n = Self([0; 7]);
        n.set(name).ok()?;
        Some(n)
    }
    /// The name: bytes up to the first NUL (non-ASCII shown as `?`).
    pub fn name(&self) -> String {
        self.0
            .iter()
            .take_while(|&&b| b != 0)
            .map(|&b| if b.is_ascii() { b as char } else { '?' })
            .collect()
    }
    /// Renames as the device does: writes the characters and a NUL when shorter
    /// than 7, leaving the bytes after the NUL as they were.
    pub fn set(&mut self, name: &str) -> Result<(), FormatError> {
        let b = name.as_bytes();
        if b.len() > 7 || !b.iter().all(|c| (0x20..0x7F).contains(c)) {
            return Err(FormatError::Range {
                field: format!("part name {name:?}"),
                value: b.len() as i64,
                range: "0..=7 printable ASCII characters".into(),
            });
        }
        self.0[..b.len()].copy_from_slice(b);
        if b.len() < 7 {
            self.0[b.len()] = 0;
        }
        Ok(())
    }
    fn is_plain(&self) -> bool {
        let end = self.0.iter().position(|&b| b == 0).unwrap_or(7);
        self.0[..end].iter().all(|c| (0x20..0x7F).contains(c))
            && self.0[end..].iter().all(|&b| b == 0)
    }
}

impl fmt::Debug for PartName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartName({:?}, {})", self.name(), bytes::to_hex(&self.0))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum PartNameRepr {
    Plain(String),
    Raw { name: String, raw: Raw<7> },
}

impl Serialize for PartName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_plain() {
            PartNameRepr::Plain(self.name())
        } else {
            PartNameRepr::Raw {
                name: self.name(),
                raw: Raw(self.0),
            }
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PartName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match PartNameRepr::deserialize(d)? {
            PartNameRepr::Plain(n) => PartName::new(&n)
                .ok_or_else(|| serde::de::Error::custom(format!("invalid part name {n:?}"))),
            PartNameRepr::Raw { raw, .. } => Ok(PartName(raw.0)),
        }
    }
}

/// Kept when a file's stored checksum was wrong, so that an unedited bank is
/// written back byte-identical; any edit (even one leaving the byte sum
/// unchanged) changes the content hash and the checksum is recomputed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleChecksum {
    /// The checksum stored in the file.
    pub stored: u16,
    /// SHA-256 of the file without its last two bytes, when read.
    pub content_sha256: Raw<32>,
}

/// A whole bank.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bank {
    /// Patterns 1..16.
    #[serde(with = "boxed_array")]
    pub patterns: Box<[Pattern; PATTERNS]>,
    /// Working (unsaved) parts; edit through [`Bank::part_mut`] / [`Bank::edit_part`].
    #[serde(with = "boxed_array")]
    parts: Box<[Part; PARTS]>,
    /// Saved parts (used by "reload part").
    #[serde(with = "boxed_array")]
    saved_parts: Box<[Part; PARTS]>,
    /// 1 once a part has been saved.
    parts_saved_state: Bytes<4>,
    /// Bit *p* = part *p* has unsaved edits.
    parts_edited: u8,
    /// Part names.
    part_names: [PartName; PARTS],
    /// Present only when the file's stored checksum was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stale_checksum: Option<StaleChecksum>,
}

mod boxed_array {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[allow(clippy::borrowed_box)]
    pub fn serialize<S: Serializer, T: Serialize, const N: usize>(
        v: &Box<[T; N]>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter())
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>, const N: usize>(
        d: D,
    ) -> Result<Box<[T; N]>, D::Error> {
        let v = Vec::<T>::deserialize(d)?;
        let n = v.len();
        v.into_boxed_slice()
            .try_into()
            .map_err(|_| D::Error::custom(format!("expected {N} entries, found {n}")))
    }
}

fn sha256(b: &[u8]) -> Raw<32> {
    Raw(Sha256::digest(b).into())
}

fn expect_magic(
    bytes: &[u8],
    offset: usize,
    magic: &[u8; 4],
    what: impl FnOnce() -> String,
) -> Result<(), FormatError> {
    let got = &bytes[offset..offset + 4];
    if got == magic {
        return Ok(());
    }
    Err(FormatError::Invalid {
        offset,
        expected: format!("\"{}\" ({})", String::from_utf8_lossy(magic), what()),
        found: show_bytes(got),
    })
}

/// Checks every block magic at its stride (the size is already known to be right).
fn check_magics(bytes: &[u8]) -> Result<(), FormatError> {
    for p in 0..PATTERNS {
        let po = PATTERNS_AT + p * PATTERN_LEN;
        expect_magic(bytes, po, b"PTRN", || format!("start of pattern {}", p + 1))?;
        for t in 0..8 {
            let o = po + AUDIO_TRACKS_AT + t * AUDIO_TRACK_LEN;
            expect_magic(bytes, o, b"TRAC", || {
                format!("pattern {} audio track {}", p + 1, t + 1)
            })?;
            let o = po + MIDI_TRACKS_AT + t * MIDI_TRACK_LEN;
            expect_magic(bytes, o, b"MTRA", || {
                format!("pattern {} MIDI track {}", p + 1, t + 1)
            })?;
        }
    }
    for q in 0..2 * PARTS {
        let kind = if q < PARTS { "working" } else { "saved" };
        expect_magic(bytes, PARTS_AT + q * PART_LEN, b"PART", || {
            format!("{kind} part {}", q % PARTS + 1)
        })?;
    }
    Ok(())
}

fn wire_err(e: binrw::Error, cur: &Cursor<&[u8]>) -> FormatError {
    FormatError::Invalid {
        offset: cur.position() as usize,
        expected: "a readable bank structure".into(),
        found: e.to_string(),
    }
}

/// Clones on the heap: the derived `Clone` builds the 16-pattern array on the stack, which
/// overflows the small stacks of test and worker threads in debug builds.
impl Clone for Bank {
    fn clone(&self) -> Self {
        Bank {
            patterns: boxed(self.patterns.to_vec()),
            parts: boxed(self.parts.to_vec()),
            saved_parts: boxed(self.saved_parts.to_vec()),
            parts_saved_state: self.parts_saved_state,
            parts_edited: self.parts_edited,
            part_names: self.part_names,
            stale_checksum: self.stale_checksum.clone(),
        }
    }
}

impl Bank {
    /// Parses a bank. Checks header, version (older banks are refused with advice to
    /// re-save on OS 1.40), size and every block magic; a checksum mismatch is a warning.
    pub fn from_bytes(bytes: &[u8]) -> Result<(Bank, Vec<Warning>), FormatError> {
        Self::from_shared(&Arc::new(bytes.to_vec()))
    }

    /// [`Bank::from_bytes`] without copying: the lock records (p-locks and scenes, 0.5 MB of
    /// the bank) stay views into `src` until edited (copy-on-write), so `src` lives as long as
    /// they do.
    pub fn from_shared(src: &SharedBytes) -> Result<(Bank, Vec<Warning>), FormatError> {
        let bytes: &[u8] = src;
        check_container(bytes, FileKind::Bank)?;
        check_magics(bytes)?;
        let mut cur = Cursor::new(bytes);
        cur.set_position(PATTERNS_AT as u64);
        let mut patterns = Vec::with_capacity(PATTERNS);
        for _ in 0..PATTERNS {
            patterns.push(Pattern::read_be_args(&mut cur, (src,)).map_err(|e| wire_err(e, &cur))?);
        }
        let read_parts = |cur: &mut Cursor<&[u8]>| -> Result<Box<[Part; PARTS]>, FormatError> {
            let mut v = Vec::with_capacity(PARTS);
            for _ in 0..PARTS {
                v.push(Part::read_be_args(cur, (src,)).map_err(|e| wire_err(e, cur))?);
            }
            Ok(boxed(v))
        };
        let parts = read_parts(&mut cur)?;
        let saved_parts = read_parts(&mut cur)?;
        let t = SAVED_STATE_AT;
        let mut names = [PartName([0; 7]); PARTS];
        for (i, n) in names.iter_mut().enumerate() {
            let o = PART_NAMES_AT + 7 * i;
            n.0.copy_from_slice(&bytes[o..o + 7]);
        }
        let mut warnings = Vec::new();
        let mut stale_checksum = None;
        if let Some(w) = verify_checksum(bytes) {
            warnings.push(w);
            stale_checksum = Some(StaleChecksum {
                stored: stored_checksum(bytes),
                content_sha256: sha256(&bytes[..CHECKSUM_AT]),
            });
        }
        let bank = Bank {
            patterns: boxed(patterns),
            parts,
            saved_parts,
            parts_saved_state: Bytes([bytes[t], bytes[t + 1], bytes[t + 2], bytes[t + 3]]),
            parts_edited: bytes[EDITED_MASK_AT],
            part_names: names,
            stale_checksum,
        };
        bank.collect_warnings(&mut warnings);
        Ok((bank, warnings))
    }

    /// Non-fatal oddities: ids that do not match their position, part bytes out of range.
    fn collect_warnings(&self, w: &mut Vec<Warning>) {
        let mut warn = |offset: usize, message: String| w.push(Warning { offset, message });
        for (i, p) in self.patterns.iter().enumerate() {
            let po = PATTERNS_AT + i * PATTERN_LEN;
            if p.part > 3 {
                warn(
                    po + 36583,
                    format!(
                        "pattern {} assigns part byte {} (expected 0..3)",
                        i + 1,
                        p.part
                    ),
                );
            }
            for (t, a) in p.audio.iter().enumerate() {
                if a.id as usize != t {
                    warn(
                        po + AUDIO_TRACKS_AT + t * AUDIO_TRACK_LEN + 8,
                        format!("pattern {} audio track {} has id {}", i + 1, t + 1, a.id),
                    );
                }
            }
            for (t, m) in p.midi.iter().enumerate() {
                if m.id as usize != t {
                    warn(
                        po + MIDI_TRACKS_AT + t * MIDI_TRACK_LEN + 8,
                        format!("pattern {} MIDI track {} has id {}", i + 1, t + 1, m.id),
                    );
                }
            }
        }
        for (q, part) in self.parts.iter().chain(self.saved_parts.iter()).enumerate() {
            if part.id as usize != q % PARTS {
                warn(
                    PARTS_AT + q * PART_LEN + 8,
                    format!("part block {} has id {}", q + 1, part.id),
                );
            }
        }
    }

    /// Serialises the bank. The checksum is recomputed, except that an unedited
    /// bank whose file had a wrong checksum keeps that stored value.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut cur = Cursor::new(Vec::with_capacity(BANK_LEN));
        #[expect(
            clippy::expect_used,
            reason = "a Cursor over a Vec grows on demand and the bank's writers have no asserts"
        )]
        self.write_body(&mut cur)
            .expect("writing to a Vec cannot fail");
        let mut out = cur.into_inner();
        let sum = match &self.stale_checksum {
            Some(s) if sha256(&out[..CHECKSUM_AT]) == s.content_sha256 => s.stored,
            _ => checksum(&out),
        };
        out[CHECKSUM_AT..].copy_from_slice(&sum.to_be_bytes());
        out
    }

    fn write_body(&self, cur: &mut Cursor<Vec<u8>>) -> binrw::BinResult<()> {
        use std::io::Write;
        cur.write_all(&header(FileKind::Bank))?;
        for p in self.patterns.iter() {
            p.write_be(cur)?;
        }
        for p in self.parts.iter().chain(self.saved_parts.iter()) {
            p.write_be(cur)?;
        }
        self.parts_saved_state.write_be(cur)?;
        cur.write_all(&[self.parts_edited])?;
        for n in &self.part_names {
            cur.write_all(&n.0)?;
        }
        cur.write_all(&[0, 0])?;
        Ok(())
    }

    /// A blank bank, byte-identical to the banks of a project created on OS 1.40B
    /// (all 16 banks of a new project are the same).
    pub fn blank() -> Bank {
        let names =
            ["ONE", "TWO", "THREE", "FOUR"].map(|n| PartName::new(n).unwrap_or(PartName([0; 7])));
        Bank {
            patterns: boxed((0..PATTERNS).map(|_| Pattern::blank()).collect()),
            parts: boxed((0..PARTS).map(|p| Part::blank(p as u8)).collect()),
            saved_parts: boxed((0..PARTS).map(|p| Part::blank(p as u8)).collect()),
            parts_saved_state: Bytes([0; 4]),
            parts_edited: 0,
            part_names: names,
            stale_checksum: None,
        }
    }

    /// The bank of the factory project template shipped for OS 1.40B (differs from
    /// [`Bank::blank`] only in recorder SRC3 = MAIN and leftover part-name bytes).
    pub fn factory_template() -> Bank {
        let mut b = Bank::blank();
        for p in b.parts.iter_mut().chain(b.saved_parts.iter_mut()) {
            for r in p.recorder_setups.iter_mut() {
                r.src3 = 9;
            }
        }
        b.part_names[0].0 = *b"ONE\0R\0\0";
        b.part_names[1].0 = *b"TWO\0O\0\0";
        b
    }

    /// Pattern `p` (0..16).
    pub fn pattern(&self, p: usize) -> Option<&Pattern> {
        self.patterns.get(p)
    }
    /// Mutable pattern `p` (0..16).
    pub fn pattern_mut(&mut self, p: usize) -> Option<&mut Pattern> {
        self.patterns.get_mut(p)
    }

    /// The working (unsaved) copy of part `p` (0..4) — what the device plays.
    pub fn part(&self, p: usize) -> Option<&Part> {
        self.parts.get(p)
    }
    /// All four working parts.
    pub fn parts(&self) -> &[Part; PARTS] {
        &self.parts
    }
    /// The saved copy of part `p` (what "reload part" restores).
    pub fn saved_part(&self, p: usize) -> Option<&Part> {
        self.saved_parts.get(p)
    }
    /// All four saved parts.
    pub fn saved_parts(&self) -> &[Part; PARTS] {
        &self.saved_parts
    }

    /// Edits the working copy of part `p` as the device does: sets that part's
    /// edited bit (always; use [`Bank::edit_part`] to set it only on a change).
    pub fn part_mut(&mut self, p: usize) -> Result<&mut Part, FormatError> {
        if p >= PARTS {
            return Err(range_err("part", p, PARTS));
        }
        self.parts_edited |= 1 << p;
        Ok(&mut self.parts[p])
    }

    /// Runs `f` on the working copy of part `p`; sets the edited bit only when the part changed.
    pub fn edit_part<R>(
        &mut self,
        p: usize,
        f: impl FnOnce(&mut Part) -> R,
    ) -> Result<R, FormatError> {
        let part = self
            .parts
            .get_mut(p)
            .ok_or_else(|| range_err("part", p, PARTS))?;
        let before = part.clone();
        let r = f(part);
        if *part != before {
            self.parts_edited |= 1 << p;
        }
        Ok(r)
    }

    /// Replaces the working copy of part `p` (e.g. a part copied from another bank or
    /// slot), fixing its id byte to `p` and setting its edited bit.
    pub fn set_part(&mut self, p: usize, mut part: Part) -> Result<(), FormatError> {
        if p >= PARTS {
            return Err(range_err("part", p, PARTS));
        }
        part.id = p as u8;
        self.parts[p] = part;
        self.parts_edited |= 1 << p;
        Ok(())
    }

    /// SAVE PART: copies the working copy into the saved copy, marks it saved, clears its edited bit.
    pub fn save_part(&mut self, p: usize) -> Result<(), FormatError> {
        if p >= PARTS {
            return Err(range_err("part", p, PARTS));
        }
        self.saved_parts[p] = self.parts[p].clone();
        self.parts_saved_state[p] = 1;
        self.parts_edited &= !(1 << p);
        Ok(())
    }

    /// RELOAD PART: copies the saved copy back into the working copy and clears its edited bit.
    pub fn reload_part(&mut self, p: usize) -> Result<(), FormatError> {
        if p >= PARTS {
            return Err(range_err("part", p, PARTS));
        }
        self.parts[p] = self.saved_parts[p].clone();
        self.parts_edited &= !(1 << p);
        Ok(())
    }

    /// Whether part `p` has unsaved edits (its edited bit).
    pub fn is_part_edited(&self, p: usize) -> bool {
        p < PARTS && self.parts_edited & (1 << p) != 0
    }
    /// The raw edited bit mask (bits 4-7 kept as read).
    pub fn parts_edited_mask(&self) -> u8 {
        self.parts_edited
    }
    /// Sets the whole edited bit mask (what undo restores; bits 4-7 are kept as given).
    pub fn set_parts_edited_mask(&mut self, mask: u8) {
        self.parts_edited = mask;
    }
    /// Sets or clears part `p`'s edited bit (the device's `*` on the part).
    pub fn set_part_edited(&mut self, p: usize, edited: bool) -> Result<(), FormatError> {
        if p >= PARTS {
            return Err(range_err("part", p, PARTS));
        }
        if edited {
            self.parts_edited |= 1 << p;
        } else {
            self.parts_edited &= !(1 << p);
        }
        Ok(())
    }
    /// Runs `f` on the saved copy of part `p` (what RELOAD PART restores), e.g. to rename a
    /// sample slot everywhere; the edited bits are left alone.
    pub fn edit_saved_part<R>(
        &mut self,
        p: usize,
        f: impl FnOnce(&mut Part) -> R,
    ) -> Result<R, FormatError> {
        let part = self
            .saved_parts
            .get_mut(p)
            .ok_or_else(|| range_err("part", p, PARTS))?;
        Ok(f(part))
    }
    /// Whether part `p` has been saved at least once.
    pub fn is_part_saved(&self, p: usize) -> bool {
        self.parts_saved_state.get(p).is_some_and(|&s| s != 0)
    }
    /// The raw `parts_saved_state` bytes.
    pub fn parts_saved_state(&self) -> [u8; PARTS] {
        self.parts_saved_state.0
    }

    /// The name of part `p`.
    pub fn part_name(&self, p: usize) -> Option<&PartName> {
        self.part_names.get(p)
    }
    /// Renames part `p` (bytes after the new NUL are kept, as on the device).
    pub fn set_part_name(&mut self, p: usize, name: &str) -> Result<(), FormatError> {
        self.part_names
            .get_mut(p)
            .ok_or_else(|| range_err("part", p, PARTS))?
            .set(name)
    }

    /// The part pattern `pattern` plays (its working copy).
    pub fn part_of_pattern(&self, pattern: usize) -> Option<&Part> {
        self.part(self.pattern(pattern)?.part as usize)
    }

    /// The stored checksum kept from a file whose checksum was wrong, if any.
    pub fn stale_checksum(&self) -> Option<&StaleChecksum> {
        self.stale_checksum.as_ref()
    }
}

fn boxed<T, const N: usize>(v: Vec<T>) -> Box<[T; N]> {
    match v.into_boxed_slice().try_into() {
        Ok(b) => b,
        Err(_) => unreachable!("callers build exactly N items"),
    }
}

#[cfg(test)]
mod tests;
