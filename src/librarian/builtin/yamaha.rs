//! Yamaha DX7 family: single voice dumps (`F0 43 0n 00 01 1B` + 155 bytes + checksum, the
//! edit buffer) and 32-voice bulk dumps (`F0 43 0n 09 20 00` + 32 × 128 packed voices +
//! checksum). Checksum: `(-Σ data) & 0x7F`.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability,
};
use crate::librarian::sysex::{self, SysexError};

const YAMAHA: u8 = 0x43;
/// Size of an unpacked (single) voice.
pub const VOICE_SIZE: usize = 155;
/// Size of a packed voice in a bulk dump.
pub const PACKED_VOICE_SIZE: usize = 128;
const VOICES_PER_BANK: usize = 32;
const SINGLE_HEADER: [u8; 3] = [0x00, 0x01, 0x1B];
const BANK_HEADER: [u8; 3] = [0x09, 0x20, 0x00];
const NAME_AT: usize = 145;
const NAME_LEN: usize = 10;

/// A DX7-format synth (DX7, TX7, TX816 modules, DX7 II voice banks).
pub struct YamahaDx7 {
    name: &'static str,
}

impl YamahaDx7 {
    /// The Yamaha DX7.
    pub fn dx7() -> Self {
        Self { name: "Yamaha DX7" }
    }
    /// The Yamaha TX7 (same voice format).
    pub fn tx7() -> Self {
        Self { name: "Yamaha TX7" }
    }
}

fn is_kind(m: &[u8], header: [u8; 3], size: usize) -> bool {
    m.len() == size + 8
        && m[0] == 0xF0
        && m[1] == YAMAHA
        && m[2] & 0xF0 == 0
        && m[3..6] == header
        && m[m.len() - 1] == 0xF7
}

fn is_single(m: &[u8]) -> bool {
    is_kind(m, SINGLE_HEADER, VOICE_SIZE) && checksum_ok(m)
}

/// True for a single voice dump (format 0, 155 bytes) with a valid checksum.
pub(crate) fn is_single_voice(m: &[u8]) -> bool {
    is_single(m)
}

fn is_bank(m: &[u8]) -> bool {
    is_kind(m, BANK_HEADER, PACKED_VOICE_SIZE * VOICES_PER_BANK) && checksum_ok(m)
}

fn checksum_ok(m: &[u8]) -> bool {
    sysex::yamaha_checksum(&m[6..m.len() - 2]) == m[m.len() - 2]
}

/// Wraps 155 voice bytes as a single voice dump for `channel`.
pub fn single_voice(channel: u8, voice: &[u8]) -> Vec<u8> {
    let mut m = vec![0xF0, YAMAHA, channel & 0x0F];
    m.extend_from_slice(&SINGLE_HEADER);
    m.extend_from_slice(voice);
    m.push(sysex::yamaha_checksum(voice));
    m.push(0xF7);
    m
}

/// Unpacks a 128-byte bulk-dump voice into the 155-byte single-voice layout.
pub fn unpack_voice(p: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(VOICE_SIZE);
    for op in 0..6 {
        let o = &p[op * 17..op * 17 + 17];
        v.extend_from_slice(&o[..11]); // EG rates/levels, break point, depths
        v.push(o[11] & 0x03); // left curve
        v.push((o[11] >> 2) & 0x03); // right curve
        v.push(o[12] & 0x07); // rate scaling
        v.push(o[13] & 0x03); // amp mod sensitivity
        v.push((o[13] >> 2) & 0x07); // key velocity sensitivity
        v.push(o[14]); // output level
        v.push(o[15] & 0x01); // oscillator mode
        v.push((o[15] >> 1) & 0x1F); // frequency coarse
        v.push(o[16]); // frequency fine
        v.push((o[12] >> 3) & 0x0F); // detune
    }
    let g = &p[102..];
    v.extend_from_slice(&g[..8]); // pitch EG
    v.push(g[8] & 0x1F); // algorithm
    v.push(g[9] & 0x07); // feedback
    v.push((g[9] >> 3) & 0x01); // osc key sync
    v.extend_from_slice(&g[10..14]); // LFO speed, delay, PMD, AMD
    v.push(g[14] & 0x01); // LFO key sync
    v.push((g[14] >> 1) & 0x07); // LFO wave
    v.push((g[14] >> 4) & 0x07); // pitch mod sensitivity
    v.push(g[15]); // transpose
    v.extend_from_slice(&g[16..26]); // name
    v
}

