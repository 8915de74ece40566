//! The parts view: the working copy of the current part, per track, on three pages: audio
//! tracks (machine, slots, SRC/SETUP, AMP, LFO, FX1, FX2 with names by machine and FX type),
//! MIDI tracks (channel, bank, program, note defaults, arp, CC assignments and values) and
//! recorder setups. Edits set only that part's edited bit; save / reload part as on the device.

use super::action::{ActionDef, Input, act};
use super::edits;
use super::sheet::{self, Pos, Sheet};
use super::view::{CopyRequest, Ctx, Outcome, Side, View, ViewInfo};
use crate::format::MachineType;
use crate::format::bank::Part;
use crate::format::params::{self, FX_TYPES, MACHINE_NAMES, Page};
use crate::project::copy::{CopyOptions, Target};
use ratatui::Frame;
use ratatui::layout::Rect;

/// The page shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PartsPage {
    /// Audio tracks.
    #[default]
    Audio,
    /// MIDI tracks.
    Midi,
    /// Recorder setups of the audio tracks.
    Recorder,
}

/// One editable value of a track in a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Machine type.
    Machine,
    /// Static slot (0-based).
    StaticSlot,
    /// Flex slot (0-based; 128.. recorders).
    FlexSlot,
    /// FX1 type.
    Fx1Type,
    /// FX2 type.
    Fx2Type,
    /// Lock-record slot 0..30 of the part values (SRC, LFO, AMP, FX1, FX2).
    Value(usize),
    /// Machine SETUP value 0..6 of the current machine.
    Setup(usize),
    /// MIDI channel.
    MidiChannel,
    /// MIDI bank (128 = off).
    MidiBank,
    /// MIDI program (128 = off).
    MidiProgram,
    /// MIDI sub bank (128 = off).
    MidiSbank,
    /// MIDI page value 0..30 (NOTE, LFO, ARP, CTRL1, CTRL2).
    MidiValue(usize),
    /// Arp length.
    ArpLen,
    /// Arp key.
    ArpKey,
    /// CC number assignment 1..=10.
    CcNumber(usize),
    /// Recorder setup byte 0..12.
    Recorder(usize),
}

const SETUP_NAMES: [&str; 6] = ["LOOP", "SLIC", "LEN", "RATE", "TSTR", "TSNS"];
const RECORDER_NAMES: [&str; 12] = [
    "INAB", "INCD", "RLEN", "TRIG", "SRC3", "LOOP", "FIN", "FOUT", "AB GAIN", "QREC", "QPL",
    "CD GAIN",
];
const REC_TRIG: &[&str] = &["ONE", "ONE2", "HOLD"];

fn quant(v: u8) -> String {
    match v {
        255 => "OFF".into(),
        0 => "PLEN".into(),
        n => n.to_string(),
    }
}

impl Field {
    /// The rows of a page.
    pub fn rows(page: PartsPage) -> Vec<Field> {
        match page {
            PartsPage::Audio => {
                let mut v = vec![
                    Field::Machine,
                    Field::StaticSlot,
                    Field::FlexSlot,
                    Field::Fx1Type,
                    Field::Fx2Type,
                ];
                v.extend((0..6).map(Field::Value));
                v.extend((0..6).map(Field::Setup));
                v.extend((12..18).map(Field::Value));
                v.extend((6..12).map(Field::Value));
                v.extend((18..30).map(Field::Value));
                v
            }
            PartsPage::Midi => {
                let mut v = vec![
                    Field::MidiChannel,
                    Field::MidiBank,
                    Field::MidiProgram,
                    Field::MidiSbank,
                ];
                v.extend((0..6).map(Field::MidiValue));
                v.extend((12..18).map(Field::MidiValue));
                v.extend([Field::ArpLen, Field::ArpKey]);
                v.extend((6..12).map(Field::MidiValue));
                v.extend((18..30).map(Field::MidiValue));
                v.extend((1..=10).map(Field::CcNumber));
                v
            }
            PartsPage::Recorder => (0..12).map(Field::Recorder).collect(),
        }
    }

