/**
 * Pull sources: upstream TestPullSourcesFromReference (pull-sources-from-reference.conf reproduced), the
 * blocked rules confirmed by skopeo (e2e findings §4), insecure per endpoint (§5), rewrite errors that abort
 * the whole pull (§6), and the version-specific blocked message.
 */
import { describe, expect, it } from 'vitest';
import { parseNormalizedNamed } from '../../src/reference/index.ts';
import { compileConfig, findRegistry, pullSources, type CompiledConfig } from '../../src/resolve/index.ts';
import { confFrom } from './helpers.ts';

function mirrors(letter: string, settings: string[]): string {
  return settings
    .map((pfm, i) => `[[registry.mirror]]\nlocation = "mirror-${i + 1}.registry-${letter}.com"\n${pfm === 'insecure' ? 'insecure = true\n' : pfm === '' ? '' : `pull-from-mirror = "${pfm}"\n`}`)
    .join('');
}
function entry(prefix: string, letter: string, extra: string, ms: string[]): string {
  return `[[registry]]\nprefix = "${prefix}"\nlocation = "registry-${letter}.com/bar"\n${extra}${mirrors(letter, ms)}`;
}

const PULL_SOURCES_CONF = [
  entry('registry-a.com/foo', 'a', '', ['', 'insecure']),
  entry('registry-b.com/foo', 'b', 'mirror-by-digest-only = true\n', ['', '']),
  entry('registry-a.com/baz', 'a', '', ['', 'insecure']),
  entry('registry-b.com/baz', 'b', '', ['digest-only', 'digest-only']),
  entry('registry-c.com/baz', 'c', '', ['', 'digest-only']),
  entry('registry-d.com/baz', 'd', 'mirror-by-digest-only = true\n', ['', '']),
  entry('registry-e.com/baz', 'e', '', ['tag-only', 'tag-only']),
  entry('registry-f.com/baz', 'f', '', ['', 'tag-only']),
  entry('registry-g.com/baz', 'g', '', ['digest-only', 'tag-only', '', 'all']),
].join('\n');

function sourcesOf(compiled: CompiledConfig, ref: string): string[] {
  const r = parseNormalizedNamed(ref);
  const ps = pullSources(compiled, findRegistry(compiled, r.name()), r);
  if (!ps.ok) throw new Error(ps.error);
  return ps.sources.map((s) => `${s.location}${s.insecure ? '(insecure)' : ''}`);
}

describe('pull sources (TestPullSourcesFromReference)', () => {
  const compiled = compileConfig(confFrom(PULL_SOURCES_CONF));
  const digest = `@sha256:${'a'.repeat(64)}`;
  it.each([
    ['registry-a.com/foo', ['m1', 'm2(insecure)', 'bar'], ['m1', 'm2(insecure)', 'bar']],
    ['registry-b.com/foo', ['m1', 'm2', 'bar'], ['bar']],
    ['registry-a.com/baz', ['m1', 'm2(insecure)', 'bar'], ['m1', 'm2(insecure)', 'bar']],
    ['registry-b.com/baz', ['m1', 'm2', 'bar'], ['bar']],
    ['registry-c.com/baz', ['m1', 'm2', 'bar'], ['m1', 'bar']],
    ['registry-d.com/baz', ['m1', 'm2', 'bar'], ['bar']],
    ['registry-e.com/baz', ['bar'], ['m1', 'm2', 'bar']],
    ['registry-f.com/baz', ['m1', 'bar'], ['m1', 'm2', 'bar']],
    ['registry-g.com/baz', ['m1', 'm3', 'm4', 'bar'], ['m2', 'm3', 'm4', 'bar']],
  ])('%s: digest pull %j, tag pull %j', (prefix, byDigest, byTag) => {
    const letter = prefix[9]!;
    const expand = (xs: string[]) =>
      xs.map((x) => (x.startsWith('bar') ? `registry-${letter}.com/bar` : x.replace(/^m(\d)/, `mirror-$1.registry-${letter}.com`)));
    expect(sourcesOf(compiled, `${prefix}/image${digest}`)).toEqual(expand(byDigest));
    expect(sourcesOf(compiled, `${prefix}/image:aaa`)).toEqual(expand(byTag));
  });

  it('says why each mirror is left out, with its origin', () => {
    const r = parseNormalizedNamed('registry-g.com/baz/image:aaa');
    const ps = pullSources(compiled, findRegistry(compiled, r.name()), r);
    expect(ps.skipped).toEqual([
      { location: 'mirror-1.registry-g.com', reason: expect.stringContaining('digest-only mirror skipped for a tag reference'), kind: 'digest-only', origin: expect.stringMatching(/^test\.conf:\d+$/) },
    ]);
    const b = parseNormalizedNamed('registry-b.com/foo/image:aaa');
    expect(pullSources(compiled, findRegistry(compiled, b.name()), b).skipped.map((s) => s.reason)).toEqual([
      'digest-only mirror skipped for a tag reference (mirror-by-digest-only = true)',
      'digest-only mirror skipped for a tag reference (mirror-by-digest-only = true)',
    ]);
  });

  it('rewrites each source as contacted (man page example)', () => {
    const c = compileConfig(
      confFrom(`
[[registry]]
prefix = "example.com/foo"
location = "internal-registry-for-example.com/bar"
[[registry.mirror]]
location = "example-mirror-0.local/mirror-for-foo"
[[registry.mirror]]
location = "example-mirror-1.local/mirrors/foo"
insecure = true
`),
    );
    const r = parseNormalizedNamed('example.com/foo/image:latest');
    const ps = pullSources(c, findRegistry(c, r.name()), r);
    expect(ps.sources.map((s) => [s.reference, s.insecure, s.mirror])).toEqual([
      ['example-mirror-0.local/mirror-for-foo/image:latest', false, true],
      ['example-mirror-1.local/mirrors/foo/image:latest', true, true],
      ['internal-registry-for-example.com/bar/image:latest', false, false],
    ]);
  });
});

