//! `cargo xtask bench`: the same workloads natively and as wasm in headless Chromium.
//!
//! 1. `cargo bench -p eoslab-core --bench scans`, whose stdout has one JSON object per workload,
//!    e.g. `{"name":"bifurcation_scan_2000x1256","median_ms":4.2,"samples":15}`;
//! 2. bench/browser.mjs (node + playwright-core + Debian Chromium) against the static server:
//!    each workload through `bench(name, reps)` of the wasm module on bench/bench.html, with as
//!    many repetitions as the native run took samples, the time from navigation to the first
//!    drawn plot of www/index.html, and the two scan workloads run by the pages themselves in
//!    their Web Workers (www/basin.html, www/bifurcation.html): time to the whole scan and to its
//!    first drawn chunk;
//! 3. the size of pkg/eoslab_web_bg.wasm, raw and gzip -9;
//! 4. bench/numpy_reference.py, a vectorised NumPy version of the two scan workloads
//!    (`bifurcation_scan_2000x1256`, `basin_f1_512x512_1000`) and of the 10⁴-parameter MLP's
//!    gradient and Hessian-vector product (`mlp_10k_gradient`, `mlp_10k_hvp`, through OpenBLAS on
//!    one thread: `OPENBLAS_NUM_THREADS=1`), when python3 is there; numpy is installed with
//!    `pip install --user numpy==NUMPY_VERSION` if it is missing.
//!
//! The `*_all_cores` workloads are native only (rayon): they are not sent to the browser.
//!
//! The report (a markdown table of native, wasm and NumPy medians with the wasm/native ratio and
//! native's speed-up over NumPy, then the sizes and the time to first plot) is printed and
//! written to target/bench/latest.md. Benchmarks measure; nothing here fails on speed. The
//! command fails only when a part could not be measured (a missing python3 is only noted).

use crate::{process, serve, setup, stamp, wasm_build};
use flate2::{write::GzEncoder, Compression};
use serde_json::Value;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const REPORT: &str = "target/bench/latest.md";
/// The numpy the NumPy reference is installed at when missing.
const NUMPY_VERSION: &str = "2.2.6";
/// Suffix of the native-only workloads.
const ALL_CORES: &str = "_all_cores";

/// One workload's timing.
#[derive(Debug, Clone, PartialEq)]
struct Measurement {
    name: String,
    median_ms: f64,
    samples: u64,
}

/// Everything one bench run found; `problems` lists what could not be measured.
#[derive(Default)]
struct Results {
    native: Vec<Measurement>,
    wasm: Vec<Measurement>,
    numpy: Vec<Measurement>,
    numpy_version: Option<String>,
    notes: Vec<String>,
    wasm_bytes: Option<(u64, u64)>,
    first_plot: Option<Measurement>,
    worker_scans: Vec<WorkerScan>,
    chromium: Option<String>,
    problems: Vec<String>,
}

/// A scan run by a page in its Web Workers: medians over re-scans of the loaded page, and the
/// first scan of the page (its workers still starting).
#[derive(Debug, Clone, PartialEq)]
struct WorkerScan {
    name: String,
    workers: u64,
    total_ms: f64,
    first_ms: f64,
    cold_total_ms: f64,
    cold_first_ms: f64,
    samples: u64,
}

impl WorkerScan {
    /// From `{"name","workers","median_ms","first_ms","cold_ms","cold_first_ms","samples"}`.
    fn from_line(value: &Value) -> Option<Self> {
        Some(WorkerScan {
            name: value["name"].as_str()?.to_string(),
            workers: value["workers"].as_u64()?,
            total_ms: value["median_ms"].as_f64()?,
            first_ms: value["first_ms"].as_f64()?,
            cold_total_ms: value["cold_ms"].as_f64()?,
            cold_first_ms: value["cold_first_ms"].as_f64()?,
            samples: value["samples"].as_u64()?,
        })
    }
}

