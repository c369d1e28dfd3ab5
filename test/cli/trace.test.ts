/** --log-level debug: skopeo's debug lines from AttemptEvents, and the HTTP trace from undici's diagnostics channels. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'undici';
import { attemptLines, createAttemptLogger } from '../../cli/trace/attempt-log.ts';
import { startHttpTrace } from '../../cli/trace/http-trace.ts';
import { parseLogLevel } from '../../cli/trace/log-level.ts';
import { goQuote } from '../../src/go-quote.ts';
import { Redactor } from '../../src/registry/redact.ts';
import type { PullEvent } from '../../src/events/pull-events.ts';

describe('skopeo-style attempt lines', () => {
  it('words each attempt as containers/image logs it at debug level', () => {
    const out: string[] = [];
    const log = createAttemptLogger((s) => out.push(s));
    const base = { image: 'i', at: 0, location: '127.0.0.1:55013/lib', mirror: true, insecure: true };
    const events: PullEvent[] = [
      { type: 'attempt-start', index: 0, reference: '127.0.0.1:55013/lib/hello:v1', ...base },
      { type: 'attempt', index: 0, reference: '127.0.0.1:55013/lib/hello:v1', outcome: 'failed', error: 'reading manifest v1 in 127.0.0.1:55013/lib/hello: manifest unknown: manifest unknown', errorClass: 'not-found', httpStatus: 404, durationMs: 3, steps: [], ...base },
      { type: 'attempt-start', index: 1, reference: '127.0.0.1:55012/mirror/lib/hello:v1', ...base },
      { type: 'attempt', index: 1, reference: '127.0.0.1:55012/mirror/lib/hello:v1', outcome: 'ok', error: null, errorClass: null, httpStatus: 200, durationMs: 3, steps: [], ...base },
    ];
    events.forEach(log);
    // research/skopeo-e2e-findings.md §1, skopeo 1.9.3 --debug, byte for byte.
    expect(out.join('')).toBe(
      'level=debug msg="Trying to access \\"127.0.0.1:55013/lib/hello:v1\\""\n' +
        'level=debug msg="Accessing \\"127.0.0.1:55013/lib/hello:v1\\" failed: reading manifest v1 in 127.0.0.1:55013/lib/hello: manifest unknown: manifest unknown"\n' +
        'level=debug msg="Trying to access \\"127.0.0.1:55012/mirror/lib/hello:v1\\""\n',
    );
  });

  it('logs Trying before a blocked source fails, as the runtime does, and skips never-tried sources', () => {
    const text = attemptLines([
      { reference: 'm.example.com/a:1', outcome: 'skipped', error: 'digest-only mirror skipped for a tag reference' },
      { reference: '127.0.0.1:55011/lib/hello:v1', outcome: 'blocked', error: 'registry 127.0.0.1:55011 is blocked in confs/05-blocked.conf or $HOME/.config/containers/registries.conf.d' },
    ]);
    expect(text).toBe(
      'level=debug msg="Trying to access \\"127.0.0.1:55011/lib/hello:v1\\""\n' +
        'level=debug msg="Accessing \\"127.0.0.1:55011/lib/hello:v1\\" failed: registry 127.0.0.1:55011 is blocked in confs/05-blocked.conf or $HOME/.config/containers/registries.conf.d"\n',
    );
  });

  it('quotes as Go does', () => {
    expect(goQuote('a "b"\n\\c\x15')).toBe('"a \\"b\\"\\n\\\\c\\x15"');
  });
});

describe('--log-level', () => {
  it('accepts skopeo\'s levels and --debug', () => {
    expect(parseLogLevel({})).toBe('warn');
    expect(parseLogLevel({ 'log-level': 'DEBUG' })).toBe('debug');
    expect(parseLogLevel({ 'log-level': 'error', debug: true })).toBe('debug');
    expect(() => parseLogLevel({ 'log-level': 'verbose' })).toThrow(/expected one of error, warn, info, debug, got "verbose"/);
  });
});

describe('HTTP trace', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/token')) {
        res.setHeader('set-cookie', 'session=cookie-secret');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ token: 'body-token-secret' }));
        return;
      }
      res.statusCode = 307;
      res.setHeader('location', 'https://cdn.example.com/blob?X-Amz-Signature=sig-secret&x=1');
      res.setHeader('docker-content-digest', 'sha256:' + 'a'.repeat(64));
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('shows method, URL, status, headers that matter and timings, and no credential', async () => {
    const out: string[] = [];
    const redactor = new Redactor();
    redactor.add('pass-secret');
    const stop = startHttpTrace({ write: (s) => out.push(s), redactor });
    const client = new Client(origin);
    try {
      const t = await client.request({ method: 'GET', path: '/token?service=r&token=query-secret', headers: { authorization: `Basic ${Buffer.from('u:pass-secret').toString('base64')}` } });
      await t.body.text();
      const b = await client.request({ method: 'GET', path: '/v2/org/app/blobs/sha256:abc', headers: { authorization: 'Bearer bearer-secret', accept: '*/*' } });
      await b.body.text();
    } finally {
      stop();
    }
    const after = await client.request({ method: 'GET', path: '/v2/' });
    await after.body.text();
    await client.close();

    const text = out.join('');
    expect(out.every((l) => l.startsWith('level=debug msg="HTTP '))).toBe(true);
    expect(text).toMatch(new RegExp(`HTTP GET ${origin}/token\\?service=r&token=REDACTED sent after [\\d.]+ ms \\(authorization: Basic <redacted>\\)`));
    expect(text).toMatch(new RegExp(`HTTP GET ${origin}/token\\?service=r&token=REDACTED -> 200 OK in [\\d.]+ ms \\(content-type: application/json; content-length: \\d+\\)`));
    expect(text).toMatch(/HTTP GET \S+\/v2\/org\/app\/blobs\/sha256:abc -> 307 Temporary Redirect in [\d.]+ ms \(location: https:\/\/cdn\.example\.com\/blob\?X-Amz-Signature=REDACTED&x=1; docker-content-digest: sha256:a{64}; content-length: 0\)/);
    expect(text).toMatch(/HTTP GET \S+\/v2\/org\/app\/blobs\/sha256:abc done in [\d.]+ ms/);
    for (const secret of ['query-secret', 'pass-secret', Buffer.from('u:pass-secret').toString('base64'), 'bearer-secret', 'cookie-secret', 'body-token-secret', 'sig-secret']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(`${origin}/v2/ `); // stopped: the request after stop() is not traced
  });

  it('reports a failed request with its error and time', async () => {
    const out: string[] = [];
    const stop = startHttpTrace({ write: (s) => out.push(s) });
    const client = new Client('http://127.0.0.1:1');
    await client.request({ method: 'GET', path: '/v2/' }).catch(() => {});
    stop();
    await client.close();
    expect(out.join('')).toMatch(/HTTP GET http:\/\/127\.0\.0\.1:1\/v2\/ failed after [\d.]+ ms: ECONNREFUSED/);
  });
});
