//! Local playback in the tracker: the project's audio tracks played on the computer by the
//! real-time sample engine (`engine::live`), beside or instead of the device over MIDI.
//!
//! `app.output_cycle` cycles the playback output: the device over MIDI (the default),
//! the local engine, or both. With the local engine chosen, play / stop, play from the
//! cursor, mute, solo, unmute all, and playing a step or a row go to it (with both, to the
//! device as well). Edits are sent as a new snapshot each event-loop pass and heard from
//! the next pass of the pattern. Samples are decoded on a worker thread before they play.
//! Without a sound card the engine is in render-only mode: the status line says so and
//! `octa render` renders the pattern to a file; nothing fails.

use super::action::{ActionDef, act};
use super::app::App;
use crate::engine::live::{LiveControl, Song, live_pair};
use crate::engine::load::{Loaded, load_planned_reusing, plan_loads};
use crate::seq::model::{DeviceSetup, SeqPattern, SeqStep};
use crate::seq::timeline::{PlayItem, RowOptions, step_ticks, tick_secs};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

/// The actions of local playback (global).
pub const ACTIONS: &[ActionDef] = &[
    act(
        "app.output_cycle",
        "Cycle the playback output: device over MIDI, local engine, both (status line says which)",
        &["ctrl+alt+d"],
    ),
    act(
        "app.xfader_a",
        "Local engine: move the crossfader towards scene A (by 16)",
        &["ctrl+alt+n"],
    ),
    act(
        "app.xfader_b",
        "Local engine: move the crossfader towards scene B (by 16)",
        &["ctrl+alt+m"],
    ),
];

/// Where play, stop, mute and solo go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Output {
    /// The Octatrack over MIDI.
    #[default]
    Device,
    /// The local sample engine.
    Local,
    /// Both at once.
    Both,
}

impl Output {
    fn next(self) -> Self {
        match self {
            Self::Device => Self::Local,
            Self::Local => Self::Both,
            Self::Both => Self::Device,
        }
    }

    /// The name the status line shows.
    pub fn name(self) -> &'static str {
        match self {
            Self::Device => "device (MIDI)",
            Self::Local => "local engine",
            Self::Both => "device (MIDI) + local engine",
        }
    }

    fn local(self) -> bool {
        self != Self::Device
    }
}

/// The tracker's local-playback state.
#[derive(Default)]
pub struct LocalPlay {
    /// The chosen output.
    pub output: Output,
    control: Option<LiveControl>,
    /// Why there is no engine (render-only mode), once known.
    render_only: Option<String>,
    loading: Option<Receiver<Loaded>>,
    /// The (bank, pattern) and snapshot playing, to send edits.
    playing: Option<((usize, usize), SeqPattern)>,
    /// Slots whose samples were sent (to load newly used ones).
    loaded: std::collections::BTreeSet<(bool, u8)>,
    /// Time-stretched copies sent (a new tempo loads again: `engine::stretch`).
    stretched: crate::engine::stretch::Needs,
    /// The last set of samples decoded: a later load (a tempo change, a new slot) reuses
    /// its audio and stretched copies instead of reading the files again.
    last: Arc<Loaded>,
    mute: u8,
    solo: u8,
    xfader: Option<u8>,
    /// Set while an action is passed on to the MIDI handling (output "both").
    bypass: bool,
    /// HOLD tracks whose trigger is held (a terminal reports no key release: the key
    /// toggles), bit per track.
    held: u16,
}

impl std::fmt::Debug for LocalPlay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalPlay")
            .field("output", &self.output)
            .field("render_only", &self.render_only)
            .finish_non_exhaustive()
    }
}

impl LocalPlay {
    /// A short status: `output: local engine (render-only: no sound card: ...)`.
    pub fn status(&self) -> String {
        let mut s = format!("output: {}", self.output.name());
        if self.output.local() {
            match &self.render_only {
                Some(why) => s.push_str(&format!(
                    " (render-only: {why}; `octa render` writes the pattern to a WAV)"
                )),
                None if self.playing.is_some() => s.push_str(" (playing)"),
                None => {}
            }
        }
        s
    }

    /// Whether the local engine plays.
    pub fn is_playing(&self) -> bool {
        self.playing.is_some() && self.control.as_ref().is_some_and(|c| c.status().playing())
    }

    /// The step of every track while the local engine plays the pattern at `at` (bank,
    /// pattern), read lock-free from what the audio callback publishes
    /// ([`crate::engine::live::LiveStatus::playhead`]); `None` otherwise.
    pub fn playhead(&self, at: (usize, usize)) -> Option<[u16; 16]> {
        let (playing, _) = self.playing.as_ref()?;
        if *playing != at {
            return None;
        }
        self.control.as_ref()?.status().playhead().map(|(_, s)| s)
    }
}

