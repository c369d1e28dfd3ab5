/** A scenario's cluster objects are rendered like --openshift: entries name the object, not the node path (issue 11 item 4). */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { prepareScenario } from '../../src/scenario/prepare.ts';

describe('prepareScenario with cluster-objects', () => {
  it('rendered entries carry the objects they came from', async () => {
    const p = prepareScenario(await loadScenario('scenarios/openshift-mirror-sets.toml'));
    const source = p.resolutions.flatMap((r) => r.sources).find((s) => s.location === 'mirror.corp.example.com:5000/ubi9');
    expect(source?.origin).toBe('ImageTagMirrorSet/ubi-tags scenarios/openshift-mirror-sets.toml#config.cluster-objects:18 (rendered)');
    expect(p.resolutions.map((r) => r.registry?.origin ?? '').join('\n')).not.toMatch(/registries\.conf:\d/);
  });
});
