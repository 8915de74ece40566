//! The container shared by the four binary formats: header, version, checksum, errors.

use thiserror::Error;

/// Size of the common header including the version byte.
pub const HEADER_LEN: usize = 22;

/// The binary file kinds of an Octatrack project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `bankNN.work` / `.strd`.
    Bank,
    /// `markers.work` / `.strd`.
    Markers,
    /// `arrNN.work` / `.strd`.
    Arrangement,
    /// `<sample>.ot` sample settings.
    SampleSettings,
}

impl FileKind {
    /// The 4-byte type tag at offset 12.
    pub fn tag(self) -> &'static [u8; 4] {
        match self {
            Self::Bank => b"BANK",
            Self::Markers => b"SAMP",
            Self::Arrangement => b"ARRA",
            Self::SampleSettings => b"SMPA",
        }
    }
    /// The version byte (offset 21) of OS 1.40 files.
    pub fn version(self) -> u8 {
        match self {
            Self::Bank => 23,
            Self::Markers => 4,
            Self::Arrangement => 6,
            Self::SampleSettings => 2,
        }
    }
    /// The exact file size of OS 1.40 files.
    pub fn size(self) -> usize {
        match self {
            Self::Bank => 636_113,
            Self::Markers => 207_000,
            Self::Arrangement => 11_336,
            Self::SampleSettings => 832,
        }
    }
    /// A human name for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Bank => "bank file",
            Self::Markers => "markers file",
            Self::Arrangement => "arrangement file",
            Self::SampleSettings => ".ot sample settings file",
        }
    }
}

/// Why bytes could not be read as an Octatrack file. The project layer adds the file path.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The file has the wrong length.
    #[error("expected a {what} of {expected} bytes, found {found} bytes")]
    Size {
        /// What kind of file was expected.
        what: &'static str,
        /// Expected length.
        expected: usize,
        /// Actual length.
        found: usize,
    },
    /// A byte range holds something other than what the format requires.
    #[error("at byte {offset}: expected {expected}, found {found}")]
    Invalid {
        /// Byte offset of the problem.
        offset: usize,
        /// What the format requires there.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A version this build cannot read.
    #[error("at byte {offset}: unsupported {what} version {found} (expected {expected}){hint}")]
    Version {
        /// Byte offset of the version.
        offset: usize,
        /// What kind of file.
        what: &'static str,
        /// Expected version.
        expected: u8,
        /// Found version.
        found: u8,
        /// Extra advice, starting with "; " when present.
        hint: String,
    },
    /// A problem in a text file.
    #[error("line {line}: {message}")]
    Text {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A value outside what the field can hold.
    #[error("{field}: value {value} out of range ({range})")]
    Range {
        /// The field's name.
        field: String,
        /// The value given.
        value: i64,
        /// The allowed range, for the message.
        range: String,
    },
}

/// A non-fatal finding while reading (the file still opens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Byte offset (or 0 when not tied to one).
    pub offset: usize,
    /// What was found.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

/// The device checksum: sum of bytes from offset 16 up to the last two, modulo 2^16.
pub fn checksum(bytes: &[u8]) -> u16 {
    if bytes.len() < 18 {
        return 0;
    }
    bytes[16..bytes.len() - 2]
        .iter()
        .fold(0u16, |acc, &b| acc.wrapping_add(b as u16))
}

/// The checksum stored in the last two bytes (big-endian).
pub fn stored_checksum(bytes: &[u8]) -> u16 {
    match bytes {
        [.., hi, lo] => u16::from_be_bytes([*hi, *lo]),
        _ => 0,
    }
}

/// Recomputes and stores the checksum in the last two bytes.
pub fn fix_checksum(bytes: &mut [u8]) {
    let sum = checksum(bytes);
    let n = bytes.len();
    if n >= 18 {
        bytes[n - 2..].copy_from_slice(&sum.to_be_bytes());
    }
}

/// A warning when the stored checksum differs from the computed one.
pub fn verify_checksum(bytes: &[u8]) -> Option<Warning> {
    let (stored, computed) = (stored_checksum(bytes), checksum(bytes));
    (stored != computed).then(|| Warning {
        offset: bytes.len().saturating_sub(2),
        message: format!("checksum mismatch: stored 0x{stored:04X}, computed 0x{computed:04X}"),
    })
}

/// Checks magic, type tag, padding, version and size of a binary file.
pub fn check_container(bytes: &[u8], kind: FileKind) -> Result<(), FormatError> {
    if bytes.len() < HEADER_LEN {
        return Err(FormatError::Size {
            what: kind.describe(),
            expected: kind.size(),
            found: bytes.len(),
        });
    }
    let expect = |offset: usize, want: &[u8], what: &str| -> Result<(), FormatError> {
        let got = &bytes[offset..offset + want.len()];
        if got == want {
            Ok(())
        } else {
            Err(FormatError::Invalid {
                offset,
                expected: what.to_string(),
                found: show_bytes(got),
            })
        }
    };
    expect(0, b"FORM", "\"FORM\"")?;
    expect(4, &[0; 4], "four zero bytes")?;
    expect(8, b"DPS1", "\"DPS1\"")?;
    let tag = kind.tag();
    expect(
        12,
        tag,
        &format!("\"{}\" ({})", String::from_utf8_lossy(tag), kind.describe()),
    )?;
    expect(16, &[0; 5], "five zero bytes")?;
    let version = bytes[21];
    if version != kind.version() {
        let hint = match (kind, version) {
            (FileKind::Bank, v) if v < 23 => {
                "; this bank was written by an OS before 1.40: load and re-save the project on OS 1.40"
                    .to_string()
            }
            _ => String::new(),
        };
        return Err(FormatError::Version {
            offset: 21,
            what: kind.describe(),
            expected: kind.version(),
            found: version,
            hint,
        });
    }
    if bytes.len() != kind.size() {
        return Err(FormatError::Size {
            what: kind.describe(),
            expected: kind.size(),
            found: bytes.len(),
        });
    }
    Ok(())
}

/// The common 22-byte header of a binary file of this kind.
pub fn header(kind: FileKind) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[0..4].copy_from_slice(b"FORM");
    h[8..12].copy_from_slice(b"DPS1");
    h[12..16].copy_from_slice(kind.tag());
    h[21] = kind.version();
    h
}

