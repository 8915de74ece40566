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
use super::slot_attrs::SlotRef;

mod device;
mod keys;
mod slots;

pub use device::{Problem, Severity};
pub use keys::{KeySpec, SETTINGS_KEYS, STATES_KEYS, TRIG_MODE_MIDI};
use slots::SAMPLE_NUMERIC;
pub use slots::{SampleSlot, SlotAttr};

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

/// A parsed `project.work`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "ProjectFileJson", try_from = "ProjectFileJson")]
pub struct ProjectFile {
    lines: Vec<Line>,
}

/// A line's text for structure checks: no trailing CR or blanks, no leading UTF-8 BOM
/// (seen as Latin-1 `ï»¿`) or blanks. The raw text itself is never changed.
fn bare(t: &str) -> &str {
    let t = t.strip_prefix("\u{ef}\u{bb}\u{bf}").unwrap_or(t);
    t.trim_matches(|c: char| c == '\r' || c == ' ' || c == '\t')
}

fn section_header(t: &str) -> Option<(&str, bool)> {
    let inner = bare(t).strip_prefix('[')?.strip_suffix(']')?;
    match inner.strip_prefix('/') {
        Some(n) => Some((n, true)),
        None => Some((inner, false)),
    }
}

/// `KEY=VALUE` with blanks around the key ignored; the value is kept as written.
fn key_value(t: &str) -> Option<(&str, &str)> {
    t.split_once('=').map(|(k, v)| (bare(k), v))
}

fn int_value(v: &str) -> Option<i64> {
    bare(v).parse().ok()
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
            let t = bare(&l.text);
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
                (None, Some((cur, at))) if t.starts_with('#') => {
                    // a banner inside a section: the section's end marker is missing
                    return Err(text_err(
                        i,
                        format!(
                            "expected [/{cur}] (section opened at line {}) before \"{}\"",
                            at + 1,
                            shorten(t)
                        ),
                    ));
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
                    && int_value(v).is_none()
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
            .rposition(|l| !bare(&l.text).is_empty())
            .unwrap_or(0);
        if bare(&self.lines[last].text) != BANNER {
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
        int_value(self.get(section, key)?)
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
