//! Sysex helpers shared by all adaptations: splitting byte streams into messages,
//! 8-in-7 packing in either bit order, nibbles and the vendor checksums.

use thiserror::Error;

/// Start of a system exclusive message.
pub const SOX: u8 = 0xF0;
/// End of a system exclusive message.
pub const EOX: u8 = 0xF7;
/// Largest single sysex message accepted (bigger ones are rejected as oversized).
pub const MAX_MESSAGE: usize = 4 * 1024 * 1024;

/// A malformed sysex message or stream.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SysexError {
    /// A message starts but never ends.
    #[error("unterminated sysex message starting at byte {offset} (no F7 before the end)")]
    Unterminated {
        /// Offset of its F0.
        offset: usize,
    },
    /// A message is larger than [`MAX_MESSAGE`].
    #[error("sysex message at byte {offset} is oversized ({len} bytes, limit {limit})")]
    Oversized {
        /// Offset of its F0.
        offset: usize,
        /// Its length so far.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A byte of 0x80 or above (a status byte) inside a message: malformed input.
    #[error(
        "sysex message starting at byte {offset}: byte {at} is {byte:#04x}, expected data bytes (below 0x80) until F7"
    )]
    StatusByte {
        /// Offset of its F0.
        offset: usize,
        /// Offset of the offending byte.
        at: usize,
        /// The byte.
        byte: u8,
    },
    /// A checksum does not match.
    #[error("{what}: checksum mismatch (stored {stored:#x}, computed {computed:#x})")]
    Checksum {
        /// Which message.
        what: String,
        /// Stored value.
        stored: u32,
        /// Computed value.
        computed: u32,
    },
    /// A length field or fixed length does not match.
    #[error("{what}: wrong length (expected {expected}, found {found})")]
    Length {
        /// Which message.
        what: String,
        /// Expected length.
        expected: usize,
        /// Found length.
        found: usize,
    },
    /// The bytes are not the expected kind of message.
    #[error("{0}")]
    Format(String),
}

/// One message found in a stream, with where it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Offset of the F0.
    pub start: usize,
    /// Offset one past the F7.
    pub end: usize,
}

/// The result of splitting a stream: the messages plus what was skipped or broken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// Complete F0..F7 messages in stream order.
    pub spans: Vec<Span>,
    /// Number of stray bytes outside any message (ignored).
    pub stray: usize,
    /// Broken messages (unterminated, interrupted by a new F0, or oversized).
    pub errors: Vec<SysexError>,
}

/// Splits a byte stream into complete sysex messages, ignoring stray bytes between them.
///
/// A message cut short by a new F0 or by the end of the data is reported in `errors`
/// (and not returned); so is a message holding any other byte of 0x80 or above (status
/// or real-time bytes are not sysex data: such a message is malformed input).
pub fn split(data: &[u8]) -> Split {
    let mut out = Split::default();
    let mut i = 0;
    while i < data.len() {
        if data[i] != SOX {
            out.stray += 1;
            i += 1;
            continue;
        }
        let start = i;
        // Find the end: the first F7 or a new F0 (a broken message).
        let rest = &data[start + 1..];
        match rest.iter().position(|&b| b == EOX || b == SOX) {
            Some(p) if rest[p] == EOX => {
                let end = start + 1 + p + 1;
                if let Some(q) = rest[..p].iter().position(|&b| b >= 0x80) {
                    out.errors.push(SysexError::StatusByte {
                        offset: start,
                        at: start + 1 + q,
                        byte: rest[q],
                    });
                } else if end - start > MAX_MESSAGE {
                    out.errors.push(SysexError::Oversized {
                        offset: start,
                        len: end - start,
                        limit: MAX_MESSAGE,
                    });
                } else {
                    out.spans.push(Span { start, end });
                }
                i = end;
            }
            Some(p) => {
                out.errors.push(SysexError::Unterminated { offset: start });
                i = start + 1 + p;
            }
            None => {
                out.errors.push(SysexError::Unterminated { offset: start });
                i = data.len();
            }
        }
    }
    out
}

/// Splits into owned messages, ignoring stray bytes and broken messages.
pub fn messages(data: &[u8]) -> Vec<Vec<u8>> {
    split(data)
        .spans
        .iter()
        .map(|s| data[s.start..s.end].to_vec())
        .collect()
}

/// Splits strictly: any broken message is an error.
pub fn messages_strict(data: &[u8]) -> Result<Vec<&[u8]>, SysexError> {
    let s = split(data);
    if let Some(e) = s.errors.into_iter().next() {
        return Err(e);
    }
    Ok(s.spans.iter().map(|s| &data[s.start..s.end]).collect())
}

/// Bit order of the header byte in 8-in-7 packing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitOrder {
    /// Bit 6 of the header byte belongs to the group's first byte (Elektron).
    MsbFirst,
    /// Bit 0 of the header byte belongs to the group's first byte (DSI/Sequential, Korg).
    LsbFirst,
}

impl BitOrder {
    fn bit(self, j: usize) -> u8 {
        match self {
            BitOrder::MsbFirst => 1 << (6 - j),
            BitOrder::LsbFirst => 1 << j,
        }
    }
}

