//! Adapters from the format models (`format::bank`, `format::project_file`) to the
//! sequencer's view.

use super::model::{
    AudioPart, DeviceSetup, MidiPart, SeqPart, SeqPattern, SeqStep, SeqTrack, TrackKind,
};
use crate::format::bank::{Bank, Part, Pattern, ScaleMode, TrackSettings, TrigMask};
use crate::format::project_file::ProjectFile;
use crate::format::{Scale, StepWord, bank_letter};

impl DeviceSetup {
    /// Trig channels, auto channel and tempo from project.work (missing keys keep defaults).
    pub fn from_project(project: &ProjectFile) -> Self {
        let mut s = Self::default();
        for (t, ch) in s.trig_channels.iter_mut().enumerate() {
            if let Some(c) = project.midi_trig_channel(t + 1) {
                *ch = c.map(|c| c.saturating_sub(1));
            }
        }
        if let Some(c) = project.midi_auto_channel() {
            s.auto_channel = c.map(|c| c.saturating_sub(1));
        }
        if let Some(t) = project.tempo_bpm() {
            s.tempo = t;
        }
        if let Some(on) = project.pattern_tempo_enabled() {
            s.pattern_tempo = on;
        }
        if let Some(on) = project.setting_flag("MASTER_TRACK") {
            s.master_track = on;
        }
        s
    }
}

impl SeqPart {
    /// The values of a bank part that playback and audition use.
    pub fn from_part(part: &Part) -> Self {
        let audio = std::array::from_fn(|t| {
            let machine = part.machine_type(t);
            let mut values = AudioPart::default().values;
            if let Some(src) = part.machine_values[t].for_machine(machine) {
                values[..6].copy_from_slice(&src.0);
            }
            let pages = &part.track_values[t];
            values[6..12].copy_from_slice(&pages.lfo.0);
            values[12..18].copy_from_slice(&pages.amp.0);
            values[18..24].copy_from_slice(&pages.fx1.0);
            values[24..30].copy_from_slice(&pages.fx2.0);
            let setup = part.machine_setups[t]
                .for_machine(machine)
                .map_or(AudioPart::default().setup, |s| s.0);
            AudioPart {
                machine,
                fx1: part.fx1_types[t],
                fx2: part.fx2_types[t],
                values,
                setup,
                flex_slot: part.slots[t].flex_slot,
                static_slot: part.slots[t].static_slot,
                levels: part.volumes[t].0,
                lfo: crate::format::lfo::LfoSetup::from_bytes(
                    part.track_setups[t].lfo_a.0,
                    part.track_setups[t].lfo_b.0,
                ),
                lfo_design: crate::format::lfo::LfoDesign::from_bytes(
                    part.audio_custom_lfos.0[t],
                    part.audio_lfo_interp.0[t],
                ),
            }
        });
        let midi = std::array::from_fn(|t| {
            let setup = &part.midi_setups[t];
            MidiPart {
                channel: setup.channel() & 0x0F,
                bank: setup.bank().unwrap_or(128),
                sbank: setup.sbank().unwrap_or(128),
                program: setup.program().unwrap_or(128),
                values: part.midi_values[t].to_record(),
                cc_numbers: setup.cc_numbers(),
            }
        });
        let scenes = std::array::from_fn(|sc| {
            std::array::from_fn(|t| {
                part.scenes[sc]
                    .rows()
                    .get(t)
                    .copied()
                    .unwrap_or([crate::seq::model::NO_LOCK; 32])
            })
        });
        Self {
            id: part.id & 3,
            audio,
            midi,
            scene_ab: [part.scene_a & 15, part.scene_b & 15],
            scenes: std::sync::Arc::new(scenes),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn track(
    kind: TrackKind,
    trigs: TrigMask,
    trigless: TrigMask,
    plock_only: TrigMask,
    swing: TrigMask,
    settings: &TrackSettings,
    locks: impl Fn(usize) -> [u8; 32],
    word: impl Fn(usize) -> StepWord,
) -> SeqTrack {
    let steps = (0..64)
        .map(|s| SeqStep {
            trig: trigs.get(s),
            trigless: trigless.get(s) || plock_only.get(s),
            swing: swing.get(s),
            locks: locks(s),
            word: word(s),
            oneshot: false,
            recorder: 0,
        })
        .collect();
    SeqTrack {
        kind,
        steps,
        length: settings.length.max(1) as u16,
        scale: settings.scale(),
        swing_amount: settings.swing_amount.min(30),
        play: super::track_play::TrackPlay {
            start_silent: settings.start_silent(),
            plays_free: settings.plays_free(),
            trig_mode: settings.trig_mode,
            trig_quant: settings.trig_quant,
            oneshot_track: settings.oneshot_track(),
        },
    }
}

impl SeqPattern {
    /// A bank pattern with its part, named like the device (`A01`); `bank` is 0..16.
    pub fn from_bank_pattern(pattern: &Pattern, part: &Part, bank: usize, index: usize) -> Self {
        let mut tracks: Vec<SeqTrack> = pattern
            .audio
            .iter()
            .map(|t| {
                let mut tr = track(
                    TrackKind::Audio,
                    t.trigs,
                    t.trigless,
                    t.plock_only,
                    t.swing,
                    &t.settings,
                    |s| t.plocks.record(s).map(|r| r.0).unwrap_or([255; 32]),
                    |s| t.step_word(s),
                );
                for (s, st) in tr.steps.iter_mut().enumerate() {
                    // a one-shot trig plays a sample like a trig (once until re-armed)
                    st.oneshot = t.oneshot.get(s);
                    st.trig |= st.oneshot;
                    st.recorder = t.recorder_trig(s).bits();
                }
                tr
            })
            .collect();
        tracks.extend(pattern.midi.iter().map(|t| {
            track(
                TrackKind::Midi,
                t.trigs,
                t.trigless,
                t.plock_only,
                t.swing,
                &t.settings,
                |s| t.plocks.record(s).map(|r| r.0).unwrap_or([255; 32]),
                |s| t.step_word(s),
            )
        }));
        let per_track = pattern.scale_mode() == ScaleMode::PerTrack;
        let (length, scale) = if per_track {
            (
                pattern.per_track_master_length(),
                Scale::from_code(pattern.per_track_master_scale),
            )
        } else {
            (
                Some(pattern.master_length.max(1) as u16),
                pattern.master_scale(),
            )
        };
        Self {
            name: format!("{}{:02}", bank_letter(bank), index + 1),
            tracks,
            length,
            scale,
            per_track,
            tempo: pattern.tempo_bpm(),
            part: SeqPart::from_part(part),
        }
    }

    /// Pattern `index` (0..16) of a bank with the part it is assigned to.
    pub fn from_bank(bank: &Bank, bank_index: usize, index: usize) -> Option<Self> {
        let p = bank.pattern(index)?;
        let part = bank.part_of_pattern(index)?;
        Some(Self::from_bank_pattern(p, part, bank_index, index))
    }
}
