//! A small W3C WebDriver client over plain HTTP/1.1, enough to drive the app's
//! window through tauri-driver: sessions, elements by CSS selector, clicks,
//! typing, scripts and screenshots. Also starts what a run needs: a private
//! Xvfb display and a tauri-driver on free ports.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine;
use serde_json::{json, Value};

/// The key W3C WebDriver uses to name an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A process killed when dropped, with the processes it started when it
/// leads its own process group (see [`own_group`]).
pub struct Guard(pub Child);

impl Drop for Guard {
    /// Asks the process (and its group) to end, so that it can clean up
    /// (Xvfb removes its lock file), and kills it if it has not within 3 s.
    fn drop(&mut self) {
        let pid = self.0.id().to_string();
        let group = format!("-{pid}");
        for target in [&group, &pid] {
            let _ = Command::new("kill")
                .args(["-TERM", "--", target])
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if !matches!(self.0.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The process id written in an X display's lock file, if any.
fn lock_owner(display: u32) -> Option<u32> {
    std::fs::read_to_string(format!("/tmp/.X{display}-lock"))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Starts the command as the leader of a new process group, so that dropping
/// its guard also ends what it started (tauri-driver starts WebKitWebDriver,
/// which starts the app).
fn own_group(cmd: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Finds a program on PATH or in ~/.cargo/bin.
pub fn program(name: &str) -> Result<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| anyhow!("`{name}` is not installed; `bash .ci/setup` installs it"))
}

/// A private X display (Xvfb), so runs never touch the user's screen.
pub struct Display {
    pub name: String,
    _server: Guard,
}

impl Display {
    pub fn start(width: u32, height: u32) -> Result<Display> {
        let xvfb = program("Xvfb")?;
        for n in 140..240 {
            // A lock whose process is gone is stale: Xvfb replaces it.
            if lock_owner(n).is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists()) {
                continue;
            }
            let child = Command::new(&xvfb)
                .arg(format!(":{n}"))
                .args([
                    "-screen",
                    "0",
                    &format!("{width}x{height}x24"),
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .context("starting Xvfb")?;
            let mut server = Guard(child);
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                // Ours once the lock names our server and its socket is there.
                if lock_owner(n) == Some(server.0.id()) && socket.exists() {
                    return Ok(Display {
                        name: format!(":{n}"),
                        _server: server,
                    });
                }
                if server.0.try_wait()?.is_some() {
                    break; // display taken meanwhile: try the next one
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        bail!("no free X display for Xvfb in :140..:240")
    }
}

/// tauri-driver on a free port, proxying to WebKitWebDriver.
pub struct Driver {
    port: u16,
    _process: Guard,
}

impl Driver {
    /// Starts tauri-driver; `env` is passed on to the app it launches.
    pub fn start(display: &Display, env: &[(&str, &Path)]) -> Result<Driver> {
        let (port, native) = (free_port()?, free_port()?);
        let native_driver = program("WebKitWebDriver")?;
        let mut cmd = Command::new(program("tauri-driver")?);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .arg("--native-driver")
        .arg(native_driver)
        .env("DISPLAY", &display.name)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = Driver {
            port,
            _process: Guard(
                own_group(&mut cmd)
                    .spawn()
                    .context("starting tauri-driver")?,
            ),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(v) = driver.http("GET", "/status", None) {
                if v.get("value").is_some() {
                    return Ok(driver);
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("tauri-driver did not answer on port {port}")
    }

    /// One request on a fresh connection. No `Connection: close`: tauri-driver
    /// would pass it on to WebKitWebDriver and then reuse the closed connection.
    fn http(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(120)))?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        let answer = |raw: &[u8]| -> Result<Option<Vec<u8>>> {
            let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                return Ok(None);
            };
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let payload = &raw[split + 4..];
            if head.contains("transfer-encoding: chunked") {
                return payload
                    .windows(5)
                    .any(|w| w == b"0\r\n\r\n")
                    .then(|| dechunk(payload))
                    .transpose();
            }
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse::<usize>())
                .transpose()?
                .unwrap_or(0);
            Ok((payload.len() >= length).then(|| payload[..length].to_vec()))
        };
        let payload = loop {
            if let Some(p) = answer(&raw)? {
                break p;
            }
            let n = stream.read(&mut buf)?;
            if n == 0 {
                bail!(
                    "tauri-driver closed the connection during {method} {path} {body}: {:?}",
                    String::from_utf8_lossy(&raw)
                );
            }
            raw.extend_from_slice(&buf[..n]);
        };
        if payload.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&payload).with_context(|| {
            format!(
                "tauri-driver answered {method} {path} with: {}",
                String::from_utf8_lossy(&payload)
            )
        })
    }

    /// Opens the app's window in a new session.
    pub fn session(&self, application: &Path) -> Result<Session<'_>> {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "tauri:options": { "application": application }
        }}});
        let v = self.http("POST", "/session", Some(&caps))?;
        let id = v["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no session: {v}"))?
            .to_string();
        Ok(Session { driver: self, id })
    }
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| anyhow!("bad chunk"))?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(data.get(..size).ok_or_else(|| anyhow!("short chunk"))?);
        data = data.get(size + 2..).unwrap_or_default();
    }
}