    /// Row label.
    pub fn label(self) -> String {
        match self {
            Field::Machine => "MACHINE".into(),
            Field::StaticSlot => "STATIC SLOT".into(),
            Field::FlexSlot => "FLEX SLOT".into(),
            Field::Fx1Type => "FX1 TYPE".into(),
            Field::Fx2Type => "FX2 TYPE".into(),
            Field::Value(i) => {
                let page = match i {
                    0..=5 => "SRC",
                    6..=11 => "LFO",
                    12..=17 => "AMP",
                    18..=23 => "FX1",
                    _ => "FX2",
                };
                format!("{page} {}", i % 6 + 1)
            }
            Field::Setup(i) => format!("SETUP {}", i + 1),
            Field::MidiChannel => "CHAN".into(),
            Field::MidiBank => "BANK".into(),
            Field::MidiProgram => "PROG".into(),
            Field::MidiSbank => "SBANK".into(),
            Field::MidiValue(i) => params::midi_param(i)
                .map_or("?".into(), |p| format!("{} {}", p.page.name(), p.name)),
            Field::ArpLen => "ARP LEN".into(),
            Field::ArpKey => "ARP KEY".into(),
            Field::CcNumber(n) => format!("CC{n} NUMBER"),
            Field::Recorder(i) => RECORDER_NAMES[i].into(),
        }
    }

    /// The stored value on track `t` (None: not applicable to the track's machine).
    pub fn get(self, p: &Part, t: usize) -> Option<u8> {
        let ms = &p.midi_setups[t];
        Some(match self {
            Field::Machine => p.machine_types[t],
            Field::StaticSlot => p.slots[t].static_slot,
            Field::FlexSlot => p.slots[t].flex_slot,
            Field::Fx1Type => p.fx1_types[t],
            Field::Fx2Type => p.fx2_types[t],
            Field::Value(i) => p.track_value(t, i)?,
            Field::Setup(i) => p.machine_setups[t].for_machine(p.machine_type(t))?[i],
            Field::MidiChannel => ms.note[0],
            Field::MidiBank => ms.note[1],
            Field::MidiProgram => ms.note[2],
            Field::MidiSbank => ms.note[4],
            Field::MidiValue(i) => p.midi_values[t].get(i)?,
            Field::ArpLen => ms.arp[2],
            Field::ArpKey => ms.arp[5],
            Field::CcNumber(n) => ms.cc_numbers()[n - 1],
            Field::Recorder(i) => recorder_bytes(p, t)[i],
        })
    }

    /// Smallest and largest value accepted.
    pub fn range(self) -> (u8, u8) {
        match self {
            Field::Machine => (0, 4),
            Field::StaticSlot => (0, 127),
            Field::FlexSlot => (0, 135),
            Field::Fx1Type | Field::Fx2Type => (0, 255),
            Field::MidiChannel => (0, 15),
            Field::MidiBank | Field::MidiProgram | Field::MidiSbank => (0, 128),
            Field::ArpLen => (0, 15),
            Field::ArpKey => (0, 24),
            Field::Recorder(0 | 1) => (0, 3),
            Field::Recorder(2) => (1, 64),
            Field::Recorder(3) => (0, 2),
            Field::Recorder(4) => (0, 9),
            Field::Recorder(5) => (0, 1),
            Field::Recorder(9 | 10) => (0, 255),
            _ => (0, 127),
        }
    }

    /// Writes a value (the caller checked the range).
    pub fn set(self, p: &mut Part, t: usize, v: u8) -> Result<(), crate::format::FormatError> {
        let m = p.machine_type(t);
        match self {
            Field::Machine => p.set_machine_type(t, MachineType::from_code(v))?,
            Field::StaticSlot => p.slots[t].static_slot = v,
            Field::FlexSlot => p.slots[t].flex_slot = v,
            Field::Fx1Type => p.fx1_types[t] = v,
            Field::Fx2Type => p.fx2_types[t] = v,
            Field::Value(i) => p.set_track_value(t, i, v)?,
            Field::Setup(i) => {
                if let Some(g) = p.machine_setups[t].for_machine_mut(m) {
                    g[i] = v;
                }
            }
            Field::MidiChannel => p.midi_setups[t].note[0] = v,
            Field::MidiBank => p.midi_setups[t].note[1] = v,
            Field::MidiProgram => p.midi_setups[t].note[2] = v,
            Field::MidiSbank => p.midi_setups[t].note[4] = v,
            Field::MidiValue(i) => p.midi_values[t].set(i, v)?,
            Field::ArpLen => p.midi_setups[t].arp[2] = v,
            Field::ArpKey => p.midi_setups[t].arp[5] = v,
            Field::CcNumber(n) => p.midi_setups[t].set_cc_number(n - 1, v)?,
            Field::Recorder(i) => {
                let r = &mut p.recorder_setups[t];
                let cell = [
                    &mut r.inab,
                    &mut r.incd,
                    &mut r.rlen,
                    &mut r.trig,
                    &mut r.src3,
                    &mut r.loop_,
                    &mut r.fin,
                    &mut r.fout,
                    &mut r.ab_gain,
                    &mut r.qrec,
                    &mut r.qpl,
                    &mut r.cd_gain,
                ];
                if let Some(c) = cell.into_iter().nth(i) {
                    *c = v;
                }
            }
        }
        Ok(())
    }

