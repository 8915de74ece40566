#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Project and set names (issue #19): a table of names written here, each accepted or refused
//! with the reason, from the rules `docs/sets.md` sources (the device's 12 characters and
//! character set as Octatrack Manager transcribed them, FAT/Windows folder-name rules, octa's
//! reserved names). A refused character is named with its position in the message.

use octa::project::sets::manage::{self, SetError};
use octa::project::sets::names::{NameError, check};

/// What the table expects of a name.
#[derive(Debug)]
enum Want {
    Ok,
    Empty,
    TooLong(usize),
    NotOnDevice(char, usize),
    NotInFolder(char, usize),
    BadEnd(char),
    Reserved,
}

const TABLE: &[(&str, Want, &str)] = &[
    ("SONG", Want::Ok, "plain ASCII capitals"),
    ("my song 01", Want::Ok, "lower case, digits and space"),
    ("LIVE-SET_(2)", Want::Ok, "12 characters, ASCII punctuation"),
    (
        "ÅÄÖ ÜØ øåäö",
        Want::Ok,
        "Latin-1 letters (OTM's accented row)",
    ),
    (
        "ÿéß×÷¿¡©",
        Want::Ok,
        "Latin-1 signs and letters, x and / signs",
    ),
    (
        "éééééééééééé",
        Want::Ok,
        "12 characters that are 24 bytes in UTF-8",
    ),
    ("!#$%&'()+,-", Want::Ok, "ASCII punctuation the card takes"),
    ("@[]^_`{}~=;", Want::Ok, "more ASCII punctuation"),
    ("", Want::Empty, "nothing"),
    ("   ", Want::Empty, "only spaces"),
    ("THIRTEENCHARS", Want::TooLong(13), "one over 12"),
    (
        "A NAME OF THIRTY-TWO CHARACTERS!",
        Want::TooLong(32),
        "the old 32",
    ),
    ("KICK€", Want::NotOnDevice('€', 5), "euro sign: not Latin-1"),
    (
        "BASS\u{AD}LINE",
        Want::NotOnDevice('\u{AD}', 5),
        "soft hyphen",
    ),
    (
        "NO\u{A0}BREAK",
        Want::NotOnDevice('\u{A0}', 3),
        "no-break space",
    ),
    ("TAB\tX", Want::NotOnDevice('\t', 4), "a control character"),
    ("日本", Want::NotOnDevice('日', 1), "outside Latin-1"),
    ("Ωmega", Want::NotOnDevice('Ω', 1), "Greek"),
    ("A/B", Want::NotInFolder('/', 2), "the path separator"),
    ("A\\B", Want::NotInFolder('\\', 2), "the Windows separator"),
    ("10:30", Want::NotInFolder(':', 3), "FAT refuses a colon"),
    ("WHY?", Want::NotInFolder('?', 4), "FAT refuses ?"),
    (
        "\"Q\"",
        Want::NotInFolder('"', 1),
        "FAT refuses a double quote",
    ),
    ("A*B", Want::NotInFolder('*', 2), "FAT refuses *"),
    ("<IN>", Want::NotInFolder('<', 1), "FAT refuses <"),
    ("A|B", Want::NotInFolder('|', 2), "FAT refuses |"),
    ("SONG.", Want::BadEnd('.'), "FAT drops a trailing dot"),
    ("SONG ", Want::BadEnd(' '), "FAT drops a trailing space"),
    ("AUDIO", Want::Reserved, "the set's pool"),
    (
        "audio",
        Want::Reserved,
        "the pool, any case (FAT ignores case)",
    ),
    (".hidden", Want::Reserved, "octa's and the system's"),
    ("CON", Want::Reserved, "a Windows device name"),
    ("nul.txt", Want::Reserved, "a device name with an extension"),
    ("COM9", Want::Reserved, "a Windows device name"),
    ("COM10", Want::Ok, "not a device name"),
    ("CONSOLE", Want::Ok, "not a device name"),
];

#[test]
fn the_name_table() {
    for (name, want, why) in TABLE {
        let got = check(name);
        let ok = match (want, &got) {
            (Want::Ok, Ok(())) => true,
            (Want::Empty, Err(NameError::Empty)) => true,
            (Want::TooLong(n), Err(NameError::TooLong { len, .. })) => n == len,
            (Want::NotOnDevice(c, p), Err(NameError::NotOnDevice { ch, pos, .. })) => {
                c == ch && p == pos
            }
            (Want::NotInFolder(c, p), Err(NameError::NotInFolderName { ch, pos, .. })) => {
                c == ch && p == pos
            }
            (Want::BadEnd(c), Err(NameError::BadEnd { ch, .. })) => c == ch,
            (Want::Reserved, Err(NameError::Reserved { .. })) => true,
            _ => false,
        };
        assert!(ok, "{name:?} ({why}): want {want:?}, got {got:?}");
    }
}

#[test]
fn messages_name_the_refused_character_and_where() {
    assert_eq!(
        check("KICK€").unwrap_err().to_string(),
        "\"KICK€\": character '€' (U+20AC) at position 5 is not in the device's character set"
    );
    assert_eq!(
        check("10:30").unwrap_err().to_string(),
        "\"10:30\": character ':' at position 3 cannot be in a folder name on the card"
    );
    assert_eq!(
        check("THIRTEENCHARS").unwrap_err().to_string(),
        "\"THIRTEENCHARS\": 13 characters; the device takes at most 12"
    );
}

#[test]
fn every_operation_that_names_checks_first_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    manage::new_set(&set).unwrap();
    manage::new_project(&set.join("SONG")).unwrap();
    let before: Vec<_> = std::fs::read_dir(&set)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    for bad in ["THIRTEENCHARS", "A:B", "KICK€", "CON"] {
        assert!(matches!(
            manage::new_project(&set.join(bad)),
            Err(SetError::Name(_))
        ));
        assert!(matches!(
            manage::rename_project(&set.join("SONG"), bad),
            Err(SetError::Name(_))
        ));
        assert!(matches!(
            manage::copy_project(&set.join("SONG"), &set, Some(bad), None),
            Err(SetError::Name(_))
        ));
        assert!(matches!(
            manage::new_set(&tmp.path().join(bad)),
            Err(SetError::Name(_))
        ));
    }
    let after: Vec<_> = std::fs::read_dir(&set)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}
