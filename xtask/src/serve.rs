//! A static file server for the repository, on loopback only.
//!
//! `/` redirects to `/www/index.html`; files are served only from [`SERVED_DIRS`], with their
//! Content-Type, `Cache-Control: no-store` (so a rebuilt pkg/ is always what a page gets), 404
//! for anything missing or outside those folders, and 403 for paths with `..` (also when
//! percent-encoded) or that resolve outside them through a link. `cargo xtask serve` runs one in
//! the foreground; `test` and `bench` start one on a free port in background threads.

use percent_encoding::percent_decode_str;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// The folders (relative to the repository root) the server serves files from.
pub const SERVED_DIRS: [&str; 4] = ["www", "pkg", "bench", "docs"];

/// Where `/` redirects.
const HOME: &str = "/www/index.html";

/// Longest request head (request line and headers) read before answering 431.
const MAX_HEAD: usize = 16 * 1024;

/// How long a connection may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether the server prints a line per request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Log {
    Quiet,
    Requests,
}

/// A running server; dropping it stops it.
///
/// HTTP/1.1 with one request per connection: every response says `Connection: close` and the
/// connection ends with it, each on its own thread. (The tiny_http server used before kept
/// connections alive, and Chromium's first page load against it stalled now and then with a
/// module script answered but never received, which held the page's `load` event forever.)
pub struct Server {
    port: u16,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` on 127.0.0.1:`port` (0 picks a free port) from background threads.
    pub fn start(root: &Path, port: u16, log: Log) -> Result<Server, String> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error} (is another server using it? try --port 0)"))?;
        let port = listener.local_addr().map_err(|error| format!("the server has no local address: {error}"))?.port();
        let stopping = Arc::new(AtomicBool::new(false));
        let root = Arc::new(root.to_path_buf());
        let acceptor = {
            let stopping = Arc::clone(&stopping);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    match stream {
                        Ok(stream) => {
                            let root = Arc::clone(&root);
                            std::thread::spawn(move || {
                                if let Err(error) = answer(&root, stream, log) {
                                    if log == Log::Requests {
                                        eprintln!("eoslab serve: {error}");
                                    }
                                }
                            });
                        }
                        Err(error) => eprintln!("eoslab serve: {error}"),
                    }
                }
            })
        };
        Ok(Server { port, stopping, acceptor: Some(acceptor) })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Serves until the process is interrupted.
    pub fn wait(mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
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

/// A request's method and target, from its head; `None` for a malformed request line.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<(String, String)>> {
    let mut head = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        let budget = (MAX_HEAD - head.len()) as u64 + 1;
        let read = io::Read::take(&mut *reader, budget).read_until(b'\n', &mut line)?;
        if read == 0 || head.len() + line.len() > MAX_HEAD {
            return Ok(None);
        }
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        head.extend_from_slice(&line);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.lines().next().unwrap_or_default().split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some(method), Some(target), Some(version)) if version.starts_with("HTTP/1.") => Ok(Some((method.to_owned(), target.to_owned()))),
        _ => Ok(None),
    }
}

/// Answers the one request a connection carries, then closes it.
fn answer(root: &Path, stream: TcpStream, log: Log) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let Some((method, target)) = read_head(&mut reader)? else {
        return respond(&stream, 400, &[], Body::Text("malformed request\n"), true);
    };
    let with_body = method != "HEAD";
    let (status, headers, body) = if method != "GET" && method != "HEAD" {
        (405, vec![], Body::Text("only GET and HEAD are served\n"))
    } else {
        match resolve(root, &target) {
            Target::Redirect(location) => (302, vec![("Location", location)], Body::Text("redirecting\n")),
            Target::NotFound => (404, vec![], Body::Text("not found\n")),
            Target::Forbidden => (403, vec![], Body::Text("forbidden: the path leaves the served folders\n")),
            Target::File(path) => match File::open(&path) {
                Ok(file) => (200, vec![("Content-Type", content_type(&path))], Body::File(file)),
                Err(_) => (404, vec![], Body::Text("not found\n")),
            },
        }
    };
    if log == Log::Requests {
        println!("{method} {target} {status}");
    }
    respond(&stream, status, &headers, body, with_body)
}

/// A response body.
enum Body {
    Text(&'static str),
    File(File),
}

fn respond(mut stream: &TcpStream, status: u16, headers: &[(&str, &str)], body: Body, with_body: bool) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let length = match &body {
        Body::Text(text) => text.len() as u64,
        Body::File(file) => file.metadata()?.len(),
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {length}\r\nCache-Control: no-store\r\nConnection: close\r\n");
    if !headers.iter().any(|(name, _)| *name == "Content-Type") {
        head.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if with_body {
        match body {
            Body::Text(text) => stream.write_all(text.as_bytes())?,
            Body::File(mut file) => {
                io::copy(&mut file, &mut stream)?;
            }
        }
    }
    stream.flush()?;
    // Half-close, then wait for the client to close its end: closing with unread bytes in the
    // receive buffer would send a reset that can destroy the response in flight.
    stream.shutdown(std::net::Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let _ = io::copy(&mut io::Read::take(stream, MAX_HEAD as u64), &mut io::sink());
    Ok(())
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
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    if segments.iter().any(|segment| *segment == ".." || segment.contains(['\\', '\0'])) {
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
    match path.extension().and_then(|ext| ext.to_str()).unwrap_or_default() {
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
            let root = std::env::temp_dir().join(format!("eoslab-xtask-serve-{name}-{}", std::process::id()));
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

    /// The whole reply to a raw request, sent as-is so that paths reach the server without a
    /// client normalising them.
    fn exchange(port: u16, request: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    }

    /// The status line and headers (lower-cased names) of a raw GET.
    fn get(port: u16, path: &str) -> (u16, Vec<(String, String)>) {
        parse(&exchange(port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")))
    }

    fn parse(reply: &str) -> (u16, Vec<(String, String)>) {
        let head = reply.split("\r\n\r\n").next().unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        (status, headers)
    }

    fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
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
            assert_eq!(header_value(&headers, "content-type"), Some(wanted), "{path}");
            assert_eq!(header_value(&headers, "cache-control"), Some("no-store"), "{path}");
        }
    }

    #[test]
    fn sends_the_file_with_its_length_and_closes_the_connection() {
        let site = Site::new("body");
        let server = Server::start(&site.0, 0, Log::Quiet).unwrap();
        let contents = fs::read_to_string(site.0.join("www/app.js")).unwrap();
        let reply = exchange(server.port, "GET /www/app.js HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
        let (status, headers) = parse(&reply);
        assert_eq!(status, 200);
        assert_eq!(header_value(&headers, "content-length"), Some(contents.len().to_string().as_str()));
        assert_eq!(header_value(&headers, "connection"), Some("close"));
        assert_eq!(reply.split_once("\r\n\r\n").unwrap().1, contents);
        // HEAD: the same head, no body.
        let reply = exchange(server.port, "HEAD /www/app.js HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(parse(&reply).0, 200);
        assert_eq!(reply.split_once("\r\n\r\n").unwrap().1, "");
    }

    #[test]
    fn refuses_other_methods_and_malformed_requests() {
        let site = Site::new("methods");
        let server = Server::start(&site.0, 0, Log::Quiet).unwrap();
        let post = "POST /www/app.js HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(parse(&exchange(server.port, post)).0, 405);
        assert_eq!(parse(&exchange(server.port, "nonsense\r\n\r\n")).0, 400);
        let huge = format!("GET /www/app.js HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(parse(&exchange(server.port, &huge)).0, 400);
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
        for path in ["/www/../Cargo.toml", "/www/%2e%2e/secret.txt", "/pkg/..%2fCargo.toml", "/../secret.txt", "/www/..\\secret.txt"] {
            assert_eq!(get(server.port, path).0, 403, "{path}");
        }
        for path in ["/Cargo.toml", "/secret.txt", "/xtask/src/main.rs", "/www/missing.html", "/www/deep/missing/"] {
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
