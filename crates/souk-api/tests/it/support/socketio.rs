//! The official Socket.IO client (npm `socket.io-client` 4) driven from the
//! tests: `tests/socketio/driver.js` runs in Node, takes one JSON command per
//! line and prints one JSON line per thing that happens to its sockets.
#![allow(dead_code, clippy::unwrap_used)]

use std::{net::SocketAddr, path::PathBuf, process::Stdio, time::Duration};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    process::{Child, ChildStdin, Command},
    sync::mpsc,
};

/// How long a test waits for something that should happen.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// One Node process holding any number of client sockets, each named by
/// the test.
pub struct SocketClients {
    _child: Child,
    stdin: ChildStdin,
    lines: mpsc::UnboundedReceiver<Value>,
    /// Lines read but not yet asked for.
    seen: Vec<Value>,
    seq: u64,
}

/// The folder of the Node driver, its packages installed (`npm ci`, as
/// `.ci/run` does) on first use.
fn driver_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/socketio");
    if !dir.join("node_modules/socket.io-client").exists() {
        let installed = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&dir)
            .status()
            .expect("npm is needed to install socket.io-client");
        assert!(installed.success(), "npm ci in {}", dir.display());
    }
    dir
}

impl SocketClients {
    /// Starts the driver and waits until it is ready.
    pub async fn start() -> Self {
        let mut child = Command::new("node")
            .arg("driver.js")
            .current_dir(driver_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                if let Ok(value) = serde_json::from_str::<Value>(&line) {
                    let _ = tx.send(value);
                }
            }
        });
        let mut clients = Self {
            _child: child,
            stdin,
            lines,
            seen: Vec::new(),
            seq: 0,
        };
        clients
            .wait(PATIENCE, |line| line["type"] == "ready")
            .await
            .expect("the Socket.IO driver did not start");
        clients
    }

    /// Sends a command to the driver.
    pub async fn send(&mut self, command: Value) {
        let mut line = command.to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// The first line (read before or within `within`) that `matches`,
    /// taken out of the backlog.
    pub async fn wait(
        &mut self,
        within: Duration,
        matches: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(at) = self.seen.iter().position(&matches) {
            return Some(self.seen.remove(at));
        }
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let line = tokio::time::timeout_at(deadline, self.lines.recv())
                .await
                .ok()??;
            if matches(&line) {
                return Some(line);
            }
            self.seen.push(line);
        }
    }

    /// Connects socket `id` with `options` (`auth`, `query`, `transports`,
    /// `headers`); returns its `connect` or `connect_error` line.
    pub async fn connect_with(&mut self, id: &str, address: SocketAddr, options: Value) -> Value {
        let mut command = json!({"cmd": "connect", "id": id, "url": format!("http://{address}")});
        if let (Some(command), Some(options)) = (command.as_object_mut(), options.as_object()) {
            for (name, value) in options {
                command.insert(name.clone(), value.clone());
            }
        }
        self.send(command).await;
        let id = id.to_owned();
        self.wait(PATIENCE, |line| {
            line["id"] == id.as_str()
                && (line["type"] == "connect" || line["type"] == "connect_error")
        })
        .await
        .expect("neither connect nor connect_error")
    }

    /// Connects socket `id` with a token in the handshake's `auth`, and
    /// asserts it was let in.
    pub async fn connect(&mut self, id: &str, address: SocketAddr, token: &str) {
        let line = self
            .connect_with(id, address, json!({"auth": {"token": token}}))
            .await;
        assert_eq!(line["type"], "connect", "{line}");
    }

    /// Emits `event` with `data` from socket `id` and returns its
    /// acknowledgement (`extra` may set `pad`, `args` or `noArgs`).
    pub async fn ack_with(&mut self, id: &str, event: &str, data: Value, extra: Value) -> Value {
        self.seq += 1;
        let seq = self.seq;
        let mut command =
            json!({"cmd": "emit", "id": id, "event": event, "data": data, "seq": seq});
        if let (Some(command), Some(extra)) = (command.as_object_mut(), extra.as_object()) {
            for (name, value) in extra {
                command.insert(name.clone(), value.clone());
            }
        }
        self.send(command).await;
        let line = self
            .wait(PATIENCE, |line| line["seq"] == seq)
            .await
            .expect("no acknowledgement");
        assert_eq!(line["type"], "ack", "{line}");
        line["data"].clone()
    }

    /// Emits `event` with `data` from socket `id` and returns its acknowledgement.
    pub async fn ack(&mut self, id: &str, event: &str, data: Value) -> Value {
        self.ack_with(id, event, data, json!({})).await
    }

    /// The data of the next `event` socket `id` receives within `within`.
    pub async fn event(&mut self, id: &str, event: &str, within: Duration) -> Option<Value> {
        self.wait(within, |line| {
            line["id"] == id && line["type"] == "event" && line["event"] == event
        })
        .await
        .map(|line| line["data"].clone())
    }

    /// The reason socket `id` was disconnected, if it is within `within`.
    pub async fn disconnected(&mut self, id: &str, within: Duration) -> Option<String> {
        self.wait(within, |line| {
            line["id"] == id && line["type"] == "disconnect"
        })
        .await
        .map(|line| line["reason"].as_str().unwrap_or_default().to_owned())
    }

    /// Disconnects socket `id` from the client side.
    pub async fn close(&mut self, id: &str) {
        self.send(json!({"cmd": "close", "id": id})).await;
    }
}
