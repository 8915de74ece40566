//! User adaptations written in Rhai, with the KnobKraft function names and meanings, run in
//! a sandboxed engine (operation, call-depth, string and array limits; no modules, no
//! `eval`, no file or network access). A runtime error disables only that adaptation and
//! is kept with the script's path and line.

use super::adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability, OMNI, PartOf,
    ProgramDumpCapability,
};
use super::sysex::{self, BitOrder};
use rhai::{AST, Array, CallFnOptions, Dynamic, Engine, EvalAltResult, FuncArgs, INT, Map, Scope};
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Operations one call may run.
pub const MAX_OPERATIONS: u64 = 5_000_000;
/// Function call depth.
pub const MAX_CALL_LEVELS: usize = 32;
/// Longest string a script may build.
pub const MAX_STRING: usize = 64 * 1024;
/// Largest array a script may build (a big bank dump fits).
pub const MAX_ARRAY: usize = 4 * 1024 * 1024;
/// Largest script file read.
pub const MAX_SCRIPT_BYTES: u64 = 1024 * 1024;

/// A script that failed to load or run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// The script file.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ScriptError {}

impl ScriptError {
    fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
    /// A script whose `name()` clashes with an adaptation already loaded.
    pub fn duplicate(path: &Path, name: &str) -> Self {
        Self::new(
            path,
            None,
            format!("an adaptation named '{name}' is already loaded; this script is skipped"),
        )
    }
    fn from_eval(path: &Path, func: &str, e: &EvalAltResult) -> Self {
        let inner = e.unwrap_inner();
        let pos = if inner.position().is_none() {
            e.position()
        } else {
            inner.position()
        };
        Self::new(path, pos.line(), format!("in {func}(): {inner}"))
    }
}

/// The sandboxed engine every script runs in, with the sysex helpers registered.
pub fn sandboxed_engine() -> Engine {
    let mut e = crate::sandbox::engine(crate::sandbox::Limits {
        operations: MAX_OPERATIONS,
        call_levels: MAX_CALL_LEVELS,
        string: MAX_STRING,
        array: MAX_ARRAY,
    });
    register_helpers(&mut e);
    e
}

/// Bytes as a Rhai array of integers.
pub fn to_array(bytes: &[u8]) -> Array {
    bytes
        .iter()
        .map(|&b| Dynamic::from_int(INT::from(b)))
        .collect()
}

/// A Rhai array (or blob) of integers 0-255 as bytes.
pub fn from_dynamic(d: &Dynamic) -> Result<Vec<u8>, String> {
    if let Some(b) = d.read_lock::<rhai::Blob>() {
        return Ok(b.clone());
    }
    let arr = d
        .read_lock::<Array>()
        .ok_or_else(|| format!("expected an array of bytes, got {}", d.type_name()))?;
    arr.iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_int()
                .ok()
                .and_then(|n| u8::try_from(n).ok())
                .ok_or_else(|| format!("element {i} of the returned array is not a byte: {v}"))
        })
        .collect()
}

fn bytes_arg(a: &Array) -> Vec<u8> {
    a.iter()
        .map(|v| v.as_int().unwrap_or(0).clamp(0, 255) as u8)
        .collect()
}

fn register_helpers(e: &mut Engine) {
    e.register_fn("unpack_7bit_lsb", |a: Array| {
        to_array(&sysex::unpack_7bit(&bytes_arg(&a), BitOrder::LsbFirst))
    });
    e.register_fn("unpack_7bit_msb", |a: Array| {
        to_array(&sysex::unpack_7bit(&bytes_arg(&a), BitOrder::MsbFirst))
    });
    e.register_fn("pack_7bit_lsb", |a: Array| {
        to_array(&sysex::pack_7bit(&bytes_arg(&a), BitOrder::LsbFirst))
    });
    e.register_fn("pack_7bit_msb", |a: Array| {
        to_array(&sysex::pack_7bit(&bytes_arg(&a), BitOrder::MsbFirst))
    });
    e.register_fn("roland_checksum", |a: Array| {
        INT::from(sysex::roland_checksum(&bytes_arg(&a)))
    });
    e.register_fn("yamaha_checksum", |a: Array| {
        INT::from(sysex::yamaha_checksum(&bytes_arg(&a)))
    });
    e.register_fn("waldorf_checksum", |a: Array| {
        INT::from(sysex::waldorf_checksum(&bytes_arg(&a)))
    });
    e.register_fn("elektron_checksum", |a: Array| {
        INT::from(sysex::elektron_checksum(&bytes_arg(&a)))
    });
    e.register_fn("digest", |a: Array| sysex::digest_hex(&[&bytes_arg(&a)]));
    e.register_fn("split_sysex", |a: Array| -> Array {
        sysex::messages(&bytes_arg(&a))
            .iter()
            .map(|m| Dynamic::from_array(to_array(m)))
            .collect()
    });
    e.register_fn("name_from_bytes", |a: Array| {
        sysex::name_from_bytes(&bytes_arg(&a))
    });
    e.register_fn("name_to_bytes", |s: &str, width: INT, pad: INT| {
        to_array(&sysex::name_to_bytes(
            s,
            usize::try_from(width.clamp(0, 256)).unwrap_or(0),
            pad.clamp(0, 127) as u8,
        ))
    });
}

