/**
 * Digest validation as go-digest (v1) does it when the reference parser calls `digest.Parse`.
 * The reference grammar already accepted `alg:[0-9a-fA-F]{32,}`; this decides whether the algorithm is known
 * and the hex part has the right length and case. The messages are go-digest's own.
 */

/** Algorithms go-digest can verify in a containers/image binary, with the hex length of their digests. */
const ALGORITHM_HEX_LENGTH: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

const anchoredDigestRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function isLowerHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

export const ERR_DIGEST_INVALID_FORMAT = 'invalid checksum digest format';
export const ERR_DIGEST_INVALID_LENGTH = 'invalid checksum digest length';
export const ERR_DIGEST_UNSUPPORTED = 'unsupported digest algorithm';

/** Returns null when `d` is a valid digest, else go-digest's error text. */
export function digestError(d: string): string | null {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) return ERR_DIGEST_INVALID_FORMAT;
  const algorithm = d.slice(0, i);
  const encoded = d.slice(i + 1);
  const hexLength = ALGORITHM_HEX_LENGTH.get(algorithm);
  if (hexLength === undefined) {
    return anchoredDigestRegexp.test(d) ? ERR_DIGEST_UNSUPPORTED : ERR_DIGEST_INVALID_FORMAT;
  }
  if (encoded.length !== hexLength) return ERR_DIGEST_INVALID_LENGTH;
  return isLowerHex(encoded) ? null : ERR_DIGEST_INVALID_FORMAT;
}
