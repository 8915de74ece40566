#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Every command that prints, run as the built binary with its stdout closed
//! (before the first write, and after the first line was read) and with stdout
//! on `/dev/full`: a closed pipe ends the printing quietly and the command keeps
//! its own exit code and finishes its work; a full stdout is an error on stderr
//! and exit 1. Never a panic (exit 101).

mod common;
use common::copy_dir;
use octa::testutil::corpus;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Sink {
    /// The reader is dropped before the command writes anything.
    Closed,
    /// One line is read, then the reader is dropped.
    FirstLine,
    /// stdout is `/dev/full`: every write fails with ENOSPC.
    Full,
}

const SINKS: [Sink; 3] = [Sink::Closed, Sink::FirstLine, Sink::Full];

/// Runs `cmd` with stdout going to `sink`; returns (exit code, stderr).
fn run(mut cmd: Command, sink: Sink) -> (Option<i32>, String) {
    cmd.stderr(Stdio::piped());
    match sink {
        Sink::Full => {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            cmd.stdout(Stdio::from(full));
        }
        _ => {
            cmd.stdout(Stdio::piped());
        }
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take();
    if let (Sink::FirstLine, Some(out)) = (sink, stdout) {
        let mut reader = BufReader::new(out);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        drop(reader);
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn octa() -> Command {
    Command::new(env!("CARGO_BIN_EXE_octa"))
}

/// Asserts the outcome of one run: no panic; a closed pipe keeps `code`; a
/// full stdout is exit 1 with the reason on stderr.
fn assert_outcome(what: &str, sink: Sink, got: (Option<i32>, String), code: i32) {
    let (status, err) = got;
    assert!(
        !err.contains("panicked"),
        "{what} ({sink:?}) panicked: {err}"
    );
    match sink {
        Sink::Full => {
            assert_eq!(status, Some(1), "{what} with stdout on /dev/full: {err}");
            assert!(
                err.contains("octa: writing the output failed: No space left on device"),
                "{what} with stdout on /dev/full says why: {err}"
            );
        }
        _ => assert_eq!(status, Some(code), "{what} ({sink:?}): {err}"),
    }
}

/// Runs a command built by `make` under every sink and checks the outcome.
fn each_sink(what: &str, code: i32, make: impl Fn() -> Command) {
    for sink in SINKS {
        assert_outcome(what, sink, run(make(), sink), code);
    }
}

fn p(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Every file under `dir` (relative path -> bytes), ignoring octa's backups.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn go(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let path = e.path();
            if e.file_name().to_string_lossy().starts_with(".octa") {
                continue;
            }
            if path.is_dir() {
                go(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    go(dir, dir, &mut out);
    out
}

#[test]
fn project_commands_survive_closed_and_full_stdout() {
    let Some(blank) = corpus("ot/blank-1.40B") else {
        return;
    };
    let Some(ot) = corpus("ot") else {
        return;
    };
    let Some(wav) = corpus("audio/sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();

    each_sink("check -v", 0, || {
        let mut c = octa();
        c.args(["check", "-v", &p(&ot)]);
        c
    });
    each_sink("check", 0, || {
        let mut c = octa();
        c.args(["check", &p(&blank)]);
        c
    });
    each_sink("info", 0, || {
        let mut c = octa();
        c.args(["info", &p(&blank)]);
        c
    });
    each_sink("slots", 0, || {
        let mut c = octa();
        c.args(["slots", &p(&blank)]);
        c
    });
    each_sink("dump", 0, || {
        let mut c = octa();
        c.args(["dump", "-b", "A", "-p", "1", &p(&blank)]);
        c
    });
    each_sink("dump --format json", 0, || {
        let mut c = octa();
        c.args(["dump", "-b", "A", "-p", "1", "--format", "json", &p(&blank)]);
        c
    });
    each_sink("export -", 0, || {
        let mut c = octa();
        c.args(["export", &p(&blank), "-"]);
        c
    });
    each_sink("audio info", 0, || {
        let mut c = octa();
        c.args(["audio", "info", &p(&wav)]);
        c
    });
    // A command that fails keeps its own exit code when the pipe closes.
    each_sink("check of a missing path", 1, || {
        let mut c = octa();
        c.args(["check", &p(&t.join("nothing-here"))]);
        c
    });

    // Commands that write files: the files are complete whatever happened to stdout.
    let json = t.join("blank.json");
    let o = octa()
        .args(["export", &p(&blank), &p(&json)])
        .output()
        .unwrap();
    assert!(o.status.success());
    let blank_tree = tree(&blank);
    for (i, sink) in SINKS.into_iter().enumerate() {
        let made = t.join(format!("new{i}"));
        let mut c = octa();
        c.args(["new", &p(&made)]);
        assert_outcome("new", sink, run(c, sink), 0);
        assert_eq!(
            tree(&made),
            blank_tree,
            "new ({sink:?}) wrote the blank project"
        );

        let imported = t.join(format!("imported{i}"));
        let mut c = octa();
        c.args(["import", &p(&json), &p(&imported)]);
        assert_outcome("import", sink, run(c, sink), 0);
        assert_eq!(tree(&imported), blank_tree, "import ({sink:?})");

        // The demo set is written whole: `octa check` finds it clean afterwards.
        let demo = t.join(format!("demo{i}"));
        let mut c = octa();
        c.args(["demo", "--generate-only", &p(&demo)]);
        assert_outcome("demo", sink, run(c, sink), 0);
        let o = octa().args(["check", &p(&demo)]).output().unwrap();
        let report = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            o.status.success() && report.contains(" 0 errors, 0 warnings"),
            "demo ({sink:?}): {report}"
        );

        let resaved = t.join(format!("resaved{i}"));
        let mut c = octa();
        c.args(["resave", &p(&blank), &p(&resaved)]);
        assert_outcome("resave", sink, run(c, sink), 0);
        assert_eq!(tree(&resaved), blank_tree, "resave ({sink:?})");
    }
}

/// Two sets: `a` holding hello-flex with its samples, `b` multipart with an empty pool
/// (so a copy from one to the other copies sample files too).
fn copy_sets(root: &Path) -> Option<(PathBuf, PathBuf)> {
    let hello = corpus("ot/hello-flex/project")?;
    let samples = corpus("ot/hello-flex/samples")?;
    let multi = corpus("ot/multipart")?;
    copy_dir(&hello, &root.join("a/HELLO"));
    copy_dir(&samples, &root.join("a/AUDIO/projects/HELLO FLEX"));
    copy_dir(&multi, &root.join("b/MULTI"));
    std::fs::create_dir_all(root.join("b/AUDIO")).unwrap();
    Some((root.join("a/HELLO"), root.join("b/MULTI")))
}

#[test]
fn copy_finishes_its_files_when_stdout_closes_or_fills() {
    let tmp = tempfile::tempdir().unwrap();
    // The reference: the same copy with stdout read to the end.
    let Some((src, dst)) = copy_sets(&tmp.path().join("ref")) else {
        return;
    };
    let o = octa()
        .args(["copy", &format!("{}:A", p(&src)), &format!("{}:B", p(&dst))])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{printed}");
    assert!(
        printed.contains("copied ") && printed.lines().count() > 3,
        "the reference copy prints its plan and files: {printed}"
    );
    let want = tree(&tmp.path().join("ref"));
    let copied: Vec<_> = want
        .keys()
        .filter(|k| k.starts_with("b/AUDIO") && k.to_string_lossy().ends_with(".wav"))
        .collect();
    assert!(copied.len() >= 10, "the samples came along: {copied:?}");

    for (i, sink) in SINKS.into_iter().enumerate() {
        let root = tmp.path().join(format!("run{i}"));
        let (src, dst) = copy_sets(&root).unwrap();
        let mut c = octa();
        c.args(["copy", &format!("{}:A", p(&src)), &format!("{}:B", p(&dst))]);
        assert_outcome("copy", sink, run(c, sink), 0);
        assert_eq!(
            tree(&root),
            want,
            "copy with stdout {sink:?} left the same files as the reference"
        );
    }

    // slots prints one line per slot.
    let dst = tmp.path().join("ref/b/MULTI");
    each_sink("slots", 0, || {
        let mut c = octa();
        c.args(["slots", &p(&dst)]);
        c
    });
}

fn librarian(data: &Path) -> Command {
    let mut c = octa();
    c.env("OCTA_DATA_DIR", data)
        .env("OCTA_CONFIG_DIR", data.join("config"))
        .arg("librarian");
    c
}

#[test]
fn librarian_survives_closed_and_full_stdout() {
    let Some(dx7) = corpus("sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for (i, sink) in SINKS.into_iter().enumerate() {
        let data = tmp.path().join(format!("data{i}"));
        let mut c = librarian(&data);
        c.args(["import", &p(&dx7)]);
        assert_outcome("librarian import", sink, run(c, sink), 0);
        // The import went in whole: 32 voices listed.
        let o = librarian(&data).arg("list").output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains("32 patch(es)"), "import ({sink:?}): {text}");

        let mut c = librarian(&data);
        c.arg("list");
        assert_outcome("librarian list", sink, run(c, sink), 0);

        let syx = tmp.path().join(format!("out{i}.syx"));
        let mut c = librarian(&data);
        c.args(["export", "import:1", &p(&syx)]);
        assert_outcome("librarian export", sink, run(c, sink), 0);
        assert_eq!(
            std::fs::read(&syx).unwrap(),
            std::fs::read(&dx7).unwrap(),
            "the export is the whole bulk dump ({sink:?})"
        );

        let mut c = librarian(&data);
        c.arg("devices");
        assert_outcome("librarian devices", sink, run(c, sink), 0);
    }
}
