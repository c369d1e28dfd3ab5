import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mockSetup, API_HEADERS, imageManifest } from './mock-registry.ts';
import { CredentialStore, authFilePaths, authKeysFor } from '../../src/registry/auth-file.ts';
import { MEDIA } from '../../src/registry/manifest.ts';
import type { AttemptStep } from '../../src/registry/step.ts';

const PASSWORD = 's3cr3t-Passw0rd';
const TOKEN = 'tok-ABCDEF-0123456789';

async function authFile(auths: Record<string, { auth: string }>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pp-auth-'));
  const file = join(dir, 'auth.json');
  await writeFile(file, JSON.stringify({ auths }));
  return file;
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('auth.json lookup', () => {
  it('uses --authfile alone, else REGISTRY_AUTH_FILE, else the runtime default list', () => {
    // getAuthFilePaths: --authfile (skopeo's default for it is $REGISTRY_AUTH_FILE) replaces only the first file.
    const rest = ['/home/u/.config/containers/auth.json', '/home/u/.docker/config.json', '/home/u/.dockercfg'];
    expect(authFilePaths({ authFile: '/x/a.json', env: { REGISTRY_AUTH_FILE: '/y' }, home: '/home/u' })).toEqual(['/x/a.json', ...rest]);
    expect(authFilePaths({ env: { REGISTRY_AUTH_FILE: '/y/b.json' }, home: '/home/u' })).toEqual(['/y/b.json', ...rest]);
    expect(authFilePaths({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, home: '/home/u' })).toEqual(['/run/user/1000/containers/auth.json', ...rest]);
    expect(authFilePaths({ env: { XDG_CONFIG_HOME: '/xdg', DOCKER_CONFIG: '/dc' }, home: '/home/u', uid: 7 })).toEqual(['/run/containers/7/auth.json', '/xdg/containers/auth.json', '/dc/config.json', '/home/u/.dockercfg']);
  });

  it('tries the most specific key first: host/ns/repo, host/ns, host', () => {
    expect(authKeysFor('quay.io/org/team/app')).toEqual(['quay.io/org/team/app', 'quay.io/org/team', 'quay.io/org', 'quay.io']);
    // Exact keys only; the docker.io spellings are matched afterwards by normalization (normalizeAuthFileKey).
    expect(authKeysFor('docker.io/library/busybox')).toEqual(['docker.io/library/busybox', 'docker.io/library', 'docker.io']);
  });

  it('picks the namespace entry over the host entry, and a mirror gets its own host entry', async () => {
    const file = await authFile({
      'quay.io': { auth: b64('hostuser:p1') },
      'quay.io/org': { auth: b64('orguser:p2') },
      'https://index.docker.io/v1/': { auth: b64('hubuser:p3') },
    });
    const store = await CredentialStore.load({ authFile: file, home: dirname(file) });
    const user = async (repo: string) => (await store.lookup(repo)).credentials?.username ?? null;
    expect(await user('quay.io/org/app')).toBe('orguser');
    expect(await user('quay.io/other/app')).toBe('hostuser');
    expect(await user('docker.io/library/busybox')).toBe('hubuser');
    expect(await user('mirror.example.com/quay/org/app')).toBeNull();
  });

  it('reports malformed JSON with the file name but without the file content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-auth-'));
    const file = join(dir, 'auth.json');
    await writeFile(file, `{"auths": {"q": {"auth": "${b64('u:' + PASSWORD)}"}`);
    // As the runtime, the file fails the lookups that reach it (not the loading).
    const err = await (await CredentialStore.load({ authFile: file, home: dir })).lookup('q/a').catch((e) => e);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/^getting username and password: 1 error occurred:/);
    expect(err.message).not.toContain(b64('u:' + PASSWORD));
  });
});

