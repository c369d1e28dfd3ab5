/**
 * A command exits as soon as its result is written: no socket, timer or pending handshake keeps it alive.
 * Real listeners on loopback: a blackhole (accepts TCP, never writes a byte) and a TLS hang (answers the
 * ClientHello with the start of a handshake record and never the rest). Before the fix, undici's 10 s
 * connect timer kept the process alive: `pull --timeout 2` printed at ~2.3 s and exited at ~10.8 s.
 * Bounds are generous (deadline + several seconds of start-up under load), and still far below 10 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hermeticEnv, spawnCli } from '../helpers/run-cli.ts';

let work: string;
let blackhole: Server;
let tlsHang: Server;
const sockets = new Set<Socket>();

function listen(onSocket: (s: Socket) => void): Promise<Server> {
  return new Promise((resolve) => {
    const srv = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
      onSocket(s);
      s.resume(); // read and drop what the client sends, never answer
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}
const portOf = (s: Server) => (s.address() as { port: number }).port;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-linger-'));
  await mkdir(join(work, 'conf.d'));
  blackhole = await listen(() => {});
  // A handshake record header promising 256 bytes, then silence: the client waits inside the TLS handshake.
  tlsHang = await listen((s) => s.once('data', () => s.write(Buffer.from([0x16, 0x03, 0x03, 0x01, 0x00, 0x02]))));
  await writeFile(
    join(work, 'registries.conf'),
    ['[[registry]]', 'location = "secure.example.com"', '', '[[registry]]', 'location = "insecure.example.com"', 'insecure = true', ''].join('\n'),
  );
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([blackhole, tlsHang].map((s) => new Promise((r) => s?.close(r))));
  await rm(work, { recursive: true, force: true });
});

const conf = () => ['--registries-conf', join(work, 'registries.conf'), '--registries-conf-dir', join(work, 'conf.d')];
const connectTo = () => [
  '--connect-to', `secure.example.com:127.0.0.1:${portOf(tlsHang)}`,
  '--connect-to', `insecure.example.com:127.0.0.1:${portOf(blackhole)}`,
];
const DEADLINE_MS = 2000;
// Start-up of the CLI on a loaded 2-core machine, plus slack; undici's connect timer alone was 10 s.
const MARGIN_MS = 5000;

describe('no process lingers after its result', () => {
  it('pull: a TLS handshake that never completes ends at the attempt deadline, and so does the process', async () => {
    const r = await spawnCli(['pull', ...conf(), ...connectTo(), '--timeout', '2', '--no-tui', 'secure.example.com/lib/app:1'], { env: hermeticEnv(work) });
    expect(r.stderr).not.toMatch(/at .*\.m?js:\d+/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/timeout: pinging container registry secure\.example\.com/);
    expect(r.exitMs).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(r.exitMs - r.lastOutputMs).toBeLessThan(2000);
  }, 30_000);

  it('pull: an insecure endpoint that accepts and never answers (https ping first) ends at the deadline', async () => {
    const r = await spawnCli(['pull', ...conf(), ...connectTo(), '--timeout', '2', '--no-tui', 'insecure.example.com/lib/app:1'], { env: hermeticEnv(work) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/timeout: pinging container registry insecure\.example\.com/);
    expect(r.exitMs).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(r.exitMs - r.lastOutputMs).toBeLessThan(2000);
  }, 30_000);

  it('probe: both hanging endpoints are down at the deadline and the process exits with its table', async () => {
    const r = await spawnCli(
      ['probe', ...conf(), ...connectTo(), '--timeout', '2', '--no-tui', 'secure.example.com/lib/app:1', 'insecure.example.com/lib/app:1'],
      { env: hermeticEnv(work) },
    );
    expect(r.stdout).toMatch(/secure\.example\.com\s.*DOWN/);
    expect(r.exitMs).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(r.exitMs - r.lastOutputMs).toBeLessThan(2000);
  }, 30_000);

  it('pull: Ctrl-C during a hanging handshake ends the process at once', async () => {
    let signalledAt = 0;
    const t0 = performance.now();
    const r = await spawnCli(['pull', ...conf(), ...connectTo(), '--timeout', '30', '--output', 'json', 'secure.example.com/lib/app:1'], {
      env: hermeticEnv(work),
      onStdout: (_chunk, child) => {
        // The image event is written when the pull starts: the attempt is now waiting on the handshake.
        if (signalledAt === 0) {
          signalledAt = performance.now() - t0;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    expect(signalledAt).toBeGreaterThan(0);
    expect(r.signal).toBeNull();
    expect(r.exitMs - signalledAt).toBeLessThan(3000);
  }, 40_000);
});
