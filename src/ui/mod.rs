//! The terminal tracker: app state, views, actions, undo, themes and keymaps.
//!
//! Adding a view: see [`view::View`] and [`views::all_views`].

pub mod action;
pub mod app;
pub mod audition;
pub mod chrome;
pub mod command;
pub mod engines;
pub mod help;
pub mod inherit;
pub mod input_route;
pub mod keymap;
pub mod keys;
pub mod local_play;
pub mod midi_link;
/// The document the tracker edits (it lives in [`crate::edit::document`]).
pub use crate::edit::document as model;
pub mod copying;
pub mod edits;
pub mod recorder_band;
pub mod script_menu;
pub mod sheet;
pub mod state_ops;
pub mod theme;
pub mod track_settings;
pub mod view;
pub mod views;
pub mod widgets;
// The views live in `views/`; their old paths (`ui::pattern`, `ui::parts`, ...) stay.
pub use views::{
    arranger, librarian, overview, parts, pattern, samples_view, scenes, settings, side_view,
    slots_view,
};

pub use action::{ActionDef, Input};
pub use app::App;
pub use view::{CopyRequest, Ctx, Nav, Outcome, Side, View, ViewInfo};
#[doc(hidden)]
pub mod bench_support;
pub mod sgr_writer;
pub mod terminal;
#[doc(hidden)]
pub mod testing;

use crate::config::{Config, config_dir};
use crate::project::{OpenOptions, Project};
use std::path::PathBuf;
use std::process::ExitCode;

/// What the command line asks of the tracker.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Project folder, set or zip (none: a new untitled project).
    pub path: Option<PathBuf>,
    /// Open the generated demo project.
    pub demo: bool,
    /// Never write.
    pub read_only: bool,
    /// Theme name (overrides the config file).
    pub theme: Option<String>,
    /// Keymap name (overrides the config file).
    pub keymap: Option<String>,
    /// Where to write the demo (default: a fresh folder under the data dir).
    pub demo_dir: Option<PathBuf>,
    /// MIDI output port (name or index, or `file:PATH`; none: the config's, else the first port).
    pub midi_out: Option<String>,
    /// MIDI input port (name or index, or `file:PATH`; none: the config's, else no input).
    pub midi_in: Option<String>,
    /// Audio output device (none: the config's, else the default device).
    pub audio_device: Option<String>,
    /// Another project to open beside the first (the side-by-side view).
    pub other: Option<PathBuf>,
}

/// Opens the project the options name.
pub fn open_project(opts: &RunOptions) -> Result<Project, String> {
    let mut project = if opts.demo {
        demo_project(opts.demo_dir.clone())?
    } else if let Some(p) = &opts.path {
        Project::open(
            p,
            &OpenOptions {
                project: None,
                read_only: opts.read_only,
            },
        )
        .map_err(|e| e.to_string())?
    } else {
        Project::new_blank("untitled")
    };
    if opts.read_only {
        project.set_read_only(true);
    }
    Ok(project)
}

/// Generates the demo set (octa's own code writes it) and opens its project.
fn demo_project(dir: Option<PathBuf>) -> Result<Project, String> {
    let dir = dir.unwrap_or_else(crate::project::demo::default_dir);
    let path = crate::project::demo::generate(&dir).map_err(|e| e.to_string())?;
    Project::open(&path, &OpenOptions::default()).map_err(|e| e.to_string())
}

/// Builds the app for a project with the user's config, theme and keymap; problems with them
/// are shown in the status line (the app falls back to the defaults).
pub fn build_app(project: Project, opts: &RunOptions) -> App {
    let mut notes: Vec<String> = Vec::new();
    let config = Config::load().unwrap_or_else(|e| {
        notes.push(format!("{e}; using default settings"));
        Config::default()
    });
    let user = config_dir();
    let warnings: Vec<String> = project.warnings().iter().map(|w| w.to_string()).collect();
    let mut ctx = Ctx::new(model::Document::new(project));
    let theme_name = opts
        .theme
        .clone()
        .or(config.theme.clone())
        .unwrap_or_else(|| theme::DEFAULT.into());
    let (theme, terr) = theme::Theme::load_or_default(&theme_name, user.clone());
    ctx.theme = theme;
    if let Some(e) = terr {
        notes.push(format!("{e}; using the default theme"));
    }
    ctx.edit_step = config.edit_step.map_or(1, |s| s as usize);
    ctx.engines.edit_audition_off = config.audition == Some(false);
    audition::configure(&mut ctx.engines, &config);
    if let Some((b, p)) = pattern::first_pattern_with_trigs(&ctx.doc) {
        ctx.nav.bank = b;
        ctx.nav.pattern = p;
    }
    let keymap_name = opts
        .keymap
        .clone()
        .or(config.keymap.clone())
        .unwrap_or_else(|| keymap::DEFAULT.into());
    let mut opened = None;
    if let Some(o) = &opts.other {
        match side_view::open_other(&mut ctx, &o.to_string_lossy()) {
            Ok(m) => opened = Some(m),
            Err(e) => notes.push(format!("--other {}: {e}", o.display())),
        }
    }
    let mut app = App::new(ctx, &keymap_name, user);
    app.sync_part();
    if app.ctx.other.is_some() {
        app.action("view.side");
    }
    if let Some(n) = notes.into_iter().next() {
        app.error(n);
    } else if let Some(w) = warnings.first() {
        let key = app.keymap.keys_text(action::GlobalCmd::Warnings.name());
        app.info(format!(
            "{w} ({} warning(s), {key} lists them)",
            warnings.len()
        ));
    } else if let Some(m) = opened {
        app.info(m);
    }
    app
}

/// Opens the tracker (the `octa [PATH]` command).
pub fn run(opts: RunOptions) -> ExitCode {
    // The start screen (sets and projects) when the path is not a project: views/start.rs.
    let Some(opts) = views::start::choose(opts) else {
        return ExitCode::SUCCESS;
    };
    let project = match open_project(&opts) {
        Ok(p) => p,
        Err(e) => {
            crate::errln!("octa: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut app = build_app(project, &opts);
    // From here on the screen is the tracker's: library messages go to a log file.
    terminal::redirect_stderr();
    let port = opts
        .midi_out
        .clone()
        .or(Config::load().ok().and_then(|c| c.midi_out));
    let input = opts
        .midi_in
        .clone()
        .or(Config::load().ok().and_then(|c| c.midi_in));
    app.ctx.engines.midi_ports = (port.clone(), input.clone());
    app.ctx.engines.midi_control = Some(Box::new(midi_link::MidiLink::start_with(port, input)));
    // The engine knows the project's channels and tempo from the start.
    audition::tick(&mut app);
    let device = opts
        .audio_device
        .clone()
        .or(Config::load().ok().and_then(|c| c.audio_device));
    app.ctx.engines.audio_engine = Some(crate::audio::AudioEngine::new(device));
    match terminal::run_terminal(&mut app) {
        Ok(()) if views::start::back_requested() => {
            drop(app);
            run(opts)
        }
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::errln!("octa: terminal error: {e}");
            ExitCode::FAILURE
        }
    }
}
