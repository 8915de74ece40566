//! The adaptation model: what octa knows about one synth's sysex, mirroring the
//! KnobKraft adaptation interface. Core identity and naming live on [`Adaptation`];
//! the optional capabilities (edit buffer, program dump, bank dump) are sub-traits an
//! adaptation hands out through accessor methods (`None` = capability absent).

use super::sysex::{self, SysexError};

/// Channel value meaning "all channels / omni" in detect requests.
pub const OMNI: u8 = 0x7F;

/// One bank of a synth's memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankDescriptor {
    /// 0-based bank number.
    pub bank: u32,
    /// Display name.
    pub name: String,
    /// Number of programs in it.
    pub size: u32,
    /// What it holds ("Patch", "Sound", ...).
    pub kind: String,
    /// Read-only (factory ROM).
    pub is_rom: bool,
}

impl BankDescriptor {
    /// A writable bank of patches.
    pub fn new(bank: u32, name: impl Into<String>, size: u32) -> Self {
        Self {
            bank,
            name: name.into(),
            size,
            kind: "Patch".into(),
            is_rom: false,
        }
    }
}

/// Whether a message belongs to a multi-message dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartOf {
    /// Not part of this dump.
    No,
    /// Part of it.
    Yes,
    /// Part of it, and this handshake reply must be sent back at once.
    YesReply(Vec<u8>),
}

impl PartOf {
    /// True for `Yes` and `YesReply`.
    pub fn is_part(&self) -> bool {
        !matches!(self, PartOf::No)
    }
}

/// The edit-buffer capability (the synth's current sound).
pub trait EditBufferCapability {
    /// Request for the current edit buffer.
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8>;
    /// True when `data` (one or more concatenated messages) is a complete edit buffer dump.
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool;
    /// True when one message belongs to an edit buffer dump (multi-message dumps override).
    fn is_part_of_edit_buffer_dump(&self, message: &[u8]) -> PartOf {
        if self.is_edit_buffer_dump(message) {
            PartOf::Yes
        } else {
            PartOf::No
        }
    }
    /// Converts a patch (edit buffer or program dump) into an edit buffer dump for `channel`.
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>>;
}

/// The program-dump capability (stored programs by number).
pub trait ProgramDumpCapability {
    /// Request for program `number` (linear over all banks).
    fn create_program_dump_request(&self, channel: u8, number: u32) -> Vec<u8>;
    /// True when `data` is a complete program dump.
    fn is_single_program_dump(&self, data: &[u8]) -> bool;
    /// True when one message belongs to a program dump (multi-message dumps override).
    fn is_part_of_single_program_dump(&self, message: &[u8]) -> PartOf {
        if self.is_single_program_dump(message) {
            PartOf::Yes
        } else {
            PartOf::No
        }
    }
    /// Converts a patch into a program dump that stores it at `number`.
    fn convert_to_program_dump(&self, channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>>;
    /// The program number a dump came from, if it says.
    fn number_from_dump(&self, data: &[u8]) -> Option<u32>;
}

/// The bank-dump capability (many patches in one or more messages).
pub trait BankDumpCapability {
    /// Request for a whole bank; `None` when the synth cannot be asked (file import only).
    fn create_bank_dump_request(&self, channel: u8, bank: u32) -> Option<Vec<u8>>;
    /// True when one message belongs to a bank dump.
    fn is_part_of_bank_dump(&self, message: &[u8]) -> bool;
    /// True when the collected messages form a whole bank.
    fn is_bank_dump_finished(&self, messages: &[Vec<u8>]) -> bool;
    /// The patches in a finished bank, each as one or more concatenated messages.
    fn extract_patches_from_bank(&self, messages: &[Vec<u8>]) -> Vec<Vec<u8>>;
}

/// Which functions of a KnobKraft-style adaptation (a Rhai script or a Python file) make up
/// each capability, given whether the adaptation defines a function.
pub mod kk {
    /// The edit-buffer capability: request, recognise and convert an edit buffer.
    pub fn edit_buffer(has: impl Fn(&str) -> bool) -> bool {
        has("createEditBufferRequest") && has("isEditBufferDump") && has("convertToEditBuffer")
    }

