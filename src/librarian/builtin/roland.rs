//! Roland JV-1080 / JV-2080 and XV-3080 / XV-5080: one parametrised implementation. A patch is
//! one DT1 message per block (`F0 41 dev model.. 12 a a a a data sum F7`) at
//! `area slot block 00`: the temporary (edit buffer) patch is one area, the user patches
//! another with the patch number as second address byte. Checksum: `(-Σ address+data) & 0x7F`.
//!
//! - JV-1080 / JV-2080 (model `6A`): common block (`00`, 0x48 bytes, 0x4A on the JV-2080)
//!   and four tones (`10 12 14 16`, 0x81 bytes); temporary patch `03`, user patches `11`.
//! - XV-3080 / XV-5080 (model `00 10`): common (`00`, 0x4F), MFX (`02`, 0x111), chorus (`04`,
//!   0x34), reverb (`06`, 0x53), tone mix table (`10`, 0x29) and four tones (`20 22 24 26`,
//!   0x109; sizes in Roland 7-bit notation); temporary patch `1F`, user patches `30`.
//!
//! The name is the first 12 bytes of the common block.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, PartOf, ProgramDumpCapability,
};
use crate::librarian::sysex::{self, SysexError};

const ROLAND: u8 = 0x41;
const DT1: u8 = 0x12;
const RQ1: u8 = 0x11;
const NAME_LEN: usize = 12;

/// One Roland patch format.
pub struct Spec {
    name: &'static str,
    model: &'static [u8],
    temp_area: u8,
    user_area: u8,
    /// Third address byte of each block and the data sizes it may have.
    blocks: &'static [(u8, &'static [usize])],
    /// Size of a whole patch in Roland 7-bit address units (for RQ1).
    patch_size: [u8; 4],
    /// Identity reply family code (`F0 7E dev 06 02 41 family..`), when the synth answers one.
    identity: Option<[u8; 2]>,
    help: &'static str,
}

const JV1080: Spec = Spec {
    name: "Roland JV-1080",
    model: &[0x6A],
    temp_area: 0x03,
    user_area: 0x11,
    blocks: &[
        (0x00, &[0x48, 0x4A]),
        (0x10, &[0x81]),
        (0x12, &[0x81]),
        (0x14, &[0x81]),
        (0x16, &[0x81]),
    ],
    patch_size: [0x00, 0x00, 0x17, 0x01],
    identity: None,
    help: "Roland JV-1080 / JV-2080: SYSTEM > MIDI: set Rx Exclusive ON and note the Device ID \
           (17 = channel 1). Patches are stored with five DT1 messages each.",
};

const XV3080: Spec = Spec {
    name: "Roland XV-3080",
    model: &[0x00, 0x10],
    temp_area: 0x1F,
    user_area: 0x30,
    blocks: &[
        (0x00, &[0x4F]),
        (0x02, &[0x91]),
        (0x04, &[0x34]),
        (0x06, &[0x53]),
        (0x10, &[0x29]),
        (0x20, &[0x89]),
        (0x22, &[0x89]),
        (0x24, &[0x89]),
        (0x26, &[0x89]),
    ],
    patch_size: [0x00, 0x00, 0x27, 0x09],
    identity: Some([0x10, 0x01]),
    help: "Roland XV-3080 / XV-5080: SYSTEM/COMMON: set Receive Exclusive ON and use Patch \
           mode; the Device ID 17 is channel 1. Patches are stored with nine DT1 messages each.",
};

/// A Roland synth of the JV / XV families.
pub struct Roland {
    spec: &'static Spec,
}

/// The JV-1080 (also reads JV-2080 patches).
#[allow(non_upper_case_globals)]
pub const RolandJv1080: Roland = Roland { spec: &JV1080 };

impl Roland {
    /// Roland JV-1080 and JV-2080 (model 6A).
    pub const fn jv1080() -> Self {
        Self { spec: &JV1080 }
    }
    /// Roland XV-3080 and XV-5080 (model 00 10).
    pub const fn xv3080() -> Self {
        Self { spec: &XV3080 }
    }

    /// Offset of the first address byte.
    fn at(&self) -> usize {
        4 + self.spec.model.len()
    }

    fn is_dt1(&self, m: &[u8]) -> bool {
        let a = self.at();
        m.len() >= a + 7
            && m[0] == 0xF0
            && m[1] == ROLAND
            && &m[3..3 + self.spec.model.len()] == self.spec.model
            && m[a - 1] == DT1
            && m[m.len() - 1] == 0xF7
    }

    fn checksum_ok(&self, m: &[u8]) -> bool {
        sysex::roland_checksum(&m[self.at()..m.len() - 2]) == m[m.len() - 2]
    }

