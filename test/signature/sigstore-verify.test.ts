import { describe, expect, it } from 'vitest';
import { verifySigstoreSigned, SIGSTORE_SIGNATURE_MIME_TYPE } from '../../src/signature/sigstore-verify.ts';
import { buildSigstorePayload } from '../../src/signature/sigstore-payload.ts';
import { DIGEST, OTHER_DIGEST, IDENTITY, ecKey, ed25519Key, signature, signPayload, rekorSet, makeCa, makeLeaf } from './sigstore-vectors.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const keyReq = (pem: string, extra: Record<string, unknown> = {}) => ({ type: 'sigstoreSigned', keyData: b64(pem), ...extra });
const input = (signatures: ReturnType<typeof signature>[], extra: Record<string, unknown> = {}) => ({ manifestDigest: DIGEST, identity: IDENTITY, signatures, keys: [], ...extra });

describe('verifySigstoreSigned: public keys (keyPath/keyData: v5.23 and current; keyPaths/keyDatas: current)', () => {
  const k = ecKey();
  const other = ecKey();

  it('accepts a cosign signature by the key, for the digest and identity pulled', async () => {
    const r = await verifySigstoreSigned(keyReq(k.publicPem), input([signature(k.privateKey)]));
    expect(r).toMatchObject({ ok: true, requirement: 'sigstoreSigned', signaturesFound: 1 });
    expect(r.detail).toContain(DIGEST);
  });

  it('no signature: the runtime\'s text, class signature-missing', async () => {
    const r = await verifySigstoreSigned(keyReq(k.publicPem), input([]));
    expect(r).toMatchObject({ ok: false, errorClass: 'signature-missing', error: 'A signature was required, but no signature exists' });
  });

  it('only non-signature attachments: counted in the text', async () => {
    const att = { ...signature(k.privateKey), mediaType: 'application/vnd.in-toto+json' };
    const r = await verifySigstoreSigned(keyReq(k.publicPem), input([att], { nonSigstoreSignatures: 2 }));
    expect(r.error).toBe('A signature was required, but no signature exists (2 non-sigstore signatures, 1 sigstore non-signature attachments)');
    expect(r.errorClass).toBe('signature-missing');
  });

  it('no matching key: cryptographic signature verification failed (untrusted-key)', async () => {
    const r = await verifySigstoreSigned(keyReq(k.publicPem), input([signature(other.privateKey)]));
    expect(r).toMatchObject({ ok: false, errorClass: 'untrusted-key', error: 'cryptographic signature verification failed: invalid signature when validating ASN.1 encoded signature' });
  });

  it('keyDatas: any key may match; every failure is listed when none does', async () => {
    const ok = await verifySigstoreSigned({ type: 'sigstoreSigned', keyDatas: [b64(other.publicPem), b64(k.publicPem)] }, input([signature(k.privateKey)]));
    expect(ok.ok).toBe(true);
    const third = ecKey();
    const bad = await verifySigstoreSigned({ type: 'sigstoreSigned', keyDatas: [b64(other.publicPem), b64(third.publicPem)] }, input([signature(k.privateKey)]));
    expect(bad.error).toBe('cryptographic signature verification failed: invalid signature when validating ASN.1 encoded signature, invalid signature when validating ASN.1 encoded signature');
  });

  it('keys read by the caller (keyPath/keyPaths) come in input.keys', async () => {
    const r = await verifySigstoreSigned({ type: 'sigstoreSigned', keyPaths: ['/a', '/b'] }, input([signature(k.privateKey)], { keys: [Buffer.from(other.publicPem), Buffer.from(k.publicPem)] }));
    expect(r.ok).toBe(true);
  });

  it('Ed25519 keys verify too (sigstore LoadVerifier), with their own failure text', async () => {
    const e = ed25519Key();
    expect((await verifySigstoreSigned(keyReq(e.publicPem), input([signature(e.privateKey)]))).ok).toBe(true);
    const r = await verifySigstoreSigned(keyReq(e.publicPem), input([signature(ed25519Key().privateKey)]));
    expect(r.error).toBe('cryptographic signature verification failed: failed to verify signature');
  });

  it('digest mismatch: Signature for digest … does not match (signature-invalid)', async () => {
    const r = await verifySigstoreSigned(keyReq(k.publicPem), input([signature(k.privateKey, { digest: OTHER_DIGEST })]));
    expect(r).toMatchObject({ ok: false, errorClass: 'signature-invalid', error: `Signature for digest ${OTHER_DIGEST} does not match` });
  });

  it('identity mismatch: quoted in current containers/image, unquoted in 5.23', async () => {
    const sig = signature(k.privateKey, { ref: 'quay.io/org/other:1' });
    const now = await verifySigstoreSigned(keyReq(k.publicPem), input([sig]));
    expect(now).toMatchObject({ ok: false, errorClass: 'identity-mismatch', error: 'Signature for identity "quay.io/org/other:1" is not accepted' });
    const old = await verifySigstoreSigned(keyReq(k.publicPem), input([sig], { compat: '5.23' }));
    expect(old.error).toBe('Signature for identity quay.io/org/other:1 is not accepted');
  });

  it('signedIdentity matchRepository accepts another tag of the repository; the default does not', async () => {
    const sig = signature(k.privateKey, { ref: 'quay.io/org/app:2' });
    expect((await verifySigstoreSigned(keyReq(k.publicPem), input([sig]))).ok).toBe(false);
    expect((await verifySigstoreSigned(keyReq(k.publicPem, { signedIdentity: { type: 'matchRepository' } }), input([sig]))).ok).toBe(true);
  });

  it('identity is checked against the name pulled, remapped by remapIdentity', async () => {
    const sig = signature(k.privateKey, { ref: 'registry.redhat.io/ubi9/ubi:9' });
    const req = keyReq(k.publicPem, { signedIdentity: { type: 'remapIdentity', prefix: 'mirror.local/rh', signedPrefix: 'registry.redhat.io' } });
    expect((await verifySigstoreSigned(req, input([sig], { identity: 'mirror.local/rh/ubi9/ubi:9' }))).ok).toBe(true);
    expect((await verifySigstoreSigned(req, input([sig], { identity: 'mirror.local/other/ubi9/ubi:9' }))).errorClass).toBe('identity-mismatch');
  });

  it('missing signature annotation', async () => {
    const sig = signature(k.privateKey);
    delete sig.annotations['dev.cosignproject.cosign/signature'];
    expect((await verifySigstoreSigned(keyReq(k.publicPem), input([sig]))).error).toBe('missing dev.cosignproject.cosign/signature annotation');
  });

  it('bad base64 in the signature annotation', async () => {
    const sig = signature(k.privateKey);
    sig.annotations['dev.cosignproject.cosign/signature'] = 'not*base64';
    expect((await verifySigstoreSigned(keyReq(k.publicPem), input([sig]))).error).toBe('base64 decoding: illegal base64 data at input byte 3');
  });

  it('a signed payload with an unknown field is rejected after the signature check', async () => {
    const payload = Buffer.from(JSON.stringify({ critical: { type: 'cosign container image signature', image: { 'docker-manifest-digest': DIGEST }, identity: { 'docker-reference': IDENTITY }, extra: 1 }, optional: null }));
    expect((await verifySigstoreSigned(keyReq(k.publicPem), input([signature(k.privateKey, { payload })]))).error).toBe('Unknown key "extra"');
    const wrongType = Buffer.from(JSON.stringify({ critical: { type: 'other', image: { 'docker-manifest-digest': DIGEST }, identity: { 'docker-reference': IDENTITY } }, optional: {} }));
    expect((await verifySigstoreSigned(keyReq(k.publicPem), input([signature(k.privateKey, { payload: wrongType })]))).error).toBe('Unrecognized signature type other');
  });

  it('a payload with a duplicate key is refused (ParanoidUnmarshalJSONObject), even written as Go writes JSON', async () => {
    const payload = Buffer.from(`{"critical":{"identity":{"docker-reference":"${IDENTITY}"},"image":{"docker-manifest-digest":"${DIGEST}"},"type":"cosign container image signature"},"optional":null,"optional":null}`);
    expect((await verifySigstoreSigned(keyReq(k.publicPem), input([signature(k.privateKey, { payload })]))).error).toBe('Duplicate key "optional"');
  });

  it('the same requirement object judged under both versions keeps their texts apart (trust-root cache keyed by version)', async () => {
    const req = { type: 'sigstoreSigned', keyData: b64('garbage') };
    const sig = signature(k.privateKey);
    expect((await verifySigstoreSigned(req, input([sig]))).error).toBe('parsing public key 1: PEM decoding failed');
    expect((await verifySigstoreSigned(req, input([sig], { compat: '5.23' }))).error).toBe('parsing public key: PEM decoding failed');
  });

  it('keyPath without the key read by the caller says so', async () => {
    const r = await verifySigstoreSigned({ type: 'sigstoreSigned', keyPath: '/etc/pki/key.pub' }, input([signature(k.privateKey)]));
    expect(r.error).toBe('keyPath was not read: pass its contents in input.keys');
  });

  it('a fractional optional.timestamp is refused with the runtime\'s (sic) text', async () => {
    const payload = buildSigstorePayload(DIGEST, IDENTITY, { timestamp: 1.5 });
    expect((await verifySigstoreSigned(keyReq(k.publicPem), input([signature(k.privateKey, { payload })]))).error).toBe('Field optional.timestamp is not is not an integer');
  });

  it('one accepted signature is enough; several rejections are joined', async () => {
    const good = signature(k.privateKey);
    expect((await verifySigstoreSigned(keyReq(k.publicPem), input([signature(other.privateKey), good]))).ok).toBe(true);
    const r = await verifySigstoreSigned(keyReq(k.publicPem), input([signature(other.privateKey), signature(k.privateKey, { ref: 'quay.io/x/y:1' })]));
    expect(r.error).toBe('None of the signatures were accepted, reasons: cryptographic signature verification failed: invalid signature when validating ASN.1 encoded signature; Signature for identity "quay.io/x/y:1" is not accepted');
    expect(r.errorClass).toBe('identity-mismatch');
  });

  it('a key that does not parse: numbered in current containers/image, unnumbered in 5.23', async () => {
    const sig = signature(k.privateKey);
    expect((await verifySigstoreSigned({ type: 'sigstoreSigned', keyData: b64('garbage') }, input([sig]))).error).toBe('parsing public key 1: PEM decoding failed');
    expect((await verifySigstoreSigned({ type: 'sigstoreSigned', keyData: b64('garbage') }, input([sig], { compat: '5.23' }))).error).toBe('parsing public key: PEM decoding failed');
  });

  it('5.23 knows only keyPath/keyData', async () => {
    const r = await verifySigstoreSigned({ type: 'sigstoreSigned', keyDatas: [b64(k.publicPem)] }, input([signature(k.privateKey)], { compat: '5.23' }));
    expect(r).toMatchObject({ ok: false, error: 'Unknown key "keyDatas"' });
  });

  it('a signature over a manifest by another digest algorithm matches when the manifest is given', async () => {
    const manifest = Buffer.from('{"schemaVersion":2}');
    const { createHash } = await import('node:crypto');
    const d512 = `sha512:${createHash('sha512').update(manifest).digest('hex')}`;
    const r = await verifySigstoreSigned(keyReq(k.publicPem), input([signature(k.privateKey, { digest: d512 })], { manifest }));
    expect(r.ok).toBe(true);
  });
});

