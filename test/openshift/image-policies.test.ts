/**
 * ClusterImagePolicy / ImagePolicy rendering against the MCO's own test vectors
 * (helpers_test.go at 7ff337a4: TestGeneratePolicyJSON, TestUpdateNamespacedPolicyJSONs, TestGetValidScopePolicies,
 * TestGenerateSigstoreRegistriesConfig, TestValidateClusterImagePolicyWithAllowedBlockedRegistries, TestUpdatePolicyJSON).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyItemFromSpec, validScopePolicies, validateWithAllowedBlocked, type ImagePolicyObject } from '../../src/openshift/image-policies.ts';
import { parseOpenShiftObjects } from '../../src/openshift/parse-objects.ts';
import { updateNamespacedPolicyJsons, updatePolicyJson } from '../../src/openshift/policy-json.ts';
import { renderOpenShift } from '../../src/openshift/render.ts';
import { sigstoreRegistriesYaml, yamlV2Compare, yamlV2Docker } from '../../src/openshift/sigstore-registries-d.ts';
import { editRegistriesConfig } from '../../src/openshift/edit-registries.ts';
import { emptyNodeConf } from '../../src/openshift/node-registries-conf.ts';

const DIR = join(import.meta.dirname, '../fixtures/openshift/mco-sigstore');
const read = (f: string): string => readFileSync(join(DIR, f), 'utf8');
/** The MCO test's template: json.NewEncoder(&buf).Encode(templateConfig) (compact, with a newline). */
const TEMPLATE = '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}\n';
const opts = { payloadRepo: 'release-reg.io/image/release', indent: true, filterAtomic: true };

function load(file: string): Map<string, ImagePolicyObject> {
  const o = parseOpenShiftObjects([{ path: file, text: read(file) }]);
  return new Map((o.imagePolicies ?? []).map((p) => [p.origin.name, p]));
}
const cip = load('cluster-image-policies.yaml');
const ip = load('image-policies.yaml');
const pick = (m: Map<string, ImagePolicyObject>, ...names: string[]): ImagePolicyObject[] => names.map((n) => m.get(n) as ImagePolicyObject);

describe('policy.json from ClusterImagePolicy (MCO TestGeneratePolicyJSON)', () => {
  it('FulcioCAWithRekor + RemapIdentity and PKI: the MCO bytes', () => {
    const { cluster } = validScopePolicies(pick(cip, 'test-cr0', 'test-cr3'));
    const got = updatePolicyJson(TEMPLATE, 't', [], [], { ...opts, clusterPolicies: cluster });
    expect(got).toBe(read('generate-policy-json.json'));
  });

  it('without any policy the template comes back unchanged', () => {
    expect(updatePolicyJson(TEMPLATE, 't', null, null, { ...opts, clusterPolicies: new Map() })).toBe(TEMPLATE);
  });

  it('"add ClusterImagePolicy CR to policy json": an allowed scope named by a policy gets only the sigstoreSigned requirement', () => {
    const { cluster } = validScopePolicies(pick(cip, 'test-cr0'));
    const got = JSON.parse(updatePolicyJson(TEMPLATE, 't', null, ['allow.io', 'test0.com'], { ...opts, clusterPolicies: cluster }));
    const sig = JSON.parse(read('generate-policy-json.json')).transports.docker['test0.com'];
    expect(got.default).toEqual([{ type: 'reject' }]);
    expect(got.transports.docker).toEqual({ 'allow.io': [{ type: 'insecureAcceptAnything' }], 'test0.com': sig });
    expect(got.transports.atomic).toEqual(got.transports.docker);
  });
});

describe('getValidScopePolicies (MCO TestGetValidScopePolicies)', () => {
  it('two cluster policies on one scope add up, in order', () => {
    const { cluster, namespaced } = validScopePolicies(pick(cip, 'test-cr0', 'test-cr1'));
    const r0 = policyItemFromSpec(cip.get('test-cr0')!.policy);
    const r1 = policyItemFromSpec(cip.get('test-cr1')!.policy);
    expect([...cluster.entries()]).toEqual([['test0.com', [r0, r1]], ['test1.com', [r1]]]);
    expect(namespaced.size).toBe(0);
  });

  it('an ImagePolicy scope inside a cluster scope is skipped, with the MCO status message', () => {
    const v = validScopePolicies([...pick(cip, 'test-cr0', 'test-cr1'), ...pick(ip, 'test-cr0')]);
    expect([...v.namespaced.keys()]).toEqual(['test2.com']);
    expect([...v.namespaced.get('test2.com')!.keys()]).toEqual(['testnamespace']);
    expect(v.conflicts[0]?.message).toBe(
      'has conflicting scope(s) ["test0.com"] that equal to or nest inside existing clusterimagepolicy, only policy from clusterimagepolicy scope(s) will be applied',
    );
  });
});

