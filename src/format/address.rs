//! Typed addresses of a project's content and the one grammar the command line uses for them:
//! bank `A`, pattern `A05`, track `A05.T3` / `A05.M2`, part `A.P2`, scene `A.P2.S5`, and sample
//! slots `F5`, `S12`, `F1-F8`, `S3-5`, `FLEX12`, `F010` (letters case-insensitive).
//!
//! A lone `F` with two digits 01-16 (`F05`, `F10`) is bank F's pattern; Flex slots 10-16 are
//! written `F010` or `FLEX10` (and [`SlotRange`]'s `Display` writes them so). Every id holds a
//! valid index (0-based inside, numbered from 1 on the device and in text).

use super::slot_attrs::SlotRef;
use std::fmt;
use std::str::FromStr;

/// Why a text is not an address: the text and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?}: expected {expected}")]
pub struct AddressError {
    /// The text as given.
    pub text: String,
    /// What was expected (`a bank letter A..P`).
    pub expected: String,
}

impl AddressError {
    fn new(text: &str, expected: impl Into<String>) -> Self {
        Self {
            text: text.to_string(),
            expected: expected.into(),
        }
    }
}

impl From<AddressError> for String {
    fn from(e: AddressError) -> String {
        e.to_string()
    }
}

/// The whole grammar, for messages.
const GRAMMAR: &str =
    "a bank (A), pattern (A05), track (A05.T3, A05.M2), part (A.P2) or scene (A.P2.S5)";

/// A number `1..=max` (leading zeros allowed, `+` and signs not).
fn number(t: &str, max: usize) -> Option<usize> {
    if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<usize>().ok().filter(|n| (1..=max).contains(n))
}

macro_rules! id {
    ($(#[$doc:meta])* $name:ident, $count:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u8);

        impl $name {
            /// How many there are.
            pub const COUNT: usize = $count;
            /// From a 0-based index; `None` when out of range.
            pub fn new(index: usize) -> Option<Self> {
                u8::try_from(index).ok().filter(|&i| (i as usize) < $count).map(Self)
            }
            /// The 0-based index.
            pub fn index(self) -> usize {
                self.0 as usize
            }
            /// The number shown on the device (1-based).
            pub fn number(self) -> usize {
                self.0 as usize + 1
            }
            /// Every one, in order.
            pub fn all() -> impl Iterator<Item = Self> {
                (0..$count as u8).map(Self)
            }
        }
    };
}

id!(
    /// A bank, `A`..`P`.
    BankId,
    16
);
id!(
    /// A pattern of a bank, 1..16.
    PatternId,
    16
);
id!(
    /// A part of a bank, `P1`..`P4`.
    PartId,
    4
);
id!(
    /// A track: `T1`..`T8` audio (0..8), `M1`..`M8` MIDI (8..16).
    TrackId,
    16
);
id!(
    /// A scene of a part, `S1`..`S16`.
    SceneId,
    16
);

impl BankId {
    /// The bank's letter.
    pub fn letter(self) -> char {
        (b'A' + self.0) as char
    }
}

impl fmt::Display for BankId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

impl FromStr for BankId {
    type Err = AddressError;
    /// One letter `A`..`P`, case-insensitive.
    fn from_str(s: &str) -> Result<Self, AddressError> {
        let t = s.trim().as_bytes();
        match t {
            [c] if c.to_ascii_uppercase().is_ascii_uppercase() => {
                Self::new((c.to_ascii_uppercase() - b'A') as usize)
            }
            _ => None,
        }
        .ok_or_else(|| AddressError::new(s, "a bank letter A..P"))
    }
}

impl fmt::Display for PatternId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

impl FromStr for PatternId {
    type Err = AddressError;
    /// A number `1`..`16` (`05` too).
    fn from_str(s: &str) -> Result<Self, AddressError> {
        number(s.trim(), Self::COUNT)
            .and_then(|n| Self::new(n - 1))
            .ok_or_else(|| AddressError::new(s, "a pattern number 1..16"))
    }
}

impl fmt::Display for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}", self.number())
    }
}

