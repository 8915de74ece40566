//! Part setup from a script: `bank.part(n).track(n)` with the machine (`configure_flex(slot)`,
//! `configure_static(slot)`, `configure_thru()`, `configure_neighbor()`, `configure_pickup()`),
//! the page values by the device's names (`src`, `amp`, `fx1`, `fx2`, `lfo(n)`), the LFO setup
//! (`lfo(n).dest/wave/mult/trig`, `lfo_design`, `lfo_interpolation`; codes from
//! [`crate::format::setup`] and [`crate::format::lfo`]), FX types, scene locks
//! (`part.scene(n)`), recorder sources; `part.midi_track(n)` with the NOTE setup (`channel`,
//! `bank`, `program`, `sbank`), CC numbers, ARP setup and the MIDI pages; and
//! `project.add_sample(path)`.
//! Every edit goes through [`Bank::edit_part`](crate::format::Bank::edit_part) (which sets the
//! part's edited bit only when it changed) and the typed setters of
//! [`Part`](crate::format::bank::Part).

use super::Shared;
use super::api::{BankH, ProjectH, Res, err, index, value_text};
use crate::edit::value::Unit;
use crate::format::bank::Part;
use crate::format::params::{self, FX_TYPES, Page, ParamInfo};
use crate::format::setup::{self, SetupParam};
use crate::format::slot_attrs::SlotRef;
use crate::format::types::MachineType;
use rhai::{Array, Dynamic, Engine, INT, NativeCallContext, Position};

/// `bank.part(n)`.
#[derive(Clone)]
pub struct PartH {
    w: Shared,
    b: usize,
    p: usize,
}

/// `bank.parts[n]` / `bank.part[n]`.
#[derive(Clone)]
pub struct PartsH(BankH);

/// `part.track(n)` / `part.midi_track(n)`: a track of a part.
#[derive(Clone)]
pub struct PartTrackH {
    w: Shared,
    b: usize,
    p: usize,
    t: usize,
    /// A MIDI track (M1..M8) rather than an audio track.
    midi: bool,
}

/// `part.tracks[n]` / `part.track[n]` (audio), `part.midi_tracks[n]` (MIDI).
#[derive(Clone)]
pub struct PartTracksH(PartH, bool);

/// A page of a part track: `track.amp["VOL"]`, `track.amp.VOL`, `track.lfo(1).SPD`.
#[derive(Clone)]
pub struct PageH {
    tr: PartTrackH,
    page: Page,
    /// For `lfo(n)`: the LFO 0..3 (its `SPDn` and `DEPn`).
    lfo: Option<usize>,
}

/// `track.lfos[n]` / `track.lfo[n]`.
#[derive(Clone)]
pub struct LfosH(PartTrackH);

/// `part.scene(n)`.
#[derive(Clone)]
pub struct SceneH {
    part: PartH,
    s: usize,
}

/// `part.scenes[n]` / `part.scene[n]`.
#[derive(Clone)]
pub struct ScenesH(PartH);

/// A sample a script assigned with `project.add_sample`, applied (and its file checked) when
/// the script ends.
#[derive(Debug, Clone)]
pub(crate) struct PendingSample {
    pub(crate) slot: SlotRef,
    /// As the script gave it (`Drums/kick.wav`, `./kick.wav`).
    pub(crate) spec: String,
    /// The slot's `PATH` ([`crate::project::slots::slot_path`]).
    pub(crate) path: String,
    pub(crate) pos: Position,
}

impl PartH {
    fn with<R>(&self, f: impl FnOnce(&mut Part) -> Result<R, String>) -> Res<R> {
        let mut w = self.w.lock().map_err(|_| "internal state poisoned")?;
        w.touched[self.b] = true;
        let r = w.banks[self.b]
            .edit_part(self.p, f)
            .map_err(|e| e.to_string())?;
        Ok(r?)
    }
}

