//! The format module's file types as seen by the project layer ([`OtFile`] for each).
//!
//! `Arrangement` is a STAND-IN (raw checked bytes) until the format
//! module's parsers for them land.

use super::files::OtFile;
use crate::format::common::{FileKind, check_container, fix_checksum, header, verify_checksum};
use crate::format::{FormatError, Warning};

/// Raw container-checked binary file (stand-in).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawBinary<const K: u8>(#[serde(with = "crate::format::hexbytes")] pub Vec<u8>);

const fn kind(k: u8) -> FileKind {
    match k {
        0 => FileKind::Bank,
        1 => FileKind::Markers,
        _ => FileKind::Arrangement,
    }
}

impl<const K: u8> OtFile for RawBinary<K> {
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        check_container(bytes, kind(K))?;
        Ok((
            Self(bytes.to_vec()),
            verify_checksum(bytes).into_iter().collect(),
        ))
    }
    fn to_bytes(&self) -> Vec<u8> {
        self.0.clone()
    }
    fn blank() -> Self {
        let k = kind(K);
        let mut b = vec![0u8; k.size()];
        b[..header(k).len()].copy_from_slice(&header(k));
        fix_checksum(&mut b);
        Self(b)
    }
}

pub use crate::format::Bank;
pub use crate::format::markers::Markers;
/// Stand-in for the arrangement type.
pub type Arrangement = RawBinary<2>;

impl OtFile for Bank {
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        Bank::from_bytes(bytes)
    }
    fn to_bytes(&self) -> Vec<u8> {
        Bank::to_bytes(self)
    }
    fn blank() -> Self {
        Bank::blank()
    }
}

impl OtFile for Markers {
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        let m = Markers::parse(bytes)?;
        let w = m.warnings().to_vec();
        Ok((m, w))
    }
    fn to_bytes(&self) -> Vec<u8> {
        Markers::to_bytes(self)
    }
    fn blank() -> Self {
        Markers::blank()
    }
}

pub use crate::format::project_file::ProjectFile;

impl OtFile for ProjectFile {
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        Ok((ProjectFile::parse(bytes)?, Vec::new()))
    }
    fn to_bytes(&self) -> Vec<u8> {
        ProjectFile::to_bytes(self)
    }
    fn blank() -> Self {
        // TEMPORARY until the format module's blank project lands: a minimal valid skeleton.
        let banner = "############################";
        let lines = [
            banner,
            "# Project Settings",
            banner,
            "",
            "[META]",
            "TYPE=OCTATRACK DPS-1 PROJECT",
            "VERSION=19",
            "OS_VERSION=R0177     1.40B",
            "[/META]",
            "",
            "[SETTINGS]",
            "TEMPOx24=2880",
            "[/SETTINGS]",
            "",
            banner,
            "# Project States",
            banner,
            "",
            "[STATES]",
            "[/STATES]",
            "",
            banner,
            "# Samples",
            banner,
            "",
            banner,
            "",
        ];
        match ProjectFile::from_lines(&lines) {
            Ok(f) => f,
            Err(e) => panic!("built-in blank project.work is invalid: {e}"),
        }
    }
}
