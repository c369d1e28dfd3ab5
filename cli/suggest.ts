/**
 * "Did you mean" for mistyped commands and flags. Candidates within a small edit distance (a swap of two
 * neighbouring letters counts as one edit, so `reslove` finds `resolve`) or that start with what was typed
 * (`--time` finds `--timeout`), as git and cobra suggest.
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate, or undefined when none is close enough to be what the user meant. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(typed.length / 3));
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(typed, c);
    if (d <= limit && (best === undefined || d < best.d)) best = { c, d };
  }
  if (best !== undefined) return best.c;
  // A prefix (`--time` for `--timeout`) is a suggestion only when it names one candidate.
  const prefixed = typed.length >= 3 ? candidates.filter((c) => c.startsWith(typed)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
