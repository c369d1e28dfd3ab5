/** `pullpath render openshift …` end to end: the real entry point on fixture objects. */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const F = 'test/fixtures/openshift';
const RELEASE = 'quay.io/openshift-release-dev/ocp-release@sha256:' + 'a'.repeat(64);

const cli = (...args: string[]) => runCli(args, { timeoutMs: 20_000 });

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pullpath-render-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('pullpath render openshift', () => {
  it('prints the three files; notes and warnings go to stderr', async () => {
    const r = await cli('render', 'openshift', `${F}/cluster-list.yaml`, `${F}/docs-search.yaml`.replace('docs-search', 'tag-mirrors'), '--release-image', RELEASE);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('==> /etc/containers/registries.conf <==\nunqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\n');
    expect(r.stdout).toContain('  [[registry.mirror]]\n    location = "mirror.local/dockerhub"\n    pull-from-mirror = "tag-only"\n');
    expect(r.stdout).toContain('==> /etc/containers/policy.json <==\n{\n  "default": [');
    expect(r.stderr).toContain('note: test/fixtures/openshift/cluster-list.yaml (document 1, items[2]): ConfigMap "registry-cas"');
    expect(r.stderr).toContain('[blocked-payload-registry]');
  });

  it('--out writes the files under DIR at their node paths', async () => {
    const out = join(tmp, 'out');
    const r = await cli('render', 'openshift', `${F}/docs-search.yaml`, '--out', out);
    expect(r.code).toBe(0);
    expect(await readFile(join(out, 'etc/containers/registries.conf.d/01-image-searchRegistries.conf'), 'utf8')).toBe(
      'unqualified-search-registries = ["reg1.io", "reg2.io", "reg3.io"]\nshort-name-mode = ""\nadditional-layer-store-auth-helper = ""\n',
    );
    const policy = JSON.parse(await readFile(join(out, 'etc/containers/policy.json'), 'utf8'));
    expect(policy.default).toEqual([{ type: 'reject' }]);
    expect(await readFile(join(out, 'etc/containers/registries.conf'), 'utf8')).toBe("unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n");
    expect(r.stdout).toContain('(the template: the MCO leaves this file alone)');
  });

  it('--diff against a node root shows what would change (exit 1), and nothing once applied (exit 0)', async () => {
    const root = join(tmp, 'node');
    await mkdir(join(root, 'etc/containers'), { recursive: true });
    await writeFile(join(root, 'etc/containers/registries.conf'), "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n");
    const r = await cli('render', 'openshift', `${F}/docs-blocked.yaml`, '--diff', root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- a/etc/containers/registries.conf');
    expect(r.stdout).toContain('+++ b/etc/containers/registries.conf');
    expect(r.stdout).toContain('+  location = "untrusted.com"');
    expect(r.stdout).toContain('--- /dev/null\n+++ b/etc/containers/policy.json');
    await cli('render', 'openshift', `${F}/docs-blocked.yaml`, '--out', root);
    const again = await cli('render', 'openshift', `${F}/docs-blocked.yaml`, '--diff', root);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('no changes');
  });

  it('--diff: a node with only mirror objects keeps the MCO\'s 255-byte policy.json, so nothing changes (issue 11 item 6)', async () => {
    // The node's bytes, taken from the MCO template without our YAML parser: the lines after `inline: |`, unindented.
    const tpl = (await readFile(`${F}/mco-templates/policy.yaml`, 'utf8')).split('\n');
    const nodePolicy = tpl.slice(tpl.findIndex((l) => l.includes('inline: |')) + 1).map((l) => l.slice(4)).join('\n');
    expect(Buffer.byteLength(nodePolicy)).toBe(255);
    const root = join(tmp, 'node-mirrors-only');
    await cli('render', 'openshift', `${F}/tag-mirrors.yaml`, '--out', root);
    await writeFile(join(root, 'etc/containers/policy.json'), nodePolicy);
    const r = await cli('render', 'openshift', `${F}/tag-mirrors.yaml`, '--diff', root);
    expect(r.stdout).toContain('no changes');
    expect(r.code).toBe(0);
  });

  it('the 4.21 default "openshift" ClusterImagePolicy behind a mirror: sigstoreSigned in policy.json, attachments for the scope and its mirror', async () => {
    const idms = join(tmp, 'release-idms.yaml');
    await writeFile(
      idms,
      'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: release\nspec:\n  imageDigestMirrors:\n  - source: quay.io/openshift-release-dev/ocp-release\n    mirrors:\n    - mirror.corp.example:5000/ocp/release\n',
    );
    const root = join(tmp, 'node-cip');
    const r = await cli('render', 'openshift', `${F}/openshift-cip-4.21.yaml`, idms, '--release-image', RELEASE, '--out', root);
    expect(r.code).toBe(0);
    expect(await readFile(join(root, 'etc/containers/registries.d/sigstore-registries.yaml'), 'utf8')).toBe(
      'docker:\n  mirror.corp.example:5000/ocp/release:\n    use-sigstore-attachments: true\n  quay.io/openshift-release-dev/ocp-release:\n    use-sigstore-attachments: true\n',
    );
    const policy = JSON.parse(await readFile(join(root, 'etc/containers/policy.json'), 'utf8'));
    expect(policy.transports.docker['quay.io/openshift-release-dev/ocp-release'][0]).toMatchObject({ type: 'sigstoreSigned', signedIdentity: { type: 'matchRepoDigestOrExact' } });
    expect(policy.default).toEqual([{ type: 'insecureAcceptAnything' }]);
  });

  it('--diff covers sigstore-registries.yaml and /etc/crio/policies, including a namespace policy the render no longer makes', async () => {
    const root = join(tmp, 'node-ip');
    const ipFile = `${F}/mco-sigstore/image-policies.yaml`;
    await cli('render', 'openshift', ipFile, '--out', root);
    expect(await readFile(join(root, 'etc/crio/policies/testnamespace.json'), 'utf8')).toContain('"test4.com/ns-policy/repo"');
    const same = await cli('render', 'openshift', ipFile, '--diff', root);
    expect(same.stdout).toContain('no changes');
    expect(same.code).toBe(0);
    await writeFile(join(root, 'etc/crio/policies/gone.json'), '{}');
    const r = await cli('render', 'openshift', `${F}/mco-sigstore/cluster-image-policies.yaml`, '--diff', root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- a/etc/crio/policies/gone.json\n+++ /dev/null');
    expect(r.stdout).toContain('--- a/etc/crio/policies/testnamespace.json\n+++ /dev/null');
    expect(r.stdout).toContain('--- a/etc/containers/registries.d/sigstore-registries.yaml\n+++ b/etc/containers/registries.d/sigstore-registries.yaml');
  });

  it('lint --openshift reports image policy pitfalls as findings (JSON, --strict exits 1)', async () => {
    const r = await cli('lint', '--openshift', `${F}/mco-sigstore/cluster-image-policies.yaml`, '--output', 'json', '--strict');
    expect(r.code).toBe(1);
    const found = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(found.find((f) => f.code === 'PP_LINT_IMAGE_POLICY_REMAP_CANNOT_MATCH')).toMatchObject({
      severity: 'warning',
      file: `${F}/mco-sigstore/cluster-image-policies.yaml`,
      line: 3,
    });
    expect(found.filter((f) => f.code === 'PP_LINT_IMAGE_POLICY_KEY_UNPARSABLE').length).toBe(8);
    expect(r.stderr).not.toContain('remapIdentity prefix');
  });

  it('--ocp-version 4.12 writes the historical ICSP format', async () => {
    const r = await cli('render', 'openshift', `${F}/docs-icsp.yaml`, '--ocp-version', '4.12');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('short-name-mode = ""\n\n[[registry]]\n  prefix = ""\n  location = "registry.access.redhat.com/ubi8/ubi-minimal"\n  mirror-by-digest-only = true\n');
  });

  it('invalid objects exit 2 with file, key and the MCO message', async () => {
    const r = await cli('render', 'openshift', `${F}/invalid-idms.yaml`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: test/fixtures/openshift/invalid-idms.yaml:7: spec.imageDigestMirrors[0].mirrors[1]: cannot set mirrorSourcePolicy: NeverContactSource if the source "registry.example.com/team" is one of the mirrors [never-contact-source-is-mirror]',
    );
    expect(r.stdout).toBe('');
  });

  it('--output json emits one object per file and finding', async () => {
    const r = await cli('render', 'openshift', `${F}/docs-blocked.yaml`, '--output', 'json');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'file').map((l) => [l.path, l.generated])).toEqual([
      ['/etc/containers/registries.conf', true],
      ['/etc/containers/policy.json', true],
      ['/etc/containers/registries.conf.d/01-image-searchRegistries.conf', false],
      ['/etc/containers/registries.d/sigstore-registries.yaml', false],
    ]);
    expect(lines.some((l) => l.type === 'warning' && l.code === 'scope-with-tag')).toBe(true);
  });

  it('--template DIR starts from other base files', async () => {
    const tpl = join(tmp, 'tpl');
    await mkdir(tpl, { recursive: true });
    await writeFile(join(tpl, 'registries.conf'), 'unqualified-search-registries = ["quay.io"]\n');
    const r = await cli('render', 'openshift', `${F}/docs-blocked.yaml`, '--template', tpl);
    expect(r.stdout).toContain('==> /etc/containers/registries.conf <==\nunqualified-search-registries = ["quay.io"]\nshort-name-mode = ""\n');
  });

  it('a misspelt field is an error with file:line and did-you-mean, in render and lint (issue 11 item 5)', async () => {
    const want = `${F}/typo-idms.yaml:7: ImageDigestMirrorSet "release": strict decoding error: unknown field "spec.imageDigestMirror" (did you mean "spec.imageDigestMirrors"?)`;
    for (const args of [['render', 'openshift', `${F}/typo-idms.yaml`], ['lint', '--openshift', `${F}/typo-idms.yaml`]]) {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(want);
    }
  });

  it('a file holding no cluster objects is an error, not the stock templates', async () => {
    const cm = join(tmp, 'configmap.yaml');
    await writeFile(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    const r = await cli('render', 'openshift', cm);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cm}: no cluster objects to render`);
    expect(r.stdout).toBe('');
  });

  it('bad usage exits 2', async () => {
    expect((await cli('render', 'kubernetes', 'x.yaml')).code).toBe(2);
    expect((await cli('render', 'openshift')).code).toBe(2);
    expect((await cli('render', 'openshift', `${F}/docs-icsp.yaml`, '--ocp-version', '3.11')).code).toBe(2);
    expect((await cli('render', 'openshift', 'no/such/file.yaml')).stderr).toContain('no/such/file.yaml: no such file or directory');
  });
});
