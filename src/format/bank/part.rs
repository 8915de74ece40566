//! Part blocks (`PART`, 6331 bytes): machines, track pages, slots, MIDI setups,
//! recorder setups, scenes and LFO/arp tables (format doc §4.10-4.13).

use binrw::binrw;
use serde::{Deserialize, Serialize};

use super::bytes::{Bytes, Grid, LockRecords, NO_LOCK, Raw, SharedBytes, range_err};
use crate::format::{FormatError, MachineType};

/// Size of a part block.
pub const PART_LEN: usize = 6331;
/// Number of scenes per part.
pub const SCENES: usize = 16;

/// One 6-byte parameter value group per machine type (SRC values or SETUP values).
#[binrw]
#[brw(big)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MachineParams {
    /// Static machine.
    #[serde(rename = "static")]
    pub static_: Bytes<6>,
    /// Flex machine.
    pub flex: Bytes<6>,
    /// Thru machine.
    pub thru: Bytes<6>,
    /// Neighbor machine (unused).
    pub neighbor: Bytes<6>,
    /// Pickup machine.
    pub pickup: Bytes<6>,
}

impl MachineParams {
    /// The group for machine `m`; `None` for unknown machine codes.
    pub fn for_machine(&self, m: MachineType) -> Option<&Bytes<6>> {
        Some(match m {
            MachineType::Static => &self.static_,
            MachineType::Flex => &self.flex,
            MachineType::Thru => &self.thru,
            MachineType::Neighbor => &self.neighbor,
            MachineType::Pickup => &self.pickup,
            MachineType::Unknown(_) => return None,
        })
    }
    /// Mutable group for machine `m`.
    pub fn for_machine_mut(&mut self, m: MachineType) -> Option<&mut Bytes<6>> {
        Some(match m {
            MachineType::Static => &mut self.static_,
            MachineType::Flex => &mut self.flex,
            MachineType::Thru => &mut self.thru,
            MachineType::Neighbor => &mut self.neighbor,
            MachineType::Pickup => &mut self.pickup,
            MachineType::Unknown(_) => return None,
        })
    }
}

/// Audio track page values: LFO, AMP, FX1, FX2 (6 each).
#[binrw]
#[brw(big)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrackPageValues {
    /// LFO SPD1-3, DEP1-3.
    pub lfo: Bytes<6>,
    /// AMP ATK, HOLD, REL, VOL, BAL, F.
    pub amp: Bytes<6>,
    /// FX1 parameters 1-6.
    pub fx1: Bytes<6>,
    /// FX2 parameters 1-6.
    pub fx2: Bytes<6>,
}

/// Audio track page setups: LFO-A, AMP, FX1, FX2, LFO-B (6 each).
#[binrw]
#[brw(big)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrackPageSetups {
    /// LFO setup A: 3 targets, 3 waveforms.
    pub lfo_a: Bytes<6>,
    /// AMP setup.
    pub amp: Bytes<6>,
    /// FX1 setup.
    pub fx1: Bytes<6>,
    /// FX2 setup.
    pub fx2: Bytes<6>,
    /// LFO setup B: 3 multipliers, 3 trig modes.
    pub lfo_b: Bytes<6>,
}

/// A track's sample slot assignment (5 bytes).
#[binrw]
#[brw(big)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlotRecord {
    /// Static slot, 0-based.
    pub static_slot: u8,
    /// Flex slot, 0-based; 128..135 = recorder buffers 1..8.
    pub flex_slot: u8,
    /// Unused bytes, preserved.
    pub unused: Bytes<2>,
    /// This track's recorder buffer id (128 + track).
    pub recorder: u8,
}

impl SlotRecord {
    /// The recorder buffer (0..8) the Flex slot points at, if any.
    pub fn flex_recorder(&self) -> Option<u8> {
        (128..136)
            .contains(&self.flex_slot)
            .then(|| self.flex_slot - 128)
    }
}