/// Raw length of `packed` bytes of 8-in-7 data.
pub fn unpacked_len(packed: usize) -> usize {
    7 * (packed / 8) + (packed % 8).saturating_sub(1)
}

/// Packed length of `raw` bytes.
pub fn packed_len(raw: usize) -> usize {
    8 * (raw / 7)
        + if raw.is_multiple_of(7) {
            0
        } else {
            raw % 7 + 1
        }
}

/// Unpacks 8-in-7 data (groups of a header byte plus up to 7 low-bit bytes).
pub fn unpack_7bit(packed: &[u8], order: BitOrder) -> Vec<u8> {
    let mut out = Vec::with_capacity(unpacked_len(packed.len()));
    for group in packed.chunks(8) {
        let top = group[0];
        for (j, &b) in group[1..].iter().enumerate() {
            let high = if top & order.bit(j) != 0 { 0x80 } else { 0 };
            out.push((b & 0x7F) | high);
        }
    }
    out
}

/// Packs 8-bit data into 8-in-7 groups.
pub fn pack_7bit(raw: &[u8], order: BitOrder) -> Vec<u8> {
    let mut out = Vec::with_capacity(packed_len(raw.len()));
    for group in raw.chunks(7) {
        let mut top = 0u8;
        for (j, &b) in group.iter().enumerate() {
            if b & 0x80 != 0 {
                top |= order.bit(j);
            }
        }
        out.push(top);
        out.extend(group.iter().map(|b| b & 0x7F));
    }
    out
}

/// Splits each byte into two nibble bytes, low nibble first.
pub fn nibbles_lo_hi(raw: &[u8]) -> Vec<u8> {
    raw.iter().flat_map(|b| [b & 0x0F, b >> 4]).collect()
}

/// Splits each byte into two nibble bytes, high nibble first.
pub fn nibbles_hi_lo(raw: &[u8]) -> Vec<u8> {
    raw.iter().flat_map(|b| [b >> 4, b & 0x0F]).collect()
}

/// Joins nibble pairs (low first) into bytes; an odd trailing nibble is ignored.
pub fn denibble_lo_hi(nib: &[u8]) -> Vec<u8> {
    nib.chunks_exact(2)
        .map(|p| (p[0] & 0x0F) | (p[1] << 4))
        .collect()
}

/// Joins nibble pairs (high first) into bytes; an odd trailing nibble is ignored.
pub fn denibble_hi_lo(nib: &[u8]) -> Vec<u8> {
    nib.chunks_exact(2)
        .map(|p| (p[0] << 4) | (p[1] & 0x0F))
        .collect()
}

fn sum(data: &[u8]) -> u32 {
    data.iter().map(|&b| u32::from(b)).sum()
}

/// Roland checksum over address and data bytes: `(-Σ) & 0x7F`.
pub fn roland_checksum(addr_and_data: &[u8]) -> u8 {
    (0x80 - (sum(addr_and_data) & 0x7F) as u8) & 0x7F
}

/// Yamaha checksum over the data bytes: `(-Σ) & 0x7F` (same rule as Roland's).
pub fn yamaha_checksum(data: &[u8]) -> u8 {
    roland_checksum(data)
}

/// Waldorf checksum over the data bytes: `Σ & 0x7F`.
pub fn waldorf_checksum(data: &[u8]) -> u8 {
    (sum(data) & 0x7F) as u8
}

/// Elektron checksum over the packed payload: `Σ & 0x3FFF`.
pub fn elektron_checksum(packed: &[u8]) -> u16 {
    (sum(packed) & 0x3FFF) as u16
}

/// A 14-bit value as two 7-bit bytes, most significant first.
pub fn u14_msb(v: u16) -> [u8; 2] {
    [((v >> 7) & 0x7F) as u8, (v & 0x7F) as u8]
}

/// Reads a 14-bit value from two 7-bit bytes, most significant first.
pub fn from_u14_msb(hi: u8, lo: u8) -> u16 {
    (u16::from(hi & 0x7F) << 7) | u16::from(lo & 0x7F)
}

/// Text from fixed-width name bytes: stops at the first NUL, keeps trailing spaces,
/// maps non-printable bytes to `?`.
pub fn name_from_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| {
            if (0x20..0x7F).contains(&b) {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect()
}

/// Fixed-width name bytes from text: ASCII only (others become `?`), padded with `pad`.
pub fn name_to_bytes(name: &str, width: usize, pad: u8) -> Vec<u8> {
    let mut out: Vec<u8> = name
        .chars()
        .take(width)
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c as u8
            } else {
                b'?'
            }
        })
        .collect();
    out.resize(width, pad);
    out
}

/// Writes `name` into a fixed-width name field (padding with `pad`); a field that already
/// reads as `name` is left byte for byte as it is (so renaming to the same name is a no-op).
pub fn set_name(field: &mut [u8], name: &str, pad: u8) {
    if name_from_bytes(field) != name {
        let bytes = name_to_bytes(name, field.len(), pad);
        field.copy_from_slice(&bytes);
    }
}

