//! Sample files (and their `.ot` files) that travel with a copy: where they go in the
//! destination set (never over a different file) and copying them through the write path.

use super::plan::CopyPlan;
use crate::format::slot_attrs::SlotRef;
use crate::project::durable::{Item, Txn};
use crate::project::model::{AudioPool, Project};
use crate::project::sidecar;
use crate::project::slots::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::payload::invalid;

/// A sample file, or a sample's `.ot` settings file, to copy into the destination set's AUDIO
/// folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCopy {
    /// The source file.
    pub from: PathBuf,
    /// Where it goes (never an existing different file).
    pub to: PathBuf,
}

impl FileCopy {
    /// Whether this is a sample's `.ot` settings file (else the sample).
    pub fn is_sidecar(&self) -> bool {
        self.to
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(sidecar::EXT))
    }
}

/// A path for people to read: `a/b/../c` shown as `a/c` (lexically; nothing is looked up).
pub(super) fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Where the destination's set pool is on disk (None for a zip or untitled project).
fn audio_dir(p: &Project) -> Option<PathBuf> {
    match p.audio_pool() {
        Some(AudioPool::Folder(d)) => Some(d.clone()),
        Some(AudioPool::Zip(_)) => None,
        None => p.path()?.parent().map(|d| d.join("AUDIO")),
    }
}

/// The path below the set's AUDIO folder a source slot path stands for.
fn pool_relative(src: &Project, path: &str) -> String {
    let norm = path.replace('\\', "/");
    let mut parts = norm.splitn(3, '/');
    if let (Some(".."), Some(a), Some(rest)) = (parts.next(), parts.next(), parts.next())
        && a.eq_ignore_ascii_case("AUDIO")
    {
        return rest.to_string();
    }
    format!("{}/{}", src.name(), norm.trim_start_matches("./"))
}

