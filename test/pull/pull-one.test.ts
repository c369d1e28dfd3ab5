import { describe, expect, it } from 'vitest';
import { mockSetup, API_HEADERS, imageManifest, MANIFEST_UNKNOWN } from '../registry/mock-registry.ts';
import { pullOne } from '../../src/pull/pull-one.ts';
import { pullImages } from '../../src/pull/pull-images.ts';
import { sourcesFailedError, candidatesFailedError } from '../../src/pull/final-error.ts';
import type { AttemptEvent, PullEvent } from '../../src/events/pull-events.ts';
import { MEDIA, sha256Digest } from '../../src/registry/manifest.ts';
import { source, resolution } from './fixtures.ts';
import { Redactor } from '../../src/registry/redact.ts';

function ok(agent: ReturnType<typeof mockSetup>['agent'], origin: string, path: string, body: string, headers: Record<string, string> = {}) {
  const pool = agent.get(origin);
  pool.intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
  pool.intercept({ path, method: 'GET' }).reply(200, body, { headers: { 'content-type': MEDIA.ociManifest, ...headers } });
}
function missing(agent: ReturnType<typeof mockSetup>['agent'], origin: string, path: string) {
  const pool = agent.get(origin);
  pool.intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
  pool.intercept({ path, method: 'GET' }).reply(404, MANIFEST_UNKNOWN, { headers: API_HEADERS });
}
async function run(r: Parameters<typeof pullOne>[0], setup: ReturnType<typeof mockSetup>, extra: Partial<Parameters<typeof pullOne>[1]> = {}) {
  const events: PullEvent[] = [];
  const result = await pullOne(r, { client: setup.client, ...extra }, (e) => events.push(e));
  return { result, events, attempts: events.filter((e): e is AttemptEvent => e.type === 'attempt') };
}

describe('final error form', () => {
  it.each([
    [[], 'Internal error: newImageSource returned without trying any endpoint'],
    [[{ reference: 'p/x:1', error: 'E' }], 'E'],
    [[{ reference: 'm1/x:1', error: 'E1' }, { reference: 'm2/x:1', error: 'E2' }, { reference: 'p/x:1', error: 'EP' }], '(Mirrors also failed: [m1/x:1: E1]\n[m2/x:1: E2]): p/x:1: EP'],
  ])('%j', (attempts, expected) => {
    expect(sourcesFailedError(attempts)).toBe(expected);
  });
  it('lists short-name candidates as podman does', () => {
    expect(candidatesFailedError(['a'])).toBe('a');
    expect(candidatesFailedError(['a', 'b'])).toBe('2 errors occurred while pulling:\n * a\n * b');
  });
});

