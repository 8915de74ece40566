//! The project settings of `project.work` `[SETTINGS]` as the device's PROJECT menus group and
//! name them (CONTROL with AUDIO, INPUT, SEQUENCER, MIDI SEQUENCER, METRONOME and MEMORY;
//! MIDI with CONTROL, SYNC and CHANNELS), with values shown in the device's terms: ON/OFF,
//! channels 1-16, BPM, levels around 0, names of selectors (format doc §3.3).
//!
//! Not verified on a device: the menu each key sits in and the item names are best knowledge
//! of the Octatrack manual's PROJECT menu (the keys' meanings are [U] in the format doc); the
//! value names of `MIDI_AUDIO_TRK_CC_OUT` / `_NOTE_OUT` (OFF, INT, EXT, INT+EXT), `_NOTE_IN`
//! (OFF, STANDARD, FOLLOW TM, MAP/TRACK), `CUE_STUDIO_MODE`, `TRIG_MODE_MIDI` and the chain
//! codes beyond 0 (taken as the quantization step table, §9.7) are in that code order by
//! assumption. `RESERVED_RECORDER_LENGTH`'s unit (steps or bars) is not known and is shown as
//! stored. Tempo, write protection and pattern tempo are in the GENERAL group here (the device
//! sets them from its TEMPO screen and project file menu).

use super::project_file::{KeySpec, SETTINGS_KEYS, TRIG_MODE_MIDI};
use super::setup::QUANT_STEPS;

/// How a setting's integer is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingDisplay {
    /// 0 `OFF`, 1 `ON`.
    OnOff,
    /// Names by code from 0; other codes show as `#N`.
    Choice(&'static [&'static str]),
    /// The stored number, with a unit word (`""` for none).
    Plain(&'static str),
    /// Stored − 64 with its sign (64 shows `0`).
    Centered,
    /// −1 shows the name (`OFF`, `AUTO`), 0..15 channels 1..16.
    Channel(&'static str),
    /// BPM × 24, shown in BPM (`126.125 BPM`).
    Tempo,
    /// Metronome numerator − 1.
    Numerator,
    /// Metronome denominator as a power of two (2 shows `/4`).
    Denominator,
    /// 0 `PLEN`, 1..=16 step counts (§9.7).
    Steps,
}

/// One item of a PROJECT menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuItem {
    /// The menu path, e.g. `MIDI > SYNC`.
    pub menu: &'static str,
    /// The item's name as the menu shows it.
    pub name: &'static str,
    /// The project.work key and its range.
    pub spec: KeySpec,
    /// The MIDI track (0..8) of a `TRIG_MODE_MIDI` line (the key repeats 8 times).
    pub midi_track: Option<usize>,
    /// How the value is shown.
    pub display: SettingDisplay,
}

const ON_OFF: SettingDisplay = SettingDisplay::OnOff;
const INT_EXT: &[&str] = &["OFF", "INT", "EXT", "INT+EXT"];
const NOTE_IN: &[&str] = &["OFF", "STANDARD", "FOLLOW TM", "MAP/TRACK"];

