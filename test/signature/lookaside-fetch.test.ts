import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MockAgent } from 'undici';
import { fetchLookasideSignatures, lookasideSignatureUrl, simpleSigningFromBlob } from '../../src/signature/lookaside-fetch.ts';
import { dispatcherFactoryFrom } from '../../src/registry/dispatcher-factory.ts';

const HEX = 'e'.repeat(64);
/** Blobs that FromBlob takes as simple signing: first byte 0xA3 (an old-format compressed-data packet tag). */
const sig = (s: string) => Buffer.concat([Buffer.from([0xa3]), Buffer.from(s)]);
const text = (b: Uint8Array) => Buffer.from(b).subarray(1).toString();
const DIGEST = `sha256:${HEX}`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pp-lookaside-'));
  const d = join(dir, 'lib', `hello@sha256=${HEX}`);
  await mkdir(d, { recursive: true });
  await writeFile(join(d, 'signature-1'), sig('one'));
  await writeFile(join(d, 'signature-2'), Buffer.concat([Buffer.from('\x00simple-signing\n'), sig('two')]));
  await writeFile(join(d, 'signature-4'), sig('four, never read: signature-3 is missing'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// docker/docker_image_src.go getSignaturesFromLookaside/getOneSignature, docker/registries_d.go lookasideStorageURL (5.23.1).
describe('lookaside fetch', () => {
  it('builds <base>@<alg>=<hex>/signature-N', () => {
    expect(lookasideSignatureUrl('https://s.example/sigs/lib/hello', DIGEST, 0)).toBe(`https://s.example/sigs/lib/hello@sha256=${HEX}/signature-1`);
  });
  it('file://: reads signature-1.. until the first missing one', async () => {
    const r = await fetchLookasideSignatures(pathToFileURL(join(dir, 'lib/hello')).href, DIGEST);
    expect(r.signatures.map(text)).toEqual(['one', 'two']);
    expect(r.from[1]).toMatch(/lib\/hello@sha256=e+\/signature-2$/);
    expect((await fetchLookasideSignatures(pathToFileURL(join(dir, 'nothing/here')).href, DIGEST)).signatures).toEqual([]);
  });
  it('file://: an unreadable signature fails the read', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const d = join(dir, 'locked', `x@sha256=${HEX}`);
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'signature-1'), 's');
    await chmod(join(d, 'signature-1'), 0o000);
    await expect(fetchLookasideSignatures(pathToFileURL(join(dir, 'locked/x')).href, DIGEST)).rejects.toThrow(/^open .*signature-1: permission denied$/);
  });
  it('http: 200s then 404 ends; another status is an error in the runtime words', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://sigs.example');
    pool.intercept({ path: `/s/lib/hello@sha256=${HEX}/signature-1`, method: 'GET' }).reply(200, sig('A'));
    pool.intercept({ path: `/s/lib/hello@sha256=${HEX}/signature-2`, method: 'GET' }).reply(404, '');
    const r = await fetchLookasideSignatures('http://sigs.example/s/lib/hello', DIGEST, { dispatchers: dispatcherFactoryFrom(agent) });
    expect(r.signatures.map(text)).toEqual(['A']);
    pool.intercept({ path: `/s/lib/hello@sha256=${HEX}/signature-1`, method: 'GET' }).reply(500, 'boom');
    await expect(fetchLookasideSignatures('http://sigs.example/s/lib/hello', DIGEST, { dispatchers: dispatcherFactoryFrom(agent) })).rejects.toThrow(
      `reading signature from http://sigs.example/s/lib/hello@sha256=${HEX}/signature-1: status 500 (Internal Server Error)`,
    );
    await agent.close();
  });
  it('FromBlob: OpenPGP packet tags, \\0format\\n prefixes, sigstore skipped, the rest refused in upstream words', () => {
    const b = (x: number[] | string) => (typeof x === 'string' ? new Uint8Array(Buffer.from(x, 'latin1')) : new Uint8Array(x));
    expect(simpleSigningFromBlob(b([0x89, 1]), 'W')).toEqual(b([0x89, 1]));
    expect(simpleSigningFromBlob(b('\x00simple-signing\n\xa3x'), 'W')).toEqual(b('\xa3x'));
    expect(simpleSigningFromBlob(b('\x00sigstore-json\n{}'), 'W')).toBeNull();
    expect(() => simpleSigningFromBlob(b('this is not'), 'W')).toThrow('W: unrecognized signature format, starting with binary 0x74');
    expect(() => simpleSigningFromBlob(b([]), 'W')).toThrow('W: empty signature blob');
    expect(() => simpleSigningFromBlob(b('\x00nonl'), 'W')).toThrow('W: invalid signature format, missing newline');
    expect(() => simpleSigningFromBlob(b('\x00other\nx'), 'W')).toThrow('W: unrecognized signature format "other"');
  });
  it('other schemes are refused', async () => {
    await expect(fetchLookasideSignatures('ftp://x/y', DIGEST)).rejects.toThrow(`Unsupported scheme when reading signature from ftp://x/y@sha256=${HEX}/signature-1`);
  });
});
