/**
 * pullpath's proxy decision against Go's own answers: test/fixtures/proxy/go-proxy-oracle.json was written by
 * tools/proxy-oracle (Go 1.19's http.ProxyFromEnvironment, one process per environment). Every row must agree.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeProxyReason, proxyConfigFromEnv, proxyForUrl, parseProxyValue } from '../../src/proxy/proxy-for-url.ts';

interface GoProxy {
  scheme: string;
  host: string;
  hostname: string;
  port: string;
  username?: string;
  password?: string;
  hasPassword?: boolean;
  path?: string;
}
interface Fixture {
  goVersion: string;
  cases: { name: string; env: Record<string, string>; answers: { url: string; proxy: GoProxy | null; error?: string }[] }[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/proxy/go-proxy-oracle.json', import.meta.url), 'utf8')) as Fixture;

describe('proxyForUrl agrees with Go 1.19 http.ProxyFromEnvironment', () => {
  it('the fixture is Go 1.19 and has many rows', () => {
    expect(fixture.goVersion).toMatch(/^go1\.19/);
    expect(fixture.cases.reduce((n, c) => n + c.answers.length, 0)).toBeGreaterThan(1000);
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const cfg = proxyConfigFromEnv(c.env);
      const got = c.answers.map((a) => {
        const d = proxyForUrl(cfg, a.url);
        const p = d.proxy;
        return {
          url: a.url,
          proxy: p
            ? {
                scheme: p.scheme,
                host: p.host,
                hostname: p.hostname,
                port: p.portText,
                ...(p.username ? { username: p.username } : {}),
                ...(p.password ? { password: p.password } : {}),
                ...(p.password !== null ? { hasPassword: true } : {}),
                ...(p.path ? { path: p.path } : {}),
              }
            : null,
          ...(d.error ? { error: d.error } : {}),
        };
      });
      const want = c.answers.map((a) => {
        const p = a.proxy;
        return { url: a.url, proxy: p ? { ...p, ...(p.hasPassword ? { hasPassword: true } : {}) } : null, ...(a.error ? { error: a.error } : {}) };
      });
      expect(got).toEqual(want);
    });
  }
});

describe('reasons', () => {
  const env = { HTTPS_PROXY: 'http://alice:s3cret@proxy.corp:3128', no_proxy: 'quay.io,.corp.example.com,10.0.0.0/8' };
  const cfg = proxyConfigFromEnv(env);
  const why = (url: string) => describeProxyReason(proxyForUrl(cfg, url).reason);
  it('names the variable, the NO_PROXY entry, loopback and localhost', () => {
    expect(why('https://registry.test/v2/')).toBe('HTTPS_PROXY');
    expect(why('https://mirror.corp.example.com/v2/')).toBe('no_proxy entry `.corp.example.com`');
    expect(why('https://10.9.9.9:5000/v2/')).toBe('no_proxy entry `10.0.0.0/8`');
    expect(why('https://127.0.0.1:5000/v2/')).toBe('loopback is never proxied');
    expect(why('https://localhost:5000/v2/')).toBe('`localhost` is never proxied');
    expect(why('http://registry.test/v2/')).toBe('no HTTP_PROXY/http_proxy set');
  });
  it('never shows the credentials', () => {
    const p = proxyForUrl(cfg, 'https://registry.test/v2/').proxy!;
    expect(p.display).toBe('http://***@proxy.corp:3128');
    expect(JSON.stringify({ ...p, password: null, username: null })).not.toContain('s3cret');
  });
  it('reports a value Go cannot read, without its credentials', () => {
    const bad = proxyConfigFromEnv({ HTTPS_PROXY: 'http://u:pw@proxy.corp\u0001:3128' });
    expect(bad.httpsProxy).toBeNull();
    expect(bad.invalid).toHaveLength(1);
    expect(bad.invalid[0]!.error).not.toContain('pw');
  });
  it('a value without scheme is read as http://', () => {
    expect(parseProxyValue('proxy.corp:3128')!.display).toBe('http://proxy.corp:3128');
  });
});
