//! The budget search: which JPEG quality (or smaller size) lands an encode just under the base64
//! budget with few full-size encodes. A sans-IO state machine: it asks for a probe encode of a
//! sample of the picture, a full encode, or a shrink, and is told the sizes measured. The
//! pure-Rust encoder (`encode.rs`) and the browser's canvas encoder (`npm/src/browser-codec.js`,
//! through the main wasm module) both drive it, so the aim, the rounds and the shrink rule are
//! the same everywhere (see docs/IMAGE_POLICY.md).
//!
//! 1. Probe: a sample of the picture (~1/8 of the area) is encoded at two qualities and the full
//!    size extrapolated by area (about a quarter of one full encode).
//! 2. Solve for the highest quality predicted at [`AIM`] of the budget; if even the minimum
//!    quality does not fit, shrink the picture (bytes grow ~ area^0.85) and probe again.
//! 3. Full encode; the exact base64 length is measured; the model is corrected with the measured
//!    ratio and the picture re-encoded only when over the budget, or under [`LOW_WATER`] of it
//!    with quality headroom left, at most [`MAX_ROUNDS_PER_SIZE`] times per size.

use crate::base64_len;
use crate::error::ImageError;
use crate::preflight::{scaled_dims, MIN_LONG_SIDE};

/// Quality in tenths (700 = libjpeg quality 70).
pub type Q10 = u16;

/// Aim point for the predicted size, as a fraction of the budget.
pub const AIM: f64 = 0.96;
/// Re-encode upwards when below this fraction of the budget (and quality can still rise).
pub const LOW_WATER: f64 = 0.92;
/// Full-size encodes at one size before settling (probe encodes are not counted).
pub const MAX_ROUNDS_PER_SIZE: u32 = 3;
/// Fixed bytes of headers/tables that do not scale with area (probe extrapolation).
const HEADER_BYTES: f64 = 620.0;

/// What the encoder does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Encode the sample (or, when the encoder has no sample of this picture, the picture itself)
    /// at this quality and report its size with [`BudgetSearch::sampled`]. Not counted as an
    /// encode.
    Sample(Q10),
    /// Encode the picture at this quality and report its size with [`BudgetSearch::encoded`].
    Encode(Q10),
    /// Resize the source to this size (the picture is now this size) and go on.
    Shrink { width: u32, height: u32 },
    /// The best fit kept (the last encode [`BudgetSearch::encoded`] said to keep) is the answer.
    Done { quality: Q10, encodes: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Probe encodes: the index into the probe qualities.
    Probe(u8),
    /// The extra probe far below the probed range.
    ProbeLow(Q10),
    /// Full encodes at this quality (None: out of rounds or room).
    Encode(Option<Q10>),
    Done,
}

/// The search for one picture. `unit` is the encoder's quality step in tenths: 1 for the Rust
/// encoder (fractional quality tables), 10 for canvas encoders (integer qualities).
pub struct BudgetSearch {
    max_chars: usize,
    min_q: Q10,
    max_q: Q10,
    unit: Q10,
    src: (u32, u32),
    cur: (u32, u32),
    encodes: u32,
    phase: Phase,
    asked: Option<Q10>,
    /// (quality, full bytes extrapolated from the probe sample), sorted by quality.
    points: Vec<(Q10, f64)>,
    /// (quality, bytes) of real full encodes at this size, sorted by quality.
    measured: Vec<(Q10, f64)>,
    best_fit: Option<Q10>,
    lowest_over: Option<(Q10, usize)>,
    round: u32,
}

/// ln of libjpeg's quantizer scale at a quality (the model's x axis).
fn log_scale(q: Q10) -> f64 {
    let q = (q.clamp(10, 1000) as f64) / 10.0;
    let s = if q < 50.0 {
        5000.0 / q
    } else {
        200.0 - 2.0 * q
    };
    s.max(1.0).ln()
}

/// Log-log interpolation (extrapolation at the ends) over points sorted by quality.
fn interp(p: &[(Q10, f64)], q: Q10) -> f64 {
    let n = p.len();
    let i = p
        .iter()
        .position(|&(pq, _)| pq >= q)
        .unwrap_or(n)
        .clamp(1, n.max(2) - 1);
    match (p.get(i - 1), p.get(i)) {
        (Some(&a), Some(&b)) => {
            let (xa, xb) = (log_scale(a.0), log_scale(b.0));
            if (xa - xb).abs() < 1e-9 {
                return a.1;
            }
            let t = (log_scale(q) - xa) / (xb - xa);
            (a.1.max(1.0).ln() + t * (b.1.max(1.0).ln() - a.1.max(1.0).ln())).exp()
        }
        (Some(&a), None) | (None, Some(&a)) => a.1,
        (None, None) => f64::MAX,
    }
}

