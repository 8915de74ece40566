//! The objects a script sees: project, settings, bank, pattern, track, step. Numbers are
//! 1-based as the device shows them; every edit goes through the bank's typed setters.

use super::Shared;
use crate::edit::value::Unit;
use crate::format::bank::{AudioTrack, MidiTrack, StepKind, midi_slot};
use crate::format::params::{self, ParamInfo};
use crate::format::types::{MachineType, MicroTiming, TrigCondition};
use crate::project::Project;
use rhai::{Array, Dynamic, Engine, EvalAltResult, INT};

pub(super) type Res<T> = Result<T, Box<EvalAltResult>>;

pub(super) fn err<T>(msg: impl Into<String>) -> Res<T> {
    Err(msg.into().into())
}

pub(super) fn index(what: &str, n: INT, max: usize) -> Res<usize> {
    if n < 1 || n > max as INT {
        return err(format!("{what} {n}: expected 1..={max}"));
    }
    Ok(n as usize - 1)
}

/// The project a script runs on.
#[derive(Clone)]
pub struct ProjectH {
    pub(super) w: Shared,
    tempo: f64,
}

impl ProjectH {
    pub(super) fn new(w: Shared, p: &Project) -> Self {
        Self {
            w,
            tempo: p.project_file().tempo_bpm().unwrap_or(120.0),
        }
    }
}

/// `project.settings`.
#[derive(Clone)]
pub struct SettingsH {
    w: Shared,
    tempo: f64,
}

/// `project.bank(n)`.
#[derive(Clone)]
pub struct BankH {
    pub(super) w: Shared,
    pub(super) b: usize,
}

/// `bank.pattern(n)`.
#[derive(Clone)]
pub struct PatternH {
    w: Shared,
    b: usize,
    p: usize,
}

/// `pattern.audio_track(n)` / `pattern.midi_track(n)`.
#[derive(Clone)]
pub struct TrackH {
    w: Shared,
    b: usize,
    p: usize,
    t: usize,
    midi: bool,
}

/// `track.step(n)`.
#[derive(Clone)]
pub struct StepH {
    tr: TrackH,
    s: usize,
}

/// `track.steps` / `track.step`: `track.steps[5].condition = "FILL"` (Rhai cannot assign to a
/// property of a method call's result, but can through an indexer; `track.step(5).condition`
/// is rewritten to `track.step[5].condition` before compiling, see [`super::rewrite`]).
#[derive(Clone)]
pub struct StepsH(TrackH);

/// `project.banks[n]` / `project.bank[n]`.
#[derive(Clone)]
pub struct BanksH(ProjectH);

/// `bank.patterns[n]` / `bank.pattern[n]`.
#[derive(Clone)]
pub struct PatternsH(BankH);

/// `pattern.audio_tracks` / `pattern.midi_tracks`, indexed 1..=8.
#[derive(Clone)]
pub struct TracksH {
    p: PatternH,
    midi: bool,
}