describe('pullOne', () => {
  it('tries sources in order, stops at the first success, never contacts later sources', async () => {
    const setup = mockSetup();
    const m = imageManifest();
    missing(setup.agent, 'https://m1.example.com', '/v2/lib/x/manifests/1');
    ok(setup.agent, 'https://m2.example.com', '/v2/lib/x/manifests/1', m.body);
    // No interceptor for the primary: a request to it would throw "mock not matched".
    const r = resolution('docker://p.example.com/lib/x:1', [source('m1.example.com/lib/x:1'), source('m2.example.com/lib/x:1'), source('p.example.com/lib/x:1')]);
    const { result, attempts, events } = await run(r, setup);
    expect(attempts.map((a) => [a.reference, a.outcome])).toEqual([['m1.example.com/lib/x:1', 'failed'], ['m2.example.com/lib/x:1', 'ok']]);
    expect(result).toMatchObject({ ok: true, source: 'm2.example.com/lib/x:1', sourceIndex: 1, digest: m.digest, mediaType: MEDIA.ociManifest });
    expect(events.map((e) => e.type)).toEqual(['image', 'attempt-start', 'attempt', 'attempt-start', 'attempt', 'result']);
    expect(setup.agent.pendingInterceptors()).toEqual([]);
  });

  it('fails a blocked source at once, with its message and no request, and still tries the others', async () => {
    const setup = mockSetup();
    missing(setup.agent, 'https://m1.example.com', '/v2/lib/x/manifests/1');
    const blockedError = 'registry p.example.com is blocked in /etc/containers/registries.conf or /root/.config/containers/registries.conf.d';
    const r = resolution('docker://p.example.com/lib/x:1', [source('m1.example.com/lib/x:1'), source('p.example.com/lib/x:1', { blocked: true, blockedError })]);
    const { result, attempts } = await run(r, setup);
    expect(attempts[1]).toMatchObject({ outcome: 'blocked', errorClass: 'blocked', steps: [], error: blockedError });
    expect(result.error).toBe(`(Mirrors also failed: [m1.example.com/lib/x:1: reading manifest 1 in m1.example.com/lib/x: manifest unknown: manifest unknown]): p.example.com/lib/x:1: ${blockedError}`);
    expect(result.errorClass).toBe('blocked');
  });

  it('reports a resolution error without any attempt', async () => {
    const setup = mockSetup();
    const { result, attempts } = await run({ ref: 'docker://Bad', normalized: null, registry: null, sources: [], skipped: [], error: 'invalid reference format: repository name must be lowercase', errorKind: 'parse' }, setup);
    expect(attempts).toEqual([]);
    expect(result).toMatchObject({ ok: false, errorClass: 'config', error: 'invalid reference format: repository name must be lowercase' });
  });

  it('does not fail over after a digest mismatch on the chosen source', async () => {
    const setup = mockSetup();
    const m = imageManifest();
    const wanted = 'sha256:' + 'f'.repeat(64);
    ok(setup.agent, 'https://m1.example.com', `/v2/lib/x/manifests/${wanted}`, m.body);
    const r = resolution(`docker://p.example.com/lib/x@${wanted}`, [source(`m1.example.com/lib/x@${wanted}`), source(`p.example.com/lib/x@${wanted}`)]);
    const { result, attempts } = await run(r, setup);
    expect(attempts).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, errorClass: 'digest-mismatch', error: `Manifest does not match provided manifest digest ${wanted}`, sourceIndex: 0 });
    expect(result.notes?.join(' ')).toMatch(/does not fail over/);
  });

  it('pulls through a lying Docker-Content-Digest, as the runtime does, with a warning on the attempt', async () => {
    const setup = mockSetup();
    const m = imageManifest();
    const lie = 'sha256:' + '0'.repeat(64);
    ok(setup.agent, 'https://p.example.com', '/v2/lib/x/manifests/1', m.body, { 'docker-content-digest': lie });
    const { result, attempts } = await run(resolution('docker://p.example.com/lib/x:1', [source('p.example.com/lib/x:1')]), setup);
    expect(result).toMatchObject({ ok: true, errorClass: null, digest: m.digest });
    expect(attempts[0]!.outcome).toBe('ok');
    expect(attempts[0]!.notes).toEqual([expect.stringContaining(`warning: Docker-Content-Digest ${lie} does not match the manifest received (${m.digest})`)]);
  });

  it('adds no warning when Docker-Content-Digest is right', async () => {
    const setup = mockSetup();
    const m = imageManifest();
    ok(setup.agent, 'https://p.example.com', '/v2/lib/x/manifests/1', m.body, { 'docker-content-digest': m.digest });
    const { result, attempts } = await run(resolution('docker://p.example.com/lib/x:1', [source('p.example.com/lib/x:1')]), setup);
    expect(result.ok).toBe(true);
    expect(attempts[0]!.notes).toBeUndefined();
  });

  it('selects the platform in an index and fetches that manifest from the same source', async () => {
    const setup = mockSetup();
    const arm = imageManifest(['sha256:' + 'a'.repeat(64)]);
    const amd = imageManifest(['sha256:' + 'd'.repeat(64)]);
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociIndex,
      manifests: [
        { mediaType: MEDIA.ociManifest, digest: amd.digest, size: amd.body.length, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: MEDIA.ociManifest, digest: arm.digest, size: arm.body.length, platform: { os: 'linux', architecture: 'arm64' } },
      ],
    });
    const pool = setup.agent.get('https://m1.example.com');
    pool.intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}');
    pool.intercept({ path: '/v2/lib/x/manifests/1', method: 'GET' }).reply(200, index, { headers: { 'content-type': MEDIA.ociIndex } });
    pool.intercept({ path: `/v2/lib/x/manifests/${arm.digest}`, method: 'GET' }).reply(200, arm.body, { headers: { 'content-type': MEDIA.ociManifest } });
    const r = resolution('docker://p.example.com/lib/x:1', [source('m1.example.com/lib/x:1'), source('p.example.com/lib/x:1')]);
    const { result } = await run(r, setup, { platform: { os: 'linux', architecture: 'arm64' } });
    expect(result).toMatchObject({ ok: true, digest: sha256Digest(Buffer.from(index)), mediaType: MEDIA.ociIndex, platform: 'linux/arm64', instanceDigest: arm.digest });
  });

  it('fails with the runtime text when the index lacks the platform, without failover', async () => {
    const setup = mockSetup();
    const index = JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MEDIA.ociManifest, digest: 'sha256:' + '1'.repeat(64), size: 1, platform: { os: 'linux', architecture: 'amd64' } }] });
    ok(setup.agent, 'https://m1.example.com', '/v2/lib/x/manifests/1', index, { 'content-type': MEDIA.dockerList });
    const r = resolution('docker://p.example.com/lib/x:1', [source('m1.example.com/lib/x:1'), source('p.example.com/lib/x:1')]);
    const { result, attempts } = await run(r, setup, { platform: { os: 'linux', architecture: 's390x' } });
    expect(attempts).toHaveLength(1);
    expect(result.error).toBe('no image found in manifest list for architecture "s390x", variant "", OS "linux"');
  });

  it('tries short-name candidates in order and stops at the first that pulls', async () => {
    const setup = mockSetup();
    const m = imageManifest();
    missing(setup.agent, 'https://quay.io', '/v2/app/manifests/latest');
    ok(setup.agent, 'https://registry-1.docker.io', '/v2/library/app/manifests/latest', m.body);
    const r: Parameters<typeof pullOne>[0] = {
      ref: 'app',
      normalized: null,
      registry: null,
      sources: [],
      skipped: [],
      error: null,
      candidates: [
        { reference: 'quay.io/app:latest', registry: null, sources: [source('quay.io/app:latest', { mirror: false })], skipped: [], error: null },
        { reference: 'docker.io/library/app:latest', registry: null, sources: [source('docker.io/library/app:latest', { mirror: false })], skipped: [], error: null },
        { reference: 'never.example.com/app:latest', registry: null, sources: [source('never.example.com/app:latest', { mirror: false })], skipped: [], error: null },
      ],
    };
    const { result, attempts } = await run(r, setup);
    expect(attempts.map((a) => [a.index, a.reference])).toEqual([[0, 'quay.io/app:latest'], [1, 'docker.io/library/app:latest']]);
    expect(result).toMatchObject({ ok: true, source: 'docker.io/library/app:latest' });
  });

  it('words every short-name candidate failure as podman lists them', async () => {
    const setup = mockSetup();
    missing(setup.agent, 'https://quay.io', '/v2/app/manifests/latest');
    missing(setup.agent, 'https://ghcr.io', '/v2/app/manifests/latest');
    const r: Parameters<typeof pullOne>[0] = {
      ref: 'app', normalized: null, registry: null, sources: [], skipped: [], error: null,
      candidates: [
        { reference: 'quay.io/app:latest', registry: null, sources: [source('quay.io/app:latest', { mirror: false })], skipped: [], error: null },
        { reference: 'ghcr.io/app:latest', registry: null, sources: [source('ghcr.io/app:latest', { mirror: false })], skipped: [], error: null },
      ],
    };
    const { result } = await run(r, setup);
    expect(result.error).toBe(
      '2 errors occurred while pulling:\n * reading manifest latest in quay.io/app: manifest unknown: manifest unknown\n * reading manifest latest in ghcr.io/app: manifest unknown: manifest unknown',
    );
  });
});

