//! The format module's file types as seen by the project layer ([`OtFile`] for each).

use super::files::{FileId, OtFile};
use crate::format::bank::SharedBytes;
use crate::format::blank::{BLANK_ARRANGEMENT_NAMES, blank_project_file};
use crate::format::{FormatError, Warning};

pub use crate::format::Bank;
pub use crate::format::arrangement::Arrangement;
pub use crate::format::markers::Markers;
pub use crate::format::project_file::ProjectFile;

impl OtFile for Bank {
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        Bank::from_bytes(bytes)
    }
    fn parse_shared(bytes: &SharedBytes) -> Result<(Self, Vec<Warning>), FormatError> {
        Bank::from_shared(bytes)
    }
    fn to_bytes(&self) -> Vec<u8> {
        Bank::to_bytes(self)
    }
    fn blank(_: FileId) -> Self {
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
    fn blank(_: FileId) -> Self {
        Markers::blank()
    }
}

impl OtFile for Arrangement {
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        let a = Arrangement::parse(bytes)?;
        let w = a.warnings().to_vec();
        Ok((a, w))
    }
    fn to_bytes(&self) -> Vec<u8> {
        Arrangement::to_bytes(self)
    }
    fn blank(id: FileId) -> Self {
        let i = match id {
            FileId::Arrangement(i) => i,
            _ => 0,
        };
        let name = BLANK_ARRANGEMENT_NAMES.get(i).copied().unwrap_or(&[0; 15]);
        Arrangement::blank(*name)
    }
}

impl OtFile for ProjectFile {
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        Ok((ProjectFile::parse(bytes)?, Vec::new()))
    }
    fn to_bytes(&self) -> Vec<u8> {
        ProjectFile::to_bytes(self)
    }
    fn blank(_: FileId) -> Self {
        blank_project_file()
    }
}
