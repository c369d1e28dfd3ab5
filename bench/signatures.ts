/**
 * bench/signatures: sigstore public-key signatures verified per second through verifySigstoreSigned (policy
 * requirement with keyData, cosign payload + annotation, digest and identity checked), beside Node's raw
 * crypto.verify on the same payloads and signatures with an already parsed key, in the same run.
 * Issue 12's target: pullpath ≥ 80 % of raw. Run: npx tsx bench/signatures.ts   (N=4000 ROUNDS=5 by default)
 */
import { generateKeyPairSync, sign, verify, createHash } from 'node:crypto';
import { verifySigstoreSigned, SIGSTORE_SIGNATURE_MIME_TYPE, type SigstoreSignature } from '../src/signature/sigstore-verify.ts';
import { buildSigstorePayload } from '../src/signature/sigstore-payload.ts';

const N = Number(process.env.N ?? 4000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const req = { type: 'sigstoreSigned', keyData: Buffer.from(pem).toString('base64'), signedIdentity: { type: 'matchRepoDigestOrExact' } };

const cases = Array.from({ length: N }, (_, i) => {
  const digest = `sha256:${createHash('sha256').update(`image ${i}`).digest('hex')}`;
  const identity = `quay.io/org/app${i}:v${i % 7}`; // a name per image: no memo across images
  const payload = buildSigstorePayload(digest, identity, { creator: 'bench', timestamp: 1_700_000_000 + i });
  const sigB64 = sign('sha256', payload, privateKey).toString('base64');
  const sig: SigstoreSignature = { payload, mediaType: SIGSTORE_SIGNATURE_MIME_TYPE, annotations: { 'dev.cosignproject.cosign/signature': sigB64 } };
  return { digest, identity, sig, raw: Buffer.from(sigB64, 'base64') };
});

const CHUNK = 100;

/** Both paths over the same chunk of cases, back to back, so machine load (2 shared cores) hits both alike. */
async function interleaved(): Promise<{ rawMs: number; ppMs: number }> {
  let rawMs = 0;
  let ppMs = 0;
  for (let from = 0; from < N; from += CHUNK) {
    const chunk = cases.slice(from, from + CHUNK);
    let t0 = performance.now();
    for (const c of chunk) if (!verify('sha256', c.sig.payload, publicKey, c.raw)) throw new Error('raw verify failed');
    rawMs += performance.now() - t0;
    t0 = performance.now();
    for (const c of chunk) {
      const r = await verifySigstoreSigned(req, { manifestDigest: c.digest, identity: c.identity, signatures: [c.sig], keys: [] });
      if (!r.ok) throw new Error(`bench case rejected: ${r.error}`);
    }
    ppMs += performance.now() - t0;
  }
  return { rawMs, ppMs };
}

await interleaved(); // warm-up
const rounds: { rawMs: number; ppMs: number }[] = [];
for (let r = 0; r < ROUNDS; r++) rounds.push(await interleaved());
const rawMs = rounds.reduce((a, r) => a + r.rawMs, 0);
const ppMs = rounds.reduce((a, r) => a + r.ppMs, 0);
const perSec = (ms: number) => (N * ROUNDS) / (ms / 1000);
const ratios = rounds.map((r) => r.rawMs / r.ppMs).sort((a, b) => a - b);
console.log(`sigstore public-key verifications: ${N} signatures x ${ROUNDS} rounds, interleaved in chunks of ${CHUNK} (Node ${process.version})`);
console.log(`  raw crypto.verify:      ${perSec(rawMs).toFixed(0).padStart(8)} /s`);
console.log(`  verifySigstoreSigned:   ${perSec(ppMs).toFixed(0).padStart(8)} /s`);
console.log(`  pullpath / raw:         ${((rawMs / ppMs) * 100).toFixed(1)} % overall, per round ${ratios.map((x) => (x * 100).toFixed(0)).join(' ')} % (target ≥ 80 %)`);
