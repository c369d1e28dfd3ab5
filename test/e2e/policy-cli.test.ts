/** `pullpath policy …` end to end: verdicts and deciding scopes from a policy file or rendered OpenShift objects. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const F = 'test/fixtures/openshift';

const cli = (...args: string[]) => runCli(args, { timeoutMs: 20_000 });

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pullpath-policy-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('pullpath policy', () => {
  it('judges references on a policy file, naming the deciding scope', async () => {
    const p = join(tmp, 'policy.json');
    await writeFile(p, JSON.stringify({ default: [{ type: 'reject' }], transports: { docker: { 'quay.io/org': [{ type: 'insecureAcceptAnything' }], '*.example.com': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k.gpg' }] } } }));
    const r = await cli('policy', '--policy', p, 'quay.io/org/app:1', 'a.example.com/x/y@sha256:' + 'b'.repeat(64), 'busybox');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('quay.io/org/app:1: ALLOWED\n  decided by transports.docker["quay.io/org"] (namespace)');
    expect(r.stdout).toContain('SIGNATURE-REQUIRED\n  decided by transports.docker["*.example.com"] (wildcard)');
    expect(r.stdout).toContain('requires a valid signature (key /k.gpg)');
    expect(r.stdout).toContain('Running image docker://busybox:latest is rejected by policy.');
  });

  it('uses the rendered policy with --openshift and emits JSON Lines', async () => {
    const r = await cli('policy', '--openshift', `${F}/docs-insecure.yaml`, '--output', 'json', 'quay.io/a/b:1', 'docker.io/library/busybox');
    const v = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(v.map((x) => [x.type, x.image, x.normalized, x.verdict, x.scope])).toEqual([
      ['policy', 'quay.io/a/b:1', 'quay.io/a/b:1', 'allowed', 'quay.io'],
      ['policy', 'docker.io/library/busybox', 'docker.io/library/busybox:latest', 'rejected', 'default'],
    ]);
    expect(r.code).toBe(1);
  });

  it('an invalid policy.json exits 2 with the containers/image message', async () => {
    const p = join(tmp, 'bad.json');
    await writeFile(p, '{"default":[{"type":"insecureAcceptAnything"}],"transport":{}}');
    const r = await cli('policy', '--policy', p, 'busybox');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`invalid policy in "${p}": Unknown key "transport"`);
  });

  it('--namespace: a namespaced ImagePolicy stricter than the cluster policy decides for that namespace only', async () => {
    const D = `${F}/mco-sigstore`;
    const objects = ['--openshift', `${D}/image-policies.yaml`, '--openshift', `${D}/cluster-image-policies.yaml`];
    const cluster = await cli('policy', ...objects, 'test3.com/app:1');
    expect(cluster.stdout).toContain('test3.com/app:1: ALLOWED');
    const ns = await cli('policy', ...objects, '--namespace', 'test-1-namespace', 'test3.com/app:1');
    expect(ns.code).toBe(0);
    expect(ns.stdout).toContain('test3.com/app:1: SIGNATURE-REQUIRED');
    expect(ns.stdout).toContain('/etc/crio/policies/test-1-namespace.json (rendered from the ImagePolicy objects of namespace test-1-namespace)');
    // A namespace without ImagePolicy objects uses the cluster policy, as CRI-O does.
    const other = await cli('policy', ...objects, '--namespace', 'default', 'test3.com/app:1');
    expect(other.stdout).toContain('test3.com/app:1: ALLOWED');
    // resolve and pull take it too (config flags).
    const r = await cli('resolve', ...objects, '--namespace', 'test-1-namespace', 'test3.com/app:1');
    expect(r.stdout).toContain('needs a valid signature');
  });

  // The verification itself, against signing mocks, is in signatures-cli.test.ts.
  it('--check-signatures checks only where the verdict needs signatures, and only over the registry API', async () => {
    const p = join(tmp, 'accept.json');
    await writeFile(p, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    // Allowed without signatures: nothing to check, no network (the name does not resolve here).
    const r = await cli('policy', '--policy', p, '--check-signatures', '--registries-conf-dir', join(tmp, 'none.d'), 'registry.invalid/app:1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('registry.invalid/app:1: ALLOWED');
    expect(r.stdout).not.toContain('signatures:');
    const oci = await cli('policy', '--policy', p, '--check-signatures', '--transport', 'oci', 'x');
    expect(oci.code).toBe(2);
    expect(oci.stderr).toContain('only the docker transport');
  });
});
