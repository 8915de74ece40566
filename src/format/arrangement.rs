//! `arrNN.work` / `.strd` (11336 bytes, version 6): a working and a saved arrangement
//! block, each with a name, a row count and 256 rows of 22 bytes.
//!
//! Rows are kept raw; [`Row`] is a typed view keyed on byte 0. Writing a row touches only
//! the bytes its type owns, so leftovers of a former row type (which the device keeps
//! and sums into the checksum) survive. Unedited files are written back byte-identical,
//! even with a wrong checksum; any edit recomputes it.

use serde::{Deserialize, Serialize};

use super::common::{FileKind, FormatError, HEADER_LEN, Warning, header};
use super::hexbytes;
use super::rawfile::{BadChecksum, RawFile, check_range, range_err};
use super::types::{bank_letter, parse_bank};

/// Rows per arrangement.
pub const ROWS: usize = 256;
/// Bytes per row.
pub const ROW_LEN: usize = 22;
/// Bytes of an arrangement name.
pub const NAME_LEN: usize = 15;
const BLOCK_LEN: usize = 5650;
const WORKING_AT: usize = 24;
const SAVED_AT: usize = 5676;
const SAVED_FLAG_AT: usize = 5675;
const STATES_AT: usize = 11326;
const REMINDER_LEN: usize = 15;

/// The row a freshly created pattern row holds (scenes 255, length 16), also used as
/// the base of rows inserted with a non-pattern type.
pub const FRESH_ROW: [u8; ROW_LEN] = [
    0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// Which of the two arrangement blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    /// The working copy (what the device plays and edits).
    Working,
    /// The saved copy (ARRANGER → SAVE).
    Saved,
}

impl Block {
    fn base(self) -> usize {
        match self {
            Self::Working => WORKING_AT,
            Self::Saved => SAVED_AT,
        }
    }
}

/// Pattern id (bank × 16 + pattern) as shown on the device: 0 → `A01`, 255 → `P16`.
pub fn pattern_name(id: u8) -> String {
    format!("{}{:02}", bank_letter(id as usize / 16), id % 16 + 1)
}

/// Parses `A01`..`P16` (case-insensitive) to a pattern id.
pub fn parse_pattern(s: &str) -> Option<u8> {
    let s = s.trim();
    let bank = parse_bank(s.get(..1)?)?;
    let n: usize = s.get(1..)?.parse().ok()?;
    (1..=16).contains(&n).then(|| (bank * 16 + n - 1) as u8)
}

/// Pattern ids as `"A01"`..`"P16"` in JSON.
mod pattern_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(id: &u8, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::pattern_name(*id))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_pattern(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("expected a pattern A01..P16, found {s:?}"))
        })
    }
}

/// A pattern row (type 0); every byte of the row is a field here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternRow {
    /// Byte 1: pattern id (bank × 16 + pattern), see [`pattern_name`]; `"A01"` in JSON.
    #[serde(with = "pattern_serde")]
    pub pattern: u8,
    /// Byte 2: repetitions 0..=63 (plays = value + 1).
    pub repetitions: u8,
    /// Byte 3: unknown (possibly a MIDI-track mute mask).
    pub byte3: u8,
    /// Byte 4: track mute mask (bit per track).
    pub mute_mask: u8,
    /// Byte 5: unknown.
    pub byte5: u8,
    /// Bytes 6–7: tempo × 24 (0 = no change).
    pub tempo_x24: u16,
    /// Byte 8: scene A 0..=15, 255 = none.
    pub scene_a: u8,
    /// Byte 9: scene B 0..=15, 255 = none.
    pub scene_b: u8,
    /// Byte 10: unknown (likely the high byte of the offset).
    pub byte10: u8,
    /// Byte 11: start offset in steps.
    pub offset: u8,
    /// Byte 12: unknown (likely the high byte of the length).
    pub byte12: u8,
    /// Byte 13: length in steps, including the offset.
    pub length: u8,
    /// Bytes 14–21: MIDI transpose of MIDI tracks 1..8 (−48..=48).
    pub transpose: [i8; 8],
}

impl PatternRow {
    /// A fresh pattern row playing `pattern` once (scenes none, length 16).
    pub fn new(pattern: u8) -> Self {
        let mut r = Self::from_bytes(&FRESH_ROW);
        r.pattern = pattern;
        r
    }