impl FromStr for PartId {
    type Err = AddressError;
    /// `P1`..`P4` or `1`..`4`.
    fn from_str(s: &str) -> Result<Self, AddressError> {
        let t = s.trim();
        let t = t.strip_prefix(['P', 'p']).unwrap_or(t);
        number(t, Self::COUNT)
            .and_then(|n| Self::new(n - 1))
            .ok_or_else(|| AddressError::new(s, "a part P1..P4"))
    }
}

impl TrackId {
    /// Whether this is a MIDI track (`M1`..`M8`).
    pub fn is_midi(self) -> bool {
        self.0 >= 8
    }
}

impl fmt::Display for TrackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_midi() { 'M' } else { 'T' };
        write!(f, "{kind}{}", self.0 % 8 + 1)
    }
}

impl FromStr for TrackId {
    type Err = AddressError;
    /// `T1`..`T8` (audio) or `M1`..`M8` (MIDI).
    fn from_str(s: &str) -> Result<Self, AddressError> {
        let t = s.trim();
        let base = match t.as_bytes().first().map(u8::to_ascii_uppercase) {
            Some(b'T') => Some(0),
            Some(b'M') => Some(8),
            _ => None,
        };
        base.zip(t.get(1..).and_then(|n| number(n, 8)))
            .and_then(|(base, n)| Self::new(base + n - 1))
            .ok_or_else(|| AddressError::new(s, "a track T1..T8 (audio) or M1..M8 (MIDI)"))
    }
}

impl fmt::Display for SceneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{}", self.number())
    }
}

impl FromStr for SceneId {
    type Err = AddressError;
    /// `S1`..`S16` or `1`..`16`.
    fn from_str(s: &str) -> Result<Self, AddressError> {
        let t = s.trim();
        let t = t.strip_prefix(['S', 's']).unwrap_or(t);
        number(t, Self::COUNT)
            .and_then(|n| Self::new(n - 1))
            .ok_or_else(|| AddressError::new(s, "a scene S1..S16"))
    }
}

/// One bank, pattern, part, track of a pattern, or scene of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Address {
    /// `A`: a whole bank.
    Bank(BankId),
    /// `A05`: a pattern.
    Pattern(BankId, PatternId),
    /// `A.P2`: a part.
    Part(BankId, PartId),
    /// `A05.T3`, `A05.M2`: a track of a pattern.
    Track(BankId, PatternId, TrackId),
    /// `A.P2.S5`: a scene of a part.
    Scene(BankId, PartId, SceneId),
}

impl Address {
    /// The bank it is in.
    pub fn bank(self) -> BankId {
        match self {
            Self::Bank(b)
            | Self::Pattern(b, _)
            | Self::Part(b, _)
            | Self::Track(b, ..)
            | Self::Scene(b, ..) => b,
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Bank(b) => write!(f, "{b}"),
            Self::Pattern(b, p) => write!(f, "{b}{:02}", p.number()),
            Self::Part(b, p) => write!(f, "{b}.{p}"),
            Self::Track(b, p, t) => write!(f, "{b}{:02}.{t}", p.number()),
            Self::Scene(b, p, s) => write!(f, "{b}.{p}.{s}"),
        }
    }
}

impl FromStr for Address {
    type Err = AddressError;
    /// `A` (bank), `A05` (pattern), `A05.T3` / `A05.M2` (track), `A.P2` (part), `A.P2.S5`
    /// (scene); case-insensitive. The error names the piece that is wrong.
    fn from_str(s: &str) -> Result<Self, AddressError> {
        let whole = |what: &str| AddressError::new(s, format!("{what} ({GRAMMAR})"));
        let t = s.trim();
        let mut parts = t.split('.');
        let head = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        let Some(letter) = head.get(..1).filter(|l| l.is_ascii()) else {
            return Err(whole("a bank letter A..P first"));
        };
        let bank: BankId = letter
            .parse()
            .map_err(|_| whole(&format!("a bank letter A..P first, found {letter:?}")))?;
        let pat = &head[1..];
        let piece = |text: &str, what: &str| whole(&format!("{what}, found {text:?}"));
        let part = |p: &str| -> Result<PartId, AddressError> {
            p.strip_prefix(['P', 'p'])
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| piece(p, "a part P1..P4"))
        };
        if pat.is_empty() {
            return match rest.as_slice() {
                [] => Ok(Self::Bank(bank)),
                [p] => Ok(Self::Part(bank, part(p)?)),
                [p, sc] => Ok(Self::Scene(
                    bank,
                    part(p)?,
                    sc.strip_prefix(['S', 's'])
                        .and_then(|n| n.parse().ok())
                        .ok_or_else(|| piece(sc, "a scene S1..S16"))?,
                )),
                _ => Err(whole("at most two dots")),
            };
        }
        let pattern: PatternId = pat
            .parse()
            .map_err(|_| piece(pat, "a pattern 01..16 after the bank letter"))?;
        match rest.as_slice() {
            [] => Ok(Self::Pattern(bank, pattern)),
            [tr] => Ok(Self::Track(
                bank,
                pattern,
                tr.parse()
                    .map_err(|_| piece(tr, "a track T1..T8 or M1..M8"))?,
            )),
            _ => Err(whole("at most one dot after a pattern")),
        }
    }
}

