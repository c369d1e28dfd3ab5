import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { prepareScenario } from '../../src/scenario/prepare.ts';
import { runScenario, startScenario } from '../../src/scenario/run.ts';
import { formatScenarioText } from '../../src/report/scenario-text.ts';
import { formatScenarioJsonLines } from '../../src/report/scenario-json.ts';
import { formatJunit } from '../../src/report/junit.ts';
import type { PullEvent } from '../../src/events/pull-events.ts';

const fixtures = join(import.meta.dirname, '../fixtures/scenario');

describe('runScenario', () => {
  it('reports a deliberately wrong expectation as not met, with what happened instead', async () => {
    const report = await runScenario(await loadScenario(join(fixtures, 'wrong-expectation.toml')));
    expect(report.ok).toBe(false);
    expect(report.error).toBeNull();
    const unmet = report.pulls[0]!.expectations.filter((x) => !x.ok);
    expect(unmet.map((x) => x.key)).toEqual(['source', 'attempts.count', 'attempts[0]', 'attempts[1]']);
    expect(unmet[0]!.actual).toBe('"mirror.example.com:5000/acme/app:1.4"');
    expect(unmet[2]!.actual).toMatch(/^mirror\.example\.com:5000\/acme\/app:1\.4 → ok/);
    // The met ones are still reported as met.
    expect(report.pulls[0]!.expectations.find((x) => x.key === 'outcome')?.ok).toBe(true);
  }, 20_000);

  it('reads registries.conf and drop-ins from files, runs a loop, and never lets a secret out', async () => {
    const report = await runScenario(await loadScenario(join(fixtures, 'files-and-secrets.toml')));
    expect(report.pulls.map((p) => [p.key, p.run, p.ok])).toEqual([
      ['pull[0]#1', 1, true],
      ['pull[0]#2', 2, true],
    ]);
    // Times count from the registries' start (the fault timelines' clock): the second run starts at 0.2 s.
    const at = report.pulls.map((p) => p.events.find((e) => e.type === 'image')!.at);
    expect(at[1]!).toBeGreaterThanOrEqual(199);
    expect(at[1]!).toBeGreaterThan(at[0]!);
    const outputs = [formatScenarioText(report), formatScenarioJsonLines(report), formatJunit([report]), JSON.stringify(report)];
    for (const out of outputs) {
      expect(out).not.toContain('top-secret-do-not-print');
      expect(out).not.toContain('Y2k6dG9wLXNlY3JldC1kby1ub3QtcHJpbnQ=');
    }
  }, 20_000);

  it('exposes the live event stream: image, attempt-start, attempt and result for every pull', async () => {
    const prepared = prepareScenario(await loadScenario(join(fixtures, 'wrong-expectation.toml')));
    const checked: string[] = [];
    const run = startScenario(prepared, { onPullChecked: (r) => checked.push(r.key) });
    const seen: PullEvent[] = [];
    for await (const e of run.events) seen.push(e);
    const report = await run.report;
    expect(seen.map((e) => e.type)).toEqual(['image', 'attempt-start', 'attempt', 'result']);
    expect(seen).toEqual(report.pulls[0]!.events);
    expect(checked).toEqual(['pull[0]']);
  }, 20_000);

  it('stops early when cancelled and says so', async () => {
    const s = await loadScenario(join(import.meta.dirname, '../../scenarios/mirror-outage-timeline.toml'));
    const abort = new AbortController();
    const pending = runScenario(s, { signal: abort.signal, onPullChecked: () => abort.abort() });
    const report = await pending;
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/cancelled/);
    expect(report.pulls).toHaveLength(1);
  }, 20_000);
});

describe('prepareScenario', () => {
  it('rejects a registries.conf the runtime would reject, naming the scenario', async () => {
    const s = await loadScenario(join(fixtures, 'wrong-expectation.toml'));
    s.config.registriesConf = { path: 'x#config.registries-conf', text: '[[registry]]\nlocation = "a.io"\nblocked = true\n[[registry]]\nlocation = "a.io"\n', source: 'inline' };
    expect(() => prepareScenario(s)).toThrow(/wrong-expectation\.toml: config: the registries\.conf is rejected as the runtime would reject it: .*a\.io/);
  });

  it('renders cluster objects into the node registries.conf, as the Machine Config Operator does', async () => {
    const p = prepareScenario(await loadScenario(join(import.meta.dirname, '../../scenarios/openshift-mirror-sets.toml')));
    expect(p.config.configPath).toBe('/etc/containers/registries.conf');
    const entry = p.config.registries.find((r) => r.prefix === 'quay.io/openshift-release-dev/ocp-v4.0-art-dev');
    expect(entry).toMatchObject({ blocked: true, mirrors: [{ location: 'mirror.corp.example.com:5000/ocp4/art-dev', pullFromMirror: 'digest-only' }] });
  });

  it('names the scenario when the cluster objects are refused', async () => {
    const s = await loadScenario(join(fixtures, 'wrong-expectation.toml'));
    s.config.registriesConf = null;
    s.config.clusterObjects = { path: 'x#config.cluster-objects', text: 'kind: ImageDigestMirrorSet\napiVersion: config.openshift.io/v1\nspec:\n  imageDigestMirrors:\n  - source: "quay.io/a"\n    mirrors: ["https://bad"]\n', source: 'inline' };
    expect(() => prepareScenario(s)).toThrow(/wrong-expectation\.toml: config\.cluster-objects: /);
  });
});
