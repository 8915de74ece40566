#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `octa audio convert` (issue #17): converted files decoded back with hound (an independent
//! reader): rate, depth, length, a 1 kHz sine's frequency and level; 16-bit output carries TPDF
//! dither (error statistics of a dithered quantiser, not a truncating one); a file the device
//! plays is left alone (same bytes, same mtime); a cancelled conversion or a failing disk leaves
//! no file behind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use octa::project::convert::{ConvertError, ConvertOptions, Outcome, convert_file};
use octa::project::durable::{self, Fault, Recorder};

const TAU: f64 = std::f64::consts::TAU;

/// A `rate` Hz integer PCM WAV holding `f(t)` on every channel.
fn write_wav(path: &Path, rate: u32, bits: u16, channels: u16, secs: f64, f: impl Fn(f64) -> f64) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let scale = f64::from(1u32 << (bits - 1));
    let n = (secs * f64::from(rate)).round() as usize;
    for i in 0..n {
        let v = (f(i as f64 / f64::from(rate)) * scale).round() as i32;
        for _ in 0..channels {
            w.write_sample(v).unwrap();
        }
    }
    w.finalize().unwrap();
}

/// Decoded back: (spec, frames as f64 channels, full scale ±1).
fn read_wav(path: &Path) -> (hound::WavSpec, Vec<Vec<f64>>) {
    let mut r = hound::WavReader::open(path).unwrap();
    let spec = r.spec();
    let scale = f64::from(1u32 << (spec.bits_per_sample - 1));
    let all: Vec<i32> = r.samples::<i32>().map(Result::unwrap).collect();
    let ch = usize::from(spec.channels);
    let chans = (0..ch)
        .map(|c| {
            all.iter()
                .skip(c)
                .step_by(ch)
                .map(|&v| f64::from(v) / scale)
                .collect()
        })
        .collect();
    (spec, chans)
}

/// Frequency from rising zero crossings (linear interpolation between samples).
fn frequency(x: &[f64], rate: f64) -> f64 {
    let mut first = None;
    let mut last = 0.0;
    let mut count = 0u32;
    for i in 1..x.len() {
        if x[i - 1] < 0.0 && x[i] >= 0.0 {
            let t = (i - 1) as f64 + x[i - 1] / (x[i - 1] - x[i]);
            if first.is_none() {
                first = Some(t);
            } else {
                count += 1;
            }
            last = t;
        }
    }
    f64::from(count) * rate / (last - first.unwrap())
}