impl BudgetSearch {
    /// A search for a `width`×`height` picture under `max_chars` base64 characters, the quality
    /// within `min_q..=max_q` (tenths).
    pub fn new(
        width: u32,
        height: u32,
        max_chars: usize,
        min_q: Q10,
        max_q: Q10,
        unit: Q10,
    ) -> Self {
        let unit = unit.max(1);
        let min_q = min_q.clamp(unit, 1000);
        BudgetSearch {
            max_chars,
            min_q,
            max_q: max_q.clamp(min_q, 1000),
            unit,
            src: (width, height),
            cur: (width, height),
            encodes: 0,
            phase: Phase::Probe(0),
            asked: None,
            points: Vec::with_capacity(3),
            measured: Vec::new(),
            best_fit: None,
            lowest_over: None,
            round: 0,
        }
    }

    fn budget(&self) -> f64 {
        (self.max_chars / 4 * 3) as f64
    }

    fn target(&self) -> f64 {
        self.budget() * AIM
    }

    fn predict(&self, q: Q10) -> f64 {
        match self.measured.as_slice() {
            [] => interp(&self.points, q),
            [(mq, mn)] => interp(&self.points, q) * mn / interp(&self.points, *mq).max(1.0),
            m => interp(m, q),
        }
    }

    /// Highest quality in `lo..=hi` (on the encoder's steps) predicted to fit `target` bytes.
    fn solve(&self, lo: Q10, hi: Q10, target: f64) -> Option<Q10> {
        let mut q = hi - hi % self.unit;
        while q >= lo {
            if self.predict(q) <= target {
                return Some(q);
            }
            q = q.checked_sub(self.unit)?;
        }
        None
    }

    fn probe_qualities(&self) -> [Q10; 2] {
        let low = self.min_q.max(self.max_q.saturating_sub(200));
        [self.max_q, low - low % self.unit]
    }

    /// The next thing to do. Errors with `TooLarge` when even [`MIN_LONG_SIDE`] cannot fit.
    pub fn step(&mut self) -> Result<Step, ImageError> {
        loop {
            match self.phase {
                Phase::Probe(i) => {
                    let qs = self.probe_qualities();
                    match qs.get(i as usize) {
                        Some(&q) if !self.points.iter().any(|p| p.0 == q) => {
                            self.asked = Some(q);
                            return Ok(Step::Sample(q));
                        }
                        Some(_) => self.phase = Phase::Probe(i + 1),
                        None => {
                            let q = self.solve(self.min_q, self.max_q, self.target());
                            // Far below the probed range the log-linear extrapolation is poor.
                            self.phase = match q {
                                Some(first)
                                    if first + 50 < self.points.first().map_or(0, |p| p.0) =>
                                {
                                    Phase::ProbeLow(first)
                                }
                                q => Phase::Encode(q),
                            };
                        }
                    }
                }
                Phase::ProbeLow(q) => {
                    if self.points.iter().any(|p| p.0 == q) {
                        self.phase =
                            Phase::Encode(self.solve(self.min_q, self.max_q, self.target()));
                    } else {
                        self.asked = Some(q);
                        return Ok(Step::Sample(q));
                    }
                }
                Phase::Encode(Some(q)) => {
                    self.asked = Some(q);
                    return Ok(Step::Encode(q));
                }
                Phase::Encode(None) => return self.settle(),
                Phase::Done => {
                    return Ok(Step::Done {
                        quality: self.best_fit.unwrap_or(self.min_q),
                        encodes: self.encodes,
                    })
                }
            }
        }
    }

    /// Nothing more at this size: the best fit, or a shrink by the overshoot at the minimum.
    fn settle(&mut self) -> Result<Step, ImageError> {
        if let Some(quality) = self.best_fit {
            self.phase = Phase::Done;
            return Ok(Step::Done {
                quality,
                encodes: self.encodes,
            });
        }
        let long = self.cur.0.max(self.cur.1);
        if long <= MIN_LONG_SIDE {
            return Err(ImageError::too_large(
                "the image cannot be made small enough for maxBase64Chars (try a closer, simpler \
                 photo, or raise maxBase64Chars)",
            ));
        }
        let at_min = match self.lowest_over {
            Some((oq, n)) if oq == self.min_q => n as f64,
            _ => self.predict(self.min_q),
        };
        let f = (self.target() / at_min.max(1.0)).clamp(0.0001, 0.98).ln();
        // exp(ln(x) / 1.7) = x^(1/1.7), without linking `pow` into the main module.
        let f = (f / 1.7).exp().min(0.95);
        let new_long = ((long as f64 * f) as u32).max(MIN_LONG_SIDE.min(long - 1));
        let (width, height) = scaled_dims(self.src.0, self.src.1, new_long, u64::MAX);
        self.cur = (width, height);
        self.phase = Phase::Probe(0);
        self.points.clear();
        self.measured.clear();
        self.lowest_over = None;
        self.round = 0;
        Ok(Step::Shrink { width, height })
    }

