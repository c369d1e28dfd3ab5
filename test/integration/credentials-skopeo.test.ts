/**
 * Credentials against real registries, with skopeo 1.9.3 as the oracle: the primary is an open docker-registry
 * WITHOUT the image, the mirror a docker-registry with htpasswd auth that has it. So a pull succeeds exactly
 * when the mirror got working credentials. Each case writes the same auth files, helpers (the fake
 * docker-credential-pp-* scripts on PATH) and flags for both tools, and both must reach the same verdict.
 * pullpath must also say which credentials each attempt used, and no output may hold a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerRegistrySkipReason, HTPASSWD_PASSWORD, HTPASSWD_USER, pushImage, startDockerRegistry, tinyImage, type RunningRegistry } from '../helpers/docker-registry.ts';
import { cleanEnv, parsePullpathPull, parseSkopeoRun, PULLPATH_BIN, SKOPEO_BIN, skopeoSkipReason, systemDropInsAffecting, type RunOutcome } from '../helpers/skopeo.ts';

const HELPER_DIR = fileURLToPath(new URL('../fixtures/cred-helpers', import.meta.url));
const skip = dockerRegistrySkipReason() ?? skopeoSkipReason() ?? (systemDropInsAffecting().length ? `system drop-ins: ${systemDropInsAffecting().join(', ')}` : null);
if (skip) console.warn(`[credentials-skopeo] skipped: ${skip}`);

const WRONG = 'wrong-Password-271828';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const SECRETS = [HTPASSWD_PASSWORD, WRONG, b64(`${HTPASSWD_USER}:${HTPASSWD_PASSWORD}`), b64(`${HTPASSWD_USER}:${WRONG}`)];

let OPEN: RunningRegistry, AUTH: RunningRegistry;
let work: string;
let ref: string;

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-creds-int-'));
  [OPEN, AUTH] = await Promise.all([startDockerRegistry(), startDockerRegistry({ htpasswd: true })]);
  await pushImage(AUTH.url, 'lib/hello', 'v1', tinyImage(), { user: HTPASSWD_USER, password: HTPASSWD_PASSWORD });
  ref = `docker://${OPEN.addr}/lib/hello:v1`;
}, 60_000);

afterAll(async () => {
  if (skip) return;
  await Promise.all([OPEN, AUTH].filter(Boolean).map((r) => r.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

interface Case {
  /** Files relative to HOME (e.g. `.docker/config.json`), or `authfile` for --authfile. */
  files?: Record<string, unknown>;
  /** What docker-credential-pp-fake answers per host. */
  helperAnswers?: Record<string, { Username: string; Secret: string }>;
  /** registries.conf `credential-helpers`. */
  credentialHelpers?: string[];
  /** Flags both tools get (skopeo's own spelling). */
  flags?: string[];
}

interface Ran {
  skopeo: RunOutcome;
  pullpath: RunOutcome;
  text: { stdout: string; stderr: string };
  home: string;
  data: string;
  /** Hosts docker-credential-pp-fake was asked for, per tool (the JSON run for pullpath). */
  skopeoCalls: string[];
  pullpathCalls: string[];
}

