//! Projects on disk: open a project folder, a set or a zip; track what changed; save atomically
//! with backups; refuse to overwrite files changed on disk; zip export and import; the demo project.
//!
//! The format module stays pure (bytes in, bytes out); this layer owns every I/O decision:
//! - Missing bank, markers or arrangement files open as the device's blank files with a
//!   warning and are written only once edited.
//! - Saves write only changed `.work` files; `.strd` files only through [`Project::save_stored`].
//! - Backups of replaced files go to `.octa-backup/<UTC timestamp>/` beside them (see [`store`]).
//! - A project opened from a zip saves by rewriting the zip atomically.
//! - Every write goes through [`durable`] (one write path: all-or-nothing multi-file commits with
//!   a journal, recovery on open); [`backups`] lists, restores and prunes backups.

pub mod anyfile;
pub mod archive;
pub mod backups;
pub mod chain;
pub mod contain;
pub mod convert;
pub mod copy;
pub mod demo;
pub mod durable;
pub mod error;
pub mod files;
pub mod json;
pub mod kinds;
mod model;
pub mod par;
pub mod pool;
pub mod pool_fix;
pub mod read;
pub mod sample_file;
mod save;
pub mod sets;
pub mod sidecar;
pub mod slot_convert;
pub mod slot_copy;
pub mod slots;
pub mod source;
pub mod state;
pub mod store;
pub mod walk;
pub mod wav;

pub use error::{ProjectError, Result};
pub use files::{FileId, FileSlot, Origin, OtFile};
pub use kinds::{Arrangement, Bank, Markers, ProjectFile};
pub use model::{
    ARRANGEMENTS, AudioPool, BANKS, Location, OpenOptions, OpenWarning, Partial, Project,
};
pub use save::SaveReport;
pub use store::Fingerprint;
