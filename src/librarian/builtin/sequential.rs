//! DSI / Sequential synths and the Sequential-made Oberheims, one parametrised
//! implementation for the whole family (as KnobKraft's shared Sequential module does):
//! program dumps `F0 mf id [ver] 02 bank prog <packed> F7`, edit buffers
//! `F0 mf id [ver] 03 <packed> F7`, LSB-first 8-in-7 packing, the name at a fixed raw
//! offset. A model is a [`Spec`]: manufacturer (01 Sequential/DSI, 10 Oberheim), device
//! ids, the Evolver-style version byte, bank layout, name place and length, a second
//! layer's name, extra program kinds (OB-X8 splits/doubles) and how programs are numbered.

use crate::librarian::adaptation::{
    Adaptation, BankDescriptor, EditBufferCapability, ProgramDumpCapability,
};
use crate::librarian::sysex::{self, BitOrder};

/// The universal identity request.
pub const IDENTITY_REQUEST: [u8; 6] = [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7];

const PROGRAM: u8 = 0x02;
const EDIT: u8 = 0x03;
const REQUEST_PROGRAM: u8 = 0x05;
const REQUEST_EDIT: u8 = 0x06;

/// How a model shows bank and program numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// `Bank 2`, `2-001` (Prophet '08, Mopho, Prophet-5).
    Dash,
    /// `200 - 299`, `200`: three digits over all banks (OB-6, Prophet-6, Trigon-6).
    Hundreds,
    /// `bank 1`, `bank 1 - 2` (Tetra).
    BankDash,
    /// `bank 1`, `bank 1 - 06`: two-digit programs (Prophet 12, Pro 2).
    BankDash2,
    /// `U1`..`U4`, `F5`..`F8`, `U1-P3` (Pro 3: four user and four factory banks).
    UserFactory,
    /// Banks `0`-`9`, `A`-`F` of 16, programs `002`, `101`, `B05` (Take 5, TEO-5).
    Hex16,
    /// Named banks, programs `User-001` (OB-X8).
    Named(&'static [&'static str]),
}

/// One model of the family.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Unique name (database key).
    pub name: &'static str,
    /// Manufacturer byte: 01 Sequential/DSI, 10 Oberheim.
    pub manufacturer: u8,
    /// Accepted device ids; the first is used when sending.
    pub ids: &'static [u8],
    /// Evolver-style file version byte after the id (`None` for modern models).
    pub version: Option<u8>,
    /// Number of banks.
    pub banks: u32,
    /// Programs per bank.
    pub per_bank: u32,
    /// (offset, length) of the name in the unpacked program data; `None` when the
    /// program holds no name (Evolver).
    pub name_at: Option<(usize, usize)>,
    /// Offset of the second layer's name (same length), for layered models.
    pub layer_b: Option<usize>,
    /// An extra program kind (command, name offset, name length): OB-X8 splits/doubles.
    pub combi: Option<(u8, usize, usize)>,
    /// How numbers are shown.
    pub numbering: Numbering,
    /// First read-only (factory) bank, if any.
    pub rom_from: Option<u32>,
    /// Milliseconds between messages of a multi-message send.
    pub delay_ms: u64,
}

impl Spec {
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
            manufacturer: 0x01,
            ids,
            version: None,
            banks,
            per_bank,
            name_at: Some((name_at, name_len)),
            layer_b: None,
            combi: None,
            numbering: Numbering::Dash,
            rom_from: None,
            delay_ms: 0,
        }
    }
    const fn numbering(mut self, n: Numbering) -> Self {
        self.numbering = n;
        self
    }
}

/// One DSI/Sequential/Oberheim model.
pub struct Sequential {
    spec: Spec,
}

const OBX8_BANKS: &[&str] = &[
    "OB-X8", "OB-8", "OB-Xa", "OB-SX", "OB-X", "User", "Splits", "Doubles",
];

