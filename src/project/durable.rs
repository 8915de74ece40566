//! The one write path: every byte octa writes into a project, set or sample folder goes through
//! this module (`.work`/`.strd` files, `.ot` files, sample copies, zips, backups).
//!
//! - File operations go through the [`Disk`] trait (the durability seam): [`RealDisk`] in use,
//!   [`Recorder`] in tests, which records every operation and injects failures (at the Nth
//!   operation, after N bytes, or a "crash" after which nothing more reaches the disk).
//! - A [`Txn`] writes several files all or nothing: every new file is staged first (a temp file
//!   in the target's folder, written and fsynced; samples and backups before project files),
//!   then the renames run in a fixed order recorded in a journal (`.octa-journal`) in the
//!   project folder. A failure before the commit removes the staged files; a crash during the
//!   commit is finished by [`recover`] the next time the project is opened.
//! - New files (samples, `.ot` files, backups) are renamed without replacing
//!   ([`Disk::rename_noreplace`]), so two processes never overwrite each other's file.
//! - [`ProjectLock`] (an `flock` on the project folder itself) serialises the check for changes
//!   on disk and the commit between octa processes.
//! - A symlinked target is written through to the file it points at, atomically, in that
//!   file's folder.

use super::error::{ProjectError, Result};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Name of the journal of a multi-file save, in the project folder.
pub const JOURNAL: &str = ".octa-journal";
/// What temp file names contain (`.NAME.octa-tmp-PID-N`).
pub const TMP_MARK: &str = ".octa-tmp-";
/// What the names of links keeping replaced files contain (`.NAME.octa-old-PID-N`).
pub const OLD_MARK: &str = ".octa-old-";

/// A file being written through a [`Disk`].
pub trait DiskFile {
    /// Writes all of `buf`.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()>;
    /// Flushes the file's content to the device (`fsync`).
    fn sync(&mut self) -> io::Result<()>;
}

/// The file operations of the write path (the durability seam).
pub trait Disk: Send + Sync {
    /// Creates a file that must not exist yet, for writing.
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn DiskFile>>;
    /// Renames `from` over `to` (replacing it).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Renames `from` to `to`, failing with `AlreadyExists` when `to` exists.
    fn rename_noreplace(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes a folder's entries to the device.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Makes `link` a second name of the file `path` (a hard link).
    fn link(&self, path: &Path, link: &Path) -> io::Result<()>;
    /// Removes a file.
    fn remove(&self, path: &Path) -> io::Result<()>;
    /// Removes an empty folder.
    fn remove_dir(&self, dir: &Path) -> io::Result<()>;
    /// Creates a folder that must not exist yet.
    fn create_dir(&self, dir: &Path) -> io::Result<()>;
    /// Creates a folder and its parents (fine when it exists).
    fn create_dir_all(&self, dir: &Path) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealDisk;

struct RealFile(File);

impl DiskFile for RealFile {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }
    fn sync(&mut self) -> io::Result<()> {
        self.0.sync_all()
    }
}

impl Disk for RealDisk {
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn DiskFile>> {
        let f = OpenOptions::new().write(true).create_new(true).open(path)?;
        Ok(Box::new(RealFile(f)))
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }
    fn rename_noreplace(&self, from: &Path, to: &Path) -> io::Result<()> {
        rename_noreplace(from, to)
    }
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        match File::open(dir) {
            // Some file systems refuse to sync a folder; the rename is still done.
            Ok(d) => match d.sync_all() {
                Err(e) if e.raw_os_error() == Some(22) => Ok(()),
                r => r,
            },
            Err(e) => Err(e),
        }
    }
    fn link(&self, path: &Path, link: &Path) -> io::Result<()> {
        fs::hard_link(path, link)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }
    fn remove_dir(&self, dir: &Path) -> io::Result<()> {
        fs::remove_dir(dir)
    }
    fn create_dir(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir(dir)
    }
    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)
    }
}

/// Renames without replacing: `renameat2(RENAME_NOREPLACE)` on Linux, else a hard link then
/// unlink (where the file system supports neither, an existence check then a rename).
#[allow(unsafe_code, reason = "renameat2(RENAME_NOREPLACE) has no std wrapper")]
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let cstr = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in a file name"))
        };
        let (a, b) = (cstr(from)?, cstr(to)?);
        // SAFETY: both are valid NUL-terminated strings living across the call.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP) => {}
            _ => return Err(e),
        }
    }
    match fs::hard_link(from, to) {
        Ok(()) => fs::remove_file(from),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            if fs::symlink_metadata(to).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the target exists",
                ));
            }
            fs::rename(from, to)
        }
    }
}

/// One operation seen by a [`Recorder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// A file created.
    Create(PathBuf),
    /// Bytes written to a file.
    Write(PathBuf, usize),
    /// A file flushed.
    SyncFile(PathBuf),
    /// A rename replacing the target.
    Rename(PathBuf, PathBuf),
    /// A rename that never replaces.
    RenameNoReplace(PathBuf, PathBuf),
    /// A folder flushed.
    SyncDir(PathBuf),
    /// A hard link made (file, link).
    Link(PathBuf, PathBuf),
    /// A file removed.
    Remove(PathBuf),
    /// A folder removed.
    RemoveDir(PathBuf),
    /// A folder created.
    CreateDir(PathBuf),
}

