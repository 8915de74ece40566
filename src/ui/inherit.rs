//! Named TOML files with `inherits`, shared by themes and keymaps: a file is found by name
//! among the shipped ones and in the user's config folder (a user file with a shipped name is
//! layered over the shipped one), and `inherits = "parent"` loads the parent first, following
//! the chain and refusing loops. Errors name the file and line.

use std::path::PathBuf;
use toml::Spanned;

/// A theme or keymap file problem, naming the file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct FileError {
    /// The file (path, or `<built-in>/name.toml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.bytes().filter(|b| *b == b'\n').count() + 1)
}

/// A source of named TOML files: shipped (embedded) plus a user directory.
#[derive(Debug, Clone)]
pub struct Sources {
    shipped: Vec<(String, String)>,
    user_dir: Option<PathBuf>,
    kind: &'static str,
}

impl Sources {
    /// Shipped files plus `<config dir>/<kind>/`.
    pub fn new(kind: &'static str, shipped: &[(&str, &str)], user_dir: Option<PathBuf>) -> Self {
        Self {
            shipped: shipped
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            user_dir: user_dir.map(|d| d.join(kind)),
            kind,
        }
    }

    /// Every layer for a name, base first: (file label, text). A user file with a shipped
    /// name is layered over the shipped one.
    pub fn layers(&self, name: &str) -> Result<Vec<(String, String)>, FileError> {
        self.find(name)?.ok_or_else(|| FileError {
            file: format!("{name}.toml"),
            line: 1,
            message: self.missing(name),
        })
    }

