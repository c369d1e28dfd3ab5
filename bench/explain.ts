/**
 * `pullpath explain` parse time per event over the corpus (test/fixtures/explain/: the real skopeo/podman
 * texts, the research examples, and each runtime error again as a kubelet event and as an `oc describe pod`
 * row wrapped at 60 columns), median of 7 passes after warm-up, beside a baseline measured in the same run:
 * one regular-expression scan of the same texts for the runtime's error anchors (the least any reader does).
 * Prints figures; asserts nothing. Run: npx tsx bench/explain.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseErrorText } from '../src/explain/parse.ts';
import { explain } from '../src/explain/explain.ts';

const dir = join(import.meta.dirname, '../test/fixtures/explain');
const runs = readdirSync(join(dir, 'runs')).filter((n) => n.endsWith('.txt')).map((n) => readFileSync(join(dir, 'runs', n), 'utf8'));
const research = (JSON.parse(readFileSync(join(dir, 'research.json'), 'utf8')) as { text: string }[]).map((e) => e.text);
const events: string[] = [];
for (const t of runs.filter((_, i) => i % 4 === 0)) {
  const p = parseErrorText(t)[0]!;
  const msg = `Failed to pull image "${p.image ?? 'x'}": rpc error: code = Unknown desc = ${p.text}`;
  events.push(msg);
  const pad = ' '.repeat(64);
  const flat = msg.replace(/\n/g, ' ');
  const lines: string[] = [];
  for (let i = 0; i < flat.length; i += 60) lines.push(flat.slice(i, i + 60));
  events.push(['  Warning  Failed     3m (x4 over 5m)   kubelet            ' + lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n'));
}
const corpus = [...runs, ...research, ...events];
const bytes = corpus.reduce((s, t) => s + t.length, 0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function perEventUs(fn: (t: string) => unknown, passes = 7, reps = 20): number {
  for (let i = 0; i < 3; i++) for (const t of corpus) fn(t);
  const xs: number[] = [];
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) for (const t of corpus) fn(t);
    xs.push(((performance.now() - t0) * 1000) / (reps * corpus.length));
  }
  return median(xs);
}

const ANCHORS = /Mirrors also failed|pinging container registry|reading manifest|is blocked in|Failed to pull image|level=fatal|initializing source/g;
const parse = perEventUs((t) => parseErrorText(t));
const parseExplain = perEventUs((t) => parseErrorText(t).map((p) => explain(p)));
const baseline = perEventUs((t) => t.match(ANCHORS));
console.log(`corpus: ${corpus.length} texts (${runs.length} real tool outputs, ${research.length} research examples, ${events.length} kubelet events / describe rows), ${(bytes / 1024).toFixed(1)} KiB`);
console.log(`parse:            ${parse.toFixed(1)} µs per event (${Math.round(1e6 / parse).toLocaleString('en')} events/s)`);
console.log(`parse + explain:  ${parseExplain.toFixed(1)} µs per event`);
console.log(`baseline (one anchor scan of the same texts): ${baseline.toFixed(2)} µs per event`);
