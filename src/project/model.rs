//! The [`Project`]: every parsed file of one project, where it came from, and what changed.

use super::archive::Entry;
use super::error::{ProjectError, Result};
use super::files::{FileId, FileSlot, OtFile};
use super::kinds::{Arrangement, Bank, Markers, ProjectFile};
use super::source::{self, Located, Tree};
use super::store::{self, Fingerprint};
use std::path::{Path, PathBuf};

/// Number of banks in a project.
pub const BANKS: usize = 16;
/// Number of arrangements in a project.
pub const ARRANGEMENTS: usize = 8;

/// Where a project lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// A project folder on disk.
    Folder(PathBuf),
    /// A project inside a zip (its files read when opened, other entries on demand); saving
    /// rewrites the whole zip.
    Zip {
        /// The archive.
        archive: PathBuf,
        /// The project's folder inside it (`/`-terminated, `""` at the root).
        dir: String,
        /// Every entry of the archive (content read on demand; the project's files are replaced
        /// on save, the others copied as stored).
        entries: Vec<Entry>,
        /// The archive's bytes when read (to refuse overwriting a zip changed since).
        fingerprint: Fingerprint,
    },
    /// Not saved anywhere yet: use [`Project::save_as`].
    Untitled,
}

/// The set's audio pool (the `AUDIO` folder beside the project).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioPool {
    /// A folder on disk.
    Folder(PathBuf),
    /// A folder inside the project's zip (`/`-separated, no trailing `/`).
    Zip(String),
}

/// How to open a project.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// In a set or zip with several projects: the one with this folder name (default: the only or first).
    pub project: Option<std::ffi::OsString>,
    /// Never write anything: every save fails with [`ProjectError::ReadOnly`].
    pub read_only: bool,
}

/// The files a partly read project holds (see [`Project::open_partial`]): `project.work`, the markers and arrangements, and
/// the banks listed. Banks not listed are blank placeholders that must not be looked at.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    /// The banks to read (0..16).
    pub banks: Vec<usize>,
    /// Whether to read the `.strd` (saved state) files too.
    pub stored: bool,
}

/// A non-fatal finding while opening, naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenWarning {
    /// The file (inside a zip: `archive.zip/entry`).
    pub path: PathBuf,
    /// What was found (with the byte offset when the format reported one).
    pub message: String,
}

impl std::fmt::Display for OpenWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// A `.work` file and, when present, its `.strd` counterpart.
#[derive(Debug, Clone)]
pub(super) struct Pair<T> {
    pub work: FileSlot<T>,
    pub strd: Option<FileSlot<T>>,
}

/// An open Octatrack project: project.work, 16 banks, markers, 8 arrangements (and their `.strd`).
///
/// ```
/// use octa::format::bank::StepKind;
/// use octa::project::{OpenOptions, Project};
///
/// let tmp = tempfile::tempdir()?;
/// let dir = tmp.path().join("DOC");
/// let mut p = Project::new_blank("DOC");
/// p.bank_mut(0).patterns[0].audio[0].set_step_kind(0, StepKind::Trig)?; // A01 T1 step 1
/// p.project_file_mut().set_tempo_bpm(124.0)?;
/// p.save_as(&dir)?; // atomic and journaled; `save` later keeps backups
/// let back = Project::open(&dir, &OpenOptions::default())?;
/// assert_eq!(back.bank(0).patterns[0].audio[0].step_kind(0), StepKind::Trig);
/// assert_eq!(back.project_file().tempo_bpm(), Some(124.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Project {
    pub(super) name: String,
    pub(super) location: Location,
    pub(super) audio: Option<AudioPool>,
    pub(super) read_only: bool,
    pub(super) project: Pair<ProjectFile>,
    pub(super) banks: Vec<Pair<Bank>>,
    pub(super) markers: Pair<Markers>,
    pub(super) arrangements: Vec<Pair<Arrangement>>,
    pub(super) warnings: Vec<OpenWarning>,
    /// Opened with [`Project::open_partial`]: some files were not read.
    pub(super) partial: bool,
}

