//! Themes: a named palette plus named styles for UI elements, with `inherits` for variants.
//!
//! Shipped themes are embedded in the binary; files in `<config dir>/themes/` override a shipped
//! theme of the same name (only the entries they set) or add new ones.

pub use super::inherit::{FileError, Sources, line_of, parse_toml};
use super::inherit::{Inheriting, resolve};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use toml::Spanned;

/// The themes shipped in the binary: (name, file text).
pub const SHIPPED: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("device", include_str!("../../themes/device.toml")),
];

/// The theme used when none is chosen or the chosen one is broken.
pub const DEFAULT: &str = "dark";

/// Style names the tracker uses (a theme should set them all; missing ones fall back to their parent).
pub const ELEMENTS: &[&str] = &[
    "base",
    "header",
    "header.title",
    "status",
    "status.dirty",
    "status.key",
    "status.message",
    "status.error",
    "grid.row_number",
    "grid.beat",
    "grid.page",
    "grid.separator",
    "grid.cursor",
    "grid.cursor_row",
    "grid.selection",
    "grid.dimmed",
    "grid.playhead",
    "grid.track",
    "grid.track_current",
    "grid.column_header",
    "trig.trig",
    "trig.trigless",
    "trig.lock",
    "trig.none",
    "cell.note",
    "cell.lock",
    "cell.cond",
    "cell.micro",
    "cell.retrig",
    "cell.flag",
    "cell.empty",
    "help",
    "help.key",
    "help.title",
    "popup",
    "popup.title",
    "message",
];

/// A loaded theme.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Its name.
    pub name: String,
    styles: BTreeMap<String, Style>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    inherits: Option<Spanned<String>>,
    #[serde(default)]
    palette: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    styles: BTreeMap<String, Spanned<StyleDef>>,
}

