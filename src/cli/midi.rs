//! `octa midi ...`: list ports, play a pattern to a port, print incoming messages.
//!
//! Without a MIDI system every command says so and exits with 1.

use crate::config::Config;
use crate::format::arrangement::{Arrangement, Block};
use crate::format::bank::Bank;
use crate::format::parse_bank;
use crate::format::project_file::ProjectFile;
use crate::midi::arrange::arrangement_items;
use crate::midi::engine::{EngineEvent, EngineOptions, MidiEngine};
use crate::midi::message::{CLOCK, MidiMessage};
use crate::midi::model::{DeviceSetup, SeqPattern};
use crate::midi::output::PortStatus;
use crate::midi::ports::open_system;
use crate::midi::scheduler::{PlayItem, RowOptions};
use crate::midi::transport::{MidiError, MidiSystem};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use thiserror::Error;

/// `octa midi` arguments.
#[derive(Debug, Args)]
pub struct MidiArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: MidiCommand,
}

/// The `octa midi` subcommands.
#[derive(Debug, Subcommand)]
pub enum MidiCommand {
    /// List MIDI output and input ports.
    Ports,
    /// Play a pattern of a project to the output port (--midi-out).
    Play(PlayArgs),
    /// Print incoming MIDI messages from the input port (--midi-in).
    Monitor(MonitorArgs),
    /// Record notes from a MIDI input into a track of a pattern (one take, saved).
    Record(super::midi_record::RecordArgs),
    /// Write a pattern, chain or arrangement as a standard MIDI file (type 1).
    Export(super::midi_file::ExportArgs),
    /// Read the notes of a MIDI file into a pattern (shows the plan; --dry-run writes nothing).
    Import(super::midi_file::ImportArgs),
}

/// `octa midi play` arguments.
#[derive(Debug, Clone, Args)]
pub struct PlayArgs {
    /// Project folder (holding project.work and bankNN.work).
    pub path: PathBuf,
    /// Bank letter A..P.
    #[arg(long, default_value = "A", value_parser = super::args::bank)]
    pub bank: String,
    /// Pattern number 1..16; several (`--pattern 1,2,5`) play as a chain.
    #[arg(long, value_delimiter = ',', default_values_t = [1], value_parser = super::args::pattern)]
    pub pattern: Vec<usize>,
    /// Play arrangement 1..8 (arrNN.work) instead of patterns.
    #[arg(long, value_parser = super::args::arrangement)]
    pub arrangement: Option<usize>,
    /// Passes of each pattern.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub loops: u32,
    /// Tempo override in BPM (default: the project's, or the pattern's with pattern tempo on).
    #[arg(long, value_parser = super::args::tempo)]
    pub tempo: Option<f64>,
    /// Send MIDI clock and start/stop.
    #[arg(long)]
    pub clock: bool,
}

/// `octa midi monitor` arguments.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// Stop after this many messages.
    #[arg(long)]
    pub count: Option<usize>,
    /// Also print clock ticks.
    #[arg(long)]
    pub clock: bool,
}

