/**
 * GPG (simple signing) signatures for mock images, served as an http lookaside store on the registry's own
 * listener: `/lookaside/<repository>@sha256=<hex>/signature-1` — the layout containers/image reads
 * (docker/docker_image_src.go, getSignaturesFromLookaside) from a registries.d `lookaside: http://HOST/lookaside`.
 * The key pair is generated once per set of mocks with openpgp.js; its PRIMARY key signs, because
 * containers/image 5.23 trusts only the imported primary fingerprints (a subkey signature is refused).
 *
 * openpgp signs asynchronously while the registry's content is built synchronously (and rebuilt when fault
 * rules change), so every signature an image can need — good, wrong key, wrong digest, wrong identity (the
 * default one and each `identity` a start-time rule names) — is signed before the handler exists and kept in
 * a book keyed by key and payload. The same content faults as sigstore apply (sigstore-sign.ts).
 */
import * as openpgp from 'openpgp';
import { createHash } from 'node:crypto';
import type { FaultRule, MockImageSpec, MockRegistrySpec } from './spec.ts';
import type { BuiltImage } from './image-builder.ts';
import { signatureFaultFor } from './sigstore-sign.ts';

/** The path prefix of the lookaside store on each mock's listener. */
export const LOOKASIDE_PREFIX = '/lookaside/';

export interface MockGpgKeys {
  key: openpgp.PrivateKey;
  /** The key `signature-wrong-key` signs with (never published). */
  wrongKey: openpgp.PrivateKey;
  /** ASCII-armored public key: what a policy's `signedBy` keyPath / keyData holds. */
  publicKeyArmored: string;
}

async function generate(name: string): Promise<{ privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey }> {
  // ECC (Ed25519 primary, which signs; X25519 encryption subkey).
  return openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name, email: 'mock@pullpath.invalid' }], format: 'object' });
}

export async function createMockGpgKeys(): Promise<MockGpgKeys> {
  const [good, wrong] = await Promise.all([generate('pullpath mock'), generate('pullpath mock (wrong key)')]);
  return { key: good.privateKey, wrongKey: wrong.privateKey, publicKeyArmored: good.publicKey.armor() };
}

/** containers/image's simple-signing payload (signature/simple.go), as `skopeo copy --sign-by` writes it. */
export function gpgPayload(digest: string, reference: string): string {
  return JSON.stringify({
    critical: { type: 'atomic container signature', image: { 'docker-manifest-digest': digest }, identity: { 'docker-reference': reference } },
    optional: {},
  });
}

/** Signed payloads by `<good|wrong>\n<payload>`: filled by `signGpgVariants`, read synchronously when content is built. */
export type GpgSignatureBook = Map<string, Uint8Array>;

interface Variant {
  wrongKey: boolean;
  payload: string;
}

/** The signature an image gets under the current rules (null = signature-missing). */
function variantFor(spec: MockImageSpec, img: BuiltImage, registryHost: string, fault: FaultRule | undefined): Variant | null {
  if (fault?.kind === 'signature-missing') return null;
  const name = spec.signedName ?? `${registryHost}/${spec.repository}`;
  const tag = img.tags[0] ?? 'latest';
  let reference = `${name}:${tag}`;
  let digest = img.top.digest;
  if (fault?.kind === 'signature-wrong-identity') reference = fault.identity ?? `${name}-unsigned:${tag}`;
  if (fault?.kind === 'signature-wrong-digest') digest = `sha256:${createHash('sha256').update(`not ${digest}`).digest('hex')}`;
  return { wrongKey: fault?.kind === 'signature-wrong-key', payload: gpgPayload(digest, reference) };
}

const bookKey = (v: Variant): string => `${v.wrongKey ? 'wrong' : 'good'}\n${v.payload}`;

/** Does this image get GPG signatures (its own `signatures`, else the registry's)? */
export function imageSignsGpg(spec: MockImageSpec, registry: MockRegistrySpec): boolean {
  return (spec.signatures ?? registry.signatures) === 'gpg';
}

/**
 * Sign, ahead of time, every variant a GPG-signed image of this registry can need: no fault and each signature
 * fault (with the default identity and every `identity` the start-time rules name).
 */
export async function signGpgVariants(registry: MockRegistrySpec, build: (spec: MockImageSpec) => BuiltImage, keys: MockGpgKeys, book: GpgSignatureBook = new Map()): Promise<GpgSignatureBook> {
  const identities = new Set<string | undefined>([undefined]);
  for (const r of registry.faults ?? []) if (r.kind === 'signature-wrong-identity' && r.identity !== undefined) identities.add(r.identity);
  const wanted = new Map<string, Variant>();
  for (const spec of registry.images ?? []) {
    if (!imageSignsGpg(spec, registry)) continue;
    const img = build(spec);
    const faults: (FaultRule | undefined)[] = [undefined, { kind: 'signature-wrong-key' }, { kind: 'signature-wrong-digest' }];
    for (const identity of identities) faults.push({ kind: 'signature-wrong-identity', ...(identity !== undefined ? { identity } : {}) } as FaultRule);
    for (const f of faults) {
      const v = variantFor(spec, img, registry.host, f);
      if (v && !book.has(bookKey(v))) wanted.set(bookKey(v), v);
    }
  }
  await Promise.all(
    [...wanted].map(async ([k, v]) => {
      const message = await openpgp.createMessage({ binary: new TextEncoder().encode(v.payload) });
      book.set(k, (await openpgp.sign({ message, signingKeys: v.wrongKey ? keys.wrongKey : keys.key, format: 'binary' })) as Uint8Array);
    }),
  );
  return book;
}

/** `<repository>@sha256=<hex>`: the lookaside directory of one manifest (upstream's signatureStorageURL). */
export function lookasideDir(repository: string, digest: string): string {
  return `${repository}@${digest.replace(':', '=')}`;
}

/**
 * The lookaside signature for an image under the current rules, or null (signature-missing, or a variant not
 * signed at start: a `signature-wrong-identity` rule set later with a new `identity`).
 */
export function gpgSignatureFor(spec: MockImageSpec, img: BuiltImage, registryHost: string, book: GpgSignatureBook, faults: FaultRule[]): Uint8Array | null {
  const v = variantFor(spec, img, registryHost, signatureFaultFor(spec, img.tags, faults));
  return v === null ? null : (book.get(bookKey(v)) ?? null);
}
