//! Projects from code: a Rhai API shaped like octapy's (`project.bank(1).pattern(1)
//! .audio_track(1).step(5).condition = "FILL"`), run in a sandboxed engine (operation,
//! call-depth, expression-depth, string and array limits; no modules, no `eval`, no file
//! or network access). Every edit goes through the typed setters of [`crate::format::bank`],
//! so the bytes written are the ones the device writes; parameter names and values are the
//! device's (AMP `VOL` `+20`, NOTE `C-4`, LEN `1/16`), parsed by [`crate::edit::value`].
//! The API is listed in `docs/scripting.md`.

mod api;
mod helpers;
mod part;
pub mod rewrite;

use crate::format::Bank;
use crate::format::slot_attrs::SlotRef;
use crate::project::{FileId, Project};
use rhai::{Engine, EvalAltResult, Position, Scope};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use helpers::euclid;
pub use part::recorder_source;

/// Operations one script may run.
pub const MAX_OPERATIONS: u64 = 20_000_000;
/// Function call depth.
pub const MAX_CALL_LEVELS: usize = 64;
/// Longest string a script may build.
pub const MAX_STRING: usize = 64 * 1024;
/// Largest array a script may build.
pub const MAX_ARRAY: usize = 64 * 1024;

/// A script that failed to compile or run: the script, the line and column, what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), place(*line, *column))]
pub struct ScriptError {
    /// The script file.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What went wrong.
    pub message: String,
}

fn place(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl ScriptError {
    fn at(path: &Path, pos: Position, message: String) -> Self {
        Self {
            path: path.to_path_buf(),
            line: pos.line(),
            column: pos.position(),
            message,
        }
    }
}

/// What a script changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The `.work` files whose bytes changed (in [`FileId::all`] order).
    pub changed_files: Vec<FileId>,
    /// Steps (of any track of any pattern) whose trig, locks, condition, micro-timing,
    /// slide or swing changed.
    pub changed_steps: usize,
    /// What the script printed (`print`), in order.
    pub output: Vec<String>,
    /// The samples `project.add_sample` assigned: slot and its `PATH`.
    pub added_samples: Vec<(SlotRef, String)>,
}

/// The project state a script edits: copies of the banks and the project tempo, applied to
/// the [`Project`] when the script ends without an error.
pub(crate) struct Work {
    pub(crate) banks: Vec<Bank>,
    pub(crate) touched: [bool; 16],
    pub(crate) tempo: Option<f64>,
    /// Every slot with a sample (its `PATH`), including those `add_sample` assigned.
    pub(crate) slots: BTreeMap<SlotRef, String>,
    /// The samples `add_sample` assigned, in order.
    pub(crate) pending: Vec<part::PendingSample>,
}

pub(crate) type Shared = Arc<Mutex<Work>>;

/// The sandboxed engine scripts run in, with the octa API registered.
pub fn engine() -> Engine {
    let mut e = crate::sandbox::engine(crate::sandbox::Limits {
        operations: MAX_OPERATIONS,
        call_levels: MAX_CALL_LEVELS,
        string: MAX_STRING,
        array: MAX_ARRAY,
    });
    api::register(&mut e);
    part::register(&mut e);
    helpers::register(&mut e);
    e
}

/// The file name a change is reported under (`bank01.work`, `project.work`).
pub fn file_name(id: FileId) -> String {
    match id {
        FileId::Project => "project.work".into(),
        FileId::Bank(i) => format!("bank{:02}.work", i + 1),
        FileId::Markers => "markers.work".into(),
        FileId::Arrangement(i) => format!("arr{:02}.work", i + 1),
    }
}

/// What a script run from the tracker acts on: a pattern and a block of its tracks and
/// steps (the selection, or every track and step of the pattern).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Bank 0..16.
    pub bank: usize,
    /// Pattern 0..16.
    pub pattern: usize,
    /// Tracks 0..16 (0-7 audio T1-T8, 8-15 MIDI M1-M8).
    pub tracks: Vec<usize>,
    /// Steps 0..64.
    pub steps: Vec<usize>,
}

