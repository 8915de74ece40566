//! The parts view: the working copy of the current part, per track, on three pages: audio
//! tracks (machine, slots, SRC/SETUP, AMP, LFO, FX1, FX2 with names by machine and FX type),
//! MIDI tracks (channel, bank, program, note defaults, arp, CC assignments and values) and
//! recorder setups. Edits set only that part's edited bit; save / reload part as on the device.

use crate::format::MachineType;
use crate::format::bank::Part;
use crate::format::params::{self, FX_TYPES, MACHINE_NAMES, Page, ValueError};
use crate::format::setup::{self, SetupParam};
use crate::project::copy::{CopyOptions, Target};
use crate::ui::action::{ActionDef, Input, act};
use crate::ui::command::NavCmd;
use crate::ui::edits;
use crate::ui::sheet::{self, Pos, Sheet};
use crate::ui::view::{CopyRequest, Ctx, Outcome, Side, View, ViewInfo};
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
    /// LFO, AMP, FX1 and FX2 setup pages of the audio tracks.
    Setup,
    /// The custom LFO designer (T1-T8, M1-M8).
    Designer,
    /// The MIDI arp note sequences.
    Arp,
}

impl PartsPage {
    /// The next page (Tab).
    pub fn next(self) -> Self {
        match self {
            Self::Audio => Self::Midi,
            Self::Midi => Self::Recorder,
            Self::Recorder => Self::Setup,
            Self::Setup => Self::Designer,
            Self::Designer => Self::Arp,
            Self::Arp => Self::Audio,
        }
    }

