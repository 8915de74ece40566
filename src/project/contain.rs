//! Paths read from files are untrusted: a slot's `PATH`, a zip entry, a JSON file name, a path in
//! a librarian import. Each is resolved (following symbolic links, as the OS would when the file
//! is opened or created) and must stay inside the root it belongs to; otherwise it is refused with
//! what named it and the path.
//!
//! A slot `PATH` belongs to the project folder or the set's `AUDIO` folder (the only places the
//! device reaches): [`slot_file`] is the one check, called by copy planning, `octa check` and
//! `octa slots --assign`.

use super::error::{ProjectError, Result};
use super::model::{AudioPool, Location, Project};
use std::path::{Component, Path, PathBuf};

/// Symbolic links followed in one resolution before giving up (as Linux's `ELOOP`).
const MAX_LINKS: usize = 40;

/// Resolves `rel` against the folder `base` as opening it would: `..` climbs, symbolic links
/// (also dangling ones) are followed, components that do not exist yet are taken as named.
/// An absolute `rel` starts at the root. `None` past [`MAX_LINKS`] links.
pub fn resolve(base: &Path, rel: &Path) -> Option<PathBuf> {
    let start = base
        .canonicalize()
        .unwrap_or_else(|_| lexical(&std::env::current_dir().unwrap_or_default().join(base)));
    let mut links = 0;
    walk(start, rel, &mut links)
}

