//! What the start screen shows of a project without opening it: tempo, sample slots, missing
//! samples (from `project.work` alone, a bounded read), and on request the banks holding
//! patterns in use (each bank file read and parsed; nothing is written, no recovery runs).

use crate::format::Bank;
use crate::format::project_file::ProjectFile;
use crate::project::contain;
use crate::project::read::{self, Limit};
use std::path::Path;

/// A project's facts for a listing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Tempo in BPM (`None` when `project.work` does not say).
    pub tempo: Option<f64>,
    /// Slots with a sample path.
    pub slots: usize,
    /// Slots whose file is not there (paths leading outside count as missing).
    pub missing: usize,
    /// Banks (`0..16`) with at least one pattern holding trigs; `None` until asked for.
    pub banks: Option<Vec<usize>>,
    /// What could not be read.
    pub problem: Option<String>,
}

fn project_text(dir: &Path) -> Result<Vec<u8>, String> {
    let limit = Limit {
        max: read::PROJECT_FILE_MAX,
        what: "project file",
        exact: false,
    };
    let mut last = String::new();
    for name in ["project.work", "project.strd"] {
        match read::read_limited(&dir.join(name), limit) {
            Ok(b) => return Ok(b),
            Err(e) => last = format!("{}: {e}", dir.join(name).display()),
        }
    }
    Err(last)
}

/// Summarises the project in `dir` (see the module docs); `banks` also parses its banks.
pub fn summarize(dir: &Path, banks: bool) -> Summary {
    let mut s = Summary::default();
    let pf = match project_text(dir).and_then(|b| {
        ProjectFile::parse(&b).map_err(|e| format!("{}: {e}", dir.join("project.work").display()))
    }) {
        Ok(pf) => pf,
        Err(e) => {
            s.problem = Some(e);
            return s;
        }
    };
    s.tempo = pf.tempo_bpm();
    for slot in pf.slots() {
        if slot.path.is_empty() {
            continue;
        }
        s.slots += 1;
        let here = contain::slot_path_in(dir, None, &slot.slot.to_string(), &slot.path)
            .is_ok_and(|f| f.is_file());
        if !here {
            s.missing += 1;
        }
    }
    if banks {
        s.banks = Some(banks_in_use(dir));
    }
    s
}

/// Banks of the project in `dir` with a pattern holding trigs (a bank file missing or not
/// parsed counts as unused).
pub fn banks_in_use(dir: &Path) -> Vec<usize> {
    (0..16)
        .filter(|&b| {
            let name = format!("bank{:02}.work", b + 1);
            let Ok(bytes) = read::read_limited(
                &dir.join(&name),
                Limit::for_kind(crate::format::file::Kind::Bank),
            ) else {
                return false;
            };
            let Ok((bank, _)) = Bank::from_bytes(&bytes) else {
                return false;
            };
            (0..16).any(|i| bank.pattern(i).is_some_and(|pt| !pt.is_empty()))
        })
        .collect()
}
