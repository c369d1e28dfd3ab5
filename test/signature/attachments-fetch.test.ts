import { describe, expect, it } from 'vitest';
import { mockSetup, API_HEADERS, MANIFEST_UNKNOWN } from '../registry/mock-registry.ts';
import { fetchSigstoreAttachments, sigstoreAttachmentTag, MAX_SIGNATURE_BODY_BYTES } from '../../src/signature/attachments-fetch.ts';
import { sha256Digest, MEDIA } from '../../src/registry/manifest.ts';
import { verifySigstoreSigned } from '../../src/signature/sigstore-verify.ts';
import { DIGEST, IDENTITY, ecKey, signature } from './sigstore-vectors.ts';

const HEX = 'a'.repeat(64);
const TAG = `sha256-${HEX}.sig`;
const OCI = { ...API_HEADERS, 'content-type': MEDIA.ociManifest };

function sigManifest(layers: { digest: string; size: number; mediaType: string; annotations: Record<string, string> }[]) {
  return JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociManifest, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2 }, layers });
}

async function session(host = 'mirror.example.com') {
  const setup = mockSetup();
  const pool = setup.agent.get(`https://${host}`);
  pool.intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
  const s = await setup.client.ping(host, { insecure: false, repository: `${host}/ns/app` });
  return { ...setup, pool, s };
}

describe('sigstoreAttachmentTag', () => {
  it('is sha256-<hex>.sig, and refuses a digest that is not one', () => {
    expect(sigstoreAttachmentTag(`sha256:${HEX}`)).toBe(TAG);
    expect(() => sigstoreAttachmentTag('sha256:zz')).toThrow('invalid checksum digest length');
  });
});

describe('fetchSigstoreAttachments', () => {
  it('reads the .sig manifest and its payload blobs from the repository that served the image, then they verify', async () => {
    const key = ecKey();
    const sig = signature(key.privateKey);
    const blobDigest = sha256Digest(Buffer.from(sig.payload));
    const { client, pool, s } = await session();
    let asked = '';
    pool.intercept({ path: `/v2/mirror-ns/app/manifests/${TAG}`, method: 'GET' }).reply((o) => {
      asked = o.path;
      return { statusCode: 200, data: sigManifest([{ mediaType: sig.mediaType, digest: blobDigest, size: sig.payload.length, annotations: sig.annotations }]), responseOptions: { headers: OCI } };
    });
    pool.intercept({ path: `/v2/mirror-ns/app/blobs/${blobDigest}`, method: 'GET' }).reply(200, Buffer.from(sig.payload));
    const got = await fetchSigstoreAttachments(client, s, 'mirror-ns/app', DIGEST);
    expect(asked).toBe(`/v2/mirror-ns/app/manifests/${TAG}`);
    expect(got.ref).toBe(`mirror.example.com/mirror-ns/app:${TAG}`);
    expect(got.found).toBe(true);
    expect(got.signatures).toHaveLength(1);
    expect(Buffer.from(got.signatures[0]!.payload).equals(Buffer.from(sig.payload))).toBe(true);
    const check = await verifySigstoreSigned({ type: 'sigstoreSigned', keyData: Buffer.from(key.publicPem).toString('base64') }, { manifestDigest: DIGEST, identity: IDENTITY, signatures: got.signatures, keys: [], from: [got.ref] });
    expect(check).toMatchObject({ ok: true, from: [got.ref] });
    await client.close();
  });

  it('a missing .sig tag (manifest unknown) is no attachments, not an error', async () => {
    const { client, pool, s } = await session();
    pool.intercept({ path: `/v2/ns/app/manifests/${TAG}`, method: 'GET' }).reply(404, MANIFEST_UNKNOWN, { headers: API_HEADERS });
    expect(await fetchSigstoreAttachments(client, s, 'ns/app', DIGEST)).toMatchObject({ found: false, signatures: [] });
    await client.close();
  });

  it('other manifest failures are errors', async () => {
    const { client, pool, s } = await session();
    pool.intercept({ path: `/v2/ns/app/manifests/${TAG}`, method: 'GET' }).reply(500, 'boom');
    await expect(fetchSigstoreAttachments(client, s, 'ns/app', DIGEST)).rejects.toThrow(/reading manifest sha256-a+\.sig in mirror\.example\.com\/ns\/app/);
    await client.close();
  });

  it('a .sig manifest that is not an OCI image manifest: the runtime\'s text', async () => {
    const { client, pool, s } = await session();
    pool.intercept({ path: `/v2/ns/app/manifests/${TAG}`, method: 'GET' }).reply(200, '{}', { headers: { ...API_HEADERS, 'content-type': MEDIA.dockerV2 } });
    await expect(fetchSigstoreAttachments(client, s, 'ns/app', DIGEST)).rejects.toThrow(`unexpected MIME type for sigstore attachment manifest mirror.example.com/ns/app:${TAG}: "${MEDIA.dockerV2}"`);
    await client.close();
  });

  it('a payload blob whose bytes do not match its digest', async () => {
    const { client, pool, s } = await session();
    const claimed = `sha256:${'d'.repeat(64)}`;
    pool.intercept({ path: `/v2/ns/app/manifests/${TAG}`, method: 'GET' }).reply(200, sigManifest([{ mediaType: 'x', digest: claimed, size: 3, annotations: {} }]), { headers: OCI });
    pool.intercept({ path: `/v2/ns/app/blobs/${claimed}`, method: 'GET' }).reply(200, 'abc');
    await expect(fetchSigstoreAttachments(client, s, 'ns/app', DIGEST)).rejects.toThrow(`digest mismatch, expected "${claimed}", got "${sha256Digest(Buffer.from('abc'))}"`);
    await client.close();
  });

  it('a payload blob over 4 MiB is refused (iolimits.MaxSignatureBodySize)', async () => {
    const { client, pool, s } = await session();
    const big = Buffer.alloc(MAX_SIGNATURE_BODY_BYTES + 1, 1);
    const d = sha256Digest(big);
    pool.intercept({ path: `/v2/ns/app/manifests/${TAG}`, method: 'GET' }).reply(200, sigManifest([{ mediaType: 'x', digest: d, size: big.length, annotations: {} }]), { headers: OCI });
    pool.intercept({ path: `/v2/ns/app/blobs/${d}`, method: 'GET' }).reply(200, big);
    await expect(fetchSigstoreAttachments(client, s, 'ns/app', DIGEST)).rejects.toThrow(`reading blob ${d} in mirror.example.com/ns/app: exceeded maximum allowed size of 4194304 bytes`);
    await client.close();
  });

  it('a missing payload blob: fetching blob: …', async () => {
    const { client, pool, s } = await session();
    const d = `sha256:${'e'.repeat(64)}`;
    pool.intercept({ path: `/v2/ns/app/manifests/${TAG}`, method: 'GET' }).reply(200, sigManifest([{ mediaType: 'x', digest: d, size: 1, annotations: {} }]), { headers: OCI });
    pool.intercept({ path: `/v2/ns/app/blobs/${d}`, method: 'GET' }).reply(404, JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }), { headers: API_HEADERS });
    await expect(fetchSigstoreAttachments(client, s, 'ns/app', DIGEST)).rejects.toThrow(/^fetching blob: blob unknown/);
    await client.close();
  });
});

