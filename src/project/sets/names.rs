//! Project and set names as the device takes them, and as a card's FAT file system and the
//! computers reading it take folder names. Where each rule comes from (`docs/sets.md` says the
//! same, with what is unverified):
//!
//! - **At most 12 characters** ([`MAX_NAME`]): Octatrack Manager (davidferlay/octatrack-manager,
//!   `src-tauri/src/project_manager.rs` `MAX_NAME_LEN`, "hardware-imposed", and its user docs
//!   "Maximum 12 characters — same limit as on the device"). Unverified on a device here; the
//!   format notes (§1.1) and issue #19 said 32, citing the same project, whose code now says 12.
//! - **The device's character set** ([`on_device`]): printable ASCII (space to `~`) and the
//!   Latin-1 signs and letters U+00A1..U+00FF without the soft hyphen U+00AD: Octatrack
//!   Manager's `OT_CHARSET` ("transcribed from MKII hardware" screenshots; unverified here).
//! - **Not in a folder name** (`/ \ : * ? " < > |`), **no trailing space or dot**, **not a
//!   reserved device name** (`CON`, `PRN`, `AUX`, `NUL`, `COM1`-`COM9`, `LPT1`-`LPT9`): the
//!   FAT/Windows naming rules (Microsoft, "Naming Files, Paths, and Namespaces"), which a card
//!   read on a computer follows; Octatrack Manager refuses the same nine characters.
//! - **Not `AUDIO`, not starting with `.`**: octa's own (the set's pool; octa's trash and copy
//!   folders and the system's hidden files start with a dot).

/// The longest name the device takes, in characters (see the module docs: unverified).
pub const MAX_NAME: usize = 12;

/// Characters of the device's set that a FAT or exFAT card refuses in a folder name.
const FOLDER_REFUSED: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// Names Windows reserves for devices (with or without an extension), compared without case.
const DOS_DEVICES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Why a name is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Empty (or only spaces).
    #[error("a name is needed")]
    Empty,
    /// Longer than [`MAX_NAME`].
    #[error("{name:?}: {len} characters; the device takes at most {MAX_NAME}")]
    TooLong {
        /// The name.
        name: String,
        /// Its length in characters.
        len: usize,
    },
    /// A character outside the device's set.
    #[error(
        "{name:?}: character {ch:?} (U+{code:04X}) at position {pos} is not in the device's character set"
    )]
    NotOnDevice {
        /// The name.
        name: String,
        /// The character.
        ch: char,
        /// Its code point.
        code: u32,
        /// 1-based position.
        pos: usize,
    },
    /// A character the device has but a card's file system refuses in a folder name.
    #[error("{name:?}: character {ch:?} at position {pos} cannot be in a folder name on the card")]
    NotInFolderName {
        /// The name.
        name: String,
        /// The character.
        ch: char,
        /// 1-based position.
        pos: usize,
    },
    /// Ends in a space or a dot (FAT drops them, so the folder would get another name).
    #[error("{name:?}: ends in {ch:?}, which the card's file system drops from folder names")]
    BadEnd {
        /// The name.
        name: String,
        /// The last character.
        ch: char,
    },
    /// A name the set layout or the card's readers reserve (`AUDIO`, names starting with `.`,
    /// `CON`, `NUL`, `COM1`...).
    #[error("{name:?}: reserved in a set ({why})")]
    Reserved {
        /// The name.
        name: String,
        /// Why.
        why: &'static str,
    },
}

/// Whether the device's character set has `c`.
pub fn on_device(c: char) -> bool {
    match c {
        ' '..='~' => true,
        // Latin-1 signs and letters, without the no-break space and the soft hyphen.
        '\u{A1}'..='\u{FF}' => c != '\u{AD}',
        _ => false,
    }
}

/// Checks a project or set name against the device's rules; the error names the first
/// refused character.
pub fn check(name: &str) -> Result<(), NameError> {
    if name.trim().is_empty() {
        return Err(NameError::Empty);
    }
    let len = name.chars().count();
    if len > MAX_NAME {
        return Err(NameError::TooLong {
            name: name.into(),
            len,
        });
    }
    for (i, ch) in name.chars().enumerate() {
        if !on_device(ch) {
            return Err(NameError::NotOnDevice {
                name: name.into(),
                ch,
                code: ch as u32,
                pos: i + 1,
            });
        }
        if FOLDER_REFUSED.contains(&ch) {
            return Err(NameError::NotInFolderName {
                name: name.into(),
                ch,
                pos: i + 1,
            });
        }
    }
    if let Some(ch) = name.chars().last().filter(|c| *c == ' ' || *c == '.') {
        return Err(NameError::BadEnd {
            name: name.into(),
            ch,
        });
    }
    if name.starts_with('.') {
        return Err(NameError::Reserved {
            name: name.into(),
            why: "names starting with '.' are octa's and the system's",
        });
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if DOS_DEVICES.iter().any(|d| d.eq_ignore_ascii_case(stem)) {
        return Err(NameError::Reserved {
            name: name.into(),
            why: "a device name Windows reserves; the card could not be read there",
        });
    }
    if name.eq_ignore_ascii_case("AUDIO") {
        return Err(NameError::Reserved {
            name: name.into(),
            why: "AUDIO is the set's sample pool",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_device_names_with_or_without_extension() {
        for n in ["CON", "nul", "Com1", "LPT9", "aux.wav", "PRN .x"] {
            assert!(matches!(check(n), Err(NameError::Reserved { .. })), "{n}");
        }
        for n in ["CONSOLE", "COM10", "NULL", "LPT"] {
            assert_eq!(check(n), Ok(()), "{n}");
        }
    }
}
