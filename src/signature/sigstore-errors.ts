/**
 * The two error kinds containers/image's sigstore verification returns, kept apart because the class a user
 * sees depends on which one it was: `InvalidSignatureError` (signature/internal/errors.go: the signature or its
 * evidence is malformed or does not verify) and `PolicyRequirementError` (signature/policy_types.go: the
 * signature verifies but does not satisfy the policy — digest or identity). Other failures (a key that does not
 * parse, an unsupported key type) are plain errors. `message` is always the runtime's text.
 */
import type { SignatureErrorClass } from './types.ts';

export class SigstoreRejection extends Error {
  constructor(
    message: string,
    readonly errorClass: SignatureErrorClass,
  ) {
    super(message);
  }
}

/** InvalidSignatureError: malformed or unverifiable evidence. */
export const invalid = (message: string): SigstoreRejection => new SigstoreRejection(message, 'signature-invalid');
/** The signer is not one the policy trusts (no key matches, certificate not from the CA, wrong issuer or subject). */
export const untrusted = (message: string): SigstoreRejection => new SigstoreRejection(message, 'untrusted-key');