impl PartTrackH {
    fn part(&self) -> PartH {
        PartH {
            w: self.w.clone(),
            b: self.b,
            p: self.p,
        }
    }
    fn with<R>(&self, f: impl FnOnce(&mut Part, usize) -> Result<R, String>) -> Res<R> {
        let t = self.t;
        self.part().with(|p| f(p, t))
    }
    fn audio_only(&self, what: &str) -> Res<()> {
        if self.midi {
            return err(format!(
                "{what}: M{} is a MIDI track; machines, FX and recorders belong to audio tracks",
                self.t + 1
            ));
        }
        Ok(())
    }
    fn midi_only(&self, what: &str) -> Res<()> {
        if !self.midi {
            return err(format!(
                "{what}: T{} is an audio track; use part.midi_track(n)",
                self.t + 1
            ));
        }
        Ok(())
    }
    fn set_machine(&self, m: MachineType, slot: Option<(INT, bool)>) -> Res<()> {
        self.audio_only(&format!("configure {}", m.name()))?;
        let slot = match slot {
            Some((n, flex)) => Some((index("slot", n, 128)? as u8, flex)),
            None => None,
        };
        self.with(|p, t| {
            p.set_machine_type(t, m).map_err(|e| e.to_string())?;
            match slot {
                Some((n, true)) => p.slots[t].flex_slot = n,
                Some((n, false)) => p.slots[t].static_slot = n,
                None => {}
            }
            Ok(())
        })
    }
}

fn params_of(p: &Part, t: usize, midi: bool) -> Vec<ParamInfo> {
    if midi {
        return params::midi_params().into_iter().flatten().collect();
    }
    params::audio_params(p.machine_type(t), p.fx1_type(t), p.fx2_type(t))
        .into_iter()
        .flatten()
        .collect()
}

fn track_kind(p: &Part, t: usize, midi: bool) -> String {
    if midi {
        "MIDI".to_string()
    } else {
        p.machine_type(t).name().to_string()
    }
}

impl PageH {
    /// The page's parameters, with the name a script uses for each.
    fn named(&self, p: &Part, t: usize) -> Vec<(String, ParamInfo)> {
        params_of(p, t, self.tr.midi)
            .into_iter()
            .filter(|i| i.page == self.page && i.slot != 17)
            .filter_map(|i| match self.lfo {
                None => Some((i.name.to_string(), i)),
                Some(n) => {
                    let (kind, k) = i.name.split_at(3);
                    (k == (n + 1).to_string()).then(|| (kind.to_string(), i))
                }
            })
            .collect()
    }
    fn find(&self, p: &Part, t: usize, name: &str) -> Result<ParamInfo, String> {
        let named = self.named(p, t);
        let want = name.trim();
        named
            .iter()
            .find(|(n, i)| n.eq_ignore_ascii_case(want) || i.label().eq_ignore_ascii_case(want))
            .map(|(_, i)| *i)
            .ok_or_else(|| {
                let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
                format!(
                    "no parameter {name:?} on the {} page of this {} track; expected one of {}",
                    self.page.name(),
                    track_kind(p, t, self.tr.midi),
                    if names.is_empty() {
                        "(none)".to_string()
                    } else {
                        names.join(", ")
                    }
                )
            })
    }
    fn get(&self, name: &str) -> Res<Dynamic> {
        if let Some(k) = self.lfo_setup_index(name) {
            return self.tr.with(|p, t| {
                let sp = lfo_setup_param(p, t, self.tr.midi, k)?;
                Ok(Dynamic::from(
                    sp.show(lfo_setup_bytes(p, t, self.tr.midi)[k]),
                ))
            });
        }
        let midi = self.tr.midi;
        self.tr.with(|p, t| {
            let i = self.find(p, t, name)?;
            let v = if midi {
                p.midi_values[t].get(i.slot)
            } else {
                p.track_value(t, i.slot)
            };
            Ok(v.map_or(Dynamic::UNIT, |v| Dynamic::from(i.show(v))))
        })
    }
    fn set(&self, name: &str, value: &Dynamic) -> Res<()> {
        if let Some(k) = self.lfo_setup_index(name) {
            let text = value_text(value)?;
            return self.tr.with(|p, t| {
                let v = parse_lfo_setup(p, t, self.tr.midi, k, &text)?;
                set_lfo_setup_byte(p, t, self.tr.midi, k, v);
                Ok(())
            });
        }
        let midi = self.tr.midi;
        self.tr.with(|p, t| {
            let i = self.find(p, t, name)?;
            let text = value_text(value)?;
            let v = Unit::of(Some(i))
                .parse(&i.label(), &text)
                .map_err(|e| e.to_string())?;
            if midi {
                p.midi_values[t].set(i.slot, v)
            } else {
                p.set_track_value(t, i.slot, v)
            }
            .map_err(|e| e.to_string())
        })
    }
    /// For `lfo(n)`: the index (0..12, [`setup::LFO_SETUP_NAMES`] order) of a setup name: `DEST`
    /// (or `PMTR`), `WAVE`, `MULT`, `TRIG`.
    fn lfo_setup_index(&self, name: &str) -> Option<usize> {
        let n = self.lfo?;
        let kind = match name.trim().to_ascii_uppercase().as_str() {
            "DEST" | "PMTR" => 0,
            "WAVE" => 1,
            "MULT" => 2,
            "TRIG" => 3,
            _ => return None,
        };
        Some(kind * 3 + n)
    }
}