impl Sequential {
    /// A model from its spec.
    pub const fn from_spec(spec: Spec) -> Self {
        Self { spec }
    }
    /// The model's spec.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }
    /// DSI Prophet '08 (keyboard 23, special edition 24).
    pub fn prophet08() -> Self {
        Self::from_spec(Spec::new("DSI Prophet 08", &[0x23, 0x24], 2, 128, 184, 16))
    }
    /// Sequential OB-6 (desktop and keyboard).
    pub fn ob6() -> Self {
        Self::from_spec(
            Spec::new("Sequential OB-6", &[0x2E], 10, 100, 107, 20).numbering(Numbering::Hundreds),
        )
    }
    /// DSI Tetra (same program layout as the Prophet '08).
    pub fn tetra() -> Self {
        Self::from_spec(
            Spec::new("DSI Tetra", &[0x26], 4, 128, 184, 16).numbering(Numbering::BankDash),
        )
    }
    /// DSI Mopho, Mopho Keyboard and SE (3 banks).
    pub fn mopho() -> Self {
        Self::from_spec(Spec::new("DSI Mopho", &[0x25, 0x27], 3, 128, 184, 16))
    }
    /// DSI Mopho x4 (4 banks, id 29).
    pub fn mopho_x4() -> Self {
        Self::from_spec(Spec::new("DSI Mopho x4", &[0x29], 4, 128, 184, 16))
    }
    /// Sequential Prophet-6 (same layout as the OB-6).
    pub fn prophet6() -> Self {
        Self::from_spec(
            Spec::new("Sequential Prophet 6", &[0x2D], 10, 100, 107, 20)
                .numbering(Numbering::Hundreds),
        )
    }
    /// Sequential Trigon-6: 1024 raw bytes like the OB-6, the name at 116.
    pub fn trigon6() -> Self {
        Self::from_spec(
            Spec::new("Sequential Trigon-6", &[0x39], 10, 100, 116, 20)
                .numbering(Numbering::Hundreds),
        )
    }
    /// Sequential Prophet-5 / Prophet-10 rev4 (id 32; the desktop answers 33).
    pub fn prophet5() -> Self {
        Self::from_spec(Spec::new(
            "Sequential Prophet-5",
            &[0x32, 0x33],
            10,
            40,
            65,
            20,
        ))
    }
    /// Sequential Pro 3: user banks U1-U4, factory banks F5-F8, 50 ms between messages.
    pub fn pro3() -> Self {
        let mut s = Spec::new("Sequential Pro 3", &[0x31], 8, 128, 321, 20)
            .numbering(Numbering::UserFactory);
        s.rom_from = Some(4);
        s.delay_ms = 50;
        Self::from_spec(s)
    }
    /// Sequential Prophet X / XL: two layers (names at 418 and 2466).
    pub fn prophet_x() -> Self {
        let mut s = Spec::new("Sequential Prophet X", &[0x30], 8, 128, 418, 20);
        s.layer_b = Some(2466);
        Self::from_spec(s)
    }
    /// Sequential Take 5: 16 banks of 16.
    pub fn take5() -> Self {
        Self::from_spec(
            Spec::new("Sequential Take 5", &[0x35], 16, 16, 195, 20).numbering(Numbering::Hex16),
        )
    }
    /// DSI Pro 2: 8 banks of 99.
    pub fn pro2() -> Self {
        Self::from_spec(
            Spec::new("DSI Pro 2", &[0x2C], 8, 99, 378, 20).numbering(Numbering::BankDash2),
        )
    }
    /// DSI Prophet 12 (keyboard 2A, module 2B): two layers (names at 402 and 914).
    pub fn prophet12() -> Self {
        let mut s = Spec::new("DSI Prophet 12", &[0x2A, 0x2B], 8, 99, 402, 20)
            .numbering(Numbering::BankDash2);
        s.layer_b = Some(914);
        Self::from_spec(s)
    }
    /// DSI Evolver family (id 20, file version 01): programs hold no name (the name is a
    /// separate name dump, kept with the import).
    pub fn evolver() -> Self {
        let mut s = Spec::new("DSI Evolver", &[0x20], 4, 128, 0, 0);
        s.version = Some(0x01);
        s.name_at = None;
        Self::from_spec(s)
    }
    /// Oberheim OB-X8 (synth 58, module 59): single programs (name 13 characters at 102)
    /// and split/double programs (command 07, name at 3).
    pub fn obx8() -> Self {
        let mut s = Spec::new("Oberheim OB-X8", &[0x58, 0x59], 8, 128, 102, 13)
            .numbering(Numbering::Named(OBX8_BANKS));
        s.manufacturer = 0x10;
        s.combi = Some((0x07, 3, 13));
        Self::from_spec(s)
    }
    /// Oberheim TEO-5 (made by Sequential): 16 banks of 16.
    pub fn teo5() -> Self {
        let mut s =
            Spec::new("Oberheim TEO-5", &[0x5A], 16, 16, 159, 20).numbering(Numbering::Hex16);
        s.manufacturer = 0x10;
        Self::from_spec(s)
    }

