/** `diff --live`: each side pulls through its own resolution (a hosts.toml side through containerd's rules). */
import { describe, expect, it } from 'vitest';
import { liveCheck } from '../../src/diff/live.ts';
import type { DiffSide } from '../../src/diff/run-diff.ts';
import type { ImageChange } from '../../src/diff/types.ts';
import { loadRegistriesConfFromTexts } from '../../src/config/index.ts';
import { containerdSetupFromTexts, resolveContainerd } from '../../src/containerd/index.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';
import type { RegistryClient } from '../../src/registry/client.ts';
import type { ResultEvent } from '../../src/events/pull-events.ts';

const conf = (text: string) => loadRegistriesConfFromTexts({ main: { path: '/etc/containers/registries.conf', text }, mainPath: '/etc/containers/registries.conf', dropins: [] });

describe('diff --live', () => {
  it('pulls a hosts.toml side through its containerd resolution, a registries.conf side through its own', async () => {
    const before: DiffSide = { config: conf('[[registry]]\nlocation = "quay.io/org"\n[[registry.mirror]]\nlocation = "old-mirror.example.com/org"\n'), policy: null, nodeFiles: new Map() };
    const setup = containerdSetupFromTexts({ hostsDirs: [{ dir: '/etc/containerd/certs.d', hosts: { 'quay.io': { path: '/etc/containerd/certs.d/quay.io/hosts.toml', text: 'server = "https://quay.io"\n[host."https://new-mirror.example.com"]\n  capabilities = ["pull", "resolve"]\n' } } }] });
    const after: DiffSide = { config: conf(''), policy: null, nodeFiles: new Map(), resolve: (image) => resolveContainerd(setup, image) };
    const seen: Resolution[] = [];
    const pullOne = async (r: Resolution): Promise<ResultEvent> => {
      seen.push(r);
      return { type: 'result', image: r.ref, at: 0, ok: true, source: r.sources[0]!.reference, sourceIndex: 0, digest: null, mediaType: null, durationMs: 0, error: null, errorClass: null };
    };
    const change = { image: 'quay.io/org/app:1' } as ImageChange;
    const out = await liveCheck([change], { before, after }, { pull: { client: {} as RegistryClient }, pullOne });
    expect(seen.map((r) => r.runtime ?? 'containers-image')).toEqual(['containers-image', 'containerd']);
    expect(seen[1]!.sources[0]!.containerd?.host).toBe('new-mirror.example.com');
    expect(out[0]!.before.source).toBe('old-mirror.example.com/org/app:1');
    expect(out[0]!.after.source).toBe('new-mirror.example.com/org/app:1');
  });
});
