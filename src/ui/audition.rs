//! The tracker's MIDI at app level: the edit-audition hook, the project settings kept in
//! step with the engine, and the MIDI keys (mute, solo, play the step / row / from the
//! cursor, edit audition on or off).
//!
//! The hook is one place: [`before`] takes what the step under the cursor plays before a
//! key's action, [`after`] compares it afterwards and auditions the step when it changed
//! (a trig toggled, a note, lock, condition, slide or retrig edited), unless the action
//! auditioned by itself (note entry) or edit audition is off.

use super::action::ActionDef;
use super::app::App;
use super::command::commands;
use super::engines::{NO_PLAY, midi_ready, track_set};
use crate::midi::{PlayItem, RowOptions, SeqPattern, SeqStep};
use std::sync::Arc;

commands! {
    /// A MIDI command the app handles in every view.
    pub enum AuditionCmd {
        Mute { "app.mute", "Mute / unmute the cursor's track (muted tracks send nothing)", ["ctrl+k"]; }
        Solo { "app.solo", "Solo / unsolo the cursor's track", ["ctrl+l"]; }
        UnmuteAll { "app.unmute_all", "Unmute and unsolo every track", ["alt+q"]; }
        AuditionToggle { "app.audition_toggle", "Edit audition on / off (play a step when an edit changes it)", ["alt+a"]; }
        PlayStep { "app.play_step", "Play the step under the cursor on the device", ["alt+k"]; }
        PlayRow { "app.play_row", "Play the row under the cursor (every track)", ["alt+j"]; }
        PlayFromCursor { "app.play_from_cursor", "Play the pattern from the cursor's step (then loop it)", ["ctrl+f"]; }
        PlayChain { "app.play_chain", "Play a chain (`1 2 5`: patterns of this bank) or an arrangement (`arr 3`) (asks)", ["alt+u"]; }
        Record { "app.record", "Record from the MIDI input into the cursor's track: step entry, or live while playing (again: stop; one undo step per take)", ["alt+z"]; }
        RecordLive { "app.record_live", "Count in (count_in_bars, 1 bar by default), then play the pattern from its start and record live into the cursor's track (again: stop)", ["ctrl+alt+z"]; }
        SendLinked { "app.send_linked", "Send a MIDI track's linked patch to its synth when the track is auditioned: on / off", ["ctrl+alt+l"]; }
        MidiPorts { "app.midi_ports", "Choose the MIDI output and input ports (remembered in the config)", ["alt+y"]; }
    }
}

/// The MIDI actions the app handles in every view (the table of [`AuditionCmd`]).
pub const ACTIONS: &[ActionDef] = AuditionCmd::ACTIONS;

/// Prompt tags of the port choice.
const OUT_TAG: &str = "app.midi_out";
const IN_TAG: &str = "app.midi_in";

/// Prompt tag of the chain / arrangement question.
const CHAIN_TAG: &str = "app.play_chain";

/// Whether a prompt answer is one of this module's prompts.
pub fn handles_answer(tag: &str) -> bool {
    tag == OUT_TAG || tag == IN_TAG || tag == CHAIN_TAG
}

/// What `app.play_chain` plays: `arr N` (arrangement N, 1..8) or pattern numbers (1..16) of
/// the current bank, each once, in order. An error names what was not understood.
pub fn chain_items(app: &App, text: &str) -> Result<(Vec<PlayItem>, String), String> {
    let doc = &app.ctx.doc;
    let pattern = |bank: usize, p: usize| {
        doc.bank(bank)
            .and_then(|b| SeqPattern::from_bank(b, bank, p))
            .map(Arc::new)
    };
    let t = text.trim().to_ascii_lowercase();
    if let Some(n) = t.strip_prefix("arr") {
        let n: usize = n
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=8).contains(n))
            .ok_or_else(|| format!("`{text}`: expected `arr 1`..`arr 8`"))?;
        let rows = doc
            .project
            .arrangement(n - 1)
            .rows(crate::format::arrangement::Block::Working);
        let play = crate::midi::arrange::arrangement_items(&rows, |id| {
            pattern(id as usize / 16, id as usize % 16)
        });
        if play.items.is_empty() {
            return Err(format!("arrangement {n} has no pattern rows"));
        }
        let desc = format!("arrangement {n} ({} items)", play.items.len());
        return Ok((play.items, desc));
    }
    let bank = app.ctx.nav.bank;
    let mut items = Vec::new();
    let mut names = Vec::new();
    for w in t
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let n: usize = w
            .parse()
            .ok()
            .filter(|n| (1..=16).contains(n))
            .ok_or_else(|| format!("`{w}`: expected a pattern number 1..16 or `arr N`"))?;
        let p = pattern(bank, n - 1).ok_or_else(|| format!("pattern {n} is not loaded"))?;
        names.push(p.name.clone());
        items.push(PlayItem {
            pattern: p,
            passes: Some(1),
            tempo: None,
            row: RowOptions::default(),
        });
    }
    if items.is_empty() {
        return Err("type pattern numbers (`1 2 5`) or `arr N`".into());
    }
    Ok((items, format!("chain {}", names.join(" "))))
}

