import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { parseMockRegistrySpec } from '../../src/mock/spec-parse.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { fetchLookasideSignatures } from '../../src/signature/lookaside-fetch.ts';
import { lookasideFor, parseRegistriesD } from '../../src/signature/registries-d.ts';
import { verifySignedBy } from '../../src/signature/simple-signing.ts';
import type { MockImageSpec } from '../../src/mock/spec.ts';

const img = (repository: string, extra: Partial<MockImageSpec> = {}): MockImageSpec => ({ repository, tags: ['1.0'], ...extra });

describe('mock registry: GPG signatures in an http lookaside store', () => {
  let set: MockRegistrySet;
  let dispatchers: ReturnType<typeof createDispatcherFactory>;
  // What a user writes: the host map routes the registry's name to the mock, lookaside on its own listener.
  const registriesD = parseRegistriesD([{ path: 'mock.yaml', text: 'docker:\n  mirror.example.com:\n    lookaside: http://mirror.example.com/lookaside\n' }]);
  beforeAll(async () => {
    set = await startMockRegistries([
      {
        host: 'mirror.example.com',
        signatures: 'gpg',
        images: [
          img('ocp/good', { signedName: 'quay.io/ocp/good' }),
          img('ocp/missing', { signedName: 'quay.io/ocp/missing' }),
          img('ocp/wrongkey', { signedName: 'quay.io/ocp/wrongkey' }),
          img('ocp/wrongdigest', { signedName: 'quay.io/ocp/wrongdigest' }),
          img('ocp/wrongid', { signedName: 'quay.io/ocp/wrongid' }),
          img('ocp/otherid', { signedName: 'quay.io/ocp/otherid' }),
          img('ocp/plain', { signatures: 'none' }),
          img('ocp/cosign', { signatures: 'sigstore', signedName: 'quay.io/ocp/cosign' }),
        ],
        faults: [
          { kind: 'signature-missing', repository: 'ocp/missing' },
          { kind: 'signature-wrong-key', repository: 'ocp/wrongkey' },
          { kind: 'signature-wrong-digest', repository: 'ocp/wrongdigest' },
          { kind: 'signature-wrong-identity', repository: 'ocp/wrongid' },
          { kind: 'signature-wrong-identity', repository: 'ocp/otherid', identity: 'quay.io/ocp/evil:1.0' },
        ],
      },
    ]);
    dispatchers = createDispatcherFactory({ hostMap: HostMap.parse(Object.entries(set.hostMap).map(([h, a]) => `${h}:${a}`)) });
  });
  afterAll(async () => {
    await dispatchers.close();
    await set.close();
  });

  async function check(repo: string) {
    const digest = mockImageDigest(img(repo));
    const store = lookasideFor(registriesD, `mirror.example.com/${repo}:1.0`);
    const got = await fetchLookasideSignatures(store.url, digest, { dispatchers, insecure: true });
    const req = { type: 'signedBy', keyType: 'GPGKeys', keyData: Buffer.from(set.gpgPublicKeyArmored!).toString('base64') };
    const keys = [new TextEncoder().encode(set.gpgPublicKeyArmored!)];
    return { got, result: await verifySignedBy(req, { manifestDigest: digest, identity: `quay.io/${repo}:1.0`, signatures: got.signatures, keys, from: got.from }) };
  }

  it('a signed image verifies with the set\'s armored key, read from http://HOST/lookaside/<repo>@sha256=<hex>/signature-1', async () => {
    expect(set.gpgPublicKeyArmored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(set.sigstorePublicKeyPem).toContain('BEGIN PUBLIC KEY');
    const { got, result } = await check('ocp/good');
    expect(got.from).toEqual([`http://mirror.example.com/lookaside/ocp/good@${mockImageDigest(img('ocp/good')).replace(':', '=')}/signature-1`]);
    expect(result).toMatchObject({ ok: true, signaturesFound: 1 });
  });

  it('each content fault gives its class and the runtime\'s text', async () => {
    expect((await check('ocp/missing')).result).toMatchObject({ ok: false, errorClass: 'signature-missing', error: 'A signature was required, but no signature exists' });
    const wk = (await check('ocp/wrongkey')).result;
    expect(wk).toMatchObject({ ok: false, errorClass: 'untrusted-key' });
    expect(wk.error).toMatch(/^Invalid GPG signature: gpgme\.Signature\{Summary:128, /);
    const wd = (await check('ocp/wrongdigest')).result;
    expect(wd).toMatchObject({ ok: false, errorClass: 'signature-invalid' });
    expect(wd.error).toMatch(/^Signature for digest sha256:[0-9a-f]{64} does not match$/);
    expect(wd.error).not.toContain(mockImageDigest(img('ocp/wrongdigest')));
    expect((await check('ocp/wrongid')).result).toMatchObject({ ok: false, errorClass: 'identity-mismatch', error: 'Signature for identity quay.io/ocp/wrongid-unsigned:1.0 is not accepted' });
    expect((await check('ocp/otherid')).result).toMatchObject({ ok: false, errorClass: 'identity-mismatch', error: 'Signature for identity quay.io/ocp/evil:1.0 is not accepted' });
  });

  it('no lookaside signature for `none` or sigstore-signed images; signature-2 and unknown paths 404', async () => {
    expect((await check('ocp/plain')).result).toMatchObject({ errorClass: 'signature-missing' });
    expect((await check('ocp/cosign')).got.signatures).toEqual([]);
    const origin = set.get('mirror.example.com')!.origin;
    const hex = mockImageDigest(img('ocp/good')).replace(':', '=');
    expect((await fetch(`${origin}/lookaside/ocp/good@${hex}/signature-1`)).status).toBe(200);
    expect((await fetch(`${origin}/lookaside/ocp/good@${hex}/signature-2`)).status).toBe(404);
    expect((await fetch(`${origin}/lookaside/ocp/nothing@${hex}/signature-1`)).status).toBe(404);
    expect((await fetch(`${origin}/lookaside/%E0%A4%A/signature-1`)).status).toBe(404);
  });

  it('faults set at run time change the served signature (good → wrong key → good)', async () => {
    const reg = set.get('mirror.example.com')!;
    const before = reg.spec.faults ?? [];
    reg.setFaults([{ kind: 'signature-wrong-key', repository: 'ocp/good' }]);
    try {
      expect((await check('ocp/good')).result).toMatchObject({ ok: false, errorClass: 'untrusted-key' });
    } finally {
      reg.setFaults(before);
    }
    expect((await check('ocp/good')).result).toMatchObject({ ok: true });
  });

  it('signature faults count as fired by the signed images they changed; one matching no signed image never fired', async () => {
    const one = await startMockRegistries([
      {
        host: 'r.example.com',
        signatures: 'gpg',
        images: [img('a/x'), img('a/y'), img('b/plain', { signatures: 'none' })],
        faults: [{ kind: 'signature-missing', repository: 'a/*' }, { kind: 'signature-wrong-key', repository: 'b/*' }],
      },
    ]);
    try {
      const s = one.registries[0]!.stats();
      expect(s.faults.map((f) => f.fired)).toEqual([2, 0]);
      expect(s.unusedRules.map((r) => r.index)).toEqual([1]);
    } finally {
      await one.close();
    }
  });

  it('TOML: signatures = "gpg" on a registry and an image', () => {
    const spec = parseMockRegistrySpec({ host: 'r.io', signatures: 'gpg', images: [{ repository: 'a/b', tags: ['1'], signatures: 'gpg' }] });
    expect(spec.signatures).toBe('gpg');
    expect(spec.images?.[0]?.signatures).toBe('gpg');
    expect(() => parseMockRegistrySpec({ host: 'r.io', signatures: 'pgp' })).toThrow(/"sigstore", "gpg" or "none"/);
  });
});
