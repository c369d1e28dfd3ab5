/**
 * The skopeo oracle for hostile registries: real skopeo 1.9.3 (containers/image 5.23.1, Go 1.19) and
 * `pullpath pull` against the same misbehaving mock registries (src/mock faults), each as the first mirror in
 * front of a healthy registry, on 127.0.0.1. They must agree on the verdict, the sources tried, and each
 * attempt's error text. Faults decided at the manifest GET are compared with `skopeo inspect --raw` (the
 * attempt loop); the parse failures of a chosen source with `skopeo inspect`, which parses as a pull does
 * (its error after skopeo's own "Error parsing manifest for image: " prefix).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import type { FaultRule } from '../../src/mock/spec.ts';
import { cleanEnv, runPullpathPull, runSkopeo, SKOPEO_BIN, skopeoSkipReason } from '../helpers/skopeo.ts';

const skip = skopeoSkipReason();
const app = (repo: string) => ({ repository: `${repo}/app`, tags: ['1'] });
const REPOS = ['notjson', 'deep', 'r307', 'rloop', 'huge', 'bigauth', 'liar', 'tlsonly'] as const;
type Repo = (typeof REPOS)[number];

let healthy: MockRegistrySet;
let hostile: MockRegistrySet;
let work: string;
let primary: string;

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-hostile-oracle-'));
  healthy = await startMockRegistries([{ host: 'healthy.example.com', images: REPOS.map(app) }]);
  primary = healthy.hostMap['healthy.example.com']!;
  const faults: Record<Repo, FaultRule[]> = {
    notjson: [{ kind: 'not-manifest', route: 'manifest' }],
    deep: [{ kind: 'deep-json', route: 'manifest' }],
    r307: [{ kind: 'redirect', status: 307, location: `http://${primary}` }],
    rloop: [{ kind: 'redirect', status: 302, location: '/v2/rloop/app/manifests/1', route: 'manifest' }],
    huge: [{ kind: 'big-header', bytes: 11 << 20, header: 'x-filler', route: 'ping' }],
    bigauth: [{ kind: 'big-header', bytes: 1 << 20, route: 'ping' }],
    liar: [{ kind: 'lying-digest', route: 'manifest' }],
    tlsonly: [{ kind: 'tls-bytes' }],
  };
  hostile = await startMockRegistries(REPOS.map((r) => ({ host: `${r}.example.com`, images: [app(r)], faults: faults[r] })));
}, 60_000);

afterAll(async () => {
  if (skip) return;
  await hostile?.close();
  await healthy?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function conf(repo: Repo): Promise<string> {
  const path = join(work, `${repo}.conf`);
  const mirror = hostile.hostMap[`${repo}.example.com`]!;
  await writeFile(path, `[[registry]]\nprefix = "quay.io/${repo}"\nlocation = "${primary}/${repo}"\n[[registry.mirror]]\nlocation = "${mirror}/${repo}"\n`);
  return path;
}

const run = async (repo: Repo) => {
  const o = { conf: await conf(repo), ref: `docker://quay.io/${repo}/app:1`, noVerify: true, home: join(work, 'home'), timeoutMs: 60_000 };
  const [sk, pp] = await Promise.all([runSkopeo(o), runPullpathPull(o)]);
  return { sk, pp, mirror: `${hostile.hostMap[`${repo}.example.com`]}/${repo}/app:1` };
};

describe.skipIf(skip !== null)('skopeo oracle: hostile first mirrors', () => {
  // Decided by the attempt loop: the same sources tried, the same attempt errors, the same verdict.
  it.each<[Repo, string]>([
    ['r307', 'a 307 to a healthy registry is followed: the mirror serves'],
    ['rloop', 'a redirect loop stops after 10 redirects, worded as Go'],
    ['huge', '11 MiB of headers: over Go\'s 10 MiB limit'],
    ['bigauth', 'a 1 MiB WWW-Authenticate: within Go\'s limit'],
    ['liar', 'a lying Docker-Content-Digest: ignored'],
    ['tlsonly', 'TLS bytes on a plain-HTTP port: malformed HTTP response'],
  ])('%s: %s', async (repo) => {
    const { sk, pp } = await run(repo);
    expect(sk.tried.length, `skopeo ran: ${sk.stderr.slice(-500)}`).toBeGreaterThan(0);
    expect({ ok: pp.ok, tried: pp.tried, attemptErrors: pp.attemptErrors }).toEqual({ ok: sk.ok, tried: sk.tried, attemptErrors: sk.attemptErrors });
  });

  // Decided after the choice: the runtime parses the manifest (skopeo inspect does) and fails without failover.
  it.each<[Repo, (e: string) => void]>([
    ['notjson', (e) => expect(e).toBe('unsupported schema version 0')],
    [
      'deep',
      (e) => {
        expect(e.startsWith('parsing OCI1 index: unmarshaling OCI1Index "{\\"schemaVersion\\":2,')).toBe(true);
        expect(e.endsWith(`]]}": invalid character '[' exceeded max depth`)).toBe(true);
      },
    ],
  ])('%s: the chosen mirror fails parsing as skopeo inspect does', async (repo, check) => {
    const ref = `docker://quay.io/${repo}/app:1`;
    const path = await conf(repo);
    const sk = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(SKOPEO_BIN, ['--registries-conf', path, 'inspect', '--tls-verify=false', ref], { env: cleanEnv(join(work, 'home')), maxBuffer: 64 << 20 }, (err, _o, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stderr }),
      ),
    );
    const m = /msg="Error parsing manifest for image: ((?:[^"\\]|\\.)*)"/.exec(sk.stderr);
    expect(m, sk.stderr.slice(-300)).not.toBeNull();
    const skopeoInner = JSON.parse(`"${m![1]}"`) as string;
    check(skopeoInner);
    const { pp, mirror } = await run(repo);
    expect(pp.ok).toBe(false);
    expect(pp.tried).toEqual([mirror]);
    check(pp.error!);
    if (repo === 'notjson') expect(pp.error).toBe(skopeoInner);
  });
});