fn walk(mut cur: PathBuf, rel: &Path, links: &mut usize) -> Option<PathBuf> {
    for c in rel.components() {
        match c {
            Component::Prefix(p) => cur = PathBuf::from(p.as_os_str()),
            Component::RootDir => cur.push(Component::RootDir.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(n) => {
                cur.push(n);
                if let Ok(target) = std::fs::read_link(&cur) {
                    *links += 1;
                    if *links > MAX_LINKS {
                        return None;
                    }
                    cur.pop();
                    cur = walk(cur, &target, links)?;
                }
            }
        }
    }
    Some(cur)
}

/// `a/b/../c` as `a/c`, without looking anything up.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// A root as it resolves (the folder itself when it exists, else its resolved parent joined
/// with its name).
fn resolved_root(root: &Path) -> PathBuf {
    match root.canonicalize() {
        Ok(r) => r,
        Err(_) => match (root.parent(), root.file_name()) {
            (Some(parent), Some(name)) => resolved_root(parent).join(name),
            _ => lexical(root),
        },
    }
}

/// Resolves `rel` against `base` and returns it when it lands inside one of `roots` (the root
/// itself excluded: a file is never the root folder).
pub fn inside(roots: &[PathBuf], base: &Path, rel: &Path) -> Option<PathBuf> {
    let target = resolve(base, rel)?;
    roots
        .iter()
        .map(|r| resolved_root(r))
        .any(|r| target.starts_with(&r) && target != r)
        .then_some(target)
}

/// The error for a path from a file that leads outside its root.
pub fn outside(
    what: impl Into<String>,
    path: impl Into<String>,
    roots: &[PathBuf],
) -> ProjectError {
    ProjectError::Outside {
        what: what.into(),
        path: path.into(),
        roots: roots
            .iter()
            .map(|r| r.display().to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// The folders a slot `PATH` of the project in `project_dir` may reach: the project folder and
/// the set's `AUDIO` folder beside it.
pub fn slot_roots(project_dir: &Path, audio: Option<&Path>) -> Vec<PathBuf> {
    let audio = audio.map(Path::to_path_buf).unwrap_or_else(|| {
        resolved_root(project_dir)
            .parent()
            .map(|p| p.join("AUDIO"))
            .unwrap_or_else(|| project_dir.join("../AUDIO"))
    });
    vec![project_dir.to_path_buf(), audio]
}

/// Checks a slot `PATH` of the project in `project_dir`: the file it names, resolved, inside the
/// project folder or the set's `AUDIO` folder; else [`ProjectError::Outside`] naming `slot` and
/// the path.
pub fn slot_path_in(
    project_dir: &Path,
    audio: Option<&Path>,
    slot: &str,
    path: &str,
) -> Result<PathBuf> {
    let roots = slot_roots(project_dir, audio);
    let rel = path.replace('\\', "/");
    inside(&roots, project_dir, Path::new(&rel))
        .ok_or_else(|| outside(format!("{slot} PATH"), path, &roots))
}

/// Checks a slot `PATH` of a zip project: the file it names must be in the project's folder or
/// in the set's `AUDIO` folder beside it (`audio`, else `AUDIO` beside the project's folder, which
/// for a project at the archive's root is outside the archive). Returns the entry name it stands
/// for (a path above the archive's root for a pool the archive does not hold).
pub fn slot_entry_in(
    archive: &Path,
    dir: &str,
    audio: Option<&str>,
    slot: &str,
    path: &str,
) -> Result<String> {
    // Two virtual levels above the archive's root, so that `../AUDIO` of a project at the root
    // has somewhere to be and climbing further is seen.
    const V: &str = "\u{1}/\u{2}/";
    let proj = format!("{V}{dir}");
    let audio_root = match audio {
        Some(a) => format!("{V}{}", a.trim_end_matches('/')),
        None => super::source::join_rel(&proj, "../AUDIO").unwrap_or_default(),
    };
    let roots = [proj.trim_end_matches('/').to_string(), audio_root];
    let shown = || {
        let show = |r: &str| match r.strip_prefix(V) {
            Some(inside) => archive.join(inside),
            None if r.len() + 1 == V.len() => archive.to_path_buf(),
            None => archive.join("..").join(r.trim_start_matches("\u{1}/")),
        };
        let r: Vec<PathBuf> = roots.iter().map(|r| show(r)).collect();
        outside(format!("{slot} PATH"), path, &r)
    };
    let rel = super::source::join_rel(&proj, path).ok_or_else(shown)?;
    let within = |root: &str| {
        rel.get(..root.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(root))
            && rel.as_bytes().get(root.len()) == Some(&b'/')
    };
    if roots.iter().any(|r| within(r)) {
        Ok(rel.strip_prefix(V).map(str::to_string).unwrap_or(rel))
    } else {
        Err(shown())
    }
}

/// Checks a slot `PATH` of a project (see [`slot_path_in`] and [`slot_entry_in`]). Returns the
/// file on disk for a folder project, `None` for a zip or untitled project.
pub fn slot_file(p: &Project, slot: &str, path: &str) -> Result<Option<PathBuf>> {
    match p.location() {
        Location::Folder(dir) => {
            let audio = match p.audio_pool() {
                Some(AudioPool::Folder(a)) => Some(a.as_path()),
                _ => None,
            };
            slot_path_in(dir, audio, slot, path).map(Some)
        }
        Location::Zip { archive, dir, .. } => {
            let audio = match p.audio_pool() {
                Some(AudioPool::Zip(a)) => Some(a.as_str()),
                _ => None,
            };
            slot_entry_in(archive, dir, audio, slot, path).map(|_| None)
        }
        Location::Untitled => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let set = d.path().join("SET");
        std::fs::create_dir_all(set.join("P")).unwrap();
        std::fs::create_dir_all(set.join("AUDIO/Drums")).unwrap();
        (d, set)
    }

    #[test]
    fn slot_paths_stay_in_the_project_or_audio() {
        let (_d, set) = set();
        let p = set.join("P");
        let canon = set.canonicalize().unwrap();
        assert_eq!(
            slot_path_in(&p, None, "Flex 1", "../AUDIO/Drums/kick.wav").unwrap(),
            canon.join("AUDIO/Drums/kick.wav")
        );
        assert_eq!(
            slot_path_in(&p, None, "Flex 2", "local.wav").unwrap(),
            canon.join("P/local.wav")
        );
        for bad in [
            "../AUDIO/../../.ssh/authorized_keys",
            "../OTHER/x.wav",
            "/etc/passwd",
            "..",
            "../AUDIO",
            "../AUDIO/..\\..\\x.wav",
        ] {
            let e = slot_path_in(&p, None, "Flex 3", bad)
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("Flex 3 PATH {bad:?}: ")), "{e}");
            assert!(
                e.contains(&canon.join("AUDIO").display().to_string()),
                "{e}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed() {
        let (d, set) = set();
        let p = set.join("P");
        let outside_dir = d.path().join("elsewhere");
        std::fs::create_dir_all(&outside_dir).unwrap();
        // a folder link inside AUDIO that points out of the set
        std::os::unix::fs::symlink(&outside_dir, set.join("AUDIO/escape")).unwrap();
        let e = slot_path_in(&p, None, "Static 4", "../AUDIO/escape/x.wav")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("Static 4 PATH \"../AUDIO/escape/x.wav\": "),
            "{e}"
        );
        // a dangling file link pointing out
        std::os::unix::fs::symlink("/tmp/octa-nowhere/x.wav", set.join("AUDIO/dangling.wav"))
            .unwrap();
        assert!(slot_path_in(&p, None, "Flex 5", "../AUDIO/dangling.wav").is_err());
        // a link inside that stays inside
        std::os::unix::fs::symlink("Drums", set.join("AUDIO/d")).unwrap();
        assert_eq!(
            slot_path_in(&p, None, "Flex 6", "../AUDIO/d/k.wav").unwrap(),
            set.canonicalize().unwrap().join("AUDIO/Drums/k.wav")
        );
        // a link loop ends
        std::os::unix::fs::symlink("loop", set.join("AUDIO/loop")).unwrap();
        assert!(slot_path_in(&p, None, "Flex 7", "../AUDIO/loop/x").is_err());
    }

    #[test]
    fn zip_slot_paths() {
        let z = Path::new("/x/set.zip");
        assert_eq!(
            slot_entry_in(z, "SET/P/", Some("SET/AUDIO"), "Flex 1", "../AUDIO/a.wav").unwrap(),
            "SET/AUDIO/a.wav"
        );
        assert_eq!(
            slot_entry_in(z, "SET/P/", Some("SET/AUDIO"), "Flex 1", "a.wav").unwrap(),
            "SET/P/a.wav"
        );
        let e = slot_entry_in(z, "SET/P/", Some("SET/AUDIO"), "Flex 2", "../Q/a.wav")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("Flex 2 PATH \"../Q/a.wav\": "), "{e}");
        assert!(slot_entry_in(z, "P/", None, "Flex 2", "../../a.wav").is_err());
        // a project at the archive's root: its pool is beside it, outside the archive
        assert!(slot_entry_in(z, "", None, "Flex 1", "../AUDIO/a.wav").is_ok());
        assert_eq!(
            slot_entry_in(z, "", None, "Flex 1", "a.wav").unwrap(),
            "a.wav"
        );
        let e = slot_entry_in(z, "", None, "Flex 3", "../AUDIO/../../x.wav")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "Flex 3 PATH \"../AUDIO/../../x.wav\": leads outside /x/set.zip or /x/set.zip/../AUDIO; refused"
        );
        assert!(slot_entry_in(z, "", None, "Flex 3", "../OTHER/x.wav").is_err());
    }
}
