//! MIDI: the transport trait, ports, auditioning, playback and recording.
//!
//! Layers: [`transport`] (trait, in-memory pairs) and [`ports`] (midir) at the bottom;
//! [`message`] builds and parses bytes; [`model`] is the sequencer's view of a pattern;
//! [`render`] turns a step into timed messages; [`conditions`] evaluates trig conditions;
//! [`scheduler`] turns the `seq` timeline into messages; [`output`] keeps the port and held
//! notes; [`record`] turns input notes into grid edits; [`engine`] runs it all on a thread.
//! [`from_bank`], [`arrange`], [`model`] and [`conditions`] are re-exported from [`crate::seq`];
//! [`sim`] is a simulated device for tests; [`capture`] is the `file:PATH` port (out and in).

pub mod capture;
pub mod engine;
pub mod message;
pub mod output;
pub mod ports;
pub mod record;
pub mod render;
pub mod scheduler;
pub mod sim;
pub mod transport;

// The sequencer layer moved to `crate::seq`; these keep the `midi::` paths working.
pub use crate::seq::{arrange, conditions, from_bank, model};

pub use engine::{Audition, CountIn, EngineEvent, EngineOptions, EngineStatus, MidiEngine};
pub use model::{DeviceSetup, SeqPart, SeqPattern, SeqStep, SeqTrack, TrackKind};
pub use output::PortStatus;
pub use record::{RecordSettings, RecordedNote};
pub use scheduler::{PlayItem, PlayPosition, RowOptions, Sequencer};
pub use transport::{MidiError, MidiIn, MidiOut, MidiSystem, TimedMessage};
