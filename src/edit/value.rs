//! The value language: everywhere a user types or reads a value it is in the unit the device
//! displays (AMP VOL `+20`, a note `E-4`, a slot `12`, a length `1/16`); a raw stored byte is
//! typed `#N`. This module is the inverse of the display functions of
//! [`crate::format::params`]: `parse(show(v)) == v` for every stored value the device shows.

use crate::format::params::{ParamInfo, ValueDisplay, ValueError};

/// How a value of some column is shown and typed.
///
/// ```
/// use octa::edit::value::Unit;
/// use octa::format::MachineType;
/// use octa::format::params::audio_param;
///
/// // AMP VOL (lock slot 15) of a Flex track with FILTER (4) and DELAY (8).
/// let vol = audio_param(MachineType::Flex, 4, 8, 15).expect("AMP VOL");
/// let unit = Unit::of(Some(vol));
/// assert_eq!(unit.parse("AMP VOL", "+20")?, 84); // shown +20, stored 64 + 20
/// assert_eq!(unit.show(84), "+20");
/// assert_eq!(unit.parse("AMP VOL", "#84")?, 84); // a stored byte
/// assert!(unit.parse("AMP VOL", "+99").is_err());
/// # Ok::<(), octa::format::params::ValueError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A parameter of the device's lock record or part, shown as the device shows it.
    Display(ValueDisplay),
    /// A byte the device does not name: shown and typed as the stored number.
    Raw,
}

impl Unit {
    /// The unit of a lock byte, from its parameter metadata (`None`: not a named parameter).
    pub fn of(param: Option<ParamInfo>) -> Self {
        param.map_or(Unit::Raw, |p| Unit::Display(p.display))
    }

    /// The stored value as shown (`---` for 255, no lock).
    pub fn show(self, stored: u8) -> String {
        match self {
            Unit::Display(d) => d.show(stored),
            Unit::Raw if stored == 255 => "---".into(),
            Unit::Raw => stored.to_string(),
        }
    }

    /// The largest stored value a user may set.
    pub fn max_stored(self) -> u8 {
        match self {
            Unit::Display(d) => d.max_stored(),
            Unit::Raw => 127,
        }
    }

    /// The displayed range (`-64..+63`).
    pub fn display_range(self) -> String {
        match self {
            Unit::Display(d) => d.range_text(),
            Unit::Raw => "0..127".into(),
        }
    }

    /// The accepted forms, for errors (`-64..+63 (or a stored value #0..#127)`).
    pub fn range_text(self) -> String {
        format!(
            "{} (or a stored value #0..#{})",
            self.display_range(),
            self.max_stored()
        )
    }

    /// Parses a typed value: the displayed form, or `#N` for a stored byte N. A bare number
    /// is always read in the displayed unit (VOL `20` is the byte the device shows as +20,
    /// never byte 20).
    pub fn parse(self, what: &str, text: &str) -> Result<u8, ValueError> {
        let t = text.trim();
        let max = self.max_stored();
        let v = match t.strip_prefix('#') {
            Some(raw) => raw.trim().parse::<u8>().ok().filter(|&v| v <= max),
            None => match self {
                // A number the device shows as itself (an unnamed choice `5`) also reads back.
                Unit::Display(d) => d
                    .parse_display(t)
                    .or_else(|| t.parse::<u8>().ok().filter(|&v| v <= max && d.show(v) == t)),
                Unit::Raw => t.parse::<u8>().ok().filter(|&v| v <= max),
            },
        };
        v.ok_or_else(|| ValueError {
            what: what.to_string(),
            expected: self.range_text(),
            text: t.to_string(),
        })
    }
}

/// Parses a `lo hi` range typed in the unit `unit` (`-10 +10` for a bipolar parameter,
/// `#0 #127` for stored bytes); returns the stored bounds, lowest first.
pub fn parse_range(unit: Unit, what: &str, text: &str) -> Result<(u8, u8), ValueError> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [lo, hi] = parts.as_slice() else {
        return Err(ValueError {
            what: what.to_string(),
            expected: format!("two values `min max` in {}", unit.range_text()),
            text: text.trim().to_string(),
        });
    };
    let (a, b) = (unit.parse(what, lo)?, unit.parse(what, hi)?);
    Ok((a.min(b), a.max(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::MachineType;
    use crate::format::params::{audio_param, midi_param};

    fn param(slot: usize) -> ParamInfo {
        audio_param(MachineType::Flex, 0, 0, slot).expect("a Flex parameter")
    }

    #[test]
    fn a_bare_number_is_the_displayed_value() {
        // Flex AMP VOL (lock byte 15) is bipolar: the device shows stored 84 as +20
        // (format doc: VOL displays stored - 64).
        let vol = Unit::of(Some(param(15)));
        assert_eq!(param(15).name, "VOL");
        assert_eq!(vol.parse("VOL", "20"), Ok(84));
        assert_eq!(vol.parse("VOL", "+20"), Ok(84));
        assert_eq!(vol.parse("VOL", "-64"), Ok(0));
        assert_eq!(vol.parse("VOL", "#20"), Ok(20));
        assert_eq!(vol.show(84), "+20");
        // Out of the displayed range is an error, not a stored byte.
        assert!(vol.parse("VOL", "100").is_err());
        assert!(vol.parse("VOL", "#128").is_err());
    }

    #[test]
    fn notes_slots_and_lengths_parse_as_shown() {
        let note = Unit::of(midi_param(0));
        assert_eq!(note.parse("NOTE", "E-4"), Ok(64));
        assert_eq!(note.parse("NOTE", "C-4"), Ok(60));
        assert_eq!(note.show(64), "E-4");
        let len = Unit::of(midi_param(2));
        // One step is 6 ticks of 1/96 note, shown 1/16 (format doc, MIDI LEN).
        assert_eq!(len.parse("LEN", "1/16"), Ok(6));
        assert_eq!(len.parse("LEN", "INF"), Ok(127));
        // Flex sample slot lock (byte 10... the SLOT display) is 1-based on screen.
        let slot = Unit::Display(ValueDisplay::Slot);
        assert_eq!(slot.parse("SLOT", "1"), Ok(0));
        assert_eq!(slot.parse("SLOT", "R2"), Ok(129));
        assert_eq!(slot.show(129), "R2");
    }

    #[test]
    fn show_then_parse_is_the_identity_on_every_stored_value() {
        let units = [
            ValueDisplay::Unipolar,
            ValueDisplay::Bipolar,
            ValueDisplay::Slot,
            ValueDisplay::Note,
            ValueDisplay::NoteLength,
            ValueDisplay::Choice(&["OFF", "A+B", "A", "B", "A/B"]),
        ];
        for d in units {
            let u = Unit::Display(d);
            for v in 0..=d.max_stored() {
                assert_eq!(u.parse("x", &u.show(v)), Ok(v), "{d:?} {v}");
            }
        }
    }

    #[test]
    fn ranges_are_typed_in_device_units() {
        let vol = Unit::of(Some(param(15)));
        assert_eq!(parse_range(vol, "VOL", "+10 -10"), Ok((54, 74)));
        assert_eq!(parse_range(vol, "VOL", "#0 #127"), Ok((0, 127)));
        assert!(parse_range(vol, "VOL", "0").is_err());
    }
}