    fn from_bytes(b: &[u8; ROW_LEN]) -> Self {
        let mut transpose = [0i8; 8];
        for (t, &x) in transpose.iter_mut().zip(&b[14..22]) {
            *t = x as i8;
        }
        Self {
            pattern: b[1],
            repetitions: b[2],
            byte3: b[3],
            mute_mask: b[4],
            byte5: b[5],
            tempo_x24: u16::from_be_bytes([b[6], b[7]]),
            scene_a: b[8],
            scene_b: b[9],
            byte10: b[10],
            offset: b[11],
            byte12: b[12],
            length: b[13],
            transpose,
        }
    }

    fn to_bytes(self) -> [u8; ROW_LEN] {
        let mut b = [0u8; ROW_LEN];
        let t = self.tempo_x24.to_be_bytes();
        b[1..14].copy_from_slice(&[
            self.pattern,
            self.repetitions,
            self.byte3,
            self.mute_mask,
            self.byte5,
            t[0],
            t[1],
            self.scene_a,
            self.scene_b,
            self.byte10,
            self.offset,
            self.byte12,
            self.length,
        ]);
        for (d, &x) in b[14..22].iter_mut().zip(&self.transpose) {
            *d = x as u8;
        }
        b
    }

    fn check(&self) -> Result<(), FormatError> {
        check_range("repetitions", self.repetitions as i64, 0, 63)?;
        if self.tempo_x24 != 0 {
            check_range("row tempo x24", self.tempo_x24 as i64, 720, 7200)?;
        }
        for s in [self.scene_a, self.scene_b] {
            if s != 255 {
                check_range("scene", s as i64, 0, 15)?;
            }
        }
        for t in self.transpose {
            check_range("MIDI transpose", t as i64, -48, 48)?;
        }
        Ok(())
    }
}

/// What a loop/jump/halt row does, from its target and its own index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ControlKind {
    /// Target before the row: loop back `loop_count` times.
    Loop,
    /// Target after the row: jump.
    Jump,
    /// Target = the row itself: halt.
    Halt,
}

/// A loop/jump/halt row (type 1): bytes 1–2; bytes 3–21 are leftovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlRow {
    /// Byte 1: loop count 0..=100.
    pub loop_count: u8,
    /// Byte 2: target row index.
    pub target: u8,
}

impl ControlRow {
    /// Loop, jump or halt, for the row at `own_index`.
    pub fn kind(&self, own_index: usize) -> ControlKind {
        match (self.target as usize).cmp(&own_index) {
            std::cmp::Ordering::Less => ControlKind::Loop,
            std::cmp::Ordering::Greater => ControlKind::Jump,
            std::cmp::Ordering::Equal => ControlKind::Halt,
        }
    }
}

/// The typed view of a row, keyed on byte 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Row {
    /// Type 0.
    Pattern(PatternRow),
    /// Type 1: loop / jump / halt.
    Control(ControlRow),
    /// Type 2: a reminder text (up to 15 characters, bytes 1..=15).
    Reminder(String),
    /// Any other type byte; the view owns only byte 0.
    Unknown(u8),
}

impl Row {
    fn from_bytes(b: &[u8; ROW_LEN]) -> Self {
        match b[0] {
            0 => Self::Pattern(PatternRow::from_bytes(b)),
            1 => Self::Control(ControlRow {
                loop_count: b[1],
                target: b[2],
            }),
            2 => Self::Reminder(latin1_until_nul(&b[1..1 + REMINDER_LEN])),
            t => Self::Unknown(t),
        }
    }

    /// Writes the bytes this row type owns into `b`, leaving the others.
    fn write(&self, b: &mut [u8; ROW_LEN]) -> Result<(), FormatError> {
        match self {
            Self::Pattern(p) => {
                p.check()?;
                *b = p.to_bytes();
            }
            Self::Control(c) => {
                check_range("loop count", c.loop_count as i64, 0, 100)?;
                b[0] = 1;
                b[1] = c.loop_count;
                b[2] = c.target;
            }
            Self::Reminder(t) => {
                b[0] = 2;
                write_text(&mut b[1..1 + REMINDER_LEN], t, "reminder text")?;
            }
            Self::Unknown(t) => {
                if *t <= 2 {
                    return Err(range_err("unknown row type", *t as i64, "3..=255"));
                }
                b[0] = *t;
            }
        }
        Ok(())
    }
}

fn latin1_until_nul(b: &[u8]) -> String {
    b.iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as char)
        .collect()
}

