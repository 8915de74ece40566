//! Pure DSP for sample chains and slice grids (no I/O): chain layouts (one slice per file, or
//! an even grid of equal slots), even and random cut points, onset (transient) detection, and
//! snapping cut points to zero crossings. The writes live in [`crate::project::chain`].
//!
//! Cut points are frame positions `0 = c0 < c1 < … < cn = frames`; slice *i* is the frames
//! `c[i]..c[i+1]` (end exclusive: the next slice starts where this one ends, as in the `.ot`
//! files the device and ot-tools write).

use crate::format::regions::Slice;

use super::peaks::nearest_zero_crossing;

/// Most slices a chain or a `.ot` file holds.
pub const MAX_SLICES: usize = 64;

/// How files are laid out in a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grid {
    /// One slice per file, each exactly as long as its file.
    #[default]
    Fit,
    /// Equal slots as long as the longest file (shorter files padded with silence), for the
    /// Octatrack's equal-slice modes.
    Even,
}

/// Where each file goes in a chain: its slice (start, end in frames) and the chain's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Start frame of each file (and of its slice).
    pub starts: Vec<u64>,
    /// The slices (one per file; `Even` with more slots than files: the empty slots too).
    pub slices: Vec<(u64, u64)>,
    /// Frames of the whole chain.
    pub frames: u64,
}

/// The layout of files of `lengths` frames: `Fit` (back to back) or `Even` (`slots` equal
/// slots of the longest length; `slots` at least the number of files, default that number).
pub fn layout(lengths: &[u64], grid: Grid, slots: Option<usize>) -> Layout {
    match grid {
        Grid::Fit => {
            let mut starts = Vec::with_capacity(lengths.len());
            let mut at = 0u64;
            for &l in lengths {
                starts.push(at);
                at += l;
            }
            let slices = starts
                .iter()
                .zip(lengths)
                .map(|(&s, &l)| (s, s + l))
                .collect();
            Layout {
                starts,
                slices,
                frames: at,
            }
        }
        Grid::Even => {
            let slot = lengths.iter().copied().max().unwrap_or(0);
            let n = slots.unwrap_or(lengths.len()).max(lengths.len());
            let slot_u = slot;
            Layout {
                starts: (0..lengths.len() as u64).map(|i| i * slot_u).collect(),
                slices: (0..n as u64).map(|i| (i * slot, (i + 1) * slot)).collect(),
                frames: n as u64 * slot,
            }
        }
    }
}

/// `n` equal slices of `frames` frames: cut points `round(i·frames/n)`.
pub fn even_cuts(frames: u64, n: usize) -> Vec<u64> {
    let n = n.max(1) as u128;
    (0..=n)
        .map(|i| ((i * frames as u128 * 2 + n) / (2 * n)) as u64)
        .collect()
}

/// `n` slices of random lengths (each between a quarter of and one average slice, scaled to
/// fill `frames`), reproducible from `seed`.
pub fn random_cuts(frames: u64, n: usize, seed: u64) -> Vec<u64> {
    let n = n.max(1);
    let mut state = seed ^ 0x5EED_C4A1_0000_0001;
    let mut next = || {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    };
    let weights: Vec<f64> = (0..n).map(|_| 0.25 + 0.75 * next()).collect();
    let total: f64 = weights.iter().sum();
    let mut cuts = Vec::with_capacity(n + 1);
    let mut acc = 0.0;
    cuts.push(0);
    for w in &weights[..n - 1] {
        acc += w;
        cuts.push((acc / total * frames as f64).round() as u64);
    }
    cuts.push(frames);
    dedup_increasing(cuts)
}

/// Keeps cut points strictly increasing (drops repeats), first 0 and last kept.
fn dedup_increasing(cuts: Vec<u64>) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::with_capacity(cuts.len());
    for c in cuts {
        if out.last().is_none_or(|&l| c > l) {
            out.push(c);
        }
    }
    out
}

/// Moves every inner cut point to the nearest zero crossing of `samples` (interleaved,
/// `channels`; crossings of the channels' sum) within `max_distance` frames; a cut with no
/// crossing that near, or whose crossing would not stay between its neighbours, is kept.
/// The first and last cut are never moved.
pub fn snap_cuts(samples: &[f32], channels: usize, cuts: &[u64], max_distance: usize) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::with_capacity(cuts.len());
    for (i, &c) in cuts.iter().enumerate() {
        if i == 0 || i + 1 == cuts.len() {
            out.push(c);
            continue;
        }
        let prev = out.last().copied().unwrap_or(0);
        let next = cuts[i + 1];
        let snapped = nearest_zero_crossing(samples, channels, c as usize, max_distance)
            .map(|z| z as u64)
            .filter(|&z| z > prev && z < next)
            .unwrap_or(c);
        out.push(snapped);
    }
    dedup_increasing(out)
}

