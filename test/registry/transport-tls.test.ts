/**
 * The dispatcher factory on real loopback sockets: --connect-to keeps SNI and Host as the configured name,
 * certs.d CAs are trusted for that name, and client certificates are sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:https';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { createMockCa, createServerCert } from '../../src/mock/tls.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { findCertDir, loadTlsMaterial } from '../../src/registry/certs-d.ts';

let server: Server;
let port: number;
let dir: string;
const seen: { servername?: string | false | null; host?: string; clientCert?: boolean }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pp-tls-'));
  const ca = await createMockCa();
  const cert = await createServerCert(ca, ['only.example.com']); // not valid for 127.0.0.1
  server = createServer({ cert: cert.certPem, key: cert.keyPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const sock = req.socket as TLSSocket;
    seen.push({ servername: sock.servername, host: req.headers.host, clientCert: Boolean(sock.getPeerCertificate()?.subject) });
    res.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  await mkdir(join(dir, 'certs.d', 'only.example.com'), { recursive: true });
  await writeFile(join(dir, 'certs.d', 'only.example.com', 'ca.crt'), ca.certPem);
  const client = await createServerCert(ca, ['client.example.com']);
  await mkdir(join(dir, 'with-client', 'only.example.com'), { recursive: true });
  await writeFile(join(dir, 'with-client', 'only.example.com', 'ca.crt'), ca.certPem);
  await writeFile(join(dir, 'with-client', 'only.example.com', 'me.cert'), client.certPem);
  await writeFile(join(dir, 'with-client', 'only.example.com', 'me.key'), client.keyPem);
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

describe('--connect-to over TLS', () => {
  it('dials the mapped address while SNI and Host stay the configured name, verified by the certs.d CA', async () => {
    const dispatchers = createDispatcherFactory({ hostMap: HostMap.parse([`only.example.com:443:127.0.0.1:${port}`]) });
    const client = createRegistryClient({ dispatchers, certs: { roots: [join(dir, 'certs.d')] } });
    const s = await client.ping('only.example.com', { insecure: false, repository: 'only.example.com/x' });
    await dispatchers.close();
    expect(s.scheme).toBe('https');
    expect(seen.at(-1)).toMatchObject({ servername: 'only.example.com', host: 'only.example.com', clientCert: false });
  });

  it('fails verification without the CA, in the runtime words', async () => {
    const dispatchers = createDispatcherFactory({ hostMap: HostMap.parse([`only.example.com:127.0.0.1:${port}`]) });
    const client = createRegistryClient({ dispatchers, certs: { roots: [join(dir, 'nowhere')] } });
    const err = await client.ping('only.example.com', { insecure: false, repository: 'only.example.com/x' }).catch((e) => e);
    await dispatchers.close();
    expect(err.message).toBe('pinging container registry only.example.com: Get "https://only.example.com/v2/": x509: certificate signed by unknown authority');
  });

  it('re-reads certs.d after certsCacheMs: a CA added between two pings is used once the reading is stale', async () => {
    const roots = [join(dir, 'late-ca')];
    const dispatchers = createDispatcherFactory({ hostMap: HostMap.parse([`only.example.com:127.0.0.1:${port}`]) });
    const ping = (c: ReturnType<typeof createRegistryClient>) => c.ping('only.example.com', { insecure: false, repository: 'only.example.com/x' }).then(() => 'ok', (e: Error) => e.message);
    const cached = createRegistryClient({ dispatchers, certs: { roots }, certsCacheMs: 60_000 });
    const everyPing = createRegistryClient({ dispatchers, certs: { roots }, certsCacheMs: 0 });
    const short = createRegistryClient({ dispatchers, certs: { roots }, certsCacheMs: 50 });
    expect(await ping(cached)).toMatch(/unknown authority/);
    expect(await ping(short)).toMatch(/unknown authority/);
    expect(await ping(everyPing)).toMatch(/unknown authority/);
    await mkdir(join(dir, 'late-ca', 'only.example.com'), { recursive: true });
    await writeFile(join(dir, 'late-ca', 'only.example.com', 'ca.crt'), await import('node:fs/promises').then((f) => f.readFile(join(dir, 'certs.d', 'only.example.com', 'ca.crt'), 'utf8')));
    expect(await ping(everyPing)).toBe('ok'); // read at every ping, as the runtime does
    expect(await ping(cached)).toMatch(/unknown authority/); // still the reading from before the CA existed
    await new Promise((r) => setTimeout(r, 80));
    expect(await ping(short)).toBe('ok');
    await dispatchers.close();
  });

  it('sends the client certificate pair from certs.d', async () => {
    const dispatchers = createDispatcherFactory({ hostMap: HostMap.parse([`only.example.com:127.0.0.1:${port}`]) });
    const client = createRegistryClient({ dispatchers, certs: { roots: [join(dir, 'with-client')] } });
    await client.ping('only.example.com', { insecure: false, repository: 'only.example.com/x' });
    await dispatchers.close();
    expect(seen.at(-1)).toMatchObject({ clientCert: true });
  });
});

describe('certs.d', () => {
  it('uses the first existing directory among the roots, else the last candidate', async () => {
    expect(await findCertDir('only.example.com', { roots: [join(dir, 'nowhere'), join(dir, 'certs.d'), join(dir, 'with-client')] })).toBe(join(dir, 'certs.d', 'only.example.com'));
    expect(await findCertDir('other:5000', { roots: [join(dir, 'a'), join(dir, 'b')] })).toBe(join(dir, 'b', 'other:5000'));
    expect(await findCertDir('x', { certDir: '/verbatim' })).toBe('/verbatim');
  });

  it('refuses a client certificate without its key, with the runtime message', async () => {
    const d = join(dir, 'broken');
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'client.cert'), 'x');
    await expect(loadTlsMaterial(d)).rejects.toThrow('missing key client.key for client certificate client.cert. Note that CA certificates should use the extension .crt');
  });

  it('treats a missing directory as no material', async () => {
    expect(await loadTlsMaterial(join(dir, 'nope'))).toMatchObject({ ca: [], files: [] });
  });
});
