/**
 * The registry client against misbehaving servers on real loopback sockets: what Go's net/http (and so the
 * runtime) accepts, pullpath accepts; what Go rejects, pullpath rejects with Go's words.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { RegistryError } from '../../src/registry/registry-error.ts';
import type { AttemptStep } from '../../src/registry/step.ts';
import { CredentialStore } from '../../src/registry/auth-file.ts';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const servers: Server[] = [];
const clients: RegistryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function listen(s: Server): Promise<number> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const s = createHttpServer({ maxHeaderSize: 64 * 1024 * 1024 }, handler);
  return listen(s as unknown as Server);
}

/** A server that answers every request's first bytes with `reply` and closes. */
async function rawServer(reply: Buffer): Promise<number> {
  return listen(createNetServer((sock: Socket) => sock.once('data', () => sock.end(reply))));
}

function client(): RegistryClient {
  const c = createRegistryClient({ hostMap: HostMap.parse([]) });
  clients.push(c);
  return c;
}

describe('big response headers (Go reads up to 10 MiB of headers)', () => {
  it('accepts a 1 MiB WWW-Authenticate header on the ping', async () => {
    const port = await httpServer((_req, res) => {
      res.writeHead(401, { 'docker-distribution-api-version': 'registry/2.0', 'www-authenticate': `Basic realm="${'a'.repeat(1 << 20)}"` }).end('{}');
    });
    const s = await client().ping(`127.0.0.1:${port}`, { insecure: true, repository: `127.0.0.1:${port}/lib/hello` });
    expect(s.scheme).toBe('http');
    expect(s.challenges.map((c) => c.scheme)).toEqual(['basic']);
  });

  it('refuses headers over 10 MiB with Go words', async () => {
    const port = await httpServer((_req, res) => {
      res.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0', 'x-filler': 'a'.repeat(11 << 20) }).end('{}');
    });
    const steps: AttemptStep[] = [];
    const err = (await client()
      .ping(`127.0.0.1:${port}`, { insecure: true, repository: `127.0.0.1:${port}/lib/hello`, steps })
      .catch((e) => e)) as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.message).toBe(`pinging container registry 127.0.0.1:${port}: Get "http://127.0.0.1:${port}/v2/": net/http: HTTP/1.x transport connection broken: net/http: server response headers exceeded 10485760 bytes; aborted`);
    expect(err.errorClass).toBe('too-large');
  });
});

describe('TLS bytes on a plain-HTTP port', () => {
  it('words it as Go does: malformed HTTP response with the first line quoted', async () => {
    // A TLS alert record (handshake failure), as a TLS-only listener sends to a plain-text client.
    const port = await rawServer(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28]));
    const steps: AttemptStep[] = [];
    const err = (await client()
      .ping(`127.0.0.1:${port}`, { insecure: true, repository: `127.0.0.1:${port}/lib/hello`, steps })
      .catch((e) => e)) as RegistryError;
    expect(err.message).toBe(`pinging container registry 127.0.0.1:${port}: Get "http://127.0.0.1:${port}/v2/": net/http: HTTP/1.x transport connection broken: malformed HTTP response "\\x15\\x03\\x01\\x00\\x02\\x02("`);
    expect(err.errorClass).toBe('not-a-registry');
    expect(steps[steps.length - 1]!.detail).toContain('TLS');
  });

  it('quotes only the first line, without its line end, as Go reads it', async () => {
    const port = await rawServer(Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian\r\nmore\r\n'));
    const err = (await client()
      .ping(`127.0.0.1:${port}`, { insecure: true, repository: `127.0.0.1:${port}/x` })
      .catch((e) => e)) as RegistryError;
    // "SSH-2.0-OpenSSH_9.2p1 Debian" has a space, so Go fails on the version, not the line
    expect(err.message).toBe(`pinging container registry 127.0.0.1:${port}: Get "http://127.0.0.1:${port}/v2/": net/http: HTTP/1.x transport connection broken: malformed HTTP status code "Debian"`);
    expect(err.errorClass).toBe('not-a-registry');
  });
});

