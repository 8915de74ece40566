//! Any Octatrack project file: its [`Kind`] (from its name or its first bytes), parsing and
//! writing any kind ([`AnyFile`]), and one JSON shape (`{"kind": …, "data": …}`) for
//! whole-project export and import. The project layer re-exports both (`project::anyfile`).

use serde::{Deserialize, Serialize};

use super::arrangement::Arrangement;
use super::bank::{Bank, SharedBytes};
use super::common::FileKind;
use super::markers::Markers;
use super::ot::SampleSettings;
use super::project_file::ProjectFile;
use super::{FormatError, Warning};

/// The kind of an Octatrack file: the one file-kind enum of the crate. The four binary kinds
/// share a container ([`FileKind`], their header tag, version and size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
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

impl Kind {
    /// Every kind, in the order above.
    pub const ALL: [Kind; 5] = [
        Kind::Project,
        Kind::Bank,
        Kind::Markers,
        Kind::Arrangement,
        Kind::SampleSettings,
    ];

    /// The kind a file name denotes (`bank03.strd`, `kick.ot`), case-insensitive; `None` for
    /// anything else (`bank17.work`, `bank1.work`, `.ot`, `kick.wav`).
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
                .filter(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()))
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

    /// The kind a file's first bytes announce (the type tag at offset 12 after `FORM`, or the
    /// project banner).
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.len() >= 16 && &bytes[0..4] == b"FORM" {
            return Self::ALL
                .into_iter()
                .find(|k| k.container().is_some_and(|c| c.tag()[..] == bytes[12..16]));
        }
        bytes
            .starts_with(b"############################\r\n# Project Settings")
            .then_some(Self::Project)
    }

    /// The binary container of this kind (header tag, version, size); `None` for the text
    /// project file.
    pub fn container(self) -> Option<FileKind> {
        match self {
            Self::Project => None,
            Self::Bank => Some(FileKind::Bank),
            Self::Markers => Some(FileKind::Markers),
            Self::Arrangement => Some(FileKind::Arrangement),
            Self::SampleSettings => Some(FileKind::SampleSettings),
        }
    }

    /// A human name for messages (`bank file`, `.ot sample settings file`).
    pub fn describe(self) -> &'static str {
        match self.container() {
            Some(c) => c.describe(),
            None => "project file",
        }
    }
}

impl From<FileKind> for Kind {
    fn from(k: FileKind) -> Self {
        match k {
            FileKind::Bank => Self::Bank,
            FileKind::Markers => Self::Markers,
            FileKind::Arrangement => Self::Arrangement,
            FileKind::SampleSettings => Self::SampleSettings,
        }
    }
}

/// A parsed Octatrack file of any kind (in JSON: `{"kind": "bank", "data": {...}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum AnyFile {
    /// `project.work` / `.strd`.
    Project(ProjectFile),
    /// A bank file (boxed: large).
    Bank(Box<Bank>),
    /// `markers.work` / `.strd`.
    Markers(Markers),
    /// An arrangement file.
    Arrangement(Arrangement),
    /// A `.ot` file.
    SampleSettings(SampleSettings),
}

impl AnyFile {
    /// Parses bytes as the given kind; warnings are non-fatal findings (wrong checksum).
    pub fn parse(kind: Kind, bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        Ok(match kind {
            Kind::Project => (Self::Project(ProjectFile::parse(bytes)?), Vec::new()),
            Kind::Bank => {
                let (b, w) = Bank::from_bytes(bytes)?;
                (Self::Bank(Box::new(b)), w)
            }
            Kind::Markers => {
                let m = Markers::parse(bytes)?;
                let w = m.warnings().to_vec();
                (Self::Markers(m), w)
            }
            Kind::Arrangement => {
                let a = Arrangement::parse(bytes)?;
                let w = a.warnings().to_vec();
                (Self::Arrangement(a), w)
            }
            Kind::SampleSettings => {
                let s = SampleSettings::parse(bytes)?;
                let w = s.warnings().to_vec();
                (Self::SampleSettings(s), w)
            }
        })
    }

    /// [`AnyFile::parse`] of bytes the parsed value may keep sharing instead of copying (a
    /// bank's lock records stay views into them until edited).
    pub fn parse_shared(
        kind: Kind,
        bytes: &SharedBytes,
    ) -> Result<(Self, Vec<Warning>), FormatError> {
        match kind {
            Kind::Bank => {
                let (b, w) = Bank::from_shared(bytes)?;
                Ok((Self::Bank(Box::new(b)), w))
            }
            _ => Self::parse(kind, bytes),
        }
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
    pub fn kind(&self) -> Kind {
        match self {
            Self::Project(_) => Kind::Project,
            Self::Bank(_) => Kind::Bank,
            Self::Markers(_) => Kind::Markers,
            Self::Arrangement(_) => Kind::Arrangement,
            Self::SampleSettings(_) => Kind::SampleSettings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(Kind::from_name("project.work"), Some(Kind::Project));
        assert_eq!(Kind::from_name("PROJECT.STRD"), Some(Kind::Project));
        assert_eq!(Kind::from_name("bank16.work"), Some(Kind::Bank));
        assert_eq!(Kind::from_name("BANK16.STRD"), Some(Kind::Bank));
        assert_eq!(Kind::from_name("bank17.work"), None);
        assert_eq!(Kind::from_name("bank1.work"), None);
        assert_eq!(Kind::from_name("bank+1.work"), None);
        assert_eq!(Kind::from_name("arr08.strd"), Some(Kind::Arrangement));
        assert_eq!(Kind::from_name("arr09.strd"), None);
        assert_eq!(Kind::from_name("markers.strd"), Some(Kind::Markers));
        assert_eq!(Kind::from_name("kick.ot"), Some(Kind::SampleSettings));
        assert_eq!(Kind::from_name(".ot"), None);
        assert_eq!(Kind::from_name("kick.wav"), None);
        assert_eq!(Kind::from_name("project.txt"), None);
    }

    #[test]
    fn sniffed_from_the_header() {
        assert_eq!(
            Kind::sniff(b"FORM\0\0\0\0DPS1ARRA\0\0\0\0\0\x06"),
            Some(Kind::Arrangement)
        );
        assert_eq!(
            Kind::sniff(b"FORM\0\0\0\0DPS1SMPA"),
            Some(Kind::SampleSettings)
        );
        assert_eq!(Kind::sniff(b"FORM\0\0\0\0DPS1SMP"), None);
        assert_eq!(Kind::sniff(b"RIFF"), None);
    }

    #[test]
    fn containers_and_names() {
        assert_eq!(Kind::Project.container(), None);
        for k in Kind::ALL.into_iter().skip(1) {
            let c = k.container().unwrap();
            assert_eq!(Kind::from(c), k);
            assert_eq!(k.describe(), c.describe());
        }
        assert_eq!(Kind::Project.describe(), "project file");
        assert_eq!(Kind::SampleSettings.describe(), ".ot sample settings file");
    }
}
