//! Project and set names as the device takes them: at most 32 characters from the device's
//! character set (ASCII letters, digits, space and ASCII punctuation, and the Latin-1 letters
//! and signs), none of which a FAT card refuses in a folder name.

/// The longest name the device takes (format doc §1.1).
pub const MAX_NAME: usize = 32;

/// Characters of the device's set that a FAT or exFAT card refuses in a folder name.
const FOLDER_REFUSED: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

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
    /// A name the set layout reserves (`AUDIO`, names starting with `.`).
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
    fn device_rules() {
        assert_eq!(check("MY SONG 01"), Ok(()));
        assert_eq!(check("Ünïcødé-ß_(x)"), Ok(()));
        assert_eq!(check(&"A".repeat(32)), Ok(()));
        assert_eq!(
            check(&"A".repeat(33)),
            Err(NameError::TooLong {
                name: "A".repeat(33),
                len: 33
            })
        );
        let e = check("KICK€").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"KICK€\": character '€' (U+20AC) at position 5 is not in the device's character set"
        );
        assert!(matches!(
            check("A/B"),
            Err(NameError::NotInFolderName {
                ch: '/',
                pos: 2,
                ..
            })
        ));
        assert!(matches!(
            check("A\tB"),
            Err(NameError::NotOnDevice { ch: '\t', .. })
        ));
        assert!(matches!(
            check("SONG."),
            Err(NameError::BadEnd { ch: '.', .. })
        ));
        assert!(matches!(check("audio"), Err(NameError::Reserved { .. })));
        assert!(matches!(check(".trash"), Err(NameError::Reserved { .. })));
        assert_eq!(check("  "), Err(NameError::Empty));
        // 32 characters, not 32 bytes: Latin-1 letters take two bytes in UTF-8.
        assert_eq!(check(&"é".repeat(32)), Ok(()));
    }
}
