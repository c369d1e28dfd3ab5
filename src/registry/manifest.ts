/**
 * Manifest media types, the runtime's Accept order, digests over the exact bytes, and platform selection
 * in an OCI index / Docker manifest list.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerV2: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerV1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerV1: 'application/vnd.docker.distribution.manifest.v1+json',
} as const;

/**
 * One `Accept` value per type, in containers/image's order (`DefaultRequestedManifestMIMETypes`).
 * distribution answers 404 for an OCI manifest when no OCI type is accepted, so the list must be complete.
 */
export const MANIFEST_ACCEPT: readonly string[] = [
  MEDIA.ociManifest,
  MEDIA.dockerV2,
  MEDIA.dockerV1Signed,
  MEDIA.dockerV1,
  MEDIA.dockerList,
  MEDIA.ociIndex,
];

/** The runtime's limit on manifest bodies (iolimits.MaxManifestBodySize). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export function sha256Digest(bytes: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

/** Digest of `bytes` with the algorithm of `expected` (sha256 or sha512). */
export function digestLike(expected: string, bytes: Uint8Array): string {
  const algo = expected.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algo}:` + createHash(algo).update(bytes).digest('hex');
}

/**
 * `Docker-Content-Digest` against the bytes it announces: the mismatch, or null (absent, unknown algorithm or right).
 * `known`: the bytes' digest when the caller has it already (a manifest GET computes it); used when its algorithm is
 * the header's, instead of hashing the bytes again.
 */
export function announcedDigestMismatch(headerDigest: string | null, body: Uint8Array, known?: string): { announced: string; actual: string } | null {
  if (!headerDigest || !/^(sha256|sha512):[0-9a-f]+$/.test(headerDigest)) return null;
  const algo = headerDigest.slice(0, headerDigest.indexOf(':') + 1);
  const actual = known !== undefined && known.startsWith(algo) ? known : digestLike(headerDigest, body);
  return actual === headerDigest ? null : { announced: headerDigest, actual };
}

/** Content-Type without parameters (`simplifyContentType`). */
export function simplifyContentType(ct: string | undefined | null): string {
  return (ct ?? '').split(';')[0]!.trim();
}

export function isIndexType(mt: string): boolean {
  return mt === MEDIA.ociIndex || mt === MEDIA.dockerList;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** `linux/arm64/v8` → Platform. */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new UsageError(`--platform ${JSON.stringify(text)}: expected OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm/v7`);
  }
  return { os: parts[0]!, architecture: parts[1]!, ...(parts[2] ? { variant: parts[2] } : {}) };
}

/** The host's platform in OCI words (Node's x64 is amd64, ia32 is 386). */
export function hostPlatform(): Platform {
  const archMap: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const architecture = archMap[process.arch] ?? process.arch;
  if (architecture === 'arm') {
    const v = (process.config.variables as Record<string, unknown>).arm_version;
    return { os, architecture, variant: `v${typeof v === 'string' || typeof v === 'number' ? v : '7'}` };
  }
  return { os, architecture };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? '/' + p.variant : ''}`;
}

export interface IndexEntry {
  digest: string;
  mediaType: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** Entries of an index/list body, or an error text when it does not parse. */
export function indexEntries(body: Buffer): IndexEntry[] {
  const parsed = JSON.parse(body.toString('utf8')) as { manifests?: IndexEntry[] };
  return Array.isArray(parsed.manifests) ? parsed.manifests : [];
}

/** arm64 without a variant means v8; the runtime treats them alike. */
function variantMatches(want: Platform, have: IndexEntry['platform']): boolean {
  const norm = (arch: string | undefined, v: string | undefined) => (arch === 'arm64' && (v === undefined || v === '') ? 'v8' : v ?? '');
  if (!want.variant) return true;
  return norm(want.architecture, want.variant) === norm(have?.architecture, have?.variant);
}

/**
 * Chooses the instance for `want`, or throws the runtime's message:
 * `no image found in image index for architecture "arm64", variant "", OS "linux"`.
 */
export function chooseInstance(body: Buffer, mediaType: string, want: Platform): IndexEntry {
  const entries = indexEntries(body);
  const hit = entries.find((e) => e.platform?.os === want.os && e.platform?.architecture === want.architecture && variantMatches(want, e.platform));
  if (hit) return hit;
  const what = mediaType === MEDIA.dockerList ? 'manifest list' : 'image index';
  throw new Error(`no image found in ${what} for architecture ${JSON.stringify(want.architecture)}, variant ${JSON.stringify(want.variant ?? '')}, OS ${JSON.stringify(want.os)}`);
}

/** Config and layer digests of an image manifest (OCI or Docker schema 2). */
export function imageBlobs(body: Buffer): { digest: string; kind: 'config' | 'layer'; size?: number }[] {
  const m = JSON.parse(body.toString('utf8')) as { config?: { digest?: string; size?: number }; layers?: { digest?: string; size?: number }[] };
  const out: { digest: string; kind: 'config' | 'layer'; size?: number }[] = [];
  if (m.config?.digest) out.push({ digest: m.config.digest, kind: 'config', ...(m.config.size !== undefined ? { size: m.config.size } : {}) });
  for (const l of m.layers ?? []) if (l.digest) out.push({ digest: l.digest, kind: 'layer', ...(l.size !== undefined ? { size: l.size } : {}) });
  return out;
}