describe('verifySigstoreSigned: public key with Rekor (current containers/image only)', () => {
  const k = ecKey();
  const rekor = ecKey();
  const req = () => keyReq(k.publicPem, { rekorPublicKeyData: b64(rekor.publicPem) });
  const withSet = (mutate?: Parameters<typeof rekorSet>[4]) => {
    const sig = signature(k.privateKey);
    sig.annotations['dev.sigstore.cosign/bundle'] = rekorSet(rekor, k.publicPem, sig.annotations['dev.cosignproject.cosign/signature']!, sig.payload, mutate);
    return sig;
  };

  it('accepts a signature logged in Rekor', async () => {
    expect(await verifySigstoreSigned(req(), input([withSet()]))).toMatchObject({ ok: true });
  });

  it('requires the bundle annotation', async () => {
    expect((await verifySigstoreSigned(req(), input([signature(k.privateKey)]))).error).toBe('missing dev.sigstore.cosign/bundle annotation');
  });

  it('a SET signed by another key is a bad SET', async () => {
    const sig = signature(k.privateKey);
    sig.annotations['dev.sigstore.cosign/bundle'] = rekorSet(ecKey(), k.publicPem, sig.annotations['dev.cosignproject.cosign/signature']!, sig.payload);
    const r = await verifySigstoreSigned(req(), input([sig]));
    expect(r).toMatchObject({ ok: false, errorClass: 'signature-invalid', error: 'No public key verified against the RekorSET: cryptographic signature verification of Rekor SET failed' });
  });

  it('a SET whose body names another payload hash', async () => {
    const sig = withSet({ tamper: (b) => (b.spec.data.hash.value = '00'.repeat(32)) });
    expect((await verifySigstoreSigned(req(), input([sig]))).error).toBe('No public key verified against the RekorSET: payload in Rekor SET does not match');
  });

  it('a SET whose body names another key', async () => {
    const sig = withSet({ tamper: (b) => (b.spec.signature.publicKey.content = b64(ecKey().publicPem)) });
    expect((await verifySigstoreSigned(req(), input([sig]))).error).toBe('No public key verified against the RekorSET: publicKey in Rekor SET does not match');
  });
});

