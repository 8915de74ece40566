//! Standard MIDI files (SMF) in and out, with `midly`. Pure: bytes in, bytes out; the CLI
//! (`cli::midi_file`) reads the files and writes through `project`.
//!
//! Export plays the items through the same [`Sequencer`] MIDI playback uses (the `seq`
//! timeline rendered by `midi::render`), so the file holds exactly the messages the device
//! would be sent: audio tracks as notes on their trig channels with p-locks as CCs, MIDI
//! tracks as their notes, chords, velocities, lengths and CCs, conditions resolved with the
//! seed, swing and micro-timing kept. The file is type 1: a tempo track, then T1-T8 and
//! M1-M8, at [`PPQ`] ticks per quarter note (every step, micro-timing and swing position of
//! every scale lands on a whole tick).
//!
//! Import reads the notes of a type 0 or 1 file and plans them into a pattern: quantized to
//! each track's scale and length with the rest kept as micro-timing (1/24 step), MIDI tracks
//! as notes and chords (up to 4) with VEL and LEN locks, audio tracks as trigs with PTCH
//! locks; what does not fit is listed with the reason.

use crate::format::MicroTiming;
use crate::format::bank::midi_slot;
use crate::format::params::audio_param;
use crate::midi::record::RecordedNote;
use crate::midi::render::{TimedMsg, note_to_pitch};
use crate::midi::scheduler::Sequencer;
use crate::seq::timeline::{PlayItem, pass_ticks, step_ticks, tick_secs};
use crate::seq::{DeviceSetup, SeqPattern, TrackKind};
use midly::num::{u15, u24, u28};
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};
use std::collections::{BTreeMap, HashMap};
use thiserror::Error;

/// Ticks per quarter note of exported files: 14400 = 24 PPQN x 600, so a step of every
/// scale, a micro-timing unit (1/24 step) and a swing unit (1/50 step) are whole ticks.
pub const PPQ: u16 = 14400;
/// Exported ticks per sequencer grid tick (24 per quarter).
const PER_GRID: u64 = PPQ as u64 / 24;
/// Names of the exported tracks after the tempo track.
pub const TRACK_NAMES: [&str; 16] = [
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8",
];

/// Why a MIDI file could not be made or read.
#[derive(Debug, Error)]
pub enum SmfError {
    /// The bytes are not a readable standard MIDI file.
    #[error("not a readable standard MIDI file: {0}")]
    Invalid(String),
    /// A type 2 (sequential) file.
    #[error("a type 2 (sequential patterns) MIDI file; expected type 0 or 1")]
    Sequential,
    /// SMPTE time division.
    #[error(
        "SMPTE timing ({fps} frames/s, {sub} ticks/frame); expected metrical timing (ticks per quarter note)"
    )]
    Smpte {
        /// Frames per second.
        fps: u8,
        /// Ticks per frame.
        sub: u8,
    },
    /// Metrical timing of 0 ticks per quarter.
    #[error("0 ticks per quarter note in the header; expected 1..=32767")]
    ZeroDivision,
    /// Nothing to import.
    #[error("no notes (no note on with a velocity above 0); expected at least one")]
    NoNotes,
    /// A play item without an end.
    #[error("item {0} plays until stopped; a MIDI file needs an end")]
    Endless(usize),
    /// Writing the bytes failed.
    #[error("writing the MIDI data: {0}")]
    Write(String),
}

/// One stretch of the export at one tempo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TempoSpan {
    /// Seconds from the start.
    pub start_secs: f64,
    /// First tick (at [`PPQ`]).
    pub start_tick: u64,
    /// Tempo in BPM.
    pub bpm: f64,
}

/// What [`export`] made.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The SMF bytes.
    pub bytes: Vec<u8>,
    /// Note ons per track (T1-T8, M1-M8).
    pub notes: [usize; 16],
    /// Control changes per track.
    pub ccs: [usize; 16],
    /// Tempo map (one span per play item).
    pub tempos: Vec<TempoSpan>,
    /// End of the song in ticks.
    pub end_tick: u64,
    /// End of the song in seconds.
    pub end_secs: f64,
}