pub fn run(root: &Path) -> Result<(), String> {
    setup::run(root, setup::Browser::Install)?;
    if !stamp::is_fresh(root)? {
        println!("eoslab bench: pkg/ is stale, building it so the browser runs the current code");
        wasm_build::build(root)?;
    }
    let mut results = Results::default();

    println!("\n==> eoslab bench: native workloads");
    let (lines, outcome) = json_lines(process::cargo(root).args(["bench", "-p", "eoslab-core", "--bench", "scans"]));
    results.problems.extend(outcome.err());
    results.native = lines.iter().filter_map(measurement).collect();

    println!("\n==> eoslab bench: wasm size");
    match wasm_sizes(root) {
        Ok(sizes) => results.wasm_bytes = Some(sizes),
        Err(error) => results.problems.push(error),
    }

    println!("\n==> eoslab bench: wasm workloads and time to first plot in headless Chromium");
    browser(root, &mut results);

    println!("\n==> eoslab bench: the NumPy reference (bench/numpy_reference.py)");
    numpy(root, &mut results);

    let report = report(&results, process::probe(process::command(root, "git").args(["rev-parse", "--short", "HEAD"])));
    println!("\n{report}");
    let path = root.join(REPORT);
    fs::create_dir_all(path.parent().expect("the report is in a folder"))
        .and_then(|()| fs::write(&path, &report))
        .map_err(|error| format!("cannot write {REPORT}: {error}"))?;
    println!("eoslab bench: wrote {REPORT}");
    if results.problems.is_empty() {
        Ok(())
    } else {
        Err(format!("eoslab bench: not everything could be measured:\n  {}", results.problems.join("\n  ")))
    }
}

/// Runs bench/browser.mjs against a background server and files what it prints.
fn browser(root: &Path, results: &mut Results) {
    let server = match serve::Server::start(root, 0, serve::Log::Quiet) {
        Ok(server) => server,
        Err(error) => return results.problems.push(error),
    };
    let workloads: Vec<Value> = results
        .native
        .iter()
        .filter(|native| !native.name.ends_with(ALL_CORES))
        .map(|native| serde_json::json!({ "name": native.name, "reps": native.samples }))
        .collect();
    let (lines, outcome) = json_lines(
        process::command(root, "node")
            .arg("bench/browser.mjs")
            .env("EOSLAB_BASE_URL", server.url())
            .env("EOSLAB_CHROMIUM", setup::CHROMIUM)
            .env("EOSLAB_BENCH_WORKLOADS", Value::Array(workloads).to_string()),
    );
    for line in &lines {
        match line["kind"].as_str() {
            Some("workload") => results.wasm.extend(measurement(line)),
            Some("first_plot") => results.first_plot = measurement(line),
            Some("worker_scan") => results.worker_scans.extend(WorkerScan::from_line(line)),
            Some("browser") => results.chromium = line["version"].as_str().map(str::to_string),
            Some("error") => results.problems.push(format!("browser: {}: {}", line["what"], line["message"])),
            _ => {}
        }
    }
    results.problems.extend(outcome.err());
    if results.native.is_empty() {
        results.problems.push("no native workloads, so no wasm workloads were run either".into());
    }
}

/// Runs bench/numpy_reference.py when python3 is there, installing numpy first if needed.
fn numpy(root: &Path, results: &mut Results) {
    let has_numpy = |root: &Path| process::probe(process::command(root, "python3").args(["-c", "import numpy; print(numpy.__version__)"]));
    if process::probe(process::command(root, "python3").arg("--version")).is_none() {
        results.notes.push("NumPy reference not run: no python3 on PATH".into());
        return;
    }
    if has_numpy(root).is_none() {
        let pin = format!("numpy=={NUMPY_VERSION}");
        println!("eoslab bench: numpy is missing; installing {pin} for this user");
        if let Err(error) = process::run(process::command(root, "python3").args(["-m", "pip", "install", "--user", "--quiet", &pin])) {
            results.notes.push(format!("NumPy reference not run: could not install {pin}: {error}"));
            return;
        }
    }
    results.numpy_version = has_numpy(root);
    let (lines, outcome) = json_lines(
        process::command(root, "python3")
            .args(["bench/numpy_reference.py", "--reps", "5"])
            .env("OPENBLAS_NUM_THREADS", "1")
            .env("OMP_NUM_THREADS", "1"),
    );
    results.numpy = lines.iter().filter_map(measurement).collect();
    results.problems.extend(outcome.err());
}