fn same_content(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.len() == mb.len() => {
            // bounded reads of regular files only (a FIFO of length 0 is not read)
            let read = |p: &Path| crate::project::read::read_limited(p, crate::project::read::ANY);
            matches!((read(a), read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// A name beside `rel` (`kick-2.wav`, `kick-3.wav`, ...).
pub(super) fn renamed(rel: &str, n: usize) -> String {
    let (dir, file) = rel.rsplit_once('/').map_or(("", rel), |(d, f)| (d, f));
    let (stem, ext) = file.rsplit_once('.').map_or((file, ""), |(s, e)| (s, e));
    let name = if ext.is_empty() {
        format!("{stem}-{n}")
    } else {
        format!("{stem}-{n}.{ext}")
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// Files already planned: destination -> source.
pub(in crate::project) type Taken = BTreeMap<PathBuf, PathBuf>;

/// Whether the destination may take `from` at `to`: `Some(true)` when `to` must be written,
/// `Some(false)` when it already holds the same bytes (or is planned from the same source),
/// `None` when it holds or is planned to hold something else.
fn free_for(from: &Path, to: &Path, taken: &Taken) -> Option<bool> {
    if let Some(prev) = taken.get(to) {
        return (prev == from || same_file(prev, from)).then_some(false);
    }
    if same_file(from, to) {
        return Some(false);
    }
    if to.exists() {
        return same_content(from, to).then_some(false);
    }
    Some(true)
}

/// The sidecar already beside a destination sample (any case: the device's card ignores it).
fn existing_sidecar(sample_dst: &Path, want: &Path) -> PathBuf {
    sidecar::find(sample_dst).unwrap_or_else(|| want.to_path_buf())
}

/// Works out the destination path of a source slot's file and the copies it needs: the sample
/// and its `.ot` settings file when it has one (see [`sidecar`]). A sample is renamed
/// (`kick-2.wav`, with `kick-2.ot`) rather than overwrite a different file or `.ot`.
pub(in crate::project) fn place_file(
    src: &Project,
    dst: &Project,
    path: &str,
    taken: &Taken,
    notes: &mut Vec<String>,
) -> (String, Vec<FileCopy>) {
    let rel = pool_relative(src, path);
    let Some(pool) = audio_dir(dst) else {
        notes.push(format!(
            "{path}: the destination has no AUDIO folder on disk; path kept, file not copied"
        ));
        return (path.to_string(), Vec::new());
    };
    let src_file = src.sample_path(path).filter(|f| f.is_file());
    let Some(src_file) = src_file else {
        notes.push(format!(
            "{path}: sample file not found; path kept, nothing copied"
        ));
        return (format!("../AUDIO/{rel}"), Vec::new());
    };
    let side = sidecar::find(&src_file);
    let mut why = None;
    for n in 1.. {
        let cand = if n == 1 {
            rel.clone()
        } else {
            renamed(&rel, n)
        };
        let target = pool.join(&cand);
        let slot_path = format!("../AUDIO/{cand}");
        let Some(write_sample) = free_for(&src_file, &target, taken) else {
            why.get_or_insert("exists with different content");
            continue;
        };
        let mut files = Vec::new();
        if let Some(side) = &side {
            let side_to = sidecar::destination(&target, side);
            let on_disk = existing_sidecar(&target, &side_to);
            match free_for(side, &on_disk, taken) {
                Some(true) => files.push(FileCopy {
                    from: side.clone(),
                    to: side_to,
                }),
                Some(false) => {}
                None if !write_sample => {
                    // The same sample is there with other settings: use it, keep its `.ot`.
                    notes.push(format!(
                        "{}: exists with other settings; kept, {} not copied",
                        on_disk.display(),
                        side.display()
                    ));
                }
                None => {
                    why.get_or_insert("has a different .ot beside it");
                    continue;
                }
            }
        }
        if write_sample {
            if n > 1 {
                notes.push(format!(
                    "AUDIO/{rel} {}: copied as AUDIO/{cand}",
                    why.unwrap_or("is taken")
                ));
            }
            files.insert(
                0,
                FileCopy {
                    from: src_file,
                    to: target,
                },
            );
        }
        return (slot_path, files);
    }
    unreachable!("the loop only ends by returning")
}

/// [`place_file`] for a source slot whose `PATH` (and the destination path and files it gets)
/// must stay inside the project or `AUDIO` folder they belong to ([`super::contain`]).
pub(super) fn contained_place(
    src: &Project,
    dst: &Project,
    slot: SlotRef,
    path: &str,
    taken: &Taken,
    out: &mut CopyPlan,
) -> Result<(String, Vec<FileCopy>)> {
    let what = |p: &Project| format!("{} {slot}", p.name());
    crate::project::contain::slot_file(src, &what(src), path)?;
    let (new_path, files) = place_file(src, dst, path, taken, &mut out.notes);
    crate::project::contain::slot_file(dst, &what(dst), &new_path)?;
    if let Some(pool) = audio_dir(dst) {
        let roots = [pool.clone()];
        for f in &files {
            if crate::project::contain::inside(&roots, &pool, &f.to).is_none() {
                return Err(crate::project::contain::outside(
                    format!("{} {slot} file", src.name()),
                    f.to.display().to_string(),
                    &roots,
                )
                .into());
            }
        }
    }
    Ok((new_path, files))
}

/// Whether two slot paths of the destination name the same file.
pub(super) fn same_path(dst: &Project, a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (dst.sample_path(a), dst.sample_path(b)) {
        (Some(x), Some(y)) => same_file(&x, &y),
        _ => false,
    }
}

/// Copies the plan's sample files and their `.ot` settings files (creating folders; never
/// overwriting a file), all or nothing: each is written to a temp name, fsynced, checked against
/// its source (size and hash) and renamed without replacing. Returns the files written.
pub fn copy_files(plan: &CopyPlan) -> Result<Vec<PathBuf>> {
    copy_files_into(plan, None)
}

/// [`copy_files`] with the journal in `project_dir` (the destination project's folder), so a
/// crash while copying is rolled back the next time the project is opened.
pub fn copy_files_into(plan: &CopyPlan, project_dir: Option<&Path>) -> Result<Vec<PathBuf>> {
    let txn = stage_files(plan, project_dir)?;
    Ok(txn.commit()?)
}

/// Adds the plan's sample files to a new transaction (journal in `journal_dir`), creating their
/// folders as part of it. A file already there with the same bytes is skipped; one with other
/// bytes is refused.
pub(in crate::project) fn stage_files(plan: &CopyPlan, journal_dir: Option<&Path>) -> Result<Txn> {
    let mut txn = Txn::new(journal_dir);
    for f in &plan.files {
        if f.to.exists() {
            if same_content(&f.from, &f.to) {
                continue;
            }
            return Err(invalid(format!(
                "{}: appeared since the copy was planned; not overwriting it",
                f.to.display()
            )));
        }
        if let Some(dir) = f.to.parent() {
            txn.create_dir_all(dir)?;
        }
        txn.push(Item::copy_new(&f.to, &f.from));
    }
    Ok(txn)
}