/// The messages MIDI playback sends for these items, in order (no clock): what [`export`]
/// writes. `seed` resolves the probability conditions.
pub fn played_messages(items: Vec<PlayItem>, setup: DeviceSetup, seed: u64) -> Vec<TimedMsg> {
    let mut seq = Sequencer::new(items, setup, seed);
    seq.send_clock = false;
    seq.collect_until(f64::INFINITY)
}

/// The tempo map of the items: where each starts (seconds, ticks) and its tempo, as the
/// timeline plays them; and the end (seconds, ticks).
pub fn tempo_map(
    items: &[PlayItem],
    setup: &DeviceSetup,
) -> Result<(Vec<TempoSpan>, f64, u64), SmfError> {
    let mut spans = Vec::with_capacity(items.len());
    let (mut secs, mut grid) = (0.0f64, 0u64);
    for (i, it) in items.iter().enumerate() {
        let bpm = it
            .tempo
            .unwrap_or_else(|| setup.tempo_for(&it.pattern))
            .clamp(20.0, 400.0);
        let passes = it.passes.ok_or(SmfError::Endless(i + 1))?;
        spans.push(TempoSpan {
            start_secs: secs,
            start_tick: grid * PER_GRID,
            bpm,
        });
        let ticks = passes.max(1) as u64 * pass_ticks(it);
        grid += ticks;
        secs += ticks as f64 * tick_secs(bpm);
    }
    Ok((spans, secs, grid * PER_GRID))
}

/// The tick (at [`PPQ`]) of a time in seconds under a tempo map (times before 0 are 0).
pub fn secs_to_tick(spans: &[TempoSpan], secs: f64) -> u64 {
    let Some(span) = spans
        .iter()
        .rev()
        .find(|s| s.start_secs <= secs + 1e-9)
        .or(spans.first())
    else {
        return 0;
    };
    let per_tick = tick_secs(span.bpm) / PER_GRID as f64;
    let t = span.start_tick as f64 + (secs - span.start_secs) / per_tick;
    t.round().max(0.0) as u64
}

