//! Helpers shared by the integration tests (each test file includes this with `mod common;`).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Copies the folder `from` into `to` (created), subfolders included.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// The SHA-256 of `bytes` as lowercase hex.
pub fn sha(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Walks `d` below `root`: files as (relative path, Some(bytes)), folders as (relative path, None),
/// entries named `skip` (and what they hold) left out.
fn walk(root: &Path, d: &Path, skip: Option<&str>, out: &mut Vec<(String, Option<Vec<u8>>)>) {
    let Ok(rd) = fs::read_dir(d) else {
        return;
    };
    for e in rd {
        let p = e.unwrap().path();
        if skip.is_some_and(|s| p.file_name().is_some_and(|n| n == s)) {
            continue;
        }
        let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            out.push((rel, None));
            walk(root, &p, skip, out);
        } else {
            out.push((rel, Some(fs::read(&p).unwrap())));
        }
    }
}

/// Every file under `dir` (recursively, backups included) as relative path -> SHA-256.
pub fn tree(dir: &Path) -> BTreeMap<String, String> {
    tree_skipping(dir, None)
}

/// Every file under `dir` as relative path -> SHA-256, entries named `skip` (a file or a whole
/// folder, e.g. the backup folder) left out.
pub fn tree_skipping(dir: &Path, skip: Option<&str>) -> BTreeMap<String, String> {
    let mut all = Vec::new();
    walk(dir, dir, skip, &mut all);
    all.into_iter()
        .filter_map(|(rel, bytes)| bytes.map(|b| (rel, sha(&b))))
        .collect()
}

/// Every entry under `dir` (recursively): relative path -> bytes; folders as `path/` -> empty.
pub fn tree_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = Vec::new();
    walk(dir, dir, None, &mut all);
    all.into_iter()
        .map(|(rel, bytes)| match bytes {
            Some(b) => (rel, b),
            None => (rel + "/", Vec::new()),
        })
        .collect()
}

/// Makes a FIFO (named pipe) at `p`.
#[allow(
    unsafe_code,
    reason = "the test makes a FIFO with mkfifo, which std lacks"
)]
pub fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}
