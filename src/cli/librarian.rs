//! `octa librarian ...`: the sysex librarian from the command line. Import, list and export
//! work offline; detect, fetch and send need MIDI and say so clearly when there is none.

use crate::librarian::db::{Database, DeviceLocation, PatchFilter};
use crate::librarian::device::{
    self, Cancel, FetchResult, Found, Link, Progress, SendTarget, Timing,
};
use crate::librarian::file::write_syx;
use crate::librarian::selection::Selection;
use crate::librarian::{Adaptation, LibrarianError, Registry, import_file};
use crate::midi::transport::{MidiSystem, resolve_port};
use clap::{Args, Subcommand};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `octa librarian`.
#[derive(Debug, Args)]
pub struct LibrarianArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: LibrarianCommand,
}

/// The librarian's subcommands.
#[derive(Debug, Subcommand)]
pub enum LibrarianCommand {
    /// Find connected synths on every MIDI port and remember where they are.
    Detect,
    /// List the known adaptations (built-in and scripts), their locations and script errors.
    Devices,
    /// Run the test data (`make_test_data`) of KnobKraft `.py` adaptations inside octa and
    /// count how many pass (default folder: the config dir's `adaptations/`).
    KkTest {
        /// Folders holding KnobKraft adaptations.
        dirs: Vec<PathBuf>,
    },
    /// Pin a synth to a port and channel (detection will not change it).
    Pin {
        /// Device (adaptation) name or unique part of it.
        device: String,
        /// Output port (name, unique part, or index).
        #[arg(long = "out")]
        out_port: String,
        /// Input port (defaults to the output's name).
        #[arg(long = "in")]
        in_port: Option<String>,
        /// MIDI channel / device id, 1-16.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=16))]
        channel: u8,
    },
    /// Fetch patches from a synth into the database (edit buffer, a program, or a bank).
    Fetch {
        /// Device (adaptation) name or unique part of it.
        device: String,
        /// Bank number (1-based); fetches the whole bank.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        bank: Option<u32>,
        /// Program number (0-based, linear over all banks).
        #[arg(long, conflicts_with = "bank")]
        program: Option<u32>,
    },
    /// List stored patches.
    List {
        /// Only this device.
        #[arg(long)]
        device: Option<String>,
        /// Only names containing this text (case-insensitive).
        #[arg(long)]
        search: Option<String>,
        /// Only patches with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// Only favourites.
        #[arg(long)]
        favourites: bool,
        /// Include hidden patches.
        #[arg(long)]
        hidden: bool,
    },
    /// Send a stored patch to its synth's edit buffer, or with --slot to a program slot.
    Send {
        /// Patch id (see `list`).
        patch: i64,
        /// Program slot to overwrite (0-based, linear); asks for confirmation.
        #[arg(long)]
        slot: Option<u32>,
        /// Do not ask before overwriting a slot.
        #[arg(long)]
        yes: bool,
    },
    /// Rename a stored patch (the dump is renamed too when the format allows).
    Rename {
        /// Patch id.
        patch: i64,
        /// The new name.
        name: String,
    },
    /// Add tags to a patch (or remove them with --remove).
    Tag {
        /// Patch id.
        patch: i64,
        /// Tags.
        #[arg(required = true)]
        tags: Vec<String>,
        /// Remove instead of add.
        #[arg(long)]
        remove: bool,
    },
    /// Mark a patch as favourite (or unmark it with --off).
    Favourite {
        /// Patch id.
        patch: i64,
        /// Unmark.
        #[arg(long)]
        off: bool,
    },
    /// Import .syx or .mid files (single patches or banks).
    Import {
        /// Files to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Read them as this device instead of recognising it.
        #[arg(long)]
        device: Option<String>,
    },
    /// Export patches as .syx: ids (3, 1,4-9), import:N (byte-exact bank), device:NAME, search:TEXT.
    Export {
        /// What to export.
        #[arg(value_parser = super::args::selection)]
        selection: String,
        /// The .syx file to write.
        out: PathBuf,
    },
}

