//! Waldorf Blofeld sound dumps: `F0 3E 13 dev 10 bank prog` + 383 data bytes + checksum
//! (`Σ data & 0x7F`) + F7. Bank 7F / program 00 is the edit buffer.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex::{self, SysexError};

const WALDORF: u8 = 0x3E;
const BLOFELD: u8 = 0x13;
const SOUND_DUMP: u8 = 0x10;
const SOUND_REQUEST: u8 = 0x00;
const DATA_LEN: usize = 383;
/// Length of a whole sound dump message.
pub const MESSAGE_LEN: usize = DATA_LEN + 9;
const NAME: std::ops::Range<usize> = 363..379;
const EDIT_BANK: u8 = 0x7F;
const BANKS: u32 = 8;

/// The Waldorf Blofeld.
pub struct Blofeld;

fn is_sound(m: &[u8]) -> bool {
    m.len() == MESSAGE_LEN
        && m[0] == 0xF0
        && m[1] == WALDORF
        && m[2] == BLOFELD
        && m[4] == SOUND_DUMP
        && m[MESSAGE_LEN - 1] == 0xF7
}

fn data(m: &[u8]) -> &[u8] {
    &m[7..7 + DATA_LEN]
}

fn build(device: u8, bank: u8, prog: u8, data: &[u8]) -> Vec<u8> {
    let mut m = vec![0xF0, WALDORF, BLOFELD, device, SOUND_DUMP, bank, prog];
    m.extend_from_slice(data);
    m.push(sysex::waldorf_checksum(data));
    m.push(0xF7);
    m
}

impl Adaptation for Blofeld {
    fn name(&self) -> String {
        "Waldorf Blofeld".into()
    }
    fn create_device_detect_message(&self, _channel: u8) -> Vec<u8> {
        vec![0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (m.len() > 7 && m[..2] == [0xF0, 0x7E] && m[3..7] == [0x06, 0x02, WALDORF, BLOFELD])
            .then(|| if m[2] > 0x0F { 0 } else { m[2] })
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
        (0..BANKS)
            .map(|b| BankDescriptor::new(b, ((b'A' + b as u8) as char).to_string(), 128))
            .collect()
    }
    fn friendly_bank_name(&self, bank: u32) -> String {
        ((b'A' + (bank % 26) as u8) as char).to_string()
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!(
            "{}{:03}",
            self.friendly_bank_name(program / 128),
            program % 128 + 1
        )
    }
    fn name_from_dump(&self, m: &[u8]) -> Option<String> {
        is_sound(m).then(|| sysex::name_from_bytes(&data(m)[NAME]))
    }
    fn rename_patch(&self, m: &[u8], name: &str) -> Option<Vec<u8>> {
        if !is_sound(m) {
            return None;
        }
        let mut d = data(m).to_vec();
        sysex::set_name(&mut d[NAME], name, b' ');
        Some(build(m[3], m[5], m[6], &d))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "Init"
    }
    fn fingerprint(&self, m: &[u8]) -> String {
        if is_sound(m) {
            let mut d = data(m).to_vec();
            d[NAME].fill(0);
            sysex::digest_hex(&[&d])
        } else {
            sysex::digest_hex(&[m])
        }
    }
    fn message_delay_ms(&self) -> u64 {
        20
    }
    fn setup_help(&self) -> String {
        "Waldorf Blofeld: GLOBAL > Device ID sets the sysex device id (octa sends 0 unless \
         pinned otherwise). Sounds are read one by one with sound requests."
            .into()
    }
    fn check_message(&self, m: &[u8]) -> Result<(), SysexError> {
        let looks = m.len() > 5 && m[1] == WALDORF && m[2] == BLOFELD && m[4] == SOUND_DUMP;
        if looks && m.len() != MESSAGE_LEN {
            return Err(SysexError::Length {
                what: "Waldorf Blofeld sound dump".into(),
                expected: MESSAGE_LEN,
                found: m.len(),
            });
        }
        if looks {
            let computed = sysex::waldorf_checksum(data(m));
            let stored = m[MESSAGE_LEN - 2];
            // Waldorf documents 7F as "checksum not used".
            if stored != computed && stored != 0x7F {
                return Err(SysexError::Checksum {
                    what: format!("Waldorf Blofeld sound {}:{}", m[5], m[6]),
                    stored: stored.into(),
                    computed: computed.into(),
                });
            }
        }
        Ok(())
    }
}

impl EditBufferCapability for Blofeld {
    fn create_edit_buffer_request(&self, _channel: u8) -> Vec<u8> {
        vec![
            0xF0,
            WALDORF,
            BLOFELD,
            0x00,
            SOUND_REQUEST,
            EDIT_BANK,
            0x00,
            0x7F,
            0xF7,
        ]
    }
    fn is_edit_buffer_dump(&self, m: &[u8]) -> bool {
        is_sound(m) && m[5] == EDIT_BANK
    }
    fn convert_to_edit_buffer(&self, _channel: u8, m: &[u8]) -> Option<Vec<u8>> {
        is_sound(m).then(|| build(m[3], EDIT_BANK, 0, data(m)))
    }
}

impl ProgramDumpCapability for Blofeld {
    fn create_program_dump_request(&self, _channel: u8, number: u32) -> Vec<u8> {
        let bank = ((number / 128) & 0x7F) as u8;
        let prog = (number % 128) as u8;
        vec![
            0xF0,
            WALDORF,
            BLOFELD,
            0x00,
            SOUND_REQUEST,
            bank,
            prog,
            0x7F,
            0xF7,
        ]
    }
    fn is_single_program_dump(&self, m: &[u8]) -> bool {
        is_sound(m) && u32::from(m[5]) < BANKS
    }
    fn convert_to_program_dump(&self, _channel: u8, m: &[u8], number: u32) -> Option<Vec<u8>> {
        let bank = ((number / 128) & 0x7F) as u8;
        is_sound(m).then(|| build(m[3], bank, (number % 128) as u8, data(m)))
    }
    fn number_from_dump(&self, m: &[u8]) -> Option<u32> {
        self.is_single_program_dump(m)
            .then(|| u32::from(m[5]) * 128 + u32::from(m[6]))
    }
}
