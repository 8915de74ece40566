//! Yamaha reface DX: a voice is seven bulk messages `F0 43 0n 7F 1C hh ll 05 a a a data sum
//! F7` (group 7F 1C, model 05, `hh ll` = 3 address bytes + data + checksum): the bulk header
//! (`0E 0F 00` for the edit buffer, `0E 00 pp` for stored voice `pp`), the common block
//! (`30 00 00`, 38 bytes, name in the first 10), four operators (`31 op 00`, 28 bytes) and the
//! bulk footer (`0F 0F 00` / `0F 00 pp`). The checksum makes the low 7 bits of the sum of
//! model, address, data and checksum zero. Requests: `F0 43 2n 7F 1C 05 a a a F7`.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, PartOf, ProgramDumpCapability,
};
use crate::librarian::sysex::{self, SysexError};

const YAMAHA: u8 = 0x43;
const GROUP: [u8; 2] = [0x7F, 0x1C];
const MODEL: u8 = 0x05;
const SYSTEM: [u8; 3] = [0x00, 0x00, 0x00];
const HEADER: [u8; 3] = [0x0E, 0x0F, 0x00];
const FOOTER: [u8; 3] = [0x0F, 0x0F, 0x00];
const COMMON: [u8; 3] = [0x30, 0x00, 0x00];
const COMMON_LEN: usize = 38;
const OP_LEN: usize = 28;
const NAME_LEN: usize = 10;

/// The Yamaha reface DX.
pub struct RefaceDx;

fn is_own(m: &[u8]) -> bool {
    m.len() >= 13
        && m[0] == 0xF0
        && m[1] == YAMAHA
        && m[2] & 0xF0 == 0
        && m[3..5] == GROUP
        && m[7] == MODEL
        && m[m.len() - 1] == 0xF7
}

fn sum_ok(m: &[u8]) -> bool {
    m[7..m.len() - 1]
        .iter()
        .fold(0u8, |s, b| s.wrapping_add(*b))
        & 0x7F
        == 0
}

/// A well-formed bulk message: its size field matches and its checksum adds up.
fn valid(m: &[u8]) -> bool {
    is_own(m) && (usize::from(m[5]) << 7 | usize::from(m[6])) + 9 == m.len() && sum_ok(m)
}

fn address(m: &[u8]) -> [u8; 3] {
    [m[8], m[9], m[10]]
}

/// Builds one bulk message for `channel` at `addr`.
pub fn bulk(channel: u8, addr: [u8; 3], data: &[u8]) -> Vec<u8> {
    let size = data.len() + 4;
    let mut m = vec![
        0xF0,
        YAMAHA,
        channel & 0x0F,
        GROUP[0],
        GROUP[1],
        (size >> 7) as u8 & 0x7F,
        size as u8 & 0x7F,
        MODEL,
    ];
    m.extend_from_slice(&addr);
    m.extend_from_slice(data);
    let sum = m[7..].iter().fold(0u8, |s, b| s.wrapping_add(*b));
    m.push(0u8.wrapping_sub(sum) & 0x7F);
    m.push(0xF7);
    m
}

fn request(channel: u8, addr: [u8; 3]) -> Vec<u8> {
    let mut m = vec![
        0xF0,
        YAMAHA,
        0x20 | (channel & 0x0F),
        GROUP[0],
        GROUP[1],
        MODEL,
    ];
    m.extend_from_slice(&addr);
    m.push(0xF7);
    m
}

/// A whole voice: (stored program number or `None` for the edit buffer, common data, the four
/// operators' data).
struct Voice<'a> {
    program: Option<u8>,
    common: &'a [u8],
    ops: [&'a [u8]; 4],
}

fn voice(data: &[u8]) -> Option<Voice<'_>> {
    let ms = sysex::messages_strict(data).ok()?;
    if ms.len() != 7 || !ms.iter().all(|m| valid(m)) {
        return None;
    }
    let (h, f) = (address(ms[0]), address(ms[6]));
    let program = if h == HEADER && f == FOOTER {
        None
    } else if h[..2] == [0x0E, 0x00] && f[..2] == [0x0F, 0x00] && h[2] == f[2] && h[2] < 32 {
        Some(h[2])
    } else {
        return None;
    };
    if address(ms[1]) != COMMON || ms[1].len() != COMMON_LEN + 13 {
        return None;
    }
    let mut ops: [&[u8]; 4] = [&[]; 4];
    for (op, m) in ms[2..6].iter().enumerate() {
        if address(m) != [0x31, op as u8, 0x00] || m.len() != OP_LEN + 13 {
            return None;
        }
        ops[op] = &m[11..m.len() - 2];
    }
    Some(Voice {
        program,
        common: &ms[1][11..ms[1].len() - 2],
        ops,
    })
}

