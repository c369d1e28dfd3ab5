/**
 * Signatures through the real CLI, as the runtime checks them after choosing the source: `pull` verifies
 * sigstore signatures when policy.json requires them, reads them only from the source that SERVED the image
 * (a mirror's own `.sig` attachment, enabled by registries.d for that mirror), never fails over after a
 * signature failure, and judges identities against the name the user pulled. `verify --check-signatures`
 * finds the mirror whose image is there but whose signatures are not, which `verify` alone passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import type { MockImageSpec } from '../../src/mock/spec.ts';
import { hermeticEnv, runCli, type CliResult } from '../helpers/run-cli.ts';
import { checkJsonLines } from '../helpers/json-schemas.ts';

const img = (name: string, extra: Partial<MockImageSpec> = {}): MockImageSpec => ({ repository: `ocp/${name}`, tags: ['1.0'], content: name, signedName: `quay.io/ocp/${name}`, ...extra });
const IMAGES = ['good', 'missing', 'wrongid', 'unsigned-mirror'];

let mocks: MockRegistrySet;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-sig-'));
  mocks = await startMockRegistries([
    // The source has every image, signed.
    { host: 'quay.io', signatures: 'sigstore', images: IMAGES.map((n) => img(n)) },
    // The mirror has every image; some of its signatures were not mirrored, or name another image.
    {
      host: 'mirror.example.com',
      signatures: 'sigstore',
      images: [...IMAGES.filter((n) => n !== 'unsigned-mirror').map((n) => img(n)), img('unsigned-mirror', { signatures: 'none' })],
      faults: [
        { kind: 'signature-missing', repository: 'ocp/missing' },
        { kind: 'signature-wrong-identity', repository: 'ocp/wrongid' },
      ],
    },
  ]);
  await writeFile(
    join(work, 'registries.conf'),
    ['[[registry]]', 'prefix = "quay.io/ocp"', 'location = "quay.io/ocp"', 'insecure = true', '[[registry.mirror]]', 'location = "mirror.example.com/ocp"', 'insecure = true', ''].join('\n'),
  );
  const key = Buffer.from(mocks.sigstorePublicKeyPem!).toString('base64');
  await writeFile(
    join(work, 'policy.json'),
    JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker: { 'quay.io/ocp': [{ type: 'sigstoreSigned', keyData: key, signedIdentity: { type: 'matchRepository' } }] } } }),
  );
  // Attachments enabled for the source AND its mirror (what the MCO writes), and for the source only.
  for (const [dir, scopes] of [['both.d', ['quay.io/ocp', 'mirror.example.com/ocp']], ['source-only.d', ['quay.io/ocp']]] as const) {
    await mkdir(join(work, dir));
    await writeFile(join(work, dir, 'sigstore.yaml'), `docker:\n${scopes.map((s) => `  ${s}:\n    use-sigstore-attachments: true\n`).join('')}`);
  }
  await mkdir(join(work, 'none.d'));
});

afterAll(async () => {
  await mocks?.close();
  await rm(work, { recursive: true, force: true });
});

const connectTo = (): string[] => Object.entries(mocks.hostMap).flatMap(([h, a]) => ['--connect-to', `${h}:${a}`]);
const flags = (registriesD: string): string[] => [
  '--registries-conf', join(work, 'registries.conf'), '--registries-conf-dir', join(work, 'none.d'),
  '--policy', join(work, 'policy.json'), '--registries.d', join(work, registriesD), ...connectTo(),
];
const cli = (args: string[]): Promise<CliResult> => runCli(args, { env: hermeticEnv(work), timeoutMs: 60_000 });

function result(r: CliResult): Record<string, unknown> {
  const { records, failures } = checkJsonLines('pull', r.stdout);
  expect(failures, r.stderr).toEqual([]);
  return records.find((x) => x.type === 'result')!;
}

describe('pull verifies signatures from the source that served the image', () => {
  it('a mirror with its signatures mirrored: pulled, signatures verified', async () => {
    const r = await cli(['pull', ...flags('both.d'), '--no-tui', 'quay.io/ocp/good:1.0']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PULLED from mirror\.example\.com\/ocp\/good:1\.0/);
    expect(r.stdout).toMatch(/policy \(judged on the logical reference\): allowed by scope "quay\.io\/ocp": .*its signatures verified/);
    expect(r.stdout).toMatch(/signatures: verified \(looked for on the source that served the image: .*mirror\.example\.com\/ocp\/good:sha256-[0-9a-f]{64}\.sig/);
  });

  it('the mirror lacks the .sig: rejected with the runtime\'s words, and no failover to the signed source', async () => {
    const r = await cli(['pull', ...flags('both.d'), '-o', 'json', 'quay.io/ocp/missing:1.0']);
    expect(r.code).toBe(1);
    const res = result(r);
    expect(res).toMatchObject({ ok: false, errorClass: 'signature-missing', source: 'mirror.example.com/ocp/missing:1.0', error: 'Source image rejected: A signature was required, but no signature exists' });
    const attempts = checkJsonLines('pull', r.stdout).records.filter((x) => x.type === 'attempt');
    expect(attempts).toHaveLength(1);
    // Once verified, the policy verdict is final: rejected, no longer "signatures were not checked".
    expect(res.policy).toMatchObject({ allowed: false });
    expect(String((res.policy as { message: string }).message)).toContain('its signatures were rejected');
  });

  it('signatures mirrored but the mirror absent from registries.d: its attachments are never read, so rejected', async () => {
    const r = await cli(['pull', ...flags('source-only.d'), '-o', 'json', 'quay.io/ocp/good:1.0']);
    expect(r.code).toBe(1);
    expect(result(r)).toMatchObject({ errorClass: 'signature-missing', source: 'mirror.example.com/ocp/good:1.0' });
  });

  it('a signature for another name than the one pulled: identity-mismatch', async () => {
    const r = await cli(['pull', ...flags('both.d'), '-o', 'json', 'quay.io/ocp/wrongid:1.0']);
    expect(r.code).toBe(1);
    const res = result(r);
    expect(res.errorClass).toBe('identity-mismatch');
    expect(String(res.error)).toMatch(/^Source image rejected: /);
  });
});

describe('verify --check-signatures', () => {
  it('finds the missing .sig on a mirror that verify alone passes', async () => {
    const refs = ['quay.io/ocp/good:1.0', 'quay.io/ocp/unsigned-mirror:1.0'];
    const plain = await cli(['verify', ...flags('both.d'), '--jobs', '1', ...refs]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    const checked = await cli(['verify', ...flags('both.d'), '--check-signatures', '--jobs', '1', '-o', 'json', ...refs]);
    expect(checked.code).toBe(1);
    const { records, failures } = checkJsonLines('verify', checked.stdout);
    expect(failures).toEqual([]);
    const byImage = Object.fromEntries(records.filter((x) => x.type === 'verify').map((x) => [x.image, x]));
    expect(byImage['quay.io/ocp/good:1.0']).toMatchObject({ ok: true });
    expect(byImage['quay.io/ocp/unsigned-mirror:1.0']).toMatchObject({ ok: false, reason: 'signature-missing' });
  });
});

describe('policy --check-signatures', () => {
  it('verifies on the source the runtime would choose: verified for a mirrored signature, rejected for a missing one', async () => {
    const r = await cli(['policy', ...flags('both.d'), '--check-signatures', '-o', 'json', 'quay.io/ocp/good:1.0', 'quay.io/ocp/missing:1.0']);
    expect(r.code, r.stderr).toBe(1);
    const { records, failures } = checkJsonLines('policy', r.stdout);
    expect(failures).toEqual([]);
    expect(records.map((x) => [x.image, x.verdict, (x.signatures as { ok: boolean; source: string }).ok, (x.signatures as { source: string }).source])).toEqual([
      ['quay.io/ocp/good:1.0', 'signature-required', true, 'mirror.example.com/ocp/good:1.0'],
      ['quay.io/ocp/missing:1.0', 'signature-required', false, 'mirror.example.com/ocp/missing:1.0'],
    ]);
    expect((records[1]!.signatures as { error: string }).error).toBe('Source image rejected: A signature was required, but no signature exists');
  });

  it('text: says where it looked and why it rejected', async () => {
    const r = await cli(['policy', ...flags('both.d'), '--check-signatures', 'quay.io/ocp/missing:1.0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/signatures: REJECTED \(served by mirror\.example\.com\/ocp\/missing:1\.0; looked for in .*mirror\.example\.com\/ocp\/missing:sha256-[0-9a-f]{64}\.sig\)/);
    expect(r.stdout).toContain('sigstoreSigned: signature-missing: A signature was required, but no signature exists');
  });
});
