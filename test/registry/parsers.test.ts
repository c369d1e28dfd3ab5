import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../src/registry/www-authenticate.ts';
import { HostMap, parseConnectTo } from '../../src/registry/host-map.ts';
import { registryResponseError } from '../../src/registry/http-error.ts';
import { goQuote } from '../../src/go-quote.ts';
import { goNetworkError } from '../../src/registry/network-error.ts';
import { redactUrl, Redactor } from '../../src/registry/redact.ts';
import { parsePlatform, chooseInstance, MEDIA } from '../../src/registry/manifest.ts';

describe('WWW-Authenticate', () => {
  it.each([
    ['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"', [
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' } },
    ]],
    ['Basic realm="basic-realm"', [{ scheme: 'basic', params: { realm: 'basic-realm' } }]],
    ['Bearer realm="r", error="insufficient_scope", Basic realm="b\\"q"', [
      { scheme: 'bearer', params: { realm: 'r', error: 'insufficient_scope' } },
      { scheme: 'basic', params: { realm: 'b"q' } },
    ]],
    ['bearer REALM=unquoted,service=s', [{ scheme: 'bearer', params: { realm: 'unquoted', service: 's' } }]],
  ])('%s', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});

describe('--connect-to', () => {
  it.each([
    ['mirror.example.com:127.0.0.1:5000', { host: 'mirror.example.com', port: null, addr: '127.0.0.1', toPort: 5000 }],
    ['mirror.example.com:443:127.0.0.1:5000', { host: 'mirror.example.com', port: 443, addr: '127.0.0.1', toPort: 5000 }],
    ['[::1]:5000:[::1]:6000', { host: '::1', port: 5000, addr: '::1', toPort: 6000 }],
    ['Quay.IO::127.0.0.2:8443', { host: 'quay.io', port: null, addr: '127.0.0.2', toPort: 8443 }],
  ])('parses %s', (spec, expected) => {
    expect(parseConnectTo(spec)).toMatchObject(expected);
  });

  it.each(['mirror.example.com', 'a:b', 'h:1:2:3:4', 'h:127.0.0.1:99999', 'h:127.0.0.1:x'])('rejects %s with the expected form', (spec) => {
    expect(() => parseConnectTo(spec)).toThrow(/--connect-to/);
  });

  it('prefers an exact host:port entry over a host-only one', () => {
    const m = HostMap.parse(['quay.io:127.0.0.1:1000', 'quay.io:443:127.0.0.1:2000']);
    expect(m.lookup('quay.io', 443)).toEqual({ hostname: '127.0.0.1', port: 2000 });
    expect(m.lookup('quay.io', 5000)).toEqual({ hostname: '127.0.0.1', port: 1000 });
    expect(m.lookup('example.com', 443)).toBeNull();
  });
});

describe('registry error wording (registryHTTPResponseToError)', () => {
  const b = (s: string) => Buffer.from(s);
  it.each([
    ['distribution 404 with detail', 404, '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"v1"}}]}', 'skopeo-1.9', 'manifest unknown: manifest unknown'],
    ['same, current c/image wording', 404, '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"v1"}}]}', 'current', 'manifest unknown'],
    ['custom message', 404, '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"Failed to fetch \\"latest\\""}]}', 'current', 'manifest unknown: Failed to fetch "latest"'],
    ['denied, default message, no detail', 403, '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}', 'skopeo-1.9', 'denied'],
    ['unknown code', 400, '{"errors":[{"code":"WHATEVER","message":"odd"}]}', 'current', 'unknown: odd'],
    ['plain-text 404', 404, '404 page not found\n', 'current', 'StatusCode: 404, "404 page not found\\n"'],
    ['long non-JSON body cut at 50 bytes', 404, 'x'.repeat(60), 'current', `StatusCode: 404, "${'x'.repeat(50)}..."`],
    ['401 without JSON', 401, '', 'skopeo-1.9', 'unauthorized: authentication required'],
    ['5xx', 500, '<html>oops</html>', 'current', 'received unexpected HTTP status: 500 Internal Server Error'],
    ['details field', 429, '{"details":"slow down"}', 'current', 'toomanyrequests: slow down'],
  ] as const)('%s', (_name, status, body, style, expected) => {
    expect(registryResponseError(status, b(body), [], style).message).toBe(expected);
  });

  it('takes invalid_token from the challenge before the body', () => {
    const r = registryResponseError(401, Buffer.from('{}'), [{ scheme: 'bearer', params: { error: 'invalid_token', error_description: 'expired' } }], 'current');
    expect(r.message).toBe('unauthorized: expired');
    expect(r.errorClass).toBe('unauthorized');
  });

  it('quotes as Go does', () => {
    expect(goQuote('a"b\\c\n\x01')).toBe('"a\\"b\\\\c\\n\\x01"');
  });
});

describe('network errors in Go words', () => {
  const ctx = { method: 'GET', url: 'https://h:5000/v2/' };
  it.each([
    [{ code: 'ECONNREFUSED', address: '127.0.0.1', port: 5000 }, 'Get "https://h:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused', 'refused'],
    [{ code: 'ENOTFOUND', hostname: 'h' }, 'Get "https://h:5000/v2/": dial tcp: lookup h: no such host', 'dns'],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'Get "https://h:5000/v2/": http: server gave HTTP response to HTTPS client', 'http-to-https'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'Get "https://h:5000/v2/": x509: certificate signed by unknown authority', 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', host: '127.0.0.1', cert: { subjectaltname: 'DNS:other.example.com' } }, 'Get "https://h:5000/v2/": x509: cannot validate certificate for 127.0.0.1 because it doesn\'t contain any IP SANs', 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', host: 'h', cert: { subjectaltname: 'DNS:a.example.com, DNS:b.example.com, IP Address:10.0.0.1' } }, 'Get "https://h:5000/v2/": x509: certificate is valid for a.example.com, b.example.com, not h', 'tls'],
    [{ code: 'UND_ERR_SOCKET' }, 'Get "https://h:5000/v2/": EOF', 'reset'],
    [{ code: 'ECONNRESET' }, 'Get "https://h:5000/v2/": read: connection reset by peer', 'reset'],
  ])('%o', (err, message, cls) => {
    const g = goNetworkError(Object.assign(new Error('x'), err), ctx);
    expect(g.message).toBe(message);
    expect(g.errorClass).toBe(cls);
  });

  it('adds the Go >= 1.20 "tls: failed to verify certificate" prefix only in the current style', () => {
    const g = goNetworkError(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), { ...ctx, style: 'current' });
    expect(g.message).toBe('Get "https://h:5000/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority');
  });

  it('tells a deadline from a cancel', () => {
    const t = AbortSignal.abort(new DOMException('t', 'TimeoutError'));
    expect(goNetworkError(new Error('aborted'), { ...ctx, signal: t }).inner).toBe('context deadline exceeded');
    const c = AbortSignal.abort();
    expect(goNetworkError(new Error('aborted'), { ...ctx, signal: c }).inner).toBe('context canceled');
  });
});

