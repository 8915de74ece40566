#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The write path under real failures, in child processes: `octa copy` killed (SIGKILL) at random
//! points, two copies into one project at once, a full disk (a small tmpfs) and a file that
//! cannot be replaced (`chattr +i`). After each, the destination's files are all old or all new
//! (hashes), no sample is torn under its final name, and `octa check` is clean.

mod common;
use common::{copy_dir, sha};
use octa::project::slots;
use octa::project::{OpenOptions, Project, store::BACKUP_DIR};
use octa::testutil::corpus;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Every file under `dir` except the backup folder, as relative path -> SHA-256.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    common::tree_skipping(dir, Some(BACKUP_DIR))
}

/// A 16-bit mono 44.1 kHz WAV of `frames` frames of noise from `seed`.
fn wav(frames: usize, seed: u64) -> Vec<u8> {
    let data = frames * 2;
    let mut v = Vec::with_capacity(44 + data);
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&((36 + data) as u32).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&44_100u32.to_le_bytes());
    v.extend_from_slice(&88_200u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&(data as u32).to_le_bytes());
    let mut x = seed | 1;
    for _ in 0..frames {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&(x as u16).to_le_bytes());
    }
    v
}

fn octa() -> Command {
    Command::new(env!("CARGO_BIN_EXE_octa"))
}

/// A source set: hello-flex as HELLO with its samples, the first sample bank A plays replaced
/// by a WAV of `frames` frames (seeded). Returns the set folder.
fn source_set(root: &Path, frames: usize, seed: u64) -> Option<PathBuf> {
    let proj = corpus("ot/hello-flex/project")?;
    let samples = corpus("ot/hello-flex/samples")?;
    copy_dir(&proj, &root.join("HELLO"));
    let pool = root.join("AUDIO/projects/HELLO FLEX");
    copy_dir(&samples, &pool);
    let p = Project::open(&root.join("HELLO"), &OpenOptions::default()).unwrap();
    let mut uses = Vec::new();
    slots::bank_uses(p.bank(0), 0, &mut uses);
    let pf = slots::project_file(&p).unwrap();
    let first = uses
        .iter()
        .filter_map(|(s, _)| pf.slot(*s))
        .find(|b| !b.path.is_empty())
        .expect("hello-flex bank A plays a sample");
    let file = p.sample_path(&first.path).unwrap();
    fs::write(&file, wav(frames, seed)).unwrap();
    Some(root.to_path_buf())
}

/// The destination set: multipart as MULTI with an empty AUDIO pool.
fn reset_dest(set: &Path) {
    let _ = fs::remove_dir_all(set);
    copy_dir(&corpus("ot/multipart").unwrap(), &set.join("MULTI"));
    fs::create_dir_all(set.join("AUDIO")).unwrap();
}

