//! The format module's file types as seen by the project layer ([`OtFile`] for each).
//!
//! STAND-IN until the format module's parsers land: raw checked bytes.

use super::files::OtFile;
use crate::format::common::{FileKind, check_container, fix_checksum, header, verify_checksum};
use crate::format::{FormatError, Warning};

/// Raw container-checked binary file (stand-in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBinary<const K: u8>(pub Vec<u8>);

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

/// Stand-in for the bank type.
pub type Bank = RawBinary<0>;
/// Stand-in for the markers type.
pub type Markers = RawBinary<1>;
/// Stand-in for the arrangement type.
pub type Arrangement = RawBinary<2>;

/// Stand-in for project.work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFile(pub Vec<u8>);

impl OtFile for ProjectFile {
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        Ok((Self(bytes.to_vec()), Vec::new()))
    }
    fn to_bytes(&self) -> Vec<u8> {
        self.0.clone()
    }
    fn blank() -> Self {
        Self(Vec::new())
    }
}
