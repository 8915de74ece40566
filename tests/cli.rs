#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
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

/// Raw facts of one audio track of one pattern, read straight from the bank bytes
/// (format reference §4.1-4.8), to cross-check `dump`.
struct RawTrack {
    trigs: Vec<usize>,
    trigless: Vec<usize>,
    /// (step, slot, value)
    locks: Vec<(usize, usize, u8)>,
    words: Vec<(usize, u16)>,
}

fn raw_audio_track(bank: &[u8], pattern: usize, track: usize) -> RawTrack {
    let base = 22 + pattern * 36588 + 8 + track * 2338;
    assert_eq!(&bank[base..base + 4], b"TRAC");
    let mask = |off: usize| {
        let m = u64::from_be_bytes(bank[base + off..base + off + 8].try_into().unwrap());
        (0..64)
            .filter(|s| m >> s & 1 == 1)
            .map(|s| s + 1)
            .collect::<Vec<_>>()
    };
    let mut locks = Vec::new();
    let mut words = Vec::new();
    for s in 0..64 {
        for i in 0..32 {
            let v = bank[base + 98 + s * 32 + i];
            if v != 255 {
                locks.push((s + 1, i, v));
            }
        }
        let w = u16::from_be_bytes([bank[base + 2210 + 2 * s], bank[base + 2211 + 2 * s]]);
        if w != 0 {
            words.push((s + 1, w));
        }
    }
    RawTrack {
        trigs: mask(9),
        trigless: mask(17),
        locks,
        words,
    }
}

