#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa export` streams: the streamed document is byte for byte the one built in memory
//! (`serde_json::to_vec_pretty` of `ProjectJson::from_project`), on stdout and in a file;
//! `--compact` imports back byte-exact; `durable::write_file_streaming` is atomic under a
//! failure injected at every operation, a crash at every operation, a full disk after any
//! number of bytes and a failing producer.

use octa::format::bank::TrigMask;
use octa::project::durable::{self, Fault, Recorder};
use octa::project::json::{ProjectJson, ProjectJsonStream};
use octa::project::{FileId, OpenOptions, Project, ProjectError};
use octa::testutil::corpus;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

/// A scratch folder, in memory when `/dev/shm` exists (fsync there costs nothing).
fn scratch() -> tempfile::TempDir {
    match tempfile::tempdir_in("/dev/shm") {
        Ok(t) => t,
        Err(_) => tempfile::tempdir().unwrap(),
    }
}

fn octa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-stream-test-data"),
        )
        .output()
        .unwrap()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn open(dir: &Path) -> Project {
    Project::open(
        dir,
        &OpenOptions {
            project: None,
            read_only: true,
        },
    )
    .unwrap()
}

/// The project's Octatrack files, name -> bytes.
fn ot_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| FileId::from_file_name(n).is_some())
        .map(|n| (n.clone(), fs::read(dir.join(&n)).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn the_streamed_export_is_the_in_memory_document_byte_for_byte() {
    let Some(ot) = corpus("ot") else { return };
    let t = scratch();
    for name in [
        "blank-1.40B",
        "template-1.40B",
        "multipart",
        "hello-flex/project",
    ] {
        let src = ot.join(name);
        let doc = ProjectJson::from_project(&open(&src)).unwrap();
        let pretty = serde_json::to_vec_pretty(&doc).unwrap();
        let compact = serde_json::to_vec(&doc).unwrap();
        assert!(pretty.len() > 10_000, "{name}: {} bytes", pretty.len());

        // In process, both forms.
        let p_ = open(&src);
        let s = ProjectJsonStream::new(&p_);
        let mut got = Vec::new();
        s.write(&mut got, false, Path::new("-")).unwrap();
        assert!(got == pretty, "{name}: streamed pretty differs");
        let mut got = Vec::new();
        s.write(&mut got, true, Path::new("-")).unwrap();
        assert!(got == compact, "{name}: streamed compact differs");

        // Through the CLI: stdout ends with one line break (as before), a file has none.
        let o = octa(&["export", p(&src), "-"]);
        assert!(o.status.success(), "{name}");
        assert_eq!(o.stdout.len(), pretty.len() + 1, "{name}");
        assert!(o.stdout[..pretty.len()] == pretty[..] && o.stdout.ends_with(b"}\n"));
        let file = t.path().join(format!("{}.json", name.replace('/', "-")));
        let o = octa(&["export", p(&src), p(&file)]);
        assert!(o.status.success(), "{name}");
        assert!(fs::read(&file).unwrap() == pretty, "{name}: file differs");

        // --compact: smaller, no line break, and imports back byte-exact.
        let o = octa(&["export", "--compact", p(&src), p(&file)]);
        assert!(o.status.success(), "{name}");
        let c = fs::read(&file).unwrap();
        assert!(c == compact && !c.contains(&b'\n') && c.len() < pretty.len() / 2);
        let dir = t.path().join(format!("imp-{}", name.replace('/', "-")));
        let o = octa(&["import", p(&file), p(&dir)]);
        assert!(o.status.success(), "{name}");
        assert_eq!(ot_files(&dir), ot_files(&src), "{name}: not byte-exact");
    }
}

#[test]
fn a_trig_mask_is_one_json_string() {
    // Steps 1, 17 and 64 set: groups of 16 separated by spaces (written out independently).
    let m = TrigMask(1 | 1 << 16 | 1 << 63);
    let (a, b) = ("-".repeat(15), "-".repeat(16));
    let want = format!("\"x{a} x{a} {b} {a}x\"");
    assert_eq!(serde_json::to_string(&m).unwrap(), want);
    assert_eq!(want.len(), 64 + 3 + 2);
    let back: TrigMask = serde_json::from_str(&want).unwrap();
    assert_eq!(back, m);
}

const OLD: &[u8] = b"{\"old\": true}";

/// A producer writing 200,000 bytes in uneven pieces (several buffer flushes).
fn produce(w: &mut dyn Write) -> Result<(), ProjectError> {
    for i in 0..200u32 {
        let piece = vec![b'a' + (i % 26) as u8; 1000];
        w.write_all(&piece)
            .map_err(|e| ProjectError::io("producer", e))?;
    }
    Ok(())
}

fn new_bytes() -> Vec<u8> {
    let mut v = Vec::new();
    produce(&mut v).unwrap();
    v
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn write(out: &Path, fault: Fault) -> (Result<(), String>, Vec<durable::Op>) {
    let rec = Recorder::new(fault);
    let r = durable::with_recorder(&rec, || durable::write_file_streaming(out, produce));
    (r.map_err(|e| e.to_string()), rec.ops())
}

#[test]
fn a_streamed_write_is_atomic_under_every_failure() {
    let t = scratch();
    let out = t.path().join("doc.json");
    fs::write(&out, OLD).unwrap();
    let new = new_bytes();
    let (r, ops) = write(&out, Fault::None);
    r.unwrap();
    assert!(fs::read(&out).unwrap() == new);
    assert_eq!(names(t.path()), ["doc.json"]);
    // Buffered: a few large writes, then fsync, rename over the target, fsync of the folder.
    let writes = ops
        .iter()
        .filter(|o| matches!(o, durable::Op::Write(..)))
        .count();
    assert!((3..=8).contains(&writes), "{writes} writes: {ops:?}");
    let tail: Vec<_> = ops[ops.len() - 3..].to_vec();
    assert!(
        matches!(&tail[..], [durable::Op::SyncFile(_), durable::Op::Rename(_, to), durable::Op::SyncDir(d)] if to == &out && d == t.path()),
        "{tail:?}"
    );

    let mut points = 0;
    for (i, op) in ops.iter().enumerate() {
        fs::write(&out, OLD).unwrap();
        let (r, _) = write(&out, Fault::Once(i));
        let e = r.expect_err(&format!("operation {i} ({op:?}) failed silently"));
        assert!(e.contains("injected"), "{e}");
        let now = fs::read(&out).unwrap();
        // Only the final folder fsync comes after the rename.
        let want: &[u8] = if i == ops.len() - 1 { &new } else { OLD };
        assert!(now == want, "failure at {i} ({op:?}): {} bytes", now.len());
        assert_eq!(names(t.path()), ["doc.json"], "no temp left at {i}");
        points += 1;

        // A crash: nothing more reaches the disk, the target is whole (old or new).
        fs::write(&out, OLD).unwrap();
        let (r, _) = write(&out, Fault::CrashAt(i));
        assert!(r.is_err());
        let now = fs::read(&out).unwrap();
        assert!(
            now == OLD || now == new,
            "crash at {i}: {} bytes",
            now.len()
        );
        for n in names(t.path()) {
            if n != "doc.json" {
                fs::remove_file(t.path().join(n)).unwrap();
            }
        }
        points += 1;
    }
    for bytes in [0, 1, 65_535, 65_536, 199_999] {
        fs::write(&out, OLD).unwrap();
        let (r, _) = write(&out, Fault::AfterBytes(bytes));
        assert!(r.unwrap_err().contains("no space"), "full after {bytes}");
        assert_eq!(fs::read(&out).unwrap(), OLD, "full after {bytes}");
        assert_eq!(names(t.path()), ["doc.json"], "no temp left");
        points += 1;
    }
    eprintln!("streamed write: {points} failure points covered");
    assert!(points >= 15);
}

#[test]
fn a_failing_producer_leaves_the_target_and_no_temp() {
    let t = scratch();
    let out = t.path().join("doc.json");
    fs::write(&out, OLD).unwrap();
    let r = durable::write_file_streaming(&out, |w| {
        w.write_all(&[b'x'; 100_000])
            .map_err(|e| ProjectError::io("producer", e))?;
        Err(ProjectError::io(
            "bank03.work",
            std::io::Error::other("bad bank at byte 12"),
        ))
    });
    let e = r.unwrap_err().to_string();
    assert!(e.contains("bank03.work") && e.contains("byte 12"), "{e}");
    assert_eq!(fs::read(&out).unwrap(), OLD);
    assert_eq!(names(t.path()), ["doc.json"]);
}

#[test]
fn an_export_into_a_full_disk_keeps_the_old_file() {
    let Some(src) = corpus("ot/blank-1.40B") else {
        return;
    };
    let t = scratch();
    let out = t.path().join("blank.json");
    fs::write(&out, OLD).unwrap();
    let p_ = open(&src);
    let full = serde_json::to_vec_pretty(&ProjectJson::from_project(&p_).unwrap()).unwrap();
    for bytes in [0, 100_000, full.len() as u64 - 1] {
        let rec = Recorder::new(Fault::AfterBytes(bytes));
        let r = durable::with_recorder(&rec, || {
            durable::write_file_streaming(&out, |w| {
                ProjectJsonStream::new(&p_).write(w, false, &out)
            })
        });
        let e = r.unwrap_err().to_string();
        assert!(e.contains("no space") && e.contains("blank.json"), "{e}");
        assert_eq!(fs::read(&out).unwrap(), OLD);
        assert_eq!(names(t.path()), ["blank.json"]);
    }
}
