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
    #[error("expected {} {what} of {expected} bytes, found {found} bytes", article(.what))]
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

/// "an" before a vowel ("an arrangement file"), else "a".
fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
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
///
/// Defined for any input: fewer than 19 bytes leave the window empty and sum to 0
/// (callers check the file size first; nothing panics on short input).
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
        let expected = kind.version();
        let hint = match (kind, version) {
            (FileKind::Bank, v) if v < expected => format!(
                "; bank version {v} is older than OS 1.40's ({expected}): load and re-save the project on OS 1.40"
            ),
            (_, v) if v > expected => format!(
                "; version {v} is newer than the {expected} OS 1.40 writes: the file is damaged or from a later OS"
            ),
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

    /// A buffer of `n` zero bytes with `v` at each of `at`.
    fn buf(n: usize, at: &[(usize, u8)]) -> Vec<u8> {
        let mut b = vec![0u8; n];
        for &(i, v) in at {
            b[i] = v;
        }
        b
    }

    #[test]
    fn checksum_window_is_byte_16_to_len_minus_3() {
        // Format doc 2.2: the sum runs from byte 16 up to, not including, the last two.
        let n = 40;
        let header: Vec<(usize, u8)> = (0..16).map(|i| (i, 0xFF)).collect();
        assert_eq!(checksum(&buf(n, &header)), 0, "bytes 0..16 do not count");
        assert_eq!(checksum(&buf(n, &[(16, 7)])), 7, "byte 16 counts");
        assert_eq!(checksum(&buf(n, &[(15, 9), (16, 7)])), 7);
        assert_eq!(checksum(&buf(n, &[(n - 3, 5)])), 5, "byte len-3 counts");
        assert_eq!(checksum(&buf(n, &[(n - 2, 0xAB), (n - 1, 0xCD)])), 0);
        assert_eq!(checksum(&buf(n, &[(16, 200), (20, 100), (n - 3, 1)])), 301);
        // Bytes, not signed values: 0x80..0xFF add 128..255.
        assert_eq!(checksum(&buf(n, &[(17, 0x80), (18, 0xFF)])), 0x17F);
        // 257 bytes of 0xFF in the window sum to 65535; one more wraps to 254.
        assert_eq!(checksum(&vec![0xFFu8; 16 + 257 + 2]), 0xFFFF);
        assert_eq!(checksum(&vec![0xFFu8; 16 + 258 + 2]), 254);
    }

    #[test]
    fn checksum_is_stored_big_endian_in_the_last_two_bytes() {
        let n = 24;
        // Window 16..22: 0x34 + 0x12 + 4 * 0xFF = 0x0442.
        let mut b = buf(
            n,
            &[
                (16, 0x34),
                (17, 0x12),
                (18, 0xFF),
                (19, 0xFF),
                (20, 0xFF),
                (21, 0xFF),
            ],
        );
        assert_eq!(checksum(&b), 0x0442);
        fix_checksum(&mut b);
        assert_eq!(&b[n - 2..], &[0x04, 0x42], "high byte first");
        assert_eq!(stored_checksum(&b), 0x0442);
        assert_eq!(stored_checksum(&[0x00, 0x12, 0x34]), 0x1234);
        assert_eq!(stored_checksum(&[0x12]), 0);
        assert_eq!(stored_checksum(&[]), 0);
        assert!(verify_checksum(&b).is_none());
        b[n - 1] = 0x43;
        let w = verify_checksum(&b).unwrap();
        assert_eq!(w.offset, n - 2);
        assert_eq!(
            w.to_string(),
            "at byte 22: checksum mismatch: stored 0x0443, computed 0x0442"
        );
        // Fixing writes only the last two bytes.
        let mut c = buf(n, &[(3, 9), (16, 1)]);
        fix_checksum(&mut c);
        assert_eq!(c, buf(n, &[(3, 9), (16, 1), (n - 1, 1)]));
    }

    #[test]
    fn checksum_of_short_input_is_zero_without_panicking() {
        for n in 0..=18 {
            let b = vec![0xFFu8; n];
            assert_eq!(checksum(&b), 0, "{n} bytes");
            let mut f = b.clone();
            fix_checksum(&mut f);
            if n < 18 {
                assert_eq!(f, b, "{n} bytes left alone");
            } else {
                assert_eq!(f[16..], [0, 0]);
            }
        }
        assert_eq!(checksum(&[0xFFu8; 19]), 0xFF, "19 bytes: byte 16 alone");
    }

    #[test]
    fn kinds_match_the_format_doc() {
        // Format doc 1 (file table): size, tag, version byte 21.
        let table = [
            (FileKind::Bank, 636_113, b"BANK", 23, "bank file"),
            (FileKind::Markers, 207_000, b"SAMP", 4, "markers file"),
            (
                FileKind::Arrangement,
                11_336,
                b"ARRA",
                6,
                "arrangement file",
            ),
            (
                FileKind::SampleSettings,
                832,
                b"SMPA",
                2,
                ".ot sample settings file",
            ),
        ];
        for (kind, size, tag, version, name) in table {
            assert_eq!(kind.size(), size, "{name}");
            assert_eq!(kind.tag(), tag, "{name}");
            assert_eq!(kind.version(), version, "{name}");
            assert_eq!(kind.describe(), name);
            let h = header(kind);
            assert_eq!(
                &h[..16],
                [b"FORM".as_slice(), &[0; 4], b"DPS1", tag].concat()
            );
            assert_eq!(h[16..], [0, 0, 0, 0, 0, version]);
        }
    }

    #[test]
    fn error_wording_users_read() {
        let mut b = vec![0u8; FileKind::Bank.size()];
        b[..HEADER_LEN].copy_from_slice(&header(FileKind::Bank));
        let msg = |b: &[u8], k| check_container(b, k).unwrap_err().to_string();
        assert_eq!(
            msg(&b[..100], FileKind::Bank),
            "expected a bank file of 636113 bytes, found 100 bytes"
        );
        assert_eq!(
            msg(&b[..10], FileKind::SampleSettings),
            "expected a .ot sample settings file of 832 bytes, found 10 bytes"
        );
        b[21] = 22;
        assert_eq!(
            msg(&b, FileKind::Bank),
            "at byte 21: unsupported bank file version 22 (expected 23); bank version 22 is \
             older than OS 1.40's (23): load and re-save the project on OS 1.40"
        );
        b[21] = 24;
        let e = msg(&b, FileKind::Bank);
        assert_eq!(
            e,
            "at byte 21: unsupported bank file version 24 (expected 23); version 24 is newer \
             than the 23 OS 1.40 writes: the file is damaged or from a later OS"
        );
        assert!(!e.contains("before 1.40") && !e.contains("re-save"), "{e}");
        let mut m = vec![0u8; FileKind::Markers.size()];
        m[..HEADER_LEN].copy_from_slice(&header(FileKind::Markers));
        m[21] = 3;
        assert_eq!(
            msg(&m, FileKind::Markers),
            "at byte 21: unsupported markers file version 3 (expected 4)"
        );
        m[21] = 4;
        m[12..16].copy_from_slice(b"BANK");
        assert_eq!(
            msg(&m, FileKind::Markers),
            "at byte 12: expected \"SAMP\" (markers file), found \"BANK\""
        );
        m[12..16].copy_from_slice(b"SAMP");
        m[4] = 1;
        assert_eq!(
            msg(&m, FileKind::Markers),
            "at byte 4: expected four zero bytes, found 01 00 00 00"
        );
        m[4] = 0;
        m[18] = 0x41;
        assert_eq!(
            msg(&m, FileKind::Markers),
            "at byte 16: expected five zero bytes, found 00 00 41 00 00"
        );
        m[18] = 0;
        m[0] = b'f';
        assert_eq!(
            msg(&m, FileKind::Markers),
            "at byte 0: expected \"FORM\", found \"fORM\""
        );
        m[0] = b'F';
        m[9] = b'Q';
        assert_eq!(
            msg(&m, FileKind::Markers),
            "at byte 8: expected \"DPS1\", found \"DQS1\""
        );
        m[9] = b'P';
        m.push(0);
        assert_eq!(
            msg(&m, FileKind::Markers),
            "expected a markers file of 207000 bytes, found 207001 bytes"
        );
        m.pop();
        assert_eq!(check_container(&m, FileKind::Markers), Ok(()));
        // Exactly a header's worth of bytes is read as a header (bad magic named), and a
        // good 22-byte header is then refused for its size.
        let mut h = header(FileKind::Arrangement).to_vec();
        assert_eq!(
            msg(&h, FileKind::Arrangement),
            "expected an arrangement file of 11336 bytes, found 22 bytes"
        );
        h[0] = b'X';
        assert_eq!(
            msg(&h, FileKind::Arrangement),
            "at byte 0: expected \"FORM\", found \"XORM\""
        );
        assert_eq!(
            msg(&h[..21], FileKind::Arrangement),
            "expected an arrangement file of 11336 bytes, found 21 bytes"
        );
    }

    #[test]
    fn show_bytes_prints_text_or_hex_of_the_first_eight() {
        assert_eq!(show_bytes(b"BANK"), "\"BANK\"");
        assert_eq!(show_bytes(b"ABCDEFGHIJ"), "\"ABCDEFGH\"");
        assert_eq!(show_bytes(&[0x00, 0x7F, 0xAB]), "00 7F AB");
        assert_eq!(show_bytes(b"A B"), "41 20 42", "a space is not graphic");
        assert_eq!(show_bytes(&[1; 10]), "01 01 01 01 01 01 01 01");
        assert_eq!(show_bytes(&[]), "\"\"");
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
