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
    std::panic::set_hook(Box::new(|info| {
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
    enable_raw_mode()?;
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
