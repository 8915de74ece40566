//! Yamaha DX7II / DX7s: a bank is a 32-voice VMEM bulk dump (format 9, the DX7 layout)
//! plus the DX7II's additional voice data, AMEM (format 6: 32 records of 35 packed bytes,
//! `F0 43 0n 06 08 60` + 1120 bytes + checksum). Each voice is kept together with its AMEM
//! record: a patch is the voice as a single voice dump (format 0, sendable to the edit
//! buffer) followed by its AMEM record in a one-record carrier message of the same form
//! (`F0 43 0n 06 00 23` + 35 bytes + checksum + F7). The carrier is octa's way of keeping
//! the record with its voice; it is not sent to the synth (only the voice goes to the
//! edit buffer). Universal bulk dumps (`F0 43 0n 7E`: system setup `LM  8973S `,
//! performances `LM  8973PM`, fractional scaling `LM  FKSYC `) and parameter changes are
//! recognised and kept with the import; they hold no voice.

use super::yamaha::{VOICE_SIZE, is_single_voice, single_voice, unpack_voice};
use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability,
};
use crate::librarian::sysex::{self, SysexError};

const YAMAHA: u8 = 0x43;
const VMEM: u8 = 0x09;
const AMEM: u8 = 0x06;
const UNIVERSAL: u8 = 0x7E;
const VOICES: usize = 32;
const PACKED_VOICE: usize = 128;
/// Bytes of one packed AMEM record.
pub const AMEM_RECORD: usize = 35;
const NAME_AT: usize = 145;
const NAME_LEN: usize = 10;
const SINGLE_LEN: usize = VOICE_SIZE + 8;
const CARRIER_LEN: usize = AMEM_RECORD + 8;

/// The Yamaha DX7II (and DX7s) adaptation.
pub struct YamahaDx7ii;

/// A bulk message `F0 43 0n fmt hi lo <count bytes> sum F7` with a valid checksum.
fn bulk(m: &[u8], format: u8, count: usize) -> bool {
    m.len() == count + 8
        && m[0] == 0xF0
        && m[1] == YAMAHA
        && m[2] & 0xF0 == 0
        && m[3] == format
        && (usize::from(m[4]) << 7 | usize::from(m[5])) == count
        && m[m.len() - 1] == 0xF7
        && sysex::yamaha_checksum(&m[6..m.len() - 2]) == m[m.len() - 2]
}

fn is_vmem(m: &[u8]) -> bool {
    bulk(m, VMEM, VOICES * PACKED_VOICE)
}

fn is_amem(m: &[u8]) -> bool {
    bulk(m, AMEM, VOICES * AMEM_RECORD)
}

fn is_carrier(m: &[u8]) -> bool {
    bulk(m, AMEM, AMEM_RECORD)
}

/// A universal bulk dump: `F0 43 0n 7E` then blocks of (count hi, count lo, data, sum).
fn universal_kind(m: &[u8]) -> Option<String> {
    if m.len() < 18 || m[1] != YAMAHA || m[2] & 0xF0 != 0 || m[3] != UNIVERSAL {
        return None;
    }
    let mut p = 4;
    while p + 2 < m.len() - 1 {
        let n = usize::from(m[p]) << 7 | usize::from(m[p + 1]);
        let block = m.get(p + 2..p + 2 + n)?;
        let sum = *m.get(p + 2 + n)?;
        if sysex::yamaha_checksum(block) != sum {
            return None;
        }
        p += 3 + n;
    }
    if p != m.len() - 1 {
        return None;
    }
    let class = String::from_utf8_lossy(&m[6..16]).to_string();
    let what = match class.as_str() {
        "LM  8973S " => "system setup",
        "LM  8973PM" => "performances",
        "LM  8973PE" => "performance edit buffer",
        "LM  FKSYC " => "fractional scaling",
        "LM  MCRYC " | "LM  MCRYE " => "micro tuning",
        _ => "data",
    };
    Some(format!("universal bulk dump '{class}' ({what})"))
}

fn is_parameter_change(m: &[u8]) -> bool {
    m.len() == 7 && m[1] == YAMAHA && m[2] & 0xF0 == 0x10 && m[6] == 0xF7
}

/// (voice single dump, AMEM carrier) of a patch: the voice alone or voice + carrier.
fn parts(data: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    if data.len() == SINGLE_LEN && is_single_voice(data) {
        return Some((data, None));
    }
    if data.len() == SINGLE_LEN + CARRIER_LEN {
        let (v, a) = data.split_at(SINGLE_LEN);
        if is_single_voice(v) && is_carrier(a) {
            return Some((v, Some(a)));
        }
    }
    None
}

/// The one-record carrier for an AMEM record.
pub fn amem_carrier(channel: u8, record: &[u8]) -> Vec<u8> {
    let mut m = vec![0xF0, YAMAHA, channel & 0x0F, AMEM, 0x00, AMEM_RECORD as u8];
    m.extend_from_slice(record);
    m.push(sysex::yamaha_checksum(record));
    m.push(0xF7);
    m
}

