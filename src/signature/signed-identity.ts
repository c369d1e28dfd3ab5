/**
 * `signedIdentity` evaluation: does the identity a signature claims (its `docker-reference`) satisfy the
 * policy's match rule for the image the user pulled? Follows containers/image
 * signature/policy_reference_match.go (v5.23.1; unchanged in later versions for these rules).
 *
 * `pulled` is the name the USER pulled (normalized, with its tag or digest), never the mirror's address:
 * the runtime checks identities against `image.Reference().DockerReference()`, which is the logical name
 * (issue 12, observed with skopeo 1.9.3).
 *
 * Pure: no I/O. Any parse failure means "does not match", as upstream's `matchesDockerReference` returns false.
 */
import type { JsonObject } from '../policy/strict-json.ts';
import { tryParseNamed, tryParseNormalizedNamed, type Reference } from '../reference/index.ts';

/**
 * True when `signedDockerReference` is accepted for `pulled` under `signedIdentity`
 * (absent → `matchRepoDigestOrExact`, the policy default).
 */
export function matchesSignedIdentity(signedIdentity: JsonObject | undefined, pulled: string, signedDockerReference: string): boolean {
  const type = signedIdentity?.type ?? 'matchRepoDigestOrExact';
  const signature = parse(signedDockerReference);
  if (signature === null) return false;
  switch (type) {
    case 'matchExact': {
      const intended = parse(pulled);
      if (intended === null || intended.isNameOnly() || signature.isNameOnly()) return false;
      return signature.string() === intended.string();
    }
    case 'matchRepoDigestOrExact': {
      const intended = parse(pulled);
      return intended !== null && matchRepoDigestOrExact(intended, signature);
    }
    case 'matchRepository': {
      const intended = parse(pulled);
      return intended !== null && signature.name() === intended.name();
    }
    case 'exactReference': {
      // Compared with the policy's own reference, not the pulled name (policy_reference_match.go prmExactReference).
      const intended = parse(stringField(signedIdentity, 'dockerReference'));
      if (intended === null || intended.isNameOnly() || signature.isNameOnly()) return false;
      return signature.string() === intended.string();
    }
    case 'exactRepository': {
      const intended = parse(stringField(signedIdentity, 'dockerRepository'));
      return intended !== null && signature.name() === intended.name();
    }
    case 'remapIdentity': {
      const intended = parse(pulled);
      if (intended === null) return false;
      const remapped = remapReferencePrefix(intended, stringField(signedIdentity, 'prefix'), stringField(signedIdentity, 'signedPrefix'));
      return remapped !== null && matchRepoDigestOrExact(remapped, signature);
    }
    default:
      return false;
  }
}

/**
 * `matchRepoDigestOrExactReferenceValues`: a tagged pull needs the exact same reference signed; a digest pull
 * needs only the same repository (the digest itself is checked against the signature's manifest digest
 * elsewhere); a signature naming no tag/digest never matches.
 */
function matchRepoDigestOrExact(intended: Reference, signature: Reference): boolean {
  if (signature.isNameOnly()) return false;
  if (intended.tag !== null) return signature.string() === intended.string();
  if (intended.digest !== null) return signature.name() === intended.name();
  return false;
}

/**
 * `prmRemapIdentity.remapReferencePrefix`: when the pulled NAME is `prefix` or lies under `prefix/`, the first
 * occurrence of `prefix` in the full reference is replaced by `signedPrefix` and the result must parse as a
 * canonical name (ParseNamed); a parse failure means no match. `host` does not cover `host:port` here.
 */
export function remapReferencePrefix(ref: Reference, prefix: string, signedPrefix: string): Reference | null {
  const name = ref.name();
  const matches = name.length === prefix.length ? name === prefix : name.length > prefix.length && name.startsWith(prefix) && name[prefix.length] === '/';
  if (!matches) return ref;
  const s = ref.string();
  const i = s.indexOf(prefix); // strings.Replace(…, 1): the first occurrence, which is at 0 here
  const r = tryParseNamed(s.slice(0, i) + signedPrefix + s.slice(i + prefix.length));
  return r.ok ? r.ref : null;
}

function parse(s: string): Reference | null {
  const r = tryParseNormalizedNamed(s);
  return r.ok ? r.ref : null;
}

function stringField(o: JsonObject | undefined, key: string): string {
  const v = o?.[key];
  return typeof v === 'string' ? v : '';
}