    /// The value as the device shows it, with the parameter's own name where it has one
    /// (empty where the field does not apply to the track's machine or FX).
    pub fn show(self, p: &Part, t: usize) -> String {
        let Some(v) = self.get(p, t) else {
            return String::new();
        };
        let m = p.machine_type(t);
        let name = match self {
            Field::Value(i) => match params::audio_param(m, p.fx1_type(t), p.fx2_type(t), i) {
                Some(info) => Some(info.name),
                None => return String::new(),
            },
            Field::Setup(i) => match m {
                MachineType::Static | MachineType::Flex => Some(SETUP_NAMES[i]),
                MachineType::Pickup if i >= 4 => Some(SETUP_NAMES[i]),
                _ => return String::new(),
            },
            _ => None,
        };
        let shown = self.show_value(p, t, v);
        match name {
            Some(n) => format!("{n} {shown}"),
            None => shown,
        }
    }

    /// The parameter metadata of a page value on track `t` (`None` for other fields).
    fn param(self, p: &Part, t: usize) -> Option<params::ParamInfo> {
        match self {
            Field::Value(i) => {
                params::audio_param(p.machine_type(t), p.fx1_type(t), p.fx2_type(t), i)
            }
            Field::MidiValue(i) => params::midi_param(i),
            _ => None,
        }
    }

    /// The field's name on track `t`: `PAGE NAME` for page values (`AMP VOL`), else the row label.
    pub fn title(self, p: &Part, t: usize) -> String {
        self.param(p, t).map_or_else(|| self.label(), |i| i.label())
    }

    /// Stored value `v` as the device shows it, without the parameter name.
    pub fn show_value(self, p: &Part, t: usize, v: u8) -> String {
        if let Some(info) = self.param(p, t) {
            return info.show(v);
        }
        match self {
            Field::Machine => MACHINE_NAMES
                .get(v as usize)
                .map_or(format!("?{v}"), |s| s.to_string()),
            Field::StaticSlot | Field::FlexSlot => params::ValueDisplay::Slot.show(v),
            Field::Fx1Type | Field::Fx2Type => params::fx_name(v).to_string(),
            Field::MidiChannel => (v as u16 + 1).to_string(),
            Field::MidiBank | Field::MidiProgram | Field::MidiSbank => params::midi_select_text(v),
            Field::ArpKey if v == 0 => "OFF".into(),
            Field::Recorder(0) => params::ValueDisplay::Choice(params::REC_INPUTS_AB).show(v),
            Field::Recorder(1) => params::ValueDisplay::Choice(params::REC_INPUTS_CD).show(v),
            Field::Recorder(2) if v >= 64 => "MAX".into(),
            Field::Recorder(3) => params::ValueDisplay::Choice(REC_TRIG).show(v),
            Field::Recorder(4) => match v {
                0 => "OFF".into(),
                9 => "MAIN".into(),
                n => format!("T{n}"),
            },
            Field::Recorder(9 | 10) => quant(v),
            _ => v.to_string(),
        }
    }

    /// The forms a typed value may take on track `t`, e.g. `-64..+63 (or a stored value #0..#127)`.
    pub fn expected(self, p: &Part, t: usize) -> String {
        let (lo, hi) = self.range();
        let shown = match self.param(p, t) {
            Some(info) => info.display.range_text(),
            None if hi - lo < 8 => (lo..=hi)
                .map(|v| self.show_value(p, t, v))
                .collect::<Vec<_>>()
                .join(", "),
            None => format!(
                "{}..{}",
                self.show_value(p, t, lo),
                self.show_value(p, t, hi)
            ),
        };
        format!("{shown} (or a stored value #{lo}..#{hi})")
    }

