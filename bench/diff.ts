/**
 * `pullpath diff` at scale: two 10,000-entry configurations (bench/data/registries-N10000.conf and an edited
 * copy: mirrors added, removed and swapped, entries blocked, made insecure or digest-only) over the 100,000
 * references of bench/data/refs-N10000.txt.gz, beside the floor it is measured against: resolving the same
 * 100,000 references under both configurations in the same run (what the diff must do at least). Issue
 * target: diff ≤ 1.3× that floor. Each measurement runs in its own child process, so peak RSS is its own.
 *
 * Run: npx tsx bench/diff.ts [--rounds 3]
 * Rounds alternate floor and diff (a shared machine's load hits both alike). Prints per mode the median and best wall time (configurations compiled inside the timing, loaded outside) and the
 * child's peak RSS; then the ratio. The machine is shared: compare the ratio, not absolute numbers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import { runDiff } from '../src/diff/run-diff.ts';
import { compileConfig, resolveArg } from '../src/resolve/index.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, mode: { type: 'string' } } });
const dataDir = new URL('./data/', import.meta.url);
const RC = '/etc/containers/registries.conf';

/** The edited AFTER: deterministic edits spread over the file, each a rule the diff must see. */
export function editConfig(text: string): string {
  let entry = 0;
  const blocks = text.split(/\n(?=\[\[registry\]\])/);
  return blocks
    .map((b) => {
      if (!b.startsWith('[[registry]]')) return b;
      entry++;
      if (entry % 50 === 0) b += '\n[[registry.mirror]]\nlocation = "added.example.org/mirror"\n';
      if (entry % 70 === 0) b = b.replace(/\[\[registry\.mirror\]\]\n(?:[a-z-]+ = [^\n]*(?:\n|$))*/, '');
      if (entry % 90 === 0) b = b.replace(/(\[\[registry\]\]\n(?:prefix = "[^"]*"\n)?location = "[^"]*"\n)/, '$1blocked = true\n');
      if (entry % 110 === 0) b = b.replace(/(\[\[registry\]\]\n(?:prefix = "[^"]*"\n)?location = "[^"]*"\n)/, '$1insecure = true\n');
      return b;
    })
    .join('\n');
}

function load(text: string) {
  return loadRegistriesConfFromTexts({ main: { path: RC, text }, mainPath: RC, mainRequired: true, dropins: [], configDirPath: '/nonexistent.d' });
}

function child(mode: 'floor' | 'diff'): void {
  const beforeText = readFileSync(new URL('registries-N10000.conf', dataDir), 'utf8');
  const afterText = editConfig(beforeText);
  const refs = gunzipSync(readFileSync(new URL('refs-N10000.txt.gz', dataDir))).toString('utf8').split('\n').filter((l) => l !== '');
  const before = load(beforeText);
  const after = load(afterText);
  const t0 = process.hrtime.bigint();
  let out: Record<string, number>;
  if (mode === 'floor') {
    const cb = compileConfig(before);
    const ca = compileConfig(after);
    let n = 0;
    for (const r of refs) {
      if (resolveArg(cb, r).error === null) n++;
      if (resolveArg(ca, r).error === null) n++;
    }
    out = { resolved: n };
  } else {
    const r = runDiff({
      before: { config: before, policy: null, nodeFiles: new Map([[RC, beforeText]]), configIsNodeRegistriesConf: true },
      after: { config: after, policy: null, nodeFiles: new Map([[RC, afterText]]), configIsNodeRegistriesConf: true },
      images: refs,
      ocpVersion: 'current',
    });
    out = { images: r.total, changed: r.changed.length };
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, refs: refs.length, ...out }) + '\n');
}

if (values.mode === 'floor' || values.mode === 'diff') child(values.mode);
else {
  const rounds = Math.max(1, Number(values.rounds));
  const self = fileURLToPath(import.meta.url);
  const run = (mode: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--mode', mode], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] })) as Record<string, number> & { seconds: number; maxRssMiB: number };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const res: Record<string, ReturnType<typeof run>[]> = { floor: [], diff: [] };
  for (let i = 0; i < rounds; i++) for (const m of ['floor', 'diff'] as const) res[m]!.push(run(m));
  for (const m of ['floor', 'diff'] as const) {
    const r = res[m]!;
    const label = m === 'floor' ? 'resolve 100,000 refs under both configs' : 'diff (resolve both, compare, node impact)';
    const best = Math.min(...r.map((x) => x.seconds));
    process.stdout.write(`${label.padEnd(44)} median ${median(r.map((x) => x.seconds)).toFixed(3)} s, best ${best.toFixed(3)} s  peak RSS ${median(r.map((x) => x.maxRssMiB)).toFixed(0)} MiB  ${JSON.stringify({ ...r[0], seconds: undefined, maxRssMiB: undefined })}\n`);
  }
  const ratio = median(res.diff!.map((x) => x.seconds)) / median(res.floor!.map((x) => x.seconds));
  const bestRatio = Math.min(...res.diff!.map((x) => x.seconds)) / Math.min(...res.floor!.map((x) => x.seconds));
  process.stdout.write(`diff / floor: ${ratio.toFixed(2)}× by medians, ${bestRatio.toFixed(2)}× by best rounds (target ≤ 1.30×)\n`);
}
