/**
 * registries.conf rendering, byte for byte, against the worked examples of research §2.7 (runtime-utils
 * TestEditRegistriesConfig and MCO TestUpdateRegistriesConfig `want` values, laid out as BurntSushi writes them).
 */
import { describe, expect, it } from 'vitest';
import { renderOpenShift } from '../../src/openshift/render.ts';
import { HEADER, objs, type Spec } from './helpers.ts';

const reg = (location: string, extra = ''): string => `\n[[registry]]\n  prefix = ""\n  location = "${location}"\n${extra}`;
const wild = (prefix: string, extra = ''): string => `\n[[registry]]\n  prefix = "${prefix}"\n${extra}`;
const mirror = (location: string, pull: string, insecure = false): string =>
  `\n  [[registry.mirror]]\n    location = "${location}"\n${insecure ? '    insecure = true\n' : ''}    pull-from-mirror = "${pull}"\n`;
const INS = '  insecure = true\n';
const BLK = '  blocked = true\n';

function render(spec: Spec, releaseImage?: string): string {
  const r = renderOpenShift(objs(spec), releaseImage ? { releaseImage } : {});
  expect(r.errors).toEqual([]);
  return r.files.registriesConf;
}

const E2_INPUT = {
  insecure: ['insecure.com', '*.insecure-example.com', '*.insecure.blocked-example.com'],
  blocked: ['blocked.com', '*.blocked.insecure-example.com', '*.blocked-example.com'],
};
const E2_RULES: [string, string[]][] = [
  ['insecure.com/ns-i1', ['blocked.com/ns-b1', 'other.com/ns-o1']],
  ['blocked.com/ns-b/ns2-b', ['other.com/ns-o2', 'insecure.com/ns-i2']],
  ['other.com/ns-o3', ['insecure.com/ns-i2', 'blocked.com/ns-b/ns3-b', 'foo.insecure-example.com/bar']],
];
const E2_TAIL =
  reg('blocked.com', BLK) +
  wild('*.blocked.insecure-example.com', INS + BLK) +
  wild('*.blocked-example.com', BLK) +
  reg('insecure.com', INS) +
  wild('*.insecure-example.com', INS) +
  wild('*.insecure.blocked-example.com', INS + BLK);
const E2 =
  HEADER +
  reg('blocked.com/ns-b/ns2-b', BLK) + mirror('other.com/ns-o2', 'digest-only') + mirror('insecure.com/ns-i2', 'digest-only', true) +
  reg('insecure.com/ns-i1', INS) + mirror('blocked.com/ns-b1', 'digest-only') + mirror('other.com/ns-o1', 'digest-only') +
  reg('other.com/ns-o3') + mirror('insecure.com/ns-i2', 'digest-only', true) + mirror('blocked.com/ns-b/ns3-b', 'digest-only') +
  mirror('foo.insecure-example.com/bar', 'digest-only', true) +
  E2_TAIL;

