//! A waveform widget: min/max peaks per column from a [`PeakSummary`], with trim,
//! loop and slice markers and a cursor.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::audio::peaks::{PeakColumn, PeakSummary};
use crate::format::regions::Slice;

/// What a marker marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// Trim start (`[`).
    TrimStart,
    /// Trim end (`]`).
    TrimEnd,
    /// Loop point (`L`).
    Loop,
    /// Start of slice `n` (1-based), drawn as a line with its number on top.
    Slice(usize),
    /// The edit cursor.
    Cursor,
}

/// A marker at a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// Frame position.
    pub frame: u64,
    /// Kind.
    pub kind: MarkerKind,
}

/// Markers for a slot: trim, loop point and slice starts.
pub fn slot_markers(
    trim_start: u32,
    trim_end: u32,
    loop_point: u32,
    slices: &[Slice],
) -> Vec<Marker> {
    let mut m = vec![
        Marker {
            frame: u64::from(trim_start),
            kind: MarkerKind::TrimStart,
        },
        Marker {
            frame: u64::from(trim_end),
            kind: MarkerKind::TrimEnd,
        },
        Marker {
            frame: u64::from(loop_point),
            kind: MarkerKind::Loop,
        },
    ];
    m.extend(slices.iter().enumerate().map(|(i, s)| Marker {
        frame: u64::from(s.start),
        kind: MarkerKind::Slice(i + 1),
    }));
    m
}

/// Styles of the widget's parts.
#[derive(Debug, Clone, Copy, Default)]
pub struct WaveformStyles {
    /// The waveform.
    pub wave: Style,
    /// The zero line.
    pub axis: Style,
    /// Trim and loop markers.
    pub marker: Style,
    /// Slice lines and numbers.
    pub slice: Style,
    /// The selected slice.
    pub selected: Style,
    /// The cursor.
    pub cursor: Style,
}

/// The waveform of frames `start..end` of a summarised file.
#[derive(Debug, Clone)]
pub struct Waveform<'a> {
    summary: &'a PeakSummary,
    start: u64,
    end: u64,
    markers: &'a [Marker],
    selected_slice: Option<usize>,
    styles: WaveformStyles,
}

impl<'a> Waveform<'a> {
    /// The whole file, no markers.
    pub fn new(summary: &'a PeakSummary) -> Self {
        Self {
            summary,
            start: 0,
            end: summary.frames,
            markers: &[],
            selected_slice: None,
            styles: WaveformStyles::default(),
        }
    }

    /// Shows frames `start..end` (zoom).
    pub fn range(mut self, start: u64, end: u64) -> Self {
        self.end = end.min(self.summary.frames).max(start.saturating_add(1));
        self.start = start.min(self.end.saturating_sub(1));
        self
    }

    /// Draws these markers.
    pub fn markers(mut self, markers: &'a [Marker]) -> Self {
        self.markers = markers;
        self
    }

    /// Highlights slice `n` (1-based).
    pub fn selected_slice(mut self, n: Option<usize>) -> Self {
        self.selected_slice = n;
        self
    }

    /// Sets the styles.
    pub fn styles(mut self, styles: WaveformStyles) -> Self {
        self.styles = styles;
        self
    }

    /// The column of `frame` in an area `width` wide, if visible.
    pub fn column_of(&self, frame: u64, width: u16) -> Option<u16> {
        if frame < self.start || frame > self.end || width == 0 {
            return None;
        }
        let span = (self.end - self.start).max(1);
        let x = (frame - self.start) * u64::from(width) / span;
        Some(x.min(u64::from(width) - 1) as u16)
    }

    /// The first frame shown in column `x` of an area `width` wide.
    pub fn frame_at(&self, x: u16, width: u16) -> u64 {
        let span = self.end - self.start;
        self.start + span * u64::from(x) / u64::from(width.max(1))
    }
}

/// The glyph for a cell whose amplitude band is `[lo, hi]` (top half / bottom
/// half); the column is drawn filled from the zero line to its min and max.
fn cell_glyph(col: PeakColumn, lo: f32, hi: f32) -> Option<&'static str> {
    let (min, max) = (col.min.min(0.0), col.max.max(0.0));
    let mid = 0.5 * (lo + hi);
    let upper = max > mid && min < hi;
    let lower = min < mid && max > lo;
    match (upper, lower) {
        (true, true) => Some("█"),
        (true, false) => Some("▀"),
        (false, true) => Some("▄"),
        (false, false) => None,
    }
}

