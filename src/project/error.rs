//! Errors of the on-disk layer: every one names the file it is about.

use crate::format::FormatError;
use std::path::PathBuf;
use thiserror::Error;

/// Why a project could not be opened, saved, imported or exported.
#[derive(Debug, Error)]
pub enum ProjectError {
    /// The operating system refused a read or write.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file's bytes are not a valid Octatrack file (the format error names the offset or line).
    #[error("{path}: {source}")]
    Format {
        /// The file (inside a zip: `archive.zip/entry`).
        path: PathBuf,
        /// What is wrong and where.
        source: FormatError,
    },
    /// The path holds no Octatrack project.
    #[error("{path}: not an Octatrack project, set or zip ({reason})")]
    NotAProject {
        /// The path given.
        path: PathBuf,
        /// What was looked for.
        reason: String,
    },
    /// A set or zip holds several projects and none has the name asked for.
    #[error("{path}: no project named {name:?} (projects: {})", available.join(", "))]
    NoSuchProject {
        /// The set or zip.
        path: PathBuf,
        /// The name asked for.
        name: String,
        /// The projects present.
        available: Vec<String>,
    },
    /// A file changed on disk since it was read; saving would lose that change.
    #[error(
        "{path}: changed on disk since it was read; not overwriting it (save with force to overwrite)"
    )]
    ChangedOnDisk {
        /// The file.
        path: PathBuf,
    },
    /// The project was opened read-only.
    #[error("{path}: the project is open read-only; nothing was written")]
    ReadOnly {
        /// The project's location.
        path: PathBuf,
    },
    /// A zip entry would land outside the target folder.
    #[error("{archive}: entry {entry:?} would be written outside the target folder; rejected")]
    UnsafeEntry {
        /// The archive.
        archive: PathBuf,
        /// The entry's name as stored.
        entry: String,
    },
    /// A path read from a file (a slot `PATH`, a zip entry, a file name in a document) leads
    /// outside the folder it belongs to.
    #[error("{what} {path:?}: leads outside {roots}; refused")]
    Outside {
        /// What named the path (`Flex 3 PATH`, `entry`, ...).
        what: String,
        /// The path as read.
        path: String,
        /// The folder(s) it must stay in.
        roots: String,
    },
    /// The zip archive itself is damaged or unsupported.
    #[error("{path}: zip archive: {message}")]
    Zip {
        /// The archive.
        path: PathBuf,
        /// The zip library's message.
        message: String,
    },
    /// An untitled project has no place to save to yet.
    #[error("the project is untitled: use save as to choose a folder")]
    Untitled,
    /// The target of a save-as, import or new project is not an empty folder.
    #[error("{path}: already exists and is not an empty folder")]
    TargetExists {
        /// The target.
        path: PathBuf,
    },
}

impl ProjectError {
    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// Wraps a format error with its path.
    pub fn format(path: impl Into<PathBuf>, source: FormatError) -> Self {
        Self::Format {
            path: path.into(),
            source,
        }
    }
}

/// Result of this layer.
pub type Result<T, E = ProjectError> = std::result::Result<T, E>;
