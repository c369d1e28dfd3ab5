import { describe, expect, it } from 'vitest';
import { parseBasePort, parseListen, placeRegistries } from '../../src/scenario/listen.ts';

describe('mock --listen / --base-port', () => {
  it('parses NAME=ADDR:PORT with IPv4 and bracketed IPv6 addresses', () => {
    expect(parseListen('mirror.example.com:5000=127.0.0.1:5000')).toEqual({ name: 'mirror.example.com:5000', address: { bind: '127.0.0.1', port: 5000 } });
    expect(parseListen('quay.io=[::1]:8443')).toEqual({ name: 'quay.io', address: { bind: '::1', port: 8443 } });
  });

  it.each([
    ['quay.io', /expected NAME=ADDR:PORT/],
    ['quay.io=127.0.0.1', /expected NAME=ADDR:PORT/],
    ['quay.io=localhost:5000', /"localhost" is not an IP address/],
    ['quay.io=127.0.0.1:0', /expected a port 1-65535, got "0"/],
    ['quay.io=127.0.0.1:70000', /expected a port 1-65535/],
  ])('rejects --listen %s', (spec, msg) => expect(() => parseListen(spec)).toThrow(msg));

  it('places the i-th registry on base+i, lets --listen win, and matches a name without its port', () => {
    const hosts = ['mirror.example.com:5000', 'quay.io', 'registry.example.com'];
    expect(placeRegistries(hosts, [], 15000)).toEqual([
      { bind: '127.0.0.1', port: 15000 }, { bind: '127.0.0.1', port: 15001 }, { bind: '127.0.0.1', port: 15002 },
    ]);
    expect(placeRegistries(hosts, [parseListen('mirror.example.com=127.0.0.3:5000')], null)).toEqual([{ bind: '127.0.0.3', port: 5000 }, null, null]);
    expect(placeRegistries(hosts, [parseListen('quay.io=127.0.0.1:9000')], 15000)[1]).toEqual({ bind: '127.0.0.1', port: 9000 });
  });

  it('rejects an unknown name, a registry given twice, a shared address and ports past 65535', () => {
    const hosts = ['mirror.example.com:5000', 'quay.io'];
    expect(() => placeRegistries(hosts, [parseListen('ghcr.io=127.0.0.1:1')], null)).toThrow(/no \[\[registry\]\] with host "ghcr\.io" \(hosts: mirror\.example\.com:5000, quay\.io\)/);
    expect(() => placeRegistries(hosts, [parseListen('quay.io=127.0.0.1:1'), parseListen('quay.io=127.0.0.1:2')], null)).toThrow(/given twice/);
    expect(() => placeRegistries(hosts, [parseListen('quay.io=127.0.0.1:15000')], 15000)).toThrow(/mirror\.example\.com:5000 would both listen on 127\.0\.0\.1:15000|quay\.io and mirror/);
    expect(() => placeRegistries(hosts, [], 65535)).toThrow(/above 65535/);
    expect(parseBasePort('15000')).toBe(15000);
    expect(() => parseBasePort('x')).toThrow(/--base-port: expected a port/);
  });
});