    /// Every model of the family, in recognition order.
    pub fn family() -> Vec<Self> {
        vec![
            Self::prophet08(),
            Self::ob6(),
            Self::tetra(),
            Self::mopho(),
            Self::mopho_x4(),
            Self::prophet6(),
            Self::trigon6(),
            Self::prophet5(),
            Self::pro3(),
            Self::prophet_x(),
            Self::take5(),
            Self::pro2(),
            Self::prophet12(),
            Self::evolver(),
            Self::obx8(),
            Self::teo5(),
        ]
    }

    fn v(&self) -> usize {
        usize::from(self.spec.version.is_some())
    }
    /// The message is this model's (manufacturer, id, version byte, F7 at the end).
    fn mine(&self, m: &[u8]) -> bool {
        let v = self.v();
        m.len() > 4 + v
            && m[0] == 0xF0
            && m[1] == self.spec.manufacturer
            && self.spec.ids.contains(&m[2])
            && self.spec.version.is_none_or(|ver| m[3] == ver)
            && m[m.len() - 1] == 0xF7
    }
    fn command(&self, m: &[u8]) -> u8 {
        m[3 + self.v()]
    }
    /// (offset, length) of the name for a message of this command.
    fn name_range_for(&self, cmd: u8) -> Option<std::ops::Range<usize>> {
        let (at, len) = match self.spec.combi {
            Some((c, at, len)) if c == cmd => (at, len),
            _ => self.spec.name_at?,
        };
        Some(at..at + len)
    }
    fn long_enough(&self, m: &[u8], header: usize, cmd: u8) -> bool {
        let need = self.name_range_for(cmd).map_or(1, |r| r.end);
        m.len() > header + 1 && sysex::unpacked_len(m.len() - header - 1) >= need
    }
    fn is_program(&self, m: &[u8]) -> bool {
        if !self.mine(m) {
            return false;
        }
        let cmd = self.command(m);
        let kind = cmd == PROGRAM || self.spec.combi.is_some_and(|(c, _, _)| c == cmd);
        kind && self.long_enough(m, 6 + self.v(), cmd)
    }
    fn is_edit(&self, m: &[u8]) -> bool {
        self.mine(m) && self.command(m) == EDIT && self.long_enough(m, 4 + self.v(), EDIT)
    }
    /// (header length, command, raw data) of a program or edit buffer dump.
    fn raw(&self, m: &[u8]) -> Option<(usize, u8, Vec<u8>)> {
        let header = if self.is_program(m) {
            6 + self.v()
        } else if self.is_edit(m) {
            4 + self.v()
        } else {
            return None;
        };
        let cmd = self.command(m);
        Some((
            header,
            cmd,
            sysex::unpack_7bit(&m[header..m.len() - 1], BitOrder::LsbFirst),
        ))
    }
    fn build(&self, head: &[u8], raw: &[u8]) -> Vec<u8> {
        let mut m = head.to_vec();
        m.extend(sysex::pack_7bit(raw, BitOrder::LsbFirst));
        m.push(0xF7);
        m
    }
    /// `F0 mf id [ver]` with the id of `data` (or the first id).
    fn head(&self, id: u8) -> Vec<u8> {
        let mut h = vec![0xF0, self.spec.manufacturer, id];
        h.extend(self.spec.version);
        h
    }
    fn bank_prog(&self, number: u32) -> (u8, u8) {
        let bank = (number / self.spec.per_bank) as u8 & 0x7F;
        let prog = (number % self.spec.per_bank) as u8 & 0x7F;
        (bank, prog)
    }
    /// Name ranges of the layers (layer A = the program name).
    fn layer_ranges(&self, cmd: u8) -> Vec<std::ops::Range<usize>> {
        let Some(a) = self.name_range_for(cmd) else {
            return Vec::new();
        };
        match self.spec.layer_b {
            Some(b) if cmd != self.spec.combi.map_or(0xFF, |c| c.0) => {
                let len = a.len();
                vec![a, b..b + len]
            }
            _ => vec![a],
        }
    }
    fn bank_label(&self, bank: u32) -> String {
        match self.spec.numbering {
            Numbering::Dash => format!("Bank {}", bank + 1),
            Numbering::Hundreds => format!("{bank}00 - {bank}99"),
            Numbering::BankDash | Numbering::BankDash2 => format!("bank {}", bank + 1),
            Numbering::UserFactory => {
                let kind = if self.spec.rom_from.is_some_and(|r| bank >= r) {
                    'F'
                } else {
                    'U'
                };
                format!("{kind}{}", bank + 1)
            }
            Numbering::Hex16 => match char::from_digit(bank, 16) {
                Some(c) => c.to_ascii_uppercase().to_string(),
                None => bank.to_string(),
            },
            Numbering::Named(names) => names
                .get(bank as usize)
                .map_or_else(|| format!("Bank {}", bank + 1), |n| n.to_string()),
        }
    }
}