fn rms(x: &[f64]) -> f64 {
    (x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn convert(src: &Path, opts: &ConvertOptions) -> Result<Outcome, ConvertError> {
    convert_file(src, opts, &AtomicBool::new(false), &mut |_, _| {})
}

fn converted_to(o: Outcome) -> PathBuf {
    match o {
        Outcome::Converted { to, .. } => to,
        other => panic!("not converted: {other:?}"),
    }
}

#[test]
fn a_48k_24_bit_sine_keeps_its_frequency_level_and_length() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("sine.wav");
    let secs = 3.0;
    write_wav(&src, 48_000, 24, 2, secs, |t| {
        0.5 * (TAU * 1000.0 * t).sin()
    });
    let out = converted_to(convert(&src, &ConvertOptions::default()).unwrap());
    // The source is a .wav: the output must not replace it.
    assert_eq!(out, t.path().join("sine-44k.wav"));
    assert_eq!(names(t.path()), ["sine-44k.wav", "sine.wav"]);
    let (spec, ch) = read_wav(&out);
    assert_eq!(spec.sample_rate, 44_100);
    assert_eq!(spec.bits_per_sample, 24);
    assert_eq!(spec.channels, 2);
    assert_eq!(spec.sample_format, hound::SampleFormat::Int);
    // Length within one frame per source second.
    let frames = ch[0].len() as f64;
    assert!((frames - secs * 44_100.0).abs() <= secs, "{frames} frames");
    for c in &ch {
        let body = &c[1000..c.len() - 1000];
        let f = frequency(body, 44_100.0);
        assert!((f - 1000.0).abs() < 0.05, "frequency {f} Hz");
        // A sine of peak 0.5 has RMS 0.5/sqrt(2); within 0.01 dB.
        let level = 20.0 * (rms(body) / (0.5 / 2f64.sqrt())).log10();
        assert!(level.abs() < 0.01, "level off by {level} dB");
        // Sample by sample against the ideal sine at 44.1 kHz (the filter's delay is trimmed):
        // the resampler's error is far below -100 dB.
        let worst = body
            .iter()
            .enumerate()
            .map(|(i, v)| (v - 0.5 * (TAU * 1000.0 * (i + 1000) as f64 / 44_100.0).sin()).abs())
            .fold(0.0f64, f64::max);
        assert!(worst < 1e-5, "worst error {worst}");
    }
}

#[test]
fn reducing_to_16_bits_adds_tpdf_dither_not_truncation() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("quiet.wav");
    let amp = 0.25;
    write_wav(&src, 48_000, 24, 1, 2.0, |t| amp * (TAU * 1000.0 * t).sin());
    let opts = ConvertOptions {
        bits: Some(16),
        to: Some(t.path().join("out")),
        ..ConvertOptions::default()
    };
    fs::create_dir(t.path().join("out")).unwrap();
    let o = convert(&src, &opts).unwrap();
    let Outcome::Converted { dithered, bits, .. } = &o else {
        panic!("{o:?}")
    };
    assert!(*dithered);
    assert_eq!(*bits, 16);
    let out = converted_to(o);
    assert_eq!(out, t.path().join("out/quiet.wav"));
    let (spec, ch) = read_wav(&out);
    assert_eq!(spec.bits_per_sample, 16);
    let lsb = 1.0 / 32_768.0;
    let err: Vec<f64> = ch[0][1000..80_000]
        .iter()
        .enumerate()
        .map(|(i, v)| (v - amp * (TAU * 1000.0 * (i + 1000) as f64 / 44_100.0).sin()) / lsb)
        .collect();
    let n = err.len() as f64;
    let mean = err.iter().sum::<f64>() / n;
    let var = err.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / n;
    // TPDF dither (variance 1/6 LSB^2) plus rounding (1/12): 1/4 LSB^2. Plain rounding would
    // give 1/12 and never an error beyond half an LSB; truncation a mean of -1/2 LSB.
    assert!(mean.abs() < 0.02, "mean error {mean} LSB");
    assert!((var - 0.25).abs() < 0.02, "error variance {var} LSB^2");
    let beyond_half = err.iter().filter(|e| e.abs() > 0.5).count() as f64 / n;
    // The error is the sum of three independent uniform variables in +-1/2 LSB (two of dither,
    // one of rounding): P(|e| > 1/2) = 1/3. Rounding without dither: 0.
    assert!(
        (beyond_half - 1.0 / 3.0).abs() < 0.02,
        "{beyond_half} of errors beyond half an LSB"
    );
    assert!(err.iter().all(|e| e.abs() < 1.6), "error beyond 1.5 LSB");
}

#[test]
fn mono_mixdown_of_a_22k_stereo_file() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("lofi.wav");
    write_wav(&src, 22_050, 16, 2, 1.0, |t| 0.5 * (TAU * 441.0 * t).sin());
    let opts = ConvertOptions {
        mono: true,
        ..ConvertOptions::default()
    };
    let out = converted_to(convert(&src, &opts).unwrap());
    let (spec, ch) = read_wav(&out);
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (44_100, 1, 16)
    );
    assert!((ch[0].len() as i64 - 44_100).abs() <= 1, "{}", ch[0].len());
    let body = &ch[0][500..ch[0].len() - 500];
    assert!((frequency(body, 44_100.0) - 441.0).abs() < 0.05);
    let level = 20.0 * (rms(body) / (0.5 / 2f64.sqrt())).log10();
    assert!(level.abs() < 0.02, "level off by {level} dB");
}

#[test]
fn a_file_the_device_plays_is_left_alone_unless_forced() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("ok.wav");
    write_wav(&src, 44_100, 16, 2, 0.5, |t| 0.3 * (TAU * 440.0 * t).sin());
    let before = fs::read(&src).unwrap();
    let mtime = fs::metadata(&src).unwrap().modified().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(["audio", "convert"])
        .arg(&src)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ok.wav") && stdout.contains("left alone"),
        "{stdout}"
    );
    assert_eq!(fs::read(&src).unwrap(), before);
    assert_eq!(fs::metadata(&src).unwrap().modified().unwrap(), mtime);
    assert_eq!(names(t.path()), ["ok.wav"]);
    // Forced: a copy at 44.1 kHz, 16-bit, samples identical (no dither on an exact copy).
    let out = Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(["audio", "convert", "--force"])
        .arg(&src)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(names(t.path()), ["ok-44k.wav", "ok.wav"]);
    let a = hound::WavReader::open(&src)
        .unwrap()
        .samples::<i32>()
        .map(Result::unwrap)
        .collect::<Vec<_>>();
    let b = hound::WavReader::open(t.path().join("ok-44k.wav"))
        .unwrap()
        .samples::<i32>()
        .map(Result::unwrap)
        .collect::<Vec<_>>();
    assert_eq!(a, b);
    // Again without --force: the output exists, refused, named.
    let src48 = t.path().join("hi.wav");
    write_wav(&src48, 48_000, 16, 1, 0.1, |_| 0.0);
    fs::write(t.path().join("hi-44k.wav"), b"keep").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(["audio", "convert"])
        .arg(&src48)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hi-44k.wav: already exists"), "{stderr}");
    assert_eq!(fs::read(t.path().join("hi-44k.wav")).unwrap(), b"keep");
}

