//! The `keylint` binary: parse arguments, run, exit with 0 (clean), 1 (findings) or 2 (error).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match keylint::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                keylint::EXIT_ERROR
            } else {
                keylint::EXIT_OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = keylint::run(cli, &mut stdout.lock(), &mut stderr.lock());
    ExitCode::from(code)
}