    /// The layers of a name; `None` when there is none.
    fn find(&self, name: &str) -> Result<Option<Vec<(String, String)>>, FileError> {
        let mut out = Vec::new();
        if let Some((n, t)) = self.shipped.iter().find(|(n, _)| n == name) {
            out.push((format!("<built-in>/{}/{n}.toml", self.kind), t.clone()));
        }
        if let Some(dir) = &self.user_dir {
            let p = dir.join(format!("{name}.toml"));
            match std::fs::read_to_string(&p) {
                Ok(t) => out.push((p.display().to_string(), t)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(FileError {
                        file: p.display().to_string(),
                        line: 1,
                        message: e.to_string(),
                    });
                }
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }

    /// The message for a name that has no file.
    fn missing(&self, name: &str) -> String {
        format!(
            "no {} named `{name}` (built-in: {})",
            self.kind.trim_end_matches('s'),
            self.shipped
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Parses a TOML text with a serde schema, turning errors into a file:line message.
pub fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, FileError> {
    toml::from_str(text).map_err(|e| FileError {
        file: file.to_string(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: e.message().to_string(),
    })
}

/// A parsed file that may name a parent with `inherits = "name"`.
pub trait Inheriting: serde::de::DeserializeOwned {
    /// The parent's name and where it is written.
    fn inherits(&self) -> Option<&Spanned<String>>;
}

/// One layer handed to [`resolve`]'s callback.
pub struct Layer<'a, T> {
    /// The file label (path, or `<built-in>/<kind>/name.toml`).
    pub file: &'a str,
    /// Its text (for line numbers of spans).
    pub text: &'a str,
    /// The parsed file.
    pub parsed: T,
}

/// Loads `name` with everything it inherits, handing every layer to `apply`, parents before
/// children (so later layers override earlier ones). A loop in `inherits` is an error naming
/// the chain; a parent that does not exist is an error at the `inherits` line of the file
/// that names it.
pub fn resolve<T: Inheriting>(
    sources: &Sources,
    name: &str,
    apply: &mut dyn FnMut(Layer<'_, T>) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let mut chain = Vec::new();
    walk(sources, name, None, apply, &mut chain)
}

fn walk<T: Inheriting>(
    sources: &Sources,
    name: &str,
    named_at: Option<(&str, usize)>,
    apply: &mut dyn FnMut(Layer<'_, T>) -> Result<(), FileError>,
    chain: &mut Vec<String>,
) -> Result<(), FileError> {
    if chain.iter().any(|c| c == name) {
        return Err(FileError {
            file: format!("{name}.toml"),
            line: 1,
            message: format!("`inherits` loops: {} -> {name}", chain.join(" -> ")),
        });
    }
    let Some(layers) = sources.find(name)? else {
        let (file, line) = match named_at {
            Some((f, l)) => (f.to_string(), l),
            None => (format!("{name}.toml"), 1),
        };
        return Err(FileError {
            file,
            line,
            message: sources.missing(name),
        });
    };
    chain.push(name.to_string());
    for (file, text) in &layers {
        let parsed: T = parse_toml(file, text)?;
        if let Some(parent) = parsed.inherits() {
            let line = line_of(text, parent.span().start);
            walk(
                sources,
                parent.get_ref(),
                Some((file.as_str(), line)),
                apply,
                chain,
            )?;
        }
        apply(Layer { file, text, parsed })?;
    }
    chain.pop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct File {
        inherits: Option<Spanned<String>>,
        #[serde(default)]
        set: Vec<String>,
    }

    impl Inheriting for File {
        fn inherits(&self) -> Option<&Spanned<String>> {
            self.inherits.as_ref()
        }
    }

    /// The `set` entries of every layer in the order applied, with their file's name.
    fn load(sources: &Sources, name: &str) -> Result<Vec<String>, FileError> {
        let mut out = Vec::new();
        resolve::<File>(sources, name, &mut |l| {
            let file = l.file.rsplit('/').next().unwrap_or("").to_string();
            out.extend(l.parsed.set.iter().map(|s| format!("{file}:{s}")));
            Ok(())
        })?;
        Ok(out)
    }

    const SHIPPED: &[(&str, &str)] = &[
        ("base", "set = [\"b\"]\n"),
        ("mid", "inherits = \"base\"\nset = [\"m\"]\n"),
    ];

    #[test]
    fn three_level_chain_applies_parents_first() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("things");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("top.toml"), "inherits = \"mid\"\nset = [\"t\"]\n").unwrap();
        // A user layer over the shipped `base` comes right after it.
        std::fs::write(d.join("base.toml"), "set = [\"ub\"]\n").unwrap();
        let s = Sources::new("things", SHIPPED, Some(dir.path().into()));
        assert_eq!(
            load(&s, "top").unwrap(),
            ["base.toml:b", "base.toml:ub", "mid.toml:m", "top.toml:t"]
        );
        let shipped_only = Sources::new("things", SHIPPED, None);
        assert_eq!(
            load(&shipped_only, "mid").unwrap(),
            ["base.toml:b", "mid.toml:m"]
        );
    }

    #[test]
    fn a_loop_is_refused_naming_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("things");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("a.toml"), "inherits = \"b\"\n").unwrap();
        std::fs::write(d.join("b.toml"), "inherits = \"c\"\n").unwrap();
        std::fs::write(d.join("c.toml"), "inherits = \"a\"\n").unwrap();
        let s = Sources::new("things", SHIPPED, Some(dir.path().into()));
        let e = load(&s, "a").unwrap_err();
        assert_eq!(e.file, "a.toml");
        assert_eq!(e.message, "`inherits` loops: a -> b -> c -> a");
        std::fs::write(d.join("self.toml"), "inherits = \"self\"\n").unwrap();
        let e = load(&s, "self").unwrap_err();
        assert_eq!(e.message, "`inherits` loops: self -> self");
    }

    #[test]
    fn a_missing_parent_names_the_file_and_line_that_asks_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("things");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("top.toml"), "inherits = \"kid\"\n").unwrap();
        std::fs::write(d.join("kid.toml"), "set = []\n\ninherits = \"nope\"\n").unwrap();
        let s = Sources::new("things", SHIPPED, Some(dir.path().into()));
        let e = load(&s, "top").unwrap_err();
        assert!(e.file.ends_with("things/kid.toml"), "{e}");
        assert_eq!(e.line, 3, "{e}");
        assert_eq!(e.message, "no thing named `nope` (built-in: base, mid)");
        // Asked for directly: the missing name itself.
        let e = load(&s, "nope").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("nope.toml", 1));
        // A broken parent reports its own file and line.
        std::fs::write(d.join("nope.toml"), "set = [\n").unwrap();
        let e = load(&s, "top").unwrap_err();
        assert!(e.file.ends_with("things/nope.toml"), "{e}");
    }
}
