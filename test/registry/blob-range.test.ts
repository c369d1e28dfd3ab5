import { describe, expect, it } from 'vitest';
import { mockSetup } from './mock-registry.ts';
import { startMockRegistry } from '../../src/mock/start.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { imageBlobs } from '../../src/registry/manifest.ts';
import type { AttemptStep } from '../../src/registry/step.ts';

const A = 'sha256:' + 'a'.repeat(64);

describe('getBlobRange', () => {
  it('asks for bytes=0-0 and reports a 206 as Range honoured (the mock registry)', async () => {
    const reg = await startMockRegistry({ host: 'mirror.example.com', images: [{ repository: 'acme/app', tags: ['1.4'] }] });
    const hostMap = HostMap.parse([`mirror.example.com:${reg.address}`]);
    const dispatchers = createDispatcherFactory({ hostMap });
    const client = createRegistryClient({ hostMap, dispatchers });
    try {
      const s = await client.ping('mirror.example.com', { insecure: true, repository: 'mirror.example.com/acme/app' });
      const m = await client.getManifest(s, 'acme/app', '1.4');
      const blob = imageBlobs(m.body)[0]!;
      const steps: AttemptStep[] = [];
      const r = await client.getBlobRange(s, 'acme/app', blob.digest, { steps });
      expect(r).toMatchObject({ status: 206, present: true, rangeHonoured: true });
      expect(r.bytes.length).toBe(1);
      expect(steps).toHaveLength(1);
      expect(steps[0]).toMatchObject({ step: 'blobs', ok: true, method: 'GET', httpStatus: 206 });
      expect(steps[0]!.detail).toContain('Range honoured');
      const missing = await client.getBlobRange(s, 'acme/app', A);
      expect(missing).toMatchObject({ status: 404, present: false, rangeHonoured: null });
    } finally {
      await client.close();
      await dispatchers.close();
      await reg.close();
    }
  });

  it('accepts a 200 that ignores the Range, reading at most 1 byte of the body', async () => {
    const setup = mockSetup();
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}');
    const s = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    let range: unknown;
    setup.agent.get('https://reg.example.com').intercept({ path: `/v2/lib/hello/blobs/${A}`, method: 'GET' }).reply((o) => {
      range = (o.headers as Record<string, string>)['range'];
      return { statusCode: 200, data: Buffer.alloc(64 * 1024, 7), responseOptions: { headers: { 'docker-content-digest': A } } };
    });
    const steps: AttemptStep[] = [];
    const r = await setup.client.getBlobRange(s, 'lib/hello', A, { steps });
    expect(range).toBe('bytes=0-0');
    expect(r).toMatchObject({ status: 200, present: true, rangeHonoured: false, digest: A });
    expect([...r.bytes]).toEqual([7]);
    expect(steps[0]!.detail).toContain('Range ignored');
  });
});
