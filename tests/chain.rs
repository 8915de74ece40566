#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Sample chains and slice grids (issue #17): chains checked frame by frame against their
//! sources (read back with hound, an independent reader) and their `.ot` slice table read back
//! through the format module; the corpus chains (made by ot-tools) rebuilt from their own
//! slices give the same audio and slice table; a built chain split gives back its sources
//! frame-exact; onsets of a generated click track; zero-crossing snapping on a sine; hostile
//! input refused naming the file, with nothing written.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use octa::audio::chain::{
    Grid, OnsetOptions, even_cuts, onsets, random_cuts, slices_from_cuts, snap_cuts,
};
use octa::format::ot::SampleSettings;
use octa::format::regions::Slice;
use octa::project::chain::{
    ChainError, ChainOptions, SliceMethod, build_chain, slice_sample, split_chain,
};
use octa::project::durable::{self, Fault, Op, Recorder};

const TAU: f64 = std::f64::consts::TAU;

/// Writes an integer PCM WAV of the given frames (interleaved).
fn write_wav(path: &Path, rate: u32, bits: u16, channels: u16, data: &[i32]) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &v in data {
        w.write_sample(v).unwrap();
    }
    w.finalize().unwrap();
}

/// (spec, interleaved samples).
fn read_wav(path: &Path) -> (hound::WavSpec, Vec<i32>) {
    let mut r = hound::WavReader::open(path).unwrap();
    let spec = r.spec();
    (spec, r.samples::<i32>().map(Result::unwrap).collect())
}

/// Deterministic "noise" in 16-bit range (LCG), different per seed.
fn noise(seed: u32, n: usize, amp: i32) -> Vec<i32> {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ((s >> 16) as i32 % (2 * amp + 1)) - amp
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn octa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(args)
        .output()
        .unwrap()
}

fn ot_of(wav: &Path) -> SampleSettings {
    SampleSettings::parse(&fs::read(wav.with_extension("ot")).unwrap()).unwrap()
}

/// The device's tempo (×24) and trim length (bars × 100) for `frames` at 44.1 kHz, written out
/// from the rule of the format notes (§3.5): d = frames / rate; under 1 s 120 BPM; else 240/d
/// doubled or halved into [85, 170); bars × 100 = round(d × tempo / 240 × 100).
fn device_tempo_and_trim(frames: u64) -> (u32, u32) {
    let d = frames as f64 / 44_100.0;
    let mut t = 120.0;
    if d >= 1.0 {
        t = 240.0 / d;
        while t < 85.0 {
            t *= 2.0;
        }
        while t >= 170.0 {
            t /= 2.0;
        }
    }
    (
        (t * 24.0).round() as u32,
        (d * t / 240.0 * 100.0).round() as u32,
    )
}

