//! Helpers for tests and benches: an app with built-in settings, screens as text, key sequences.

use super::app::App;
use super::keys::Chord;
use super::model::Document;
use super::view::Ctx;
use crate::project::Project;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// An app over a project with the built-in theme and keymap (no user config is read), on the
/// first pattern that has trigs.
pub fn app(project: Project, keymap: &str) -> App {
    let mut ctx = Ctx::new(Document::new(project));
    if let Some((b, p)) = super::pattern::first_pattern_with_trigs(&ctx.doc) {
        ctx.nav.bank = b;
        ctx.nav.pattern = p;
    }
    let mut app = App::new(ctx, keymap, None);
    app.sync_part();
    app.message = None;
    app
}

/// Renders the app into a buffer of the given size.
pub fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut term = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => match e {},
    };
    let _ = term.draw(|f| app.render(f));
    term.backend().buffer().clone()
}

/// The buffer's lines as text.
pub fn lines(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

/// Renders and returns the screen as lines.
pub fn screen(app: &mut App, width: u16, height: u16) -> Vec<String> {
    lines(&render(app, width, height))
}

/// Presses keys written as in keymaps (`space`, `ctrl+s`, `z`); panics on a bad key name.
pub fn press(app: &mut App, keys: &[&str]) {
    for k in keys {
        match Chord::parse(k) {
            Ok(c) => app.key(c),
            Err(e) => panic!("bad key {k}: {e}"),
        }
    }
}

/// Types text as plain keys.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.key(Chord::char(c));
    }
}

/// A corpus project (`ot/multipart`, ...) opened for a test; `None` (skipped) without the corpus.
pub fn open_corpus(rel: &str) -> Option<Project> {
    let path = crate::testutil::corpus(rel)?;
    Some(
        Project::open(&path, &crate::project::OpenOptions::default())
            .unwrap_or_else(|e| panic!("corpus project {rel} opens: {e}")),
    )
}

/// Presses `key`, which must open a prompt, types `text` after what the prompt holds and
/// presses Enter.
pub fn answer(app: &mut App, key: &str, text: &str) {
    press(app, &[key]);
    assert!(
        matches!(app.overlay, super::app::Overlay::Prompt { .. }),
        "{key} asks"
    );
    type_text(app, text);
    press(app, &["enter"]);
}