/// Runs `source` on copies of `project`'s banks (the project is not changed), with `target`
/// given to the script as `pattern`, `tracks` and `selection`: returns the work done and
/// what the script printed.
fn execute(
    project: &Project,
    path: &Path,
    source: &str,
    target: Option<&Target>,
) -> Result<(Work, Vec<String>), ScriptError> {
    let work: Shared = Arc::new(Mutex::new(Work {
        banks: (0..16).map(|i| project.bank(i).clone()).collect(),
        touched: [false; 16],
        tempo: None,
        slots: project
            .project_file()
            .slots()
            .into_iter()
            .filter(|s| !s.path.is_empty())
            .map(|s| (s.slot, s.path))
            .collect(),
        pending: Vec::new(),
    }));
    let printed = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut engine = engine();
    {
        let printed = printed.clone();
        engine.on_print(move |s| {
            if let Ok(mut p) = printed.lock() {
                p.push(s.to_string());
            }
        });
    }
    let ast = engine
        .compile(rewrite::rewrite(source))
        .map_err(|e| ScriptError::at(path, e.position(), e.err_type().to_string()))?;
    let mut scope = Scope::new();
    scope.push("project", api::ProjectH::new(work.clone(), project));
    if let Some(t) = target {
        api::push_target(&mut scope, &work, t);
    }
    engine
        .run_ast_with_scope(&mut scope, &ast)
        .map_err(|e| runtime_error(path, &e))?;
    drop(scope);
    let output = printed.lock().map(|p| p.clone()).unwrap_or_default();
    let work = Arc::try_unwrap(work)
        .ok()
        .and_then(|m| m.into_inner().ok())
        .ok_or_else(|| {
            ScriptError::at(
                path,
                Position::NONE,
                "the script kept a handle alive".into(),
            )
        })?;
    Ok((work, output))
}

/// Runs a tracker script on `target` without changing `project`: returns bank
/// `target.bank` as the script left it (the caller copies what lies inside the target), what
/// the script printed, and what it changed outside the target's pattern (which the menu
/// drops): e.g. `tempo`, `2 sample(s) added`, `bank B`, `part 1`, `pattern 3`.
pub fn run_on_target(
    project: &Project,
    path: &Path,
    source: &str,
    target: &Target,
) -> Result<(Bank, Vec<String>, Vec<String>), ScriptError> {
    let (mut work, output) = execute(project, path, source, Some(target))?;
    if target.bank >= 16 {
        return Err(ScriptError::at(path, Position::NONE, "no such bank".into()));
    }
    let mut dropped = Vec::new();
    if let Some(bpm) = work.tempo
        && project.project_file().tempo_bpm() != Some((bpm * 24.0).round() / 24.0)
    {
        dropped.push("tempo".to_string());
    }
    if !work.pending.is_empty() {
        dropped.push(format!("{} sample(s) added", work.pending.len()));
    }
    for (i, new) in work.banks.iter().enumerate() {
        let old = project.bank(i);
        if !work.touched[i] || new == old {
            continue;
        }
        if i != target.bank {
            dropped.push(format!("bank {}", crate::format::types::bank_letter(i)));
            continue;
        }
        for p in 0..4 {
            if new.part(p) != old.part(p) || new.part_name(p) != old.part_name(p) {
                dropped.push(format!("part {}", p + 1));
            }
        }
        for p in (0..16).filter(|&p| p != target.pattern) {
            if new.pattern(p) != old.pattern(p) {
                dropped.push(format!("pattern {}", p + 1));
            }
        }
    }
    Ok((
        std::mem::replace(&mut work.banks[target.bank], Bank::blank()),
        output,
        dropped,
    ))
}

