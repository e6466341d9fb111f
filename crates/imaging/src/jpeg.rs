//! JPEG structure without decoding pixels: one walk over the marker segments ([`Segments`], used
//! by `probe` up to the frame header and by [`check_jpeg`] to EOI) and the integrity check.

use crate::error::ImageError;
use crate::probe::be16;

pub(crate) fn truncated_jpeg() -> ImageError {
    ImageError::invalid("the JPEG data is truncated (the file is incomplete)")
}

/// One step of the walk.
pub(crate) enum Item<'a> {
    /// A marker segment (every marker but SOI, EOI, TEM and RSTn, which are skipped) and its
    /// payload (the bytes after the length field), or why the payload cannot be read; the walk
    /// stops after such an error.
    Segment {
        marker: u8,
        payload: Result<&'a [u8], ImageError>,
    },
    /// The entropy-coded data following the scan header (SOS segment) just returned.
    Scan(EntropyData),
    /// EOI. The walk ends.
    Eoi,
}

/// Where a scan's entropy-coded data ends and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntropyData {
    /// Offset of the first 0xFF of the marker that ends the scan (RSTn markers are part of the
    /// data; fill bytes before the marker are not).
    pub end: usize,
    /// RSTn markers inside the data.
    pub restarts: u64,
    /// Coded bytes, not counting stuffed zeros and restart markers.
    pub bytes: u64,
}

/// Walks the marker segments of a JPEG from just after SOI. Junk between segments is skipped
/// like libjpeg does. Yields `Err` (and then ends) when the data ends before a marker or inside
/// a scan.
pub(crate) struct Segments<'a> {
    b: &'a [u8],
    pos: usize,
    after_sos: bool,
    done: bool,
}

impl<'a> Segments<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Segments {
            b,
            pos: 2,
            after_sos: false,
            done: false,
        }
    }

    fn payload(&mut self) -> Result<&'a [u8], ImageError> {
        let len = be16(self.b, self.pos).ok_or_else(truncated_jpeg)? as usize;
        if len < 2 {
            return Err(ImageError::invalid(
                "the JPEG data is corrupt (bad segment length)",
            ));
        }
        let end = self.pos.saturating_add(len);
        let p = self.b.get(self.pos + 2..end).ok_or_else(truncated_jpeg)?;
        self.pos = end;
        Ok(p)
    }

    /// Entropy-coded data runs until a marker other than a stuffed 0xFF00 or an RSTn.
    fn entropy(&mut self) -> Result<EntropyData, ImageError> {
        let b = self.b;
        let (mut restarts, mut bytes) = (0u64, 0u64);
        loop {
            let off = b
                .get(self.pos..)
                .and_then(|s| s.iter().position(|&v| v == 0xFF))
                .ok_or_else(truncated_jpeg)?;
            let ff = self.pos + off;
            bytes += off as u64;
            let mut q = ff + 1;
            while b.get(q) == Some(&0xFF) {
                q += 1;
            }
            match *b.get(q).ok_or_else(truncated_jpeg)? {
                0x00 => {
                    bytes += 1;
                    self.pos = q + 1;
                }
                0xD0..=0xD7 => {
                    restarts += 1;
                    self.pos = q + 1;
                }
                _ => {
                    self.pos = ff;
                    return Ok(EntropyData {
                        end: ff,
                        restarts,
                        bytes,
                    });
                }
            }
        }
    }

    fn step(&mut self) -> Result<Item<'a>, ImageError> {
        if std::mem::take(&mut self.after_sos) {
            return self.entropy().map(Item::Scan);
        }
        let b = self.b;
        loop {
            while b.get(self.pos).is_some_and(|&v| v != 0xFF) {
                self.pos += 1;
            }
            while b.get(self.pos) == Some(&0xFF) {
                self.pos += 1;
            }
            let marker = *b.get(self.pos).ok_or_else(truncated_jpeg)?;
            self.pos += 1;
            match marker {
                0xD9 => return Ok(Item::Eoi),
                0xD8 | 0x01 | 0xD0..=0xD7 => continue,
                _ => {
                    let payload = self.payload();
                    return Ok(Item::Segment { marker, payload });
                }
            }
        }
    }
}

impl<'a> Iterator for Segments<'a> {
    type Item = Result<Item<'a>, ImageError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.step();
        match &item {
            Ok(Item::Segment {
                marker: 0xDA,
                payload: Ok(_),
            }) => self.after_sos = true,
            Ok(Item::Segment { payload: Ok(_), .. }) | Ok(Item::Scan(_)) => {}
            _ => self.done = true,
        }
        Some(item)
    }
}