fn load<T: OtFile>(
    tree: &Tree,
    dir: &str,
    id: FileId,
    stored: bool,
    warnings: &mut Vec<OpenWarning>,
) -> Result<Pair<T>> {
    let mut read = |stored: bool| -> Result<Option<FileSlot<T>>> {
        let rel = format!("{dir}{}", id.file_name(stored));
        let path = tree.display(&rel);
        let Some(bytes) = tree.read(&rel)? else {
            return Ok(None);
        };
        // Shared, not copied: a bank's lock records stay views into the bytes as read.
        let bytes = std::sync::Arc::new(bytes);
        let (slot, ws) =
            FileSlot::read_shared(&bytes).map_err(|e| ProjectError::format(path.clone(), e))?;
        warnings.extend(ws.into_iter().map(|w| OpenWarning {
            path: path.clone(),
            message: w.to_string(),
        }));
        Ok(Some(slot))
    };
    let work = read(false)?;
    // Without `stored`, a `.strd` is still read when its `.work` is missing (it is then opened).
    let strd = if stored || work.is_none() {
        read(true)?
    } else {
        None
    };
    let work = match (work, &strd) {
        (Some(w), _) => w,
        (None, Some(s)) => {
            // The device's saved state is there: open it, never a blank file in its place.
            warnings.push(OpenWarning {
                path: tree.display(&format!("{dir}{}", id.file_name(false))),
                message: format!(
                    "missing: opened from {} (the saved state); written as {} only when edited",
                    id.file_name(true),
                    id.file_name(false)
                ),
            });
            FileSlot::absent_with(s.get().clone())
        }
        (None, None) => {
            warnings.push(OpenWarning {
                path: tree.display(&format!("{dir}{}", id.file_name(false))),
                message: "missing: using the device's blank file (written only when edited)".into(),
            });
            FileSlot::absent(id)
        }
    };
    Ok(Pair { work, strd })
}

/// A bank not read by [`Project::open_partial`]: the blank bank, its lock records shared with
/// one copy of the blank bytes (cheap: 15 full blank banks cost more than reading one bank).
fn placeholder_bank() -> Bank {
    static BYTES: std::sync::OnceLock<std::sync::Arc<Vec<u8>>> = std::sync::OnceLock::new();
    let bytes = BYTES.get_or_init(|| std::sync::Arc::new(Bank::blank().to_bytes()));
    Bank::from_shared(bytes).map_or_else(|_| Bank::blank(), |(b, _)| b)
}

impl Project {
    /// Opens a project folder, a set folder, or a `.zip` of either.
    ///
    /// Missing bank, markers or arrangement files open as blank files with a warning
    /// (see [`Project::warnings`]); a missing `project.work` is an error. A save interrupted by
    /// a crash is first finished or rolled back, and temp files of dead octa processes removed
    /// (see [`super::durable::recover`]; reported as warnings).
    pub fn open(path: &Path, options: &OpenOptions) -> Result<Project> {
        Self::open_with(path, options, None)
    }

    /// Opens only some of a project's files, for commands that look at a part of it (`octa dump`
    /// of one pattern reads one bank; `octa info` no `.strd`). The project is read-only, cannot
    /// be saved under another name, and the banks not read are blank placeholders.
    pub fn open_partial(path: &Path, options: &OpenOptions, only: &Partial) -> Result<Project> {
        Self::open_with(path, options, Some(only))
    }

