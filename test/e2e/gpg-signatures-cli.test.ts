/**
 * GPG `signedBy` through the real CLI against mocks that sign with `signatures = "gpg"`: the signatures sit in
 * an http lookaside store on each mock's own listener, registries.d names the store per registry, and the
 * runtime reads only the store of the source that SERVED the image (a mirror's), never failing over after a
 * signature failure. The policy's keyPath is the armored key the mock set generated.
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
const IMAGES = ['good', 'source-only', 'wrongkey', 'wrongid'];

let mocks: MockRegistrySet;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-gpg-'));
  mocks = await startMockRegistries([
    { host: 'quay.io', signatures: 'gpg', images: IMAGES.map((n) => img(n)) },
    {
      host: 'mirror.example.com',
      signatures: 'gpg',
      images: IMAGES.map((n) => img(n)),
      faults: [
        { kind: 'signature-missing', repository: 'ocp/source-only' },
        { kind: 'signature-wrong-key', repository: 'ocp/wrongkey' },
        { kind: 'signature-wrong-identity', repository: 'ocp/wrongid' },
      ],
    },
  ]);
  await writeFile(
    join(work, 'registries.conf'),
    ['[[registry]]', 'prefix = "quay.io/ocp"', 'location = "quay.io/ocp"', 'insecure = true', '[[registry.mirror]]', 'location = "mirror.example.com/ocp"', 'insecure = true', ''].join('\n'),
  );
  await writeFile(join(work, 'gpg.pub'), mocks.gpgPublicKeyArmored!);
  await writeFile(
    join(work, 'policy.json'),
    JSON.stringify({
      default: [{ type: 'insecureAcceptAnything' }],
      transports: { docker: { 'quay.io/ocp': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: join(work, 'gpg.pub') }] } },
    }),
  );
  // Each mock's store on its own listener; the host map routes both names to the mocks.
  await mkdir(join(work, 'registries.d'));
  await writeFile(
    join(work, 'registries.d', 'lookaside.yaml'),
    'docker:\n  quay.io:\n    lookaside: http://quay.io/lookaside\n  mirror.example.com:\n    lookaside: http://mirror.example.com/lookaside\n',
  );
  await mkdir(join(work, 'none.d'));
});

afterAll(async () => {
  await mocks?.close();
  await rm(work, { recursive: true, force: true });
});

const connectTo = (): string[] => Object.entries(mocks.hostMap).flatMap(([h, a]) => ['--connect-to', `${h}:${a}`]);
const flags = (): string[] => [
  '--registries-conf', join(work, 'registries.conf'), '--registries-conf-dir', join(work, 'none.d'),
  '--policy', join(work, 'policy.json'), '--registries.d', join(work, 'registries.d'), ...connectTo(),
];
const cli = (args: string[]): Promise<CliResult> => runCli(args, { env: hermeticEnv(work), timeoutMs: 60_000 });

function parsed(r: CliResult): { result: Record<string, unknown>; attempts: Record<string, unknown>[] } {
  const { records, failures } = checkJsonLines('pull', r.stdout);
  expect(failures, r.stderr).toEqual([]);
  return { result: records.find((x) => x.type === 'result')!, attempts: records.filter((x) => x.type === 'attempt') };
}

describe('pull verifies GPG signatures from the mirror\'s lookaside store', () => {
  it('signatures in the mirror\'s store: pulled from the mirror, verified', async () => {
    const r = await cli(['pull', ...flags(), '--no-tui', 'quay.io/ocp/good:1.0']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PULLED from mirror\.example\.com\/ocp\/good:1\.0/);
    expect(r.stdout).toMatch(/signatures: verified \(looked for on the source that served the image: http:\/\/mirror\.example\.com\/lookaside\/ocp\/good\)/);
    expect(r.stdout).toMatch(/signedBy: ok \(signed by key [0-9A-F]{40} for quay\.io\/ocp\/good:1\.0 /);
  });

  it('signature only on the source: rejected on the mirror (signature-missing), one attempt, no failover', async () => {
    const r = await cli(['pull', ...flags(), '-o', 'json', 'quay.io/ocp/source-only:1.0']);
    expect(r.code).toBe(1);
    const { result, attempts } = parsed(r);
    expect(result).toMatchObject({
      ok: false,
      errorClass: 'signature-missing',
      source: 'mirror.example.com/ocp/source-only:1.0',
      error: 'Source image rejected: A signature was required, but no signature exists',
    });
    expect(attempts).toHaveLength(1);
  });

  it('signed by another key: untrusted-key; for another name: identity-mismatch', async () => {
    const wk = parsed(await cli(['pull', ...flags(), '-o', 'json', 'quay.io/ocp/wrongkey:1.0'])).result;
    expect(wk).toMatchObject({ ok: false, errorClass: 'untrusted-key', source: 'mirror.example.com/ocp/wrongkey:1.0' });
    expect(String(wk.error)).toMatch(/^Source image rejected: Invalid GPG signature: gpgme\.Signature\{Summary:128, /);
    const wi = parsed(await cli(['pull', ...flags(), '-o', 'json', 'quay.io/ocp/wrongid:1.0'])).result;
    expect(wi).toMatchObject({
      ok: false,
      errorClass: 'identity-mismatch',
      error: 'Source image rejected: Signature for identity quay.io/ocp/wrongid-unsigned:1.0 is not accepted',
    });
  });
});

describe('an https lookaside on a TLS registry: read with that registry\'s own client (certs.d)', () => {
  let tlsMocks: MockRegistrySet;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pp-gpg-tls-'));
    // The registry's CA is trusted only through certs.d (--cert-dir): the lookaside on the same host must be too.
    tlsMocks = await startMockRegistries([{ host: 'secure.example.com', tls: true, signatures: 'gpg', images: [img('good')] }], { certDir: join(dir, 'certs.d') });
    await writeFile(join(dir, 'registries.conf'), '[[registry]]\nprefix = "quay.io/ocp"\nlocation = "quay.io/ocp"\n[[registry.mirror]]\nlocation = "secure.example.com/ocp"\n');
    await writeFile(join(dir, 'gpg.pub'), tlsMocks.gpgPublicKeyArmored!);
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker: { 'quay.io/ocp': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: join(dir, 'gpg.pub') }] } } }));
    await mkdir(join(dir, 'registries.d'));
    await writeFile(join(dir, 'registries.d', 'lookaside.yaml'), 'docker:\n  secure.example.com:\n    lookaside: https://secure.example.com/lookaside\n');
    await mkdir(join(dir, 'none.d'));
  });
  afterAll(async () => {
    await tlsMocks?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('verified through the mirror, its lookaside trusted with the registry\'s CA', async () => {
    const args = [
      'pull', '--registries-conf', join(dir, 'registries.conf'), '--registries-conf-dir', join(dir, 'none.d'),
      '--policy', join(dir, 'policy.json'), '--registries.d', join(dir, 'registries.d'), '--cert-dir', join(dir, 'certs.d', 'secure.example.com'),
      ...Object.entries(tlsMocks.hostMap).flatMap(([h, a]) => ['--connect-to', `${h}:${a}`]),
      '-o', 'json', 'quay.io/ocp/good:1.0',
    ];
    const r = await runCli(args, { env: hermeticEnv(dir), timeoutMs: 60_000 });
    const { result } = parsed(r);
    expect(result, r.stdout + r.stderr).toMatchObject({ ok: true, source: 'secure.example.com/ocp/good:1.0' });
    expect((result.signatures as { ok: boolean }).ok).toBe(true);
  });
});
