//! What the development examples (`read`, `profile`) share: the command line of a corpus run
//! and the process's peak resident memory.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

/// `<corpus dir> [--every N] [--limit N] [--name value…] [--flag…]`.
pub struct Args {
    pub dir: PathBuf,
    pub every: usize,
    pub limit: usize,
    args: Vec<String>,
}

impl Args {
    pub fn parse() -> Self {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let dir = PathBuf::from(args.first().expect("corpus dir"));
        let mut a = Args {
            dir,
            every: 1,
            limit: usize::MAX,
            args,
        };
        a.every = a.opt("--every").map_or(1, |v| v.parse().unwrap());
        a.limit = a.opt("--limit").map_or(usize::MAX, |v| v.parse().unwrap());
        a
    }

    /// The value after `name`, if given.
    pub fn opt(&self, name: &str) -> Option<String> {
        self.args
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.args.get(i + 1))
            .cloned()
    }

    /// The engine's options with the command line's changes: `--whole-picture` (detection on
    /// the whole picture, not around the document's outline), `--reread-line` (second readings
    /// of the whole line, not of the value alone), `--det-text-px N|off` (the print
    /// height detection is scaled to, or always at `det_long_side`); to compare a setting with the default.
    pub fn engine_options(
        &self,
        base: vehicle_doc_ocr_local::Options,
    ) -> vehicle_doc_ocr_local::Options {
        let mut o = base;
        if self.flag("--whole-picture") {
            o.document_margin = None;
        }
        if let Some(px) = self.opt("--det-text-px") {
            o.det_text_px = (px != "off").then(|| px.parse().unwrap());
        }
        if self.flag("--reread-line") {
            o.reread_value_only = false;
        }
        o
    }

    /// Whether `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.args.iter().any(|a| a == name)
    }
}

/// The process's peak resident memory so far in MB (VmHWM, Linux; 0 elsewhere).
pub fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