/// Hex digest (SHA-256) used for fingerprints.
pub fn digest_hex(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex text of bytes, space separated (for messages and logs).
pub fn to_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bytes_inside_a_message_are_malformed() {
        // 0x85 and a real-time 0xF8 inside messages; the clean message between survives.
        let data = [
            0xF0, 0x43, 0x85, 0x01, 0xF7, 0xF0, 0x42, 0x7F, 0xF7, 0xF0, 0x41, 0xF8, 0xF7,
        ];
        let s = split(&data);
        assert_eq!(s.spans, vec![Span { start: 5, end: 9 }]);
        assert_eq!(s.stray, 0);
        assert_eq!(
            s.errors,
            vec![
                SysexError::StatusByte {
                    offset: 0,
                    at: 2,
                    byte: 0x85
                },
                SysexError::StatusByte {
                    offset: 9,
                    at: 11,
                    byte: 0xF8
                }
            ]
        );
        assert_eq!(
            s.errors[0].to_string(),
            "sysex message starting at byte 0: byte 2 is 0x85, expected data bytes (below 0x80) until F7"
        );
    }

    #[test]
    fn split_ignores_stray_and_reports_broken() {
        let data = [
            0x01, 0xF0, 0x43, 0xF7, 0x55, 0xF0, 0x01, 0xF0, 0x02, 0xF7, 0xF0, 0x09,
        ];
        let s = split(&data);
        assert_eq!(
            s.spans,
            vec![Span { start: 1, end: 4 }, Span { start: 7, end: 10 }]
        );
        assert_eq!(s.stray, 2);
        assert_eq!(
            s.errors,
            vec![
                SysexError::Unterminated { offset: 5 },
                SysexError::Unterminated { offset: 10 }
            ]
        );
        let e = messages_strict(&data).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("unterminated sysex message starting at byte 5 (no F7 before the end)")
        );
    }

    #[test]
    fn oversized_is_an_error() {
        let mut big = vec![0xF0];
        big.resize(MAX_MESSAGE + 1, 0x01);
        big.push(0xF7);
        let s = split(&big);
        assert!(s.spans.is_empty());
        assert!(matches!(
            s.errors[0],
            SysexError::Oversized { offset: 0, .. }
        ));
    }

    #[test]
    fn elektron_magic_only_msb_first() {
        let g = [0x78, 0x3E, 0x6F, 0x3A, 0x4E, 0x00, 0x00, 0x00];
        assert_eq!(
            unpack_7bit(&g, BitOrder::MsbFirst),
            vec![0xBE, 0xEF, 0xBA, 0xCE, 0, 0, 0]
        );
        assert_eq!(
            unpack_7bit(&g, BitOrder::LsbFirst),
            vec![0x3E, 0x6F, 0x3A, 0xCE, 0x80, 0x80, 0x80]
        );
    }

    #[test]
    fn pack_round_trips_both_orders() {
        let raw: Vec<u8> = (0..=255u8).chain(0..20).collect();
        for order in [BitOrder::MsbFirst, BitOrder::LsbFirst] {
            let p = pack_7bit(&raw, order);
            assert_eq!(p.len(), packed_len(raw.len()));
            assert!(p.iter().all(|b| b & 0x80 == 0));
            assert_eq!(unpacked_len(p.len()), raw.len());
            assert_eq!(unpack_7bit(&p, order), raw);
        }
        assert_eq!(pack_7bit(&[0x80], BitOrder::LsbFirst), vec![0x01, 0x00]);
        assert_eq!(pack_7bit(&[0x80], BitOrder::MsbFirst), vec![0x40, 0x00]);
    }

    #[test]
    fn nibbles_and_checksums() {
        assert_eq!(nibbles_lo_hi(&[0xA5]), vec![0x05, 0x0A]);
        assert_eq!(nibbles_hi_lo(&[0xA5]), vec![0x0A, 0x05]);
        assert_eq!(denibble_lo_hi(&[0x05, 0x0A]), vec![0xA5]);
        assert_eq!(denibble_hi_lo(&[0x0A, 0x05]), vec![0xA5]);
        // Roland manual example: address 40 00 04, data 64 -> checksum 58.
        assert_eq!(roland_checksum(&[0x40, 0x00, 0x04, 0x64]), 0x58);
        assert_eq!(roland_checksum(&[0x00]), 0x00);
        assert_eq!(waldorf_checksum(&[0x7F, 0x02]), 0x01);
        assert_eq!(elektron_checksum(&[0x7F; 200]), (127 * 200) & 0x3FFF);
        assert_eq!(u14_msb(0x3FFF), [0x7F, 0x7F]);
        assert_eq!(from_u14_msb(0x01, 0x02), 130);
    }

    #[test]
    fn names() {
        assert_eq!(name_from_bytes(b"OB  CHORDS\0\0xx"), "OB  CHORDS");
        assert_eq!(name_from_bytes(b"ToyNFlt   "), "ToyNFlt   ");
        assert_eq!(name_to_bytes("Ab", 4, b' '), b"Ab  ".to_vec());
    }
}
