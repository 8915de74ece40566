//! `project.work` checked as the device reads it.
//!
//! [`ProjectFile::parse`] is lenient on purpose (values another tool wrote open and are
//! kept byte for byte). [`ProjectFile::device_problems`] lists, with their lines, what the
//! device would choke on or read differently: a sample list cut short, missing required
//! keys, duplicate keys and slot lines, values outside the device's range, unknown keys.

use std::collections::HashMap;
use std::fmt;

use super::keys::{KeySpec, SETTINGS_KEYS, STATES_KEYS, TRIG_MODE_MIDI};
use super::slots::SAMPLE_KEYS;
use super::{BANNER, ProjectFile, Section, bare, int_value, key_value, shorten};

/// How bad a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The device reads the file differently from what it says (e.g. an out-of-range
    /// value it clamps or reinterprets); octa keeps it as written.
    Warning,
    /// The device would refuse or lose data (a key or the sample list missing, duplicates).
    Error,
}

/// One thing the device would choke on, at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number.
    pub line: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what the device expects.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// `[META]` keys the device writes in every project.
const META_KEYS: [&str; 3] = ["TYPE", "VERSION", "OS_VERSION"];

/// Number of `TRIG_MODE_MIDI` lines (one per MIDI track).
const TRIG_MODE_MIDI_LINES: usize = 8;

/// Recorder-buffer slots: `TYPE=FLEX`, `SLOT=129..136`, always present on the device.
const RECORDER_SLOTS: std::ops::RangeInclusive<u16> = 129..=136;

