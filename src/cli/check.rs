//! `octa check` and `octa resave`: every Octatrack file under a path, parsed (and written back).

use crate::project::anyfile::AnyFile;
use crate::project::archive::{self, Entry};
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
        Content::Ot(kind, bytes) => Some(AnyFile::parse(*kind, bytes)),
        _ => None,
    });
    let parsed = items
        .iter()
        .zip(results)
        .map(|(item, result)| match (&item.content, result) {
            (Content::Ot(kind, _), Some(result)) => match result {
                Ok((file, ws)) => {
                    for w in &ws {
                        println!("{}: warning: {w}", item.display.display());
                    }
                    warnings += ws.len();
                    if verbose && ws.is_empty() {
                        println!("{}: ok ({})", item.display.display(), kind.describe());
                    }
                    Some(Parsed::Ok(file))
                }
                Err(e) => {
                    println!("{}: {e}", item.display.display());
                    errors += 1;
                    Some(Parsed::Failed)
                }
            },
            (Content::DirNamedLikeFile(kind), _) => {
                println!(
                    "{}: expected a {}, found a folder",
                    item.display.display(),
                    kind.describe()
                );
                errors += 1;
                Some(Parsed::Failed)
            }
            (Content::Unrecognized(bytes), _) => {
                println!(
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

/// Runs `octa check`.
pub fn check(args: &CheckArgs) -> ExitCode {
    let (mut files, mut errors, mut warnings) = (0, 0, 0);
    let mut queue: Vec<PathBuf> = args.paths.clone();
    let mut next = 0;
    while next < queue.len() {
        let path = queue[next].clone();
        next += 1;
        let items = match walk(&path) {
            Ok((_, items)) => items,
            Err(e) => {
                println!("{e}");
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
        for m in crate::project::durable::interrupted_saves(&path) {
            println!("{m}");
            errors += 1;
        }
        let found = parsed.iter().flatten().count();
        // a path given on the command line must hold something; a zip found inside may not
        let given = next <= args.paths.len();
        if found == 0 && !has_zips && given {
            println!("{}: no Octatrack files found", path.display());
            errors += 1;
        }
        files += found;
        errors += e;
        warnings += w;
    }
    println!("checked {files} files: {errors} errors, {warnings} warnings");
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
            eprintln!("octa resave: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_resave(args: &ResaveArgs) -> Result<ExitCode, ProjectError> {
    let (root, items) = walk(&args.src)?;
    let (parsed, errors, _) = parse_items(&items, false);
    if errors > 0 {
        eprintln!("octa resave: {errors} invalid files; nothing written");
        return Ok(ExitCode::FAILURE);
    }
    // Build the output entries: Octatrack files through the format module, others as-is.
    let mut out: Vec<Entry> = Vec::new();
    let (mut rewritten, mut identical, mut changed) = (0, 0, 0);
    for (item, parsed) in items.iter().zip(&parsed) {
        let data = match (&item.content, parsed) {
            (Content::Ot(_, original), Some(Parsed::Ok(file))) => {
                let bytes = file.to_bytes();
                rewritten += 1;
                if &bytes == original {
                    identical += 1;
                } else {
                    changed += 1;
                    println!(
                        "{}: written bytes differ from the input",
                        item.display.display()
                    );
                }
                bytes
            }
            (Content::Other(OtherSource::Bytes(b)), _) => b.clone(),
            (Content::Other(OtherSource::Path(p)), _) => store::read(p)?,
            (Content::Dir, _) => Vec::new(),
            _ => continue,
        };
        out.push(Entry {
            name: item.rel.clone(),
            data,
        });
    }
    write_output(root, &args.dst, &out, args.force)?;
    println!(
        "{rewritten} Octatrack files written ({identical} byte-identical, {changed} changed), {} other files copied",
        out.iter().filter(|e| !e.is_dir()).count() - rewritten
    );
    Ok(ExitCode::SUCCESS)
}

fn write_output(root: Root, dst: &Path, out: &[Entry], force: bool) -> Result<(), ProjectError> {
    let exists = dst.exists();
    if root == Root::File && !dst.is_dir() {
        if exists && !force {
            return Err(ProjectError::TargetExists {
                path: dst.to_path_buf(),
            });
        }
        let data = out.first().map(|e| e.data.as_slice()).unwrap_or_default();
        return store::write_atomic(dst, data);
    }
    if is_zip(dst) {
        if exists && !force {
            return Err(ProjectError::TargetExists {
                path: dst.to_path_buf(),
            });
        }
        let bytes = archive::write_zip(dst, out)?;
        return store::write_atomic(dst, &bytes);
    }
    if root == Root::File {
        // a single file into an existing folder
        let Some(e) = out.first() else { return Ok(()) };
        let target = dst.join(&e.name);
        if target.exists() && !force {
            return Err(ProjectError::TargetExists { path: target });
        }
        return store::write_atomic(&target, &e.data);
    }
    if !store::is_free_target(dst)? {
        return Err(ProjectError::TargetExists {
            path: dst.to_path_buf(),
        });
    }
    archive::extract(out, dst).map(|_| ())
}
