//! Helpers for tests: locating the shared corpus of real files.
//!
//! A test skips (returns early) only when the whole corpus is absent and `CI` is not set;
//! a corpus that is present but lacks the file a test asks for is a failure, never a skip.

use std::path::{Path, PathBuf};

/// The corpus root: `OCTA_CORPUS`, else the nearest `shared/corpus` in a folder above the
/// repository (`../shared/corpus` for a checkout, `../../shared/corpus` for a worktree in a
/// subfolder).
///
/// Returns `None` (after printing why) when it is absent; when the `CI`
/// environment variable is set, absence is a failure and this panics.
pub fn corpus_root() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = match std::env::var_os("OCTA_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => manifest
            .ancestors()
            .skip(1)
            .map(|a| a.join("shared/corpus"))
            .find(|c| c.is_dir())
            .unwrap_or_else(|| manifest.join("../shared/corpus")),
    };
    if root.is_dir() {
        return Some(root);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "the test corpus is missing at {} (set OCTA_CORPUS); CI requires it",
            root.display()
        );
    }
    #[allow(
        clippy::print_stderr,
        reason = "the test harness captures eprintln!, so a skip shows with that test's output"
    )]
    {
        eprintln!(
            "skipping: test corpus not found at {} (set OCTA_CORPUS)",
            root.display()
        );
    }
    None
}

/// A path inside the corpus, or `None` (with a skip message) when the corpus is absent.
///
/// Panics when the corpus is present but `rel` is not in it: a test that reads corpus data
/// must not pass having read nothing.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    corpus_root().map(|r| in_corpus(&r, rel))
}

/// `root/rel`, panicking (naming both) when it does not exist.
fn in_corpus(root: &Path, rel: &str) -> PathBuf {
    let p = root.join(rel);
    if !p.exists() {
        panic!(
            "the test corpus at {} has no {rel}: a missing file fails the test rather than skipping it",
            root.display()
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_missing_from_a_present_corpus_fails_loudly() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("there.work"), b"x").unwrap();
        assert_eq!(
            in_corpus(root.path(), "there.work"),
            root.path().join("there.work")
        );
        let missing = std::panic::catch_unwind(|| in_corpus(root.path(), "ot/gone.work"));
        let msg = missing.unwrap_err();
        let msg = msg
            .downcast_ref::<String>()
            .expect("panic message is a String");
        assert!(msg.contains("has no ot/gone.work"), "{msg}");
        assert!(msg.contains(&root.path().display().to_string()), "{msg}");
    }
}
