//! `octa dump`: one pattern as a tracker-style text grid or as JSON.

use crate::format::address::{BankId, PatternId};
use crate::format::bank::{AudioTrack, Bank, ScaleMode, StepKind, TrackSettings, trig_quant_name};
use crate::format::params;
use crate::format::project_file::ProjectFile;
use crate::format::types::{MachineType, bank_letter, note_name};
use crate::project::{OpenOptions, Project};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output format of `octa dump`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DumpFormat {
    /// A tracker-style grid: tracks as columns, steps as rows.
    Text,
    /// JSON (see the README for the fields).
    Json,
}

/// Arguments of `octa dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// A project folder, set folder or zip.
    pub path: PathBuf,
    /// Bank letter A..P.
    #[arg(long, short, value_parser = super::args::bank_id)]
    pub bank: BankId,
    /// Pattern number 1..16.
    #[arg(long, short, value_parser = super::args::pattern_id)]
    pub pattern: PatternId,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DumpFormat::Text)]
    pub format: DumpFormat,
    /// In a set or zip holding several projects: the project's folder name.
    #[arg(long)]
    pub project: Option<std::ffi::OsString>,
}

/// One step of one track that holds something.
#[derive(Debug, Serialize)]
pub struct StepDump {
    /// 1-based step number.
    pub step: usize,
    /// `"trig"`, `"trigless"`, `"lock"` (p-lock-only) or `"none"` (only a step word / lock).
    pub kind: &'static str,
    /// P-locks by parameter name: the stored byte.
    pub plocks: BTreeMap<String, u8>,
    /// The same p-locks as the device displays them (`"+20"`, `"E-4"`, `"1/16"`).
    pub plocks_shown: BTreeMap<String, String>,
    /// The trig condition's name (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Micro-timing in 1/384 of a step (0 = on the grid).
    pub micro_timing: i8,
    /// Trigs played by the step (1 = no retrig).
    pub repeats: u8,
    /// Slide to this step (audio tracks).
    pub slide: bool,
    /// Notes played (MIDI tracks with a note trig), e.g. `["C-4", "E-4"]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One track of the dumped pattern.
#[derive(Debug, Serialize)]
pub struct TrackDump {
    /// `T1`..`T8` (audio) or `M1`..`M8` (MIDI).
    pub track: String,
    /// The machine of the pattern's part (audio tracks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// Track length in steps (PER TRACK mode).
    pub length: u8,
    /// Steps with a trig (1-based).
    pub trigs: Vec<usize>,
    /// Steps with a trigless trig (1-based).
    pub trigless: Vec<usize>,
    /// Steps with a p-lock-only trig (1-based).
    pub plock_only: Vec<usize>,
    /// Steps that hold anything, in order.
    pub steps: Vec<StepDump>,
    /// Recorder trigs (audio tracks only; absent for MIDI tracks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorder: Option<Vec<RecorderStepDump>>,
    /// The track's sequencer settings in the device's terms.
    pub settings: SettingsDump,
}

/// One recorder trig (a step with any recorder mask bit).
#[derive(Debug, Serialize)]
pub struct RecorderStepDump {
    /// 1-based step number.
    pub step: usize,
    /// Sources recorded from: `"INAB"`, `"INCD"`, `"SRC3"` (empty: only the one-shot bit).
    pub sources: Vec<&'static str>,
    /// The recorder trig is one-shot.
    pub oneshot: bool,
}

/// A track's sequencer settings as the device shows them (format doc §4.9).
#[derive(Debug, Serialize, PartialEq)]
pub struct SettingsDump {
    /// Swing amount, 50..80 %.
    pub swing: u16,
    /// `ONE`, `ONE2` or `HOLD`.
    pub trig_mode: String,
    /// `DIRECT`, `TR.LEN` or a step count.
    pub trig_quant: String,
    /// START SILENT.
    pub start_silent: bool,
    /// PLAYS FREE.
    pub plays_free: bool,
    /// ONESHOT TRK.
    pub oneshot_track: bool,
}

impl SettingsDump {
    /// The dump of a track's settings.
    pub fn of(s: &TrackSettings) -> Self {
        Self {
            swing: s.swing_percent(),
            trig_mode: s.trig_mode().name(),
            trig_quant: trig_quant_name(s.trig_quant()),
            start_silent: s.start_silent(),
            plays_free: s.plays_free(),
            oneshot_track: s.oneshot_track(),
        }
    }
    /// The text form: `swing 50% trig ONE quant TR.LEN silent ON free OFF oneshot OFF`.
    pub fn text(&self) -> String {
        let f = |b: bool| if b { "ON" } else { "OFF" };
        format!(
            "swing {}%  trig {}  quant {}  start silent {}  plays free {}  oneshot trk {}",
            self.swing,
            self.trig_mode,
            self.trig_quant,
            f(self.start_silent),
            f(self.plays_free),
            f(self.oneshot_track)
        )
    }
}

/// The recorder trigs of an audio track.
pub fn recorder_dump(tr: &AudioTrack) -> Vec<RecorderStepDump> {
    (0..64)
        .filter_map(|s| {
            let r = tr.recorder_trig(s);
            (r.is_trig() || r.oneshot).then(|| RecorderStepDump {
                step: s + 1,
                sources: r.sources().into_iter().map(|x| x.name()).collect(),
                oneshot: r.oneshot,
            })
        })
        .collect()
}

/// The text cell of a recorder trig: sources joined by `+`, then ` 1SHOT` when one-shot.
pub fn recorder_cell(r: &RecorderStepDump) -> String {
    let mut c = if r.sources.is_empty() {
        "-".to_string()
    } else {
        r.sources.join("+")
    };
    if r.oneshot {
        c.push_str(" 1SHOT");
    }
    c
}

/// One pattern, as dumped.
#[derive(Debug, Serialize)]
pub struct PatternDump {
    /// Bank letter.
    pub bank: String,
    /// Pattern number 1..16.
    pub pattern: u8,
    /// Part 1..4.
    pub part: u8,
    /// `"normal"` or `"per track"`.
    pub scale_mode: &'static str,
    /// Steps the pattern covers: the pattern length in NORMAL mode, the longest track's
    /// length in PER TRACK mode (the text grid shows at least this many rows).
    pub length: u8,
    /// The tempo that plays, in BPM (see `tempo_source`).
    pub tempo: f64,
    /// `"project"` (pattern tempo off: project.work's `TEMPOx24`) or `"pattern"`.
    pub tempo_source: crate::format::tempo::TempoSource,
    /// The pattern's own stored tempo in BPM (plays only with pattern tempo on).
    pub pattern_tempo: f64,
    /// T1..T8 then M1..M8.
    pub tracks: Vec<TrackDump>,
}

/// The name of p-lock slot `idx` of an audio track (names from [`crate::format::params`]).
fn audio_lock_name(machine: MachineType, fx: (u8, u8), idx: usize) -> String {
    params::audio_param(machine, fx.0, fx.1, idx)
        .map(|p| p.name.to_string())
        .unwrap_or_else(|| format!("SLOT{idx}"))
}

/// A p-lock's stored byte as the device shows it (the stored number when the slot is unnamed).
fn shown(param: Option<params::ParamInfo>, v: u8) -> String {
    crate::edit::value::Unit::of(param).show(v)
}

/// The name of p-lock slot `idx` of a MIDI track.
fn midi_lock_name(idx: usize) -> String {
    params::midi_param(idx)
        .map(|p| p.name.to_string())
        .unwrap_or_else(|| format!("SLOT{idx}"))
}

/// Builds the dump of pattern `pattern` (0-based) of `bank`; `project` decides the tempo that plays.
pub fn dump_pattern(
    project: &ProjectFile,
    bank: &Bank,
    bank_index: usize,
    pattern: usize,
) -> Option<PatternDump> {
    let pt = bank.pattern(pattern)?;
    let part = bank.part_of_pattern(pattern);
    let mut tracks = Vec::new();
    for (t, tr) in pt.audio.iter().enumerate() {
        let machine = part
            .map(|p| p.machine_type(t))
            .unwrap_or(MachineType::Unknown(255));
        let fx = part
            .map(|p| (p.fx1_type(t), p.fx2_type(t)))
            .unwrap_or((0, 0));
        let steps = (0..64)
            .filter_map(|s| {
                let kind = kind_name(tr.step_kind(s));
                let plocks: BTreeMap<String, u8> = (0..32)
                    .filter_map(|i| tr.plock(s, i).map(|v| (audio_lock_name(machine, fx, i), v)))
                    .collect();
                let plocks_shown: BTreeMap<String, String> = (0..32)
                    .filter_map(|i| {
                        let p = params::audio_param(machine, fx.0, fx.1, i);
                        tr.plock(s, i)
                            .map(|v| (audio_lock_name(machine, fx, i), shown(p, v)))
                    })
                    .collect();
                let w = tr.step_word(s);
                let slide = tr.slide.get(s);
                (kind != "none" || !plocks.is_empty() || w.0 != 0 || slide).then(|| StepDump {
                    step: s + 1,
                    kind,
                    plocks,
                    plocks_shown,
                    condition: Some(w.condition())
                        .filter(|c| *c != crate::format::TrigCondition::None)
                        .map(|c| c.to_string()),
                    micro_timing: w.micro_timing().0,
                    repeats: w.repeats(),
                    slide,
                    notes: Vec::new(),
                })
            })
            .collect();
        tracks.push(TrackDump {
            track: format!("T{}", t + 1),
            machine: Some(machine.name().to_string()),
            length: tr.length(),
            trigs: tr.trigs.steps().map(|s| s + 1).collect(),
            trigless: tr.trigless.steps().map(|s| s + 1).collect(),
            plock_only: tr.plock_only.steps().map(|s| s + 1).collect(),
            steps,
            recorder: Some(recorder_dump(tr)),
            settings: SettingsDump::of(&tr.settings),
        });
    }
    for (t, tr) in pt.midi.iter().enumerate() {
        let note_page = part.map(|p| p.midi_values[t].note.0).unwrap_or([255; 6]);
        let steps = (0..64)
            .filter_map(|s| {
                let kind = kind_name(tr.step_kind(s));
                let plocks: BTreeMap<String, u8> = (0..32)
                    .filter_map(|i| tr.plock(s, i).map(|v| (midi_lock_name(i), v)))
                    .collect();
                let plocks_shown: BTreeMap<String, String> = (0..32)
                    .filter_map(|i| {
                        tr.plock(s, i)
                            .map(|v| (midi_lock_name(i), shown(params::midi_param(i), v)))
                    })
                    .collect();
                let w = tr.step_word(s);
                let notes = if kind == "trig" {
                    tr.notes(s, note_page)
                        .notes
                        .into_iter()
                        .filter(|&n| n <= 127)
                        .map(note_name)
                        .collect()
                } else {
                    Vec::new()
                };
                (kind != "none" || !plocks.is_empty() || w.0 != 0).then(|| StepDump {
                    step: s + 1,
                    kind,
                    plocks,
                    plocks_shown,
                    condition: Some(w.condition())
                        .filter(|c| *c != crate::format::TrigCondition::None)
                        .map(|c| c.to_string()),
                    micro_timing: w.micro_timing().0,
                    repeats: w.repeats(),
                    slide: false,
                    notes,
                })
            })
            .collect();
        tracks.push(TrackDump {
            track: format!("M{}", t + 1),
            machine: None,
            length: tr.length(),
            trigs: tr.trigs.steps().map(|s| s + 1).collect(),
            trigless: tr.trigless.steps().map(|s| s + 1).collect(),
            plock_only: tr.plock_only.steps().map(|s| s + 1).collect(),
            steps,
            recorder: None,
            settings: SettingsDump::of(&tr.settings),
        });
    }
    let per_track = pt.scale_mode() == ScaleMode::PerTrack;
    let length = if per_track {
        pt.audio
            .iter()
            .map(|t| t.length())
            .chain(pt.midi.iter().map(|t| t.length()))
            .max()
            .unwrap_or(pt.master_length)
    } else {
        pt.master_length
    };
    let tempo = crate::format::tempo::playing_tempo(project, pt);
    Some(PatternDump {
        bank: bank_letter(bank_index).to_string(),
        pattern: pattern as u8 + 1,
        part: pt.part() + 1,
        scale_mode: if per_track { "per track" } else { "normal" },
        length: length.min(64),
        tempo: tempo.bpm(),
        tempo_source: tempo.source,
        pattern_tempo: pt.tempo_bpm(),
        tracks,
    })
}

/// The text grid of a dump: only tracks holding something, one row per step.
pub fn to_text(d: &PatternDump) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}{:02}  part {}  length {}{}  tempo {} BPM ({})",
        d.bank,
        d.pattern,
        d.part,
        d.length,
        if d.scale_mode == "per track" {
            " (per track)"
        } else {
            ""
        },
        crate::format::tempo::bpm_text((d.tempo * 24.0).round() as u32),
        d.tempo_source.name()
    );
    let has_rec = |t: &TrackDump| t.recorder.as_ref().is_some_and(|r| !r.is_empty());
    let cols: Vec<&TrackDump> = d
        .tracks
        .iter()
        .filter(|t| !t.steps.is_empty() || has_rec(t))
        .collect();
    if cols.is_empty() {
        let _ = writeln!(s, "(empty pattern)");
        settings_text(&mut s, d);
        return s;
    }
    let rows = cols
        .iter()
        .flat_map(|t| {
            t.steps
                .iter()
                .map(|st| st.step)
                .chain(t.recorder.iter().flatten().map(|r| r.step))
        })
        .max()
        .unwrap_or(0)
        .max(d.length as usize)
        .min(64);
    let cell = |st: &StepDump| -> String {
        let mut parts = vec![
            match st.kind {
                "trig" => crate::symbols::TRIG,
                "trigless" => crate::symbols::TRIGLESS,
                "lock" => crate::symbols::LOCK,
                _ => crate::symbols::EMPTY,
            }
            .to_string(),
        ];
        parts.extend(st.notes.iter().cloned());
        if let Some(c) = &st.condition {
            // the grid's short form (`!FILL`), one word per condition
            parts.push(match c.strip_prefix("NOT ") {
                Some(rest) => format!("!{rest}"),
                None => c.clone(),
            });
        }
        if st.micro_timing != 0 {
            parts.push(format!("{:+}/384", st.micro_timing));
        }
        if st.repeats > 1 {
            parts.push(format!("r{}", st.repeats));
        }
        if st.slide {
            parts.push("slide".into());
        }
        // the notes already show NOTE and NOT2-4
        let shown_as_notes = |k: &str| !st.notes.is_empty() && k.starts_with("NOT");
        parts.extend(
            st.plocks
                .iter()
                .filter(|(k, _)| !shown_as_notes(k))
                .map(|(k, v)| format!("{k}={v}")),
        );
        parts.join(" ")
    };
    // (header, cells): each track's column, then its recorder sub-column when it has any
    let mut grid: Vec<(String, Vec<String>)> = Vec::new();
    for t in &cols {
        if !t.steps.is_empty() {
            let mut c = vec![".".to_string(); rows];
            for st in &t.steps {
                if st.step <= rows {
                    c[st.step - 1] = cell(st);
                }
            }
            grid.push((header(t), c));
        }
        if has_rec(t) {
            let mut c = vec![".".to_string(); rows];
            for r in t.recorder.iter().flatten() {
                if r.step <= rows {
                    c[r.step - 1] = recorder_cell(r);
                }
            }
            grid.push((format!("{} REC", t.track), c));
        }
    }
    let widths: Vec<usize> = grid
        .iter()
        .map(|(head, c)| c.iter().map(|x| x.len()).max().unwrap_or(1).max(head.len()))
        .collect();
    let mut line = String::from("    ");
    for ((head, _), w) in grid.iter().zip(&widths) {
        let _ = write!(line, " | {:<w$}", head, w = *w);
    }
    let _ = writeln!(s, "{}", line.trim_end());
    for r in 0..rows {
        let mut line = format!("{:>3} ", r + 1);
        for ((_, c), w) in grid.iter().zip(&widths) {
            let _ = write!(line, " | {:<w$}", c[r], w = *w);
        }
        let _ = writeln!(s, "{}", line.trim_end());
    }
    settings_text(&mut s, d);
    s
}

