//! Linking a patch to an Octatrack MIDI track: the part's NOTE SETUP values (channel, bank,
//! sub bank, program) that make the track recall the patch, and the sysex to send when the
//! track is auditioned. Pure logic; the tracker applies the values.

use super::adaptation::{Adaptation, locate};
use super::device::{DeviceError, SendTarget, messages_for};
use thiserror::Error;

/// The Octatrack's "off" value for BANK, SBNK and PROG.
pub const OFF: u8 = 128;

/// How a synth selects stored programs by MIDI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramSelect {
    /// Bank select MSB (CC 0) = bank number, then program change.
    BankMsb,
    /// Bank select LSB (CC 32) = bank number, then program change.
    BankLsb,
    /// Fixed bank select values (e.g. Roland user bank MSB 80, LSB 0), then program change.
    Fixed {
        /// CC 0 value.
        msb: u8,
        /// CC 32 value.
        lsb: u8,
    },
    /// Program change only (one bank, or banks not reachable by MIDI).
    ProgramOnly,
    /// Program changes do not select patches (e.g. Elektron: they select patterns);
    /// the patch must be sent as sysex.
    SysexOnly,
}

/// How `a` selects programs (by device family).
pub fn program_select(a: &dyn Adaptation) -> ProgramSelect {
    let name = a.name();
    if name.starts_with("Elektron") || name == super::builtin::RAW_NAME {
        ProgramSelect::SysexOnly
    } else if name.starts_with("DSI") || name.starts_with("Sequential") {
        ProgramSelect::BankLsb
    } else if name.starts_with("Roland JV") {
        ProgramSelect::Fixed { msb: 80, lsb: 0 }
    } else if name.starts_with("Yamaha") || name.starts_with("Korg M1") {
        ProgramSelect::ProgramOnly
    } else {
        ProgramSelect::BankMsb
    }
}

/// NOTE SETUP values for one MIDI track of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackSetup {
    /// MIDI track 1-8.
    pub track: u8,
    /// CHAN, 0-15 (shown 1-16).
    pub channel: u8,
    /// BANK (CC 0), 0-127 or [`OFF`].
    pub bank: u8,
    /// SBNK (CC 32), 0-127 or [`OFF`].
    pub sub_bank: u8,
    /// PROG, 0-127 or [`OFF`].
    pub program: u8,
}

/// A link that cannot be made.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Track outside 1-8.
    #[error("MIDI track {0} does not exist (the Octatrack has M1-M8)")]
    Track(u8),
    /// Channel outside 0-15.
    #[error("MIDI channel {0} is out of range (1-16)")]
    Channel(u8),
    /// The program number is not in the synth's banks.
    #[error("{device}: program {number} is not in any bank")]
    Program {
        /// The device.
        device: String,
        /// The linear program number.
        number: u32,
    },
    /// The program cannot be reached with a 7-bit program change.
    #[error(
        "{device}: program {index} of bank {bank} cannot be selected with a program change (0-127)"
    )]
    Unreachable {
        /// The device.
        device: String,
        /// The bank.
        bank: u32,
        /// Index in the bank.
        index: u32,
    },
}

/// NOTE SETUP values that make `track` (1-8) recall program `number` (linear over the
/// synth's banks) on `channel` (0-15). Synths whose program changes do not select sounds get
/// BANK/SBNK/PROG off (audition them with [`audition_sysex`]).
pub fn track_setup(
    a: &dyn Adaptation,
    number: u32,
    track: u8,
    channel: u8,
) -> Result<TrackSetup, LinkError> {
    if !(1..=8).contains(&track) {
        return Err(LinkError::Track(track));
    }
    if channel > 15 {
        return Err(LinkError::Channel(channel));
    }
    let mut setup = TrackSetup {
        track,
        channel,
        bank: OFF,
        sub_bank: OFF,
        program: OFF,
    };
    let style = program_select(a);
    if style == ProgramSelect::SysexOnly {
        return Ok(setup);
    }
    let banks = a.bank_descriptors();
    let (bank, index) = if banks.is_empty() {
        (number / 128, number % 128)
    } else {
        locate(&banks, number).ok_or_else(|| LinkError::Program {
            device: a.name(),
            number,
        })?
    };
    let bank7 = u8::try_from(bank).ok().filter(|b| *b < 128);
    let index7 = u8::try_from(index).ok().filter(|i| *i < 128);
    let (Some(b), Some(p)) = (bank7, index7) else {
        return Err(LinkError::Unreachable {
            device: a.name(),
            bank,
            index,
        });
    };
    setup.program = p;
    match style {
        ProgramSelect::BankMsb => setup.bank = b,
        ProgramSelect::BankLsb => setup.sub_bank = b,
        ProgramSelect::Fixed { msb, lsb } => {
            setup.bank = msb;
            setup.sub_bank = lsb;
        }
        ProgramSelect::ProgramOnly | ProgramSelect::SysexOnly => {}
    }
    Ok(setup)
}

/// The messages to send when the linked track is auditioned: the patch into the synth's
/// edit buffer on `channel`.
pub fn audition_sysex(
    a: &dyn Adaptation,
    patch: &[u8],
    channel: u8,
) -> Result<Vec<Vec<u8>>, DeviceError> {
    messages_for(a, patch, channel, SendTarget::EditBuffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::librarian::builtin::{Blofeld, Elektron, KorgM1, RolandJv1080, Sequential};

    #[test]
    fn setups_per_family() {
        let b = track_setup(&Blofeld, 130, 3, 4);
        assert_eq!(
            b,
            Ok(TrackSetup {
                track: 3,
                channel: 4,
                bank: 1,
                sub_bank: OFF,
                program: 2
            })
        );
        let ob = track_setup(&Sequential::ob6(), 205, 1, 0);
        assert_eq!(ob.map(|s| (s.bank, s.sub_bank, s.program)), Ok((OFF, 2, 5)));
        let jv = track_setup(&RolandJv1080, 45, 8, 15);
        assert_eq!(jv.map(|s| (s.bank, s.sub_bank, s.program)), Ok((80, 0, 45)));
        let m1 = track_setup(&KorgM1, 49, 2, 0);
        assert_eq!(
            m1.map(|s| (s.bank, s.sub_bank, s.program)),
            Ok((OFF, OFF, 49))
        );
        let dn = track_setup(&Elektron::digitone(), 5, 2, 0);
        assert_eq!(
            dn.map(|s| (s.bank, s.sub_bank, s.program)),
            Ok((OFF, OFF, OFF))
        );
        assert_eq!(track_setup(&Blofeld, 0, 9, 0), Err(LinkError::Track(9)));
        assert_eq!(track_setup(&Blofeld, 0, 1, 16), Err(LinkError::Channel(16)));
        assert!(matches!(
            track_setup(&Blofeld, 5000, 1, 0),
            Err(LinkError::Program { number: 5000, .. })
        ));
    }
}
