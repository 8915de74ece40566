#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    reason = "a test: a panic is a failed test; a skip says why on stderr"
)]
//! KnobKraft `.py` adaptations run unmodified by octa's Python host: one written for the
//! test (`tests/adaptations/kk_prophet6.py`) passes the same corpus checks as the built-in
//! Prophet-6; broken ones are disabled naming their file and line while the others go on;
//! loading happens on a background thread.

use octa::librarian::Registry;
use octa::librarian::adaptation::Adaptation;
use octa::librarian::file::{read_messages, recognise};
use octa::librarian::python;
use octa::testutil::corpus;
use std::path::{Path, PathBuf};

/// Python 3 must be there: without it the test fails under `CI` and skips otherwise.
fn python_or_skip() -> bool {
    if python::available() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "python3 is needed for the KnobKraft adaptation tests (scripts/setup.sh installs it)"
    );
    eprintln!("python3 not found: KnobKraft adaptation tests skipped");
    false
}

fn kk_prophet6() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adaptations/kk_prophet6.py")
}

const BROKEN: &str = "\
def name():
    return 'Broken synth'


def createDeviceDetectMessage(channel):
    return [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]


def channelIfValidDeviceResponse(message):
    return -1


def isEditBufferDump(message):
    return len(message) > 3 and message[1] == 0x01 and message[2] == 0x2D


def createEditBufferRequest(channel):
    return [0xF0, 0x01, 0x2D, 0x06, 0xF7]


def convertToEditBuffer(channel, message):
    return message


def nameFromDump(message):
    raise ValueError('broken on purpose')
";

#[test]
fn a_knobkraft_adaptation_passes_the_prophet6_corpus_checks() {
    if !python_or_skip() {
        return;
    }
    let Some(path) = corpus("sysex/sequential-prophet6/P6_Programs_v1.01.syx") else {
        return;
    };
    let mut registry = Registry::empty();
    registry.load_python_in_background(vec![vec![kk_prophet6()]]);
    registry.wait_for_python();
    let set = registry.python().unwrap();
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    assert_eq!(set.adaptations.len(), 1);

    let m = read_messages(&path).unwrap();
    let r = recognise(&registry, &m.messages, None).unwrap();
    assert_eq!(r.device.name(), "Prophet-6 (KnobKraft style)");
    assert!(r.loaded.unclaimed.is_empty() && r.loaded.problems.is_empty());
    let patches = &r.loaded.patches;
    assert_eq!(patches.len(), 500);
    assert_eq!(patches[2].name, "Thick Low Brass     ");
    assert_eq!(patches[2].display_name(), "Thick Low Brass");
    assert_eq!(patches[2].number, Some(2));
    assert_eq!(r.device.friendly_program_name(2), "002");

    // The same facts as the built-in: names and numbers of every patch.
    let builtin = recognise(&Registry::builtin(), &m.messages, None).unwrap();
    assert_eq!(builtin.device.name(), "Sequential Prophet 6");
    for (p, b) in patches.iter().zip(&builtin.loaded.patches) {
        assert_eq!((&p.name, p.number), (&b.name, b.number));
    }
    let a = r.device.clone();
    for p in patches.iter().step_by(50) {
        let renamed = a.rename_patch(&p.data, "Renamed").unwrap();
        assert_eq!(a.name_from_dump(&renamed).unwrap().trim(), "Renamed");
        assert_eq!(a.fingerprint(&renamed), p.fingerprint);
        assert_ne!(renamed, p.data);
        assert_eq!(a.rename_patch(&p.data, &p.name).unwrap(), p.data);
        let eb = a
            .edit_buffer()
            .unwrap()
            .convert_to_edit_buffer(0, &p.data)
            .unwrap();
        assert!(a.edit_buffer().unwrap().is_edit_buffer_dump(&eb));
        // Built-in and Python agree on the edit buffer bytes.
        let b = builtin.device.edit_buffer().unwrap();
        assert_eq!(b.convert_to_edit_buffer(0, &p.data).unwrap(), eb);
    }
    assert!(a.failure().is_none());
}

