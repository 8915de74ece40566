//! The patch database (SQLite): devices (with pinned ports), patches (deduplicated by
//! fingerprint), tags, and imports that keep their bank order as a list of patch ids.

use super::adaptation::{Adaptation, Loaded, PatchKind};
use super::sysex;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use thiserror::Error;

/// Current schema version (stored in SQLite's `user_version`).
pub const SCHEMA_VERSION: i32 = 1;
/// File name of the database in the data dir.
pub const DB_FILE: &str = "librarian.sqlite";

/// A database failure.
#[derive(Debug, Error)]
pub enum DbError {
    /// SQLite reported an error.
    #[error("patch database {path}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// The cause.
        source: rusqlite::Error,
    },
    /// The data directory is unknown or cannot be created.
    #[error("patch database: {0}")]
    Location(String),
    /// The file was written by a newer octa.
    #[error(
        "patch database {path} has schema version {found}; this octa knows up to {SCHEMA_VERSION}"
    )]
    TooNew {
        /// The database file.
        path: String,
        /// Its version.
        found: i32,
    },
    /// The file fails SQLite's integrity check: nothing is written into it.
    #[error(
        "patch database {path} is damaged ({detail}); nothing was written. To recover, keep a copy of it, then run `sqlite3 '{path}' .recover | sqlite3 '{path}.recovered'` and move the recovered file into its place (or move the damaged file away to start an empty library)"
    )]
    Damaged {
        /// The database file.
        path: String,
        /// What SQLite reported.
        detail: String,
    },
    /// No patch or import with that id.
    #[error("no {what} with id {id}")]
    NotFound {
        /// "patch" or "import".
        what: &'static str,
        /// The id asked for.
        id: i64,
    },
}

/// Where a device is connected (pinned by the user or found by detection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceLocation {
    /// Output port name.
    pub out_port: String,
    /// Input port name.
    pub in_port: String,
    /// MIDI channel 0-15.
    pub channel: u8,
    /// True when the user pinned it (detection does not overwrite it).
    pub pinned: bool,
}

/// One stored patch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchRow {
    /// Database id.
    pub id: i64,
    /// Adaptation (device) name.
    pub device: String,
    /// Name (untrimmed as stored in the dump, or as the user gave it).
    pub name: String,
    /// True when the user gave the name.
    pub user_name: bool,
    /// Fingerprint (identity).
    pub fingerprint: String,
    /// How the data is stored.
    pub kind: PatchKind,
    /// The raw sysex.
    pub sysex: Vec<u8>,
    /// Bank it came from, if known.
    pub bank: Option<u32>,
    /// Program (linear number) it came from, if known.
    pub program: Option<u32>,
    /// Where it was first imported from.
    pub source: String,
    /// When it was first imported (unix seconds).
    pub imported_at: i64,
    /// Marked favourite.
    pub favourite: bool,
    /// Hidden from lists.
    pub hidden: bool,
    /// Tags, sorted.
    pub tags: Vec<String>,
}

/// One import (a file or a fetch from a synth).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Database id.
    pub id: i64,
    /// Adaptation name.
    pub device: String,
    /// File path or "synth:<port>".
    pub source: String,
    /// Unix seconds.
    pub imported_at: i64,
    /// Number of patches in it (in order, duplicates included).
    pub count: usize,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The import's id.
    pub import_id: i64,
    /// True when the same data was imported before (nothing new recorded).
    pub already_imported: bool,
    /// Patches in the source.
    pub patches: usize,
    /// Patches that were new to the database.
    pub added: usize,
    /// Patches already known by fingerprint.
    pub duplicates: usize,
    /// Known patches whose stored name was updated.
    pub renamed: usize,
}

/// An import found by [`Database::find_import`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownImport {
    /// The import's id.
    pub import_id: i64,
    /// The device that read it.
    pub device: String,
    /// Patches it listed.
    pub patches: usize,
}

