/**
 * The pull engine on a containerd Resolution (hand-built endpoints, the project's mock registries on loopback):
 * containerd 1.6.20's request order (HEAD per host, GET fallback, ?ns=), which answers fall through to the next
 * host and which stop the pull, token auth without a /v2/ ping, and the final error texts ctr and crictl print.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { pullOne } from '../../src/pull/pull-one.ts';
import type { AttemptEvent, PullEvent, ResultEvent } from '../../src/events/pull-events.ts';
import type { ContainerdEndpoint } from '../../src/containerd/endpoint.ts';
import type { PullSource, Resolution } from '../../src/resolve/resolution.ts';
import { containerdUrl, goQueryEscape } from '../../src/registry/containerd-request.ts';
import { CredentialStore } from '../../src/registry/auth-file.ts';

const IMAGE = { repository: 'org/app', tags: ['1.4'] };
const DIGEST = mockImageDigest(IMAGE);
const SRC = 'src.example.com';

let mocks: MockRegistrySet;
let client: RegistryClient;

beforeAll(async () => {
  mocks = await startMockRegistries([
    { host: SRC, images: [IMAGE] },
    { host: 'good.example.com', images: [IMAGE] },
    { host: 'empty.example.com', images: [] },
    { host: 'down.example.com', down: true },
    { host: 'broken.example.com', images: [IMAGE], faults: [{ kind: 'status', status: 500, route: 'manifest' }] },
    { host: 'limited.example.com', images: [IMAGE], faults: [{ kind: 'status', status: 429, route: 'manifest' }] },
    { host: 'token.example.com', images: [IMAGE], auth: { type: 'bearer', anonymous: true } },
    { host: 'nohead.example.com', images: [IMAGE], faults: [{ kind: 'status', status: 405, route: 'manifest', method: 'HEAD' }] },
  ]);
  client = createRegistryClient({
    hostMap: HostMap.parse(Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).map(([h, a]) => `${h}:${a}`)),
    credentials: CredentialStore.empty(),
  });
});
afterAll(async () => {
  await client?.close();
  await mocks?.close();
});

function ep(host: string, extra: Partial<ContainerdEndpoint> = {}): ContainerdEndpoint {
  return { scheme: 'http', host, path: '/v2', capabilities: ['pull', 'resolve'], skipVerify: false, caFiles: [], clientCerts: [], headers: {}, ns: host === SRC ? null : SRC, dialTimeoutMs: null, isServer: host === SRC, ...extra };
}

function resolution(ref: string, endpoints: ContainerdEndpoint[]): Resolution {
  const path = ref.slice(ref.indexOf('/') + 1);
  const sources: PullSource[] = endpoints.map((e) => ({ location: `${e.scheme}://${e.host}${e.path}`, insecure: e.scheme === 'http', reference: `${e.host}/${path}`, blocked: false, mirror: !e.isServer, containerd: e }));
  return { ref, normalized: ref, registry: null, sources, skipped: [], error: null, runtime: 'containerd' };
}

async function pull(r: Resolution, timeoutMs = 5000): Promise<{ result: ResultEvent; attempts: AttemptEvent[] }> {
  const events: PullEvent[] = [];
  const result = await pullOne(r, { client, attemptTimeoutMs: timeoutMs }, (e) => events.push(e));
  return { result, attempts: events.filter((e): e is AttemptEvent => e.type === 'attempt') };
}

const urls = (a: AttemptEvent) => a.steps.map((s) => `${s.method} ${s.url}`);

describe('containerd URLs', () => {
  it('joins the host path and the repository as Go path.Join does, and adds ?ns= with Go query escaping', () => {
    expect(containerdUrl(ep('m.example.com', { path: '//v2' }), 'org/app', ['manifests', '1.4'])).toBe('http://m.example.com/v2/org/app/manifests/1.4?ns=src.example.com');
    expect(containerdUrl(ep('m.example.com', { path: '/v2/prefix/v2', ns: '127.0.0.1:5000' }), 'org/app', ['manifests', '1.4'])).toBe(
      'http://m.example.com/v2/prefix/v2/org/app/manifests/1.4?ns=127.0.0.1%3A5000',
    );
    expect(containerdUrl(ep(SRC), 'org/app', ['blobs', DIGEST])).toBe(`http://${SRC}/v2/org/app/blobs/${DIGEST}`);
    expect(goQueryEscape('a b~*:/')).toBe('a+b~%2A%3A%2F');
  });
});

describe('the pull engine follows containerd 1.6.20 on a containerd Resolution', () => {
  it('refused, 404 and 500 fall through; the first serving host resolves with a HEAD, then the manifest comes by digest from the first host that has it', async () => {
    const { result, attempts } = await pull(resolution(`${SRC}/org/app:1.4`, [ep('down.example.com'), ep('empty.example.com'), ep('broken.example.com'), ep('good.example.com'), ep(SRC)]));
    expect(result.ok).toBe(true);
    expect(result.digest).toBe(DIGEST);
    expect(result.source).toBe('good.example.com/org/app:1.4');
    expect(attempts.map((a) => [a.reference.split('/')[0], a.outcome, a.httpStatus])).toEqual([
      ['down.example.com', 'failed', null],
      ['empty.example.com', 'failed', 404],
      ['broken.example.com', 'failed', 500],
      ['good.example.com', 'ok', 200],
    ]);
    expect(urls(attempts[3]!)).toEqual([`HEAD http://good.example.com/v2/org/app/manifests/1.4?ns=src.example.com`]);
    expect(attempts[0]!.error).toMatch(/^failed to do request: Head "http:\/\/down\.example\.com\/v2\/org\/app\/manifests\/1\.4\?ns=src\.example\.com": dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/);
    expect(attempts[2]!.error).toBe('pulling from host broken.example.com failed with status code [manifests 1.4]: 500 Internal Server Error');
  });

  it('the final error is the first non-404 error, wrapped as ctr and crictl print it', async () => {
    const { result, attempts } = await pull(resolution(`${SRC}/org/app:nope`, [ep('empty.example.com'), ep('broken.example.com', { capabilities: ['pull', 'resolve'] }), ep('down.example.com'), ep(SRC)]));
    expect(result.ok).toBe(false);
    // 404, then 500 (the first non-404 error: kept), then refused (not kept), then 404.
    expect(attempts.map((a) => a.httpStatus)).toEqual([404, 500, null, 404]);
    expect(result.error).toBe('failed to resolve reference "src.example.com/org/app:nope": pulling from host broken.example.com failed with status code [manifests nope]: 500 Internal Server Error');
    expect(result.notes).toContainEqual(`ctr prints: ctr: ${result.error}`);
    expect(result.notes).toContainEqual(`crictl pull prints: pulling image: rpc error: code = Unknown desc = failed to pull and unpack image "src.example.com/org/app:nope": ${result.error}`);
  });

  it('every host answering 404 gives `REF: not found` (gRPC NotFound for crictl)', async () => {
    const { result, attempts } = await pull(resolution(`${SRC}/org/app:nope`, [ep('empty.example.com'), ep(SRC)]));
    expect(attempts.map((a) => a.httpStatus)).toEqual([404, 404]);
    expect(result.error).toBe('failed to resolve reference "src.example.com/org/app:nope": src.example.com/org/app:nope: not found');
    expect(result.errorClass).toBe('not-found');
    expect(result.notes).toContainEqual(`crictl pull prints: pulling image: rpc error: code = NotFound desc = failed to pull and unpack image "src.example.com/org/app:nope": ${result.error}`);
  });

  it('429 is resent at once up to six requests, then the next host is tried', async () => {
    const { result, attempts } = await pull(resolution(`${SRC}/org/app:1.4`, [ep('limited.example.com'), ep(SRC)]));
    expect(result.ok).toBe(true);
    expect(attempts[0]!.steps.filter((s) => s.step === 'manifest').map((s) => `${s.method} ${s.httpStatus}`)).toEqual(Array(6).fill('HEAD 429'));
    expect(attempts[0]!.error).toBe('pulling from host limited.example.com failed with status code [manifests 1.4]: 429 Too Many Requests');
    expect(result.source).toBe(`${SRC}/org/app:1.4`);
  });

  it('a digest reference tries manifests/DIGEST on every host, then blobs/DIGEST on every host', async () => {
    const other = 'sha256:' + '0'.repeat(64);
    const { result, attempts } = await pull(resolution(`${SRC}/org/app@${other}`, [ep('empty.example.com'), ep(SRC)]));
    expect(attempts.map((a) => urls(a)[0])).toEqual([
      `HEAD http://empty.example.com/v2/org/app/manifests/${other}?ns=src.example.com`,
      `HEAD http://${SRC}/v2/org/app/manifests/${other}`,
      `HEAD http://empty.example.com/v2/org/app/blobs/${other}?ns=src.example.com`,
      `HEAD http://${SRC}/v2/org/app/blobs/${other}`,
    ]);
    expect(result.error).toBe(`failed to resolve reference "src.example.com/org/app@${other}": src.example.com/org/app@${other}: not found`);
  });

  it('Bearer auth: no ping; the 401 on the manifest fetches an anonymous token and the HEAD is resent', async () => {
    const { result, attempts } = await pull(resolution(`${SRC}/org/app:1.4`, [ep('token.example.com'), ep(SRC)]));
    expect(result.ok).toBe(true);
    expect(result.source).toBe('token.example.com/org/app:1.4');
    expect(attempts[0]!.steps.map((s) => `${s.step} ${s.method} ${s.httpStatus}`)).toEqual(['manifest HEAD 401', 'auth GET 200', 'manifest HEAD 200']);
    expect(attempts[0]!.steps[1]!.url).toContain('scope=repository%3Aorg%2Fapp%3Apull');
  });

  it('a 405 on the manifest HEAD is resent as GET (registries without HEAD); a GET without digest header is digested', async () => {
    const { result, attempts } = await pull(resolution(`${SRC}/org/app:1.4`, [ep('nohead.example.com'), ep(SRC)]));
    expect(result.ok).toBe(true);
    expect(result.digest).toBe(DIGEST);
    expect(attempts[0]!.steps.map((s) => `${s.method} ${s.httpStatus}`)).toEqual(['HEAD 405', 'GET 200']);
  });
});

describe('dial_timeout', () => {
  it('a host whose connection never comes up fails after dial_timeout with Go\'s dial error, and the next host is tried', async () => {
    const { Dispatcher } = await import('undici');
    const { createDispatcherFactory, dispatcherFactoryFrom } = await import('../../src/registry/dispatcher-factory.ts');
    // A dispatcher that never connects (a SYN nobody answers): it accepts the request and never calls back.
    class NeverConnects extends Dispatcher {
      override dispatch(): boolean {
        return true;
      }
    }
    const real = createDispatcherFactory({ hostMap: HostMap.parse(Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).map(([h, a]) => `${h}:${a}`)) });
    const never = dispatcherFactoryFrom(new NeverConnects());
    const dispatchers = { get: (req: Parameters<typeof real.get>[0], origin?: string) => (origin?.includes('blackhole.example.com') ? never.get(req) : real.get(req, origin)), close: () => real.close() };
    const c = createRegistryClient({ dispatchers });
    const events: PullEvent[] = [];
    const started = performance.now();
    const result = await pullOne(resolution(`${SRC}/org/app:1.4`, [ep('blackhole.example.com', { dialTimeoutMs: 300 }), ep(SRC)]), { client: c, attemptTimeoutMs: 20_000 }, (e) => events.push(e));
    const elapsed = performance.now() - started;
    await c.close();
    const first = events.find((e): e is AttemptEvent => e.type === 'attempt')!;
    expect(first.error).toBe('failed to do request: Head "http://blackhole.example.com/v2/org/app/manifests/1.4?ns=src.example.com": dial tcp blackhole.example.com: i/o timeout');
    expect(first.errorClass).toBe('timeout');
    expect(result.ok).toBe(true);
    // The dial deadline, not the 20 s attempt timeout, ended the first host (lower bound only: no wall-clock ceiling).
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(first.durationMs).toBeLessThan(20_000);
  });
});
