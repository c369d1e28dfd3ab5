/**
 * Every command names rendered entries by the cluster object they come from (issue 11 item 4): resolve, lint
 * and policy, in text and JSON, never `/etc/containers/registries.conf:N` (a real, different file on the
 * user's machine).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'pullpath-os-prov-'));
const pullpath = (args: string[]) => runCli(args, { env: hermeticEnv(home) });
const F = 'test/fixtures/openshift/cluster-list.yaml';
const REF = 'quay.io/openshift-release-dev/ocp-release@sha256:' + 'a'.repeat(64);
const IDMS_RULE = `ImageDigestMirrorSet/release ${F}:22`;
const NODE_LINE = /\/etc\/containers\/registries\.conf:\d/;

describe('--openshift provenance', () => {
  it('resolve (text) names the IDMS rule and the Image list item, marked (rendered)', async () => {
    const r = await pullpath(['resolve', '--openshift', F, REF]);
    expect(r.stdout).toContain(`from ${IDMS_RULE}, Image/cluster ${F}:14 (rendered)`);
    expect(r.stdout).toContain(`mirror 1 of 1 of [[registry]] "quay.io/openshift-release-dev/ocp-release" (${IDMS_RULE} (rendered))`);
    expect(r.stdout).not.toMatch(NODE_LINE);
  });

  it('resolve --output json carries the same origin strings', async () => {
    const r = await pullpath(['resolve', '--openshift', F, '--output', 'json', REF]);
    const res = JSON.parse(r.stdout.trim().split('\n')[0]!);
    expect(res.registry.origin).toBe(`${IDMS_RULE}, Image/cluster ${F}:14 (rendered)`);
    expect(r.stdout).not.toMatch(NODE_LINE);
  });

  it('a blocked entry names the Image list item', async () => {
    const r = await pullpath(['resolve', '--openshift', F, 'untrusted.com/x:1']);
    expect(r.stdout).toContain(`blocked by [[registry]] "untrusted.com" (Image/cluster ${F}:15 (rendered))`);
  });

  it('lint names the object in text and JSON', async () => {
    const text = await pullpath(['lint', '--openshift', 'test/fixtures/openshift/docs-insecure.yaml']);
    expect(text.stdout).toMatch(/^Image\/cluster test\/fixtures\/openshift\/docs-insecure\.yaml:\d+ \(rendered\): warning PP_LINT_INSECURE_REMOTE/m);
    expect(text.stdout).toContain('in 1 file(s): /etc/containers/registries.conf (rendered)');
    expect(text.stdout).not.toMatch(NODE_LINE);
    const json = await pullpath(['lint', '--openshift', 'test/fixtures/openshift/docs-insecure.yaml', '--output', 'json']);
    const f = JSON.parse(json.stdout.trim().split('\n')[0]!);
    expect(f.file).toBe('test/fixtures/openshift/docs-insecure.yaml');
    expect(f.renderedFrom[0]).toMatchObject({ object: 'Image/cluster', file: 'test/fixtures/openshift/docs-insecure.yaml' });
  });

  it('policy and resolve name the rendered policy.json the same way', async () => {
    const p = await pullpath(['policy', '--openshift', F, '--output', 'json', 'untrusted.com/x:1']);
    const r = await pullpath(['resolve', '--openshift', F, 'docker.io/library/busybox:1']);
    const policyFile = JSON.parse(p.stdout.trim()).policyFile;
    expect(policyFile).toBe(`Image/cluster ${F}:14 (rendered)`);
    expect(r.stdout).toContain(`(${policyFile}: default: insecureAcceptAnything)`);
  });

  it('probe (text and JSON) names the object of a blocked entry it skips', async () => {
    // The one endpoint is loopback port 1 (refused at once): nothing leaves the machine.
    const objs = join(home, 'probe.yaml');
    writeFileSync(objs, 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    blockedRegistries:\n    - untrusted.com\n---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: release}\nspec:\n  imageDigestMirrors:\n  - source: untrusted.com/ocp\n    mirrors: [127.0.0.1:1/ocp]\n');
    const text = await pullpath(['probe', '--openshift', objs, '--timeout', '2']);
    expect(text.stdout).toContain(`skipped  untrusted.com: blocked in registries.conf (Image/cluster ${objs}:7 (rendered))`);
    const json = await pullpath(['probe', '--openshift', objs, '--timeout', '2', '--output', 'json']);
    const pass = json.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.type === 'pass');
    expect(pass.skipped[0].origin).toBe(`Image/cluster ${objs}:7 (rendered)`);
  });
});