/// Writes `text` and one NUL terminator (when shorter than the field); bytes after the
/// terminator are kept, as the device does.
fn write_text(dst: &mut [u8], text: &str, what: &str) -> Result<(), FormatError> {
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| {
            if (' '..='~').contains(&c) {
                Ok(c as u8)
            } else {
                Err(range_err(
                    &format!("{what} character"),
                    c as i64,
                    "printable ASCII",
                ))
            }
        })
        .collect::<Result<_, _>>()?;
    if bytes.len() > dst.len() {
        return Err(range_err(
            &format!("{what} length"),
            bytes.len() as i64,
            &format!("0..={}", dst.len()),
        ));
    }
    dst[..bytes.len()].copy_from_slice(&bytes);
    if bytes.len() < dst.len() {
        dst[bytes.len()] = 0;
    }
    Ok(())
}

/// An arrangement file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "ArrangementJson", try_from = "ArrangementJson")]
pub struct Arrangement {
    raw: RawFile,
}

impl Arrangement {
    /// Reads an arrangement file; a wrong checksum is reported by [`Self::warnings`].
    pub fn parse(bytes: &[u8]) -> Result<Self, FormatError> {
        Ok(Self {
            raw: RawFile::parse(bytes, FileKind::Arrangement)?,
        })
    }

    /// An empty arrangement (no rows, all-zero rows) whose two name fields hold
    /// `name_bytes` (leftover bytes included, as device blank projects carry them).
    pub fn blank(name_bytes: [u8; NAME_LEN]) -> Self {
        let mut b = vec![0u8; FileKind::Arrangement.size()];
        b[..HEADER_LEN].copy_from_slice(&header(FileKind::Arrangement));
        b[WORKING_AT..WORKING_AT + NAME_LEN].copy_from_slice(&name_bytes);
        b[SAVED_AT..SAVED_AT + NAME_LEN].copy_from_slice(&name_bytes);
        Self {
            raw: RawFile::fresh(b),
        }
    }

