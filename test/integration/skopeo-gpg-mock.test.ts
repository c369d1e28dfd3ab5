/**
 * The mock's GPG signatures (`signatures = "gpg"`, signed with openpgp.js) judged by the real runtime:
 * skopeo 1.9.3 (containers/image 5.23.1, gpgme) copies from the mocks with a `signedBy` policy whose keyPath is
 * the key the mock set generated and a registries.d that names each mock's own lookaside store; pullpath pulls
 * the same references with the same files. Both must reach the same verdict with the same text (gpgme's
 * `%#v` dumps compared up to their Status field) for a good signature and each content fault, on the mirror
 * that serves, never failing over to the source that has a good signature. This proves the mock's lookaside
 * layout and signatures are what the runtime reads, not only what pullpath reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/docker-registry.ts';
import { cleanEnv, parseSkopeoRun, runPullpathPull, SKOPEO_BIN, skopeoSkipReason } from '../helpers/skopeo.ts';
import { startMockRegistry, type RunningMockRegistry } from '../../src/mock/start.ts';
import { createMockGpgKeys } from '../../src/mock/gpg-sign.ts';
import type { MockImageSpec } from '../../src/mock/spec.ts';

const skip = skopeoSkipReason();
if (skip) console.warn(`[skopeo-gpg-mock] skipped: ${skip}`);

const NAMES = ['good', 'missing', 'wrongkey', 'wrongdigest', 'wrongid'];
let work: string;
let registries: RunningMockRegistry[] = [];
let source: string; // 127.0.0.1:P
let mirror: string; // 127.0.0.1:Q
let conf: string;
let policy: string;
let regD: string;

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-gpgmock-'));
  const [p, q] = [await freePort(), await freePort()];
  source = `127.0.0.1:${p}`;
  mirror = `127.0.0.1:${q}`;
  // Hosts named by their real address so skopeo needs no name routing; each signs for the source's name.
  const img = (n: string): MockImageSpec => ({ repository: `ocp/${n}`, tags: ['1.0'], content: n, signedName: `${source}/ocp/${n}` });
  // One key pair for both, as startMockRegistries shares one; each registry on the port its name says.
  const gpg = await createMockGpgKeys();
  registries = [
    await startMockRegistry({ host: source, signatures: 'gpg', images: NAMES.map(img) }, { port: p, gpg }),
    await startMockRegistry(
      {
        host: mirror,
        signatures: 'gpg',
        images: NAMES.map(img),
        faults: [
          { kind: 'signature-missing', repository: 'ocp/missing' },
          { kind: 'signature-wrong-key', repository: 'ocp/wrongkey' },
          { kind: 'signature-wrong-digest', repository: 'ocp/wrongdigest' },
          { kind: 'signature-wrong-identity', repository: 'ocp/wrongid' },
        ],
      },
      { port: q, gpg },
    ),
  ];
  conf = join(work, 'registries.conf');
  await writeFile(conf, ['[[registry]]', `location = "${source}/ocp"`, 'insecure = true', '[[registry.mirror]]', `location = "${mirror}/ocp"`, 'insecure = true', ''].join('\n'));
  await writeFile(join(work, 'gpg.pub'), gpg.publicKeyArmored);
  policy = join(work, 'policy.json');
  await writeFile(
    policy,
    JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker: { [`${source}/ocp`]: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: join(work, 'gpg.pub') }] } } }),
  );
  regD = join(work, 'registries.d');
  await mkdir(regD);
  await writeFile(join(regD, 'mock.yaml'), `docker:\n  ${source}:\n    lookaside: http://${source}/lookaside\n  ${mirror}:\n    lookaside: http://${mirror}/lookaside\n`);
}, 60_000);

afterAll(async () => {
  await Promise.all(registries.map((r) => r.close()));
  if (work) await rm(work, { recursive: true, force: true });
});

function skopeoCopy(ref: string, out: string): Promise<ReturnType<typeof parseSkopeoRun>> {
  const args = ['--registries-conf', conf, '--registries.d', regD, '--policy', policy, '--debug', 'copy', ref, `dir:${out}`];
  return new Promise((resolve, reject) => {
    execFile(SKOPEO_BIN, args, { env: cleanEnv(work), timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve(parseSkopeoRun(ref, { code: err ? (err.code as number) : 0, stdout, stderr }));
    });
  });
}

const comparable = (e: string | null) => (e === null ? null : e.replace(/(Invalid GPG signature: gpgme\.Signature\{Summary:\d+, Fingerprint:"[0-9A-F]*", Status:gpgme\.Error\{err:0x[0-9a-f]+\})[\s\S]*/, '$1…'));

describe.skipIf(skip !== null)('skopeo 1.9.3 and pullpath agree on the mock\'s GPG signatures', () => {
  const expected: Record<string, string | null> = { good: null, missing: 'signature-missing', wrongkey: 'untrusted-key', wrongdigest: 'signature-invalid', wrongid: 'identity-mismatch' };
  for (const name of NAMES) {
    it(`${name}: same verdict and text, judged on the mirror only`, async () => {
      const ref = `docker://${source}/ocp/${name}:1.0`;
      await mkdir(join(work, `out-${name}`));
      const sk = await skopeoCopy(ref, join(work, `out-${name}`));
      const pp = await runPullpathPull({ conf, ref, home: work, extraArgs: ['--policy', policy, '--registries.d', regD] });
      expect(sk.tried, sk.stderr).toEqual([`${mirror}/ocp/${name}:1.0`]);
      expect(pp.tried, pp.stdout + pp.stderr).toEqual([`${mirror}/ocp/${name}:1.0`]);
      expect(sk.ok, sk.stderr).toBe(expected[name] === null);
      expect(pp.ok).toBe(sk.ok);
      expect(pp.errorClass ?? null).toBe(expected[name]);
      expect(comparable(pp.error)).toBe(comparable(sk.error));
      if (process.env.PULLPATH_ORACLE_LOG) console.log(`${name}: skopeo ${JSON.stringify(sk.error)} | pullpath ${JSON.stringify(pp.error)}`);
    }, 90_000);
  }
});
