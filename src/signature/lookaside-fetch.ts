/**
 * Reads GPG simple-signing signatures from a lookaside store, as containers/image 5.23
 * docker/docker_image_src.go (`getSignaturesFromLookaside`, `getOneSignature`) and docker/registries_d.go
 * (`lookasideStorageURL`) do:
 *
 *   <base>@<alg>=<hex>/signature-N     (base = store URL + "/" + repository path; see registries-d.ts)
 *
 * for N = 1, 2, … until the first missing one (file: ENOENT; http(s): 404). Any other failure (a 500, a
 * refused connection, an unreadable file) fails the whole read — the runtime does not skip it, which is why
 * an unreachable http lookaside fails even a pull whose policy needs no GPG signature.
 * HTTP goes through the project's dispatcher factory, so the host map applies to lookaside hosts too.
 */
import { readFile } from '../fs-async.ts';
import { fileURLToPath } from 'node:url';
import { STATUS_CODES } from 'node:http';
import type { DispatcherFactory } from '../registry/dispatcher-factory.ts';
import { goNetworkError } from '../registry/network-error.ts';
import type { TlsMaterial } from '../registry/certs-d.ts';

/** iolimits.MaxSignatureBodySize (4 MiB). */
export const MAX_SIGNATURE_BODY_SIZE = 4 * 1024 * 1024;
/** A bound the runtime does not have; keeps a store that answers 200 to everything from looping forever. */
export const MAX_LOOKASIDE_SIGNATURES = 128;

export interface LookasideSignatures {
  signatures: Uint8Array[];
  /** The URL of each signature read (same order). */
  from: string[];
}

export class LookasideError extends Error {
  readonly code = 'PP_ERR_LOOKASIDE';
  /** unreadable: the store could not be read (the pull fails before any verification); malformed: a blob is no signature. */
  constructor(
    message: string,
    readonly kind: 'unreadable' | 'malformed' = 'unreadable',
  ) {
    super(message);
  }
}

/** `lookasideStorageURL`: the URL of signature `index` (0-based) for `manifestDigest` under `base`. */
export function lookasideSignatureUrl(base: string, manifestDigest: string, index: number): string {
  const colon = manifestDigest.indexOf(':');
  const u = new URL(base);
  u.pathname = `${u.pathname}@${manifestDigest.slice(0, colon)}=${manifestDigest.slice(colon + 1)}/signature-${index + 1}`;
  return u.href;
}

export interface LookasideFetchOptions {
  /** Needed for http(s) stores. */
  dispatchers?: DispatcherFactory;
  /** The serving registry's TLS choice (the runtime reads the lookaside with that registry's HTTP client). */
  insecure?: boolean;
  /** The serving registry's certs.d material (CA, client certificate): the same client, so the same trust. */
  tls?: TlsMaterial | null;
  signal?: AbortSignal;
}

/** Every signature for `manifestDigest` under `base` (from registries-d.ts `lookasideFor(...).url`). */
export async function fetchLookasideSignatures(base: string, manifestDigest: string, opts: LookasideFetchOptions = {}): Promise<LookasideSignatures> {
  const out: LookasideSignatures = { signatures: [], from: [] };
  for (let i = 0; i < MAX_LOOKASIDE_SIGNATURES; i++) {
    const url = lookasideSignatureUrl(base, manifestDigest, i);
    const got = await getOneSignature(url, opts);
    if (got === null) break;
    if (got.blob === null) continue;
    out.signatures.push(got.blob);
    out.from.push(url);
  }
  return out;
}

