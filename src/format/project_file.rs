//! `project.work` / `project.strd`: the CRLF text file with project settings, UI states and
//! sample-slot blocks.
//!
//! The file is kept as an ordered list of raw lines (text + line ending). Typed setters
//! patch the value text of one line in place; everything else (order, banners, blank
//! lines, unknown keys, the 8 duplicate `TRIG_MODE_MIDI` keys, `-1`, `SLOT=001`, LF-only
//! or missing final line endings) is written back exactly as read. Bytes are decoded
//! as Latin-1 so that any byte survives.

use serde::{Deserialize, Serialize};

use super::FormatError;
use super::rawfile::{check_range, range_err};
use super::slot_attrs::{LoopMode, SlotRef, TimeStretch, TrigQuant, estimate_tempo_and_bars};

/// The banner line: 28 `#`.
pub const BANNER: &str = "############################";

/// A line terminator as found in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Eol {
    /// `\r\n` (what the device writes).
    Crlf,
    /// `\n` alone.
    Lf,
    /// No terminator (last line of a file that does not end with a newline).
    None,
}

impl Eol {
    fn as_bytes(self) -> &'static [u8] {
        match self {
            Self::Crlf => b"\r\n",
            Self::Lf => b"\n",
            Self::None => b"",
        }
    }
}

/// One raw line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    text: String,
    eol: Eol,
}

/// A `[NAME]` … `[/NAME]` section: line indices of its header and closing line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Section {
    name: String,
    open: usize,
    close: usize,
}

/// A known numeric key: name, device default, allowed range for setters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    /// The key as written in the file.
    pub key: &'static str,
    /// The value in a device-made blank project.
    pub default: i64,
    /// Smallest value a setter accepts.
    pub min: i64,
    /// Largest value a setter accepts.
    pub max: i64,
}

const fn k(key: &'static str, default: i64, min: i64, max: i64) -> KeySpec {
    KeySpec {
        key,
        default,
        min,
        max,
    }
}