impl Inheriting for ThemeFile {
    fn inherits(&self) -> Option<&Spanned<String>> {
        self.inherits.as_ref()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleDef {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reversed: bool,
}

fn parse_color(s: &str, palette: &BTreeMap<String, Color>) -> Option<Color> {
    if let Some(c) = palette.get(s) {
        return Some(*c);
    }
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() == 6 {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
        }
        return None;
    }
    if let Ok(n) = s.parse::<u8>() {
        return Some(Color::Indexed(n));
    }
    Some(match s.to_ascii_lowercase().as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

impl Theme {
    /// The style of an element; `a.b.c` falls back to `a.b`, `a`, then `base`.
    pub fn style(&self, element: &str) -> Style {
        let mut name = element;
        loop {
            if let Some(s) = self.styles.get(name) {
                let base = self.styles.get("base").copied().unwrap_or_default();
                return base.patch(*s);
            }
            match name.rsplit_once('.') {
                Some((parent, _)) => name = parent,
                None => return self.styles.get("base").copied().unwrap_or_default(),
            }
        }
    }

    /// The element's own style (parent fallback, without `base` under it), for patching over
    /// row backgrounds.
    pub fn raw(&self, element: &str) -> Style {
        let mut name = element;
        loop {
            if let Some(s) = self.styles.get(name) {
                return *s;
            }
            match name.rsplit_once('.') {
                Some((parent, _)) => name = parent,
                None => return Style::default(),
            }
        }
    }

    /// Loads a theme by name from shipped and user files.
    pub fn load(name: &str, user_dir: Option<PathBuf>) -> Result<Self, FileError> {
        let sources = Sources::new("themes", SHIPPED, user_dir);
        let mut layers = Layers::default();
        collect(&sources, name, &mut layers)?;
        let mut palette = BTreeMap::new();
        for (k, (v, file, line)) in &layers.palette {
            let c = resolve_palette(v, &layers.palette, 0).ok_or_else(|| FileError {
                file: file.clone(),
                line: *line,
                message: format!("palette `{k}`: bad colour `{v}`"),
            })?;
            palette.insert(k.clone(), c);
        }
        let mut styles = BTreeMap::new();
        for (k, (d, file, line)) in &layers.styles {
            let mut s = Style::default();
            for (which, c) in [("fg", &d.fg), ("bg", &d.bg)] {
                if let Some(c) = c {
                    let col = parse_color(c, &palette).ok_or_else(|| FileError {
                        file: file.clone(),
                        line: *line,
                        message: format!(
                            "style `{k}`: {which} `{c}` is neither a palette name, #rrggbb, 0-255 nor a colour name"
                        ),
                    })?;
                    s = if which == "fg" { s.fg(col) } else { s.bg(col) };
                }
            }
            for (on, m) in [
                (d.bold, Modifier::BOLD),
                (d.dim, Modifier::DIM),
                (d.italic, Modifier::ITALIC),
                (d.underline, Modifier::UNDERLINED),
                (d.reversed, Modifier::REVERSED),
            ] {
                if on {
                    s = s.add_modifier(m);
                }
            }
            styles.insert(k.clone(), s);
        }
        Ok(Self {
            name: name.to_string(),
            styles,
        })
    }

    /// Loads the named theme, or the default with the error when it is broken.
    pub fn load_or_default(name: &str, user_dir: Option<PathBuf>) -> (Self, Option<FileError>) {
        match Self::load(name, user_dir) {
            Ok(t) => (t, None),
            Err(e) => (Self::builtin_default(), Some(e)),
        }
    }

    /// The shipped default theme (never fails: it is tested).
    pub fn builtin_default() -> Self {
        Self::load(DEFAULT, None).unwrap_or_else(|_| Self {
            name: DEFAULT.into(),
            styles: BTreeMap::new(),
        })
    }

    /// True when the theme sets this element itself (not through a parent name).
    pub fn defines(&self, element: &str) -> bool {
        self.styles.contains_key(element)
    }
}

type Located<T> = (T, String, usize);

#[derive(Default)]
struct Layers {
    palette: BTreeMap<String, Located<String>>,
    styles: BTreeMap<String, Located<StyleDef>>,
}

fn resolve_palette(v: &str, all: &BTreeMap<String, Located<String>>, depth: u8) -> Option<Color> {
    if depth < 8
        && let Some((inner, _, _)) = all.get(v)
        && inner != v
    {
        return resolve_palette(inner, all, depth + 1);
    }
    parse_color(v, &BTreeMap::new())
}

fn collect(sources: &Sources, name: &str, layers: &mut Layers) -> Result<(), FileError> {
    resolve::<ThemeFile>(sources, name, &mut |l| {
        let _ = l.parsed.name;
        for (k, v) in l.parsed.palette {
            let line = line_of(l.text, v.span().start);
            layers
                .palette
                .insert(k, (v.into_inner(), l.file.to_string(), line));
        }
        for (k, v) in l.parsed.styles {
            let line = line_of(l.text, v.span().start);
            layers
                .styles
                .insert(k, (v.into_inner(), l.file.to_string(), line));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_themes_load_and_set_every_element() {
        for (name, text) in SHIPPED {
            let t = Theme::load(name, None).unwrap_or_else(|e| panic!("{e}"));
            let f: ThemeFile = parse_toml(name, text).unwrap();
            for el in ELEMENTS {
                let direct = t.styles.contains_key(*el);
                assert!(
                    direct || f.inherits.is_some(),
                    "theme {name} lacks style {el}"
                );
            }
        }
        let dark = Theme::load("dark", None).unwrap();
        let light = Theme::load("light", None).unwrap();
        assert_ne!(dark.style("grid.cursor"), light.style("grid.cursor"));
    }

    #[test]
    fn bad_user_theme_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes")).unwrap();
        std::fs::write(
            dir.path().join("themes/mine.toml"),
            "inherits = \"dark\"\n[styles]\n\"grid.cursor\" = { fg = \"nocolour\" }\n",
        )
        .unwrap();
        let e = Theme::load("mine", Some(dir.path().into())).unwrap_err();
        assert!(e.file.ends_with("mine.toml"), "{e}");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("nocolour"));
        let (t, err) = Theme::load_or_default("mine", Some(dir.path().into()));
        assert_eq!(t.name, "dark");
        assert!(err.is_some());
        // A user override of a shipped theme changes only what it sets.
        std::fs::write(
            dir.path().join("themes/dark.toml"),
            "[styles]\n\"grid.cursor\" = { fg = \"#ff0000\" }\n",
        )
        .unwrap();
        let t = Theme::load("dark", Some(dir.path().into())).unwrap();
        assert_eq!(t.style("grid.cursor").fg, Some(Color::Rgb(255, 0, 0)));
        let d = Theme::load("dark", None).unwrap();
        assert_eq!(t.style("grid.beat"), d.style("grid.beat"));
        // Syntax errors carry the line too.
        std::fs::write(
            dir.path().join("themes/broken.toml"),
            "[styles]\n\nx = = 1\n",
        )
        .unwrap();
        let e = Theme::load("broken", Some(dir.path().into())).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }
}
