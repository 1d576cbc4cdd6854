//! Starting the tools the xtask drives.
//!
//! Every child runs in the repository root with a PATH that puts `node_modules/.bin` first (so
//! `wasm-opt` is binaryen from npm, never Debian's older one, which writes broken modules) and
//! cargo's bin directory next (where `cargo install` puts wasm-bindgen and its test runner).

use std::env;
use std::ffi::{OsStr, OsString};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A command for `program` in the repository root, with the tool PATH.
pub fn command(root: &Path, program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root).env("PATH", tool_path(root));
    command
}

/// A command for the cargo that runs this xtask (`$CARGO`), falling back to `cargo` on PATH.
pub fn cargo(root: &Path) -> Command {
    command(root, env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` (relative to the root) or `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Runs `command` with inherited stdio, echoing it first; fails if it cannot start or exits
/// non-zero.
pub fn run(command: &mut Command) -> Result<(), String> {
    println!("$ {}", describe(command));
    let status = command.status().map_err(|error| start_error(command, &error))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Runs `command` quietly and returns its trimmed stdout, or `None` if the program is not on
/// PATH or exits non-zero (used to ask tools for their version).
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// The program and its arguments, as a person would type them (a multi-line script argument
/// shows as `<script>`).
pub fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .map(|part| if part.contains('\n') { "<script>".into() } else { part.into_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why `command` could not start, saying so plainly when the program is missing.
pub fn start_error(command: &Command, error: &std::io::Error) -> String {
    let program = command.get_program().to_string_lossy();
    if error.kind() == ErrorKind::NotFound {
        format!("`{program}` was not found on PATH; `cargo xtask setup --browser` installs or names every tool the xtask needs")
    } else {
        format!("could not start `{}`: {error}", describe(command))
    }
}

/// `<root>/node_modules/.bin`, cargo's bin directory, then the inherited PATH.
fn tool_path(root: &Path) -> OsString {
    let mut dirs = vec![root.join("node_modules").join(".bin")];
    dirs.extend(cargo_bin_dir());
    dirs.extend(env::var_os("PATH").iter().flat_map(env::split_paths));
    env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// Where `cargo install` puts binaries: `$CARGO_HOME/bin`, else `~/.cargo/bin`.
fn cargo_bin_dir() -> Option<PathBuf> {
    let home =
        env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    Some(home.join("bin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_path_puts_node_modules_bin_first() {
        let root = Path::new("/some/repo");
        let first = env::split_paths(&tool_path(root)).next();
        assert_eq!(first, Some(root.join("node_modules/.bin")));
    }

    #[test]
    fn describe_joins_program_and_arguments() {
        let mut command = Command::new("wasm-opt");
        command.args(["-Oz", "in.wasm"]);
        assert_eq!(describe(&command), "wasm-opt -Oz in.wasm");
        let mut node = Command::new("node");
        node.args(["-e", "one();\ntwo();"]);
        assert_eq!(describe(&node), "node -e <script>");
    }
}
