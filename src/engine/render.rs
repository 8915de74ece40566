//! The offline renderer: plays the sequencer's step events on the audio tracks into
//! per-track buffers and the main mix, faster than real time.

use super::SAMPLE_RATE;
use super::fx::{self, FxBlock};
use super::laws;
use super::lfo::{LfoTrig, TrackLfo};
use super::sample::{SampleRegion, Samples, SlotSound};
use super::voice::{Envelope, LoopKind, Voice, VoiceSpec};
use crate::format::MachineType;
use crate::format::params::fx_name;
use crate::format::slot_attrs::LoopMode;
use crate::seq::conditions::ConditionEngine;
use crate::seq::model::{AudioPart, DeviceSetup, NO_LOCK, SeqPart};
use crate::seq::timeline::{PlayItem, StepEvent, Timeline};
use crate::seq::track_play::Cue;

/// Audio tracks the engine plays.
pub const AUDIO_TRACKS: usize = 8;
/// The track that is the master track when the project says so (T8).
pub const MASTER: usize = 7;
/// Longest render of items that repeat forever (seconds).
pub const ENDLESS_CAP_SECS: f64 = 600.0;

/// What to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Seed of the probability conditions (same seed, same render).
    pub seed: u64,
    /// The FILL flag.
    pub fill: bool,
    /// Audio tracks played (bit per track 0..8); others are silent.
    pub tracks: u8,
    /// Crossfader position 0 (scene A) ..= 127 (scene B); `None` leaves scenes out.
    pub crossfader: Option<u8>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            seed: 0,
            fill: false,
            tracks: 0xFF,
            crossfader: None,
        }
    }
}

/// A sample start the engine plays: a trig, one of its repeats or one of its RTRG retrigs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Onset {
    /// Audio track 0..8.
    pub track: usize,
    /// Seconds from the start.
    pub at: f64,
    /// Output frame (`round(at * 44100)`).
    pub frame: usize,
}

/// The result of a render.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Main mix, stereo frames at 44.1 kHz.
    pub main: Vec<[f32; 2]>,
    /// Each audio track after its FX and level (what the main mix sums).
    pub stems: Vec<Vec<[f32; 2]>>,
    /// Every sample start, in time order.
    pub onsets: Vec<Onset>,
    /// Things met that the engine does not render (`T3: FX2 DELAY not rendered`), once each.
    pub not_rendered: Vec<String>,
}

/// The step events of play items, in time order, and the end of playback in seconds
/// (items without a pass count are cut at [`ENDLESS_CAP_SECS`]).
pub fn plan(
    items: Vec<PlayItem>,
    setup: DeviceSetup,
    seed: u64,
    fill: bool,
) -> (Vec<StepEvent>, Vec<PlayItem>, f64) {
    plan_with_cues(items, setup, seed, fill, &[])
}

/// [`plan`] with track triggers and re-arms at given times ([`Cue`]), applied by the
/// sequencer walk as MIDI playback and the live engine apply them.
pub fn plan_with_cues(
    items: Vec<PlayItem>,
    setup: DeviceSetup,
    seed: u64,
    fill: bool,
    cues: &[Cue],
) -> (Vec<StepEvent>, Vec<PlayItem>, f64) {
    let endless = items.iter().any(|i| i.passes.is_none());
    let until = if endless {
        ENDLESS_CAP_SECS
    } else {
        f64::INFINITY
    };
    let mut timeline = Timeline::new(items, setup).with_cues(cues);
    let mut conditions = ConditionEngine::new(seed);
    conditions.fill = fill;
    let events = timeline.collect(until, &mut conditions);
    let end = timeline.end_secs().unwrap_or(ENDLESS_CAP_SECS);
    let items = timeline.items().to_vec();
    let events = events.into_iter().filter(|e| e.at < end).collect();
    (events, items, end)
}

