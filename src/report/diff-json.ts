/**
 * `pullpath diff -o json`: JSON Lines (schemas/diff.schema.json). One `image` record per changed image
 * (in input order), one `file` record per changed node file, one `impact` record when node files change,
 * and a closing `summary`. Vocabulary as every command's: image, normalized, location, source. Pure.
 */
import type { DiffResult } from '../diff/types.ts';

export function formatDiffJsonLines(r: DiffResult): string {
  const lines: string[] = [];
  for (const c of r.changed) {
    lines.push(JSON.stringify({ type: 'image', image: c.image, normalized: c.normalized, changes: c.changes, sources: c.sources, before: c.before, after: c.after }));
  }
  if (r.impact !== null) {
    for (const f of r.impact.files) lines.push(JSON.stringify({ type: 'file', ...f }));
    const { files: _files, ...impact } = r.impact;
    lines.push(JSON.stringify({ type: 'impact', ...impact }));
  }
  for (const l of r.live ?? []) lines.push(JSON.stringify({ type: 'live', ...l }));
  lines.push(JSON.stringify({ type: 'summary', images: r.total, changed: r.changed.length, unchanged: r.unchanged, synthetic: r.synthetic, nodeAction: r.impact?.action ?? 'none' }));
  return lines.join('\n') + '\n';
}
