//! `cargo xtask test`: everything CI runs (`.ci/run` calls it).
//!
//! After setup (including Chromium and chromedriver) it runs every step, continuing past
//! failures, prints a summary of each step's outcome and fails if any step failed:
//! 1. the Rust formatting: `cargo fmt --all --check` (rustfmt.toml);
//! 2. the Rust lints: `cargo clippy --workspace --all-targets -- -D warnings` (the lints are set
//!    once, in the workspace's `[workspace.lints]`);
//! 3. the JS lints: ESLint (eslint.config.mjs, pinned in package-lock.json) on www/, tests/ and
//!    bench/;
//! 4. pkg/ is fresh ([`stamp::check`]);
//! 5. `cargo test --workspace`, natively (with the doctests: the spec examples in doc comments
//!    parse and run);
//! 6. `cargo test -p eoslab-web --target wasm32-unknown-unknown`: wasm-bindgen-test files without
//!    `wasm_bindgen_test_configure!(run_in_browser)` run in node, files with it in headless
//!    Chromium through chromedriver;
//! 7. the browser end-to-end tests: `node --test` on tests/e2e/**/*.test.mjs, one file at a time,
//!    against the site served by [`serve::Server`] (`EOSLAB_BASE_URL`, the server of `cargo xtask
//!    serve`), saving screenshots in target/e2e-screenshots (`EOSLAB_SCREENSHOT_DIR`).

use crate::{process, serve, setup, stamp};
use std::fs;
use std::path::{Path, PathBuf};

/// One step: what it checks, and how.
type Step = (&'static str, fn(&Path) -> Result<(), String>);

const E2E_DIR: &str = "tests/e2e";
const E2E_SUFFIX: &str = ".test.mjs";

/// Runs the steps and the summary; fails if setup or any step failed.
pub fn run(root: &Path) -> Result<(), String> {
    setup::run(root, setup::Browser::Install)?;
    let steps: [Step; 7] = [
        ("Rust formatting (cargo fmt --all --check)", rust_format),
        ("Rust lints (cargo clippy --workspace --all-targets -- -D warnings)", rust_lints),
        ("JS lints (eslint www tests bench)", js_lints),
        ("pkg/ is fresh (cargo xtask check-pkg)", stamp::check),
        ("native tests (cargo test --workspace)", native_tests),
        ("wasm tests in node and Chromium (cargo test -p eoslab-web --target wasm32-unknown-unknown)", wasm_tests),
        ("browser end-to-end tests (node --test tests/e2e)", e2e_tests),
    ];
    let count = steps.len();
    let mut outcomes = Vec::new();
    for (number, (name, step)) in steps.into_iter().enumerate() {
        println!("\n==> eoslab test step {}/{count}: {name}", number + 1);
        let outcome = step(root);
        if let Err(error) = &outcome {
            eprintln!("==> step failed: {error}");
        }
        outcomes.push((name, outcome));
    }

    println!("\n==> eoslab test summary");
    for (name, outcome) in &outcomes {
        match outcome {
            Ok(()) => println!("    pass  {name}"),
            Err(error) => println!("    FAIL  {name}: {}", error.lines().next().unwrap_or_default()),
        }
    }
    let failed: Vec<&str> = outcomes.iter().filter(|(_, outcome)| outcome.is_err()).map(|(name, _)| *name).collect();
    if failed.is_empty() {
        println!("==> eoslab test: all {count} steps passed");
        Ok(())
    } else {
        Err(format!("==> eoslab test: {} of {count} steps FAILED: {}", failed.len(), failed.join("; ")))
    }
}

fn rust_format(root: &Path) -> Result<(), String> {
    process::run(process::cargo(root).args(["fmt", "--all", "--check"]))
}

fn rust_lints(root: &Path) -> Result<(), String> {
    process::run(process::cargo(root).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
}

/// The JS linter, from node_modules (installed by setup from package-lock.json).
fn js_lints(root: &Path) -> Result<(), String> {
    process::run(process::command(root, "eslint").args(JS_LINTED))
}

/// The folders the JS linter checks (eslint.config.mjs says how).
const JS_LINTED: [&str; 3] = ["www", "tests", "bench"];

fn native_tests(root: &Path) -> Result<(), String> {
    process::run(process::cargo(root).args(["test", "--workspace"]))
}

fn wasm_tests(root: &Path) -> Result<(), String> {
    process::run(
        process::cargo(root)
            .args(["test", "-p", "eoslab-web", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", setup::CHROMEDRIVER),
    )
}

fn e2e_tests(root: &Path) -> Result<(), String> {
    let files = e2e_files(root)?;
    if files.is_empty() {
        return Err(format!("{E2E_DIR} has no *{E2E_SUFFIX} files: the browser end-to-end tests are missing"));
    }
    let screenshots = root.join("target/e2e-screenshots");
    fs::create_dir_all(&screenshots).map_err(|error| format!("cannot create {}: {error}", screenshots.display()))?;
    // The pages come from the same server `cargo xtask serve` runs.
    let server = serve::Server::start(root, 0, serve::Log::Quiet)?;
    process::run(
        process::command(root, "node")
            // One test file at a time: each launches its own Chromium.
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .args(&files)
            .env("EOSLAB_BASE_URL", server.url())
            .env("EOSLAB_SCREENSHOT_DIR", &screenshots),
    )
}

/// The end-to-end test files, relative to the root, sorted.
fn e2e_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let dir = root.join(E2E_DIR);
    if dir.is_dir() {
        collect_test_files(&dir, &mut files)?;
    }
    let mut relative: Vec<PathBuf> = files.iter().filter_map(|file| file.strip_prefix(root).ok()).map(Path::to_path_buf).collect();
    relative.sort();
    Ok(relative)
}

fn collect_test_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|error| format!("cannot list {}: {error}", dir.display()))?.path();
        let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        if path.is_dir() && name != "node_modules" && !name.starts_with('.') {
            collect_test_files(&path, files)?;
        } else if name.ends_with(E2E_SUFFIX) {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_test_modules_recursively_and_nothing_else() {
        let root = std::env::temp_dir().join(format!("eoslab-xtask-e2e-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        assert!(e2e_files(&root).unwrap().is_empty(), "no tests/e2e at all");
        for path in ["b.test.mjs", "a.test.mjs", "helpers.mjs", "pages/c.test.mjs", "node_modules/x.test.mjs"] {
            let path = root.join(E2E_DIR).join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        let found = e2e_files(&root).unwrap();
        fs::remove_dir_all(&root).unwrap();
        let wanted: Vec<PathBuf> =
            ["a.test.mjs", "b.test.mjs", "pages/c.test.mjs"].iter().map(|name| Path::new(E2E_DIR).join(name)).collect();
        assert_eq!(found, wanted);
    }
}
