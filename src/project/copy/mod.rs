//! Copying a bank, pattern, part, track or scene to another place in the same project or in
//! another project, bringing the sample slots it uses along.
//!
//! A copy is planned first ([`plan`]): the source content is taken out ([`Payload`]), every
//! sample slot it references is matched to an identical slot of the destination or given a free
//! one, the references in the payload are rewritten, and the sample files to copy are listed.
//! The [`CopyPlan`] can be shown to the user; [`apply`] then edits the destination project in
//! memory (saving is the caller's business) and [`copy_files`] copies the sample files.
//! No UI here: the tracker and `octa copy` both use this module.

mod files;
mod payload;
mod plan;
mod target;

pub use files::{FileCopy, copy_files, copy_files_into};
pub(in crate::project) use files::{Taken, place_file, stage_files};
pub use payload::{
    AudioTrackPart, CopyOptions, MidiTrackPart, Payload, apply_payload, payload, payload_refs,
    remap_payload,
};
pub use plan::{CopyPlan, SlotMove, apply, commit, plan};
pub use target::Target;
