//! `cargo xtask fuzz [--cases N] [--seed S]`: the fuzz run of tests/fuzz/run.mjs against the
//! one-file module pkg/eoslab.js (the regression cases, then N generated cases of seed S,
//! each in a fresh node process with a time and memory limit); its report is written to
//! target/fuzz/latest.json. `cargo xtask test` runs a short fixed-seed run ([`SHORT`]); the
//! numbers of the last long run are in FUZZING.md.

use crate::process;
use std::fs;
use std::path::Path;

/// The run `cargo xtask test` makes: fixed seed, a couple of minutes on two cores.
pub const SHORT: Options = Options { cases: 150, seed: 1 };

/// How many generated cases, from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub cases: u64,
    pub seed: u64,
}

/// Parses `[--cases N] [--seed S]` (defaults: 1000 cases, seed 1); `None` on anything else.
pub fn options(args: &[String]) -> Option<Options> {
    let mut options = Options { cases: 1000, seed: 1 };
    let mut rest = args.iter();
    while let Some(option) = rest.next() {
        let value = rest.next()?.parse().ok()?;
        match option.as_str() {
            "--cases" => options.cases = value,
            "--seed" => options.seed = value,
            _ => return None,
        }
    }
    Some(options)
}

/// Runs the fuzz cases against pkg/eoslab.js; fails if any case failed.
pub fn run(root: &Path, options: Options) -> Result<(), String> {
    let report = root.join("target/fuzz/latest.json");
    fs::create_dir_all(report.parent().unwrap_or(root)).map_err(|error| format!("cannot create target/fuzz: {error}"))?;
    process::run(
        process::command(root, "node")
            .arg("tests/fuzz/run.mjs")
            .args(["--cases", &options.cases.to_string(), "--seed", &options.seed.to_string()])
            .arg("--report")
            .arg(&report),
    )
}

/// The short run of `cargo xtask test`.
pub fn short(root: &Path) -> Result<(), String> {
    run(root, SHORT)
}

#[cfg(test)]
mod tests {
    use super::{options, Options};

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn fuzz_options_read_cases_and_seed() {
        assert_eq!(options(&[]), Some(Options { cases: 1000, seed: 1 }));
        assert_eq!(options(&strings(&["--cases", "5000", "--seed", "7"])), Some(Options { cases: 5000, seed: 7 }));
        assert_eq!(options(&strings(&["--seed", "3"])), Some(Options { cases: 1000, seed: 3 }));
        assert_eq!(options(&strings(&["--cases"])), None);
        assert_eq!(options(&strings(&["--cases", "-1"])), None);
        assert_eq!(options(&strings(&["--jobs", "2"])), None);
    }
}
