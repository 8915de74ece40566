//! Generator helpers: euclidean rhythms and a seeded random source.

use rhai::{Array, Dynamic, Engine, EvalAltResult, INT};

/// The euclidean rhythm E(`k`, `n`) (Bjorklund's algorithm, first step a hit: E(3,8) is
/// `x..x..x.`), rotated `rotation` steps later; `true` for a hit. `k` is clamped to `0..=n`.
pub fn euclid(k: usize, n: usize, rotation: i64) -> Vec<bool> {
    if n == 0 {
        return Vec::new();
    }
    let k = k.min(n);
    let mut a: Vec<Vec<bool>> = (0..k).map(|_| vec![true]).collect();
    let mut b: Vec<Vec<bool>> = (0..n - k).map(|_| vec![false]).collect();
    while b.len() > 1 && !a.is_empty() {
        let m = a.len().min(b.len());
        let joined: Vec<Vec<bool>> = a
            .iter()
            .zip(&b)
            .map(|(x, y)| x.iter().chain(y).copied().collect())
            .collect();
        let rest = if a.len() > m {
            a[m..].to_vec()
        } else {
            b[m..].to_vec()
        };
        a = joined;
        b = rest;
    }
    let flat: Vec<bool> = a.into_iter().chain(b).flatten().collect();
    let r = rotation.rem_euclid(n as i64) as usize;
    (0..n).map(|i| flat[(i + n - r) % n]).collect()
}

/// Intervals (semitones above the root) of a chord by name; `None` for an unknown name.
pub fn chord_intervals(name: &str) -> Option<&'static [u8]> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "maj" | "major" | "" => &[0, 4, 7],
        "min" | "minor" | "m" => &[0, 3, 7],
        "dim" => &[0, 3, 6],
        "aug" => &[0, 4, 8],
        "sus2" => &[0, 2, 7],
        "sus4" => &[0, 5, 7],
        "7" | "dom7" => &[0, 4, 7, 10],
        "maj7" => &[0, 4, 7, 11],
        "min7" | "m7" => &[0, 3, 7, 10],
        "dim7" => &[0, 3, 6, 9],
        _ => return None,
    })
}

/// Intervals of a scale by name (one octave, from the root); `None` for an unknown name.
pub fn scale_intervals(name: &str) -> Option<&'static [u8]> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "major" | "ionian" => &[0, 2, 4, 5, 7, 9, 11],
        "minor" | "aeolian" | "natural_minor" => &[0, 2, 3, 5, 7, 8, 10],
        "dorian" => &[0, 2, 3, 5, 7, 9, 10],
        "phrygian" => &[0, 1, 3, 5, 7, 8, 10],
        "lydian" => &[0, 2, 4, 6, 7, 9, 11],
        "mixolydian" => &[0, 2, 4, 5, 7, 9, 10],
        "locrian" => &[0, 1, 3, 5, 6, 8, 10],
        "harmonic_minor" => &[0, 2, 3, 5, 7, 8, 11],
        "pentatonic_major" => &[0, 2, 4, 7, 9],
        "pentatonic_minor" => &[0, 3, 5, 7, 10],
        "blues" => &[0, 3, 5, 6, 7, 10],
        "chromatic" => &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        _ => return None,
    })
}

fn notes_from(
    root: INT,
    what: &str,
    name: &str,
    iv: Option<&[u8]>,
) -> Result<Array, Box<EvalAltResult>> {
    let iv = iv.ok_or_else(|| format!("{what} {name:?}: unknown name (see docs/scripting.md)"))?;
    if !(0..=127).contains(&root) {
        return Err(format!("{what} root {root}: expected a MIDI note 0..=127").into());
    }
    Ok(iv
        .iter()
        .map(|&i| root + INT::from(i))
        .filter(|&n| n <= 127)
        .map(Dynamic::from_int)
        .collect())
}

