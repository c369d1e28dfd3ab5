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

export async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
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
    expect(err.message).toBe(`pinging container registry 127.0.0.1:${port}: Get "http://127.0.0.1:${port}/v2/": net/http: server response headers exceeded 10485760 bytes; aborted`);
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
    expect(err.message).toBe(`pinging container registry 127.0.0.1:${port}: Get "http://127.0.0.1:${port}/v2/": malformed HTTP response "\\x15\\x03\\x01\\x00\\x02\\x02("`);
    expect(err.errorClass).toBe('not-a-registry');
    expect(steps[steps.length - 1]!.detail).toContain('TLS');
  });

  it('quotes only the first line, without its line end, as Go reads it', async () => {
    const port = await rawServer(Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian\r\nmore\r\n'));
    const err = (await client()
      .ping(`127.0.0.1:${port}`, { insecure: true, repository: `127.0.0.1:${port}/x` })
      .catch((e) => e)) as RegistryError;
    // "SSH-2.0-OpenSSH_9.2p1 Debian" has a space, so Go fails on the version, not the line
    expect(err.message).toBe(`pinging container registry 127.0.0.1:${port}: Get "http://127.0.0.1:${port}/v2/": malformed HTTP status code "Debian"`);
    expect(err.errorClass).toBe('not-a-registry');
  });
});