    /// The page's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Audio => "AUDIO TRACKS",
            Self::Midi => "MIDI TRACKS",
            Self::Recorder => "RECORDER SETUP",
            Self::Setup => "LFO / AMP / FX SETUP",
            Self::Designer => "LFO DESIGNER",
            Self::Arp => "ARP SEQUENCE",
        }
    }

    /// Number of track columns: 16 on the designer (T1-T8, M1-M8), else 8.
    pub fn tracks(self) -> usize {
        if self == Self::Designer { 16 } else { 8 }
    }

    /// The name of track column `t` (`T3`, `M3`).
    pub fn track_name(self, t: usize) -> String {
        match self {
            Self::Midi | Self::Arp => format!("M{}", t + 1),
            _ if t >= 8 => format!("M{}", t - 7),
            _ => format!("T{}", t + 1),
        }
    }
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
    /// LFO setup byte 0..12 of an audio track (PMTR1-3, WAVE1-3, MULT1-3, TRIG1-3).
    LfoSetup(usize),
    /// AMP setup byte 0..5.
    AmpSetup(usize),
    /// FX1 setup byte 0..6.
    Fx1Setup(usize),
    /// FX2 setup byte 0..6.
    Fx2Setup(usize),
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
    /// LFO setup byte 0..12 of a MIDI track.
    MidiLfoSetup(usize),
    /// Arp length.
    ArpLen,
    /// Arp key.
    ArpKey,
    /// Step 0..16 of a MIDI track's arp note sequence.
    ArpNote(usize),
    /// CC number assignment 1..=10.
    CcNumber(usize),
    /// Recorder setup byte 0..12.
    Recorder(usize),
    /// Step 0..16 of a custom LFO design: columns 0..8 audio tracks, 8..16 MIDI tracks.
    LfoStep(usize),
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
                v.extend((0..12).map(Field::MidiLfoSetup));
                v
            }
            PartsPage::Recorder => (0..12).map(Field::Recorder).collect(),
            PartsPage::Setup => {
                let mut v: Vec<Field> = (0..12).map(Field::LfoSetup).collect();
                v.extend((0..5).map(Field::AmpSetup));
                v.extend((0..6).map(Field::Fx1Setup));
                v.extend((0..6).map(Field::Fx2Setup));
                v
            }
            PartsPage::Designer => (0..16).map(Field::LfoStep).collect(),
            PartsPage::Arp => {
                let mut v = vec![Field::ArpLen];
                v.extend((0..16).map(Field::ArpNote));
                v
            }
        }
    }

    /// The setup value's name and display (from [`crate::format::setup`]) on track `t`;
    /// `None` for lock-record values and the machine / slot / FX type fields.
    pub fn setup_param(self, p: &Part, t: usize) -> Option<SetupParam> {
        let (m, fx1, fx2) = (p.machine_type(t), p.fx1_type(t), p.fx2_type(t));
        match self {
            Field::Setup(i) => setup::machine_setup(m, i),
            Field::LfoSetup(i) => setup::audio_lfo_setup(m, fx1, fx2, i),
            f => f.setup_fixed(),
        }
    }

    /// The setup value of fields whose display does not depend on the track (for machine SETUP
    /// and LFO setup: as on a Flex track with the default FX, which has the same names and ranges).
    fn setup_fixed(self) -> Option<SetupParam> {
        match self {
            Field::Setup(i) => setup::machine_setup(MachineType::Flex, i),
            Field::LfoSetup(i) => setup::audio_lfo_setup(MachineType::Flex, 4, 8, i),
            Field::AmpSetup(i) => setup::AMP_SETUP.get(i).copied(),
            Field::Fx1Setup(i) | Field::Fx2Setup(i) => setup::fx_setup(i),
            Field::MidiChannel => Some(setup::MIDI_NOTE_SETUP[0]),
            Field::MidiBank => Some(setup::MIDI_NOTE_SETUP[1]),
            Field::MidiProgram => Some(setup::MIDI_NOTE_SETUP[2]),
            Field::MidiSbank => Some(setup::MIDI_NOTE_SETUP[3]),
            Field::MidiLfoSetup(i) => setup::midi_lfo_setup(i),
            Field::ArpLen => Some(setup::ARP_LEN),
            Field::ArpKey => Some(setup::ARP_KEY),
            Field::ArpNote(_) => Some(setup::ARP_NOTE),
            Field::CcNumber(_) => Some(setup::CC_NUMBER),
            Field::Recorder(i) => setup::RECORDER_SETUP.get(i).copied(),
            Field::LfoStep(_) => Some(setup::LFO_STEP),
            _ => None,
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
            Field::Value(i) => format!("{} {}", params::audio_slot_page(i).name(), i % 6 + 1),
            Field::Setup(i) => setup::machine_setup(MachineType::Flex, i).map_or_else(
                || format!("SETUP {}", i + 1),
                |s| format!("SETUP {}", s.name),
            ),
            Field::LfoSetup(i) | Field::MidiLfoSetup(i) => setup::LFO_SETUP_NAMES
                .get(i)
                .map_or("?".into(), |n| n.to_string()),
            Field::AmpSetup(i) => setup::AMP_SETUP
                .get(i)
                .map_or("?".into(), |s| format!("AMP {}", s.name)),
            Field::Fx1Setup(i) => format!("FX1 SETUP {}", i + 1),
            Field::Fx2Setup(i) => format!("FX2 SETUP {}", i + 1),
            Field::MidiValue(i) => params::midi_param(i)
                .map_or("?".into(), |p| format!("{} {}", p.page.name(), p.name)),
            Field::ArpNote(i) => format!("ARP NOTE {}", i + 1),
            Field::CcNumber(n) => format!("CC{n} NUMBER"),
            Field::LfoStep(i) => format!("STEP {}", i + 1),
            f => {
                // Setup values named in the table (CHAN, ARP LEN, recorder INAB, ...).
                let blank = Part::blank(0);
                f.setup_param(&blank, 0)
                    .map_or("?".into(), |s| s.name.to_string())
            }
        }
    }

    /// The stored value on track `t` (None: not applicable to the track's machine).
    pub fn get(self, p: &Part, t: usize) -> Option<u8> {
        let ms = p.midi_setups.get(t.min(7))?;
        let ts = p.track_setups.get(t.min(7))?;
        Some(match self {
            Field::Machine => p.machine_types[t],
            Field::StaticSlot => p.slots[t].static_slot,
            Field::FlexSlot => p.slots[t].flex_slot,
            Field::Fx1Type => p.fx1_types[t],
            Field::Fx2Type => p.fx2_types[t],
            Field::Value(i) => p.track_value(t, i)?,
            Field::Setup(i) => {
                setup::machine_setup(p.machine_type(t), i)?;
                p.machine_setups[t].for_machine(p.machine_type(t))?[i]
            }
            Field::LfoSetup(i) => lfo_setup_bytes(&ts.lfo_a.0, &ts.lfo_b.0, i)?,
            Field::AmpSetup(i) => *ts.amp.0.get(i.min(4))?,
            Field::Fx1Setup(i) => *ts.fx1.0.get(i)?,
            Field::Fx2Setup(i) => *ts.fx2.0.get(i)?,
            Field::MidiChannel => ms.note[0],
            Field::MidiBank => ms.note[1],
            Field::MidiProgram => ms.note[2],
            Field::MidiSbank => ms.note[4],
            Field::MidiValue(i) => p.midi_values[t].get(i)?,
            Field::MidiLfoSetup(i) => lfo_setup_bytes(&ms.lfo_a.0, &ms.lfo_b.0, i)?,
            Field::ArpLen => ms.arp[2],
            Field::ArpKey => ms.arp[5],
            Field::ArpNote(i) => *p.arp_sequences.0.get(t)?.get(i)?,
            Field::CcNumber(n) => ms.cc_numbers()[n - 1],
            Field::Recorder(i) => recorder_bytes(p, t)[i],
            Field::LfoStep(i) => *custom_lfo(p, t)?.get(i)?,
        })
    }

    /// Smallest and largest value accepted.
    pub fn range(self) -> (u8, u8) {
        match self {
            Field::Machine => (0, 4),
            Field::StaticSlot => (0, 127),
            Field::FlexSlot => (0, 135),
            Field::Fx1Type | Field::Fx2Type => (0, 255),
            f => match f.setup_fixed() {
                Some(s) if s.accepts(255) => (0, 255),
                Some(s) => (0, s.max),
                None => (0, 127),
            },
        }
    }

    /// Whether `v` may be stored in this field on track `t`.
    pub fn accepts(self, p: &Part, t: usize, v: u8) -> bool {
        match self.setup_param(p, t) {
            Some(s) => s.accepts(v),
            None => {
                let (lo, hi) = self.range();
                (lo..=hi).contains(&v)
            }
        }
    }

    /// Writes a value (the caller checked the range).
    pub fn set(self, p: &mut Part, t: usize, v: u8) -> Result<(), crate::format::FormatError> {
        let m = p.machine_type(t);
        let tt = t.min(7);
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
            Field::LfoSetup(i) => {
                let ts = &mut p.track_setups[tt];
                set_lfo_setup(&mut ts.lfo_a.0, &mut ts.lfo_b.0, i, v)
            }
            Field::AmpSetup(i) => p.track_setups[tt].amp.0[i.min(4)] = v,
            Field::Fx1Setup(i) => p.track_setups[tt].fx1.0[i.min(5)] = v,
            Field::Fx2Setup(i) => p.track_setups[tt].fx2.0[i.min(5)] = v,
            Field::MidiChannel => p.midi_setups[t].note[0] = v,
            Field::MidiBank => p.midi_setups[t].note[1] = v,
            Field::MidiProgram => p.midi_setups[t].note[2] = v,
            Field::MidiSbank => p.midi_setups[t].note[4] = v,
            Field::MidiValue(i) => p.midi_values[t].set(i, v)?,
            Field::MidiLfoSetup(i) => {
                let ms = &mut p.midi_setups[t];
                set_lfo_setup(&mut ms.lfo_a.0, &mut ms.lfo_b.0, i, v)
            }
            Field::ArpLen => p.midi_setups[t].arp[2] = v,
            Field::ArpKey => p.midi_setups[t].arp[5] = v,
            Field::ArpNote(i) => p.arp_sequences.0[t.min(7)][i.min(15)] = v,
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
            Field::LfoStep(i) => {
                let design = match t {
                    0..8 => &mut p.audio_custom_lfos.0[t],
                    _ => &mut p.midi_custom_lfos.0[(t - 8).min(7)],
                };
                design[i.min(15)] = v;
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
        if let Some(s) = self.setup_param(p, t) {
            return s.show(v);
        }
        match self {
            // Codes without a name show as stored (`#7`), which reads back.
            Field::Machine => MACHINE_NAMES
                .get(v as usize)
                .map_or(format!("#{v}"), |s| s.to_string()),
            Field::StaticSlot | Field::FlexSlot => params::ValueDisplay::Slot.show(v),
            Field::Fx1Type | Field::Fx2Type => {
                params::fx_type(v).map_or(format!("#{v}"), |f| f.name.to_string())
            }
            _ => v.to_string(),
        }
    }

    /// The forms a typed value may take on track `t`, e.g. `-64..+63 (or a stored value #0..#127)`.
    pub fn expected(self, p: &Part, t: usize) -> String {
        if let Some(s) = self.setup_param(p, t) {
            return s.expected();
        }
        let (lo, hi) = self.range();
        let shown = match self.param(p, t) {
            Some(info) => info.display.range_text(),
            None if matches!(self, Field::Fx1Type | Field::Fx2Type) => FX_TYPES
                .iter()
                .filter(|f| if self == Field::Fx1Type { f.fx1 } else { f.fx2 })
                .map(|f| f.name)
                .collect::<Vec<_>>()
                .join(", "),
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

    /// A typed value on track `t` as the stored value, in the value language of
    /// [`crate::edit::value`]: the displayed form (as [`Field::show_value`] shows it,
    /// case-insensitive), or `#N` for a stored number in [`Field::range`]. The error names the
    /// field and the accepted forms.
    pub fn parse(self, p: &Part, t: usize, text: &str) -> Result<u8, String> {
        let (lo, hi) = self.range();
        let label = self.label();
        if let Some(info) = self.param(p, t) {
            let what = info.label();
            return match crate::edit::value::Unit::Display(info.display).parse(&what, text) {
                Ok(v) if (lo..=hi).contains(&v) => Ok(v),
                Ok(v) => Err(format!("{what}: {v} is outside {lo}..={hi}")),
                Err(e) => Err(e.to_string()),
            };
        }
        if let Some(s) = self.setup_param(p, t) {
            return s
                .parse(text)
                .map_err(|e| ValueError { what: label, ..e }.to_string());
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
            None => (lo..=hi).find(|&v| {
                let shown = self.show_value(p, t, v);
                !shown.starts_with('#') && shown.eq_ignore_ascii_case(typed)
            }),
        };
        v.ok_or_else(|| format!("{label} takes {}, got {typed:?}", self.expected(p, t)))
    }

    /// The next value for +1 / -1 steps (FX types step through the types the slot allows,
    /// setup values through their displayed order).
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
        if let Some(s) = self.setup_param(p, t) {
            return Some(s.stepped(v, delta));
        }
        let (lo, hi) = self.range();
        Some((v as i64 + delta).clamp(lo as i64, hi as i64) as u8)
    }
}

/// LFO setup byte `i` (0..12) from the LFO-A and LFO-B setup groups.
fn lfo_setup_bytes(a: &[u8; 6], b: &[u8; 6], i: usize) -> Option<u8> {
    match i {
        0..6 => a.get(i).copied(),
        _ => b.get(i - 6).copied(),
    }
}

fn set_lfo_setup(a: &mut [u8; 6], b: &mut [u8; 6], i: usize, v: u8) {
    match i {
        0..6 => a[i] = v,
        _ => b[(i - 6).min(5)] = v,
    }
}

/// The custom LFO design of track column `t` (0..8 audio, 8..16 MIDI).
fn custom_lfo(p: &Part, t: usize) -> Option<&[u8; 16]> {
    match t {
        0..8 => p.audio_custom_lfos.0.get(t),
        _ => p.midi_custom_lfos.0.get(t - 8),
    }
}

fn recorder_bytes(p: &Part, t: usize) -> [u8; 12] {
    let r = &p.recorder_setups[t];
    [
        r.inab, r.incd, r.rlen, r.trig, r.src3, r.loop_, r.fin, r.fout, r.ab_gain, r.qrec, r.qpl,
        r.cd_gain,
    ]
}

crate::ui::command::commands! {
    /// A command of the parts view.
    pub enum PartsCmd {
        Inc { "parts.inc", "Increase the value", ["+", "="]; }
        Dec { "parts.dec", "Decrease the value", ["-"]; }
        IncBig { "parts.inc_big", "Increase the value by 8 (LFO designer: next track)", ["shift+right", "]"]; }
        DecBig { "parts.dec_big", "Decrease the value by 8 (LFO designer: previous track)", ["shift+left", "["]; }
        Enter { "parts.enter", "Type a value", ["enter"]; }
        Page { "parts.page", "Next page: audio / MIDI / recorder / LFO-AMP-FX setup / LFO designer / arp sequence", ["tab"]; }
        SavePart { "parts.save_part", "Save part (working copy to saved copy)", ["ctrl+alt+w"]; }
        CopyPart { "parts.copy_part", "Copy this part", ["c"]; }
        CopyTrack { "parts.copy_track", "Copy this track's settings in the part", ["C"]; }
        Paste { "parts.paste", "Paste the copied part or track settings here", ["v"]; }
        ReloadPart { "parts.reload_part", "Reload part (saved copy back)", ["ctrl+alt+r"]; }
    }
}

/// Every action of the view (the table of [`PartsCmd`]).
const ACTIONS: &[ActionDef] = PartsCmd::ACTIONS;

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

    /// The field and track column under the cursor. On the LFO designer rows are tracks
    /// (T1-T8, M1-M8) and columns steps; elsewhere rows are fields and columns tracks.
    fn cursor(&self) -> (Field, usize) {
        if self.page == PartsPage::Designer {
            return (Field::LfoStep(self.pos.col.min(15)), self.pos.row.min(15));
        }
        let rows = Field::rows(self.page);
        (rows[self.pos.row.min(rows.len() - 1)], self.pos.col)
    }

    fn set_value(&mut self, ctx: &mut Ctx, v: i64) -> Outcome {
        let (f, t) = self.cursor();
        let (bank, part) = (ctx.nav.bank, ctx.nav.part);
        let Some(p) = ctx.doc.bank(bank).and_then(|b| b.part(part)) else {
            return Outcome::Handled;
        };
        if !u8::try_from(v).is_ok_and(|v| f.accepts(p, t, v)) {
            return Outcome::Error(format!(
                "{}: {v} is outside {}",
                f.label(),
                f.expected(p, t)
            ));
        }
        let label = format!(
            "part {} {} {}",
            part + 1,
            self.page.track_name(t),
            f.label()
        );
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
        let (_, t) = self.cursor();
        match src {
            Some(Target::Track { .. }) => Target::Track {
                bank,
                pattern: ctx.nav.pattern,
                track: t + if matches!(self.page, PartsPage::Midi | PartsPage::Arp) {
                    8
                } else {
                    0
                },
            },
            _ => Target::Part {
                bank,
                part: ctx.nav.part,
            },
        }
    }

    fn step(&mut self, ctx: &mut Ctx, delta: i64) -> Outcome {
        let (f, t) = self.cursor();
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
        s.top.push(format!(
            "Bank {} part {} {:?}{} - {}",
            crate::format::bank_letter(b),
            pi + 1,
            name,
            if bank.is_part_edited(pi) {
                " (edited)"
            } else {
                ""
            },
            self.page.title()
        ));
        let (f, t) = self.cursor();
        if self.page == PartsPage::Designer {
            designer_sheet(&mut s, part, t, self.pos.col.min(15));
        } else {
            s.columns = (0..8).map(|t| self.page.track_name(t)).collect();
            for f in Field::rows(self.page) {
                s.rows
                    .push((f.label(), (0..8).map(|t| f.show(part, t)).collect()));
            }
        }
        if let Field::Value(i) = f {
            let m = part.machine_type(t);
            if let Some(info) = params::audio_param(m, part.fx1_type(t), part.fx2_type(t), i) {
                let (page, fx) = match info.page {
                    Page::Fx1 => (
                        format!("FX1 {}", params::fx_name(part.fx1_type(t))),
                        Some(part.fx1_type(t)),
                    ),
                    Page::Fx2 => (
                        format!("FX2 {}", params::fx_name(part.fx2_type(t))),
                        Some(part.fx2_type(t)),
                    ),
                    p => (p.name().to_string(), None),
                };
                // The local engine passes some FX through: said where their values are edited.
                let local = match fx {
                    Some(code) if !crate::engine::fx::is_rendered(code) => {
                        " (not rendered by the local engine: passes through)"
                    }
                    _ => "",
                };
                s.bottom.push(format!(
                    "T{} {} {page} {}: stored {}{}{local}",
                    t + 1,
                    m.name(),
                    info.name,
                    part.track_value(t, i).unwrap_or(0),
                    info.cc.map_or(String::new(), |c| format!(", CC {c}"))
                ));
            }
        } else if let (Some(sp), Some(v)) = (f.setup_param(part, t), f.get(part, t)) {
            let fx = match f {
                Field::Fx1Setup(_) => format!(" ({})", params::fx_name(part.fx1_type(t))),
                Field::Fx2Setup(_) => format!(" ({})", params::fx_name(part.fx2_type(t))),
                _ => String::new(),
            };
            s.bottom.push(format!(
                "{} {}{fx}: {} (stored {v}); {}",
                self.page.track_name(t),
                f.label(),
                sp.show(v),
                sp.expected()
            ));
        }
        if let Some(saved) = bank.saved_part(pi)
            && f.get(saved, t) != f.get(part, t)
        {
            s.bottom.push(format!("saved copy: {}", f.show(saved, t)));
        }
        s
    }
}

