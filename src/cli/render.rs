//! `octa render`: a pattern, chain or arrangement rendered offline by the local sample
//! engine to a WAV file (44.1 kHz), optionally one file per track.

use crate::engine::load::load_samples;
use crate::engine::{RenderOptions, Rendered, SAMPLE_RATE, render_with_progress};
use crate::format::arrangement::Block;
use crate::project::{OpenOptions, Project};
use crate::seq::arrange::arrangement_items;
use crate::seq::model::{DeviceSetup, SeqPattern};
use crate::seq::timeline::{PlayItem, RowOptions};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Sample format of the written WAV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Bits {
    /// 16-bit integer.
    #[value(name = "16")]
    I16,
    /// 24-bit integer.
    #[value(name = "24")]
    I24,
    /// 32-bit float.
    #[value(name = "32f")]
    F32,
}

/// Arguments of `octa render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// A project folder, set folder or zip.
    pub path: PathBuf,
    /// Bank letter A..P.
    #[arg(long, short, default_value = "A", value_parser = super::args::bank)]
    pub bank: String,
    /// Pattern number 1..16.
    #[arg(long, short, default_value_t = 1, value_parser = super::args::pattern)]
    pub pattern: usize,
    /// Patterns of the bank played in order (e.g. `1,2,5`) instead of one pattern.
    #[arg(long, value_delimiter = ',', value_parser = super::args::pattern, conflicts_with = "arrangement")]
    pub chain: Vec<usize>,
    /// Arrangement 1..8 (arrNN.work) instead of patterns.
    #[arg(long, value_parser = super::args::arrangement)]
    pub arrangement: Option<usize>,
    /// Passes of each pattern.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub loops: u32,
    /// Audio tracks played (e.g. `T1,T3`; default all).
    #[arg(long, value_delimiter = ',', value_parser = track)]
    pub tracks: Vec<usize>,
    /// Also write one file per track: OUT-T1.wav, ...
    #[arg(long)]
    pub stems: bool,
    /// Seed of the probability conditions.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Plays with FILL on.
    #[arg(long)]
    pub fill: bool,
    /// Crossfader position 0 (scene A) ..= 127 (scene B); without it scenes are not applied.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=127))]
    pub xfader: Option<u8>,
    /// Sample format.
    #[arg(long, value_enum, default_value_t = Bits::I24)]
    pub bits: Bits,
    /// The WAV file written.
    #[arg(long, short)]
    pub output: PathBuf,
    /// In a set or zip holding several projects: the project's folder name.
    #[arg(long)]
    pub project: Option<std::ffi::OsString>,
}

/// Parses `T1`..`T8` (or `1`..`8`) into a 0-based audio track.
fn track(s: &str) -> Result<usize, String> {
    let n = s.trim_start_matches(['T', 't']);
    match n.parse::<usize>() {
        Ok(t @ 1..=8) => Ok(t - 1),
        _ => Err(format!("expected an audio track T1..T8, found {s:?}")),
    }
}

/// What to play from the project, the device setup and a description.
fn items(p: &Project, args: &RenderArgs) -> Result<(Vec<PlayItem>, DeviceSetup, String), String> {
    let setup = DeviceSetup::from_project(p.project_file());
    if let Some(n) = args.arrangement {
        let rows = p.arrangement(n - 1).rows(Block::Working);
        let play = arrangement_items(&rows, |id| {
            let (b, pt) = (id as usize / 16, id as usize % 16);
            SeqPattern::from_bank(p.bank(b), b, pt).map(Arc::new)
        });
        for w in &play.warnings {
            crate::errln!("octa render: arrangement {n}: warning: {w}");
        }
        if play.items.is_empty() {
            return Err(format!(
                "arrangement {n} (arr{n:02}.work) has no pattern rows"
            ));
        }
        let desc = format!("arrangement {n} ({} rows)", play.items.len());
        return Ok((play.items, setup, desc));
    }
    let b = crate::format::parse_bank(&args.bank)
        .ok_or_else(|| format!("bank {:?} is not A..P", args.bank))?;
    let patterns = if args.chain.is_empty() {
        vec![args.pattern]
    } else {
        args.chain.clone()
    };
    let mut out = Vec::new();
    let mut names = Vec::new();
    for n in patterns {
        let pattern = SeqPattern::from_bank(p.bank(b), b, n - 1)
            .ok_or_else(|| format!("no pattern {n} in bank {}", args.bank))?;
        names.push(pattern.name.clone());
        out.push(PlayItem {
            pattern: Arc::new(pattern),
            passes: Some(args.loops),
            tempo: None,
            row: RowOptions::default(),
        });
    }
    Ok((out, setup, format!("{} x{}", names.join(" "), args.loops)))
}

/// Encodes stereo frames as a WAV file in memory.
pub fn encode_wav(frames: &[[f32; 2]], bits: Bits) -> Result<Vec<u8>, hound::Error> {
    let (bits_per_sample, sample_format) = match bits {
        Bits::I16 => (16, hound::SampleFormat::Int),
        Bits::I24 => (24, hound::SampleFormat::Int),
        Bits::F32 => (32, hound::SampleFormat::Float),
    };
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: SAMPLE_RATE,
        bits_per_sample,
        sample_format,
    };
    let mut cursor = std::io::Cursor::new(Vec::with_capacity(frames.len() * 8 + 64));
    {
        let mut w = hound::WavWriter::new(&mut cursor, spec)?;
        for f in frames {
            for &x in f {
                let x = if x.is_finite() { x } else { 0.0 };
                match bits {
                    Bits::I16 => w.write_sample((x.clamp(-1.0, 1.0) * 32767.0).round() as i16)?,
                    Bits::I24 => {
                        w.write_sample((x.clamp(-1.0, 1.0) * 8_388_607.0).round() as i32)?
                    }
                    Bits::F32 => w.write_sample(x)?,
                }
            }
        }
        w.finalize()?;
    }
    Ok(cursor.into_inner())
}