/// The `[SETTINGS]` keys in device order (without the 8 `TRIG_MODE_MIDI` lines that end
/// the section), with blank-project defaults and setter ranges.
pub const SETTINGS_KEYS: &[KeySpec] = &[
    k("WRITEPROTECTED", 0, 0, 1),
    k("TEMPOx24", 2880, 720, 7200),
    k("PATTERN_TEMPO_ENABLED", 0, 0, 1),
    k("MIDI_CLOCK_SEND", 0, 0, 2),
    k("MIDI_CLOCK_RECEIVE", 0, 0, 2),
    k("MIDI_TRANSPORT_SEND", 0, 0, 2),
    k("MIDI_TRANSPORT_RECEIVE", 0, 0, 2),
    k("MIDI_PROGRAM_CHANGE_SEND", 0, 0, 1),
    k("MIDI_PROGRAM_CHANGE_SEND_CH", -1, -1, 15),
    k("MIDI_PROGRAM_CHANGE_RECEIVE", 0, 0, 1),
    k("MIDI_PROGRAM_CHANGE_RECEIVE_CH", -1, -1, 15),
    k("MIDI_TRIG_CH1", 0, -1, 15),
    k("MIDI_TRIG_CH2", 1, -1, 15),
    k("MIDI_TRIG_CH3", 2, -1, 15),
    k("MIDI_TRIG_CH4", 3, -1, 15),
    k("MIDI_TRIG_CH5", 4, -1, 15),
    k("MIDI_TRIG_CH6", 5, -1, 15),
    k("MIDI_TRIG_CH7", 6, -1, 15),
    k("MIDI_TRIG_CH8", 7, -1, 15),
    k("MIDI_AUTO_CHANNEL", 10, -1, 15),
    k("MIDI_SOFT_THRU", 0, 0, 1),
    k("MIDI_AUDIO_TRK_CC_IN", 1, 0, 1),
    k("MIDI_AUDIO_TRK_CC_OUT", 3, 0, 3),
    k("MIDI_AUDIO_TRK_NOTE_IN", 1, 0, 3),
    k("MIDI_AUDIO_TRK_NOTE_OUT", 3, 0, 3),
    k("MIDI_MIDI_TRK_CC_IN", 1, 0, 3),
    k("PATTERN_CHANGE_CHAIN_BEHAVIOR", 0, 0, 255),
    k("PATTERN_CHANGE_AUTO_SILENCE_TRACKS", 0, 0, 1),
    k("PATTERN_CHANGE_AUTO_TRIG_LFOS", 0, 0, 1),
    k("LOAD_24BIT_FLEX", 0, 0, 1),
    k("DYNAMIC_RECORDERS", 0, 0, 1),
    k("RECORD_24BIT", 0, 0, 1),
    k("RESERVED_RECORDER_COUNT", 8, 0, 8),
    k("RESERVED_RECORDER_LENGTH", 16, 0, 65535),
    k("INPUT_DELAY_COMPENSATION", 0, 0, 1),
    k("GATE_AB", 127, 0, 127),
    k("GATE_CD", 127, 0, 127),
    k("GAIN_AB", 64, 0, 127),
    k("GAIN_CD", 64, 0, 127),
    k("DIR_AB", 0, 0, 127),
    k("DIR_CD", 0, 0, 127),
    k("PHONES_MIX", 64, 0, 127),
    k("MAIN_TO_CUE", 0, 0, 127),
    k("MASTER_TRACK", 0, 0, 1),
    k("CUE_STUDIO_MODE", 0, 0, 1),
    k("MAIN_LEVEL", 64, 0, 127),
    k("CUE_LEVEL", 64, 0, 127),
    k("METRONOME_TIME_SIGNATURE", 3, 0, 15),
    k("METRONOME_TIME_SIGNATURE_DENOMINATOR", 2, 0, 4),
    k("METRONOME_PREROLL", 0, 0, 16),
    k("METRONOME_CUE_VOLUME", 32, 0, 127),
    k("METRONOME_MAIN_VOLUME", 0, 0, 127),
    k("METRONOME_PITCH", 12, 0, 127),
    k("METRONOME_TONAL", 1, 0, 1),
    k("METRONOME_ENABLED", 0, 0, 1),
];

/// The repeated per-MIDI-track trig mode key (8 lines, tracks 1..8 in order).
pub const TRIG_MODE_MIDI: KeySpec = k("TRIG_MODE_MIDI", 0, 0, 1);

/// The `[STATES]` keys in device order, with defaults and setter ranges.
pub const STATES_KEYS: &[KeySpec] = &[
    k("BANK", 0, 0, 15),
    k("PATTERN", 0, 0, 15),
    k("ARRANGEMENT", 0, 0, 7),
    k("ARRANGEMENT_MODE", 0, 0, 255),
    k("PART", 0, 0, 3),
    k("TRACK", 0, 0, 15),
    k("TRACK_OTHERMODE", 0, 0, 255),
    k("SCENE_A_MUTE", 0, 0, 1),
    k("SCENE_B_MUTE", 0, 0, 1),
    k("TRACK_CUE_MASK", 0, 0, 255),
    k("TRACK_MUTE_MASK", 0, 0, 255),
    k("TRACK_SOLO_MASK", 0, 0, 255),
    k("MIDI_TRACK_MUTE_MASK", 0, 0, 255),
    k("MIDI_TRACK_SOLO_MASK", 0, 0, 255),
    k("MIDI_MODE", 0, 0, 255),
];