/// The 12 LFO setup bytes of a track: LFO-A (3 targets, 3 waveforms) then LFO-B
/// (3 multipliers, 3 trig modes).
fn lfo_setup_bytes(p: &Part, t: usize, midi: bool) -> [u8; 12] {
    let (a, b) = if midi {
        (p.midi_setups[t].lfo_a.0, p.midi_setups[t].lfo_b.0)
    } else {
        (p.track_setups[t].lfo_a.0, p.track_setups[t].lfo_b.0)
    };
    let mut r = [0u8; 12];
    r[..6].copy_from_slice(&a);
    r[6..].copy_from_slice(&b);
    r
}

fn set_lfo_setup_byte(p: &mut Part, t: usize, midi: bool, k: usize, v: u8) {
    let (a, b) = if midi {
        let s = &mut p.midi_setups[t];
        (&mut s.lfo_a, &mut s.lfo_b)
    } else {
        let s = &mut p.track_setups[t];
        (&mut s.lfo_a, &mut s.lfo_b)
    };
    if k < 6 {
        a.0[k] = v;
    } else {
        b.0[k - 6] = v;
    }
}

fn lfo_setup_param(p: &Part, t: usize, midi: bool, k: usize) -> Result<SetupParam, String> {
    let sp = if midi {
        setup::midi_lfo_setup(k)
    } else {
        setup::audio_lfo_setup(p.machine_type(t), p.fx1_type(t), p.fx2_type(t), k)
    };
    sp.ok_or_else(|| format!("no LFO setup value {k}"))
}

/// An LFO setup value as the device shows it: a destination by its label (`AMP VOL`) or its
/// name on the track (`VOL`), a waveform (`TRI`, `T3`), a multiplier (`4X` or `4`), a trig
/// mode (`ONE`).
fn parse_lfo_setup(p: &Part, t: usize, midi: bool, k: usize, text: &str) -> Result<u8, String> {
    let sp = lfo_setup_param(p, t, midi, k)?;
    if let Ok(v) = sp.parse(text) {
        return Ok(v);
    }
    let want = text.trim();
    if k < 3 {
        // A destination by its short name, when only one parameter of the track has it.
        let hits: Vec<ParamInfo> = params_of(p, t, midi)
            .into_iter()
            .filter(|i| i.slot < 30 && i.name.eq_ignore_ascii_case(want))
            .collect();
        match hits.as_slice() {
            [one] => return Ok(one.slot as u8),
            [_, _, ..] => {
                let labels: Vec<String> = hits.iter().map(ParamInfo::label).collect();
                return Err(format!(
                    "{}: {want:?} is on several pages of this track ({}); name the page",
                    sp.name,
                    labels.join(", ")
                ));
            }
            [] => {}
        }
    }
    if (6..9).contains(&k)
        && want.chars().all(|c| c.is_ascii_digit())
        && let Ok(v) = sp.parse(&format!("{want}X"))
    {
        return Ok(v);
    }
    sp.parse(text).map_err(|e| e.to_string())
}

impl SceneH {
    fn param(p: &Part, t: usize, name: &str) -> Result<ParamInfo, String> {
        let all: Vec<ParamInfo> = (0..32)
            .filter_map(|s| params::scene_param(p.machine_type(t), p.fx1_type(t), p.fx2_type(t), s))
            .collect();
        let want = name.trim();
        all.iter()
            .find(|i| i.label().eq_ignore_ascii_case(want))
            .or_else(|| all.iter().find(|i| i.name.eq_ignore_ascii_case(want)))
            .copied()
            .ok_or_else(|| {
                let names: Vec<String> = all.iter().map(ParamInfo::label).collect();
                format!(
                    "no parameter {name:?} a scene can lock on this track; expected one of {}",
                    names.join(", ")
                )
            })
    }
    fn lock_get(&self, track: INT, name: &str) -> Res<Dynamic> {
        let t = index("track", track, 8)?;
        let s = self.s;
        self.part.with(|p| {
            let i = Self::param(p, t, name)?;
            Ok(p.scene_lock(s, t, i.slot)
                .map_or(Dynamic::UNIT, |v| Dynamic::from(i.show(v))))
        })
    }
    fn lock_set(&self, track: INT, name: &str, value: Option<&Dynamic>) -> Res<()> {
        let t = index("track", track, 8)?;
        let s = self.s;
        self.part.with(|p| {
            let i = Self::param(p, t, name)?;
            let v = match value {
                Some(value) => Some(
                    Unit::of(Some(i))
                        .parse(&i.label(), &value_text(value)?)
                        .map_err(|e| e.to_string())?,
                ),
                None => None,
            };
            p.set_scene_lock(s, t, i.slot, v).map_err(|e| e.to_string())
        })
    }
}

