//! The structure check of a whole file, without decoding pixels: one sans-IO state machine per
//! file, fed in chunks ([`Integrity::push`]) from the offset it asks for ([`Integrity::wants`]),
//! so that a browser never copies a whole photo into wasm memory and skipped data (PNG/WebP chunk
//! payloads, JPEG segments it does not need) is never read at all.
//!
//! What is checked, per format (a file that fails is truncated or corrupt, never sent):
//! - JPEG: SOI, then markers with nothing but fill bytes between segments; every segment inside
//!   the data; a sane frame header (SOF) and scan headers (SOS) naming the frame's components, a
//!   quantization table before the first scan; entropy-coded data closed by a marker; EOI after
//!   at least one scan. With restart markers each scan holds the markers its MCU count implies; a
//!   progressive DC refinement scan holds its one bit per block. [`Verdict::end`] is just after
//!   EOI (bytes after it are never sent).
//! - PNG: signature, IHDR first and valid, chunk types of four letters, every length inside the
//!   data, IDAT before IEND (CRCs are not checked).
//! - GIF: header, colour tables, every block and sub-block to the trailer (or to the end of the
//!   data after a complete image).
//! - WebP: the RIFF size inside the data, chunks of printable FourCCs inside it, a valid VP8/VP8L
//!   image header.
//! - BMP: a known header, 1 plane, a known bit depth, the pixel array inside the data.

use crate::error::ImageError;
use crate::probe::{be16, be32, le16, le32, SourceFormat};

/// The checker's answer for a whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// JPEG only: baseline/extended/progressive Huffman with 1 or 3 components (safe to send
    /// untouched).
    pub forwardable: bool,
    /// Where the image ends: just after EOI for a JPEG, the whole length otherwise. What is sent
    /// untouched is the bytes up to here.
    pub end: u64,
    /// JPEG: bytes of a progressive frame's whole-image coefficient buffer (0 otherwise).
    pub progressive_coeff_bytes: u64,
    /// JPEG: the offset where each scan's entropy-coded data ends (see `scanpad`). Empty after a
    /// quick check.
    pub(crate) scan_ends: Vec<usize>,
}

fn truncated(f: SourceFormat) -> ImageError {
    ImageError::invalid(format!(
        "the {} data is truncated (the file is incomplete)",
        crate::probe::display_name(f)
    ))
}
fn corrupt(f: SourceFormat) -> ImageError {
    ImageError::invalid(format!(
        "the {} data is corrupt (not a well-formed image file)",
        crate::probe::display_name(f)
    ))
}

/// What the machine does with the next bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Collect exactly this many bytes into `acc`, then hand them to the format's step.
    Read(usize),
    /// Entropy-coded JPEG data: scan for the marker that ends it.
    Entropy,
    /// The verdict is known.
    Done,
}

/// The format step that the bytes of the current `Read` are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    // JPEG
    JSoi,
    JFill,
    JMarker,
    JLen(u8),
    JPayload(u8),
    /// Quick check: the last two bytes; `u64` is where the full walk resumes.
    JTail(u64),
    // PNG
    PSig,
    PChunk,
    PIhdr,
    // GIF
    GHeader,
    GBlock,
    GLabel,
    GDescriptor,
    GCodeSize,
    /// A sub-block size byte; `bool`: the sub-blocks are an image's data.
    GSub(bool),
    // WebP
    WRiff,
    WChunk,
    WImage([u8; 4]),
    // BMP
    BHeader,
    BInfo,
}

/// The structure check of one file, fed in chunks. See the module documentation.
///
/// ```text
/// let mut c = Integrity::new(format, len, false);
/// while let Some(at) = c.wants() { c.push(&bytes[at..(at + CHUNK).min(len)]); }
/// let verdict = c.finish()?;
/// ```
pub struct Integrity {
    format: SourceFormat,
    len: u64,
    /// Offset of the next byte the machine wants.
    pos: u64,
    mode: Mode,
    stage: Stage,
    acc: Vec<u8>,
    quick: bool,
    result: Option<Result<Verdict, ImageError>>,
    // JPEG
    frame: Vec<u8>,
    frame_marker: u8,
    scan_header: Vec<u8>,
    restart_interval: u64,
    scans: u32,
    saw_dqt: bool,
    forwardable: bool,
    coeff_bytes: u64,
    scan_ends: Vec<usize>,
    /// Entropy data: inside a run of 0xFF bytes that started at this offset.
    ff_at: Option<u64>,
    restarts: u64,
    coded: u64,
    // PNG / GIF / WebP
    saw_image: bool,
    /// WebP: the end of the RIFF data; BMP: the pixel array's offset.
    riff_end: u64,
    /// WebP: bytes of the image chunk left after its header.
    pad: u64,
}

