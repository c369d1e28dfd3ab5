/**
 * "Did you mean": the known name nearest to a typo, when it is near enough to be a likely intent. One
 * distance for every suggestion pullpath makes (commands, flags, registries.conf keys, scenario keys,
 * cluster-object fields), so a typo is judged the same way wherever it is made.
 */

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two neighbouring
 * letters cost 1 (so `reslove` is one edit from `resolve`). Names here are short: the table is tiny.
 */
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

/** The candidate nearest to `word` and its distance (first wins a tie), or null with no candidates. */
export function nearest(word: string, candidates: readonly string[]): { name: string; distance: number } | null {
  let best: { name: string; distance: number } | null = null;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (best === null || d < best.distance) best = { name: c, distance: d };
  }
  return best;
}

/** Case-insensitive nearest candidate within max(2, len/4) edits, or null (keys and fields in files). */
export function closestName(word: string, candidates: readonly string[]): string | null {
  const lower = candidates.map((c) => c.toLowerCase());
  const best = nearest(word.toLowerCase(), lower);
  return best !== null && best.distance <= Math.max(2, Math.floor(word.length / 4)) ? candidates[lower.indexOf(best.name)]! : null;
}

/**
 * For commands and flags typed at a prompt: a candidate within max(2, len/3) edits, else the one candidate
 * that starts with what was typed (`--time` for `--timeout`), as git and cobra suggest; undefined otherwise.
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const best = nearest(typed, candidates);
  if (best !== null && best.distance <= Math.max(2, Math.floor(typed.length / 3))) return best.name;
  const prefixed = typed.length >= 3 ? candidates.filter((c) => c.startsWith(typed)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
