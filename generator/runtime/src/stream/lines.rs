//! Splitting a body into lines as its chunks come, whatever their
//! boundaries: a line may end with LF, CR or CRLF (a CR at the end of one
//! chunk and the LF at the start of the next are one ending). Lines are
//! split on bytes, before any UTF-8 decoding (CR and LF never occur inside
//! a multi-byte UTF-8 sequence), so a chunk boundary inside a character
//! changes nothing.
//!
//! Memory is bounded by a line: lines wholly inside a chunk are slices of
//! it (no copy), and only the start of a line whose end has not come yet is
//! kept, up to `max_line` bytes.

use bytes::{Buf, Bytes, BytesMut};

/// A line longer than the limit.
#[derive(Debug)]
pub(crate) struct LineTooLong;

/// Lines from chunks of bytes.
#[derive(Debug)]
pub(crate) struct LineDecoder {
    /// The start of a line whose end has not come yet.
    carry: BytesMut,
    /// What is left of the current chunk.
    chunk: Bytes,
    /// A CR ended the last line: an LF right after it belongs to it.
    skip_lf: bool,
    /// The longest line accepted.
    max_line: usize,
    /// The most bytes `carry` has held.
    max_carried: usize,
}

impl LineDecoder {
    /// A decoder that accepts lines of at most `max_line` bytes.
    pub(crate) fn new(max_line: usize) -> Self {
        LineDecoder {
            carry: BytesMut::new(),
            chunk: Bytes::new(),
            skip_lf: false,
            max_line,
            max_carried: 0,
        }
    }

    /// Adds the next chunk; call after [`next_line`](Self::next_line) gave
    /// `None` (the previous chunk is used up).
    pub(crate) fn push(&mut self, chunk: Bytes) {
        debug_assert!(self.chunk.is_empty());
        self.chunk = chunk;
    }

    /// The next whole line (without its ending), or `None` when the chunks
    /// so far end inside a line.
    pub(crate) fn next_line(&mut self) -> Result<Option<Bytes>, LineTooLong> {
        if self.skip_lf && !self.chunk.is_empty() {
            if self.chunk[0] == b'\n' {
                self.chunk.advance(1);
            }
            self.skip_lf = false;
        }
        let Some(at) = self.chunk.iter().position(|&b| b == b'\n' || b == b'\r') else {
            if self.carry.len() + self.chunk.len() > self.max_line {
                return Err(LineTooLong);
            }
            self.carry.extend_from_slice(&self.chunk);
            self.chunk.clear();
            self.max_carried = self.max_carried.max(self.carry.len());
            return Ok(None);
        };
        let ending = self.chunk[at];
        let mut line = self.chunk.split_to(at);
        self.chunk.advance(1);
        if ending == b'\r' {
            match self.chunk.first() {
                Some(b'\n') => self.chunk.advance(1),
                Some(_) => {}
                None => self.skip_lf = true,
            }
        }
        if !self.carry.is_empty() {
            self.carry.extend_from_slice(&line);
            line = self.carry.split().freeze();
        }
        if line.len() > self.max_line {
            return Err(LineTooLong);
        }
        Ok(Some(line))
    }

    /// At the end of the body: the last line, when it has no ending.
    pub(crate) fn finish(&mut self) -> Option<Bytes> {
        (!self.carry.is_empty()).then(|| self.carry.split().freeze())
    }

    /// Forgets everything (a new connection starts over).
    pub(crate) fn reset(&mut self) {
        self.carry.clear();
        self.chunk.clear();
        self.skip_lf = false;
    }

    /// How many bytes of an unfinished line are held now.
    pub(crate) fn buffered(&self) -> usize {
        self.carry.len()
    }

    /// The most bytes of an unfinished line held so far.
    pub(crate) fn max_buffered(&self) -> usize {
        self.max_carried
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `chunks`, fed one by one, and the last without an
    /// ending.
    fn lines(chunks: &[&[u8]], max_line: usize) -> Result<Vec<String>, LineTooLong> {
        let mut decoder = LineDecoder::new(max_line);
        let mut out = Vec::new();
        for chunk in chunks {
            decoder.push(Bytes::copy_from_slice(chunk));
            while let Some(line) = decoder.next_line()? {
                out.push(String::from_utf8_lossy(&line).into_owned());
            }
        }
        out.extend(
            decoder
                .finish()
                .map(|l| String::from_utf8_lossy(&l).into_owned()),
        );
        Ok(out)
    }

    #[test]
    fn every_ending_and_every_split_give_the_same_lines() {
        let text = "a: 1\r\nbé\rc\n\r\nlast".as_bytes();
        let expected = ["a: 1", "bé", "c", "", "last"];
        for at in 0..=text.len() {
            for second in at..=text.len() {
                let chunks = [&text[..at], &text[at..second], &text[second..]];
                assert_eq!(
                    lines(&chunks, 64).unwrap(),
                    expected,
                    "split at {at}, {second}"
                );
            }
        }
    }

    #[test]
    fn a_cr_at_the_end_of_a_chunk_and_an_lf_after_it_are_one_ending() {
        assert_eq!(
            lines(&[b"a\r", b"\nb\r", b"", b"\nc"], 8).unwrap(),
            ["a", "b", "c"]
        );
        // A lone CR, then a blank line made of CR CR.
        assert_eq!(lines(&[b"a\r", b"\r", b"b\n"], 8).unwrap(), ["a", "", "b"]);
    }

    #[test]
    fn only_an_unfinished_line_is_held_and_a_long_one_is_refused() {
        let mut decoder = LineDecoder::new(10);
        decoder.push(Bytes::from_static(b"one\ntwo\nthree\nfou"));
        let mut seen = 0;
        while decoder.next_line().unwrap().is_some() {
            seen += 1;
        }
        assert_eq!((seen, decoder.buffered()), (3, 3));
        decoder.push(Bytes::from_static(b"r\n"));
        assert_eq!(decoder.next_line().unwrap().as_deref(), Some(&b"four"[..]));
        assert_eq!(decoder.max_buffered(), 3);
        decoder.push(Bytes::from_static(b"0123456789ab"));
        assert!(decoder.next_line().is_err());
    }
}