/// SOF markers (every 0xC0..=0xCF but DHT, JPG and DAC).
pub(crate) fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Result of [`check_jpeg`]: the file is whole as far as its structure tells, and this is what
/// the rest of the pipeline needs from the structure.
pub(crate) struct JpegLayout {
    /// Baseline/extended/progressive Huffman with 1 or 3 components (safe to forward untouched).
    pub forwardable: bool,
    /// For progressive JPEGs: bytes of the whole-image DCT coefficient buffer a decoder must hold
    /// (2 bytes per coefficient at full resolution, whatever the output scale). 0 otherwise.
    pub progressive_coeff_bytes: u64,
    /// [`EntropyData::end`] of every scan, ascending: where the decoder's input gets the padding
    /// that exposes a scan cut short (see `scanpad`).
    pub scan_ends: Vec<usize>,
}

/// A frame header (SOF payload): size, components (id, h, v sampling) and the largest sampling
/// factors.
struct Frame {
    w: u64,
    h: u64,
    comps: Vec<(u8, u64, u64)>,
    hmax: u64,
    vmax: u64,
}

impl Frame {
    fn parse(sof: &[u8]) -> Option<Frame> {
        let h = be16(sof, 1)? as u64;
        let w = be16(sof, 3)? as u64;
        let n = *sof.get(5)? as usize;
        let comps: Vec<(u8, u64, u64)> = (0..n)
            .map(|i| {
                let &[id, hv, _] = sof.get(6 + i * 3..9 + i * 3)? else {
                    return None;
                };
                Some((id, ((hv >> 4) as u64).max(1), ((hv & 15) as u64).max(1)))
            })
            .collect::<Option<_>>()?;
        let hmax = comps.iter().map(|c| c.1).max()?;
        let vmax = comps.iter().map(|c| c.2).max()?;
        Some(Frame {
            w,
            h,
            comps,
            hmax,
            vmax,
        })
    }

    /// MCU columns and rows.
    fn mcus(&self) -> (u64, u64) {
        (
            self.w.div_ceil(8 * self.hmax),
            self.h.div_ceil(8 * self.vmax),
        )
    }

    /// Sampling factors of component `id`.
    fn sampling(&self, id: u8) -> Option<(u64, u64)> {
        self.comps.iter().find(|c| c.0 == id).map(|c| (c.1, c.2))
    }
}

/// MCUs (interleaved scan) or blocks (single-component scan) the scan `sos` codes, from the SOF
/// payload `sof`, and the blocks in each of those units. `None` when the headers do not say.
fn scan_units(sof: &[u8], sos: &[u8]) -> Option<(u64, u64)> {
    let f = Frame::parse(sof)?;
    let ns = *sos.first()? as usize;
    if ns == 1 {
        let (ch, cv) = f.sampling(*sos.get(1)?)?;
        let cw = (f.w * ch).div_ceil(f.hmax);
        let chh = (f.h * cv).div_ceil(f.vmax);
        Some((cw.div_ceil(8) * chh.div_ceil(8), 1))
    } else {
        let blocks = (0..ns)
            .map(|i| f.sampling(*sos.get(1 + i * 2)?).map(|(ch, cv)| ch * cv))
            .sum::<Option<u64>>()?;
        let (mx, my) = f.mcus();
        Some((mx * my, blocks))
    }
}

/// Coefficient buffer size of a progressive frame from its SOF payload (0 when unreadable).
fn coeff_bytes(sof: &[u8]) -> u64 {
    let Some(f) = Frame::parse(sof) else {
        return 0;
    };
    let (mx, my) = f.mcus();
    f.comps
        .iter()
        .map(|&(_, ch, cv)| mx * ch * my * cv * 64 * 2)
        .sum()
}

/// Whether a scan's data is shorter than its headers say, where that can be told without
/// decoding: with restart markers it must hold one per interval but the last; a progressive DC
/// refinement scan (Ss = Se = 0, Ah > 0) codes exactly one bit per block and no Huffman codes (so
/// the scan padding cannot expose a cut in it), each restart interval padded to a whole byte.
fn scan_too_short(
    sof: &[u8],
    sos: &[u8],
    progressive: bool,
    restart_interval: u64,
    data: &EntropyData,
) -> bool {
    let Some((units, blocks)) = scan_units(sof, sos) else {
        return false;
    };
    if restart_interval > 0 && data.restarts < units.div_ceil(restart_interval).saturating_sub(1) {
        return true;
    }
    let ns = sos.first().copied().unwrap_or(0) as usize;
    let dc_refinement = progressive
        && matches!(sos.get(1 + ns * 2..4 + ns * 2), Some(&[0, 0, ahal]) if ahal >> 4 != 0);
    if !dc_refinement {
        return false;
    }
    let bytes = |u: u64| (u * blocks).div_ceil(8);
    let min = match restart_interval {
        0 => bytes(units),
        ri => (units / ri) * bytes(ri) + bytes(units % ri),
    };
    data.bytes < min
}

