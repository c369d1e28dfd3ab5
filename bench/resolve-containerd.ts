/**
 * The containerd model on inputs equivalent to bench/resolve.ts's: hosts directory trees generated from
 * bench/data's registries confs (10 / 1,000 / 10,000 directories) and the same 100,000 references.
 *
 * Tree generation: one directory per [[registry]] entry, named after the host the entry's prefix names
 * (a wildcard `*.zoneN.example.net` becomes `mirror.zoneN.example.net`, the host most references of that zone
 * use); entries that share a host get the port-style name `host_NNNNN_` so every entry has its own directory,
 * as many as the conf has entries. Each hosts.toml lists the entry's mirrors as [host."…"] tables (digest-only
 * mirrors → capabilities = ["pull"], insecure → http:// + skip_verify) and `server` = the entry's location.
 *
 * Printed, each beside an anchor measured in the same run:
 *  - resolutions/s of resolveContainerd (parse, directory lookup, hosts, Resolution) vs the containers/image
 *    Resolution (resolveReference) on the same references — target ≥ 200,000/s at 10,000 directories;
 *  - reading + decoding the 10,000-directory tree (readdir, 10,000 readFile, TOML) vs reading + loading the
 *    10,000-entry registries.conf — target ≤ 2×.
 *
 * Run: npx tsx bench/resolve-containerd.ts [--rounds 5] [--sizes 10,1000,10000]
 */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import type { RegistriesConfig } from '../src/config/types.ts';
import { compileConfig, resolveArg } from '../src/resolve/index.ts';
import { containerdSetupFromTexts, readHostsDirs, resolveContainerd, type ContainerdSetup } from '../src/containerd/index.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, sizes: { type: 'string', default: '10,1000,10000' } } });
const rounds = Math.max(1, Number(values.rounds));
const sizes = values.sizes!.split(',').map(Number);
const dataDir = new URL('./data/', import.meta.url);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Hosts directory texts from a loaded registries configuration (see the header for the mapping). */
function treeFromConfig(conf: RegistriesConfig): Record<string, string> {
  const tree: Record<string, string> = {};
  const used = new Map<string, number>();
  for (const e of conf.registries) {
    const prefix = e.prefix.startsWith('*.') ? `mirror.${e.prefix.slice(2)}` : e.prefix;
    const host = prefix.split('/')[0]!;
    const n = used.get(host) ?? 0;
    used.set(host, n + 1);
    const name = n === 0 ? host : `${host}_${10000 + n}_`;
    const lines: string[] = [];
    if (e.location !== '') lines.push(`server = "https://${e.location.split('/')[0]}"`);
    for (const m of e.mirrors) {
      const [mh, ...rest] = m.location.split('/');
      const url = `${m.insecure ? 'http' : 'https'}://${mh}${rest.length ? '/v2/' + rest.join('/') : ''}`;
      lines.push(`[host."${url}"]`);
      lines.push(m.pullFromMirror === 'digest-only' || e.mirrorByDigestOnly ? '  capabilities = ["pull"]' : '  capabilities = ["pull", "resolve"]');
      if (m.insecure) lines.push('  skip_verify = true');
    }
    if (e.mirrors.length === 0) lines.push('[host]');
    tree[name] = lines.join('\n') + '\n';
  }
  return tree;
}

function resPerSec(fn: (ref: string) => unknown, refs: string[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const s of refs) fn(s);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    out.push(refs.length / secs);
  }
  return out;
}

async function timeMs(fn: () => Promise<unknown> | unknown, runs: number): Promise<number> {
  await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

for (const n of sizes) {
  const confPath = new URL(`registries-N${n}.conf`, dataDir).pathname;
  const confText = readFileSync(confPath, 'utf8');
  const conf = loadRegistriesConfFromTexts({ main: { path: confPath, text: confText }, mainPath: confPath, dropins: [] });
  const refs = gunzipSync(readFileSync(new URL(`refs-N${n}.txt.gz`, dataDir))).toString('utf8').split('\n').filter((l) => l !== '');
  const tree = treeFromConfig(conf);
  // tmpfs when there is one: creating and removing 10,000 directories on disk dominates the run otherwise.
  const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `pp-ctrd-bench-${n}-`));
  for (const [name, text] of Object.entries(tree)) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'hosts.toml'), text);
  }
  const dirs = Object.keys(tree).length;

  // Reading: the tree (readdir + files + decode) vs registries.conf (read + load), same run.
  const runs = n >= 10000 ? 5 : 15;
  let setup: ContainerdSetup | null = null;
  const treeMs = await timeMs(async () => {
    setup = containerdSetupFromTexts({ hostsDirs: await readHostsDirs([root]) });
  }, runs);
  const confMs = await timeMs(async () => loadRegistriesConfFromTexts({ main: { path: confPath, text: await readFile(confPath, 'utf8') }, mainPath: confPath, dropins: [] }), runs);

  // Resolving: containerd model vs the containers/image Resolution on the same references.
  const s = setup!;
  const compiled = compileConfig(conf);
  const ctrd = resPerSec((r) => resolveContainerd(s, r), refs);
  const cimage = resPerSec((r) => resolveArg(compiled, r), refs);
  let withHosts = 0;
  for (const r of refs.slice(0, 20000)) if (resolveContainerd(s, r).registry !== null) withHosts++;

  console.log(`N=${fmt(n)}: ${fmt(dirs)} hosts directories (${s.problems.length} ignored files), ${fmt(refs.length)} references (${((withHosts / 20000) * 100).toFixed(0)}% hit a directory)`);
  console.log(
    `  resolve: containerd ${fmt(median(ctrd))} res/s (best ${fmt(Math.max(...ctrd))}) vs containers/image Resolution ${fmt(median(cimage))} res/s in this run: ratio ${(median(ctrd) / median(cimage)).toFixed(2)}×`,
  );
  console.log(`  read:    tree ${treeMs.toFixed(1)} ms vs registries.conf ${confMs.toFixed(1)} ms in this run: ratio ${(treeMs / confMs).toFixed(2)}× (target ≤ 2×)`);
  rmSync(root, { recursive: true, force: true });
}
console.log(`peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
