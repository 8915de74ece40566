//! What to export or send: patch ids, id ranges, a whole import (bank), a device, or a search.

use super::db::{Database, DbError, PatchFilter};
use thiserror::Error;

/// A selection the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Patch ids (from `12`, `1,3,5-9`).
    Patches(Vec<i64>),
    /// One import, exported exactly as imported (`import:3`).
    Import(i64),
    /// Every visible patch of a device (`device:NAME`).
    Device(String),
    /// Every visible patch whose name contains the text (`search:TEXT`).
    Search(String),
}

/// A selection that cannot be parsed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error(
    "cannot read selection '{input}': {reason} (use ids like 3 or 1,4-9, import:N, device:NAME or search:TEXT)"
)]
pub struct SelectionError {
    /// What was typed.
    pub input: String,
    /// What is wrong.
    pub reason: String,
}

impl Selection {
    /// Parses the selection syntax.
    pub fn parse(input: &str) -> Result<Self, SelectionError> {
        let err = |reason: &str| SelectionError {
            input: input.to_string(),
            reason: reason.to_string(),
        };
        let s = input.trim();
        if let Some(rest) = s.strip_prefix("import:") {
            return rest
                .trim()
                .parse()
                .map(Selection::Import)
                .map_err(|_| err("import:N needs a number"));
        }
        if let Some(rest) = s.strip_prefix("device:") {
            return Ok(Selection::Device(rest.trim().to_string()));
        }
        if let Some(rest) = s.strip_prefix("search:") {
            return Ok(Selection::Search(rest.to_string()));
        }
        let mut ids = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('-') {
                Some((a, b)) => {
                    let a: i64 = a.trim().parse().map_err(|_| err("bad range start"))?;
                    let b: i64 = b.trim().parse().map_err(|_| err("bad range end"))?;
                    if b < a || b - a > 100_000 {
                        return Err(err("bad range"));
                    }
                    ids.extend(a..=b);
                }
                None => ids.push(part.parse().map_err(|_| err("not a patch id"))?),
            }
        }
        if ids.is_empty() {
            return Err(err("nothing selected"));
        }
        Ok(Selection::Patches(ids))
    }

    /// The sysex blobs of the selection, in order: a whole import as imported, or the
    /// stored sysex of each patch.
    pub fn resolve(&self, db: &Database) -> Result<Vec<Vec<u8>>, DbError> {
        match self {
            Selection::Import(id) => Ok(vec![db.import_sysex(*id)?]),
            Selection::Patches(ids) => ids
                .iter()
                .map(|&id| db.patch(id).map(|p| p.sysex))
                .collect(),
            Selection::Device(d) => Ok(db
                .list(&PatchFilter {
                    device: Some(d.clone()),
                    ..PatchFilter::default()
                })?
                .into_iter()
                .map(|p| p.sysex)
                .collect()),
            Selection::Search(s) => Ok(db
                .list(&PatchFilter {
                    search: Some(s.clone()),
                    ..PatchFilter::default()
                })?
                .into_iter()
                .map(|p| p.sysex)
                .collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(Selection::parse("3"), Ok(Selection::Patches(vec![3])));
        assert_eq!(
            Selection::parse("1, 4-6"),
            Ok(Selection::Patches(vec![1, 4, 5, 6]))
        );
        assert_eq!(Selection::parse("import:2"), Ok(Selection::Import(2)));
        assert_eq!(
            Selection::parse("device:Waldorf Blofeld"),
            Ok(Selection::Device("Waldorf Blofeld".into()))
        );
        assert!(Selection::parse("6-4").is_err());
        assert!(Selection::parse("x").is_err_and(|e| e.to_string().contains("'x'")));
    }
}
