//! Fuzz target: any bytes parsed as a bank file never panic, and what parses is written back byte-identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use octa::project::anyfile::{AnyFile, Kind};

fuzz_target!(|data: &[u8]| {
    if let Ok((file, _warnings)) = AnyFile::parse(Kind::Bank, data) {
        assert!(file.to_bytes() == data, "parsed bank file not written back byte-identical");
    }
});
