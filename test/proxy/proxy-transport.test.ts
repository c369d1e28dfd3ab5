/**
 * The transport through a proxy, against small proxies written here (no squid needed): what goes on the wire
 * (CONNECT line and headers, absolute-form requests, the SOCKS5 exchange), Go's wording of each failure, the
 * host map applied to the proxy host only, and a deadline that ends a CONNECT the proxy never answers.
 * The squid + skopeo comparison is test/integration/proxy-squid.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createMockCa, createServerCert } from '../../src/mock/tls.ts';
import { createDispatcherFactory, type DispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { exchange, type HttpRequest } from '../../src/registry/transport.ts';
import { goNetworkError } from '../../src/registry/network-error.ts';
import { proxyConfigFromEnv, type ProxyEnv } from '../../src/proxy/proxy-for-url.ts';
import { freePort } from '../helpers/docker-registry.ts';

const listen = (srv: Server | ReturnType<typeof createNetServer>) => new Promise<number>((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as { port: number }).port)));

let httpsPort: number;
let httpPort: number;
let ca: string;
let proxyCert: { cert: string; key: string };
const sni: string[] = [];
const httpsSrv = createHttpsServer({}, (req, res) => {
  sni.push((req.socket as TLSSocket).servername as string);
  res.setHeader('docker-distribution-api-version', 'registry/2.0');
  res.end('{}');
});
const plainSrv = createHttpServer((req, res) => res.end(`plain ${req.url}`));

/** An HTTP proxy: CONNECT (200 or 407) to the https server whatever the name, absolute-form GET to the plain one. */
interface Seen {
  connects: { line: string; headers: IncomingMessage['headers'] }[];
  gets: { url: string; headers: IncomingMessage['headers'] }[];
  closed: number;
}
function httpProxy(mode: 'open' | '407' | 'silent', tlsServer?: { cert: string; key: string }) {
  const seen: Seen = { connects: [], gets: [], closed: 0 };
  const handler = (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    seen.gets.push({ url: req.url!, headers: req.headers });
    if (mode === '407') {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="t"', 'content-type': 'text/html' }).end('<html>auth</html>');
      return;
    }
    const u = new URL(req.url!);
    const up = httpRequest({ host: '127.0.0.1', port: httpPort, path: u.pathname, headers: { host: u.host } }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    up.end();
  };
  const srv: Server = tlsServer ? createHttpsServer({ cert: tlsServer.cert, key: tlsServer.key }, handler) : createHttpServer(handler);
  srv.on('connect', (req: IncomingMessage, sock: Socket) => {
    seen.connects.push({ line: `${req.method} ${req.url} HTTP/${req.httpVersion}`, headers: req.headers });
    // The http server keeps sockets half-open: the client's close shows as 'end'.
    sock.once('end', () => {
      seen.closed++;
      sock.destroy();
    });
    if (mode === 'silent') {
      sock.resume(); // read (and drop) whatever comes, so the client's close is seen
      return;
    }
    if (mode === '407') {
      sock.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="t"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const up = connect(httpsPort, '127.0.0.1', () => {
      sock.write('HTTP/1.1 200 Connection established\r\n\r\n');
      up.pipe(sock);
      sock.pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  return { srv, seen };
}

/** A SOCKS5 server: username/password or no auth; CONNECT to any name goes to the plain server (or replies `reply`). */
function socksProxy(reply = 0) {
  const seen = { methods: [] as number[][], user: '', pass: '', target: '' };
  const srv = createNetServer((s) => {
    let buf = Buffer.alloc(0);
    let stage = 0;
    s.on('error', () => {});
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (stage === 0 && buf.length >= 2 && buf.length >= 2 + buf[1]!) {
        seen.methods.push([...buf.subarray(2, 2 + buf[1]!)]);
        const useAuth = seen.methods.at(-1)!.includes(2);
        buf = buf.subarray(2 + buf[1]!);
        s.write(Buffer.from([5, useAuth ? 2 : 0]));
        stage = useAuth ? 1 : 2;
      }
      if (stage === 1 && buf.length >= 2) {
        const ul = buf[1]!;
        if (buf.length < 3 + ul) return;
        const pl = buf[2 + ul]!;
        if (buf.length < 3 + ul + pl) return;
        seen.user = buf.subarray(2, 2 + ul).toString();
        seen.pass = buf.subarray(3 + ul, 3 + ul + pl).toString();
        buf = buf.subarray(3 + ul + pl);
        s.write(Buffer.from([1, 0]));
        stage = 2;
      }
      if (stage === 2 && buf.length >= 5 && buf[3] === 3 && buf.length >= 7 + buf[4]!) {
        const n = buf[4]!;
        seen.target = `${buf.subarray(5, 5 + n).toString()}:${buf.readUInt16BE(5 + n)}`;
        buf = buf.subarray(7 + n);
        stage = 3;
        if (reply !== 0) {
          s.end(Buffer.from([5, reply, 0, 1, 0, 0, 0, 0, 0, 0]));
          return;
        }
        // Port 443 asked for: the https server (TLS inside the tunnel); anything else: the plain one.
        const up = connect(seen.target.endsWith(':443') ? httpsPort : httpPort, '127.0.0.1', () => {
          s.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 80]));
          if (buf.length) up.write(buf);
          s.removeAllListeners('data');
          s.pipe(up);
          up.pipe(s);
        });
        up.on('error', () => s.destroy());
      }
    });
  });
  return { srv, seen };
}

beforeAll(async () => {
  const authority = await createMockCa();
  ca = authority.certPem;
  const cert = await createServerCert(authority, ['registry.test']);
  const pc = await createServerCert(authority, ['proxy.test']);
  proxyCert = { cert: pc.certPem, key: pc.keyPem };
  httpsSrv.setSecureContext({ cert: cert.certPem, key: cert.keyPem });
  [httpsPort, httpPort] = await Promise.all([listen(httpsSrv), listen(plainSrv)]);
});
afterAll(async () => {
  httpsSrv.close();
  plainSrv.close();
});

async function withFactory<T>(env: ProxyEnv, hostMap: HostMap, fn: (f: DispatcherFactory) => Promise<T>): Promise<T> {
  const f = createDispatcherFactory({ proxy: proxyConfigFromEnv(env), hostMap, connectTimeoutMs: 5000 });
  try {
    return await fn(f);
  } finally {
    await f.close();
  }
}

const tls = () => ({ ca: [ca], files: ['test-ca'], cert: null, key: null }) as unknown as HttpRequest['tls'];
const get = (f: DispatcherFactory, url: string, extra: Partial<HttpRequest> = {}) => exchange(f, { method: 'GET', url, insecure: false, tls: tls(), ...extra });
const goText = async (p: Promise<unknown>, url: string, signal?: AbortSignal) => {
  try {
    await p;
    return 'no error';
  } catch (e) {
    const g = goNetworkError(e, { method: 'GET', url, ...(signal ? { signal } : {}) });
    return `${g.errorClass}: ${g.message}`;
  }
};

describe('https registry through an HTTP proxy (CONNECT)', () => {
  it('sends Go\'s CONNECT (target host:port, Host, User-Agent, Proxy-Authorization) and TLS to the registry name inside; the host map applies to the proxy only', async () => {
    const { srv, seen } = httpProxy('open');
    const port = await listen(srv);
    // registry.test is mapped to a dead address: if the host map were applied to it, the pull would fail.
    const hostMap = HostMap.parse([`proxy.test:3128:127.0.0.1:${port}`, 'registry.test:127.0.0.1:1']);
    const res = await withFactory({ HTTPS_PROXY: 'http://u%40x:p%3Aw@proxy.test:3128' }, hostMap, (f) => get(f, 'https://registry.test/v2/'));
    srv.close();
    expect(res.status).toBe(200);
    expect(seen.connects).toHaveLength(1);
    expect(seen.connects[0]!.line).toBe('CONNECT registry.test:443 HTTP/1.1');
    expect(seen.connects[0]!.headers).toMatchObject({
      host: 'registry.test:443',
      'user-agent': 'Go-http-client/1.1',
      'proxy-authorization': 'Basic ' + Buffer.from('u@x:p:w').toString('base64'),
    });
    expect(sni.at(-1)).toBe('registry.test');
  });

  it('an https:// proxy: TLS to the proxy (its name checked against the same CAs), then CONNECT inside', async () => {
    const { srv, seen } = httpProxy('open', proxyCert);
    const port = await listen(srv);
    const hostMap = HostMap.parse([`proxy.test:8443:127.0.0.1:${port}`]);
    const res = await withFactory({ HTTPS_PROXY: 'https://proxy.test:8443' }, hostMap, (f) => get(f, 'https://registry.test:5000/v2/'));
    srv.close();
    expect(res.status).toBe(200);
    expect(seen.connects.map((c) => c.line)).toEqual(['CONNECT registry.test:5000 HTTP/1.1']);
  });

  it('an https:// proxy whose certificate is not trusted: proxyconnect tcp: x509 …', async () => {
    const { srv } = httpProxy('open', proxyCert);
    const port = await listen(srv);
    const hostMap = HostMap.parse([`proxy.test:8443:127.0.0.1:${port}`]);
    const text = await withFactory({ HTTPS_PROXY: 'https://proxy.test:8443' }, hostMap, (f) => goText(exchange(f, { method: 'GET', url: 'https://registry.test/v2/', insecure: false }), 'https://registry.test/v2/'));
    srv.close();
    expect(text).toBe('proxy: Get "https://registry.test/v2/": proxyconnect tcp: x509: certificate signed by unknown authority');
  });

  it('407 from the proxy: Go\'s text is the status text alone, class proxy', async () => {
    const { srv } = httpProxy('407');
    const port = await listen(srv);
    const text = await withFactory({ HTTPS_PROXY: `http://127.0.0.1:${port}` }, new HostMap(), (f) => goText(get(f, 'https://registry.test:5000/v2/'), 'https://registry.test:5000/v2/'));
    srv.close();
    expect(text).toBe('proxy: Get "https://registry.test:5000/v2/": Proxy Authentication Required');
  });

  it('a refused CONNECT carries a hint saying whose side it is on (Go prints only the status text)', async () => {
    const { srv } = httpProxy('407');
    const port = await listen(srv);
    const err = await withFactory({ HTTPS_PROXY: `http://127.0.0.1:${port}` }, new HostMap(), (f) => get(f, 'https://registry.test/v2/').then(() => null, (e: unknown) => e));
    srv.close();
    expect(goNetworkError(err, { method: 'GET', url: 'https://registry.test/v2/' }).hint).toMatch(/^the proxy wants credentials/);
  });

  it('a refused proxy: proxyconnect tcp: dial tcp …: connection refused', async () => {
    const port = await freePort();
    const text = await withFactory({ HTTPS_PROXY: `127.0.0.1:${port}` }, new HostMap(), (f) => goText(get(f, 'https://registry.test/v2/'), 'https://registry.test/v2/'));
    expect(text).toBe(`proxy: Get "https://registry.test/v2/": proxyconnect tcp: dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  it('a proxy that never answers CONNECT: the deadline ends the request and the proxy connection', async () => {
    const { srv, seen } = httpProxy('silent');
    const port = await listen(srv);
    const started = performance.now();
    const text = await withFactory({ HTTPS_PROXY: `http://127.0.0.1:${port}` }, new HostMap(), async (f) => {
      const signal = AbortSignal.timeout(300);
      const t = await goText(get(f, 'https://registry.test/v2/', { signal }), 'https://registry.test/v2/', signal);
      // The pool destroyed the pending dial at the abort: the proxy sees its connection close without waiting for f.close().
      for (let i = 0; i < 100 && seen.closed === 0; i++) await new Promise((r) => setTimeout(r, 20));
      return t;
    });
    srv.close();
    expect(text).toBe('timeout: Get "https://registry.test/v2/": context deadline exceeded');
    expect(seen.closed).toBe(1);
    expect(performance.now() - started).toBeLessThan(300 + 3000);
  });

  it('loopback and NO_PROXY hosts are dialled directly', async () => {
    const { srv, seen } = httpProxy('open');
    const port = await listen(srv);
    const hostMap = HostMap.parse([`registry.test:127.0.0.1:${httpsPort}`]);
    const res = await withFactory({ HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '.test' }, hostMap, (f) => get(f, 'https://sub.registry.test/v2/').catch((e) => e));
    srv.close();
    expect(seen.connects).toHaveLength(0);
    expect(res).toBeDefined();
  });
});