#[test]
fn fit_chain_is_its_sources_frame_by_frame() {
    let d = tempfile::tempdir().unwrap();
    // Five 44.1 kHz 16-bit sources, mono and stereo, 132300 frames (3 s) in all.
    let lengths = [10_000usize, 22_050, 30_000, 44_100, 26_150];
    let mut files = Vec::new();
    let mut sources: Vec<(u16, Vec<i32>)> = Vec::new();
    for (i, &n) in lengths.iter().enumerate() {
        let ch: u16 = if i % 2 == 0 { 1 } else { 2 };
        let data = noise(i as u32, n * usize::from(ch), 20_000);
        let p = d.path().join(format!("src{i}.wav"));
        write_wav(&p, 44_100, 16, ch, &data);
        files.push(p);
        sources.push((ch, data));
    }
    let out = d.path().join("out").join("chain.wav");
    fs::create_dir(d.path().join("out")).unwrap();
    let r = build_chain(&out, &files, &ChainOptions::default()).unwrap();
    assert_eq!((r.channels, r.bits, r.frames), (2, 16, 132_300));
    let (spec, chain) = read_wav(&out);
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (2, 44_100, 16)
    );
    assert_eq!(chain.len(), 132_300 * 2);
    // Frame by frame: mono sources on both channels, stereo as they are.
    let mut at = 0usize;
    for (ch, data) in &sources {
        let n = data.len() / usize::from(*ch);
        for f in 0..n {
            let (l, r) = if *ch == 1 {
                (data[f], data[f])
            } else {
                (data[2 * f], data[2 * f + 1])
            };
            assert_eq!(
                (chain[2 * (at + f)], chain[2 * (at + f) + 1]),
                (l, r),
                "frame {f} of a source at {at}"
            );
        }
        at += n;
    }
    // The .ot, read back through the format module.
    let ot = ot_of(&out);
    assert!(ot.warnings().is_empty());
    let want = [
        (0, 10_000),
        (10_000, 32_050),
        (32_050, 62_050),
        (62_050, 106_150),
        (106_150, 132_300),
    ];
    let got: Vec<(u32, u32)> = ot.slices().iter().map(|s| (s.start, s.end)).collect();
    assert_eq!(got, want);
    assert!(ot.slices().iter().all(|s| s.loop_start == u32::MAX));
    assert_eq!((ot.trim_start(), ot.trim_end()), (0, 132_300));
    // 3 s: 240/3 = 80 BPM, doubled to 160 (3840); 3 × 160 / 240 = 2 bars.
    assert_eq!((ot.tempo_x24(), ot.trim_len_x100()), (3840, 200));
    assert_eq!(device_tempo_and_trim(132_300), (3840, 200));
    assert_eq!(ot.gain(), 48);
    // Nothing else written.
    assert_eq!(names(&d.path().join("out")), ["chain.ot", "chain.wav"]);
}

#[test]
fn even_grid_pads_each_file_to_the_longest() {
    let d = tempfile::tempdir().unwrap();
    let lens = [1000usize, 3000, 2000];
    let mut files = Vec::new();
    let mut datas = Vec::new();
    for (i, &n) in lens.iter().enumerate() {
        let data = noise(10 + i as u32, n, 30_000);
        let p = d.path().join(format!("s{i}.wav"));
        write_wav(&p, 44_100, 16, 1, &data);
        files.push(p);
        datas.push(data);
    }
    let out = d.path().join("even.wav");
    let mut args = vec!["chain", out.to_str().unwrap()];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    args.extend(["--grid", "even", "--slices", "4"]);
    let r = octa(&args);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(String::from_utf8_lossy(&r.stdout).contains("4 slices"));
    let (spec, chain) = read_wav(&out);
    assert_eq!(spec.channels, 1);
    assert_eq!(chain.len(), 12_000);
    for (i, data) in datas.iter().enumerate() {
        let slot = &chain[i * 3000..(i + 1) * 3000];
        assert_eq!(&slot[..data.len()], &data[..]);
        assert!(slot[data.len()..].iter().all(|&v| v == 0), "padding of {i}");
    }
    assert!(chain[9000..].iter().all(|&v| v == 0));
    let got: Vec<(u32, u32)> = ot_of(&out)
        .slices()
        .iter()
        .map(|s| (s.start, s.end))
        .collect();
    assert_eq!(got, [(0, 3000), (3000, 6000), (6000, 9000), (9000, 12_000)]);
    // --slices without an even grid, or fewer slots than files: refused, nothing written.
    let bad = ChainOptions {
        grid: Grid::Fit,
        slices: Some(4),
        force: false,
    };
    let out2 = d.path().join("fit.wav");
    assert!(build_chain(&out2, &files, &bad).is_err());
    let few = ChainOptions {
        grid: Grid::Even,
        slices: Some(2),
        force: false,
    };
    let e = build_chain(&out2, &files, &few).unwrap_err().to_string();
    assert!(e.contains("--slices 2"), "{e}");
    assert!(!out2.exists() && !out2.with_extension("ot").exists());
}