    /// A typed value on track `t` as the stored value: the displayed form (as [`Field::show_value`]
    /// shows it, case-insensitive) or a stored number in [`Field::range`] (`#N` forces a stored
    /// number). The error names the field and the accepted forms.
    pub fn parse(self, p: &Part, t: usize, text: &str) -> Result<u8, String> {
        let (lo, hi) = self.range();
        let label = self.label();
        if let Some(info) = self.param(p, t) {
            let what = info.label();
            return match info.display.parse(&what, text) {
                Ok(v) if (lo..=hi).contains(&v) => Ok(v),
                Ok(v) => Err(format!("{what}: {v} is outside {lo}..={hi}")),
                Err(e) => Err(e.to_string()),
            };
        }
        let typed = text.trim();
        let stored = |s: &str| {
            s.trim()
                .parse::<u8>()
                .ok()
                .filter(|v| (lo..=hi).contains(v))
        };
        let v = match typed.strip_prefix('#') {
            Some(raw) => stored(raw),
            None => (lo..=hi)
                .find(|&v| {
                    let shown = self.show_value(p, t, v);
                    !shown.starts_with('?') && shown.eq_ignore_ascii_case(typed)
                })
                .or_else(|| stored(typed)),
        };
        v.ok_or_else(|| format!("{label} takes {}, got {typed:?}", self.expected(p, t)))
    }

    /// The next value for +1 / -1 steps (FX types step through the types the slot allows).
    pub fn stepped(self, p: &Part, t: usize, delta: i64) -> Option<u8> {
        let v = self.get(p, t)?;
        if let Field::Fx1Type | Field::Fx2Type = self {
            let allowed: Vec<u8> = FX_TYPES
                .iter()
                .filter(|f| if self == Field::Fx1Type { f.fx1 } else { f.fx2 })
                .map(|f| f.code)
                .collect();
            let i = allowed.iter().position(|&c| c == v).unwrap_or(0) as i64;
            let n = allowed.len() as i64;
            return allowed
                .get((i + delta.signum()).rem_euclid(n) as usize)
                .copied();
        }
        let (lo, hi) = self.range();
        Some((v as i64 + delta).clamp(lo as i64, hi as i64) as u8)
    }
}

fn recorder_bytes(p: &Part, t: usize) -> [u8; 12] {
    let r = &p.recorder_setups[t];
    [
        r.inab, r.incd, r.rlen, r.trig, r.src3, r.loop_, r.fin, r.fout, r.ab_gain, r.qrec, r.qpl,
        r.cd_gain,
    ]
}

const ACTIONS: &[ActionDef] = &[
    act("parts.up", "Previous parameter", &["up"]),
    act("parts.down", "Next parameter", &["down"]),
    act("parts.left", "Previous track", &["left"]),
    act("parts.right", "Next track", &["right"]),
    act("parts.page_up", "Up 8 parameters", &["pageup"]),
    act("parts.page_down", "Down 8 parameters", &["pagedown"]),
    act("parts.inc", "Increase the value", &["+", "="]),
    act("parts.dec", "Decrease the value", &["-"]),
    act(
        "parts.inc_big",
        "Increase the value by 8",
        &["shift+right", "]"],
    ),
    act(
        "parts.dec_big",
        "Decrease the value by 8",
        &["shift+left", "["],
    ),
    act("parts.enter", "Type a value", &["enter"]),
    act("parts.page", "Next page: audio / MIDI / recorder", &["tab"]),
    act(
        "parts.save_part",
        "Save part (working copy to saved copy)",
        &["ctrl+alt+w"],
    ),
    act("parts.copy_part", "Copy this part", &["c"]),
    act(
        "parts.copy_track",
        "Copy this track's settings in the part",
        &["C"],
    ),
    act(
        "parts.paste",
        "Paste the copied part or track settings here",
        &["v"],
    ),
    act(
        "parts.reload_part",
        "Reload part (saved copy back)",
        &["ctrl+alt+r"],
    ),
];

/// The parts view.
#[derive(Debug, Default)]
pub struct PartsView {
    /// Page shown.
    pub page: PartsPage,
    pos: Pos,
    source: Option<Target>,
}

impl PartsView {
    /// A view on the audio page.
    pub fn new() -> Self {
        Self::default()
    }

    fn field(&self) -> Field {
        let rows = Field::rows(self.page);
        rows[self.pos.row.min(rows.len() - 1)]
    }

