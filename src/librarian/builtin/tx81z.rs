//! Yamaha TX81Z (4-operator FM): a voice is a VCED dump (`F0 43 0n 03 00 5D` + 93 bytes +
//! checksum), on the TX81Z preceded by its ACED dump (`F0 43 0n 7E 00 21 "LM  8976AE"` + 23
//! bytes + checksum) holding the TX81Z-only operator data (fixed frequency, fine ratio, wave,
//! EG shift, reverb, foot controller). A bank is a VMEM dump (`F0 43 0n 04 20 00` + 32 × 128
//! packed voices + checksum). Checksum: `(-Σ data) & 0x7F` over the bytes after the byte
//! count (for ACED this includes the `LM  8976AE` signature). Names: VCED bytes 77-86, VMEM
//! record bytes 57-66.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability, PartOf,
};
use crate::librarian::sysex::{self, SysexError};

const YAMAHA: u8 = 0x43;
const VCED_LEN: usize = 93;
const ACED_LEN: usize = 23;
const VMEM_VOICE: usize = 128;
const VOICES: usize = 32;
/// The ACED signature (10 ASCII bytes after the byte count).
pub const ACED_SIGNATURE: &[u8; 10] = b"LM  8976AE";
const VCED_NAME: usize = 77;
const VMEM_NAME: usize = 57;
const NAME_LEN: usize = 10;

/// The Yamaha TX81Z (and its VCED/VMEM siblings' voices).
pub struct Tx81z;

fn checksum_ok(m: &[u8]) -> bool {
    m.len() > 8 && sysex::yamaha_checksum(&m[6..m.len() - 2]) == m[m.len() - 2]
}

fn shape(m: &[u8], format: u8, count: usize) -> bool {
    m.len() == count + 8
        && m[0] == 0xF0
        && m[1] == YAMAHA
        && m[2] & 0xF0 == 0
        && m[3] == format
        && usize::from(m[4]) << 7 | usize::from(m[5]) == count
        && m[m.len() - 1] == 0xF7
}

fn is_vced(m: &[u8]) -> bool {
    shape(m, 0x03, VCED_LEN) && checksum_ok(m)
}

fn is_aced(m: &[u8]) -> bool {
    shape(m, 0x7E, ACED_SIGNATURE.len() + ACED_LEN) && &m[6..16] == ACED_SIGNATURE && checksum_ok(m)
}

fn is_vmem(m: &[u8]) -> bool {
    shape(m, 0x04, VMEM_VOICE * VOICES) && checksum_ok(m)
}

/// A dump message: `F0 43 0n format count(2) data checksum F7`.
fn dump(channel: u8, format: u8, data: &[u8]) -> Vec<u8> {
    let mut m = vec![
        0xF0,
        YAMAHA,
        channel & 0x0F,
        format,
        (data.len() >> 7) as u8 & 0x7F,
        data.len() as u8 & 0x7F,
    ];
    m.extend_from_slice(data);
    m.push(sysex::yamaha_checksum(data));
    m.push(0xF7);
    m
}

/// Builds an ACED dump from its 23 data bytes.
pub fn aced(channel: u8, data: &[u8]) -> Vec<u8> {
    let mut d = ACED_SIGNATURE.to_vec();
    d.extend_from_slice(data);
    dump(channel, 0x7E, &d)
}

/// Builds a VCED dump from its 93 data bytes.
pub fn vced(channel: u8, data: &[u8]) -> Vec<u8> {
    dump(channel, 0x03, data)
}

/// (ACED data if present, VCED data) of a voice: one VCED, or ACED then VCED.
fn parts(data: &[u8]) -> Option<(Option<&[u8]>, &[u8])> {
    let ms = sysex::messages_strict(data).ok()?;
    match ms.as_slice() {
        [v] if is_vced(v) => Some((None, &v[6..6 + VCED_LEN])),
        [a, v] if is_aced(a) && is_vced(v) => {
            Some((Some(&a[16..16 + ACED_LEN]), &v[6..6 + VCED_LEN]))
        }
        _ => None,
    }
}

fn rebuild(channel: u8, a: Option<&[u8]>, v: &[u8]) -> Vec<u8> {
    let mut out = a.map(|a| aced(channel, a)).unwrap_or_default();
    out.extend(vced(channel, v));
    out
}