/// The items as a type-1 SMF: see the module docs.
pub fn export(
    items: Vec<PlayItem>,
    setup: DeviceSetup,
    seed: u64,
    title: &str,
) -> Result<Exported, SmfError> {
    let (tempos, end_secs, end) = tempo_map(&items, &setup)?;
    let msgs = played_messages(items, setup, seed);
    let mut per_track: Vec<Vec<(u64, TrackEventKind<'static>)>> = vec![Vec::new(); 16];
    let mut notes = [0usize; 16];
    let mut ccs = [0usize; 16];
    for m in &msgs {
        let t = m.track as usize;
        if t >= 16 {
            continue;
        }
        let Ok(midly::live::LiveEvent::Midi { channel, message }) =
            midly::live::LiveEvent::parse(m.msg.as_bytes())
        else {
            continue;
        };
        match message {
            MidiMessage::NoteOn { vel, .. } if vel > 0 => notes[t] += 1,
            MidiMessage::Controller { .. } => ccs[t] += 1,
            _ => {}
        }
        per_track[t].push((
            secs_to_tick(&tempos, m.at),
            TrackEventKind::Midi { channel, message },
        ));
    }
    let end_tick = per_track
        .iter()
        .filter_map(|v| v.iter().map(|e| e.0).max())
        .fold(end, u64::max);

    let mut tracks: Vec<Vec<TrackEvent<'_>>> = Vec::with_capacity(17);
    let mut tempo_track = vec![
        meta(0, MetaMessage::TrackName(title.as_bytes())),
        meta(0, MetaMessage::TimeSignature(4, 2, 24, 8)),
    ];
    let mut last = 0u64;
    let mut last_bpm = None;
    for s in &tempos {
        if last_bpm == Some(s.bpm) {
            continue;
        }
        last_bpm = Some(s.bpm);
        let us = (60e6 / s.bpm).round() as u32;
        tempo_track.push(meta(
            delta(&mut last, s.start_tick),
            MetaMessage::Tempo(u24::new(us)),
        ));
    }
    tempo_track.push(meta(delta(&mut last, end_tick), MetaMessage::EndOfTrack));
    tracks.push(tempo_track);
    for (t, events) in per_track.into_iter().enumerate() {
        let mut tr = vec![meta(0, MetaMessage::TrackName(TRACK_NAMES[t].as_bytes()))];
        let mut last = 0u64;
        for (tick, kind) in events {
            // Messages come in time order; rounding keeps that order (never goes back).
            let tick = tick.max(last);
            tr.push(TrackEvent {
                delta: u28::new(delta(&mut last, tick)),
                kind,
            });
        }
        tr.push(meta(delta(&mut last, end_tick), MetaMessage::EndOfTrack));
        tracks.push(tr);
    }
    let smf = Smf {
        header: Header::new(Format::Parallel, Timing::Metrical(u15::new(PPQ))),
        tracks,
    };
    let mut bytes = Vec::new();
    smf.write_std(&mut bytes)
        .map_err(|e| SmfError::Write(e.to_string()))?;
    Ok(Exported {
        bytes,
        notes,
        ccs,
        tempos,
        end_tick,
        end_secs,
    })
}

fn delta(last: &mut u64, tick: u64) -> u32 {
    let d = tick
        .saturating_sub(*last)
        .min(u28::max_value().as_int() as u64) as u32;
    *last = tick;
    d
}

fn meta(delta: u32, m: MetaMessage<'_>) -> TrackEvent<'_> {
    TrackEvent {
        delta: u28::new(delta),
        kind: TrackEventKind::Meta(m),
    }
}

/// One note read from a MIDI file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileNote {
    /// Index of the file's track chunk.
    pub chunk: usize,
    /// The OT track the chunk's name stands for (`T1`..`M8`), if it is one.
    pub named: Option<usize>,
    /// Channel 0..=15.
    pub channel: u8,
    /// Note number.
    pub key: u8,
    /// Velocity 1..=127.
    pub velocity: u8,
    /// Start in the file's ticks.
    pub tick: u64,
    /// Length in ticks (to its note off, or to the end of its track).
    pub length: u64,
}

/// The notes of a MIDI file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNotes {
    /// Ticks per quarter note.
    pub ppq: u16,
    /// The notes, by start time (then chunk, then key).
    pub notes: Vec<FileNote>,
}

/// Checks the chunk structure (midly passes over truncated data): header first, each
/// chunk's length within the file, as many track chunks as the header says.
fn check_chunks(b: &[u8]) -> Result<(), SmfError> {
    let bad = |s: String| Err(SmfError::Invalid(s));
    if b.len() < 14 || &b[..4] != b"MThd" {
        return bad(format!(
            "{} bytes, no \"MThd\" header at byte 0; expected a 14-byte header chunk",
            b.len()
        ));
    }
    let be32 = |at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize;
    let be16 = |at: usize| u16::from_be_bytes([b[at], b[at + 1]]);
    let hlen = be32(4);
    if hlen < 6 || 8 + hlen > b.len() {
        return bad(format!(
            "header chunk length {hlen} at byte 4; expected 6 within the file"
        ));
    }
    let (format, ntrks, division) = (be16(8), be16(10) as usize, be16(12));
    if format == 2 {
        return Err(SmfError::Sequential);
    }
    if format > 2 {
        return bad(format!("format {format} at byte 8; expected 0 or 1"));
    }
    if division & 0x8000 != 0 {
        return Err(SmfError::Smpte {
            fps: (-((division >> 8) as i8)) as u8,
            sub: (division & 0xFF) as u8,
        });
    }
    if division == 0 {
        return Err(SmfError::ZeroDivision);
    }
    let mut at = 8 + hlen;
    let mut tracks = 0usize;
    while at < b.len() {
        if at + 8 > b.len() {
            return bad(format!(
                "truncated: {} stray byte(s) at byte {at}; expected an 8-byte chunk header",
                b.len() - at
            ));
        }
        let len = be32(at + 4);
        if len > b.len() - at - 8 {
            return bad(format!(
                "truncated: the chunk at byte {at} declares {len} bytes, the file has {} after its header",
                b.len() - at - 8
            ));
        }
        if &b[at..at + 4] == b"MTrk" {
            tracks += 1;
        }
        at += 8 + len;
    }
    if tracks < ntrks {
        return bad(format!(
            "the header announces {ntrks} track(s), the file holds {tracks}"
        ));
    }
    Ok(())
}