    fn set_value(&mut self, ctx: &mut Ctx, v: i64) -> Outcome {
        let f = self.field();
        let (lo, hi) = f.range();
        if !(lo as i64..=hi as i64).contains(&v) {
            return Outcome::Error(format!("{}: {v} is outside {lo}..={hi}", f.label()));
        }
        let (bank, part, t) = (ctx.nav.bank, ctx.nav.part, self.pos.col);
        let label = format!("part {} T{} {}", part + 1, t + 1, f.label());
        edits::edit_part(ctx, bank, part, &label, |p| {
            if f.get(p, t).is_none() {
                return Ok(());
            }
            f.set(p, t, v as u8)
        })
    }

    /// The copy target under the cursor, like `src` (a part, or a track's settings).
    fn target_like(&self, ctx: &Ctx, src: Option<Target>) -> Target {
        let bank = ctx.nav.bank;
        match src {
            Some(Target::Track { .. }) => Target::Track {
                bank,
                pattern: ctx.nav.pattern,
                track: self.pos.col + if self.page == PartsPage::Midi { 8 } else { 0 },
            },
            _ => Target::Part {
                bank,
                part: ctx.nav.part,
            },
        }
    }

    fn step(&mut self, ctx: &mut Ctx, delta: i64) -> Outcome {
        let f = self.field();
        let t = self.pos.col;
        let Some(v) = ctx
            .doc
            .bank(ctx.nav.bank)
            .and_then(|b| b.part(ctx.nav.part))
            .and_then(|p| f.stepped(p, t, delta))
        else {
            return Outcome::Message(format!("{} does not apply to this track", f.label()));
        };
        self.set_value(ctx, v as i64)
    }

    /// The table for the current part.
    pub fn sheet(&self, ctx: &Ctx) -> Sheet {
        let (b, pi) = (ctx.nav.bank, ctx.nav.part);
        let mut s = Sheet {
            label_width: 12,
            cell_width: 11,
            ..Default::default()
        };
        let Some(bank) = ctx.doc.bank(b) else {
            return s;
        };
        let Some(part) = bank.part(pi) else {
            return s;
        };
        let name = bank.part_name(pi).map(|n| n.name()).unwrap_or_default();
        let page = match self.page {
            PartsPage::Audio => "AUDIO TRACKS",
            PartsPage::Midi => "MIDI TRACKS",
            PartsPage::Recorder => "RECORDER SETUP",
        };
        s.top.push(format!(
            "Bank {} part {} {:?}{} - {page}",
            crate::format::bank_letter(b),
            pi + 1,
            name,
            if bank.is_part_edited(pi) {
                " (edited)"
            } else {
                ""
            }
        ));
        let midi = self.page == PartsPage::Midi;
        s.columns = (1..=8)
            .map(|t| {
                if midi {
                    format!("M{t}")
                } else {
                    format!("T{t}")
                }
            })
            .collect();
        for f in Field::rows(self.page) {
            s.rows
                .push((f.label(), (0..8).map(|t| f.show(part, t)).collect()));
        }
        let f = self.field();
        let t = self.pos.col;
        if let Field::Value(i) = f {
            let m = part.machine_type(t);
            if let Some(info) = params::audio_param(m, part.fx1_type(t), part.fx2_type(t), i) {
                let page = match info.page {
                    Page::Fx1 => format!("FX1 {}", params::fx_name(part.fx1_type(t))),
                    Page::Fx2 => format!("FX2 {}", params::fx_name(part.fx2_type(t))),
                    p => p.name().to_string(),
                };
                s.bottom.push(format!(
                    "T{} {} {page} {}: stored {}{}",
                    t + 1,
                    m.name(),
                    info.name,
                    part.track_value(t, i).unwrap_or(0),
                    info.cc.map_or(String::new(), |c| format!(", CC {c}"))
                ));
            }
        }
        if let Some(saved) = bank.saved_part(pi)
            && f.get(saved, t) != f.get(part, t)
        {
            s.bottom.push(format!("saved copy: {}", f.show(saved, t)));
        }
        s
    }
}

const INFO: ViewInfo = ViewInfo {
    id: "parts",
    switch: act(
        "view.parts",
        "Show the parts (machines, pages, MIDI, recorders)",
        &["F3"],
    ),
};

