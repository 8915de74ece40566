//! `octa diff`: two projects, two bank files, or a project's `.work` files against its `.strd`
//! files, compared as the device shows them: pattern by pattern, track by track, step by step
//! (trigs, locks by parameter name in device units, conditions, micro-timing), part parameters
//! by name, sample slots, project settings and arrangement rows.
//!
//! Each side is turned into a list of facts (a sort key, a label a person reads, a value);
//! the diff is the facts whose values differ or that only one side has.

use super::dump::{PatternDump, dump_pattern, recorder_cell};
use crate::edit::value::Unit;
use crate::format::address::{BankId, PatternId};
use crate::format::arrangement::Block;
use crate::format::bank::Bank;
use crate::format::params;
use crate::format::project_file::ProjectFile;
use crate::format::types::{MachineType, bank_letter};
use crate::project::{Arrangement, OpenOptions, Project};
use clap::Args;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `octa diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old side: a project folder, set or zip, or a bank file (`bankNN.work` / `.strd`).
    pub a: PathBuf,
    /// The new side (same kind as A). Absent with `--stored`.
    #[arg(required_unless_present = "stored")]
    pub b: Option<PathBuf>,
    /// Compare A's `.strd` files (old side) with its `.work` files (new side).
    #[arg(long, conflicts_with = "b")]
    pub stored: bool,
    /// Only this bank (A..P): its patterns and parts.
    #[arg(long, value_parser = super::args::bank_id)]
    pub bank: Option<BankId>,
    /// Only this pattern (1..16) of each bank compared.
    #[arg(long, value_parser = super::args::pattern_id)]
    pub pattern: Option<PatternId>,
    /// In a set or zip holding several projects: the project's folder name.
    #[arg(long)]
    pub project: Option<std::ffi::OsString>,
}

/// What is compared of the banks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Only this bank (0-based).
    pub bank: Option<usize>,
    /// Only this pattern (0-based).
    pub pattern: Option<usize>,
}

/// One side of a diff: facts by sort key, each with its label and value.
#[derive(Debug, Default)]
pub struct Facts(BTreeMap<String, (String, String)>);

impl Facts {
    fn add(&mut self, sort: String, label: String, value: impl Into<String>) {
        self.0.insert(sort, (label, value.into()));
    }

    /// The project file's settings (every section but the sample slots) and its slots.
    pub fn project(&mut self, pf: &ProjectFile) {
        if let Some(t) = pf.tempo_x24() {
            self.add(
                "0 000 tempo".into(),
                "project tempo".into(),
                format!(
                    "{} BPM",
                    crate::format::tempo::bpm_text(t.clamp(0, u32::MAX as i64) as u32)
                ),
            );
        }
        let mut section = String::new();
        let mut n = 0usize;
        for line in pf.lines() {
            let line = line.trim();
            if let Some(name) = line.strip_prefix("[/") {
                let _ = name;
                section.clear();
            } else if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.to_string();
            } else if let Some((k, v)) = line.split_once('=')
                && !section.is_empty()
                && section != "SAMPLE"
            {
                n += 1;
                self.add(
                    format!("0 {section} {n:04}"),
                    format!("project {section} {k}"),
                    v,
                );
            }
        }
        for s in pf.slots() {
            let (kind, num) = match s.slot {
                crate::format::slot_attrs::SlotRef::Static(n) => (0, n),
                crate::format::slot_attrs::SlotRef::Flex(n) => (1, n),
                crate::format::slot_attrs::SlotRef::Recorder(n) => (2, n),
            };
            let sort = format!("1 {kind} {num:03}");
            let label = format!("slot {}", s.slot);
            self.add(format!("{sort} 0"), format!("{label} path"), s.path.clone());
            let opt = |o: Option<String>| o.unwrap_or_else(|| "-".into());
            self.add(
                format!("{sort} 1"),
                format!("{label} settings"),
                format!(
                    "trim bars x100 {}  bpm x24 {}  stretch {}  loop {}  gain {}  trig quant {}",
                    opt(s.trim_bars_x100.map(|v| v.to_string())),
                    opt(s.bpm_x24.map(|v| v.to_string())),
                    opt(s.time_stretch.map(|v| format!("{v:?}"))),
                    opt(s.loop_mode.map(|v| format!("{v:?}"))),
                    opt(s.gain.map(|v| v.to_string())),
                    opt(s.trig_quant.map(|v| format!("{v:?}"))),
                ),
            );
        }
    }

    /// Arrangement `i` (0-based): its name and working rows.
    pub fn arrangement(&mut self, i: usize, a: &Arrangement) {
        let sort = format!("3 {i}");
        let label = format!("arrangement {}", i + 1);
        self.add(
            format!("{sort} name"),
            format!("{label} name"),
            a.name(Block::Working),
        );
        for (r, row) in a.rows(Block::Working).iter().enumerate() {
            let text = serde_json::to_string(row).unwrap_or_else(|_| format!("{row:?}"));
            self.add(
                format!("{sort} row {r:03}"),
                format!("{label} row {}", r + 1),
                text,
            );
        }
    }

    /// Bank `b` (0-based): its patterns (as `octa dump` sees them) and its parts.
    pub fn bank(&mut self, pf: &ProjectFile, bank: &Bank, b: usize, filter: Filter) {
        let letter = bank_letter(b);
        for p in 0..16 {
            if filter.pattern.is_some_and(|f| f != p) {
                continue;
            }
            if let Some(d) = dump_pattern(pf, bank, b, p) {
                self.pattern(&d, b, p);
            }
        }
        if filter.pattern.is_some() {
            return;
        }
        for (pi, part) in bank.parts().iter().enumerate() {
            let sort = format!("2 {b:02} q{pi}");
            let label = format!("{letter} part {}", pi + 1);
            for t in 0..8 {
                let m = part.machine_type(t);
                let (f1, f2) = (part.fx1_type(t), part.fx2_type(t));
                let ts = format!("{sort} a{t}");
                let tl = format!("{label} T{}", t + 1);
                self.add(format!("{ts} 00"), format!("{tl} machine"), m.name());
                self.add(format!("{ts} 01"), format!("{tl} FX1"), params::fx_name(f1));
                self.add(format!("{ts} 02"), format!("{tl} FX2"), params::fx_name(f2));
                for idx in 0..32 {
                    let Some(v) = part.track_value(t, idx) else {
                        continue;
                    };
                    let p = params::audio_param(m, f1, f2, idx);
                    self.add(
                        format!("{ts} v{idx:02}"),
                        format!("{tl} {}", param_label(p, idx)),
                        Unit::of(p).show(v),
                    );
                }
                for scene in 0..16 {
                    for idx in 0..32 {
                        let Some(v) = part.scene_lock(scene, t, idx) else {
                            continue;
                        };
                        let p = params::scene_param(m, f1, f2, idx);
                        self.add(
                            format!("{ts} s{scene:02} {idx:02}"),
                            format!("{tl} scene {} {}", scene + 1, param_label(p, idx)),
                            Unit::of(p).show(v),
                        );
                    }
                }
                let _ = MachineType::Static;
            }
            for t in 0..8 {
                let ts = format!("{sort} m{t}");
                let tl = format!("{label} M{}", t + 1);
                for idx in 0..30 {
                    let Some(v) = part.midi_values[t].get(idx) else {
                        continue;
                    };
                    let p = params::midi_param(idx);
                    self.add(
                        format!("{ts} v{idx:02}"),
                        format!("{tl} {}", param_label(p, idx)),
                        Unit::of(p).show(v),
                    );
                }
            }
        }
    }

    fn pattern(&mut self, d: &PatternDump, b: usize, p: usize) {
        let sort = format!("2 {b:02} p{p:02}");
        let label = format!("{}{:02}", d.bank, d.pattern);
        self.add(
            format!("{sort} 0 part"),
            format!("{label} part"),
            d.part.to_string(),
        );
        self.add(
            format!("{sort} 0 length"),
            format!("{label} length"),
            format!("{} ({})", d.length, d.scale_mode),
        );
        self.add(
            format!("{sort} 0 tempo"),
            format!("{label} pattern tempo"),
            format!(
                "{} BPM",
                crate::format::tempo::bpm_text((d.pattern_tempo * 24.0).round() as u32)
            ),
        );
        for (ti, t) in d.tracks.iter().enumerate() {
            let ts = format!("{sort} t{ti:02}");
            let tl = format!("{label} {}", t.track);
            self.add(
                format!("{ts} 0 length"),
                format!("{tl} length"),
                t.length.to_string(),
            );
            self.add(
                format!("{ts} 0 settings"),
                format!("{tl} settings"),
                t.settings.text(),
            );
            for st in &t.steps {
                let ss = format!("{ts} s{:02}", st.step);
                let sl = format!("{tl} step {}", st.step);
                if st.kind != "none" {
                    self.add(format!("{ss} 0"), sl.clone(), st.kind);
                }
                if let Some(c) = &st.condition {
                    self.add(format!("{ss} 1"), format!("{sl} condition"), c.clone());
                }
                if st.micro_timing != 0 {
                    self.add(
                        format!("{ss} 2"),
                        format!("{sl} micro-timing"),
                        format!("{:+}/384", st.micro_timing),
                    );
                }
                if st.repeats > 1 {
                    self.add(
                        format!("{ss} 3"),
                        format!("{sl} retrigs"),
                        st.repeats.to_string(),
                    );
                }
                if st.slide {
                    self.add(format!("{ss} 4"), format!("{sl} slide"), "on");
                }
                if !st.notes.is_empty() {
                    self.add(format!("{ss} 5"), format!("{sl} notes"), st.notes.join(" "));
                }
                for (name, v) in &st.plocks_shown {
                    self.add(
                        format!("{ss} 6 {name}"),
                        format!("{sl} lock {name}"),
                        v.clone(),
                    );
                }
            }
            for r in t.recorder.iter().flatten() {
                self.add(
                    format!("{ts} s{:02} 7", r.step),
                    format!("{tl} step {} recorder", r.step),
                    recorder_cell(r),
                );
            }
        }
    }
}

fn param_label(p: Option<params::ParamInfo>, idx: usize) -> String {
    p.map(|p| p.label()).unwrap_or_else(|| format!("SLOT{idx}"))
}

/// The lines of the difference between `old` and `new`, in order: `LABEL: OLD -> NEW`,
/// with `(none)` for a fact only one side has.
pub fn diff_lines(old: &Facts, new: &Facts) -> Vec<String> {
    let mut keys: Vec<&String> = old.0.keys().chain(new.0.keys()).collect();
    keys.sort();
    keys.dedup();
    let none = "(none)".to_string();
    keys.into_iter()
        .filter_map(|k| {
            let (a, b) = (old.0.get(k), new.0.get(k));
            if a.map(|x| &x.1) == b.map(|x| &x.1) {
                return None;
            }
            let label = a.or(b).map(|x| x.0.as_str()).unwrap_or(k);
            Some(format!(
                "{label}: {} -> {}",
                a.map(|x| &x.1).unwrap_or(&none),
                b.map(|x| &x.1).unwrap_or(&none)
            ))
        })
        .collect()
}

/// Errors of `octa diff` (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A side could not be opened.
    #[error("{source} (opening {path})")]
    Open {
        /// The path given.
        path: PathBuf,
        /// Why.
        source: crate::project::ProjectError,
    },
    /// A side does not exist.
    #[error("{0}: no such file or folder")]
    NotFound(PathBuf),
    /// A bank file could not be read or parsed.
    #[error("{path}: {why}")]
    BankFile {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// The sides are not of one kind (two projects, or two files of one kind).
    #[error(
        "{a} and {b}: compare two projects, or two files of one kind (bank, arrangement, project)"
    )]
    Mixed {
        /// Side A.
        a: PathBuf,
        /// Side B.
        b: PathBuf,
    },
    /// `--stored` on a project without `.strd` files.
    #[error("{0}: no .strd files (SAVE PROJECT was never done)")]
    NoStored(PathBuf),
}

/// The number after `prefix` in a file name (`bank01.work` -> 1), 0-based; 0 when absent
/// (git passes temp files named `XXXXXX_bank01.work`).
fn number_after(path: &Path, prefix: &str) -> usize {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.rfind(prefix)
        .and_then(|i| name.get(i + prefix.len()..i + prefix.len() + 2))
        .and_then(|d| d.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .map(|n| n - 1)
        .unwrap_or(0)
}

/// A single Octatrack file given on the command line, recognised by its content.
enum OneFile {
    Bank(Box<Bank>),
    Arrangement(Box<Arrangement>),
    Project(Box<ProjectFile>),
}

/// True when `path` is one file to compare by itself (not a folder, not a zip).
fn is_single_file(path: &Path) -> bool {
    path.is_file()
        && !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

fn read_one(path: &Path) -> Result<OneFile, DiffError> {
    let bytes = std::fs::read(path).map_err(|e| DiffError::BankFile {
        path: path.to_path_buf(),
        why: e.to_string(),
    })?;
    let bank = match Bank::from_bytes(&bytes) {
        Ok((b, _)) => return Ok(OneFile::Bank(Box::new(b))),
        Err(e) => e,
    };
    if let Ok(a) = Arrangement::parse(&bytes) {
        return Ok(OneFile::Arrangement(Box::new(a)));
    }
    if let Ok(p) = ProjectFile::parse(&bytes) {
        return Ok(OneFile::Project(Box::new(p)));
    }
    Err(DiffError::BankFile {
        path: path.to_path_buf(),
        why: format!("not a bank, arrangement or project file (as a bank: {bank})"),
    })
}

/// Facts of two single files of the same kind.
fn file_facts(a: &Path, b: &Path, filter: Filter) -> Result<(Facts, Facts), DiffError> {
    let (mut fa, mut fb) = (Facts::default(), Facts::default());
    let raw = |fa: &mut Facts, fb: &mut Facts, x: &[u8], y: &[u8]| {
        if x != y {
            fa.add("9 file".into(), "file bytes differing".into(), "0");
            fb.add(
                "9 file".into(),
                "file bytes differing".into(),
                differing(x, y).to_string(),
            );
        }
    };
    match (read_one(a)?, read_one(b)?) {
        (OneFile::Bank(ba), OneFile::Bank(bb)) => {
            // two bank files compare under the first one's letter
            let i = number_after(a, "bank");
            let pf = crate::format::blank::blank_project_file();
            if filter.bank.is_none_or(|x| x == i) {
                fa.bank(&pf, &ba, i, filter);
                fb.bank(&pf, &bb, i, filter);
                if filter.pattern.is_none() {
                    raw(&mut fa, &mut fb, &ba.to_bytes(), &bb.to_bytes());
                }
            }
        }
        (OneFile::Arrangement(x), OneFile::Arrangement(y)) => {
            let i = number_after(a, "arr");
            fa.arrangement(i, &x);
            fb.arrangement(i, &y);
            raw(&mut fa, &mut fb, &x.to_bytes(), &y.to_bytes());
        }
        (OneFile::Project(x), OneFile::Project(y)) => {
            fa.project(&x);
            fb.project(&y);
            raw(&mut fa, &mut fb, &x.to_bytes(), &y.to_bytes());
        }
        _ => {
            return Err(DiffError::Mixed {
                a: a.to_path_buf(),
                b: b.to_path_buf(),
            });
        }
    }
    Ok((fa, fb))
}

fn open(path: &Path, project: &Option<std::ffi::OsString>) -> Result<Project, DiffError> {
    if !path.exists() {
        return Err(DiffError::NotFound(path.to_path_buf()));
    }
    Project::open(
        path,
        &OpenOptions {
            project: project.clone(),
            read_only: true,
        },
    )
    .map_err(|source| DiffError::Open {
        path: path.to_path_buf(),
        source,
    })
}

/// Bytes that differ between two files (and the length difference).
fn differing(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count() + a.len().abs_diff(b.len())
}

/// One fact per file whose bytes differ, after every named fact: a change in bytes octa does
/// not name (or a checksum) still shows, and two projects are "equal" only byte for byte.
fn raw_facts(
    fa: &mut Facts,
    fb: &mut Facts,
    a: (&Project, bool),
    b: (&Project, bool),
    filter: Filter,
) {
    use crate::project::FileId;
    for id in FileId::all() {
        let keep = match id {
            FileId::Bank(i) => filter.bank.is_none_or(|x| x == i) && filter.pattern.is_none(),
            _ => filter.bank.is_none() && filter.pattern.is_none(),
        };
        if !keep {
            continue;
        }
        let (x, y) = (a.0.file_bytes(id, a.1), b.0.file_bytes(id, b.1));
        let name = id.file_name(false);
        let name = name.trim_end_matches(".work");
        let label = format!("file {name} bytes differing");
        let sort = format!("9 {name}");
        match (x, y) {
            (Some(x), Some(y)) if x != y => {
                fa.add(sort.clone(), label.clone(), "0");
                fb.add(sort, label, differing(&x, &y).to_string());
            }
            (Some(_), None) => fa.add(sort, label, "present"),
            (None, Some(_)) => fb.add(sort, label, "present"),
            _ => {}
        }
    }
}

/// The facts of a whole project (its working state, or with `stored` its `.strd` state).
fn project_facts(p: &Project, stored: bool, filter: Filter) -> Facts {
    let mut f = Facts::default();
    let pf = if stored {
        p.stored_project_file().unwrap_or(p.project_file())
    } else {
        p.project_file()
    };
    let whole = filter.bank.is_none() && filter.pattern.is_none();
    if whole {
        f.project(pf);
        for i in 0..crate::project::ARRANGEMENTS {
            let a = if stored {
                p.stored_arrangement(i)
            } else {
                Some(p.arrangement(i))
            };
            if let Some(a) = a {
                f.arrangement(i, a);
            }
        }
    }
    for b in 0..crate::project::BANKS {
        if filter.bank.is_some_and(|x| x != b) {
            continue;
        }
        let bank = if stored {
            p.stored_bank(b)
        } else {
            Some(p.bank(b))
        };
        if let Some(bank) = bank {
            f.bank(pf, bank, b, filter);
        }
    }
    f
}

/// Both sides' facts for the arguments.
pub fn facts(args: &DiffArgs) -> Result<(Facts, Facts), DiffError> {
    let filter = Filter {
        bank: args.bank.map(|b| b.index()),
        pattern: args.pattern.map(|p| p.index()),
    };
    let Some(b_path) = args.b.as_ref().filter(|_| !args.stored) else {
        let p = open(&args.a, &args.project)?;
        if p.stored_project_file().is_none() && (0..16).all(|b| p.stored_bank(b).is_none()) {
            return Err(DiffError::NoStored(args.a.clone()));
        }
        let (mut fa, mut fb) = (
            project_facts(&p, true, filter),
            project_facts(&p, false, filter),
        );
        raw_facts(&mut fa, &mut fb, (&p, true), (&p, false), filter);
        return Ok((fa, fb));
    };
    match (is_single_file(&args.a), is_single_file(b_path)) {
        (true, true) => file_facts(&args.a, b_path, filter),
        (false, false) => {
            let pa = open(&args.a, &args.project)?;
            let pb = open(b_path, &args.project)?;
            let (mut fa, mut fb) = (
                project_facts(&pa, false, filter),
                project_facts(&pb, false, filter),
            );
            raw_facts(&mut fa, &mut fb, (&pa, false), (&pb, false), filter);
            Ok((fa, fb))
        }
        _ => Err(DiffError::Mixed {
            a: args.a.clone(),
            b: b_path.clone(),
        }),
    }
}

/// Runs `octa diff`: exit 0 when equal, 1 when different, 2 on bad input.
pub fn diff(args: &DiffArgs) -> ExitCode {
    let (a, b) = match facts(args) {
        Ok(x) => x,
        Err(e) => {
            crate::errln!("octa diff: {e}");
            return ExitCode::from(2);
        }
    };
    let lines = diff_lines(&a, &b);
    if lines.is_empty() {
        return ExitCode::SUCCESS;
    }
    let (na, nb) = match (&args.b, args.stored) {
        (Some(b), false) => (args.a.display().to_string(), b.display().to_string()),
        _ => (
            format!("{} (.strd)", args.a.display()),
            format!("{} (.work)", args.a.display()),
        ),
    };
    crate::outln!("--- {na}");
    crate::outln!("+++ {nb}");
    for l in lines {
        crate::outln!("{l}");
    }
    ExitCode::from(1)
}
