//! Keeps ALSA's own error text off the terminal.
//!
//! ALSA's library prints its errors to stderr (`ALSA lib confmisc.c:855:(parse_card) cannot find
//! card '0'` on a machine without a sound card), under whatever is on the screen. octa reports
//! every failure itself (`no sound card`, `MIDI unavailable`), so ALSA's handler is replaced by
//! one that drops the text.

/// Installs the silent ALSA error handler (once; a no-op off Linux).
#[allow(
    unsafe_code,
    reason = "ALSA's error handler is set through its C API; the one transmute is explained at the call"
)]
pub fn silence_alsa() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use std::ffi::{c_char, c_int};
            /// Receives ALSA's error reports and drops them. ALSA declares the handler
            /// variadic; this one reads only the fixed arguments (it reads none at all), which
            /// the C calling conventions on Linux allow.
            unsafe extern "C" fn drop_error(
                _file: *const c_char,
                _line: c_int,
                _function: *const c_char,
                _err: c_int,
                _fmt: *const c_char,
            ) {
            }
            type Fixed =
                unsafe extern "C" fn(*const c_char, c_int, *const c_char, c_int, *const c_char);
            // SAFETY: the handler takes the fixed arguments of `snd_lib_error_handler_t` and
            // never touches the variable ones; ALSA keeps the pointer for the process's life
            // (a plain function).
            unsafe {
                let handler = std::mem::transmute::<
                    Fixed,
                    unsafe extern "C" fn(
                        *const c_char,
                        c_int,
                        *const c_char,
                        c_int,
                        *const c_char,
                        ...
                    ),
                >(drop_error);
                alsa_sys::snd_lib_error_set_handler(Some(handler));
            }
        });
    }
}