/// The ports a port prompt offers, as (name, description); `None` for other prompts.
pub fn prompt_choices(app: &App, tag: &str) -> Option<Vec<(String, String)>> {
    if !handles_answer(tag) {
        return None;
    }
    let (outs, ins) = app
        .ctx
        .engines
        .midi_control
        .as_ref()
        .map(|m| m.port_names())
        .unwrap_or_default();
    let list = if tag == OUT_TAG { outs } else { ins };
    Some(
        list.into_iter()
            .enumerate()
            .map(|(i, n)| (n, format!("port {i}")))
            .collect(),
    )
}

fn port_prompt(app: &mut App, tag: &'static str) {
    let (out, inp) = &app.ctx.engines.midi_ports;
    let (what, now, empty) = if tag == OUT_TAG {
        ("output", out, "the first port")
    } else {
        ("input", inp, "no input")
    };
    let names = prompt_choices(app, tag)
        .unwrap_or_default()
        .into_iter()
        .map(|(n, _)| n)
        .collect::<Vec<_>>()
        .join(", ");
    app.overlay = super::app::Overlay::Prompt {
        title: format!(
            "MIDI {what} (now {}; empty: {empty}; or file:PATH) [{}]",
            now.as_deref().unwrap_or(empty),
            if names.is_empty() { "no ports" } else { &names }
        ),
        tag,
        text: now.clone().unwrap_or_default(),
    };
}

/// Applies a port prompt's answer: the output, then the input is asked; both are switched
/// to and remembered in the config file.
pub fn answer(app: &mut App, tag: &str, text: &str) {
    if tag == CHAIN_TAG {
        let ready = app
            .ctx
            .engines
            .midi_control
            .as_ref()
            .is_some_and(|m| midi_ready(m.as_ref()));
        if !ready {
            app.error(NO_PLAY);
            return;
        }
        match chain_items(app, text) {
            Ok((items, desc)) => {
                app.ctx.engines.queued_chain = Some(text.to_string());
                if let Some(m) = app.ctx.engines.midi_control.as_mut() {
                    m.play_items(items);
                }
                app.info(format!("playing {desc}"));
            }
            Err(e) => app.error(e),
        }
        return;
    }
    let choice = (!text.is_empty()).then(|| text.to_string());
    if tag == OUT_TAG {
        app.ctx.engines.midi_ports.0 = choice;
        port_prompt(app, IN_TAG);
        return;
    }
    app.ctx.engines.midi_ports.1 = choice;
    let (out, inp) = app.ctx.engines.midi_ports.clone();
    if let Some(m) = app.ctx.engines.midi_control.as_mut() {
        m.set_ports(out.clone(), inp.clone());
    }
    let saved = crate::config::config_dir()
        .map(|d| d.join("config.toml"))
        .map(|p| {
            crate::config::remember(&p, "midi_out", out.as_deref())
                .and_then(|()| crate::config::remember(&p, "midi_in", inp.as_deref()))
        });
    let what = format!(
        "MIDI output {}, input {}",
        out.as_deref().unwrap_or("(first port)"),
        inp.as_deref().unwrap_or("(none)")
    );
    match saved {
        Some(Ok(())) => app.info(format!("{what}; remembered in config.toml")),
        Some(Err(e)) => app.error(format!("{what}; not remembered: {e}")),
        None => app.info(format!("{what}; no config directory to remember it in")),
    }
}