    /// The DT1 messages of a patch, when `data` is a whole patch in `area`.
    fn blocks<'a>(&self, data: &'a [u8], area: u8) -> Option<Vec<&'a [u8]>> {
        let ms = sysex::messages_strict(data).ok()?;
        if ms.len() != self.spec.blocks.len() {
            return None;
        }
        let a = self.at();
        let slot = ms[0].get(a + 1).copied()?;
        for (m, (b, sizes)) in ms.iter().zip(self.spec.blocks) {
            if !self.is_dt1(m)
                || !sizes.contains(&(m.len() - a - 6))
                || m[a..a + 4] != [area, slot, *b, 0]
                || !self.checksum_ok(m)
            {
                return None;
            }
        }
        if area == self.spec.temp_area && slot != 0 {
            return None;
        }
        Some(ms)
    }

    fn any_patch<'a>(&self, data: &'a [u8]) -> Option<Vec<&'a [u8]>> {
        self.blocks(data, self.spec.user_area)
            .or_else(|| self.blocks(data, self.spec.temp_area))
    }

    /// Rewrites every block to `area`/`slot`/device with fresh checksums, optionally renaming.
    fn rebuild(&self, ms: &[&[u8]], device: u8, area: u8, slot: u8, name: Option<&str>) -> Vec<u8> {
        let a = self.at();
        let mut out = Vec::new();
        for (i, m) in ms.iter().enumerate() {
            let mut n = m.to_vec();
            n[2] = device;
            n[a] = area;
            n[a + 1] = slot;
            if let (0, Some(name)) = (i, name) {
                sysex::set_name(&mut n[a + 4..a + 4 + NAME_LEN], name, b' ');
            }
            let l = n.len();
            n[l - 2] = sysex::roland_checksum(&n[a..l - 2]);
            out.extend(n);
        }
        out
    }

    fn rq1(&self, device: u8, addr: [u8; 4], size: [u8; 4]) -> Vec<u8> {
        let mut m = vec![0xF0, ROLAND, device];
        m.extend_from_slice(self.spec.model);
        m.push(RQ1);
        m.extend_from_slice(&addr);
        m.extend_from_slice(&size);
        m.push(sysex::roland_checksum(&m[self.at()..]));
        m.push(0xF7);
        m
    }
}

fn device_id(channel: u8) -> u8 {
    0x10 + (channel & 0x0F)
}

fn part(yes: bool) -> PartOf {
    if yes { PartOf::Yes } else { PartOf::No }
}

impl Adaptation for Roland {
    fn name(&self) -> String {
        self.spec.name.into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        match self.spec.identity {
            Some(_) => vec![0xF0, 0x7E, device_id(channel), 0x06, 0x01, 0xF7],
            None => self.rq1(
                device_id(channel),
                [self.spec.temp_area, 0, 0, 0],
                [0, 0, 0, NAME_LEN as u8],
            ),
        }
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        let dev = *m.get(2)?;
        if !(0x10..0x20).contains(&dev) {
            return None;
        }
        let ok = match self.spec.identity {
            Some(family) => {
                m.len() >= 10
                    && m[..2] == [0xF0, 0x7E]
                    && m[3..6] == [0x06, 0x02, ROLAND]
                    && m[6..8] == family
            }
            None => self.is_dt1(m),
        };
        ok.then(|| dev - 0x10)
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn program_dump(&self) -> Option<&dyn ProgramDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        vec![BankDescriptor::new(0, "User", 128)]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("USER:{:03}", program + 1)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        let ms = self.any_patch(data)?;
        let a = self.at() + 4;
        Some(sysex::name_from_bytes(&ms[0][a..a + NAME_LEN]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let ms = self.any_patch(data)?;
        let a = self.at();
        Some(self.rebuild(&ms, ms[0][2], ms[0][a], ms[0][a + 1], Some(name)))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "INIT PATCH"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match self.any_patch(data) {
            Some(ms) => {
                let a = self.at() + 4;
                let mut parts: Vec<Vec<u8>> =
                    ms.iter().map(|m| m[a..m.len() - 2].to_vec()).collect();
                parts[0][..NAME_LEN].fill(0);
                let refs: Vec<&[u8]> = parts.iter().map(|p| p.as_slice()).collect();
                sysex::digest_hex(&refs)
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn message_delay_ms(&self) -> u64 {
        50
    }
    fn setup_help(&self) -> String {
        self.spec.help.into()
    }
    fn check_message(&self, m: &[u8]) -> Result<(), SysexError> {
        if self.is_dt1(m) && !self.checksum_ok(m) {
            let a = self.at();
            return Err(SysexError::Checksum {
                what: format!("Roland DT1 at address {}", sysex::to_hex(&m[a..a + 4])),
                stored: m[m.len() - 2].into(),
                computed: sysex::roland_checksum(&m[a..m.len() - 2]).into(),
            });
        }
        Ok(())
    }
}

impl EditBufferCapability for Roland {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        self.rq1(
            device_id(channel),
            [self.spec.temp_area, 0, 0, 0],
            self.spec.patch_size,
        )
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        self.blocks(data, self.spec.temp_area).is_some()
    }
    fn is_part_of_edit_buffer_dump(&self, m: &[u8]) -> PartOf {
        part(self.is_dt1(m) && m[self.at()] == self.spec.temp_area)
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        let ms = self.any_patch(data)?;
        Some(self.rebuild(&ms, device_id(channel), self.spec.temp_area, 0, None))
    }
}

impl ProgramDumpCapability for Roland {
    fn create_program_dump_request(&self, channel: u8, number: u32) -> Vec<u8> {
        self.rq1(
            device_id(channel),
            [self.spec.user_area, (number & 0x7F) as u8, 0, 0],
            self.spec.patch_size,
        )
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        self.blocks(data, self.spec.user_area).is_some()
    }
    fn is_part_of_single_program_dump(&self, m: &[u8]) -> PartOf {
        part(self.is_dt1(m) && m[self.at()] == self.spec.user_area)
    }
    fn convert_to_program_dump(&self, channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        let ms = self.any_patch(data)?;
        Some(self.rebuild(
            &ms,
            device_id(channel),
            self.spec.user_area,
            (number & 0x7F) as u8,
            None,
        ))
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        let a = self.at();
        self.blocks(data, self.spec.user_area)
            .map(|ms| u32::from(ms[0][a + 1]))
    }
}