describe('redaction', () => {
  it('removes userinfo and secret query values from URLs', () => {
    expect(redactUrl('https://u:pw@h.example.com/t?token=abc&scope=repository:x:pull')).toBe('https://h.example.com/t?token=REDACTED&scope=repository%3Ax%3Apull');
  });
  it('masks remembered secrets and their base64 form', () => {
    const r = new Redactor();
    r.addBasic('alice', 'hunter22');
    expect(r.text(`pw hunter22 basic ${Buffer.from('alice:hunter22').toString('base64')}`)).toBe('pw REDACTED basic REDACTED');
  });
});

describe('platforms', () => {
  const index = Buffer.from(JSON.stringify({
    manifests: [
      { digest: 'sha256:' + '1'.repeat(64), mediaType: MEDIA.ociManifest, size: 1, platform: { os: 'linux', architecture: 'amd64' } },
      { digest: 'sha256:' + '2'.repeat(64), mediaType: MEDIA.ociManifest, size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { digest: 'sha256:' + '3'.repeat(64), mediaType: MEDIA.ociManifest, size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    ],
  }));
  it('selects by os/arch[/variant]', () => {
    expect(chooseInstance(index, MEDIA.ociIndex, parsePlatform('linux/amd64')).digest).toBe('sha256:' + '1'.repeat(64));
    expect(chooseInstance(index, MEDIA.ociIndex, parsePlatform('linux/arm64')).digest).toBe('sha256:' + '2'.repeat(64));
    expect(chooseInstance(index, MEDIA.ociIndex, parsePlatform('linux/arm/v7')).digest).toBe('sha256:' + '3'.repeat(64));
  });
  it('fails with the runtime text when nothing matches', () => {
    expect(() => chooseInstance(index, MEDIA.dockerList, parsePlatform('linux/s390x'))).toThrow(
      'no image found in manifest list for architecture "s390x", variant "", OS "linux"',
    );
  });
  it('rejects a malformed --platform', () => {
    expect(() => parsePlatform('linux')).toThrow(/OS\/ARCH/);
  });
});