/// The crossfader applied to a track's values: each parameter locked in scene A or B
/// moves linearly from its scene A value (or its own value when A does not lock it) at 0
/// to its scene B value at 127. Returns the XLV (scene slot 17) level factor.
pub fn apply_scenes(v: &mut [u8; 30], part: &SeqPart, track: usize, fader: u8) -> f32 {
    let x = f64::from(fader.min(127)) / 127.0;
    let scene = |i: u8| part.scenes.get(usize::from(i)).map(|s| s[track]);
    let (Some(a), Some(b)) = (scene(part.scene_ab[0]), scene(part.scene_ab[1])) else {
        return 1.0;
    };
    let mix = |own: u8, la: u8, lb: u8| {
        let va = if la != NO_LOCK {
            f64::from(la)
        } else {
            f64::from(own)
        };
        let vb = if lb != NO_LOCK {
            f64::from(lb)
        } else {
            f64::from(own)
        };
        (va + (vb - va) * x).round().clamp(0.0, 127.0) as u8
    };
    for i in 0..30 {
        if i == 17 || (a[i] == NO_LOCK && b[i] == NO_LOCK) {
            continue;
        }
        v[i] = mix(v[i], a[i], b[i]);
    }
    if a[17] == NO_LOCK && b[17] == NO_LOCK {
        1.0
    } else {
        f32::from(mix(127, a[17], b[17])) / 127.0
    }
}

/// The part values of a trig: the part's, overridden by the step's locks.
fn locked_values(part: &AudioPart, locks: &[u8; 32]) -> [u8; 30] {
    let mut v = part.values;
    for (slot, &l) in v.iter_mut().zip(locks.iter()) {
        if l != NO_LOCK {
            *slot = l;
        }
    }
    v
}

/// A sample start or a trigless value change on one track.
#[derive(Clone)]
pub(crate) struct Trigger {
    pub(crate) frame: usize,
    pub(crate) spec: Option<VoiceSpec>,
    pub(crate) fx: [(u8, [u8; 6]); 2],
    pub(crate) step_secs: f64,
    pub(crate) trigless: bool,
    pub(crate) lfo: LfoTrig,
}

pub(crate) fn frames_of(secs: f64) -> usize {
    (secs.max(0.0) * f64::from(SAMPLE_RATE)).round() as usize
}

fn loop_kind(setup_loop: u8, slot: LoopMode) -> LoopKind {
    let from_slot = |m: LoopMode| match m {
        LoopMode::Normal => LoopKind::Forward,
        LoopMode::PingPong => LoopKind::PingPong,
        _ => LoopKind::Off,
    };
    match setup_loop {
        0 => LoopKind::Off,
        1 => LoopKind::Forward,
        2 => LoopKind::PingPong,
        _ => from_slot(slot),
    }
}

/// The voice a trig starts (None: nothing to play: no sample, RATE 0, another machine).
fn voice_spec(
    part: &AudioPart,
    v: &[u8; 30],
    sound: &SlotSound,
    step_secs: f64,
    tempo: f64,
) -> Option<VoiceSpec> {
    // TSTR/TSNS: the stretched copy for this tempo when the track stretches.
    let (sample, trim, slices) = super::stretch::pick(sound, part.setup[4], part.setup[5], tempo);
    let slic = part.setup[1] == 1 && !slices.is_empty();
    let region = if slic {
        let i = laws::slice_index(v[1], slices.len());
        slices[i]
    } else {
        let t = trim;
        let len = t.end.saturating_sub(t.start);
        let start = t.start + (laws::start_fraction(v[1]) * len as f64) as usize;
        SampleRegion {
            start,
            end: t.end,
            loop_start: t.loop_start.filter(|l| *l >= start),
        }
    };
    let pitch = 2f64.powf(laws::pitch_semitones(v[0]) / 12.0);
    // RATE mode TSTR (setup 1) makes RATE a time-stretch control, which is not rendered.
    let speed = if part.setup[3] == 1 {
        pitch
    } else {
        pitch * laws::rate_factor(v[3])
    };
    if speed == 0.0 {
        return None;
    }
    let (bl, br) = laws::balance_gains(v[16]);
    let g = laws::volume_gain(v[15]) * sound.gain * laws::level_gain(part.levels[0]);
    let env = Envelope {
        attack: frames_of(laws::env_secs(v[12])),
        hold: (!laws::hold_is_infinite(v[13])).then(|| frames_of(laws::env_secs(v[13]))),
        release: (!laws::release_is_infinite(v[14])).then(|| frames_of(laws::env_secs(v[14]))),
    };
    let gate =
        (part.setup[2] == 1 && !slic).then(|| frames_of(laws::len_time_steps(v[2]) * step_secs));
    Some(VoiceSpec {
        sample: sample.clone(),
        region,
        speed,
        looping: loop_kind(part.setup[0], sound.loop_mode),
        gain: [g * bl, g * br],
        env,
        gate,
    })
}

fn note(list: &mut Vec<String>, s: String) {
    if !list.contains(&s) {
        list.push(s);
    }
}

