#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa librarian` end to end with a temporary data dir: import, list, export offline;
//! detect / fetch / send report that MIDI is unavailable.

use octa::testutil::corpus;
use std::path::Path;
use std::process::{Command, Output};

fn octa(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .env("OCTA_DATA_DIR", data)
        .env("OCTA_CONFIG_DIR", data.join("config"))
        .arg("librarian")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn import_list_export_offline_and_midi_commands_explain() {
    let Some(dx7) = corpus("sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX") else {
        return;
    };
    let Some(m1) = corpus("sysex/korg-m1/bank21.syx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path();
    let dx = dx7.to_string_lossy().to_string();
    let o = octa(data, &["import", &dx, &m1.to_string_lossy()]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("Yamaha DX7 — 32 patches, 32 new, 0 already known; import:1"),
        "{t}"
    );
    assert!(
        t.contains("Korg M1 — 100 patches, 100 new, 0 already known; import:2"),
        "{t}"
    );
    assert!(data.join("librarian.sqlite").is_file());

    let o = octa(data, &["import", &dx]);
    assert!(
        text(&o).contains("already imported as import:1"),
        "{}",
        text(&o)
    );

    let o = octa(data, &["list", "--search", "syn-clav"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("SYN-CLAV 1") && t.contains("SYN-CLAV 3") && t.contains("3 patch(es)"),
        "{t}"
    );

    let o = octa(data, &["list", "--device", "m1"]);
    assert!(text(&o).contains("100 patch(es)"), "{}", text(&o));

    let out = data.join("bank.syx");
    let o = octa(data, &["export", "import:1", &out.to_string_lossy()]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read(&out).ok(), std::fs::read(&dx7).ok());

    let one = data.join("one.syx");
    let o = octa(data, &["export", "5", &one.to_string_lossy()]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read(&one).map(|d| d.len()).ok(), Some(163));

    let o = octa(data, &["rename", "5", "MY CLAV"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = octa(data, &["tag", "5", "keys", "bright"]);
    assert!(text(&o).contains("5: tags bright,keys"), "{}", text(&o));
    let o = octa(data, &["favourite", "5"]);
    assert!(o.status.success());
    let o = octa(data, &["list", "--tag", "keys", "--favourites"]);
    let t = text(&o);
    assert!(t.contains("MY CLAV") && t.contains("1 patch(es)"), "{t}");
    // The renamed dump is exported with its new name.
    let o = octa(data, &["export", "5", &one.to_string_lossy()]);
    assert!(o.status.success());
    let renamed = std::fs::read(&one).unwrap_or_default();
    assert_eq!(&renamed[151..161], b"MY CLAV   ");

    for args in [vec!["detect"], vec!["fetch", "dx7"], vec!["send", "1"]] {
        let o = octa(data, &args);
        assert!(!o.status.success());
        let t = text(&o);
        assert!(t.contains("MIDI is unavailable"), "{args:?}: {t}");
    }
    let o = octa(data, &["export", "nonsense", &one.to_string_lossy()]);
    assert!(
        text(&o).contains("cannot read selection 'nonsense'"),
        "{}",
        text(&o)
    );
    let o = octa(data, &["import", "/nonexistent.syx"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("/nonexistent.syx: No such file"),
        "{}",
        text(&o)
    );
}
