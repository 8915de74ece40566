//! Built-in adaptations for the synths whose real dumps octa is tested with, plus family
//! members sharing their formats, and the raw sysex device.

mod elektron;
mod korg;
mod raw;
mod roland;
mod sequential;
mod waldorf;
mod yamaha;

pub use elektron::{Elektron, SOUND_MAGIC};
pub use korg::KorgM1;
pub use raw::{RAW_NAME, RawSysex};
pub use roland::RolandJv1080;
pub use sequential::{IDENTITY_REQUEST, Sequential};
pub use waldorf::Blofeld;
pub use yamaha::{YamahaDx7, unpack_voice};

use super::adaptation::Adaptation;
use std::sync::Arc;

/// Every built-in adaptation (without the raw device), in recognition order.
pub fn builtins() -> Vec<Arc<dyn Adaptation>> {
    vec![
        Arc::new(Elektron::digitone()),
        Arc::new(Elektron::analog_rytm()),
        Arc::new(Elektron::analog_four()),
        Arc::new(Sequential::prophet08()),
        Arc::new(Sequential::ob6()),
        Arc::new(Sequential::tetra()),
        Arc::new(Sequential::mopho()),
        Arc::new(Sequential::prophet6()),
        Arc::new(Sequential::trigon6()),
        Arc::new(KorgM1),
        Arc::new(RolandJv1080),
        Arc::new(YamahaDx7::dx7()),
        Arc::new(YamahaDx7::tx7()),
        Arc::new(Blofeld),
    ]
}
