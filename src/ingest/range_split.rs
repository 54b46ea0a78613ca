//! Where a CSV file is cut into byte ranges for several readers (`parallel`): always just
//! after a line feed, so a range starts where a record starts unless the line feed is
//! inside a quoted cell (which the merge finds out).

use std::io;

use super::range_source::RangeSource;

/// The starts of the ranges after the first: for each of `near` (in order), just after
/// the first line feed at or after it; each inside the file and after the one before.
pub fn line_starts(bytes: &[u8], near: &[usize]) -> Vec<usize> {
    // (Bytes in memory are always there to read.)
    line_starts_in(bytes, near).unwrap_or_default()
}

/// `line_starts` of a file wherever its bytes are (`RangeSource`), reading from each of
/// `near` only as far as the next line feed (a piece at a time).
pub fn line_starts_in<S: RangeSource + ?Sized>(src: &S, near: &[usize]) -> io::Result<Vec<usize>> {
    let mut starts: Vec<usize> = Vec::with_capacity(near.len());
    for &at in near {
        let from = at.max(starts.last().copied().unwrap_or(0));
        let mut lf = None;
        let mut seen = from;
        src.pieces(from.min(src.size())..src.size(), &mut |piece| {
            lf = memchr::memchr(b'\n', piece).map(|i| seen + i);
            seen += piece.len();
            lf.is_none()
        })?;
        let Some(lf) = lf else {
            break;
        };
        let start = lf + 1;
        if start < src.size() && starts.last() != Some(&start) {
            starts.push(start);
        }
    }
    Ok(starts)
}

/// `n` ranges of about equal size: the points to start the later ones near.
pub fn even(len: usize, n: usize) -> Vec<usize> {
    (1..n.max(1)).map(|k| len / n * k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_start_after_a_line_feed_inside_the_file() {
        let b = b"a,b\n1,2\r\n3,4\n";
        assert_eq!(line_starts(b, &[0]), vec![4]);
        assert_eq!(line_starts(b, &[3]), vec![4]);
        assert_eq!(line_starts(b, &[4]), vec![9]);
        // The same line twice, and nothing after the last line feed.
        assert_eq!(line_starts(b, &[1, 2, 5, 12]), vec![4, 9]);
        assert_eq!(line_starts(b"a,b\n1,2", &[5]), Vec::<usize>::new());
        assert_eq!(even(100, 4), vec![25, 50, 75]);
    }
}