function exec(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(new Error(`${bin}: ${err.message}\n${stderr}`));
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

let n = 0;
async function runCase(c: Case): Promise<Ran> {
  const home = join(work, `case${++n}`);
  const data = join(home, 'helper-data');
  await mkdir(data, { recursive: true });
  const authfile = join(home, 'authfile.json');
  for (const [rel, body] of Object.entries(c.files ?? {})) {
    const path = rel === 'authfile' ? authfile : join(home, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body));
  }
  for (const [host, a] of Object.entries(c.helperAnswers ?? {})) await writeFile(join(data, `${host}.json`), JSON.stringify({ ServerURL: host, ...a }));
  const conf = join(home, 'registries.conf');
  await writeFile(
    conf,
    `${c.credentialHelpers ? `credential-helpers = ${JSON.stringify(c.credentialHelpers)}\n` : ''}[[registry]]\nlocation = "${OPEN.addr}"\ninsecure = true\n[[registry.mirror]]\nlocation = "${AUTH.addr}"\ninsecure = true\n`,
  );
  const env = { ...cleanEnv(home), PATH: `${HELPER_DIR}:${process.env.PATH}`, PP_FAKE_HELPER_DATA: data };
  const flags = [...(c.files?.authfile ? ['--authfile', authfile] : []), ...(c.flags ?? [])];
  const calls = async () => {
    const lines = (await readFile(join(data, 'calls.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    await rm(join(data, 'calls.log'), { force: true });
    return lines;
  };
  const skopeo = parseSkopeoRun(ref, await exec(SKOPEO_BIN, ['--registries-conf', conf, '--debug', 'inspect', '--raw', ...flags, ref], env));
  const skopeoCalls = await calls();
  const pullpath = parsePullpathPull(await exec(process.execPath, [PULLPATH_BIN, 'pull', '--registries-conf', conf, '--output', 'json', ...flags, ref], env));
  const pullpathCalls = await calls();
  const text = await exec(process.execPath, [PULLPATH_BIN, 'pull', '--registries-conf', conf, '--no-tui', ...flags, ref], env);
  for (const s of SECRETS) {
    for (const out of [pullpath.stdout, pullpath.stderr, text.stdout, text.stderr]) expect(out).not.toContain(s);
  }
  return { skopeo, pullpath, text, home, data, skopeoCalls, pullpathCalls };
}

/** The JSON attempt records of the pullpath run. */
function attempts(r: Ran): { reference: string; errorClass: string | null; error: string | null; credentials?: { kind: string; file?: string; key?: string; helper?: string; username?: string; text: string; notes?: string[] } }[] {
  return r.pullpath.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'attempt');
}
function result(r: Ran): { ok: boolean; whatToDo?: { topic: string; subject: string }[] } {
  return r.pullpath.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'result');
}

const good = () => ({ Username: HTPASSWD_USER, Secret: HTPASSWD_PASSWORD });
const entry = (pw: string) => ({ auth: b64(`${HTPASSWD_USER}:${pw}`) });

describe.skipIf(skip)('credentials: pullpath and skopeo 1.9.3 on the same files, helpers and flags', () => {
  it('a helper named by credHelpers for the MIRROR host supplies working credentials (helper run once per host)', async () => {
    const r = await runCase({ files: { authfile: { auths: {}, credHelpers: { [AUTH.addr]: 'pp-fake' } } }, helperAnswers: { [AUTH.addr]: good() } });
    expect(r.skopeo.ok).toBe(true);
    expect(r.pullpath.ok).toBe(true);
    expect(attempts(r)[0]!.credentials).toMatchObject({ kind: 'helper', helper: 'pp-fake', key: AUTH.addr, username: HTPASSWD_USER });
    // One helper run for the mirror host (the mirror served: the primary was not tried).
    expect(r.pullpathCalls).toEqual([AUTH.addr]);
    console.log(`[credentials-skopeo] helper runs for one pull: skopeo ${r.skopeoCalls.length}, pullpath ${r.pullpathCalls.length}`);
    expect(r.text.stdout).toContain(`credentials: credential helper docker-credential-pp-fake for ${AUTH.addr}`);
  });

  it('one helper run per host for the whole run, however many images', async () => {
    const r = await runCase({ files: { authfile: { auths: {}, credHelpers: { [AUTH.addr]: 'pp-fake' } } }, helperAnswers: { [AUTH.addr]: good() } });
    const refs = ['hello:v1', 'a:v1', 'b:v1', 'c:v1'].map((t) => `docker://${OPEN.addr}/lib/${t}`);
    const env = { ...cleanEnv(r.home), PATH: `${HELPER_DIR}:${process.env.PATH}`, PP_FAKE_HELPER_DATA: r.data };
    await rm(join(r.data, 'calls.log'), { force: true });
    const out = await exec(process.execPath, [PULLPATH_BIN, 'pull', '--registries-conf', join(r.home, 'registries.conf'), '--authfile', join(r.home, 'authfile.json'), '--output', 'json', ...refs], env);
    expect(out.stdout.split('\n').filter((l) => l.includes('"type":"result"'))).toHaveLength(4);
    expect((await readFile(join(r.data, 'calls.log'), 'utf8')).split('\n').filter(Boolean)).toEqual([AUTH.addr]);
  });

  it('no credentials anywhere: both fail; pullpath says none matched and what to add', async () => {
    const r = await runCase({});
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([false, false]);
    const a = attempts(r)[0]!;
    expect(a.errorClass).toBe('unauthorized');
    expect(a.error).toBe(r.skopeo.attemptErrors[0]);
    expect(a.credentials?.kind).toBe('none');
    expect(result(r).whatToDo).toContainEqual(expect.objectContaining({ topic: 'auth-missing', subject: AUTH.addr }));
    expect(r.text.stdout).toContain('no credentials were sent');
  });

  it('a helper with a wrong password: both fail; the 401 names the credential used (helper and user) as rejected', async () => {
    const r = await runCase({ files: { authfile: { auths: {}, credHelpers: { [AUTH.addr]: 'pp-fake' } } }, helperAnswers: { [AUTH.addr]: { Username: HTPASSWD_USER, Secret: WRONG } } });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([false, false]);
    const a = attempts(r)[0]!;
    expect(a.error).toBe(r.skopeo.attemptErrors[0]);
    expect(a.credentials).toMatchObject({ kind: 'helper', helper: 'pp-fake', username: HTPASSWD_USER });
    expect(result(r).whatToDo).toContainEqual(expect.objectContaining({ topic: 'auth-rejected', subject: AUTH.addr }));
    expect(r.text.stdout).toMatch(new RegExp(`HTTP 401: the credentials were rejected: credential helper docker-credential-pp-fake for ${AUTH.addr.replaceAll('.', '\\.')} \\(credHelpers in .*authfile\\.json\\) \\(user ${HTPASSWD_USER}\\)`));
  });

  it('a failing helper: the mirror attempt fails before any request, with the runtime\'s words', async () => {
    const r = await runCase({ files: { authfile: { auths: {}, credHelpers: { [AUTH.addr]: 'pp-broken' } } } });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([false, false]);
    const a = attempts(r)[0]!;
    expect(a.errorClass).toBe('credentials');
    expect(a.error).toBe(r.skopeo.attemptErrors[0]);
    expect(result(r).whatToDo).toContainEqual(expect.objectContaining({ topic: 'credentials-lookup' }));
  });

  it('an entry for the SOURCE host only: the mirror never gets it', async () => {
    const r = await runCase({ files: { '.docker/config.json': { auths: { [OPEN.addr]: entry(HTPASSWD_PASSWORD) } } } });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([false, false]);
    expect(attempts(r)[0]!.credentials?.kind).toBe('none');
    expect(attempts(r)[1]!.credentials).toMatchObject({ kind: 'auth-file', key: OPEN.addr });
  });

  it('--creds are not sent to a mirror on another host', async () => {
    const r = await runCase({ flags: ['--creds', `${HTPASSWD_USER}:${HTPASSWD_PASSWORD}`] });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([false, false]);
    expect(attempts(r)[0]!.credentials?.notes?.join(' ')).toContain('--creds do not apply');
    expect(attempts(r)[1]!.credentials).toMatchObject({ kind: 'flag', flag: '--creds' });
  });

  it('--no-creds still lets a mirror on another host use its auth file entry', async () => {
    const r = await runCase({ files: { authfile: { auths: { [AUTH.addr]: entry(HTPASSWD_PASSWORD) } } }, flags: ['--no-creds'] });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([true, true]);
  });

  it('credsStore is ignored by the runtime', async () => {
    const r = await runCase({ files: { '.docker/config.json': { auths: {}, credsStore: 'pp-fake' } }, helperAnswers: { [AUTH.addr]: good() } });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([false, false]);
    expect(attempts(r)[0]!.credentials?.notes?.join(' ')).toContain('does not read credsStore');
  });

  it('registries.conf credential-helpers runs docker-credential-NAME for the mirror host', async () => {
    const r = await runCase({ credentialHelpers: ['pp-fake'], helperAnswers: { [AUTH.addr]: good() } });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([true, true]);
    expect(attempts(r)[0]!.credentials).toMatchObject({ kind: 'helper', helper: 'pp-fake' });
  });

  it('the first FILE with a match wins: a wrong entry in ~/.config beats a right one in ~/.docker', async () => {
    const r = await runCase({ files: { '.config/containers/auth.json': { auths: { [AUTH.addr]: entry(WRONG) } }, '.docker/config.json': { auths: { [AUTH.addr]: entry(HTPASSWD_PASSWORD) } } } });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([false, false]);
    expect(attempts(r)[0]!.credentials).toMatchObject({ kind: 'auth-file', file: join(r.home, '.config/containers/auth.json') });
  });

  it('a broken ~/.docker/config.json: a match in an earlier file still wins; a lookup reaching it fails', async () => {
    const good = await runCase({ files: { authfile: { auths: { [AUTH.addr]: entry(HTPASSWD_PASSWORD) } }, '.docker/config.json': '{"auths": {' } });
    expect([good.skopeo.ok, good.pullpath.ok]).toEqual([true, true]);
    const bad = await runCase({ files: { '.docker/config.json': '{"auths": {' } });
    expect([bad.skopeo.ok, bad.pullpath.ok]).toEqual([false, false]);
    expect(attempts(bad)[0]!.errorClass).toBe('credentials');
    expect(bad.skopeo.attemptErrors[0]).toMatch(/^getting username and password: 1 error occurred:/);
    expect(attempts(bad)[0]!.error).toMatch(/^getting username and password: 1 error occurred:/);
  });

  it('inside a file the most specific key wins: host/namespace over host', async () => {
    const r = await runCase({ files: { authfile: { auths: { [AUTH.addr]: entry(WRONG), [`${AUTH.addr}/lib`]: entry(HTPASSWD_PASSWORD) } } } });
    expect([r.skopeo.ok, r.pullpath.ok]).toEqual([true, true]);
    expect(attempts(r)[0]!.credentials).toMatchObject({ kind: 'auth-file', key: `${AUTH.addr}/lib` });
  });
});
