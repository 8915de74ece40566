//! Korg M1: program parameter dumps (`F0 42 3n 19 40`, the edit buffer) and all-program
//! dumps (`F0 42 3n 19 4C mm`, a bank of 143-byte programs), LSB-first 8-in-7 packing.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability,
};
use crate::librarian::sysex::{self, BitOrder};

const KORG: u8 = 0x42;
const M1: u8 = 0x19;
const PROGRAM_DUMP_REQUEST: u8 = 0x10;
const PROGRAM_DUMP: u8 = 0x40;
const ALL_PROGRAMS_REQUEST: u8 = 0x1C;
const ALL_PROGRAMS_DUMP: u8 = 0x4C;
/// Raw size of one program.
pub const PROGRAM_SIZE: usize = 143;
const NAME_LEN: usize = 10;

/// The Korg M1 (and M1R).
pub struct KorgM1;

fn is_m1(m: &[u8], func: u8) -> bool {
    m.len() > 6
        && m[0] == 0xF0
        && m[1] == KORG
        && m[2] & 0xF0 == 0x30
        && m[3] == M1
        && m[4] == func
        && m[m.len() - 1] == 0xF7
}

fn program_raw(m: &[u8]) -> Option<Vec<u8>> {
    if !is_m1(m, PROGRAM_DUMP) || sysex::unpacked_len(m.len() - 6) != PROGRAM_SIZE {
        return None;
    }
    Some(sysex::unpack_7bit(&m[5..m.len() - 1], BitOrder::LsbFirst))
}

fn program_message(channel: u8, raw: &[u8]) -> Vec<u8> {
    let mut m = vec![0xF0, KORG, 0x30 | (channel & 0x0F), M1, PROGRAM_DUMP];
    m.extend(sysex::pack_7bit(raw, BitOrder::LsbFirst));
    m.push(0xF7);
    m
}

impl Adaptation for KorgM1 {
    fn name(&self) -> String {
        "Korg M1".into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        vec![0xF0, 0x7E, channel & 0x7F, 0x06, 0x01, 0xF7]
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (m.len() > 7 && m[..2] == [0xF0, 0x7E] && m[3..7] == [0x06, 0x02, KORG, M1])
            .then_some(m[2] & 0x0F)
    }
    fn needs_channel_specific_detection(&self) -> bool {
        false
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn bank_dump(&self) -> Option<&dyn BankDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        vec![
            BankDescriptor::new(0, "Internal", 100),
            BankDescriptor::new(1, "Card", 100),
        ]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        let bank = if program < 100 { "I" } else { "C" };
        format!("{bank}{:02}", program % 100)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        program_raw(data).map(|r| sysex::name_from_bytes(&r[..NAME_LEN]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let mut raw = program_raw(data)?;
        sysex::set_name(&mut raw[..NAME_LEN], name, b' ');
        Some(program_message(data[2], &raw))
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match program_raw(data) {
            Some(mut raw) => {
                raw[..NAME_LEN].fill(0);
                sysex::digest_hex(&[&raw])
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn message_delay_ms(&self) -> u64 {
        200
    }
    fn setup_help(&self) -> String {
        "Korg M1: in GLOBAL mode enable sysex (page 'MIDI filter', EX = ENA) and turn off \
         memory protect before storing programs. Banks are read with the all-program dump."
            .into()
    }
}

impl EditBufferCapability for KorgM1 {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        vec![
            0xF0,
            KORG,
            0x30 | (channel & 0x0F),
            M1,
            PROGRAM_DUMP_REQUEST,
            0xF7,
        ]
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        program_raw(data).is_some()
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        program_raw(data).map(|raw| program_message(channel, &raw))
    }
}

impl BankDumpCapability for KorgM1 {
    fn create_bank_dump_request(&self, channel: u8, bank: u32) -> Option<Vec<u8>> {
        Some(vec![
            0xF0,
            KORG,
            0x30 | (channel & 0x0F),
            M1,
            ALL_PROGRAMS_REQUEST,
            (bank & 0x7F) as u8,
            0xF7,
        ])
    }
    fn is_part_of_bank_dump(&self, m: &[u8]) -> bool {
        is_m1(m, ALL_PROGRAMS_DUMP) && m.len() > 7
    }
    fn is_bank_dump_finished(&self, messages: &[Vec<u8>]) -> bool {
        messages.iter().any(|m| self.is_part_of_bank_dump(m))
    }
    fn extract_patches_from_bank(&self, messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for m in messages.iter().filter(|m| self.is_part_of_bank_dump(m)) {
            let raw = sysex::unpack_7bit(&m[6..m.len() - 1], BitOrder::LsbFirst);
            for program in raw.chunks_exact(PROGRAM_SIZE) {
                out.push(program_message(m[2], program));
            }
        }
        out
    }
}