/// Numeric keys of a `[SAMPLE]` block (besides `SLOT`).
const SAMPLE_NUMERIC: [&str; 6] = [
    "TRIM_BARSx100",
    "BPMx24",
    "TSMODE",
    "LOOPMODE",
    "GAIN",
    "TRIGQUANTIZATION",
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

    /// The block's `KEY=VALUE` lines in device order, each value range-checked.
    fn key_values(&self) -> Result<Vec<(&'static str, String)>, FormatError> {
        let (kind, n) = self.slot.validate()?.to_project();
        let mut out = vec![("TYPE", kind.to_string()), ("SLOT", format!("{n:03}"))];
        let attrs = [
            Some(SlotAttr::Path(self.path.clone())),
            self.bpm_x24.map(SlotAttr::BpmX24),
            self.trim_bars_x100.map(SlotAttr::TrimBarsX100),
            self.time_stretch.map(SlotAttr::TimeStretch),
            self.loop_mode.map(SlotAttr::LoopMode),
            self.gain.map(SlotAttr::Gain),
            self.trig_quant.map(SlotAttr::TrigQuant),
        ];
        for a in attrs.into_iter().flatten() {
            out.push(a.key_value()?);
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

/// A parsed `project.work`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "ProjectFileJson", try_from = "ProjectFileJson")]
pub struct ProjectFile {
    lines: Vec<Line>,
}

fn section_header(t: &str) -> Option<(&str, bool)> {
    let t = t.trim_end_matches('\r');
    let inner = t.strip_prefix('[')?.strip_suffix(']')?;
    match inner.strip_prefix('/') {
        Some(n) => Some((n, true)),
        None => Some((inner, false)),
    }
}

fn key_value(t: &str) -> Option<(&str, &str)> {
    t.split_once('=')
}

fn text_err(line: usize, message: impl Into<String>) -> FormatError {
    FormatError::Text {
        line: line + 1,
        message: message.into(),
    }
}

fn shorten(t: &str) -> String {
    let mut s: String = t.chars().take(40).collect();
    if t.chars().count() > 40 {
        s.push('…');
    }
    s
}

impl ProjectFile {
    /// Reads the file. Errors name the 1-based line and what was expected there.
    pub fn parse(bytes: &[u8]) -> Result<Self, FormatError> {
        let mut lines = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let (piece, eol, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) if i > 0 && rest[i - 1] == b'\r' => (&rest[..i - 1], Eol::Crlf, i + 1),
                Some(i) => (&rest[..i], Eol::Lf, i + 1),
                None => (rest, Eol::None, rest.len()),
            };
            lines.push(Line {
                text: piece.iter().map(|&b| b as char).collect(),
                eol,
            });
            rest = &rest[next..];
        }
        let f = Self { lines };
        f.validate()?;
        Ok(f)
    }

    /// The bytes to write (unedited: identical to what was read).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.lines.len() * 24);
        for l in &self.lines {
            out.extend(l.text.chars().map(|c| c as u32 as u8));
            out.extend_from_slice(l.eol.as_bytes());
        }
        out
    }

    /// Builds a file from text lines, all ending in CRLF (used for new projects).
    pub fn from_lines<S: AsRef<str>>(lines: &[S]) -> Result<Self, FormatError> {
        let f = Self {
            lines: lines
                .iter()
                .map(|l| Line {
                    text: l.as_ref().to_string(),
                    eol: Eol::Crlf,
                })
                .collect(),
        };
        f.check_encodable()?;
        f.validate()?;
        Ok(f)
    }

    /// The lines' text, without terminators.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(|l| l.text.as_str())
    }

    fn check_encodable(&self) -> Result<(), FormatError> {
        for (i, l) in self.lines.iter().enumerate() {
            if l.text.chars().any(|c| c as u32 > 0xFF || c == '\n') {
                return Err(text_err(
                    i,
                    "expected Latin-1 text without line breaks inside a line",
                ));
            }
        }
        Ok(())
    }

    /// Sections in file order; fails on unbalanced headers or stray lines.
    fn scan(&self) -> Result<Vec<Section>, FormatError> {
        let mut out = Vec::new();
        let mut open: Option<(String, usize)> = None;
        for (i, l) in self.lines.iter().enumerate() {
            let t = l.text.trim_end_matches('\r');
            match (section_header(t), &open) {
                (Some((name, false)), None) => open = Some((name.to_string(), i)),
                (Some((name, false)), Some((cur, at))) => {
                    return Err(text_err(
                        i,
                        format!(
                            "expected [/{cur}] (section opened at line {}) before [{name}]",
                            at + 1
                        ),
                    ));
                }
                (Some((name, true)), Some((cur, at))) if name == cur => {
                    out.push(Section {
                        name: name.to_string(),
                        open: *at,
                        close: i,
                    });
                    open = None;
                }
                (Some((name, true)), Some((cur, _))) => {
                    return Err(text_err(i, format!("expected [/{cur}], found [/{name}]")));
                }
                (Some((name, true)), None) => {
                    return Err(text_err(i, format!("[/{name}] without an open [{name}]")));
                }
                (None, Some(_)) => {
                    if !t.is_empty() && !t.contains('=') {
                        return Err(text_err(
                            i,
                            format!("expected KEY=VALUE, found \"{}\"", shorten(t)),
                        ));
                    }
                }
                (None, None) => {
                    if !t.is_empty() && !t.starts_with('#') {
                        return Err(text_err(
                            i,
                            format!(
                                "expected a '#' comment, a blank line or a [SECTION] header, found \"{}\"",
                                shorten(t)
                            ),
                        ));
                    }
                }
            }
        }
        if let Some((name, at)) = open {
            return Err(text_err(
                at,
                format!(
                    "section [{name}] is never closed (expected [/{name}] before the end of the file at line {})",
                    self.lines.len()
                ),
            ));
        }
        Ok(out)
    }

    fn validate(&self) -> Result<(), FormatError> {
        if self.lines.is_empty() {
            return Err(text_err(
                0,
                "empty file: expected an Octatrack project.work",
            ));
        }
        let secs = self.scan()?;
        let find = |name: &str| secs.iter().find(|s| s.name == name);
        let meta = find("META").ok_or_else(|| {
            text_err(
                self.lines.len() - 1,
                "no [META] section: this is not an Octatrack project.work",
            )
        })?;
        match self.find_key(meta, "TYPE") {
            Some((_, "OCTATRACK DPS-1 PROJECT")) => {}
            Some((i, v)) => {
                return Err(text_err(
                    i,
                    format!(
                        "expected TYPE=OCTATRACK DPS-1 PROJECT, found TYPE={}",
                        shorten(v)
                    ),
                ));
            }
            None => return Err(text_err(meta.open, "expected a TYPE key in [META]")),
        }
        match self.find_key(meta, "VERSION") {
            Some((_, "19")) => {}
            Some((i, v)) => {
                return Err(text_err(
                    i,
                    format!(
                        "unsupported project version {} (expected VERSION=19, OS 1.40)",
                        shorten(v)
                    ),
                ));
            }
            None => return Err(text_err(meta.open, "expected a VERSION key in [META]")),
        }
        for name in ["SETTINGS", "STATES"] {
            if find(name).is_none() {
                return Err(text_err(
                    self.lines.len() - 1,
                    format!("no [{name}] section"),
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for s in &secs {
            let numeric: Vec<&str> = match s.name.as_str() {
                "SETTINGS" => SETTINGS_KEYS
                    .iter()
                    .chain(std::iter::once(&TRIG_MODE_MIDI))
                    .map(|k| k.key)
                    .collect(),
                "STATES" => STATES_KEYS.iter().map(|k| k.key).collect(),
                "SAMPLE" => SAMPLE_NUMERIC.to_vec(),
                _ => Vec::new(),
            };
            for i in s.open + 1..s.close {
                if let Some((key, v)) = key_value(&self.lines[i].text)
                    && numeric.contains(&key)
                    && v.parse::<i64>().is_err()
                {
                    return Err(text_err(
                        i,
                        format!("expected an integer for {key}, found \"{}\"", shorten(v)),
                    ));
                }
            }
            if s.name == "SAMPLE" {
                let slot = self.block_slot(s)?;
                if !seen.insert(slot) {
                    return Err(text_err(
                        s.open,
                        format!("a second [SAMPLE] block for {slot}"),
                    ));
                }
            }
        }
        let last = self
            .lines
            .iter()
            .rposition(|l| !l.text.trim_end_matches('\r').is_empty())
            .unwrap_or(0);
        if self.lines[last].text.trim_end_matches('\r') != BANNER {
            return Err(text_err(
                last,
                format!(
                    "expected the closing banner of 28 '#' at the end of the file, found \"{}\"",
                    shorten(&self.lines[last].text)
                ),
            ));
        }
        Ok(())
    }

    fn block_slot(&self, s: &Section) -> Result<SlotRef, FormatError> {
        let (ti, kind) = self
            .find_key(s, "TYPE")
            .ok_or_else(|| text_err(s.open, "[SAMPLE] block without TYPE"))?;
        let (si, num) = self
            .find_key(s, "SLOT")
            .ok_or_else(|| text_err(s.open, "[SAMPLE] block without SLOT"))?;
        if kind != "FLEX" && kind != "STATIC" {
            return Err(text_err(
                ti,
                format!(
                    "expected TYPE=FLEX or TYPE=STATIC, found TYPE={}",
                    shorten(kind)
                ),
            ));
        }
        num.parse::<u16>()
            .ok()
            .and_then(|n| SlotRef::from_project(kind, n))
            .ok_or_else(|| {
                text_err(
                    si,
                    format!(
                        "expected SLOT=001..{} for TYPE={kind}, found SLOT={}",
                        if kind == "FLEX" { 136 } else { 128 },
                        shorten(num)
                    ),
                )
            })
    }

    fn sections(&self) -> Vec<Section> {
        self.scan().unwrap_or_default()
    }

    fn section(&self, name: &str) -> Option<Section> {
        self.sections().into_iter().find(|s| s.name == name)
    }

    /// First `key` in the section: (line index, value).
    fn find_key<'a>(&'a self, s: &Section, key: &str) -> Option<(usize, &'a str)> {
        self.find_keys(s, key).into_iter().next()
    }

    fn find_keys<'a>(&'a self, s: &Section, key: &str) -> Vec<(usize, &'a str)> {
        (s.open + 1..s.close)
            .filter_map(|i| {
                key_value(&self.lines[i].text)
                    .filter(|(k, _)| *k == key)
                    .map(|(_, v)| (i, v))
            })
            .collect()
    }

    fn default_eol(&self) -> Eol {
        match self.lines.first().map(|l| l.eol) {
            Some(Eol::Lf) => Eol::Lf,
            _ => Eol::Crlf,
        }
    }

    fn set_line_value(&mut self, i: usize, key: &str, value: &str) {
        let text = format!("{key}={value}");
        if self.lines[i].text != text {
            self.lines[i].text = text;
        }
    }

    fn insert_line(&mut self, at: usize, text: String) {
        let eol = self.default_eol();
        self.lines.insert(at, Line { text, eol });
        // A line inserted at the very end follows a line that may lack a terminator.
        if at > 0 && self.lines[at - 1].eol == Eol::None {
            self.lines[at - 1].eol = eol;
            self.lines[at].eol = Eol::None;
        }
    }

    /// The raw value text of the first `key` in the first `[section]`.
    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        let s = self.section(section)?;
        self.find_key(&s, key).map(|(_, v)| v)
    }

    /// Sets the raw value text of the first `key` in the first `[section]`, or appends
    /// `KEY=VALUE` at the end of the section when absent. The value must be one line of
    /// Latin-1 text.
    pub fn set_raw(&mut self, section: &str, key: &str, value: &str) -> Result<(), FormatError> {
        if key.is_empty() || key.contains('=') || key.starts_with('[') {
            return Err(FormatError::Range {
                field: format!("key \"{}\"", shorten(key)),
                value: 0,
                range: "a non-empty key without '=' or leading '['".into(),
            });
        }
        if let Some(c) = format!("{key}{value}")
            .chars()
            .find(|&c| c == '\r' || c == '\n' || c as u32 > 0xFF)
        {
            return Err(FormatError::Range {
                field: format!("{key} character"),
                value: c as i64,
                range: "Latin-1 characters other than line breaks".into(),
            });
        }
        let s = self.section(section).ok_or_else(|| FormatError::Text {
            line: self.lines.len(),
            message: format!("no [{section}] section"),
        })?;
        match self.find_key(&s, key) {
            Some((i, _)) => self.set_line_value(i, key, value),
            None => self.insert_line(s.close, format!("{key}={value}")),
        }
        Ok(())
    }

    fn int(&self, section: &str, key: &str) -> Option<i64> {
        self.get(section, key)?.parse().ok()
    }

    fn spec(table: &[KeySpec], key: &str) -> Result<KeySpec, FormatError> {
        table
            .iter()
            .copied()
            .find(|k| k.key == key)
            .ok_or_else(|| FormatError::Range {
                field: format!("unknown key {}", shorten(key)),
                value: 0,
                range: table.iter().map(|k| k.key).collect::<Vec<_>>().join(", "),
            })
    }

    /// A `[SETTINGS]` value as an integer (`None` when the key is absent).
    pub fn setting(&self, key: &str) -> Option<i64> {
        self.int("SETTINGS", key)
    }

    /// Sets a known `[SETTINGS]` key (see [`SETTINGS_KEYS`]) after a range check.
    pub fn set_setting(&mut self, key: &str, value: i64) -> Result<(), FormatError> {
        let spec = Self::spec(SETTINGS_KEYS, key)?;
        check_range(key, value, spec.min, spec.max)?;
        if self.setting(key) == Some(value) {
            return Ok(()); // keep the exact text (e.g. "007") when the value is unchanged
        }
        self.set_raw("SETTINGS", key, &value.to_string())
    }

    /// A `[STATES]` value as an integer.
    pub fn state(&self, key: &str) -> Option<i64> {
        self.int("STATES", key)
    }

    /// Sets a known `[STATES]` key (see [`STATES_KEYS`]) after a range check.
    pub fn set_state(&mut self, key: &str, value: i64) -> Result<(), FormatError> {
        let spec = Self::spec(STATES_KEYS, key)?;
        check_range(key, value, spec.min, spec.max)?;
        if self.state(key) == Some(value) {
            return Ok(());
        }
        self.set_raw("STATES", key, &value.to_string())
    }

    /// A 0/1 setting as a bool (`None` when absent).
    pub fn setting_flag(&self, key: &str) -> Option<bool> {
        self.setting(key).map(|v| v != 0)
    }

    /// Sets a 0/1 setting.
    pub fn set_setting_flag(&mut self, key: &str, on: bool) -> Result<(), FormatError> {
        self.set_setting(key, on as i64)
    }

    /// `TEMPOx24` (BPM × 24, kept as the exact integer).
    pub fn tempo_x24(&self) -> Option<i64> {
        self.setting("TEMPOx24")
    }

    /// Sets `TEMPOx24` (720..=7200).
    pub fn set_tempo_x24(&mut self, v: i64) -> Result<(), FormatError> {
        self.set_setting("TEMPOx24", v)
    }

    /// The project tempo in BPM (`TEMPOx24` / 24; 3027 → 126.125).
    pub fn tempo_bpm(&self) -> Option<f64> {
        self.tempo_x24().map(|v| v as f64 / 24.0)
    }

    /// Sets the tempo in BPM (30..=300), rounded to 1/24 BPM.
    pub fn set_tempo_bpm(&mut self, bpm: f64) -> Result<(), FormatError> {
        let v = (bpm * 24.0).round();
        if !v.is_finite() || !(720.0..=7200.0).contains(&v) {
            return Err(range_err("tempo (BPM)", bpm as i64, "30..=300"));
        }
        self.set_tempo_x24(v as i64)
    }

    /// `PATTERN_TEMPO_ENABLED`.
    pub fn pattern_tempo_enabled(&self) -> Option<bool> {
        self.setting_flag("PATTERN_TEMPO_ENABLED")
    }

    /// Sets `PATTERN_TEMPO_ENABLED`.
    pub fn set_pattern_tempo_enabled(&mut self, on: bool) -> Result<(), FormatError> {
        self.set_setting_flag("PATTERN_TEMPO_ENABLED", on)
    }

    fn channel(&self, key: &str) -> Option<Option<u8>> {
        self.setting(key)
            .map(|v| (0..=15).contains(&v).then(|| v as u8 + 1))
    }

    fn set_channel(&mut self, key: &str, ch: Option<u8>) -> Result<(), FormatError> {
        let v = match ch {
            None => -1,
            Some(c) => {
                check_range(&format!("{key} channel"), c as i64, 1, 16)?;
                c as i64 - 1
            }
        };
        self.set_setting(key, v)
    }

    fn track_key(prefix: &str, track: usize) -> Result<String, FormatError> {
        check_range("track", track as i64, 1, 8)?;
        Ok(format!("{prefix}{track}"))
    }

    /// MIDI channel 1..=16 of audio track `track` (1..=8); `Some(None)` = off (-1).
    pub fn midi_trig_channel(&self, track: usize) -> Option<Option<u8>> {
        self.channel(&Self::track_key("MIDI_TRIG_CH", track).ok()?)
    }

    /// Sets the MIDI channel (1..=16, `None` = off) of audio track `track` (1..=8).
    pub fn set_midi_trig_channel(
        &mut self,
        track: usize,
        ch: Option<u8>,
    ) -> Result<(), FormatError> {
        let key = Self::track_key("MIDI_TRIG_CH", track)?;
        self.set_channel(&key, ch)
    }

    /// `MIDI_AUTO_CHANNEL` as 1..=16; `Some(None)` = off.
    pub fn midi_auto_channel(&self) -> Option<Option<u8>> {
        self.channel("MIDI_AUTO_CHANNEL")
    }

    /// Sets `MIDI_AUTO_CHANNEL` (1..=16 or off).
    pub fn set_midi_auto_channel(&mut self, ch: Option<u8>) -> Result<(), FormatError> {
        self.set_channel("MIDI_AUTO_CHANNEL", ch)
    }

    /// Program-change send channel 1..=16; `Some(None)` = AUTO.
    pub fn program_change_send_channel(&self) -> Option<Option<u8>> {
        self.channel("MIDI_PROGRAM_CHANGE_SEND_CH")
    }

    /// Sets the program-change send channel (1..=16 or AUTO).
    pub fn set_program_change_send_channel(&mut self, ch: Option<u8>) -> Result<(), FormatError> {
        self.set_channel("MIDI_PROGRAM_CHANGE_SEND_CH", ch)
    }

    /// Program-change receive channel 1..=16; `Some(None)` = AUTO.
    pub fn program_change_receive_channel(&self) -> Option<Option<u8>> {
        self.channel("MIDI_PROGRAM_CHANGE_RECEIVE_CH")
    }

    /// Sets the program-change receive channel (1..=16 or AUTO).
    pub fn set_program_change_receive_channel(
        &mut self,
        ch: Option<u8>,
    ) -> Result<(), FormatError> {
        self.set_channel("MIDI_PROGRAM_CHANGE_RECEIVE_CH", ch)
    }

    /// The `TRIG_MODE_MIDI` value of MIDI track `track` (1..=8): the track-th occurrence.
    pub fn trig_mode_midi(&self, track: usize) -> Option<i64> {
        let s = self.section("SETTINGS")?;
        let all = self.find_keys(&s, TRIG_MODE_MIDI.key);
        all.get(track.checked_sub(1)?)?.1.parse().ok()
    }

    /// Sets the `TRIG_MODE_MIDI` of MIDI track `track` (1..=8; value 0..=1). Fails when
    /// the file has fewer occurrences.
    pub fn set_trig_mode_midi(&mut self, track: usize, v: i64) -> Result<(), FormatError> {
        check_range("track", track as i64, 1, 8)?;
        check_range(
            TRIG_MODE_MIDI.key,
            v,
            TRIG_MODE_MIDI.min,
            TRIG_MODE_MIDI.max,
        )?;
        let s = self.section("SETTINGS").ok_or_else(|| FormatError::Text {
            line: self.lines.len(),
            message: "no [SETTINGS] section".into(),
        })?;
        let all = self.find_keys(&s, TRIG_MODE_MIDI.key);
        let (i, cur) = all
            .get(track - 1)
            .copied()
            .ok_or_else(|| FormatError::Text {
                line: s.close + 1,
                message: format!(
                    "expected 8 TRIG_MODE_MIDI lines in [SETTINGS], found {}",
                    all.len()
                ),
            })?;
        if cur.parse::<i64>().ok() != Some(v) {
            self.set_line_value(i, TRIG_MODE_MIDI.key, &v.to_string());
        }
        Ok(())
    }

    /// Metronome time signature as (numerator 1..=16, denominator 1..=16).
    pub fn metronome_time_signature(&self) -> Option<(i64, i64)> {
        let n = self.setting("METRONOME_TIME_SIGNATURE")?;
        let d = self.setting("METRONOME_TIME_SIGNATURE_DENOMINATOR")?;
        Some((n + 1, 1i64.checked_shl(d.clamp(0, 62) as u32)?))
    }

    /// Sets the metronome time signature (numerator 1..=16; denominator 1, 2, 4, 8 or 16).
    pub fn set_metronome_time_signature(&mut self, num: i64, den: i64) -> Result<(), FormatError> {
        check_range("metronome numerator", num, 1, 16)?;
        let d = [1, 2, 4, 8, 16]
            .iter()
            .position(|&x| x == den)
            .ok_or_else(|| range_err("metronome denominator", den, "1, 2, 4, 8 or 16"))?;
        self.set_setting("METRONOME_TIME_SIGNATURE", num - 1)?;
        self.set_setting("METRONOME_TIME_SIGNATURE_DENOMINATOR", d as i64)
    }

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
        let int = |k: &str| self.find_key(s, k).and_then(|(_, v)| v.parse::<i64>().ok());
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
    pub fn set_slot_attr(&mut self, slot: SlotRef, attr: SlotAttr) -> Result<(), FormatError> {
        let (key, value) = attr.key_value()?;
        let s = self
            .sample_section(slot)
            .ok_or_else(|| self.missing_slot(slot))?;
        if let Some((i, cur)) = self.find_key(&s, key) {
            let same = match key {
                "PATH" => cur == value,
                _ => cur.parse::<i64>().ok() == value.parse::<i64>().ok(),
            };
            if !same {
                self.set_line_value(i, key, &value);
            }
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
            .rposition(|l| l.text.trim_end_matches('\r') == BANNER)
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
            .is_some_and(|l| l.text.trim_end_matches('\r').is_empty())
        {
            end += 1;
        }
        self.lines.drain(s.open..end);
        true
    }
}

/// JSON form: the lines, and their endings (one for all, or one per line).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ProjectFileJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line_ending: Option<Eol>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line_endings: Option<Vec<Eol>>,
    lines: Vec<String>,
}

