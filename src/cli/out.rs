//! Standard output for every command: a closed pipe ends the printing quietly
//! (`octa check -v DIR | head` exits with the command's own code, not a panic),
//! a failing stdout (a full disk, `> /dev/full`) is reported on stderr once the
//! command is done and the exit code becomes 1.
//!
//! Printing never interrupts a command's work: once stdout is gone, further
//! output is discarded and the command finishes (or rolls back) its files as it
//! would have otherwise. Use [`outln!`](crate::outln) / [`out!`](crate::out)
//! instead of `crate::outln!` / `crate::out!`, or [`Stdout`] where a writer is needed, and
//! pass the command's exit code through [`finish`].

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

const OPEN: u8 = 0;
const CLOSED: u8 = 1;
const FAILED: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(OPEN);
static FAILURE: Mutex<Option<String>> = Mutex::new(None);

/// True once stdout is closed or failed: further output is discarded.
pub fn gone() -> bool {
    STATE.load(Ordering::Relaxed) != OPEN
}

fn record(e: &io::Error) {
    if e.kind() == io::ErrorKind::BrokenPipe {
        let _ = STATE.compare_exchange(OPEN, CLOSED, Ordering::Relaxed, Ordering::Relaxed);
    } else if STATE
        .compare_exchange(OPEN, FAILED, Ordering::Relaxed, Ordering::Relaxed)
        .is_ok()
        && let Ok(mut f) = FAILURE.lock()
    {
        *f = Some(e.to_string());
    }
}

/// Writes formatted text to stdout unless stdout is gone (used by the macros).
pub fn write_fmt(args: fmt::Arguments<'_>) {
    if gone() {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        record(&e);
    }
}

/// Writes bytes to stdout unless stdout is gone.
pub fn write_bytes(bytes: &[u8]) {
    if gone() {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(bytes) {
        record(&e);
    }
}

/// A writer onto stdout with the same rules: it never returns an error, it
/// discards what comes after stdout closed or failed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        write_bytes(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        flush();
        Ok(())
    }
}

/// Flushes stdout, recording a failure.
pub fn flush() {
    if gone() {
        return;
    }
    if let Err(e) = io::stdout().lock().flush() {
        record(&e);
    }
}

/// Ends a command: flushes stdout; when writing it failed (other than a closed
/// pipe), says so on stderr and turns the exit code into 1.
pub fn finish(code: ExitCode) -> ExitCode {
    flush();
    if STATE.load(Ordering::Relaxed) == FAILED {
        let why = FAILURE
            .lock()
            .ok()
            .and_then(|f| f.clone())
            .unwrap_or_else(|| "unknown error".into());
        // stderr may be gone too: nothing more can be said then.
        let _ = writeln!(io::stderr(), "octa: writing the output failed: {why}");
        return ExitCode::FAILURE;
    }
    code
}

/// `crate::outln!` onto stdout that stops quietly on a closed pipe (see [`crate::cli::out`]).
#[macro_export]
macro_rules! outln {
    () => { $crate::cli::out::write_fmt(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::out::write_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `crate::out!` onto stdout that stops quietly on a closed pipe (see [`crate::cli::out`]).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::out::write_fmt(format_args!($($arg)*)) };
}

/// Writes formatted text to stderr, ignoring failures: a closed or full stderr (`2>/dev/full`)
/// must not panic a command in the middle of its work (used by [`errln!`](crate::errln)).
pub fn write_err(args: fmt::Arguments<'_>) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// `eprintln!` that never panics: a failing stderr is ignored (see [`write_err`]).
#[macro_export]
macro_rules! errln {
    () => { $crate::cli::out::write_err(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::out::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}
