/**
 * Rendered entries name the cluster objects they come from (issue 11 item 4): kind/name and file:line in the
 * YAML, shown as "(rendered)", never the node path `/etc/containers/registries.conf:N`.
 */
import { describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { formatRenderedFrom } from '../../src/config/rendered-from.ts';
import { parseOpenShiftObjects } from '../../src/openshift/parse-objects.ts';
import { attributeRenderedOrigins } from '../../src/openshift/provenance.ts';
import { openShiftToConfigTexts } from '../../src/openshift/to-config-texts.ts';
import { formatOrigin } from '../../src/resolve/origin.ts';

const YAML = `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec:
  registrySources:
    insecureRegistries:
    - insecure.example.com
    blockedRegistries:
    - untrusted.com
    containerRuntimeSearchRegistries:
    - search.example.com
---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata:
  name: release
spec:
  imageDigestMirrors:
  - source: quay.io/ocp
    mirrors:
    - mirror.local/ocp
---
apiVersion: config.openshift.io/v1
kind: ImageTagMirrorSet
metadata:
  name: tags
spec:
  imageTagMirrors:
  - source: quay.io/ocp
    mirrors:
    - tags.local/ocp
`;

function load(yaml = YAML) {
  const t = openShiftToConfigTexts(parseOpenShiftObjects([{ path: 'objs.yaml', text: yaml }]));
  const conf = loadRegistriesConfFromTexts({ main: t.main, mainPath: t.main.path, dropins: t.dropins });
  return { t, conf: attributeRenderedOrigins(conf, t.provenance) };
}
const entry = (conf: ReturnType<typeof load>['conf'], prefix: string) => {
  const e = conf.registries.find((r) => r.prefix === prefix);
  if (e === undefined) throw new Error(`no entry ${prefix}`);
  return e;
};

describe('provenance of rendered entries', () => {
  it('an entry and its mirrors name the IDMS/ITMS rule (kind/name file:line)', () => {
    const { conf } = load();
    const e = entry(conf, 'quay.io/ocp');
    expect(formatOrigin(e.origin)).toBe('ImageDigestMirrorSet/release objs.yaml:20, ImageTagMirrorSet/tags objs.yaml:30 (rendered)');
    expect(e.mirrors.map((m) => formatOrigin(m.origin))).toEqual([
      'ImageDigestMirrorSet/release objs.yaml:20 (rendered)',
      'ImageTagMirrorSet/tags objs.yaml:30 (rendered)',
    ]);
    expect(e.mirrors[0]?.origin.rendered?.[0]?.key).toBe('spec.imageDigestMirrors[0]');
  });

  it('insecure and blocked entries name the Image "cluster" list item', () => {
    const { conf } = load();
    expect(formatOrigin(entry(conf, 'insecure.example.com').origin)).toBe('Image/cluster objs.yaml:8 (rendered)');
    expect(formatOrigin(entry(conf, 'untrusted.com').origin)).toBe('Image/cluster objs.yaml:10 (rendered)');
  });

  it('a nested entry that inherits mirrors names the parent rule', () => {
    const yaml = YAML.replace('    - untrusted.com', '    - quay.io/ocp/sub');
    const { conf } = load(yaml);
    const e = entry(conf, 'quay.io/ocp/sub');
    expect(formatOrigin(e.origin)).toBe('ImageDigestMirrorSet/release objs.yaml:20, ImageTagMirrorSet/tags objs.yaml:30, Image/cluster objs.yaml:10 (rendered)');
    expect(formatOrigin(e.mirrors[0]!.origin)).toBe('ImageDigestMirrorSet/release objs.yaml:20 (rendered)');
  });

  it('never names the node path with a line', () => {
    const { conf } = load();
    for (const e of conf.registries) {
      expect(formatOrigin(e.origin)).not.toMatch(/registries\.conf:\d/);
      for (const m of e.mirrors) expect(formatOrigin(m.origin)).not.toMatch(/registries\.conf:\d/);
    }
  });

  it('the search drop-in names the Image list, and the policy names its source', () => {
    const { t, conf } = load();
    expect(conf.unqualifiedSearchOrigin).toBe('Image/cluster objs.yaml:12 (rendered)');
    expect(formatRenderedFrom(t.policySources)).toBe('Image/cluster objs.yaml:10 (rendered)');
  });

  it('an untouched policy.json names the stock template', () => {
    const { t } = load(YAML.split('---\n').slice(1).join('---\n'));
    expect(formatRenderedFrom(t.policySources)).toBe('(stock template) /etc/containers/policy.json (rendered)');
  });
});
