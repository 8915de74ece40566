//! Running the tracker in a real terminal: setup, the event loop, restore, and the panic report.

use super::app::App;
use super::keys::Chord;
use crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::backend::CrosstermBackend;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
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
#[allow(unsafe_code, reason = "stderr is redirected with dup/dup2 on fd 2")]
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
#[allow(unsafe_code, reason = "stderr is put back with dup2/close")]
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
            crate::errln!("octa: a panic was caught and reported as an error: {info}");
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
            Some(Ok(())) => crate::errln!(
                "octa crashed; the terminal was restored and a report was written to {}",
                path.display()
            ),
            _ => crate::errln!("octa crashed (could not write a report file):\n{report}"),
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

/// What wakes the event loop: terminal input (read on its own thread) or background work.
#[doc(hidden)]
pub enum Wake {
    /// A terminal event.
    Input(Event),
    /// A background thread published a result (see [`crate::wake`]).
    Background,
    /// Reading the terminal failed.
    Failed(std::io::Error),
}

/// Routes [`crate::wake::wake`] calls into the event loop's channel until dropped.
#[doc(hidden)]
pub struct WakeRoute;

impl WakeRoute {
    /// Makes background wake-ups arrive on `tx` as [`Wake::Background`].
    pub fn new(tx: Sender<Wake>) -> Self {
        let tx = Mutex::new(tx);
        crate::wake::set(Some(Box::new(move || {
            if let Ok(tx) = tx.lock() {
                let _ = tx.send(Wake::Background);
            }
        })));
        WakeRoute
    }
}

impl Drop for WakeRoute {
    fn drop(&mut self) {
        crate::wake::set(None);
    }
}

fn handle<B: Backend>(app: &mut App, terminal: &mut Terminal<B>, e: Event) -> std::io::Result<()> {
    match e {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            super::views::start::intercept(app, &k);
            if let Some(c) = Chord::from_event(&k) {
                app.key(c);
            }
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => app.mouse(m.column, m.row, 0),
            MouseEventKind::Down(MouseButton::Right) => {
                super::audition::header_click(app, m.column, m.row, true);
            }
            MouseEventKind::ScrollUp => app.mouse(m.column, m.row, -1),
            MouseEventKind::ScrollDown => app.mouse(m.column, m.row, 1),
            _ => {}
        },
        Event::Resize(_, _) => {
            terminal
                .autoresize()
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        _ => {}
    }
    Ok(())
}

fn event_loop(app: &mut App) -> std::io::Result<()> {
    // Colour changes are sent only where the pen changes, and a frame in one write.
    let backend = CrosstermBackend::new(super::sgr_writer::SgrWriter::new(std::io::stdout()));
    // No `Terminal::clear`: it asks the terminal for the cursor position, which some terminals
    // never answer; the alternate screen starts clear and the first frame draws every cell.
    let mut terminal = Terminal::new(backend)?;
    let (tx, rx) = channel::<Wake>();
    let _route = WakeRoute::new(tx.clone());
    // One reader thread for the process (the start screen reads through it too).
    super::input_route::listen(tx)?;
    // For measuring start-up (scripts/bench-startup.sh): quit once the first frame is out.
    let first_frame_only = std::env::var_os("OCTA_EXIT_AFTER_FIRST_FRAME").is_some();
    loop {
        draw(app, &mut terminal)?;
        if first_frame_only {
            return Ok(());
        }
        if app.quit || !pump(app, &mut terminal, &rx)? {
            return Ok(());
        }
    }
}

/// Takes in background results and draws a frame.
#[doc(hidden)]
pub fn draw<B: Backend>(app: &mut App, terminal: &mut Terminal<B>) -> std::io::Result<()> {
    app.tick();
    terminal
        .draw(|f| app.render(f))
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(())
}

/// Sleeps until input or background work arrives (or the next frame while animating), then
/// handles everything already waiting, so a burst is applied before the next frame. False when
/// the channel closed (nothing can wake the loop any more).
#[doc(hidden)]
pub fn pump<B: Backend>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    rx: &Receiver<Wake>,
) -> std::io::Result<bool> {
    let first = if app.animating() {
        match rx.recv_timeout(FRAME) {
            Ok(w) => w,
            Err(RecvTimeoutError::Timeout) => return Ok(true),
            Err(RecvTimeoutError::Disconnected) => return Ok(false),
        }
    } else {
        match rx.recv() {
            Ok(w) => w,
            Err(_) => return Ok(false),
        }
    };
    let mut next = Some(first);
    while let Some(w) = next {
        match w {
            Wake::Input(e) => handle(app, terminal, e)?,
            Wake::Background => {}
            Wake::Failed(e) => return Err(e),
        }
        if app.quit {
            break;
        }
        next = rx.try_recv().ok();
    }
    Ok(true)
}