#[test]
fn broken_adaptations_are_disabled_naming_file_and_line() {
    if !python_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.py");
    std::fs::write(&broken, BROKEN).unwrap();
    let syntax = dir.path().join("syntax.py");
    std::fs::write(&syntax, "def name():\n    return 'x'\n\ndef oops(:\n").unwrap();
    let missing = dir.path().join("missing.py");
    std::fs::write(&missing, "def name():\n    return 'Half'\n").unwrap();
    let raises = dir.path().join("raises.py");
    std::fs::write(
        &raises,
        "import sys\n\nx = 1\nraise RuntimeError('at import')\n",
    )
    .unwrap();
    let good = dir.path().join("zz_good.py");
    std::fs::copy(kk_prophet6(), &good).unwrap();
    let files = python::adaptation_files(dir.path());
    assert_eq!(files.len(), 5);

    let mut registry = Registry::empty();
    registry.load_python_in_background(vec![files]);
    registry.wait_for_python();
    let set = registry.python().unwrap();
    let errors: Vec<String> = set.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    let has = |file: &Path, line: &str, what: &str| {
        errors
            .iter()
            .any(|e| e.starts_with(&format!("{}{line}", file.display())) && e.contains(what))
    };
    assert!(has(&syntax, ":4: ", "SyntaxError"), "{errors:?}");
    assert!(
        has(&raises, ":4: ", "RuntimeError: at import"),
        "{errors:?}"
    );
    assert!(
        has(&missing, ": ", "createDeviceDetectMessage() is missing"),
        "{errors:?}"
    );
    assert_eq!(set.adaptations.len(), 2);

    // The broken one fails at run time: disabled with its line, the good one goes on.
    let b = registry.find("Broken synth").unwrap();
    let msg = [0xF0, 0x01, 0x2D, 0x03, 0x00, 0xF7];
    assert_eq!(b.name_from_dump(&msg), None);
    let f = b.failure().unwrap();
    assert!(
        f.starts_with(&format!(
            "{}:26: in nameFromDump(): ValueError: broken on purpose",
            broken.display()
        )),
        "{f}"
    );
    // Disabled: it answers nothing any more.
    assert!(!b.edit_buffer().unwrap().is_edit_buffer_dump(&msg));
    let g = registry.find("Prophet-6 (KnobKraft style)").unwrap();
    assert_eq!(
        g.program_dump()
            .unwrap()
            .create_program_dump_request(0, 205),
        [0xF0, 0x01, 0x2D, 0x05, 2, 5, 0xF7]
    );
    assert!(g.failure().is_none());
}

#[test]
fn a_hanging_adaptation_times_out_and_the_host_restarts() {
    if !python_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a_hang.py"),
        "def name():\n    return 'Hang'\n\ndef createDeviceDetectMessage(c):\n    return []\n\n\
         def channelIfValidDeviceResponse(m):\n    return -1\n\ndef setupHelp():\n    while True:\n        pass\n",
    )
    .unwrap();
    std::fs::copy(kk_prophet6(), dir.path().join("b_good.py")).unwrap();
    let (ok, errors) = python::load_files(&python::adaptation_files(dir.path()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].setup_help(), "");
    let f = ok[0].failure().unwrap();
    assert!(f.contains("in setupHelp(): no answer within"), "{f}");
    // The other adaptation of the killed host still answers (a fresh host).
    assert_eq!(ok[1].friendly_program_name(7), "007");
    assert!(ok[1].failure().is_none());
}

/// A stand-in for KnobKraft's `testing` package (the attribute names its
/// `make_test_data()` functions use), written for this test.
const TESTING: &str = "\
class ProgramTestData:
    def __init__(self, message, name=None, number=None, friendly_number=None,
                 rename_name=None, dont_rename=False, second_layer_name=None):
        self.message = message
        self.name = name
        self.number = number
        self.friendly_number = friendly_number
        self.rename_name = rename_name
        self.dont_rename = dont_rename
        self.second_layer_name = second_layer_name


class TestData:
    def __init__(self, sysex=None, program_generator=None, expected_patch_count=1,
                 device_detect_reply=None, friendly_bank_name=None):
        self.sysex = sysex
        data = open(sysex, 'rb').read() if sysex else b''
        self.all_messages = []
        start = 0
        for i, b in enumerate(data):
            if b == 0xF0:
                start = i
            elif b == 0xF7:
                self.all_messages.append(list(data[start:i + 1]))
        self.programs = list(program_generator(self)) if program_generator else []
        self.expected_patch_count = expected_patch_count
        self.device_detect_reply = device_detect_reply
        self.friendly_bank_name = friendly_bank_name
";