/// A recorder source as `configure_recorder_buffer` takes it: (INAB, INCD, SRC3) codes
/// (format doc §4.10.5: INAB/INCD 0 off, 1 A+B / C+D, 2 A / C, 3 B / D; SRC3 0 off,
/// 1..8 track, 9 MAIN).
pub fn recorder_source(text: &str) -> Option<(u8, u8, u8)> {
    let t = text.trim().to_ascii_uppercase().replace(' ', "");
    Some(match t.as_str() {
        "OFF" => (0, 0, 0),
        "A+B" | "AB" => (1, 0, 0),
        "A" => (2, 0, 0),
        "B" => (3, 0, 0),
        "C+D" | "CD" => (0, 1, 0),
        "C" => (0, 2, 0),
        "D" => (0, 3, 0),
        "MAIN" => (0, 0, 9),
        _ => {
            let n: u8 = t.strip_prefix('T')?.parse().ok()?;
            if !(1..=8).contains(&n) {
                return None;
            }
            (0, 0, n)
        }
    })
}

fn parse_recorder_source(text: &str) -> Res<(u8, u8, u8)> {
    recorder_source(text).map_or_else(
        || {
            err(format!(
                "recorder source {text:?}: expected A+B, A, B, C+D, C, D, T1..T8, MAIN or OFF"
            ))
        },
        Ok,
    )
}

fn set_recorder(p: &mut Part, t: usize, (inab, incd, src3): (u8, u8, u8)) {
    let r = &mut p.recorder_setups[t];
    r.inab = inab;
    r.incd = incd;
    r.src3 = src3;
}

fn set_fx(tr: &PartTrackH, second: bool, name: &str) -> Res<()> {
    tr.audio_only(if second { "fx2_type" } else { "fx1_type" })?;
    let want = name.trim();
    let Some(fx) = FX_TYPES
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(want) && if second { f.fx2 } else { f.fx1 })
    else {
        let names: Vec<&str> = FX_TYPES
            .iter()
            .filter(|f| if second { f.fx2 } else { f.fx1 })
            .map(|f| f.name)
            .collect();
        return err(format!(
            "FX{} type {name:?}: expected one of {}",
            if second { 2 } else { 1 },
            names.join(", ")
        ));
    };
    // As on the device, choosing an effect loads its default parameter values.
    tr.with(|p, t| {
        let (types, values) = if second {
            (&mut p.fx2_types, &mut p.track_values[t].fx2)
        } else {
            (&mut p.fx1_types, &mut p.track_values[t].fx1)
        };
        if types[t] != fx.code {
            types[t] = fx.code;
            values.0 = fx.defaults;
        }
        Ok(())
    })
}