/// Whether `name` goes to the local engine now.
pub fn handles(app: &App, name: &str) -> bool {
    let l = &app.ctx.local;
    if name.starts_with("app.output_cycle") || name.starts_with("app.xfader_") {
        return true;
    }
    !l.bypass
        && l.output.local()
        && matches!(
            name,
            "app.play"
                | "app.play_from_cursor"
                | "app.mute"
                | "app.solo"
                | "app.unmute_all"
                | "app.play_step"
                | "app.play_row"
        )
}

/// The cursor of the current view as (track, step).
fn cursor(app: &App) -> Option<(usize, usize)> {
    app.views.get(app.current)?.cursor_step(&app.ctx)
}

/// Makes sure there is an engine in the output callback; the reason when there is none.
fn ensure_engine(app: &mut App) -> Result<(), String> {
    if app.ctx.local.control.as_ref().is_some_and(|c| !c.is_gone()) {
        return Ok(());
    }
    app.ctx.local.control = None;
    app.ctx.local.loaded.clear();
    app.ctx.local.stretched.clear();
    let Some(audio) = &app.ctx.engines.audio_engine else {
        let why = "no audio output in this session".to_string();
        app.ctx.local.render_only = Some(why.clone());
        return Err(why);
    };
    let (engine, control) = live_pair();
    match audio.attach_live(Box::new(engine)) {
        Ok(()) => {
            app.ctx.local.render_only = None;
            app.ctx.local.control = Some(control);
            Ok(())
        }
        Err(e) => {
            let why = match e {
                crate::audio::AudioError::Unavailable(r) => format!("no sound card: {r}"),
                other => other.to_string(),
            };
            app.ctx.local.render_only = Some(why.clone());
            Err(why)
        }
    }
}

fn current_pattern(app: &App) -> Option<((usize, usize), SeqPattern)> {
    let at = (app.ctx.nav.bank, app.ctx.nav.pattern);
    let bank = app.ctx.doc.bank(at.0)?;
    SeqPattern::from_bank(bank, at.0, at.1).map(|p| (at, p))
}

fn looped(p: SeqPattern) -> Vec<PlayItem> {
    vec![PlayItem {
        pattern: Arc::new(p),
        passes: None,
        tempo: None,
        row: RowOptions::default(),
    }]
}

fn setup(app: &App) -> DeviceSetup {
    DeviceSetup::from_project(app.ctx.doc.project.project_file())
}

/// Starts decoding the samples the items (and the playing pattern) use when some were not
/// sent yet (on a worker; the engine then gets the whole set at once).
fn load_for(app: &mut App, items: &[PlayItem]) {
    let mut all: Vec<PlayItem> = items.to_vec();
    if let Some((_, p)) = &app.ctx.local.playing {
        all.extend(looped(p.clone()));
    }
    let used = crate::engine::load::used_slots(&all);
    let stretched = crate::engine::load::stretch_plan(&app.ctx.doc.project, &all);
    if (used.is_subset(&app.ctx.local.loaded)
        && crate::engine::stretch::covers(&app.ctx.local.stretched, &stretched))
        || app.ctx.local.loading.is_some()
    {
        return;
    }
    let (loads, missing) = plan_loads(&app.ctx.doc.project, &all);
    app.ctx.local.loaded = used;
    app.ctx.local.stretched = stretched;
    let prev = app.ctx.local.last.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("octa-local-load".into())
        .spawn(move || {
            let loaded = load_planned_reusing(loads, missing, &prev);
            let _ = tx.send(loaded);
            crate::wake::wake();
        });
    if spawned.is_ok() {
        app.ctx.local.loading = Some(rx);
    }
}

fn play(app: &mut App, from_step: Option<usize>) {
    if from_step.is_none() && app.ctx.local.is_playing() {
        if let Some(c) = app.ctx.local.control.as_mut() {
            let _ = c.stop();
        }
        app.ctx.local.playing = None;
        app.info("local engine: stopped");
        return;
    }
    if let Err(why) = ensure_engine(app) {
        app.error(format!(
            "local engine: render-only ({why}); `octa render` writes the pattern to a WAV"
        ));
        return;
    }
    let Some((at, pattern)) = current_pattern(app) else {
        app.error("this bank is not loaded: nothing to play");
        return;
    };
    let setup = setup(app);
    let from = from_step.map_or(0.0, |s| {
        s as f64 * step_ticks(pattern.scale) as f64 * tick_secs(setup.tempo_for(&pattern))
    });
    let items = looped(pattern.clone());
    load_for(app, &items);
    let song = Song::new(items, setup, seed(), false, from);
    let sent = app.ctx.local.control.as_mut().map(|c| c.play(song));
    match sent {
        Some(Ok(())) => {
            // A new walk: no HOLD trigger is held.
            app.ctx.local.held = 0;
            app.ctx.local.playing = Some((at, pattern));
            app.info(match from_step {
                Some(s) => format!("local engine: playing from step {}", s + 1),
                None => "local engine: playing".to_string(),
            });
        }
        Some(Err(e)) => app.error(format!("local engine: {e}")),
        None => {}
    }
}

