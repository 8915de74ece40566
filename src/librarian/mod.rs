//! The sysex librarian: KnobKraft-style adaptations (built-in and Rhai scripts), sysex
//! helpers, file import/export, the patch database and the device flows (detect, fetch,
//! send) over the MIDI transport trait.

pub mod adaptation;
pub mod builtin;
pub mod file;
pub mod registry;
pub mod script;
pub mod smf;
pub mod sysex;

pub use adaptation::{
    Adaptation, BankDescriptor, BankDumpCapability, EditBufferCapability, Patch, PatchKind,
    ProgramDumpCapability,
};
pub use registry::Registry;
