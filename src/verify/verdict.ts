/**
 * The verdict for one image in `pullpath verify`: pure data, the JSON Lines contract
 * (`{"type":"verify", …}`, camelCase, stable), rendered by `src/report/verify-text.ts` and JUnit.
 */

import type { CredentialSource } from '../registry/credential-store.ts';

/** Why an image would not be pulled from a mirror. Stable codes; the words are in `detail`. */
export type VerifyReason =
  | 'invalid-reference' // the reference does not parse
  | 'resolution-error' // short name, rewrite or config error before any network access
  | 'no-mirror' // no mirror is configured for this image: only the source could serve it
  | 'tag-on-digest-only' // a tag reference while every mirror is digest-only: the runtime goes to the source
  | 'blocked' // every source left is blocked in registries.conf
  | 'not-mirrored' // a mirror answered but does not have the manifest (404 / manifest unknown)
  | 'auth' // a mirror refused the credentials (401 after auth, 403)
  | 'unreachable' // refused, DNS, TLS, timeout, reset, plain HTTP without `insecure`
  | 'proxy' // the proxy failed (refused, 407, CONNECT refused, SOCKS error): the mirror itself was never reached
  | 'not-a-registry' // an HTML page or a proxy answered instead of a registry
  | 'digest-mismatch' // a mirror served content that is not the digest asked for
  | 'mirror-error' // 5xx, 429 or another unexpected HTTP answer from a mirror
  | 'blobs-missing' // --check-blobs: the manifest is served but some blobs are not (no failover at the blob stage)
  | 'policy' // policy.json rejects the image (judged on the logical reference): served, but never run
  | 'source-only' // only the source served it (allowed with --no-source=false), no mirror did
  | 'signature-missing' // --check-signatures: the mirror has the image but not its signatures (.sig tag / lookaside)
  | 'signature-invalid' // --check-signatures: signatures are there but do not verify (wrong key, wrong digest, malformed)
  | 'identity-mismatch' // --check-signatures: a valid signature for another name than the policy's signedIdentity accepts
  | 'cancelled'; // the run was stopped (Ctrl-C, a closed output) before a mirror answered: not known

export interface VerifyAttempt {
  /** The endpoint as configured. */
  location: string;
  reference: string;
  mirror: boolean;
  outcome: 'ok' | 'failed' | 'blocked' | 'skipped';
  errorClass: string | null;
  httpStatus: number | null;
  /** The runtime's wording, or why it was skipped. */
  error: string | null;
  durationMs: number;
  /** The credentials the attempt used, or where none matched (never a secret). */
  credentials?: CredentialSource;
}

export interface VerifyVerdict {
  type: 'verify';
  image: string;
  normalized: string | null;
  ok: boolean;
  reason: VerifyReason | null;
  /** One line a person can act on: what is missing where, or which mirror serves it. */
  detail: string;
  /** The winning mirror's physical reference (ok only). */
  mirror: string | null;
  /** The winning mirror's configured location (ok only). */
  endpoint: string | null;
  digest: string | null;
  /** false when the image was asked for by tag: a mirror serving a tag proves less than a digest. */
  byDigest: boolean;
  /** Whether the source was forbidden for this image. */
  noSource: boolean;
  attempts: VerifyAttempt[];
  missingBlobs?: string[];
  durationMs: number;
}

export interface VerifySummary {
  total: number;
  passed: number;
  failed: number;
  byReason: Partial<Record<VerifyReason, number>>;
  /** Passed images per mirror endpoint. */
  byMirror: Record<string, number>;
}

export function summarizeVerdicts(verdicts: readonly VerifyVerdict[]): VerifySummary {
  const byReason: Partial<Record<VerifyReason, number>> = {};
  const byMirror: Record<string, number> = {};
  let passed = 0;
  for (const v of verdicts) {
    if (v.ok) {
      passed++;
      if (v.endpoint) byMirror[v.endpoint] = (byMirror[v.endpoint] ?? 0) + 1;
    } else if (v.reason) byReason[v.reason] = (byReason[v.reason] ?? 0) + 1;
  }
  return { total: verdicts.length, passed, failed: verdicts.length - passed, byReason, byMirror };
}
