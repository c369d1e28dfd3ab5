/**
 * A hand-written check of the grammar's `domain` (`label(.label)*(:port)?`, labels of letters, digits and
 * inner hyphens). The parser needs it for every reference it splits, so it avoids a second regex run.
 * Agrees with `anchoredDomainRegexp` (test/reference/domain.test.ts checks both on the same inputs).
 */
function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function isDomain(s: string): boolean {
  const n = s.length;
  let i = 0;
  // labels
  for (;;) {
    if (i >= n || !isAlnum(s.charCodeAt(i))) return false;
    let last = s.charCodeAt(i);
    i++;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isAlnum(c) || c === 0x2d /* - */) {
        last = c;
        i++;
      } else break;
    }
    if (last === 0x2d) return false;
    if (i === n) return true;
    const c = s.charCodeAt(i);
    if (c === 0x2e /* . */) {
      i++;
      continue;
    }
    if (c !== 0x3a /* : */) return false;
    i++;
    break;
  }
  // port
  if (i >= n) return false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
