//! The one-file ES module pkg/eoslab.js: the wasm-bindgen glue with the optimised wasm inlined.
//!
//! pkg/eoslab.js is pkg/eoslab_web.js (wasm-bindgen's `--target web` glue, with all its exports)
//! followed by pkg/eoslab_web_bg.wasm as base64, decoded with `atob` (in browsers and node alike)
//! and passed to the glue's init as `{ module_or_path: bytes }` under top-level `await`. Because
//! init gets the bytes, the glue's `import.meta.url` fallback is never reached, so
//! `import * as eoslab from './pkg/eoslab.js'` works from a static server, from file://, from a
//! blob: URL (as notebook widget frameworks load modules) and in node. pkg/eoslab.d.ts is the
//! glue's declarations, which describe the same exports.
//!
//! This file is one of pkg/STAMP's inputs: changing the generated text makes pkg/ stale.

use crate::{process, wasm_build};
use base64::Engine;
use std::fs;
use std::path::Path;

/// The one-file module and its declarations, relative to the repository root.
pub const SINGLE_MODULE: &str = "pkg/eoslab.js";
const SINGLE_MODULE_TYPES: &str = "pkg/eoslab.d.ts";

/// The split output of wasm-bindgen that the one-file module is made from.
const GLUE: &str = "pkg/eoslab_web.js";
const GLUE_TYPES: &str = "pkg/eoslab_web.d.ts";

/// Writes pkg/eoslab.js and pkg/eoslab.d.ts from the glue and the optimised wasm.
pub fn write_single_module(root: &Path) -> Result<(), String> {
    let glue = read_text(root, GLUE)?;
    let wasm = fs::read(root.join(wasm_build::PKG_WASM))
        .map_err(|error| format!("cannot read {}: {error}", wasm_build::PKG_WASM))?;
    write_text(root, SINGLE_MODULE, &single_module_source(&glue, &wasm)?)?;
    let types = read_text(root, GLUE_TYPES)?;
    write_text(
        root,
        SINGLE_MODULE_TYPES,
        &format!("// Declarations for {SINGLE_MODULE}: the same exports as {GLUE}.\n{types}"),
    )
}

/// The glue's one `throw` of a message from wasm-bindgen itself (a method re-entered while it
/// runs: "recursive use of an object"), and what it becomes: an `Error` with a `field`, like
/// every other error of the module, naming `this`, the object the method was called on.
const GLUE_THROW: &str = "throw new Error(getStringFromWasm0(arg0, arg1));";
const GLUE_THROW_NAMED: &str =
    "throw Object.assign(new Error(getStringFromWasm0(arg0, arg1)), { field: 'this' });";

/// How a method of a class passes its object to wasm, and how it does after [`guard_glue`]: a
/// freed object (pointer 0) is refused in JS. Left to wasm-bindgen's check inside wasm, each such
/// call throws through the export's frame and leaks its stack (about 200,000 calls after
/// `free()` broke the module).
const METHOD_POINTER: &str = "(this.__wbg_ptr";
const METHOD_POINTER_GUARDED: &str = "(__eoslab_live(this)";
/// `free()` takes the pointer, then frees it; a second `free()` does nothing.
const FREE_POINTER: &str = "const ptr = this.__destroy_into_raw();";
const FREE_POINTER_GUARDED: &str = "const ptr = this.__destroy_into_raw();\n        if (ptr === 0) return;";
const LIVE: &str = "
/** The object's pointer into wasm; a freed object is refused with an Error naming `this`. */
function __eoslab_live(object) {
    if (object.__wbg_ptr === 0) {
        throw Object.assign(new Error('this object was freed (free() was called) and cannot be used'), { field: 'this' });
    }
    return object.__wbg_ptr;
}
";

/// Rewrites pkg/eoslab_web.js so that wasm-bindgen's own failures are `Error`s with a `field`
/// thrown before wasm is entered (see [`METHOD_POINTER`], [`GLUE_THROW`]).
pub fn guard_glue(root: &Path) -> Result<(), String> {
    let glue = read_text(root, GLUE)?;
    write_text(root, GLUE, &guarded_glue(&glue)?)
}

fn guarded_glue(glue: &str) -> Result<String, String> {
    let count = |pattern: &str| glue.matches(pattern).count();
    let expected = |pattern: &str, what: &str| {
        format!("{GLUE} has {} copies of `{pattern}` ({what}): this wasm-bindgen's glue is not what the build expects", count(pattern))
    };
    if count(GLUE_THROW) != 1 {
        return Err(expected(GLUE_THROW, "expected 1"));
    }
    if count(METHOD_POINTER) == 0 || count(FREE_POINTER) == 0 {
        return Err(expected(METHOD_POINTER, "methods") + &expected(FREE_POINTER, "free()"));
    }
    let glue = glue
        .replace(GLUE_THROW, GLUE_THROW_NAMED)
        .replace(METHOD_POINTER, METHOD_POINTER_GUARDED)
        .replace(FREE_POINTER, FREE_POINTER_GUARDED);
    Ok(glue + LIVE)
}

