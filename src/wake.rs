//! One channel through which background threads (audio, peaks, MIDI, file watching, copy jobs)
//! wake the tracker's event loop, so the screen redraws when background work finishes rather
//! than at the next key.
//!
//! The tracker registers a callback with [`set`]; background code calls [`wake`] after it
//! publishes a result. Without a registered callback (the CLI, tests) [`wake`] does nothing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

type Callback = Box<dyn Fn() + Send + Sync>;

static TARGET: Mutex<Option<Callback>> = Mutex::new(None);
static WAKES: AtomicU64 = AtomicU64::new(0);

/// Registers what [`wake`] calls (replacing the previous one); `None` unregisters.
pub fn set(callback: Option<Callback>) {
    *TARGET.lock().unwrap_or_else(PoisonError::into_inner) = callback;
}

/// Wakes the tracker's event loop (a no-op when no tracker runs).
pub fn wake() {
    WAKES.fetch_add(1, Ordering::Relaxed);
    if let Some(cb) = TARGET
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
    {
        cb();
    }
}

/// How many times [`wake`] was called in this process (for tests).
pub fn count() -> u64 {
    WAKES.load(Ordering::Relaxed)
}
