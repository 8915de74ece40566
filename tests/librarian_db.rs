#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The patch database: dedupe by fingerprint, name priority, byte-exact export, .mid
//! import, and clear errors for malformed sysex.

use octa::librarian::db::{Database, DeviceLocation, PatchFilter, SCHEMA_VERSION};
use octa::librarian::file::{read_messages, recognise};
use octa::librarian::selection::Selection;
use octa::librarian::sysex::{self, SysexError};
use octa::librarian::{Registry, import_file};
use octa::testutil::corpus;
use std::collections::HashSet;
use std::path::Path;

fn temp_db(dir: &Path) -> Database {
    Database::open(&dir.join("librarian.sqlite")).unwrap_or_else(|e| panic!("{e}"))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn import_twice_adds_nothing_and_export_is_byte_exact() {
    let Some(path) = corpus("sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx") else {
        return;
    };
    let dir = tempdir();
    let mut db = temp_db(dir.path());
    assert_eq!(db.schema_version().ok(), Some(SCHEMA_VERSION));
    let registry = Registry::builtin();
    let first = import_file(&mut db, &registry, &path, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.device, "Waldorf Blofeld");
    assert_eq!(first.summary.patches, 1024);
    // Distinct sounds by fingerprint, computed independently of the database.
    let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
    let r = recognise(&registry, &m.messages, None).unwrap_or_else(|e| panic!("{e}"));
    let distinct: HashSet<&str> = r
        .loaded
        .patches
        .iter()
        .map(|p| p.fingerprint.as_str())
        .collect();
    assert_eq!(first.summary.added, distinct.len());
    assert_eq!(first.summary.added + first.summary.duplicates, 1024);
    assert_eq!(db.patch_count().ok(), Some(distinct.len()));

    let again = import_file(&mut db, &registry, &path, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.summary.already_imported);
    assert_eq!(again.summary.added, 0);
    assert_eq!(db.patch_count().ok(), Some(distinct.len()));
    assert_eq!(db.imports().map(|i| i.len()).ok(), Some(1));

    // The import keeps its bank order (1024 entries) separately from patch identity.
    let items = db.import_items(first.summary.import_id).unwrap_or_default();
    assert_eq!(items.len(), 1024);

    // Export the import: byte-exact to the file.
    let out = dir.path().join("bank.syx");
    let blobs = Selection::Import(first.summary.import_id)
        .resolve(&db)
        .unwrap_or_else(|e| panic!("{e}"));
    octa::librarian::file::write_syx(&out, blobs.iter().map(|b| b.as_slice()))
        .unwrap_or_else(|e| panic!("{e}"));
    let original = std::fs::read(&path).unwrap_or_default();
    assert_eq!(std::fs::read(&out).unwrap_or_default(), original);

    // Export the patches in bank order: byte-exact as well.
    let blobs = Selection::Patches(items)
        .resolve(&db)
        .unwrap_or_else(|e| panic!("{e}"));
    let joined: Vec<u8> = blobs.concat();
    assert_eq!(joined, original);
    // A single patch exports as its own message.
    let p = db.patch(1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.sysex, original[..392].to_vec());
    assert_eq!(p.name, "With Love    WMF");
    assert_eq!(p.program, Some(0));
    assert_eq!(p.bank, Some(0));
}

#[test]
fn stray_bytes_are_not_exported_and_mid_files_import() {
    let Some(path) = corpus("sysex/korg-m1/ORIGPROG.SYX") else {
        return;
    };
    let dir = tempdir();
    let mut db = temp_db(dir.path());
    let registry = Registry::builtin();
    let r = import_file(&mut db, &registry, &path, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (r.device.as_str(), r.summary.patches, r.stray),
        ("Korg M1", 100, 161)
    );
    let raw = db.import_sysex(r.summary.import_id).unwrap_or_default();
    let file = std::fs::read(&path).unwrap_or_default();
    assert_eq!(raw, file[128..128 + 16350].to_vec());

    // A Standard MIDI File carrying the DX7 bank as one sysex event.
    let Some(dx) = corpus("sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX") else {
        return;
    };
    let bank = std::fs::read(&dx).unwrap_or_default();
    let mut track = vec![0x00, 0xF0];
    let len = bank.len() - 1;
    track.extend_from_slice(&[0x80 | (len >> 7) as u8, (len & 0x7F) as u8]);
    track.extend_from_slice(&bank[1..]);
    track.extend_from_slice(&[0x00, 0xFF, 0x2F, 0x00]);
    let mut smf = b"MThd\0\0\0\x06\0\0\0\x01\0\x60MTrk".to_vec();
    smf.extend_from_slice(&(track.len() as u32).to_be_bytes());
    smf.extend_from_slice(&track);
    let mid = dir.path().join("dx7.mid");
    std::fs::write(&mid, &smf).unwrap_or_else(|e| panic!("{e}"));
    let r = import_file(&mut db, &registry, &mid, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.device.as_str(), r.summary.added), ("Yamaha DX7", 32));
    assert_eq!(
        db.import_sysex(r.summary.import_id).unwrap_or_default(),
        bank
    );
    let found = db
        .list(&PatchFilter {
            search: Some("explosion".into()),
            ..PatchFilter::default()
        })
        .unwrap_or_default();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "EXPLOSION ");
    assert_eq!(found[0].program, Some(31));
}

