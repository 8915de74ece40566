//! `octa midi export` and `octa midi import`: a pattern, chain or arrangement to a standard
//! MIDI file, and the notes of a MIDI file into a pattern (conversion in
//! [`crate::interchange::midi_file`]). Exit 0 done, 1 a write failed, 2 bad arguments or a
//! bad input file (nothing written).

use super::midi::{MidiCliError, PlayArgs, load_play};
use crate::format::bank::midi_slot;
use crate::format::{bank_letter, parse_bank};
use crate::interchange::midi_file::{
    ImportPlan, SmfError, TRACK_NAMES, export, parse_map, plan_import, read_notes,
};
use crate::midi::record::write_take;
use crate::project::read::{Limit, read_limited};
use crate::project::{OpenOptions, Project};
use crate::seq::{DeviceSetup, SeqPattern};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Largest MIDI file read (a long song is a few hundred KB).
const MIDI_FILE: Limit = Limit {
    max: 64 << 20,
    what: "MIDI file",
    exact: false,
};

/// `octa midi export` arguments.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Project folder (holding project.work and bankNN.work).
    pub path: PathBuf,
    /// Bank letter A..P.
    #[arg(long, default_value = "A", value_parser = super::args::bank)]
    pub bank: String,
    /// Pattern number 1..16.
    #[arg(long, default_value_t = 1, value_parser = super::args::pattern)]
    pub pattern: usize,
    /// Export a chain of patterns of the bank instead (`--chain 1,2,5`).
    #[arg(long, value_delimiter = ',', value_parser = super::args::pattern, conflicts_with = "arrangement")]
    pub chain: Vec<usize>,
    /// Export arrangement 1..8 (arrNN.work) instead.
    #[arg(long, value_parser = super::args::arrangement)]
    pub arrangement: Option<usize>,
    /// Passes of each pattern.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub loops: u32,
    /// Seed of the probability conditions (the same seed gives the same file).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Tempo override in BPM (default: the project's, or the pattern's with pattern tempo on).
    #[arg(long, value_parser = super::args::tempo)]
    pub tempo: Option<f64>,
    /// The MIDI file to write.
    #[arg(short, long)]
    pub out: PathBuf,
}

/// `octa midi import` arguments.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The MIDI file (type 0 or 1) to read.
    pub input: PathBuf,
    /// Project folder.
    pub path: PathBuf,
    /// Bank letter A..P.
    #[arg(long, default_value = "A", value_parser = super::args::bank)]
    pub bank: String,
    /// Pattern number 1..16.
    #[arg(long, default_value_t = 1, value_parser = super::args::pattern)]
    pub pattern: usize,
    /// Channels to tracks, `CH:TRACK,...` (`1:T1,10:M2`); only these channels are read.
    /// Default: the file's track names T1..M8, else the audio trig and MIDI track channels.
    #[arg(long, value_parser = map_arg)]
    pub map: Option<Map>,
    /// Print the plan, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// A parsed `--map`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Map(pub Vec<(u8, usize)>);

fn map_arg(s: &str) -> Result<Map, String> {
    parse_map(s).map(Map)
}

fn fail(cmd: &str, e: impl std::fmt::Display, code: u8) -> ExitCode {
    crate::errln!("octa midi {cmd}: {e}");
    ExitCode::from(code)
}

fn code(e: &MidiCliError) -> u8 {
    match e {
        MidiCliError::Io(_) => 1,
        _ => 2,
    }
}

/// Runs `octa midi export`.
pub fn run_export(args: &ExportArgs) -> ExitCode {
    let mut stdout = super::out::Stdout;
    match export_to(args, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err((e, c)) => fail("export", e, c),
    }
}

fn export_to(args: &ExportArgs, out: &mut dyn Write) -> Result<(), (String, u8)> {
    let play = PlayArgs {
        path: args.path.clone(),
        bank: args.bank.clone(),
        pattern: if args.chain.is_empty() {
            vec![args.pattern]
        } else {
            args.chain.clone()
        },
        arrangement: args.arrangement,
        loops: args.loops,
        tempo: args.tempo,
        clock: false,
    };
    let (items, setup, desc) = load_play(&play).map_err(|e| (e.to_string(), code(&e)))?;
    let title = format!("octa: {desc}");
    let done = export(items, setup, args.seed, &title).map_err(|e| (e.to_string(), 2))?;
    crate::project::durable::write_file(&args.out, &done.bytes)
        .map_err(|e| (format!("{}: {e}", args.out.display()), 1))?;
    let io = |e: std::io::Error| (format!("output: {e}"), 1);
    let tempos: Vec<String> = {
        let mut v: Vec<String> = done
            .tempos
            .iter()
            .map(|t| format!("{:.2}", t.bpm))
            .collect();
        v.dedup();
        v
    };
    writeln!(
        out,
        "wrote {}: {desc}, {:.2} s at {} BPM, {} note(s), {} CC(s), seed {}",
        args.out.display(),
        done.end_secs,
        tempos.join("/"),
        done.notes.iter().sum::<usize>(),
        done.ccs.iter().sum::<usize>(),
        args.seed
    )
    .map_err(io)?;
    for (t, name) in TRACK_NAMES.iter().enumerate() {
        if done.notes[t] + done.ccs[t] > 0 {
            writeln!(
                out,
                "  {name}: {} note(s), {} CC(s)",
                done.notes[t], done.ccs[t]
            )
            .map_err(io)?;
        }
    }
    Ok(())
}

