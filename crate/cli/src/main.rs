//! `eoslab`: runs a figure spec natively and prints the result as JSON — the same `run(spec)` the
//! site calls through WebAssembly, so a figure's numbers can be checked outside the browser. Scans
//! (bifurcation, basin, sweep) run on every core (`run_parallel`), with the same numbers.
//!
//! Usage: `eoslab run [FILE|-] [--pretty]` (the spec is read from FILE, or stdin for `-` or no
//! FILE). The spec and result fields are documented in docs/spec.md.
//!
//! `eoslab figure [FILE|-] [--panel P]... -o OUT.svg|OUT.png [--width W] [--height H] [--dark]`
//! runs the spec and draws its panels (the kind's natural ones unless named) with the page's own
//! drawing code (eoslab-figure), one under the other, to an SVG or PNG file: a figure for a paper
//! needs no browser.

use std::io::{Read, Write};
use std::process::ExitCode;

mod figure;

pub(crate) const USAGE: &str = "usage: eoslab run [FILE|-] [--pretty]
       eoslab figure [FILE|-] [--panel P]... -o OUT.svg|OUT.png [--width W] [--height H] [--dark]
       eoslab objectives [--pretty]
  run: reads a figure spec (JSON) from FILE or standard input, runs it, prints the result as JSON.
  figure: runs the spec and draws its panels (the kind's natural panels unless --panel names
  them, each W × H pixels, default 640 × 400, stacked) to an SVG or PNG file, as the page draws
  them; a PNG's text needs DejaVu Sans (fonts-dejavu-core) or a .ttf named in EOSLAB_FONT.
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
    if args.first().map(String::as_str) == Some("figure") {
        return figure::command(&args[1..]);
    }
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
    to_json(&run(rest.first().map(|s| s.as_str()))?, pretty)
}

/// Reads the spec from the file `path` (stdin for `-` or none) and runs it on every core.
fn run(path: Option<&str>) -> Result<eoslab_core::Output, String> {
    let text = match path {
        None | Some("-") => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map_err(|e| format!("reading stdin: {e}"))?;
            s
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?,
    };
    let spec = eoslab_core::parse_json(&text).map_err(|e| e.to_string())?;
    eoslab_core::run_parallel(&spec).map_err(|e| e.to_string())
}

/// JSON text of a result, compact or indented.
fn to_json<T: serde::Serialize>(value: &T, pretty: bool) -> Result<String, String> {
    let json = if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    json.map_err(|e| format!("serialising the result: {e}"))
}
