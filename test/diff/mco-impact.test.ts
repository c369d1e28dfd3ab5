/**
 * The node impact as the MCO applies it, per release line: which action each changed node file gets, and
 * when a registries.conf change skips the drain (isSafeContainerRegistryConfChanges, as written for
 * 4.8–4.12 and for 4.13+). Examples follow the MCO's own cases (pkg/daemon/drain.go, update.go).
 */
import { describe, expect, it } from 'vitest';
import { nodeImpact, unsafeRegistriesConfChange } from '../../src/diff/mco-impact.ts';

const RC = '/etc/containers/registries.conf';
const files = (o: Record<string, string | null>) => new Map(Object.entries(o));

const icsp = `
[[registry]]
prefix = ""
location = "quay.io/org"
mirror-by-digest-only = true
[[registry.mirror]]
location = "m1.example.com/org"
`;
const idms = `
[[registry]]
prefix = ""
location = "quay.io/org"
[[registry.mirror]]
location = "m1.example.com/org"
pull-from-mirror = "digest-only"
`;

describe('registries.conf: drain or not (isSafeContainerRegistryConfChanges)', () => {
  it('4.13+: a digest-only mirror added is safe; a mirror without pull-from-mirror is not', () => {
    const added = idms + '[[registry.mirror]]\nlocation = "m2.example.com/org"\npull-from-mirror = "digest-only"\n';
    expect(unsafeRegistriesConfChange(idms, added, 99)).toBeNull();
    const plain = idms + '[[registry.mirror]]\nlocation = "m2.example.com/org"\n';
    expect(unsafeRegistriesConfChange(idms, plain, 99)).toMatch(/m2.example.com\/org added .* without pull-from-mirror/);
  });

  it('4.13+: a new registry with all mirrors digest-only is safe (an ImageDigestMirrorSet added)', () => {
    const more = idms + '[[registry]]\nprefix = ""\nlocation = "registry.redhat.io"\n[[registry.mirror]]\nlocation = "m.example.com/rh"\npull-from-mirror = "digest-only"\n';
    expect(unsafeRegistriesConfChange(idms, more, 99)).toBeNull();
  });

  it('a removed registry, a removed mirror, blocked and insecure changes are unsafe', () => {
    expect(unsafeRegistriesConfChange(idms, '', 99)).toMatch(/registry quay.io\/org removed/);
    expect(unsafeRegistriesConfChange(idms, idms.replace(/\[\[registry\.mirror\]\][^]*$/, ''), 99)).toMatch(/mirror m1.example.com\/org removed/);
    expect(unsafeRegistriesConfChange(idms, idms.replace('location = "quay.io/org"', 'location = "quay.io/org"\nblocked = true'), 99)).toMatch(/blocked changed/);
    expect(unsafeRegistriesConfChange(idms, idms.replace('location = "quay.io/org"', 'location = "quay.io/org"\ninsecure = true'), 99)).toMatch(/insecure changed/);
  });

  it('search registries: appending is safe, removing or reordering is not', () => {
    const one = 'unqualified-search-registries = ["a.example.com"]\n' + idms;
    const two = 'unqualified-search-registries = ["a.example.com", "b.example.com"]\n' + idms;
    const swapped = 'unqualified-search-registries = ["b.example.com", "a.example.com"]\n' + idms;
    expect(unsafeRegistriesConfChange(one, two, 99)).toBeNull();
    expect(unsafeRegistriesConfChange(two, one, 99)).toMatch(/search/);
    expect(unsafeRegistriesConfChange(two, swapped, 99)).toMatch(/search/);
  });

  it('4.8–4.12: mirrors added under mirror-by-digest-only are safe; pull-from-mirror does not count', () => {
    const added = icsp + '[[registry.mirror]]\nlocation = "m2.example.com/org"\n';
    expect(unsafeRegistriesConfChange(icsp, added, 12)).toBeNull();
    const idmsAdded = idms + '[[registry.mirror]]\nlocation = "m2.example.com/org"\npull-from-mirror = "digest-only"\n';
    expect(unsafeRegistriesConfChange(idms, idmsAdded, 12)).toMatch(/not mirror-by-digest-only/);
    // …and the same change is safe for 4.13+.
    expect(unsafeRegistriesConfChange(idms, idmsAdded, 13)).toBeNull();
  });

  it('4.8–4.12: an unchanged registry without mirror-by-digest-only makes any change unsafe', () => {
    const tagMirrors = icsp + '[[registry]]\nprefix = ""\nlocation = "docker.io"\n[[registry.mirror]]\nlocation = "m.example.com/hub"\n';
    const added = tagMirrors + '[[registry]]\nprefix = ""\nlocation = "ghcr.io"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.example.com/gh"\n';
    expect(unsafeRegistriesConfChange(tagMirrors, added, 12)).toMatch(/docker.io is not mirror-by-digest-only/);
    // 4.13+ looks at changed and added registries only: the IDMS form of the same addition is safe.
    const addedIdms = tagMirrors + '[[registry]]\nprefix = ""\nlocation = "ghcr.io"\n[[registry.mirror]]\nlocation = "m.example.com/gh"\npull-from-mirror = "digest-only"\n';
    expect(unsafeRegistriesConfChange(tagMirrors, addedIdms, 13)).toBeNull();
    expect(unsafeRegistriesConfChange(tagMirrors, addedIdms, 12)).toMatch(/not mirror-by-digest-only/);
  });
});