/// When a [`Recorder`] fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Never.
    None,
    /// The operation with this index (0-based) fails; the others succeed.
    Once(usize),
    /// The operation with this index and every later one fail, as after a power cut
    /// (nothing more reaches the disk, not even the clean-up).
    CrashAt(usize),
    /// Writes fail once this many bytes were written in total (the bytes up to it are written).
    AfterBytes(u64),
}

#[derive(Debug, Default)]
struct RecState {
    ops: Vec<Op>,
    bytes: u64,
    crashed: bool,
}

/// A [`Disk`] over the real file system that records every operation and injects a [`Fault`].
#[derive(Debug)]
pub struct Recorder {
    fault: Fault,
    state: Arc<Mutex<RecState>>,
}

impl Recorder {
    /// A recorder injecting `fault`.
    pub fn new(fault: Fault) -> Arc<Self> {
        Arc::new(Self {
            fault,
            state: Arc::default(),
        })
    }

    /// The operations so far (including the one that failed).
    pub fn ops(&self) -> Vec<Op> {
        self.lock().ops.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, RecState> {
        match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    fn injected() -> io::Error {
        io::Error::other("injected failure")
    }

    /// Records `op` and says whether it fails.
    fn step(&self, op: Op) -> io::Result<()> {
        let mut s = self.lock();
        let i = s.ops.len();
        s.ops.push(op);
        if s.crashed {
            return Err(Self::injected());
        }
        match self.fault {
            Fault::Once(n) if n == i => Err(Self::injected()),
            Fault::CrashAt(n) if i >= n => {
                s.crashed = true;
                Err(Self::injected())
            }
            _ => Ok(()),
        }
    }
}

struct RecFile {
    path: PathBuf,
    file: File,
    fault: Fault,
    state: Arc<Mutex<RecState>>,
    rec: Arc<Recorder>,
}

impl DiskFile for RecFile {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.rec.step(Op::Write(self.path.clone(), buf.len()))?;
        if let Fault::AfterBytes(limit) = self.fault {
            let mut s = match self.state.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            let room = limit.saturating_sub(s.bytes);
            if (buf.len() as u64) > room {
                let part = &buf[..room as usize];
                self.file.write_all(part)?;
                s.bytes += room;
                return Err(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "injected: no space left",
                ));
            }
            s.bytes += buf.len() as u64;
        }
        self.file.write_all(buf)
    }
    fn sync(&mut self) -> io::Result<()> {
        self.rec.step(Op::SyncFile(self.path.clone()))?;
        self.file.sync_all()
    }
}

/// A recorder used through `Arc<Recorder>` so its files can report back.
struct RecDisk(Arc<Recorder>);

impl Disk for RecDisk {
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn DiskFile>> {
        self.0.step(Op::Create(path.to_path_buf()))?;
        let file = OpenOptions::new().write(true).create_new(true).open(path)?;
        Ok(Box::new(RecFile {
            path: path.to_path_buf(),
            file,
            fault: self.0.fault,
            state: self.0.state.clone(),
            rec: self.0.clone(),
        }))
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.0
            .step(Op::Rename(from.to_path_buf(), to.to_path_buf()))?;
        fs::rename(from, to)
    }
    fn rename_noreplace(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.0
            .step(Op::RenameNoReplace(from.to_path_buf(), to.to_path_buf()))?;
        rename_noreplace(from, to)
    }
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        self.0.step(Op::SyncDir(dir.to_path_buf()))?;
        RealDisk.sync_dir(dir)
    }
    fn link(&self, path: &Path, link: &Path) -> io::Result<()> {
        self.0
            .step(Op::Link(path.to_path_buf(), link.to_path_buf()))?;
        fs::hard_link(path, link)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        self.0.step(Op::Remove(path.to_path_buf()))?;
        fs::remove_file(path)
    }
    fn remove_dir(&self, dir: &Path) -> io::Result<()> {
        self.0.step(Op::RemoveDir(dir.to_path_buf()))?;
        fs::remove_dir(dir)
    }
    fn create_dir(&self, dir: &Path) -> io::Result<()> {
        self.0.step(Op::CreateDir(dir.to_path_buf()))?;
        fs::create_dir(dir)
    }
    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        if dir.is_dir() {
            return Ok(());
        }
        self.0.step(Op::CreateDir(dir.to_path_buf()))?;
        fs::create_dir_all(dir)
    }
}

thread_local! {
    static DISK: RefCell<Option<Arc<dyn Disk>>> = const { RefCell::new(None) };
}

