//! `[SAMPLE]` blocks: typed slot content, attribute edits, adding and removing blocks.

use serde::{Deserialize, Serialize};

use super::device::KeyRule;
use super::{BANNER, FormatError, ProjectFile, Section, bare, int_value, key_value};
use crate::format::rawfile::{check_range, range_err};
use crate::format::slot_attrs::{
    LoopMode, SlotRef, TimeStretch, TrigQuant, estimate_tempo_and_bars,
};

/// Numeric keys of a `[SAMPLE]` block (besides `SLOT`).
pub(super) const SAMPLE_NUMERIC: [&str; 6] = [
    "TRIM_BARSx100",
    "BPMx24",
    "TSMODE",
    "LOOPMODE",
    "GAIN",
    "TRIGQUANTIZATION",
];

const fn rule(key: &'static str, required: bool, min: i64, max: i64) -> KeyRule {
    KeyRule {
        key,
        required,
        range: Some((min, max)),
    }
}

/// What the device reads in a `[SAMPLE]` block: required keys and value ranges
/// (`SLOT`'s range depends on `TYPE` and is checked apart).
pub(super) const SAMPLE_KEYS: [KeyRule; 9] = [
    KeyRule::text("TYPE"),
    KeyRule::text("SLOT"),
    KeyRule::text("PATH"),
    rule("BPMx24", false, 720, 7200),
    rule("TRIM_BARSx100", false, 0, 1_000_000),
    rule("TSMODE", true, 0, 3),
    rule("LOOPMODE", true, 0, 2),
    rule("GAIN", true, 0, 96),
    rule("TRIGQUANTIZATION", true, -1, 16),
];

/// Device order of `[SAMPLE]` keys (BPMx24 before TRIM_BARSx100 when both exist).
const SAMPLE_ORDER: [&str; 9] = [
    "TYPE",
    "SLOT",
    "PATH",
    "BPMx24",
    "TRIM_BARSx100",
    "TSMODE",
    "LOOPMODE",
    "GAIN",
    "TRIGQUANTIZATION",
];

/// The typed content of one `[SAMPLE]` block (keys absent from the block are `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleSlot {
    /// Which slot.
    pub slot: SlotRef,
    /// `PATH` (relative to the project folder; empty = no sample).
    pub path: String,
    /// `TRIM_BARSx100`.
    pub trim_bars_x100: Option<i64>,
    /// `BPMx24`.
    pub bpm_x24: Option<i64>,
    /// `TSMODE`.
    pub time_stretch: Option<TimeStretch>,
    /// `LOOPMODE`.
    pub loop_mode: Option<LoopMode>,
    /// `GAIN` (48 = 0 dB).
    pub gain: Option<i64>,
    /// `TRIGQUANTIZATION`.
    pub trig_quant: Option<TrigQuant>,
}

impl SampleSlot {
    /// What the device writes when a sample of `frames` frames at `sample_rate` Hz is
    /// assigned: GAIN 48, TSMODE 2, TRIGQUANTIZATION -1, LOOPMODE 1 (Flex pool) or 0
    /// (Static), and the estimated TRIM_BARSx100.
    pub fn assigned(slot: SlotRef, path: &str, frames: u64, sample_rate: u32) -> Self {
        let (_, bars) = estimate_tempo_and_bars(frames, sample_rate);
        Self {
            slot,
            path: path.to_string(),
            trim_bars_x100: Some(bars as i64),
            bpm_x24: None,
            time_stretch: Some(TimeStretch::Normal),
            loop_mode: Some(if slot.is_flex_pool() {
                LoopMode::Normal
            } else {
                LoopMode::Off
            }),
            gain: Some(48),
            trig_quant: Some(TrigQuant::Direct),
        }
    }

    /// An empty recorder-buffer block as in a blank project (`PATH=`, `BPMx24=2880`,
    /// TSMODE 2, LOOPMODE 0, GAIN 72, direct).
    pub fn recorder_default(n: u16) -> Self {
        Self {
            slot: SlotRef::Recorder(n),
            path: String::new(),
            trim_bars_x100: None,
            bpm_x24: Some(2880),
            time_stretch: Some(TimeStretch::Normal),
            loop_mode: Some(LoopMode::Off),
            gain: Some(72),
            trig_quant: Some(TrigQuant::Direct),
        }
    }

