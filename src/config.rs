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
    /// Bars of count-in before a live take in the tracker (default 1; 0: none).
    pub count_in_bars: Option<u8>,
    /// MIDI channel 1-16 of the count-in clicks (absent: the count-in is only shown).
    pub metronome_channel: Option<u8>,
    /// Send a MIDI track's linked librarian patch to its synth when the track is auditioned.
    pub send_linked_patch: Option<bool>,
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

/// Sets (`Some`) or removes (`None`) one top-level string setting in a config file, keeping
/// its other lines and comments (the tracker remembers chosen MIDI ports this way). The file
/// is created when missing; the result must still be a valid config, else nothing is written.
pub fn remember(path: &Path, key: &str, value: Option<&str>) -> Result<(), ConfigError> {
    let io = |source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io(e)),
    };
    let is_key = |l: &str| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='))
    };
    let first_table = text
        .lines()
        .position(|l| l.trim_start().starts_with('['))
        .unwrap_or(usize::MAX);
    let new_line = value.map(|v| format!("{key} = {}", toml::Value::String(v.to_string())));
    let mut lines: Vec<String> = Vec::new();
    let mut done = false;
    for (i, l) in text.lines().enumerate() {
        if i < first_table && is_key(l) {
            if let (Some(n), false) = (&new_line, done) {
                lines.push(n.clone());
            }
            done = true;
        } else {
            if i == first_table && !done {
                if let Some(n) = &new_line {
                    lines.push(n.clone());
                }
                done = true;
            }
            lines.push(l.to_string());
        }
    }
    if !done && let Some(n) = new_line {
        lines.push(n);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    toml::from_str::<Config>(&out).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let write = |e: crate::project::ProjectError| io(std::io::Error::other(e.to_string()));
    if let Some(dir) = path.parent() {
        crate::project::durable::create_dir_all(dir).map_err(write)?;
    }
    crate::project::durable::write_file(path, out.as_bytes()).map_err(write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remember_keeps_other_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join("config.toml");
        remember(&p, "midi_out", Some("file:/tmp/a b")).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "midi_out = \"file:/tmp/a b\"\n"
        );
        std::fs::write(&p, "# mine\ntheme = \"light\"\nmidi_out = \"x\"\n").unwrap();
        remember(&p, "midi_out", Some("Octatrack")).unwrap();
        remember(&p, "midi_in", Some("Keystep \"37\"")).unwrap();
        let c = Config::load_from(&p).unwrap();
        assert_eq!(c.midi_out.as_deref(), Some("Octatrack"));
        assert_eq!(c.midi_in.as_deref(), Some("Keystep \"37\""));
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert!(std::fs::read_to_string(&p).unwrap().starts_with("# mine\n"));
        remember(&p, "midi_in", None).unwrap();
        assert_eq!(Config::load_from(&p).unwrap().midi_in, None);
        // A key the config does not know is refused and the file is left alone.
        let before = std::fs::read_to_string(&p).unwrap();
        assert!(remember(&p, "bogus", Some("1")).is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), before);
    }

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