/// Runs `f` with every write of this thread going through `recorder` (for tests).
pub fn with_recorder<R>(recorder: &Arc<Recorder>, f: impl FnOnce() -> R) -> R {
    let disk: Arc<dyn Disk> = Arc::new(RecDisk(recorder.clone()));
    let prev = DISK.with(|d| d.borrow_mut().replace(disk));
    struct Restore(Option<Arc<dyn Disk>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            DISK.with(|d| *d.borrow_mut() = prev);
        }
    }
    let _restore = Restore(prev);
    f()
}

/// The disk writes go to on this thread.
fn disk() -> Arc<dyn Disk> {
    DISK.with(|d| d.borrow().clone())
        .unwrap_or_else(|| Arc::new(RealDisk))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where writing `path` really lands: a symlink is followed to the file it points at (which may
/// not exist yet), so the link stays a link.
pub fn write_target(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&p) {
                Ok(t) if t.is_absolute() => p = t,
                Ok(t) => p = parent_dir(&p).join(t),
                Err(_) => return p,
            },
            _ => return p,
        }
    }
    p
}

/// Temp and link names of this process's transactions in progress (any other name of this
/// process found by [`recover`] is left over from an aborted write).
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn active(names: &[PathBuf], on: bool) {
    let mut a = match ACTIVE.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if on {
        a.extend(names.iter().cloned());
    } else {
        a.retain(|n| !names.contains(n));
    }
}

fn is_active(path: &Path) -> bool {
    match ACTIVE.lock() {
        Ok(g) => g.iter().any(|n| n == path),
        Err(p) => p.into_inner().iter().any(|n| n == path),
    }
}

static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A fresh temp name beside `target`: `.NAME.octa-tmp-PID-N`.
fn temp_for(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    parent_dir(target).join(format!(".{name}{TMP_MARK}{}-{n}", std::process::id()))
}

/// A fresh name for the link keeping a replaced file: `.NAME.octa-old-PID-N`.
fn old_for(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    parent_dir(target).join(format!(".{name}{OLD_MARK}{}-{n}", std::process::id()))
}

/// What a staged file holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// These bytes.
    Bytes(Vec<u8>),
    /// A copy of this file, verified (size and SHA-256) after it is written.
    CopyOf(PathBuf),
    /// Bytes produced when the file is staged (zip entries: one in memory at a time).
    Later(Producer),
}

/// Produces a staged file's bytes on demand (see [`Content::Later`]).
#[derive(Clone)]
pub struct Producer(pub std::rc::Rc<dyn Fn() -> Result<Vec<u8>>>);

impl std::fmt::Debug for Producer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Producer")
    }
}

/// One file of a [`Txn`].
#[derive(Debug, Clone)]
pub struct Item {
    /// The final path (a symlink is written through, see [`write_target`]).
    pub target: PathBuf,
    /// What it will hold.
    pub content: Content,
    /// A new file: never replaces an existing one (samples, `.ot` files, backups).
    pub new_only: bool,
}

impl Item {
    /// Replaces `target` with `bytes`.
    pub fn replace(target: &Path, bytes: Vec<u8>) -> Self {
        Self {
            target: target.to_path_buf(),
            content: Content::Bytes(bytes),
            new_only: false,
        }
    }

    /// A new file at `target` (never replacing one) holding `content`.
    pub fn new_file(target: &Path, content: Content) -> Self {
        Self {
            target: target.to_path_buf(),
            content,
            new_only: true,
        }
    }

    /// A new file at `target` copied from `source`.
    pub fn copy_new(target: &Path, source: &Path) -> Self {
        Self {
            target: target.to_path_buf(),
            content: Content::CopyOf(source.to_path_buf()),
            new_only: true,
        }
    }
}

/// A staged file: its temp and its target.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    new_only: bool,
    /// A hard link to the file a replacing rename will replace, to put it back if the commit
    /// fails (`None` for new files, absent targets, or file systems without hard links).
    old: Option<PathBuf>,
}

/// Why a transaction step failed (converted to [`ProjectError::Io`] naming the file).
fn err(path: &Path, e: io::Error) -> ProjectError {
    ProjectError::io(path, e)
}

/// Called after each file of a [`Txn`] is staged (its target and size); returning false
/// cancels the transaction, which then removes everything it staged.
pub struct Progress(pub OnStaged);

/// The callback of a [`Progress`]: the staged file's target and size; false cancels.
pub type OnStaged = Box<dyn FnMut(&Path, u64) -> bool>;

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Several files written all or nothing (see the module docs). Commit order: the items' order,
/// which callers choose as backups, samples and `.ot` files, then project files.
#[derive(Debug)]
pub struct Txn {
    journal_dir: Option<PathBuf>,
    items: Vec<Item>,
    /// Folders created for the items (removed again on failure when empty).
    new_dirs: Vec<PathBuf>,
    /// Set once committed (else dropping it removes the folders it made).
    done: bool,
    /// Told of each staged file; may cancel.
    progress: Option<Progress>,
}

impl Drop for Txn {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let disk = disk();
        for d in self.new_dirs.iter().rev() {
            let _ = disk.remove_dir(d);
        }
    }
}

