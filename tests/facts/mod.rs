//! Facts decoded straight from corpus bytes with the offsets of
//! `docs/octatrack-formats.md` (section numbers below), without octa's own readers, so
//! that snapshot tests can check the values they show against something independent.
#![allow(dead_code)]

use std::path::Path;

/// Machine names by type code (part + 43, section 4.10).
pub const MACHINES: [&str; 5] = ["STATIC", "FLEX", "THRU", "NEIGHBOR", "PICKUP"];

/// A bank file as bytes.
pub struct BankBytes(pub Vec<u8>);

impl BankBytes {
    /// Reads `bankNN.work` from a project folder.
    pub fn read(project: &Path, bank: usize) -> Self {
        let p = project.join(format!("bank{:02}.work", bank + 1));
        Self(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
    }
    fn at(&self, o: usize) -> u8 {
        self.0[o]
    }
    /// Offset of pattern `n` (0-based): 22 + n x 36588 (section 4.1).
    pub fn pattern(&self, n: usize) -> usize {
        let o = 22 + n * 36588;
        assert_eq!(&self.0[o..o + 4], b"PTRN");
        o
    }
    /// Offset of audio track `t` of pattern `n`: +8 + t x 2338 (section 4.2).
    pub fn audio_track(&self, n: usize, t: usize) -> usize {
        let o = self.pattern(n) + 8 + t * 2338;
        assert_eq!(&self.0[o..o + 4], b"TRAC");
        o
    }
    /// Offset of MIDI track `t` of pattern `n`: +18712 + t x 2233 (section 4.2).
    pub fn midi_track(&self, n: usize, t: usize) -> usize {
        let o = self.pattern(n) + 18712 + t * 2233;
        assert_eq!(&self.0[o..o + 4], b"MTRA");
        o
    }
    /// The part pattern `n` plays (0-based, pattern + 36583).
    pub fn pattern_part(&self, n: usize) -> usize {
        self.at(self.pattern(n) + 36583) as usize
    }
    /// Scale mode of pattern `n`: true = PER TRACK (pattern + 36581).
    pub fn per_track(&self, n: usize) -> bool {
        self.at(self.pattern(n) + 36581) == 1
    }
    /// Per-track-mode master length, a big-endian u16 at pattern + 36576.
    pub fn per_track_master_len(&self, n: usize) -> u16 {
        let o = self.pattern(n) + 36576;
        u16::from_be_bytes([self.0[o], self.0[o + 1]])
    }
    /// Normal-mode master length (pattern + 36579).
    pub fn master_len(&self, n: usize) -> u8 {
        self.at(self.pattern(n) + 36579)
    }
    /// Audio track length and scale code (track + 89, + 90).
    pub fn audio_len_scale(&self, n: usize, t: usize) -> (u8, u8) {
        let o = self.audio_track(n, t);
        (self.at(o + 89), self.at(o + 90))
    }
    /// MIDI track length and scale code (track + 49, + 50).
    pub fn midi_len_scale(&self, n: usize, t: usize) -> (u8, u8) {
        let o = self.midi_track(n, t);
        (self.at(o + 49), self.at(o + 50))
    }
    /// 1-based steps set in the trigger mask of audio track `t` (track + 9, section 4.5).
    pub fn audio_trigs(&self, n: usize, t: usize) -> Vec<usize> {
        let o = self.audio_track(n, t) + 9;
        steps(&self.0[o..o + 8])
    }
    /// 1-based steps set in the note trig mask of MIDI track `t` (track + 9).
    pub fn midi_trigs(&self, n: usize, t: usize) -> Vec<usize> {
        let o = self.midi_track(n, t) + 9;
        steps(&self.0[o..o + 8])
    }
    /// Whether pattern `n` has a trigger or trigless trig on any track (masks at track + 9
    /// and + 17, audio and MIDI alike).
    pub fn pattern_in_use(&self, n: usize) -> bool {
        (0..8).any(|t| {
            let a = self.audio_track(n, t);
            let m = self.midi_track(n, t);
            self.0[a + 9..a + 25].iter().any(|&b| b != 0)
                || self.0[m + 9..m + 25].iter().any(|&b| b != 0)
        })
    }
    /// The audio lock byte `param` of step `s` (0-based) on track `t` (track + 98 + 32 s).
    pub fn audio_lock(&self, n: usize, t: usize, s: usize, param: usize) -> Option<u8> {
        let v = self.at(self.audio_track(n, t) + 98 + 32 * s + param);
        (v != 255).then_some(v)
    }
    /// Offset of working part `p` (0-based): 585430 + p x 6331 (section 4.1).
    pub fn part(&self, p: usize) -> usize {
        let o = 585430 + p * 6331;
        assert_eq!(&self.0[o..o + 4], b"PART");
        o
    }
    /// Machine name of audio track `t` in working part `p` (part + 43).
    pub fn machine(&self, p: usize, t: usize) -> &'static str {
        MACHINES[self.at(self.part(p) + 43 + t) as usize]
    }
    /// Static and Flex slot bytes of track `t` in part `p` (part + 723 + 5 t, section 4.10.2).
    pub fn slots(&self, p: usize, t: usize) -> (u8, u8) {
        let o = self.part(p) + 723 + 5 * t;
        (self.at(o), self.at(o + 1))
    }
    /// FX1 and FX2 type codes of track `t` in part `p` (part + 9, + 17).
    pub fn fx_types(&self, p: usize, t: usize) -> (u8, u8) {
        let o = self.part(p);
        (self.at(o + 9 + t), self.at(o + 17 + t))
    }
    /// MIDI channel (1-16) of MIDI track `t` in part `p` (part + 1259 + 36 t, 0 = channel 1).
    pub fn midi_channel(&self, p: usize, t: usize) -> u8 {
        self.at(self.part(p) + 1259 + 36 * t) + 1
    }
    /// CC numbers of CC1..CC10 of MIDI track `t` (setup + 20..24 and + 24..30, section 4.10.4).
    pub fn cc_numbers(&self, p: usize, t: usize) -> Vec<u8> {
        let o = self.part(p) + 1259 + 36 * t;
        self.0[o + 20..o + 30].to_vec()
    }
    /// The 12 recorder setup bytes of track `t` in part `p` (part + 1547 + 12 t, 4.10.5).
    pub fn recorder(&self, p: usize, t: usize) -> [u8; 12] {
        let o = self.part(p) + 1547 + 12 * t;
        self.0[o..o + 12].try_into().unwrap()
    }
    /// Part name (636083 + 7 p, up to the first NUL, section 4.12).
    pub fn part_name(&self, p: usize) -> String {
        let raw = &self.0[636083 + 7 * p..636083 + 7 * p + 7];
        let end = raw.iter().position(|&b| b == 0).unwrap_or(7);
        String::from_utf8_lossy(&raw[..end]).into_owned()
    }
    /// Whether working part `p` has unsaved edits (bit p of byte 636082).
    pub fn part_edited(&self, p: usize) -> bool {
        self.at(636082) & (1 << p) != 0
    }
}

