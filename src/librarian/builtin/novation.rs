//! Novation Bass Station II: `F0 00 20 29 00 33 00` then `00 00` (the current sound) or
//! `01 nn` (stored sound nn), 154 bytes in all, the name as 16 plain 7-bit characters at
//! byte 137. Detect: `... 00 44 F7`, answered with `... 00 04 00 cc` (channel cc, 1-based).
//! Facts from KnobKraft's Novation_Bass_Station_II adaptation and its test data.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex;

const HEAD: [u8; 7] = [0xF0, 0x00, 0x20, 0x29, 0x00, 0x33, 0x00];
const LEN: usize = 154;
const NAME: std::ops::Range<usize> = 137..153;

/// The Novation Bass Station II.
pub struct BassStation2;

fn with(body: &[u8]) -> Vec<u8> {
    let mut m = HEAD.to_vec();
    m.extend_from_slice(body);
    m.push(0xF7);
    m
}

fn is(m: &[u8], kind: u8) -> bool {
    m.len() == LEN && m[..7] == HEAD && m[7] == kind && m[LEN - 1] == 0xF7
}

fn is_sound(m: &[u8]) -> bool {
    is(m, 0x00) || is(m, 0x01)
}

impl Adaptation for BassStation2 {
    fn name(&self) -> String {
        "Novation Bass Station II".into()
    }
    fn create_device_detect_message(&self, _channel: u8) -> Vec<u8> {
        with(&[0x44])
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (m.len() >= 10 && m[..7] == HEAD && m[7] == 0x04)
            .then(|| m[9].checked_sub(1))
            .flatten()
            .filter(|&c| c < 16)
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
        vec![BankDescriptor::new(0, "Patches", 128)]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("{program:03}")
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        is_sound(data).then(|| sysex::name_from_bytes(&data[NAME]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        if !is_sound(data) {
            return None;
        }
        let mut m = data.to_vec();
        sysex::set_name(&mut m[NAME], name, b' ');
        Some(m)
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "INIT PATCH"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        if !is_sound(data) {
            return sysex::digest_hex(&[data]);
        }
        let mut body = data[9..LEN - 1].to_vec();
        body[NAME.start - 9..NAME.end - 9].fill(0);
        sysex::digest_hex(&[&body])
    }
    fn message_delay_ms(&self) -> u64 {
        100
    }
    fn setup_help(&self) -> String {
        "Novation Bass Station II: connect it by USB or MIDI; it answers octa's own detect \
         request with its MIDI channel."
            .into()
    }
}

impl EditBufferCapability for BassStation2 {
    fn create_edit_buffer_request(&self, _channel: u8) -> Vec<u8> {
        with(&[0x40])
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        is(data, 0x00)
    }
    fn convert_to_edit_buffer(&self, _channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        is_sound(data).then(|| {
            let mut m = data.to_vec();
            m[7] = 0x00;
            m[8] = 0x00;
            m
        })
    }
}

impl ProgramDumpCapability for BassStation2 {
    fn create_program_dump_request(&self, _channel: u8, number: u32) -> Vec<u8> {
        with(&[0x41, (number & 0x7F) as u8])
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        is(data, 0x01)
    }
    fn convert_to_program_dump(&self, _channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        is_sound(data).then(|| {
            let mut m = data.to_vec();
            m[7] = 0x01;
            m[8] = (number & 0x7F) as u8;
            m
        })
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        is(data, 0x01).then(|| u32::from(data[8]))
    }
}