/// Whether an action is one of [`ACTIONS`].
pub fn handles(name: &str) -> bool {
    AuditionCmd::from_name(name).is_some()
}

/// What the step under the cursor played before an action.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Before {
    bank: usize,
    pattern: usize,
    track: usize,
    step: usize,
    plays: Option<SeqStep>,
    auditions: u64,
}

/// The cursor of the current view as (track, step), when it has one.
fn cursor(app: &App) -> Option<(usize, usize)> {
    app.views.get(app.current)?.cursor_step(&app.ctx)
}

fn step_of(app: &App, at: (usize, usize), track: usize, step: usize) -> Option<SeqStep> {
    let bank = app.ctx.doc.bank(at.0)?;
    let p = SeqPattern::from_bank(bank, at.0, at.1)?;
    p.tracks.get(track)?.steps.get(step).copied()
}

/// The track (0..16) a take records into, while recording (the grid marks its header).
pub fn recording_track(e: &super::engines::Engines) -> Option<usize> {
    e.take.as_ref().map(|t| t.track)
}

/// A take being recorded from the MIDI input into one pattern (one undo step when it ends).
#[derive(Debug, Clone)]
pub struct Take {
    bank: usize,
    pattern: usize,
    track: usize,
    before: Box<crate::format::bank::Pattern>,
    notes: usize,
    /// The take started playback (`app.record_live`): ending it stops playback.
    playing: bool,
}

fn start_take(app: &mut App, track: usize, step: usize) -> bool {
    let at = (app.ctx.nav.bank, app.ctx.nav.pattern);
    let Some(bank) = app.ctx.doc.bank(at.0) else {
        app.error("this bank is not loaded: nothing to record into");
        return false;
    };
    let (Some(before), Some(seq)) = (
        bank.patterns.get(at.1).cloned(),
        SeqPattern::from_bank(bank, at.0, at.1),
    ) else {
        app.error("no such pattern");
        return false;
    };
    if app.ctx.doc.read_only() {
        app.error("read-only: nothing can be recorded");
        return false;
    }
    let kind = if track < 8 {
        crate::midi::TrackKind::Audio
    } else {
        crate::midi::TrackKind::Midi
    };
    let settings = crate::midi::RecordSettings {
        track,
        kind,
        cursor: step as u16,
        edit_step: app.ctx.edit_step.clamp(1, 64) as u16,
        length: seq.track_timing(track).0,
        capture_micro_timing: true,
        channel: None,
    };
    let input = app.ctx.engines.midi_ports.1.clone();
    let Some(m) = app.ctx.engines.midi_control.as_mut() else {
        app.error(NO_PLAY);
        return false;
    };
    m.set_recording(Some(settings), Some(Arc::new(seq)));
    app.ctx.engines.take = Some(Take {
        bank: at.0,
        pattern: at.1,
        track,
        before: Box::new(before),
        notes: 0,
        playing: false,
    });
    app.info(format!(
        "recording {} from {} (alt+z stops)",
        track_name(track),
        input
            .as_deref()
            .unwrap_or("no input: choose one with alt+y")
    ));
    true
}