describe('pullImages', () => {
  it('runs every image with at most `jobs` in flight and keeps each image labelled', async () => {
    const m = imageManifest();
    let inFlight = 0;
    let maxInFlight = 0;
    // A fake client (RegistryClient is an interface): each ping holds its slot for 20 ms.
    const client = {
      redactor: new Redactor(),
      async ping(host: string) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return { host, registry: host, scheme: 'https' as const, insecure: false, tls: null, credentials: null, challenges: [] };
      },
      async getManifest() {
        return { body: Buffer.from(m.body), mediaType: MEDIA.ociManifest, digest: m.digest, headerDigest: null, status: 200 };
      },
      headManifest: async () => { throw new Error('unused'); },
      headBlob: async () => { throw new Error('unused'); },
      getBlobRange: async () => { throw new Error('unused'); },
      getBlob: async () => { throw new Error('unused'); },
      lookupCredentials: async () => ({ credentials: null, source: { kind: 'none' as const, text: 'none' } }),
      dispatchers: { get: () => { throw new Error('unused'); }, close: async () => {} },
      close: async () => {},
    };
    const rs = ['a', 'b', 'a', 'c', 'd'].map((n) => resolution(`docker://p.example.com/lib/${n}:1`, [source(`p.example.com/lib/${n}:1`)]));
    const events: PullEvent[] = [];
    for await (const e of pullImages(rs, { client, jobs: 2 })) events.push(e);
    expect(maxInFlight).toBe(2);
    const results = events.filter((e) => e.type === 'result');
    expect(results.map((e) => e.image).sort()).toEqual([
      'docker://p.example.com/lib/a:1',
      'docker://p.example.com/lib/a:1 #2',
      'docker://p.example.com/lib/b:1',
      'docker://p.example.com/lib/c:1',
      'docker://p.example.com/lib/d:1',
    ]);
    expect(results.every((r) => r.type === 'result' && r.ok)).toBe(true);
  });

  it('cancels: requests in flight end with the runtime words for a cancelled context', async () => {
    const setup = mockSetup();
    setup.agent.get('https://slow.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}').delay(5000);
    const ac = new AbortController();
    const r = resolution('docker://slow.example.com/lib/x:1', [source('slow.example.com/lib/x:1')]);
    setTimeout(() => ac.abort(), 50);
    const events: PullEvent[] = [];
    // The mock answers after 5 s: only a working cancellation yields "context canceled" (no wall-clock bound here).
    for await (const e of pullImages([r], { client: setup.client }, ac.signal)) events.push(e);
    const result = events.find((e) => e.type === 'result');
    expect(result).toMatchObject({ ok: false, error: 'pinging container registry slow.example.com: Get "https://slow.example.com/v2/": context canceled' });
  });
});
