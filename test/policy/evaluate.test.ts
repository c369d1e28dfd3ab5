/** containers/image naming_test TestDockerReference and policy_eval_test (research §5.2–§5.4). */
import { describe, expect, it } from 'vitest';
import { parseNormalizedDockerRef, familiarString } from '../../src/policy/docker-reference.ts';
import { evaluatePolicy, policyIdentity, policyNamespaces } from '../../src/policy/evaluate.ts';
import { parsePolicy } from '../../src/policy/parse.ts';

describe('policy namespaces of a docker reference', () => {
  it.each([
    ['example.com/ns/repo', ['example.com/ns/repo', 'example.com/ns', 'example.com', '*.com']],
    ['example.com/repo', ['example.com/repo', 'example.com', '*.com']],
    ['localhost/ns/repo', ['localhost/ns/repo', 'localhost/ns', 'localhost']],
    ['localhost/repo', ['localhost/repo', 'localhost']],
    ['notlocalhost/repo', ['docker.io/notlocalhost/repo', 'docker.io/notlocalhost', 'docker.io', '*.io']],
    ['docker.io/repo', ['docker.io/library/repo', 'docker.io/library', 'docker.io', '*.io']],
    ['library/repo', ['docker.io/library/repo', 'docker.io/library', 'docker.io', '*.io']],
    ['repo', ['docker.io/library/repo', 'docker.io/library', 'docker.io', '*.io']],
    ['ns/repo', ['docker.io/ns/repo', 'docker.io/ns', 'docker.io', '*.io']],
    [
      'yet.another.example.com:8443/ns/repo',
      ['yet.another.example.com:8443/ns/repo', 'yet.another.example.com:8443/ns', 'yet.another.example.com:8443', '*.another.example.com', '*.example.com', '*.com'],
    ],
  ])('%s', (input, want) => {
    const ref = parseNormalizedDockerRef(input);
    expect(policyNamespaces(ref)).toEqual(want);
    expect(policyIdentity({ ...ref, tag: 'tag' })).toBe(`${want[0]}:tag`);
  });

  it('identity uses @digest for digested references', () => {
    const d = 'sha256:' + 'e'.repeat(64);
    expect(policyIdentity(parseNormalizedDockerRef(`quay.io/a/b@${d}`))).toBe(`quay.io/a/b@${d}`);
  });

  it('familiar form strips docker.io/library/', () => {
    expect(familiarString(parseNormalizedDockerRef('docker.io/library/busybox:1'))).toBe('busybox:1');
    expect(familiarString(parseNormalizedDockerRef('docker.io/ns/busybox'))).toBe('ns/busybox');
    expect(familiarString(parseNormalizedDockerRef('quay.io/ns/app:1'))).toBe('quay.io/ns/app:1');
  });
});

describe('scope selection (TestPolicyContextRequirementsForImageRef)', () => {
  const scopes = ['', 'unmatched', 'deep.com', '*.very.deep.com', '*.deep.com', 'deep.com/n1', 'deep.com/n1/n2', 'deep.com/n1/n2/n3', 'deep.com/n1/n2/n3/repo', 'deep.com/n1/n2/n3/repo:tag2'];
  const policy = parsePolicy(
    JSON.stringify({
      default: [{ type: 'reject' }],
      transports: {
        docker: Object.fromEntries(scopes.map((s) => [s, [{ type: 'insecureAcceptAnything' }]])),
        atomic: { unmatched: [{ type: 'insecureAcceptAnything' }] },
      },
    }),
    'policy.json',
  );
  it.each([
    ['deep.com/n1/n2/n3/repo:tag2', 'deep.com/n1/n2/n3/repo:tag2', 'identity'],
    ['deep.com/n1/n2/n3/repo:nottag2', 'deep.com/n1/n2/n3/repo', 'repository'],
    ['deep.com/n1/n2/n3/notrepo:tag2', 'deep.com/n1/n2/n3', 'namespace'],
    ['deep.com/n1/n2/notn3/repo:tag2', 'deep.com/n1/n2', 'namespace'],
    ['deep.com/n1/notn2/n3/repo:tag2', 'deep.com/n1', 'namespace'],
    ['deep.com/notn1/n2/n3/repo:tag2', 'deep.com', 'host'],
    ['very.deep.com/n1/n2/n3/repo:tag2', '*.deep.com', 'wildcard'],
    ['not.very.deep.com/n1/n2/n3/repo:tag2', '*.very.deep.com', 'wildcard'],
    ['this.does-not/match:anything', '', 'transport-default'],
  ])('docker %s → %j', (ref, scope, match) => {
    const v = evaluatePolicy(policy, ref);
    expect([v.scope, v.scopeMatch, v.allowed]).toEqual([scope, match, true]);
  });

  it('atomic has no "" scope: the global default decides', () => {
    const v = evaluatePolicy(policy, 'this.does-not/match:anything', { transport: 'atomic' });
    expect([v.scope, v.scopeMatch, v.allowed]).toEqual(['default', 'global-default', false]);
  });

  it('a transport without a section uses the global default', () => {
    expect(evaluatePolicy(policy, 'deep.com/x', { transport: 'dir' }).scope).toBe('default');
  });

  it('quay.io scope does not cover quay.io:5000 (exact keys, no prefix matching)', () => {
    const p = parsePolicy('{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io":[{"type":"insecureAcceptAnything"}]}}}', 'p');
    expect(evaluatePolicy(p, 'quay.io:5000/x/y:1').allowed).toBe(false);
    expect(evaluatePolicy(p, 'quay.io/x/y:1').allowed).toBe(true);
  });
});

