//! Elektron data dumps (Analog Rytm, Digitone sounds): `F0 00 20 3C product dev cmd 01 01 obj`,
//! MSB-first 8-in-7 payload, 14-bit checksum and length field.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex::{self, BitOrder, SysexError};

const MANUFACTURER: [u8; 3] = [0x00, 0x20, 0x3C];
/// Sound dump command.
const SOUND_DUMP: u8 = 0x53;
/// Sound work-buffer ("X") dump command.
const SOUND_DUMP_X: u8 = 0x59;
const SOUND_REQUEST: u8 = 0x63;
const SOUND_REQUEST_X: u8 = 0x69;
const SETTINGS_REQUEST: u8 = 0x66;
const SETTINGS_DUMP: u8 = 0x56;
/// Raw offset and width of the name in a decoded sound.
const NAME: std::ops::Range<usize> = 12..28;
/// Magic at the start of every decoded sound.
pub const SOUND_MAGIC: [u8; 4] = [0xBE, 0xEF, 0xBA, 0xCE];

/// An Elektron box's sound dumps.
pub struct Elektron {
    name: &'static str,
    product: u8,
}

impl Elektron {
    /// Elektron Digitone (product 0D).
    pub fn digitone() -> Self {
        Self {
            name: "Elektron Digitone",
            product: 0x0D,
        }
    }
    /// Elektron Analog Rytm MKI/MKII (data dumps use product 07).
    pub fn analog_rytm() -> Self {
        Self {
            name: "Elektron Analog Rytm",
            product: 0x07,
        }
    }
    /// Elektron Analog Four / Analog Keys (product 06; sounds use magic BE EF BA BA).
    pub fn analog_four() -> Self {
        Self {
            name: "Elektron Analog Four",
            product: 0x06,
        }
    }

    fn is_own(&self, m: &[u8]) -> bool {
        m.len() >= 15 && m[0] == 0xF0 && m[1..4] == MANUFACTURER && m[4] == self.product
    }

    fn is_cmd(&self, m: &[u8], cmd: u8) -> bool {
        self.is_own(m) && m[6] == cmd && m[m.len() - 1] == 0xF7 && self.validate(m).is_ok()
    }

    /// Checks the length field and the 14-bit checksum of a dump.
    pub fn validate(&self, m: &[u8]) -> Result<(), SysexError> {
        let what = format!("{} dump", self.name);
        if m.len() < 15 {
            return Err(SysexError::Length {
                what,
                expected: 15,
                found: m.len(),
            });
        }
        let l = m.len();
        let length = usize::from(sysex::from_u14_msb(m[l - 3], m[l - 2]));
        if length != l - 10 {
            return Err(SysexError::Length {
                what: format!("{what} length field"),
                expected: l - 10,
                found: length,
            });
        }
        let stored = sysex::from_u14_msb(m[l - 5], m[l - 4]);
        let computed = sysex::elektron_checksum(&m[10..l - 5]);
        if stored != computed {
            return Err(SysexError::Checksum {
                what,
                stored: stored.into(),
                computed: computed.into(),
            });
        }
        Ok(())
    }

    /// The decoded (8-bit) payload of a dump.
    pub fn decode(&self, m: &[u8]) -> Result<Vec<u8>, SysexError> {
        self.validate(m)?;
        Ok(sysex::unpack_7bit(&m[10..m.len() - 5], BitOrder::MsbFirst))
    }

    /// Builds a dump message from a decoded payload.
    pub fn encode(&self, device: u8, cmd: u8, object: u8, raw: &[u8]) -> Vec<u8> {
        let packed = sysex::pack_7bit(raw, BitOrder::MsbFirst);
        let mut m = Vec::with_capacity(packed.len() + 15);
        m.push(0xF0);
        m.extend_from_slice(&MANUFACTURER);
        m.extend_from_slice(&[self.product, device & 0x0F, cmd, 0x01, 0x01, object & 0x7F]);
        m.extend_from_slice(&packed);
        m.extend_from_slice(&sysex::u14_msb(sysex::elektron_checksum(&packed)));
        let len = (packed.len() + 5) as u16;
        m.extend_from_slice(&sysex::u14_msb(len));
        m.push(0xF7);
        m
    }

    fn request(&self, channel: u8, cmd: u8, object: u8) -> Vec<u8> {
        self.encode(channel, cmd, object, &[])
    }

    fn is_sound(&self, m: &[u8]) -> bool {
        self.is_cmd(m, SOUND_DUMP) || self.is_cmd(m, SOUND_DUMP_X)
    }

    fn reencode(&self, data: &[u8], cmd: u8, object: u8, device: u8) -> Option<Vec<u8>> {
        if !self.is_sound(data) {
            return None;
        }
        let raw = self.decode(data).ok()?;
        Some(self.encode(device, cmd, object, &raw))
    }
}

impl Adaptation for Elektron {
    fn name(&self) -> String {
        self.name.into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        self.request(channel, SETTINGS_REQUEST, 0)
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (self.is_own(m) && m[6] == SETTINGS_DUMP).then_some(m[5] & 0x0F)
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn program_dump(&self) -> Option<&dyn ProgramDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        let mut b = BankDescriptor::new(0, "Sounds", 128);
        b.kind = "Sound".into();
        vec![b]
    }
    fn friendly_program_name(&self, program: u32) -> String {
        format!("Sound {program:03}")
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        if !self.is_sound(data) {
            return None;
        }
        let raw = self.decode(data).ok()?;
        raw.get(NAME).map(sysex::name_from_bytes)
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        if !self.is_sound(data) {
            return None;
        }
        let mut raw = self.decode(data).ok()?;
        sysex::set_name(raw.get_mut(NAME)?, name, 0);
        Some(self.encode(data[5], data[6], data[9], &raw))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t.eq_ignore_ascii_case("init") || t.eq_ignore_ascii_case("default")
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match self.decode(data) {
            Ok(mut raw) if self.is_sound(data) && raw.len() >= NAME.end => {
                raw[NAME].fill(0);
                sysex::digest_hex(&[&raw])
            }
            _ => sysex::digest_hex(&[data]),
        }
    }
    fn setup_help(&self) -> String {
        format!(
            "{}: set SETTINGS > MIDI CONFIG > PORT CONFIG so sysex is received and sent on the \
             port octa uses; the device id must match the channel octa found. Sounds are read \
             and written with sound dumps; the edit buffer is the work (X) copy of sound 0.",
            self.name
        )
    }
    fn check_message(&self, m: &[u8]) -> Result<(), SysexError> {
        if self.is_own(m) && (m[6] == SOUND_DUMP || m[6] == SOUND_DUMP_X) {
            self.validate(m)
        } else {
            Ok(())
        }
    }
}

impl EditBufferCapability for Elektron {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        self.request(channel, SOUND_REQUEST_X, 0)
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        self.is_cmd(data, SOUND_DUMP_X)
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        self.reencode(data, SOUND_DUMP_X, 0, channel)
    }
}

impl ProgramDumpCapability for Elektron {
    fn create_program_dump_request(&self, channel: u8, number: u32) -> Vec<u8> {
        self.request(channel, SOUND_REQUEST, (number & 0x7F) as u8)
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        self.is_cmd(data, SOUND_DUMP)
    }
    fn convert_to_program_dump(&self, channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        self.reencode(data, SOUND_DUMP, (number & 0x7F) as u8, channel)
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        self.is_cmd(data, SOUND_DUMP).then(|| u32::from(data[9]))
    }
}