/** One signature (blob null: present but not a GPG one), or null when it does not exist. */
async function getOneSignature(url: string, opts: LookasideFetchOptions): Promise<{ blob: Uint8Array | null } | null> {
  const u = new URL(url);
  switch (u.protocol) {
    case 'file:': {
      const path = fileURLToPath(u);
      let blob: Buffer;
      try {
        blob = await readFile(path);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'ENOENT') return null;
        throw new LookasideError(`open ${path}: ${goErrno(err)}`);
      }
      return { blob: simpleSigningFromBlob(new Uint8Array(blob), `parsing signature "${path}"`) };
    }
    case 'http:':
    case 'https:': {
      if (!opts.dispatchers) throw new LookasideError(`reading signature from ${redacted(u)}: no HTTP client configured`);
      const dispatcher = opts.dispatchers.get({ insecure: opts.insecure === true, ...(opts.tls ? { tls: opts.tls } : {}) }, u.origin);
      let res;
      try {
        res = await dispatcher.request({ origin: u.origin, path: u.pathname + u.search, method: 'GET', ...(opts.signal ? { signal: opts.signal } : {}) });
      } catch (e) {
        // client.Do's error, in Go's words: `Get "URL": dial tcp …: connect: connection refused`
        throw new LookasideError(goNetworkError(e, { method: 'GET', url: redacted(u), ...(opts.signal ? { signal: opts.signal } : {}) }).message);
      }
      if (res.statusCode === 404) {
        await res.body.dump();
        return null;
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new LookasideError(`reading signature from ${redacted(u)}: status ${res.statusCode} (${STATUS_CODES[res.statusCode] ?? ''})`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of res.body) {
        size += (c as Buffer).length;
        if (size > MAX_SIGNATURE_BODY_SIZE) {
          res.body.destroy();
          throw new LookasideError(`exceeded maximum allowed size of ${MAX_SIGNATURE_BODY_SIZE} bytes`);
        }
        chunks.push(c as Buffer);
      }
      return { blob: simpleSigningFromBlob(new Uint8Array(Buffer.concat(chunks)), `parsing signature ${redacted(u)}`) };
    }
    default:
      throw new LookasideError(`Unsupported scheme when reading signature from ${redacted(u)}`);
  }
}

/**
 * internal/signature `FromBlob` (5.23.1): a blob starting with an OpenPGP compressed-data, one-pass-signature or
 * signature packet tag is a legacy simple-signing signature (what lookaside stores hold); `\0FORMAT\n` + bytes
 * names its format. Sigstore blobs are not GPG signatures: `UnparsedImage.Signatures` drops them for signedBy
 * (null here: skipped, the loop goes on).
 */
const OPENPGP_FIRST_BYTES = new Set([0xa0, 0xa1, 0xa2, 0xa3, 0xc8, 0x90, 0x91, 0x92, 0x3d, 0xc4, 0x88, 0x89, 0x8a, 0x8b, 0xc2]);

export function simpleSigningFromBlob(blob: Uint8Array, what: string): Uint8Array | null {
  if (blob.length === 0) throw new LookasideError(`${what}: empty signature blob`, 'malformed');
  if (OPENPGP_FIRST_BYTES.has(blob[0]!)) return blob;
  if (blob[0] !== 0) throw new LookasideError(`${what}: unrecognized signature format, starting with binary 0x${blob[0]!.toString(16)}`, 'malformed');
  const rest = blob.subarray(1);
  const nl = rest.indexOf(0x0a);
  if (nl === -1) throw new LookasideError(`${what}: invalid signature format, missing newline`, 'malformed');
  const format = rest.subarray(0, nl);
  for (const b of format) if (b < 32 || b >= 0x7f) throw new LookasideError(`${what}: invalid signature format, non-ASCII byte 0x${b.toString(16)}`, 'malformed');
  const name = Buffer.from(format).toString('latin1');
  if (name === 'simple-signing') return rest.subarray(nl + 1);
  if (name === 'sigstore-json') return null;
  throw new LookasideError(`${what}: unrecognized signature format ${JSON.stringify(name)}`, 'malformed');
}

/** url.Redacted(): the password replaced by "xxxxx". */
function redacted(u: URL): string {
  if (u.password === '') return u.href;
  const c = new URL(u.href);
  c.password = 'xxxxx';
  return c.href;
}

/** Go's syscall error strings for the errors a read hits. */
function goErrno(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e.message;
  }
}
