//! A zero-copy `Read` over a JPEG that appends a run of stuffed `FF 00` bytes to the
//! entropy-coded data of every scan (just before the marker that ends the scan).
//!
//! Why: a JPEG cut short and closed again with a marker (EOI) decodes "successfully" in
//! jpeg-decoder, which feeds zero bits once it sees a marker, so the missing part comes out flat
//! grey. A stuffed `FF 00` is eight 1-bits to the Huffman decoder and is skipped by a marker
//! search. A complete scan never needs them: the decoder has finished its last block when it
//! reaches them (it reads at most 8 bytes ahead), and the marker search after the scan steps
//! over the rest of the run to the real marker. A scan that was cut short must decode its next
//! Huffman code from all 1-bits, which no valid table has (JPEG reserves the all-ones code), so
//! the decoder fails while this reader is inside a padding run (its `in_padding` flag).
//!
//! Depends on `std` only.

use std::cell::Cell;
use std::io::{self, Read};

/// Stuffed pairs per run: 32 pairs = 256 one-bits, several times the decoder's 64-bit
/// read-ahead plus the longest code and extra bits it can take before it fails.
pub(crate) const PAD_PAIRS: usize = 32;

static PAD: [u8; PAD_PAIRS * 2] = {
    let mut a = [0u8; PAD_PAIRS * 2];
    let mut i = 0;
    while i < a.len() {
        a[i] = 0xFF;
        i += 2;
    }
    a
};

/// Presents `src` with [`PAD`] inserted at each offset of `scan_ends` (ascending; offsets that
/// are out of order or past the end are ignored). `in_padding` is set while the last byte handed
/// out came from a padding run (the decoder failing then means it needed more entropy-coded data
/// than the scan holds); it lives outside so that the reader can be moved into the decoder.
pub(crate) struct PaddedScans<'a> {
    in_padding: &'a Cell<bool>,
    src: &'a [u8],
    scan_ends: &'a [usize],
    /// The chunk being read: a slice of `src` or of `PAD`.
    cur: &'a [u8],
    /// A padding run comes after `cur`.
    pad_next: bool,
    /// Where the next chunk of `src` starts.
    next_from: usize,
}

impl<'a> PaddedScans<'a> {
    pub(crate) fn new(src: &'a [u8], scan_ends: &'a [usize], in_padding: &'a Cell<bool>) -> Self {
        in_padding.set(false);
        PaddedScans {
            in_padding,
            src,
            scan_ends,
            cur: &[],
            pad_next: false,
            next_from: 0,
        }
    }

    /// Moves to the next chunk; false at the end of the data.
    #[cold]
    fn advance(&mut self) -> bool {
        if self.pad_next {
            self.pad_next = false;
            self.cur = &PAD;
            self.in_padding.set(true);
            return true;
        }
        let len = self.src.len();
        if self.next_from >= len {
            return false;
        }
        let mut end = len;
        while let Some((&e, rest)) = self.scan_ends.split_first() {
            self.scan_ends = rest;
            if e > self.next_from && e <= len {
                end = e;
                self.pad_next = true;
                break;
            }
        }
        self.cur = self.src.get(self.next_from..end).unwrap_or(&[]);
        self.in_padding.set(false);
        self.next_from = end;
        true
    }
}

impl Read for PaddedScans<'_> {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.cur.is_empty() {
            if !self.advance() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.cur.len());
        let (head, tail) = self.cur.split_at(n);
        if let Some(dst) = buf.get_mut(..n) {
            dst.copy_from_slice(head);
        }
        self.cur = tail;
        Ok(n)
    }

    /// jpeg-decoder reads entropy-coded data one byte at a time through `read_exact`: the common
    /// case (the bytes are in the current chunk) is a copy and a slice update.
    #[inline]
    fn read_exact(&mut self, mut buf: &mut [u8]) -> io::Result<()> {
        if let [one] = buf {
            if let Some((&first, rest)) = self.cur.split_first() {
                *one = first;
                self.cur = rest;
                return Ok(());
            }
        } else if let Some((head, tail)) = self.cur.split_at_checked(buf.len()) {
            buf.copy_from_slice(head);
            self.cur = tail;
            return Ok(());
        }
        while !buf.is_empty() {
            match self.read(buf)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => buf = buf.get_mut(n..).unwrap_or(&mut []),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn all(src: &[u8], ends: &[usize], chunk: usize) -> Vec<u8> {
        let flag = Cell::new(false);
        let mut r = PaddedScans::new(src, ends, &flag);
        let mut out = Vec::new();
        let mut buf = vec![0u8; chunk];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn inserts_padding_at_each_end_and_nowhere_else() {
        let src: Vec<u8> = (0u8..20).collect();
        for chunk in [1, 3, 7, 100] {
            let out = all(&src, &[5, 12], chunk);
            let mut want = src[..5].to_vec();
            want.extend_from_slice(&PAD);
            want.extend_from_slice(&src[5..12]);
            want.extend_from_slice(&PAD);
            want.extend_from_slice(&src[12..]);
            assert_eq!(out, want, "chunk {chunk}");
        }
        assert_eq!(all(&src, &[], 4), src);
        // Out-of-range and unordered offsets are ignored rather than trusted.
        let mut want = src[..5].to_vec();
        want.extend_from_slice(&PAD);
        want.extend_from_slice(&src[5..]);
        assert_eq!(all(&src, &[5, 3, 99], 4), want);
    }

    #[test]
    fn read_exact_crosses_chunks_and_reports_the_end() {
        let src = [1u8, 2, 3, 4];
        let flag = Cell::new(false);
        let mut r = PaddedScans::new(&src, &[2], &flag);
        let mut b = [0u8; 4];
        r.read_exact(&mut b).unwrap();
        assert_eq!(b, [1, 2, 0xFF, 0]);
        assert!(flag.get());
        let mut rest = vec![0u8; PAD.len() - 2 + 2];
        r.read_exact(&mut rest).unwrap();
        assert_eq!(&rest[rest.len() - 2..], &[3, 4]);
        assert!(!flag.get());
        let mut one = [0u8; 1];
        assert_eq!(
            r.read_exact(&mut one).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }
}
