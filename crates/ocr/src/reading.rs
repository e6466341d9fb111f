//! A document reading as a sans-IO state machine: [`Reading::start`] decodes the photo, finds the
//! document and runs detection, then asks for rectangles of the gray picture to be recognized
//! ([`Reading::jobs`], fed back with [`Reading::feed`]): first every detected line, then the
//! second readings the acceptance rule needs ([`crate::extract::FirstPass`]); then it is done
//! ([`Reading::finish`]). Whoever holds the reading decides where the jobs are recognized (one
//! engine, or several [`crate::engine::Recognizer`]s given the same picture: the jobs are
//! independent). [`crate::Engine::read_document`] is the loop that recognizes them itself.

use crate::engine::{decode, rec_width, rect_key, reread_rect, Engine, Line, Options};
use crate::extract::{FirstPass, LocalReading};
use crate::geom::RotatedRect;
use crate::LocalError;
use vehicle_doc_ocr_core::DocumentKind;
use vehicle_doc_ocr_imaging::quality::Luma;

enum State {
    /// Waiting for the detected lines' recognition.
    Lines {
        rects: Vec<RotatedRect>,
        today: Option<String>,
    },
    /// Waiting for the second readings' recognition.
    Rereads {
        lines: Vec<Line>,
        first: FirstPass,
        crops: Vec<RotatedRect>,
        /// Per second reading of `first.rereads()`, its crop in `crops` (two values of one line
        /// asking for the same crop read it once).
        which: Vec<usize>,
    },
    Done {
        lines: Vec<Line>,
        reading: LocalReading,
    },
    /// A feed failed: the reading cannot go on.
    Failed,
}

/// One document reading in progress (see the module's documentation).
pub struct Reading {
    luma: Luma,
    doc: DocumentKind,
    options: Options,
    state: State,
}

impl Reading {
    /// Decodes `image`, finds document `doc` and detects its text lines; then the lines are to
    /// be recognized ([`Reading::jobs`]). `today` as in [`crate::extract`].
    pub fn start(
        engine: &Engine,
        image: &[u8],
        doc: DocumentKind,
        today: Option<String>,
    ) -> Result<Reading, LocalError> {
        Reading::start_staged(engine, image, doc, today, |_| {})
    }

    /// [`Reading::start`], calling `stage(name)` as `"decode"`, `"detection"` and `"regions"` end
    /// (see [`Engine::read_document_staged`]).
    pub fn start_staged(
        engine: &Engine,
        image: &[u8],
        doc: DocumentKind,
        today: Option<String>,
        mut stage: impl FnMut(&'static str),
    ) -> Result<Reading, LocalError> {
        let luma = decode(image)?;
        stage("decode");
        let rects = engine.document_regions(&luma, doc, &mut stage)?;
        Ok(Reading {
            luma,
            doc,
            options: engine.options,
            state: State::Lines { rects, today },
        })
    }

    /// The gray picture the jobs' rectangles are in (what a second recognizer needs).
    pub fn picture(&self) -> &Luma {
        &self.luma
    }

    /// The rectangles of [`Reading::picture`] to recognize now, in order (none when done).
    pub fn jobs(&self) -> &[RotatedRect] {
        match &self.state {
            State::Lines { rects, .. } => rects,
            State::Rereads { crops, .. } => crops,
            State::Done { .. } | State::Failed => &[],
        }
    }

    /// Whether the reading is over ([`Reading::finish`]).
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done { .. } | State::Failed)
    }

    /// The recognition of each of [`Reading::jobs`], in order (what
    /// [`crate::engine::Recognizer::recognize`] gives, with [`Options::max_rec_width`]).
    pub fn feed(&mut self, results: Vec<Option<Line>>) -> Result<(), LocalError> {
        if results.len() != self.jobs().len() || self.is_done() {
            self.state = State::Failed;
            return Err(LocalError::Inference("the reading's steps"));
        }
        let state = std::mem::replace(&mut self.state, State::Failed);
        self.state = match state {
            State::Lines { today, .. } => {
                let lines: Vec<Line> = results.into_iter().flatten().collect();
                let first = FirstPass::new(self.doc, &lines, today);
                let mut crops: Vec<RotatedRect> = Vec::new();
                let mut which = Vec::new();
                for &(li, start) in first.rereads() {
                    let Some(line) = lines.get(li) else {
                        return Err(LocalError::Inference("the reading's steps"));
                    };
                    let crop = reread_rect(line, start, self.options.reread_value_only);
                    let key = rect_key(&crop);
                    match crops.iter().position(|c| rect_key(c) == key) {
                        Some(k) => which.push(k),
                        None => {
                            crops.push(crop);
                            which.push(crops.len() - 1);
                        }
                    }
                }
                if crops.is_empty() {
                    let reading = first.finish(Vec::new());
                    State::Done { lines, reading }
                } else {
                    State::Rereads {
                        lines,
                        first,
                        crops,
                        which,
                    }
                }
            }
            State::Rereads {
                lines,
                first,
                which,
                ..
            } => {
                let seconds = which
                    .iter()
                    .map(|&k| results.get(k).cloned().flatten())
                    .collect();
                let reading = first.finish(seconds);
                State::Done { lines, reading }
            }
            done => done,
        };
        Ok(())
    }

    /// The lines and the reading, once done (`None` before, or after a failed feed).
    pub fn finish(self) -> Option<(Vec<Line>, LocalReading)> {
        match self.state {
            State::Done { lines, reading } => Some((lines, reading)),
            _ => None,
        }
    }

    /// Where to cut `jobs` between two recognizers of the same speed: jobs `..k` to one, `k..` to
    /// the other, the recognizer's work (about a fixed cost plus one proportional to the input's
    /// width, measured natively as 7 ms + 0.2 ms per pixel: a fixed cost worth 35 pixels, which
    /// is the ratio that matters, not the milliseconds) as even as the order allows.
    pub fn split(&self) -> usize {
        split(self.jobs(), self.options.max_rec_width)
    }
}

