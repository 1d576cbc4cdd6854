//! A static file server for the repository, on loopback only.
//!
//! `/` redirects to `/www/index.html`; files are served only from [`SERVED_DIRS`], with their
//! Content-Type, `Cache-Control: no-store` (so a rebuilt pkg/ is always what a page gets), 404
//! for anything missing or outside those folders, and 403 for paths with `..` (also when
//! percent-encoded) or that resolve outside them through a link. `cargo xtask serve` runs one in
//! the foreground; `test` and `bench` start one on a free port in background threads.

use percent_encoding::percent_decode_str;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// The folders (relative to the repository root) the server serves files from.
pub const SERVED_DIRS: [&str; 4] = ["www", "pkg", "bench", "docs"];

/// Where `/` redirects.
const HOME: &str = "/www/index.html";

/// Threads answering requests, so that parallel fetches (several pages, each loading megabyte
/// files) do not queue behind each other.
const WORKERS: usize = 16;

/// Whether the server prints a line per request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Log {
    Quiet,
    Requests,
}

/// A running server; dropping it stops it.
pub struct Server {
    http: Arc<tiny_http::Server>,
    port: u16,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` on 127.0.0.1:`port` (0 picks a free port) from background threads.
    pub fn start(root: &Path, port: u16, log: Log) -> Result<Server, String> {
        let http = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error} (is another server using it? try --port 0)"))?;
        let port = http
            .server_addr()
            .to_ip()
            .map(|addr| addr.port())
            .ok_or("the server is not listening on an IP address")?;
        let http = Arc::new(http);
        let stopping = Arc::new(AtomicBool::new(false));
        let root = Arc::new(root.to_path_buf());
        let workers = (0..WORKERS)
            .map(|_| {
                let (http, stopping, root) =
                    (Arc::clone(&http), Arc::clone(&stopping), Arc::clone(&root));
                std::thread::spawn(move || loop {
                    match http.recv() {
                        Ok(request) => answer(&root, request, log),
                        Err(_) if stopping.load(Ordering::SeqCst) => break,
                        Err(error) => eprintln!("eoslab serve: {error}"),
                    }
                })
            })
            .collect();
        Ok(Server {
            http,
            port,
            stopping,
            workers,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Serves until the process is interrupted.
    pub fn wait(mut self) {
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        for _ in &self.workers {
            self.http.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// What a request path resolves to.
#[derive(Debug, PartialEq)]
enum Target {
    Redirect(&'static str),
    File(PathBuf),
    NotFound,
    Forbidden,
}

fn answer(root: &Path, request: Request, log: Log) {
    let target = if matches!(request.method(), Method::Get | Method::Head) {
        Some(resolve(root, request.url()))
    } else {
        None
    };
    let response = match &target {
        None => text_response(405, "only GET and HEAD are served\n"),
        Some(Target::Redirect(location)) => {
            text_response(302, "redirecting\n").with_header(header("Location", location))
        }
        Some(Target::NotFound) => text_response(404, "not found\n"),
        Some(Target::Forbidden) => {
            text_response(403, "forbidden: the path leaves the served folders\n")
        }
        Some(Target::File(path)) => match File::open(path) {
            Ok(file) => Response::from_file(file)
                .with_header(header("Content-Type", content_type(path)))
                .boxed(),
            Err(_) => text_response(404, "not found\n"),
        },
    };
    let response = response.with_header(header("Cache-Control", "no-store"));
    if log == Log::Requests {
        println!(
            "{} {} {}",
            request.method(),
            request.url(),
            response.status_code().0
        );
    }
    if let Err(error) = request.respond(response) {
        eprintln!("eoslab serve: cannot answer: {error}");
    }
}

/// Maps a request URL (path and maybe a query) to what to send.
fn resolve(root: &Path, url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if path == "/" {
        return Target::Redirect(HOME);
    }
    let Ok(path) = percent_decode_str(path).decode_utf8() else {
        return Target::NotFound;
    };
    let segments: Vec<&str> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    if segments
        .iter()
        .any(|segment| *segment == ".." || segment.contains(['\\', '\0']))
    {
        return Target::Forbidden;
    }
    let Some(dir) = segments.first().filter(|dir| SERVED_DIRS.contains(dir)) else {
        return Target::NotFound;
    };
    let mut file = root.to_path_buf();
    file.extend(&segments);
    if file.is_dir() {
        file.push("index.html");
    }
    // A link inside a served folder must not lead out of it.
    match (file.canonicalize(), root.join(dir).canonicalize()) {
        (Ok(real), Ok(served)) if real.starts_with(&served) && real.is_file() => Target::File(file),
        (Ok(_), Ok(_)) => Target::Forbidden,
        _ => Target::NotFound,
    }
}

/// The Content-Type for a file, from its extension.
fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|ext| ext.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "wasm" => "application/wasm",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "ts" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn text_response(status: u16, body: &str) -> tiny_http::ResponseBox {
    Response::from_string(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .boxed()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    /// A throwaway repository with one file of each served type, removed on drop.
    struct Site(PathBuf);

    impl Site {
        fn new(name: &str) -> Site {
            let root = std::env::temp_dir()
                .join(format!("eoslab-xtask-serve-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&root);
            for path in [
                "www/index.html",
                "www/app.js",
                "www/worker.mjs",
                "www/style.css",
                "www/spec.json",
                "www/figure.svg",
                "www/figure.png",
                "www/data.csv",
                "www/notes.txt",
                "www/deep/index.html",
                "pkg/eoslab_web_bg.wasm",
                "Cargo.toml",
                "secret.txt",
            ] {
                let path = root.join(path);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(&path, format!("contents of {}", path.display())).unwrap();
            }
            Site(root)
        }
    }

    impl Drop for Site {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// The status line and headers (lower-cased names) of a raw GET, sent as-is so that paths
    /// reach the server without a client normalising them.
    fn get(port: u16, path: &str) -> (u16, Vec<(String, String)>) {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        let head = reply.split("\r\n\r\n").next().unwrap();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        (status, headers)
    }

    fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    #[test]
    fn serves_each_type_with_its_content_type_and_no_store() {
        let site = Site::new("types");
        let server = Server::start(&site.0, 0, Log::Quiet).unwrap();
        for (path, wanted) in [
            ("/www/index.html", "text/html; charset=utf-8"),
            ("/www/app.js", "text/javascript; charset=utf-8"),
            ("/www/worker.mjs", "text/javascript; charset=utf-8"),
            ("/www/style.css", "text/css; charset=utf-8"),
            ("/www/spec.json", "application/json"),
            ("/www/figure.svg", "image/svg+xml"),
            ("/www/figure.png", "image/png"),
            ("/www/data.csv", "text/csv; charset=utf-8"),
            ("/www/notes.txt", "text/plain; charset=utf-8"),
            ("/pkg/eoslab_web_bg.wasm", "application/wasm"),
            ("/www/app.js?v=2", "text/javascript; charset=utf-8"),
            ("/www/deep/", "text/html; charset=utf-8"),
        ] {
            let (status, headers) = get(server.port, path);
            assert_eq!(status, 200, "{path}");
            assert_eq!(
                header_value(&headers, "content-type"),
                Some(wanted),
                "{path}"
            );
            assert_eq!(
                header_value(&headers, "cache-control"),
                Some("no-store"),
                "{path}"
            );
        }
    }

    #[test]
    fn root_redirects_to_the_index_page() {
        let site = Site::new("redirect");
        let server = Server::start(&site.0, 0, Log::Quiet).unwrap();
        let (status, headers) = get(server.port, "/");
        assert_eq!(status, 302);
        assert_eq!(header_value(&headers, "location"), Some(HOME));
    }

    #[test]
    fn refuses_traversal_and_hides_files_outside_the_served_folders() {
        let site = Site::new("traversal");
        let server = Server::start(&site.0, 0, Log::Quiet).unwrap();
        for path in [
            "/www/../Cargo.toml",
            "/www/%2e%2e/secret.txt",
            "/pkg/..%2fCargo.toml",
            "/../secret.txt",
            "/www/..\\secret.txt",
        ] {
            assert_eq!(get(server.port, path).0, 403, "{path}");
        }
        for path in [
            "/Cargo.toml",
            "/secret.txt",
            "/xtask/src/main.rs",
            "/www/missing.html",
            "/www/deep/missing/",
        ] {
            assert_eq!(get(server.port, path).0, 404, "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_that_leave_the_served_folders() {
        let site = Site::new("links");
        std::os::unix::fs::symlink(site.0.join("secret.txt"), site.0.join("www/link.txt")).unwrap();
        let server = Server::start(&site.0, 0, Log::Quiet).unwrap();
        assert_eq!(get(server.port, "/www/link.txt").0, 403);
    }
}
