//! JPEG structure without decoding pixels: the header walk ([`Segments`], used by `probe` up to
//! the first scan) and the frame/scan arithmetic the integrity machine (`integrity.rs`) uses.

use crate::error::ImageError;
use crate::probe::be16;

pub(crate) fn truncated_jpeg() -> ImageError {
    ImageError::invalid("the JPEG data is truncated (the file is incomplete)")
}

/// One step of the header walk.
pub(crate) enum Item<'a> {
    /// A marker segment (every marker but SOI, EOI, TEM and RSTn, which are skipped) and its
    /// payload (the bytes after the length field), or why the payload cannot be read; the walk
    /// stops after such an error, and after a scan header (SOS).
    Segment {
        marker: u8,
        payload: Result<&'a [u8], ImageError>,
    },
    /// EOI. The walk ends.
    Eoi,
}

/// Walks the marker segments of a JPEG's header from just after SOI up to the first scan
/// header (what `probe` needs). The whole-file walk is the integrity machine
/// (`integrity.rs`), which reads files in chunks.
pub(crate) struct Segments<'a> {
    b: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Segments<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Segments {
            b,
            pos: 2,
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

    fn step(&mut self) -> Result<Item<'a>, ImageError> {
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
                marker,
                payload: Ok(_),
            }) if *marker != 0xDA => {}
            _ => self.done = true,
        }
        Some(item)
    }
}

/// SOF markers (every 0xC0..=0xCF but DHT, JPG and DAC).
pub(crate) fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
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
pub(crate) fn coeff_bytes(sof: &[u8]) -> u64 {
    let Some(f) = Frame::parse(sof) else {
        return 0;
    };
    let (mx, my) = f.mcus();
    f.comps
        .iter()
        .map(|&(_, ch, cv)| mx * ch * my * cv * 64 * 2)
        .sum()
}

/// Whether a scan's data (`coded` bytes, a stuffed zero counting one; `restarts` RSTn markers)
/// is shorter than its headers say, where that can be told without decoding: with restart
/// markers it must hold one per interval but the last; a progressive DC refinement scan (Ss = Se
/// = 0, Ah > 0) codes exactly one bit per block and no Huffman codes (so the scan padding cannot
/// expose a cut in it), each restart interval padded to a whole byte.
pub(crate) fn scan_too_short(
    sof: &[u8],
    sos: &[u8],
    progressive: bool,
    restart_interval: u64,
    restarts: u64,
    coded: u64,
) -> bool {
    let Some((units, blocks)) = scan_units(sof, sos) else {
        return false;
    };
    if restart_interval > 0 && restarts < units.div_ceil(restart_interval).saturating_sub(1) {
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
    coded < min
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn header_walk_reports_segments_up_to_the_scan_header() {
        let b = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 7, 8, 0xFF, 0xDA, 0, 3, 9, 1, 2, 0xFF, 0xD9,
        ];
        let items: Vec<_> = Segments::new(&b).map(|i| i.unwrap()).collect();
        assert_eq!(items.len(), 2);
        match &items[0] {
            Item::Segment { marker, payload } => {
                assert_eq!(*marker, 0xE0);
                assert_eq!(payload.as_ref().unwrap(), &[7, 8]);
            }
            _ => panic!("segment expected"),
        }
        assert!(matches!(items[1], Item::Segment { marker: 0xDA, .. }));
    }

    #[test]
    fn header_walk_stops_after_an_error() {
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
    }
}