#[test]
fn resampled_and_deeper_sources_make_a_44k_24_bit_chain() {
    let d = tempfile::tempdir().unwrap();
    // 0.5 s of a 1 kHz sine at 48 kHz 24-bit and 0.25 s of 16-bit 44.1 kHz.
    let a: Vec<i32> = (0..24_000)
        .map(|i| ((TAU * 1000.0 * i as f64 / 48_000.0).sin() * 4_000_000.0) as i32)
        .collect();
    let b = noise(3, 11_025, 10_000);
    let (pa, pb) = (d.path().join("a.wav"), d.path().join("b.wav"));
    write_wav(&pa, 48_000, 24, 1, &a);
    write_wav(&pb, 44_100, 16, 1, &b);
    let out = d.path().join("mix.wav");
    let r = build_chain(&out, &[pa, pb], &ChainOptions::default()).unwrap();
    assert_eq!((r.bits, r.channels), (24, 1));
    let (spec, chain) = read_wav(&out);
    assert_eq!((spec.sample_rate, spec.bits_per_sample), (44_100, 24));
    // 24000 frames at 48 kHz = 22050 at 44.1 kHz.
    assert_eq!(chain.len(), 22_050 + 11_025);
    let ot = ot_of(&out);
    assert_eq!(
        ot.slices()
            .iter()
            .map(|s| (s.start, s.end))
            .collect::<Vec<_>>(),
        [(0, 22_050), (22_050, 33_075)]
    );
    // The sine kept its level (peak 4e6 / 2^23 of full scale) and frequency (1000 Hz: a
    // rising crossing every 44.1 frames).
    let s = &chain[2000..20_000];
    let peak = s.iter().map(|v| v.abs()).max().unwrap();
    assert!((peak - 4_000_000).abs() < 40_000, "peak {peak}");
    let rising = s.windows(2).filter(|w| w[0] < 0 && w[1] >= 0).count();
    assert!((407..=409).contains(&rising), "{rising} rising crossings");
    // The 16-bit source, carried in 24 bits: exact (its values times 256).
    for (i, &v) in b.iter().enumerate() {
        assert_eq!(chain[22_050 + i], v * 256, "frame {i}");
    }
}

