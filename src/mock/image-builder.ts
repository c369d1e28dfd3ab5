/**
 * Builds an image (config, layers, manifest, and an index for several platforms) from its short
 * description, deterministically: the same description gives the same bytes and digests anywhere.
 * Layer bytes are seeded noise, not a real tar.gz: registries and pull clients check digests, not contents.
 */
import type { MockImageSpec } from './spec.ts';
import { bytesBlob, generatedBlob, type BlobContent } from './blob-content.ts';
import { deriveSeed } from './prng.ts';
import { parseSize } from './sizes.ts';
import * as mt from './media-types.ts';
import { ConfigError } from '../errors.ts';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** A manifest or index as served: exact bytes, their digest and media type. */
export interface BuiltManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  /** For a platform manifest. */
  platform?: Platform;
}

export interface BuiltImage {
  repository: string;
  tags: string[];
  /** What a tag points at: the manifest, or the index when there are several platforms. */
  top: BuiltManifest;
  /** Every manifest (the top one and, for an index, each platform's). */
  manifests: BuiltManifest[];
  /** Configs and layers. */
  blobs: BlobContent[];
}

/** `linux/arm64/v8` → `{ os: 'linux', architecture: 'arm64', variant: 'v8' }`. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined || variant === '') {
    throw new ConfigError(`platform "${text}": expected os/arch or os/arch/variant, e.g. "linux/amd64"`);
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** The default content key: the repository's last path component. */
export function defaultContent(repository: string): string {
  return repository.slice(repository.lastIndexOf('/') + 1);
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function layerSizes(spec: MockImageSpec): number[] {
  return (spec.layers ?? [1024]).map((l) => {
    const n = parseSize(l);
    if (n === undefined) throw new ConfigError(`image "${spec.repository}": layer size ${JSON.stringify(l)} is not a size (use bytes or "16MiB")`);
    return n;
  });
}

function buildPlatformManifest(spec: MockImageSpec, content: string, platformText: string, blobs: BlobContent[]): BuiltManifest {
  const docker = spec.format === 'docker';
  const platform = parsePlatform(platformText);
  const layers = layerSizes(spec).map((size, i) => generatedBlob(size, deriveSeed(0, `${content}|${platformText}|${i}|${size}`)));
  const config = bytesBlob(
    json({
      created: '2020-01-01T00:00:00Z',
      architecture: platform.architecture,
      ...(platform.variant !== undefined ? { variant: platform.variant } : {}),
      os: platform.os,
      config: { Labels: { 'io.pullpath.mock.content': content } },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    }),
  );
  blobs.push(config, ...layers);
  const mediaType = docker ? mt.DOCKER_MANIFEST : mt.OCI_MANIFEST;
  const bytes = json({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: docker ? mt.DOCKER_CONFIG : mt.OCI_CONFIG, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: docker ? mt.DOCKER_LAYER : mt.OCI_LAYER, digest: l.digest, size: l.size })),
  });
  return { digest: bytesBlob(bytes).digest, mediaType, bytes, platform };
}

/** Build every manifest and blob of an image. Throws ConfigError for a bad platform or size. */
export function buildImage(spec: MockImageSpec): BuiltImage {
  const content = spec.content ?? defaultContent(spec.repository);
  const platforms = spec.platforms ?? ['linux/amd64'];
  if (platforms.length === 0) throw new ConfigError(`image "${spec.repository}": platforms is empty; give at least one, e.g. ["linux/amd64"]`);
  const blobs: BlobContent[] = [];
  const children = platforms.map((p) => buildPlatformManifest(spec, content, p, blobs));
  let top = children[0]!;
  const manifests = [...children];
  if (children.length > 1) {
    const mediaType = spec.format === 'docker' ? mt.DOCKER_LIST : mt.OCI_INDEX;
    const bytes = json({
      schemaVersion: 2,
      mediaType,
      manifests: children.map((c) => ({ mediaType: c.mediaType, digest: c.digest, size: c.bytes.length, platform: c.platform })),
    });
    top = { digest: bytesBlob(bytes).digest, mediaType, bytes };
    manifests.unshift(top);
  }
  return { repository: spec.repository, tags: spec.tags ?? ['latest'], top, manifests, blobs };
}

/**
 * The digest a tag of this image resolves to (the index digest for several platforms): what a scenario
 * expects after a pull. Same description → same digest, on every registry that serves it.
 *
 * @example
 * mockImageDigest({ repository: 'org/app', tags: ['1.4'] }) // 'sha256:…', stable across runs
 */
export function mockImageDigest(spec: MockImageSpec): string {
  return buildImage(spec).top.digest;
}