impl Txn {
    /// A transaction whose journal goes in `journal_dir` (the project folder); `None` for a
    /// single file, which needs no journal.
    pub fn new(journal_dir: Option<&Path>) -> Self {
        Self {
            journal_dir: journal_dir.map(Path::to_path_buf),
            items: Vec::new(),
            new_dirs: Vec::new(),
            done: false,
            progress: None,
        }
    }

    /// Calls `progress` after each file is staged; when it returns false the transaction is
    /// cancelled (everything staged removed, an `Interrupted` error returned).
    pub fn on_progress(&mut self, progress: Progress) {
        self.progress = Some(progress);
    }

    /// Adds a file (committed in the order added).
    pub fn push(&mut self, item: Item) {
        self.items.push(item);
    }

    /// Creates `dir` (which must not exist) as part of the transaction; removed on failure.
    pub fn create_dir(&mut self, dir: &Path) -> io::Result<()> {
        disk().create_dir(dir)?;
        self.new_dirs.push(dir.to_path_buf());
        Ok(())
    }

    /// Creates `dir` and missing parents; the ones created are removed on failure.
    pub fn create_dir_all(&mut self, dir: &Path) -> Result<()> {
        let mut missing = Vec::new();
        let mut d = dir.to_path_buf();
        while !d.as_os_str().is_empty() && fs::symlink_metadata(&d).is_err() {
            missing.push(d.clone());
            if !d.pop() {
                break;
            }
        }
        let disk = disk();
        for m in missing.into_iter().rev() {
            match disk.create_dir(&m) {
                Ok(()) => self.new_dirs.push(m),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(err(&m, e)),
            }
        }
        Ok(())
    }

    /// Puts the journal in `dir` (the project folder) unless one was chosen already.
    pub fn set_journal_dir(&mut self, dir: &Path) {
        if self.journal_dir.is_none() {
            self.journal_dir = Some(dir.to_path_buf());
        }
    }

    /// The new files (never replacing) this transaction will write.
    pub fn new_files(&self) -> Vec<PathBuf> {
        self.items
            .iter()
            .filter(|i| i.new_only)
            .map(|i| i.target.clone())
            .collect()
    }

