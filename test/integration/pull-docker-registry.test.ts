/**
 * The pull engine against real docker-registry instances on 127.0.0.1, case by case as
 * research/skopeo-e2e-findings.md records skopeo 1.9.3 (addresses and config paths aside).
 * Port roles of the findings: A = 55011/55014 (has lib/hello:v1), B = 55012 (has mirror/lib/hello:v1),
 * C = 55013 (empty), R1/R2 = 55018/55019 (nothing listening).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import {
  dockerRegistrySkipReason,
  freePort,
  pushImage,
  startBlackhole,
  startDockerRegistry,
  tinyImage,
  HTPASSWD_PASSWORD,
  HTPASSWD_USER,
  type RunningRegistry,
} from '../helpers/docker-registry.ts';
import { createMockCa, createServerCert } from '../../src/mock/tls.ts';
import { loadRegistriesConf } from '../../src/config/load-files.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { createRegistryClient, type RegistryClientOptions } from '../../src/registry/client.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { CredentialStore } from '../../src/registry/auth-file.ts';
import { pullOne } from '../../src/pull/pull-one.ts';
import type { AttemptEvent, PullEvent } from '../../src/events/pull-events.ts';

const skip = dockerRegistrySkipReason();
if (skip) console.warn(`[pull-docker-registry] skipped: ${skip}`);

let A: RunningRegistry, B: RunningRegistry, C: RunningRegistry, S: RunningRegistry, AUTH: RunningRegistry;
let R1: string, R2: string;
let BH: Awaited<ReturnType<typeof startBlackhole>>;
let work: string;
let certRoot: string;
let digest: string;
const img = tinyImage();

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-int-'));
  await mkdir(join(work, 'conf.d'));
  const ca = await createMockCa();
  const cert = await createServerCert(ca, ['127.0.0.1', 'secure.example.com']);
  [A, B, C, S, AUTH] = await Promise.all([
    startDockerRegistry(),
    startDockerRegistry(),
    startDockerRegistry(),
    startDockerRegistry({ tls: cert }),
    startDockerRegistry({ htpasswd: true }),
  ]);
  R1 = `127.0.0.1:${await freePort()}`;
  R2 = `127.0.0.1:${await freePort()}`;
  BH = await startBlackhole();
  await Promise.all([
    pushImage(A.url, 'lib/hello', 'v1', img),
    pushImage(B.url, 'mirror/lib/hello', 'v1', img),
    pushImage(B.url, 'lib/hello', 'v1', img),
    pushImage(S.url, 'lib/hello', 'v1', img),
    pushImage(AUTH.url, 'lib/hello', 'v1', img, { user: HTPASSWD_USER, password: HTPASSWD_PASSWORD }),
    pushImage(A.url, 'lib/broken', 'v1', tinyImage('broken')),
  ]);
  digest = img.digest;
  certRoot = join(work, 'certs.d');
  for (const host of [S.addr, 'secure.example.com']) {
    await mkdir(join(certRoot, host), { recursive: true });
    await writeFile(join(certRoot, host, 'ca.crt'), ca.certPem);
  }
}, 60_000);

afterAll(async () => {
  if (skip) return;
  await Promise.all([A, B, C, S, AUTH].filter(Boolean).map((r) => r.stop()));
  await BH?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

let confCounter = 0;
async function pull(conf: string, arg: string, client: RegistryClientOptions = {}, attemptTimeoutMs = 10_000, checkBlobs = false) {
  const file = join(work, `case-${++confCounter}.conf`);
  await writeFile(file, conf);
  const loaded = await loadRegistriesConf({ registriesConf: file, registriesConfDir: join(work, 'conf.d'), env: {}, home: work, shortNameAliases: join(work, 'aliases.conf') });
  const resolution = resolveArg(compileConfig(loaded.config), arg);
  const dispatchers = createDispatcherFactory(client.hostMap ? { hostMap: client.hostMap } : {});
  const c = createRegistryClient({ certs: { roots: [join(work, 'no-certs')] }, ...client, dispatchers });
  const events: PullEvent[] = [];
  try {
    const result = await pullOne(resolution, { client: c, attemptTimeoutMs, checkBlobs }, (e) => events.push(e));
    const attempts = events.filter((e): e is AttemptEvent => e.type === 'attempt');
    return { result, attempts, events, file, dir: join(work, 'conf.d') };
  } finally {
    await dispatchers.close();
  }
}
const tried = (attempts: AttemptEvent[]) => attempts.map((a) => a.reference);
const NO_VERIFY = { tlsVerify: false } as const;
const refused = (hp: string, scheme = 'http') => `pinging container registry ${hp}: Get "${scheme}://${hp}/v2/": dial tcp ${hp}: connect: connection refused`;
const unknown = (ref: string, name: string) => `reading manifest ${ref} in ${name}: manifest unknown: manifest unknown`;

describe.skipIf(skip !== null)('pull against docker-registry, as skopeo 1.9.3 did', () => {
  const mirrorsPartlyUp = () => `[[registry]]\nlocation = "${R2}/lib"\n[[registry.mirror]]\nlocation = "${C.addr}/lib"\n[[registry.mirror]]\nlocation = "${R1}/lib"\n[[registry.mirror]]\nlocation = "${B.addr}/mirror/lib"\n`;

  it('01: mirrors in file order, the first success wins, the primary is never contacted (tag)', async () => {
    const r = await pull(mirrorsPartlyUp(), `docker://${R2}/lib/hello:v1`, NO_VERIFY);
    expect(tried(r.attempts)).toEqual([`${C.addr}/lib/hello:v1`, `${R1}/lib/hello:v1`, `${B.addr}/mirror/lib/hello:v1`]);
    expect(r.attempts.map((a) => a.error)).toEqual([unknown('v1', `${C.addr}/lib/hello`), refused(R1), null]);
    expect(r.attempts.map((a) => a.errorClass)).toEqual(['not-found', 'refused', null]);
    expect(r.result).toMatchObject({ ok: true, source: `${B.addr}/mirror/lib/hello:v1`, sourceIndex: 2, digest });
  });

  it('01: the same order for a digest reference', async () => {
    const r = await pull(mirrorsPartlyUp(), `docker://${R2}/lib/hello@${digest}`, NO_VERIFY);
    expect(tried(r.attempts)).toEqual([`${C.addr}/lib/hello@${digest}`, `${R1}/lib/hello@${digest}`, `${B.addr}/mirror/lib/hello@${digest}`]);
    expect(r.result.ok).toBe(true);
  });

  it('02: every source fails: the runtime final error, mirrors joined by a newline', async () => {
    const conf = `[[registry]]\nlocation = "${R2}/lib"\n[[registry.mirror]]\nlocation = "${C.addr}/lib"\n[[registry.mirror]]\nlocation = "${R1}/lib"\n`;
    const r = await pull(conf, `docker://${R2}/lib/hello:v1`, NO_VERIFY);
    expect(r.result.ok).toBe(false);
    expect(r.result.error).toBe(
      `(Mirrors also failed: [${C.addr}/lib/hello:v1: ${unknown('v1', `${C.addr}/lib/hello`)}]\n[${R1}/lib/hello:v1: ${refused(R1)}]): ${R2}/lib/hello:v1: ${refused(R2)}`,
    );
    expect(r.result.errorClass).toBe('refused');
  });

  it('03: mirror-by-digest-only: a tag tries only the primary, and one source passes its error unwrapped', async () => {
    const conf = `[[registry]]\nlocation = "${R2}/lib"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "${A.addr}/lib"\n`;
    const tag = await pull(conf, `docker://${R2}/lib/hello:v1`, NO_VERIFY);
    expect(tried(tag.attempts)).toEqual([`${R2}/lib/hello:v1`]);
    expect(tag.result.error).toBe(refused(R2));
    const dig = await pull(conf, `docker://${R2}/lib/hello@${digest}`, NO_VERIFY);
    expect(tried(dig.attempts)).toEqual([`${A.addr}/lib/hello@${digest}`]);
    expect(dig.result.ok).toBe(true);
  });

  it('04: pull-from-mirror digest-only / tag-only / all', async () => {
    const conf =
      `[[registry]]\nlocation = "${R2}/lib"\n` +
      `[[registry.mirror]]\nlocation = "${C.addr}/lib"\npull-from-mirror = "digest-only"\n` +
      `[[registry.mirror]]\nlocation = "${B.addr}/mirror/lib"\npull-from-mirror = "tag-only"\n` +
      `[[registry.mirror]]\nlocation = "${A.addr}/lib"\n`;
    const tag = await pull(conf, `docker://${R2}/lib/hello:v1`, NO_VERIFY);
    expect(tried(tag.attempts)).toEqual([`${B.addr}/mirror/lib/hello:v1`]);
    expect(tag.result.ok).toBe(true);
    const dig = await pull(conf, `docker://${R2}/lib/hello@${digest}`, NO_VERIFY);
    expect(tried(dig.attempts)).toEqual([`${C.addr}/lib/hello@${digest}`, `${A.addr}/lib/hello@${digest}`]);
    expect(dig.attempts[0]!.error).toBe(unknown(digest, `${C.addr}/lib/hello`));
    expect(dig.result.ok).toBe(true);
  });

  it('05: a blocked location fails at once with the runtime message and no request', async () => {
    const conf = `[[registry]]\nlocation = "${A.addr}"\nblocked = true\n`;
    const r = await pull(conf, `docker://${A.addr}/lib/hello:v1`, NO_VERIFY);
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]).toMatchObject({ outcome: 'blocked', errorClass: 'blocked', steps: [] });
    expect(r.result.error).toBe(`registry ${A.addr} is blocked in ${r.file} or ${r.dir}`);
  });

  it('06: the mirrors of a blocked registry are used', async () => {
    const conf = `[[registry]]\nlocation = "${A.addr}"\nblocked = true\n[[registry.mirror]]\nlocation = "${B.addr}"\n`;
    const r = await pull(conf, `docker://${A.addr}/lib/hello:v1`, NO_VERIFY);
    expect(tried(r.attempts)).toEqual([`${B.addr}/lib/hello:v1`]);
    expect(r.result.ok).toBe(true);
  });

  it('17: a blocked primary whose mirror misses: the blocked message is the primary error', async () => {
    const conf = `[[registry]]\nlocation = "${A.addr}"\nblocked = true\n[[registry.mirror]]\nlocation = "${C.addr}"\n`;
    const r = await pull(conf, `docker://${A.addr}/lib/hello:v1`, NO_VERIFY);
    expect(r.result.error).toBe(
      `(Mirrors also failed: [${C.addr}/lib/hello:v1: ${unknown('v1', `${C.addr}/lib/hello`)}]): ${A.addr}/lib/hello:v1: registry ${A.addr} is blocked in ${r.file} or ${r.dir}`,
    );
  });

  it('09: insecure is per endpoint: a secure mirror on plain HTTP fails, the insecure one falls back to http', async () => {
    const conf = `[[registry]]\nlocation = "${R2}/lib"\n[[registry.mirror]]\nlocation = "${A.addr}/lib"\n[[registry.mirror]]\nlocation = "${B.addr}/mirror/lib"\ninsecure = true\n`;
    const r = await pull(conf, `docker://${R2}/lib/hello:v1`);
    expect(tried(r.attempts)).toEqual([`${A.addr}/lib/hello:v1`, `${B.addr}/mirror/lib/hello:v1`]);
    expect(r.attempts[0]!.error).toBe(`pinging container registry ${A.addr}: Get "https://${A.addr}/v2/": http: server gave HTTP response to HTTPS client`);
    expect(r.attempts[0]!.errorClass).toBe('http-to-https');
    expect(r.attempts[1]!.steps.filter((s) => s.step === 'ping').map((s) => s.url)).toEqual([`https://${B.addr}/v2/`, `http://${B.addr}/v2/`]);
    expect(r.result.ok).toBe(true);
  });

  it("18: a mirror uses its own insecure flag, not that of a [[registry]] matching its location", async () => {
    const conf = `[[registry]]\nlocation = "${R2}/lib"\n[[registry.mirror]]\nlocation = "${A.addr}/lib"\n[[registry]]\nlocation = "${A.addr}"\ninsecure = true\n`;
    const viaMirror = await pull(conf, `docker://${R2}/lib/hello:v1`);
    expect(viaMirror.attempts[0]!.error).toBe(`pinging container registry ${A.addr}: Get "https://${A.addr}/v2/": http: server gave HTTP response to HTTPS client`);
    const direct = await pull(conf, `docker://${A.addr}/lib/hello:v1`);
    expect(direct.result.ok).toBe(true);
  });

  it('a listener that never answers: the attempt times out, says the runtime would wait, and the next source wins', async () => {
    const conf = `[[registry]]\nlocation = "${A.addr}"\n[[registry.mirror]]\nlocation = "${BH.addr}"\ninsecure = true\n`;
    const r = await pull(conf, `docker://${A.addr}/lib/hello:v1`, NO_VERIFY, 800);
    expect(r.attempts[0]!.error).toBe(`pinging container registry ${BH.addr}: Get "https://${BH.addr}/v2/": context deadline exceeded`);
    expect(r.attempts[0]!.errorClass).toBe('timeout');
    expect(r.attempts[0]!.notes?.join(' ')).toMatch(/no response-header timeout/);
    expect(r.result).toMatchObject({ ok: true, sourceIndex: 1 });
  });

  it('a secure endpoint verifies against certs.d, and fails as the runtime without it', async () => {
    const conf = ``;
    const ok = await pull(conf, `docker://${S.addr}/lib/hello:v1`, { certs: { roots: [certRoot] } });
    expect(ok.result.ok).toBe(true);
    expect(ok.attempts[0]!.steps[0]!.url).toBe(`https://${S.addr}/v2/`);
    const bad = await pull(conf, `docker://${S.addr}/lib/hello:v1`);
    expect(bad.result.error).toBe(`pinging container registry ${S.addr}: Get "https://${S.addr}/v2/": x509: certificate signed by unknown authority`);
    expect(bad.result.errorClass).toBe('tls');
    const insecure = await pull(`[[registry]]\nlocation = "${S.addr}"\ninsecure = true\n`, `docker://${S.addr}/lib/hello:v1`);
    expect(insecure.result.ok).toBe(true);
  });

  it('--connect-to dials a loopback address while SNI, Host and references stay the configured name', async () => {
    const conf = `[[registry]]\nlocation = "secure.example.com"\n`;
    const r = await pull(conf, 'docker://secure.example.com/lib/hello:v1', { certs: { roots: [certRoot] }, hostMap: HostMap.parse([`secure.example.com:${S.addr}`]) });
    expect(r.result).toMatchObject({ ok: true, source: 'secure.example.com/lib/hello:v1', digest });
    expect(r.attempts[0]!.steps.map((s) => s.url)).toEqual(['https://secure.example.com/v2/', 'https://secure.example.com/v2/lib/hello/manifests/v1']);
  });

  it('htpasswd auth: credentials from auth.json, never shown; without them the runtime error', async () => {
    const authFile = join(work, 'auth.json');
    const b64 = Buffer.from(`${HTPASSWD_USER}:${HTPASSWD_PASSWORD}`).toString('base64');
    await writeFile(authFile, JSON.stringify({ auths: { [AUTH.addr]: { auth: b64 } } }));
    const conf = `[[registry]]\nlocation = "${AUTH.addr}"\ninsecure = true\n`;
    const ok = await pull(conf, `docker://${AUTH.addr}/lib/hello:v1`, { credentials: await CredentialStore.load({ authFile }) });
    expect(ok.result.ok).toBe(true);
    const all = JSON.stringify(ok.events);
    expect(all).not.toContain(HTPASSWD_PASSWORD);
    expect(all).not.toContain(b64);
    const anon = await pull(conf, `docker://${AUTH.addr}/lib/hello:v1`);
    expect(anon.result.ok).toBe(false);
    expect(anon.result.error).toMatch(new RegExp(`^reading manifest v1 in ${AUTH.addr.replaceAll('.', '\\.')}/lib/hello: unauthorized`));
    expect(anon.result.errorClass).toBe('unauthorized');
  });

  it('a mirror uses its own host credentials, never the primary ones', async () => {
    const authFile = join(work, 'auth-primary-only.json');
    await writeFile(authFile, JSON.stringify({ auths: { [A.addr]: { auth: Buffer.from(`${HTPASSWD_USER}:${HTPASSWD_PASSWORD}`).toString('base64') } } }));
    const conf = `[[registry]]\nlocation = "${A.addr}"\n[[registry.mirror]]\nlocation = "${AUTH.addr}"\n`;
    const r = await pull(conf, `docker://${A.addr}/lib/hello:v1`, { tlsVerify: false, credentials: await CredentialStore.load({ authFile }) });
    expect(r.attempts[0]!.errorClass).toBe('unauthorized');
    expect(r.result).toMatchObject({ ok: true, sourceIndex: 1 });
  });

  it('--check-blobs: present blobs pass; a deleted layer is reported, without failover', async () => {
    const ok = await pull('', `docker://${A.addr}/lib/hello:v1`, NO_VERIFY, 10_000, true);
    expect(ok.result).toMatchObject({ ok: true, missingBlobs: [] });
    const broken = tinyImage('broken');
    const layer = JSON.parse(broken.manifest.toString()).layers[0].digest as string;
    const del = await request(`${A.url}/v2/lib/broken/blobs/${layer}`, { method: 'DELETE' });
    await del.body.dump();
    expect(del.statusCode).toBe(202);
    const conf = `[[registry]]\nlocation = "${R2}"\n[[registry.mirror]]\nlocation = "${A.addr}"\n`;
    const r = await pull(conf, `docker://${R2}/lib/broken:v1`, NO_VERIFY, 10_000, true);
    expect(r.attempts).toHaveLength(1);
    expect(r.result).toMatchObject({ ok: false, errorClass: 'not-found', missingBlobs: [layer], source: `${A.addr}/lib/broken:v1` });
    expect(r.result.notes?.join(' ')).toMatch(/does not fail over/);
  });
});