fn add_sample(ctx: &NativeCallContext, pr: &mut ProjectH, spec: &str, kind: &str) -> Res<INT> {
    let flex = match kind.trim().to_ascii_lowercase().as_str() {
        "flex" => true,
        "static" => false,
        _ => {
            return err(format!(
                "slot kind {kind:?}: expected \"flex\" or \"static\""
            ));
        }
    };
    let path = crate::project::slots::slot_path(spec);
    if !crate::project::sample_file::is_assignable(&path) {
        return err(format!(
            "add_sample {spec:?}: expected a WAV or AIFF file (.wav, .aif, .aiff)"
        ));
    }
    let mut w = pr.w.lock().map_err(|_| "internal state poisoned")?;
    let pool = |s: &SlotRef| matches!(s, SlotRef::Flex(_)) == flex && s.is_flex_pool() == flex;
    // The same file already in a slot of that pool: that slot.
    if let Some((slot, _)) = w.slots.iter().find(|(s, p)| pool(s) && *p == &path) {
        return Ok(match slot {
            SlotRef::Flex(n) | SlotRef::Static(n) | SlotRef::Recorder(n) => *n as INT,
        });
    }
    let free = (1..=128u16)
        .map(|n| {
            if flex {
                SlotRef::Flex(n)
            } else {
                SlotRef::Static(n)
            }
        })
        .find(|s| !w.slots.contains_key(s));
    let Some(slot) = free else {
        return err(format!(
            "add_sample {spec:?}: every {} slot holds a sample",
            if flex { "Flex" } else { "Static" }
        ));
    };
    w.slots.insert(slot, path.clone());
    w.pending.push(PendingSample {
        slot,
        spec: spec.to_string(),
        path,
        pos: ctx.call_position(),
    });
    Ok(match slot {
        SlotRef::Flex(n) | SlotRef::Static(n) | SlotRef::Recorder(n) => n as INT,
    })
}

