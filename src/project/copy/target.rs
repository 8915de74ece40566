//! What to copy or where to: [`Target`], a bank, pattern, part, track or scene (its text is
//! [`Address`]'s grammar).

use crate::format::address::{Address, AddressError, BankId, PartId, PatternId, SceneId, TrackId};
use crate::project::slots::{Result, SlotError};

/// What to copy or where to: one bank, pattern, part, track or scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A whole bank (0..16).
    Bank {
        /// Bank.
        bank: usize,
    },
    /// A pattern.
    Pattern {
        /// Bank.
        bank: usize,
        /// Pattern 0..16.
        pattern: usize,
    },
    /// A part (its working copy).
    Part {
        /// Bank.
        bank: usize,
        /// Part 0..4.
        part: usize,
    },
    /// A track of a pattern (0..8 audio, 8..16 MIDI) and its settings in the pattern's part.
    Track {
        /// Bank.
        bank: usize,
        /// Pattern 0..16.
        pattern: usize,
        /// Track 0..16.
        track: usize,
    },
    /// A scene of a part.
    Scene {
        /// Bank.
        bank: usize,
        /// Part 0..4.
        part: usize,
        /// Scene 0..16.
        scene: usize,
    },
}

fn bank_letter(b: usize) -> char {
    (b'A' + (b as u8 & 15)) as char
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let l = bank_letter;
        match *self {
            Target::Bank { bank } => write!(f, "bank {}", l(bank)),
            Target::Pattern { bank, pattern } => write!(f, "pattern {}{:02}", l(bank), pattern + 1),
            Target::Part { bank, part } => write!(f, "part {} of bank {}", part + 1, l(bank)),
            Target::Track {
                bank,
                pattern,
                track,
            } => write!(
                f,
                "track {}{} of pattern {}{:02}",
                if track < 8 { 'T' } else { 'M' },
                track % 8 + 1,
                l(bank),
                pattern + 1
            ),
            Target::Scene { bank, part, scene } => write!(
                f,
                "scene {} of part {} of bank {}",
                scene + 1,
                part + 1,
                l(bank)
            ),
        }
    }
}

impl std::str::FromStr for Target {
    type Err = AddressError;
    /// `A` (bank), `A05` (pattern), `A05.T3` / `A05.M2` (track), `A.P2` (part),
    /// `A.P2.S5` (scene); case-insensitive (the grammar of [`Address`]).
    fn from_str(s: &str) -> std::result::Result<Self, AddressError> {
        s.parse::<Address>().map(Target::from)
    }
}

impl From<Address> for Target {
    fn from(a: Address) -> Self {
        match a {
            Address::Bank(b) => Target::Bank { bank: b.index() },
            Address::Pattern(b, p) => Target::Pattern {
                bank: b.index(),
                pattern: p.index(),
            },
            Address::Part(b, p) => Target::Part {
                bank: b.index(),
                part: p.index(),
            },
            Address::Track(b, p, t) => Target::Track {
                bank: b.index(),
                pattern: p.index(),
                track: t.index(),
            },
            Address::Scene(b, p, sc) => Target::Scene {
                bank: b.index(),
                part: p.index(),
                scene: sc.index(),
            },
        }
    }
}

impl Target {
    /// The typed address (`A05.T3`); `None` when a number is out of range.
    pub fn address(&self) -> Option<Address> {
        Some(match *self {
            Target::Bank { bank } => Address::Bank(BankId::new(bank)?),
            Target::Pattern { bank, pattern } => {
                Address::Pattern(BankId::new(bank)?, PatternId::new(pattern)?)
            }
            Target::Part { bank, part } => Address::Part(BankId::new(bank)?, PartId::new(part)?),
            Target::Track {
                bank,
                pattern,
                track,
            } => Address::Track(
                BankId::new(bank)?,
                PatternId::new(pattern)?,
                TrackId::new(track)?,
            ),
            Target::Scene { bank, part, scene } => {
                Address::Scene(BankId::new(bank)?, PartId::new(part)?, SceneId::new(scene)?)
            }
        })
    }

    /// The bank it is in.
    pub fn bank(&self) -> usize {
        match *self {
            Target::Bank { bank }
            | Target::Pattern { bank, .. }
            | Target::Part { bank, .. }
            | Target::Track { bank, .. }
            | Target::Scene { bank, .. } => bank,
        }
    }

    pub(super) fn check(&self) -> Result<()> {
        if self.address().is_some() {
            Ok(())
        } else {
            Err(SlotError::Invalid(format!("{self:?} is out of range")))
        }
    }
}