#[test]
fn dump_json_matches_the_raw_bytes_of_real_patterns() {
    let Some(hf) = corpus("ot/hello-flex/project") else {
        return;
    };
    let Some(mp) = corpus("ot/multipart") else {
        return;
    };
    for (dir, bank_file, pattern) in [
        (&hf, "bank01.work", 1usize),
        (&mp, "bank01.work", 1),
        (&mp, "bank01.work", 2),
    ] {
        let bytes = fs::read(dir.join(bank_file)).unwrap();
        let o = octa(&[
            "dump",
            p(dir),
            "--bank",
            "A",
            "--pattern",
            &pattern.to_string(),
            "--format",
            "json",
        ]);
        assert!(o.status.success(), "{}", text(&o));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(j["bank"], "A");
        assert_eq!(j["pattern"], pattern);
        assert_eq!(j["tracks"].as_array().unwrap().len(), 16);
        let part_byte = bytes[22 + (pattern - 1) * 36588 + 36583];
        assert_eq!(j["part"], part_byte as u64 + 1);
        let mut checked_locks = 0;
        for t in 0..8 {
            let raw = raw_audio_track(&bytes, pattern - 1, t);
            let jt = &j["tracks"][t];
            assert_eq!(jt["track"], format!("T{}", t + 1));
            let steps = |k: &str| -> Vec<usize> {
                jt[k]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap() as usize)
                    .collect()
            };
            assert_eq!(steps("trigs"), raw.trigs, "T{}", t + 1);
            assert_eq!(steps("trigless"), raw.trigless, "T{}", t + 1);
            let jsteps = jt["steps"].as_array().unwrap();
            for (s, w) in &raw.words {
                let st = jsteps.iter().find(|x| x["step"] == *s).unwrap();
                let mt = ((w >> 7) & 0x3F) as i64;
                let mt = if mt >= 32 { mt - 64 } else { mt };
                assert_eq!(st["micro_timing"], mt, "T{} step {s}", t + 1);
                assert_eq!(st["repeats"], (w >> 13) as u64 + 1);
            }
            for (s, i, v) in &raw.locks {
                let st = jsteps.iter().find(|x| x["step"] == *s).unwrap();
                let values: Vec<u64> = st["plocks"]
                    .as_object()
                    .unwrap()
                    .values()
                    .map(|v| v.as_u64().unwrap())
                    .collect();
                assert!(
                    values.contains(&(*v as u64)),
                    "T{} step {s} slot {i}: {st}",
                    t + 1
                );
                checked_locks += 1;
                // the volume lock is slot 15 (AMP page, 4th parameter)
                if *i == 15 {
                    assert_eq!(st["plocks"]["VOL"], *v as u64, "T{} step {s}", t + 1);
                }
            }
        }
        if dir == &hf && pattern == 1 {
            // facts of HELLO FLEX A01: T1 plays nine steps with VOL locked to 119 and 87% conditions
            let t1 = &j["tracks"][0];
            let trigs: Vec<u64> = t1["trigs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            assert_eq!(trigs, vec![1, 3, 5, 7, 8, 10, 12, 14, 15]);
            for st in t1["steps"].as_array().unwrap() {
                assert_eq!(st["plocks"]["VOL"], 119);
                // The device shows AMP VOL as stored - 64.
                assert_eq!(st["plocks_shown"]["VOL"], "+55");
                assert_eq!(st["condition"], "87%");
            }
            assert!(checked_locks >= 9 + 9, "{checked_locks}");
        }
    }
    // text grid: tracks as columns, steps as rows
    let o = octa(&["dump", p(&hf), "-b", "A", "-p", "1"]);
    let out = text(&o);
    assert!(o.status.success());
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("A01"), "{out}");
    assert!(
        lines[1].contains("T1 FLEX") && lines[1].contains("T3 FLEX"),
        "{out}"
    );
    assert!(
        lines[2].trim_start().starts_with("1 ") && lines[2].contains("X 87% VOL=119"),
        "{out}"
    );
    // bad arguments
    let o = octa(&["dump", p(&hf), "-b", "Q", "-p", "1"]);
    assert_eq!(o.status.code(), Some(2));
    let o = octa(&["dump", p(&hf), "-b", "A", "-p", "17"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn demo_generates_a_valid_project_with_every_feature() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("demo");
    let o = octa(&["demo", p(&dir), "--generate-only"]);
    assert!(o.status.success(), "{}", text(&o));
    let proj = dir.join("OCTA-DEMO");
    let o = octa(&["check", p(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("checked 26 files: 0 errors, 0 warnings"),
        "{}",
        text(&o)
    );
    let info = text(&octa(&["info", p(&proj)]));
    assert!(
        info.contains("sample slots: 4") && info.contains("missing samples: 0"),
        "{info}"
    );
    assert!(
        info.contains("T1 FLEX  T2 FLEX  T3 FLEX  T4 FLEX"),
        "{info}"
    );
    // samples: real WAVs, and the markers' trim end is each file's frame count
    let project = octa::project::Project::open(&proj, &Default::default()).unwrap();
    assert!(project.warnings().is_empty(), "{:?}", project.warnings());
    for (i, name) in ["kick", "snare", "hat", "bass"].iter().enumerate() {
        let wav = fs::read(dir.join(format!("AUDIO/octa-demo/{name}.wav"))).unwrap();
        assert_eq!(&wav[..4], b"RIFF");
        let frames = u32::from_le_bytes(wav[40..44].try_into().unwrap()) / 2;
        let slot = octa::format::slot_attrs::SlotRef::Flex(i as u16 + 1);
        assert_eq!(project.markers().trim_end(slot).unwrap(), frames, "{name}");
        let s = project.project_file().slot(slot).unwrap();
        assert_eq!(s.path, format!("../AUDIO/octa-demo/{name}.wav"));
    }
    // every feature the tracker shows, in pattern A01/A02
    let mut features = std::collections::BTreeSet::new();
    for pattern in ["1", "2"] {
        let o = octa(&[
            "dump",
            p(&proj),
            "-b",
            "A",
            "-p",
            pattern,
            "--format",
            "json",
        ]);
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut lock_names = std::collections::BTreeSet::new();
        for (ti, tr) in j["tracks"].as_array().unwrap().iter().enumerate() {
            if !tr["trigless"].as_array().unwrap().is_empty() {
                features.insert("trigless");
            }
            for st in tr["steps"].as_array().unwrap() {
                for k in st["plocks"].as_object().unwrap().keys() {
                    if ti < 8 {
                        lock_names.insert(k.clone());
                    }
                }
                if st.get("condition").is_some() {
                    features.insert("condition");
                }
                if st["micro_timing"] != 0 {
                    features.insert("micro-timing");
                }
                if st["slide"] == true {
                    features.insert("slide");
                }
                if st["repeats"].as_u64().unwrap() > 1 {
                    features.insert("retrig");
                }
                if ti >= 8
                    && st
                        .get("notes")
                        .is_some_and(|n| n.as_array().unwrap().len() >= 3)
                {
                    features.insert("chord");
                }
            }
        }
        assert!(lock_names.len() >= 5, "{lock_names:?}");
        assert_eq!(
            j["tracks"][0]["trigs"],
            serde_json::json!([1, 5, 9, 13, 16])
        );
    }
    for f in [
        "trigless",
        "condition",
        "micro-timing",
        "slide",
        "retrig",
        "chord",
    ] {
        assert!(features.contains(f), "missing {f}: {features:?}");
    }
    // an existing, non-empty folder is refused
    let o = octa(&["demo", p(&dir), "--generate-only"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn new_is_byte_identical_to_the_device_blank_project() {
    let Some(blank) = corpus("ot/blank-1.40B") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("NEWPROJ");
    let o = octa(&["new", p(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
    assert_same_tree(&blank, &dir);
    // refuses to write into a non-empty folder
    let o = octa(&["new", p(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("NEWPROJ"));
}

#[test]
fn check_looks_inside_zips_found_in_folders() {
    let Some(arr) = corpus("ot/arrangements") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("inner.zip");
    octa::project::archive::export_zip(&arr, &zip).unwrap();
    fs::write(
        t.path().join("samples.zip"),
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    )
    .unwrap();
    let o = octa(&["check", p(t.path())]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("inner.zip/arrangements/full_options.work: warning"),
        "{out}"
    );
    assert!(
        out.contains("checked 3 files: 0 errors, 1 warnings"),
        "{out}"
    );
}
