/**
 * The helper protocol against real processes: the fake helpers in test/fixtures/cred-helpers, found on a
 * PATH set by the test (as the runtime finds docker-credential-NAME).
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helperGet, spawnHelperRunner, HelperError } from '../../src/registry/credential-helper.ts';

export const HELPER_DIR = fileURLToPath(new URL('../fixtures/cred-helpers', import.meta.url));
const SECRET = 'helper-Secret-9f8e7d';

async function fakeEnv(answers: Record<string, unknown>): Promise<{ env: NodeJS.ProcessEnv; data: string }> {
  const data = await mkdtemp(join(tmpdir(), 'pp-helper-'));
  for (const [server, body] of Object.entries(answers)) await writeFile(join(data, `${server}.json`), JSON.stringify(body));
  return { data, env: { PATH: `${HELPER_DIR}:/usr/bin:/bin`, PP_FAKE_HELPER_DATA: data } };
}

describe('docker-credential-NAME get', () => {
  it('sends the host on stdin and reads {Username, Secret} from stdout', async () => {
    const { env, data } = await fakeEnv({ 'mirror.example.com:5000': { ServerURL: 'mirror.example.com:5000', Username: 'bob', Secret: SECRET } });
    const a = await helperGet(spawnHelperRunner({ env }), 'pp-fake', 'mirror.example.com:5000');
    expect(a).toEqual({ found: true, username: 'bob', password: SECRET });
    expect(await readFile(join(data, 'calls.log'), 'utf8')).toBe('mirror.example.com:5000\n');
  });

  it('reads Username "<token>" as an identity token', async () => {
    const { env } = await fakeEnv({ 'reg.example.com': { Username: '<token>', Secret: SECRET } });
    expect(await helperGet(spawnHelperRunner({ env }), 'pp-fake', 'reg.example.com')).toEqual({ found: true, username: '', password: '', identityToken: SECRET });
  });

  it('takes "credentials not found in native keychain" as no credentials', async () => {
    const { env } = await fakeEnv({});
    expect(await helperGet(spawnHelperRunner({ env }), 'pp-fake', 'other.example.com')).toEqual({ found: false });
  });

  it('words a failing helper as the runtime: its stdout message and exit status', async () => {
    const { env } = await fakeEnv({});
    const stderr: Buffer[] = [];
    const err = await helperGet(spawnHelperRunner({ env, stderr: (c) => stderr.push(c) }), 'pp-broken', 'reg.example.com').catch((e) => e);
    expect(err).toBeInstanceOf(HelperError);
    expect(err.message).toBe('error getting credentials - err: exit status 3, out: `keychain is locked`');
    // The helper's stderr is passed through to the user, as the runtime does.
    expect(Buffer.concat(stderr).toString()).toContain('helper broke');
  });

  it('words a helper missing from PATH as Go exec does', async () => {
    const { env } = await fakeEnv({});
    const err = await helperGet(spawnHelperRunner({ env }), 'pp-absent', 'reg.example.com').catch((e) => e);
    expect(err.message).toBe('error getting credentials - err: exec: "docker-credential-pp-absent": executable file not found in $PATH, out: ``');
  });

  it('kills a helper that does not answer within the timeout', async () => {
    const { env } = await fakeEnv({});
    const t0 = performance.now();
    const err = await helperGet(spawnHelperRunner({ env }), 'pp-hang', 'reg.example.com', 300).catch((e) => e);
    expect(err.message).toContain('no answer within 0.3 s');
    expect(performance.now() - t0).toBeLessThan(300 + 3000);
  });

  it('never quotes an answer that is not JSON (it may be the secret)', async () => {
    const { env, data } = await fakeEnv({});
    await writeFile(join(data, 'reg.example.com.json'), `user:${SECRET}`);
    const err = await helperGet(spawnHelperRunner({ env }), 'pp-fake', 'reg.example.com').catch((e) => e);
    expect(err.message).toContain('not JSON');
    expect(err.message).not.toContain(SECRET);
  });
});
