//! clap value parsers for arguments whose text has a shape (bank letters, copy specs, slot
//! assignments, pattern numbers; addresses through [`crate::format::address`]): an invalid value is a usage error, so clap exits 2 as the
//! README promises, naming the argument and what was expected.

use crate::format::address::{BankId, PatternId, Selector};
use crate::format::slot_attrs::SlotRef;
use std::path::PathBuf;

/// A bank letter `A`..`P` (kept as typed).
pub fn bank(s: &str) -> Result<String, String> {
    bank_id(s).map(|_| s.to_string())
}

/// A bank letter `A`..`P`, case-insensitive.
pub fn bank_id(s: &str) -> Result<BankId, String> {
    s.parse()
        .map_err(|e: crate::format::address::AddressError| e.to_string())
}

/// `PROJECT:WHAT` of `octa copy`: a project path, then at its last colon an address (`A05`,
/// `A05.T3`, `A.P2.S5`, ...) or sample slots (`F1-F8`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySpec {
    /// The project (folder, set or zip).
    pub path: PathBuf,
    /// What in it.
    pub what: Selector,
}

/// Parses `PROJECT:WHAT` of `octa copy`.
pub fn copy_spec(s: &str) -> Result<CopySpec, String> {
    let (path, what) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("{s:?}: expected PROJECT:WHAT, e.g. ./MyProject:A05"))?;
    let what = what.parse().map_err(|e| format!("{s:?}: {e}"))?;
    Ok(CopySpec {
        path: PathBuf::from(path),
        what,
    })
}

/// `SLOT=FILE` of `octa slots --assign` (kept as typed; checked here).
pub fn slot_assign(s: &str) -> Result<String, String> {
    let (slot, _) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected SLOT=FILE, e.g. F12=Drums/kick.wav"))?;
    slot.parse::<SlotRef>().map_err(|e| format!("{s:?}: {e}"))?;
    Ok(s.to_string())
}

/// A pattern number 1..16.
pub fn pattern(s: &str) -> Result<usize, String> {
    pattern_id(s).map(PatternId::number)
}

/// A pattern number 1..16.
pub fn pattern_id(s: &str) -> Result<PatternId, String> {
    s.parse()
        .map_err(|e: crate::format::address::AddressError| e.to_string())
}

/// An arrangement number 1..8.
pub fn arrangement(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=8).contains(&n) => Ok(n),
        _ => Err(format!("expected an arrangement number 1..8, found {s:?}")),
    }
}

/// A librarian selection (`3`, `1,4-9`, `import:N`, `device:NAME`, `search:TEXT`; kept as typed).
pub fn selection(s: &str) -> Result<String, String> {
    crate::librarian::selection::Selection::parse(s)
        .map(|_| s.to_string())
        .map_err(|e| e.to_string())
}

/// A slice number 1..64 (slices of a `.ot` file are numbered from 1).
pub fn slice(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=64).contains(&n) => Ok(n),
        _ => Err(format!("expected a slice number 1..64, found {s:?}")),
    }
}

/// A preview volume 0.0..2.0 (1.0 = unity).
pub fn volume(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if (0.0..=2.0).contains(&v) => Ok(v),
        _ => Err(format!("expected a volume 0.0..2.0, found {s:?}")),
    }
}

/// A transposition in semitones, -64..63 (the device's PTCH range).
pub fn semitones(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (-64.0..=63.0).contains(&v) => Ok(v),
        _ => Err(format!("expected semitones -64..63 (PTCH), found {s:?}")),
    }
}

/// A tempo in BPM, 30..300 as the device allows.
pub fn tempo(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (30.0..=300.0).contains(&v) => Ok(v),
        _ => Err(format!("expected a tempo of 30..300 BPM, found {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(bank("p").unwrap(), "p");
        assert_eq!(bank("Q").unwrap_err(), "\"Q\": expected a bank letter A..P");
        assert_eq!(bank_id("c").unwrap().index(), 2);
        let spec = copy_spec("./My:Proj:A05.M2").unwrap();
        assert_eq!(spec.path, PathBuf::from("./My:Proj"));
        assert_eq!(spec.what.to_string(), "A05.M2");
        assert!(matches!(
            copy_spec("./P:F1-F8").unwrap().what,
            Selector::Slots(r) if r.bounds() == (1, 8)
        ));
        assert!(matches!(
            copy_spec("./P:F05").unwrap().what,
            Selector::Address(_)
        ));
        let e = copy_spec("./P:A17").unwrap_err();
        assert!(
            e.starts_with("\"./P:A17\": \"A17\": expected a pattern 01..16"),
            "{e}"
        );
        assert!(
            copy_spec("A05")
                .unwrap_err()
                .contains("expected PROJECT:WHAT")
        );
        assert!(slot_assign("F12=Drums/kick.wav").is_ok());
        assert!(
            slot_assign("F0=kick.wav")
                .unwrap_err()
                .starts_with("\"F0=kick.wav\": ")
        );
        assert!(slot_assign("F12").is_err());
        assert_eq!(pattern("16"), Ok(16));
        assert!(pattern("0").is_err() && pattern("17").is_err());
        assert_eq!(
            pattern("17").unwrap_err(),
            "\"17\": expected a pattern number 1..16"
        );
        assert_eq!(arrangement("8"), Ok(8));
        assert!(arrangement("9").is_err());
    }
}