    /// The bytes to write (unedited: identical to what was read).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.raw.to_bytes()
    }

    /// Warnings found when reading (a wrong checksum, naming stored and computed values).
    pub fn warnings(&self) -> &[Warning] {
        self.raw.warnings()
    }

    /// Whether anything was changed since reading.
    pub fn is_edited(&self) -> bool {
        self.raw.is_edited()
    }

    /// The 15 raw name bytes.
    pub fn name_bytes(&self, block: Block) -> [u8; NAME_LEN] {
        let mut n = [0u8; NAME_LEN];
        n.copy_from_slice(self.raw.get(block.base(), NAME_LEN));
        n
    }

    /// The name: the bytes before the first NUL.
    pub fn name(&self, block: Block) -> String {
        latin1_until_nul(&self.name_bytes(block))
    }

    /// Sets the name (printable ASCII, ≤ 15): writes the text and one NUL, keeps the rest.
    pub fn set_name(&mut self, block: Block, name: &str) -> Result<(), FormatError> {
        let mut n = self.name_bytes(block);
        write_text(&mut n, name, "arrangement name")?;
        self.raw.put(block.base(), &n);
        Ok(())
    }

    /// Rows in use (rows at or beyond this index are unused).
    pub fn row_count(&self, block: Block) -> u8 {
        self.raw.u8(block.base() + 17)
    }

    /// Sets the number of rows in use.
    pub fn set_row_count(&mut self, block: Block, n: u8) {
        self.raw.set_u8(block.base() + 17, n)
    }

    fn row_at(block: Block, i: usize) -> Result<usize, FormatError> {
        check_range("row", i as i64, 0, ROWS as i64 - 1)?;
        Ok(block.base() + 18 + i * ROW_LEN)
    }

    /// The 22 raw bytes of row `i` (0..256).
    pub fn row_bytes(&self, block: Block, i: usize) -> Result<[u8; ROW_LEN], FormatError> {
        let at = Self::row_at(block, i)?;
        let mut r = [0u8; ROW_LEN];
        r.copy_from_slice(self.raw.get(at, ROW_LEN));
        Ok(r)
    }

    /// Overwrites all 22 bytes of row `i`.
    pub fn set_row_bytes(
        &mut self,
        block: Block,
        i: usize,
        r: [u8; ROW_LEN],
    ) -> Result<(), FormatError> {
        let at = Self::row_at(block, i)?;
        self.raw.put(at, &r);
        Ok(())
    }

    /// The typed view of row `i`.
    pub fn row(&self, block: Block, i: usize) -> Result<Row, FormatError> {
        Ok(Row::from_bytes(&self.row_bytes(block, i)?))
    }

    /// The typed rows in use.
    pub fn rows(&self, block: Block) -> Vec<Row> {
        (0..self.row_count(block) as usize)
            .filter_map(|i| self.row(block, i).ok())
            .collect()
    }

    /// Writes a typed row: only the bytes its type owns change (a pattern row owns all
    /// 22; a control row bytes 0–2; a reminder byte 0 and its text + NUL; an unknown
    /// type byte 0 only).
    pub fn set_row(&mut self, block: Block, i: usize, row: &Row) -> Result<(), FormatError> {
        let mut b = self.row_bytes(block, i)?;
        row.write(&mut b)?;
        self.set_row_bytes(block, i, b)
    }

    /// Changes a row's type byte only, as the device does (the rest keeps the former
    /// row's bytes): 0 pattern, 1 loop/jump/halt, 2 reminder.
    pub fn set_row_type(&mut self, block: Block, i: usize, t: u8) -> Result<(), FormatError> {
        let at = Self::row_at(block, i)?;
        self.raw.set_u8(at, t);
        Ok(())
    }

    fn all_rows(&self, block: Block) -> Vec<[u8; ROW_LEN]> {
        (0..ROWS)
            .filter_map(|i| self.row_bytes(block, i).ok())
            .collect()
    }

    fn put_rows(&mut self, block: Block, rows: &[[u8; ROW_LEN]]) {
        let flat: Vec<u8> = rows.iter().flatten().copied().collect();
        self.raw.put(block.base() + 18, &flat);
    }

    /// Inserts `row` before row `i` (0..=row count): later rows move down by one, the
    /// count grows. The new row's bytes start from [`FRESH_ROW`]. Fails at 255 rows.
    pub fn insert_row(&mut self, block: Block, i: usize, row: &Row) -> Result<(), FormatError> {
        let n = self.row_count(block) as usize;
        check_range("insert position", i as i64, 0, n as i64)?;
        if n >= 255 {
            return Err(range_err("row count", n as i64 + 1, "0..=255"));
        }
        let mut b = FRESH_ROW;
        row.write(&mut b)?;
        let mut rows = self.all_rows(block);
        rows.insert(i, b);
        rows.truncate(ROWS);
        self.put_rows(block, &rows);
        self.set_row_count(block, n as u8 + 1);
        Ok(())
    }

    /// Deletes row `i` (< row count): later rows move up, the last row becomes zero.
    pub fn delete_row(&mut self, block: Block, i: usize) -> Result<(), FormatError> {
        let n = self.row_count(block) as usize;
        if i >= n {
            return Err(range_err("row", i as i64, &format!("0..{n}")));
        }
        let mut rows = self.all_rows(block);
        rows.remove(i);
        rows.push([0u8; ROW_LEN]);
        self.put_rows(block, &rows);
        self.set_row_count(block, n as u8 - 1);
        Ok(())
    }

    /// Moves row `from` to position `to` (both < row count), shifting the rows between.
    pub fn move_row(&mut self, block: Block, from: usize, to: usize) -> Result<(), FormatError> {
        let n = self.row_count(block) as usize;
        for (what, v) in [("row", from), ("target position", to)] {
            if v >= n {
                return Err(range_err(what, v as i64, &format!("0..{n}")));
            }
        }
        let mut rows = self.all_rows(block);
        let r = rows.remove(from);
        rows.insert(to, r);
        self.put_rows(block, &rows);
        Ok(())
    }

    /// Copies the working block to the saved block (what ARRANGER → SAVE stores).
    pub fn save_working(&mut self) {
        let w = self.raw.get(WORKING_AT, BLOCK_LEN).to_vec();
        self.raw.put(SAVED_AT, &w);
    }

    /// Byte 5675: saved flag of this arrangement [unverified meaning].
    pub fn saved_flag(&self) -> u8 {
        self.raw.u8(SAVED_FLAG_AT)
    }

    /// Sets byte 5675.
    pub fn set_saved_flag(&mut self, v: u8) {
        self.raw.set_u8(SAVED_FLAG_AT, v)
    }

    /// Bytes 11326..11334: saved-state flags of arrangements 1..8 [unverified meaning].
    pub fn saved_states(&self) -> [u8; 8] {
        let mut s = [0u8; 8];
        s.copy_from_slice(self.raw.get(STATES_AT, 8));
        s
    }

    /// Sets bytes 11326..11334.
    pub fn set_saved_states(&mut self, s: [u8; 8]) {
        self.raw.put(STATES_AT, &s)
    }
}

