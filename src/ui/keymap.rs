//! Keymaps: TOML files binding keys to action names, with descriptions for the help overlay.
//!
//! ```toml
//! name = "vim"
//! inherits = "tracker"          # optional: start from another keymap
//! [bind]
//! "pattern.up" = ["k", "up"]     # keys only (the action's own description is shown)
//! "app.save" = { keys = ["ctrl+s"], help = "Write changed files" }
//! ```
//! Every action starts with its built-in default keys; a file replaces the keys of the actions
//! it names. A user file `<config dir>/keymaps/<name>.toml` is layered over the shipped keymap
//! of the same name, so it may override single bindings. Keys bound twice in one context (or
//! shadowing a key of an enclosing context) are reported as conflicts.

use super::action::{ActionDef, context_of, parent_context};
use super::inherit::{FileError, Inheriting, Sources, line_of, resolve};
use super::keys::Chord;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use toml::Spanned;

/// The keymaps shipped in the binary: (name, file text).
pub const SHIPPED: &[(&str, &str)] = &[
    ("tracker", include_str!("../../keymaps/tracker.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// The keymap used when none is chosen or the chosen one is broken.
pub const DEFAULT: &str = "tracker";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    inherits: Option<Spanned<String>>,
    #[serde(default)]
    bind: BTreeMap<Spanned<String>, Spanned<BindValue>>,
}

impl Inheriting for KeymapFile {
    fn inherits(&self) -> Option<&Spanned<String>> {
        self.inherits.as_ref()
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum BindValue {
    Keys(Vec<String>),
    Full {
        keys: Vec<String>,
        #[serde(default)]
        help: Option<String>,
    },
}

/// A resolved keymap.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// Its name.
    pub name: String,
    keys: HashMap<&'static str, Vec<Chord>>,
    help: HashMap<&'static str, String>,
    map: HashMap<(String, Chord), &'static str>,
    /// Conflicts found while loading (the first binding in name order wins).
    pub conflicts: Vec<String>,
}

impl Keymap {
    /// Loads a keymap by name over the given actions (every action a view or the app offers).
    pub fn load(
        name: &str,
        actions: &[ActionDef],
        user_dir: Option<PathBuf>,
    ) -> Result<Self, FileError> {
        let sources = Sources::new("keymaps", SHIPPED, user_dir);
        let mut keys: HashMap<&'static str, Vec<Chord>> = HashMap::new();
        let mut help: HashMap<&'static str, String> = HashMap::new();
        for a in actions {
            let parsed = a.keys.iter().filter_map(|k| Chord::parse(k).ok()).collect();
            keys.insert(a.name, parsed);
            help.insert(a.name, a.help.to_string());
        }
        apply(&sources, name, actions, &mut keys, &mut help)?;
        let mut km = Self {
            name: name.to_string(),
            keys,
            help,
            map: HashMap::new(),
            conflicts: Vec::new(),
        };
        km.build();
        Ok(km)
    }

    /// Loads the named keymap, or the default with the error when it is broken.
    pub fn load_or_default(
        name: &str,
        actions: &[ActionDef],
        user_dir: Option<PathBuf>,
    ) -> (Self, Option<FileError>) {
        match Self::load(name, actions, user_dir) {
            Ok(k) => (k, None),
            Err(e) => {
                let k = Self::load(DEFAULT, actions, None).unwrap_or_else(|_| Self {
                    name: DEFAULT.into(),
                    keys: HashMap::new(),
                    help: HashMap::new(),
                    map: HashMap::new(),
                    conflicts: Vec::new(),
                });
                (k, Some(e))
            }
        }
    }

    fn build(&mut self) {
        let mut names: Vec<&'static str> = self.keys.keys().copied().collect();
        names.sort_unstable();
        for name in &names {
            let ctx = context_of(name).to_string();
            for chord in &self.keys[name] {
                match self.map.get(&(ctx.clone(), *chord)) {
                    Some(other) => self.conflicts.push(format!(
                        "keymap {}: {chord} is bound to both {other} and {name}",
                        self.name
                    )),
                    None => {
                        self.map.insert((ctx.clone(), *chord), name);
                    }
                }
            }
        }
        // Shadowing: a key in a context that an enclosing context also binds.
        for name in &names {
            let mut ctx = context_of(name);
            for chord in &self.keys[name] {
                while let Some(parent) = parent_context(ctx) {
                    if let Some(other) = self.map.get(&(parent.to_string(), *chord)) {
                        self.conflicts.push(format!(
                            "keymap {}: {chord} for {name} hides {other}",
                            self.name
                        ));
                    }
                    ctx = parent;
                }
                ctx = context_of(name);
            }
        }
    }

    /// The action bound to a chord, searching the given contexts (most specific first), each
    /// context's parents, then `global`.
    pub fn lookup(&self, contexts: &[&str], chord: Chord) -> Option<&'static str> {
        for c in contexts {
            let mut ctx = Some(*c);
            while let Some(x) = ctx {
                if let Some(a) = self.map.get(&(x.to_string(), chord)) {
                    return Some(a);
                }
                ctx = parent_context(x);
            }
        }
        self.map.get(&("global".to_string(), chord)).copied()
    }

    /// The keys bound to an action.
    pub fn keys(&self, action: &str) -> &[Chord] {
        self.keys.get(action).map_or(&[], |v| v.as_slice())
    }

    /// The keys of an action as text (`ctrl+s/F2`), or `-` when unbound.
    pub fn keys_text(&self, action: &str) -> String {
        let k = self.keys(action);
        if k.is_empty() {
            return "-".into();
        }
        k.iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The first key of an action as text (`F11`), or `-` when unbound (for tight places
    /// like the header's view list).
    pub fn first_key_text(&self, action: &str) -> String {
        self.keys(action)
            .first()
            .map_or_else(|| "-".into(), |c| c.to_string())
    }

    /// The description of an action.
    pub fn help(&self, action: &str) -> &str {
        self.help.get(action).map_or("", |s| s.as_str())
    }

    /// The whole keymap as a keymap file: every action of `actions` with its keys and help,
    /// grouped by context (what `octa keys` prints; loading it gives the same bindings).
    pub fn to_toml(&self, actions: &[ActionDef]) -> String {
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = format!(
            "# Every command of octa with its keys in the {} layout (printed by `octa keys`).\nname = {}\n\n[bind]\n",
            self.name,
            quote(&self.name)
        );
        let mut last = "";
        for a in actions {
            let ctx = a.context();
            if ctx != last {
                out.push_str(&format!("\n# {ctx}\n"));
                last = ctx;
            }
            let keys: Vec<String> = self
                .keys(a.name)
                .iter()
                .map(|c| quote(&c.to_string()))
                .collect();
            out.push_str(&format!(
                "{} = {{ keys = [{}], help = {} }}\n",
                quote(a.name),
                keys.join(", "),
                quote(self.help(a.name))
            ));
        }
        out
    }
}

/// The name an action has now: the per-view motions of older keymaps (`pattern.up`,
/// `slots.page_down`, ...) are the shared `nav.*` motions.
fn renamed(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((ctx, verb))
            if ctx != "nav"
                && matches!(
                    verb,
                    "up" | "down" | "left" | "right" | "page_up" | "page_down" | "top" | "bottom"
                ) =>
        {
            format!("nav.{verb}")
        }
        _ => name.to_string(),
    }
}

fn apply(
    sources: &Sources,
    name: &str,
    actions: &[ActionDef],
    keys: &mut HashMap<&'static str, Vec<Chord>>,
    help: &mut HashMap<&'static str, String>,
) -> Result<(), FileError> {
    resolve::<KeymapFile>(sources, name, &mut |l| {
        let _ = l.parsed.name;
        for (action, value) in &l.parsed.bind {
            let line = line_of(l.text, action.span().start);
            let name = renamed(action.get_ref());
            let Some(def) = actions.iter().find(|a| a.name == name) else {
                return Err(FileError {
                    file: l.file.to_string(),
                    line,
                    message: format!("unknown action `{}`", action.get_ref()),
                });
            };
            let (list, h) = match value.get_ref() {
                BindValue::Keys(k) => (k, None),
                BindValue::Full { keys, help } => (keys, help.clone()),
            };
            let mut parsed = Vec::new();
            for k in list {
                parsed.push(Chord::parse(k).map_err(|m| FileError {
                    file: l.file.to_string(),
                    line: line_of(l.text, value.span().start),
                    message: format!("{}: {m}", def.name),
                })?);
            }
            keys.insert(def.name, parsed);
            if let Some(h) = h {
                help.insert(def.name, h);
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::App;
    use crate::ui::action::GLOBAL_ACTIONS;
    use crate::ui::inherit::parse_toml;
    use crate::ui::views::all_views;

    fn actions() -> Vec<ActionDef> {
        App::actions_of(&all_views())
    }

    #[test]
    fn shipped_keymaps_load_without_conflicts() {
        for (name, _) in SHIPPED {
            let k = Keymap::load(name, &actions(), None).unwrap_or_else(|e| panic!("{e}"));
            assert!(k.conflicts.is_empty(), "{name}: {:?}", k.conflicts);
        }
        let t = Keymap::load("tracker", &actions(), None).unwrap();
        let v = Keymap::load("vim", &actions(), None).unwrap();
        let k = |s: &str| Chord::parse(s).unwrap();
        assert_eq!(t.lookup(&["pattern"], k("ctrl+s")), Some("app.save"));
        assert_eq!(t.lookup(&["pattern.note"], k("z")), Some("pattern.note.n0"));
        assert_eq!(
            t.lookup(&["pattern"], k("z")),
            None,
            "notes only in the note column"
        );
        assert_eq!(t.lookup(&["pattern.note"], k("down")), Some("nav.down"));
        assert_eq!(v.lookup(&["pattern"], k("j")), Some("nav.down"));
        assert_eq!(v.lookup(&["pattern.note"], k("c")), Some("pattern.note.n0"));
        assert_eq!(v.lookup(&["pattern"], k("u")), Some("app.undo"));
        assert_eq!(
            v.help("pattern.mark"),
            "Visual: start a selection, or drop it"
        );
    }

    #[test]
    fn nav_keys_reach_the_shared_motions_in_every_view() {
        // Written out here, independently of the tables: the motion keys of each layout.
        let tracker = [
            ("up", "nav.up"),
            ("down", "nav.down"),
            ("left", "nav.left"),
            ("right", "nav.right"),
            ("pageup", "nav.page_up"),
            ("pagedown", "nav.page_down"),
            ("home", "nav.top"),
            ("end", "nav.bottom"),
        ];
        let vim = [
            ("k", "nav.up"),
            ("j", "nav.down"),
            ("h", "nav.left"),
            ("l", "nav.right"),
            ("ctrl+u", "nav.page_up"),
            ("ctrl+d", "nav.page_down"),
            ("K", "nav.top"),
            ("J", "nav.bottom"),
        ];
        let t = Keymap::load("tracker", &actions(), None).unwrap();
        let v = Keymap::load("vim", &actions(), None).unwrap();
        let ctx = crate::ui::Ctx::new(crate::ui::model::Document::new(
            crate::project::Project::new_blank("t"),
        ));
        let views = all_views();
        assert!(views.len() >= 10);
        for view in &views {
            let contexts = view.key_contexts(&ctx);
            for (km, keys) in [(&t, &tracker[..]), (&v, &tracker[..]), (&v, &vim[..])] {
                for (key, want) in keys {
                    let got = km.lookup(&contexts, Chord::parse(key).unwrap());
                    assert_eq!(
                        got,
                        Some(*want),
                        "{} layout, view {}: {key}",
                        km.name,
                        view.info().id
                    );
                }
            }
            // No view keeps motions of its own.
            for a in view.actions() {
                let verb = a.name.rsplit('.').next().unwrap_or("");
                assert!(
                    !matches!(
                        verb,
                        "up" | "down" | "left" | "right" | "page_up" | "page_down"
                    ),
                    "{} duplicates a nav motion",
                    a.name
                );
            }
        }
    }

    #[test]
    fn tracker_file_only_names_the_layout() {
        // The defaults have one source (the command tables): the shipped tracker.toml binds
        // nothing, and the tracker layout is exactly the tables' keys and help texts.
        let f: KeymapFile = parse_toml("tracker", SHIPPED[0].1).unwrap();
        assert_eq!(f.name.as_deref(), Some("tracker"));
        assert!(
            f.bind.is_empty(),
            "tracker.toml binds {} keys",
            f.bind.len()
        );
        let t = Keymap::load("tracker", &actions(), None).unwrap();
        for a in actions() {
            let want: Vec<Chord> = a.keys.iter().map(|k| Chord::parse(k).unwrap()).collect();
            assert_eq!(t.keys(a.name), want.as_slice(), "{}", a.name);
            assert_eq!(t.help(a.name), a.help, "{}", a.name);
        }
    }

    #[test]
    fn printed_keymap_loads_back_to_the_same_bindings() {
        let dir = tempfile::tempdir().unwrap();
        let kd = dir.path().join("keymaps");
        std::fs::create_dir_all(&kd).unwrap();
        for name in ["tracker", "vim"] {
            let k = Keymap::load(name, &actions(), None).unwrap();
            let text = k.to_toml(&actions());
            assert!(
                text.contains(
                    "\"app.save\" = { keys = [\"ctrl+s\"], help = \"Save changed files\" }"
                )
            );
            std::fs::write(kd.join("printed.toml"), &text).unwrap();
            let back = Keymap::load("printed", &actions(), Some(dir.path().into())).unwrap();
            for a in actions() {
                assert_eq!(back.keys(a.name), k.keys(a.name), "{name}: {}", a.name);
                assert_eq!(back.help(a.name), k.help(a.name), "{name}: {}", a.name);
            }
        }
        let v = Keymap::load("vim", &actions(), None)
            .unwrap()
            .to_toml(&actions());
        assert!(
            v.contains("\"nav.down\" = { keys = [\"j\", \"down\"]"),
            "{v}"
        );
    }

    #[test]
    fn every_command_has_a_name_a_help_text_and_a_key_or_is_listed_unbound() {
        // Commands without a default key, on purpose (bound by users or other layouts).
        const UNBOUND: &[&str] = &[];
        let all = actions();
        let mut names = std::collections::BTreeSet::new();
        for a in &all {
            assert!(names.insert(a.name), "{} named twice", a.name);
            assert!(!a.help.trim().is_empty(), "{} has no help", a.name);
            assert!(
                !a.keys.is_empty() || UNBOUND.contains(&a.name),
                "{} has no default key and is not listed as unbound",
                a.name
            );
        }
        // The typed tables: their names are in their context and every key parses.
        use crate::ui::command::{NavCmd, check_table};
        use crate::ui::views::*;
        let tables: [(&str, &[ActionDef]); 13] = [
            ("app", crate::ui::action::GlobalCmd::ACTIONS),
            ("nav", NavCmd::ACTIONS),
            ("pattern", pattern::actions::PatternCmd::ACTIONS),
            ("parts", parts::PartsCmd::ACTIONS),
            ("scenes", scenes::ScenesCmd::ACTIONS),
            ("slots", slots_view::SlotsCmd::ACTIONS),
            ("arranger", arranger::ArrangerCmd::ACTIONS),
            ("settings", settings::SettingsCmd::ACTIONS),
            ("overview", overview::OverviewCmd::ACTIONS),
            ("side", side_view::SideCmd::ACTIONS),
            ("samples", samples_view::SamplesCmd::ACTIONS),
            ("librarian", librarian::LibrarianCmd::ACTIONS),
            ("pool", pool::PoolCmd::ACTIONS),
        ];
        // Every view's table is typed (the audition keys of `app.*` are not in these).
        let typed: usize = tables.iter().map(|(_, t)| t.len()).sum();
        let views: usize = all_views().iter().map(|v| v.actions().len()).sum();
        assert_eq!(typed, views + GLOBAL_ACTIONS.len() + NavCmd::ACTIONS.len());
        for (ctx, table) in tables {
            assert_eq!(check_table(ctx, table), Vec::<String>::new(), "{ctx}");
            for a in table {
                assert!(all.contains(a), "{} is not offered by the app", a.name);
            }
        }
        // Name <-> command, both ways, for commands with arguments too.
        use crate::ui::pattern::actions::PatternCmd;
        assert_eq!(
            PatternCmd::from_name("pattern.note.n13"),
            Some(PatternCmd::Note(13))
        );
        assert_eq!(PatternCmd::Note(28).name(), "pattern.note.n28");
        assert_eq!(
            PatternCmd::Transpose(-12).name(),
            "pattern.transpose_oct_down"
        );
        assert_eq!(PatternCmd::ALL.len(), PatternCmd::ACTIONS.len());
        for c in PatternCmd::ALL {
            assert_eq!(PatternCmd::from_name(c.name()), Some(*c));
        }
    }

    #[test]
    fn user_file_overrides_single_bindings_and_reports_problems() {
        let dir = tempfile::tempdir().unwrap();
        let kd = dir.path().join("keymaps");
        std::fs::create_dir_all(&kd).unwrap();
        std::fs::write(
            kd.join("tracker.toml"),
            "[bind]\n\"app.save\" = [\"F12\"]\n",
        )
        .unwrap();
        let k = Keymap::load("tracker", &actions(), Some(dir.path().into())).unwrap();
        assert_eq!(k.keys_text("app.save"), "F12");
        assert_eq!(k.keys_text("app.quit"), "ctrl+q", "other bindings stay");
        // A conflict is reported, not fatal.
        std::fs::write(
            kd.join("mine.toml"),
            "inherits = \"tracker\"\n[bind]\n\"app.save\" = [\"ctrl+q\"]\n",
        )
        .unwrap();
        let k = Keymap::load("mine", &actions(), Some(dir.path().into())).unwrap();
        assert!(
            k.conflicts
                .iter()
                .any(|c| c.contains("ctrl+q") && c.contains("app.save")),
            "{:?}",
            k.conflicts
        );
        // Unknown action and bad key: file and line.
        std::fs::write(
            kd.join("bad.toml"),
            "[bind]\n\"app.save\" = [\"F2\"]\n\"app.nope\" = [\"x\"]\n",
        )
        .unwrap();
        let e = Keymap::load("bad", &actions(), Some(dir.path().into())).unwrap_err();
        assert!(
            e.file.ends_with("bad.toml") && e.line == 3 && e.message.contains("app.nope"),
            "{e}"
        );
        std::fs::write(
            kd.join("bad2.toml"),
            "\n[bind]\n\"app.save\" = [\"hyper+x\"]\n",
        )
        .unwrap();
        let e = Keymap::load("bad2", &actions(), Some(dir.path().into())).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        // A keymap written for the per-view motions still loads: they are the nav motions.
        std::fs::write(
            kd.join("old.toml"),
            "inherits = \"tracker\"\n[bind]\n\"pattern.down\" = [\"n\", \"down\"]\n",
        )
        .unwrap();
        let k = Keymap::load("old", &actions(), Some(dir.path().into())).unwrap();
        assert_eq!(k.keys_text("nav.down"), "n down");
        let (k, err) = Keymap::load_or_default("bad2", &actions(), Some(dir.path().into()));
        assert!(err.is_some());
        assert_eq!(k.name, "tracker");
    }
}
