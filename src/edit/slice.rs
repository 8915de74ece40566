//! Slice editing for the sample view: add a slice point, move, delete, an equal
//! grid of N and snapping to zero crossings. Edits go through the format module's
//! slice helpers and are written back with [`SliceEditor::write_ot`] /
//! [`SliceEditor::write_markers`].

use crate::format::FormatError;
use crate::format::markers::Markers;
use crate::format::ot::SampleSettings;
use crate::format::regions::{self, MAX_SLICES, Slice};
use crate::format::slot_attrs::SlotRef;

/// The slices of one sample being edited, with a selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SliceEditor {
    slices: Vec<Slice>,
    frames: u32,
    selected: Option<usize>,
}

impl SliceEditor {
    /// Edits `slices` of a sample `frames` long.
    pub fn new(slices: Vec<Slice>, frames: u32) -> Self {
        let selected = (!slices.is_empty()).then_some(0);
        Self {
            slices,
            frames,
            selected,
        }
    }

    /// The slices, in order.
    pub fn slices(&self) -> &[Slice] {
        &self.slices
    }

    /// The selected slice (0-based index).
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Selects slice `index` (clamped).
    pub fn select(&mut self, index: usize) {
        self.selected = (!self.slices.is_empty()).then(|| index.min(self.slices.len() - 1));
    }

    /// The slice containing `frame`.
    pub fn slice_at(&self, frame: u32) -> Option<usize> {
        self.slices
            .iter()
            .position(|s| s.start <= frame && frame < s.end)
    }

    /// Adds a slice point at `frame`: splits the slice containing it, or starts a
    /// new slice there that runs to the next slice (or the end of the sample).
    /// Selects the new slice.
    pub fn add_at(&mut self, frame: u32) -> Result<(), FormatError> {
        let frame = frame.min(self.frames.saturating_sub(1));
        if self.slices.iter().any(|s| s.start == frame) {
            return Ok(());
        }
        let (base, new) = match self.slice_at(frame) {
            Some(i) => {
                let s = self.slices[i];
                let split = regions::move_slice(&self.slices, i, s.start, frame)?;
                (split, Slice::new(frame, s.end))
            }
            None => {
                let next = self
                    .slices
                    .iter()
                    .map(|s| s.start)
                    .filter(|&st| st > frame)
                    .min()
                    .unwrap_or(self.frames);
                (self.slices.clone(), Slice::new(frame, next))
            }
        };
        self.slices = regions::add_slice(&base, new)?;
        self.selected = self.slices.iter().position(|s| *s == new);
        Ok(())
    }

    /// Moves the selected slice's start to `frame`, keeping it inside its
    /// neighbours; a previous slice that ended where it started follows.
    pub fn move_start(&mut self, frame: u32) -> Result<(), FormatError> {
        let Some(i) = self.selected else {
            return Ok(());
        };
        let s = self.slices[i];
        let low = if i > 0 {
            self.slices[i - 1].start + 1
        } else {
            0
        };
        let high = s.end.saturating_sub(1).max(low);
        let to = frame.clamp(low, high);
        let mut out = regions::move_slice(&self.slices, i, to, s.end)?;
        if i > 0 && self.slices[i - 1].end == s.start {
            let p = self.slices[i - 1];
            out = regions::move_slice(&out, i - 1, p.start, to)?;
        }
        self.slices = out;
        Ok(())
    }

    /// Moves the selected slice's start by `delta` frames.
    pub fn nudge(&mut self, delta: i64) -> Result<(), FormatError> {
        let Some(i) = self.selected else {
            return Ok(());
        };
        let to = (i64::from(self.slices[i].start) + delta).clamp(0, i64::from(u32::MAX));
        self.move_start(to as u32)
    }

    /// Deletes the selected slice; a previous slice that ended where it started
    /// takes over its frames.
    pub fn delete(&mut self) -> Result<(), FormatError> {
        let Some(i) = self.selected else {
            return Ok(());
        };
        let s = self.slices[i];
        let mut out = regions::delete_slice(&self.slices, i)?;
        if i > 0 && out[i - 1].end == s.start {
            let p = out[i - 1];
            out = regions::move_slice(&out, i - 1, p.start, s.end)?;
        }
        self.slices = out;
        self.select(i.saturating_sub(1));
        Ok(())
    }

    /// Replaces the slices with `n` equal ones (1..=64) over the sample.
    pub fn grid(&mut self, n: usize) -> Result<(), FormatError> {
        self.slices = regions::equal_grid(n.min(MAX_SLICES), self.frames)?;
        self.select(0);
        Ok(())
    }

