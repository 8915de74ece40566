//! The set of known adaptations (built-in plus user scripts) and picking one for a dump.

use super::adaptation::{Adaptation, claims};
use super::builtin::{self, RawSysex};
use super::script::{self, ScriptError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

/// KnobKraft (`.py`) adaptations that loaded, and those that did not.
#[derive(Default)]
pub struct PythonSet {
    /// Loaded adaptations (after the built-ins and scripts in recognition order).
    pub adaptations: Vec<Arc<dyn Adaptation>>,
    /// Files that failed (file and line), or were skipped as duplicates.
    pub errors: Vec<ScriptError>,
}

/// All adaptations octa knows, in recognition order, plus the raw device.
#[derive(Clone)]
pub struct Registry {
    adaptations: Vec<Arc<dyn Adaptation>>,
    raw: Arc<dyn Adaptation>,
    /// Scripts that failed to load (each names its file and line).
    pub errors: Vec<ScriptError>,
    /// KnobKraft adaptations, filled by a background thread (never the caller's).
    python: Arc<OnceLock<PythonSet>>,
    python_job: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl Default for Registry {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Registry {
    /// Only the built-in adaptations.
    pub fn builtin() -> Self {
        Self {
            adaptations: builtin::builtins(),
            raw: Arc::new(RawSysex),
            errors: Vec::new(),
            python: Arc::new(OnceLock::new()),
            python_job: Arc::new(Mutex::new(None)),
        }
    }

    /// No adaptations at all (only the raw device); for tests and script-only setups.
    pub fn empty() -> Self {
        Self {
            adaptations: Vec::new(),
            raw: Arc::new(RawSysex),
            errors: Vec::new(),
            python: Arc::new(OnceLock::new()),
            python_job: Arc::new(Mutex::new(None)),
        }
    }

    /// Built-ins plus the scripts in the shipped `adaptations/` folder and the user's
    /// `config_dir()/adaptations`. A script whose name clashes with a loaded one is skipped
    /// with an error.
    ///
    /// KnobKraft `.py` adaptations in the same folders are loaded lazily on a background
    /// thread (starting Python must not delay the caller, e.g. the tracker's first frame):
    /// they join recognition and lookup once loaded; [`Registry::wait_for_python`] waits.
    pub fn load() -> Self {
        let mut r = Self::builtin();
        for dir in script_dirs() {
            r.add_scripts_from(&dir);
        }
        let files: Vec<Vec<PathBuf>> = script_dirs()
            .iter()
            .map(|d| super::python::adaptation_files(d))
            .filter(|f| !f.is_empty())
            .collect();
        r.load_python_in_background(files);
        r
    }

    /// Starts loading KnobKraft adaptation files (one Python host per group) on a
    /// background thread; returns at once.
    pub fn load_python_in_background(&mut self, groups: Vec<Vec<PathBuf>>) {
        if groups.is_empty() {
            let _ = self.python.set(PythonSet::default());
            return;
        }
        let taken: Vec<String> = self.all_names();
        let cell = self.python.clone();
        let job = std::thread::Builder::new()
            .name("octa-python-adaptations".into())
            .spawn(move || {
                let mut set = PythonSet::default();
                let mut names = taken;
                for files in groups {
                    let (ok, errors) = super::python::load_files(&files);
                    set.errors.extend(errors);
                    for a in ok {
                        let name = a.name();
                        if names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                            set.errors.push(ScriptError::duplicate(a.path(), &name));
                        } else {
                            names.push(name);
                            set.adaptations.push(Arc::new(a));
                        }
                    }
                }
                let _ = cell.set(set);
            });
        match job {
            Ok(h) => {
                if let Ok(mut j) = self.python_job.lock() {
                    *j = Some(h);
                }
            }
            Err(_) => {
                let _ = self.python.set(PythonSet::default());
            }
        }
    }

    /// Waits until the KnobKraft adaptations are loaded (at once when none are).
    pub fn wait_for_python(&self) {
        let job = self.python_job.lock().ok().and_then(|mut j| j.take());
        if let Some(h) = job {
            let _ = h.join();
        }
    }

    /// The KnobKraft adaptations loaded so far (empty while still loading).
    pub fn python(&self) -> Option<&PythonSet> {
        self.python.get()
    }

    fn all_names(&self) -> Vec<String> {
        self.adaptations.iter().map(|a| a.name()).collect()
    }

    /// Built-ins, scripts and the KnobKraft adaptations loaded so far, in recognition order.
    pub fn everything(&self) -> Vec<Arc<dyn Adaptation>> {
        let mut v = self.adaptations.clone();
        if let Some(p) = self.python.get() {
            v.extend(p.adaptations.iter().cloned());
        }
        v
    }

    fn python_list(&self) -> &[Arc<dyn Adaptation>] {
        self.python
            .get()
            .map_or(&[][..], |p| p.adaptations.as_slice())
    }

    /// Loads every `*.rhai` in `dir` (sorted by file name); broken scripts go to `errors`.
    pub fn add_scripts_from(&mut self, dir: &Path) {
        for result in script::load_dir(dir) {
            match result {
                Ok(a) => {
                    let name = a.name();
                    if self.find_exact(&name).is_some() {
                        self.errors.push(ScriptError::duplicate(a.path(), &name));
                    } else {
                        self.adaptations.push(Arc::new(a));
                    }
                }
                Err(e) => self.errors.push(e),
            }
        }
    }

    /// Adds one adaptation at the end of the recognition order.
    pub fn push(&mut self, a: Arc<dyn Adaptation>) {
        self.adaptations.push(a);
    }

    /// All adaptations (without the raw device).
    pub fn all(&self) -> &[Arc<dyn Adaptation>] {
        &self.adaptations
    }

    /// The raw sysex device.
    pub fn raw(&self) -> Arc<dyn Adaptation> {
        self.raw.clone()
    }

    fn find_exact(&self, name: &str) -> Option<Arc<dyn Adaptation>> {
        self.adaptations
            .iter()
            .chain(self.python_list())
            .chain(std::iter::once(&self.raw))
            .find(|a| a.name().eq_ignore_ascii_case(name))
            .cloned()
    }

    /// An adaptation by exact name (case-insensitive) or unique substring (ignoring case,
    /// spaces and punctuation, so `dx7` or `jv1080` work). When several match and one name
    /// is the start of all the others (`Yamaha DX7` vs `Yamaha DX7 (script)`), it wins.
    pub fn find(&self, name: &str) -> Option<Arc<dyn Adaptation>> {
        if let Some(a) = self.find_exact(name) {
            return Some(a);
        }
        let key = normalise(name);
        if key.is_empty() {
            return None;
        }
        let mut hits: Vec<(String, &Arc<dyn Adaptation>)> = self
            .adaptations
            .iter()
            .chain(self.python_list())
            .map(|a| (normalise(&a.name()), a))
            .filter(|(n, _)| n.contains(&key))
            .collect();
        hits.sort_by_key(|(n, _)| n.len());
        let (shortest, first) = hits.first()?;
        hits.iter()
            .all(|(n, _)| n.starts_with(shortest.as_str()))
            .then(|| (*first).clone())
    }

    /// The adaptation that claims most of `messages` (first one wins ties); `None` when
    /// none claims any.
    pub fn recognise(&self, messages: &[Vec<u8>]) -> Option<Arc<dyn Adaptation>> {
        let mut best: Option<(usize, &Arc<dyn Adaptation>)> = None;
        for a in self.adaptations.iter().chain(self.python_list()) {
            let n = claims(a.as_ref(), messages);
            if n > 0 && best.is_none_or(|(b, _)| n > b) {
                best = Some((n, a));
                if n == messages.len() {
                    break;
                }
            }
        }
        best.map(|(_, a)| a.clone())
    }

    /// The adaptation that explains why some of `messages` are broken (its
    /// `check_message` fails on them: a bad checksum, a wrong length), if any.
    pub fn explains_broken(&self, messages: &[Vec<u8>]) -> Option<Arc<dyn Adaptation>> {
        self.adaptations
            .iter()
            .chain(self.python_list())
            .filter(|a| a.name() != self.raw().name())
            .find(|a| messages.iter().any(|m| a.check_message(m).is_err()))
            .cloned()
    }
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where adaptation scripts are looked for: the shipped `adaptations/` folder (beside the
/// executable, or the source tree in development) and the user's config dir.
pub fn script_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Ok(exe) = std::env::current_exe()
        && let Some(d) = exe.parent()
    {
        dirs.push(d.join("adaptations"));
    }
    let dev = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("adaptations");
    if !dirs.contains(&dev) {
        dirs.push(dev);
    }
    if let Some(c) = crate::config::config_dir() {
        dirs.push(c.join("adaptations"));
    }
    dirs.retain(|d| d.is_dir());
    dirs
}
