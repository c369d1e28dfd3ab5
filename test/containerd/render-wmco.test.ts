import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOpenShiftObjects } from '../../src/openshift/index.ts';
import { renderWmcoHostsToml, uniqueMirrorPart } from '../../src/containerd/render-wmco.ts';
import { containerdSetupFromTexts, resolveContainerd } from '../../src/containerd/index.ts';

const path = 'test/fixtures/containerd/openshift/mirror-sets.yaml';
const objects = () => parseOpenShiftObjects([{ path, text: readFileSync(path, 'utf8') }]);

describe('render openshift --runtime containerd (the Windows Machine Config Operator)', () => {
  it('drops the path components a mirror shares with its source, from the end', () => {
    expect(uniqueMirrorPart('quay.io/a/b', 'm.local:5000/x/a/b')).toBe('m.local:5000/x');
    expect(uniqueMirrorPart('quay.io/a/b', 'm.local/b')).toBe('m.local');
    expect(uniqueMirrorPart('quay.io', 'quay.io')).toBe('quay.io');
  });

  it('one file per source host, mirrors merged (ITMS resolve wins) and sorted, NeverContactSource → server = first mirror', () => {
    const r = renderWmcoHostsToml(objects());
    expect(r.files.map((f) => f.path)).toEqual(['quay.io/hosts.toml', 'registry.example.com/hosts.toml']);
    expect(r.files[0]!.content).toBe(
      'server = "https://quay.io/v2"\n\noverride_path = true\n\n' +
        '[host."https://backup.local/v2"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n\n' +
        '[host."https://mirror.local:5000/v2/ocp4"]\n  capabilities = ["pull"]\n  override_path = true\n',
    );
    expect(r.files[1]!.content).toContain('server = "https://mirror.local:5000/v2/example"');
    expect(r.warnings.map((w) => w.code)).toContain('wmco-mirror-path-differs');
  });

  it('the rendered tree resolves as containerd would: digests through both mirrors, tags only through the ITMS mirror', () => {
    const r = renderWmcoHostsToml(objects());
    const hosts: Record<string, { path: string; text: string }> = {};
    for (const f of r.files) hosts[f.dir] = { path: `/k/${f.path}`, text: f.content };
    const setup = containerdSetupFromTexts({ hostsDirs: [{ dir: '/k', hosts }] });
    expect(setup.problems).toEqual([]);
    const ref = 'quay.io/openshift-release-dev/ocp-release';
    const dig = resolveContainerd(setup, `${ref}@sha256:${'b'.repeat(64)}`);
    expect(dig.sources.map((s) => s.location)).toEqual(['https://backup.local/v2', 'https://mirror.local:5000/v2/ocp4', 'https://quay.io/v2']);
    const tag = resolveContainerd(setup, `${ref}:4.16`);
    expect(tag.sources.map((s) => s.location)).toEqual(['https://backup.local/v2', 'https://quay.io/v2']);
  });
});