/// The menus in order, each with its items: (menu path, item name, key, display).
const MENU: &[(&str, &str, &str, SettingDisplay)] = &[
    ("GENERAL", "TEMPO", "TEMPOx24", SettingDisplay::Tempo),
    ("GENERAL", "PATTERN TEMPO", "PATTERN_TEMPO_ENABLED", ON_OFF),
    ("GENERAL", "WRITE PROTECT", "WRITEPROTECTED", ON_OFF),
    (
        "CONTROL > AUDIO",
        "TRACK 8",
        "MASTER_TRACK",
        SettingDisplay::Choice(&["NORMAL", "MASTER"]),
    ),
    (
        "CONTROL > AUDIO",
        "CUE OUTS",
        "CUE_STUDIO_MODE",
        SettingDisplay::Choice(&["CUE", "STUDIO"]),
    ),
    (
        "CONTROL > AUDIO",
        "MAIN LEVEL",
        "MAIN_LEVEL",
        SettingDisplay::Centered,
    ),
    (
        "CONTROL > AUDIO",
        "CUE LEVEL",
        "CUE_LEVEL",
        SettingDisplay::Centered,
    ),
    (
        "CONTROL > AUDIO",
        "PHONES MIX",
        "PHONES_MIX",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > AUDIO",
        "MAIN TO CUE",
        "MAIN_TO_CUE",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > INPUT",
        "GATE AB",
        "GATE_AB",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > INPUT",
        "GATE CD",
        "GATE_CD",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > INPUT",
        "GAIN AB",
        "GAIN_AB",
        SettingDisplay::Centered,
    ),
    (
        "CONTROL > INPUT",
        "GAIN CD",
        "GAIN_CD",
        SettingDisplay::Centered,
    ),
    (
        "CONTROL > INPUT",
        "DIR AB",
        "DIR_AB",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > INPUT",
        "DIR CD",
        "DIR_CD",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > INPUT",
        "DELAY COMPENSATION",
        "INPUT_DELAY_COMPENSATION",
        ON_OFF,
    ),
    (
        "CONTROL > SEQUENCER",
        "CHAIN AFTER",
        "PATTERN_CHANGE_CHAIN_BEHAVIOR",
        SettingDisplay::Steps,
    ),
    (
        "CONTROL > SEQUENCER",
        "SILENCE TRACKS",
        "PATTERN_CHANGE_AUTO_SILENCE_TRACKS",
        ON_OFF,
    ),
    (
        "CONTROL > SEQUENCER",
        "LFO AUTO TRIG",
        "PATTERN_CHANGE_AUTO_TRIG_LFOS",
        ON_OFF,
    ),
    ("CONTROL > METRONOME", "ACTIVE", "METRONOME_ENABLED", ON_OFF),
    (
        "CONTROL > METRONOME",
        "TIME SIG",
        "METRONOME_TIME_SIGNATURE",
        SettingDisplay::Numerator,
    ),
    (
        "CONTROL > METRONOME",
        "TIME SIG DENOM",
        "METRONOME_TIME_SIGNATURE_DENOMINATOR",
        SettingDisplay::Denominator,
    ),
    (
        "CONTROL > METRONOME",
        "PREROLL",
        "METRONOME_PREROLL",
        SettingDisplay::Plain("bars"),
    ),
    (
        "CONTROL > METRONOME",
        "CUE VOLUME",
        "METRONOME_CUE_VOLUME",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > METRONOME",
        "MAIN VOLUME",
        "METRONOME_MAIN_VOLUME",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > METRONOME",
        "PITCH",
        "METRONOME_PITCH",
        SettingDisplay::Plain(""),
    ),
    ("CONTROL > METRONOME", "TONAL", "METRONOME_TONAL", ON_OFF),
    (
        "CONTROL > MEMORY",
        "LOAD 24BIT FLEX",
        "LOAD_24BIT_FLEX",
        ON_OFF,
    ),
    (
        "CONTROL > MEMORY",
        "DYNAMIC RECORDERS",
        "DYNAMIC_RECORDERS",
        ON_OFF,
    ),
    (
        "CONTROL > MEMORY",
        "24BIT RECORDING",
        "RECORD_24BIT",
        ON_OFF,
    ),
    (
        "CONTROL > MEMORY",
        "RESERVED RECORDERS",
        "RESERVED_RECORDER_COUNT",
        SettingDisplay::Plain(""),
    ),
    (
        "CONTROL > MEMORY",
        "RESERVED LENGTH",
        "RESERVED_RECORDER_LENGTH",
        SettingDisplay::Plain(""),
    ),
    (
        "MIDI > CONTROL",
        "AUDIO CC IN",
        "MIDI_AUDIO_TRK_CC_IN",
        ON_OFF,
    ),
    (
        "MIDI > CONTROL",
        "AUDIO CC OUT",
        "MIDI_AUDIO_TRK_CC_OUT",
        SettingDisplay::Choice(INT_EXT),
    ),
    (
        "MIDI > CONTROL",
        "AUDIO NOTE IN",
        "MIDI_AUDIO_TRK_NOTE_IN",
        SettingDisplay::Choice(NOTE_IN),
    ),
    (
        "MIDI > CONTROL",
        "AUDIO NOTE OUT",
        "MIDI_AUDIO_TRK_NOTE_OUT",
        SettingDisplay::Choice(INT_EXT),
    ),
    (
        "MIDI > CONTROL",
        "MIDI CC IN",
        "MIDI_MIDI_TRK_CC_IN",
        SettingDisplay::Plain(""),
    ),
    ("MIDI > CONTROL", "SOFT THRU", "MIDI_SOFT_THRU", ON_OFF),
    ("MIDI > SYNC", "CLOCK SEND", "MIDI_CLOCK_SEND", ON_OFF),
    ("MIDI > SYNC", "CLOCK RECV", "MIDI_CLOCK_RECEIVE", ON_OFF),
    ("MIDI > SYNC", "TRANS SEND", "MIDI_TRANSPORT_SEND", ON_OFF),
    (
        "MIDI > SYNC",
        "TRANS RECV",
        "MIDI_TRANSPORT_RECEIVE",
        ON_OFF,
    ),
    (
        "MIDI > SYNC",
        "PROG CH SEND",
        "MIDI_PROGRAM_CHANGE_SEND",
        ON_OFF,
    ),
    (
        "MIDI > SYNC",
        "PROG CH SEND CH",
        "MIDI_PROGRAM_CHANGE_SEND_CH",
        SettingDisplay::Channel("AUTO"),
    ),
    (
        "MIDI > SYNC",
        "PROG CH RECV",
        "MIDI_PROGRAM_CHANGE_RECEIVE",
        ON_OFF,
    ),
    (
        "MIDI > SYNC",
        "PROG CH RECV CH",
        "MIDI_PROGRAM_CHANGE_RECEIVE_CH",
        SettingDisplay::Channel("AUTO"),
    ),
    (
        "MIDI > CHANNELS",
        "TRIG CH 1",
        "MIDI_TRIG_CH1",
        SettingDisplay::Channel("OFF"),
    ),
    (
        "MIDI > CHANNELS",
        "TRIG CH 2",
        "MIDI_TRIG_CH2",
        SettingDisplay::Channel("OFF"),
    ),
    (
        "MIDI > CHANNELS",
        "TRIG CH 3",
        "MIDI_TRIG_CH3",
        SettingDisplay::Channel("OFF"),
    ),
    (
        "MIDI > CHANNELS",
        "TRIG CH 4",
        "MIDI_TRIG_CH4",
        SettingDisplay::Channel("OFF"),
    ),
    (
        "MIDI > CHANNELS",
        "TRIG CH 5",
        "MIDI_TRIG_CH5",
        SettingDisplay::Channel("OFF"),
    ),
    (
        "MIDI > CHANNELS",
        "TRIG CH 6",
        "MIDI_TRIG_CH6",
        SettingDisplay::Channel("OFF"),
    ),
    (
        "MIDI > CHANNELS",
        "TRIG CH 7",
        "MIDI_TRIG_CH7",
        SettingDisplay::Channel("OFF"),
    ),
    (
        "MIDI > CHANNELS",
        "TRIG CH 8",
        "MIDI_TRIG_CH8",
        SettingDisplay::Channel("OFF"),
    ),
    (
        "MIDI > CHANNELS",
        "AUTO CH",
        "MIDI_AUTO_CHANNEL",
        SettingDisplay::Channel("OFF"),
    ),
];