/// Samples of `frames` beyond full scale, and the peak (1.0 = full scale).
pub fn clipping(frames: &[[f32; 2]]) -> (usize, f32) {
    frames
        .iter()
        .flatten()
        .filter(|x| x.is_finite())
        .fold((0, 0.0f32), |(n, peak), &x| {
            (n + usize::from(x.abs() > 1.0), peak.max(x.abs()))
        })
}

/// The warning for a file whose integer samples were clipped, if any were.
pub fn clip_warning(path: &Path, frames: &[[f32; 2]], bits: Bits) -> Option<String> {
    if matches!(bits, Bits::F32) {
        return None;
    }
    let (n, peak) = clipping(frames);
    (n > 0).then(|| {
        format!(
            "{}: {n} sample(s) clipped at full scale (peak {:+.1} dBFS); lower the track levels or use --bits 32f",
            path.display(),
            20.0 * peak.log10()
        )
    })
}

/// `OUT.wav` -> `OUT-T3.wav`.
fn stem_path(out: &Path, track: usize) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "wav".into());
    out.with_file_name(format!("{stem}-T{}.{ext}", track + 1))
}

/// Writes one WAV through the project layer's atomic write path (temp file, fsync, rename).
fn write_wav(path: &Path, frames: &[[f32; 2]], bits: Bits) -> Result<(), String> {
    if let Some(w) = clip_warning(path, frames, bits) {
        crate::errln!("octa render: warning: {w}");
    }
    let bytes = encode_wav(frames, bits)
        .map_err(|e| format!("{}: encoding the WAV failed: {e}", path.display()))?;
    crate::project::durable::write_file(path, &bytes)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs `octa render`.
pub fn render(args: &RenderArgs) -> ExitCode {
    let p = match Project::open(
        &args.path,
        &OpenOptions {
            project: args.project.clone(),
            read_only: true,
        },
    ) {
        Ok(p) => p,
        Err(e) => {
            crate::errln!("octa render: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (items, setup, desc) = match items(&p, args) {
        Ok(x) => x,
        Err(e) => {
            crate::errln!("octa render: {e}");
            return ExitCode::FAILURE;
        }
    };
    let loaded = load_samples(&p, &items);
    for m in &loaded.missing {
        crate::errln!("octa render: missing sample (plays silence): {m}");
    }
    for w in &loaded.warnings {
        crate::errln!("octa render: {w}");
    }
    let mask = if args.tracks.is_empty() {
        0xFF
    } else {
        args.tracks.iter().fold(0u8, |m, t| m | (1 << t))
    };
    let opts = RenderOptions {
        seed: args.seed,
        fill: args.fill,
        tracks: mask,
        crossfader: args.xfader,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(8);
        b.set_message("rendering tracks");
        b
    });
    let started = std::time::Instant::now();
    let rendered: Rendered =
        render_with_progress(items, setup, &loaded.samples, opts, &mut |done| {
            if let Some(b) = &bar {
                b.set_position(done as u64);
            }
        });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let elapsed = started.elapsed().as_secs_f64();
    for n in &rendered.not_rendered {
        crate::errln!("octa render: note: {n}");
    }
    let mut failed = false;
    if let Err(e) = write_wav(&args.output, &rendered.main, args.bits) {
        crate::errln!("octa render: {e}");
        failed = true;
    }
    if args.stems && !failed {
        for (t, stem) in rendered.stems.iter().enumerate() {
            if mask & (1 << t) == 0 {
                continue;
            }
            let path = stem_path(&args.output, t);
            if let Err(e) = write_wav(&path, stem, args.bits) {
                crate::errln!("octa render: {e}");
                failed = true;
                break;
            }
        }
    }
    if failed {
        return ExitCode::FAILURE;
    }
    let secs = rendered.main.len() as f64 / f64::from(SAMPLE_RATE);
    crate::outln!(
        "rendered {desc}: {secs:.3} s ({} frames), {} onsets, {} missing samples, in {elapsed:.2} s -> {}",
        rendered.main.len(),
        rendered.onsets.len(),
        loaded.missing.len(),
        args.output.display()
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod clip_tests {
    use super::*;

    #[test]
    fn clipped_samples_are_counted_and_the_peak_given_in_dbfs() {
        let frames = [[0.5, -0.25], [1.5, -2.0], [1.0, f32::NAN]];
        assert_eq!(clipping(&frames), (2, 2.0));
        let w = clip_warning(Path::new("/x/out.wav"), &frames, Bits::I24).unwrap();
        assert_eq!(
            w,
            "/x/out.wav: 2 sample(s) clipped at full scale (peak +6.0 dBFS); lower the track levels or use --bits 32f"
        );
        assert_eq!(clip_warning(Path::new("o.wav"), &frames, Bits::F32), None);
        assert_eq!(
            clip_warning(Path::new("o.wav"), &[[1.0, -1.0]], Bits::I16),
            None
        );
    }
}