#[test]
fn names_user_beats_default_and_dedupe_across_slots() {
    let Some(path) = corpus("sysex/dsi-prophet08/Prophet_08_Programs_v1.0.syx") else {
        return;
    };
    let registry = Registry::builtin();
    let a = registry
        .find("DSI Prophet 08")
        .unwrap_or_else(|| panic!("adaptation"));
    let m = read_messages(&path).unwrap_or_else(|e| panic!("{e}"));
    let wagnerian = m.messages[0].clone();
    let dir = tempdir();
    let mut db = temp_db(dir.path());
    let write = |name: &str, data: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, data).unwrap_or_else(|e| panic!("{e}"));
        p
    };
    // First seen with a default name...
    let default = a
        .rename_patch(&wagnerian, "Basic Program")
        .unwrap_or_default();
    let f1 = write("default.syx", &default);
    let r = import_file(&mut db, &registry, &f1, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.summary.added, 1);
    // ...then with its real name in another slot: same sound, the real name replaces the default.
    let moved = a
        .program_dump()
        .and_then(|p| p.convert_to_program_dump(0, &wagnerian, 200))
        .unwrap_or_default();
    let f2 = write("moved.syx", &moved);
    let r = import_file(&mut db, &registry, &f2, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (r.summary.added, r.summary.duplicates, r.summary.renamed),
        (0, 1, 1)
    );
    let id = r.summary.import_id;
    let pid = db.import_items(id).unwrap_or_default()[0];
    assert_eq!(
        db.patch(pid).map(|p| p.name).ok().as_deref(),
        Some("Wagnerian       ")
    );
    // A user-given name wins over anything imported later.
    db.rename(pid, "My Strings", Some(a.as_ref()))
        .unwrap_or_else(|e| panic!("{e}"));
    let p = db.patch(pid).unwrap_or_else(|e| panic!("{e}"));
    assert!(p.user_name);
    assert_eq!(
        a.name_from_dump(&p.sysex).as_deref(),
        Some("My Strings      ")
    );
    assert_eq!(a.fingerprint(&p.sysex), p.fingerprint);
    let other = a.rename_patch(&wagnerian, "Other Name").unwrap_or_default();
    let f3 = write("other.syx", &other);
    let r = import_file(&mut db, &registry, &f3, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.summary.added, 0);
    assert_eq!(
        db.patch(pid).map(|p| p.name).ok().as_deref(),
        Some("My Strings")
    );
    assert_eq!(db.patch_count().ok(), Some(1));

    // Tags, favourites, hidden.
    db.add_tag(pid, "pad").unwrap_or_else(|e| panic!("{e}"));
    db.add_tag(pid, "strings").unwrap_or_else(|e| panic!("{e}"));
    db.set_favourite(pid, true)
        .unwrap_or_else(|e| panic!("{e}"));
    let tagged = db
        .list(&PatchFilter {
            tag: Some("PAD".into()),
            favourites: true,
            ..PatchFilter::default()
        })
        .unwrap_or_default();
    assert_eq!(tagged.len(), 1);
    assert_eq!(
        tagged[0].tags,
        vec!["pad".to_string(), "strings".to_string()]
    );
    db.set_hidden(pid, true).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        db.list(&PatchFilter::default())
            .unwrap_or_default()
            .is_empty()
    );
    assert!(
        db.set_hidden(999, true)
            .is_err_and(|e| e.to_string() == "no patch with id 999")
    );

    // Pinned device locations persist.
    let loc = DeviceLocation {
        out_port: "USB MIDI 1".into(),
        in_port: "USB MIDI 1".into(),
        channel: 2,
        pinned: true,
    };
    db.set_device_location("DSI Prophet 08", &loc)
        .unwrap_or_else(|e| panic!("{e}"));
    drop(db);
    let db = temp_db(dir.path());
    assert_eq!(
        db.device_location("DSI Prophet 08").ok().flatten(),
        Some(loc)
    );
}