impl Adaptation for Sequential {
    fn name(&self) -> String {
        self.spec.name.into()
    }
    fn create_device_detect_message(&self, _channel: u8) -> Vec<u8> {
        IDENTITY_REQUEST.to_vec()
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        // Sequential replies are 14 bytes (KnobKraft's Prophet X and OB-X8 test replies).
        let ok = m.len() > 9
            && m[..2] == [0xF0, 0x7E]
            && m[3..5] == [0x06, 0x02]
            && m[5] == self.spec.manufacturer
            && self.spec.ids.contains(&m[6]);
        // Omni (7F) and MPE (10) replies carry no channel: treat them as channel 1.
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
        (0..self.spec.banks)
            .map(|b| {
                let mut d = BankDescriptor::new(b, self.bank_label(b), self.spec.per_bank);
                d.is_rom = self.spec.rom_from.is_some_and(|r| b >= r);
                if let Numbering::Named(_) = self.spec.numbering {
                    d.kind = match b {
                        6 => "Split Program",
                        7 => "Double Program",
                        _ => "Single Program",
                    }
                    .into();
                }
                d
            })
            .collect()
    }
    fn friendly_bank_name(&self, bank: u32) -> String {
        self.bank_label(bank)
    }
    fn friendly_program_name(&self, program: u32) -> String {
        let per = self.spec.per_bank;
        let (bank, idx) = (program / per, program % per);
        match self.spec.numbering {
            Numbering::Dash => format!("{}-{:03}", bank + 1, idx + 1),
            Numbering::Hundreds => format!("{program:03}"),
            Numbering::BankDash => format!("bank {} - {}", bank + 1, idx + 1),
            Numbering::BankDash2 => format!("bank {} - {:02}", bank + 1, idx + 1),
            Numbering::UserFactory => format!("{}-P{}", self.bank_label(bank), idx + 1),
            Numbering::Hex16 => format!("{}{idx:02}", self.bank_label(bank)),
            Numbering::Named(_) => format!("{}-{:03}", self.bank_label(bank), idx + 1),
        }
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        let (_, cmd, raw) = self.raw(data)?;
        raw.get(self.name_range_for(cmd)?)
            .map(sysex::name_from_bytes)
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        let (header, cmd, mut raw) = self.raw(data)?;
        sysex::set_name(raw.get_mut(self.name_range_for(cmd)?)?, name, b' ');
        Some(self.build(&data[..header], &raw))
    }
    fn layer_names(&self, data: &[u8]) -> Vec<String> {
        if self.spec.layer_b.is_none() {
            return Vec::new();
        }
        let Some((_, cmd, raw)) = self.raw(data) else {
            return Vec::new();
        };
        self.layer_ranges(cmd)
            .into_iter()
            .filter_map(|r| raw.get(r).map(sysex::name_from_bytes))
            .collect()
    }
    fn rename_layer(&self, data: &[u8], layer: usize, name: &str) -> Option<Vec<u8>> {
        self.spec.layer_b?;
        let (header, cmd, mut raw) = self.raw(data)?;
        let r = self.layer_ranges(cmd).into_iter().nth(layer)?;
        sysex::set_name(raw.get_mut(r)?, name, b' ');
        Some(self.build(&data[..header], &raw))
    }
    fn is_default_name(&self, name: &str) -> bool {
        let t = name.trim();
        t.is_empty() || t == "Basic Program" || t == "Init Program"
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        match self.raw(data) {
            Some((_, cmd, mut raw)) => {
                for r in self.layer_ranges(cmd) {
                    if let Some(n) = raw.get_mut(r) {
                        n.fill(0);
                    }
                }
                sysex::digest_hex(&[&raw])
            }
            None => sysex::digest_hex(&[data]),
        }
    }
    fn message_delay_ms(&self) -> u64 {
        self.spec.delay_ms
    }
    fn setup_help(&self) -> String {
        format!(
            "{}: in GLOBALS set MIDI SysEx to on (and the SysEx port to the one octa uses). \
             The synth answers the universal identity request.",
            self.spec.name
        )
    }
    fn other_data(&self, m: &[u8]) -> Option<String> {
        if !self.mine(m) || self.is_program(m) || self.is_edit(m) {
            return None;
        }
        let cmd = self.command(m);
        Some(match (self.spec.version, cmd) {
            (Some(_), 0x11) => "program name dump".to_string(),
            (_, REQUEST_PROGRAM) => "program request".to_string(),
            (_, REQUEST_EDIT) => "edit buffer request".to_string(),
            _ => format!("data with command {cmd:02X} (not a program)"),
        })
    }
}