impl Adaptation for YamahaDx7ii {
    fn name(&self) -> String {
        "Yamaha DX7II".into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        // No identity reply: ask for the system setup (a universal dump request).
        let mut m = vec![0xF0, YAMAHA, 0x20 | (channel & 0x0F), UNIVERSAL];
        m.extend_from_slice(b"LM  8973S ");
        m.push(0xF7);
        m
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        universal_kind(m)
            .filter(|k| k.contains("8973S "))
            .map(|_| m[2] & 0x0F)
    }
    fn device_detect_wait_ms(&self) -> u64 {
        500
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn bank_dump(&self) -> Option<&dyn BankDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        vec![BankDescriptor::new(0, "Internal", VOICES as u32)]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("{:02}", program + 1)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        let (v, _) = parts(data)?;
        Some(sysex::name_from_bytes(
            &v[6 + NAME_AT..6 + NAME_AT + NAME_LEN],
        ))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let (v, a) = parts(data)?;
        let mut voice = v[6..6 + VOICE_SIZE].to_vec();
        sysex::set_name(&mut voice[NAME_AT..], name, b' ');
        let mut out = single_voice(v[2], &voice);
        out.extend_from_slice(a.unwrap_or_default());
        Some(out)
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "INIT VOICE"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match parts(data) {
            Some((v, a)) => {
                let mut voice = v[6..6 + VOICE_SIZE].to_vec();
                voice[NAME_AT..].fill(0);
                let record = a.map_or(&[][..], |a| &a[6..6 + AMEM_RECORD]);
                sysex::digest_hex(&[&voice, record])
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn message_delay_ms(&self) -> u64 {
        100
    }
    fn setup_help(&self) -> String {
        "Yamaha DX7II: turn memory protect off (button 14) and set MIDI IN to normal \
         (button 29); without it the synth ignores sysex silently. Banks are read as a \
         32-voice VMEM dump plus its AMEM (additional voice data) dump."
            .into()
    }
    fn check_message(&self, m: &[u8]) -> Result<(), SysexError> {
        let looks = m.len() > 8 && m[1] == YAMAHA && m[2] & 0xF0 == 0;
        if looks && (m[3] == VMEM || m[3] == AMEM) {
            let count = usize::from(m[4]) << 7 | usize::from(m[5]);
            if m.len() == count + 8 {
                let computed = sysex::yamaha_checksum(&m[6..m.len() - 2]);
                if computed != m[m.len() - 2] {
                    return Err(SysexError::Checksum {
                        what: format!("Yamaha DX7II bulk dump (format {})", m[3]),
                        stored: m[m.len() - 2].into(),
                        computed: computed.into(),
                    });
                }
            }
        }
        Ok(())
    }
    fn other_data(&self, m: &[u8]) -> Option<String> {
        if is_parameter_change(m) {
            return Some("parameter change".into());
        }
        universal_kind(m)
    }
}

impl EditBufferCapability for YamahaDx7ii {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        vec![0xF0, YAMAHA, 0x20 | (channel & 0x0F), 0x00, 0xF7]
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        parts(data).is_some()
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        let (v, _) = parts(data)?;
        Some(single_voice(channel, &v[6..6 + VOICE_SIZE]))
    }
}

impl BankDumpCapability for YamahaDx7ii {
    fn create_bank_dump_request(&self, channel: u8, _bank: u32) -> Option<Vec<u8>> {
        // AMEM first, so the VMEM (which completes a bank) arrives last.
        let c = 0x20 | (channel & 0x0F);
        Some(vec![
            0xF0, YAMAHA, c, AMEM, 0xF7, 0xF0, YAMAHA, c, VMEM, 0xF7,
        ])
    }
    fn is_part_of_bank_dump(&self, m: &[u8]) -> bool {
        is_vmem(m) || is_amem(m)
    }
    fn is_bank_dump_finished(&self, messages: &[Vec<u8>]) -> bool {
        messages.iter().any(|m| is_vmem(m))
    }
    fn extract_patches_from_bank(&self, messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let Some(v) = messages.iter().find(|m| is_vmem(m)) else {
            return Vec::new();
        };
        // The AMEM that belongs to this VMEM: the last one before it in the bank.
        let a = messages.iter().rev().find(|m| is_amem(m));
        v[6..6 + VOICES * PACKED_VOICE]
            .chunks_exact(PACKED_VOICE)
            .enumerate()
            .map(|(i, p)| {
                let mut patch = single_voice(v[2], &unpack_voice(p));
                if let Some(a) = a {
                    let r = &a[6 + i * AMEM_RECORD..6 + (i + 1) * AMEM_RECORD];
                    patch.extend(amem_carrier(a[2], r));
                }
                patch
            })
            .collect()
    }
}