    /// Snaps every slice start (and the end of a slice that meets it) to the
    /// zero crossing `snap` finds near it (e.g.
    /// [`crate::audio::peaks::snap_to_zero_crossing`]). Starts never cross.
    pub fn snap_all(&mut self, mut snap: impl FnMut(u32) -> u32) -> Result<(), FormatError> {
        let keep = self.selected;
        for i in 0..self.slices.len() {
            self.selected = Some(i);
            let target = snap(self.slices[i].start);
            self.move_start(target)?;
        }
        self.selected = keep;
        Ok(())
    }

    /// Snaps the selected slice's start.
    pub fn snap_selected(&mut self, mut snap: impl FnMut(u32) -> u32) -> Result<(), FormatError> {
        let Some(i) = self.selected else {
            return Ok(());
        };
        self.move_start(snap(self.slices[i].start))
    }

    /// Writes the slices into a sample's `.ot` settings.
    pub fn write_ot(&self, ot: &mut SampleSettings) -> Result<(), FormatError> {
        ot.set_slices(&self.slices)
    }

    /// Writes the slices into a slot of `markers.work`.
    pub fn write_markers(&self, markers: &mut Markers, slot: SlotRef) -> Result<(), FormatError> {
        markers.set_slices(slot, &self.slices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_split_move_delete_grid() {
        let mut e = SliceEditor::new(Vec::new(), 1000);
        e.add_at(0).unwrap();
        assert_eq!(e.slices(), &[Slice::new(0, 1000)]);
        e.add_at(400).unwrap();
        assert_eq!(e.slices(), &[Slice::new(0, 400), Slice::new(400, 1000)]);
        assert_eq!(e.selected(), Some(1));
        e.add_at(400).unwrap();
        assert_eq!(e.slices().len(), 2, "no duplicate start");
        // Moving the second slice's start drags the first slice's end along.
        e.move_start(450).unwrap();
        assert_eq!(e.slices(), &[Slice::new(0, 450), Slice::new(450, 1000)]);
        // It cannot pass its neighbours.
        e.nudge(-1000).unwrap();
        assert_eq!(e.slices()[1].start, 1);
        e.move_start(2000).unwrap();
        assert_eq!(e.slices()[1].start, 999);
        e.move_start(500).unwrap();
        // Delete merges into the previous slice.
        e.delete().unwrap();
        assert_eq!(e.slices(), &[Slice::new(0, 1000)]);
        assert_eq!(e.selected(), Some(0));
        e.grid(4).unwrap();
        assert_eq!(e.slices().len(), 4);
        assert_eq!(e.slices()[1], Slice::new(250, 500));
        assert!(e.grid(0).is_err());
    }

    #[test]
    fn snapping_to_zero_crossings_of_the_sine() {
        let Some(p) = crate::testutil::corpus("audio/sine440-44k1-16bit-mono.wav") else {
            return;
        };
        let d = crate::audio::decode::decode_file(&p).unwrap();
        let crossings = crate::audio::peaks::zero_crossings(&d.samples, 1);
        let mut e = SliceEditor::new(Vec::new(), 22_050);
        e.grid(8).unwrap();
        e.snap_all(|f| {
            crate::audio::peaks::nearest_zero_crossing(&d.samples, 1, f as usize, 60)
                .map_or(f, |z| z as u32)
        })
        .unwrap();
        let s = e.slices();
        assert_eq!(s.len(), 8);
        for (i, sl) in s.iter().enumerate().skip(1) {
            assert!(
                crossings.contains(&(sl.start as usize)),
                "slice {i} at {}",
                sl.start
            );
            assert_eq!(s[i - 1].end, sl.start, "contiguous");
        }
    }

    #[test]
    fn written_through_the_format_module() {
        let mut e = SliceEditor::new(Vec::new(), 44_100);
        e.grid(3).unwrap();
        let mut ot = SampleSettings::for_sample(44_100, 44_100);
        e.write_ot(&mut ot).unwrap();
        let back = SampleSettings::parse(&ot.to_bytes()).unwrap();
        assert_eq!(back.slices(), e.slices());
        let mut m = Markers::blank();
        e.write_markers(&mut m, SlotRef::Flex(5)).unwrap();
        let back = Markers::parse(&m.to_bytes()).unwrap();
        assert_eq!(back.slices(SlotRef::Flex(5)).unwrap(), e.slices());
    }
}
