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
use serde::ser::{Error as _, SerializeMap, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
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

/// The files of a project's document, by file name in the document's order (sorted): the
/// files read from disk, and the `.work` files edited since.
fn entries(p: &Project) -> Vec<(String, FileId, bool)> {
    let mut v: Vec<_> = FileId::all()
        .into_iter()
        .flat_map(|id| [(id, false), (id, true)])
        .filter(|&(id, stored)| {
            p.read_fingerprint(id, stored).is_some() || p.is_dirty(id) && !stored
        })
        .map(|(id, stored)| (id.file_name(stored), id, stored))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// One file of the document, parsed (`None` when the project has no bytes for it).
fn parse_entry(p: &Project, id: FileId, stored: bool) -> Result<Option<AnyFile>> {
    let Some(bytes) = p.file_bytes(id, stored) else {
        return Ok(None);
    };
    let (file, _) = AnyFile::parse(kind_of(id), &bytes)
        .map_err(|e| ProjectError::format(p.file_path(id, stored), e))?;
    Ok(Some(file))
}

/// A project's document written as it is serialised: one file parsed, written and dropped at
/// a time, so memory holds one parsed file, never the whole document. The output is the
/// same as serialising [`ProjectJson::from_project`].
pub struct ProjectJsonStream<'a> {
    project: &'a Project,
    /// The first failure to parse a file (reported instead of the serialiser's error).
    failure: RefCell<Option<ProjectError>>,
}

impl<'a> ProjectJsonStream<'a> {
    /// The document of `project`.
    pub fn new(project: &'a Project) -> Self {
        Self {
            project,
            failure: RefCell::new(None),
        }
    }

    /// Writes the document to `w`: indented like `serde_json::to_writer_pretty`, or without
    /// any whitespace when `compact`. `out` names the output in messages.
    pub fn write(&self, w: &mut dyn Write, compact: bool, out: &Path) -> Result<()> {
        let r = if compact {
            serde_json::to_writer(&mut *w, self)
        } else {
            serde_json::to_writer_pretty(&mut *w, self)
        };
        if let Some(e) = self.failure.borrow_mut().take() {
            return Err(e);
        }
        r.map_err(|e| ProjectError::io(out, std::io::Error::from(e)))
    }
}

impl Serialize for ProjectJsonStream<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        // The fields of `ProjectJson`, in its order.
        let mut st = s.serialize_struct("ProjectJson", 4)?;
        st.serialize_field("format", FORMAT)?;
        st.serialize_field("version", &VERSION)?;
        st.serialize_field("name", self.project.name())?;
        st.serialize_field("files", &StreamFiles(self))?;
        st.end()
    }
}

/// The `files` map of a [`ProjectJsonStream`].
struct StreamFiles<'a, 'b>(&'b ProjectJsonStream<'a>);

impl Serialize for StreamFiles<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let p = self.0.project;
        // No length up front (it would mean reading every file twice): serde_json writes the
        // same text either way, `{}` included.
        let mut map = s.serialize_map(None)?;
        for (name, id, stored) in entries(p) {
            let file = match parse_entry(p, id, stored) {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(e) => {
                    let msg = e.to_string();
                    *self.0.failure.borrow_mut() = Some(e);
                    return Err(S::Error::custom(msg));
                }
            };
            map.serialize_entry(&name, &file)?;
        }
        map.end()
    }
}

impl ProjectJson {
    /// The document for a project: the files it read from disk (edited ones as they are now).
    pub fn from_project(p: &Project) -> Result<ProjectJson> {
        let mut files = BTreeMap::new();
        for (name, id, stored) in entries(p) {
            if let Some(file) = parse_entry(p, id, stored)? {
                files.insert(name, file);
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
