/** Upstream TestRewriteReferenceSuccess and TestRewriteReferenceFailedDuringParseNamed, values as listed there. */
import { describe, expect, it } from 'vitest';
import { parseNormalizedNamed } from '../../src/reference/index.ts';
import { rewriteReference } from '../../src/resolve/index.ts';
import { joinableLocation } from '../../src/resolve/location-join.ts';

const d = `sha256:${'a'.repeat(64)}`;

const success: [string, string, string, string][] = [
  ['example.com/image', 'example.com', 'example.com', 'example.com/image'],
  ['example.com/image:latest', 'example.com', 'example.com', 'example.com/image:latest'],
  ['example.com:5000/image', 'example.com:5000', 'example.com:5000', 'example.com:5000/image'],
  ['example.com:5000/image:latest', 'example.com:5000', 'example.com:5000', 'example.com:5000/image:latest'],
  [`example.com/foo@${d}`, 'example.com', 'example.com', `example.com/foo@${d}`],
  ['example.com/foo/image:latest', 'example.com/foo', 'example.com', 'example.com/image:latest'],
  ['example.com/foo/image:latest', 'example.com/foo', 'example.com/path', 'example.com/path/image:latest'],
  ['docker.io/library/image:latest', 'docker.io', 'docker.io', 'docker.io/library/image:latest'],
  ['docker.io/library/image', 'docker.io/library', 'example.com', 'example.com/image'],
  ['docker.io/library/image', 'docker.io', 'example.com', 'example.com/library/image'],
  ['docker.io/library/prefix/image', 'docker.io/library/prefix', 'example.com', 'example.com/image'],
  ['docker.io/namespace/image', '*.io', 'example.com', 'example.com/namespace/image'],
  ['docker.io/library/prefix/image', '*.io', 'example.com', 'example.com/library/prefix/image'],
  ['sub.example.io/library/prefix/image', '*.example.io', 'example.com', 'example.com/library/prefix/image'],
  ['another.sub.example.io:5000/library/prefix/image:latest', '*.sub.example.io', 'example.com', 'example.com:5000/library/prefix/image:latest'],
  ['foo.bar.io/ns1/ns2/ns3/ns4', '*.bar.io', 'omg.bbq.com/roflmao', 'omg.bbq.com/roflmao/ns1/ns2/ns3/ns4'],
  // an empty location on a wildcard: settings apply, the reference is unchanged
  ['abc.internal.registry.com/foo:bar', '*.internal.registry.com', '', 'abc.internal.registry.com/foo:bar'],
  ['blah.foo.bar.com/omg:bbq', '*.com', '', 'blah.foo.bar.com/omg:bbq'],
  ['alien.vs.predator.foobar.io:5000/omg', '*.foobar.io', '', 'alien.vs.predator.foobar.io:5000/omg'],
  [`alien.vs.predator.foobar.io:5000/foo@${d}`, '*.foobar.io', '', `alien.vs.predator.foobar.io:5000/foo@${d}`],
  ['alien.vs.predator.foobar.io:5000/omg:bbq', '*.foobar.io', '', 'alien.vs.predator.foobar.io:5000/omg:bbq'],
];

const failure: [string, string, string, string][] = [
  ['example.com/foo/image:latest', 'example.com/foo', 'example.com/path/', 'rewriting reference: invalid reference format'],
  [`example.com/foo@${d}`, 'example.com/foo', 'example.com', 'rewriting reference: repository name must be canonical'],
  ['example.com:5000/image:latest', 'example.com', '', "invalid prefix 'example.com' for empty location, should be in the format: *.example.com"],
  ['example.com:5000/image:latest', 'example.com', 'example.com:5000', 'rewriting reference: invalid reference format'],
  ['example.com/foo/image:latest', 'example.com//foo', 'example.com/path', "invalid prefix 'example.com//foo' for reference 'example.com/foo/image:latest'"],
  ['example.com/image:latest', 'image', 'anotherimage', "invalid prefix 'image' for reference 'example.com/image:latest'"],
  ['example.com/foo/image:latest', 'example.com/foo/', 'example.com', "invalid prefix 'example.com/foo/' for reference 'example.com/foo/image:latest'"],
  ['example.com/foo/image', 'example.com/f', 'example.com/foo', "invalid prefix 'example.com/f' for reference 'example.com/foo/image'"],
  ['example.com/foo:latest', 'example.com/f', 'example.com/foo', "invalid prefix 'example.com/f' for reference 'example.com/foo:latest'"],
  [`example.com/foo@${d}`, 'example.com/f', 'example.com/foo', `invalid prefix 'example.com/f' for reference 'example.com/foo@${d}'`],
  ['docker.io/library/image', 'example.com', 'example.com', "invalid prefix 'example.com' for reference 'docker.io/library/image'"],
  ['docker.io/library/image', '*.com', 'example.com', "invalid prefix '*.com' for reference 'docker.io/library/image'"],
  ['foo.docker.io/library/image', '*.example.com', 'example.com/image', "invalid prefix '*.example.com' for reference 'foo.docker.io/library/image'"],
  ['foo.docker.io/library/image', '*.docker.com', 'example.com/image', "invalid prefix '*.docker.com' for reference 'foo.docker.io/library/image'"],
  // derived (research §6.3): docker.io locations cannot take single-component names
  ['reg.local/alpine:3', 'reg.local', 'docker.io', 'rewriting reference: repository name must be canonical'],
  ['reg.local/x/alpine:3', 'reg.local', 'index.docker.io', 'rewriting reference: repository name must be canonical'],
];

describe('rewriteReference', () => {
  it.each(success)('%s with %s → %s gives %s', (ref, prefix, location, expected) => {
    const r = rewriteReference(parseNormalizedNamed(ref), prefix, location);
    expect(r).toEqual({ ok: true, ref: expect.anything() });
    if (r.ok) expect(r.ref.string()).toBe(expected);
    // the shortcut, where it applies, gives the same answer
    const fast = rewriteReference(parseNormalizedNamed(ref), prefix, location, joinableLocation(location));
    expect(fast.ok && fast.ref.string()).toBe(expected);
  });

  it.each(failure)('%s with %s → %s fails: %s', (ref, prefix, location, error) => {
    expect(rewriteReference(parseNormalizedNamed(ref), prefix, location)).toEqual({ ok: false, error });
    expect(rewriteReference(parseNormalizedNamed(ref), prefix, location, joinableLocation(location))).toEqual({ ok: false, error });
  });
});
