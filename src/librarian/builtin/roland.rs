//! Roland JV-1080: a patch is five DT1 messages (`F0 41 dev 6A 12 a a a a data sum F7`):
//! the common block at `11 pp 00 00` and four tones at `11 pp 10/12/14/16 00`; the temporary
//! (edit buffer) patch lives at `03 00 ..`. Checksum: `(-Σ address+data) & 0x7F`.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex::{self, SysexError};

const ROLAND: u8 = 0x41;
const JV1080: u8 = 0x6A;
const DT1: u8 = 0x12;
const RQ1: u8 = 0x11;
const USER_PATCH: u8 = 0x11;
const TEMP_PATCH: u8 = 0x03;
/// Third address byte of the common block and the four tones.
const BLOCKS: [u8; 5] = [0x00, 0x10, 0x12, 0x14, 0x16];
const COMMON_SIZE: usize = 0x48;
const TONE_SIZE: usize = 0x81;
const NAME_LEN: usize = 12;
/// Size of a whole patch (common + 4 tones) in Roland 7-bit address units.
const PATCH_SIZE: [u8; 4] = [0x00, 0x00, 0x17, 0x01];

/// The Roland JV-1080.
pub struct RolandJv1080;

fn is_dt1(m: &[u8]) -> bool {
    m.len() >= 12
        && m[0] == 0xF0
        && m[1] == ROLAND
        && m[3] == JV1080
        && m[4] == DT1
        && m[m.len() - 1] == 0xF7
}

fn checksum_ok(m: &[u8]) -> bool {
    sysex::roland_checksum(&m[5..m.len() - 2]) == m[m.len() - 2]
}

/// The DT1 messages of a patch, when `data` is a whole patch at `area` (03 temp, 11 user).
fn blocks(data: &[u8], area: u8) -> Option<Vec<&[u8]>> {
    let ms = sysex::messages_strict(data).ok()?;
    if ms.len() != BLOCKS.len() {
        return None;
    }
    let slot = ms[0].get(6).copied()?;
    for (m, b) in ms.iter().zip(BLOCKS) {
        let size = if b == 0 { COMMON_SIZE } else { TONE_SIZE };
        if !is_dt1(m)
            || m.len() != size + 11
            || m[5] != area
            || m[6] != slot
            || m[7] != b
            || m[8] != 0
            || !checksum_ok(m)
        {
            return None;
        }
    }
    if area == TEMP_PATCH && slot != 0 {
        return None;
    }
    Some(ms)
}

fn any_patch(data: &[u8]) -> Option<Vec<&[u8]>> {
    blocks(data, USER_PATCH).or_else(|| blocks(data, TEMP_PATCH))
}

/// Rewrites every block to `area`/`slot`/device with fresh checksums, optionally renaming.
fn rebuild(ms: &[&[u8]], device: u8, area: u8, slot: u8, name: Option<&str>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        let mut n = m.to_vec();
        n[2] = device;
        n[5] = area;
        n[6] = slot;
        if let (0, Some(name)) = (i, name) {
            sysex::set_name(&mut n[9..9 + NAME_LEN], name, b' ');
        }
        let l = n.len();
        n[l - 2] = sysex::roland_checksum(&n[5..l - 2]);
        out.extend(n);
    }
    out
}

fn rq1(device: u8, addr: [u8; 4], size: [u8; 4]) -> Vec<u8> {
    let mut m = vec![0xF0, ROLAND, device, JV1080, RQ1];
    m.extend_from_slice(&addr);
    m.extend_from_slice(&size);
    m.push(sysex::roland_checksum(&m[5..]));
    m.push(0xF7);
    m
}

fn device_id(channel: u8) -> u8 {
    0x10 + (channel & 0x0F)
}

impl Adaptation for RolandJv1080 {
    fn name(&self) -> String {
        "Roland JV-1080".into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        rq1(
            device_id(channel),
            [TEMP_PATCH, 0, 0, 0],
            [0, 0, 0, NAME_LEN as u8],
        )
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (is_dt1(m) && (0x10..0x20).contains(&m[2])).then(|| m[2] - 0x10)
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn program_dump(&self) -> Option<&dyn ProgramDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        vec![BankDescriptor::new(0, "User", 128)]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("USER:{:03}", program + 1)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        let ms = any_patch(data)?;
        Some(sysex::name_from_bytes(&ms[0][9..9 + NAME_LEN]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let ms = any_patch(data)?;
        Some(rebuild(&ms, ms[0][2], ms[0][5], ms[0][6], Some(name)))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "INIT PATCH"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match any_patch(data) {
            Some(ms) => {
                let mut parts: Vec<Vec<u8>> =
                    ms.iter().map(|m| m[9..m.len() - 2].to_vec()).collect();
                parts[0][..NAME_LEN].fill(0);
                let refs: Vec<&[u8]> = parts.iter().map(|p| p.as_slice()).collect();
                sysex::digest_hex(&refs)
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn message_delay_ms(&self) -> u64 {
        50
    }
    fn setup_help(&self) -> String {
        "Roland JV-1080: SYSTEM > MIDI: set Rx Exclusive ON and note the Device ID \
         (17 = channel 1). Patches are stored with five DT1 messages each."
            .into()
    }
    fn check_message(&self, m: &[u8]) -> Result<(), SysexError> {
        if is_dt1(m) && !checksum_ok(m) {
            return Err(SysexError::Checksum {
                what: format!("Roland DT1 at address {}", sysex::to_hex(&m[5..9])),
                stored: m[m.len() - 2].into(),
                computed: sysex::roland_checksum(&m[5..m.len() - 2]).into(),
            });
        }
        Ok(())
    }
}

impl EditBufferCapability for RolandJv1080 {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        rq1(device_id(channel), [TEMP_PATCH, 0, 0, 0], PATCH_SIZE)
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        blocks(data, TEMP_PATCH).is_some()
    }
    fn is_part_of_edit_buffer_dump(&self, m: &[u8]) -> crate::librarian::adaptation::PartOf {
        part(is_dt1(m) && m[5] == TEMP_PATCH)
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        let ms = any_patch(data)?;
        Some(rebuild(&ms, device_id(channel), TEMP_PATCH, 0, None))
    }
}

fn part(yes: bool) -> crate::librarian::adaptation::PartOf {
    if yes {
        crate::librarian::adaptation::PartOf::Yes
    } else {
        crate::librarian::adaptation::PartOf::No
    }
}

impl ProgramDumpCapability for RolandJv1080 {
    fn create_program_dump_request(&self, channel: u8, number: u32) -> Vec<u8> {
        rq1(
            device_id(channel),
            [USER_PATCH, (number & 0x7F) as u8, 0, 0],
            PATCH_SIZE,
        )
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        blocks(data, USER_PATCH).is_some()
    }
    fn is_part_of_single_program_dump(&self, m: &[u8]) -> crate::librarian::adaptation::PartOf {
        part(is_dt1(m) && m[5] == USER_PATCH)
    }
    fn convert_to_program_dump(&self, channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        let ms = any_patch(data)?;
        Some(rebuild(
            &ms,
            device_id(channel),
            USER_PATCH,
            (number & 0x7F) as u8,
            None,
        ))
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        blocks(data, USER_PATCH).map(|ms| u32::from(ms[0][6]))
    }
}