/// [`Reading::split`] of `jobs`.
pub fn split(jobs: &[RotatedRect], max_rec_width: u32) -> usize {
    let cost = |r: &RotatedRect| {
        if r.width.is_finite() && r.height.is_finite() && r.height >= 2.0 && r.width >= 2.0 {
            35.0 + rec_width(r, max_rec_width) as f32
        } else {
            0.0
        }
    };
    let total: f32 = jobs.iter().map(cost).sum();
    let mut sum = 0.0;
    let mut best = (0, total);
    for (i, r) in jobs.iter().enumerate() {
        sum += cost(r);
        let off = (2.0 * sum - total).abs();
        if off < best.1 {
            best = (i + 1, off);
        }
    }
    best.0
}

/// Jobs on the wire: six numbers per rectangle (centre x, y, unit vector along the line x, y,
/// width, height), exact.
pub fn encode_jobs(jobs: &[RotatedRect]) -> Vec<f32> {
    jobs.iter()
        .flat_map(|r| [r.center[0], r.center[1], r.u[0], r.u[1], r.width, r.height])
        .collect()
}

/// The rectangles of [`encode_jobs`].
pub fn decode_jobs(data: &[f32]) -> Result<Vec<RotatedRect>, LocalError> {
    if !data.len().is_multiple_of(6) {
        return Err(LocalError::Input("the jobs are not whole rectangles"));
    }
    Ok(data
        .chunks_exact(6)
        .map(|c| RotatedRect {
            center: [c[0], c[1]],
            u: [c[2], c[3]],
            width: c[4],
            height: c[5],
        })
        .collect())
}

/// Recognition results on the wire (bytes; exact): per job, the number of characters
/// (`u32::MAX`: nothing read), then per character its code, probability, position and ink width, the number
/// of its runners-up and each one's code and probability; then the confidence and whether the
/// line reaches the edge. The rectangle is the job's. Streams of consecutive jobs concatenate.
pub fn encode_results(results: &[Option<Line>]) -> Vec<u8> {
    let mut out = Vec::new();
    let u32s = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    for r in results {
        let Some(l) = r else {
            u32s(&mut out, u32::MAX);
            continue;
        };
        u32s(&mut out, l.chars.len() as u32);
        for (i, &(c, p)) in l.chars.iter().enumerate() {
            u32s(&mut out, c as u32);
            u32s(&mut out, p.to_bits());
            u32s(
                &mut out,
                l.positions.get(i).copied().unwrap_or(0.0).to_bits(),
            );
            u32s(&mut out, l.widths.get(i).copied().unwrap_or(0.0).to_bits());
            let alts = l.alternatives.get(i).map_or(&[][..], |a| &a[..]);
            u32s(&mut out, alts.len() as u32);
            for &(a, q) in alts {
                u32s(&mut out, a as u32);
                u32s(&mut out, q.to_bits());
            }
        }
        u32s(&mut out, l.confidence.to_bits());
        out.push(u8::from(l.at_edge));
    }
    out
}

/// The results of [`encode_results`] for `jobs` (their rectangles, in order).
pub fn decode_results(bytes: &[u8], jobs: &[RotatedRect]) -> Result<Vec<Option<Line>>, LocalError> {
    struct Wire<'a> {
        bytes: &'a [u8],
        at: usize,
    }
    impl Wire<'_> {
        fn byte(&mut self) -> Result<u8, LocalError> {
            let b = *self.bytes.get(self.at).ok_or_else(bad)?;
            self.at += 1;
            Ok(b)
        }
        fn u32(&mut self) -> Result<u32, LocalError> {
            let b = self.bytes.get(self.at..self.at + 4).ok_or_else(bad)?;
            self.at += 4;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        }
        fn f32(&mut self) -> Result<f32, LocalError> {
            self.u32().map(f32::from_bits)
        }
        fn char(&mut self) -> Result<char, LocalError> {
            char::from_u32(self.u32()?).ok_or_else(bad)
        }
    }
    fn bad() -> LocalError {
        LocalError::Inference("the recognition results' encoding")
    }
    let mut w = Wire { bytes, at: 0 };
    let mut out = Vec::with_capacity(jobs.len());
    for &rect in jobs {
        let n = w.u32()?;
        if n == u32::MAX {
            out.push(None);
            continue;
        }
        if n as usize > bytes.len() {
            return Err(bad());
        }
        let mut chars = Vec::with_capacity(n as usize);
        let mut positions = Vec::with_capacity(n as usize);
        let mut widths = Vec::with_capacity(n as usize);
        let mut alternatives = Vec::with_capacity(n as usize);
        for _ in 0..n {
            chars.push((w.char()?, w.f32()?));
            positions.push(w.f32()?);
            widths.push(w.f32()?);
            let k = w.u32()?;
            if k as usize > crate::engine::ALTERNATIVES {
                return Err(bad());
            }
            let mut alts = Vec::with_capacity(k as usize);
            for _ in 0..k {
                alts.push((w.char()?, w.f32()?));
            }
            alternatives.push(alts);
        }
        let confidence = w.f32()?;
        let at_edge = w.byte()? != 0;
        out.push(Some(Line {
            text: chars.iter().map(|c| c.0).collect(),
            chars,
            positions,
            alternatives,
            widths,
            confidence,
            rect,
            at_edge,
        }));
    }
    if w.at != bytes.len() {
        return Err(bad());
    }
    Ok(out)
}
