//! A structural check of an .xls (BIFF records in an OLE compound file) before calamine
//! reads it. calamine 0.38 trusts some numbers of the file: a sector chain pointing past
//! the allocation table (`cfb.rs`), a chain that loops (its directory read then grows
//! until memory runs out), a record shorter than the fields it reads, a sheet said to
//! start past the end of the workbook stream, a cell in column 65,535 or a Dimensions
//! record whose end is before its start (`xls.rs`, one allocation for every cell of the
//! grid). Each of these panics or aborts, and with `panic = "abort"` (the release build,
//! and always on wasm32) that ends the CLI with no message and the page's worker. So the
//! numbers calamine trusts are checked here first, with the file's own layout; what fails
//! is reported as a damaged file, saying what was found.
//!
//! The check follows the reads calamine makes (header, DIFAT, FAT, directory, mini stream,
//! the Workbook/Book stream, the globals' records, each sheet's records) and is stricter
//! than needed only where a file Excel writes never goes (a chain through a free sector,
//! a column past IV).

use crate::message::Message;

const END: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
const RESERVED: u32 = 0xFFFF_FFFA;
/// Streams shorter than this live in the mini stream (64-byte sectors).
const MINI_CUTOFF: usize = 4096;
/// BIFF8's last column (IV): 256 columns.
const MAX_COLUMN: u16 = 255;
/// BIFF8's rows: 65,536.
const MAX_ROWS: u32 = 65_536;

fn found(ja: String, en: String) -> Message {
    Message::new(ja, en)
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

struct Container<'a> {
    bytes: &'a [u8],
    size: usize,
    fat: Vec<u32>,
}

impl<'a> Container<'a> {
    /// Sector `id` (the header is not a sector); the last one may be cut short.
    fn sector(&self, id: u32) -> Result<&'a [u8], Message> {
        let start = (id as usize + 1).saturating_mul(self.size);
        if id >= RESERVED || start >= self.bytes.len() {
            return Err(found(
                format!("セクタ {id} がファイルの外を指しています"),
                format!("sector {id} points past the end of the file"),
            ));
        }
        Ok(&self.bytes[start..(start + self.size).min(self.bytes.len())])
    }

    /// The sectors of a chain, as far as `len` bytes need (all of it for `usize::MAX`):
    /// every link inside the table, no loop.
    fn chain(&self, start: u32, len: usize, what: &str) -> Result<Vec<u8>, Message> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != END && out.len() < len {
            let sector = self.sector(id)?;
            out.extend_from_slice(&sector[..sector.len().min(len - out.len())]);
            if out.len() >= len {
                break;
            }
            steps += 1;
            if id as usize >= self.fat.len() || steps > self.fat.len() {
                return Err(found(
                    format!("{what}のセクタのつながりが、割り当て表（FAT）の外を指すか、輪になっています（セクタ {id}）"),
                    format!("the sector chain of the {what} leaves the allocation table (FAT) or loops (sector {id})"),
                ));
            }
            id = self.fat[id as usize];
        }
        Ok(out)
    }
}