describe('redirects, followed as Go does', () => {
  const API = { 'docker-distribution-api-version': 'registry/2.0' };
  const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] });
  const seen: { port: number; method: string; url: string; auth: string | undefined }[] = [];
  afterEach(() => void seen.splice(0));

  /** A registry at `reg.example.com:5000` whose manifest GET redirects as `redirect` says; a CDN elsewhere. */
  async function world(redirect: (req: IncomingMessage, cdnPort: number, regPort: number) => { status: number; location: string } | null) {
    let regPort = 0;
    const cdnPort = await httpServer((req, res) => {
      seen.push({ port: cdnPort, method: req.method!, url: req.url!, auth: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(MANIFEST.length) }).end(req.method === 'HEAD' ? undefined : MANIFEST);
    });
    regPort = await httpServer((req, res) => {
      seen.push({ port: regPort, method: req.method!, url: req.url!, auth: req.headers.authorization });
      if (req.url === '/v2/') {
        if (!req.headers.authorization) return void res.writeHead(401, { ...API, 'www-authenticate': 'Basic realm="r"' }).end('{}');
        return void res.writeHead(200, API).end('{}');
      }
      const r = redirect(req, cdnPort, regPort);
      if (r) return void res.writeHead(r.status, { location: r.location }).end();
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(req.method === 'HEAD' ? undefined : MANIFEST);
    });
    const dir = await mkdtemp(join(tmpdir(), 'pp-redir-'));
    const authFile = join(dir, 'auth.json');
    await writeFile(authFile, JSON.stringify({ auths: { 'reg.example.com:5000': { auth: Buffer.from('alice:s3cret').toString('base64') } } }));
    const c = createRegistryClient({
      hostMap: HostMap.parse([`reg.example.com:5000:127.0.0.1:${regPort}`, `sub.reg.example.com:5000:127.0.0.1:${regPort}`, `cdn.example.com:127.0.0.1:${cdnPort}`]),
      credentials: await CredentialStore.load({ authFile }),
    });
    clients.push(c);
    const session = await c.ping('reg.example.com:5000', { insecure: true, repository: 'reg.example.com:5000/lib/hello' });
    seen.splice(0);
    return { c, session, cdnPort, regPort };
  }

  it('follows a 307 to another host (through the host map) and does not forward Authorization there', async () => {
    const { c, session, cdnPort } = await world((req) => (req.url!.includes('/manifests/') ? { status: 307, location: 'http://cdn.example.com/m/v1' } : null));
    const steps: AttemptStep[] = [];
    const m = await c.getManifest(session, 'lib/hello', 'v1', { steps });
    expect(m.body.toString()).toBe(MANIFEST);
    expect(seen.map((s) => [s.port === cdnPort ? 'cdn' : 'reg', s.method, s.url, s.auth !== undefined])).toEqual([
      ['reg', 'GET', '/v2/lib/hello/manifests/v1', true],
      ['cdn', 'GET', '/m/v1', false],
    ]);
    expect(steps.at(-1)!.detail).toContain('redirected (307) to http://cdn.example.com/m/v1, credentials not forwarded (another host)');
  });

  it('keeps Authorization on a redirect to the same host:port or a subdomain of it', async () => {
    const { c, session } = await world((req) =>
      req.url === '/v2/lib/hello/manifests/v1' ? { status: 302, location: 'http://sub.reg.example.com:5000/v2/lib/hello/manifests/v1-real' } : null,
    );
    await c.getManifest(session, 'lib/hello', 'v1');
    expect(seen.map((s) => [s.url, s.auth !== undefined])).toEqual([
      ['/v2/lib/hello/manifests/v1', true],
      ['/v2/lib/hello/manifests/v1-real', true],
    ]);
  });

  it('drops Authorization on a redirect to the same host name on another port (Go 1.19 compares host:port)', async () => {
    const { c, session, cdnPort } = await world((req) => (req.url!.includes('/manifests/') ? { status: 302, location: `http://127.0.0.1:${cdnPort}/m` } : null));
    await c.getManifest(session, 'lib/hello', 'v1');
    expect(seen.map((s) => s.auth !== undefined)).toEqual([true, false]);
  });

  it('follows 9 redirects, and stops at the 10th with Go words naming the Location not followed', async () => {
    const hop = (n: number) => `/v2/lib/hello/manifests/hop${n}`;
    const nine = await world((req) => {
      const n = Number(/hop(\d+)$/.exec(req.url!)?.[1] ?? 0);
      return n < 9 ? { status: 302, location: hop(n + 1) } : null;
    });
    await nine.c.getManifest(nine.session, 'lib/hello', 'hop0');
    expect(seen).toHaveLength(10);
    seen.splice(0);
    const loop = await world((req) => {
      const n = Number(/hop(\d+)$/.exec(req.url!)?.[1] ?? 0);
      return { status: 302, location: hop(n + 1) };
    });
    const err = (await loop.c.getManifest(loop.session, 'lib/hello', 'hop0').catch((e) => e)) as RegistryError;
    expect(err.message).toBe('Get "/v2/lib/hello/manifests/hop10": stopped after 10 redirects');
    expect(err.errorClass).toBe('http-error');
    expect(seen).toHaveLength(10);
  });

  it('keeps HEAD on a 301 and follows blob checks (HEAD and the 1-byte ranged GET) to a CDN', async () => {
    const { c, session } = await world((req) => (req.url!.includes('/blobs/') ? { status: 301, location: 'http://cdn.example.com/blob' } : null));
    const digest = 'sha256:' + 'a'.repeat(64);
    expect((await c.headBlob(session, 'lib/hello', digest)).present).toBe(true);
    expect((await c.getBlobRange(session, 'lib/hello', digest)).present).toBe(true);
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['HEAD', `/v2/lib/hello/blobs/${digest}`],
      ['HEAD', '/blob'],
      ['GET', `/v2/lib/hello/blobs/${digest}`],
      ['GET', '/blob'],
    ]);
  });

  it('words a network failure on a later hop with that hop URL', async () => {
    const { c, session } = await world((req) => (req.url!.includes('/manifests/') ? { status: 307, location: 'http://127.0.0.1:1/m' } : null));
    const err = (await c.getManifest(session, 'lib/hello', 'v1').catch((e) => e)) as RegistryError;
    expect(err.message).toBe('Get "http://127.0.0.1:1/m": dial tcp 127.0.0.1:1: connect: connection refused');
    expect(err.errorClass).toBe('refused');
  });
});