/// MIDI track page values (32 bytes, laid out like the MIDI lock record).
#[binrw]
#[brw(big)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MidiPageValues {
    /// NOTE, VEL, LEN, NOT2, NOT3, NOT4.
    pub note: Bytes<6>,
    /// LFO SPD1-3, DEP1-3.
    pub lfo: Bytes<6>,
    /// ARP TRAN, LEG, MODE, SPD, RNGE, NLEN.
    pub arp: Bytes<6>,
    /// Pitch bend, aftertouch, CC1-CC4 values.
    pub ctrl1: Bytes<6>,
    /// CC5-CC10 values.
    pub ctrl2: Bytes<6>,
    /// Unused, preserved.
    pub unused: Bytes<2>,
}

impl MidiPageValues {
    /// The 32 bytes in lock-record order.
    pub fn to_record(&self) -> [u8; 32] {
        let mut r = [0u8; 32];
        for (i, g) in [self.note, self.lfo, self.arp, self.ctrl1, self.ctrl2]
            .iter()
            .enumerate()
        {
            r[i * 6..i * 6 + 6].copy_from_slice(&g.0);
        }
        r[30..].copy_from_slice(&self.unused.0);
        r
    }
    /// Value of lock-record slot `idx` (0..32).
    pub fn get(&self, idx: usize) -> Option<u8> {
        self.to_record().get(idx).copied()
    }
    /// Sets lock-record slot `idx` (0..32).
    pub fn set(&mut self, idx: usize, v: u8) -> Result<(), FormatError> {
        let g = match idx / 6 {
            0 => &mut self.note.0[..],
            1 => &mut self.lfo.0[..],
            2 => &mut self.arp.0[..],
            3 => &mut self.ctrl1.0[..],
            4 => &mut self.ctrl2.0[..],
            5 if idx < 32 => &mut self.unused.0[..],
            _ => return Err(range_err("MIDI parameter slot", idx, 32)),
        };
        g[idx % 6] = v;
        Ok(())
    }
}

/// MIDI track setup (36 bytes).
#[binrw]
#[brw(big)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MidiSetup {
    /// CHAN, BANK, PROG, unused, SBANK, unused.
    pub note: Bytes<6>,
    /// LFO setup A.
    pub lfo_a: Bytes<6>,
    /// unused, unused, LEN, unused, unused, KEY.
    pub arp: Bytes<6>,
    /// unused, unused, CC numbers of CC1-CC4.
    pub ctrl1: Bytes<6>,
    /// CC numbers of CC5-CC10.
    pub ctrl2: Bytes<6>,
    /// LFO setup B.
    pub lfo_b: Bytes<6>,
}

impl MidiSetup {
    /// MIDI channel, 0-based (0 = channel 1).
    pub fn channel(&self) -> u8 {
        self.note[0]
    }
    /// Bank select, `None` = off (128).
    pub fn bank(&self) -> Option<u8> {
        (self.note[1] < 128).then_some(self.note[1])
    }
    /// Program change, `None` = off (128).
    pub fn program(&self) -> Option<u8> {
        (self.note[2] < 128).then_some(self.note[2])
    }
    /// Sub-bank select, `None` = off (128).
    pub fn sbank(&self) -> Option<u8> {
        (self.note[4] < 128).then_some(self.note[4])
    }
    /// Arpeggiator sequence length.
    pub fn arp_len(&self) -> u8 {
        self.arp[2]
    }
    /// Arpeggiator key (0 = off).
    pub fn arp_key(&self) -> u8 {
        self.arp[5]
    }
    /// The CC numbers of CC1..CC10.
    pub fn cc_numbers(&self) -> [u8; 10] {
        let mut r = [0u8; 10];
        r[..4].copy_from_slice(&self.ctrl1[2..6]);
        r[4..].copy_from_slice(&self.ctrl2.0);
        r
    }
    /// Sets the CC number of CC*n* (n = 1..=10).
    pub fn set_cc_number(&mut self, n: usize, cc: u8) -> Result<(), FormatError> {
        match n {
            1..=4 => self.ctrl1[n + 1] = cc,
            5..=10 => self.ctrl2[n - 5] = cc,
            _ => {
                return Err(FormatError::Range {
                    field: "CC slot".into(),
                    value: n as i64,
                    range: "1..=10".into(),
                });
            }
        }
        Ok(())
    }
}

