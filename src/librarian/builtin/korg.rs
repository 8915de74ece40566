//! Korg M1 and 03R/W, one implementation: program parameter dumps (`F0 42 3n mm 40`, the
//! edit buffer) and all-program dumps (`F0 42 3n mm 4C bb`, a bank of programs), LSB-first
//! 8-in-7 packing, the name in the first 10 bytes of a program. The M1 (model 19) has
//! 143-byte programs, the 03R/W (model 30) 172-byte ones (KnobKraft's Korg_03RW: 100
//! programs in its bank file, the first "AnalogFeel").

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability,
};
use crate::librarian::sysex::{self, BitOrder};

const KORG: u8 = 0x42;
const PROGRAM_DUMP_REQUEST: u8 = 0x10;
const PROGRAM_DUMP: u8 = 0x40;
const ALL_PROGRAMS_REQUEST: u8 = 0x1C;
const ALL_PROGRAMS_DUMP: u8 = 0x4C;
/// Raw size of one M1 program.
pub const PROGRAM_SIZE: usize = 143;
const NAME_LEN: usize = 10;

/// A Korg synth of the M1 family.
pub struct Korg {
    name: &'static str,
    model: u8,
    size: usize,
    card: bool,
    delay_ms: u64,
}

impl Korg {
    /// The Korg M1 (and M1R): internal and card banks of 100.
    pub const M1: Korg = Korg {
        name: "Korg M1",
        model: 0x19,
        size: PROGRAM_SIZE,
        card: true,
        delay_ms: 200,
    };
    /// The Korg 03R/W: one bank of 100 programs of 172 bytes; it needs 400 ms between
    /// messages.
    pub const R03W: Korg = Korg {
        name: "Korg 03R/W",
        model: 0x30,
        size: 172,
        card: false,
        delay_ms: 400,
    };

    fn is(&self, m: &[u8], func: u8) -> bool {
        m.len() > 6
            && m[0] == 0xF0
            && m[1] == KORG
            && m[2] & 0xF0 == 0x30
            && m[3] == self.model
            && m[4] == func
            && m[m.len() - 1] == 0xF7
    }

    fn program_raw(&self, m: &[u8]) -> Option<Vec<u8>> {
        if !self.is(m, PROGRAM_DUMP) || sysex::unpacked_len(m.len() - 6) != self.size {
            return None;
        }
        Some(sysex::unpack_7bit(&m[5..m.len() - 1], BitOrder::LsbFirst))
    }

    fn program_message(&self, channel: u8, raw: &[u8]) -> Vec<u8> {
        let mut m = vec![
            0xF0,
            KORG,
            0x30 | (channel & 0x0F),
            self.model,
            PROGRAM_DUMP,
        ];
        m.extend(sysex::pack_7bit(raw, BitOrder::LsbFirst));
        m.push(0xF7);
        m
    }
}

/// The Korg M1 (the name kept from before the family was parametrised).
#[allow(non_upper_case_globals, reason = "kept as the unit value callers used")]
pub const KorgM1: Korg = Korg::M1;

impl Adaptation for Korg {
    fn name(&self) -> String {
        self.name.into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        vec![0xF0, 0x7E, channel & 0x7F, 0x06, 0x01, 0xF7]
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (m.len() > 7 && m[..2] == [0xF0, 0x7E] && m[3..7] == [0x06, 0x02, KORG, self.model])
            .then_some(m[2] & 0x0F)
    }
    fn needs_channel_specific_detection(&self) -> bool {
        // The 03R/W answers only on its own channel (KnobKraft asks per channel).
        !self.card
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        Some(self)
    }
    fn bank_dump(&self) -> Option<&dyn BankDumpCapability> {
        Some(self)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        let mut b = vec![BankDescriptor::new(0, "Internal", 100)];
        if self.card {
            b.push(BankDescriptor::new(1, "Card", 100));
        }
        b
    }
    fn friendly_program_name(&self, program: u32) -> String {
        let bank = if program < 100 { "I" } else { "C" };
        format!("{bank}{:02}", program % 100)
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        self.program_raw(data)
            .map(|r| sysex::name_from_bytes(&r[..NAME_LEN]))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let mut raw = self.program_raw(data)?;
        sysex::set_name(&mut raw[..NAME_LEN], name, b' ');
        Some(self.program_message(data[2], &raw))
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match self.program_raw(data) {
            Some(mut raw) => {
                raw[..NAME_LEN].fill(0);
                sysex::digest_hex(&[&raw])
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn message_delay_ms(&self) -> u64 {
        self.delay_ms
    }
    fn setup_help(&self) -> String {
        if !self.card {
            return "Korg 03R/W: enable sysex in its global MIDI settings; programs are sent \
                    with 400 ms between messages."
                .into();
        }
        "Korg M1: in GLOBAL mode enable sysex (page 'MIDI filter', EX = ENA) and turn off \
         memory protect before storing programs. Banks are read with the all-program dump."
            .into()
    }
}

impl EditBufferCapability for Korg {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        vec![
            0xF0,
            KORG,
            0x30 | (channel & 0x0F),
            self.model,
            PROGRAM_DUMP_REQUEST,
            0xF7,
        ]
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        self.program_raw(data).is_some()
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        self.program_raw(data)
            .map(|raw| self.program_message(channel, &raw))
    }
}

impl BankDumpCapability for Korg {
    fn create_bank_dump_request(&self, channel: u8, bank: u32) -> Option<Vec<u8>> {
        Some(vec![
            0xF0,
            KORG,
            0x30 | (channel & 0x0F),
            self.model,
            ALL_PROGRAMS_REQUEST,
            (bank & 0x7F) as u8,
            0xF7,
        ])
    }
    fn is_part_of_bank_dump(&self, m: &[u8]) -> bool {
        self.is(m, ALL_PROGRAMS_DUMP) && m.len() > 7
    }
    fn is_bank_dump_finished(&self, messages: &[Vec<u8>]) -> bool {
        messages.iter().any(|m| self.is_part_of_bank_dump(m))
    }
    fn extract_patches_from_bank(&self, messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for m in messages.iter().filter(|m| self.is_part_of_bank_dump(m)) {
            let raw = sysex::unpack_7bit(&m[6..m.len() - 1], BitOrder::LsbFirst);
            for program in raw.chunks_exact(self.size) {
                out.push(self.program_message(m[2], program));
            }
        }
        out
    }
}
