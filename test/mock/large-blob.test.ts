import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { startMockRegistry } from '../../src/mock/start.ts';
import { buildImage } from '../../src/mock/image-builder.ts';

const SIZE = 256 * 1024 * 1024;

describe('large layers', () => {
  it('streams a 256 MiB layer with the right digest without holding it in memory', async () => {
    const image = { repository: 'big/app', layers: [SIZE] };
    const rssBefore = process.memoryUsage().rss;
    const reg = await startMockRegistry({ host: 'big.example.com', images: [image] });
    try {
      const layer = buildImage(image).blobs[1]!;
      expect(layer.size).toBe(SIZE);
      expect(layer.bytes).toBeUndefined();
      const r = await request(`${reg.origin}/v2/big/app/blobs/${layer.digest}`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-length']).toBe(String(SIZE));
      const hash = createHash('sha256');
      let n = 0;
      let peak = 0;
      for await (const chunk of r.body) {
        hash.update(chunk as Buffer);
        n += (chunk as Buffer).length;
        if ((n & 0xffffff) < 65536) peak = Math.max(peak, process.memoryUsage().rss);
      }
      expect(n).toBe(SIZE);
      expect('sha256:' + hash.digest('hex')).toBe(layer.digest);
      // Holding the layer anywhere would add at least its size to the process.
      expect(peak - rssBefore).toBeLessThan(SIZE / 2);
    } finally {
      await reg.close();
    }
  });
});
