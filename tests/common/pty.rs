//! The tracker in a pseudo-terminal, for the PTY tests (included with
//! `#[path = "common/pty.rs"] mod pty;`).
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `octa` in a 200x40 pseudo-terminal, its output collected by a reader thread.
pub struct Session {
    out: Arc<Mutex<Vec<u8>>>,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    /// Starts `octa ARGS` with its config and data folders under `home`.
    pub fn start(args: &[&str], home: &Path) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 200,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_octa"));
        for a in args {
            cmd.arg(a);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("OCTA_CONFIG_DIR", home.join("config"));
        cmd.env("OCTA_DATA_DIR", home.join("data"));
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let out = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = out.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        Session {
            out,
            child,
            writer,
            _master: pty.master,
        }
    }

    /// Everything the process printed so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
    }

    /// The end of the output, for failure messages.
    pub fn tail(&self) -> String {
        let t = self.text();
        let chars: Vec<char> = t.chars().collect();
        chars[chars.len().saturating_sub(1500)..].iter().collect()
    }

    /// Waits (bounded) until the output since `from` contains `needle`.
    pub fn wait_for(&self, needle: &str, from: usize) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if self.text().get(from..).is_some_and(|t| t.contains(needle)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Types `bytes`.
    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits (bounded) for the process to exit; true when it exited successfully.
    pub fn exited(&mut self) -> Option<bool> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s.success());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        None
    }

    /// Quits without saving (ctrl+q, then `y`); true when the process exited successfully.
    pub fn quit(&mut self) -> bool {
        self.send(b"\x11");
        std::thread::sleep(Duration::from_millis(200));
        self.send(b"y");
        self.exited() == Some(true)
    }
}
