//! The wasm pipeline behind `cargo xtask build`.
//!
//! 1. `cargo build --profile wasm-release --target wasm32-unknown-unknown -p eoslab-web` (the
//!    release profile at opt-level "z" except the numerics, see the root Cargo.toml);
//! 2. `wasm-bindgen --target web` into pkg/ (eoslab_web.js, eoslab_web_bg.wasm, .d.ts files);
//! 3. `wasm-opt -Oz` on pkg/eoslab_web_bg.wasm in place, with the wasm features rustc emits;
//! 4. the glue guarded (freed objects refused in JS, its own errors given a `field`), and the
//!    one-file module pkg/eoslab.js ([`inline`]), checked by importing it in node;
//! 5. pkg/STAMP ([`stamp`]).
//!
//! This file is one of the stamp's inputs: changing a flag here makes pkg/ stale.

use crate::{classic, inline, process, stamp};
use std::fs;
use std::path::Path;

/// The binaryen release whose `wasm-opt` the build uses (npm `binaryen`, pinned in package.json).
pub const WASM_OPT_VERSION: &str = "132";

/// The cargo profile of the wasm build (root Cargo.toml).
const WASM_PROFILE: &str = "wasm-release";

/// The web crate's package name, and the file stem wasm-bindgen writes.
const WEB_PACKAGE: &str = "eoslab-web";
const WEB_LIB: &str = "eoslab_web";

/// The optimised module wasm-bindgen wrote, relative to the repository root.
pub const PKG_WASM: &str = "pkg/eoslab_web_bg.wasm";

/// The features of the `generic` wasm32 CPU that rustc 1.95 (LLVM 20+) compiles for, plus the
/// 128-bit SIMD that .cargo/config.toml enables; wasm-opt must be told, or it rejects (or, for
/// older binaryen, miscompiles) the module.
const WASM_FEATURES: [&str; 9] = [
    "--enable-simd",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

/// Builds pkg/ from the sources; expects [`crate::setup::run`] to have run.
pub fn build(root: &Path) -> Result<(), String> {
    process::run(process::cargo(root).args(["build", "--profile", WASM_PROFILE, "--target", "wasm32-unknown-unknown", "-p", WEB_PACKAGE]))?;

    let cargo_wasm = process::target_dir(root).join(format!("wasm32-unknown-unknown/{WASM_PROFILE}/{WEB_LIB}.wasm"));
    process::run(
        process::command(root, "wasm-bindgen").args(["--target", "web", "--out-dir", "pkg", "--out-name", WEB_LIB]).arg(&cargo_wasm),
    )?;
    let bindgen_size = file_size(root, PKG_WASM)?;

    process::run(process::command(root, "wasm-opt").arg("-Oz").args(WASM_FEATURES).args([PKG_WASM, "-o", PKG_WASM]))?;

    inline::guard_glue(root)?;
    inline::write_single_module(root)?;
    classic::write(root)?;
    inline::check_loads_in_node(root)?;
    crate::python::write_widget_module(root)?;
    stamp::write(root)?;
    println!(
        "eoslab: pkg/ written: {PKG_WASM} {} bytes after wasm-bindgen, {} after wasm-opt -Oz; {} bytes in {}; pkg/STAMP",
        bindgen_size,
        file_size(root, PKG_WASM)?,
        file_size(root, inline::SINGLE_MODULE)?,
        inline::SINGLE_MODULE,
    );
    Ok(())
}

fn file_size(root: &Path, path: &str) -> Result<u64, String> {
    fs::metadata(root.join(path)).map(|meta| meta.len()).map_err(|error| format!("cannot stat {path}: {error}"))
}