fn with_test_data(name: &str, sysex: &Path, expected_name: &str) -> String {
    let base = std::fs::read_to_string(kk_prophet6()).unwrap();
    format!(
        "{}\n\ndef make_test_data():\n    import testing\n\n    def programs(data):\n        \
         yield testing.ProgramTestData(message=data.all_messages[2], name='{expected_name}', number=2, friendly_number='002')\n\n    \
         return testing.TestData(sysex='{}', program_generator=programs, expected_patch_count=500,\n        \
         device_detect_reply=([0xF0, 0x7E, 0x03, 0x06, 0x02, 0x01, 0x2D, 1, 0, 0, 1, 0, 0, 0xF7], 3))\n",
        base.replace("Prophet-6 (KnobKraft style)", name),
        sysex.display()
    )
}

#[test]
fn make_test_data_runs_inside_octa_and_counts_passes() {
    use octa::librarian::kk_test;
    if !python_or_skip() {
        return;
    }
    let Some(sysex) = corpus("sysex/sequential-prophet6/P6_Programs_v1.01.syx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("testing")).unwrap();
    std::fs::write(dir.path().join("testing/__init__.py"), TESTING).unwrap();
    std::fs::write(
        dir.path().join("a_good.py"),
        with_test_data("P6 good", &sysex, "Thick Low Brass"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b_wrong.py"),
        with_test_data("P6 wrong", &sysex, "Thin High Brass"),
    )
    .unwrap();
    std::fs::copy(kk_prophet6(), dir.path().join("c_no_data.py")).unwrap();
    let (ok, errors) = python::load_files(&python::adaptation_files(dir.path()));
    assert!(errors.is_empty(), "{errors:?}");
    let results: Vec<Option<kk_test::SelfTest>> = ok.iter().map(kk_test::run).collect();
    let good = results[0].as_ref().unwrap();
    assert!(good.passed(), "{:?}", good.failures);
    // isSingleProgramDump, name, number, friendly number, rename, fingerprint, detect
    // reply, patch count.
    assert_eq!(good.checks, 8, "{good:?}");
    let wrong = results[1].as_ref().unwrap();
    assert!(!wrong.passed());
    assert_eq!(wrong.failures.len(), 1, "{:?}", wrong.failures);
    assert!(
        wrong.failures[0].contains("Thin High Brass"),
        "{:?}",
        wrong.failures
    );
    assert!(results[2].is_none());
}

#[test]
fn octa_provides_knobkraft_and_testing_when_the_folder_lacks_them() {
    use octa::librarian::kk_test;
    if !python_or_skip() {
        return;
    }
    let Some(sysex) = corpus("sysex/sequential-prophet6/P6_Programs_v1.01.syx") else {
        return;
    };
    // No `testing/` or `knobkraft/` in this folder: octa's host provides them. The test data
    // uses both (a hex string message through `knobkraft.stringToSyx` and `MidiMessage`, the
    // file through `TestData(sysex=...)`), as KnobKraft's own adaptations do.
    let dir = tempfile::tempdir().unwrap();
    let body = with_test_data("P6 shim", &sysex, "Thick Low Brass").replace(
        "    import testing\n",
        "    import testing\n    import knobkraft\n    assert knobkraft.stringToSyx('F0 7E 7F 06 01 F7') == [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]\n    assert len(knobkraft.load_sysex('SYSEX')) == 500\n",
    );
    let body = body.replace("SYSEX", &sysex.display().to_string());
    std::fs::write(dir.path().join("a_shim.py"), body).unwrap();
    // A folder's own package wins over octa's: this one's `knobkraft` names the synth.
    let own = tempfile::tempdir().unwrap();
    std::fs::create_dir(own.path().join("knobkraft")).unwrap();
    std::fs::write(
        own.path().join("knobkraft/__init__.py"),
        "def marker():\n    return 'from the folder'\n",
    )
    .unwrap();
    std::fs::write(
        own.path().join("own.py"),
        "import knobkraft\n\n\ndef name():\n    return knobkraft.marker()\n\n\n\
         def createDeviceDetectMessage(channel):\n    return [0xF0, 0xF7]\n\n\n\
         def channelIfValidDeviceResponse(message):\n    return -1\n",
    )
    .unwrap();
    let (ok, errors) = python::load_files(&python::adaptation_files(dir.path()));
    assert!(errors.is_empty(), "{errors:?}");
    let t = kk_test::run(&ok[0]).unwrap();
    assert!(t.passed(), "{:?}", t.failures);
    assert_eq!(t.checks, 8, "{t:?}");
    let (own_ok, errors) = python::load_files(&python::adaptation_files(own.path()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(own_ok[0].name(), "from the folder");
}