/// The machine's MIDI system (reports itself unavailable when there is no MIDI).
fn midi_system() -> Box<dyn MidiSystem> {
    crate::midi::ports::open_system()
}

fn registry() -> Registry {
    let r = Registry::load();
    r.wait_for_python();
    for e in r
        .errors
        .iter()
        .chain(r.python().map_or(&[][..], |p| p.errors.as_slice()))
    {
        crate::errln!("octa: adaptation script disabled: {e}");
    }
    r
}

fn find(registry: &Registry, name: &str) -> Result<Arc<dyn Adaptation>, String> {
    registry.find(name).ok_or_else(|| {
        let names: Vec<String> = registry.everything().iter().map(|a| a.name()).collect();
        format!("no device matches '{name}'; known: {}", names.join(", "))
    })
}

fn kk_test(dirs: &[PathBuf]) -> Result<(), String> {
    use crate::librarian::{kk_test, python};
    let dirs: Vec<PathBuf> = if dirs.is_empty() {
        crate::config::config_dir()
            .map(|c| vec![c.join("adaptations")])
            .unwrap_or_default()
    } else {
        dirs.to_vec()
    };
    if !python::available() {
        return Err(format!(
            "{} does not run: KnobKraft adaptations need Python 3 (OCTA_PYTHON names another)",
            python::interpreter().display()
        ));
    }
    let (mut with_data, mut passed) = (0, 0);
    for dir in &dirs {
        let (adaptations, errors) = python::load_files(&python::adaptation_files(dir));
        for e in &errors {
            crate::outln!("NOT LOADED {e}");
        }
        for a in &adaptations {
            let Some(t) = kk_test::run(a) else {
                crate::outln!("no test data  {} ({})", a.name(), a.path().display());
                continue;
            };
            with_data += 1;
            if t.passed() {
                passed += 1;
                crate::outln!("PASS {} ({} checks)", t.name, t.checks);
            } else {
                crate::outln!(
                    "FAIL {} ({} of {} checks failed)",
                    t.name,
                    t.failures.len(),
                    t.checks
                );
                for f in &t.failures {
                    crate::outln!("    {f}");
                }
            }
        }
    }
    crate::outln!(
        "{passed} of {with_data} adaptations with test data pass their own tests in octa"
    );
    Ok(())
}

