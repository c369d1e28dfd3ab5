/**
 * bench/fleet-profile: one `probe --watch` against the fleet bench's mocks with a short interval, under
 * --cpu-prof, to see where a probe pass spends its CPU. Prints the top functions by self time.
 * Run: npx tsx bench/fleet-profile.ts   (INTERVAL=1 s, DUR=40 s)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMockRegistries } from '../src/mock/start.ts';
import { mockImageDigest } from '../src/mock/image-builder.ts';

const BIN = new URL('../bin/pullpath.js', import.meta.url).pathname;
const INTERVAL = process.env.INTERVAL ?? '1';
const DUR_S = Number(process.env.DUR ?? 40);
const app = { repository: 'org/app', content: 'app', tags: ['1.0'] };
const work = mkdtempSync(join(tmpdir(), 'pp-fleet-prof-'));
const mocks = await startMockRegistries([
  { host: 'mirror-a.example.com', tls: true, images: [app] },
  { host: 'mirror-b.example.com', images: [app] },
  { host: 'quay.io', images: [app] },
]);
writeFileSync(join(work, 'ca.crt'), mocks.caPem!);
mkdirSync(join(work, 'none.d'));
writeFileSync(join(work, 'r.conf'), `[[registry]]\nprefix = "quay.io/org"\nlocation = "quay.io/org"\ninsecure = true\n[[registry.mirror]]\nlocation = "mirror-a.example.com/org"\n[[registry.mirror]]\nlocation = "mirror-b.example.com/org"\ninsecure = true\n`);
const connectTo = Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).flatMap(([h, a]) => ['--connect-to', `${h}:${a}`]);
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${work}/prof`, BIN, 'probe', '--registries-conf', join(work, 'r.conf'), '--registries-conf-dir', join(work, 'none.d'), '--cert-dir', work, ...connectTo,
  '--canary', `quay.io/org=quay.io/org/app@${mockImageDigest(app)}`, '--watch', '--interval', INTERVAL, '--metrics-port', '0', '--no-tui'], { stdio: 'ignore', env: { PATH: process.env.PATH ?? '', HOME: work } });
await sleep(DUR_S * 1000);
child.kill('SIGINT');
await new Promise((r) => child.on('exit', r));
await mocks.close();
const file = readdirSync(join(work, 'prof'))[0]!;
const prof = JSON.parse(readFileSync(join(work, 'prof', file), 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] };
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const byFn = new Map<string, number>();
let total = 0;
for (const n of prof.nodes) {
  const t = self.get(n.id) ?? 0;
  const name = n.callFrame.functionName || '(anonymous)';
  if (name === '(idle)' || name === '(program)') continue;
  total += t;
  const key = `${name} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\//, '')}:${n.callFrame.lineNumber}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
}
console.log(`busy ${Math.round(total / 1000)} ms over ${DUR_S} s at --interval ${INTERVAL}`);
for (const [k, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`);
rmSync(work, { recursive: true, force: true });
