/**
 * Round trip: what `render openshift` writes, the registries.conf loader (src/config) reads without error,
 * `lint` finds no errors in, and the resolver (src/resolve) resolves as the MCO intended.
 */
import { describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { lintRegistriesConf } from '../../src/config/lint/index.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { loadOpenShiftConfigTexts } from '../../src/openshift/to-config-texts.ts';

const F = 'test/fixtures/openshift';
const D = '@sha256:' + '1'.repeat(64);

describe('round trip through the registries.conf loader, lint and resolver', () => {
  it.each(['docs-icsp.yaml', 'docs-insecure.yaml', 'docs-blocked.yaml', 'docs-search.yaml', 'cluster-list.yaml', 'tag-mirrors.yaml'])('%s loads and lints clean', async (file) => {
    const texts = await loadOpenShiftConfigTexts([`${F}/${file}`]);
    const input = { main: texts.main, mainPath: texts.main.path, dropins: texts.dropins };
    expect(() => loadRegistriesConfFromTexts(input)).not.toThrow();
    expect(lintRegistriesConf(input).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('the 4.12 format loads too', async () => {
    const texts = await loadOpenShiftConfigTexts([`${F}/docs-icsp.yaml`], { ocpVersion: '4.12' });
    const conf = loadRegistriesConfFromTexts({ main: texts.main, mainPath: texts.main.path, dropins: [] });
    expect(conf.registries.every((r) => r.mirrorByDigestOnly)).toBe(true);
  });

  it('a digest pull of the release goes to the mirror; quay.io itself is blocked', async () => {
    const texts = await loadOpenShiftConfigTexts([`${F}/cluster-list.yaml`], { releaseImage: `quay.io/openshift-release-dev/ocp-release${D}` });
    const compiled = compileConfig(loadRegistriesConfFromTexts({ main: texts.main, mainPath: texts.main.path, dropins: texts.dropins }));
    const r = resolveArg(compiled, `quay.io/openshift-release-dev/ocp-release${D}`);
    expect(r.sources.map((s) => [s.reference, s.blocked])).toEqual([
      [`mirror.local/ocp/release${D}`, false],
      [`quay.io/openshift-release-dev/ocp-release${D}`, true],
    ]);
  });

  it('the search drop-in replaces the unqualified-search registries', async () => {
    const texts = await loadOpenShiftConfigTexts([`${F}/docs-search.yaml`]);
    const conf = loadRegistriesConfFromTexts({ main: texts.main, mainPath: texts.main.path, dropins: texts.dropins });
    expect(conf.unqualifiedSearchRegistries).toEqual(['reg1.io', 'reg2.io', 'reg3.io']);
  });

  it('invalid objects fail with the file, key and MCO message', async () => {
    await expect(loadOpenShiftConfigTexts([`${F}/invalid-idms.yaml`])).rejects.toThrow(
      `${F}/invalid-idms.yaml:7: spec.imageDigestMirrors[0].mirrors[1]: cannot set mirrorSourcePolicy: NeverContactSource if the source "registry.example.com/team" is one of the mirrors`,
    );
  });
});

describe('cli/openshift-flags helpers', () => {
  it('--openshift flags give loader input that resolves through the rendered mirrors', async () => {
    const { openShiftTextsFromFlags, loadTextsInputFromOpenShift } = await import('../../cli/openshift-flags.ts');
    const warnings: string[] = [];
    const t = await openShiftTextsFromFlags({ openshift: [`${F}/tag-mirrors.yaml`] }, (w) => warnings.push(w.code));
    expect(t).not.toBeNull();
    const compiled = compileConfig(loadRegistriesConfFromTexts(loadTextsInputFromOpenShift(t!)));
    expect(resolveArg(compiled, 'docker.io/library/busybox:1').sources.map((s) => s.reference)).toEqual(['mirror.local/dockerhub/busybox:1', 'docker.io/library/busybox:1']);
    expect(await openShiftTextsFromFlags({})).toBeNull();
  });
});
