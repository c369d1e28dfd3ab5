import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSigstoreTrustMaterial } from '../../src/signature/sigstore-trust-files.ts';
import { verifySigstoreSigned } from '../../src/signature/sigstore-verify.ts';
import { DIGEST, IDENTITY, ecKey, signature } from './sigstore-vectors.ts';

describe('readSigstoreTrustMaterial', () => {
  it('reads keyPaths in order, and the verifier accepts with them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-sig-'));
    const a = ecKey();
    const b = ecKey();
    await writeFile(join(dir, 'a.pub'), a.publicPem);
    await writeFile(join(dir, 'b.pub'), b.publicPem);
    const req = { type: 'sigstoreSigned', keyPaths: [join(dir, 'a.pub'), join(dir, 'b.pub')] };
    const m = await readSigstoreTrustMaterial(req);
    expect(m.keys.map((k) => Buffer.from(k).toString())).toEqual([a.publicPem, b.publicPem]);
    const r = await verifySigstoreSigned(req, { manifestDigest: DIGEST, identity: IDENTITY, signatures: [signature(b.privateKey)], ...m });
    expect(r.ok).toBe(true);
  });

  it('a missing file: Go\'s os.ReadFile words', async () => {
    await expect(readSigstoreTrustMaterial({ keyPath: '/nonexistent/key.pub' })).rejects.toThrow('open /nonexistent/key.pub: no such file or directory');
  });
});
