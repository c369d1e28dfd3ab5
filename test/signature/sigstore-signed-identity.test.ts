// Tests of src/signature/signed-identity.ts as the sigstore verifier relies on it (policy_reference_match.go).
import { describe, expect, it } from 'vitest';
import { matchesSignedIdentity } from '../../src/signature/signed-identity.ts';

describe('matchesSignedIdentity', () => {
  it('matchRepoDigestOrExact (default): a tag pull needs the exact tag; a digest pull the repository; a name-only signature never', () => {
    expect(matchesSignedIdentity(undefined, 'quay.io/a/b:1', 'quay.io/a/b:1')).toBe(true);
    expect(matchesSignedIdentity(undefined, 'quay.io/a/b:1', 'quay.io/a/b:2')).toBe(false);
    expect(matchesSignedIdentity(undefined, `quay.io/a/b@sha256:${'a'.repeat(64)}`, 'quay.io/a/b:2')).toBe(true);
    expect(matchesSignedIdentity(undefined, 'quay.io/a/b:1', 'quay.io/a/b')).toBe(false);
  });
  it('matchExact needs the same string; matchRepository the same name; short names normalize', () => {
    expect(matchesSignedIdentity({ type: 'matchExact' }, `quay.io/a/b@sha256:${'a'.repeat(64)}`, 'quay.io/a/b:1')).toBe(false);
    expect(matchesSignedIdentity({ type: 'matchRepository' }, 'docker.io/library/busybox:1', 'busybox:latest')).toBe(true);
  });
  it('exactReference and exactRepository ignore the name pulled', () => {
    expect(matchesSignedIdentity({ type: 'exactReference', dockerReference: 'quay.io/x/y:1' }, 'mirror.local/z:9', 'quay.io/x/y:1')).toBe(true);
    expect(matchesSignedIdentity({ type: 'exactReference', dockerReference: 'quay.io/x/y' }, 'mirror.local/z:9', 'quay.io/x/y')).toBe(false);
    expect(matchesSignedIdentity({ type: 'exactRepository', dockerRepository: 'quay.io/x/y' }, 'mirror.local/z:9', 'quay.io/x/y:7')).toBe(true);
  });
  it('remapIdentity replaces the prefix only at a path boundary', () => {
    const rule = { type: 'remapIdentity', prefix: 'mirror.local/rh', signedPrefix: 'registry.redhat.io' };
    expect(matchesSignedIdentity(rule, 'mirror.local/rh/ubi9:1', 'registry.redhat.io/ubi9:1')).toBe(true);
    expect(matchesSignedIdentity(rule, 'mirror.local/rhx/ubi9:1', 'registry.redhat.iox/ubi9:1')).toBe(false);
  });
});
