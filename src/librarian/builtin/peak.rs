//! Novation Peak and Summit (one implementation): a patch is one message
//! `F0 00 20 29 <product 4> cmd 00 00 00 bank prog <data> F7` with the product
//! `01 10 00 7E` (Peak) or `01 11 01 33` (Summit); `cmd` 00 is the edit buffer, 01 a stored
//! patch (bank 0-3, program 0-127). The name is 16 characters at byte 0x10 of the message;
//! the data after the name is the sound. Requests: `40` (edit buffer) and `41 00 00 00
//! bank+1 prog` (a stored patch). Four banks A-D of 128.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex;

const NOVATION: [u8; 3] = [0x00, 0x20, 0x29];
const PEAK: [u8; 4] = [0x01, 0x10, 0x00, 0x7E];
const SUMMIT: [u8; 4] = [0x01, 0x11, 0x01, 0x33];
const NAME_AT: usize = 0x10;
const NAME_LEN: usize = 16;
const EDIT: u8 = 0x00;
const STORED: u8 = 0x01;

/// A Novation Peak or Summit.
pub struct NovationPeak {
    name: &'static str,
    product: [u8; 4],
}

impl NovationPeak {
    /// The Novation Peak.
    pub fn peak() -> Self {
        Self {
            name: "Novation Peak",
            product: PEAK,
        }
    }
    /// The Novation Summit (reads Peak patches too).
    pub fn summit() -> Self {
        Self {
            name: "Novation Summit",
            product: SUMMIT,
        }
    }

    fn is(&self, m: &[u8], cmd: u8) -> bool {
        m.len() > NAME_AT + NAME_LEN + 1
            && m[0] == 0xF0
            && m[1..4] == NOVATION
            && m[4..8] == self.product
            && m[8] == cmd
            && m[m.len() - 1] == 0xF7
    }

    fn patch(&self, m: &[u8]) -> bool {
        self.is(m, EDIT) || self.is(m, STORED)
    }

    /// The message with a new command, bank and program (the rest unchanged).
    fn with_place(&self, m: &[u8], cmd: u8, bank: u8, prog: u8) -> Vec<u8> {
        let mut out = m[..8].to_vec();
        out.extend([cmd, 0, 0, 0, bank, prog]);
        out.extend_from_slice(&m[14..]);
        out
    }
}

fn clean_name(name: &str) -> Vec<u8> {
    const SPECIAL: &str = " !\"#$%&'()*+,-./:;<=>?@[]^_`{|}";
    let t: String = name.trim().chars().take(NAME_LEN).collect();
    let mut b: Vec<u8> = t
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || SPECIAL.contains(c) {
                c as u8
            } else {
                b'_'
            }
        })
        .collect();
    b.resize(NAME_LEN, b' ');
    b
}

impl Adaptation for NovationPeak {
    fn name(&self) -> String {
        self.name.into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        self.create_edit_buffer_request(channel)
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        // The reply does not say the channel: the synth is reached on channel 1.
        self.patch(m).then_some(0)
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
        (0..4)
            .map(|b| BankDescriptor::new(b, format!("Bank {}", (b'A' + b as u8) as char), 128))
            .collect()
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!(
            "{}{}",
            self.friendly_bank_name(program / 128 % 4),
            program % 128
        )
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        self.patch(data)
            .then(|| sysex::name_from_bytes(&data[NAME_AT..NAME_AT + NAME_LEN]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        if !self.patch(data) {
            return None;
        }
        let mut out = data.to_vec();
        out[NAME_AT..NAME_AT + NAME_LEN].copy_from_slice(&clean_name(name));
        Some(out)
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "Init Patch"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        if self.patch(data) {
            sysex::digest_hex(&[&data[NAME_AT + NAME_LEN..data.len() - 1]])
        } else {
            sysex::digest_hex(&[data])
        }
    }
    fn setup_help(&self) -> String {
        format!(
            "{}: in the Global menu allow sysex on the port octa uses; patches are read \
             and written one message each (banks A-D of 128).",
            self.name
        )
    }
}

impl EditBufferCapability for NovationPeak {
    fn create_edit_buffer_request(&self, _channel: u8) -> Vec<u8> {
        let mut m = vec![0xF0];
        m.extend(NOVATION);
        m.extend(self.product);
        m.extend([0x40, 0, 0, 0, 0, 0, 0xF7]);
        m
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        self.is(data, EDIT)
    }
    fn convert_to_edit_buffer(&self, _channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        self.patch(data).then(|| self.with_place(data, EDIT, 0, 0))
    }
}

impl ProgramDumpCapability for NovationPeak {
    fn create_program_dump_request(&self, _channel: u8, number: u32) -> Vec<u8> {
        let mut m = vec![0xF0];
        m.extend(NOVATION);
        m.extend(self.product);
        let bank = (number / 128 % 4) as u8;
        m.extend([0x41, 0, 0, 0, bank + 1, (number % 128) as u8, 0xF7]);
        m
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        self.is(data, STORED)
    }
    fn convert_to_program_dump(&self, _channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        self.patch(data)
            .then(|| self.with_place(data, STORED, (number / 128 % 4) as u8, (number % 128) as u8))
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        self.is(data, STORED)
            .then(|| u32::from(data[12] % 4) * 128 + u32::from(data[13] % 128))
    }
}