/// The slices between consecutive cut points (loop off), at most [`MAX_SLICES`].
pub fn slices_from_cuts(cuts: &[u64]) -> Vec<Slice> {
    cuts.windows(2)
        .take(MAX_SLICES)
        .map(|w| Slice::new(clamp32(w[0]), clamp32(w[1])))
        .collect()
}

fn clamp32(v: u64) -> u32 {
    v.min(u64::from(u32::MAX)) as u32
}

/// Onset detection settings.
#[derive(Debug, Clone, Copy)]
pub struct OnsetOptions {
    /// Analysis hop in frames.
    pub hop: usize,
    /// Rise of the hop's energy over the previous hops' (in dB) that counts as an onset.
    pub rise_db: f64,
    /// Quietest hop (dB below the loudest) that may hold an onset.
    pub floor_db: f64,
    /// Shortest gap between two onsets, in seconds.
    pub min_gap: f64,
}

impl Default for OnsetOptions {
    fn default() -> Self {
        Self {
            hop: 128,
            rise_db: 9.0,
            floor_db: 50.0,
            min_gap: 0.05,
        }
    }
}

/// Frames where a transient starts: hops (of `opts.hop` frames) whose energy rises by
/// `rise_db` over the mean of the two previous hops, at least `min_gap` apart (and from the
/// start), refined to the
/// first frame of the hop region whose level reaches a quarter of its peak.
pub fn onsets(samples: &[f32], channels: usize, rate: u32, opts: &OnsetOptions) -> Vec<u64> {
    let ch = channels.max(1);
    let frames = samples.len() / ch;
    let hop = opts.hop.max(8);
    let mono = |i: usize| -> f32 { samples[i * ch..(i + 1) * ch].iter().sum::<f32>() / ch as f32 };
    let hops = frames / hop;
    let energy: Vec<f64> = (0..hops)
        .map(|h| {
            (h * hop..(h + 1) * hop)
                .map(|i| f64::from(mono(i)).powi(2))
                .sum::<f64>()
                / hop as f64
        })
        .collect();
    let loudest = energy.iter().copied().fold(0.0, f64::max);
    if loudest <= 0.0 {
        return Vec::new();
    }
    let db = |e: f64| 10.0 * (e.max(loudest * 1e-12)).log10();
    let floor = db(loudest) - opts.floor_db;
    let min_gap = (opts.min_gap * f64::from(rate)) as u64;
    let mut out: Vec<u64> = Vec::new();
    for h in 0..hops {
        let before = match h {
            0 => 0.0,
            1 => energy[0],
            _ => (energy[h - 1] + energy[h - 2]) / 2.0,
        };
        if db(energy[h]) < floor || db(energy[h]) - db(before) < opts.rise_db {
            continue;
        }
        // Refine inside the previous and this hop: the first frame reaching a quarter of the
        // peak level there.
        let lo = h.saturating_sub(1) * hop;
        let hi = ((h + 1) * hop).min(frames);
        let peak = (lo..hi).map(|i| mono(i).abs()).fold(0.0f32, f32::max);
        let at = (lo..hi)
            .find(|&i| mono(i).abs() >= peak * 0.25)
            .unwrap_or(h * hop) as u64;
        // The start of the sample is the first slice's start already: an onset closer to it
        // than `min_gap` would only make a sliver of a slice.
        if at >= min_gap && out.last().is_none_or(|&l| at >= l + min_gap) {
            out.push(at);
        }
    }
    out
}

/// Cut points for the onsets of `samples`: 0, the onsets (the first at most 63 after 0), and
/// `frames`.
pub fn onset_cuts(frames: u64, onsets: &[u64]) -> Vec<u64> {
    let mut cuts = vec![0];
    cuts.extend(
        onsets
            .iter()
            .copied()
            .filter(|&o| o > 0 && o < frames)
            .take(MAX_SLICES - 1),
    );
    cuts.push(frames);
    dedup_increasing(cuts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_and_even_layouts() {
        let l = layout(&[10, 30, 20], Grid::Fit, None);
        assert_eq!(l.starts, vec![0, 10, 40]);
        assert_eq!(l.slices, vec![(0, 10), (10, 40), (40, 60)]);
        assert_eq!(l.frames, 60);
        let e = layout(&[10, 30, 20], Grid::Even, Some(4));
        assert_eq!(e.starts, vec![0, 30, 60]);
        assert_eq!(e.slices, vec![(0, 30), (30, 60), (60, 90), (90, 120)]);
        assert_eq!(e.frames, 120);
    }

    #[test]
    fn even_and_random_cuts() {
        assert_eq!(even_cuts(10, 4), vec![0, 3, 5, 8, 10]);
        let r = random_cuts(44_100, 8, 7);
        assert_eq!(r.len(), 9);
        assert_eq!((r[0], r[8]), (0, 44_100));
        assert!(r.windows(2).all(|w| w[1] > w[0]));
        assert_eq!(r, random_cuts(44_100, 8, 7));
        assert_ne!(r, random_cuts(44_100, 8, 8));
    }
}