/// `app.record_live`: a take into the cursor's track while the pattern plays from its
/// start after the count-in (clicks on the metronome channel, or only shown).
fn start_live_take(app: &mut App, track: usize) {
    let Some(ready) = app
        .ctx
        .engines
        .midi_control
        .as_ref()
        .map(|m| midi_ready(m.as_ref()))
    else {
        app.error(NO_PLAY);
        return;
    };
    let at = (app.ctx.nav.bank, app.ctx.nav.pattern);
    let Some(p) = app
        .ctx
        .doc
        .bank(at.0)
        .and_then(|b| SeqPattern::from_bank(b, at.0, at.1))
        .map(Arc::new)
    else {
        app.error("no such pattern");
        return;
    };
    if !start_take(app, track, 0) {
        return;
    }
    let bars = app.ctx.engines.count_in_bars.unwrap_or(1);
    let count_in = crate::midi::CountIn {
        beats: u32::from(bars) * 4,
        channel: app.ctx.engines.metronome_channel.filter(|_| ready),
        note: METRONOME_NOTE,
        restart_file_input: true,
    };
    // Without an output the take still runs on the engine's clock; the count-in is shown.
    let clicks = match count_in.channel {
        Some(c) => format!("clicks on channel {}", c + 1),
        None if !ready => "no MIDI output: shown only".into(),
        None => "no metronome channel: shown only".into(),
    };
    let msg = app.message.clone().map(|m| m.0).unwrap_or_default();
    if let Some(m) = app.ctx.engines.midi_control.as_mut() {
        m.play_count_in(from_step(p, 0), count_in);
    }
    if let Some(t) = app.ctx.engines.take.as_mut() {
        t.playing = true;
    }
    app.info(format!("count-in {bars} bar(s) ({clicks}), then {msg}"));
}

/// The note of the count-in clicks (E5, a high click on most drum maps and synths).
pub const METRONOME_NOTE: u8 = 76;

fn stop_take(app: &mut App) {
    stop_take_because(app, None);
}

/// Ends the take (one undo step); `why` names what ended it when it was not the user.
fn stop_take_because(app: &mut App, why: Option<String>) {
    // The notes still on their way are written into the take first.
    apply_recorded(app);
    let Some(take) = app.ctx.engines.take.take() else {
        return;
    };
    if let Some(m) = app.ctx.engines.midi_control.as_mut() {
        m.set_recording(None, None);
        if take.playing {
            m.stop();
        }
    }
    let after = app
        .ctx
        .doc
        .bank(take.bank)
        .and_then(|b| b.patterns.get(take.pattern).cloned());
    if let Some(after) = after
        && after != *take.before
    {
        app.ctx.doc.record(crate::edit::snap::Snap::Pattern {
            bank: take.bank,
            pattern: take.pattern,
            before: take.before,
            after: Box::new(after),
        });
        app.ctx.doc.commit("record");
    }
    let ended = format!(
        "take ended: {} note(s) into {} (one undo step)",
        take.notes,
        track_name(take.track)
    );
    match why {
        Some(w) => app.error(format!("{w}: {ended}, kept")),
        None => app.info(ended),
    }
}

/// Writes the notes recorded since the last pass into the take's pattern.
fn apply_recorded(app: &mut App) {
    let Some(m) = app.ctx.engines.midi_control.as_mut() else {
        return;
    };
    let notes = m.recorded();
    let Some(take) = app.ctx.engines.take.as_mut() else {
        return;
    };
    if notes.is_empty() {
        return;
    }
    take.notes += notes.len();
    let (bank, pattern) = (take.bank, take.pattern);
    let result = app
        .ctx
        .doc
        .bank_mut(bank)
        .and_then(|b| b.patterns.get_mut(pattern))
        .map(|p| crate::midi::record::write_take(p, &notes));
    if let Some(Err(e)) = result {
        app.error(format!("recording: {e}"));
    }
}

/// Takes what the step under the cursor plays (nothing when edit audition is off, there is
/// no MIDI engine or the view has no cursor).
pub fn before(app: &App) -> Option<Before> {
    if app.ctx.engines.edit_audition_off {
        return None;
    }
    let m = app.ctx.engines.midi_control.as_ref()?;
    if !midi_ready(m.as_ref()) {
        return None;
    }
    let (track, step) = cursor(app)?;
    let at = (app.ctx.nav.bank, app.ctx.nav.pattern);
    Some(Before {
        bank: at.0,
        pattern: at.1,
        track,
        step,
        plays: step_of(app, at, track, step),
        auditions: m.auditions(),
    })
}

/// Auditions the step taken by [`before`] when the action changed what it plays and did not
/// audition by itself.
pub fn after(app: &mut App, before: Option<Before>) {
    let Some(b) = before else {
        return;
    };
    let now = step_of(app, (b.bank, b.pattern), b.track, b.step);
    if now == b.plays || !now.is_some_and(|s| s.trig || s.trigless) {
        return;
    }
    let Some(bank) = app.ctx.doc.bank(b.bank) else {
        return;
    };
    if let Some(m) = app.ctx.engines.midi_control.as_mut()
        && m.auditions() == b.auditions
    {
        m.audition_step(bank, (b.bank, b.pattern), b.track, b.step);
    }
}