#[test]
fn malformed_sysex_gives_clear_errors() {
    let registry = Registry::builtin();
    let dir = tempdir();
    let mut db = temp_db(dir.path());
    // Unterminated.
    let p = dir.path().join("cut.syx");
    std::fs::write(&p, [0xF0, 0x43, 0x00, 0x09]).unwrap_or_else(|e| panic!("{e}"));
    let e = import_file(&mut db, &registry, &p, None)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        e,
        Some(format!(
            "{}: no complete sysex message found (unterminated sysex message starting at byte 0 (no F7 before the end))",
            p.display()
        ))
    );
    // Oversized.
    let mut big = vec![0xF0];
    big.resize(sysex::MAX_MESSAGE + 10, 0x01);
    big.push(0xF7);
    assert!(matches!(
        sysex::split(&big).errors.first(),
        Some(SysexError::Oversized { offset: 0, .. })
    ));

    let Some(blo) = corpus("sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx") else {
        return;
    };
    let m = read_messages(&blo).unwrap_or_else(|e| panic!("{e}"));
    // Wrong checksum: one data byte changed in the second sound.
    let mut bad = m.messages[0].clone();
    let mut second = m.messages[1].clone();
    second[100] ^= 0x01;
    bad.extend_from_slice(&second);
    let p = dir.path().join("badsum.syx");
    std::fs::write(&p, &bad).unwrap_or_else(|e| panic!("{e}"));
    let r = import_file(&mut db, &registry, &p, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.summary.patches, 1);
    assert_eq!(r.problems.len(), 1);
    assert!(
        r.problems[0].starts_with("message 2 : Waldorf Blofeld sound 0:1: checksum mismatch"),
        "{}",
        r.problems[0]
    );

    // Wrong length field in an Elektron dump.
    let Some(dn) = corpus("sysex/elektron-digitone/URRRS x Digitone.syx") else {
        return;
    };
    let m = read_messages(&dn).unwrap_or_else(|e| panic!("{e}"));
    let mut msg = m.messages[0].clone();
    let l = msg.len();
    msg[l - 2] = msg[l - 2].wrapping_add(1) & 0x7F;
    let r =
        recognise(&registry, &[msg.clone()], Some("Digitone")).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.loaded.patches.is_empty());
    assert_eq!(
        r.loaded.problems[0].1.to_string(),
        "Elektron Digitone dump length field: wrong length (expected 351, found 352)"
    );
    // Wrong Elektron checksum.
    let mut msg = m.messages[0].clone();
    msg[20] ^= 0x01;
    let r = recognise(&registry, &[msg], Some("Digitone")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        r.loaded.problems[0]
            .1
            .to_string()
            .contains("checksum mismatch")
    );
    // Wrong Yamaha length (a bulk dump cut short but terminated).
    let mut short = vec![0xF0, 0x43, 0x00, 0x09, 0x20, 0x00];
    short.extend(std::iter::repeat_n(0x01, 100));
    short.extend([0x00, 0xF7]);
    let r = recognise(&registry, &[short], Some("Yamaha DX7")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.loaded.problems[0].1.to_string(),
        "Yamaha DX7 dump: wrong length (expected 4104, found 108)"
    );
}

#[test]
fn unknown_sysex_is_kept_raw() {
    let dir = tempdir();
    let mut db = temp_db(dir.path());
    let p = dir.path().join("unknown.syx");
    let data = [0xF0, 0x7D, 0x01, 0x02, 0xF7, 0xF0, 0x7D, 0x03, 0xF7];
    std::fs::write(&p, data).unwrap_or_else(|e| panic!("{e}"));
    let r = import_file(&mut db, &Registry::builtin(), &p, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.device.as_str(), r.summary.added), ("Raw sysex", 2));
    let blobs = Selection::parse("1-2")
        .unwrap_or_else(|e| panic!("{e}"))
        .resolve(&db)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(blobs.concat(), data.to_vec());
}
