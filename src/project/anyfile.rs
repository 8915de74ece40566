//! Any single Octatrack file, recognised by its name (or, failing that, its header).

use super::files::{FileId, OtFile};
use super::kinds::{Arrangement, Bank, Markers, ProjectFile};
use crate::format::bank::SharedBytes;
use crate::format::ot::SampleSettings;
use crate::format::{FormatError, Warning};

/// The kinds of Octatrack file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `project.work` / `.strd`.
    Project,
    /// `bankNN.work` / `.strd`.
    Bank,
    /// `markers.work` / `.strd`.
    Markers,
    /// `arrNN.work` / `.strd`.
    Arrangement,
    /// `<sample>.ot`.
    SampleSettings,
}

impl Kind {
    /// The kind a file name denotes (`bank03.strd`, `kick.ot`), case-insensitive.
    pub fn from_name(name: &str) -> Option<Kind> {
        if let Some((id, _)) = FileId::from_file_name(name) {
            return Some(match id {
                FileId::Project => Kind::Project,
                FileId::Bank(_) => Kind::Bank,
                FileId::Markers => Kind::Markers,
                FileId::Arrangement(_) => Kind::Arrangement,
            });
        }
        let lower = name.to_ascii_lowercase();
        (lower.ends_with(".ot") && lower.len() > 3).then_some(Kind::SampleSettings)
    }

    /// The kind a file's first bytes announce (the type tag at offset 12, or the project banner).
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.len() >= 16 && &bytes[0..4] == b"FORM" {
            return match &bytes[12..16] {
                b"BANK" => Some(Kind::Bank),
                b"SAMP" => Some(Kind::Markers),
                b"ARRA" => Some(Kind::Arrangement),
                b"SMPA" => Some(Kind::SampleSettings),
                _ => None,
            };
        }
        bytes
            .starts_with(b"############################\r\n# Project Settings")
            .then_some(Kind::Project)
    }

    /// A human name for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Project => "project file",
            Kind::Bank => "bank file",
            Kind::Markers => "markers file",
            Kind::Arrangement => "arrangement file",
            Kind::SampleSettings => ".ot sample settings file",
        }
    }
}

/// One parsed Octatrack file of any kind (in JSON: `{"kind": "bank", "data": {...}}`).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum AnyFile {
    /// `project.work` / `.strd`.
    Project(ProjectFile),
    /// A bank (boxed: large).
    Bank(Box<Bank>),
    /// Markers.
    Markers(Markers),
    /// An arrangement.
    Arrangement(Arrangement),
    /// A `.ot` file.
    SampleSettings(SampleSettings),
}

impl AnyFile {
    /// Parses bytes as the given kind.
    pub fn parse(kind: Kind, bytes: &[u8]) -> Result<(AnyFile, Vec<Warning>), FormatError> {
        Ok(match kind {
            Kind::Project => {
                let (v, w) = <ProjectFile as OtFile>::parse(bytes)?;
                (AnyFile::Project(v), w)
            }
            Kind::Bank => {
                let (v, w) = <Bank as OtFile>::parse(bytes)?;
                (AnyFile::Bank(Box::new(v)), w)
            }
            Kind::Markers => {
                let (v, w) = <Markers as OtFile>::parse(bytes)?;
                (AnyFile::Markers(v), w)
            }
            Kind::Arrangement => {
                let (v, w) = <Arrangement as OtFile>::parse(bytes)?;
                (AnyFile::Arrangement(v), w)
            }
            Kind::SampleSettings => {
                let v = SampleSettings::parse(bytes)?;
                let w = v.warnings().to_vec();
                (AnyFile::SampleSettings(v), w)
            }
        })
    }

    /// [`AnyFile::parse`] of bytes the parsed value may keep sharing instead of copying (a
    /// bank's lock records stay views into them until edited).
    pub fn parse_shared(
        kind: Kind,
        bytes: &SharedBytes,
    ) -> Result<(AnyFile, Vec<Warning>), FormatError> {
        match kind {
            Kind::Bank => {
                let (v, w) = <Bank as OtFile>::parse_shared(bytes)?;
                Ok((AnyFile::Bank(Box::new(v)), w))
            }
            _ => Self::parse(kind, bytes),
        }
    }

    /// The kind of file this is.
    pub fn kind(&self) -> Kind {
        match self {
            AnyFile::Project(_) => Kind::Project,
            AnyFile::Bank(_) => Kind::Bank,
            AnyFile::Markers(_) => Kind::Markers,
            AnyFile::Arrangement(_) => Kind::Arrangement,
            AnyFile::SampleSettings(_) => Kind::SampleSettings,
        }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            AnyFile::Project(v) => OtFile::to_bytes(v),
            AnyFile::Bank(v) => OtFile::to_bytes(v.as_ref()),
            AnyFile::Markers(v) => OtFile::to_bytes(v),
            AnyFile::Arrangement(v) => OtFile::to_bytes(v),
            AnyFile::SampleSettings(v) => v.to_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name_and_header() {
        assert_eq!(Kind::from_name("BANK16.STRD"), Some(Kind::Bank));
        assert_eq!(Kind::from_name("kick.ot"), Some(Kind::SampleSettings));
        assert_eq!(Kind::from_name(".ot"), None);
        assert_eq!(Kind::from_name("kick.wav"), None);
        assert_eq!(
            Kind::sniff(b"FORM\0\0\0\0DPS1ARRA\0\0\0\0\0\x06"),
            Some(Kind::Arrangement)
        );
        assert_eq!(Kind::sniff(b"RIFF"), None);
    }
}