    /// The program-dump capability: request, recognise and convert a single program.
    pub fn program_dump(has: impl Fn(&str) -> bool) -> bool {
        has("createProgramDumpRequest") && has("isSingleProgramDump") && has("convertToProgramDump")
    }

    /// The bank-dump capability: split a bank (one message or all of them) and know its end.
    pub fn bank_dump(has: impl Fn(&str) -> bool) -> bool {
        (has("extractPatchesFromBank") || has("extractPatchesFromAllBankMessages"))
            && has("isPartOfBankDump")
            && has("isBankDumpFinished")
    }

    /// The longest detection wait an adaptation may ask for (`deviceDetectWaitMilliseconds`).
    pub const MAX_DETECT_WAIT_MS: i64 = 60_000;
}

/// Everything octa knows about one synth's sysex.
pub trait Adaptation: Send + Sync {
    /// Unique name of the synth (database key).
    fn name(&self) -> String;

    /// Detect request for `channel` (0-15, or [`OMNI`] when not channel specific).
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8>;
    /// The channel (0-15) when `message` is this synth's detect reply.
    fn channel_if_valid_device_response(&self, message: &[u8]) -> Option<u8>;
    /// True when detection sends one request per channel (16 per port).
    fn needs_channel_specific_detection(&self) -> bool {
        true
    }
    /// How long to wait for detect replies after the requests to one port.
    fn device_detect_wait_ms(&self) -> u64 {
        200
    }

    /// The edit-buffer capability, if any.
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        None
    }
    /// The program-dump capability, if any.
    fn program_dump(&self) -> Option<&dyn ProgramDumpCapability> {
        None
    }
    /// The bank-dump capability, if any.
    fn bank_dump(&self) -> Option<&dyn BankDumpCapability> {
        None
    }

    /// The synth's banks (empty when unknown).
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        Vec::new()
    }
    /// The patch name stored in a dump (untrimmed), if the format has one.
    fn name_from_dump(&self, _data: &[u8]) -> Option<String> {
        None
    }
    /// The dump with a new name; `None` when the format cannot be renamed.
    fn rename_patch(&self, _data: &[u8], _name: &str) -> Option<Vec<u8>> {
        None
    }
    /// True for generated / init names that a user-given name should replace.
    fn is_default_name(&self, name: &str) -> bool {
        name.trim().is_empty()
    }
    /// Identity of the sound: a digest of the sound data without name, slot or device id.
    fn fingerprint(&self, data: &[u8]) -> String {
        sysex::digest_hex(&[data])
    }
    /// Display name of a bank.
    fn friendly_bank_name(&self, bank: u32) -> String {
        self.bank_descriptors()
            .iter()
            .find(|b| b.bank == bank)
            .map(|b| b.name.clone())
            .unwrap_or_else(|| format!("Bank {}", bank + 1))
    }
    /// Display name of a program number (linear over all banks).
    fn friendly_program_name(&self, program: u32) -> String {
        match locate(&self.bank_descriptors(), program) {
            Some((bank, idx)) => format!("{}-{:03}", self.friendly_bank_name(bank), idx + 1),
            None => format!("{program:03}"),
        }
    }
    /// Milliseconds between messages of one multi-message send.
    fn message_delay_ms(&self) -> u64 {
        0
    }
    /// Help text for setting the synth up (sysex enable, device id ...).
    fn setup_help(&self) -> String {
        String::new()
    }
    /// Explains why a message that looks like this synth's is broken (checksum, length);
    /// `Ok` when it is fine or not this synth's at all.
    fn check_message(&self, _message: &[u8]) -> Result<(), SysexError> {
        Ok(())
    }
    /// Why this adaptation stopped working (a script error, with file and line); `None`
    /// while it works. A failed adaptation answers every call with a neutral value.
    fn failure(&self) -> Option<String> {
        None
    }
    /// What a message of this synth that holds no patch is (global settings, a system
    /// setup, a parameter change, ...): such messages are recognised and kept with the
    /// import (so it exports byte for byte) but make no patch. `None` for anything else.
    fn other_data(&self, _message: &[u8]) -> Option<String> {
        None
    }
    /// The names of the layers of a layered patch (Prophet 12, Prophet X: layer A and B),
    /// untrimmed; empty for formats without layers.
    fn layer_names(&self, _data: &[u8]) -> Vec<String> {
        Vec::new()
    }
    /// The dump with layer `layer` (0-based) renamed; `None` when there is no such layer.
    fn rename_layer(&self, _data: &[u8], _layer: usize, _name: &str) -> Option<Vec<u8>> {
        None
    }
}