    /// The block's `KEY=VALUE` lines in device order. Values are written as they are,
    /// without range checks: a block copied from a file keeps what that file holds (an
    /// edit is range-checked by [`ProjectFile::set_slot_attr`]). Only what cannot be
    /// written at all is refused (a step count with no code, a line break in the path).
    fn key_values(&self) -> Result<Vec<(&'static str, String)>, FormatError> {
        let (kind, n) = self.slot.validate()?.to_project();
        let mut out = vec![
            ("TYPE", kind.to_string()),
            ("SLOT", format!("{n:03}")),
            ("PATH", clean_path(&self.path)?),
        ];
        if let Some(v) = self.bpm_x24 {
            out.push(("BPMx24", v.to_string()));
        }
        if let Some(v) = self.trim_bars_x100 {
            out.push(("TRIM_BARSx100", v.to_string()));
        }
        if let Some(m) = self.time_stretch {
            out.push(("TSMODE", m.code().to_string()));
        }
        if let Some(m) = self.loop_mode {
            out.push(("LOOPMODE", m.code().to_string()));
        }
        if let Some(v) = self.gain {
            out.push(("GAIN", v.to_string()));
        }
        if let Some(q) = self.trig_quant {
            out.push(("TRIGQUANTIZATION", quant_text(q)?));
        }
        Ok(out)
    }
}

/// One attribute of a `[SAMPLE]` block, for [`ProjectFile::set_slot_attr`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotAttr {
    /// `PATH` (backslashes are written as `/`).
    Path(String),
    /// `TRIM_BARSx100` (0..=1_000_000).
    TrimBarsX100(i64),
    /// `BPMx24` (720..=7200).
    BpmX24(i64),
    /// `TSMODE`.
    TimeStretch(TimeStretch),
    /// `LOOPMODE`.
    LoopMode(LoopMode),
    /// `GAIN` (0..=96).
    Gain(i64),
    /// `TRIGQUANTIZATION`.
    TrigQuant(TrigQuant),
}

impl SlotAttr {
    /// The key this attribute sets.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Path(_) => "PATH",
            Self::TrimBarsX100(_) => "TRIM_BARSx100",
            Self::BpmX24(_) => "BPMx24",
            Self::TimeStretch(_) => "TSMODE",
            Self::LoopMode(_) => "LOOPMODE",
            Self::Gain(_) => "GAIN",
            Self::TrigQuant(_) => "TRIGQUANTIZATION",
        }
    }

    /// True when the stored value text `cur` means this attribute's value as the device
    /// reads it.
    fn means(&self, cur: &str) -> bool {
        let n = int_value(cur);
        match self {
            Self::Path(p) => clean_path(p).is_ok_and(|p| p == cur),
            Self::TrimBarsX100(v) | Self::BpmX24(v) | Self::Gain(v) => n == Some(*v),
            Self::TimeStretch(m) => n == Some(m.code()),
            Self::LoopMode(m) => n == Some(m.code()),
            Self::TrigQuant(q) => n.map(TrigQuant::from_project) == Some(*q),
        }
    }

    fn key_value(&self) -> Result<(&'static str, String), FormatError> {
        Ok(match self {
            Self::Path(p) => ("PATH", clean_path(p)?),
            Self::TrimBarsX100(v) => {
                check_range("TRIM_BARSx100", *v, 0, 1_000_000)?;
                ("TRIM_BARSx100", v.to_string())
            }
            Self::BpmX24(v) => {
                check_range("BPMx24", *v, 720, 7200)?;
                ("BPMx24", v.to_string())
            }
            Self::TimeStretch(m) => {
                check_range("TSMODE", m.code(), 0, 3)?;
                ("TSMODE", m.code().to_string())
            }
            Self::LoopMode(m) => {
                check_range("LOOPMODE", m.code(), 0, 2)?;
                ("LOOPMODE", m.code().to_string())
            }
            Self::Gain(v) => {
                check_range("GAIN", *v, 0, 96)?;
                ("GAIN", v.to_string())
            }
            Self::TrigQuant(q) => {
                let t = quant_text(*q)?;
                if let TrigQuant::Other(o) = q {
                    check_range("TRIGQUANTIZATION", *o, -1, 16)?;
                }
                ("TRIGQUANTIZATION", t)
            }
        })
    }
}

