/**
 * bench/fleet: what one node's `pullpath probe --watch` costs, and what scraping a fleet of them costs.
 * M simulated nodes, each a real `pullpath probe --watch --interval 10 --metrics-port 0` process with its own
 * registries.conf (the mirrors in a different order per node, as a fleet drifts), against the project's mock
 * on loopback (one TLS mirror, one plain mirror, a source, a second prefix). A real Prometheus server
 * (Debian's /usr/bin/prometheus, temporary config and storage, loopback only) scrapes them every 10 s; without
 * it, a scrape loop does.
 *
 * Figures per node: RSS (VmRSS at the end, VmHWM peak), CPU as % of one core over the measuring window
 * (utime+stime from /proc), scrape body size, series and time. Beside them, in the same run, the anchor:
 * `node -e 'setInterval(() => {}, 1000)'`, the least a Node process costs. Variants run the probe with V8 flags
 * that trade CPU for memory (VARIANTS).
 *
 * Run: npx tsx bench/fleet.ts
 *   NODES=10 (per variant)  WARM=25 (s before measuring)  WINDOW=60 (s measured)
 *   VARIANTS='default=;small-heap=--max-semi-space-size=1 --max-old-space-size=64;lean=… --single-threaded MALLOC_ARENA_MAX=2'
 *   (--jitless is not an option: it disables WebAssembly, and undici's HTTP parser is WebAssembly)
 *   PROMETHEUS=0 skips the Prometheus server (scrape loop only).
 *   VERIFY_IMAGES=N also gives each probe --verify-images with N references (half served by a mirror, half
 *   not) and --verify-interval 20, so verify runs inside the window, as the DaemonSet runs it.
 * Targets (issue 17): < 20 MB RSS and < 1 % of a core per node probe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startMockRegistries } from '../src/mock/start.ts';
import { mockImageDigest } from '../src/mock/image-builder.ts';

const BIN = new URL('../bin/pullpath.js', import.meta.url).pathname;
const NODES = Number(process.env.NODES ?? 10);
const WARM_S = Number(process.env.WARM ?? 25);
const WINDOW_S = Number(process.env.WINDOW ?? 60);
const INTERVAL_S = 10;
const PROMETHEUS = process.env.PROMETHEUS !== '0' && existsSync('/usr/bin/prometheus');
/** `name=FLAGS`; a token `KEY=VALUE` in upper case is an environment variable (MALLOC_ARENA_MAX=2). */
const VARIANTS = (process.env.VARIANTS ?? 'default=;small-heap=--max-semi-space-size=1 --max-old-space-size=64;lean=--max-semi-space-size=1 --max-old-space-size=64 --single-threaded MALLOC_ARENA_MAX=2')
  .split(';')
  .map((v) => {
    const name = v.split('=', 1)[0]!;
    const tokens = v.slice(name.length + 1).split(' ').filter(Boolean);
    const env = Object.fromEntries(tokens.filter((t) => /^[A-Z_]+=/.test(t)).map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]));
    return { name, flags: tokens.filter((t) => !/^[A-Z_]+=/.test(t)), env };
  });
const TICK = 100; // USER_HZ on Linux
const VERIFY_IMAGES = Number(process.env.VERIFY_IMAGES ?? 0);

const app = { repository: 'org/app', content: 'app', tags: ['1.0'] };
const team = { repository: 'team/tool', content: 'tool', tags: ['2.0'] };

