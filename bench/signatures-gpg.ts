/**
 * GPG simple-signing verification rate: pullpath's verifier beside a raw openpgp.js verify loop on the SAME
 * signatures in the same run. Prints figures; asserts nothing.
 *   raw            readMessage + verify + await verified (the crypto floor: what openpgp.js itself costs)
 *   pullpath/ring  verifySignedByWithKeyring (keys imported once: how pull/verify should call it)
 *   pullpath/full  verifySignedBy (keys imported per call, as containers/image 5.23 does per signature)
 * Run: npx tsx bench/signatures-gpg.ts [N]
 */
import * as openpgp from 'openpgp';
import { importKeys, verifySignedBy, verifySignedByWithKeyring } from '../src/signature/simple-signing.ts';
import type { JsonObject } from '../src/policy/strict-json.ts';

const N = Number(process.argv[2] ?? 300);
const req = { type: 'signedBy', keyType: 'GPGKeys', keyData: 'x' } as unknown as JsonObject;

async function setup(kind: 'ed25519' | 'rsa3072') {
  const opts = kind === 'ed25519' ? ({ type: 'ecc', curve: 'curve25519Legacy' } as const) : ({ type: 'rsa', rsaBits: 3072 } as const);
  const { privateKey, publicKey } = await openpgp.generateKey({ ...opts, userIDs: [{ name: 'bench' }], format: 'object' });
  const items: { digest: string; identity: string; sig: Uint8Array }[] = [];
  for (let i = 0; i < N; i++) {
    const digest = 'sha256:' + i.toString(16).padStart(64, '0');
    const identity = `quay.io/bench/img${i}:v1`;
    const text = JSON.stringify({ critical: { type: 'atomic container signature', image: { 'docker-manifest-digest': digest }, identity: { 'docker-reference': identity } }, optional: { creator: 'bench' } });
    const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
    items.push({ digest, identity, sig: (await openpgp.sign({ message, signingKeys: privateKey, format: 'binary' })) as Uint8Array });
  }
  return { key: publicKey.write(), items };
}

async function rate(label: string, fn: (i: number) => Promise<boolean>): Promise<number> {
  for (let i = 0; i < Math.min(20, N); i++) if (!(await fn(i))) throw new Error(`${label}: verification failed`);
  const t = performance.now();
  for (let i = 0; i < N; i++) if (!(await fn(i))) throw new Error(`${label}: verification failed`);
  return N / ((performance.now() - t) / 1000);
}

for (const kind of ['ed25519', 'rsa3072'] as const) {
  const { key, items } = await setup(kind);
  const ring = await importKeys([key]);
  const rawKey = await openpgp.readKey({ binaryKey: key });
  const raw = await rate('raw', async (i) => {
    const message = await openpgp.readMessage({ binaryMessage: items[i]!.sig });
    const r = await openpgp.verify({ message, verificationKeys: rawKey, format: 'binary' });
    await r.signatures[0]!.verified;
    return true;
  });
  const input = (i: number) => ({ manifestDigest: items[i]!.digest, identity: items[i]!.identity, signatures: [items[i]!.sig], keys: [key] });
  const ringRate = await rate('ring', async (i) => (await verifySignedByWithKeyring(req, input(i), ring)).ok);
  const full = await rate('full', async (i) => (await verifySignedBy(req, input(i))).ok);
  const f = (x: number) => x.toFixed(0).padStart(6);
  console.log(`${kind.padEnd(8)} N=${N}  raw ${f(raw)}/s   pullpath/ring ${f(ringRate)}/s (${((ringRate / raw) * 100).toFixed(0)}% of raw)   pullpath/full ${f(full)}/s (${((full / raw) * 100).toFixed(0)}%)`);
}
