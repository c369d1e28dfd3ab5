/** MCO TestValidateRegistriesConfScopes and the §4 rules, in the MCO's order. */
import { describe, expect, it } from 'vitest';
import { renderOpenShift } from '../../src/openshift/render.ts';
import { objs, type Spec } from './helpers.ts';

const firstError = (spec: Spec, ocpVersion?: string): string | undefined =>
  renderOpenShift(objs(spec), ocpVersion ? { ocpVersion } : {}).errors[0]?.message;

describe('validation (research §4)', () => {
  it.each<[string, Spec, string]>([
    ['insecure ""', { insecure: [''] }, 'invalid entry for insecure registries ""'],
    ['blocked ""', { blocked: [''] }, 'invalid entry for blocked registries ""'],
    ['allowed ""', { allowed: [''] }, 'invalid entry for allowed registries ""'],
    ['IDMS source ""', { idms: [[['', ['m.com']]]] }, 'invalid format for source ""'],
    ['IDMS mirror ""', { idms: [[['s.com', ['']]]] }, 'invalid format for mirror ""'],
    ['ICSP wildcard source with a path', { icsp: [[['*.insecure.com/ns-i1', ['other.com/ns-o1']]]] }, 'invalid format for source "*.insecure.com/ns-i1"'],
    ['ICSP wildcard mirror', { icsp: [[['insecure.com/ns-i1', ['*.other.com/ns-o1']]]] }, 'invalid format for mirror "*.other.com/ns-o1"'],
    ['source with a trailing space', { icsp: [[['insecure.com/ns-i1 ', ['other.com/ns-o1']]]] }, 'invalid format for source "insecure.com/ns-i1 "'],
    ['mirror with trailing spaces', { icsp: [[['insecure.com/ns-i1', ['other.com/ns-o1  ']]]] }, 'invalid format for mirror "other.com/ns-o1  "'],
    [
      'ICSP (bad mirror) after IDMS NeverContactSource on the same source: the conflict comes first',
      { idms: [[['insecure.com/ns-i1', ['other.com/ns-o1'], 'NeverContactSource']]], icsp: [[['insecure.com/ns-i1', ['*.bad']]]] },
      'conflicting mirrorSourcePolicy is set for the same source "insecure.com/ns-i1" in imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies',
    ],
    [
      'IDMS and ITMS disagree on the policy',
      { idms: [[['registry-b.com', ['m1.com']]]], itms: [[['registry-b.com', ['m2.com'], 'NeverContactSource']]] },
      'conflicting mirrorSourcePolicy is set for the same source "registry-b.com" in imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies',
    ],
    [
      'a set with zero mirrors still records its policy',
      { idms: [[['s.com', [], 'NeverContactSource'], ['s.com', ['m.com']]]] },
      'conflicting mirrorSourcePolicy is set for the same source "s.com" in imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies',
    ],
    [
      'NeverContactSource with the source among the mirrors',
      { idms: [[['s.com/ns', ['m.com/ns', 's.com/ns'], 'NeverContactSource']]] },
      'cannot set mirrorSourcePolicy: NeverContactSource if the source "s.com/ns" is one of the mirrors',
    ],
    ['both allowed and blocked', { allowed: ['allow.io'], blocked: ['block.com'] }, 'invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified'],
    ['insecure is checked before blocked', { insecure: ['*bad'], blocked: [''] }, 'invalid entry for insecure registries "*bad"'],
    ['blocked is checked before mirror rules', { blocked: ['**.x'], idms: [[['', ['m.com']]]] }, 'invalid entry for blocked registries "**.x"'],
  ])('%s', (_name, spec, want) => {
    expect(firstError(spec)).toBe(want);
  });

  it('wildcard IDMS sources and wildcard insecure/blocked/allowed scopes are valid', () => {
    const r = renderOpenShift(
      objs({
        insecure: ['*.insecure-example.com'],
        blocked: ['*.blocked-example.com'],
        idms: [[['*.insecure.com', ['other.com/ns-o1']], ['insecure.com/ns-i1', ['other.com/ns-o1']]]],
      }),
    );
    expect(r.errors).toEqual([]);
    const a = renderOpenShift(objs({ allowed: ['*.allowed-example.com'] }));
    expect(a.errors).toEqual([]);
  });

  it('NeverContactSource without mirrors is accepted and ignored', () => {
    const r = renderOpenShift(objs({ idms: [[['s.com', [], 'NeverContactSource']]] }));
    expect(r.errors).toEqual([]);
    expect(r.files.registriesConf).not.toContain('s.com');
  });

  it('errors name the file and key of the offending value', () => {
    const r = renderOpenShift(objs({ idms: [[['ok.com', ['m.com']], ['s.com', ['BAD MIRROR']]]] }));
    expect(r.errors[0]).toMatchObject({ file: 'imagedigestmirrorset-0.yaml', key: 'spec.rules[1].mirrors[0]', code: 'invalid-mirror' });
  });

  it('every error is reported in MCO order, the first being the one the MCO logs', () => {
    const r = renderOpenShift(objs({ insecure: [''], blocked: [''], idms: [[['', []]]] }));
    expect(r.errors.map((e) => e.code)).toEqual(['invalid-scope', 'invalid-scope', 'invalid-source']);
  });

  it('with errors, the files are the untouched templates', () => {
    const r = renderOpenShift(objs({ insecure: [''], blocked: ['x.com'] }));
    expect(r.generated).toEqual({ registriesConf: false, policyJson: false });
  });

  it('--ocp-version 4.12 refuses ImageDigestMirrorSet and ImageTagMirrorSet', () => {
    expect(firstError({ idms: [[['s.com', ['m.com']]]] }, '4.12')).toMatch(/^ImageDigestMirrorSet "obj0" needs OpenShift 4.13 or later/);
  });
});