    /// Whether nothing is to be written.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Stages every file, then commits them. On an error before the commit everything staged
    /// is removed and the targets are as they were. Returns the targets written.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        let disk = disk();
        let items = std::mem::take(&mut self.items);
        let staged: Vec<Staged> = items
            .iter()
            .map(|i| {
                let target = write_target(&i.target);
                Staged {
                    tmp: temp_for(&target),
                    old: (!i.new_only).then(|| old_for(&target)),
                    target,
                    new_only: i.new_only,
                }
            })
            .collect();
        let journal = if staged.len() > 1 || !self.new_dirs.is_empty() {
            self.journal_dir.clone()
        } else {
            None
        };
        let mut staged = staged;
        if journal.is_none() {
            // One file needs no way back: its rename is the commit.
            for s in &mut staged {
                s.old = None;
            }
        }
        let names: Vec<PathBuf> = staged
            .iter()
            .flat_map(|s| std::iter::once(s.tmp.clone()).chain(s.old.clone()))
            .collect();
        active(&names, true);
        let result = self.run(&*disk, &items, &staged, journal.as_deref());
        active(&names, false);
        // On success the folders are in use; on failure `run` already removed them.
        self.done = true;
        result?;
        Ok(staged.into_iter().map(|s| s.target).collect())
    }

    fn run(
        &mut self,
        disk: &dyn Disk,
        items: &[Item],
        staged: &[Staged],
        journal: Option<&Path>,
    ) -> Result<()> {
        // 1. The journal lists what is about to be staged, so a crash while staging is undone.
        if let Some(j) = journal
            && let Err(e) = write_journal(disk, j, "staging", staged, &self.new_dirs)
        {
            self.roll_back(disk, staged, 0, journal);
            return Err(e);
        }
        // 2. Stage: temp files written and fsynced; the files to be replaced kept by a link.
        let mut staged = staged.to_vec();
        for i in 0..staged.len() {
            if let Err(e) = stage(disk, &items[i], &staged[i]) {
                self.roll_back(disk, &staged, 0, journal);
                return Err(e);
            }
            if let Some(p) = &mut self.progress {
                let size = fs::metadata(&staged[i].tmp).map_or(0, |m| m.len());
                if !(p.0)(&staged[i].target, size) {
                    self.roll_back(disk, &staged, 0, journal);
                    return Err(err(
                        &staged[i].target,
                        io::Error::new(
                            io::ErrorKind::Interrupted,
                            "cancelled; everything staged was removed, nothing was changed",
                        ),
                    ));
                }
            }
            let Some(old) = staged[i].old.clone() else {
                continue;
            };
            match disk.link(&staged[i].target, &old) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => staged[i].old = None,
                // No hard links here (FAT): a failed commit is then finished on the next open.
                Err(e)
                    if e.kind() == io::ErrorKind::PermissionDenied
                        || e.raw_os_error() == Some(1)
                        || e.kind() == io::ErrorKind::Unsupported =>
                {
                    staged[i].old = None
                }
                Err(e) => {
                    staged[i].old = None;
                    self.roll_back(disk, &staged, 0, journal);
                    return Err(err(&staged[i].target, e));
                }
            }
        }
        let staged = &staged[..];
        // 3. Commit point: the journal says "commit"; from here a crash is finished on open.
        if let Some(j) = journal
            && let Err(e) = write_journal(disk, j, "commit", staged, &self.new_dirs)
        {
            self.roll_back(disk, staged, 0, journal);
            return Err(e);
        }
        for (i, s) in staged.iter().enumerate() {
            let r = if s.new_only {
                disk.rename_noreplace(&s.tmp, &s.target)
            } else {
                disk.rename(&s.tmp, &s.target)
            };
            if let Err(e) = r {
                // Undone while every file committed so far is new or kept by a link; else the
                // journal finishes the save on the next open.
                if staged[..i].iter().all(|s| s.new_only || s.old.is_some()) {
                    self.roll_back(disk, staged, i, journal);
                    if e.kind() == io::ErrorKind::AlreadyExists {
                        return Err(ProjectError::io(
                            &s.target,
                            io::Error::new(
                                io::ErrorKind::AlreadyExists,
                                "appeared since the copy was planned; not overwriting it, nothing was changed",
                            ),
                        ));
                    }
                }
                return Err(err(&s.target, e));
            }
        }
        let mut dirs: Vec<PathBuf> = staged.iter().map(|s| parent_dir(&s.target)).collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            disk.sync_dir(d).map_err(|e| err(d, e))?;
        }
        for s in staged {
            if let Some(old) = &s.old {
                disk.remove(old).map_err(|e| err(old, e))?;
            }
        }
        if let Some(j) = journal {
            let jp = j.join(JOURNAL);
            disk.remove(&jp).map_err(|e| err(&jp, e))?;
            disk.sync_dir(j).map_err(|e| err(j, e))?;
        }
        Ok(())
    }

    /// Undoes a transaction that failed: the first `committed` items were renamed into place
    /// (all of them new files) and are removed; every other temp is removed; the folders made
    /// for it are removed; then the journal.
    fn roll_back(
        &mut self,
        disk: &dyn Disk,
        staged: &[Staged],
        committed: usize,
        journal: Option<&Path>,
    ) {
        for (i, s) in staged.iter().enumerate() {
            match (&s.old, i < committed) {
                // A replaced file comes back under its name.
                (Some(old), true) => {
                    let _ = disk.rename(old, &s.target);
                }
                (None, true) => {
                    let _ = disk.remove(&s.target);
                }
                (old, false) => {
                    let _ = disk.remove(&s.tmp);
                    if let Some(old) = old {
                        let _ = disk.remove(old);
                    }
                }
            }
        }
        let mut dirs: Vec<PathBuf> = staged.iter().map(|s| parent_dir(&s.target)).collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            let _ = disk.sync_dir(d);
        }
        // The journal first: it may live in a folder made for this transaction.
        if let Some(j) = journal {
            let jp = j.join(JOURNAL);
            if disk.remove(&jp).is_ok() {
                let _ = disk.sync_dir(j);
            }
        }
        for d in self.new_dirs.iter().rev() {
            let _ = disk.remove_dir(d);
        }
    }
}

/// Writes a temp file and fsyncs it; a copy is verified against its source.
fn stage(disk: &dyn Disk, item: &Item, s: &Staged) -> Result<()> {
    let mut f = disk.create_new(&s.tmp).map_err(|e| err(&s.tmp, e))?;
    match &item.content {
        Content::Bytes(b) => f.write_all(b).map_err(|e| err(&s.target, e))?,
        Content::Later(p) => {
            let b = (p.0)()?;
            f.write_all(&b).map_err(|e| err(&s.target, e))?
        }
        Content::CopyOf(src) => {
            let mut r = File::open(src).map_err(|e| err(src, e))?;
            let mut buf = vec![0u8; 1 << 20];
            let mut hash = Sha256::new();
            let mut len = 0u64;
            loop {
                let n = r.read(&mut buf).map_err(|e| err(src, e))?;
                if n == 0 {
                    break;
                }
                hash.update(&buf[..n]);
                len += n as u64;
                f.write_all(&buf[..n]).map_err(|e| err(&s.target, e))?;
            }
            f.sync().map_err(|e| err(&s.target, e))?;
            drop(f);
            let (tlen, thash) = hash_file(&s.tmp)?;
            if tlen != len || thash != hash.finalize().as_slice() {
                return Err(err(
                    &s.target,
                    io::Error::other(format!(
                        "the copy of {} does not match it after writing ({tlen} of {len} bytes); not used",
                        src.display()
                    )),
                ));
            }
            return Ok(());
        }
    }
    f.sync().map_err(|e| err(&s.target, e))
}