/// JSON form of an arrangement file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ArrangementJson {
    #[serde(with = "hexbytes")]
    bytes_22_23: Vec<u8>,
    working: BlockJson,
    byte_5674: u8,
    saved_flag: u8,
    saved: BlockJson,
    saved_states: [u8; 8],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bad_checksum: Option<BadChecksum>,
}

/// JSON form of a block: rows up to the last non-zero one (the rest are zero).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct BlockJson {
    name: String,
    #[serde(
        default,
        with = "hexbytes::opt",
        skip_serializing_if = "Option::is_none"
    )]
    name_tail: Option<Vec<u8>>,
    #[serde(with = "hexbytes")]
    bytes_15_16: Vec<u8>,
    row_count: u8,
    rows: Vec<RowJson>,
}

/// JSON form of a row: typed fields plus the raw bytes the type does not own.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum RowJson {
    Pattern(PatternRow),
    Control {
        loop_count: u8,
        target: u8,
        #[serde(with = "hexbytes")]
        leftover: Vec<u8>,
    },
    Reminder {
        text: String,
        #[serde(
            default,
            with = "hexbytes::opt",
            skip_serializing_if = "Option::is_none"
        )]
        text_tail: Option<Vec<u8>>,
        #[serde(with = "hexbytes")]
        leftover: Vec<u8>,
    },
    Unknown {
        type_byte: u8,
        #[serde(with = "hexbytes")]
        data: Vec<u8>,
    },
}

/// Text before the first NUL and the tail from that NUL on (when not all zero).
fn split_text(b: &[u8]) -> (String, Option<Vec<u8>>) {
    let text = latin1_until_nul(b);
    let tail = &b[text.len()..];
    (text, tail.iter().any(|&x| x != 0).then(|| tail.to_vec()))
}

fn join_text(
    text: &str,
    tail: &Option<Vec<u8>>,
    len: usize,
    what: &str,
) -> Result<Vec<u8>, FormatError> {
    let mut b: Vec<u8> = Vec::with_capacity(len);
    for c in text.chars() {
        if c == '\0' || c as u32 > 0xFF {
            return Err(range_err(
                &format!("{what} character"),
                c as i64,
                "Latin-1 without NUL",
            ));
        }
        b.push(c as u32 as u8);
    }
    match tail {
        Some(t) => b.extend_from_slice(t),
        None => b.resize(len.max(b.len()), 0),
    }
    if b.len() != len {
        return Err(FormatError::Invalid {
            offset: 0,
            expected: format!("{what}: {len} bytes of text and tail"),
            found: format!("{} bytes", b.len()),
        });
    }
    Ok(b)
}

fn row_to_json(b: &[u8; ROW_LEN]) -> RowJson {
    match Row::from_bytes(b) {
        Row::Pattern(p) => RowJson::Pattern(p),
        Row::Control(c) => RowJson::Control {
            loop_count: c.loop_count,
            target: c.target,
            leftover: b[3..].to_vec(),
        },
        Row::Reminder(_) => {
            let (text, text_tail) = split_text(&b[1..1 + REMINDER_LEN]);
            RowJson::Reminder {
                text,
                text_tail,
                leftover: b[1 + REMINDER_LEN..].to_vec(),
            }
        }
        Row::Unknown(t) => RowJson::Unknown {
            type_byte: t,
            data: b[1..].to_vec(),
        },
    }
}

fn row_from_json(j: &RowJson) -> Result<[u8; ROW_LEN], FormatError> {
    let mut b = [0u8; ROW_LEN];
    let fill = |dst: &mut [u8], src: &[u8], what: &str| -> Result<(), FormatError> {
        if dst.len() != src.len() {
            return Err(FormatError::Invalid {
                offset: 0,
                expected: format!("{} bytes of {what}", dst.len()),
                found: format!("{} bytes", src.len()),
            });
        }
        dst.copy_from_slice(src);
        Ok(())
    };
    match j {
        RowJson::Pattern(p) => b = p.to_bytes(),
        RowJson::Control {
            loop_count,
            target,
            leftover,
        } => {
            b[0] = 1;
            b[1] = *loop_count;
            b[2] = *target;
            fill(&mut b[3..], leftover, "control row leftover")?;
        }
        RowJson::Reminder {
            text,
            text_tail,
            leftover,
        } => {
            b[0] = 2;
            let t = join_text(text, text_tail, REMINDER_LEN, "reminder text")?;
            b[1..1 + REMINDER_LEN].copy_from_slice(&t);
            fill(
                &mut b[1 + REMINDER_LEN..],
                leftover,
                "reminder row leftover",
            )?;
        }
        RowJson::Unknown { type_byte, data } => {
            b[0] = *type_byte;
            fill(&mut b[1..], data, "row data")?;
        }
    }
    Ok(b)
}