/// Loads every `*.rhai` file in `dir`, sorted by name.
pub fn load_dir(dir: &Path) -> Vec<Result<ScriptAdaptation, ScriptError>> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
            .collect(),
        Err(_) => return Vec::new(),
    };
    paths.sort();
    paths.iter().map(|p| ScriptAdaptation::load(p)).collect()
}

/// A KnobKraft-style adaptation implemented by a Rhai script.
pub struct ScriptAdaptation {
    path: PathBuf,
    name: String,
    engine: Engine,
    ast: AST,
    scope: Scope<'static>,
    fns: HashSet<String>,
    failure: Mutex<Option<ScriptError>>,
}

impl ScriptAdaptation {
    /// Reads, compiles and initialises a script; it must define `name()`,
    /// `createDeviceDetectMessage` and `channelIfValidDeviceResponse`.
    pub fn load(path: &Path) -> Result<Self, ScriptError> {
        let meta =
            std::fs::metadata(path).map_err(|e| ScriptError::new(path, None, e.to_string()))?;
        if meta.len() > MAX_SCRIPT_BYTES {
            return Err(ScriptError::new(
                path,
                None,
                format!("script is {} bytes, limit {MAX_SCRIPT_BYTES}", meta.len()),
            ));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScriptError::new(path, None, e.to_string()))?;
        Self::from_source(path, &text)
    }

    /// Compiles a script from text; `path` is used in error messages.
    pub fn from_source(path: &Path, text: &str) -> Result<Self, ScriptError> {
        let engine = sandboxed_engine();
        let ast = engine
            .compile(text)
            .map_err(|e| ScriptError::new(path, e.position().line(), e.err_type().to_string()))?;
        let mut scope = Scope::new();
        engine
            .run_ast_with_scope(&mut scope, &ast)
            .map_err(|e| ScriptError::from_eval(path, "<top level>", &e))?;
        let fns: HashSet<String> = ast.iter_functions().map(|f| f.name.to_string()).collect();
        for required in [
            "name",
            "createDeviceDetectMessage",
            "channelIfValidDeviceResponse",
        ] {
            if !fns.contains(required) {
                return Err(ScriptError::new(
                    path,
                    None,
                    format!("the required function {required}() is missing"),
                ));
            }
        }
        let mut a = Self {
            path: path.to_path_buf(),
            name: String::new(),
            engine,
            ast,
            scope,
            fns,
            failure: Mutex::new(None),
        };
        let name = a
            .try_call("name", ())?
            .into_immutable_string()
            .map_err(|t| {
                ScriptError::new(path, None, format!("name() must return a string, not {t}"))
            })?;
        if name.trim().is_empty() {
            return Err(ScriptError::new(
                path,
                None,
                "name() returned an empty name",
            ));
        }
        a.name = name.to_string();
        Ok(a)
    }

