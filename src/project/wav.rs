//! Small drum and bass sounds synthesised by code, written as 16-bit mono WAV (for the demo).

/// Sample rate of the generated sounds.
pub const RATE: u32 = 44_100;

/// A generated sound.
#[derive(Debug, Clone, PartialEq)]
pub struct Sound {
    /// File name (`kick.wav`).
    pub name: &'static str,
    /// Mono samples in -1.0..=1.0.
    pub samples: Vec<f32>,
}

impl Sound {
    /// Number of frames.
    pub fn frames(&self) -> u32 {
        self.samples.len() as u32
    }

    /// The sound as a 16-bit PCM mono WAV file.
    pub fn to_wav(&self) -> Vec<u8> {
        let data_len = self.samples.len() as u32 * 2;
        let mut b = Vec::with_capacity(44 + data_len as usize);
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&(36 + data_len).to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes()); // PCM
        b.extend_from_slice(&1u16.to_le_bytes()); // mono
        b.extend_from_slice(&RATE.to_le_bytes());
        b.extend_from_slice(&(RATE * 2).to_le_bytes());
        b.extend_from_slice(&2u16.to_le_bytes());
        b.extend_from_slice(&16u16.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data_len.to_le_bytes());
        for s in &self.samples {
            let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
            b.extend_from_slice(&v.to_le_bytes());
        }
        b
    }
}

/// Deterministic white noise (xorshift), in -1.0..=1.0.
struct Noise(u32);

impl Noise {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        (self.0 as f32 / u32::MAX as f32) * 2.0 - 1.0
    }
}

fn render(seconds: f32, mut f: impl FnMut(f32) -> f32) -> Vec<f32> {
    let n = (seconds * RATE as f32) as usize;
    (0..n).map(|i| f(i as f32 / RATE as f32)).collect()
}

/// A kick: a sine sweeping from 150 Hz to 45 Hz with an exponential decay.
pub fn kick() -> Sound {
    let mut phase = 0.0f32;
    let samples = render(0.45, |t| {
        let freq = 45.0 + 105.0 * (-t * 30.0).exp();
        phase += std::f32::consts::TAU * freq / RATE as f32;
        phase.sin() * (-t * 7.0).exp() * 0.95
    });
    Sound {
        name: "kick.wav",
        samples,
    }
}

/// A snare: a 190 Hz tone plus decaying noise.
pub fn snare() -> Sound {
    let mut noise = Noise(0x5EED_1234);
    let samples = render(0.3, |t| {
        let tone = (std::f32::consts::TAU * 190.0 * t).sin() * (-t * 25.0).exp() * 0.4;
        tone + noise.next() * (-t * 14.0).exp() * 0.5
    });
    Sound {
        name: "snare.wav",
        samples,
    }
}

/// A closed hat: high-passed noise with a short decay.
pub fn hat() -> Sound {
    let mut noise = Noise(0xC0FF_EE11);
    let mut prev = 0.0f32;
    let samples = render(0.08, |t| {
        let n = noise.next();
        let hp = n - prev;
        prev = n;
        hp * (-t * 60.0).exp() * 0.5
    });
    Sound {
        name: "hat.wav",
        samples,
    }
}

/// A bass tone: a 55 Hz (A1) saw, softened, with a slow decay.
pub fn bass() -> Sound {
    let samples = render(0.9, |t| {
        let saw = 2.0 * ((55.0 * t) % 1.0) - 1.0;
        let sub = (std::f32::consts::TAU * 55.0 * t).sin();
        (0.4 * saw + 0.6 * sub) * (-t * 2.5).exp() * 0.8
    });
    Sound {
        name: "bass.wav",
        samples,
    }
}

/// The demo's four sounds, in slot order.
pub fn demo_sounds() -> Vec<Sound> {
    vec![kick(), snare(), hat(), bass()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_header_and_lengths() {
        for s in demo_sounds() {
            let w = s.to_wav();
            assert_eq!(&w[0..4], b"RIFF");
            assert_eq!(&w[8..16], b"WAVEfmt ");
            assert_eq!(u32::from_le_bytes([w[24], w[25], w[26], w[27]]), 44_100);
            let data = u32::from_le_bytes([w[40], w[41], w[42], w[43]]);
            assert_eq!(data, s.frames() * 2);
            assert_eq!(w.len(), 44 + data as usize);
            let peak = s.samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
            assert!(peak > 0.2 && peak <= 1.0, "{} peak {peak}", s.name);
        }
        assert_eq!(kick().frames(), 19_845);
        assert_eq!(hat().frames(), 3_528);
    }
}
