// The privacy audit: given every request a page and its workers made, list those that
// went anywhere but the allowed origin, or that carry content from the user's file.

/** Strings to look for: each as UTF-8 text, percent-encoded, and in the file's own bytes. */
export function needlesFrom(values, encodeRaw) {
  const out = [];
  for (const v of values) {
    out.push({ what: v, bytes: Buffer.from(v, "utf8") });
    out.push({ what: `${v} (URL-encoded)`, bytes: Buffer.from(encodeURIComponent(v), "utf8") });
    if (encodeRaw) out.push({ what: `${v} (raw file bytes)`, bytes: encodeRaw(v) });
  }
  return out;
}

/**
 * requests: [{url, method, body: Buffer|null, from}], allowed: (url) => bool.
 * Returns a list of human-readable violations (empty when the page behaved).
 */
export function audit(requests, allowed, needles) {
  const violations = [];
  for (const r of requests) {
    if (!allowed(r.url)) violations.push(`off-origin request from ${r.from}: ${r.method} ${r.url}`);
    const haystacks = [Buffer.from(r.url, "utf8"), Buffer.from(safeDecode(r.url), "utf8")];
    if (r.body) haystacks.push(r.body);
    for (const n of needles) {
      if (haystacks.some((h) => h.includes(n.bytes))) {
        violations.push(`request from ${r.from} carries file content "${n.what}": ${r.method} ${r.url.slice(0, 120)}`);
        break;
      }
    }
  }
  return violations;
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
