/** The pitfalls render/lint --openshift warn about for ClusterImagePolicy / ImagePolicy (issue 12). */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOpenShiftObjects } from '../../src/openshift/parse-objects.ts';
import { renderOpenShift } from '../../src/openshift/render.ts';
import { stockTemplates } from '../../src/openshift/templates.ts';

const F = join(import.meta.dirname, '../fixtures/openshift');
const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function cip(scopes: string[], extra = '', key = b64(pem)): string {
  return `apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata:
  name: p
spec:
  scopes: [${scopes.map((s) => JSON.stringify(s)).join(', ')}]
  policy:
    rootOfTrust:
      policyType: PublicKey
      publicKey:
        keyData: ${key}
${extra}`;
}
const image = (blocked: string[]): string =>
  `---\napiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    blockedRegistries: [${blocked.join(', ')}]\n`;
const render = (text: string, templates = stockTemplates()) => renderOpenShift(parseOpenShiftObjects([{ path: 'in.yaml', text }]), { templates });
const codes = (text: string, templates = stockTemplates()) => render(text, templates).warnings.map((w) => w.code);

describe('ClusterImagePolicy pitfalls', () => {
  it('a good key and nothing else: no warning (the 4.21 default policy included)', () => {
    expect(codes(cip(['quay.io/ns/app']))).toEqual([]);
    expect(codes(readFileSync(join(F, 'openshift-cip-4.21.yaml'), 'utf8'))).toEqual([]);
  });

  it('a public key that does not parse (the MCO test placeholder "test-key-data")', () => {
    const r = render(cip(['quay.io/ns/app'], '', b64('test-key-data')));
    expect(r.warnings.map((w) => [w.code, w.key])).toEqual([['image-policy-key-unparsable', 'spec.policy.rootOfTrust.publicKey.keyData']]);
    expect(r.errors).toEqual([]);
  });

  it('a RemapIdentity prefix outside every scope cannot match; one inside can', () => {
    const remap = (prefix: string) => `    signedIdentity:\n      matchPolicy: RemapIdentity\n      remapIdentity:\n        prefix: ${prefix}\n        signedPrefix: registry.redhat.io/ns\n`;
    expect(codes(cip(['mirror.corp/ns'], remap('quay.io/ns')))).toEqual(['image-policy-remap-cannot-match']);
    expect(codes(cip(['mirror.corp/ns'], remap('mirror.corp/ns/app')))).toEqual([]);
    expect(codes(cip(['mirror.corp/ns/app'], remap('mirror.corp')))).toEqual([]);
  });

  it('an invalid RemapIdentity prefix is the MCO error (NewPRMRemapIdentity), nothing rendered', () => {
    const r = render(cip(['quay.io/ns'], '    signedIdentity:\n      matchPolicy: RemapIdentity\n      remapIdentity:\n        prefix: quay.io/ns:tag\n        signedPrefix: quay.io/ns\n'));
    expect(r.errors.map((e) => e.message)).toEqual(['error getting signedIdentity for RemapIdentity: prefix "quay.io/ns:tag" is not valid']);
    expect(r.generated.policyJson).toBe(false);
  });

  it('a blocked registry inside a policy scope', () => {
    expect(codes(cip(['quay.io/ns']) + image(['quay.io/ns/bad']))).toEqual(['image-policy-blocked-inside-scope']);
  });

  it('mirrors the node has (template registries.conf) that the MCO gives no attachment config', () => {
    const templates = { ...stockTemplates(), registriesConf: '[[registry]]\nprefix = ""\nlocation = "quay.io/ns"\n[[registry.mirror]]\nlocation = "mirror.corp/ns"\n' };
    const r = render(cip(['quay.io/ns']), templates);
    expect(r.files.sigstoreRegistries).toBe('docker:\n  quay.io/ns:\n    use-sigstore-attachments: true\n');
    expect(r.warnings.map((w) => w.code)).toEqual(['image-policy-mirror-without-attachments']);
    expect(r.warnings[0]?.message).toContain('mirror.corp/ns serves scope quay.io/ns');
  });

  it('mirrors from an ImageDigestMirrorSet get attachments from the MCO itself: no warning', () => {
    const idms = '---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: m\nspec:\n  imageDigestMirrors:\n  - source: quay.io/ns\n    mirrors: [mirror.corp/ns]\n';
    const r = render(cip(['quay.io/ns']) + idms);
    expect(r.files.sigstoreRegistries).toContain('  mirror.corp/ns:\n');
    expect(r.warnings).toEqual([]);
  });

  it('v1alpha1 objects (4.16–4.19) render exactly as v1 ones; an ImagePolicy without a namespace is refused', () => {
    const v1 = render(cip(['quay.io/ns'])).files;
    const alpha = render(cip(['quay.io/ns']).replace('config.openshift.io/v1', 'config.openshift.io/v1alpha1')).files;
    expect(alpha).toEqual(v1);
    expect(() => render(cip(['quay.io/ns']).replace('ClusterImagePolicy', 'ImagePolicy'))).toThrow('metadata.namespace: an ImagePolicy is namespaced');
  });

  it('--ocp-version 4.16: attachments for the scopes only (mirrors came in 4.17, OCPBUGS-36344), so the mirror is flagged; 4.17 ignores ImagePolicy', () => {
    const idms = '---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: m\nspec:\n  imageDigestMirrors:\n  - source: quay.io/ns\n    mirrors: [mirror.corp/ns]\n';
    const o = parseOpenShiftObjects([{ path: 'in.yaml', text: cip(['quay.io/ns']) + idms }]);
    const old = renderOpenShift(o, { ocpVersion: '4.16' });
    expect(old.files.sigstoreRegistries).toBe('docker:\n  quay.io/ns:\n    use-sigstore-attachments: true\n');
    expect(old.warnings.map((w) => w.code)).toEqual(['image-policy-mirror-without-attachments']);
    expect(renderOpenShift(o, { ocpVersion: '4.17' }).files.sigstoreRegistries).toContain('  mirror.corp/ns:\n');
    const ns = parseOpenShiftObjects([{ path: 'in.yaml', text: cip(['quay.io/ns']).replace('ClusterImagePolicy', 'ImagePolicy').replace('name: p', 'name: p\n  namespace: team') }]);
    expect(renderOpenShift(ns, { ocpVersion: '4.17' }).files.namespacedPolicies ?? []).toEqual([]);
    expect(renderOpenShift(ns, { ocpVersion: '4.18' }).files.namespacedPolicies?.map((p) => p.path)).toEqual(['/etc/crio/policies/team.json']);
  });

  it('scopes the API server refuses are errors with its message (types_image_policy.go ImageScope rules)', () => {
    expect(() => render(cip(['busybox']))).toThrow("spec.scopes[0]: \"busybox\": invalid image scope format, scope must contain a fully qualified domain name or 'localhost'");
    expect(() => render(cip(['quay.io/*']))).toThrow('a wildcard can only be at the start of the domain');
    expect(() => render(cip(['quay.io/UPPER']))).toThrow('invalid repository namespace or image specification in the image scope');
    expect(render(cip(['localhost:5000/ns', '*.example.com', 'quay.io/ns/app:v1', `quay.io/ns/app@sha256:${'0'.repeat(64)}`])).errors).toEqual([]);
  });

  it('unknown fields in a ClusterImagePolicy are strict-decoding errors with did-you-mean', () => {
    expect(() => render(cip(['quay.io/ns']).replace('keyData:', 'keydata:'))).toThrow(
      'in.yaml:11: ClusterImagePolicy "p": strict decoding error: unknown field "spec.policy.rootOfTrust.publicKey.keydata" (did you mean "spec.policy.rootOfTrust.publicKey.keyData"?)',
    );
  });

  it('--ocp-version 4.15 ignores the objects (no SigstoreImageVerification), 4.16 notes the TechPreview gate (compact policy.json of its MCO)', () => {
    const o = parseOpenShiftObjects([{ path: 'in.yaml', text: cip(['quay.io/ns']) }]);
    const old = renderOpenShift(o, { ocpVersion: '4.15' });
    expect(old.generated.policyJson).toBe(false);
    expect(old.notes.some((n) => n.includes('did not exist before 4.16'))).toBe(true);
    const tp = renderOpenShift(o, { ocpVersion: '4.16' });
    expect(tp.files.policyJson).not.toContain('  ');
    expect(tp.files.policyJson).toContain('"sigstoreSigned"');
    expect(tp.notes.some((n) => n.includes('TechPreviewNoUpgrade'))).toBe(true);
  });
});