/// (bank, index in bank) of a linear program number.
pub fn locate(banks: &[BankDescriptor], program: u32) -> Option<(u32, u32)> {
    let mut start = 0u32;
    for b in banks {
        if program < start + b.size {
            return Some((b.bank, program - start));
        }
        start += b.size;
    }
    None
}

/// Linear program number of the first program of `bank`.
pub fn bank_start(banks: &[BankDescriptor], bank: u32) -> Option<u32> {
    let mut start = 0u32;
    for b in banks {
        if b.bank == bank {
            return Some(start);
        }
        start += b.size;
    }
    None
}

/// What kind of dump a patch is stored as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    /// A program dump (carries a slot).
    Program,
    /// An edit buffer dump (no slot).
    EditBuffer,
    /// Unknown sysex kept as-is (raw device).
    Raw,
}

impl PatchKind {
    /// Name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PatchKind::Program => "program",
            PatchKind::EditBuffer => "edit-buffer",
            PatchKind::Raw => "raw",
        }
    }
    /// Parses [`PatchKind::as_str`].
    pub fn parse(s: &str) -> Self {
        match s {
            "program" => PatchKind::Program,
            "edit-buffer" => PatchKind::EditBuffer,
            _ => PatchKind::Raw,
        }
    }
}

/// One patch found in a stream of messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    /// Program dump, edit buffer or raw.
    pub kind: PatchKind,
    /// The patch's messages, concatenated, exactly as received.
    pub data: Vec<u8>,
    /// Program number it came from (from the dump, or its place in a bank).
    pub number: Option<u32>,
    /// Its name (untrimmed), or empty when the format has none.
    pub name: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Index of its first message in the stream.
    pub first_message: usize,
}

impl Patch {
    /// The name for display (trailing/leading blanks removed).
    pub fn display_name(&self) -> &str {
        self.name.trim()
    }
}

/// Largest number of messages that form one program or edit buffer.
pub const MAX_MESSAGES_PER_PATCH: usize = 16;
/// Largest number of messages that form one bank.
pub const MAX_MESSAGES_PER_BANK: usize = 4096;

/// Builds a [`Patch`] with the adaptation's name and fingerprint.
pub fn make_patch(
    a: &dyn Adaptation,
    kind: PatchKind,
    data: Vec<u8>,
    number: Option<u32>,
    first_message: usize,
) -> Patch {
    let name = a.name_from_dump(&data).unwrap_or_default();
    let fingerprint = a.fingerprint(&data);
    Patch {
        kind,
        data,
        number,
        name,
        fingerprint,
        first_message,
    }
}

/// A sliding window of the last messages that could form one multi-message dump.
struct Window {
    parts: Vec<(usize, Vec<u8>)>,
}

impl Window {
    fn new() -> Self {
        Self { parts: Vec::new() }
    }

    /// Adds a message and returns (first index, data) when some suffix of the window is complete.
    fn push(
        &mut self,
        index: usize,
        message: &[u8],
        complete: &dyn Fn(&[u8]) -> bool,
    ) -> Option<(usize, Vec<u8>)> {
        self.parts.push((index, message.to_vec()));
        if self.parts.len() > MAX_MESSAGES_PER_PATCH {
            self.parts.remove(0);
        }
        // Longest suffix first, so a multi-message dump wins over its last part.
        for start in 0..self.parts.len() {
            let data: Vec<u8> = self.parts[start..]
                .iter()
                .flat_map(|(_, m)| m.iter().copied())
                .collect();
            if complete(&data) {
                let first = self.parts[start].0;
                self.parts.clear();
                return Some((first, data));
            }
        }
        None
    }
}

