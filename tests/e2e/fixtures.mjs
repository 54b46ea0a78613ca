// Reading the fixtures in the tests themselves, independently of the app: a CSV parser of
// the tests' own, and the Shift_JIS bytes a value has in a CP932 file.

// RFC 4180 CSV (quotes, doubled quotes, CRLF or LF) into rows of cells.
export function parseCsv(s) {
  const out = [[]];
  let field = "", q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") { out.at(-1).push(field); field = ""; }
    else if (c === "\r") {}
    else if (c === "\n") { out.at(-1).push(field); field = ""; out.push([]); }
    else field += c;
  }
  if (field || out.at(-1).length) out.at(-1).push(field);
  else out.pop();
  return out;
}

// The bytes a value has in the fixture: found by decoding the file and mapping back, so
// the tests need no Shift_JIS encoder of their own.
export function encodeShiftJis(value, bytes, decoded) {
  const at = decoded.indexOf(value);
  if (at < 0) return Buffer.from(value, "utf8");
  const dec = new TextDecoder("shift_jis");
  let start = 0;
  while (dec.decode(bytes.subarray(0, start)).length < at) start++;
  let end = start;
  while (dec.decode(bytes.subarray(start, end)).length < value.length) end++;
  return Buffer.from(bytes.subarray(start, end));
}
