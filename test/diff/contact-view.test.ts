/** Diffs with a containerd side: sources compared by the URL contacted, the entry by what it means (not its path). */
import { describe, expect, it } from 'vitest';
import { containerdSetupFromTexts, resolveContainerd } from '../../src/containerd/index.ts';
import { compareResolutions } from '../../src/diff/compare-resolutions.ts';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';

const tree = (root: string, text: string) =>
  containerdSetupFromTexts({ hostsDirs: [{ dir: root, hosts: { 'quay.io': { path: `${root}/quay.io/hosts.toml`, text } } }] });
const FILE = '[host."https://m.example/v2/quay"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n  ca = "ca.crt"\n';
const REF = 'quay.io/org/app:1';

describe('compareResolutions with containerd sides', () => {
  it('the same files under two roots are the same entry; a header or CA change is an entry change', () => {
    const a = resolveContainerd(tree('/a', FILE), REF);
    expect(compareResolutions(REF, a, resolveContainerd(tree('/b', FILE), REF))).toBeNull();
    const header = resolveContainerd(tree('/b', FILE + '  [host."https://m.example/v2/quay".header]\n    x-a = "1"\n'), REF);
    expect(compareResolutions(REF, a, header)?.changes).toEqual(['entry']);
    const ca = resolveContainerd(tree('/b', FILE.replace('ca.crt', 'other.crt')), REF);
    expect(compareResolutions(REF, a, ca)?.changes).toEqual(['entry']);
  });

  it('a mirror path change is a source change, shown as the URL contacted with ?ns=', () => {
    const a = resolveContainerd(tree('/a', FILE), REF);
    const b = resolveContainerd(tree('/a', FILE.replace('/v2/quay"', '/v2/other"')), REF);
    const c = compareResolutions(REF, a, b)!;
    expect(c.changes).toEqual(['source-added', 'source-removed']);
    expect(c.sources.map((s) => `${s.mark} ${s.reference}`)).toEqual([
      'added https://m.example/v2/other/org/app:1?ns=quay.io',
      'same https://quay.io/v2/org/app:1',
      'removed https://m.example/v2/quay/org/app:1?ns=quay.io',
    ]);
  });

  it('a registries.conf mirror and the hosts.toml host at the same URL compare equal', () => {
    const conf = loadRegistriesConfFromTexts({
      main: { path: 'r.conf', text: '[[registry]]\nprefix = "quay.io"\nlocation = "quay.io"\n[[registry.mirror]]\nlocation = "m.example/quay"\n' },
      mainPath: 'r.conf',
      dropins: [],
    });
    const ci = resolveArg(compileConfig(conf), REF);
    const ctrd = resolveContainerd(tree('/a', FILE.replace('  ca = "ca.crt"\n', '')), REF);
    expect(compareResolutions(REF, ci, ctrd)).toBeNull();
  });
});