/// Unpacks one 128-byte VMEM record into (ACED 23 bytes, VCED 93 bytes).
pub fn unpack_vmem(p: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut v = Vec::with_capacity(VCED_LEN);
    for op in 0..4 {
        let o = &p[op * 10..op * 10 + 10];
        v.extend_from_slice(&o[..6]); // AR D1R D2R RR D1L LS
        v.push((o[9] >> 3) & 0x03); // rate scaling
        v.push((o[6] >> 3) & 0x07); // EG bias sensitivity
        v.push((o[6] >> 6) & 0x01); // amplitude modulation enable
        v.push(o[6] & 0x07); // key velocity sensitivity
        v.push(o[7]); // output level
        v.push(o[8]); // frequency (coarse)
        v.push(o[9] & 0x07); // detune
    }
    let g = &p[40..];
    v.push(g[0] & 0x07); // algorithm
    v.push((g[0] >> 3) & 0x07); // feedback
    v.extend_from_slice(&g[1..5]); // LFO speed, delay, PMD, AMD
    v.push((g[0] >> 6) & 0x01); // LFO sync
    v.push(g[5] & 0x03); // LFO wave
    v.push((g[5] >> 4) & 0x07); // pitch mod sensitivity
    v.push((g[5] >> 2) & 0x03); // amplitude mod sensitivity
    v.push(g[6]); // transpose
    v.push((g[8] >> 3) & 0x01); // poly / mono
    v.push(g[7]); // pitch bend range
    v.push(g[8] & 0x01); // portamento mode
    v.push(g[9]); // portamento time
    v.push(g[10]); // foot volume
    v.push((g[8] >> 2) & 0x01); // sustain foot switch
    v.push((g[8] >> 1) & 0x01); // portamento foot switch
    v.push((g[8] >> 4) & 0x01); // chorus
    v.extend_from_slice(&g[11..17]); // MW pitch, MW amp, BC pitch, BC amp, BC bias, BC EG
    v.extend_from_slice(&p[VMEM_NAME..VMEM_NAME + NAME_LEN]); // name
    v.extend_from_slice(&p[67..73]); // pitch EG
    let mut a = Vec::with_capacity(ACED_LEN);
    for op in 0..4 {
        let (x, y) = (p[73 + 2 * op], p[74 + 2 * op]);
        a.push((x >> 3) & 0x01); // fixed frequency
        a.push(x & 0x07); // fixed range
        a.push(y & 0x0F); // frequency fine
        a.push((y >> 4) & 0x07); // wave
        a.push((x >> 4) & 0x03); // EG shift
    }
    a.extend_from_slice(&p[81..84]); // reverb, FC pitch, FC amp
    (a, v)
}

impl Adaptation for Tx81z {
    fn name(&self) -> String {
        "Yamaha TX81Z".into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        self.create_edit_buffer_request(channel)
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (is_aced(m) || is_vced(m)).then_some(m[2] & 0x0F)
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
        vec![BankDescriptor::new(0, "I", 32)]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("I{:02}", program + 1)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        let (_, v) = parts(data)?;
        Some(sysex::name_from_bytes(&v[VCED_NAME..VCED_NAME + NAME_LEN]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let (a, v) = parts(data)?;
        let mut v = v.to_vec();
        sysex::set_name(&mut v[VCED_NAME..VCED_NAME + NAME_LEN], name, b' ');
        Some(rebuild(data[2], a, &v))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "INIT VOICE"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match parts(data) {
            Some((a, v)) => {
                let mut v = v.to_vec();
                v[VCED_NAME..VCED_NAME + NAME_LEN].fill(0);
                sysex::digest_hex(&[a.unwrap_or(&[]), &v])
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn message_delay_ms(&self) -> u64 {
        100
    }
    fn setup_help(&self) -> String {
        "Yamaha TX81Z: UTILITY > SYS: set Sys Info AVAIL and memory protect OFF; the basic \
         receive channel is the channel octa uses. Voices are read as ACED + VCED dumps, banks \
         as 32-voice VMEM dumps."
            .into()
    }
    fn check_message(&self, m: &[u8]) -> Result<(), SysexError> {
        let kind = if shape(m, 0x03, VCED_LEN) {
            "VCED voice dump"
        } else if shape(m, 0x04, VMEM_VOICE * VOICES) {
            "VMEM 32-voice bulk dump"
        } else if shape(m, 0x7E, ACED_SIGNATURE.len() + ACED_LEN) && &m[6..16] == ACED_SIGNATURE {
            "ACED additional voice dump"
        } else {
            return Ok(());
        };
        if checksum_ok(m) {
            return Ok(());
        }
        Err(SysexError::Checksum {
            what: format!("Yamaha TX81Z {kind}"),
            stored: m[m.len() - 2].into(),
            computed: sysex::yamaha_checksum(&m[6..m.len() - 2]).into(),
        })
    }
}

impl EditBufferCapability for Tx81z {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        let mut m = vec![0xF0, YAMAHA, 0x20 | (channel & 0x0F), 0x7E];
        m.extend_from_slice(ACED_SIGNATURE);
        m.push(0xF7);
        m
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        parts(data).is_some()
    }
    fn is_part_of_edit_buffer_dump(&self, m: &[u8]) -> PartOf {
        if is_aced(m) || is_vced(m) {
            PartOf::Yes
        } else {
            PartOf::No
        }
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        let (a, v) = parts(data)?;
        Some(rebuild(channel, a, v))
    }
}

impl BankDumpCapability for Tx81z {
    fn create_bank_dump_request(&self, channel: u8, _bank: u32) -> Option<Vec<u8>> {
        Some(vec![0xF0, YAMAHA, 0x20 | (channel & 0x0F), 0x04, 0xF7])
    }
    fn is_part_of_bank_dump(&self, m: &[u8]) -> bool {
        is_vmem(m)
    }
    fn is_bank_dump_finished(&self, messages: &[Vec<u8>]) -> bool {
        messages.iter().any(|m| is_vmem(m))
    }
    fn extract_patches_from_bank(&self, messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
        messages
            .iter()
            .filter(|m| is_vmem(m))
            .flat_map(|m| {
                m[6..6 + VMEM_VOICE * VOICES]
                    .chunks_exact(VMEM_VOICE)
                    .map(|p| {
                        let (a, v) = unpack_vmem(p);
                        rebuild(m[2], Some(&a), &v)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}
