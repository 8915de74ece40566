//! Built-in adaptations for the synths whose real dumps octa is tested with, plus family
//! members sharing their formats, and the raw sysex device.

mod dx7ii;
mod elektron;
mod korg;
mod novation;
mod peak;
mod raw;
mod refacedx;
mod roland;
mod sequential;
mod tempest;
mod tetra_combo;
mod tx81z;
mod waldorf;
mod yamaha;

pub use dx7ii::YamahaDx7ii;
pub use elektron::{Elektron, SOUND_MAGIC};
pub use korg::{Korg, KorgM1};
pub use novation::BassStation2;
pub use peak::NovationPeak;
pub use raw::{RAW_NAME, RawSysex};
pub use refacedx::RefaceDx;
pub use roland::{Roland, RolandJv1080};
pub use sequential::{IDENTITY_REQUEST, Numbering, Sequential, Spec};
pub use tempest::Tempest;
pub use tetra_combo::TetraCombo;
pub use tx81z::Tx81z;
pub use waldorf::Blofeld;
pub use yamaha::{YamahaDx7, unpack_voice};

use super::adaptation::Adaptation;
use std::sync::Arc;

/// Every built-in adaptation (without the raw device), in recognition order.
pub fn builtins() -> Vec<Arc<dyn Adaptation>> {
    let mut all: Vec<Arc<dyn Adaptation>> = vec![
        Arc::new(Elektron::digitone()),
        Arc::new(Elektron::analog_rytm()),
        Arc::new(Elektron::analog_four()),
    ];
    // Before the family: the Tetra program device keeps combo messages as 'not a patch'.
    all.push(Arc::new(TetraCombo));
    for s in Sequential::family() {
        all.push(Arc::new(s));
    }
    all.push(Arc::new(Tempest));
    all.extend::<[Arc<dyn Adaptation>; _]>([
        Arc::new(KorgM1),
        Arc::new(Korg::R03W),
        Arc::new(RolandJv1080),
        Arc::new(Roland::xv3080()),
        Arc::new(YamahaDx7::dx7()),
        Arc::new(YamahaDx7::tx7()),
        Arc::new(Tx81z),
        Arc::new(YamahaDx7ii),
        Arc::new(RefaceDx),
        Arc::new(Blofeld),
        Arc::new(BassStation2),
        Arc::new(NovationPeak::peak()),
        Arc::new(NovationPeak::summit()),
    ]);
    all
}
