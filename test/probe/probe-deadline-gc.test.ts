/**
 * A probe's deadline survives garbage collection. On Node 20, `AbortSignal.any([AbortSignal.timeout(ms), signal])`
 * holds the timeout signal only weakly: a GC while a TLS handshake hung collected it, the deadline never fired, and
 * `pullpath probe` of a hung endpoint never ended (seen in the bundled CLI, where GC timing differs from tsx).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { probeEndpoint } from '../../src/probe/probe-endpoint.ts';
import { pullImages } from '../../src/pull/pull-images.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let tlsHang: Server;
let client: RegistryClient;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // A TLS record header promising more, then silence: the client waits inside the handshake.
  tlsHang = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('data', () => s.write(Buffer.from([0x16, 0x03, 0x03, 0x01, 0x00, 0x02])));
    s.resume();
  });
  await new Promise<void>((r) => tlsHang.listen(0, '127.0.0.1', r));
  const port = (tlsHang.address() as { port: number }).port;
  client = createRegistryClient({ hostMap: HostMap.parse([`hung.example.com:127.0.0.1:${port}`]) });
});
afterAll(async () => {
  await client?.close();
  for (const s of sockets) s.destroy();
  await new Promise((r) => tlsHang.close(r));
});

describe('probe deadline', () => {
  it.each([false, true])('ends a hung TLS handshake at its deadline even when GC runs meanwhile (run signal given: %s)', async (withRunSignal) => {
    const run = new AbortController();
    const t0 = performance.now();
    const probing = probeEndpoint(
      { location: 'hung.example.com', host: 'hung.example.com', insecure: false, role: 'primary', prefixes: ['hung.example.com'], pullFromMirror: '', origin: null, canary: null },
      { client, timeoutMs: 400, checkBlob: false, now: () => performance.now() - t0, ...(withRunSignal ? { signal: run.signal } : {}) },
    );
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      gc();
    }
    const outcome = await Promise.race([probing, new Promise<null>((r) => setTimeout(() => r(null), 8000).unref())]);
    expect(outcome, 'the probe never ended: its deadline was lost').not.toBeNull();
    expect(outcome!.ok).toBe(false);
    expect(outcome!.steps[0]!.errorClass).toBe('timeout');
  }, 15_000);

  it('pull --overall-timeout ends a run whose attempt hangs, even when GC runs meanwhile', async () => {
    const run = new AbortController();
    const resolution: Resolution = {
      ref: 'hung.example.com/a:1', normalized: 'hung.example.com/a:1', registry: null, skipped: [], error: null,
      sources: [{ location: 'hung.example.com', insecure: false, reference: 'hung.example.com/a:1', blocked: false, mirror: false }],
    };
    const collect = async () => {
      const events = [];
      for await (const e of pullImages([resolution], { client, attemptTimeoutMs: 60_000, overallTimeoutMs: 400 }, run.signal)) events.push(e);
      return events;
    };
    const pulling = collect();
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      gc();
    }
    const events = await Promise.race([pulling, new Promise<null>((r) => setTimeout(() => r(null), 8000).unref())]);
    expect(events, 'the run never ended: its overall deadline was lost').not.toBeNull();
    expect(events!.find((e) => e.type === 'result')).toMatchObject({ ok: false });
  }, 15_000);
});
