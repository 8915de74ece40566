//! Which files a project has, and one loaded file with what was read and whether it changed.

use super::store::Fingerprint;
use crate::format::bank::SharedBytes;
use crate::format::{FormatError, Warning};

/// A parsed Octatrack file the project layer can load, save and create blank.
pub trait OtFile: Clone + std::fmt::Debug {
    /// Parses the file's bytes.
    fn parse(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError>;
    /// Parses bytes the value may keep sharing instead of copying (banks do); by default the
    /// same as [`OtFile::parse`].
    fn parse_shared(bytes: &SharedBytes) -> Result<(Self, Vec<Warning>), FormatError> {
        Self::parse(bytes)
    }
    /// The file's bytes (byte-identical to what was parsed when nothing was edited).
    fn to_bytes(&self) -> Vec<u8>;
    /// The device's blank file for `id` (blank arrangements differ by index).
    fn blank(id: FileId) -> Self;
}

/// One of the 26 working files of a project (each may have a `.strd` counterpart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileId {
    /// `project.work`.
    Project,
    /// `bankNN.work`, index 0..16 (bank A = 0).
    Bank(usize),
    /// `markers.work`.
    Markers,
    /// `arrNN.work`, index 0..8.
    Arrangement(usize),
}

impl FileId {
    /// Every file of a project in on-disk listing order: project, banks, markers, arrangements.
    pub fn all() -> Vec<FileId> {
        let mut v = vec![FileId::Project];
        v.extend((0..16).map(FileId::Bank));
        v.push(FileId::Markers);
        v.extend((0..8).map(FileId::Arrangement));
        v
    }

    /// The file name: `bank01.work`, or `bank01.strd` when `stored`.
    pub fn file_name(self, stored: bool) -> String {
        let ext = if stored { "strd" } else { "work" };
        match self {
            FileId::Project => format!("project.{ext}"),
            FileId::Bank(i) => format!("bank{:02}.{ext}", i + 1),
            FileId::Markers => format!("markers.{ext}"),
            FileId::Arrangement(i) => format!("arr{:02}.{ext}", i + 1),
        }
    }

    /// Recognises a project file name; returns the file and whether it is the `.strd` one.
    pub fn from_file_name(name: &str) -> Option<(FileId, bool)> {
        let (stem, ext) = name.rsplit_once('.')?;
        let stored = match ext.to_ascii_lowercase().as_str() {
            "work" => false,
            "strd" => true,
            _ => return None,
        };
        let stem = stem.to_ascii_lowercase();
        let num = |prefix: &str, max: usize| -> Option<usize> {
            let n = stem.strip_prefix(prefix)?;
            if n.len() != 2 {
                return None;
            }
            let n: usize = n.parse().ok()?;
            (1..=max).contains(&n).then(|| n - 1)
        };
        let id = match stem.as_str() {
            "project" => FileId::Project,
            "markers" => FileId::Markers,
            _ => {
                if let Some(i) = num("bank", 16) {
                    FileId::Bank(i)
                } else {
                    FileId::Arrangement(num("arr", 8)?)
                }
            }
        };
        Some((id, stored))
    }
}

/// Where a loaded file's content came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Read from disk (or the zip); its length and hash at that time.
    Read(Fingerprint),
    /// The file was absent: the device's blank file stands in for it.
    Absent,
}

/// A loaded file: the parsed value, what was read, whether it was changed since.
#[derive(Debug, Clone)]
pub struct FileSlot<T> {
    value: T,
    origin: Origin,
    dirty: bool,
}

impl<T: OtFile> FileSlot<T> {
    /// A file read from bytes.
    pub fn read(bytes: &[u8]) -> Result<(Self, Vec<Warning>), FormatError> {
        let (value, warnings) = T::parse(bytes)?;
        Ok((
            Self {
                value,
                origin: Origin::Read(Fingerprint::of(bytes)),
                dirty: false,
            },
            warnings,
        ))
    }

    /// A file read from bytes it may keep sharing (see [`OtFile::parse_shared`]).
    pub fn read_shared(bytes: &SharedBytes) -> Result<(Self, Vec<Warning>), FormatError> {
        let (value, warnings) = T::parse_shared(bytes)?;
        Ok((
            Self {
                value,
                origin: Origin::Read(Fingerprint::of(bytes)),
                dirty: false,
            },
            warnings,
        ))
    }

    /// A blank file standing in for absent file `id` (not dirty: written only once edited).
    pub fn absent(id: FileId) -> Self {
        Self {
            value: T::blank(id),
            origin: Origin::Absent,
            dirty: false,
        }
    }

    /// A `.work` file absent from disk whose content comes from elsewhere (its `.strd`): not
    /// dirty, written only once edited.
    pub fn absent_with(value: T) -> Self {
        Self {
            value,
            origin: Origin::Absent,
            dirty: false,
        }
    }

    /// A file holding `value`, not yet on disk, marked changed.
    pub fn new_dirty(value: T) -> Self {
        Self {
            value,
            origin: Origin::Absent,
            dirty: true,
        }
    }

    /// The parsed content.
    pub fn get(&self) -> &T {
        &self.value
    }

    /// Mutable content; marks the file changed.
    pub fn get_mut(&mut self) -> &mut T {
        self.dirty = true;
        &mut self.value
    }

    /// What was read.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// True once mutable access was taken since the last read or save.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Marks the file changed.
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Records that `fp` is now on disk and the file is clean.
    pub fn mark_saved(&mut self, fp: Fingerprint) {
        self.origin = Origin::Read(fp);
        self.dirty = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let all = FileId::all();
        assert_eq!(all.len(), 26);
        for id in all {
            for stored in [false, true] {
                let n = id.file_name(stored);
                assert_eq!(FileId::from_file_name(&n), Some((id, stored)), "{n}");
            }
        }
        assert_eq!(FileId::Bank(0).file_name(false), "bank01.work");
        assert_eq!(FileId::Arrangement(7).file_name(true), "arr08.strd");
        assert_eq!(FileId::from_file_name("bank17.work"), None);
        assert_eq!(FileId::from_file_name("bank1.work"), None);
        assert_eq!(FileId::from_file_name("arr00.work"), None);
        assert_eq!(FileId::from_file_name("kick.wav"), None);
    }
}