/// Length and SHA-256 of a file, read in chunks.
pub fn hash_file(path: &Path) -> Result<(u64, Vec<u8>)> {
    let mut r = File::open(path).map_err(|e| err(path, e))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut hash = Sha256::new();
    let mut len = 0u64;
    loop {
        let n = r.read(&mut buf).map_err(|e| err(path, e))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        len += n as u64;
    }
    Ok((len, hash.finalize().to_vec()))
}

fn hex(p: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn unhex(s: &str) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

/// Writes the journal atomically (temp, fsync, rename, fsync folder).
fn write_journal(
    disk: &dyn Disk,
    dir: &Path,
    state: &str,
    staged: &[Staged],
    dirs: &[PathBuf],
) -> Result<()> {
    let mut text = format!("octa-journal 1\nstate {state}\n");
    for d in dirs {
        text.push_str(&format!("dir {}\n", hex(d)));
    }
    for s in staged {
        let mode = if s.new_only { "new" } else { "replace" };
        let old = s.old.as_deref().map_or("-".to_string(), hex);
        text.push_str(&format!(
            "file {mode} {} {} {old}\n",
            hex(&s.tmp),
            hex(&s.target)
        ));
    }
    let path = dir.join(JOURNAL);
    let tmp = temp_for(&path);
    active(std::slice::from_ref(&tmp), true);
    let r = (|| {
        let mut f = disk.create_new(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync()?;
        drop(f);
        disk.rename(&tmp, &path)?;
        disk.sync_dir(dir)
    })();
    active(std::slice::from_ref(&tmp), false);
    if let Err(e) = r {
        let _ = disk.remove(&tmp);
        return Err(err(&path, e));
    }
    Ok(())
}

struct Journal {
    commit: bool,
    dirs: Vec<PathBuf>,
    files: Vec<Staged>,
}

fn parse_journal(text: &str) -> Option<Journal> {
    let mut lines = text.lines();
    if lines.next()? != "octa-journal 1" {
        return None;
    }
    let commit = match lines.next()? {
        "state commit" => true,
        "state staging" => false,
        _ => return None,
    };
    let mut j = Journal {
        commit,
        dirs: Vec::new(),
        files: Vec::new(),
    };
    for l in lines {
        let f: Vec<&str> = l.split(' ').collect();
        match f.as_slice() {
            ["dir", d] => j.dirs.push(unhex(d)?),
            ["file", mode, tmp, target, old] => j.files.push(Staged {
                tmp: unhex(tmp)?,
                target: unhex(target)?,
                old: match *old {
                    "-" => None,
                    o => Some(unhex(o)?),
                },
                new_only: match *mode {
                    "new" => true,
                    "replace" => false,
                    _ => return None,
                },
            }),
            _ => return None,
        }
    }
    Some(j)
}

/// What [`recover`] found and did, one line each (empty when the folder was clean).
pub type Recovered = Vec<String>;

/// Whether `dir` holds a journal left by an interrupted save.
pub fn interrupted(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(JOURNAL)).is_ok()
}

/// Finishes or rolls back a save interrupted in `dir` (a project folder) and removes temp
/// files left by dead octa processes. Writes nothing when there is nothing to do.
pub fn recover(dir: &Path) -> Result<Recovered> {
    let mut out = Vec::new();
    let leftovers = leftover_temps(dir);
    if !interrupted(dir) && leftovers.is_empty() {
        return Ok(out);
    }
    let _lock = ProjectLock::acquire(dir)?;
    let disk = disk();
    let jp = dir.join(JOURNAL);
    if let Some(bytes) = super::store::read_optional(&jp)? {
        let text = String::from_utf8_lossy(&bytes);
        let Some(j) = parse_journal(&text) else {
            return Err(err(
                &jp,
                io::Error::other("journal of an interrupted save is damaged; left in place"),
            ));
        };
        if j.commit {
            let mut kept = 0;
            for s in &j.files {
                if fs::symlink_metadata(&s.tmp).is_err() {
                    continue;
                }
                let r = if s.new_only {
                    disk.rename_noreplace(&s.tmp, &s.target)
                } else {
                    disk.rename(&s.tmp, &s.target)
                };
                match r {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        if same_content(&s.tmp, &s.target) {
                            disk.remove(&s.tmp).map_err(|e| err(&s.tmp, e))?;
                        } else {
                            kept += 1;
                            out.push(format!(
                                "{}: taken by another file; the interrupted save's copy is kept as {}",
                                s.target.display(),
                                s.tmp.display()
                            ));
                        }
                    }
                    Err(e) => return Err(err(&s.target, e)),
                }
            }
            let mut dirs: Vec<PathBuf> = j.files.iter().map(|s| parent_dir(&s.target)).collect();
            dirs.sort();
            dirs.dedup();
            for d in &dirs {
                disk.sync_dir(d).map_err(|e| err(d, e))?;
            }
            for s in &j.files {
                if let Some(old) = &s.old {
                    remove_if_there(&*disk, old)?;
                }
            }
            out.push(format!(
                "finished an interrupted save ({} files{})",
                j.files.len(),
                if kept > 0 { ", some kept aside" } else { "" }
            ));
        } else {
            for s in &j.files {
                remove_if_there(&*disk, &s.tmp)?;
                if let Some(old) = &s.old {
                    remove_if_there(&*disk, old)?;
                }
            }
            for d in j.dirs.iter().rev() {
                let _ = disk.remove_dir(d);
            }
            out.push(format!(
                "rolled back an interrupted save ({} staged files removed; the project is as it was)",
                j.files.len()
            ));
        }
        disk.remove(&jp).map_err(|e| err(&jp, e))?;
        disk.sync_dir(dir).map_err(|e| err(dir, e))?;
    }
    for t in leftover_temps(dir) {
        if disk.remove(&t).is_ok() {
            out.push(format!(
                "removed {} left by an interrupted write",
                t.display()
            ));
        }
    }
    Ok(out)
}