#[test]
fn a_cancelled_conversion_leaves_no_file() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("long.wav");
    write_wav(&src, 48_000, 24, 2, 2.0, |t| 0.5 * (TAU * 100.0 * t).sin());
    let out_dir = t.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let cancel = AtomicBool::new(false);
    let mut calls = 0;
    let opts = ConvertOptions {
        to: Some(out_dir.clone()),
        ..ConvertOptions::default()
    };
    let r = convert_file(&src, &opts, &cancel, &mut |done, total| {
        calls += 1;
        assert!(done < total, "cancel must come before the end");
        if calls == 3 {
            cancel.store(true, Ordering::SeqCst);
        }
    });
    let e = r.unwrap_err();
    assert!(matches!(e, ConvertError::Cancelled { .. }), "{e}");
    assert!(e.to_string().contains("long.wav"), "{e}");
    assert_eq!(names(&out_dir), Vec::<String>::new());
}

#[test]
fn a_failing_disk_leaves_no_file_and_the_error_names_it() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("big.wav");
    write_wav(&src, 48_000, 24, 2, 1.0, |t| 0.5 * (TAU * 100.0 * t).sin());
    let out_dir = t.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let opts = ConvertOptions {
        to: Some(out_dir.clone()),
        ..ConvertOptions::default()
    };
    // Where the fsync and the rename come, from a run that succeeds (into another folder).
    let probe_dir = t.path().join("probe");
    fs::create_dir(&probe_dir).unwrap();
    let rec = Recorder::new(Fault::None);
    let probe = ConvertOptions {
        to: Some(probe_dir),
        ..ConvertOptions::default()
    };
    durable::with_recorder(&rec, || convert(&src, &probe)).unwrap();
    let ops = rec.ops();
    let at = |f: &dyn Fn(&durable::Op) -> bool| ops.iter().position(f).unwrap();
    let sync = at(&|o| matches!(o, durable::Op::SyncFile(_)));
    let rename = at(&|o| matches!(o, durable::Op::Rename(..)));
    // The disk fills up after 100 kB (of about 265 kB), then the fsync fails, then the rename.
    for fault in [
        Fault::AfterBytes(100_000),
        Fault::Once(sync),
        Fault::Once(rename),
    ] {
        let rec = Recorder::new(fault);
        let r = durable::with_recorder(&rec, || convert(&src, &opts));
        let e = r.unwrap_err();
        assert!(e.to_string().contains("big.wav"), "{fault:?}: {e}");
        assert_eq!(
            names(&out_dir),
            Vec::<String>::new(),
            "{fault:?}: {:?}",
            rec.ops()
        );
    }
    // And with a working disk it is written.
    converted_to(convert(&src, &opts).unwrap());
    assert_eq!(names(&out_dir), ["big.wav"]);
}

#[test]
fn an_unreadable_source_is_named_and_writes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("junk.wav");
    fs::write(&src, b"RIFF\x10\x00\x00\x00WAVEjunkjunk").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(["audio", "convert"])
        .arg(&src)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junk.wav"));
    assert_eq!(names(t.path()), ["junk.wav"]);
}

#[test]
fn bad_arguments_are_usage_errors_naming_the_value() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("a.wav");
    write_wav(&src, 48_000, 16, 1, 0.1, |_| 0.0);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_octa"))
            .args(["audio", "convert"])
            .args(args)
            .arg(&src)
            .output()
            .unwrap()
    };
    let out = run(&["--bits", "20"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("20"));
    let missing = t.path().join("nowhere");
    let out = run(&["--to", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere: not a folder"));
    assert_eq!(names(t.path()), ["a.wav"]);
}
