//! One thread reads the terminal for the whole process and hands each event to whoever listens
//! now (the tracker's event loop, or the start screen between two tracker runs). An event read
//! while nobody listens is kept for the next listener, so going back to the start screen from a
//! project loses no key.

use super::terminal::Wake;
use crossterm::event::{self, Event};
use std::sync::Mutex;
use std::sync::mpsc::Sender;

struct Route {
    to: Option<Sender<Wake>>,
    pending: Vec<Event>,
    started: bool,
}

static ROUTE: Mutex<Route> = Mutex::new(Route {
    to: None,
    pending: Vec::new(),
    started: false,
});

fn route() -> std::sync::MutexGuard<'static, Route> {
    match ROUTE.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// Sends terminal events to `tx` from now on (events kept while nobody listened first),
/// starting the reading thread on first use.
pub fn listen(tx: Sender<Wake>) -> std::io::Result<()> {
    let mut r = route();
    for e in std::mem::take(&mut r.pending) {
        let _ = tx.send(Wake::Input(e));
    }
    r.to = Some(tx);
    if r.started {
        return Ok(());
    }
    r.started = true;
    drop(r);
    std::thread::Builder::new()
        .name("octa-input".into())
        .spawn(|| {
            loop {
                let read = event::read();
                let mut r = route();
                match read {
                    Ok(e) => {
                        let to = r.to.clone();
                        match to {
                            Some(tx) => {
                                if let Err(std::sync::mpsc::SendError(Wake::Input(e))) =
                                    tx.send(Wake::Input(e))
                                {
                                    r.to = None;
                                    r.pending.push(e);
                                }
                            }
                            None => r.pending.push(e),
                        }
                    }
                    Err(e) => {
                        if let Some(tx) = r.to.take() {
                            let _ = tx.send(Wake::Failed(e));
                        }
                        r.started = false;
                        return;
                    }
                }
            }
        })
        .map(|_| ())
}