fn block_to_json(a: &Arrangement, block: Block) -> BlockJson {
    let rows = a.all_rows(block);
    let used = rows
        .iter()
        .rposition(|r| r.iter().any(|&x| x != 0))
        .map_or(0, |i| i + 1);
    let (name, name_tail) = split_text(&a.name_bytes(block));
    BlockJson {
        name,
        name_tail,
        bytes_15_16: a.raw.get(block.base() + NAME_LEN, 2).to_vec(),
        row_count: a.row_count(block),
        rows: rows[..used].iter().map(row_to_json).collect(),
    }
}

fn block_from_json(j: &BlockJson, what: &str) -> Result<Vec<u8>, FormatError> {
    let mut b = vec![0u8; BLOCK_LEN];
    b[..NAME_LEN].copy_from_slice(&join_text(
        &j.name,
        &j.name_tail,
        NAME_LEN,
        &format!("{what} name"),
    )?);
    if j.bytes_15_16.len() != 2 {
        return Err(FormatError::Invalid {
            offset: NAME_LEN,
            expected: format!("{what}: 2 bytes"),
            found: format!("{} bytes", j.bytes_15_16.len()),
        });
    }
    b[NAME_LEN..NAME_LEN + 2].copy_from_slice(&j.bytes_15_16);
    b[17] = j.row_count;
    if j.rows.len() > ROWS {
        return Err(range_err(
            &format!("{what} rows"),
            j.rows.len() as i64,
            "0..=256",
        ));
    }
    for (i, r) in j.rows.iter().enumerate() {
        let at = 18 + i * ROW_LEN;
        b[at..at + ROW_LEN].copy_from_slice(&row_from_json(r)?);
    }
    Ok(b)
}

impl From<Arrangement> for ArrangementJson {
    fn from(a: Arrangement) -> Self {
        Self {
            bytes_22_23: a.raw.get(22, 2).to_vec(),
            working: block_to_json(&a, Block::Working),
            byte_5674: a.raw.u8(5674),
            saved_flag: a.saved_flag(),
            saved: block_to_json(&a, Block::Saved),
            saved_states: a.saved_states(),
            bad_checksum: a.raw.bad_checksum(),
        }
    }
}

impl TryFrom<ArrangementJson> for Arrangement {
    type Error = FormatError;
    fn try_from(j: ArrangementJson) -> Result<Self, FormatError> {
        let mut b = vec![0u8; FileKind::Arrangement.size()];
        b[..HEADER_LEN].copy_from_slice(&header(FileKind::Arrangement));
        if j.bytes_22_23.len() != 2 {
            return Err(FormatError::Invalid {
                offset: 22,
                expected: "2 bytes".into(),
                found: format!("{} bytes", j.bytes_22_23.len()),
            });
        }
        b[22..24].copy_from_slice(&j.bytes_22_23);
        b[WORKING_AT..WORKING_AT + BLOCK_LEN]
            .copy_from_slice(&block_from_json(&j.working, "working")?);
        b[5674] = j.byte_5674;
        b[SAVED_FLAG_AT] = j.saved_flag;
        b[SAVED_AT..SAVED_AT + BLOCK_LEN].copy_from_slice(&block_from_json(&j.saved, "saved")?);
        b[STATES_AT..STATES_AT + 8].copy_from_slice(&j.saved_states);
        Ok(Self {
            raw: RawFile::rebuild(b, FileKind::Arrangement, j.bad_checksum)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_names() {
        assert_eq!(pattern_name(0), "A01");
        assert_eq!(pattern_name(17), "B02");
        assert_eq!(pattern_name(255), "P16");
        for id in 0..=255u8 {
            assert_eq!(parse_pattern(&pattern_name(id)), Some(id));
        }
        assert_eq!(parse_pattern("a1"), Some(0));
        assert_eq!(parse_pattern("Q01"), None);
        assert_eq!(parse_pattern("A17"), None);
        assert_eq!(parse_pattern(""), None);
    }
}