pub(super) fn register(e: &mut Engine) {
    e.register_type_with_name::<PartH>("Part");
    e.register_type_with_name::<PartsH>("Parts");
    e.register_type_with_name::<PartTrackH>("PartTrack");
    e.register_type_with_name::<PartTracksH>("PartTracks");
    e.register_type_with_name::<PageH>("Page");
    e.register_type_with_name::<LfosH>("Lfos");
    e.register_type_with_name::<SceneH>("Scene");
    e.register_type_with_name::<ScenesH>("Scenes");

    fn part(b: &BankH, n: INT) -> Res<PartH> {
        Ok(PartH {
            w: b.w.clone(),
            b: b.b,
            p: index("part", n, 4)?,
        })
    }
    e.register_fn("part", |b: &mut BankH, n: INT| part(b, n));
    for name in ["part", "parts"] {
        e.register_get(name, |b: &mut BankH| PartsH(b.clone()));
        e.register_set(name, |_: &mut BankH, _: PartsH| {});
    }
    e.register_indexer_get(|b: &mut PartsH, n: INT| part(&b.0, n));
    e.register_indexer_set(|_: &mut PartsH, _: INT, _: PartH| {});

    fn track(p: &PartH, n: INT, midi: bool) -> Res<PartTrackH> {
        Ok(PartTrackH {
            w: p.w.clone(),
            b: p.b,
            p: p.p,
            t: index(if midi { "MIDI track" } else { "audio track" }, n, 8)?,
            midi,
        })
    }
    e.register_fn("track", |p: &mut PartH, n: INT| track(p, n, false));
    e.register_fn("audio_track", |p: &mut PartH, n: INT| track(p, n, false));
    e.register_fn("midi_track", |p: &mut PartH, n: INT| track(p, n, true));
    for name in ["track", "tracks", "audio_track", "audio_tracks"] {
        e.register_get(name, |p: &mut PartH| PartTracksH(p.clone(), false));
        e.register_set(name, |_: &mut PartH, _: PartTracksH| {});
    }
    for name in ["midi_track", "midi_tracks"] {
        e.register_get(name, |p: &mut PartH| PartTracksH(p.clone(), true));
        e.register_set(name, |_: &mut PartH, _: PartTracksH| {});
    }
    e.register_indexer_get(|t: &mut PartTracksH, n: INT| track(&t.0, n, t.1));
    e.register_indexer_set(|_: &mut PartTracksH, _: INT, _: PartTrackH| {});

    fn scene(p: &PartH, n: INT) -> Res<SceneH> {
        Ok(SceneH {
            part: p.clone(),
            s: index("scene", n, 16)?,
        })
    }
    e.register_fn("scene", |p: &mut PartH, n: INT| scene(p, n));
    for name in ["scene", "scenes"] {
        e.register_get(name, |p: &mut PartH| ScenesH(p.clone()));
        e.register_set(name, |_: &mut PartH, _: ScenesH| {});
    }
    e.register_indexer_get(|s: &mut ScenesH, n: INT| scene(&s.0, n));
    e.register_indexer_set(|_: &mut ScenesH, _: INT, _: SceneH| {});
    e.register_fn("lock", |s: &mut SceneH, t: INT, name: &str| {
        s.lock_get(t, name)
    });
    e.register_fn("lock", |s: &mut SceneH, t: INT, name: &str, v: Dynamic| {
        s.lock_set(t, name, Some(&v))
    });
    e.register_fn("clear_lock", |s: &mut SceneH, t: INT, name: &str| {
        s.lock_set(t, name, None)
    });

    // Machines.
    e.register_fn("configure_flex", |t: &mut PartTrackH, slot: INT| {
        t.set_machine(MachineType::Flex, Some((slot, true)))
    });
    e.register_fn("configure_static", |t: &mut PartTrackH, slot: INT| {
        t.set_machine(MachineType::Static, Some((slot, false)))
    });
    e.register_fn("configure_thru", |t: &mut PartTrackH| {
        t.set_machine(MachineType::Thru, None)
    });
    e.register_fn("configure_neighbor", |t: &mut PartTrackH| {
        t.set_machine(MachineType::Neighbor, None)
    });
    e.register_fn("configure_pickup", |t: &mut PartTrackH| {
        t.set_machine(MachineType::Pickup, None)
    });
    e.register_fn(
        "configure_recorder_playback",
        |t: &mut PartTrackH, buffer: INT| -> Res<()> {
            t.audio_only("configure_recorder_playback")?;
            let r = index("recorder buffer", buffer, 8)? as u8;
            t.with(|p, t| {
                p.set_machine_type(t, MachineType::Flex)
                    .map_err(|e| e.to_string())?;
                p.slots[t].flex_slot = 128 + r;
                Ok(())
            })
        },
    );
    e.register_get("machine", |t: &mut PartTrackH| {
        let midi = t.midi;
        t.with(|p, t| Ok(track_kind(p, t, midi)))
    });
    e.register_get("slot", |t: &mut PartTrackH| -> Res<INT> {
        t.with(|p, t| {
            let s = p.slots[t];
            Ok(match p.machine_type(t) {
                MachineType::Flex => s.flex_slot as INT + 1,
                MachineType::Static => s.static_slot as INT + 1,
                _ => 0,
            })
        })
    });
    e.register_get("fx1_type", |t: &mut PartTrackH| {
        t.with(|p, t| Ok(params::fx_name(p.fx1_type(t)).to_string()))
    });
    e.register_get("fx2_type", |t: &mut PartTrackH| {
        t.with(|p, t| Ok(params::fx_name(p.fx2_type(t)).to_string()))
    });
    e.register_set("fx1_type", |t: &mut PartTrackH, name: &str| {
        set_fx(t, false, name)
    });
    e.register_set("fx2_type", |t: &mut PartTrackH, name: &str| {
        set_fx(t, true, name)
    });
    e.register_fn(
        "configure_recorder",
        |t: &mut PartTrackH, source: &str| -> Res<()> {
            t.audio_only("configure_recorder")?;
            let codes = parse_recorder_source(source)?;
            t.with(|p, t| {
                set_recorder(p, t, codes);
                Ok(())
            })
        },
    );

    // Pages.
    for (name, page) in [
        ("src", Page::Src),
        ("amp", Page::Amp),
        ("fx1", Page::Fx1),
        ("fx2", Page::Fx2),
        ("note", Page::Note),
        ("arp", Page::Arp),
        ("ctrl1", Page::Ctrl1),
        ("ctrl2", Page::Ctrl2),
    ] {
        e.register_get(name, move |t: &mut PartTrackH| PageH {
            tr: t.clone(),
            page,
            lfo: None,
        });
        e.register_set(name, |_: &mut PartTrackH, _: PageH| {});
    }
    fn lfo(t: &PartTrackH, n: INT) -> Res<PageH> {
        Ok(PageH {
            tr: t.clone(),
            page: Page::Lfo,
            lfo: Some(index("LFO", n, 3)?),
        })
    }
    e.register_fn("lfo", |t: &mut PartTrackH, n: INT| lfo(t, n));
    for name in ["lfo", "lfos"] {
        e.register_get(name, |t: &mut PartTrackH| LfosH(t.clone()));
        e.register_set(name, |_: &mut PartTrackH, _: LfosH| {});
    }
    e.register_indexer_get(|l: &mut LfosH, n: INT| lfo(&l.0, n));
    e.register_indexer_set(|_: &mut LfosH, _: INT, _: PageH| {});
    e.register_indexer_get(|pg: &mut PageH, name: &str| pg.get(name));
    e.register_indexer_set(|pg: &mut PageH, name: &str, v: Dynamic| pg.set(name, &v));
    e.register_fn("get", |pg: &mut PageH, name: &str| pg.get(name));
    e.register_fn("set", |pg: &mut PageH, name: &str, v: Dynamic| {
        pg.set(name, &v)
    });

    register_design(e);
    register_midi_setup(e);

    // Project level.
    e.register_fn(
        "add_sample",
        |ctx: NativeCallContext, p: &mut ProjectH, spec: &str| add_sample(&ctx, p, spec, "flex"),
    );
    e.register_fn(
        "add_sample",
        |ctx: NativeCallContext, p: &mut ProjectH, spec: &str, kind: &str| {
            add_sample(&ctx, p, spec, kind)
        },
    );
    e.register_fn(
        "configure_recorder_buffer",
        |pr: &mut ProjectH, track: INT, source: &str| -> Res<()> {
            let t = index("track", track, 8)?;
            let codes = parse_recorder_source(source)?;
            let mut w = pr.w.lock().map_err(|_| "internal state poisoned")?;
            for b in 0..16 {
                w.touched[b] = true;
                for p in 0..4 {
                    w.banks[b]
                        .edit_part(p, |part| set_recorder(part, t, codes))
                        .map_err(|e| e.to_string())?;
                }
            }
            Ok(())
        },
    );
}

