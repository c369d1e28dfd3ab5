/**
 * The I/O edge for one `signedBy` requirement on one pulled image: key material from the requirement
 * (keyPath / keyPaths / keyData), signatures from the lookaside store that registries.d names for the
 * PHYSICAL source that served the image, then the pure verifier (simple-signing.ts).
 *
 * The lead wires this into `policy --check-signatures`, `pull` and `verify --check-signatures`.
 * Runtime order (containers/image 5.23 policy_eval_signedby.go): signatures are read first; with none,
 * the answer is "no signature exists" whatever the keys; the keys are read per signature.
 */
import { readFile } from 'node:fs/promises';
import type { JsonObject } from '../policy/strict-json.ts';
import type { DispatcherFactory } from '../registry/dispatcher-factory.ts';
import { fetchLookasideSignatures, LookasideError } from './lookaside-fetch.ts';
import { lookasideFor, type RegistriesDConfig } from './registries-d.ts';
import { importKeys, verifySignedByWithKeyring } from './simple-signing.ts';
import type { SignatureCheck } from './types.ts';

export interface SignedByCheckInput {
  /** The requirement's fields as policy parsing keeps them (`PolicyRequirement.fields`). */
  requirement: JsonObject;
  /** The name the user pulled, normalized, with tag or digest (e.g. `quay.io/org/app:v1`). */
  pulled: string;
  /** The physical reference that served the image (a mirror's when a mirror did), with tag or digest. */
  physical: string;
  /** The manifest digest that was served. */
  manifestDigest: string;
  registriesD: RegistriesDConfig;
  dispatchers?: DispatcherFactory;
  /** The serving registry is insecure (`--tls-verify=false` or `insecure = true`). */
  insecure?: boolean;
  /** The lookaside used when no registries.d scope names one (default: the runtime's built-in per uid). */
  builtinLookaside?: string;
  signal?: AbortSignal;
}

/** Reads keys and signatures, then verifies. Read failures come back as a failed check in the runtime's words. */
export async function checkSignedBy(input: SignedByCheckInput): Promise<SignatureCheck> {
  const base = { requirement: 'signedBy' as const, signaturesFound: 0, from: [] as string[] };
  let sigs;
  try {
    const store = lookasideFor(input.registriesD, input.physical, input.builtinLookaside ? { builtinDefault: input.builtinLookaside } : {});
    sigs = await fetchLookasideSignatures(store.url, input.manifestDigest, {
      ...(input.dispatchers ? { dispatchers: input.dispatchers } : {}),
      insecure: input.insecure === true,
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } catch (e) {
    // A store that cannot be read: the signatures are not available (missing); a blob that is no signature: invalid.
    const errorClass = e instanceof LookasideError && e.kind === 'malformed' ? 'signature-invalid' : 'signature-missing';
    return { ...base, ok: false, errorClass, error: (e as Error).message, detail: `reading signatures failed: ${(e as Error).message}` };
  }
  const check = { manifestDigest: input.manifestDigest, identity: input.pulled, signatures: sigs.signatures, keys: [] as Uint8Array[], from: sigs.from };
  if (sigs.signatures.length === 0) return verifySignedByWithKeyring(input.requirement, check, { keys: [], fingerprints: [] });
  let keys: Uint8Array[];
  try {
    keys = await readRequirementKeys(input.requirement);
  } catch (e) {
    return { ...base, signaturesFound: sigs.signatures.length, from: sigs.from, ok: false, errorClass: 'untrusted-key', error: (e as Error).message, detail: (e as Error).message };
  }
  return verifySignedByWithKeyring(input.requirement, check, await importKeys(keys));
}

/** keyPath (one file), keyPaths (several), keyData (base64 in policy.json), as policy_eval_signedby.go reads them. */
export async function readRequirementKeys(req: JsonObject): Promise<Uint8Array[]> {
  if (typeof req.keyPath === 'string') return [await readKeyFile(req.keyPath)];
  if (Array.isArray(req.keyPaths)) return Promise.all(req.keyPaths.filter((p): p is string => typeof p === 'string').map(readKeyFile));
  if (typeof req.keyData === 'string') return [new Uint8Array(Buffer.from(req.keyData, 'base64'))];
  return [];
}

async function readKeyFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`open ${path}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
}
