//! The Rhai sandbox every script of octa runs in (librarian adaptations and project scripts):
//! no modules, no `eval`, no output, and limits on operations, call depth, strings, arrays,
//! maps and expression depth. Each kind of script chooses its own [`Limits`].

use rhai::Engine;

/// The limits of one kind of script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Operations before a run is stopped.
    pub operations: u64,
    /// Nested function calls.
    pub call_levels: usize,
    /// Bytes of one string.
    pub string: usize,
    /// Items of one array.
    pub array: usize,
}

/// A fresh engine with the sandbox and `limits`, nothing registered; `print` and `debug`
/// output goes nowhere until a caller sets its own handler.
pub fn engine(limits: Limits) -> Engine {
    let mut e = Engine::new();
    e.set_max_operations(limits.operations)
        .set_max_call_levels(limits.call_levels)
        .set_max_string_size(limits.string)
        .set_max_array_size(limits.array)
        .set_max_map_size(1024)
        .set_max_expr_depths(64, 32)
        .set_max_modules(0)
        .set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new());
    e.disable_symbol("eval");
    e.on_print(|_| {});
    e.on_debug(|_, _, _| {});
    e
}
