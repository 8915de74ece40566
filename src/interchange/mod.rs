//! Interchange with other tools: standard MIDI files ([`midi_file`]).

pub mod midi_file;