/// A sample slot pool that holds sample files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pool {
    /// Flex slots `F1`..`F128`.
    Flex,
    /// Static slots `S1`..`S128`.
    Static,
}

/// One sample slot or a range of slots of one pool: `F5`, `S12`, `F1-F8`, `S3-5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SlotRange {
    pool: Pool,
    first: u16,
    last: u16,
}

/// Slots per pool.
const SLOTS: u16 = 128;

impl SlotRange {
    /// Slots `first..=last` (1-based) of a pool; `None` unless `1 <= first <= last <= 128`.
    pub fn new(pool: Pool, first: u16, last: u16) -> Option<Self> {
        (1 <= first && first <= last && last <= SLOTS).then_some(Self { pool, first, last })
    }

    /// One slot.
    pub fn one(pool: Pool, n: u16) -> Option<Self> {
        Self::new(pool, n, n)
    }

    /// The pool.
    pub fn pool(self) -> Pool {
        self.pool
    }

    /// The first and last slot numbers (1-based).
    pub fn bounds(self) -> (u16, u16) {
        (self.first, self.last)
    }

    /// The slots named, in order.
    pub fn slots(self) -> Vec<SlotRef> {
        (self.first..=self.last)
            .map(|n| match self.pool {
                Pool::Flex => SlotRef::Flex(n),
                Pool::Static => SlotRef::Static(n),
            })
            .collect()
    }

    /// Whether a text has the shape of slots rather than of an [`Address`]: `F1`, `S3`,
    /// `F1-F8`, `S3-5`, `FLEX12`, `STATIC3`, `F010`, but not `F05` (bank F's pattern 5).
    pub fn is_slot_text(text: &str) -> bool {
        let w = text.trim().to_ascii_uppercase();
        let one = |s: &str| -> bool {
            let digits = s.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            let pool = &s[..s.len() - digits.len()];
            matches!(pool, "F" | "S" | "FLEX" | "STATIC")
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
        };
        match w.split_once('-') {
            Some((a, b)) => {
                one(a) && (one(b) || (!b.is_empty() && b.bytes().all(|c| c.is_ascii_digit())))
            }
            None => {
                let digits = w.trim_start_matches('F');
                let pattern = w.starts_with('F')
                    && !w.starts_with("FLEX")
                    && digits.len() == 2
                    && number(digits, 16).is_some();
                one(&w) && !pattern
            }
        }
    }
}

impl fmt::Display for SlotRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = match self.pool {
            Pool::Flex => 'F',
            Pool::Static => 'S',
        };
        if self.first != self.last {
            return write!(f, "{p}{}-{p}{}", self.first, self.last);
        }
        // `F10` would be bank F's pattern 10.
        if self.pool == Pool::Flex && (10..=16).contains(&self.first) {
            write!(f, "F0{}", self.first)
        } else {
            write!(f, "{p}{}", self.first)
        }
    }
}

