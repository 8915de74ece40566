//! `octa midi record`: notes from a MIDI input (a controller, or a `file:` capture) written
//! into one track of a pattern, one take, saved through the project's write path.
//!
//! Step entry (`--step`, the default): each note goes to the next step by the edit step;
//! on MIDI tracks, notes played while another is held join its chord. Live (`--live`): the
//! pattern plays (looping) and each note lands on the nearest step, its offset kept as
//! micro-timing. Notes and CCs from the input go on to the device on the track's channel
//! (thru). The take ends when the input ends (a `file:` input), after `--loops` passes
//! (live), or on Ctrl-C; a vanished input ends it too, and what was recorded is kept.

use super::midi::MidiCliError;
use crate::format::parse_bank;
use crate::midi::capture::{FileIn, file_choice};
use crate::midi::engine::{EngineEvent, EngineOptions, MidiEngine};
use crate::midi::message::{MidiMessage, ShortMsg};
use crate::midi::model::{DeviceSetup, SeqPattern, TrackKind};
use crate::midi::output::PortStatus;
use crate::midi::record::{RecordSettings, RecordedNote, Recorder, write_take};
use crate::midi::scheduler::{PlayItem, RowOptions};
use crate::midi::transport::{MidiError, MidiIn, MidiSystem};
use crate::project::{OpenOptions, Project};
use clap::Args;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// `octa midi record` arguments.
#[derive(Debug, Clone, Args)]
pub struct RecordArgs {
    /// Project folder.
    pub path: PathBuf,
    /// Bank letter A..P.
    #[arg(long, default_value = "A", value_parser = super::args::bank)]
    pub bank: String,
    /// Pattern number 1..16.
    #[arg(long, default_value_t = 1, value_parser = super::args::pattern)]
    pub pattern: usize,
    /// Track to record into: T1..T8 (audio) or M1..M8 (MIDI).
    #[arg(long, default_value = "T1", value_parser = track)]
    pub track: usize,
    /// Live recording: the pattern plays, notes are quantized to steps (micro-timing kept).
    #[arg(long, conflicts_with = "step")]
    pub live: bool,
    /// Step entry (the default): each note at the next step by the edit step.
    #[arg(long)]
    pub step: bool,
    /// The input: a port name, part of one, an index, or `file:PATH` (default: --midi-in,
    /// the config's midi_in, else the first input).
    #[arg(long = "in")]
    pub input: Option<String>,
    /// Step entry: steps the cursor moves after a note (1..64).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub edit_step: u16,
    /// Step entry: the first step (1..64).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub start: u16,
    /// Live: stop after this many passes of the pattern.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub loops: Option<u32>,
    /// Live: quantize to the step without keeping micro-timing.
    #[arg(long)]
    pub no_micro_timing: bool,
    /// Only notes on this channel (1..16); default: any channel.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=16))]
    pub channel: Option<u8>,
}

/// `T1`..`T8` -> 0..8, `M1`..`M8` -> 8..16.
pub fn track(s: &str) -> Result<usize, String> {
    let up = s.trim().to_ascii_uppercase();
    let (kind, n) = up.split_at(up.len().min(1));
    match (kind, n.parse::<usize>()) {
        ("T", Ok(n)) if (1..=8).contains(&n) => Ok(n - 1),
        ("M", Ok(n)) if (1..=8).contains(&n) => Ok(n + 7),
        _ => Err(format!("expected a track T1..T8 or M1..M8, found {s:?}")),
    }
}

fn track_name(t: usize) -> String {
    if t < 8 {
        format!("T{}", t + 1)
    } else {
        format!("M{}", t - 7)
    }
}

/// What a take wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakeReport {
    /// Notes recorded.
    pub notes: usize,
    /// Steps written (1-based).
    pub steps: Vec<u16>,
    /// Why the take ended early (the input vanished), if it did.
    pub lost: Option<String>,
}

/// The input, opened now or (a `file:` input in live mode) once playback starts, so that
/// the file's time 0 is the start of the pattern.
enum PendingIn {
    Open(Box<dyn MidiIn>),
    File(PathBuf),
}