/// One window of the app, driven through WebDriver.
pub struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

/// An element of the page.
#[derive(Clone)]
pub struct Element(Value);

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let v = self.driver.http(
            method,
            &format!("/session/{}{path}", self.id),
            body.as_ref(),
        )?;
        if let Some(err) = v["value"].get("error") {
            bail!(
                "WebDriver {method} {path}: {err}: {}",
                v["value"]["message"]
            );
        }
        Ok(v["value"].clone())
    }

    /// Runs a script in the page; a returned promise is awaited.
    pub fn script(&self, js: &str, args: Vec<Value>) -> Result<Value> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": js, "args": args })),
        )
    }

    /// Waits until the script returns something truthy, and returns it.
    pub fn wait_for(&self, what: &str, js: &str, args: Vec<Value>) -> Result<Value> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut last = Value::Null;
        while Instant::now() < deadline {
            last = self.script(js, args.clone())?;
            let truthy = match &last {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return Ok(last);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let error = self.text_of("[data-testid=error]").unwrap_or_default();
        bail!("timed out waiting for {what} (last answer {last}; error box: {error:?})")
    }

    pub fn find(&self, css: &str) -> Result<Element> {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        Ok(Element(v[ELEMENT_KEY].clone()))
    }

    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let v = self.call(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        Ok(v.as_array()
            .map(|a| a.iter().map(|e| Element(e[ELEMENT_KEY].clone())).collect())
            .unwrap_or_default())
    }

    fn element_path(&self, e: &Element, tail: &str) -> Result<String> {
        let id = e.0.as_str().ok_or_else(|| anyhow!("not an element"))?;
        Ok(format!("/element/{id}{tail}"))
    }

    pub fn click(&self, css: &str) -> Result<()> {
        let e = self.find(css)?;
        // In the middle of the view first: an element at the window's edge
        // can be "in view" yet under the screen's edge, where no click lands.
        self.script(
            "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' }); return true",
            vec![json!({ ELEMENT_KEY: e.0.clone() })],
        )?;
        self.call("POST", &self.element_path(&e, "/click")?, Some(json!({})))?;
        Ok(())
    }

    /// Clears a field and types into it.
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let e = self.find(css)?;
        self.call("POST", &self.element_path(&e, "/clear")?, Some(json!({})))?;
        self.call(
            "POST",
            &self.element_path(&e, "/value")?,
            Some(json!({ "text": text })),
        )?;
        Ok(())
    }

    /// Picks the option whose value is `value` in a select, as a user would.
    pub fn choose(&self, select_css: &str, value: &str) -> Result<()> {
        let options = self.find_all(&format!("{select_css} option"))?;
        for o in options {
            let v = self.call("GET", &self.element_path(&o, "/property/value")?, None)?;
            if v.as_str() == Some(value) {
                self.call("POST", &self.element_path(&o, "/click")?, Some(json!({})))?;
                return Ok(());
            }
        }
        bail!("{select_css} has no option {value:?}")
    }

    pub fn text_of(&self, css: &str) -> Result<String> {
        let e = self.find(css)?;
        let v = self.call("GET", &self.element_path(&e, "/text")?, None)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Resizes the window (outer size, in pixels).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )?;
        Ok(())
    }

    /// A PNG of the whole window.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        let v = self.call("GET", "/screenshot", None)?;
        decode_png(&v)
    }

    /// A PNG of one element.
    pub fn element_screenshot(&self, css: &str) -> Result<Vec<u8>> {
        let e = self.find(css)?;
        let v = self.call("GET", &self.element_path(&e, "/screenshot")?, None)?;
        decode_png(&v)
    }
}

fn decode_png(v: &Value) -> Result<Vec<u8>> {
    let text = v.as_str().ok_or_else(|| anyhow!("no screenshot data"))?;
    Ok(base64::engine::general_purpose::STANDARD.decode(text)?)
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .http("DELETE", &format!("/session/{}", self.id), None);
    }
}

/// The width and height in a PNG's header, if the bytes are a PNG.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || &bytes[..8] != SIGNATURE || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&bytes[16..20]), be(&bytes[20..24])))
}
