//! Any Octatrack project file by name: detection, parsing, writing, and one JSON shape
//! (`{"kind": …, "data": …}`) for whole-project export and import.

use serde::{Deserialize, Serialize};

use super::arrangement::Arrangement;
use super::bank::Bank;
use super::markers::Markers;
use super::ot::SampleSettings;
use super::project_file::ProjectFile;
use super::{FormatError, Warning};

/// The kind of an Octatrack file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileType {
    /// `project.work` / `project.strd`.
    Project,
    /// `bank01`..`bank16` `.work` / `.strd`.
    Bank,
    /// `markers.work` / `.strd`.
    Markers,
    /// `arr01`..`arr08` `.work` / `.strd`.
    Arrangement,
    /// `<sample>.ot`.
    SampleSettings,
}

impl FileType {
    /// Recognises a file name (case-insensitive); `None` for anything else.
    pub fn from_name(name: &str) -> Option<Self> {
        let n = name.to_ascii_lowercase();
        if n.ends_with(".ot") && n.len() > 3 {
            return Some(Self::SampleSettings);
        }
        let stem = n
            .strip_suffix(".work")
            .or_else(|| n.strip_suffix(".strd"))?;
        let numbered = |prefix: &str, max: u32| {
            stem.strip_prefix(prefix)
                .filter(|d| d.len() == 2)
                .and_then(|d| d.parse::<u32>().ok())
                .is_some_and(|v| (1..=max).contains(&v))
        };
        match stem {
            "project" => Some(Self::Project),
            "markers" => Some(Self::Markers),
            _ if numbered("bank", 16) => Some(Self::Bank),
            _ if numbered("arr", 8) => Some(Self::Arrangement),
            _ => None,
        }
    }
}

/// A parsed Octatrack file of any kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum OtFile {
    /// `project.work`.
    Project(ProjectFile),
    /// A bank file.
    Bank(Box<Bank>),
    /// `markers.work`.
    Markers(Markers),
    /// An arrangement file.
    Arrangement(Arrangement),
    /// A `.ot` file.
    SampleSettings(SampleSettings),
}

impl OtFile {
    /// Parses bytes as the given kind; warnings are non-fatal findings (wrong checksum).
    pub fn parse(kind: FileType, bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        Ok(match kind {
            FileType::Project => (Self::Project(ProjectFile::parse(bytes)?), Vec::new()),
            FileType::Bank => {
                let (b, w) = Bank::from_bytes(bytes)?;
                (Self::Bank(Box::new(b)), w)
            }
            FileType::Markers => {
                let m = Markers::parse(bytes)?;
                let w = m.warnings().to_vec();
                (Self::Markers(m), w)
            }
            FileType::Arrangement => {
                let a = Arrangement::parse(bytes)?;
                let w = a.warnings().to_vec();
                (Self::Arrangement(a), w)
            }
            FileType::SampleSettings => {
                let s = SampleSettings::parse(bytes)?;
                let w = s.warnings().to_vec();
                (Self::SampleSettings(s), w)
            }
        })
    }

    /// The bytes to write.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Project(p) => p.to_bytes(),
            Self::Bank(b) => b.to_bytes(),
            Self::Markers(m) => m.to_bytes(),
            Self::Arrangement(a) => a.to_bytes(),
            Self::SampleSettings(s) => s.to_bytes(),
        }
    }

    /// The kind of this file.
    pub fn file_type(&self) -> FileType {
        match self {
            Self::Project(_) => FileType::Project,
            Self::Bank(_) => FileType::Bank,
            Self::Markers(_) => FileType::Markers,
            Self::Arrangement(_) => FileType::Arrangement,
            Self::SampleSettings(_) => FileType::SampleSettings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(FileType::from_name("project.work"), Some(FileType::Project));
        assert_eq!(FileType::from_name("PROJECT.STRD"), Some(FileType::Project));
        assert_eq!(FileType::from_name("bank16.work"), Some(FileType::Bank));
        assert_eq!(FileType::from_name("bank17.work"), None);
        assert_eq!(FileType::from_name("bank1.work"), None);
        assert_eq!(
            FileType::from_name("arr08.strd"),
            Some(FileType::Arrangement)
        );
        assert_eq!(FileType::from_name("arr09.strd"), None);
        assert_eq!(FileType::from_name("markers.strd"), Some(FileType::Markers));
        assert_eq!(
            FileType::from_name("kick.ot"),
            Some(FileType::SampleSettings)
        );
        assert_eq!(FileType::from_name(".ot"), None);
        assert_eq!(FileType::from_name("kick.wav"), None);
    }
}
