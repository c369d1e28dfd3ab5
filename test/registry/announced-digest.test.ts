import { describe, expect, it } from 'vitest';
import { announcedDigestMismatch, digestLike, sha256Digest } from '../../src/registry/manifest.ts';

const body = Buffer.from('{"schemaVersion":2}');
const sha256 = sha256Digest(body);
const sha512 = digestLike('sha512:', body);
const other = sha256Digest(Buffer.from('other bytes'));

describe('announcedDigestMismatch with the digest already known', () => {
  it('answers as without it: right, lying, other algorithm, malformed header', () => {
    for (const header of [sha256, other, sha512, digestLike('sha512:', Buffer.from('x')), 'sha256:ABC', 'md5:00', null]) {
      for (const known of [sha256, sha512, undefined]) {
        expect(announcedDigestMismatch(header, body, known)).toEqual(announcedDigestMismatch(header, body));
      }
    }
  });

  it('names the bytes\' digest in the header\'s algorithm when the header lies', () => {
    expect(announcedDigestMismatch(other, body, sha256)).toEqual({ announced: other, actual: sha256 });
    expect(announcedDigestMismatch(other, body, sha512)).toEqual({ announced: other, actual: sha256 });
  });
});
