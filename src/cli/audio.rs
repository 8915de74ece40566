//! `octa preview` and `octa audio ...`: sample preview on the sound card, output
//! devices and file facts from the command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::audio::decode::{device_compatibility, probe};
use crate::audio::output::list_output_devices;
use crate::audio::{AudioEngine, AudioEvent, DeviceState, PreviewRequest, Region, RegionChoice};

/// `octa preview FILE ...`
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The sample file (WAV, AIFF, FLAC, Ogg Vorbis, MP3).
    pub file: PathBuf,
    /// Play slice N (1-based) from the `.ot` file beside the sample.
    #[arg(long, conflicts_with_all = ["start", "end", "trim"], value_parser = super::args::slice)]
    pub slice: Option<usize>,
    /// Play the trim region from the `.ot` file beside the sample.
    #[arg(long)]
    pub trim: bool,
    /// First frame to play.
    #[arg(long)]
    pub start: Option<u64>,
    /// One past the last frame to play.
    #[arg(long)]
    pub end: Option<u64>,
    /// Transpose by this many semitones (as a track's PTCH; +12 = octave up).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true, value_parser = super::args::semitones)]
    pub pitch: f64,
    /// Loop (until Ctrl-C, or --loops passes).
    #[arg(long = "loop")]
    pub looping: bool,
    /// With --loop: number of passes in total.
    #[arg(long, requires = "looping", value_parser = clap::value_parser!(u32).range(1..))]
    pub loops: Option<u32>,
    /// Volume (1.0 = unity, at most 2.0).
    #[arg(long, default_value_t = 1.0, value_parser = super::args::volume)]
    pub volume: f32,
}