fn int_list(what: &str, a: &Array, len: usize, lo: INT, hi: INT) -> Res<Vec<INT>> {
    if a.len() != len {
        return err(format!("{what}: expected {len} numbers, got {}", a.len()));
    }
    a.iter()
        .enumerate()
        .map(|(i, v)| match v.as_int() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => err(format!(
                "{what}: entry {} is {v}: expected a number {lo}..={hi}",
                i + 1
            )),
        })
        .collect()
}

/// `track.lfo_design` (16 signed steps) and `track.lfo_interpolation` (the steps that glide
/// to the next), audio track part+5899 / +6027, MIDI track +6043 / +6171 (format doc §4.13).
fn register_design(e: &mut Engine) {
    fn grids(p: &mut Part, midi: bool) -> (&mut [[u8; 16]; 8], &mut [[u8; 2]; 8]) {
        if midi {
            (&mut p.midi_custom_lfos.0, &mut p.midi_lfo_interp.0)
        } else {
            (&mut p.audio_custom_lfos.0, &mut p.audio_lfo_interp.0)
        }
    }
    e.register_get("lfo_design", |t: &mut PartTrackH| -> Res<Array> {
        let midi = t.midi;
        t.with(|p, t| {
            let (d, _) = grids(p, midi);
            Ok(d[t]
                .iter()
                .map(|&b| Dynamic::from(b as i8 as INT))
                .collect())
        })
    });
    e.register_set("lfo_design", |t: &mut PartTrackH, a: Array| -> Res<()> {
        let v = int_list("lfo_design", &a, 16, -128, 127)?;
        let midi = t.midi;
        t.with(|p, t| {
            let (d, _) = grids(p, midi);
            for (b, n) in d[t].iter_mut().zip(&v) {
                *b = *n as i8 as u8;
            }
            Ok(())
        })
    });
    e.register_get("lfo_interpolation", |t: &mut PartTrackH| -> Res<Array> {
        let midi = t.midi;
        t.with(|p, t| {
            let (_, m) = grids(p, midi);
            let d = crate::format::lfo::LfoDesign::from_bytes([0; 16], m[t]);
            Ok((0..16)
                .filter(|&i| d.interpolates(i))
                .map(|i| Dynamic::from(i as INT + 1))
                .collect())
        })
    });
    e.register_set(
        "lfo_interpolation",
        |t: &mut PartTrackH, a: Array| -> Res<()> {
            let mut mask = 0u16;
            for v in &a {
                let n = v
                    .as_int()
                    .map_err(|_| format!("lfo_interpolation: {v} is not a step number 1..=16"))?;
                mask |= 1 << index("lfo_interpolation step", n, 16)?;
            }
            let midi = t.midi;
            t.with(|p, t| {
                let (_, m) = grids(p, midi);
                m[t] = mask.to_le_bytes();
                Ok(())
            })
        },
    );
}

fn setup_value(sp: &SetupParam, v: u8) -> Dynamic {
    let shown = sp.show(v);
    match shown.parse::<INT>() {
        Ok(n) if !shown.starts_with('+') => Dynamic::from(n),
        _ => Dynamic::from(shown),
    }
}

