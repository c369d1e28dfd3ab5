/**
 * findRegistry: longest prefix, path boundaries, the port quirk, wildcards (apex excluded, any depth, port
 * outside the match), the wildcard-first tie. Values from upstream TestFindRegistry (find-registry.conf plus its
 * drop-ins, reproduced here as one file), then the index checked against the runtime's linear scan.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tryParseNormalizedNamed } from '../../src/reference/index.ts';
import { compileConfig, findRegistry, findRegistryByScan } from '../../src/resolve/index.ts';
import { benchDataDir } from '../helpers/bench-data.ts';
import { confFrom } from './helpers.ts';

const FIND_REGISTRY_CONF = `
[[registry]]
prefix = "simple-prefix.com"
location = "registry.com:5000"

[[registry]]
prefix = "*.so.simple-prefix.com"
location = "subdomain-prefix.com"

[[registry]]
prefix = "*.simple-prefix.com"
location = "subdomain-prefix-2.com"

[[registry]]
prefix = "*.not.quite.simple-prefix.com"
location = "subdomain-prefix-1-overridden-by-dropin-location.com"

[[registry]]
prefix = "*.docker.io"
location = "subdomain-prefix-2.com"

[[registry]]
prefix = "*.docker.com"
location = "subdomain-prefix-2-overridden-by-dropin-location.com"

[[registry]]
prefix = "*.bar.example.com"
location = "subdomain-prefix-3-overridden-by-dropin-location.com"

[[registry]]
prefix = "*.bar.docker.io"
location = "subdomain-prefix-4.com"

[[registry]]
prefix = "foo.bar.example.com:5000"
location = "subdomain-prefix-5.com"

[[registry]]
prefix = "complex-prefix.com:4000/with/path"
location = "another-registry.com:5000"

[[registry]]
location = "no-prefix.com"

[[registry]]
prefix = ""
location = "empty-prefix.com"
`;

describe('findRegistry (TestFindRegistry values)', () => {
  const compiled = compileConfig(confFrom(FIND_REGISTRY_CONF));
  it.each([
    ['simple-prefix.com/foo/bar:latest', 'simple-prefix.com', 'registry.com:5000'],
    ['simple-prefix.com/', 'simple-prefix.com', 'registry.com:5000'],
    ['simple-prefix.com', 'simple-prefix.com', 'registry.com:5000'],
    ['not.so.simple-prefix.com/', '*.so.simple-prefix.com', 'subdomain-prefix.com'],
    ['not.quite.simple-prefix.com/', '*.simple-prefix.com', 'subdomain-prefix-2.com'],
    ['not.quite.simple-prefix.com:5000/with/path/and/beyond:tag', '*.simple-prefix.com', 'subdomain-prefix-2.com'],
    ['really.not.quite.simple-prefix.com:5000/with/path/and/beyond:tag', '*.not.quite.simple-prefix.com', 'subdomain-prefix-1-overridden-by-dropin-location.com'],
    ['foo.docker.io:5000/omg/wtf/bbq:foo', '*.docker.io', 'subdomain-prefix-2.com'],
    [`foo.bar.example.com:6000/omg/wtf/bbq@sha256:${'a'.repeat(64)}`, '*.bar.example.com', 'subdomain-prefix-3-overridden-by-dropin-location.com'],
    ['foo.bar.docker.io:5000/omg/wtf/bbq:foo', '*.bar.docker.io', 'subdomain-prefix-4.com'],
    ['foo.bar.example.com:5000/omg/wtf/bbq:foo', 'foo.bar.example.com:5000', 'subdomain-prefix-5.com'],
    ['complex-prefix.com:4000/with/path/and/beyond:tag', 'complex-prefix.com:4000/with/path', 'another-registry.com:5000'],
    ['no-prefix.com/foo:tag', 'no-prefix.com', 'no-prefix.com'],
    ['empty-prefix.com/foo:tag', 'empty-prefix.com', 'empty-prefix.com'],
  ])('%s → %s (%s)', (ref, prefix, location) => {
    // Upstream passes these strings whole; the pull path passes ref.name(). Both must agree here.
    const e = findRegistry(compiled, ref);
    expect([e?.prefix, e?.location]).toEqual([prefix, location]);
    expect(findRegistryByScan(compiled.conf, ref)).toBe(e);
  });

  it('finds nothing for simple-prefix.comx', () => {
    expect(findRegistry(compiled, 'simple-prefix.comx')).toBeNull();
  });
});

describe('selection rules', () => {
  const compiled = compileConfig(
    confFrom(`
[[registry]]
prefix = "a.example.com"
location = "literal.local"
[[registry]]
prefix = "*.example.com"
location = "wild.local"
[[registry]]
prefix = "example.com/foo"
location = "foo.local"
[[registry]]
prefix = "example.com"
location = "host.local"
`),
  );
  it('ties between a wildcard and a literal of the same length go to the wildcard (byte order)', () => {
    expect(findRegistry(compiled, 'a.example.com/x')?.location).toBe('wild.local');
  });
  it('respects path boundaries: example.com/foo does not match example.com/foobar', () => {
    expect(findRegistry(compiled, 'example.com/foobar/x')?.location).toBe('host.local');
    expect(findRegistry(compiled, 'example.com/foo/x')?.location).toBe('foo.local');
  });
  it('matches a host prefix against a name with a port (the quirk)', () => {
    expect(findRegistry(compiled, 'example.com:5000/x')?.location).toBe('host.local');
  });
  it('does not match the apex with a wildcard', () => {
    expect(findRegistry(compiled, 'example.com/bar')?.location).toBe('host.local');
    expect(findRegistry(compiled, 'b.c.example.com/bar')?.location).toBe('wild.local');
  });
});

function names(file: string): string[] {
  const refs = gunzipSync(readFileSync(new URL(file, benchDataDir))).toString('utf8').split('\n');
  const out: string[] = [];
  for (const s of refs) {
    const p = tryParseNormalizedNamed(s);
    if (p.ok) out.push(p.ref.name());
  }
  return out;
}

describe('the index agrees with the runtime\'s linear scan', () => {
  it('on every name of the N=1,000 benchmark set', () => {
    const text = readFileSync(new URL('registries-N1000.conf', benchDataDir), 'utf8');
    const conf = confFrom(text);
    const compiled = compileConfig(conf);
    let hits = 0;
    for (const n of names('refs-N1000.txt.gz')) {
      const e = findRegistry(compiled, n);
      if (e !== findRegistryByScan(conf, n)) expect.fail(`${n}: index ${e?.prefix} vs scan ${findRegistryByScan(conf, n)?.prefix}`);
      if (e !== null) hits++;
    }
    expect(hits).toBe(60_000); // what containers/image matched on this set (bench/data/README.md)
  });

  it('on generated names over tricky prefixes', () => {
    const prefixes = ['a.com', 'a.com/x', 'a.com:5000', 'a.com:5000/x/y', '*.a.com', '*.b.a.com', 'b.a.com', '*.com', 'x.a.com/p', '**.a.com', '*a.com', 'a.com/x:tag'];
    const conf = confFrom(prefixes.map((p, i) => `[[registry]]\nprefix = "${p}"\nlocation = "l${i}.local"\n`).join(''));
    const compiled = compileConfig(conf);
    const hosts = ['a.com', 'b.a.com', 'x.a.com', 'c.b.a.com', 'a.com.a.com', 'com', 'xa.com', 'b.com', 'a.co'];
    const ports = ['', ':5000', ':50000'];
    const paths = ['/x', '/x/y', '/x/y/z', '/p', '/p/q', '/xy', '/y'];
    for (const h of hosts) for (const port of ports) for (const p of paths) {
      const n = h + port + p;
      expect([n, findRegistry(compiled, n)?.prefix ?? null]).toEqual([n, findRegistryByScan(conf, n)?.prefix ?? null]);
    }
  });
});
