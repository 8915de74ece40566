//! A conversion running in the background for the sample browser: one file converted into the
//! set's AUDIO folder by [`crate::project::convert::convert_file`] (the settings of
//! `octa audio convert --to AUDIO`) on a worker thread, its progress read by the UI without
//! blocking, cancelled by a flag (the converter then leaves no partial file).

use crate::project::convert::{self, ConvertOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

/// Called in the worker after each progress report with the frames decoded so far, before the
/// cancel flag is looked at (tests hold a conversion there).
pub type Hook = Arc<dyn Fn(u64) + Send + Sync>;

/// Hooks by source file (tests only register them).
static HOOKS: Mutex<Vec<(PathBuf, Hook)>> = Mutex::new(Vec::new());

/// Registers `hook` for conversions of `src` (tests: hold the worker to act meanwhile).
pub fn set_hook(src: &Path, hook: Hook) {
    if let Ok(mut h) = HOOKS.lock() {
        h.retain(|(p, _)| p != src);
        h.push((src.to_path_buf(), hook));
    }
}

/// Removes the hook of `src`.
pub fn clear_hook(src: &Path) {
    if let Ok(mut h) = HOOKS.lock() {
        h.retain(|(p, _)| p != src);
    }
}

fn hook_for(src: &Path) -> Option<Hook> {
    HOOKS
        .lock()
        .ok()?
        .iter()
        .find(|(p, _)| p == src)
        .map(|(_, h)| h.clone())
}

/// Progress shared with the worker.
#[derive(Debug, Default)]
struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
}

/// One conversion in flight.
#[derive(Debug)]
pub struct ConvertJob {
    /// The source file.
    pub src: PathBuf,
    /// The file being written.
    pub out: PathBuf,
    progress: Arc<Progress>,
    done: Receiver<Result<PathBuf, String>>,
}

impl ConvertJob {
    /// Starts converting `src` into `dir` (created when absent). `force` converts a file the
    /// device already plays; an existing output file is never replaced.
    pub fn start(src: &Path, dir: &Path, force: bool) -> Result<Self, String> {
        let opts = ConvertOptions {
            to: Some(dir.to_path_buf()),
            force,
            ..ConvertOptions::default()
        };
        let out = convert::output_path(src, &opts);
        if std::fs::symlink_metadata(&out).is_ok() {
            return Err(format!(
                "{}: already exists; nothing was converted",
                out.display()
            ));
        }
        if !dir.is_dir() {
            crate::project::durable::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let progress = Arc::new(Progress::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let prog = progress.clone();
        let from = src.to_path_buf();
        std::thread::Builder::new()
            .name("octa-convert".into())
            .spawn(move || {
                let hook = hook_for(&from);
                let mut report = |done: u64, total: u64| {
                    prog.done.store(done, Ordering::SeqCst);
                    prog.total.store(total, Ordering::SeqCst);
                    if let Some(h) = &hook {
                        h(done);
                    }
                };
                let r = convert::convert_file(&from, &opts, &prog.cancel, &mut report);
                let r = match r {
                    Ok(convert::Outcome::Converted { to, .. }) => Ok(to),
                    Ok(convert::Outcome::AlreadyPlays { path, .. }) => Err(format!(
                        "{}: the device plays it as it is; nothing was written",
                        path.display()
                    )),
                    Err(e) => Err(e.to_string()),
                };
                let _ = tx.send(r);
            })
            .map_err(|e| format!("cannot start the conversion: {e}"))?;
        Ok(Self {
            src: src.to_path_buf(),
            out,
            progress,
            done: rx,
        })
    }

    /// Asks the worker to stop (it removes what it wrote).
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::SeqCst);
    }

    /// Whether a cancel was asked.
    pub fn cancelling(&self) -> bool {
        self.progress.cancel.load(Ordering::SeqCst)
    }

    /// Fraction done, 0..=1.
    pub fn ratio(&self) -> f64 {
        let total = self.progress.total.load(Ordering::SeqCst);
        let done = self.progress.done.load(Ordering::SeqCst);
        if total == 0 {
            0.0
        } else {
            (done as f64 / total as f64).clamp(0.0, 1.0)
        }
    }

    /// The result once the worker finished: the new file, or why there is none. Never blocks.
    pub fn poll(&self) -> Option<Result<PathBuf, String>> {
        match self.done.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("the conversion stopped without a result".into()))
            }
        }
    }
}