fn quant_text(q: TrigQuant) -> Result<String, FormatError> {
    q.to_project().map(|c| c.to_string()).ok_or_else(|| {
        range_err(
            "TRIGQUANTIZATION step count",
            match q {
                TrigQuant::Steps(s) => s as i64,
                _ => -2,
            },
            "1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192 or 256",
        )
    })
}

/// A path as written: backslashes become `/`; line breaks and characters beyond
/// Latin-1 are refused.
fn clean_path(p: &str) -> Result<String, FormatError> {
    if let Some(c) = p
        .chars()
        .find(|&c| c == '\r' || c == '\n' || c as u32 > 0xFF)
    {
        return Err(FormatError::Range {
            field: "PATH character".into(),
            value: c as i64,
            range: "Latin-1 characters other than line breaks".into(),
        });
    }
    Ok(p.replace('\\', "/"))
}

impl ProjectFile {
    fn sample_sections(&self) -> Vec<(SlotRef, Section)> {
        self.sections()
            .into_iter()
            .filter(|s| s.name == "SAMPLE")
            .filter_map(|s| self.block_slot(&s).ok().map(|slot| (slot, s)))
            .collect()
    }

    fn sample_section(&self, slot: SlotRef) -> Option<Section> {
        self.sample_sections()
            .into_iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, s)| s)
    }

    fn read_slot(&self, slot: SlotRef, s: &Section) -> SampleSlot {
        let int = |k: &str| self.find_key(s, k).and_then(|(_, v)| int_value(v));
        SampleSlot {
            slot,
            path: self
                .find_key(s, "PATH")
                .map(|(_, v)| v.to_string())
                .unwrap_or_default(),
            trim_bars_x100: int("TRIM_BARSx100"),
            bpm_x24: int("BPMx24"),
            time_stretch: int("TSMODE").map(TimeStretch::from_code),
            loop_mode: int("LOOPMODE").map(LoopMode::from_code),
            gain: int("GAIN"),
            trig_quant: int("TRIGQUANTIZATION").map(TrigQuant::from_project),
        }
    }

    /// Every `[SAMPLE]` block, in file order.
    pub fn slots(&self) -> Vec<SampleSlot> {
        self.sample_sections()
            .into_iter()
            .map(|(slot, s)| self.read_slot(slot, &s))
            .collect()
    }

    /// The block of one slot, if present.
    pub fn slot(&self, slot: SlotRef) -> Option<SampleSlot> {
        self.sample_section(slot).map(|s| self.read_slot(slot, &s))
    }

    fn missing_slot(&self, slot: SlotRef) -> FormatError {
        FormatError::Text {
            line: self.lines.len(),
            message: format!("no [SAMPLE] block for {slot}"),
        }
    }

    /// Sets one attribute of an existing block in place; a key the block lacks is
    /// inserted in device order.
    ///
    /// Setting the value a line already means (`TRIGQUANTIZATION=255` set to direct, `007`
    /// set to 7, an out-of-range value set to itself) keeps the line as written and is
    /// never refused; a new value is range-checked.
    pub fn set_slot_attr(&mut self, slot: SlotRef, attr: SlotAttr) -> Result<(), FormatError> {
        let s = self
            .sample_section(slot)
            .ok_or_else(|| self.missing_slot(slot))?;
        let key = attr.key();
        if let Some((_, cur)) = self.find_key(&s, key)
            && attr.means(cur)
        {
            return Ok(());
        }
        let (key, value) = attr.key_value()?;
        if let Some((i, _)) = self.find_key(&s, key) {
            self.set_line_value(i, key, &value);
            return Ok(());
        }
        let rank = SAMPLE_ORDER.iter().position(|k| *k == key).unwrap_or(0);
        let at = (s.open + 1..s.close)
            .find(|&i| {
                key_value(&self.lines[i].text)
                    .and_then(|(k, _)| SAMPLE_ORDER.iter().position(|o| *o == k))
                    .is_some_and(|r| r > rank)
            })
            .unwrap_or(s.close);
        self.insert_line(at, format!("{key}={value}"));
        Ok(())
    }

    /// Removes an optional key (`TRIM_BARSx100`, `BPMx24`, …) from a block; `TYPE`,
    /// `SLOT` and `PATH` cannot be removed.
    pub fn remove_slot_key(&mut self, slot: SlotRef, key: &str) -> Result<bool, FormatError> {
        if matches!(key, "TYPE" | "SLOT" | "PATH") {
            return Err(FormatError::Range {
                field: format!("[SAMPLE] key {key}"),
                value: 0,
                range: "an optional key".into(),
            });
        }
        let s = self
            .sample_section(slot)
            .ok_or_else(|| self.missing_slot(slot))?;
        match self.find_key(&s, key) {
            Some((i, _)) => {
                self.lines.remove(i);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Adds a new block in canonical order (Flex 1..128, recorders, Static 1..128).
    pub fn add_slot(&mut self, slot: &SampleSlot) -> Result<(), FormatError> {
        let kv = slot.key_values()?;
        if self.sample_section(slot.slot).is_some() {
            return Err(FormatError::Text {
                line: self.sample_section(slot.slot).map_or(0, |s| s.open + 1),
                message: format!("{} already has a [SAMPLE] block", slot.slot),
            });
        }
        let at = match self
            .sample_sections()
            .into_iter()
            .find(|(s, _)| *s > slot.slot)
        {
            Some((_, s)) => s.open,
            None => self.closing_banner(),
        };
        let mut new = vec!["[SAMPLE]".to_string()];
        new.extend(kv.into_iter().map(|(k, v)| format!("{k}={v}")));
        new.push("[/SAMPLE]".to_string());
        new.push(String::new());
        for (n, t) in new.into_iter().enumerate() {
            self.insert_line(at + n, t);
        }
        Ok(())
    }

    /// Index of the final 28-`#` banner (validated at parse).
    fn closing_banner(&self) -> usize {
        self.lines
            .iter()
            .rposition(|l| bare(&l.text) == BANNER)
            .unwrap_or(self.lines.len())
    }

    /// Assigns a sample as the device does: the block gets the device defaults
    /// ([`SampleSlot::assigned`]), replacing an existing block at its place.
    pub fn assign_sample(
        &mut self,
        slot: SlotRef,
        path: &str,
        frames: u64,
        sample_rate: u32,
    ) -> Result<(), FormatError> {
        let new = SampleSlot::assigned(slot.validate()?, path, frames, sample_rate);
        new.key_values()?;
        if self.sample_section(slot).is_some() {
            self.remove_block(slot);
        }
        self.add_slot(&new)
    }

    /// Clears a slot: empty `PATH`, attributes kept (device state after clearing).
    pub fn clear_slot(&mut self, slot: SlotRef) -> Result<(), FormatError> {
        self.set_slot_attr(slot, SlotAttr::Path(String::new()))
    }

    /// Removes a slot's block (and the blank line after it). Recorder-buffer blocks are
    /// always present on the device and cannot be removed; clear them instead.
    pub fn remove_slot(&mut self, slot: SlotRef) -> Result<bool, FormatError> {
        if let SlotRef::Recorder(_) = slot {
            return Err(FormatError::Range {
                field: format!("remove {slot}"),
                value: 0,
                range: "Flex 1..128 or Static 1..128 (recorder blocks always exist)".into(),
            });
        }
        Ok(self.remove_block(slot))
    }

    fn remove_block(&mut self, slot: SlotRef) -> bool {
        let Some(s) = self.sample_section(slot) else {
            return false;
        };
        let mut end = s.close + 1;
        if self
            .lines
            .get(end)
            .is_some_and(|l| bare(&l.text).is_empty())
        {
            end += 1;
        }
        self.lines.drain(s.open..end);
        true
    }
}