interface Proc {
  name: string;
  child: ChildProcess;
  url: string | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
}
function memKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
const mb = (kb: number): string => (kb / 1024).toFixed(1);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]): number => Math.max(...xs);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'pp-bench-fleet-'));
  const mocks = await startMockRegistries([
    { host: 'mirror-a.example.com', tls: true, images: [app] },
    { host: 'mirror-b.example.com', images: [app] },
    { host: 'quay.io', images: [app] },
    { host: 'mirror-t.example.com', images: [team] },
    { host: 'registry.example.com', images: [team] },
  ]);
  writeFileSync(join(work, 'ca.crt'), mocks.caPem!);
  mkdirSync(join(work, 'none.d'));
  const connectTo = Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).flatMap(([h, a]) => ['--connect-to', `${h}:${a}`]);
  const canaries = ['--canary', `quay.io/org=quay.io/org/app@${mockImageDigest(app)}`, '--canary', `registry.example.com/team=registry.example.com/team/tool@${mockImageDigest(team)}`];
  // Build the CLI bundle once, before M processes start at once.
  await new Promise((r) => spawn(process.execPath, [BIN, '--version'], { stdio: 'ignore' }).on('exit', r));

  const confFor = (i: number): string => {
    const mirrors = i % 2 === 0 ? ['mirror-a.example.com/org', 'mirror-b.example.com/org'] : ['mirror-b.example.com/org', 'mirror-a.example.com/org'];
    const text = `[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
insecure = true
${mirrors.map((m) => `[[registry.mirror]]\nlocation = "${m}"\n${m.startsWith('mirror-b') ? 'insecure = true\n' : ''}`).join('')}
[[registry]]
prefix = "registry.example.com/team"
location = "registry.example.com/team"
insecure = true
[[registry.mirror]]
location = "mirror-t.example.com/team"
insecure = true
`;
    const path = join(work, `node-${i}.conf`);
    writeFileSync(path, text);
    return path;
  };

  const verifyList = join(work, 'verify-images.txt');
  writeFileSync(verifyList, Array.from({ length: VERIFY_IMAGES }, (_, k) => (k % 2 === 0 ? `quay.io/org/app@${mockImageDigest(app)}` : `quay.io/org/missing-${k}:1`)).join('\n') + '\n');
  const verifyArgs = VERIFY_IMAGES > 0 ? ['--verify-images', verifyList, '--verify-interval', '20'] : [];
  function startProbe(name: string, i: number, flags: string[], extraEnv: Record<string, string>): Proc {
    const args = [...flags, BIN, 'probe', '--registries-conf', confFor(i), '--registries-conf-dir', join(work, 'none.d'), '--cert-dir', work, ...connectTo, ...canaries,
      '--watch', '--interval', String(INTERVAL_S), '--metrics-port', '0', '--node-name', name, '--no-tui', ...verifyArgs];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: work, ...extraEnv } });
    const p: Proc = { name, child, url: null };
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /metrics at (\S+)/.exec(err);
      if (m) p.url = m[1]!;
    });
    return p;
  }
  const startAnchor = (flags: string[], extraEnv: Record<string, string>): Proc => ({ name: 'anchor', url: null, child: spawn(process.execPath, [...flags, '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', env: { PATH: process.env.PATH ?? '', ...extraEnv } }) });

  let prom: ChildProcess | null = null;
  let promUrl = '';
  const lines: string[] = [];
  const results: { variant: string; rssMb: number; hwmMb: number; cpuPct: number }[] = [];
  try {
    for (const variant of VARIANTS) {
      const procs = Array.from({ length: NODES }, (_, i) => startProbe(`node-${String(i).padStart(3, '0')}`, i, variant.flags, variant.env));
      const anchor = startAnchor(variant.flags, variant.env);
      const deadline = Date.now() + 60_000;
      while (procs.some((p) => p.url === null) && Date.now() < deadline) await sleep(100);
      if (procs.some((p) => p.url === null)) throw new Error(`variant ${variant.name}: not every probe served metrics within 60 s`);

      if (PROMETHEUS && prom === null) {
        const port = await freePort();
        const dir = join(work, 'prom');
        mkdirSync(dir, { recursive: true });
        // The targets of every variant go in one job; the file is rewritten per variant (file_sd re-reads it).
        writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: ${INTERVAL_S}s\n  scrape_timeout: 5s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n  - job_name: pullpath\n    file_sd_configs:\n      - files: ['${join(dir, 'targets.json')}']\n        refresh_interval: 5s\n`);
        writeFileSync(join(dir, 'targets.json'), '[]');
        prom = spawn('/usr/bin/prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=extra-scrape-metrics'], { stdio: 'ignore' });
        promUrl = `http://127.0.0.1:${port}`;
      }
      if (prom) writeFileSync(join(work, 'prom', 'targets.json'), JSON.stringify([{ targets: procs.map((p) => new URL(p.url!).host), labels: { variant: variant.name } }]));

      await sleep(WARM_S * 1000);
      const all = [...procs, anchor];
      const t0 = all.map((p) => cpuTicks(p.child.pid!));
      const w0 = performance.now();
      await sleep(WINDOW_S * 1000);
      const wall = (performance.now() - w0) / 1000;
      const cpu = all.map((p, i) => ((cpuTicks(p.child.pid!) - t0[i]!) / TICK / wall) * 100);
      const rss = all.map((p) => memKb(p.child.pid!, 'VmRSS'));
      const hwm = all.map((p) => memKb(p.child.pid!, 'VmHWM'));

      // The scrape loop: 5 scrapes of each node, time and size.
      const times: number[] = [];
      const sizes: number[] = [];
      const series: number[] = [];
      for (const p of procs) {
        for (let k = 0; k < 5; k++) {
          const s = performance.now();
          const res = await request(p.url!);
          const body = await res.body.text();
          times.push(performance.now() - s);
          sizes.push(Buffer.byteLength(body));
          series.push(body.split('\n').filter((l) => l && !l.startsWith('#')).length);
        }
      }
      const probeCpu = cpu.slice(0, NODES);
      const probeRss = rss.slice(0, NODES);
      lines.push(`\n== variant ${variant.name} (${[...variant.flags, ...Object.entries(variant.env).map(([k, v]) => `${k}=${v}`)].join(' ') || 'no V8 flags'}): ${NODES} nodes, 5 endpoints each, --interval ${INTERVAL_S}${VERIFY_IMAGES ? `, verify of ${VERIFY_IMAGES} images every 20 s` : ''}, window ${Math.round(wall)} s`);
      lines.push(`  probe RSS      median ${mb(median(probeRss))} MB, max ${mb(max(probeRss))} MB (peak VmHWM max ${mb(max(hwm.slice(0, NODES)))} MB)   anchor (node -e setInterval): ${mb(rss.at(-1)!)} MB`);
      lines.push(`  probe CPU      median ${median(probeCpu).toFixed(2)} %, max ${max(probeCpu).toFixed(2)} % of one core                anchor: ${cpu.at(-1)!.toFixed(2)} %`);
      // docs/fleet.md's arithmetic: 43 series per plain endpoint, 44 per TLS one, 2 per prefix, 24 for verify.
      const expected = 4 * 43 + 44 + 2 * 2 + (VERIFY_IMAGES > 0 ? 24 : 0);
      lines.push(`  scrape (loop)  ${median(sizes)} bytes, ${median(series)} series (docs/fleet.md arithmetic: ${expected}), median ${median(times).toFixed(1)} ms, max ${max(times).toFixed(1)} ms per node`);
      if (prom) {
        const q = async (expr: string): Promise<number | null> => {
          const res = await request(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
          const j = (await res.body.json()) as { data?: { result?: { value: [number, string] }[] } };
          const v = j.data?.result?.[0]?.value[1];
          return v === undefined ? null : Number(v);
        };
        const v = `{job="pullpath",variant="${variant.name}"}`;
        const dur = await q(`quantile(0.5, scrape_duration_seconds${v})`);
        const durMax = await q(`max(scrape_duration_seconds${v})`);
        const samples = await q(`quantile(0.5, scrape_samples_scraped${v})`);
        const body = await q(`quantile(0.5, scrape_body_size_bytes${v})`);
        const upCount = await q(`sum(up${v})`);
        const head = await q('prometheus_tsdb_head_series{job="prometheus"}');
        lines.push(`  scrape (Prometheus 10 s) ${upCount ?? '?'} of ${NODES} targets up; median ${dur === null ? '?' : (dur * 1000).toFixed(1)} ms (max ${durMax === null ? '?' : (durMax * 1000).toFixed(1)} ms), ${samples ?? '?'} samples, ${body ?? 'n/a'} bytes; Prometheus head series (every variant so far, scrape meta and its own included) ${head ?? '?'}`);
      }
      results.push({ variant: variant.name, rssMb: median(probeRss) / 1024, hwmMb: max(hwm.slice(0, NODES)) / 1024, cpuPct: median(probeCpu) });
      for (const p of all) p.child.kill('SIGTERM');
      await sleep(500);
    }
  } finally {
    prom?.kill('SIGTERM');
    await mocks.close();
    await sleep(300);
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`bench/fleet: node ${process.version}, ${PROMETHEUS ? 'Prometheus server' : 'scrape loop only'}`);
  for (const l of lines) console.log(l);
  console.log('\nTargets (per node probe): RSS < 20 MB, CPU < 1 % of a core');
  for (const r of results) {
    console.log(`  ${r.variant.padEnd(12)} RSS ${r.rssMb.toFixed(1)} MB ${r.rssMb < 20 ? 'met' : 'NOT met'}; CPU ${r.cpuPct.toFixed(2)} % ${r.cpuPct < 1 ? 'met' : 'NOT met'}`);
  }
}

await main();