    /// The script file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The error that disabled this adaptation, if any.
    pub fn script_failure(&self) -> Option<ScriptError> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }

    /// True when the script defines `function`.
    pub fn has(&self, function: &str) -> bool {
        self.fns.contains(function)
    }

    fn try_call(&self, func: &str, args: impl FuncArgs) -> Result<Dynamic, ScriptError> {
        let mut scope = self.scope.clone();
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        self.engine
            .call_fn_with_options::<Dynamic>(options, &mut scope, &self.ast, func, args)
            .map_err(|e| ScriptError::from_eval(&self.path, func, &e))
    }

    /// Calls `func` when defined and the script is not disabled; an error disables it.
    fn call(&self, func: &str, args: impl FuncArgs) -> Option<Dynamic> {
        if !self.has(func) || self.script_failure().is_some() {
            return None;
        }
        match self.try_call(func, args) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    fn fail(&self, e: ScriptError) {
        if let Ok(mut f) = self.failure.lock()
            && f.is_none()
        {
            *f = Some(e);
        }
    }

    fn type_error(&self, func: &str, what: &str) {
        self.fail(ScriptError::new(
            &self.path,
            None,
            format!("{func}() must return {what}"),
        ));
    }

    fn call_bytes(&self, func: &str, args: impl FuncArgs) -> Option<Vec<u8>> {
        let v = self.call(func, args)?;
        match from_dynamic(&v) {
            Ok(b) => Some(b),
            Err(e) => {
                self.type_error(func, &format!("an array of bytes ({e})"));
                None
            }
        }
    }
    fn call_bool(&self, func: &str, args: impl FuncArgs) -> Option<bool> {
        let v = self.call(func, args)?;
        match v.as_bool() {
            Ok(b) => Some(b),
            Err(_) => {
                self.type_error(func, "true or false");
                None
            }
        }
    }
    fn call_int(&self, func: &str, args: impl FuncArgs) -> Option<INT> {
        let v = self.call(func, args)?;
        match v.as_int() {
            Ok(i) => Some(i),
            Err(_) => {
                self.type_error(func, "an integer");
                None
            }
        }
    }
    fn call_string(&self, func: &str, args: impl FuncArgs) -> Option<String> {
        let v = self.call(func, args)?;
        match v.into_immutable_string() {
            Ok(s) => Some(s.to_string()),
            Err(_) => {
                self.type_error(func, "a string");
                None
            }
        }
    }
    /// `bool` or `[bool, reply]` (the KnobKraft tuple form).
    fn call_part_of(&self, func: &str, message: &[u8]) -> PartOf {
        let Some(v) = self.call(func, (to_array(message),)) else {
            return PartOf::No;
        };
        if let Ok(b) = v.as_bool() {
            return if b { PartOf::Yes } else { PartOf::No };
        }
        if let Some(arr) = v.read_lock::<Array>()
            && let (Some(flag), Some(reply)) = (arr.first(), arr.get(1))
            && let (Ok(flag), Ok(reply)) = (flag.as_bool(), from_dynamic(reply))
        {
            return match (flag, reply.is_empty()) {
                (false, _) => PartOf::No,
                (true, true) => PartOf::Yes,
                (true, false) => PartOf::YesReply(reply),
            };
        }
        self.type_error(func, "true/false or [true/false, reply bytes]");
        PartOf::No
    }

    fn messages_arg(messages: &[Vec<u8>]) -> Array {
        messages
            .iter()
            .map(|m| Dynamic::from_array(to_array(m)))
            .collect()
    }
}

fn channel_arg(channel: u8) -> INT {
    INT::from(channel)
}

