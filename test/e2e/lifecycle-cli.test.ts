/**
 * Every command under a closed pipe (`pullpath … | head -1`: the read side of stdout is destroyed after the
 * first line) and under Ctrl-C (SIGINT once the command is at work), through the real launcher:
 * no stack trace, the right exit code (141 when a write met the closed pipe, as jq and skopeo show it;
 * 130 after SIGINT, with the summary printed), and promptly (work in flight is cancelled).
 * Endpoints are loopback: a port nobody listens on (refused) and a listener that accepts and never answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { hermeticEnv, lastSpawned, spawnCli, type TimedRun } from '../helpers/run-cli.ts';
import { freePort } from '../helpers/docker-registry.ts';
import { checkJsonLines } from '../helpers/json-schemas.ts';

const F = 'test/fixtures/openshift';
let work: string;
let blackhole: Server;
let connected: () => void = () => {};
const sockets = new Set<Socket>();
let refusedPort: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-lifecycle-'));
  await mkdir(join(work, 'conf.d'));
  blackhole = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.resume();
    connected();
  });
  await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
  refusedPort = await freePort();
  await writeFile(
    join(work, 'registries.conf'),
    [
      '[[registry]]', 'location = "down.example.com"', 'insecure = true', '',
      '[[registry]]', 'location = "hang.example.com"', '',
      // verify judges mirrors: an image of src.example.com hangs on its mirror
      '[[registry]]', 'location = "src.example.com"', '[[registry.mirror]]', 'location = "hang.example.com"', '',
    ].join('\n'),
  );
  await writeFile(join(work, 'images.txt'), Array.from({ length: 300 }, (_, i) => `down.example.com/lib/app${i}:1`).join('\n') + '\n');
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => blackhole?.close(r));
  await rm(work, { recursive: true, force: true });
});

const env = () => hermeticEnv(work);
const net = () => [
  '--registries-conf', join(work, 'registries.conf'),
  '--registries-conf-dir', join(work, 'conf.d'),
  '--connect-to', `down.example.com:127.0.0.1:${refusedPort}`,
  '--connect-to', `hang.example.com:127.0.0.1:${(blackhole.address() as { port: number }).port}`,
];
const HANG = 'hang.example.com/lib/app:1';
const manyRefs = (n: number) => Array.from({ length: n }, (_, i) => `docker://quay.io/org/app${i}:1`);

function clean(r: TimedRun): void {
  expect(r.stderr).not.toMatch(/Unhandled 'error' event|\n\s+at .+:\d+:\d+\)?\n|internal error/);
  expect(r.signal).toBeNull(); // ended by itself, neither by the signal's default action nor by the test's kill
}

/** Runs `args` and destroys the read side of its stdout after the first line. */
function underClosedPipe(args: string[], stdin?: string): Promise<TimedRun> {
  let closed = false;
  return spawnCli(args, {
    env: env(),
    ...(stdin !== undefined ? { stdin } : {}),
    onStdout: (_c, child, all) => {
      if (!closed && all.includes('\n')) {
        closed = true;
        child.stdout!.destroy();
      }
    },
  });
}

/** Runs `args`, sends SIGINT when `ready` resolves, and reports how long the exit took after it. */
async function underSigint(args: string[], ready: (child: ChildProcess) => Promise<void>): Promise<TimedRun & { afterSignalMs: number }> {
  let sentAt = 0;
  const t0 = performance.now();
  let started = false;
  const r = await spawnCli(args, {
    env: env(),
    onStdout: (_c, child) => {
      if (started) return;
      started = true;
      void ready(child).then(() => {
        sentAt = performance.now() - t0;
        child.kill('SIGINT');
      });
    },
  });
  return { ...r, afterSignalMs: r.exitMs - sentAt };
}
const onFirstLine = async (): Promise<void> => {};

