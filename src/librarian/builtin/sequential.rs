//! DSI / Sequential synths: program dumps `F0 01 id 02 bank prog <packed> F7`, edit buffers
//! `F0 01 id 03 <packed> F7`, LSB-first 8-in-7 packing, name at a fixed raw offset.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex::{self, BitOrder};

/// The universal identity request.
pub const IDENTITY_REQUEST: [u8; 6] = [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7];

/// One DSI/Sequential model.
pub struct Sequential {
    name: &'static str,
    /// Accepted device ids; the first is used when sending.
    ids: &'static [u8],
    banks: u32,
    per_bank: u32,
    name_at: usize,
    name_len: usize,
}

impl Sequential {
    const fn new(
        name: &'static str,
        ids: &'static [u8],
        banks: u32,
        per_bank: u32,
        name_at: usize,
        name_len: usize,
    ) -> Self {
        Self {
            name,
            ids,
            banks,
            per_bank,
            name_at,
            name_len,
        }
    }
    /// DSI Prophet '08 (keyboard 23, module 24).
    pub fn prophet08() -> Self {
        Self::new("DSI Prophet 08", &[0x23, 0x24], 2, 128, 184, 16)
    }
    /// Sequential OB-6 (desktop and keyboard).
    pub fn ob6() -> Self {
        Self::new("Sequential OB-6", &[0x2E], 10, 100, 107, 20)
    }
    /// DSI Tetra (same program layout as the Prophet '08).
    pub fn tetra() -> Self {
        Self::new("DSI Tetra", &[0x26], 4, 128, 184, 16)
    }
    /// DSI Mopho, Mopho Keyboard, SE and x4.
    pub fn mopho() -> Self {
        Self::new("DSI Mopho", &[0x25, 0x27, 0x29], 3, 128, 184, 16)
    }
    /// Sequential Prophet-6 (same layout as the OB-6).
    pub fn prophet6() -> Self {
        Self::new("Sequential Prophet 6", &[0x2D], 10, 100, 107, 20)
    }
    /// Sequential Trigon-6.
    pub fn trigon6() -> Self {
        Self::new("Sequential Trigon-6", &[0x39], 10, 128, 100, 20)
    }

    fn own(&self, m: &[u8], cmd: u8, header: usize) -> bool {
        m.len() > header + 1
            && m[0] == 0xF0
            && m[1] == 0x01
            && self.ids.contains(&m[2])
            && m[3] == cmd
            && m[m.len() - 1] == 0xF7
            && sysex::unpacked_len(m.len() - header - 1) >= self.name_at + self.name_len
    }
    fn is_program(&self, m: &[u8]) -> bool {
        self.own(m, 0x02, 6)
    }
    fn is_edit(&self, m: &[u8]) -> bool {
        self.own(m, 0x03, 4)
    }
    /// (header length, raw data) of a program or edit buffer dump.
    fn raw(&self, m: &[u8]) -> Option<(usize, Vec<u8>)> {
        let header = if self.is_program(m) {
            6
        } else if self.is_edit(m) {
            4
        } else {
            return None;
        };
        Some((
            header,
            sysex::unpack_7bit(&m[header..m.len() - 1], BitOrder::LsbFirst),
        ))
    }
    fn build(&self, head: &[u8], raw: &[u8]) -> Vec<u8> {
        let mut m = head.to_vec();
        m.extend(sysex::pack_7bit(raw, BitOrder::LsbFirst));
        m.push(0xF7);
        m
    }
    fn name_range(&self) -> std::ops::Range<usize> {
        self.name_at..self.name_at + self.name_len
    }
}

impl Adaptation for Sequential {
    fn name(&self) -> String {
        self.name.into()
    }
    fn create_device_detect_message(&self, _channel: u8) -> Vec<u8> {
        IDENTITY_REQUEST.to_vec()
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        let ok = m.len() >= 15
            && m[..2] == [0xF0, 0x7E]
            && m[3..5] == [0x06, 0x02]
            && m[5] == 0x01
            && self.ids.contains(&m[6]);
        // Omni (7F) and MPE (10) replies carry no channel: treat them as channel 1.
        ok.then(|| if m[2] > 0x0F { 0 } else { m[2] })
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
        (0..self.banks)
            .map(|b| BankDescriptor::new(b, format!("Bank {}", b + 1), self.per_bank))
            .collect()
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!(
            "{}-{:03}",
            program / self.per_bank + 1,
            program % self.per_bank + 1
        )
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        let (_, raw) = self.raw(data)?;
        raw.get(self.name_range()).map(sysex::name_from_bytes)
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let (header, mut raw) = self.raw(data)?;
        sysex::set_name(raw.get_mut(self.name_range())?, name, b' ');
        Some(self.build(&data[..header], &raw))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "Basic Program" || t == "Init Program"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match self.raw(data) {
            Some((_, mut raw)) => {
                if let Some(n) = raw.get_mut(self.name_range()) {
                    n.fill(0);
                }
                sysex::digest_hex(&[&raw])
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn setup_help(&self) -> String {
        format!(
            "{}: in GLOBALS set MIDI SysEx to on (and the SysEx port to the one octa uses). \
             The synth answers the universal identity request.",
            self.name
        )
    }
}

impl EditBufferCapability for Sequential {
    fn create_edit_buffer_request(&self, _channel: u8) -> Vec<u8> {
        vec![0xF0, 0x01, self.ids[0], 0x06, 0xF7]
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        self.is_edit(data)
    }
    fn convert_to_edit_buffer(&self, _channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        let (_, raw) = self.raw(data)?;
        Some(self.build(&[0xF0, 0x01, data[2], 0x03], &raw))
    }
}

impl ProgramDumpCapability for Sequential {
    fn create_program_dump_request(&self, _channel: u8, number: u32) -> Vec<u8> {
        let bank = (number / self.per_bank) as u8 & 0x7F;
        let prog = (number % self.per_bank) as u8 & 0x7F;
        vec![0xF0, 0x01, self.ids[0], 0x05, bank, prog, 0xF7]
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        self.is_program(data)
    }
    fn convert_to_program_dump(&self, _channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        let (_, raw) = self.raw(data)?;
        let bank = (number / self.per_bank) as u8 & 0x7F;
        let prog = (number % self.per_bank) as u8 & 0x7F;
        Some(self.build(&[0xF0, 0x01, data[2], 0x02, bank, prog], &raw))
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        self.is_program(data)
            .then(|| u32::from(data[4]) * self.per_bank + u32::from(data[5]))
    }
}