/// Rows of bars per half (positive / negative) of the designer's graph.
const BAR_ROWS: i16 = 4;

/// The LFO designer: the shape of track `t` as a bar graph (8 rows, step `step` marked) above a
/// table of every design (rows T1-T8, M1-M8; columns steps 1-16).
fn designer_sheet(s: &mut Sheet, part: &Part, t: usize, step: usize) {
    s.label_width = 6;
    s.cell_width = 4;
    s.columns = (1..=16).map(|i| i.to_string()).collect();
    let page = PartsPage::Designer;
    let design = custom_lfo(part, t).copied().unwrap_or([0; 16]);
    s.top.push(format!(
        "{} custom LFO (left/right: step, up/down: value)",
        page.track_name(t)
    ));
    let per = 128 / BAR_ROWS;
    // Lines from the top: +4..+1 (bars above the axis), the axis, -1..-4 (bars below).
    for row in 0..(2 * BAR_ROWS + 1) {
        let (k, neg) = match row {
            r if r < BAR_ROWS => (BAR_ROWS - r, false),
            r if r == BAR_ROWS => (0, false),
            r => (r - BAR_ROWS, true),
        };
        let label = match row {
            0 => "+127",
            r if r == BAR_ROWS => "0",
            r if r == 2 * BAR_ROWS => "-128",
            _ => "",
        };
        let mut line = format!("{label:<6}");
        for &b in &design {
            let v = setup::lfo_step_value(b) as i16;
            let filled = match (k, neg) {
                (0, _) => None,
                (k, false) => Some(v > per * (k - 1)),
                (k, true) => Some(v < -per * (k - 1)),
            };
            line.push(' ');
            line.push_str(match filled {
                None => "----",
                Some(true) => "\u{2588}\u{2588}\u{2588}\u{2588}",
                Some(false) => "    ",
            });
        }
        s.top.push(line);
    }
    let mut marker = " ".repeat(6);
    for i in 0..16 {
        marker.push_str(if i == step { " ^^^^" } else { "     " });
    }
    s.top.push(marker);
    for tr in 0..16 {
        let cells = (0..16).map(|i| Field::LfoStep(i).show(part, tr)).collect();
        s.rows.push((page.track_name(tr), cells));
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
        self.pos.clamp(s.rows.len(), s.columns.len().max(1));
        sheet::render(frame, area, ctx, &s, &mut self.pos);
    }
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        if self.page == PartsPage::Designer
            && let Input::Nav(nav) = input
        {
            // Rows are tracks, columns steps: left/right pick a step, up/down change its value,
            // shift+left/right (or [ ]) pick the track.
            match nav {
                NavCmd::Left => self.pos.step(0, -1, 16, 16),
                NavCmd::Right => self.pos.step(0, 1, 16, 16),
                NavCmd::Up => return self.step(ctx, 1),
                NavCmd::Down => return self.step(ctx, -1),
                NavCmd::PageUp => return self.step(ctx, 16),
                NavCmd::PageDown => return self.step(ctx, -16),
                NavCmd::Top => self.pos.step(0, -16, 16, 16),
                NavCmd::Bottom => self.pos.step(0, 16, 16, 16),
            }
            return Outcome::Handled;
        }
        if self.page == PartsPage::Designer
            && let Input::Action(a) = input
        {
            match PartsCmd::from_name(a) {
                Some(PartsCmd::Inc) => return self.step(ctx, 1),
                Some(PartsCmd::Dec) => return self.step(ctx, -1),
                Some(PartsCmd::IncBig) => self.pos.step(1, 0, 16, 16),
                Some(PartsCmd::DecBig) => self.pos.step(-1, 0, 16, 16),
                // The designer's other commands are those of every page.
                _ => return self.handle_common(input, ctx),
            }
            return Outcome::Handled;
        }
        self.handle_common(input, ctx)
    }
    fn hints(&self, _ctx: &Ctx) -> Vec<&'static str> {
        vec![
            PartsCmd::Inc.name(),
            PartsCmd::Dec.name(),
            PartsCmd::Enter.name(),
            PartsCmd::Page.name(),
        ]
    }
}

