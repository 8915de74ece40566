//! Reading dumps from `.syx` and `.mid` files, recognising their device, and writing `.syx`.

use super::adaptation::{Adaptation, Loaded, PatchKind, load_patches, make_patch};
use super::registry::Registry;
use super::smf::{self, SmfError};
use super::sysex::{self, SysexError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// A dump file that cannot be used.
#[derive(Debug, Error)]
pub enum FileError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A broken MIDI file.
    #[error("{path}: {source}")]
    Smf {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: SmfError,
    },
    /// No complete sysex message in the file.
    #[error("{path}: no complete sysex message found{}", first_problem(.problems))]
    NoSysex {
        /// The file.
        path: PathBuf,
        /// Broken messages found.
        problems: Vec<SysexError>,
    },
    /// Every message of the file is broken (bad checksum, wrong length): nothing imported.
    #[error("{path}: nothing imported from this {device} file: {}", .problems.join("; "))]
    AllBroken {
        /// The file.
        path: PathBuf,
        /// The device the messages are for.
        device: String,
        /// What is wrong with each message.
        problems: Vec<String>,
    },
    /// The named device is unknown.
    #[error("no adaptation named '{0}' (see `octa librarian devices`)")]
    UnknownDevice(String),
}

fn first_problem(p: &[SysexError]) -> String {
    p.first().map(|e| format!(" ({e})")).unwrap_or_default()
}

/// The sysex messages of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Messages {
    /// Complete messages, in file order.
    pub messages: Vec<Vec<u8>>,
    /// Stray bytes skipped between messages.
    pub stray: usize,
    /// Broken messages skipped.
    pub broken: Vec<SysexError>,
}

/// Splits raw file bytes (a `.syx` stream or a Standard MIDI File) into messages.
pub fn messages_from_bytes(data: &[u8]) -> Result<Messages, SmfError> {
    if smf::is_smf(data) {
        let raw = smf::sysex_from_smf(data)?;
        let mut out = Messages::default();
        for m in raw {
            let s = sysex::split(&m);
            out.stray += s.stray;
            out.broken.extend(s.errors);
            out.messages
                .extend(s.spans.iter().map(|sp| m[sp.start..sp.end].to_vec()));
        }
        return Ok(out);
    }
    let s = sysex::split(data);
    Ok(Messages {
        messages: s
            .spans
            .iter()
            .map(|sp| data[sp.start..sp.end].to_vec())
            .collect(),
        stray: s.stray,
        broken: s.errors,
    })
}

/// Reads a `.syx` or `.mid` file into messages; a file without any message is an error.
pub fn read_messages(path: &Path) -> Result<Messages, FileError> {
    let data = crate::project::read::read_limited(path, crate::project::read::SYSEX_FILE).map_err(
        |source| FileError::Io {
            path: path.to_path_buf(),
            source,
        },
    )?;
    let m = messages_from_bytes(&data).map_err(|source| FileError::Smf {
        path: path.to_path_buf(),
        source,
    })?;
    if m.messages.is_empty() {
        return Err(FileError::NoSysex {
            path: path.to_path_buf(),
            problems: m.broken,
        });
    }
    Ok(m)
}

/// The patches of a message list and the adaptation that read them.
pub struct Recognised {
    /// The adaptation (the raw device when nothing else claimed the messages).
    pub device: Arc<dyn Adaptation>,
    /// What it found.
    pub loaded: Loaded,
}

/// Reads patches with the named device, or the best-matching one; unknown dumps fall back
/// to the raw device (one patch per message).
pub fn recognise(
    registry: &Registry,
    messages: &[Vec<u8>],
    device: Option<&str>,
) -> Result<Recognised, FileError> {
    let chosen = match device {
        Some(name) => Some(
            registry
                .find(name)
                .ok_or_else(|| FileError::UnknownDevice(name.to_string()))?,
        ),
        // A dump whose checksum (or length) is wrong is claimed by no adaptation; the one
        // that explains why is the device it came from: its problems are reported and the
        // broken messages are refused, never stored as one raw patch.
        None => registry
            .recognise(messages)
            .or_else(|| registry.explains_broken(messages)),
    };
    let device = chosen.unwrap_or_else(|| registry.raw());
    let mut loaded = load_patches(device.as_ref(), messages);
    if loaded.patches.is_empty() && loaded.problems.is_empty() {
        return Ok(raw_patches(registry.raw(), messages));
    }
    if device.name() == registry.raw().name() {
        return Ok(raw_patches(device, messages));
    }
    loaded.unclaimed.sort_unstable();
    Ok(Recognised { device, loaded })
}

fn raw_patches(raw: Arc<dyn Adaptation>, messages: &[Vec<u8>]) -> Recognised {
    let patches = messages
        .iter()
        .enumerate()
        .map(|(i, m)| make_patch(raw.as_ref(), PatchKind::Raw, m.clone(), None, i))
        .collect();
    Recognised {
        device: raw,
        loaded: Loaded {
            patches,
            ..Loaded::default()
        },
    }
}

/// Writes messages (or whole patches) back to back as a `.syx` file, atomically through the
/// write path (a temp file in the target's folder, fsynced, renamed over the target): a
/// failure leaves no partial file and an existing file as it was.
pub fn write_syx<'a>(
    path: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> Result<usize, FileError> {
    let data: Vec<u8> = parts.into_iter().flatten().copied().collect();
    crate::project::durable::write_file(path, &data).map_err(|e| match e {
        crate::project::ProjectError::Io { path, source } => FileError::Io { path, source },
        other => FileError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(other.to_string()),
        },
    })?;
    Ok(data.len())
}