fn remove_if_there(disk: &dyn Disk, p: &Path) -> Result<()> {
    match disk.remove(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(err(p, e)),
    }
}

fn same_content(a: &Path, b: &Path) -> bool {
    matches!((hash_file(a), hash_file(b)), (Ok(x), Ok(y)) if x == y)
}

/// Temp files in `dir` left by octa processes that no longer run.
pub fn leftover_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Some((_, rest)) = name
            .split_once(TMP_MARK)
            .or_else(|| name.split_once(OLD_MARK))
        else {
            continue;
        };
        if !name.starts_with('.') {
            continue;
        }
        let pid: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let ours = pid == std::process::id();
        if (ours && !is_active(&e.path())) || (!ours && !process_alive(pid)) {
            out.push(e.path());
        }
    }
    out.sort();
    out
}

fn process_alive(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

/// An exclusive lock on a project folder between octa processes (`flock` on the folder),
/// released when dropped. Taking it again in the same process does not block.
#[derive(Debug)]
pub struct ProjectLock {
    key: Option<PathBuf>,
}

type Held = Vec<(PathBuf, File, usize)>;
static HELD: Mutex<Held> = Mutex::new(Vec::new());

fn held() -> std::sync::MutexGuard<'static, Held> {
    match HELD.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl ProjectLock {
    /// Waits for and takes the lock of project folder `dir`.
    #[allow(unsafe_code, reason = "flock has no std wrapper in this Rust version")]
    pub fn acquire(dir: &Path) -> Result<Self> {
        let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        {
            let mut h = held();
            if let Some(e) = h.iter_mut().find(|e| e.0 == key) {
                e.2 += 1;
                return Ok(Self { key: Some(key) });
            }
        }
        // The folder itself is locked: nothing is created in the project for it.
        let path = key.clone();
        let f = File::open(&path).map_err(|e| err(&path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            loop {
                // SAFETY: flock on a file descriptor we own.
                let r = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
                if r == 0 {
                    break;
                }
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(err(&path, e));
                }
            }
        }
        held().push((key.clone(), f, 1));
        Ok(Self { key: Some(key) })
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else {
            return;
        };
        let mut h = held();
        if let Some(i) = h.iter().position(|e| e.0 == key) {
            h[i].2 -= 1;
            if h[i].2 == 0 {
                // Closing the file releases the flock.
                h.remove(i);
            }
        }
    }
}

/// Writes one file atomically (temp in the target's folder, fsync, rename, fsync folder).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut t = Txn::new(None);
    t.push(Item::replace(path, bytes.to_vec()));
    t.commit().map(|_| ())
}

/// Writes one file atomically from `produce`, which streams into it (nothing is held in
/// memory): a temp file in the target's folder written through a buffer, fsynced, renamed over
/// the target, the folder fsynced. On any failure (the producer's or the disk's) the temp file
/// is removed and the target is as it was.
pub fn write_file_streaming(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let disk = disk();
    let target = write_target(path);
    let tmp = temp_for(&target);
    let names = [tmp.clone()];
    active(&names, true);
    let r = stream_into(&*disk, &target, &tmp, produce);
    active(&names, false);
    r
}

/// A [`DiskFile`] as an [`io::Write`] (under a `BufWriter`).
struct DiskWriter(Box<dyn DiskFile>);

impl Write for DiskWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write_all(buf)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn stream_into(
    disk: &dyn Disk,
    target: &Path,
    tmp: &Path,
    produce: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let f = disk.create_new(tmp).map_err(|e| err(tmp, e))?;
    let written = (|| {
        let mut w = io::BufWriter::with_capacity(1 << 16, DiskWriter(f));
        produce(&mut w)?;
        let mut f = w.into_inner().map_err(|e| err(target, e.into_error()))?.0;
        f.sync().map_err(|e| err(target, e))?;
        drop(f);
        disk.rename(tmp, target).map_err(|e| err(target, e))
    })();
    if let Err(e) = written {
        let _ = disk.remove(tmp);
        return Err(e);
    }
    let d = parent_dir(target);
    disk.sync_dir(&d).map_err(|e| err(&d, e))
}

