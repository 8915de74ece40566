//! Trig conditions evaluated the way the device does.
//!
//! * FILL / NOT FILL: against the fill flag.
//! * PRE / NOT PRE: against the result of the most recently evaluated condition on the
//!   same track; NEI / NOT NEI: the same on the neighbour track (track n-1; the first
//!   audio and first MIDI track have no neighbour). PRE and NEI read results but do not
//!   store one, and a track without any evaluated condition counts as false.
//! * 1ST / NOT 1ST: first pass of the pattern since it started.
//! * Probability: a random draw from a seedable source.
//! * A:B: true on pass A of every B passes of the track.

use crate::format::TrigCondition;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Tracks handled (8 audio + 8 MIDI).
pub const TRACKS: usize = 16;

/// Condition state of a running pattern (one per playback).
#[derive(Debug, Clone)]
pub struct ConditionEngine {
    last: [Option<bool>; TRACKS],
    rng: StdRng,
    /// The FILL flag.
    pub fill: bool,
}

impl ConditionEngine {
    /// A fresh engine with a seeded random source (the same seed gives the same draws).
    pub fn new(seed: u64) -> Self {
        Self {
            last: [None; TRACKS],
            rng: StdRng::seed_from_u64(seed),
            fill: false,
        }
    }

    /// Forgets every track's last result (on pattern start or change).
    pub fn reset(&mut self) {
        self.last = [None; TRACKS];
    }

    /// The neighbour of a track: n-1 within the same group of eight.
    pub fn neighbour(track: usize) -> Option<usize> {
        (!track.is_multiple_of(8)).then(|| track - 1)
    }

    /// The last stored result of a track (None: no condition evaluated yet).
    pub fn last_result(&self, track: usize) -> Option<bool> {
        self.last.get(track).copied().flatten()
    }

