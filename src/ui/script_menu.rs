//! The tracker's script menu: Rhai scripts (see [`crate::script`]) from the config dir's
//! `scripts/` folder and the ones shipped with octa, run on the pattern view's selection (or
//! the whole current pattern when nothing is selected).
//!
//! The script gets `pattern` (the current pattern), `tracks` (the selected tracks) and
//! `selection` (`#{bank, pattern, tracks, steps}`, 1-based) besides `project`. It runs on
//! copies of the banks; what it left inside the selection (trig masks, lock bytes, step
//! words of the selected tracks and steps) is written back through the edit core
//! ([`Document::set`]) and committed as one undo step. Anything it changed outside the
//! selection is dropped, and the summary names what was dropped.

use crate::edit::document::{Document, Loc, Mask, Unit, unit_get};
use crate::script::Target;
use std::path::{Path, PathBuf};

/// The scripts shipped with octa (`examples/scripts/`), by name.
pub const SHIPPED: &[(&str, &str)] = &[
    ("euclid", include_str!("../../examples/scripts/euclid.rhai")),
    (
        "humanize",
        include_str!("../../examples/scripts/humanize.rhai"),
    ),
    (
        "prob_ramps",
        include_str!("../../examples/scripts/prob_ramps.rhai"),
    ),
    ("acid", include_str!("../../examples/scripts/acid.rhai")),
];

/// Where a menu entry's script comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A `.rhai` file of the user's scripts folder.
    File(PathBuf),
    /// A script shipped with octa.
    Shipped(&'static str),
}

/// One script of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file stem (`acid` for `acid.rhai`).
    pub name: String,
    /// Its text.
    pub source: Source,
}

static USER_DIR: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Makes the menu read `dir` instead of the config dir's `scripts/` (tests, embedders);
/// `None` goes back to the config dir.
pub fn set_user_dir(dir: Option<PathBuf>) {
    if let Ok(mut d) = USER_DIR.lock() {
        *d = dir;
    }
}

/// The user's scripts folder: `scripts/` in the config dir (or what [`set_user_dir`] set).
pub fn user_dir() -> Option<PathBuf> {
    if let Some(d) = USER_DIR.lock().ok().and_then(|d| d.clone()) {
        return Some(d);
    }
    crate::config::config_dir().map(|d| d.join("scripts"))
}

/// The menu: the `.rhai` files of `dir` (sorted by name), then the shipped scripts a user
/// script of the same name does not replace.
pub fn entries(dir: Option<&Path>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    if let Some(rd) = dir.and_then(|d| std::fs::read_dir(d).ok()) {
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rhai") && p.is_file())
            .collect();
        files.sort();
        for f in files {
            if let Some(stem) = f.file_stem() {
                out.push(Entry {
                    name: stem.to_string_lossy().into_owned(),
                    source: Source::File(f),
                });
            }
        }
    }
    for (name, text) in SHIPPED {
        if !out.iter().any(|e| e.name == *name) {
            out.push(Entry {
                name: (*name).to_string(),
                source: Source::Shipped(text),
            });
        }
    }
    out
}

/// The prompt title listing the menu: `Script: 1 acid, 2 euclid, ... (number or name)`.
pub fn title(entries: &[Entry], target: &Target) -> String {
    let list: Vec<String> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| format!("{} {}", i + 1, e.name))
        .collect();
    format!(
        "Script on {} track(s) x {} step(s): {} (number or name)",
        target.tracks.len(),
        target.steps.len(),
        if list.is_empty() {
            "no scripts".to_string()
        } else {
            list.join(", ")
        }
    )
}

/// The entry a prompt answer names (its number or its name).
pub fn pick<'a>(entries: &'a [Entry], answer: &str) -> Option<&'a Entry> {
    let a = answer.trim();
    match a.parse::<usize>() {
        Ok(n) => n.checked_sub(1).and_then(|i| entries.get(i)),
        Err(_) => entries.iter().find(|e| e.name.eq_ignore_ascii_case(a)),
    }
}

/// The units of one step of one track a script may change.
fn units(track: usize, step: usize) -> Vec<Unit> {
    let (track, step) = (track as u8, step as u8);
    let mut v: Vec<Unit> = [
        Mask::Trig,
        Mask::Trigless,
        Mask::LockOnly,
        Mask::OneShot,
        Mask::Swing,
        Mask::Slide,
    ]
    .into_iter()
    .filter(|m| track < 8 || !matches!(m, Mask::OneShot | Mask::Slide))
    .map(|mask| Unit::Mask { track, mask, step })
    .collect();
    v.extend((0..32u8).map(|idx| Unit::Lock { track, step, idx }));
    v.push(Unit::Word { track, step });
    v
}

/// Runs `entry` on `target` and writes what it changed inside the target into `doc` as one
/// undo step labelled `script NAME`. Returns a one-line summary for the status line (steps
/// changed; then `dropped: ...` naming what the script changed outside the selection and
/// which was not applied: steps outside it, other patterns, parts, banks, tempo, samples), or
/// the error (the script, line and column) with nothing changed.
pub fn run(doc: &mut Document, entry: &Entry, target: &Target) -> Result<String, String> {
    if doc.read_only() {
        return Err("read-only project: scripts cannot change it".into());
    }
    let (path, source) = match &entry.source {
        Source::File(p) => {
            let limit = crate::project::read::Limit {
                max: 1 << 20,
                what: "Rhai script",
                exact: false,
            };
            let bytes = crate::project::read::read(p, limit).map_err(|e| e.to_string())?;
            let text = String::from_utf8(bytes).map_err(|e| {
                format!(
                    "{}: at byte {}: expected UTF-8 text",
                    p.display(),
                    e.utf8_error().valid_up_to()
                )
            })?;
            (p.clone(), text)
        }
        Source::Shipped(text) => (
            PathBuf::from(format!("{}.rhai", entry.name)),
            (*text).to_string(),
        ),
    };
    doc.commit("edit");
    let (bank, output, mut dropped) =
        crate::script::run_on_target(&doc.project, &path, &source, target)
            .map_err(|e| e.to_string())?;
    // Steps of the current pattern outside the selection that the script changed (dropped).
    let old = doc.project.bank(target.bank);
    let outside = (0..16usize)
        .flat_map(|t| (0..64usize).map(move |s| (t, s)))
        .filter(|(t, s)| !(target.tracks.contains(t) && target.steps.contains(s)))
        .filter(|&(t, s)| {
            units(t, s)
                .into_iter()
                .any(|u| unit_get(&bank, target.pattern, u) != unit_get(old, target.pattern, u))
        })
        .count();
    if outside > 0 {
        dropped.insert(0, format!("{outside} step(s) outside the selection"));
    }
    let mut changed = 0usize;
    for &t in &target.tracks {
        for &s in &target.steps {
            let mut step_changed = false;
            for unit in units(t, s) {
                let value = unit_get(&bank, target.pattern, unit);
                let loc = Loc {
                    bank: target.bank as u8,
                    pattern: target.pattern as u8,
                    unit,
                };
                step_changed |= doc.set(loc, value);
            }
            changed += step_changed as usize;
        }
    }
    let label = format!("script {}", entry.name);
    doc.commit(&label);
    let mut msg = format!("{label}: {changed} step(s) changed");
    if !dropped.is_empty() {
        msg.push_str(&format!("; dropped: {}", dropped.join(", ")));
    }
    if let Some(last) = output.last() {
        msg.push_str(&format!(" ({last})"));
    }
    Ok(msg)
}