/// The notes of a type 0 or 1 SMF with metrical timing (a note held at the end of its
/// track ends there).
pub fn read_notes(bytes: &[u8]) -> Result<FileNotes, SmfError> {
    check_chunks(bytes)?;
    let smf = Smf::parse(bytes).map_err(|e| SmfError::Invalid(e.to_string()))?;
    let ppq = match smf.header.timing {
        Timing::Metrical(t) if t.as_int() > 0 => t.as_int(),
        Timing::Metrical(_) => return Err(SmfError::ZeroDivision),
        Timing::Timecode(fps, sub) => {
            return Err(SmfError::Smpte {
                fps: fps.as_int(),
                sub,
            });
        }
    };
    if smf.header.format == Format::Sequential {
        return Err(SmfError::Sequential);
    }
    let mut notes = Vec::new();
    for (chunk, track) in smf.tracks.iter().enumerate() {
        let mut tick = 0u64;
        let mut named = None;
        let mut open: HashMap<(u8, u8), Vec<usize>> = HashMap::new();
        for ev in track {
            tick += ev.delta.as_int() as u64;
            match ev.kind {
                TrackEventKind::Meta(MetaMessage::TrackName(n)) => {
                    let n = String::from_utf8_lossy(n);
                    named = TRACK_NAMES.iter().position(|t| *t == n.trim());
                }
                TrackEventKind::Midi { channel, message } => {
                    let ch = channel.as_int();
                    match message {
                        MidiMessage::NoteOn { key, vel } if vel > 0 => {
                            open.entry((ch, key.as_int()))
                                .or_default()
                                .push(notes.len());
                            notes.push(FileNote {
                                chunk,
                                named: None,
                                channel: ch,
                                key: key.as_int(),
                                velocity: vel.as_int(),
                                tick,
                                length: 0,
                            });
                        }
                        MidiMessage::NoteOn { key, .. } | MidiMessage::NoteOff { key, .. } => {
                            if let Some(list) = open.get_mut(&(ch, key.as_int()))
                                && !list.is_empty()
                            {
                                let i = list.remove(0);
                                notes[i].length = tick - notes[i].tick;
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        for i in open.into_values().flatten() {
            notes[i].length = tick - notes[i].tick;
        }
        for n in notes.iter_mut().filter(|n| n.chunk == chunk) {
            n.named = named;
        }
    }
    if notes.is_empty() {
        return Err(SmfError::NoNotes);
    }
    notes.sort_by_key(|n| (n.tick, n.chunk, n.key));
    Ok(FileNotes { ppq, notes })
}

/// `CH:TRACK` pairs of `--map` (`1:T1,10:M2`): channel 1..=16 to T1..T8 / M1..M8.
pub fn parse_map(s: &str) -> Result<Vec<(u8, usize)>, String> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (ch, tr) = p
                .split_once(':')
                .ok_or_else(|| format!("expected CHANNEL:TRACK (e.g. 10:T1), found {p:?}"))?;
            let ch: u8 = ch
                .trim()
                .parse()
                .ok()
                .filter(|c| (1..=16).contains(c))
                .ok_or_else(|| format!("expected a channel 1..16 in {p:?}"))?;
            let up = tr.trim().to_ascii_uppercase();
            let t = TRACK_NAMES
                .iter()
                .position(|n| *n == up)
                .ok_or_else(|| format!("expected a track T1..T8 or M1..M8 in {p:?}"))?;
            Ok((ch - 1, t))
        })
        .collect()
}

/// What an import does to one track.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackPlan {
    /// Track 0..16.
    pub track: usize,
    /// Steps written (0-based, ascending).
    pub steps: Vec<u16>,
    /// Notes placed.
    pub notes: usize,
    /// Notes placed on audio tracks without a PTCH lock (outside 72..=96, or no PTCH).
    pub unpitched: usize,
    /// Notes dropped, by reason.
    pub dropped: BTreeMap<String, usize>,
}

/// What an import does: per track, and the notes no track takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// Tracks that receive notes (ascending).
    pub tracks: Vec<TrackPlan>,
    /// Notes no track takes, by reason.
    pub unmapped: BTreeMap<String, usize>,
    /// The notes to write (`midi::record::write_take`).
    pub take: Vec<RecordedNote>,
    /// LEN locks of MIDI steps (track, step, value at 6 per step as playback reads them),
    /// where the note's length differs from the part's LEN.
    pub lengths: Vec<(usize, u16, u8)>,
}

impl ImportPlan {
    /// Notes placed in all.
    pub fn placed(&self) -> usize {
        self.tracks.iter().map(|t| t.notes).sum()
    }
}

/// The track a note goes to: `--map` when given (only its channels), else the file track's
/// name (`T1`..`M8`, as [`export`] writes them), else the audio track whose trig channel it
/// is, else the MIDI track whose part channel it is.
fn target(
    n: &FileNote,
    map: Option<&[(u8, usize)]>,
    pattern: &SeqPattern,
    setup: &DeviceSetup,
) -> Result<usize, String> {
    let ch = n.channel + 1;
    if let Some(map) = map {
        return map
            .iter()
            .find(|(c, _)| *c == n.channel)
            .map(|(_, t)| *t)
            .ok_or_else(|| format!("channel {ch} is not in --map"));
    }
    if let Some(t) = n.named {
        return Ok(t);
    }
    if let Some(t) = setup
        .trig_channels
        .iter()
        .position(|c| *c == Some(n.channel))
    {
        return Ok(t);
    }
    pattern
        .part
        .midi
        .iter()
        .position(|m| m.channel == n.channel)
        .map(|t| t + 8)
        .ok_or_else(|| format!("channel {ch} is no track's trig or MIDI channel"))
}

/// Plans the notes into `pattern` (see the module docs): each note to its track, quantized
/// to the track's scale (step = the scale's share of a quarter note) with the offset kept
/// as micro-timing; notes past the track's length, a second note on an audio step and a
/// fifth note (or one out of -64..+63 semitones of the root) on a MIDI step are dropped
/// with the reason.
pub fn plan_import(
    file: &FileNotes,
    pattern: &SeqPattern,
    setup: &DeviceSetup,
    map: Option<&[(u8, usize)]>,
) -> ImportPlan {
    let mut plan = ImportPlan::default();
    let mut tracks: BTreeMap<usize, TrackPlan> = BTreeMap::new();
    // Per (track, step): the notes taken so far.
    let mut taken: BTreeMap<(usize, u16), Vec<u8>> = BTreeMap::new();
    for n in &file.notes {
        let track = match target(n, map, pattern, setup) {
            Ok(t) => t,
            Err(why) => {
                *plan.unmapped.entry(why).or_default() += 1;
                continue;
            }
        };
        let tp = tracks.entry(track).or_insert_with(|| TrackPlan {
            track,
            ..TrackPlan::default()
        });
        let (len, scale) = pattern.track_timing(track);
        let step_q = step_ticks(scale) as f64 / 24.0;
        let pos = n.tick as f64 / file.ppq as f64 / step_q;
        let nearest = pos.round();
        if nearest >= len as f64 {
            *tp.dropped
                .entry(format!("after the track's last step ({len})"))
                .or_default() += 1;
            continue;
        }
        let step = nearest as u16;
        let mt = (((pos - nearest) * 24.0).round() as i8).clamp(MicroTiming::MIN, MicroTiming::MAX);
        let here = taken.entry((track, step)).or_default();
        let kind = pattern
            .tracks
            .get(track)
            .map_or(TrackKind::Midi, |t| t.kind);
        let mut pitch_lock = None;
        match kind {
            TrackKind::Audio => {
                if !here.is_empty() {
                    *tp.dropped
                        .entry("a second note on an audio step (one trig per step)".into())
                        .or_default() += 1;
                    continue;
                }
                let part = &pattern.part.audio[track.min(7)];
                let has_ptch = audio_param(part.machine, part.fx1, part.fx2, 0)
                    .is_some_and(|p| p.name == "PTCH");
                pitch_lock = note_to_pitch(n.key).filter(|_| has_ptch);
                if pitch_lock.is_none() {
                    tp.unpitched += 1;
                }
            }
            TrackKind::Midi => {
                if here.contains(&n.key) {
                    *tp.dropped
                        .entry("the same note twice on a step".into())
                        .or_default() += 1;
                    continue;
                }
                if here.len() >= 4 {
                    *tp.dropped
                        .entry("more than 4 notes on a step (NOTE + NOT2-4)".into())
                        .or_default() += 1;
                    continue;
                }
                if let Some(&root) = here.first()
                    && !(-64..=63).contains(&(n.key as i16 - root as i16))
                {
                    *tp.dropped
                        .entry("a chord note out of -64..+63 semitones of the root".into())
                        .or_default() += 1;
                    continue;
                }
            }
        }
        if here.is_empty() {
            tp.steps.push(step);
            if kind == TrackKind::Midi {
                // LEN counts 6 per step (1..=126; 127 = held for the pattern).
                let steps = n.length as f64 / file.ppq as f64 / step_q;
                let len = ((steps * 6.0).round() as i64).clamp(1, 126) as u8;
                let part_len = pattern.part.midi[(track - 8).min(7)].values[midi_slot::LEN];
                if len != part_len {
                    plan.lengths.push((track, step, len));
                }
            }
        }
        here.push(n.key);
        tp.notes += 1;
        plan.take.push(RecordedNote {
            track,
            step,
            note: n.key,
            velocity: n.velocity,
            micro_timing: MicroTiming(mt),
            pitch_lock,
            next_cursor: 0,
        });
    }
    for tp in tracks.values_mut() {
        tp.steps.sort_unstable();
    }
    plan.tracks = tracks.into_values().collect();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppq_makes_every_grid_position_whole() {
        // A step at each scale (in quarters: 1/8, 1/6, 1/4, 1/3, 1/2, 1, 2), its micro-timing
        // unit (1/24 step) and swing unit (1/50 step) are whole ticks.
        for (num, den) in [(1u64, 8u64), (1, 6), (1, 4), (1, 3), (1, 2), (1, 1), (2, 1)] {
            let step = PPQ as u64 * num;
            assert_eq!(step % den, 0);
            assert_eq!((step / den) % 24, 0, "micro at {num}/{den}");
            assert_eq!((step / den) % 50, 0, "swing at {num}/{den}");
        }
    }

    fn file(notes: &[(u64, u8, u8)]) -> FileNotes {
        FileNotes {
            ppq: 96,
            notes: notes
                .iter()
                .map(|&(tick, channel, key)| FileNote {
                    chunk: 1,
                    named: None,
                    channel,
                    key,
                    velocity: 100,
                    tick,
                    length: 6,
                })
                .collect(),
        }
    }

    #[test]
    fn import_quantizes_to_each_tracks_scale_and_length() {
        use crate::format::Scale;
        // Per-track scales: T1 at 2x (a step is a 1/32 note: 12 ticks at 96 per quarter),
        // M1 at 1/2x (a 1/8 note: 48 ticks) and 4 steps long.
        let mut p = SeqPattern::empty("A01");
        p.per_track = true;
        p.length = Some(16);
        p.tracks[0].scale = Scale::X2;
        p.tracks[0].length = 32;
        p.tracks[8].scale = Scale::X1_2;
        p.tracks[8].length = 4;
        let setup = DeviceSetup::default(); // trig channels 1-8, M1 on channel 9
        let f = file(&[
            (12, 0, 84),  // T1 step 2
            (26, 0, 86),  // T1 step 3 + 2 ticks = 4/24 step
            (100, 8, 60), // M1 step 3 + 4 ticks = 2/24 step
            (190, 8, 62), // M1 step 5 - 2 ticks: past its 4 steps
            (0, 13, 70),  // channel 14: M6
            (0, 15, 70),  // channel 16: M8
        ]);
        let plan = plan_import(&f, &p, &setup, None);
        let got: Vec<(usize, u16, i8, Option<u8>)> = plan
            .take
            .iter()
            .map(|n| (n.track, n.step, n.micro_timing.0, n.pitch_lock))
            .collect();
        assert_eq!(
            got,
            [
                (0, 1, 0, Some(64)),
                (0, 2, 4, Some(66)),
                (8, 2, 2, None),
                (13, 0, 0, None),
                (15, 0, 0, None)
            ]
        );
        let m1 = plan.tracks.iter().find(|t| t.track == 8).unwrap();
        assert_eq!(m1.dropped.get("after the track's last step (4)"), Some(&1));
        // 6 ticks of a 48-tick step = 1/8 step = 0.75 LEN (6 per step), rounded to 1.
        assert!(plan.lengths.contains(&(8, 2, 1)));
        // With a map only its channels count: channel 1 to M2 (1x: both notes on step 2, a
        // chord, 12/24 rounding up).
        let plan = plan_import(&f, &p, &setup, Some(&[(0, 9)]));
        assert_eq!(plan.placed(), 2);
        assert_eq!(plan.tracks[0].steps, [1]);
        assert_eq!(plan.unmapped.values().sum::<usize>(), 4);
    }

    #[test]
    fn maps_parse() {
        assert_eq!(parse_map("1:T1, 10:m2").unwrap(), vec![(0, 0), (9, 9)]);
        assert!(parse_map("0:T1").is_err());
        assert!(parse_map("3:X1").is_err());
        assert!(parse_map("3").is_err());
    }

    #[test]
    fn chunk_checks_name_what_is_wrong() {
        let mut b = b"MThd\0\0\0\x06\0\x01\0\x01\x01\xE0MTrk\0\0\0\x04\0\xFF\x2F\0".to_vec();
        assert!(check_chunks(&b).is_ok());
        b.truncate(b.len() - 2);
        let e = check_chunks(&b).unwrap_err().to_string();
        assert!(e.contains("chunk at byte 14 declares 4 bytes"), "{e}");
        let mut t2 = b"MThd\0\0\0\x06\0\x02\0\x01\x01\xE0".to_vec();
        assert!(matches!(check_chunks(&t2), Err(SmfError::Sequential)));
        t2[9] = 0;
        t2[12] = 0xE7; // -25 fps
        t2[13] = 40;
        assert!(matches!(
            check_chunks(&t2),
            Err(SmfError::Smpte { fps: 25, sub: 40 })
        ));
    }
}