/// Imports pkg/eoslab.js in node from a `data:` URL, where no file beside it can be fetched, and
/// lists its exports; fails if the module does not load there.
pub fn check_loads_in_node(root: &Path) -> Result<(), String> {
    const SCRIPT: &str = r#"
import { readFileSync } from 'node:fs';
const source = readFileSync(process.env.EOSLAB_SINGLE_MODULE);
const module = await import('data:text/javascript;base64,' + source.toString('base64'));
if (typeof module.default !== 'function') throw new Error('no default export (the wasm-bindgen init)');
console.log(`pkg/eoslab.js loads in node from a data: URL; exports: ${Object.keys(module).join(', ')}`);
"#;
    process::run(
        process::command(root, "node")
            .args(["--input-type=module", "-e", SCRIPT])
            .env("EOSLAB_SINGLE_MODULE", root.join(SINGLE_MODULE)),
    )
    .map_err(|error| {
        format!("{error}\n{SINGLE_MODULE} does not load in node: crate/web must not touch the DOM when the module starts (#[wasm_bindgen(start)])")
    })
}

/// The text of the one-file module.
fn single_module_source(glue: &str, wasm: &[u8]) -> Result<String, String> {
    if let Some(import) = glue
        .lines()
        .find(|line| line.trim_start().starts_with("import "))
    {
        return Err(format!(
            "{GLUE} imports another file (`{}`), so it cannot be inlined into one module: \
             crate/web must not use JS snippets (#[wasm_bindgen(module = ...)] or inline_js)",
            import.trim()
        ));
    }
    if !glue.contains("async function __wbg_init(") {
        return Err(format!(
            "{GLUE} has no `async function __wbg_init(`: this wasm-bindgen's `--target web` glue is not what the inliner expects"
        ));
    }
    // The glue names its own declarations for Deno and TypeScript; the one-file module has its own.
    let glue = glue.replace(
        "@ts-self-types=\"./eoslab_web.d.ts\"",
        "@ts-self-types=\"./eoslab.d.ts\"",
    );
    let base64 = base64::engine::general_purpose::STANDARD.encode(wasm);
    Ok(format!(
        "// {SINGLE_MODULE}: eoslab's WebAssembly module as a single ES module, generated by `cargo xtask build`.
// It is {GLUE} (the wasm-bindgen glue) with {} inlined as base64 and initialised on import,
// so it loads from a static server, from file://, from a blob: URL and in node:
//     import * as eoslab from './pkg/eoslab.js';
// Do not edit: change crate/web and run `cargo xtask build`.

{glue}
const __eoslab_wasm_base64 = \"{base64}\";

function __eoslab_decode_base64(text) {{
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
}}

await __wbg_init({{ module_or_path: __eoslab_decode_base64(__eoslab_wasm_base64) }});
",
        wasm_build::PKG_WASM
    ))
}

fn read_text(root: &Path, path: &str) -> Result<String, String> {
    fs::read_to_string(root.join(path)).map_err(|error| format!("cannot read {path}: {error}"))
}

fn write_text(root: &Path, path: &str, text: &str) -> Result<(), String> {
    fs::write(root.join(path), text).map_err(|error| format!("cannot write {path}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::{guarded_glue, single_module_source};

    #[test]
    fn freed_objects_and_the_glue_throw_are_errors_with_a_field() {
        let glue = "free() {\n        const ptr = this.__destroy_into_raw();\n        wasm.__wbg_plot_free(ptr, 0);\n    }\n\
                    counts() {\n        const ret = wasm.plot_counts(this.__wbg_ptr);\n    }\n\
                    f: function(arg0, arg1) {\n    throw new Error(getStringFromWasm0(arg0, arg1));\n},";
        let guarded = guarded_glue(glue).unwrap();
        assert!(guarded.contains("wasm.plot_counts(__eoslab_live(this));"), "{guarded}");
        assert!(guarded.contains("if (ptr === 0) return;\n        wasm.__wbg_plot_free(ptr, 0);"), "{guarded}");
        assert!(guarded.contains("{ field: 'this' }") && !guarded.contains("throw new Error("), "{guarded}");
        assert!(guarded.contains("function __eoslab_live(object)"));
        assert!(guarded_glue("no throw here").unwrap_err().contains("0 copies"));
    }

    const GLUE: &str = "let wasm;\nasync function __wbg_init(module_or_path) {}\nexport { __wbg_init as default };\n";

    #[test]
    fn the_module_keeps_the_glue_and_initialises_from_inlined_bytes() {
        let source = single_module_source(GLUE, &[0, 97, 115, 109]).unwrap();
        assert!(source.contains(GLUE));
        assert!(source.contains("const __eoslab_wasm_base64 = \"AGFzbQ==\";"));
        assert!(source.trim_end().ends_with(
            "await __wbg_init({ module_or_path: __eoslab_decode_base64(__eoslab_wasm_base64) });"
        ));
    }

    #[test]
    fn the_module_points_typescript_at_its_own_declarations() {
        let glue = format!("/* @ts-self-types=\"./eoslab_web.d.ts\" */\n{GLUE}");
        let source = single_module_source(&glue, &[]).unwrap();
        assert!(
            source.contains("/* @ts-self-types=\"./eoslab.d.ts\" */"),
            "{source}"
        );
    }

    #[test]
    fn glue_that_imports_snippets_is_refused() {
        let glue = format!("import * as snippet from './snippets/x/inline0.js';\n{GLUE}");
        let error = single_module_source(&glue, &[]).unwrap_err();
        assert!(error.contains("snippets"), "{error}");
    }

    #[test]
    fn glue_without_an_init_function_is_refused() {
        assert!(single_module_source("export const x = 1;\n", &[]).is_err());
    }
}
