//! One playing sample: position, direction, loop, gains and the AMP envelope.

use super::sample::{Sample, SampleRegion};
use std::sync::Arc;

/// How a voice loops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopKind {
    /// Plays once.
    Off,
    /// Repeats loop start..end.
    Forward,
    /// Alternates end->loop start backwards and loop start->end forwards.
    PingPong,
}

/// The AMP envelope in frames: linear attack from 0 to 1, flat hold, linear release to 0
/// (`None` hold: until the sample ends; `None` release: no fade).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Envelope {
    /// Attack frames.
    pub attack: usize,
    /// Hold frames after the attack.
    pub hold: Option<usize>,
    /// Release frames.
    pub release: Option<usize>,
}

impl Envelope {
    /// The envelope level `age` frames after the trig, with the release starting at
    /// `release_at` frames (`None`: never); `None` when the voice has faded out.
    pub fn level(&self, age: usize, release_at: Option<usize>) -> Option<f32> {
        let rising = if age < self.attack {
            age as f32 / self.attack as f32
        } else {
            1.0
        };
        match (release_at, self.release) {
            (Some(r), Some(len)) if age >= r => {
                let into = age - r;
                if into >= len {
                    return None;
                }
                // Released during the attack: fall from where the attack was.
                let from = if r < self.attack {
                    r as f32 / self.attack as f32
                } else {
                    1.0
                };
                Some(from * (1.0 - into as f32 / len as f32))
            }
            _ => Some(rising),
        }
    }
}

/// What a trig starts on a track.
#[derive(Debug, Clone)]
pub struct VoiceSpec {
    /// The sample.
    pub sample: Arc<Sample>,
    /// The frames played (start is the STRT point).
    pub region: SampleRegion,
    /// Source frames per output frame; negative plays backwards.
    pub speed: f64,
    /// Loop behaviour (only with a loop start in the region).
    pub looping: LoopKind,
    /// Left and right gain (volume, balance, slot gain, track level).
    pub gain: [f32; 2],
    /// The AMP envelope.
    pub env: Envelope,
    /// Frames after which the release starts because LEN (TIME) ends the note.
    pub gate: Option<usize>,
}

/// A voice playing a [`VoiceSpec`].
#[derive(Debug, Clone)]
pub struct Voice {
    spec: VoiceSpec,
    pos: f64,
    dir: f64,
    age: usize,
    release_at: Option<usize>,
    done: bool,
}

impl Voice {
    /// Starts a voice: forwards at the region start, backwards at its last frame.
    pub fn new(spec: VoiceSpec) -> Self {
        let r = spec.region;
        let backwards = spec.speed < 0.0;
        let pos = if backwards {
            r.end as f64 - 1.0
        } else {
            r.start as f64
        };
        let hold_end = spec.env.hold.map(|h| spec.env.attack + h);
        let release_at = match (hold_end, spec.gate) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let done = spec.speed == 0.0 || r.end <= r.start;
        Self {
            spec,
            pos,
            dir: 1.0,
            age: 0,
            release_at,
            done,
        }
    }

    /// Takes a trigless trig's speed and gains without restarting (RATE 0 stops it).
    pub fn retune(&mut self, speed: f64, gain: [f32; 2]) {
        self.spec.speed = speed;
        self.spec.gain = gain;
        if speed == 0.0 {
            self.done = true;
        }
    }

    /// Takes an LFO's speed and gains (control rate); unlike [`Voice::retune`] a speed of
    /// 0 only pauses the voice.
    pub fn modulate(&mut self, speed: f64, gain: [f32; 2]) {
        self.spec.speed = speed;
        self.spec.gain = gain;
    }

    /// Whether the voice has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Adds the voice's next frame into `out`; returns false once it has ended.
    #[inline]
    pub fn mix_next(&mut self, out: &mut [f32; 2]) -> bool {
        if self.done {
            return false;
        }
        let Some(level) = self.spec.env.level(self.age, self.release_at) else {
            self.done = true;
            return false;
        };
        let r = self.spec.region;
        let frames = &self.spec.sample.frames;
        let i = self.pos.floor();
        let frac = (self.pos - i) as f32;
        let i = i as usize;
        let a = frames.get(i).copied().unwrap_or([0.0; 2]);
        let next = i + 1;
        let b = if next < r.end {
            frames.get(next).copied().unwrap_or(a)
        } else {
            a
        };
        let g = [self.spec.gain[0] * level, self.spec.gain[1] * level];
        out[0] += (a[0] + (b[0] - a[0]) * frac) * g[0];
        out[1] += (a[1] + (b[1] - a[1]) * frac) * g[1];
        self.age += 1;
        self.advance();
        true
    }

    fn advance(&mut self) {
        let r = self.spec.region;
        let step = self.spec.speed * self.dir;
        self.pos += step;
        let (start, end) = (r.start as f64, r.end as f64);
        if step > 0.0 && self.pos >= end {
            match (self.spec.looping, r.loop_start) {
                (LoopKind::Forward, Some(l)) if (l as f64) < end => {
                    let len = end - l as f64;
                    self.pos = l as f64 + (self.pos - end) % len;
                }
                (LoopKind::PingPong, Some(l)) if (l as f64) < end => {
                    self.pos = (end - 1.0 - (self.pos - end)).max(l as f64);
                    self.dir = -self.dir;
                }
                _ => self.done = true,
            }
        } else if step < 0.0 {
            let floor = match (self.spec.looping, r.loop_start) {
                (LoopKind::PingPong, Some(l)) if self.spec.speed > 0.0 => l as f64,
                _ => start,
            };
            if self.pos < floor {
                if self.spec.looping == LoopKind::PingPong && self.spec.speed > 0.0 {
                    self.pos = 2.0 * floor - 1.0 - self.pos;
                    self.dir = -self.dir;
                } else {
                    self.done = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_is_linear_attack_flat_hold_linear_release() {
        let e = Envelope {
            attack: 100,
            hold: Some(50),
            release: Some(200),
        };
        let rel = Some(150);
        assert_eq!(e.level(0, rel), Some(0.0));
        assert_eq!(e.level(50, rel), Some(0.5));
        assert_eq!(e.level(120, rel), Some(1.0));
        assert_eq!(e.level(250, rel), Some(0.5));
        assert_eq!(e.level(350, rel), None);
        assert_eq!(e.level(10_000, None), Some(1.0));
    }

    #[test]
    fn ping_pong_turns_at_both_ends() {
        let sample = Arc::new(Sample {
            frames: (0..10).map(|i| [i as f32, i as f32]).collect(),
            source_rate: 44_100,
        });
        let mut v = Voice::new(VoiceSpec {
            sample,
            region: SampleRegion {
                start: 0,
                end: 10,
                loop_start: Some(6),
            },
            speed: 1.0,
            looping: LoopKind::PingPong,
            gain: [1.0, 1.0],
            env: Envelope {
                attack: 0,
                hold: None,
                release: None,
            },
            gate: None,
        });
        let mut got = Vec::new();
        for _ in 0..18 {
            let mut o = [0.0; 2];
            v.mix_next(&mut o);
            got.push(o[0] as i32);
        }
        assert_eq!(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 6, 7, 8, 9]);
    }
}
