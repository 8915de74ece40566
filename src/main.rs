//! The `octa` binary: hands over to the command line front end.

fn main() -> std::process::ExitCode {
    octa::cli::main()
}