describe('per-namespace policies (MCO TestUpdateNamespacedPolicyJSONs)', () => {
  it('inherit the cluster policy.json and add their scopes: the MCO bytes per namespace', () => {
    const v = validScopePolicies([...pick(cip, 'test-cr0', 'test-cr1'), ...pick(ip, 'test-cr0', 'test-cr3', 'test-cr4')]);
    const clusterJson = updatePolicyJson(TEMPLATE, 't', [], [], { ...opts, clusterPolicies: v.cluster });
    expect(clusterJson).toBe(read('namespaced-cluster.json'));
    const got = updateNamespacedPolicyJsons(clusterJson, null, null, v.namespaced, { indent: true });
    expect(got.map(([ns]) => ns)).toEqual(['test-1-namespace', 'testnamespace']);
    expect(got[0]?.[1]).toBe(read('namespaced-test-1-namespace.json'));
    expect(got[1]?.[1]).toBe(read('namespaced-testnamespace.json'));
  });

  it('no ImagePolicy: no namespaced file', () => {
    expect(updateNamespacedPolicyJsons(TEMPLATE, null, null, new Map(), { indent: true })).toEqual([]);
  });
});

describe('validateImagePolicyWithAllowedBlockedRegistries (MCO TestValidateClusterImagePolicyWithAllowedBlockedRegistries)', () => {
  const cases: [string, string[], string[], string[] | null, string[] | null, string | null][] = [
    ['allowed and blocked registries are not set', ['example.com', 'test.registries.com'], ['exaple.app.com', 'testapp.registries.com'], null, null, null],
    ['success test allowed registries set', ['allowed.io/namespace1/policysigned', 'example.com'], ['allowed.io/namespace1/app/policysigned'], ['example.com', 'allowed.io/namespace1'], null, null],
    ['failure test allowed registries set', ['allowed.io/policysigned'], [], ['allowed.io/namespace1/namespace2'], null, 'clusterimagePolicy configured for the scope allowed.io/policysigned is not nested inside allowedRegistries'],
    ['success test blocked registries set', ['allowed.io/policysigned', 'blocked.io'], ['allowed.io/namespace1/app/policysigned', 'blocked.example.com/app/policysigned'], null, ['blocked.io/namespace1/namespace2', 'blocked.example.com/namespace1/namespace2'], null],
    ['failure test blocked registries set', ['blocker-reg.com/namespace1/policysigned'], [], null, ['blocked.io', 'blocker-reg.com/namespace1'], 'clusterimagePolicy configured for the scope blocker-reg.com/namespace1/policysigned is nested inside blockedRegistries'],
    ['imagepolicy failure test allowed registries set', [], ['allowed.io/app/policysigned'], ['allowed.io/namespace1/namespace2'], null, 'imagePolicy configured for the scope allowed.io/app/policysigned is not nested inside allowedRegistries'],
    ['imagepolicy failure test blocked registries set', [], ['blocked.io'], null, ['blocked.io', 'blocker-reg.com/namespace1'], 'imagePolicy configured for the scope blocked.io is nested inside blockedRegistries'],
  ];
  it.each(cases)('%s', (_n, cluster, ns, allowed, blocked, err) => {
    const run = (): void => validateWithAllowedBlocked(cluster, ns, allowed, blocked);
    if (err === null) expect(run).not.toThrow();
    else expect(run).toThrow(err);
  });

  it('render refuses a ClusterImagePolicy inside blockedRegistries and leaves the templates', () => {
    const o = parseOpenShiftObjects([{ path: 'c.yaml', text: read('cluster-image-policies.yaml') }]);
    o.image = { origin: { file: 'image.yaml', document: 0, kind: 'Image', name: 'cluster' }, registrySources: { insecureRegistries: null, blockedRegistries: ['test1.com'], allowedRegistries: null, containerRuntimeSearchRegistries: null } };
    const r = renderOpenShift(o);
    expect(r.errors.map((e) => [e.code, e.message])).toEqual([['image-policy', 'clusterimagePolicy configured for the scope test1.com is nested inside blockedRegistries']]);
    expect(r.generated.policyJson).toBe(false);
  });
});