impl EditBufferCapability for Sequential {
    fn create_edit_buffer_request(&self, _channel: u8) -> Vec<u8> {
        let mut m = self.head(self.spec.ids[0]);
        m.extend([REQUEST_EDIT, 0xF7]);
        m
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        self.is_edit(data)
    }
    fn convert_to_edit_buffer(&self, _channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        let (_, cmd, raw) = self.raw(data)?;
        if cmd != PROGRAM && cmd != EDIT {
            return None;
        }
        let mut head = self.head(data[2]);
        head.push(EDIT);
        Some(self.build(&head, &raw))
    }
}

impl ProgramDumpCapability for Sequential {
    fn create_program_dump_request(&self, _channel: u8, number: u32) -> Vec<u8> {
        let (bank, prog) = self.bank_prog(number);
        let mut m = self.head(self.spec.ids[0]);
        m.extend([REQUEST_PROGRAM, bank, prog, 0xF7]);
        m
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        self.is_program(data)
    }
    fn convert_to_program_dump(&self, _channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        let (_, cmd, raw) = self.raw(data)?;
        let (bank, prog) = self.bank_prog(number);
        let mut head = self.head(data[2]);
        head.extend([if cmd == EDIT { PROGRAM } else { cmd }, bank, prog]);
        Some(self.build(&head, &raw))
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        let v = self.v();
        self.is_program(data)
            .then(|| u32::from(data[4 + v]) * self.spec.per_bank + u32::from(data[5 + v]))
    }
}
