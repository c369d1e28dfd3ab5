/**
 * The runtime's final error for one reference, split back into its attempts (docker_image_src.go
 * newImageSource; pullpath's src/pull/final-error.ts writes the same form):
 *   one source      → its error, unwrapped;
 *   several sources → `(Mirrors also failed: [REF: ERR]\n[REF: ERR]): PRIMARYREF: PRIMARYERR`;
 *   short names     → `N errors occurred while pulling:\n * ERR\n * ERR` (podman, one chain per candidate).
 * A text cut off part-way keeps what it has and says so (`truncated`).
 */

export interface ChainEntry {
  /** The physical reference the runtime names for this source, or null when the error stands alone. */
  reference: string | null;
  error: string;
  /** true inside `(Mirrors also failed: […])`, false for the primary after it, null for a lone error. */
  mirror: boolean | null;
  truncated: boolean;
}

const MIRRORS_OPEN = /^\(\s*Mirrors\s*also\s*failed:\s*/;

/** A reference followed by `: ` at `text[i]`: returns the reference and where its error starts. */
function refAt(text: string, i: number): { reference: string; errorStart: number } | null {
  const m = /^([^\s[\]()"]+?):\s/.exec(text.slice(i, i + 600));
  if (!m || !/[/.]/.test(m[1]!)) return null;
  return { reference: m[1]!, errorStart: i + m[0].length };
}

/**
 * Where the bracketed error that starts at `from` ends: the first `]` followed by another entry
 * (`\n[REF: `) or by the end of the list (`): REF: `). -1 when the text is cut off before it.
 */
function entryEnd(text: string, from: number): { end: number; last: boolean } {
  for (let p = text.indexOf(']', from); p >= 0; p = text.indexOf(']', p + 1)) {
    const after = text.slice(p + 1);
    const next = /^\s*\[/.exec(after);
    if (next && refAt(text, p + 1 + next[0].length)) return { end: p, last: false };
    if (/^\s*\)\s*:\s/.test(after)) return { end: p, last: true };
  }
  return { end: -1, last: true };
}

/** Splits one source chain. */
export function parseChain(text: string): ChainEntry[] {
  const open = MIRRORS_OPEN.exec(text);
  if (!open) return [{ reference: null, error: text.trim(), mirror: null, truncated: false }];
  const entries: ChainEntry[] = [];
  let i = open[0].length;
  for (;;) {
    const lead = /^\s*\[/.exec(text.slice(i));
    if (!lead) break;
    i += lead[0].length;
    const ref = refAt(text, i);
    if (!ref) {
      entries.push({ reference: null, error: text.slice(i).trim(), mirror: true, truncated: true });
      return entries;
    }
    const { end, last } = entryEnd(text, ref.errorStart);
    if (end < 0) {
      entries.push({ reference: ref.reference, error: text.slice(ref.errorStart).trim(), mirror: true, truncated: true });
      return entries;
    }
    entries.push({ reference: ref.reference, error: text.slice(ref.errorStart, end).trim(), mirror: true, truncated: false });
    i = end + 1;
    if (last) {
      const close = /^\s*\)\s*:\s*/.exec(text.slice(i))!;
      i += close[0].length;
      const primary = refAt(text, i);
      if (primary) entries.push({ reference: primary.reference, error: text.slice(primary.errorStart).trim(), mirror: false, truncated: false });
      else if (text.slice(i).trim() !== '') entries.push({ reference: null, error: text.slice(i).trim(), mirror: false, truncated: false });
      else entries[entries.length - 1]!.truncated = true;
      return entries;
    }
  }
  return entries;
}

/**
 * podman's list of short-name candidates' errors (`2 errors occurred while pulling:\n * A\n * B`), or null
 * when the text is not one.
 */
export function splitCandidates(text: string): string[] | null {
  const m = /^(\d+)\s*errors?\s*occurred\s*while\s*pulling:\s*/.exec(text);
  if (!m) return null;
  return text
    .slice(m[0].length)
    .split(/(?:^|\n|\s)\*\s+(?=\S)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
