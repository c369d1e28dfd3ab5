import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { parseMockRegistrySpec } from '../../src/mock/spec-parse.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { fetchSigstoreAttachments } from '../../src/signature/attachments-fetch.ts';
import { verifySigstoreSigned } from '../../src/signature/sigstore-verify.ts';
import type { MockImageSpec } from '../../src/mock/spec.ts';

const img = (repository: string, extra: Partial<MockImageSpec> = {}): MockImageSpec => ({ repository, tags: ['1.0'], ...extra });

describe('mock registry: sigstore attachments', () => {
  let set: MockRegistrySet;
  let client: ReturnType<typeof createRegistryClient>;
  let dispatchers: ReturnType<typeof createDispatcherFactory>;
  beforeAll(async () => {
    set = await startMockRegistries([
      {
        host: 'mirror.example.com',
        signatures: 'sigstore',
        images: [
          img('ocp/good', { signedName: 'quay.io/ocp/good' }),
          img('ocp/missing', { signedName: 'quay.io/ocp/missing' }),
          img('ocp/wrongkey', { signedName: 'quay.io/ocp/wrongkey' }),
          img('ocp/wrongdigest', { signedName: 'quay.io/ocp/wrongdigest' }),
          img('ocp/wrongid', { signedName: 'quay.io/ocp/wrongid' }),
          img('ocp/plain', { signatures: 'none' }),
        ],
        faults: [
          { kind: 'signature-missing', repository: 'ocp/missing' },
          { kind: 'signature-wrong-key', repository: 'ocp/wrongkey' },
          { kind: 'signature-wrong-digest', repository: 'ocp/wrongdigest' },
          { kind: 'signature-wrong-identity', repository: 'ocp/wrongid' },
        ],
      },
    ]);
    const hostMap = HostMap.parse(Object.entries(set.hostMap).map(([h, a]) => `${h}:${a}`));
    dispatchers = createDispatcherFactory({ hostMap });
    client = createRegistryClient({ hostMap, dispatchers });
  });
  afterAll(async () => {
    await client.close();
    await dispatchers.close();
    await set.close();
  });

  async function check(repo: string) {
    const s = await client.ping('mirror.example.com', { insecure: true, repository: `mirror.example.com/${repo}` });
    const digest = mockImageDigest(img(repo));
    const att = await fetchSigstoreAttachments(client, s, repo, digest);
    const req = { type: 'sigstoreSigned', keyData: Buffer.from(set.sigstorePublicKeyPem!).toString('base64') };
    return verifySigstoreSigned(req, { manifestDigest: digest, identity: `quay.io/${repo}:1.0`, signatures: att.signatures, keys: [], from: [att.ref] });
  }

  it('a signed image verifies with the set\'s public key, for the name pulled from the source', async () => {
    expect(set.sigstorePublicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(await check('ocp/good')).toMatchObject({ ok: true });
  });

  it('signature-missing: no .sig tag', async () => {
    expect(await check('ocp/missing')).toMatchObject({ ok: false, errorClass: 'signature-missing', error: 'A signature was required, but no signature exists' });
  });

  it('an image with signatures = "none" has no .sig tag either', async () => {
    expect(await check('ocp/plain')).toMatchObject({ ok: false, errorClass: 'signature-missing' });
  });

  it('signature-wrong-key', async () => {
    expect(await check('ocp/wrongkey')).toMatchObject({ ok: false, errorClass: 'untrusted-key', error: 'cryptographic signature verification failed: invalid signature when validating ASN.1 encoded signature' });
  });

  it('signature-wrong-digest', async () => {
    const r = await check('ocp/wrongdigest');
    expect(r).toMatchObject({ ok: false, errorClass: 'signature-invalid' });
    expect(r.error).toMatch(/^Signature for digest sha256:[0-9a-f]{64} does not match$/);
  });

  it('signature-wrong-identity', async () => {
    expect(await check('ocp/wrongid')).toMatchObject({ ok: false, errorClass: 'identity-mismatch', error: 'Signature for identity "quay.io/ocp/wrongid-unsigned:1.0" is not accepted' });
  });
});

describe('scenario TOML keys', () => {
  it('signatures, signed-name and the signature faults parse', () => {
    const spec = parseMockRegistrySpec({
      host: 'm.example.com',
      signatures: 'sigstore',
      images: [{ repository: 'a/b', 'signed-name': 'quay.io/a/b', signatures: 'none' }],
      fault: [{ kind: 'signature-wrong-identity', identity: 'quay.io/x/y:1' }, { kind: 'signature-missing', repository: 'a/*' }],
    });
    expect(spec.signatures).toBe('sigstore');
    expect(spec.images![0]).toMatchObject({ signedName: 'quay.io/a/b', signatures: 'none' });
    expect(spec.faults).toEqual([{ kind: 'signature-wrong-identity', identity: 'quay.io/x/y:1' }, { kind: 'signature-missing', repository: 'a/*' }]);
    expect(() => parseMockRegistrySpec({ host: 'm', signatures: 'pgp' })).toThrow(/signatures/);
  });
});