/// The tempo a step event plays at (BPM), from its step length and its track's scale.
fn trig_tempo(ev: &StepEvent, item: &PlayItem) -> f64 {
    let st = crate::seq::timeline::step_ticks(item.pattern.track_timing(ev.track).1) as f64;
    if ev.step_secs > 0.0 {
        60.0 * st / (24.0 * ev.step_secs)
    } else {
        0.0
    }
}

/// The sample starts and value changes one step event gives its track, in time order
/// of their seconds (`emit(at, trigger)`, the trigger's `frame` left 0): a trigless trig
/// gives one value change; a trig gives each repeat and each RTRG retrig (retrigs stop at
/// the next repeat and at `end`). Things met that are not rendered are noted in `notes`
/// (the live engine passes `None`: nothing here allocates then).
pub(crate) fn event_triggers(
    ev: &StepEvent,
    items: &[PlayItem],
    samples: &Samples,
    crossfader: Option<u8>,
    end: f64,
    mut notes: Option<&mut Vec<String>>,
    emit: &mut dyn FnMut(f64, Trigger),
) {
    let t = ev.track;
    if t >= AUDIO_TRACKS || !(ev.data.trig || ev.data.trigless) {
        return;
    }
    let Some(item) = items.get(ev.item) else {
        return;
    };
    let part = &item.pattern.part.audio[t];
    let mut v = locked_values(part, &ev.data.locks);
    let xlv = crossfader.map_or(1.0, |x| apply_scenes(&mut v, &item.pattern.part, t, x));
    let sound = match part.machine {
        MachineType::Flex | MachineType::Static => {
            let lock = ev.data.locks[31];
            let (pool, slot) = match part.machine {
                MachineType::Flex => (
                    &samples.flex,
                    if lock != NO_LOCK {
                        lock
                    } else {
                        part.flex_slot
                    },
                ),
                _ => (
                    &samples.statics,
                    if lock != NO_LOCK {
                        lock
                    } else {
                        part.static_slot
                    },
                ),
            };
            pool.get(&slot)
        }
        MachineType::Thru | MachineType::Pickup => {
            if let Some(list) = notes.as_deref_mut() {
                let m = if part.machine == MachineType::Thru {
                    "THRU"
                } else {
                    "PICKUP"
                };
                note(
                    list,
                    format!("T{}: {m} has no live input here, silent", t + 1),
                );
            }
            None
        }
        MachineType::Neighbor => None,
        MachineType::Unknown(_) => None,
    };
    if let Some(list) = notes {
        for (i, code) in [part.fx1, part.fx2].into_iter().enumerate() {
            if !fx::is_rendered(code) {
                note(
                    list,
                    format!(
                        "T{}: FX{} {} not rendered (passes through)",
                        t + 1,
                        i + 1,
                        fx_name(code)
                    ),
                );
            }
        }
        for k in 0..3 {
            let target = part.lfo.target[k];
            if v[9 + k] > 0 && matches!(target, 4 | 5 | 17) {
                note(
                    list,
                    format!(
                        "T{}: LFO{} to {} not rendered",
                        t + 1,
                        k + 1,
                        crate::format::lfo::lfo_target_name(
                            target,
                            part.machine,
                            part.fx1,
                            part.fx2
                        )
                    ),
                );
            }
        }
        if part.setup[3] == 1 {
            note(
                list,
                format!("T{}: RATE as time-stretch not rendered (pitch only)", t + 1),
            );
        }
    }
    let fxv = |o: usize| {
        let mut a = [0u8; 6];
        a.copy_from_slice(&v[o..o + 6]);
        a
    };
    let fx = [(part.fx1, fxv(18)), (part.fx2, fxv(24))];
    let spec = sound
        .and_then(|s| voice_spec(part, &v, s, ev.step_secs, trig_tempo(ev, item)))
        .map(|mut s| {
            s.gain = [s.gain[0] * xlv, s.gain[1] * xlv];
            s
        });
    let designs = std::array::from_fn(|k| item.pattern.part.audio[k].lfo_design);
    let gain_rest = sound.map_or(1.0, |s| s.gain) * laws::level_gain(part.levels[0]) * xlv;
    let mut lfo = LfoTrig::new(
        &part.lfo,
        &designs,
        v,
        gain_rest,
        part.setup[3] != 1,
        matches!(
            part.machine,
            MachineType::Flex | MachineType::Static | MachineType::Pickup
        ),
        [part.fx1, part.fx2],
        ev.step_secs,
    );
    if let Some(snd) = sound
        && (part.setup[1] != 1 || snd.slices.is_empty())
    {
        lfo.trim = Some(snd.trim);
    }
    let plays = laws::retrig_plays(v[4]);
    let retrig = laws::retrig_steps(v[5]) * ev.step_secs;
    if !ev.data.trig {
        // A trigless trig: its values reach the playing voice and the FX, nothing restarts.
        emit(
            ev.at,
            Trigger {
                frame: 0,
                spec,
                fx,
                step_secs: ev.step_secs,
                trigless: true,
                lfo,
            },
        );
        return;
    }
    for k in 0..ev.repeats() {
        let onset = ev.onset(k);
        let next = if k + 1 < ev.repeats() {
            ev.onset(k + 1)
        } else {
            f64::INFINITY
        };
        for r in 0..plays {
            let at = onset + r as f64 * retrig;
            if r > 0 && (at >= next || at >= end) {
                break;
            }
            emit(
                at,
                Trigger {
                    frame: 0,
                    spec: spec.clone(),
                    fx,
                    step_secs: ev.step_secs,
                    trigless: false,
                    lfo,
                },
            );
        }
    }
}

