//! KnobKraft adaptations (`.py` files, unmodified) run by `python3` in a child process:
//! no rebuild and no Python headers needed, only a `python3` on the PATH (or
//! `OCTA_PYTHON`). One host process serves every adaptation of a folder (as KnobKraft's
//! embedded interpreter does) and speaks JSON lines over stdin/stdout
//! (`python_host.py`). The capability checks are the Rhai scripts' (and KnobKraft's): a
//! missing function is a missing capability. Failures are sandboxed the same way: an
//! exception, a wrong return type or a call running longer than [`CALL_TIMEOUT`]
//! disables only that adaptation, named with its file and line; octa goes on (a host
//! that dies or hangs is killed and started again for the other adaptations). This is a
//! failure sandbox, not a security one: an adaptation is Python code with the user's
//! rights, like a KnobKraft adaptation.

use super::adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability, OMNI, PartOf,
    ProgramDumpCapability,
};
use super::script::ScriptError;
use super::sysex;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The host script run by `python3 -c`.
pub const HOST: &str = include_str!("python_host.py");
/// Longest a call may run before the adaptation is disabled.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest importing all adaptations of a folder may take.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(60);

/// The Python interpreter used: `OCTA_PYTHON`, else `python3` from the PATH.
pub fn interpreter() -> PathBuf {
    std::env::var_os("OCTA_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("python3"))
}

/// True when the interpreter runs (`python3 -c pass`).
pub fn available() -> bool {
    Command::new(interpreter())
        .args(["-I", "-c", "pass"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The KnobKraft adaptation files of a folder: `*.py` except test and helper files.
pub fn adaptation_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "py"))
            .filter(|p| {
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                !(stem.starts_with("test_") || stem == "conftest" || stem.starts_with("__"))
            })
            .collect(),
        Err(_) => return Vec::new(),
    };
    paths.sort();
    paths
}

struct Proc {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Why a call failed.
enum CallError {
    /// The adaptation raised (message, file, line).
    Raised(String, Option<PathBuf>, Option<usize>),
    /// The host did not answer (died, hung, garbled).
    Host(String),
}

/// One `python3` process holding the adaptations of a set of files.
pub struct PythonHost {
    paths: Vec<PathBuf>,
    proc: Mutex<Option<Proc>>,
    timeout: Duration,
}

fn raised(v: &Value) -> CallError {
    CallError::Raised(
        v["err"].as_str().unwrap_or("error").to_string(),
        v["file"].as_str().map(PathBuf::from),
        v["line"].as_u64().map(|l| l as usize),
    )
}

impl PythonHost {
    fn new(paths: Vec<PathBuf>) -> Self {
        Self {
            paths,
            proc: Mutex::new(None),
            timeout: CALL_TIMEOUT,
        }
    }

    /// Starts the host and imports every file; one result per file (its functions, or why
    /// it failed).
    fn start(&self) -> Result<(Proc, Vec<Value>), String> {
        let python = interpreter();
        let mut child = Command::new(&python)
            .args(["-I", "-B", "-u", "-c", HOST])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            return Err("the Python host has no pipes".into());
        };
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("octa-python-host".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        let mut p = Proc {
            child,
            stdin,
            lines: rx,
        };
        let paths: Vec<Value> = self
            .paths
            .iter()
            .map(|p| Value::from(p.to_string_lossy().into_owned()))
            .collect();
        let load = json!({ "load": paths });
        let first = send(&mut p, &load, LOAD_TIMEOUT)?;
        let results = first
            .as_array()
            .cloned()
            .filter(|r| r.len() == self.paths.len())
            .ok_or_else(|| "the Python host answered the load request wrongly".to_string())?;
        Ok((p, results))
    }

