import { beforeAll, describe, expect, it } from 'vitest';
import * as openpgp from 'openpgp';
import { verifySignedBy } from '../../src/signature/simple-signing.ts';
import type { JsonObject } from '../../src/policy/strict-json.ts';

const DIGEST = 'sha256:' + 'b'.repeat(64);
const req = { type: 'signedBy', keyType: 'GPGKeys', keyData: 'x' } as unknown as JsonObject;
let trusted: { pub: Uint8Array; priv: openpgp.PrivateKey };
let other: { pub: Uint8Array; priv: openpgp.PrivateKey };

async function keypair(name: string) {
  const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name }], format: 'object' });
  return { pub: publicKey.write(), priv: privateKey };
}
function payload(digest = DIGEST, ref = 'quay.io/a/b:1', extra?: Record<string, unknown>): string {
  return JSON.stringify({ critical: { type: 'atomic container signature', image: { 'docker-manifest-digest': digest }, identity: { 'docker-reference': ref } }, optional: { creator: 'test' }, ...extra });
}
async function sign(text: string, key = trusted.priv): Promise<Uint8Array> {
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
  return (await openpgp.sign({ message, signingKeys: key, format: 'binary' })) as Uint8Array;
}
const input = (signatures: Uint8Array[], keys = [trusted.pub], identity = 'quay.io/a/b:1') => ({ manifestDigest: DIGEST, identity, signatures, keys });

beforeAll(async () => {
  [trusted, other] = await Promise.all([keypair('trusted'), keypair('other')]);
});

// Texts from containers/image 5.23.1 signature/policy_eval_signedby.go and signature/simple.go.
describe('verifySignedBy', () => {
  it('accepts a signature by a policy key for the pulled digest and identity', async () => {
    const r = await verifySignedBy(req, input([await sign(payload())]));
    expect(r).toMatchObject({ ok: true, signaturesFound: 1 });
    expect(r.detail).toContain('quay.io/a/b:1');
  });
  it('no signatures: signature-missing', async () => {
    expect(await verifySignedBy(req, input([]))).toMatchObject({ ok: false, errorClass: 'signature-missing', error: 'A signature was required, but no signature exists' });
  });
  it('digest mismatch: signature-invalid', async () => {
    const d = 'sha256:' + 'c'.repeat(64);
    expect(await verifySignedBy(req, input([await sign(payload(d))]))).toMatchObject({ errorClass: 'signature-invalid', error: `Signature for digest ${d} does not match` });
  });
  it('identity mismatch, checked against the pulled name', async () => {
    const r = await verifySignedBy(req, input([await sign(payload(DIGEST, 'mirror.local/a/b:1'))]));
    expect(r).toMatchObject({ errorClass: 'identity-mismatch', error: 'Signature for identity mirror.local/a/b:1 is not accepted' });
    const remap = { ...req, signedIdentity: { type: 'matchRepository' } } as unknown as JsonObject;
    expect((await verifySignedBy(remap, input([await sign(payload(DIGEST, 'quay.io/a/b:2'))]))).ok).toBe(true);
  });
  it('a key outside the policy: untrusted-key; no usable key: "No public keys imported"', async () => {
    const r = await verifySignedBy(req, input([await sign(payload(), other.priv)]));
    expect(r).toMatchObject({ ok: false, errorClass: 'untrusted-key' });
    expect(r.error).toMatch(/^Invalid GPG signature: /);
    expect(await verifySignedBy(req, input([await sign(payload())], [new TextEncoder().encode('not a key')]))).toMatchObject({ errorClass: 'untrusted-key', error: 'No public keys imported' });
  });
  it('a signature made by a signing SUBKEY of a policy key is refused, naming the subkey (as gpgme + 5.23 do)', async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'sub' }], subkeys: [{ sign: true }], format: 'object' });
    const message = await openpgp.createMessage({ binary: new TextEncoder().encode(payload()) });
    const sig = (await openpgp.sign({ message, signingKeys: privateKey, format: 'binary' })) as Uint8Array;
    const sub = publicKey.subkeys[0]!.getFingerprint().toUpperCase();
    expect(sub).not.toBe(publicKey.getFingerprint().toUpperCase());
    expect(await verifySignedBy(req, input([sig], [publicKey.write()]))).toMatchObject({ ok: false, errorClass: 'untrusted-key', error: `Signature by key ${sub} is not accepted` });
  });
  it('a modified signature does not verify: signature-invalid', async () => {
    const sig = await sign(payload());
    // a literal-data byte near the end of the packet stream is inside the signed payload only when uncompressed:
    // openpgp.js does not compress by default, so flip a byte of the JSON
    const text = new TextEncoder().encode('"quay.io/a/b:1"');
    const at = Buffer.from(sig).indexOf(Buffer.from(text));
    expect(at).toBeGreaterThan(0);
    const bad = Uint8Array.from(sig);
    bad[at + 1] = 'x'.charCodeAt(0);
    const r = await verifySignedBy(req, input([bad]));
    expect(r).toMatchObject({ ok: false, errorClass: 'signature-invalid' });
  });
  it('payload format errors carry upstream texts', async () => {
    const bad = async (t: string) => (await verifySignedBy(req, input([await sign(t)]))).error;
    expect(await bad(payload(DIGEST, 'quay.io/a/b:1', { extra: 1 }))).toBe('Unknown key "extra"');
    expect(await bad(JSON.stringify({ critical: {} }))).toBe('Key "optional" missing in a JSON object');
    expect(await bad(payload().replace('atomic container signature', 'other'))).toBe('Unrecognized signature type other');
    expect(await bad(payload().replace('"creator":"test"', '"timestamp":1.5'))).toBe('Field optional.timestamp is not is not an integer');
    // Go decodes null into a string as "": an empty digest then fails the digest check
    expect(await bad(payload().replace(`"${DIGEST}"`, 'null'))).toBe('Signature for digest  does not match');
  });
  it('several rejections are summarised in order; one good signature is enough', async () => {
    const wrongId = await sign(payload(DIGEST, 'quay.io/a/c:1'));
    const wrongDigest = await sign(payload('sha256:' + 'd'.repeat(64)));
    const r = await verifySignedBy(req, input([wrongId, wrongDigest]));
    expect(r.error).toBe(`None of the signatures were accepted, reasons: Signature for identity quay.io/a/c:1 is not accepted; Signature for digest sha256:${'d'.repeat(64)} does not match`);
    expect(r.errorClass).toBe('signature-invalid');
    expect((await verifySignedBy(req, input([wrongId, await sign(payload())]))).ok).toBe(true);
  });
  it('armored keys and unknown keyType', async () => {
    const armored = new TextEncoder().encode((await openpgp.readKey({ binaryKey: trusted.pub })).armor());
    expect((await verifySignedBy(req, input([await sign(payload())], [armored]))).ok).toBe(true);
    const x509 = { ...req, keyType: 'X509Certificates' } as unknown as JsonObject;
    expect((await verifySignedBy(x509, input([await sign(payload())]))).error).toBe('Unimplemented "keyType" value "X509Certificates"');
  });
});
