//! Runs a KnobKraft adaptation's own test data (`make_test_data()`, KnobKraft's
//! `testing.TestData`) inside octa: the checks of KnobKraft's generic adaptation tests
//! (names, numbers, friendly numbers, rename and fingerprint, predicates, detect messages,
//! the patch count of its test file read by octa's loader), through octa's adaptation
//! interface. This measures how many adaptations behave inside octa as in the Orm.

use super::adaptation::{Adaptation, load_patches};
use super::file::read_messages;
use super::python::PythonAdaptation;
use serde_json::Value;

/// The outcome of one adaptation's test data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfTest {
    /// The adaptation's name.
    pub name: String,
    /// Checks run.
    pub checks: usize,
    /// What failed (empty: the adaptation passes).
    pub failures: Vec<String>,
}

impl SelfTest {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

fn bytes(v: &Value) -> Option<Vec<u8>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_u64().and_then(|n| u8::try_from(n).ok()))
        .collect()
}

struct Run<'a> {
    a: &'a PythonAdaptation,
    out: SelfTest,
}

impl Run<'_> {
    fn check(&mut self, what: String, ok: bool) {
        self.out.checks += 1;
        if !ok {
            self.out.failures.push(what);
        }
    }

    fn item(&mut self, kind: &str, i: usize, p: &Value) {
        let Some(m) = bytes(&p["message"]) else {
            self.check(format!("{kind} #{i}: the test message is not bytes"), false);
            return;
        };
        let a = self.a;
        let program = kind == "program";
        if program {
            let ok = a
                .program_dump()
                .is_some_and(|pd| pd.is_single_program_dump(&m));
            self.check(format!("{kind} #{i}: isSingleProgramDump"), ok);
        } else {
            let ok = a.edit_buffer().is_some_and(|eb| eb.is_edit_buffer_dump(&m));
            self.check(format!("{kind} #{i}: isEditBufferDump"), ok);
        }
        if let Some(name) = p["name"].as_str() {
            let got = a.name_from_dump(&m);
            let ok = got.as_deref().map(str::trim) == Some(name.trim());
            self.check(format!("{kind} #{i}: name {name:?}, got {got:?}"), ok);
        }
        if program && let Some(n) = p["number"].as_u64() {
            let got = a.program_dump().and_then(|pd| pd.number_from_dump(&m));
            let ok = got.map(u64::from) == Some(n);
            self.check(format!("{kind} #{i}: number {n}, got {got:?}"), ok);
            if let Some(f) = p["friendly_number"].as_str() {
                let got = a.friendly_program_name(n as u32);
                self.check(
                    format!("{kind} #{i}: friendly number {f:?}, got {got:?}"),
                    got == f,
                );
            }
        }
        if let Some(layer) = p["second_layer_name"].as_str() {
            let got = a.layer_names(&m);
            let ok = got.get(1).map(|s| s.trim()) == Some(layer.trim());
            self.check(format!("{kind} #{i}: layer B {layer:?}, got {got:?}"), ok);
        }
        let renames = a.has("renamePatch") && !p["dont_rename"].as_bool().unwrap_or(false);
        if renames && p["name"].is_string() {
            let new = p["rename_name"].as_str().unwrap_or("new name");
            match a.rename_patch(&m, new) {
                Some(r) => {
                    let got = a.name_from_dump(&r);
                    let ok = got.as_deref().map(str::trim) == Some(new.trim());
                    self.check(format!("{kind} #{i}: renamed to {new:?}, got {got:?}"), ok);
                    // As KnobKraft's tests: only an adaptation with its own fingerprint
                    // promises that a rename keeps it (the default digests every byte).
                    if a.has("calculateFingerprint") {
                        let same = a.fingerprint(&r) == a.fingerprint(&m);
                        self.check(
                            format!("{kind} #{i}: fingerprint unchanged by rename"),
                            same,
                        );
                    }
                }
                None => self.check(format!("{kind} #{i}: renamePatch gave nothing"), false),
            }
        }
    }
}

/// Runs `make_test_data()` of `a`; `None` when the adaptation has none.
pub fn run(a: &PythonAdaptation) -> Option<SelfTest> {
    let td = match a.test_data()? {
        Ok(td) => td,
        Err(e) => {
            return Some(SelfTest {
                name: a.name(),
                checks: 1,
                failures: vec![format!("make_test_data() failed: {e}")],
            });
        }
    };
    let mut run = Run {
        a,
        out: SelfTest {
            name: a.name(),
            checks: 0,
            failures: Vec::new(),
        },
    };
    for (kind, key) in [("program", "programs"), ("edit buffer", "edit_buffers")] {
        for (i, p) in td[key].as_array().into_iter().flatten().enumerate() {
            run.item(kind, i, p);
        }
    }
    if let Some(call) = bytes(&td["device_detect_call"]) {
        let got = a.create_device_detect_message(0);
        run.check(
            format!("detect message {call:02X?}, got {got:02X?}"),
            got == call,
        );
    }
    if let Some(r) = td["device_detect_reply"].as_array()
        && let (Some(reply), Some(ch)) =
            (r.first().and_then(bytes), r.get(1).and_then(Value::as_u64))
    {
        let got = a.channel_if_valid_device_response(&reply);
        run.check(
            format!("detect reply gives channel {ch}, got {got:?}"),
            got.map(u64::from) == Some(ch),
        );
    }
    if let Some(fb) = td["friendly_bank_name"].as_array()
        && let (Some(bank), Some(name)) = (
            fb.first().and_then(Value::as_u64),
            fb.get(1).and_then(Value::as_str),
        )
    {
        let got = a.friendly_bank_name(bank as u32);
        run.check(format!("bank {bank} is {name:?}, got {got:?}"), got == name);
    }
    if let (Some(file), Some(n)) = (td["sysex"].as_str(), td["expected_patch_count"].as_u64()) {
        let path = a
            .path()
            .parent()
            .map_or_else(|| file.into(), |d| d.join(file));
        match read_messages(&path) {
            Ok(m) => {
                let got = load_patches(a, &m.messages).patches.len();
                run.check(
                    format!("{} holds {n} patches, octa read {got}", path.display()),
                    got as u64 == n,
                );
            }
            Err(e) => run.check(format!("test file: {e}"), false),
        }
    }
    if let Some(f) = a.failure() {
        run.out.failures.push(format!("disabled: {f}"));
    }
    Some(run.out)
}