impl Integrity {
    /// A check of a `len`-byte file in `format`. `quick` (the browser's decoders) skips reading
    /// the entropy-coded data of a sequential JPEG whose one interleaved scan is followed by EOI
    /// at the very end of the file: the same verdict without reading megabytes (a file cut in
    /// transit never ends in FF D9; one closed again is caught by the decode check after).
    pub fn new(format: SourceFormat, len: u64, quick: bool) -> Self {
        let (mode, stage) = match format {
            SourceFormat::Jpeg => (Mode::Read(2), Stage::JSoi),
            SourceFormat::Png => (Mode::Read(8), Stage::PSig),
            SourceFormat::Gif => (Mode::Read(13), Stage::GHeader),
            SourceFormat::Webp => (Mode::Read(12), Stage::WRiff),
            SourceFormat::Bmp => (Mode::Read(18), Stage::BHeader),
            SourceFormat::Heif => (Mode::Done, Stage::JSoi),
        };
        let mut c = Integrity {
            format,
            len,
            pos: 0,
            mode,
            stage,
            acc: Vec::new(),
            quick,
            result: None,
            frame: Vec::new(),
            frame_marker: 0,
            scan_header: Vec::new(),
            restart_interval: 0,
            scans: 0,
            saw_dqt: false,
            forwardable: false,
            coeff_bytes: 0,
            scan_ends: Vec::new(),
            ff_at: None,
            restarts: 0,
            coded: 0,
            saw_image: false,
            riff_end: 0,
            pad: 0,
        };
        if mode == Mode::Done {
            c.done(len);
        }
        c
    }

    /// The offset of the next bytes to [`push`](Self::push), or `None` once the verdict is known.
    /// At or past the end of the file, push an empty chunk (the machine then gives its verdict).
    pub fn wants(&self) -> Option<u64> {
        (self.mode != Mode::Done).then_some(self.pos)
    }

    /// Feeds bytes that start at [`wants`](Self::wants). Extra bytes past what the machine takes
    /// are ignored (it then asks again). An empty chunk means the file ends here.
    pub fn push(&mut self, chunk: &[u8]) {
        if chunk.is_empty() {
            self.at_end();
            return;
        }
        let mut rest = chunk;
        let start = self.pos;
        while !rest.is_empty() && self.mode != Mode::Done && self.pos >= start {
            let before = self.pos;
            let taken = match self.step(rest) {
                Ok(n) => n,
                Err(e) => {
                    self.fail(e);
                    return;
                }
            };
            rest = rest.get(taken..).unwrap_or(&[]);
            // A jump (skip or seek) makes the rest of the chunk useless: ask again.
            if self.pos != before + taken as u64 {
                return;
            }
        }
    }

    /// The verdict: call once [`wants`](Self::wants) is `None` (or earlier: a check that did not
    /// get its bytes says the data is truncated).
    pub fn finish(mut self) -> Result<Verdict, ImageError> {
        if self.result.is_none() {
            self.at_end();
        }
        let f = self.format;
        self.result.unwrap_or_else(|| Err(truncated(f)))
    }

    fn fail(&mut self, e: ImageError) {
        self.mode = Mode::Done;
        self.result = Some(Err(e));
    }

    fn done(&mut self, end: u64) {
        self.mode = Mode::Done;
        self.result = Some(Ok(Verdict {
            forwardable: self.forwardable,
            end,
            progressive_coeff_bytes: self.coeff_bytes,
            scan_ends: std::mem::take(&mut self.scan_ends),
        }));
    }

    /// The data ended (or the machine wants bytes past the end).
    fn at_end(&mut self) {
        if self.mode == Mode::Done {
            return;
        }
        let f = self.format;
        // A GIF may end without its trailer after a complete image.
        if f == SourceFormat::Gif
            && self.stage == Stage::GBlock
            && self.acc.is_empty()
            && self.saw_image
        {
            return self.done(self.pos);
        }
        self.fail(truncated(f));
    }