impl Adaptation for YamahaDx7 {
    fn name(&self) -> String {
        self.name.into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        // The DX7 has no identity reply: ask for the edit buffer and accept the voice.
        vec![0xF0, YAMAHA, 0x20 | (channel & 0x0F), 0x00, 0xF7]
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        is_single(m).then_some(m[2] & 0x0F)
    }
    fn device_detect_wait_ms(&self) -> u64 {
        300
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn bank_dump(&self) -> Option<&dyn BankDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        vec![BankDescriptor::new(0, "Internal", 32)]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("{:02}", program + 1)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        is_single(data).then(|| sysex::name_from_bytes(&data[6 + NAME_AT..6 + NAME_AT + NAME_LEN]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        if !is_single(data) {
            return None;
        }
        let mut voice = data[6..6 + VOICE_SIZE].to_vec();
        sysex::set_name(&mut voice[NAME_AT..], name, b' ');
        Some(single_voice(data[2], &voice))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "INIT VOICE"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        if is_single(data) {
            let mut voice = data[6..6 + VOICE_SIZE].to_vec();
            voice[NAME_AT..].fill(0);
            sysex::digest_hex(&[&voice])
        } else {
            sysex::digest_hex(&[data])
        }
    }
    fn message_delay_ms(&self) -> u64 {
        100
    }
    fn setup_help(&self) -> String {
        format!(
            "{}: set SYS INFO AVAIL (function 8, press 8 until 'SYS INFO AVAIL') and turn \
             memory protect off before receiving banks. The DX7 cannot be asked for single \
             stored voices; banks are read with a 32-voice bulk request.",
            self.name
        )
    }
    fn check_message(&self, m: &[u8]) -> Result<(), SysexError> {
        let single = is_kind(m, SINGLE_HEADER, VOICE_SIZE);
        let bank = is_kind(m, BANK_HEADER, PACKED_VOICE_SIZE * VOICES_PER_BANK);
        if (single || bank) && !checksum_ok(m) {
            return Err(SysexError::Checksum {
                what: format!(
                    "Yamaha {}",
                    if bank {
                        "32-voice bulk dump"
                    } else {
                        "voice dump"
                    }
                ),
                stored: m[m.len() - 2].into(),
                computed: sysex::yamaha_checksum(&m[6..m.len() - 2]).into(),
            });
        }
        let looks_yamaha = m.len() > 6 && m[1] == YAMAHA && m[2] & 0xF0 == 0;
        if looks_yamaha && (m[3..6] == SINGLE_HEADER || m[3..6] == BANK_HEADER) && !single && !bank
        {
            let expected = if m[3..6] == BANK_HEADER { 4104 } else { 163 };
            return Err(SysexError::Length {
                what: "Yamaha DX7 dump".into(),
                expected,
                found: m.len(),
            });
        }
        Ok(())
    }
}

impl EditBufferCapability for YamahaDx7 {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        vec![0xF0, YAMAHA, 0x20 | (channel & 0x0F), 0x00, 0xF7]
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        is_single(data)
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        is_single(data).then(|| single_voice(channel, &data[6..6 + VOICE_SIZE]))
    }
}

impl BankDumpCapability for YamahaDx7 {
    fn create_bank_dump_request(&self, channel: u8, _bank: u32) -> Option<Vec<u8>> {
        Some(vec![0xF0, YAMAHA, 0x20 | (channel & 0x0F), 0x09, 0xF7])
    }
    fn is_part_of_bank_dump(&self, m: &[u8]) -> bool {
        is_bank(m)
    }
    fn is_bank_dump_finished(&self, messages: &[Vec<u8>]) -> bool {
        messages.iter().any(|m| is_bank(m))
    }
    fn extract_patches_from_bank(&self, messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
        messages
            .iter()
            .filter(|m| is_bank(m))
            .flat_map(|m| {
                m[6..6 + PACKED_VOICE_SIZE * VOICES_PER_BANK]
                    .chunks_exact(PACKED_VOICE_SIZE)
                    .map(|p| single_voice(m[2], &unpack_voice(p)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}