describe('sigstore-registries.yaml (MCO TestGenerateSigstoreRegistriesConfig)', () => {
  const scopes = cip.get('test-cr2')!.scopes;
  const keys = (idms: [string, string[]][]): string[] | null => {
    let conf = null;
    if (idms.length > 0) {
      conf = emptyNodeConf();
      editRegistriesConfig(conf, { insecure: [], blocked: [], digestRules: idms.map(([source, mirrors]) => ({ source, mirrors, mirrorSourcePolicy: '' })), tagRules: [], legacyIcsp: false });
    }
    const y = sigstoreRegistriesYaml(scopes, conf);
    return y === null ? null : [...y.matchAll(/^ {2}'?([^\s']+)'?:$/gm)].map((m) => m[1] as string);
  };
  const sorted = (l: string[]): string[] => [...l].sort();
  const base = ['*.example.com', 'a.com/a1/a2', 'a.com/a1/a2@sha256:0000000000000000000000000000000000000000000000000000000000000000', 'foo.example.com/ns/repo', 'policy.scope'];
  it('cip objects exist, icsp/idms/itms are empty', () => expect(sorted(keys([])!)).toEqual(sorted(base)));
  it('cip has no relevant registries mirrors', () => expect(sorted(keys([['x.com/x1/x2', ['x-x1-x2.mirror/x1/x2']], ['y.com/y1/y2', ['y-y1-y2.mirror/y1/y2']]])!)).toEqual(sorted(base)));
  it('cip scope a.com/a1/a2 is super scope of registries sources', () =>
    expect(sorted(keys([['a.com/a1/a2', ['a-a1-a2.mirror/a1/a2']], ['a.com/a1/a2/a3', ['a-a1-a2-a3.mirror/m1/m2/m3']], ['a.com/a1/a2/a3-1', ['a-a1-a2-a3-1.mirror/m1/m2/m3']], ['x.com/x1/x2', ['x-x1-x2.mirror/m1/m2']]])!)).toEqual(
      sorted([...base, 'a-a1-a2-a3-1.mirror/m1/m2/m3', 'a-a1-a2-a3.mirror/m1/m2/m3', 'a-a1-a2.mirror/a1/a2', 'a.com/a1/a2/a3', 'a.com/a1/a2/a3-1']),
    ));
  it('cip scope a.com/a1/a2 nested in registries sources', () =>
    expect(sorted(keys([['a.com', ['a.mirror']], ['a.com/a1', ['a-a1.mirror/a1']], ['x.com/x1/x2', ['x-x1-x2.mirror/x1/x2']]])!)).toEqual(sorted([...base, 'a-a1.mirror/a1/a2'])));
  it('cip wildcard scope *.example.com is the mirror source', () =>
    expect(sorted(keys([['*.example.com', ['our.mirror/example']]])!)).toEqual(sorted([...base, 'our.mirror/example/ns/repo', 'our.mirror/example'])));
  it('cip scope *.example.com and mirror source have wildcard matching', () =>
    expect(sorted(keys([['a.example.com', ['a-example.mirror']], ['*.x.example.com', ['matched.example.mirror', 'star-x.example.mirror']], ['*.scope', ['start-scope.mirror']], ['x/x1/x2', ['x-x1-x2.mirror/x1/x2']]])!)).toEqual(
      sorted([...base, 'a-example.mirror', 'a.example.com', 'star-x.example.mirror', 'matched.example.mirror', 'start-scope.mirror']),
    ));
  it('no scopes: no file', () => expect(sigstoreRegistriesYaml([], null)).toBeNull());

  it('bytes as ghodss/yaml writes them: yaml.v2 key order, `*` scopes single-quoted', () => {
    expect(yamlV2Docker(base)).toBe(`docker:
  '*.example.com':
    use-sigstore-attachments: true
  a.com/a1/a2:
    use-sigstore-attachments: true
  a.com/a1/a2@sha256:0000000000000000000000000000000000000000000000000000000000000000:
    use-sigstore-attachments: true
  foo.example.com/ns/repo:
    use-sigstore-attachments: true
  policy.scope:
    use-sigstore-attachments: true
`);
  });

  it('yaml.v2 sorter: digit runs compare as numbers, letters after other characters', () => {
    expect(['reg10.io', 'reg9.io', 'reg-a.io', 'rega.io'].sort(yamlV2Compare)).toEqual(['reg-a.io', 'reg9.io', 'reg10.io', 'rega.io']);
  });
});
