#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Recovery from an interrupted save (`src/project/durable.rs`), driven by journals written by
//! hand in the documented format (`octa-journal 1`, `state commit|staging`, `dir HEX`,
//! `file new|replace TMP TARGET OLD|-`, paths as hex bytes) rather than by octa's own writer;
//! and the temp files of dead processes.

use octa::project::durable::{self, JOURNAL};
use std::fs;
use std::path::Path;

/// A pid no process has (above Linux's largest pid_max, 2^22).
const DEAD: u32 = 4_194_305;

fn hex(p: &Path) -> String {
    p.to_str()
        .unwrap()
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn journal(dir: &Path, text: &str) {
    fs::write(dir.join(JOURNAL), text).unwrap();
}

#[test]
fn a_committed_save_is_finished() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let target = d.join("bank01.work");
    let tmp = d.join(format!(".bank01.work.octa-tmp-{DEAD}-1"));
    let old = d.join(format!(".bank01.work.octa-old-{DEAD}-2"));
    let new_target = d.join("kick.wav");
    let new_tmp = d.join(format!(".kick.wav.octa-tmp-{DEAD}-3"));
    fs::write(&target, b"OLD").unwrap();
    fs::write(&tmp, b"NEW").unwrap();
    fs::write(&old, b"OLD").unwrap();
    fs::write(&new_tmp, b"RIFF").unwrap();
    journal(
        d,
        &format!(
            "octa-journal 1\nstate commit\nfile replace {} {} {}\nfile new {} {} -\n",
            hex(&tmp),
            hex(&target),
            hex(&old),
            hex(&new_tmp),
            hex(&new_target)
        ),
    );
    assert!(durable::interrupted(d));
    let out = durable::recover(d).unwrap();
    assert_eq!(out, ["finished an interrupted save (2 files)"]);
    assert_eq!(fs::read(&target).unwrap(), b"NEW");
    assert_eq!(fs::read(&new_target).unwrap(), b"RIFF");
    assert!(!tmp.exists() && !old.exists() && !new_tmp.exists());
    assert!(!durable::interrupted(d));
    let mut names: Vec<String> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["bank01.work", "kick.wav"]);
    // nothing left to do: nothing done
    assert_eq!(durable::recover(d).unwrap(), Vec::<String>::new());
}

#[test]
fn a_new_file_whose_name_was_taken_meanwhile_is_kept_aside_unless_identical() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let same = d.join("same.wav");
    let same_tmp = d.join(format!(".same.wav.octa-tmp-{DEAD}-1"));
    let other = d.join("other.wav");
    let other_tmp = d.join(format!(".other.wav.octa-tmp-{DEAD}-2"));
    fs::write(&same, b"AAAA").unwrap();
    fs::write(&same_tmp, b"AAAA").unwrap();
    fs::write(&other, b"theirs").unwrap();
    fs::write(&other_tmp, b"ours").unwrap();
    journal(
        d,
        &format!(
            "octa-journal 1\nstate commit\nfile new {} {} -\nfile new {} {} -\n",
            hex(&same_tmp),
            hex(&same),
            hex(&other_tmp),
            hex(&other)
        ),
    );
    let out = durable::recover(d).unwrap();
    assert_eq!(
        out[0],
        format!(
            "{}: taken by another file; the interrupted save's copy is kept as {}",
            other.display(),
            other_tmp.display()
        )
    );
    assert_eq!(
        out[1],
        "finished an interrupted save (2 files, some kept aside)"
    );
    assert_eq!(fs::read(&other).unwrap(), b"theirs", "never replaced");
    assert!(!same_tmp.exists(), "identical copy removed");
    assert_eq!(fs::read(&same).unwrap(), b"AAAA");
    // the kept copy belongs to a dead process: the temp sweep that follows removes it
    assert_eq!(
        out[2],
        format!(
            "removed {} left by an interrupted write",
            other_tmp.display()
        )
    );
    assert_eq!(out.len(), 3);
}

