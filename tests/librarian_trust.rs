#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Librarian trust, end to end with the built binary and a temporary data dir: a bank with a
//! bad checksum is refused naming both checksums (never stored as one raw patch), bytes of
//! 0x80 and above inside a message are malformed, `list` / `export` work while another
//! process holds the write lock, and a damaged database is never written.

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

/// Yamaha's checksum, computed here: the two's complement of the data sum, 7 bits.
fn yamaha_checksum(data: &[u8]) -> u8 {
    let sum: u32 = data.iter().map(|&b| u32::from(b)).sum();
    ((0x80 - (sum & 0x7F)) & 0x7F) as u8
}

#[test]
fn a_bank_with_a_bad_checksum_is_refused_naming_both_checksums() {
    let Some(dx7) = corpus("sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX") else {
        return;
    };
    let mut bytes = std::fs::read(&dx7).unwrap();
    assert_eq!(bytes.len(), 4104, "one 32-voice bulk dump");
    let stored = bytes[4102];
    assert_eq!(
        stored,
        yamaha_checksum(&bytes[6..4102]),
        "the corpus dump is good"
    );
    // One voice byte changed: the stored checksum no longer matches.
    bytes[6 + 200] ^= 0x01;
    let computed = yamaha_checksum(&bytes[6..4102]);
    assert_ne!(computed, stored);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.syx");
    std::fs::write(&bad, &bytes).unwrap();
    let data = dir.path().join("data");
    let o = octa(&data, &["import", &bad.to_string_lossy()]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(
        t.contains(&format!(
            "bad.syx: nothing imported from this Yamaha DX7 file: message 1 : Yamaha 32-voice bulk dump: checksum mismatch (stored {stored:#x}, computed {computed:#x})"
        )),
        "{t}"
    );
    assert!(!t.contains("Raw sysex"), "{t}");
    let o = octa(&data, &["list"]);
    assert!(text(&o).contains("0 patch(es)"), "{}", text(&o));
}

#[test]
fn status_bytes_inside_a_message_are_malformed() {
    let Some(m1) = corpus("sysex/korg-m1/bank21.syx") else {
        return;
    };
    let mut bytes = std::fs::read(&m1).unwrap();
    assert_eq!((bytes[0], bytes[bytes.len() - 1]), (0xF0, 0xF7));
    assert!(bytes[1..bytes.len() - 1].iter().all(|&b| b < 0x80));
    bytes[100] = 0x85;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("hi.syx");
    std::fs::write(&bad, &bytes).unwrap();
    let o = octa(
        &dir.path().join("data"),
        &["import", &bad.to_string_lossy()],
    );
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(
        t.contains("no complete sysex message found (sysex message starting at byte 0: byte 100 is 0x85, expected data bytes (below 0x80) until F7)"),
        "{t}"
    );
}

#[test]
fn list_and_export_work_while_another_process_writes() {
    let Some(dx7) = corpus("sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = octa(&data, &["import", &dx7.to_string_lossy()]);
    assert!(o.status.success(), "{}", text(&o));
    // Another process (this one) in the middle of a write: it holds the write lock.
    let db = rusqlite::Connection::open(data.join("librarian.sqlite")).unwrap();
    let mode: String = db
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    db.execute_batch("BEGIN IMMEDIATE; UPDATE patches SET favourite = 1 WHERE id = 1;")
        .unwrap();
    let o = octa(&data, &["list"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("32 patch(es)"), "{}", text(&o));
    let out = dir.path().join("out.syx");
    let o = octa(&data, &["export", "import:1", &out.to_string_lossy()]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&dx7).unwrap());
    db.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn a_damaged_database_is_never_written() {
    let Some(blofeld) = corpus("sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = octa(&data, &["import", &blofeld.to_string_lossy()]);
    assert!(o.status.success(), "{}", text(&o));
    let file = data.join("librarian.sqlite");
    assert!(
        !data.join("librarian.sqlite-wal").exists() || {
            // the last connection checkpoints and removes the WAL
            std::fs::metadata(data.join("librarian.sqlite-wal"))
                .unwrap()
                .len()
                == 0
        }
    );
    // Damage a page in the middle of the patches' b-tree.
    let mut bytes = std::fs::read(&file).unwrap();
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let pages = bytes.len() / page;
    assert!(pages > 20, "{pages} pages");
    let at = page * (pages / 2);
    for b in &mut bytes[at..at + 16] {
        *b = 0xFF;
    }
    std::fs::write(&file, &bytes).unwrap();
    for args in [&["tag", "5", "keys"][..], &["favourite", "5"][..]] {
        let o = octa(&data, args);
        let t = text(&o);
        assert!(!o.status.success(), "{args:?}: {t}");
        assert!(
            t.contains("is damaged") && t.contains("nothing was written") && t.contains(".recover"),
            "{args:?}: {t}"
        );
        assert_eq!(std::fs::read(&file).unwrap(), bytes, "{args:?} wrote");
    }
}
