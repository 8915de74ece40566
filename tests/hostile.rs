#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Hostile input through the command line (issue 11, input side): slot paths, zip entries and
//! JSON file names that climb out of their folder, symbolic links, FIFOs, `/dev/zero`, a 2 GB
//! sparse file named like a bank, zip bombs (with the peak memory of the process asserted),
//! file names that are not UTF-8, unreadable files in `check`, import of content of the wrong
//! kind, and exit code 2 for invalid arguments. Every refusal names the file, slot or entry.

#![cfg(unix)]

mod common;
use common::{copy_dir, mkfifo};
use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a run of the binary gave: exit code, stdout, stderr.
struct Run {
    code: i32,
    out: String,
    err: String,
}

/// Runs `octa` in a child process. A run that has not ended after 120 s is killed (a FIFO read
/// would hang forever) and fails the test.
#[allow(unsafe_code, reason = "the watchdog SIGKILLs a hung child")]
fn octa(args: &[&OsStr]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .env(
            "OCTA_DATA_DIR",
            std::env::temp_dir().join("octa-hostile-data"),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run octa");
    let pid = child.id() as libc::pid_t;
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        so.read_to_end(&mut s).unwrap();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        se.read_to_end(&mut s).unwrap();
        s
    });
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            for _ in 0..1200 {
                if done.load(std::sync::atomic::Ordering::SeqCst) {
                    return false;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            unsafe { libc::kill(pid, libc::SIGKILL) };
            true
        })
    };
    let status = child.wait().unwrap();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(
        !watchdog.join().unwrap(),
        "octa {args:?} hung and was killed"
    );
    let code = status
        .code()
        .unwrap_or_else(|| panic!("octa {args:?} died: {status}"));
    Run {
        code,
        out: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        err: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
    }
}

fn os<S: AsRef<OsStr> + ?Sized>(s: &S) -> &OsStr {
    s.as_ref()
}

