#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! End to end through cpal and ALSA with no sound card: `octa preview` runs in a
//! child process whose ALSA default PCM is a `file` plugin over `null`, so the
//! device output lands in a raw file that is compared with the decoded samples.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use octa::audio::decode::decode_file;
use octa::testutil::corpus;

struct Alsa {
    dir: tempfile::TempDir,
}

impl Alsa {
    /// A config whose default PCM writes raw samples to `out.raw`.
    fn file_sink() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.raw");
        let conf = format!(
            "</usr/share/alsa/alsa.conf>\n\
             pcm.!default {{\n    type file\n    slave.pcm \"null\"\n    file \"{}\"\n    format \"raw\"\n}}\n",
            out.display()
        );
        std::fs::write(dir.path().join("asound.conf"), conf).unwrap();
        Self { dir }
    }

    /// A config whose default PCM is a sound card that does not exist.
    fn no_card() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let conf = "</usr/share/alsa/alsa.conf>\npcm.!default {\n    type hw\n    card 63\n}\n";
        std::fs::write(dir.path().join("asound.conf"), conf).unwrap();
        Self { dir }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_octa"))
            .args(args)
            .env("ALSA_CONFIG_PATH", self.dir.path().join("asound.conf"))
            .env("OCTA_CONFIG_DIR", self.dir.path())
            .output()
            .unwrap()
    }

    /// The samples written, interleaved, as f32 (from f32 or i16 output).
    fn samples(&self, stderr: &str) -> (Vec<f32>, usize, f32) {
        let line = stderr
            .lines()
            .find(|l| l.starts_with("output: "))
            .unwrap_or_else(|| panic!("no output line in {stderr}"));
        assert!(line.contains("44100 Hz"), "{line}");
        let channels: usize = line
            .split(", ")
            .find_map(|p| p.strip_suffix(" ch"))
            .unwrap()
            .parse()
            .unwrap();
        let raw = std::fs::read(self.dir.path().join("out.raw")).unwrap();
        if line.contains(", f32,") {
            let v = raw
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            (v, channels, 0.0)
        } else if line.contains(", i16,") {
            let v = raw
                .chunks_exact(2)
                .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0)
                .collect();
            (v, channels, 1.0 / 32768.0)
        } else {
            panic!("unexpected output format: {line}");
        }
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Left/right of every frame of `path`'s `start..end` as the device gets them.
fn expected(path: &Path, start: usize, end: usize) -> Vec<[f32; 2]> {
    let d = decode_file(path).unwrap();
    let ch = usize::from(d.info.channels);
    d.samples[start * ch..end * ch]
        .chunks(ch)
        .map(|f| if ch == 1 { [f[0], f[0]] } else { [f[0], f[1]] })
        .collect()
}

/// The non-silent frames of the device output, in order. The ALSA `null` PCM is
/// not paced by a clock, so the callback runs as fast as the CPU allows and can
/// outrun the decoder (an underrun on a real device); the renderer then writes
/// silence. Such gaps, and the leading and trailing silence, are dropped here;
/// `expected` drops exact-zero frames the same way.
fn played(samples: &[f32], channels: usize) -> Vec<[f32; 2]> {
    samples
        .chunks_exact(channels)
        .map(|f| [f[0], f[1.min(channels - 1)]])
        .filter(|f| f != &[0.0, 0.0])
        .collect()
}

fn assert_close(got: &[[f32; 2]], want: &[[f32; 2]], tol: f32) {
    // Exact-zero frames of the expected audio are indistinguishable from silence.
    let want: Vec<[f32; 2]> = want.iter().copied().filter(|f| f != &[0.0, 0.0]).collect();
    assert!(want.len() > 1000);
    assert_eq!(got.len(), want.len(), "frame count");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g[0] - w[0]).abs() <= tol && (g[1] - w[1]).abs() <= tol,
            "frame {i}: got {g:?} want {w:?}"
        );
    }
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn path(rel: &str) -> Option<PathBuf> {
    corpus(rel)
}

