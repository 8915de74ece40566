//! The `octa` binary: hands over to the command line front end.

fn main() -> std::process::ExitCode {
    octa::memory::keep_freed_memory();
    octa::audio::quiet::silence_alsa();
    octa::cli::main()
}
