/**
 * `signedIdentity` of a signedBy / sigstoreSigned requirement: does the identity a signature claims
 * (`critical.identity.docker-reference`) satisfy the policy for the name the user pulled?
 * Rules as containers/image signature/policy_reference_match.go (matchesDockerReference of each prm type);
 * the default (no signedIdentity) is matchRepoDigestOrExact, as signature/policy_config.go's newPRSignedBy.
 *
 * NOTE: the contract (wt-notes/signature-contract.md) gives this file to the `gpg` helper; this copy was
 * written against the contract's signature so the sigstore verifier could be tested. On merge keep one.
 */
import { tryParseNormalizedNamed, tryParseNamed, type Reference } from '../reference/index.ts';

type JsonObject = Record<string, unknown>;

/** parseImageAndDockerReference / parseDockerReferences: the signature's reference is ParseNormalizedNamed. */
function normalized(s: unknown): Reference | null {
  if (typeof s !== 'string') return null;
  // Bounded memo: a run checks the same few names (the policy's, the images') over and over.
  const hit = parsed.get(s);
  if (hit !== undefined) return hit;
  const r = tryParseNormalizedNamed(s);
  const ref = r.ok ? r.ref : null;
  if (parsed.size >= 4096) parsed.clear();
  parsed.set(s, ref);
  return ref;
}
const parsed = new Map<string, Reference | null>();

/** matchRepoDigestOrExactReferenceValues: a tagged pull needs the exact tag; a digest pull needs the repository. */
function repoDigestOrExact(intended: Reference, signature: Reference): boolean {
  if (signature.isNameOnly()) return false;
  if (intended.tag !== null) return signature.string() === intended.string(); // includes tag+digest
  if (intended.digest !== null) return signature.name() === intended.name();
  return false;
}

/** prmRemapIdentity.refMatchesPrefix: the name equals the prefix, or continues it after a `/`. */
function refMatchesPrefix(name: string, prefix: string): boolean {
  if (name.length < prefix.length) return false;
  if (name.length === prefix.length) return name === prefix;
  return name.startsWith(prefix) && name[prefix.length] === '/';
}

export function matchesSignedIdentity(signedIdentity: JsonObject | undefined, pulled: string, signedDockerReference: string): boolean {
  const intended = normalized(pulled);
  const signature = normalized(signedDockerReference);
  const type = signedIdentity?.type ?? 'matchRepoDigestOrExact';
  switch (type) {
    case 'matchExact':
      if (!intended || !signature || intended.isNameOnly() || signature.isNameOnly()) return false;
      return signature.string() === intended.string();
    case 'matchRepoDigestOrExact':
      return !!intended && !!signature && repoDigestOrExact(intended, signature);
    case 'matchRepository':
      return !!intended && !!signature && signature.name() === intended.name();
    case 'exactReference': {
      const want = normalized(signedIdentity?.dockerReference);
      if (!want || !signature || want.isNameOnly() || signature.isNameOnly()) return false;
      return signature.string() === want.string();
    }
    case 'exactRepository': {
      const want = normalized(signedIdentity?.dockerRepository);
      return !!want && !!signature && signature.name() === want.name();
    }
    case 'remapIdentity': {
      if (!intended || !signature) return false;
      const prefix = String(signedIdentity?.prefix ?? '');
      const signedPrefix = String(signedIdentity?.signedPrefix ?? '');
      let remapped = intended;
      if (refMatchesPrefix(intended.name(), prefix)) {
        // remapReferencePrefix: replace in String(), then reference.ParseNamed (canonical form required).
        const r = tryParseNamed(intended.string().replace(prefix, signedPrefix));
        if (!r.ok) return false;
        remapped = r.ref;
      }
      return repoDigestOrExact(remapped, signature);
    }
    default:
      return false;
  }
}