fn copy_cmd(src: &Path, bank: &str, dst: &Path, to: &str) -> Command {
    let mut c = octa();
    c.arg("copy")
        .arg(format!("{}:{bank}", src.join("HELLO").display()))
        .arg(format!("{}:{to}", dst.join("MULTI").display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn check_clean(project: &Path, what: &str) {
    let out = octa().arg("check").arg(project).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{what}: octa check failed: {text}");
    assert!(text.contains(" 0 errors, 0 warnings"), "{what}: {text}");
}

/// Asserts the destination set is all old or all new and every sample is whole; true when new.
fn assert_old_or_new(
    set: &Path,
    src_set: &Path,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    what: &str,
) -> bool {
    let now = tree(set);
    let project = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        m.iter()
            .filter(|(k, _)| k.starts_with("MULTI/"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let is_new = project(&now) == project(new);
    assert!(
        is_new || project(&now) == project(old),
        "{what}: project files are a mix: {:?}",
        now.keys().collect::<Vec<_>>()
    );
    for (k, v) in &now {
        let Some(rel) = k.strip_prefix("AUDIO/") else {
            continue;
        };
        assert!(!k.contains(".octa-tmp-"), "{what}: temp left: {k}");
        let from = src_set.join("AUDIO").join(rel);
        assert_eq!(
            &sha(&fs::read(&from).unwrap()),
            v,
            "{what}: {k} is not the source's bytes (torn)"
        );
    }
    if is_new {
        assert_eq!(
            &now, new,
            "{what}: the project is new but samples are missing"
        );
    }
    is_new
}

#[test]
fn sigkill_at_random_points_of_a_copy_leaves_old_or_new() {
    let t = tempfile::tempdir().unwrap();
    // 6 MB sample.
    let Some(src) = source_set(&t.path().join("S1"), 3_000_000, 7) else {
        return;
    };
    let dst = t.path().join("S2");
    reset_dest(&dst);
    let old = tree(&dst);
    let started = Instant::now();
    let out = copy_cmd(&src, "A", &dst, "B").output().unwrap();
    let full = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let new = tree(&dst);
    assert_ne!(old, new);
    // Kill points spread over the whole run (and a little past its start-up).
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id());
    let (mut kills, mut finished, mut seen_new, mut seen_old) = (0, 0, 0, 0);
    let mut runs = 0;
    while kills < 30 && runs < 120 {
        runs += 1;
        reset_dest(&dst);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = full.mul_f64((seed % 1000) as f64 / 1000.0);
        let mut child = copy_cmd(&src, "A", &dst, "B").spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        if status.signal() == Some(9) {
            kills += 1;
        } else {
            finished += 1;
        }
        // The next open finishes or rolls back the interrupted copy.
        let info = octa()
            .arg("info")
            .arg(dst.join("MULTI"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            info.status.success(),
            "{}",
            String::from_utf8_lossy(&info.stderr)
        );
        let what = format!("run {runs}, killed after {at:?}");
        if assert_old_or_new(&dst, &src, &old, &new, &what) {
            seen_new += 1;
        } else {
            seen_old += 1;
        }
        check_clean(&dst.join("MULTI"), &what);
    }
    eprintln!(
        "SIGKILL loop: {kills} kills survived ({seen_old} old, {seen_new} new after reopening), {finished} runs finished first; full copy {full:?}"
    );
    assert!(kills >= 30, "only {kills} of {runs} runs were killed");
}

/// Each reference of bank `bank` of `dst` plays a file with the bytes the same reference of
/// `src` bank A plays.
fn plays_sources_samples(src: &Project, dst: &Project, bank: usize) -> usize {
    let sample = |p: &Project, b: usize| -> Vec<Option<String>> {
        let pf = slots::project_file(p).unwrap();
        let mut uses = Vec::new();
        slots::bank_uses(p.bank(b), 0, &mut uses);
        uses.iter()
            .map(|(s, _)| {
                let blk = pf.slot(*s)?;
                if blk.path.is_empty() {
                    return None;
                }
                Some(sha(&fs::read(p.sample_path(&blk.path)?).ok()?))
            })
            .collect()
    };
    let (a, b) = (sample(src, 0), sample(dst, bank));
    assert_eq!(a.len(), b.len());
    let mut n = 0;
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        if x.is_some() {
            assert_eq!(x, y, "reference {i} of bank {bank} plays another file");
            n += 1;
        }
    }
    n
}

#[test]
fn two_copies_into_one_project_at_once_never_mix() {
    let t = tempfile::tempdir().unwrap();
    // Two sources whose big sample has the same name and different bytes.
    let (Some(s1), Some(s3)) = (
        source_set(&t.path().join("S1"), 400_000, 1),
        source_set(&t.path().join("S3"), 400_000, 2),
    ) else {
        return;
    };
    let dst = t.path().join("S2");
    let ro = OpenOptions {
        project: None,
        read_only: true,
    };
    let p1 = Project::open(&s1.join("HELLO"), &ro).unwrap();
    let p3 = Project::open(&s3.join("HELLO"), &ro).unwrap();
    let (mut both, mut one) = (0, 0);
    for round in 0..20 {
        reset_dest(&dst);
        let original = Project::open(&dst.join("MULTI"), &ro).unwrap();
        let a = copy_cmd(&s1, "A", &dst, "B").spawn().unwrap();
        let b = copy_cmd(&s3, "A", &dst, "C").spawn().unwrap();
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let d = Project::open(&dst.join("MULTI"), &ro).unwrap();
        for (out, src, bank) in [(&a, &p1, 1), (&b, &p3, 2)] {
            if out.status.success() {
                assert!(plays_sources_samples(src, &d, bank) > 0);
            } else {
                let e = String::from_utf8_lossy(&out.stderr);
                assert!(
                    e.contains("changed on disk") || e.contains("appeared since"),
                    "round {round}: refused for another reason: {e}"
                );
                // A refused copy changed nothing of its bank.
                assert_eq!(
                    d.file_bytes(octa::project::FileId::Bank(bank), false),
                    original.file_bytes(octa::project::FileId::Bank(bank), false),
                    "round {round}"
                );
            }
        }
        assert!(
            a.status.success() || b.status.success(),
            "round {round}: both refused"
        );
        if a.status.success() && b.status.success() {
            both += 1;
        } else {
            one += 1;
        }
        check_clean(&dst.join("MULTI"), &format!("round {round}"));
        assert!(!tree(&dst).keys().any(|k| k.contains(".octa-tmp-")));
    }
    eprintln!(
        "two copies at once, 20 rounds: both succeeded {both} times, one refused {one} times"
    );
}

/// Mounts a tmpfs of `size` at `dir`; `None` (with a message) when mounting is refused.
#[allow(
    clippy::print_stderr,
    reason = "says why the full-disk case did not run"
)]
fn tmpfs(dir: &Path, size: &str) -> Option<Mounted> {
    fs::create_dir_all(dir).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        // CI runs as root where mounting works: there a refusal is a failure, not a skip
        // (`OCTA_SKIP_MOUNT=1` allows it on a CI without that right).
        assert!(
            std::env::var_os("CI").is_none() || std::env::var_os("OCTA_SKIP_MOUNT").is_some(),
            "cannot mount a tmpfs at {} with CI set: the full-disk case must run (set OCTA_SKIP_MOUNT=1 to allow skipping)",
            dir.display()
        );
        eprintln!("skipping: cannot mount a tmpfs (needs root); the full-disk case is not run");
        return None;
    }
    Some(Mounted(dir.to_path_buf()))
}

struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_refuses_the_copy_and_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let Some(src) = source_set(&t.path().join("S1"), 3_000_000, 3) else {
        return;
    };
    // multipart is about 1 MB; the 6 MB sample does not fit in 4 MB.
    let Some(_m) = tmpfs(&t.path().join("fs"), "4m") else {
        return;
    };
    let dst = t.path().join("fs/S2");
    reset_dest(&dst);
    let old = tree(&dst);
    let out = copy_cmd(&src, "A", &dst, "B").output().unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(e.contains("No space left") && e.contains("AUDIO"), "{e}");
    assert_eq!(tree(&dst), old, "a file changed or was left");
    assert!(!dst.join("MULTI").join(BACKUP_DIR).exists());
    check_clean(&dst.join("MULTI"), "full disk");
}

