//! Recorder trigs and per-track sequencer settings as undoable edits (document units
//! [`Unit::Recorder`] and [`Unit::Setting`]); the commands that use them are
//! `Command::ToggleRecorder`, `Command::ToggleRecorderOneShot`, `Command::ClearRecorder` and
//! `Command::SetTrackSetting` in [`super::command`].

use super::document::{Document, Unit, is_midi};
use super::trig::At;
use crate::format::bank::{
    Pattern, RECORDER_ONESHOT_MASK, RecorderSource, RecorderTrig, TrackSettings, TrigMode,
    trig_quant_name,
};
use crate::format::slot_attrs::TrigQuant;

/// A per-track sequencer setting (audio +91..96, MIDI +51..56), edited as its stored byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Setting {
    /// Swing amount 0..=30 (50..80 %).
    Swing,
    /// TRIG MODE 0..=2 (ONE, ONE2, HOLD).
    TrigMode,
    /// TRIG QUANT: 255 DIRECT, 0 TR.LEN, 1..=16.
    TrigQuant,
    /// START SILENT (0 off, 255 on).
    StartSilent,
    /// PLAYS FREE (0 / 1).
    PlaysFree,
    /// ONESHOT TRK (0 / 1).
    OneShotTrack,
}

impl Setting {
    /// Every setting, in the device's menu order (swing first).
    pub const ALL: [Setting; 6] = [
        Self::Swing,
        Self::TrigMode,
        Self::TrigQuant,
        Self::StartSilent,
        Self::PlaysFree,
        Self::OneShotTrack,
    ];

    /// The device's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Swing => "SWING",
            Self::TrigMode => "TRIG MODE",
            Self::TrigQuant => "TRIG QUANT",
            Self::StartSilent => "START SILENT",
            Self::PlaysFree => "PLAYS FREE",
            Self::OneShotTrack => "ONESHOT TRK",
        }
    }

    /// The stored byte in a track's settings.
    pub fn get(self, s: &TrackSettings) -> u8 {
        match self {
            Self::Swing => s.swing_amount,
            Self::TrigMode => s.trig_mode,
            Self::TrigQuant => s.trig_quant,
            Self::StartSilent => s.start_silent,
            Self::PlaysFree => s.plays_free,
            Self::OneShotTrack => s.oneshot,
        }
    }

    /// Writes the stored byte, clamped to what the device stores (swing 0..=30, trig mode
    /// 0..=2, trig quant 0..=16 or 255, flags: see [`Setting::flag_byte`]).
    pub fn set(self, s: &mut TrackSettings, v: u8) {
        match self {
            Self::Swing => s.swing_amount = v.min(30),
            Self::TrigMode => s.trig_mode = v.min(2),
            Self::TrigQuant => s.trig_quant = if v > 16 { 255 } else { v },
            Self::StartSilent => s.set_start_silent(v != 0),
            Self::PlaysFree => s.set_plays_free(v != 0),
            Self::OneShotTrack => s.set_oneshot_track(v != 0),
        }
    }

    /// The value as the device shows it (`50%`, `HOLD`, `DIRECT`, `ON`).
    pub fn show(self, v: u8) -> String {
        let onoff = |b: bool| if b { "ON" } else { "OFF" }.to_string();
        match self {
            Self::Swing => format!("{}%", 50 + v.min(30) as u16),
            Self::TrigMode => TrigMode::from_code(v).name(),
            Self::TrigQuant => trig_quant_name(TrigQuant::from_ot(v)),
            Self::StartSilent | Self::PlaysFree | Self::OneShotTrack => onoff(v != 0),
        }
    }

    /// The stored value one step up (`+1`) or down (`-1`) from `v`, wrapping for flags and
    /// the trig mode; trig quant steps DIRECT, TR.LEN, 1, 2, 3, 4, 6, ... 256.
    pub fn step(self, v: u8, dir: i8) -> u8 {
        match self {
            Self::Swing => (v as i16 + dir as i16).clamp(0, 30) as u8,
            Self::TrigMode => (v.min(2) as i16 + dir as i16).rem_euclid(3) as u8,
            Self::TrigQuant => {
                // order: 255 (DIRECT), 0, 1, .., 16
                let pos = if v > 16 { 0 } else { v as i16 + 1 };
                let next = (pos + dir as i16).clamp(0, 17);
                if next == 0 { 255 } else { (next - 1) as u8 }
            }
            Self::StartSilent => {
                if v != 0 {
                    0
                } else {
                    255
                }
            }
            Self::PlaysFree | Self::OneShotTrack => (v == 0) as u8,
        }
    }
}