    /// Takes bytes from `data` (at `self.pos`); returns how many were used.
    fn step(&mut self, data: &[u8]) -> Result<usize, ImageError> {
        match self.mode {
            Mode::Done => Ok(data.len()),
            Mode::Entropy => self.entropy(data),
            Mode::Read(n) => {
                let take = n.saturating_sub(self.acc.len()).min(data.len());
                let Some(head) = data.get(..take) else {
                    return Ok(data.len());
                };
                if self.acc.is_empty() && take == n {
                    // The common case: the whole read is in this chunk, no copy.
                    self.pos += take as u64;
                    self.on_read(head)?;
                    return Ok(take);
                }
                self.acc.extend_from_slice(head);
                self.pos += take as u64;
                if self.acc.len() == n {
                    let acc = std::mem::take(&mut self.acc);
                    self.on_read(&acc)?;
                    if self.acc.is_empty() {
                        self.acc = acc;
                        self.acc.clear();
                    }
                }
                Ok(take)
            }
        }
    }

    fn read(&mut self, n: usize, stage: Stage) {
        self.stage = stage;
        self.mode = Mode::Read(n);
        // Zero-length reads complete at once (an empty payload).
        if n == 0 {
            if let Err(e) = self.on_read(&[]) {
                self.fail(e);
            }
        }
    }

    /// Skips `n` bytes, then reads `then_n` for `stage`. Past the end of the data: truncated.
    fn skip_then(&mut self, n: u64, then_n: usize, stage: Stage) -> Result<(), ImageError> {
        self.pos = self.pos.saturating_add(n);
        if self.pos > self.len {
            return Err(truncated(self.format));
        }
        self.read(then_n, stage);
        Ok(())
    }

    fn on_read(&mut self, b: &[u8]) -> Result<(), ImageError> {
        match self.format {
            SourceFormat::Jpeg => self.jpeg(b),
            SourceFormat::Png => self.png(b),
            SourceFormat::Gif => self.gif(b),
            SourceFormat::Webp => self.webp(b),
            _ => self.bmp(b),
        }
    }

    // ---------------------------------------------------------------------------------------
    // JPEG