impl PartsView {
    fn handle_common(&mut self, input: Input, ctx: &mut Ctx) -> Outcome {
        let n = Field::rows(self.page).len();
        let cols = self.page.tracks();
        match input {
            Input::Action(name) => match PartsCmd::from_name(name) {
                None => return Outcome::Ignored,
                Some(PartsCmd::Inc) => return self.step(ctx, 1),
                Some(PartsCmd::Dec) => return self.step(ctx, -1),
                Some(PartsCmd::IncBig) => return self.step(ctx, 8),
                Some(PartsCmd::DecBig) => return self.step(ctx, -8),
                Some(PartsCmd::Page) => {
                    self.page = self.page.next();
                    self.pos = Pos::default();
                }
                Some(PartsCmd::Enter) => {
                    let (f, t) = self.cursor();
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
                        title: format!(
                            "{} {}: {}",
                            self.page.track_name(t),
                            f.title(part, t),
                            f.expected(part, t)
                        ),
                        tag: "parts.value",
                        initial: f
                            .get(part, t)
                            .map_or_else(String::new, |v| f.show_value(part, t, v)),
                    };
                }
                Some(a @ (PartsCmd::CopyPart | PartsCmd::CopyTrack)) => {
                    let src = if a == PartsCmd::CopyPart {
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
                Some(PartsCmd::Paste) => {
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
                Some(a @ (PartsCmd::SavePart | PartsCmd::ReloadPart)) => {
                    let (b, p) = (ctx.nav.bank, ctx.nav.part);
                    let save = a == PartsCmd::SavePart;
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
            },
            Input::Nav(nav) => self.pos.nav(nav, n, cols, 8),
            Input::Answer("parts.value", text) => {
                let (f, t) = self.cursor();
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
                    Outcome::Handled => Outcome::Message(format!(
                        "{} {title} = {shown} (stored {v})",
                        self.page.track_name(t)
                    )),
                    o => o,
                };
            }
            Input::Scroll(d) => self.pos.step(d as i64, 0, n, cols),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }
}