/// Shows up to 8 bytes as text when printable, else as hex, for error messages.
pub fn show_bytes(b: &[u8]) -> String {
    let b = &b[..b.len().min(8)];
    if b.iter().all(|c| c.is_ascii_graphic()) {
        format!("\"{}\"", String::from_utf8_lossy(b))
    } else {
        b.iter()
            .map(|c| format!("{c:02X}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_wraps_on_a_full_bank_of_0xff() {
        let b = vec![0xFFu8; FileKind::Bank.size()];
        let n = (FileKind::Bank.size() - 18) as u64;
        assert_eq!(checksum(&b), (n * 255 % 65536) as u16);
    }

    #[test]
    fn checksum_of_blank_markers_is_version() {
        let mut m = vec![0u8; FileKind::Markers.size()];
        m[..HEADER_LEN].copy_from_slice(&header(FileKind::Markers));
        fix_checksum(&mut m);
        assert_eq!(stored_checksum(&m), 0x0004);
        assert!(verify_checksum(&m).is_none());
        assert!(check_container(&m, FileKind::Markers).is_ok());
        m[100] = 1;
        assert!(verify_checksum(&m).is_some());
    }

    #[test]
    fn container_errors_name_the_place() {
        let mut b = vec![0u8; FileKind::Bank.size()];
        b[..HEADER_LEN].copy_from_slice(&header(FileKind::Bank));
        b[21] = 22;
        let e = check_container(&b, FileKind::Bank)
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("re-save") && e.contains("byte 21")));
        let e = check_container(&b[..10], FileKind::Bank).err();
        assert!(matches!(e, Some(FormatError::Size { found: 10, .. })));
        b[12..16].copy_from_slice(b"SAMP");
        let e = check_container(&b, FileKind::Bank)
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("byte 12") && e.contains("SAMP")));
    }
}