/// After the grid: one line per track whose sequencer settings differ from a new track's.
fn settings_text(s: &mut String, d: &PatternDump) {
    use std::fmt::Write;
    let default = SettingsDump::of(&TrackSettings::default());
    let changed: Vec<&TrackDump> = d.tracks.iter().filter(|t| t.settings != default).collect();
    if changed.is_empty() {
        return;
    }
    let _ = writeln!(s, "track settings:");
    for t in changed {
        let _ = writeln!(s, "  {:<3} {}", t.track, t.settings.text());
    }
}

fn header(t: &TrackDump) -> String {
    match &t.machine {
        Some(m) => format!("{} {m}", t.track),
        None => t.track.clone(),
    }
}

/// Runs `octa dump`.
pub fn dump(args: &DumpArgs) -> ExitCode {
    let b = args.bank.index();
    // One bank is read: the other 15 and every `.strd` are not needed for one pattern.
    let only = crate::project::Partial {
        banks: vec![b],
        stored: false,
    };
    let p = match Project::open_partial(
        &args.path,
        &OpenOptions {
            project: args.project.clone(),
            read_only: true,
        },
        &only,
    ) {
        Ok(p) => p,
        Err(e) => {
            crate::errln!("octa dump: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(d) = dump_pattern(p.project_file(), p.bank(b), b, args.pattern.index()) else {
        crate::errln!("octa dump: no pattern {}", args.pattern);
        return ExitCode::FAILURE;
    };
    match args.format {
        DumpFormat::Text => crate::out!("{}", to_text(&d)),
        DumpFormat::Json => match serde_json::to_string_pretty(&d) {
            Ok(j) => crate::outln!("{j}"),
            Err(e) => {
                crate::errln!("octa dump: {e}");
                return ExitCode::FAILURE;
            }
        },
    }
    ExitCode::SUCCESS
}

/// The JSON name of a step's trig kind.
fn kind_name(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Trig => "trig",
        StepKind::Trigless => "trigless",
        StepKind::LockOnly => "lock",
        StepKind::Empty => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steps (1-based) of the 8-byte mask at `o`, by hand (format doc §4.5: byte 7 = steps 1-8).
    fn mask_steps(b: &[u8], o: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..64)
            .filter(|k| b[o + 7 - k / 8] & (1 << (k % 8)) != 0)
            .map(|k| k + 1)
            .collect();
        v.sort();
        v
    }

    #[test]
    fn multipart_recorder_trigs_in_json_and_text_agree_with_the_bytes() {
        let (Some(bp), Some(pp)) = (
            crate::testutil::corpus("ot/multipart/bank01.work"),
            crate::testutil::corpus("ot/multipart/project.work"),
        ) else {
            return;
        };
        let bytes = std::fs::read(bp).unwrap();
        let (bank, _) = Bank::from_bytes(&bytes).unwrap();
        let project = ProjectFile::parse(&std::fs::read(pp).unwrap()).unwrap();
        let mut seen = 0;
        for pat in 0..16 {
            let d = dump_pattern(&project, &bank, 0, pat).unwrap();
            let json = serde_json::to_value(&d).unwrap();
            let text = to_text(&d);
            let lines: Vec<&str> = text.lines().collect();
            for t in 0..8 {
                // audio track t of pattern `pat`: 22 + pat*36588 + 8 + t*2338; masks at +41
                let o = 22 + pat * 36588 + 8 + t * 2338 + 41;
                let (ab, cd, s3, one) = (
                    mask_steps(&bytes, o),
                    mask_steps(&bytes, o + 8),
                    mask_steps(&bytes, o + 16),
                    mask_steps(&bytes, o + 24),
                );
                let mut want: Vec<usize> = [&ab[..], &cd[..], &s3[..], &one[..]].concat();
                want.sort();
                want.dedup();
                let rec = json["tracks"][t]["recorder"].as_array().unwrap();
                let got: Vec<usize> = rec
                    .iter()
                    .map(|r| r["step"].as_u64().unwrap() as usize)
                    .collect();
                assert_eq!(got, want, "pattern {} T{}", pat + 1, t + 1);
                let head = format!("T{} REC", t + 1);
                let col = lines
                    .get(1)
                    .and_then(|l| l.split(" | ").position(|c| c.trim() == head));
                assert_eq!(col.is_some(), !want.is_empty(), "{text}");
                for r in rec {
                    seen += 1;
                    let step = r["step"].as_u64().unwrap() as usize;
                    let src: Vec<&str> = r["sources"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap())
                        .collect();
                    let mut hand = Vec::new();
                    if ab.contains(&step) {
                        hand.push("INAB");
                    }
                    if cd.contains(&step) {
                        hand.push("INCD");
                    }
                    if s3.contains(&step) {
                        hand.push("SRC3");
                    }
                    assert_eq!(src, hand);
                    assert_eq!(r["oneshot"], one.contains(&step));
                    // the text row of that step shows the same cell in the REC column
                    let row = lines[1 + step];
                    let cell = row.split(" | ").nth(col.unwrap()).unwrap().trim();
                    let mut want_cell = hand.join("+");
                    if one.contains(&step) {
                        want_cell.push_str(" 1SHOT");
                    }
                    assert_eq!(cell, want_cell, "{row}");
                }
                // settings in device terms, from bytes +91..+96
                let so = o - 41;
                let st = &json["tracks"][t]["settings"];
                assert_eq!(st["swing"], 50 + bytes[so + 91] as u64);
                assert_eq!(
                    st["trig_mode"],
                    ["ONE", "ONE2", "HOLD"][bytes[so + 94] as usize]
                );
                assert_eq!(st["plays_free"], bytes[so + 93] != 0);
                assert_eq!(st["oneshot_track"], bytes[so + 96] != 0);
            }
            // MIDI tracks carry no recorder
            assert!(json["tracks"][8].get("recorder").is_none());
        }
        // A01 T2/T3/T4: 2 + 4 + 4 recorder trigs
        assert_eq!(seen, 10);
        let d = dump_pattern(&project, &bank, 0, 0).unwrap();
        let text = to_text(&d);
        assert!(
            text.contains(
                "  T2  swing 50%  trig HOLD  quant 6  start silent ON  plays free ON  oneshot trk OFF"
            ),
            "{text}"
        );
        assert!(text.contains("  T7  swing 50%  trig HOLD  quant 4  start silent ON  plays free ON  oneshot trk ON"), "{text}");
    }
}