/// The bytes of the Workbook (or Book) stream, or None when there is none (calamine then
/// says so itself). Errors say what is wrong with the container.
fn workbook_stream(bytes: &[u8]) -> Result<Option<Vec<u8>>, Message> {
    if bytes.len() < 512 {
        return Err(found(
            format!(
                "ヘッダーが {} バイトしかありません（512 バイト必要）",
                bytes.len()
            ),
            format!("the header has only {} bytes (512 needed)", bytes.len()),
        ));
    }
    let size = match u16_at(bytes, 30) {
        9 => 512,
        12 => 4096,
        shift => {
            return Err(found(
                format!("セクタの大きさの値 {shift} が規格にありません"),
                format!("sector size value {shift} is not in the format"),
            ))
        }
    };
    if bytes.len() < size {
        return Err(found(
            format!("ヘッダーのセクタ（{size} バイト）の途中で切れています"),
            format!("cut short inside the header sector ({size} bytes)"),
        ));
    }
    let mut c = Container {
        bytes,
        size,
        fat: Vec::new(),
    };
    // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
    let mut difat: Vec<u32> = (0..109).map(|i| u32_at(bytes, 76 + 4 * i)).collect();
    let mut id = u32_at(bytes, 68);
    let max_sectors = bytes.len() / size + 1;
    let mut steps = 0;
    while id < RESERVED {
        steps += 1;
        if steps > max_sectors {
            return Err(found(
                "DIFAT のつながりが輪になっています".into(),
                "the DIFAT chain loops".into(),
            ));
        }
        let s = c.sector(id)?;
        let entries: Vec<u32> = s.chunks_exact(4).map(|b| u32_at(b, 0)).collect();
        let Some((&next, rest)) = entries.split_last() else {
            break;
        };
        difat.extend_from_slice(rest);
        id = next;
    }
    let mut fat = Vec::new();
    for &id in difat.iter().filter(|&&id| id < DIFSECT) {
        fat.extend(c.sector(id)?.chunks_exact(4).map(|b| u32_at(b, 0)));
    }
    c.fat = fat;
    let dir = c.chain(u32_at(bytes, 48), usize::MAX, "ディレクトリ / directory")?;
    let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
    let Some(root) = entries.first() else {
        return Ok(None);
    };
    let entry_len = |e: &[u8]| -> Result<usize, Message> {
        // A 4096-byte-sector file keeps 64-bit lengths; calamine turns them into usize,
        // which on wasm32 is 32 bits.
        let len = if size == 512 {
            u32_at(e, 120) as u64
        } else {
            u32_at(e, 120) as u64 | (u32_at(e, 124) as u64) << 32
        };
        u32::try_from(len).map(|l| l as usize).map_err(|_| {
            found(
                format!("ストリームの長さ {len} バイトが大きすぎます"),
                format!("a stream length of {len} bytes is too large"),
            )
        })
    };
    for e in &entries {
        entry_len(e)?;
    }
    let mini_fat_sectors = u32_at(bytes, 64) as usize;
    let (mini_fat, mini_stream) = if mini_fat_sectors > 0 {
        let stream = c.chain(
            u32_at(root, 116),
            entry_len(root)?,
            "ミニストリーム / mini stream",
        )?;
        let table = c.chain(
            u32_at(bytes, 60),
            mini_fat_sectors.saturating_mul(size),
            "ミニ FAT / mini FAT",
        )?;
        let table: Vec<u32> = table.chunks_exact(4).map(|b| u32_at(b, 0)).collect();
        (table, stream)
    } else {
        (Vec::new(), Vec::new())
    };
    let name = |e: &[u8]| -> String {
        let units: Vec<u16> = e[..64].chunks_exact(2).map(|b| u16_at(b, 0)).collect();
        let s = String::from_utf16_lossy(&units);
        s.split('\0').next().unwrap_or("").to_string()
    };
    let Some(book) = ["Workbook", "Book"]
        .iter()
        .find_map(|want| entries.iter().find(|e| name(e).eq_ignore_ascii_case(want)))
    else {
        return Ok(None);
    };
    let (start, len) = (u32_at(book, 116), entry_len(book)?);
    if len >= MINI_CUTOFF {
        return c
            .chain(start, len, "ブックのストリーム / workbook stream")
            .map(Some);
    }
    // In the mini stream: 64-byte sectors chained by the mini FAT.
    let mut out = Vec::new();
    let mut id = start;
    let mut steps = 0;
    while id != END && out.len() < len {
        let at = id as usize * 64;
        let Some(sector) = mini_stream.get(at..at + 64) else {
            return Err(found(
                format!("ブックのストリームのミニセクタ {id} がミニストリームの外です"),
                format!("mini sector {id} of the workbook stream is outside the mini stream"),
            ));
        };
        out.extend_from_slice(&sector[..64.min(len - out.len())]);
        if out.len() >= len {
            break;
        }
        steps += 1;
        if id as usize >= mini_fat.len() || steps > mini_fat.len() {
            return Err(found(
                format!(
                    "ブックのストリームのミニセクタのつながりが壊れています（ミニセクタ {id}）"
                ),
                format!(
                    "the mini sector chain of the workbook stream is broken (mini sector {id})"
                ),
            ));
        }
        id = mini_fat[id as usize];
    }
    Ok(Some(out))
}

/// One record as calamine's reader sees it: its type, its data (CONTINUE records after it
/// are skipped) and where it starts. Stops where calamine's reader stops with an error.
fn records(stream: &[u8], mut pos: usize) -> impl Iterator<Item = (u16, &[u8], usize)> {
    std::iter::from_fn(move || {
        if stream.len().saturating_sub(pos) < 4 {
            return None;
        }
        let at = pos;
        let typ = u16_at(stream, pos);
        let len = u16_at(stream, pos + 2) as usize;
        if stream.len() - pos < len + 4 {
            return None;
        }
        let data = &stream[pos + 4..pos + 4 + len];
        pos += 4 + len;
        while stream.len().saturating_sub(pos) > 4 && u16_at(stream, pos) == 0x003C {
            let l = u16_at(stream, pos + 2) as usize;
            if stream.len() - pos < l + 4 {
                return None;
            }
            pos += 4 + l;
        }
        Some((typ, data, at))
    })
}

fn short(typ: u16, at: usize, len: usize, need: usize) -> Message {
    found(
        format!(
            "レコード 0x{typ:04X}（位置 {at}）が {len} バイトしかありません（{need} バイト必要）"
        ),
        format!("record 0x{typ:04X} at byte {at} has {len} bytes ({need} needed)"),
    )
}

