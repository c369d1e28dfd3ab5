/**
 * Words about the credentials of an attempt, for every view (pull text, verify, what to do): which ones were
 * used, and for a refusal whether credentials were REJECTED or there were NONE to send. Never a secret: the
 * source carries the file, key, helper and user name only.
 */
import type { CredentialSource } from './credential-store.ts';
import type { ErrorClass } from './error-class.ts';

/** Credentials were sent (found in a file, a helper or a flag). */
export function credentialsSent(c: CredentialSource | undefined): boolean {
  return c !== undefined && (c.kind === 'auth-file' || c.kind === 'helper' || c.kind === 'flag');
}

/** For a refused attempt (401/403): "rejected: …" or "no credentials: …"; null for other outcomes. */
export function refusalWords(a: { errorClass: ErrorClass | string | null; httpStatus: number | null; credentials?: CredentialSource | undefined }): string | null {
  if (a.errorClass !== 'unauthorized' && a.errorClass !== 'forbidden') return null;
  const status = a.httpStatus ? `HTTP ${a.httpStatus}` : a.errorClass;
  if (!a.credentials) return null;
  if (credentialsSent(a.credentials)) {
    return a.errorClass === 'forbidden' ? `${status} although credentials were sent: ${a.credentials.text} has no pull right there` : `${status}: the credentials were rejected: ${a.credentials.text}`;
  }
  return `${status}: no credentials were sent (${a.credentials.text})`;
}