/// Peak memory (VmHWM, KiB) of a fresh child process (this test binary, running [`probe`])
/// that does what `check` (`walk`) or `info` (`open`) does with `path`, and what it said.
/// `ru_maxrss` of a spawned `octa` would include this (large, multi-threaded) test process's
/// memory at the fork; VmHWM of a freshly executed process does not.
fn peak_in_child(case: &str, path: &Path) -> (u64, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "probe",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("OCTA_HOSTILE_PROBE", case)
        .env("OCTA_HOSTILE_PATH", path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find_map(|l| l.split_once("PROBE ").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("no probe output: {text}"))
        .to_string();
    let (kib, said) = line.split_once(' ').unwrap();
    (kib.parse().unwrap(), said.to_string())
}

fn vm_hwm_kib() -> u64 {
    let s = fs::read_to_string("/proc/self/status").unwrap();
    let l = s.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    l.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
#[ignore = "run in a child process by the memory tests (peak_in_child)"]
fn probe() {
    let Ok(case) = std::env::var("OCTA_HOSTILE_PROBE") else {
        return;
    };
    let path = PathBuf::from(std::env::var("OCTA_HOSTILE_PATH").unwrap());
    let said = match case.as_str() {
        "walk" => match octa::project::walk::walk(&path) {
            Ok((_, items)) => items
                .iter()
                .filter_map(|i| match &i.content {
                    octa::project::walk::Content::Unreadable(e) => Some(e.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Err(e) => e.to_string(),
        },
        "open" => match octa::project::Project::open(&path, &Default::default()) {
            Ok(p) => format!("opened {}", p.name()),
            Err(e) => e.to_string(),
        },
        _ => panic!("unknown probe {case}"),
    };
    println!("PROBE {} {said}", vm_hwm_kib());
}

fn new_project(dir: &Path) {
    let r = octa(&[os("new"), dir.as_os_str()]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
}

/// Every file under `dir` (relative path, bytes), sorted.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn go(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                go(root, &p, out);
            } else {
                out.push((
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    go(dir, dir, &mut out);
    out.sort();
    out
}

/// `root/src/SET/HELLO` (hello-flex with its samples in `root/src/SET/AUDIO/...`) whose Flex 1
/// `PATH` is replaced by `evil`; `None` without the corpus.
fn hostile_hello(root: &Path, evil: &str) -> Option<PathBuf> {
    let proj = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    let set = root.join("src/SET");
    copy_dir(&proj, &set.join("HELLO"));
    copy_dir(&samples, &set.join("AUDIO/projects/HELLO FLEX"));
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

#[test]
fn copy_check_and_assign_refuse_a_slot_path_leaving_the_set() {
    let d = tempfile::tempdir().unwrap();
    let evil = "../AUDIO/../../.ssh/authorized_keys";
    let Some(hello) = hostile_hello(d.path(), evil) else {
        return;
    };
    // the file the slot names exists, outside the source set
    fs::create_dir_all(d.path().join("src/.ssh")).unwrap();
    fs::write(
        d.path().join("src/.ssh/authorized_keys"),
        b"ssh-ed25519 AAAA attacker",
    )
    .unwrap();
    let dst_set = d.path().join("dst/SET");
    new_project(&dst_set.join("DEST"));
    fs::create_dir_all(dst_set.join("AUDIO")).unwrap();
    let before = tree(&d.path().join("dst"));

    let src = format!("{}:A", hello.display());
    let dst = format!("{}:A", dst_set.join("DEST").display());
    let r = octa(&[os("copy"), os(&src), os(&dst)]);
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.err
            .contains(&format!("HELLO Flex 1 PATH \"{evil}\": leads outside ")),
        "{}",
        r.err
    );
    assert!(!d.path().join("dst/.ssh").exists());
    assert_eq!(tree(&d.path().join("dst")), before, "nothing written");

    // octa check reports the slot path, naming the project file and the slot
    let r = octa(&[os("check"), hello.as_os_str()]);
    assert_eq!(r.code, 1, "{}", r.out);
    let line = format!(
        "{}: Flex 1 PATH \"{evil}\": leads outside ",
        hello.join("project.work").display()
    );
    assert!(r.out.contains(&line), "{}", r.out);
    assert!(r.out.contains("checked 26 files: 1 errors"), "{}", r.out);

    // slots --assign refuses files outside the project folder and the set's AUDIO folder
    fs::write(d.path().join("src/evil.wav"), b"RIFF").unwrap();
    let pw_before = fs::read(hello.join("project.work")).unwrap();
    for (spec, slot, path) in [
        ("F5=../../evil.wav", "Flex 5", "../AUDIO/../../evil.wav"),
        ("S2=./../../evil.wav", "Static 2", "../../evil.wav"),
    ] {
        let r = octa(&[os("slots"), hello.as_os_str(), os("--assign"), os(spec)]);
        assert_eq!(r.code, 1, "{spec}: {}{}", r.out, r.err);
        assert!(
            r.err
                .contains(&format!("{slot} PATH \"{path}\": leads outside ")),
            "{spec}: {}",
            r.err
        );
        assert_eq!(fs::read(hello.join("project.work")).unwrap(), pw_before);
    }
}

#[test]
fn a_symlink_out_of_audio_is_outside() {
    let d = tempfile::tempdir().unwrap();
    let evil = "../AUDIO/escape/authorized_keys";
    let Some(hello) = hostile_hello(d.path(), evil) else {
        return;
    };
    fs::create_dir_all(d.path().join("secret")).unwrap();
    fs::write(d.path().join("secret/authorized_keys"), b"x").unwrap();
    std::os::unix::fs::symlink(
        d.path().join("secret"),
        d.path().join("src/SET/AUDIO/escape"),
    )
    .unwrap();
    let r = octa(&[os("check"), hello.as_os_str()]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(
        r.out.contains(&format!(
            "{}: Flex 1 PATH \"{evil}\": leads outside ",
            hello.join("project.work").display()
        )),
        "{}",
        r.out
    );
}

#[test]
fn zip_entries_climbing_out_are_refused_and_nothing_written() {
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("evil.zip");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    w.start_file("P/project.work", o).unwrap();
    w.write_all(b"x").unwrap();
    w.start_file("P/../../outside/bank01.work", o).unwrap();
    w.write_all(b"y").unwrap();
    fs::write(&z, w.finish().unwrap().into_inner()).unwrap();
    for args in [
        vec![os("check"), z.as_os_str()],
        vec![os("info"), z.as_os_str()],
    ] {
        let r = octa(&args);
        assert_eq!(r.code, 1, "{args:?}");
        assert!(
            format!("{}{}", r.out, r.err).contains(&format!(
                "{}: entry \"P/../../outside/bank01.work\" would be written outside the target folder; rejected",
                z.display()
            )),
            "{args:?}: {}{}",
            r.out,
            r.err
        );
    }
    let out = d.path().join("out");
    let r = octa(&[os("resave"), z.as_os_str(), out.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(
        r.err.contains("\"P/../../outside/bank01.work\""),
        "{}",
        r.err
    );
    assert!(!out.exists() && !d.path().join("outside").exists());
}

#[test]
fn import_refuses_content_of_another_kind_and_names_outside() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("P");
    new_project(&p);
    let json = d.path().join("p.json");
    let r = octa(&[os("export"), p.as_os_str(), json.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.err);
    let doc: serde_json::Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();

    // markers data under a bank's name
    let mut bad = doc.clone();
    bad["files"]["bank02.work"] = doc["files"]["markers.work"].clone();
    let bad_json = d.path().join("bad.json");
    fs::write(&bad_json, serde_json::to_vec(&bad).unwrap()).unwrap();
    let target = d.path().join("T");
    let r = octa(&[os("import"), bad_json.as_os_str(), target.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(
        r.err.contains(&format!(
            "{}: not an Octatrack project, set or zip (file \"bank02.work\": expected a bank file, found a markers file)",
            bad_json.display()
        )),
        "{}",
        r.err
    );
    assert!(!target.exists());

    // a file name that climbs out
    let mut bad = doc.clone();
    bad["files"]["../bank01.work"] = doc["files"]["bank01.work"].clone();
    fs::write(&bad_json, serde_json::to_vec(&bad).unwrap()).unwrap();
    let r = octa(&[os("import"), bad_json.as_os_str(), target.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(
        r.err
            .contains("\"../bank01.work\" is not a project file name"),
        "{}",
        r.err
    );
    assert!(!target.exists() && !d.path().join("bank01.work").exists());
}

#[test]
fn fifo_device_dangling_link_and_sparse_giant_are_reported_and_check_goes_on() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("P");
    new_project(&p);
    let fifo = p.join("bank03.work");
    fs::remove_file(&fifo).unwrap();
    mkfifo(&fifo);
    let zero = p.join("bank05.work");
    fs::remove_file(&zero).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let dangling = p.join("bank06.work");
    fs::remove_file(&dangling).unwrap();
    std::os::unix::fs::symlink("gone.work", &dangling).unwrap();
    let giant = p.join("bank08.work");
    fs::OpenOptions::new()
        .write(true)
        .open(&giant)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();

    let r = octa(&[os("check"), p.as_os_str()]);
    assert_eq!(r.code, 1, "{}", r.out);
    for line in [
        format!(
            "{}: expected a regular file, found a FIFO (named pipe); not read",
            fifo.display()
        ),
        format!(
            "{}: expected a regular file, found a character device; not read",
            zero.display()
        ),
        format!("{}: No such file or directory", dangling.display()),
        format!(
            "{}: expected a bank file of 636113 bytes, found 2147483648 bytes; not read",
            giant.display()
        ),
    ] {
        assert!(
            r.out.lines().any(|l| l.starts_with(&line)),
            "{line}\n{}",
            r.out
        );
    }
    // the 22 other files were checked
    assert!(r.out.contains("checked 26 files: 4 errors"), "{}", r.out);

    // opening the project names the first bad file instead of hanging or reading 2 GB
    let r = octa(&[os("info"), p.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("not read"), "{}", r.err);
    fs::remove_file(&fifo).unwrap();
    fs::remove_file(&zero).unwrap();
    fs::remove_file(&dangling).unwrap();
    let r = octa(&[os("info"), p.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(
        r.err.contains(&format!(
            "{}: expected a bank file of 636113 bytes, found 2147483648 bytes; not read",
            giant.display()
        )),
        "{}",
        r.err
    );
    // memory: what check and open do, in a fresh process (a 2 GB read would show)
    for case in ["walk", "open"] {
        let (kib, said) = peak_in_child(case, &p);
        eprintln!("peak of {case} with a 2 GB sparse bank08.work: {kib} KiB");
        assert!(
            said.contains("found 2147483648 bytes; not read"),
            "{case}: {said}"
        );
        assert!(kib < 64 * 1024, "{case}: peak {kib} KiB");
    }
}

/// A zip whose `name` entry inflates to `size` zero bytes, with its declared size (local and
/// central headers) replaced by `declared` when given: headers that lie.
fn bomb(name: &str, size: usize, declared: Option<u32>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    w.start_file("SET/P/project.work", o).unwrap();
    w.write_all(&octa::format::blank::blank_project_file().to_bytes())
        .unwrap();
    w.start_file(name, o).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..size / chunk.len() {
        w.write_all(&chunk).unwrap();
    }
    let mut bytes = w.finish().unwrap().into_inner();
    if let Some(declared) = declared {
        let n = name.as_bytes();
        // local header: signature, then the uncompressed size at +22, name at +30
        for sig in [[0x50u8, 0x4b, 3, 4], [0x50, 0x4b, 1, 2]] {
            let (size_at, name_at) = if sig[2] == 3 { (22, 30) } else { (24, 46) };
            let mut found = false;
            for i in 0..bytes.len() - name_at - n.len() {
                if bytes[i..i + 4] == sig && &bytes[i + name_at..i + name_at + n.len()] == n {
                    bytes[i + size_at..i + size_at + 4].copy_from_slice(&declared.to_le_bytes());
                    found = true;
                }
            }
            assert!(found);
        }
    }
    bytes
}

#[test]
fn zip_bombs_are_refused_with_bounded_memory() {
    let d = tempfile::tempdir().unwrap();
    // 256 MiB of zeros (about 256 KB packed) declared as 1000 bytes, as a bank and as a sample
    for (file, entry) in [
        ("liar-bank.zip", "SET/P/bank01.work"),
        ("liar-sample.zip", "SET/AUDIO/kick.wav"),
    ] {
        let z = d.path().join(file);
        fs::write(&z, bomb(entry, 256 << 20, Some(1000))).unwrap();
        for (cmd, case) in [("check", "walk"), ("info", "open")] {
            // a sample is never read to check or open a project: only the bank case fails
            let r = octa(&[os(cmd), z.as_os_str()]);
            let code = if entry.ends_with(".work") { 1 } else { 0 };
            assert_eq!(r.code, code, "{cmd} {file}: {}{}", r.out, r.err);
            let (kib, _) = peak_in_child(case, &z);
            eprintln!("peak of {case} {file} (256 MiB declared as 1000 bytes): {kib} KiB");
            assert!(kib < 64 * 1024, "{case} {file}: peak {kib} KiB");
            let all = format!("{}{}", r.out, r.err);
            if entry.ends_with(".work") {
                // the zip library or octa's own count stops it at the declared size
                let named = format!("{}: zip archive: entry \"{entry}\": ", z.display());
                let stopped = format!(
                    "{}: zip archive: entry \"{entry}\" inflates to more than the 1000 bytes its header declares; refused",
                    z.display()
                );
                assert!(
                    all.contains(&format!(
                        "{named}File is larger than its declared uncompressed size"
                    )) || all.contains(&stopped),
                    "{cmd} {file}: {all}"
                );
            }
        }
    }
    // the same entry declared honestly as a 3 GiB bank: refused from its header, nothing inflated
    let z = d.path().join("honest.zip");
    fs::write(&z, bomb("SET/P/bank01.work", 16 << 20, Some(3 << 30))).unwrap();
    let line = format!(
        "{}: zip archive: entry \"SET/P/bank01.work\": expected a bank file of 636113 bytes, its header declares 3221225472 bytes; not read",
        z.display()
    );
    let r = octa(&[os("check"), z.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(r.out.contains(&line), "{}", r.out);
    let r = octa(&[os("info"), z.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(r.err.contains(&line), "{}", r.err);
    for case in ["walk", "open"] {
        let (kib, said) = peak_in_child(case, &z);
        eprintln!("peak of {case} honest.zip (3 GiB declared): {kib} KiB");
        assert!(said.contains(&line), "{case}: {said}");
        assert!(kib < 64 * 1024, "{case}: peak {kib} KiB");
    }
}

#[test]
fn check_does_not_inflate_samples_in_a_zip() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("SET/P");
    new_project(&p);
    fs::create_dir_all(d.path().join("SET/AUDIO")).unwrap();
    // a 200 MiB sample of zeros: about 200 KB packed
    let f = fs::File::create(d.path().join("SET/AUDIO/big.wav")).unwrap();
    f.set_len(200 << 20).unwrap();
    let z = d.path().join("set.zip");
    let r = octa(&[
        os("resave"),
        d.path().join("SET").as_os_str(),
        z.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.err);
    fs::remove_file(d.path().join("SET/AUDIO/big.wav")).unwrap();
    let r = octa(&[os("check"), z.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("checked 26 files: 0 errors"), "{}", r.out);
    let (kib, said) = peak_in_child("walk", &z);
    eprintln!("peak of walk (check) on a zip with a 200 MiB sample: {kib} KiB");
    assert_eq!(said, "");
    assert!(kib < 64 * 1024, "peak {kib} KiB");
    let (kib, said) = peak_in_child("open", &z);
    eprintln!("peak of open (info) on a zip with a 200 MiB sample: {kib} KiB");
    assert_eq!(said, "opened P");
    assert!(kib < 64 * 1024, "peak {kib} KiB");

    // saving the project back into the zip copies the sample as stored, intact
    let mut p = octa::project::Project::open(&z, &Default::default()).unwrap();
    p.project_file_mut().set_tempo_bpm(133.0).unwrap();
    let bank = p.file_bytes(octa::project::FileId::Bank(0), false).unwrap();
    let report = p.save(false).unwrap();
    assert_eq!(report.written, vec![z.clone()]);
    // a second save copies the sample again from the archive as first opened (the replaced
    // file stays readable through the open handle)
    p.project_file_mut().set_tempo_bpm(134.0).unwrap();
    assert_eq!(p.save(false).unwrap().written, vec![z.clone()]);
    let mut zip = zip::ZipArchive::new(fs::File::open(&z).unwrap()).unwrap();
    let mut sample = zip.by_name("AUDIO/big.wav").unwrap();
    let mut n = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let k = sample.read(&mut buf).unwrap();
        if k == 0 {
            break;
        }
        assert!(buf[..k].iter().all(|&b| b == 0));
        n += k as u64;
    }
    assert_eq!(n, 200 << 20);
    drop(sample);
    let p = octa::project::Project::open(&z, &Default::default()).unwrap();
    assert_eq!(
        p.file_bytes(octa::project::FileId::Bank(0), false).unwrap(),
        bank
    );
    // 134 BPM is stored as TEMPOx24 = 134 * 24 = 3216
    assert_eq!(p.project_file().get("SETTINGS", "TEMPOx24"), Some("3216"));
}

#[test]
fn resave_keeps_names_that_are_not_utf8_apart() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("P");
    new_project(&p);
    let a = p.join(OsStr::from_bytes(b"kick\xff.wav"));
    let b = p.join(OsStr::from_bytes(b"kick\xfe.wav"));
    fs::write(&a, b"first").unwrap();
    fs::write(&b, b"second").unwrap();
    let out = d.path().join("out");
    let r = octa(&[os("resave"), p.as_os_str(), out.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out.contains(
            "26 Octatrack files written (26 byte-identical, 0 changed), 2 other files copied"
        ),
        "{}",
        r.out
    );
    assert_eq!(
        fs::read(out.join(OsStr::from_bytes(b"kick\xff.wav"))).unwrap(),
        b"first"
    );
    assert_eq!(
        fs::read(out.join(OsStr::from_bytes(b"kick\xfe.wav"))).unwrap(),
        b"second"
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 28);
    // a zip cannot hold such a name: refused, naming it, nothing written
    let z = d.path().join("out.zip");
    let r = octa(&[os("resave"), p.as_os_str(), z.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(
        r.err
            .contains("the name \"kick\u{FFFD}.wav\" is not UTF-8 and cannot be stored in a zip"),
        "{}",
        r.err
    );
    assert!(!z.exists());
}

#[test]
fn copy_into_a_zip_with_samples_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let Some(proj) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    let samples = octa::testutil::corpus("ot/hello-flex/samples").unwrap();
    copy_dir(&proj, &d.path().join("SRC/HELLO"));
    copy_dir(&samples, &d.path().join("SRC/AUDIO/projects/HELLO FLEX"));
    let dst = d.path().join("DST/P");
    new_project(&dst);
    fs::create_dir_all(d.path().join("DST/AUDIO")).unwrap();
    let z = d.path().join("dst.zip");
    let r = octa(&[
        os("resave"),
        d.path().join("DST").as_os_str(),
        z.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.err);
    let before = fs::read(&z).unwrap();
    let src = format!("{}:A", d.path().join("SRC/HELLO").display());
    let to = format!("{}:A", z.display());
    let r = octa(&[os("copy"), os(&src), os(&to)]);
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.err.contains(&format!(
            "{}: copying sample slots into a zip is not supported",
            z.display()
        )),
        "{}",
        r.err
    );
    assert_eq!(fs::read(&z).unwrap(), before);
}

#[test]
fn invalid_arguments_exit_2() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("P");
    new_project(&p);
    let at = |what: &str| format!("{}:{what}", p.display());
    for (args, names) in [
        (vec!["copy".to_string(), at("A17"), at("A01")], "A17"),
        (vec!["copy".to_string(), at("A01"), at("Q")], ":Q"),
        (
            vec![
                "slots".to_string(),
                p.display().to_string(),
                "--assign".into(),
                "F0=kick.wav".into(),
            ],
            "F0=kick.wav",
        ),
        (
            vec![
                "dump".to_string(),
                p.display().to_string(),
                "--bank".into(),
                "Q".into(),
                "--pattern".into(),
                "1".into(),
            ],
            "\"Q\"",
        ),
        (
            vec![
                "midi".to_string(),
                "play".into(),
                p.display().to_string(),
                "--pattern".into(),
                "17".into(),
            ],
            "\"17\"",
        ),
        (
            vec![
                "librarian".to_string(),
                "pin".into(),
                "DX7".into(),
                "--out".into(),
                "0".into(),
                "--channel".into(),
                "17".into(),
            ],
            "17",
        ),
    ] {
        let a: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        let r = octa(&a);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.out, r.err);
        assert!(r.err.contains(names), "{args:?}: {}", r.err);
    }
}

#[test]
fn check_reports_slot_paths_leaving_a_zipped_set_or_project() {
    let d = tempfile::tempdir().unwrap();
    let evil = "../AUDIO/../../x.wav";
    let Some(hello) = hostile_hello(d.path(), evil) else {
        return;
    };
    // the set zipped (project under HELLO/), and the project alone (at the archive's root)
    let set_zip = d.path().join("set.zip");
    let proj_zip = d.path().join("proj.zip");
    for (src, z) in [
        (d.path().join("src/SET"), &set_zip),
        (hello.clone(), &proj_zip),
    ] {
        let r = octa(&[os("resave"), src.as_os_str(), z.as_os_str()]);
        assert_eq!(r.code, 0, "{}", r.err);
    }
    for (z, file) in [
        (&set_zip, "HELLO/project.work"),
        (&proj_zip, "project.work"),
    ] {
        let r = octa(&[os("check"), z.as_os_str()]);
        assert_eq!(r.code, 1, "{}", r.out);
        let line = format!(
            "{}: Flex 1 PATH \"{evil}\": leads outside ",
            z.join(file).display()
        );
        assert!(r.out.contains(&line), "{line}\n{}", r.out);
        assert_eq!(r.out.matches("leads outside").count(), 1, "{}", r.out);
    }
    // the project's other slots (../AUDIO/projects/HELLO FLEX/...) are fine, also with the
    // project alone at the archive's root, its pool outside the archive
    let clean = d.path().join("clean");
    copy_dir(
        &octa::testutil::corpus("ot/hello-flex/project").unwrap(),
        &clean,
    );
    let clean_zip = d.path().join("clean.zip");
    let r = octa(&[os("resave"), clean.as_os_str(), clean_zip.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.err);
    let r = octa(&[os("check"), clean_zip.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.out);
}