impl FromStr for SlotRange {
    type Err = AddressError;
    /// `F1`, `S3`, `F1-F8`, `F1-8`, `FLEX12`, `STATIC3`, `F010` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, AddressError> {
        let t = s.trim();
        let (a, b) = match t.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        let slot_of = |x: &str| -> Result<SlotRef, AddressError> {
            x.parse::<SlotRef>().map_err(|_| {
                AddressError::new(s, format!("a slot F1..F128 or S1..S128, found {x:?}"))
            })
        };
        let (pool, first) = match slot_of(a)? {
            SlotRef::Flex(n) => (Pool::Flex, n),
            SlotRef::Static(n) => (Pool::Static, n),
            SlotRef::Recorder(_) => {
                return Err(AddressError::new(
                    s,
                    "Flex (F) or Static (S) slots; recorder buffers hold no sample file",
                ));
            }
        };
        let Some(b) = b else {
            return Self::one(pool, first).ok_or_else(|| AddressError::new(s, "a slot 1..128"));
        };
        let last = if !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit()) {
            b.parse::<u16>()
                .map_err(|_| AddressError::new(s, "a range end 1..128"))?
        } else {
            match (pool, slot_of(b)?) {
                (Pool::Flex, SlotRef::Flex(n)) | (Pool::Static, SlotRef::Static(n)) => n,
                _ => {
                    return Err(AddressError::new(
                        s,
                        "a range within one pool (F1-F8, S3-S5)",
                    ));
                }
            }
        };
        Self::new(pool, first, last)
            .ok_or_else(|| AddressError::new(s, "a range from low to high within 1-128"))
    }
}

/// What a command names: an [`Address`] or sample slots ([`SlotRange`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selector {
    /// A bank, pattern, part, track or scene.
    Address(Address),
    /// Sample slots.
    Slots(SlotRange),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Address(a) => a.fmt(f),
            Self::Slots(s) => s.fmt(f),
        }
    }
}

