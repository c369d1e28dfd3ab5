/**
 * The reference parsers against the upstream example values: distribution/reference `TestReferenceParse`,
 * `TestParseNormalizedNamed`, `TestParseRepositoryInfo` (familiar names), go-digest validation, and the
 * errors skopeo printed in the e2e findings §8.
 */
import { describe, expect, it } from 'vitest';
import {
  ERR_BOTH_TAG_AND_DIGEST,
  parseDockerReference,
  parseNamed,
  parseNormalizedNamed,
  ReferenceFormatError,
  tryParse,
  tryParseDockerReference,
  tryParseNamed,
  tryParseNormalizedNamed,
} from '../../src/reference/index.ts';

const hex64 = (c: string) => c.repeat(64);

describe('tryParse (reference.Parse, no normalization) — upstream TestReferenceParse', () => {
  it.each([
    ['test_com', '', 'test_com', null, null],
    ['test.com:tag', '', 'test.com', 'tag', null],
    ['test.com:5000', '', 'test.com', '5000', null],
    ['test.com/repo:tag', 'test.com', 'repo', 'tag', null],
    ['test:5000/repo', 'test:5000', 'repo', null, null],
    ['test:5000/repo:tag', 'test:5000', 'repo', 'tag', null],
    [`test:5000/repo@sha256:${hex64('f')}`, 'test:5000', 'repo', null, `sha256:${hex64('f')}`],
    [`test:5000/repo:tag@sha256:${hex64('f')}`, 'test:5000', 'repo', 'tag', `sha256:${hex64('f')}`],
    ['lowercase:Uppercase', '', 'lowercase', 'Uppercase', null],
    ['sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com', 'bar/baz/quux', null, null],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag', null],
    ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io', 'test.example.com/my-app', 'test.example.com', null],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage', 'xn--n3h.com', null],
    ['foo_bar.com:8080', '', 'foo_bar.com', '8080', null],
    ['foo/foo_bar.com:8080', 'foo', 'foo_bar.com', '8080', null],
    // the first component is a domain only when it reads as a host: `a_b.com` does not, so it is path
    ['a_b.com/foo', '', 'a_b.com/foo', null, null],
    ['library/fedora:38', 'library', 'fedora', '38', null],
  ])('%s → domain %j path %j tag %j digest %j', (input, domain, path, tag, digest) => {
    const r = tryParse(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.ref.domain, r.ref.path, r.ref.tag, r.ref.digest]).toEqual([domain, path, tag, digest]);
    expect(r.ref.string()).toBe(input);
  });

  it.each([
    ['', 'repository name must have at least one component'],
    [':justtag', 'invalid reference format'],
    [`@sha256:${hex64('f')}`, 'invalid reference format'],
    [`validname@invaliddigest:${hex64('f')}`, 'unsupported digest algorithm'],
    ['Uppercase:tag', 'repository name must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'repository name must be lowercase'],
    ['a/'.repeat(128) + 'a:tag', 'repository name must not be more than 255 characters'],
    ['aa/asdf$$^/aa', 'invalid reference format'],
    [`repo@sha256:${hex64('F')}`, 'invalid checksum digest format'],
    [`repo@sha256:${'f'.repeat(65)}`, 'invalid checksum digest length'],
    [`repo@sha512:${hex64('f')}`, 'invalid checksum digest length'],
  ])('%s fails: %s', (input, error) => {
    expect(tryParse(input)).toEqual({ ok: false, error });
  });

  it('accepts a name of exactly 255 characters (upstream: "a/"×127 + "a")', () => {
    const r = tryParse('a/'.repeat(127) + 'a:tag-puts-this-over-max');
    expect(r.ok).toBe(true);
  });

  it('accepts sha512 digests of 128 hex digits', () => {
    const r = tryParse(`xn--7o8h.com/myimage:xn--7o8h.com@sha512:${'f'.repeat(128)}`);
    expect(r.ok && r.ref.digest).toBe(`sha512:${'f'.repeat(128)}`);
  });
});

