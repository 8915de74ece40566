#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Reads through slot paths stay contained: `octa info`, `octa slots`, the project's sample
//! reads and the UI previews never read or look at a file that a slot `PATH` leads to outside
//! the project and the set's `AUDIO` folders; they say "outside" instead.

mod common;
use common::copy_dir;
use octa::project::{OpenOptions, Project};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `root/SET/HELLO` (hello-flex, samples in `root/SET/AUDIO/projects/HELLO FLEX`) whose Flex 1
/// `PATH` is `evil`; `root/secret.wav` exists (a real WAV, outside the set).
fn hostile_hello(root: &Path, evil: &str) -> Option<PathBuf> {
    let proj = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    let set = root.join("SET");
    copy_dir(&proj, &set.join("HELLO"));
    copy_dir(&samples, &set.join("AUDIO/projects/HELLO FLEX"));
    fs::copy(samples.join("22SD.wav"), root.join("secret.wav")).unwrap();
    let pw = set.join("HELLO/project.work");
    let text = fs::read(&pw).unwrap();
    let from = b"PATH=../AUDIO/projects/HELLO FLEX/Electrokik.wav";
    let at = text.windows(from.len()).position(|w| w == from).unwrap();
    let mut edited = text[..at].to_vec();
    edited.extend_from_slice(format!("PATH={evil}").as_bytes());
    edited.extend_from_slice(&text[at + from.len()..]);
    fs::write(&pw, edited).unwrap();
    Some(set.join("HELLO"))
}

fn octa(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-contained-data"),
        )
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn info_slots_and_sample_reads_say_outside_and_never_look() {
    let d = tempfile::tempdir().unwrap();
    // Climbs out of the set to an existing WAV; and a symlink inside AUDIO pointing out.
    let Some(proj) = hostile_hello(d.path(), "../../secret.wav") else {
        return;
    };
    let (code, out, err) = octa(&["info".as_ref(), proj.as_os_str()]);
    assert_eq!(code, 0, "{out}{err}");
    let line = out
        .lines()
        .find(|l| l.contains("../../secret.wav"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.trim().starts_with("Flex 1"), "{line}");
    assert!(line.ends_with("(outside)"), "{line}");
    assert!(
        out.contains("samples outside the project and AUDIO folders: 1"),
        "{out}"
    );
    // The other 14 hello-flex slots are inside and present.
    assert!(out.contains("missing samples: 0"), "{out}");

    let (code, out, err) = octa(&["slots".as_ref(), proj.as_os_str()]);
    assert_eq!(code, 0, "{out}{err}");
    let line = out
        .lines()
        .find(|l| l.contains("secret.wav"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("OUTSIDE"), "{line}");
    assert_eq!(out.matches("OUTSIDE").count(), 1, "{out}");

    let p = Project::open(&proj, &OpenOptions::default()).unwrap();
    assert!(p.sample_outside("../../secret.wav"));
    assert_eq!(p.sample_path("../../secret.wav"), None);
    assert!(!p.sample_exists("../../secret.wav"), "never looked at");
    let e = p.read_sample("../../secret.wav").unwrap_err().to_string();
    assert!(e.contains("leads outside"), "{e}");
    // A path inside is still found, resolved.
    let inside = "../AUDIO/projects/HELLO FLEX/22SD.wav";
    assert!(!p.sample_outside(inside));
    assert!(p.sample_exists(inside));
    assert_eq!(
        p.read_sample(inside).unwrap().len() as u64,
        fs::metadata(d.path().join("secret.wav")).unwrap().len()
    );
}

#[test]
fn a_symlink_in_audio_leading_out_is_outside_too() {
    let d = tempfile::tempdir().unwrap();
    let Some(proj) = hostile_hello(d.path(), "../AUDIO/link.wav") else {
        return;
    };
    std::os::unix::fs::symlink(
        d.path().join("secret.wav"),
        d.path().join("SET/AUDIO/link.wav"),
    )
    .unwrap();
    let p = Project::open(&proj, &OpenOptions::default()).unwrap();
    assert!(p.sample_outside("../AUDIO/link.wav"));
    assert!(!p.sample_exists("../AUDIO/link.wav"));
    let (code, out, err) = octa(&["info".as_ref(), proj.as_os_str()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.lines()
            .any(|l| l.contains("link.wav") && l.ends_with("(outside)")),
        "{out}"
    );
}

#[test]
fn the_slots_view_shows_outside_and_refuses_to_preview() {
    let d = tempfile::tempdir().unwrap();
    let Some(proj) = hostile_hello(d.path(), "../../secret.wav") else {
        return;
    };
    let p = Project::open(&proj, &OpenOptions::default()).unwrap();
    let mut a = octa::ui::testing::app(p, "tracker");
    let i = a.views.iter().position(|v| v.info().id == "slots").unwrap();
    a.current = i;
    let screen = octa::ui::testing::screen(&mut a, 160, 50);
    assert!(
        screen.iter().any(|l| l.contains("outside")),
        "{}",
        screen.join("\n")
    );
    // Flex 1 is the first row: preview it.
    let keys: Vec<_> = a.keymap.keys("slots.preview").to_vec();
    a.key(keys[0]);
    let (m, err) = a.message.clone().unwrap();
    assert!(err && m.contains("leads outside"), "{m}");
}
