/** `-` reads standard input, once per command (issue 11: "`-` reads standard input everywhere a file is read"). */
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import { loadOpenShiftObjects } from '../src/openshift/load-objects.ts';
import { loadPolicyFile } from '../src/policy/load-policy.ts';
import { assertOneStdin, readInput, setStdinForTests } from '../src/read-input.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { loadRegistriesConf } from '../src/config/load-files.ts';

afterEach(() => setStdinForTests(null));

describe('readInput', () => {
  it('reads "-" from standard input, named <stdin>', async () => {
    setStdinForTests('hello\n');
    expect(await readInput('-', '--policy')).toEqual({ path: '<stdin>', text: 'hello\n' });
  });

  it('a second "-" is a usage error naming both uses', async () => {
    setStdinForTests('x');
    await readInput('-', '--openshift');
    await expect(readInput('-', '--policy')).rejects.toThrow(UsageError);
    setStdinForTests('x');
    await readInput('-', '--openshift');
    await expect(readInput('-', '--policy')).rejects.toThrow('for --openshift and for --policy');
  });

  it('other paths are files', async () => {
    expect((await readInput('package.json', 'x')).path).toBe('package.json');
  });
});

describe('assertOneStdin (before anything is read)', () => {
  it('allows one "-" anywhere', () => {
    expect(() => assertOneStdin({ openshift: ['-'], policy: 'p.json' }, [])).not.toThrow();
    expect(() => assertOneStdin({}, ['openshift', '-'])).not.toThrow();
  });
  it('refuses two', () => {
    expect(() => assertOneStdin({ openshift: ['-'], policy: '-' }, [])).toThrow('standard input ("-") given 2 times (--openshift, --policy)');
    expect(() => assertOneStdin({}, ['openshift', '-', '-'])).toThrow(UsageError);
  });
});

describe('every loader reads "-"', () => {
  it('cluster objects, as `oc get -o yaml` writes them (kind: List)', async () => {
    setStdinForTests('apiVersion: v1\nkind: List\nitems:\n- apiVersion: config.openshift.io/v1\n  kind: ImageDigestMirrorSet\n  metadata: {name: m}\n  spec:\n    imageDigestMirrors:\n    - source: a.com/x\n      mirrors: [b.com/x]\nmetadata:\n  resourceVersion: ""\n');
    const o = await loadOpenShiftObjects(['-']);
    expect(o.idms[0]?.origin).toMatchObject({ file: '<stdin>', name: 'm', line: 4 });
  });

  it('--policy', async () => {
    setStdinForTests('{"default":[{"type":"reject"}]}');
    expect((await loadPolicyFile('-')).file).toBe('<stdin>');
  });

  it('--registries-conf, named <stdin> in errors', async () => {
    setStdinForTests('[[registry]]\nlocation = "quay.io"\nblocked = true\n');
    const { config } = await loadRegistriesConf({ registriesConf: '-', registriesConfDir: '/nonexistent', env: {}, home: '/nonexistent' });
    expect(config.registries[0]?.origin).toEqual({ file: '<stdin>', line: 1 });
    setStdinForTests('bad key\n');
    await expect(loadRegistriesConf({ registriesConf: '-', registriesConfDir: '/nonexistent', env: {}, home: '/nonexistent' })).rejects.toThrow('loading registries configuration "<stdin>"');
  });

  it('a scenario', async () => {
    setStdinForTests('[[pull]]\nref = 1\n');
    await expect(loadScenario('-')).rejects.toThrow(/^<stdin>/);
  });
});