describe('verifySigstoreSigned: fulcio + Rekor (current containers/image only)', async () => {
  const ca = await makeCa('test fulcio');
  const rekor = ecKey();
  const ISSUER = 'https://oauth2.example.com/auth';
  const EMAIL = 'signer@example.com';
  const req = (extra: Record<string, unknown> = {}) => ({ type: 'sigstoreSigned', fulcio: { caData: b64(ca.pem), oidcIssuer: ISSUER, subjectEmail: EMAIL, ...extra }, rekorPublicKeyData: b64(rekor.publicPem) });
  const signed = async (leafOpts: Parameters<typeof makeLeaf>[1], integratedTime?: number) => {
    const leaf = await makeLeaf(ca, leafOpts);
    const payload = buildSigstorePayload(DIGEST, IDENTITY);
    const sigB64 = signPayload(leaf.key, payload);
    return {
      payload,
      mediaType: SIGSTORE_SIGNATURE_MIME_TYPE,
      annotations: {
        'dev.cosignproject.cosign/signature': sigB64,
        'dev.sigstore.cosign/certificate': leaf.pem,
        'dev.sigstore.cosign/bundle': rekorSet(rekor, leaf.pem, sigB64, payload, integratedTime === undefined ? {} : { integratedTime }),
      },
    };
  };

  it('accepts a certificate from the CA with the issuer (v1 or v2 extension) and email', async () => {
    expect((await verifySigstoreSigned(req(), input([await signed({ email: EMAIL, issuerV1: ISSUER })]))).ok).toBe(true);
    expect((await verifySigstoreSigned(req(), input([await signed({ email: EMAIL, issuerV2: ISSUER })]))).ok).toBe(true);
  });

  it('wrong OIDC issuer', async () => {
    const r = await verifySigstoreSigned(req(), input([await signed({ email: EMAIL, issuerV2: 'https://evil.example' })]));
    expect(r).toMatchObject({ ok: false, errorClass: 'untrusted-key', error: 'Unexpected Fulcio OIDC issuer "https://evil.example"' });
  });

  it('no issuer extension, and inconsistent v1/v2', async () => {
    expect((await verifySigstoreSigned(req(), input([await signed({ email: EMAIL })]))).error).toBe('Fulcio certificate is missing the issuer extension');
    expect((await verifySigstoreSigned(req(), input([await signed({ email: EMAIL, issuerV1: ISSUER, issuerV2: 'x' })]))).error).toBe(`inconsistent OIDC issuer extension values: v1 "${ISSUER}", v2 "x"`);
  });

  it('wrong email', async () => {
    const r = await verifySigstoreSigned(req(), input([await signed({ email: 'other@example.com', issuerV1: ISSUER })]));
    expect(r.error).toBe('Required email "signer@example.com" not found (got ["other@example.com"])');
  });

  it('certificate expired at the Rekor integrated time', async () => {
    const notBefore = new Date('2026-01-01T00:00:00Z');
    const notAfter = new Date('2026-01-01T00:10:00Z');
    const late = Date.parse('2026-01-01T01:00:00Z') / 1000;
    const r = await verifySigstoreSigned(req(), input([await signed({ email: EMAIL, issuerV1: ISSUER, notBefore, notAfter }, late)]));
    expect(r).toMatchObject({ ok: false, errorClass: 'untrusted-key', error: 'veryfing leaf certificate failed: x509: certificate has expired or is not yet valid: current time 2026-01-01T01:00:00Z is after 2026-01-01T00:10:00Z' });
    const inside = Date.parse('2026-01-01T00:05:00Z') / 1000;
    expect((await verifySigstoreSigned(req(), input([await signed({ email: EMAIL, issuerV1: ISSUER, notBefore, notAfter }, inside)]))).ok).toBe(true);
  });

  it('a CA not yet valid at the Rekor integrated time fails the chain (the whole chain is checked at that time)', async () => {
    const young = await makeCa('young fulcio', { notBefore: new Date('2026-06-01T00:00:00Z') });
    const leaf = await makeLeaf(young, { email: EMAIL, issuerV1: ISSUER, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:10:00Z') });
    const payload = buildSigstorePayload(DIGEST, IDENTITY);
    const sigB64 = signPayload(leaf.key, payload);
    const t = Date.parse('2026-01-01T00:05:00Z') / 1000;
    const sig = { payload, mediaType: SIGSTORE_SIGNATURE_MIME_TYPE, annotations: { 'dev.cosignproject.cosign/signature': sigB64, 'dev.sigstore.cosign/certificate': leaf.pem, 'dev.sigstore.cosign/bundle': rekorSet(rekor, leaf.pem, sigB64, payload, { integratedTime: t }) } };
    const r = await verifySigstoreSigned({ ...req(), fulcio: { caData: b64(young.pem), oidcIssuer: ISSUER, subjectEmail: EMAIL } }, input([sig]));
    expect(r.error).toBe('veryfing leaf certificate failed: x509: certificate has expired or is not yet valid: current time 2026-01-01T00:05:00Z is before 2026-06-01T00:00:00Z');
  });

  it('a certificate from another CA', async () => {
    const other = await makeCa('other');
    const leaf = await makeLeaf(other, { email: EMAIL, issuerV1: ISSUER });
    const payload = buildSigstorePayload(DIGEST, IDENTITY);
    const sigB64 = signPayload(leaf.key, payload);
    const sig = { payload, mediaType: SIGSTORE_SIGNATURE_MIME_TYPE, annotations: { 'dev.cosignproject.cosign/signature': sigB64, 'dev.sigstore.cosign/certificate': leaf.pem, 'dev.sigstore.cosign/bundle': rekorSet(rekor, leaf.pem, sigB64, payload) } };
    expect((await verifySigstoreSigned(req(), input([sig]))).error).toBe('veryfing leaf certificate failed: x509: certificate signed by unknown authority');
  });

  it('an intermediate from the chain annotation links the leaf to the CA', async () => {
    const inter = await makeCa('intermediate', { issuer: ca });
    const leaf = await makeLeaf(inter, { email: EMAIL, issuerV1: ISSUER });
    const payload = buildSigstorePayload(DIGEST, IDENTITY);
    const sigB64 = signPayload(leaf.key, payload);
    const ann = { 'dev.cosignproject.cosign/signature': sigB64, 'dev.sigstore.cosign/certificate': leaf.pem, 'dev.sigstore.cosign/bundle': rekorSet(rekor, leaf.pem, sigB64, payload) };
    expect((await verifySigstoreSigned(req(), input([{ payload, mediaType: SIGSTORE_SIGNATURE_MIME_TYPE, annotations: ann }]))).error).toBe('veryfing leaf certificate failed: x509: certificate signed by unknown authority');
    const chained = { ...ann, 'dev.sigstore.cosign/chain': inter.pem + ca.pem };
    expect((await verifySigstoreSigned(req(), input([{ payload, mediaType: SIGSTORE_SIGNATURE_MIME_TYPE, annotations: chained }]))).ok).toBe(true);
  });

  it('a certificate not for code signing', async () => {
    const r = await verifySigstoreSigned(req(), input([await signed({ email: EMAIL, issuerV1: ISSUER, eku: '1.3.6.1.5.5.7.3.1' })]));
    expect(r.error).toBe('veryfing leaf certificate failed: x509: certificate specifies an incompatible key usage');
  });

  it('missing certificate annotation; bad SET', async () => {
    const sig = await signed({ email: EMAIL, issuerV1: ISSUER });
    const noCert = { ...sig, annotations: { ...sig.annotations } };
    delete (noCert.annotations as Record<string, string>)['dev.sigstore.cosign/certificate'];
    expect((await verifySigstoreSigned(req(), input([noCert]))).error).toBe('missing dev.sigstore.cosign/certificate annotation');
    const badSet = { ...sig, annotations: { ...sig.annotations, 'dev.sigstore.cosign/bundle': rekorSet(ecKey(), sig.annotations['dev.sigstore.cosign/certificate'], sig.annotations['dev.cosignproject.cosign/signature'], sig.payload) } };
    expect((await verifySigstoreSigned(req(), input([badSet]))).error).toBe('cryptographic signature verification of Rekor SET failed');
  });
});

describe('verifySigstoreSigned: pki (current containers/image only)', async () => {
  const root = await makeCa('pki root');
  const req = (extra: Record<string, unknown>) => ({ type: 'sigstoreSigned', pki: { caRootsData: b64(root.pem), ...extra } });
  const signed = async (opts: Parameters<typeof makeLeaf>[1]) => {
    const leaf = await makeLeaf(root, opts);
    const payload = buildSigstorePayload(DIGEST, IDENTITY);
    return { payload, mediaType: SIGSTORE_SIGNATURE_MIME_TYPE, annotations: { 'dev.cosignproject.cosign/signature': signPayload(leaf.key, payload), 'dev.sigstore.cosign/certificate': leaf.pem } };
  };

  it('accepts a certificate from the roots with the subject email or hostname', async () => {
    expect((await verifySigstoreSigned(req({ subjectEmail: 'a@example.com' }), input([await signed({ email: 'a@example.com' })]))).ok).toBe(true);
    expect((await verifySigstoreSigned(req({ subjectHostname: 'signer.example.com' }), input([await signed({ dns: 'signer.example.com' })]))).ok).toBe(true);
  });

  it('wrong email and wrong hostname', async () => {
    expect((await verifySigstoreSigned(req({ subjectEmail: 'a@example.com' }), input([await signed({ email: 'b@example.com' })]))).error).toBe('Required email "a@example.com" not found (got ["b@example.com"])');
    expect((await verifySigstoreSigned(req({ subjectHostname: 'a.example.com' }), input([await signed({ dns: 'b.example.com' })]))).error).toBe('Unexpected subject hostname: x509: certificate is valid for b.example.com, not a.example.com');
  });

  it('expired now', async () => {
    const sig = await signed({ email: 'a@example.com', notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-01-02T00:00:00Z') });
    const r = await verifySigstoreSigned(req({ subjectEmail: 'a@example.com' }), input([sig], { now: new Date('2026-02-01T00:00:00Z') }));
    expect(r.error).toBe('veryfing leaf certificate failed: x509: certificate has expired or is not yet valid: current time 2026-02-01T00:00:00Z is after 2026-01-02T00:00:00Z');
  });
});