/// Creates a folder and its parents through the write path.
pub fn create_dir_all(dir: &Path) -> Result<()> {
    disk().create_dir_all(dir).map_err(|e| err(dir, e))
}

/// Renames a file or folder without replacing anything at `to` (then flushes both folders):
/// project and set renames, moves into and out of a trash folder.
pub fn rename_noreplace_synced(from: &Path, to: &Path) -> Result<()> {
    let disk = disk();
    disk.rename_noreplace(from, to).map_err(|e| err(to, e))?;
    for d in [parent_dir(from), parent_dir(to)] {
        disk.sync_dir(&d).map_err(|e| err(&d, e))?;
    }
    Ok(())
}

/// Creates one folder (which must not exist) through the write path.
pub fn create_dir(dir: &Path) -> Result<()> {
    disk().create_dir(dir).map_err(|e| err(dir, e))
}

/// Removes a file through the write path (pruning backups).
pub fn remove_file(path: &Path) -> Result<()> {
    disk().remove(path).map_err(|e| err(path, e))
}

/// Removes an empty folder through the write path (pruning backups).
pub fn remove_dir(dir: &Path) -> Result<()> {
    disk().remove_dir(dir).map_err(|e| err(dir, e))
}

/// Removes everything inside `dir` through the write path, deepest first; links are removed,
/// never followed. With `and_dir`, `dir` itself goes too. For undoing what a failed command
/// itself created (a new project written before a script failed), never for user files.
pub fn remove_tree(dir: &Path, and_dir: bool) -> Result<()> {
    for e in fs::read_dir(dir).map_err(|e| err(dir, e))? {
        let path = e.map_err(|e| err(dir, e))?.path();
        let meta = fs::symlink_metadata(&path).map_err(|e| err(&path, e))?;
        if meta.is_dir() {
            remove_tree(&path, true)?;
        } else {
            remove_file(&path)?;
        }
    }
    if and_dir { remove_dir(dir) } else { Ok(()) }
}

/// Interrupted saves under `path` (the folder itself and the folders directly in it, as a set
/// holds its projects): one line each naming the journal. Reads only.
pub fn interrupted_saves(path: &Path) -> Vec<String> {
    let mut dirs = vec![path.to_path_buf()];
    if let Ok(rd) = fs::read_dir(path) {
        dirs.extend(
            rd.flatten()
                .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
                .map(|e| e.path()),
        );
    }
    dirs.iter()
        .filter(|d| interrupted(d))
        .map(|d| {
            format!(
                "{}: interrupted save (its journal is left); any octa command opening the project finishes or rolls it back",
                d.join(JOURNAL).display()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn rename_noreplace_never_replaces() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        fs::write(&a, b"mine").unwrap();
        fs::write(&b, b"theirs").unwrap();
        let e = rename_noreplace(&a, &b).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&a).unwrap(), b"mine");
        assert_eq!(fs::read(&b).unwrap(), b"theirs");
        fs::remove_file(&b).unwrap();
        rename_noreplace(&a, &b).unwrap();
        assert!(!a.exists());
        assert_eq!(fs::read(&b).unwrap(), b"mine");
    }

    #[test]
    fn journal_round_trips_non_utf8_names() {
        let name = std::ffi::OsStr::from_bytes(b"/set/AUDIO/kick\xff.wav");
        let s = Staged {
            tmp: PathBuf::from("/set/AUDIO/.kick.octa-tmp-1-2"),
            target: PathBuf::from(name),
            new_only: true,
            old: None,
        };
        let r = Staged {
            tmp: PathBuf::from("/p/.bank01.work.octa-tmp-1-3"),
            target: PathBuf::from("/p/bank01.work"),
            new_only: false,
            old: Some(PathBuf::from("/p/.bank01.work.octa-old-1-4")),
        };
        let d = tempfile::tempdir().unwrap();
        let dirs = vec![PathBuf::from("/set/AUDIO/x")];
        write_journal(
            &RealDisk,
            d.path(),
            "commit",
            &[s.clone(), r.clone()],
            &dirs,
        )
        .unwrap();
        let text = fs::read_to_string(d.path().join(JOURNAL)).unwrap();
        assert!(text.starts_with("octa-journal 1\nstate commit\n"), "{text}");
        let j = parse_journal(&text).unwrap();
        assert!(j.commit);
        assert_eq!(j.files, [s, r]);
        assert_eq!(j.dirs, dirs);
        assert!(parse_journal("octa-journal 1\nstate commit\nfile new zz 00 -\n").is_none());
        assert!(parse_journal("octa-journal 2\nstate commit\n").is_none());
        assert!(parse_journal("octa-journal 1\nstate maybe\n").is_none());
    }

    #[test]
    fn a_symlink_is_followed_to_its_target() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("sub").join("real.work");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink("sub/real.work", d.path().join("link.work")).unwrap();
        std::os::unix::fs::symlink("link.work", d.path().join("link2.work")).unwrap();
        assert_eq!(
            write_target(&d.path().join("link2.work")),
            d.path().join("sub/real.work")
        );
        assert_eq!(write_target(&real), real);
    }
}
