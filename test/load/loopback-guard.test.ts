import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, nonLoopbackTargets } from '../../src/load/loopback-guard.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';
import { proxyConfigFromEnv } from '../../src/proxy/proxy-for-url.ts';

const res = (...refs: [string, boolean?][]): Resolution => ({
  ref: 'x', normalized: 'x', registry: null, skipped: [], error: null,
  sources: refs.map(([reference, blocked]) => ({ location: reference.split('/')[0]!, insecure: false, reference, blocked: blocked ?? false, mirror: false })),
});

describe('loopback guard', () => {
  it.each([
    ['127.0.0.1', true], ['127.3.4.5', true], ['::1', true], ['[::1]', true], ['localhost', true],
    ['10.0.0.1', false], ['quay.io', false], ['::ffff:10.0.0.1', false], ['128.0.0.1', false],
  ])('%s is loopback: %s', (h, want) => expect(isLoopbackAddress(h)).toBe(want));

  it('checks where each source is really dialled, after the host map', () => {
    const map = HostMap.parse(['mirror.example.com:127.0.0.1:5000']);
    const r = res(['mirror.example.com/org/app:1'], ['quay.io/org/app:1'], ['blocked.example.com/a:1', true], ['127.0.0.1:5001/a:1']);
    expect(nonLoopbackTargets([r], map)).toEqual(['quay.io']);
  });

  it('needs both ports of a portless host mapped', () => {
    const map = HostMap.parse(['mirror.example.com:443:127.0.0.1:5000']);
    expect(nonLoopbackTargets([res(['mirror.example.com/org/app:1'])], map)).toEqual(['mirror.example.com']);
  });

  it('a proxy gets every request it is chosen for: the proxy itself must be on loopback (credentials never shown)', () => {
    const map = HostMap.parse(['mirror.example.com:127.0.0.1:5000', 'proxy.local:3128:127.0.0.1:3128']);
    const r = res(['mirror.example.com/org/app:1']);
    const far = proxyConfigFromEnv({ HTTPS_PROXY: 'http://user:s3cret@proxy.corp.example.com:3128' });
    const out = nonLoopbackTargets([r], map, far);
    expect(out).toEqual(['mirror.example.com (through the proxy http://***@proxy.corp.example.com:3128)']);
    expect(out.join()).not.toContain('s3cret');
    // A proxy mapped to loopback, a NO_PROXY exception and no proxy variable: nothing leaves the machine.
    expect(nonLoopbackTargets([r], map, proxyConfigFromEnv({ HTTPS_PROXY: 'http://proxy.local:3128' }))).toEqual([]);
    expect(nonLoopbackTargets([r], map, proxyConfigFromEnv({ HTTPS_PROXY: 'http://proxy.corp.example.com:3128', NO_PROXY: 'mirror.example.com' }))).toEqual([]);
    expect(nonLoopbackTargets([r], map, proxyConfigFromEnv({}))).toEqual([]);
  });
});