/// A MIDI track's part setup: NOTE setup (CHAN, BANK, PROG, SBANK), ARP setup (LEN, KEY),
/// the CC numbers of CC1..CC10 and the arp note sequence (format doc §4.10.4, §4.13).
fn register_midi_setup(e: &mut Engine) {
    // (property, byte of the NOTE setup, its parameter)
    for (name, byte, sp) in [
        ("channel", 0usize, setup::MIDI_NOTE_SETUP[0]),
        ("bank", 1, setup::MIDI_NOTE_SETUP[1]),
        ("program", 2, setup::MIDI_NOTE_SETUP[2]),
        ("sbank", 4, setup::MIDI_NOTE_SETUP[3]),
    ] {
        e.register_get(name, move |t: &mut PartTrackH| -> Res<Dynamic> {
            t.midi_only(name)?;
            t.with(|p, t| Ok(setup_value(&sp, p.midi_setups[t].note[byte])))
        });
        e.register_set(name, move |t: &mut PartTrackH, v: Dynamic| -> Res<()> {
            t.midi_only(name)?;
            let text = if v.is_unit() {
                "OFF".to_string()
            } else {
                value_text(&v)?
            };
            let b = sp.parse(&text).map_err(|e| e.to_string())?;
            t.with(|p, t| {
                p.midi_setups[t].note.0[byte] = b;
                Ok(())
            })
        });
    }
    for (name, byte, sp) in [
        ("arp_len", 2usize, setup::ARP_LEN),
        ("arp_key", 5, setup::ARP_KEY),
    ] {
        e.register_get(name, move |t: &mut PartTrackH| -> Res<Dynamic> {
            t.midi_only(name)?;
            t.with(|p, t| Ok(setup_value(&sp, p.midi_setups[t].arp[byte])))
        });
        e.register_set(name, move |t: &mut PartTrackH, v: Dynamic| -> Res<()> {
            t.midi_only(name)?;
            let b = sp.parse(&value_text(&v)?).map_err(|e| e.to_string())?;
            t.with(|p, t| {
                p.midi_setups[t].arp.0[byte] = b;
                Ok(())
            })
        });
    }
    e.register_fn("cc_number", |t: &mut PartTrackH, n: INT| -> Res<INT> {
        t.midi_only("cc_number")?;
        let i = index("CC", n, 10)?;
        t.with(|p, t| Ok(p.midi_setups[t].cc_numbers()[i] as INT))
    });
    e.register_fn(
        "cc_number",
        |t: &mut PartTrackH, n: INT, cc: INT| -> Res<()> {
            t.midi_only("cc_number")?;
            let i = index("CC", n, 10)?;
            if !(0..=127).contains(&cc) {
                return err(format!("CC{n} number {cc}: expected 0..=127"));
            }
            t.with(|p, t| {
                p.midi_setups[t]
                    .set_cc_number(i + 1, cc as u8)
                    .map_err(|e| e.to_string())
            })
        },
    );
    e.register_get("cc_numbers", |t: &mut PartTrackH| -> Res<Array> {
        t.midi_only("cc_numbers")?;
        t.with(|p, t| {
            Ok(p.midi_setups[t]
                .cc_numbers()
                .iter()
                .map(|&c| Dynamic::from(c as INT))
                .collect())
        })
    });
    e.register_set("cc_numbers", |t: &mut PartTrackH, a: Array| -> Res<()> {
        t.midi_only("cc_numbers")?;
        let v = int_list("cc_numbers", &a, 10, 0, 127)?;
        t.with(|p, t| {
            for (i, cc) in v.iter().enumerate() {
                p.midi_setups[t]
                    .set_cc_number(i + 1, *cc as u8)
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        })
    });
    e.register_get("arp_sequence", |t: &mut PartTrackH| -> Res<Array> {
        t.midi_only("arp_sequence")?;
        t.with(|p, t| {
            Ok(p.arp_sequences.0[t]
                .iter()
                .map(|&b| Dynamic::from(b as i8 as INT))
                .collect())
        })
    });
    e.register_set("arp_sequence", |t: &mut PartTrackH, a: Array| -> Res<()> {
        t.midi_only("arp_sequence")?;
        let v = int_list("arp_sequence", &a, 16, -63, 63)?;
        t.with(|p, t| {
            for (b, n) in p.arp_sequences.0[t].iter_mut().zip(&v) {
                *b = *n as i8 as u8;
            }
            Ok(())
        })
    });
}