/// Recorder setup of an audio track (12 bytes).
#[binrw]
#[brw(big)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecorderSetup {
    /// INAB source (0 off, 1 A+B, 2 A, 3 B).
    pub inab: u8,
    /// INCD source.
    pub incd: u8,
    /// RLEN (64 = MAX).
    pub rlen: u8,
    /// TRIG (0 ONE, 1 ONE2, 2 HOLD).
    pub trig: u8,
    /// SRC3 internal source (0 off, 1..8 tracks, 9 MAIN).
    pub src3: u8,
    /// LOOP.
    pub loop_: u8,
    /// Fade in.
    pub fin: u8,
    /// Fade out.
    pub fout: u8,
    /// AB input gain.
    pub ab_gain: u8,
    /// QREC (255 = OFF).
    pub qrec: u8,
    /// QPL (255 = OFF).
    pub qpl: u8,
    /// CD input gain.
    pub cd_gain: u8,
}

/// A part (`PART`, 6331 bytes).
#[binrw]
#[brw(big, magic = b"PART")]
#[br(import(src: &SharedBytes))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// +4: zero bytes, preserved.
    pub unknown_4: Raw<4>,
    /// +8: part id 0..3.
    pub id: u8,
    /// +9: FX1 type per audio track.
    pub fx1_types: Bytes<8>,
    /// +17: FX2 type per audio track.
    pub fx2_types: Bytes<8>,
    /// +25: active scene A (0..15).
    pub scene_a: u8,
    /// +26: active scene B (0..15).
    pub scene_b: u8,
    /// +27: per-track volume pairs (main, cue; unverified).
    pub volumes: [Bytes<2>; 8],
    /// +43: machine type per track.
    pub machine_types: Bytes<8>,
    /// +51: machine SRC values per track.
    pub machine_values: [MachineParams; 8],
    /// +291: LFO/AMP/FX1/FX2 page values per track.
    pub track_values: [TrackPageValues; 8],
    /// +483: machine SETUP values per track.
    pub machine_setups: [MachineParams; 8],
    /// +723: slot assignment per track.
    pub slots: [SlotRecord; 8],
    /// +763: page setups per track.
    pub track_setups: [TrackPageSetups; 8],
    /// +1003: MIDI track page values.
    pub midi_values: [MidiPageValues; 8],
    /// +1259: MIDI track setups.
    pub midi_setups: [MidiSetup; 8],
    /// +1547: recorder setups.
    pub recorder_setups: [RecorderSetup; 8],
    /// +1643: scenes, each 8 audio-track lock records.
    #[br(args(src))]
    pub scenes: [LockRecords<8>; SCENES],
    /// +5739: per-scene 10-byte block (otio: "XLV assignments"; always FF), preserved.
    pub scene_block: Grid<10, SCENES>,
    /// +5899: audio custom LFO designs.
    pub audio_custom_lfos: Grid<16, 8>,
    /// +6027: audio custom LFO interpolation masks.
    pub audio_lfo_interp: Grid<2, 8>,
    /// +6043: MIDI custom LFO designs.
    pub midi_custom_lfos: Grid<16, 8>,
    /// +6171: MIDI custom LFO interpolation masks.
    pub midi_lfo_interp: Grid<2, 8>,
    /// +6187: MIDI arp mute masks.
    pub arp_mute_masks: Raw<16>,
    /// +6203: MIDI arp sequences.
    pub arp_sequences: Grid<16, 8>,
}

fn six(v: [u8; 6]) -> Bytes<6> {
    Bytes(v)
}