/// Runs `octa midi import`.
pub fn run_import(args: &ImportArgs) -> ExitCode {
    let mut stdout = super::out::Stdout;
    match import_into(args, &mut stdout) {
        Ok(_) => ExitCode::SUCCESS,
        Err((e, c)) => fail("import", e, c),
    }
}

/// Plans the import, prints the plan and (without `--dry-run`) writes the pattern through
/// the project's save. Errors carry their exit code.
pub fn import_into(args: &ImportArgs, out: &mut dyn Write) -> Result<ImportPlan, (String, u8)> {
    let input = args.input.display();
    let bytes = read_limited(&args.input, MIDI_FILE).map_err(|e| (format!("{input}: {e}"), 2))?;
    let notes = read_notes(&bytes).map_err(|e: SmfError| (format!("{input}: {e}"), 2))?;
    let bank =
        parse_bank(&args.bank).ok_or_else(|| (format!("bank '{}' is not A..P", args.bank), 2))?;
    let index = args.pattern - 1;
    let mut project =
        Project::open(&args.path, &OpenOptions::default()).map_err(|e| (e.to_string(), 2))?;
    let seq = SeqPattern::from_bank(project.bank(bank), bank, index).ok_or_else(|| {
        (
            format!("pattern {} is not in bank {}", args.pattern, args.bank),
            2,
        )
    })?;
    let setup = DeviceSetup::from_project(project.project_file());
    let plan = plan_import(
        &notes,
        &seq,
        &setup,
        args.map.as_ref().map(|m| m.0.as_slice()),
    );
    let io = |e: std::io::Error| (format!("output: {e}"), 1);
    let name = format!("{}{:02}", bank_letter(bank), args.pattern);
    writeln!(
        out,
        "{input}: {} note(s) at {} ticks per quarter into {name}:",
        notes.notes.len(),
        notes.ppq
    )
    .map_err(io)?;
    for tp in &plan.tracks {
        let steps: Vec<String> = tp.steps.iter().map(|s| (s + 1).to_string()).collect();
        let (len, _) = seq.track_timing(tp.track);
        write!(
            out,
            "  {}: {} note(s) on {} step(s) of {len}: {}",
            TRACK_NAMES[tp.track],
            tp.notes,
            tp.steps.len(),
            if steps.is_empty() {
                "-".to_string()
            } else {
                steps.join(" ")
            }
        )
        .map_err(io)?;
        if tp.unpitched > 0 {
            write!(
                out,
                "; {} at the sample's pitch (no PTCH lock)",
                tp.unpitched
            )
            .map_err(io)?;
        }
        writeln!(out).map_err(io)?;
        for (why, n) in &tp.dropped {
            writeln!(out, "    dropped {n}: {why}").map_err(io)?;
        }
    }
    for (why, n) in &plan.unmapped {
        writeln!(out, "  dropped {n}: {why}").map_err(io)?;
    }
    if plan.placed() == 0 {
        return Err((
            format!("{input}: no note fits a track of {name}; nothing written"),
            2,
        ));
    }
    if args.dry_run {
        writeln!(out, "dry run: nothing written").map_err(io)?;
        return Ok(plan);
    }
    let save_err = |e: &dyn std::fmt::Display| (e.to_string(), 1);
    let pattern = project
        .bank_mut(bank)
        .patterns
        .get_mut(index)
        .ok_or_else(|| (format!("pattern {} is not 1..16", args.pattern), 2))?;
    // The tracks that receive notes are replaced: their old steps go first.
    for tp in &plan.tracks {
        for s in 0..64 {
            let r = match tp.track {
                t @ 0..8 => pattern.audio[t].clear_step(s),
                t => match pattern.midi.get_mut(t - 8) {
                    Some(m) => m.clear_step(s),
                    None => Ok(()),
                },
            };
            r.map_err(|e| save_err(&e))?;
        }
    }
    write_take(pattern, &plan.take).map_err(|e| save_err(&e))?;
    for &(track, step, len) in &plan.lengths {
        if let Some(t) = track.checked_sub(8).and_then(|m| pattern.midi.get_mut(m)) {
            t.set_plock(step as usize, midi_slot::LEN, Some(len))
                .map_err(|e| save_err(&e))?;
        }
    }
    project.save(false).map_err(|e| save_err(&e))?;
    writeln!(
        out,
        "wrote {} note(s) into {name} of {}",
        plan.placed(),
        args.path.display()
    )
    .map_err(io)?;
    Ok(plan)
}