#[test]
fn an_immutable_bank_refuses_the_copy_and_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let Some(src) = source_set(&t.path().join("S1"), 10_000, 4) else {
        return;
    };
    let dst = t.path().join("S2");
    reset_dest(&dst);
    let bank = dst.join("MULTI/bank01.work");
    let ok = Command::new("chattr")
        .arg("+i")
        .arg(&bank)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none() || std::env::var_os("OCTA_SKIP_MOUNT").is_some(),
            "chattr +i failed on {} with CI set: the EPERM case must run (set OCTA_SKIP_MOUNT=1 to allow skipping)",
            bank.display()
        );
        eprintln!("skipping: chattr +i is not supported here; the EPERM case is not run");
        return;
    }
    struct Unlock(PathBuf);
    impl Drop for Unlock {
        fn drop(&mut self) {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        }
    }
    let _unlock = Unlock(bank.clone());
    let old = tree(&dst);
    // Bank A of the destination is bank01.work: the project file is replaced first, then the
    // bank's rename fails; the project file is put back.
    let out = copy_cmd(&src, "A", &dst, "A").output().unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        e.contains("bank01.work") && e.contains("not permitted"),
        "{e}"
    );
    assert_eq!(tree(&dst), old, "a file changed or was left");
    assert!(!octa::project::durable::interrupted(&dst.join("MULTI")));
    check_clean(&dst.join("MULTI"), "immutable bank");
}