fn seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// A one-pass pattern holding only the given steps of `p`, moved to step 1.
fn audition_items(p: &SeqPattern, step: usize, track: Option<usize>) -> Vec<PlayItem> {
    let mut a = p.clone();
    for (t, tr) in a.tracks.iter_mut().enumerate() {
        let keep = if track.is_none_or(|x| x == t) {
            tr.steps.get(step).copied().unwrap_or_default()
        } else {
            SeqStep::default()
        };
        for s in tr.steps.iter_mut() {
            *s = SeqStep::default();
        }
        if let Some(first) = tr.steps.first_mut() {
            *first = keep;
        }
    }
    vec![PlayItem {
        pattern: Arc::new(a),
        passes: Some(1),
        tempo: None,
        row: RowOptions::default(),
    }]
}

fn audition(app: &mut App, track: Option<usize>, step: usize) {
    if let Err(why) = ensure_engine(app) {
        app.error(format!("local engine: render-only ({why})"));
        return;
    }
    let Some((_, pattern)) = current_pattern(app) else {
        app.error("this bank is not loaded: nothing to play");
        return;
    };
    let items = audition_items(&pattern, step, track);
    load_for(app, &items);
    let song = Song::new(items, setup(app), seed(), false, 0.0);
    if let Some(Err(e)) = app.ctx.local.control.as_mut().map(|c| c.audition(song)) {
        app.error(format!("local engine: {e}"));
        return;
    }
    app.info(match track {
        Some(t) => format!("local engine: played T{} step {}", t + 1, step + 1),
        None => format!("local engine: played row {}", step + 1),
    });
}

fn send_mix(app: &mut App) {
    let l = &mut app.ctx.local;
    let (m, s, x) = (l.mute, l.solo, l.xfader);
    if let Some(c) = l.control.as_mut() {
        let _ = c.set_mute(m);
        let _ = c.set_solo(s);
        let _ = c.set_crossfader(x);
    }
}

/// A track trigger or a one-shot re-arm (`TrackTrigCmd`): to the local engine when it
/// plays, and to the device's playback over MIDI when the output includes the device and
/// it plays. The walk of each applies it at its next slot (`seq::track_play`).
pub fn track_trig(app: &mut App, cmd: crate::ui::command::TrackTrigCmd) {
    use crate::seq::track_play::CueKind;
    use crate::ui::command::TrackTrigCmd;
    let (track, _) = cursor(app).unwrap_or((0, 0));
    let local = app.ctx.local.output.local() && app.ctx.local.is_playing();
    let device = app.ctx.local.output != Output::Local
        && app
            .ctx
            .engines
            .midi_control
            .as_ref()
            .is_some_and(|m| m.is_playing());
    if !local && !device {
        app.error("nothing plays: a track trigger or re-arm acts on running playback");
        return;
    }
    let (kind, what) = match cmd {
        TrackTrigCmd::ArmOneShots => (CueKind::ArmAll, "one-shot trigs re-armed".to_string()),
        TrackTrigCmd::Trigger => {
            let play = current_pattern(app)
                .and_then(|(_, p)| p.tracks.get(track).map(|t| t.play))
                .unwrap_or_default();
            let bit = 1u16 << track.min(15);
            if !play.plays_free {
                app.info(format!(
                    "T{}: does not play free: a track trigger changes nothing (PATTERN SETTINGS: PLAYS FREE)",
                    track + 1
                ));
                return;
            }
            if play.trig_mode == 2 && app.ctx.local.held & bit != 0 {
                app.ctx.local.held &= !bit;
                (
                    CueKind::Release,
                    format!("T{}: trigger let go (HOLD)", track + 1),
                )
            } else {
                if play.trig_mode == 2 {
                    app.ctx.local.held |= bit;
                }
                let mode = ["ONE", "ONE2", "HOLD"]
                    .get(usize::from(play.trig_mode))
                    .copied()
                    .unwrap_or("ONE");
                (
                    CueKind::Trigger,
                    format!("T{}: triggered ({mode})", track + 1),
                )
            }
        }
    };
    let mut to = Vec::new();
    if local && let Some(c) = app.ctx.local.control.as_mut() {
        match c.cue(kind, track) {
            Ok(()) => to.push("local engine"),
            Err(e) => {
                app.error(format!("local engine: {e}"));
                return;
            }
        }
    }
    if device && let Some(m) = app.ctx.engines.midi_control.as_mut() {
        m.cue(kind, track);
        to.push("device (MIDI)");
    }
    app.info(format!("{what}: {}", to.join(" + ")));
}

