//! `octa check` and `octa resave`: every Octatrack file under a path, parsed (and written back).

use crate::project::anyfile::AnyFile;
use crate::project::archive::{self, Entry};
use crate::project::contain;
use crate::project::durable;
use crate::project::source::is_zip;
use crate::project::walk::{Content, Item, OtherSource, Root, walk};
use crate::project::{ProjectError, store};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `octa check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, folders (searched recursively) or zips to check.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Also print one line per valid file.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Arguments of `octa resave`.
#[derive(Debug, Args)]
pub struct ResaveArgs {
    /// A file, folder or zip to read.
    pub src: PathBuf,
    /// Where to write: a file (for a file), a new or empty folder, or a `.zip`.
    pub dst: PathBuf,
    /// Overwrite an existing destination file.
    #[arg(long)]
    pub force: bool,
}

/// Outcome of parsing one item.
enum Parsed {
    Ok(AnyFile),
    Failed,
}

/// Parses every Octatrack item, printing problems and warnings; returns the parsed files
/// (by item index), the number of errors and of warnings.
fn parse_items(items: &[Item], verbose: bool) -> (Vec<Option<Parsed>>, usize, usize) {
    let (mut errors, mut warnings) = (0, 0);
    // Parse on all cores first (a set holds hundreds of 636 KB banks), then report in order.
    let results = crate::project::par::map(items, |item| match &item.content {
        Content::Ot(kind, bytes) => Some(AnyFile::parse_shared(*kind, bytes)),
        _ => None,
    });
    let parsed = items
        .iter()
        .zip(results)
        .map(|(item, result)| match (&item.content, result) {
            (Content::Ot(kind, _), Some(result)) => match result {
                Ok((file, ws)) => {
                    for w in &ws {
                        crate::outln!("{}: warning: {w}", item.display.display());
                    }
                    warnings += ws.len();
                    let (e, w) = device_problems(&item.display, &file);
                    errors += e;
                    warnings += w;
                    if e > 0 {
                        return Some(Parsed::Failed);
                    }
                    if verbose && ws.is_empty() && w == 0 {
                        crate::outln!("{}: ok ({})", item.display.display(), kind.describe());
                    }
                    Some(Parsed::Ok(file))
                }
                Err(e) => {
                    crate::outln!("{}: {e}", item.display.display());
                    errors += 1;
                    Some(Parsed::Failed)
                }
            },
            (Content::DirNamedLikeFile(kind), _) => {
                crate::outln!(
                    "{}: expected a {}, found a folder",
                    item.display.display(),
                    kind.describe()
                );
                errors += 1;
                Some(Parsed::Failed)
            }
            (Content::Unreadable(e), _) => {
                crate::outln!("{e}");
                errors += 1;
                Some(Parsed::Failed)
            }
            (Content::Unrecognized(bytes), _) => {
                crate::outln!(
                    "{}: at byte 0: expected an Octatrack file (\"FORM\" header or project banner), found {}",
                    item.display.display(),
                    crate::format::common::show_bytes(bytes)
                );
                errors += 1;
                Some(Parsed::Failed)
            }
            _ => None,
        })
        .collect();
    (parsed, errors, warnings)
}

/// Reports the sample slots of every parsed project file whose `PATH` leads outside the project
/// folder and the set's `AUDIO` folder (the only places the device reaches); returns how many.
fn slot_path_problems(path: &Path, root: Root, items: &[Item], parsed: &[Option<Parsed>]) -> usize {
    let mut errors = 0;
    for (item, parsed) in items.iter().zip(parsed) {
        let Some(Parsed::Ok(AnyFile::Project(pf))) = parsed else {
            continue;
        };
        for slot in pf.slots() {
            if slot.path.is_empty() {
                continue;
            }
            let name = slot.slot.to_string();
            let result = match root {
                Root::Zip => {
                    let dir = match item.rel.rsplit_once('/') {
                        Some((d, _)) => format!("{d}/"),
                        None => String::new(),
                    };
                    contain::slot_entry_in(path, &dir, None, &name, &slot.path).map(|_| ())
                }
                Root::Dir | Root::File => {
                    let dir = match item.display.parent() {
                        Some(d) if !d.as_os_str().is_empty() => d,
                        _ => Path::new("."),
                    };
                    contain::slot_path_in(dir, None, &name, &slot.path).map(|_| ())
                }
            };
            if let Err(e) = result {
                crate::outln!("{}: {e}", item.display.display());
                errors += 1;
            }
        }
    }
    errors
}

/// Prints what the device would choke on in a project file (see
/// [`ProjectFile::device_problems`](crate::format::project_file::ProjectFile::device_problems));
/// returns the number of errors and warnings.
fn device_problems(display: &Path, file: &AnyFile) -> (usize, usize) {
    use crate::format::project_file::Severity;
    let AnyFile::Project(pf) = file else {
        return (0, 0);
    };
    let (mut errors, mut warnings) = (0, 0);
    for p in pf.device_problems() {
        match p.severity {
            Severity::Error => {
                crate::outln!("{}: {p}", display.display());
                errors += 1;
            }
            Severity::Warning => {
                crate::outln!("{}: warning: {p}", display.display());
                warnings += 1;
            }
        }
    }
    (errors, warnings)
}

/// Runs `octa check`.
pub fn check(args: &CheckArgs) -> ExitCode {
    let (mut files, mut errors, mut warnings) = (0, 0, 0);
    let mut queue: Vec<PathBuf> = args.paths.clone();
    let mut next = 0;
    while next < queue.len() {
        let path = queue[next].clone();
        next += 1;
        let (root, items) = match walk(&path) {
            Ok(found) => found,
            Err(e) => {
                crate::outln!("{e}");
                errors += 1;
                continue;
            }
        };
        // zips found inside folders are checked too
        let before = queue.len();
        queue.extend(items.iter().filter_map(|i| match &i.content {
            Content::Other(OtherSource::Path(p)) if is_zip(p) && p != &path => Some(p.clone()),
            _ => None,
        }));
        let has_zips = queue.len() > before;
        let (parsed, e, w) = parse_items(&items, args.verbose);
        let e = e + slot_path_problems(&path, root, &items, &parsed);
        for m in crate::project::durable::interrupted_saves(&path) {
            crate::outln!("{m}");
            errors += 1;
        }
        let found = parsed.iter().flatten().count();
        // a path given on the command line must hold something; a zip found inside may not
        let given = next <= args.paths.len();
        if found == 0 && !has_zips && given {
            crate::outln!("{}: no Octatrack files found", path.display());
            errors += 1;
        }
        files += found;
        errors += e;
        warnings += w;
    }
    crate::outln!("checked {files} files: {errors} errors, {warnings} warnings");
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs `octa resave`.
pub fn resave(args: &ResaveArgs) -> ExitCode {
    match run_resave(args) {
        Ok(code) => code,
        Err(e) => {
            crate::errln!("octa resave: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One file or folder of a resave's output.
struct Out<'a> {
    /// Relative path as the OS has it.
    path: &'a Path,
    /// Folder (no data).
    dir: bool,
    /// What to write.
    data: OutData<'a>,
}

enum OutData<'a> {
    Bytes(Vec<u8>),
    /// Read when written (samples are not held in memory for a folder output).
    Source(&'a OtherSource),
}

impl Out<'_> {
    fn bytes(&self) -> Result<Vec<u8>, ProjectError> {
        match &self.data {
            OutData::Bytes(b) => Ok(b.clone()),
            OutData::Source(s) => s.read(),
        }
    }
}

fn run_resave(args: &ResaveArgs) -> Result<ExitCode, ProjectError> {
    let (root, items) = walk(&args.src)?;
    let (parsed, errors, _) = parse_items(&items, false);
    if errors > 0 {
        crate::errln!("octa resave: {errors} invalid files; nothing written");
        return Ok(ExitCode::FAILURE);
    }
    // Build the output: Octatrack files through the format module, others as-is.
    let mut out: Vec<Out> = Vec::new();
    let (mut rewritten, mut identical, mut changed) = (0, 0, 0);
    for (item, parsed) in items.iter().zip(&parsed) {
        let data = match (&item.content, parsed) {
            (Content::Ot(_, original), Some(Parsed::Ok(file))) => {
                let bytes = file.to_bytes();
                rewritten += 1;
                if bytes == **original {
                    identical += 1;
                } else {
                    changed += 1;
                    crate::outln!(
                        "{}: written bytes differ from the input",
                        item.display.display()
                    );
                }
                OutData::Bytes(bytes)
            }
            (Content::Other(src), _) => OutData::Source(src),
            (Content::Dir, _) => OutData::Bytes(Vec::new()),
            _ => continue,
        };
        out.push(Out {
            path: &item.path,
            dir: matches!(item.content, Content::Dir),
            data,
        });
    }
    write_output(root, &args.dst, &out, args.force)?;
    crate::outln!(
        "{rewritten} Octatrack files written ({identical} byte-identical, {changed} changed), {} other files copied",
        out.iter().filter(|e| !e.dir).count() - rewritten
    );
    Ok(ExitCode::SUCCESS)
}

fn write_output(root: Root, dst: &Path, out: &[Out], force: bool) -> Result<(), ProjectError> {
    let exists = dst.exists();
    if root == Root::File && !dst.is_dir() {
        if exists && !force {
            return Err(ProjectError::TargetExists {
                path: dst.to_path_buf(),
            });
        }
        let data = match out.first() {
            Some(o) => o.bytes()?,
            None => Vec::new(),
        };
        return store::write_atomic(dst, &data);
    }
    if is_zip(dst) {
        if exists && !force {
            return Err(ProjectError::TargetExists {
                path: dst.to_path_buf(),
            });
        }
        // Zip entry names are text: a name that is not UTF-8 cannot be stored as it is.
        let mut entries = Vec::with_capacity(out.len());
        for o in out {
            let name = o.path.to_str().ok_or_else(|| ProjectError::NotAProject {
                path: o.path.to_path_buf(),
                reason: format!(
                    "the name {:?} is not UTF-8 and cannot be stored in a zip as it is; nothing written",
                    o.path.to_string_lossy()
                ),
            })?;
            let name = name.replace('\\', "/");
            entries.push(match &o.data {
                // an entry of a zip goes into the new zip as stored, never inflated
                OutData::Source(OtherSource::Zip(index, info)) if !o.dir => index.lazy_entry(info),
                _ => Entry::new(
                    if o.dir { format!("{name}/") } else { name },
                    if o.dir { Vec::new() } else { o.bytes()? },
                ),
            });
        }
        let bytes = archive::write_zip(dst, &entries)?;
        return store::write_atomic(dst, &bytes);
    }
    if root == Root::File {
        // a single file into an existing folder
        let Some(o) = out.first() else { return Ok(()) };
        let target = dst.join(o.path);
        if target.exists() && !force {
            return Err(ProjectError::TargetExists { path: target });
        }
        return store::write_atomic(&target, &o.bytes()?);
    }
    if !store::is_free_target(dst)? {
        return Err(ProjectError::TargetExists {
            path: dst.to_path_buf(),
        });
    }
    // Names as the OS has them: two names differing only in bytes that are not UTF-8 stay two files.
    // All or nothing: every file is staged (files on disk copied in chunks and verified, zip
    // entries read one at a time), then committed; a failure leaves no `dst`.
    let mut txn = durable::Txn::new(Some(dst));
    txn.create_dir_all(dst)?;
    for o in out {
        let target = dst.join(o.path);
        if o.dir {
            txn.create_dir_all(&target)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            txn.create_dir_all(parent)?;
        }
        let content = match &o.data {
            OutData::Bytes(b) => durable::Content::Bytes(b.clone()),
            OutData::Source(OtherSource::Path(p)) => durable::Content::CopyOf(p.clone()),
            OutData::Source(src) => {
                let src = (*src).clone();
                durable::Content::Later(durable::Producer(std::rc::Rc::new(move || src.read())))
            }
        };
        txn.push(durable::Item::new_file(&target, content));
    }
    txn.commit()?;
    Ok(())
}