fn build(channel: u8, program: Option<u8>, common: &[u8], ops: &[&[u8]; 4]) -> Vec<u8> {
    let (h, f) = match program {
        None => (HEADER, FOOTER),
        Some(p) => ([0x0E, 0x00, p], [0x0F, 0x00, p]),
    };
    let mut out = bulk(channel, h, &[]);
    out.extend(bulk(channel, COMMON, common));
    for (op, d) in ops.iter().enumerate() {
        out.extend(bulk(channel, [0x31, op as u8, 0x00], d));
    }
    out.extend(bulk(channel, f, &[]));
    out
}

fn part(yes: bool) -> PartOf {
    if yes { PartOf::Yes } else { PartOf::No }
}

impl Adaptation for RefaceDx {
    fn name(&self) -> String {
        "Yamaha reface DX".into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        request(channel, SYSTEM)
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        if !valid(m) || address(m) != SYSTEM || m.len() < 15 {
            return None;
        }
        // Data byte 0 is the transmit channel, byte 1 the receive channel (0x10: omni).
        Some(if m[12] == 0x10 { 0 } else { m[12] & 0x0F })
    }
    fn needs_channel_specific_detection(&self) -> bool {
        false
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn program_dump(&self) -> Option<&dyn ProgramDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        vec![BankDescriptor::new(0, "Banks 1-4", 32)]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("Bank{}-{}", program / 8 + 1, program % 8 + 1)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        voice(data).map(|v| sysex::name_from_bytes(&v.common[..NAME_LEN]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let v = voice(data)?;
        let mut common = v.common.to_vec();
        sysex::set_name(&mut common[..NAME_LEN], name, b' ');
        Some(build(data[2], v.program, &common, &v.ops))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "Init Voice"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match voice(data) {
            Some(v) => {
                let mut common = v.common.to_vec();
                common[..NAME_LEN].fill(0);
                let mut parts: Vec<&[u8]> = vec![&common];
                parts.extend(v.ops);
                sysex::digest_hex(&parts)
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn setup_help(&self) -> String {
        "Yamaha reface DX: the receive channel is read from the system settings; a voice is \
         sent as seven bulk messages (header, common, four operators, footer)."
            .into()
    }
    fn check_message(&self, m: &[u8]) -> Result<(), SysexError> {
        if is_own(m) && !sum_ok(m) {
            let sum = m[7..m.len() - 2]
                .iter()
                .fold(0u8, |s, b| s.wrapping_add(*b));
            return Err(SysexError::Checksum {
                what: format!("Yamaha reface DX bulk at {}", sysex::to_hex(&address(m))),
                stored: m[m.len() - 2].into(),
                computed: (0u8.wrapping_sub(sum) & 0x7F).into(),
            });
        }
        Ok(())
    }
}

impl EditBufferCapability for RefaceDx {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        request(channel, HEADER)
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        voice(data).is_some_and(|v| v.program.is_none())
    }
    fn is_part_of_edit_buffer_dump(&self, m: &[u8]) -> PartOf {
        part(valid(m) && ([HEADER, FOOTER, COMMON].contains(&address(m)) || m[8] == 0x31))
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        let v = voice(data)?;
        Some(build(channel, None, v.common, &v.ops))
    }
}

impl ProgramDumpCapability for RefaceDx {
    fn create_program_dump_request(&self, channel: u8, number: u32) -> Vec<u8> {
        // Select the voice, then ask for the edit buffer.
        let mut m = vec![0xC0 | (channel & 0x0F), (number & 0x1F) as u8];
        m.extend(request(channel, HEADER));
        m
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        voice(data).is_some_and(|v| v.program.is_some())
    }
    fn is_part_of_single_program_dump(&self, m: &[u8]) -> PartOf {
        if !valid(m) {
            return PartOf::No;
        }
        let a = address(m);
        let edge = a[..2] == [0x0E, 0x00] || a[..2] == [0x0F, 0x00];
        part(edge || a == COMMON || a[0] == 0x31)
    }
    fn convert_to_program_dump(&self, channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        let v = voice(data)?;
        Some(build(
            channel,
            Some((number & 0x1F) as u8),
            v.common,
            &v.ops,
        ))
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        voice(data)?.program.map(u32::from)
    }
}
