//! The `.ot` sample settings file ("sidecar") the Octatrack keeps beside a sample: `foo.wav`
//! may have `foo.ot` next to it (slices, trim, loop, gain; format doc §7). Whatever moves a
//! sample file moves its sidecar with it, under the sample's new base name.

use std::path::{Path, PathBuf};

/// The extension of a sample settings file.
pub const EXT: &str = "ot";

/// The `.ot` file beside `sample` when there is one: `<stem>.ot` exactly, else the first entry
/// of the folder (in name order) whose name matches `<stem>.ot` ignoring case (the device's
/// card is FAT, where `KICK.OT` and `kick.ot` are the same file). The path has the case found
/// on disk.
pub fn find(sample: &Path) -> Option<PathBuf> {
    let stem = sample.file_stem()?.to_str()?;
    let exact = sample.with_extension(EXT);
    if exact.is_file() {
        return Some(exact);
    }
    let want = format!("{stem}.{EXT}");
    let dir = match sample.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut hits: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(&want))
        })
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    hits.sort();
    hits.into_iter().next()
}

/// Where the sidecar `found` goes when its sample is placed at `sample_dst`: the sample's
/// (possibly renamed) base name with the sidecar's extension as found (`kick-2.wav` and
/// `kick.OT` give `kick-2.OT`).
pub fn destination(sample_dst: &Path, found: &Path) -> PathBuf {
    let ext = found
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or(EXT)
        .to_string();
    sample_dst.with_extension(ext)
}

/// Writes a sample's `.ot` settings file through the project's write path: refused when the
/// project is read-only, refused when the file changed on disk since it was read (`expected`:
/// its fingerprint then, `None` when it was absent); the file it replaces is backed up to
/// `.octa-backup/` beside it. Returns the backup's path.
pub fn save(
    project: &super::Project,
    path: &Path,
    bytes: &[u8],
    expected: Option<super::Fingerprint>,
) -> super::Result<Option<std::path::PathBuf>> {
    if project.is_read_only() {
        return Err(super::ProjectError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    if super::store::fingerprint_on_disk(path)? != expected {
        return Err(super::ProjectError::ChangedOnDisk {
            path: path.to_path_buf(),
        });
    }
    let mut txn = super::durable::Txn::new(None);
    let kept = super::store::Backup::new().stage(&mut txn, path)?;
    txn.push(super::durable::Item::replace(path, bytes.to_vec()));
    txn.commit()?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_sidecar_in_the_case_on_disk() {
        let d = tempfile::tempdir().unwrap();
        let wav = d.path().join("Kick.wav");
        std::fs::write(&wav, b"RIFF").unwrap();
        assert_eq!(find(&wav), None);
        // A folder named like a sidecar is not one.
        std::fs::create_dir(d.path().join("Kick.ot")).unwrap();
        assert_eq!(find(&wav), None);
        std::fs::remove_dir(d.path().join("Kick.ot")).unwrap();
        std::fs::write(d.path().join("KICK.OT"), b"x").unwrap();
        assert_eq!(find(&wav), Some(d.path().join("KICK.OT")));
        // The exact name wins.
        std::fs::write(d.path().join("Kick.ot"), b"y").unwrap();
        assert_eq!(find(&wav), Some(d.path().join("Kick.ot")));
        // Another sample's sidecar is not this one's.
        assert_eq!(find(&d.path().join("Snare.wav")), None);
    }

    #[test]
    fn destination_keeps_the_found_extension() {
        assert_eq!(
            destination(Path::new("/a/kick-2.wav"), Path::new("/b/kick.OT")),
            PathBuf::from("/a/kick-2.OT")
        );
        assert_eq!(
            destination(Path::new("/a/x.y.aif"), Path::new("/b/x.y.ot")),
            PathBuf::from("/a/x.y.ot")
        );
    }
}
