/**
 * The production dispatcher factory dials https as Go's transport does: TCP first, then TLS on the connected
 * socket. A refused endpoint therefore never builds a TLS socket (insecure mirrors are pinged https-first at every
 * attempt), while a reachable one gets the same handshake as before.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import tls from 'node:tls';
import { createServer, type AddressInfo } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { createMockCa, createServerCert } from '../../src/mock/tls.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { exchange } from '../../src/registry/transport.ts';
import { HostMap } from '../../src/registry/host-map.ts';

afterEach(() => vi.restoreAllMocks());

async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('https dials', () => {
  it('a refused https endpoint fails with the connect error and never starts TLS', async () => {
    const connect = vi.spyOn(tls, 'connect');
    const port = await refusedPort();
    const dispatchers = createDispatcherFactory();
    const err = await exchange(dispatchers, { method: 'GET', url: `https://127.0.0.1:${port}/v2/`, insecure: true }).catch((e) => e);
    await dispatchers.close();
    expect(err).toMatchObject({ code: 'ECONNREFUSED', port });
    expect(connect).not.toHaveBeenCalled();
  });

  it('a reachable https endpoint gets TLS on the connected socket, SNI the configured name, through the host map', async () => {
    const connect = vi.spyOn(tls, 'connect');
    const ca = await createMockCa();
    const cert = await createServerCert(ca, ['reg.example.com']);
    let sni: string | false | null | undefined;
    const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      sni = (req.socket as tls.TLSSocket).servername;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const dispatchers = createDispatcherFactory({ hostMap: HostMap.parse([`reg.example.com:127.0.0.1:${port}`]) });
    const res = await exchange(dispatchers, { method: 'GET', url: 'https://reg.example.com/v2/', insecure: true });
    await dispatchers.close();
    await new Promise((r) => server.close(r));
    expect(res.status).toBe(200);
    expect(sni).toBe('reg.example.com');
    expect(connect).toHaveBeenCalledTimes(1);
    expect(connect.mock.calls[0]![0]).toMatchObject({ servername: 'reg.example.com' });
    expect((connect.mock.calls[0]![0] as tls.ConnectionOptions).socket).toBeDefined();
  });
});
