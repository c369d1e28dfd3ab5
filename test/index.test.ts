import { describe, expect, it } from 'vitest';
import { config, resolve } from '../src/index.ts';

describe('public surface', () => {
  it('resolves a reference through the exported namespaces, as the TSDoc example shows', () => {
    const text = '[[registry]]\nlocation = "quay.io/org"\n[[registry.mirror]]\nlocation = "mirror.local/org"\n';
    const conf = config.loadRegistriesConfFromTexts({ main: { path: 'r.conf', text }, mainPath: 'r.conf', dropins: [] });
    const r = resolve.resolveArg(resolve.compileConfig(conf), 'docker://quay.io/org/app:1.4');
    expect(r.sources.map((s) => s.reference)).toEqual(['mirror.local/org/app:1.4', 'quay.io/org/app:1.4']);
  });
});