/// Filters for [`Database::list`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatchFilter {
    /// Device name (exact, case-insensitive).
    pub device: Option<String>,
    /// Case-insensitive substring of the name.
    pub search: Option<String>,
    /// Having this tag.
    pub tag: Option<String>,
    /// Only favourites.
    pub favourites: bool,
    /// Include hidden patches.
    pub include_hidden: bool,
}

type LocationRow = (Option<String>, Option<String>, Option<u8>, bool);

/// The librarian's SQLite database.
pub struct Database {
    conn: Connection,
    path: String,
    /// The integrity check passed (run once, before the first write).
    checked: std::cell::Cell<bool>,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    out_port TEXT,
    in_port TEXT,
    channel INTEGER,
    pinned INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id),
    source TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    digest TEXT NOT NULL,
    sysex BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS imports_digest ON imports(device_id, digest);
CREATE TABLE IF NOT EXISTS patches (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id),
    fingerprint TEXT NOT NULL,
    name TEXT NOT NULL,
    user_name INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    sysex BLOB NOT NULL,
    bank INTEGER,
    program INTEGER,
    import_id INTEGER REFERENCES imports(id),
    source TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    favourite INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    UNIQUE (device_id, fingerprint)
);
CREATE TABLE IF NOT EXISTS patch_tags (
    patch_id INTEGER NOT NULL REFERENCES patches(id) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (patch_id, tag)
);
CREATE TABLE IF NOT EXISTS import_items (
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    patch_id INTEGER NOT NULL REFERENCES patches(id),
    bank INTEGER,
    program INTEGER,
    PRIMARY KEY (import_id, position)
);
";

impl Database {
    /// Opens (creating if needed) `data_dir()/librarian.sqlite`.
    pub fn open_default() -> Result<Self, DbError> {
        let dir = crate::config::data_dir()
            .ok_or_else(|| DbError::Location("no data directory on this system".into()))?;
        std::fs::create_dir_all(&dir)
            .map_err(|e| DbError::Location(format!("cannot create {}: {e}", dir.display())))?;
        Self::open(&dir.join(DB_FILE))
    }

    /// The default database path.
    pub fn default_path() -> Option<PathBuf> {
        crate::config::data_dir().map(|d| d.join(DB_FILE))
    }