#[test]
fn preview_plays_the_decoded_samples_through_alsa() {
    let Some(sine) = path("audio/sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let alsa = Alsa::file_sink();
    let out = alsa.run(&["preview", arg(&sine)]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("playing") && err.contains("WAV 44100 Hz 16-bit mono"),
        "{err}"
    );
    let (samples, ch, tol) = alsa.samples(&err);
    assert_close(&played(&samples, ch), &expected(&sine, 0, 22_050), tol);
}

#[test]
fn preview_slice_three_and_an_octave_up() {
    let Some(wav) = path("ot/sample-settings/chain-16/valid-1.wav") else {
        return;
    };
    let alsa = Alsa::file_sink();
    let out = alsa.run(&["preview", arg(&wav), "--slice", "3"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let (samples, ch, tol) = alsa.samples(&err);
    // Slice 3 of valid-1.ot is frames 5358..8037.
    assert_close(&played(&samples, ch), &expected(&wav, 5358, 8037), tol);

    let alsa = Alsa::file_sink();
    let out = alsa.run(&["preview", arg(&wav), "--slice", "3", "--pitch", "12"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let (samples, ch, _) = alsa.samples(&err);
    // +12 semitones: half of 2679 frames (the resampler's filter may make the
    // first or last frame round to exact silence).
    let n = played(&samples, ch).len();
    assert!((1338..=1340).contains(&n), "{n}");
}

#[test]
fn preview_start_end_and_loops() {
    let Some(sine) = path("audio/sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let alsa = Alsa::file_sink();
    let out = alsa.run(&[
        "preview",
        arg(&sine),
        "--start",
        "1000",
        "--end",
        "3000",
        "--loop",
        "--loops",
        "2",
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let (samples, ch, tol) = alsa.samples(&err);
    let mut want = expected(&sine, 1000, 3000);
    want.extend(expected(&sine, 1000, 3000));
    assert_close(&played(&samples, ch), &want, tol);
}

#[test]
fn no_sound_card_and_bad_files_give_messages() {
    let Some(sine) = path("audio/sine440-44k1-16bit-mono.wav") else {
        return;
    };
    let alsa = Alsa::no_card();
    let out = alsa.run(&["preview", arg(&sine)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("octa preview: audio unavailable"),
        "{}",
        stderr(&out)
    );

    let bad = path("audio/bad-header.wav").unwrap();
    let alsa = Alsa::file_sink();
    let out = alsa.run(&["preview", arg(&bad)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bad-header.wav: cannot decode"),
        "{}",
        stderr(&out)
    );

    let out = alsa.run(&["preview", arg(&sine), "--slice", "1"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("sine440-44k1-16bit-mono.ot"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn audio_device_from_flag_or_config_and_device_list() {
    let Some(sine) = path("audio/click-22k-8bit.wav") else {
        return;
    };
    let alsa = Alsa::file_sink();
    let out = alsa.run(&["audio", "devices"]);
    assert!(out.status.success());
    let list = String::from_utf8_lossy(&out.stdout).into_owned();
    // ("(default)" follows when cpal could open the default PCM to identify it.)
    assert!(
        list.lines()
            .any(|l| l.starts_with("default [alsa:default]")),
        "{list}"
    );
    assert!(list.contains("[alsa:null]"), "{list}");
    // A device by its id: the null PCM plays nothing into the file.
    let out = alsa.run(&["preview", arg(&sine), "--audio-device", "null"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!alsa.dir.path().join("out.raw").exists());

    let out = alsa.run(&["preview", arg(&sine), "--audio-device", "nosuch"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no output device named \"nosuch\""),
        "{}",
        stderr(&out)
    );

    let out = alsa.run(&["preview", arg(&sine), "--audio-device", "default"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // The config file's audio_device is used when the flag is absent.
    std::fs::write(
        alsa.dir.path().join("config.toml"),
        "audio_device = \"nosuch\"\n",
    )
    .unwrap();
    let out = alsa.run(&["preview", arg(&sine)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no output device named \"nosuch\""),
        "{}",
        stderr(&out)
    );
}