/// `octa audio ...`
#[derive(Debug, Subcommand)]
pub enum AudioCommand {
    /// List the output devices (names for --audio-device).
    Devices,
    /// Show each file's format, rate, bit depth, channels and length, and what the
    /// Octatrack cannot play.
    Info {
        /// Audio files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Convert audio files (WAV, AIFF, FLAC, Ogg Vorbis, MP3) to 44.1 kHz WAV files the
    /// Octatrack plays (sinc resampling, TPDF dither); files it already plays are left alone.
    Convert(ConvertArgs),
}

/// `octa audio convert FILE... [--to DIR] [--bits 16|24] [--mono] [--force]`
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Audio files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write into this folder (default: beside each source; `NAME.wav`, or `NAME-44k.wav` when
    /// that is the source itself).
    #[arg(long)]
    pub to: Option<PathBuf>,
    /// Output bit depth (default: 16 for sources of 16 bits or less, else 24).
    #[arg(long, value_parser = ["16", "24"])]
    pub bits: Option<String>,
    /// Mix to mono.
    #[arg(long)]
    pub mono: bool,
    /// Convert files the device already plays too, and replace existing output files.
    #[arg(long)]
    pub force: bool,
}

/// The device named on the command line, else in the config file.
fn device_choice(flag: Option<String>) -> Option<String> {
    if flag.is_some() {
        return flag;
    }
    match crate::config::Config::load() {
        Ok(c) => c.audio_device,
        Err(e) => {
            crate::errln!("warning: {e}; using the default audio device");
            None
        }
    }
}

/// A region of the `.ot` file beside `sample` (read by the project layer); the error names
/// the `.ot` file.
fn region_from_ot_file(sample: &std::path::Path, choice: RegionChoice) -> Result<Region, String> {
    let ot = crate::project::sidecar::load(sample).map_err(|e| e.to_string())?;
    Region::from_ot(&ot.settings, choice)
        .map_err(|reason| format!("{}: {reason}", ot.path.display()))
}

/// Runs `octa preview`.
pub fn run_preview(args: PreviewArgs, audio_device: Option<String>) -> ExitCode {
    if let (Some(s), Some(e)) = (args.start, args.end)
        && e <= s
    {
        crate::errln!("octa preview: --end {e} must be after --start {s}");
        return ExitCode::from(2);
    }
    let region = match (args.slice, args.trim) {
        (Some(n), _) => region_from_ot_file(&args.file, RegionChoice::Slice(n)),
        (None, true) => region_from_ot_file(&args.file, RegionChoice::Trim),
        (None, false) => Ok(Region {
            start: args.start.unwrap_or(0),
            end: args.end,
            loop_start: None,
        }),
    };
    let region = match region {
        Ok(r) => r,
        Err(e) => {
            crate::errln!("octa preview: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut request = PreviewRequest::new(&args.file)
        .region(region)
        .pitch(args.pitch);
    if args.looping {
        request = request.looping(args.loops);
    }
    let engine = AudioEngine::new(device_choice(audio_device));
    match engine.wait_for_device(Duration::from_secs(10)) {
        DeviceState::Ready(info) => crate::errln!("output: {info}"),
        DeviceState::Unavailable(reason) => {
            crate::errln!("octa preview: audio unavailable: {reason}");
            return ExitCode::FAILURE;
        }
        DeviceState::Opening => {
            crate::errln!("octa preview: audio unavailable: the output device did not open");
            return ExitCode::FAILURE;
        }
    }
    engine.set_volume(args.volume);
    if let Err(e) = engine.preview(request) {
        crate::errln!("octa preview: {e}");
        return ExitCode::FAILURE;
    }
    let mut ok = true;
    loop {
        for ev in engine.poll_events() {
            match ev {
                AudioEvent::Started { info, .. } => {
                    crate::errln!("playing {}: {}", args.file.display(), info.summary());
                }
                AudioEvent::Warning(w) => crate::errln!("warning: {w}"),
                AudioEvent::Error(e) => {
                    crate::errln!("octa preview: {e}");
                    ok = false;
                }
                AudioEvent::DeviceLost(r) | AudioEvent::NoDevice(r) => {
                    crate::errln!("octa preview: audio unavailable: {r}");
                    ok = false;
                }
                AudioEvent::Finished { .. } | AudioEvent::DeviceReady(_) => {}
            }
        }
        if !engine.is_playing() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // Let the device play out its last buffer before the stream closes.
    std::thread::sleep(Duration::from_millis(50));
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs `octa audio ...`.
pub fn run_audio(cmd: AudioCommand) -> ExitCode {
    match cmd {
        AudioCommand::Devices => match list_output_devices() {
            Ok(devices) if devices.is_empty() => {
                crate::outln!("no output devices");
                ExitCode::SUCCESS
            }
            Ok(devices) => {
                for d in devices {
                    let default = if d.is_default { " (default)" } else { "" };
                    crate::outln!("{} [{}]{default}", d.name, d.id);
                    for c in d.configs {
                        crate::outln!("    {c}");
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                crate::errln!("octa audio devices: {e}");
                ExitCode::FAILURE
            }
        },
        AudioCommand::Convert(args) => run_convert(&args),
        AudioCommand::Info { files } => {
            let mut status = ExitCode::SUCCESS;
            for f in files {
                match probe(&f) {
                    Ok(info) => {
                        let issues = device_compatibility(&info);
                        let verdict = if issues.is_empty() {
                            "plays on the Octatrack".to_string()
                        } else {
                            let list: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
                            format!("Octatrack cannot play it: {}", list.join("; "))
                        };
                        crate::outln!("{}: {} ({verdict})", f.display(), info.summary());
                    }
                    Err(e) => {
                        crate::errln!("{e}");
                        status = ExitCode::FAILURE;
                    }
                }
            }
            status
        }
    }
}

/// Runs `octa audio convert`: one line per file on stdout, errors on stderr, a progress bar on
/// a terminal; Ctrl-C cancels the file being written (no partial file is left) and stops.
pub fn run_convert(args: &ConvertArgs) -> ExitCode {
    use crate::project::convert::{ConvertError, ConvertOptions, Outcome, convert_file};
    use std::io::IsTerminal;
    use std::sync::atomic::Ordering;

    if let Some(dir) = &args.to
        && !dir.is_dir()
    {
        crate::errln!("octa audio convert: {}: not a folder", dir.display());
        return ExitCode::from(2);
    }
    let opts = ConvertOptions {
        to: args.to.clone(),
        bits: args.bits.as_deref().and_then(|b| b.parse().ok()),
        mono: args.mono,
        force: args.force,
    };
    super::midi::catch_interrupt();
    let cancel = &super::midi::INTERRUPTED;
    let mut status = ExitCode::SUCCESS;
    for f in &args.files {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(0);
            b.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {percent:>3}% {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b.set_message(format!("{} (Ctrl-C cancels)", f.display()));
            b
        });
        let r = convert_file(f, &opts, cancel, &mut |done, total| {
            if let Some(b) = &bar {
                b.set_length(total);
                b.set_position(done);
            }
        });
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        match r {
            Ok(Outcome::Converted {
                from,
                to,
                source,
                frames,
                bits,
                channels,
                dithered,
            }) => {
                let ch = if channels == 1 { "mono" } else { "stereo" };
                let d = if dithered { ", TPDF dither" } else { "" };
                crate::outln!(
                    "{} -> {}: {} -> 44100 Hz {bits}-bit {ch}, {frames} frames{d}",
                    from.display(),
                    to.display(),
                    source.summary()
                );
            }
            Ok(Outcome::AlreadyPlays { path, info }) => crate::outln!(
                "{}: {} plays on the Octatrack as it is; left alone (--force converts it)",
                path.display(),
                info.summary()
            ),
            Err(e @ ConvertError::Cancelled { .. }) => {
                crate::errln!("octa audio convert: {e}");
                return ExitCode::from(130);
            }
            Err(e) => {
                crate::errln!("octa audio convert: {e}");
                status = ExitCode::FAILURE;
            }
        }
        if cancel.load(Ordering::SeqCst) {
            return ExitCode::from(130);
        }
    }
    status
}
