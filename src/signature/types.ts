/**
 * Shared shapes for signature verification: the GPG (simple signing) and sigstore verifiers report alike, so the
 * engine and every view handle one result type.
 */

/** Signature failure classes (issue 12). */
export type SignatureErrorClass = 'signature-missing' | 'signature-invalid' | 'identity-mismatch' | 'untrusted-key';

/** One requirement's verification result, in the runtime's words. */
export interface SignatureCheck {
  requirement: 'signedBy' | 'sigstoreSigned';
  ok: boolean;
  /** When !ok: the class and the containers/image error text, exact (e.g. "A signature was required, but no signature exists"). */
  errorClass?: SignatureErrorClass;
  error?: string;
  /** How many signatures were looked at, and where they came from (URL, file path, or registry reference of the .sig tag). */
  signaturesFound: number;
  from: string[];
  /** For a report: which key / identity / digest matched, in words. */
  detail: string;
}