describe('blocked is decided per physical source (e2e findings §4)', () => {
  const compiled = compileConfig(
    confFrom(
      `
[[registry]]
location = "127.0.0.1:55011"
blocked = true
[[registry.mirror]]
location = "127.0.0.1:55014"

[[registry]]
prefix = "127.0.0.1:55019"
location = "127.0.0.1:55011"
blocked = true

[[registry]]
prefix = "remapped.example.com"
location = "127.0.0.1:55011/lib"
[[registry.mirror]]
location = "127.0.0.1:55014/lib"
`,
      { path: 'confs/05-blocked.conf' },
    ),
  );
  const run = (ref: string) => {
    const r = parseNormalizedNamed(ref);
    const ps = pullSources(compiled, findRegistry(compiled, r.name()), r);
    if (!ps.ok) throw new Error(ps.error);
    return ps.sources;
  };

  it('uses the mirrors of a blocked registry; the blocked primary stays last', () => {
    const s = run('127.0.0.1:55011/lib/hello:v1');
    expect(s.map((x) => [x.reference, x.blocked])).toEqual([
      ['127.0.0.1:55014/lib/hello:v1', false],
      ['127.0.0.1:55011/lib/hello:v1', true],
    ]);
    expect(s[1]!.blockedError).toBe('registry 127.0.0.1:55011 is blocked in confs/05-blocked.conf or test.conf.d');
    expect(s[1]!.blockedBy).toEqual({ prefix: '127.0.0.1:55011', origin: 'confs/05-blocked.conf:2' });
  });

  it('a blocked entry whose location is elsewhere blocks nothing (07-blocked-remapped)', () => {
    const s = run('127.0.0.1:55019/lib/hello:v1');
    expect(s.map((x) => [x.reference, x.blocked])).toEqual([['127.0.0.1:55011/lib/hello:v1', true]]);
    // ...the rewritten source is blocked here only because 55011 has its own blocked entry:
    expect(s[0]!.blockedBy?.prefix).toBe('127.0.0.1:55011');
  });

  it('an unblocked prefix remapped to a blocked location is blocked (08-remap-to-blocked)', () => {
    const s = run('remapped.example.com/hello:v1');
    expect(s.map((x) => [x.reference, x.blocked])).toEqual([
      ['127.0.0.1:55014/lib/hello:v1', false],
      ['127.0.0.1:55011/lib/hello:v1', true],
    ]);
  });

  it('words the message as v5.40 does under --compat 5.40', () => {
    const c40 = compileConfig(
      confFrom('[[registry]]\nlocation = "blocked.example.com"\nblocked = true\n', { path: '/etc/containers/registries.conf', compat: '5.40' }),
    );
    const r = parseNormalizedNamed('blocked.example.com/x:1');
    const ps = pullSources(c40, findRegistry(c40, r.name()), r);
    expect(ps.ok && ps.sources[0]!.blockedError).toBe(
      'registry blocked.example.com is blocked in one of ["/etc/containers/registries.conf" "test.conf.d"]',
    );
  });
});

describe('insecure is per endpoint (e2e findings §5)', () => {
  it("a mirror uses its own insecure flag, not that of the entry matching the mirror's host", () => {
    const c = compileConfig(
      confFrom(`
[[registry]]
location = "127.0.0.1:55019"
[[registry.mirror]]
location = "127.0.0.1:55014"
[[registry]]
location = "127.0.0.1:55014"
insecure = true
`),
    );
    const r = parseNormalizedNamed('127.0.0.1:55019/lib/hello:v1');
    const ps = pullSources(c, findRegistry(c, r.name()), r);
    expect(ps.ok && ps.sources.map((s) => [s.location, s.insecure])).toEqual([
      ['127.0.0.1:55014', false],
      ['127.0.0.1:55019', false],
    ]);
    const direct = parseNormalizedNamed('127.0.0.1:55014/lib/hello:v1');
    const pd = pullSources(c, findRegistry(c, direct.name()), direct);
    expect(pd.ok && pd.sources.map((s) => s.insecure)).toEqual([true]);
  });
});

describe('rewrites (e2e findings §6)', () => {
  const c = compileConfig(
    confFrom(`
[[registry]]
prefix = "*.0.0.1"
[[registry.mirror]]
location = "localhost"

[[registry]]
prefix = "*.wild.example.com"
[[registry.mirror]]
location = "127.0.0.1:55012/mirror"
`),
  );
  const run = (ref: string) => {
    const r = parseNormalizedNamed(ref);
    return pullSources(c, findRegistry(c, r.name()), r);
  };
  it('a host-only mirror of a wildcard inherits the port; the primary is the reference unchanged', () => {
    const ps = run('127.0.0.1:55011/lib/hello:v1');
    expect(ps.ok && ps.sources.map((s) => s.reference)).toEqual(['localhost:55011/lib/hello:v1', '127.0.0.1:55011/lib/hello:v1']);
  });
  it('one bad rewrite aborts the whole pull before any source', () => {
    const ps = run('a.wild.example.com:55011/lib/hello:v1');
    expect(ps).toEqual({ ok: false, error: 'rewriting reference: invalid reference format', sources: [], skipped: [] });
  });
  it('no entry: the reference itself is the only source', () => {
    const ps = run('quay.io/org/app:1');
    expect(ps.ok && ps.sources.map((s) => [s.location, s.reference, s.mirror, s.blocked, s.insecure])).toEqual([
      ['quay.io/org/app:1', 'quay.io/org/app:1', false, false, false],
    ]);
  });
});
