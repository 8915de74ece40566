//! `markers.work` / `.strd` (207000 bytes, version 4): per sample slot (Flex 1..128,
//! recorder buffers 1..8, Static 1..128) the trim start/end, loop point and 64 slices.
//!
//! Held as raw bytes with typed accessors; an unedited file writes back byte-identical
//! (even with a wrong checksum), any edit recomputes the checksum.

use serde::{Deserialize, Serialize};

use super::common::{FileKind, FormatError, HEADER_LEN, Warning, header};
use super::rawfile::{BadChecksum, RawFile};
use super::regions::{RECORD_LEN, Record, RecordJson, Slice};
use super::slot_attrs::SlotRef;

/// Number of slot records (128 Flex + 8 recorders + 128 Static).
pub const SLOT_RECORDS: usize = 264;

pub use super::regions::SlotMarkers;

/// A markers file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "MarkersJson", try_from = "MarkersJson")]
pub struct Markers {
    raw: RawFile,
}

fn record(slot: SlotRef) -> Result<Record, FormatError> {
    let i = slot.validate()?.markers_index().unwrap_or(0);
    Ok(Record {
        base: HEADER_LEN + i * RECORD_LEN,
    })
}

impl Markers {
    /// Reads a markers file; a wrong checksum is reported by [`Self::warnings`].
    pub fn parse(bytes: &[u8]) -> Result<Self, FormatError> {
        Ok(Self {
            raw: RawFile::parse(bytes, FileKind::Markers)?,
        })
    }

    /// The markers file of a new project: all slots empty (checksum 0x0004).
    pub fn blank() -> Self {
        let mut b = vec![0u8; FileKind::Markers.size()];
        b[..HEADER_LEN].copy_from_slice(&header(FileKind::Markers));
        Self {
            raw: RawFile::fresh(b),
        }
    }

