//! Installing or checking the toolchain, idempotently and quickly when everything is present.
//!
//! - the `wasm32-unknown-unknown` rustup target, and the rustfmt and clippy components (the test
//!   command's lint steps);
//! - wasm-bindgen-cli (also the source of `wasm-bindgen-test-runner`) at exactly the version of
//!   the `wasm-bindgen` crate in Cargo.lock, installed with `cargo install` WITHOUT `--locked`
//!   (its own lockfile pins a yanked crate);
//! - the npm devDependencies (binaryen's `wasm-opt`, playwright-core) by `npm ci` from the
//!   committed package-lock.json, redone whenever that lockfile's hash differs from the one
//!   recorded in `node_modules/.eoslab-lock-hash`; then `wasm-opt --version` must be binaryen's
//!   [`wasm_build::WASM_OPT_VERSION`] (Debian's binaryen 108 silently writes broken modules);
//! - for the browser tests and benches, Debian's `chromium` and `chromium-driver` by apt-get.

use crate::{cargo_lock, process, wasm_build};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

/// Where Debian's packages put Chromium and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const NPM_LOCK_HASH: &str = "node_modules/.eoslab-lock-hash";
const APT_INSTALL: &str = "apt-get update && apt-get install -y chromium chromium-driver";

/// Whether setup also provides Chromium and chromedriver.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Skip,
    Install,
}

/// Installs whatever is missing and checks the rest, printing one line per tool.
pub fn run(root: &Path, browser: Browser) -> Result<(), String> {
    wasm_target(root)?;
    lint_components(root)?;
    wasm_bindgen_cli(root)?;
    npm_dev_dependencies(root)?;
    wasm_opt(root)?;
    if browser == Browser::Install {
        chromium(root)?;
    }
    Ok(())
}

fn wasm_target(root: &Path) -> Result<(), String> {
    let installed = process::probe(process::command(root, "rustup").args(["target", "list", "--installed"]))
        .ok_or("`rustup target list --installed` failed: install Rust with rustup (https://rustup.rs)")?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("setup: rust target {WASM_TARGET}: installed");
        return Ok(());
    }
    println!("setup: rust target {WASM_TARGET}: adding");
    process::run(process::command(root, "rustup").args(["target", "add", WASM_TARGET]))
}

/// The rustup components the lint steps of `cargo xtask test` run.
const LINT_COMPONENTS: [&str; 2] = ["rustfmt", "clippy"];

fn lint_components(root: &Path) -> Result<(), String> {
    let installed = process::probe(process::command(root, "rustup").args(["component", "list", "--installed"]))
        .ok_or("`rustup component list --installed` failed: install Rust with rustup (https://rustup.rs)")?;
    // Lines read "clippy-x86_64-unknown-linux-gnu".
    let missing: Vec<&str> = LINT_COMPONENTS
        .into_iter()
        .filter(|c| !installed.lines().any(|line| line.trim().strip_prefix(c).is_some_and(|rest| rest.starts_with('-'))))
        .collect();
    if missing.is_empty() {
        println!("setup: rust components {}: installed", LINT_COMPONENTS.join(", "));
        return Ok(());
    }
    println!("setup: rust components {}: adding", missing.join(", "));
    process::run(process::command(root, "rustup").args(["component", "add"]).args(&missing))
}

fn wasm_bindgen_cli(root: &Path) -> Result<(), String> {
    let wanted = cargo_lock::wasm_bindgen_version(root)?;
    let installed = installed_wasm_bindgen(root);
    if installed.as_deref() == Some(wanted.as_str()) {
        println!("setup: wasm-bindgen-cli {wanted}: installed");
        return Ok(());
    }
    match installed {
        Some(other) => println!("setup: wasm-bindgen-cli is {other}, Cargo.lock has {wanted}: installing {wanted} (takes minutes)"),
        None => println!("setup: wasm-bindgen-cli {wanted}: installing (takes minutes the first time)"),
    }
    process::run(process::cargo(root).args(["install", "wasm-bindgen-cli", "--version", &wanted]))?;
    match installed_wasm_bindgen(root) {
        Some(version) if version == wanted => Ok(()),
        found => Err(format!(
            "after `cargo install wasm-bindgen-cli --version {wanted}`, `wasm-bindgen --version` reports {found:?}: \
             is another wasm-bindgen earlier on PATH than cargo's bin directory?"
        )),
    }
}

/// The version `wasm-bindgen --version` reports ("wasm-bindgen 0.2.130" gives "0.2.130").
fn installed_wasm_bindgen(root: &Path) -> Option<String> {
    let output = process::probe(process::command(root, "wasm-bindgen").arg("--version"))?;
    output.split_whitespace().nth(1).map(str::to_string)
}

fn npm_dev_dependencies(root: &Path) -> Result<(), String> {
    let lock_path = root.join("package-lock.json");
    let lock = fs::read(&lock_path).map_err(|error| format!("cannot read {}: {error}", lock_path.display()))?;
    let lock_hash = format!("{:x}\n", Sha256::digest(&lock));
    let recorded = fs::read_to_string(root.join(NPM_LOCK_HASH)).ok();
    if recorded.as_deref() == Some(lock_hash.as_str()) {
        println!("setup: npm devDependencies (node_modules): match package-lock.json");
        return Ok(());
    }
    println!("setup: npm devDependencies: node_modules missing or older than package-lock.json, running npm ci");
    process::run(process::command(root, "npm").args(["ci", "--no-audit", "--no-fund"]))
        .map_err(|error| format!("{error}\n`npm ci` needs Node.js 20 or later with npm (Debian: apt-get install -y nodejs npm)"))?;
    fs::write(root.join(NPM_LOCK_HASH), lock_hash).map_err(|error| format!("cannot write {NPM_LOCK_HASH}: {error}"))
}

fn wasm_opt(root: &Path) -> Result<(), String> {
    let wanted = wasm_build::WASM_OPT_VERSION;
    let version = process::probe(process::command(root, "wasm-opt").arg("--version"));
    // binaryen prints "wasm-opt version 132 (version_132)".
    let major = version.as_deref().and_then(|text| text.split_whitespace().nth(2));
    if major == Some(wanted) {
        println!("setup: wasm-opt {wanted} (npm binaryen, node_modules/.bin): found");
        return Ok(());
    }
    Err(format!(
        "wasm-opt must be binaryen {wanted} from npm (node_modules/.bin/wasm-opt, put first on PATH), but `wasm-opt --version` gave {version:?}.\n\
         Run `npm ci` in {} (package.json pins binaryen {wanted}); never use Debian's binaryen, which writes broken modules.",
        root.display()
    ))
}

fn chromium(root: &Path) -> Result<(), String> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER].into_iter().filter(|path| !Path::new(path).exists()).collect();
    if missing.is_empty() {
        println!("setup: {CHROMIUM} and {CHROMEDRIVER}: installed");
        return Ok(());
    }
    let missing = missing.join(" and ");
    let uid = process::probe(process::command(root, "id").arg("-u"));
    if uid.as_deref() != Some("0") {
        return Err(format!("{missing} missing: as root, run\n    {APT_INSTALL}"));
    }
    println!("setup: {missing} missing: installing Debian's chromium and chromium-driver");
    process::run(process::command(root, "apt-get").arg("update"))?;
    process::run(
        process::command(root, "apt-get").args(["install", "-y", "chromium", "chromium-driver"]).env("DEBIAN_FRONTEND", "noninteractive"),
    )
}