describe('registries.conf rendering (research §2.7)', () => {
  it('E1: insecure and blocked scopes, blocked entries first, shared entry gets both flags', () => {
    const want =
      HEADER +
      reg('blocked.com', BLK) + reg('common.com', INS + BLK) + reg('docker.io', BLK) +
      reg('registry.access.redhat.com', INS) + reg('insecure.com', INS);
    expect(render({ insecure: ['registry.access.redhat.com', 'insecure.com', 'common.com'], blocked: ['blocked.com', 'common.com', 'docker.io'] })).toBe(want);
  });

  it('E2: ICSP with wildcard insecure/blocked scopes flags mirrors under insecure scopes, not under blocked ones', () => {
    expect(render({ ...E2_INPUT, icsp: [E2_RULES] })).toBe(E2);
  });

  it('E2 (IDMS variant) renders the same bytes', () => {
    expect(render({ ...E2_INPUT, idms: [E2_RULES] })).toBe(E2);
  });

  it('E3: ITMS mirrors are tag-only', () => {
    const want =
      HEADER + reg('registry-a.com') + mirror('mirror-tag-1.registry-a.com', 'tag-only') + reg('registry-b.com') + mirror('mirror-tag-1.registry-b.com', 'tag-only');
    expect(render({ itms: [[['registry-a.com', ['mirror-tag-1.registry-a.com']], ['registry-b.com', ['mirror-tag-1.registry-b.com']]]] })).toBe(want);
  });

  it('E4: digest mirrors come before tag mirrors on a shared entry', () => {
    const d = (r: string): [string, string[]] => [`registry-${r}.com`, [`mirror-digest-1.registry-${r}.com`, `mirror-digest-2.registry-${r}.com`]];
    const t = (r: string): [string, string[]] => [`registry-${r}.com`, [`mirror-tag-1.registry-${r}.com`, `mirror-tag-2.registry-${r}.com`]];
    const entry = (r: string): string =>
      reg(`registry-${r}.com`) +
      mirror(`mirror-digest-1.registry-${r}.com`, 'digest-only') + mirror(`mirror-digest-2.registry-${r}.com`, 'digest-only') +
      mirror(`mirror-tag-1.registry-${r}.com`, 'tag-only') + mirror(`mirror-tag-2.registry-${r}.com`, 'tag-only');
    expect(render({ idms: [[d('a'), d('b')]], itms: [[t('a'), t('b')]] })).toBe(HEADER + entry('a') + entry('b'));
  });

  it('E5: NeverContactSource blocks the source (runtime-utils level; MCO validation rejects the mixed input)', async () => {
    const { editRegistriesConfig } = await import('../../src/openshift/edit-registries.ts');
    const { emptyNodeConf } = await import('../../src/openshift/node-registries-conf.ts');
    const { encodeRegistriesConf } = await import('../../src/openshift/toml-encode.ts');
    const conf = emptyNodeConf();
    conf.unqualifiedSearchRegistries = ['registry.access.redhat.com', 'docker.io'];
    const d = (r: string, p: '' | 'NeverContactSource' = '') => ({ source: `registry-${r}.com`, mirrors: [`mirror-digest-1.registry-${r}.com`, `mirror-digest-2.registry-${r}.com`], mirrorSourcePolicy: p });
    editRegistriesConfig(conf, {
      insecure: [],
      blocked: [],
      digestRules: [d('a', 'NeverContactSource'), d('b'), d('c')],
      tagRules: [{ source: 'registry-b.com', mirrors: ['mirror-tag-1.registry-b.com', 'mirror-tag-2.registry-b.com'], mirrorSourcePolicy: 'NeverContactSource' }],
      legacyIcsp: false,
    });
    const want =
      HEADER +
      reg('registry-a.com', BLK) + mirror('mirror-digest-1.registry-a.com', 'digest-only') + mirror('mirror-digest-2.registry-a.com', 'digest-only') +
      reg('registry-b.com', BLK) + mirror('mirror-digest-1.registry-b.com', 'digest-only') + mirror('mirror-digest-2.registry-b.com', 'digest-only') +
      mirror('mirror-tag-1.registry-b.com', 'tag-only') + mirror('mirror-tag-2.registry-b.com', 'tag-only') +
      reg('registry-c.com') + mirror('mirror-digest-1.registry-c.com', 'digest-only') + mirror('mirror-digest-2.registry-c.com', 'digest-only');
    expect(encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: true })).toBe(want);
  });

  it('E6: insecure/blocked scopes inside a mirrored source get the parent mirrors with the suffix appended', () => {
    const want =
      HEADER +
      reg('primary.com/top') + mirror('mirror.com/primary', 'digest-only') + mirror('mirror-tag.com/primary', 'tag-only') +
      reg('primary.com/top/insecure/more-specific', INS) + mirror('mirror.com/more-specific', 'digest-only') + mirror('mirror-tag.com/more-specific', 'tag-only') +
      reg('primary.com/top/blocked', BLK) + mirror('mirror.com/primary/blocked', 'digest-only') + mirror('mirror-tag.com/primary/blocked', 'tag-only') +
      reg('primary.com/top/insecure', INS) + mirror('mirror.com/primary/insecure', 'digest-only') + mirror('mirror-tag.com/primary/insecure', 'tag-only');
    const got = render({
      insecure: ['primary.com/top/insecure'],
      blocked: ['primary.com/top/blocked'],
      idms: [[['primary.com/top', ['mirror.com/primary']], ['primary.com/top/insecure/more-specific', ['mirror.com/more-specific']]]],
      itms: [[['primary.com/top', ['mirror-tag.com/primary']], ['primary.com/top/insecure/more-specific', ['mirror-tag.com/more-specific']]]],
    });
    expect(got).toBe(want);
  });

  it('E6 (ICSP-only variant) is the same without the tag mirrors', () => {
    const want =
      HEADER +
      reg('primary.com/top') + mirror('mirror.com/primary', 'digest-only') +
      reg('primary.com/top/insecure/more-specific', INS) + mirror('mirror.com/more-specific', 'digest-only') +
      reg('primary.com/top/blocked', BLK) + mirror('mirror.com/primary/blocked', 'digest-only') +
      reg('primary.com/top/insecure', INS) + mirror('mirror.com/primary/insecure', 'digest-only');
    const got = render({
      insecure: ['primary.com/top/insecure'],
      blocked: ['primary.com/top/blocked'],
      icsp: [[['primary.com/top', ['mirror.com/primary']], ['primary.com/top/insecure/more-specific', ['mirror.com/more-specific']]]],
    });
    expect(got).toBe(want);
  });

  it('E7: ICSP and IDMS for the same source merge into one entry; independent roots are ordered alphabetically', () => {
    const idms: [string, string[]][] = [
      ['insecure.com/ns-idms-i1', ['blocked.com/ns-b1', 'other.com/ns-o1']],
      ['insecure.com/ns-dupe-i1', ['other.com/ns-o3']],
      ['insecure.com/ns-dupe-i1', ['other.com/ns-o1']],
      ['blocked.com/ns-idms-b/ns2-b', ['other.com/ns-o2', 'insecure.com/ns-i2']],
      ['other.com/ns-idms-o3', ['insecure.com/ns-i2', 'blocked.com/ns-b/ns3-b', 'foo.insecure-example.com/bar']],
    ];
    const icsp: [string, string[]][] = [
      ['insecure.com/ns-icsp-i1', ['blocked.com/ns-b1', 'other.com/ns-o1']],
      ['insecure.com/ns-dupe-i1', ['other.com/ns-o2']],
      ['blocked.com/ns-icsp-b/ns2-b', ['other.com/ns-o2', 'insecure.com/ns-i2']],
      ['other.com/ns-icsp-o3', ['insecure.com/ns-i2', 'blocked.com/ns-b/ns3-b', 'foo.insecure-example.com/bar']],
    ];
    const b2 = (n: string): string => reg(`blocked.com/ns-${n}-b/ns2-b`, BLK) + mirror('other.com/ns-o2', 'digest-only') + mirror('insecure.com/ns-i2', 'digest-only', true);
    const i1 = (n: string): string => reg(`insecure.com/ns-${n}-i1`, INS) + mirror('blocked.com/ns-b1', 'digest-only') + mirror('other.com/ns-o1', 'digest-only');
    const o3 = (n: string): string =>
      reg(`other.com/ns-${n}-o3`) + mirror('insecure.com/ns-i2', 'digest-only', true) + mirror('blocked.com/ns-b/ns3-b', 'digest-only') + mirror('foo.insecure-example.com/bar', 'digest-only', true);
    const want =
      HEADER + b2('icsp') + b2('idms') +
      reg('insecure.com/ns-dupe-i1', INS) + mirror('other.com/ns-o1', 'digest-only') + mirror('other.com/ns-o2', 'digest-only') + mirror('other.com/ns-o3', 'digest-only') +
      i1('icsp') + i1('idms') + o3('icsp') + o3('idms') + E2_TAIL;
    expect(render({ ...E2_INPUT, idms: [idms], icsp: [icsp] })).toBe(want);
  });

  it('E8: ICSP + IDMS + ITMS sources render in digest-pool order then tag pool', () => {
    const want =
      HEADER +
      reg('registry-a.com') + mirror('mirror-icsp-1.registry-a.com', 'digest-only') +
      reg('registry-b.com') + mirror('mirror-digest-1.registry-b.com', 'digest-only') +
      reg('registry-c.com') + mirror('mirror-tag-1.registry-c.com', 'tag-only');
    const got = render({
      icsp: [[['registry-a.com', ['mirror-icsp-1.registry-a.com']]]],
      idms: [[['registry-b.com', ['mirror-digest-1.registry-b.com']]]],
      itms: [[['registry-c.com', ['mirror-tag-1.registry-c.com']]]],
    });
    expect(got).toBe(want);
  });

  it('E9: blocking quay.io keeps the payload repository reachable through its digest mirror', () => {
    const want = HEADER + reg('quay.io/openshift-release-dev/ocp-release', BLK) + mirror('mirror.local/ocp/release', 'digest-only') + reg('quay.io', BLK);
    const got = render(
      { blocked: ['quay.io'], idms: [[['quay.io/openshift-release-dev/ocp-release', ['mirror.local/ocp/release']]]] },
      'quay.io/openshift-release-dev/ocp-release@sha256:' + 'a'.repeat(64),
    );
    expect(got).toBe(want);
  });

  it('MCO "merging": IDMS + ICSP + ITMS for one source give d1, d2, icsp1 (digest-only) then t1, t2 (tag-only)', () => {
    const want =
      HEADER + reg('registry-a.com') +
      mirror('d1.registry-a.com', 'digest-only') + mirror('d2.registry-a.com', 'digest-only') + mirror('icsp1.registry-a.com', 'digest-only') +
      mirror('t1.registry-a.com', 'tag-only') + mirror('t2.registry-a.com', 'tag-only');
    const got = render({
      idms: [[['registry-a.com', ['d1.registry-a.com', 'd2.registry-a.com']]]],
      icsp: [[['registry-a.com', ['d1.registry-a.com', 'd2.registry-a.com', 'icsp1.registry-a.com']]]],
      itms: [[['registry-a.com', ['t1.registry-a.com', 't2.registry-a.com']]]],
    });
    expect(got).toBe(want);
  });

  it('IDMS NeverContactSource renders blocked = true on the source entry (MCO docs/ImageMirrorSetDesign.md)', () => {
    const want = HEADER + reg('registry.access.redhat.com/ubi8/ubi-minimal', BLK) + mirror('example.io/digest-example/ubi-minimal', 'digest-only');
    expect(render({ idms: [[['registry.access.redhat.com/ubi8/ubi-minimal', ['example.io/digest-example/ubi-minimal'], 'NeverContactSource']]] })).toBe(want);
  });

  it('chained nested sources: a blocked entry takes mirrors from the first enclosing source in sorted order (§2.6 #7)', () => {
    const want =
      HEADER + reg('r.com') + mirror('m1.com', 'digest-only') + reg('r.com/ns') + mirror('m2.com', 'digest-only') + reg('r.com/ns/repo', BLK) + mirror('m1.com/ns/repo', 'digest-only');
    expect(render({ blocked: ['r.com/ns/repo'], idms: [[['r.com', ['m1.com']], ['r.com/ns', ['m2.com']]]] })).toBe(want);
  });

  it('a NeverContactSource rule whose mirrors are only the source is ignored with its policy (§2.6 #4)', () => {
    const r = renderOpenShift(objs({ idms: [[['a.example.com', []], ['b.example.com', ['b.example.com']]]] }));
    expect(r.errors).toEqual([]);
    expect(r.files.registriesConf).toBe(HEADER);
  });

  it('a wildcard mirror source with a nested insecure entry fails as the MCO does (§2.6 #6)', () => {
    const r = renderOpenShift(objs({ insecure: ['a.example.com'], idms: [[['*.example.com', ['mirror.local/x']]]] }));
    expect(r.errors.map((e) => e.message)).toEqual(['internal error: mirrorsAdjustedForNestedScope for a wildcard scope "*.example.com"']);
  });

  it('a wildcard mirror source alone renders a prefix-only entry with mirrors', () => {
    const want = HEADER + wild('*.insecure.com') + mirror('other.com/ns-o1', 'digest-only');
    expect(render({ idms: [[['*.insecure.com', ['other.com/ns-o1']]]] })).toBe(want);
  });

  it('an empty insecureRegistries list still re-encodes the template (Go non-nil slice)', () => {
    const r = renderOpenShift(objs({ insecure: [] }));
    expect(r.generated.registriesConf).toBe(true);
    expect(r.files.registriesConf).toBe(HEADER);
  });

  it('with nothing set the node keeps the stock template byte for byte', () => {
    const r = renderOpenShift(objs({}));
    expect(r.generated).toEqual({ registriesConf: false, policyJson: false });
    expect(r.files.registriesConf).toBe("unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n");
    expect(r.files.searchRegistries).toBeNull();
  });

  it('insecure on quay.io does not reach a quay.io:5000 entry (port is not a namespace, §2.6 #8)', () => {
    const want = HEADER + reg('quay.io:5000/x', BLK) + reg('quay.io', INS);
    expect(render({ insecure: ['quay.io'], blocked: ['quay.io:5000/x'] })).toBe(want);
  });

  it('a custom template keeps its own keys and entries, in struct order', async () => {
    const { stockTemplates } = await import('../../src/openshift/templates.ts');
    const templates = {
      ...stockTemplates(),
      registriesConf: 'short-name-mode = "enforcing"\nunqualified-search-registries = ["quay.io"]\n[aliases]\n"my/app" = "quay.io/me/app"\n[[registry]]\nlocation = "internal.example"\ninsecure = true\n',
    };
    const r = renderOpenShift(objs({ blocked: ['blocked.com'] }), { templates });
    expect(r.files.registriesConf).toBe(
      'unqualified-search-registries = ["quay.io"]\nshort-name-mode = "enforcing"\nadditional-layer-store-auth-helper = ""\n' +
        reg('internal.example', INS) + reg('blocked.com', BLK) +
        '\n[aliases]\n  "my/app" = "quay.io/me/app"\n',
    );
  });
});
