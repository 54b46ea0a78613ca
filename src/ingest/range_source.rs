//! Where a file read in byte ranges (`parallel`) takes its bytes from: memory, or a file
//! on disk that each range's thread reads itself, a piece at a time, just before parsing
//! it. Reading the whole file into memory first took 98 of the 427 ms of the 1M-row bench
//! file's two-thread read natively (page faults on a fresh 166 MB buffer, then the copy),
//! with both cores waiting; read piece by piece, that copy runs on both threads beside the
//! parsing and the buffer is 1 MiB per thread (issue 16).

use std::io;
use std::ops::Range;

/// Bytes handed to a reader at a time: each is decoded into a text buffer of up to three
/// times its size.
pub const PIECE: usize = 1 << 20;

/// A file's bytes, readable by several threads at once.
pub trait RangeSource: Sync {
    /// The file's size in bytes.
    fn size(&self) -> usize;

    /// Calls `piece` with the bytes of `range` (within the file), in order, at most
    /// `PIECE` at a time, until they are all given or `piece` says false. An error: the
    /// bytes could not be read (the file went away or was cut shorter meanwhile).
    fn pieces(&self, range: Range<usize>, piece: &mut dyn FnMut(&[u8]) -> bool) -> io::Result<()>;

    /// The file's first `n` bytes (all of it when it is shorter).
    fn head(&self, n: usize) -> io::Result<Vec<u8>> {
        let n = n.min(self.size());
        let mut head = Vec::with_capacity(n);
        self.pieces(0..n, &mut |piece| {
            head.extend_from_slice(piece);
            true
        })?;
        Ok(head)
    }
}

impl RangeSource for [u8] {
    fn size(&self) -> usize {
        self.len()
    }

    fn pieces(&self, range: Range<usize>, piece: &mut dyn FnMut(&[u8]) -> bool) -> io::Result<()> {
        for chunk in self.get(range).unwrap_or_default().chunks(PIECE) {
            if !piece(chunk) {
                break;
            }
        }
        Ok(())
    }
}

/// A file on disk, its size taken when it is opened (bytes added later are not read).
#[cfg(any(unix, windows))]
pub struct FileSource {
    file: std::fs::File,
    size: usize,
}

#[cfg(any(unix, windows))]
impl FileSource {
    pub fn open(path: &std::path::Path) -> io::Result<FileSource> {
        let file = std::fs::File::open(path)?;
        let size = usize::try_from(file.metadata()?.len())
            .map_err(|_| io::Error::other("file too large for this machine"))?;
        Ok(FileSource { file, size })
    }
}

#[cfg(any(unix, windows))]
impl RangeSource for FileSource {
    fn size(&self) -> usize {
        self.size
    }

    fn pieces(&self, range: Range<usize>, piece: &mut dyn FnMut(&[u8]) -> bool) -> io::Result<()> {
        let mut buf = vec![0u8; PIECE.min(range.len())];
        let mut at = range.start;
        while at < range.end {
            let n = PIECE.min(range.end - at);
            read_exact_at(&self.file, &mut buf[..n], at as u64)?;
            if !piece(&buf[..n]) {
                break;
            }
            at += n;
        }
        Ok(())
    }
}

/// Fills `buf` from `offset` of `file` without moving a shared file position (several
/// threads read the same file).
#[cfg(unix)]
fn read_exact_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &std::fs::File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A file's pieces are its bytes, in order, however the range falls; a file cut
    /// shorter after it was opened is an error, not fewer bytes.
    #[test]
    fn a_file_gives_the_bytes_of_its_ranges() {
        let dir = std::env::temp_dir().join(format!("tsunagari-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.csv");
        let bytes: Vec<u8> = (0..PIECE * 2 + 300).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let file = FileSource::open(&path).unwrap();
        assert_eq!(file.size(), bytes.len());
        assert_eq!(file.head(10).unwrap(), bytes[..10]);
        for range in [0..bytes.len(), 5..PIECE + 7, PIECE..PIECE, 17..18] {
            let (mut got, mut from_memory) = (Vec::new(), Vec::new());
            file.pieces(range.clone(), &mut |p| {
                assert!(p.len() <= PIECE);
                got.extend_from_slice(p);
                true
            })
            .unwrap();
            bytes[..]
                .pieces(range.clone(), &mut |p| {
                    from_memory.extend_from_slice(p);
                    true
                })
                .unwrap();
            assert_eq!(got, bytes[range.clone()], "{range:?}");
            assert_eq!(from_memory, got, "{range:?}");
        }
        // Stopped by the callback after the first piece.
        let mut calls = 0;
        file.pieces(0..bytes.len(), &mut |_| {
            calls += 1;
            false
        })
        .unwrap();
        assert_eq!(calls, 1);
        std::fs::write(&path, &bytes[..100]).unwrap();
        assert!(file.pieces(0..bytes.len(), &mut |_| true).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