describe('plain-HTTP registry through an HTTP proxy', () => {
  it('absolute-form request line with Proxy-Authorization on the request', async () => {
    const { srv, seen } = httpProxy('open');
    const port = await listen(srv);
    const res = await withFactory({ HTTP_PROXY: `http://user:pw@127.0.0.1:${port}` }, new HostMap(), (f) => exchange(f, { method: 'GET', url: 'http://plain.test:5000/v2/', insecure: true }));
    srv.close();
    expect(res.body.toString()).toBe('plain /v2/');
    expect(seen.gets.map((g) => [g.url, g.headers.host, g.headers['proxy-authorization']])).toEqual([['http://plain.test:5000/v2/', 'plain.test:5000', 'Basic ' + Buffer.from('user:pw').toString('base64')]]);
  });

  it('REQUEST_METHOD set (CGI): Go refuses HTTP_PROXY; nothing is sent', async () => {
    const { srv, seen } = httpProxy('open');
    const port = await listen(srv);
    const text = await withFactory({ HTTP_PROXY: `http://127.0.0.1:${port}`, REQUEST_METHOD: 'GET' }, new HostMap(), (f) => goText(exchange(f, { method: 'GET', url: 'http://plain.test/v2/', insecure: true }), 'http://plain.test/v2/'));
    srv.close();
    expect(text).toBe('proxy: Get "http://plain.test/v2/": refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy');
    expect(seen.gets).toHaveLength(0);
  });
});