describe('requirement evaluation (TestPolicyContextIsRunningImageAllowed)', () => {
  const signed = { type: 'signedBy', keyType: 'GPGKeys', keyPath: '/etc/pki/key.gpg' };
  const withReqs = (reqs: object[]) => parsePolicy(JSON.stringify({ default: reqs }), '/etc/containers/policy.json');

  it('[reject] denies with the runtime message', () => {
    const v = evaluatePolicy(withReqs([{ type: 'reject' }]), 'quay.io/foo/bar');
    expect(v.allowed).toBe(false);
    expect(v.message).toBe('Running image docker://quay.io/foo/bar:latest is rejected by policy.');
  });

  it('the rejection names the familiar form (docker://busybox:latest)', () => {
    expect(evaluatePolicy(withReqs([{ type: 'reject' }]), 'docker.io/library/busybox').message).toBe('Running image docker://busybox:latest is rejected by policy.');
  });

  it('[insecureAcceptAnything] allows', () => {
    const v = evaluatePolicy(withReqs([{ type: 'insecureAcceptAnything' }]), 'quay.io/foo/bar:1');
    expect(v.allowed).toBe(true);
    expect(v.scope).toBe('default');
  });

  it('[signedBy, signedBy] needs signatures: neither pass nor fail, and the verdict says so', () => {
    const v = evaluatePolicy(withReqs([signed, { ...signed, keyPath: '/etc/pki/other.gpg' }]), 'quay.io/foo/bar:1');
    expect(v.allowed).toBeNull();
    expect(v.requirements.map((r) => r.detail)).toEqual(['requires a valid signature (key /etc/pki/key.gpg)', 'requires a valid signature (key /etc/pki/other.gpg)']);
    expect(v.message).toContain('signatures were not checked');
  });

  it('[signedBy, reject] denies', () => {
    const v = evaluatePolicy(withReqs([signed, { type: 'reject' }]), 'quay.io/foo/bar:1');
    expect(v.allowed).toBe(false);
    expect(v.requirements.map((r) => r.outcome)).toEqual(['requires-signature', 'reject']);
  });

  it('signedBaseLayer always denies', () => {
    const v = evaluatePolicy(withReqs([{ type: 'signedBaseLayer', baseLayerIdentity: { type: 'matchRepository' } }]), 'quay.io/a/b:1');
    expect([v.allowed, v.message]).toEqual([false, 'signedBaseLayer not implemented yet!']);
  });

  it('signedBy with a non-GPG keyType is unimplemented and denies', () => {
    const v = evaluatePolicy(withReqs([{ ...signed, keyType: 'X509Certificates' }]), 'quay.io/a/b:1');
    expect([v.allowed, v.message]).toEqual([false, 'Unimplemented "keyType" value "X509Certificates"']);
  });

  it('sigstoreSigned is reported with its key', () => {
    const v = evaluatePolicy(withReqs([{ type: 'sigstoreSigned', keyPath: '/etc/cosign.pub' }]), 'quay.io/a/b:1');
    expect(v.allowed).toBeNull();
    expect(v.requirements[0]?.detail).toBe('requires a valid sigstore signature (key /etc/cosign.pub)');
  });

  it('references with both tag and digest are refused like the docker transport does', () => {
    expect(() => evaluatePolicy(withReqs([{ type: 'reject' }]), `quay.io/a/b:1@sha256:${'f'.repeat(64)}`)).toThrow(/both a tag and digest/);
  });
});