/// Runs a local-playback action, then (output "both") the device's.
pub fn action(app: &mut App, name: &'static str) {
    let (track, step) = cursor(app).unwrap_or((0, 0));
    match name {
        "app.output_cycle" => {
            let l = &mut app.ctx.local;
            l.output = l.output.next();
            if l.output.local() {
                let _ = ensure_engine(app);
            } else if let Some(c) = app.ctx.local.control.as_mut() {
                let _ = c.stop();
                app.ctx.local.playing = None;
            }
            let status = app.ctx.local.status();
            if app.ctx.local.render_only.is_some() && app.ctx.local.output.local() {
                app.error(status);
            } else {
                app.info(status);
            }
            return;
        }
        "app.xfader_a" | "app.xfader_b" => {
            let x = app.ctx.local.xfader.unwrap_or(0);
            let x = if name == "app.xfader_a" {
                x.saturating_sub(16)
            } else {
                x.saturating_add(16).min(127)
            };
            app.ctx.local.xfader = Some(x);
            send_mix(app);
            app.info(format!(
                "local engine: crossfader {x} (0 = scene A, 127 = B)"
            ));
            return;
        }
        "app.play" => play(app, None),
        "app.play_from_cursor" => play(app, Some(step)),
        "app.play_step" if track < 8 => audition(app, Some(track), step),
        "app.play_row" => audition(app, None, step),
        "app.mute" | "app.solo" | "app.unmute_all" if track < 8 || name == "app.unmute_all" => {
            let l = &mut app.ctx.local;
            match name {
                "app.mute" => l.mute ^= 1 << track,
                "app.solo" => l.solo ^= 1 << track,
                _ => {
                    l.mute = 0;
                    l.solo = 0;
                }
            }
            let msg = format!(
                "local engine: muted [{}] solo [{}]",
                super::engines::track_set(u32::from(l.mute)),
                super::engines::track_set(u32::from(l.solo))
            );
            send_mix(app);
            app.info(msg);
        }
        _ => app.info("local engine: plays the audio tracks T1-T8 only"),
    }
    if app.ctx.local.output == Output::Both {
        let keep = app.message.clone();
        app.ctx.local.bypass = true;
        app.action(name);
        app.ctx.local.bypass = false;
        if let (Some((local, _)), Some((device, err))) = (keep, app.message.clone()) {
            app.message = Some((format!("{local}; {device}"), err));
        }
    }
}

/// Each event-loop pass: frees what the engine let go of, hands decoded samples to it, and
/// sends the playing pattern again when it was edited (heard from its next pass).
/// Never blocks.
pub fn tick(app: &mut App) {
    if let Some(rx) = &app.ctx.local.loading {
        match rx.try_recv() {
            Ok(loaded) => {
                app.ctx.local.loading = None;
                let mut note = loaded.missing.clone();
                note.extend(loaded.warnings.iter().cloned());
                if let Some(c) = app.ctx.local.control.as_mut() {
                    let _ = c.set_samples(loaded.samples.clone());
                }
                app.ctx.local.last = Arc::new(Loaded {
                    missing: Vec::new(),
                    warnings: Vec::new(),
                    ..loaded
                });
                if !note.is_empty() {
                    app.error(format!("local engine: silent: {}", note.join("; ")));
                }
            }
            Err(TryRecvError::Disconnected) => app.ctx.local.loading = None,
            Err(TryRecvError::Empty) => {}
        }
    }
    let Some(c) = app.ctx.local.control.as_mut() else {
        return;
    };
    c.collect();
    let Some((at, sent)) = &app.ctx.local.playing else {
        return;
    };
    let at = *at;
    let now = app
        .ctx
        .doc
        .bank(at.0)
        .and_then(|b| SeqPattern::from_bank(b, at.0, at.1));
    let Some(now) = now else {
        return;
    };
    if &now == sent {
        return;
    }
    let items = looped(now.clone());
    load_for(app, &items);
    let song = Song::new(items, setup(app), seed(), false, 0.0);
    if let Some(c) = app.ctx.local.control.as_mut()
        && c.swap(song).is_ok()
    {
        app.ctx.local.playing = Some((at, now));
    }
}
