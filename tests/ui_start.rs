#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The start screen (issue #19) in a TestBackend: it lists a set's projects with their last
//! change, tempo and missing samples, the banks in use of the one under the cursor, opens one
//! with Enter, deletes one to the trash after asking, and the back key is `ctrl+alt+o`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use octa::format::slot_attrs::SlotRef;
use octa::project::{Project, slots};
use octa::ui::views::start::{StartOutcome, StartScreen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::fs;
use std::path::Path;

fn screen(s: &mut StartScreen) -> String {
    let mut t = Terminal::new(TestBackend::new(140, 24)).unwrap();
    t.draw(|f| s.render(f, f.area())).unwrap();
    let buf = t.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn blank(dir: &Path, missing: bool) {
    let mut p = Project::new_blank(&dir.file_name().unwrap().to_string_lossy());
    if missing {
        slots::assign(&mut p, SlotRef::Flex(1), "../AUDIO/nope.wav", 100, 44100).unwrap();
        slots::assign(&mut p, SlotRef::Flex(2), "../AUDIO/here.wav", 100, 44100).unwrap();
    }
    p.save_as(dir).unwrap();
}

#[test]
fn lists_projects_opens_one_and_deletes_to_the_trash() {
    let Some(multipart) = octa::testutil::corpus("ot/multipart") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("LIVE SET");
    fs::create_dir_all(set.join("AUDIO")).unwrap();
    fs::write(set.join("AUDIO/here.wav"), b"RIFF").unwrap();
    blank(&set.join("ALPHA"), true);
    blank(&set.join("BETA"), false);
    // A project in use (from the device): bank A holds patterns with trigs.
    fs::create_dir_all(set.join("GAMMA")).unwrap();
    for f in ["project.work", "bank01.work"] {
        fs::copy(multipart.join(f), set.join("GAMMA").join(f)).unwrap();
    }
    let mut s = StartScreen::new(vec![set.clone()]);
    let text = screen(&mut s);
    assert!(text.contains("▸ LIVE SET"), "{text}");
    assert!(text.contains("3 projects"), "{text}");
    for name in ["ALPHA", "BETA", "GAMMA"] {
        assert!(text.contains(name), "{name}: {text}");
    }
    // The blank project's tempo (TEMPOx24=2880) and ALPHA's one missing sample of two.
    let alpha = text.lines().find(|l| l.contains("  ALPHA")).unwrap();
    assert!(alpha.contains("120.0"), "{alpha}");
    assert!(alpha.contains("1 of 2 missing"), "{alpha}");
    let beta = text.lines().find(|l| l.contains("  BETA")).unwrap();
    assert!(beta.contains("0 ok"), "{beta}");
    // The cursor starts on the first project; its banks: none in use.
    assert_eq!(s.selected(), Some(set.join("ALPHA").as_path()));
    assert!(text.contains("banks in use: none"), "{text}");
    s.key(key(KeyCode::Down));
    s.key(key(KeyCode::Down));
    let text = screen(&mut s);
    assert!(text.contains("banks in use: A"), "{text}");
    assert_eq!(
        s.key(key(KeyCode::Enter)),
        StartOutcome::Open(set.join("GAMMA"))
    );
    // Delete asks, names the project, and only `y` deletes (into the set's trash).
    s.key(key(KeyCode::Up));
    s.key(key(KeyCode::Char('d')));
    assert!(screen(&mut s).contains("Delete project BETA?"));
    s.key(key(KeyCode::Char('n')));
    assert!(set.join("BETA").is_dir());
    s.key(key(KeyCode::Char('d')));
    s.key(key(KeyCode::Char('y')));
    assert!(!set.join("BETA").exists());
    let text = screen(&mut s);
    assert!(text.contains("moved to the trash"), "{text}");
    assert!(!text.contains("  BETA "), "{text}");
    assert_eq!(s.projects(), 2);
    // Rename by the device's rules: a refused character is named and the name stays to fix.
    s.key(key(KeyCode::Char('m')));
    for c in "€".chars() {
        s.key(key(KeyCode::Char(c)));
    }
    s.key(key(KeyCode::Enter));
    let text = screen(&mut s);
    assert!(text.contains("rename to: ALPHA€"), "{text}");
    assert!(
        text.contains("character '€' (U+20AC) at position 6"),
        "{text}"
    );
    assert!(set.join("ALPHA").is_dir());
    s.key(key(KeyCode::Backspace));
    for c in " LIVE".chars() {
        s.key(key(KeyCode::Char(c)));
    }
    s.key(key(KeyCode::Enter));
    assert!(set.join("ALPHA LIVE").is_dir() && !set.join("ALPHA").exists());
    assert_eq!(s.selected(), Some(set.join("ALPHA LIVE").as_path()));
    // A new blank project in the cursor's set.
    s.key(key(KeyCode::Char('n')));
    for c in "DELTA".chars() {
        s.key(key(KeyCode::Char(c)));
    }
    s.key(key(KeyCode::Enter));
    assert!(octa::project::sets::is_project(&set.join("DELTA")));
    assert!(screen(&mut s).contains("  DELTA"));
    assert_eq!(s.projects(), 3);
    assert_eq!(s.key(key(KeyCode::Char('q'))), StartOutcome::Quit);
}

#[test]
fn an_empty_folder_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = StartScreen::new(vec![tmp.path().to_path_buf()]);
    let text = screen(&mut s);
    assert!(text.contains("No project found here"), "{text}");
    assert_eq!(s.key(key(KeyCode::Enter)), StartOutcome::Stay);
}