#[test]
fn split_gives_back_the_sources_frame_exact() {
    let d = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, n) in [777usize, 5000, 12_345].into_iter().enumerate() {
        let p = d.path().join(format!("part{i}.wav"));
        write_wav(&p, 44_100, 16, 2, &noise(20 + i as u32, 2 * n, 32_000));
        files.push(p);
    }
    let chain = d.path().join("c.wav");
    build_chain(&chain, &files, &ChainOptions::default()).unwrap();
    let to = d.path().join("back");
    fs::create_dir(&to).unwrap();
    let out = octa(&[
        "chain",
        "--split",
        chain.to_str().unwrap(),
        "--to",
        to.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(names(&to), ["c-01.wav", "c-02.wav", "c-03.wav"]);
    for (i, f) in files.iter().enumerate() {
        let (s0, a) = read_wav(f);
        let (s1, b) = read_wav(&to.join(format!("c-{:02}.wav", i + 1)));
        assert_eq!(s0, s1);
        assert_eq!(a, b, "source {i}");
    }
    // Splitting again without --force: refused, naming the file, nothing changed.
    let again = split_chain(&chain, Some(&to), false)
        .unwrap_err()
        .to_string();
    assert!(
        again.contains("c-01.wav") && again.contains("already exists"),
        "{again}"
    );
}

/// The corpus chains (written by ot-tools): their slices cut out, joined again by octa, give
/// the same audio and the same slice table; tempo and trim are the device's estimate.
#[test]
fn corpus_chains_rebuilt_from_their_slices() {
    for n in [1usize, 2, 16, 64] {
        let Some(dir) = octa::testutil::corpus(&format!("ot/sample-settings/chain-{n}")) else {
            return;
        };
        let wav = dir.join("valid-1.wav");
        let ot = SampleSettings::parse(&fs::read(dir.join("valid-1.ot")).unwrap()).unwrap();
        let slices = ot.slices();
        assert_eq!(slices.len(), n);
        let (spec, data) = read_wav(&wav);
        let ch = usize::from(spec.channels);
        let frames = (data.len() / ch) as u32;
        assert_eq!(ot.trim_end(), frames);
        let t = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for (i, s) in slices.iter().enumerate() {
            let p = t.path().join(format!("{i:02}.wav"));
            let part = &data[s.start as usize * ch..s.end as usize * ch];
            write_wav(
                &p,
                spec.sample_rate,
                spec.bits_per_sample,
                spec.channels,
                part,
            );
            files.push(p);
        }
        let out = t.path().join("rebuilt.wav");
        build_chain(&out, &files, &ChainOptions::default()).unwrap();
        let (spec2, data2) = read_wav(&out);
        assert_eq!(spec2, spec, "chain-{n}");
        assert_eq!(data2, data, "chain-{n}: audio");
        let mine = ot_of(&out);
        assert_eq!(mine.slices(), slices, "chain-{n}: slice table");
        assert_eq!((mine.trim_start(), mine.trim_end()), (0, frames));
        assert_eq!(
            (mine.tempo_x24(), mine.trim_len_x100()),
            device_tempo_and_trim(u64::from(frames)),
            "chain-{n}"
        );
        // Splitting the corpus chain gives the same parts.
        let c = t.path().join("corpus.wav");
        fs::copy(&wav, &c).unwrap();
        fs::copy(dir.join("valid-1.ot"), t.path().join("corpus.ot")).unwrap();
        let parts = split_chain(&c, None, false).unwrap();
        assert_eq!(parts.len(), n);
        for (i, p) in parts.iter().enumerate() {
            assert_eq!(
                read_wav(p),
                read_wav(&files[i]),
                "chain-{n} slice {}",
                i + 1
            );
        }
    }
}

/// A click track: 3 ms bursts of a decaying 3 kHz tone at known times over quiet noise.
fn click_track(times: &[f64], secs: f64) -> Vec<f32> {
    let rate = 44_100.0;
    let n = (secs * rate) as usize;
    let mut x: Vec<f32> = noise(99, n, 30)
        .iter()
        .map(|&v| v as f32 / 32768.0)
        .collect();
    for &t in times {
        let at = (t * rate) as usize;
        for k in 0..(0.003 * rate) as usize {
            let tt = k as f64 / rate;
            x[at + k] += (0.8 * (TAU * 3000.0 * tt).sin() * (-tt / 0.001).exp()) as f32;
        }
    }
    x
}

#[test]
fn onsets_of_a_click_track_within_a_few_ms() {
    let times = [0.1, 0.33, 0.5, 0.81, 1.2, 1.45, 1.9];
    let x = click_track(&times, 2.2);
    let found = onsets(&x, 1, 44_100, &OnsetOptions::default());
    assert_eq!(found.len(), times.len(), "{found:?}");
    for (f, t) in found.iter().zip(times) {
        let err_ms = (*f as f64 / 44.1 - t * 1000.0).abs();
        assert!(
            err_ms <= 3.0,
            "click at {t} s found at {f} ({err_ms} ms off)"
        );
    }
    // Through `octa slices --onsets`: 8 slices, cut at the clicks.
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("clicks.wav");
    let data: Vec<i32> = x.iter().map(|v| (v * 32767.0).round() as i32).collect();
    write_wav(&p, 44_100, 16, 1, &data);
    let out = octa(&["slices", p.to_str().unwrap(), "--onsets"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ot = ot_of(&p);
    let s = ot.slices();
    assert_eq!(s.len(), times.len() + 1);
    assert_eq!(s[0].start, 0);
    assert_eq!(s.last().unwrap().end, data.len() as u32);
    for (sl, t) in s[1..].iter().zip(times) {
        let err_ms = (f64::from(sl.start) / 44.1 - t * 1000.0).abs();
        assert!(err_ms <= 5.0, "slice at {} for a click at {t} s", sl.start);
    }
    assert!(s.windows(2).all(|w| w[0].end == w[1].start));
    // A fresh .ot: the device's defaults for the sample.
    assert_eq!(ot.trim_end(), data.len() as u32);
    assert_eq!(ot.unknown_byte22(), 1);
}

#[test]
fn cuts_snap_to_zero_crossings_of_a_sine() {
    // 441 Hz (100 frames a period), phase 0.3 rad: crossings between frames, 50 frames apart.
    let x: Vec<f32> = (0..44_100)
        .map(|i| (TAU * 441.0 * i as f64 / 44_100.0 + 0.3).sin() as f32 * 0.9)
        .collect();
    let cuts = even_cuts(44_100, 16);
    let snapped = snap_cuts(&x, 1, &cuts, 60);
    assert_eq!(snapped.len(), 17);
    assert_eq!((snapped[0], snapped[16]), (0, 44_100));
    // The sine crosses zero where 441·2π·t + 0.3 = kπ: frame (k·50 − 0.3·50/π).
    let offset = 0.3 * 50.0 / std::f64::consts::PI;
    for (c, s) in cuts[1..16].iter().zip(&snapped[1..16]) {
        let k = ((*s as f64 + offset) / 50.0).round();
        let exact = k * 50.0 - offset;
        assert!(
            (*s as f64 - exact).abs() <= 0.5,
            "cut {c} snapped to {s}, crossing at {exact}"
        );
        assert!(s.abs_diff(*c) <= 25, "cut {c} moved to {s}");
        assert!(
            x[*s as usize].abs() < 0.03,
            "value {} at {s}",
            x[*s as usize]
        );
    }
    // Stereo: crossings of the channels' sum.
    let st: Vec<f32> = x.iter().flat_map(|&v| [v, v]).collect();
    assert_eq!(snap_cuts(&st, 2, &cuts, 60), snapped);
    // Random grid: reproducible, snapped the same way.
    let r = random_cuts(44_100, 12, 42);
    let rs = snap_cuts(&x, 1, &r, 60);
    assert!(
        rs[1..rs.len() - 1]
            .iter()
            .all(|&c| x[c as usize].abs() < 0.03)
    );
    let sl = slices_from_cuts(&rs);
    assert_eq!(sl.len(), rs.len() - 1);
    assert_eq!(sl[0], Slice::new(0, rs[1] as u32));
}

#[test]
fn slices_even_and_random_written_to_the_ot() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("tone.wav");
    let data: Vec<i32> = (0..88_200)
        .map(|i| ((TAU * 441.0 * i as f64 / 44_100.0 + 0.3).sin() * 20_000.0) as i32)
        .collect();
    write_wav(&p, 44_100, 16, 1, &data);
    let r = slice_sample(&p, SliceMethod::Even(8), None).unwrap();
    assert_eq!(r.slices.len(), 8);
    let ot = ot_of(&p);
    assert_eq!(ot.slices(), r.slices);
    for s in &ot.slices()[1..] {
        // Within 25 frames of i·11025, on a crossing.
        let i = (f64::from(s.start) / 11_025.0).round() as u32;
        assert!(s.start.abs_diff(i * 11_025) <= 25, "{}", s.start);
        assert!(
            data[s.start as usize].abs() < 700,
            "{}",
            data[s.start as usize]
        );
    }
    // Again with --random: the settings kept, slices replaced, the old .ot backed up.
    let before = fs::read(p.with_extension("ot")).unwrap();
    let out = octa(&[
        "slices",
        p.to_str().unwrap(),
        "--random",
        "5",
        "--seed",
        "9",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ot2 = ot_of(&p);
    assert_eq!(ot2.slices().len(), 5);
    assert_eq!(ot2.tempo_x24(), ot.tempo_x24());
    let backups: Vec<_> = walk(&d.path().join(".octa-backup"));
    assert_eq!(backups.len(), 1);
    assert_eq!(fs::read(&backups[0]).unwrap(), before);
    let again = slice_sample(&p, SliceMethod::Random(5, 9), None).unwrap();
    assert_eq!(again.slices, ot2.slices());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn slices_go_to_the_markers_of_the_project_slot() {
    let Some(blank) = octa::testutil::corpus("ot/blank-1.40B") else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let set = d.path().join("SET");
    let proj = set.join("P1");
    fs::create_dir_all(set.join("AUDIO")).unwrap();
    fs::create_dir_all(&proj).unwrap();
    for e in fs::read_dir(&blank).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), proj.join(e.file_name())).unwrap();
    }
    let sample = set.join("AUDIO").join("loop.wav");
    write_wav(&sample, 44_100, 16, 1, &noise(5, 44_100, 20_000));
    let a = octa(&["slots", proj.to_str().unwrap(), "--assign", "F3=loop.wav"]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let out = octa(&[
        "slices",
        sample.to_str().unwrap(),
        "--even",
        "4",
        "--project",
        proj.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = octa::format::markers::Markers::parse(&fs::read(proj.join("markers.work")).unwrap())
        .unwrap();
    let slot = octa::format::slot_attrs::SlotRef::Flex(3);
    let got = m.slices(slot).unwrap();
    assert_eq!(got, ot_of(&sample).slices());
    assert_eq!(got.len(), 4);
    assert_eq!(got[3].end, 44_100);
    // A sample no slot plays: refused naming the project; its .ot not written.
    let other = set.join("AUDIO").join("other.wav");
    write_wav(&other, 44_100, 16, 1, &noise(6, 4410, 100));
    let e = slice_sample(&other, SliceMethod::Even(2), Some(&proj))
        .unwrap_err()
        .to_string();
    assert!(e.contains("P1") && e.contains("other.wav"), "{e}");
    assert!(!other.with_extension("ot").exists());
}

#[test]
fn hostile_input_is_refused_naming_the_file_and_nothing_is_written() {
    let d = tempfile::tempdir().unwrap();
    let good = d.path().join("good.wav");
    write_wav(&good, 44_100, 16, 1, &noise(1, 1000, 1000));
    let text = d.path().join("notes.wav");
    fs::write(&text, b"this is not audio at all, just text").unwrap();
    let out = d.path().join("out.wav");
    let listing = names(d.path());

    // A non-audio file among the sources (CLI: exit 1, the file named).
    let r = octa(&[
        "chain",
        out.to_str().unwrap(),
        good.to_str().unwrap(),
        text.to_str().unwrap(),
    ]);
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("notes.wav"), "{err}");
    assert_eq!(names(d.path()), listing);

    // 65 files: refused, naming the 65th.
    let many: Vec<PathBuf> = (0..65).map(|_| good.clone()).collect();
    let mut many = many;
    many[64] = d.path().join("sixty-fifth.wav");
    let e = build_chain(&out, &many, &ChainOptions::default()).unwrap_err();
    assert!(matches!(e, ChainError::TooMany { count: 65, .. }));
    assert!(e.to_string().contains("sixty-fifth.wav"), "{e}");
    assert_eq!(names(d.path()), listing);

    // A file cut short (its header claims 22050 frames, about 1478 are there): chained with
    // the frames it holds, and a warning naming it.
    if let Some(short) = octa::testutil::corpus("audio/bad-truncated.wav") {
        let r = build_chain(
            &d.path().join("short.wav"),
            &[short],
            &ChainOptions::default(),
        )
        .unwrap();
        assert!(r.frames < 22_050 && r.frames > 1000, "{}", r.frames);
        assert!(
            r.warnings.iter().any(|w| w.contains("bad-truncated.wav")),
            "{:?}",
            r.warnings
        );
        fs::remove_file(d.path().join("short.wav")).unwrap();
        fs::remove_file(d.path().join("short.ot")).unwrap();
    }
    // A header that lies about its chunk sizes: refused, named.
    if let Some(bad) = octa::testutil::corpus("audio/bad-header.wav") {
        let e = build_chain(&out, &[good.clone(), bad], &ChainOptions::default()).unwrap_err();
        assert!(e.to_string().contains("bad-header.wav"), "{e}");
        assert_eq!(names(d.path()), listing);
    }

    // Exactly 64 is fine.
    let ok: Vec<PathBuf> = (0..64).map(|_| good.clone()).collect();
    let r = build_chain(&out, &ok, &ChainOptions::default()).unwrap();
    assert_eq!(r.slices.len(), 64);
    // ... and not written over without --force.
    let e = build_chain(&out, &ok, &ChainOptions::default()).unwrap_err();
    assert!(e.to_string().contains("out.wav"), "{e}");
    fs::remove_file(&out).unwrap();
    fs::remove_file(out.with_extension("ot")).unwrap();

    // A bad .ot beside a sample: `octa slices` names it and leaves it as it was.
    let bad_ot = good.with_extension("ot");
    fs::write(&bad_ot, vec![7u8; 832]).unwrap();
    let r = octa(&["slices", good.to_str().unwrap(), "--even", "4"]);
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("good.ot"), "{err}");
    assert_eq!(fs::read(&bad_ot).unwrap(), vec![7u8; 832]);
    // ... and `--split` too.
    let r = octa(&["chain", "--split", good.to_str().unwrap()]);
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("good.ot"));
    fs::remove_file(&bad_ot).unwrap();

    // A valid .ot whose slices do not fit the sample: the slice named, nothing written.
    let mut s = SampleSettings::for_sample(1000, 44_100);
    s.set_slices(&[Slice::new(0, 500), Slice::new(500, 5000)])
        .unwrap();
    fs::write(&bad_ot, s.to_bytes()).unwrap();
    let listing = names(d.path());
    let e = split_chain(&good, None, false).unwrap_err().to_string();
    assert!(e.contains("good.ot") && e.contains("slice 2"), "{e}");
    assert_eq!(names(d.path()), listing);

    // Out-of-range counts on the command line: usage errors (exit 2) naming the value.
    for args in [
        vec!["slices", good.to_str().unwrap(), "--even", "65"],
        vec!["slices", good.to_str().unwrap(), "--random", "0"],
        vec![
            "chain",
            out.to_str().unwrap(),
            good.to_str().unwrap(),
            "--grid",
            "even",
            "--slices",
            "65",
        ],
    ] {
        let r = octa(&args);
        assert_eq!(r.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(err.contains("'65'") || err.contains("'0'"), "{err}");
    }
    assert!(!out.exists());
    // Too many slices asked for (library).
    let e = slice_sample(&text, SliceMethod::Even(65), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("notes.wav") && e.contains("1..=64"), "{e}");
}

#[test]
fn a_failing_disk_leaves_no_chain_behind() {
    let d = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for i in 0..4 {
        let p = d.path().join(format!("f{i}.wav"));
        write_wav(&p, 44_100, 16, 2, &noise(i, 20_000, 9000));
        files.push(p);
    }
    let out_dir = d.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("chain.wav");
    // Count the operations of a good build, then fail each in turn.
    let rec = Recorder::new(Fault::None);
    durable::with_recorder(&rec, || {
        build_chain(&out, &files, &ChainOptions::default()).unwrap()
    });
    let ops_of_good_build = rec.ops();
    let ops = ops_of_good_build.len();
    assert!(ops >= 4, "{ops} operations");
    fs::remove_file(&out).unwrap();
    fs::remove_file(out.with_extension("ot")).unwrap();
    for (k, op) in ops_of_good_build.iter().enumerate() {
        let rec = Recorder::new(Fault::Once(k));
        let r =
            durable::with_recorder(&rec, || build_chain(&out, &files, &ChainOptions::default()));
        match r {
            // A failed fsync of the folder after both renames may still report success.
            Ok(_) => {
                assert_eq!(names(&out_dir), ["chain.ot", "chain.wav"], "op {k}");
                fs::remove_file(&out).unwrap();
                fs::remove_file(out.with_extension("ot")).unwrap();
            }
            Err(e) => {
                let listing = names(&out_dir);
                if matches!(op, Op::SyncDir(_)) && !listing.is_empty() {
                    // The folder's flush failed after both renames: both files are there
                    // (never one alone), and the error names the folder.
                    assert_eq!(listing, ["chain.ot", "chain.wav"], "op {k}: {e}");
                    assert!(e.to_string().contains("out"), "op {k}: {e}");
                    fs::remove_file(&out).unwrap();
                    fs::remove_file(out.with_extension("ot")).unwrap();
                } else {
                    assert!(e.to_string().contains("chain."), "op {k}: {e}");
                    assert_eq!(listing, Vec::<String>::new(), "op {k}: {e}");
                }
            }
        }
    }
    let rec = Recorder::new(Fault::AfterBytes(50_000));
    let r = durable::with_recorder(&rec, || build_chain(&out, &files, &ChainOptions::default()));
    assert!(r.is_err());
    assert_eq!(names(&out_dir), Vec::<String>::new());
}
