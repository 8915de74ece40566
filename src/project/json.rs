//! A whole project as one JSON document and back, byte-exact.
//!
//! The document lists every file the project has on disk (`.work` and `.strd`), each in the
//! format module's JSON form. Files absent from the project are absent from the document, so
//! importing recreates exactly the same set of files.

use super::anyfile::{AnyFile, Kind};
use super::durable;
use super::error::{ProjectError, Result};
use super::files::FileId;
use super::model::Project;
use super::store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `format` value of a project document.
pub const FORMAT: &str = "octa-project";
/// The document version this build writes and reads.
pub const VERSION: u32 = 1;

/// A project as JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct ProjectJson {
    /// Always [`FORMAT`].
    pub format: String,
    /// Document version ([`VERSION`]).
    pub version: u32,
    /// The project's name.
    pub name: String,
    /// Every file, by file name (`bank01.work`, `project.strd`, ...).
    pub files: BTreeMap<String, AnyFile>,
}

fn kind_of(id: FileId) -> Kind {
    match id {
        FileId::Project => Kind::Project,
        FileId::Bank(_) => Kind::Bank,
        FileId::Markers => Kind::Markers,
        FileId::Arrangement(_) => Kind::Arrangement,
    }
}

impl ProjectJson {
    /// The document for a project: the files it read from disk (edited ones as they are now).
    pub fn from_project(p: &Project) -> Result<ProjectJson> {
        let mut files = BTreeMap::new();
        for id in FileId::all() {
            for stored in [false, true] {
                let present = p.read_fingerprint(id, stored).is_some() || p.is_dirty(id) && !stored;
                let Some(bytes) = p.file_bytes(id, stored).filter(|_| present) else {
                    continue;
                };
                let (file, _) = AnyFile::parse(kind_of(id), &bytes)
                    .map_err(|e| ProjectError::format(p.file_path(id, stored), e))?;
                files.insert(id.file_name(stored), file);
            }
        }
        Ok(ProjectJson {
            format: FORMAT.into(),
            version: VERSION,
            name: p.name().to_string(),
            files,
        })
    }

    /// Reads a document from JSON text; `path` is for messages.
    pub fn from_json(path: &Path, text: &[u8]) -> Result<ProjectJson> {
        let doc: ProjectJson =
            serde_json::from_slice(text).map_err(|e| ProjectError::NotAProject {
                path: path.to_path_buf(),
                reason: format!(
                    "invalid project JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
            })?;
        if doc.format != FORMAT || doc.version != VERSION {
            return Err(ProjectError::NotAProject {
                path: path.to_path_buf(),
                reason: format!(
                    "expected format {FORMAT:?} version {VERSION}, found {:?} version {}",
                    doc.format, doc.version
                ),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for (name, file) in &doc.files {
            let Some((id, stored)) = FileId::from_file_name(name) else {
                return Err(ProjectError::NotAProject {
                    path: path.to_path_buf(),
                    reason: format!("{name:?} is not a project file name"),
                });
            };
            // The content must be the kind its name says (a markers document under
            // `bank02.work` would be written where the device expects a bank).
            if file.kind() != kind_of(id) {
                return Err(ProjectError::NotAProject {
                    path: path.to_path_buf(),
                    reason: format!(
                        "file {name:?}: expected a {}, found a {}",
                        kind_of(id).describe(),
                        file.kind().describe()
                    ),
                });
            }
            if !seen.insert((id, stored)) {
                return Err(ProjectError::NotAProject {
                    path: path.to_path_buf(),
                    reason: format!("file {name:?}: a second entry for {}", id.file_name(stored)),
                });
            }
        }
        Ok(doc)
    }

    /// Writes every file into `dir` (absent or empty), all or nothing: every file is staged
    /// first, then committed (see [`super::durable::Txn`]); on a failure `dir` is left as it
    /// was (absent or empty). Returns the files written.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        if !store::is_free_target(dir)? {
            return Err(ProjectError::TargetExists {
                path: dir.to_path_buf(),
            });
        }
        let roots = [dir.to_path_buf()];
        let mut items = Vec::new();
        for (name, file) in &self.files {
            // Written under the device's own name for it, and only inside `dir`.
            let name = FileId::from_file_name(name)
                .map(|(id, stored)| id.file_name(stored))
                .unwrap_or_else(|| name.clone());
            if super::contain::inside(&roots, dir, Path::new(&name)).is_none() {
                return Err(super::contain::outside("file", name, &roots));
            }
            items.push(durable::Item {
                target: dir.join(&name),
                content: durable::Content::Bytes(file.to_bytes()),
                new_only: true,
            });
        }
        let mut txn = durable::Txn::new(Some(dir));
        txn.create_dir_all(dir)?;
        for i in items {
            txn.push(i);
        }
        txn.commit()
    }
}
