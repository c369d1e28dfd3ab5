/** runtime-utils TestScopeIsNestedInsideScope / TestIsValidRegistriesConfScope values, quirks included (research §2.5). */
import { describe, expect, it } from 'vitest';
import { isValidRegistriesConfScope, MIRROR_REGEX, scopeIsNestedInsideScope, SOURCE_REGEX } from '../../src/openshift/scopes.ts';

describe('scopeIsNestedInsideScope', () => {
  it.each([
    ['quay.io', 'example.com', false],
    ['quay.io', 'quay.io', true],
    ['quay.io:443', 'quay.io', false],
    ['quay.io:443', 'quay.io:444', false],
    ['quay.io.example.com', 'quay.io', false],
    ['quay.io2', 'quay.io', false],
    ['quay.io/ns1', 'quay.io', true],
    ['quay.io/ns1/ns2/ns3', 'quay.io', true],
    ['quay.io/ns1/ns2/ns3', 'not-quay.io', false],
    ['bar/example.foo', '*.foo', false],
    ['example/bar.foo/quay.io', '*.foo', false],
    ['example/bar.foo:400', '*.foo', false],
    ['foo.example.com', '*.example.com', true],
    ['*.foo.example.com', '*.example.com', true],
    ['foo.example.com/bar', '*.example.com', true],
    ['foo.registry.com', '*.example.com', false],
    ['foo.example.com', '**.example.com', false],
    ['foo.example.com', 'example.*.com', false],
    ['foo.example.com', '*.example.com/foo/bar', false],
    ['foo.example.com:443/bar/baz', '*.example.com', true],
    ['foo.example.com:443/bar/baz', '*.example.com/bar/baz', false],
    ['foo.example.com', '*example.com', false],
    ['foo.example.com', '*/example.com', false],
    // [derived, port-checked] quirks
    ['example.com', '*.example.com', false],
    ['a.example.com/repo:latest', '*.example.com', false],
    ['a.example.com/repo', '*.example.com', true],
    ['reg4.io/myrepo/myapp:latest', 'reg4.io', true],
  ])('%s inside %s → %s', (sub, sup, want) => {
    expect(scopeIsNestedInsideScope(sub, sup)).toBe(want);
  });
});

describe('isValidRegistriesConfScope', () => {
  it.each([
    ['example.com', true],
    ['*.example.com', true],
    ['**.example.com', false],
    ['example.*.com', false],
    ['*.example.com/foo/bar', false],
    ['*.example.com:foo', false],
    ['*.example.com/foo:sha@bar', false],
    ['*.example.com.*.bar.com', false],
    ['*example.com', false],
    ['*/example.com', false],
    ['*.*example.com', false],
    ['', false],
    ['*.', true],
    ['reg1.io/myrepo/myapp:latest', true],
  ])('%j → %s', (scope, want) => {
    expect(isValidRegistriesConfScope(scope)).toBe(want);
  });
});

describe('source and mirror patterns (openshift/api, MCO sourceRegex/mirrorRegex)', () => {
  it.each([
    ['registry.redhat.io/ubi8', true, true],
    ['*.insecure.com', true, false],
    ['*.insecure.com/ns-i1', false, false],
    ['insecure.com/ns-i1 ', false, false],
    ['other.com/ns-o1  ', false, false],
    ['', false, false],
    ['localhost:5000/a/b', true, true],
    ['Quay.IO/ns', true, true],
    ['quay.io/NS', false, false],
    ['quay.io/ns:latest', false, false],
    ['quay.io/ns@sha256:' + 'a'.repeat(64), false, false],
  ])('%j: source %s, mirror %s', (s, asSource, asMirror) => {
    expect(SOURCE_REGEX.test(s)).toBe(asSource);
    expect(MIRROR_REGEX.test(s)).toBe(asMirror);
  });
});
