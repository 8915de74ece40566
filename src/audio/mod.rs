//! Sample preview on the computer's sound card.
//!
//! - [`decode`]: sniffing, probing and streaming decoding (symphonia), file facts
//!   and [`decode::device_compatibility`].
//! - [`resample`]: streaming sample-rate conversion (rubato) and channel mapping.
//! - [`region`]: which frames of a file to play (whole, trim, loop, slice) and pitch.
//! - [`output`]: the realtime renderer read by the device callback, the cpal output
//!   and a software sink.
//! - [`live_rate`]: the local engine (44.1 kHz) converted in real time for an output at
//!   another rate.
//! - [`engine`]: the [`AudioEngine`] handle the UI owns: preview, stop, loop,
//!   volume, status and events; the decoder worker thread.
//! - [`peaks`]: waveform peaks (cached, computed in the background) and
//!   zero-crossing search.

pub mod chain;
pub mod decode;
pub mod engine;
pub mod live_rate;
pub mod output;
pub mod peaks;
pub mod quiet;
pub mod region;
pub mod resample;

pub use decode::{AudioFileInfo, AudioFormat, Incompatibility, device_compatibility, probe};
pub use engine::{
    AudioEngine, AudioEvent, AudioStatus, DeviceState, PreviewHandle, PreviewRequest,
};
pub use output::{LiveSource, OutputBackend, OutputInfo};
pub use region::{Region, RegionChoice};

use std::path::{Path, PathBuf};

/// Errors of the audio module; every one names the file or device concerned.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file is not an audio file octa previews.
    #[error("{path}: not an audio file ({reason})")]
    NotAudio {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file is damaged or not what its extension claims.
    #[error("{path}: cannot decode ({reason})")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The file uses a feature symphonia does not support.
    #[error("{path}: unsupported audio ({reason})")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// The feature.
        reason: String,
    },
    /// Reading the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The requested region does not fit the file.
    #[error("{path}: {reason}")]
    Region {
        /// The file.
        path: PathBuf,
        /// What is wrong with the region.
        reason: String,
    },
    /// No usable output device.
    #[error("audio unavailable: {0}")]
    Unavailable(String),
    /// The resampler could not be built or failed.
    #[error("resampler: {0}")]
    Resample(String),
}

impl AudioError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
