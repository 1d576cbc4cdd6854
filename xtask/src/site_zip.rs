//! `cargo xtask site-zip [--out FILE]`: the static site as one zip (default
//! target/eoslab-site.zip) that works after unzipping, from file://, with nothing installed.
//!
//! The zip holds `eoslab-site/START.html` (links to the site and the exercises), `www/` and the
//! built `pkg/` files. Before writing it checks that pkg/ is fresh (so pkg/eoslab.classic.js, the
//! core the exercise pages load as a classic script from file://, exists and matches the sources)
//! and that www/exercises/exercises.js was bundled from the current exercise files. Entries are
//! sorted and dated 1980-01-01, so the same checkout gives the same bytes. The writer is the plain
//! zip format (PKWARE APPNOTE 6.3, §4.3: local headers, central directory, end record) with
//! deflate from flate2, no zip64: the site is a few megabytes.

use crate::{classic, inline, process, stamp};
use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The zip written when no `--out` is given, relative to the root.
const DEFAULT_OUT: &str = "target/eoslab-site.zip";
/// The folder every entry sits in.
const FOLDER: &str = "eoslab-site";

/// The built files of pkg/ the pages load.
const PKG_FILES: [&str; 4] = [inline::SINGLE_MODULE, classic::CLASSIC_SCRIPT, "pkg/eoslab_web.js", "pkg/eoslab_web_bg.wasm"];

const START_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>eoslab</title></head>
<body style="font: 18px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>eoslab: gradient descent at large learning rates</h1>
<ul>
<li><a href="www/exercises/index.html">Exercises</a> (work opened from this folder, with no server)</li>
<li><a href="www/exercises/teacher.html">Exercises: the teacher's view</a></li>
<li><a href="www/index.html">The interactive site</a> (its tool pages need a static server, e.g. <code>python3 -m http.server</code> in this folder)</li>
</ul>
</body>
</html>
"#;

/// Parses `[--out FILE]` and writes the zip.
pub fn run(root: &Path, options: &[String]) -> Result<(), String> {
    let out = match options {
        [] => root.join(DEFAULT_OUT),
        [flag, file] if flag == "--out" => PathBuf::from(file),
        _ => return Err("usage: cargo xtask site-zip [--out FILE]".into()),
    };
    stamp::check(root)?;
    process::run(process::command(root, "node").args(["www/exercises/bundle.mjs", "--check"]))?;
    let mut files = Vec::new();
    collect(root, &root.join("www"), &mut files)?;
    files.extend(PKG_FILES.iter().map(PathBuf::from));
    files.sort();
    let mut entries = vec![(format!("{FOLDER}/START.html"), START_PAGE.as_bytes().to_vec())];
    for file in &files {
        let bytes = fs::read(root.join(file)).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        let name = file.to_string_lossy().replace('\\', "/");
        entries.push((format!("{FOLDER}/{name}"), bytes));
    }
    let zip = zip_bytes(&entries)?;
    if let Some(dir) = out.parent() {
        fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    fs::write(&out, &zip).map_err(|error| format!("cannot write {}: {error}", out.display()))?;
    println!("site-zip: wrote {} ({} files, {} bytes); unzip it and open {FOLDER}/START.html", out.display(), entries.len(), zip.len());
    Ok(())
}

/// Every file under `dir`, relative to `root`, skipping dot-files.
fn collect(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|error| format!("cannot list {}: {error}", dir.display()))?.path();
        if path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            files.push(relative.to_path_buf());
        }
    }
    Ok(())
}

/// DOS date of 1980-01-01 (day 1, month 1, year 0), time 00:00.
const DOS_DATE: u16 = (1 << 5) | 1;
/// General-purpose flag bit 11: names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// Version 2.0: deflate.
const VERSION: u16 = 20;
const DEFLATE: u16 = 8;

/// A zip archive of `(name, bytes)` entries, each deflated.
fn zip_bytes(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, bytes) in entries {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(bytes).and_then(|()| encoder.try_finish()).map_err(|error| format!("cannot deflate {name}: {error}"))?;
        let deflated = encoder.get_ref();
        let mut crc = Crc::new();
        crc.update(bytes);
        let sizes = [deflated.len(), bytes.len(), out.len()];
        let [compressed, size, offset] = sizes.map(|n| u32::try_from(n).map_err(|_| format!("{name}: too large for a zip without zip64")));
        let (compressed, size, offset) = (compressed?, size?, offset?);
        let name_len = u16::try_from(name.len()).map_err(|_| format!("{name}: name too long"))?;
        // The fields both headers share: version needed, flags, method, time, date, CRC, sizes, name length.
        let mut common = Vec::new();
        for half in [VERSION, UTF8_NAMES, DEFLATE, 0, DOS_DATE] {
            common.extend(half.to_le_bytes());
        }
        for word in [crc.sum(), compressed, size] {
            common.extend(word.to_le_bytes());
        }
        common.extend(name_len.to_le_bytes());

        out.extend(0x0403_4b50_u32.to_le_bytes());
        out.extend(&common);
        out.extend(0_u16.to_le_bytes()); // extra field length
        out.extend(name.as_bytes());
        out.extend(deflated);

        central.extend(0x0201_4b50_u32.to_le_bytes());
        central.extend(VERSION.to_le_bytes()); // version made by
        central.extend(&common);
        for half in [0_u16, 0, 0, 0] {
            central.extend(half.to_le_bytes()); // extra, comment, disk, internal attributes
        }
        central.extend(0_u32.to_le_bytes()); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let count = u16::try_from(entries.len()).map_err(|_| "too many files for a zip without zip64")?;
    let directory_offset = u32::try_from(out.len()).map_err(|_| "the zip is too large")?;
    let directory_size = u32::try_from(central.len()).map_err(|_| "the zip is too large")?;
    out.extend(&central);
    out.extend(0x0605_4b50_u32.to_le_bytes());
    for half in [0_u16, 0, count, count] {
        out.extend(half.to_le_bytes());
    }
    out.extend(directory_size.to_le_bytes());
    out.extend(directory_offset.to_le_bytes());
    out.extend(0_u16.to_le_bytes()); // comment length
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::zip_bytes;
    use std::process::Command;

    /// Python's zipfile module reads the archive back: names, CRCs and contents.
    #[test]
    fn python_reads_back_every_entry() {
        let entries = vec![
            ("eoslab-site/a.txt".to_owned(), b"hello, zip".to_vec()),
            ("eoslab-site/www/η.html".to_owned(), "<p>η = 1.1</p>\n".repeat(100).into_bytes()),
            ("eoslab-site/empty".to_owned(), Vec::new()),
        ];
        let path = std::env::temp_dir().join(format!("eoslab-site-zip-{}.zip", std::process::id()));
        std::fs::write(&path, zip_bytes(&entries).unwrap()).unwrap();
        let script = "import sys, zipfile, json\n\
                      z = zipfile.ZipFile(sys.argv[1])\n\
                      assert z.testzip() is None\n\
                      print(json.dumps([[i.filename, z.read(i).decode()] for i in z.infolist()]))";
        let output = Command::new("python3").args(["-c", script]).arg(&path).output().expect("python3 runs");
        std::fs::remove_file(&path).unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let read: Vec<(String, String)> = serde_json::from_slice(&output.stdout).unwrap();
        let wanted: Vec<(String, String)> = entries.into_iter().map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap())).collect();
        assert_eq!(read, wanted);
    }
}
