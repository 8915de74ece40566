//! DSI Tempest sounds: `F0 01 28 60 ...` is a sound in RAM (the edit buffer side),
//! `F0 01 28 63 ...` a sound from FLASH (a stored sound). The FLASH sound's name starts the
//! data at byte 6, NUL-terminated, in groups of 7 bytes each followed by one byte that is
//! not name data (facts from KnobKraft's DSI_Tempest adaptation and its test data). The
//! Tempest cannot be asked for sounds (they are sent from its panel), and a sound cannot
//! be moved to another place, so requests are empty and conversions keep the message.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex;

const ID: u8 = 0x28;
const RAM: u8 = 0x60;
const FLASH: u8 = 0x63;

/// The DSI Tempest (sounds).
pub struct Tempest;

fn is(m: &[u8], cmd: u8) -> bool {
    m.len() > 7 && m[..4] == [0xF0, 0x01, ID, cmd] && m[m.len() - 1] == 0xF7
}

/// The name of a FLASH sound: data from byte 6, 7 of every 8 bytes, up to a NUL.
fn flash_name(m: &[u8]) -> String {
    let data = &m[6..m.len() - 1];
    let bytes: Vec<u8> = data
        .chunks(8)
        .flat_map(|c| c.iter().take(7).copied())
        .take_while(|&b| b != 0)
        .collect();
    sysex::name_from_bytes(&bytes)
}

impl Adaptation for Tempest {
    fn name(&self) -> String {
        "DSI Tempest".into()
    }
    fn create_device_detect_message(&self, _channel: u8) -> Vec<u8> {
        super::IDENTITY_REQUEST.to_vec()
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        let ok = m.len() > 9
            && m[..2] == [0xF0, 0x7E]
            && m[3..5] == [0x06, 0x02]
            && m[5] == 0x01
            && m[6] == ID;
        ok.then(|| if m[2] > 0x0F { 0 } else { m[2] })
    }
    fn needs_channel_specific_detection(&self) -> bool {
        false
    }
    fn device_detect_wait_ms(&self) -> u64 {
        100
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn program_dump(&self) -> Option<&dyn ProgramDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        vec![
            BankDescriptor::new(0, "A", 16),
            BankDescriptor::new(1, "B", 16),
        ]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        let bank = if program < 16 { 'A' } else { 'B' };
        format!("{bank}{}", program % 16 + 1)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        if is(data, FLASH) {
            Some(flash_name(data))
        } else if is(data, RAM) {
            Some(format!("RAM sound {:02X}", data[4]))
        } else {
            None
        }
    }
    fn other_data(&self, m: &[u8]) -> Option<String> {
        let mine = m.len() > 4 && m[..3] == [0xF0, 0x01, ID] && m[m.len() - 1] == 0xF7;
        (mine && !is(m, RAM) && !is(m, FLASH))
            .then(|| format!("Tempest data with command {:02X} (not a sound)", m[3]))
    }
    fn setup_help(&self) -> String {
        "DSI Tempest: sounds cannot be requested; send them from the Tempest's panel \
         (a RAM sound or a FLASH sound) while octa fetches the edit buffer."
            .into()
    }
}

impl EditBufferCapability for Tempest {
    fn create_edit_buffer_request(&self, _channel: u8) -> Vec<u8> {
        Vec::new()
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        is(data, RAM)
    }
    fn convert_to_edit_buffer(&self, _channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        // A FLASH sound cannot become a RAM sound: it goes back to its own place.
        (is(data, RAM) || is(data, FLASH)).then(|| data.to_vec())
    }
}

impl ProgramDumpCapability for Tempest {
    fn create_program_dump_request(&self, _channel: u8, _number: u32) -> Vec<u8> {
        Vec::new()
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        is(data, FLASH)
    }
    fn convert_to_program_dump(&self, _channel: u8, data: &[u8], _number: u32) -> Option<Vec<u8>> {
        (is(data, RAM) || is(data, FLASH)).then(|| data.to_vec())
    }
    fn number_from_dump(&self, _data: &[u8]) -> Option<u32> {
        None
    }
}