/// Runs `octa librarian ...`.
pub fn run(args: &LibrarianArgs) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::errln!("octa librarian: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Says so and returns true when `path` holds exactly the messages of an earlier import
/// (checked by digest before any adaptation is set up; writes nothing). False when it does
/// not, or cannot tell: the full import then runs and reports any error.
fn repeated_import(db: &Database, path: &Path) -> bool {
    let Ok(m) = crate::librarian::file::read_messages(path) else {
        return false;
    };
    let Ok(Some(k)) = db.find_import(&m.messages) else {
        return false;
    };
    crate::outln!(
        "{}: already imported as import:{} ({}, {} patches)",
        path.display(),
        k.import_id,
        k.device,
        k.patches
    );
    if m.stray > 0 {
        crate::outln!("  skipped {} stray bytes between messages", m.stray);
    }
    true
}

fn open_db() -> Result<Database, String> {
    Database::open_default().map_err(|e| e.to_string())
}

fn run_inner(args: &LibrarianArgs) -> Result<(), String> {
    match &args.command {
        LibrarianCommand::Import { files, device } => {
            let mut db = open_db()?;
            // Adaptation scripts are set up only when a file is not already imported.
            let mut registry_once: Option<Registry> = None;
            let mut failed = 0;
            for f in files {
                if device.is_none() && repeated_import(&db, f) {
                    continue;
                }
                let registry = registry_once.get_or_insert_with(registry);
                match import_file(&mut db, registry, f, device.as_deref()) {
                    Ok(r) => {
                        let s = &r.summary;
                        if s.already_imported {
                            crate::outln!(
                                "{}: already imported as import:{} ({}, {} patches)",
                                f.display(),
                                s.import_id,
                                r.device,
                                s.patches
                            );
                        } else {
                            crate::outln!(
                                "{}: {} — {} patches, {} new, {} already known; import:{}",
                                f.display(),
                                r.device,
                                s.patches,
                                s.added,
                                s.duplicates,
                                s.import_id
                            );
                        }
                        if r.stray > 0 {
                            crate::outln!("  skipped {} stray bytes between messages", r.stray);
                        }
                        for o in &r.other {
                            crate::outln!("  kept, not a patch: {o}");
                        }
                        for p in &r.problems {
                            crate::outln!("  warning: {p}");
                        }
                    }
                    Err(e) => {
                        crate::errln!("octa librarian: {e}");
                        failed += 1;
                    }
                }
            }
            if failed > 0 {
                return Err(format!("{failed} file(s) could not be imported"));
            }
            Ok(())
        }
        LibrarianCommand::List {
            device,
            search,
            tag,
            favourites,
            hidden,
        } => {
            let db = open_db()?;
            let registry = Registry::load();
            let device = match device {
                Some(d) => Some(find(&registry, d)?.name()),
                None => None,
            };
            let rows = db
                .list(&PatchFilter {
                    device,
                    search: search.clone(),
                    tag: tag.clone(),
                    favourites: *favourites,
                    include_hidden: *hidden,
                })
                .map_err(|e| e.to_string())?;
            for p in &rows {
                let place = match (p.program, registry.find(&p.device)) {
                    (Some(n), Some(a)) => a.friendly_program_name(n),
                    (Some(n), None) => n.to_string(),
                    _ => "-".into(),
                };
                crate::outln!(
                    "{:>5}  {:<22} {:<20} {:<10} {}{}",
                    p.id,
                    p.device,
                    p.name.trim(),
                    place,
                    if p.favourite { "* " } else { "" },
                    p.tags.join(",")
                );
            }
            crate::outln!("{} patch(es)", rows.len());
            Ok(())
        }
        LibrarianCommand::Export { selection, out } => {
            let db = open_db()?;
            let sel = Selection::parse(selection).map_err(|e| e.to_string())?;
            let blobs = sel.resolve(&db).map_err(|e| e.to_string())?;
            if blobs.is_empty() {
                return Err(format!("'{selection}' selects no patches"));
            }
            let n = write_syx(out, blobs.iter().map(|b| b.as_slice()))
                .map_err(|e| LibrarianError::from(e).to_string())?;
            crate::outln!("wrote {} ({} bytes)", out.display(), n);
            Ok(())
        }
        LibrarianCommand::KkTest { dirs } => kk_test(dirs),
        LibrarianCommand::Devices => {
            let db = open_db()?;
            let registry = registry();
            for a in registry.everything() {
                let loc = db.device_location(&a.name()).map_err(|e| e.to_string())?;
                let caps = [
                    a.edit_buffer().map(|_| "edit buffer"),
                    a.program_dump().map(|_| "programs"),
                    a.bank_dump().map(|_| "banks"),
                ];
                let caps: Vec<&str> = caps.into_iter().flatten().collect();
                let at = match loc {
                    Some(l) => format!(
                        "{} {} / {} ch {}",
                        if l.pinned { "pinned at" } else { "found at" },
                        l.out_port,
                        l.in_port,
                        l.channel + 1
                    ),
                    None => "not located".into(),
                };
                crate::outln!("{:<26} [{}]  {}", a.name(), caps.join(", "), at);
            }
            for e in &registry.errors {
                crate::outln!("disabled script: {e}");
            }
            Ok(())
        }
        LibrarianCommand::Pin {
            device,
            out_port,
            in_port,
            channel,
        } => {
            if !(1..=16).contains(channel) {
                return Err(format!("channel {channel} is out of range (1-16)"));
            }
            let registry = Registry::load();
            let a = find(&registry, device)?;
            let db = open_db()?;
            let loc = DeviceLocation {
                out_port: out_port.clone(),
                in_port: in_port.clone().unwrap_or_else(|| out_port.clone()),
                channel: channel - 1,
                pinned: true,
            };
            db.set_device_location(&a.name(), &loc)
                .map_err(|e| e.to_string())?;
            crate::outln!(
                "{} pinned to {} / {} channel {}",
                a.name(),
                loc.out_port,
                loc.in_port,
                channel
            );
            Ok(())
        }
        LibrarianCommand::Rename { patch, name } => {
            let mut db = open_db()?;
            let p = db.patch(*patch).map_err(|e| e.to_string())?;
            let registry = Registry::load();
            let a = registry.find(&p.device);
            db.rename(*patch, name, a.as_deref())
                .map_err(|e| e.to_string())?;
            crate::outln!("{}: '{}' -> '{}'", patch, p.name.trim(), name);
            Ok(())
        }
        LibrarianCommand::Tag {
            patch,
            tags,
            remove,
        } => {
            let db = open_db()?;
            db.patch(*patch).map_err(|e| e.to_string())?;
            for t in tags {
                if *remove {
                    db.remove_tag(*patch, t)
                } else {
                    db.add_tag(*patch, t)
                }
                .map_err(|e| e.to_string())?;
            }
            let p = db.patch(*patch).map_err(|e| e.to_string())?;
            crate::outln!("{}: tags {}", patch, p.tags.join(","));
            Ok(())
        }
        LibrarianCommand::Favourite { patch, off } => {
            let db = open_db()?;
            db.set_favourite(*patch, !off).map_err(|e| e.to_string())?;
            Ok(())
        }
        LibrarianCommand::Detect => detect_cmd(),
        LibrarianCommand::Fetch {
            device,
            bank,
            program,
        } => fetch_cmd(device, *bank, *program),
        LibrarianCommand::Send { patch, slot, yes } => send_cmd(*patch, *slot, *yes),
    }
}

fn print_progress(p: Progress) {
    match p {
        Progress::Probing {
            device,
            port,
            done,
            total,
        } => crate::errln!("  {device}: probing {port} ({}/{total})", done + 1),
        Progress::Fetching { done, total } if total > 1 => {
            crate::cli::out::write_err(format_args!("\r  {done}/{total}"))
        }
        _ => {}
    }
}

fn detect_cmd() -> Result<(), String> {
    let mut system = midi_system();
    let registry = registry();
    let db = open_db()?;
    let found: Vec<Found> = device::detect(
        system.as_mut(),
        &registry.everything(),
        &Timing::default(),
        &Cancel::new(),
        &mut print_progress,
    )
    .map_err(|e| e.to_string())?;
    if found.is_empty() {
        crate::outln!("no synth answered");
    }
    for f in &found {
        let pinned = db
            .device_location(&f.device)
            .map_err(|e| e.to_string())?
            .is_some_and(|l| l.pinned);
        if !pinned {
            db.set_device_location(
                &f.device,
                &DeviceLocation {
                    out_port: f.out_port.clone(),
                    in_port: f.in_port.clone(),
                    channel: f.channel,
                    pinned: false,
                },
            )
            .map_err(|e| e.to_string())?;
        }
        crate::outln!(
            "{} on {} / {} channel {}{}",
            f.device,
            f.out_port,
            f.in_port,
            f.channel + 1,
            if pinned {
                " (pinned location kept)"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn open_link(
    db: &Database,
    system: &mut dyn MidiSystem,
    a: &dyn Adaptation,
) -> Result<Link, String> {
    // Ask the system first so a machine without MIDI says so before anything else.
    let outs = system.outputs().map_err(|e| e.to_string())?;
    let ins = system.inputs().map_err(|e| e.to_string())?;
    let loc = db
        .device_location(&a.name())
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "{} has no known port: run `octa librarian detect` or `octa librarian pin`",
                a.name()
            )
        })?;
    let out = resolve_port(&outs, &loc.out_port).map_err(|e| e.to_string())?;
    let inp = resolve_port(&ins, &loc.in_port).map_err(|e| e.to_string())?;
    Link::open(system, &out, &inp, loc.channel).map_err(|e| e.to_string())
}

fn fetch_cmd(device: &str, bank: Option<u32>, program: Option<u32>) -> Result<(), String> {
    let registry = registry();
    let a = find(&registry, device)?;
    let mut db = open_db()?;
    let mut system = midi_system();
    let mut link = open_link(&db, system.as_mut(), a.as_ref())?;
    let timing = Timing::default();
    let cancel = Cancel::new();
    let result: FetchResult = match (bank, program) {
        (Some(b), _) => {
            let b = b.checked_sub(1).ok_or("banks are numbered from 1")?;
            device::fetch_bank(
                &mut link,
                a.as_ref(),
                b,
                &timing,
                &cancel,
                &mut print_progress,
            )
            .map_err(|e| e.to_string())?
        }
        (None, Some(n)) => device::fetch_programs(
            &mut link,
            a.as_ref(),
            &[n],
            &timing,
            &cancel,
            &mut print_progress,
        )
        .map_err(|e| e.to_string())?,
        (None, None) => {
            let p = device::fetch_edit_buffer(&mut link, a.as_ref(), &timing, &cancel)
                .map_err(|e| e.to_string())?;
            FetchResult {
                messages: crate::librarian::sysex::messages(&p.data),
                patches: vec![p],
                ..FetchResult::default()
            }
        }
    };
    crate::errln!();
    let loaded = crate::librarian::adaptation::Loaded {
        patches: result.patches.clone(),
        ..Default::default()
    };
    let source = format!("synth:{}", link.out.name());
    let s = db
        .store_import(a.as_ref(), &source, &result.messages, &loaded)
        .map_err(|e| e.to_string())?;
    crate::outln!(
        "{}: {} patch(es) arrived, {} new; import:{}",
        a.name(),
        result.patches.len(),
        s.added,
        s.import_id
    );
    if !result.missing.is_empty() {
        let names: Vec<String> = result
            .missing
            .iter()
            .map(|n| a.friendly_program_name(*n))
            .collect();
        crate::outln!("missing: {}", names.join(" "));
    }
    if let Some(e) = result.error {
        return Err(e.to_string());
    }
    Ok(())
}

fn confirm(question: &str) -> bool {
    crate::cli::out::write_err(format_args!("{question} [y/N] "));
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim(), "y" | "Y" | "yes")
}

fn send_cmd(id: i64, slot: Option<u32>, yes: bool) -> Result<(), String> {
    let db = open_db()?;
    let p = db.patch(id).map_err(|e| e.to_string())?;
    let registry = registry();
    let a = registry
        .find(&p.device)
        .ok_or_else(|| format!("the adaptation '{}' is not loaded", p.device))?;
    let target = match slot {
        Some(n) => {
            let q = format!(
                "Overwrite program {} on {} with '{}'?",
                a.friendly_program_name(n),
                a.name(),
                p.name.trim()
            );
            if !yes && !confirm(&q) {
                return Err("not sent".into());
            }
            SendTarget::Program(n)
        }
        None => SendTarget::EditBuffer,
    };
    let mut system = midi_system();
    let mut link = open_link(&db, system.as_mut(), a.as_ref())?;
    let n = device::send_patch(
        link.out.as_mut(),
        a.as_ref(),
        &p.sysex,
        link.channel,
        target,
        &Cancel::new(),
        &mut |_| {},
    )
    .map_err(|e| e.to_string())?;
    crate::outln!("sent '{}' to {} ({n} message(s))", p.name.trim(), a.name());
    Ok(())
}