/// Renders play items on the audio tracks with the given samples.
pub fn render(
    items: Vec<PlayItem>,
    setup: DeviceSetup,
    samples: &Samples,
    opts: RenderOptions,
) -> Rendered {
    render_with_progress(items, setup, samples, opts, &mut |_| {})
}

/// [`render`], calling `progress` with the number of tracks done (0..=8).
pub fn render_with_progress(
    items: Vec<PlayItem>,
    setup: DeviceSetup,
    samples: &Samples,
    opts: RenderOptions,
    progress: &mut dyn FnMut(usize),
) -> Rendered {
    render_cued(items, setup, samples, opts, &[], progress)
}

/// [`render_with_progress`] of a performance: track triggers and re-arms at given times
/// ([`Cue`]; at most [`crate::seq::timeline::CUES`] are kept).
pub fn render_cued(
    items: Vec<PlayItem>,
    setup: DeviceSetup,
    samples: &Samples,
    opts: RenderOptions,
    cues: &[Cue],
    progress: &mut dyn FnMut(usize),
) -> Rendered {
    let (events, items, end) = plan_with_cues(items, setup, opts.seed, opts.fill, cues);
    let total = frames_of(end);
    let mut out = Rendered {
        main: vec![[0.0; 2]; total],
        stems: Vec::with_capacity(AUDIO_TRACKS),
        ..Rendered::default()
    };
    let mut triggers: Vec<Vec<Trigger>> = (0..AUDIO_TRACKS).map(|_| Vec::new()).collect();
    // T8 as master (MASTER_TRACK=1): its trigs play no sample, it processes the mix.
    let master = setup.master_track && opts.tracks & 0x80 != 0;
    for ev in &events {
        let t = ev.track;
        if t >= AUDIO_TRACKS || opts.tracks & (1 << t) == 0 {
            continue;
        }
        event_triggers(
            ev,
            &items,
            samples,
            opts.crossfader,
            end,
            Some(&mut out.not_rendered),
            &mut |at, mut trig| {
                let frame = frames_of(at);
                if master && t == MASTER {
                    trig.spec = None;
                }
                if !trig.trigless && trig.spec.is_some() {
                    out.onsets.push(Onset {
                        track: t,
                        at,
                        frame,
                    });
                }
                triggers[t].push(Trigger { frame, ..trig });
            },
        );
    }
    out.onsets
        .sort_by(|a, b| a.at.total_cmp(&b.at).then(a.track.cmp(&b.track)));
    // The first item's part decides Neighbor routing and the FX a track starts with.
    let first = items.first().map(|i| i.pattern.part.audio);
    // Tracks feeding a Neighbor on the next track reach the mix only through it.
    let feeds = |t: usize| {
        t + 1 < AUDIO_TRACKS
            && first.is_some_and(|p| p[t + 1].machine == MachineType::Neighbor)
            && opts.tracks & (1 << (t + 1)) != 0
    };
    for (t, trigs) in triggers.iter_mut().enumerate() {
        trigs.sort_by_key(|x| x.frame);
        let selected = opts.tracks & (1 << t) != 0;
        let mut buf = vec![[0.0f32; 2]; if selected { total } else { 0 }];
        let part = first.map(|p| p[t]);
        let neighbor = t > 0 && part.is_some_and(|p| p.machine == MachineType::Neighbor);
        let start = Start {
            fx: part.map(|p| {
                let six = |o: usize| {
                    let mut a = [0u8; 6];
                    a.copy_from_slice(&p.values[o..o + 6]);
                    a
                };
                [(p.fx1, six(18)), (p.fx2, six(24))]
            }),
            step_secs: items
                .first()
                .map_or(0.125, |i| 60.0 / setup.tempo_for(&i.pattern) / 4.0),
            input: None,
        };
        if master && t == MASTER {
            let gains = part.map_or([1.0; 2], |p| {
                let (bl, br) = laws::balance_gains(p.values[16]);
                let g = laws::volume_gain(p.values[15]) * laws::level_gain(p.levels[0]);
                [g * bl, g * br]
            });
            let mut sum = vec![[0.0f32; 2]; total];
            for (k, stem) in out.stems.iter().enumerate() {
                if feeds(k) {
                    continue;
                }
                for (m, x) in sum.iter_mut().zip(stem) {
                    m[0] += x[0];
                    m[1] += x[1];
                }
            }
            render_track(
                trigs,
                &mut buf,
                Start {
                    input: Some((&sum, gains)),
                    ..start
                },
            );
        } else if neighbor && let Some(p) = part {
            let (bl, br) = laws::balance_gains(p.values[16]);
            let g = laws::volume_gain(p.values[15]) * laws::level_gain(p.levels[0]);
            let input: &[[f32; 2]] = &out.stems[t - 1];
            render_track(
                trigs,
                &mut buf,
                Start {
                    input: Some((input, [g * bl, g * br])),
                    ..start
                },
            );
        } else {
            render_track(trigs, &mut buf, start);
        }
        out.stems.push(buf);
        progress(t + 1);
    }
    // The main mix: every track except one feeding a Neighbor on the next track; with T8
    // as master, T8 alone (it holds the others).
    for (t, buf) in out.stems.iter().enumerate() {
        if feeds(t) || (master && t != MASTER) {
            continue;
        }
        for (m, s) in out.main.iter_mut().zip(buf) {
            m[0] += s[0];
            m[1] += s[1];
        }
    }
    out
}