impl View for PartsView {
    fn info(&self) -> ViewInfo {
        INFO
    }
    fn title(&self, ctx: &Ctx) -> String {
        format!(
            "Parts {}{}",
            crate::format::bank_letter(ctx.nav.bank),
            ctx.nav.part + 1
        )
    }
    fn actions(&self) -> &'static [ActionDef] {
        ACTIONS
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = self.sheet(ctx);
        self.pos.clamp(s.rows.len(), 8);
        sheet::render(frame, area, ctx, &s, &mut self.pos);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let n = Field::rows(self.page).len();
        match input {
            Input::Action(a) => match a {
                "parts.up" => self.pos.step(-1, 0, n, 8),
                "parts.down" => self.pos.step(1, 0, n, 8),
                "parts.left" => self.pos.step(0, -1, n, 8),
                "parts.right" => self.pos.step(0, 1, n, 8),
                "parts.page_up" => self.pos.step(-8, 0, n, 8),
                "parts.page_down" => self.pos.step(8, 0, n, 8),
                "parts.inc" => return self.step(ctx, 1),
                "parts.dec" => return self.step(ctx, -1),
                "parts.inc_big" => return self.step(ctx, 8),
                "parts.dec_big" => return self.step(ctx, -8),
                "parts.page" => {
                    self.page = match self.page {
                        PartsPage::Audio => PartsPage::Midi,
                        PartsPage::Midi => PartsPage::Recorder,
                        PartsPage::Recorder => PartsPage::Audio,
                    };
                    self.pos = Pos::default();
                }
                "parts.enter" => {
                    let f = self.field();
                    let t = self.pos.col;
                    let Some(part) = ctx
                        .doc
                        .bank(ctx.nav.bank)
                        .and_then(|b| b.part(ctx.nav.part))
                    else {
                        return Outcome::Handled;
                    };
                    if f.get(part, t).is_none() {
                        return Outcome::Message(format!(
                            "{} does not apply to this track",
                            f.label()
                        ));
                    }
                    return Outcome::Prompt {
                        title: format!("T{} {}: {}", t + 1, f.title(part, t), f.expected(part, t)),
                        tag: "parts.value",
                        initial: String::new(),
                    };
                }
                "parts.copy_part" | "parts.copy_track" => {
                    let src = if a == "parts.copy_part" {
                        None
                    } else {
                        Some(Target::Track {
                            bank: 0,
                            pattern: 0,
                            track: 0,
                        })
                    };
                    let t = self.target_like(ctx, src);
                    self.source = Some(t);
                    return Outcome::Message(format!("copied {t}"));
                }
                "parts.paste" => {
                    let Some(src) = self.source else {
                        return Outcome::Message("copy a part (c) or a track (C) first".into());
                    };
                    // The app shows the plan's summary and applies it once confirmed.
                    return Outcome::Copy(CopyRequest {
                        from: src,
                        src: Side::Main,
                        to: self.target_like(ctx, Some(src)),
                        dst: Side::Main,
                        opts: CopyOptions {
                            with_part: true,
                            trigs: false,
                            ..Default::default()
                        },
                    });
                }
                "parts.save_part" | "parts.reload_part" => {
                    let (b, p) = (ctx.nav.bank, ctx.nav.part);
                    let save = a == "parts.save_part";
                    let label = format!("{} part {}", if save { "save" } else { "reload" }, p + 1);
                    let out = edits::edit_bank(ctx, b, &label, |bank| {
                        if save {
                            bank.save_part(p)
                        } else {
                            bank.reload_part(p)
                        }
                        .map_err(|e| e.to_string())
                    });
                    return match out {
                        Outcome::Handled => Outcome::Message(format!("{label}: done")),
                        o => o,
                    };
                }
                _ => return Outcome::Ignored,
            },
            Input::Answer("parts.value", text) => {
                let (f, t) = (self.field(), self.pos.col);
                let Some(part) = ctx
                    .doc
                    .bank(ctx.nav.bank)
                    .and_then(|b| b.part(ctx.nav.part))
                else {
                    return Outcome::Handled;
                };
                let v = match f.parse(part, t, &text) {
                    Ok(v) => v,
                    Err(e) => return Outcome::Error(e),
                };
                let (shown, title) = (f.show_value(part, t, v), f.title(part, t));
                return match self.set_value(ctx, v as i64) {
                    Outcome::Handled => {
                        Outcome::Message(format!("T{} {title} = {shown} (stored {v})", t + 1))
                    }
                    o => o,
                };
            }
            Input::Scroll(d) => self.pos.step(d as i64, 0, n, 8),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec!["parts.inc", "parts.dec", "parts.enter", "parts.page"]
    }
}