describe('isManifestUnknown by version (docker_client.go isManifestUnknownError)', () => {
  const statusAnswer = async (status: number, body: string, compat: '5.23' | '5.40') => {
    const { client, pool, s } = await session();
    pool.intercept({ path: `/v2/ns/app/manifests/${TAG}`, method: 'GET' }).reply(status, body, { headers: API_HEADERS });
    try {
      return (await fetchSigstoreAttachments(client, s, 'ns/app', DIGEST, { compat })).found;
    } catch (e) {
      return (e as Error).message;
    } finally {
      await client.close();
    }
  };

  it('MANIFEST_UNKNOWN means "no attachments" in both', async () => {
    expect(await statusAnswer(404, MANIFEST_UNKNOWN, '5.23')).toBe(false);
    expect(await statusAnswer(404, MANIFEST_UNKNOWN, '5.40')).toBe(false);
  });

  it('a 404 NAME_UNKNOWN fails the pull in both', async () => {
    const body = JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
    expect(await statusAnswer(404, body, '5.23')).toMatch(/name unknown/);
    expect(await statusAnswer(404, body, '5.40')).toMatch(/name unknown/);
  });

  it('a plain-text 404: "no attachments" in current; in 5.23 only when it says "Not found"', async () => {
    expect(await statusAnswer(404, 'gone', '5.40')).toBe(false);
    expect(await statusAnswer(404, 'gone', '5.23')).toMatch(/StatusCode: 404/);
    expect(await statusAnswer(404, 'Not found', '5.23')).toBe(false);
  });

  it('Harbor\'s UNKNOWN "…not found…": "no attachments" only in current', async () => {
    const body = JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'artifact ns/app:x not found' }] });
    expect(await statusAnswer(404, body, '5.40')).toBe(false);
    expect(typeof (await statusAnswer(404, body, '5.23'))).toBe('string');
  });
});