/// Names of the MIDI track trig modes (`TRIG_MODE_MIDI`).
pub const MIDI_TRIG_MODES: &[&str] = &["TRACK", "CHROMATIC"];

const MIDI_TRACK_NAMES: [&str; 8] = [
    "TRIG MODE M1",
    "TRIG MODE M2",
    "TRIG MODE M3",
    "TRIG MODE M4",
    "TRIG MODE M5",
    "TRIG MODE M6",
    "TRIG MODE M7",
    "TRIG MODE M8",
];

/// Every setting in menu order: each `[SETTINGS]` key once, and the 8 `TRIG_MODE_MIDI` lines
/// under `CONTROL > MIDI SEQUENCER`.
pub fn project_menu() -> Vec<MenuItem> {
    let mut out = Vec::with_capacity(MENU.len() + 8);
    for &(menu, name, key, display) in MENU {
        if let Some(&spec) = SETTINGS_KEYS.iter().find(|s| s.key == key) {
            out.push(MenuItem {
                menu,
                name,
                spec,
                midi_track: None,
                display,
            });
        }
        if key == "PATTERN_CHANGE_AUTO_TRIG_LFOS" {
            out.extend((0..8).map(|t| MenuItem {
                menu: "CONTROL > MIDI SEQUENCER",
                name: MIDI_TRACK_NAMES[t],
                spec: TRIG_MODE_MIDI,
                midi_track: Some(t),
                display: SettingDisplay::Choice(MIDI_TRIG_MODES),
            }));
        }
    }
    out
}

