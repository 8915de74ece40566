#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The JSON form of arrangements (`src/format/arrangement.rs`) holds the rows up to the last one
//! with any non-zero byte, counted here from the file map of the format doc §6 (working block at
//! byte 24, saved block at 5676, rows of 22 bytes from byte 18 of a block).

use octa::format::arrangement::Arrangement;
use octa::testutil::corpus;

/// Rows up to the last with any non-zero byte, in the block at `block`.
fn used_rows(bytes: &[u8], block: usize) -> usize {
    (0..256)
        .rposition(|r| {
            let at = block + 18 + r * 22;
            bytes[at..at + 22].iter().any(|&b| b != 0)
        })
        .map_or(0, |r| r + 1)
}

#[test]
fn json_rows_stop_at_the_last_row_in_use() {
    let Some(dir) = corpus("ot/blank-1.40B") else {
        return;
    };
    let mut files = vec![dir.join("arr01.work")];
    if let Some(more) = corpus("ot/arrangements") {
        for e in std::fs::read_dir(more).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "work" || x == "strd") {
                files.push(p);
            }
        }
    }
    let mut seen_rows = false;
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let a = Arrangement::parse(&bytes).unwrap();
        let j = serde_json::to_value(&a).unwrap();
        for (key, block) in [("working", 24), ("saved", 5676)] {
            let rows = j[key]["rows"].as_array().unwrap().len();
            assert_eq!(rows, used_rows(&bytes, block), "{} {key}", f.display());
            seen_rows |= rows > 0;
        }
    }
    assert_eq!(
        used_rows(&std::fs::read(dir.join("arr01.work")).unwrap(), 24),
        0,
        "a blank arrangement has no rows"
    );
    assert!(seen_rows, "the corpus arrangements hold rows");
}