describe('tryParseNormalizedNamed — upstream TestParseNormalizedNamed / TestParseRepositoryInfo', () => {
  it.each([
    ['docker/docker', 'docker.io/docker/docker', 'docker/docker'],
    ['library/debian', 'docker.io/library/debian', 'debian'],
    ['debian', 'docker.io/library/debian', 'debian'],
    ['docker.io/docker/docker', 'docker.io/docker/docker', 'docker/docker'],
    ['docker.io/library/debian', 'docker.io/library/debian', 'debian'],
    ['docker.io/debian', 'docker.io/library/debian', 'debian'],
    ['index.docker.io/docker/docker', 'docker.io/docker/docker', 'docker/docker'],
    ['index.docker.io/library/debian', 'docker.io/library/debian', 'debian'],
    ['index.docker.io/debian', 'docker.io/library/debian', 'debian'],
    ['127.0.0.1:5000/docker/docker', '127.0.0.1:5000/docker/docker', '127.0.0.1:5000/docker/docker'],
    ['127.0.0.1:5000/debian', '127.0.0.1:5000/debian', '127.0.0.1:5000/debian'],
    ['localhost:8000/private/moonbase', 'localhost:8000/private/moonbase', 'localhost:8000/private/moonbase'],
    ['localhost/moonbase', 'localhost/moonbase', 'localhost/moonbase'],
    ['example.com/private/moonbase', 'example.com/private/moonbase', 'example.com/private/moonbase'],
    [`docker.io/${hex64('a')}`, `docker.io/library/${hex64('a')}`, hex64('a')],
    ['thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', 'docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev'],
    // findings §8 / conformance refs-odd: a bare host is a Docker Hub repository with a tag
    ['localhost:5000', 'docker.io/library/localhost:5000', 'localhost:5000'],
    ['example.com', 'docker.io/library/example.com', 'example.com'],
    ['EXAMPLE.com/foo', 'EXAMPLE.com/foo', 'EXAMPLE.com/foo'],
    ['ubuntu:latest', 'docker.io/library/ubuntu:latest', 'ubuntu:latest'],
  ])('%s → %s (familiar %s)', (input, full, familiar) => {
    const ref = parseNormalizedNamed(input);
    expect(ref.string()).toBe(full);
    expect(ref.familiar()).toBe(familiar);
  });

  it.each([
    ['https://github.com/docker/docker', 'invalid reference format'],
    ['docker/Docker', 'invalid reference format: repository name must be lowercase'],
    ['-docker', 'invalid reference format'],
    ['-docker/docker', 'invalid reference format'],
    ['-docker.io/docker/docker', 'invalid reference format'],
    ['docker///docker', 'invalid reference format'],
    ['docker.io/docker/Docker', 'invalid reference format: repository name must be lowercase'],
    ['docker.io/docker///docker', 'invalid reference format'],
    [hex64('a'), `invalid repository name (${hex64('a')}), cannot specify 64-byte hexadecimal strings`],
    // e2e findings §8 (skopeo 1.9.3)
    ['example.com/Foo', 'invalid reference format: repository name must be lowercase'],
    ['[::1]:5000/foo', 'invalid reference format'],
    ['example.com/foo@sha256:abc', 'invalid reference format'],
    ['', 'invalid reference format'],
  ])('%j fails: %s', (input, error) => {
    expect(tryParseNormalizedNamed(input)).toEqual({ ok: false, error });
  });

  it('throws ReferenceFormatError with the library text and the input', () => {
    try {
      parseNormalizedNamed('Bad/Ref');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ReferenceFormatError);
      expect((err as ReferenceFormatError).code).toBe('PP_ERR_REFERENCE');
      expect((err as ReferenceFormatError).input).toBe('Bad/Ref');
      expect((err as Error).message).toBe('invalid reference format: repository name must be lowercase');
    }
  });

  it('reports name() without tag or digest', () => {
    const ref = parseNormalizedNamed(`quay.io/org/app:1@sha256:${hex64('a')}`);
    expect(ref.name()).toBe('quay.io/org/app');
    expect(ref.trimmed().string()).toBe('quay.io/org/app');
  });
});

describe('tryParseNamed (canonical only, used by the rewriter)', () => {
  it.each(['docker.io/library/busybox', 'quay.io/org/app:1', `example.com/foo@sha256:${hex64('a')}`])('%s is canonical', (s) => {
    expect(parseNamed(s).string()).toBe(s);
  });
  it.each([
    ['busybox', 'repository name must be canonical'],
    ['docker.io/busybox', 'repository name must be canonical'],
    ['index.docker.io/library/busybox', 'repository name must be canonical'],
    ['example.com:5000:5000/image:latest', 'invalid reference format'],
    ['example.com/path//image:latest', 'invalid reference format'],
  ])('%s fails: %s', (s, error) => {
    expect(tryParseNamed(s)).toEqual({ ok: false, error });
  });
});

describe('the docker transport (docker://REF)', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['quay.io/org/app', 'quay.io/org/app:latest'],
    ['quay.io/org/app:1', 'quay.io/org/app:1'],
    [`quay.io/org/app@sha256:${hex64('a')}`, `quay.io/org/app@sha256:${hex64('a')}`],
  ])('%s → %s', (s, expected) => {
    expect(parseDockerReference(s).string()).toBe(expected);
  });
  it('refuses a tag with a digest (findings §8)', () => {
    expect(tryParseDockerReference(`example.com/foo:tag@sha256:${hex64('a')}`)).toEqual({ ok: false, error: ERR_BOTH_TAG_AND_DIGEST });
  });
});

describe('the domain/path split agrees with upstream anchoredNameRegexp', () => {
  it('on generated names', async () => {
    const { anchoredNameRegexp } = await import('../../src/reference/grammar.ts');
    const parts = ['a', 'a.b', 'a:5', 'localhost', 'a_b.com', 'x-y', 'A.b', 'a__b', 'a-', '1', 'a.b:50'];
    let checked = 0;
    for (const p1 of parts) for (const p2 of parts) for (const p3 of ['', ...parts]) {
      const name = p3 === '' ? `${p1}/${p2}` : `${p1}/${p2}/${p3}`;
      const r = tryParse(name);
      if (!r.ok) continue;
      const m = anchoredNameRegexp.exec(r.ref.name());
      expect([name, r.ref.domain, r.ref.path]).toEqual([name, m?.[1] ?? '', m?.[2] ?? r.ref.name()]);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
