//! `cargo xtask <command>`: eoslab's build, serve, test and bench orchestration.
//!
//! Every command finds the repository root from this package's manifest directory, installs or
//! checks the tools it needs (see [`setup`]) and drives cargo, wasm-bindgen, wasm-opt, node and
//! Chromium with their output streamed to the terminal.

mod bench;
mod cargo_lock;
mod inline;
mod process;
mod serve;
mod setup;
mod stamp;
mod test;
mod wasm_build;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup [--browser]             install or check the toolchain (wasm32 target, wasm-bindgen-cli,
                                npm devDependencies; with --browser also Chromium and chromedriver)
  build                         build the web crate to wasm and write pkg/ (split files, the one-file
                                module pkg/eoslab.js and pkg/STAMP)
  check-pkg                     fail if pkg/ was not built from the current sources
  serve [--port N] [--no-build] build, then serve the repository on http://127.0.0.1:N/ (default 8000,
                                0 picks a free port) until Ctrl-C
  test                          everything CI runs: check-pkg, native tests, wasm tests in node and
                                Chromium, browser end-to-end tests; prints a summary
  bench                         native and in-browser benchmarks, wasm size, time to first plot;
                                writes target/bench/latest.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&repo_root(), &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this package's directory (`xtask/`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ has a parent directory").to_path_buf()
}

fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let Some((command, options)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(());
    };
    match command.as_str() {
        "setup" => {
            let browser = match options {
                [] => setup::Browser::Skip,
                [flag] if flag == "--browser" => setup::Browser::Install,
                _ => return Err(usage_error(command, options)),
            };
            setup::run(root, browser)
        }
        "build" => {
            no_options(command, options)?;
            setup::run(root, setup::Browser::Skip)?;
            wasm_build::build(root)
        }
        "check-pkg" => {
            no_options(command, options)?;
            stamp::check(root)?;
            println!("pkg/ is up to date");
            Ok(())
        }
        "serve" => {
            let (port, build) = serve_options(options).ok_or_else(|| usage_error(command, options))?;
            if build {
                setup::run(root, setup::Browser::Skip)?;
                wasm_build::build(root)?;
            }
            let server = serve::Server::start(root, port, serve::Log::Requests)?;
            println!("eoslab: serving {}/", server.url());
            server.wait();
            Ok(())
        }
        "test" => {
            no_options(command, options)?;
            test::run(root)
        }
        "bench" => {
            no_options(command, options)?;
            bench::run(root)
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command `{command}`\n\n{USAGE}")),
    }
}

/// Parses `[--port N] [--no-build]`; `None` on anything else.
fn serve_options(options: &[String]) -> Option<(u16, bool)> {
    let mut port = 8000;
    let mut build = true;
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        match option.as_str() {
            "--port" => port = rest.next()?.parse().ok()?,
            "--no-build" => build = false,
            _ => return None,
        }
    }
    Some((port, build))
}

fn no_options(command: &str, options: &[String]) -> Result<(), String> {
    if options.is_empty() {
        Ok(())
    } else {
        Err(usage_error(command, options))
    }
}

fn usage_error(command: &str, options: &[String]) -> String {
    format!("cargo xtask {command}: unexpected arguments {options:?}\n\n{USAGE}")
}

#[cfg(test)]
mod tests {
    use super::serve_options;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn serve_options_default_to_port_8000_with_a_build() {
        assert_eq!(serve_options(&[]), Some((8000, true)));
    }

    #[test]
    fn serve_options_read_port_and_no_build() {
        assert_eq!(serve_options(&strings(&["--port", "0", "--no-build"])), Some((0, false)));
        assert_eq!(serve_options(&strings(&["--no-build", "--port", "9001"])), Some((9001, false)));
    }

    #[test]
    fn serve_options_reject_unknown_or_incomplete_options() {
        assert_eq!(serve_options(&strings(&["--port"])), None);
        assert_eq!(serve_options(&strings(&["--port", "http"])), None);
        assert_eq!(serve_options(&strings(&["--verbose"])), None);
    }
}
