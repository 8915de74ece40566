//! `octa chain` (build a sample chain, or split one) and `octa slices` (slice grids on a
//! sample); see [`crate::project::chain`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args, ValueEnum};

use crate::audio::chain::Grid;
use crate::project::chain::{ChainOptions, SliceMethod, build_chain, slice_sample, split_chain};

/// The chain layout on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GridArg {
    /// One slice per file, each as long as its file.
    Fit,
    /// Equal slots as long as the longest file (for the equal-slice modes).
    Even,
}

/// `octa chain OUT.wav FILE... [--grid even|fit] [--slices N]` or `octa chain --split CHAIN.wav`.
#[derive(Debug, Args)]
pub struct ChainArgs {
    /// The chain to write (a .wav; its .ot is written beside it).
    #[arg(required_unless_present = "split", value_name = "OUT.wav")]
    pub out: Option<PathBuf>,
    /// The files to join (any format octa decodes; at most 64).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// One slice per file (fit) or equal slots padded to the longest file (even).
    #[arg(long, value_enum, default_value = "fit")]
    pub grid: GridArg,
    /// With --grid even: the number of equal slots (files..=64; the rest silent).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub slices: Option<u64>,
    /// Write each slice of this chain (per its .ot) as its own file, `STEM-NN.wav`.
    #[arg(long, value_name = "CHAIN.wav", conflicts_with_all = ["out", "files", "slices"])]
    pub split: Option<PathBuf>,
    /// With --split: the folder to write to (default: the chain's folder).
    #[arg(long, value_name = "DIR", requires = "split")]
    pub to: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
}

/// `octa slices SAMPLE (--even N | --onsets | --random N [--seed S]) [--project P]`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("method").required(true).args(["even", "onsets", "random"])))]
pub struct SlicesArgs {
    /// The sample to slice (its .ot file is written or updated beside it).
    pub sample: PathBuf,
    /// N equal slices.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub even: Option<u64>,
    /// A slice at each transient (onset detection).
    #[arg(long)]
    pub onsets: bool,
    /// N slices of random lengths.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub random: Option<u64>,
    /// Seed for --random (the same seed gives the same slices).
    #[arg(long, default_value_t = 1, requires = "random")]
    pub seed: u64,
    /// Also write the slices to the markers of this project's slots that play the sample.
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<PathBuf>,
}

/// Runs `octa chain`.
pub fn chain(a: &ChainArgs) -> ExitCode {
    if let Some(c) = &a.split {
        return match split_chain(c, a.to.as_deref(), a.force) {
            Ok(files) => {
                for f in &files {
                    crate::outln!("{}", f.display());
                }
                crate::outln!("{}: {} slices written", c.display(), files.len());
                ExitCode::SUCCESS
            }
            Err(e) => {
                crate::errln!("octa chain --split: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let Some(out) = &a.out else {
        crate::errln!("octa chain: expected OUT.wav and the files to join");
        return ExitCode::FAILURE;
    };
    let opts = ChainOptions {
        grid: match a.grid {
            GridArg::Fit => Grid::Fit,
            GridArg::Even => Grid::Even,
        },
        slices: a.slices.map(|n| n as usize),
        force: a.force,
    };
    match build_chain(out, &a.files, &opts) {
        Ok(r) => {
            for w in &r.warnings {
                crate::errln!("octa chain: warning: {w}");
            }
            crate::outln!(
                "{}: {} slices, {} frames, {} ch, {}-bit, 44100 Hz; {}",
                r.wav.display(),
                r.slices.len(),
                r.frames,
                r.channels,
                r.bits,
                r.ot.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::errln!("octa chain: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `octa slices`.
pub fn slices(a: &SlicesArgs) -> ExitCode {
    let method = match (a.even, a.onsets, a.random) {
        (Some(n), _, _) => SliceMethod::Even(n as usize),
        (_, true, _) => SliceMethod::Onsets,
        (_, _, Some(n)) => SliceMethod::Random(n as usize, a.seed),
        _ => {
            crate::errln!("octa slices: expected --even N, --onsets or --random N");
            return ExitCode::FAILURE;
        }
    };
    match slice_sample(&a.sample, method, a.project.as_deref()) {
        Ok(r) => {
            for (i, s) in r.slices.iter().enumerate() {
                crate::outln!("{:2}  {}..{}", i + 1, s.start, s.end);
            }
            crate::outln!("{}: {} slices", r.ot.display(), r.slices.len());
            if !r.slots.is_empty() {
                crate::outln!("markers of slots {} set", r.slots.join(", "));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::errln!("octa slices: {e}");
            ExitCode::FAILURE
        }
    }
}
