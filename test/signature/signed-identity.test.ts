import { describe, expect, it } from 'vitest';
import { matchesSignedIdentity } from '../../src/signature/signed-identity.ts';
import type { JsonObject } from '../../src/policy/strict-json.ts';

const D = 'sha256:' + 'a'.repeat(64);
const id = (o: Record<string, string>) => o as unknown as JsonObject;

// Cases follow containers/image signature/policy_reference_match_test.go (v5.23.1) in spirit.
describe('matchesSignedIdentity', () => {
  it('matchRepoDigestOrExact (default): tag must be exact; digest pull only needs the repository', () => {
    expect(matchesSignedIdentity(undefined, 'quay.io/a/b:1', 'quay.io/a/b:1')).toBe(true);
    expect(matchesSignedIdentity(undefined, 'quay.io/a/b:1', 'quay.io/a/b:2')).toBe(false);
    expect(matchesSignedIdentity(undefined, `quay.io/a/b@${D}`, 'quay.io/a/b:anything')).toBe(true);
    expect(matchesSignedIdentity(undefined, `quay.io/a/b@${D}`, 'quay.io/a/c:1')).toBe(false);
    // a signature naming only the repository never matches
    expect(matchesSignedIdentity(undefined, `quay.io/a/b@${D}`, 'quay.io/a/b')).toBe(false);
    // normalization: busybox is docker.io/library/busybox
    expect(matchesSignedIdentity(undefined, 'docker.io/library/busybox:latest', 'busybox:latest')).toBe(true);
    // the mirror's name is not the pulled name
    expect(matchesSignedIdentity(undefined, 'quay.io/a/b:1', 'mirror.local:5000/a/b:1')).toBe(false);
  });
  it('matchExact needs identical tag/digest', () => {
    const m = id({ type: 'matchExact' });
    expect(matchesSignedIdentity(m, 'quay.io/a/b:1', 'quay.io/a/b:1')).toBe(true);
    expect(matchesSignedIdentity(m, `quay.io/a/b@${D}`, 'quay.io/a/b:1')).toBe(false);
    expect(matchesSignedIdentity(m, 'quay.io/a/b', 'quay.io/a/b')).toBe(false);
  });
  it('matchRepository compares names only', () => {
    const m = id({ type: 'matchRepository' });
    expect(matchesSignedIdentity(m, 'quay.io/a/b:1', 'quay.io/a/b:2')).toBe(true);
    expect(matchesSignedIdentity(m, 'quay.io/a/b:1', 'quay.io/a/bb:1')).toBe(false);
  });
  it('exactReference / exactRepository compare with the policy value, not the pulled name', () => {
    expect(matchesSignedIdentity(id({ type: 'exactReference', dockerReference: 'x.io/r:1' }), 'quay.io/a/b:1', 'x.io/r:1')).toBe(true);
    expect(matchesSignedIdentity(id({ type: 'exactReference', dockerReference: 'x.io/r' }), 'quay.io/a/b:1', 'x.io/r')).toBe(false);
    expect(matchesSignedIdentity(id({ type: 'exactRepository', dockerRepository: 'x.io/r' }), 'quay.io/a/b:1', 'x.io/r:7')).toBe(true);
    expect(matchesSignedIdentity(id({ type: 'exactRepository', dockerRepository: 'x.io/r' }), 'quay.io/a/b:1', 'x.io/s:7')).toBe(false);
  });
  it('remapIdentity rewrites the pulled name under prefix, then matchRepoDigestOrExact', () => {
    const m = id({ type: 'remapIdentity', prefix: 'mirror.local/ocp', signedPrefix: 'quay.io/openshift' });
    expect(matchesSignedIdentity(m, 'mirror.local/ocp/release:4.21', 'quay.io/openshift/release:4.21')).toBe(true);
    expect(matchesSignedIdentity(m, 'mirror.local/ocp/release:4.21', 'mirror.local/ocp/release:4.21')).toBe(false);
    // prefix must end at a '/' boundary: mirror.local/ocpx is not under mirror.local/ocp (kept as is)
    expect(matchesSignedIdentity(m, 'mirror.local/ocpx/r:1', 'quay.io/openshift/x/r:1')).toBe(false);
    expect(matchesSignedIdentity(m, 'mirror.local/ocpx/r:1', 'mirror.local/ocpx/r:1')).toBe(true);
    // "host" does not cover "host:port"
    const h = id({ type: 'remapIdentity', prefix: 'mirror.local', signedPrefix: 'quay.io' });
    expect(matchesSignedIdentity(h, 'mirror.local:5000/a/b:1', 'quay.io/a/b:1')).toBe(false);
    expect(matchesSignedIdentity(h, 'mirror.local/a/b:1', 'quay.io/a/b:1')).toBe(true);
  });
  it('unknown types and unparsable signature references never match', () => {
    expect(matchesSignedIdentity(id({ type: 'nope' }), 'quay.io/a/b:1', 'quay.io/a/b:1')).toBe(false);
    expect(matchesSignedIdentity(undefined, 'quay.io/a/b:1', 'Not A Ref')).toBe(false);
  });
});
