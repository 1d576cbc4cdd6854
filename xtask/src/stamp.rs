//! pkg/STAMP: which sources the committed pkg/ was built from.
//!
//! The stamp is a SHA-256 over the build's inputs: every file under crate/ (except `target`
//! directories and dot-files such as editor swap files), the root Cargo.toml, Cargo.lock,
//! .cargo/config.toml (it holds the wasm target's codegen flags), the xtask modules that generate
//! pkg/, and the wasm-bindgen version. Paths are relative, use `/`,
//! and are sorted; only bytes are hashed, never mtimes, so every machine computes the same stamp
//! for the same checkout.

use crate::cargo_lock;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

/// Where the stamp lives, relative to the repository root.
const STAMP: &str = "pkg/STAMP";

/// Hashed directories (walked) and files, relative to the repository root.
const INPUT_DIRS: [&str; 1] = ["crate"];
const INPUT_FILES: [&str; 5] = ["Cargo.toml", "Cargo.lock", ".cargo/config.toml", "xtask/src/wasm_build.rs", "xtask/src/inline.rs"];

/// The message `cargo xtask check-pkg` fails with.
const STALE: &str = "pkg/ is stale: run cargo xtask build";

/// Writes pkg/STAMP for the current inputs.
pub fn write(root: &Path) -> Result<(), String> {
    let text = format!(
        "# Hash of the sources pkg/ was built from: written by `cargo xtask build`, checked by `cargo xtask check-pkg`.\n\
         inputs-sha256 {}\n",
        input_hash(root)?
    );
    fs::write(root.join(STAMP), text).map_err(|error| format!("cannot write {STAMP}: {error}"))
}

/// Fails with "pkg/ is stale: run cargo xtask build" unless pkg/STAMP matches the inputs.
pub fn check(root: &Path) -> Result<(), String> {
    if is_fresh(root)? {
        Ok(())
    } else {
        Err(STALE.into())
    }
}

/// Whether pkg/STAMP exists and matches the current inputs.
pub fn is_fresh(root: &Path) -> Result<bool, String> {
    let Ok(text) = fs::read_to_string(root.join(STAMP)) else {
        return Ok(false);
    };
    let recorded = text.lines().find_map(|line| line.strip_prefix("inputs-sha256 "));
    Ok(recorded == Some(input_hash(root)?.as_str()))
}

/// The hex SHA-256 of the inputs.
fn input_hash(root: &Path) -> Result<String, String> {
    let mut paths: Vec<String> = INPUT_FILES.iter().map(|path| path.to_string()).collect();
    for dir in INPUT_DIRS {
        walk(root, dir, &mut paths)?;
    }
    paths.sort();
    let mut hasher = Sha256::new();
    hasher.update(b"eoslab pkg inputs v1\n");
    for path in &paths {
        let bytes = fs::read(root.join(path)).map_err(|error| format!("cannot read {path} to stamp pkg/: {error}"))?;
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    hasher.update(b"wasm-bindgen\0");
    hasher.update(cargo_lock::wasm_bindgen_version(root)?.as_bytes());
    Ok(format!("{:x}", hasher.finalize()))
}

/// Appends the files under `dir` (relative to `root`, `/`-separated), skipping `target`
/// directories and dot-files.
fn walk(root: &Path, dir: &str, paths: &mut Vec<String>) -> Result<(), String> {
    let entries = fs::read_dir(root.join(dir)).map_err(|error| format!("cannot list {dir}: {error}"))?;
    for entry in entries {
        let entry = entry.map_err(|error| format!("cannot list {dir}: {error}"))?;
        let name = entry.file_name();
        let name = name.to_str().ok_or_else(|| format!("{dir} holds a file whose name is not UTF-8: {name:?}"))?;
        if name.starts_with('.') {
            continue;
        }
        let path = format!("{dir}/{name}");
        let kind = entry.file_type().map_err(|error| format!("cannot stat {path}: {error}"))?;
        if kind.is_dir() {
            if name != "target" {
                walk(root, &path, paths)?;
            }
        } else {
            paths.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A throwaway repository with the stamp's inputs, removed on drop.
    struct FakeRepo(PathBuf);

    impl FakeRepo {
        fn new(name: &str) -> FakeRepo {
            let root = std::env::temp_dir().join(format!("eoslab-xtask-stamp-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&root);
            for (path, text) in [
                ("Cargo.toml", "[workspace]\n"),
                ("Cargo.lock", "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n"),
                ("xtask/src/wasm_build.rs", "// build\n"),
                ("xtask/src/inline.rs", "// inline\n"),
                (".cargo/config.toml", "[alias]\n"),
                ("crate/core/src/lib.rs", "pub fn f() {}\n"),
                ("crate/web/Cargo.toml", "[package]\n"),
                ("pkg/.keep", ""),
            ] {
                let path = root.join(path);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, text).unwrap();
            }
            FakeRepo(root)
        }

        fn write(&self, path: &str, text: &str) {
            let path = self.0.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
    }

    impl Drop for FakeRepo {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_written_stamp_is_fresh_until_a_source_changes() {
        let repo = FakeRepo::new("fresh");
        assert!(!is_fresh(&repo.0).unwrap(), "no stamp yet");
        write(&repo.0).unwrap();
        assert!(check(&repo.0).is_ok());
        repo.write("crate/core/src/lib.rs", "pub fn g() {}\n");
        assert_eq!(check(&repo.0), Err(STALE.to_string()));
    }

    #[test]
    fn target_directories_dot_files_and_other_folders_are_not_inputs() {
        let repo = FakeRepo::new("ignored");
        let before = input_hash(&repo.0).unwrap();
        repo.write("crate/web/target/debug/out.wasm", "binary");
        repo.write("crate/core/src/.lib.rs.swp", "swap");
        repo.write("www/index.html", "<!doctype html>");
        assert_eq!(input_hash(&repo.0).unwrap(), before);
    }

    #[test]
    fn lockfile_generator_and_new_files_are_inputs() {
        let repo = FakeRepo::new("inputs");
        let mut seen = vec![input_hash(&repo.0).unwrap()];
        for (path, text) in [
            ("Cargo.lock", "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.131\"\n"),
            ("xtask/src/inline.rs", "// inline, changed\n"),
            (".cargo/config.toml", "[target.wasm32-unknown-unknown]\n"),
            ("crate/cli/src/main.rs", "fn main() {}\n"),
        ] {
            repo.write(path, text);
            let hash = input_hash(&repo.0).unwrap();
            assert!(!seen.contains(&hash), "changing {path} changes the hash");
            seen.push(hash);
        }
    }

    #[test]
    fn the_hash_does_not_depend_on_where_the_repository_is() {
        let (a, b) = (FakeRepo::new("here"), FakeRepo::new("there"));
        assert_eq!(input_hash(&a.0).unwrap(), input_hash(&b.0).unwrap());
    }
}
