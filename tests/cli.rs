//! The `octa` command line, run as a process: check, resave, new, info, export/import, dump, demo.

use octa::testutil::corpus;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn octa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-cli-test-data"),
        )
        .output()
        .expect("run octa")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every file under `dir`, relative path -> bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn go(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                go(root, &e, out);
            } else {
                out.push((
                    e.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&e).unwrap(),
                ));
            }
        }
    }
    go(dir, dir, &mut out);
    out.sort();
    out
}

#[track_caller]
fn assert_same_tree(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    let names = |f: &[(PathBuf, Vec<u8>)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb));
    for ((n, x), (_, y)) in fa.iter().zip(&fb) {
        if x != y {
            let at = x.iter().zip(y).position(|(p, q)| p != q);
            panic!(
                "{}: differs (lengths {} / {}, first at {at:?})",
                n.display(),
                x.len(),
                y.len()
            );
        }
    }
}

#[test]
fn check_accepts_the_whole_corpus_and_lists_the_bad_checksum() {
    let Some(ot) = corpus("ot") else { return };
    let o = octa(&["check", p(&ot)]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    // the hand-edited arrangement: a warning naming file, offset and both sums, not a failure
    let line = t
        .lines()
        .find(|l| l.contains("full_options.work"))
        .unwrap_or_else(|| panic!("{t}"));
    assert!(
        line.contains("warning")
            && line.contains("11334")
            && line.contains("0x52E3")
            && line.contains("0x8129"),
        "{line}"
    );
    assert!(t.contains("0 errors"), "{t}");
}

#[test]
fn resave_is_byte_identical_for_every_corpus_file() {
    let Some(ot) = corpus("ot") else { return };
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let o = octa(&["resave", p(&ot), p(&out)]);
    let msg = text(&o);
    assert!(o.status.success(), "{msg}");
    assert!(msg.contains(" 0 changed"), "{msg}");
    assert_same_tree(&ot, &out);
    // through a zip and back
    let zip = t.path().join("ot.zip");
    let o = octa(&["resave", p(&ot), p(&zip)]);
    assert!(o.status.success(), "{}", text(&o));
    let back = t.path().join("back");
    let o = octa(&["resave", p(&zip), p(&back)]);
    assert!(o.status.success(), "{}", text(&o));
    assert_same_tree(&ot, &back);
    // a single file
    let one = t.path().join("one.work");
    let src = ot.join("arrangements/full_options.work");
    let o = octa(&["resave", p(&src), p(&one)]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(fs::read(&one).unwrap(), fs::read(&src).unwrap());
    // an existing destination is refused
    let o = octa(&["resave", p(&src), p(&one)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("one.work"));
}

/// Writes `bytes` as `dir/<case>/<name>`; returns the file's path.
fn put(dir: &Path, case: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let d = dir.join(case);
    fs::create_dir_all(&d).unwrap();
    let f = d.join(name);
    fs::write(&f, bytes).unwrap();
    f
}

#[test]
fn check_reports_every_bad_input_with_file_and_place() {
    let Some(blank) = corpus("ot/blank-1.40B") else {
        return;
    };
    let Some(ot_file) = corpus("ot/sample-settings/16slices.ot") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let bad = t.path().join("bad");
    // (case, expected fragment of its line)
    let mut cases: Vec<(PathBuf, String)> = Vec::new();
    let sources = [
        (
            "bank01.work",
            fs::read(blank.join("bank01.work")).unwrap(),
            "BANK",
        ),
        (
            "markers.work",
            fs::read(blank.join("markers.work")).unwrap(),
            "SAMP",
        ),
        (
            "arr01.work",
            fs::read(blank.join("arr01.work")).unwrap(),
            "ARRA",
        ),
        ("x.ot", fs::read(&ot_file).unwrap(), "SMPA"),
    ];
    for (name, bytes, _) in &sources {
        let n = bytes.len();
        for cut in [0, 1, 15, 21, 22, 23, 100, n / 2, n - 3, n - 2, n - 1] {
            let f = put(&bad, &format!("{name}-cut{cut}"), name, &bytes[..cut]);
            let expect = if (4..22).contains(&cut) {
                // the header is checked first: at a byte, or the size
                String::new()
            } else {
                format!("found {cut} bytes")
            };
            cases.push((f, expect));
        }
        let mut longer = bytes.clone();
        longer.push(0);
        cases.push((
            put(&bad, &format!("{name}-long"), name, &longer),
            format!("found {} bytes", n + 1),
        ));
        let mut magic = bytes.clone();
        magic[0] = b'X';
        cases.push((
            put(&bad, &format!("{name}-magic"), name, &magic),
            "at byte 0".into(),
        ));
        let mut tag = bytes.clone();
        tag[12..16].copy_from_slice(b"WXYZ");
        cases.push((
            put(&bad, &format!("{name}-tag"), name, &tag),
            "at byte 12".into(),
        ));
        let mut version = bytes.clone();
        version[21] = version[21].wrapping_sub(1);
        cases.push((
            put(&bad, &format!("{name}-version"), name, &version),
            "at byte 21".into(),
        ));
        // random bytes of the right size
        let mut seed = 0x1234_5678u32;
        let random: Vec<u8> = (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect();
        cases.push((
            put(&bad, &format!("{name}-random"), name, &random),
            "at byte 0".into(),
        ));
    }
    // project.work: truncated at several lines, a wrong version, random bytes, empty
    let pw = fs::read(blank.join("project.work")).unwrap();
    let pw_text = String::from_utf8(pw.clone()).unwrap();
    cases.push((put(&bad, "pw-empty", "project.work", b""), "line".into()));
    cases.push((
        put(
            &bad,
            "pw-version",
            "project.work",
            pw_text.replace("VERSION=19", "VERSION=18").as_bytes(),
        ),
        "line 7".into(),
    ));
    cases.push((
        put(
            &bad,
            "pw-type",
            "project.work",
            pw_text
                .replace("TYPE=OCTATRACK DPS-1 PROJECT", "TYPE=OTHER")
                .as_bytes(),
        ),
        "line 6".into(),
    ));
    cases.push((
        put(
            &bad,
            "pw-random",
            "project.work",
            &[0xFF, 0x00, 0x13, 0x37, b'\n', 1, 2],
        ),
        "line".into(),
    ));
    cases.push((
        put(&bad, "pw-cut", "project.work", &pw[..200]),
        "line".into(),
    ));
    // a folder where a file should be
    fs::create_dir_all(bad.join("dir-case/bank02.work")).unwrap();
    cases.push((bad.join("dir-case/bank02.work"), "found a folder".into()));
    // an unknown .work file
    cases.push((
        put(&bad, "unknown", "notes.work", b"hello"),
        "at byte 0".into(),
    ));

    let before = files(&bad);
    let o = octa(&["check", p(&bad)]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(!out.contains("panicked"), "{out}");
    for (f, expect) in &cases {
        let line = out
            .lines()
            .find(|l| l.starts_with(p(f)) && l[p(f).len()..].starts_with(':'))
            .unwrap_or_else(|| panic!("no line for {}:\n{out}", f.display()));
        assert!(
            line.contains(expect.as_str()) && !line.contains("warning"),
            "{line} (expected {expect:?})"
        );
        assert!(
            line.contains("byte") || line.contains("line") || line.contains("folder"),
            "{line}"
        );
    }
    assert!(out.contains(&format!("{} errors", cases.len())), "{out}");
    // check never writes
    assert_eq!(files(&bad), before);
    // resave of the same tree writes nothing at all
    let dst = t.path().join("dst");
    let o = octa(&["resave", p(&bad), p(&dst)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!dst.exists());
}

#[test]
fn checksum_mismatch_warns_but_passes() {
    let Some(blank) = corpus("ot/blank-1.40B") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let mut b = fs::read(blank.join("bank03.work")).unwrap();
    let n = b.len();
    b[n - 1] ^= 0x55;
    let f = put(t.path(), "x", "bank03.work", &b);
    let o = octa(&["check", p(&f)]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(&format!("{}: warning: at byte {}", f.display(), n - 2)),
        "{out}"
    );
    assert!(out.contains("checksum"), "{out}");
}

#[test]
fn zip_slip_is_rejected_with_the_entry_named() {
    use std::io::Write;
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("evil.zip");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    w.start_file("P/project.work", o).unwrap();
    w.write_all(b"x").unwrap();
    w.start_file("P/../../escape.work", o).unwrap();
    w.write_all(b"y").unwrap();
    fs::write(&zip, w.finish().unwrap().into_inner()).unwrap();
    for args in [
        vec!["check", p(&zip)],
        vec!["resave", p(&zip), "OUT_DIR"],
        vec!["info", p(&zip)],
    ] {
        let out_dir = t.path().join("out");
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "OUT_DIR" { p(&out_dir) } else { a })
            .collect();
        let o = octa(&args);
        let msg = text(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {msg}");
        assert!(
            msg.contains("P/../../escape.work") && msg.contains("evil.zip"),
            "{msg}"
        );
        assert!(!out_dir.exists());
    }
    assert!(!t.path().parent().unwrap().join("escape.work").exists());
}

#[test]
fn export_import_is_byte_exact_for_every_corpus_project() {
    let Some(ot) = corpus("ot") else { return };
    let t = tempfile::tempdir().unwrap();
    for name in [
        "blank-1.40B",
        "template-1.40B",
        "multipart",
        "hello-flex/project",
    ] {
        let src = ot.join(name);
        let json = t.path().join(format!("{}.json", name.replace('/', "-")));
        let o = octa(&["export", p(&src), p(&json)]);
        assert!(o.status.success(), "{name}: {}", text(&o));
        let doc: serde_json::Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
        assert_eq!(doc["format"], "octa-project");
        let dir = t.path().join(name.replace('/', "-"));
        let o = octa(&["import", p(&json), p(&dir)]);
        assert!(o.status.success(), "{name}: {}", text(&o));
        // the imported folder holds exactly the project's Octatrack files, byte for byte
        let theirs: Vec<_> = files(&src)
            .into_iter()
            .filter(|(n, _)| octa::project::FileId::from_file_name(n.to_str().unwrap()).is_some())
            .collect();
        let ours = files(&dir);
        assert_eq!(ours.len(), theirs.len(), "{name}");
        for ((a, x), (b, y)) in ours.iter().zip(&theirs) {
            assert_eq!(a, b);
            assert!(x == y, "{name}/{}: not byte-exact", a.display());
        }
    }
    // multipart lacks some files: they stay absent
    let mp = t.path().join("multipart");
    assert!(mp.join("bank01.work").exists() && !mp.join("bank02.work").exists());
    // a bad document is refused with its path
    let badj = t.path().join("bad.json");
    fs::write(&badj, b"{\"format\": \"octa-project\", \"version\": 1, \"name\": \"x\", \"files\": {\"evil.txt\": 1}}").unwrap();
    let o = octa(&["import", p(&badj), p(&t.path().join("nope"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("bad.json"));
    assert!(!t.path().join("nope").exists());
}

#[test]
fn info_names_project_tempo_patterns_and_missing_samples() {
    let Some(mp) = corpus("ot/multipart") else {
        return;
    };
    let o = octa(&["info", p(&mp)]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("name: multipart"), "{out}");
    assert!(out.contains("os version: 1.40B"), "{out}");
    assert!(out.contains("tempo: 126.125 BPM"), "{out}");
    assert!(out.contains("bank A: patterns"), "{out}");
    assert!(
        out.contains("part 1 ONE") && out.contains("T1 THRU"),
        "{out}"
    );
    assert!(out.contains("sample slots: 26"), "{out}");
    assert!(out.contains("missing samples: 26"), "{out}");
    let Some(blank) = corpus("ot/blank-1.40B") else {
        return;
    };
    let out = text(&octa(&["info", p(&blank)]));
    assert!(
        out.contains("tempo: 120.000 BPM") && out.contains("patterns: none in use"),
        "{out}"
    );
}