    /// The size of the last [`Step::Sample`]: `bytes` of an encode of a sample covering
    /// `1/factor` of the picture's area (`factor` 1 when the picture itself was encoded).
    pub fn sampled(&mut self, bytes: usize, factor: f64) {
        let Some(q) = self.asked.take() else {
            return;
        };
        let full = if factor > 1.0 {
            (bytes as f64 - HEADER_BYTES).max(1.0) * factor + HEADER_BYTES
        } else {
            bytes as f64
        };
        if let Err(i) = self.points.binary_search_by_key(&q, |p| p.0) {
            self.points.insert(i, (q, full));
        }
        if let Phase::Probe(i) = self.phase {
            self.phase = Phase::Probe(i + 1);
        }
    }

    /// The size of the last [`Step::Encode`]. Returns true when this encode is the best fit so
    /// far: the caller keeps its bytes (the answer when [`Step::Done`] comes).
    pub fn encoded(&mut self, bytes: usize) -> bool {
        let Some(q) = self.asked.take() else {
            return false;
        };
        self.round += 1;
        self.encodes += 1;
        // Kept sorted by quality (an insertion: no sort routine in the main module).
        match self.measured.binary_search_by_key(&q, |p| p.0) {
            Ok(i) => {
                if let Some(m) = self.measured.get_mut(i) {
                    *m = (q, bytes as f64);
                }
            }
            Err(i) => self.measured.insert(i, (q, bytes as f64)),
        }
        let mut keep = false;
        if base64_len(bytes) <= self.max_chars {
            let full = bytes as f64 >= self.budget() * LOW_WATER || q >= self.max_q;
            if self.best_fit.is_none_or(|bq| bq < q) {
                self.best_fit = Some(q);
                keep = true;
            }
            if full {
                self.phase = Phase::Encode(None);
                return keep;
            }
        } else if self.lowest_over.is_none_or(|(oq, _)| q < oq) {
            self.lowest_over = Some((q, bytes));
        }
        // Next quality strictly between the best fit and the lowest overflow.
        let gap = if self.unit > 1 { self.unit } else { 2 };
        let lo = self.best_fit.map_or(self.min_q, |bq| bq + gap);
        let hi = self
            .lowest_over
            .map_or(self.max_q, |(oq, _)| oq.saturating_sub(gap));
        let next = if lo > hi || self.round >= MAX_ROUNDS_PER_SIZE {
            // Out of room or rounds. If nothing fits yet, min_q itself is the last word.
            (self.best_fit.is_none()
                && self.lowest_over.is_some_and(|(oq, _)| oq > self.min_q)
                && self.round < MAX_ROUNDS_PER_SIZE + 1)
                .then_some(self.min_q)
        } else {
            let guess = self.solve(lo, hi, self.target()).unwrap_or(lo);
            Some(guess.clamp(lo, hi))
        };
        self.phase = Phase::Encode(next);
        keep
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A picture whose bytes fall with the quantizer scale (0.25 byte/pixel at q 95, 0.05 at 70).
    fn size_at(q: Q10, area: f64) -> usize {
        (area * 2.0 * (-0.9 * log_scale(q)).exp()) as usize + 600
    }

    fn run(
        w: u32,
        h: u32,
        max_chars: usize,
        unit: Q10,
    ) -> Result<(Q10, u32, (u32, u32)), ImageError> {
        let mut s = BudgetSearch::new(w, h, max_chars, 700, 950, unit);
        let (mut cur, mut kept) = ((w, h), None);
        for _ in 0..100 {
            let area = cur.0 as f64 * cur.1 as f64;
            match s.step()? {
                Step::Sample(q) => s.sampled((size_at(q, area) - 600) / 8 + 600, 8.0),
                Step::Encode(q) => {
                    let n = size_at(q, area);
                    if s.encoded(n) {
                        kept = Some((q, n));
                    }
                }
                Step::Shrink { width, height } => cur = (width, height),
                Step::Done { quality, encodes } => {
                    let (kq, n) = kept.unwrap();
                    assert_eq!(kq, quality);
                    assert!(base64_len(n) <= max_chars);
                    assert_eq!(quality % unit, 0);
                    return Ok((quality, encodes, cur));
                }
            }
        }
        panic!("the search did not end");
    }

    #[test]
    fn lands_under_the_budget_on_either_quality_step() {
        for unit in [1, 10] {
            for budget in [200_000, 600_000, 1_000_000, 3_000_000] {
                let (q, encodes, size) = run(2000, 1500, budget, unit).unwrap();
                assert!((700..=950).contains(&q), "{q}");
                assert!(encodes <= 2 * MAX_ROUNDS_PER_SIZE + 1, "{encodes}");
                assert!(size.0 <= 2000);
            }
        }
    }

    #[test]
    fn shrinks_when_the_floor_does_not_fit_and_gives_up_at_the_minimum_side() {
        let (q, _, size) = run(4000, 3000, 100_000, 10).unwrap();
        assert!(size.0 < 4000 && q >= 700);
        assert_eq!(
            run(4000, 3000, 40, 10).unwrap_err().kind,
            crate::ImageErrorKind::TooLarge
        );
    }
}