    fn open_with(path: &Path, options: &OpenOptions, only: Option<&Partial>) -> Result<Project> {
        let tree = Tree::open(path)?;
        let Located {
            dir,
            name,
            audio,
            folder,
        } = tree.locate(options.project.as_deref())?;
        // A project folder of a set is read under the name the OS has for it: the tree is
        // re-rooted there (its lossy name in `dir` might name another folder or none).
        let (tree, dir, audio, audio_dir) = match (tree, folder) {
            (Tree::Dir(root), Some(f)) if !dir.is_empty() => {
                let audio_dir = audio.map(|a| root.join(a));
                (Tree::Dir(f), String::new(), None, audio_dir)
            }
            (t, _) => (t, dir, audio, None),
        };
        let mut warnings = Vec::new();
        // A save interrupted by a crash is finished (or rolled back) before anything is read.
        let folder = match &tree {
            Tree::Dir(root) => root.join(dir.trim_end_matches('/')),
            Tree::Zip { path, .. } => path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
        };
        match super::durable::recover(&folder) {
            Ok(lines) => warnings.extend(lines.into_iter().map(|message| OpenWarning {
                path: folder.clone(),
                message,
            })),
            Err(e) => warnings.push(OpenWarning {
                path: folder.clone(),
                message: format!("an interrupted save could not be finished: {e}"),
            }),
        }
        let stored = only.is_none_or(|o| o.stored);
        let wanted = |b: usize| only.is_none_or(|o| o.banks.contains(&b));
        let project: Pair<ProjectFile> = load(&tree, &dir, FileId::Project, stored, &mut warnings)?;
        if project.work.origin() == super::files::Origin::Absent && project.strd.is_none() {
            return Err(ProjectError::NotAProject {
                path: tree.display(&format!("{dir}project.work")),
                reason: "project.work is missing".into(),
            });
        }
        // The 16 banks (and their saved copies) are 20 MB to read and parse: all cores at once.
        let indices: Vec<usize> = (0..BANKS).filter(|&i| wanted(i)).collect();
        let loaded = super::par::map(&indices, |&i| {
            let mut w = Vec::new();
            load(&tree, &dir, FileId::Bank(i), stored, &mut w).map(|pair| (pair, w))
        });
        let mut read: Vec<Option<Pair<Bank>>> = (0..BANKS).map(|_| None).collect();
        for (&i, r) in indices.iter().zip(loaded) {
            let (pair, w) = r?;
            warnings.extend(w);
            read[i] = Some(pair);
        }
        let banks: Vec<Pair<Bank>> = read
            .into_iter()
            .map(|pair| {
                pair.unwrap_or_else(|| Pair {
                    work: FileSlot::absent_with(placeholder_bank()),
                    strd: None,
                })
            })
            .collect();
        let markers = load(&tree, &dir, FileId::Markers, stored, &mut warnings)?;
        let arrangements = (0..ARRANGEMENTS)
            .map(|i| load(&tree, &dir, FileId::Arrangement(i), stored, &mut warnings))
            .collect::<Result<Vec<_>>>()?;
        let (location, audio) = match tree {
            Tree::Dir(root) => (
                Location::Folder(if dir.is_empty() {
                    root.clone()
                } else {
                    root.join(dir.trim_end_matches('/'))
                }),
                audio_dir
                    .or_else(|| audio.map(|a| root.join(a)))
                    .map(AudioPool::Folder),
            ),
            Tree::Zip {
                path,
                entries,
                fingerprint,
            } => (
                Location::Zip {
                    archive: path,
                    dir,
                    entries,
                    fingerprint,
                },
                audio.map(AudioPool::Zip),
            ),
        };
        Ok(Project {
            name,
            location,
            audio,
            read_only: options.read_only || only.is_some(),
            project,
            banks,
            markers,
            arrangements,
            warnings,
            partial: only.is_some(),
        })
    }

    /// A new, untitled project made of the device's blank files (all marked changed).
    pub fn new_blank(name: &str) -> Project {
        fn fresh<T: OtFile>(id: FileId) -> Pair<T> {
            Pair {
                work: FileSlot::new_dirty(T::blank(id)),
                strd: None,
            }
        }
        Project {
            name: name.to_string(),
            location: Location::Untitled,
            audio: None,
            read_only: false,
            project: fresh(FileId::Project),
            banks: (0..BANKS).map(|i| fresh(FileId::Bank(i))).collect(),
            markers: fresh(FileId::Markers),
            arrangements: (0..ARRANGEMENTS)
                .map(|i| fresh(FileId::Arrangement(i)))
                .collect(),
            warnings: Vec::new(),
            partial: false,
        }
    }

