#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Every sysex corpus file splits, is recognised by its adaptation and yields the listed
//! patches and names; renames keep fingerprints; the example scripts pass the same checks.

use octa::librarian::Registry;
use octa::librarian::builtin::{Elektron, SOUND_MAGIC};
use octa::librarian::db::Database;
use octa::librarian::file::{read_messages, recognise};
use octa::librarian::script::ScriptAdaptation;
use octa::testutil::corpus;
use std::path::Path;
use std::sync::Arc;

struct Case {
    file: &'static str,
    device: &'static str,
    messages: usize,
    message_len: Option<usize>,
    stray: usize,
    patches: usize,
    /// Messages of the device that hold no patch (kept with the import, never raw).
    other: usize,
    names: &'static [(usize, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        file: "sysex/elektron-digitone/URRRS x Digitone.syx",
        device: "Elektron Digitone",
        messages: 124,
        message_len: Some(361),
        stray: 0,
        patches: 124,
        other: 0,
        names: &[
            (0, "DEEP CHORD"),
            (1, "DARK PAD"),
            (2, "BIG BRASS"),
            (5, "POWER BASS"),
            (122, "GREAT OLD ONE"),
            (123, "OB  CHORDS"),
        ],
    },
    Case {
        file: "sysex/elektron-analog-rytm/909kicks.syx",
        device: "Elektron Analog Rytm",
        messages: 7,
        message_len: Some(207),
        stray: 0,
        patches: 7,
        other: 0,
        names: &[
            (0, "909 TRIANGLE"),
            (1, "909 SINE"),
            (2, "909 NOISE"),
            (3, "909 CLICK"),
            (4, "HARD 909 KICK"),
            (5, "CLASSIC 909 KIC"),
            (6, "PLASTIC 909 KIC"),
        ],
    },
    Case {
        file: "sysex/dsi-prophet08/Prophet_08_Programs_v1.0.syx",
        device: "DSI Prophet 08",
        messages: 256,
        message_len: Some(446),
        stray: 0,
        patches: 256,
        other: 0,
        names: &[
            (0, "Wagnerian       "),
            (1, "Tom Sawyer      "),
            (2, "T8 Strings      "),
            (128, "AnalogWurlyRoids"),
            (255, "Filter Test     "),
        ],
    },
    Case {
        file: "sysex/sequential-ob6/OB6_Programs_v1.01.syx",
        device: "Sequential OB-6",
        messages: 500,
        message_len: Some(1178),
        stray: 0,
        patches: 500,
        other: 0,
        names: &[
            (0, "Welcome Back Tom!   "),
            (1, "Orbiter             "),
            (200, "I Dream of Phasing  "),
            (499, "SampleHoldComp      "),
        ],
    },
    Case {
        file: "sysex/korg-m1/bank21.syx",
        device: "Korg M1",
        messages: 1,
        message_len: Some(16350),
        stray: 0,
        patches: 100,
        other: 0,
        names: &[
            (0, "Grandbient"),
            (1, "FreshHeir "),
            (49, "ToyNFlt   "),
            (99, "NewDrums1 "),
        ],
    },
    Case {
        file: "sysex/korg-m1/ORIGPROG.SYX",
        device: "Korg M1",
        messages: 1,
        message_len: Some(16350),
        stray: 161,
        patches: 100,
        other: 0,
        names: &[],
    },
    Case {
        file: "sysex/roland-jv1080/JV1080_AGSOUND1.SYX",
        device: "Roland JV-1080",
        messages: 230,
        message_len: None,
        stray: 0,
        patches: 46,
        other: 0,
        names: &[
            (0, "RedPowerBass"),
            (1, "Sinus QSB   "),
            (2, "Super W Bass"),
            (45, "Rave Organ 3"),
        ],
    },
    Case {
        file: "sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX",
        device: "Yamaha DX7",
        messages: 1,
        message_len: Some(4104),
        stray: 0,
        patches: 32,
        other: 0,
        names: &[(0, "SYN-LEAD 2"), (4, "SYN-CLAV 1"), (31, "EXPLOSION ")],
    },
    Case {
        file: "sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx",
        device: "Waldorf Blofeld",
        messages: 1024,
        message_len: Some(392),
        stray: 0,
        patches: 1024,
        other: 0,
        names: &[
            (0, "With Love    WMF"),
            (1, "ScaramangAtmo  T"),
            (128, "Flups Bass    ST"),
            (1023, "Zwitscher 1     "),
        ],
    },
    Case {
        file: "sysex/sequential-prophet6/P6_Programs_v1.01.syx",
        device: "Sequential Prophet 6",
        messages: 500,
        message_len: Some(1178),
        stray: 0,
        patches: 500,
        other: 0,
        names: &[(2, "Thick Low Brass     ")],
    },
    Case {
        file: "sysex/sequential-prophet5/P5_Factory_Programs_v1.02.syx",
        device: "Sequential Prophet-5",
        messages: 200,
        message_len: Some(159),
        stray: 0,
        patches: 200,
        other: 0,
        names: &[(2, "Forever Keys        ")],
    },
    Case {
        file: "sysex/sequential-pro3/P3_Factory_Sounds_v1.01.syx",
        device: "Sequential Pro 3",
        messages: 512,
        message_len: Some(4695),
        stray: 0,
        patches: 512,
        other: 0,
        names: &[(2, "Staircase           ")],
    },
    Case {
        file: "sysex/sequential-prophetx/PX_Programs_v2.0.syx",
        device: "Sequential Prophet X",
        messages: 513,
        message_len: None,
        stray: 0,
        patches: 512,
        // One message with command 5C that is not a program.
        other: 1,
        names: &[(2, "Poly Super          ")],
    },
    Case {
        file: "sysex/dsi-mopho-x4/Mopho_x4_AllBanks_V1.01.syx",
        device: "DSI Mopho x4",
        messages: 512,
        message_len: Some(300),
        stray: 0,
        patches: 512,
        other: 0,
        names: &[(0, "Moonster        ")],
    },
    Case {
        file: "sysex/oberheim-obx8/OBx8-prest.syx",
        device: "Oberheim OB-X8",
        messages: 1,
        message_len: Some(599),
        stray: 0,
        patches: 1,
        other: 0,
        names: &[(0, "Jersey Girl B")],
    },
    Case {
        file: "sysex/oberheim-teo5/TEO5_Factory_Programs_v1.00.syx",
        device: "Oberheim TEO-5",
        messages: 256,
        message_len: Some(4695),
        stray: 0,
        patches: 256,
        other: 0,
        names: &[
            (2, "OB-X Pad            "),
            (17, "Waterfall Cavern    "),
            (80, "FlyLike a TEO       "),
        ],
    },
    Case {
        file: "sysex/yamaha-dx7ii/yamahaDX7II-STUDIOREINE BANK.syx",
        device: "Yamaha DX7II",
        messages: 10,
        message_len: None,
        stray: 0,
        patches: 64,
        // Two parameter changes, two fractional scaling dumps, the system setup and the
        // performances: recognised, kept with the import, no voice.
        other: 6,
        names: &[(0, "Talkbox001"), (32, "OrganX01..")],
    },
];