/// The records of the globals calamine reads, long enough for what it reads; the sheets'
/// positions.
fn check_globals(stream: &[u8]) -> Result<Vec<usize>, Message> {
    let mut sheets = Vec::new();
    for (typ, d, at) in records(stream, 0) {
        let need = match typ {
            0x002F | 0x0042 | 0x0022 | 0x0809 | 0x0017 => 2,
            0x00E0 => 4,
            0x0085 => 8,
            0x0018 => 14,
            0x00FC => 8,
            0x000A => break,
            _ => 0,
        };
        if d.len() < need {
            return Err(short(typ, at, d.len(), need));
        }
        match typ {
            0x0085 => {
                let pos = u32_at(d, 0) as usize;
                if pos >= stream.len() {
                    return Err(found(
                        format!("シートの始まり（位置 {pos}）がブックのストリーム（{} バイト）の外です", stream.len()),
                        format!("a sheet is said to start at byte {pos}, past the workbook stream ({} bytes)", stream.len()),
                    ));
                }
                sheets.push(pos);
            }
            0x0018 => {
                let cce = u16_at(d, 4) as usize;
                if d.len() < 14 + cce {
                    return Err(short(typ, at, d.len(), 14 + cce));
                }
            }
            _ => {}
        }
    }
    Ok(sheets)
}

/// A sheet's records: cells inside BIFF8's grid, records as long as calamine reads.
fn check_sheet(stream: &[u8], pos: usize) -> Result<(), Message> {
    let mut seen_bof = false;
    let mut depth = 0usize;
    let column = |col: u16, at: usize| {
        if col > MAX_COLUMN {
            Err(found(
                format!(
                    "位置 {at} のセルが {} 列目にあります（.xls は 256 列まで）",
                    col as u32 + 1
                ),
                format!(
                    "the cell at byte {at} is in column {} (.xls has 256 columns)",
                    col as u32 + 1
                ),
            ))
        } else {
            Ok(())
        }
    };
    for (typ, d, at) in records(stream, pos) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
            }
            0x000A => break,
            0x0200 => {
                if d.len() == 14 || d.len() == 16 {
                    let (rf, rl) = (u32_at(d, 0), u32_at(d, 4));
                    let (cf, cl) = (u16_at(d, 8), u16_at(d, 10));
                    if rl > MAX_ROWS
                        || cl > MAX_COLUMN + 1
                        || (rl >= 1 && rl - 1 < rf)
                        || (cl >= 1 && cf <= MAX_COLUMN && cl - 1 < cf)
                    {
                        return Err(found(
                            format!("位置 {at} の範囲（Dimensions）が壊れています（行 {rf}～{rl}、列 {cf}～{cl}）"),
                            format!("the used range (Dimensions) at byte {at} is broken (rows {rf}–{rl}, columns {cf}–{cl})"),
                        ));
                    }
                } else if d.len() == 10 {
                    let (rf, rl, cf, cl) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6));
                    if (rl >= 1 && rl - 1 < rf) || (cl >= 1 && cf <= MAX_COLUMN && cl - 1 < cf) {
                        return Err(found(
                            format!("位置 {at} の範囲（Dimensions）が壊れています"),
                            format!("the used range (Dimensions) at byte {at} is broken"),
                        ));
                    }
                }
            }
            // Cells: row, column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x0201 => {
                if d.len() < 4 {
                    return Err(short(typ, at, d.len(), 4));
                }
                column(u16_at(d, 2), at)?;
                // A formula's tokens: their length (cce) at 20, the tokens after it.
                if typ == 0x0006 && d.len() >= 20 {
                    let need = if d.len() < 22 {
                        22
                    } else {
                        22 + u16_at(d, 20) as usize
                    };
                    if d.len() < need {
                        return Err(short(typ, at, d.len(), need));
                    }
                }
            }
            0x00BD => {
                if d.len() < 6 {
                    return Err(short(typ, at, d.len(), 6));
                }
                let (first, last) = (u16_at(d, 2), u16_at(d, d.len() - 2));
                column(first, at)?;
                column(last, at)?;
                if last < first {
                    return Err(found(
                        format!("位置 {at} のセルの並び（MulRk）の終わりが始まりより前です"),
                        format!("the run of cells (MulRk) at byte {at} ends before it starts"),
                    ));
                }
            }
            0x00E5 => {
                let need = if d.len() < 2 {
                    2
                } else {
                    2 + 8 * u16_at(d, 0) as usize
                };
                if d.len() < need {
                    return Err(short(typ, at, d.len(), need));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Ok when calamine can be given the file; otherwise what was found, for 「ファイルが壊れています」.
pub fn check(bytes: &[u8]) -> Result<(), Message> {
    let Some(stream) = workbook_stream(bytes)? else {
        return Ok(());
    };
    for pos in check_globals(&stream)? {
        check_sheet(&stream, pos)?;
    }
    Ok(())
}