impl Part {
    /// A part as in a new project (blank-1.40B), with id `id`.
    pub fn blank(id: u8) -> Self {
        let src = MachineParams {
            static_: six([64, 0, 0, 127, 0, 79]),
            flex: six([64, 0, 0, 127, 0, 79]),
            thru: six([0, 64, 0, 0, 64, 0]),
            neighbor: six([0; 6]),
            pickup: six([64, 2, 1, 127, 64, 1]),
        };
        let setup = MachineParams {
            static_: six([1, 0, 0, 0, 1, 64]),
            flex: six([1, 0, 0, 0, 1, 64]),
            thru: six([0; 6]),
            neighbor: six([0; 6]),
            pickup: six([0, 0, 0, 0, 1, 64]),
        };
        Self {
            unknown_4: Raw::default(),
            id,
            fx1_types: Bytes([4; 8]),
            fx2_types: Bytes([8; 8]),
            scene_a: 0,
            scene_b: 8,
            volumes: [Bytes([108, 108]); 8],
            machine_types: Bytes([0; 8]),
            machine_values: [src; 8],
            track_values: [TrackPageValues {
                lfo: six([32, 32, 32, 0, 0, 0]),
                amp: six([0, 127, 127, 64, 64, 127]),
                fx1: six([0, 127, 0, 64, 0, 64]),
                fx2: six([47, 0, 127, 0, 127, 0]),
            }; 8],
            machine_setups: [setup; 8],
            slots: std::array::from_fn(|t| SlotRecord {
                static_slot: t as u8,
                flex_slot: t as u8,
                unused: Bytes([0; 2]),
                recorder: 128 + t as u8,
            }),
            track_setups: [TrackPageSetups {
                lfo_a: six([0; 6]),
                amp: six([1, 1, 0, 0, 0, 0]),
                fx1: six([0, 0, 1, 0, 3, 0]),
                fx2: six([0, 1, 127, 1, 0, 0]),
                lfo_b: six([0; 6]),
            }; 8],
            midi_values: [MidiPageValues {
                note: six([48, 100, 6, 64, 64, 64]),
                lfo: six([32, 32, 32, 0, 0, 0]),
                arp: six([64, 0, 0, 5, 0, 6]),
                ctrl1: six([64, 0, 127, 0, 0, 64]),
                ctrl2: six([0; 6]),
                unused: Bytes([0; 2]),
            }; 8],
            midi_setups: [MidiSetup {
                note: six([0, 128, 128, 0, 128, 0]),
                lfo_a: six([0; 6]),
                arp: six([0, 0, 7, 0, 0, 0]),
                ctrl1: six([0, 0, 7, 1, 2, 10]),
                ctrl2: six([71, 72, 73, 74, 75, 76]),
                lfo_b: six([0; 6]),
            }; 8],
            recorder_setups: [RecorderSetup {
                inab: 1,
                incd: 1,
                rlen: 64,
                trig: 0,
                src3: 0,
                loop_: 1,
                fin: 0,
                fout: 0,
                ab_gain: 0,
                qrec: 255,
                qpl: 255,
                cd_gain: 0,
            }; 8],
            scenes: std::array::from_fn(|_| LockRecords::default()),
            scene_block: Grid::filled(NO_LOCK),
            audio_custom_lfos: Grid::filled(0),
            audio_lfo_interp: Grid::filled(0),
            midi_custom_lfos: Grid::filled(0),
            midi_lfo_interp: Grid::filled(0),
            arp_mute_masks: Raw([0xFF; 16]),
            arp_sequences: Grid::filled(0),
        }
    }

    fn check_track(track: usize) -> Result<(), FormatError> {
        if track >= 8 {
            return Err(range_err("track", track, 8));
        }
        Ok(())
    }

    /// Machine type of audio track `track` (0..8); `Unknown(255)` when out of range.
    pub fn machine_type(&self, track: usize) -> MachineType {
        MachineType::from_code(self.machine_types.get(track).copied().unwrap_or(255))
    }
    /// Sets the machine type of a track (the other machines keep their values).
    pub fn set_machine_type(&mut self, track: usize, m: MachineType) -> Result<(), FormatError> {
        Self::check_track(track)?;
        self.machine_types[track] = m.to_code();
        Ok(())
    }
    /// The (main, cue) volume pair of a track (unverified meaning; default 108, 108).
    pub fn volume(&self, track: usize) -> Option<(u8, u8)> {
        self.volumes.get(track).map(|v| (v[0], v[1]))
    }
    /// Sets the FX1 type code of a track (parameter values are left as they are).
    pub fn set_fx1_type(&mut self, track: usize, code: u8) -> Result<(), FormatError> {
        Self::check_track(track)?;
        self.fx1_types[track] = code;
        Ok(())
    }
    /// Sets the FX2 type code of a track (parameter values are left as they are).
    pub fn set_fx2_type(&mut self, track: usize, code: u8) -> Result<(), FormatError> {
        Self::check_track(track)?;
        self.fx2_types[track] = code;
        Ok(())
    }
    /// FX1 type code of a track.
    pub fn fx1_type(&self, track: usize) -> u8 {
        self.fx1_types.get(track).copied().unwrap_or(0)
    }
    /// FX2 type code of a track.
    pub fn fx2_type(&self, track: usize) -> u8 {
        self.fx2_types.get(track).copied().unwrap_or(0)
    }