fn signed(v: i64) -> String {
    if v > 0 {
        format!("+{v}")
    } else {
        v.to_string()
    }
}

impl MenuItem {
    /// The stored value as the menu shows it.
    pub fn show(&self, v: i64) -> String {
        let raw = || format!("#{v}");
        match self.display {
            SettingDisplay::OnOff => match v {
                0 => "OFF".into(),
                1 => "ON".into(),
                _ => raw(),
            },
            SettingDisplay::Choice(names) => usize::try_from(v)
                .ok()
                .and_then(|i| names.get(i))
                .map_or_else(raw, |s| s.to_string()),
            SettingDisplay::Plain("") => v.to_string(),
            SettingDisplay::Plain(unit) => format!("{v} {unit}"),
            SettingDisplay::Centered => signed(v - 64),
            SettingDisplay::Channel(off) => match v {
                -1 => off.to_string(),
                0..=15 => (v + 1).to_string(),
                _ => raw(),
            },
            SettingDisplay::Tempo => {
                let s = format!("{:.3}", v as f64 / 24.0);
                let s = s.trim_end_matches('0');
                let s = if s.ends_with('.') {
                    format!("{s}0")
                } else {
                    s.to_string()
                };
                format!("{s} BPM")
            }
            SettingDisplay::Numerator => (v + 1).to_string(),
            SettingDisplay::Denominator => match u32::try_from(v) {
                Ok(d) if d <= 16 => format!("/{}", 1u64 << d),
                _ => raw(),
            },
            SettingDisplay::Steps => match v {
                0 => "PLEN".into(),
                1..=16 => QUANT_STEPS[v as usize - 1].to_string(),
                _ => raw(),
            },
        }
    }

    /// The displayed range, e.g. `OFF, ON` or `30.0 BPM..300.0 BPM`.
    pub fn range_text(&self) -> String {
        let (lo, hi) = (self.spec.min, self.spec.max);
        if self.display == SettingDisplay::Steps {
            // Codes past 16 have no name (typed as #N).
            return "PLEN, 1..256 steps".into();
        }
        if hi - lo < 8 {
            (lo..=hi)
                .map(|v| self.show(v))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            format!("{}..{}", self.show(lo), self.show(hi))
        }
    }