describe('bearer token flow', () => {
  async function setupWithToken(now: () => number) {
    const file = await authFile({ 'reg.example.com': { auth: b64(`alice:${PASSWORD}`) } });
    const setup = mockSetup({ credentials: await CredentialStore.load({ authFile: file }), now });
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(401, '{}', {
      headers: { ...API_HEADERS, 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg.example.com"' },
    });
    const session = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    return { ...setup, session };
  }

  it('asks the realm for repository:NAME:pull with Basic credentials, then sends the token, and caches it', async () => {
    let clock = 1_000_000;
    const { agent, client, session } = await setupWithToken(() => clock);
    const seen: { tokenQuery?: string; tokenAuth?: string; manifestAuth: unknown[] } = { manifestAuth: [] };
    agent
      .get('https://auth.example.com')
      .intercept({ path: (p) => p.startsWith('/token?'), method: 'GET' })
      .reply((o) => {
        seen.tokenQuery = o.path;
        seen.tokenAuth = (o.headers as Record<string, string>)['authorization'];
        return { statusCode: 200, data: JSON.stringify({ token: TOKEN, expires_in: 30 }) };
      })
      .times(2);
    const m = imageManifest();
    agent
      .get('https://reg.example.com')
      .intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' })
      .reply((o) => {
        seen.manifestAuth.push((o.headers as Record<string, string>)['authorization']);
        return { statusCode: 200, data: m.body, responseOptions: { headers: { 'content-type': MEDIA.ociManifest } } };
      })
      .times(3);
    const steps: AttemptStep[] = [];
    await client.getManifest(session, 'lib/hello', 'v1', { steps });
    expect(new URLSearchParams(seen.tokenQuery!.split('?')[1]).getAll('scope')).toEqual(['repository:lib/hello:pull']);
    expect(new URLSearchParams(seen.tokenQuery!.split('?')[1]).get('account')).toBe('alice');
    expect(seen.tokenAuth).toBe('Basic ' + b64(`alice:${PASSWORD}`));
    expect(seen.manifestAuth[0]).toBe(`Bearer ${TOKEN}`);
    // expires_in 30 is raised to the runtime's 60 s minimum: still cached 59 s later.
    clock += 59_000;
    await client.getManifest(session, 'lib/hello', 'v1', { steps });
    expect(steps.filter((s) => s.step === 'auth').map((s) => s.detail!.includes('from cache'))).toEqual([false, true]);
    clock += 2_000;
    await client.getManifest(session, 'lib/hello', 'v1', { steps });
    expect(steps.filter((s) => s.step === 'auth').length).toBe(3);
    expect(steps.filter((s) => s.step === 'auth')[2]!.detail).not.toContain('from cache');
    // Nothing secret in any step.
    expect(JSON.stringify(steps)).not.toMatch(new RegExp(`${PASSWORD}|${TOKEN}|${b64(`alice:${PASSWORD}`)}`));
  });

  it('words a rejected login as the runtime, without the password', async () => {
    const { agent, client, session } = await setupWithToken(Date.now);
    agent
      .get('https://auth.example.com')
      .intercept({ path: (p) => p.startsWith('/token?'), method: 'GET' })
      .reply(401, `{"errors":[{"code":"UNAUTHORIZED","message":"bad password ${PASSWORD}"}]}`);
    const err = await client.getManifest(session, 'lib/hello', 'v1').catch((e) => e);
    expect(err.message).toBe('unable to retrieve auth token: invalid username/password: unauthorized: bad password REDACTED');
    expect(err.errorClass).toBe('unauthorized');
  });

  it('fetches an anonymous token (no Authorization, no account) when there are no credentials', async () => {
    const setup = mockSetup();
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(401, '{}', {
      headers: { 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"' },
    });
    const session = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    let auth: unknown = 'unset';
    let query = '';
    setup.agent
      .get('https://auth.example.com')
      .intercept({ path: (p) => p.startsWith('/token?'), method: 'GET' })
      .reply((o) => {
        auth = (o.headers as Record<string, string>)['authorization'];
        query = o.path;
        return { statusCode: 200, data: JSON.stringify({ access_token: 'anon-token-1234' }) };
      });
    const m = imageManifest();
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(200, m.body);
    await setup.client.getManifest(session, 'lib/hello', 'v1');
    expect(auth).toBeUndefined();
    expect(query).not.toContain('account=');
  });

  it('sends Basic credentials when the ping challenged with Basic', async () => {
    const file = await authFile({ 'reg.example.com': { auth: b64(`bob:${PASSWORD}`) } });
    const setup = mockSetup({ credentials: await CredentialStore.load({ authFile: file }) });
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(401, '{}', { headers: { 'www-authenticate': 'Basic realm="basic-realm"' } });
    const session = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    let auth: unknown;
    setup.agent
      .get('https://reg.example.com')
      .intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' })
      .reply((o) => {
        auth = (o.headers as Record<string, string>)['authorization'];
        return { statusCode: 200, data: imageManifest().body };
      });
    await setup.client.getManifest(session, 'lib/hello', 'v1');
    expect(auth).toBe('Basic ' + b64(`bob:${PASSWORD}`));
  });
});

describe('token flow details', () => {
  it('retries once with the wider scope of an insufficient_scope challenge', async () => {
    const setup = mockSetup();
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(401, '{}', {
      headers: { 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"' },
    });
    const session = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    const scopes: string[][] = [];
    setup.agent
      .get('https://auth.example.com')
      .intercept({ path: (p) => p.startsWith('/token?'), method: 'GET' })
      .reply((o) => {
        scopes.push(new URLSearchParams(o.path.split('?')[1]).getAll('scope'));
        return { statusCode: 200, data: JSON.stringify({ token: `t${scopes.length}-xxxxxx` }) };
      })
      .times(2);
    const pool = setup.agent.get('https://reg.example.com');
    pool.intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(401, '{"errors":[{"code":"DENIED","message":"no"}]}', {
      headers: { 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg",scope="repository:lib/hello:pull,push",error="insufficient_scope"' },
    });
    pool.intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(200, imageManifest().body);
    const steps: AttemptStep[] = [];
    await setup.client.getManifest(session, 'lib/hello', 'v1', { steps });
    expect(scopes).toEqual([['repository:lib/hello:pull'], ['repository:lib/hello:pull', 'repository:lib/hello:pull,push']]);
    expect(steps.at(-1)!.detail).toContain('insufficient_scope');
  });

  it('uses the OAuth2 refresh-token POST for an identitytoken entry, without showing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-auth-'));
    const file = join(dir, 'auth.json');
    const refresh = 'refresh-token-SECRET-42';
    // As Docker writes it: `auth` holds "user:" beside the token (the runtime ignores an identitytoken without it).
    await writeFile(file, JSON.stringify({ auths: { 'reg.example.com': { auth: b64('alice:'), identitytoken: refresh } } }));
    const setup = mockSetup({ credentials: await CredentialStore.load({ authFile: file }) });
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(401, '{}', {
      headers: { 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"' },
    });
    const session = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    let form: URLSearchParams | null = null;
    setup.agent
      .get('https://auth.example.com')
      .intercept({ path: '/token', method: 'POST' })
      .reply((o) => {
        form = new URLSearchParams(String(o.body));
        return { statusCode: 200, data: JSON.stringify({ access_token: 'acc-token-777777' }) };
      });
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(200, imageManifest().body);
    const steps: AttemptStep[] = [];
    await setup.client.getManifest(session, 'lib/hello', 'v1', { steps });
    expect(Object.fromEntries(form!)).toMatchObject({ grant_type: 'refresh_token', refresh_token: refresh, client_id: 'containers/image', scope: 'repository:lib/hello:pull', service: 'reg' });
    expect(JSON.stringify(steps)).not.toContain(refresh);
  });
});

describe('secrets found by review', () => {
  it('refuses an auth.json whose auth value is not a string, naming the key but not the value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-auth-'));
    const file = join(dir, 'auth.json');
    await writeFile(file, JSON.stringify({ auths: { 'r.test': { auth: 12345678 } } }));
    const err = await (await CredentialStore.load({ authFile: file, home: dir })).lookup('r.test/a').catch((e) => e);
    expect(err.message).toContain(`auth file ${file}: auths["r.test"].auth: expected a string, got number`);
    expect(err.message).not.toContain('12345678');
  });

  it('masks a short password where a server echoes user:password', async () => {
    const file = await authFile({ 'reg.example.com': { auth: b64('alice:pw1') } });
    const setup = mockSetup({ credentials: await CredentialStore.load({ authFile: file }) });
    const pool = setup.agent.get('https://reg.example.com');
    pool.intercept({ path: '/v2/', method: 'GET' }).reply(401, '{}', { headers: { ...API_HEADERS, 'www-authenticate': 'Basic realm="r"' } });
    pool.intercept({ path: '/v2/lib/hello/manifests/v1', method: 'GET' }).reply(401, '{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials for alice:pw1"}]}', { headers: API_HEADERS });
    const session = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    const err = await setup.client.getManifest(session, 'lib/hello', 'v1').catch((e) => e);
    expect(err.message).toContain('bad credentials for REDACTED');
    expect(err.message).not.toContain('alice:pw1');
  });

  it('never quotes a token endpoint body that is not JSON', async () => {
    const file = await authFile({ 'reg.example.com': { auth: b64(`alice:${PASSWORD}`) } });
    const setup = mockSetup({ credentials: await CredentialStore.load({ authFile: file }) });
    setup.agent.get('https://reg.example.com').intercept({ path: '/v2/', method: 'GET' }).reply(401, '{}', {
      headers: { ...API_HEADERS, 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg.example.com"' },
    });
    setup.agent.get('https://auth.example.com').intercept({ path: (p) => p.startsWith('/token?'), method: 'GET' })
      .reply(200, 'SECRETTOKENVALUE123456.payload.sig', { headers: { 'content-type': 'text/plain' } });
    const session = await setup.client.ping('reg.example.com', { insecure: false, repository: 'reg.example.com/lib/hello' });
    const steps: AttemptStep[] = [];
    const err = await setup.client.getManifest(session, 'lib/hello', 'v1', { steps }).catch((e) => e);
    expect(err.message).toContain('answered 34 bytes that are not JSON (Content-Type text/plain)');
    expect(JSON.stringify({ m: err.message, steps })).not.toContain('SECRETTOKE');
  });
});