/**
 * Runs `args` and sends SIGINT 300 ms after the hanging listener sees its first connection: for commands that
 * print nothing until they are done (load; pull --output json writes an image's records together).
 */
async function underSigintOnConnect(args: string[]): Promise<TimedRun & { sentAt: number }> {
  let sentAt = 0;
  const t0 = performance.now();
  let child: ChildProcess | null = null;
  connected = () => {
    connected = () => {};
    sentAt = performance.now() - t0;
    setTimeout(() => child?.kill('SIGINT'), 300);
  };
  const running = spawnCli(args, { env: env() });
  child = lastSpawned();
  return { ...(await running), sentAt };
}

describe('closed pipe (| head -1)', () => {
  it('resolve: quiet, exit 141', async () => {
    const r = await underClosedPipe(['resolve', '--registries-conf', 'examples/registries.conf', '--registries-conf-dir', join(work, 'conf.d'), ...manyRefs(3000)]);
    clean(r);
    expect(r.code).toBe(141);
  }, 30_000);

  it('explain: quiet, exit 141', async () => {
    const event = (i: number) => `Failed to pull image "quay.io/org/app${i}:1": rpc error: code = Unknown desc = quay.io/org/app${i}:1: reading manifest 1 in quay.io/org/app${i}: manifest unknown: manifest unknown`;
    const r = await underClosedPipe(['explain', '-'], Array.from({ length: 3000 }, (_, i) => event(i)).join('\n') + '\n');
    clean(r);
    expect(r.code).toBe(141);
  }, 30_000);

  it('policy: quiet, exit 141', async () => {
    const refs = Array.from({ length: 3000 }, (_, i) => `quay.io/org/app${i}:1`);
    const r = await underClosedPipe(['policy', '--openshift', `${F}/docs-insecure.yaml`, '--output', 'json', ...refs]);
    clean(r);
    expect(r.code).toBe(141);
  }, 30_000);

  it('lint and render: quiet (their output may fit the pipe: then their own exit code)', async () => {
    for (const args of [
      ['lint', '--registries-conf', 'examples/registries.conf', '--registries-conf-dir', join(work, 'conf.d')],
      ['render', 'openshift', `${F}/docs-blocked.yaml`],
    ]) {
      const r = await underClosedPipe(args);
      clean(r);
      expect([0, 1, 141]).toContain(r.code);
    }
  }, 30_000);

  it('diff: quiet, exit 141', async () => {
    // 10 entries against 1,000: a megabyte of changes, far more than a pipe holds.
    const r = await underClosedPipe(['diff', 'bench/data/registries-N10.conf', 'bench/data/registries-N1000.conf']);
    clean(r);
    expect(r.code).toBe(141);
  }, 30_000);

  it('pull: quiet, exit 141, and the hanging attempt still in flight is cancelled (no wait for its 30 s deadline)', async () => {
    const r = await underClosedPipe(['pull', ...net(), '--timeout', '30', '--output', 'json', HANG, '--images', join(work, 'images.txt')]);
    clean(r);
    expect(r.code).toBe(141);
    expect(r.exitMs).toBeLessThan(20_000);
  }, 40_000);

  it('verify: quiet, exit 141, prompt', async () => {
    const r = await underClosedPipe(['verify', ...net(), '--timeout', '30', 'src.example.com/lib/app:1', '--images', join(work, 'images.txt')]);
    clean(r);
    expect(r.code).toBe(141);
    expect(r.exitMs).toBeLessThan(20_000);
  }, 40_000);

  it('probe --watch: the next write meets the closed pipe and ends the watch, exit 141', async () => {
    const r = await underClosedPipe(['probe', ...net(), '--watch', '--interval', '0.2', '--timeout', '2', '--output', 'json', 'down.example.com/lib/app:1']);
    clean(r);
    expect(r.code).toBe(141);
  }, 40_000);

  it('scenario run with several files: the rest is skipped, exit 141', async () => {
    const r = await underClosedPipe(['scenario', 'run', '--no-tui', 'scenarios/blocked-registry-mirror-serves.toml', 'scenarios/idms-digest-only.toml', 'scenarios/stale-tag-mirror.toml']);
    clean(r);
    expect(r.code).toBe(141);
  }, 60_000);

  it('demo and load: quiet', async () => {
    const demo = await underClosedPipe(['demo', '--no-tui']);
    clean(demo);
    expect([0, 141]).toContain(demo.code);
    const load = await underClosedPipe(['load', '--no-tui', '--scenario', 'scenarios/demo.toml', '--duration', '1']);
    clean(load);
    expect([0, 1, 141]).toContain(load.code);
  }, 60_000);

  it('mock: keeps serving (a server notices a closed pipe at its next write), then Ctrl-C ends it quietly', async () => {
    let closed = false;
    const r = await spawnCli(['mock', 'scenarios/demo.toml'], {
      env: env(),
      onStdout: (_c, child, all) => {
        if (!closed && all.includes('\n')) {
          closed = true;
          child.stdout!.destroy();
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      },
    });
    clean(r);
    expect(r.code).toBe(130);
  }, 30_000);
});

describe('Ctrl-C (SIGINT): exit 130 after the summary, promptly', () => {
  it('pull: the hanging attempt is shown cancelled (not other)', async () => {
    const r = await underSigintOnConnect(['pull', ...net(), '--timeout', '30', '--output', 'json', HANG]);
    clean(r);
    expect(r.sentAt).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.exitMs - r.sentAt).toBeLessThan(5300);
    const result = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'result');
    expect(result).toMatchObject({ ok: false, errorClass: 'cancelled' });
    // The class is part of the JSON contract too.
    expect(checkJsonLines('pull', r.stdout).failures).toEqual([]);
  }, 30_000);

  it('verify: the summary is printed', async () => {
    const r = await underSigint(['verify', ...net(), '--timeout', '30', 'down.example.com/lib/app:1', 'src.example.com/lib/app:1'], onFirstLine);
    clean(r);
    expect(r.code).toBe(130);
    expect(r.afterSignalMs).toBeLessThan(5000);
    expect(r.stdout).toMatch(/2 image\(s\)/);
    expect(r.stdout).toMatch(/cancelled/);
  }, 30_000);

  it('probe --watch', async () => {
    const r = await underSigint(['probe', ...net(), '--watch', '--interval', '0.5', '--timeout', '3', '--output', 'json', 'down.example.com/lib/app:1'], onFirstLine);
    clean(r);
    expect(r.code).toBe(130);
    expect(r.afterSignalMs).toBeLessThan(5000);
  }, 30_000);

  it('load: the report is printed, cancelled pulls counted as cancelled', async () => {
    const r = await underSigintOnConnect(['load', ...net(), '--no-tui', '--duration', '60', '--concurrency', '2', '--timeout', '30', HANG]);
    clean(r);
    expect(r.sentAt).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.exitMs - r.sentAt).toBeLessThan(6000);
    expect(r.stdout).toMatch(/cancelled/);
    expect(r.stdout).not.toMatch(/\bother\b/);
  }, 90_000);

  it('scenario run: exit 130 (it was 1), the run so far reported', async () => {
    const r = await underSigint(
      ['scenario', 'run', '--no-tui', 'scenarios/blocked-registry-mirror-serves.toml', 'scenarios/blackhole-mirror.toml', 'scenarios/stale-tag-mirror.toml'],
      onFirstLine,
    );
    clean(r);
    expect(r.code).toBe(130);
    expect(r.afterSignalMs).toBeLessThan(5000);
  }, 60_000);

  it('mock: exit 130 after "stopped"', async () => {
    const r = await underSigint(['mock', 'scenarios/demo.toml'], onFirstLine);
    clean(r);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/stopped\n$/);
  }, 30_000);
});
