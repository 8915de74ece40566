//! Fuzz target: any bytes read as a zip never panic; every accepted entry name stays inside the target.
#![no_main]

use libfuzzer_sys::fuzz_target;
use octa::project::archive;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = archive::read_zip(Path::new("fuzz.zip"), data) {
        for e in entries {
            assert!(!e.name.starts_with('/') && !e.name.split('/').any(|c| c == ".."));
        }
    }
});
