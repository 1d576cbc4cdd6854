//! Reading pinned versions back from Cargo.lock.
//!
//! The wasm-bindgen crate and wasm-bindgen-cli must be the same version; the root Cargo.toml pins
//! the crate and the xtask installs the CLI at the version the lockfile resolved.

use std::fs;
use std::path::Path;

/// The one locked version of the `wasm-bindgen` crate.
pub fn wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.lock");
    let lock = fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error} (any cargo command in the workspace writes it)", path.display()))?;
    match package_versions(&lock, "wasm-bindgen").as_slice() {
        [version] => Ok(version.clone()),
        [] => Err("Cargo.lock has no `wasm-bindgen` package: crate/web should depend on the workspace's pinned wasm-bindgen".into()),
        versions => Err(format!(
            "Cargo.lock has several `wasm-bindgen` versions ({}): the CLI can match only one; pin one in the root Cargo.toml",
            versions.join(", ")
        )),
    }
}

/// Every version of package `name` in the text of a Cargo.lock (its `[[package]]` tables).
fn package_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut current_name = None;
    let mut current_version = None;
    for line in lock.lines().map(str::trim).chain(["[[package]]"]) {
        if line.starts_with('[') {
            if current_name.as_deref() == Some(name) {
                versions.extend(current_version.take());
            }
            current_name = None;
            current_version = None;
        } else if let Some(value) = string_value(line, "name") {
            current_name = Some(value);
        } else if let Some(value) = string_value(line, "version") {
            current_version = Some(value);
        }
    }
    versions
}

/// The value of a `key = "value"` line.
fn string_value(line: &str, key: &str) -> Option<String> {
    let value = line.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
    Some(value.strip_prefix('"')?.strip_suffix('"')?.to_string())
}

#[cfg(test)]
mod tests {
    use super::package_versions;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-test"
version = "0.3.80"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen",
]

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "xtask"
version = "0.1.0"
"#;

    #[test]
    fn finds_the_version_of_a_named_package() {
        assert_eq!(package_versions(LOCK, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(package_versions(LOCK, "wasm-bindgen-test"), ["0.3.80"]);
        assert_eq!(package_versions(LOCK, "xtask"), ["0.1.0"]);
    }

    #[test]
    fn ignores_the_lockfile_format_version_and_absent_packages() {
        assert!(package_versions(LOCK, "serde").is_empty());
        assert!(package_versions("version = 4\n", "wasm-bindgen").is_empty());
    }

    #[test]
    fn lists_every_version_of_a_duplicated_package() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert_eq!(package_versions(&lock, "wasm-bindgen"), ["0.2.130", "0.2.99"]);
    }
}
