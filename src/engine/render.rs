//! The offline renderer: plays the sequencer's step events on the audio tracks into
//! per-track buffers and the main mix, faster than real time.

use super::SAMPLE_RATE;
use super::fx::{self, FxBlock};
use super::laws;
use super::sample::{SampleRegion, Samples, SlotSound};
use super::voice::{Envelope, LoopKind, Voice, VoiceSpec};
use crate::format::MachineType;
use crate::format::params::fx_name;
use crate::format::slot_attrs::LoopMode;
use crate::seq::conditions::ConditionEngine;
use crate::seq::model::{AudioPart, DeviceSetup, NO_LOCK};
use crate::seq::timeline::{PlayItem, StepEvent, Timeline};

/// Audio tracks the engine plays.
pub const AUDIO_TRACKS: usize = 8;
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
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            seed: 0,
            fill: false,
            tracks: 0xFF,
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
    let endless = items.iter().any(|i| i.passes.is_none());
    let until = if endless {
        ENDLESS_CAP_SECS
    } else {
        f64::INFINITY
    };
    let mut timeline = Timeline::new(items, setup);
    let mut conditions = ConditionEngine::new(seed);
    conditions.fill = fill;
    let events = timeline.collect(until, &mut conditions);
    let end = timeline.end_secs().unwrap_or(ENDLESS_CAP_SECS);
    let items = timeline.items().to_vec();
    let events = events.into_iter().filter(|e| e.at < end).collect();
    (events, items, end)
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

struct Trigger {
    frame: usize,
    spec: Option<VoiceSpec>,
    fx: [(u8, [u8; 6]); 2],
    step_secs: f64,
}

fn frames_of(secs: f64) -> usize {
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
) -> Option<VoiceSpec> {
    let slic = part.setup[1] == 1 && !sound.slices.is_empty();
    let region = if slic {
        let i = laws::slice_index(v[1], sound.slices.len());
        sound.slices[i]
    } else {
        let t = sound.trim;
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
        sample: sound.sample.clone(),
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
    let (events, items, end) = plan(items, setup, opts.seed, opts.fill);
    let total = frames_of(end);
    let mut out = Rendered {
        main: vec![[0.0; 2]; total],
        stems: Vec::with_capacity(AUDIO_TRACKS),
        ..Rendered::default()
    };
    let mut triggers: Vec<Vec<Trigger>> = (0..AUDIO_TRACKS).map(|_| Vec::new()).collect();
    for ev in &events {
        let t = ev.track;
        if t >= AUDIO_TRACKS || opts.tracks & (1 << t) == 0 || !ev.data.trig {
            continue;
        }
        let Some(item) = items.get(ev.item) else {
            continue;
        };
        let part = &item.pattern.part.audio[t];
        let v = locked_values(part, &ev.data.locks);
        let name = format!("T{}", t + 1);
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
                let m = if part.machine == MachineType::Thru {
                    "THRU"
                } else {
                    "PICKUP"
                };
                note(
                    &mut out.not_rendered,
                    format!("{name}: {m} has no live input here, silent"),
                );
                None
            }
            MachineType::Neighbor => {
                note(
                    &mut out.not_rendered,
                    format!("{name}: NEIGHBOR not rendered, silent"),
                );
                None
            }
            MachineType::Unknown(_) => None,
        };
        for (i, code) in [part.fx1, part.fx2].into_iter().enumerate() {
            if !fx::is_rendered(code) {
                note(
                    &mut out.not_rendered,
                    format!(
                        "{name}: FX{} {} not rendered (passes through)",
                        i + 1,
                        fx_name(code)
                    ),
                );
            }
        }
        if part.setup[3] == 1 {
            note(
                &mut out.not_rendered,
                format!("{name}: RATE as time-stretch not rendered (pitch only)"),
            );
        }
        let fxv = |o: usize| {
            let mut a = [0u8; 6];
            a.copy_from_slice(&v[o..o + 6]);
            a
        };
        let fx = [(part.fx1, fxv(18)), (part.fx2, fxv(24))];
        let spec = sound.and_then(|s| voice_spec(part, &v, s, ev.step_secs));
        let plays = laws::retrig_plays(v[4]);
        let retrig = laws::retrig_steps(v[5]) * ev.step_secs;
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
                let frame = frames_of(at);
                if spec.is_some() {
                    out.onsets.push(Onset {
                        track: t,
                        at,
                        frame,
                    });
                }
                triggers[t].push(Trigger {
                    frame,
                    spec: spec.clone(),
                    fx,
                    step_secs: ev.step_secs,
                });
            }
        }
    }
    out.onsets
        .sort_by(|a, b| a.at.total_cmp(&b.at).then(a.track.cmp(&b.track)));
    for (t, trigs) in triggers.iter_mut().enumerate() {
        trigs.sort_by_key(|x| x.frame);
        let mut buf = vec![
            [0.0f32; 2];
            if opts.tracks & (1 << t) != 0 {
                total
            } else {
                0
            }
        ];
        render_track(trigs, &mut buf);
        for (m, s) in out.main.iter_mut().zip(&buf) {
            m[0] += s[0];
            m[1] += s[1];
        }
        out.stems.push(buf);
        progress(t + 1);
    }
    out
}

/// One track: a new trig cuts the voice before it (a track plays one sample at a time);
/// the FX take the trig's values and keep their state.
fn render_track(trigs: &[Trigger], buf: &mut [[f32; 2]]) {
    let mut fx = [FxBlock::default(), FxBlock::default()];
    let mut voice: Option<Voice> = None;
    let mut next = 0usize;
    for (frame, out) in buf.iter_mut().enumerate() {
        while next < trigs.len() && trigs[next].frame <= frame {
            let t = &trigs[next];
            voice = t.spec.clone().map(Voice::new);
            fx[0].set(t.fx[0].0, t.fx[0].1, t.step_secs);
            fx[1].set(t.fx[1].0, t.fx[1].1, t.step_secs);
            next += 1;
        }
        let mut x = [0.0f32; 2];
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