impl ProjectFile {
    /// What the device would choke on, in line order (see the module doc). Empty for
    /// every device-made file.
    pub fn device_problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let secs = self.sections();
        let mut first_of: HashMap<&str, usize> = HashMap::new();
        for s in &secs {
            if s.name != "SAMPLE" {
                if let Some(first) = first_of.get(s.name.as_str()) {
                    out.push(self.err(
                        s.open,
                        format!(
                            "a second [{}] section (the first is at line {})",
                            s.name,
                            first + 1
                        ),
                    ));
                    continue;
                }
                first_of.insert(&s.name, s.open);
            }
            match s.name.as_str() {
                "META" => self.check_section(s, &META_KEYS.map(KeyRule::text), &mut out),
                "SETTINGS" => {
                    let rules: Vec<KeyRule> = SETTINGS_KEYS.iter().map(KeyRule::spec).collect();
                    self.check_section(s, &rules, &mut out);
                    self.check_trig_mode_midi(s, &mut out);
                }
                "STATES" => {
                    let rules: Vec<KeyRule> = STATES_KEYS.iter().map(KeyRule::spec).collect();
                    self.check_section(s, &rules, &mut out);
                }
                "SAMPLE" => self.check_sample(s, &mut out),
                other => out.push(self.warn(
                    s.open,
                    format!("unknown section [{other}]: the device does not read it"),
                )),
            }
        }
        self.check_sample_list(&secs, &mut out);
        out.sort_by_key(|p| p.line);
        out
    }

    fn err(&self, i: usize, message: String) -> Problem {
        Problem {
            line: i + 1,
            severity: Severity::Error,
            message,
        }
    }

    fn warn(&self, i: usize, message: String) -> Problem {
        Problem {
            line: i + 1,
            severity: Severity::Warning,
            message,
        }
    }

    /// Required keys present once, known keys only, numeric values in range.
    fn check_section(&self, s: &Section, rules: &[KeyRule], out: &mut Vec<Problem>) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for i in s.open + 1..s.close {
            let Some((key, value)) = key_value(&self.lines[i].text) else {
                continue;
            };
            if s.name == "SETTINGS" && key == TRIG_MODE_MIDI.key {
                continue; // 8 lines by design: see check_trig_mode_midi
            }
            let Some(rule) = rules.iter().find(|r| r.key == key) else {
                out.push(self.warn(
                    i,
                    format!(
                        "unknown key {} in [{}]: the device ignores it",
                        shorten(key),
                        s.name
                    ),
                ));
                continue;
            };
            if let Some(first) = seen.insert(rule.key, i) {
                out.push(self.err(
                    i,
                    format!(
                        "{} appears again in [{}] (first at line {}): the device reads one value",
                        rule.key,
                        s.name,
                        first + 1
                    ),
                ));
                continue;
            }
            self.check_value(i, rule, value, out);
        }
        for r in rules.iter().filter(|r| r.required) {
            if !seen.contains_key(r.key) {
                out.push(self.err(
                    s.open,
                    format!(
                        "[{}] (lines {}-{}) has no {} key",
                        s.name,
                        s.open + 1,
                        s.close + 1,
                        r.key
                    ),
                ));
            }
        }
    }

    fn check_value(&self, i: usize, rule: &KeyRule, value: &str, out: &mut Vec<Problem>) {
        let Some((min, max)) = rule.range else {
            return;
        };
        let Some(v) = int_value(value) else {
            out.push(self.err(
                i,
                format!(
                    "{}: expected an integer {min}..{max}, found \"{}\"",
                    rule.key,
                    shorten(value)
                ),
            ));
            return;
        };
        if !(min..=max).contains(&v) {
            let reading = match (rule.key, v) {
                ("TRIGQUANTIZATION", 255) => " (read as -1, direct, as in .ot files)",
                _ => "",
            };
            out.push(self.warn(
                i,
                format!(
                    "{}={v} is outside the device's range {min}..{max}{reading}",
                    rule.key
                ),
            ));
        }
    }

    fn check_trig_mode_midi(&self, s: &Section, out: &mut Vec<Problem>) {
        let lines = self.find_keys(s, TRIG_MODE_MIDI.key);
        let rule = KeyRule::spec(&TRIG_MODE_MIDI);
        for (i, v) in &lines {
            self.check_value(*i, &rule, v, out);
        }
        if lines.len() != TRIG_MODE_MIDI_LINES {
            let at = lines.get(TRIG_MODE_MIDI_LINES).map_or(s.close, |(i, _)| *i);
            out.push(self.err(
                at,
                format!(
                    "expected {TRIG_MODE_MIDI_LINES} TRIG_MODE_MIDI lines (one per MIDI track) in [SETTINGS], found {}",
                    lines.len()
                ),
            ));
        }
    }

    fn check_sample(&self, s: &Section, out: &mut Vec<Problem>) {
        let rules: Vec<KeyRule> = SAMPLE_KEYS.to_vec();
        self.check_section(s, &rules, out);
        // TYPE and SLOT are validated at parse; the slot number's range depends on TYPE.
        if let Some((i, v)) = self.find_key(s, "SLOT")
            && let Some((_, kind)) = self.find_key(s, "TYPE")
            && let Some(n) = int_value(v)
        {
            let max = if kind == "FLEX" { 136 } else { 128 };
            if !(1..=max).contains(&n) {
                out.push(self.err(i, format!("SLOT={n} is outside 1..{max} for TYPE={kind}")));
            }
        }
    }

    /// The sample list: the `# Samples` banner, the 8 recorder blocks, the closing banner.
    fn check_sample_list(&self, secs: &[Section], out: &mut Vec<Problem>) {
        let last = self.lines.len().saturating_sub(1);
        let header = (1..self.lines.len().saturating_sub(1)).find(|&i| {
            bare(&self.lines[i].text) == "# Samples"
                && bare(&self.lines[i - 1].text) == BANNER
                && bare(&self.lines[i + 1].text) == BANNER
        });
        let Some(h) = header else {
            out.push(self.err(
                last,
                "the file ends before its sample list (expected a '# Samples' banner after [STATES], then the [SAMPLE] blocks and a closing banner)".into(),
            ));
            return;
        };
        let closing = self
            .lines
            .iter()
            .rposition(|l| bare(&l.text) == BANNER)
            .unwrap_or(0);
        if closing <= h + 1 {
            out.push(self.err(
                last,
                format!(
                    "the file ends after the '# Samples' banner at line {}: the [SAMPLE] blocks and the closing banner are missing (cut short?)",
                    h + 1
                ),
            ));
            return;
        }
        let samples: Vec<&Section> = secs.iter().filter(|s| s.name == "SAMPLE").collect();
        for s in &samples {
            if s.open < h {
                out.push(self.err(
                    s.open,
                    format!(
                        "a [SAMPLE] block before the '# Samples' banner at line {}",
                        h + 1
                    ),
                ));
            }
        }
        let recorders: Vec<u16> = samples
            .iter()
            .filter_map(|s| self.block_slot(s).ok())
            .filter_map(|r| match r {
                crate::format::slot_attrs::SlotRef::Recorder(n) => Some(n),
                _ => None,
            })
            .collect();
        let missing: Vec<String> = RECORDER_SLOTS
            .filter(|slot| !recorders.contains(&(slot - 128)))
            .map(|slot| slot.to_string())
            .collect();
        if !missing.is_empty() {
            out.push(self.err(
                closing,
                format!(
                    "no [SAMPLE] block for recorder buffer slot(s) FLEX {}: the device always writes all 8 (the sample list looks cut short)",
                    missing.join(", ")
                ),
            ));
        }
    }
}

/// What a key must look like in one section.
#[derive(Debug, Clone, Copy)]
pub(super) struct KeyRule {
    /// The key.
    pub key: &'static str,
    /// The device writes it in every such section.
    pub required: bool,
    /// Integer range the device accepts; `None` for text values.
    pub range: Option<(i64, i64)>,
}

impl KeyRule {
    pub(super) const fn text(key: &'static str) -> Self {
        Self {
            key,
            required: true,
            range: None,
        }
    }

    fn spec(k: &KeySpec) -> Self {
        Self {
            key: k.key,
            required: true,
            range: Some((k.min, k.max)),
        }
    }
}
