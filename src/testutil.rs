//! Helpers for tests: locating the shared corpus of real files.

use std::path::PathBuf;

/// The corpus root: `OCTA_CORPUS`, else `../shared/corpus` beside the repository.
///
/// Returns `None` (after printing why) when it is absent; when the `CI`
/// environment variable is set, absence is a failure and this panics.
pub fn corpus_root() -> Option<PathBuf> {
    let root = match std::env::var_os("OCTA_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
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
    eprintln!(
        "skipping: test corpus not found at {} (set OCTA_CORPUS)",
        root.display()
    );
    None
}

/// A path inside the corpus, or `None` (with a skip message) when the corpus is absent.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    corpus_root().map(|r| r.join(rel))
}