describe('socks5:// proxies', () => {
  it('username/password auth, the registry name sent to the proxy, plain HTTP inside', async () => {
    const { srv, seen } = socksProxy();
    const port = await listen(srv);
    const res = await withFactory({ HTTP_PROXY: `socks5://sockuser:sockpw@127.0.0.1:${port}` }, new HostMap(), (f) => exchange(f, { method: 'GET', url: 'http://plain.test:5000/v2/', insecure: true }));
    srv.close();
    expect(res.body.toString()).toBe('plain /v2/');
    expect(seen).toMatchObject({ methods: [[0, 2]], user: 'sockuser', pass: 'sockpw', target: 'plain.test:5000' });
  });

  it('an https registry through SOCKS5: no auth offered without a user, TLS to the registry name inside', async () => {
    const { srv, seen } = socksProxy();
    const port = await listen(srv);
    const res = await withFactory({ HTTPS_PROXY: `socks5://127.0.0.1:${port}` }, new HostMap(), (f) => get(f, 'https://registry.test/v2/'));
    srv.close();
    expect(res.status).toBe(200);
    expect(seen).toMatchObject({ methods: [[0]], target: 'registry.test:443' });
    expect(sni.at(-1)).toBe('registry.test');
  });

  it('a SOCKS refusal in Go\'s words', async () => {
    const { srv } = socksProxy(5);
    const port = await listen(srv);
    const text = await withFactory({ HTTP_PROXY: `socks5://127.0.0.1:${port}` }, new HostMap(), (f) => goText(exchange(f, { method: 'GET', url: 'http://plain.test/v2/', insecure: true }), 'http://plain.test/v2/'));
    srv.close();
    expect(text).toBe(`proxy: Get "http://plain.test/v2/": socks connect tcp 127.0.0.1:${port}->plain.test:80: unknown error connection refused`);
  });
});