    /// A typed value as the stored value: the displayed form (case-insensitive, the unit and a
    /// leading `+` optional; a tempo in BPM, rounded to 1/24), else a stored number in range
    /// (`#N` forces a stored number). The error names the item and the accepted forms.
    pub fn parse(&self, text: &str) -> Result<i64, String> {
        let (lo, hi) = (self.spec.min, self.spec.max);
        let t = text.trim();
        let stored = |s: &str| {
            s.trim()
                .parse::<i64>()
                .ok()
                .filter(|v| (lo..=hi).contains(v))
        };
        let v = match t.strip_prefix('#') {
            Some(raw) => stored(raw),
            None => match self.display {
                SettingDisplay::Tempo => {
                    let n = t
                        .get(..t.len().saturating_sub(3))
                        .filter(|_| t.to_ascii_uppercase().ends_with("BPM"))
                        .unwrap_or(t)
                        .trim();
                    n.parse::<f64>()
                        .ok()
                        .map(|b| (b * 24.0).round())
                        .filter(|x| x.is_finite() && (lo as f64..=hi as f64).contains(x))
                        .map(|x| x as i64)
                }
                SettingDisplay::Plain(u) => {
                    let n = t.len().saturating_sub(u.len());
                    let bare = match t.get(n..) {
                        Some(end) if !u.is_empty() && end.eq_ignore_ascii_case(u) => &t[..n],
                        _ => t,
                    };
                    stored(bare)
                }
                _ => (lo..=hi)
                    .find(|&v| {
                        let shown = self.show(v);
                        let bare = match self.display {
                            SettingDisplay::Denominator => {
                                shown.strip_prefix('/').unwrap_or(&shown)
                            }
                            _ => shown.strip_prefix('+').unwrap_or(&shown),
                        };
                        !shown.starts_with('#')
                            && (shown.eq_ignore_ascii_case(t) || bare.eq_ignore_ascii_case(t))
                    })
                    .or_else(|| stored(t)),
            },
        };
        v.ok_or_else(|| {
            format!(
                "{} takes {} (or a stored value #{lo}..#{hi}), got {t:?}",
                self.name,
                self.range_text()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_in_one_menu_and_reads_back() {
        let menu = project_menu();
        for spec in SETTINGS_KEYS {
            assert_eq!(
                menu.iter().filter(|i| i.spec.key == spec.key).count(),
                1,
                "{}",
                spec.key
            );
        }
        assert_eq!(menu.iter().filter(|i| i.midi_track.is_some()).count(), 8);
        for item in &menu {
            for v in item.spec.min..=item.spec.max {
                let shown = item.show(v);
                assert_eq!(item.parse(&shown), Ok(v), "{}: {v} {shown:?}", item.name);
                assert_eq!(item.parse(&format!("#{v}")), Ok(v), "{}: #{v}", item.name);
            }
        }
    }

    #[test]
    fn device_terms() {
        let menu = project_menu();
        let item = |k: &str| *menu.iter().find(|i| i.spec.key == k).unwrap();
        let tempo = item("TEMPOx24");
        assert_eq!(tempo.show(2880), "120.0 BPM");
        assert_eq!(tempo.show(3027), "126.125 BPM");
        assert_eq!(tempo.parse("126.125"), Ok(3027));
        assert_eq!(tempo.parse("90 bpm"), Ok(2160));
        assert!(
            tempo
                .parse("400")
                .unwrap_err()
                .contains("TEMPO takes 30.0 BPM..300.0 BPM")
        );
        assert_eq!(item("MIDI_TRIG_CH1").show(-1), "OFF");
        assert_eq!(item("MIDI_TRIG_CH2").show(1), "2");
        assert_eq!(item("MIDI_TRIG_CH2").parse("16"), Ok(15));
        assert_eq!(item("MIDI_PROGRAM_CHANGE_SEND_CH").show(-1), "AUTO");
        assert_eq!(item("METRONOME_TIME_SIGNATURE").show(3), "4");
        assert_eq!(item("METRONOME_TIME_SIGNATURE_DENOMINATOR").show(2), "/4");
        assert_eq!(
            item("METRONOME_TIME_SIGNATURE_DENOMINATOR").parse("8"),
            Ok(3)
        );
        assert_eq!(item("GAIN_AB").show(64), "0");
        assert_eq!(item("GAIN_AB").parse("+3"), Ok(67));
        assert_eq!(item("METRONOME_ENABLED").parse("on"), Ok(1));
        assert_eq!(item("METRONOME_PREROLL").show(2), "2 bars");
        assert_eq!(item("METRONOME_PREROLL").parse("2"), Ok(2));
        assert_eq!(item("MIDI_CLOCK_SEND").show(2), "#2");
        assert_eq!(item("PATTERN_CHANGE_CHAIN_BEHAVIOR").show(0), "PLEN");
        assert_eq!(item("LOAD_24BIT_FLEX").menu, "CONTROL > MEMORY");
        assert_eq!(item("MIDI_CLOCK_SEND").menu, "MIDI > SYNC");
        assert_eq!(item("MIDI_AUTO_CHANNEL").menu, "MIDI > CHANNELS");
    }
}
