//! What every read must satisfy, whatever the bytes (shared by the fuzz targets).

use tsunagari::ingest::{CsvReader, Loaded, ReadError, ReadOptions};

/// Pushes `bytes` in pieces of `size` (after a first piece of `first` bytes).
pub fn read_chunked(
    first: &[u8],
    bytes: &[u8],
    size: usize,
    opts: ReadOptions,
) -> Result<Loaded, ReadError> {
    let mut reader = CsvReader::new(opts);
    if !first.is_empty() {
        reader.push(first)?;
    }
    for piece in bytes.chunks(size) {
        reader.push(piece)?;
    }
    reader.finish()
}

/// A table the app can show: at least one row, every column one code per row and every
/// code a value of its dictionary, names non-empty and unique, the info agreeing.
pub fn check_table(loaded: &Loaded) {
    let t = &loaded.table;
    assert!(t.rows >= 1, "a table without rows is an error, not a table");
    assert!(!t.columns.is_empty());
    let mut names = std::collections::HashSet::new();
    for c in &t.columns {
        assert_eq!(c.len(), t.rows, "column {}", c.name);
        assert!(!c.name.is_empty());
        assert!(names.insert(c.name.as_str()), "duplicate name {}", c.name);
        assert_eq!(c.values.first().map(|v| &**v), Some(""), "code 0 is blank");
        assert!(c.codes.iter().all(|code| (code as usize) < c.values.len()));
    }
    assert_eq!(loaded.info.rows, t.rows);
    assert_eq!(loaded.info.columns, t.columns.len());
}

/// Two reads of the same bytes must agree exactly.
pub fn assert_same(a: &Result<Loaded, ReadError>, b: &Result<Loaded, ReadError>) {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            // The first difference, briefly (a whole table is too long to print).
            let (x, y) = (&a.table, &b.table);
            let names = |t: &tsunagari::table::Table| -> Vec<String> {
                t.columns.iter().map(|c| c.name.clone()).collect()
            };
            assert_eq!(names(x), names(y), "column names");
            assert_eq!(x.rows, y.rows, "rows");
            for (c, (p, q)) in x.columns.iter().zip(&y.columns).enumerate() {
                for r in 0..x.rows {
                    assert_eq!(p.value(r), q.value(r), "row {} column {}", r + 1, c + 1);
                }
            }
            assert_eq!(a.warnings, b.warnings);
            assert_eq!(a.info, b.info);
            assert!(x == y, "same cells, different tables");
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!(
            "one read failed and the other did not: {:?} vs {:?}",
            a.as_ref().map(|l| l.table.rows),
            b.as_ref().map(|l| l.table.rows)
        ),
    }
}