#[test]
fn a_save_interrupted_while_staging_is_rolled_back() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let target = d.join("bank01.work");
    fs::write(&target, b"OLD").unwrap();
    let made = d.join(".octa-backup");
    let made_sub = made.join("20261207-120000");
    fs::create_dir_all(&made_sub).unwrap();
    let tmp = d.join(format!(".bank01.work.octa-tmp-{DEAD}-1"));
    fs::write(&tmp, b"NEW").unwrap();
    journal(
        d,
        &format!(
            "octa-journal 1\nstate staging\ndir {}\ndir {}\nfile replace {} {} -\n",
            hex(&made),
            hex(&made_sub),
            hex(&tmp),
            hex(&target)
        ),
    );
    let out = durable::recover(d).unwrap();
    assert_eq!(
        out,
        ["rolled back an interrupted save (1 staged files removed; the project is as it was)"]
    );
    assert_eq!(fs::read(&target).unwrap(), b"OLD");
    assert!(!tmp.exists());
    assert!(
        !made.exists(),
        "folders created by the save removed, innermost first"
    );
    assert!(!d.join(JOURNAL).exists());
}

#[test]
fn a_damaged_journal_is_refused_and_left_in_place() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let p = hex(&d.join("x"));
    for bad in [
        "octa-journal 2\nstate commit\n".to_string(),
        "octa-journal 1\nstate done\n".to_string(),
        "octa-journal 1\n".to_string(),
        format!("octa-journal 1\nstate commit\nfile copy {p} {p} -\n"),
        format!("octa-journal 1\nstate commit\nfile new {p} {p}\n"),
        format!("octa-journal 1\nstate commit\nfile new {p}0 {p} -\n"),
        format!("octa-journal 1\nstate commit\nfile new {p} zz -\n"),
        format!("octa-journal 1\nstate staging\ndir {p} {p}\n"),
        "octa-journal 1\nstate staging\nremove x\n".to_string(),
    ] {
        journal(d, &bad);
        let e = durable::recover(d).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}: journal of an interrupted save is damaged; left in place",
                d.join(JOURNAL).display()
            ),
            "{bad:?}"
        );
        assert_eq!(fs::read_to_string(d.join(JOURNAL)).unwrap(), bad);
    }
}

#[test]
fn the_sweep_removes_temp_files_of_dead_processes_only() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let me = std::process::id();
    let dead_tmp = d.join(format!(".a.work.octa-tmp-{DEAD}-1"));
    let dead_old = d.join(format!(".b.work.octa-old-{DEAD}-2"));
    let mine = d.join(format!(".c.work.octa-tmp-{me}-999999"));
    let live = d.join(".d.work.octa-tmp-1-1"); // pid 1 always runs
    let not_hidden = d.join(format!("e.work.octa-tmp-{DEAD}-1"));
    let no_pid = d.join(".f.work.octa-tmp-x-1");
    let plain = d.join(".g.work");
    for f in [
        &dead_tmp,
        &dead_old,
        &mine,
        &live,
        &not_hidden,
        &no_pid,
        &plain,
    ] {
        fs::write(f, b"x").unwrap();
    }
    let mut want = vec![dead_tmp.clone(), dead_old.clone(), mine.clone()];
    want.sort();
    assert_eq!(durable::leftover_temps(d), want);
    let out = durable::recover(d).unwrap();
    assert_eq!(out.len(), 3, "{out:?}");
    for f in &want {
        assert!(!f.exists());
        assert!(
            out.contains(&format!(
                "removed {} left by an interrupted write",
                f.display()
            )),
            "{out:?}"
        );
    }
    for f in [&live, &not_hidden, &no_pid, &plain] {
        assert!(f.exists(), "{}", f.display());
    }
    assert!(durable::leftover_temps(&d.join("absent")).is_empty());
}

#[test]
fn interrupted_saves_of_a_set_name_each_journal() {
    let t = tempfile::tempdir().unwrap();
    let set = t.path();
    for p in ["P1", "P2", "P3"] {
        fs::create_dir(set.join(p)).unwrap();
    }
    assert_eq!(durable::interrupted_saves(set), Vec::<String>::new());
    journal(&set.join("P2"), "octa-journal 1\nstate commit\n");
    fs::write(set.join("P3").join("bank01.work"), b"x").unwrap();
    assert_eq!(
        durable::interrupted_saves(set),
        [format!(
            "{}: interrupted save (its journal is left); any octa command opening the project \
             finishes or rolls it back",
            set.join("P2").join(JOURNAL).display()
        )]
    );
    // the project folder itself
    assert_eq!(durable::interrupted_saves(&set.join("P2")).len(), 1);
    assert!(durable::interrupted_saves(&set.join("P3")).is_empty());
}
