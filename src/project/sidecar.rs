//! The `.ot` sample settings file ("sidecar") the Octatrack keeps beside a sample: `foo.wav`
//! may have `foo.ot` next to it (slices, trim, loop, gain; format doc §7). Whatever moves a
//! sample file moves its sidecar with it, under the sample's new base name.
//!
//! Reading and writing `.ot` files belongs here (the audio layer gets parsed settings, never
//! a path): [`read`] / [`load`] with the bounded reader, [`save`] through the one write path
//! ([`super::durable::Txn`]), refused read-only or over a change made on disk.

use super::error::{ProjectError, Result};
use super::read::{self, Limit};
use super::store::Fingerprint;
use crate::format::file::Kind;
use crate::format::ot::SampleSettings;
use crate::format::{FormatError, Warning};
use std::path::{Path, PathBuf};

/// The extension of a sample settings file.
pub const EXT: &str = "ot";

/// A sample's `.ot` file as read from disk.
#[derive(Debug, Clone)]
pub struct Sidecar {
    /// The file, in the case it has on disk.
    pub path: PathBuf,
    /// Its settings (slices, trim, loop, gain, ...).
    pub settings: SampleSettings,
    /// Its bytes when read (to refuse overwriting a change made on disk since; see [`save`]).
    pub fingerprint: Fingerprint,
    /// Non-fatal findings (a wrong checksum).
    pub warnings: Vec<Warning>,
}

impl Sidecar {
    /// Parses the bytes of the `.ot` file at `path`; the error names the file and the place.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Self> {
        let format = |source: FormatError| ProjectError::Format {
            path: path.to_path_buf(),
            source,
        };
        let settings = SampleSettings::parse(bytes).map_err(format)?;
        let warnings = settings.warnings().to_vec();
        Ok(Self {
            path: path.to_path_buf(),
            settings,
            fingerprint: Fingerprint::of(bytes),
            warnings,
        })
    }
}

/// The `.ot` file of `sample`: the one on disk ([`find`], any case), else `<stem>.ot` (where a
/// new one is written).
pub fn path_for(sample: &Path) -> PathBuf {
    find(sample).unwrap_or_else(|| sample.with_extension(EXT))
}

/// Reads and parses the `.ot` file of `sample` ([`path_for`]); `None` when there is none.
/// Only a regular file of at most 832 bytes is read.
pub fn read(sample: &Path) -> Result<Option<Sidecar>> {
    let path = path_for(sample);
    match read::read_limited(&path, Limit::for_kind(Kind::SampleSettings)) {
        Ok(bytes) => Sidecar::parse(&path, &bytes).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ProjectError::Io { path, source }),
    }
}

