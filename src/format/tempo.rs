//! The tempo a pattern plays at: the project's `TEMPOx24`, or the pattern's own tempo when
//! the project has pattern tempo on (`PATTERN_TEMPO_ENABLED=1`). Every view and command that
//! shows a pattern's tempo asks [`playing_tempo`], so they all agree with the device.

use super::bank::{DEFAULT_TEMPO_X24, Pattern};
use super::project_file::ProjectFile;

/// Which stored tempo plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TempoSource {
    /// The project tempo (`TEMPOx24` of project.work): pattern tempo is off.
    Project,
    /// The pattern's own tempo (pattern tempo is on).
    Pattern,
}

impl TempoSource {
    /// `project` or `pattern`.
    pub fn name(self) -> &'static str {
        match self {
            TempoSource::Project => "project",
            TempoSource::Pattern => "pattern",
        }
    }
}

/// A tempo that plays, with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tempo {
    /// BPM × 24, as stored.
    pub x24: u32,
    /// Which stored value it is.
    pub source: TempoSource,
}

impl Tempo {
    /// The tempo in BPM (3027 → 126.125).
    pub fn bpm(self) -> f64 {
        self.x24 as f64 / 24.0
    }

    /// The BPM as text, exact to the stored 1/24 (`124.0`, `126.125`, `95.042`).
    pub fn bpm_text(self) -> String {
        bpm_text(self.x24)
    }
}

/// `124.0 BPM (project)`.
impl std::fmt::Display for Tempo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} BPM ({})", self.bpm_text(), self.source.name())
    }
}

/// BPM × 24 as text: at least one decimal, at most three, no trailing zeros beyond the first.
pub fn bpm_text(x24: u32) -> String {
    let s = format!("{:.3}", x24 as f64 / 24.0);
    let t = s.trim_end_matches('0');
    if t.ends_with('.') {
        format!("{t}0")
    } else {
        t.to_string()
    }
}

/// Which stored tempo plays: the pattern's with pattern tempo on, else the project's. The one
/// place this is decided (the sequencer asks it too).
pub fn source(pattern_tempo_on: bool) -> TempoSource {
    if pattern_tempo_on {
        TempoSource::Pattern
    } else {
        TempoSource::Project
    }
}

/// Decides the tempo that plays from the project's settings and the pattern's stored tempo.
///
/// Missing keys read as the device's defaults (120 BPM, pattern tempo off).
pub fn playing_tempo_x24(
    pattern_tempo_on: bool,
    project_x24: Option<i64>,
    pattern_x24: u16,
) -> Tempo {
    match source(pattern_tempo_on) {
        TempoSource::Pattern => Tempo {
            x24: pattern_x24 as u32,
            source: TempoSource::Pattern,
        },
        TempoSource::Project => Tempo {
            x24: project_x24
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(DEFAULT_TEMPO_X24 as u32),
            source: TempoSource::Project,
        },
    }
}

/// The tempo `pattern` plays at in the project of `project`.
pub fn playing_tempo(project: &ProjectFile, pattern: &Pattern) -> Tempo {
    playing_tempo_x24(
        project.pattern_tempo_enabled().unwrap_or(false),
        project.tempo_x24(),
        pattern.tempo_x24,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_exact_to_a_24th() {
        assert_eq!(bpm_text(2976), "124.0");
        assert_eq!(bpm_text(3027), "126.125");
        assert_eq!(bpm_text(2281), "95.042");
        assert_eq!(bpm_text(2892), "120.5");
    }

    #[test]
    fn pattern_tempo_decides() {
        let off = playing_tempo_x24(false, Some(3027), 2880);
        assert_eq!((off.x24, off.source), (3027, TempoSource::Project));
        assert_eq!(off.to_string(), "126.125 BPM (project)");
        let on = playing_tempo_x24(true, Some(3027), 2880);
        assert_eq!(on.to_string(), "120.0 BPM (pattern)");
        assert_eq!(playing_tempo_x24(false, None, 1000).x24, 2880);
    }
}
