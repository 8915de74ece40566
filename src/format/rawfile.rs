//! A checked binary file kept as its raw bytes, with big-endian field access, an
//! "edited" flag (only an edit recomputes the checksum) and the JSON checksum note.

use serde::{Deserialize, Serialize};

use super::common::{
    FileKind, FormatError, Warning, check_container, checksum, fix_checksum, stored_checksum,
    verify_checksum,
};

/// A stored checksum that differed from the computed one, kept so an unedited file
/// round-trips through JSON byte-exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadChecksum {
    /// The checksum stored in the file.
    pub stored: u16,
    /// The checksum the content sums to.
    pub computed: u16,
}

/// The raw bytes of one binary file plus edit state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawFile {
    bytes: Vec<u8>,
    edited: bool,
    warnings: Vec<Warning>,
}

impl RawFile {
    /// Checks the container and size; a checksum mismatch is a warning.
    pub fn parse(bytes: &[u8], kind: FileKind) -> Result<Self, FormatError> {
        check_container(bytes, kind)?;
        let warnings = verify_checksum(bytes)
            .map(|w| Warning {
                message: format!("{} {}", kind.describe(), w.message),
                ..w
            })
            .into_iter()
            .collect();
        Ok(Self {
            bytes: bytes.to_vec(),
            edited: false,
            warnings,
        })
    }

    /// A file built by code (header already in place): sets the checksum; not "edited".
    pub fn fresh(mut bytes: Vec<u8>) -> Self {
        fix_checksum(&mut bytes);
        Self {
            bytes,
            edited: false,
            warnings: Vec::new(),
        }
    }

    /// Builds a file from bytes whose checksum is to be set: the stored value of
    /// `bad` when the content still sums to `bad.computed`, else the correct one.
    pub fn rebuild(
        mut bytes: Vec<u8>,
        kind: FileKind,
        bad: Option<BadChecksum>,
    ) -> Result<Self, FormatError> {
        if bytes.len() != kind.size() {
            return Err(FormatError::Size {
                what: kind.describe(),
                expected: kind.size(),
                found: bytes.len(),
            });
        }
        fix_checksum(&mut bytes);
        if let Some(b) = bad
            && checksum(&bytes) == b.computed
        {
            let n = bytes.len();
            bytes[n - 2..].copy_from_slice(&b.stored.to_be_bytes());
        }
        Self::parse(&bytes, kind)
    }

    /// The bytes to write: identical to the input when unedited, else with a fresh checksum.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.bytes.clone();
        if self.edited {
            fix_checksum(&mut out);
        }
        out
    }

    /// Whether any byte was changed since reading.
    pub fn is_edited(&self) -> bool {
        self.edited
    }

    /// Findings made when reading (checksum mismatch).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The checksum note for JSON: present only when the held checksum is wrong.
    pub fn bad_checksum(&self) -> Option<BadChecksum> {
        let out = self.to_bytes();
        let (stored, computed) = (stored_checksum(&out), checksum(&out));
        (stored != computed).then_some(BadChecksum { stored, computed })
    }

    /// `len` bytes at `off`.
    pub fn get(&self, off: usize, len: usize) -> &[u8] {
        &self.bytes[off..off + len]
    }

    /// Overwrites bytes at `off`; marks the file edited when anything changed.
    pub fn put(&mut self, off: usize, data: &[u8]) {
        let dst = &mut self.bytes[off..off + data.len()];
        if dst != data {
            dst.copy_from_slice(data);
            self.edited = true;
        }
    }

    /// A byte.
    pub fn u8(&self, off: usize) -> u8 {
        self.bytes[off]
    }

    /// Sets a byte.
    pub fn set_u8(&mut self, off: usize, v: u8) {
        self.put(off, &[v]);
    }

    /// A big-endian u16.
    pub fn u16(&self, off: usize) -> u16 {
        u16::from_be_bytes([self.bytes[off], self.bytes[off + 1]])
    }

    /// Sets a big-endian u16.
    pub fn set_u16(&mut self, off: usize, v: u16) {
        self.put(off, &v.to_be_bytes());
    }

    /// A big-endian u32.
    pub fn u32(&self, off: usize) -> u32 {
        let b = &self.bytes[off..off + 4];
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    /// Sets a big-endian u32.
    pub fn set_u32(&mut self, off: usize, v: u32) {
        self.put(off, &v.to_be_bytes());
    }
}

/// A range error for a setter.
pub(crate) fn range_err(field: &str, value: i64, range: &str) -> FormatError {
    FormatError::Range {
        field: field.to_string(),
        value,
        range: range.to_string(),
    }
}

/// Checks `lo..=hi`, naming the field in the error.
pub(crate) fn check_range(field: &str, value: i64, lo: i64, hi: i64) -> Result<(), FormatError> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(range_err(field, value, &format!("{lo}..={hi}")))
    }
}