/// Structural check of a whole JPEG: every segment length lies inside the data, at least one scan
/// exists, and the entropy-coded data of the last scan is followed by an EOI marker. With restart
/// markers, every scan holds as many as its MCU count implies; a progressive DC refinement scan
/// holds its one bit per block. (A scan cut short and re-closed without restart markers is
/// caught while decoding, see `scanpad`.) Decoders pad missing scan data with zeros (a grey/green
/// lower half); this refuses such files instead.
pub(crate) fn check_jpeg(b: &[u8]) -> Result<JpegLayout, ImageError> {
    let mut scans = 0u32;
    let mut forwardable = false;
    let mut saw_frame = false;
    let mut progressive = false;
    let mut progressive_coeff_bytes = 0u64;
    let mut frame: &[u8] = &[];
    let mut scan_header: &[u8] = &[];
    let mut restart_interval = 0u64;
    let mut scan_ends = Vec::new();
    for item in Segments::new(b) {
        match item? {
            Item::Eoi => {
                if scans == 0 || !saw_frame {
                    return Err(ImageError::invalid(
                        "the JPEG data contains no image scan (corrupt file)",
                    ));
                }
                return Ok(JpegLayout {
                    forwardable,
                    progressive_coeff_bytes,
                    scan_ends,
                });
            }
            Item::Segment { marker, payload } => {
                let payload = payload?;
                if is_sof(marker) {
                    saw_frame = true;
                    frame = payload;
                    let comps = payload.get(5).copied().unwrap_or(0);
                    forwardable = matches!(marker, 0xC0..=0xC2) && (comps == 1 || comps == 3);
                    progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
                    if progressive {
                        progressive_coeff_bytes = coeff_bytes(payload);
                    }
                }
                if marker == 0xDD {
                    restart_interval = be16(payload, 0).unwrap_or(0) as u64;
                }
                if marker == 0xDA {
                    scans += 1;
                    scan_header = payload;
                }
            }
            Item::Scan(data) => {
                scan_ends.push(data.end);
                // A scan cut short and closed by a marker (which decoders silently fill with
                // grey), where the headers tell.
                if scan_too_short(frame, scan_header, progressive, restart_interval, &data) {
                    return Err(truncated_jpeg());
                }
            }
        }
    }
    // The walk ends with EOI or an error, both returned above.
    Err(truncated_jpeg())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn walk_reports_segments_scans_and_the_end() {
        // SOI, APP0 (2 payload bytes), SOS (1 byte), data with a stuffed FF and an RST, fill
        // bytes, EOI.
        let b = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 7, 8, 0xFF, 0xDA, 0, 3, 9, 1, 2, 0xFF, 0x00, 3, 0xFF,
            0xD0, 4, 0xFF, 0xFF, 0xD9,
        ];
        let items: Vec<_> = Segments::new(&b).map(|i| i.unwrap()).collect();
        assert_eq!(items.len(), 4);
        match &items[0] {
            Item::Segment { marker, payload } => {
                assert_eq!(*marker, 0xE0);
                assert_eq!(payload.as_ref().unwrap(), &[7, 8]);
            }
            _ => panic!("segment expected"),
        }
        match &items[2] {
            Item::Scan(d) => assert_eq!(
                *d,
                EntropyData {
                    end: 21,
                    restarts: 1,
                    bytes: 5
                }
            ),
            _ => panic!("scan expected"),
        }
        assert!(matches!(items[3], Item::Eoi));
    }

    #[test]
    fn walk_stops_after_an_error() {
        let b = [0xFF, 0xD8, 0xFF, 0xE0, 0, 9, 1];
        let items: Vec<_> = Segments::new(&b).collect();
        assert_eq!(items.len(), 1);
        assert!(matches!(
            items[0],
            Ok(Item::Segment {
                payload: Err(_),
                ..
            })
        ));
        let b = [0xFF, 0xD8, 0xFF, 0xDA, 0, 3, 9, 1, 2];
        let items: Vec<_> = Segments::new(&b).collect();
        assert_eq!(items.len(), 2);
        assert!(items[1].is_err());
    }
}