/// Runs one case with `registry`; `device` overrides the expected adaptation name.
fn check(case: &Case, registry: &Registry, device: &str) {
    let Some(path) = corpus(case.file) else {
        return;
    };
    let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.messages.len(), case.messages, "{}: messages", case.file);
    assert_eq!(m.stray, case.stray, "{}: stray bytes", case.file);
    assert!(m.broken.is_empty(), "{}: {:?}", case.file, m.broken);
    if let Some(len) = case.message_len {
        assert!(m.messages.iter().all(|x| x.len() == len), "{}", case.file);
    }
    let r = recognise(registry, &m.messages, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.device.name(), device, "{}: device", case.file);
    assert!(
        r.loaded.problems.is_empty(),
        "{}: {:?}",
        case.file,
        r.loaded.problems
    );
    assert!(
        r.loaded.unclaimed.is_empty(),
        "{}: unclaimed {:?}",
        case.file,
        r.loaded.unclaimed
    );
    assert_eq!(
        r.loaded.other.len(),
        case.other,
        "{}: other data {:?}",
        case.file,
        r.loaded.other
    );
    let patches = &r.loaded.patches;
    assert_eq!(patches.len(), case.patches, "{}: patches", case.file);
    for &(i, name) in case.names {
        assert_eq!(patches[i].name, name, "{} #{i}", case.file);
        assert_eq!(patches[i].display_name(), name.trim(), "{} #{i}", case.file);
    }
    // Import then export: the stored import gives the file back byte for byte (without
    // the stray bytes between messages, which are not sysex).
    let mut db = Database::open_in_memory().unwrap();
    let summary = db
        .store_import(r.device.as_ref(), case.file, &m.messages, &r.loaded)
        .unwrap();
    assert_eq!(summary.patches, case.patches, "{}: stored", case.file);
    let exported = db.import_sysex(summary.import_id).unwrap();
    let file = std::fs::read(&path).unwrap();
    if case.stray == 0 {
        assert!(exported == file, "{}: export is not the file", case.file);
    } else {
        assert_eq!(exported.len(), file.len() - case.stray, "{}", case.file);
    }
    // Every patch is recognised again on its own, and renaming keeps its fingerprint.
    let a = r.device.clone();
    for p in patches.iter().step_by(7) {
        assert_eq!(a.fingerprint(&p.data), p.fingerprint);
        let renamed = a
            .rename_patch(&p.data, "Renamed")
            .unwrap_or_else(|| panic!("{}: rename", case.file));
        assert_eq!(
            a.name_from_dump(&renamed).map(|n| n.trim().to_string()),
            Some("Renamed".into())
        );
        assert_eq!(
            a.fingerprint(&renamed),
            p.fingerprint,
            "{}: fingerprint after rename",
            case.file
        );
        assert_ne!(renamed, p.data);
        let same = a.rename_patch(&p.data, &p.name);
        assert_eq!(
            same.as_deref(),
            Some(p.data.as_slice()),
            "{}: rename to same name",
            case.file
        );
    }
}

