#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The tracker's event loop and device honesty, on a test backend: keys do nothing while the
//! terminal is too small, background work redraws the screen with no key pressed, play and
//! panic say so when MIDI is unavailable, and keys desktops take have a second binding.

use octa::format::bank::Bank;
use octa::project::Project;
use octa::ui::App;
use octa::ui::engines::{EngineStatus, MidiControl, NO_PANIC, NO_PLAY};
use octa::ui::terminal::{Wake, WakeRoute, draw, pump};
use octa::ui::testing::{app, press, screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::channel;
use std::time::Duration;

fn view_id(a: &App) -> &'static str {
    a.views[a.current].info().id
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    let mut a = app(Project::new_blank("untitled"), "tracker");
    assert_eq!(view_id(&a), "pattern");
    let s = screen(&mut a, 39, 9).join("\n");
    assert!(s.contains("Terminal too small"), "{s}");
    press(&mut a, &["F5", "ctrl+n", "F1"]);
    assert_eq!(view_id(&a), "pattern", "no view switch while too small");
    assert_eq!(a.overlay, octa::ui::app::Overlay::None, "no help overlay");
    a.mouse(1, 1, 1);
    // Grown again, the same key works.
    let _ = screen(&mut a, 120, 30);
    press(&mut a, &["F5"]);
    assert_eq!(view_id(&a), "slots");
}

/// A MIDI engine stand-in that counts what reached "the device".
struct FakeMidi {
    status: EngineStatus,
    plays: Arc<AtomicUsize>,
    panics: Arc<AtomicUsize>,
}

impl MidiControl for FakeMidi {
    fn audition(&mut self, _: &Bank, _: (usize, usize), _: usize, _: u8, _: u8) {}
    fn panic(&mut self) {
        self.panics.fetch_add(1, Ordering::SeqCst);
    }
    fn toggle_play(&mut self, _: &Bank, _: (usize, usize)) -> bool {
        self.plays.fetch_add(1, Ordering::SeqCst);
        true
    }
    fn position(&self, _: usize) -> Option<usize> {
        None
    }
    fn status(&self) -> EngineStatus {
        self.status.clone()
    }
}

fn with_midi(status: EngineStatus) -> (App, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let mut a = app(Project::new_blank("untitled"), "tracker");
    let plays = Arc::new(AtomicUsize::new(0));
    let panics = Arc::new(AtomicUsize::new(0));
    a.ctx.engines.midi_control = Some(Box::new(FakeMidi {
        status,
        plays: plays.clone(),
        panics: panics.clone(),
    }));
    (a, plays, panics)
}

#[test]
fn play_and_panic_say_midi_is_unavailable() {
    let (mut a, plays, panics) = with_midi(EngineStatus::NotAvailable);
    press(&mut a, &["ctrl+space"]);
    assert_eq!(
        a.message,
        Some((
            "MIDI unavailable: cannot play to the device".to_string(),
            true
        ))
    );
    assert_eq!(plays.load(Ordering::SeqCst), 0, "nothing started");
    press(&mut a, &["ctrl+p"]);
    assert_eq!(a.message, Some((NO_PANIC.to_string(), true)));
    assert!(NO_PANIC.contains("nothing was sent"), "{NO_PANIC}");
    assert_eq!(panics.load(Ordering::SeqCst), 0);
    let s = screen(&mut a, 120, 30).join("\n");
    assert!(s.contains("MIDI unavailable"), "{s}");
    assert_eq!(NO_PLAY, "MIDI unavailable: cannot play to the device");
}

#[test]
fn play_and_panic_reach_a_connected_device() {
    let (mut a, plays, panics) = with_midi(EngineStatus::Ready("Octatrack".into()));
    press(&mut a, &["ctrl+space"]);
    assert_eq!(a.message, Some(("playing".to_string(), false)));
    press(&mut a, &["ctrl+p"]);
    assert_eq!(a.message, Some(("MIDI panic sent".to_string(), false)));
    assert_eq!(plays.load(Ordering::SeqCst), 1);
    assert_eq!(panics.load(Ordering::SeqCst), 1);
}

#[test]
fn keys_desktops_take_have_a_second_binding() {
    let mut a = app(Project::new_blank("untitled"), "tracker");
    let p = a.ctx.nav.pattern;
    press(&mut a, &["alt+right"]);
    assert_eq!(a.ctx.nav.pattern, p + 1, "alt+right: next pattern");
    press(&mut a, &["alt+left"]);
    assert_eq!(a.ctx.nav.pattern, p);
    let part = a.ctx.nav.part;
    press(&mut a, &["alt+shift+right"]);
    assert_eq!(a.ctx.nav.part, (part + 1) % 4, "alt+shift+right: next part");
    press(&mut a, &["alt+shift+left"]);
    assert_eq!(a.ctx.nav.part, part);
    press(&mut a, &["shift+F11"]);
    assert_eq!(view_id(&a), "samples");
    press(&mut a, &["shift+F12"]);
    assert_eq!(view_id(&a), "librarian");
    // The first bindings still work.
    press(&mut a, &["F11"]);
    assert_eq!(view_id(&a), "samples");
    for (action, second) in [
        ("app.pattern_next", "alt+right"),
        ("app.part_prev", "alt+shift+left"),
        ("pattern.rotate_down", "alt+shift+down"),
        ("pattern.rotate_up", "alt+shift+up"),
        ("view.samples", "shift+F11"),
        ("view.librarian", "shift+F12"),
    ] {
        let keys = a.keymap.keys_text(action);
        assert!(keys.contains(second), "{action}: {keys}");
    }
}

#[test]
fn finished_background_work_redraws_without_a_key() {
    let src = octa::testutil::corpus("ot/sample-settings/chain-16");
    let Some(src) = src else { return };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(src.join("valid-1.wav"), tmp.path().join("lone.wav")).unwrap();
    let mut a = app(Project::new_blank("untitled"), "tracker");
    press(&mut a, &["F11", "o"]);
    press(&mut a, &["backspace", "backspace", "backspace"]);
    octa::ui::testing::type_text(&mut a, &tmp.path().display().to_string());
    press(&mut a, &["enter"]);
    a.message = None;

    let (tx, rx) = channel::<Wake>();
    let _route = WakeRoute::new(tx.clone());
    let mut term = Terminal::new(TestBackend::new(100, 24)).unwrap();
    let text = |t: &Terminal<TestBackend>| {
        let b = t.backend().buffer();
        (0..b.area.height)
            .map(|y| {
                (0..b.area.width)
                    .map(|x| b[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let before = octa::wake::count();
    draw(&mut a, &mut term).unwrap();
    assert!(text(&term).contains("computing..."), "{}", text(&term));
    // A watchdog wakes the loop if nothing else does, and says so.
    let gave_up = Arc::new(AtomicBool::new(false));
    let flag = gave_up.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(60));
        flag.store(true, Ordering::SeqCst);
        let _ = tx.send(Wake::Background);
    });
    // No key: only background wake-ups reach the loop.
    while text(&term).contains("computing...") && !gave_up.load(Ordering::SeqCst) {
        assert!(pump(&mut a, &mut term, &rx).unwrap());
        draw(&mut a, &mut term).unwrap();
    }
    assert!(
        !gave_up.load(Ordering::SeqCst),
        "the peaks thread never woke the loop"
    );
    assert!(!text(&term).contains("computing..."), "{}", text(&term));
    assert!(octa::wake::count() > before);
}