/// Why a MIDI command failed.
#[derive(Debug, Error)]
pub enum MidiCliError {
    /// MIDI itself failed (unavailable, no port...).
    #[error(transparent)]
    Midi(#[from] MidiError),
    /// No port to use.
    #[error("{0}")]
    Port(String),
    /// A project file could not be read.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A bad argument.
    #[error("{0}")]
    Arg(String),
    /// The project could not be opened or saved.
    #[error("{0}")]
    Project(String),
    /// Writing the output failed.
    #[error("output: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs `octa midi ...`; `out_choice`/`in_choice` are the global --midi-out/--midi-in.
pub fn run(args: &MidiArgs, out_choice: Option<&str>, in_choice: Option<&str>) -> ExitCode {
    match &args.command {
        MidiCommand::Export(a) => return super::midi_file::run_export(a),
        MidiCommand::Import(a) => return super::midi_file::run_import(a),
        _ => {}
    }
    let config = Config::load().unwrap_or_else(|e| {
        crate::errln!("octa: warning: {e}");
        Config::default()
    });
    let out_choice = out_choice.map(str::to_string).or(config.midi_out);
    let in_choice = in_choice.map(str::to_string).or(config.midi_in);
    let mut stdout = super::out::Stdout;
    let result = match &args.command {
        MidiCommand::Ports => ports(&*open_system(), &mut stdout),
        MidiCommand::Play(a) => play(open_system(), a, out_choice, &mut stdout),
        MidiCommand::Monitor(a) => monitor(&mut *open_system(), a, in_choice, &mut stdout),
        MidiCommand::Record(a) => {
            let input = a.input.clone().or(in_choice);
            match super::midi_record::record(open_system(), a, out_choice, input, &mut stdout) {
                Ok(r) => match r.lost {
                    Some(why) => Err(MidiCliError::Port(format!(
                        "the take ended early: {why}; the {} note(s) recorded before were saved",
                        r.notes
                    ))),
                    None => Ok(()),
                },
                Err(e) => Err(e),
            }
        }
        MidiCommand::Export(_) | MidiCommand::Import(_) => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::errln!("octa midi: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Lists the ports as "index: name".
pub fn ports(system: &dyn MidiSystem, out: &mut dyn Write) -> Result<(), MidiCliError> {
    let outputs = system.outputs()?;
    let inputs = system.inputs()?;
    for (title, list) in [("outputs", outputs), ("inputs", inputs)] {
        writeln!(out, "MIDI {title}:")?;
        if list.is_empty() {
            writeln!(out, "  (none)")?;
        }
        for (i, n) in list.iter().enumerate() {
            writeln!(out, "  {i}: {n}")?;
        }
    }
    Ok(())
}

fn read_file(path: &Path) -> Result<Vec<u8>, MidiCliError> {
    use crate::project::{anyfile::Kind, read};
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let limit = name
        .as_deref()
        .and_then(Kind::from_name)
        .map_or(read::ANY, read::Limit::for_kind);
    read::read_limited(path, limit).map_err(|e| MidiCliError::File {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// A project's banks, read when first needed.
struct Banks {
    dir: PathBuf,
    loaded: Vec<Option<Bank>>,
}

impl Banks {
    fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            loaded: (0..16).map(|_| None).collect(),
        }
    }

    fn pattern(&mut self, bank: usize, pattern: usize) -> Result<SeqPattern, MidiCliError> {
        let path = self.dir.join(format!("bank{:02}.work", bank + 1));
        let slot = self
            .loaded
            .get_mut(bank)
            .ok_or_else(|| MidiCliError::Arg(format!("bank {} is not A..P", bank + 1)))?;
        if slot.is_none() {
            let (b, _) = Bank::from_bytes(&read_file(&path)?).map_err(|e| MidiCliError::File {
                path: path.clone(),
                message: e.to_string(),
            })?;
            *slot = Some(b);
        }
        slot.as_ref()
            .and_then(|b| SeqPattern::from_bank(b, bank, pattern))
            .ok_or_else(|| {
                MidiCliError::Arg(format!("pattern {} not in {}", pattern + 1, path.display()))
            })
    }
}

/// What `octa midi play` plays: the items, the project's device setup, and a description.
pub fn load_play(args: &PlayArgs) -> Result<(Vec<PlayItem>, DeviceSetup, String), MidiCliError> {
    let pf_path = args.path.join("project.work");
    let pf = ProjectFile::parse(&read_file(&pf_path)?).map_err(|e| MidiCliError::File {
        path: pf_path.clone(),
        message: e.to_string(),
    })?;
    let setup = DeviceSetup::from_project(&pf);
    let mut banks = Banks::new(&args.path);
    if let Some(n) = args.arrangement {
        if !(1..=8).contains(&n) {
            return Err(MidiCliError::Arg(format!("arrangement {n} is not 1..8")));
        }
        let path = args.path.join(format!("arr{n:02}.work"));
        let arr = Arrangement::parse(&read_file(&path)?).map_err(|e| MidiCliError::File {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let mut errors = Vec::new();
        let play = arrangement_items(&arr.rows(Block::Working), |id| {
            banks
                .pattern(id as usize / 16, id as usize % 16)
                .map_err(|e| errors.push(e))
                .ok()
                .map(Arc::new)
        });
        if let Some(e) = errors.into_iter().next().filter(|_| play.items.is_empty()) {
            return Err(e);
        }
        if play.items.is_empty() {
            return Err(MidiCliError::Arg(format!(
                "{}: no pattern rows",
                path.display()
            )));
        }
        let mut items = play.items;
        for it in &mut items {
            it.tempo = args.tempo.or(it.tempo);
        }
        let desc = format!("arrangement {n} ({} rows)", items.len());
        return Ok((items, setup, desc));
    }
    let bank = parse_bank(&args.bank)
        .ok_or_else(|| MidiCliError::Arg(format!("bank '{}' is not A..P", args.bank)))?;
    let mut items = Vec::new();
    let mut names = Vec::new();
    for &p in &args.pattern {
        if !(1..=16).contains(&p) {
            return Err(MidiCliError::Arg(format!("pattern {p} is not 1..16")));
        }
        let pattern = banks.pattern(bank, p - 1)?;
        names.push(pattern.name.clone());
        items.push(PlayItem {
            pattern: Arc::new(pattern),
            passes: Some(args.loops.max(1)),
            tempo: args.tempo,
            row: RowOptions::default(),
        });
    }
    Ok((
        items,
        setup,
        format!("{} x{}", names.join(" "), args.loops.max(1)),
    ))
}

/// Set by Ctrl-C while `octa midi play` runs, so playback stops cleanly (no hanging notes).
pub(crate) static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
extern "C" fn on_interrupt(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Routes Ctrl-C to [`INTERRUPTED`] (Linux; elsewhere Ctrl-C ends the process).
#[allow(
    unsafe_code,
    reason = "installing a signal handler needs libc::signal; the handler only stores to an atomic"
)]
pub(crate) fn catch_interrupt() {
    #[cfg(target_os = "linux")]
    {
        let handler = on_interrupt as extern "C" fn(libc::c_int);
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        }
    }
}

/// Plays a pattern to the output port and waits until it ends (or Ctrl-C).
pub fn play(
    system: Box<dyn MidiSystem>,
    args: &PlayArgs,
    out_choice: Option<String>,
    out: &mut dyn Write,
) -> Result<(), MidiCliError> {
    let (items, setup, desc) = load_play(args)?;
    let engine = MidiEngine::start(
        system,
        EngineOptions {
            output: out_choice,
            setup,
            send_clock: args.clock,
            send_transport: args.clock,
            ..EngineOptions::default()
        },
    );
    let port = match engine.status().output {
        PortStatus::Connected(n) => n,
        other => return Err(MidiCliError::Port(other.to_string())),
    };
    let tempo = items[0]
        .tempo
        .unwrap_or_else(|| setup.tempo_for(&items[0].pattern));
    writeln!(out, "playing {desc} at {tempo:.2} BPM on {port}")?;
    catch_interrupt();
    engine.play(items);
    let mut stopping = false;
    loop {
        if INTERRUPTED.swap(false, Ordering::SeqCst) && !stopping {
            stopping = true;
            engine.stop();
        }
        match engine.wait_event(Duration::from_millis(200)) {
            Some(EngineEvent::Stopped) => break,
            Some(EngineEvent::Status(s)) => {
                if let PortStatus::Vanished(_) = s.output {
                    writeln!(out, "{}", s.output)?;
                }
            }
            _ => {}
        }
    }
    writeln!(out, "done")?;
    Ok(())
}

/// Prints incoming messages, one per line with the time since start.
pub fn monitor(
    system: &mut dyn MidiSystem,
    args: &MonitorArgs,
    in_choice: Option<String>,
    out: &mut dyn Write,
) -> Result<(), MidiCliError> {
    let choice = match in_choice {
        Some(c) => c,
        None => system
            .inputs()?
            .first()
            .cloned()
            .ok_or_else(|| MidiCliError::Port("no MIDI input port".into()))?,
    };
    let (name, mut port) = crate::midi::capture::open_in(system, &choice)?;
    writeln!(out, "listening on {name}")?;
    let start = Instant::now();
    let mut n = 0usize;
    // Monitoring only prints: once stdout is closed there is nothing left to do.
    while args.count.is_none_or(|c| n < c) && !super::out::gone() {
        let m = match port.recv_timeout(Duration::from_millis(500)) {
            Ok(Some(m)) => m,
            Ok(None) => continue,
            Err(MidiError::Ended(_)) => break,
            Err(e) => return Err(e.into()),
        };
        if m.bytes == [CLOCK] && !args.clock {
            continue;
        }
        let t = m.at.saturating_duration_since(start).as_secs_f64();
        writeln!(out, "{t:10.3}  {}", MidiMessage::parse(&m.bytes))?;
        n += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::arrangement::{PatternRow, Row};
    use crate::midi::ports::UnavailableSystem;
    use crate::midi::sim::SimSystem;

    #[test]
    fn ports_lists_or_says_unavailable() {
        let sys = SimSystem::with_device("Octatrack MKII");
        let mut buf = Vec::new();
        ports(&sys, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.contains("MIDI outputs:\n  0: Octatrack MKII"));
        let none = UnavailableSystem {
            reason: "no /dev/snd/seq".into(),
        };
        let err = ports(&none, &mut Vec::new()).unwrap_err();
        assert_eq!(err.to_string(), "MIDI is unavailable: no /dev/snd/seq");
    }

    #[test]
    fn monitor_prints_parsed_messages() {
        let mut sys = SimSystem::with_device("OT");
        let feeder = sys.clone();
        let t = std::thread::spawn(move || {
            // The monitor opens its port first; feed until it has.
            for _ in 0..500 {
                feeder.feed("OT", &[0xF8]);
                feeder.feed("OT", &[0x92, 84, 100]);
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        let mut buf = Vec::new();
        monitor(
            &mut sys,
            &MonitorArgs {
                count: Some(2),
                clock: false,
            },
            Some("OT".into()),
            &mut buf,
        )
        .unwrap();
        let _ = t.join();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.starts_with("listening on OT\n"));
        assert_eq!(text.matches("ch3  note on  C-6 (84) vel 100").count(), 2);
        assert!(!text.contains("clock"));
    }

    #[test]
    fn play_corpus_pattern_to_a_simulated_port() {
        let Some(path) = crate::testutil::corpus("ot/hello-flex/project") else {
            return;
        };
        let sys = SimSystem::with_device("Octatrack");
        let args = PlayArgs {
            path,
            bank: "a".into(),
            pattern: vec![1],
            arrangement: None,
            loops: 1,
            tempo: Some(300.0),
            clock: true,
        };
        let mut buf = Vec::new();
        play(Box::new(sys.clone()), &args, None, &mut buf).unwrap();
        let no_port = play(Box::new(SimSystem::default()), &args, None, &mut Vec::new());
        assert_eq!(no_port.unwrap_err().to_string(), "MIDI: no output port");
        let text = String::from_utf8(buf).unwrap();
        assert!(text.starts_with("playing A01 x1 at 300.00 BPM on Octatrack"));
        let msgs = sys.messages();
        assert_eq!(msgs.first(), Some(&vec![0xF2, 0, 0]));
        assert_eq!(msgs[1], vec![0xFA]);
        assert_eq!(msgs.last(), Some(&vec![0xFC]));
        assert_eq!(msgs.iter().filter(|m| m[0] == 0xF8).count(), 96);
        let ons = msgs.iter().filter(|m| m[0] & 0xF0 == 0x90).count();
        let offs = msgs.iter().filter(|m| m[0] & 0xF0 == 0x80).count();
        assert!(ons > 0);
        assert_eq!(ons, offs);
        // Errors name the problem.
        let bad = PlayArgs {
            bank: "Z".into(),
            ..args
        };
        assert!(load_play(&bad).unwrap_err().to_string().contains("A..P"));
        let missing = PlayArgs {
            path: PathBuf::from("/nonexistent"),
            bank: "A".into(),
            ..bad
        };
        let err = load_play(&missing).unwrap_err().to_string();
        assert!(err.starts_with("/nonexistent/project.work"), "{err}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    #[allow(unsafe_code, reason = "the test raises SIGINT to check the handler")]
    fn ctrl_c_stops_playback_without_hanging_notes() {
        let Some(path) = crate::testutil::corpus("ot/hello-flex/project") else {
            return;
        };
        let sys = SimSystem::with_device("Octatrack");
        let watcher = sys.clone();
        let t = std::thread::spawn(move || {
            // Once notes flow the handler is installed (before playback starts).
            while !watcher.messages().iter().any(|m| m[0] & 0xF0 == 0x90) {
                std::thread::sleep(Duration::from_millis(5));
            }
            // SAFETY: raising a signal whose handler only stores to an atomic.
            unsafe {
                libc::raise(libc::SIGINT);
            }
        });
        let args = PlayArgs {
            path,
            bank: "A".into(),
            pattern: vec![1],
            arrangement: None,
            loops: 1000,
            tempo: None,
            clock: false,
        };
        let mut buf = Vec::new();
        play(Box::new(sys.clone()), &args, None, &mut buf).unwrap();
        let _ = t.join();
        assert!(String::from_utf8(buf).unwrap().ends_with("done\n"));
        let msgs = sys.messages();
        let ons = msgs.iter().filter(|m| m[0] & 0xF0 == 0x90).count();
        let offs = msgs.iter().filter(|m| m[0] & 0xF0 == 0x80).count();
        assert!(ons > 0);
        assert_eq!(ons, offs);
    }

    #[test]
    fn chains_and_arrangements_load_from_the_project() {
        let Some(path) = crate::testutil::corpus("ot/hello-flex/project") else {
            return;
        };
        let args = PlayArgs {
            path: path.clone(),
            bank: "A".into(),
            pattern: vec![1, 2, 3],
            arrangement: None,
            loops: 2,
            tempo: None,
            clock: false,
        };
        let (items, setup, desc) = load_play(&args).unwrap();
        assert_eq!(desc, "A01 A02 A03 x2");
        assert_eq!(items.len(), 3);
        assert!(items.iter().all(|i| i.passes == Some(2)));
        assert_eq!(setup.tempo, 124.0);
        let arr = Arrangement::parse(&std::fs::read(path.join("arr01.work")).unwrap()).unwrap();
        let rows = arr.rows(Block::Working);
        let args = PlayArgs {
            arrangement: Some(1),
            ..args
        };
        // hello-flex's arrangement 1 is empty: that is said plainly.
        assert!(rows.is_empty());
        let err = load_play(&args).unwrap_err().to_string();
        assert!(err.contains("arr01.work: no pattern rows"), "{err}");
        // An arrangement written next to the project's real files plays its rows.
        let dir = tempfile::tempdir().unwrap();
        for f in ["project.work", "bank01.work"] {
            std::fs::copy(path.join(f), dir.path().join(f)).unwrap();
        }
        let mut arr = Arrangement::blank([0; crate::format::arrangement::NAME_LEN]);
        let mut row = PatternRow::new(2);
        row.repetitions = 3;
        row.tempo_x24 = 100 * 24;
        arr.insert_row(Block::Working, 0, &Row::Pattern(row))
            .unwrap();
        arr.insert_row(Block::Working, 1, &Row::Pattern(PatternRow::new(0)))
            .unwrap();
        std::fs::write(dir.path().join("arr01.work"), arr.to_bytes()).unwrap();
        let (items, _, desc) = load_play(&PlayArgs {
            path: dir.path().to_path_buf(),
            ..args.clone()
        })
        .unwrap();
        assert_eq!(desc, "arrangement 1 (2 rows)");
        let got: Vec<(&str, Option<u32>, Option<f64>)> = items
            .iter()
            .map(|i| (i.pattern.name.as_str(), i.passes, i.tempo))
            .collect();
        assert_eq!(
            got,
            vec![("A03", Some(4), Some(100.0)), ("A01", Some(1), Some(100.0))]
        );
        let bad = PlayArgs {
            arrangement: Some(9),
            ..args
        };
        assert!(load_play(&bad).unwrap_err().to_string().contains("1..8"));
    }
}