    /// The part's value of lock-record slot `idx` (0..32) on audio track `track`:
    /// 0-5 the current machine's SRC values, 6-29 LFO/AMP/FX1/FX2, 30 none,
    /// 31 the track's slot (Static or Flex by machine). `None` when not applicable.
    pub fn track_value(&self, track: usize, idx: usize) -> Option<u8> {
        let tv = self.track_values.get(track)?;
        match idx {
            0..=5 => self.machine_values[track]
                .for_machine(self.machine_type(track))
                .map(|g| g[idx]),
            6..=11 => Some(tv.lfo[idx - 6]),
            12..=17 => Some(tv.amp[idx - 12]),
            18..=23 => Some(tv.fx1[idx - 18]),
            24..=29 => Some(tv.fx2[idx - 24]),
            31 => match self.machine_type(track) {
                MachineType::Static => Some(self.slots[track].static_slot),
                MachineType::Flex => Some(self.slots[track].flex_slot),
                _ => None,
            },
            _ => None,
        }
    }

    /// Sets the part's value of lock-record slot `idx` on audio track `track`
    /// (same mapping as [`Part::track_value`]).
    pub fn set_track_value(&mut self, track: usize, idx: usize, v: u8) -> Result<(), FormatError> {
        Self::check_track(track)?;
        let m = self.machine_type(track);
        let tv = &mut self.track_values[track];
        let cell = match idx {
            0..=5 => self.machine_values[track]
                .for_machine_mut(m)
                .map(|g| &mut g.0[idx]),
            6..=11 => Some(&mut tv.lfo.0[idx - 6]),
            12..=17 => Some(&mut tv.amp.0[idx - 12]),
            18..=23 => Some(&mut tv.fx1.0[idx - 18]),
            24..=29 => Some(&mut tv.fx2.0[idx - 24]),
            31 => match m {
                MachineType::Static => Some(&mut self.slots[track].static_slot),
                MachineType::Flex => Some(&mut self.slots[track].flex_slot),
                _ => None,
            },
            _ => None,
        };
        *cell.ok_or_else(|| FormatError::Range {
            field: format!("part value slot for a {} track", m.name()),
            value: idx as i64,
            range: "a slot the machine has".into(),
        })? = v;
        Ok(())
    }

    /// Scene lock of `scene` (0..16), audio `track` (0..8), slot `idx` (0..32).
    pub fn scene_lock(&self, scene: usize, track: usize, idx: usize) -> Option<u8> {
        self.scenes.get(scene)?.get(track, idx)
    }
    /// Sets or clears a scene lock.
    pub fn set_scene_lock(
        &mut self,
        scene: usize,
        track: usize,
        idx: usize,
        value: Option<u8>,
    ) -> Result<(), FormatError> {
        self.scenes
            .get_mut(scene)
            .ok_or_else(|| range_err("scene", scene, SCENES))?
            .set(track, idx, value)
    }
    /// The crossfader track level (XLV, slot 17) locked in a scene.
    pub fn xlv(&self, scene: usize, track: usize) -> Option<u8> {
        self.scene_lock(scene, track, 17)
    }
    /// Sets or clears a scene's XLV lock.
    pub fn set_xlv(
        &mut self,
        scene: usize,
        track: usize,
        value: Option<u8>,
    ) -> Result<(), FormatError> {
        self.set_scene_lock(scene, track, 17, value)
    }
}