/// One track of a pattern, with what naming its parameters needs.
enum Tr<'a> {
    Audio(&'a mut AudioTrack, MachineType, u8, u8),
    Midi(&'a mut MidiTrack),
}

impl Tr<'_> {
    fn kind(&self, s: usize) -> StepKind {
        match self {
            Tr::Audio(t, ..) => t.step_kind(s),
            Tr::Midi(t) => t.step_kind(s),
        }
    }
    fn set_kind(&mut self, s: usize, k: StepKind) -> Result<(), String> {
        match self {
            Tr::Audio(t, ..) => t.set_step_kind(s, k),
            Tr::Midi(t) => t.set_step_kind(s, k),
        }
        .map_err(|e| e.to_string())
    }
    fn clear(&mut self, s: usize) -> Result<(), String> {
        match self {
            Tr::Audio(t, ..) => {
                t.slide.set(s, false).map_err(|e| e.to_string())?;
                t.swing.set(s, false).map_err(|e| e.to_string())?;
                t.clear_step(s)
            }
            Tr::Midi(t) => {
                t.swing.set(s, false).map_err(|e| e.to_string())?;
                t.clear_step(s)
            }
        }
        .map_err(|e| e.to_string())
    }
    fn plock(&self, s: usize, i: usize) -> Option<u8> {
        match self {
            Tr::Audio(t, ..) => t.plock(s, i),
            Tr::Midi(t) => t.plock(s, i),
        }
    }
    /// Sets or clears a lock with the device's rule: a lock on an empty step makes it a
    /// lock-only trig; clearing the last lock of a lock-only trig removes it.
    fn set_plock(&mut self, s: usize, i: usize, v: Option<u8>) -> Result<(), String> {
        match self {
            Tr::Audio(t, ..) => t.set_plock(s, i, v),
            Tr::Midi(t) => t.set_plock(s, i, v),
        }
        .map_err(|e| e.to_string())?;
        let kind = self.kind(s);
        if v.is_some() && kind == StepKind::Empty {
            self.set_kind(s, StepKind::LockOnly)?;
        } else if v.is_none()
            && kind == StepKind::LockOnly
            && (0..32).all(|i| self.plock(s, i).is_none())
        {
            self.set_kind(s, StepKind::Empty)?;
        }
        Ok(())
    }
    fn param(&self, name: &str) -> Result<ParamInfo, String> {
        let all: Vec<ParamInfo> = match self {
            Tr::Audio(_, m, f1, f2) => params::audio_params(*m, *f1, *f2)
                .into_iter()
                .flatten()
                .collect(),
            Tr::Midi(_) => params::midi_params().into_iter().flatten().collect(),
        };
        let want = name.trim().to_ascii_uppercase();
        all.iter()
            .find(|p| p.label().eq_ignore_ascii_case(&want))
            .or_else(|| all.iter().find(|p| p.name.eq_ignore_ascii_case(&want)))
            .copied()
            .ok_or_else(|| {
                let names: Vec<String> = all.iter().map(ParamInfo::label).collect();
                format!(
                    "no parameter {name:?} on this track; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

pub(super) fn value_text(v: &Dynamic) -> Result<String, String> {
    if let Some(s) = v.read_lock::<rhai::ImmutableString>() {
        return Ok(s.to_string());
    }
    if let Ok(i) = v.as_int() {
        return Ok(i.to_string());
    }
    if let Ok(f) = v.as_float() {
        return Ok(if f.fract() == 0.0 {
            format!("{f:.0}")
        } else {
            f.to_string()
        });
    }
    Err(format!(
        "expected a value as the device shows it (a string or a number), got {}",
        v.type_name()
    ))
}

impl TrackH {
    fn with<R>(&self, f: impl FnOnce(&mut Tr<'_>) -> Result<R, String>) -> Res<R> {
        let mut w = self.w.lock().map_err(|_| "internal state poisoned")?;
        w.touched[self.b] = true;
        let bank = &mut w.banks[self.b];
        let (m, f1, f2) = match bank.part_of_pattern(self.p) {
            Some(part) => (
                part.machine_type(self.t),
                part.fx1_type(self.t),
                part.fx2_type(self.t),
            ),
            None => (MachineType::Flex, 0, 0),
        };
        let pat = bank
            .pattern_mut(self.p)
            .ok_or_else(|| format!("pattern {} not found", self.p + 1))?;
        let mut tr = if self.midi {
            Tr::Midi(&mut pat.midi[self.t])
        } else {
            Tr::Audio(&mut pat.audio[self.t], m, f1, f2)
        };
        Ok(f(&mut tr)?)
    }
}

impl StepH {
    fn with<R>(&self, f: impl FnOnce(&mut Tr<'_>, usize) -> Result<R, String>) -> Res<R> {
        let s = self.s;
        self.tr.with(|t| f(t, s))
    }
    fn lock_get(&mut self, name: &str) -> Res<Dynamic> {
        self.with(|t, s| {
            let p = t.param(name)?;
            Ok(match t.plock(s, p.slot) {
                Some(v) => Dynamic::from(p.show(v)),
                None => Dynamic::UNIT,
            })
        })
    }
    fn lock_set(&mut self, name: &str, value: Dynamic) -> Res<()> {
        self.with(|t, s| {
            let p = t.param(name)?;
            let text = value_text(&value)?;
            let v = Unit::of(Some(p))
                .parse(&p.label(), &text)
                .map_err(|e| e.to_string())?;
            t.set_plock(s, p.slot, Some(v))
        })
    }
    fn midi_lock(&mut self, slot: usize, what: &str) -> Res<Dynamic> {
        self.with(|t, s| match t {
            Tr::Midi(m) => Ok(m
                .plock(s, slot)
                .map_or(Dynamic::UNIT, |v| (v as INT).into())),
            Tr::Audio(..) => Err(format!("{what} is a MIDI step's; this is an audio track")),
        })
    }
    fn set_midi_lock(&mut self, slot: usize, what: &str, v: INT) -> Res<()> {
        if !(0..=127).contains(&v) {
            return err(format!("{what} {v}: expected 0..=127"));
        }
        self.with(|t, s| match t {
            Tr::Midi(_) => t.set_plock(s, slot, Some(v as u8)),
            Tr::Audio(..) => Err(format!("{what} is a MIDI step's; this is an audio track")),
        })
    }
    fn flag(&mut self, which: Flag) -> Res<bool> {
        self.with(|t, s| {
            Ok(match (which, t) {
                (Flag::Slide, Tr::Audio(a, ..)) => a.slide.get(s),
                (Flag::Swing, Tr::Audio(a, ..)) => a.swing.get(s),
                (Flag::Swing, Tr::Midi(m)) => m.swing.get(s),
                (Flag::Slide, Tr::Midi(_)) => return Err("MIDI steps have no slide".into()),
            })
        })
    }
    fn set_flag(&mut self, which: Flag, on: bool) -> Res<()> {
        self.with(|t, s| {
            match (which, t) {
                (Flag::Slide, Tr::Audio(a, ..)) => a.slide.set(s, on),
                (Flag::Swing, Tr::Audio(a, ..)) => a.swing.set(s, on),
                (Flag::Swing, Tr::Midi(m)) => m.swing.set(s, on),
                (Flag::Slide, Tr::Midi(_)) => return Err("MIDI steps have no slide".into()),
            }
            .map_err(|e| e.to_string())
        })
    }
    fn condition(&self) -> Res<TrigCondition> {
        self.with(|t, s| {
            Ok(match t {
                Tr::Audio(a, ..) => a.condition(s),
                Tr::Midi(m) => m.condition(s),
            })
        })
    }
    fn set_condition(&mut self, c: TrigCondition) -> Res<()> {
        self.with(|t, s| {
            match t {
                Tr::Audio(a, ..) => a.set_condition(s, c),
                Tr::Midi(m) => m.set_condition(s, c),
            }
            .map_err(|e| e.to_string())
        })
    }
}

#[derive(Clone, Copy)]
enum Flag {
    Slide,
    Swing,
}

fn register_project(e: &mut Engine) {
    e.register_type_with_name::<ProjectH>("Project");
    e.register_type_with_name::<SettingsH>("Settings");
    e.register_type_with_name::<BankH>("Bank");
    e.register_type_with_name::<PatternH>("Pattern");
    e.register_get("settings", |p: &mut ProjectH| SettingsH {
        w: p.w.clone(),
        tempo: p.tempo,
    });
    fn bank(p: &ProjectH, n: INT) -> Res<BankH> {
        Ok(BankH {
            w: p.w.clone(),
            b: index("bank", n, 16)?,
        })
    }
    e.register_fn("bank", |p: &mut ProjectH, n: INT| bank(p, n));
    e.register_type_with_name::<BanksH>("Banks");
    for name in ["bank", "banks"] {
        e.register_get(name, |p: &mut ProjectH| BanksH(p.clone()));
        e.register_set(name, |_: &mut ProjectH, _: BanksH| {});
    }
    e.register_indexer_get(|b: &mut BanksH, n: INT| bank(&b.0, n));
    e.register_indexer_set(|_: &mut BanksH, _: INT, _: BankH| {});
    e.register_get("tempo", |s: &mut SettingsH| -> Res<f64> {
        let w = s.w.lock().map_err(|_| "internal state poisoned")?;
        Ok(w.tempo.unwrap_or(s.tempo))
    });
    fn set_tempo(s: &mut SettingsH, bpm: f64) -> Res<()> {
        if !(30.0..=300.0).contains(&bpm) {
            return err(format!("tempo {bpm}: expected 30..=300 BPM"));
        }
        s.w.lock().map_err(|_| "internal state poisoned")?.tempo = Some(bpm);
        Ok(())
    }
    e.register_set("tempo", set_tempo);
    e.register_set("tempo", |s: &mut SettingsH, bpm: INT| {
        set_tempo(s, bpm as f64)
    });
    fn pattern(b: &BankH, n: INT) -> Res<PatternH> {
        Ok(PatternH {
            w: b.w.clone(),
            b: b.b,
            p: index("pattern", n, 16)?,
        })
    }
    e.register_fn("pattern", |b: &mut BankH, n: INT| pattern(b, n));
    e.register_type_with_name::<PatternsH>("Patterns");
    for name in ["pattern", "patterns"] {
        e.register_get(name, |b: &mut BankH| PatternsH(b.clone()));
        e.register_set(name, |_: &mut BankH, _: PatternsH| {});
    }
    e.register_indexer_get(|b: &mut PatternsH, n: INT| pattern(&b.0, n));
    e.register_indexer_set(|_: &mut PatternsH, _: INT, _: PatternH| {});
    fn track(p: &PatternH, n: INT, midi: bool) -> Res<TrackH> {
        Ok(TrackH {
            w: p.w.clone(),
            b: p.b,
            p: p.p,
            t: index(if midi { "MIDI track" } else { "audio track" }, n, 8)?,
            midi,
        })
    }
    e.register_type_with_name::<TracksH>("Tracks");
    for (name, midi) in [
        ("audio_tracks", false),
        ("audio_track", false),
        ("track", false),
        ("midi_tracks", true),
        ("midi_track", true),
    ] {
        e.register_get(name, move |p: &mut PatternH| TracksH { p: p.clone(), midi });
        e.register_set(name, |_: &mut PatternH, _: TracksH| {});
    }
    e.register_indexer_get(|t: &mut TracksH, n: INT| track(&t.p, n, t.midi));
    e.register_indexer_set(|_: &mut TracksH, _: INT, _: TrackH| {});
    e.register_fn("audio_track", |p: &mut PatternH, n: INT| track(p, n, false));
    e.register_fn("midi_track", |p: &mut PatternH, n: INT| track(p, n, true));
    // octapy's `pattern.track(n)` is an audio track.
    e.register_fn("track", |p: &mut PatternH, n: INT| track(p, n, false));
    e.register_get("part", |p: &mut PatternH| -> Res<INT> {
        let w = p.w.lock().map_err(|_| "internal state poisoned")?;
        Ok(w.banks[p.b].pattern(p.p).map_or(1, |x| x.part() as INT + 1))
    });
    e.register_set("part", |p: &mut PatternH, n: INT| -> Res<()> {
        let part = index("part", n, 4)?;
        let mut w = p.w.lock().map_err(|_| "internal state poisoned")?;
        w.touched[p.b] = true;
        if let Some(x) = w.banks[p.b].pattern_mut(p.p) {
            x.set_part(part as u8).map_err(|e| e.to_string())?;
        }
        Ok(())
    });
    e.register_set("length", |p: &mut PatternH, n: INT| -> Res<()> {
        let len = index("length", n, 64)? + 1;
        let mut w = p.w.lock().map_err(|_| "internal state poisoned")?;
        w.touched[p.b] = true;
        if let Some(x) = w.banks[p.b].pattern_mut(p.p) {
            x.set_master_length(len as u8).map_err(|e| e.to_string())?;
        }
        Ok(())
    });
}

fn register_track(e: &mut Engine) {
    e.register_type_with_name::<TrackH>("Track");
    e.register_fn("step", |t: &mut TrackH, n: INT| -> Res<StepH> {
        Ok(StepH {
            tr: t.clone(),
            s: index("step", n, 64)?,
        })
    });
    e.register_type_with_name::<StepsH>("Steps");
    for name in ["steps", "step"] {
        e.register_get(name, |t: &mut TrackH| StepsH(t.clone()));
        e.register_set(name, |_: &mut TrackH, _: StepsH| {});
    }
    e.register_indexer_get(|t: &mut StepsH, n: INT| -> Res<StepH> {
        Ok(StepH {
            tr: t.0.clone(),
            s: index("step", n, 64)?,
        })
    });
    e.register_indexer_set(|_: &mut StepsH, _: INT, _: StepH| {});
    fn steps_of(t: &TrackH, kind: StepKind) -> Res<Array> {
        t.with(|tr| {
            Ok((0..64)
                .filter(|&s| tr.kind(s) == kind)
                .map(|s| Dynamic::from_int(s as INT + 1))
                .collect())
        })
    }
    fn set_steps_of(t: &TrackH, kind: StepKind, list: Array) -> Res<()> {
        let mut want = [false; 64];
        for v in &list {
            let n = v
                .as_int()
                .map_err(|_| format!("step {v}: expected a step number 1..=64"))?;
            want[index("step", n, 64)?] = true;
        }
        t.with(|tr| {
            for (s, &on) in want.iter().enumerate() {
                let k = tr.kind(s);
                if on && k != kind {
                    tr.set_kind(s, kind)?;
                } else if !on && k == kind {
                    tr.clear(s)?;
                }
            }
            Ok(())
        })
    }
    e.register_get("active_steps", |t: &mut TrackH| steps_of(t, StepKind::Trig));
    e.register_set("active_steps", |t: &mut TrackH, l: Array| {
        set_steps_of(t, StepKind::Trig, l)
    });
    e.register_get("trigless_steps", |t: &mut TrackH| {
        steps_of(t, StepKind::Trigless)
    });
    e.register_set("trigless_steps", |t: &mut TrackH, l: Array| {
        set_steps_of(t, StepKind::Trigless, l)
    });
    e.register_fn("clear", |t: &mut TrackH| -> Res<()> {
        t.with(|tr| (0..64).try_for_each(|s| tr.clear(s)))
    });
}

fn register_step(e: &mut Engine) {
    e.register_type_with_name::<StepH>("Step");
    e.register_get("active", |s: &mut StepH| {
        s.with(|t, i| Ok(t.kind(i) == StepKind::Trig))
    });
    e.register_set("active", |s: &mut StepH, on: bool| {
        s.with(|t, i| match (on, t.kind(i)) {
            (true, StepKind::Trig) | (false, StepKind::Empty) => Ok(()),
            (true, _) => t.set_kind(i, StepKind::Trig),
            (false, StepKind::Trig) => t.clear(i),
            (false, _) => Ok(()),
        })
    });
    e.register_get("trigless", |s: &mut StepH| {
        s.with(|t, i| Ok(t.kind(i) == StepKind::Trigless))
    });
    e.register_set("trigless", |s: &mut StepH, on: bool| {
        s.with(|t, i| match (on, t.kind(i)) {
            (true, StepKind::Trigless) => Ok(()),
            (true, _) => t.set_kind(i, StepKind::Trigless),
            (false, StepKind::Trigless) => t.clear(i),
            (false, _) => Ok(()),
        })
    });
    e.register_fn("clear", |s: &mut StepH| s.with(|t, i| t.clear(i)));
    e.register_get("condition", |s: &mut StepH| -> Res<String> {
        Ok(match s.condition()? {
            TrigCondition::None => String::new(),
            c => c.to_string(),
        })
    });
    e.register_set("condition", |s: &mut StepH, text: &str| -> Res<()> {
        let c = TrigCondition::parse(text).ok_or_else(|| {
            format!(
                "condition {text:?}: expected a device condition (FILL, NOT FILL, PRE, NEI, 1ST, 50%, 1:2 .. 8:8, or \"\" for none)"
            )
        })?;
        s.set_condition(c)
    });
    e.register_get("probability", |s: &mut StepH| -> Res<INT> {
        Ok(match s.condition()? {
            TrigCondition::Probability(p) => p as INT,
            _ => 100,
        })
    });
    e.register_set("probability", |s: &mut StepH, p: INT| -> Res<()> {
        let c = if p == 100 {
            TrigCondition::None
        } else {
            let c = TrigCondition::Probability(u8::try_from(p).unwrap_or(0));
            if c.to_code().is_none() {
                return err(format!(
                    "probability {p}: expected a percentage the device offers (1, 2, 4, 6, 9, 13, 19, 25, 33, 41, 50, 59, 67, 75, 81, 87, 91, 94, 96, 98, 99) or 100"
                ));
            }
            c
        };
        s.set_condition(c)
    });
    e.register_get("micro_timing", |s: &mut StepH| {
        s.with(|t, i| {
            Ok(match t {
                Tr::Audio(a, ..) => a.micro_timing(i).0 as INT,
                Tr::Midi(m) => m.micro_timing(i).0 as INT,
            })
        })
    });
    e.register_set("micro_timing", |s: &mut StepH, v: INT| -> Res<()> {
        if !(MicroTiming::MIN as INT..=MicroTiming::MAX as INT).contains(&v) {
            return err(format!("micro_timing {v}: expected -23..=23 (1/384 step)"));
        }
        s.with(|t, i| {
            let mt = MicroTiming(v as i8);
            match t {
                Tr::Audio(a, ..) => a.set_micro_timing(i, mt),
                Tr::Midi(m) => m.set_micro_timing(i, mt),
            }
            .map_err(|e| e.to_string())
        })
    });
    e.register_get("repeats", |s: &mut StepH| {
        s.with(|t, i| {
            Ok(match t {
                Tr::Audio(a, ..) => a.repeats(i) as INT,
                Tr::Midi(m) => m.repeats(i) as INT,
            })
        })
    });
    e.register_set("repeats", |s: &mut StepH, v: INT| -> Res<()> {
        let n = index("repeats", v, 8)? as u8 + 1;
        s.with(|t, i| {
            match t {
                Tr::Audio(a, ..) => a.set_repeats(i, n),
                Tr::Midi(m) => m.set_repeats(i, n),
            }
            .map_err(|e| e.to_string())
        })
    });
    e.register_get("slide", |s: &mut StepH| s.flag(Flag::Slide));
    e.register_set("slide", |s: &mut StepH, on: bool| {
        s.set_flag(Flag::Slide, on)
    });
    e.register_get("swing", |s: &mut StepH| s.flag(Flag::Swing));
    e.register_set("swing", |s: &mut StepH, on: bool| {
        s.set_flag(Flag::Swing, on)
    });
    e.register_fn("lock", |s: &mut StepH, name: &str| s.lock_get(name));
    e.register_fn("lock", |s: &mut StepH, name: &str, v: Dynamic| {
        s.lock_set(name, v)
    });
    e.register_fn("clear_lock", |s: &mut StepH, name: &str| {
        s.with(|t, i| {
            let p = t.param(name)?;
            t.set_plock(i, p.slot, None)
        })
    });
    e.register_get("sample_lock", |s: &mut StepH| s.lock_get("SLOT"));
    e.register_set("sample_lock", |s: &mut StepH, slot: INT| {
        s.lock_set("SLOT", Dynamic::from_int(slot))
    });
    // MIDI steps.
    e.register_get("note", |s: &mut StepH| s.midi_lock(midi_slot::NOTE, "note"));
    e.register_set("note", |s: &mut StepH, n: INT| {
        s.set_midi_lock(midi_slot::NOTE, "note", n)
    });
    e.register_set("note", |s: &mut StepH, n: &str| {
        s.lock_set("NOTE", n.into())
    });
    e.register_get("velocity", |s: &mut StepH| {
        s.midi_lock(midi_slot::VEL, "velocity")
    });
    e.register_set("velocity", |s: &mut StepH, n: INT| {
        s.set_midi_lock(midi_slot::VEL, "velocity", n)
    });
    e.register_get("length", |s: &mut StepH| s.lock_get("LEN"));
    e.register_set("length", |s: &mut StepH, v: &str| {
        s.lock_set("LEN", v.into())
    });
    e.register_set("length", |s: &mut StepH, v: INT| {
        s.lock_set("LEN", Dynamic::from(format!("#{v}")))
    });
    e.register_set("notes", |s: &mut StepH, notes: Array| -> Res<()> {
        let mut ns = Vec::new();
        for v in &notes {
            let n = v
                .as_int()
                .map_err(|_| format!("note {v}: expected 0..=127"))?;
            ns.push(u8::try_from(n).map_err(|_| format!("note {n}: expected 0..=127"))?);
        }
        s.with(|t, i| match t {
            Tr::Midi(m) => {
                m.set_notes(i, &ns).map_err(|e| e.to_string())?;
                if m.step_kind(i) == StepKind::Empty {
                    m.set_step_kind(i, StepKind::LockOnly)
                        .map_err(|e| e.to_string())?;
                }
                Ok(())
            }
            Tr::Audio(..) => Err("notes is a MIDI step's; this is an audio track".into()),
        })
    });
    e.register_fn("cc", |s: &mut StepH, n: INT, v: INT| -> Res<()> {
        let slot = index("CC", n, 10)?;
        s.set_midi_lock(midi_slot::CC1 + slot, "CC value", v)
    });
}

/// Gives a tracker script its target: `pattern` (the pattern handle), `tracks` (the
/// target's tracks, audio then MIDI) and `selection` (`#{bank, pattern, tracks, steps}`,
/// 1-based numbers; `tracks` as `T1`..`T8`, `M1`..`M8`).
pub(super) fn push_target(scope: &mut rhai::Scope, w: &Shared, t: &super::Target) {
    let pattern = PatternH {
        w: w.clone(),
        b: t.bank,
        p: t.pattern,
    };
    let tracks: Array = t
        .tracks
        .iter()
        .map(|&n| {
            Dynamic::from(TrackH {
                w: w.clone(),
                b: t.bank,
                p: t.pattern,
                t: n % 8,
                midi: n >= 8,
            })
        })
        .collect();
    let mut sel = rhai::Map::new();
    sel.insert("bank".into(), (t.bank as INT + 1).into());
    sel.insert("pattern".into(), (t.pattern as INT + 1).into());
    sel.insert(
        "tracks".into(),
        Dynamic::from_array(
            t.tracks
                .iter()
                .map(|&n| crate::edit::document::track_name(n).into())
                .collect(),
        ),
    );
    sel.insert(
        "steps".into(),
        Dynamic::from_array(t.steps.iter().map(|&s| (s as INT + 1).into()).collect()),
    );
    scope.push("pattern", pattern);
    scope.push("tracks", tracks);
    scope.push("selection", sel);
}

pub(super) fn register(e: &mut Engine) {
    register_project(e);
    register_track(e);
    register_step(e);
}
