//! Unit tests of the bank model against the shared corpus.

use super::*;
use crate::testutil::corpus;

fn read(rel: &str) -> Option<Vec<u8>> {
    let p = corpus(rel)?;
    Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

#[test]
fn blank_matches_corpus() {
    let Some(want) = read("ot/blank-1.40B/bank01.work") else {
        return;
    };
    let got = Bank::blank().to_bytes();
    let diffs: Vec<usize> = (0..want.len())
        .filter(|&i| got[i] != want[i])
        .take(20)
        .collect();
    assert!(diffs.is_empty(), "first differing offsets: {diffs:?}");
}

#[test]
fn factory_template_matches_corpus() {
    let Some(want) = read("ot/template-1.40B/bank01.work") else {
        return;
    };
    assert!(Bank::factory_template().to_bytes() == want);
}