    fn call(&self, module: usize, func: &str, args: Vec<Value>) -> Result<Value, CallError> {
        let mut guard = self
            .proc
            .lock()
            .map_err(|_| CallError::Host("the Python host lock is poisoned".into()))?;
        if guard.is_none() {
            let (p, _) = self.start().map_err(CallError::Host)?;
            *guard = Some(p);
        }
        let Some(p) = guard.as_mut() else {
            return Err(CallError::Host("no Python host".into()));
        };
        let req = json!({ "m": module, "f": func, "a": args });
        match send(p, &req, self.timeout) {
            Ok(v) if v.get("ok").is_some() => Ok(v["ok"].clone()),
            Ok(v) => Err(raised(&v)),
            Err(e) => {
                // Dead, hung or garbled: kill it; the next call starts a fresh one.
                *guard = None;
                Err(CallError::Host(e))
            }
        }
    }
}

fn send(p: &mut Proc, req: &Value, timeout: Duration) -> Result<Value, String> {
    let mut line = req.to_string();
    line.push('\n');
    p.stdin
        .write_all(line.as_bytes())
        .and_then(|()| p.stdin.flush())
        .map_err(|e| format!("the Python host stopped ({e})"))?;
    match p.lines.recv_timeout(timeout) {
        Ok(l) => {
            serde_json::from_str(&l).map_err(|e| format!("bad answer from the Python host: {e}"))
        }
        Err(RecvTimeoutError::Timeout) => {
            Err(format!("no answer within {} s (killed)", timeout.as_secs()))
        }
        Err(RecvTimeoutError::Disconnected) => Err("the Python host exited".into()),
    }
}

/// Loads KnobKraft adaptation files into one host: the adaptations that load, and an
/// error (file and line) for each that does not.
pub fn load_files(paths: &[PathBuf]) -> (Vec<PythonAdaptation>, Vec<ScriptError>) {
    if paths.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let host = Arc::new(PythonHost::new(paths.to_vec()));
    let (proc, results) = match host.start() {
        Ok(x) => x,
        Err(e) => {
            let errors = paths
                .iter()
                .map(|p| ScriptError {
                    path: p.clone(),
                    line: None,
                    message: format!("not loaded: {e}"),
                })
                .collect();
            return (Vec::new(), errors);
        }
    };
    if let Ok(mut g) = host.proc.lock() {
        *g = Some(proc);
    }
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for (i, (path, r)) in paths.iter().zip(results).enumerate() {
        if r.get("ok").is_none() {
            let CallError::Raised(message, file, line) = raised(&r) else {
                continue;
            };
            errors.push(ScriptError {
                path: file.unwrap_or_else(|| path.clone()),
                line,
                message: format!("not loaded: {message}"),
            });
            continue;
        }
        let fns: HashSet<String> = r["ok"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        match PythonAdaptation::new(host.clone(), i, path, fns) {
            Ok(a) => ok.push(a),
            Err(e) => errors.push(e),
        }
    }
    (ok, errors)
}

/// One KnobKraft adaptation in a Python host.
pub struct PythonAdaptation {
    host: Arc<PythonHost>,
    module: usize,
    path: PathBuf,
    name: String,
    fns: HashSet<String>,
    failure: Mutex<Option<ScriptError>>,
}

fn bytes(b: &[u8]) -> Value {
    Value::Array(b.iter().map(|&x| Value::from(x)).collect())
}

fn to_bytes(v: &Value) -> Result<Vec<u8>, String> {
    let a = v
        .as_array()
        .ok_or_else(|| format!("expected a list of bytes, got {v}"))?;
    a.iter()
        .enumerate()
        .map(|(i, x)| {
            x.as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .ok_or_else(|| format!("element {i} of the returned list is not a byte: {x}"))
        })
        .collect()
}

impl PythonAdaptation {
    fn new(
        host: Arc<PythonHost>,
        module: usize,
        path: &Path,
        fns: HashSet<String>,
    ) -> Result<Self, ScriptError> {
        let err = |m: String| ScriptError {
            path: path.to_path_buf(),
            line: None,
            message: m,
        };
        for required in [
            "name",
            "createDeviceDetectMessage",
            "channelIfValidDeviceResponse",
        ] {
            if !fns.contains(required) {
                return Err(err(format!(
                    "the required function {required}() is missing"
                )));
            }
        }
        let mut a = Self {
            host,
            module,
            path: path.to_path_buf(),
            name: String::new(),
            fns,
            failure: Mutex::new(None),
        };
        let name = a
            .call("name", vec![])
            .and_then(|v| v.as_str().map(String::from));
        match (name, a.python_failure()) {
            (_, Some(f)) => Err(f),
            (Some(n), None) if !n.trim().is_empty() => {
                a.name = n;
                Ok(a)
            }
            _ => Err(err("name() must return a non-empty string".into())),
        }
    }

    /// The adaptation file.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// Why this adaptation was disabled, if it was.
    pub fn python_failure(&self) -> Option<ScriptError> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }
    /// True when the adaptation defines `function`.
    pub fn has(&self, function: &str) -> bool {
        self.fns.contains(function)
    }
    /// Calls any function of the adaptation (for tests and `make_test_data`-style checks);
    /// `None` when it is missing or failed (the failure is kept).
    pub fn call(&self, func: &str, args: Vec<Value>) -> Option<Value> {
        if !self.has(func) || self.python_failure().is_some() {
            return None;
        }
        match self.host.call(self.module, func, args) {
            Ok(v) => Some(v),
            Err(CallError::Raised(message, file, line)) => {
                self.fail(ScriptError {
                    path: file.unwrap_or_else(|| self.path.clone()),
                    line,
                    message: format!("in {func}(): {message}"),
                });
                None
            }
            Err(CallError::Host(e)) => {
                self.fail(ScriptError {
                    path: self.path.clone(),
                    line: None,
                    message: format!("in {func}(): {e}"),
                });
                None
            }
        }
    }
    /// The adaptation's `make_test_data()` as plain data (programs, edit buffers, detect
    /// messages, test file and patch count; see `python_host.py`); `None` when it has none.
    /// An error there is returned and does not disable the adaptation.
    pub fn test_data(&self) -> Option<Result<Value, String>> {
        if !self.has("make_test_data") {
            return None;
        }
        Some(
            match self.host.call(self.module, "__octa_test_data__", vec![]) {
                Ok(v) => Ok(v),
                Err(CallError::Raised(message, file, line)) => {
                    let file = file.unwrap_or_else(|| self.path.clone());
                    Err(match line {
                        Some(l) => format!("{}:{l}: {message}", file.display()),
                        None => format!("{}: {message}", file.display()),
                    })
                }
                Err(CallError::Host(e)) => Err(e),
            },
        )
    }
    fn fail(&self, e: ScriptError) {
        if let Ok(mut f) = self.failure.lock()
            && f.is_none()
        {
            *f = Some(e);
        }
    }
    fn type_error(&self, func: &str, what: &str) {
        self.fail(ScriptError {
            path: self.path.clone(),
            line: None,
            message: format!("{func}() must return {what}"),
        });
    }
    fn call_bytes(&self, func: &str, args: Vec<Value>) -> Option<Vec<u8>> {
        let v = self.call(func, args)?;
        to_bytes(&v)
            .map_err(|e| self.type_error(func, &format!("a list of bytes ({e})")))
            .ok()
    }
    fn call_bool(&self, func: &str, args: Vec<Value>) -> Option<bool> {
        let v = self.call(func, args)?;
        let b = v.as_bool();
        if b.is_none() {
            self.type_error(func, "True or False");
        }
        b
    }
    fn call_int(&self, func: &str, args: Vec<Value>) -> Option<i64> {
        let v = self.call(func, args)?;
        let i = v.as_i64();
        if i.is_none() {
            self.type_error(func, "an integer");
        }
        i
    }
    fn call_string(&self, func: &str, args: Vec<Value>) -> Option<String> {
        let v = self.call(func, args)?;
        let s = v.as_str().map(String::from);
        if s.is_none() {
            self.type_error(func, "a string");
        }
        s
    }
    fn call_part_of(&self, func: &str, message: &[u8]) -> PartOf {
        let Some(v) = self.call(func, vec![bytes(message)]) else {
            return PartOf::No;
        };
        if let Some(b) = v.as_bool() {
            return if b { PartOf::Yes } else { PartOf::No };
        }
        if let Some(a) = v.as_array()
            && let (Some(flag), Some(reply)) = (a.first().and_then(Value::as_bool), a.get(1))
            && let Ok(reply) = to_bytes(reply)
        {
            return match (flag, reply.is_empty()) {
                (false, _) => PartOf::No,
                (true, true) => PartOf::Yes,
                (true, false) => PartOf::YesReply(reply),
            };
        }
        self.type_error(func, "True/False or (True/False, reply bytes)");
        PartOf::No
    }
    fn messages(messages: &[Vec<u8>]) -> Value {
        Value::Array(messages.iter().map(|m| bytes(m)).collect())
    }
}

impl Adaptation for PythonAdaptation {
    fn name(&self) -> String {
        self.name.clone()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        self.call_bytes("createDeviceDetectMessage", vec![channel.into()])
            .unwrap_or_default()
    }
    fn channel_if_valid_device_response(&self, message: &[u8]) -> Option<u8> {
        self.call_int("channelIfValidDeviceResponse", vec![bytes(message)])
            .and_then(|c| u8::try_from(c).ok())
            .filter(|&c| c < 16 || c == OMNI)
            .map(|c| c & 0x0F)
    }
    fn needs_channel_specific_detection(&self) -> bool {
        self.call_bool("needsChannelSpecificDetection", vec![])
            .unwrap_or(true)
    }
    fn device_detect_wait_ms(&self) -> u64 {
        self.call_int("deviceDetectWaitMilliseconds", vec![])
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
        if let Some(v) = self.call("bankDescriptors", vec![]) {
            let Some(arr) = v.as_array() else {
                self.type_error("bankDescriptors", "a list of dicts");
                return Vec::new();
            };
            return arr
                .iter()
                .enumerate()
                .map(|(i, d)| BankDescriptor {
                    bank: d["bank"]
                        .as_u64()
                        .map_or(i as u32, |b| b.min(1 << 20) as u32),
                    name: d["name"]
                        .as_str()
                        .map_or_else(|| format!("Bank {}", i + 1), String::from),
                    size: d["size"].as_u64().map_or(0, |s| s.min(1 << 20) as u32),
                    kind: d["type"].as_str().unwrap_or("Patch").to_string(),
                    is_rom: d["isROM"].as_bool().unwrap_or(false),
                })
                .collect();
        }
        let banks = self.call_int("numberOfBanks", vec![]);
        let per = self.call_int("numberOfPatchesPerBank", vec![]);
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
        self.call_string("nameFromDump", vec![bytes(data)])
    }
    fn rename_patch(&self, data: &[u8], name: &str) -> Option<Vec<u8>> {
        self.call_bytes("renamePatch", vec![bytes(data), name.into()])
    }
    fn is_default_name(&self, name: &str) -> bool {
        self.call_bool("isDefaultName", vec![name.into()])
            .unwrap_or_else(|| name.trim().is_empty())
    }
    fn fingerprint(&self, data: &[u8]) -> String {
        self.call_string("calculateFingerprint", vec![bytes(data)])
            .unwrap_or_else(|| sysex::digest_hex(&[data]))
    }
    fn friendly_bank_name(&self, bank: u32) -> String {
        self.call_string("friendlyBankName", vec![bank.into()])
            .unwrap_or_else(|| format!("Bank {}", bank + 1))
    }
    fn friendly_program_name(&self, program: u32) -> String {
        self.call_string("friendlyProgramName", vec![program.into()])
            .unwrap_or_else(|| format!("{program:03}"))
    }
    fn message_delay_ms(&self) -> u64 {
        self.call_int("generalMessageDelay", vec![])
            .map(|v| v.clamp(0, 10_000) as u64)
            .unwrap_or(0)
    }
    fn setup_help(&self) -> String {
        self.call_string("setupHelp", vec![]).unwrap_or_default()
    }
    fn failure(&self) -> Option<String> {
        self.python_failure().map(|e| e.to_string())
    }
    fn layer_names(&self, data: &[u8]) -> Vec<String> {
        let Some(n) = self
            .has("layerName")
            .then(|| self.call_int("numberOfLayers", vec![bytes(data)]))
            .flatten()
        else {
            return Vec::new();
        };
        (0..n.clamp(0, 16))
            .filter_map(|i| self.call_string("layerName", vec![bytes(data), i.into()]))
            .collect()
    }
    fn rename_layer(&self, data: &[u8], layer: usize, name: &str) -> Option<Vec<u8>> {
        self.call_bytes("setLayerName", vec![bytes(data), layer.into(), name.into()])
    }
}

impl EditBufferCapability for PythonAdaptation {
    fn create_edit_buffer_request(&self, channel: u8) -> Vec<u8> {
        self.call_bytes("createEditBufferRequest", vec![channel.into()])
            .unwrap_or_default()
    }
    fn is_edit_buffer_dump(&self, data: &[u8]) -> bool {
        self.call_bool("isEditBufferDump", vec![bytes(data)])
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
        self.call_bytes("convertToEditBuffer", vec![channel.into(), bytes(data)])
    }
}

impl ProgramDumpCapability for PythonAdaptation {
    fn create_program_dump_request(&self, channel: u8, number: u32) -> Vec<u8> {
        self.call_bytes(
            "createProgramDumpRequest",
            vec![channel.into(), number.into()],
        )
        .unwrap_or_default()
    }
    fn is_single_program_dump(&self, data: &[u8]) -> bool {
        self.call_bool("isSingleProgramDump", vec![bytes(data)])
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
            vec![channel.into(), bytes(data), number.into()],
        )
    }
    fn number_from_dump(&self, data: &[u8]) -> Option<u32> {
        if !self.has("numberFromDump") {
            return None;
        }
        self.call_int("numberFromDump", vec![bytes(data)])
            .and_then(|n| u32::try_from(n).ok())
    }
}

