import { describe, it, expect } from 'vitest';
import { startMockRegistries } from '../../src/mock/start.ts';
import { createManualClock } from '../../src/mock/clock.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { ConfigError } from '../../src/errors.ts';
import { createClient, header, ACCEPT_ALL } from './client.ts';

describe('startMockRegistries', () => {
  it('serves the same image with the same digest from a source and a mirror under another path', async () => {
    const clock = createManualClock();
    const set = await startMockRegistries(
      [
        { host: 'quay.io', images: [{ repository: 'org/app', tags: ['1.4'] }] },
        { host: 'mirror.example.com:5000', images: [{ repository: 'quay/org/app', tags: ['1.4'] }], faults: [{ kind: 'status', status: 503, from: 10, to: 20 }] },
      ],
      { clock },
    );
    const client = createClient();
    try {
      const digest = mockImageDigest({ repository: 'org/app', tags: ['1.4'] });
      const src = await client.fetch(`${set.get('quay.io')!.origin}/v2/org/app/manifests/1.4`, { headers: { accept: ACCEPT_ALL } });
      const mir = await client.fetch(`http://${set.hostMap['mirror.example.com']}/v2/quay/org/app/manifests/1.4`, { headers: { accept: ACCEPT_ALL } });
      expect(header(src, 'docker-content-digest')).toBe(digest);
      expect(header(mir, 'docker-content-digest')).toBe(digest);
      // One clock for the set: the mirror's window opens when the shared clock says so.
      clock.set(10_000);
      expect((await client.fetch(`${set.registries[1]!.origin}/v2/`)).status).toBe(503);
      expect(set.stats().map((s) => s.host)).toEqual(['quay.io', 'mirror.example.com:5000']);
    } finally {
      await client.close();
      await set.close();
    }
  });

  it('rejects a host declared twice', async () => {
    await expect(startMockRegistries([{ host: 'a' }, { host: 'a' }])).rejects.toBeInstanceOf(ConfigError);
  });
});