/// Records one take; see the module docs. `out_choice` is the thru / playback output.
pub fn record(
    mut system: Box<dyn MidiSystem>,
    args: &RecordArgs,
    out_choice: Option<String>,
    in_choice: Option<String>,
    out: &mut dyn Write,
) -> Result<TakeReport, MidiCliError> {
    let file_err = |e: &dyn std::fmt::Display| MidiCliError::Project(e.to_string());
    let mut project =
        Project::open(&args.path, &OpenOptions::default()).map_err(|e| file_err(&e))?;
    let bank = parse_bank(&args.bank)
        .ok_or_else(|| MidiCliError::Arg(format!("bank '{}' is not A..P", args.bank)))?;
    let index = args.pattern - 1;
    let seq = SeqPattern::from_bank(project.bank(bank), bank, index).ok_or_else(|| {
        MidiCliError::Arg(format!(
            "pattern {} is not in bank {}",
            args.pattern, args.bank
        ))
    })?;
    let setup = DeviceSetup::from_project(project.project_file());
    let kind = if args.track < 8 {
        TrackKind::Audio
    } else {
        TrackKind::Midi
    };
    let (length, scale) = seq.track_timing(args.track);
    let tempo = setup.tempo_for(&seq);
    let step_secs = 60.0 / (tempo * 4.0 * scale.multiplier());
    let thru_channel = match kind {
        TrackKind::Audio => setup.audio_channel(args.track),
        TrackKind::Midi => seq.part.midi.get(args.track - 8).map(|m| m.channel),
    };
    // The input: a file is read now (errors before anything starts), a port opened now.
    let choice = match in_choice {
        Some(c) => c,
        None => system
            .inputs()?
            .first()
            .cloned()
            .ok_or_else(|| MidiCliError::Port("no MIDI input port".into()))?,
    };
    let mut pending = match file_choice(&choice) {
        Some(p) => {
            FileIn::open(p, None)?;
            PendingIn::File(p.to_path_buf())
        }
        None => PendingIn::Open(crate::midi::capture::open_in(&mut *system, &choice)?.1),
    };
    let engine = MidiEngine::start(
        system,
        EngineOptions {
            output: out_choice,
            setup,
            ..EngineOptions::default()
        },
    );
    let thru = match engine.status().output {
        PortStatus::Connected(n) => format!(
            "thru to {n} on channel {}",
            thru_channel.map_or("OFF".into(), |c| (c + 1).to_string())
        ),
        other => format!("no thru ({other})"),
    };
    let mode = if args.live { "live" } else { "step entry" };
    writeln!(
        out,
        "recording {}{:02} {} ({mode}, {tempo:.2} BPM) from {choice}; {thru}",
        crate::format::bank_letter(bank),
        args.pattern,
        track_name(args.track)
    )?;
    super::midi::catch_interrupt();
    // Live: the pattern plays; its start is time 0 of a file input.
    let mut zero = Instant::now();
    let mut end: Option<Instant> = None;
    if args.live {
        engine.play(vec![PlayItem {
            pattern: Arc::new(seq.clone()),
            passes: args.loops,
            tempo: None,
            row: RowOptions::default(),
        }]);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Some(EngineEvent::Started { at }) = engine.wait_event(Duration::from_millis(50))
            {
                zero = at;
                break;
            }
        }
        end = args
            .loops
            .map(|n| zero + Duration::from_secs_f64(n as f64 * length as f64 * step_secs));
    }
    let mut input: Box<dyn MidiIn> = match pending {
        PendingIn::Open(p) => p,
        PendingIn::File(ref mut path) => Box::new(FileIn::open(&std::mem::take(path), Some(zero))?),
    };
    let mut recorder = Recorder::new(RecordSettings {
        track: args.track,
        kind,
        cursor: (args.start - 1) % length.max(1),
        edit_step: args.edit_step,
        length,
        capture_micro_timing: !args.no_micro_timing,
        channel: args.channel.map(|c| c - 1),
    });
    let mut take: Vec<RecordedNote> = Vec::new();
    let mut held: BTreeSet<u8> = BTreeSet::new();
    let mut lost = None;
    loop {
        if super::midi::INTERRUPTED.swap(false, Ordering::SeqCst)
            || end.is_some_and(|e| Instant::now() >= e)
        {
            break;
        }
        let m = match input.recv_timeout(Duration::from_millis(50)) {
            Ok(Some(m)) => m,
            Ok(None) => continue,
            Err(MidiError::Ended(_)) => break,
            Err(e) => {
                lost = Some(e.to_string());
                break;
            }
        };
        let msg = MidiMessage::parse(&m.bytes);
        let channel = ShortMsg::from_bytes(&m.bytes).and_then(|s| s.channel());
        if channel.is_some_and(|c| !recorder.accepts(c)) {
            continue;
        }
        // Thru: notes and CCs go on to the device on the track's channel.
        if let (Some(short), Some(ch)) = (ShortMsg::from_bytes(&m.bytes), thru_channel)
            && matches!(
                msg,
                MidiMessage::NoteOn { .. }
                    | MidiMessage::NoteOff { .. }
                    | MidiMessage::ControlChange { .. }
            )
        {
            engine.send_message(short.on_channel(ch));
        }
        match msg {
            MidiMessage::NoteOn { note, velocity, .. } => {
                let n = if args.live {
                    let pos = if m.at >= zero {
                        (m.at - zero).as_secs_f64()
                    } else {
                        -(zero - m.at).as_secs_f64()
                    } / step_secs;
                    recorder.live(note, velocity, pos)
                } else if held.is_empty() {
                    recorder.step_entry(note, velocity)
                } else {
                    recorder.step_entry_chord(note, velocity)
                };
                held.insert(note);
                take.push(n);
            }
            MidiMessage::NoteOff { note, .. } => {
                held.remove(&note);
            }
            _ => {}
        }
    }
    engine.stop();
    drop(engine);
    let mut report = TakeReport {
        notes: take.len(),
        steps: Vec::new(),
        lost,
    };
    if take.is_empty() {
        writeln!(out, "no notes recorded; nothing written")?;
    } else {
        let pattern = project
            .bank_mut(bank)
            .patterns
            .get_mut(index)
            .ok_or_else(|| MidiCliError::Arg(format!("pattern {} is not 1..16", args.pattern)))?;
        let steps = write_take(pattern, &take).map_err(|e| file_err(&e))?;
        project.save(false).map_err(|e| file_err(&e))?;
        report.steps = steps.iter().map(|s| s + 1).collect();
        let list: Vec<String> = report.steps.iter().map(|s| s.to_string()).collect();
        writeln!(
            out,
            "recorded {} note(s) into {}{:02} {}: step(s) {}",
            take.len(),
            crate::format::bank_letter(bank),
            args.pattern,
            track_name(args.track),
            list.join(" ")
        )?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::bank::Bank;
    use crate::midi::sim::SimSystem;

    fn args(path: PathBuf) -> RecordArgs {
        RecordArgs {
            path,
            bank: "C".into(),
            pattern: 1,
            track: 0,
            live: false,
            step: true,
            input: None,
            edit_step: 1,
            start: 1,
            loops: None,
            no_micro_timing: false,
            channel: None,
        }
    }

    #[test]
    fn a_vanished_input_ends_the_take_and_keeps_what_was_recorded() {
        let Some(src) = crate::testutil::corpus("ot/hello-flex/project") else {
            return;
        };
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("HELLO");
        std::fs::create_dir(&dir).unwrap();
        for e in std::fs::read_dir(&src).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
        let sim = SimSystem::with_device("OT");
        let feeder = sim.clone();
        let device = std::thread::spawn(move || {
            let thru = |s: &SimSystem| s.messages().iter().filter(|m| m[0] == 0x90).count();
            // Until the recorder has its input open, fed notes go nowhere; once one comes
            // through (thru on T1's channel 1), two more, then the cable is pulled.
            while thru(&feeder) == 0 {
                feeder.feed("OT", &[0x90, 84, 100]);
                feeder.feed("OT", &[0x80, 84, 0]);
                std::thread::sleep(Duration::from_millis(5));
            }
            for n in [86, 88] {
                feeder.feed("OT", &[0x90, n, 100]);
                feeder.feed("OT", &[0x80, n, 0]);
            }
            while !feeder.messages().contains(&vec![0x80, 88, 0]) {
                std::thread::sleep(Duration::from_millis(2));
            }
            feeder.unplug("OT");
        });
        let mut out = Vec::new();
        let report = record(
            Box::new(sim.clone()),
            &args(dir.clone()),
            Some("OT".into()),
            Some("OT".into()),
            &mut out,
        )
        .unwrap();
        device.join().unwrap();
        assert_eq!(report.lost.as_deref(), Some("MIDI port 'OT' vanished"));
        assert!(report.notes >= 3, "{report:?}");
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(&format!("recorded {} note(s) into C01 T1", report.notes)),
            "{text}"
        );
        // Every note recorded before the loss is in the saved bank: steps 1..=n of T1, the
        // last two with the pitches fed last (86, 88 -> PTCH 66, 68).
        let bank = Bank::from_bytes(&std::fs::read(dir.join("bank03.work")).unwrap())
            .unwrap()
            .0;
        let t1 = &bank.patterns[0].audio[0];
        let trigs: Vec<usize> = (0..64).filter(|&s| t1.trigs.get(s)).collect();
        assert_eq!(trigs, (0..report.notes).collect::<Vec<_>>());
        let n = report.notes;
        assert_eq!(t1.plock(n - 2, 0), Some(66));
        assert_eq!(t1.plock(n - 1, 0), Some(68));
    }

    #[test]
    fn tracks_parse_like_the_grid_names_them() {
        assert_eq!(track("T1"), Ok(0));
        assert_eq!(track("t8"), Ok(7));
        assert_eq!(track("M1"), Ok(8));
        assert_eq!(track("M8"), Ok(15));
        assert!(track("T9").is_err() && track("M0").is_err() && track("").is_err());
    }
}
