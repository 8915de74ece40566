#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! A repeated `octa librarian import` of the same bank (issue #18): it is recognised by the
//! digest of its messages before any adaptation script is set up, and writes nothing.

use std::path::Path;
use std::process::{Command, Output};

fn octa(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env("OCTA_CONFIG_DIR", home.join("config"))
        .env("OCTA_DATA_DIR", home.join("data"))
        .output()
        .unwrap()
}

/// Every file of the data folder with its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
                m.modified().unwrap(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn a_repeated_import_sets_up_no_script_and_writes_nothing() {
    let Some(bank) =
        octa::testutil::corpus("sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx")
    else {
        return;
    };
    let bank = bank.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    // A broken adaptation script: setting up the script engines reports it on stderr.
    std::fs::create_dir_all(home.join("config/adaptations")).unwrap();
    std::fs::write(
        home.join("config/adaptations/broken.rhai"),
        "fn name( { this is not rhai",
    )
    .unwrap();
    let first = octa(home, &["librarian", "import", bank]);
    assert!(first.status.success(), "{first:?}");
    let out = String::from_utf8_lossy(&first.stdout);
    // The Blofeld factory bank: 1024 sounds (8 banks of 128).
    assert!(out.contains("1024 patches, 1024 new"), "{out}");
    assert!(
        String::from_utf8_lossy(&first.stderr).contains("broken.rhai"),
        "the first import sets up the scripts: {first:?}"
    );
    let before = snapshot(&home.join("data"));
    assert!(
        before
            .iter()
            .any(|(n, b, _)| n == "librarian.sqlite" && !b.is_empty())
    );

    let second = octa(home, &["librarian", "import", bank]);
    assert!(second.status.success(), "{second:?}");
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(
        out.contains("already imported as import:1 (") && out.contains(", 1024 patches)"),
        "{out}"
    );
    assert!(
        second.stderr.is_empty(),
        "no script was set up: {}",
        String::from_utf8_lossy(&second.stderr)
    );
    let after = snapshot(&home.join("data"));
    assert_eq!(
        before.iter().map(|f| &f.0).collect::<Vec<_>>(),
        after.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "the same files"
    );
    for (b, a) in before.iter().zip(&after) {
        assert!(b.1 == a.1, "{} changed", b.0);
        assert_eq!(b.2, a.2, "{} was written (modification time)", b.0);
    }

    // The same bank named with --device takes the full path and still adds nothing.
    let third = octa(home, &["librarian", "import", "--device", "blofeld", bank]);
    assert!(third.status.success(), "{third:?}");
    assert!(
        String::from_utf8_lossy(&third.stdout).contains("already imported as import:1"),
        "{third:?}"
    );
}

#[test]
fn a_changed_file_is_imported_again() {
    let Some(bank) = octa::testutil::corpus("sysex/sequential-ob6/OB6_Programs_v1.01.syx") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let data = std::fs::read(&bank).unwrap();
    // The first message alone: a different digest, then the whole bank.
    let end = data.iter().position(|b| *b == 0xf7).unwrap();
    let one = home.join("one.syx");
    std::fs::write(&one, &data[..=end]).unwrap();
    let a = octa(home, &["librarian", "import", one.to_str().unwrap()]);
    assert!(a.status.success(), "{a:?}");
    let b = octa(home, &["librarian", "import", bank.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&b.stdout);
    assert!(b.status.success(), "{b:?}");
    assert!(!out.contains("already imported"), "{out}");
    assert!(out.contains("import:2"), "{out}");
}