/// Each event-loop pass: the engine gets the project's MIDI settings and tempo when they
/// changed, and its notices go to the status line. Never blocks.
pub fn tick(app: &mut App) {
    let Some(m) = app.ctx.engines.midi_control.as_mut() else {
        return;
    };
    m.sync_project(app.ctx.doc.project.project_file());
    let at = (app.ctx.nav.bank, app.ctx.nav.pattern);
    if let Some(bank) = app.ctx.doc.bank(at.0) {
        m.follow_edits(bank, at);
    }
    let lost = m.input_lost();
    if let Some(n) = m.notices().pop() {
        app.error(n);
    }
    apply_recorded(app);
    if let Some(name) = lost
        && app.ctx.engines.take.is_some()
    {
        stop_take_because(
            app,
            Some(format!("MIDI input {name} vanished while recording")),
        );
    }
}

/// Applies the config's MIDI settings to the engines (count-in bars, metronome channel,
/// sending linked patches).
pub fn configure(e: &mut super::engines::Engines, config: &crate::config::Config) {
    e.count_in_bars = config.count_in_bars;
    e.metronome_channel = config
        .metronome_channel
        .filter(|c| (1..=16).contains(c))
        .map(|c| c - 1);
    e.patch_links.send = config.send_linked_patch == Some(true);
}

/// Links a librarian patch to MIDI track `track` (0..8) of part `part` of bank `bank`: it
/// is sent to its synth when that track is auditioned and sending is on.
pub fn link_patch(
    e: &mut super::engines::Engines,
    (bank, part, track): (usize, usize, usize),
    link: super::engines::PatchLink,
) {
    e.patch_links.links.insert((bank, part, track), link);
    if let Some(m) = e.midi_control.as_mut() {
        m.set_patch_links(&e.patch_links);
    }
}

/// A click on a track header of the grid: mutes (`solo`: solos) that track; true when the
/// click was on a header. `x`, `y` are the terminal's cell.
pub fn header_click(app: &mut App, x: u16, y: u16, solo: bool) -> bool {
    let b = app.body;
    if app.overlay != super::app::Overlay::None
        || x < b.x
        || y < b.y
        || x >= b.right()
        || y >= b.bottom()
    {
        return false;
    }
    let Some(track) = app
        .views
        .get(app.current)
        .and_then(|v| v.header_track(x - b.x, y - b.y))
    else {
        return false;
    };
    let Some(m) = app.ctx.engines.midi_control.as_mut() else {
        app.error(NO_PLAY);
        return true;
    };
    let msg = toggle_mute(m.as_mut(), track, solo);
    app.info(msg);
    true
}

/// Mutes or solos a track, or undoes it; what the status line says.
fn toggle_mute(m: &mut dyn super::engines::MidiControl, track: usize, solo: bool) -> String {
    let (mute, solos) = m.mutes();
    if solo {
        let on = solos & (1 << track) == 0;
        m.set_solo(track, on);
        format!(
            "{} {}",
            track_name(track),
            if on { "soloed" } else { "unsoloed" }
        )
    } else {
        let on = mute & (1 << track) == 0;
        m.set_mute(track, on);
        format!(
            "{} {}",
            track_name(track),
            if on { "muted" } else { "unmuted" }
        )
    }
}

fn track_name(t: usize) -> String {
    track_set(1 << t)
}

/// Runs one of [`ACTIONS`] by name (names that are none of them do nothing).
pub fn action(app: &mut App, name: &str) {
    if let Some(cmd) = AuditionCmd::from_name(name) {
        command(app, cmd);
    }
}

