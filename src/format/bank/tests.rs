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

fn corpus_banks() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [
        "blank-1.40B",
        "template-1.40B",
        "multipart",
        "hello-flex/project",
    ] {
        for n in 1..=16 {
            let rel = format!("ot/{dir}/bank{n:02}.work");
            let Some(p) = corpus(&rel) else { return out };
            if p.exists() {
                out.push((rel.clone(), read(&rel).unwrap_or_default()));
            }
        }
    }
    out
}

#[test]
fn corpus_banks_round_trip_bytes_and_json() {
    let banks = corpus_banks();
    for (name, bytes) in &banks {
        let (bank, warnings) = Bank::from_bytes(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        assert!(bank.to_bytes() == *bytes, "{name}: bytes differ");
        let json = serde_json::to_string(&bank).unwrap();
        let back: Bank = serde_json::from_str(&json).unwrap();
        assert!(back == bank, "{name}: JSON model differs");
        assert!(back.to_bytes() == *bytes, "{name}: bytes via JSON differ");
    }
}