describe('node impact by file and release line', () => {
  const safe = idms + '[[registry.mirror]]\nlocation = "m2.example.com/org"\npull-from-mirror = "digest-only"\n';

  it('registries.conf with a safe change: CRI-O reload, no drain (4.8+); drain in 4.7; reboot in 4.6', () => {
    expect(nodeImpact(files({ [RC]: idms }), files({ [RC]: safe }), 'current')).toMatchObject({ action: 'reload', drain: false, reboot: false });
    expect(nodeImpact(files({ [RC]: idms }), files({ [RC]: safe }), '4.7')).toMatchObject({ action: 'drain-reload', drain: true, reboot: false });
    expect(nodeImpact(files({ [RC]: idms }), files({ [RC]: safe }), '4.6')).toMatchObject({ action: 'drain-reboot', reboot: true });
  });

  it('policy.json: reload from 4.10, reboot before', () => {
    const p = '/etc/containers/policy.json';
    expect(nodeImpact(files({ [p]: '{}' }), files({ [p]: '{ }' }), '4.10')!.action).toBe('reload');
    expect(nodeImpact(files({ [p]: '{}' }), files({ [p]: '{ }' }), '4.9')!.action).toBe('drain-reboot');
  });

  it('registries.d: reload from 4.16; /etc/crio/policies: reload from 4.18', () => {
    const rd = '/etc/containers/registries.d/default.yaml';
    expect(nodeImpact(files({ [rd]: 'a' }), files({ [rd]: 'b' }), '4.16')!.action).toBe('reload');
    expect(nodeImpact(files({ [rd]: 'a' }), files({ [rd]: 'b' }), '4.15')!.action).toBe('drain-reboot');
    const cp = '/etc/crio/policies/ns.json';
    expect(nodeImpact(files({ [cp]: 'a' }), files({ [cp]: 'b' }), '4.18')!.action).toBe('reload');
    expect(nodeImpact(files({ [cp]: 'a' }), files({ [cp]: 'b' }), '4.17')!.action).toBe('drain-reboot');
  });

  it('the search drop-in appearing is a drain and reboot on every release (no MCO rule names it)', () => {
    const s = '/etc/containers/registries.conf.d/01-image-searchRegistries.conf';
    const r = nodeImpact(files({ [RC]: idms, [s]: null }), files({ [RC]: idms, [s]: 'unqualified-search-registries = ["x.io"]\n' }), 'current')!;
    expect(r).toMatchObject({ action: 'drain-reboot', drain: true, reboot: true });
    expect(r.files).toEqual([expect.objectContaining({ path: s, change: 'added' })]);
  });

  it('the strongest action wins; identical bytes and paths only one side states are no change', () => {
    const p = '/etc/containers/policy.json';
    const r = nodeImpact(files({ [RC]: idms, [p]: '{}' }), files({ [RC]: idms + '[[registry]]\nlocation = "x.io"\nblocked = true\n', [p]: '{ }' }), 'current')!;
    expect(r.action).toBe('drain-reload');
    expect(r.files.map((f) => f.action)).toEqual(['reload', 'drain-reload']);
    expect(nodeImpact(files({ [RC]: idms }), files({ [RC]: idms, [p]: '{}' }), 'current')).toBeNull();
  });
});
