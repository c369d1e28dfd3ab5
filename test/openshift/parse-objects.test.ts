/** Reading objects as `oc get -o yaml` writes them: multi-document files, kind: List, unrelated kinds. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { parseOpenShiftObjects } from '../../src/openshift/parse-objects.ts';
import { loadOpenShiftObjects } from '../../src/openshift/load-objects.ts';

const parse = (text: string) => parseOpenShiftObjects([{ path: 'in.yaml', text }]);
const IDMS = 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: m}\nspec:\n  imageDigestMirrors:\n  - source: a.com\n    mirrors: [b.com]\n';

/** The message of the ConfigError `f` throws. */
function failure(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

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
    const o = parse('apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: other}\n---\n' + IDMS);
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

  it('keeps the line of each object and rule (for provenance of rendered entries)', async () => {
    const o = await loadOpenShiftObjects(['test/fixtures/openshift/cluster-list.yaml']);
    expect(o.idms[0]?.origin).toMatchObject({ kind: 'ImageDigestMirrorSet', name: 'release', line: 16 });
    expect(o.idms[0]?.rules.map((r) => r.line)).toEqual([22, 25]);
    expect(o.image?.itemLines?.blockedRegistries).toEqual([14, 15]);
  });
});

describe('strict fields (kubectl --validate=strict)', () => {
  it('a misspelt spec.imageDigestMirror is an error with file:line, path and did-you-mean', () => {
    const text = 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: m\nspec:\n  imageDigestMirror:\n  - source: a.com\n    mirrors: [b.com]\n';
    const e = failure(() => parse(text));
    expect(e.message).toBe(
      'in.yaml:6: ImageDigestMirrorSet "m": strict decoding error: unknown field "spec.imageDigestMirror" (did you mean "spec.imageDigestMirrors"?)',
    );
    expect(e.line).toBe(6);
    expect(e.code).toBe('PP_ERR_OPENSHIFT_UNKNOWN_FIELD');
  });

  it.each([
    ['ImageTagMirrorSet rule key', 'apiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\nmetadata: {name: t}\nspec:\n  imageTagMirrors:\n  - source: a.com\n    mirror: [b.com]\n', 'in.yaml:7: ImageTagMirrorSet "t": strict decoding error: unknown field "spec.imageTagMirrors[0].mirror" (did you mean "spec.imageTagMirrors[0].mirrors"?)'],
    ['ICSP with an IDMS field', 'apiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata: {name: i}\nspec:\n  repositoryDigestMirrors:\n  - source: a.com\n    mirrors: [b.com]\n    mirrorSourcePolicy: NeverContactSource\n', 'in.yaml:8: ImageContentSourcePolicy "i": strict decoding error: unknown field "spec.repositoryDigestMirrors[0].mirrorSourcePolicy"'],
    ['Image registrySources typo', 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    blockedRegistry: [a.com]\n', 'in.yaml:6: Image "cluster": strict decoding error: unknown field "spec.registrySources.blockedRegistry" (did you mean "spec.registrySources.blockedRegistries"?)'],
    ['registrySources at the top of spec', 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  insecureRegistries: [a.com]\n', 'in.yaml:5: Image "cluster": strict decoding error: unknown field "spec.insecureRegistries"'],
    ['metadata typo', 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  nmae: m\nspec: {}\n', 'in.yaml:4: ImageDigestMirrorSet: strict decoding error: unknown field "metadata.nmae" (did you mean "metadata.name"?)'],
    ['top-level typo', 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: m}\nspecs: {}\n', 'in.yaml:4: ImageDigestMirrorSet "m": strict decoding error: unknown field "specs" (did you mean "spec"?)'],
    ['ClusterVersion spec typo', 'apiVersion: config.openshift.io/v1\nkind: ClusterVersion\nmetadata: {name: version}\nspec:\n  chanel: stable-4.16\n', 'in.yaml:5: ClusterVersion "version": strict decoding error: unknown field "spec.chanel" (did you mean "spec.channel"?)'],
  ])('%s', (_n, text, want) => {
    expect(failure(() => parse(text)).message).toBe(want);
  });

  it('inside a kind: List, names the item and lists every unknown field', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: config.openshift.io/v1\n  kind: ImageDigestMirrorSet\n  metadata: {name: m}\n  spec:\n    imageDigestMirror: []\n    extra: 1\n';
    expect(failure(() => parse(text)).message).toBe(
      'in.yaml:8: ImageDigestMirrorSet "m" (items[0]): strict decoding error: unknown field "spec.imageDigestMirror" (did you mean "spec.imageDigestMirrors"?)\n' +
        'in.yaml:9: ImageDigestMirrorSet "m" (items[0]): strict decoding error: unknown field "spec.extra"',
    );
  });

  it('accepts status, labels, annotations and the metadata oc writes', () => {
    const text = 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: m\n  uid: 1\n  resourceVersion: "2"\n  generation: 1\n  creationTimestamp: "2024-01-01T00:00:00Z"\n  labels: {anything: goes}\n  annotations: {a/b: c}\n  managedFields: [{manager: x}]\nspec:\n  imageDigestMirrors:\n  - source: a.com\n    mirrors: [b.com]\nstatus: {whatever: 1}\n';
    expect(parse(text).idms).toHaveLength(1);
  });

  it('unrelated kinds are not checked (only skipped with a note)', () => {
    const o = parse(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nbogus: 1\n---\n${IDMS}`);
    expect(o.notes[0]).toContain('ConfigMap "c"');
  });
});

describe('input without cluster objects', () => {
  it.each([
    ['an empty file', '', 'in.yaml: no cluster objects to render (expected image.config.openshift.io Image "cluster", ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy, ClusterVersion, or Proxy (with Network and Infrastructure) "cluster"); it holds no objects'],
    ['only a ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'found only ConfigMap "c" (v1)'],
    ['a wrong group', 'apiVersion: operator.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: m}\n', 'found only ImageDigestMirrorSet "m" (operator.openshift.io/v1)'],
    ['an empty List', 'apiVersion: v1\nkind: List\nitems: []\n', 'it holds no objects'],
  ])('%s is an error', (_n, text, want) => {
    const e = failure(() => parse(text));
    expect(e.code).toBe('PP_ERR_OPENSHIFT_NO_OBJECTS');
    expect(e.message).toContain(want);
  });

  it('a folder counts as a whole: one useful file is enough', () => {
    const o = parseOpenShiftObjects([
      { path: 'd/a.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', folder: 'd' },
      { path: 'd/b.yaml', text: IDMS, folder: 'd' },
    ]);
    expect(o.idms).toHaveLength(1);
    expect(() => parseOpenShiftObjects([{ path: 'd/a.yaml', text: 'kind: ConfigMap\n', folder: 'd' }])).toThrow(/^d: no cluster objects/);
  });
});
