#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! `octa render` end to end: a corpus project with its samples, the same project with its
//! samples missing, a corrupt sample, sample formats, stems and a failing output path.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn octa(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .output()
        .unwrap()
}

fn render(project: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec![std::ffi::OsStr::new("render"), project.as_os_str()];
    args.extend(
        ["-b", "A", "-p", "1", "-o"]
            .iter()
            .map(std::ffi::OsStr::new),
    );
    args.push(out.as_os_str());
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    octa(&args)
}

/// hello-flex laid out as a set: SET/HELLO (project) and SET/AUDIO/projects/HELLO FLEX
/// (its samples, where the slots' PATHs lead).
fn hello_set(tmp: &Path) -> Option<PathBuf> {
    let project = octa::testutil::corpus("ot/hello-flex/project")?;
    let samples = octa::testutil::corpus("ot/hello-flex/samples")?;
    let dir = tmp.join("SET/HELLO");
    common::copy_dir(&project, &dir);
    common::copy_dir(&samples, &tmp.join("SET/AUDIO/projects/HELLO FLEX"));
    Some(dir)
}

fn read(path: &Path) -> (hound::WavSpec, Vec<f32>) {
    let mut r = hound::WavReader::open(path).unwrap();
    let spec = r.spec();
    let v = match spec.sample_format {
        hound::SampleFormat::Float => r.samples::<f32>().map(|s| s.unwrap()).collect(),
        hound::SampleFormat::Int => {
            let full = (1i64 << (spec.bits_per_sample - 1)) as f32;
            r.samples::<i32>()
                .map(|s| s.unwrap() as f32 / full)
                .collect()
        }
    };
    (spec, v)
}

/// A01 of hello-flex: 16 steps at 124 BPM (project.work TEMPOx24 = 2976).
const A01_FRAMES: usize = 85_355; // round(16 x 60 / 124 / 4 x 44100)

#[test]
fn renders_a_corpus_project_with_its_samples_and_stems() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(project) = hello_set(tmp.path()) else {
        return;
    };
    let out = tmp.path().join("out/a01.wav");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let o = render(&project, &out, &["--stems"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        !err.contains("F1:") && !err.contains("F2:") && !err.contains("F3:"),
        "{err}"
    );
    let (spec, v) = read(&out);
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (44_100, 2, 24)
    );
    assert_eq!(v.len(), 2 * A01_FRAMES);
    let peak = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!(peak > 0.05, "peak {peak}");
    // T1 (Electrokik) plays on step 1: sound in its stem's first step, and the T4 stem
    // (no trigs) is silent.
    let (_, t1) = read(&tmp.path().join("out/a01-T1.wav"));
    let step = (60.0 / 124.0 / 4.0 * 44_100.0) as usize;
    assert!(t1[..2 * step].iter().any(|x| x.abs() > 0.01));
    let (_, t4) = read(&tmp.path().join("out/a01-T4.wav"));
    assert!(t4.iter().all(|x| *x == 0.0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("rendered A01 x1") && stdout.contains("85355 frames"),
        "{stdout}"
    );
}

#[test]
fn missing_samples_play_silence_and_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(project) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    // The corpus keeps the samples beside the project, not where the slots' PATHs lead.
    let out = tmp.path().join("silent.wav");
    let o = render(&project, &out, &["--bits", "16"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    for name in ["Electrokik.wav", "22SD.wav", "42HH.wav"] {
        assert!(
            err.lines()
                .any(|l| l.contains("missing sample (plays silence)") && l.contains(name)),
            "{name} not listed: {err}"
        );
    }
    let (spec, v) = read(&out);
    assert_eq!(spec.bits_per_sample, 16);
    assert_eq!(v.len(), 2 * A01_FRAMES);
    assert!(v.iter().all(|x| *x == 0.0));
}

#[test]
fn a_corrupt_sample_is_a_warning_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(project) = hello_set(tmp.path()) else {
        return;
    };
    let bad = tmp.path().join("SET/AUDIO/projects/HELLO FLEX/22SD.wav");
    std::fs::write(
        &bad,
        b"RIFF\x10\x00\x00\x00WAVEfmt garbage that is not a wave file",
    )
    .unwrap();
    let out = tmp.path().join("x.wav");
    let o = render(&project, &out, &["--bits", "32f", "--tracks", "T1,T2"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("F2: warning") && l.contains("22SD.wav")),
        "{err}"
    );
    let (spec, v) = read(&out);
    assert_eq!(
        (spec.bits_per_sample, spec.sample_format),
        (32, hound::SampleFormat::Float)
    );
    // T1 still plays.
    assert!(v.iter().any(|x| x.abs() > 0.01));
}

#[test]
fn bad_arguments_and_unwritable_outputs_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(project) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    let o = render(&project, &tmp.path().join("x.wav"), &["--tracks", "T9"]);
    assert_eq!(o.status.code(), Some(2));
    let o = render(&project, &tmp.path().join("x.wav"), &["--bits", "12"]);
    assert_eq!(o.status.code(), Some(2));
    let target = tmp.path().join("no/such/folder/x.wav");
    let o = render(&project, &target, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no/such/folder/x.wav"), "{err}");
    assert!(!target.exists());
}
