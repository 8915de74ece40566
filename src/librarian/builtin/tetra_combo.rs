//! DSI Tetra combos (Tetra manual, sysex section): a combo is 1024 bytes (four voices of
//! 256, each laid out like a Prophet '08 layer) in LSB-first 8-in-7 packing: combo dumps
//! `F0 01 26 22 nn <1171> F7` (combo 0-127), combo edit buffer `F0 01 26 37 <1171> F7`;
//! requests `F0 01 26 21 nn F7` and `F0 01 26 38 F7`. The combo's name is voice 1's name
//! (16 characters at 184, as a Prophet '08 layer).

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex::{self, BitOrder};

const DSI: u8 = 0x01;
const TETRA: u8 = 0x26;
const COMBO: u8 = 0x22;
const COMBO_EDIT: u8 = 0x37;
const REQUEST_COMBO: u8 = 0x21;
const REQUEST_COMBO_EDIT: u8 = 0x38;
const RAW_LEN: usize = 1024;
const NAME: std::ops::Range<usize> = 184..200;

/// The DSI Tetra's combos (its programs are the Sequential family's `DSI Tetra`).
pub struct TetraCombo;

/// (header length, raw 1024 bytes) of a combo or combo edit buffer dump.
fn raw(m: &[u8]) -> Option<(usize, Vec<u8>)> {
    if m.len() < 6 || m[0] != 0xF0 || m[1] != DSI || m[2] != TETRA || m[m.len() - 1] != 0xF7 {
        return None;
    }
    let header = match m[3] {
        COMBO => 5,
        COMBO_EDIT => 4,
        _ => return None,
    };
    if m.len() != header + sysex::packed_len(RAW_LEN) + 1 {
        return None;
    }
    let r = sysex::unpack_7bit(&m[header..m.len() - 1], BitOrder::LsbFirst);
    (r.len() == RAW_LEN).then_some((header, r))
}

fn build(head: &[u8], raw: &[u8]) -> Vec<u8> {
    let mut m = head.to_vec();
    m.extend(sysex::pack_7bit(raw, BitOrder::LsbFirst));
    m.push(0xF7);
    m
}

impl Adaptation for TetraCombo {
    fn name(&self) -> String {
        "DSI Tetra Combo".into()
    }
    fn create_device_detect_message(&self, _channel: u8) -> Vec<u8> {
        super::IDENTITY_REQUEST.to_vec()
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (m.len() > 9 && m[..2] == [0xF0, 0x7E] && m[3..7] == [0x06, 0x02, DSI, TETRA])
            .then(|| if m[2] == 0x7F { 0 } else { m[2] & 0x0F })
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
        let mut b = BankDescriptor::new(0, "Combos", 128);
        b.kind = "Combo".into();
        vec![b]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("combo {}", program + 1)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        raw(data).map(|(_, r)| sysex::name_from_bytes(&r[NAME]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let (header, mut r) = raw(data)?;
        sysex::set_name(&mut r[NAME], name, b' ');
        Some(build(&data[..header], &r))
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match raw(data) {
            Some((_, mut r)) => {
                r[NAME].fill(0);
                sysex::digest_hex(&[&r])
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn setup_help(&self) -> String {
        "DSI Tetra combos: set MIDI Sysex to ON in the global menu. Combos are read and \
         written as combo dumps (128 combos); programs are the 'DSI Tetra' device."
            .into()
    }
}

impl EditBufferCapability for TetraCombo {
    fn create_edit_buffer_request(&self, _channel: u8) -> Vec<u8> {
        vec![0xF0, DSI, TETRA, REQUEST_COMBO_EDIT, 0xF7]
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        raw(data).is_some_and(|(h, _)| h == 4)
    }
    fn convert_to_edit_buffer(&self, _channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        let (_, r) = raw(data)?;
        Some(build(&[0xF0, DSI, TETRA, COMBO_EDIT], &r))
    }
}

impl ProgramDumpCapability for TetraCombo {
    fn create_program_dump_request(&self, _channel: u8, number: u32) -> Vec<u8> {
        vec![0xF0, DSI, TETRA, REQUEST_COMBO, (number & 0x7F) as u8, 0xF7]
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        raw(data).is_some_and(|(h, _)| h == 5)
    }
    fn convert_to_program_dump(&self, _channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        let (_, r) = raw(data)?;
        Some(build(&[0xF0, DSI, TETRA, COMBO, (number & 0x7F) as u8], &r))
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        raw(data)
            .filter(|(h, _)| *h == 5)
            .map(|_| u32::from(data[4]))
    }
}