impl Adaptation for ScriptAdaptation {
    fn name(&self) -> String {
        self.name.clone()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        self.call_bytes("createDeviceDetectMessage", (channel_arg(channel),))
            .unwrap_or_default()
    }
    fn channel_if_valid_device_response(&self, message: &[u8]) -> Option<u8> {
        self.call_int("channelIfValidDeviceResponse", (to_array(message),))
            .and_then(|c| u8::try_from(c).ok())
            .filter(|&c| c < 16 || c == OMNI)
            .map(|c| c & 0x0F)
    }
    fn needs_channel_specific_detection(&self) -> bool {
        self.call_bool("needsChannelSpecificDetection", ())
            .unwrap_or(true)
    }
    fn device_detect_wait_ms(&self) -> u64 {
        self.call_int("deviceDetectWaitMilliseconds", ())
            .map(|v| v.clamp(0, crate::librarian::adaptation::kk::MAX_DETECT_WAIT_MS) as u64)
            .unwrap_or(200)
    }
    fn edit_buffer(&self) -> Option<&dyn EditBufferCapability> {
        crate::librarian::adaptation::kk::edit_buffer(|f| self.has(f))
            .then_some(self as &dyn EditBufferCapability)
    }
    fn program_dump(&self) -> Option<&dyn ProgramDumpCapability> {
        crate::librarian::adaptation::kk::program_dump(|f| self.has(f))
            .then_some(self as &dyn ProgramDumpCapability)
    }
    fn bank_dump(&self) -> Option<&dyn BankDumpCapability> {
        crate::librarian::adaptation::kk::bank_dump(|f| self.has(f))
            .then_some(self as &dyn BankDumpCapability)
    }
    fn bank_descriptors(&self) -> Vec<BankDescriptor> {
        if let Some(v) = self.call("bankDescriptors", ()) {
            let Some(arr) = v.read_lock::<Array>() else {
                self.type_error("bankDescriptors", "an array of maps");
                return Vec::new();
            };
            return arr
                .iter()
                .enumerate()
                .filter_map(|(i, d)| {
                    let m = d.read_lock::<Map>()?;
                    let get = |k: &str| m.get(k).cloned();
                    Some(BankDescriptor {
                        bank: get("bank")
                            .and_then(|v| v.as_int().ok())
                            .map_or(i as u32, |b| b.clamp(0, INT::from(u32::MAX)) as u32),
                        name: get("name")
                            .map(|v| v.to_string())
                            .unwrap_or_else(|| format!("Bank {}", i + 1)),
                        size: get("size")
                            .and_then(|v| v.as_int().ok())
                            .map_or(0, |s| s.clamp(0, 1 << 20) as u32),
                        kind: get("type").map_or_else(|| "Patch".into(), |v| v.to_string()),
                        is_rom: get("isROM").and_then(|v| v.as_bool().ok()).unwrap_or(false),
                    })
                })
                .collect();
        }
        let banks = self.call_int("numberOfBanks", ());
        let per = self.call_int("numberOfPatchesPerBank", ());
        match (banks, per) {
            (Some(b), Some(p)) => (0..b.clamp(0, 1024) as u32)
                .map(|i| {
                    BankDescriptor::new(i, format!("Bank {}", i + 1), p.clamp(0, 1 << 20) as u32)
                })
                .collect(),
            _ => Vec::new(),
        }
    }
    fn name_from_dump(&self, data: &[u8]) -> Option<String> {
        self.call_string("nameFromDump", (to_array(data),))
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        self.call_bytes("renamePatch", (to_array(data), name.to_string()))
    }
    fn is_default_name(&self, name: &str) -> bool {
        self.call_bool("isDefaultName", (name.to_string(),))
            .unwrap_or_else(|| name.trim().is_empty())
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        self.call_string("calculateFingerprint", (to_array(data),))
            .unwrap_or_else(|| sysex::digest_hex(&[data]))
    }
    fn friendly_bank_name(&self, bank: u32) -> String {
        self.call_string("friendlyBankName", (INT::from(bank),))
            .unwrap_or_else(|| format!("Bank {}", bank + 1))
    }
    fn friendly_program_name(&self, program: u32) -> String {
        self.call_string("friendlyProgramName", (INT::from(program),))
            .unwrap_or_else(|| format!("{program:03}"))
    }
    fn message_delay_ms(&self) -> u64 {
        self.call_int("generalMessageDelay", ())
            .map(|v| v.clamp(0, 10_000) as u64)
            .unwrap_or(0)
    }
    fn setup_help(&self) -> String {
        self.call_string("setupHelp", ()).unwrap_or_default()
    }
    fn failure(&self) -> Option<String> {
        self.script_failure().map(|e| e.to_string())
    }
}

impl EditBufferCapability for ScriptAdaptation {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        self.call_bytes("createEditBufferRequest", (channel_arg(channel),))
            .unwrap_or_default()
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        self.call_bool("isEditBufferDump", (to_array(data),))
            .unwrap_or(false)
    }
    fn is_part_of_edit_buffer_dump(&self, message: &[u8]) -> PartOf {
        if self.has("isPartOfEditBufferDump") {
            self.call_part_of("isPartOfEditBufferDump", message)
        } else if self.is_edit_buffer_dump(message) {
            PartOf::Yes
        } else {
            PartOf::No
        }
    }
    fn convert_to_edit_buffer(&self, channel: u8, data: &[u8]) -> Option<Vec<u8>> {
        self.call_bytes(
            "convertToEditBuffer",
            (channel_arg(channel), to_array(data)),
        )
    }
}

