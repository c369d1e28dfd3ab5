import { describe, it, expect, afterEach } from 'vitest';
import { connect } from 'node:net';
import { createHash } from 'node:crypto';
import { startMockRegistry, type RunningMockRegistry } from '../../src/mock/start.ts';
import { createManualClock, type ManualClock } from '../../src/mock/clock.ts';
import { buildImage, mockImageDigest } from '../../src/mock/image-builder.ts';
import type { FaultRule, MockImageSpec } from '../../src/mock/spec.ts';
import { createClient, header, ACCEPT_ALL } from './client.ts';

const APP: MockImageSpec = { repository: 'org/app', tags: ['1.4'], layers: [20_000] };
const OTHER: MockImageSpec = { repository: 'org/other', tags: ['1'] };
const LAYER = buildImage(APP).blobs[1]!;
const sha = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

const open: RunningMockRegistry[] = [];
const client = createClient();
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function start(faults: FaultRule[], opts: { clock?: ManualClock; seed?: number; down?: boolean } = {}) {
  const reg = await startMockRegistry(
    { host: 'faulty.example.com', images: [APP, OTHER], faults, ...(opts.down ? { down: true } : {}) },
    { ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
  );
  open.push(reg);
  return reg;
}

const manifest = (reg: RunningMockRegistry, repo = 'org/app', ref = '1.4', method: 'GET' | 'HEAD' = 'GET') =>
  client.fetch(`${reg.origin}/v2/${repo}/manifests/${ref}`, { method, headers: { accept: ACCEPT_ALL } });

/** One raw HTTP/1.1 exchange: everything the server sent until it closed, and how it closed. */
function raw(port: number, path: string): Promise<{ head: string; body: Buffer; error: string | undefined }> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    let error: string | undefined;
    s.on('data', (d) => parts.push(d));
    s.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    s.on('close', () => {
      const all = Buffer.concat(parts);
      const split = all.indexOf('\r\n\r\n');
      resolve({ head: split < 0 ? all.toString() : all.subarray(0, split).toString(), body: split < 0 ? Buffer.alloc(0) : all.subarray(split + 4), error });
    });
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAccept: ${ACCEPT_ALL}\r\n\r\n`);
  });
}

describe('faults observed by a real client on loopback', () => {
  it('refuse closes the port for its window on the clock, then listens again on the same port', async () => {
    const clock = createManualClock();
    const reg = await start([{ kind: 'refuse', from: 1, to: 2 }], { clock });
    expect((await manifest(reg)).status).toBe(200);
    clock.set(1000);
    expect(reg.listening()).toBe(false);
    await expect(manifest(reg)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    clock.set(2000);
    await new Promise((r) => setTimeout(r, 20));
    expect((await manifest(reg)).status).toBe(200);
    expect(reg.stats().faults).toEqual([{ index: 0, kind: 'refuse', fired: 1 }]);
  });

  it('a registry declared down refuses connections on its port', async () => {
    const reg = await start([], { down: true });
    expect(reg.port).toBeGreaterThan(0);
    await expect(manifest(reg)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('blackhole accepts and never answers: the client gives up at its own deadline', async () => {
    const reg = await start([{ kind: 'blackhole', route: 'manifest' }]);
    const t0 = performance.now();
    await expect(client.fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(290);
    expect((await client.fetch(reg.url)).status).toBe(200); // other routes still answer
    expect(reg.stats().byRoute).toContainEqual({ route: 'manifest', method: 'GET', status: 0, count: 1 });
  });

  it('latency delays the headers by the configured time', async () => {
    const reg = await start([{ kind: 'latency', ms: 200, route: 'manifest' }]);
    const t0 = performance.now();
    expect((await manifest(reg)).status).toBe(200);
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(195); // a lower bound proves the delay; ceilings belong in bench/
  });

  it('slow-body paces the body at bytes-per-second', async () => {
    const reg = await start([{ kind: 'slow-body', bytesPerSecond: 40_000, route: 'blob' }]);
    const t0 = performance.now();
    const r = await client.fetch(`${reg.origin}/v2/org/app/blobs/${LAYER.digest}`);
    const ms = performance.now() - t0;
    expect(sha(r.body)).toBe(LAYER.digest);
    expect(ms).toBeGreaterThanOrEqual(450); // 20,000 B at 40,000 B/s = 500 ms
  });

  it('status answers 503 / 429 with Retry-After / 502 from a proxy, with distribution bodies', async () => {
    const reg = await start([
      { kind: 'status', status: 429, retryAfter: 7, method: 'HEAD' },
      { kind: 'status', status: 502, route: 'blob' },
      { kind: 'status', status: 503, route: 'manifest' },
    ]);
    const r429 = await manifest(reg, 'org/app', '1.4', 'HEAD');
    expect(r429.status).toBe(429);
    expect(header(r429, 'retry-after')).toBe('7');
    const r503 = await manifest(reg);
    expect(r503.status).toBe(503);
    expect(JSON.parse(r503.body.toString()).errors[0].code).toBe('UNAVAILABLE');
    const r502 = await client.fetch(`${reg.origin}/v2/org/app/blobs/${LAYER.digest}`);
    expect(r502.status).toBe(502);
    expect(header(r502, 'content-type')).toBe('text/html');
    expect(header(r502, 'docker-distribution-api-version')).toBeUndefined();
  });

  it('status 404 on chosen repositories only: "not mirrored"', async () => {
    const reg = await start([{ kind: 'status', status: 404, repository: 'org/app' }]);
    const miss = await manifest(reg);
    expect(miss.status).toBe(404);
    expect(JSON.parse(miss.body.toString())).toEqual({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: '1.4' } }] });
    expect((await manifest(reg, 'org/other', '1')).status).toBe(200);
    expect((await client.fetch(`${reg.origin}/v2/org/app/blobs/${LAYER.digest}`)).status).toBe(404);
  });

  it('flaky fails a fraction of requests, the same ones for the same seed', async () => {
    const rules: FaultRule[] = [{ kind: 'flaky', probability: 0.5, route: 'manifest' }];
    const run = async (seed: number) => {
      const reg = await start(rules, { seed });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await manifest(reg)).status);
      return out;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
    const fails = a.filter((s) => s === 503).length;
    expect(fails).toBeGreaterThan(8);
    expect(fails).toBeLessThan(32);
    expect(a.filter((s) => s !== 503).every((s) => s === 200)).toBe(true);
  });

  it('wrong-digest serves other bytes of the same length than the digest announced', async () => {
    const reg = await start([{ kind: 'wrong-digest' }]);
    const m = await manifest(reg);
    expect(m.status).toBe(200);
    expect(header(m, 'docker-content-digest')).toBe(mockImageDigest(APP));
    expect(sha(m.body)).not.toBe(mockImageDigest(APP));
    expect(m.body.length).toBe(Number(header(m, 'content-length')));
    const b = await client.fetch(`${reg.origin}/v2/org/app/blobs/${LAYER.digest}`);
    expect(b.body.length).toBe(LAYER.size);
    expect(sha(b.body)).not.toBe(LAYER.digest);
  });

  it('html answers 200 with a login page and no registry headers', async () => {
    const reg = await start([{ kind: 'html' }]);
    const r = await client.fetch(reg.url);
    expect(r.status).toBe(200);
    expect(header(r, 'content-type')).toMatch(/^text\/html/);
    expect(header(r, 'docker-distribution-api-version')).toBeUndefined();
    expect(r.body.toString()).toContain('<form');
  });

  it('truncate sends the headers and N body bytes, then closes cleanly', async () => {
    const reg = await start([{ kind: 'truncate', afterBytes: 100, route: 'blob' }]);
    const r = await raw(reg.port, `/v2/org/app/blobs/${LAYER.digest}`);
    expect(r.head).toMatch(/^HTTP\/1.1 200/);
    expect(r.head.toLowerCase()).toContain(`content-length: ${LAYER.size}`);
    expect(r.body.length).toBe(100);
    expect(r.error).toBeUndefined();
    await expect(client.fetch(`${reg.origin}/v2/org/app/blobs/${LAYER.digest}`)).rejects.toThrow();
  });

  it('reset destroys the socket before any answer, or after N body bytes', async () => {
    const reg = await start([
      { kind: 'reset', route: 'manifest' },
      { kind: 'reset', afterBytes: 1000, route: 'blob' },
    ]);
    const before = await raw(reg.port, '/v2/org/app/manifests/1.4');
    expect(before.head).toBe('');
    expect(before.error).toBe('ECONNRESET');
    await expect(manifest(reg)).rejects.toThrow();
    const mid = await raw(reg.port, `/v2/org/app/blobs/${LAYER.digest}`);
    expect(mid.head).toMatch(/^HTTP\/1.1 200/);
    expect(mid.body.length).toBeLessThanOrEqual(1000);
    expect(mid.error).toBe('ECONNRESET');
  });

  it('stale-tag points the tag at a different image whose blobs are served too', async () => {
    const reg = await start([{ kind: 'stale-tag', repository: 'org/app' }]);
    const stale = mockImageDigest({ ...APP, content: 'app~stale' });
    expect(stale).not.toBe(mockImageDigest(APP));
    const byTag = await manifest(reg);
    expect(header(byTag, 'docker-content-digest')).toBe(stale);
    expect(sha(byTag.body)).toBe(stale);
    const layer = JSON.parse(byTag.body.toString()).layers[0].digest;
    expect((await client.fetch(`${reg.origin}/v2/org/app/blobs/${layer}`)).status).toBe(200);
    // By digest the source's image is still there (only the tag moved).
    expect((await manifest(reg, 'org/app', mockImageDigest(APP))).status).toBe(200);
  });
});

describe('hostile-registry faults', () => {
  it('not-manifest answers 200 with JSON that is no manifest', async () => {
    const reg = await start([{ kind: 'not-manifest', route: 'manifest' }]);
    const m = await manifest(reg);
    expect(m.status).toBe(200);
    expect(header(m, 'content-type')).toBe('application/json');
    expect(m.body.toString()).toBe('{"status":"ok"}');
  });

  it('deep-json answers an OCI index nested `depth` levels', async () => {
    const reg = await start([{ kind: 'deep-json', depth: 3, route: 'manifest' }]);
    const m = await manifest(reg);
    expect(header(m, 'content-type')).toBe('application/vnd.oci.image.index.v1+json');
    expect(m.body.toString()).toBe('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[[[]]]}');
  });

  it('redirect sends a bare origin the request path, and a full URL as is', async () => {
    const reg = await start([
      { kind: 'redirect', location: 'http://other.example.com:5000', route: 'manifest' },
      { kind: 'redirect', status: 302, location: 'https://cdn.example.com/b?sig=1', route: 'blob' },
    ]);
    const m = await manifest(reg);
    expect(m.status).toBe(307);
    expect(header(m, 'location')).toBe('http://other.example.com:5000/v2/org/app/manifests/1.4');
    const b = await client.fetch(`${reg.origin}/v2/org/app/blobs/${LAYER.digest}`);
    expect(b.status).toBe(302);
    expect(header(b, 'location')).toBe('https://cdn.example.com/b?sig=1');
  });

  it('big-header adds a header of the given size (a Basic challenge for WWW-Authenticate)', async () => {
    const reg = await start([{ kind: 'big-header', bytes: 100_000, route: 'ping' }]);
    const r = await createClient({ maxHeaderSize: 1 << 20 }).fetch(reg.url);
    expect(header(r, 'www-authenticate')).toMatch(/^Basic realm="a+"$/);
    expect(header(r, 'www-authenticate')!.length).toBe(100_000);
  });

  it('lying-digest announces a wrong digest over the right bytes', async () => {
    const reg = await start([{ kind: 'lying-digest', route: 'manifest' }]);
    const m = await manifest(reg);
    expect(sha(m.body)).toBe(mockImageDigest(APP));
    expect(header(m, 'docker-content-digest')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(header(m, 'docker-content-digest')).not.toBe(mockImageDigest(APP));
  });

  it('tls-bytes answers with a TLS alert record instead of HTTP', async () => {
    const reg = await start([{ kind: 'tls-bytes' }]);
    const r = await raw(reg.port, '/v2/');
    expect([...Buffer.from(r.head, 'latin1')]).toEqual([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28]);
  });
});

describe('fault timeline, counts and stats', () => {
  it('activates a rule only between from and to on the registry clock', async () => {
    const clock = createManualClock();
    const reg = await start([{ kind: 'status', status: 503, from: 1, to: 2 }], { clock });
    expect((await manifest(reg)).status).toBe(200);
    clock.set(1000);
    expect((await manifest(reg)).status).toBe(503);
    clock.set(1999);
    expect((await manifest(reg)).status).toBe(503);
    clock.set(2000);
    expect((await manifest(reg)).status).toBe(200);
  });

  it('fires a counted rule that many times, then lets requests through', async () => {
    const reg = await start([{ kind: 'status', status: 500, count: 2 }]);
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await manifest(reg)).status);
    expect(got).toEqual([500, 500, 200, 200]);
  });

  it('counts requests by route and status, faults fired, and rules never used', async () => {
    const reg = await start([
      { kind: 'status', status: 503, route: 'manifest', count: 1 },
      { kind: 'html', route: 'catalog' },
    ]);
    await manifest(reg);
    await manifest(reg);
    await client.fetch(reg.url);
    const s = reg.stats();
    expect(s.host).toBe('faulty.example.com');
    expect(s.requests).toBe(3);
    expect(s.byRoute).toEqual(
      expect.arrayContaining([
        { route: 'manifest', method: 'GET', status: 503, count: 1 },
        { route: 'manifest', method: 'GET', status: 200, count: 1 },
        { route: 'ping', method: 'GET', status: 200, count: 1 },
      ]),
    );
    expect(s.faults).toEqual([
      { index: 0, kind: 'status', fired: 1 },
      { index: 1, kind: 'html', fired: 0 },
    ]);
    expect(s.unusedRules).toEqual([{ index: 1, kind: 'html', description: '#1 html on catalog' }]);
  });

  it('replaces its rules at run time with setFaults', async () => {
    const reg = await start([]);
    expect((await manifest(reg)).status).toBe(200);
    reg.setFaults([{ kind: 'status', status: 503 }]);
    expect((await manifest(reg)).status).toBe(503);
    reg.setFaults([]);
    expect((await manifest(reg)).status).toBe(200);
  });
});