/// Runs an [`AuditionCmd`].
pub fn command(app: &mut App, cmd: AuditionCmd) {
    let track = cursor(app).map_or(0, |c| c.0);
    let step = cursor(app).map_or(0, |c| c.1);
    let at = (app.ctx.nav.bank, app.ctx.nav.pattern);
    if cmd == AuditionCmd::PlayChain {
        app.overlay = super::app::Overlay::Prompt {
            title: "Play: pattern numbers of this bank (1 2 5) or an arrangement (arr 1)".into(),
            tag: CHAIN_TAG,
            text: app.ctx.engines.queued_chain.clone().unwrap_or_default(),
        };
        return;
    }
    if cmd == AuditionCmd::MidiPorts {
        port_prompt(app, OUT_TAG);
        return;
    }
    if cmd == AuditionCmd::RecordLive {
        if app.ctx.engines.take.is_some() {
            stop_take(app);
        } else {
            start_live_take(app, track);
        }
        return;
    }
    if cmd == AuditionCmd::SendLinked {
        let e = &mut app.ctx.engines;
        e.patch_links.send = !e.patch_links.send;
        let on = e.patch_links.send;
        let n = e.patch_links.links.len();
        if let Some(m) = e.midi_control.as_mut() {
            m.set_patch_links(&e.patch_links);
        }
        app.info(if on {
            format!("linked patches are sent when their track is auditioned ({n} linked)")
        } else {
            "linked patches are not sent".to_string()
        });
        return;
    }
    if cmd == AuditionCmd::Record {
        if app.ctx.engines.take.is_some() {
            stop_take(app);
        } else {
            start_take(app, track, step);
        }
        return;
    }
    if cmd == AuditionCmd::AuditionToggle {
        let e = &mut app.ctx.engines;
        e.edit_audition_off = !e.edit_audition_off;
        let on = !e.edit_audition_off;
        app.info(if on {
            "edit audition on"
        } else {
            "edit audition off"
        });
        return;
    }
    let Some(m) = app.ctx.engines.midi_control.as_mut() else {
        app.error(NO_PLAY);
        return;
    };
    let msg = match cmd {
        AuditionCmd::Mute => toggle_mute(m.as_mut(), track, false),
        AuditionCmd::Solo => toggle_mute(m.as_mut(), track, true),
        AuditionCmd::UnmuteAll => {
            for t in 0..16 {
                m.set_mute(t, false);
                m.set_solo(t, false);
            }
            "every track unmuted".to_string()
        }
        AuditionCmd::PlayStep | AuditionCmd::PlayRow | AuditionCmd::PlayFromCursor => {
            if !midi_ready(m.as_ref()) {
                app.error(NO_PLAY);
                return;
            }
            let Some(bank) = app.ctx.doc.bank(at.0) else {
                app.error("this bank is not loaded: nothing to play");
                return;
            };
            match cmd {
                AuditionCmd::PlayStep => {
                    m.audition_step(bank, at, track, step);
                    format!("played {} step {}", track_name(track), step + 1)
                }
                AuditionCmd::PlayRow => {
                    m.audition_row(bank, at, step);
                    format!("played row {}", step + 1)
                }
                AuditionCmd::PlayFromCursor => {
                    let Some(p) = SeqPattern::from_bank(bank, at.0, at.1).map(Arc::new) else {
                        app.error("no such pattern");
                        return;
                    };
                    let items = from_step(p, step as u16);
                    m.play_items(items);
                    format!("playing from step {}", step + 1)
                }
                _ => return,
            }
        }
        // Handled above (they need no MIDI output or answer themselves).
        AuditionCmd::PlayChain
        | AuditionCmd::MidiPorts
        | AuditionCmd::RecordLive
        | AuditionCmd::SendLinked
        | AuditionCmd::Record
        | AuditionCmd::AuditionToggle => return,
    };
    app.info(msg);
}

/// Play items for a pattern started at `step`: the rest of one pass, then the whole
/// pattern looped.
pub fn from_step(pattern: Arc<SeqPattern>, step: u16) -> Vec<PlayItem> {
    let mut items = Vec::new();
    if step > 0 {
        items.push(PlayItem {
            pattern: Arc::clone(&pattern),
            passes: Some(1),
            tempo: None,
            row: RowOptions {
                offset: step,
                ..RowOptions::default()
            },
        });
    }
    items.push(PlayItem {
        pattern,
        passes: None,
        tempo: None,
        row: RowOptions::default(),
    });
    items
}
