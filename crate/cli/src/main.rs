//! `eoslab`: runs a figure spec natively and prints the result as JSON — the same `run(spec)` the
//! site calls through WebAssembly, so a figure's numbers can be checked outside the browser. Scans
//! (bifurcation, basin, sweep) run on every core (`run_parallel`), with the same numbers.
//!
//! Usage: `eoslab run [FILE|-] [--pretty]` (the spec is read from FILE, or stdin for `-` or no
//! FILE). The spec and result fields are documented in docs/spec.md.

use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: eoslab run [FILE|-] [--pretty]
       eoslab objectives [--pretty]
  run: reads a figure spec (JSON) from FILE or standard input, runs it, prints the result as JSON.
  objectives: prints every objective's schema (name, group, description, citation, parameters
  with type, default and range) as JSON.
  Spec and result fields: docs/spec.md. Example:
    echo '{\"kind\":\"trajectory\",\"eta\":1.1,\"x0\":[0.5]}' | eoslab run";

fn main() -> ExitCode {
    match cli(std::env::args().skip(1).collect()) {
        // A reader that closes the pipe early (`| head`) is not an error of ours.
        Ok(out) => match writeln!(std::io::stdout().lock(), "{out}") {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("eoslab: writing the result: {e}");
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("eoslab: {message}");
            ExitCode::from(2)
        }
    }
}

fn cli(args: Vec<String>) -> Result<String, String> {
    let (flags, positional): (Vec<&String>, Vec<&String>) = args.iter().partition(|a| a.starts_with("--"));
    let pretty = flags.iter().any(|f| *f == "--pretty");
    if let Some(bad) = flags.iter().find(|f| **f != "--pretty") {
        return Err(if *bad == "--help" { USAGE.into() } else { format!("unknown flag {bad}\n{USAGE}") });
    }
    let (command, rest) = positional.split_first().ok_or_else(|| USAGE.to_string())?;
    match (command.as_str(), rest.len()) {
        ("objectives", 0) => return to_json(&eoslab_core::objective::schemas(), pretty),
        ("run", 0 | 1) => {}
        _ => return Err(format!("unknown command or arguments: {args:?}\n{USAGE}")),
    }
    let text = match rest.first().map(|s| s.as_str()) {
        None | Some("-") => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map_err(|e| format!("reading stdin: {e}"))?;
            s
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?,
    };
    let spec = eoslab_core::parse_json(&text).map_err(|e| e.to_string())?;
    let output = eoslab_core::run_parallel(&spec).map_err(|e| e.to_string())?;
    to_json(&output, pretty)
}

/// JSON text of a result, compact or indented.
fn to_json<T: serde::Serialize>(value: &T, pretty: bool) -> Result<String, String> {
    let json = if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    json.map_err(|e| format!("serialising the result: {e}"))
}