impl Widget for Waveform<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let peaks = self
            .summary
            .peaks(self.start, self.end, usize::from(area.width))
            .merged();
        let h = f32::from(area.height);
        let axis_row = area.height / 2;
        for (i, col) in peaks.iter().enumerate() {
            let x = area.x + i as u16;
            for row in 0..area.height {
                // Row 0 is +1.0, the last row ends at -1.0.
                let hi = 1.0 - 2.0 * f32::from(row) / h;
                let lo = 1.0 - 2.0 * f32::from(row + 1) / h;
                let (symbol, style) = match cell_glyph(*col, lo, hi) {
                    Some(g) => (g, self.styles.wave),
                    None if row == axis_row => ("─", self.styles.axis),
                    None => continue,
                };
                if let Some(cell) = buf.cell_mut((x, area.y + row)) {
                    cell.set_symbol(symbol).set_style(style);
                }
            }
        }
        let last_row = area.y + area.height - 1;
        // Slices first, so trim and loop marks and the cursor stay visible.
        let mut order: Vec<&Marker> = self.markers.iter().collect();
        order.sort_by_key(|m| match m.kind {
            MarkerKind::Slice(_) => 0,
            MarkerKind::Cursor => 2,
            _ => 1,
        });
        for m in order {
            let Some(cx) = self.column_of(m.frame, area.width) else {
                continue;
            };
            let x = area.x + cx;
            match m.kind {
                MarkerKind::Slice(n) => {
                    let style = if self.selected_slice == Some(n) {
                        self.styles.selected
                    } else {
                        self.styles.slice
                    };
                    for y in area.y + 1..=last_row {
                        if let Some(cell) = buf.cell_mut((x, y)) {
                            cell.set_symbol("│").set_style(style);
                        }
                    }
                    let label = n.to_string();
                    let room = usize::from(area.x + area.width - x);
                    buf.set_stringn(x, area.y, &label, room, style);
                }
                MarkerKind::TrimStart | MarkerKind::TrimEnd | MarkerKind::Loop => {
                    let symbol = match m.kind {
                        MarkerKind::TrimStart => "[",
                        MarkerKind::TrimEnd => "]",
                        _ => "L",
                    };
                    if let Some(cell) = buf.cell_mut((x, last_row)) {
                        cell.set_symbol(symbol).set_style(self.styles.marker);
                    }
                }
                MarkerKind::Cursor => {
                    for y in area.y..=last_row {
                        if let Some(cell) = buf.cell_mut((x, y)) {
                            cell.set_style(self.styles.cursor);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(w: Waveform<'_>, width: u16, height: u16) -> Vec<String> {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        w.render(area, &mut buf);
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn square_wave_fills_top_then_bottom_with_markers() {
        // 1024 frames: +0.9 for the first half, -0.9 for the second (the halves
        // meet on a summary bucket boundary).
        let samples: Vec<f32> = (0..1024)
            .map(|i| if i < 512 { 0.9 } else { -0.9 })
            .collect();
        let s = PeakSummary::from_samples(&samples, 1, 44_100);
        let markers = slot_markers(0, 1023, 512, &[Slice::new(0, 512), Slice::new(512, 1023)]);
        let rows = render(
            Waveform::new(&s).markers(&markers).selected_slice(Some(2)),
            8,
            4,
        );
        assert_eq!(rows[0], "1███2   ");
        assert_eq!(rows[1], "│███│   ");
        assert_eq!(rows[2], "│───│███");
        assert_eq!(rows[3], "[   L██]");
    }

    #[test]
    fn zoomed_range_maps_frames_to_columns() {
        let samples = vec![0.5f32; 10_000];
        let s = PeakSummary::from_samples(&samples, 1, 44_100);
        let w = Waveform::new(&s).range(2_000, 4_000);
        assert_eq!(w.column_of(2_000, 20), Some(0));
        assert_eq!(w.column_of(3_000, 20), Some(10));
        assert_eq!(w.column_of(5_000, 20), None);
        assert_eq!(w.frame_at(10, 20), 3_000);
        let rows = render(w, 20, 2);
        assert_eq!(rows[0], "▄".repeat(20));
        assert_eq!(rows[1], "─".repeat(20));
    }
}
