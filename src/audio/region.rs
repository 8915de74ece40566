//! Which frames of a sample to play: the whole file, a slot's trim or loop, or a
//! slice, in source frames (as the Octatrack stores them in `markers.work` and
//! `.ot` files), plus the small adapters from the format module's markers and
//! `.ot` sample settings. Pure: it gets parsed settings (or a `.ot` file's bytes), never a
//! path; reading a sample's `.ot` file is `project::sidecar`'s job.

use crate::format::markers::SlotMarkers;
use crate::format::ot::SampleSettings;
use crate::format::regions::Slice;

/// The `.ot` / markers value meaning "slice loop off".
pub const LOOP_OFF: u32 = 0xFFFF_FFFF;

/// A span of source frames: `start..end` (end exclusive), with an optional loop
/// point inside it. When looping, playback runs `start..end` once, then repeats
/// `loop_start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First frame played.
    pub start: u64,
    /// One past the last frame played; `None` plays to the end of the file.
    pub end: Option<u64>,
    /// Where a loop restarts; `None` restarts at `start`.
    pub loop_start: Option<u64>,
}

impl Region {
    /// The whole file.
    pub const WHOLE: Region = Region {
        start: 0,
        end: None,
        loop_start: None,
    };

    /// `start..end` with no loop point.
    pub fn frames(start: u64, end: u64) -> Self {
        Self {
            start,
            end: Some(end),
            loop_start: None,
        }
    }

    /// A slice as stored in `.ot` / `markers.work` (`loop` = [`LOOP_OFF`] for none;
    /// a stored loop point outside the slice is ignored).
    pub fn from_slice(start: u32, end: u32, loop_point: u32) -> Self {
        let (start, end) = (u64::from(start), u64::from(end));
        let loop_start = (loop_point != LOOP_OFF)
            .then_some(u64::from(loop_point))
            .filter(|l| *l >= start && *l < end);
        Self {
            start,
            end: Some(end),
            loop_start,
        }
    }

    /// A slot's trim (`trim_start..trim_end`) looping from its loop point.
    pub fn trim(trim_start: u32, trim_end: u32, loop_point: u32) -> Self {
        Self::from_slice(trim_start, trim_end, loop_point)
    }

    /// A slot's loop section: `loop_point..trim_end`.
    pub fn loop_section(loop_point: u32, trim_end: u32) -> Self {
        Self::frames(u64::from(loop_point), u64::from(trim_end))
    }

    /// The region clamped to a file of `total` frames; `Err` with a reason when
    /// nothing of it is inside the file or it is empty.
    pub fn clamp_to(&self, total: Option<u64>) -> Result<Region, String> {
        let end = match (self.end, total) {
            (Some(e), Some(t)) => Some(e.min(t)),
            (Some(e), None) => Some(e),
            (None, t) => t,
        };
        if let Some(t) = total
            && self.start >= t
        {
            return Err(format!(
                "region starts at frame {} but the file has {} frames",
                self.start, t
            ));
        }
        if let Some(e) = end
            && e <= self.start
        {
            return Err(format!("region {}..{} is empty", self.start, e));
        }
        Ok(Region {
            start: self.start,
            end,
            loop_start: self
                .loop_start
                .filter(|l| *l >= self.start && end.is_none_or(|e| *l < e)),
        })
    }

    /// Length in frames, when the end is known.
    pub fn len(&self) -> Option<u64> {
        self.end.map(|e| e.saturating_sub(self.start))
    }

    /// Whether the region is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

/// Which part of a slot (or `.ot` file) to preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionChoice {
    /// The whole file.
    Whole,
    /// Trim start to trim end, looping from the loop point.
    Trim,
    /// Loop point to trim end.
    Loop,
    /// Slice `n`, 1-based as on the device (1..=64).
    Slice(usize),
}

impl Region {
    /// A format-module slice.
    pub fn from_format_slice(s: &Slice) -> Self {
        Self::from_slice(s.start, s.end, s.loop_start)
    }

    /// From a slot's markers (`markers.work`).
    pub fn from_markers(m: &SlotMarkers, choice: RegionChoice) -> Result<Self, String> {
        pick(m.trim_start, m.trim_end, m.loop_point, &m.slices, choice)
    }

    /// From the bytes of a sample's `.ot` file (the error says what is wrong and where).
    pub fn from_ot_bytes(bytes: &[u8], choice: RegionChoice) -> Result<Self, String> {
        let ot = SampleSettings::parse(bytes).map_err(|e| e.to_string())?;
        Self::from_ot(&ot, choice)
    }

    /// From a sample's `.ot` settings.
    pub fn from_ot(ot: &SampleSettings, choice: RegionChoice) -> Result<Self, String> {
        pick(
            ot.trim_start(),
            ot.trim_end(),
            ot.loop_start(),
            &ot.slices(),
            choice,
        )
    }
}

fn pick(
    trim_start: u32,
    trim_end: u32,
    loop_point: u32,
    slices: &[Slice],
    choice: RegionChoice,
) -> Result<Region, String> {
    match choice {
        RegionChoice::Whole => Ok(Region::WHOLE),
        RegionChoice::Trim => Ok(Region::trim(trim_start, trim_end, loop_point)),
        RegionChoice::Loop => Ok(Region::loop_section(loop_point, trim_end)),
        RegionChoice::Slice(n) => match n.checked_sub(1).and_then(|i| slices.get(i)) {
            Some(s) => Ok(Region::from_format_slice(s)),
            None => Err(format!(
                "slice {n} does not exist (there are {} slices, numbered from 1)",
                slices.len()
            )),
        },
    }
}

impl Default for Region {
    fn default() -> Self {
        Self::WHOLE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_loop_off_and_clamp() {
        let r = Region::from_slice(100, 200, LOOP_OFF);
        assert_eq!(r.loop_start, None);
        assert_eq!(r.len(), Some(100));
        let r = Region::from_slice(100, 200, 150);
        assert_eq!(r.loop_start, Some(150));
        let c = Region::frames(10, 1000).clamp_to(Some(500)).unwrap();
        assert_eq!(c.end, Some(500));
        assert!(Region::frames(600, 700).clamp_to(Some(500)).is_err());
        assert!(Region::frames(5, 5).clamp_to(None).is_err());
        assert_eq!(Region::WHOLE.clamp_to(Some(42)).unwrap().len(), Some(42));
    }

    #[test]
    fn slice_three_from_ot_bytes() {
        let Some(ot) = crate::testutil::corpus("ot/sample-settings/chain-16/valid-1.ot") else {
            return;
        };
        let bytes = std::fs::read(ot).unwrap();
        // valid-1.ot: 16 slices, slice 3 is frames 5358..8037, trim 0..42864.
        let r = Region::from_ot_bytes(&bytes, RegionChoice::Slice(3)).unwrap();
        assert_eq!(r, Region::frames(5358, 8037));
        let t = Region::from_ot_bytes(&bytes, RegionChoice::Trim).unwrap();
        assert_eq!((t.start, t.end), (0, Some(42864)));
        let e = Region::from_ot_bytes(&bytes, RegionChoice::Slice(17)).unwrap_err();
        assert!(e.contains("16 slices"), "{e}");
        let e = Region::from_ot_bytes(&bytes[..100], RegionChoice::Trim).unwrap_err();
        assert!(e.contains("832"), "{e}");
    }
}
