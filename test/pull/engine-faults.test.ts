/**
 * Each fault the mock registry can inject, seen by the real engine (resolver → pull engine → registry client →
 * loopback socket): the attempt's outcome and error class, and for delays a lower bound proving the delay
 * reached the engine (no wall-clock ceilings: those live in bench/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import type { FaultRule } from '../../src/mock/spec.ts';
import { pullOne } from '../../src/pull/pull-one.ts';
import type { AttemptEvent, PullEvent, ResultEvent } from '../../src/events/pull-events.ts';

const IMAGE = { repository: 'org/app', tags: ['1.4'] };
const DIGEST = mockImageDigest(IMAGE);
const FAULTS: Record<string, FaultRule[]> = {
  blackhole: [{ kind: 'blackhole', route: 'manifest' }],
  latency: [{ kind: 'latency', ms: 300, route: 'manifest' }],
  slowbody: [{ kind: 'slow-body', bytesPerSecond: 1000, route: 'manifest' }],
  s500: [{ kind: 'status', status: 500, route: 'manifest' }],
  s502: [{ kind: 'status', status: 502, route: 'manifest' }],
  s503: [{ kind: 'status', status: 503, route: 'manifest' }],
  s404: [{ kind: 'status', status: 404, route: 'manifest' }],
  s429: [{ kind: 'status', status: 429, retryAfter: 1, route: 'manifest', count: 1 }],
  flaky: [{ kind: 'flaky', probability: 1, fault: { kind: 'status', status: 503 }, route: 'manifest' }],
  wrongdigest: [{ kind: 'wrong-digest', route: 'manifest' }],
  html: [{ kind: 'html' }],
  truncate: [{ kind: 'truncate', afterBytes: 10, route: 'manifest' }],
  reset: [{ kind: 'reset', route: 'manifest' }],
  stale: [{ kind: 'stale-tag' }],
};

let mocks: MockRegistrySet;
let client: RegistryClient;
const conf = compileConfig(
  loadRegistriesConfFromTexts({
    main: { path: 'faults.conf', text: ['down', ...Object.keys(FAULTS)].map((h) => `[[registry]]\nlocation = "${h}.example.com"\ninsecure = true\n`).join('') },
    mainPath: 'faults.conf',
    dropins: [],
  }),
);

beforeAll(async () => {
  mocks = await startMockRegistries([
    { host: 'down.example.com', down: true },
    ...Object.entries(FAULTS).map(([h, faults]) => ({ host: `${h}.example.com`, images: [IMAGE], faults })),
  ]);
  client = createRegistryClient({ hostMap: HostMap.parse(Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).map(([h, a]) => `${h}:${a}`)) });
});
afterAll(async () => {
  await client?.close();
  await mocks?.close();
});

async function pull(host: string, ref = ':1.4', attemptTimeoutMs = 800): Promise<{ result: ResultEvent; attempt: AttemptEvent }> {
  const events: PullEvent[] = [];
  const result = await pullOne(resolveArg(conf, `docker://${host}.example.com/org/app${ref}`), { client, attemptTimeoutMs }, (e) => events.push(e));
  const attempt = events.find((e): e is AttemptEvent => e.type === 'attempt')!;
  return { result, attempt };
}

describe('the engine sees exactly the injected fault', () => {
  it('refuse: connection refused on both schemes of an insecure endpoint', async () => {
    const { attempt } = await pull('down');
    expect(attempt.errorClass).toBe('refused');
    expect(attempt.error).toMatch(/connect: connection refused$/);
  });

  it('blackhole: the attempt deadline ends it, no sooner', async () => {
    const { attempt } = await pull('blackhole');
    expect(attempt.errorClass).toBe('timeout');
    expect(attempt.error).toMatch(/context deadline exceeded$/);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(790);
  });

  it('latency: the pull succeeds, at least the injected delay later', async () => {
    const { result, attempt } = await pull('latency');
    expect(result.ok).toBe(true);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(295);
  });

  it('slow-body: the manifest arrives intact, paced', async () => {
    const { result, attempt } = await pull('slowbody');
    expect(result).toMatchObject({ ok: true, digest: DIGEST });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(200); // a manifest of several hundred bytes at 1,000 B/s
  });

  it.each([
    ['s500', 500, 'server-error'],
    ['s502', 502, 'server-error'],
    ['s503', 503, 'server-error'],
    ['s404', 404, 'not-found'],
    ['flaky', 503, 'server-error'],
  ])('%s: HTTP %i classified %s', async (host, status, cls) => {
    const { attempt } = await pull(host);
    expect(attempt.outcome).toBe('failed');
    expect(attempt.httpStatus).toBe(status);
    expect(attempt.errorClass).toBe(cls);
  });

  it('429 with Retry-After: retried on the same source after the wait, then served', async () => {
    // The deadline must leave room for the 1 s wait: pullpath never starts a retry that would pass it.
    const { result, attempt } = await pull('s429', ':1.4', 5000);
    expect(result.ok).toBe(true);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(950);
  });

  it('wrong-digest: bytes that do not match the requested digest', async () => {
    const { result } = await pull('wrongdigest', `@${DIGEST}`);
    expect(result.ok).toBe(false);
    expect(result.errorClass).toBe('digest-mismatch');
  });

  it('html: a login page answering everything is not a registry, and the pull fails', async () => {
    const { result } = await pull('html');
    expect(result.ok).toBe(false);
    expect(result.errorClass).toBe('not-a-registry');
  });

  it('truncate: a cut manifest body fails the attempt', async () => {
    const { result, attempt } = await pull('truncate');
    expect(result.ok).toBe(false);
    expect(attempt.outcome).toBe('failed');
    expect(attempt.errorClass).toBe('reset');
  });

  it('reset: a connection reset before any answer', async () => {
    const { attempt } = await pull('reset');
    expect(attempt.outcome).toBe('failed');
    expect(attempt.errorClass).toBe('reset');
  });

  it('stale-tag: the tag pulls a different image than the one described', async () => {
    const { result } = await pull('stale');
    expect(result.ok).toBe(true);
    expect(result.digest).toBe(mockImageDigest({ ...IMAGE, content: 'app~stale' }));
    expect(result.digest).not.toBe(DIGEST);
  });
});

describe('a run stopped while attempts are in flight', () => {
  it('marks the attempt and the result cancelled (not other), and an overall deadline stays timeout', async () => {
    const stop = new AbortController();
    const events: PullEvent[] = [];
    setTimeout(() => stop.abort(), 200);
    const result = await pullOne(resolveArg(conf, 'docker://blackhole.example.com/org/app:1.4'), { client, attemptTimeoutMs: 5000 }, (e) => events.push(e), stop.signal);
    const attempt = events.find((e): e is AttemptEvent => e.type === 'attempt')!;
    expect(attempt.errorClass).toBe('cancelled');
    expect(attempt.error).toMatch(/context canceled$/);
    expect(result.errorClass).toBe('cancelled');

    const overall = await pullOne(resolveArg(conf, 'docker://blackhole.example.com/org/app:1.4'), { client, attemptTimeoutMs: 5000 }, () => {}, AbortSignal.timeout(200));
    expect(overall.errorClass).toBe('timeout');
  });
});
