//! Fuzz target: any bytes parsed as a arrangement file never panic, and what parses is written back byte-identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use octa::project::anyfile::{AnyFile, Kind};

fuzz_target!(|data: &[u8]| {
    if let Ok((file, _warnings)) = AnyFile::parse(Kind::Arrangement, data) {
        assert!(file.to_bytes() == data, "parsed arrangement file not written back byte-identical");
    }
});