impl BankDumpCapability for PythonAdaptation {
    fn create_bank_dump_request(&self, channel: u8, bank: u32) -> Option<Vec<u8>> {
        self.call_bytes("createBankDumpRequest", vec![channel.into(), bank.into()])
    }
    fn is_part_of_bank_dump(&self, message: &[u8]) -> bool {
        self.call_bool("isPartOfBankDump", vec![bytes(message)])
            .unwrap_or(false)
    }
    fn is_bank_dump_finished(&self, messages: &[Vec<u8>]) -> bool {
        self.call_bool("isBankDumpFinished", vec![Self::messages(messages)])
            .unwrap_or(false)
    }
    fn extract_patches_from_bank(&self, messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
        if self.has("extractPatchesFromAllBankMessages") {
            let Some(v) = self.call(
                "extractPatchesFromAllBankMessages",
                vec![Self::messages(messages)],
            ) else {
                return Vec::new();
            };
            let parsed: Option<Vec<Vec<u8>>> = v
                .as_array()
                .and_then(|a| a.iter().map(|p| to_bytes(p).ok()).collect());
            return parsed.unwrap_or_else(|| {
                self.type_error("extractPatchesFromAllBankMessages", "a list of byte lists");
                Vec::new()
            });
        }
        messages
            .iter()
            .filter_map(|m| self.call_bytes("extractPatchesFromBank", vec![bytes(m)]))
            .flat_map(|flat| sysex::messages(&flat))
            .collect()
    }
}