    /// Evaluates a condition for a trig on `track` during the track's pass `track_loop`
    /// (0-based) and pattern pass `pattern_loop` (0-based); stores the result for PRE/NEI.
    pub fn evaluate(
        &mut self,
        track: usize,
        cond: TrigCondition,
        track_loop: u64,
        pattern_loop: u64,
    ) -> bool {
        let pre = || self.last_result(track).unwrap_or(false);
        let nei = || {
            Self::neighbour(track)
                .and_then(|n| self.last_result(n))
                .unwrap_or(false)
        };
        let (result, stores) = match cond {
            TrigCondition::None => return true,
            TrigCondition::Unknown(_) => return true,
            TrigCondition::Pre => (pre(), false),
            TrigCondition::NotPre => (!pre(), false),
            TrigCondition::Nei => (nei(), false),
            TrigCondition::NotNei => (!nei(), false),
            TrigCondition::Fill => (self.fill, true),
            TrigCondition::NotFill => (!self.fill, true),
            TrigCondition::First => (pattern_loop == 0, true),
            TrigCondition::NotFirst => (pattern_loop != 0, true),
            TrigCondition::Probability(p) => (self.rng.random_range(0u32..100) < p as u32, true),
            TrigCondition::Loop { a, b } => {
                let b = b.max(1) as u64;
                ((track_loop % b) + 1 == a as u64, true)
            }
        };
        if stores && let Some(slot) = self.last.get_mut(track) {
            *slot = Some(result);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TrigCondition as C;

    #[test]
    fn loop_counters_over_many_passes() {
        let mut e = ConditionEngine::new(1);
        for b in 2u8..=8 {
            for a in 1..=b {
                let hits: Vec<u64> = (0..40u64)
                    .filter(|&l| e.evaluate(0, C::Loop { a, b }, l, l))
                    .collect();
                let want: Vec<u64> = (0..40u64)
                    .filter(|l| l % b as u64 == (a - 1) as u64)
                    .collect();
                assert_eq!(hits, want, "{a}:{b}");
            }
        }
        // 3:4 is true on passes 3, 7, 11 (1-based).
        let mut e = ConditionEngine::new(1);
        let hits: Vec<u64> = (0..12u64)
            .filter(|&l| e.evaluate(2, C::Loop { a: 3, b: 4 }, l, 0))
            .map(|l| l + 1)
            .collect();
        assert_eq!(hits, vec![3, 7, 11]);
    }

    #[test]
    fn fill_and_first() {
        let mut e = ConditionEngine::new(1);
        assert!(!e.evaluate(0, C::Fill, 0, 0));
        assert!(e.evaluate(0, C::NotFill, 0, 0));
        e.fill = true;
        assert!(e.evaluate(0, C::Fill, 0, 0));
        assert!(!e.evaluate(0, C::NotFill, 0, 0));
        let firsts: Vec<bool> = (0..5).map(|l| e.evaluate(1, C::First, l, l)).collect();
        assert_eq!(firsts, vec![true, false, false, false, false]);
        let not: Vec<bool> = (0..5).map(|l| e.evaluate(1, C::NotFirst, l, l)).collect();
        assert_eq!(not, vec![false, true, true, true, true]);
        assert!(e.evaluate(1, C::None, 3, 3));
    }

    #[test]
    fn pre_follows_the_last_condition_on_the_same_track() {
        let mut e = ConditionEngine::new(1);
        // Nothing evaluated yet: PRE false, NOT PRE true.
        assert!(!e.evaluate(0, C::Pre, 0, 0));
        assert!(e.evaluate(0, C::NotPre, 0, 0));
        // A 1:2 chain: step 1 has 1:2, step 5 has PRE, step 9 NOT PRE, over 8 loops.
        for l in 0..8u64 {
            let first = e.evaluate(0, C::Loop { a: 1, b: 2 }, l, l);
            assert_eq!(first, l % 2 == 0);
            assert_eq!(e.evaluate(0, C::Pre, l, l), first);
            // PRE does not store: NOT PRE still reads the 1:2 result.
            assert_eq!(e.evaluate(0, C::NotPre, l, l), !first);
            assert_eq!(e.evaluate(0, C::Pre, l, l), first);
        }
        // Another track's results do not leak into PRE.
        let mut e = ConditionEngine::new(1);
        assert!(e.evaluate(3, C::First, 0, 0));
        assert!(!e.evaluate(4, C::Pre, 0, 0));
    }

    #[test]
    fn nei_reads_track_n_minus_1() {
        let mut e = ConditionEngine::new(1);
        assert_eq!(ConditionEngine::neighbour(0), None);
        assert_eq!(ConditionEngine::neighbour(8), None);
        assert_eq!(ConditionEngine::neighbour(9), Some(8));
        for l in 0..12u64 {
            let t1 = e.evaluate(0, C::Loop { a: 2, b: 3 }, l, l);
            assert_eq!(t1, l % 3 == 1);
            assert_eq!(e.evaluate(1, C::Nei, l, l), t1);
            assert_eq!(e.evaluate(1, C::NotNei, l, l), !t1);
            // Track 3's NEI looks at track 2, which never stored a result.
            assert!(!e.evaluate(2, C::Nei, l, l));
            // Track 1 (audio) is not MIDI track 1's neighbour.
            assert!(!e.evaluate(8, C::Nei, l, l));
        }
        // A chain: track 2 stores via FILL, track 3 NEI follows it.
        e.fill = true;
        assert!(e.evaluate(1, C::Fill, 0, 0));
        assert!(e.evaluate(2, C::Nei, 0, 0));
        e.fill = false;
        assert!(!e.evaluate(1, C::Fill, 0, 0));
        assert!(!e.evaluate(2, C::Nei, 0, 0));
    }

    #[test]
    fn probabilities_within_statistical_bounds_and_seeded() {
        for &p in crate::format::PROBABILITIES.iter() {
            let mut e = ConditionEngine::new(42 + p as u64);
            let n = 20_000u32;
            let hits = (0..n)
                .filter(|_| e.evaluate(0, C::Probability(p), 0, 0))
                .count() as f64;
            let mean = n as f64 * p as f64 / 100.0;
            let sd = (n as f64 * p as f64 / 100.0 * (1.0 - p as f64 / 100.0)).sqrt();
            assert!(
                (hits - mean).abs() <= 5.0 * sd + 1.0,
                "{p}%: {hits} hits, expected {mean} +- {}",
                5.0 * sd
            );
        }
        let draw = |seed| {
            let mut e = ConditionEngine::new(seed);
            (0..64)
                .map(|_| e.evaluate(0, C::Probability(50), 0, 0))
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }
}