    /// The bytes to write (unedited: identical to what was read).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.raw.to_bytes()
    }

    /// Warnings found when reading (a wrong checksum).
    pub fn warnings(&self) -> &[Warning] {
        self.raw.warnings()
    }

    /// Whether anything was changed since reading.
    pub fn is_edited(&self) -> bool {
        self.raw.is_edited()
    }

    /// The markers of a slot.
    pub fn slot(&self, slot: SlotRef) -> Result<SlotMarkers, FormatError> {
        Ok(record(slot)?.markers(&self.raw))
    }

    /// Writes a slot's markers; slice entries beyond `m.slices` are kept as they are.
    pub fn set_slot(&mut self, slot: SlotRef, m: &SlotMarkers) -> Result<(), FormatError> {
        record(slot)?.set_markers(&mut self.raw, m)
    }

    /// Whether a slot's record is all zero (never assigned).
    pub fn is_empty(&self, slot: SlotRef) -> Result<bool, FormatError> {
        let r = record(slot)?;
        Ok(self.raw.get(r.base, RECORD_LEN).iter().all(|&b| b == 0))
    }

    /// Zeroes a slot's record (as a never-used slot).
    pub fn clear_slot(&mut self, slot: SlotRef) -> Result<(), FormatError> {
        let r = record(slot)?;
        self.raw.put(r.base, &[0u8; RECORD_LEN]);
        Ok(())
    }

    /// What assigning a sample of `frames` frames does: trim 0..frames, loop 0, no slices
    /// (the whole record is rewritten).
    pub fn assign_sample(&mut self, slot: SlotRef, frames: u32) -> Result<(), FormatError> {
        self.clear_slot(slot)?;
        record(slot)?.set_trim_end(&mut self.raw, frames);
        Ok(())
    }

    /// Trim start of a slot.
    pub fn trim_start(&self, slot: SlotRef) -> Result<u32, FormatError> {
        Ok(record(slot)?.trim_start(&self.raw))
    }

    /// Sets the trim start of a slot.
    pub fn set_trim_start(&mut self, slot: SlotRef, v: u32) -> Result<(), FormatError> {
        record(slot)?.set_trim_start(&mut self.raw, v);
        Ok(())
    }

    /// Trim end of a slot.
    pub fn trim_end(&self, slot: SlotRef) -> Result<u32, FormatError> {
        Ok(record(slot)?.trim_end(&self.raw))
    }

    /// Sets the trim end of a slot.
    pub fn set_trim_end(&mut self, slot: SlotRef, v: u32) -> Result<(), FormatError> {
        record(slot)?.set_trim_end(&mut self.raw, v);
        Ok(())
    }

    /// Loop point of a slot.
    pub fn loop_point(&self, slot: SlotRef) -> Result<u32, FormatError> {
        Ok(record(slot)?.loop_point(&self.raw))
    }

    /// Sets the loop point of a slot.
    pub fn set_loop_point(&mut self, slot: SlotRef, v: u32) -> Result<(), FormatError> {
        record(slot)?.set_loop_point(&mut self.raw, v);
        Ok(())
    }

    /// The stored slice count of a slot (unclamped).
    pub fn slice_count(&self, slot: SlotRef) -> Result<u32, FormatError> {
        Ok(record(slot)?.raw_count(&self.raw))
    }

    /// The slices in use of a slot.
    pub fn slices(&self, slot: SlotRef) -> Result<Vec<Slice>, FormatError> {
        Ok(record(slot)?.slices(&self.raw))
    }

    /// Entry `i` (0..64) of a slot's slice table, in use or stale.
    pub fn slice_entry(&self, slot: SlotRef, i: usize) -> Result<Option<Slice>, FormatError> {
        Ok(record(slot)?.entry(&self.raw, i))
    }

    /// Replaces a slot's slices in use and count; stale entries beyond are kept.
    pub fn set_slices(&mut self, slot: SlotRef, slices: &[Slice]) -> Result<(), FormatError> {
        record(slot)?.set_slices(&mut self.raw, slices)
    }

    /// Overwrites slice entry `i` (0..64) of a slot without changing the count.
    pub fn set_slice_entry(
        &mut self,
        slot: SlotRef,
        i: usize,
        s: Slice,
    ) -> Result<(), FormatError> {
        record(slot)?.set_entry(&mut self.raw, i, s)
    }

    /// The slots whose record is not all zero.
    pub fn used_slots(&self) -> Vec<SlotRef> {
        (0..SLOT_RECORDS)
            .filter(|i| {
                self.raw
                    .get(HEADER_LEN + i * RECORD_LEN, RECORD_LEN)
                    .iter()
                    .any(|&b| b != 0)
            })
            .filter_map(SlotRef::from_markers_index)
            .collect()
    }
}

/// JSON form: the non-empty slot records, plus the checksum note when it is wrong.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct MarkersJson {
    slots: Vec<MarkersSlotJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bad_checksum: Option<BadChecksum>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct MarkersSlotJson {
    slot: SlotRef,
    #[serde(flatten)]
    record: RecordJson,
}

impl From<Markers> for MarkersJson {
    fn from(m: Markers) -> Self {
        let slots = m
            .used_slots()
            .into_iter()
            .filter_map(|slot| {
                let r = record(slot).ok()?;
                Some(MarkersSlotJson {
                    slot,
                    record: r.to_json(&m.raw),
                })
            })
            .collect();
        Self {
            slots,
            bad_checksum: m.raw.bad_checksum(),
        }
    }
}

impl TryFrom<MarkersJson> for Markers {
    type Error = FormatError;
    fn try_from(j: MarkersJson) -> Result<Self, FormatError> {
        let mut b = vec![0u8; FileKind::Markers.size()];
        b[..HEADER_LEN].copy_from_slice(&header(FileKind::Markers));
        let mut seen = [false; SLOT_RECORDS];
        for s in &j.slots {
            let base = record(s.slot)?.base;
            let i = (base - HEADER_LEN) / RECORD_LEN;
            if std::mem::replace(&mut seen[i], true) {
                return Err(FormatError::Invalid {
                    offset: base,
                    expected: format!("one markers record for {}", s.slot),
                    found: "two".into(),
                });
            }
            let rec = s.record.to_bytes(&s.slot.to_string())?;
            b[base..base + RECORD_LEN].copy_from_slice(&rec);
        }
        Ok(Self {
            raw: RawFile::rebuild(b, FileKind::Markers, j.bad_checksum)?,
        })
    }
}