/// [`read`], where a missing `.ot` file is an error naming the file expected.
pub fn load(sample: &Path) -> Result<Sidecar> {
    read(sample)?.ok_or_else(|| ProjectError::Io {
        path: path_for(sample),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "expected the sample's .ot sample settings file, found none",
        ),
    })
}

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
/// `.octa-backup/` beside it. Bytes that are not a valid `.ot` file are refused, naming the
/// place. The sidecar's folder is locked (as a project's is) while it is checked and written.
/// Returns the backup's path.
pub fn save(
    project: &super::Project,
    path: &Path,
    bytes: &[u8],
    expected: Option<Fingerprint>,
) -> Result<Option<PathBuf>> {
    if project.is_read_only() {
        return Err(ProjectError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    SampleSettings::parse(bytes).map_err(|source| ProjectError::Format {
        path: path.to_path_buf(),
        source,
    })?;
    // The check for changes and the write happen under the folder's lock, so another octa
    // process cannot write the same sidecar in between.
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let _lock = super::durable::ProjectLock::acquire(folder)?;
    if super::store::fingerprint_on_disk(path)? != expected {
        return Err(ProjectError::ChangedOnDisk {
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
    use crate::audio::{Region, RegionChoice};
    use crate::project::Project;
    use crate::project::durable::{self, Fault, Recorder, TMP_MARK};

    /// A copy of the corpus chain sample and its `.ot` file (the corpus is read-only).
    fn chain(ot_name: &str) -> Option<(tempfile::TempDir, PathBuf)> {
        let src = crate::testutil::corpus("ot/sample-settings/chain-16")?;
        let d = tempfile::tempdir().unwrap();
        std::fs::copy(src.join("valid-1.wav"), d.path().join("valid-1.wav")).unwrap();
        std::fs::copy(src.join("valid-1.ot"), d.path().join(ot_name)).unwrap();
        let wav = d.path().join("valid-1.wav");
        Some((d, wav))
    }

    #[test]
    fn reads_the_sidecar_found_as_the_device_would() {
        let Some((d, wav)) = chain("VALID-1.OT") else {
            return;
        };
        let ot = read(&wav).unwrap().unwrap();
        assert_eq!(ot.path, d.path().join("VALID-1.OT"));
        assert!(ot.warnings.is_empty());
        // valid-1.ot: 16 slices, slice 3 is frames 5358..8037.
        assert_eq!(ot.settings.slices().len(), 16);
        let r = Region::from_ot(&ot.settings, RegionChoice::Slice(3)).unwrap();
        assert_eq!(r, Region::frames(5358, 8037));
        assert_eq!(
            ot.fingerprint,
            Fingerprint::of(&std::fs::read(d.path().join("VALID-1.OT")).unwrap())
        );
    }

    #[test]
    fn a_missing_or_bad_sidecar_is_named() {
        let d = tempfile::tempdir().unwrap();
        let wav = d.path().join("Kick.wav");
        std::fs::write(&wav, b"RIFF").unwrap();
        assert!(read(&wav).unwrap().is_none());
        assert_eq!(path_for(&wav), d.path().join("Kick.ot"));
        let e = load(&wav).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}: expected the sample's .ot sample settings file, found none",
                d.path().join("Kick.ot").display()
            )
        );
        // Too short to be a .ot file: the error names the file and the size expected.
        std::fs::write(d.path().join("Kick.ot"), &settings(48)[..100]).unwrap();
        let e = read(&wav).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("{}: ", d.path().join("Kick.ot").display())),
            "{e}"
        );
        assert!(e.contains("832"), "{e}");
        // Larger than any .ot file can be: not read at all.
        std::fs::write(d.path().join("Kick.ot"), vec![0u8; 833]).unwrap();
        let e = read(&wav).unwrap_err().to_string();
        assert!(
            e.contains("Kick.ot") && e.contains("833 bytes; not read"),
            "{e}"
        );
    }

    /// Settings for a sample of 1000 frames at 44.1 kHz with gain `g`.
    fn settings(g: u16) -> Vec<u8> {
        let mut s = SampleSettings::for_sample(1000, 44_100);
        s.set_gain(g).unwrap();
        s.to_bytes()
    }

    #[test]
    fn save_writes_through_the_write_path_with_a_backup() {
        let d = tempfile::tempdir().unwrap();
        let ot = d.path().join("kick.ot");
        let (old, new) = (settings(48), settings(60));
        std::fs::write(&ot, &old).unwrap();
        let p = Project::new_blank("untitled");
        let kept = save(&p, &ot, &new, Some(Fingerprint::of(&old)))
            .unwrap()
            .unwrap();
        assert_eq!(std::fs::read(&ot).unwrap(), new);
        assert_eq!(std::fs::read(&kept).unwrap(), old);
        assert!(kept.starts_with(d.path().join(".octa-backup")), "{kept:?}");
        let back = load(&d.path().join("kick.wav")).unwrap();
        assert_eq!(back.settings.gain(), 60);
        // A new .ot file where there was none: nothing to back up.
        let fresh = d.path().join("snare.ot");
        assert_eq!(save(&p, &fresh, &old, None).unwrap(), None);
        assert_eq!(std::fs::read(&fresh).unwrap(), old);
    }

    #[test]
    fn save_refuses_read_only_and_a_change_on_disk() {
        let d = tempfile::tempdir().unwrap();
        let ot = d.path().join("kick.ot");
        let (old, new) = (settings(48), settings(60));
        std::fs::write(&ot, &old).unwrap();
        let mut p = Project::new_blank("untitled");
        p.set_read_only(true);
        let e = save(&p, &ot, &new, Some(Fingerprint::of(&old))).unwrap_err();
        assert!(matches!(e, ProjectError::ReadOnly { .. }), "{e}");
        assert!(
            e.to_string().contains("read-only; nothing was written"),
            "{e}"
        );
        p.set_read_only(false);
        // Another program changed the file since it was read.
        let e = save(&p, &ot, &new, Some(Fingerprint::of(&settings(1)))).unwrap_err();
        assert!(matches!(e, ProjectError::ChangedOnDisk { .. }), "{e}");
        // Bytes that are no .ot file are never written.
        let e = save(&p, &ot, &new[..831], Some(Fingerprint::of(&old))).unwrap_err();
        assert!(matches!(e, ProjectError::Format { .. }), "{e}");
        assert!(
            e.to_string().contains("kick.ot") && e.to_string().contains("832"),
            "{e}"
        );
        // It appeared on disk where octa read none.
        let e = save(&p, &ot, &new, None).unwrap_err();
        assert!(matches!(e, ProjectError::ChangedOnDisk { .. }), "{e}");
        assert_eq!(std::fs::read(&ot).unwrap(), old);
        let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_failure_at_any_step_of_a_save_leaves_the_old_file() {
        let (old, new) = (settings(48), settings(60));
        let p = Project::new_blank("untitled");
        // Each run in a fresh folder, so that every run makes the same operations.
        let run = |fault: Fault| {
            let d = tempfile::tempdir().unwrap();
            let ot = d.path().join("kick.ot");
            std::fs::write(&ot, &old).unwrap();
            let rec = Recorder::new(fault);
            let r =
                durable::with_recorder(&rec, || save(&p, &ot, &new, Some(Fingerprint::of(&old))));
            (d, ot, r, rec.ops())
        };
        let (_d, ot, r, ops) = run(Fault::None);
        r.unwrap();
        assert_eq!(std::fs::read(&ot).unwrap(), new);
        // The rename over kick.ot is the commit point: backup and new file staged before it.
        let commit = ops
            .iter()
            .position(|op| matches!(op, durable::Op::Rename(_, to) if to == &ot))
            .unwrap();
        assert!(commit >= 6, "{ops:?}");
        for n in 0..ops.len() {
            let (d, ot, r, _) = run(Fault::Once(n));
            if n <= commit {
                let e = r
                    .expect_err("an injected failure fails the save")
                    .to_string();
                assert!(e.contains("injected"), "failure at {n}: {e}");
                assert_eq!(std::fs::read(&ot).unwrap(), old, "failure at {n}: {ops:?}");
            } else {
                // Only a folder flush after the commit failed: the new file is in place.
                assert_eq!(std::fs::read(&ot).unwrap(), new, "failure at {n}: {ops:?}");
            }
            let tmp: Vec<String> = std::fs::read_dir(d.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(TMP_MARK))
                .collect();
            assert!(tmp.is_empty(), "failure at {n}: {tmp:?}");
        }
    }

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
