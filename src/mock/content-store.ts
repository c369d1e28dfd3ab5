/**
 * What one registry holds: repositories → tags, manifests and blobs by digest. Built once at start from
 * the image descriptions (and the stale-tag variants its fault rules ask for); read-only afterwards.
 */
import type { FaultRule, MockImageSpec } from './spec.ts';
import type { BlobContent } from './blob-content.ts';
import { buildImage, defaultContent, type BuiltImage, type BuiltManifest } from './image-builder.ts';
import { globToRegExp } from './glob.ts';
import { signatureAttachment, signatureFaultFor, type MockSigningKeys } from './sigstore-sign.ts';
import { gpgSignatureFor, lookasideDir, type GpgSignatureBook } from './gpg-sign.ts';

/** Signing for one registry's content: its host (the default signed name) and the run's keys. */
export interface ContentSigning {
  host: string;
  /** sigstore keys (images with `signatures = "sigstore"`). */
  keys?: MockSigningKeys;
  /** GPG signatures signed at start (images with `signatures = "gpg"`; see gpg-sign.ts). */
  gpg?: GpgSignatureBook;
  /** The registry's `signatures`. */
  registryDefault?: 'sigstore' | 'gpg' | 'none';
}

export interface RepoContent {
  tags: Map<string, BuiltManifest>;
  manifests: Map<string, BuiltManifest>;
  blobs: Map<string, BlobContent>;
  /** For a Docker list asked for by tag without the list type: the linux/amd64 (or first) child, by list digest. */
  defaultChild: Map<string, BuiltManifest>;
  /** Stale-tag variants: key `<rule index>\t<tag>`. */
  stale: Map<string, BuiltManifest>;
}

export interface RegistryContent {
  repos: Map<string, RepoContent>;
  /** GPG lookaside signatures by `<repository>@sha256=<hex>` (one signature each: `signature-1`). */
  lookaside: Map<string, Uint8Array>;
  /**
   * Signature faults are content faults: by rule index, how many signed images each one changed when the content
   * was built (a rule that matched no signed image tested nothing, and the report says so).
   */
  signatureFaultsApplied: number[];
}

/** Build cache shared by the registries of one run, so an image served by several mirrors is built once. */
export type ImageCache = Map<string, BuiltImage>;

export function cachedBuild(spec: MockImageSpec, cache: ImageCache | undefined): BuiltImage {
  const key = JSON.stringify([spec.repository, spec.tags, spec.platforms, spec.layers, spec.format, spec.content]);
  let img = cache?.get(key);
  if (img === undefined) {
    img = buildImage(spec);
    cache?.set(key, img);
  }
  return img;
}

function repoFor(content: RegistryContent, name: string): RepoContent {
  let repo = content.repos.get(name);
  if (repo === undefined) {
    repo = { tags: new Map(), manifests: new Map(), blobs: new Map(), defaultChild: new Map(), stale: new Map() };
    content.repos.set(name, repo);
  }
  return repo;
}

function addImage(repo: RepoContent, img: BuiltImage): void {
  for (const m of img.manifests) repo.manifests.set(m.digest, m);
  for (const b of img.blobs) repo.blobs.set(b.digest, b);
  if (img.manifests.length > 1) {
    const children = img.manifests.slice(1);
    const amd64 = children.find((c) => c.platform?.os === 'linux' && c.platform.architecture === 'amd64');
    repo.defaultChild.set(img.top.digest, amd64 ?? children[0]!);
  }
}

/** Index the images; build the stale variants named by `stale-tag` rules (rule index = position in `faults`). */
export function buildContent(images: MockImageSpec[], faults: FaultRule[] = [], cache?: ImageCache, signing?: ContentSigning): RegistryContent {
  const content: RegistryContent = { repos: new Map(), lookaside: new Map(), signatureFaultsApplied: faults.map(() => 0) };
  for (const spec of images) {
    const img = cachedBuild(spec, cache);
    const repo = repoFor(content, spec.repository);
    addImage(repo, img);
    for (const tag of img.tags) repo.tags.set(tag, img.top);
    const signs = spec.signatures ?? signing?.registryDefault;
    if ((signing?.gpg && signs === 'gpg') || (signing?.keys && signs === 'sigstore')) {
      const fault = signatureFaultFor(spec, img.tags, faults);
      if (fault) content.signatureFaultsApplied[faults.indexOf(fault)]!++;
    }
    if (signing?.gpg && signs === 'gpg') {
      const sig = gpgSignatureFor(spec, img, signing.host, signing.gpg, faults);
      if (sig) content.lookaside.set(lookasideDir(spec.repository, img.top.digest), sig);
    }
    if (signing?.keys && signs === 'sigstore') {
      const att = signatureAttachment(spec, img, signing.host, signing.keys, faults);
      if (att) {
        repo.tags.set(att.tag, att.manifest);
        repo.manifests.set(att.manifest.digest, att.manifest);
        for (const b of att.blobs) repo.blobs.set(b.digest, b);
      }
    }
  }
  faults.forEach((rule, index) => {
    if (rule.kind !== 'stale-tag') return;
    const repoRe = rule.repository !== undefined ? globToRegExp(rule.repository) : undefined;
    const refRe = rule.reference !== undefined ? globToRegExp(rule.reference) : undefined;
    for (const spec of images) {
      if (repoRe !== undefined && !repoRe.test(spec.repository)) continue;
      const variantContent = rule.content ?? `${spec.content ?? defaultContent(spec.repository)}~stale`;
      const img = cachedBuild({ ...spec, content: variantContent }, cache);
      const repo = repoFor(content, spec.repository);
      addImage(repo, img);
      for (const tag of img.tags) if (refRe === undefined || refRe.test(tag)) repo.stale.set(`${index}\t${tag}`, img.top);
    }
  });
  return content;
}
