import { describe, expect, it } from 'vitest';
import { mockSetup, API_HEADERS, imageManifest, MANIFEST_UNKNOWN } from './mock-registry.ts';
import { MANIFEST_ACCEPT, MEDIA, sha256Digest, MAX_MANIFEST_BYTES } from '../../src/registry/manifest.ts';
import { RegistryError } from '../../src/registry/registry-error.ts';
import type { AttemptStep } from '../../src/registry/step.ts';

function refused(port = 5000) {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED', address: '127.0.0.1', port });
}

describe('ping', () => {
  it('accepts 200 over https and records the challenges of a 401', async () => {
    const { agent, client } = mockSetup();
    agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(401, '{}', {
      headers: { ...API_HEADERS, 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg.example.com"' },
    });
    const steps: AttemptStep[] = [];
    const s = await client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/a/b', steps });
    expect(s.scheme).toBe('https');
    expect(s.challenges).toEqual([{ scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'reg.example.com' } }]);
    expect(steps.map((x) => [x.step, x.ok, x.httpStatus])).toEqual([['ping', true, 401]]);
  });

  it('falls back to plain http for an insecure endpoint after an https failure of any kind', async () => {
    const { agent, client } = mockSetup();
    agent.get('https://mirror.example.com:5000').intercept({ path: '/v2/', method: 'GET' }).replyWithError(refused());
    agent.get('http://mirror.example.com:5000').intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
    const steps: AttemptStep[] = [];
    const s = await client.ping('mirror.example.com:5000', { insecure: true, repository: 'mirror.example.com:5000/x', steps });
    expect(s.scheme).toBe('http');
    expect(steps.map((x) => x.url)).toEqual(['https://mirror.example.com:5000/v2/', 'http://mirror.example.com:5000/v2/']);
    expect(steps[0]!.detail).toContain('falling back to plain http');
  });

  it('does not fall back for a secure endpoint, and words the failure as the runtime', async () => {
    const { agent, client } = mockSetup();
    agent.get('https://127.0.0.1:55018').intercept({ path: '/v2/', method: 'GET' }).replyWithError(refused(55018));
    const err = await client.ping('127.0.0.1:55018', { insecure: false, repository: '127.0.0.1:55018/lib/hello' }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.message).toBe('pinging container registry 127.0.0.1:55018: Get "https://127.0.0.1:55018/v2/": dial tcp 127.0.0.1:55018: connect: connection refused');
    expect(err.errorClass).toBe('refused');
  });

  it('--tls-verify=false makes a secure endpoint insecure; the http error replaces the https one', async () => {
    const { agent, client } = mockSetup({ tlsVerify: false });
    agent.get('https://h.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(503, 'down');
    agent.get('http://h.example.com').intercept({ path: '/v2/', method: 'GET' }).replyWithError(refused(80));
    const err = await client.ping('h.example.com', { insecure: false, repository: 'h.example.com/x' }).catch((e) => e);
    expect(err.message).toBe('pinging container registry h.example.com: Get "http://h.example.com/v2/": dial tcp 127.0.0.1:80: connect: connection refused');
  });

  it('classifies an HTML page answering /v2/ with 404 as not a registry', async () => {
    const { agent, client } = mockSetup();
    agent.get('https://portal.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(404, '<html>login</html>', { headers: { 'content-type': 'text/html' } });
    const err = await client.ping('portal.example.com', { insecure: false, repository: 'portal.example.com/x' }).catch((e) => e);
    expect(err.message).toBe('pinging container registry portal.example.com: invalid status code from registry 404 (Not Found)');
    expect(err.errorClass).toBe('not-a-registry');
  });

  // The ping words any status but 200/401 with httpResponseToError, not the registry error body
  // (skopeo 1.9.3 against a mirror answering 503: `invalid status code from registry 503 (Service Unavailable)`).
  it.each([
    [503, 'invalid status code from registry 503 (Service Unavailable)', 'server-error'],
    [500, 'invalid status code from registry 500 (Internal Server Error)', 'server-error'],
    [404, 'invalid status code from registry 404 (Not Found)', 'not-found'],
  ])('words a %i ping as the runtime does', async (status, text, errorClass) => {
    const { agent, client } = mockSetup();
    agent.get('https://m.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(status, '{"errors":[{"code":"UNAVAILABLE","message":"x"}]}', { headers: API_HEADERS });
    const err = await client.ping('m.example.com', { insecure: false, repository: 'm.example.com/x' }).catch((e) => e);
    expect(err.message).toBe(`pinging container registry m.example.com: ${text}`);
    expect(err.errorClass).toBe(errorClass);
  });

  it('dials registry-1.docker.io for docker.io', async () => {
    const { agent, client } = mockSetup();
    agent.get('https://registry-1.docker.io').intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
    const s = await client.ping('docker.io', { insecure: false, repository: 'docker.io/library/busybox' });
    expect(s.registry).toBe('registry-1.docker.io');
  });
});

describe('getManifest', () => {
  async function session(setup: ReturnType<typeof mockSetup>, host = 'reg.example.com') {
    setup.agent.get(`https://${host}`).intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
    return setup.client.ping(host, { insecure: false, repository: `${host}/lib/hello` });
  }

  it('sends one Accept value per type in the runtime order and returns the digest of the exact bytes', async () => {
    const setup = mockSetup();
    const s = await session(setup);
    const m = imageManifest();
    let accept: unknown;
    setup.agent
      .get('https://reg.example.com')
      .intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' })
      .reply((opts) => {
        accept = (opts.headers as Record<string, unknown>)['accept'];
        return { statusCode: 200, data: m.body, responseOptions: { headers: { 'content-type': MEDIA.ociManifest + '; charset=utf-8', 'docker-content-digest': m.digest } } };
      });
    const r = await setup.client.getManifest(s, 'lib/hello', 'v1');
    expect(accept).toEqual([...MANIFEST_ACCEPT]);
    expect(MANIFEST_ACCEPT[0]).toBe(MEDIA.ociManifest);
    expect(MANIFEST_ACCEPT[5]).toBe(MEDIA.ociIndex);
    expect(r.digest).toBe(m.digest);
    expect(r.mediaType).toBe(MEDIA.ociManifest);
    expect(r.headerDigest).toBe(m.digest);
  });

  it('words a 404 as the runtime (skopeo 1.9.3 style keeps the code words when a detail is present)', async () => {
    const setup = mockSetup();
    const s = await session(setup, '127.0.0.1:55013');
    setup.agent.get('https://127.0.0.1:55013').intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(404, MANIFEST_UNKNOWN, { headers: API_HEADERS });
    const err = await setup.client.getManifest(s, 'lib/hello', 'v1').catch((e) => e);
    expect(err.message).toBe('reading manifest v1 in 127.0.0.1:55013/lib/hello: manifest unknown: manifest unknown');
    expect(err.errorClass).toBe('not-found');
    expect(err.httpStatus).toBe(404);
  });

  it('refuses a body over 4 MiB without buffering the rest', async () => {
    const setup = mockSetup();
    const s = await session(setup);
    const big = Buffer.alloc(MAX_MANIFEST_BYTES + 1024 * 1024, 0x20);
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(200, big, { headers: { 'content-type': MEDIA.ociManifest } });
    const err = await setup.client.getManifest(s, 'lib/hello', 'v1').catch((e) => e);
    expect(err.message).toBe('exceeded maximum allowed size of 4194304 bytes');
    expect(err.errorClass).toBe('too-large');
  });

  it('accepts a body of exactly 4 MiB', async () => {
    const setup = mockSetup();
    const s = await session(setup);
    const body = Buffer.alloc(MAX_MANIFEST_BYTES, 0x20);
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(200, body, { headers: { 'content-type': MEDIA.ociManifest } });
    const r = await setup.client.getManifest(s, 'lib/hello', 'v1');
    expect(r.digest).toBe(sha256Digest(body));
  });

  it('retries 429 as the runtime and reports it in the step detail', async () => {
    const setup = mockSetup();
    const s = await session(setup);
    const m = imageManifest();
    const pool = setup.agent.get('https://reg.example.com');
    pool.intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(429, '{"errors":[{"code":"TOOMANYREQUESTS","message":"too many requests"}]}').times(2);
    pool.intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(200, m.body, { headers: { 'content-type': MEDIA.ociManifest } });
    const steps: AttemptStep[] = [];
    const r = await setup.client.getManifest(s, 'lib/hello', 'v1', { steps });
    expect(r.digest).toBe(m.digest);
    expect(steps.at(-1)!.detail).toMatch(/429 on try 1: retrying .*429 on try 2: retrying/);
  });

  it('gives up on 429 when the next retry would pass the attempt deadline, and says the runtime would continue', async () => {
    const setup = mockSetup({ retry429: { initialDelayMs: 10_000, maxDelayMs: 60_000 } });
    const s = await session(setup);
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(429, '{"errors":[{"code":"TOOMANYREQUESTS","message":"too many requests"}]}');
    const steps: AttemptStep[] = [];
    const err = await setup.client.getManifest(s, 'lib/hello', 'v1', { steps, deadline: Date.now() + 1000 }).catch((e) => e);
    // A bare errcode (default message, no detail) renders as its code words: Go lower-cases TOOMANYREQUESTS.
    expect(err.message).toBe('reading manifest v1 in reg.example.com/lib/hello: toomanyrequests');
    expect(err.errorClass).toBe('rate-limited');
    expect(steps.at(-1)!.detail).toContain('would pass the attempt deadline');
  });
});

describe('headBlob', () => {
  it('reports present and missing blobs, keeping HEAD connections alive', async () => {
    const setup = mockSetup();
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}');
    const s = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    const pool = setup.agent.get('https://reg.example.com');
    let reset: unknown;
    pool.intercept({ path: '/v2/lib/hello/blobs/sha256:' + 'a'.repeat(64), method: 'HEAD' }).reply((o) => {
      reset = (o as unknown as { reset?: boolean }).reset;
      return { statusCode: 200, data: '' };
    });
    pool.intercept({ path: '/v2/lib/hello/blobs/sha256:' + 'b'.repeat(64), method: 'HEAD' }).reply(404, '');
    expect((await setup.client.headBlob(s, 'lib/hello', 'sha256:' + 'a'.repeat(64))).present).toBe(true);
    expect((await setup.client.headBlob(s, 'lib/hello', 'sha256:' + 'b'.repeat(64))).present).toBe(false);
    expect(reset).toBe(false);
  });
});