#[test]
fn builtins_read_the_corpus() {
    let registry = Registry::builtin();
    for case in CASES {
        check(case, &registry, case.device);
    }
}

#[test]
fn digitone_sounds_decode_msb_first() {
    let Some(path) = corpus("sysex/elektron-digitone/URRRS x Digitone.syx") else {
        return;
    };
    let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
    let dn = Elektron::digitone();
    for (i, msg) in m.messages.iter().enumerate() {
        let raw = dn.decode(msg).unwrap_or_else(|e| panic!("#{i}: {e}"));
        assert_eq!(raw.len(), 302);
        assert_eq!(raw[..4], SOUND_MAGIC, "#{i}");
        assert_eq!(raw[4..8], [0, 0, 0, 4], "#{i} struct version");
        // Re-encoding the decoded payload gives the message back byte for byte.
        assert_eq!(&dn.encode(msg[5], msg[6], msg[9], &raw), msg, "#{i}");
    }
    let ar = Elektron::analog_rytm();
    let Some(path) = corpus("sysex/elektron-analog-rytm/909kicks.syx") else {
        return;
    };
    let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
    for msg in &m.messages {
        let raw = ar.decode(msg).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(raw[..4], SOUND_MAGIC);
        assert_eq!(raw[4..8], [0, 0, 0, 3]);
    }
}

#[test]
fn program_numbers_and_conversions() {
    let registry = Registry::builtin();
    let Some(path) = corpus("sysex/dsi-prophet08/Prophet_08_Programs_v1.0.syx") else {
        return;
    };
    let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
    let r = recognise(&registry, &m.messages, None).unwrap_or_else(|e| panic!("{e}"));
    let nums: Vec<Option<u32>> = r.loaded.patches.iter().map(|p| p.number).collect();
    assert_eq!(nums[0], Some(0));
    assert_eq!(nums[128], Some(128));
    assert_eq!(nums[255], Some(255));
    let a = r.device;
    let p = &r.loaded.patches[2];
    let pd = a.program_dump().unwrap_or_else(|| panic!("program dump"));
    let moved = pd
        .convert_to_program_dump(0, &p.data, 77)
        .unwrap_or_default();
    assert_eq!(pd.number_from_dump(&moved), Some(77));
    assert_eq!(a.name_from_dump(&moved), Some(p.name.clone()));
    assert_eq!(a.fingerprint(&moved), p.fingerprint);
    let eb = a.edit_buffer().unwrap_or_else(|| panic!("edit buffer"));
    let e = eb.convert_to_edit_buffer(0, &p.data).unwrap_or_default();
    assert!(eb.is_edit_buffer_dump(&e));
    assert_eq!(a.fingerprint(&e), p.fingerprint);
    assert_eq!(a.friendly_program_name(128), "2-001");
    assert_eq!(
        pd.create_program_dump_request(0, 130),
        vec![0xF0, 0x01, 0x23, 0x05, 1, 2, 0xF7]
    );

    let Some(path) = corpus("sysex/roland-jv1080/JV1080_AGSOUND1.SYX") else {
        return;
    };
    let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
    let r = recognise(&registry, &m.messages, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.loaded.patches[45].number, Some(45));
    let a = r.device;
    let p = &r.loaded.patches[3];
    let e = a
        .edit_buffer()
        .and_then(|eb| eb.convert_to_edit_buffer(0, &p.data))
        .unwrap_or_default();
    assert_eq!(e.len(), p.data.len());
    assert!(a.edit_buffer().is_some_and(|eb| eb.is_edit_buffer_dump(&e)));
    assert_eq!(a.fingerprint(&e), p.fingerprint);
    assert_eq!(a.name_from_dump(&e).as_deref(), Some("202 Ring    "));
}

fn script_registry(file: &str) -> Registry {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("adaptations")
        .join(file);
    let a = ScriptAdaptation::load(&path).unwrap_or_else(|e| panic!("{e}"));
    // Only the script, so it cannot lose recognition to the built-in with the same format.
    let mut r = Registry::empty();
    r.push(Arc::new(a));
    r
}

#[test]
fn example_scripts_pass_the_corpus_checks() {
    let cases = [
        (
            "yamaha_dx7.rhai",
            "Yamaha DX7 (script)",
            "sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX",
        ),
        (
            "dsi_prophet08.rhai",
            "DSI Prophet 08 (script)",
            "sysex/dsi-prophet08/Prophet_08_Programs_v1.0.syx",
        ),
    ];
    for (script, name, file) in cases {
        let registry = script_registry(script);
        let case = CASES
            .iter()
            .find(|c| c.file == file)
            .unwrap_or_else(|| panic!("{file}"));
        check(case, &registry, name);
    }
}

#[test]
fn the_loader_finds_the_shipped_scripts() {
    let r = Registry::load();
    let names: Vec<String> = r.all().iter().map(|a| a.name()).collect();
    assert!(
        names.contains(&"Yamaha DX7 (script)".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"DSI Prophet 08 (script)".to_string()),
        "{names:?}"
    );
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    // Built-ins come first, so they win recognition of their own formats.
    assert_eq!(names[0], "Elektron Digitone");
}