impl FromStr for Selector {
    type Err = AddressError;
    /// Slots when the text has their shape ([`SlotRange::is_slot_text`]), else an address.
    fn from_str(s: &str) -> Result<Self, AddressError> {
        if SlotRange::is_slot_text(s) {
            s.parse().map(Self::Slots)
        } else {
            s.parse().map(Self::Address)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn addr(s: &str) -> Address {
        s.parse().unwrap()
    }

    #[test]
    fn addresses_parse_to_the_device_numbers() {
        let a = addr("c05.m2");
        let Address::Track(b, p, t) = a else {
            panic!("{a:?}")
        };
        assert_eq!((b.letter(), p.number(), t.index()), ('C', 5, 9));
        assert!(t.is_midi());
        assert_eq!(a.to_string(), "C05.M2");
        let Address::Scene(b, p, s) = addr(" P.P4.S16 ") else {
            panic!()
        };
        assert_eq!((b.index(), p.index(), s.index()), (15, 3, 15));
        assert_eq!(addr("A"), Address::Bank(BankId::new(0).unwrap()));
        assert_eq!(addr("A5").to_string(), "A05");
        assert_eq!(addr("a.p2").to_string(), "A.P2");
        assert_eq!(addr("B16.T8").to_string(), "B16.T8");
    }

    #[test]
    fn bad_addresses_say_what_was_expected() {
        let cases = [
            ("", "expected a bank letter A..P first"),
            ("Q", "expected a bank letter A..P first, found \"Q\""),
            (
                "A17",
                "expected a pattern 01..16 after the bank letter, found \"17\"",
            ),
            ("A00", "found \"00\""),
            ("A+1", "found \"+1\""),
            ("A.P5", "expected a part P1..P4, found \"P5\""),
            ("A.2", "expected a part P1..P4, found \"2\""),
            ("A05.T9", "expected a track T1..T8 or M1..M8, found \"T9\""),
            ("A05.X1", "found \"X1\""),
            ("A.P1.S0", "expected a scene S1..S16, found \"S0\""),
            ("A.P1.17", "expected a scene S1..S16, found \"17\""),
            ("A05.T1.S1", "at most one dot after a pattern"),
            ("A.P1.S1.X", "at most two dots"),
            ("AA", "found \"A\""),
            ("é", "expected a bank letter A..P first"),
        ];
        for (text, want) in cases {
            let e = text.parse::<Address>().unwrap_err().to_string();
            assert!(e.starts_with(&format!("{text:?}: expected ")), "{e}");
            assert!(e.contains(want), "{text}: {e}");
            assert!(e.ends_with(&format!("({GRAMMAR})")), "{e}");
        }
        assert_eq!(
            "Q".parse::<BankId>().unwrap_err().to_string(),
            "\"Q\": expected a bank letter A..P"
        );
        assert_eq!(
            "17".parse::<PatternId>().unwrap_err().to_string(),
            "\"17\": expected a pattern number 1..16"
        );
        assert!("0".parse::<PatternId>().is_err() && "-1".parse::<PatternId>().is_err());
        assert_eq!("16".parse::<PatternId>().unwrap().index(), 15);
    }

    #[test]
    fn slots_parse_and_are_told_from_patterns() {
        let r: SlotRange = "F1-F8".parse().unwrap();
        assert_eq!(r.slots().len(), 8);
        assert_eq!(r.slots()[7], SlotRef::Flex(8));
        assert_eq!("s3-5".parse::<SlotRange>().unwrap().bounds(), (3, 5));
        assert_eq!(
            "FLEX12".parse::<SlotRange>().unwrap().slots(),
            [SlotRef::Flex(12)]
        );
        assert_eq!(
            "F010".parse::<SlotRange>().unwrap().slots(),
            [SlotRef::Flex(10)]
        );
        for (text, slots) in [("F05", false), ("F10", false), ("F17", true), ("F5", true)] {
            assert_eq!(SlotRange::is_slot_text(text), slots, "{text}");
        }
        assert_eq!(
            "F05".parse::<Selector>().unwrap(),
            Selector::Address(addr("F05"))
        );
        assert!(matches!("S12".parse::<Selector>(), Ok(Selector::Slots(_))));
        for (bad, want) in [
            ("F0", "a slot F1..F128 or S1..S128, found \"F0\""),
            ("F129", "found \"F129\""),
            ("F1-S3", "a range within one pool"),
            ("F8-F1", "a range from low to high within 1-128"),
            ("F1-200", "within 1-128"),
            ("R1", "recorder buffers hold no sample file"),
        ] {
            let e = bad.parse::<SlotRange>().unwrap_err().to_string();
            assert!(e.starts_with(&format!("{bad:?}: expected ")), "{e}");
            assert!(e.contains(want), "{bad}: {e}");
        }
    }

    fn any_address() -> impl Strategy<Value = Address> {
        (0..16usize, 0..16usize, 0..4usize, 0..16usize, 0..5u8).prop_map(|(b, p, q, x, k)| {
            let b = BankId::new(b).unwrap();
            let pat = PatternId::new(p).unwrap();
            let part = PartId::new(q).unwrap();
            match k {
                0 => Address::Bank(b),
                1 => Address::Pattern(b, pat),
                2 => Address::Part(b, part),
                3 => Address::Track(b, pat, TrackId::new(x).unwrap()),
                _ => Address::Scene(b, part, SceneId::new(x).unwrap()),
            }
        })
    }

    proptest! {
        #[test]
        fn addresses_display_and_parse_back(a in any_address()) {
            let text = a.to_string();
            prop_assert_eq!(text.parse::<Address>(), Ok(a));
            prop_assert_eq!(text.to_ascii_lowercase().parse::<Address>(), Ok(a));
            prop_assert_eq!(text.parse::<Selector>(), Ok(Selector::Address(a)));
        }

        #[test]
        fn any_text_parses_or_says_what_was_expected(text in "\\PC{0,12}|[A-Pa-p.0-9TMPSFtmpsf-]{0,10}") {
            for e in [
                text.parse::<Selector>().err(),
                text.parse::<SlotRange>().err(),
                text.parse::<TrackId>().err(),
            ]
            .into_iter()
            .flatten()
            {
                let shown = e.to_string();
                prop_assert!(shown.starts_with(&format!("{text:?}: expected ")), "{}", shown);
            }
        }

        #[test]
        fn slots_display_and_parse_back(flex: bool, a in 1u16..=128, b in 1u16..=128) {
            let pool = if flex { Pool::Flex } else { Pool::Static };
            let r = SlotRange::new(pool, a.min(b), a.max(b)).unwrap();
            let text = r.to_string();
            prop_assert_eq!(text.parse::<SlotRange>(), Ok(r));
            prop_assert_eq!(text.parse::<Selector>(), Ok(Selector::Slots(r)));
        }
    }
}
