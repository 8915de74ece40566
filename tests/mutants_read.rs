#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Bounded reads (`src/project/read.rs`): the limits' sizes (1 MiB, 256 MiB, 64 MiB, FAT32's
//! 4 GiB - 1), the exact words for what a non-regular file is, reads at and one byte past a
//! limit, and the streamed fingerprint equal to the reference hash (Python, values below)
//! across its 64 KiB blocks.

mod common;

use octa::project::read::{self, ANY, Limit, PROJECT_FILE_MAX, PROJECT_JSON, SYSEX_FILE};
use octa::project::store::Fingerprint;
use std::fs;

#[test]
fn the_limits() {
    assert_eq!(PROJECT_FILE_MAX, 1_048_576);
    assert_eq!(PROJECT_JSON.max, 268_435_456);
    assert_eq!(SYSEX_FILE.max, 67_108_864);
    assert_eq!(ANY.max, 4_294_967_295);
    assert_eq!(
        SYSEX_FILE.expected(),
        "a sysex or MIDI file of at most 67108864 bytes"
    );
    let exact = Limit {
        max: 832,
        what: "thing",
        exact: true,
    };
    assert_eq!(exact.expected(), "a thing of 832 bytes");
}

#[test]
fn what_is_not_a_regular_file() {
    let t = tempfile::tempdir().unwrap();
    let fifo = t.path().join("fifo");
    common::mkfifo(&fifo);
    for (path, what) in [
        (fifo.as_path(), "a FIFO (named pipe)"),
        (std::path::Path::new("/dev/null"), "a character device"),
        (t.path(), "a folder"),
    ] {
        let e = read::read_limited(path, ANY).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{what}");
        assert_eq!(
            e.to_string(),
            format!("expected a regular file, found {what}; not read")
        );
    }
    // (a socket cannot be opened at all: its open fails with ENXIO before its type is seen)
    // a symbolic link is followed: to /dev/null it is a device
    let link = t.path().join("link");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    assert!(
        read::read_limited(&link, ANY)
            .unwrap_err()
            .to_string()
            .contains("a character device")
    );
}

#[test]
fn reads_at_the_limit_and_refuses_one_byte_more() {
    let t = tempfile::tempdir().unwrap();
    let limit = Limit {
        max: 10,
        what: "test file",
        exact: false,
    };
    let f = t.path().join("f");
    fs::write(&f, b"0123456789").unwrap();
    assert_eq!(read::read_limited(&f, limit).unwrap(), b"0123456789");
    fs::write(&f, b"012345678").unwrap();
    assert_eq!(read::read_limited(&f, limit).unwrap(), b"012345678");
    fs::write(&f, b"0123456789A").unwrap();
    let e = read::read_limited(&f, limit).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
    assert_eq!(
        e.to_string(),
        "expected a test file of at most 10 bytes, found 11 bytes; not read"
    );
    let e = read::read(&f, limit).unwrap_err().to_string();
    assert!(e.starts_with(&f.display().to_string()), "{e}");
    assert!(e.ends_with("found 11 bytes; not read"), "{e}");
    // read_optional: absent is None, too large is an error naming the file
    assert_eq!(
        read::read_optional(&t.path().join("absent"), limit).unwrap(),
        None
    );
    assert!(read::read_optional(&f, limit).is_err());
    fs::write(&f, b"ok").unwrap();
    assert_eq!(read::read_optional(&f, limit).unwrap().unwrap(), b"ok");
}

#[test]
fn a_file_beyond_fat32_is_refused_before_it_is_read() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("huge");
    let file = fs::File::create(&f).unwrap();
    // sparse: takes no space
    file.set_len(ANY.max + 1).unwrap();
    let e = read::fingerprint_file(&f).unwrap_err().to_string();
    assert!(
        e.ends_with(
            "expected a file on an Octatrack card (FAT32) of at most 4294967295 bytes, \
             found 4294967296 bytes; not read"
        ),
        "{e}"
    );
    let e = read::read_limited(&f, ANY).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
}

#[test]
fn streamed_fingerprints_match_the_reference_hash() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("f");
    // bytes (i * 7) % 251: 64 KiB exactly (one full block), then two blocks and 13 bytes
    for (len, hash) in [
        (65_536usize, 0x8dff_bc2b_cfd4_05b4u64),
        (2 * 65_536 + 13, 0x46bf_165b_e481_5fc8),
    ] {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        fs::write(&f, &bytes).unwrap();
        let fp = read::fingerprint_file(&f).unwrap();
        assert_eq!(fp.len, len as u64);
        assert_eq!(fp.hash, hash, "{len}: {:#x}", fp.hash);
        assert_eq!(fp, Fingerprint::of(&bytes));
    }
    fs::write(&f, b"octatrack").unwrap();
    assert_eq!(
        read::fingerprint_file(&f).unwrap(),
        Fingerprint {
            len: 9,
            hash: 0x3ac2_f715_777e_62a0
        }
    );
    fs::write(&f, b"").unwrap();
    assert_eq!(
        read::fingerprint_file(&f).unwrap().hash,
        0xcbf2_9ce2_dbb6_c401
    );
    let e = read::fingerprint_file(&t.path().join("absent"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("absent"), "{e}");
}
