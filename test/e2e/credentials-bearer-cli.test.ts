/**
 * Bearer token auth (the project's mock registry, token endpoint on the same server): rejected credentials
 * (the token request answers 401) are told apart from no credentials (an anonymous token that the registry
 * then refuses), and the 401 names the credential used, in text and JSON, never the secret. A mirror gets
 * its credentials from a helper; --creds stay with the source's host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { hermeticEnv, runCli, type CliResult } from '../helpers/run-cli.ts';
import { checkJsonLines } from '../helpers/json-schemas.ts';

const PW = 'bearer-S3cret-pw';
const WRONG = 'bearer-Wrong-pw';
const HELPER_DIR = fileURLToPath(new URL('../fixtures/cred-helpers', import.meta.url));
const img = { repository: 'org/app', tags: ['1'], content: 'app' };

let mocks: MockRegistrySet;
let work: string;
let conf: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-bearer-'));
  mocks = await startMockRegistries([
    { host: 'mirror.example.com', images: [img], auth: { type: 'bearer', users: [{ username: 'ci', password: PW }] } },
    { host: 'source.example.com', images: [], auth: { type: 'bearer', users: [{ username: 'ci', password: PW }] } },
  ]);
  conf = join(work, 'registries.conf');
  await writeFile(conf, `[[registry]]\nlocation = "source.example.com"\ninsecure = true\n[[registry.mirror]]\nlocation = "mirror.example.com"\ninsecure = true\n`);
  env = { ...hermeticEnv(work), PATH: `${HELPER_DIR}:${process.env.PATH}`, PP_FAKE_HELPER_DATA: work };
}, 60_000);
afterAll(async () => {
  await mocks?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const connect = () => ['--connect-to', `mirror.example.com:${mocks.get('mirror.example.com')!.address}`, '--connect-to', `source.example.com:${mocks.get('source.example.com')!.address}`];
async function pull(flags: string[], output: 'json' | 'text'): Promise<CliResult> {
  const r = await runCli(['pull', '--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d'), ...connect(), ...flags, ...(output === 'json' ? ['-o', 'json'] : ['--no-tui']), 'source.example.com/org/app:1'], { env });
  for (const s of [PW, WRONG, Buffer.from(`ci:${PW}`).toString('base64'), Buffer.from(`ci:${WRONG}`).toString('base64')]) expect(r.stdout + r.stderr).not.toContain(s);
  return r;
}
function jsonOf(r: CliResult) {
  const { records, failures } = checkJsonLines('pull', r.stdout);
  expect(failures).toEqual([]);
  return { attempts: records.filter((x) => x.type === 'attempt') as { error: string; errorClass: string; credentials: { kind: string; text: string } }[], result: records.find((x) => x.type === 'result') as { ok: boolean; whatToDo: { subject: string; topic: string }[] } };
}

describe('bearer auth: rejected vs missing credentials', () => {
  it('a mirror gets its credentials from its own auth file entry; rejected ones fail at the token request, named', async () => {
    const file = join(work, 'wrong.json');
    await writeFile(file, JSON.stringify({ auths: { 'mirror.example.com': { auth: Buffer.from(`ci:${WRONG}`).toString('base64') } } }));
    const j = jsonOf(await pull(['--authfile', file], 'json'));
    expect(j.attempts[0]!.errorClass).toBe('unauthorized');
    expect(j.attempts[0]!.error).toMatch(/^unable to retrieve auth token: invalid username\/password: /);
    expect(j.attempts[0]!.credentials).toMatchObject({ kind: 'auth-file', key: 'mirror.example.com', username: 'ci' });
    expect(j.result.whatToDo).toContainEqual(expect.objectContaining({ subject: 'mirror.example.com', topic: 'auth-rejected' }));
    const t = await pull(['--authfile', file], 'text');
    expect(t.stdout).toContain(`HTTP 401: the credentials were rejected: auth file ${file}, key "mirror.example.com" (user ci)`);
  });

  it('no credentials: an anonymous token, then the registry refuses; said as "no credentials were sent"', async () => {
    const j = jsonOf(await pull([], 'json'));
    expect(j.attempts.map((a) => a.errorClass)).toEqual(['unauthorized', 'unauthorized']);
    expect(j.attempts[0]!.credentials.kind).toBe('none');
    expect(j.result.whatToDo.map((f) => f.topic)).toEqual(['auth-missing', 'auth-missing']);
    expect((await pull([], 'text')).stdout).toContain('no credentials were sent (none matched mirror.example.com/org/app');
  });

  it('a helper named by credHelpers supplies the mirror\'s credentials; --creds go to the source only', async () => {
    const file = join(work, 'helper.json');
    await writeFile(file, JSON.stringify({ auths: {}, credHelpers: { 'mirror.example.com': 'pp-fake' } }));
    await writeFile(join(work, 'mirror.example.com.json'), JSON.stringify({ Username: 'ci', Secret: PW }));
    const ok = jsonOf(await pull(['--authfile', file], 'json'));
    expect(ok.result.ok).toBe(true);
    expect(ok.attempts[0]!.credentials).toMatchObject({ kind: 'helper', helper: 'pp-fake' });
    await rm(join(work, 'mirror.example.com.json'));
    const flag = jsonOf(await pull(['--creds', `ci:${PW}`], 'json'));
    expect(flag.attempts.map((a) => a.credentials.kind)).toEqual(['none', 'flag']);
    expect(flag.attempts[1]!.errorClass).toBe('not-found');
  });

  it('a helper that never answers: the attempt gives up at its deadline, the run goes on, and the helper is killed at exit', async () => {
    const file = join(work, 'hang.json');
    await writeFile(file, JSON.stringify({ auths: {}, credHelpers: { 'mirror.example.com': 'pp-hang' } }));
    const t0 = performance.now();
    const r = await pull(['--authfile', file, '--timeout', '1'], 'json');
    const elapsed = performance.now() - t0;
    const j = jsonOf(r);
    expect(j.attempts[0]!.errorClass).toBe('timeout');
    expect(j.attempts[0]!.error).toMatch(/^getting username and password: no answer before the attempt deadline/);
    expect(j.attempts[1]!.errorClass).toBe('unauthorized'); // the source was tried after it
    // Deadline 1 s (+ start-up and the source attempt); before, the process waited for the helper's 10 s kill.
    expect(elapsed).toBeLessThan(1000 + 5000);
    const pid = Number(await readFile(join(work, 'hang.pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