impl ProgramDumpCapability for ScriptAdaptation {
    fn create_program_dump_request(&self, channel: u8, number: u32) -> Vec<u8> {
        self.call_bytes(
            "createProgramDumpRequest",
            (channel_arg(channel), INT::from(number)),
        )
        .unwrap_or_default()
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        self.call_bool("isSingleProgramDump", (to_array(data),))
            .unwrap_or(false)
    }
    fn is_part_of_single_program_dump(&self, message: &[u8]) -> PartOf {
        if self.has("isPartOfSingleProgramDump") {
            self.call_part_of("isPartOfSingleProgramDump", message)
        } else if self.is_single_program_dump(message) {
            PartOf::Yes
        } else {
            PartOf::No
        }
    }
    fn convert_to_program_dump(&self, channel: u8, data: &[u8], number: u32) -> Option<Vec<u8>> {
        self.call_bytes(
            "convertToProgramDump",
            (channel_arg(channel), to_array(data), INT::from(number)),
        )
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        self.call_int("numberFromDump", (to_array(data),))
            .and_then(|n| u32::try_from(n).ok())
    }
}

impl BankDumpCapability for ScriptAdaptation {
    fn create_bank_dump_request(&self, channel: u8, bank: u32) -> Option<Vec<u8>> {
        self.call_bytes(
            "createBankDumpRequest",
            (channel_arg(channel), INT::from(bank)),
        )
    }
    fn is_part_of_bank_dump(&self, message: &[u8]) -> bool {
        self.call_bool("isPartOfBankDump", (to_array(message),))
            .unwrap_or(false)
    }
    fn is_bank_dump_finished(&self, messages: &[Vec<u8>]) -> bool {
        self.call_bool("isBankDumpFinished", (Self::messages_arg(messages),))
            .unwrap_or(false)
    }
    fn extract_patches_from_bank(&self, messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
        if self.has("extractPatchesFromAllBankMessages") {
            let Some(v) = self.call(
                "extractPatchesFromAllBankMessages",
                (Self::messages_arg(messages),),
            ) else {
                return Vec::new();
            };
            let parsed: Option<Vec<Vec<u8>>> = v
                .read_lock::<Array>()
                .and_then(|a| a.iter().map(|p| from_dynamic(p).ok()).collect());
            return parsed.unwrap_or_else(|| {
                self.type_error(
                    "extractPatchesFromAllBankMessages",
                    "an array of byte arrays",
                );
                Vec::new()
            });
        }
        // Old form: one message in, all its patches concatenated out (one message each).
        messages
            .iter()
            .filter_map(|m| self.call_bytes("extractPatchesFromBank", (to_array(m),)))
            .flat_map(|flat| sysex::messages(&flat))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
fn name() { "Test synth" }
fn createDeviceDetectMessage(channel) { [0xF0, 0x7D, channel, 0xF7] }
fn channelIfValidDeviceResponse(m) { if m.len() > 3 && m[1] == 0x7D { m[2] } else { -1 } }
"#;

    fn load(text: &str) -> Result<ScriptAdaptation, ScriptError> {
        ScriptAdaptation::from_source(Path::new("/cfg/adaptations/test.rhai"), text)
    }

    #[test]
    fn minimal_script_works_and_lacks_capabilities() {
        let a = load(MINIMAL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.name(), "Test synth");
        assert_eq!(a.create_device_detect_message(3), vec![0xF0, 0x7D, 3, 0xF7]);
        assert_eq!(
            a.channel_if_valid_device_response(&[0xF0, 0x7D, 9, 0xF7]),
            Some(9)
        );
        assert_eq!(
            a.channel_if_valid_device_response(&[0xF0, 0x7E, 9, 0xF7]),
            None
        );
        assert!(a.needs_channel_specific_detection());
        assert_eq!(a.device_detect_wait_ms(), 200);
        assert!(a.edit_buffer().is_none() && a.program_dump().is_none() && a.bank_dump().is_none());
        assert!(a.script_failure().is_none());
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let e = load("fn name() { \"x\" }\n\nfn broken( {\n").err();
        let e = e.map(|e| (e.line, e.to_string()));
        assert!(
            e.as_ref().is_some_and(
                |(l, s)| *l == Some(3) && s.starts_with("/cfg/adaptations/test.rhai:3: ")
            ),
            "{e:?}"
        );
        let e = load("fn name() { \"x\" }").err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                "/cfg/adaptations/test.rhai: the required function createDeviceDetectMessage() is missing"
            )
        );
    }

    #[test]
    fn runtime_error_disables_only_this_adaptation_with_its_line() {
        let text =
            format!("{MINIMAL}\nfn nameFromDump(m) {{\n    let x = m[1000];\n    \"never\"\n}}\n");
        let a = load(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.name_from_dump(&[0xF0, 0xF7]), None);
        let f = a
            .script_failure()
            .unwrap_or_else(|| panic!("should have failed"));
        assert_eq!(f.line, Some(7), "{f}");
        assert!(
            f.to_string()
                .starts_with("/cfg/adaptations/test.rhai:7: in nameFromDump(): "),
            "{f}"
        );
        // Disabled: further calls give neutral answers, no new errors.
        assert_eq!(
            a.channel_if_valid_device_response(&[0xF0, 0x7D, 1, 0xF7]),
            None
        );
        // Another script is unaffected.
        let b = load(MINIMAL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            b.channel_if_valid_device_response(&[0xF0, 0x7D, 1, 0xF7]),
            Some(1)
        );
    }

    #[test]
    fn sandbox_limits_loops_recursion_sizes_and_io() {
        let spin = format!("{MINIMAL}\nfn setupHelp() {{ loop {{ }} }}\n");
        let a = load(&spin).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.setup_help(), "");
        assert!(
            a.script_failure()
                .is_some_and(|f| f.message.contains("operations")),
            "{:?}",
            a.script_failure()
        );

        let deep = format!("{MINIMAL}\nfn f(n) {{ f(n + 1) }}\nfn setupHelp() {{ f(0) }}\n");
        let a = load(&deep).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.setup_help(), "");
        assert!(a.script_failure().is_some());

        let big = format!("{MINIMAL}\nfn setupHelp() {{ let s = \"x\"; loop {{ s += s; }} }}\n");
        let a = load(&big).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.setup_help(), "");
        assert!(
            a.script_failure()
                .is_some_and(|f| f.message.to_lowercase().contains("length")),
            "{:?}",
            a.script_failure()
        );

        let io = format!("{MINIMAL}\nimport \"secrets\" as s;\n");
        assert!(load(&io).is_err());
        let ev = format!("{MINIMAL}\nfn setupHelp() {{ eval(\"1\") }}\n");
        assert!(load(&ev).is_err() || load(&ev).is_ok_and(|a| a.setup_help().is_empty()));
    }

    #[test]
    fn wrong_return_types_disable_with_a_message() {
        let text = format!(
            "{MINIMAL}\nfn createEditBufferRequest(c) {{ [0xF0, 300, 0xF7] }}\nfn isEditBufferDump(m) {{ false }}\nfn convertToEditBuffer(c, m) {{ m }}\n"
        );
        let a = load(&text).unwrap_or_else(|e| panic!("{e}"));
        let eb = a.edit_buffer().unwrap_or_else(|| panic!("capability"));
        assert!(eb.create_edit_buffer_request(0).is_empty());
        let f = a
            .script_failure()
            .map(|f| f.to_string())
            .unwrap_or_default();
        assert!(
            f.contains("createEditBufferRequest() must return an array of bytes"),
            "{f}"
        );
        assert!(f.contains("element 1"), "{f}");
    }

    #[test]
    fn part_of_accepts_the_handshake_tuple() {
        let text = format!(
            "{MINIMAL}\nfn isPartOfSingleProgramDump(m) {{ if m[1] == 1 {{ [true, [0xF0, 0x7D, 0x7F, 0xF7]] }} else {{ m[1] == 2 }} }}\nfn isSingleProgramDump(m) {{ false }}\nfn createProgramDumpRequest(c, n) {{ [] }}\nfn convertToProgramDump(c, m, n) {{ m }}\n"
        );
        let a = load(&text).unwrap_or_else(|e| panic!("{e}"));
        let pd = a.program_dump().unwrap_or_else(|| panic!("capability"));
        assert_eq!(
            pd.is_part_of_single_program_dump(&[0xF0, 1, 0xF7]),
            PartOf::YesReply(vec![0xF0, 0x7D, 0x7F, 0xF7])
        );
        assert_eq!(
            pd.is_part_of_single_program_dump(&[0xF0, 2, 0xF7]),
            PartOf::Yes
        );
        assert_eq!(
            pd.is_part_of_single_program_dump(&[0xF0, 3, 0xF7]),
            PartOf::No
        );
    }
}