    /// Opens (creating if needed) a database file.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        let p = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| DbError::Sqlite {
            path: p.clone(),
            source,
        })?;
        Self::init(conn, p)
    }

    /// A private in-memory database (tests, benchmarks).
    pub fn open_in_memory() -> Result<Self, DbError> {
        let conn = Connection::open_in_memory().map_err(|source| DbError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Self, DbError> {
        let db = Self {
            conn,
            path,
            checked: std::cell::Cell::new(false),
        };
        // Another octa may be importing: wait for its write to finish instead of failing.
        db.conn
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| db.err(e))?;
        let version: i32 = db
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| db.err(e))?;
        if version > SCHEMA_VERSION {
            return Err(DbError::TooNew {
                path: db.path.clone(),
                found: version,
            });
        }
        db.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")
            .map_err(|e| db.err(e))?;
        if version < SCHEMA_VERSION {
            // Only a new or older file is written at open (so `list` and `export` never
            // wait for a lock while another process imports).
            db.writable()?;
            db.conn.execute_batch(SCHEMA).map_err(|e| db.err(e))?;
            db.conn
                .pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(|e| db.err(e))?;
        }
        Ok(db)
    }

    fn err(&self, source: rusqlite::Error) -> DbError {
        match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                DbError::Damaged {
                    path: self.path.clone(),
                    detail: source.to_string(),
                }
            }
            _ => DbError::Sqlite {
                path: self.path.clone(),
                source,
            },
        }
    }

    /// Refuses to write into a file that fails `PRAGMA quick_check` (checked once per
    /// open, before the first write).
    fn writable(&self) -> Result<(), DbError> {
        if self.checked.get() {
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check")
            .map_err(|e| self.err(e))?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))?;
        if rows != ["ok"] {
            return Err(DbError::Damaged {
                path: self.path.clone(),
                detail: rows.into_iter().take(3).collect::<Vec<_>>().join("; "),
            });
        }
        self.checked.set(true);
        Ok(())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i32, DbError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn device_id(conn: &Connection, name: &str) -> rusqlite::Result<i64> {
        conn.execute(
            "INSERT INTO devices (name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
            params![name],
        )?;
        conn.query_row(
            "SELECT id FROM devices WHERE name = ?1",
            params![name],
            |r| r.get(0),
        )
    }

    /// The earlier import of exactly these messages, by any device: the digest that
    /// [`Database::store_import`] records, looked up before any patch is read or
    /// fingerprinted. Only reads: a repeated import that stops here writes nothing.
    pub fn find_import(&self, messages: &[Vec<u8>]) -> Result<Option<KnownImport>, DbError> {
        let parts: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        let digest = sysex::digest_hex(&parts);
        // `device_id IN (...)` lets the (device_id, digest) index answer.
        self.conn
            .query_row(
                "SELECT i.id, d.name, (SELECT count(*) FROM import_items t WHERE t.import_id = i.id)
                 FROM imports i JOIN devices d ON d.id = i.device_id
                 WHERE i.device_id IN (SELECT id FROM devices) AND i.digest = ?1
                 ORDER BY i.id LIMIT 1",
                params![digest],
                |r| {
                    Ok(KnownImport {
                        import_id: r.get(0)?,
                        device: r.get(1)?,
                        patches: r.get::<_, i64>(2)?.try_into().unwrap_or(0),
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Stores what was read from `messages` by `adaptation` as one import from `source`.
    ///
    /// Patches already known by fingerprint are not added again; their stored name is
    /// updated only when the user has not named them and the incoming name is not a
    /// default name. Importing the same bytes again records nothing new.
    pub fn store_import(
        &mut self,
        adaptation: &dyn Adaptation,
        source: &str,
        messages: &[Vec<u8>],
        loaded: &Loaded,
    ) -> Result<ImportSummary, DbError> {
        self.writable()?;
        let path = self.path.clone();
        let wrap = |source| DbError::Sqlite {
            path: path.clone(),
            source,
        };
        let device = adaptation.name();
        let raw: Vec<u8> = messages.iter().flatten().copied().collect();
        let digest = sysex::digest_hex(&[&raw]);
        let tx = self.conn.transaction().map_err(wrap)?;
        let device_id = Self::device_id(&tx, &device).map_err(wrap)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM imports WHERE device_id = ?1 AND digest = ?2",
                params![device_id, digest],
                |r| r.get(0),
            )
            .optional()
            .map_err(wrap)?;
        if let Some(import_id) = existing {
            return Ok(ImportSummary {
                import_id,
                already_imported: true,
                patches: loaded.patches.len(),
                added: 0,
                duplicates: loaded.patches.len(),
                renamed: 0,
            });
        }
        let at = now();
        tx.execute(
            "INSERT INTO imports (device_id, source, imported_at, digest, sysex) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![device_id, source, at, digest, raw],
        )
        .map_err(wrap)?;
        let import_id = tx.last_insert_rowid();
        let mut summary = ImportSummary {
            import_id,
            already_imported: false,
            patches: loaded.patches.len(),
            added: 0,
            duplicates: 0,
            renamed: 0,
        };
        let banks = adaptation.bank_descriptors();
        {
            let mut find = tx
                .prepare_cached(
                    "SELECT id, name, user_name FROM patches WHERE device_id = ?1 AND fingerprint = ?2",
                )
                .map_err(wrap)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO patches (device_id, fingerprint, name, kind, sysex, bank, program, import_id, source, imported_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(wrap)?;
            let mut rename = tx
                .prepare_cached("UPDATE patches SET name = ?2 WHERE id = ?1")
                .map_err(wrap)?;
            let mut item = tx
                .prepare_cached(
                    "INSERT INTO import_items (import_id, position, patch_id, bank, program) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(wrap)?;
            for (pos, p) in loaded.patches.iter().enumerate() {
                let bank = p
                    .number
                    .and_then(|n| super::adaptation::locate(&banks, n))
                    .map(|(b, _)| b);
                let known: Option<(i64, String, bool)> = find
                    .query_row(params![device_id, p.fingerprint], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .optional()
                    .map_err(wrap)?;
                let patch_id = match known {
                    Some((id, name, user_name)) => {
                        summary.duplicates += 1;
                        let better = !user_name
                            && name != p.name
                            && !adaptation.is_default_name(&p.name)
                            && (adaptation.is_default_name(&name) || name.trim().is_empty());
                        if better {
                            rename.execute(params![id, p.name]).map_err(wrap)?;
                            summary.renamed += 1;
                        }
                        id
                    }
                    None => {
                        insert
                            .execute(params![
                                device_id,
                                p.fingerprint,
                                p.name,
                                p.kind.as_str(),
                                p.data,
                                bank,
                                p.number,
                                import_id,
                                source,
                                at
                            ])
                            .map_err(wrap)?;
                        summary.added += 1;
                        tx.last_insert_rowid()
                    }
                };
                item.execute(params![import_id, pos as i64, patch_id, bank, p.number])
                    .map_err(wrap)?;
            }
        }
        tx.commit().map_err(wrap)?;
        Ok(summary)
    }

    fn row_to_patch(r: &rusqlite::Row<'_>) -> rusqlite::Result<PatchRow> {
        let kind: String = r.get(5)?;
        let tags: Option<String> = r.get(13)?;
        let mut tags: Vec<String> = tags
            .map(|t| t.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default();
        tags.sort();
        Ok(PatchRow {
            id: r.get(0)?,
            device: r.get(1)?,
            name: r.get(2)?,
            user_name: r.get(3)?,
            fingerprint: r.get(4)?,
            kind: PatchKind::parse(&kind),
            sysex: r.get(6)?,
            bank: r.get(7)?,
            program: r.get(8)?,
            source: r.get(9)?,
            imported_at: r.get(10)?,
            favourite: r.get(11)?,
            hidden: r.get(12)?,
            tags,
        })
    }

    const SELECT: &'static str = "SELECT p.id, d.name, p.name, p.user_name, p.fingerprint, p.kind, p.sysex, p.bank, p.program,
            p.source, p.imported_at, p.favourite, p.hidden,
            (SELECT group_concat(tag, char(31)) FROM patch_tags t WHERE t.patch_id = p.id)
         FROM patches p JOIN devices d ON d.id = p.device_id";

    /// Patches matching `filter`, ordered by device, then id.
    pub fn list(&self, filter: &PatchFilter) -> Result<Vec<PatchRow>, DbError> {
        let sql = format!(
            "{} WHERE (?1 IS NULL OR d.name = ?1)
               AND (?2 IS NULL OR instr(lower(p.name), lower(?2)) > 0)
               AND (?3 IS NULL OR EXISTS (SELECT 1 FROM patch_tags t WHERE t.patch_id = p.id AND t.tag = ?3))
               AND (?4 = 0 OR p.favourite = 1)
               AND (?5 = 1 OR p.hidden = 0)
             ORDER BY d.name, p.id",
            Self::SELECT
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(
                params![
                    filter.device,
                    filter.search,
                    filter.tag,
                    filter.favourites,
                    filter.include_hidden
                ],
                Self::row_to_patch,
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// One patch by id.
    pub fn patch(&self, id: i64) -> Result<PatchRow, DbError> {
        let sql = format!("{} WHERE p.id = ?1", Self::SELECT);
        self.conn
            .query_row(&sql, params![id], Self::row_to_patch)
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or(DbError::NotFound { what: "patch", id })
    }

    /// Number of stored patches.
    pub fn patch_count(&self) -> Result<usize, DbError> {
        self.conn
            .query_row("SELECT count(*) FROM patches", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// Renames a patch (a user-given name); when the adaptation can rename dumps, the stored
    /// sysex is rewritten too (its fingerprint does not change).
    pub fn rename(
        &mut self,
        id: i64,
        name: &str,
        adaptation: Option<&dyn Adaptation>,
    ) -> Result<(), DbError> {
        self.writable()?;
        let p = self.patch(id)?;
        let sysex = adaptation
            .and_then(|a| a.rename_patch(&p.sysex, name))
            .unwrap_or(p.sysex);
        self.conn
            .execute(
                "UPDATE patches SET name = ?2, user_name = 1, sysex = ?3 WHERE id = ?1",
                params![id, name, sysex],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn set_flag(&self, id: i64, column: &str, on: bool) -> Result<(), DbError> {
        self.writable()?;
        let n = self
            .conn
            .execute(
                &format!("UPDATE patches SET {column} = ?2 WHERE id = ?1"),
                params![id, on],
            )
            .map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(DbError::NotFound { what: "patch", id });
        }
        Ok(())
    }

    /// Marks or unmarks a favourite.
    pub fn set_favourite(&self, id: i64, on: bool) -> Result<(), DbError> {
        self.set_flag(id, "favourite", on)
    }

    /// Hides or shows a patch.
    pub fn set_hidden(&self, id: i64, on: bool) -> Result<(), DbError> {
        self.set_flag(id, "hidden", on)
    }

    /// Adds a tag (case-insensitive; adding twice is harmless).
    pub fn add_tag(&self, id: i64, tag: &str) -> Result<(), DbError> {
        self.writable()?;
        self.patch(id)?;
        self.conn
            .execute(
                "INSERT OR IGNORE INTO patch_tags (patch_id, tag) VALUES (?1, ?2)",
                params![id, tag.trim()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Removes a tag.
    pub fn remove_tag(&self, id: i64, tag: &str) -> Result<(), DbError> {
        self.writable()?;
        self.conn
            .execute(
                "DELETE FROM patch_tags WHERE patch_id = ?1 AND tag = ?2",
                params![id, tag.trim()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// All imports, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportRow>, DbError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT i.id, d.name, i.source, i.imported_at,
                        (SELECT count(*) FROM import_items x WHERE x.import_id = i.id)
                 FROM imports i JOIN devices d ON d.id = i.device_id ORDER BY i.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(ImportRow {
                    id: r.get(0)?,
                    device: r.get(1)?,
                    source: r.get(2)?,
                    imported_at: r.get(3)?,
                    count: r.get::<_, i64>(4)? as usize,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The patch ids of an import in their original order (duplicates included).
    pub fn import_items(&self, import_id: i64) -> Result<Vec<i64>, DbError> {
        let mut st = self
            .conn
            .prepare("SELECT patch_id FROM import_items WHERE import_id = ?1 ORDER BY position")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![import_id], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The sysex of an import exactly as it was imported (its messages, in order).
    pub fn import_sysex(&self, import_id: i64) -> Result<Vec<u8>, DbError> {
        self.conn
            .query_row(
                "SELECT sysex FROM imports WHERE id = ?1",
                params![import_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or(DbError::NotFound {
                what: "import",
                id: import_id,
            })
    }

    /// Pins (or records) where a device is connected.
    pub fn set_device_location(&self, device: &str, loc: &DeviceLocation) -> Result<(), DbError> {
        self.writable()?;
        let id = Self::device_id(&self.conn, device).map_err(|e| self.err(e))?;
        self.conn
            .execute(
                "UPDATE devices SET out_port = ?2, in_port = ?3, channel = ?4, pinned = ?5 WHERE id = ?1",
                params![id, loc.out_port, loc.in_port, loc.channel, loc.pinned],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Where a device was pinned or last found.
    pub fn device_location(&self, device: &str) -> Result<Option<DeviceLocation>, DbError> {
        let row: Option<LocationRow> = self
            .conn
            .query_row(
                "SELECT out_port, in_port, channel, pinned FROM devices WHERE name = ?1",
                params![device],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(match row {
            Some((Some(out_port), Some(in_port), Some(channel), pinned)) => Some(DeviceLocation {
                out_port,
                in_port,
                channel,
                pinned,
            }),
            _ => None,
        })
    }
}
