/** Reading objects as `oc get -o yaml` writes them: multi-document files, kind: List, unrelated kinds. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { parseOpenShiftObjects } from '../../src/openshift/parse-objects.ts';
import { loadOpenShiftObjects } from '../../src/openshift/load-objects.ts';

const parse = (text: string) => parseOpenShiftObjects([{ path: 'in.yaml', text }]);

describe('parseOpenShiftObjects', () => {
  it('reads a kind: List with Image, IDMS and an unrelated ConfigMap (noted and skipped)', async () => {
    const o = await loadOpenShiftObjects(['test/fixtures/openshift/cluster-list.yaml']);
    expect(o.image?.registrySources.blockedRegistries).toEqual(['quay.io', 'untrusted.com']);
    expect(o.idms).toHaveLength(1);
    expect(o.idms[0]?.rules.map((r) => [r.source, r.mirrorSourcePolicy, r.key])).toEqual([
      ['quay.io/openshift-release-dev/ocp-release', '', 'items[1].spec.imageDigestMirrors[0]'],
      ['quay.io/openshift-release-dev/ocp-v4.0-art-dev', 'NeverContactSource', 'items[1].spec.imageDigestMirrors[1]'],
    ]);
    expect(o.notes).toEqual([expect.stringMatching(/ConfigMap "registry-cas" \(v1\) is not used for node registry files; skipped$/)]);
  });

  it('reads multi-document files, ITMS and the release image of a ClusterVersion', async () => {
    const o = await loadOpenShiftObjects(['test/fixtures/openshift/tag-mirrors.yaml']);
    expect(o.itms[0]?.rules[0]).toMatchObject({ source: 'docker.io/library', mirrors: ['mirror.local/dockerhub'] });
    expect(o.releaseImage).toBe('quay.io/openshift-release-dev/ocp-release@sha256:' + '0'.repeat(64));
  });

  it('reads every YAML file of a folder', async () => {
    const o = await loadOpenShiftObjects(['test/fixtures/openshift/dir']);
    expect(o.icsp.map((s) => s.origin.name)).toEqual(['ubi8repo']);
    expect(o.itms.map((s) => s.origin.file)).toEqual(['test/fixtures/openshift/dir/b-itms.yaml']);
  });

  it('ignores an Image not named cluster, with a note', () => {
    const o = parse('apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: other}\n');
    expect(o.image).toBeNull();
    expect(o.notes[0]).toContain('the MCO only reads the Image named "cluster"');
  });

  it('distinguishes an absent list from an empty one', () => {
    const o = parse('apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    insecureRegistries: []\n');
    expect(o.image?.registrySources.insecureRegistries).toEqual([]);
    expect(o.image?.registrySources.blockedRegistries).toBeNull();
  });

  it.each([
    ['mirrors is not a list', 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: x}\nspec:\n  imageDigestMirrors:\n  - source: a.com\n    mirrors: b.com\n', 'in.yaml: spec.imageDigestMirrors[0].mirrors: expected a list of strings'],
    ['bad mirrorSourcePolicy', 'apiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\nmetadata: {name: x}\nspec:\n  imageTagMirrors:\n  - source: a.com\n    mirrors: [b.com]\n    mirrorSourcePolicy: Never\n', 'in.yaml: spec.imageTagMirrors[0].mirrorSourcePolicy: expected NeverContactSource or AllowContactingSource, got "Never"'],
    ['a number in a registry list', 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    blockedRegistries: [5]\n', 'in.yaml: spec.registrySources.blockedRegistries[0]: expected a string, got 5'],
  ])('%s is an error naming file and key', (_n, text, want) => {
    expect(() => parse(text)).toThrow(want);
  });

  it('YAML syntax errors carry the line', () => {
    try {
      parse('kind: Image\nspec: [\n');
      throw new Error('expected failure');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(/^in\.yaml:\d+: YAML syntax error/);
    }
  });

  it('two Image "cluster" objects are refused', () => {
    const img = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\n';
    expect(() => parse(`${img}---\n${img}`)).toThrow(/a second Image named "cluster"/);
  });
});
