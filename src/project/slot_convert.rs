//! Assigning a sample the device cannot play (FLAC, Ogg, MP3, a 48 kHz or float WAV): the file
//! is first converted into the set's `AUDIO` folder ([`super::convert`]: 44.1 kHz integer PCM
//! WAV, written atomically), then the slot is pointed at the converted file.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::audio::decode::{device_compatibility, probe};

use super::convert::{ConvertError, ConvertOptions, Outcome, convert_file};
use super::model::{AudioPool, Project};
use super::sample_file::is_assignable;
use super::slots::slot_path;

/// A file to assign that needs converting first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsConversion {
    /// The file as named (resolved against the project).
    pub source: PathBuf,
    /// Why the device does not play it.
    pub issues: Vec<String>,
    /// The folder the converted file goes into (in the set's `AUDIO` folder).
    pub to: PathBuf,
}

/// The set's `AUDIO` folder of a folder project.
fn audio_dir(p: &Project) -> Option<PathBuf> {
    match p.audio_pool() {
        Some(AudioPool::Folder(a)) => Some(a.clone()),
        Some(AudioPool::Zip(_)) => None,
        None => p.path()?.parent().map(|d| d.join("AUDIO")),
    }
}

/// Whether assigning `spec` (as `octa slots --assign` names files) needs a conversion first:
/// `None` when the device plays the file as it is, or when the file cannot be found or read
/// (then assigning it reports why).
pub fn needs_conversion(p: &Project, spec: &str) -> Option<NeedsConversion> {
    let path = slot_path(spec);
    let source = p.sample_path(&path).filter(|f| f.is_file())?;
    let info = probe(&source).ok()?;
    let mut issues: Vec<String> = device_compatibility(&info)
        .iter()
        .map(ToString::to_string)
        .collect();
    if !is_assignable(&path) {
        issues.insert(
            0,
            format!(
                "only WAV and AIFF files go into slots, not {}",
                info.format.name()
            ),
        );
    }
    if issues.is_empty() {
        return None;
    }
    let audio = audio_dir(p)?;
    // Beside the source when it is in the pool, else at the pool's top.
    let to = source
        .parent()
        .filter(|d| match (d.canonicalize(), audio.canonicalize()) {
            (Ok(d), Ok(a)) => d.starts_with(a),
            _ => false,
        })
        .map(Path::to_path_buf)
        .unwrap_or(audio);
    Some(NeedsConversion { source, issues, to })
}

/// Converts the file of `need` and returns the name to assign (`Drums/kick.wav`, relative to
/// the set's `AUDIO` folder). An existing file of that name is never replaced.
pub fn convert_for_slot(
    p: &Project,
    need: &NeedsConversion,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<String, ConvertError> {
    let opts = ConvertOptions {
        to: Some(need.to.clone()),
        force: true,
        ..ConvertOptions::default()
    };
    let out = super::convert::output_path(&need.source, &opts);
    if std::fs::symlink_metadata(&out).is_ok() {
        return Err(ConvertError::Exists { path: out });
    }
    let written = match convert_file(&need.source, &opts, cancel, progress)? {
        Outcome::Converted { to, .. } => to,
        Outcome::AlreadyPlays { path, .. } => path,
    };
    let audio = audio_dir(p).unwrap_or_default();
    let rel = match (written.canonicalize(), audio.canonicalize()) {
        (Ok(w), Ok(a)) => w.strip_prefix(a).map(Path::to_path_buf).ok(),
        _ => None,
    }
    .unwrap_or_else(|| written.file_name().map(PathBuf::from).unwrap_or_default());
    Ok(rel.to_string_lossy().replace('\\', "/"))
}