/// How a track starts: its FX values before the first trig, the step length they use,
/// and for a Neighbor track the previous track's output with this track's gains.
struct Start<'a> {
    fx: Option<[(u8, [u8; 6]); 2]>,
    step_secs: f64,
    input: Option<(&'a [[f32; 2]], [f32; 2])>,
}

/// One track: a new trig cuts the voice before it (a track plays one sample at a time);
/// the FX take the trig's values and keep their state.
fn render_track(trigs: &[Trigger], buf: &mut [[f32; 2]], start: Start) {
    let mut fx = [FxBlock::default(), FxBlock::default()];
    if let Some(f) = start.fx {
        fx[0].set(f[0].0, f[0].1, start.step_secs);
        fx[1].set(f[1].0, f[1].1, start.step_secs);
    }
    let mut voice: Option<Voice> = None;
    let mut lfo = TrackLfo::default();
    lfo.reset(0);
    let mut next = 0usize;
    for (frame, out) in buf.iter_mut().enumerate() {
        while next < trigs.len() && trigs[next].frame <= frame {
            let t = &trigs[next];
            lfo.trigger(frame, &t.lfo, t.trigless);
            if !t.trigless {
                voice = t.spec.clone().map(|mut s| {
                    lfo.start(&mut s);
                    Voice::new(s)
                });
            } else if let (Some(v), Some(spec)) = (voice.as_mut(), t.spec.as_ref()) {
                v.retune(spec.speed, spec.gain);
            }
            fx[0].set(t.fx[0].0, t.fx[0].1, t.step_secs);
            fx[1].set(t.fx[1].0, t.fx[1].1, t.step_secs);
            if !t.trigless {
                fx[0].trigger();
                fx[1].trigger();
            }
            next += 1;
        }
        lfo.control(frame, voice.as_mut(), &mut fx);
        let mut x = match start.input {
            Some((input, g)) => input
                .get(frame)
                .map_or([0.0; 2], |i| [i[0] * g[0], i[1] * g[1]]),
            None => [0.0f32; 2],
        };
        if let Some(v) = voice.as_mut()
            && !v.mix_next(&mut x)
        {
            voice = None;
        }
        fx[0].run(&mut x);
        fx[1].run(&mut x);
        *out = x;
    }
}