/// 1-based steps of an 8-byte trig mask: a big-endian u64, bit k = step k + 1 (section 4.5).
pub fn steps(mask: &[u8]) -> Vec<usize> {
    let v = u64::from_be_bytes(mask.try_into().unwrap());
    (0..64).filter(|k| v >> k & 1 == 1).map(|k| k + 1).collect()
}

/// FX type name by code (section 9.9), for the codes the corpus uses.
pub fn fx_name(code: u8) -> &'static str {
    match code {
        0 => "OFF",
        4 => "FILTER",
        5 => "SPATIALIZER",
        8 => "DELAY",
        12 => "EQ",
        13 => "DJ EQ",
        16 => "PHASER",
        17 => "FLANGER",
        18 => "CHORUS",
        _ => panic!("fx code {code}"),
    }
}

/// Scale code (section 9.6) as the device shows it, for the codes the corpus uses.
pub fn scale_name(code: u8) -> &'static str {
    match code {
        0 => "2x",
        1 => "3/2x",
        2 => "1x",
        3 => "3/4x",
        4 => "1/2x",
        5 => "1/4x",
        6 => "1/8x",
        _ => panic!("scale code {code}"),
    }
}

/// The cells after a row label on a parts-style screen (label column 13 wide, 12 per track).
pub fn row_cells(screen: &[String], label: &str) -> Vec<String> {
    let line = screen
        .iter()
        .find(|l| l.starts_with(label) && l[label.len()..].starts_with(' '))
        .unwrap_or_else(|| panic!("no row {label:?} in\n{}", screen.join("\n")));
    let chars: Vec<char> = line.chars().collect();
    (0..8)
        .map(|t| {
            let from = 13 + 12 * t;
            chars[from.min(chars.len())..(from + 12).min(chars.len())]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

/// A little-endian u16 / u32 in a WAV header.
pub fn le16(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([b[o], b[o + 1]])
}
pub fn le32(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap())
}

/// Channels, rate, bits and data length of a RIFF/WAVE file, walking its chunks.
pub fn wav_facts(b: &[u8]) -> (u16, u32, u16, u32) {
    assert_eq!((&b[0..4], &b[8..12]), (&b"RIFF"[..], &b"WAVE"[..]));
    let (mut fmt, mut data) = (None, None);
    let mut o = 12;
    while o + 8 <= b.len() {
        let len = le32(b, o + 4) as usize;
        match &b[o..o + 4] {
            b"fmt " => fmt = Some((le16(b, o + 10), le32(b, o + 12), le16(b, o + 22))),
            b"data" => data = Some(len as u32),
            _ => {}
        }
        o += 8 + len + (len & 1);
    }
    let (ch, rate, bits) = fmt.expect("fmt chunk");
    (ch, rate, bits, data.expect("data chunk"))
}

/// The slice count of a `.ot` file: u32 BE at 826 (section 7).
pub fn ot_slice_count(b: &[u8]) -> u32 {
    assert_eq!(b.len(), 832);
    u32::from_be_bytes(b[826..830].try_into().unwrap())
}