/// What [`load_patches`] found in a message stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Patches in stream order.
    pub patches: Vec<Patch>,
    /// Indices of messages no capability claimed.
    pub unclaimed: Vec<usize>,
    /// Problems found in messages (index, error).
    pub problems: Vec<(usize, SysexError)>,
    /// Banks found: for each, the indices into `patches` in bank order.
    pub banks: Vec<Vec<usize>>,
    /// Messages of the synth that hold no patch (index, what it is), kept with the import.
    pub other: Vec<(usize, String)>,
}

/// Finds program dumps, edit buffers and banks of one adaptation in a list of messages.
pub fn load_patches(a: &dyn Adaptation, messages: &[Vec<u8>]) -> Loaded {
    let mut out = Loaded::default();
    let mut prog = Window::new();
    let mut edit = Window::new();
    let mut bank: Vec<Vec<u8>> = Vec::new();
    let mut bank_first = 0usize;
    for (i, m) in messages.iter().enumerate() {
        if let Err(e) = a.check_message(m) {
            out.problems.push((i, e));
            out.unclaimed.push(i);
            continue;
        }
        let mut claimed = false;
        // A message may belong to both kinds (the middle messages of a reface DX voice are
        // the same in a stored voice and an edit buffer): it goes to both windows, and the
        // kind that completes first takes it.
        let mut done = false;
        if let Some(p) = a.program_dump()
            && p.is_part_of_single_program_dump(m).is_part()
        {
            claimed = true;
            if let Some((first, data)) = prog.push(i, m, &|d| p.is_single_program_dump(d)) {
                let number = p.number_from_dump(&data);
                out.patches
                    .push(make_patch(a, PatchKind::Program, data, number, first));
                edit.parts.clear();
                done = true;
            }
        }
        if !done
            && let Some(e) = a.edit_buffer()
            && e.is_part_of_edit_buffer_dump(m).is_part()
        {
            claimed = true;
            if let Some((first, data)) = edit.push(i, m, &|d| e.is_edit_buffer_dump(d)) {
                out.patches
                    .push(make_patch(a, PatchKind::EditBuffer, data, None, first));
                prog.parts.clear();
            }
        }
        if !claimed
            && let Some(b) = a.bank_dump()
            && b.is_part_of_bank_dump(m)
        {
            claimed = true;
            if bank.is_empty() {
                bank_first = i;
            }
            bank.push(m.clone());
            if b.is_bank_dump_finished(&bank) {
                let start = out.patches.len();
                for (n, data) in b.extract_patches_from_bank(&bank).into_iter().enumerate() {
                    out.patches.push(bank_patch(a, data, n as u32, bank_first));
                }
                out.banks.push((start..out.patches.len()).collect());
                bank.clear();
            } else if bank.len() > MAX_MESSAGES_PER_BANK {
                bank.remove(0);
            }
        }
        if !claimed && let Some(what) = a.other_data(m) {
            claimed = true;
            out.other.push((i, what));
        }
        if !claimed {
            out.unclaimed.push(i);
        }
    }
    out
}

/// A patch extracted from a bank: a program dump when the adaptation says so, else an edit buffer.
fn bank_patch(a: &dyn Adaptation, data: Vec<u8>, position: u32, first: usize) -> Patch {
    if let Some(p) = a.program_dump()
        && p.is_single_program_dump(&data)
    {
        let number = p.number_from_dump(&data).or(Some(position));
        return make_patch(a, PatchKind::Program, data, number, first);
    }
    make_patch(a, PatchKind::EditBuffer, data, Some(position), first)
}

/// How many of `messages` the adaptation claims (used to pick an adaptation for a file).
pub fn claims(a: &dyn Adaptation, messages: &[Vec<u8>]) -> usize {
    messages
        .iter()
        .filter(|m| {
            a.program_dump()
                .is_some_and(|p| p.is_part_of_single_program_dump(m).is_part())
                || a.edit_buffer()
                    .is_some_and(|e| e.is_part_of_edit_buffer_dump(m).is_part())
                || a.bank_dump().is_some_and(|b| b.is_part_of_bank_dump(m))
                || a.other_data(m).is_some()
        })
        .count()
}