    fn jpeg(&mut self, b: &[u8]) -> Result<(), ImageError> {
        let f = SourceFormat::Jpeg;
        match self.stage {
            Stage::JSoi => {
                if b != [0xFF, 0xD8] {
                    return Err(corrupt(f));
                }
                self.read(1, Stage::JFill);
            }
            Stage::JFill => {
                // Between segments only fill bytes: junk there is what "magic bytes + garbage"
                // looks like.
                if b != [0xFF] {
                    return Err(corrupt(f));
                }
                self.read(1, Stage::JMarker);
            }
            Stage::JMarker => {
                let m = b.first().copied().unwrap_or(0);
                self.marker(m)?;
            }
            Stage::JLen(m) => {
                let len = be16(b, 0).unwrap_or(0);
                if len < 2 {
                    return Err(ImageError::invalid(
                        "the JPEG data is corrupt (bad segment length)",
                    ));
                }
                let n = (len - 2) as usize;
                if self.pos + n as u64 > self.len {
                    return Err(truncated(f));
                }
                if matches!(m, 0xDA | 0xDD) || crate::jpeg::is_sof(m) {
                    self.read(n, Stage::JPayload(m));
                } else {
                    if m == 0xDB {
                        self.saw_dqt = true;
                    }
                    self.skip_then(n as u64, 1, Stage::JFill)?;
                }
            }
            Stage::JPayload(m) => self.segment(m, b)?,
            Stage::JTail(resume) => {
                if b == [0xFF, 0xD9] {
                    self.done(self.len);
                } else {
                    self.pos = resume;
                    self.mode = Mode::Entropy;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn marker(&mut self, m: u8) -> Result<(), ImageError> {
        match m {
            0xFF => self.read(1, Stage::JMarker),
            0xD9 => {
                if self.scans == 0 || self.frame.is_empty() {
                    return Err(ImageError::invalid(
                        "the JPEG data contains no image scan (corrupt file)",
                    ));
                }
                self.done(self.pos);
            }
            0x01 | 0xD0..=0xD7 => self.read(1, Stage::JFill),
            0x00 | 0xD8 => return Err(corrupt(SourceFormat::Jpeg)),
            _ => self.read(2, Stage::JLen(m)),
        }
        Ok(())
    }

    fn segment(&mut self, m: u8, p: &[u8]) -> Result<(), ImageError> {
        let bad = || ImageError::invalid("the JPEG data is corrupt (bad frame or scan header)");
        if crate::jpeg::is_sof(m) {
            let n = p.get(5).copied().unwrap_or(0) as usize;
            let precision = p.first().copied().unwrap_or(0);
            let sane = (1..=4).contains(&n)
                && p.len() == 6 + 3 * n
                && matches!(precision, 2..=16)
                && be16(p, 3).is_some_and(|w| w > 0)
                && (0..n).all(|i| {
                    p.get(7 + 3 * i).is_some_and(|&hv| {
                        (1..=4).contains(&(hv >> 4)) && (1..=4).contains(&(hv & 15))
                    })
                });
            if !sane || !self.frame.is_empty() {
                return Err(bad());
            }
            self.frame = p.to_vec();
            self.frame_marker = m;
            self.forwardable = matches!(m, 0xC0..=0xC2) && (n == 1 || n == 3);
            if progressive(m) {
                self.coeff_bytes = crate::jpeg::coeff_bytes(p);
            }
            self.read(1, Stage::JFill);
        } else if m == 0xDD {
            self.restart_interval = be16(p, 0).unwrap_or(0) as u64;
            self.read(1, Stage::JFill);
        } else {
            // SOS: components named by the frame, then the entropy-coded data.
            let ns = p.first().copied().unwrap_or(0) as usize;
            let frame_has = |id: u8| {
                let n = self.frame.get(5).copied().unwrap_or(0) as usize;
                (0..n).any(|i| self.frame.get(6 + 3 * i) == Some(&id))
            };
            if self.frame.is_empty() {
                return Err(ImageError::invalid(
                    "the JPEG data has no frame header (corrupt file)",
                ));
            }
            let sane = (1..=4).contains(&ns)
                && p.len() == 4 + 2 * ns
                && (0..ns).all(|i| p.get(1 + 2 * i).is_some_and(|&id| frame_has(id)))
                && self.saw_dqt;
            if !sane {
                return Err(bad());
            }
            self.scans += 1;
            self.scan_header = p.to_vec();
            self.restarts = 0;
            self.coded = 0;
            self.ff_at = None;
            self.mode = Mode::Entropy;
            let frame_comps = self.frame.get(5).copied().unwrap_or(0) as usize;
            if self.quick
                && self.scans == 1
                && self.restart_interval == 0
                && matches!(self.frame_marker, 0xC0 | 0xC1)
                && ns == frame_comps
                && self.len >= self.pos + 2
            {
                let resume = self.pos;
                self.pos = self.len - 2;
                self.read(2, Stage::JTail(resume));
            }
        }
        Ok(())
    }

    /// Entropy-coded data runs to a marker other than a stuffed FF 00 or an RSTn.
    fn entropy(&mut self, data: &[u8]) -> Result<usize, ImageError> {
        let mut i = 0usize;
        while i < data.len() {
            if self.ff_at.is_none() {
                match data
                    .get(i..)
                    .and_then(|s| s.iter().position(|&v| v == 0xFF))
                {
                    None => {
                        self.coded += (data.len() - i) as u64;
                        self.pos += (data.len() - i) as u64;
                        return Ok(data.len());
                    }
                    Some(off) => {
                        self.coded += off as u64;
                        self.ff_at = Some(self.pos + off as u64);
                        i += off + 1;
                        self.pos += off as u64 + 1;
                        continue;
                    }
                }
            }
            let v = data.get(i).copied().unwrap_or(0xFF);
            i += 1;
            self.pos += 1;
            match v {
                0xFF => {}
                0x00 => {
                    self.coded += 1;
                    self.ff_at = None;
                }
                0xD0..=0xD7 => {
                    self.restarts += 1;
                    self.ff_at = None;
                }
                m => {
                    let end = self.ff_at.take().unwrap_or(self.pos);
                    self.scan_ends
                        .push(usize::try_from(end).unwrap_or(usize::MAX));
                    if crate::jpeg::scan_too_short(
                        &self.frame,
                        &self.scan_header,
                        progressive(self.frame_marker),
                        self.restart_interval,
                        self.restarts,
                        self.coded,
                    ) {
                        return Err(truncated(SourceFormat::Jpeg));
                    }
                    self.marker(m)?;
                    return Ok(i);
                }
            }
        }
        Ok(i)
    }

    // ---------------------------------------------------------------------------------------
    // PNG

    fn png(&mut self, b: &[u8]) -> Result<(), ImageError> {
        let f = SourceFormat::Png;
        match self.stage {
            Stage::PSig => {
                if b != b"\x89PNG\r\n\x1a\n" {
                    return Err(corrupt(f));
                }
                self.read(8, Stage::PChunk);
            }
            Stage::PChunk => {
                let len = be32(b, 0).unwrap_or(u32::MAX);
                let kind = b.get(4..8).unwrap_or(&[]);
                if len > 0x7FFF_FFFF || !kind.iter().all(u8::is_ascii_alphabetic) {
                    return Err(corrupt(f));
                }
                let first = self.pos == 16;
                if first != (kind == b"IHDR") {
                    return Err(corrupt(f));
                }
                match kind {
                    b"IHDR" => {
                        if len != 13 {
                            return Err(corrupt(f));
                        }
                        self.read(13, Stage::PIhdr);
                    }
                    b"IEND" => {
                        if !self.saw_image {
                            return Err(ImageError::invalid(
                                "the PNG contains no image data (corrupt file)",
                            ));
                        }
                        let end = self.pos + len as u64 + 4;
                        if end > self.len {
                            return Err(truncated(f));
                        }
                        self.done(end);
                    }
                    _ => {
                        self.saw_image |= kind == b"IDAT";
                        self.skip_then(len as u64 + 4, 8, Stage::PChunk)?;
                    }
                }
            }
            Stage::PIhdr => {
                let (w, h) = (be32(b, 0).unwrap_or(0), be32(b, 4).unwrap_or(0));
                let (depth, color) = (b.get(8).copied(), b.get(9).copied());
                let ok = matches!(
                    (color, depth),
                    (Some(0), Some(1 | 2 | 4 | 8 | 16))
                        | (Some(3), Some(1 | 2 | 4 | 8))
                        | (Some(2 | 4 | 6), Some(8 | 16))
                ) && b
                    .get(10..13)
                    .is_some_and(|r| r[0] == 0 && r[1] == 0 && r[2] <= 1)
                    && w > 0
                    && h > 0;
                if !ok {
                    return Err(corrupt(f));
                }
                self.skip_then(4, 8, Stage::PChunk)?;
            }
            _ => {}
        }
        Ok(())
    }

    // ---------------------------------------------------------------------------------------
    // GIF

    fn gif(&mut self, b: &[u8]) -> Result<(), ImageError> {
        let f = SourceFormat::Gif;
        let byte = b.first().copied().unwrap_or(0);
        let table = |flags: u8| {
            if flags & 0x80 != 0 {
                3u64 << ((flags & 7) + 1)
            } else {
                0
            }
        };
        match self.stage {
            Stage::GHeader => {
                let flags = b.get(10).copied().unwrap_or(0);
                self.skip_then(table(flags), 1, Stage::GBlock)?;
            }
            Stage::GBlock => match byte {
                0x21 => self.read(1, Stage::GLabel),
                0x2C => self.read(9, Stage::GDescriptor),
                0x3B if self.saw_image => self.done(self.pos),
                _ if self.saw_image => return Err(corrupt(f)),
                _ => {
                    return Err(ImageError::invalid(
                        "the GIF contains no image (corrupt file)",
                    ))
                }
            },
            Stage::GLabel => self.read(1, Stage::GSub(false)),
            Stage::GDescriptor => {
                let flags = b.get(8).copied().unwrap_or(0);
                self.skip_then(table(flags), 1, Stage::GCodeSize)?;
            }
            Stage::GCodeSize => {
                if !(1..=11).contains(&byte) {
                    return Err(corrupt(f));
                }
                self.read(1, Stage::GSub(true));
            }
            Stage::GSub(image) => {
                if byte == 0 {
                    self.saw_image |= image;
                    self.read(1, Stage::GBlock);
                } else {
                    self.skip_then(byte as u64, 1, Stage::GSub(image))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    // ---------------------------------------------------------------------------------------
    // WebP

    fn webp(&mut self, b: &[u8]) -> Result<(), ImageError> {
        let f = SourceFormat::Webp;
        match self.stage {
            Stage::WRiff => {
                if b.get(0..4) != Some(b"RIFF") || b.get(8..12) != Some(b"WEBP") {
                    return Err(corrupt(f));
                }
                self.riff_end = 8 + le32(b, 4).unwrap_or(0) as u64;
                if self.riff_end > self.len {
                    return Err(truncated(f));
                }
                self.next_webp_chunk()?;
            }
            Stage::WChunk => {
                let kind: [u8; 4] = b
                    .get(0..4)
                    .and_then(|k| k.try_into().ok())
                    .unwrap_or([0; 4]);
                let size = le32(b, 4).unwrap_or(0) as u64;
                let padded = size + (size & 1);
                if !kind.iter().all(|&c| c.is_ascii_alphanumeric() || c == b' ') {
                    return Err(corrupt(f));
                }
                let first = self.pos == 20;
                let image = matches!(&kind, b"VP8 " | b"VP8L");
                if first && !(image || &kind == b"VP8X") {
                    return Err(corrupt(f));
                }
                if self.pos + padded > self.riff_end {
                    return Err(truncated(f));
                }
                let head = match &kind {
                    b"VP8 " => 10,
                    b"VP8L" => 5,
                    _ => 0,
                };
                if head > 0 {
                    if size < head {
                        return Err(corrupt(f));
                    }
                    self.saw_image = true;
                    self.pad = padded - head;
                    self.read(head as usize, Stage::WImage(kind));
                } else {
                    self.saw_image |= &kind == b"ANMF";
                    self.pos += padded;
                    self.next_webp_chunk()?;
                }
            }
            Stage::WImage(kind) => {
                let ok = if &kind == b"VP8 " {
                    b.get(3..6) == Some(&[0x9d, 0x01, 0x2a])
                        && le16(b, 6).is_some_and(|w| w & 0x3fff > 0)
                        && le16(b, 8).is_some_and(|h| h & 0x3fff > 0)
                } else {
                    b.first() == Some(&0x2f) && b.get(4).is_some_and(|v| v >> 5 == 0)
                };
                if !ok {
                    return Err(corrupt(f));
                }
                self.pos += self.pad;
                self.next_webp_chunk()?;
            }
            _ => {}
        }
        Ok(())
    }

    fn next_webp_chunk(&mut self) -> Result<(), ImageError> {
        if self.pos >= self.riff_end {
            if !self.saw_image {
                return Err(corrupt(SourceFormat::Webp));
            }
            self.done(self.riff_end);
            return Ok(());
        }
        if self.pos + 8 > self.riff_end {
            return Err(truncated(SourceFormat::Webp));
        }
        self.read(8, Stage::WChunk);
        Ok(())
    }

    // ---------------------------------------------------------------------------------------
    // BMP

    fn bmp(&mut self, b: &[u8]) -> Result<(), ImageError> {
        let f = SourceFormat::Bmp;
        match self.stage {
            Stage::BHeader => {
                let dib = le32(b, 14).unwrap_or(0);
                if b.get(0..2) != Some(b"BM") || !matches!(dib, 12 | 40 | 52 | 56 | 64 | 108 | 124)
                {
                    return Err(corrupt(f));
                }
                self.riff_end = le32(b, 10).unwrap_or(0) as u64; // the pixel array's offset
                self.read(if dib == 12 { 8 } else { 16 }, Stage::BInfo);
            }
            Stage::BInfo => {
                let core = b.len() == 8;
                let (w, h, planes, bpp, compression) = if core {
                    let g = |at| le16(b, at).unwrap_or(0) as u64;
                    (g(0), g(2), g(4), g(6), 0)
                } else {
                    let h = le32(b, 4).unwrap_or(0) as i32;
                    (
                        le32(b, 0).unwrap_or(0) as u64,
                        h.unsigned_abs() as u64,
                        le16(b, 8).unwrap_or(0) as u64,
                        le16(b, 10).unwrap_or(0) as u64,
                        le32(b, 12).unwrap_or(0),
                    )
                };
                let data = self.riff_end;
                if planes != 1
                    || !matches!(bpp, 1 | 4 | 8 | 16 | 24 | 32)
                    || w == 0
                    || h == 0
                    || data < self.pos
                    || compression > 6
                {
                    return Err(corrupt(f));
                }
                let need = if matches!(compression, 0 | 3 | 6) {
                    (w * bpp).div_ceil(32) * 4 * h
                } else {
                    1 // RLE and embedded JPEG/PNG: the decoder judges their data
                };
                if data.saturating_add(need) > self.len {
                    return Err(truncated(f));
                }
                self.done(self.len);
            }
            _ => {}
        }
        Ok(())
    }
}

fn progressive(sof: u8) -> bool {
    matches!(sof, 0xC2 | 0xC6 | 0xCA | 0xCE)
}

/// The whole check on bytes in memory.
pub(crate) fn check(format: SourceFormat, b: &[u8], quick: bool) -> Result<Verdict, ImageError> {
    let mut c = Integrity::new(format, b.len() as u64, quick);
    while let Some(at) = c.wants() {
        let at = usize::try_from(at).unwrap_or(usize::MAX);
        c.push(b.get(at..).unwrap_or(&[]));
    }
    c.finish()
}