/// A seeded random source (splitmix64): the same seed gives the same numbers everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn float(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn int(&mut self, lo: INT, hi: INT) -> Result<INT, Box<EvalAltResult>> {
        if lo > hi {
            return Err(format!("int({lo}, {hi}): expected lo <= hi").into());
        }
        let span = (hi - lo) as u64 + 1;
        Ok(lo + (self.next() % span) as INT)
    }
}

fn steps(hits: Vec<bool>) -> Array {
    hits.into_iter()
        .enumerate()
        .filter(|(_, h)| *h)
        .map(|(i, _)| Dynamic::from_int(i as INT + 1))
        .collect()
}

fn euclid_checked(k: INT, n: INT, r: INT) -> Result<Array, Box<EvalAltResult>> {
    if !(1..=64).contains(&n) || !(0..=n).contains(&k) {
        return Err(format!("euclid({k}, {n}): expected 1 <= n <= 64 and 0 <= k <= n").into());
    }
    Ok(steps(euclid(k as usize, n as usize, r)))
}

pub(super) fn register(e: &mut Engine) {
    e.register_fn("euclid", |k: INT, n: INT| euclid_checked(k, n, 0));
    e.register_fn("euclid", euclid_checked);
    e.register_fn("chord", |root: INT, name: &str| {
        notes_from(root, "chord", name, chord_intervals(name))
    });
    e.register_fn("scale", |root: INT, name: &str| {
        notes_from(root, "scale", name, scale_intervals(name))
    });
    e.register_type_with_name::<Rng>("Random");
    e.register_fn("random", |seed: INT| Rng(seed as u64));
    e.register_fn("int", |r: &mut Rng, lo: INT, hi: INT| r.int(lo, hi));
    e.register_fn("float", |r: &mut Rng| r.float());
    e.register_fn("chance", |r: &mut Rng, percent: INT| {
        r.float() * 100.0 < percent as f64
    });
    e.register_fn("chance", |r: &mut Rng, percent: f64| {
        r.float() * 100.0 < percent
    });
    e.register_fn(
        "pick",
        |r: &mut Rng, a: Array| -> Result<Dynamic, Box<EvalAltResult>> {
            if a.is_empty() {
                return Err("pick([]): the array is empty".into());
            }
            let i = (r.next() % a.len() as u64) as usize;
            Ok(a[i].clone())
        },
    );
}

#[cfg(test)]
mod tests {
    use super::{chord_intervals, euclid, scale_intervals};

    #[test]
    fn chords_and_scales_by_name() {
        // C major: C D E F G A B; A minor seventh: A C E G.
        assert_eq!(
            scale_intervals("major"),
            Some(&[0u8, 2, 4, 5, 7, 9, 11][..])
        );
        assert_eq!(
            scale_intervals("dorian"),
            Some(&[0u8, 2, 3, 5, 7, 9, 10][..])
        );
        assert_eq!(chord_intervals("min7"), Some(&[0u8, 3, 7, 10][..]));
        assert_eq!(chord_intervals("sus4"), Some(&[0u8, 5, 7][..]));
        assert_eq!(chord_intervals("nope"), None);
    }

    fn show(v: &[bool]) -> String {
        v.iter().map(|&h| if h { 'x' } else { '.' }).collect()
    }

    #[test]
    fn euclid_matches_toussaints_table() {
        // Toussaint, "The Euclidean Algorithm Generates Traditional Musical Rhythms".
        assert_eq!(show(&euclid(3, 8, 0)), "x..x..x.");
        assert_eq!(show(&euclid(5, 8, 0)), "x.xx.xx.");
        assert_eq!(show(&euclid(2, 5, 0)), "x.x..");
        assert_eq!(show(&euclid(4, 12, 0)), "x..x..x..x..");
        assert_eq!(show(&euclid(3, 8, 1)), ".x..x..x");
        assert_eq!(show(&euclid(0, 4, 0)), "....");
    }
}
