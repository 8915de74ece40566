//! The user's config file (`config.toml` in the config dir) and the app's directories.
//!
//! `OCTA_CONFIG_DIR` and `OCTA_DATA_DIR` override the platform directories (tests use them).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Settings read from `config.toml`; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Theme name (a file in themes/ or the user's themes dir).
    pub theme: Option<String>,
    /// Keymap name (a file in keymaps/ or the user's keymaps dir).
    pub keymap: Option<String>,
    /// Audio output device name.
    pub audio_device: Option<String>,
    /// MIDI output port (name or index).
    pub midi_out: Option<String>,
    /// MIDI input port (name or index).
    pub midi_in: Option<String>,
    /// Rows the cursor advances after an entry.
    pub edit_step: Option<u8>,
    /// Play notes on the device while editing.
    pub audition: Option<bool>,
    /// Preview samples on every cursor move.
    pub auto_preview: Option<bool>,
    /// Backups kept after each save: the newest this many (default 20)...
    pub backup_keep_last: Option<usize>,
    /// ...and every backup younger than this many days (default 7).
    pub backup_keep_days: Option<u64>,
}

/// A config file that could not be read.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
}

/// The directory holding `config.toml`, user themes, keymaps and adaptations.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OCTA_CONFIG_DIR") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "octa").map(|d| d.config_dir().to_path_buf())
}

/// The directory holding the patch database and caches.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OCTA_DATA_DIR") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "octa").map(|d| d.data_dir().to_path_buf())
}

impl Config {
    /// The backup pruning rule (defaults where unset).
    pub fn backup_rule(&self) -> crate::project::backups::PruneRule {
        let d = crate::project::backups::PruneRule::default();
        crate::project::backups::PruneRule {
            keep_last: self.backup_keep_last.unwrap_or(d.keep_last),
            keep_days: self.backup_keep_days.unwrap_or(d.keep_days),
        }
    }

    /// Loads `config.toml` from the config dir; a missing file gives the defaults.
    pub fn load() -> Result<Self, ConfigError> {
        match config_dir() {
            Some(dir) => Self::load_from(&dir.join("config.toml")),
            None => Ok(Self::default()),
        }
    }

    /// Loads a specific file; a missing file gives the defaults.
    pub fn load_from(path: &Path) -> Result<Self, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(ConfigError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_bad_keys() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        let p = dir.path().join("config.toml");
        assert_eq!(Config::load_from(&p).ok(), Some(Config::default()));
        std::fs::write(&p, "theme = \"light\"\nedit_step = 2\n").ok();
        let c = Config::load_from(&p).ok();
        assert_eq!(
            c.as_ref().and_then(|c| c.theme.clone()),
            Some("light".into())
        );
        std::fs::write(&p, "theme = \"light\"\nbogus = 1\n").ok();
        let e = Config::load_from(&p).err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("config.toml") && e.contains("bogus")));
    }
}