/// Runs `command` with stderr inherited and stdout echoed line by line, returning the lines that
/// are JSON objects and whether the command succeeded.
fn json_lines(command: &mut Command) -> (Vec<Value>, Result<(), String>) {
    println!("$ {}", process::describe(command));
    let mut child = match command.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(error) => return (Vec::new(), Err(process::start_error(command, &error))),
    };
    let mut values = Vec::new();
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        println!("{line}");
        if line.trim_start().starts_with('{') {
            match serde_json::from_str(&line) {
                Ok(value) => values.push(value),
                Err(error) => eprintln!("eoslab bench: ignoring a line that is not JSON ({error})"),
            }
        }
    }
    let outcome = match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{}` failed ({status})", process::describe(command))),
        Err(error) => Err(format!("`{}`: {error}", process::describe(command))),
    };
    (values, outcome)
}

/// A measurement from `{"name":…,"median_ms":…,"samples":…}`.
fn measurement(value: &Value) -> Option<Measurement> {
    Some(Measurement {
        name: value["name"].as_str()?.to_string(),
        median_ms: value["median_ms"].as_f64()?,
        samples: value["samples"].as_u64()?,
    })
}

/// The optimised module's size in bytes, raw and gzip -9.
fn wasm_sizes(root: &Path) -> Result<(u64, u64), String> {
    let wasm = fs::read(root.join(wasm_build::PKG_WASM)).map_err(|error| format!("cannot read {}: {error}", wasm_build::PKG_WASM))?;
    let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
    let gzipped = gzip.write_all(&wasm).and_then(|()| gzip.finish()).map_err(|error| format!("cannot gzip: {error}"))?;
    println!("{}: {} bytes, {} gzipped", wasm_build::PKG_WASM, wasm.len(), gzipped.len());
    Ok((wasm.len() as u64, gzipped.len() as u64))
}

/// The markdown report.
fn report(results: &Results, commit: Option<String>) -> String {
    let mut text = String::from("# eoslab benchmarks\n\n");
    text += &format!(
        "Written by `cargo xtask bench` at commit `{}`, Chromium {}. Medians in milliseconds; the wasm column runs the same \
         core workloads through `bench(name, reps)` of pkg/eoslab_web.js on bench/bench.html.\n\n",
        commit.as_deref().unwrap_or("unknown"),
        results.chromium.as_deref().unwrap_or("unknown"),
    );
    text += "| name | native median ms | wasm median ms | ratio wasm/native | NumPy median ms | native speed-up over NumPy |\n\
             | --- | ---: | ---: | ---: | ---: | ---: |\n";
    let mut names: Vec<&str> = results.native.iter().map(|m| m.name.as_str()).collect();
    for extra in results.wasm.iter().chain(&results.numpy) {
        if !names.contains(&extra.name.as_str()) {
            names.push(&extra.name);
        }
    }
    let median = |list: &[Measurement], name: &str| list.iter().find(|m| m.name == name).map(|m| m.median_ms);
    for name in names {
        let native = median(&results.native, name);
        let wasm = median(&results.wasm, name);
        let numpy = median(&results.numpy, name);
        let ratio = |slow: Option<f64>, fast: Option<f64>| match (slow, fast) {
            (Some(slow), Some(fast)) if fast > 0.0 => format!("{:.2}", slow / fast),
            _ => "–".into(),
        };
        text += &format!(
            "| {name} | {} | {} | {} | {} | {} |\n",
            milliseconds(native),
            milliseconds(wasm),
            ratio(wasm, native),
            milliseconds(numpy),
            ratio(numpy, native)
        );
    }
    if let Some(version) = &results.numpy_version {
        text += &format!(
            "\nNumPy {version}: bench/numpy_reference.py, the same scans vectorised over η columns and grid points (median of 5 runs), \
             and the 10⁴-parameter MLP's gradient and HVP through OpenBLAS on one thread (median of 21).\n"
        );
    }
    text += "\n| measure | value |\n| --- | ---: |\n";
    let (raw, gzip) = match results.wasm_bytes {
        Some((raw, gzip)) => (format!("{raw} bytes"), format!("{gzip} bytes")),
        None => ("–".into(), "–".into()),
    };
    text += &format!("| {} | {raw} |\n| {}, gzip -9 | {gzip} |\n", wasm_build::PKG_WASM, wasm_build::PKG_WASM);
    match &results.first_plot {
        Some(first) => {
            text += &format!(
                "| www/index.html, navigation to first plot (median of {} loads) | {} ms |\n",
                first.samples,
                milliseconds(Some(first.median_ms))
            )
        }
        None => text += "| www/index.html, navigation to first plot | – |\n",
    }
    if !results.worker_scans.is_empty() {
        text += "\nScans run by the pages in their Web Workers (time from the scan's start to its end and to its \
                 first drawn chunk; median of re-scans of the loaded page, then the page's first scan from navigation start):\n\n\
                 | scan | workers | total ms | first drawn ms | first scan: total ms | first scan: first drawn ms |\n\
                 | --- | ---: | ---: | ---: | ---: | ---: |\n";
        for w in &results.worker_scans {
            text += &format!(
                "| {} (median of {}) | {} | {} | {} | {} | {} |\n",
                w.name,
                w.samples,
                w.workers,
                milliseconds(Some(w.total_ms)),
                milliseconds(Some(w.first_ms)),
                milliseconds(Some(w.cold_total_ms)),
                milliseconds(Some(w.cold_first_ms))
            );
        }
    }
    for note in &results.notes {
        text += &format!("\n{note}\n");
    }
    if !results.problems.is_empty() {
        text += "\nNot measured:\n";
        for problem in &results.problems {
            text += &format!("- {}\n", problem.lines().next().unwrap_or_default());
        }
    }
    text
}

fn milliseconds(value: Option<f64>) -> String {
    match value {
        Some(ms) if ms < 10.0 => format!("{ms:.3}"),
        Some(ms) => format!("{ms:.1}"),
        None => "–".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(name: &str, median_ms: f64) -> Measurement {
        Measurement { name: name.into(), median_ms, samples: 15 }
    }

    #[test]
    fn reads_the_native_bench_line_format() {
        let line = serde_json::from_str(r#"{"name":"bifurcation_scan_2000x1256","median_ms":4.2,"samples":15}"#).unwrap();
        assert_eq!(measurement(&line), Some(m("bifurcation_scan_2000x1256", 4.2)));
        assert_eq!(measurement(&serde_json::json!({ "name": "x" })), None);
    }

    #[test]
    fn the_report_pairs_workloads_by_name_and_gives_the_ratio() {
        let results = Results {
            native: vec![m("scan", 4.0), m("native_only", 20.0)],
            wasm: vec![m("scan", 10.0), m("wasm_only", 1.0)],
            numpy: vec![m("scan", 100.0)],
            numpy_version: Some("2.2.6".into()),
            notes: Vec::new(),
            wasm_bytes: Some((123_000, 45_000)),
            first_plot: Some(Measurement { name: "first_plot".into(), median_ms: 312.4, samples: 5 }),
            worker_scans: WorkerScan::from_line(&serde_json::json!({"name": "basin_workers", "workers": 2,
                "median_ms": 812.4, "first_ms": 31.5, "cold_ms": 1200.0, "cold_first_ms": 240.0, "samples": 5}))
            .into_iter()
            .collect(),
            chromium: Some("156.0".into()),
            problems: vec!["browser: oops".into()],
        };
        let report = report(&results, Some("abc1234".into()));
        assert!(report.contains("| scan | 4.000 | 10.0 | 2.50 | 100.0 | 25.00 |"), "{report}");
        assert!(report.contains("| native_only | 20.0 | – | – | – | – |"), "{report}");
        assert!(report.contains("| wasm_only | – | 1.000 | – | – | – |"), "{report}");
        assert!(report.contains("NumPy 2.2.6"), "{report}");
        assert!(report.contains("| pkg/eoslab_web_bg.wasm, gzip -9 | 45000 bytes |"), "{report}");
        assert!(report.contains("(median of 5 loads) | 312.4 ms |"), "{report}");
        assert!(report.contains("- browser: oops"), "{report}");
        assert!(report.contains("| basin_workers (median of 5) | 2 | 812.4 | 31.5 | 1200.0 | 240.0 |"), "{report}");
    }
}