describe('documentation warnings (seed: OpenShift image configuration docs)', () => {
  const codes = (spec: Spec, releaseImage?: string) =>
    renderOpenShift(objs(spec), releaseImage ? { releaseImage } : {}).warnings.map((w) => `${w.code} ${w.key}`);

  it('allowedRegistries without registry.redhat.io, quay.io and the internal registry', () => {
    const got = renderOpenShift(objs({ allowed: ['example.com'] })).warnings.filter((w) => w.code === 'allowed-missing-payload-registry');
    expect(got.map((w) => w.message.split(':')[0])).toEqual([
      'allowedRegistries does not include registry.redhat.io',
      'allowedRegistries does not include quay.io',
      'allowedRegistries does not include image-registry.openshift-image-registry.svc',
    ]);
  });

  it('no payload warning when all three are allowed', () => {
    expect(codes({ allowed: ['registry.redhat.io', 'quay.io', 'image-registry.openshift-image-registry.svc:5000'] })).toEqual([]);
  });

  it('a release image outside allowedRegistries is flagged', () => {
    expect(codes({ allowed: ['registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000', 'quay.io/other'] }, 'quay.io/openshift-release-dev/ocp-release@sha256:' + 'c'.repeat(64))).toContain(
      'allowed-missing-release-image spec.registrySources.allowedRegistries',
    );
  });

  it('blocking quay.io or registry.redhat.io', () => {
    expect(codes({ blocked: ['quay.io', 'registry.redhat.io', 'ok.io'] })).toEqual([
      'blocked-payload-registry spec.registrySources.blockedRegistries[0]',
      'blocked-payload-registry spec.registrySources.blockedRegistries[1]',
    ]);
  });

  it('insecure external registries, not cluster-internal ones', () => {
    expect(codes({ insecure: ['insecure.com', 'registry.local', 'image-registry.openshift-image-registry.svc:5000', '10.0.0.5:5000'] })).toEqual([
      'insecure-external-registry spec.registrySources.insecureRegistries[0]',
    ]);
  });

  it('insecure registries missing from allowedRegistries', () => {
    const got = codes({ insecure: ['internal.local'], allowed: ['registry.redhat.io', 'quay.io', 'image-registry.openshift-image-registry.svc:5000'] });
    expect(got).toEqual(['insecure-not-allowed spec.registrySources.insecureRegistries[0]']);
  });

  it('public registries in containerRuntimeSearchRegistries', () => {
    expect(codes({ search: ['reg1.io', 'docker.io', 'quay.io'] })).toEqual([
      'public-search-registry spec.registrySources.containerRuntimeSearchRegistries[1]',
      'public-search-registry spec.registrySources.containerRuntimeSearchRegistries[2]',
    ]);
  });

  it('scopes with a tag are flagged (registries.conf never matches them)', () => {
    expect(codes({ blocked: ['reg1.io/myrepo/myapp:latest'] })).toEqual(['scope-with-tag spec.registrySources.blockedRegistries[0]']);
  });
});

describe('release-line profiles', () => {
  it('4.13–4.14 refused an ICSP next to an IDMS or ITMS (runtime-utils RejectMultiUpdateMirrorSetObjs)', () => {
    const spec: Spec = { icsp: [[['a.com', ['m.com']]]], idms: [[['b.com', ['m.com']]]], itms: [[['c.com', ['m.com']]]] };
    expect(renderOpenShift(objs(spec), { ocpVersion: '4.14' }).errors.map((e) => e.message)).toEqual([
      'error: both imagecontentsourcepolicy and imagedigestmirrorset exist',
      'error: both imagecontentsourcepolicy and imagetagmirrorset exist',
    ]);
    expect(renderOpenShift(objs(spec), { ocpVersion: '4.15' }).errors).toEqual([]);
  });

  it('4.13–4.16 write no additional-layer-store-auth-helper line and a compact policy.json', () => {
    const r = renderOpenShift(objs({ blocked: ['b.io'] }), { ocpVersion: '4.16' });
    expect(r.files.registriesConf.startsWith('unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\n\n[[registry]]')).toBe(true);
    expect(r.files.policyJson.startsWith('{"default":[{"type":"insecureAcceptAnything"}],"transports":{')).toBe(true);
  });
});