/// The settings of track `t` (0..16) of a pattern.
pub fn settings_of(p: &Pattern, t: usize) -> Option<&TrackSettings> {
    if t < 8 {
        Some(&p.audio[t].settings)
    } else {
        p.midi.get(t - 8).map(|m| &m.settings)
    }
}

/// The settings of track `t` (0..16) of a pattern, to change.
pub fn settings_of_mut(p: &mut Pattern, t: usize) -> Option<&mut TrackSettings> {
    if t < 8 {
        Some(&mut p.audio[t].settings)
    } else {
        p.midi.get_mut(t - 8).map(|m| &mut m.settings)
    }
}

/// The unit of recorder mask `mask` (0 INAB, 1 INCD, 2 SRC3, 3 one-shot) at a step.
pub fn recorder_unit(track: usize, mask: usize, step: usize) -> Unit {
    Unit::Recorder {
        track: track as u8,
        mask: mask as u8,
        step: step as u8,
    }
}

/// The unit of a track setting.
pub fn setting_unit(track: usize, setting: Setting) -> Unit {
    Unit::Setting {
        track: track as u8,
        setting,
    }
}

impl At {
    /// The recorder trig of an audio track's step (empty on MIDI tracks).
    pub fn recorder(self, doc: &Document, track: usize, step: usize) -> RecorderTrig {
        let bit = |m| self.get(doc, recorder_unit(track, m, step)) != 0;
        RecorderTrig {
            in_ab: bit(0),
            in_cd: bit(1),
            src3: bit(2),
            oneshot: bit(RECORDER_ONESHOT_MASK),
        }
    }

    /// Toggles one source of a recorder trig; removing the last source also clears the
    /// step's one-shot flag (a one-shot flag without a trig means nothing on the device).
    /// Errors on MIDI tracks.
    pub fn toggle_recorder_source(
        self,
        doc: &mut Document,
        track: usize,
        step: usize,
        src: RecorderSource,
    ) -> Result<bool, String> {
        if is_midi(track) {
            return Err("MIDI tracks have no recorder trigs".into());
        }
        let on = !self.recorder(doc, track, step).has(src);
        self.set(doc, recorder_unit(track, src.mask_index(), step), on as u16);
        if !self.recorder(doc, track, step).is_trig() {
            self.set(doc, recorder_unit(track, RECORDER_ONESHOT_MASK, step), 0);
        }
        Ok(on)
    }

    /// Toggles the one-shot flag of a recorder trig; a step without a recorder trig gets an
    /// INAB one-shot trig (the device's first source). Errors on MIDI tracks.
    pub fn toggle_recorder_oneshot(
        self,
        doc: &mut Document,
        track: usize,
        step: usize,
    ) -> Result<bool, String> {
        if is_midi(track) {
            return Err("MIDI tracks have no recorder trigs".into());
        }
        let rec = self.recorder(doc, track, step);
        let on = !rec.oneshot;
        if on && !rec.is_trig() {
            self.set(doc, recorder_unit(track, 0, step), 1);
        }
        self.set(
            doc,
            recorder_unit(track, RECORDER_ONESHOT_MASK, step),
            on as u16,
        );
        Ok(on)
    }

    /// Clears the recorder trig of a step (all four bits).
    pub fn clear_recorder(self, doc: &mut Document, track: usize, step: usize) {
        if is_midi(track) {
            return;
        }
        for m in 0..4 {
            self.set(doc, recorder_unit(track, m, step), 0);
        }
    }

    /// A track setting's stored byte.
    pub fn setting(self, doc: &Document, track: usize, setting: Setting) -> u8 {
        self.get(doc, setting_unit(track, setting)) as u8
    }