impl From<ProjectFile> for ProjectFileJson {
    fn from(f: ProjectFile) -> Self {
        let first = f.lines.first().map_or(Eol::Crlf, |l| l.eol);
        let uniform = f.lines.iter().all(|l| l.eol == first);
        Self {
            line_ending: uniform.then_some(first),
            line_endings: (!uniform).then(|| f.lines.iter().map(|l| l.eol).collect()),
            lines: f.lines.into_iter().map(|l| l.text).collect(),
        }
    }
}

impl TryFrom<ProjectFileJson> for ProjectFile {
    type Error = FormatError;
    fn try_from(j: ProjectFileJson) -> Result<Self, FormatError> {
        let eols = match (j.line_endings, j.line_ending) {
            (Some(e), _) if e.len() == j.lines.len() => e,
            (Some(e), _) => {
                return Err(FormatError::Text {
                    line: e.len().min(j.lines.len()) + 1,
                    message: format!("{} line endings for {} lines", e.len(), j.lines.len()),
                });
            }
            (None, e) => vec![e.unwrap_or(Eol::Crlf); j.lines.len()],
        };
        if let Some(i) = eols.iter().rposition(|e| *e == Eol::None)
            && i + 1 != eols.len()
        {
            return Err(FormatError::Text {
                line: i + 1,
                message: "only the last line may lack a line ending".into(),
            });
        }
        let f = Self {
            lines: j
                .lines
                .into_iter()
                .zip(eols)
                .map(|(text, eol)| Line { text, eol })
                .collect(),
        };
        f.check_encodable()?;
        f.validate()?;
        Ok(f)
    }
}
