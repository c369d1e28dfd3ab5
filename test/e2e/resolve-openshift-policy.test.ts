/**
 * `resolve --openshift` and `--policy`: pulls resolved straight from cluster objects (rendered in memory as the
 * MCO renders them), each verdict carrying the policy decision and the scope that decided it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'pullpath-resolve-os-'));
const DIGEST = 'sha256:' + 'a'.repeat(64);

const pullpath = (args: string[]) => runCli(args, { env: hermeticEnv(home) });
const lines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l));

describe('resolve --openshift', () => {
  it('resolves through the ImageContentSourcePolicy mirrors (digest only) as a node would', async () => {
    const r = await pullpath(['resolve', '--openshift', 'test/fixtures/openshift/docs-icsp.yaml', '--output', 'json',
      `docker://registry.redhat.io/openshift4/foo@${DIGEST}`, 'docker://registry.redhat.io/openshift4/foo:1']);
    expect(r.code).toBe(0);
    const [byDigest, byTag] = lines(r.stdout);
    expect(byDigest.sources.map((s: { reference: string }) => s.reference)).toEqual([
      `mirror.example.com/redhat/foo@${DIGEST}`,
      `registry.redhat.io/openshift4/foo@${DIGEST}`,
    ]);
    expect(byTag.sources.map((s: { reference: string }) => s.reference)).toEqual(['registry.redhat.io/openshift4/foo:1']);
    expect(byTag.skipped[0].location).toBe('mirror.example.com/redhat');
  });

  it('judges each reference by the rendered policy.json (allowedRegistries) and exits 1 on a rejection', async () => {
    const r = await pullpath(['resolve', '--openshift', 'test/fixtures/openshift/docs-allowed.yaml', '--output', 'json',
      'docker://quay.io/org/app:1', 'docker://docker.io/library/busybox:1', 'docker://reg1.io/myrepo/myapp:latest']);
    expect(r.code).toBe(1);
    const [quay, hub, exact] = lines(r.stdout);
    expect(quay.policy).toMatchObject({ allowed: true, scope: 'quay.io' });
    expect(hub.policy).toMatchObject({ allowed: false, scope: 'default' });
    expect(hub.policy.message).toBe('Running image docker://busybox:1 is rejected by policy.');
    expect(exact.policy).toMatchObject({ allowed: true, scope: 'reg1.io/myrepo/myapp:latest' });
  });

  it('the 4.21 default "openshift" ClusterImagePolicy: the release payload needs a signature, other images stay allowed (issue 12)', async () => {
    const cip = 'test/fixtures/openshift/openshift-cip-4.21.yaml';
    const payload = `quay.io/openshift-release-dev/ocp-release@${DIGEST}`;
    const r = await pullpath(['policy', '--openshift', cip, '--output', 'json', payload, 'quay.io/other/app:1']);
    expect(r.code).toBe(0);
    const [release, other] = lines(r.stdout);
    expect(release).toMatchObject({ verdict: 'signature-required', allowed: null, scope: 'quay.io/openshift-release-dev/ocp-release' });
    expect(release.requirements).toEqual([{ type: 'sigstoreSigned', outcome: 'requires-signature', detail: 'requires a valid sigstore signature (key inline keyData)' }]);
    expect(other).toMatchObject({ allowed: true, scope: 'default' });
    const res = await pullpath(['resolve', '--openshift', cip, '--output', 'json', `docker://${payload}`]);
    expect(lines(res.stdout)[0].policy).toMatchObject({ allowed: null, scope: 'quay.io/openshift-release-dev/ocp-release' });
    const text = await pullpath(['policy', '--openshift', cip, payload]);
    expect(text.stdout).toContain('in ClusterImagePolicy/openshift test/fixtures/openshift/openshift-cip-4.21.yaml:14 (rendered)');
  });

  it('refuses --openshift together with --registries-conf (exit 2)', async () => {
    const conf = join(home, 'r.conf');
    writeFileSync(conf, '');
    const r = await pullpath(['resolve', '--openshift', 'test/fixtures/openshift/docs-icsp.yaml', '--registries-conf', conf, 'docker://quay.io/x:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--registries-conf cannot be combined with --openshift');
  });
});

describe('resolve --policy', () => {
  it('names the deciding scope in text output; a signedBy requirement is reported, not silently passed', async () => {
    const policy = join(home, 'policy.json');
    writeFileSync(policy, JSON.stringify({
      default: [{ type: 'reject' }],
      transports: { docker: {
        'quay.io/signed': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/etc/pki/key.gpg' }],
        'quay.io': [{ type: 'insecureAcceptAnything' }],
      } },
    }));
    const conf = join(home, 'empty.conf');
    writeFileSync(conf, '');
    const r = await pullpath(['resolve', '--registries-conf', conf, '--registries-conf-dir', home, '--policy', policy,
      'docker://quay.io/signed/app:1', 'docker://quay.io/other/app:1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('policy (judged on the logical reference): needs a valid signature (not checked) by scope "quay.io/signed"');
    expect(r.stdout).toContain('policy (judged on the logical reference): allowed by scope "quay.io"');
  });
});
