//! `octa keys [NAME]`: prints a keymap's whole table (every command with its keys and help) as
//! a keymap file; the built-in command tables are its one source.

use crate::ui::{App, keymap::Keymap, views::all_views};
use clap::Args;
use std::process::ExitCode;

/// Arguments of `octa keys`.
#[derive(Debug, Args)]
pub struct KeysArgs {
    /// Keymap name (`tracker`, `vim`, or a file in the config directory's `keymaps/`).
    #[arg(default_value = crate::ui::keymap::DEFAULT)]
    pub name: String,
}

/// Prints the keymap as TOML; exit 1 when it cannot be loaded.
pub fn keys(a: &KeysArgs) -> ExitCode {
    let actions = App::actions_of(&all_views());
    match Keymap::load(&a.name, &actions, crate::config::config_dir()) {
        Ok(k) => {
            crate::out!("{}", k.to_toml(&actions));
            for c in &k.conflicts {
                crate::errln!("octa keys: {c}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::errln!("octa keys: {e}");
            ExitCode::FAILURE
        }
    }
}