/// Runs the script `source` (read from `path`, named in errors) on `project`. On success the
/// edits are applied to `project` (marking the changed files dirty; nothing is written);
/// on an error the project is left as it was.
///
/// ```
/// use octa::format::bank::StepKind;
/// use octa::project::Project;
/// use std::path::Path;
///
/// let mut p = Project::new_blank("DOC");
/// let script = "let t = project.bank(1).pattern(1).audio_track(1);\n\
///               t.active_steps = euclid(3, 8);\n\
///               t.step(4).condition = \"FILL\";";
/// let out = octa::script::run(&mut p, Path::new("doc.rhai"), script)?;
/// assert_eq!(out.changed_steps, 3); // E(3, 8) = steps 1, 4, 7
/// let t1 = &p.bank(0).patterns[0].audio[0];
/// assert_eq!(t1.step_kind(3), StepKind::Trig);
/// assert_eq!(t1.condition(3), octa::format::TrigCondition::Fill);
/// let err = octa::script::run(&mut p, Path::new("bad.rhai"), "\nproject.bank(17);").unwrap_err();
/// assert_eq!(err.line, Some(2));
/// # Ok::<(), octa::script::ScriptError>(())
/// ```
pub fn run(project: &mut Project, path: &Path, source: &str) -> Result<Outcome, ScriptError> {
    let (mut work, output) = execute(project, path, source, None)?;
    let mut outcome = Outcome {
        output,
        ..Outcome::default()
    };
    // Check every added sample before changing anything: a missing or unplayable file, or
    // one outside the project and the set's AUDIO folder, fails the run at its line.
    for s in &work.pending {
        let what =
            |e: String| ScriptError::at(path, s.pos, format!("add_sample {:?}: {e}", s.spec));
        crate::project::contain::slot_file(project, &s.slot.to_string(), &s.path)
            .map_err(|e| what(e.to_string()))?;
        let bytes = project
            .read_sample(&s.path)
            .map_err(|e| what(e.to_string()))?;
        crate::project::sample_file::sample_info(&s.path, &bytes)
            .map_err(|e| what(e.to_string()))?;
    }
    for s in &work.pending {
        crate::project::slots::assign_file(project, s.slot, &s.path)
            .map_err(|e| ScriptError::at(path, s.pos, format!("add_sample {:?}: {e}", s.spec)))?;
        outcome.added_samples.push((s.slot, s.path.clone()));
    }
    if !work.pending.is_empty() {
        outcome.changed_files.push(FileId::Project);
        outcome.changed_files.push(FileId::Markers);
    }
    if let Some(bpm) = work.tempo
        && project.project_file().tempo_bpm() != Some((bpm * 24.0).round() / 24.0)
    {
        project
            .project_file_mut()
            .set_tempo_bpm(bpm)
            .map_err(|e| ScriptError::at(path, Position::NONE, e.to_string()))?;
        if !outcome.changed_files.contains(&FileId::Project) {
            outcome.changed_files.push(FileId::Project);
        }
    }
    for i in 0..16 {
        if !work.touched[i] {
            continue;
        }
        let new = std::mem::replace(&mut work.banks[i], Bank::blank());
        let steps = changed_steps(project.bank(i), &new);
        if new.to_bytes() != project.bank(i).to_bytes() {
            outcome.changed_steps += steps;
            *project.bank_mut(i) = new;
            outcome.changed_files.push(FileId::Bank(i));
        }
    }
    let order = FileId::all();
    outcome
        .changed_files
        .sort_by_key(|id| order.iter().position(|x| x == id));
    Ok(outcome)
}

fn runtime_error(path: &Path, e: &EvalAltResult) -> ScriptError {
    let inner = e.unwrap_inner();
    let pos = if inner.position().is_none() {
        e.position()
    } else {
        inner.position()
    };
    let message = match inner {
        EvalAltResult::ErrorTooManyOperations(_) => format!(
            "stopped: the script ran more than {MAX_OPERATIONS} operations (an endless loop?)"
        ),
        EvalAltResult::ErrorStackOverflow(_) => {
            format!("stopped: calls nested deeper than {MAX_CALL_LEVELS} (endless recursion?)")
        }
        EvalAltResult::ErrorRuntime(d, _) if d.is_string() => d.to_string(),
        other => other.to_string(),
    };
    ScriptError::at(path, pos, message)
}

/// Steps that differ between two banks (any pattern, any track).
pub fn changed_steps(a: &Bank, b: &Bank) -> usize {
    let mut n = 0;
    for p in 0..16 {
        let (Some(pa), Some(pb)) = (a.pattern(p), b.pattern(p)) else {
            continue;
        };
        for (ta, tb) in pa.audio.iter().zip(&pb.audio) {
            n += (0..64)
                .filter(|&s| {
                    ta.step_kind(s) != tb.step_kind(s)
                        || ta.step_word(s) != tb.step_word(s)
                        || ta.slide.get(s) != tb.slide.get(s)
                        || ta.swing.get(s) != tb.swing.get(s)
                        || (0..32).any(|i| ta.plock(s, i) != tb.plock(s, i))
                })
                .count();
        }
        for (ta, tb) in pa.midi.iter().zip(&pb.midi) {
            n += (0..64)
                .filter(|&s| {
                    ta.step_kind(s) != tb.step_kind(s)
                        || ta.step_word(s) != tb.step_word(s)
                        || ta.swing.get(s) != tb.swing.get(s)
                        || (0..32).any(|i| ta.plock(s, i) != tb.plock(s, i))
                })
                .count();
        }
    }
    n
}