    /// Sets a track setting's stored byte (clamped as in [`Setting::set`]).
    pub fn set_setting(self, doc: &mut Document, track: usize, setting: Setting, v: u8) {
        self.set(doc, setting_unit(track, setting), v as u16);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::block::Block;
    use crate::edit::columns::Col;
    use crate::edit::command::{self, Command, Scope};
    use crate::format::bank::Bank;
    use crate::project::{OpenOptions, Project};

    /// Audio track `t` of pattern `p` (0-based): 22 + p*36588 + 8 + t*2338 (format doc §4.1-4.3).
    fn trac(p: usize, t: usize) -> usize {
        22 + p * 36588 + 8 + t * 2338
    }

    fn sum_ok(b: &[u8]) -> bool {
        // checksum at 636111: u16 BE sum of bytes 16..636111 (§2.2)
        let sum = b[16..636111]
            .iter()
            .fold(0u16, |s, &x| s.wrapping_add(x as u16));
        b[636111..] == sum.to_be_bytes()
    }

    #[test]
    fn recorder_edits_change_only_their_mask_bytes_and_the_checksum() {
        let Some(dir) = crate::testutil::corpus("ot/multipart") else {
            return;
        };
        let project = Project::open(&dir, &OpenOptions::default()).unwrap();
        let mut doc = Document::new(project);
        let before = doc.bank(0).map(Bank::to_bytes).unwrap();
        let at = At {
            bank: 0,
            pattern: 0,
        };
        // A01 T2 has recorder trigs on steps 1 and 17 from all three sources (hand-read).
        let sc = |step: usize| Scope {
            at,
            track: 1,
            step,
            block: Block {
                rows: step..=step,
                cols: vec![(1, Col::Trig)],
            },
        };
        let msg = command::execute(
            &mut doc,
            &sc(2),
            &Command::ToggleRecorder(RecorderSource::InCd),
        )
        .unwrap();
        assert_eq!(msg, "recorder INCD on");
        let after = doc.bank(0).map(Bank::to_bytes).unwrap();
        let o = trac(0, 1);
        // step 3 (index 2) of mask INCD: mask at +49, byte 7 holds steps 1-8, bit 2
        let byte = o + 49 + 7;
        assert_eq!(after[byte] ^ before[byte], 1 << 2);
        let d: Vec<usize> = (0..before.len())
            .filter(|&i| before[i] != after[i])
            .collect();
        assert!(d.iter().all(|&i| i == byte || i >= 636111), "{d:?}");
        assert!(sum_ok(&after));
        // one-shot on step 17 (index 16): one-shot mask at +65, byte 5 holds steps 17-24
        command::execute(&mut doc, &sc(16), &Command::ToggleRecorderOneShot).unwrap();
        let after2 = doc.bank(0).map(Bank::to_bytes).unwrap();
        let d: Vec<usize> = (0..before.len())
            .filter(|&i| after[i] != after2[i])
            .collect();
        assert!(d.iter().all(|&i| i == o + 65 + 5 || i >= 636111), "{d:?}");
        assert_eq!(after2[o + 65 + 5] ^ after[o + 65 + 5], 1);
        assert_eq!(
            at.recorder(&doc, 1, 16),
            RecorderTrig {
                in_ab: true,
                in_cd: true,
                src3: true,
                oneshot: true
            }
        );
        // a setting: PLAYS FREE of T2 off (+93)
        command::execute(
            &mut doc,
            &sc(0),
            &Command::SetTrackSetting(Setting::PlaysFree, 0),
        )
        .unwrap();
        let after3 = doc.bank(0).map(Bank::to_bytes).unwrap();
        let d: Vec<usize> = (0..before.len())
            .filter(|&i| after2[i] != after3[i])
            .collect();
        assert!(d.iter().all(|&i| i == o + 93 || i >= 636111), "{d:?}");
        assert_eq!(after3[o + 93], 0);
        // MIDI tracks are refused and change nothing
        let midi = Scope {
            track: 9,
            block: Block {
                rows: 0..=0,
                cols: vec![(9, Col::Trig)],
            },
            ..sc(0)
        };
        assert!(command::execute(&mut doc, &midi, &Command::ToggleRecorderOneShot).is_err());
        assert_eq!(doc.bank(0).map(Bank::to_bytes).unwrap(), after3);
        // three undo steps give back every byte
        for _ in 0..3 {
            assert!(doc.undo().is_some());
        }
        assert_eq!(doc.bank(0).map(Bank::to_bytes).unwrap(), before);
        doc.redo();
        assert_eq!(doc.bank(0).map(Bank::to_bytes).unwrap(), after);
    }

    #[test]
    fn step_operations_carry_recorder_trigs_with_their_steps() {
        let mut doc = Document::new(Project::new_blank("t"));
        let at = At::default();
        at.toggle_recorder_source(&mut doc, 2, 1, RecorderSource::Src3)
            .unwrap();
        at.toggle_recorder_oneshot(&mut doc, 2, 1).unwrap();
        let block = Block {
            rows: 0..=15,
            cols: vec![(2, Col::Trig)],
        };
        let sc = Scope {
            at,
            track: 2,
            step: 0,
            block,
        };
        command::execute(&mut doc, &sc, &Command::Rotate(2)).unwrap();
        let want = RecorderTrig {
            in_ab: false,
            in_cd: false,
            src3: true,
            oneshot: true,
        };
        assert_eq!(at.recorder(&doc, 2, 3), want);
        assert_eq!(at.recorder(&doc, 2, 1), RecorderTrig::default());
        command::execute(&mut doc, &sc, &Command::Reverse).unwrap();
        assert_eq!(at.recorder(&doc, 2, 12), want);
        command::execute(&mut doc, &sc, &Command::ClearStep).unwrap();
        assert!((0..64).all(|s| at.recorder(&doc, 2, s) == RecorderTrig::default()));
        assert!(
            doc.bank(0).unwrap().patterns[0].audio[2]
                .recorder
                .iter()
                .all(|m| m.is_empty())
        );
    }

    #[test]
    fn copy_cut_and_paste_of_the_trig_column_carry_recorder_trigs() {
        use crate::edit::block;
        let mut doc = Document::new(Project::new_blank("t"));
        let at = At::default();
        at.toggle_recorder_source(&mut doc, 0, 2, RecorderSource::InAb)
            .unwrap();
        at.toggle_recorder_source(&mut doc, 0, 2, RecorderSource::Src3)
            .unwrap();
        let b = Block {
            rows: 0..=3,
            cols: vec![(0, Col::Trig)],
        };
        let clip = block::copy(&doc, at, &b);
        assert_eq!(clip.recorder, vec![(0, vec![0, 0, 5, 0])]);
        // pasted on T3 step 9: step 11 gets INAB+SRC3
        block::paste(&mut doc, at, &clip, 8, 2, false);
        assert_eq!(at.recorder(&doc, 2, 10).bits(), 5);
        // not onto a MIDI track
        let r = block::paste(&mut doc, at, &clip, 0, 8, false);
        assert_eq!(r.written, 4);
        assert_eq!(
            doc.bank(0).unwrap().patterns[0].midi[0],
            crate::format::bank::MidiTrack::blank(0)
        );
        // mix: only onto steps without one
        at.toggle_recorder_source(&mut doc, 4, 2, RecorderSource::InCd)
            .unwrap();
        block::paste(&mut doc, at, &clip, 0, 4, true);
        assert_eq!(at.recorder(&doc, 4, 2).bits(), 2);
        // clearing the trig column clears them
        block::clear(&mut doc, at, &b);
        assert_eq!(at.recorder(&doc, 0, 2).bits(), 0);
    }

    #[test]
    fn removing_the_last_source_clears_the_one_shot_flag() {
        let mut doc = Document::new(Project::new_blank("t"));
        let at = At::default();
        assert!(at.toggle_recorder_oneshot(&mut doc, 0, 5).unwrap());
        assert_eq!(
            at.recorder(&doc, 0, 5),
            RecorderTrig {
                in_ab: true,
                in_cd: false,
                src3: false,
                oneshot: true
            }
        );
        assert!(
            !at.toggle_recorder_source(&mut doc, 0, 5, RecorderSource::InAb)
                .unwrap()
        );
        assert_eq!(at.recorder(&doc, 0, 5), RecorderTrig::default());
        assert!(
            at.toggle_recorder_source(&mut doc, 8, 5, RecorderSource::InAb)
                .is_err()
        );
    }

    #[test]
    fn setting_steps_and_names() {
        assert_eq!(Setting::TrigQuant.step(255, 1), 0);
        assert_eq!(Setting::TrigQuant.step(0, -1), 255);
        assert_eq!(Setting::TrigQuant.step(16, 1), 16);
        assert_eq!(Setting::TrigQuant.show(5), "6");
        assert_eq!(Setting::TrigMode.step(2, 1), 0);
        assert_eq!(Setting::TrigMode.show(1), "ONE2");
        assert_eq!(Setting::StartSilent.step(255, 1), 0);
        assert_eq!(Setting::StartSilent.step(0, 1), 255);
        assert_eq!(Setting::Swing.show(30), "80%");
        assert_eq!(Setting::Swing.step(30, 1), 30);
        let mut s = TrackSettings::default();
        Setting::TrigQuant.set(&mut s, 40);
        assert_eq!(s.trig_quant, 255);
        Setting::TrigMode.set(&mut s, 9);
        assert_eq!(s.trig_mode, 2);
    }
}
