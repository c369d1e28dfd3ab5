import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { buildImage, mockImageDigest } from '../../src/mock/image-builder.ts';
import { generatedBlob } from '../../src/mock/blob-content.ts';
import * as mt from '../../src/mock/media-types.ts';

const sha = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const all = (it: Iterable<Buffer>) => Buffer.concat([...it]);

describe('image builder', () => {
  it('gives the same digest for the same description, every time', () => {
    const spec = { repository: 'org/app', tags: ['1.4'], layers: [100, 2000] };
    expect(mockImageDigest(spec)).toBe(mockImageDigest({ ...spec }));
    expect(mockImageDigest(spec)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('derives content from the last path component, so a mirror path serves the same image', () => {
    expect(mockImageDigest({ repository: 'library/busybox' })).toBe(mockImageDigest({ repository: 'busybox' }));
    expect(mockImageDigest({ repository: 'org/app' })).not.toBe(mockImageDigest({ repository: 'org/other' }));
    expect(mockImageDigest({ repository: 'org/app', content: 'x' })).toBe(mockImageDigest({ repository: 'elsewhere/y', content: 'x' }));
  });

  it('hashes exactly the bytes served for manifests, configs and layers', () => {
    const img = buildImage({ repository: 'org/app', layers: [10, 70_000] });
    for (const m of img.manifests) expect(sha(m.bytes)).toBe(m.digest);
    for (const b of img.blobs) expect(sha(all(b.chunks(0, b.size)))).toBe(b.digest);
    const manifest = JSON.parse(img.top.bytes.toString());
    expect(manifest.mediaType).toBe(mt.OCI_MANIFEST);
    expect(manifest.layers.map((l: { size: number }) => l.size)).toEqual([10, 70_000]);
    expect(manifest.config.digest).toBe(img.blobs[0]!.digest);
  });

  it('builds an OCI index for several platforms, a Docker manifest list with format docker', () => {
    const oci = buildImage({ repository: 'org/app', platforms: ['linux/amd64', 'linux/arm64/v8'] });
    expect(oci.top.mediaType).toBe(mt.OCI_INDEX);
    const index = JSON.parse(oci.top.bytes.toString());
    expect(index.manifests.map((m: { platform: unknown }) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    expect(index.manifests[1].digest).toBe(oci.manifests[2]!.digest);
    const docker = buildImage({ repository: 'org/app', platforms: ['linux/amd64', 'linux/arm64'], format: 'docker' });
    expect(docker.top.mediaType).toBe(mt.DOCKER_LIST);
    expect(JSON.parse(docker.manifests[1]!.bytes.toString()).layers[0].mediaType).toBe(mt.DOCKER_LAYER);
  });

  it('accepts sizes with units and rejects nonsense with the image named', () => {
    expect(JSON.parse(buildImage({ repository: 'a', layers: ['2KiB'] }).top.bytes.toString()).layers[0].size).toBe(2048);
    expect(() => buildImage({ repository: 'org/app', layers: ['big'] })).toThrow(/org\/app.*"big"/);
    expect(() => buildImage({ repository: 'org/app', platforms: ['amd64'] })).toThrow(/os\/arch/);
  });
});

describe('generated blobs', () => {
  it('returns any range equal to the same slice of the whole, across block boundaries', () => {
    const b = generatedBlob(200_000, 42);
    const whole = all(b.chunks(0, b.size));
    expect(whole.length).toBe(200_000);
    for (const [s, e] of [[0, 1], [3, 12], [65_530, 65_545], [65_536, 65_544], [131_000, 200_000], [199_999, 200_000]] as const) {
      expect(all(b.chunks(s, e)).equals(whole.subarray(s, e))).toBe(true);
    }
  });

  it('differs with the seed and never repeats a 64 KiB block', () => {
    const a = all(generatedBlob(140_000, 1).chunks(0, 140_000));
    expect(a.equals(all(generatedBlob(140_000, 2).chunks(0, 140_000)))).toBe(false);
    expect(a.subarray(0, 65_536).equals(a.subarray(65_536, 131_072))).toBe(false);
  });
});
