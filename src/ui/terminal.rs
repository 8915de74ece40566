//! Running the tracker in a real terminal: setup, the event loop, restore, and the panic report.

use super::app::App;
use super::keys::Chord;
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// How often the screen refreshes while something animates (playback).
const FRAME: Duration = Duration::from_millis(40);

fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(std::io::stdout(), DisableMouseCapture, LeaveAlternateScreen);
    restore_stderr();
}

/// The real stderr, saved while the tracker owns the screen (-1: not redirected).
#[cfg(target_os = "linux")]
static SAVED_STDERR: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

/// Where library chatter on stderr goes while the tracker draws.
pub fn stderr_log_path() -> PathBuf {
    crate::config::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("octa-stderr.log")
}

/// Sends stderr to [`stderr_log_path`] until the terminal is restored, so messages that libraries
/// print (ALSA's, when there is no sound card or MIDI system) cannot garble the screen.
pub fn redirect_stderr() {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let path = stderr_log_path();
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let Ok(file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
        else {
            return;
        };
        // SAFETY: plain descriptor calls on fd 2 and a file we own; failures leave stderr as it was.
        unsafe {
            let saved = libc::dup(2);
            if saved < 0 {
                return;
            }
            if libc::dup2(file.as_raw_fd(), 2) < 0 {
                libc::close(saved);
                return;
            }
            SAVED_STDERR.store(saved, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// Puts the real stderr back (no-op when it was not redirected).
fn restore_stderr() {
    #[cfg(target_os = "linux")]
    {
        let saved = SAVED_STDERR.swap(-1, std::sync::atomic::Ordering::SeqCst);
        if saved >= 0 {
            // SAFETY: `saved` is the descriptor dup'ed in `redirect_stderr`, closed only here.
            unsafe {
                libc::dup2(saved, 2);
                libc::close(saved);
            }
        }
    }
}

/// Where a panic report goes: the data dir, else the temp dir.
pub fn crash_report_path() -> PathBuf {
    let dir = crate::config::data_dir().unwrap_or_else(std::env::temp_dir);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    dir.join(format!("octa-crash-{stamp}.txt"))
}

fn install_panic_hook() {
    let ui_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        // A panic caught and turned into an error (a decoder bug on a damaged sample), or one on
        // a worker thread, must not tear the screen down under a tracker that keeps running:
        // log it (stderr goes to the log file while the tracker owns the screen).
        if crate::guard::is_catching() || std::thread::current().id() != ui_thread {
            eprintln!("octa: a panic was caught and reported as an error: {info}");
            return;
        }
        restore();
        let path = crash_report_path();
        let report = format!(
            "octa {} panicked: {info}\n\n{}\n",
            env!("CARGO_PKG_VERSION"),
            std::backtrace::Backtrace::force_capture()
        );
        let written = path
            .parent()
            .map(std::fs::create_dir_all)
            .map(|_| std::fs::write(&path, &report));
        match written {
            Some(Ok(())) => eprintln!(
                "octa crashed; the terminal was restored and a report was written to {}",
                path.display()
            ),
            _ => eprintln!("octa crashed (could not write a report file):\n{report}"),
        }
    }));
}

/// Runs the app until it quits. Blocks on input; wakes periodically only while animating.
pub fn run_terminal(app: &mut App) -> std::io::Result<()> {
    install_panic_hook();
    if let Err(e) = enable_raw_mode() {
        restore_stderr();
        return Err(e);
    }
    let mut out = std::io::stdout();
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    ) {
        restore();
        return Err(e);
    }
    let result = event_loop(app);
    restore();
    let _ = std::panic::take_hook();
    let _ = out.flush();
    result
}

fn event_loop(app: &mut App) -> std::io::Result<()> {
    let backend = CrosstermBackend::new(std::io::stdout());
    // No `Terminal::clear`: it asks the terminal for the cursor position, which some terminals
    // never answer; the alternate screen starts clear and the first frame draws every cell.
    let mut terminal = Terminal::new(backend)?;
    while !app.quit {
        app.tick();
        terminal.draw(|f| app.render(f))?;
        if app.animating() && !event::poll(FRAME)? {
            continue;
        }
        // Drain every pending event before the next redraw.
        loop {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    if let Some(c) = Chord::from_event(&k) {
                        app.key(c);
                    }
                }
                Event::Mouse(m) => match m.kind {
                    MouseEventKind::Down(MouseButton::Left) => app.mouse(m.column, m.row, 0),
                    MouseEventKind::ScrollUp => app.mouse(m.column, m.row, -1),
                    MouseEventKind::ScrollDown => app.mouse(m.column, m.row, 1),
                    _ => {}
                },
                Event::Resize(_, _) => {
                    terminal.autoresize()?;
                }
                _ => {}
            }
            if app.quit || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
    Ok(())
}