    /// The project's name (its folder's name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the project lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The project folder on disk (`None` for a zip or an untitled project).
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::Folder(p) => Some(p),
            _ => None,
        }
    }

    /// The set's audio pool, when the project sits in a set.
    pub fn audio_pool(&self) -> Option<&AudioPool> {
        self.audio.as_ref()
    }

    /// True when opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Switches read-only mode (a partly read project stays read-only).
    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only || self.partial;
    }

    /// True when opened with [`Project::open_partial`]: some files were not read.
    pub fn is_partial(&self) -> bool {
        self.partial
    }

    /// What was found while opening (missing files, checksum mismatches), each naming its file.
    pub fn warnings(&self) -> &[OpenWarning] {
        &self.warnings
    }

    /// The path of one of the project's files (inside a zip: `archive.zip/dir/file`).
    pub fn file_path(&self, id: FileId, stored: bool) -> PathBuf {
        let name = id.file_name(stored);
        match &self.location {
            Location::Folder(p) => p.join(name),
            Location::Zip { archive, dir, .. } => archive.join(format!("{dir}{name}")),
            Location::Untitled => PathBuf::from(name),
        }
    }

    /// `project.work`.
    pub fn project_file(&self) -> &ProjectFile {
        self.project.work.get()
    }
    /// `project.work`, marking it changed.
    pub fn project_file_mut(&mut self) -> &mut ProjectFile {
        self.project.work.get_mut()
    }
    /// Bank `i` (0 = A); panics when `i >= 16`.
    pub fn bank(&self, i: usize) -> &Bank {
        self.banks[i].work.get()
    }
    /// Bank `i` (0 = A), marking it changed; panics when `i >= 16`.
    pub fn bank_mut(&mut self, i: usize) -> &mut Bank {
        self.banks[i].work.get_mut()
    }
    /// `markers.work`.
    pub fn markers(&self) -> &Markers {
        self.markers.work.get()
    }
    /// `markers.work`, marking it changed.
    pub fn markers_mut(&mut self) -> &mut Markers {
        self.markers.work.get_mut()
    }
    /// Arrangement `i` (0 = arr01); panics when `i >= 8`.
    pub fn arrangement(&self, i: usize) -> &Arrangement {
        self.arrangements[i].work.get()
    }
    /// Arrangement `i`, marking it changed; panics when `i >= 8`.
    pub fn arrangement_mut(&mut self, i: usize) -> &mut Arrangement {
        self.arrangements[i].work.get_mut()
    }
    /// `project.strd`, when present.
    pub fn stored_project_file(&self) -> Option<&ProjectFile> {
        self.project.strd.as_ref().map(FileSlot::get)
    }
    /// `bankNN.strd`, when present; panics when `i >= 16`.
    pub fn stored_bank(&self, i: usize) -> Option<&Bank> {
        self.banks[i].strd.as_ref().map(FileSlot::get)
    }
    /// `markers.strd`, when present.
    pub fn stored_markers(&self) -> Option<&Markers> {
        self.markers.strd.as_ref().map(FileSlot::get)
    }
    /// `arrNN.strd`, when present; panics when `i >= 8`.
    pub fn stored_arrangement(&self, i: usize) -> Option<&Arrangement> {
        self.arrangements[i].strd.as_ref().map(FileSlot::get)
    }

    /// True when the `.work` file was changed since it was read or saved.
    pub fn is_dirty(&self, id: FileId) -> bool {
        self.with_slot(id, false, |s| s.is_some_and(|s| s.is_dirty))
    }

    /// True when any file was changed.
    pub fn any_dirty(&self) -> bool {
        FileId::all().into_iter().any(|id| self.is_dirty(id))
    }

    /// The changed `.work` files.
    pub fn dirty_files(&self) -> Vec<FileId> {
        FileId::all()
            .into_iter()
            .filter(|&id| self.is_dirty(id))
            .collect()
    }

    /// Marks a `.work` file changed (for edits made without the `_mut` accessors).
    pub fn mark_dirty(&mut self, id: FileId) {
        match id {
            FileId::Project => self.project.work.mark_dirty(),
            FileId::Bank(i) => self.banks[i].work.mark_dirty(),
            FileId::Markers => self.markers.work.mark_dirty(),
            FileId::Arrangement(i) => self.arrangements[i].work.mark_dirty(),
        }
    }

    /// What was read for a file: `Some(fingerprint)` when it was on disk, `None` when absent
    /// (or, for `stored`, when there is no `.strd`).
    pub fn read_fingerprint(&self, id: FileId, stored: bool) -> Option<Fingerprint> {
        self.with_slot(id, stored, |s| s.and_then(|s| s.fingerprint))
    }

    /// The current bytes of a `.work` file (or its `.strd` when `stored`; `None` when there is none).
    pub fn file_bytes(&self, id: FileId, stored: bool) -> Option<Vec<u8>> {
        self.with_slot(id, stored, |s| s.map(|s| s.bytes()))
    }

    /// Reads a sample named by a slot's `PATH` (relative to the project folder), from disk or the zip.
    /// A path leading outside the project and `AUDIO` folders is refused, never read.
    pub fn read_sample(&self, slot_path: &str) -> Result<Vec<u8>> {
        let inside = super::contain::slot_file(self, "slot", slot_path)?;
        match &self.location {
            Location::Folder(p) => store::read(&inside.unwrap_or_else(|| p.join(slot_path))),
            Location::Zip {
                archive,
                dir,
                entries,
                ..
            } => {
                let shown = archive.join(format!("{dir}{slot_path}"));
                let rel =
                    source::join_rel(dir, slot_path).ok_or_else(|| ProjectError::NotAProject {
                        path: shown.clone(),
                        reason: "the path leaves the archive".into(),
                    })?;
                let e = entries
                    .iter()
                    .find(|e| e.name.eq_ignore_ascii_case(&rel))
                    .ok_or_else(|| {
                        ProjectError::io(shown.clone(), std::io::ErrorKind::NotFound.into())
                    })?;
                Ok(e.read(super::read::ANY)?.into_owned())
            }
            Location::Untitled => Err(ProjectError::Untitled),
        }
    }

    /// The file on disk a slot's `PATH` points at (joined to the project folder), when it,
    /// resolved (symbolic links followed), stays inside the project folder or the set's `AUDIO` folder; `None` for a zip or
    /// untitled project and for a path leading outside (see [`Project::sample_outside`]), which
    /// is then never read or looked at.
    pub fn sample_path(&self, slot_path: &str) -> Option<PathBuf> {
        // Checked resolved; returned as written (`P/../AUDIO/x.wav`), as messages show it.
        super::contain::slot_file(self, "slot", slot_path)
            .ok()
            .flatten()
            .and(self.path().map(|p| p.join(slot_path)))
    }

    /// True when a slot's `PATH` leads outside the folders the device can reach (the project
    /// folder and the set's `AUDIO` folder).
    pub fn sample_outside(&self, slot_path: &str) -> bool {
        !slot_path.is_empty() && super::contain::slot_file(self, "slot", slot_path).is_err()
    }

    /// True when a slot's `PATH` names an existing sample inside the project or `AUDIO`
    /// folder (a path leading outside is never looked at: false).
    pub fn sample_exists(&self, slot_path: &str) -> bool {
        if self.sample_outside(slot_path) {
            return false;
        }
        match &self.location {
            Location::Folder(_) => self.sample_path(slot_path).is_some_and(|f| f.is_file()),
            Location::Zip { dir, entries, .. } => source::join_rel(dir, slot_path)
                .is_some_and(|rel| entries.iter().any(|e| e.name.eq_ignore_ascii_case(&rel))),
            Location::Untitled => false,
        }
    }

    pub(super) fn with_slot<R>(
        &self,
        id: FileId,
        stored: bool,
        f: impl FnOnce(Option<SlotView>) -> R,
    ) -> R {
        fn view<T: OtFile>(p: &Pair<T>, stored: bool) -> Option<SlotView<'_>> {
            let s = if stored { p.strd.as_ref()? } else { &p.work };
            Some(SlotView {
                is_dirty: s.is_dirty(),
                fingerprint: match s.origin() {
                    super::files::Origin::Read(fp) => Some(fp),
                    super::files::Origin::Absent => None,
                },
                bytes: Box::new(move || s.get().to_bytes()),
            })
        }
        match id {
            FileId::Project => f(view(&self.project, stored)),
            // An index out of range names no file: nothing to look at, never a panic.
            FileId::Bank(i) => f(self.banks.get(i).and_then(|p| view(p, stored))),
            FileId::Markers => f(view(&self.markers, stored)),
            FileId::Arrangement(i) => f(self.arrangements.get(i).and_then(|p| view(p, stored))),
        }
    }
}

/// A type-erased look at one loaded file.
pub(super) struct SlotView<'a> {
    pub is_dirty: bool,
    pub fingerprint: Option<Fingerprint>,
    bytes: Box<dyn Fn() -> Vec<u8> + 'a>,
}

impl SlotView<'_> {
    pub fn bytes(&self) -> Vec<u8> {
        (self.bytes)()
    }
}
